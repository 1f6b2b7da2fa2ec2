//! Markdown structure without drawing anything: where finished top-level blocks end in a
//! growing answer (so they can be rendered once), and the code blocks, numbered as the panes
//! number them, for copying.

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};

/// Finds the end of the part of a growing text made of finished top-level blocks. Text after
/// that point may still change how it renders; text before it never does.
#[derive(Clone, Debug, Default)]
pub struct BlockScanner {
    scanned: usize,
    fence: Option<(char, usize)>,
    blank: bool,
    in_list: bool,
    /// Everything before this offset is finished blocks.
    pub stable_end: usize,
    /// Where the fence that is still open begins, if its opening line is at column 0.
    pub open_fence: Option<usize>,
}

/// A fence's character and length when `trimmed` opens one (three or more ` or ~).
pub fn fence_open(trimmed: &str) -> Option<(char, usize)> {
    let ch = trimmed.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let n = trimmed.chars().take_while(|c| *c == ch).count();
    (n >= 3).then_some((ch, n))
}

/// Whether a line (without its indent) starts a list item: `- `, `* `, `+ `, `1. `, `1) `.
pub fn list_marker(trimmed: &str) -> bool {
    let b = trimmed.as_bytes();
    if matches!(b.first(), Some(b'-' | b'*' | b'+')) && matches!(b.get(1), Some(b' ') | None) {
        return true;
    }
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    digits > 0
        && matches!(b.get(digits), Some(b'.' | b')'))
        && matches!(b.get(digits + 1), Some(b' ') | None)
}

impl BlockScanner {
    /// Reads the complete lines added since the last call. `text` only ever grows.
    pub fn scan(&mut self, text: &str) {
        if text.len() < self.scanned {
            *self = BlockScanner::default();
        }
        while let Some(nl) = text[self.scanned..].find('\n') {
            let start = self.scanned;
            let line = &text[start..start + nl];
            self.scanned = start + nl + 1;
            let trimmed = line.trim_start();
            let indent = line.len() - trimmed.len();
            if let Some((ch, n)) = self.fence {
                let closes = indent <= 3
                    && fence_open(trimmed).is_some_and(|(c, m)| c == ch && m >= n)
                    && trimmed.trim_end().chars().all(|c| c == ch);
                if closes {
                    self.fence = None;
                    self.open_fence = None;
                }
                continue;
            }
            if trimmed.trim().is_empty() {
                self.blank = true;
                continue;
            }
            let is_item = list_marker(trimmed);
            // A new block starts at column 0 after a blank line, unless it is the next item of
            // the list before it (list numbering must stay in one piece).
            if self.blank && indent == 0 && !(self.in_list && is_item) {
                self.stable_end = start;
            }
            if indent == 0 {
                self.in_list = is_item;
            }
            self.blank = false;
            if indent <= 3
                && let Some(f) = fence_open(trimmed)
            {
                self.fence = Some(f);
                self.open_fence = (indent == 0).then_some(start);
            }
        }
    }
}

/// A fenced or indented code block: its fence language and its content, without fences.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeBlock {
    pub lang: String,
    pub code: String,
}

/// Every code block of `md`, in order; block N (from 1) is the one panes label `[N]`.
pub fn code_blocks(md: &str) -> Vec<CodeBlock> {
    let mut blocks = Vec::new();
    let mut current: Option<CodeBlock> = None;
    for event in Parser::new_ext(md, super::markdown::options()) {
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split([' ', ',', '{']).next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                current = Some(CodeBlock {
                    lang,
                    code: String::new(),
                });
            }
            Event::Text(t) => {
                if let Some(b) = &mut current {
                    b.code.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => blocks.extend(current.take()),
            _ => {}
        }
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stable(text: &str) -> &str {
        let mut s = BlockScanner::default();
        s.scan(text);
        &text[..s.stable_end]
    }

    #[test]
    fn blocks_end_at_a_blank_line_before_a_new_block() {
        assert_eq!(stable("para one\n\npara two\n"), "para one\n\n");
        assert_eq!(
            stable("para one\n\n  indented\n"),
            "",
            "indented text continues the block"
        );
        assert_eq!(stable("# Title\ntext\n"), "");
        assert_eq!(
            stable("a\n\n```rust\nfn x() {}\n\nlet y;\n```\n\nafter\n"),
            "a\n\n```rust\nfn x() {}\n\nlet y;\n```\n\n"
        );
        assert_eq!(
            stable("a\n\n```\ncode\n\nmore\n"),
            "a\n\n",
            "inside an open fence nothing is final"
        );
    }

    #[test]
    fn lists_stay_whole() {
        assert_eq!(stable("1. a\n\n1. b\n\n1. c\n"), "");
        assert_eq!(stable("- a\n\n- b\n\nText\n"), "- a\n\n- b\n\n");
        assert_eq!(stable("Intro\n\n1. a\n"), "Intro\n\n");
        assert_eq!(stable("Intro\n- a\n- b\n\n- c\n"), "");
    }

    #[test]
    fn incremental_scans_match_one_scan() {
        let text = "# H\n\npara\n\n- a\n- b\n\n```py\nx\n\ny\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nend\n";
        let whole = {
            let mut s = BlockScanner::default();
            s.scan(text);
            s.stable_end
        };
        for step in 1..7 {
            let mut s = BlockScanner::default();
            let mut cut = 0;
            while cut < text.len() {
                cut = (cut + step).min(text.len());
                s.scan(&text[..cut]);
            }
            assert_eq!(s.stable_end, whole, "step {step}");
        }
    }

    #[test]
    fn code_blocks_are_numbered_in_order() {
        let md = "x\n\n```rust\nfn a() {}\n```\n\n    indented\n\n~~~python title\nprint(1)\n~~~\n";
        let blocks = code_blocks(md);
        assert_eq!(blocks.len(), 3);
        assert_eq!(
            blocks[0],
            CodeBlock {
                lang: "rust".into(),
                code: "fn a() {}\n".into()
            }
        );
        assert_eq!(blocks[1].code, "indented\n");
        assert_eq!(blocks[2].lang, "python");
    }
}
