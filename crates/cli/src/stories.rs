//! Story building after ingest, and the `stories` and `show` commands.

use std::collections::BTreeSet;
use std::io::Write;

use anyhow::{bail, Result};
use storyline_model::Story;
use storyline_store::StoreRead;

use crate::truncate;

/// `storyline entities`: one line per canonical entity.
pub fn entities(store: &dyn StoreRead, kind: Option<&str>, limit: Option<usize>) -> Result<()> {
    let kind = match kind {
        Some(k) => Some(
            storyline_model::EntityType::parse(&k.to_uppercase())
                .ok_or_else(|| anyhow::anyhow!("unknown entity type {k:?}; types: PER, LOC, ORG, MISC"))?,
        ),
        None => None,
    };
    let mut out = std::io::stdout().lock();
    writeln!(out, "{:<13}  {:<4}  {:>8}  {:>7}  name (aliases)", "id", "type", "articles", "stories")?;
    let list = store.entities()?.into_iter().filter(|(e, _, _)| kind.is_none_or(|k| e.kind == k));
    for (e, articles, stories) in list.take(limit.unwrap_or(usize::MAX)) {
        let aliases = if e.aliases.is_empty() { String::new() } else { format!(" ({})", e.aliases.join(", ")) };
        let role = e.roles.first().map(|r| format!(" [{r}]")).unwrap_or_default();
        writeln!(
            out,
            "{:<13}  {:<4}  {:>8}  {:>7}  {}",
            e.id,
            e.kind.as_str(),
            articles,
            stories,
            truncate(&format!("{}{aliases}{role}", e.name), 110)
        )?;
    }
    Ok(())
}

/// The entities a name designates, or an error that says where to look.
fn entities_named(store: &dyn StoreRead, name: &str) -> Result<Vec<storyline_model::Entity>> {
    let found = storyline_pipeline::query::entities_named(store, name)?;
    if found.is_empty() {
        bail!("no entity named {name:?} (see `storyline entities`)");
    }
    Ok(found)
}

/// `storyline stories`: one line per story, optionally only those that
/// mention an entity.
pub fn list(store: &dyn StoreRead, entity: Option<&str>) -> Result<()> {
    let articles = store.articles()?;
    let only: Option<BTreeSet<String>> = match entity {
        None => None,
        Some(name) => {
            let found = entities_named(store, name)?;
            let ids: BTreeSet<String> = found.iter().map(|e| e.id.clone()).collect();
            let with: BTreeSet<String> = store
                .mentions()?
                .into_iter()
                .filter(|(_, ms)| ms.iter().any(|(_, e)| e.as_ref().is_some_and(|e| ids.contains(e))))
                .map(|(a, _)| a)
                .collect();
            let names: Vec<String> = found.iter().map(|e| format!("{} ({})", e.name, e.id)).collect();
            eprintln!("stories mentioning {}", names.join(", "));
            Some(articles.iter().filter(|a| with.contains(&a.id)).filter_map(|a| a.story.clone()).collect())
        }
    };
    let mut out = std::io::stdout().lock();
    writeln!(out, "{:<13}  {:<10}  {:<10}  {:>7}  {:<5}  title", "id", "start", "end", "sources", "langs")?;
    for story in store.stories()?.into_iter().filter(|s| only.as_ref().is_none_or(|o| o.contains(&s.id))) {
        let langs: BTreeSet<&str> = articles
            .iter()
            .filter(|a| a.story.as_deref() == Some(story.id.as_str()))
            .filter_map(|a| a.lang.as_deref())
            .collect();
        let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_else(|| "-".into());
        writeln!(
            out,
            "{:<13}  {:<10}  {:<10}  {:>7}  {:<5}  {}",
            story.id,
            date(story.start),
            date(story.end),
            story.articles.len(),
            langs.into_iter().collect::<Vec<_>>().join(","),
            truncate(story.title.as_deref().unwrap_or("-"), 70)
        )?;
    }
    Ok(())
}

/// `storyline show ID --explain`: why these articles are together.
fn explain(store: &dyn StoreRead, story: &Story, out: &mut impl Write) -> Result<()> {
    let why = storyline_pipeline::query::explain(store, story)?;
    writeln!(out, "why together:")?;
    writeln!(out, "  shared terms and names: {}", why.shared.join(", "))?;
    for (id, sim, days) in &why.members {
        let days =
            days.map(|d| format!("{d:+} days from the first date")).unwrap_or_else(|| "undated (own evidence)".into());
        writeln!(out, "  {id}  average similarity to the others {sim:.3}; {days}")?;
    }
    let params = why.params;
    writeln!(
        out,
        "  joining needs an average similarity of {:.2}; beyond {} days from the story's dates it counts {:.0}%",
        params.threshold,
        params.max_gap_days,
        params.time_penalty * 100.0
    )?;
    if let Some((id, title, reason)) = &why.closest_outside {
        writeln!(
            out,
            "  closest article left out: {id} \"{}\": {reason}",
            truncate(title.as_deref().unwrap_or("-"), 60)
        )?;
    }
    Ok(())
}

/// `storyline show ID`: a story's sources in order.
pub fn show(store: &dyn StoreRead, id: &str, explain_it: bool) -> Result<()> {
    let stories = store.stories()?;
    let matching: Vec<&Story> = stories.iter().filter(|s| s.id.starts_with(id)).collect();
    let story = match matching.as_slice() {
        [one] => *one,
        [] => match store.story_redirect(id)? {
            Some(successor) => {
                eprintln!("story {id} was merged into {successor}");
                return show(store, &successor, explain_it);
            }
            None => bail!("no story with id {id:?} (see `storyline stories`)"),
        },
        _ => bail!("{id:?} matches {} stories; give more of the id", matching.len()),
    };
    let mut out = std::io::stdout().lock();
    writeln!(out, "story {}: {}", story.id, story.title.as_deref().unwrap_or("-"))?;
    let span = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_else(|| "?".into());
    writeln!(out, "dates: {} to {}, {} source(s)", span(story.start), span(story.end), story.articles.len())?;
    let mut timeline: Vec<(chrono::NaiveDate, String, String)> = Vec::new();
    for id in &story.articles {
        if let Some(a) = store.article(id)? {
            let passages = store.shared_passages_of(&a.id)?;
            writeln!(
                out,
                "  {}  {:<10}  {:<3}  {}  ({})",
                a.id,
                a.published.map(|d| d.to_string()).unwrap_or_else(|| "-".into()),
                a.lang.as_deref().unwrap_or("-"),
                truncate(a.title.as_deref().unwrap_or("-"), 70),
                a.source
            )?;
            for (day, sentence) in storyline_pipeline::query::dated_sentences(&a.text, a.published) {
                timeline.push((day, a.id.clone(), sentence));
            }
            if let Some(original) = &a.duplicate_of {
                writeln!(out, "      near-duplicate of {original}")?;
            }
            for (other, start, end) in passages {
                let text: String = a.text.chars().skip(start).take(end - start).collect();
                writeln!(out, "      shares with {other}: \"{}\"", truncate(&text, 90))?;
            }
        }
    }
    let statements = storyline_pipeline::query::statements(store, &story.articles)?;
    if !statements.is_empty() {
        writeln!(out, "statements (speaker, independent sources / reports):")?;
        print_statements(&statements, &mut out)?;
    }
    if explain_it {
        explain(store, story, &mut out)?;
    }
    timeline.sort();
    timeline.dedup_by(|a, b| a.0 == b.0 && a.2 == b.2);
    if !timeline.is_empty() {
        writeln!(out, "timeline:")?;
        for (date, article, sentence) in timeline {
            writeln!(out, "  {date}  {}  {}", &article[..8], truncate(&sentence, 110))?;
        }
    }
    Ok(())
}

/// Statements grouped by speaker, each with how many independent sources
/// and reports carry it.
fn print_statements(statements: &[storyline_pipeline::query::StatementView], out: &mut impl Write) -> Result<()> {
    let mut by_speaker: Vec<(String, Vec<&storyline_pipeline::query::StatementView>)> = Vec::new();
    for view in statements {
        let name = view.speaker_name.clone().unwrap_or_else(|| "(unattributed)".into());
        match by_speaker.iter_mut().find(|(n, _)| *n == name) {
            Some((_, list)) => list.push(view),
            None => by_speaker.push((name, vec![view])),
        }
    }
    for (speaker, list) in by_speaker {
        writeln!(out, "  {speaker}")?;
        for view in list {
            let first = &view.quotes[0].quote;
            let flags = [(first.denial, "denial"), (first.negated, "negated")]
                .iter()
                .filter(|(on, _)| *on)
                .map(|(_, name)| *name)
                .collect::<Vec<_>>()
                .join(",");
            writeln!(
                out,
                "    {}/{}  {:<8} {:<14} {}{}",
                view.statement.independent_sources,
                view.statement.sources.len(),
                first.kind.as_str(),
                truncate(if first.cue.is_empty() { "(continued)" } else { &first.cue }, 14),
                truncate(&view.statement.text, 90),
                if flags.is_empty() { String::new() } else { format!("  [{flags}]") }
            )?;
        }
    }
    Ok(())
}

/// `storyline quotes`: the statements of one story, or of every story,
/// optionally only those of one speaker.
pub fn quotes(store: &dyn StoreRead, story: Option<&str>, entity: Option<&str>) -> Result<()> {
    let speakers: Option<BTreeSet<String>> = match entity {
        None => None,
        Some(name) => Some(entities_named(store, name)?.into_iter().map(|e| e.id).collect()),
    };
    let stories = store.stories()?;
    let chosen: Vec<&Story> = match story {
        None => stories.iter().collect(),
        Some(id) => {
            let matching: Vec<&Story> = stories.iter().filter(|s| s.id.starts_with(id)).collect();
            match matching.len() {
                1 => matching,
                0 => match store.story_redirect(id)? {
                    Some(successor) => stories.iter().filter(|s| s.id == successor).collect(),
                    None => bail!("no story with id {id:?} (see `storyline stories`)"),
                },
                n => bail!("{id:?} matches {n} stories; give more of the id"),
            }
        }
    };
    let mut out = std::io::stdout().lock();
    for story in chosen {
        let mut statements = storyline_pipeline::query::statements(store, &story.articles)?;
        if let Some(wanted) = &speakers {
            statements.retain(|v| v.statement.speaker.as_ref().is_some_and(|s| wanted.contains(s)));
        }
        if statements.is_empty() {
            continue;
        }
        writeln!(out, "story {}: {}", story.id, truncate(story.title.as_deref().unwrap_or("-"), 80))?;
        print_statements(&statements, &mut out)?;
    }
    Ok(())
}
