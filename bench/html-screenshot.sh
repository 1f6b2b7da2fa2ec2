#!/usr/bin/env bash
# Looks at the HTML export the way a reader would: plays a short demo session in a pseudo-
# terminal (a blind round with three models, voted, adopted and judged, then a second blind
# round left unvoted), exports it with `sessions export ID --format html`, and has headless
# Chromium take screenshots of the page, wide, narrow and dark.
#
#   bench/html-screenshot.sh [OUT_DIR]      (default: a new temporary folder)
#
# Needs python3 and Debian's `chromium` (apt-get install chromium; $CHROMIUM names another
# browser binary); without one it says so and exits 0. It builds the debug binary (honours
# CARGO_TARGET_DIR), or uses $SWITCHBOARD_BIN.
# Everything runs on 127.0.0.1 (the demo's simulator) with fresh XDG folders under OUT_DIR.
# Prints the export's size and each PNG's path and size; look at the pictures yourself.
set -euo pipefail
cd "$(dirname "$0")/.."

chrome=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)}
if [ -z "$chrome" ] || ! command -v "$chrome" >/dev/null; then
  echo "html-screenshot: skipped, no chromium found (apt-get install chromium)"
  exit 0
fi
command -v python3 >/dev/null || { echo "html-screenshot: skipped, python3 is needed"; exit 0; }

out=${1:-$(mktemp -d)}
mkdir -p "$out"
out=$(cd "$out" && pwd)
if [ -z "${SWITCHBOARD_BIN:-}" ]; then
  cargo build --quiet
  SWITCHBOARD_BIN="${CARGO_TARGET_DIR:-target}/debug/switchboard"
fi
bin=$(cd "$(dirname "$SWITCHBOARD_BIN")" && pwd)/$(basename "$SWITCHBOARD_BIN")
export XDG_DATA_HOME="$out/xdg/data" XDG_CACHE_HOME="$out/xdg/cache"
export XDG_CONFIG_HOME="$out/xdg/config" XDG_STATE_HOME="$out/xdg/state"
unset OPENROUTER_API_KEY

python3 - "$bin" "$XDG_DATA_HOME/switchboard/sessions" <<'PY'
import fcntl, glob, json, os, pty, select, struct, sys, termios, time

binary, sessions = sys.argv[1], sys.argv[2]
args = [binary, "--demo", "--blind", "--judge", "sim/judge-fair", "--sim-delay-scale", "0.5",
        "-m", "sim/swift-mini", "-m", "sim/deep-thinker", "-m", "sim/sage-large",
        "Compare quicksort and mergesort, with a short code example"]
pid, fd = pty.fork()
if pid == 0:
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 140, 0, 0))
    os.environ["TERM"] = "xterm-256color"
    os.execv(binary, args)

def pump(seconds):
    """Reads what the app draws (so it never blocks) and answers its terminal queries."""
    end = time.time() + seconds
    while time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            try:
                data = os.read(fd, 65536)
            except OSError:
                return
            if b"\x1b[c" in data or b"\x1b[0c" in data:
                os.write(fd, b"\x1b[?62;22c")
            if b"\x1b[6n" in data:
                os.write(fd, b"\x1b[1;1R")

def session():
    files = [f for f in glob.glob(os.path.join(sessions, "*.json")) if not f.endswith("index.json")]
    if not files:
        return None
    try:
        with open(files[0]) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None

def wait(what, cond, timeout=60):
    end = time.time() + timeout
    while time.time() < end:
        pump(0.2)
        s = session()
        if s is not None and cond(s):
            return
    sys.exit(f"html-screenshot: timed out waiting for {what}")

def done(n):
    def cond(s):
        rounds = s.get("rounds", [])
        return len(rounds) > n and len(rounds[n]["answers"]) >= 3 and all(
            a["status"] in ("complete", "error", "cancelled") for a in rounds[n]["answers"])
    return cond

def send(keys, settle=0.6):
    os.write(fd, keys)
    pump(settle)

wait("the first round's answers", done(0))
send(b"\t")                    # focus the panes
send(b"v")                     # vote the focused answer the best: the round is revealed
wait("the vote", lambda s: s["rounds"][0].get("vote") is not None)
send(b"a")                     # adopt it
send(b"\x1bOS")                # F4: the judge reads both orders
wait("the judge", lambda s: len(s["rounds"][0].get("judgements", [])) > 0)
send(b"\x1b")                  # close the verdict
send(b"\x1b")                  # back to the prompt
send(b"Which one suits linked lists better?\r")
wait("the second round's answers", done(1))
send(b"\x11", 0)               # Ctrl-Q
for _ in range(100):
    if os.waitpid(pid, os.WNOHANG)[0]:
        break
    pump(0.1)
PY

id=$(basename "$(ls "$XDG_DATA_HOME"/switchboard/sessions/*.json | grep -v index.json | head -1)" .json)
page="$out/demo-session.html"
"$bin" sessions export "$id" --format html -o "$page" 2>/dev/null
echo "export: $page ($(wc -c <"$page") bytes)"

# Headless Chromium shoots the top of the page (a #fragment does not scroll it: the picture
# comes out blank), so tall windows show what lies further down.
shoot() { # name width height [extra chromium flags]
  local png="$out/$1.png"
  "$chrome" --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
    --screenshot="$png" --window-size="$2,$3" "${@:4}" "file://$page" >/dev/null 2>&1 || true
  if [ -s "$png" ]; then
    echo "screenshot: $png ($(wc -c <"$png") bytes, $2x$3)"
  else
    echo "screenshot: $1 failed (chromium wrote nothing)"
  fi
}
shoot wide 1400 1000
shoot wide-tall 1400 3600
shoot narrow 420 2400
shoot dark 1400 1000 --force-dark-mode
