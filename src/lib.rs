//! switchboard: a terminal playground that streams one prompt to several language models.
//!
//! Dependency rule (see DESIGN.md): `provider`, `catalog`, `cost` and `chat` never import
//! ratatui, crossterm or the UI state; `chat` and `cost` are pure data and math. Only the
//! binary's entry point and the runtime see everything.

pub mod app;
pub mod catalog;
pub mod chat;
pub mod cli;
pub mod clipboard;
pub mod colors;
pub mod commands;
pub mod config;
pub mod cost;
pub mod diff;
pub mod doctor;
pub mod headless;
pub mod judge;
pub mod log;
pub mod paths;
pub mod provider;
pub mod rating;
pub mod render;
pub mod runtime;
pub mod sanitize;
pub mod sessions_cmd;
pub mod setup;
pub mod simulator;
pub mod state;
pub mod storage;
pub mod syntax;
pub mod textfmt;
pub mod theme;
pub mod tokens;
pub mod ui;
