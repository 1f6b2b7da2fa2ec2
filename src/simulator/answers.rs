//! What the simulated models say: markdown-rich answers (lists, a table, code in two
//! languages, multi-byte text) and reasoning, cut into token-sized pieces.

use crate::sanitize::single_line;

const INTROS: &[&str] = &[
    "Here is how I would approach **{topic}**, step by step.\n\n",
    "Good question. Short answer: it depends on your constraints. Long answer about *{topic}* below.\n\n",
    "## Overview\n\nLet's break **{topic}** into parts and look at each one.\n\n",
];

const LIST: &str = "### Key points\n\n\
1. Start with the simplest thing that works.\n\
2. Measure before optimising:\n   - time to first token\n   - tokens per second\n   - cost per answer\n\
3. Keep the `happy path` short and the *error path* explicit.\n\n\
> Premature optimisation is the root of all evil — but so is ignoring the bill.\n\n";

const TABLE: &str = "### Comparison\n\n\
| Option | Speed | Cost | Notes |\n\
|--------|------:|-----:|-------|\n\
| Small model | fast | $ | good for drafts |\n\
| Large model | slow | $$$ | best reasoning |\n\
| Local model | varies | free | runs on your machine |\n\n";

const RUST: &str = "A minimal example in Rust:\n\n\
```rust\nfn main() {\n    let models = [\"small\", \"large\"];\n    for (i, m) in models.iter().enumerate() {\n        println!(\"{i}: {m}\");\n    }\n}\n```\n\n";

const PYTHON: &str = "And the same idea in Python:\n\n\
```python\ndef cheapest(prices: dict[str, float]) -> str:\n    return min(prices, key=prices.get)\n\nprint(cheapest({\"a\": 0.5, \"b\": 0.1}))\n```\n\n";

const OUTRO: &str = "Naïve setups often fail at the edges — Unicode like 日本語 or emoji 🚀 included. \
See [the docs](https://example.com/docs) for more.\n";

const FILLER: [&str; 4] = [
    "Streaming answers arrive one small piece at a time, and each piece is a chance to measure how fast the model really is. ",
    "A fast first token feels responsive, but the total time and the price decide which model is worth keeping. ",
    "Small models often do well on narrow questions; large ones earn their price on open-ended reasoning. ",
    "Caching, batching and a sensible `max_tokens` keep the bill predictable. ",
];

fn topic(prompt: &str) -> String {
    let words: Vec<&str> = prompt
        .split_whitespace()
        .filter(|w| !w.starts_with('!'))
        .take(8)
        .collect();
    let mut topic = single_line(&words.join(" ")).replace(['*', '`', '|'], "");
    if topic.chars().count() > 60 {
        topic = topic.chars().take(60).collect::<String>() + "…";
    }
    if topic.is_empty() {
        "your question".to_string()
    } else {
        topic
    }
}

/// The full answer of a model to a prompt, about `target_tokens` long.
pub fn answer_text(model_seed: usize, prompt: &str, target_tokens: usize) -> String {
    let topic = topic(prompt);
    let intro = INTROS[model_seed % INTROS.len()].replace("{topic}", &topic);
    let mut sections: Vec<&str> = vec![LIST, TABLE, RUST, PYTHON];
    let n = sections.len();
    sections.rotate_left(model_seed % n);
    let mut text = intro;
    for section in sections {
        if token_count(&text) >= target_tokens {
            break;
        }
        text.push_str(section);
    }
    // Paragraphs of four sentences, as a model writes them.
    let mut sentence = 0;
    while token_count(&text) + 30 < target_tokens {
        text.push_str(FILLER[sentence % FILLER.len()]);
        sentence += 1;
        if sentence % FILLER.len() == 0 {
            text.push_str("\n\n");
        }
    }
    text.push_str(OUTRO);
    text
}

/// What a reasoning model thinks before answering.
pub fn reasoning_text(prompt: &str) -> String {
    format!(
        "The user asks about {}. I should weigh speed against cost, then give a concrete example \
         in two languages and a comparison table. Let me also mention edge cases with Unicode.",
        topic(prompt)
    )
}

/// Cuts text into token-sized pieces: a word with its leading space, long words in parts.
pub fn tokenize(text: &str) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut current = String::new();
    let mut in_word = false;
    for c in text.chars() {
        let space = c.is_whitespace();
        if (in_word && space) || current.chars().count() >= 6 && !space {
            pieces.push(std::mem::take(&mut current));
        }
        in_word = !space;
        current.push(c);
    }
    if !current.is_empty() {
        pieces.push(current);
    }
    pieces
}

fn token_count(text: &str) -> usize {
    text.split_whitespace()
        .map(|w| w.chars().count().div_ceil(6))
        .sum()
}

/// The kinds of block [`block_run`] makes.
pub const BLOCK_KINDS: [&str; 7] = [
    "paragraphs",
    "tight list",
    "loose list",
    "nested list",
    "table",
    "code block",
    "quote",
];

/// About `tokens` tokens of one kind of markdown block run together: the worst case of that
/// kind for a streaming renderer (benchmarks).
pub fn block_run(kind: &str, tokens: usize) -> String {
    let mut text = String::new();
    let mut i = 0;
    while text.len() / 4 < tokens {
        text.push_str(&match kind {
            "paragraphs" => format!("Paragraph {i} with **bold** words and `code` in it.\n\n"),
            "tight list" => format!("1. item {i} with **bold** words\n"),
            "loose list" => format!("- item {i} with *some* words\n\n"),
            "nested list" => format!("- item {i}\n  - detail `{i}`\n    - more {i}\n"),
            "table" if i == 0 => "| n | name | note |\n|---|---|---|\n".to_string(),
            "table" => format!("| {i} | row {i} | some *words* |\n"),
            "code block" if i == 0 => "```rust\n".to_string(),
            "code block" => format!("let value_{i} = compute({i}, &mut state);\n"),
            _ => format!("> quoted line {i} with *words*\n"),
        });
        i += 1;
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokenize_round_trips() {
        let text = answer_text(1, "Compare sorting algorithms", 300);
        assert_eq!(tokenize(&text).concat(), text);
        assert!(
            text.contains("```rust") && text.contains("```python") && text.contains("| Option")
        );
    }

    #[test]
    fn long_answers_reach_their_length() {
        let text = answer_text(0, "x", 5000);
        assert!(tokenize(&text).len() >= 4900, "{}", tokenize(&text).len());
    }

    #[test]
    fn topic_is_single_line_and_safe() {
        assert_eq!(topic("why\u{1b}[31m !fault=429 is"), "why\u{241b}[31m is");
    }
}
