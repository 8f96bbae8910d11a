//! `storyline analyze`: the per-article analysis without a store, so the
//! analysis stages can sit in anyone's pipeline. Input is plain text (one
//! document) or JSON Lines (`id`, `text`, optional `lang` and `published`);
//! each document becomes one JSON object with its language, mentions,
//! resolved time expressions, attributions and events.

use std::path::Path;

use chrono::NaiveDate;
use serde_json::{json, Value};
use storyline_extract::{BatchLines, Extractor, HtmlOptions};
use storyline_model::{ContentKind, Extraction};
use storyline_sources::{read_file, SourceOptions};

/// One document to analyse.
#[derive(Debug, Clone, Default)]
pub struct InputDocument {
    /// The caller's identifier (JSON Lines `id`), or the line number.
    pub id: String,
    /// The text.
    pub text: String,
    /// Its language; detected when absent.
    pub lang: Option<String>,
    /// Its publication date: resolves relative dates and dates events.
    pub published: Option<NaiveDate>,
}

/// Reads the documents of an input: JSON Lines when its first non-blank
/// character opens an object, else the whole input as one text. A bad line
/// gives an error naming it; the other lines are still read.
pub fn read_input(input: &str, name: &str) -> Vec<Result<InputDocument, String>> {
    if !input.trim_start().starts_with('{') {
        return vec![Ok(InputDocument { id: name.to_string(), text: input.to_string(), ..Default::default() })];
    }
    input
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(n, line)| {
            let at = format!("{name}:{}", n + 1);
            let value: Value = serde_json::from_str(line).map_err(|e| format!("{at}: not a JSON object: {e}"))?;
            let text = value["text"].as_str().ok_or_else(|| format!("{at}: no \"text\" string"))?;
            let published = match value["published"].as_str() {
                Some(p) => Some(
                    NaiveDate::parse_from_str(p.get(..10).unwrap_or(p), "%Y-%m-%d")
                        .map_err(|_| format!("{at}: \"published\" is not a date (YYYY-MM-DD): {p:?}"))?,
                ),
                None => None,
            };
            let id = match &value["id"] {
                Value::String(s) => s.clone(),
                Value::Null => at.clone(),
                other => other.to_string(),
            };
            Ok(InputDocument {
                id,
                text: text.to_string(),
                lang: value["lang"].as_str().map(str::to_string),
                published,
            })
        })
        .collect()
}

/// Analyses one document: its language (given or detected), mentions, time
/// expressions (when it has a publication date), attributions and events,
/// as one JSON object.
pub fn analyze_document(doc: &InputDocument) -> Value {
    let lang = doc.lang.clone().or_else(|| storyline_nlp::detect_language(&doc.text).map(|g| g.code.to_string()));
    let extraction =
        Extraction { text: doc.text.clone(), lang: lang.clone(), published: doc.published, ..Extraction::default() };
    let analysis = crate::analyze(&extraction);
    let times: Vec<Value> = doc
        .published
        .map(|p| storyline_nlp::time::find_time_expressions(&doc.text, p))
        .unwrap_or_default()
        .into_iter()
        .map(|t| json!({"start": t.start, "end": t.end, "text": t.text, "value": t.value.to_string()}))
        .collect();
    json!({
        "id": doc.id,
        "lang": lang,
        "published": doc.published.map(|d| d.to_string()),
        "mentions": analysis.mentions,
        "times": times,
        "quotes": analysis.quotes,
        "events": analysis.events,
    })
}

/// What `storyline extract` prints for one file.
#[derive(Debug, Default)]
pub struct FileExtraction {
    /// Documents the file held.
    pub documents: usize,
    /// One JSON object per document extracted: the extraction, its source,
    /// mentions, quotes and events (and, with `explain`, each line of a
    /// plain text with the cleaner's decision).
    pub outputs: Vec<Value>,
    /// One message per document that failed, naming it.
    pub errors: Vec<String>,
}

/// Extracts and analyses every document of one file, without a store.
pub fn extract_file(file: &Path, html: HtmlOptions, explain: bool) -> FileExtraction {
    let extractor = Extractor::new(html);
    let mut out = FileExtraction::default();
    let mut docs = Vec::new();
    read_file(file, &SourceOptions::default(), &mut |item| match item {
        Ok(doc) => docs.push(doc),
        Err(err) => out.errors.push(err.to_string()),
    });
    out.documents = docs.len();
    for doc in &docs {
        let decoded = match extractor.decode(doc) {
            Ok(d) => d,
            Err(err) => {
                out.errors.push(format!("{}: {err}", doc.source));
                continue;
            }
        };
        match extractor.extract_decoded(doc, &decoded, &BatchLines::default()) {
            Ok(extraction) => {
                let mut value = serde_json::to_value(&extraction).unwrap_or(Value::Null);
                value["source"] = json!(doc.source);
                let analysis = crate::analyze(&extraction);
                value["mentions"] = json!(analysis.mentions);
                value["quotes"] = json!(analysis.quotes);
                value["events"] = json!(analysis.events);
                if let Some(id) = &doc.external_id {
                    value["external_id"] = json!(id);
                }
                if explain && doc.kind == ContentKind::Text {
                    let clean =
                        extractor.cleaner().clean(&decoded.content, extraction.lang.as_deref(), &BatchLines::default());
                    value["lines"] = clean
                        .lines
                        .iter()
                        .map(|l| json!({"role": l.role.name(), "kept": l.role.is_kept(), "doubtful": l.doubtful, "text": l.text}))
                        .collect();
                }
                out.outputs.push(value);
            }
            Err(err) => out.errors.push(format!("{}: {err}", doc.source)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_lines_are_read_line_by_line_and_a_bad_line_names_itself() {
        let input =
            "{\"id\": \"a\", \"text\": \"Hello.\", \"published\": \"2020-11-01\"}\nnot json\n{\"text\": \"x\"}\n";
        let docs = read_input(input, "in.jsonl");
        assert_eq!(docs.len(), 3);
        assert_eq!(docs[0].as_ref().unwrap().published, NaiveDate::from_ymd_opt(2020, 11, 1));
        assert!(docs[1].as_ref().unwrap_err().starts_with("in.jsonl:2: not a JSON object"));
        assert_eq!(docs[2].as_ref().unwrap().id, "in.jsonl:3");
        let plain = read_input("Just a text.", "-");
        assert_eq!(plain[0].as_ref().unwrap().text, "Just a text.");
    }

    #[test]
    fn a_document_gets_its_events_and_times() {
        let doc = InputDocument {
            id: "x".into(),
            text: "Ukraine accused Russia of shelling the city on Monday.".into(),
            lang: None,
            published: NaiveDate::from_ymd_opt(2022, 3, 10),
        };
        let out = analyze_document(&doc);
        assert_eq!(out["lang"], "en");
        assert_eq!(out["events"][0]["type"], "ACCUSE");
        assert_eq!(out["times"][0]["value"], "2022-03-07");
        assert_eq!(out["events"][0]["date"], "2022-03-07");
    }
}
