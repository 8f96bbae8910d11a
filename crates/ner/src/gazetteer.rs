//! Gazetteers and role lexicons from `resources/<lang>/`: countries
//! (iso-codes), cities (GeoNames), demonyms, title words and organisation
//! head words, looked up by folded token sequences.

use std::collections::{HashMap, HashSet};

use storyline_nlp::fold::fold;

/// A place a gazetteer knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Place {
    /// A country by ISO 3166-1 alpha-2 code (packed as two bytes).
    Country([u8; 2]),
    /// A city by GeoNames id.
    City(u32),
    /// A country's subdivision (state, province, region) by ISO 3166-2
    /// code, zero-padded ("US-CA").
    Region([u8; 6]),
    /// A continent, world region or major natural feature ("Europe",
    /// "Moyen-Orient", "Alpes") from `world_regions.tsv`, by a code of our
    /// own (ASCII, up to four letters, zero-padded).
    WorldRegion([u8; 4]),
    /// A well-known organisation or seat of power from
    /// `organisations.tsv`, by its code (ASCII, zero-padded). Not a place,
    /// but looked up, named and linked the same way.
    Org([u8; 12]),
}

impl Place {
    /// A stable identifier: `iso:AM`, `geonames:616052`.
    pub fn key(&self) -> String {
        match self {
            Place::Country(code) => format!("iso:{}", String::from_utf8_lossy(code)),
            Place::City(id) => format!("geonames:{id}"),
            Place::Region(code) => format!("iso:{}", String::from_utf8_lossy(code).trim_end_matches('\0')),
            Place::WorldRegion(code) => format!("world:{}", String::from_utf8_lossy(code).trim_end_matches('\0')),
            Place::Org(code) => format!("org:{}", String::from_utf8_lossy(code).trim_end_matches('\0')),
        }
    }
}

/// Lexicons used to recognise and describe entities, merged over every
/// language that has them (a French article may use an English name).
#[derive(Debug, Default)]
pub struct Gazetteer {
    places: HashMap<String, Vec<Place>>,
    /// ISO 3166-1 alpha-3 codes as written ("USA"), from `countries_alpha3.tsv`.
    alpha3: HashMap<String, Place>,
    orgs: HashMap<String, Place>,
    /// Exact spellings of one-word organisation names ("UN", "Kremlin"):
    /// a one-word match must be written so, or "Un" would be the UN.
    org_words_exact: HashSet<String>,
    max_org_tokens: usize,
    /// Per language, words written in lowercase in ordinary text
    /// (`common_words.txt.gz`), lowercased.
    common_words: HashMap<String, HashSet<String>>,
    /// Words of sports reports, by language (`sports_words.txt`).
    sports_words: HashMap<String, HashSet<String>>,
    /// Prepositions after which a place name is the place (`locative_prepositions.txt`).
    locative_prepositions: HashSet<String>,
    english_names: HashMap<Place, String>,
    demonyms: HashMap<String, [u8; 2]>,
    titles: HashSet<String>,
    org_words: HashSet<String>,
    /// Nouns that announce an organisation's name a few words later ("le
    /// groupe de rock Nine Inch Nails", "le label Epitaph").
    org_cues: HashSet<String>,
    org_links: HashSet<String>,
    region_words: HashSet<String>,
    org_inner_links: HashSet<String>,
    stopwords: HashSet<String>,
    boilerplate: HashSet<String>,
    determiners: HashSet<String>,
    calendar: HashSet<String>,
    /// The same, per language.
    calendar_by_lang: HashMap<String, HashSet<String>>,
    /// Cities named in the gazetteers of several languages: the major ones.
    major_cities: HashSet<Place>,
    /// Time zone abbreviations ("UTC", "CET"): datelines put them beside place names.
    time_zones: HashSet<String>,
    /// Last parts of a compound made on a name ("US-led", "Berlin-based").
    compound_suffixes: HashSet<String>,
    place_heads: HashSet<String>,
    place_suffixes: HashSet<String>,
    club_affixes: HashSet<String>,
    org_suffixes: HashSet<String>,
    given_names: HashSet<String>,
    state_heads: HashSet<String>,
    org_heads: HashSet<String>,
    portfolio_heads: HashSet<String>,
    place_adjectives: HashSet<String>,
    place_qualifiers: HashSet<String>,
    event_words: HashSet<String>,
    max_event_tokens: usize,
    name_particles: HashSet<String>,
    adjective_endings: Vec<String>,
    max_place_tokens: usize,
    max_title_tokens: usize,
    classes: crate::classes::WordClasses,
}

fn code(text: &str) -> Option<[u8; 2]> {
    let b = text.as_bytes();
    (b.len() == 2).then(|| [b[0], b[1]])
}

/// The folded, space-joined token key of a phrase ("Haut-Rhin" gives
/// "haut-rhin", "l'Ukraine" gives "l' ukraine").
/// An acronym written with stops is the acronym ("U.S." gives "us", as "US" does).
pub fn phrase_key(text: &str) -> String {
    let tokens = crate::tokenize::tokenize(text);
    let folded: Vec<String> = tokens.iter().map(|t| fold(&t.text)).collect();
    let initial = |w: &String| {
        let mut chars = w.chars();
        matches!((chars.next(), chars.next(), chars.next()), (Some(c), Some('.'), None) if c.is_alphabetic())
    };
    if folded.len() >= 2 && folded.iter().all(initial) {
        return folded.iter().filter_map(|w| w.chars().next()).collect();
    }
    folded.join(" ")
}

impl Gazetteer {
    /// Loads every language's resources.
    pub fn load() -> Self {
        let mut g = Gazetteer::default();
        for lang in storyline_resources::languages() {
            // CLDR last: its short and variant names ("US", "Biélorussie") add to the usual ones.
            let countries = ["countries_common.tsv", "countries.tsv", "countries_cldr.tsv"]
                .map(|f| storyline_resources::rows(lang, f));
            for row in countries.iter().flatten() {
                if let (Some(c), Some(name)) = (row.first().and_then(|c| code(c)), row.get(1)) {
                    g.add_place(name, Place::Country(c), lang == "en");
                }
            }
            // ISO alpha-3 codes ("USA"): read only as written, in capitals.
            for row in storyline_resources::rows(lang, "countries_alpha3.tsv") {
                if let (Some(c), Some(name)) = (row.first().and_then(|c| code(c)), row.get(1)) {
                    g.alpha3.insert(name.clone(), Place::Country(c));
                }
            }
            let cities = ["cities.tsv", "cities_common.tsv"].map(|f| storyline_resources::rows(lang, f));
            for row in cities.iter().flatten() {
                if let (Some(id), Some(name)) = (row.first().and_then(|i| i.parse().ok()), row.get(1)) {
                    g.add_place(name, Place::City(id), lang == "en");
                }
            }
            for row in storyline_resources::rows(lang, "world_regions.tsv") {
                if let Some(c) = row.first().filter(|c| !c.is_empty() && c.len() <= 4 && c.is_ascii()) {
                    let mut packed = [0u8; 4];
                    packed[..c.len()].copy_from_slice(c.as_bytes());
                    for name in &row[1..] {
                        g.add_place(name, Place::WorldRegion(packed), lang == "en");
                    }
                }
            }
            for row in storyline_resources::rows(lang, "regions.tsv") {
                if let (Some(code), Some(name)) = (row.first().filter(|c| c.len() <= 6 && c.is_ascii()), row.get(1)) {
                    let mut packed = [0u8; 6];
                    packed[..code.len()].copy_from_slice(code.as_bytes());
                    g.add_place(name, Place::Region(packed), lang == "en");
                }
            }
            for row in storyline_resources::rows(lang, "organisations.tsv") {
                let Some(code) = row.first().filter(|c| !c.is_empty() && c.len() <= 12 && c.is_ascii()) else {
                    continue;
                };
                let mut packed = [0u8; 12];
                packed[..code.len()].copy_from_slice(code.as_bytes());
                let org = Place::Org(packed);
                for name in &row[1..] {
                    let key = phrase_key(name);
                    let n = key.split(' ').count();
                    if n == 1 {
                        g.org_words_exact.insert(name.clone());
                    }
                    g.max_org_tokens = g.max_org_tokens.max(n);
                    g.orgs.entry(key).or_insert(org);
                    if lang == "en" {
                        g.english_names.entry(org).or_insert_with(|| name.clone());
                    }
                }
            }
            for row in storyline_resources::rows(lang, "demonyms.tsv") {
                if let Some(c) = row.first().and_then(|c| code(c)) {
                    for form in &row[1..] {
                        g.demonyms.insert(phrase_key(form), c);
                    }
                }
            }
            add_phrases(&mut g.titles, &mut g.max_title_tokens, lang, "titles.txt");
            g.org_words.extend(folded_lines(lang, "org_words.txt"));
            g.org_cues.extend(folded_lines(lang, "org_cues.txt"));
            g.region_words.extend(folded_lines(lang, "region_words.txt"));
            for row in storyline_resources::rows(lang, "org_links.tsv") {
                let (Some(word), Some(place)) = (row.first(), row.get(1)) else { continue };
                match place.as_str() {
                    "head" => g.org_links.insert(fold(word)),
                    _ => g.org_inner_links.insert(fold(word)),
                };
            }
            g.stopwords.extend(folded_lines(lang, "stopwords.txt"));
            for file in ["months.tsv", "weekdays.tsv"] {
                for row in storyline_resources::rows(lang, file) {
                    g.calendar.extend(row.iter().skip(1).map(|w| fold(w)));
                    g.calendar_by_lang.entry(lang.to_string()).or_default().extend(row.iter().skip(1).map(|w| fold(w)));
                }
            }
            g.time_zones.extend(folded_lines(lang, "time_zones.txt"));
            g.compound_suffixes.extend(folded_lines(lang, "compound_suffixes.txt"));
            g.adjective_endings.extend(folded_lines(lang, "adjective_endings.txt"));
            g.place_heads.extend(folded_lines(lang, "place_heads.txt"));
            g.place_suffixes.extend(folded_lines(lang, "place_suffixes.txt"));
            g.club_affixes.extend(storyline_resources::lines(lang, "club_affixes.txt"));
            g.sports_words.entry(lang.to_string()).or_default().extend(folded_lines(lang, "sports_words.txt"));
            g.locative_prepositions.extend(folded_lines(lang, "locative_prepositions.txt"));
            g.org_suffixes.extend(folded_lines(lang, "org_suffixes.txt"));
            g.given_names.extend(folded_lines(lang, "given_names.txt"));
            g.state_heads.extend(folded_lines(lang, "state_heads.txt"));
            g.org_heads.extend(folded_lines(lang, "org_heads.txt"));
            g.portfolio_heads.extend(folded_lines(lang, "portfolio_heads.txt"));
            g.place_adjectives.extend(folded_lines(lang, "place_adjectives.txt"));
            for row in storyline_resources::rows(lang, "place_qualifiers.tsv") {
                g.place_qualifiers.extend(row.first().map(|w| fold(w)));
            }
            g.name_particles
                .extend(storyline_resources::lines(lang, "name_particles.txt").iter().map(|p| phrase_key(p)));
            add_phrases(&mut g.event_words, &mut g.max_event_tokens, lang, "event_words.txt");
            g.determiners.extend(folded_lines(lang, "determiners.txt"));
            g.boilerplate.extend(folded_lines(lang, "ui_boilerplate.txt"));
            if let Some(words) = common_words(lang) {
                g.common_words.insert(lang.to_string(), words);
            }
        }
        g.rank_places();
        g.classes = crate::classes::WordClasses::load();
        g
    }

    /// Distributional word classes (see [`crate::classes`]).
    pub fn classes(&self) -> &crate::classes::WordClasses {
        &self.classes
    }

    /// Orders the places a name may denote: countries first, then cities
    /// named in more languages' gazetteers, then regions. A city with a name of its own in
    /// several languages is a major one ("Pékin" and "Beijing"), so it wins
    /// over a small town spelled the same way in one list (Pekin, Illinois).
    fn rank_places(&mut self) {
        let mut names_per_place: HashMap<Place, usize> = HashMap::new();
        for lang in storyline_resources::languages() {
            let mut seen: HashSet<Place> = HashSet::new();
            for row in storyline_resources::rows(lang, "cities.tsv") {
                if let Some(id) = row.first().and_then(|i| i.parse().ok()) {
                    seen.insert(Place::City(id));
                }
            }
            for place in seen {
                *names_per_place.entry(place).or_default() += 1;
            }
        }
        self.major_cities = names_per_place.iter().filter(|(_, n)| **n >= 2).map(|(p, _)| *p).collect();
        // Countries and continents, then cities named in several languages, then regions,
        // then the other cities: "Texas" is the state, not a village.
        for entry in self.places.values_mut() {
            entry.sort_by_key(|p| {
                let names = names_per_place.get(p).copied().unwrap_or(0);
                let rank = match p {
                    Place::Country(_) | Place::WorldRegion(_) => 0,
                    Place::City(_) if names >= 2 => 1,
                    Place::Region(_) => 2,
                    _ => 3,
                };
                (rank, std::cmp::Reverse(names))
            });
        }
    }

    fn add_place(&mut self, name: &str, place: Place, english: bool) {
        let key = phrase_key(name);
        if key.is_empty() {
            return;
        }
        self.max_place_tokens = self.max_place_tokens.max(key.split(' ').count());
        let entry = self.places.entry(key).or_default();
        if !entry.contains(&place) {
            entry.push(place);
        }
        if english {
            self.english_names.entry(place).or_insert_with(|| name.to_string());
        }
    }

    /// The country a three-letter ISO code written in capitals names ("USA").
    pub fn country_by_code(&self, text: &str) -> Option<Place> {
        self.alpha3.get(text).copied()
    }

    /// The places a folded phrase key names (countries first).
    pub fn places(&self, key: &str) -> &[Place] {
        self.places.get(key).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The place a phrase key names, written as it is or without the
    /// article that begins the place's name ("havre" finds "le havre": "du
    /// Havre", "au Havre"), articles from `place_articles.txt`.
    pub fn place_or_with_article(&self, key: &str) -> Option<Place> {
        if let Some(p) = self.places(key).first() {
            return Some(*p);
        }
        static ARTICLES: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
        let articles = ARTICLES.get_or_init(|| {
            storyline_resources::languages()
                .into_iter()
                .flat_map(|lang| storyline_resources::lines(lang, "place_articles.txt"))
                .map(|a| fold(&a))
                .collect()
        });
        articles.iter().find_map(|a| self.places(&format!("{a} {key}")).first().copied())
    }

    /// The English name of a place, if the gazetteer has one.
    pub fn english_name(&self, place: Place) -> Option<&str> {
        self.english_names.get(&place).map(String::as_str)
    }

    /// The country a folded demonym implies ("georgien" gives GE).
    pub fn demonym(&self, key: &str) -> Option<String> {
        self.demonyms.get(key).map(|c| String::from_utf8_lossy(c).into_owned())
    }

    /// Whether a folded phrase key is a title or role word.
    pub fn is_title(&self, key: &str) -> bool {
        self.titles.contains(key)
    }

    /// Whether a folded word heads organisation names.
    pub fn is_org_word(&self, key: &str) -> bool {
        self.org_words.contains(key)
    }

    /// Whether a folded word links an organisation's head to a capitalised
    /// complement of its name (`org_links.tsv`, "head": "Institute | for
    /// Economic Research", "Bank | of England").
    pub fn is_org_link(&self, key: &str) -> bool {
        self.org_links.contains(key)
    }

    /// Whether a folded word joins two capitalised parts of such a
    /// complement (`org_links.tsv`: a head link, or "inside": "International
    /// | and | Security Affairs").
    pub fn is_org_inner_link(&self, key: &str) -> bool {
        self.org_links.contains(key) || self.org_inner_links.contains(key)
    }

    /// Whether a folded word coordinates two parts of a name, no head link
    /// (`org_links.tsv`, "inside" only: "maritime | et | portuaire").
    pub fn is_org_coordinator(&self, key: &str) -> bool {
        self.org_inner_links.contains(key)
    }

    /// Whether a folded word announces an organisation's name (`org_cues.txt`).
    pub fn is_org_cue(&self, key: &str) -> bool {
        self.org_cues.contains(key)
    }

    /// Whether a folded word is a stop word in some language.
    pub fn is_stopword(&self, key: &str) -> bool {
        self.stopwords.contains(key)
    }

    /// Whether a folded lowercase word ends like an adjective that may
    /// follow an organisation's head ("nationale", "constitutionnel").
    pub fn looks_adjectival(&self, key: &str) -> bool {
        key.chars().count() >= 4
            && key.chars().all(char::is_alphabetic)
            && !self.stopwords.contains(key)
            && self.adjective_endings.iter().any(|e| key.ends_with(e.as_str()))
    }

    /// Whether a folded word heads a natural feature's name ("golfe").
    pub fn is_place_head(&self, key: &str) -> bool {
        self.place_heads.contains(key)
    }

    /// Whether a folded word ending a capitalised name makes it an
    /// organisation: an organisation word ("union", "group") or a company's
    /// last word ("records", "entertainment").
    pub fn is_org_suffix(&self, key: &str) -> bool {
        self.org_suffixes.contains(key) || self.org_words.contains(key)
    }

    /// Whether a folded lowercase word heads an institution's name
    /// ("université de Kyoto").
    pub fn is_org_head(&self, key: &str) -> bool {
        self.org_heads.contains(key)
    }

    /// Whether a folded word is followed by a government portfolio
    /// ("ministre de la Défense", "ministère des Affaires étrangères").
    pub fn is_portfolio_head(&self, key: &str) -> bool {
        self.portfolio_heads.contains(key)
    }

    /// Whether a folded lowercase word after a place that is both a city and
    /// a region names the region (`region_words.txt`: "Washington state").
    pub fn is_region_word(&self, key: &str) -> bool {
        self.region_words.contains(key)
    }

    /// Whether a folded word opens a state's name ("empire", "royaume").
    pub fn is_state_head(&self, key: &str) -> bool {
        self.state_heads.contains(key)
    }

    /// Whether a folded word is a given name ("jose", "ingrid"; from every
    /// language's `given_names.txt`).
    pub fn is_given_name(&self, folded: &str) -> bool {
        self.given_names.contains(folded)
    }

    /// Whether a word, as written, opens or closes a sports club's name
    /// ("FC", "VfB").
    pub fn is_club_affix(&self, word: &str) -> bool {
        self.club_affixes.contains(word)
    }

    /// Whether a folded word ending a capitalised name makes it a place
    /// ("island" in "Phillip Island").
    pub fn is_place_suffix(&self, key: &str) -> bool {
        self.place_suffixes.contains(key)
    }

    /// Whether a folded lowercase word belongs to the name of the place it
    /// follows ("latine" in "Amérique latine"); demonyms count too
    /// ("Guyane française").
    pub fn is_place_adjective(&self, key: &str) -> bool {
        self.place_adjectives.contains(key) || self.demonyms.contains_key(key)
    }

    /// Whether a folded word is a compass point or another word that tells
    /// places of one name apart ("nord", "sud-est").
    pub fn is_place_qualifier(&self, key: &str) -> bool {
        !key.is_empty() && key.split('-').all(|part| self.place_qualifiers.contains(part))
    }

    /// The length of the event word phrase ("grand prix", "bataille") starting
    /// at token `i`, if any.
    pub fn event_word_at(&self, folded: &[String], i: usize) -> Option<usize> {
        longest(folded, i, self.max_event_tokens, |k| self.event_words.contains(k).then_some(())).map(|(n, _)| n)
    }

    /// Whether a folded phrase key is a name particle ("de", "van der").
    pub fn is_name_particle(&self, key: &str) -> bool {
        self.name_particles.contains(key)
    }

    /// Whether a folded word is an article that never precedes a person's name.
    pub fn is_determiner(&self, key: &str) -> bool {
        self.determiners.contains(key)
    }

    /// Whether a folded word names a month or a weekday.
    pub fn is_calendar_word(&self, key: &str) -> bool {
        self.calendar.contains(key)
    }

    /// Whether a folded word is a month or weekday name in the text's
    /// language ("Mars" is a French month, the planet in English); in every
    /// language when the text's has no calendar files.
    pub fn is_calendar_word_in(&self, lang: Option<&str>, key: &str) -> bool {
        match lang.and_then(|l| self.calendar_by_lang.get(l)) {
            Some(words) => words.contains(key),
            None => self.calendar.contains(key),
        }
    }

    /// Whether a city is a major one: named in the gazetteers of several
    /// languages ("Pékin" and "Beijing"), not a town of one list.
    pub fn is_major_city(&self, place: Place) -> bool {
        self.major_cities.contains(&place)
    }

    /// Whether a folded word is a time zone's abbreviation (`time_zones.txt`).
    pub fn is_time_zone(&self, folded: &str) -> bool {
        self.time_zones.contains(folded)
    }

    /// How many characters of a folded word are the name a compound is made on
    /// ("us-led" gives 2: `compound_suffixes.txt`), when it is one.
    pub fn compound_base(&self, folded: &str) -> Option<usize> {
        let (base, suffix) = folded.rsplit_once('-')?;
        (!base.is_empty() && self.compound_suffixes.contains(suffix)).then(|| base.chars().count())
    }

    /// Whether a folded phrase is known page furniture ("publicite").
    pub fn is_boilerplate(&self, key: &str) -> bool {
        self.boilerplate.contains(key)
    }

    /// The longest place match starting at token `i` of `folded` (token
    /// count), if any.
    pub fn place_at(&self, folded: &[String], i: usize) -> Option<(usize, &[Place])> {
        longest(folded, i, self.max_place_tokens, |k| self.places.get(k).map(Vec::as_slice))
    }

    /// What the tagger's features see of [`Gazetteer::place_at`]: the longest
    /// name at `i` that is more than a continent, world region or natural
    /// feature, and whether its first such place is a country. The shipped
    /// model was trained without world regions (retrained with them, it
    /// scored lower on WikiNEuRal val), so they stay out of its features.
    pub fn tagger_place_at(&self, folded: &[String], i: usize) -> Option<(usize, bool)> {
        longest(folded, i, self.max_place_tokens, |k| {
            let place = self.places.get(k)?.iter().find(|p| !matches!(p, Place::WorldRegion(_)))?;
            Some(matches!(place, Place::Country(_)))
        })
    }

    /// Whether a folded word belongs to the language's words of sports reports.
    pub fn is_sports_word(&self, lang: &str, folded: &str) -> bool {
        self.sports_words.get(lang).is_some_and(|set| set.contains(folded))
    }

    /// Whether a folded word is a preposition after which a place name is the place ("in", "en").
    pub fn is_locative_preposition(&self, folded: &str) -> bool {
        self.locative_prepositions.contains(folded)
    }

    /// Whether `word` (as written) is a common word of `lang`; `None` when
    /// the language has no list.
    /// A plural the list lacks counts through its singular, and a compound
    /// through its two parts ("dockworkers": "dock" and "workers").
    pub fn is_common_word(&self, lang: &str, word: &str) -> Option<bool> {
        let listed = self.is_listed_word(lang, word)?;
        let set = self.common_words.get(lang)?;
        let lower = word.to_lowercase();
        let chars: Vec<(usize, char)> = lower.char_indices().collect();
        let compound = (3..chars.len().saturating_sub(2)).any(|i| {
            let (head, tail) = lower.split_at(chars[i].0);
            set.contains(head) && self.is_listed_word(lang, tail) == Some(true)
        });
        Some(listed || compound)
    }

    /// Whether a word, or the singular of a plural, is in the language's
    /// common-word list, without the compounds [`Gazetteer::is_common_word`]
    /// also accepts ("Germany" is no "germ" + "any"). None when the language
    /// has no list.
    pub fn is_listed_word(&self, lang: &str, word: &str) -> Option<bool> {
        let set = self.common_words.get(lang)?;
        let known = |w: &str| {
            let singulars = [
                w.strip_suffix("ies").map(|s| format!("{s}y")),
                w.strip_suffix("es").map(str::to_string),
                w.strip_suffix('s').map(str::to_string),
            ];
            set.contains(w) || singulars.iter().flatten().any(|s| s.chars().count() >= 3 && set.contains(s))
        };
        Some(known(&word.to_lowercase()))
    }

    /// The organisation a folded phrase key names, if any (no case check:
    /// for linking mentions already found).
    pub fn organisation(&self, key: &str) -> Option<Place> {
        self.orgs.get(key).copied()
    }

    /// The longest organisation name starting at token `i` (token count and
    /// organisation): its first word capitalised, a one-word name written
    /// exactly as listed.
    pub fn organisation_at(&self, words: &[&str], folded: &[String], i: usize) -> Option<(usize, Place)> {
        if !words.get(i)?.chars().next().is_some_and(char::is_uppercase) {
            return None;
        }
        longest(folded, i, self.max_org_tokens, |k| self.orgs.get(k).copied())
            .filter(|(n, _)| *n > 1 || self.org_words_exact.contains(words[i]))
    }

    /// The longest title phrase starting at token `i` (token count).
    pub fn title_at(&self, folded: &[String], i: usize) -> Option<usize> {
        longest(folded, i, self.max_title_tokens, |k| self.titles.contains(k).then_some(())).map(|(n, _)| n)
    }
}

/// Adds a resource file's phrases to `set` by phrase key, keeping in
/// `max_tokens` the token count of the longest.
fn add_phrases(set: &mut HashSet<String>, max_tokens: &mut usize, lang: &str, name: &str) {
    for phrase in storyline_resources::lines(lang, name) {
        let key = phrase_key(&phrase);
        *max_tokens = (*max_tokens).max(key.split(' ').count());
        set.insert(key);
    }
}

/// The lines of a resource file, folded.
fn folded_lines(lang: &str, name: &str) -> impl Iterator<Item = String> {
    storyline_resources::lines(lang, name).into_iter().map(|w| fold(&w))
}

/// A language's list of common words (gzipped, one per line, `#` comments).
fn common_words(lang: &str) -> Option<HashSet<String>> {
    let text = gzipped_text(lang, "common_words.txt.gz")?;
    Some(text.lines().filter(|l| !l.starts_with('#') && !l.is_empty()).map(str::to_lowercase).collect())
}

/// The text of a gzipped resource `resources/<lang>/<name>`.
pub(crate) fn gzipped_text(lang: &str, name: &str) -> Option<String> {
    storyline_resources::gunzipped(lang, name)
}

fn longest<T>(folded: &[String], i: usize, max: usize, lookup: impl Fn(&str) -> Option<T>) -> Option<(usize, T)> {
    let mut key = String::new();
    let mut best = None;
    for n in 1..=max.min(folded.len().saturating_sub(i)) {
        if n > 1 {
            key.push(' ');
        }
        key.push_str(&folded[i + n - 1]);
        if let Some(hit) = lookup(&key) {
            best = Some((n, hit));
        }
    }
    best
}

/// The gazetteer shared by the process, loaded on first use.
pub fn shared() -> &'static Gazetteer {
    static G: std::sync::OnceLock<Gazetteer> = std::sync::OnceLock::new();
    G.get_or_init(Gazetteer::load)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exonyms_meet_english_names() {
        let g = shared();
        let fr = g.places(&phrase_key("Varsovie"));
        let en = g.places(&phrase_key("Warsaw"));
        assert!(!fr.is_empty() && fr.iter().any(|p| en.contains(p)), "{fr:?} {en:?}");
        let am = g.places(&phrase_key("Géorgie"));
        assert_eq!(g.english_name(am[0]), Some("Georgia"));
        assert_eq!(g.demonym("georgienne").as_deref(), Some("GE"));
        assert!(g.is_title("premier ministre"));
    }

    #[test]
    fn regions_rank_after_major_cities() {
        let g = shared();
        assert_eq!(g.places(&phrase_key("Bavière")).first().map(Place::key).as_deref(), Some("iso:DE-BY"));
        assert!(matches!(g.places(&phrase_key("Moscou")).first(), Some(Place::City(_))), "the city, not the region");
        assert!(g.is_place_qualifier("sud-est") && !g.is_place_qualifier("sud-express"));
    }

    #[test]
    fn continents_and_world_regions_are_places_with_english_names() {
        let g = shared();
        let near = g.places(&phrase_key("Moyen-Orient"));
        assert_eq!(near.first().map(Place::key).as_deref(), Some("world:ME"));
        assert_eq!(g.english_name(near[0]), Some("Middle East"));
        assert_eq!(g.places(&phrase_key("Europe")).first().map(Place::key).as_deref(), Some("world:EU"));
        assert_eq!(g.places(&phrase_key("Pyrénées")).first().map(Place::key).as_deref(), Some("world:PYR"));
        // A country named after a continent stays the country.
        assert_eq!(g.places(&phrase_key("Afrique du Sud")).first().map(Place::key).as_deref(), Some("iso:ZA"));
    }

    #[test]
    fn common_words_cover_plurals_and_compounds_but_not_names() {
        let g = shared();
        for word in ["However", "Talks", "ministries", "Dockworkers"] {
            assert_eq!(g.is_common_word("en", word), Some(true), "{word}");
        }
        assert_eq!(g.is_common_word("en", "Khumalo"), Some(false));
        assert_eq!(g.is_common_word("fr", "Cependant"), Some(true));
        assert_eq!(g.is_common_word("fr", "Manifestants"), Some(true));
        assert_eq!(g.is_common_word("fr", "Khumalo"), Some(false));
        assert_eq!(g.is_common_word("xx", "However"), None, "no list, no answer");
    }

    #[test]
    fn organisations_meet_across_languages_and_need_their_capitals() {
        let g = shared();
        let words = ["les", "Nations", "unies", "et", "l'", "OTAN", "Un", "homme"];
        let folded: Vec<String> = words.iter().map(|w| fold(w)).collect();
        let (n, un) = g.organisation_at(&words, &folded, 1).expect("Nations unies");
        assert_eq!(n, 2);
        assert_eq!(Some(un), g.organisation(&phrase_key("United Nations")));
        assert_eq!(g.english_name(un), Some("United Nations"));
        assert_eq!(g.organisation_at(&words, &folded, 5).map(|(_, o)| o.key()).as_deref(), Some("org:nato"));
        assert!(g.organisation_at(&words, &folded, 6).is_none(), "\"Un\" is not the UN");
        assert!(g.organisation_at(&words, &folded, 0).is_none());
        assert_eq!(g.organisation(&phrase_key("LNH")), g.organisation(&phrase_key("National Hockey League")));
    }
}
