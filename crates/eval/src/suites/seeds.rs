//! `eval seeds`: the five seed articles. For now: language, and the lines
//! kept and removed by the plain-text cleaner, with doubtful lines shown.
//! The seeds are read from the shared folder, never copied.

use anyhow::{bail, Context, Result};
use storyline_extract::{BatchLines, Extractor};
use storyline_model::{ContentKind, RawDocument, SourceHints};

use crate::{EvalContext, Report};

/// Runs the suite.
pub fn run(ctx: &EvalContext) -> Result<Report> {
    let mut files: Vec<_> = std::fs::read_dir(&ctx.seeds)
        .with_context(|| format!("seed folder {} not found (pass --seeds DIR)", ctx.seeds.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    if files.is_empty() {
        bail!("no .txt files in {}", ctx.seeds.display());
    }
    let extractor = Extractor::default();
    let docs: Vec<RawDocument> = files
        .iter()
        .map(|p| {
            Ok(RawDocument {
                source: p.display().to_string(),
                external_id: None,
                kind: ContentKind::Text,
                bytes: std::fs::read(p)?,
                hints: SourceHints::default(),
            })
        })
        .collect::<Result<_>>()?;
    let decoded: Vec<_> = docs.iter().map(|d| extractor.decode(d)).collect::<Result<_, _>>()?;
    let batch = BatchLines::from_texts(decoded.iter().map(|d| d.content.as_str()));

    let mut report = Report::new("seeds");
    report.line(format!("{:<28} {:>4} {:>5} {:>8} {:>8}  title", "file", "lang", "kept", "removed", "doubtful"));
    let mut french = 0;
    for (doc, dec) in docs.iter().zip(&decoded) {
        let name = std::path::Path::new(&doc.source).file_name().unwrap().to_string_lossy().to_string();
        let lang = storyline_nlp_lang(&dec.content);
        let clean = extractor.cleaner().clean(&dec.content, lang.as_deref(), &batch);
        let kept = clean.lines.iter().filter(|l| l.role.is_kept()).count();
        let doubtful: Vec<_> = clean.lines.iter().filter(|l| l.doubtful).collect();
        let out = extractor.extract_decoded(doc, dec, &batch);
        let out_lang = out.as_ref().ok().and_then(|e| e.lang.clone()).unwrap_or_else(|| "-".into());
        if out_lang == "fr" {
            french += 1;
        }
        report.line(format!(
            "{name:<28} {out_lang:>4} {kept:>5} {:>8} {:>8}  {}",
            clean.lines.len() - kept,
            doubtful.len(),
            clean.title.as_deref().unwrap_or("-")
        ));
        for line in &clean.lines {
            if ctx.verbose || line.doubtful {
                let mark = if line.role.is_kept() { "keep" } else { "drop" };
                let flag = if line.doubtful { "doubtful " } else { "" };
                report.line(format!("    {flag}{mark} {:<14} {}", line.role.name(), preview(&line.text, 90)));
            }
        }
    }
    report.line(format!("detected as French: {french} of {}", docs.len()));
    report.metric("french", french as f64 / docs.len() as f64);

    // Stories: the five articles clustered as the product clusters them.
    let names: Vec<String> = docs
        .iter()
        .map(|d| std::path::Path::new(&d.source).file_name().unwrap().to_string_lossy().chars().take(3).collect())
        .collect();
    let cluster_docs: Vec<storyline_cluster::ClusterDoc> = docs
        .iter()
        .zip(&decoded)
        .zip(&names)
        .filter_map(|((doc, dec), name)| {
            let e = extractor.extract_decoded(doc, dec, &batch).ok()?;
            let range = e.published_range.map(|r| {
                let d = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_else(|| "open".into());
                format!(" [{} .. {}]", d(r[0]), d(r[1]))
            });
            if let Some(reference) = e.published {
                let times: Vec<String> = storyline_nlp::time::find_time_expressions(&e.text, reference)
                    .iter()
                    .map(|t| format!("{:?} = {}", t.text, t.value))
                    .collect();
                report.line(format!("times {name} (against {reference}): {}", times.join("; ")));
            }
            report.line(format!(
                "date {name}: {} ({}){}",
                e.published.map(|d| d.to_string()).unwrap_or_else(|| "-".into()),
                e.published_source.map(|s| s.as_str()).unwrap_or("none"),
                range.unwrap_or_default()
            ));
            Some(storyline_cluster::ClusterDoc {
                id: name.clone(),
                lang: e.lang,
                title: e.title,
                text: e.text,
                date: e.published,
                entities: Vec::new(),
            })
        })
        .collect();
    let groups = storyline_cluster::cluster(&cluster_docs, &storyline_cluster::ClusterParams::default());
    for (i, date, first, last) in storyline_cluster::borrowed_dates(&cluster_docs, &groups) {
        report.line(format!("date {}: {date} (estimated from its story) [{first} .. {last}]", cluster_docs[i].id));
        let times: Vec<String> = storyline_nlp::time::find_time_expressions(&cluster_docs[i].text, date)
            .iter()
            .map(|t| format!("{:?} = {}", t.text, t.value))
            .collect();
        report.line(format!("times {} (against {date}): {}", cluster_docs[i].id, times.join("; ")));
    }
    let mut partition: Vec<Vec<String>> =
        groups.iter().map(|g| g.iter().map(|&i| cluster_docs[i].id.clone()).collect()).collect();
    partition.iter_mut().for_each(|g| g.sort());
    partition.sort();
    let expected = vec![vec!["000", "001", "002", "004"], vec!["003"]];
    let exact = partition == expected;
    report.line(format!(
        "stories: {} (expected {{000, 001, 002, 004}} and {{003}}): {}",
        partition.iter().map(|g| format!("{{{}}}", g.join(", "))).collect::<Vec<_>>().join(" "),
        if exact { "exact" } else { "NOT exact" }
    ));
    report.metric("partition", if exact { 1.0 } else { 0.0 });

    let texts: Vec<&str> = cluster_docs.iter().map(|d| d.text.as_str()).collect();
    let found = storyline_cluster::dedup::overlaps(&texts);
    let mut pairs: std::collections::BTreeMap<(String, String), usize> = std::collections::BTreeMap::new();
    for p in &found.passages {
        let (a, b) = (&cluster_docs[p.article].id, &cluster_docs[p.other].id);
        if a < b {
            *pairs.entry((a.clone(), b.clone())).or_default() += 1;
        }
    }
    for ((a, b), n) in pairs {
        report.line(format!("wire copy: {a} and {b} share {n} passage(s)"));
    }
    for (i, d) in found.duplicate_of.iter().enumerate() {
        if let Some(j) = d {
            report.line(format!("near-duplicate: {} of {}", cluster_docs[i].id, cluster_docs[*j].id));
        }
    }
    Ok(report)
}

fn storyline_nlp_lang(text: &str) -> Option<String> {
    storyline_extract::detect_language_code(text)
}

fn preview(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(max).collect::<String>())
    }
}
