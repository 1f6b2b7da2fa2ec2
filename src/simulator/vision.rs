//! What the simulator makes of content parts: the text of a message whichever form it came
//! in, the images it carries, and which models see them. A model without image input refuses
//! them as OpenRouter does, with a 404 and its words.

use serde_json::Value;

/// The simulated models whose catalog entries list image input.
pub fn takes_images(id: &str) -> bool {
    matches!(
        id,
        "sim/sage-large" | "openai/gpt-4.1-mini" | "openai/gpt-5-mini"
    )
}

/// A message's text: the string, or its text parts joined.
pub fn content_text(message: &Value) -> String {
    match message.get("content") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(parts)) => parts
            .iter()
            .filter_map(|p| p.get("text").and_then(Value::as_str))
            .collect::<Vec<_>>()
            .join("\n"),
        _ => String::new(),
    }
}

/// The images of a request's messages, in order, described (`image/png, 1,234 bytes`).
pub fn images(body: &Value) -> Vec<String> {
    body.get("messages")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|m| m.get("content").and_then(Value::as_array))
        .flatten()
        .filter(|p| p.get("type").and_then(Value::as_str) == Some("image_url"))
        .map(|p| {
            describe(
                p.pointer("/image_url/url")
                    .and_then(Value::as_str)
                    .unwrap_or(""),
            )
        })
        .collect()
}

fn describe(url: &str) -> String {
    use base64::Engine;
    let Some((head, data)) = url
        .strip_prefix("data:")
        .and_then(|u| u.split_once(";base64,"))
    else {
        return "an image by URL".into();
    };
    match base64::engine::general_purpose::STANDARD.decode(data) {
        Ok(bytes) => format!(
            "{head}, {} bytes",
            crate::textfmt::grouped(bytes.len() as u64)
        ),
        Err(_) => format!("{head}, undecodable"),
    }
}

/// Whether any message of the request carries an image part.
pub fn has_images(body: &Value) -> bool {
    !images(body).is_empty()
}

/// The first line of an answer to a prompt with images: what the model was shown.
pub fn seen_line(images: &[String]) -> Option<String> {
    (!images.is_empty()).then(|| {
        format!(
            "(I see {}: {}.)\n\n",
            count(images.len()),
            images.join("; ")
        )
    })
}

fn count(n: usize) -> String {
    if n == 1 {
        "1 image".into()
    } else {
        format!("{n} images")
    }
}

pub const REFUSAL: &str = "No endpoints found that support image input";
