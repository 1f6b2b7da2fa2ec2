//! Colour depth: what the terminal can show (24-bit, 256, 16 colours or none), detected from
//! `NO_COLOR`, `COLORTERM` and `TERM` or set by the user, and colours mapped down to it.

use ratatui::style::Color;

/// How many colours the terminal shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Depth {
    #[default]
    TrueColor,
    Ansi256,
    Ansi16,
    /// Attributes only (`NO_COLOR`, or asked for).
    Mono,
}

impl Depth {
    /// `truecolor`/`24bit`, `256`, `16`, `none`, as the config and `--colors` take them.
    pub fn parse(text: &str) -> Result<Option<Depth>, String> {
        Ok(Some(match text.trim().to_ascii_lowercase().as_str() {
            "auto" => return Ok(None),
            "truecolor" | "24bit" | "24-bit" => Depth::TrueColor,
            "256" => Depth::Ansi256,
            "16" => Depth::Ansi16,
            "none" | "no" | "off" => Depth::Mono,
            other => {
                return Err(format!(
                    "colors must be auto, truecolor, 256, 16 or none, not {other:?}"
                ));
            }
        }))
    }

    pub fn describe(self) -> &'static str {
        match self {
            Depth::TrueColor => "24-bit colour",
            Depth::Ansi256 => "256 colours",
            Depth::Ansi16 => "16 colours",
            Depth::Mono => "no colour",
        }
    }

    /// `c` as this terminal can show it.
    pub fn map(self, c: Color) -> Color {
        match (self, c) {
            (Depth::TrueColor, c) => c,
            (Depth::Mono, _) => Color::Reset,
            (Depth::Ansi256, Color::Rgb(r, g, b)) => Color::Indexed(nearest_256(r, g, b)),
            (Depth::Ansi256, c) => c,
            (Depth::Ansi16, Color::Rgb(r, g, b)) => nearest_16(r, g, b),
            (Depth::Ansi16, Color::Indexed(i)) => {
                let (r, g, b) = rgb_of_256(i);
                nearest_16(r, g, b)
            }
            (Depth::Ansi16, c) => c,
        }
    }
}

/// What the terminal has, and why that was concluded. `var` reads the environment.
pub fn detect(var: impl Fn(&str) -> Option<String>) -> (Depth, String) {
    let set = |name: &str| var(name).filter(|v| !v.is_empty());
    if set("NO_COLOR").is_some() {
        return (Depth::Mono, "NO_COLOR is set".into());
    }
    if let Some(ct) = set("COLORTERM")
        && matches!(ct.to_ascii_lowercase().as_str(), "truecolor" | "24bit")
    {
        return (Depth::TrueColor, format!("COLORTERM={ct}"));
    }
    match set("TERM") {
        Some(t)
            if t.ends_with("-direct")
                || t.contains("truecolor")
                || TRUECOLOR_TERMS.contains(&t.as_str()) =>
        {
            (Depth::TrueColor, format!("TERM={t}"))
        }
        Some(t) if t.contains("256") => (Depth::Ansi256, format!("TERM={t}")),
        Some(t) if t == "dumb" => (Depth::Mono, "TERM=dumb".into()),
        Some(t) => (
            Depth::Ansi16,
            format!("TERM={t} names no more than 16 colours"),
        ),
        None => (Depth::Ansi16, "TERM is not set".into()),
    }
}

/// Terminals whose own TERM names 24-bit colour, though COLORTERM is often lost over SSH.
const TRUECOLOR_TERMS: &[&str] = &[
    "xterm-kitty",
    "xterm-ghostty",
    "alacritty",
    "foot",
    "foot-extra",
    "wezterm",
    "contour",
    "iterm2",
];

/// What this process's environment says.
pub fn detect_env() -> (Depth, String) {
    detect(|name| std::env::var(name).ok())
}

/// The chosen depth: the user's setting over what the terminal says.
pub fn choose(setting: Option<Depth>, from: &str) -> (Depth, String) {
    match setting {
        Some(d) => (d, format!("set by {from}")),
        None => detect_env(),
    }
}

const CUBE: [u8; 6] = [0, 95, 135, 175, 215, 255];

fn rgb_of_256(i: u8) -> (u8, u8, u8) {
    match i {
        0..16 => ANSI16[i as usize].1,
        16..232 => {
            let i = i - 16;
            (
                CUBE[(i / 36) as usize],
                CUBE[(i / 6 % 6) as usize],
                CUBE[(i % 6) as usize],
            )
        }
        _ => {
            let v = 8 + (i - 232) * 10;
            (v, v, v)
        }
    }
}

fn distance((r1, g1, b1): (u8, u8, u8), (r2, g2, b2): (u8, u8, u8)) -> u32 {
    let d = |a: u8, b: u8| (i32::from(a) - i32::from(b)).unsigned_abs();
    // Weighted towards green, as the eye is.
    2 * d(r1, r2).pow(2) + 4 * d(g1, g2).pow(2) + 3 * d(b1, b2).pow(2)
}

/// The nearest colour of the 6x6x6 cube and the grey ramp (16-255). Remembered per colour:
/// syntax highlighting asks for the same few colours for every token.
fn nearest_256(r: u8, g: u8, b: u8) -> u8 {
    thread_local! {
        static SEEN: std::cell::RefCell<std::collections::HashMap<(u8, u8, u8), u8>> =
            std::cell::RefCell::new(std::collections::HashMap::new());
    }
    SEEN.with(|seen| {
        *seen.borrow_mut().entry((r, g, b)).or_insert_with(|| {
            (16..=255u8)
                .min_by_key(|&i| distance(rgb_of_256(i), (r, g, b)))
                .unwrap_or(16)
        })
    })
}

/// xterm's default 16 colours.
const ANSI16: [(Color, (u8, u8, u8)); 16] = [
    (Color::Black, (0, 0, 0)),
    (Color::Red, (205, 0, 0)),
    (Color::Green, (0, 205, 0)),
    (Color::Yellow, (205, 205, 0)),
    (Color::Blue, (0, 0, 238)),
    (Color::Magenta, (205, 0, 205)),
    (Color::Cyan, (0, 205, 205)),
    (Color::Gray, (229, 229, 229)),
    (Color::DarkGray, (127, 127, 127)),
    (Color::LightRed, (255, 0, 0)),
    (Color::LightGreen, (0, 255, 0)),
    (Color::LightYellow, (255, 255, 0)),
    (Color::LightBlue, (92, 92, 255)),
    (Color::LightMagenta, (255, 0, 255)),
    (Color::LightCyan, (0, 255, 255)),
    (Color::White, (255, 255, 255)),
];

fn nearest_16(r: u8, g: u8, b: u8) -> Color {
    ANSI16
        .iter()
        .min_by_key(|(_, rgb)| distance(*rgb, (r, g, b)))
        .map_or(Color::Reset, |(c, _)| *c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn depth_follows_the_environment() {
        let d = |pairs: &[(&str, &str)]| detect(env(pairs)).0;
        assert_eq!(
            d(&[("TERM", "xterm-256color"), ("COLORTERM", "truecolor")]),
            Depth::TrueColor
        );
        assert_eq!(d(&[("TERM", "xterm-256color")]), Depth::Ansi256);
        assert_eq!(d(&[("TERM", "tmux-256color")]), Depth::Ansi256);
        assert_eq!(d(&[("TERM", "xterm")]), Depth::Ansi16);
        assert_eq!(d(&[("TERM", "screen")]), Depth::Ansi16);
        assert_eq!(d(&[("TERM", "xterm-direct")]), Depth::TrueColor);
        assert_eq!(
            d(&[("TERM", "xterm-kitty")]),
            Depth::TrueColor,
            "over SSH too"
        );
        assert_eq!(d(&[("TERM", "alacritty")]), Depth::TrueColor);
        assert_eq!(d(&[("TERM", "screen-256color")]), Depth::Ansi256);
        assert_eq!(d(&[("TERM", "linux")]), Depth::Ansi16);
        assert_eq!(d(&[("TERM", "dumb")]), Depth::Mono);
        assert_eq!(d(&[]), Depth::Ansi16);
        assert_eq!(
            d(&[("TERM", "xterm-256color"), ("NO_COLOR", "1")]),
            Depth::Mono
        );
        assert_eq!(
            d(&[("TERM", "xterm"), ("NO_COLOR", "")]),
            Depth::Ansi16,
            "empty is unset"
        );
        let (_, why) = detect(env(&[("TERM", "xterm")]));
        assert!(why.contains("TERM=xterm"), "{why}");
    }

    #[test]
    fn colours_map_down_to_the_depth() {
        let orange = Color::Rgb(255, 135, 0);
        assert_eq!(Depth::TrueColor.map(orange), orange);
        assert_eq!(Depth::Ansi256.map(orange), Color::Indexed(208));
        assert_eq!(Depth::Ansi16.map(Color::Rgb(250, 5, 5)), Color::LightRed);
        assert_eq!(Depth::Ansi16.map(Color::Indexed(231)), Color::White);
        assert_eq!(Depth::Ansi16.map(Color::Indexed(1)), Color::Red);
        assert_eq!(Depth::Ansi16.map(Color::Cyan), Color::Cyan);
        assert_eq!(
            Depth::Ansi256.map(Color::Rgb(30, 30, 30)),
            Color::Indexed(234)
        );
        assert_eq!(Depth::parse("256"), Ok(Some(Depth::Ansi256)));
        assert_eq!(Depth::parse("auto"), Ok(None));
        assert!(Depth::parse("lots").is_err());
    }
}
