//! The frame around a numbered code block: its labelled top line, the cut-not-wrapped body,
//! and the bottom line. Shared by the markdown renderer and the streaming cache.

use ratatui::style::Style;
use ratatui::text::Span;

use super::styled::{LineBuilder, Prefix, width_of};
use crate::theme::Theme;

/// The frame's first line: `╭─ [2] rust ─────`.
pub fn code_top(
    out: &mut LineBuilder,
    prefixes: &mut [Prefix],
    number: usize,
    lang: &str,
    t: &Theme,
) {
    let room = out.room(prefixes);
    let label = if lang.is_empty() {
        format!("[{number}]")
    } else {
        format!("[{number}] {lang}")
    };
    let fill = room.saturating_sub(width_of(&label) + 4);
    out.raw_line(
        vec![
            Span::styled("╭─ ", t.code_frame),
            Span::styled(super::styled::clean(&label), t.code_label),
            Span::styled(format!(" {}", "─".repeat(fill)), t.code_frame),
        ],
        prefixes,
    );
}

/// Code lines inside the frame, cut (not word-wrapped) at the frame's width.
pub fn code_body(
    out: &mut LineBuilder,
    prefixes: &mut Vec<Prefix>,
    lines: Vec<Vec<(Style, String)>>,
    t: &Theme,
) {
    prefixes.push(Prefix {
        first: "│ ".into(),
        rest: "│ ".into(),
        style: t.code_frame,
        used: false,
    });
    for pieces in lines {
        for (style, piece) in pieces {
            out.verbatim(&piece, style, prefixes);
        }
        out.newline(prefixes);
    }
    prefixes.pop();
}

pub fn code_bottom(out: &mut LineBuilder, prefixes: &mut [Prefix], t: &Theme) {
    let room = out.room(prefixes);
    out.raw_line(
        vec![Span::styled(
            format!("╰{}", "─".repeat(room.saturating_sub(1))),
            t.code_frame,
        )],
        prefixes,
    );
}
