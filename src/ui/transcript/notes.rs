//! What a turn shows below its answer: request fields adjusted for the endpoint, where its
//! price came from, the stream's notices, and its status, in words that name no model while a
//! blind round is hidden.

use crate::chat::{Answer, AnswerStatus};
use crate::state::panes::Turn;

/// What one turn shows below its answer: request fields adjusted for the endpoint, where
/// its price came from when not from its own endpoint, the stream's notices, and its status.
pub(super) fn notes(turn: &Turn, hidden: bool) -> Vec<String> {
    let a = &turn.answer;
    if hidden {
        // Adjustments, prices and server notices name models: only the status shows.
        return status_note(a, true).into_iter().collect();
    }
    let mut out: Vec<String> = attached_note(turn).into_iter().collect();
    out.extend(
        a.adjusted
            .iter()
            .filter(|adj| shown(adj))
            .map(|adj| format!("⚙ {}", adj.describe())),
    );
    if let Some(from) = catalog_price(turn) {
        out.push(format!("$ {}", from.describe()));
    }
    if turn.left_out > 0 {
        out.push(format!(
            "✂ {} left out of this request to fit the model's context",
            crate::textfmt::count(turn.left_out as u64, "earlier round")
        ));
    }
    out.extend(a.notes.iter().map(|n| format!("⚠ {n}")));
    out.extend(status_note(a, false));
    out
}

/// How many notes [`notes`] gives, without writing any: a turn out of view is counted, not
/// described.
pub(super) fn count(turn: &Turn, hidden: bool) -> usize {
    let a = &turn.answer;
    let status = usize::from(has_status_note(a));
    if hidden {
        return status;
    }
    a.adjusted.iter().filter(|adj| shown(adj)).count()
        + usize::from(!turn.attachments.is_empty())
        + usize::from(catalog_price(turn).is_some())
        + usize::from(turn.left_out > 0)
        + a.notes.len()
        + status
}

/// The files sent with the turn's prompt (a skipped image has its own note).
fn attached_note(turn: &Turn) -> Option<String> {
    // File names only: the chips showed the paths and sizes, and a pane is narrow.
    let names: Vec<&str> = turn
        .attachments
        .iter()
        .map(|a| a.name.rsplit('/').next().unwrap_or(&a.name))
        .collect();
    (!names.is_empty()).then(|| format!("⊕ sent with {}", names.join(", ")))
}

/// A request field adjusted for the endpoint is worth a note unless it was only renamed
/// ahead of a refusal the answer already reports.
fn shown(adj: &crate::chat::Adjustment) -> bool {
    adj.changes_answer || adj.renamed_to.is_none() || !adj.reason.starts_with("refused before")
}

/// Where a finished turn's price came from, when not from its own endpoint.
fn catalog_price(turn: &Turn) -> Option<&crate::cost::CatalogRef> {
    turn.pricing
        .as_ref()
        .and_then(|p| p.from_catalog.as_ref())
        .filter(|_| turn.answer.status.is_finished())
}

/// Whether [`status_note`] has something to say.
fn has_status_note(a: &Answer) -> bool {
    match a.status {
        AnswerStatus::Error | AnswerStatus::Cancelled | AnswerStatus::Incomplete => true,
        AnswerStatus::Complete => a.finish_reason.as_deref() == Some("length"),
        AnswerStatus::Waiting => a.retrying.is_some(),
        AnswerStatus::Streaming => false,
    }
}

/// What one turn's status adds below its answer, if anything.
fn status_note(answer: &Answer, hidden: bool) -> Option<String> {
    let said = |e: &crate::chat::StreamError| {
        if hidden {
            e.anonymous()
        } else {
            e.message.clone()
        }
    };
    match answer.status {
        AnswerStatus::Error => Some(format!(
            "✗ {}",
            answer.error.as_ref().map_or("error".into(), said)
        )),
        AnswerStatus::Cancelled => Some("⏹ cancelled; the text above is what arrived".into()),
        AnswerStatus::Incomplete => Some(match &answer.error {
            Some(e) => format!("⚠ {}", said(e)),
            None => "⚠ incomplete: the stream ended without [DONE] or a finish reason".into(),
        }),
        AnswerStatus::Complete if answer.finish_reason.as_deref() == Some("length") => {
            Some("⚠ stopped at the max tokens limit".into())
        }
        AnswerStatus::Waiting => answer.retrying.map(|(n, wait)| {
            format!(
                "↻ retry {n} in {:.1}s (rate limited or unavailable)",
                wait.as_secs_f64()
            )
        }),
        _ => None,
    }
}
