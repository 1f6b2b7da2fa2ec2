//! Markdown to lines for every element at widths 40 and 100, and streaming renders equal to
//! one-shot renders of the same text.

use ratatui::style::Modifier;
use ratatui::text::Line;

use super::blocks::code_blocks;
use super::markdown::render;
use super::stream::MarkdownView;
use crate::theme::Theme;

pub(super) fn plain(lines: &[Line<'_>]) -> Vec<String> {
    lines
        .iter()
        .map(|l| {
            l.spans
                .iter()
                .map(|s| s.content.as_ref())
                .collect::<String>()
                .trim_end()
                .to_string()
        })
        .collect()
}

/// Lines as they look: empty spans dropped and neighbours of one style joined (how spans are
/// cut up draws nothing).
pub(super) fn visible(lines: Vec<Line<'static>>) -> Vec<Line<'static>> {
    lines
        .into_iter()
        .map(|l| {
            let mut spans: Vec<ratatui::text::Span<'static>> = Vec::new();
            for s in l.spans.into_iter().filter(|s| !s.content.is_empty()) {
                match spans.last_mut() {
                    Some(last) if last.style == s.style => {
                        last.content.to_mut().push_str(&s.content)
                    }
                    _ => spans.push(s),
                }
            }
            Line::from(spans)
        })
        .collect()
}

fn md(text: &str, width: usize) -> Vec<String> {
    plain(&render(text, width, &Theme::dark(), 0, true).lines)
}

fn fits(lines: &[String], width: usize) {
    for l in lines {
        assert!(
            unicode_width::UnicodeWidthStr::width(l.as_str()) <= width,
            "{l:?} is wider than {width}"
        );
    }
}

pub(super) const ALL: &str = "# Title\n\nSome *emphasis*, **strong**, ~~gone~~ and `inline code`.\n\n## Section\n\n- one\n- two\n  - nested a\n  - nested b\n- three\n\n1. first\n2. second\n\n> a quoted line\n> that continues\n\nSee [the docs](https://example.com/docs) or <https://example.com>.\n\n---\n\n| Option | Speed | Notes |\n|:-------|------:|-------|\n| Small model | fast | good for drafts and quick questions |\n| Large model | slow | best reasoning |\n\n```rust\nfn main() {\n    println!(\"hi\");\n}\n```\n\n```\nplain block\n```\n\n- [x] done\n- [ ] todo\n";

#[test]
fn every_element_renders_at_40_and_100() {
    for width in [40, 100] {
        let lines = md(ALL, width);
        fits(&lines, width);
        let text = lines.join("\n");
        let flat = lines.join(" ");
        assert_eq!(lines[0], "Title", "headings without markers");
        assert!(
            flat.contains("Some emphasis, strong, gone and inline code."),
            "{text}"
        );
        assert!(
            text.contains("• one") && text.contains("  ◦ nested a") && text.contains("• three"),
            "{text}"
        );
        assert!(text.contains("1. first") && text.contains("2. second"));
        assert!(text.contains("│ a quoted line that"), "{text}");
        assert!(
            flat.contains("the docs (https://example.com/docs)"),
            "link text and URL: {text}"
        );
        assert!(
            flat.contains("https://example.com.") && !flat.contains("https://example.com (https"),
            "autolinks once"
        );
        assert!(
            lines
                .iter()
                .any(|l| l.chars().all(|c| c == '─') && l.chars().count() == width),
            "rule spans the width"
        );
        assert!(text.contains("│ Option") && text.contains("├"), "{text}");
        assert!(
            text.contains("╭─ [1] rust")
                && text.contains("│ fn main() {")
                && text.contains("╭─ [2] ─"),
            "{text}"
        );
        assert!(text.contains("[x] done") && text.contains("[ ] todo"));
    }
}

#[test]
fn styles_follow_the_theme() {
    let theme = Theme::dark();
    let lines = render(ALL, 100, &theme, 0, true).lines;
    let span = |needle: &str| {
        lines
            .iter()
            .flat_map(|l| l.spans.iter())
            .find(|s| s.content.contains(needle))
            .unwrap_or_else(|| panic!("no span {needle:?}"))
            .clone()
    };
    assert_eq!(span("Title").style, theme.text.patch(theme.heading1));
    assert!(
        span("emphasis")
            .style
            .add_modifier
            .contains(Modifier::ITALIC)
    );
    assert!(span("strong").style.add_modifier.contains(Modifier::BOLD));
    assert_eq!(
        span("inline code").style,
        theme.text.patch(theme.code_inline)
    );
    assert_eq!(span("(https://example.com/docs)").style, theme.link_url);
    assert_ne!(span("println").style, theme.text, "code is highlighted");
}

#[test]
fn tables_wrap_inside_narrow_panes() {
    let lines = md(ALL, 40);
    let table: Vec<&String> = lines
        .iter()
        .filter(|l| l.starts_with('│') && l.ends_with('│'))
        .collect();
    assert!(table.len() > 3, "rows wrap onto more lines: {lines:#?}");
    assert!(
        lines.iter().any(|l| l.contains("quick")),
        "no cell text is cut: {lines:#?}"
    );
    let tiny = md(
        "| a | b | c | d | e | f |\n|---|---|---|---|---|---|\n| 1 | 2 | 3 | 4 | 5 | 6 |\n",
        12,
    );
    fits(&tiny, 12);
    assert!(
        tiny.iter().any(|l| l == "a: 1"),
        "too narrow for columns: header: value lines: {tiny:?}"
    );
}

#[test]
fn long_code_lines_wrap_in_the_frame() {
    let lines = md("```\nabcdefghijklmnopqrstuvwxyz0123456789\n```\n", 20);
    fits(&lines, 20);
    assert_eq!(lines[1], "│ abcdefghijklmnopqr");
    assert_eq!(lines[2], "│ stuvwxyz0123456789");
}

#[test]
fn unknown_languages_and_unclosed_fences_render_plainly() {
    let lines = md("```nosuchlang\nx = 1\n", 40);
    assert_eq!(
        lines,
        vec![
            format!("╭─ [1] nosuchlang {}", "─".repeat(22)),
            "│ x = 1".into(),
            format!("╰{}", "─".repeat(39))
        ]
    );
    let half_table = md("| a | b |\n", 40);
    assert_eq!(
        half_table,
        vec!["| a | b |"],
        "a header without its delimiter row is still text"
    );
}

#[test]
fn escape_sequences_never_survive_rendering() {
    let evil = "# \u{1b}]0;title\u{7}\n\ntext \u{1b}[2J and `\u{1b}]52;c;eA==\u{7}`\n\n```\n\u{1b}[31mred\n```\n";
    for line in md(evil, 60) {
        assert!(!line.chars().any(|c| c.is_control()), "{line:?}");
    }
}

/// The simulator's answers and the reference text, streamed in pieces of every size from 1
/// to 13 bytes, render exactly as rendering the final text in one go.
#[test]
fn streaming_renders_equal_one_shot_renders() {
    let theme = Theme::dark();
    let mut texts = vec![ALL.to_string()];
    for seed in 0..3 {
        texts.push(crate::simulator::answer_text(
            seed,
            "Compare quicksort and mergesort",
            400,
        ));
    }
    texts.push(
        "1. a\n\n1. b\n\n1. c\n\nText after a loose list.\n\n> quote\n\n```py\nx\n\ny\n```\n"
            .into(),
    );
    // A paragraph far longer than the incremental limit, then one that ends the answer.
    texts.push(format!(
        "{}\n\nlast *words*",
        "a long **paragraph** ".repeat(1200)
    ));
    // Long lists (tight, loose, nested, numbered alike), a long table and a long quote.
    let items = |f: &dyn Fn(usize) -> String| (0..260).map(f).collect::<String>();
    texts.push(items(&|i| format!("1. item **{i}** with some words\n")));
    texts.push(items(&|i| format!("- item {i}\n\n")) + "after\n");
    texts.push(items(&|i| format!("- item {i}\n  - nested `{i}`\n")));
    texts.push("| a | b |\n|---|---|\n".to_string() + &items(&|i| format!("| {i} | cell {i} |\n")));
    texts.push(items(&|i| format!("> quoted line {i}\n")));
    for text in &texts {
        for width in [40, 100] {
            let whole = render(text, width, &theme, 0, true).lines;
            let steps: &[usize] = if text.len() > 10_000 {
                &[97, 1009]
            } else {
                &[1, 2, 5, 13]
            };
            for &step in steps {
                let mut view = MarkdownView::default();
                let mut cut = 0;
                while cut < text.len() {
                    cut = (cut + step).min(text.len());
                    while !text.is_char_boundary(cut) {
                        cut += 1;
                    }
                    view.advance(&text[..cut], width, &theme);
                    if cut % 7 == 0 {
                        view.update(&text[..cut], width, &theme, false);
                    }
                }
                view.update(text, width, &theme, true);
                // Code still drawn plain is highlighted as a frame showing it would.
                view.highlight_seen(0, view.len(), &theme);
                let streamed: Vec<Line<'_>> = view.lines().cloned().collect();
                assert_eq!(plain(&streamed), plain(&whole), "width {width} step {step}");
                assert_eq!(
                    visible(streamed.clone()),
                    visible(whole.clone()),
                    "styles too, width {width} step {step}"
                );
            }
        }
    }
}

#[test]
fn a_long_list_streams_item_by_item_numbered_as_a_whole() {
    let theme = Theme::dark();
    // Far past the incremental limit, every item numbered "1." as models often write them.
    let text: String = (0..1000).map(|i| format!("1. item **{i}**\n")).collect();
    let mut view = MarkdownView::default();
    let mut at = 0;
    let mut checked = 0;
    while at < text.len() {
        at = (at + 37).min(text.len());
        view.update(&text[..at], 60, &theme, false);
        if at > 6_000 && at % 5 == 0 {
            let shown = plain(&view.lines().cloned().collect::<Vec<_>>());
            let whole = plain(&render(&text[..at], 60, &theme, 0, true).lines);
            assert_eq!(shown, whole, "while streaming, at byte {at}");
            // Only the item being written is rendered again, not the hundreds before it.
            assert!(
                view.tail_lines() <= 2,
                "{} lines re-rendered",
                view.tail_lines()
            );
            checked += 1;
        }
    }
    assert!(checked > 50, "{checked} checks");
    let shown = plain(&view.lines().cloned().collect::<Vec<_>>());
    assert!(
        shown.iter().any(|l| l.contains("999.")),
        "numbered as one list"
    );
}

#[test]
fn a_long_list_with_fences_at_column_0_never_shows_phantom_code_blocks() {
    let theme = Theme::dark();
    let text: String = (0..150)
        .map(|i| format!("{}. Change {i}:\n```diff\n- old\n+ new\n```\n", i + 1))
        .collect();
    let mut view = MarkdownView::default();
    let mut at = 0;
    while at < text.len() {
        at = (at + 41).min(text.len());
        view.update(&text[..at], 60, &theme, false);
        let frames = view
            .lines()
            .map(|l| {
                l.spans
                    .iter()
                    .map(|s| s.content.as_ref())
                    .collect::<String>()
            })
            .filter(|l| l.starts_with("╭─ ["))
            .count();
        let closed = text[..at].matches("\n```\n").count();
        assert!(
            frames <= closed + 1,
            "{frames} code frames for {closed} closed fences at {at}"
        );
    }
    view.update(&text, 60, &theme, true);
    let whole = render(&text, 60, &theme, 0, true).lines;
    assert_eq!(view.lines().cloned().collect::<Vec<_>>(), whole);
}

#[test]
fn a_long_table_streams_as_plain_text_until_it_ends() {
    let theme = Theme::dark();
    let table: String = "| a | b |\n|---|---|\n".to_string()
        + &(0..400)
            .map(|i| format!("| {i} | x |\n"))
            .collect::<String>();
    let mut view = MarkdownView::default();
    view.update(&table, 60, &theme, false);
    assert_eq!(view.tail_lines(), 0, "nothing rendered again per frame");
    assert!(view.len() > 400, "every row is on screen, as text");
    view.update(&table, 60, &theme, true);
    assert_eq!(
        view.lines().cloned().collect::<Vec<_>>(),
        render(&table, 60, &theme, 0, true).lines
    );
}

#[test]
fn code_block_numbers_match_copy_numbers() {
    let text = crate::simulator::answer_text(2, "q", 400);
    let blocks = code_blocks(&text);
    let lines = md(&text, 80);
    for (i, b) in blocks.iter().enumerate() {
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with(&format!("╭─ [{}] {}", i + 1, b.lang))),
            "block {} labelled",
            i + 1
        );
        assert!(!b.code.contains("```"));
    }
    assert_eq!(blocks.len(), 2);
}
