//! Syntax highlighting of fenced code with syntect (pure-Rust regex engine), from the assets
//! `crate::syntax` loads once on first use.

use ratatui::style::{Color, Style};
use syntect::easy::HighlightLines;
use syntect::highlighting::Theme as SynTheme;
use syntect::util::LinesWithEndings;

use crate::syntax::{syntaxes, themes};

/// Names of the syntect themes a theme file may pick.
pub fn theme_names() -> Vec<String> {
    themes().themes.keys().cloned().collect()
}

fn syn_theme(name: &str) -> Option<&'static SynTheme> {
    if name.is_empty() {
        return None;
    }
    themes().themes.get(name)
}

/// Whether a fence language is known (else the block is shown plain).
pub fn knows(lang: &str) -> bool {
    !lang.is_empty() && syntaxes().find_syntax_by_token(lang).is_some()
}

/// Code blocks highlighted whole so far in this process (a count for tests and benchmarks:
/// a frame must highlight what it shows, not the history).
pub static BLOCKS_HIGHLIGHTED: std::sync::atomic::AtomicUsize =
    std::sync::atomic::AtomicUsize::new(0);

/// Lines of `code` as styled pieces, plain when the language is unknown or the theme has no
/// syntax colours.
pub fn highlight(code: &str, lang: &str, theme: &crate::theme::Theme) -> Vec<Vec<(Style, String)>> {
    BLOCKS_HIGHLIGHTED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let mut h = LineHighlighter::new(lang, &theme.syntax, theme.text, theme.depth);
    LinesWithEndings::from(code)
        .map(|line| h.line(line))
        .collect()
}

/// Highlights a code block one line at a time, keeping the parser's state between lines, so a
/// block that is still streaming costs only its new lines.
pub struct LineHighlighter {
    inner: Option<HighlightLines<'static>>,
    base: Style,
    depth: crate::colors::Depth,
}

impl LineHighlighter {
    pub fn new(
        lang: &str,
        syntax_theme: &str,
        base: Style,
        depth: crate::colors::Depth,
    ) -> LineHighlighter {
        let inner = syn_theme(syntax_theme)
            .filter(|_| !lang.is_empty())
            .and_then(|theme| {
                syntaxes()
                    .find_syntax_by_token(lang)
                    .map(|s| HighlightLines::new(s, theme))
            });
        LineHighlighter { inner, base, depth }
    }

    /// One line, with its newline.
    pub fn line(&mut self, line: &str) -> Vec<(Style, String)> {
        let base = self.base;
        let plain = || vec![(base, line.trim_end_matches(['\n', '\r']).to_string())];
        let Some(h) = self.inner.as_mut() else {
            return plain();
        };
        match h.highlight_line(line, syntaxes()) {
            Ok(ranges) => ranges
                .into_iter()
                .map(|(s, text)| {
                    let fg = s.foreground;
                    (
                        base.fg(self.depth.map(Color::Rgb(fg.r, fg.g, fg.b))),
                        text.trim_end_matches(['\n', '\r']).to_string(),
                    )
                })
                .filter(|(_, t)| !t.is_empty())
                .collect(),
            Err(_) => plain(),
        }
    }
}
