//! Printing the distributed ingest's status.

use std::io::Write;

use anyhow::Result;
use storyline_workers::Status;

/// `storyline status`.
pub fn print_status(status: &Status, nats: &str, db: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "queue            {nats}")?;
    writeln!(
        out,
        "queued           {} document(s), {} being read, {} delivered again so far",
        status.queued, status.in_flight, status.redelivered
    )?;
    writeln!(out, "store            {db}")?;
    writeln!(
        out,
        "articles         {} ({} waiting for linking and stories), {} story(ies)",
        status.articles, status.pending_index, status.stories
    )?;
    writeln!(out, "rate             {:.1} article(s)/s over the last minute", status.per_second)?;
    writeln!(out, "workers          {}", status.workers.len())?;
    for w in &status.workers {
        let state = if w.idle_seconds < 30.0 { "alive" } else { "silent" };
        writeln!(
            out,
            "  {:<28} {:<6} last seen {:>6.0} s ago, {} document(s) in {:.0} s, {} failure(s), {} indexed",
            w.id, state, w.idle_seconds, w.documents, w.running_seconds, w.failures, w.indexed
        )?;
    }
    if status.failures.is_empty() {
        writeln!(out, "failures         none")?;
    } else {
        writeln!(out, "failures by reason")?;
        for (reason, n) in &status.failures {
            writeln!(out, "  {n:>8}  {reason}")?;
        }
    }
    Ok(())
}
