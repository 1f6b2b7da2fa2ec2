//! Hostile text everywhere a session file holds text: the page shows it and does nothing.

use scraper::Html;
use serde_json::json;

use super::{answer, round, sel, session, visible};

const SCRIPT: &str = "<script>alert(1)</script>";
const IMG: &str = "<img src=x onerror=alert(1)>";

/// Every payload, as one markdown text.
fn payloads() -> String {
    [
        SCRIPT,
        &format!("Inline {IMG} here."),
        "[x](javascript:alert(1)) [y](JaVaScRiPt:alert(1)) [z](data:text/html,<script>alert(1)</script>)",
        "![i](javascript:alert(1)) [t](<java\tscript:alert(2)>) [v](vbscript:msgbox(1)) <javascript:alert(3)>",
        "[rel](/etc/passwd) [proto](//evil.example/x) [ent](&#106;avascript:alert(4))",
        "[ok](https://example.com/ok) <mailto:someone@example.com> <ann@example.com> ![remote](https://example.com/pixel.png)",
        "[![badge](https://example.com/b.png)](https://example.com/inside)",
        "<iframe src=\"https://evil.example/\"></iframe> <object data=\"https://evil.example/o\"></object> <embed src=\"https://evil.example/e\">",
        "<form action=\"javascript:alert(5)\"><button formaction=\"javascript:alert(6)\">go</button></form>",
        "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(7)\"> <link rel=stylesheet href=\"https://evil.example/x.css\">",
        "<svg onload=alert(8)><a xlink:href=\"javascript:alert(9)\">s</a></svg> <a href=\"javascript:alert(10)\">raw</a>",
        "<div style=\"background:url(https://evil.example/t.png)\">styled</div>",
        "```html\n<script>alert(11)</script>\n```",
        "```\"><script>alert(12)</script>\nplain code\n```",
        "```rust onclick=alert(13)\nfn main() {}\n```",
    ]
    .join("\n\n")
}

fn hostile() -> crate::storage::session::Session {
    let p = payloads();
    let mut evil = answer(0, &format!("evil/{SCRIPT}"), &format!("ZULU words\n\n{p}"));
    evil["provider"] = json!(format!("Prov{IMG}"));
    evil["served_model"] = json!(format!("served/{SCRIPT}"));
    evil["error"] = json!(format!("failed: {SCRIPT} {IMG}"));
    evil["reasoning"] = json!(p.clone());
    evil["notes"] = json!([format!("note {SCRIPT}")]);
    let mut r = round(
        0,
        None,
        &format!("prompt {SCRIPT} {IMG}"),
        vec![evil, answer(1, "ok/model", "YANKEE words")],
    );
    r["system"] = json!(format!("system {SCRIPT}"));
    r["vote"] = json!({"verdict": "best", "best": format!("evil/{SCRIPT}"),
        "models": [], "blind": false, "at_ms": 0});
    r["judgements"] = json!([{"judge": format!("judge/{SCRIPT}"), "verdict": "best",
        "best": format!("evil/{SCRIPT}"), "models": [], "at_ms": 0, "runs": [
          {"order": [format!("evil/{SCRIPT}")], "verdict": "tie", "reason": format!("because {SCRIPT} {IMG}"),
           "status": "complete", "answered": true}]}]);
    session(&format!("title {SCRIPT} {IMG}"), vec![r])
}

/// What a page must never hold, whatever was in the session: checked on the parsed tree, as
/// a browser would build it.
pub(crate) fn assert_inert(page: &str) {
    let doc = Html::parse_document(page);
    let forbidden = [
        "script",
        "iframe",
        "object",
        "embed",
        "form",
        "link",
        "img",
        "base",
        "frame",
        "frameset",
        "video",
        "audio",
        "source",
        "input[type=text]",
        "button",
        "math",
    ];
    for tag in forbidden {
        assert_eq!(doc.select(&sel(tag)).count(), 0, "a <{tag}> element");
    }
    for meta in doc.select(&sel("meta[http-equiv]")) {
        let v = meta.value().attr("http-equiv").unwrap_or("");
        assert!(
            v.eq_ignore_ascii_case("content-security-policy"),
            "meta http-equiv={v}"
        );
    }
    for el in doc.select(&sel("*")) {
        let name = el.value().name();
        for (attr, value) in el.value().attrs() {
            assert!(
                !attr.to_ascii_lowercase().starts_with("on"),
                "<{name} {attr}>"
            );
            let v: String = value
                .chars()
                .filter(|c| !c.is_whitespace() && !c.is_control())
                .collect::<String>()
                .to_ascii_lowercase();
            if [
                "href",
                "src",
                "action",
                "formaction",
                "data",
                "poster",
                "srcset",
                "background",
            ]
            .contains(&attr)
            {
                assert!(
                    !(v.starts_with("javascript:")
                        || v.starts_with("data:")
                        || v.starts_with("vbscript:")),
                    "<{name} {attr}={value}>"
                );
                // Only links a reader follows: nothing is loaded by itself.
                assert!(
                    attr == "href"
                        && (name == "a"
                            && (v.starts_with("https:")
                                || v.starts_with("http:")
                                || v.starts_with("mailto:")
                                || v.starts_with("#round-"))),
                    "<{name} {attr}={value}>"
                );
            }
            if attr == "style" {
                assert!(
                    value.starts_with("--runner:#") && value.len() == "--runner:#000000".len(),
                    "a style from content: {value}"
                );
            }
        }
    }
    for style in doc.select(&sel("style")) {
        let css: String = style.text().collect();
        assert!(
            !css.contains("url(") && !css.contains("@import"),
            "the stylesheet loads something"
        );
    }
}

#[test]
fn hostile_text_is_shown_and_never_run_loaded_or_followed() {
    let page = super::super::html(&hostile());
    assert_inert(&page);
    let doc = Html::parse_document(&page);
    let text = visible(&doc);
    for shown in [
        &format!("title {SCRIPT} {IMG}"),
        &format!("prompt {SCRIPT} {IMG}"),
        &format!("system {SCRIPT}"),
        &format!("evil/{SCRIPT}"),
        &format!("answered by served/{SCRIPT}"),
        &format!("provider Prov{IMG}"),
        &format!("failed: {SCRIPT} {IMG}"),
        &format!("note {SCRIPT}"),
        &format!("Judge judge/{SCRIPT}: picks evil/{SCRIPT}"),
        &format!("reading 1: tie, read as evil/{SCRIPT} — because {SCRIPT} {IMG}"),
        &format!("Inline {IMG} here."),
        "[link removed: javascript:alert(1)]",
        "[link removed: JaVaScRiPt:alert(1)]",
        "[link removed: data:text/html,<script>alert(1)</script>]",
        "[image: i] [image not loaded: javascript:alert(1)]",
        "[link removed: java\tscript:alert(2)]",
        "[link removed: javascript:alert(4)]",
        "[link removed: /etc/passwd]",
        "[link removed: //evil.example/x]",
        "<script>alert(11)</script>",
        "<iframe src=\"https://evil.example/\"></iframe>",
        "ZULU words",
        "YANKEE words",
    ] {
        assert!(text.contains(shown), "{shown:?} is not shown as text");
    }
    let hrefs: Vec<&str> = doc
        .select(&sel(".md a[href]"))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    // Twice each: in the answer and in its reasoning.
    let once = [
        "https://example.com/ok",
        "mailto:someone@example.com",
        "mailto:ann@example.com",
        "https://example.com/pixel.png",
        "https://example.com/inside",
    ];
    assert_eq!(hrefs, [once, once].concat());
    let langs: Vec<String> = doc
        .select(&sel(".code .lang"))
        .map(super::all_text)
        .collect();
    assert!(
        langs.contains(&"\"><script>alert(12)</script>".to_string()),
        "{langs:?}"
    );
    assert!(page.contains("Content-Security-Policy"));
}

#[test]
fn link_filter_keeps_only_what_a_reader_may_follow() {
    use pulldown_cmark::LinkType::{Email, Inline};

    use super::super::markdown::safe_url;
    assert_eq!(
        safe_url(Inline, " HTTPS://x.org/a "),
        Some("HTTPS://x.org/a".into())
    );
    assert_eq!(
        safe_url(Inline, "mailto:a@b.c"),
        Some("mailto:a@b.c".into())
    );
    assert_eq!(safe_url(Email, "a@b.c"), Some("mailto:a@b.c".into()));
    for bad in [
        "javascript:alert(1)",
        " \u{1}javascript:alert(1)",
        "java\tscript:alert(1)",
        "java\nscript:x",
        "JAVASCRIPT:x",
        "data:text/html,x",
        "vbscript:x",
        "file:///etc/passwd",
        "/relative",
        "//host/x",
        "#frag",
        "",
    ] {
        assert_eq!(safe_url(Inline, bad), None, "{bad:?}");
    }
    assert_eq!(safe_url(Email, "javascript:x@y"), None);
}
