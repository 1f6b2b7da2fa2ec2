use super::*;

const OPENROUTER: &str = r#"{"data":[
 {"id":"openai/gpt-4","canonical_slug":"openai/gpt-4","name":"GPT-4","created":1692901234,
  "context_length":8192,
  "architecture":{"modality":"text->text","input_modalities":["text"],"output_modalities":["text"],"tokenizer":"GPT"},
  "pricing":{"prompt":"0.00003","completion":"0.00006","request":"0","image":"0","input_cache_read":"0.000015"},
  "supported_parameters":["temperature","max_tokens"]},
 {"id":"deepseek/r1","name":"R1","context_length":null,
  "pricing":{"prompt":"0.0000005","completion":"0.000002","internal_reasoning":"0.000002"},
  "reasoning":{"mandatory":false}},
 {"id":"openrouter/auto","name":"Auto","pricing":{"prompt":"-1","completion":"-1"}},
 {"name":"no id, skipped"},
 {"id":"x/free:free","name":"Free","pricing":{"prompt":"0","completion":"0"}}
],"links":{"next":null}}"#;

#[test]
fn parses_openrouter_models() {
    let models = parse_models(OPENROUTER).unwrap();
    assert_eq!(models.len(), 4, "the entry without id is skipped");
    let gpt4 = &models[0];
    assert_eq!(gpt4.name, "GPT-4");
    assert_eq!(gpt4.context_length, Some(8192));
    assert_eq!(gpt4.input_modalities, vec!["text"]);
    let p = gpt4.pricing.as_ref().unwrap();
    assert_eq!(p.prompt.to_decimal(), "0.00003");
    assert_eq!(p.completion.per_million().display_price(), "60.00");
    assert_eq!(p.request, None, "a zero request price is no request price");
    assert_eq!(p.input_cache_read.unwrap().to_decimal(), "0.000015");
    assert!(!gpt4.reasoning);
    assert!(models[1].reasoning);
    assert_eq!(
        models[1]
            .pricing
            .as_ref()
            .unwrap()
            .internal_reasoning
            .unwrap()
            .to_decimal(),
        "0.000002"
    );
    assert_eq!(
        models[2].pricing, None,
        "variable router prices are unknown, not negative"
    );
    assert!(models[3].is_free());
}

#[test]
fn parses_local_model_lists() {
    let ollama = r#"{"object":"list","data":[{"id":"llama3.2:latest","object":"model","created":1,"owned_by":"library"}]}"#;
    let m = &parse_models(ollama).unwrap()[0];
    assert_eq!(m.id, "llama3.2:latest");
    assert_eq!(m.name, "llama3.2:latest");
    assert_eq!(m.pricing, None);
    let vllm = r#"{"data":[{"id":"qwen","object":"model","max_model_len":32768}]}"#;
    assert_eq!(parse_models(vllm).unwrap()[0].context_length, Some(32768));
    assert!(parse_models("<html>").is_err());
    assert!(parse_models(r#"{"nothing":1}"#).is_err());
}

fn catalog() -> Catalog {
    Catalog {
        base_url: "https://openrouter.ai/api/v1".into(),
        fetched_at: 1,
        models: parse_models(OPENROUTER).unwrap(),
    }
}

#[test]
fn pricing_looks_through_variant_suffixes() {
    let c = catalog();
    let base = c.pricing_for("openai/gpt-4").unwrap();
    assert_eq!(c.pricing_for("openai/gpt-4:nitro"), Some(base.clone()));
    assert_eq!(c.pricing_for("openai/gpt-4:floor"), Some(base));
    assert!(c.pricing_for("openai/gpt-4:free").unwrap().is_free());
    assert_eq!(c.pricing_for("openai/gpt-4:weird"), None);
    assert_eq!(c.pricing_for("unknown/model"), None);
}

#[test]
fn search_matches_every_word_in_id_or_name() {
    let c = catalog();
    let ids: Vec<&str> = c.search("GPT").map(|m| m.id.as_str()).collect();
    assert_eq!(ids, vec!["openai/gpt-4"]);
    assert_eq!(c.search("openai 4").count(), 1);
    assert_eq!(c.search("openai r1").count(), 0);
    assert_eq!(c.search("").count(), 4);
}

#[test]
fn cache_round_trips_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let c = catalog();
    c.save(dir.path()).unwrap();
    let path = Catalog::cache_path(dir.path(), &c.base_url);
    assert!(
        path.ends_with("catalog/openrouter.ai_api_v1.json"),
        "{path:?}"
    );
    let back = Catalog::load_cached(dir.path(), &c.base_url).unwrap();
    assert_eq!(back.models, c.models);
    assert_eq!(back.fetched_at, 1);
    assert!(Catalog::load_cached(dir.path(), "http://other").is_none());
}

fn listing_fixture(name: &str) -> String {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/providers/listing");
    std::fs::read_to_string(dir.join(name)).unwrap()
}

#[test]
fn local_servers_list_their_context_sizes() {
    // LM Studio's documented /api/v0/models.
    let models = parse_models(&listing_fixture("lmstudio_api_v0_models.json")).unwrap();
    let ctx: Vec<_> = models
        .iter()
        .map(|m| (m.id.as_str(), m.context_length))
        .collect();
    assert_eq!(
        ctx,
        [
            ("qwen2-vl-7b-instruct", Some(32768)),
            ("meta-llama-3.1-8b-instruct", Some(131072)),
            ("text-embedding-nomic-embed-text-v1.5", Some(2048))
        ]
    );
    // vLLM's max_model_len and llama.cpp's meta.n_ctx_train.
    let body = r#"{"object":"list","data":[{"id":"Qwen/Qwen3-8B","object":"model","max_model_len":32768},{"id":"gpt-oss-20b","object":"model","meta":{"vocab_type":2,"n_ctx_train":131072}}]}"#;
    let ctx: Vec<_> = parse_models(body)
        .unwrap()
        .into_iter()
        .map(|m| m.context_length)
        .collect();
    assert_eq!(ctx, [Some(32768), Some(131072)]);
    // Ollama's /api/show keeps it under `<architecture>.context_length` (the docs' example
    // is JSON5; its values in JSON).
    let show = listing_fixture("ollama_api_show.json5");
    assert!(show.contains("\"llama.context_length\": 8192"));
    let as_json = r#"{"model_info":{"general.architecture":"llama","llama.context_length":8192}}"#;
    assert_eq!(super::listing::ollama_context(as_json), Some(8192));
    assert_eq!(
        super::listing::llamacpp_props_context(
            r#"{"default_generation_settings":{"n_ctx":4096},"total_slots":1}"#
        ),
        Some(4096)
    );
    assert_eq!(
        super::listing::root_of("http://localhost:11434/v1"),
        "http://localhost:11434"
    );
    // Ollama's documented /api/tags: the names are what /api/show is asked about.
    let tags: serde_json::Value =
        serde_json::from_str(&listing_fixture("ollama_api_tags.json")).unwrap();
    assert_eq!(tags["models"][0]["name"], "deepseek-r1:latest");
}
