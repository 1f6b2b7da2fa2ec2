//! Incremental word wrapping. Greedy wrapping is stable under appends: only the last line
//! can change when text grows, so a stream re-wraps just that line and the new text, and the
//! cost of a frame does not grow with the length of an answer.

use unicode_width::UnicodeWidthChar;

/// Display width of a character as the views draw it: tabs take 4 cells, control
/// characters become one visible symbol.
pub fn char_width(c: char) -> usize {
    match c {
        '\t' => 4,
        c if c.is_control() => 1,
        c => c.width().unwrap_or(1),
    }
}

/// Wrapped lines of one growing string, as byte ranges into it.
#[derive(Clone, Debug, Default)]
pub struct Wrap {
    width: usize,
    /// Length of the text when last wrapped.
    len: usize,
    pub lines: Vec<(usize, usize)>,
}

impl Wrap {
    /// Brings the lines up to date with `text` (which only grew since the last call, or was
    /// replaced: a shorter text or another width re-wraps everything).
    pub fn update(&mut self, text: &str, width: usize) {
        let width = width.max(1);
        if width != self.width || text.len() < self.len || self.lines.is_empty() {
            self.width = width;
            self.lines.clear();
            wrap_from(text, 0, width, &mut self.lines);
        } else if text.len() > self.len {
            let start = self.lines.pop().map_or(0, |(s, _)| s);
            wrap_from(text, start, width, &mut self.lines);
        }
        self.len = text.len();
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }
}

/// Greedy word wrap of `text[start..]`, which begins at a line start.
fn wrap_from(text: &str, start: usize, width: usize, out: &mut Vec<(usize, usize)>) {
    let mut para_start = start;
    loop {
        let para_end = text[para_start..]
            .find('\n')
            .map_or(text.len(), |i| para_start + i);
        wrap_paragraph(text, para_start, para_end, width, out);
        if para_end >= text.len() {
            break;
        }
        para_start = para_end + 1;
    }
}

fn wrap_paragraph(
    text: &str,
    start: usize,
    end: usize,
    width: usize,
    out: &mut Vec<(usize, usize)>,
) {
    let mut line_start = start;
    let mut col = 0usize;
    // Where the line may break (just after a space), and the columns used up to there.
    let mut brk: Option<(usize, usize)> = None;
    for (off, ch) in text[start..end].char_indices() {
        let i = start + off;
        let w = char_width(ch);
        if col + w > width && i > line_start {
            match brk.filter(|(b, _)| *b > line_start && *b <= i) {
                Some((b, used)) => {
                    out.push((line_start, b));
                    line_start = b;
                    col -= used;
                }
                None => {
                    out.push((line_start, i));
                    line_start = i;
                    col = 0;
                }
            }
            brk = None;
        }
        col += w;
        if ch == ' ' {
            brk = Some((i + 1, col));
        }
    }
    out.push((line_start, end));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines<'a>(text: &'a str, w: &Wrap) -> Vec<&'a str> {
        w.lines.iter().map(|(s, e)| &text[*s..*e]).collect()
    }

    #[test]
    fn wraps_at_spaces_and_breaks_long_words() {
        let text = "the quick brown fox\njumps\n\nabcdefghijkl";
        let mut w = Wrap::default();
        w.update(text, 10);
        assert_eq!(
            lines(text, &w),
            vec!["the quick ", "brown fox", "jumps", "", "abcdefghij", "kl"]
        );
    }

    #[test]
    fn wide_characters_count_double() {
        let text = "日本語のテキスト";
        let mut w = Wrap::default();
        w.update(text, 6);
        assert_eq!(lines(text, &w), vec!["日本語", "のテキ", "スト"]);
    }

    #[test]
    fn growing_text_wraps_like_a_one_shot_wrap() {
        let full = "Lorem ipsum dolor sit amet, consectetur adipiscing elit.\nSed do eiusmod tempor 日本語 incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud.\n\nEnd";
        for width in [1, 7, 13, 40] {
            let mut inc = Wrap::default();
            let mut cut = 0;
            while cut < full.len() {
                cut = (cut + 3).min(full.len());
                while !full.is_char_boundary(cut) {
                    cut += 1;
                }
                inc.update(&full[..cut], width);
            }
            let mut once = Wrap::default();
            once.update(full, width);
            assert_eq!(inc.lines, once.lines, "width {width}");
        }
    }

    #[test]
    fn width_change_rewraps() {
        let text = "aaa bbb ccc";
        let mut w = Wrap::default();
        w.update(text, 4);
        assert_eq!(w.len(), 3);
        w.update(text, 20);
        assert_eq!(w.len(), 1);
    }
}
