//! The live progress line `switchboard run` draws on stderr when stderr is a terminal.

use std::io::Write;
use std::time::Duration;

use crate::chat::{Answer, AnswerStatus};
use crate::sanitize::single_line;

const SPINNER: &[char] = &['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

pub struct Progress {
    enabled: bool,
    frame: usize,
    drawn: bool,
}

impl Progress {
    pub fn new(enabled: bool) -> Progress {
        Progress {
            enabled,
            frame: 0,
            drawn: false,
        }
    }

    pub fn enabled(&self) -> bool {
        self.enabled
    }

    fn line(&mut self, answers: &[Answer], now: Duration) -> String {
        self.frame = (self.frame + 1) % SPINNER.len();
        let done = answers.iter().filter(|a| a.status.is_finished()).count();
        let mut line = format!("{} {done}/{} done", SPINNER[self.frame], answers.len());
        for a in answers {
            let state = match a.status {
                AnswerStatus::Waiting => match a.retrying {
                    Some((n, wait)) => format!("retry {n} in {:.0}s", wait.as_secs_f64()),
                    None => format!("waiting {:.1}s", now.as_secs_f64()),
                },
                AnswerStatus::Streaming => format!("{} tok", a.completion_tokens().0),
                s => s.label().to_string(),
            };
            line.push_str(&format!(" · {}: {state}", single_line(&a.model)));
        }
        let width = crossterm::terminal::size().map_or(80, |(w, _)| w as usize);
        line.chars().take(width.saturating_sub(1)).collect()
    }

    pub fn draw(&mut self, answers: &[Answer], now: Duration) {
        if !self.enabled {
            return;
        }
        let line = self.line(answers, now);
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[2K{line}");
        let _ = err.flush();
        self.drawn = true;
    }

    pub fn clear(&mut self) {
        if self.enabled && self.drawn {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[2K");
            let _ = err.flush();
            self.drawn = false;
        }
    }
}
