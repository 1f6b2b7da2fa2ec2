//! The context overflow dialog: which panes' requests would not fit their model's context,
//! by how much, what trimming would leave out, and the three ways on.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::sanitize::single_line;
use crate::state::State;
use crate::state::overflow::Overflow;
use crate::textfmt::{count, grouped};
use crate::theme::Theme;

use super::overlays::centered;
use super::page::page;

pub fn dialog(frame: &mut Frame, area: Rect, state: &State, d: &Overflow, theme: &Theme) {
    let prompt = state.editor.text();
    let mut lines = Vec::new();
    let targets = if d.only_focused { 1 } else { state.panes.len() };
    lines.push(Line::styled(
        format!(
            "{} of {} would carry more than their model's context holds:",
            d.over.len(),
            count(targets as u64, "request")
        ),
        theme.text,
    ));
    for &(i, fill) in &d.over {
        // Blind, a context length or a tokenizer's count would say which model this is.
        if state.blind {
            continue;
        }
        let pane = &state.panes[i];
        let (skip, _) = state.trim_to_fit(i, &prompt);
        let rounds = pane.turns.len();
        let trim = if skip >= rounds {
            "    the prompt alone is too long: trimming cannot help".to_string()
        } else {
            format!(
                "    trim leaves out {skip} of its {}",
                count(rounds as u64, "round")
            )
        };
        lines.push(Line::from(vec![
            Span::styled(format!("  {} ", i + 1), theme.dim),
            Span::styled(single_line(&pane.model).into_owned(), theme.title),
            Span::styled(
                format!(
                    " ~{} tokens of {} ({}%)",
                    grouped(fill.tokens),
                    grouped(fill.context),
                    fill.percent()
                ),
                theme.error,
            ),
        ]));
        lines.push(Line::styled(trim, theme.dim));
    }
    lines.push(Line::default());
    for (key, what) in [
        (
            "t",
            "trim: leave out the oldest rounds to fit (keeps the system prompt)",
        ),
        ("s", "send anyway: the provider will likely refuse it"),
        ("n", "new conversation with just this prompt"),
        ("Esc", "back to the prompt"),
    ] {
        lines.push(Line::from(vec![
            Span::styled(format!(" {key:<4}"), theme.hint_key),
            Span::styled(what, theme.hint_text),
        ]));
    }
    let width = area.width.saturating_sub(4).min(80);
    let height = (lines.len() as u16 + 2).min(area.height);
    let outer = centered(area, width, height);
    page(
        frame,
        outer,
        " Prompt too long for the context ".into(),
        lines,
        0,
        theme,
    );
}
