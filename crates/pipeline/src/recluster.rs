//! `storyline recluster`: the canonical partition of the whole store,
//! recomputed from scratch (what every ingest did before ingest became
//! incremental). Entities are linked over every stored mention, all
//! articles are clustered in the canonical order with document frequencies
//! of the whole store, near-duplicates are compared over the whole store,
//! and every index the incremental path reads is rebuilt. Story ids are
//! kept where a story keeps most of its members; ids that vanish redirect
//! to the story that holds most of their members. One transaction: a
//! killed recluster leaves the store as it was.

use std::collections::HashMap;

use anyhow::Result;
use storyline_cluster::{dedup, ClusterDoc};
use storyline_entities::{index_keys, ArticleMentions};
use storyline_model::Article;
use storyline_store::{FeatureDoc, OverlapChanges, PipelineStore};

use crate::Pipeline;

/// What a recluster did.
#[derive(Debug, Clone, Default)]
pub struct ReclusterSummary {
    /// Articles clustered.
    pub articles: usize,
    /// Stories after it.
    pub stories: usize,
    /// Entities after it.
    pub entities: usize,
    /// Story ids merged away (redirected).
    pub merged: usize,
}

/// Recomputes entities, stories and near-duplicates of the whole store.
pub fn recluster(pipeline: &Pipeline, store: &mut impl PipelineStore) -> Result<ReclusterSummary> {
    store.begin()?;
    match run(pipeline, store) {
        Ok(summary) => {
            store.commit()?;
            Ok(summary)
        }
        Err(err) => {
            let _ = store.rollback();
            Err(err)
        }
    }
}

fn run(pipeline: &Pipeline, store: &mut impl PipelineStore) -> Result<ReclusterSummary> {
    let ids = store.article_ids()?;
    let old_story: HashMap<String, String> =
        store.articles_by_id(&ids)?.into_iter().filter_map(|a| a.story.clone().map(|s| (a.id, s))).collect();
    let mut mentions = store.mentions_of(&ids)?;
    store.reset_derived()?;
    let articles: Vec<Article> = store.articles_by_id(&ids)?;

    // Mentions for articles never read for them (stores from older versions).
    let missing: Vec<usize> = (0..articles.len()).filter(|&i| mentions[i].is_none()).collect();
    let texts: Vec<(String, Option<String>)> =
        missing.iter().map(|&i| (articles[i].text.clone(), articles[i].lang.clone())).collect();
    let found = pipeline.mentions(texts);
    let mut newly = Vec::new();
    for (&i, m) in missing.iter().zip(found) {
        newly.push((articles[i].id.clone(), m.clone()));
        mentions[i] = Some(m);
    }
    store.put_mentions(&newly)?;

    // Entities over every mention.
    let input: Vec<ArticleMentions> = articles
        .iter()
        .zip(&mentions)
        .map(|(a, m)| ArticleMentions {
            article: a.id.clone(),
            lang: a.lang.clone(),
            mentions: m.clone().unwrap_or_default(),
        })
        .collect();
    let linked = storyline_entities::link(&input);
    let mut keys = Vec::new();
    let mut links = Vec::new();
    for (a, article) in input.iter().enumerate() {
        for (m, mention) in article.mentions.iter().enumerate() {
            let id = &linked.entities[linked.assignment[a][m]].id;
            links.push((article.article.clone(), mention.start, mention.end, id.clone()));
            keys.extend(index_keys(&mention.text, mention.kind).into_iter().map(|k| (k, id.clone())));
        }
    }
    keys.sort();
    keys.dedup();
    store.put_entities(&linked.entities, &keys)?;
    store.link_mentions(&links)?;

    // Stories over every article, in the canonical order.
    let stage = pipeline.story_stage();
    let docs: Vec<ClusterDoc> = articles
        .iter()
        .enumerate()
        .map(|(a, article)| ClusterDoc {
            id: article.id.clone(),
            lang: article.lang.clone(),
            title: article.title.clone(),
            text: article.text.clone(),
            date: article.published,
            entities: linked.assignment[a].iter().map(|&e| linked.entities[e].id.clone()).collect(),
        })
        .collect();
    let features: Vec<FeatureDoc> = docs
        .iter()
        .map(|d| FeatureDoc {
            id: d.id.clone(),
            date: d.date,
            title: d.title.clone(),
            counts: stage.counts(d),
            story: old_story.get(&d.id).cloned(),
        })
        .collect();
    let changes = stage.full(store, features)?;

    // Near-duplicates and shared passages over the whole store, the earlier article first.
    let mut order: Vec<usize> = (0..docs.len()).collect();
    order.sort_by_key(|&i| storyline_cluster::canonical_key(&docs[i]));
    let texts: Vec<&str> = order.iter().map(|&i| docs[i].text.as_str()).collect();
    let found = dedup::overlaps(&texts);
    let id = |k: usize| docs[order[k]].id.clone();
    let overlaps = OverlapChanges {
        duplicates: found.duplicate_of.iter().enumerate().filter_map(|(k, d)| d.map(|d| (id(k), id(d)))).collect(),
        passages: found.passages.iter().map(|p| (id(p.article), id(p.other), p.start, p.end)).collect(),
    };
    store.put_overlaps(&overlaps)?;
    let prints: Vec<(String, Vec<u64>)> = docs.iter().map(|d| (d.id.clone(), dedup::fingerprints(&d.text))).collect();
    store.put_fingerprints(&prints)?;
    // Every article read here is indexed now, also those a worker stored
    // and left for the indexing process.
    store.mark_indexed(&ids)?;
    store.set_fact("last_recluster", &chrono::Utc::now().to_rfc3339())?;
    Ok(ReclusterSummary {
        articles: docs.len(),
        stories: changes.updates.len(),
        entities: linked.entities.len(),
        merged: changes.merged.len(),
    })
}
