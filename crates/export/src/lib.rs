//! Exports of a store: the JSON contract (docs/json-schema.md), JSON Lines,
//! CSV, and Parquet (one file per table, [`parquet`]). Articles are streamed
//! from the store, never all held at once. The CLI's `export` and the
//! server's `/api/export` both call this crate.

pub mod parquet;

use std::io::Write;

use anyhow::Result;
use serde_json::json;
use storyline_model::Article;
use storyline_store::StoreRead;

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One JSON object with arrays `articles`, `stories`, `entities`,
    /// `times`, `quotes`, `events`, `facts`, `figures`.
    Json,
    /// One JSON object per line, each with a `type` field.
    Jsonl,
    /// Articles as CSV (one row per article).
    Csv,
}

/// The JSON form of an article (contract fields, then extras).
fn article_json(store: &dyn StoreRead, a: &Article) -> serde_json::Value {
    let passages: Vec<serde_json::Value> = store
        .shared_passages_of(&a.id)
        .unwrap_or_default()
        .into_iter()
        .map(|(other, start, end)| {
            let text: String = a.text.chars().skip(start).take(end - start).collect();
            json!({"article": other, "start": start, "end": end, "text": text})
        })
        .collect();
    json!({
        "id": a.id,
        "source": a.source,
        "external_id": a.external_id,
        "title": a.title,
        "lang": a.lang,
        "published": a.published.map(|d| d.to_string()),
        "published_source": a.published_source.map(|s| s.as_str()),
        "published_range": a.published_range.map(|r| r.map(|d| d.map(|d| d.to_string()))),
        "author": a.author,
        "text": a.text,
        "story": a.story,
        "duplicate_of": a.duplicate_of,
        "kind": if is_brief(&a.text) { "brief" } else { "article" },
        "shared_passages": passages,
        "site_name": a.site_name,
        "url": a.url,
    })
}

/// Most characters of a brief: a headline or a flash of one paragraph.
pub const BRIEF_CHARS: usize = 320;

/// Whether an article is a brief: one short paragraph, no body beyond it.
pub fn is_brief(text: &str) -> bool {
    !text.trim().contains("\n\n") && text.chars().count() <= BRIEF_CHARS
}

/// The date expressions of an article, resolved against its publication
/// date; none for an undated article (relative days would be guesses).
pub fn times_of(a: &Article) -> Vec<storyline_nlp::time::TimeExpression> {
    a.published.map(|reference| storyline_nlp::time::find_time_expressions(&a.text, reference)).unwrap_or_default()
}

fn times_json(a: &Article) -> Vec<serde_json::Value> {
    times_of(a)
        .into_iter()
        .map(|t| json!({"article": a.id, "start": t.start, "end": t.end, "text": t.text, "value": t.value.to_string()}))
        .collect()
}

/// The JSON form of a stored attribution (contract fields, then extras).
fn quote_json(q: &storyline_store::StoredQuote) -> serde_json::Value {
    let quote = &q.quote;
    json!({
        "article": q.article,
        "speaker": q.speaker,
        "speaker_text": quote.speaker_text,
        "cue": quote.cue,
        "kind": quote.kind.as_str(),
        "text": quote.text,
        "start": quote.start,
        "end": quote.end,
        "cue_class": quote.cue_class,
        "cue_span": quote.cue_span,
        "speaker_span": quote.speaker_span,
        "negated": quote.negated,
        "denial": quote.denial,
        "date": quote.date.map(|d| d.to_string()),
    })
}

/// The events, facts and figures of a store (contract: docs/json-schema.md),
/// computed story by story: each event names the fact it belongs to.
pub struct EventTables {
    /// One object per coded event.
    pub events: Vec<serde_json::Value>,
    /// One object per fact (an act confirmed across a story's sources).
    pub facts: Vec<serde_json::Value>,
    /// One object per figure group (a value for a quantity in a story).
    pub figures: Vec<serde_json::Value>,
}

fn actor_json(a: &storyline_model::EventActor) -> serde_json::Value {
    json!({"text": a.text, "start": a.span[0], "end": a.span[1], "country": a.country, "sector": a.sector})
}

/// Reads the events of every story, groups them into facts and the
/// figures into groups.
pub fn event_tables(store: &dyn StoreRead) -> Result<EventTables> {
    let mut fact_of: std::collections::HashMap<(String, usize), String> = std::collections::HashMap::new();
    let mut story_of: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    let (mut facts, mut figures) = (Vec::new(), Vec::new());
    for story in store.stories()? {
        for a in &story.articles {
            story_of.insert(a.clone(), story.id.clone());
        }
        for f in storyline_pipeline::facts::story_facts(store, &story)? {
            for r in &f.fact.reports {
                fact_of.insert((r.article.clone(), r.index), f.id.clone());
            }
            facts.push(json!({
                "id": f.id,
                "story": f.story,
                "type": f.fact.kind,
                "source": f.source_entity,
                "target": f.target_entity,
                "source_name": f.source_name,
                "target_name": f.target_name,
                "stance": f.fact.stance,
                "date": f.fact.date.map(|d| d.to_string()),
                "articles": f.fact.articles,
                "independent_sources": f.fact.independent_sources,
            }));
        }
        let groups = storyline_pipeline::facts::story_figures(store, &story)?;
        let base = figures.len();
        for g in &groups {
            figures.push(json!({
                "story": story.id,
                "quantity": g.quantity,
                "period": g.period,
                "value": g.value,
                "articles": g.articles,
                "texts": g.reports.iter().map(|r| json!({"article": r.article, "text": r.figure.text, "qualifier": r.figure.qualifier, "start": r.figure.start, "end": r.figure.end})).collect::<Vec<_>>(),
                "conflicts_with": g.conflicts_with.iter().map(|j| base + j).collect::<Vec<_>>(),
            }));
        }
    }
    let mut stored_events = store.events(None)?;
    storyline_pipeline::facts::date_events(store, &mut stored_events)?;
    let events = stored_events
        .into_iter()
        .map(|e| {
            let ev = &e.event;
            json!({
                "article": e.article,
                "type": ev.kind,
                "class": ev.class,
                "source": e.source,
                "target": e.target,
                "source_text": ev.source.text,
                "target_text": ev.target.text,
                "source_actor": actor_json(&ev.source),
                "target_actor": actor_json(&ev.target),
                "mode": ev.mode.as_str(),
                "attribution": ev.attribution,
                "trigger": ev.trigger,
                "date": ev.date.map(|d| d.to_string()),
                "date_source": ev.date_source,
                "location": ev.location.as_ref().map(|l| l.text.clone()),
                "start": ev.start,
                "end": ev.end,
                "story": story_of.get(&e.article),
                "fact": fact_of.get(&(e.article.clone(), e.index)),
            })
        })
        .collect();
    Ok(EventTables { events, facts, figures })
}

/// Every entity with its mentions (contract: docs/json-schema.md).
pub fn entities_json(store: &dyn StoreRead) -> Result<Vec<serde_json::Value>> {
    let mut mentions: std::collections::HashMap<String, Vec<serde_json::Value>> = std::collections::HashMap::new();
    for (article, list) in store.mentions()? {
        for (m, entity) in list {
            if let Some(entity) = entity {
                mentions.entry(entity).or_default().push(json!({
                    "article": article, "start": m.start, "end": m.end, "text": m.text,
                    "role": m.role, "role_country": m.role_country,
                }));
            }
        }
    }
    Ok(store
        .entities()?
        .into_iter()
        .map(|(e, _, _)| {
            json!({
                "id": e.id, "name": e.name, "type": e.kind.as_str(), "aliases": e.aliases, "roles": e.roles,
                "mentions": mentions.remove(&e.id).unwrap_or_default(),
            })
        })
        .collect())
}

/// Writes the whole store in `format`.
pub fn export(store: &dyn StoreRead, format: Format, mut out: impl Write) -> Result<()> {
    let stories = store.stories()?;
    let mut failure: Option<std::io::Error> = None;
    match format {
        Format::Json => {
            out.write_all(b"{\"articles\":[")?;
            let mut first = true;
            store.for_each_article(&mut |a| {
                if failure.is_some() {
                    return;
                }
                let sep: &[u8] = if first { b"\n" } else { b",\n" };
                first = false;
                if let Err(e) = out.write_all(sep).and_then(|_| {
                    serde_json::to_writer(&mut out, &article_json(store, &a)).map_err(std::io::Error::from)
                }) {
                    failure = Some(e);
                }
            })?;
            out.write_all(b"\n],\"stories\":")?;
            serde_json::to_writer(&mut out, &stories)?;
            out.write_all(b",\"entities\":")?;
            serde_json::to_writer(&mut out, &entities_json(store)?)?;
            out.write_all(b",\"times\":[")?;
            let mut first = true;
            store.for_each_article(&mut |a| {
                for t in times_json(&a) {
                    if failure.is_some() {
                        return;
                    }
                    let sep: &[u8] = if first { b"\n" } else { b",\n" };
                    first = false;
                    if let Err(e) = out
                        .write_all(sep)
                        .and_then(|_| serde_json::to_writer(&mut out, &t).map_err(std::io::Error::from))
                    {
                        failure = Some(e);
                    }
                }
            })?;
            out.write_all(b"\n],\"quotes\":[")?;
            for (i, q) in store.quotes(None)?.iter().enumerate() {
                out.write_all(if i == 0 { b"\n" } else { b",\n" })?;
                serde_json::to_writer(&mut out, &quote_json(q))?;
            }
            let tables = event_tables(store)?;
            for (name, rows) in [("events", &tables.events), ("facts", &tables.facts), ("figures", &tables.figures)] {
                write!(out, "\n],\"{name}\":[")?;
                for (i, row) in rows.iter().enumerate() {
                    out.write_all(if i == 0 { b"\n" } else { b",\n" })?;
                    serde_json::to_writer(&mut out, row)?;
                }
            }
            out.write_all(b"\n]}\n")?;
        }
        Format::Jsonl => {
            store.for_each_article(&mut |a| {
                if failure.is_some() {
                    return;
                }
                let mut value = article_json(store, &a);
                value["type"] = json!("article");
                let mut lines = vec![value];
                for mut t in times_json(&a) {
                    t["type"] = json!("time");
                    lines.push(t);
                }
                for line in lines {
                    let written = serde_json::to_writer(&mut out, &line)
                        .map_err(std::io::Error::from)
                        .and_then(|_| out.write_all(b"\n"));
                    if let Err(e) = written {
                        failure = Some(e);
                        return;
                    }
                }
            })?;
            for story in &stories {
                let mut value = serde_json::to_value(story)?;
                value["type"] = json!("story");
                serde_json::to_writer(&mut out, &value)?;
                out.write_all(b"\n")?;
            }
            for mut value in entities_json(store)? {
                value["type"] = json!("entity");
                serde_json::to_writer(&mut out, &value)?;
                out.write_all(b"\n")?;
            }
            for q in store.quotes(None)? {
                let mut value = quote_json(&q);
                value["type"] = json!("quote");
                serde_json::to_writer(&mut out, &value)?;
                out.write_all(b"\n")?;
            }
            let tables = event_tables(store)?;
            for (kind, rows) in [("event", tables.events), ("fact", tables.facts), ("figure", tables.figures)] {
                for mut value in rows {
                    // "type" names the record in JSON Lines; an event's or a
                    // fact's PLOVER type moves to "event_type".
                    if let Some(plover) = value.get("type").cloned() {
                        value["event_type"] = plover;
                    }
                    value["type"] = json!(kind);
                    serde_json::to_writer(&mut out, &value)?;
                    out.write_all(b"\n")?;
                }
            }
        }
        Format::Csv => {
            let mut writer = csv::Writer::from_writer(&mut out);
            writer.write_record([
                "id",
                "source",
                "external_id",
                "title",
                "lang",
                "published",
                "published_source",
                "author",
                "story",
                "duplicate_of",
                "text",
            ])?;
            let mut csv_failure = None;
            store.for_each_article(&mut |a| {
                if csv_failure.is_some() {
                    return;
                }
                let row = [
                    a.id.clone(),
                    a.source.clone(),
                    a.external_id.clone().unwrap_or_default(),
                    a.title.clone().unwrap_or_default(),
                    a.lang.clone().unwrap_or_default(),
                    a.published.map(|d| d.to_string()).unwrap_or_default(),
                    a.published_source.map(|s| s.as_str().to_string()).unwrap_or_default(),
                    a.author.clone().unwrap_or_default(),
                    a.story.clone().unwrap_or_default(),
                    a.duplicate_of.clone().unwrap_or_default(),
                    a.text.clone(),
                ];
                if let Err(e) = writer.write_record(&row) {
                    csv_failure = Some(e);
                }
            })?;
            if let Some(e) = csv_failure {
                return Err(e.into());
            }
            writer.flush()?;
        }
    }
    if let Some(e) = failure {
        return Err(e.into());
    }
    out.flush()?;
    Ok(())
}
