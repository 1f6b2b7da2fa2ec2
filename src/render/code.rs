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
    let spans = vec![
        Span::styled("╭─ ", t.code_frame),
        Span::styled(super::styled::clean(&label), t.code_label),
        Span::styled(format!(" {}", "─".repeat(fill)), t.code_frame),
    ];
    out.raw_line(cut_spans(spans, room.max(1)), prefixes);
}

/// The spans cut to `width` columns (a frame on a pane narrower than its label).
fn cut_spans(spans: Vec<Span<'static>>, width: usize) -> Vec<Span<'static>> {
    let mut left = width;
    let mut out = Vec::new();
    for span in spans {
        if left == 0 {
            break;
        }
        let w = width_of(&span.content);
        if w <= left {
            left -= w;
            out.push(span);
            continue;
        }
        let mut kept = String::new();
        for c in span.content.chars() {
            let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
            if cw > left {
                break;
            }
            left -= cw;
            kept.push(c);
        }
        out.push(Span::styled(kept, span.style));
        break;
    }
    out
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
