//! The words the event coder reads, per language, from `resources/<lang>/`:
//! `event_verbs.tsv` (expanded by `verb_inflections.tsv`),
//! `event_nouns.tsv`, `event_words.tsv`, `actor_nouns.tsv`, `demonyms.tsv`
//! and `titles.txt`.

use rustc_hash::FxHashMap;
use storyline_nlp::fold::fold;

use crate::Root;

/// Where a trigger's target is found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Slots {
    /// The direct object.
    pub obj: bool,
    /// An infinitive may follow, whose object is the target.
    pub inf: bool,
    /// A coordinated subject gives source and target.
    pub sym: bool,
    /// Prepositions (folded, split like tokens) before the target.
    pub preps: Vec<Vec<String>>,
    /// A preposition is listed before `obj`: the phrase after it is looked
    /// for first ("return X to Y": the recipient Y is the target).
    pub prep_first: bool,
}

impl Slots {
    fn parse(text: &str) -> Slots {
        let mut slots = Slots::default();
        for slot in text.split_whitespace() {
            match slot {
                "obj" => {
                    slots.obj = true;
                    slots.prep_first = !slots.preps.is_empty();
                }
                "inf" => slots.inf = true,
                "sym" => slots.sym = true,
                prep => slots.preps.push(split_like_tokens(&prep.replace('_', " ").to_lowercase())),
            }
        }
        slots
    }
}

/// A verb form or event noun that codes an event.
#[derive(Debug, Clone)]
pub(crate) struct Trigger {
    /// Its folded tokens.
    pub words: Vec<String>,
    pub root: Root,
    pub slots: Slots,
    /// An event noun: needs a light verb before it.
    pub noun: bool,
    /// The forms (lowercase, as written) of these words that are past
    /// participles (they may be passive): folding merges "attaqué" with
    /// "attaque", so the written token decides.
    pub participles: Vec<String>,
    /// The form is a gerund or present participle ("attacking", "attaquant").
    pub gerund: bool,
    /// The form is the lemma (an English bare form, a French infinitive):
    /// a finite verb only after an auxiliary, a modal or an infinitive marker.
    pub lemma: bool,
    /// The form is a future tense (French "frappera").
    pub future: bool,
}

/// The role a word plays around a trigger (`event_words.tsv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Word {
    Auxiliary,
    Passive,
    Agent,
    Negation,
    Intention,
    Hypothetical,
    Conditional,
    Denial,
    LightVerb,
    Boundary,
    Subordinator,
    Time,
    Preposition,
    Pronoun,
    PronounGroup,
    Skip,
    Coordinator,
    Infinitive,
    Particle,
    Location,
    Stop,
}

impl Word {
    fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "auxiliary" => Word::Auxiliary,
            "passive" => Word::Passive,
            "agent" => Word::Agent,
            "negation" => Word::Negation,
            "intention" => Word::Intention,
            "hypothetical" => Word::Hypothetical,
            "conditional" => Word::Conditional,
            "denial" => Word::Denial,
            "light_verb" => Word::LightVerb,
            "boundary" => Word::Boundary,
            "subordinator" => Word::Subordinator,
            "time" => Word::Time,
            "preposition" => Word::Preposition,
            "pronoun" => Word::Pronoun,
            "pronoun_group" => Word::PronounGroup,
            "skip" => Word::Skip,
            "coordinator" => Word::Coordinator,
            "infinitive" => Word::Infinitive,
            "particle" => Word::Particle,
            "location" => Word::Location,
            "stop" => Word::Stop,
            _ => return None,
        })
    }
}

/// One language's event words.
#[derive(Debug, Default)]
pub struct Lexicon {
    /// Triggers by their first folded token.
    pub(crate) triggers: FxHashMap<String, Vec<Trigger>>,
    words: FxHashMap<String, Vec<Word>>,
    /// Multi-token entries of `event_words.tsv`.
    pub(crate) phrases: Vec<(Vec<String>, Word)>,
    /// Actor nouns and title words with their sector.
    pub(crate) actors: FxHashMap<String, String>,
    /// Demonym forms with their country code.
    pub(crate) demonyms: FxHashMap<String, String>,
    /// A past participle without auxiliary is also a finite verb (English
    /// simple past), from `option bare_participle_finite`.
    pub(crate) bare_participle_finite: bool,
    /// A bare verb form followed by its object is a present tense ("Police
    /// arrest a man"), from `option bare_lemma_before_object`.
    pub(crate) bare_lemma_before_object: bool,
    /// Endings of gerunds (`gerund_ending`): a phrase ends before one.
    pub(crate) gerund_endings: Vec<String>,
    /// Endings of adverbs (`adverb_ending`).
    pub(crate) adverb_endings: Vec<String>,
    /// Endings of infinitives or gerunds (`nonfinite_ending`).
    pub(crate) nonfinite_endings: Vec<String>,
    /// Every preposition a slot names (ends a noun phrase).
    pub(crate) slot_preps: FxHashMap<String, ()>,
}

impl Lexicon {
    /// Loads a language's files; a language without them gives an empty
    /// lexicon, which codes nothing.
    pub fn load(lang: &str) -> Lexicon {
        let mut lexicon = Lexicon::default();
        let inflections = storyline_nlp::verbs::Inflections::load(lang);
        let future_endings: Vec<String> = storyline_resources::rows(lang, "event_words.tsv")
            .into_iter()
            .filter(|row| row.first().is_some_and(|k| k == "future_ending"))
            .flat_map(|row| row.get(1).map(|e| e.split_whitespace().map(fold).collect::<Vec<_>>()).unwrap_or_default())
            .collect();
        for row in storyline_resources::rows(lang, "event_verbs.tsv") {
            let (Some(lemma), Some(root)) = (row.first(), row.get(1).and_then(|r| Root::parse(r))) else {
                continue;
            };
            let slots = Slots::parse(row.get(2).map(String::as_str).unwrap_or("obj"));
            let lemma = lemma.replace('_', " ");
            let forms: Vec<String> = match row.get(3) {
                Some(listed) => listed.split_whitespace().map(|f| f.replace('_', " ")).collect(),
                None => inflections.forms(&lemma),
            };
            for form in forms {
                let folded = fold(&form);
                let head = folded.split(' ').next().unwrap_or("");
                let lower = form.to_lowercase();
                let written_head = lower.split(' ').next().unwrap_or("");
                let participles = if is_participle(written_head, &lemma.to_lowercase(), lang) {
                    vec![written_head.to_string()]
                } else {
                    Vec::new()
                };
                let gerund = head.ends_with("ing") && lang == "en" || head.ends_with("ant") && lang == "fr";
                let future = folded
                    .split(' ')
                    .any(|w| w != fold(&lemma) && future_endings.iter().any(|e| w.ends_with(e.as_str())));
                lexicon.add_trigger(Trigger {
                    words: split_like_tokens(&folded),
                    root,
                    slots: slots.clone(),
                    noun: false,
                    participles,
                    gerund,
                    lemma: folded == fold(&lemma),
                    future,
                });
            }
        }
        for row in storyline_resources::rows(lang, "event_nouns.tsv") {
            let (Some(forms), Some(root)) = (row.first(), row.get(1).and_then(|r| Root::parse(r))) else {
                continue;
            };
            let slots = Slots::parse(row.get(2).map(String::as_str).unwrap_or(""));
            for form in forms.split_whitespace() {
                let words = split_like_tokens(&fold(&form.replace('_', " ")));
                let trigger = Trigger {
                    words,
                    root,
                    slots: slots.clone(),
                    noun: true,
                    participles: Vec::new(),
                    gerund: false,
                    lemma: false,
                    future: false,
                };
                lexicon.add_trigger(trigger);
            }
        }
        for row in storyline_resources::rows(lang, "event_words.tsv") {
            if row.first().is_some_and(|k| k == "option") {
                let options = row.get(1).map(String::as_str).unwrap_or("");
                lexicon.bare_participle_finite |= options.split_whitespace().any(|o| o == "bare_participle_finite");
                lexicon.bare_lemma_before_object |= options.split_whitespace().any(|o| o == "bare_lemma_before_object");
                continue;
            }
            if row.first().is_some_and(|k| k == "future_ending") {
                continue;
            }
            if row.first().is_some_and(|k| k == "gerund_ending") {
                let endings = row.get(1).map(String::as_str).unwrap_or("");
                lexicon.gerund_endings.extend(endings.split_whitespace().map(fold));
                continue;
            }
            if row.first().is_some_and(|k| k == "adverb_ending") {
                let endings = row.get(1).map(String::as_str).unwrap_or("");
                lexicon.adverb_endings.extend(endings.split_whitespace().map(fold));
                continue;
            }
            if row.first().is_some_and(|k| k == "nonfinite_ending") {
                let endings = row.get(1).map(String::as_str).unwrap_or("");
                lexicon.nonfinite_endings.extend(endings.split_whitespace().map(fold));
                continue;
            }
            let Some(kind) = row.first().and_then(|k| Word::parse(k)) else { continue };
            for entry in row.get(1).map(String::as_str).unwrap_or("").split_whitespace() {
                lexicon.add_word(&entry.replace('_', " "), kind);
            }
        }
        // Weekday and month names belong to time phrases ("on Tuesday").
        for row in storyline_resources::rows(lang, "weekdays.tsv")
            .into_iter()
            .chain(storyline_resources::rows(lang, "months.tsv"))
        {
            for name in row.iter().skip(1) {
                lexicon.add_word(name, Word::Time);
            }
        }
        for row in storyline_resources::rows(lang, "actor_nouns.tsv") {
            let Some(sector) = row.first() else { continue };
            for word in row.get(1).map(String::as_str).unwrap_or("").split_whitespace() {
                lexicon.actors.insert(fold(&word.replace('_', " ")), sector.clone());
            }
        }
        for title in storyline_resources::lines(lang, "titles.txt") {
            for word in fold(&title).split([' ', '-']) {
                if word.chars().count() > 3 {
                    lexicon.actors.entry(word.to_string()).or_insert_with(|| "GOV".to_string());
                }
            }
        }
        for row in storyline_resources::rows(lang, "demonyms.tsv") {
            let Some(code) = row.first() else { continue };
            for form in &row[1..] {
                lexicon.demonyms.insert(fold(form), code.clone());
            }
        }
        let preps: Vec<String> =
            lexicon.triggers.values().flatten().flat_map(|t| t.slots.preps.iter().flatten().cloned()).collect();
        for prep in preps {
            lexicon.slot_preps.insert(prep, ());
        }
        lexicon
    }

    fn add_trigger(&mut self, trigger: Trigger) {
        let Some(first) = trigger.words.first().cloned() else { return };
        let list = self.triggers.entry(first).or_default();
        // A form listed twice keeps its first reading of each kind (verb,
        // noun); forms that fold alike ("attaque", "attaqué") pool their
        // participles.
        match list.iter_mut().find(|t| t.words == trigger.words && t.noun == trigger.noun) {
            Some(known) => known.participles.extend(trigger.participles),
            None => list.push(trigger),
        }
    }

    fn add_word(&mut self, entry: &str, kind: Word) {
        // Keys keep their accents: "à" is not "a" (has).
        let key = entry.to_lowercase();
        if key.is_empty() {
            return;
        }
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
    pub(crate) fn is(&self, lower: &str, kind: Word) -> bool {
        self.words.get(lower).is_some_and(|k| k.contains(&kind))
    }

    /// Whether a folded word looks like a gerund ("warning", "demandant").
    pub(crate) fn looks_gerund(&self, word: &str) -> bool {
        word.chars().count() > 5 && self.gerund_endings.iter().any(|e| word.ends_with(e.as_str()))
    }

    /// Whether a folded word looks like an adverb ("strongly", "militairement").
    pub(crate) fn looks_adverb(&self, word: &str) -> bool {
        word.chars().count() > 4 && self.adverb_endings.iter().any(|e| word.ends_with(e.as_str()))
    }

    /// Whether a folded word looks like an infinitive or a gerund.
    pub(crate) fn looks_nonfinite(&self, word: &str) -> bool {
        word.chars().count() > 3 && self.nonfinite_endings.iter().any(|e| word.ends_with(e.as_str()))
    }

    /// Whether the lexicon knows anything (a language without files does not).
    pub fn is_empty(&self) -> bool {
        self.triggers.is_empty()
    }
}

/// Whether a verb form is a participle or gerund (it may then be passive,
/// adjectival or nominal, and needs more context to be a finite verb).
fn is_participle(form: &str, lemma: &str, lang: &str) -> bool {
    if form == lemma {
        return false;
    }
    match lang {
        "en" => form.ends_with("ed") || form.ends_with("en") || form.ends_with("wn") || form.ends_with('t'),
        "fr" => {
            let regular = ["é", "ée", "és", "ées", "i", "ie", "is", "ies", "u", "ue", "us", "ues"];
            // "dit", "interdite": the participles of verbs in -ire.
            let in_ire = lemma.ends_with("ire") && ["it", "ite", "its", "ites"].iter().any(|e| form.ends_with(e));
            regular.iter().any(|e| form.ends_with(e)) || in_ire
        }
        _ => false,
    }
}

/// Splits a folded entry where the tokenizer would: after an elided
/// article ("d'", "s'") and at spaces.
pub(crate) fn split_like_tokens(key: &str) -> Vec<String> {
    let mut parts = Vec::new();
    for word in key.split(' ') {
        match word.split_once('\'') {
            Some((head, tail)) if !tail.is_empty() && storyline_ner::tokenize::is_elision(head) => {
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
