//! Serde shapes of streamed chat chunks, as lenient as the real servers need: every field is
//! optional, unknown fields are ignored, strings are borrowed from the input where possible.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{Deserializer, Visitor};
use serde_json::value::RawValue;

/// A string borrowed from the JSON text when it has no escapes.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Str<'a>(pub Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Str<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Str<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Str(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Str(Cow::Owned(v.to_string())))
            }
            fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
                Ok(Str(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V)
    }
}

impl Str<'_> {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A token count that tolerates floats (`12.0`) and nulls.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Count(pub u64);

impl<'de> Deserialize<'de> for Count {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Count;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a token count")
            }
            fn visit_u64<E>(self, v: u64) -> Result<Count, E> {
                Ok(Count(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Count, E> {
                Ok(Count(v.max(0) as u64))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Count, E> {
                Ok(Count(if v.is_finite() && v > 0.0 {
                    v as u64
                } else {
                    0
                }))
            }
            fn visit_unit<E>(self) -> Result<Count, E> {
                Ok(Count(0))
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Debug, Deserialize)]
pub struct Chunk<'a> {
    #[serde(borrow, default)]
    pub model: Option<Str<'a>>,
    #[serde(borrow, default)]
    pub provider: Option<Str<'a>>,
    #[serde(borrow, default)]
    pub choices: Option<Vec<Choice<'a>>>,
    #[serde(borrow, default)]
    pub usage: Option<WireUsage<'a>>,
    /// Groq puts the usage here, on the last chunk.
    #[serde(borrow, default)]
    pub x_groq: Option<XGroq<'a>>,
    /// llama.cpp's speed and token counts, on the last chunk.
    #[serde(default)]
    pub timings: Option<Timings>,
    /// `{code, message, metadata}` or, from some servers, a bare string.
    #[serde(borrow, default)]
    pub error: Option<&'a RawValue>,
}

#[derive(Debug, Deserialize)]
pub struct Choice<'a> {
    #[serde(default)]
    pub index: Option<u32>,
    #[serde(borrow, default)]
    pub delta: Option<Delta<'a>>,
    /// Non-streamed responses carry `message` instead of `delta`.
    #[serde(borrow, default)]
    pub message: Option<Delta<'a>>,
    #[serde(borrow, default)]
    pub finish_reason: Option<Str<'a>>,
}

#[derive(Debug, Deserialize)]
pub struct XGroq<'a> {
    #[serde(borrow, default)]
    pub usage: Option<WireUsage<'a>>,
}

#[derive(Debug, Deserialize)]
pub struct Timings {
    #[serde(default)]
    pub prompt_n: Option<Count>,
    #[serde(default)]
    pub predicted_n: Option<Count>,
}

/// `delta.content`: a string, or (Mistral) an array of typed parts where `thinking` parts hold
/// reasoning. Read without buffering, as it is on every chunk.
#[derive(Debug, Default, PartialEq, Eq)]
pub enum Content {
    #[default]
    Empty,
    Text(String),
    Parts(Vec<Part>),
}

#[derive(Debug, Default, PartialEq, Eq, Deserialize)]
pub struct Part {
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    #[serde(default)]
    pub text: Option<String>,
    /// A `thinking` part's content: more parts, or (some servers) a string.
    #[serde(default)]
    pub thinking: Option<Content>,
}

impl<'de> Deserialize<'de> for Content {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Content;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string or a list of content parts")
            }
            fn visit_str<E>(self, v: &str) -> Result<Content, E> {
                Ok(Content::Text(v.to_string()))
            }
            fn visit_string<E>(self, v: String) -> Result<Content, E> {
                Ok(Content::Text(v))
            }
            fn visit_unit<E>(self) -> Result<Content, E> {
                Ok(Content::Empty)
            }
            fn visit_none<E>(self) -> Result<Content, E> {
                Ok(Content::Empty)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Content, A::Error> {
                let mut parts = Vec::new();
                while let Some(p) = seq.next_element::<Part>()? {
                    parts.push(p);
                }
                Ok(Content::Parts(parts))
            }
        }
        d.deserialize_any(V)
    }
}

impl Content {
    /// Pushes the answer text and the reasoning text this content holds.
    pub fn split_into(&self, text: &mut String, reasoning: &mut String) {
        match self {
            Content::Empty => {}
            Content::Text(t) => text.push_str(t),
            Content::Parts(parts) => {
                for p in parts {
                    match p.kind.as_deref() {
                        Some("thinking") => {
                            if let Some(inner) = &p.thinking {
                                // Everything inside a thinking part is reasoning.
                                let mut all = String::new();
                                inner.split_into(&mut all, reasoning);
                                reasoning.push_str(&all);
                            }
                        }
                        Some("text") | None => {
                            if let Some(t) = &p.text {
                                text.push_str(t);
                            }
                        }
                        // Images, references and tool parts carry no text to show.
                        Some(_) => {}
                    }
                }
            }
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct Delta<'a> {
    #[serde(default)]
    pub content: Option<Content>,
    #[serde(default)]
    pub refusal: Option<String>,
    /// OpenRouter, Ollama, LM Studio.
    #[serde(default)]
    pub reasoning: Option<String>,
    /// llama.cpp, vLLM, DeepSeek.
    #[serde(default)]
    pub reasoning_content: Option<String>,
    #[serde(borrow, default)]
    pub reasoning_details: Option<Vec<ReasoningDetail<'a>>>,
}

#[derive(Debug, Deserialize)]
pub struct ReasoningDetail<'a> {
    #[serde(borrow, default, rename = "type")]
    pub kind: Option<Str<'a>>,
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub summary: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct WireUsage<'a> {
    #[serde(default)]
    pub prompt_tokens: Option<Count>,
    #[serde(default)]
    pub completion_tokens: Option<Count>,
    /// Kept raw so the decimal is read exactly, never through a float.
    #[serde(borrow, default)]
    pub cost: Option<&'a RawValue>,
    /// xAI's billed cost, in ticks of 1e-10 USD (read leniently: a float or null is no
    /// reason to lose the usage).
    #[serde(default)]
    pub cost_in_usd_ticks: Option<Count>,
    #[serde(default)]
    pub prompt_tokens_details: Option<PromptDetails>,
    #[serde(default)]
    pub completion_tokens_details: Option<CompletionDetails>,
}

#[derive(Debug, Deserialize)]
pub struct PromptDetails {
    #[serde(default)]
    pub cached_tokens: Option<Count>,
}

#[derive(Debug, Deserialize)]
pub struct CompletionDetails {
    #[serde(default)]
    pub reasoning_tokens: Option<Count>,
}

/// The `error` object of an in-band error chunk or an HTTP error body.
#[derive(Debug, Default, Deserialize)]
pub struct WireError {
    #[serde(default)]
    pub code: Option<serde_json::Value>,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub metadata: Option<serde_json::Value>,
}

impl WireError {
    /// Parses `{"code":..,"message":..}` or a bare string.
    pub fn from_raw(raw: &RawValue) -> WireError {
        match serde_json::from_str::<WireError>(raw.get()) {
            Ok(e) => e,
            Err(_) => WireError {
                message: serde_json::from_str::<String>(raw.get()).ok(),
                ..WireError::default()
            },
        }
    }

    /// The numeric code, whether sent as a number or a string of digits.
    pub fn numeric_code(&self) -> Option<u16> {
        match self.code.as_ref()? {
            serde_json::Value::Number(n) => n.as_u64().and_then(|c| u16::try_from(c).ok()),
            serde_json::Value::String(s) => s.parse().ok(),
            _ => None,
        }
    }

    /// The upstream detail OpenRouter puts in `metadata.raw` behind "Provider returned error".
    pub fn raw_detail(&self) -> Option<String> {
        let meta = self.metadata.as_ref()?;
        match meta.get("raw")? {
            serde_json::Value::String(s) => Some(s.clone()),
            other => Some(other.to_string()),
        }
    }

    pub fn provider_name(&self) -> Option<&str> {
        self.metadata.as_ref()?.get("provider_name")?.as_str()
    }
}
