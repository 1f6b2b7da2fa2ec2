//! The event loop: the only place that owns tasks, channels, the terminal and the clock.
//! Wait for a message, drain what else is queued, `update` each, run the effects, then draw
//! once: at once after a key, at most every frame interval after stream events.

mod attach;
mod effects;
pub mod saver;
mod sessions;
mod sgr;
pub mod terminal;

use std::time::Duration;

use crossterm::event::{Event, EventStream, KeyEventKind};
use futures_util::StreamExt;
use tokio::sync::mpsc;
use tokio::time::Instant;

use crate::chat::StreamEvent;
use crate::state::{Effect, Msg, State, Views, update};
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

/// Writes what the session has before switching to another one. False (with the reason in
/// the status bar) when it could not be written: the switch must not happen then.
fn finish_save(saver: &mut saver::Saver, state: &mut State) -> bool {
    if !state.session.dirty {
        return true;
    }
    let result = saver.save_blocking(state);
    let ok = result.is_ok();
    update(state, Msg::SaveStarted);
    update(state, Msg::Saved(result));
    if !ok {
        update(
            state,
            Msg::Failed("this session could not be saved, so it stays open".into()),
        );
    }
    ok
}

/// Runs the playground until the user quits or a signal arrives.
#[allow(clippy::too_many_arguments)]
pub async fn run(
    mut state: State,
    mut effects: Effects,
    mut saver: saver::Saver,
    mut msg_rx: mpsc::UnboundedReceiver<Msg>,
    mut stream_rx: mpsc::Receiver<(u64, StreamEvent)>,
    initial: Vec<Msg>,
    first_effects: Vec<Effect>,
    theme: Theme,
) -> std::io::Result<()> {
    let mut term = terminal::setup(state.mouse, theme.depth == crate::colors::Depth::Ansi16)?;
    let _guard = terminal::Guard;
    for effect in first_effects {
        effects.run(effect, &state, &mut term).await;
    }
    let start = Instant::now();
    let size = term.size()?;
    let mut cache = ViewCache::default();
    // The first frame goes out before the terminal is asked anything: one that never answers
    // then costs at most the query's wait, with the screen already up.
    update(&mut state, Msg::Resize(size.width, size.height));
    let mut views = Views::default();
    term.draw(|frame| views = ui::draw(frame, &state, &mut cache, &theme))?;
    update(&mut state, Msg::Viewports(views));
    // Streams, ticks and drawing go on while the terminal answers (or never does); the key
    // reader starts once the question is settled, with what was typed meanwhile.
    let mut keyboard = Some(tokio::task::spawn_blocking(terminal::ask_keyboard));
    let mut events: Option<EventStream> = None;
    let mut pending: Vec<Msg> = initial;
    let mut sigterm = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    let mut sighup = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup())?;
    let mut ticker = tokio::time::interval(TICK);
    let mut last_draw = start - FRAME;
    let mut dirty = true;
    let mut urgent = true;
    let mut batch = Vec::with_capacity(512);
    let mut autosave = tokio::time::interval(saver::INTERVAL);
    loop {
        let mut save_now = false;
        if !pending.is_empty() {
            let now = start.elapsed();
            let mut fx = update(&mut state, Msg::Tick(now));
            for msg in pending.drain(..) {
                let msg = match msg {
                    // What changed while the file was read is saved before the switch.
                    Msg::SessionFound(_) if !finish_save(&mut saver, &mut state) => continue,
                    Msg::SessionFound(found) => Msg::SessionOpened(found.and_then(|s| {
                        if saver.lock(&s.id) {
                            Ok(s)
                        } else {
                            Err(format!("session {} is open in another switchboard", s.id))
                        }
                    })),
                    other => other,
                };
                fx.extend(update(&mut state, msg));
            }
            for effect in fx {
                match effect {
                    Effect::SaveSession => save_now = true,
                    Effect::OpenSession(_) | Effect::NewSession
                        if !finish_save(&mut saver, &mut state) => {}
                    Effect::OpenSession(id) => {
                        // Read off the loop; locked here when it arrives (the saver is ours).
                        let dir = saver.dir.clone();
                        let tx = effects.msg_tx.clone();
                        tokio::task::spawn_blocking(move || {
                            let found = crate::storage::index::find(&dir, &id);
                            let _ = tx.send(Msg::SessionFound(found));
                        });
                    }
                    Effect::NewSession => {
                        let id = crate::storage::session::new_id(state.wall_ms(), &saver.dir);
                        let _ = effects.msg_tx.send(Msg::SessionStarted(id));
                    }
                    other => effects.run(other, &state, &mut term).await,
                }
            }
            dirty = true;
        }
        if state.quit {
            break;
        }
        if saver.due(&state, save_now) && saver.start(&state) {
            update(&mut state, Msg::SaveStarted);
        }
        if dirty && (urgent || last_draw.elapsed() >= FRAME) {
            let mut views = Views::default();
            term.draw(|frame| views = ui::draw(frame, &state, &mut cache, &theme))?;
            update(&mut state, Msg::Viewports(views));
            last_draw = Instant::now();
            dirty = false;
            urgent = false;
        }
        let animate = state.streaming() || state.notice.is_some();
        tokio::select! {
            supported = async { keyboard.as_mut().expect("guarded").await }, if keyboard.is_some() => {
                keyboard = None;
                terminal::keyboard_learned(supported.unwrap_or(false));
                events = Some(EventStream::new());
            }
            ev = async { events.as_mut().expect("guarded").next().await }, if events.is_some() => match ev {
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
                    for (_, event) in &batch {
                        if let StreamEvent::End(crate::chat::StreamEnd::Failed(e)) = event {
                            crate::log::warn(&format!("stream failed: {}", e.message));
                        }
                    }
                    pending.extend(batch.drain(..).map(|(req, event)| Msg::Stream { req, event, at }));
                }
            }
            Some(msg) = msg_rx.recv() => {
                pending.push(msg);
                urgent = true;
            }
            _ = ticker.tick(), if animate => pending.push(Msg::Tick(start.elapsed())),
            _ = autosave.tick(), if state.session.dirty => pending.push(Msg::Tick(start.elapsed())),
            _ = tokio::time::sleep_until(last_draw + FRAME), if dirty => {}
            _ = sigterm.recv() => pending.push(Msg::Quit),
            _ = sighup.recv() => pending.push(Msg::Quit),
        }
    }
    effects.abort_all();
    // The last word: what streamed is on disk before the process ends.
    if state.session.dirty
        && let Err(e) = saver.save_blocking(&state)
    {
        terminal::restore();
        eprintln!("switchboard: {e}");
    }
    Ok(())
}
