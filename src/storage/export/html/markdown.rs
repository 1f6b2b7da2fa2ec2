//! An answer's markdown as HTML that can only be read: raw HTML shown as text, links kept
//! only to http, https and mailto, no image loaded, fenced code highlighted by syntect.
//! Everything in an answer is untrusted (the model, or whoever it quoted, wrote it).

use super::code::Palette;
use super::escape;
use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Parser};
use pulldown_cmark::{Tag, TagEnd};

/// The link `dest` points to, if a reader may follow it: http, https or mailto, once the
/// whitespace and control characters a browser would skip (`java\tscript:`) are gone.
/// Relative links have nothing to point to in a file on its own, so they go too.
pub fn safe_url(link_type: LinkType, dest: &str) -> Option<String> {
    let url: String = dest
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect();
    if link_type == LinkType::Email {
        // `<someone@example.com>`: the renderer would put `mailto:` before it.
        return (!url.contains(':')).then(|| format!("mailto:{url}"));
    }
    let (scheme, _) = url.split_once(':')?;
    let allowed = ["http", "https", "mailto"];
    allowed
        .iter()
        .any(|s| scheme.eq_ignore_ascii_case(s))
        .then_some(url)
}

/// Answers sit under their model's `h3`: their own headings go three levels down.
fn demote(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H4,
        HeadingLevel::H2 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

fn code_block(code: &str, info: &str, palette: &mut Palette) -> String {
    let lang = info.split_whitespace().next().unwrap_or("");
    let label = if lang.is_empty() {
        String::new()
    } else {
        format!("<div class=\"lang\">{}</div>", escape(lang))
    };
    let body = palette
        .highlight(code, lang)
        .unwrap_or_else(|| escape(code));
    format!("<div class=\"code\">{label}<pre class=\"sy-code\"><code>{body}</code></pre></div>\n")
}

/// What closes an open link or image: whether it opened an `<a>`, and the HTML to write.
struct Open {
    anchor: bool,
    close: String,
}

/// `text` (markdown) as HTML, safe to put in the page as it is.
pub fn to_html(text: &str, palette: &mut Palette) -> String {
    let mut events: Vec<Event> = Vec::new();
    let mut code: Option<(String, String)> = None;
    let mut open: Vec<Open> = Vec::new();
    let html = |s: String| Event::Html(CowStr::from(s));
    for ev in Parser::new_ext(text, crate::storage::export::MARKDOWN) {
        if let Some((info, body)) = &mut code {
            match ev {
                Event::End(TagEnd::CodeBlock) => {
                    events.push(html(code_block(body, info, palette)));
                    code = None;
                }
                Event::Text(t) => body.push_str(&t),
                _ => {}
            }
            continue;
        }
        let in_anchor = open.iter().any(|o| o.anchor);
        match ev {
            // The one rule that keeps the page inert: no markup from the answer is markup.
            Event::Html(raw) | Event::InlineHtml(raw) => events.push(Event::Text(raw)),
            Event::Start(Tag::HtmlBlock) => events.push(html("<pre class=\"raw\">".into())),
            Event::End(TagEnd::HtmlBlock) => events.push(html("</pre>\n".into())),
            Event::Start(Tag::CodeBlock(kind)) => {
                let info = match kind {
                    CodeBlockKind::Fenced(info) => info.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((info, String::new()));
            }
            Event::Start(Tag::Heading { level, .. }) => {
                // Ids and classes from `{#id .class}` are never enabled, and dropped anyway.
                events.push(Event::Start(Tag::Heading {
                    level: demote(level),
                    id: None,
                    classes: Vec::new(),
                    attrs: Vec::new(),
                }));
            }
            Event::End(TagEnd::Heading(level)) => {
                events.push(Event::End(TagEnd::Heading(demote(level))))
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            }) => match safe_url(link_type, &dest_url).filter(|_| !in_anchor) {
                Some(href) => {
                    let title = if title.is_empty() {
                        String::new()
                    } else {
                        format!(" title=\"{}\"", escape(&title))
                    };
                    events.push(html(format!(
                        "<a href=\"{}\"{title} rel=\"nofollow noopener noreferrer\">",
                        escape(&href)
                    )));
                    open.push(Open {
                        anchor: true,
                        close: "</a>".into(),
                    });
                }
                None => {
                    events.push(html("<span class=\"inert\">".into()));
                    let close = if safe_url(link_type, &dest_url).is_some() {
                        "</span>".into()
                    } else {
                        format!(
                            "</span> <span class=\"removed\">[link removed: {}]</span>",
                            escape(&dest_url)
                        )
                    };
                    open.push(Open {
                        anchor: false,
                        close,
                    });
                }
            },
            Event::Start(Tag::Image { dest_url, .. }) => {
                // Never loaded (the file fetches nothing): a link to it, or its alt text.
                let href = safe_url(LinkType::Inline, &dest_url)
                    .filter(|u| !u.to_ascii_lowercase().starts_with("mailto:"));
                match href.filter(|_| !in_anchor) {
                    Some(href) => {
                        events.push(html(format!(
                            "<a class=\"image\" href=\"{}\" rel=\"nofollow noopener noreferrer\">[image: ",
                            escape(&href)
                        )));
                        open.push(Open {
                            anchor: true,
                            close: "]</a>".into(),
                        });
                    }
                    None => {
                        events.push(html("<span class=\"image\">[image: ".into()));
                        open.push(Open {
                            anchor: false,
                            close: format!(
                                "]</span> <span class=\"removed\">[image not loaded: {}]</span>",
                                escape(&dest_url)
                            ),
                        });
                    }
                }
            }
            Event::End(TagEnd::Link) | Event::End(TagEnd::Image) => {
                let close = open.pop().map_or_else(String::new, |o| o.close);
                events.push(html(close));
            }
            Event::Start(Tag::Table(align)) => {
                // A wide table scrolls inside its column instead of widening it.
                events.push(html("<div class=\"table\">".into()));
                events.push(Event::Start(Tag::Table(align)));
            }
            Event::End(TagEnd::Table) => {
                events.push(Event::End(TagEnd::Table));
                events.push(html("</div>\n".into()));
            }
            other => events.push(other),
        }
    }
    if let Some((info, body)) = code {
        events.push(html(code_block(&body, &info, palette)));
    }
    let mut out = String::with_capacity(text.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut out, events.into_iter());
    out
}
