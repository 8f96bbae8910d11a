//! Private Python virtual environments for the peers scored beside
//! storyline (spaCy, htmldate, Python trafilatura): made with
//! `python3 -m venv` and filled with pip on first use, under `target/`
//! unless an environment variable names another folder.

use std::path::PathBuf;
use std::process::Command;

use anyhow::{bail, Context, Result};

/// The Python of the virtualenv at `$env_var` (else `default_dir`), created
/// when missing; `packages` are installed with pip when `import` fails.
/// `who` names the caller in the progress line.
pub fn python_with(env_var: &str, default_dir: &str, import: &str, packages: &[&str], who: &str) -> Result<PathBuf> {
    let venv = std::env::var_os(env_var).map(PathBuf::from).unwrap_or_else(|| default_dir.into());
    let python = venv.join("bin/python");
    if !python.exists() {
        eprintln!("{who}: creating {} and installing {} with pip...", venv.display(), packages.join(" "));
        let status = Command::new("python3").args(["-m", "venv"]).arg(&venv).status().context("python3 not found")?;
        if !status.success() {
            bail!("python3 -m venv {} failed", venv.display());
        }
    }
    let check = Command::new(&python).args(["-c", &format!("import {import}")]).output()?;
    if !check.status.success() {
        let status = Command::new(&python).args(["-m", "pip", "install", "--quiet"]).args(packages).status()?;
        if !status.success() {
            bail!("pip install {} failed", packages.join(" "));
        }
    }
    Ok(python)
}
