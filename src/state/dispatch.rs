//! `update`: where each message goes. The handlers live beside the state they change.

use super::*;

/// Applies one message and returns what the runtime must do.
pub fn update(state: &mut State, msg: Msg) -> Vec<Effect> {
    let mut fx = Vec::new();
    // What can change the prompt, the system prompt or the panes' models; never a stream
    // event, a tick or a frame's report, which come many times a second.
    let typed = matches!(
        msg,
        Msg::Key(_)
            | Msg::Paste(_)
            | Msg::Mouse(_)
            | Msg::EditorDone(_)
            | Msg::Submit(_)
            | Msg::SessionOpened(_)
            | Msg::SessionFound(_)
            | Msg::SessionStarted(_)
            | Msg::Catalog(_)
            | Msg::DemoReady(_)
            | Msg::Attached { .. }
            | Msg::PathCompletions { .. }
    );
    dispatch(state, msg, &mut fx);
    if typed {
        state.count_prompt();
        // The browser searches prompts and answers as its query is typed, off the loop.
        if let Some(Overlay::Sessions(b)) = &mut state.overlay
            && let Some(query) = b.search_due()
        {
            fx.push(Effect::SearchSessions(query));
        }
    }
    fx
}

fn dispatch(state: &mut State, msg: Msg, fx: &mut Vec<Effect>) {
    match msg {
        Msg::Key(key) => input::key(state, key, fx),
        Msg::Paste(text) => input::paste(state, &text),
        Msg::Mouse(ev) => input::mouse(state, ev),
        Msg::Resize(w, h) => state.size = (w, h),
        Msg::Tick(now) => {
            state.now = now;
            if state
                .notice
                .as_ref()
                .is_some_and(|n| now.saturating_sub(n.at) > NOTICE_TTL)
            {
                state.notice = None;
            }
        }
        Msg::Stream { req, event, at } => rounds::stream_event(state, req, event, at, fx),
        Msg::Catalog(result) => {
            actions::catalog_loaded(state, result);
            state.catalog_tried = true;
            if let Some((only_focused, prompt)) = state.send_after_catalog.take()
                && state.editor.text() == prompt
            {
                rounds::send(state, only_focused, fx);
            }
        }
        Msg::GenerationCost {
            id,
            result: Ok(cost),
        } => rounds::generation_cost(state, &id, cost),
        Msg::GenerationCost { result: Err(_), .. } => {}
        Msg::KeyInfo(Ok(info)) => state.key_info = Some(info),
        Msg::KeyInfo(Err(_)) => {}
        Msg::EditorDone(Ok(text)) => state.editor.set_text(text.trim_end_matches('\n')),
        Msg::EditorDone(Err(e)) => state.notify(format!("external editor: {e}"), true),
        Msg::Viewports(views) => {
            for (pane, (total, height, top)) in state.panes.iter_mut().zip(views.panes) {
                pane.total_lines = total;
                pane.height = height;
                if let Some(top) = top.filter(|_| !pane.scroll.follow) {
                    pane.scroll.top = top;
                }
            }
            state.overlay_view = views.overlay.unwrap_or_default();
        }
        Msg::DemoReady(base_url) => actions::demo_ready(state, base_url, fx),
        Msg::Submit(text) => {
            state.editor.set_text(&text);
            rounds::send(state, false, fx);
        }
        Msg::Failed(text) => state.notify(text, true),
        Msg::Attached { results, send } => super::attachments::attached(state, results, send, fx),
        Msg::PathCompletions { token, matches } => {
            super::attachments::completions(state, &token, matches, fx)
        }
        Msg::SessionList(_)
        | Msg::SessionOpened(_)
        | Msg::SessionFound(_)
        | Msg::SearchHits { .. }
        | Msg::Stats(_)
        | Msg::SessionStarted(_) => session_actions::message(state, msg, fx),
        Msg::SaveStarted => state.session.dirty = false,
        Msg::Saved(Ok(())) => state.session.save_error = None,
        Msg::Saved(Err(e)) => {
            // A new session waits for this save: it will not come, nor the send after it.
            state.pending_send = None;
            state.session.save_error = Some(e);
            state.session.dirty = true;
        }
        Msg::Copied(Ok(text)) => state.notify(text, false),
        Msg::Copied(Err(e)) => state.notify(format!("copy failed: {e}"), true),
        Msg::Exported(Ok(path)) => state.notify(exported(&path), false),
        Msg::Exported(Err(e)) => state.notify(format!("HTML export failed: {e}"), true),
        Msg::Quit => rounds::quit(state, fx),
    }
}

/// `exported s1.html (HTML) to ~/.local/share/switchboard/exports/`: the file's name first,
/// so that a narrow status line cuts the folder, which is always the same, not the name.
fn exported(path: &str) -> String {
    let p = std::path::Path::new(path);
    match (
        p.file_name(),
        p.parent().filter(|d| !d.as_os_str().is_empty()),
    ) {
        (Some(name), Some(dir)) => format!(
            "exported {} (HTML) to {}{}",
            name.to_string_lossy(),
            dir.display(),
            std::path::MAIN_SEPARATOR
        ),
        _ => format!("exported {path} (HTML)"),
    }
}
