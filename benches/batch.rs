//! `switchboard run --prompts`: what a batch costs per answer beyond streaming it, and its peak
//! memory as the prompts file grows. The simulator runs in its own process with no pacing
//! (delay scale 0), so neither figure counts its work.
//!
//!     cargo bench --bench batch            (BATCH_RUNS=3 BATCH_PROMPTS=1000 BATCH_BIG=10000)
//!
//! - streaming: this process streams the same cells (PROMPTS prompts × 4 models, 4 at a time
//!   per model's provider, on a current-thread runtime as the binary uses) straight into
//!   answers with `run_chat`: HTTP, SSE decoding and `Answer::apply`, nothing else. CPU from
//!   getrusage(RUSAGE_SELF) around it.
//! - batch: the release binary on the same cells; CPU (user+sys) and peak RSS from wait4's
//!   rusage; its fixed cost (start-up, catalog, estimate) from a 1-prompt batch.
//! - beyond streaming = (batch − fixed − streaming) / cells. Goal ≤ 1 ms.
//! - peak RSS at PROMPTS and BIG prompts: goal within 1.2× and ≤ 50 MiB.
//!
//! Medians of BATCH_RUNS runs.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use switchboard::chat::{Answer, Message, Params, Role, StreamEvent};
use switchboard::provider::{
    ChatRequest, ClientOptions, Endpoint, EventSink, StreamOptions, http_client, run_chat,
};

const MODELS: [&str; 4] = [
    "sim/swift-mini",
    "sim/sage-large",
    "sim/deep-thinker",
    "sim/free-spirit:free",
];
const TOPICS: [&str; 7] = [
    "hashing", "sorting", "caching", "parsing", "routing", "paging", "locking",
];

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn prompt(i: usize) -> String {
    format!(
        "Question {}: explain {} briefly",
        i + 1,
        TOPICS[i % TOPICS.len()]
    )
}

fn prompts_file(dir: &Path, n: usize) -> PathBuf {
    let path = dir.join(format!("p{n}.txt"));
    if !path.exists() {
        let text: String = (0..n).map(|i| prompt(i) + "\n").collect();
        std::fs::write(&path, text).unwrap();
    }
    path
}

fn cpu_of(ru: &libc::rusage) -> Duration {
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    tv(ru.ru_utime) + tv(ru.ru_stime)
}

fn self_cpu() -> Duration {
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut ru) };
    cpu_of(&ru)
}

/// Runs the command to its end: its CPU and peak RSS (MiB). Its stderr goes to `log`.
// wait4 reaps the child (std's `wait` would not give its rusage).
#[allow(clippy::zombie_processes)]
fn measure(cmd: &mut Command, log: &Path) -> (Duration, f64) {
    let child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(log).unwrap())
        .spawn()
        .unwrap();
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::wait4(pid, &mut status, 0, &mut ru) };
    let code = libc::WEXITSTATUS(status);
    assert_eq!(
        code,
        0,
        "{cmd:?} exited {code}: {}",
        std::fs::read_to_string(log).unwrap_or_default()
    );
    (cpu_of(&ru), ru.ru_maxrss as f64 / 1024.0)
}

fn batch(bin: &Path, base: &str, tmp: &Path, n: usize, tag: &str) -> (Duration, f64) {
    let home = tmp.join(format!("home-{n}-{tag}"));
    let _ = std::fs::remove_dir_all(&home);
    std::fs::create_dir_all(&home).unwrap();
    let mut cmd = Command::new(bin);
    for (var, sub) in [
        ("XDG_DATA_HOME", "data"),
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_STATE_HOME", "state"),
    ] {
        cmd.env(var, home.join(sub));
    }
    cmd.env("XDG_CACHE_HOME", tmp.join("cache"))
        .env_remove("OPENROUTER_API_KEY")
        .args(["run", "--base-url", base, "--prompts"])
        .arg(prompts_file(tmp, n))
        .arg("-o")
        .arg(home.join("out.jsonl"));
    for m in MODELS {
        cmd.args(["-m", m]);
    }
    let got = measure(&mut cmd, &tmp.join(format!("stderr-{n}-{tag}.txt")));
    let _ = std::fs::remove_dir_all(&home);
    got
}

struct Sink(Answer, tokio::time::Instant);

impl EventSink for Sink {
    fn emit(&mut self, event: StreamEvent) -> impl Future<Output = bool> + Send {
        self.0.apply(event, self.1.elapsed());
        std::future::ready(true)
    }
}

/// The same cells streamed in this process: the CPU that streaming alone takes.
fn streaming(base: &str, n: usize) -> Duration {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let client = http_client(ClientOptions::default());
    let endpoint = Arc::new(Endpoint::new(base, None));
    let permits = Arc::new(tokio::sync::Semaphore::new(4));
    let before = self_cpu();
    rt.block_on(async {
        let mut tasks = tokio::task::JoinSet::new();
        for i in 0..n {
            for m in MODELS {
                let (client, endpoint, permits) =
                    (client.clone(), endpoint.clone(), permits.clone());
                tasks.spawn(async move {
                    let _permit = permits.acquire_owned().await.unwrap();
                    let request = ChatRequest {
                        model: m.to_string(),
                        messages: vec![Message::new(Role::User, prompt(i))],
                        params: Params::default(),
                        format: None,
                    };
                    let opts = StreamOptions {
                        max_retries: 0,
                        ..StreamOptions::default()
                    };
                    let mut sink = Sink(Answer::new(m, 10), tokio::time::Instant::now());
                    run_chat(&client, &endpoint, &request, &opts, &mut sink).await;
                    assert!(sink.0.error.is_none(), "{:?}", sink.0.error);
                });
            }
            // Like the batch's window: a bounded number of cells waiting.
            while tasks.len() > 256 {
                tasks.join_next().await;
            }
        }
        while tasks.join_next().await.is_some() {}
    });
    self_cpu() - before
}

fn median<T: PartialOrd + Copy>(mut v: Vec<T>) -> T {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

fn main() {
    let runs = env("BATCH_RUNS", 3);
    let n = env("BATCH_PROMPTS", 1000);
    let big = env("BATCH_BIG", 10_000);
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_switchboard"));
    let tmp = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut sim = Command::new(&bin)
        .args([
            "simulate",
            "--delay-scale",
            "0",
            "--port",
            &port.to_string(),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "the simulator did not start");
        std::thread::yield_now();
    }
    let base = format!("http://127.0.0.1:{port}/api/v1");
    let cells = (n * MODELS.len()) as f64;
    batch(&bin, &base, tmp.path(), 1, "warm"); // fills the catalog cache
    let mut beyond = Vec::new();
    let mut rss = Vec::new();
    println!(
        "{n} prompts × {} models = {cells} answers per run",
        MODELS.len()
    );
    for run in 0..runs {
        let (fixed, _) = batch(&bin, &base, tmp.path(), 1, &run.to_string());
        let (total, peak) = batch(&bin, &base, tmp.path(), n, &run.to_string());
        let stream = streaming(&base, n);
        let per = |d: Duration| d.as_secs_f64() * 1e3 / cells;
        let extra =
            (total.as_secs_f64() - fixed.as_secs_f64() - stream.as_secs_f64()) * 1e3 / cells;
        println!(
            "run {}: batch {:.2}s cpu ({:.3} ms/answer; fixed {:.3}s), streaming alone {:.2}s ({:.3} ms/answer), beyond streaming {extra:.3} ms/answer, peak RSS {peak:.1} MiB",
            run + 1,
            total.as_secs_f64(),
            per(total),
            fixed.as_secs_f64(),
            stream.as_secs_f64(),
            per(stream),
        );
        beyond.push(extra);
        rss.push(peak);
    }
    let rss_n = median(rss);
    println!(
        "median: beyond streaming {:.3} ms/answer (goal ≤ 1 ms); peak RSS {rss_n:.1} MiB",
        median(beyond)
    );
    if big > 0 {
        let (_, rss_big) = batch(&bin, &base, tmp.path(), big, "big");
        println!(
            "peak RSS: {n} prompts {rss_n:.1} MiB, {big} prompts {rss_big:.1} MiB: ratio {:.2} (goal ≤ 1.2, ≤ 50 MiB)",
            rss_big / rss_n
        );
    }
    let _ = sim.kill();
    let _ = sim.wait();
}
