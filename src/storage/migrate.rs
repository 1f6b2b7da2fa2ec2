//! Reading older session files exactly: schema 2 wrote money as JSON numbers, which a JSON
//! reader hands over as floats (`1.000000000000000001` becomes `1`). Before such a file is
//! parsed, the numbers under money keys are turned into the decimal strings schema 3 writes,
//! digit for digit.

use std::borrow::Cow;

/// Keys whose number values are money in schema 2 (`usd` of a cost, `cost` of a usage, the
/// prices of a pricing). Other numbers (tokens, times, speeds) are left as they are.
const MONEY_KEYS: &[&str] = &[
    "usd",
    "cost",
    "prompt",
    "completion",
    "request",
    "input_cache_read",
    "internal_reasoning",
];

/// The JSON text with every number under a money key quoted. Linear in the text; strings,
/// escapes included, are copied untouched.
pub fn money_numbers_as_strings(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len() + 64);
    let mut copied = 0;
    let mut i = 0;
    let mut last_string: Option<(usize, usize)> = None;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                let start = i + 1;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                last_string = Some((start, i.min(bytes.len())));
                i += 1;
            }
            b':' => {
                let key = last_string.take().map(|(a, b)| &text[a..b]);
                i += 1;
                while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
                let money = key.is_some_and(|k| MONEY_KEYS.contains(&k));
                if money && i < bytes.len() && (bytes[i] == b'-' || bytes[i].is_ascii_digit()) {
                    let start = i;
                    while i < bytes.len()
                        && matches!(bytes[i], b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')
                    {
                        i += 1;
                    }
                    out.push_str(&text[copied..start]);
                    out.push('"');
                    out.push_str(&text[start..i]);
                    out.push('"');
                    copied = i;
                }
            }
            b',' | b'{' | b'}' | b'[' | b']' => {
                last_string = None;
                i += 1;
            }
            _ => i += 1,
        }
    }
    if copied == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_numbers_become_strings_and_nothing_else_changes() {
        let v2 = r#"{"prompt": "cost: 5, \"usd\": 3", "answers": [{"cost": {"usd": 1.000000000000000001, "source": "reported"}, "usage": {"prompt_tokens": 11, "cost": 2.5e-7}, "pricing": {"prompt":0.000003,"completion":-1}, "tokens_per_s": 12.5}]}"#;
        let v3 = money_numbers_as_strings(v2);
        assert_eq!(
            v3,
            r#"{"prompt": "cost: 5, \"usd\": 3", "answers": [{"cost": {"usd": "1.000000000000000001", "source": "reported"}, "usage": {"prompt_tokens": 11, "cost": "2.5e-7"}, "pricing": {"prompt":"0.000003","completion":"-1"}, "tokens_per_s": 12.5}]}"#
        );
        assert!(matches!(
            money_numbers_as_strings("{\"a\": 1}"),
            Cow::Borrowed(_)
        ));
    }
}
