//! syntect's syntaxes and themes, loaded once per process and shared by the terminal's
//! highlighting (`render`) and the HTML export (`storage`), which must not reach into `render`.

use std::sync::OnceLock;

use syntect::highlighting::ThemeSet;
use syntect::parsing::SyntaxSet;

struct Assets {
    syntaxes: SyntaxSet,
    themes: ThemeSet,
}

// Loading both takes tens of milliseconds and a few megabytes: once, on first use.
fn assets() -> &'static Assets {
    static ASSETS: OnceLock<Assets> = OnceLock::new();
    ASSETS.get_or_init(|| Assets {
        syntaxes: SyntaxSet::load_defaults_newlines(),
        themes: ThemeSet::load_defaults(),
    })
}

/// The built-in syntaxes, compiled for lines that keep their newline.
pub fn syntaxes() -> &'static SyntaxSet {
    &assets().syntaxes
}

/// The built-in colour themes.
pub fn themes() -> &'static ThemeSet {
    &assets().themes
}
