//! Incremental story assignment.
//!
//! Each new article is scored against the stories its strongest features
//! find in the store's index (their summary vectors, with the time gate),
//! never against every story. The stories that come close form the batch's
//! neighbourhood: their most recent members and the new articles are
//! clustered again with the same canonical algorithm a full recluster runs
//! (greedy average link in date order, refinement, small stories absorbed),
//! with document frequencies from the whole store. Only what the new
//! articles touch may change: a group without a new article never splits
//! an old story and merges two only above a bar. The neighbourhood's old
//! stories are then matched to the new groups by shared members, so a
//! story keeps its id as long as it keeps most of its members; a story
//! whose members moved into another is recorded as merged into it (its id
//! redirects there). Stories whose dates lie beyond the time window of an
//! article score a tenth and never enter its neighbourhood.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use storyline_cluster::{
    cluster_vectors, gap_days, mean_vector, most_central, sparse_dot, story_id, strongest_features, ClusterDoc,
    ClusterParams, Featurizer, SparseVec, POSTING_LIMIT, SCORED_CANDIDATES,
};
use storyline_entities::UnionFind;
use storyline_store::{FeatureDoc, PipelineStore, Result, StoryChanges, StorySummary, StoryUpdate};

/// Stories an article pulls into the neighbourhood: its best-scoring
/// candidates, whatever their score (the clustering decides, and a story
/// clustered again with its neighbours may be corrected: a floor of 0.02
/// made the stage 2.5 times faster but cost 0.007 B3-F1 on ECB+ train).
/// Tuned on the ECB+ train topics, one article at a time (3: B3-F1 0.914,
/// 6: 0.933, 10: 0.930, 16: 0.928).
pub const NEIGHBOURS_PER_ARTICLE: usize = 6;

/// Members of a neighbour story clustered again (the most recent): bounds
/// the work a very large story brings.
pub const MEMBERS_PER_STORY: usize = 48;

/// Two new articles of a batch share a component when their similarity
/// reaches this share of the lowest joining threshold.
const COMPONENT_EDGE_FACTOR: f32 = 0.5;

/// Two old stories that no new article touches merge when the mean
/// similarity of their members reaches this. Chosen on ECB+ train, one
/// article at a time: such merges of one event scored 0.188-0.325 there,
/// the one merge of two events 0.158; this is the middle of the gap.
pub const UNTOUCHED_MERGE_BAR: f32 = 0.17;

/// New articles clustered together at most; a larger batch is assigned in
/// groups of this many, in order. Within one group every story is new, so
/// two pieces of one event that the clustering keeps apart never meet as
/// old stories ([`UNTOUCHED_MERGE_BAR`]); groups make a large batch end as
/// the smaller batches it could have been sent in. ECB+ dev in one batch of
/// 197: B3-F1 0.9830, in groups of 32 to 128: 1.0000, as one article at a
/// time. The figures that move with the size by +-0.01 (ECB+ train through
/// the pipeline with leads only, MEANTIME) are all kept or raised at 112,
/// not at 80 (docs/engine.md). It costs about a tenth of the story stage.
pub const ASSIGN_GROUP: usize = 112;

/// Features kept in a story's summary vector.
pub const SUMMARY_FEATURES: usize = 96;

/// How the story stage is set up.
pub struct StoryStage {
    featurizer: Featurizer,
    params: ClusterParams,
}

impl Default for StoryStage {
    fn default() -> Self {
        Self::new(ClusterParams::default())
    }
}

impl StoryStage {
    /// A stage with these clustering settings.
    pub fn new(params: ClusterParams) -> Self {
        StoryStage { featurizer: Featurizer::new(params), params }
    }

    /// The clustering settings.
    pub fn params(&self) -> &ClusterParams {
        &self.params
    }

    /// Hashed feature counts of a document.
    pub fn counts(&self, doc: &ClusterDoc) -> Vec<(u64, f32)> {
        self.featurizer.counts(doc)
    }

    /// Assigns a batch of new articles (their own dates, titles and entity
    /// ids filled in `docs`) to stories and writes the changes, in groups of
    /// at most [`ASSIGN_GROUP`] in their order.
    pub fn assign(&self, store: &mut impl PipelineStore, docs: &[ClusterDoc]) -> Result<StoryChanges> {
        let mut updates: Vec<StoryUpdate> = Vec::new();
        let mut merged: Vec<(String, String)> = Vec::new();
        for group in docs.chunks(ASSIGN_GROUP) {
            let changes = self.assign_group(store, group)?;
            updates.extend(changes.updates);
            merged.extend(changes.merged);
        }
        // One entry per story, its latest state, none for a story merged away
        // by a later group.
        let gone: BTreeSet<&str> = merged.iter().map(|(old, _)| old.as_str()).collect();
        let mut seen: BTreeSet<String> = BTreeSet::new();
        let mut latest: Vec<StoryUpdate> = Vec::with_capacity(updates.len());
        for update in updates.into_iter().rev() {
            if !gone.contains(update.id.as_str()) && seen.insert(update.id.clone()) {
                latest.push(update);
            }
        }
        latest.reverse();
        Ok(StoryChanges { updates: latest, merged })
    }

    fn assign_group(&self, store: &mut impl PipelineStore, docs: &[ClusterDoc]) -> Result<StoryChanges> {
        if docs.is_empty() {
            return Ok(StoryChanges::default());
        }
        let new: Vec<FeatureDoc> = docs
            .par_iter()
            .map(|d| FeatureDoc {
                id: d.id.clone(),
                date: d.date,
                title: d.title.clone(),
                counts: self.featurizer.counts(d),
                story: None,
            })
            .collect();
        let n = store.put_features(&new)?;
        let mut df = store.document_frequencies(&feature_set(&new))?;
        let (vectors, hashes) = self.vectors(&new, &df, n);
        let hashed: Vec<Vec<(u64, f32)>> = vectors.iter().map(|v| to_hashes(v, &hashes)).collect();

        // Candidate stories through the index, scored by their summaries.
        let mut neighbours: BTreeSet<String> = BTreeSet::new();
        let mut neighbours_of: Vec<Vec<(String, f32)>> = Vec::with_capacity(new.len());
        let mut summaries: HashMap<String, StorySummary> = HashMap::new();
        // Each feature's postings are read once for the batch: articles of
        // one batch share many of their strongest features.
        let strong: Vec<Vec<u64>> =
            vectors.iter().map(|v| strongest_features(v).into_iter().map(|f| hashes[f as usize]).collect()).collect();
        let mut wanted: Vec<u64> = strong.iter().flatten().copied().collect();
        wanted.sort_unstable();
        wanted.dedup();
        let postings: HashMap<u64, Vec<String>> =
            wanted.iter().copied().zip(store.stories_by_feature(&wanted, POSTING_LIMIT)?).collect();
        for (i, strong) in strong.iter().enumerate() {
            let mut hits: HashMap<String, usize> = HashMap::new();
            for story in strong.iter().filter_map(|f| postings.get(f)).flatten() {
                *hits.entry(story.clone()).or_default() += 1;
            }
            let mut ranked: Vec<(String, usize)> = hits.into_iter().collect();
            ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            ranked.truncate(SCORED_CANDIDATES);
            let unknown: Vec<String> =
                ranked.iter().map(|(s, _)| s.clone()).filter(|s| !summaries.contains_key(s)).collect();
            for s in store.story_summaries(&unknown)? {
                summaries.insert(s.id.clone(), s);
            }
            let mut scored: Vec<(f32, &str)> = ranked
                .iter()
                .filter_map(|(s, _)| summaries.get(s))
                .map(|s| {
                    let mut score = sparse_dot(&hashed[i], &s.vector);
                    if let (Some(date), Some(first), Some(last)) = (new[i].date, s.start, s.end) {
                        if gap_days(date, first, last) > self.params.max_gap_days {
                            score *= self.params.time_penalty;
                        }
                    }
                    (score, s.id.as_str())
                })
                .collect();
            scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
            let mine: Vec<(String, f32)> =
                scored.iter().take(NEIGHBOURS_PER_ARTICLE).map(|(score, s)| (s.to_string(), *score)).collect();
            neighbours.extend(mine.iter().map(|(s, _)| s.clone()));
            neighbours_of.push(mine);
        }

        // The neighbourhood, in components that cannot share a story: a new
        // article with the neighbour stories it comes close to, and two new
        // articles close enough to meet in one story (any join of the
        // clustering needs a pair of members at least this similar). A story
        // that articles only touch weakly goes with the one closest to it:
        // joined through every weak touch, a batch of 256 synthetic articles
        // made one component of 3,000 and the stage ran on one core at a
        // third of the speed. Each component is clustered again on its own,
        // in parallel.
        let neighbours: Vec<String> = neighbours.into_iter().collect();
        let position: HashMap<&str, usize> = neighbours.iter().enumerate().map(|(k, s)| (s.as_str(), k)).collect();
        let b = new.len();
        let edge = self.params.lowest_threshold();
        let touches: Vec<Vec<(usize, f32)>> = neighbours_of
            .iter()
            .map(|mine| mine.iter().map(|(story, score)| (position[story.as_str()], *score)).collect())
            .collect();
        let mut components = touch_components(&touches, neighbours.len(), edge * COMPONENT_EDGE_FACTOR);
        let close_pairs: Vec<(usize, usize)> = (0..b)
            .into_par_iter()
            .flat_map_iter(|i| {
                let (hashed, new) = (&hashed, &new);
                // One lookup per feature of the other article instead of a
                // merge of both lists: the same products summed in the same
                // (feature) order, so the same score.
                let mine: FxHashMap<u64, f32> = hashed[i].iter().copied().collect();
                (i + 1..b).filter_map(move |j| {
                    let mut score: f32 = hashed[j].iter().filter_map(|(h, w)| mine.get(h).map(|v| v * w)).sum();
                    if let (Some(x), Some(y)) = (new[i].date, new[j].date) {
                        if (x - y).num_days().abs() > self.params.max_gap_days {
                            score *= self.params.time_penalty;
                        }
                    }
                    (score >= edge * COMPONENT_EDGE_FACTOR).then_some((i, j))
                })
            })
            .collect();
        for (i, j) in close_pairs {
            components.union(i, j);
        }
        let members = store.story_members(&neighbours, MEMBERS_PER_STORY)?;
        let new_ids: HashSet<&str> = new.iter().map(|d| d.id.as_str()).collect();
        let members: Vec<FeatureDoc> = members.into_iter().filter(|m| !new_ids.contains(m.id.as_str())).collect();
        let missing: Vec<u64> = feature_set(&members).into_iter().filter(|h| !df.contains_key(h)).collect();
        df.extend(store.document_frequencies(&missing)?);
        let mut parts: BTreeMap<usize, Vec<FeatureDoc>> = BTreeMap::new();
        for m in members {
            let root = m.story.as_deref().and_then(|s| position.get(s)).map(|&k| components.find(b + k));
            if let Some(root) = root {
                parts.entry(root).or_default().push(m);
            }
        }
        for (i, d) in new.into_iter().enumerate() {
            parts.entry(components.find(i)).or_default().push(d);
        }
        let found: Vec<StoryChanges> = parts
            .into_values()
            .collect::<Vec<_>>()
            .into_par_iter()
            .map(|all| {
                let (vectors, hashes) = self.vectors(&all, &df, n);
                let cluster_docs: Vec<ClusterDoc> = all
                    .iter()
                    .map(|d| ClusterDoc { id: d.id.clone(), date: d.date, ..ClusterDoc::default() })
                    .collect();
                let groups = cluster_vectors(&cluster_docs, &vectors, &self.params);
                let groups = settle_untouched(&all, &vectors, groups);
                self.changes(&all, &vectors, &hashes, &groups, &summaries, false)
            })
            .collect();
        let mut changes = StoryChanges::default();
        for f in found {
            changes.updates.extend(f.updates);
            changes.merged.extend(f.merged);
        }
        changes.merged.sort();
        store.put_story_changes(&changes)?;
        Ok(changes)
    }

    /// Clusters every article of the store from scratch (`docs` carry their
    /// current story, so ids are kept where stories keep most of their
    /// members) and writes the stories and their index.
    pub fn full(&self, store: &mut impl PipelineStore, docs: Vec<FeatureDoc>) -> Result<StoryChanges> {
        let n = store.put_features(&docs)?;
        let df = store.document_frequencies(&feature_set(&docs))?;
        let (vectors, hashes) = self.vectors(&docs, &df, n);
        let cluster_docs: Vec<ClusterDoc> =
            docs.iter().map(|d| ClusterDoc { id: d.id.clone(), date: d.date, ..ClusterDoc::default() }).collect();
        let groups = cluster_vectors(&cluster_docs, &vectors, &self.params);
        let changes = self.changes(&docs, &vectors, &hashes, &groups, &HashMap::new(), true);
        store.put_story_changes(&changes)?;
        Ok(changes)
    }

    fn vectors(&self, docs: &[FeatureDoc], df: &HashMap<u64, u32>, n: u64) -> (Vec<SparseVec>, Vec<u64>) {
        let counts: Vec<&[(u64, f32)]> = docs.iter().map(|d| d.counts.as_slice()).collect();
        self.featurizer.vectors_from_counts(&counts, df, n)
    }

    /// Matches the new groups to the old stories and builds the changes.
    fn changes(
        &self,
        docs: &[FeatureDoc],
        vectors: &[SparseVec],
        hashes: &[u64],
        groups: &[Vec<usize>],
        summaries: &HashMap<String, StorySummary>,
        rewrite_all: bool,
    ) -> StoryChanges {
        // Shared members between each group and each old story, most first.
        let mut shared: BTreeMap<(usize, &str), usize> = BTreeMap::new();
        let mut loaded: HashMap<&str, usize> = HashMap::new();
        for (g, members) in groups.iter().enumerate() {
            for &m in members {
                if let Some(old) = docs[m].story.as_deref() {
                    *shared.entry((g, old)).or_default() += 1;
                    *loaded.entry(old).or_default() += 1;
                }
            }
        }
        let mut pairs: Vec<((usize, &str), usize)> = shared.iter().map(|(k, v)| (*k, *v)).collect();
        pairs.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut id_of_group: HashMap<usize, String> = HashMap::new();
        let mut taken: HashSet<&str> = HashSet::new();
        for ((g, old), _) in &pairs {
            if !id_of_group.contains_key(g) && !taken.contains(old) {
                id_of_group.insert(*g, old.to_string());
                taken.insert(old);
            }
        }
        let mut used: HashSet<String> = loaded.keys().map(|s| s.to_string()).collect();
        for (g, members) in groups.iter().enumerate() {
            if id_of_group.contains_key(&g) {
                continue;
            }
            let first = &docs[members[0]].id;
            let mut id = story_id(first);
            let mut k = 1;
            while used.contains(&id) {
                id = story_id(&format!("{first}#{k}"));
                k += 1;
            }
            used.insert(id.clone());
            id_of_group.insert(g, id);
        }
        // Old stories left without a group merged into the group holding most of their members.
        let mut merged = Vec::new();
        let mut absorbed: HashMap<usize, usize> = HashMap::new();
        for (old, _) in loaded.iter().filter(|(old, _)| !taken.contains(*old)) {
            let best = pairs.iter().find(|((_, o), _)| o == old).map(|((g, _), _)| *g);
            if let Some(g) = best {
                merged.push((old.to_string(), id_of_group[&g].clone()));
                let rest = summaries.get(*old).map_or(0, |s| s.size.saturating_sub(loaded[old]));
                *absorbed.entry(g).or_default() += rest;
            }
        }
        merged.sort();
        let mut updates = Vec::new();
        for (g, members) in groups.iter().enumerate() {
            let id = id_of_group[&g].clone();
            // A story the batch leaves as it was (no member joins or leaves,
            // nothing merges into it) is not written again: its summary from the
            // batch that last changed it still finds it, and "stories
            // changed" counts what changed (ECB+ figures and the time to add
            // a batch are the same either way; a team store writes less).
            // Member rows and postings are written only for the members that join.
            // Members beyond the ones read stay in the story and count in its size.
            let joins = |m: usize| rewrite_all || docs[m].story.as_deref() != Some(id.as_str());
            let kept_whole = loaded.get(id.as_str()).is_some_and(|&n| n == members.len());
            if kept_whole && !members.iter().any(|&m| joins(m)) && !absorbed.contains_key(&g) {
                continue;
            }
            let unread =
                summaries.get(&id).map_or(0, |s| s.size.saturating_sub(loaded.get(id.as_str()).copied().unwrap_or(0)));
            let central = most_central(members, vectors).unwrap_or(members[0]);
            // Postings for the members that join; those that stay are posted already.
            let mut terms: Vec<u64> = members
                .iter()
                .filter(|&&m| joins(m))
                .flat_map(|&m| strongest_features(&vectors[m]))
                .map(|f| hashes[f as usize])
                .collect();
            terms.sort_unstable();
            terms.dedup();
            updates.push(StoryUpdate {
                id: id.clone(),
                title: docs[central].title.clone(),
                members: members.iter().filter(|&&m| joins(m)).map(|&m| docs[m].id.clone()).collect(),
                summary: StorySummary {
                    id,
                    size: members.len() + unread + absorbed.get(&g).copied().unwrap_or(0),
                    start: None,
                    end: None,
                    vector: to_hashes(&mean_vector(members, vectors, SUMMARY_FEATURES), hashes),
                },
                terms,
            });
        }
        StoryChanges { updates, merged }
    }
}

/// Keeps what the new articles do not touch. A group of the re-clustered
/// neighbourhood that holds no new article never splits an old story (its
/// members go back to their stories), and joins two old stories only when
/// the mean similarity of their members reaches [`UNTOUCHED_MERGE_BAR`].
/// Without this, every unrelated article that drew a story into its
/// neighbourhood clustered it again with the document frequencies of that
/// moment, and a story's fate depended on which articles came after it.
fn settle_untouched(docs: &[FeatureDoc], vectors: &[SparseVec], groups: Vec<Vec<usize>>) -> Vec<Vec<usize>> {
    let mut settled = Vec::with_capacity(groups.len());
    let mut untouched = Vec::new();
    for group in groups {
        if group.iter().any(|&m| docs[m].story.is_none()) {
            settled.push(group);
        } else {
            untouched.push(group);
        }
    }
    // Each old story's members among the untouched groups.
    let mut old: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for &m in untouched.iter().flatten() {
        old.entry(docs[m].story.as_deref().unwrap_or_default()).or_default().push(m);
    }
    let story_of = |m: usize| docs[m].story.as_deref().unwrap_or_default();
    let mut joined = UnionFind::new(docs.len());
    for members in old.values() {
        for pair in members.windows(2) {
            joined.union(pair[0], pair[1]);
        }
    }
    for group in &untouched {
        let stories: BTreeSet<&str> = group.iter().map(|&m| story_of(m)).collect();
        let means: Vec<(usize, Vec<(u64, f32)>)> = stories
            .iter()
            .map(|s| {
                let members = &old[s];
                let mean = mean_vector(members, vectors, usize::MAX);
                (members[0], mean.into_iter().map(|(k, w)| (u64::from(k), w)).collect())
            })
            .collect();
        for (x, (first, mean)) in means.iter().enumerate() {
            for (other, other_mean) in &means[x + 1..] {
                if sparse_dot(mean, other_mean) >= UNTOUCHED_MERGE_BAR {
                    joined.union(*first, *other);
                }
            }
        }
    }
    let mut merged: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for &m in old.values().flatten() {
        merged.entry(joined.find(m)).or_default().push(m);
    }
    settled.extend(merged.into_values());
    settled
}

/// Components of `touches.len()` new articles (ids `0..`) and `stories`
/// neighbour stories (ids `touches.len()..`): article `i` touches story `k`
/// with score `s` for each `(k, s)` in `touches[i]`; a touch of at least
/// `floor` joins the two, and every story joins the article that touches
/// it most (the first of a tie).
fn touch_components(touches: &[Vec<(usize, f32)>], stories: usize, floor: f32) -> UnionFind {
    let b = touches.len();
    let mut components = UnionFind::new(b + stories);
    let mut closest: Vec<Option<(f32, usize)>> = vec![None; stories];
    for (i, mine) in touches.iter().enumerate() {
        for &(k, score) in mine {
            if score >= floor {
                components.union(i, b + k);
            }
            if closest[k].is_none_or(|(best, _)| score > best) {
                closest[k] = Some((score, i));
            }
        }
    }
    for (k, best) in closest.iter().enumerate() {
        if let Some((_, i)) = best {
            components.union(*i, b + k);
        }
    }
    components
}

fn feature_set(docs: &[FeatureDoc]) -> Vec<u64> {
    let set: BTreeSet<u64> = docs.iter().flat_map(|d| d.counts.iter().map(|(h, _)| *h)).collect();
    set.into_iter().collect()
}

/// A vector over local ids as (hash, weight) sorted by hash.
fn to_hashes(v: &SparseVec, hashes: &[u64]) -> Vec<(u64, f32)> {
    let mut out: Vec<(u64, f32)> = v.iter().map(|(id, w)| (hashes[*id as usize], *w)).collect();
    out.sort_by_key(|(h, _)| *h);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: &str, story: Option<&str>) -> FeatureDoc {
        FeatureDoc { id: id.into(), date: None, title: None, counts: Vec::new(), story: story.map(String::from) }
    }

    fn sorted(mut groups: Vec<Vec<usize>>) -> Vec<Vec<usize>> {
        for g in &mut groups {
            g.sort_unstable();
        }
        groups.sort();
        groups
    }

    #[test]
    fn a_story_touched_only_weakly_goes_with_its_closest_article() {
        // Articles 0 and 1 both touch story 0 (id 2) weakly, article 1 more;
        // article 0 touches story 1 (id 3) strongly.
        let touches = vec![vec![(0, 0.01), (1, 0.30)], vec![(0, 0.015)]];
        let mut components = touch_components(&touches, 2, 0.02);
        assert_eq!(components.find(2), components.find(1));
        assert_eq!(components.find(3), components.find(0));
        assert_ne!(components.find(0), components.find(1));
        // A second strong touch joins the two articles through the story.
        let touches = vec![vec![(0, 0.05)], vec![(0, 0.02)]];
        let mut components = touch_components(&touches, 1, 0.02);
        assert_eq!(components.find(0), components.find(1));
    }

    #[test]
    fn untouched_groups_never_split_a_story() {
        // Story s has three members; the re-clustering put them in two
        // groups, neither holding a new article: s comes back whole.
        let docs = [doc("a", Some("s")), doc("b", Some("s")), doc("c", Some("s"))];
        let vectors: Vec<SparseVec> = vec![vec![(0, 1.0)], vec![(0, 1.0)], vec![(1, 1.0)]];
        let settled = settle_untouched(&docs, &vectors, vec![vec![0, 1], vec![2]]);
        assert_eq!(sorted(settled), vec![vec![0, 1, 2]]);
    }

    #[test]
    fn untouched_stories_merge_only_when_close() {
        // Two pairs of stories re-clustered into one group each: s and t
        // share their feature, u and v share nothing.
        let docs = [doc("a", Some("s")), doc("b", Some("t")), doc("c", Some("u")), doc("d", Some("v"))];
        let vectors: Vec<SparseVec> = vec![vec![(0, 1.0)], vec![(0, 1.0)], vec![(1, 1.0)], vec![(2, 1.0)]];
        let settled = settle_untouched(&docs, &vectors, vec![vec![0, 1], vec![2, 3]]);
        assert_eq!(sorted(settled), vec![vec![0, 1], vec![2], vec![3]]);
    }

    #[test]
    fn groups_with_a_new_article_are_kept_as_clustered() {
        // The new article n takes one member of s with it; that change is
        // the batch's own, and the rest of s stays where it was.
        let docs = [doc("a", Some("s")), doc("b", Some("s")), doc("n", None)];
        let vectors: Vec<SparseVec> = vec![vec![(0, 1.0)], vec![(1, 1.0)], vec![(1, 1.0)]];
        let settled = settle_untouched(&docs, &vectors, vec![vec![1, 2], vec![0]]);
        assert_eq!(sorted(settled), vec![vec![0], vec![1, 2]]);
    }
}
