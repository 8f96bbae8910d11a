//! A response cache for the read endpoints: a page computed once is served
//! again until the store changes.
//!
//! Every entry carries the store's change marker of the moment its
//! computation started (SQLite's `data_version`, which moves whenever any
//! connection, this server's ingest or another process, commits). A backend
//! without a cheap marker (PostgreSQL) keys on the clock instead, a new
//! generation every [`MAX_AGE`].
//!
//! An entry whose marker is not the current one is outdated. For at most
//! the cache's `max_stale` after a request first finds it so, it is still
//! served while one request computes the page again in the background
//! (stale-while-revalidate, as HTTP caches do; a search engine's index is
//! likewise a second behind its writes): after a commit, the readers of a
//! page do not all wait for it. Past that, or with `max_stale` zero, an
//! outdated entry is never served and a page is never older than the last
//! commit it could have seen.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

use crate::AppState;

/// Longest a page is kept when the store gives no change marker.
pub const MAX_AGE: Duration = Duration::from_secs(1);
/// Bytes of responses kept at most; past it, older generations go first,
/// then everything.
const MAX_BYTES: usize = 64 << 20;
/// A single response larger than this is not kept.
const MAX_ENTRY: usize = 4 << 20;

struct Entry {
    generation: i64,
    headers: HeaderMap,
    body: Bytes,
    /// When a request first found it outdated.
    outdated_since: Option<Instant>,
}

/// What a lookup finds.
enum Kept {
    Current(HeaderMap, Bytes),
    /// Outdated, but recently enough to be served while computed again.
    Stale(HeaderMap, Bytes),
    Missing,
}

/// Responses by request URI, with their generation.
#[derive(Default)]
pub struct ResponseCache {
    /// How long an outdated page may still be served while it is computed again.
    max_stale: Duration,
    entries: Mutex<(HashMap<String, Entry>, usize)>,
    /// One lock per URI being computed: after a commit, the many readers of
    /// one page wait for a single computation instead of each running it.
    in_flight: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
    /// Pages computed, hits not counted (for tests).
    computed: std::sync::atomic::AtomicUsize,
}

impl ResponseCache {
    /// A cache serving outdated pages for at most `max_stale` while they are
    /// computed again (zero: never).
    pub fn new(max_stale: Duration) -> ResponseCache {
        ResponseCache { max_stale, ..ResponseCache::default() }
    }

    /// Whether a request is computing `key` now.
    fn computing(&self, key: &str) -> bool {
        self.in_flight.lock().unwrap_or_else(|e| e.into_inner()).contains_key(key)
    }

    /// The lock of the computation of `key`.
    fn flight(&self, key: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut flights = self.in_flight.lock().unwrap_or_else(|e| e.into_inner());
        Arc::clone(flights.entry(key.to_string()).or_default())
    }

    /// Waits for the turn to compute `key`: another request computing the
    /// same page finishes (and keeps its response) first.
    async fn turn(&self, key: &str) -> Turn<'_> {
        let flight = self.flight(key);
        let guard = Arc::clone(&flight).lock_owned().await;
        Turn { cache: self, key: key.to_string(), guard: Some(guard), flight }
    }

    /// Forgets the lock of `key` when no other request holds it.
    fn land(&self, key: &str, flight: &Arc<tokio::sync::Mutex<()>>) {
        let mut flights = self.in_flight.lock().unwrap_or_else(|e| e.into_inner());
        // The map's reference and ours: nobody else waits.
        if Arc::strong_count(flight) <= 2 {
            flights.remove(key);
        }
    }

    fn get(&self, key: &str, generation: i64) -> Kept {
        let mut guard = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let (entries, bytes) = &mut *guard;
        let Some(e) = entries.get_mut(key) else { return Kept::Missing };
        if e.generation == generation {
            return Kept::Current(e.headers.clone(), e.body.clone());
        }
        let since = *e.outdated_since.get_or_insert_with(Instant::now);
        if since.elapsed() < self.max_stale {
            return Kept::Stale(e.headers.clone(), e.body.clone());
        }
        if let Some(old) = entries.remove(key) {
            *bytes -= old.body.len();
        }
        Kept::Missing
    }

    fn put(&self, key: String, generation: i64, headers: HeaderMap, body: Bytes) {
        if body.len() > MAX_ENTRY {
            return;
        }
        let mut guard = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let (entries, bytes) = &mut *guard;
        if *bytes + body.len() > MAX_BYTES {
            entries.retain(|_, e| e.generation == generation);
            *bytes = entries.values().map(|e| e.body.len()).sum();
            if *bytes + body.len() > MAX_BYTES {
                entries.clear();
                *bytes = 0;
            }
        }
        *bytes += body.len();
        if let Some(old) = entries.insert(key, Entry { generation, headers, body, outdated_since: None }) {
            *bytes -= old.body.len();
        }
    }

    /// Number of responses kept (for tests).
    pub fn len(&self) -> usize {
        self.entries.lock().unwrap_or_else(|e| e.into_inner()).0.len()
    }

    /// Number of pages computed rather than served from the cache (for tests).
    pub fn computed(&self) -> usize {
        self.computed.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Number of pages being computed now (for tests).
    pub fn in_flight(&self) -> usize {
        self.in_flight.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// Whether nothing is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A request's turn to compute a page; released (and the lock forgotten
/// when nobody waits) on drop, also when the request is cancelled.
struct Turn<'a> {
    cache: &'a ResponseCache,
    key: String,
    guard: Option<tokio::sync::OwnedMutexGuard<()>>,
    flight: Arc<tokio::sync::Mutex<()>>,
}

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        self.guard.take();
        self.cache.land(&self.key, &self.flight);
    }
}

/// Whether responses to this path may be kept: the read endpoints of the
/// API, never the ingest, the export (a stream) or the health check.
fn cacheable(path: &str) -> bool {
    path.starts_with("/api/") && !path.starts_with("/api/export") && !path.starts_with("/api/ingest")
}

/// The middleware: answers a GET from the cache when the store has not
/// changed since the page was computed, else computes and keeps it.
pub async fn cached(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let Some(cache) = state.cache.as_ref() else { return next.run(request).await };
    if request.method() != Method::GET || !cacheable(request.uri().path()) {
        return next.run(request).await;
    }
    let generation = {
        let state = Arc::clone(&state);
        match tokio::task::spawn_blocking(move || state.generation()).await {
            Ok(Some(g)) => g,
            _ => return next.run(request).await,
        }
    };
    let key = request.uri().to_string();
    let kept = |(headers, body): (HeaderMap, Bytes)| {
        let mut response = Response::new(Body::from(body));
        *response.headers_mut() = headers;
        response
    };
    match cache.get(&key, generation) {
        Kept::Current(headers, body) => return kept((headers, body)),
        Kept::Stale(headers, body) => {
            // Served as it was; one request at a time computes it again.
            if !cache.computing(&key) {
                let state = Arc::clone(&state);
                tokio::spawn(async move {
                    if let Some(cache) = state.cache.as_ref() {
                        let turn = cache.turn(&key).await;
                        if !matches!(cache.get(&key, generation), Kept::Current(..)) {
                            compute(cache, key, generation, request, next).await;
                        }
                        drop(turn);
                    }
                });
            }
            return kept((headers, body));
        }
        Kept::Missing => {}
    }
    // One computation per page at a time: a request that waited for another
    // one's is answered from what it kept.
    let turn = cache.turn(&key).await;
    if let Kept::Current(headers, body) = cache.get(&key, generation) {
        return kept((headers, body));
    }
    let response = compute(cache, key, generation, request, next).await;
    drop(turn);
    response
}

/// Computes a page and keeps it when it succeeded.
async fn compute(cache: &ResponseCache, key: String, generation: i64, request: Request, next: Next) -> Response {
    cache.computed.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let response = next.run(request).await;
    if response.status() != StatusCode::OK {
        return response;
    }
    let (parts, body) = response.into_parts();
    match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => {
            cache.put(key, generation, parts.headers.clone(), bytes.clone());
            Response::from_parts(parts, Body::from(bytes))
        }
        Err(err) => {
            let mut failed = Response::new(Body::from(format!("{{\"error\":\"reading the response: {err}\"}}")));
            *failed.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
            failed
        }
    }
}

/// The clock's generation for a backend without a change marker: the
/// number of [`MAX_AGE`] periods since `start`.
pub fn clock_generation(start: Instant) -> i64 {
    (start.elapsed().as_millis() / MAX_AGE.as_millis()) as i64
}
