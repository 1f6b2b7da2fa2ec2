//! Layout math, shared by `update` (scrolling, mouse hits) and the views: where the panes,
//! the editor and the status lines go for a terminal size.

/// A rectangle of cells.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Area {
    pub x: u16,
    pub y: u16,
    pub w: u16,
    pub h: u16,
}

impl Area {
    pub fn contains(&self, col: u16, row: u16) -> bool {
        col >= self.x && col < self.x + self.w && row >= self.y && row < self.y + self.h
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ScreenLayout {
    /// One area per pane; hidden panes (zoom, stack) get an empty area.
    pub panes: Vec<Area>,
    /// Stack mode: a one-line summary for each other pane.
    pub strip: Vec<(usize, Area)>,
    /// Stack mode, when not every pane has a line: how many are left out, and where to say so.
    pub more: Option<(usize, Area)>,
    pub editor: Area,
    pub status: Area,
    pub hints: Area,
}

pub const MIN_PANE_W: u16 = 32;
pub const MIN_PANE_H: u16 = 6;
/// The focused pane in stack mode: its title, three lines, its footer.
const STACK_PANE_H: u16 = 5;
const MAX_EDITOR_LINES: u16 = 6;

/// Places everything for a `width` x `height` terminal.
pub fn screen_layout(
    width: u16,
    height: u16,
    panes: usize,
    focused: usize,
    zoomed: bool,
    editor_lines: usize,
) -> ScreenLayout {
    let mut out = ScreenLayout::default();
    let footer = 2.min(height);
    out.status = Area {
        x: 0,
        y: height - footer,
        w: width,
        h: footer.min(1),
    };
    out.hints = Area {
        x: 0,
        y: height.saturating_sub(1),
        w: width,
        h: footer.saturating_sub(1),
    };
    let body_h = height - footer;
    let editor_h = if zoomed {
        0
    } else {
        (editor_lines.clamp(1, MAX_EDITOR_LINES as usize) as u16 + 2).min(body_h)
    };
    out.editor = Area {
        x: 0,
        y: body_h - editor_h,
        w: width,
        h: editor_h,
    };
    let area = Area {
        x: 0,
        y: 0,
        w: width,
        h: body_h - editor_h,
    };
    out.panes = vec![Area::default(); panes];
    if panes == 0 || area.h == 0 {
        return out;
    }
    let focused = focused.min(panes - 1);
    if zoomed {
        out.panes[focused] = area;
        return out;
    }
    // The grid whose smallest pane reads best: width counts half as much as height, since
    // a cell is about twice as tall as it is wide.
    let best = (1..=panes)
        .filter_map(|rows| {
            let cols = panes.div_ceil(rows);
            let (pw, ph) = (area.w / cols as u16, area.h / rows as u16);
            (pw >= MIN_PANE_W.min(area.w) && ph >= MIN_PANE_H).then_some((
                pw.min(ph.saturating_mul(2)),
                rows,
                cols,
            ))
        })
        .max_by_key(|(score, rows, _)| (*score, std::cmp::Reverse(*rows)));
    if let Some((_, rows, cols)) = best {
        let row_heights = split(area.h, rows);
        let mut y = area.y;
        for (r, rh) in row_heights.into_iter().enumerate() {
            let in_row = (panes - r * cols).min(cols);
            let mut x = area.x;
            for (c, cw) in split(area.w, in_row).into_iter().enumerate() {
                out.panes[r * cols + c] = Area { x, y, w: cw, h: rh };
                x += cw;
            }
            y += rh;
        }
        return out;
    }
    // Too short for a grid: the focused pane gets the room, the others one line each, and
    // what does not fit is counted (`+2 more`). Too short even for a box: lines only.
    let line = |y| Area {
        x: area.x,
        y,
        w: area.w,
        h: 1,
    };
    // A box needs its title, a line and its footer, and room for the others' lines or count.
    let boxed = area.h > 3 || (area.h == 3 && panes == 1);
    let mut order: Vec<usize> = (0..panes).filter(|i| *i != focused).collect();
    if !boxed {
        order.insert(0, focused);
    }
    let pane_h = if boxed { STACK_PANE_H.min(area.h) } else { 0 };
    let mut room = (area.h - pane_h) as usize;
    if boxed && room == 0 && !order.is_empty() && area.h > 3 {
        room = 1;
    }
    let (shown, left_out) = if order.len() <= room {
        (order.len(), 0)
    } else {
        let shown = room.saturating_sub(1);
        (shown, order.len() - shown)
    };
    let mut y = area.y;
    if shown == 0 && room == 1 && order.len() > 1 && area.w >= 20 {
        // One line for several panes: the first, and the count of the rest beside it.
        let rest = order.len() - 1;
        let count_w = 7 + rest.to_string().len() as u16;
        let mut first = line(y);
        first.w -= count_w;
        out.strip.push((order[0], first));
        out.more = Some((
            rest,
            Area {
                x: area.x + first.w,
                y,
                w: count_w,
                h: 1,
            },
        ));
        y += 1;
    } else {
        for &i in order.iter().take(shown) {
            out.strip.push((i, line(y)));
            y += 1;
        }
        if left_out > 0 && room > 0 {
            out.more = Some((left_out, line(y)));
            y += 1;
        }
    }
    if boxed {
        out.panes[focused] = Area {
            x: area.x,
            y,
            w: area.w,
            h: area.h - (y - area.y),
        };
    }
    out
}

/// Splits `total` into `n` near-equal parts, the larger ones first.
fn split(total: u16, n: usize) -> Vec<u16> {
    let n16 = n as u16;
    (0..n16)
        .map(|i| total / n16 + u16::from(i < total % n16))
        .collect()
}

#[cfg(test)]
mod tests;
