//! Text brought along with a prompt (standard input piped in): put after the prompt in a
//! fenced block named by where it came from, fenced so nothing inside can close it.

/// `text` in a fenced block labelled `label`, its fence longer than any run of backticks in it.
pub fn fenced(label: &str, text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat((longest + 1).max(3));
    let body = text.strip_suffix('\n').unwrap_or(text);
    format!("{fence}{label}\n{body}\n{fence}")
}

/// The prompt with what was piped to standard input after it.
pub fn with_stdin(prompt: &str, piped: &str) -> String {
    format!("{}\n\n{}", prompt.trim_end(), fenced("stdin", piped))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn piped_text_follows_the_prompt_in_a_fence_it_cannot_close() {
        assert_eq!(
            with_stdin("review this\n", "fn main() {}\n"),
            "review this\n\n```stdin\nfn main() {}\n```"
        );
        let md = "text\n````rust\nx\n````\n";
        assert_eq!(
            fenced("stdin", md),
            format!("`````stdin\n{}\n`````", md.trim_end())
        );
    }
}
