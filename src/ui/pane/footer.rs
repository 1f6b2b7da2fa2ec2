//! A pane's footer: status, speed, tokens, how full its context would be, and the cost,
//! shortened to fit by dropping the least important parts first.

use ratatui::text::{Line, Span};

use crate::chat::AnswerStatus;
use crate::state::context::Fill;
use crate::state::panes::Pane;
use crate::theme::Theme;

use super::super::spinner;
use super::fit;
use super::sparkline::{self, sparkline};

/// `ctx ~78%` (an estimate, like every count before the usage arrives): how full the model's context would be with the prompt being typed. Under half
/// full it goes first when room is short; over 90% it warns and stays longer; over 100% it
/// is marked `!` (seen without colour) and never dropped.
fn ctx_part<'a>(ctx: Option<Fill>, theme: &Theme) -> Option<(u8, Vec<Span<'a>>)> {
    let fill = ctx?;
    let pct = fill.percent();
    let (rank, text, style) = match pct {
        // A context far from full matters less than the status or the tokens.
        0..=49 => (7, format!("ctx ~{pct}%"), theme.hint_text),
        50..=89 => (3, format!("ctx ~{pct}%"), theme.hint_text),
        90..=100 => (1, format!("ctx ~{pct}%"), theme.warn),
        _ => (0, format!("ctx ~{pct}%!"), theme.error),
    };
    Some((
        rank,
        vec![Span::styled(" · ", theme.dim), Span::styled(text, style)],
    ))
}

fn secs(d: std::time::Duration) -> String {
    format!("{:.2}s", d.as_secs_f64())
}

/// The footer: `⠋ streaming · ttft 0.42s · 87 tok/s · 14/~120 tok · ~$0.0012`, shortened to
/// fit: the cost and the status stay longest.
pub fn footer<'a>(
    pane: &Pane,
    now: std::time::Duration,
    width: usize,
    (local, hidden, ctx): (bool, bool, Option<Fill>),
    theme: &Theme,
) -> Line<'a> {
    let Some(turn) = pane.current() else {
        let mut parts = vec![(0, vec![Span::styled(" idle", theme.dim)])];
        parts.extend(ctx_part(ctx, theme));
        parts.push((0, vec![Span::raw(" ")]));
        return fit(parts, width);
    };
    let a = &turn.answer;
    let (symbol, word, style) = match a.status {
        AnswerStatus::Waiting => (spinner(now).to_string(), "waiting", theme.dim),
        AnswerStatus::Streaming => (spinner(now).to_string(), "streaming", theme.warn),
        AnswerStatus::Complete => ("✓".to_string(), "done", theme.ok),
        AnswerStatus::Error => ("✗".to_string(), "error", theme.error),
        AnswerStatus::Cancelled => ("⏹".to_string(), "cancelled", theme.warn),
        AnswerStatus::Incomplete => ("⚠".to_string(), "incomplete", theme.warn),
    };
    let sep = |text: String, style| vec![Span::styled(" · ", theme.dim), Span::styled(text, style)];
    let mut parts = vec![
        (0, vec![Span::raw(" "), Span::styled(symbol, style)]),
        (5, vec![Span::styled(format!(" {word}"), style)]),
    ];
    let elapsed = now.saturating_sub(turn.started_at);
    if let Some(ttft) = a.ttft {
        parts.push((3, sep(format!("ttft {}", secs(ttft)), theme.hint_text)));
    } else if !a.status.is_finished() {
        parts.push((3, sep(secs(elapsed), theme.dim)));
    }
    if let Some(tps) = a.tokens_per_second(elapsed) {
        parts.push((2, sep(format!("{tps:.0} tok/s"), theme.hint_text)));
    }
    let span = |ttft| (ttft, a.race_end(elapsed), !a.status.is_finished());
    if let Some(ttft) = a.ttft
        && let Some(bars) = sparkline(&a.timeline, span(ttft), sparkline::MAX_CELLS)
    {
        // Decoration beside the number: the first part to go when room is short.
        parts.push((6, vec![Span::raw(" "), Span::styled(bars, theme.hint_text)]));
    }
    let (out, _) = a.completion_tokens();
    let tokens = match &a.usage {
        // The same prompt counts differently per tokenizer: hidden, it would name a family.
        Some(u) if hidden => format!("{} tok", u.completion_tokens),
        None if hidden => format!("~{out} tok"),
        Some(u) => format!("{}/{} tok", u.prompt_tokens, u.completion_tokens),
        None => format!("~{}/~{out} tok", a.prompt_tokens_estimate),
    };
    parts.push((4, sep(tokens, theme.hint_text)));
    if !hidden {
        parts.extend(ctx_part(ctx, theme));
    }
    if hidden {
        // A price says which model this is: it waits for the vote.
        if !pane.scroll.follow {
            parts.push((2, sep("↑ G follows".into(), theme.warn)));
        }
        parts.push((1, vec![Span::raw(" ")]));
        return fit(parts, width);
    }
    let cost = match turn.cost() {
        Some(c) if local && c.usd.is_zero() => sep("free (local)".into(), theme.cost),
        Some(c) if c.is_exact() => sep(c.display(), theme.cost),
        Some(c) => sep(c.display(), theme.estimated),
        None => sep("cost n/a".into(), theme.dim),
    };
    parts.push((1, cost));
    if !pane.scroll.follow {
        // Part of the footer, not drawn over it: it would cut a number. It goes before the
        // cost does.
        parts.push((2, sep("↑ G follows".into(), theme.warn)));
    }
    parts.push((1, vec![Span::raw(" ")]));
    fit(parts, width)
}
