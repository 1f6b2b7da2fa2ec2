//! The terminal: raw mode, alternate screen, bracketed paste, mouse, the kitty keyboard
//! protocol where offered (asked after the first frame, waiting 100 ms at most), one way into
//! app mode for start-up and for coming back from the external editor, and a restore that
//! runs on every exit path, panics included.

use std::io::{BufWriter, Stdout, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
    KeyboardEnhancementFlags, PopKeyboardEnhancementFlags, PushKeyboardEnhancementFlags,
};
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use crossterm::{cursor, execute};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

pub type Term = Terminal<CrosstermBackend<BufWriter<Stdout>>>;

static ACTIVE: AtomicBool = AtomicBool::new(false);
/// The terminal speaks the kitty keyboard protocol (learned once, after the first frame).
static KEYBOARD_SUPPORTED: AtomicBool = AtomicBool::new(false);
/// Our flags are pushed now and must be popped on the way out.
static KEYBOARD_FLAGS: AtomicBool = AtomicBool::new(false);

/// Longest wait for the terminal to say whether it speaks the kitty keyboard protocol: some
/// terminals and SSH clients never answer.
pub const KEYBOARD_QUERY_WAIT: std::time::Duration = std::time::Duration::from_millis(100);

/// Puts the terminal in app mode. The returned terminal buffers its output so a frame goes
/// out in one write.
pub fn setup(mouse: bool) -> std::io::Result<Term> {
    install_panic_hook();
    enter_app_mode(mouse)?;
    Terminal::new(CrosstermBackend::new(BufWriter::with_capacity(
        64 * 1024,
        std::io::stdout(),
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
        execute!(out, EnableMouseCapture)?;
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
/// device attributes, which every terminal that answers at all answers last) and turns it
/// on if so. Called after the first frame, before the event reader starts, waiting at most
/// `wait`: a terminal that never answers costs that, after the screen is already up.
pub fn learn_keyboard(wait: std::time::Duration) {
    let mut out = std::io::stdout();
    if out
        .write_all(b"\x1b[?u\x1b[c")
        .and_then(|()| out.flush())
        .is_err()
    {
        return;
    }
    let reply = read_reply(wait);
    if keyboard_reply_says_supported(&reply) {
        KEYBOARD_SUPPORTED.store(true, Ordering::SeqCst);
        let _ = push_keyboard_flags();
    }
}

/// Whether a reply holds `CSI ? <flags> u` (kitty keyboard protocol flags).
fn keyboard_reply_says_supported(reply: &[u8]) -> bool {
    reply.windows(3).enumerate().any(|(i, w)| {
        w == b"\x1b[?"
            && reply[i + 3..]
                .iter()
                .position(|b| !b.is_ascii_digit())
                .is_some_and(|n| n > 0 && reply.get(i + 3 + n) == Some(&b'u'))
    })
}

/// Reads what the terminal sends until its device attributes (`CSI ? … c`) or `wait`.
#[cfg(unix)]
fn read_reply(wait: std::time::Duration) -> Vec<u8> {
    let deadline = std::time::Instant::now() + wait;
    let mut reply = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        if left.is_zero() {
            return reply;
        }
        let mut fd = libc::pollfd {
            fd: libc::STDIN_FILENO,
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one valid pollfd, for the duration of the call.
        let ready = unsafe { libc::poll(&mut fd, 1, left.as_millis().max(1) as libc::c_int) };
        if ready <= 0 {
            return reply;
        }
        let mut buf = [0u8; 256];
        // SAFETY: reads at most buf.len() bytes into buf.
        let n = unsafe { libc::read(libc::STDIN_FILENO, buf.as_mut_ptr().cast(), buf.len()) };
        if n <= 0 {
            return reply;
        }
        reply.extend_from_slice(&buf[..n as usize]);
        if device_attributes_end(&reply) {
            return reply;
        }
    }
}

#[cfg(not(unix))]
fn read_reply(_wait: std::time::Duration) -> Vec<u8> {
    Vec::new()
}

/// Whether the reply holds a device-attributes answer: `ESC [ ? digits;… c`.
fn device_attributes_end(reply: &[u8]) -> bool {
    reply.windows(3).enumerate().any(|(i, w)| {
        w == b"\x1b[?"
            && reply[i + 3..]
                .iter()
                .position(|b| !(b.is_ascii_digit() || *b == b';'))
                .is_some_and(|n| reply.get(i + 3 + n) == Some(&b'c'))
    })
}

pub fn set_mouse(on: bool) {
    let mut out = std::io::stdout();
    let _ = if on {
        execute!(out, EnableMouseCapture)
    } else {
        execute!(out, DisableMouseCapture)
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
        DisableMouseCapture,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replies_are_read_for_the_keyboard_flags_and_the_attributes() {
        assert!(keyboard_reply_says_supported(b"\x1b[?1u\x1b[?62;22c"));
        assert!(keyboard_reply_says_supported(b"x\x1b[?0u"));
        assert!(!keyboard_reply_says_supported(b"\x1b[?62;22c"));
        assert!(!keyboard_reply_says_supported(b"\x1b[?u"));
        assert!(device_attributes_end(b"\x1b[?1u\x1b[?62;22c"));
        assert!(device_attributes_end(b"\x1b[?6c"));
        assert!(!device_attributes_end(b"\x1b[?1u"));
    }
}
