#!/usr/bin/env bash
# `switchboard run --prompts`: CPU per answer beyond the streaming itself, and peak memory,
# against the simulator in its own process with no pacing (delay scale 0).
#
#   bench/batch.sh [RUNS] [PROMPTS] [BIG]     (defaults: 3 runs, 1000 prompts, 10000 for memory)
#
# Measured from wait4's rusage of each switchboard process (user+sys, peak RSS):
# - batch: PROMPTS prompts x 4 models, and the same with 1 prompt (its fixed cost: start-up,
#   catalog, estimate). Per answer = (cpu(PROMPTS) - cpu(1)) / (4 * (PROMPTS - 1)).
# - streaming: `switchboard run` of one prompt to 4 models and to 1 model, same simulator.
#   Per answer = (cpu(4 models) - cpu(1 model)) / 3: the cost of streaming an answer (HTTP,
#   SSE decoding, applying events) as the one-prompt command pays it.
# - beyond streaming = batch per answer - streaming per answer (goal <= 1 ms).
# - peak RSS of the batch for PROMPTS and BIG prompts (goal: within 1.2x, <= 50 MiB).
# Medians of RUNS runs. Needs a release build (it makes one) and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
prompts=${2:-1000}
big=${3:-10000}

target=${CARGO_TARGET_DIR:-target}
cargo build --release --quiet
bin=$target/release/switchboard
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
tmp=$(mktemp -d)
"$bin" simulate --port "$port" --delay-scale 0 >"$tmp/sim.log" 2>&1 &
sim=$!
trap 'kill $sim 2>/dev/null; rm -rf "$tmp"' EXIT
python3 - "$port" <<'PY'
import socket, sys, time
for _ in range(100):
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.2).close(); break
    except OSError:
        time.sleep(0.1)
PY

python3 - "$runs" "$prompts" "$big" "$bin" "http://127.0.0.1:$port/api/v1" "$tmp" <<'PY'
import os, statistics, subprocess, sys, shutil

runs, prompts, big = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
binary, base, tmp = sys.argv[4:]
models = ["sim/swift-mini", "sim/sage-large", "sim/deep-thinker", "sim/free-spirit:free"]
topics = ["hashing", "sorting", "caching", "parsing", "routing", "paging", "locking"]

def prompts_file(n):
    path = os.path.join(tmp, f"p{n}.txt")
    if not os.path.exists(path):
        with open(path, "w") as f:
            for i in range(n):
                f.write(f"Question {i + 1}: explain {topics[i % len(topics)]} briefly\n")
    return path

def measure(argv, home):
    env = dict(os.environ, XDG_DATA_HOME=f"{home}/data", XDG_CACHE_HOME=f"{tmp}/cache",
               XDG_CONFIG_HOME=f"{home}/config", XDG_STATE_HOME=f"{home}/state")
    env.pop("OPENROUTER_API_KEY", None)
    p = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = p.stderr.read()
    _, status, ru = os.wait4(p.pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"{' '.join(argv)} exited {code}: {err.decode()[-2000:]}")
    return ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024

def batch(n, run):
    home = os.path.join(tmp, f"home-{n}-{run}")
    shutil.rmtree(home, ignore_errors=True)
    argv = [binary, "run", "--base-url", base, "--prompts", prompts_file(n),
            "-o", os.path.join(home, "out.jsonl")]
    for m in models:
        argv += ["-m", m]
    os.makedirs(home)
    return measure(argv, home)

def single(k, run):
    home = os.path.join(tmp, f"single-{k}-{run}")
    argv = [binary, "run", "--base-url", base, "--json"]
    for m in models[:k]:
        argv += ["-m", m]
    return measure(argv + ["Question 1: explain hashing briefly"], home)

batch(1, "warm")  # fills the catalog cache both use
rows = []
for run in range(runs):
    c1, _ = batch(1, run)
    cn, rss_n = batch(prompts, run)
    s4 = statistics.median(single(4, f"{run}-{i}")[0] for i in range(5))
    s1 = statistics.median(single(1, f"{run}-{i}")[0] for i in range(5))
    per_batch = (cn - c1) / (4 * (prompts - 1))
    per_stream = (s4 - s1) / 3
    rows.append((cn, per_batch, per_stream, per_batch - per_stream, rss_n))
    print(f"run {run + 1}: batch {prompts}x4 cpu {cn:.2f}s (1x4: {c1:.3f}s) -> {per_batch * 1e3:.3f} ms/answer;"
          f" streaming {per_stream * 1e3:.3f} ms/answer; beyond streaming {(per_batch - per_stream) * 1e3:.3f} ms;"
          f" peak RSS {rss_n:.1f} MiB", flush=True)
med = lambda i: statistics.median(r[i] for r in rows)
print(f"median: batch {med(1) * 1e3:.3f} ms/answer, streaming {med(2) * 1e3:.3f} ms/answer,"
      f" beyond streaming {med(3) * 1e3:.3f} ms/answer (goal <= 1 ms); peak RSS {med(4):.1f} MiB")
if big:
    _, rss_big = batch(big, "big")
    print(f"peak RSS: {prompts} prompts {med(4):.1f} MiB, {big} prompts {rss_big:.1f} MiB,"
          f" ratio {rss_big / med(4):.2f} (goal <= 1.2, <= 50 MiB)")
PY
