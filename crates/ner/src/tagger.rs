//! Features of a token in its sentence, and the tagger that applies a model.

use storyline_nlp::fold::fold;

use crate::gazetteer::Gazetteer;
use crate::perceptron::{self, Model, Trainer};

/// What the feature templates need to know of each token, computed once per
/// sentence.
#[derive(Debug, Clone)]
struct TokenInfo {
    lower: String,
    shape: String,
    capitalised: bool,
    /// 0 none, 1 begins a place name, 2 inside one; +2 when a country.
    place: u8,
    title_ends_here: bool,
    demonym: bool,
    org_word: bool,
    stop: bool,
    /// Fine and coarse word classes as strings ("" when unknown).
    fine: String,
    coarse: String,
    case_habit: &'static str,
}

fn shape(word: &str) -> String {
    let mut out = String::new();
    let mut last = ' ';
    let mut run = 0;
    for c in word.chars() {
        let k = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_numeric() {
            'd'
        } else {
            c
        };
        if k == last {
            run += 1;
            if run >= 2 {
                continue;
            }
        } else {
            run = 0;
        }
        out.push(k);
        last = k;
    }
    out
}

fn infos(words: &[&str], gaz: &Gazetteer) -> Vec<TokenInfo> {
    let folded: Vec<String> = words.iter().map(|w| fold(w)).collect();
    let mut place = vec![0u8; words.len()];
    let mut title_end = vec![false; words.len()];
    let mut i = 0;
    while i < words.len() {
        let capital = words[i].chars().next().is_some_and(char::is_uppercase);
        if capital {
            // Continents and world regions are typed by the recogniser, not the tagger.
            if let Some((n, is_country)) = gaz.tagger_place_at(&folded, i) {
                let country = if is_country { 2 } else { 0 };
                place[i] = 1 + country;
                for p in &mut place[i + 1..i + n] {
                    *p = 2 + country;
                }
                i += n;
                continue;
            }
        }
        i += 1;
    }
    for i in 0..words.len() {
        if let Some(n) = gaz.title_at(&folded, i) {
            title_end[i + n - 1] = true;
        }
    }
    let classes = gaz.classes();
    let class: Vec<_> = words.iter().map(|w| classes.get(w)).collect();
    words
        .iter()
        .zip(folded)
        .enumerate()
        .map(|(i, (w, lower))| TokenInfo {
            shape: shape(w),
            capitalised: w.chars().next().is_some_and(char::is_uppercase),
            place: place[i],
            title_ends_here: title_end[i],
            demonym: gaz.demonym(&lower).is_some(),
            org_word: gaz.is_org_word(&lower),
            stop: gaz.is_stopword(&lower),
            fine: class[i].map_or(String::new(), |c| c.fine.to_string()),
            coarse: class[i].map_or(String::new(), |c| c.coarse.to_string()),
            case_habit: classes.case_habit(w).name(),
            lower,
        })
        .collect()
}

fn hash(template: u8, parts: &[&str]) -> u32 {
    let mut h: u64 = 0xcbf29ce484222325 ^ template as u64;
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            h = (h ^ 0x1f).wrapping_mul(0x100000001b3);
        }
        for b in p.bytes() {
            h = (h ^ b as u64).wrapping_mul(0x100000001b3);
        }
    }
    (h ^ (h >> 32)) as u32
}

fn prefix(s: &str, n: usize) -> &str {
    s.char_indices().nth(n).map_or(s, |(i, _)| &s[..i])
}

fn suffix(s: &str, n: usize) -> &str {
    let count = s.chars().count();
    if count <= n {
        return s;
    }
    s.char_indices().nth(count - n).map_or(s, |(i, _)| &s[i..])
}

const BOS: &str = "<s>";
const EOS: &str = "</s>";

fn features(t: &[TokenInfo], i: usize, prev: usize, prev2: usize, out: &mut Vec<u32>) {
    out.clear();
    let w = &t[i];
    let at = |j: isize| -> Option<&TokenInfo> { usize::try_from(i as isize + j).ok().and_then(|j| t.get(j)) };
    let word = |j: isize| at(j).map_or(if j < 0 { BOS } else { EOS }, |x| x.lower.as_str());
    let shp = |j: isize| at(j).map_or("", |x| x.shape.as_str());
    let flag = |b: bool| if b { "1" } else { "0" };
    let p1 = perceptron::TAGS[prev];
    let p2 = perceptron::TAGS[prev2];
    out.push(hash(0, &[]));
    out.push(hash(1, &[&w.lower]));
    out.push(hash(2, &[&w.shape]));
    out.push(hash(3, &[prefix(&w.lower, 3)]));
    out.push(hash(4, &[suffix(&w.lower, 3)]));
    out.push(hash(22, &[suffix(&w.lower, 4)]));
    out.push(hash(5, &[word(-1)]));
    out.push(hash(6, &[word(1)]));
    out.push(hash(7, &[word(-2)]));
    out.push(hash(8, &[word(2)]));
    out.push(hash(9, &[shp(-1), &w.shape]));
    out.push(hash(10, &[&w.shape, shp(1)]));
    out.push(hash(11, &[p1]));
    out.push(hash(12, &[p2, p1]));
    out.push(hash(13, &[p1, &w.lower]));
    out.push(hash(24, &[p1, &w.shape]));
    out.push(hash(23, &[word(-1), &w.lower]));
    let place = |j: isize| at(j).map_or(0, |x| x.place);
    out.push(hash(14, &[&place(0).to_string()]));
    out.push(hash(15, &[&place(-1).to_string(), &place(0).to_string()]));
    out.push(hash(16, &[&place(0).to_string(), &place(1).to_string()]));
    let title_before = at(-1).is_some_and(|x| x.title_ends_here);
    let title_before2 = at(-2).is_some_and(|x| x.title_ends_here);
    out.push(hash(17, &[flag(title_before), flag(title_before2), flag(w.capitalised)]));
    let demonym_near = (at(-1).is_some_and(|x| x.demonym), at(1).is_some_and(|x| x.demonym));
    out.push(hash(18, &[flag(demonym_near.0), flag(demonym_near.1), flag(w.capitalised)]));
    out.push(hash(25, &[flag(w.demonym), &w.shape]));
    out.push(hash(19, &[flag(w.org_word), flag(at(-1).is_some_and(|x| x.org_word)), flag(w.capitalised)]));
    out.push(hash(20, &[flag(i == 0), &w.shape]));
    out.push(hash(21, &[flag(w.stop), flag(w.capitalised)]));
    let fine = |j: isize| at(j).map_or(if j < 0 { BOS } else { EOS }, |x| x.fine.as_str());
    let coarse = |j: isize| at(j).map_or(if j < 0 { BOS } else { EOS }, |x| x.coarse.as_str());
    out.push(hash(26, &[fine(0)]));
    out.push(hash(27, &[coarse(0)]));
    out.push(hash(28, &[coarse(-1), coarse(0)]));
    out.push(hash(29, &[coarse(0), coarse(1)]));
    out.push(hash(30, &[fine(-1)]));
    out.push(hash(31, &[fine(1)]));
    out.push(hash(32, &[p1, coarse(0)]));
    out.push(hash(33, &[w.case_habit, flag(i == 0)]));
    out.push(hash(34, &[w.case_habit, at(-1).map_or("", |x| x.case_habit), flag(i == 0)]));
}

/// Applies a model to sentences of words.
#[derive(Debug)]
pub struct Tagger<'g> {
    model: Model,
    gazetteer: &'g Gazetteer,
}

impl<'g> Tagger<'g> {
    /// A tagger with a trained model.
    pub fn new(model: Model, gazetteer: &'g Gazetteer) -> Self {
        Tagger { model, gazetteer }
    }

    /// BIO tag indices (see [`perceptron::TAGS`]) for one sentence.
    pub fn tag(&self, words: &[&str]) -> Vec<usize> {
        let t = infos(words, self.gazetteer);
        let mut tags = Vec::with_capacity(words.len());
        let mut feats = Vec::with_capacity(32);
        for i in 0..words.len() {
            let (p1, p2) = (prev(&tags, 1), prev(&tags, 2));
            features(&t, i, p1, p2, &mut feats);
            tags.push(perceptron::best(&self.model.scores(&feats), p1));
        }
        tags
    }
}

fn prev(tags: &[usize], back: usize) -> usize {
    if tags.len() >= back {
        tags[tags.len() - back]
    } else {
        0
    }
}

/// One training sentence: words and gold tag indices.
pub type TrainingSentence = (Vec<String>, Vec<usize>);

/// Trains a model on tagged sentences for `epochs` passes (shuffled with a
/// fixed seed, so training is reproducible); `progress` gets each epoch's
/// token accuracy.
pub fn train(
    sentences: &[TrainingSentence],
    gazetteer: &Gazetteer,
    epochs: usize,
    mut progress: impl FnMut(usize, f64),
) -> Model {
    let prepared: Vec<(Vec<TokenInfo>, &[usize])> = sentences
        .iter()
        .map(|(words, tags)| {
            let refs: Vec<&str> = words.iter().map(String::as_str).collect();
            (infos(&refs, gazetteer), tags.as_slice())
        })
        .collect();
    let mut order: Vec<usize> = (0..prepared.len()).collect();
    let mut seed: u64 = 0x9e3779b97f4a7c15;
    let mut trainer = Trainer::default();
    let mut feats = Vec::with_capacity(32);
    for epoch in 0..epochs {
        for i in (1..order.len()).rev() {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            order.swap(i, (seed >> 33) as usize % (i + 1));
        }
        let (mut right, mut total) = (0usize, 0usize);
        for &s in &order {
            let (t, gold) = &prepared[s];
            let mut tags: Vec<usize> = Vec::with_capacity(t.len());
            for i in 0..t.len() {
                let (p1, p2) = (prev(&tags, 1), prev(&tags, 2));
                features(t, i, p1, p2, &mut feats);
                let guess = perceptron::best(&trainer.scores(&feats), p1);
                // After a tag of another type, a gold inside tag cannot be
                // chosen: the entity starts here for this tagger. Teaching
                // the inside tag anyway inflated its weights on every
                // feature and pushed them down where it is allowed.
                let target = if perceptron::allowed(p1, gold[i]) { gold[i] } else { perceptron::begin_of(gold[i]) };
                trainer.tick();
                trainer.update(&feats, target, guess);
                right += usize::from(guess == gold[i]);
                total += 1;
                tags.push(guess);
            }
        }
        progress(epoch + 1, right as f64 / total.max(1) as f64);
    }
    trainer.average()
}

/// Entity spans of a BIO tag sequence: (first token, end token, type).
pub fn spans(tags: &[usize]) -> Vec<(usize, usize, &'static str)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < tags.len() {
        let name = perceptron::TAGS[tags[i]];
        if let Some(kind) = name.strip_prefix("B-").or_else(|| name.strip_prefix("I-")) {
            let mut j = i + 1;
            while j < tags.len() && perceptron::TAGS[tags[j]].strip_prefix("I-") == Some(kind) {
                j += 1;
            }
            out.push((i, j, kind));
            i = j;
        } else {
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::perceptron::tag_index;

    #[test]
    fn shapes_collapse_runs() {
        assert_eq!(shape("Garibachvili"), "Xxx");
        assert_eq!(shape("ONU"), "XX");
        assert_eq!(shape("14/05/2018"), "dd/dd/dd");
    }

    #[test]
    fn a_tiny_model_learns_a_pattern() {
        let g = Gazetteer::default();
        let s = |w: &str, t: &[&str]| -> TrainingSentence {
            (w.split(' ').map(str::to_string).collect(), t.iter().map(|x| tag_index(x)).collect())
        };
        let data = vec![
            s("hier Jean Dupont est venu", &["O", "B-PER", "I-PER", "O", "O"]),
            s("hier Marie Durand est venue", &["O", "B-PER", "I-PER", "O", "O"]),
            s("il est allé à Lyon", &["O", "O", "O", "O", "B-LOC"]),
            s("elle est allée à Nantes", &["O", "O", "O", "O", "B-LOC"]),
        ];
        let model = train(&data, &g, 10, |_, _| {});
        let tagger = Tagger::new(model, &g);
        let tags = tagger.tag(&["il", "est", "allé", "à", "Lyon"]);
        assert_eq!(spans(&tags), vec![(4, 5, "LOC")]);
        let tags = tagger.tag(&["hier", "Paul", "Martin", "est", "venu"]);
        assert_eq!(spans(&tags), vec![(1, 3, "PER")], "an unseen two-word name stays whole");
    }
}
