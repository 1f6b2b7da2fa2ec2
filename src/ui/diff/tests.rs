//! Tests of the word diff overlay: rows, marks and the cache.

use super::*;
use unicode_width::UnicodeWidthStr;

fn rows(text: &str, width: usize) -> Vec<String> {
    wrap(&[(Style::default(), text.to_string())], width)
        .iter()
        .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
        .collect()
}

#[test]
fn rows_break_at_spaces_and_drop_them_there() {
    assert_eq!(rows("one two three", 7), ["one two", "three"]);
    assert_eq!(rows("exactly seven", 7), ["exactly", "seven"]);
    assert_eq!(
        rows("a\n\nb\n", 5),
        ["a", "", "b"],
        "no row after the last line break"
    );
}

#[test]
fn a_word_wider_than_a_row_is_cut_between_graphemes() {
    assert_eq!(rows("abcdefgh", 3), ["abc", "def", "gh"]);
    // Each flag is one grapheme of two columns.
    assert_eq!(rows("🇫🇷🇯🇵🇩🇪", 4), ["🇫🇷🇯🇵", "🇩🇪"]);
}

#[test]
fn emoji_are_measured_as_the_terminal_shows_them() {
    // ⚠️ is ⚠ with a variation selector: two columns, though the character alone is one.
    for row in rows("⚠️ careful ⚠️ now ⚠️ done", 10) {
        assert!(row.as_str().width() <= 10, "{row:?}");
    }
    assert_eq!(rows("界界界", 1), ["界", "界", "界"]);
    let text = "⚠️ careful ⚠️ now ⚠️ done";
    assert_eq!(rows(text, 10).join(" ").replace("  ", " "), text);
}

#[test]
fn a_row_breaks_only_at_spaces_and_keeps_marks_on_their_words() {
    assert_eq!(rows("one two.", 7), ["one ", "two."]);
    let theme = crate::theme::Theme::no_color();
    let added = shown(
        &Piece {
            change: Change::Added,
            text: "always \nx".into(),
        },
        &theme,
    );
    assert_eq!(
        added.1, "{+always+} \n{+x+}",
        "marks per line, spaces outside"
    );
    let same = (Style::default(), "abcdefgh ".to_string());
    let x = shown(
        &Piece {
            change: Change::Added,
            text: "x".into(),
        },
        &theme,
    );
    let laid: Vec<String> = wrap(&[same, x], 10)
        .iter()
        .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
        .collect();
    assert_eq!(laid, ["abcdefgh ", "{+x+}"]);
    let only_break = shown(
        &Piece {
            change: Change::Removed,
            text: "\n".into(),
        },
        &theme,
    );
    assert_eq!(only_break.1, "[-↵-]\n", "a removed line break shows");
}
