use super::*;

fn show(d: &Diff) -> String {
    d.pieces
        .iter()
        .map(|p| match p.change {
            Change::Same => p.text.clone(),
            Change::Added => format!("{{+{}+}}", p.text),
            Change::Removed => format!("[-{}-]", p.text),
        })
        .collect()
}

#[test]
fn words_that_differ_are_marked_and_the_rest_kept() {
    let d = diff(
        "Merge sort is stable and runs in O(n log n).",
        "Merge sort is stable and always runs in O(n log n) time.",
    );
    assert_eq!(
        show(&d),
        "Merge sort is stable and {+always +}runs in O(n log [-n).-]{+n) time.+}"
    );
    assert!(!d.capped);
}

#[test]
fn code_blocks_are_compared_line_by_line() {
    let old = "Try:\n\n```rust\nlet x = 1;\nprintln!(\"{x}\");\n```\n";
    let new = "Try:\n\n```rust\nlet x = 2;\nprintln!(\"{x}\");\n```\n";
    assert_eq!(
        show(&diff(old, new)),
        "Try:\n\n```rust\n[-let x = 1;\n-]{+let x = 2;\n+}println!(\"{x}\");\n```\n"
    );
}

#[test]
fn the_same_text_is_one_piece_and_an_empty_side_is_all_added() {
    let d = diff("same words here", "same words here");
    assert_eq!(d.pieces.len(), 1);
    assert_eq!(d.pieces[0].change, Change::Same);
    let d = diff("", "new text");
    assert_eq!(show(&d), "{+new text+}");
}

#[test]
fn long_answers_are_cut_at_the_cap_on_a_character_boundary() {
    let old = "é".repeat(DIFF_CAP_BYTES);
    let new = format!("{}x", "é".repeat(DIFF_CAP_BYTES));
    let d = diff(&old, &new);
    assert!(d.capped);
    let total: usize = d.pieces.iter().map(|p| p.text.len()).sum();
    assert!(total <= 2 * DIFF_CAP_BYTES);
}
