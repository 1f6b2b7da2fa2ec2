//! A session as readable Markdown (each round's prompt, then every model's answer with its
//! speed and cost, the adopted one marked) or as one self-contained HTML page (`html`).

mod facts;
mod html;
pub mod mask;

pub use html::html;

use std::fmt::Write;
use std::path::{Path, PathBuf};

use super::session::Session;
use crate::textfmt::format_time;
use mask::Mask;

/// How the exports read an answer's markdown (and find its code, which masking leaves alone):
/// as the screen does.
pub(crate) const MARKDOWN: pulldown_cmark::Options = pulldown_cmark::Options::ENABLE_TABLES
    .union(pulldown_cmark::Options::ENABLE_STRIKETHROUGH)
    .union(pulldown_cmark::Options::ENABLE_TASKLISTS);

/// `$XDG_DATA_HOME/switchboard/exports`: where the session browser writes its exports,
/// beside the sessions they come from.
pub fn exports_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("exports")
}

/// The number (1-based) of the round that round `i` branches from, when it does not follow
/// the round before it: an edited prompt.
fn branch_of(s: &Session, i: usize) -> Option<usize> {
    let r = &s.rounds[i];
    let prev = i.checked_sub(1).map(|j| s.rounds[j].id);
    if r.parent == prev {
        return None;
    }
    r.parent
        .and_then(|p| s.rounds.iter().position(|x| x.id == p))
        .map(|p| p + 1)
}

/// Answers have headings of their own: pushed three levels down they sit under the
/// answer's `###` heading instead of competing with the rounds. Code fences are left alone.
fn demote_headings(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let mut fence: Option<String> = None;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if let Some(f) = &fence {
            if trimmed.starts_with(f.as_str()) {
                fence = None;
            }
        } else if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = Some(trimmed[..3].to_string());
        } else if line.starts_with('#') {
            let level = line.chars().take_while(|c| *c == '#').count();
            if level <= 6 && line[level..].starts_with([' ', '\n']) {
                out.push_str(&"#".repeat((level + 3).min(6)));
                out.push_str(&line[level..]);
                continue;
            }
        }
        out.push_str(line);
    }
    out
}

fn quote(text: &str) -> String {
    text.lines().map(|l| format!("> {l}\n")).collect()
}

/// Whether any round of `s` names its models: a hidden round's figures can then be
/// compared with theirs.
pub(super) fn named_rounds(s: &Session) -> bool {
    s.rounds.iter().any(|r| !mask::hidden(r))
}

fn round_md(out: &mut String, s: &Session, i: usize) {
    let r = &s.rounds[i];
    let mask = Mask::of(r);
    let _ = writeln!(out, "## Round {}\n", i + 1);
    if mask.hides() {
        let _ = writeln!(out, "_{}_\n", facts::hidden_notice(named_rounds(s)));
    }
    if let Some(p) = branch_of(s, i) {
        let _ = writeln!(out, "_A branch: edited prompt, following round {p}._\n");
    }
    if let Some(s) = &r.system {
        let _ = writeln!(out, "System: {s}\n");
    }
    out.push_str(&quote(&r.prompt));
    out.push('\n');
    for f in &r.attachments {
        out.push_str(&attachment_md(f));
    }
    for a in &r.answers {
        let mark = if r.is_adopted(a) {
            " ★ adopted"
        } else if a.archived {
            " (earlier attempt, replaced by a retry)"
        } else {
            ""
        };
        let _ = write!(out, "### {}{mark}", mask.name(a));
        if let Some(served) = a.served_model.as_ref().filter(|m| **m != a.model)
            && !mask.hides()
        {
            let _ = write!(out, " (answered by {served})");
        }
        out.push_str("\n\n");
        let figures: Vec<String> = facts::facts(a, &mask)
            .iter()
            .map(facts::Fact::plain)
            .collect();
        let _ = writeln!(out, "_{}_\n", figures.join(" · "));
        if !a.text.is_empty() {
            out.push_str(demote_headings(mask.text(&a.text).trim_end()).trim_end());
            out.push_str("\n\n");
        }
        if let Some(e) = &a.error {
            let _ = writeln!(out, "**Error:** {}\n", mask.plain(e));
        }
    }
}

/// A file sent with a prompt: a text file in full, fenced and named by its path; an image by
/// name and size (its bytes are in the blob folder, named by its hash).
fn attachment_md(f: &crate::chat::attach::Attachment) -> String {
    let size = crate::textfmt::bytes(f.bytes);
    match (f.text(), f.is_image(), &f.data) {
        (Some(text), _, _) => format!("{}\n\n", crate::chat::attach::fenced(&f.name, text)),
        (None, true, Some(_)) => format!(
            "_Attached image: {} ({size}, blob {})_\n\n",
            f.name, f.sha256
        ),
        _ => format!(
            "_Attached: {} ({size}): its blob {} is not in the blob folder_\n\n",
            f.name, f.sha256
        ),
    }
}

/// The session's spend, every attempt included (retries were paid for too).
fn total_text(s: &Session) -> String {
    s.spent().display()
}

pub fn markdown(s: &Session) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", s.title);
    let _ = writeln!(
        out,
        "_{} · {} · total {} · session {}_\n",
        format_time(s.created_ms),
        crate::textfmt::count(s.rounds.len() as u64, "round"),
        total_text(s),
        s.id
    );
    for i in 0..s.rounds.len() {
        round_md(&mut out, s, i);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answer_headings_sit_under_the_answer() {
        let text = "# Title\n\n## Part\n\n```md\n# not a heading\n```\n\n#hashtag\n";
        assert_eq!(
            demote_headings(text),
            "#### Title\n\n##### Part\n\n```md\n# not a heading\n```\n\n#hashtag\n"
        );
    }

    #[test]
    fn the_total_counts_retries_and_says_what_is_estimated_or_unpriced() {
        let text = r#"{"schema": 2, "id": "s1", "title": "t", "created_ms": 0, "updated_ms": 0,
          "rounds": [{"id": 0, "prompt": "p", "created_ms": 0, "answers": [
            {"slot": 0, "model": "a/one", "status": "complete", "text": "kept", "ttft_ms": 5,
             "cost": {"usd": 0.01, "source": "reported"}, "adopted": true},
            {"slot": 0, "model": "a/one", "status": "cancelled", "text": "old", "ttft_ms": 5,
             "cost": {"usd": 0.002, "source": "estimated"}, "archived": true},
            {"slot": 1, "model": "b/two", "status": "complete", "text": "x", "ttft_ms": 5},
            {"slot": 2, "model": "c/three", "status": "error", "error": "refused"}]}]}"#;
        let md = markdown(&super::super::session::parse(text).unwrap());
        assert!(md.contains("total ~$0.012 +1 unpriced"), "{md}");
        assert!(md.contains("### a/one ★ adopted\n"), "{md}");
        assert!(
            md.contains("### a/one (earlier attempt, replaced by a retry)"),
            "{md}"
        );
    }

    #[test]
    fn a_blind_round_before_the_vote_names_panes_by_letter_and_hides_prices() {
        let round = |vote: &str| {
            format!(
                r#"{{"schema": 4, "id": "s1", "title": "t", "created_ms": 0, "updated_ms": 0,
                  "rounds": [{{"id": 0, "prompt": "p", "created_ms": 0, "blind": {{"seed": 7}}, {vote}
                  "answers": [
                    {{"slot": 0, "model": "acme/wiz-7b", "provider": "AcmeHost", "status": "complete",
                     "text": "I am Wiz-7B.", "served_model": "acme/wiz-7b-v2", "ttft_ms": 5,
                     "cost": {{"usd": "0.0031", "source": "reported"}}}},
                    {{"slot": 1, "model": "zed/other", "status": "error",
                     "error": "AcmeHost said no to zed/other"}}]}}]}}"#
            )
        };
        let md = markdown(&super::super::session::parse(&round("")).unwrap());
        // The total stays (the round was paid for); the round itself names no one.
        let round_part = md[md.find("## Round").unwrap()..].to_lowercase();
        for secret in ["acme", "wiz", "zed/", "0.0031"] {
            assert!(!round_part.contains(secret), "{secret} leaks:\n{md}");
        }
        assert!(
            md.contains("### Model A\n") && md.contains("I am A."),
            "{md}"
        );
        assert!(md.contains("**Error:** A said no to B"), "{md}");
        assert!(md.contains("total $0.0031"), "{md}");
        let voted = r#""vote": {"verdict": "tie", "models": [], "blind": true, "at_ms": 1},"#;
        let md = markdown(&super::super::session::parse(&round(voted)).unwrap());
        assert!(
            md.contains("### acme/wiz-7b (answered by acme/wiz-7b-v2)"),
            "{md}"
        );
    }
}
