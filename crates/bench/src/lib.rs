//! Speed benchmarks behind `storyline bench`. Speed is measured here, never
//! in unit tests.

pub mod stories;

use std::path::{Path, PathBuf};
use std::process::Command;
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
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
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
    (0..rounds.max(1))
        .map(|_| {
            let start = Instant::now();
            pass();
            start.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
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
            "corpus: {} pages, {megabytes:.0} MB of HTML in memory; best of {rounds} pass(es) per figure",
            pages.len()
        ),
        format!(
            "extractor: {:?}, fallback {}, focus {:?}",
            options.html.engine, options.html.fallback, options.html.focus
        ),
    ];

    let single = rayon::ThreadPoolBuilder::new().num_threads(1).build()?;
    let one_core = rate(
        n,
        best_pass(rounds, || {
            single.install(|| {
                for page in &pages {
                    let _ = std::hint::black_box(extractor.extract_decoded(&page.doc, &page.decoded, &batch));
                }
            })
        }),
    );
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
    if options.python {
        match python_trafilatura(&dir, rounds) {
            Ok((py_rate, version)) => {
                lines.push(format!("python trafilatura {version}, 1 core: {py_rate:>7.1} pages/s"));
                lines.push(format!("ratio storyline/python on 1 core: {:.2}x", one_core / py_rate));
            }
            Err(err) => lines.push(format!("python trafilatura: not measured ({err:#})")),
        }
    }
    Ok(lines)
}

/// Runs the Python script in a private virtualenv (created and filled with
/// pip on first use, under `target/bench-venv` or `$STORYLINE_BENCH_VENV`).
fn python_trafilatura(dir: &Path, rounds: usize) -> Result<(f64, String)> {
    let venv = std::env::var_os("STORYLINE_BENCH_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("target/bench-venv"));
    let python = venv.join("bin/python");
    if !python.exists() {
        eprintln!("bench: creating {} and installing trafilatura with pip...", venv.display());
        let status = Command::new("python3").args(["-m", "venv"]).arg(&venv).status().context("python3 not found")?;
        if !status.success() {
            bail!("python3 -m venv failed");
        }
    }
    let check = Command::new(&python).args(["-c", "import trafilatura"]).output()?;
    if !check.status.success() {
        let status = Command::new(&python)
            .args(["-m", "pip", "install", "--quiet", "trafilatura", "lxml_html_clean"])
            .status()?;
        if !status.success() {
            bail!("pip install trafilatura failed");
        }
    }
    let script = std::env::temp_dir().join("storyline_trafilatura_bench.py");
    std::fs::write(&script, include_str!("../python/trafilatura_bench.py"))?;
    let output = Command::new(&python).arg(&script).arg(dir).arg(rounds.to_string()).output()?;
    if !output.status.success() {
        bail!("python bench failed: {}", String::from_utf8_lossy(&output.stderr));
    }
    let result: serde_json::Value = serde_json::from_slice(&output.stdout).context("python bench printed no JSON")?;
    let pages = result["pages"].as_f64().unwrap_or(0.0);
    let seconds = result["seconds"].as_f64().unwrap_or(1.0);
    Ok((pages / seconds, result["version"].as_str().unwrap_or("?").to_string()))
}
