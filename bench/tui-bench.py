#!/usr/bin/env python3
"""Interactive-TUI benchmark: the playground streaming 4 panes at once, in a pseudo-terminal.

    bench/tui-bench.py [--runs N] [--binary PATH] [--history-mb MB]
                                       (defaults: 3 runs, target/release/switchboard, no history)

With --history-mb 5 the app first opens a saved 5 MB session (its newest round a branch of
its own, so the requests stay small) and continues it: every autosave while the 4 panes
stream writes the whole 5 MB file, and the key latency shows what that costs the UI.

Python 3.11 standard library only; it builds nothing (make the release binary first). Each run
starts a fresh `switchboard simulate --port P --delay-scale 1` on a free port, then opens the
playground in a 120x40 pty (TERM=xterm-256color, fresh XDG_{CACHE,DATA,CONFIG}_HOME, no
OPENROUTER_API_KEY) with 4 panes of sim/swift-mini and the prompt
`bench !rate=100 !tokens=2000 !ttft=0`: 4 answers of exactly 2000 tokens at 100 tokens/s,
so about 20 s of streaming and 8000 tokens in all. It quits the app with Ctrl-Q at the end.

The streaming window opens at the first frame whose status bar says "streaming" and closes at
the first frame where all 4 pane footers say "✓ done". Within it, it measures:

  1. App CPU: utime+stime of the switchboard process (all threads, /proc/PID/stat) divided by
     the window's wall time, in % of one core.                          Goal: <= 3 %.
  2. Terminal bytes per token: every byte read from the pty master within the window (the
     master is read continuously, so the app never blocks on a full pty), divided by 8000.
                                                                        Goal: <= 80 B/token.
  3. Keystroke-to-screen latency: every ~500 ms while streaming it writes one printable
     letter (a, b, c, ... z, A, B, ...) to the master and times how long until the screen
     shows it in the prompt box. To match only the newly typed letter (answer text is full of
     letters), the script feeds everything it reads into a small terminal emulator (cursor
     moves, SGR, erases, UTF-8, wide chars) and, after each read, compares the prompt box's
     text row with the whole string typed so far; a sample completes when that row equals
     it, i.e. at the read that carried the echoed cell. A sample not seen within 2 s is
     counted as a timeout. Median and p90 in ms.                       Goal: <= 16 ms.
     (The keystrokes' own redraws are included in the CPU and byte figures; they are small.)

For information, it also reports the simulator's CPU (a separate process) over the same window.

The app answers the terminal queries it sends (primary device attributes, cursor position),
as a terminal would, so it does not wait for their timeouts. It prints per-run figures and
the medians over the runs (--show-screen prints each run's final screen; --verbose keeps the
temp dirs; env TUI_BENCH_TIMEOUT caps a run, default 90 s), and exits 0, also when a goal
is missed; it exits 1 only when no run could be measured at all (the app crashed or never
finished streaming).
"""

import argparse
import codecs
import json
import fcntl
import os
import pty
import re
import select
import shutil
import signal
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
import unicodedata
import urllib.request

COLS, ROWS = 120, 40
PANES = 4
TOKENS = 2000
RATE = 100
MODEL = "sim/swift-mini"
PROMPT = f"bench !rate={RATE} !tokens={TOKENS} !ttft=0"
KEY_INTERVAL = 0.5
KEY_TIMEOUT = 2.0
RUN_TIMEOUT = float(os.environ.get("TUI_BENCH_TIMEOUT", "90"))
GOALS = {"cpu": 3.0, "bpt": 80.0, "lat": 16.0}
CLK_TCK = os.sysconf("SC_CLK_TCK")
KEYS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


# ---------------------------------------------------------------------------------------------
# A minimal terminal: enough of VT100/xterm to follow what ratatui's crossterm backend writes.
# ---------------------------------------------------------------------------------------------
class Screen:
    def __init__(self, cols, rows):
        self.cols, self.rows = cols, rows
        self.grid = [[" "] * cols for _ in range(rows)]
        self.x = self.y = 0
        self.saved = (0, 0)
        self.decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self.state = "text"  # text, esc, csi, osc, osc_esc, charset
        self.params = ""
        self.replies = []  # bytes to send back to the app (answers to its queries)

    def _put(self, ch):
        w = 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
        if unicodedata.combining(ch) or ch in "\u200b\u200d\ufe0f":
            return
        if self.x >= self.cols:  # pending wrap
            self.x = 0
            self._down()
        self.grid[self.y][self.x] = ch
        if w == 2 and self.x + 1 < self.cols:
            self.grid[self.y][self.x + 1] = ""
        self.x += w

    def _down(self):
        if self.y < self.rows - 1:
            self.y += 1
        else:
            self.grid.pop(0)
            self.grid.append([" "] * self.cols)

    def _nums(self, default):
        out = []
        for p in self.params.split(";"):
            p = p.split(":")[0]
            out.append(int(p) if p.isdigit() else default)
        return out

    def _csi(self, final):
        p = self.params
        if p[:1] in "?<>=" and p:
            if final == "u" and p == "?":
                pass  # kitty keyboard query: stay silent (unsupported), DA1 answers it
            elif final == "c":
                pass
            return
        n = self._nums(1)
        clamp = lambda v, hi: max(0, min(v, hi))
        if final in "Hf":
            r = n[0] if n and n[0] else 1
            c = n[1] if len(n) > 1 and n[1] else 1
            self.y, self.x = clamp(r - 1, self.rows - 1), clamp(c - 1, self.cols - 1)
        elif final == "A":
            self.y = clamp(self.y - (n[0] or 1), self.rows - 1)
        elif final == "B":
            self.y = clamp(self.y + (n[0] or 1), self.rows - 1)
        elif final == "C":
            self.x = clamp(self.x + (n[0] or 1), self.cols - 1)
        elif final == "D":
            self.x = clamp(self.x - (n[0] or 1), self.cols - 1)
        elif final == "G":
            self.x = clamp((n[0] or 1) - 1, self.cols - 1)
        elif final == "d":
            self.y = clamp((n[0] or 1) - 1, self.rows - 1)
        elif final in "JK":
            mode = self._nums(0)[0]
            if final == "K":
                rng = {0: (self.x, self.cols), 1: (0, self.x + 1), 2: (0, self.cols)}.get(mode, (0, 0))
                for i in range(*rng):
                    self.grid[self.y][min(i, self.cols - 1)] = " "
            else:
                if mode == 0:
                    rows = range(self.y + 1, self.rows)
                    for i in range(self.x, self.cols):
                        self.grid[self.y][i] = " "
                elif mode == 1:
                    rows = range(0, self.y)
                    for i in range(0, min(self.x + 1, self.cols)):
                        self.grid[self.y][i] = " "
                else:
                    rows = range(self.rows)
                for r in rows:
                    self.grid[r] = [" "] * self.cols
        elif final == "X":
            for i in range(self.x, min(self.cols, self.x + (n[0] or 1))):
                self.grid[self.y][i] = " "
        elif final == "c":  # primary device attributes: a VT220-ish terminal, no kitty keys
            self.replies.append(b"\x1b[?62;22c")
        elif final == "n" and n and n[0] == 6:  # cursor position report
            self.replies.append(f"\x1b[{self.y + 1};{self.x + 1}R".encode())
        elif final == "s":
            self.saved = (self.x, self.y)
        elif final == "u":
            self.x, self.y = self.saved
        # m (SGR), r, t, q, ... : no effect on the characters shown

    def feed(self, data: bytes):
        for ch in self.decoder.decode(data):
            st = self.state
            if st == "text":
                if ch == "\x1b":
                    self.state = "esc"
                elif ch == "\r":
                    self.x = 0
                elif ch == "\n":
                    self._down()
                elif ch == "\b":
                    self.x = max(0, self.x - 1)
                elif ch == "\t":
                    self.x = min(self.cols - 1, (self.x // 8 + 1) * 8)
                elif ch >= " " and ch != "\x7f":
                    self._put(ch)
            elif st == "esc":
                if ch == "[":
                    self.state, self.params = "csi", ""
                elif ch == "]":
                    self.state = "osc"
                elif ch in "()*+#%":
                    self.state = "charset"
                else:
                    if ch == "7":
                        self.saved = (self.x, self.y)
                    elif ch == "8":
                        self.x, self.y = self.saved
                    self.state = "text"
            elif st == "charset":
                self.state = "text"
            elif st == "csi":
                if "\x40" <= ch <= "\x7e":
                    self._csi(ch)
                    self.state = "text"
                else:
                    self.params += ch
            elif st == "osc":
                if ch == "\x07":
                    self.state = "text"
                elif ch == "\x1b":
                    self.state = "osc_esc"
            elif st == "osc_esc":
                self.state = "text" if ch == "\\" else "osc"

    def row(self, r):
        return "".join(self.grid[r])

    def text(self):
        return "\n".join(self.row(r) for r in range(self.rows))


# ---------------------------------------------------------------------------------------------
def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        stat = f.read()
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime, stime (fields 14, 15)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def set_winsize(fd):
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))


def prompt_row(screen):
    """Row index of the prompt box's first text line: under the ' Prompt ' border title."""
    for r in range(screen.rows - 1, 0, -1):
        if " Prompt " in screen.row(r - 1) and r >= screen.rows // 2:
            return r
    return None


def prompt_text(screen, r):
    line = screen.row(r)
    a, b = line.find("│"), line.rfind("│")
    if 0 <= a < b:
        line = line[a + 1 : b]
    return line.strip()


def done_count(screen):
    # A finished pane's bottom border starts with "└ ✓" (the word "done" follows only when the
    # footer has room for it; at 4 panes in 120 columns it is left out).
    return sum(screen.row(r).count("└ ✓") for r in range(screen.rows))


def percentile(xs, q):
    xs = sorted(xs)
    if not xs:
        return float("nan")
    k = (len(xs) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def write_history(data_dir, mb):
    """A saved session of about `mb` MB whose newest round starts a branch of its own: the
    panes continue from a small round (so requests stay small), while every autosave writes
    the whole file. Returns its id."""
    sid = "20261203-070000-b5e5"
    words = "Streaming answers arrive one small piece at a time, and each piece counts. "
    answer_text = words * 60
    rounds, size, i = [], 0, 0
    while size < mb * 1_000_000:
        rounds.append({
            "id": i, "parent": i - 1 if i else None, "prompt": f"question {i}",
            "created_ms": 1795805172000 + i,
            "answers": [{"slot": s, "model": MODEL, "status": "complete", "text": answer_text,
                         "cost": {"usd": "0.000125", "source": "reported"},
                         "ttft_ms": 250, "duration_ms": 2000, "tokens_per_s": 140.0}
                        for s in range(PANES)],
        })
        size += len(answer_text) * PANES
        i += 1
    rounds.append({"id": i, "parent": None, "prompt": "start", "created_ms": 1795805172000 + i,
                   "answers": [{"slot": s, "model": MODEL, "status": "complete", "text": "ok"}
                               for s in range(PANES)]})
    session = {"schema": 3, "id": sid, "title": "a long history", "created_ms": 1795805172000,
               "updated_ms": 1795805172000 + i, "base_url": "", "models": [MODEL] * PANES,
               "rounds": rounds}
    d = f"{data_dir}/switchboard/sessions"
    os.makedirs(d, exist_ok=True)
    with open(f"{d}/{sid}.json", "w") as f:
        json.dump(session, f)
    return sid


def run_once(binary, n, verbose, history_mb=0):
    tmp = tempfile.mkdtemp(prefix="tui-bench-")
    env = {k: v for k, v in os.environ.items() if k != "OPENROUTER_API_KEY"}
    env.update(
        TERM="xterm-256color",
        XDG_CACHE_HOME=f"{tmp}/cache",
        XDG_DATA_HOME=f"{tmp}/data",
        XDG_CONFIG_HOME=f"{tmp}/config",
        COLUMNS=str(COLS),
        LINES=str(ROWS),
    )
    for d in ("cache", "data", "config"):
        os.makedirs(f"{tmp}/{d}")
    port = free_port()
    base = f"http://127.0.0.1:{port}/api/v1"
    sim_log = open(f"{tmp}/sim.log", "wb")
    sim = subprocess.Popen(
        [binary, "simulate", "--port", str(port), "--delay-scale", "1"],
        stdout=sim_log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env,
    )
    app_pid = fd = None
    result = {"ok": False, "notes": []}
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/models", timeout=1).read()
                break
            except OSError:
                if sim.poll() is not None:
                    raise RuntimeError(f"simulator exited with {sim.returncode}")
                time.sleep(0.1)
        else:
            raise RuntimeError("simulator did not come up")

        argv = [binary, "--base-url", base]
        if history_mb:
            argv += ["--session", write_history(f"{tmp}/data", history_mb)]
        for _ in range(PANES):
            argv += ["-m", MODEL]
        argv.append(PROMPT)
        app_pid, fd = pty.fork()
        if app_pid == 0:  # child: the pty slave is fds 0-2
            try:
                set_winsize(0)
                os.execve(binary, argv, env)
            finally:
                os._exit(127)
        set_winsize(fd)

        screen = Screen(COLS, ROWS)
        t_launch = time.monotonic()
        total_bytes = 0
        t_start = t_end = None
        cpu_start = cpu_end = sim_start = sim_end = None
        bytes_start = bytes_end = None
        typed = ""
        pending = None  # (char, expected text, t_sent)
        next_key = None
        lat = []
        timeouts = 0
        prow = None
        exited = None
        while True:
            now = time.monotonic()
            if now - t_launch > RUN_TIMEOUT:
                result["notes"].append(f"timed out after {RUN_TIMEOUT:.0f}s (done panes: {done_count(screen)})")
                break
            # Keystrokes: one outstanding at a time, ~every 500 ms while streaming.
            if t_start is not None and t_end is None:
                if pending and now - pending[2] > KEY_TIMEOUT:
                    timeouts += 1
                    pending = None
                if pending is None and now >= next_key and len(typed) < len(KEYS):
                    ch = KEYS[len(typed)]
                    typed += ch
                    t_sent = time.monotonic()
                    os.write(fd, ch.encode())
                    pending = (ch, typed, t_sent)
                    next_key = t_sent + KEY_INTERVAL
            timeout = 0.05
            if pending is None and next_key is not None and t_end is None:
                timeout = max(0.0, min(timeout, next_key - time.monotonic()))
            r, _, _ = select.select([fd], [], [], timeout)
            if not r:
                continue
            try:
                data = os.read(fd, 65536)
            except OSError:
                data = b""
            t_read = time.monotonic()
            if not data:
                _, status = os.waitpid(app_pid, 0)
                exited = os.waitstatus_to_exitcode(status)
                app_pid = None
                result["notes"].append(f"app exited early with status {exited}")
                break
            total_bytes += len(data)
            screen.feed(data)
            if screen.replies:
                for reply in screen.replies:
                    os.write(fd, reply)
                screen.replies.clear()
            if pending:
                if prow is None:
                    prow = prompt_row(screen)
                if prow is not None and prompt_text(screen, prow) == pending[1]:
                    lat.append((t_read - pending[2]) * 1000)
                    pending = None
            if t_start is None:
                status_rows = "\n".join(screen.row(r) for r in range(ROWS - 3, ROWS))
                if "streaming" in status_rows:
                    t_start = t_read
                    cpu_start, sim_start = cpu_seconds(app_pid), cpu_seconds(sim.pid)
                    bytes_start = total_bytes
                    next_key = t_read + KEY_INTERVAL
                    prow = prompt_row(screen)
            elif t_end is None and done_count(screen) >= PANES:
                t_end = t_read
                cpu_end, sim_end = cpu_seconds(app_pid), cpu_seconds(sim.pid)
                bytes_end = total_bytes
                break

        if t_end is not None:
            # Drain briefly (let a pending keystroke land; not counted in the figures), then quit.
            t_drain = time.monotonic() + 0.3
            while time.monotonic() < t_drain:
                r, _, _ = select.select([fd], [], [], 0.05)
                if r:
                    try:
                        data = os.read(fd, 65536)
                    except OSError:
                        break
                    if not data:
                        break
                    screen.feed(data)
            final = screen.text()
            wall = t_end - t_start
            toks = re.findall(r"(~?\d+)/(~?\d+) tok", final)
            if len(toks) != PANES or any(b != str(TOKENS) for _, b in toks):
                result["notes"].append(f"completion tokens shown in footers: {[b for _, b in toks]}")
            result.update(
                ok=True,
                wall=wall,
                cpu=100 * (cpu_end - cpu_start) / wall,
                sim_cpu=100 * (sim_end - sim_start) / wall,
                bytes=bytes_end - bytes_start,
                bpt=(bytes_end - bytes_start) / (PANES * TOKENS),
                lat=lat,
                timeouts=timeouts,
                startup=t_start - t_launch,
                screen=final,
            )
            if prow is None:
                result["notes"].append("prompt box not found on screen")
        elif verbose:
            print(screen.text(), file=sys.stderr)

        # Quit with Ctrl-Q and wait for the app to leave.
        if app_pid is not None:
            try:
                os.write(fd, b"\x11")
            except OSError:
                pass
            deadline = time.monotonic() + 5
            open_ = True
            while time.monotonic() < deadline:
                pid, status = os.waitpid(app_pid, os.WNOHANG)
                if pid:
                    exited = os.waitstatus_to_exitcode(status)
                    app_pid = None
                    break
                if open_:
                    r, _, _ = select.select([fd], [], [], 0.05)
                    if r:
                        try:
                            open_ = bool(os.read(fd, 65536))
                        except OSError:
                            open_ = False
                else:
                    time.sleep(0.02)
            if app_pid is not None:
                result["notes"].append("app did not quit on Ctrl-Q within 5 s; killed")
            elif exited != 0:
                result["notes"].append(f"app exit status {exited} after Ctrl-Q")
    finally:
        if app_pid is not None:
            try:
                os.kill(app_pid, signal.SIGKILL)
                os.waitpid(app_pid, 0)
            except OSError:
                pass
        if fd is not None:
            os.close(fd)
        sim.terminate()
        try:
            sim.wait(5)
        except subprocess.TimeoutExpired:
            sim.kill()
            sim.wait()
        sim_log.close()
        if verbose:
            print(f"  [kept {tmp}]", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return result


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--binary", default=os.path.join(root, "target/release/switchboard"))
    ap.add_argument("--show-screen", action="store_true", help="print the final screen of each run")
    ap.add_argument("--verbose", action="store_true", help="keep temp dirs, dump screens on failure")
    ap.add_argument("--history-mb", type=float, default=0,
                    help="open a saved session this large first: every autosave while streaming writes it whole")
    args = ap.parse_args()
    binary = os.path.abspath(args.binary)
    if not os.access(binary, os.X_OK):
        sys.exit(f"no executable at {binary} (build it first: cargo build --release)")

    print(f"switchboard TUI bench: {PANES} panes x {TOKENS} tokens at {RATE} tok/s, "
          f"{COLS}x{ROWS} pty, {args.runs} run(s), {binary}")
    results = []
    for i in range(args.runs):
        res = run_once(binary, i, args.verbose, args.history_mb)
        results.append(res)
        if res["ok"]:
            lat = res["lat"]
            print(f"run {i + 1}: streaming {res['wall']:.2f}s (started {res['startup'] * 1000:.0f} ms after launch) | "
                  f"app CPU {res['cpu']:.2f}% | {res['bytes']} B = {res['bpt']:.1f} B/token | "
                  f"key latency median {statistics.median(lat) if lat else float('nan'):.1f} ms "
                  f"p90 {percentile(lat, 0.9):.1f} ms (n={len(lat)}, timeouts={res['timeouts']}) | "
                  f"simulator CPU {res['sim_cpu']:.2f}%")
        else:
            print(f"run {i + 1}: FAILED")
        for note in res["notes"]:
            print(f"   note: {note}")
        if args.show_screen and res.get("screen"):
            print(res["screen"])

    ok = [r for r in results if r["ok"]]
    if not ok:
        print("no run could be measured")
        return 1
    med = lambda key: statistics.median(r[key] for r in ok)
    lat_med = statistics.median(statistics.median(r["lat"]) for r in ok if r["lat"]) if any(r["lat"] for r in ok) else float("nan")
    lat_p90 = statistics.median(percentile(r["lat"], 0.9) for r in ok if r["lat"]) if any(r["lat"] for r in ok) else float("nan")
    verdict = lambda v, goal: "ok" if v <= goal else "MISSED"
    print()
    print(f"Summary (medians over {len(ok)} of {len(results)} runs):")
    print(f"  streaming wall time      {med('wall'):8.2f} s")
    print(f"  app CPU                  {med('cpu'):8.2f} % of one core   goal <= {GOALS['cpu']:g} %      {verdict(med('cpu'), GOALS['cpu'])}")
    print(f"  terminal bytes / token   {med('bpt'):8.1f} B               goal <= {GOALS['bpt']:g} B      {verdict(med('bpt'), GOALS['bpt'])}")
    print(f"  key latency median       {lat_med:8.1f} ms              goal <= {GOALS['lat']:g} ms     {verdict(lat_med, GOALS['lat'])}")
    print(f"  key latency p90          {lat_p90:8.1f} ms              goal <= {GOALS['lat']:g} ms     {verdict(lat_p90, GOALS['lat'])}")
    all_lat = [x for r in ok for x in r["lat"]]
    lat_p99 = percentile(all_lat, 0.99) if all_lat else float("nan")
    print(f"  key latency p99 (all)    {lat_p99:8.1f} ms              goal <= {GOALS['lat']:g} ms     {verdict(lat_p99, GOALS['lat'])}")
    print(f"  simulator CPU (info)     {med('sim_cpu'):8.2f} % of one core")
    print(f"  key samples: {sum(len(r['lat']) for r in ok)}, timeouts: {sum(r['timeouts'] for r in ok)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
