//! Distributed ingest for a team store: documents are queued on a NATS
//! JetStream stream with a work-queue consumer, and any number of worker
//! processes, on any machines, read them into one PostgreSQL store.
//!
//! - [`enqueue`] reads files as `storyline ingest` does and publishes one
//!   message per document (the document's bytes after a line of JSON
//!   metadata, [`envelope`]), each with a message id from its content, so a
//!   file published twice within the stream's window is stored once.
//! - [`run_worker`] pulls batches, runs extraction, language, mentions,
//!   attributions and events ([`Pipeline::store_batch`]) and commits them,
//!   then acknowledges the messages: a worker killed at any moment loses
//!   nothing, its unacknowledged messages are delivered again and the
//!   content-hash identity makes a second delivery a no-op. Between
//!   batches, whichever worker takes the indexing lock (a PostgreSQL
//!   transaction-level advisory lock) links and clusters the stored articles
//!   that wait for it ([`Pipeline::index_pending`]); when it dies its
//!   transaction ends with it and another worker takes the lock.
//! - [`status`] reads the queue and the store.
//!
//! A queue is named ([`Queue`]): stream `STORYLINE_<NAME>`, subject
//! `storyline.<name>`, durable consumer `storyline-<name>-workers`.

pub mod envelope;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{anyhow, Context, Result};
use async_nats::jetstream::{self, consumer, stream, AckKind};
use futures_util::StreamExt;
use storyline_pipeline::{Pipeline, BATCH};
use storyline_sources::{expand_inputs, read_file, SourceError, SourceOptions};
use storyline_store_pg::{redact, PgStore, WorkerRow};

/// The queue's default name.
pub const DEFAULT_QUEUE: &str = "docs";
/// How long a delivered message may stay unacknowledged before it is
/// delivered again (a worker that died), by default.
pub const DEFAULT_ACK_WAIT: Duration = Duration::from_secs(60);

/// A named queue: its JetStream stream, subject and durable work-queue
/// consumer. Several queues can share one NATS server (one per store).
#[derive(Debug, Clone)]
pub struct Queue {
    /// NATS server URL.
    pub nats: String,
    /// Queue name (letters, digits, `-` and `_`).
    pub name: String,
    /// Acknowledgement wait, set when the consumer is first created.
    pub ack_wait: Duration,
}

impl Queue {
    /// The default queue on a server.
    pub fn new(nats: &str) -> Queue {
        Queue { nats: nats.to_string(), name: DEFAULT_QUEUE.to_string(), ack_wait: DEFAULT_ACK_WAIT }
    }

    fn checked(&self) -> Result<()> {
        anyhow::ensure!(
            !self.name.is_empty() && self.name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
            "queue name {:?}: use letters, digits, - and _",
            self.name
        );
        Ok(())
    }

    /// The stream's name.
    pub fn stream(&self) -> String {
        format!("STORYLINE_{}", self.name.to_ascii_uppercase().replace('-', "_"))
    }

    /// The subject documents are published on.
    pub fn subject(&self) -> String {
        format!("storyline.{}", self.name)
    }

    /// The durable consumer's name.
    pub fn consumer(&self) -> String {
        format!("storyline-{}-workers", self.name)
    }
}

async fn connect(url: &str) -> Result<jetstream::Context> {
    let client = async_nats::ConnectOptions::new()
        .retry_on_initial_connect()
        .connection_timeout(Duration::from_secs(5))
        .connect(url)
        .await
        .with_context(|| format!("cannot connect to NATS at {url}"))?;
    Ok(jetstream::new(client))
}

async fn documents_stream(js: &jetstream::Context, queue: &Queue) -> Result<stream::Stream> {
    queue.checked()?;
    js.get_or_create_stream(stream::Config {
        name: queue.stream(),
        subjects: vec![queue.subject()],
        retention: stream::RetentionPolicy::WorkQueue,
        storage: stream::StorageType::File,
        duplicate_window: Duration::from_secs(600),
        ..Default::default()
    })
    .await
    .map_err(|e| anyhow!("cannot create or open the JetStream stream {}: {e}", queue.stream()))
}

async fn work_consumer(stream: &stream::Stream, queue: &Queue) -> Result<consumer::PullConsumer> {
    stream
        .get_or_create_consumer(
            &queue.consumer(),
            consumer::pull::Config {
                durable_name: Some(queue.consumer()),
                ack_policy: consumer::AckPolicy::Explicit,
                ack_wait: queue.ack_wait,
                max_deliver: 20,
                ..Default::default()
            },
        )
        .await
        .map_err(|e| anyhow!("cannot create or open the consumer {}: {e}", queue.consumer()))
}

/// What [`enqueue`] did.
#[derive(Debug, Default)]
pub struct EnqueueSummary {
    /// Documents published (and stored by the stream).
    pub published: u64,
    /// Documents the stream already had (same content within its window).
    pub duplicates: u64,
    /// Inputs or records that could not be read or published.
    pub failed: Vec<SourceError>,
    /// Seconds spent.
    pub seconds: f64,
}

/// Reads every input as `storyline ingest` does and publishes its documents;
/// returns once the stream has acknowledged each of them. `on_error` hears
/// each failure as it happens.
pub fn enqueue(
    queue: &Queue,
    inputs: &[PathBuf],
    options: &SourceOptions,
    on_error: &mut dyn FnMut(&SourceError),
) -> Result<EnqueueSummary> {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build()?;
    let started = Instant::now();
    let js = runtime.block_on(async {
        let js = connect(&queue.nats).await?;
        documents_stream(&js, queue).await?;
        Ok::<_, anyhow::Error>(js)
    })?;
    let (files, missing) = expand_inputs(inputs);
    let mut summary = EnqueueSummary::default();
    for error in missing {
        on_error(&error);
        summary.failed.push(error);
    }
    let mut pending: Vec<storyline_model::RawDocument> = Vec::new();
    let mut fatal: Option<anyhow::Error> = None;
    let subject = queue.subject();
    // Published 256 at a time, each lot's acknowledgements awaited before
    // the next: memory stays bounded whatever the input, and the client's
    // limit on acknowledgements in flight is never reached.
    for file in &files {
        read_file(file, options, &mut |item| {
            if fatal.is_some() {
                return;
            }
            match item {
                Ok(doc) => {
                    pending.push(doc);
                    if pending.len() >= BATCH {
                        let lot = std::mem::take(&mut pending);
                        if let Err(err) = runtime.block_on(publish_all(&js, &subject, lot, &mut summary, on_error)) {
                            fatal = Some(err);
                        }
                    }
                }
                Err(error) => {
                    on_error(&error);
                    summary.failed.push(error);
                }
            }
        });
        if fatal.is_some() {
            break;
        }
    }
    if let Some(err) = fatal {
        return Err(err.context("publishing stopped; the documents acknowledged before are queued"));
    }
    runtime.block_on(publish_all(&js, &subject, pending, &mut summary, on_error))?;
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

async fn publish_all(
    js: &jetstream::Context,
    subject: &str,
    docs: Vec<storyline_model::RawDocument>,
    summary: &mut EnqueueSummary,
    on_error: &mut dyn FnMut(&SourceError),
) -> Result<()> {
    let mut acks = Vec::with_capacity(docs.len());
    for doc in docs {
        let id = envelope::message_id(&doc);
        let source = doc.source.clone();
        let message = jetstream::message::PublishMessage::build().payload(envelope::encode(&doc)?).message_id(id);
        match js.send_publish(subject.to_string(), message).await {
            Ok(ack) => acks.push((source, ack)),
            Err(e) if e.kind() == jetstream::context::PublishErrorKind::MaxPayloadExceeded => {
                let error = SourceError { source, reason: format!("too large for the NATS server's max_payload: {e}") };
                on_error(&error);
                summary.failed.push(error);
            }
            Err(e) => return Err(anyhow!("publishing {source} to {subject}: {e}")),
        }
    }
    for (source, ack) in acks {
        let ack = ack.await.map_err(|e| anyhow!("the stream did not acknowledge {source}: {e}"))?;
        if ack.duplicate {
            summary.duplicates += 1;
        } else {
            summary.published += 1;
        }
    }
    Ok(())
}

/// How a worker runs.
#[derive(Debug, Clone)]
pub struct WorkerOptions {
    /// The queue.
    pub queue: Queue,
    /// PostgreSQL URL.
    pub db: String,
    /// Documents per batch (one transaction).
    pub batch: usize,
    /// Stop once the queue is empty and nothing waits for indexing (for
    /// benchmarks and tests); otherwise run until interrupted.
    pub exit_when_idle: bool,
    /// Name shown by `storyline status` (default: host and process id).
    pub name: Option<String>,
    /// What the worker does.
    pub role: Role,
}

/// What a worker does: both halves (the default), or one of them, to run
/// the indexing on a machine of its own or to measure each half alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Role {
    /// Stores documents from the queue and indexes when the lock is free.
    #[default]
    All,
    /// Only stores documents from the queue.
    Store,
    /// Only indexes stored articles.
    Index,
}

impl Role {
    /// Parses `all`, `store` or `index`.
    pub fn parse(text: &str) -> Option<Role> {
        match text {
            "all" => Some(Role::All),
            "store" => Some(Role::Store),
            "index" => Some(Role::Index),
            _ => None,
        }
    }
}

/// What a worker did, reported when it stops.
#[derive(Debug, Default, Clone)]
pub struct WorkerSummary {
    /// Documents read from the queue.
    pub documents: u64,
    /// Articles newly stored.
    pub stored: u64,
    /// Documents already stored (redeliveries, copies).
    pub duplicates: u64,
    /// Documents that could not be read (recorded in the store).
    pub failures: u64,
    /// Articles linked and clustered while this worker held the lock.
    pub indexed: u64,
    /// Seconds spent.
    pub seconds: f64,
}

fn host_name() -> String {
    std::env::var("HOSTNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok().map(|h| h.trim().to_string()))
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".to_string())
}

/// Connects to the store, retrying while it is unreachable (a restarting
/// PostgreSQL), up to `patience`.
fn connect_store(url: &str, patience: Duration) -> Result<PgStore> {
    let started = Instant::now();
    let mut wait = Duration::from_millis(200);
    loop {
        match PgStore::connect(url) {
            Ok(store) => return Ok(store),
            Err(err) if started.elapsed() < patience => {
                eprintln!("worker: {err}; retrying in {:.1} s", wait.as_secs_f64());
                std::thread::sleep(wait);
                wait = (wait * 2).min(Duration::from_secs(5));
            }
            Err(err) => return Err(anyhow!("{err}")),
        }
    }
}

/// Runs one worker until interrupted (or, with `exit_when_idle`, until the
/// queue is empty and every stored article is indexed).
pub fn run_worker(pipeline: &Pipeline, options: &WorkerOptions, log: &mut dyn FnMut(&str)) -> Result<WorkerSummary> {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build()?;
    let started = Instant::now();
    let name = options.name.clone().unwrap_or_else(|| format!("{}-{}", host_name(), std::process::id()));
    let host = host_name();
    let patience = Duration::from_secs(120);
    let mut store = connect_store(&options.db, patience)?;
    let (js, mut consumer) = runtime.block_on(async {
        let js = connect(&options.queue.nats).await?;
        let stream = documents_stream(&js, &options.queue).await?;
        let consumer = work_consumer(&stream, &options.queue).await?;
        Ok::<_, anyhow::Error>((js, consumer))
    })?;
    let _ = js;
    let interrupted = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    {
        let flag = std::sync::Arc::clone(&interrupted);
        // Ctrl-C or SIGTERM (what a container runtime sends): the batch in
        // hand is finished and acknowledged, then the worker stops.
        runtime.spawn(async move {
            #[cfg(unix)]
            {
                use tokio::signal::unix::{signal, SignalKind};
                match signal(SignalKind::terminate()) {
                    Ok(mut term) => {
                        tokio::select! {
                            _ = tokio::signal::ctrl_c() => {}
                            _ = term.recv() => {}
                        }
                    }
                    Err(_) => {
                        let _ = tokio::signal::ctrl_c().await;
                    }
                }
            }
            #[cfg(not(unix))]
            let _ = tokio::signal::ctrl_c().await;
            flag.store(true, std::sync::atomic::Ordering::SeqCst);
        });
    }
    log(&format!(
        "worker {name}: reading {} on {} into {}",
        options.queue.stream(),
        options.queue.nats,
        redact(&options.db)
    ));
    let mut summary = WorkerSummary::default();
    let mut idle_rounds = 0u32;
    while !interrupted.load(std::sync::atomic::Ordering::SeqCst) {
        let fetched = match options.role {
            Role::Index => Ok(Vec::new()),
            _ => runtime.block_on(fetch(&consumer, options.batch)),
        };
        let messages = match fetched {
            Ok(m) => m,
            Err(err) => {
                log(&format!("worker {name}: fetching from NATS failed ({err}); retrying"));
                std::thread::sleep(Duration::from_secs(1));
                continue;
            }
        };
        let got_messages = !messages.is_empty();
        if got_messages {
            match store_messages(pipeline, &mut store, &runtime, messages, &name, &options.queue, &mut summary) {
                Ok(()) => {}
                Err(err) => {
                    log(&format!(
                        "worker {name}: storing a batch failed ({err:#}); its documents will be delivered again"
                    ));
                    store = connect_store(&options.db, patience)?;
                }
            }
        }
        // Indexing: whoever holds the lock works through what waits, for a
        // bounded time, then goes back to the queue.
        let clock = Instant::now();
        let mut indexed_now = 0usize;
        while options.role != Role::Store && clock.elapsed() < Duration::from_secs(5) {
            match pipeline.index_pending(&mut store, BATCH.max(options.batch)) {
                Ok(Some(done)) if done.stored > 0 => {
                    indexed_now += done.stored;
                    summary.indexed += done.stored as u64;
                }
                Ok(_) => break,
                Err(err) => {
                    log(&format!("worker {name}: indexing failed ({err:#}); it will be tried again"));
                    store = connect_store(&options.db, patience)?;
                    break;
                }
            }
        }
        summary.seconds = started.elapsed().as_secs_f64();
        if let Err(err) = store.heartbeat(&name, &host, summary.documents, summary.failures, summary.indexed) {
            log(&format!("worker {name}: heartbeat failed ({err})"));
        }
        if !got_messages && indexed_now == 0 {
            idle_rounds += 1;
            // A queue that cannot be read (a restarting server) is not empty.
            let queue_done = options.role == Role::Index || queue_is_empty(&runtime, &mut consumer).unwrap_or(false);
            if options.exit_when_idle && idle_rounds >= 2 && queue_done {
                match store.pending_count() {
                    _ if options.role == Role::Store => break,
                    Ok(0) => break,
                    _ => std::thread::sleep(Duration::from_millis(200)),
                }
            }
            if options.role == Role::Index {
                std::thread::sleep(Duration::from_millis(500));
            }
        } else {
            idle_rounds = 0;
        }
    }
    summary.seconds = started.elapsed().as_secs_f64();
    let _ = store.heartbeat(&name, &host, summary.documents, summary.failures, summary.indexed);
    Ok(summary)
}

fn queue_is_empty(runtime: &tokio::runtime::Runtime, consumer: &mut consumer::PullConsumer) -> Result<bool> {
    runtime.block_on(async {
        let info = consumer.info().await.map_err(|e| anyhow!("reading the consumer: {e}"))?;
        Ok(info.num_pending == 0 && info.num_ack_pending == 0)
    })
}

async fn fetch(consumer: &consumer::PullConsumer, max: usize) -> Result<Vec<jetstream::Message>> {
    let mut batch = consumer
        .fetch()
        .max_messages(max)
        .expires(Duration::from_secs(1))
        .messages()
        .await
        .map_err(|e| anyhow!("{e}"))?;
    let mut out = Vec::new();
    while let Some(message) = batch.next().await {
        match message {
            Ok(m) => out.push(m),
            Err(e) => {
                if out.is_empty() {
                    return Err(anyhow!("{e}"));
                }
                break;
            }
        }
    }
    Ok(out)
}

fn store_messages(
    pipeline: &Pipeline,
    store: &mut PgStore,
    runtime: &tokio::runtime::Runtime,
    messages: Vec<jetstream::Message>,
    worker: &str,
    queue: &Queue,
    summary: &mut WorkerSummary,
) -> Result<()> {
    let mut docs = Vec::with_capacity(messages.len());
    let mut failures: Vec<(String, String)> = Vec::new();
    for m in &messages {
        match envelope::decode(&m.payload) {
            Ok(doc) => docs.push(doc),
            Err(reason) => failures.push((format!("{} message {}", queue.subject(), sequence(m)), reason)),
        }
    }
    summary.documents += messages.len() as u64;
    let stored = pipeline.store_batch(store, docs);
    let stored = match stored {
        Ok(s) => s,
        Err(err) => {
            // Not acknowledged: asked to be delivered again soon (to this
            // worker or another) rather than after the acknowledgement wait.
            runtime.block_on(async {
                for m in &messages {
                    let _ = m.ack_with(AckKind::Nak(Some(Duration::from_secs(2)))).await;
                }
            });
            return Err(err);
        }
    };
    failures.extend(stored.failed.iter().map(|e| (e.source.clone(), e.reason.clone())));
    if !failures.is_empty() {
        // A document that cannot be read will not be readable at the next
        // delivery either: it is recorded and acknowledged.
        store.record_failures(worker, &failures).map_err(|e| anyhow!("{e}"))?;
    }
    summary.stored += stored.stored as u64;
    summary.duplicates += stored.duplicates as u64;
    summary.failures += failures.len() as u64;
    runtime.block_on(async {
        for m in &messages {
            // Acknowledged only now that the batch is committed. A lost
            // acknowledgement means one more delivery, which stores nothing.
            let _ = m.ack().await;
        }
    });
    Ok(())
}

fn sequence(m: &jetstream::Message) -> String {
    m.info().map(|i| i.stream_sequence.to_string()).unwrap_or_else(|_| "?".to_string())
}

/// What `storyline status` prints.
#[derive(Debug, Clone, Default)]
pub struct Status {
    /// Documents in the stream (queued and not yet acknowledged).
    pub queued: u64,
    /// Of those, delivered to a worker and not yet acknowledged.
    pub in_flight: u64,
    /// Messages delivered more than once so far.
    pub redelivered: u64,
    /// Articles stored.
    pub articles: u64,
    /// Articles stored, waiting for linking and stories.
    pub pending_index: u64,
    /// Stories.
    pub stories: u64,
    /// Articles stored per second over the last minute.
    pub per_second: f64,
    /// Workers seen.
    pub workers: Vec<WorkerRow>,
    /// Failures by reason, most frequent first.
    pub failures: Vec<(String, u64)>,
}

/// Reads the queue and the store.
pub fn status(queue: &Queue, db: &str) -> Result<Status> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let (queued, in_flight, redelivered) = runtime.block_on(async {
        let js = connect(&queue.nats).await?;
        let mut stream = documents_stream(&js, queue).await?;
        let queued = stream.info().await.map_err(|e| anyhow!("reading the stream: {e}"))?.state.messages;
        let mut consumer = work_consumer(&stream, queue).await?;
        let info = consumer.info().await.map_err(|e| anyhow!("reading the consumer: {e}"))?;
        Ok::<_, anyhow::Error>((queued, info.num_ack_pending as u64, info.num_redelivered as u64))
    })?;
    let store = PgStore::connect(db).map_err(|e| anyhow!("{e}"))?;
    let stats = store.stats().map_err(|e| anyhow!("{e}"))?;
    Ok(Status {
        queued,
        in_flight,
        redelivered,
        articles: stats.articles,
        pending_index: store.pending_count().map_err(|e| anyhow!("{e}"))?,
        stories: stats.stories,
        per_second: store.stored_since(60.0).map_err(|e| anyhow!("{e}"))? as f64 / 60.0,
        workers: store.workers().map_err(|e| anyhow!("{e}"))?,
        failures: store.failures_by_reason(20).map_err(|e| anyhow!("{e}"))?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_queue_names_its_stream_subject_and_consumer() {
        let q = Queue { name: "team-a".into(), ..Queue::new("nats://127.0.0.1:4222") };
        assert_eq!(q.stream(), "STORYLINE_TEAM_A");
        assert_eq!(q.subject(), "storyline.team-a");
        assert_eq!(q.consumer(), "storyline-team-a-workers");
        assert!(q.checked().is_ok());
        let bad = Queue { name: "a.b".into(), ..Queue::new("nats://127.0.0.1:4222") };
        assert!(bad.checked().unwrap_err().to_string().contains("letters, digits"));
    }

    #[test]
    fn roles_parse() {
        assert_eq!(Role::parse("all"), Some(Role::All));
        assert_eq!(Role::parse("store"), Some(Role::Store));
        assert_eq!(Role::parse("index"), Some(Role::Index));
        assert_eq!(Role::parse("leader"), None);
    }
}
