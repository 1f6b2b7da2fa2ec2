//! Tests of `layout`: grids, stacks, zoom, the editor, tiny terminals.
use super::*;

#[test]
fn three_panes_at_80x24_make_a_grid() {
    let l = screen_layout(80, 24, 3, 0, false, 1);
    assert_eq!(
        l.status,
        Area {
            x: 0,
            y: 22,
            w: 80,
            h: 1
        }
    );
    assert_eq!(
        l.hints,
        Area {
            x: 0,
            y: 23,
            w: 80,
            h: 1
        }
    );
    assert_eq!(
        l.editor,
        Area {
            x: 0,
            y: 19,
            w: 80,
            h: 3
        }
    );
    assert_eq!(
        l.panes[0],
        Area {
            x: 0,
            y: 0,
            w: 40,
            h: 10
        }
    );
    assert_eq!(
        l.panes[1],
        Area {
            x: 40,
            y: 0,
            w: 40,
            h: 10
        }
    );
    assert_eq!(
        l.panes[2],
        Area {
            x: 0,
            y: 10,
            w: 80,
            h: 9
        }
    );
    assert!(l.strip.is_empty());
}

#[test]
fn wide_terminals_put_panes_side_by_side() {
    let l = screen_layout(200, 50, 3, 0, false, 1);
    assert!(l.panes.iter().all(|a| a.y == 0 && a.w >= 66));
    let l = screen_layout(200, 50, 6, 0, false, 1);
    assert!(
        l.panes.iter().all(|a| a.w >= 66 && a.h >= 22),
        "3x2 reads better than 6x1"
    );
    let l = screen_layout(120, 40, 4, 0, false, 1);
    assert_eq!(
        l.panes[3],
        Area {
            x: 60,
            y: 18,
            w: 60,
            h: 17
        },
        "2x2"
    );
}

#[test]
fn eight_panes_on_a_small_terminal_stack() {
    let l = screen_layout(80, 24, 8, 5, false, 1);
    assert_eq!(l.strip.len(), 7);
    assert!(l.strip.iter().all(|(i, a)| *i != 5 && a.h == 1));
    assert_eq!(l.panes[5].h, 19 - 7);
    assert_eq!(l.panes[0], Area::default());
}

#[test]
fn zoom_gives_the_focused_pane_everything_but_the_status() {
    let l = screen_layout(80, 24, 3, 1, true, 4);
    assert_eq!(
        l.panes[1],
        Area {
            x: 0,
            y: 0,
            w: 80,
            h: 22
        }
    );
    assert_eq!(l.editor.h, 0);
    assert_eq!(l.panes[0], Area::default());
}

#[test]
fn the_editor_grows_with_its_text_up_to_a_limit() {
    assert_eq!(screen_layout(80, 24, 1, 0, false, 3).editor.h, 5);
    assert_eq!(screen_layout(80, 24, 1, 0, false, 40).editor.h, 8);
}

#[test]
fn a_stack_counts_what_it_cannot_show() {
    // 40x12, three panes: both others get a line.
    let l = screen_layout(40, 12, 3, 0, false, 1);
    assert_eq!(
        l.strip.iter().map(|(i, _)| *i).collect::<Vec<_>>(),
        vec![1, 2]
    );
    assert_eq!((l.more, l.panes[0].h), (None, 5));
    // Eight panes in the same room: one line, and "+6 more" beside it.
    let l = screen_layout(40, 12, 8, 3, false, 1);
    assert_eq!(l.strip.len(), 1);
    assert_eq!(l.more.map(|(n, _)| n), Some(6));
    assert!(l.panes[3].h >= 3);
    // 20x6: no room for a box; the focused pane's line first, the rest counted.
    let l = screen_layout(20, 6, 3, 1, false, 1);
    assert!(l.panes.iter().all(|a| a.h == 0), "{:?}", l.panes);
    assert_eq!(l.strip.first().map(|(i, _)| *i), Some(1));
    let shown = l.strip.len() + l.more.map_or(0, |(n, _)| n);
    assert_eq!(shown, 3, "every pane shown or counted");
    // Three rows for three panes: a line each rather than a box and two hidden.
    let l = screen_layout(80, 8, 3, 0, false, 1);
    assert_eq!(l.strip.len() + l.more.map_or(0, |(n, _)| n), 3);
    for h in 3..=30 {
        for n in 1..=8 {
            let l = screen_layout(60, h, n, n - 1, false, 1);
            let boxed = l.panes.iter().filter(|a| a.h > 0).count();
            let lines = l.strip.len() + l.more.map_or(0, |(k, _)| k);
            assert!(
                boxed + lines >= n || l.editor.y == 0,
                "{h} rows, {n} panes: {l:?}"
            );
        }
    }
}

#[test]
fn tiny_terminals_do_not_panic() {
    for (w, h) in [(1, 1), (10, 3), (0, 0), (20, 2)] {
        for n in 0..=8 {
            let _ = screen_layout(w, h, n, 0, false, 1);
            let _ = screen_layout(w, h, n, 0, true, 1);
        }
    }
}
