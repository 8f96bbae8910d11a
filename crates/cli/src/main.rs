//! The `storyline` command: a thin layer over the pipeline crates.

use storyline_export as export;
mod events;
mod ingest;
mod stories;
mod team;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use storyline_backend::AnyStore;
use storyline_pipeline::{Focus, HtmlEngine, HtmlOptions};
use storyline_store::StoreRead;

/// Turns piles of scraped news articles into clean, deduplicated stories.
#[derive(Parser)]
#[command(name = "storyline", version, about, propagate_version = true)]
struct Cli {
    /// The store: a SQLite file, or a PostgreSQL database (`postgres://user:password@host/db`) for a
    /// team store; every command works on both.
    #[arg(long, global = true, env = "STORYLINE_DB", default_value = "storyline.db")]
    db: PathBuf,
    #[command(subcommand)]
    command: Command,
}

/// How HTML pages are extracted (shared by ingest, extract, eval, bench).
#[derive(clap::Args, Clone)]
struct HtmlArgs {
    /// HTML extractor: trafilatura (default); dom_smoothie and rs-trafilatura only in builds with
    /// `--features compare-extractors`.
    #[arg(long, default_value = "trafilatura")]
    extractor: String,
    /// Skip trafilatura's readability/justext fallback: about 40 % faster, slightly lower quality.
    #[arg(long)]
    fast: bool,
    /// Extractor lean: precision (default), balanced or recall.
    #[arg(long, default_value = "precision")]
    focus: String,
}

impl HtmlArgs {
    fn options(&self) -> Result<HtmlOptions> {
        let engine = HtmlEngine::parse(&self.extractor).with_context(|| {
            format!("unknown extractor {:?} (trafilatura, dom_smoothie, rs-trafilatura)", self.extractor)
        })?;
        anyhow::ensure!(
            engine.available(),
            "this build has no {} extractor; rebuild with --features compare-extractors",
            self.extractor
        );
        let focus = Focus::parse(&self.focus)
            .with_context(|| format!("unknown focus {:?} (precision, balanced, recall)", self.focus))?;
        Ok(HtmlOptions { engine, fallback: !self.fast, focus })
    }
}

#[derive(Subcommand)]
enum Command {
    /// Read articles from files, folders (recursively), .gz, WARC, JSONL or `-` (stdin) into the store.
    ///
    /// Content already stored (same normalised body) is not stored again. Bad files are reported one
    /// line each and the rest goes on; the exit status is 1 when anything failed.
    Ingest {
        /// Files or folders to read, http(s) URLs of pages or feeds; `-` reads standard input.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Fetch URLs on private, loopback and link-local addresses too.
        #[arg(long)]
        allow_private: bool,
        /// Largest single document accepted, in MB (after decompression).
        #[arg(long, default_value_t = 32)]
        max_doc_mb: u64,
        /// Time budget of one document's extraction (and of its mentions), in seconds: a document
        /// past it is reported and skipped; 0 for no budget.
        #[arg(long, default_value_t = storyline_pipeline::DEFAULT_DOC_SECONDS)]
        max_doc_seconds: f64,
        /// Do not show a progress bar.
        #[arg(long, short)]
        quiet: bool,
        #[command(flatten)]
        html: HtmlArgs,
    },
    /// Poll RSS/Atom feeds and ingest each new item's page, again every --every.
    ///
    /// Conditional requests (ETag, Last-Modified); robots.txt honoured; one request per second to a
    /// host at most; transient failures retried with back-off; private, loopback and link-local
    /// addresses refused unless --allow-private. What was fetched is recorded in --state after each
    /// stored batch, so a restart fetches nothing twice.
    Watch {
        /// Feed URLs.
        #[arg(required = true)]
        feeds: Vec<String>,
        /// Time between polls: 90s, 10m, 2h.
        #[arg(long, default_value = "10m")]
        every: String,
        /// Poll once and stop.
        #[arg(long)]
        once: bool,
        /// Where the watcher remembers what it fetched (default: beside a SQLite store, or
        /// storyline-watch.json).
        #[arg(long)]
        state: Option<PathBuf>,
        /// Fetch from private, loopback and link-local addresses too.
        #[arg(long)]
        allow_private: bool,
        /// Least seconds between two requests to one host.
        #[arg(long, default_value_t = 1.0)]
        per_host_seconds: f64,
        #[command(flatten)]
        html: HtmlArgs,
    },
    /// Recompute entities, stories and near-duplicates of the whole store from scratch.
    ///
    /// Ingest is incremental: each batch is linked and assigned against what the store's indexes find,
    /// so the result may differ slightly from one computed over everything at once. This command
    /// computes that canonical result; story ids are kept where a story keeps most of its members.
    Recluster {
        #[command(flatten)]
        html: HtmlArgs,
    },
    /// Print counts of articles, stories and entities, the store size, the time window and when the
    /// store was last reclustered.
    Stats,
    /// Queue documents for distributed ingest: read files as `ingest` does and publish each document
    /// to the NATS JetStream stream that `storyline worker` processes read.
    Enqueue {
        /// Files, folders, .gz, WARC, JSONL, RSS/Atom, or `-` for stdin.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// NATS server URL.
        #[arg(long, env = "STORYLINE_NATS", default_value = "nats://127.0.0.1:4222")]
        nats: String,
        /// Queue name (one stream per queue; use one queue per store).
        #[arg(long, env = "STORYLINE_QUEUE", default_value = "docs")]
        queue: String,
        /// Largest single document accepted, in MiB.
        #[arg(long, default_value_t = 50)]
        max_doc_mb: u64,
    },
    /// Run an ingest worker: pull queued documents from NATS, read them into the PostgreSQL store
    /// (`--db postgres://...`), and link and cluster stored articles whenever no other worker is.
    ///
    /// Run as many as there are cores, on any machines. Messages are acknowledged only after the
    /// write commits, so a worker killed at any moment loses nothing.
    Worker {
        /// NATS server URL.
        #[arg(long, env = "STORYLINE_NATS", default_value = "nats://127.0.0.1:4222")]
        nats: String,
        /// Queue name (one stream per queue; use one queue per store).
        #[arg(long, env = "STORYLINE_QUEUE", default_value = "docs")]
        queue: String,
        /// Documents per batch (one transaction; articles are linked and clustered 256 or more at a time).
        #[arg(long, default_value_t = 256)]
        batch: usize,
        /// Stop once the queue is empty and every stored article is indexed.
        #[arg(long)]
        exit_when_idle: bool,
        /// Seconds a delivered document may stay unacknowledged before it is delivered again (set
        /// when the queue's consumer is first created).
        #[arg(long, default_value_t = 60)]
        ack_wait_seconds: u64,
        /// Name shown by `storyline status` (default: host and process id).
        #[arg(long)]
        name: Option<String>,
        /// Threads for extraction and analysis (default: all cores).
        #[arg(long)]
        threads: Option<usize>,
        /// What this worker does: all (store documents, and index when no other worker is), store
        /// (documents only) or index (linking and stories only).
        #[arg(long, default_value = "all", value_parser = ["all", "store", "index"])]
        role: String,
        #[command(flatten)]
        html: HtmlArgs,
    },
    /// Distributed ingest at a glance: queue depth, articles per second, workers seen, failures by
    /// reason.
    Status {
        /// NATS server URL.
        #[arg(long, env = "STORYLINE_NATS", default_value = "nats://127.0.0.1:4222")]
        nats: String,
        /// Queue name (one stream per queue; use one queue per store).
        #[arg(long, env = "STORYLINE_QUEUE", default_value = "docs")]
        queue: String,
    },
    /// Serve the JSON API (/api/..., /openapi.json) and the web page (/) over the store.
    ///
    /// Binds to loopback by default; any other address needs --token, and with a token every write
    /// endpoint (POST /api/ingest) needs `Authorization: Bearer TOKEN`.
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: std::net::SocketAddr,
        /// Token that write endpoints need (also read from STORYLINE_TOKEN).
        #[arg(long, env = "STORYLINE_TOKEN")]
        token: Option<String>,
        /// Compute every read afresh instead of keeping responses until the store changes.
        #[arg(long)]
        no_cache: bool,
        /// After the store changes, a kept page is still served for at most this many milliseconds while one
        /// request computes it again (0: never serve an outdated page).
        #[arg(long, default_value_t = storyline_server::DEFAULT_MAX_STALE_MS)]
        max_stale_ms: u64,
    },
    /// Print one page's extraction as JSON (title, author, published, lang, text), without a store.
    Extract {
        /// The file to extract (.html, .txt, .gz, ...); `-` reads standard input.
        file: PathBuf,
        #[command(flatten)]
        html: HtmlArgs,
        /// For plain text: also print every line with the cleaner's decision.
        #[arg(long)]
        explain: bool,
    },
    /// Analyse plain text or JSON Lines (`id`, `text`, optional `lang`, `published` or `date`) without a store: one
    /// JSON line per document with its language, mentions, times, quotes and events.
    Analyze {
        /// The input file; `-` (the default) reads standard input.
        #[arg(default_value = "-")]
        file: PathBuf,
    },
    /// List coded events (who did what to whom): date, PLOVER type, mode, source, target, article.
    Events {
        /// Only this story (a unique id prefix).
        #[arg(long)]
        story: Option<String>,
        /// Only events where this entity is source or target (its name or any alias).
        #[arg(long)]
        entity: Option<String>,
        /// Only this PLOVER root type (AGREE, SUPPORT, ..., ASSAULT).
        #[arg(long = "type")]
        kind: Option<String>,
    },
    /// A story's facts (events confirmed across its sources) and figures, or an entity's facts across
    /// stories, in date order, with the number of independent sources of each.
    Timeline {
        /// The story (a unique id prefix).
        #[arg(long, conflicts_with = "entity")]
        story: Option<String>,
        /// The entity (its name or any alias).
        #[arg(long)]
        entity: Option<String>,
    },
    /// The actor graph: entity pairs with their facts by type and date span.
    Graph {
        /// Only edges touching this entity.
        #[arg(long)]
        entity: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value = "json")]
        format: events::GraphFormat,
    },
    /// List statements (quotes and reported speech) by speaker, story by story: how many independent
    /// sources and reports carry each, its kind and cue, and whether it is a denial.
    Quotes {
        /// Only this story (a unique id prefix).
        #[arg(long)]
        story: Option<String>,
        /// Only statements of this speaker (its canonical name or any alias, any spelling).
        #[arg(long)]
        entity: Option<String>,
    },
    /// List stories: id, dates, number of sources, languages, title.
    Stories {
        /// Only stories that mention this entity (its canonical name or any alias, any spelling).
        #[arg(long)]
        entity: Option<String>,
    },
    /// List canonical entities: name, type, aliases, number of articles and stories.
    Entities {
        /// Only this type (PER, LOC, ORG, MISC).
        #[arg(long = "type")]
        kind: Option<String>,
        /// At most this many (most mentioned first).
        #[arg(long)]
        limit: Option<usize>,
    },
    /// Show one story: sources, near-duplicates, shared passages and timeline (an id prefix is enough).
    Show {
        /// Story id or prefix.
        id: String,
        /// Also say why these articles are together: shared terms and names, similarities, date
        /// distances, and the closest article left out and why.
        #[arg(long)]
        explain: bool,
    },
    /// List stored articles.
    Articles {
        /// At most this many (newest stored last).
        #[arg(long)]
        limit: Option<usize>,
    },
    /// Print the whole store as JSON, JSON Lines or CSV (schema: docs/json-schema.md).
    Export {
        /// Output format.
        #[arg(long, value_enum, default_value_t = ExportFormat::Json)]
        format: ExportFormat,
        /// Write to this file instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Run a quality suite against the shared data sets and print its table.
    ///
    /// Suites: extraction, extraction-fr, extraction-wcxb, dates, seeds, time-fr, stories, ner-fr, entity-linking, entities-dwie, quotes, languages (also named stories-meantime), events.
    /// `--min NAME=VALUE` sets a floor on a
    /// printed metric; the command exits with status 1 when a metric is below its floor.
    Eval {
        /// Suite name.
        suite: String,
        /// Folder holding the shared data sets.
        #[arg(long, default_value = "../shared/data")]
        data: PathBuf,
        /// Folder holding the seed articles (default: `seeds` beside the data folder).
        #[arg(long)]
        seeds: Option<PathBuf>,
        #[command(flatten)]
        html: HtmlArgs,
        /// Floor on a metric, as NAME=VALUE (repeatable).
        #[arg(long = "min", value_parser = parse_floor)]
        floors: Vec<(String, f64)>,
        /// Print per-item details.
        #[arg(long, short)]
        verbose: bool,
    },
    /// Train the entity tagger on the redistributable corpora (Europeana CC0, HIPE NewsEye CC BY) and
    /// write the model that ships in resources/fr/ (see crates/ner/src/training.rs).
    TrainNer {
        /// Folder holding the shared data sets.
        #[arg(long, default_value = "../shared/data")]
        data: PathBuf,
        /// Where to write the model.
        #[arg(long, short, default_value = "resources/fr/ner.model.gz")]
        output: PathBuf,
        /// Passes over the training data.
        #[arg(long, default_value_t = storyline_pipeline::training::EPOCHS)]
        epochs: usize,
        /// Where to write the list of common words drawn from the same corpora.
        #[arg(long, default_value = "resources/fr/common_words.txt.gz")]
        words_output: PathBuf,
        /// Write only the common-word list, not the model.
        #[arg(long)]
        words_only: bool,
    },
    /// Measure speed: pages per second per stage and peak memory.
    Bench {
        /// Benchmark name.
        #[arg(value_enum)]
        suite: BenchSuite,
        /// Folder holding the shared data sets.
        #[arg(long, default_value = "../shared/data")]
        data: PathBuf,
        /// Skip the Python trafilatura comparison.
        #[arg(long)]
        no_python: bool,
        /// Passes over the corpus per measurement; the fastest pass is reported (on both sides
        /// of the Python comparison), as the one least disturbed by other work on the machine.
        /// `bench ingest`: times the batch is added to a fresh copy of each store.
        #[arg(long, default_value_t = 3)]
        rounds: usize,
        #[command(flatten)]
        html: HtmlArgs,
        /// `bench ingest`: store sizes to measure, comma-separated.
        #[arg(long, value_delimiter = ',', default_values_t = [10_000usize, 100_000])]
        sizes: Vec<usize>,
        /// `bench ingest`: articles added to each store.
        #[arg(long, default_value_t = 1000)]
        batch: usize,
        /// `bench ingest`: keep stores and corpora in this folder and reuse them (a 1M store takes long to build).
        #[arg(long)]
        dir: Option<PathBuf>,
        /// `bench ingest` and `bench serve`: add a fresh batch to the kept store itself, once, instead
        /// of to copies (for a store too large to copy; the store keeps the batch).
        #[arg(long)]
        in_place: bool,
        /// `bench serve`: at least this many requests of each kind (a longer run sees more commits).
        #[arg(long, default_value_t = 1000)]
        requests: usize,
        /// `bench ingest`: the store backend; `postgres` measures `storyline ingest` and workers on a
        /// PostgreSQL store beside the SQLite file, on one corpus of the first --sizes articles.
        #[arg(long, default_value = "sqlite", value_parser = ["sqlite", "postgres"])]
        backend: String,
        /// `bench ingest --backend postgres`: runs, comma-separated: 0 is one `storyline ingest` process,
        /// N is N workers, split is storing and indexing each alone (with the ten-machine estimate).
        #[arg(long, value_delimiter = ',', default_values_t = ["0".to_string(), "1".to_string(), "2".to_string(), "split".to_string()])]
        workers: Vec<String>,
        /// `bench ingest --backend postgres`: a PostgreSQL URL whose user may create databases.
        #[arg(
            long,
            env = "STORYLINE_BENCH_PG",
            default_value = "postgres://storyline_ci:storyline_ci@127.0.0.1/postgres"
        )]
        pg: String,
        /// `bench ingest --backend postgres`: a NATS server (one is started on loopback when absent).
        #[arg(long)]
        nats: Option<String>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum BenchSuite {
    /// The end-to-end pipeline on a synthetic JSON Lines corpus through a store on disk: building time,
    /// articles/s per stage, the time and peak memory of adding a batch at each store size.
    Ingest,
    /// (internal) the added batch of `bench ingest`, run in its own process: `--db STORE --data FILE`.
    #[value(hide = true)]
    IngestAdd,
    /// HTML extraction on the trafilatura-eval pages, one core and all cores, against Python trafilatura.
    Extract,
    /// Story clustering on a synthetic corpus of 10k to 100k articles.
    Stories,
    /// `storyline serve` under load on loopback, over `bench ingest` stores (--sizes, --dir): requests per
    /// second, p50 and p99 latency of the story list, a story, an entity and search, with an ingest beside.
    Serve,
}

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ExportFormat {
    /// One JSON object with arrays `articles`, `stories`, `entities`, `times`, `quotes`.
    Json,
    /// One JSON object per line, each with a `type` field.
    Jsonl,
    /// Articles as CSV (one row per article).
    Csv,
    /// One Parquet file per table (articles, stories, entities, mentions, times, quotes) in the folder `-o DIR`.
    Parquet,
}

fn parse_floor(text: &str) -> Result<(String, f64), String> {
    let (name, value) = text.split_once('=').ok_or("expected NAME=VALUE, e.g. f1=0.95")?;
    let value: f64 = value.parse().map_err(|_| format!("{value:?} is not a number"))?;
    Ok((name.to_string(), value))
}

fn open_store(path: &std::path::Path) -> Result<AnyStore> {
    AnyStore::open(path).with_context(|| format!("cannot open the store {}", AnyStore::display_name(path)))
}

/// The PostgreSQL URL when `--db` names one.
fn postgres_url(db: &std::path::Path) -> Option<&str> {
    db.to_str().filter(|d| storyline_backend::is_postgres_url(d))
}

fn nats_db(db: &std::path::Path) -> Result<&str> {
    postgres_url(db).context("distributed ingest needs a PostgreSQL store: --db postgres://user:password@host/db")
}

/// mimalloc instead of the system allocator: the reading of articles makes
/// many small allocations on every core (tokens, features), where glibc's
/// malloc spent about 8 % of the worker threads' time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        // `storyline entities | head`: the reader closed the pipe; nothing went wrong.
        Err(err) if err.chain().any(is_broken_pipe) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}

/// Whether an error is a write to a pipe its reader closed.
fn is_broken_pipe(err: &(dyn std::error::Error + 'static)) -> bool {
    let pipe = std::io::ErrorKind::BrokenPipe;
    err.downcast_ref::<std::io::Error>().is_some_and(|e| e.kind() == pipe)
        || err.downcast_ref::<serde_json::Error>().and_then(serde_json::Error::io_error_kind) == Some(pipe)
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Ingest { paths, allow_private, max_doc_mb, max_doc_seconds, quiet, html } => {
            let options = storyline_sources::SourceOptions { max_document_bytes: max_doc_mb * 1024 * 1024 };
            anyhow::ensure!(max_doc_seconds >= 0.0, "--max-doc-seconds must be 0 or more");
            let budget = (max_doc_seconds > 0.0).then(|| std::time::Duration::from_secs_f64(max_doc_seconds));
            let (urls, files): (Vec<PathBuf>, Vec<PathBuf>) =
                paths.into_iter().partition(|p| p.to_str().is_some_and(storyline_fetch::is_url));
            let mut store = open_store(&cli.db)?;
            let mut summary = ingest::ingest(&mut store, &files, &options, html.options()?, budget, quiet)?;
            if !urls.is_empty() {
                let urls: Vec<String> = urls.iter().map(|u| u.display().to_string()).collect();
                let fetch = storyline_fetch::FetchOptions {
                    allow_private,
                    max_bytes: options.max_document_bytes,
                    ..storyline_fetch::FetchOptions::default()
                };
                let mut fetcher = storyline_fetch::Fetcher::new(fetch);
                let pipeline = storyline_pipeline::Pipeline::new(html.options()?)?.with_time_budget(budget);
                let fetched =
                    storyline_fetch::ingest_urls(&mut fetcher, &pipeline, &mut store, &urls, &options, &mut |e| {
                        eprintln!("error: {e}")
                    })?;
                summary.absorb(fetched);
            }
            let name = AnyStore::display_name(&cli.db);
            ingest::print_summary(&summary, &name, store.article_count()?, store.story_count()?);
            Ok(if summary.failed.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
        }
        Command::Watch { feeds, every, once, state, allow_private, per_host_seconds, html } => {
            let interval = storyline_fetch::parse_interval(&every).context("--every: 90s, 10m or 2h")?;
            anyhow::ensure!(per_host_seconds >= 0.0, "--per-host-seconds must be 0 or more");
            let state_path = state.unwrap_or_else(|| match postgres_url(&cli.db) {
                Some(_) => PathBuf::from("storyline-watch.json"),
                None => cli.db.with_extension("watch.json"),
            });
            let mut store = open_store(&cli.db)?;
            let pipeline = storyline_pipeline::Pipeline::new(html.options()?)?;
            let options = storyline_sources::SourceOptions::default();
            let mut fetcher = storyline_fetch::Fetcher::new(storyline_fetch::FetchOptions {
                allow_private,
                per_host_interval: std::time::Duration::from_secs_f64(per_host_seconds),
                ..storyline_fetch::FetchOptions::default()
            });
            let mut watch = storyline_fetch::WatchState::load(&state_path)?;
            loop {
                let done =
                    storyline_fetch::poll_once(&mut fetcher, &mut watch, &pipeline, &mut store, &feeds, &options)?;
                watch.save(&state_path)?;
                for e in &done.failed {
                    eprintln!("error: {e}");
                }
                eprintln!(
                    "polled {} feed(s) ({} unchanged): {} new item(s), {} page(s) fetched, {} stored, {} already stored, {} failure(s)",
                    done.feeds, done.not_modified, done.new_items, done.pages, done.stored, done.duplicates, done.failed.len()
                );
                if once {
                    return Ok(if done.failed.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) });
                }
                std::thread::sleep(interval);
            }
        }
        Command::Recluster { html } => {
            let pipeline = storyline_pipeline::Pipeline::new(html.options()?)?;
            let started = std::time::Instant::now();
            let done = storyline_pipeline::recluster(&pipeline, &mut open_store(&cli.db)?)?;
            eprintln!(
                "reclustered {} article(s) in {:.1} s: {} story(ies), {} entity(ies), {} story id(s) merged away",
                done.articles,
                started.elapsed().as_secs_f64(),
                done.stories,
                done.entities,
                done.merged
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Enqueue { paths, nats, queue, max_doc_mb } => {
            let options = storyline_sources::SourceOptions { max_document_bytes: max_doc_mb * 1024 * 1024 };
            let queue = storyline_workers::Queue { name: queue, ..storyline_workers::Queue::new(&nats) };
            let done = storyline_workers::enqueue(&queue, &paths, &options, &mut |e| eprintln!("error: {e}"))?;
            eprintln!(
                "queued {} document(s) on {} in {:.1} s ({} already queued, {} failure(s))",
                done.published,
                nats,
                done.seconds,
                done.duplicates,
                done.failed.len()
            );
            Ok(if done.failed.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
        }
        Command::Worker { nats, queue, batch, exit_when_idle, ack_wait_seconds, name, threads, role, html } => {
            let db = nats_db(&cli.db)?.to_string();
            anyhow::ensure!(batch > 0, "--batch must be at least 1");
            let mut pipeline = storyline_pipeline::Pipeline::new(html.options()?)?;
            if let Some(threads) = threads {
                pipeline = pipeline.with_threads(threads.max(1));
            }
            let queue = storyline_workers::Queue {
                name: queue,
                ack_wait: std::time::Duration::from_secs(ack_wait_seconds.max(1)),
                ..storyline_workers::Queue::new(&nats)
            };
            let role = storyline_workers::Role::parse(&role).context("--role: all, store or index")?;
            let options = storyline_workers::WorkerOptions { queue, db, batch, exit_when_idle, name, role };
            let done = storyline_workers::run_worker(&pipeline, &options, &mut |line| eprintln!("{line}"))?;
            eprintln!(
                "worker stopped after {:.1} s: {} document(s), {} stored, {} already stored, {} failure(s), {} \
                 article(s) indexed",
                done.seconds, done.documents, done.stored, done.duplicates, done.failures, done.indexed
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Status { nats, queue } => {
            let db = nats_db(&cli.db)?;
            let queue = storyline_workers::Queue { name: queue, ..storyline_workers::Queue::new(&nats) };
            let status = storyline_workers::status(&queue, db)?;
            team::print_status(&status, &nats, &storyline_backend::redact(db))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve { addr, token, no_cache, max_stale_ms } => {
            let cache = (!no_cache).then(|| std::time::Duration::from_millis(max_stale_ms));
            storyline_server::serve(storyline_server::ServeOptions { addr, db: cli.db.clone(), token, cache })?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Stats => {
            let stats = open_store(&cli.db)?.stats()?;
            let window_days = storyline_pipeline::time_window_days();
            let mut out = std::io::stdout().lock();
            writeln!(out, "store            {}", AnyStore::display_name(&cli.db))?;
            writeln!(out, "schema version   {}", stats.schema_version)?;
            writeln!(out, "articles         {} (from {} source(s))", stats.articles, stats.sources)?;
            writeln!(out, "near-duplicates  {}", stats.near_duplicates)?;
            writeln!(
                out,
                "stories          {} ({} id(s) merged away, redirected)",
                stats.stories, stats.merged_stories
            )?;
            writeln!(out, "entities         {} ({} mention(s))", stats.entities, stats.mentions)?;
            writeln!(out, "store size       {:.1} MB", stats.bytes as f64 / 1e6)?;
            writeln!(
                out,
                "time window      {window_days} days (an article further from a story's dates needs ten times the similarity)"
            )?;
            writeln!(out, "last recluster   {}", stats.last_recluster.as_deref().unwrap_or("never"))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Analyze { file } => ingest::analyze_command(&file),
        Command::Extract { file, html, explain } => ingest::extract_command(&file, html.options()?, explain),
        Command::Stories { entity } => {
            stories::list(&open_store(&cli.db)?, entity.as_deref())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Entities { kind, limit } => {
            stories::entities(&open_store(&cli.db)?, kind.as_deref(), limit)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Events { story, entity, kind } => {
            events::events(&open_store(&cli.db)?, story.as_deref(), entity.as_deref(), kind.as_deref())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Timeline { story, entity } => {
            events::timeline(&open_store(&cli.db)?, story.as_deref(), entity.as_deref())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Graph { entity, format } => {
            events::graph(&open_store(&cli.db)?, entity.as_deref(), format)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Quotes { story, entity } => {
            stories::quotes(&open_store(&cli.db)?, story.as_deref(), entity.as_deref())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Show { id, explain } => {
            stories::show(&open_store(&cli.db)?, &id, explain)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Articles { limit } => {
            let store = open_store(&cli.db)?;
            let articles = store.articles()?;
            let skip = limit.map(|l| articles.len().saturating_sub(l)).unwrap_or(0);
            let mut out = std::io::stdout().lock();
            writeln!(out, "{:<16}  {:<10}  {:<4}  {:<60}  source", "id", "published", "lang", "title")?;
            for a in &articles[skip..] {
                writeln!(
                    out,
                    "{:<16}  {:<10}  {:<4}  {:<60}  {}",
                    a.id,
                    a.published.map(|d| d.to_string()).unwrap_or_else(|| "-".into()),
                    a.lang.as_deref().unwrap_or("-"),
                    truncate(a.title.as_deref().unwrap_or("-"), 60),
                    a.source
                )?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Export { format, output } => {
            let store = open_store(&cli.db)?;
            let format = match format {
                ExportFormat::Json => export::Format::Json,
                ExportFormat::Jsonl => export::Format::Jsonl,
                ExportFormat::Csv => export::Format::Csv,
                ExportFormat::Parquet => {
                    let dir =
                        output.context("--format parquet writes one file per table: give the folder with -o DIR")?;
                    for file in storyline_export::parquet::export_parquet(&store, &dir)? {
                        eprintln!("wrote {}", file.display());
                    }
                    return Ok(ExitCode::SUCCESS);
                }
            };
            match output {
                Some(path) => {
                    // Written beside the target and renamed over it at the end: a killed export
                    // leaves the previous file whole, never a truncated one.
                    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
                    let partial = tempfile::Builder::new()
                        .prefix(".storyline-export-")
                        .tempfile_in(dir)
                        .with_context(|| format!("cannot create a file in {}", dir.display()))?;
                    let mut writer = std::io::BufWriter::new(partial);
                    export::export(&store, format, &mut writer)?;
                    let partial = writer.into_inner().map_err(|e| e.into_error())?;
                    partial.as_file().sync_all()?;
                    partial.persist(&path).with_context(|| format!("cannot write {}", path.display()))?;
                }
                None => export::export(&store, format, std::io::BufWriter::new(std::io::stdout().lock()))?,
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Eval { suite, data, seeds, html, floors, verbose } => {
            let seeds =
                seeds.unwrap_or_else(|| data.parent().map(|p| p.join("seeds")).unwrap_or_else(|| "seeds".into()));
            let ctx = storyline_eval::EvalContext { data, seeds, html: html.options()?, verbose };
            let report = storyline_eval::run(&suite, &ctx)?;
            println!("== eval {} ==", report.suite);
            for line in &report.lines {
                println!("{line}");
            }
            let failures = report.check_floors(&floors);
            for failure in &failures {
                println!("FAIL {failure}");
            }
            if !floors.is_empty() && failures.is_empty() {
                println!("ok: {} floor(s) met", floors.len());
            }
            Ok(if failures.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
        }
        Command::TrainNer { data, output, epochs, words_output, words_only } => {
            storyline_pipeline::training::train_ner(&data, &output, &words_output, epochs, words_only, |line| {
                eprintln!("{line}")
            })?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Bench {
            suite,
            data,
            no_python,
            rounds,
            html,
            sizes,
            batch,
            dir,
            in_place,
            requests,
            backend,
            workers,
            pg,
            nats,
        } => {
            match suite {
                BenchSuite::Ingest if backend == "postgres" => {
                    let size = sizes.first().copied().unwrap_or(100_000);
                    let options =
                        storyline_bench::team::TeamBenchOptions { size, runs: workers, postgres: pg, nats, dir };
                    for line in storyline_bench::team::bench_team(&options)? {
                        println!("{line}");
                    }
                }
                BenchSuite::Ingest => {
                    let options = storyline_bench::ingest::IngestBenchOptions { sizes, batch, dir, rounds, in_place };
                    for line in storyline_bench::ingest::bench_ingest(&options)? {
                        println!("{line}");
                    }
                }
                BenchSuite::IngestAdd => {
                    for line in storyline_bench::ingest::bench_ingest_add(&cli.db, &data)? {
                        println!("{line}");
                    }
                }
                BenchSuite::Serve => {
                    let options = storyline_bench::serve::ServeBenchOptions {
                        sizes,
                        dir,
                        clients: 32,
                        requests,
                        max_seconds: 120,
                        in_place,
                    };
                    for line in storyline_bench::serve::bench_serve(&options)? {
                        println!("{line}");
                    }
                }
                BenchSuite::Stories => {
                    for line in storyline_bench::stories::bench_stories(&[10_000, 20_000, 50_000, 100_000]) {
                        println!("{line}");
                    }
                }
                BenchSuite::Extract => {
                    let options = storyline_bench::ExtractBenchOptions {
                        data,
                        python: !no_python,
                        rounds,
                        html: html.options()?,
                    };
                    for line in storyline_bench::bench_extract(&options)? {
                        println!("{line}");
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Cuts a string to `max` characters, marking the cut.
pub(crate) fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(max - 1).collect::<String>())
    }
}
