//! The chips above the prompt: each file waiting to go with it, with its size, as many as
//! fit the width, then how many more (`+2 more`). Long paths give way to their file names
//! before a chip is left out.

use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use crate::chat::attach::Attachment;
use crate::theme::Theme;

fn chip(a: &Attachment, short: bool) -> String {
    let name = if short {
        a.name.rsplit('/').next().unwrap_or(&a.name)
    } else {
        &a.name
    };
    let kind = if a.is_image() { "image " } else { "" };
    format!("[{kind}{name} {}]", crate::textfmt::bytes(a.bytes))
}

/// The chips that fit in `width` columns, one space apart.
pub fn chips(attachments: &[Attachment], width: u16) -> Vec<String> {
    let width = usize::from(width);
    let fits = |chips: &[String]| chips.iter().map(|c| c.width() + 1).sum::<usize>() <= width + 1;
    let full: Vec<String> = attachments.iter().map(|a| chip(a, false)).collect();
    if fits(&full) {
        return full;
    }
    let short: Vec<String> = attachments.iter().map(|a| chip(a, true)).collect();
    if fits(&short) {
        return short;
    }
    let mut shown = Vec::new();
    for (i, c) in short.iter().enumerate() {
        let more = format!("+{} more", short.len() - i - 1);
        let mut next = shown.clone();
        next.push(c.clone());
        let last = i + 1 == short.len();
        if !last {
            next.push(more);
        }
        if !fits(&next) {
            break;
        }
        shown.push(c.clone());
    }
    let left = short.len() - shown.len();
    if left > 0 {
        shown.push(if shown.is_empty() {
            format!("{left} files")
        } else {
            format!("+{left} more")
        });
    }
    shown
}

pub fn line(attachments: &[Attachment], width: u16, theme: &Theme) -> Line<'static> {
    let mut spans = Vec::new();
    for (i, c) in chips(attachments, width).into_iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw(" "));
        }
        let style = if c.starts_with('[') {
            theme.code_label
        } else {
            theme.dim
        };
        spans.push(Span::styled(c, style));
    }
    Line::from(spans)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, bytes: u64, image: bool) -> Attachment {
        Attachment {
            name: name.into(),
            kind: if image {
                crate::chat::attach::Kind::Image
            } else {
                crate::chat::attach::Kind::Text
            },
            mime: String::new(),
            bytes,
            sha256: String::new(),
            tokens: 0,
            data: None,
        }
    }

    #[test]
    fn chips_shorten_paths_then_count_what_does_not_fit() {
        let files = [
            file("src/storage/session.rs", 9_000, false),
            file("docs/cat.png", 69, true),
            file("README.md", 2_048, false),
        ];
        assert_eq!(
            chips(&files, 80),
            [
                "[src/storage/session.rs 8.8 KiB]",
                "[image docs/cat.png 69 B]",
                "[README.md 2 KiB]"
            ]
        );
        assert_eq!(
            chips(&files, 60),
            [
                "[session.rs 8.8 KiB]",
                "[image cat.png 69 B]",
                "[README.md 2 KiB]"
            ]
        );
        assert_eq!(chips(&files, 40), ["[session.rs 8.8 KiB]", "+2 more"]);
        assert_eq!(chips(&files, 12), ["3 files"]);
    }
}
