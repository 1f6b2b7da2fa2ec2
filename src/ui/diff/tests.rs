use super::*;

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
    for row in rows("界界界", 1) {
        assert!(!row.is_empty());
    }
}
