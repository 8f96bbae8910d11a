//! `storyline events`, `timeline` and `graph`: coded events, a story's or an
//! entity's facts in date order, and the actor graph, read through the
//! pipeline's queries and printed.

use std::collections::BTreeSet;
use std::io::Write;

use anyhow::{bail, Result};
use storyline_model::Story;
use storyline_pipeline::facts::{actor_graph, entity_facts, story_facts, story_figures, FactView, GraphEdge};
use storyline_pipeline::query::entities_named;
use storyline_store::{Lookup, StoreRead};

/// A story by unique id prefix, following merges.
fn story(store: &dyn StoreRead, id: &str) -> Result<Story> {
    match store.story_by_prefix(id)? {
        Lookup::Found(s) => Ok(s),
        Lookup::Ambiguous(n) => bail!("{id:?} matches {n} stories; give more of the id"),
        Lookup::Missing => match store.story_redirect(id)? {
            Some(next) => story(store, &next),
            None => bail!("no story with id {id:?} (see `storyline stories`)"),
        },
    }
}

fn entity_ids(store: &dyn StoreRead, name: &str) -> Result<BTreeSet<String>> {
    let ids: BTreeSet<String> = entities_named(store, name)?.into_iter().map(|e| e.id).collect();
    if ids.is_empty() {
        bail!("no entity named {name:?} (see `storyline entities`)");
    }
    Ok(ids)
}

/// `storyline events`: every coded event (of one story, involving one
/// entity, of one type), one line each.
pub fn events(store: &dyn StoreRead, story_id: Option<&str>, entity: Option<&str>, kind: Option<&str>) -> Result<()> {
    let wanted = entity.map(|n| entity_ids(store, n)).transpose()?;
    if let Some(k) = kind {
        let all = storyline_pipeline::facts::event_types();
        if !all.iter().any(|t| t.eq_ignore_ascii_case(k)) {
            bail!("unknown event type {k:?}; types: {}", all.join(", "));
        }
    }
    let articles = match story_id {
        Some(id) => Some(story(store, id)?.articles),
        None => None,
    };
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{:<10}  {:<9}  {:<12}  {:<40}  {:<40}  {:<9}  trigger",
        "date", "type", "mode", "source", "target", "article"
    )?;
    let mut events = store.events(articles.as_deref())?;
    storyline_pipeline::facts::date_events(store, &mut events)?;
    for e in events {
        if kind.is_some_and(|k| !e.event.kind.eq_ignore_ascii_case(k)) {
            continue;
        }
        if let Some(w) = &wanted {
            let involved = [&e.source, &e.target].iter().any(|x| x.as_ref().is_some_and(|x| w.contains(x)));
            if !involved {
                continue;
            }
        }
        let date = e.event.date.map(|d| d.to_string()).unwrap_or_else(|| "-".into());
        writeln!(
            out,
            "{date:<10}  {:<9}  {:<12}  {:<40}  {:<40}  {:<9}  {}",
            e.event.kind,
            e.event.mode.as_str(),
            crate::truncate(&e.event.source.text, 40),
            crate::truncate(&e.event.target.text, 40),
            &e.article[..8.min(e.article.len())],
            e.event.trigger
        )?;
    }
    Ok(())
}

fn print_facts(out: &mut impl Write, facts: &[FactView]) -> Result<()> {
    for f in facts {
        let date = f.fact.date.map(|d| d.to_string()).unwrap_or_else(|| "undated".into());
        writeln!(
            out,
            "{date:<10}  {:<9}  {} -> {}  [{}]  {} article(s), {} independent source(s)  (fact {}, story {})",
            f.fact.kind,
            f.source_name,
            f.target_name,
            f.fact.stance,
            f.fact.articles.len(),
            f.fact.independent_sources,
            &f.id[..8],
            &f.story[..8.min(f.story.len())],
        )?;
    }
    Ok(())
}

/// `storyline timeline`: a story's facts and figures, or an entity's facts
/// across stories, in date order.
pub fn timeline(store: &dyn StoreRead, story_id: Option<&str>, entity: Option<&str>) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match (story_id, entity) {
        (Some(id), None) => {
            let story = story(store, id)?;
            writeln!(out, "story {}: {}", story.id, story.title.as_deref().unwrap_or("-"))?;
            let facts = story_facts(store, &story)?;
            print_facts(&mut out, &facts)?;
            let figures = story_figures(store, &story)?;
            if !figures.is_empty() {
                writeln!(out, "figures:")?;
            }
            for (i, g) in figures.iter().enumerate() {
                let period = g.period.as_deref().unwrap_or("this story");
                let conflicts = if g.conflicts_with.is_empty() {
                    String::new()
                } else {
                    let others: Vec<String> = g.conflicts_with.iter().map(|&j| figures[j].value.to_string()).collect();
                    format!("; other sources give {}", others.join(", "))
                };
                writeln!(
                    out,
                    "  [{i}] {} {} ({period}): {} article(s){conflicts}",
                    g.value,
                    g.quantity,
                    g.articles.len()
                )?;
            }
        }
        (None, Some(name)) => {
            let ids: Vec<String> = entity_ids(store, name)?.into_iter().collect();
            print_facts(&mut out, &entity_facts(store, &ids)?)?;
        }
        _ => bail!("give --story ID or --entity NAME"),
    }
    Ok(())
}

/// Output formats of `storyline graph`.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum GraphFormat {
    /// One JSON object: `nodes` and `edges`.
    Json,
    /// GraphML, for Gephi, yEd or NetworkX.
    Graphml,
    /// One row per edge.
    Csv,
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// `storyline graph`: the actor graph (entity pairs with their facts by type
/// and date span), whole or around one entity.
pub fn graph(store: &dyn StoreRead, entity: Option<&str>, format: GraphFormat) -> Result<()> {
    let ids: Option<Vec<String>> = entity.map(|n| entity_ids(store, n)).transpose()?.map(|s| s.into_iter().collect());
    let edges: Vec<GraphEdge> = actor_graph(store, ids.as_deref())?;
    let mut nodes: Vec<(String, String)> = edges
        .iter()
        .flat_map(|e| [(e.source.clone(), e.source_name.clone()), (e.target.clone(), e.target_name.clone())])
        .collect();
    nodes.sort();
    nodes.dedup_by(|a, b| a.0 == b.0);
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string());
    let mut out = std::io::stdout().lock();
    match format {
        GraphFormat::Json => {
            let value = serde_json::json!({
                "nodes": nodes.iter().map(|(id, name)| serde_json::json!({"id": id, "name": name})).collect::<Vec<_>>(),
                "edges": edges.iter().map(|e| serde_json::json!({
                    "source": e.source, "target": e.target, "facts": e.facts, "types": e.types,
                    "first": date(e.first), "last": date(e.last),
                })).collect::<Vec<_>>(),
            });
            writeln!(out, "{}", serde_json::to_string_pretty(&value)?)?;
        }
        GraphFormat::Graphml => {
            writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
            writeln!(out, r#"<graphml xmlns="http://graphml.graphdrawing.org/xmlns">"#)?;
            writeln!(out, r#"  <key id="name" for="node" attr.name="name" attr.type="string"/>"#)?;
            writeln!(out, r#"  <key id="facts" for="edge" attr.name="facts" attr.type="int"/>"#)?;
            writeln!(out, r#"  <key id="types" for="edge" attr.name="types" attr.type="string"/>"#)?;
            writeln!(out, r#"  <key id="first" for="edge" attr.name="first" attr.type="string"/>"#)?;
            writeln!(out, r#"  <key id="last" for="edge" attr.name="last" attr.type="string"/>"#)?;
            writeln!(out, r#"  <graph id="actors" edgedefault="directed">"#)?;
            for (id, name) in &nodes {
                writeln!(
                    out,
                    r#"    <node id="{}"><data key="name">{}</data></node>"#,
                    xml_escape(id),
                    xml_escape(name)
                )?;
            }
            for e in &edges {
                let types: Vec<String> = e.types.iter().map(|(k, v)| format!("{k}:{v}")).collect();
                writeln!(
                    out,
                    r#"    <edge source="{}" target="{}"><data key="facts">{}</data><data key="types">{}</data><data key="first">{}</data><data key="last">{}</data></edge>"#,
                    xml_escape(&e.source),
                    xml_escape(&e.target),
                    e.facts,
                    types.join(" "),
                    date(e.first).unwrap_or_default(),
                    date(e.last).unwrap_or_default()
                )?;
            }
            writeln!(out, "  </graph>\n</graphml>")?;
        }
        GraphFormat::Csv => {
            let mut w = csv::Writer::from_writer(out);
            w.write_record(["source", "source_name", "target", "target_name", "facts", "types", "first", "last"])?;
            for e in &edges {
                let types: Vec<String> = e.types.iter().map(|(k, v)| format!("{k}:{v}")).collect();
                w.write_record([
                    e.source.clone(),
                    e.source_name.clone(),
                    e.target.clone(),
                    e.target_name.clone(),
                    e.facts.to_string(),
                    types.join(" "),
                    date(e.first).unwrap_or_default(),
                    date(e.last).unwrap_or_default(),
                ])?;
            }
            w.flush()?;
        }
    }
    Ok(())
}
