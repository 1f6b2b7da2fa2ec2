//! The simulator's judges: each reads the `[Answer N]` blocks of a judge prompt and replies
//! in its own way (fair, biased to the first place, or not in JSON at all), so the judge's
//! both-orders rule and its strict parsing can be seen working.

/// The answers of a judge prompt, in the order given.
fn answers(prompt: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut n = 1;
    loop {
        let open = format!("[Answer {n}]\n");
        let close = format!("[End of answer {n}]");
        let Some(start) = prompt.find(&open).map(|i| i + open.len()) else {
            return out;
        };
        let Some(len) = prompt[start..].find(&close) else {
            return out;
        };
        out.push(prompt[start..start + len].trim());
        n += 1;
    }
}

pub fn is_judge(model: &str) -> bool {
    model.starts_with("sim/judge-")
}

/// The reply of judge `model` to `prompt`, or `None` when `model` is no judge.
pub fn reply(model: &str, prompt: &str) -> Option<String> {
    let answers = answers(prompt);
    let json = |winner: String, reason: String| {
        serde_json::json!({"winner": winner, "reason": reason}).to_string()
    };
    match model {
        "sim/judge-fair" => {
            let words: Vec<usize> = answers
                .iter()
                .map(|a| a.split_whitespace().count())
                .collect();
            let most = words.iter().copied().max().unwrap_or(0);
            let best: Vec<usize> = (0..words.len()).filter(|&i| words[i] == most).collect();
            Some(match best.as_slice() {
                [one] => json(
                    (one + 1).to_string(),
                    format!("Answer {} is the most complete ({most} words).", one + 1),
                ),
                _ => json("tie".into(), "The answers are equally complete.".into()),
            })
        }
        "sim/judge-biased" => Some(json("1".into(), "Answer 1 reads best to me.".into())),
        "sim/judge-broken" => Some("I think the first answer is better, overall.".into()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn judges_read_the_blocks_and_reply_their_way() {
        let prompt = "[Prompt]\nq\n[End of prompt]\n\n[Answer 1]\nshort one\n[End of answer 1]\n\n[Answer 2]\na much longer answer here\n[End of answer 2]\n\nReply";
        assert_eq!(
            answers(prompt),
            vec!["short one", "a much longer answer here"]
        );
        let fair: serde_json::Value =
            serde_json::from_str(&reply("sim/judge-fair", prompt).unwrap()).unwrap();
        assert_eq!(fair["winner"], "2");
        let biased: serde_json::Value =
            serde_json::from_str(&reply("sim/judge-biased", prompt).unwrap()).unwrap();
        assert_eq!(biased["winner"], "1");
        assert!(
            serde_json::from_str::<serde_json::Value>(&reply("sim/judge-broken", prompt).unwrap())
                .is_err()
        );
        assert_eq!(reply("sim/swift-mini", prompt), None);
    }
}
