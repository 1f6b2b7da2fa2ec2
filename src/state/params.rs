//! The round-parameters form: system prompt, temperature, max tokens and reasoning effort,
//! edited without leaving the app.

use crate::chat::Params;

pub const EFFORTS: [&str; 5] = ["model default", "minimal", "low", "medium", "high"];
pub const FIELDS: [&str; 4] = [
    "System prompt",
    "Temperature (0-2)",
    "Max tokens",
    "Reasoning effort",
];

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ParamsForm {
    pub field: usize,
    pub system: String,
    pub temperature: String,
    pub max_tokens: String,
    pub effort: usize,
}

impl ParamsForm {
    pub fn new(system: Option<&str>, params: &Params) -> ParamsForm {
        ParamsForm {
            field: 0,
            system: system.unwrap_or("").to_string(),
            temperature: params
                .temperature
                .map(|t| t.to_string())
                .unwrap_or_default(),
            max_tokens: params.max_tokens.map(|t| t.to_string()).unwrap_or_default(),
            effort: params
                .reasoning_effort
                .as_deref()
                .and_then(|e| EFFORTS.iter().position(|x| *x == e))
                .unwrap_or(0),
        }
    }

    fn text_mut(&mut self) -> Option<&mut String> {
        match self.field {
            0 => Some(&mut self.system),
            1 => Some(&mut self.temperature),
            2 => Some(&mut self.max_tokens),
            _ => None,
        }
    }

    pub fn move_field(&mut self, delta: isize) {
        let n = FIELDS.len() as isize;
        self.field = (self.field as isize + delta).rem_euclid(n) as usize;
    }

    pub fn type_char(&mut self, c: char) {
        match self.text_mut() {
            Some(text) => text.push(c),
            None if c == ' ' => self.cycle_effort(1),
            None => {}
        }
    }

    pub fn paste(&mut self, text: &str) {
        if let Some(field) = self.text_mut() {
            field.push_str(&text.replace(['\r', '\n'], " "));
        }
    }

    pub fn backspace(&mut self) {
        if let Some(text) = self.text_mut() {
            text.pop();
        }
    }

    pub fn cycle_effort(&mut self, delta: isize) {
        if self.field == 3 {
            let n = EFFORTS.len() as isize;
            self.effort = (self.effort as isize + delta).rem_euclid(n) as usize;
        }
    }

    /// The system prompt and parameters, or what is wrong with a field.
    pub fn parse(&self) -> Result<(Option<String>, Params), String> {
        let temperature = match self.temperature.trim() {
            "" => None,
            t => match t.parse::<f32>() {
                Ok(v) if (0.0..=2.0).contains(&v) => Some(v),
                _ => {
                    return Err(format!(
                        "temperature must be a number from 0 to 2, not {t:?}"
                    ));
                }
            },
        };
        let max_tokens = match self.max_tokens.trim() {
            "" => None,
            t => match t.parse::<u32>() {
                Ok(v) if v > 0 => Some(v),
                _ => {
                    return Err(format!(
                        "max tokens must be a whole number above 0, not {t:?}"
                    ));
                }
            },
        };
        let system = Some(self.system.trim().to_string()).filter(|s| !s.is_empty());
        let reasoning_effort = (self.effort > 0).then(|| EFFORTS[self.effort].to_string());
        Ok((
            system,
            Params {
                temperature,
                max_tokens,
                reasoning_effort,
            },
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_and_validates() {
        let mut f = ParamsForm::new(None, &Params::default());
        for c in "be brief".chars() {
            f.type_char(c);
        }
        f.move_field(1);
        f.type_char('3');
        assert!(f.parse().unwrap_err().contains("temperature"));
        f.backspace();
        f.paste("0.7");
        f.move_field(1);
        f.type_char('x');
        assert!(f.parse().unwrap_err().contains("max tokens"));
        f.backspace();
        f.type_char('9');
        f.move_field(1);
        f.cycle_effort(3);
        let (system, params) = f.parse().unwrap();
        assert_eq!(system.as_deref(), Some("be brief"));
        assert_eq!(params.temperature, Some(0.7));
        assert_eq!(params.max_tokens, Some(9));
        assert_eq!(params.reasoning_effort.as_deref(), Some("medium"));
        f.move_field(1);
        assert_eq!(f.field, 0, "fields wrap around");
        assert_eq!(
            ParamsForm::new(system.as_deref(), &params)
                .parse()
                .unwrap()
                .1,
            params
        );
    }
}
