//! `bench ingest --backend postgres --workers N,M`: the team deployment on
//! one machine, side by side with the SQLite file on the same corpus.
//!
//! The corpus is `bench ingest`'s generated JSON Lines. In one run: the
//! SQLite file built by `storyline ingest`; the PostgreSQL store built by
//! `storyline ingest` (one process); then for each worker count a fresh
//! database, the corpus queued on NATS JetStream (`storyline enqueue`,
//! timed apart) and that many `storyline worker --exit-when-idle` processes,
//! each with its share of the cores, timed from their start until the last
//! one exits (every article stored, linked and in a story). Each line gives
//! articles per second and the stories' B-cubed F1 against the generated
//! events, so speed is never bought with a worse partition unnoticed.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{anyhow, Context, Result};

use crate::ingest::{partition_of, write_corpus};

/// Options of the benchmark.
pub struct TeamBenchOptions {
    /// Articles in the corpus.
    pub size: usize,
    /// Runs to measure, in order: `0` is one `storyline ingest` process on
    /// PostgreSQL, `N` is N workers, `split` is storing and indexing each
    /// alone (and the ten-machine estimate drawn from them).
    pub runs: Vec<String>,
    /// A PostgreSQL URL whose user may create databases (the benchmark's
    /// databases are created beside the one it names).
    pub postgres: String,
    /// A NATS server; one is started on a free loopback port when None.
    pub nats: Option<String>,
    /// Where the corpus and the SQLite file go (a temporary folder otherwise).
    pub dir: Option<PathBuf>,
}

struct OwnNats(Child);

impl Drop for OwnNats {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_nats(dir: &Path) -> Result<(OwnNats, String)> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let child = Command::new("nats-server")
        .args(["-js", "-a", "127.0.0.1", "-p", &port.to_string(), "-sd"])
        .arg(dir.join("nats"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .context("starting nats-server (Debian package nats-server), or pass --nats URL")?;
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        anyhow::ensure!(started.elapsed() < Duration::from_secs(20), "nats-server did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok((OwnNats(child), format!("nats://127.0.0.1:{port}")))
}

fn fresh_database(base: &str, name: &str) -> Result<String> {
    let mut admin = postgres::Client::connect(base, postgres::NoTls)
        .with_context(|| format!("connecting to {}", storyline_store_pg::redact(base)))?;
    admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))?;
    admin.batch_execute(&format!("CREATE DATABASE {name}"))?;
    let cut = base.rfind('/').ok_or_else(|| anyhow!("{base}: no database in the URL"))?;
    Ok(format!("{}/{name}", &base[..cut]))
}

fn run_quiet(cmd: &mut Command) -> Result<()> {
    let out = cmd.stdout(Stdio::null()).stderr(Stdio::piped()).output()?;
    anyhow::ensure!(out.status.success(), "{cmd:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    Ok(())
}

fn postgres_partition(db: &str) -> Result<String> {
    let store = storyline_store_pg::PgStore::connect(db).map_err(|e| anyhow!("{e}"))?;
    Ok(partition_of(store.story_assignments().map_err(|e| anyhow!("{e}"))?))
}

fn rate_line(label: &str, n: u64, seconds: f64) -> String {
    format!("{label}: {n} articles in {seconds:.1} s, {:.1} articles/s", n as f64 / seconds)
}

/// Runs the benchmark; returns the lines to print.
pub fn bench_team(options: &TeamBenchOptions) -> Result<Vec<String>> {
    let temp = tempfile::tempdir()?;
    let dir = options.dir.clone().unwrap_or_else(|| temp.path().to_path_buf());
    std::fs::create_dir_all(&dir)?;
    let exe = std::env::current_exe()?;
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let n = options.size;
    let corpus = dir.join(format!("team-corpus-{n}.jsonl"));
    eprintln!("bench team: writing {n} articles...");
    write_corpus(&corpus, n, None)?;
    let mut lines = vec![format!("synthetic JSON Lines corpus of {n} articles (as bench ingest); {cores} core(s)")];

    eprintln!("bench team: SQLite, one ingest process...");
    let sqlite = dir.join(format!("team-{n}.db"));
    std::fs::remove_file(&sqlite).ok();
    let started = Instant::now();
    run_quiet(Command::new(&exe).arg("--db").arg(&sqlite).args(["ingest", "-q"]).arg(&corpus))?;
    let sqlite_seconds = started.elapsed().as_secs_f64();
    let sqlite_rate = n as f64 / sqlite_seconds;
    lines.push(rate_line("sqlite   ingest (1 process)", n as u64, sqlite_seconds));
    let file = storyline_store::Store::open(&sqlite)?;
    lines.push(format!("  {}", partition_of(file.story_assignments()?)));
    drop(file);

    let counts: Vec<usize> = options.runs.iter().filter_map(|r| r.parse().ok()).collect();
    for run in &options.runs {
        anyhow::ensure!(run == "split" || run.parse::<usize>().is_ok(), "--workers: numbers or split, not {run:?}");
    }
    if counts.contains(&0) {
        lines.extend(single_ingest(&exe, options, &corpus, n, sqlite_rate)?);
    }
    let (_own, nats) = match &options.nats {
        Some(url) => (None, url.clone()),
        None => {
            let (own, url) = start_nats(&dir)?;
            (Some(own), url)
        }
    };
    let mut one_worker: Option<f64> = None;
    for workers in counts.into_iter().filter(|&w| w > 0) {
        eprintln!("bench team: {workers} worker(s)...");
        let db = fresh_database(&options.postgres, &format!("storyline_bench_w{workers}"))?;
        let queue = format!("bench-{workers}-{}", std::process::id());
        let started = Instant::now();
        run_quiet(Command::new(&exe).args(["enqueue", "--nats", &nats, "--queue", &queue]).arg(&corpus))?;
        let enqueue_seconds = started.elapsed().as_secs_f64();
        let threads = (cores / workers).max(1).to_string();
        let started = Instant::now();
        let mut children = Vec::new();
        for w in 0..workers {
            children.push(
                Command::new(&exe)
                    .args(["--db", &db, "worker", "--nats", &nats, "--queue", &queue, "--exit-when-idle"])
                    .args(["--threads", &threads, "--name", &format!("bench-{w}")])
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .spawn()?,
            );
        }
        for mut child in children {
            let status = child.wait()?;
            anyhow::ensure!(status.success(), "a worker failed ({status})");
        }
        let seconds = started.elapsed().as_secs_f64();
        let rate = n as f64 / seconds;
        let scaling = match one_worker {
            Some(single) => format!(", {:.2}x one worker", rate / single),
            None => String::new(),
        };
        if workers == 1 {
            one_worker = Some(rate);
        }
        lines.push(format!(
            "{} ({:.2}x SQLite{scaling}; queued in {enqueue_seconds:.1} s before)",
            rate_line(&format!("postgres {workers} worker(s), {threads} thread(s) each"), n as u64, seconds),
            rate / sqlite_rate,
        ));
        lines.push(format!("  {}", postgres_partition(&db)?));
    }
    if options.runs.iter().any(|r| r == "split") {
        lines.extend(split(&exe, options, &nats, &corpus, n, cores)?);
    }
    std::fs::remove_file(&corpus).ok();
    Ok(lines)
}

/// Storing alone on every core, then indexing alone in one process.
fn split(
    exe: &Path,
    options: &TeamBenchOptions,
    nats: &str,
    corpus: &Path,
    n: usize,
    cores: usize,
) -> Result<Vec<String>> {
    let mut lines = Vec::new();
    // Each half alone: storing on every core (role store), then indexing in
    // one process (role index) over what the store workers left. Storing
    // scales with machines; indexing does not (one process at a time).
    eprintln!("bench team: storing alone, then indexing alone...");
    let db = fresh_database(&options.postgres, "storyline_bench_split")?;
    let queue = format!("bench-split-{}", std::process::id());
    run_quiet(Command::new(exe).args(["enqueue", "--nats", nats, "--queue", &queue]).arg(corpus))?;
    let started = Instant::now();
    let mut children = Vec::new();
    for w in 0..cores {
        children.push(
            Command::new(exe)
                .args(["--db", &db, "worker", "--nats", nats, "--queue", &queue, "--exit-when-idle", "--role", "store"])
                .args(["--threads", "1", "--name", &format!("store-{w}")])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()?,
        );
    }
    for mut child in children {
        let status = child.wait()?;
        anyhow::ensure!(status.success(), "a store worker failed ({status})");
    }
    let store_seconds = started.elapsed().as_secs_f64();
    let started = Instant::now();
    run_quiet(Command::new(exe).args(["--db", &db, "worker", "--nats", nats, "--queue", &queue]).args([
        "--exit-when-idle",
        "--role",
        "index",
        "--name",
        "indexer",
    ]))?;
    let index_seconds = started.elapsed().as_secs_f64();
    let (store_rate, index_rate) = (n as f64 / store_seconds, n as f64 / index_seconds);
    lines.push(format!(
        "{} (per core {:.1})",
        rate_line(&format!("postgres storing alone, {cores} worker(s) of 1 thread"), n as u64, store_seconds),
        store_rate / cores as f64
    ));
    lines.push(rate_line(
        "postgres indexing alone, 1 process (linking, stories, near-duplicates)",
        n as u64,
        index_seconds,
    ));
    lines.push(format!("  {}", postgres_partition(&db)?));
    let machines = 10.0;
    let storing = machines * store_rate;
    lines.push(format!(
        "10 machines like this one: storing {:.0} articles/s ({:.1} M/day), indexing {:.0} articles/s ({:.1} M/day) in one \
         process: the store takes {:.1} M articles/day, limited by {}",
        storing,
        storing * 86_400.0 / 1e6,
        index_rate,
        index_rate * 86_400.0 / 1e6,
        storing.min(index_rate) * 86_400.0 / 1e6,
        if index_rate < storing { "indexing" } else { "storing" }
    ));
    Ok(lines)
}

/// One `storyline ingest` process on a PostgreSQL store.
fn single_ingest(
    exe: &Path,
    options: &TeamBenchOptions,
    corpus: &Path,
    n: usize,
    sqlite_rate: f64,
) -> Result<Vec<String>> {
    let mut lines = Vec::new();
    eprintln!("bench team: PostgreSQL, one ingest process...");
    let db = fresh_database(&options.postgres, "storyline_bench_ingest")?;
    let started = Instant::now();
    run_quiet(Command::new(exe).args(["--db", &db, "ingest", "-q"]).arg(corpus))?;
    let seconds = started.elapsed().as_secs_f64();
    lines.push(format!(
        "{} ({:.2}x SQLite)",
        rate_line("postgres ingest (1 process)", n as u64, seconds),
        n as f64 / seconds / sqlite_rate
    ));
    lines.push(format!("  {}", postgres_partition(&db)?));

    Ok(lines)
}
