//! Tables that fit the pane: columns shrink (widest first) and cells wrap inside them; when
//! even that cannot fit, each row is shown as `header: value` lines.

use pulldown_cmark::Alignment;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::styled::{LineBuilder, width_of};

/// A cell: runs of text with their styles.
pub type Cell = Vec<(String, Style)>;

const MIN_COL: usize = 3;

pub struct TableStyles {
    pub border: Style,
    pub header: Style,
}

fn cell_lines(cell: &Cell, width: usize, bold: Option<Style>) -> Vec<Line<'static>> {
    let mut b = LineBuilder::new(width);
    for (text, style) in cell {
        let style = bold.map_or(*style, |h| style.patch(h));
        b.text(text, style, &mut []);
    }
    b.finish(&mut []);
    if b.lines.is_empty() {
        b.lines.push(Line::default());
    }
    b.lines
}

fn natural(cell: &Cell) -> usize {
    cell.iter().map(|(t, _)| width_of(t)).sum()
}

fn pad(line: Line<'static>, width: usize, align: Alignment) -> Vec<Span<'static>> {
    let used = line.width();
    let gap = width.saturating_sub(used);
    let (left, right) = match align {
        Alignment::Right => (gap, 0),
        Alignment::Center => (gap / 2, gap - gap / 2),
        _ => (0, gap),
    };
    let mut spans = vec![Span::raw(" ".repeat(left))];
    spans.extend(line.spans);
    spans.push(Span::raw(" ".repeat(right)));
    spans
}

/// Lays out `rows` (the first is the header) in at most `width` columns.
pub fn layout(
    rows: &[Vec<Cell>],
    aligns: &[Alignment],
    width: usize,
    st: &TableStyles,
) -> Vec<Vec<Span<'static>>> {
    let n = rows.iter().map(Vec::len).max().unwrap_or(0);
    if n == 0 {
        return Vec::new();
    }
    // "│ a │ b │": one bar per column plus one, and a space each side of every cell.
    let chrome = 3 * n + 1;
    let mut widths: Vec<usize> = (0..n)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(natural)
                .max()
                .unwrap_or(0)
                .max(MIN_COL)
        })
        .collect();
    if chrome + n * MIN_COL > width {
        return vertical(rows, width, st);
    }
    while chrome + widths.iter().sum::<usize>() > width {
        let (i, _) = widths
            .iter()
            .enumerate()
            .max_by_key(|(_, w)| **w)
            .unwrap_or((0, &0));
        widths[i] -= 1;
    }
    let bar = |s: &str| Span::styled(s.to_string(), st.border);
    let mut out = Vec::new();
    for (r, row) in rows.iter().enumerate() {
        let header = (r == 0).then_some(st.header);
        let empty = Cell::new();
        let cells: Vec<Vec<Line<'static>>> = (0..n)
            .map(|c| cell_lines(row.get(c).unwrap_or(&empty), widths[c], header))
            .collect();
        let height = cells.iter().map(Vec::len).max().unwrap_or(1);
        for i in 0..height {
            let mut spans = vec![bar("│")];
            for (c, lines) in cells.iter().enumerate() {
                let line = lines.get(i).cloned().unwrap_or_default();
                spans.push(Span::raw(" "));
                spans.extend(pad(
                    line,
                    widths[c],
                    aligns.get(c).copied().unwrap_or(Alignment::None),
                ));
                spans.push(Span::raw(" "));
                spans.push(bar("│"));
            }
            out.push(spans);
        }
        if r == 0 {
            let mut rule = String::from("├");
            for (c, w) in widths.iter().enumerate() {
                rule.push_str(&"─".repeat(w + 2));
                rule.push(if c + 1 == n { '┤' } else { '┼' });
            }
            out.push(vec![bar(&rule)]);
        }
    }
    out
}

/// Too narrow for columns: every body row as `header: value` lines, rows apart.
fn vertical(rows: &[Vec<Cell>], width: usize, st: &TableStyles) -> Vec<Vec<Span<'static>>> {
    let header: Vec<String> = rows[0]
        .iter()
        .map(|c| c.iter().map(|(t, _)| t.as_str()).collect())
        .collect();
    let mut out = Vec::new();
    for (r, row) in rows.iter().enumerate().skip(1) {
        if r > 1 {
            out.push(vec![Span::styled("─".repeat(width.min(8)), st.border)]);
        }
        for (c, cell) in row.iter().enumerate() {
            let mut labelled: Cell = vec![(
                format!("{}: ", header.get(c).map_or("", String::as_str)),
                st.header,
            )];
            labelled.extend(cell.iter().cloned());
            for line in cell_lines(&labelled, width, None) {
                out.push(line.spans);
            }
        }
    }
    out
}
