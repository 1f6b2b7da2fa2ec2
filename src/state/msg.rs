//! The messages `update` takes in and the effects it hands back to the runtime.

use std::time::Duration;

use crossterm::event::{KeyEvent, MouseEvent};

use crate::catalog::Catalog;
use crate::chat::attach::{AttachError, Attachment};
use crate::chat::{ChatRequest, KeyInfo, StreamEvent};

/// Wrapped line count and visible height, from the last frame: of each pane, and of the
/// overlay that scrolls as a page (help, verdict, ratings), so scrolling stops at its end.
/// A pane not following its tail also says which line its window started at: lines above
/// it are counted by estimate until laid out, and the frame that lays them out moves the
/// window with them, so the text under it stays put.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Views {
    pub panes: Vec<(usize, usize, Option<usize>)>,
    pub overlay: Option<(usize, usize)>,
}

#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    Paste(String),
    Mouse(MouseEvent),
    Resize(u16, u16),
    /// The app clock moved (spinner, notices).
    Tick(Duration),
    /// A stream event of request `req`, at `at` on the app clock.
    Stream {
        req: u64,
        event: StreamEvent,
        at: Duration,
    },
    /// A provider's catalog (ids as the panes name them), to merge with the others.
    Catalog(Result<Catalog, String>),
    /// The exact cost of generation `id` (asked for after a cancel).
    GenerationCost {
        id: String,
        result: Result<crate::chat::GenerationCost, String>,
    },
    KeyInfo(Result<KeyInfo, String>),
    /// The prompt came back from `$EDITOR`.
    EditorDone(Result<String, String>),
    /// What the last frame showed: each pane's and the open overlay's lines and height.
    Viewports(Views),
    /// The demo simulator is up at this base URL.
    DemoReady(String),
    /// Send this prompt now (a prompt given on the command line).
    Submit(String),
    /// Something in the background failed; say so in the status bar.
    Failed(String),
    /// Files read and kept for the next prompt, each as it was typed with how it went;
    /// `send` (only to the focused pane or not) when a send waits for them.
    Attached {
        results: Vec<(String, Result<Attachment, AttachError>)>,
        send: Option<bool>,
    },
    /// The paths that complete `token` (an `@path` being typed).
    PathCompletions {
        token: String,
        matches: Vec<String>,
    },
    /// A copy went through (its description) or did not.
    Copied(Result<String, String>),
    /// An HTML export was written (its path) or could not be.
    Exported(Result<String, String>),
    SessionList(Vec<crate::storage::index::Entry>),
    SessionOpened(Result<crate::storage::session::Session, String>),
    /// A session read from disk, before the runtime takes its lock (it then arrives as
    /// `SessionOpened`).
    SessionFound(Result<crate::storage::session::Session, String>),
    SearchHits {
        query: String,
        ids: Vec<String>,
    },
    Stats(Box<crate::storage::ratings::Leaderboard>),
    /// A new session begins with this id.
    SessionStarted(String),
    /// A session save was handed to the writer: what changed so far is on its way.
    SaveStarted,
    /// The last session save worked, or why it did not.
    Saved(Result<(), String>),
    /// SIGTERM, SIGHUP.
    Quit,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    StartStream {
        req: u64,
        request: ChatRequest,
    },
    CancelStream {
        req: u64,
    },
    FetchCatalog,
    FetchKeyInfo,
    /// Ask the provider what a cancelled generation cost.
    LookupGeneration {
        model: String,
        id: String,
    },
    ExternalEditor(String),
    /// Read these files and keep them for the next prompt; then send it when `send` says
    /// so (only to the focused pane or not).
    Attach {
        paths: Vec<String>,
        send: Option<bool>,
    },
    /// List the paths that complete an `@path`.
    CompletePath(String),
    SetMouse(bool),
    /// Clear the terminal and draw the whole screen again (Ctrl-L).
    Repaint,
    SavePrefs,
    /// Save the session now (a round ended, or the app is about to exit).
    SaveSession,
    StartDemo,
    /// List saved sessions (for the browser).
    LoadSessions,
    /// Save this session, then open another.
    OpenSession(String),
    RenameSession {
        id: String,
        title: String,
    },
    DeleteSession(String),
    /// Look for `query` in the answers of every session.
    SearchSessions(String),
    /// Write session `id` as an HTML page into the exports folder.
    ExportHtml(String),
    LoadStats,
    /// Save this session and start a fresh one.
    NewSession,
    /// Put `text` on the clipboard; `what` names it in the status line.
    Copy {
        text: String,
        what: String,
    },
    Quit,
}
