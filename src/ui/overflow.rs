//! The context overflow dialog: which panes' requests would not fit their model's context,
//! by how much, what trimming would leave out, and the ways on (from the keymap).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::sanitize::single_line;
use crate::state::State;
use crate::state::keymap::Scope;
use crate::state::overflow::Overflow;
use crate::textfmt::{count, grouped};
use crate::theme::Theme;

use super::overlays::centered;
use super::page::{fit_lines, page};

/// A pane over its context, in two lines: the numbers first (a narrow dialog cuts the
/// model's name, never a figure), then what a trim would do and the model.
fn pane_lines(state: &State, d: &Overflow, theme: &Theme) -> Vec<[Line<'static>; 2]> {
    // A retry sends the pane's last prompt again, over the turns before it.
    let prompt = match state.panes.get(d.over.first().map_or(0, |o| o.0)) {
        Some(p) if d.retry => p.current().map(|t| t.prompt.clone()).unwrap_or_default(),
        _ => state.editor.text(),
    };
    d.over
        .iter()
        .map(|&(i, fill)| {
            let trim = state.trim_to_fit(i, &prompt, d.retry);
            let what = if !trim.fits {
                "the prompt alone is too long".to_string()
            } else if trim.skip == trim.of {
                format!("trim leaves out all {}", count(trim.of as u64, "round"))
            } else {
                format!(
                    "trim leaves out {} of {}",
                    trim.skip,
                    count(trim.of as u64, "round")
                )
            };
            [
                Line::from(vec![
                    Span::styled(format!(" {} ", i + 1), theme.dim),
                    Span::styled(format!("{}% ", fill.percent()), theme.error),
                    Span::styled(
                        format!(
                            "~{} of {} tokens",
                            grouped(fill.tokens),
                            grouped(fill.context)
                        ),
                        theme.text,
                    ),
                ]),
                Line::from(vec![
                    Span::styled(format!("   {what} · "), theme.dim),
                    Span::styled(single_line(&state.panes[i].model).into_owned(), theme.title),
                ]),
            ]
        })
        .collect()
}

pub fn dialog(frame: &mut Frame, area: Rect, state: &State, d: &Overflow, theme: &Theme) {
    let outer_w = area.width.saturating_sub(4).min(80);
    let width = outer_w.saturating_sub(2) as usize;
    let targets = if d.only_focused { 1 } else { state.panes.len() };
    let head = fit_lines(
        vec![Line::styled(
            format!(
                "{} of {} over the context:",
                d.over.len(),
                count(targets as u64, "request")
            ),
            theme.text,
        )],
        width,
    );
    let keys = fit_lines(
        state
            .keymap
            .bindings
            .iter()
            .filter(|b| b.scope == Scope::Overflow)
            .map(|b| {
                Line::from(vec![
                    Span::styled(format!(" {:<4}", b.key.to_string()), theme.hint_key),
                    Span::styled(b.help, theme.hint_text),
                ])
            })
            .collect(),
        width,
    );
    // The choices always show; the panes take what room is left, the rest counted.
    let room = (area.height.saturating_sub(2) as usize).saturating_sub(head.len() + 1 + keys.len());
    // Blind, a context length or a count would say which model a pane is.
    let panes = if state.blind {
        Vec::new()
    } else {
        pane_lines(state, d, theme)
    };
    let mut lines = head;
    // Two lines a pane where there is room, else its figures alone, else as many as fit
    // and a count of the rest.
    let (per, fit) = if panes.len() * 2 <= room {
        (2, panes.len())
    } else if panes.len() <= room {
        (1, panes.len())
    } else {
        (1, room.saturating_sub(1))
    };
    for pair in panes.iter().take(fit) {
        lines.extend(fit_lines(pair[..per].to_vec(), width));
    }
    if fit < panes.len() {
        lines.push(Line::styled(
            format!(" +{} more over their context", panes.len() - fit),
            theme.dim,
        ));
    }
    lines.push(Line::default());
    lines.extend(keys);
    let height = (lines.len() as u16 + 2).min(area.height);
    page(
        frame,
        centered(area, outer_w, height),
        " Prompt too long for the context ".into(),
        lines,
        0,
        theme,
    );
}
