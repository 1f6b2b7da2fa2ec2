#!/usr/bin/env python3
"""A long conversation in the real binary: open, key echo and jump to top, in a pseudo-terminal.

    bench/open-bench.py [--runs N] [--binary PATH]   (defaults: 5 runs, target/release/switchboard)

For a saved conversation of 1 round, 1 MB and 5 MB of answers (one linear branch, 3 panes of
markdown with code blocks, written here as a session file), each run starts
`switchboard --demo --session ID` in a 120x40 pty (TERM=xterm-256color, fresh XDG dirs) and
measures, on the terminal's screen (bench/tui-bench.py's emulator):

  1. open: from exec to the first frame that shows all three pane footers (`└ ✓`), i.e. the
     file read, the state built and the first frame drawn.  Goal (issue 16): 5 MB within
     1.5x of one round.
  2. key echo while idle: 20 letters typed ~100 ms apart, each timed until the prompt box
     shows it; the median.                                 Goal: 5 MB within 0.5 ms of one round.
  3. jump to top: Tab then `g` in the first pane, timed until the screen shows the
     conversation's first prompt (`question 0`).           Goal: <= 100 ms.

Medians over the runs; the three sizes run in turn in each run so noise spreads over all.
Python 3.11 standard library only; make the release binary first (`cargo build --release`).
"""

import argparse
import importlib.util
import json
import os
import pty
import select
import shutil
import signal
import statistics
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("tui_bench", os.path.join(HERE, "tui-bench.py"))
tb = importlib.util.module_from_spec(spec)
spec.loader.exec_module(tb)

COLS, ROWS = tb.COLS, tb.ROWS
MODELS = ["sim/swift-mini", "sim/sage-large", "sim/deep-thinker"]
SIZES = [("1 round", 0), ("1 MB", 1_000_000), ("5 MB", 5_000_000)]
ANSWER = (
    "## Comparing sorts\n\nStreaming answers arrive one small piece at a time, and each "
    "piece counts.\n\n- merge sort is stable\n- quicksort is fast in place\n\n"
    "```rust\nfn main() {\n    let mut v = vec![3, 1, 2];\n    v.sort();\n"
    "    println!(\"{v:?}\");\n}\n```\n\n| sort | stable |\n|---|---|\n| merge | yes |\n"
    "| quick | no |\n\n"
) * 8


def write_session(data_dir, size):
    sid = "20261203-150000-0be5"
    rounds, total, i = [], 0, 0
    while total < size or not rounds:
        prompt = f"question {i}: how do these sorts compare?"
        rounds.append({
            "id": i, "parent": i - 1 if i else None, "prompt": prompt,
            "created_ms": 1795805172000 + i,
            "answers": [{"slot": s, "model": m, "status": "complete", "text": ANSWER,
                         "usage": {"prompt_tokens": 100 + i * 700, "completion_tokens": 600,
                                   "reasoning_tokens": 0, "cached_tokens": 0},
                         "cost": {"usd": "0.000125", "source": "reported"},
                         "ttft_ms": 250, "duration_ms": 2000, "tokens_per_s": 140.0}
                        for s, m in enumerate(MODELS)],
        })
        total += len(ANSWER) * len(MODELS)
        i += 1
    session = {"schema": 4, "id": sid, "title": "a long conversation",
               "created_ms": 1795805172000, "updated_ms": 1795805172000 + i, "base_url": "",
               "models": MODELS, "rounds": rounds}
    d = f"{data_dir}/switchboard/sessions"
    os.makedirs(d, exist_ok=True)
    with open(f"{d}/{sid}.json", "w") as f:
        json.dump(session, f)
    return sid, len(rounds)


class App:
    def __init__(self, binary, argv, env):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            try:
                tb.set_winsize(0)
                os.execve(binary, argv, env)
            finally:
                os._exit(127)
        tb.set_winsize(self.fd)
        self.screen = tb.Screen(COLS, ROWS)

    def wait(self, cond, timeout=30.0):
        """Reads until `cond(screen)` holds; returns the time of the read that made it so."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            r, _, _ = select.select([self.fd], [], [], 0.05)
            if not r:
                continue
            data = os.read(self.fd, 65536)
            now = time.monotonic()
            if not data:
                raise RuntimeError("the app exited")
            self.screen.feed(data)
            for reply in self.screen.replies:
                os.write(self.fd, reply)
            self.screen.replies.clear()
            if cond(self.screen):
                return now
        raise RuntimeError("timed out; screen:\n" + self.screen.text())

    def close(self):
        try:
            os.write(self.fd, b"\x11")
            self.wait(lambda s: False, timeout=2)
        except (OSError, RuntimeError):
            pass
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(self.pid, 0)


def prompt_text(screen, r):
    """The prompt box's text on row `r` (its border is heavy while it has focus)."""
    line = screen.row(r)
    for bar in ("┃", "│"):
        a, b = line.find(bar), line.rfind(bar)
        if 0 <= a < b:
            return line[a + 1 : b].strip()
    return line.strip()


def screen_has(text):
    return lambda s: any(text in s.row(r) for r in range(s.rows))


def run_once(binary, size):
    tmp = tempfile.mkdtemp(prefix="open-bench-")
    try:
        env = {k: v for k, v in os.environ.items() if k != "OPENROUTER_API_KEY"}
        env.update(TERM="xterm-256color", XDG_CACHE_HOME=f"{tmp}/cache",
                   XDG_DATA_HOME=f"{tmp}/data", XDG_CONFIG_HOME=f"{tmp}/config",
                   XDG_STATE_HOME=f"{tmp}/state")
        sid, rounds = write_session(f"{tmp}/data", size)
        argv = [binary, "--demo", "--session", sid]
        t0 = time.monotonic()
        app = App(binary, argv, env)
        try:
            t_open = app.wait(lambda s: tb.done_count(s) >= len(MODELS))
            prow = tb.prompt_row(app.screen)
            echoes, typed = [], ""
            for ch in "abcdefghijklmnopqrst":
                typed += ch
                t = time.monotonic()
                os.write(app.fd, ch.encode())
                echoes.append((app.wait(lambda s: prompt_text(s, prow) == typed) - t) * 1000)
                time.sleep(0.1)
            os.write(app.fd, b"\x15")  # Ctrl-U: the prompt empty again
            app.wait(lambda s: "a" not in prompt_text(s, prow))
            os.write(app.fd, b"\t")
            app.wait(screen_has("zoom"))  # the panes' key hints: the first pane has focus
            t = time.monotonic()
            os.write(app.fd, b"g")
            jump = (app.wait(screen_has("question 0:")) - t) * 1000
        finally:
            app.close()
        return rounds, (t_open - t0) * 1000, statistics.median(echoes), jump
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--binary", default=os.path.join(HERE, "..", "target", "release", "switchboard"))
    args = ap.parse_args()
    binary = os.path.abspath(args.binary)
    if not os.path.exists(binary):
        sys.exit(f"no binary at {binary}: cargo build --release first")
    results = {label: [] for label, _ in SIZES}
    rounds = {}
    for i in range(args.runs):
        for label, size in SIZES:
            n, open_ms, echo_ms, jump_ms = run_once(binary, size)
            rounds[label] = n
            results[label].append((open_ms, echo_ms, jump_ms))
            print(f"run {i + 1} {label:>8}: open {open_ms:7.1f} ms  echo {echo_ms:5.2f} ms  "
                  f"jump {jump_ms:6.1f} ms", flush=True)
    print(f"\nmedians of {args.runs} runs, 120x40 pty, --demo:")
    print(f"{'history':>8} {'rounds':>7} {'open':>10} {'key echo':>10} {'jump to top':>12}")
    base = None
    for label, _ in SIZES:
        o, e, j = (statistics.median(x[k] for x in results[label]) for k in range(3))
        base = base or (o, e)
        print(f"{label:>8} {rounds[label]:>7} {o:8.1f}ms {e:8.2f}ms {j:10.1f}ms"
              f"   open x{o / base[0]:.2f}, echo {e - base[1]:+.2f} ms")


if __name__ == "__main__":
    main()
