//! `storyline serve`: a JSON API and a web page over one store, on top of
//! the pipeline library. Nothing is fetched from the network at run time:
//! the page and its script are embedded in the binary.
//!
//! Security: the server binds to loopback unless a token is given; with a
//! token, write endpoints need `Authorization: Bearer TOKEN`. Request bodies,
//! query strings and page sizes are bounded and every request has a
//! timeout. Article text reaches the page as JSON and is shown with
//! `textContent`, never parsed as HTML.

mod api;
mod cache;
mod page;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use axum::Router;
use storyline_backend::AnyStore;
use storyline_pipeline::Pipeline;

pub use api::ApiDoc;
pub use cache::ResponseCache;

/// Largest request body (an ingest of JSON Lines), in bytes.
pub const MAX_BODY: usize = 16 << 20;
/// Longest query string, in bytes.
pub const MAX_QUERY: usize = 2048;
/// Largest page of a list.
pub const MAX_PAGE: usize = 200;
/// Time a request may take before it is answered 408 (an ingest of a full
/// body included).
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// How `storyline serve` was asked to run.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Address to bind.
    pub addr: SocketAddr,
    /// The store: a SQLite file, or a PostgreSQL URL.
    pub db: PathBuf,
    /// The token write endpoints need (and that binding beyond loopback needs).
    pub token: Option<String>,
    /// Keep read responses until the store changes, and serve an outdated
    /// one for at most this long while it is computed again (see
    /// `cache.rs`); None: compute every read.
    pub cache: Option<Duration>,
}

/// How long, by default, a kept page is still served after the store
/// changed, while one request computes it again (`serve --max-stale-ms`).
pub const DEFAULT_MAX_STALE_MS: u64 = 1000;

/// What every handler shares: the store's path, reader connections, the one
/// writer, and the pipeline.
pub struct AppState {
    db: PathBuf,
    readers: Mutex<Vec<AnyStore>>,
    /// Reads running at once: about two per core. Thirty-two reads at once
    /// on two cores each filled a page cache of its own and spent their time
    /// switching; a few connections kept busy keep their caches warm.
    read_slots: tokio::sync::Semaphore,
    writer: Mutex<AnyStore>,
    pipeline: Pipeline,
    token: Option<String>,
    /// Read responses kept until the store changes (None: every request computed).
    cache: Option<ResponseCache>,
    /// The connection whose change marker says whether the store changed.
    watch: Mutex<Option<AnyStore>>,
    started: Instant,
}

impl AppState {
    /// Opens the store (creating it if needed) and the pipeline, with the
    /// response cache.
    pub fn open(db: PathBuf, token: Option<String>) -> Result<Arc<AppState>> {
        AppState::open_with(db, token, Some(Duration::ZERO))
    }

    /// Opens the store and the pipeline; `cache`: keep read responses until
    /// the store changes, serving an outdated one for at most this long
    /// while it is computed again (None: no cache).
    pub fn open_with(db: PathBuf, token: Option<String>, cache: Option<Duration>) -> Result<Arc<AppState>> {
        let writer =
            AnyStore::open(&db).with_context(|| format!("opening the store {}", AnyStore::display_name(&db)))?;
        // Ingest leaves half the cores to the readers, so pages stay fast while it runs.
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
        let pipeline = Pipeline::new(storyline_extract::HtmlOptions::default())?.with_threads(cores / 2);
        pipeline.warm_up();
        Ok(Arc::new(AppState {
            db,
            readers: Mutex::new(Vec::new()),
            read_slots: tokio::sync::Semaphore::new((2 * cores).max(2)),
            writer: Mutex::new(writer),
            pipeline,
            token,
            cache: cache.map(ResponseCache::new),
            watch: Mutex::new(None),
            started: Instant::now(),
        }))
    }

    /// The responses kept, when the cache is on.
    pub fn cache(&self) -> Option<&ResponseCache> {
        self.cache.as_ref()
    }

    /// The store's generation: its change marker, or the clock's period
    /// when it has none; None when the store cannot be read.
    fn generation(&self) -> Option<i64> {
        use storyline_store::StoreRead;
        let mut watch = self.watch.lock().unwrap_or_else(|e| e.into_inner());
        if watch.is_none() {
            *watch = AnyStore::open(&self.db).ok();
        }
        match watch.as_ref()?.change_marker() {
            Ok(Some(marker)) => Some(marker),
            Ok(None) => Some(cache::clock_generation(self.started)),
            Err(_) => {
                *watch = None;
                None
            }
        }
    }

    /// Runs `f` with a reader connection (from the pool, or a new one).
    fn read<T>(&self, f: impl FnOnce(&AnyStore) -> Result<T>) -> Result<T> {
        let store = self.readers.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let store = match store {
            Some(s) => s,
            None => AnyStore::open(&self.db)?,
        };
        let out = f(&store);
        let mut pool = self.readers.lock().unwrap_or_else(|e| e.into_inner());
        if pool.len() < 64 {
            pool.push(store);
        }
        out
    }
}

/// The router: the API under `/api`, `/healthz`, `/openapi.json` and the page.
pub fn router(state: Arc<AppState>) -> Router {
    use tower_http::timeout::TimeoutLayer;
    page::routes()
        .merge(api::routes())
        .layer(axum::middleware::from_fn_with_state(Arc::clone(&state), cache::cached))
        .layer(axum::middleware::from_fn(api::bound_query))
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY))
        .layer(TimeoutLayer::with_status_code(axum::http::StatusCode::REQUEST_TIMEOUT, REQUEST_TIMEOUT))
        .with_state(state)
}

/// Checks the binding rule: loopback always, anything else only with a token.
pub fn check_bind(addr: &SocketAddr, token: Option<&str>) -> Result<()> {
    if !addr.ip().is_loopback() && token.is_none_or(str::is_empty) {
        bail!("refusing to listen on {addr} without --token: anyone on the network could write to the store");
    }
    Ok(())
}

/// Serves until Ctrl-C.
pub fn serve(options: ServeOptions) -> Result<()> {
    check_bind(&options.addr, options.token.as_deref())?;
    let state = AppState::open_with(options.db.clone(), options.token.clone(), options.cache)?;
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(options.addr)
            .await
            .with_context(|| format!("cannot listen on {}", options.addr))?;
        eprintln!("serving {} on http://{}", options.db.display(), listener.local_addr()?);
        axum::serve(listener, router(state))
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await?;
        Ok(())
    })
}

#[cfg(test)]
mod tests;
