//! Themes: named style slots for every element of the UI, read from `themes/*.toml` (built in
//! at compile time) or from the config dir's `themes/`. Each theme names the syntect theme for
//! code. `NO_COLOR` keeps attributes only. A bad theme file is reported by file and key, and
//! the default theme is used instead.

use std::path::Path;

use ratatui::style::{Color, Modifier, Style};

const BUILT_IN: [(&str, &str); 3] = [
    ("dark", include_str!("../themes/dark.toml")),
    ("light", include_str!("../themes/light.toml")),
    (
        "high-contrast",
        include_str!("../themes/high-contrast.toml"),
    ),
];

pub const DEFAULT_THEME: &str = "dark";

macro_rules! slots {
    ($($slot:ident),* $(,)?) => {
        /// The style of each element; every slot is set by every theme.
        #[derive(Clone, Debug, PartialEq)]
        pub struct Theme {
            pub name: String,
            /// A syntect theme name; empty for no syntax colours.
            pub syntax: String,
            /// What the terminal shows: code colours are mapped down to it.
            pub depth: crate::colors::Depth,
            $(pub $slot: Style,)*
        }

        pub const SLOTS: &[&str] = &[$(stringify!($slot)),*];

        impl Theme {
            fn slot_mut(&mut self, name: &str) -> Option<&mut Style> {
                match name {
                    $(stringify!($slot) => Some(&mut self.$slot),)*
                    _ => None,
                }
            }

            fn blank() -> Theme {
                Theme {
                    name: String::new(),
                    syntax: String::new(),
                    depth: crate::colors::Depth::TrueColor,
                    $($slot: Style::default(),)*
                }
            }

            fn map_styles(&self, f: impl Fn(Style) -> Style) -> Theme {
                Theme {
                    name: self.name.clone(),
                    syntax: self.syntax.clone(),
                    depth: self.depth,
                    $($slot: f(self.$slot),)*
                }
            }
        }
    };
}

slots!(
    border,
    border_focused,
    title,
    served_differs,
    provider,
    prompt,
    reasoning,
    text,
    error,
    ok,
    warn,
    dim,
    demo_badge,
    hint_key,
    hint_text,
    selected,
    cursor_row,
    estimated,
    cost,
    heading1,
    heading2,
    heading3,
    code_inline,
    code_frame,
    code_label,
    link,
    link_url,
    quote,
    quote_bar,
    list_marker,
    table_border,
    table_header,
    rule,
    diff_added,
    diff_removed,
    series_1,
    series_2,
    series_3,
    series_4,
);

/// What went wrong with a theme file, naming the file and the key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("theme {file}: {key}: {message}")]
pub struct ThemeError {
    pub file: String,
    pub key: String,
    pub message: String,
}

fn color(text: &str) -> Option<Color> {
    if let Some(hex) = text.strip_prefix('#') {
        let v = u32::from_str_radix(hex, 16)
            .ok()
            .filter(|_| hex.len() == 6)?;
        return Some(Color::Rgb((v >> 16) as u8, (v >> 8) as u8, v as u8));
    }
    if let Ok(i) = text.parse::<u8>() {
        return Some(Color::Indexed(i));
    }
    text.parse::<Color>().ok()
}

fn style_from(table: &toml::Table, key: &str, file: &str) -> Result<Style, ThemeError> {
    let err = |k: &str, message: String| ThemeError {
        file: file.to_string(),
        key: format!("styles.{key}.{k}"),
        message,
    };
    let mut style = Style::default();
    for (k, v) in table {
        match (k.as_str(), v) {
            ("fg" | "bg", toml::Value::String(s)) => {
                let c = color(s).ok_or_else(|| {
                    err(
                        k,
                        format!("unknown colour {s:?} (a name, #rrggbb or 0-255)"),
                    )
                })?;
                style = if k == "fg" { style.fg(c) } else { style.bg(c) };
            }
            (attr, toml::Value::Boolean(on)) => {
                let m = match attr {
                    "bold" => Modifier::BOLD,
                    "italic" => Modifier::ITALIC,
                    "underline" => Modifier::UNDERLINED,
                    "dim" => Modifier::DIM,
                    "reversed" => Modifier::REVERSED,
                    "strikethrough" => Modifier::CROSSED_OUT,
                    _ => return Err(err(k, "unknown attribute (fg, bg, bold, italic, underline, dim, reversed, strikethrough)".into())),
                };
                if *on {
                    style = style.add_modifier(m);
                }
            }
            _ => return Err(err(k, format!("unexpected value {v}"))),
        }
    }
    Ok(style)
}

impl Theme {
    /// Parses a theme; slots it leaves out keep the default theme's style.
    pub fn parse(text: &str, file: &str) -> Result<Theme, ThemeError> {
        let err = |key: &str, message: String| ThemeError {
            file: file.to_string(),
            key: key.to_string(),
            message,
        };
        let doc: toml::Table = text
            .parse()
            .map_err(|e: toml::de::Error| err("(syntax)", e.message().trim().to_string()))?;
        let mut theme = if file == "themes/dark.toml" {
            Theme::blank()
        } else {
            Theme::builtin(DEFAULT_THEME)
        };
        for (key, value) in &doc {
            match (key.as_str(), value) {
                ("name", toml::Value::String(s)) => theme.name = s.clone(),
                ("syntax", toml::Value::String(s)) => theme.syntax = s.clone(),
                ("styles", toml::Value::Table(styles)) => {
                    for (slot, spec) in styles {
                        let toml::Value::Table(spec) = spec else {
                            return Err(err(
                                &format!("styles.{slot}"),
                                "expected a table like { fg = \"cyan\" }".into(),
                            ));
                        };
                        let style = style_from(spec, slot, file)?;
                        *theme.slot_mut(slot).ok_or_else(|| {
                            err(&format!("styles.{slot}"), "unknown style slot".into())
                        })? = style;
                    }
                }
                _ => return Err(err(key, "unknown key (name, syntax, styles)".into())),
            }
        }
        Ok(theme)
    }

    /// A built-in theme by name; the default one for an unknown name.
    pub fn builtin(name: &str) -> Theme {
        let (file, text) = BUILT_IN
            .iter()
            .find(|(n, _)| *n == name)
            .map_or(("dark", BUILT_IN[0].1), |(n, t)| (*n, *t));
        Theme::parse(text, &format!("themes/{file}.toml")).unwrap_or_else(|_| Theme::blank())
    }

    pub fn builtin_names() -> Vec<&'static str> {
        BUILT_IN.iter().map(|(n, _)| *n).collect()
    }

    /// Attributes only, no colours, no syntax colours (`NO_COLOR`).
    pub fn without_color(&self) -> Theme {
        let mut t = self.map_styles(|s| Style {
            fg: None,
            bg: None,
            underline_color: None,
            ..s
        });
        t.syntax = String::new();
        t.name = format!("{} (no colour)", self.name);
        t.depth = crate::colors::Depth::Mono;
        t
    }

    /// This theme as a terminal of `depth` can show it.
    pub fn at_depth(&self, depth: crate::colors::Depth) -> Theme {
        if depth == crate::colors::Depth::Mono {
            return self.without_color();
        }
        let map = |c: Option<Color>| c.map(|c| depth.map(c));
        let mut t = self.map_styles(|s| Style {
            fg: map(s.fg),
            bg: map(s.bg),
            underline_color: map(s.underline_color),
            ..s
        });
        t.depth = depth;
        t
    }

    /// The theme `name`: a file in `user_dir` (`NAME.toml`) first, then a built-in one.
    /// Problems come back as a warning next to the default theme.
    pub fn load(name: &str, user_dir: &Path, no_color: bool) -> (Theme, Option<String>) {
        let path = user_dir.join(format!("{name}.toml"));
        let (theme, warning) = match std::fs::read_to_string(&path) {
            Ok(text) => match Theme::parse(&text, &path.display().to_string()) {
                Ok(t) => (t, None),
                Err(e) => (
                    Theme::builtin(DEFAULT_THEME),
                    Some(format!("{e}; using the default theme")),
                ),
            },
            Err(_) if BUILT_IN.iter().any(|(n, _)| *n == name) => (Theme::builtin(name), None),
            Err(_) => (
                Theme::builtin(DEFAULT_THEME),
                Some(format!(
                    "no theme {name:?} (built in: {}; or put {name}.toml in {}); using the default theme",
                    Theme::builtin_names().join(", "),
                    user_dir.display()
                )),
            ),
        };
        (
            if no_color {
                theme.without_color()
            } else {
                theme
            },
            warning,
        )
    }

    /// The default theme, honouring `NO_COLOR`.
    pub fn from_env() -> Theme {
        let t = Theme::builtin(DEFAULT_THEME);
        if no_color() { t.without_color() } else { t }
    }

    /// Kept for tests and snapshots: attributes only.
    pub fn no_color() -> Theme {
        Theme::builtin(DEFAULT_THEME).without_color()
    }

    pub fn dark() -> Theme {
        Theme::builtin(DEFAULT_THEME)
    }
}

/// `NO_COLOR` set to anything non-empty.
pub fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

#[cfg(test)]
mod tests;
