//! Speed benchmarks behind `storyline bench`. Speed is measured here, never
//! in unit tests.

pub mod ingest;
pub mod serve;
pub mod stories;
pub mod team;

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use rayon::prelude::*;
use storyline_extract::{BatchLines, Decoded, Extractor};
use storyline_model::{ContentKind, RawDocument, SourceHints};

/// Options of `bench extract`.
#[derive(Debug, Clone)]
pub struct ExtractBenchOptions {
    /// The shared data folder.
    pub data: PathBuf,
    /// Also time Python trafilatura (installed into a private virtualenv).
    pub python: bool,
    /// Passes over the corpus per measurement (the fastest is reported).
    pub rounds: usize,
    /// How HTML is extracted.
    pub html: storyline_extract::HtmlOptions,
}

/// Peak resident memory of this process, in MB (Linux `VmHWM`).
pub fn peak_memory_mb() -> Option<f64> {
    storyline_pipeline::peak_memory_mb()
}

struct Page {
    doc: RawDocument,
    decoded: Decoded,
}

fn load_pages(dir: &Path, extractor: &Extractor) -> Result<Vec<Page>> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("{} not found (pass --data DIR)", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "gz"))
        .collect();
    paths.sort();
    let mut pages = Vec::with_capacity(paths.len());
    for path in paths {
        let bytes = storyline_eval::read_maybe_gz(&path)?;
        let doc = RawDocument {
            source: path.display().to_string(),
            external_id: None,
            kind: ContentKind::Html,
            bytes,
            hints: SourceHints::default(),
        };
        if let Ok(decoded) = extractor.decode(&doc) {
            pages.push(Page { doc, decoded });
        }
    }
    Ok(pages)
}

/// The time of the fastest of `rounds` runs of `pass`, in seconds: the run
/// least disturbed by other work on the machine.
fn best_pass(rounds: usize, mut pass: impl FnMut()) -> f64 {
    (0..rounds.max(1)).map(|_| timed(&mut pass).wall).fold(f64::INFINITY, f64::min)
}

/// Wall-clock and CPU seconds of one pass.
#[derive(Debug, Clone, Copy)]
struct Timing {
    wall: f64,
    /// Seconds of CPU this process used, when the system says.
    cpu: Option<f64>,
}

impl Timing {
    const NONE: Timing = Timing { wall: f64::INFINITY, cpu: None };

    /// The faster of two passes, each figure on its own.
    fn best(self, other: Timing) -> Timing {
        let cpu = match (self.cpu, other.cpu) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        Timing { wall: self.wall.min(other.wall), cpu }
    }
}

fn timed(pass: &mut impl FnMut()) -> Timing {
    let (start, cpu_start) = (Instant::now(), process_cpu_seconds());
    pass();
    let cpu = process_cpu_seconds().zip(cpu_start).map(|(end, start)| end - start);
    Timing { wall: start.elapsed().as_secs_f64(), cpu }
}

/// User and system CPU time of this process (Linux `/proc/self/stat`).
fn process_cpu_seconds() -> Option<f64> {
    cpu_seconds_from_stat(&std::fs::read_to_string("/proc/self/stat").ok()?)
}

/// utime + stime of a `/proc/PID/stat` line, in seconds (the kernel counts
/// them in ticks of 1/100 s for user space).
fn cpu_seconds_from_stat(stat: &str) -> Option<f64> {
    // Fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i)?.parse::<f64>().ok();
    // utime and stime are fields 14 and 15 of the line; after the name, field 3 (the state) is first.
    Some((ticks(11)? + ticks(12)?) / 100.0)
}

fn rate(pages: usize, seconds: f64) -> f64 {
    pages as f64 / seconds.max(1e-9)
}

/// `bench extract`: HTML extraction over the trafilatura-eval pages held in
/// memory, on one core and on all cores, with the share of time spent in
/// HTML parsing and in date finding, and Python trafilatura on the same pages.
pub fn bench_extract(options: &ExtractBenchOptions) -> Result<Vec<String>> {
    let dir = options.data.join("trafilatura-eval").join("html");
    let extractor = Extractor::new(options.html);
    let pages = load_pages(&dir, &extractor)?;
    if pages.is_empty() {
        bail!("no pages in {}", dir.display());
    }
    let megabytes: f64 = pages.iter().map(|p| p.decoded.content.len()).sum::<usize>() as f64 / 1e6;
    let rounds = options.rounds.max(1);
    let n = pages.len();
    let batch = BatchLines::default();
    let mut lines = vec![
        format!(
            "corpus: {} pages, {megabytes:.0} MB of HTML in memory; best of {rounds} pass(es) per figure, Python's passes alternating with ours",
            pages.len()
        ),
        format!(
            "extractor: {:?}, fallback {}, focus {:?}",
            options.html.engine, options.html.fallback, options.html.focus
        ),
    ];

    // Python runs beside us from the start, and its passes alternate with
    // ours: on a shared machine, both sides then meet the same conditions.
    let mut python = options.python.then(|| PythonBench::start(&dir));
    let single = rayon::ThreadPoolBuilder::new().num_threads(1).build()?;
    let (mut ours, mut theirs) = (Timing::NONE, Timing::NONE);
    for _ in 0..rounds {
        ours = ours.best(timed(&mut || {
            single.install(|| {
                for page in &pages {
                    let _ = std::hint::black_box(extractor.extract_decoded(&page.doc, &page.decoded, &batch));
                }
            })
        }));
        if let Some(Ok(bench)) = &mut python {
            match bench.pass() {
                Ok(timing) => theirs = theirs.best(timing),
                Err(err) => python = Some(Err(err)),
            }
        }
    }
    let one_core = rate(n, ours.wall);
    let all_cores = rate(
        n,
        best_pass(rounds, || {
            pages.par_iter().for_each(|page| {
                let _ = std::hint::black_box(extractor.extract_decoded(&page.doc, &page.decoded, &batch));
            })
        }),
    );
    let threads = rayon::current_num_threads();
    // Before the profile below, which holds every parsed page at once.
    let peak_mb = peak_memory_mb();

    // Where one core's time goes: each step timed alone over the corpus.
    let ms_per_page = |seconds: f64| seconds * 1000.0 / n as f64;
    let fallback = options.html.fallback;
    let parse_ms = ms_per_page(best_pass(rounds, || {
        for p in &pages {
            std::hint::black_box(scraper::Html::parse_document(&p.decoded.content));
        }
    }));
    // The other steps run on pages parsed beforehand, as the extractor shares one parse.
    let mut parsed: Vec<scraper::Html> =
        pages.iter().map(|p| scraper::Html::parse_document(&p.decoded.content)).collect();
    let body_ms = ms_per_page(best_pass(rounds, || {
        for doc in parsed.iter_mut() {
            std::hint::black_box(storyline_extract::html::with_trafilatura(doc, None, fallback, options.html.focus));
        }
    }));
    let meta_ms = ms_per_page(best_pass(rounds, || {
        for doc in &parsed {
            let mut page = storyline_extract::html::HtmlPage::default();
            storyline_extract::html::add_page_metadata(doc, None, &mut page);
            std::hint::black_box(page);
        }
    }));
    drop(parsed);

    lines.push(format!("extract  1 core : {one_core:>7.1} pages/s"));
    lines.push(format!("extract  {threads} cores: {all_cores:>7.1} pages/s"));
    let per_page = 1000.0 / one_core;
    let share = |ms: f64| 100.0 * ms / per_page;
    lines.push(format!("profile, 1 core, ms per page: total {per_page:.2}"));
    let rest_ms = (per_page - parse_ms - body_ms - meta_ms).max(0.0);
    lines.push(format!("  HTML parse (html5ever, once per page) {parse_ms:.2} ({:.0} %)", share(parse_ms)));
    lines.push(format!(
        "  trafilatura body extraction on the parsed page {body_ms:.2} ({:.0} %), including the re-parses its \
         readability and justext fallbacks do on their own output",
        share(body_ms)
    ));
    lines.push(format!("  our metadata (date, headline) {meta_ms:.2} ({:.0} %)", share(meta_ms)));
    lines.push(format!("  cleaning, language and the rest {rest_ms:.2} ({:.0} %)", share(rest_ms)));
    if let Some(mb) = peak_mb {
        lines.push(format!("peak memory: {mb:.0} MB (includes the corpus held in memory)"));
    }
    // CPU seconds leave out the time the machine gave to other guests.
    let per_cpu_second = |pages: usize, timing: Timing| timing.cpu.map(|cpu| rate(pages, cpu));
    if let Some(cpu_rate) = per_cpu_second(n, ours) {
        lines.push(format!("extract  1 core : {cpu_rate:>7.1} pages per CPU-second"));
    }
    match python {
        Some(Ok(bench)) => {
            let py_rate = rate(bench.pages, theirs.wall);
            let version = &bench.version;
            lines.push(format!("python trafilatura {version}, 1 core: {py_rate:>7.1} pages/s"));
            let py_cpu_rate = per_cpu_second(bench.pages, theirs);
            if let Some(py_cpu_rate) = py_cpu_rate {
                lines.push(format!("python trafilatura {version}, 1 core: {py_cpu_rate:>7.1} pages per CPU-second"));
            }
            lines.push(format!("ratio storyline/python on 1 core: {:.2}x", one_core / py_rate));
            if let (Some(ours), Some(theirs)) = (per_cpu_second(n, ours), py_cpu_rate) {
                lines.push(format!("ratio storyline/python per CPU-second: {:.2}x", ours / theirs));
            }
        }
        Some(Err(err)) => lines.push(format!("python trafilatura: not measured ({err:#})")),
        None => {}
    }
    Ok(lines)
}

/// Python trafilatura timed pass by pass: the script in `python/` runs in a
/// private virtualenv (created and filled with pip on first use, under
/// `target/bench-venv` or `$STORYLINE_BENCH_VENV`), holds the pages in memory
/// and extracts them all once per request.
struct PythonBench {
    child: Child,
    requests: ChildStdin,
    replies: BufReader<ChildStdout>,
    pages: usize,
    version: String,
}

impl PythonBench {
    fn start(dir: &Path) -> Result<PythonBench> {
        let python = python_with_trafilatura()?;
        let script = std::env::temp_dir().join("storyline_trafilatura_bench.py");
        std::fs::write(&script, include_str!("../python/trafilatura_bench.py"))?;
        let mut child = Command::new(&python)
            .arg(&script)
            .arg(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .context("cannot start the Python bench")?;
        let requests = child.stdin.take().context("no stdin to the Python bench")?;
        let replies = BufReader::new(child.stdout.take().context("no stdout from the Python bench")?);
        let mut bench = PythonBench { child, requests, replies, pages: 0, version: String::new() };
        let hello = bench.reply()?;
        bench.pages = hello["pages"].as_u64().unwrap_or(0) as usize;
        bench.version = hello["version"].as_str().unwrap_or("?").to_string();
        if bench.pages == 0 {
            bail!("the Python bench read no pages in {}", dir.display());
        }
        Ok(bench)
    }

    /// One pass of Python trafilatura over every page.
    fn pass(&mut self) -> Result<Timing> {
        writeln!(self.requests, "pass")?;
        self.requests.flush()?;
        let reply = self.reply()?;
        let wall = reply["seconds"].as_f64().context("the Python bench gave no time")?;
        Ok(Timing { wall, cpu: reply["cpu"].as_f64() })
    }

    fn reply(&mut self) -> Result<serde_json::Value> {
        let mut line = String::new();
        if self.replies.read_line(&mut line)? == 0 {
            bail!("the Python bench stopped (its error is printed above)");
        }
        serde_json::from_str(&line).with_context(|| format!("the Python bench printed {line:?}"))
    }
}

impl Drop for PythonBench {
    fn drop(&mut self) {
        // Closing its input ends the script's loop; kill it if it is stuck.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The virtualenv's Python, with trafilatura installed by pip if missing.
fn python_with_trafilatura() -> Result<PathBuf> {
    storyline_eval::venv::python_with(
        "STORYLINE_BENCH_VENV",
        "target/bench-venv",
        "trafilatura",
        &["trafilatura", "lxml_html_clean"],
        "bench",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_time_is_read_after_a_command_name_with_spaces() {
        let line = "4242 (my (odd) cmd) R 1 4242 4242 0 -1 4194304 500 0 0 0 250 75 0 0 20 0 1 0 100 0 0";
        assert_eq!(cpu_seconds_from_stat(line), Some(3.25));
        assert_eq!(cpu_seconds_from_stat("4242 (truncated"), None);
    }

    #[test]
    fn the_best_timing_takes_each_figure_on_its_own() {
        let a = Timing { wall: 2.0, cpu: Some(1.5) };
        let b = Timing { wall: 1.0, cpu: Some(1.8) };
        let best = Timing::NONE.best(a).best(b);
        assert_eq!(best.wall, 1.0);
        assert_eq!(best.cpu, Some(1.5));
        assert_eq!(Timing::NONE.best(Timing { wall: 3.0, cpu: None }).cpu, None);
    }
}
