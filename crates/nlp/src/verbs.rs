//! Regular verb forms from a language's `verb_inflections.tsv`: a lemma
//! ending in a rule's ending takes each of its endings instead. Shared by
//! the stages that read verb lexicons (attributions, events), so a verb
//! file lists lemmas and only irregular verbs spell their forms.

/// A language's inflection rules.
#[derive(Debug, Clone, Default)]
pub struct Inflections {
    /// (ending, the endings that replace it); an empty ending is the
    /// default rule ("-" in the file).
    rules: Vec<(String, Vec<String>)>,
}

impl Inflections {
    /// Reads `resources/<lang>/verb_inflections.tsv` (none: lemmas stay as written).
    pub fn load(lang: &str) -> Inflections {
        let rules = storyline_resources::rows(lang, "verb_inflections.tsv")
            .into_iter()
            .map(|row| {
                let ending = row.first().filter(|e| *e != "-").cloned().unwrap_or_default();
                let forms = row.get(1).map(|f| f.split_whitespace().map(str::to_string).collect()).unwrap_or_default();
                (ending, forms)
            })
            .collect();
        Inflections { rules }
    }

    /// The lemma and its regular forms, from the longest matching ending's
    /// rule. In a phrase ("point out") the first word takes the endings.
    pub fn forms(&self, lemma: &str) -> Vec<String> {
        let (verb, rest) = match lemma.split_once(' ') {
            Some((verb, rest)) => (verb, format!(" {rest}")),
            None => (lemma, String::new()),
        };
        let rule = self
            .rules
            .iter()
            .filter(|(ending, _)| verb.ends_with(ending.as_str()))
            .max_by_key(|(ending, _)| ending.len());
        let mut forms = vec![lemma.to_string()];
        if let Some((ending, endings)) = rule {
            let stem = &verb[..verb.len() - ending.len()];
            forms.extend(endings.iter().map(|e| format!("{stem}{e}{rest}")));
        }
        forms
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_ending_wins_and_phrases_inflect_their_first_word() {
        let en = Inflections::load("en");
        let forms = en.forms("point out");
        assert!(forms.contains(&"pointed out".to_string()), "{forms:?}");
        assert!(en.forms("deny").contains(&"denied".to_string()));
        let fr = Inflections::load("fr");
        assert!(fr.forms("annoncer").contains(&"annoncé".to_string()));
        assert_eq!(Inflections::load("xx").forms("walk"), vec!["walk".to_string()]);
    }
}
