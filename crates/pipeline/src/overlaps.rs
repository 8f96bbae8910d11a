//! Incremental near-duplicates and shared passages: a new article is
//! compared only with the stored articles that share one of its winnowed
//! shingle fingerprints, so the work follows the batch, not the store.

use std::collections::HashSet;

use chrono::NaiveDate;
use rayon::prelude::*;
use storyline_cluster::dedup::{fingerprints, overlaps};
use storyline_store::{OverlapChanges, PipelineStore, Result};

/// Articles compared with each new one at most (those sharing the most fingerprints).
const CANDIDATES: usize = 16;

/// Fingerprints a candidate must share: one is chance more often than
/// not (a common phrase); a passage long enough to matter, and any
/// near-duplicate, yields two or more.
const MIN_SHARED: usize = 2;

/// A new article for the stage: id, own date, clean text.
pub struct NewText<'a> {
    /// Article id.
    pub id: &'a str,
    /// Its own date.
    pub date: Option<NaiveDate>,
    /// Its clean body.
    pub text: &'a str,
}

/// Finds and writes the batch's near-duplicates and shared passages. The
/// earlier article in the canonical order (date, then id) is the original.
/// Candidates are read from the store first, then each article is compared
/// with its own in parallel.
pub fn find_overlaps(store: &mut impl PipelineStore, batch: &[NewText<'_>]) -> Result<OverlapChanges> {
    let prints: Vec<(String, Vec<u64>)> = batch.par_iter().map(|a| (a.id.to_string(), fingerprints(a.text))).collect();
    store.put_fingerprints(&prints)?;
    let mut groups: Vec<Vec<(String, Option<NaiveDate>, String)>> = Vec::with_capacity(batch.len());
    for (article, (_, hashes)) in batch.iter().zip(&prints) {
        let candidates: Vec<String> = store
            .articles_by_fingerprints(hashes, MIN_SHARED, CANDIDATES + 1)?
            .into_iter()
            .filter(|(id, _)| id != article.id)
            .take(CANDIDATES)
            .map(|(id, _)| id)
            .collect();
        groups.push(if candidates.is_empty() { Vec::new() } else { store.texts(&candidates)? });
    }
    let batch_ids: HashSet<&str> = batch.iter().map(|a| a.id).collect();
    let found: Vec<OverlapChanges> =
        batch.par_iter().zip(groups).map(|(article, texts)| compare(article, texts, &batch_ids)).collect();
    let mut changes = OverlapChanges::default();
    for f in found {
        changes.duplicates.extend(f.duplicates);
        changes.passages.extend(f.passages);
    }
    changes.duplicates.sort();
    changes.duplicates.dedup();
    store.put_overlaps(&changes)?;
    Ok(changes)
}

/// One new article against its candidates.
fn compare(
    article: &NewText<'_>,
    mut texts: Vec<(String, Option<NaiveDate>, String)>,
    batch_ids: &HashSet<&str>,
) -> OverlapChanges {
    let mut changes = OverlapChanges::default();
    if texts.is_empty() {
        return changes;
    }
    texts.push((article.id.to_string(), article.date, article.text.to_string()));
    texts.sort_by(|a, b| (a.1.is_none(), a.1, &a.0).cmp(&(b.1.is_none(), b.1, &b.0)));
    let me = texts.iter().position(|t| t.0 == article.id).unwrap_or(0);
    let refs: Vec<&str> = texts.iter().map(|t| t.2.as_str()).collect();
    let found = overlaps(&refs);
    for (k, original) in found.duplicate_of.iter().enumerate() {
        // This article's original, or a stored article this one is the original of.
        if let Some(o) = original {
            if k == me || (*o == me && !batch_ids.contains(texts[k].0.as_str())) {
                changes.duplicates.push((texts[k].0.clone(), texts[*o].0.clone()));
            }
        }
    }
    for p in found.passages {
        // Passages of this article, and of stored articles it shares them with
        // (a pair of new articles is written from each side once).
        let stored_side = p.other == me && !batch_ids.contains(texts[p.article].0.as_str());
        if p.article == me || stored_side {
            changes.passages.push((texts[p.article].0.clone(), texts[p.other].0.clone(), p.start, p.end));
        }
    }
    changes
}
