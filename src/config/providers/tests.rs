//! Tests of `providers`.

use super::*;

fn raw(text: &str) -> RawProvider {
    toml::from_str(text).unwrap()
}

#[test]
fn keys_come_from_env_or_a_command_and_never_show() {
    // SAFETY: the variable is unique to this test.
    unsafe { std::env::set_var("SWITCHBOARD_TEST_KEY_ENV_1", "sk-from-env") };
    let p = build("work", &raw("kind = \"openai-compatible\"\nbase_url = \"https://llm.example.com/v1\"\nkey_env = \"SWITCHBOARD_TEST_KEY_ENV_1\""), false).unwrap();
    assert_eq!(p.endpoint.api_key.as_ref().unwrap().expose(), "sk-from-env");
    assert_eq!(p.key_source, "$SWITCHBOARD_TEST_KEY_ENV_1");
    assert!(
        !format!("{p:?}").contains("sk-from-env"),
        "Debug never shows a key"
    );
    let p = build("cmd", &raw("kind = \"openai-compatible\"\nbase_url = \"http://127.0.0.1:9/v1\"\nkey_command = \"echo sk-from-command; echo second-line\""), false).unwrap();
    assert_eq!(
        p.endpoint.api_key.as_ref().unwrap().expose(),
        "sk-from-command"
    );
    assert!(p.local, "127.0.0.1 is local");
    let e = build("cmd", &raw("kind = \"openai-compatible\"\nbase_url = \"http://x.example/v1\"\nkey_command = \"echo oops >&2; exit 3\""), false).unwrap_err();
    assert!(e.contains("key_command failed"), "{e}");
    let slow = key_from_command_within("sleep 5; echo late", std::time::Duration::from_millis(200))
        .unwrap_err();
    assert!(slow.contains("was stopped"), "{slow}");
}

#[test]
fn only_loopback_or_local_true_is_free_and_the_kind_is_guessed() {
    let build = |text: &str| build("p", &raw(text), true).unwrap();
    let gateway = build("base_url = \"http://10.1.2.3:4000/v1\"");
    assert!(
        !gateway.local,
        "a private network address alone is not free"
    );
    assert_eq!(gateway.kind(), Kind::OpenAiCompatible);
    assert_eq!(gateway.kind_choice, KindChoice::Fallback);
    assert!(!build("base_url = \"http://gpu.local:8000/v1\"").local);
    assert!(!build("base_url = \"http://192.168.1.5:11434/v1\"").local);
    let ollama = build("base_url = \"http://127.0.0.1:11434/v1\"");
    assert!(ollama.local);
    assert_eq!(ollama.kind(), Kind::Ollama);
    assert_eq!(ollama.kind_choice, KindChoice::Port(11434));
    assert!(build("base_url = \"http://10.1.2.3/v1\"\nlocal = true").local);
    assert!(!build("base_url = \"http://localhost:8080/v1\"\nlocal = false").local);
    let openai = build("base_url = \"https://api.openai.com/v1\"");
    assert_eq!(openai.kind(), Kind::OpenAi);
    let set = build("kind = \"vllm\"\nbase_url = \"https://llm.corp.example/v1\"");
    assert_eq!(
        (set.kind(), set.kind_choice),
        (Kind::Vllm, KindChoice::Configured)
    );
}

#[test]
fn a_file_others_can_change_runs_no_key_command() {
    let text = "kind = \"openai-compatible\"\nbase_url = \"http://x.example/v1\"\nkey_command = \"echo sk-cmd\"";
    let e = build("p", &raw(text), Trust::Open).unwrap_err();
    assert!(e.contains("others can change the file"), "{e}");
    let env = "kind = \"openai-compatible\"\nbase_url = \"http://x.example/v1\"\nkey_env = \"OPENROUTER_API_KEY\"";
    let e = build("p", &raw(env), Trust::Open).unwrap_err();
    assert!(e.contains("names a key"), "{e}");
    assert!(build("p", &raw(text), Trust::Safe).is_ok());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(&path, "").unwrap();
    use std::os::unix::fs::PermissionsExt;
    for (mode, trust) in [
        (0o600, Trust::Private),
        (0o644, Trust::Safe),
        (0o640, Trust::Safe),
        (0o664, Trust::Open),
        (0o606, Trust::Open),
    ] {
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
        assert_eq!(super::super::file::trust_of(&path), trust, "{mode:o}");
    }
}

#[test]
fn a_key_in_a_file_others_can_read_is_refused() {
    let text = "kind = \"openrouter\"\nkey = \"sk-or-in-file\"";
    let e = build("openrouter", &raw(text), false).unwrap_err();
    assert!(
        e.contains("readable by others") && e.contains("chmod 600"),
        "{e}"
    );
    assert!(!e.contains("sk-or-in-file"));
    let p = build("openrouter", &raw(text), true).unwrap();
    assert_eq!(p.endpoint.api_key.unwrap().expose(), "sk-or-in-file");
}

#[test]
fn validation_says_what_is_wrong() {
    let cases = [
        (
            "kind = \"olama\"\nbase_url = \"http://x\"",
            "kind must be one of openrouter, openai, azure",
        ),
        ("kind = \"openai-compatible\"", "base_url is missing"),
        (
            "kind = \"openai-compatible\"\nbase_url = \"ftp://x\"",
            "not an http(s) URL",
        ),
        (
            "kind = \"openai-compatible\"\nbase_url = \"http://x\"\nkey_env = \"A\"\nkey = \"b\"",
            "one of key_env",
        ),
        (
            "kind = \"openai-compatible\"\nbase_url = \"http://x\"\nheaders = { Authorization = \"x\" }",
            "may not set Authorization",
        ),
        (
            "kind = \"openrouter\"\nrouting = { sort = \"fastest\" }",
            "sort must be",
        ),
        (
            "kind = \"openrouter\"\nrouting = { data_collection = \"maybe\" }",
            "data_collection",
        ),
    ];
    for (text, needle) in cases {
        let e = build("p", &raw(text), true).unwrap_err();
        assert!(e.contains(needle), "{text}: {e}");
    }
}

#[test]
fn models_resolve_to_their_provider() {
    let mut reg = Registry::single(Endpoint::new(OPENROUTER_BASE, None));
    reg.providers.push(build("ollama", &raw("kind = \"openai-compatible\"\nbase_url = \"http://localhost:11434/v1\"\n[prices]\n\"llama3.2\" = { input = 0.5, output = \"1.5\" }"), true).unwrap());
    let (p, m) = reg.resolve("ollama:llama3.2:latest");
    assert_eq!((p.name.as_str(), m), ("ollama", "llama3.2:latest"));
    let (p, m) = reg.resolve("openai/gpt-4:free");
    assert_eq!((p.name.as_str(), m), ("openrouter", "openai/gpt-4:free"));
    let (p, m) = reg.resolve("unknown:thing");
    assert_eq!(
        (p.name.as_str(), m),
        ("openrouter", "unknown:thing"),
        "an unknown prefix is part of the id"
    );
    assert_eq!(reg.qualified("ollama", "x"), "ollama:x");
    assert_eq!(reg.qualified("openrouter", "x"), "x");
    let prices = reg.price_tables();
    assert_eq!(prices["ollama:llama3.2"].prompt.to_decimal(), "0.0000005");
    assert_eq!(
        prices["ollama:llama3.2"].completion.to_decimal(),
        "0.0000015"
    );
    assert_eq!(reg.local_prefixes(), vec!["ollama:"]);
    assert!(
        reg.routing("ollama:llama3.2").is_none(),
        "routing is OpenRouter's"
    );
}

#[test]
fn routing_comes_from_the_provider_and_the_model() {
    let mut reg = Registry::single(Endpoint::new(OPENROUTER_BASE, None));
    reg.providers[0] = build(
        "openrouter",
        &raw("kind = \"openrouter\"\n[routing]\nsort = \"price\"\ndata_collection = \"deny\""),
        true,
    )
    .unwrap();
    let model = RawRouting {
        order: Some(vec!["anthropic".into()]),
        fallback_models: vec!["x/y".into()],
        ..RawRouting::default()
    };
    reg.model_routing
        .insert("anthropic/claude-sonnet-4.5".into(), model.check().unwrap());
    let r = reg.routing("anthropic/claude-sonnet-4.5").unwrap();
    assert_eq!(r.provider.sort.as_deref(), Some("price"));
    assert_eq!(
        r.provider.order.as_deref(),
        Some(&["anthropic".to_string()][..])
    );
    assert_eq!(r.fallback_models, vec!["x/y"]);
    assert_eq!(
        reg.routing("other/model")
            .unwrap()
            .provider
            .data_collection
            .as_deref(),
        Some("deny")
    );
}

#[test]
fn middle_out_follows_the_routing_of_openrouter_providers_and_models() {
    let mut reg = Registry::single(Endpoint::new(OPENROUTER_BASE, None));
    let m = reg.middle_out();
    assert_eq!(
        m.providers,
        vec![(String::new(), false)],
        "off unless asked"
    );
    reg.providers[0] = build(
        "openrouter",
        &raw("kind = \"openrouter\"\n[routing]\nmiddle_out = true"),
        true,
    )
    .unwrap();
    let off = RawRouting {
        middle_out: Some(false),
        ..RawRouting::default()
    };
    reg.model_routing
        .insert("x/small".into(), off.check().unwrap());
    let m = reg.middle_out();
    assert!(m.applies(
        "",
        "anthropic/claude-sonnet-4.5",
        "anthropic/claude-sonnet-4.5"
    ));
    assert!(
        !m.applies("", "x/small", "x/small"),
        "the model's own routing wins"
    );
    assert!(
        !m.applies("ollama:", "ollama:llama3", "llama3"),
        "not OpenRouter's kind"
    );
}
