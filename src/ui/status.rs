//! The two bottom lines: the session's money and messages, then key hints for the focus.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::state::State;
use crate::theme::Theme;

/// The right side: the session's money and the mode. `keep` drops the least important parts
/// first: the key's credit (below 4), the budget (below 3), the word `session` (below 2),
/// the mode's badges shortened (below 1); the total itself always stays, whole.
fn money(state: &State, theme: &Theme, keep: usize) -> Vec<Span<'static>> {
    let mut spans = Vec::new();
    let spent = state.spent();
    let estimated = spent.estimated;
    let label = spent.display();
    if keep >= 2 {
        spans.push(Span::styled("session ", theme.dim));
    }
    spans.push(Span::styled(
        label,
        if estimated {
            theme.estimated
        } else {
            theme.cost
        },
    ));
    if let Some(budget) = state.budget.filter(|_| keep >= 3) {
        spans.push(Span::styled(format!(" of {}", budget.display()), theme.dim));
    }
    if let Some(info) = state.key_info.as_ref().filter(|_| keep >= 4) {
        if let Some(left) = info.remaining {
            spans.push(Span::styled(
                format!(" · credit {} left", left.display()),
                theme.dim,
            ));
        } else if let Some(used) = info.usage {
            spans.push(Span::styled(
                format!(" · key used {}", used.display()),
                theme.dim,
            ));
        }
    }
    let badge = |long: &'static str, short: &'static str| if keep >= 1 { long } else { short };
    if state.blind || state.hidden() {
        spans.push(Span::raw(" "));
        spans.push(Span::styled(badge(" BLIND ", "B"), theme.demo_badge));
    }
    if state.sync.on {
        spans.push(Span::raw(" "));
        spans.push(Span::styled(badge(" ⇅ TOGETHER ", "⇅"), theme.demo_badge));
    }
    if state.demo {
        spans.push(Span::raw(" "));
        spans.push(Span::styled(badge(" DEMO ", "D"), theme.demo_badge));
    }
    spans.push(Span::raw(" "));
    spans
}

/// The left side, as messages that may be cut with `…`, or as forms from long to short
/// when it holds numbers (which are shown whole or not at all).
enum Left {
    Cut(Line<'static>),
    Forms(Vec<Line<'static>>),
}

impl Left {
    /// The longest form, for measuring.
    fn full(&self) -> &Line<'static> {
        static EMPTY: Line<'static> = Line {
            style: ratatui::style::Style::new(),
            alignment: None,
            spans: Vec::new(),
        };
        match self {
            Left::Cut(l) => l,
            Left::Forms(f) => f.first().unwrap_or(&EMPTY),
        }
    }

    fn fit(self, width: usize) -> Line<'static> {
        match self {
            Left::Cut(l) => ellipsis(l, width),
            Left::Forms(f) => f
                .into_iter()
                .find(|l| l.width() <= width)
                .unwrap_or_default(),
        }
    }
}

fn left(state: &State, theme: &Theme) -> Left {
    if let Some(e) = &state.session.save_error {
        return Left::Cut(Line::styled(format!(" ⚠ {e}"), theme.error));
    }
    if let Some(n) = &state.notice {
        let style = if n.error { theme.error } else { theme.ok };
        return Left::Cut(Line::styled(format!(" {}", n.text), style));
    }
    let prompt = state.editor.text();
    if !prompt.trim().is_empty() && !state.panes.is_empty() {
        let n = state.panes.len();
        let (est, unpriced) = state.prompt_estimate(&prompt);
        let short = format!(" prompt ~{}", est.display());
        let long = format!(" {short} for {}", crate::textfmt::count(n as u64, "model"));
        let longest = format!("{long} ({unpriced} without prices)");
        let mut forms = Vec::new();
        if unpriced > 0 {
            forms.push(longest);
        }
        forms.extend([long.trim_start().to_string(), short]);
        let forms = forms
            .into_iter()
            .map(|t| Line::styled(format!(" {}", t.trim_start()), theme.estimated))
            .collect();
        return Left::Forms(forms);
    }
    let streaming = state.panes.iter().filter(|p| p.is_running()).count();
    if streaming > 0 {
        return Left::Forms(vec![
            Line::styled(
                format!(" {streaming} streaming · Ctrl-C cancels all"),
                theme.dim,
            ),
            Line::styled(format!(" {streaming} streaming"), theme.dim),
        ]);
    }
    if state.demo {
        return Left::Cut(Line::styled(
            " demo: built-in simulated models, offline; no key needed",
            theme.dim,
        ));
    }
    Left::Cut(Line::styled(
        format!(" {}", crate::sanitize::single_line(&state.base_url)),
        theme.dim,
    ))
}

/// A one-span line cut to `width` columns, ending in `…` when cut.
fn ellipsis(line: Line<'static>, width: usize) -> Line<'static> {
    if line.width() <= width || width == 0 {
        return line;
    }
    let style = line.spans.first().map(|s| s.style).unwrap_or_default();
    let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    Line::styled(out, style)
}

pub fn draw(frame: &mut Frame, status: Rect, hints: Rect, state: &State, theme: &Theme) {
    if status.height > 0 {
        // Money and mode stay; the left side (hints, messages) gives way and ends in `…`. Only
        // an error may push out the credit and the budget, and only when it needs the room.
        let error =
            state.session.save_error.is_some() || state.notice.as_ref().is_some_and(|n| n.error);
        let message = left(state, theme);
        let needed = message.full().width() as u16 + 1;
        let mut keep = 4;
        let mut right = Line::from(money(state, theme, keep));
        while keep > 0
            && (right.width() as u16 >= status.width
                || (error && keep > 2 && needed + right.width() as u16 > status.width))
        {
            keep -= 1;
            right = Line::from(money(state, theme, keep));
        }
        if right.width() as u16 > status.width {
            // A total that does not fit is left out, never cut.
            right = Line::default();
        }
        let rw = right.width() as u16;
        let lw = status.width.saturating_sub(rw + 1);
        frame.render_widget(
            message.fit(lw as usize),
            Rect::new(status.x, status.y, lw, 1),
        );
        frame.render_widget(
            right,
            Rect::new(
                status.x + status.width.saturating_sub(rw),
                status.y,
                rw.min(status.width),
                1,
            ),
        );
    }
    if hints.height > 0 {
        // Whole hints only: the ones that do not fit are left out, not cut.
        let mut spans = vec![Span::raw(" ")];
        let mut used = 1;
        let global = |a| state.overlay.is_none() || crate::state::works_over(state, a);
        for (key, help) in state.keymap.hints(state.scope(), global) {
            let sep = if used > 1 { " · " } else { "" };
            let w = sep.chars().count() + key.chars().count() + 1 + help.chars().count();
            if used + w > hints.width as usize {
                break;
            }
            used += w;
            spans.push(Span::styled(sep, theme.dim));
            spans.push(Span::styled(key, theme.hint_key));
            spans.push(Span::styled(format!(" {help}"), theme.hint_text));
        }
        frame.render_widget(Line::from(spans), hints);
    }
}
