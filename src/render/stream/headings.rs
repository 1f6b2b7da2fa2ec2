//! The headings of a streaming answer, by line: what panes scrolled together line up on.
//! Found in O(log n) by line and in O(1) by text, so a frame's cost does not grow with the
//! answer.

use std::collections::HashMap;

/// A heading: its first line, its text as compared (trimmed, lowercase), and which heading of
/// that text it is (the same heading twice is told apart by order).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heading {
    pub line: usize,
    pub text: String,
    pub nth: usize,
}

#[derive(Debug, Default)]
pub struct Headings {
    /// Of the finished blocks, in line order.
    stable: Vec<Heading>,
    by_text: HashMap<(String, usize), usize>,
    counts: HashMap<String, usize>,
    /// Of the tail, rendered again as it grows.
    tail: Vec<Heading>,
}

impl Headings {
    fn heading(&self, line: usize, text: &str, earlier: usize) -> Heading {
        let text = text.trim().to_lowercase();
        let nth = self.counts.get(&text).copied().unwrap_or(0) + earlier;
        Heading { line, text, nth }
    }

    pub fn push(&mut self, line: usize, text: &str) {
        let h = self.heading(line, text, 0);
        *self.counts.entry(h.text.clone()).or_default() += 1;
        self.by_text.insert((h.text.clone(), h.nth), h.line);
        self.stable.push(h);
    }

    /// The tail's headings (lines counted from the answer's start), replacing the last ones.
    pub fn set_tail(&mut self, tail: impl IntoIterator<Item = (usize, String)>) {
        self.tail.clear();
        for (line, text) in tail {
            let same = |h: &&Heading| h.text == text.trim().to_lowercase();
            let earlier = self.tail.iter().filter(same).count();
            let h = self.heading(line, &text, earlier);
            self.tail.push(h);
        }
    }

    /// The last heading at or above `line`.
    pub fn above(&self, line: usize) -> Option<&Heading> {
        let in_tail = self.tail.iter().rev().find(|h| h.line <= line);
        in_tail.or_else(|| {
            let n = self.stable.partition_point(|h| h.line <= line);
            n.checked_sub(1).map(|i| &self.stable[i])
        })
    }

    /// The line of the `nth` heading reading `text` (as compared).
    pub fn line_of(&self, text: &str, nth: usize) -> Option<usize> {
        let key = (text.to_string(), nth);
        self.by_text.get(&key).copied().or_else(|| {
            self.tail
                .iter()
                .find(|h| h.text == text && h.nth == nth)
                .map(|h| h.line)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn found_by_line_and_by_text_in_order() {
        let mut h = Headings::default();
        h.push(3, " Setup ");
        h.push(10, "Example");
        h.push(20, "example");
        h.set_tail([(30, "Example".to_string())]);
        assert_eq!(h.above(2), None);
        assert_eq!(
            h.above(15).map(|x| (x.text.as_str(), x.nth)),
            Some(("example", 0))
        );
        assert_eq!(h.above(25).map(|x| x.nth), Some(1));
        assert_eq!(h.above(31).map(|x| (x.line, x.nth)), Some((30, 2)));
        assert_eq!(h.line_of("setup", 0), Some(3));
        assert_eq!(h.line_of("example", 1), Some(20));
        assert_eq!(h.line_of("example", 2), Some(30));
        assert_eq!(h.line_of("example", 3), None);
    }
}
