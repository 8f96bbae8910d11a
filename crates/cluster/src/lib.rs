//! Story clustering: group articles that report the same real-world event.
//!
//! Each article becomes a sparse TF-IDF vector over stemmed content words,
//! with extra features for capitalised names and for years written in the
//! text (look-alike events often differ by little else), and title words
//! counted again. Articles are then taken one at a time in a canonical order
//! (date, then id), so the result does not depend on the order they were
//! ingested in; each joins the story whose members it is most similar to on
//! average (average link, computed against the sum of the members' unit
//! vectors), or starts a new story when no story reaches the threshold.
//! Candidate stories come from an inverted index over each story's strongest
//! terms, never from all stories. Time gates the match: an article dated far
//! from a story's dates has its similarity cut. A refinement pass then
//! moves articles to the story they fit best, and stories of one or two
//! articles join their closest story when it reaches a lower threshold
//! (short briefs rarely reach the main one).

pub mod dedup;

use std::collections::HashSet;

// A fast hasher for the integer keys of vectors and indexes (the default
// SipHash dominated the clustering profile).
use rustc_hash::FxHashMap as HashMap;

use chrono::NaiveDate;
use rust_stemmers::{Algorithm, Stemmer};

/// One article as the clusterer sees it.
#[derive(Debug, Clone, Default)]
pub struct ClusterDoc {
    /// Article id (ties in the canonical order are broken by it).
    pub id: String,
    /// ISO 639-1 language code, for stemming.
    pub lang: Option<String>,
    /// Headline.
    pub title: Option<String>,
    /// Clean body.
    pub text: String,
    /// The article's date (publication, or the date of the event it reports).
    pub date: Option<NaiveDate>,
    /// Canonical entity ids of its mentions (one per mention). When given,
    /// they replace capitalised words as name features, so "Zelenski" and
    /// "Zelensky" count as one name.
    pub entities: Vec<String>,
}

/// Clustering settings. Defaults are tuned on the ECB+ train topics
/// (`storyline eval stories --tune`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClusterParams {
    /// Minimum average similarity to join a story.
    pub threshold: f32,
    /// Weight of a capitalised-name feature relative to a content word.
    pub name_weight: f32,
    /// Weight of a year feature.
    pub year_weight: f32,
    /// Weight of a number feature (figures other than years: tolls,
    /// magnitudes, ages, scores).
    pub number_weight: f32,
    /// Extra count given to title words.
    pub title_boost: f32,
    /// Largest distance in days between an article and a story's dates
    /// before the time penalty applies.
    pub max_gap_days: i64,
    /// Factor applied to the similarity beyond `max_gap_days`. ECB+ has no
    /// dates, so this is a prior, not a tuned value: an event lasts days,
    /// and a story's dates grow as its coverage goes on, so an article far
    /// from all of them needs ten times the similarity to join.
    pub time_penalty: f32,
    /// Minimum average similarity for a small story (at most
    /// [`SMALL_STORY`] articles) to be absorbed by its closest story after
    /// clustering. Short pieces (a brief, a results line) often fall below
    /// `threshold` against every story though they report its event; a
    /// value at or above `threshold` turns the pass off.
    pub absorb_threshold: f32,
    /// Minimum average similarity for a brief (a document of at most
    /// [`BRIEF_FEATURES`] features: a headline, a lead, a flash) to join a
    /// story. A brief shares few words with anything, so its similarities
    /// are lower than a full article's for the same event; a value at or
    /// above `threshold` treats briefs as articles.
    pub brief_threshold: f32,
}

/// Documents with at most this many features are briefs and join a story at
/// [`ClusterParams::brief_threshold`]; from [`ARTICLE_FEATURES`] on they need
/// [`ClusterParams::threshold`], and in between a bar that rises linearly
/// with the count. ECB+ full texts have 42 features or more at the tenth
/// percentile, their first sentences 24 or fewer at the ninetieth.
pub const BRIEF_FEATURES: usize = 12;

/// Documents with at least this many features are articles (see [`BRIEF_FEATURES`]).
pub const ARTICLE_FEATURES: usize = 42;

/// How far a document of `features` features is from a brief (0) to an
/// article (1), linear in between: a lead of twenty words is neither a
/// headline nor an article.
fn length_share(features: usize) -> f32 {
    if features <= BRIEF_FEATURES {
        0.0
    } else if features >= ARTICLE_FEATURES {
        1.0
    } else {
        (features - BRIEF_FEATURES) as f32 / (ARTICLE_FEATURES - BRIEF_FEATURES) as f32
    }
}

impl ClusterParams {
    /// The similarity a document with this vector needs to join a story.
    pub fn join_threshold(&self, vector: &SparseVec) -> f32 {
        let brief = self.brief_threshold.min(self.threshold);
        brief + (self.threshold - brief) * length_share(vector.len())
    }

    /// A similarity after the time gate: beyond `max_gap_days` from the
    /// story's dates it is cut by `time_penalty`, and what is left counts
    /// only if it still reaches the article `threshold`. The lower bars of
    /// briefs and small stories never apply across a gap: a headline shares
    /// so few words that a cut similarity would still clear them, and the
    /// same event months later is another story.
    pub fn time_gated(&self, score: f32, gap_days: Option<i64>) -> f32 {
        match gap_days {
            Some(gap) if gap > self.max_gap_days => {
                let cut = score * self.time_penalty;
                if cut >= self.threshold {
                    cut
                } else {
                    0.0
                }
            }
            _ => score,
        }
    }

    /// The lowest similarity at which any document joins a story.
    pub fn lowest_threshold(&self) -> f32 {
        self.threshold.min(self.absorb_threshold).min(self.brief_threshold)
    }
}

impl Default for ClusterParams {
    fn default() -> Self {
        ClusterParams {
            threshold: 0.22,
            name_weight: 2.0,
            year_weight: 6.0,
            number_weight: 3.0,
            title_boost: 1.0,
            max_gap_days: 10,
            time_penalty: 0.1,
            absorb_threshold: 0.12,
            brief_threshold: 0.04,
        }
    }
}

/// Briefs sharing one sentence frame (see [`sentence_frame`]) from this many
/// on are a templated series ("Quel temps est prévu à X le ..."): each
/// member is its own story, never one event with the others nor a part of a
/// real story.
pub const SERIES_MIN: u32 = 3;

/// Longest brief, in characters, that is read for a sentence frame.
pub const SERIES_MAX_CHARS: usize = 320;

/// The count that marks a feature kept for its document frequency only:
/// the brief's sentence frame. It never weighs in a vector.
const FRAME_MARK: f32 = -1.0;

/// The count that marks the feature a series member is reduced to: its
/// frame with the words that fill the slots.
const FILL_MARK: f32 = -2.0;

/// The sentence frame of a short text and the words in its slots: numbers
/// and capitalised words are slots (a run of them is one), the rest is the
/// frame. "Quel temps est prévu à Rennes le vendredi 10 janvier 2020 ?"
/// gives "· temps est prévu à · le vendredi · janvier · ?" and "quel rennes
/// 10 2020". None when fewer than four lower-case words remain (a headline
/// in title case is all slots) or no slot is left.
pub fn sentence_frame(text: &str) -> Option<(String, String)> {
    let mut frame: Vec<String> = Vec::new();
    let mut fillers: Vec<String> = Vec::new();
    let mut words = 0;
    let mut chars = text.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let token: String = if c.is_alphanumeric() {
            std::iter::from_fn(|| chars.next_if(|c| c.is_alphanumeric())).collect()
        } else {
            chars.next().into_iter().collect()
        };
        let first = token.chars().next().unwrap_or(' ');
        if first.is_uppercase() || first.is_numeric() {
            fillers.push(token.to_lowercase());
            if frame.last().is_none_or(|t| t != "·") {
                frame.push("·".into());
            }
        } else {
            if token.chars().count() >= 2 && token.chars().all(char::is_alphabetic) {
                words += 1;
            }
            frame.push(token);
        }
    }
    (words >= 4 && !fillers.is_empty()).then(|| (frame.join(" "), fillers.join(" ")))
}

/// A sparse unit vector: (feature id, weight), sorted by id.
pub type SparseVec = Vec<(u32, f32)>;

/// Whether a centroid holds at least [`MIN_SHARED_FEATURES`] of the given
/// features (a weight left near zero by a member moving out does not count).
fn shares_enough<'a>(features: impl IntoIterator<Item = &'a u32>, centroid: &HashMap<u32, f32>) -> bool {
    features.into_iter().filter(|k| centroid.get(k).is_some_and(|w| *w > 1e-6)).take(MIN_SHARED_FEATURES).count()
        >= MIN_SHARED_FEATURES
}

/// Features an article must share with a story to join it: one word in
/// common is never evidence of one event, however strong its weight (on
/// ECB+ first sentences a town's or a weekday's name alone pulled headlines
/// of other events in; the bar raised leads B3-F1 on train and dev alike).
pub const MIN_SHARED_FEATURES: usize = 2;

fn dot(a: &SparseVec, centroid: &HashMap<u32, f32>) -> f32 {
    a.iter().map(|(k, w)| w * centroid.get(k).copied().unwrap_or(0.0)).sum()
}

/// Turns documents into weighted feature vectors (TF-IDF over the batch).
pub struct Featurizer {
    stopwords: HashSet<String>,
    french: Stemmer,
    english: Stemmer,
    params: ClusterParams,
}

#[derive(Hash, PartialEq, Eq, Clone)]
pub(crate) enum Feature {
    Term(String),
    Name(String),
    Year(u16),
    Number(String),
}

impl Featurizer {
    /// Loads stop words of every language.
    pub fn new(params: ClusterParams) -> Self {
        let mut stopwords = HashSet::new();
        for lang in storyline_resources::languages() {
            stopwords.extend(storyline_resources::word_set(lang, "stopwords.txt"));
        }
        Featurizer {
            stopwords,
            french: Stemmer::create(Algorithm::French),
            english: Stemmer::create(Algorithm::English),
            params,
        }
    }

    fn features(&self, doc: &ClusterDoc) -> HashMap<Feature, f32> {
        let stemmer = if doc.lang.as_deref() == Some("fr") { &self.french } else { &self.english };
        let mut counts: HashMap<Feature, f32> = HashMap::default();
        let mut add = |text: &str, boost: f32| {
            for sentence in text.split(['.', '!', '?', '\n', '«', '»', '"', ':']) {
                let mut sentence_start = true;
                for raw in sentence.split(|c: char| !(c.is_alphanumeric() || c == '-')) {
                    let token = raw.trim_matches('-');
                    if token.is_empty() {
                        continue;
                    }
                    let first_upper = token.chars().next().is_some_and(char::is_uppercase);
                    let name = first_upper && !sentence_start;
                    sentence_start = false;
                    if token.chars().all(|c| c.is_ascii_digit()) {
                        match token.parse::<u16>() {
                            Ok(year) if token.len() == 4 && (1900..2100).contains(&year) => {
                                *counts.entry(Feature::Year(year)).or_default() += boost;
                            }
                            _ if self.params.number_weight > 0.0 => {
                                *counts.entry(Feature::Number(token.to_string())).or_default() += boost;
                            }
                            _ => {}
                        }
                        continue;
                    }
                    let lower = token.to_lowercase();
                    if self.stopwords.contains(&lower)
                        || lower.chars().count() < 3
                        || lower.chars().all(|c| c.is_ascii_digit())
                    {
                        continue;
                    }
                    let folded = storyline_nlp::fold::fold(&lower);
                    if name && doc.entities.is_empty() {
                        *counts.entry(Feature::Name(folded.clone())).or_default() += boost;
                    }
                    let stem = stemmer.stem(&folded).into_owned();
                    *counts.entry(Feature::Term(stem)).or_default() += boost;
                }
            }
        };
        add(&doc.text, 1.0);
        if let Some(title) = &doc.title {
            add(title, self.params.title_boost);
        }
        for entity in &doc.entities {
            *counts.entry(Feature::Name(entity.clone())).or_default() += 1.0;
        }
        let short = doc.text.chars().count() <= SERIES_MAX_CHARS;
        let head = doc.title.as_deref().filter(|t| !t.trim().is_empty()).unwrap_or(&doc.text);
        if let Some((frame, fillers)) = sentence_frame(head).filter(|_| short) {
            counts.insert(Feature::Term(format!("\u{1}frame {frame}")), FRAME_MARK);
            counts.insert(Feature::Term(format!("\u{1}fill {frame}\u{1}{fillers}")), FILL_MARK);
        }
        counts
    }

    /// TF-IDF vectors for a batch, unit length.
    pub fn vectors(&self, docs: &[ClusterDoc]) -> Vec<SparseVec> {
        self.vectors_with_names(docs).0
    }

    /// TF-IDF vectors and a readable name for every feature id ("name:x",
    /// "year:2020", "number:1250", or the word stem).
    pub fn vectors_with_names(&self, docs: &[ClusterDoc]) -> (Vec<SparseVec>, Vec<String>) {
        let features: Vec<HashMap<Feature, f32>> = docs.iter().map(|d| self.features(d)).collect();
        let mut ids: HashMap<Feature, u32> = HashMap::default();
        let mut df: Vec<u32> = Vec::new();
        for f in &features {
            for key in f.keys() {
                let next = ids.len() as u32;
                let id = *ids.entry(key.clone()).or_insert(next);
                if id as usize == df.len() {
                    df.push(0);
                }
                df[id as usize] += 1;
            }
        }
        let n = docs.len() as f32;
        let mut names = vec![String::new(); ids.len()];
        for (key, id) in &ids {
            names[*id as usize] = match key {
                Feature::Term(t) => t.clone(),
                Feature::Name(n) => format!("name:{n}"),
                Feature::Year(y) => format!("year:{y}"),
                Feature::Number(n) => format!("number:{n}"),
            };
        }
        let vectors = features
            .iter()
            .map(|f| {
                if let Some(fill) = series_fill(f.iter().map(|(key, count)| (ids[key], *count)), |id| df[id as usize]) {
                    return vec![(fill, 1.0)];
                }
                let mut v: SparseVec = f
                    .iter()
                    .filter(|(_, count)| **count > 0.0)
                    .map(|(key, count)| {
                        let id = ids[key];
                        let idf = ((n + 1.0) / (df[id as usize] as f32 + 1.0)).ln() + 1.0;
                        let weight = match key {
                            Feature::Term(_) => 1.0,
                            Feature::Name(_) => self.params.name_weight,
                            Feature::Year(_) => self.params.year_weight,
                            Feature::Number(_) => self.params.number_weight,
                        };
                        (id, (1.0 + count.ln()) * idf * weight)
                    })
                    .collect();
                let norm = v.iter().map(|(_, w)| w * w).sum::<f32>().sqrt().max(1e-9);
                v.iter_mut().for_each(|(_, w)| *w /= norm);
                v.sort_by_key(|(id, _)| *id);
                v
            })
            .collect();
        (vectors, names)
    }

    /// An article's features as stable 64-bit hashes with their counts,
    /// sorted by hash: what the store keeps per article, so that vectors can
    /// be rebuilt against the store's document frequencies without reading
    /// the text again. The feature's kind is in the top two bits.
    pub fn counts(&self, doc: &ClusterDoc) -> Vec<(u64, f32)> {
        let mut out: Vec<(u64, f32)> = self.features(doc).into_iter().map(|(f, c)| (feature_hash(&f), c)).collect();
        out.sort_by_key(|(h, _)| *h);
        out
    }

    /// TF-IDF unit vectors from hashed counts, with document frequencies
    /// and the document count taken from outside (the store): the same
    /// weights as [`Featurizer::vectors`] gives when `df` and `n` are those
    /// of the batch. Returns the vectors over local ids and the hash of each
    /// local id.
    pub fn vectors_from_counts(
        &self,
        counts: &[&[(u64, f32)]],
        df: &std::collections::HashMap<u64, u32>,
        n: u64,
    ) -> (Vec<SparseVec>, Vec<u64>) {
        let mut ids: HashMap<u64, u32> = HashMap::default();
        let mut hashes: Vec<u64> = Vec::new();
        let n = n.max(1) as f32;
        let vectors = counts
            .iter()
            .map(|c| {
                let mut local = |h: u64| {
                    *ids.entry(h).or_insert_with(|| {
                        hashes.push(h);
                        hashes.len() as u32 - 1
                    })
                };
                let frequency = |h: u64| df.get(&h).copied().unwrap_or(1);
                if let Some(fill) = series_fill(c.iter().map(|(h, count)| (*h, *count)), frequency) {
                    return vec![(local(fill), 1.0)];
                }
                let mut v: SparseVec = c
                    .iter()
                    .filter(|(_, count)| *count > 0.0)
                    .map(|(h, count)| {
                        let id = local(*h);
                        let d = df.get(h).copied().unwrap_or(1).max(1) as f32;
                        let idf = ((n + 1.0) / (d + 1.0)).ln() + 1.0;
                        (id, (1.0 + count.ln()) * idf * self.kind_weight(*h))
                    })
                    .collect();
                let norm = v.iter().map(|(_, w)| w * w).sum::<f32>().sqrt().max(1e-9);
                v.iter_mut().for_each(|(_, w)| *w /= norm);
                v.sort_by_key(|(id, _)| *id);
                v
            })
            .collect();
        (vectors, hashes)
    }

    fn kind_weight(&self, hash: u64) -> f32 {
        match hash >> 62 {
            0 => 1.0,
            1 => self.params.name_weight,
            2 => self.params.year_weight,
            _ => self.params.number_weight,
        }
    }
}

/// The feature a templated series member is reduced to, when its sentence
/// frame is shared by at least [`SERIES_MIN`] documents (`df`), all but one
/// of them with other words in its slots; None for any other document. `features` are (key, count) with the marks of
/// [`Featurizer::counts`].
fn series_fill<K: Copy>(features: impl Iterator<Item = (K, f32)>, df: impl Fn(K) -> u32) -> Option<K> {
    let (mut frame, mut fill) = (None, None);
    for (key, count) in features {
        if count == FRAME_MARK {
            frame = Some(key);
        } else if count == FILL_MARK {
            fill = Some(key);
        }
    }
    // A series is one frame with changing slots: the same headline from
    // several outlets (one fill) is one item, read as any other brief.
    let (frame, fill) = (frame?, fill?);
    let (with_frame, same_fill) = (df(frame), df(fill));
    (with_frame >= SERIES_MIN && with_frame.saturating_sub(same_fill) + 1 >= SERIES_MIN).then_some(fill)
}

/// A feature's stable hash: BLAKE3 of its kind and text, the kind in the
/// top two bits (0 term, 1 name, 2 year, 3 number).
fn feature_hash(feature: &Feature) -> u64 {
    let (kind, text): (u64, std::borrow::Cow<str>) = match feature {
        Feature::Term(t) => (0, t.into()),
        Feature::Name(n) => (1, n.into()),
        Feature::Year(y) => (2, y.to_string().into()),
        Feature::Number(n) => (3, n.into()),
    };
    let h = u64::from_le_bytes(blake3::hash(text.as_bytes()).as_bytes()[..8].try_into().unwrap());
    (kind << 62) | (h >> 2)
}

/// The strongest features of a vector (see [`INDEX_TERMS`]) as local ids.
pub fn strongest_features(v: &SparseVec) -> Vec<u32> {
    strongest_terms(v)
}

/// The average of unit vectors, cut to its `keep` heaviest features: a
/// story's summary for candidate scoring, (local id, weight).
pub fn mean_vector(members: &[usize], vectors: &[SparseVec], keep: usize) -> SparseVec {
    let centroid = centroid_of(members, vectors);
    let n = members.len().max(1) as f32;
    let mut v: SparseVec = centroid.into_iter().map(|(k, w)| (k, w / n)).collect();
    v.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    v.truncate(keep);
    v.sort_by_key(|(k, _)| *k);
    v
}

/// The dot product of two sparse vectors sorted by id.
pub fn sparse_dot(a: &[(u64, f32)], b: &[(u64, f32)]) -> f32 {
    let (mut i, mut j, mut sum) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                sum += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    sum
}

/// The time gate of the clusterer: the days between a date and a span of
/// dates (0 inside it).
pub fn gap_days(date: NaiveDate, first: NaiveDate, last: NaiveDate) -> i64 {
    if date < first {
        (first - date).num_days()
    } else {
        (date - last).num_days().max(0)
    }
}

/// An article's strongest features (at most [`INDEX_TERMS`], ties by id):
/// the terms that index its story.
fn strongest_terms(v: &SparseVec) -> Vec<u32> {
    let mut terms: Vec<&(u32, f32)> = v.iter().collect();
    terms.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    terms.iter().take(INDEX_TERMS).map(|(t, _)| *t).collect()
}

/// The sum of the members' unit vectors.
fn centroid_of(members: &[usize], vectors: &[SparseVec]) -> HashMap<u32, f32> {
    let mut centroid: HashMap<u32, f32> = HashMap::default();
    for &m in members {
        for (k, w) in &vectors[m] {
            *centroid.entry(*k).or_default() += w;
        }
    }
    centroid
}

/// A story under construction.
struct Building {
    members: Vec<usize>,
    centroid: HashMap<u32, f32>,
    first: Option<NaiveDate>,
    last: Option<NaiveDate>,
}

/// How many of an article's strongest features index its story.
pub const INDEX_TERMS: usize = 24;

/// How many stories a feature's posting list keeps: the most recently
/// joined. Articles come in date order, and the time gate makes old stories
/// unlikely homes, so bounding the lists bounds the work per article (the
/// cost per article stays flat as the corpus grows).
pub const POSTING_LIMIT: usize = 48;

/// Clusters documents; returns groups of indices into `docs`, each group in
/// canonical order, groups ordered by their first member.
pub fn cluster(docs: &[ClusterDoc], params: &ClusterParams) -> Vec<Vec<usize>> {
    let vectors = Featurizer::new(*params).vectors(docs);
    cluster_vectors(docs, &vectors, params)
}

/// Clusters precomputed vectors (see [`Featurizer::vectors`]).
pub fn cluster_vectors(docs: &[ClusterDoc], vectors: &[SparseVec], params: &ClusterParams) -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = (0..docs.len()).collect();
    order.sort_by_key(|&i| canonical_key(&docs[i]));
    let mut stories: Vec<Building> = Vec::new();
    let mut index: HashMap<u32, Vec<usize>> = HashMap::default();
    let strongest: Vec<Vec<u32>> = vectors.iter().map(strongest_terms).collect();
    for &i in &order {
        let v = &vectors[i];
        let candidates = top_candidates(strongest[i].iter(), &index);
        let mut best: Option<(usize, f32)> = None;
        for s in candidates {
            let story = &stories[s];
            let gap = match (docs[i].date, story.first, story.last) {
                (Some(date), Some(first), Some(last)) => Some(gap_days(date, first, last)),
                _ => None,
            };
            let score = params.time_gated(dot(v, &story.centroid) / story.members.len() as f32, gap);
            if score > 0.0
                && score >= params.join_threshold(v)
                && best.is_none_or(|(_, b)| score > b)
                && shares_enough(v.iter().map(|(k, _)| k), &story.centroid)
            {
                best = Some((s, score));
            }
        }
        let s = match best {
            Some((s, _)) => s,
            None => {
                stories.push(Building { members: Vec::new(), centroid: HashMap::default(), first: None, last: None });
                stories.len() - 1
            }
        };
        let story = &mut stories[s];
        story.members.push(i);
        for (k, w) in v {
            *story.centroid.entry(*k).or_default() += w;
        }
        if let Some(date) = docs[i].date {
            story.first = Some(story.first.map_or(date, |f| f.min(date)));
            story.last = Some(story.last.map_or(date, |l| l.max(date)));
        }
        for term in &strongest[i] {
            post(index.entry(*term).or_default(), s);
        }
    }
    let groups = refine(docs, vectors, &strongest, params, stories.into_iter().map(|s| s.members).collect());
    absorb_small_stories(docs, vectors, params, groups)
}

/// Stories of at most this many articles are candidates for [`absorb_small_stories`].
pub const SMALL_STORY: usize = 2;

/// Merges each small story into the story its articles are closest to on
/// average, when that similarity reaches `absorb_threshold` (time gate
/// applied). Small stories are taken in canonical order; a story grown by
/// an absorption is no longer small. Candidates come from an inverted index
/// over the members' strongest features, as in the first pass.
pub fn absorb_small_stories(
    docs: &[ClusterDoc],
    vectors: &[SparseVec],
    params: &ClusterParams,
    mut groups: Vec<Vec<usize>>,
) -> Vec<Vec<usize>> {
    if params.absorb_threshold >= params.threshold {
        return groups;
    }
    let strongest: Vec<Vec<u32>> = vectors.iter().map(strongest_terms).collect();
    // Centroids are summed when first read, before their group changes, so
    // each is the one an eager pass would hold; most groups are never read.
    let mut centroids: Vec<Option<HashMap<u32, f32>>> = vec![None; groups.len()];
    let mut index: HashMap<u32, Vec<usize>> = HashMap::default();
    for (g, members) in groups.iter().enumerate() {
        for &m in members {
            for t in &strongest[m] {
                post(index.entry(*t).or_default(), g);
            }
        }
    }
    for g in 0..groups.len() {
        if groups[g].is_empty() || groups[g].len() > SMALL_STORY {
            continue;
        }
        let own = centroids[g].get_or_insert_with(|| centroid_of(&groups[g], vectors)).clone();
        let own_size = groups[g].len() as f32;
        let dates: Vec<NaiveDate> = groups[g].iter().filter_map(|&m| docs[m].date).collect();
        let terms: Vec<u32> = groups[g].iter().flat_map(|&m| strongest[m].iter().copied()).collect();
        let mut best: Option<(usize, f32)> = None;
        for h in top_candidates(terms.iter(), &index) {
            let members = &groups[h];
            if h == g || members.is_empty() {
                continue;
            }
            let theirs = centroids[h].get_or_insert_with(|| centroid_of(members, vectors));
            let similarity: f32 = own.iter().map(|(k, w)| w * theirs.get(k).copied().unwrap_or(0.0)).sum::<f32>()
                / (own_size * members.len() as f32);
            let gap = members
                .iter()
                .filter_map(|&m| docs[m].date)
                .flat_map(|d| dates.iter().map(move |e| (d - *e).num_days().abs()))
                .min();
            let score = params.time_gated(similarity, gap);
            if score > 0.0
                && score >= params.absorb_threshold
                && best.is_none_or(|(_, b)| score > b)
                && shares_enough(own.iter().filter(|(_, w)| **w > 1e-6).map(|(k, _)| k), theirs)
            {
                best = Some((h, score));
            }
        }
        if let Some((h, _)) = best {
            let moved = std::mem::take(&mut groups[g]);
            // h was read as a candidate above, so its centroid is summed.
            let theirs = centroids[h].get_or_insert_with(HashMap::default);
            for (k, w) in own {
                *theirs.entry(k).or_default() += w;
            }
            centroids[g] = Some(HashMap::default());
            for &m in &moved {
                for t in &strongest[m] {
                    post(index.entry(*t).or_default(), h);
                }
            }
            groups[h].extend(moved);
        }
    }
    groups.retain(|g| !g.is_empty());
    for g in &mut groups {
        g.sort_by_key(|&i| canonical_key(&docs[i]));
    }
    groups.sort_by_key(|g| canonical_key(&docs[g[0]]));
    groups
}

/// Passes of reassignment after the greedy pass.
const REFINE_PASSES: usize = 2;

/// Moves each article to the story its vector is most similar to on
/// average (itself left out), when that beats staying: the greedy pass saw
/// early stories before they were complete. Candidates come from the
/// inverted index and the time gate applies, as in the first pass.
fn refine(
    docs: &[ClusterDoc],
    vectors: &[SparseVec],
    strongest: &[Vec<u32>],
    params: &ClusterParams,
    mut groups: Vec<Vec<usize>>,
) -> Vec<Vec<usize>> {
    for _ in 0..REFINE_PASSES {
        let mut centroids: Vec<HashMap<u32, f32>> = vec![HashMap::default(); groups.len()];
        let mut owner: Vec<usize> = vec![0; docs.len()];
        let mut sizes: Vec<usize> = groups.iter().map(Vec::len).collect();
        let mut index: HashMap<u32, Vec<usize>> = HashMap::default();
        let mut dates: Vec<Vec<NaiveDate>> = vec![Vec::new(); groups.len()];
        for (g, members) in groups.iter().enumerate() {
            for &m in members {
                owner[m] = g;
                for (k, w) in &vectors[m] {
                    *centroids[g].entry(*k).or_default() += w;
                }
                for t in &strongest[m] {
                    post(index.entry(*t).or_default(), g);
                }
                dates[g].extend(docs[m].date);
            }
        }
        let mut moved = false;
        let mut order: Vec<usize> = (0..docs.len()).collect();
        order.sort_by_key(|&i| canonical_key(&docs[i]));
        for i in order {
            let v = &vectors[i];
            let own = owner[i];
            let self_sim: f32 = v.iter().map(|(_, w)| w * w).sum();
            let stay =
                if sizes[own] > 1 { (dot(v, &centroids[own]) - self_sim) / (sizes[own] - 1) as f32 } else { 0.0 };
            let mut best = (own, stay.max(params.join_threshold(v)));
            let candidates = top_candidates(strongest[i].iter(), &index);
            for g in candidates {
                if g == own || sizes[g] == 0 {
                    continue;
                }
                let gap = docs[i].date.and_then(|date| dates[g].iter().map(|d| (*d - date).num_days().abs()).min());
                let score = params.time_gated(dot(v, &centroids[g]) / sizes[g] as f32, gap);
                if score > best.1 && shares_enough(v.iter().map(|(k, _)| k), &centroids[g]) {
                    best = (g, score);
                }
            }
            if best.0 != own {
                for (k, w) in v {
                    *centroids[own].entry(*k).or_default() -= w;
                    *centroids[best.0].entry(*k).or_default() += w;
                }
                for t in &strongest[i] {
                    post(index.entry(*t).or_default(), best.0);
                }
                dates[best.0].extend(docs[i].date);
                sizes[own] -= 1;
                sizes[best.0] += 1;
                owner[i] = best.0;
                moved = true;
            }
        }
        let mut regrouped: Vec<Vec<usize>> = vec![Vec::new(); groups.len()];
        for (i, g) in owner.iter().enumerate() {
            regrouped[*g].push(i);
        }
        groups = regrouped.into_iter().filter(|g| !g.is_empty()).collect();
        if !moved {
            break;
        }
    }
    // Members in canonical order; groups by their first member.
    for g in &mut groups {
        g.sort_by_key(|&i| canonical_key(&docs[i]));
    }
    groups.sort_by_key(|g| canonical_key(&docs[g[0]]));
    groups
}

/// How many candidate stories, those sharing the most strong features with
/// the article, get a full similarity computation.
pub const SCORED_CANDIDATES: usize = 16;

/// The candidate stories of an article: those sharing most of its strong
/// features, at most [`SCORED_CANDIDATES`], ties by story index.
fn top_candidates<'a>(terms: impl Iterator<Item = &'a u32>, index: &HashMap<u32, Vec<usize>>) -> Vec<usize> {
    let mut hits: HashMap<usize, u32> = HashMap::default();
    for term in terms {
        for &story in index.get(term).into_iter().flatten() {
            *hits.entry(story).or_default() += 1;
        }
    }
    let mut ranked: Vec<(usize, u32)> = hits.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    ranked.truncate(SCORED_CANDIDATES);
    let mut stories: Vec<usize> = ranked.into_iter().map(|(s, _)| s).collect();
    stories.sort_unstable();
    stories
}

/// Adds a story to a bounded posting list, most recent last.
fn post(list: &mut Vec<usize>, story: usize) {
    if let Some(at) = list.iter().position(|&e| e == story) {
        list.remove(at);
    }
    list.push(story);
    if list.len() > POSTING_LIMIT {
        list.remove(0);
    }
}

/// The order articles are clustered in: dated ones by date, then undated,
/// ties by id. It makes the result independent of ingestion order.
pub fn canonical_key(doc: &ClusterDoc) -> (bool, Option<NaiveDate>, &str) {
    (doc.date.is_none(), doc.date, doc.id.as_str())
}

/// Dates for the undated members of each group, borrowed from the dated
/// ones: the best guess is the earliest member date, or the latest day the
/// article itself reports in the past without a year when that is later
/// (the store does the same); the range runs from the guess to the latest
/// member date. Returns (index, date, earliest, latest).
pub fn borrowed_dates(docs: &[ClusterDoc], groups: &[Vec<usize>]) -> Vec<(usize, NaiveDate, NaiveDate, NaiveDate)> {
    use storyline_nlp::estimate::{floor_in_year, latest_yearless_past_day};
    let mut out = Vec::new();
    for group in groups {
        let dates: Vec<NaiveDate> = group.iter().filter_map(|&i| docs[i].date).collect();
        let (Some(&first), Some(&last)) = (dates.iter().min(), dates.iter().max()) else { continue };
        out.extend(group.iter().filter(|&&i| docs[i].date.is_none()).map(|&i| {
            let floor = latest_yearless_past_day(&docs[i].text).and_then(|day| floor_in_year(day, first));
            let date = floor.map_or(first, |f| f.max(first));
            (i, date, date, last.max(date))
        }));
    }
    out
}

/// Why a story holds its articles (for `storyline show --explain`).
#[derive(Debug, Clone, PartialEq)]
pub struct Explanation {
    /// The features the members share most (readable names), strongest first.
    pub shared: Vec<String>,
    /// Per member: index, average similarity to the other members, days
    /// from the story's first date.
    pub members: Vec<(usize, f32, Option<i64>)>,
    /// The closest article outside the story: index, average similarity to
    /// the members, and why it was left out.
    pub closest_outside: Option<(usize, f32, String)>,
}

/// Explains a story: shared features, member similarities and dates, and
/// the closest article left out.
pub fn explain(
    docs: &[ClusterDoc],
    vectors: &[SparseVec],
    names: &[String],
    members: &[usize],
    params: &ClusterParams,
) -> Explanation {
    let mut centroid: HashMap<u32, f32> = HashMap::default();
    let mut presence: HashMap<u32, usize> = HashMap::default();
    for &m in members {
        for (k, w) in &vectors[m] {
            *centroid.entry(*k).or_default() += w;
            *presence.entry(*k).or_default() += 1;
        }
    }
    let mut shared: Vec<(u32, f32)> =
        centroid.iter().filter(|(k, _)| members.len() == 1 || presence[k] >= 2).map(|(k, w)| (*k, *w)).collect();
    shared.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let first = members.iter().filter_map(|&m| docs[m].date).min();
    let member_rows = members
        .iter()
        .map(|&m| {
            let self_sim: f32 = vectors[m].iter().map(|(_, w)| w * w).sum();
            let others = members.len().saturating_sub(1).max(1) as f32;
            let sim = (dot(&vectors[m], &centroid) - self_sim) / others;
            (m, sim, docs[m].date.zip(first).map(|(d, f)| (d - f).num_days()))
        })
        .collect();
    let last = members.iter().filter_map(|&m| docs[m].date).max();
    let closest_outside = (0..docs.len())
        .filter(|i| !members.contains(i))
        .map(|i| (i, dot(&vectors[i], &centroid) / members.len() as f32))
        .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
        .map(|(i, sim)| {
            let gap = match (docs[i].date, first, last) {
                (Some(d), Some(f), Some(l)) => Some(if d < f { (f - d).num_days() } else { (d - l).num_days().max(0) }),
                _ => None,
            };
            let threshold = params.join_threshold(&vectors[i]);
            let reason = match gap {
                Some(g) if g > params.max_gap_days && params.time_gated(sim, Some(g)) < threshold => format!(
                    "{g} days from the story's dates (more than {}), so its similarity {sim:.3} counts as {:.3}, below the threshold {threshold:.2}",
                    params.max_gap_days,
                    sim * params.time_penalty,
                ),
                _ if sim < threshold => format!("similarity {sim:.3} is below the threshold {threshold:.2}"),
                _ => format!("similarity {sim:.3}, but it is closer to its own story"),
            };
            (i, sim, reason)
        });
    Explanation {
        shared: shared.iter().take(12).map(|(k, _)| names[*k as usize].clone()).collect(),
        members: member_rows,
        closest_outside,
    }
}

/// A stable story id: derived from the id of its first member in canonical
/// order, so re-running on the same articles gives the same ids.
pub fn story_id(first_member_id: &str) -> String {
    format!("s{}", &blake3::hash(first_member_id.as_bytes()).to_hex()[..12])
}

/// The member whose vector is closest to the story's centroid: its headline
/// is the story's title.
pub fn most_central(members: &[usize], vectors: &[SparseVec]) -> Option<usize> {
    let centroid = centroid_of(members, vectors);
    members
        .iter()
        .copied()
        .max_by(|&a, &b| dot(&vectors[a], &centroid).total_cmp(&dot(&vectors[b], &centroid)).then(b.cmp(&a)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: &str, text: &str, date: Option<&str>) -> ClusterDoc {
        ClusterDoc {
            id: id.into(),
            lang: Some("en".into()),
            title: None,
            text: text.into(),
            date: date.and_then(|d| d.parse().ok()),
            entities: Vec::new(),
        }
    }

    #[test]
    fn same_event_groups_and_other_events_stay_apart() {
        let docs = vec![
            doc("a", "Dockworkers at Le Havre walked off the job on Thursday in a strike against the port reform of Minister Ferrand.", Some("2023-10-12")),
            doc("b", "The strike by dockworkers at Le Havre against the port reform paralysed the harbour, Minister Ferrand offered talks.", Some("2023-10-12")),
            doc("c", "A magnitude 6.9 earthquake struck northern Chile near Antofagasta, cutting power to thousands of homes.", Some("2024-06-18")),
            doc("d", "Dockworkers at Le Havre strike again against the port reform as Minister Ferrand's bill reaches parliament.", Some("2024-03-12")),
        ];
        let groups = cluster(&docs, &ClusterParams::default());
        assert!(groups.contains(&vec![0, 1]), "{groups:?}");
        assert!(groups.contains(&vec![2]), "{groups:?}");
        assert!(groups.contains(&vec![3]), "the look-alike strike months later is its own story: {groups:?}");
    }

    #[test]
    fn a_short_brief_is_absorbed_by_its_story_but_not_across_time() {
        let strike =
            "Dockworkers at Le Havre walked off the job in a strike against the port reform; cranes stood idle, \
            ships waited offshore and the union said the strike would last until the reform is withdrawn.";
        let docs = vec![
            doc("a", strike, Some("2023-10-12")),
            doc("b", &strike.replace("walked off the job", "stopped work"), Some("2023-10-12")),
            doc("c", "Le Havre: port strike goes on.", Some("2023-10-13")),
            doc("d", "Le Havre: port strike goes on.", Some("2024-05-20")),
        ];
        let strict =
            ClusterParams { threshold: 0.5, absorb_threshold: 1.0, brief_threshold: 1.0, ..ClusterParams::default() };
        let without = cluster(&docs, &strict);
        assert!(without.contains(&vec![0, 1]) && without.contains(&vec![2]), "{without:?}");
        let with = cluster(&docs, &ClusterParams { absorb_threshold: 0.1, ..strict });
        assert!(with.contains(&vec![0, 1, 2]), "{with:?}");
        assert!(with.contains(&vec![3]), "the brief seven months later stays apart: {with:?}");
        // The brief's own lower bar does the same without the absorbing pass.
        let briefs = cluster(&docs, &ClusterParams { brief_threshold: 0.1, ..strict });
        assert!(briefs.contains(&vec![0, 1, 2]), "{briefs:?}");
        assert!(briefs.contains(&vec![3]), "{briefs:?}");
    }

    #[test]
    fn a_sentence_frame_keeps_the_lower_case_words_and_slots_the_rest() {
        let (frame, fill) = sentence_frame("Quel temps est prévu à Rennes le vendredi 10 janvier 2020 ?").unwrap();
        assert_eq!(frame, "· temps est prévu à · le vendredi · janvier · ?");
        assert_eq!(fill, "quel rennes 10 2020");
        assert_eq!(sentence_frame("Woman Killed In Queens Hit-And-Run"), None, "title case is all slots");
        assert_eq!(sentence_frame("the strike goes on and on"), None, "no slot");
    }

    #[test]
    fn a_templated_headline_series_stays_apart_and_real_headlines_still_group() {
        let french = |id: &str, text: &str| ClusterDoc { lang: Some("fr".into()), ..doc(id, text, Some("2020-01-10")) };
        let mut docs: Vec<ClusterDoc> = ["Rennes", "Brest", "Nantes", "Lorient", "Quimper"]
            .iter()
            .map(|town| french(town, &format!("Quel temps est prévu à {town} le vendredi 10 janvier 2020 ?")))
            .collect();
        docs.push(french("orly-1", "Grève des contrôleurs aériens : 400 vols annulés à Orly vendredi"));
        docs.push(french("orly-2", "Orly : la grève des contrôleurs aériens fait annuler 400 vols"));
        let groups = cluster(&docs, &ClusterParams::default());
        for (town, member) in docs.iter().enumerate().take(5) {
            assert!(groups.contains(&vec![town]), "{} is alone: {groups:?}", member.id);
        }
        assert!(groups.contains(&vec![5, 6]), "{groups:?}");
    }

    #[test]
    fn one_headline_repeated_by_outlets_is_one_story_not_a_series() {
        // The same frame with the same words in its slots, three times
        // (outlets differ by spacing only), is one event; a frame whose
        // slots change is a series.
        let docs = vec![
            doc("a", "Rovers' Okafor arrested on suspicion of drink driving", Some("2024-03-12")),
            doc("b", "Rovers'  Okafor arrested on suspicion of drink driving", Some("2024-03-12")),
            doc("c", " Rovers' Okafor arrested on suspicion of drink  driving", Some("2024-03-12")),
            doc("d", "Harbour cranes idle as dockers strike for a second day in Antwerp", Some("2024-03-12")),
        ];
        let groups = cluster(&docs, &ClusterParams::default());
        assert!(groups.contains(&vec![0, 1, 2]), "{groups:?}");
        assert!(groups.contains(&vec![3]), "{groups:?}");
    }

    #[test]
    fn one_shared_feature_never_joins_a_story() {
        // Hand-made vectors so the test is about the rule, not the weights:
        // the story holds features 1, 2 and 3; a one-feature item (a
        // headline whose only strong word is a town's name) is close to it
        // on similarity alone, an item sharing two features joins.
        let story = vec![(1, 0.6), (2, 0.6), (3, 0.529)];
        let vectors: Vec<SparseVec> = vec![story.clone(), story, vec![(1, 1.0)], vec![(1, 0.707), (2, 0.707)]];
        let docs: Vec<ClusterDoc> = ["a", "b", "c", "d"].iter().map(|id| doc(id, "", Some("2024-03-12"))).collect();
        let groups = cluster_vectors(&docs, &vectors, &ClusterParams::default());
        assert!(groups.contains(&vec![2]), "one word in common is no evidence of one event: {groups:?}");
        assert!(groups.contains(&vec![0, 1, 3]), "{groups:?}");
    }

    #[test]
    fn input_order_does_not_change_the_stories() {
        let mut docs = vec![
            doc("a", "Floods hit the town of Crest as the Drome river burst its banks after heavy rain.", None),
            doc("b", "The Drome river burst its banks in Crest, floods forced hundreds to leave.", None),
            doc("c", "Northwind Robotics cuts 1,500 jobs as orders from retailers slow.", None),
        ];
        let ids = |docs: &[ClusterDoc]| {
            let mut groups: Vec<Vec<String>> = cluster(docs, &ClusterParams::default())
                .into_iter()
                .map(|g| {
                    let mut ids: Vec<String> = g.into_iter().map(|i| docs[i].id.clone()).collect();
                    ids.sort();
                    ids
                })
                .collect();
            groups.sort();
            groups
        };
        let forward = ids(&docs);
        docs.reverse();
        assert_eq!(forward, ids(&docs));
        assert_eq!(story_id("a"), story_id("a"));
        assert_ne!(story_id("a"), story_id("b"));
    }
}
