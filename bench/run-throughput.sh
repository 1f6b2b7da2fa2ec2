#!/usr/bin/env bash
# CPU and peak memory of `switchboard run` on a 20,000-chunk answer streamed as fast as
# loopback allows, against `curl -N` reading the same stream, in the same run.
#
#   bench/run-throughput.sh [RUNS] [CHUNKS]      (defaults: 9 runs, 20000 chunks)
#
# Needs a release build (it makes one), curl and python3. Prints per-run figures and the
# medians: CPU per chunk (user+sys, from wait4's rusage), peak RSS, and the ratio to curl.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-9}
chunks=${2:-20000}

cargo build --release --quiet
bin=target/release/switchboard
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
tmp=$(mktemp -d)
"$bin" simulate --port "$port" --delay-scale 0 >"$tmp/sim.log" 2>&1 &
sim=$!
trap 'kill $sim 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 50); do
  curl -s "http://127.0.0.1:$port/api/v1/models" >/dev/null && break
  sleep 0.1
done

base="http://127.0.0.1:$port/api/v1"
prompt="benchmark !rate=0 !tokens=$chunks"
body=$(python3 -c 'import json,sys; print(json.dumps({"model":"sim/swift-mini","stream":True,"messages":[{"role":"user","content":sys.argv[1]}]}))' "$prompt")

XDG_CACHE_HOME="$tmp/cache" python3 - "$runs" "$chunks" "$bin" "$base" "$prompt" "$body" <<'PY'
import os, statistics, subprocess, sys

runs, chunks, binary, base, prompt, body = int(sys.argv[1]), int(sys.argv[2]), *sys.argv[3:]

import tempfile
rss_file = tempfile.NamedTemporaryFile(delete=False).name

def measure(argv):
    # CPU: wait4's rusage of /usr/bin/time, which includes the command it waited for (precise,
    # from the scheduler's runtime). Peak RSS: from /usr/bin/time, because a child forked from
    # this Python process would inherit Python's own high-water mark.
    argv = ["/usr/bin/time", "-f", "%M", "-o", rss_file] + argv
    devnull = os.open(os.devnull, os.O_WRONLY)
    pid = os.fork()
    if pid == 0:
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        os.execvp(argv[0], argv)
    _, status, ru = os.wait4(pid, 0)
    os.close(devnull)
    assert os.waitstatus_to_exitcode(status) == 0, (argv, status)
    with open(rss_file) as f:
        rss_kib = int(f.read().split()[-1])
    return ru.ru_utime + ru.ru_stime, rss_kib / 1024

ours = [binary, "run", "--base-url", base, "-m", "sim/swift-mini", prompt]
curl = ["curl", "-sN", "-X", "POST", "-H", "content-type: application/json", "-d", body,
        base + "/chat/completions"]

# Check the stream really has the chunks asked for.
out = subprocess.run(curl, capture_output=True, text=True).stdout
got = sum(1 for l in out.splitlines() if l.startswith("data: ") and '"content":"' in l and '"content":""' not in l)
print(f"stream: {got} content chunks, {len(out.encode())} bytes")

rows = {"switchboard": [], "curl": []}
for i in range(runs):
    for name, argv in (("switchboard", ours), ("curl", curl)):
        rows[name].append(measure(argv))
for name, data in rows.items():
    cpu = [c for c, _ in data]
    rss = [r for _, r in data]
    print(f"{name:12s} cpu ms: {' '.join(f'{c*1000:.1f}' for c in cpu)}")
    print(f"{name:12s} median cpu {statistics.median(cpu)*1000:.1f} ms = "
          f"{statistics.median(cpu)/chunks*1e6:.2f} us/chunk, median peak RSS {statistics.median(rss):.1f} MiB")
ratio = statistics.median(c for c, _ in rows["switchboard"]) / statistics.median(c for c, _ in rows["curl"])
print(f"ratio switchboard/curl (median cpu): {ratio:.2f}")
PY
