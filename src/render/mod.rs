//! Turning text into screen lines: markdown with highlighted code and tables, word wrapping,
//! and caches that only redo the growing tail of a streaming answer.

pub mod blocks;
pub mod code;
pub mod highlight;
pub mod lazy;
pub mod markdown;
pub mod stream;
pub mod styled;
pub mod table;
pub mod wrap;

#[cfg(test)]
mod tests;
