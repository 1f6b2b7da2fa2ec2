//! One pane: a bordered block titled with the model (and who really served it), the
//! transcript, and a footer with status, speed, tokens and cost.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Paragraph};

use crate::sanitize::single_line;
use crate::state::context::Fill;
use crate::state::panes::Pane;
use crate::theme::Theme;

mod footer;
mod sparkline;
pub use footer::footer;

use super::transcript::{At, Place, ViewCache, visible_lines};

/// Keeps the parts that fit in `width`, dropping the least important first (a lower rank is
/// more important), and shows the kept ones in their original order.
pub(super) fn fit<'a>(parts: Vec<(u8, Vec<Span<'a>>)>, width: usize) -> Line<'a> {
    let mut keep: Vec<bool> = vec![true; parts.len()];
    let size = |p: &Vec<Span<'a>>| p.iter().map(|s| s.width()).sum::<usize>();
    let mut total: usize = parts.iter().map(|(_, p)| size(p)).sum();
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.sort_by_key(|i| std::cmp::Reverse(parts[*i].0));
    for i in order {
        if total <= width || parts[i].0 == 0 {
            continue;
        }
        keep[i] = false;
        total -= size(&parts[i].1);
    }
    Line::from(
        parts
            .into_iter()
            .zip(keep)
            .filter(|(_, k)| *k)
            .flat_map(|((_, p), _)| p)
            .collect::<Vec<_>>(),
    )
}

/// How a pane is named: by number, or by letter in a blind round, with the model hidden
/// until the vote.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Naming {
    pub index: usize,
    pub blind: bool,
    pub hidden: bool,
}

impl Naming {
    fn label(self) -> String {
        if self.blind {
            crate::state::arena::letter(self.index).to_string()
        } else {
            (self.index + 1).to_string()
        }
    }
}

/// The title: number, model, `→ served-model` when another model answered (never dropped:
/// a fallback must not be silent), and the provider when there is room. Hidden, only the
/// pane's letter.
pub fn title<'a>(
    pane: &Pane,
    naming: Naming,
    adopted: bool,
    width: usize,
    theme: &Theme,
) -> Line<'a> {
    if naming.hidden {
        return Line::from(vec![
            Span::styled(format!(" {} ", naming.label()), theme.title),
            Span::styled("(blind) ", theme.dim),
        ]);
    }
    let mut parts = vec![
        (
            0,
            vec![Span::styled(format!(" {} ", naming.label()), theme.dim)],
        ),
        (
            0,
            vec![Span::styled(
                single_line(&pane.model).into_owned(),
                theme.title,
            )],
        ),
    ];
    if let Some(turn) = pane.current() {
        let a = &turn.answer;
        if adopted {
            parts.push((0, vec![Span::styled(" ★", theme.selected)]));
        }
        // `box:llama3` served as `llama3` is the same model, reached through provider `box`.
        let same = |m: &str| m == pane.model || pane.model.ends_with(&format!(":{m}"));
        if let Some(served) = a.served_model.as_deref().filter(|m| !same(m)) {
            parts.push((
                0,
                vec![Span::styled(
                    format!(" → {}", single_line(served)),
                    theme.served_differs,
                )],
            ));
        }
        if let Some(p) = &a.provider {
            parts.push((
                2,
                vec![Span::styled(
                    format!(" via {}", single_line(p)),
                    theme.provider,
                )],
            ));
        }
    }
    parts.push((1, vec![Span::raw(" ")]));
    // Still too wide with only the essentials: shorten the asked-for model first (to 8
    // columns), then the one that served, which is never left out (a fallback is not silent).
    let essential = |parts: &[(u8, Vec<Span<'a>>)]| -> usize {
        parts
            .iter()
            .filter(|(r, _)| *r == 0)
            .flat_map(|(_, p)| p)
            .map(|s| s.width())
            .sum()
    };
    let shorten = |text: &str, room: usize| -> String {
        let mut s: String = text.chars().take(room.saturating_sub(1)).collect();
        s.push('…');
        s
    };
    let over = essential(&parts).saturating_sub(width);
    if over > 0 {
        let model_w = parts[1].1[0].width();
        let room = model_w.saturating_sub(over).max(8.min(model_w));
        if room < model_w {
            parts[1].1[0] = Span::styled(shorten(&single_line(&pane.model), room), theme.title);
        }
    }
    let over = essential(&parts).saturating_sub(width);
    if over > 0
        && let Some(i) = parts
            .iter()
            .position(|(_, p)| p.first().is_some_and(|s| s.content.starts_with(" → ")))
    {
        let text = parts[i].1[0].content.to_string();
        let len = text.chars().count();
        let room = len.saturating_sub(over).max(6);
        if room < len {
            parts[i].1[0] = Span::styled(shorten(&text, room), theme.served_differs);
        }
    }
    fit(parts, width)
}

/// Where and how a pane is drawn.
pub struct PaneSlot<'p> {
    pub area: Rect,
    pub naming: Naming,
    pub focused: bool,
    /// This pane's answer is its round's adopted winner.
    pub adopted: bool,
    /// The model runs on a local provider.
    pub local: bool,
    pub now: std::time::Duration,
    /// How full the model's context would be with the prompt being typed.
    pub ctx: Option<Fill>,
    /// Where its window is (the pane's own scroll, unless it follows another's).
    pub at: At<'p>,
}

/// What drawing a pane tells the next frame: (total lines, visible height, the first line
/// shown when not following the tail), and where its window is when it leads.
pub type Drawn = ((usize, usize, Option<usize>), Option<Place>);

/// Draws a pane; see [`Drawn`].
pub fn draw_pane(
    frame: &mut Frame,
    slot: PaneSlot<'_>,
    pane: &Pane,
    cache: &mut ViewCache,
    theme: &Theme,
) -> Drawn {
    let PaneSlot {
        area,
        naming,
        focused,
        adopted,
        local,
        now,
        ctx,
        at,
    } = slot;
    let border = if focused {
        theme.border_focused
    } else {
        theme.border
    };
    let width = area.width.saturating_sub(2) as usize;
    // A heavy border marks focus without colour (NO_COLOR, monochrome terminals).
    let block = Block::default()
        .borders(Borders::ALL)
        .border_type(if focused {
            BorderType::Thick
        } else {
            BorderType::Plain
        })
        .border_style(border)
        .title(title(pane, naming, adopted, width, theme))
        .title_bottom(footer(pane, now, width, (local, naming.hidden, ctx), theme));

    let inner = block.inner(area);
    frame.render_widget(block, area);
    let height = inner.height as usize;
    if width == 0 || height == 0 {
        return ((0, 0, None), None);
    }
    if pane.turns.is_empty() {
        let hint = Paragraph::new(Line::styled("waiting for a prompt", theme.dim));
        frame.render_widget(hint, inner);
        return ((0, height, None), None);
    }
    let shown = visible_lines(
        cache,
        pane,
        (width, height),
        (now, naming.hidden, at),
        theme,
    );
    frame.render_widget(Paragraph::new(shown.lines), inner);
    let top = (!at.scroll.follow || at.follow.is_some()).then_some(shown.top);
    ((shown.total, height, top), shown.place)
}

/// A one-line summary of a pane (stack mode): `2 model · status · cost`.
pub fn summary_line<'a>(
    pane: &Pane,
    naming: Naming,
    (now, ctx): (std::time::Duration, Option<Fill>),
    width: usize,
    theme: &Theme,
) -> Line<'a> {
    let mut line = title(pane, naming, false, width / 2, theme);
    let rest = width.saturating_sub(line.width());
    line.spans
        .extend(footer(pane, now, rest, (false, naming.hidden, ctx), theme).spans);
    line
}
