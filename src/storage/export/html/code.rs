//! Fenced code highlighted for both colour schemes: syntect parses a block once, a light and a
//! dark theme colour it, and each pair of colours in use becomes one short class (`k3`). The
//! page then carries a few CSS rules instead of a stack of scope names on every token, which
//! made pages several times the size of their answers.

use std::collections::HashMap;
use std::fmt::Write;

use syntect::highlighting::{
    FontStyle, HighlightState, Highlighter, RangedHighlightIterator, Style, Theme,
};
use syntect::parsing::{ParseState, ScopeStack};
use syntect::util::LinesWithEndings;

use super::escape;

const LIGHT: &str = "InspiredGitHub";
const DARK: &str = "base16-ocean.dark";

/// Past this a block is shown plain: highlighting with the pure-Rust regex engine is slow on
/// a huge block, and an export should not take minutes.
const MAX_BYTES: usize = 256 * 1024;

/// How a token looks in one theme: its colour and font style.
type Look = ([u8; 3], u8);

fn look(s: Style) -> Look {
    let c = s.foreground;
    ([c.r, c.g, c.b], s.font_style.bits())
}

fn theme(name: &str) -> Option<&'static Theme> {
    crate::syntax::themes().themes.get(name)
}

/// The classes one page uses, numbered as they first appear.
#[derive(Default)]
pub struct Palette {
    classes: HashMap<(Look, Look), usize>,
}

impl Palette {
    /// `code` as highlighted HTML (escaped), or `None` when `lang` is not a known language.
    pub fn highlight(&mut self, code: &str, lang: &str) -> Option<String> {
        if lang.is_empty() || code.len() > MAX_BYTES {
            return None;
        }
        let syntaxes = crate::syntax::syntaxes();
        let syntax = syntaxes.find_syntax_by_token(lang)?;
        let (light, dark) = (
            Highlighter::new(theme(LIGHT)?),
            Highlighter::new(theme(DARK)?),
        );
        let plain = (look(light.get_default()), look(dark.get_default()));
        let mut parse = ParseState::new(syntax);
        let mut states = (
            HighlightState::new(&light, ScopeStack::new()),
            HighlightState::new(&dark, ScopeStack::new()),
        );
        let mut out = String::with_capacity(code.len() * 2);
        // The open span's class and text, so runs of one colour share a span.
        let mut run: (Option<usize>, String) = (None, String::new());
        for line in LinesWithEndings::from(code) {
            let ops = parse.parse_line(line, syntaxes).ok()?;
            let a: Vec<_> =
                RangedHighlightIterator::new(&mut states.0, &ops, line, &light).collect();
            let b: Vec<_> =
                RangedHighlightIterator::new(&mut states.1, &ops, line, &dark).collect();
            if a.len() != b.len() {
                return None;
            }
            for ((sa, text, ra), (sb, _, rb)) in a.into_iter().zip(b) {
                if ra != rb {
                    return None;
                }
                let key = (look(sa), look(sb));
                let class = (key != plain).then(|| self.class(key));
                if class != run.0 {
                    flush(&mut out, &run);
                    run = (class, String::new());
                }
                run.1.push_str(text);
            }
        }
        flush(&mut out, &run);
        Some(out)
    }

    fn class(&mut self, key: (Look, Look)) -> usize {
        let next = self.classes.len();
        *self.classes.entry(key).or_insert(next)
    }

    /// The rules for the code of this page: each scheme's background and text colour, and
    /// every class in use.
    pub fn css(&self) -> String {
        let mut used: Vec<(&(Look, Look), &usize)> = self.classes.iter().collect();
        used.sort_by_key(|(_, n)| **n);
        let mut css = String::new();
        for (scheme, pick) in [("light", 0), ("dark", 1)] {
            let Some(t) = theme(if pick == 0 { LIGHT } else { DARK }) else {
                continue;
            };
            let _ = writeln!(css, "@media (prefers-color-scheme: {scheme}) {{");
            if let (Some(bg), Some(fg)) = (t.settings.background, t.settings.foreground) {
                let _ = writeln!(
                    css,
                    ".sy-code {{ background: #{:02x}{:02x}{:02x}; color: #{:02x}{:02x}{:02x}; }}",
                    bg.r, bg.g, bg.b, fg.r, fg.g, fg.b
                );
            }
            for (key, n) in &used {
                let (rgb, style) = if pick == 0 { key.0 } else { key.1 };
                let style = FontStyle::from_bits_truncate(style);
                let _ = writeln!(
                    css,
                    ".k{n} {{ color: #{:02x}{:02x}{:02x};{}{}{} }}",
                    rgb[0],
                    rgb[1],
                    rgb[2],
                    if style.contains(FontStyle::BOLD) {
                        " font-weight: bold;"
                    } else {
                        ""
                    },
                    if style.contains(FontStyle::ITALIC) {
                        " font-style: italic;"
                    } else {
                        ""
                    },
                    if style.contains(FontStyle::UNDERLINE) {
                        " text-decoration: underline;"
                    } else {
                        ""
                    },
                );
            }
            css.push_str("}\n");
        }
        css
    }
}

fn flush(out: &mut String, run: &(Option<usize>, String)) {
    match run {
        (_, text) if text.is_empty() => {}
        (Some(n), text) => {
            let _ = write!(out, "<span class=\"k{n}\">{}</span>", escape(text));
        }
        (None, text) => out.push_str(&escape(text)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_class_per_pair_of_colours_and_the_code_escaped() {
        let mut p = Palette::default();
        let html = p
            .highlight("fn main() { let s = \"<b>&\"; }\n// done\n", "rust")
            .unwrap();
        assert!(html.contains("&lt;b&gt;&amp;"), "{html}");
        assert!(!html.contains("<b>"), "{html}");
        let text: String = {
            let mut t = String::new();
            let mut tag = false;
            for c in html.chars() {
                match c {
                    '<' => tag = true,
                    '>' => tag = false,
                    c if !tag => t.push(c),
                    _ => {}
                }
            }
            t
        };
        assert_eq!(
            text,
            "fn main() { let s = &quot;&lt;b&gt;&amp;&quot;; }\n// done\n"
        );
        let classes = p.classes.len();
        assert!(classes >= 3, "keywords, strings and comments differ");
        p.highlight("fn other() {}\n", "rust").unwrap();
        assert_eq!(
            p.classes.len(),
            classes,
            "the same colours reuse their classes"
        );
        let css = p.css();
        assert_eq!(
            css.matches(".k0 {").count(),
            2,
            "a light and a dark rule: {css}"
        );
        assert!(p.highlight("x", "no-such-language").is_none());
        assert!(p.highlight("x", "").is_none());
    }
}
