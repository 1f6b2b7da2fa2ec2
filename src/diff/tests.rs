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
        "Merge sort is stable and runs in O(n log n).\n",
        "Merge sort is stable and always runs in O(n log n) time.\n",
    );
    assert_eq!(
        show(&d),
        "Merge sort is stable and {+always +}runs in O(n log n){+ time+}.\n"
    );
    assert!(!d.capped);
}

#[test]
fn changes_a_space_apart_read_as_one() {
    let d = diff(
        "Here is how I would start.\n",
        "Good question, short answer: start.\n",
    );
    assert_eq!(
        show(&d),
        "[-Here is how I would-]{+Good question, short answer:+} start.\n"
    );
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
fn a_fence_closes_only_with_its_own_kind() {
    let text = "~~~\n```python\nx\n~~~\nafter the block\n";
    let marks: Vec<bool> = lines(text).iter().map(|l| l.1).collect();
    assert_eq!(marks, [true, true, true, true, false]);
    let text = "```\n    ```\nstill code\n```\nprose\n";
    let marks: Vec<bool> = lines(text).iter().map(|l| l.1).collect();
    assert_eq!(marks, [true, true, true, true, false]);
    // Backticks after the run: inline code in prose, not a fence; a tilde fence may say so.
    let text = "```a`b```\nprose\n~~~ a`b\ncode\n~~~\n";
    let marks: Vec<bool> = lines(text).iter().map(|l| l.1).collect();
    assert_eq!(marks, [false, false, true, true, true]);
}

#[test]
fn crlf_and_lf_are_the_same_text() {
    let d = diff("one two\r\nthree\r\n", "one two\nthree\n");
    assert_eq!(show(&d), "one two\nthree\n");
}

#[test]
fn cjk_text_is_compared_by_character() {
    let d = diff("我喜欢排序算法。它很快。\n", "我喜欢排序算法。它很慢。\n");
    assert_eq!(show(&d), "我喜欢排序算法。它很[-快-]{+慢+}。\n");
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
    // One byte of 'a' puts every 'é' across an odd offset: the cap falls inside one.
    let old = format!("a{}", "é".repeat(DIFF_CAP_BYTES));
    let d = diff(&old, &old);
    assert!(d.capped);
    assert_eq!(
        shared_bytes(&d),
        DIFF_CAP_BYTES - 1,
        "cut before the split character"
    );
}

#[test]
fn a_long_edited_answer_keeps_what_it_shares() {
    // 32 KB of paragraphs; the copy changes a word in every third and drops every fifth.
    let para = |i: usize| {
        format!(
            "Paragraph {i} says merge sort is stable and quicksort is fast in place, mostly.\n\n"
        )
    };
    let old: String = (0..400).map(para).collect::<String>();
    let new: String = (0..400)
        .filter(|i| i % 5 != 0)
        .map(|i| {
            if i % 3 == 0 {
                para(i).replace("stable", "steady")
            } else {
                para(i)
            }
        })
        .collect();
    let d = diff(&old, &new);
    let same = shared_bytes(&d);
    let kept = new.len().min(DIFF_CAP_BYTES);
    assert!(
        same * 100 > kept * 70,
        "the diff did not collapse: {same} of {kept} bytes shared"
    );
}

#[test]
fn each_side_can_be_rebuilt_from_the_diff() {
    let old = "Intro line.\r\n\n```rust\nfn a() {}\n```\nMerge sort is stable, 我喜欢。\n";
    let new =
        "Intro line!\n\n```rust\nfn b() {}\n```\nMerge sort is always stable, 我不喜欢。\nMore.\n";
    let d = diff(old, new);
    let side = |skip: Change| -> String {
        d.pieces
            .iter()
            .filter(|p| p.change != skip)
            .map(|p| p.text.as_str())
            .collect()
    };
    assert_eq!(side(Change::Added), old.replace("\r\n", "\n"));
    assert_eq!(side(Change::Removed), new);
    assert!(!d.cut_short);
}

#[test]
fn a_search_past_its_deadline_says_so() {
    let d = diff(&"word ".repeat(20_000), &"other ".repeat(20_000));
    assert!(d.cut_short);
}
