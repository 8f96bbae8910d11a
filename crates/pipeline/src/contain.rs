//! Running per-document work so that no document can take its batch down.
//!
//! Jobs run on as many worker threads as there are cores, each thread with
//! a large stack (deeply nested pages recurse) and each job inside
//! `catch_unwind` (a panic is that document's error). A job that runs past
//! the time budget is reported as that document's error and abandoned: its
//! thread is left to finish on its own (Rust cannot stop a thread) and is
//! replaced by a fresh one, so the batch goes on at full width.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Stack of each worker thread: deep enough for the deepest tree a page
/// can hold within the size limits (html5ever and the extractors recurse).
/// Only the pages touched are committed to memory.
pub const WORKER_STACK_BYTES: usize = 512 * 1024 * 1024;

/// What a job sends back.
enum Message<T> {
    Started(usize),
    Done(usize, Result<T, String>),
}

/// Runs `job(0..n)` contained; results in job order. `budget` bounds the
/// time of one job (None: no bound).
pub fn run_contained<T, F>(n: usize, threads: usize, budget: Option<Duration>, job: F) -> Vec<Result<T, String>>
where
    T: Send + 'static,
    F: Fn(usize) -> Result<T, String> + Send + Sync + 'static,
{
    let job = Arc::new(job);
    let next = Arc::new(AtomicUsize::new(0));
    // Indices of jobs given up on: a worker that finds its own job there stops.
    let abandoned: Arc<Mutex<Vec<usize>>> = Arc::new(Mutex::new(Vec::new()));
    let (send, receive) = mpsc::channel::<Message<T>>();
    let spawn_worker = |send: mpsc::Sender<Message<T>>| {
        let (job, next, abandoned) = (Arc::clone(&job), Arc::clone(&next), Arc::clone(&abandoned));
        std::thread::Builder::new().name("storyline-worker".into()).stack_size(WORKER_STACK_BYTES).spawn(move || loop {
            let i = next.fetch_add(1, Ordering::SeqCst);
            if i >= n {
                return;
            }
            if send.send(Message::Started(i)).is_err() {
                return;
            }
            let result = contained(|| job(i));
            let gone = abandoned.lock().map(|a| a.contains(&i)).unwrap_or(true);
            if gone || send.send(Message::Done(i, result)).is_err() {
                return;
            }
        })
    };
    let mut results: Vec<Option<Result<T, String>>> = (0..n).map(|_| None).collect();
    let mut started: Vec<Option<Instant>> = vec![None; n];
    let mut pending = n;
    for _ in 0..threads.clamp(1, n.max(1)) {
        if let Err(err) = spawn_worker(send.clone()) {
            // No thread at all: the work cannot run.
            return (0..n).map(|_| Err(format!("cannot start a worker thread: {err}"))).collect();
        }
    }
    while pending > 0 {
        let wait = match budget {
            Some(b) => started
                .iter()
                .zip(&results)
                .filter(|(_, r)| r.is_none())
                .filter_map(|(s, _)| s.map(|s| (s + b).saturating_duration_since(Instant::now())))
                .min()
                .unwrap_or(b)
                .max(Duration::from_millis(5)),
            None => Duration::from_secs(3600),
        };
        match receive.recv_timeout(wait) {
            Ok(Message::Started(i)) => started[i] = Some(Instant::now()),
            Ok(Message::Done(i, result)) => {
                if results[i].is_none() {
                    results[i] = Some(result);
                    pending -= 1;
                }
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
        if let Some(b) = budget {
            for i in 0..n {
                let late = results[i].is_none() && started[i].is_some_and(|s| s.elapsed() > b);
                if late {
                    if let Ok(mut a) = abandoned.lock() {
                        a.push(i);
                    }
                    results[i] = Some(Err(format!(
                        "took longer than the time budget of {:.0} s per document; skipped",
                        b.as_secs_f64()
                    )));
                    pending -= 1;
                    // Its thread is stuck with it: a fresh one takes its place.
                    let _ = spawn_worker(send.clone());
                }
            }
        }
    }
    results
        .into_iter()
        .map(|r| r.unwrap_or_else(|| Err("the worker thread stopped before this document was done".into())))
        .collect()
}

/// Runs `f`, turning a panic into an error naming it.
pub fn contained<T>(f: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(result) => result,
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown".into());
            Err(format!("internal error while processing this document ({what}); it was skipped"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_the_documents_error() {
        let result: Result<(), String> = contained(|| panic!("boom"));
        let message = result.unwrap_err();
        assert!(message.contains("boom") && message.contains("skipped"), "{message}");
        assert_eq!(contained(|| Ok::<_, String>(3)), Ok(3));
    }

    #[test]
    fn a_job_past_its_budget_is_skipped_and_the_others_finish() {
        // The budget leaves the quick jobs ample time on a loaded machine; the
        // slow one sleeps far past it (its thread is abandoned, not waited for).
        let results = run_contained(6, 2, Some(Duration::from_secs(3)), |i| {
            if i == 1 {
                std::thread::sleep(Duration::from_secs(60));
            }
            if i == 4 {
                panic!("bad page");
            }
            Ok(i * 10)
        });
        assert_eq!(results[0], Ok(0));
        assert!(results[1].as_ref().unwrap_err().contains("time budget"), "{results:?}");
        assert!(results[4].as_ref().unwrap_err().contains("bad page"), "{results:?}");
        for i in [2, 3, 5] {
            assert_eq!(results[i], Ok(i * 10));
        }
    }
}
