//! Word lists from `resources/<lang>/` in the form the cleaners use, and
//! the text folding they share.

use std::collections::{HashMap, HashSet};

pub use storyline_nlp::fold::{fold, token_slices, tokens};

/// The word lists of one language, or the union of several.
#[derive(Debug, Default, Clone)]
pub struct Lexicon {
    /// Function words.
    pub stopwords: HashSet<String>,
    /// Web-UI phrases, tokenised, indexed by their first token.
    ui_phrases: HashMap<String, Vec<Vec<String>>>,
    /// Teaser headings, tokenised.
    teaser_headings: HashSet<Vec<String>>,
    /// The most tokens a teaser heading has: longer lines are not looked up.
    teaser_heading_max_tokens: usize,
    /// Byline openers, folded.
    pub byline_prefixes: Vec<String>,
    /// Words written right before a page's own date ("updated"), folded.
    pub date_cues: Vec<String>,
    /// Month names and abbreviations, folded.
    pub month_names: HashSet<String>,
    /// Author values that name no one ("admin", "undefined"), folded.
    pub author_placeholders: HashSet<String>,
    /// Given names, lowercased (accents kept): a month name that is also one
    /// ("June") is a name.
    pub given_names: HashSet<String>,
    /// Job titles written after a byline's name ("staff writer"), folded.
    pub author_roles: Vec<String>,
    /// Single-word particles inside people's names ("van", "de"), folded.
    pub name_particles: HashSet<String>,
}

impl Lexicon {
    /// Loads and merges the resources of `langs`.
    pub fn load(langs: &[&str]) -> Self {
        let mut lexicon = Lexicon::default();
        for lang in langs {
            lexicon.stopwords.extend(storyline_resources::lines(lang, "stopwords.txt").iter().map(|w| fold(w)));
            for phrase in storyline_resources::lines(lang, "ui_boilerplate.txt") {
                let toks = tokens(&fold(&phrase));
                if let Some(first) = toks.first() {
                    let entry = lexicon.ui_phrases.entry(first.clone()).or_default();
                    if !entry.contains(&toks) {
                        entry.push(toks);
                    }
                }
            }
            for heading in storyline_resources::lines(lang, "teaser_headings.txt") {
                let toks = tokens(&fold(&heading));
                lexicon.teaser_heading_max_tokens = lexicon.teaser_heading_max_tokens.max(toks.len());
                lexicon.teaser_headings.insert(toks);
            }
            lexicon
                .byline_prefixes
                .extend(storyline_resources::lines(lang, "byline_prefixes.txt").iter().map(|p| fold(p)));
            for row in storyline_resources::lines(lang, "months.tsv") {
                lexicon.month_names.extend(row.split('\t').skip(1).map(fold));
            }
            lexicon
                .given_names
                .extend(storyline_resources::lines(lang, "given_names.txt").iter().map(|n| n.to_lowercase()));
            lexicon
                .author_placeholders
                .extend(storyline_resources::lines(lang, "author_placeholders.txt").iter().map(|n| fold(n)));
            lexicon.author_roles.extend(storyline_resources::lines(lang, "author_roles.txt").iter().map(|r| fold(r)));
            lexicon.name_particles.extend(
                storyline_resources::lines(lang, "name_particles.txt")
                    .iter()
                    .map(|p| fold(p))
                    .filter(|p| !p.contains(' ') && p.chars().all(char::is_alphabetic)),
            );
            lexicon.date_cues.extend(storyline_resources::lines(lang, "date_cues.txt").iter().map(|p| fold(p)));
        }
        for phrases in lexicon.ui_phrases.values_mut() {
            phrases.sort_by_key(|p| std::cmp::Reverse(p.len()));
        }
        lexicon
    }

    /// The share of a line's words (tokens with letters) covered by UI
    /// phrases; tokens without letters are neutral. 0 for a line with no words.
    pub fn ui_coverage<T: AsRef<str>>(&self, toks: &[T]) -> f32 {
        let has_letter = |t: &T| t.as_ref().chars().any(char::is_alphabetic);
        let alpha = toks.iter().filter(|t| has_letter(t)).count();
        if alpha == 0 {
            return 0.0;
        }
        let mut covered = 0;
        let mut i = 0;
        while i < toks.len() {
            let matched = self
                .ui_phrases
                .get(toks[i].as_ref())
                .and_then(|phrases| {
                    let rest = &toks[i..];
                    phrases.iter().find(|p| p.len() <= rest.len() && p.iter().zip(rest).all(|(a, b)| a == b.as_ref()))
                })
                .map(Vec::len);
            match matched {
                Some(n) => {
                    covered += toks[i..i + n].iter().filter(|t| has_letter(t)).count();
                    i += n;
                }
                None => i += 1,
            }
        }
        covered as f32 / alpha as f32
    }

    /// True when a folded line opens with a UI phrase followed by a
    /// separator and more text: a labelled teaser ("À lire aussi : ...") or
    /// a breadcrumb ("Dernières infos - Monde").
    pub fn starts_with_ui_label(&self, folded: &str) -> bool {
        for sep in [":", " - ", " | ", " > ", " › ", " » ", " >> ", " – ", " → "] {
            if let Some((head, tail)) = folded.split_once(sep) {
                let head_tokens: Vec<&str> = token_slices(head).collect();
                if !head_tokens.is_empty() && !tail.trim().is_empty() && self.ui_coverage(&head_tokens) >= 1.0 {
                    return true;
                }
            }
        }
        false
    }

    /// True when a folded line is exactly a teaser heading ("À lire aussi").
    pub fn is_teaser_heading(&self, folded: &str) -> bool {
        // Most lines are longer than any heading; counting is cheaper than tokenising.
        let count = token_slices(folded).count();
        count <= self.teaser_heading_max_tokens && self.teaser_headings.contains(&tokens(folded))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_strips_accents_and_keeps_length() {
        assert_eq!(fold("  Écouter   AUSSI’s "), "ecouter aussi's");
        assert_eq!(fold("Réinitialiser").chars().count(), "Réinitialiser".chars().count());
    }

    #[test]
    fn ui_coverage_counts_words_in_interface_phrases() {
        let lexicon = Lexicon::load(&["fr", "en"]);
        let cover = |s: &str| lexicon.ui_coverage(&tokens(&fold(s)));
        assert_eq!(cover("Se connecter"), 1.0);
        assert_eq!(cover("3 mn"), 1.0);
        assert_eq!(cover("Skip to main content"), 1.0);
        assert!(cover("Le ministre a démissionné hier soir à Paris") < 0.2);
        assert!(lexicon.starts_with_ui_label(&fold("À lire aussi : un autre sujet")));
        assert!(lexicon.starts_with_ui_label(&fold("Lire aussi » Les marchés reculent encore")));
        assert!(lexicon.starts_with_ui_label(&fold("See also >> Markets fall again")));
        assert!(!lexicon.starts_with_ui_label(&fold("Monde : la crise s'étend")));
        assert!(lexicon.is_teaser_heading(&fold("A lire aussi")));
    }
}
