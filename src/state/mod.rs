//! Everything the screen shows and the decisions about what happens next. `update` is pure:
//! messages in, state changed, effects out as data; no I/O, no clock, no terminal.

pub mod actions;
pub mod arena;
mod attachments;
pub mod browser;
pub mod context;
mod dispatch;
pub mod editor;
mod input;
pub mod judge;
pub mod keymap;
mod keys;
pub mod layout;
mod money;
mod msg;
pub mod overflow;
mod overlay;
pub mod panes;
pub mod params;
pub mod picker;
mod picker_flow;
mod rounds;
pub mod session;
mod session_actions;
mod stepping;
mod sync_scroll;

use std::time::Duration;

use crate::catalog::Catalog;
use crate::chat::{KeyInfo, Params};
use crate::cost::{Pricing, Usd};
use crate::storage::prefs::Prefs;

use editor::Editor;
use keymap::{Keymap, Scope};
use layout::{ScreenLayout, screen_layout};
use panes::Pane;
use picker::Picker;

pub use dispatch::update;
pub use input::works_over;
pub use msg::{Effect, Msg, Views};
pub use overlay::{DiffWith, Overlay};
pub use sync_scroll::SyncScroll;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Focus {
    Editor,
    Panes,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Screen {
    /// No key, no endpoint: how to get going.
    Welcome,
    Playground,
}

/// A one-line message in the status bar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    pub error: bool,
    pub at: Duration,
}

pub const NOTICE_TTL: Duration = Duration::from_secs(8);

/// How the app starts.
#[derive(Clone, Debug, Default)]
pub struct Init {
    pub models: Vec<String>,
    pub base_url: String,
    pub demo: bool,
    pub welcome: bool,
    pub budget: Option<Usd>,
    /// Start in blind mode (`--blind`, `blind = true`).
    pub blind: bool,
    /// The judge model and its prompt template (`--judge`, `[judge]`).
    pub judge: Option<judge::JudgeConfig>,
    pub keymap: Keymap,
    pub prefs: Prefs,
    pub catalog: Option<Catalog>,
    pub system: Option<String>,
    pub params: Params,
    pub size: (u16, u16),
    /// Wall clock at start (ms since 1970) and the id for a new session.
    pub wall_ms: u64,
    pub session_id: String,
    /// A saved session to reopen.
    pub resume: Option<crate::storage::session::Session>,
    /// Prices from the config's tables, by model id as the panes name it.
    pub price_tables: std::collections::BTreeMap<String, Pricing>,
    /// Model id prefixes of local providers (`""` when the default provider is local).
    pub local_prefixes: Vec<String>,
    /// `name:` of every provider other than the default one.
    pub provider_prefixes: Vec<String>,
    /// Reference prices for providers that report no cost.
    pub borrowing: crate::catalog::Borrowing,
    /// What a send does with a pane over its context (`on_context_overflow`).
    pub on_overflow: overflow::OnOverflow,
    /// Which models OpenRouter may compress with middle-out.
    pub middle_out: crate::provider::routing::MiddleOut,
}

#[derive(Debug)]
pub struct State {
    pub now: Duration,
    pub size: (u16, u16),
    pub keymap: Keymap,
    pub screen: Screen,
    pub focus: Focus,
    pub focused: usize,
    pub overlay: Option<Overlay>,
    pub panes: Vec<Pane>,
    pub editor: Editor,
    pub system: Option<String>,
    pub params: Params,
    pub catalog: Option<Catalog>,
    pub key_info: Option<KeyInfo>,
    pub budget: Option<Usd>,
    pub zoomed: bool,
    /// The panes scroll together, led by the last one scrolled (`sync_scroll.rs`).
    pub sync: SyncScroll,
    pub mouse: bool,
    pub demo: bool,
    pub base_url: String,
    pub notice: Option<Notice>,
    pub prefs: Prefs,
    pub next_req: u64,
    pub quit: bool,
    pub session: session::SessionInfo,
    /// The wall clock when the app started, in ms since 1970; `now` counts from there.
    pub wall_start_ms: u64,
    pub price_tables: std::collections::BTreeMap<String, Pricing>,
    pub local_prefixes: Vec<String>,
    pub provider_prefixes: Vec<String>,
    pub borrowing: crate::catalog::Borrowing,
    /// Blind mode: each new round shuffles the panes and hides who is who until the vote.
    pub blind: bool,
    pub judge: Option<judge::JudgeConfig>,
    /// The judge's readings of a round, while they stream.
    pub judging: Option<judge::Judging>,
    /// Lines and visible height of the page overlay, from the last frame.
    pub overlay_view: (usize, usize),
    pub on_overflow: overflow::OnOverflow,
    pub middle_out: crate::provider::routing::MiddleOut,
    /// A send waiting for the new session its overflow choice asked for.
    pub pending_send: Option<overflow::PendingSend>,
    /// The prompt being typed, counted once per tokenizer for the context fill.
    pub prompt_counts: context::PromptCounts,
    /// Files waiting to go with the next prompt, shown as chips above the editor.
    pub attachments: Vec<crate::chat::attach::Attachment>,
    /// The prompt whose `@path` words were looked up: its send goes ahead without asking
    /// again for those that name no file.
    pub mentions_checked: Option<String>,
    /// A send with an image waits for the model list, which says who takes images: only
    /// to the focused pane or not, and the prompt it was for (edited since, it does not go).
    pub send_after_catalog: Option<(bool, String)>,
    /// A model list arrived or failed to since the app started.
    pub catalog_tried: bool,
}

impl State {
    pub fn new(init: Init) -> State {
        let mut editor = Editor::new();
        editor.set_focused(true);
        let mut state = State {
            now: Duration::ZERO,
            size: init.size,
            keymap: init.keymap,
            screen: if init.welcome {
                Screen::Welcome
            } else {
                Screen::Playground
            },
            focus: Focus::Editor,
            focused: 0,
            overlay: None,
            panes: init.models.iter().map(Pane::new).collect(),
            editor,
            system: init.system,
            params: init.params,
            catalog: init.catalog,
            key_info: None,
            budget: init.budget,
            zoomed: false,
            sync: SyncScroll::default(),
            mouse: true,
            demo: init.demo,
            base_url: init.base_url,
            notice: None,
            prefs: init.prefs,
            next_req: 1,
            quit: false,
            session: session::SessionInfo {
                id: init.session_id,
                created_ms: init.wall_ms,
                ..Default::default()
            },
            wall_start_ms: init.wall_ms,
            price_tables: init.price_tables,
            local_prefixes: init.local_prefixes,
            provider_prefixes: init.provider_prefixes,
            borrowing: init.borrowing,
            blind: init.blind,
            judge: init.judge,
            judging: None,
            overlay_view: (0, 0),
            on_overflow: init.on_overflow,
            middle_out: init.middle_out,
            pending_send: None,
            attachments: Vec::new(),
            mentions_checked: None,
            send_after_catalog: None,
            catalog_tried: false,
            prompt_counts: Default::default(),
        };
        if let Some(saved) = init.resume {
            state.restore(saved);
            if state.hidden() {
                state.notify(
                    "this session's last round is blind: vote (v · = · -) to see who is who",
                    false,
                );
            }
        }
        if state.screen == Screen::Playground && state.panes.is_empty() {
            state.open_picker();
        }
        state
    }

    /// The scope whose keys apply now.
    pub fn scope(&self) -> Scope {
        match (&self.overlay, self.screen, self.focus) {
            (Some(Overlay::Picker(_)), ..) => Scope::Picker,
            (Some(Overlay::Params(_)), ..) => Scope::Params,
            (Some(Overlay::Help { .. }), ..) => Scope::Help,
            (Some(Overlay::Sessions(_)), ..) => Scope::Sessions,
            (Some(Overlay::Rounds { .. }), ..) => Scope::Rounds,
            (Some(Overlay::Scoreboard(_)), ..) => Scope::Scoreboard,
            (Some(Overlay::Verdict { .. }), ..) => Scope::Verdict,
            (Some(Overlay::Overflow(_)), ..) => Scope::Overflow,
            (Some(Overlay::Diff { .. }), ..) => Scope::Diff,
            (Some(Overlay::Race), ..) => Scope::Race,
            (None, Screen::Welcome, _) => Scope::Welcome,
            (None, _, Focus::Editor) => Scope::Editor,
            (None, _, Focus::Panes) => Scope::Panes,
        }
    }

    pub fn layout(&self) -> ScreenLayout {
        screen_layout(
            self.size.0,
            self.size.1,
            self.panes.len(),
            self.focused,
            self.zoomed,
            // The chips of waiting attachments take a line above the text.
            self.editor.area.lines().len() + usize::from(!self.attachments.is_empty()),
        )
    }

    /// Something streams: an answer, or the judge's readings.
    pub fn streaming(&self) -> bool {
        self.panes.iter().any(Pane::is_running) || self.judging.is_some()
    }

    fn take_req(&mut self) -> u64 {
        let req = self.next_req;
        self.next_req += 1;
        req
    }

    pub fn notify(&mut self, text: impl Into<String>, error: bool) {
        let text = self.redact_if_hidden(&text.into());
        self.notice = Some(Notice {
            text,
            error,
            at: self.now,
        });
    }

    pub fn open_picker(&mut self) {
        if self.hidden() && self.session.head.is_some() {
            // Its selection numbers follow the panes: it would say who is who.
            self.notify(
                "a blind round: vote first (v · = · -) or reveal it (F3) before changing models",
                true,
            );
            return;
        }
        let mut selected: Vec<String> = Vec::new();
        for p in &self.panes {
            if !selected.contains(&p.model) {
                selected.push(p.model.clone());
            }
        }
        let mut picker = Picker::new(selected);
        picker.refresh(self.catalog.as_ref(), &self.prefs);
        self.overlay = Some(Overlay::Picker(picker));
    }

    fn set_focus(&mut self, focus: Focus) {
        self.focus = focus;
        self.editor
            .set_focused(focus == Focus::Editor && self.overlay.is_none());
    }
}
