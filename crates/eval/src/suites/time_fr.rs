//! `eval time-fr`: French TimeBank. Each in-text TIMEX3 of type DATE whose
//! gold value is a full day is resolved from its gold span text against the
//! document's creation time (DCT), with the previous resolved date as anchor
//! and the sentence's tense; the score is value accuracy. This is how the
//! reference figures in the data set's README were measured (whichtime 82 %,
//! HeidelTime 84 %). Detection of the expressions is not scored here.

use anyhow::{Context, Result};
use chrono::NaiveDate;
use storyline_nlp::time::{is_future_sentence, resolve_date, TimeContext};

use crate::{dataset, EvalContext, Report};

/// One TIMEX3 with its span in the plain text.
struct Timex {
    kind: String,
    value: String,
    start: usize,
    end: usize,
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let key = format!("{name}=\"");
    let at = tag.find(&key)? + key.len();
    Some(tag[at..].split('"').next()?.to_string())
}

fn decode_entities(text: &str) -> String {
    text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&")
}

/// Strips the inline XML, keeping the text and the TIMEX3 spans in it.
fn parse_tml(xml: &str) -> (String, Option<NaiveDate>, Vec<Timex>) {
    let mut text = String::new();
    let mut dct = None;
    let mut open: Vec<(String, String, usize)> = Vec::new();
    let mut timexes = Vec::new();
    let mut rest = xml;
    while let Some(lt) = rest.find('<') {
        text.push_str(&decode_entities(&rest[..lt]));
        let Some(gt) = rest[lt..].find('>') else { break };
        let tag = &rest[lt..lt + gt + 1];
        rest = &rest[lt + gt + 1..];
        if tag.starts_with("<TIMEX3") {
            if attr(tag, "functionInDocument").as_deref() == Some("CREATION_TIME") {
                dct = attr(tag, "value").and_then(|v| NaiveDate::parse_from_str(v.get(..10)?, "%Y-%m-%d").ok());
            }
            if !tag.ends_with("/>") {
                open.push((attr(tag, "type").unwrap_or_default(), attr(tag, "value").unwrap_or_default(), text.len()));
            }
        } else if tag == "</TIMEX3>" {
            if let Some((kind, value, start)) = open.pop() {
                timexes.push(Timex { kind, value, start, end: text.len() });
            }
        }
    }
    text.push_str(&decode_entities(rest));
    timexes.sort_by_key(|t| t.start);
    (text, dct, timexes)
}

/// The sentence around a byte span: from the previous to the next sentence end.
fn sentence_around(text: &str, start: usize, end: usize) -> &str {
    let is_end = |c: char| matches!(c, '.' | '!' | '?' | '\n');
    let from = text[..start].rfind(is_end).map(|i| i + 1).unwrap_or(0);
    let to = text[end..].find(is_end).map(|i| end + i).unwrap_or(text.len());
    &text[from..to]
}

/// Runs the suite.
pub fn run(ctx: &EvalContext) -> Result<Report> {
    let dir = dataset(ctx, "fr-timebank")?.join("Data");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "tml"))
        .collect();
    files.sort();
    let (mut total, mut correct, mut unresolved) = (0usize, 0usize, 0usize);
    let mut misses = Vec::new();
    for file in &files {
        let xml = std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
        let (text, dct, timexes) = parse_tml(&xml);
        let Some(dct) = dct else { continue };
        let mut anchor: Option<NaiveDate> = None;
        for t in &timexes {
            let span = &text[t.start..t.end];
            let sentence = sentence_around(&text, t.start, t.end);
            let time_ctx = TimeContext { reference: dct, anchor, future: is_future_sentence(sentence) };
            let found = resolve_date(span, &time_ctx);
            if let Some(date) = found {
                anchor = Some(date);
            }
            let full_day = t.value.len() == 10 && NaiveDate::parse_from_str(&t.value, "%Y-%m-%d").is_ok();
            if t.kind != "DATE" || !full_day {
                continue;
            }
            total += 1;
            match found {
                Some(d) if d.to_string() == t.value => correct += 1,
                Some(d) => misses.push(format!("  wrong {span:?}: {d}, gold {} (DCT {dct})", t.value)),
                None => {
                    unresolved += 1;
                    misses.push(format!("  none  {span:?}: gold {} (DCT {dct})", t.value))
                }
            }
        }
    }
    let accuracy = correct as f64 / total.max(1) as f64;
    let mut report = Report::new("time-fr");
    report.line(format!("documents: {}, DATE expressions with a full-day gold value: {total}", files.len()));
    report.line(format!("value accuracy {accuracy:.4} ({correct}/{total}); unresolved {unresolved}"));
    report.line("reference (same protocol, data set README): HeidelTime 0.840, whichtime 0.820".to_string());
    if ctx.verbose {
        report.lines.extend(misses);
    }
    report.metric("accuracy", accuracy);
    Ok(report)
}
