//! htmldate (Python), the reference for publication dates, run beside our
//! own date finder in `eval dates` and `eval extraction-wcxb`. It is
//! installed with pip into a private virtual environment on first use
//! (`target/htmldate-venv`, or `$STORYLINE_HTMLDATE_VENV`); when that fails
//! (no Python, no network) the suites say so and go on without it.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

/// htmldate's dates for a list of pages, in both of its modes.
pub struct HtmldateDates {
    /// The installed htmldate version.
    pub version: String,
    /// Per page: (extensive search, fast), each `YYYY-MM-DD` or `None`.
    pub dates: Vec<(Option<String>, Option<String>)>,
}

/// Runs htmldate on pages given as (URL, gzipped HTML file).
pub fn htmldate_dates(pages: &[(Option<String>, PathBuf)], work: &Path) -> Result<HtmldateDates> {
    let python =
        crate::venv::python_with("STORYLINE_HTMLDATE_VENV", "target/htmldate-venv", "htmldate", &["htmldate"], "eval")?;
    let version = Command::new(&python).args(["-c", "import htmldate; print(htmldate.__version__)"]).output()?;
    let version = String::from_utf8_lossy(&version.stdout).trim().to_string();
    std::fs::create_dir_all(work)?;
    let input = work.join("storyline_htmldate_input.jsonl");
    let mut body = String::new();
    for (url, path) in pages {
        body.push_str(&serde_json::json!({ "url": url, "path": path }).to_string());
        body.push('\n');
    }
    std::fs::write(&input, body)?;
    let script = work.join("storyline_htmldate_dates.py");
    std::fs::write(&script, include_str!("../python/htmldate_dates.py"))?;
    let output = Command::new(&python).arg(&script).arg(&input).output().context("running htmldate")?;
    if !output.status.success() {
        bail!("htmldate failed: {}", String::from_utf8_lossy(&output.stderr));
    }
    let dates: Vec<(Option<String>, Option<String>)> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| {
            let v: serde_json::Value = serde_json::from_str(line)?;
            let date = |k: &str| v[k].as_str().map(str::to_string);
            Ok((date("extensive"), date("fast")))
        })
        .collect::<Result<_>>()?;
    if dates.len() != pages.len() {
        bail!("htmldate returned {} dates for {} pages", dates.len(), pages.len());
    }
    Ok(HtmldateDates { version, dates })
}
