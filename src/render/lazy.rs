//! Code blocks highlighted when they come into view: a block is first drawn plain (the same
//! lines, cut at the same width, as highlighting does not change a line's text), and its
//! colours are put on its lines the first time a frame shows any of them. Opening a long
//! conversation then highlights what is on screen, not the whole history.

use ratatui::text::{Line, Span};

use super::styled::{LineBuilder, Prefix, clean};
use crate::theme::Theme;

/// A code block drawn plain: where each of its source lines went (the rendered lines it
/// took, a long one wrapping onto several, each with the number of characters before the
/// code), and what to highlight.
#[derive(Clone, Debug, PartialEq)]
pub struct PendingCode {
    pub lines: Vec<Vec<(usize, usize)>>,
    pub code: String,
    pub lang: String,
}

impl PendingCode {
    /// Moves the block's line indices by `by` (its chunk was appended after other lines).
    pub fn shifted(mut self, by: usize) -> PendingCode {
        for (i, _) in self.lines.iter_mut().flatten() {
            *i += by;
        }
        self
    }

    pub fn first_line(&self) -> usize {
        self.lines.iter().flatten().next().map_or(0, |(i, _)| *i)
    }

    pub fn last_line(&self) -> usize {
        self.lines.iter().flatten().last().map_or(0, |(i, _)| *i)
    }

    /// Puts the block's colours on its lines in `lines`.
    pub fn highlight(&self, lines: &mut [Line<'static>], theme: &Theme) {
        let pieces = super::highlight::highlight(&self.code, &self.lang, theme);
        for (rendered, pieces) in self.lines.iter().zip(pieces) {
            // The source line's characters with their styles, dealt out over the rendered
            // lines it took, as many to each as it shows.
            let mut chars = pieces.into_iter().flat_map(|(style, text)| {
                clean(&text)
                    .chars()
                    .map(move |c| (style, c))
                    .collect::<Vec<_>>()
            });
            for &(at, lead) in rendered {
                let Some(line) = lines.get_mut(at) else {
                    continue;
                };
                let mut kept = split_at_char(std::mem::take(&mut line.spans), lead);
                let shown = kept.1.iter().map(|s| s.content.chars().count()).sum();
                let mut spans: Vec<Span<'static>> = Vec::new();
                for (style, c) in chars.by_ref().take(shown) {
                    match spans.last_mut() {
                        Some(last) if last.style == style => last.content.to_mut().push(c),
                        _ => spans.push(Span::styled(c.to_string(), style)),
                    }
                }
                kept.0.extend(spans);
                line.spans = kept.0;
            }
        }
    }
}

/// `spans` split after `at` characters: the prefix's spans and the code's (a span across the
/// point is cut in two).
fn split_at_char(spans: Vec<Span<'static>>, at: usize) -> (Vec<Span<'static>>, Vec<Span<'static>>) {
    let mut head = Vec::new();
    let mut tail = Vec::new();
    let mut seen = 0;
    for span in spans {
        let n = span.content.chars().count();
        if seen >= at {
            tail.push(span);
        } else if seen + n <= at {
            head.push(span);
        } else {
            let cut = at - seen;
            let a: String = span.content.chars().take(cut).collect();
            let b: String = span.content.chars().skip(cut).collect();
            head.push(Span::styled(a, span.style));
            tail.push(Span::styled(b, span.style));
        }
        seen += n;
    }
    (head, tail)
}

/// The lines of a code block, plain, as [`super::code::code_body`] draws highlighted ones.
/// Returns where each line went.
pub fn plain_body(
    out: &mut LineBuilder,
    prefixes: &mut Vec<Prefix>,
    code: &str,
    t: &Theme,
) -> Vec<Vec<(usize, usize)>> {
    prefixes.push(Prefix {
        first: "│ ".into(),
        rest: "│ ".into(),
        style: t.code_frame,
        used: false,
    });
    let mut at = Vec::new();
    for line in code.lines() {
        out.record_starts();
        out.verbatim(line, t.text, prefixes);
        out.newline(prefixes);
        at.push(out.take_starts());
    }
    prefixes.pop();
    at
}

#[cfg(test)]
mod tests;
