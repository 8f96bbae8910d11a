//! Story building after ingest, and the `stories` and `show` commands.

use std::collections::BTreeSet;
use std::io::Write;

use anyhow::{bail, Result};
use storyline_cluster::{
    borrowed_dates, cluster_vectors, most_central, story_id, ClusterDoc, ClusterParams, Featurizer,
};
use storyline_model::Story;
use storyline_store::Store;

use crate::truncate;

/// The stored articles and what the clusterer sees of them. Dates borrowed
/// from earlier stories are not evidence: each article counts with its own.
fn cluster_inputs(store: &Store) -> Result<(Vec<storyline_model::Article>, Vec<ClusterDoc>)> {
    let articles = store.articles()?;
    let borrowed = store.borrowed_dates()?;
    let docs = articles
        .iter()
        .map(|a| ClusterDoc {
            id: a.id.clone(),
            lang: a.lang.clone(),
            title: a.title.clone(),
            text: a.text.clone(),
            date: if borrowed.contains(&a.id) { None } else { a.published },
        })
        .collect();
    Ok((articles, docs))
}

/// Re-clusters every stored article and writes the stories. All articles
/// are clustered in a canonical order, so the stories do not depend on the
/// order or the batches in which articles arrived, and a story keeps its id
/// as long as its earliest article does.
pub fn rebuild(store: &mut Store) -> Result<usize> {
    let (articles, docs) = cluster_inputs(store)?;
    let params = ClusterParams::default();
    let vectors = Featurizer::new(params).vectors(&docs);
    let groups = cluster_vectors(&docs, &vectors, &params);
    let stories: Vec<Story> = groups
        .iter()
        .map(|members| {
            let central = most_central(members, &vectors).unwrap_or(members[0]);
            let dates: Vec<_> = members.iter().filter_map(|&m| docs[m].date).collect();
            Story {
                id: story_id(&articles[members[0]].id),
                title: articles[central].title.clone(),
                articles: members.iter().map(|&m| articles[m].id.clone()).collect(),
                start: dates.iter().min().copied(),
                end: dates.iter().max().copied(),
            }
        })
        .collect();
    let lent: Vec<_> = borrowed_dates(&docs, &groups)
        .into_iter()
        .map(|(i, date, first, last)| (docs[i].id.clone(), date, first, last))
        .collect();
    store.replace_stories(&stories, &lent)?;

    // Near-duplicates and wire passages, the earlier article first.
    let mut order: Vec<usize> = (0..docs.len()).collect();
    order.sort_by_key(|&i| storyline_cluster::canonical_key(&docs[i]));
    let texts: Vec<&str> = order.iter().map(|&i| docs[i].text.as_str()).collect();
    let found = storyline_cluster::dedup::overlaps(&texts);
    let id = |k: usize| docs[order[k]].id.clone();
    let duplicates: Vec<(String, String)> =
        found.duplicate_of.iter().enumerate().filter_map(|(k, d)| d.map(|d| (id(k), id(d)))).collect();
    let passages: Vec<(String, String, usize, usize)> =
        found.passages.iter().map(|p| (id(p.article), id(p.other), p.start, p.end)).collect();
    store.replace_overlaps(&duplicates, &passages)?;
    Ok(stories.len())
}

/// `storyline stories`: one line per story.
pub fn list(store: &Store) -> Result<()> {
    let articles = store.articles()?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{:<13}  {:<10}  {:<10}  {:>7}  {:<5}  title", "id", "start", "end", "sources", "langs")?;
    for story in store.stories()? {
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
fn explain(store: &Store, story: &Story, out: &mut impl Write) -> Result<()> {
    let (articles, docs) = cluster_inputs(store)?;
    let params = ClusterParams::default();
    let (vectors, names) = Featurizer::new(params).vectors_with_names(&docs);
    let members: Vec<usize> =
        story.articles.iter().filter_map(|id| articles.iter().position(|a| &a.id == id)).collect();
    let why = storyline_cluster::explain(&docs, &vectors, &names, &members, &params);
    writeln!(out, "why together:")?;
    writeln!(out, "  shared terms and names: {}", why.shared.join(", "))?;
    for (m, sim, days) in &why.members {
        let days =
            days.map(|d| format!("{d:+} days from the first date")).unwrap_or_else(|| "undated (own evidence)".into());
        writeln!(out, "  {}  average similarity to the others {sim:.3}; {days}", &articles[*m].id)?;
    }
    writeln!(
        out,
        "  joining needs an average similarity of {:.2}; beyond {} days from the story's dates it counts {:.0}%",
        params.threshold,
        params.max_gap_days,
        params.time_penalty * 100.0
    )?;
    if let Some((i, _, reason)) = &why.closest_outside {
        writeln!(
            out,
            "  closest article left out: {} \"{}\": {reason}",
            articles[*i].id,
            truncate(articles[*i].title.as_deref().unwrap_or("-"), 60)
        )?;
    }
    Ok(())
}

/// `storyline show ID`: a story's sources in order.
pub fn show(store: &Store, id: &str, explain_it: bool) -> Result<()> {
    let stories = store.stories()?;
    let matching: Vec<&Story> = stories.iter().filter(|s| s.id.starts_with(id)).collect();
    let story = match matching.as_slice() {
        [one] => *one,
        [] => bail!("no story with id {id:?} (see `storyline stories`)"),
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
            for t in crate::export::times_of(&a) {
                timeline.push((t.value, a.id.clone(), sentence_at(&a.text, t.start, t.end)));
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

/// The sentence holding the character span `start..end`.
fn sentence_at(text: &str, start: usize, end: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    let is_end = |c: &char| matches!(c, '.' | '!' | '?' | '\n');
    let from = chars[..start.min(chars.len())].iter().rposition(is_end).map(|i| i + 1).unwrap_or(0);
    let to = chars[end.min(chars.len())..].iter().position(is_end).map(|i| end + i + 1).unwrap_or(chars.len());
    chars[from..to].iter().collect::<String>().trim().to_string()
}
