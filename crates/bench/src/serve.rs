//! `bench serve`: a bounded load generator against `storyline serve` on a
//! loopback port, over a copy of a `bench ingest` store: at least a number
//! of requests of each kind (story list, one story, one entity, search) from
//! concurrent keep-alive clients, within a time limit, while an ingest of new
//! articles runs beside it through `POST /api/ingest` (the load lasts until
//! a few ingest requests have ended, so kept responses are recomputed under
//! it). Three times: with every read computed, with the response cache never
//! serving an outdated page, then with the server's default (an outdated page
//! served for at most a second while it is computed again).
//! Prints requests per second, p50 and p99 latency and failures per kind.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

use crate::stories::Rng;

/// Options of the benchmark.
pub struct ServeBenchOptions {
    /// Store sizes (stores are built by `bench ingest`'s generator when missing).
    pub sizes: Vec<usize>,
    /// Where the stores are kept (`store-N.db`, `added-N.jsonl`); a temporary folder otherwise.
    pub dir: Option<PathBuf>,
    /// Concurrent clients.
    pub clients: usize,
    /// Requests of each kind.
    pub requests: usize,
    /// Longest the load may run.
    pub max_seconds: u64,
    /// Serve the kept store itself, with a fresh batch ingested beside,
    /// instead of a copy (a store of 1M articles is too large to copy).
    pub in_place: bool,
}

/// One keep-alive HTTP/1.1 connection (loopback only).
struct Client {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

impl Client {
    fn connect(addr: SocketAddr) -> Result<Client> {
        Client::connect_waiting(addr, Duration::from_secs(30))
    }

    /// A connection that waits at most `timeout` for an answer.
    fn connect_waiting(addr: SocketAddr, timeout: Duration) -> Result<Client> {
        anyhow::ensure!(addr.ip().is_loopback(), "the load generator talks to loopback only");
        let stream = TcpStream::connect(addr)?;
        stream.set_nodelay(true)?;
        stream.set_read_timeout(Some(timeout))?;
        Ok(Client { reader: BufReader::new(stream.try_clone()?), writer: stream })
    }

    /// Sends one request; returns the status and the body.
    fn request(&mut self, method: &str, path: &str, body: Option<(&str, &[u8])>) -> Result<(u16, Vec<u8>)> {
        let mut head = format!("{method} {path} HTTP/1.1\r\nHost: localhost\r\n");
        if let Some((kind, bytes)) = body {
            head.push_str(&format!("Content-Type: {kind}\r\nContent-Length: {}\r\n", bytes.len()));
        }
        head.push_str("\r\n");
        self.writer.write_all(head.as_bytes())?;
        if let Some((_, bytes)) = body {
            self.writer.write_all(bytes)?;
        }
        let mut line = String::new();
        self.reader.read_line(&mut line)?;
        let status: u16 = line.split_whitespace().nth(1).and_then(|s| s.parse().ok()).context("no status line")?;
        let mut length = 0usize;
        loop {
            line.clear();
            self.reader.read_line(&mut line)?;
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().unwrap_or(0);
                }
            }
        }
        let mut body = vec![0; length];
        self.reader.read_exact(&mut body)?;
        Ok((status, body))
    }
}

const KINDS: [&str; 4] = ["story list", "story", "entity", "search"];
/// Articles per ingest request beside the load.
const INGEST_LINES: usize = 20;
/// Ingest requests that must complete while the load runs (each commit
/// changes the store, so kept responses are recomputed after it).
const MIN_INGESTS: usize = 3;

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// Runs the benchmark; returns the lines to print.
pub fn bench_serve(options: &ServeBenchOptions) -> Result<Vec<String>> {
    let temp = tempfile::tempdir()?;
    let dir = options.dir.clone().unwrap_or_else(|| temp.path().to_path_buf());
    std::fs::create_dir_all(&dir)?;
    let mut lines = vec![format!(
        "{} clients, at least {} requests of each kind and until {MIN_INGESTS} ingest requests of {INGEST_LINES} articles \
         through POST /api/ingest beside have ended (at most {} s); loopback",
        options.clients, options.requests, options.max_seconds
    )];
    for &n in &options.sizes {
        lines.extend(crate::ingest::ensure_store(&dir, n, 1000)?);
        let db = dir.join(format!("store-{n}.db"));
        // Side by side: every read computed, then responses kept until the store changes.
        for cache in [None, Some(Duration::ZERO), Some(Duration::from_millis(storyline_server::DEFAULT_MAX_STALE_MS))] {
            if options.in_place {
                let added = crate::ingest::fresh_batch(&dir, n, 1000)?;
                lines.extend(run_one(&db, &added, n, cache, options)?);
                continue;
            }
            let work = dir.join(format!("serve-{n}.db"));
            for suffix in ["", "-wal", "-shm"] {
                std::fs::remove_file(format!("{}{suffix}", work.display())).ok();
            }
            std::fs::copy(&db, &work).context("cannot copy the store")?;
            lines.extend(run_one(&work, &dir.join(format!("added-{n}.jsonl")), n, cache, options)?);
            for suffix in ["", "-wal", "-shm"] {
                std::fs::remove_file(format!("{}{suffix}", work.display())).ok();
            }
        }
    }
    Ok(lines)
}

fn run_one(
    db: &Path,
    added: &Path,
    n: usize,
    cache: Option<Duration>,
    options: &ServeBenchOptions,
) -> Result<Vec<String>> {
    let state = storyline_server::AppState::open_with(db.to_path_buf(), None, cache)?;
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))?;
    let addr = listener.local_addr()?;
    let server = runtime.spawn(async move { axum::serve(listener, storyline_server::router(state)).await });

    // Ids and words to ask for, from the store itself.
    let mut client = Client::connect(addr)?;
    let (status, body) = client.request("GET", "/api/stories?limit=200", None)?;
    if status != 200 {
        bail!("the story list answered {status}");
    }
    let page: serde_json::Value = serde_json::from_slice(&body)?;
    let stories: Vec<String> =
        page["stories"].as_array().into_iter().flatten().filter_map(|s| s["id"].as_str().map(str::to_string)).collect();
    let words: Vec<String> = page["stories"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s["title"].as_str())
        .flat_map(|t| t.split_whitespace().filter(|w| w.chars().count() >= 5).map(|w| w.to_lowercase()))
        .take(200)
        .collect();
    let (_, body) = client.request("GET", "/api/entities?limit=200", None)?;
    let page: serde_json::Value = serde_json::from_slice(&body)?;
    let entities: Vec<String> = page["entities"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["id"].as_str().map(str::to_string))
        .collect();
    anyhow::ensure!(!stories.is_empty() && !entities.is_empty() && !words.is_empty(), "the store has no stories");
    // One pass over every page asked for, untimed, so that both runs start
    // with the store's pages in the OS file cache (a server that has been
    // up a while): the first run would otherwise warm it for the second.
    let warm_paths = (0..20)
        .map(|p| format!("/api/stories?limit=50&offset={}", p * 50))
        .chain(stories.iter().map(|id| format!("/api/stories/{id}")))
        .chain(entities.iter().map(|id| format!("/api/entities/{id}")))
        .chain(words.iter().map(|w| format!("/api/search?q={w}&limit=20")));
    for path in warm_paths {
        client.request("GET", &path, None)?;
    }

    // The ingest beside: the added articles, INGEST_LINES a request; its
    // client waits as long as the server lets a request run.
    let stop = Arc::new(AtomicBool::new(false));
    let ingested = Arc::new(AtomicUsize::new(0));
    let ingests = Arc::new(AtomicUsize::new(0));
    let ingest = {
        let (stop, ingested, ingests) = (Arc::clone(&stop), Arc::clone(&ingested), Arc::clone(&ingests));
        let text = std::fs::read_to_string(added).unwrap_or_default();
        std::thread::spawn(move || -> Result<usize> {
            let mut client = Client::connect_waiting(addr, storyline_server::REQUEST_TIMEOUT + Duration::from_secs(5))?;
            let lines: Vec<&str> = text.lines().collect();
            let mut failed = 0;
            for chunk in lines.chunks(INGEST_LINES) {
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                let body = chunk.join("\n");
                match client.request("POST", "/api/ingest", Some(("application/x-ndjson", body.as_bytes()))) {
                    Ok((200, _)) => {
                        ingested.fetch_add(chunk.len(), Ordering::Relaxed);
                    }
                    _ => failed += 1,
                }
                ingests.fetch_add(1, Ordering::Relaxed);
            }
            Ok(failed)
        })
    };

    // The load: every client takes the next request until all are done and
    // the ingest beside has committed MIN_INGESTS times, or time is up.
    let total = options.requests * KINDS.len();
    let next = Arc::new(AtomicUsize::new(0));
    let latencies: Arc<Mutex<Vec<Vec<f64>>>> = Arc::new(Mutex::new(vec![Vec::new(); KINDS.len()]));
    let failures = Arc::new(AtomicUsize::new(0));
    let deadline = Instant::now() + Duration::from_secs(options.max_seconds);
    let started = Instant::now();
    let workers: Vec<_> = (0..options.clients)
        .map(|c| {
            let (next, latencies, failures) = (Arc::clone(&next), Arc::clone(&latencies), Arc::clone(&failures));
            let ingests = Arc::clone(&ingests);
            let (stories, entities, words) = (stories.clone(), entities.clone(), words.clone());
            std::thread::spawn(move || {
                let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (1 + c as u64));
                let Ok(mut client) = Client::connect(addr) else {
                    failures.fetch_add(1, Ordering::Relaxed);
                    return;
                };
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if Instant::now() > deadline || (i >= total && ingests.load(Ordering::Relaxed) >= MIN_INGESTS) {
                        break;
                    }
                    let kind = i % KINDS.len();
                    let path = match kind {
                        0 => format!("/api/stories?limit=50&offset={}", rng.below(20) * 50),
                        1 => format!("/api/stories/{}", stories[rng.below(stories.len())]),
                        2 => format!("/api/entities/{}", entities[rng.below(entities.len())]),
                        _ => format!("/api/search?q={}&limit=20", words[rng.below(words.len())]),
                    };
                    let clock = Instant::now();
                    match client.request("GET", &path, None) {
                        Ok((200, _)) => {
                            let ms = clock.elapsed().as_secs_f64() * 1000.0;
                            latencies.lock().unwrap()[kind].push(ms);
                        }
                        _ => {
                            failures.fetch_add(1, Ordering::Relaxed);
                            if let Ok(fresh) = Client::connect(addr) {
                                client = fresh;
                            }
                        }
                    }
                }
            })
        })
        .collect();
    for w in workers {
        let _ = w.join();
    }
    let seconds = started.elapsed().as_secs_f64();
    stop.store(true, Ordering::Relaxed);
    let ingest_failures = ingest.join().map_err(|_| anyhow::anyhow!("the ingest thread panicked"))??;
    server.abort();

    let latencies = latencies.lock().unwrap();
    let done: usize = latencies.iter().map(Vec::len).sum();
    let mut lines = vec![format!(
        "store of {n}, {}: {done} requests in {seconds:.1} s ({:.0}/s), {} failed; {} articles ingested beside in {} requests ({} failed)",
        match cache {
            None => "every read computed (--no-cache)".to_string(),
            Some(d) if d.is_zero() => "responses kept until the store changes (--max-stale-ms 0)".to_string(),
            Some(d) => format!("responses kept, an outdated one served for <= {} ms while computed again", d.as_millis()),
        },
        done as f64 / seconds,
        failures.load(Ordering::Relaxed),
        ingested.load(Ordering::Relaxed),
        ingests.load(Ordering::Relaxed),
        ingest_failures
    )];
    for (kind, values) in KINDS.iter().zip(latencies.iter()) {
        let mut sorted = values.clone();
        sorted.sort_by(f64::total_cmp);
        lines.push(format!(
            "  {kind:<11} {:>6} requests  {:>7.0}/s  p50 {:>7.1} ms  p99 {:>7.1} ms  (target p99 <= 50 ms)",
            sorted.len(),
            sorted.len() as f64 / seconds,
            percentile(&sorted, 0.5),
            percentile(&sorted, 0.99)
        ));
    }
    Ok(lines)
}
