//! Word diff of two answers: lines matched first (fenced code stays line by line), then the
//! prose lines that changed compared word by word; each side cut at a size cap and the search
//! bounded in time, so a diff costs the same however long the answers grow.

use std::borrow::Cow;
use std::time::{Duration, Instant};

use similar::{Algorithm, DiffOp, capture_diff_slices_deadline};
use unicode_segmentation::UnicodeSegmentation;

/// Each answer is compared up to this many bytes; the rest is left out, and said so.
pub const DIFF_CAP_BYTES: usize = 32 * 1024;

/// How long a diff may search. Lines are matched first, so even past it the words of the
/// lines that changed are compared; a search cut short marks a changed stretch whole.
pub const DIFF_DEADLINE: Duration = Duration::from_millis(15);

/// Which side a piece of text belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    Same,
    /// Only in the other answer.
    Added,
    /// Only in this one.
    Removed,
}

/// A run of text on one side of the diff.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Piece {
    pub change: Change,
    pub text: String,
}

/// The diff of two answers, and whether either was cut at [`DIFF_CAP_BYTES`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diff {
    pub pieces: Vec<Piece>,
    pub capped: bool,
    /// The search ran out of time: some changed stretches are marked whole.
    pub cut_short: bool,
}

/// `text` with `\r\n` as `\n`, up to `cap` bytes on a character boundary.
fn prepared(text: &str, cap: usize) -> (Cow<'_, str>, bool) {
    let text: Cow<'_, str> = if text.contains('\r') {
        Cow::Owned(text.replace("\r\n", "\n"))
    } else {
        Cow::Borrowed(text)
    };
    if text.len() <= cap {
        return (text, false);
    }
    let mut end = cap;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    (Cow::Owned(text[..end].to_string()), true)
}

/// The lines of `text`, each marked as inside a fenced code block (fence lines included) or
/// not. A fence closes only with the character it opened with, at least as many times, and
/// nothing after it; a line indented four spaces or more is never a fence, nor is a run of
/// backticks with another backtick after it.
fn lines(text: &str) -> Vec<(&str, bool)> {
    let mut out = Vec::new();
    let mut open: Option<(char, usize)> = None;
    for line in text.split_inclusive('\n') {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let body = line.trim_start_matches(' ');
        let fence = (indent < 4)
            .then(|| {
                let c = body.chars().next().filter(|c| *c == '`' || *c == '~')?;
                let n = body.chars().take_while(|x| *x == c).count();
                (n >= 3).then_some((c, n))
            })
            .flatten();
        match (open, fence) {
            // A backtick fence's info string holds no backtick (CommonMark): `` ```a`b `` is
            // prose with inline code, not a fence.
            (None, Some((c, n))) if c == '`' && body[n..].contains('`') => out.push((line, false)),
            (None, Some(f)) => {
                open = Some(f);
                out.push((line, true));
            }
            (Some((c, n)), Some((fc, fnum)))
                if fc == c && fnum >= n && body[fnum * c.len_utf8()..].trim().is_empty() =>
            {
                open = None;
                out.push((line, true));
            }
            (Some(_), _) => out.push((line, true)),
            (None, None) => out.push((line, false)),
        }
    }
    out
}

/// Collects pieces, merging runs of the same change.
#[derive(Default)]
struct Pieces(Vec<Piece>);

impl Pieces {
    fn push(&mut self, change: Change, text: &str) {
        if text.is_empty() {
            return;
        }
        match self.0.last_mut() {
            Some(last) if last.change == change => last.text.push_str(text),
            _ => self.0.push(Piece {
                change,
                text: text.to_string(),
            }),
        }
    }
}

/// The tokens of `lines`: words of prose, whole lines of code.
fn tokens<'a>(lines: &[(&'a str, bool)]) -> Vec<&'a str> {
    let mut out = Vec::new();
    for &(line, code) in lines {
        if code {
            out.push(line);
        } else {
            out.extend(line.split_word_bounds());
        }
    }
    out
}

/// Word by word (Unicode word boundaries: a CJK character, a word, a run of spaces or a
/// mark of punctuation each count) in the prose of lines that changed; a line of fenced code
/// stays one token.
fn words(out: &mut Pieces, old: &[(&str, bool)], new: &[(&str, bool)], deadline: Instant) {
    let (a, b) = (tokens(old), tokens(new));
    for op in capture_diff_slices_deadline(Algorithm::Myers, &a, &b, Some(deadline)) {
        let (o, n) = (op.old_range(), op.new_range());
        match op {
            DiffOp::Equal { .. } => out.push(Change::Same, &a[o].concat()),
            _ => {
                out.push(Change::Removed, &a[o].concat());
                out.push(Change::Added, &b[n].concat());
            }
        }
    }
}

/// The diff from `old` to `new`: what they share, what only `new` has (added) and what only
/// `old` has (removed), in reading order.
pub fn diff(old: &str, new: &str) -> Diff {
    let (old, cut_old) = prepared(old, DIFF_CAP_BYTES);
    let (new, cut_new) = prepared(new, DIFF_CAP_BYTES);
    let (a, b) = (lines(&old), lines(&new));
    let (la, lb): (Vec<&str>, Vec<&str>) = (
        a.iter().map(|(l, _)| *l).collect(),
        b.iter().map(|(l, _)| *l).collect(),
    );
    let deadline = Instant::now() + DIFF_DEADLINE;
    let mut out = Pieces::default();
    for op in capture_diff_slices_deadline(Algorithm::Patience, &la, &lb, Some(deadline)) {
        let (o, n) = (op.old_range(), op.new_range());
        match op {
            DiffOp::Equal { .. } => out.push(Change::Same, &la[o].concat()),
            DiffOp::Replace { .. } => words(&mut out, &a[o], &b[n], deadline),
            _ => {
                out.push(Change::Removed, &la[o].concat());
                out.push(Change::Added, &lb[n].concat());
            }
        }
    }
    Diff {
        pieces: joined(out.0),
        capped: cut_old || cut_new,
        cut_short: Instant::now() >= deadline,
    }
}

/// Changes separated only by spaces read as one change: `[-here is how-]{+good question+}`
/// rather than every other word struck out. A line break still separates them.
fn joined(pieces: Vec<Piece>) -> Vec<Piece> {
    let mut out = Pieces::default();
    let mut i = 0;
    while i < pieces.len() {
        if pieces[i].change == Change::Same {
            out.push(Change::Same, &pieces[i].text);
            i += 1;
            continue;
        }
        let (mut removed, mut added) = (String::new(), String::new());
        while let Some(p) = pieces.get(i) {
            let gap = p.change == Change::Same
                && p.text.chars().all(|c| c == ' ' || c == '\t')
                && pieces.get(i + 1).is_some_and(|n| n.change != Change::Same);
            match p.change {
                Change::Removed => removed.push_str(&p.text),
                Change::Added => added.push_str(&p.text),
                Change::Same if gap => {
                    removed.push_str(&p.text);
                    added.push_str(&p.text);
                }
                Change::Same => break,
            }
            i += 1;
        }
        out.push(Change::Removed, &removed);
        out.push(Change::Added, &added);
    }
    out.0
}

/// How much of `d` the two answers share, in bytes of `Same` text.
pub fn shared_bytes(d: &Diff) -> usize {
    d.pieces
        .iter()
        .filter(|p| p.change == Change::Same)
        .map(|p| p.text.len())
        .sum()
}

#[cfg(test)]
mod tests;
