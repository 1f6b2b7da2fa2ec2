//! The judge's verdict overlay: what it said of the round, each reading in its order, or its
//! readings while they stream. Models are named as the screen may show them now.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;

use crate::sanitize::single_line;
use crate::state::State;
use crate::theme::Theme;

use super::overlays::{large_area, page};

/// The judge's verdict on `round`, or its readings while they stream.
pub fn verdict(
    f: &mut Frame,
    area: Rect,
    state: &State,
    round: u64,
    scroll: u16,
    theme: &Theme,
) -> (usize, usize) {
    let lines = verdict_lines(state, round, theme);
    page(
        f,
        large_area(area),
        " The judge's verdict (Esc closes) ".into(),
        lines,
        scroll,
        theme,
    )
}

fn verdict_lines(state: &State, round: u64, theme: &Theme) -> Vec<Line<'static>> {
    let styled = |t: String, s: Style| Line::styled(t, s);
    if let Some(j) = state.judging.as_ref().filter(|j| j.round == round) {
        let mut lines = vec![styled(
            format!(
                " {} is reading the answers twice, in both orders…",
                single_line(&j.judge)
            ),
            theme.dim,
        )];
        for (n, r) in j.readings.iter().enumerate() {
            let order: Vec<String> = r.order.iter().map(|&i| state.who(&j.models[i])).collect();
            lines.push(styled(
                format!(
                    " reading {} ({}): {}",
                    n + 1,
                    order.join(", "),
                    if r.answer.status.is_finished() {
                        "done"
                    } else {
                        "…"
                    }
                ),
                theme.hint_text,
            ));
        }
        return lines;
    }
    let Some(j) = state
        .session
        .rounds
        .get(round as usize)
        .and_then(|r| r.judgements.last())
    else {
        return vec![styled(
            " no verdict on this round yet (F4 asks the judge)".into(),
            theme.dim,
        )];
    };
    let mut lines = vec![styled(
        format!(
            " {}: {}",
            single_line(&j.judge),
            crate::state::judge::describe(state, &j.verdict, j.best.as_deref())
        ),
        theme.title,
    )];
    for (n, r) in j.runs.iter().enumerate() {
        let order: Vec<String> = r.order.iter().map(|m| state.who(m)).collect();
        let said = match (&r.verdict, &r.pick) {
            (crate::storage::votes::Verdict::Best, Some(m)) => format!("{} is best", state.who(m)),
            (v, _) => v.name().to_string(),
        };
        lines.push(Line::default());
        lines.push(styled(
            format!(" reading {}: {said}", n + 1),
            theme.hint_text,
        ));
        lines.push(styled(
            format!("   read as {}", order.join(", ")),
            theme.dim,
        ));
        lines.push(styled(
            format!("   {}", state.redact_if_hidden(&r.reason)),
            theme.text,
        ));
    }
    lines
}
