//! A greedy averaged-perceptron sequence tagger over hashed features, BIO
//! tags for PER, LOC, ORG and MISC.
//!
//! Greedy left-to-right decoding with the two previous predicted tags as
//! features (as spaCy's first tagger and NER did): fast, and good enough when
//! the features carry capitalisation, context and gazetteers.

use std::collections::HashMap;
use std::io::{Read, Write};

/// The tag set: O, then B- and I- of each type.
pub const TAGS: [&str; 9] = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-MISC", "I-MISC"];
/// The number of tags.
pub const N: usize = TAGS.len();
const MAGIC: &[u8; 8] = b"SLNER02\n";

/// The index of a tag name (unknown tags read as O).
pub fn tag_index(tag: &str) -> usize {
    TAGS.iter().position(|t| *t == tag).unwrap_or(0)
}

/// The sum of the weight rows of `features` (unknown features weigh nothing).
fn sum_rows(weights: &HashMap<u32, [f32; N]>, features: &[u32]) -> [f32; N] {
    let mut s = [0.0; N];
    for w in features.iter().filter_map(|f| weights.get(f)) {
        for (a, b) in s.iter_mut().zip(w) {
            *a += b;
        }
    }
    s
}

/// Feature weights, one row of `N` scores per hashed feature.
#[derive(Debug, Default, Clone)]
pub struct Model {
    weights: HashMap<u32, [f32; N]>,
}

impl Model {
    /// Scores of each tag for a set of features.
    pub fn scores(&self, features: &[u32]) -> [f32; N] {
        sum_rows(&self.weights, features)
    }

    /// The number of features with weights.
    pub fn len(&self) -> usize {
        self.weights.len()
    }

    /// Whether the model is empty (untrained).
    pub fn is_empty(&self) -> bool {
        self.weights.is_empty()
    }

    /// Writes the model gzipped: a scale, then per feature its key, a mask of
    /// the tags with a weight, and those weights as 16-bit multiples of the
    /// scale.
    pub fn save(&self, out: impl Write) -> std::io::Result<()> {
        let mut gz = flate2::write::GzEncoder::new(out, flate2::Compression::best());
        gz.write_all(MAGIC)?;
        let mut keys: Vec<&u32> = self.weights.keys().collect();
        keys.sort_unstable();
        let max = self.weights.values().flatten().fold(0f32, |m, x| m.max(x.abs())).max(1e-6);
        let scale = max / 32767.0;
        let mut body = Vec::new();
        let mut count = 0u32;
        for key in keys {
            let w = &self.weights[key];
            let q: Vec<i16> = w.iter().map(|x| (x / scale).round().clamp(-32767.0, 32767.0) as i16).collect();
            let mask: u16 = q.iter().enumerate().filter(|(_, v)| **v != 0).fold(0, |m, (i, _)| m | (1 << i));
            if mask == 0 {
                continue;
            }
            count += 1;
            body.extend_from_slice(&key.to_le_bytes());
            body.extend_from_slice(&mask.to_le_bytes());
            for v in q.iter().filter(|v| **v != 0) {
                body.extend_from_slice(&v.to_le_bytes());
            }
        }
        gz.write_all(&scale.to_le_bytes())?;
        gz.write_all(&count.to_le_bytes())?;
        gz.write_all(&body)?;
        gz.finish()?;
        Ok(())
    }

    /// Reads a model written by [`Model::save`].
    pub fn load(input: impl Read) -> std::io::Result<Self> {
        let bad = |m: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, m.to_string());
        let mut bytes = Vec::new();
        flate2::read::GzDecoder::new(input).read_to_end(&mut bytes)?;
        if bytes.len() < 16 || &bytes[..8] != MAGIC {
            return Err(bad("not a storyline NER model"));
        }
        let scale = f32::from_le_bytes(bytes[8..12].try_into().unwrap());
        let count = u32::from_le_bytes(bytes[12..16].try_into().unwrap()) as usize;
        let mut weights = HashMap::with_capacity(count);
        let mut at = 16;
        let mut take = |n: usize| -> std::io::Result<&[u8]> {
            let s = bytes.get(at..at + n).ok_or_else(|| bad("truncated NER model"))?;
            at += n;
            Ok(s)
        };
        for _ in 0..count {
            let key = u32::from_le_bytes(take(4)?.try_into().unwrap());
            let mask = u16::from_le_bytes(take(2)?.try_into().unwrap());
            let mut w = [0.0; N];
            for (i, slot) in w.iter_mut().enumerate() {
                if mask & (1 << i) != 0 {
                    *slot = i16::from_le_bytes(take(2)?.try_into().unwrap()) as f32 * scale;
                }
            }
            weights.insert(key, w);
        }
        Ok(Model { weights })
    }
}

/// Trains a model with the averaged perceptron.
#[derive(Debug, Default)]
pub struct Trainer {
    weights: HashMap<u32, [f32; N]>,
    totals: HashMap<u32, [f32; N]>,
    stamps: HashMap<u32, [u32; N]>,
    step: u32,
}

impl Trainer {
    /// The current (not averaged) model's scores.
    pub fn scores(&self, features: &[u32]) -> [f32; N] {
        sum_rows(&self.weights, features)
    }

    /// Counts one example seen (the clock of the averaging).
    pub fn tick(&mut self) {
        self.step += 1;
    }

    /// Moves weight from the predicted tag to the gold tag.
    pub fn update(&mut self, features: &[u32], gold: usize, guess: usize) {
        if gold == guess {
            return;
        }
        for f in features {
            for (tag, delta) in [(gold, 1.0), (guess, -1.0)] {
                let w = self.weights.entry(*f).or_insert([0.0; N]);
                let total = self.totals.entry(*f).or_insert([0.0; N]);
                let stamp = self.stamps.entry(*f).or_insert([0; N]);
                total[tag] += (self.step - stamp[tag]) as f32 * w[tag];
                stamp[tag] = self.step;
                w[tag] += delta;
            }
        }
    }

    /// The averaged model.
    pub fn average(mut self) -> Model {
        let step = self.step.max(1);
        let mut weights = HashMap::with_capacity(self.weights.len());
        for (f, w) in self.weights.drain() {
            let total = self.totals.get(&f).copied().unwrap_or([0.0; N]);
            let stamp = self.stamps.get(&f).copied().unwrap_or([0; N]);
            let mut avg = [0.0; N];
            for i in 0..N {
                avg[i] = (total[i] + (step - stamp[i]) as f32 * w[i]) / step as f32;
            }
            if avg.iter().any(|x| x.abs() >= 0.002) {
                weights.insert(f, avg);
            }
        }
        Model { weights }
    }
}

/// Whether tag `next` may follow tag `prev` in BIO (I-X only after B-X or I-X).
pub fn allowed(prev: usize, next: usize) -> bool {
    let name = TAGS[next];
    match name.strip_prefix("I-") {
        Some(kind) => TAGS[prev].get(2..) == Some(kind),
        None => true,
    }
}

/// The begin tag of the type of an inside tag ("I-PER" gives "B-PER"); other
/// tags are returned as they are.
pub fn begin_of(tag: usize) -> usize {
    match TAGS[tag].strip_prefix("I-") {
        Some(kind) => TAGS.iter().position(|t| t.strip_prefix("B-") == Some(kind)).unwrap_or(tag),
        None => tag,
    }
}

/// The best tag allowed after `prev`.
pub fn best(scores: &[f32; N], prev: usize) -> usize {
    let mut best = 0;
    for t in 1..N {
        if allowed(prev, t) && scores[t] > scores[best] {
            best = t;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inside_tags_have_a_begin_tag() {
        assert_eq!(TAGS[begin_of(tag_index("I-PER"))], "B-PER");
        assert_eq!(TAGS[begin_of(tag_index("I-MISC"))], "B-MISC");
        assert_eq!(TAGS[begin_of(tag_index("B-LOC"))], "B-LOC");
        assert_eq!(begin_of(0), 0);
    }

    #[test]
    fn save_and_load_keep_weights() {
        let mut t = Trainer::default();
        t.tick();
        t.update(&[1, 2], 1, 0);
        t.tick();
        let m = t.average();
        let mut buf = Vec::new();
        m.save(&mut buf).unwrap();
        let back = Model::load(&buf[..]).unwrap();
        assert_eq!(back.len(), 2);
        assert!(back.scores(&[1])[1] > 0.0 && back.scores(&[1])[0] < 0.0);
        assert!(Model::load(&b"junk"[..]).is_err());
    }

    #[test]
    fn inside_tags_need_their_begin() {
        assert!(!allowed(0, tag_index("I-PER")));
        assert!(allowed(tag_index("B-PER"), tag_index("I-PER")));
        assert!(!allowed(tag_index("B-LOC"), tag_index("I-PER")));
    }
}
