//! Tests of `dialects`.

use super::*;
use TokenLimit::{MaxCompletionTokens, MaxTokens};

#[test]
fn every_kind_has_one_row_and_parses_back() {
    for d in DIALECTS {
        assert_eq!(DIALECTS.iter().filter(|e| e.kind == d.kind).count(), 1);
        assert_eq!(Kind::parse(d.name), Some(d.kind), "{}", d.name);
        assert_eq!(d.kind.dialect().name, d.name);
    }
    assert_eq!(DIALECTS.len(), 18);
    assert_eq!(Kind::parse("LlamaCpp"), Some(Kind::LlamaCpp));
    assert_eq!(Kind::parse("nonsense"), None);
}

#[test]
fn the_kind_is_guessed_from_host_then_port() {
    let cases = [
        ("https://api.openai.com/v1", Kind::OpenAi),
        ("https://api.mistral.ai/v1", Kind::Mistral),
        ("https://api.groq.com/openai/v1", Kind::Groq),
        ("https://api.deepseek.com", Kind::DeepSeek),
        ("https://myres.openai.azure.com/openai/v1", Kind::Azure),
        ("https://router.huggingface.co/v1", Kind::HuggingFace),
        (
            "https://generativelanguage.googleapis.com/v1beta/openai",
            Kind::Gemini,
        ),
        ("http://localhost:11434/v1", Kind::Ollama),
        ("http://10.0.0.5:1234/v1", Kind::LmStudio),
        ("http://box.lan:9999/v1", Kind::OpenAiCompatible),
        ("https://openrouter.ai/api/v1", Kind::OpenRouter),
    ];
    for (url, kind) in cases {
        assert_eq!(guess(url).0, kind, "{url}");
    }
    assert_eq!(
        guess("http://localhost:11434/v1").1,
        KindChoice::Port(11434)
    );
    assert_eq!(
        guess("https://api.openai.com/v1").1.to_string(),
        "guessed from the host api.openai.com"
    );
    assert_eq!(
        guess("https://notapi.openai.com.evil/v1").0,
        Kind::OpenAiCompatible
    );
}

#[test]
fn openai_reasoning_families_take_max_completion_tokens() {
    let d = Kind::OpenAi.dialect();
    assert_eq!(d.token_limit_for("gpt-5-mini"), MaxCompletionTokens);
    assert!(d.family("o4-mini").unwrap().default_temperature_only);
    assert!(d.family("gpt-4.1-mini").is_none());
    assert_eq!(
        Kind::OpenAiCompatible.dialect().token_limit_for("gpt-5"),
        MaxTokens
    );
}
