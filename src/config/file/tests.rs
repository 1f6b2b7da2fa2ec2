//! Tests of `file`.

use super::*;

fn p() -> PathBuf {
    PathBuf::from("/cfg/config.toml")
}

#[test]
fn parses_a_full_file() {
    let text = "models = [\"a/b\", \"c/d\"]\nmax_cost = 0.5\nmouse = false\ntheme = \"light\"\n[keys]\nzoom = \"f11\"\nsend_focused = [\"ctrl-s\", \"f5\"]\n";
    let c = parse(text, &p(), true).unwrap();
    assert_eq!(c.models, vec!["a/b", "c/d"]);
    assert_eq!(c.max_cost.unwrap().to_decimal(), "0.5");
    assert_eq!(c.mouse, Some(false));
    assert_eq!(c.theme.as_deref(), Some("light"));
    assert_eq!(
        c.keymap
            .key_for(crate::state::keymap::Scope::Editor, Action::Zoom)
            .unwrap()
            .to_string(),
        "F11"
    );
}

#[test]
fn errors_name_file_line_and_key() {
    let e = parse("models = []\nfrobnicate = 1\n", &p(), true).unwrap_err();
    assert_eq!(e.line, Some(2));
    assert!(e.to_string().starts_with("/cfg/config.toml:2"), "{e}");
    assert!(e.message.contains("frobnicate"), "{e}");

    let e = parse("\n[keys]\nzoom = \"hyper-z\"\n", &p(), true).unwrap_err();
    assert_eq!((e.line, e.key.as_deref()), (Some(3), Some("keys.zoom")));
    let e = parse("[keys]\nteleport = \"f2\"\n", &p(), true).unwrap_err();
    assert!(e.message.contains("unknown action"), "{e}");
    let e = parse("[keys]\nhelp = \"ctrl-q\"\n", &p(), true).unwrap_err();
    assert!(e.message.contains("already bound"), "{e}");
    let e = parse("max_cost = -1\n", &p(), true).unwrap_err();
    assert_eq!((e.line, e.key.as_deref()), (Some(1), Some("max_cost")));
    let e = parse("models = \"x\"\n", &p(), true).unwrap_err();
    assert_eq!(e.line, Some(1));
}

#[test]
fn providers_defaults_and_routing_are_read_and_checked_with_lines() {
    let text = "default_provider = \"local\"\n\n[defaults]\ntemperature = 0.3\nsystem = \"be brief\"\n\n[providers.local]\nkind = \"openai-compatible\"\nbase_url = \"http://127.0.0.1:11434/v1\"\n\n[routing.\"a/b\"]\nsort = \"latency\"\n";
    let c = parse(text, &p(), true).unwrap();
    assert_eq!(c.default_provider.as_deref(), Some("local"));
    assert_eq!(c.providers[0].name, "local");
    assert_eq!(c.params.temperature, Some(0.3));
    assert_eq!(c.system.as_deref(), Some("be brief"));
    assert_eq!(
        c.model_routing["a/b"].provider.sort.as_deref(),
        Some("latency")
    );

    let e = parse(
        "models = []\n\n[providers.bad]\nkind = \"nope\"\nbase_url = \"http://x\"\n",
        &p(),
        true,
    )
    .unwrap_err();
    assert_eq!(
        (e.line, e.key.as_deref()),
        (Some(3), Some("providers.bad")),
        "{e}"
    );
    let e = parse(
        "[providers.x]\nkind = \"openai-compatible\"\nbase_url = \"http://x\"\ncolour = 1\n",
        &p(),
        true,
    )
    .unwrap_err();
    assert!(e.message.contains("colour"), "{e}");
    let e = parse("default_provider = \"ghost\"\n", &p(), true).unwrap_err();
    assert_eq!(
        (e.line, e.key.as_deref()),
        (Some(1), Some("default_provider"))
    );
    let e = parse("\n[defaults]\ntemperature = 9\n", &p(), true).unwrap_err();
    assert_eq!(e.key.as_deref(), Some("defaults.temperature"));
    let e = parse(
        "[providers.or]\nkind = \"openrouter\"\nkey = \"sk-or-secret\"\n",
        &p(),
        false,
    )
    .unwrap_err();
    assert!(
        e.to_string().contains("readable by others") && !e.to_string().contains("sk-or-secret"),
        "{e}"
    );
}

#[test]
fn a_missing_file_is_the_defaults() {
    let c = load(Path::new("/nonexistent/switchboard/config.toml")).unwrap();
    assert!(c.models.is_empty() && c.max_cost.is_none());
}

#[test]
fn blind_mode_and_the_judge_come_from_the_file() {
    let c = parse(
        "blind = true\n[judge]\nmodel = \"sim/judge-fair\"\nprompt = \"Q: {prompt}\\n{answers}\\nJSON please\"\n",
        &p(),
        true,
    )
    .unwrap();
    assert!(c.blind);
    let j = c.judge.unwrap();
    assert_eq!(j.model, "sim/judge-fair");
    assert!(j.template.starts_with("Q: {prompt}"));
    let d = parse("[judge]\nmodel = \"x/y\"\n", &p(), true).unwrap();
    assert_eq!(d.judge.unwrap().template, crate::judge::DEFAULT_TEMPLATE);
    let e = parse(
        "\n[judge]\nmodel = \"x/y\"\nprompt = \"no fields\"\n",
        &p(),
        true,
    )
    .unwrap_err();
    assert_eq!(e.key.as_deref(), Some("judge"));
    assert!(e.message.contains("{prompt}"), "{e}");
    let e = parse("[judge]\nmodle = \"x/y\"\n", &p(), true).unwrap_err();
    assert!(e.message.contains("modle"), "unknown keys are refused: {e}");
}

#[test]
fn context_overflow_and_middle_out_come_from_the_file() {
    use crate::state::overflow::OnOverflow;
    let c = parse("on_context_overflow = \"trim\"\n", &p(), true).unwrap();
    assert_eq!(c.on_overflow, OnOverflow::Trim);
    assert_eq!(parse("", &p(), true).unwrap().on_overflow, OnOverflow::Ask);
    let e = parse("\non_context_overflow = \"cut\"\n", &p(), true).unwrap_err();
    assert_eq!(e.key.as_deref(), Some("on_context_overflow"));
    assert_eq!(e.line, Some(2));
    assert!(e.message.contains("ask, trim or send"), "{e}");
    let c = parse("[routing.\"x/y\"]\nmiddle_out = true\n", &p(), true).unwrap();
    assert_eq!(c.model_routing["x/y"].middle_out, Some(true));
}
