use super::*;

/// Turns whose real heights differ from their estimates, as a long history's do.
struct Fake {
    estimate: Vec<usize>,
    real: Vec<usize>,
    measured: Vec<bool>,
    laid: usize,
}

impl Fake {
    fn new(n: usize) -> Fake {
        Fake {
            estimate: vec![10; n],
            real: (0..n).map(|i| 3 + (i * 7) % 13).collect(),
            measured: vec![false; n],
            laid: 0,
        }
    }

    /// The turn and the line in it that line `at` of the transcript is, by real heights of
    /// measured turns (the ones a window can show).
    fn locate(&self, at: usize) -> (usize, usize) {
        let mut start = 0;
        for i in 0..self.real.len() {
            let h = self.known(i).0;
            if at < start + h {
                assert!(self.measured[i], "line {at} is in turn {i}, never laid out");
                return (i, at - start);
            }
            start += h;
        }
        panic!("line {at} is past the end ({start})");
    }

    /// The line before `(turn, line)` in the real transcript.
    fn before(&self, (turn, line): (usize, usize)) -> (usize, usize) {
        if line > 0 {
            (turn, line - 1)
        } else {
            (turn - 1, self.real[turn - 1] - 1)
        }
    }

    fn after(&self, (turn, line): (usize, usize)) -> (usize, usize) {
        if line + 1 < self.real[turn] {
            (turn, line + 1)
        } else {
            (turn + 1, 0)
        }
    }
}

impl Turns for Fake {
    fn len(&self) -> usize {
        self.real.len()
    }

    fn known(&self, i: usize) -> (usize, bool) {
        if self.measured[i] {
            (self.real[i], true)
        } else {
            (self.estimate[i], false)
        }
    }

    fn measure(&mut self, i: usize) -> usize {
        self.measured[i] = true;
        self.laid += 1;
        self.real[i]
    }
}

fn follow(height: usize) -> Viewport {
    Viewport {
        height,
        follow: true,
        top: 0,
        streaming: false,
    }
}

fn at(top: usize, height: usize) -> Viewport {
    Viewport {
        height,
        follow: false,
        top,
        streaming: false,
    }
}

/// What `Pane::scroll_by` does with the last frame's total.
fn scrolled(plan: &Plan, height: usize, by: isize) -> Viewport {
    at(plan.top.saturating_add_signed(by), height)
}

#[test]
fn following_lays_out_the_tail_and_a_screen_above_it() {
    let mut turns = Fake::new(1000);
    let plan = plan(&mut turns, follow(20));
    let laid: usize = turns.real[plan.turns.clone()].iter().sum();
    assert!(laid >= 40, "the window and a screen above: {laid}");
    assert!(plan.turns.len() <= 6, "only the tail: {:?}", plan.turns);
    assert_eq!(plan.turns.end, 1000);
    assert_eq!(turns.laid, plan.turns.len());
    let estimated = (1000 - plan.turns.len()) * 10;
    assert_eq!(plan.total, estimated + laid);
    assert_eq!(plan.start, estimated);
    assert_eq!(plan.top, plan.total - 20);
}

#[test]
fn scrolling_up_line_by_line_never_moves_the_text() {
    let h = 20;
    let mut turns = Fake::new(300);
    let mut last = plan(&mut turns, follow(h));
    let mut top_line = turns.locate(last.top);
    while last.top > 0 {
        let next = plan(&mut turns, scrolled(&last, h, -1));
        let now = turns.locate(next.top);
        assert_eq!(now, turns.before(top_line), "at line {}", next.top);
        // Everything in the window was measured before this frame moved onto it.
        for line in next.top..(next.top + h).min(next.total) {
            turns.locate(line);
        }
        top_line = now;
        last = next;
    }
    assert_eq!(top_line, (0, 0), "the top is the first turn's first line");
    assert!(turns.measured.iter().all(|m| *m));
    assert_eq!(last.total, turns.real.iter().sum::<usize>());
}

#[test]
fn paging_up_and_down_keeps_the_overlapping_line() {
    let h = 20;
    let mut turns = Fake::new(300);
    let mut last = plan(&mut turns, follow(h));
    while last.top > 0 {
        let bottom = turns.locate(last.top);
        let next = plan(&mut turns, scrolled(&last, h, -(h as isize - 1)));
        if next.top > 0 {
            // What was the first line is now the last.
            assert_eq!(turns.locate(next.top + h - 1), bottom);
        }
        last = next;
    }
    let mut last = plan(&mut turns, at(0, h));
    for _ in 0..50 {
        let bottom = turns.locate(last.top + h - 1);
        let next = plan(&mut turns, scrolled(&last, h, h as isize - 1));
        assert_eq!(turns.locate(next.top), bottom);
        last = next;
    }
}

#[test]
fn scrolling_down_from_the_top_keeps_the_text() {
    let h = 15;
    let mut turns = Fake::new(200);
    plan(&mut turns, follow(h));
    let mut last = plan(&mut turns, at(0, h));
    assert_eq!(last.turns.start, 0);
    assert_eq!(last.start, 0);
    let mut line = turns.locate(0);
    assert_eq!(line, (0, 0));
    for _ in 0..600 {
        let next = plan(&mut turns, scrolled(&last, h, 1));
        let now = turns.locate(next.top);
        assert_eq!(now, turns.after(line));
        line = now;
        last = next;
    }
}

#[test]
fn a_jump_into_unmeasured_turns_keeps_the_measured_text_below() {
    let h = 10;
    let mut turns = Fake::new(100);
    // Seen once: turns 50 and on.
    for i in 50..100 {
        turns.measure(i);
    }
    let total: usize = (0..100).map(|i| turns.known(i).0).sum();
    // Five lines above turn 50, by the estimates.
    let start_50 = 50 * 10;
    assert!(total > start_50);
    let plan = plan(&mut turns, at(start_50 - 5, h));
    let top = turns.locate(plan.top);
    assert_eq!(top, (49, turns.real[49] - 5));
}

#[test]
fn estimates_too_large_at_the_end_leave_the_window_on_the_tail() {
    let h = 10;
    let mut turns = Fake::new(50);
    turns.estimate = vec![40; 50];
    let total: usize = 50 * 40;
    let plan = plan(&mut turns, at(total - h - 3, h));
    assert_eq!(plan.top, plan.total - h, "the window ends at the last line");
    assert!(plan.top >= plan.start);
    assert_eq!(plan.turns.end, 50);
}

#[test]
fn a_short_transcript_is_laid_out_whole() {
    let mut turns = Fake::new(3);
    let plan = plan(&mut turns, follow(100));
    assert_eq!(plan.turns, 0..3);
    assert_eq!(plan.top, 0);
    assert_eq!(plan.total, turns.real.iter().sum::<usize>());
    let plan = super::plan(&mut turns, at(0, 100));
    assert_eq!((plan.turns, plan.top, plan.start), (0..3, 0, 0));
}

#[test]
fn per_frame_work_follows_the_window_not_the_history() {
    let h = 20;
    let mut turns = Fake::new(100_000);
    let first = plan(&mut turns, follow(h));
    turns.laid = 0;
    plan(&mut turns, scrolled(&first, h, -3));
    assert!(turns.laid <= 12, "{} turns laid out", turns.laid);
    turns.laid = 0;
    plan(&mut turns, at(0, h));
    assert!(turns.laid <= 12, "{} turns laid out", turns.laid);
}

/// A pane with one turn just started.
fn one_turn() -> crate::state::panes::Pane {
    let mut pane = crate::state::panes::Pane::new("sim/swift-mini");
    pane.start_turn(
        crate::state::panes::TurnStart {
            round: 0,
            prompt: "hi",
            req: 1,
            now: Default::default(),
            skip: 0,
            tokens: (10, 1),
            attachments: Default::default(),
        },
        None,
        &crate::chat::Params::default(),
        None,
    );
    pane
}

#[test]
fn notes_are_counted_as_they_are_written() {
    use crate::chat::AnswerStatus;
    let mut pane = one_turn();
    let turn = &mut pane.turns[0];
    for status in [
        AnswerStatus::Waiting,
        AnswerStatus::Streaming,
        AnswerStatus::Complete,
        AnswerStatus::Incomplete,
        AnswerStatus::Error,
        AnswerStatus::Cancelled,
    ] {
        for (finish, retrying, said) in [
            (None, None, vec![]),
            (
                Some("length"),
                Some((2, Default::default())),
                vec!["slow".to_string()],
            ),
        ] {
            turn.answer.status = status;
            turn.answer.finish_reason = finish.map(String::from);
            turn.answer.retrying = retrying;
            turn.answer.notes = said;
            turn.left_out = usize::from(finish.is_some()) * 3;
            for hidden in [false, true] {
                assert_eq!(
                    notes::count(turn, hidden),
                    notes::notes(turn, hidden).len(),
                    "{status:?} {finish:?} hidden {hidden}"
                );
            }
        }
    }
}

#[test]
fn an_estimate_reads_lengths_and_the_width() {
    let mut pane = one_turn();
    let turn = &mut pane.turns[0];
    turn.answer.text = "word ".repeat(400);
    let at = |turn: &Turn, width| estimate(turn, Shape::of(turn, width, (false, false, true)));
    assert!(at(turn, 40) > at(turn, 80), "narrower is taller");
    let last = estimate(turn, Shape::of(turn, 40, (false, false, true)));
    let earlier = estimate(turn, Shape::of(turn, 40, (false, false, false)));
    assert_eq!(
        earlier,
        last + 1,
        "a blank line after all but the last turn"
    );
}
