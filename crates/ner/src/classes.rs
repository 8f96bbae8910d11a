//! Distributional word classes (`resources/<lang>/word_clusters.tsv.gz`,
//! made by `scripts/word_clusters.py` from CC0 word vectors): words used in
//! the same contexts share a class, so the tagger can treat a name it never
//! saw in training like the names it did see. The file lists words most
//! frequent first, which also tells whether a word is more often written
//! capitalised than in lowercase.

use std::collections::HashMap;

/// What the class table knows of one word as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WordClass {
    /// Fine class (about a thousand).
    pub fine: u16,
    /// Coarse class (about a hundred).
    pub coarse: u16,
    /// Frequency rank in the source vocabulary (0 = most frequent).
    pub rank: u32,
}

/// How a capitalised word's forms compare in frequency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseHabit {
    /// Only the capitalised form is known: a name.
    OnlyCapitalised,
    /// Both known, the capitalised one more frequent.
    MostlyCapitalised,
    /// Both known, the lowercase one more frequent: a common word.
    MostlyLowercase,
    /// The word is not in the table, or not capitalised.
    Unknown,
}

impl CaseHabit {
    /// A short name for feature templates.
    pub fn name(self) -> &'static str {
        match self {
            CaseHabit::OnlyCapitalised => "only-cap",
            CaseHabit::MostlyCapitalised => "mostly-cap",
            CaseHabit::MostlyLowercase => "mostly-low",
            CaseHabit::Unknown => "unknown",
        }
    }
}

/// Word classes merged over the languages that have a table (first one wins).
#[derive(Debug, Default)]
pub struct WordClasses {
    words: HashMap<Box<str>, WordClass>,
    /// The languages whose table was read.
    langs: Vec<String>,
}

impl WordClasses {
    /// Loads every language's table.
    pub fn load() -> Self {
        let mut out = WordClasses::default();
        for lang in storyline_resources::languages() {
            if let Some(text) = crate::gazetteer::gzipped_text(lang, "word_clusters.tsv.gz") {
                out.add_table(&text);
                out.langs.push(lang.to_string());
            }
        }
        out
    }

    /// Adds the rows of one table (word, fine class, coarse class; most
    /// frequent first), keeping words already known.
    pub fn add_table(&mut self, text: &str) {
        let base = self.words.len() as u32;
        let rows = text.lines().filter(|l| !l.starts_with('#'));
        for (rank, line) in rows.enumerate() {
            let mut cols = line.split('\t');
            let (Some(word), Some(fine), Some(coarse)) = (cols.next(), cols.next(), cols.next()) else {
                continue;
            };
            let (Ok(fine), Ok(coarse)) = (fine.parse(), coarse.parse()) else {
                continue;
            };
            self.words.entry(word.into()).or_insert(WordClass { fine, coarse, rank: base + rank as u32 });
        }
    }

    /// The class of a word as written, else of its lowercase or capitalised
    /// form.
    pub fn get(&self, word: &str) -> Option<WordClass> {
        if let Some(c) = self.words.get(word) {
            return Some(*c);
        }
        let lower = word.to_lowercase();
        if let Some(c) = self.words.get(lower.as_str()) {
            return Some(*c);
        }
        self.words.get(capitalise(&lower).as_str()).copied()
    }

    /// Whether a table of `lang`'s own was read (the habits of one
    /// language's words say little of another's: French "putin").
    pub fn has_table(&self, lang: &str) -> bool {
        self.langs.iter().any(|l| l == lang)
    }

    /// Whether a capitalised word is usually written so.
    pub fn case_habit(&self, word: &str) -> CaseHabit {
        if !word.chars().next().is_some_and(char::is_uppercase) {
            return CaseHabit::Unknown;
        }
        let lower = word.to_lowercase();
        let capital = self.words.get(word).or_else(|| self.words.get(capitalise(&lower).as_str()));
        match (capital, self.words.get(lower.as_str())) {
            (Some(_), None) => CaseHabit::OnlyCapitalised,
            (Some(c), Some(l)) if c.rank < l.rank => CaseHabit::MostlyCapitalised,
            (_, Some(_)) => CaseHabit::MostlyLowercase,
            (None, None) => CaseHabit::Unknown,
        }
    }

    /// The number of words known.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// Whether no table was loaded.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}

fn capitalise(lower: &str) -> String {
    let mut chars = lower.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_and_case_habits_come_from_the_table() {
        let mut c = WordClasses::default();
        c.add_table("# header\nle\t1\t1\nParis\t7\t2\nmarché\t3\t1\nMarché\t3\t1\nOrban\t7\t2\n");
        assert_eq!(c.get("Paris").map(|w| w.fine), Some(7));
        assert_eq!(c.get("PARIS").map(|w| w.fine), Some(7), "capitalised form of the lowercase word");
        assert_eq!(c.get("Le").map(|w| w.coarse), Some(1));
        assert_eq!(c.get("Zzyzx"), None);
        assert_eq!(c.case_habit("Orban"), CaseHabit::OnlyCapitalised);
        assert_eq!(c.case_habit("Marché"), CaseHabit::MostlyLowercase);
        assert_eq!(c.case_habit("Le"), CaseHabit::MostlyLowercase);
        assert_eq!(c.case_habit("paris"), CaseHabit::Unknown, "not capitalised");
        c.add_table("paris\t9\t9\n");
        assert_eq!(c.case_habit("Paris"), CaseHabit::MostlyCapitalised);
    }

    #[test]
    fn the_shipped_french_table_groups_names() {
        let c = WordClasses::load();
        assert!(c.len() > 100_000);
        let class = |w: &str| c.get(w).map(|x| x.coarse);
        assert!(class("Lyon").is_some() && class("Lyon") == class("Bordeaux"), "two French cities");
        assert_eq!(c.case_habit("Bordeaux"), CaseHabit::MostlyCapitalised);
        assert_eq!(c.case_habit("Gouvernement"), CaseHabit::MostlyLowercase);
    }
}
