use super::*;

#[test]
fn openai_models_get_their_own_tokenizer() {
    for m in [
        "gpt-4o",
        "openai/gpt-4o-mini",
        "openai:gpt-4.1-mini",
        "openai/gpt-5",
        "o3-mini",
        "openai/o4-mini:nitro",
        "openai/gpt-oss-120b",
    ] {
        assert_eq!(Counter::for_model(m), Counter::O200k, "{m}");
    }
    for m in [
        "gpt-4",
        "openai/gpt-4-turbo",
        "gpt-3.5-turbo",
        "box:gpt-4-0613",
    ] {
        assert_eq!(Counter::for_model(m), Counter::Cl100k, "{m}");
    }
    for m in [
        "anthropic/claude-sonnet-4.5",
        "sim/swift-mini",
        "llama3",
        "x-ai/grok-4",
        "openai/omni-moderation",
        "ollama:o1ne",
    ] {
        assert_eq!(Counter::for_model(m), Counter::Ratio, "{m}");
    }
}

#[test]
fn a_loaded_tokenizer_counts_exactly() {
    Counter::O200k.load();
    assert!(Counter::O200k.is_exact());
    // o200k_base: "Hello" ", world" "!"
    assert_eq!(Counter::O200k.count("Hello, world!"), 4);
    assert_eq!(Counter::Ratio.count("Hello, world!"), 4);
    assert_eq!(Counter::Ratio.count("日本語のテキスト"), 2);
}
