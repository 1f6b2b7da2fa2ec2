//! The terminal: raw mode, alternate screen, bracketed paste, mouse, the kitty keyboard
//! protocol where offered (asked after the first frame; keys wait for the answer, 2 s at most
//! where a terminal never gives one, and are kept meanwhile), one way into
//! app mode for start-up and for coming back from the external editor, and a restore that
//! runs on every exit path, panics included.

use std::io::{BufWriter, Stdout, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use crossterm::event::{
    DisableBracketedPaste, EnableBracketedPaste, KeyboardEnhancementFlags,
    PopKeyboardEnhancementFlags, PushKeyboardEnhancementFlags,
};
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use crossterm::{cursor, execute};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

pub type Term = Terminal<CrosstermBackend<BufWriter<super::sgr::Sgr16<Stdout>>>>;

/// Mouse reporting for clicks, the wheel and drags only (button-event tracking, mode 1002,
/// with SGR coordinates): unlike crossterm's capture, which adds any-motion tracking (1003),
/// moving the mouse sends nothing, so nothing crosses an SSH link until a button is used.
struct ButtonMouse(bool);

/// The sequences [`ButtonMouse`] writes.
pub const MOUSE_ON: &str = "\x1b[?1000h\x1b[?1002h\x1b[?1006h";
pub const MOUSE_OFF: &str = "\x1b[?1006l\x1b[?1002l\x1b[?1000l";

impl crossterm::Command for ButtonMouse {
    fn write_ansi(&self, f: &mut impl std::fmt::Write) -> std::fmt::Result {
        f.write_str(if self.0 { MOUSE_ON } else { MOUSE_OFF })
    }
}

static ACTIVE: AtomicBool = AtomicBool::new(false);
/// The terminal speaks the kitty keyboard protocol (learned once, after the first frame).
static KEYBOARD_SUPPORTED: AtomicBool = AtomicBool::new(false);
/// Our flags are pushed now and must be popped on the way out.
static KEYBOARD_FLAGS: AtomicBool = AtomicBool::new(false);

/// Puts the terminal in app mode. The returned terminal buffers its output so a frame goes
/// out in one write.
/// A 16-colour terminal (`sixteen`) gets the classic colour codes.
pub fn setup(mouse: bool, sixteen: bool) -> std::io::Result<Term> {
    install_panic_hook();
    enter_app_mode(mouse)?;
    Terminal::new(CrosstermBackend::new(BufWriter::with_capacity(
        64 * 1024,
        super::sgr::Sgr16::new(std::io::stdout(), sixteen),
    )))
}

/// Raw mode, the alternate screen, bracketed paste, the mouse if wanted, and the keyboard
/// flags once the terminal is known to take them: the one way in, at start-up and back
/// from a child program.
fn enter_app_mode(mouse: bool) -> std::io::Result<()> {
    enable_raw_mode()?;
    ACTIVE.store(true, Ordering::SeqCst);
    let mut out = std::io::stdout();
    execute!(
        out,
        EnterAlternateScreen,
        EnableBracketedPaste,
        cursor::Hide
    )?;
    if mouse {
        execute!(out, ButtonMouse(true))?;
    }
    if KEYBOARD_SUPPORTED.load(Ordering::SeqCst) {
        push_keyboard_flags()?;
    }
    Ok(())
}

/// Lets Shift-Enter and friends be told apart.
fn push_keyboard_flags() -> std::io::Result<()> {
    execute!(
        std::io::stdout(),
        PushKeyboardEnhancementFlags(KeyboardEnhancementFlags::DISAMBIGUATE_ESCAPE_CODES)
    )?;
    KEYBOARD_FLAGS.store(true, Ordering::SeqCst);
    Ok(())
}

/// Asks the terminal whether it speaks the kitty keyboard protocol (`CSI ? u`, then the
/// device attributes). Blocks up to 2 s where a terminal never answers, so it runs on its
/// own thread after the first frame, before the event reader starts; keys typed meanwhile
/// are kept by crossterm and arrive after.
pub fn ask_keyboard() -> bool {
    crossterm::terminal::supports_keyboard_enhancement().unwrap_or(false)
}

/// The terminal's answer came: turn the flags on where it speaks the protocol.
pub fn keyboard_learned(supported: bool) {
    if supported && ACTIVE.load(Ordering::SeqCst) {
        KEYBOARD_SUPPORTED.store(true, Ordering::SeqCst);
        let _ = push_keyboard_flags();
    }
}

pub fn set_mouse(on: bool) {
    let mut out = std::io::stdout();
    let _ = if on {
        execute!(out, ButtonMouse(true))
    } else {
        execute!(out, ButtonMouse(false))
    };
}

/// Gives the terminal back. Safe to call more than once and from a panic hook.
pub fn restore() {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
    let mut out = std::io::stdout();
    if KEYBOARD_FLAGS.swap(false, Ordering::SeqCst) {
        let _ = execute!(out, PopKeyboardEnhancementFlags);
    }
    let _ = execute!(
        out,
        ButtonMouse(false),
        DisableBracketedPaste,
        LeaveAlternateScreen,
        cursor::Show
    );
    let _ = disable_raw_mode();
    let _ = out.flush();
}

/// Leaves app mode for a child program (the external editor) and comes back after, with
/// everything start-up set (the keyboard flags included).
pub fn suspend<T>(term: &mut Term, mouse: bool, f: impl FnOnce() -> T) -> T {
    restore();
    let result = f();
    let _ = enter_app_mode(mouse);
    repaint(term);
    result
}

/// Clears the screen and forgets what was drawn, so the next frame is drawn whole. Unlike
/// `Terminal::clear`, it asks the terminal nothing (a cursor query that goes unanswered
/// would leave the screen blank).
pub fn repaint(term: &mut Term) {
    use ratatui::backend::{Backend, ClearType};
    let _ = term.backend_mut().clear_region(ClearType::All);
    term.current_buffer_mut().reset();
    term.swap_buffers();
}

fn install_panic_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
        }));
    });
}

/// Restores the terminal when dropped, so early returns and `?` restore too.
pub struct Guard;

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
    }
}
