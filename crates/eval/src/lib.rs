//! Quality suites behind `storyline eval SUITE`.
//!
//! Each suite reads a public data set from the shared data folder (never
//! copied into the repository), runs the pipeline stage it measures, and
//! returns a [`Report`]: a printable table and named metrics. Floors given
//! on the command line turn a metric below its floor into a failure, which
//! is how CI ratchets quality.

mod htmldate;
pub mod metrics;
mod suites;
pub mod venv;

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use storyline_extract::HtmlOptions;

/// Names of the suites this build can run.
pub const SUITES: &[&str] = &[
    "extraction",
    "extraction-fr",
    "extraction-wcxb",
    "dates",
    "seeds",
    "time-fr",
    "stories",
    "ner-fr",
    "entity-linking",
    "entities-dwie",
    "quotes",
    "languages",
    "stories-meantime",
    "events",
];

/// What every suite needs to know.
#[derive(Debug, Clone)]
pub struct EvalContext {
    /// The shared data folder (`../shared/data`).
    pub data: PathBuf,
    /// The seed articles folder (`../shared/seeds`).
    pub seeds: PathBuf,
    /// How extraction suites extract HTML.
    pub html: HtmlOptions,
    /// Print per-item details.
    pub verbose: bool,
}

/// A suite's result.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Suite name.
    pub suite: String,
    /// Lines to print (table and notes).
    pub lines: Vec<String>,
    /// Named metrics, for floors.
    pub metrics: Vec<(String, f64)>,
}

impl Report {
    fn new(suite: &str) -> Self {
        Report { suite: suite.to_string(), ..Report::default() }
    }

    fn line(&mut self, text: impl Into<String>) {
        self.lines.push(text.into());
    }

    fn metric(&mut self, name: &str, value: f64) {
        self.metrics.push((name.to_string(), value));
    }

    /// The value of a named metric.
    pub fn get(&self, name: &str) -> Option<f64> {
        self.metrics.iter().find(|(n, _)| n == name).map(|(_, v)| *v)
    }

    /// Checks floors (`name=value`); returns the failures as sentences.
    pub fn check_floors(&self, floors: &[(String, f64)]) -> Vec<String> {
        let mut failures = Vec::new();
        for (name, floor) in floors {
            match self.get(name) {
                Some(value) if value + 1e-9 >= *floor => {}
                Some(value) => {
                    failures.push(format!("{}: {name} = {value:.4} is below the floor {floor:.4}", self.suite))
                }
                None => failures.push(format!(
                    "{}: no metric named {name} (metrics: {})",
                    self.suite,
                    self.metrics.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>().join(", ")
                )),
            }
        }
        failures
    }
}

/// Runs one suite by name.
pub fn run(suite: &str, ctx: &EvalContext) -> Result<Report> {
    if !ctx.html.engine.available() {
        bail!("this build has no {:?} extractor; rebuild with --features compare-extractors", ctx.html.engine);
    }
    match suite {
        "extraction" => suites::extraction::run(ctx),
        "extraction-fr" => suites::extraction_fr::run(ctx),
        "extraction-wcxb" => suites::extraction_wcxb::run(ctx),
        "dates" => suites::dates::run(ctx),
        "seeds" => suites::seeds::run(ctx),
        "time-fr" => suites::time_fr::run(ctx),
        "stories" => suites::stories::run(ctx),
        "ner-fr" => suites::ner_fr::run(ctx),
        "entity-linking" => suites::entity_linking::run(ctx),
        "entities-dwie" => suites::entities_dwie::run(ctx),
        "quotes" => suites::quotes::run(ctx),
        // The MEANTIME figures under the name the cross-lingual issue gives them.
        "languages" | "stories-meantime" => suites::languages::run(ctx),
        "events" => suites::events::run(ctx),
        _ => bail!("unknown suite {suite:?}; suites: {}", SUITES.join(", ")),
    }
}

/// Reads a file, gunzipping it when it is gzip.
pub fn read_maybe_gz(path: &Path) -> Result<Vec<u8>> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::MultiGzDecoder::new(&bytes[..]), &mut out)
            .with_context(|| format!("cannot gunzip {}", path.display()))?;
        Ok(out)
    } else {
        Ok(bytes)
    }
}

/// Reads and parses a JSON file. Python's `NaN` (written by `json.dump`
/// in some gold files, meaning "no value") is read as null.
pub fn read_json(path: &Path) -> Result<serde_json::Value> {
    let bytes = read_maybe_gz(path)?;
    let parsed = serde_json::from_slice(&bytes);
    match parsed {
        Ok(value) => Ok(value),
        Err(_) => {
            let text = String::from_utf8_lossy(&bytes);
            let nan = regex::Regex::new(r":\s*NaN\b").unwrap();
            serde_json::from_str(&nan.replace_all(&text, ": null"))
                .with_context(|| format!("{} is not valid JSON", path.display()))
        }
    }
}

/// Checks that a data set folder exists, with a helpful error otherwise.
fn dataset(ctx: &EvalContext, name: &str) -> Result<PathBuf> {
    let dir = ctx.data.join(name);
    if !dir.is_dir() {
        bail!(
            "data set {name} not found at {} (pass --data DIR, the folder holding the shared data sets)",
            dir.display()
        );
    }
    Ok(dir)
}
