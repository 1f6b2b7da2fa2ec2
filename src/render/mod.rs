//! Turning text into screen lines: word wrapping with caches that only redo the growing tail.

pub mod wrap;
