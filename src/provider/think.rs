//! Splits reasoning sent inline as `<think>…</think>` at the start of the content from the
//! answer after it, however the tags are cut across chunks.

const OPEN: &str = "<think>";
const CLOSE: &str = "</think>";

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Nothing but whitespace yet: a `<think>` may still come.
    #[default]
    Start,
    /// Inside the tags: content is reasoning.
    Inside,
    /// After `</think>`, or the content never opened one: content is answer text.
    Answer,
}

/// What a piece of content turned out to be.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Split {
    pub reasoning: String,
    pub text: String,
    /// The opening tag was seen in this piece, after this whitespace.
    pub opened: Option<String>,
    /// The closing tag was seen in this piece.
    pub closed: bool,
}

#[derive(Debug, Default)]
pub struct ThinkSplitter {
    phase: Phase,
    /// Content held back because it may be the start of a tag.
    held: String,
}

/// The length of the longest suffix of `s` that is a proper prefix of `tag`.
fn partial_tag_suffix(s: &str, tag: &str) -> usize {
    (1..tag.len().min(s.len() + 1))
        .rev()
        .find(|&n| s.is_char_boundary(s.len() - n) && tag.starts_with(&s[s.len() - n..]))
        .unwrap_or(0)
}

impl ThinkSplitter {
    /// Feeds a piece of content.
    pub fn push(&mut self, piece: &str) -> Split {
        let mut out = Split::default();
        if self.phase == Phase::Answer {
            out.text.push_str(piece);
            return out;
        }
        self.held.push_str(piece);
        if self.phase == Phase::Start {
            let trimmed = self.held.trim_start();
            if trimmed.is_empty() || (OPEN.starts_with(trimmed) && trimmed.len() < OPEN.len()) {
                return out;
            }
            if let Some(rest) = trimmed.strip_prefix(OPEN) {
                let lead = self.held[..self.held.len() - trimmed.len()].to_string();
                self.held = rest.to_string();
                self.phase = Phase::Inside;
                out.opened = Some(lead);
            } else {
                self.phase = Phase::Answer;
                out.text = std::mem::take(&mut self.held);
                return out;
            }
        }
        if let Some(at) = self.held.find(CLOSE) {
            out.reasoning.push_str(&self.held[..at]);
            out.text.push_str(&self.held[at + CLOSE.len()..]);
            out.closed = true;
            self.held.clear();
            self.phase = Phase::Answer;
            return out;
        }
        let keep = partial_tag_suffix(&self.held, CLOSE);
        let cut = self.held.len() - keep;
        out.reasoning.push_str(&self.held[..cut]);
        self.held.drain(..cut);
        out
    }

    /// The end of the content: what was held back, and whether a `<think>` never closed.
    pub fn finish(&mut self) -> (Split, bool) {
        let held = std::mem::take(&mut self.held);
        let mut out = Split::default();
        let unclosed = self.phase == Phase::Inside;
        match self.phase {
            Phase::Inside => out.reasoning = held,
            Phase::Start | Phase::Answer => out.text = held,
        }
        self.phase = Phase::Answer;
        (out, unclosed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(pieces: &[&str]) -> (String, String, bool, bool) {
        let mut s = ThinkSplitter::default();
        let (mut r, mut t, mut opened) = (String::new(), String::new(), false);
        for p in pieces {
            let out = s.push(p);
            r.push_str(&out.reasoning);
            t.push_str(&out.text);
            opened |= out.opened.is_some();
        }
        let (out, unclosed) = s.finish();
        r.push_str(&out.reasoning);
        t.push_str(&out.text);
        (r, t, opened, unclosed)
    }

    #[test]
    fn tags_cut_at_every_offset_split_the_same() {
        let whole =
            "\n<think>\nLet me see: 2 < 3 and </thin is not a tag.\n</think>\n\nThe answer is 4.";
        let expected = (
            "\nLet me see: 2 < 3 and </thin is not a tag.\n".to_string(),
            "\n\nThe answer is 4.".to_string(),
            true,
            false,
        );
        for i in 0..=whole.len() {
            for j in i..=whole.len() {
                let pieces = [&whole[..i], &whole[i..j], &whole[j..]];
                assert_eq!(run(&pieces), expected, "cut at {i}, {j}");
            }
        }
    }

    #[test]
    fn content_without_tags_is_text_and_an_unclosed_think_stays_reasoning() {
        assert_eq!(
            run(&["<thi", "s is not it"]),
            (String::new(), "<this is not it".into(), false, false)
        );
        assert_eq!(run(&["<th"]), (String::new(), "<th".into(), false, false));
        assert_eq!(
            run(&["<think>still ", "thinking</thi"]),
            ("still thinking</thi".into(), String::new(), true, true)
        );
        assert_eq!(
            run(&["Hello <think>x</think>"]),
            (String::new(), "Hello <think>x</think>".into(), false, false),
            "only a tag at the start counts"
        );
    }
}
