//! Overlays and whole screens: the first-run screen, the help (generated from the keymap)
//! and the round-parameters form.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use crate::config::{OPENROUTER_KEY_VAR, OTHER_KEY_VAR};
use crate::state::State;
use crate::state::keymap::Scope;
use crate::state::params::{EFFORTS, FIELDS, ParamsForm};
use crate::theme::Theme;

pub use super::page::{cut_line, fit_lines, large_area, page, title};

/// A box centred in `area`, at most `w` x `h`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

/// Clears the area a popup is drawn on. A wide character (an emoji, CJK) whose left half
/// sits just outside the area would spill its right half over the popup's left border when
/// the terminal draws it, so it is blanked too.
pub fn clear_popup(frame: &mut Frame, area: Rect) {
    frame.render_widget(Clear, area);
    if area.x == 0 {
        return;
    }
    let buf = frame.buffer_mut();
    for y in area.top()..area.bottom() {
        if let Some(cell) = buf.cell_mut((area.x - 1, y))
            && unicode_width::UnicodeWidthStr::width(cell.symbol()) > 1
        {
            cell.set_symbol(" ");
        }
    }
}

/// A bordered popup over most of the screen; returns the area inside its border.
pub fn large_popup(frame: &mut Frame, area: Rect, title: String, theme: &Theme) -> Rect {
    let outer = centered(
        area,
        area.width.saturating_sub(4).max(20),
        area.height.saturating_sub(2),
    );
    clear_popup(frame, outer);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border_focused)
        .title(self::title(&title, outer.width, theme.title));
    let inner = block.inner(outer);
    frame.render_widget(block, outer);
    inner
}

fn boxed<'a>(title: &'a str, theme: &Theme) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border_focused)
        .title(Span::styled(format!(" {title} "), theme.title))
}

pub fn welcome(frame: &mut Frame, area: Rect, _state: &State, theme: &Theme) {
    let lines = vec![
        Line::styled("switchboard", theme.title),
        Line::from(
            "Ask several language models the same thing and watch them answer side by side.",
        ),
        Line::default(),
        Line::styled("No API key is set. Three ways to start:", theme.warn),
        Line::default(),
        Line::from(vec![
            Span::styled("1. OpenRouter  ", theme.hint_key),
            Span::raw(format!(
                "export {OPENROUTER_KEY_VAR}=sk-or-...  then run switchboard again"
            )),
        ]),
        Line::from(vec![
            Span::styled("2. Local model ", theme.hint_key),
            Span::raw(
                "switchboard --base-url http://localhost:11434/v1  (Ollama, llama.cpp, vLLM, LM Studio)",
            ),
        ]),
        Line::from(vec![
            Span::raw("                 "),
            Span::styled(
                format!("({OTHER_KEY_VAR} holds a key for such an endpoint, if it needs one)"),
                theme.dim,
            ),
        ]),
        Line::from(vec![
            Span::styled("3. Demo        ", theme.hint_key),
            Span::raw(
                "press d now (or run switchboard --demo): built-in simulated models, offline",
            ),
        ]),
        Line::default(),
        Line::styled("d: demo · F1: keys · Ctrl-Q: quit", theme.dim),
    ];
    let inner = centered(area, 96, lines.len() as u16 + 2);
    clear_popup(frame, inner);
    frame.render_widget(
        Paragraph::new(lines)
            .block(boxed("Welcome", theme))
            .wrap(Wrap { trim: false }),
        inner,
    );
}

pub fn help(
    frame: &mut Frame,
    area: Rect,
    state: &State,
    scroll: u16,
    theme: &Theme,
) -> (usize, usize) {
    let scopes = [
        Scope::Global,
        Scope::Help,
        Scope::Editor,
        Scope::Panes,
        Scope::Picker,
        Scope::Params,
        Scope::Sessions,
        Scope::Rounds,
        Scope::Scoreboard,
        Scope::Verdict,
        Scope::Overflow,
        Scope::Diff,
        Scope::Welcome,
    ];
    let mut lines = Vec::new();
    for scope in scopes {
        lines.push(Line::styled(scope.title(), theme.title));
        for b in state.keymap.bindings.iter().filter(|b| b.scope == scope) {
            lines.push(Line::from(vec![
                Span::styled(format!("  {:<14}", b.key.to_string()), theme.hint_key),
                Span::styled(b.help, theme.hint_text),
            ]));
        }
        lines.push(Line::default());
    }
    lines.push(Line::styled(
        "Keys can be rebound in config.toml under [keys], e.g. zoom = \"f11\".",
        theme.dim,
    ));
    lines.push(Line::styled(
        "Mouse: wheel scrolls the pane under it, click focuses.",
        theme.dim,
    ));
    let outer = centered(area, 78, area.height.saturating_sub(2));
    page(
        frame,
        outer,
        " Keys (Esc to close) ".into(),
        lines,
        scroll,
        theme,
    )
}

pub fn params(frame: &mut Frame, area: Rect, form: &ParamsForm, theme: &Theme) {
    let values = [
        form.system.clone(),
        form.temperature.clone(),
        form.max_tokens.clone(),
        format!("◂ {} ▸", EFFORTS[form.effort]),
    ];
    let mut lines = Vec::new();
    for (i, (label, value)) in FIELDS.iter().zip(values).enumerate() {
        let current = i == form.field;
        let marker = if current { "› " } else { "  " };
        let shown = if value.is_empty() && i < 3 {
            "(default)".to_string()
        } else {
            value
        };
        let cursor = if current && i < 3 { "▏" } else { "" };
        lines.push(Line::from(vec![
            Span::styled(
                format!("{marker}{label:<20}"),
                if current {
                    theme.title
                } else {
                    theme.hint_text
                },
            ),
            Span::styled(
                format!("{}{cursor}", crate::sanitize::single_line(&shown)),
                if current { theme.text } else { theme.dim },
            ),
        ]));
    }
    lines.push(Line::default());
    let check = match form.parse() {
        Ok(_) => Line::styled(
            "↑/↓ field · type to edit · ←/→ effort · Esc/Enter close",
            theme.dim,
        ),
        Err(e) => Line::styled(e, theme.error),
    };
    lines.push(check);
    let inner = centered(area, 80, lines.len() as u16 + 2);
    clear_popup(frame, inner);
    let width = inner.width.saturating_sub(2) as usize;
    let lines: Vec<Line> = lines.into_iter().map(|l| cut_line(l, width)).collect();
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border_focused)
        .title(title(" Round parameters ", inner.width, theme.title));
    frame.render_widget(Paragraph::new(lines).block(block), inner);
}
