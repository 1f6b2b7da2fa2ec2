//! Tests of `lazy`: a block drawn plain and highlighted later looks as if highlighted at once.

use super::super::markdown::{render, render_lazy};
use super::super::tests::{ALL, plain, visible};
use crate::theme::Theme;

/// Code drawn plain and highlighted later is, span for span, what highlighting at once draws:
/// long lines that wrap, code in lists and quotes, tabs and control characters, every width.
#[test]
fn lazy_highlighting_draws_the_same_lines() {
    let text = format!(
        "{ALL}\n- item\n\n  ```python\n  def f(x):\n  \treturn x * 2  # a comment long enough to wrap at forty columns\n  ```\n\n> ```rust\n> let s = \"\u{1b}[2J\"; // escape\n> ```\n\n```js\nconst veryLongName = someFunction(argumentNumberOne, argumentNumberTwo, argumentNumberThree);\n\n```\n"
    );
    let themes = Theme::builtin_names().into_iter().flat_map(|n| {
        let t = Theme::builtin(n);
        [
            t.clone(),
            t.at_depth(crate::colors::Depth::Ansi256),
            t.at_depth(crate::colors::Depth::Ansi16),
            t.without_color(),
        ]
    });
    for (theme, width) in themes.flat_map(|t| [12, 25, 40, 61, 100].map(|w| (t.clone(), w))) {
        let eager = render(&text, width, &theme, 0, true);
        let mut lazy = render_lazy(&text, width, &theme, 0, true);
        assert_eq!(lazy.pending.len(), 5, "every code block waits");
        assert_eq!(
            plain(&lazy.lines),
            plain(&eager.lines),
            "same text at {width}"
        );
        for p in &lazy.pending {
            p.highlight(&mut lazy.lines, &theme);
        }
        assert_eq!(
            visible(lazy.lines),
            visible(eager.lines),
            "same spans and styles at {width}"
        );
    }
}
