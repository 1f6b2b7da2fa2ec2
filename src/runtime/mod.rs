//! The event loop: the only place that owns tasks, channels, the terminal and the clock.
//! Wait for a message, drain what else is queued, `update` each, run the effects, then draw
//! once: at once after a key, at most every frame interval after stream events.

mod effects;
pub mod terminal;

use std::time::Duration;

use crossterm::event::{Event, EventStream, KeyEventKind};
use futures_util::StreamExt;
use tokio::sync::mpsc;
use tokio::time::Instant;

use crate::chat::StreamEvent;
use crate::state::{Effect, Msg, State, update};
use crate::theme::Theme;
use crate::ui::{self, ViewCache};

pub use effects::Effects;

/// Redraws caused by streams wait at least this long after the previous frame (20 fps: smooth
/// enough for text, light on CPU and on the link). Keys redraw at once.
const FRAME: Duration = Duration::from_millis(50);
const TICK: Duration = Duration::from_millis(100);

fn event_msg(ev: Event) -> Option<Msg> {
    match ev {
        Event::Key(k) if k.kind != KeyEventKind::Release => Some(Msg::Key(k)),
        Event::Paste(p) => Some(Msg::Paste(p)),
        Event::Mouse(m) => Some(Msg::Mouse(m)),
        Event::Resize(w, h) => Some(Msg::Resize(w, h)),
        _ => None,
    }
}

/// Runs the playground until the user quits or a signal arrives.
pub async fn run(
    mut state: State,
    mut effects: Effects,
    mut msg_rx: mpsc::UnboundedReceiver<Msg>,
    mut stream_rx: mpsc::Receiver<(u64, StreamEvent)>,
    initial: Vec<Msg>,
    first_effects: Vec<Effect>,
    theme: Theme,
) -> std::io::Result<()> {
    let mut term = terminal::setup(state.mouse)?;
    let _guard = terminal::Guard;
    for effect in first_effects {
        effects.run(effect, &state, &mut term).await;
    }
    let start = Instant::now();
    let size = term.size()?;
    let mut pending: Vec<Msg> = vec![Msg::Resize(size.width, size.height)];
    pending.extend(initial);
    let mut events = EventStream::new();
    let mut sigterm = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    let mut sighup = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup())?;
    let mut ticker = tokio::time::interval(TICK);
    let mut cache = ViewCache::default();
    let mut last_draw = start - FRAME;
    let mut dirty = true;
    let mut urgent = true;
    let mut batch = Vec::with_capacity(512);
    loop {
        if !pending.is_empty() {
            let now = start.elapsed();
            let mut fx = update(&mut state, Msg::Tick(now));
            for msg in pending.drain(..) {
                fx.extend(update(&mut state, msg));
            }
            for effect in fx {
                effects.run(effect, &state, &mut term).await;
            }
            dirty = true;
        }
        if state.quit {
            break;
        }
        if dirty && (urgent || last_draw.elapsed() >= FRAME) {
            let mut views = Vec::new();
            term.draw(|frame| views = ui::draw(frame, &state, &mut cache, &theme))?;
            update(&mut state, Msg::Viewports(views));
            last_draw = Instant::now();
            dirty = false;
            urgent = false;
        }
        let animate = state.streaming() || state.notice.is_some();
        tokio::select! {
            ev = events.next() => match ev {
                Some(Ok(ev)) => {
                    if let Some(msg) = event_msg(ev) {
                        pending.push(msg);
                        urgent = true;
                    }
                }
                Some(Err(_)) | None => break,
            },
            n = stream_rx.recv_many(&mut batch, 512) => {
                if n > 0 {
                    let at = start.elapsed();
                    pending.extend(batch.drain(..).map(|(req, event)| Msg::Stream { req, event, at }));
                }
            }
            Some(msg) = msg_rx.recv() => {
                pending.push(msg);
                urgent = true;
            }
            _ = ticker.tick(), if animate => pending.push(Msg::Tick(start.elapsed())),
            _ = tokio::time::sleep_until(last_draw + FRAME), if dirty => {}
            _ = sigterm.recv() => pending.push(Msg::Quit),
            _ = sighup.recv() => pending.push(Msg::Quit),
        }
    }
    effects.abort_all();
    Ok(())
}
