//! Terminal safety: model output, catalog text and file contents are untrusted, so control
//! characters and escape sequences are made visible before they can reach a terminal.

use std::borrow::Cow;

fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || is_bidi_control(c)
}

/// Bidirectional overrides can make text display in an order other than its bytes.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn visible(c: char) -> char {
    match c {
        // C0 controls have "control pictures" at U+2400 + code (ESC shows as ␛).
        '\0'..='\u{1f}' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
        '\u{7f}' => '\u{2421}',
        _ => '\u{fffd}',
    }
}

/// Keeps newlines and tabs; every other control character becomes a visible symbol, so an
/// escape sequence shows as text (`␛]52;c;...`) and does nothing.
pub fn terminal_safe(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| if is_unsafe(c) { visible(c) } else { c })
            .collect(),
    )
}

/// For one-line fields (model names, titles): newlines and tabs become spaces too.
pub fn single_line(text: &str) -> Cow<'_, str> {
    match terminal_safe(text) {
        Cow::Borrowed(t) if !t.contains(['\n', '\t']) => Cow::Borrowed(t),
        other => Cow::Owned(other.replace(['\n', '\t'], " ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed() {
        assert!(matches!(terminal_safe("héllo\n\tworld"), Cow::Borrowed(_)));
    }

    #[test]
    fn escape_sequences_are_made_visible() {
        let osc52 = "a\u{1b}]52;c;aGVsbG8=\u{7}b";
        assert_eq!(terminal_safe(osc52), "a\u{241b}]52;c;aGVsbG8=\u{2407}b");
        let csi = "\u{1b}[2J\u{1b}[H\r\u{9b}31m\u{7f}";
        let out = terminal_safe(csi);
        assert!(!out.chars().any(|c| c.is_control()), "{out:?}");
    }

    #[test]
    fn bidi_overrides_are_neutralised() {
        assert!(!terminal_safe("abc\u{202e}def").contains('\u{202e}'));
    }

    #[test]
    fn single_line_flattens() {
        assert_eq!(single_line("a\nb\tc\u{1b}"), "a b c\u{241b}");
    }
}
