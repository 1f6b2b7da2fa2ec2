//! F2's leaderboard: your blind ratings with their intervals as whiskers, the judges'
//! agreement with you, and the sighted adoptions.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use crate::sanitize::single_line;
use crate::state::browser::Scoreboard;
use crate::storage::index::median;
use crate::storage::ratings::PROVISIONAL_BELOW;
use crate::theme::Theme;

use super::overlays::{large_area, page};
use super::ratings_table::ratings_lines;

fn percent(n: u32, of: u32) -> String {
    if of == 0 {
        "-".into()
    } else {
        format!("{:.0}%", f64::from(n) * 100.0 / f64::from(of))
    }
}

/// Every line of the F2 overlay.
pub fn leaderboard_lines(board: &Scoreboard, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let b = &board.board;
    if board.loading {
        return vec![Line::styled("counting…", theme.dim)];
    }
    let mut lines = vec![Line::styled(
        format!(
            " Your ratings: {} (Bradley-Terry, 95% bootstrap intervals)",
            crate::textfmt::count(b.blind_votes, "blind vote")
        ),
        theme.title,
    )];
    if b.ratings.is_empty() {
        lines.push(Line::styled(
            " no blind votes yet: F3 turns blind mode on, then v votes for the best answer",
            theme.dim,
        ));
    } else {
        lines.extend(ratings_lines(b, width, theme));
        lines.push(Line::styled(
            format!(
                " ? provisional: fewer than {PROVISIONAL_BELOW} votes, too few for an interval"
            ),
            theme.dim,
        ));
    }
    if b.sighted_votes > 0 {
        lines.push(Line::styled(
            format!(
                " {} kept apart (not in the ratings)",
                crate::textfmt::count(b.sighted_votes, "sighted vote")
            ),
            theme.dim,
        ));
    }
    for j in &b.judges {
        let mut text = format!(
            " judge {}: agreed with your blind vote on {} of {} ({})",
            single_line(&j.judge),
            j.agreed,
            crate::textfmt::count(j.rounds, "round"),
            percent(j.agreed, j.rounds)
        );
        if j.unparseable > 0 {
            text.push_str(&format!(" · {} unparseable", j.unparseable));
        }
        lines.push(Line::styled(text, theme.hint_text));
    }
    lines.push(Line::default());
    lines.push(Line::styled(" Sighted adoptions (★)", theme.title));
    if b.adoptions.is_empty() {
        lines.push(Line::styled(" no answers saved yet", theme.dim));
    }
    let name_w = width.saturating_sub(30).clamp(8, 40);
    lines.push(Line::styled(
        format!(
            " {:<name_w$} {:>7} {:>7} {:>6}",
            "model", "adopted", "answers", "tok/s"
        ),
        theme.dim,
    ));
    for s in &b.adoptions {
        let mut m: String = single_line(&s.model).into_owned();
        if m.chars().count() > name_w {
            m = m.chars().take(name_w - 1).collect::<String>() + "…";
        }
        let speed = median(&s.speeds).map_or("-".into(), |t| format!("{t:.0}"));
        lines.push(Line::styled(
            format!(" {m:<name_w$} {:>7} {:>7} {speed:>6}", s.adopted, s.answers),
            theme.text,
        ));
    }
    lines
}

pub fn leaderboard(f: &mut Frame, area: Rect, board: &Scoreboard, theme: &Theme) -> (usize, usize) {
    let outer = large_area(area);
    let lines = leaderboard_lines(board, outer.width.saturating_sub(2) as usize, theme);
    page(
        f,
        outer,
        " Ratings: all sessions ".into(),
        lines,
        board.scroll,
        theme,
    )
}
