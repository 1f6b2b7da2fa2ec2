//! Named style slots for every element of the UI. Themes pick colours for the slots;
//! `NO_COLOR` keeps only attributes (bold, dim, reverse).

use ratatui::style::{Color, Modifier, Style};

#[derive(Clone, Debug)]
pub struct Theme {
    pub name: String,
    pub border: Style,
    pub border_focused: Style,
    pub title: Style,
    pub served_differs: Style,
    pub provider: Style,
    pub prompt: Style,
    pub reasoning: Style,
    pub text: Style,
    pub error: Style,
    pub ok: Style,
    pub warn: Style,
    pub dim: Style,
    pub demo_badge: Style,
    pub hint_key: Style,
    pub hint_text: Style,
    pub selected: Style,
    pub cursor_row: Style,
    pub estimated: Style,
    pub cost: Style,
}

impl Theme {
    pub fn dark() -> Theme {
        let fg = |c: Color| Style::default().fg(c);
        Theme {
            name: "dark".into(),
            border: fg(Color::DarkGray),
            border_focused: fg(Color::Cyan),
            title: fg(Color::White).add_modifier(Modifier::BOLD),
            served_differs: fg(Color::Yellow).add_modifier(Modifier::BOLD),
            provider: fg(Color::Gray),
            prompt: fg(Color::Cyan).add_modifier(Modifier::BOLD),
            reasoning: fg(Color::DarkGray).add_modifier(Modifier::ITALIC),
            text: Style::default(),
            error: fg(Color::Red),
            ok: fg(Color::Green),
            warn: fg(Color::Yellow),
            dim: fg(Color::DarkGray),
            demo_badge: Style::default()
                .fg(Color::Black)
                .bg(Color::Yellow)
                .add_modifier(Modifier::BOLD),
            hint_key: fg(Color::Cyan).add_modifier(Modifier::BOLD),
            hint_text: fg(Color::Gray),
            selected: fg(Color::Green).add_modifier(Modifier::BOLD),
            cursor_row: Style::default().add_modifier(Modifier::REVERSED),
            estimated: fg(Color::Yellow),
            cost: fg(Color::Green),
        }
    }

    /// Attributes only, for `NO_COLOR`.
    pub fn no_color() -> Theme {
        let plain = Style::default();
        let bold = plain.add_modifier(Modifier::BOLD);
        let dim = plain.add_modifier(Modifier::DIM);
        Theme {
            name: "no-color".into(),
            border: dim,
            border_focused: bold,
            title: bold,
            served_differs: bold.add_modifier(Modifier::UNDERLINED),
            provider: plain,
            prompt: bold,
            reasoning: dim.add_modifier(Modifier::ITALIC),
            text: plain,
            error: bold,
            ok: plain,
            warn: bold,
            dim,
            demo_badge: plain.add_modifier(Modifier::REVERSED),
            hint_key: bold,
            hint_text: plain,
            selected: bold,
            cursor_row: plain.add_modifier(Modifier::REVERSED),
            estimated: plain,
            cost: plain,
        }
    }

    /// The default theme, honouring `NO_COLOR`.
    pub fn from_env() -> Theme {
        if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
            Theme::no_color()
        } else {
            Theme::dark()
        }
    }
}
