//! Word diff of two answers: markdown prose compared word by word, fenced code line by line,
//! each side cut at a size cap so a diff costs the same however long the answers grow.

use std::time::{Duration, Instant};

use similar::{Algorithm, DiffOp, capture_diff_slices_deadline};

/// Each answer is compared up to this many bytes; the rest is left out, and said so.
pub const DIFF_CAP_BYTES: usize = 32 * 1024;

/// How long a diff may search for the smallest set of changes: two answers with little in
/// common would otherwise take half a second at the cap. Past it, the changes found are
/// coarser (more text marked as changed), never wrong.
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
}

/// `text` up to `cap` bytes, on a character boundary.
fn capped(text: &str, cap: usize) -> (&str, bool) {
    if text.len() <= cap {
        return (text, false);
    }
    let mut end = cap;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    (&text[..end], true)
}

/// The tokens compared: a word or a run of spaces in prose, a whole line inside a fenced
/// code block (a changed line of code reads better whole than in scattered words).
fn tokens(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut in_code = false;
    for line in text.split_inclusive('\n') {
        let fence = line.trim_start().starts_with("```") || line.trim_start().starts_with("~~~");
        if in_code || fence {
            out.push(line);
            if fence {
                in_code = !in_code;
            }
            continue;
        }
        // Words and the spaces between them are tokens of their own: an answer still
        // streaming ends without the space that will follow its last word.
        let mut start = 0;
        let mut space = None;
        for (i, c) in line.char_indices() {
            let is_space = c.is_whitespace();
            if space.is_some_and(|s| s != is_space) {
                out.push(&line[start..i]);
                start = i;
            }
            space = Some(is_space);
        }
        if start < line.len() {
            out.push(&line[start..]);
        }
    }
    out
}

/// The diff from `old` to `new`: what they share, what only `new` has (added) and what only
/// `old` has (removed), in reading order.
pub fn diff(old: &str, new: &str) -> Diff {
    let (old, cut_old) = capped(old, DIFF_CAP_BYTES);
    let (new, cut_new) = capped(new, DIFF_CAP_BYTES);
    let (a, b) = (tokens(old), tokens(new));
    let mut pieces: Vec<Piece> = Vec::new();
    let mut push = |change: Change, words: &[&str]| {
        if words.is_empty() {
            return;
        }
        let text: String = words.concat();
        match pieces.last_mut() {
            Some(last) if last.change == change => last.text.push_str(&text),
            _ => pieces.push(Piece { change, text }),
        }
    };
    let deadline = Instant::now() + DIFF_DEADLINE;
    for op in capture_diff_slices_deadline(Algorithm::Patience, &a, &b, Some(deadline)) {
        match op {
            DiffOp::Equal { old_index, len, .. } => {
                push(Change::Same, &a[old_index..old_index + len]);
            }
            DiffOp::Delete {
                old_index, old_len, ..
            } => push(Change::Removed, &a[old_index..old_index + old_len]),
            DiffOp::Insert {
                new_index, new_len, ..
            } => push(Change::Added, &b[new_index..new_index + new_len]),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                push(Change::Removed, &a[old_index..old_index + old_len]);
                push(Change::Added, &b[new_index..new_index + new_len]);
            }
        }
    }
    Diff {
        pieces,
        capped: cut_old || cut_new,
    }
}

#[cfg(test)]
mod tests;
