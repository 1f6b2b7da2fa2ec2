//! Tests of `theme`.

use super::*;

#[test]
fn built_in_themes_set_every_slot() {
    for (name, text) in BUILT_IN {
        let doc: toml::Table = text.parse().unwrap();
        let styles = doc["styles"].as_table().unwrap();
        for slot in SLOTS {
            assert!(styles.contains_key(*slot), "{name} lacks {slot}");
        }
        let t = Theme::parse(text, &format!("themes/{name}.toml")).unwrap();
        assert_eq!(t.name, name);
        assert!(!t.syntax.is_empty());
    }
    assert_ne!(Theme::builtin("light"), Theme::builtin("dark"));
}

#[test]
fn errors_name_the_file_and_the_key() {
    let e = Theme::parse("[styles]\nborder = { fg = \"blurple\" }\n", "mine.toml").unwrap_err();
    assert_eq!(
        (e.file.as_str(), e.key.as_str()),
        ("mine.toml", "styles.border.fg")
    );
    assert!(e.to_string().contains("blurple"));
    let e = Theme::parse("[styles]\nbordr = {}\n", "mine.toml").unwrap_err();
    assert_eq!(e.key, "styles.bordr");
    let e = Theme::parse("colour = 1\n", "mine.toml").unwrap_err();
    assert_eq!(e.key, "colour");
    let e = Theme::parse("[styles\n", "mine.toml").unwrap_err();
    assert_eq!(e.key, "(syntax)");
}

#[test]
fn user_themes_load_and_bad_ones_fall_back() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("mine.toml"),
        "name = \"mine\"\n[styles]\nerror = { fg = \"#ff0000\", bold = true }\n",
    )
    .unwrap();
    let (t, warning) = Theme::load("mine", dir.path(), false);
    assert_eq!((t.name.as_str(), warning), ("mine", None));
    assert_eq!(
        t.error,
        Style::default()
            .fg(Color::Rgb(255, 0, 0))
            .add_modifier(Modifier::BOLD)
    );
    assert_eq!(
        t.border,
        Theme::dark().border,
        "missing slots keep the default"
    );
    std::fs::write(
        dir.path().join("bad.toml"),
        "[styles]\nerror = { fg = 3.5 }\n",
    )
    .unwrap();
    let (t, warning) = Theme::load("bad", dir.path(), false);
    assert_eq!(t.name, "dark");
    let w = warning.unwrap();
    assert!(
        w.contains("bad.toml") && w.contains("styles.error.fg"),
        "{w}"
    );
    let (_, warning) = Theme::load("nope", dir.path(), false);
    assert!(warning.unwrap().contains("high-contrast"));
    let (t, _) = Theme::load("light", dir.path(), true);
    assert_eq!(t.error.fg, None, "NO_COLOR drops colours");
    assert!(t.syntax.is_empty());
}
