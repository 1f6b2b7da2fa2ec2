//! What goes along with a prompt: piped standard input, text files and images. Text travels in
//! fenced blocks named by where it came from, fenced so nothing inside can close them; images
//! travel as image parts, only to models that take them. Each attachment is known by the
//! SHA-256 of its bytes, which names its blob on disk.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// The largest text file attached: as much as standard input may bring.
pub const MAX_TEXT_BYTES: u64 = 8 * 1024 * 1024;
/// The largest image attached: what OpenAI and OpenRouter take per image.
pub const MAX_IMAGE_BYTES: u64 = 20 * 1024 * 1024;
/// Input tokens an image is assumed to cost: a 1024x1024 image at high detail is 765 on
/// OpenAI and about 1,400 on Anthropic. An estimate, shown as one.
pub const IMAGE_TOKENS: u64 = 1_000;

/// `text` in a fenced block labelled `label`, its fence longer than any run of backticks in it.
pub fn fenced(label: &str, text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat((longest + 1).max(3));
    let body = text.strip_suffix('\n').unwrap_or(text);
    // A label (a file's name, maybe from a session file) must not end the fence's line or
    // hold a backtick: either would let it close the fence early.
    let label: String = label
        .chars()
        .map(|c| if c.is_control() || c == '`' { '_' } else { c })
        .collect();
    format!("{fence}{label}\n{body}\n{fence}")
}

/// The prompt with what was piped to standard input after it.
pub fn with_stdin(prompt: &str, piped: &str) -> String {
    format!("{}\n\n{}", prompt.trim_end(), fenced("stdin", piped))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Text,
    Image,
}

/// A file attached to a prompt. The bytes are not saved with it: they live in the blob
/// folder under `sha256`, and are read back (`data`) just before a request is sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    /// The path as the user gave it.
    pub name: String,
    pub kind: Kind,
    /// `text/plain`, `image/png`, `image/jpeg`, `image/webp` or `image/gif`.
    pub mime: String,
    pub bytes: u64,
    /// Hex SHA-256 of the bytes: the blob's name.
    pub sha256: String,
    /// Estimated input tokens.
    pub tokens: u64,
    #[serde(skip)]
    pub data: Option<Arc<[u8]>>,
}

/// Why a file cannot be attached. Each says what to do about it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AttachError {
    #[error("{name}: {reason}")]
    Unreadable { name: String, reason: String },
    #[error(
        "{name} is {} and {kind} attachment may be at most {}",
        size_beside(*size, *limit),
        crate::textfmt::bytes(*limit)
    )]
    TooLarge {
        name: String,
        kind: &'static str,
        size: u64,
        limit: u64,
    },
    #[error("{name} is neither UTF-8 text nor a png, jpeg, webp or gif image")]
    Binary { name: String },
    #[error("{0} is a folder: attach the files in it")]
    Folder(String),
    #[error("{0}: no such file")]
    Missing(String),
}

/// A size shown beside a limit it is over: `12 MiB`, or `over 8 MiB` where both round alike.
fn size_beside(size: u64, limit: u64) -> String {
    let (s, l) = (crate::textfmt::bytes(size), crate::textfmt::bytes(limit));
    if s == l { format!("over {l}") } else { s }
}

/// The image type its first bytes say, if any of those a model takes.
pub fn sniff_image(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some("image/gif")
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}

/// The size limit for a file of `size` bytes that starts with `head`, checked before the
/// whole file is read.
pub fn check_size(name: &str, head: &[u8], size: u64) -> Result<(), AttachError> {
    let (kind, limit) = match sniff_image(head) {
        Some(_) => ("an image", MAX_IMAGE_BYTES),
        None => ("a text", MAX_TEXT_BYTES),
    };
    if size > limit {
        return Err(AttachError::TooLarge {
            name: name.to_string(),
            kind,
            size,
            limit,
        });
    }
    Ok(())
}

impl Attachment {
    /// An attachment of `bytes` read from `name`: an image by its magic bytes, else UTF-8 text.
    pub fn from_bytes(name: &str, bytes: Vec<u8>) -> Result<Attachment, AttachError> {
        check_size(name, &bytes, bytes.len() as u64)?;
        let (kind, mime, tokens) = match sniff_image(&bytes) {
            Some(mime) => (Kind::Image, mime, IMAGE_TOKENS),
            None => {
                let text = std::str::from_utf8(&bytes).map_err(|_| AttachError::Binary {
                    name: name.to_string(),
                })?;
                if text.contains('\0') {
                    return Err(AttachError::Binary {
                        name: name.to_string(),
                    });
                }
                // The fence and its label cost a few tokens too.
                let tokens = crate::tokens::ratio(text) + 8;
                (Kind::Text, "text/plain", tokens)
            }
        };
        Ok(Attachment {
            name: name.to_string(),
            kind,
            mime: mime.to_string(),
            bytes: bytes.len() as u64,
            sha256: sha256_hex(&bytes),
            tokens,
            data: Some(bytes.into()),
        })
    }

    /// Its kind and type worked out again from its bytes, when they are at hand: what a
    /// session file says of them is not trusted further than that.
    pub fn recheck(&mut self) {
        let Some(data) = self.data.clone() else {
            return;
        };
        match Attachment::from_bytes(&self.name, data.to_vec()) {
            Ok(fresh) => {
                self.kind = fresh.kind;
                self.mime = fresh.mime;
                self.bytes = fresh.bytes;
            }
            Err(_) => self.data = None,
        }
    }

    pub fn is_image(&self) -> bool {
        self.kind == Kind::Image
    }

    /// The text of a text attachment, when its bytes are at hand.
    pub fn text(&self) -> Option<&str> {
        match (&self.kind, &self.data) {
            (Kind::Text, Some(d)) => std::str::from_utf8(d).ok(),
            _ => None,
        }
    }

    /// A `data:` URL of an image whose bytes are at hand.
    pub fn data_url(&self) -> Option<String> {
        use base64::Engine;
        let data = self.data.as_ref().filter(|_| self.is_image())?;
        Some(format!(
            "data:{};base64,{}",
            self.mime,
            base64::engine::general_purpose::STANDARD.encode(data)
        ))
    }
}

/// The tokens `attachments` add to a request (saturating: the counts may come from a file).
pub fn tokens(attachments: &[Attachment]) -> u64 {
    attachments
        .iter()
        .fold(0u64, |sum, a| sum.saturating_add(a.tokens))
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// A user message's text with its text attachments after it, each fenced and named by its path.
pub fn text_with_files(prompt: &str, attachments: &[Attachment]) -> String {
    if !attachments.iter().any(|a| a.kind == Kind::Text) {
        return prompt.to_string();
    }
    let mut text = prompt.trim_end().to_string();
    for a in attachments.iter().filter(|a| a.kind == Kind::Text) {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(&fenced(&a.name, a.text().unwrap_or("")));
    }
    text
}

/// Refuses attachments that cannot fit: `tokens` (the prompt's with its attachments) over
/// the smallest context among `contexts` (model, context length), which it names.
pub fn check_total(tokens: u64, contexts: &[(String, u64)]) -> Result<(), String> {
    let Some((model, context)) = contexts.iter().min_by_key(|(_, c)| *c) else {
        return Ok(());
    };
    if tokens <= *context {
        return Ok(());
    }
    Err(format!(
        "the prompt and its attachments come to ~{} tokens, over the {}-token context of {model}: attach less, or leave that model out",
        crate::textfmt::grouped(tokens),
        crate::textfmt::grouped(*context)
    ))
}

/// Which of `attachments` go to a model (`takes_images`: its catalog lists image input), and
/// a note for each that does not.
pub fn for_model(
    attachments: &[Attachment],
    model: &str,
    takes_images: bool,
) -> (Vec<Attachment>, Vec<String>) {
    let (sent, skipped): (Vec<_>, Vec<_>) = attachments
        .iter()
        .cloned()
        .partition(|a| !a.is_image() || takes_images);
    let notes = skipped.iter().map(|a| skipped_note(a, model)).collect();
    (sent, notes)
}

/// The note a pane shows for an image its model was not sent.
pub fn skipped_note(a: &Attachment, model: &str) -> String {
    format!(
        "{} not sent: {model} takes no images (none in its catalog entry)",
        a.name
    )
}

#[cfg(test)]
mod tests;
