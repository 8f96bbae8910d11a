//! The words the finder reads, per language, from `resources/<lang>/`:
//! `speech_verbs.tsv` (expanded by `verb_inflections.tsv`),
//! `attribution_words.tsv`, `quote_marks.tsv`, `titles.txt`, the weekday
//! and relative-day names, and `determiners`.

use rustc_hash::FxHashMap;
use storyline_nlp::fold::fold;

/// What a cue verb reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CueClass {
    /// Speech.
    Say,
    /// Belief, opinion, intention.
    Think,
    /// Denial or refutation.
    Deny,
    /// Request or call.
    Ask,
}

impl CueClass {
    fn parse(text: &str) -> Option<Self> {
        match text {
            "say" => Some(CueClass::Say),
            "think" => Some(CueClass::Think),
            "deny" => Some(CueClass::Deny),
            "ask" => Some(CueClass::Ask),
            _ => None,
        }
    }

    /// The name exported as `cue_class`.
    pub fn as_str(&self) -> &'static str {
        match self {
            CueClass::Say => "say",
            CueClass::Think => "think",
            CueClass::Deny => "deny",
            CueClass::Ask => "ask",
        }
    }
}

/// The role a word plays around a cue (`attribution_words.tsv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Word {
    Marker,
    Complementizer,
    Pronoun,
    PronounPlural,
    PronounGeneric,
    Relative,
    Auxiliary,
    Negation,
    Adverb,
    Boundary,
    InfinitiveLink,
    Reporter,
    Medium,
    Determiner,
    Time,
    Preposition,
    DenialHead,
    NameLink,
    Coordinator,
    /// A common noun that names who speaks ("officials", "experts"): a
    /// speaker's phrase may end on it with no name or determiner.
    SpeakerNoun,
    /// A common noun that stands for an organisation named before ("l'entreprise",
    /// "the company"): as a speaker it is that organisation.
    OrganisationNoun,
    /// A one-word reply that is a whole statement ("said so", "said no").
    ShortAnswer,
    /// Opens an indirect question ("Asked whether ...").
    Question,
    /// A stressed or object pronoun that can follow a marker ("selon lui",
    /// "according to him"): the person last named.
    PronounStressed,
    /// The same for a group ("selon eux", "according to them").
    PronounStressedPlural,
    /// A preposition that makes a source of the phrase after it when that
    /// phrase names a `SourceNoun` ("In a CBS News poll, ...").
    SourceLink,
    /// What reports figures or findings by itself ("poll", "survey").
    SourceNoun,
    /// Opens a clause that lends its source to the rest of the sentence
    /// ("As the Post reported, ...").
    AsClause,
    /// A word of quantity that opens a noun phrase of people ("most of the
    /// candidates", "many Republicans").
    Quantifier,
    /// Opens a sentence with whose view it gives ("Pour l'économiste X, ..."):
    /// an attribution only when its phrase names someone.
    StanceLink,
    /// A verb whose subject is what is reported about, not who reports
    /// ("X seemed to ...").
    Raising,
    /// An auxiliary that makes the cue after it a passive ("X is expected
    /// to ...": its subject is not the speaker).
    PassiveAuxiliary,
    /// A verb that names its object ("called him a liar", "dubbed it
    /// “Obamacare”"): the object is part of what is said.
    Naming,
    /// A verb whose object is the person told ("told a Wall Street Journal
    /// lunch group that ..."): the object may be long before "that".
    Addressing,
    /// A word that opens a list of members after a noun ("unions,
    /// including X and Y,"): the list belongs to the noun's phrase.
    Inclusion,
    /// A conjunction opening a fronted subordinate clause ("While X said
    /// Y, Z ..."): a statement inside it ends with the clause.
    Subordinator,
    /// Joins two subjects into one ("Jeb Bush and Chris Christie say").
    SubjectLink,
    /// Introduces the agent of a passive cue, who is its speaker ("was asked by X").
    AgentLink,
    /// A subject that stands for no one ("it appears that ...", "there
    /// seemed to be ...").
    Expletive,
}

impl Word {
    fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "marker" => Word::Marker,
            "complementizer" => Word::Complementizer,
            "pronoun" => Word::Pronoun,
            "pronoun_plural" => Word::PronounPlural,
            "pronoun_generic" => Word::PronounGeneric,
            "relative" => Word::Relative,
            "auxiliary" => Word::Auxiliary,
            "negation" => Word::Negation,
            "adverb" => Word::Adverb,
            "boundary" => Word::Boundary,
            "infinitive_link" => Word::InfinitiveLink,
            "reporter" => Word::Reporter,
            "medium" => Word::Medium,
            "preposition" => Word::Preposition,
            "denial_head" => Word::DenialHead,
            "name_link" => Word::NameLink,
            "coordinator" => Word::Coordinator,
            "determiner" => Word::Determiner,
            "speaker_noun" => Word::SpeakerNoun,
            "organisation_noun" => Word::OrganisationNoun,
            "short_answer" => Word::ShortAnswer,
            "question" => Word::Question,
            "pronoun_stressed" => Word::PronounStressed,
            "pronoun_stressed_plural" => Word::PronounStressedPlural,
            "source_link" => Word::SourceLink,
            "source_noun" => Word::SourceNoun,
            "as_clause" => Word::AsClause,
            "stance_link" => Word::StanceLink,
            "quantifier" => Word::Quantifier,
            "raising" => Word::Raising,
            "passive_auxiliary" => Word::PassiveAuxiliary,
            "naming" => Word::Naming,
            "addressing" => Word::Addressing,
            "inclusion" => Word::Inclusion,
            "subordinator" => Word::Subordinator,
            "subject_link" => Word::SubjectLink,
            "agent_link" => Word::AgentLink,
            "expletive" => Word::Expletive,
            _ => return None,
        })
    }
}

/// One language's attribution vocabulary, every key folded.
#[derive(Debug, Default)]
pub struct Lexicon {
    /// Cue forms (one word, or several joined by a space) and their class.
    pub(crate) cues: FxHashMap<String, CueClass>,
    /// The most words a cue form has.
    pub(crate) cue_words: usize,
    /// Single words and their roles (a word may have several).
    pub(crate) words: FxHashMap<String, Vec<Word>>,
    /// Multi-word entries ("d'après", "according to") as folded token lists.
    pub(crate) phrases: Vec<(Vec<String>, Word)>,
    /// Quote mark pairs (opening, closing).
    pub(crate) marks: Vec<(char, char)>,
    /// Role titles ("président", "porte-parole"), folded, as token lists.
    pub(crate) titles: Vec<Vec<String>>,
    /// Opening marks of quotes that a cue may interrupt without closing them
    /// (« C'est fini, a-t-il dit. Nous partons. »).
    pub(crate) incise_marks: Vec<char>,
    /// Endings of a present participle ("ajoutant", "adding").
    pub(crate) participle_endings: Vec<String>,
    /// Endings of adverbs of manner ("-ly"): between a subject and its verb
    /// ("had initially welcomed"), they belong to the verb.
    pub(crate) adverb_endings: Vec<String>,
    /// Endings of an infinitive that a verb can report ("vouloir").
    pub(crate) infinitive_endings: Vec<String>,
    /// Endings of a finite verb that, right before a complementizer and
    /// after a speaker, is a cue even when it is not listed ("conceded that").
    pub(crate) clause_verb_endings: Vec<String>,
    /// Endings of a possessive ("Cruz's"): the word after one is a noun.
    pub(crate) possessive_endings: Vec<String>,
    /// Endings of plural agent nouns ("forecasters", "specialists"): such a
    /// noun names people who can speak, listed or not.
    pub(crate) agent_plural_endings: Vec<String>,
    /// The infinitive link ("to") itself opens a reported infinitive.
    pub(crate) to_infinitive: bool,
    /// A speech verb may take a clause without a complementizer ("said the deal ...").
    pub(crate) bare_clause: bool,
    /// Cue forms that report only a clause or a quote, never an object
    /// ("relever que" notes; "relever l'âge" raises it): `clause` in the
    /// fourth column of `speech_verbs.tsv`.
    pub(crate) clause_only_cues: rustc_hash::FxHashSet<String>,
    /// Cue forms whose content, when it is no clause or quote, is their
    /// object alone ("endorsed Sanders in the primary, launched ..."):
    /// `object` in the fourth column of `speech_verbs.tsv`.
    pub(crate) object_cues: rustc_hash::FxHashSet<String>,
}

impl Lexicon {
    /// Loads a language's files; a language without them gives an empty
    /// lexicon, which finds nothing.
    pub fn load(lang: &str) -> Lexicon {
        let mut lexicon = Lexicon::default();
        let inflections = storyline_nlp::verbs::Inflections::load(lang);
        for row in storyline_resources::rows(lang, "speech_verbs.tsv") {
            let (Some(lemma), Some(class)) = (row.first(), row.get(1).and_then(|c| CueClass::parse(c))) else {
                continue;
            };
            let forms: Vec<String> = match row.get(2).filter(|listed| listed.as_str() != "-") {
                Some(listed) => listed.split_whitespace().map(|f| f.replace('_', " ")).collect(),
                None => inflections.forms(&lemma.replace('_', " ")),
            };
            let clause_only = row.get(3).is_some_and(|c| c == "clause");
            let object = row.get(3).is_some_and(|c| c == "object");
            for form in forms {
                let key = fold(&form);
                lexicon.cue_words = lexicon.cue_words.max(key.split(' ').count());
                if clause_only {
                    lexicon.clause_only_cues.insert(key.clone());
                }
                if object {
                    lexicon.object_cues.insert(key.clone());
                }
                lexicon.cues.insert(key, class);
            }
        }
        for row in storyline_resources::rows(lang, "attribution_words.tsv") {
            let list = row.get(1).map(String::as_str).unwrap_or("");
            match row.first().map(String::as_str) {
                Some("adverb_ending") => {
                    lexicon.adverb_endings.extend(list.split_whitespace().map(str::to_string));
                }
                Some("participle_ending") => {
                    lexicon.participle_endings.extend(list.split_whitespace().map(str::to_string));
                    continue;
                }
                Some("infinitive_ending") => {
                    lexicon.infinitive_endings.extend(list.split_whitespace().map(str::to_string));
                    continue;
                }
                Some("possessive_ending") => {
                    lexicon.possessive_endings.extend(list.split_whitespace().map(fold));
                    continue;
                }
                Some("agent_plural_ending") => {
                    lexicon.agent_plural_endings.extend(list.split_whitespace().map(fold));
                    continue;
                }
                Some("clause_verb_ending") => {
                    lexicon.clause_verb_endings.extend(list.split_whitespace().map(str::to_string));
                    continue;
                }
                Some("incise_mark") => {
                    lexicon.incise_marks.extend(list.split_whitespace().filter_map(|m| m.chars().next()));
                    continue;
                }
                Some("option") => {
                    lexicon.to_infinitive |= list.split_whitespace().any(|o| o == "to_infinitive");
                    lexicon.bare_clause |= list.split_whitespace().any(|o| o == "bare_clause");
                    continue;
                }
                _ => {}
            }
            let Some(kind) = row.first().and_then(|k| Word::parse(k)) else {
                continue;
            };
            for entry in list.split_whitespace() {
                lexicon.add_word(&entry.replace('_', " "), kind);
            }
        }
        for word in storyline_resources::lines(lang, "determiners.txt") {
            lexicon.add_word(&word, Word::Determiner);
        }
        // The events' actor nouns ("officials", "rebels") name speakers too.
        for row in storyline_resources::rows(lang, "actor_nouns.tsv") {
            for word in row.get(1).into_iter().flat_map(|w| w.split_whitespace()) {
                lexicon.add_word(word, Word::SpeakerNoun);
            }
        }
        for file in ["weekdays.tsv", "relative_days.tsv"] {
            for row in storyline_resources::rows(lang, file) {
                let names = if file == "weekdays.tsv" { row.get(1) } else { row.first() };
                for name in names.into_iter().flat_map(|n| n.split(['|', ','])) {
                    lexicon.add_word(name.trim(), Word::Time);
                }
            }
        }
        for row in storyline_resources::rows(lang, "quote_marks.tsv") {
            let open = row.first().and_then(|m| m.chars().next());
            let close = row.get(1).and_then(|m| m.chars().next());
            if let (Some(open), Some(close)) = (open, close) {
                lexicon.marks.push((open, close));
            }
        }
        lexicon.titles = storyline_resources::lines(lang, "titles.txt")
            .iter()
            .map(|t| fold(t).split([' ', '-']).map(str::to_string).collect())
            .collect();
        lexicon
    }

    fn add_word(&mut self, entry: &str, kind: Word) {
        let key = fold(entry);
        if key.is_empty() {
            return;
        }
        // "d'après" is two tokens for the tokenizer ("d'" and "après").
        let parts = split_like_tokens(&key);
        if parts.len() > 1 {
            self.phrases.push((parts, kind));
        } else {
            let kinds = self.words.entry(key).or_default();
            if !kinds.contains(&kind) {
                kinds.push(kind);
            }
        }
    }

    /// Whether a folded token has this role.
    pub(crate) fn is(&self, folded: &str, kind: Word) -> bool {
        self.words.get(folded).is_some_and(|k| k.contains(&kind))
    }

    /// Whether a folded word looks like an infinitive a verb can report.
    pub(crate) fn looks_infinitive(&self, word: &str) -> bool {
        word.chars().count() > 3 && self.infinitive_endings.iter().any(|e| word.ends_with(e.as_str()))
    }

    /// Whether the lexicon knows anything (a language without files does not).
    pub fn is_empty(&self) -> bool {
        self.cues.is_empty()
    }
}

/// Splits a folded entry where the tokenizer would: after an elided
/// article ("d'") and at spaces.
fn split_like_tokens(key: &str) -> Vec<String> {
    let mut parts = Vec::new();
    for word in key.split(' ') {
        match word.split_once('\'') {
            Some((head, tail)) if !tail.is_empty() && head.len() <= 5 => {
                parts.push(format!("{head}'"));
                parts.push(tail.to_string());
            }
            _ => parts.push(word.to_string()),
        }
    }
    parts
}

/// Every language's lexicon, loaded once.
pub fn lexicon(lang: &str) -> &'static Lexicon {
    static CACHE: std::sync::OnceLock<std::sync::Mutex<FxHashMap<String, &'static Lexicon>>> =
        std::sync::OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut map = cache.lock().unwrap_or_else(|e| e.into_inner());
    map.entry(lang.to_string()).or_insert_with(|| Box::leak(Box::new(Lexicon::load(lang))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regular_verbs_are_expanded_and_irregular_ones_listed() {
        let fr = Lexicon::load("fr");
        for form in ["declare", "annoncait", "dit", "estime", "dementi", "mis en garde"] {
            assert!(fr.cues.contains_key(form), "{form}");
        }
        assert_eq!(fr.cues.get("dementi"), Some(&CueClass::Deny));
        let en = Lexicon::load("en");
        for form in ["said", "stated", "denied", "denies", "pointed out", "calls for", "sought", "talked about"] {
            assert!(en.cues.contains_key(form), "{form}");
        }
        // "state", "report" and "attack" as bare forms are nouns far more often than verbs.
        for form in ["state", "states", "attacks"] {
            assert!(!en.cues.contains_key(form), "{form}");
        }
        assert!(fr.phrases.iter().any(|(p, k)| p == &["d'", "apres"] && *k == Word::Marker));
        assert!(fr.is("lundi", Word::Time));
        assert!(Lexicon::load("xx").is_empty());
    }
}
