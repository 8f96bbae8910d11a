//! Mentions in running text: tokens, the tagger, then clean-up (page
//! furniture, lone title or demonym words) and the role written beside a
//! person.

use storyline_model::{EntityType, Mention, TEAM_ROLE};
use storyline_nlp::fold::fold;

use crate::classes::CaseHabit;
use crate::gazetteer::{self, Gazetteer, Place};
use crate::perceptron::Model;
use crate::tagger::{spans, Tagger};
use crate::tokenize::{is_title_case, sentences, tokenize, Token};

/// The model shipped in `resources/fr/` (trained by `storyline train-ner`).
pub const MODEL_FILE: &str = "ner.model.gz";

/// Finds entity mentions in article texts.
#[derive(Debug)]
pub struct Recognizer {
    tagger: Tagger<'static>,
    gazetteer: &'static Gazetteer,
}

/// Words that link parts of a role ("ministre des Affaires étrangères").
/// Different words of sports reports (`sports_words.txt`) that make an
/// article one: chosen on DWIE train, where 3 finds 43 of its 51 sports
/// articles (IPTC 15) and 4 others.
const SPORTS_REPORT_WORDS: usize = 3;

const ROLE_LINKS: &[&str] = &["de", "des", "du", "d'", "of", "the", "for", "l'", "la", "et", "and", "-"];

impl Recognizer {
    /// A recognizer with a given model.
    pub fn new(model: Model) -> Self {
        let gazetteer = gazetteer::shared();
        Recognizer { tagger: Tagger::new(model, gazetteer), gazetteer }
    }

    /// The recognizer with the shipped model, loaded once per process.
    pub fn shared() -> &'static Recognizer {
        static R: std::sync::OnceLock<Recognizer> = std::sync::OnceLock::new();
        R.get_or_init(|| {
            let model =
                storyline_resources::bytes("fr", MODEL_FILE).and_then(|b| Model::load(&b[..]).ok()).unwrap_or_default();
            Recognizer::new(model)
        })
    }

    /// The tagger (for evaluation on pre-tokenised corpora).
    pub fn tagger(&self) -> &Tagger<'static> {
        &self.tagger
    }

    /// BIO tag indices (see [`crate::perceptron::TAGS`]) of the mentions the
    /// whole chain finds in one pre-tokenised sentence, for scoring on
    /// tagged corpora: the words are joined with spaces (none after an
    /// elided word, as French is written), and a mention whose
    /// edges do not fall on the corpus's token edges is left out.
    pub fn tag_words(&self, words: &[&str], lang: Option<&str>) -> Vec<usize> {
        let mut text = String::new();
        let mut edges = Vec::with_capacity(words.len());
        let mut chars = 0;
        for w in words {
            // "d' Ivoire" is written "d'Ivoire": no space after an elision;
            // "O ' Brien" is written "O'Brien": none around a lone apostrophe.
            let lone_apostrophe = matches!(*w, "'" | "’") && text.ends_with(char::is_alphabetic);
            if !text.is_empty() && !text.ends_with(['\'', '’']) && !lone_apostrophe {
                text.push(' ');
                chars += 1;
            }
            text.push_str(w);
            let start = chars;
            chars += w.chars().count();
            edges.push((start, chars));
        }
        let mut tags = vec![0; words.len()];
        for m in self.mentions(&text, lang) {
            let first = edges.iter().position(|e| e.0 == m.start);
            let last = edges.iter().position(|e| e.1 == m.end);
            if let (Some(a), Some(b)) = (first, last) {
                let begin = crate::perceptron::tag_index(&format!("B-{}", m.kind.as_str()));
                tags[a] = begin;
                for t in &mut tags[a + 1..=b] {
                    *t = begin + 1;
                }
            }
        }
        tags
    }

    /// Every mention in `text`, in order, with offsets in characters.
    /// `lang` (ISO 639-1), when known and when the language has a list of
    /// common words, lets a capitalised word that starts a sentence and is
    /// no common word count as a name ("Zelenskyy said").
    pub fn mentions(&self, text: &str, lang: Option<&str>) -> Vec<Mention> {
        let tokens = tokenize(text);
        let folded: Vec<String> = tokens.iter().map(|t| fold(&t.text)).collect();
        let all_words: Vec<&str> = tokens.iter().map(|t| t.text.as_str()).collect();
        let mut out: Vec<Mention> = Vec::new();
        // Words written with a capital inside a sentence somewhere in the
        // text: a sentence-initial capital alone proves nothing.
        let mut capitalised_inside = std::collections::HashSet::new();
        // The same, in running text only (not in headlines in title case).
        let mut capitalised_in_prose = std::collections::HashSet::new();
        let ranges = sentences(&tokens);
        for range in &ranges {
            let prose = !is_title_case(&tokens[range.clone()]);
            for i in range.start + 1..range.end {
                if is_capitalised(&tokens[i].text) {
                    capitalised_inside.insert(folded[i].as_str());
                    if prose {
                        capitalised_in_prose.insert(folded[i].as_str());
                    }
                }
            }
        }
        for range in &ranges {
            let words: Vec<&str> = tokens[range.clone()].iter().map(|t| t.text.as_str()).collect();
            let tags = self.tagger.tag(&words);
            let mut found: Vec<(usize, usize, &str)> =
                spans(&tags).into_iter().map(|(a, b, k)| (range.start + a, range.start + b, k)).collect();
            // Known organisations ("Nations unies", "OTAN") override the
            // tagger's cut.
            let mut i = range.start;
            while i < range.end {
                match self.gazetteer.organisation_at(&all_words, &folded, i).filter(|(n, _)| i + n <= range.end) {
                    // "Walt Disney Pictures": a known name inside a longer
                    // one the tagger found is part of it.
                    Some((n, _)) if found.iter().any(|(a, b, _)| *a <= i && i + n <= *b && b - a > n) => i += n,
                    Some((n, _)) => {
                        found.retain(|(a, b, _)| *b <= i || *a >= i + n);
                        found.push((i, i + n, "ORG"));
                        i += n;
                    }
                    None => i += 1,
                }
            }
            // Capitalised runs the tagger left out become mentions too
            // (typed later by gazetteer, title and organisation words).
            let mut i = range.start;
            while i < range.end {
                // "océan Indien": after a natural feature's head a demonym is a name.
                let after_head = i > range.start
                    && is_capitalised(&tokens[i].text)
                    && self.gazetteer.demonym(&folded[i]).is_some()
                    && self.gazetteer.is_place_head(&folded[i - 1]);
                if found.iter().any(|(a, b, _)| (*a..*b).contains(&i))
                    || !(after_head || self.name_word(&tokens[i].text, &folded[i], lang))
                {
                    i += 1;
                    continue;
                }
                let mut j = i + 1;
                while j < range.end
                    && self.name_word(&tokens[j].text, &folded[j], lang)
                    && !found.iter().any(|(a, _, _)| *a == j)
                {
                    j += 1;
                }
                let initial = i == range.start || matches!(folded[i - 1].as_str(), "«" | "\"" | ":" | "“");
                let known = self.gazetteer.place_at(&folded, i).is_some()
                    || lang.and_then(|l| self.gazetteer.is_common_word(l, &tokens[i].text)) == Some(false);
                // "Durant la guerre": a word opening the sentence that is
                // mostly written in lowercase is that word, even if some
                // small town bears its name.
                // (The class table may be another language's: a word that the
                // text's language has no class table for and does not list as
                // common, "Putin" in English, is no French "putin".)
                let classes = self.gazetteer.classes();
                let lowercase_habit = j - i == 1
                    && classes.case_habit(&tokens[i].text) == CaseHabit::MostlyLowercase
                    && lang.is_none_or(|l| {
                        classes.has_table(l) || self.gazetteer.is_common_word(l, &tokens[i].text) != Some(false)
                    });
                // "Air Berlin spokesman ...": a word opening the sentence before
                // a name the tagger found, the two written so twice in the text,
                // is the name's first word.
                let named_twice = || {
                    j - i == 1 && found.iter().any(|(a, _, _)| *a == j) && written_twice(text, &tokens[i], &tokens[j])
                };
                if (!(initial && lowercase_habit)
                    && (!initial || known || j - i > 1 || capitalised_inside.contains(folded[i].as_str())))
                    || (initial && named_twice())
                    // "Eastern Germany had been ...": a qualifier before a place is part of it.
                    || (initial
                        && j - i == 1
                        && self.gazetteer.is_place_qualifier(&folded[i])
                        && self.gazetteer.place_at(&folded, j).is_some())
                {
                    found.push((i, j, "MISC"));
                }
                i = j;
            }
            found.sort_unstable();
            let found = self.split_spans(&all_words, &folded, join_adjacent(join_continuations(&tokens, found)), lang);
            let found = split_at_dashes(&tokens, found);
            let found = self.split_place_pairs(&all_words, &folded, found);
            let found = self.split_after_compounds(&folded, found);
            let found = self.join_company_words(&folded, found);
            let found = self.join_named_after_place(&all_words, &folded, found);
            let found = self.join_particle_names(&all_words, &folded, found, range.start, lang);
            let found = self.join_epithets(&folded, found);
            let found = match lang {
                Some(l)
                    if is_title_case(&tokens[range.clone()])
                        && self.mostly_dictionary(&all_words[range.clone()], l) =>
                {
                    self.names_in_title_case(&all_words, &folded, found, l, &capitalised_in_prose)
                }
                _ => found,
            };
            // A common word opening the sentence, never capitalised inside one
            // in the text (a text of a sentence or two says too little of how
            // it writes the word).
            let opener = ranges.len() >= 3
                && self.common_opener(&tokens, &all_words, &folded, range.start, &capitalised_inside, lang);
            for (mut a, b, kind) in found {
                // "Although Merkel's ...", "Citing Berlin ...": such a word is
                // no part of the name after it when that name is known alone
                // (in the text or a gazetteer) and the word is no first name
                // ("Louis Moland"), and when the two words come again in the
                // text: a pair written twice is a name ("Air Berlin").
                if b - a >= 2
                    && a == range.start
                    && opener
                    && !self.gazetteer.is_given_name(&folded[a])
                    && !(self.gazetteer.is_place_qualifier(&folded[a])
                        && self.gazetteer.place_at(&folded, a + 1).is_some())
                    && tokens[a].text.chars().skip(1).all(|c| !c.is_uppercase())
                    && (capitalised_inside.contains(folded[a + 1].as_str())
                        || self.gazetteer.place_at(&folded, a + 1).is_some()
                        || self.gazetteer.organisation_at(&all_words, &folded, a + 1).is_some())
                    && !written_twice(text, &tokens[a], &tokens[a + 1])
                {
                    a += 1;
                }
                // "Meanwhile, ...", "Despite ...": alone, such a word is that
                // word, not a name.
                if b - a == 1 && a == range.start && opener {
                    continue;
                }
                let found = self.mention(text, &tokens, &all_words, &folded, a, b, kind, range.clone(), lang);
                for m in found.into_iter().flat_map(|m| self.split_hyphenated_pair(m)) {
                    // A name extended over its neighbour ("Amérique du |
                    // Nord") takes the neighbour's place.
                    match out.last() {
                        Some(last) if last.end > m.start && last.end - last.start >= m.end - m.start => {}
                        Some(last) if last.end > m.start => {
                            out.pop();
                            out.push(m);
                        }
                        _ => out.push(m),
                    }
                }
            }
        }
        self.add_prefixed_names(&tokens, &mut out);
        self.split_country_before_surname(&mut out);
        if let Some(lang) = lang {
            self.mark_teams(text, &folded, lang, &mut out);
        }
        self.add_nested_prefixes(&tokens, &all_words, &folded, &mut out);
        out
    }

    /// "Talks in Israel Steinmeier had traveled": a heading run into the
    /// next sentence joins a country to the word after it. A country and one
    /// capitalised word are the country and a person when the word is the
    /// surname of a person the text names in full. (A common word after it
    /// is left alone: "US Army", "US Senate" are names of their own.)
    fn split_country_before_surname(&self, out: &mut Vec<Mention>) {
        let g = self.gazetteer;
        fn pair_of<'m>(g: &Gazetteer, m: &'m Mention) -> Option<(&'m str, &'m str)> {
            let (country, word) = m.text.split_once(' ')?;
            (!word.contains(' ')
                && word.chars().next().is_some_and(char::is_uppercase)
                && matches!(g.places(&gazetteer::phrase_key(country)).first(), Some(Place::Country(_)))
                && g.places(&gazetteer::phrase_key(&m.text)).is_empty()
                && g.organisation(&gazetteer::phrase_key(&m.text)).is_none())
            .then_some((country, word))
        }
        // Read only when such a pair is met (mentions are a hot path).
        if !out.iter().any(|m| pair_of(g, m).is_some()) {
            return;
        }
        let surnames = full_name_surnames(out.iter().filter(|m| pair_of(g, m).is_none()));
        let mut changed = false;
        let mut split = Vec::with_capacity(out.len());
        for m in out.drain(..) {
            let Some((country, word)) = pair_of(g, &m).map(|(c, w)| (c.to_string(), w.to_string())) else {
                split.push(m);
                continue;
            };
            let key = gazetteer::phrase_key(&word);
            if !surnames.contains(&key) {
                split.push(m);
                continue;
            }
            changed = true;
            let country_end = m.start + country.chars().count();
            split.push(Mention {
                start: m.start,
                end: country_end,
                text: country,
                kind: EntityType::Loc,
                role: None,
                role_country: None,
            });
            let start = m.end - word.chars().count();
            split.push(Mention {
                start,
                end: m.end,
                text: word,
                kind: EntityType::Per,
                role: None,
                role_country: None,
            });
        }
        *out = split;
        if changed {
            out.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
        }
    }

    /// "anti-EU", "then-US President", "pro-Erdogan groups": a name after a
    /// lowercase prefix and a hyphen is a mention when it is a known place
    /// or organisation, or the surname of a person the text names in full.
    /// (The word as a whole starts lowercase, so no name run takes it in.)
    fn add_prefixed_names(&self, tokens: &[Token], out: &mut Vec<Mention>) {
        let g = self.gazetteer;
        // Read only when a prefixed name is met (mentions are a hot path).
        let mut surnames: Option<std::collections::HashSet<String>> = None;
        let mut added = Vec::new();
        for t in tokens {
            let Some((prefix, name)) = t.text.rsplit_once(['-', '‑']) else { continue };
            if prefix.is_empty()
                || !prefix.chars().all(|c| c.is_lowercase() || c == '-')
                || !name.chars().next().is_some_and(char::is_uppercase)
                || out.iter().any(|m| m.start < t.end && t.start < m.end)
            {
                continue;
            }
            let key = gazetteer::phrase_key(name);
            let kind = if !g.places(&key).is_empty() {
                EntityType::Loc
            } else if g.organisation(&key).is_some() {
                EntityType::Org
            } else if surnames.get_or_insert_with(|| full_name_surnames(out.iter())).contains(&key) {
                EntityType::Per
            } else {
                continue;
            };
            let start = t.end - name.chars().count();
            added.push(Mention { start, end: t.end, text: name.to_string(), kind, role: None, role_country: None });
        }
        if !added.is_empty() {
            out.extend(added);
            out.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
        }
    }

    /// "US State Department", "EU Commission", "UN Security Council": an
    /// organisation named after the country or the union it belongs to
    /// also mentions that country or union, as a mention inside its own
    /// (listed right after it). The organisation stays one mention. Only a
    /// name that opens on the country's is read so ("Air France" is an
    /// airline's name, not a French organisation's), except a name of no
    /// known type, which may end on it ("Dresden Germany"), and an
    /// organisation's complement ("Supreme Court of India").
    fn add_nested_prefixes(&self, tokens: &[Token], words: &[&str], folded: &[String], out: &mut Vec<Mention>) {
        let g = self.gazetteer;
        let mut nested = Vec::new();
        for m in out.iter().filter(|m| matches!(m.kind, EntityType::Org | EntityType::Misc) && m.role.is_none()) {
            let a = tokens.partition_point(|t| t.start < m.start);
            let b = tokens.partition_point(|t| t.end <= m.end);
            if a >= b || b - a < 2 || tokens[a].start != m.start {
                continue;
            }
            let country = g
                .place_at(folded, a)
                .filter(|(n, places)| *n < b - a && matches!(places.first(), Some(Place::Country(_))))
                .map(|(n, _)| (n, EntityType::Loc));
            // A union or an alliance by its acronym ("EU", "UN", "NATO").
            // (Looked up alone: the longest known name at `a` may be the
            // whole organisation's, "UN Security Council".)
            let union = || {
                (b - a >= 2
                    && is_acronym(words[a])
                    && g.organisation_at(&words[a..a + 1], &folded[a..a + 1], 0).is_some())
                .then_some((1, EntityType::Org))
            };
            // A name of no known type that ends on a country's ("Dresden
            // Germany", a heading run into the next line's "Despite China").
            // So does an organisation's complement ("Supreme Court of India").
            // ("Eastern Germany" is a part of the country, not a mention of it.)
            let ending = || {
                (a + 1..b).find(|&k| {
                    (m.kind == EntityType::Misc && !g.is_place_qualifier(&folded[k - 1])
                        || g.is_org_link(&folded[k - 1]))
                        && g.place_at(folded, k)
                            .is_some_and(|(n, places)| k + n == b && matches!(places.first(), Some(Place::Country(_))))
                })
            };
            let (first, n, kind) = match country.or_else(union) {
                Some((n, kind)) => (a, n, kind),
                None => match ending() {
                    Some(k) => (k, b - k, EntityType::Loc),
                    None => continue,
                },
            };
            let (start, end) = (tokens[first].start, tokens[first + n - 1].end);
            let text: String = m.text.chars().skip(start - m.start).take(end - start).collect();
            nested.push(Mention { start, end, text, kind, role: None, role_country: None });
        }
        if nested.is_empty() {
            return;
        }
        out.extend(nested);
        out.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
    }

    /// In a sports report, a country or a city named as a side that plays
    /// ("Germany beat Argentina", "Bremen's keeper") is its team: typed an
    /// organisation with the role [`TEAM_ROLE`], so that linking keeps it
    /// apart from the place. It stays the place after a locative preposition
    /// ("in Germany", "in the Netherlands"), after another place and a comma
    /// ("Marbella, Spain"), before a hyphen ("Germany-based"), before a
    /// possessive and a name ("Portugal's Benfica": the country of the club),
    /// and when it is the surname of a person named in the article.
    ///
    /// Outside sports reports too, a place named like a word of a club's name
    /// in the same text ("Dortmund" beside "Borussia Dortmund", "Bayern"
    /// beside "Bayern Munich") is that club, under the same exceptions.
    fn mark_teams(&self, text: &str, folded: &[String], lang: &str, mentions: &mut [Mention]) {
        let g = self.gazetteer;
        let sports: std::collections::HashSet<&str> =
            folded.iter().map(String::as_str).filter(|w| g.is_sports_word(lang, w)).collect();
        let report = sports.len() >= SPORTS_REPORT_WORDS;
        if report {
            // "Borussia Dortmund", "Werder Bremen" (a first name, or so the
            // tagger thinks, and a city), "Bayern Munich" (a region and a
            // city): in a sports report, a club named after its major city.
            for m in mentions.iter_mut().filter(|m| matches!(m.kind, EntityType::Per | EntityType::Loc)) {
                let words: Vec<String> = m.text.split(' ').map(fold).collect();
                let [first, last] = words.as_slice() else { continue };
                let major_city = g.places(last).iter().any(|&p| matches!(p, Place::City(_)) && g.is_major_city(p));
                let region_first = g.places(first).iter().any(|p| matches!(p, Place::Region(_)));
                let no_place_first = g.places(first).is_empty() && !g.is_place_qualifier(first);
                if major_city
                    && (m.kind == EntityType::Per && no_place_first || m.kind == EntityType::Loc && region_first)
                {
                    m.kind = EntityType::Org;
                }
            }
        }
        // Clubs: organisations of two words or more with a club affix at an
        // edge ("VfB Stuttgart") or ending on a major city ("Borussia
        // Dortmund"; "Christian Democratic Union" ends on a small town).
        let club = |m: &Mention| {
            let words: Vec<&str> = m.text.split(' ').collect();
            m.kind == EntityType::Org
                && words.len() >= 2
                && (g.is_club_affix(words[0])
                    || g.is_club_affix(words[words.len() - 1])
                    || g.places(&fold(words[words.len() - 1]))
                        .iter()
                        .any(|&p| matches!(p, Place::City(_)) && g.is_major_city(p)))
        };
        let clubs: Vec<&Mention> = mentions.iter().filter(|m| club(m)).collect();
        let club_words: std::collections::HashSet<String> =
            clubs.iter().flat_map(|m| m.text.split(' ').map(fold)).collect();
        let clubs: Vec<(usize, usize)> = clubs.iter().map(|m| (m.start, m.end)).collect();
        if !report && club_words.is_empty() {
            return;
        }
        let chars: Vec<char> = text.chars().collect();
        // ("Michael Jordan"; but "Falconets Nigeria's", a heading run into its
        // line, names no person: a country is a surname only after a given name.)
        let surnames: std::collections::HashSet<String> = mentions
            .iter()
            .filter(|m| m.kind == EntityType::Per && m.text.contains(' '))
            .filter_map(|m| {
                let last = fold(m.text.rsplit(' ').next()?);
                let country = g.places(&last).iter().any(|p| matches!(p, Place::Country(_)));
                let first = m.text.split(' ').next().map(fold).unwrap_or_default();
                (!country || g.is_given_name(&first)).then_some(last)
            })
            .collect();
        let starts: std::collections::HashSet<usize> = mentions.iter().map(|m| m.start).collect();
        // Places by their end: start, and whether a country.
        let places_by_end: std::collections::HashMap<usize, (usize, bool)> = mentions
            .iter()
            .filter(|m| m.kind == EntityType::Loc)
            .map(|m| {
                let country =
                    g.places(&gazetteer::phrase_key(&m.text)).first().is_some_and(|p| matches!(p, Place::Country(_)));
                (m.end, (m.start, country))
            })
            .collect();
        for m in mentions.iter_mut().filter(|m| m.kind != EntityType::Per && !clubs.contains(&(m.start, m.end))) {
            let key = gazetteer::phrase_key(&m.text);
            let club_word = !m.text.contains(' ') && club_words.contains(&key);
            let place = g.places(&key).first().copied();
            let side = report && matches!(place, Some(Place::Country(_) | Place::City(_)));
            if !(side || club_word && place.is_some()) || surnames.contains(&key) {
                continue;
            }
            let after: String = chars[m.end..(m.end + 4).min(chars.len())].iter().collect();
            if after.starts_with('-') {
                continue;
            }
            let possessive = ["'s ", "’s "].iter().any(|p| after.starts_with(p));
            if possessive && starts.contains(&(m.end + 3)) {
                continue;
            }
            // "Marbella, Spain": a place before a comma locates the country.
            // A country before it makes a list ("Against Ireland, Germany"),
            // read as a whole ("in Spain, Italy or England").
            let mut list_start = m.start;
            let mut located = false;
            for _ in 0..8 {
                let before: String = chars[list_start.saturating_sub(40)..list_start].iter().collect();
                let Some(head) = before.trim_end().strip_suffix(',') else { break };
                let end = list_start - (before.chars().count() - head.chars().count());
                match places_by_end.get(&end) {
                    Some(&(_, false)) => {
                        located = true;
                        break;
                    }
                    Some(&(start, true)) => list_start = start,
                    None => break,
                }
            }
            if located {
                continue;
            }
            let before: String = chars[list_start.saturating_sub(40)..list_start].iter().collect();
            let mut previous = before
                .split(|c: char| !c.is_alphanumeric() && c != '-')
                .filter(|w| !w.is_empty())
                .map(fold)
                .rev()
                .skip_while(|w| g.is_determiner(w));
            // "in Germany", but not "in Germany's 1-0 win": there the
            // preposition governs what the side owns.
            if !possessive && previous.next().is_some_and(|w| g.is_locative_preposition(&w)) {
                continue;
            }
            m.kind = EntityType::Org;
            m.role = Some(TEAM_ROLE.to_string());
            m.role_country = None;
        }
    }

    /// Whether at least half the capitalised words of a sentence are
    /// dictionary words: a headline in title case ("Woman Killed In
    /// Queens"), not a list of names ("M. Dupont, Mme Martin, M. Petit").
    fn mostly_dictionary(&self, words: &[&str], lang: &str) -> bool {
        let capitalised: Vec<&&str> = words.iter().filter(|w| is_capitalised(w)).collect();
        let common = capitalised.iter().filter(|w| self.gazetteer.is_listed_word(lang, w) == Some(true)).count();
        !capitalised.is_empty() && common * 2 >= capitalised.len()
    }

    /// The names of a sentence in title case: a span a gazetteer knows
    /// (a place, an organisation) is kept whole; any other keeps only its
    /// runs of words that the language's dictionary does not hold or that
    /// the text capitalises in running text ("Woman Killed" and "Office
    /// Shooter Charged With Murder" go, "Jamal Williams" and "DUI" stay).
    fn names_in_title_case(
        &self,
        words: &[&str],
        folded: &[String],
        found: Vec<(usize, usize, &'static str)>,
        lang: &str,
        capitalised_in_prose: &std::collections::HashSet<&str>,
    ) -> Vec<(usize, usize, &'static str)> {
        let g = &self.gazetteer;
        // A dictionary word the text capitalises in running text is a name
        // there too ("Bush" in "Bush Vetoes Bill" when the article says "Mr. Bush").
        let name_like = |k: usize| {
            g.is_listed_word(lang, words[k]) == Some(false) || capitalised_in_prose.contains(folded[k].as_str())
        };
        let mut out = Vec::with_capacity(found.len());
        for (a, b, kind) in found {
            let known = g.place_at(folded, a).is_some_and(|(n, _)| a + n == b)
                || g.organisation_at(words, folded, a).is_some_and(|(n, _)| a + n == b);
            if known {
                out.push((a, b, kind));
                continue;
            }
            let mut k = a;
            while k < b {
                if !name_like(k) || !words[k].chars().any(char::is_alphabetic) {
                    k += 1;
                    continue;
                }
                let start = k;
                while k < b && name_like(k) {
                    k += 1;
                }
                out.push((start, k, if start == a && k == b { kind } else { "MISC" }));
            }
        }
        out
    }

    /// "EU-Turkey", "Paris-Berlin", "Afghanistan-India-US": known names
    /// joined by hyphens are a mention each.
    fn split_hyphenated_pair(&self, m: Mention) -> Vec<Mention> {
        let g = self.gazetteer;
        let known = |part: &str| {
            let key = gazetteer::phrase_key(part);
            if !part.chars().next().is_some_and(char::is_uppercase) {
                return None;
            }
            match g.places(&key).first() {
                Some(_) => Some(EntityType::Loc),
                None => g.organisation(&key).map(|_| EntityType::Org),
            }
        };
        let parts: Vec<&str> = m.text.split('-').collect();
        if parts.len() < 2 || parts.iter().any(|p| p.is_empty() || p.contains(' ')) {
            return vec![m];
        }
        // "Guinée-Bissau", "Bosnie-Herzégovine": a known name of its own stays whole.
        let whole = gazetteer::phrase_key(&m.text);
        if !g.places(&whole).is_empty() || g.organisation(&whole).is_some() {
            return vec![m];
        }
        let demonym = |part: &str| g.demonym(&gazetteer::phrase_key(part)).is_some();
        let kinds: Vec<Option<EntityType>> = parts.iter().map(|p| known(p)).collect();
        // "US-German relations", "EU-wide", "Berlin-time": the known name;
        // the demonym or the lowercase word after it is no name.
        if let ([left, right], [Some(lk), None]) = (parts.as_slice(), kinds.as_slice()) {
            if demonym(right) || right.chars().next().is_some_and(char::is_lowercase) {
                let end = m.start + left.chars().count();
                return vec![Mention { end, text: left.to_string(), kind: *lk, role: None, role_country: None, ..m }];
            }
        }
        // "EU-Turkey", "Afghanistan-India-US": every part a known name; of
        // three or more, countries or organisations ("Languedoc-Roussillon-
        // Midi-Pyrénées" is one region named after three).
        let country_or_org = |part: &str| {
            let key = gazetteer::phrase_key(part);
            matches!(g.places(&key).first(), Some(Place::Country(_))) || g.organisation(&key).is_some()
        };
        if kinds.iter().any(Option::is_none) || parts.len() > 2 && !parts.iter().all(|p| country_or_org(p)) {
            return vec![m];
        }
        let mut start = m.start;
        let mut out = Vec::with_capacity(parts.len());
        for (part, kind) in parts.iter().zip(kinds) {
            let end = start + part.chars().count();
            out.push(Mention {
                start,
                end,
                text: part.to_string(),
                kind: kind.expect("every part is known"),
                role: None,
                role_country: None,
            });
            start = end + 1;
        }
        out
    }

    /// Cuts spans that run over two names or into a role: at a lowercase
    /// article inside ("Kiev le Premier ministre"), and after the body a
    /// role names ("le porte-parole du Kremlin Dmitri P.", "le ministre de
    /// la Défense Sergueï C."): there the first name (or known place or
    /// organisation) is the body, the rest a person.
    ///
    /// A common lowercase word between two capitalised ones ("Sigmar Gabriel
    /// called Turkey's actions") that is no function word, particle or
    /// adjective is a verb or a noun of the sentence: the name stops before
    /// it and another begins after it.
    fn split_spans(
        &self,
        words: &[&str],
        folded: &[String],
        spans: Vec<(usize, usize, &'static str)>,
        lang: Option<&str>,
    ) -> Vec<(usize, usize, &'static str)> {
        let g = self.gazetteer;
        let mut out = Vec::with_capacity(spans.len());
        let mut spans = std::collections::VecDeque::from(spans);
        while let Some((a, mut b, kind)) = spans.pop_front() {
            if let Some(k) = (a + 1..b).find(|&k| {
                is_lowercase_article(words[k]) && !matches!(folded[k - 1].as_str(), "de" | "a" | "d'" | "of")
            }) {
                b = k;
            }
            let sentence_word = |k: usize| {
                words[k].chars().all(|c| c.is_lowercase())
                    && is_capitalised(words[k - 1])
                    && is_capitalised(words[k + 1])
                    && !g.is_stopword(&folded[k])
                    && !g.is_name_particle(&folded[k])
                    && !g.looks_adjectival(&folded[k])
                    && lang.and_then(|l| g.is_common_word(l, words[k])) == Some(true)
            };
            if let Some(k) = (a + 1..b.saturating_sub(1)).find(|&k| sentence_word(k)) {
                spans.push_front((k + 1, b, "MISC"));
                b = k;
            }
            let all_capitalised = (a..b).all(|i| is_capitalised(words[i]));
            if b - a >= 3 && all_capitalised && self.after_role_link(folded, a) {
                let body = g
                    .organisation_at(words, folded, a)
                    .map(|(n, _)| (n, "ORG"))
                    .or_else(|| g.place_at(folded, a).map(|(n, _)| (n, "LOC")))
                    .unwrap_or((1, "ORG"));
                if b - (a + body.0) >= 2 {
                    out.push((a, a + body.0, body.1));
                    out.push((a + body.0, b, "PER"));
                    continue;
                }
            }
            // "du Kremlin | Anatoli V.": a name right after a role's body.
            let after_body = out.last().is_some_and(|&(pa, pb, pk): &(usize, usize, &str)| {
                pb == a && pk != "PER" && pb - pa == 1 && self.after_role_link(folded, pa)
            });
            let kind = if after_body && b - a >= 2 && kind == "MISC" { "PER" } else { kind };
            out.push((a, b, kind));
        }
        out
    }

    /// Splits a name made of a known place and a country after it
    /// ("Dresden Germany", "Europe US", "Germany Germany"), or of two major
    /// cities ("Wolfsburg Ingolstadt", a fixture list): a heading run
    /// into the text, or a list, not one place. A name that is itself a known
    /// place or organisation stays whole, and so do a name ending on a city
    /// or a region ("Bayern Munich": a club) and one opening on a first name
    /// ("Orlando Jordan": a person).
    fn split_place_pairs(
        &self,
        words: &[&str],
        folded: &[String],
        spans: Vec<(usize, usize, &'static str)>,
    ) -> Vec<(usize, usize, &'static str)> {
        let g = self.gazetteer;
        let mut out = Vec::with_capacity(spans.len());
        for (a, b, kind) in spans {
            let major_city =
                |places: &[Place]| places.iter().any(|&p| matches!(p, Place::City(_)) && g.is_major_city(p));
            let first = g.place_at(folded, a).filter(|&(n, _)| a + n < b);
            let pair = first.map(|(n, _)| n).filter(|&n| {
                g.place_at(folded, a + n).is_some_and(|(m, places)| {
                    a + n + m == b
                        && (matches!(places.first(), Some(Place::Country(_)))
                            || major_city(places) && first.is_some_and(|(_, before)| major_city(before)))
                }) && g.organisation_at(words, folded, a).is_none_or(|(m, _)| a + m < b)
                    && (a..b).all(|i| is_capitalised(words[i]))
                    && !g.is_given_name(&folded[a])
            });
            if let Some(n) = pair {
                out.push((a, a + n, "LOC"));
                out.push((a + n, b, "LOC"));
                continue;
            }
            // "US President Barack Obama", "Germany Recep Tayyip Erdogan": a
            // country, then a role or a first name, are the country and a
            // person (a country's name that is also a first name, "Israel
            // Epstein", opens a person's name instead).
            let country = g
                .place_at(folded, a)
                .filter(|(n, places)| a + n < b && matches!(places.first(), Some(Place::Country(_))))
                .map(|(n, _)| n);
            let person_after = country.filter(|&n| {
                // A lone first name after a country may be a name of its
                // own ("Samoa Joe", "Maurice Emmanuel"): a full name only.
                (g.title_at(folded, a + n).is_some() || g.is_given_name(&folded[a + n]) && b - (a + n) >= 2)
                    && !g.is_given_name(&folded[a])
                    && g.organisation_at(words, folded, a).is_none_or(|(m, _)| m <= n)
                    && (a..b).all(|i| is_capitalised(words[i]))
            });
            match person_after {
                Some(n) => {
                    out.push((a, a + n, "LOC"));
                    out.push((a + n, b, "PER"));
                }
                None => out.push((a, b, kind)),
            }
        }
        out
    }

    /// Joins an unknown name and the place after it into one name: "Celtics
    /// de Boston", "Sénateurs d'Ottawa" are organisations (clubs are named
    /// so), "Traité de Versailles", "Coupe de France" are events or works
    /// (their head is an event word), and in neither is the place a mention
    /// of its own.
    fn join_named_after_place(
        &self,
        words: &[&str],
        folded: &[String],
        spans: Vec<(usize, usize, &'static str)>,
    ) -> Vec<(usize, usize, &'static str)> {
        let g = self.gazetteer;
        merge_with_previous(spans, |(pa, pb, pkind), (a, b, kind)| {
            let between: Vec<&str> = folded[pb..a].iter().map(String::as_str).collect();
            let link = matches!(between[..], ["de" | "du" | "d'"] | ["de", "la" | "l'"]);
            // "Amérique du Sud" is one place: a compass point is no home town.
            let place = (kind == "LOC" || g.place_at(folded, a).is_some_and(|(n, _)| n == b - a))
                && !(b - a == 1 && g.is_place_qualifier(&folded[a]));
            let event = g.event_word_at(folded, pa).is_some();
            // A name the tagger took for a place but no gazetteer knows
            // ("Canucks | de Vancouver") is a club's too.
            let unknown = pkind == "MISC" || (pkind == "LOC" && g.place_at(folded, pa).is_none());
            (link && place && is_capitalised(words[pa]) && (event || unknown)).then_some(if event {
                "MISC"
            } else {
                "ORG"
            })
        })
    }

    /// Joins a first name, a particle and a surname into one person's name:
    /// "Jeanne d'Albret", "Carl von Linné", "Marine Le Pen", when the part
    /// before the particle is a person or a lone untyped name and the part
    /// after it is no known place ("Banque de France" stays apart).
    fn join_particle_names(
        &self,
        words: &[&str],
        folded: &[String],
        spans: Vec<(usize, usize, &'static str)>,
        sentence_start: usize,
        lang: Option<&str>,
    ) -> Vec<(usize, usize, &'static str)> {
        let g = self.gazetteer;
        merge_with_previous(spans, |(pa, pb, pkind), (a, b, kind)| {
            // The tagger may have taken the particle's first word in ("Piet
            // van | der | Wouden").
            let mut mid = pb;
            while mid > pa + 1 && mid + 3 > a && g.is_name_particle(&folded[mid - 1]) {
                mid -= 1;
            }
            let between = folded[mid..a].join(" ");
            // "CESSIONS DE FONDS": in a capitals-only line "DE" is no particle.
            let shouted = (mid..a).any(|i| words[i].chars().count() > 1 && !words[i].chars().any(char::is_lowercase));
            let particle = a > mid && a - mid <= 2 && !shouted && g.is_name_particle(&between);
            let person_before = pkind == "PER"
                || (pb - pa == 1
                        && pkind != "ORG"
                        && g.places(&folded[pa]).is_empty()
                        && !g.is_org_word(&folded[pa])
                        && g.event_word_at(folded, pa).is_none()
                        // "Contemporain de Nicolas C.": a common word opening
                        // the sentence is no first name.
                        && !(pa == sentence_start && lang.and_then(|l| g.is_common_word(l, words[pa])) == Some(true)));
            // The surname after a particle is one word ("de | Gaulle"); a
            // whole name after "de" is someone else's ("Roma de Fabio C."),
            // and a place after "de" is where someone is from.
            let of_place =
                matches!(between.as_str(), "de" | "d'" | "du" | "de la" | "de l'") && g.place_at(folded, a).is_some();
            let surname = b - a == 1 && kind != "ORG" && !of_place && !g.is_place_qualifier(&folded[a]);
            (particle && person_before && surname).then_some("PER")
        })
    }

    /// "Berlin-based Mercator Institute", "Iran-backed Houthi": a compound
    /// made on a name (`compound_suffixes.txt`) ends the name it names; the
    /// words after it are another name.
    fn split_after_compounds(
        &self,
        folded: &[String],
        spans: Vec<(usize, usize, &'static str)>,
    ) -> Vec<(usize, usize, &'static str)> {
        let mut out = Vec::with_capacity(spans.len());
        for (a, b, kind) in spans {
            let mut start = a;
            for (i, word) in folded.iter().enumerate().take(b - 1).skip(a) {
                if self.gazetteer.compound_base(word).is_some() {
                    out.push((start, i + 1, "MISC"));
                    start = i + 1;
                }
            }
            out.push((start, b, kind));
        }
        out
    }

    /// Joins a company's last word standing alone to the name before it:
    /// "Columbia | Pictures" is one organisation.
    fn join_company_words(
        &self,
        folded: &[String],
        spans: Vec<(usize, usize, &'static str)>,
    ) -> Vec<(usize, usize, &'static str)> {
        merge_with_previous(spans, |(_, pb, _), (a, b, kind)| {
            (pb == a && b - a == 1 && kind == "MISC" && self.gazetteer.is_org_suffix(&folded[a])).then_some("ORG")
        })
    }

    /// Joins an epithet to the person's name before it: "Alexandre le
    /// Grand", "Pline l'Ancien" (an article, then one untyped word that is
    /// no place or title).
    fn join_epithets(
        &self,
        folded: &[String],
        spans: Vec<(usize, usize, &'static str)>,
    ) -> Vec<(usize, usize, &'static str)> {
        let g = self.gazetteer;
        merge_with_previous(spans, |(_, pb, pkind), (a, b, kind)| {
            let article = a == pb + 1 && (g.is_determiner(&folded[pb]) || folded[pb] == "l'");
            let epithet = b - a == 1 && kind == "MISC" && g.places(&folded[a]).is_empty() && !g.is_title(&folded[a]);
            (pkind == "PER" && article && epithet).then_some("PER")
        })
    }

    /// Whether token `a` follows "title [demonyms] du/de la/des/of".
    fn after_role_link(&self, folded: &[String], a: usize) -> bool {
        link_start(folded, a).is_some_and(|l| self.title_right_before(folded, l))
    }

    /// Whether token `a` follows "portfolio head [demonyms] du/de la/des/of"
    /// ("ministre turc de la", "ministère russe des", "département d'").
    fn after_portfolio_link(&self, folded: &[String], a: usize) -> bool {
        let g = self.gazetteer;
        link_start(folded, a).is_some_and(|l| {
            let mut i = l;
            while i > 0 && g.demonym(&folded[i - 1]).is_some() {
                i -= 1;
            }
            i > 0 && g.is_portfolio_head(&folded[i - 1])
        })
    }

    /// An acronym among words that are not all capitals ("the EU said"),
    /// not a word of a heading written in capitals ("UN HOMME").
    fn lone_acronym(&self, tokens: &[crate::tokenize::Token], i: usize) -> bool {
        let capitals = |t: &crate::tokenize::Token| t.text.chars().any(char::is_alphabetic) && is_acronym(&t.text);
        capitals(&tokens[i]) && !(i > 0 && capitals(&tokens[i - 1])) && !tokens.get(i + 1).is_some_and(capitals)
    }

    /// The end of an organisation's name `a..b` extended over a link word
    /// at `b` and the capitalised complement after it ("Institute | for
    /// International and Security Affairs"): capitalised words, and a link
    /// word between two of them (never a locative: "in Moscow" is the
    /// place); `b` unchanged when no capitalised word follows the link.
    fn capitalised_complement(&self, tokens: &[Token], folded: &[String], a: usize, b: usize) -> usize {
        let g = self.gazetteer;
        // ("the European parliament | for Chancellor Merkel's party": a title
        // starts a person, not the complement.)
        let name_word = |j: usize| {
            is_capitalised(&tokens[j].text)
                && !g.is_stopword(&folded[j])
                && !g.is_calendar_word(&folded[j])
                && g.title_at(folded, j).is_none()
        };
        let (mut j, mut end) = (b + 1, b);
        while j < tokens.len() && j - a < 10 {
            if name_word(j) {
                j += 1;
                end = j;
            } else if end > b && g.is_org_inner_link(&folded[j]) && j + 1 < tokens.len() && name_word(j + 1) {
                j += 1;
            } else {
                break;
            }
        }
        end
    }

    /// Whether token `a`, opening a sentence, is a common word of `lang`
    /// that the text never capitalises inside a sentence and that starts no
    /// known place or organisation: the word itself, not a name.
    fn common_opener(
        &self,
        tokens: &[Token],
        words: &[&str],
        folded: &[String],
        a: usize,
        capitalised_inside: &std::collections::HashSet<&str>,
        lang: Option<&str>,
    ) -> bool {
        let g = self.gazetteer;
        // A listed word, not a compound of two ("Northwind" is a company's name).
        !capitalised_inside.contains(folded[a].as_str())
            && lang.and_then(|l| g.is_listed_word(l, &tokens[a].text)) == Some(true)
            && g.place_at(folded, a).is_none()
            && g.organisation_at(words, folded, a).is_none()
    }

    /// A word that may be part of a name: capitalised, and not a stop word,
    /// calendar word, title, demonym or page furniture.
    fn name_word(&self, word: &str, folded: &str, lang: Option<&str>) -> bool {
        let g = self.gazetteer;
        is_capitalised(word)
            && word.chars().any(char::is_alphabetic)
            && !g.is_stopword(folded)
            && !g.is_calendar_word_in(lang, folded)
            && !g.is_title(folded)
            && (g.demonym(folded).is_none() || !g.places(folded).is_empty())
            && !g.is_boilerplate(folded)
    }

    #[allow(clippy::too_many_arguments)] // the token views are all needed
    fn mention(
        &self,
        text: &str,
        tokens: &[Token],
        words: &[&str],
        folded: &[String],
        mut a: usize,
        mut b: usize,
        kind: &str,
        sentence: std::ops::Range<usize>,
        lang: Option<&str>,
    ) -> Option<Mention> {
        let g = self.gazetteer;
        let sentence_start = sentence.start;
        // Edges: elided articles, punctuation and (for people) leading titles.
        while a < b && (folded[a].ends_with('\'') || !folded[a].chars().any(char::is_alphanumeric)) {
            a += 1;
        }
        // "Racing Club de": a linking word does not end a name.
        while b > a
            && (!folded[b - 1].chars().any(char::is_alphanumeric)
                || (b - a > 1 && ROLE_LINKS.contains(&folded[b - 1].as_str())))
        {
            b -= 1;
        }
        // "Berlin UTC": a time zone beside a dateline's place is not part of its name.
        let zone = |i: usize| is_acronym(&tokens[i].text) && g.is_time_zone(&folded[i]);
        while b > a && zone(b - 1) {
            b -= 1;
        }
        while a < b && zone(a) {
            a += 1;
        }
        // "Transport Minister Hugo Ferrand": the name starts after the last
        // title, and is a person's.
        let mut titled = false;
        // "Secretary of State John Kerry": so does a title that began before the span.
        let earliest = a.saturating_sub(4).max(sentence_start);
        if let Some(after) =
            (earliest..b).filter_map(|i| g.title_at(folded, i).map(|n| i + n)).filter(|e| *e > a && *e < b).max()
        {
            a = after;
            titled = true;
        }
        // Names start with a capital: a demonym or other lowercase word the
        // tagger took in ("géorgien Irakli G.") is left out.
        while a < b && !tokens[a].text.chars().next().is_some_and(|c| c.is_uppercase() || c.is_numeric()) {
            a += 1;
        }
        if a >= b {
            return None;
        }
        // "Conseil | constitutionnel", "Banque | centrale européenne": the
        // adjectives after an organisation's head belong to its name.
        let state = g.is_state_head(&folded[a]);
        // "Gulf | of Aden", "Horn | of Africa": so does a feature's capitalised head.
        let feature = is_capitalised(&tokens[a].text) && g.is_place_head(&folded[a]);
        if (g.is_org_word(&folded[a]) || state || feature) && kind != "PER" {
            // "Ligue nationale | de hockey", "Agence internationale | de
            // l'énergie": so does a lowercase noun complement, with its own
            // adjectives.
            let mut complements = 0;
            loop {
                b = self.adjectives_after(tokens, folded, a, b);
                // "de la mer | et | de l'atmosphère": a second complement
                // coordinated with the first; `at` is where its link starts.
                let at = b + usize::from(complements > 0 && folded.get(b).is_some_and(|w| g.is_org_coordinator(w)));
                let link = match folded.get(at).map(String::as_str) {
                    Some("de") if folded.get(at + 1).is_some_and(|w| w == "l'" || w == "la") => 2,
                    Some("de" | "d'" | "du") => 1,
                    // "University | of Sheffield", "Ministry | of Defence": English
                    // writes the complement with a capital.
                    Some(w) if g.is_org_link(w) => 1,
                    _ => break,
                };
                let Some(noun) = tokens.get(at + link) else { break };
                let nf = &folded[at + link];
                // "Ligue de hockey | de l'Ontario": a known place ends the name.
                if let Some((n, _)) = g.place_at(folded, at + link).filter(|_| is_capitalised(&noun.text)) {
                    b = at + link + n;
                    break;
                }
                if g.is_org_link(&folded[at]) {
                    if at == b {
                        b = self.capitalised_complement(tokens, folded, a, b);
                    }
                    break;
                }
                if at + link - a >= 8 + 3 * complements
                    || !noun.text.chars().next().is_some_and(char::is_lowercase)
                    || !noun.text.chars().all(char::is_alphabetic)
                    || g.is_stopword(nf)
                    || g.is_determiner(nf)
                    || g.is_calendar_word(nf)
                {
                    break;
                }
                b = at + link + 1;
                complements += 1;
            }
        }
        // "Syrian Observatory | for Human Rights": a name that ends in an
        // organisation's head takes its capitalised complement too (whatever
        // the tagger's type: a person's name ends in no such head).
        let head_end = b;
        if b < folded.len()
            && is_capitalised(&tokens[b - 1].text)
            && g.is_org_word(&folded[b - 1])
            && g.is_org_link(&folded[b])
        {
            b = self.capitalised_complement(tokens, folded, a, b);
        }
        // "Washington state", "New York state": after a name that is both a
        // city and a region, such a word makes it the region, apart from the
        // city; not when it qualifies a noun ("the Berlin state museums").
        let qualifies_noun = |j: usize| {
            tokens.get(j).is_some_and(|t| {
                t.text.chars().next().is_some_and(char::is_lowercase)
                    && t.text.chars().all(char::is_alphabetic)
                    && !g.is_stopword(&folded[j])
            })
        };
        let regional = b < folded.len()
            && tokens[b].text.chars().next().is_some_and(char::is_lowercase)
            && g.is_region_word(&folded[b])
            && !qualifies_noun(b + 1)
            && g.place_at(folded, a).is_some_and(|(n, places)| {
                a + n == b
                    && places.iter().any(|p| matches!(p, Place::City(_)))
                    && places.iter().any(|p| matches!(p, Place::Region(_)))
            });
        if regional {
            b += 1;
        }
        // (A name so extended is an organisation's, not a country in a headline.)
        let complemented = b > head_end;
        // "Germany Irked", "Sadly Russia": in a headline written in title
        // case, the capitalised common words beside a country's name are not
        // part of it (in running text they are: "East Germany", "Air France").
        // (Read only for a span around a country: mentions are a hot path.)
        let title_case = || {
            let (mut words_seen, mut capitals) = (0, 0);
            for t in tokens[sentence.clone()].iter().filter(|t| t.text.chars().any(char::is_alphabetic)) {
                words_seen += 1;
                capitals += usize::from(is_capitalised(&t.text));
            }
            words_seen >= 4 && capitals * 3 >= words_seen * 2
        };
        if b - a >= 2 && !complemented {
            let country = (a..b).find_map(|i| {
                g.place_at(folded, i)
                    .filter(|(n, places)| i + n <= b && matches!(places.first(), Some(Place::Country(_))))
                    .map(|(n, _)| (i, i + n))
            });
            let common = |j: usize| lang.and_then(|l| g.is_common_word(l, words[j])) == Some(true);
            if let Some((ca, cb)) = country {
                if (ca, cb) != (a, b) && (a..ca).chain(cb..b).all(common) && title_case() {
                    (a, b) = (ca, cb);
                }
            }
        }
        // "In February Russia opened ...": a month or a day before a known
        // place is the sentence's time, not part of the place's name; an
        // adverb after it ("Europe Increasingly", a heading run into the
        // text) is the sentence's too.
        if b - a >= 2
            && g.is_calendar_word_in(lang, &folded[a])
            && g.place_at(folded, a + 1).is_some_and(|(n, _)| a + 1 + n == b)
        {
            a += 1;
        }
        let adverb = |i: usize| {
            folded[i].ends_with("ly")
                && g.places(&folded[i]).is_empty()
                && lang.and_then(|l| g.is_common_word(l, words[i])) == Some(true)
        };
        if b - a >= 2 && adverb(b - 1) && g.place_at(folded, a).is_some_and(|(n, _)| a + n == b - 1) {
            b -= 1;
        }
        // "Among Germany's ...": a common word capitalised only because it
        // opens the sentence is not part of the country's name after it.
        let opens_sentence = || (sentence_start..a).all(|i| !words[i].chars().any(char::is_alphanumeric));
        if b - a >= 2
            && opens_sentence()
            && lang.and_then(|l| g.is_common_word(l, words[a])) == Some(true)
            // ("Eastern Germany" is a part of the country, named so.)
            && !g.is_place_qualifier(&folded[a])
            && g.place_at(folded, a).is_none()
            && g.place_at(folded, a + 1)
                .is_some_and(|(n, places)| a + 1 + n == b && matches!(places.first(), Some(Place::Country(_))))
        {
            a += 1;
        }
        let key = folded[a..b].join(" ");
        let has_capital = tokens[a..b].iter().any(|t| t.text.chars().next().is_some_and(char::is_uppercase));
        // "Facebook", "Twitter" alone on a line are share buttons; a known
        // organisation in running text is the organisation.
        let running_text =
            || tokens[sentence].iter().filter(|t| t.text.chars().next().is_some_and(char::is_lowercase)).count() >= 3;
        let known_org = || g.organisation_at(words, folded, a).is_some_and(|(n, _)| n == b - a);
        if !has_capital
            || (g.is_boilerplate(&key) && !(known_org() && running_text()))
            || g.is_title(&key)
            // "Suisse", "Argentine": a capitalised demonym that is also a
            // country's name is the country.
            || (g.demonym(&key).is_some()
                && g.places(&key).is_empty()
                && self.place_head_before(folded, a, sentence_start).is_none())
            // A stop word alone is no name, unless written as an acronym ("EU",
            // "UN": French "eu", "un" are stop words).
            || (b - a == 1 && g.is_stopword(&key) && !self.lone_acronym(tokens, a))
            || g.is_calendar_word_in(lang, &key)
        {
            return None;
        }
        // "Kazakh President", "Defence Minister": a role, not a name.
        if (a..b).any(|j| g.title_at(folded, j).is_some_and(|n| j + n == b)) {
            return None;
        }
        let mut kind = EntityType::parse(kind)?;
        // "VfB Stuttgart", "Chelsea FC": a club, not its town.
        let club = b - a >= 2 && (g.is_club_affix(words[a]) || g.is_club_affix(words[b - 1]));
        // A whole country or city name is a place, whatever the tagger says;
        // a name right after a title or a title and demonym is a person.
        if club || g.organisation_at(words, folded, a).is_some_and(|(n, _)| n == b - a) {
            kind = EntityType::Org;
        } else if g.place_at(folded, a).is_some_and(|(n, _)| n == b - a)
            || (state && b - a >= 2)
            || regional
            // "Eastern Europe", "West Berlin": a qualified place is a place.
            || (b - a >= 2
                && g.is_place_qualifier(&folded[a])
                && g.place_at(folded, a + 1).is_some_and(|(n, _)| a + 1 + n == b))
        {
            kind = EntityType::Loc;
        } else if (kind != EntityType::Per || (a > 0 && g.is_determiner(&folded[a - 1])) || is_acronym(words[a]))
            && self.club_named_after_city(tokens, folded, a, b)
        {
            // "l'Ajax Amsterdam", "PSV Eindhoven": a person's name takes no
            // article and starts with no acronym.
            kind = EntityType::Org;
        } else if titled || self.title_right_before(folded, a) {
            kind = EntityType::Per;
        } else if self.org_cue_before(tokens, folded, a, sentence_start) {
            // "le groupe de rock Nine Inch Nails", "le label Epitaph".
            kind = EntityType::Org;
        } else if matches!(kind, EntityType::Per | EntityType::Misc) && self.org_apposition_after(tokens, folded, b) {
            // "Northwind Robotics, the warehouse automation company based in
            // Rotterdam,": an apposition headed by an organisation word.
            kind = EntityType::Org;
        } else if matches!(kind, EntityType::Per | EntityType::Misc) && b - a >= 2 && g.is_org_suffix(&folded[b - 1]) {
            // "Columbia Records", "Cartoon Network": a company's last word.
            kind = EntityType::Org;
        } else if matches!(kind, EntityType::Per | EntityType::Misc)
            && b - a >= 2
            && (g.is_place_head(&folded[a]) || g.is_place_suffix(&folded[b - 1]))
        {
            // "Lake Louise", "Île d'Oléron", "Phillip Island": a place's head
            // word makes a place, not a person.
            kind = EntityType::Loc;
        } else if kind == EntityType::Misc
            && b - a >= 2
            && g.is_given_name(&folded[a])
            && tokens[a + 1..b].iter().all(|t| is_capitalised(&t.text) || g.is_name_particle(&fold(&t.text)))
        {
            // "Venus Williams", "Thor Hushovd": a given name and a capitalised
            // word make a person.
            kind = EntityType::Per;
        } else if kind == EntityType::Misc && folded[a..b].iter().any(|w| g.is_org_word(w)) {
            kind = EntityType::Org;
        } else if kind == EntityType::Per && a > 0 && g.is_determiner(&folded[a - 1]) {
            // "au Cachemire": no article stands before a person's name.
            kind = if folded[a..b].iter().any(|w| g.is_org_word(w)) { EntityType::Org } else { EntityType::Loc };
        }
        // "golfe de Guinée", "mer Noire": a natural feature's lowercase head
        // belongs to its name, and the feature is not the country or city.
        if matches!(kind, EntityType::Loc | EntityType::Misc) {
            if let Some(head) = self.place_head_before(folded, a, sentence_start) {
                a = head;
                kind = EntityType::Loc;
            }
        }
        // "université de Kyoto": an institution's lowercase head makes its
        // name, an organisation's.
        if kind != EntityType::Per {
            if let Some(head) = self.head_before(folded, a, sentence_start, |w| g.is_org_head(w)) {
                a = head;
                kind = EntityType::Org;
                // "ministère des Affaires | étrangères".
                b = self.adjectives_after(tokens, folded, a, b);
            }
        }
        if kind == EntityType::Loc {
            (a, b) = self.extend_place(tokens, folded, a, b, sentence_start);
        }
        // "les albums de The Beatles": inside a sentence, a capitalised
        // English article belongs to the name.
        // (After a word: `."The EU` opens a sentence behind its quote mark.)
        if a > sentence_start + 1
            && is_capitalised(words[a - 1])
            && g.is_determiner(&folded[a - 1])
            && (sentence_start..a - 1).any(|i| words[i].chars().any(char::is_alphanumeric))
        {
            a -= 1;
        }
        // "le ministre des Transports", "ministre de la Défense": a portfolio
        // after a role is part of the role, not an entity (a known place or
        // organisation there, "secrétaire général de l'ONU", stays).
        // After a ministry, a word the language writes in lower case is a
        // portfolio even when typed as an organisation ("ministre turc de la
        // Défense"), a company is not ("le président de Renault").
        let portfolio = match kind {
            EntityType::Misc => self.after_role_link(folded, a) || self.after_portfolio_link(folded, a),
            EntityType::Org => {
                self.after_portfolio_link(folded, a)
                    && (a..b).all(|i| {
                        !words[i].chars().any(char::is_alphabetic)
                            || ["fr", "en"].iter().any(|l| g.is_common_word(l, words[i]) == Some(true))
                    })
            }
            _ => false,
        };
        if portfolio && g.place_at(folded, a).is_none() && g.organisation_at(words, folded, a).is_none() {
            return None;
        }
        // "le Premier ministre": a capitalised word that opens a title
        // phrase reaching past it is part of the title, not a name.
        let first = if a + 1 < b && g.is_determiner(&folded[a]) { a + 1 } else { a };
        if g.title_at(folded, first).is_some_and(|n| first + n > b) {
            return None;
        }
        let (start, mut end) = (tokens[a].start, tokens[b - 1].end);
        // "US-led", "Berlin-based": the name is the compound's first part.
        if g.compound_base(&folded[b - 1]).is_some() {
            let last = &tokens[b - 1];
            end = last.start + last.text.rsplit_once('-').map_or(0, |(base, _)| base.chars().count());
            if end <= start {
                return None;
            }
        }
        // Non-breaking spaces become spaces (same length, so offsets hold).
        let mention_text: String =
            text.chars().skip(start).take(end - start).map(|c| if c.is_whitespace() { ' ' } else { c }).collect();
        let (role, role_country) =
            if kind == EntityType::Per { self.role(text, tokens, folded, a, b, sentence_start) } else { (None, None) };
        Some(Mention { start, end, text: mention_text, kind, role, role_country })
    }

    /// The end of an organisation's name (tokens `a..b`) with the lowercase
    /// adjectives and demonyms right after it ("Conseil | constitutionnel",
    /// "Banque | centrale européenne"), at most ten tokens in all.
    fn adjectives_after(&self, tokens: &[Token], folded: &[String], a: usize, mut b: usize) -> usize {
        let g = self.gazetteer;
        let adjective = |k: usize| {
            k < tokens.len()
                && k - a < 10
                && tokens[k].text.chars().next().is_some_and(char::is_lowercase)
                && (g.looks_adjectival(&folded[k]) || g.demonym(&folded[k]).is_some())
                // "la Commission critique le projet": a verb takes an object.
                && !folded.get(k + 1).is_some_and(|n| g.is_determiner(n) || matches!(n.as_str(), "que" | "qu'"))
        };
        let start = b;
        loop {
            if adjective(b) {
                b += 1;
            } else if (b > start || (b > a + 1 && tokens[b - 1].text.chars().next().is_some_and(char::is_lowercase)))
                && folded.get(b).is_some_and(|w| g.is_org_coordinator(w))
                && adjective(b + 1)
            {
                // "Union maritime | et portuaire": after a lowercase word of
                // the name, taken here or by the tagger.
                b += 2;
            } else {
                return b;
            }
        }
    }

    /// "Ajax Amsterdam", "Werder Brême": a name that is no country, region,
    /// given name or event followed by a city's name is a club named after
    /// its home town.
    fn club_named_after_city(&self, tokens: &[Token], folded: &[String], a: usize, b: usize) -> bool {
        let g = self.gazetteer;
        b - a >= 2
            && tokens[a..b].iter().all(|t| is_capitalised(&t.text))
            // "Ajax" is also a small town, but no country or region.
            && g.place_at(folded, a).is_none_or(|(_, places)| places.iter().all(|p| matches!(p, Place::City(_))))
            && !g.is_place_qualifier(&folded[a])
            && !g.is_place_head(&folded[a])
            && !g.is_given_name(&folded[a])
            && g.event_word_at(folded, a).is_none()
            && (a + 1..b).any(|k| {
                g.place_at(folded, k)
                    .is_some_and(|(n, places)| k + n == b && places.iter().any(|p| matches!(p, Place::City(_))))
            })
    }

    /// A place's name with the words around it that belong to it: the
    /// longest gazetteer name covering it ("Arabie | saoudite", "république
    /// démocratique du | Congo"), a compass complement ("Amérique | du Nord",
    /// "Europe | de l'Est") and place adjectives ("Asie | centrale", "Guyane
    /// | française").
    fn extend_place(
        &self,
        tokens: &[Token],
        folded: &[String],
        mut a: usize,
        mut b: usize,
        sentence_start: usize,
    ) -> (usize, usize) {
        let g = self.gazetteer;
        let sentence_end = tokens.len();
        let known = (sentence_start.max(a.saturating_sub(4))..=a)
            .filter_map(|s| g.place_at(folded, s).map(|(n, _)| (s, s + n)))
            .filter(|&(s, e)| e >= b && (s == a || is_capitalised(&tokens[s].text) || g.is_place_head(&folded[s])))
            .min_by_key(|&(s, e)| (s, std::cmp::Reverse(e)));
        if let Some((s, e)) = known {
            (a, b) = (s, e);
        }
        loop {
            let link = match folded.get(b).map(String::as_str) {
                Some("du" | "d'") => 1,
                Some("de") if matches!(folded.get(b + 1).map(String::as_str), Some("l'")) => 2,
                _ => 0,
            };
            if link > 0
                && b + link < sentence_end
                && is_capitalised(&tokens[b + link].text)
                && g.is_place_qualifier(&folded[b + link])
            {
                b += link + 1;
            } else if b < sentence_end
                && tokens[b].text.chars().next().is_some_and(char::is_lowercase)
                && g.is_place_adjective(&folded[b])
            {
                b += 1;
            } else {
                break;
            }
        }
        (a, b)
    }

    /// The token where a natural feature's head stands before the name at
    /// `a`: "golfe | Persique", "golfe de | Guinée", "rivière des | Perles",
    /// "baie de l' | Hudson".
    fn place_head_before(&self, folded: &[String], a: usize, sentence_start: usize) -> Option<usize> {
        self.head_before(folded, a, sentence_start, |w| self.gazetteer.is_place_head(w))
    }

    /// The token where a lowercase head word (`is_head`) stands before the
    /// name at `a`, with or without "de", "du", "des", "de la", "of".
    fn head_before(
        &self,
        folded: &[String],
        a: usize,
        sentence_start: usize,
        is_head: impl Fn(&str) -> bool,
    ) -> Option<usize> {
        let at = |i: usize| (i >= sentence_start).then(|| folded[i].as_str());
        let links = match (a.checked_sub(2).and_then(at), a.checked_sub(1).and_then(at)) {
            (Some("de"), Some("la" | "l'")) => 2,
            (_, Some("de" | "du" | "des" | "d'" | "of")) => 1,
            _ => 0,
        };
        let mut head = a.checked_sub(links + 1)?;
        // "ministère russe des Affaires étrangères": demonyms between.
        while head > sentence_start && self.gazetteer.demonym(&folded[head]).is_some() {
            head -= 1;
        }
        at(head).filter(|w| is_head(w)).map(|_| head)
    }

    /// Whether a noun that announces an organisation (`org_cues.txt`) stands
    /// among the few lowercase words right before token `a`, with no
    /// punctuation or capitalised word between.
    fn org_cue_before(&self, tokens: &[Token], folded: &[String], a: usize, sentence_start: usize) -> bool {
        const REACH: usize = 4;
        (a.saturating_sub(REACH).max(sentence_start)..a)
            .rev()
            .take_while(|&i| tokens[i].text.chars().next().is_some_and(char::is_lowercase))
            .any(|i| self.gazetteer.is_org_cue(&folded[i]))
    }

    /// Whether the name ending before token `b` is followed by an apposition
    /// headed by an organisation word (`org_words.txt`): ", the warehouse
    /// automation company based in ...", ", l'entreprise de ...". The head is
    /// the last lowercase word before the first function word, past a
    /// participle or a demonym ("based", "néerlandaise"); "the party leader"
    /// is headed by "leader", and "the company's chief" is a possessive.
    fn org_apposition_after(&self, tokens: &[Token], folded: &[String], b: usize) -> bool {
        const REACH: usize = 6;
        let g = self.gazetteer;
        if b + 2 >= tokens.len() || tokens[b].text != "," || !g.is_determiner(&folded[b + 1]) {
            return false;
        }
        let words: Vec<usize> = (b + 2..tokens.len().min(b + 2 + REACH))
            .take_while(|&i| {
                tokens[i].text.chars().next().is_some_and(char::is_lowercase) && !g.is_stopword(&folded[i])
            })
            .collect();
        let mut head = words.len();
        while head > 1 {
            let w = &folded[words[head - 1]];
            let participle = w.len() > 4 && w.ends_with("ed");
            if participle || g.demonym(w).is_some() {
                head -= 1;
            } else {
                break;
            }
        }
        let Some(&last) = words.get(head.wrapping_sub(1)) else { return false };
        let possessive = tokens.get(last + 1).is_some_and(|t| matches!(t.text.as_str(), "'" | "’"));
        g.is_org_word(&folded[last]) && !possessive
    }

    /// Whether a title, possibly followed by demonyms, ends right before token `a`.
    fn title_right_before(&self, folded: &[String], a: usize) -> bool {
        let g = self.gazetteer;
        let mut i = a;
        while i > 0 && g.demonym(&folded[i - 1]).is_some() {
            i -= 1;
        }
        (i.saturating_sub(3)..i).any(|j| g.title_at(folded, j).is_some_and(|n| j + n == i))
    }

    /// The role before a person ("le Premier ministre géorgien Irakli G."), or
    /// after it in apposition ("Irakli G., Premier ministre géorgien,"), and
    /// the country it implies.
    fn role(
        &self,
        text: &str,
        tokens: &[Token],
        folded: &[String],
        a: usize,
        b: usize,
        sentence_start: usize,
    ) -> (Option<String>, Option<String>) {
        let g = self.gazetteer;
        let is_role_word = |i: usize| {
            let f = &folded[i];
            g.demonym(f).is_some()
                || ROLE_LINKS.contains(&f.as_str())
                || (f.chars().all(char::is_alphabetic) && !g.is_stopword(f))
        };
        // Before: the earliest title phrase within six tokens, with only role
        // words between it and the name.
        let mut from = None;
        let mut i = a;
        while i > sentence_start && a - i < 6 {
            i -= 1;
            if !is_role_word(i) {
                break;
            }
            if let Some(n) = g.title_at(folded, i) {
                if i + n <= a && !is_honorific(&folded[i]) {
                    from = Some(i);
                }
            }
        }
        let mut span = from.map(|f| (f, a));
        // After: ", [article] title ... ," in apposition.
        if span.is_none() && folded.get(b).is_some_and(|f| f == ",") {
            let mut j = b + 1;
            if folded.get(j).is_some_and(|f| matches!(f.as_str(), "le" | "la" | "l'" | "the" | "un" | "une" | "a")) {
                j += 1;
            }
            if let Some(n) = g.title_at(folded, j).filter(|_| !is_honorific(&folded[j])) {
                let mut k = j + n;
                while k < folded.len() && k - j < 8 && is_role_word(k) {
                    k += 1;
                }
                span = Some((j, k));
            }
        }
        let Some((from, to)) = span.filter(|(from, to)| from < to) else {
            return (None, None);
        };
        let role: String =
            text.chars().skip(tokens[from].start).take(tokens[to - 1].end - tokens[from].start).collect();
        let country = (from..to).find_map(|i| {
            g.demonym(&folded[i]).or_else(|| {
                g.places(&folded[i]).iter().find_map(|p| match p {
                    Place::Country(c) => Some(String::from_utf8_lossy(c).into_owned()),
                    Place::City(_) | Place::Region(_) | Place::WorldRegion(_) | Place::Org(_) => None,
                })
            })
        });
        (Some(role), country)
    }
}

/// A lowercase article: never inside a name unless after "de" or "à"
/// ("Place de la Concorde").
/// Where the link word before token `a` starts: "du/de/des/d'/of" or
/// "de la/de l'".
fn link_start(folded: &[String], a: usize) -> Option<usize> {
    match (a.checked_sub(2).map(|i| folded[i].as_str()), a.checked_sub(1).map(|i| folded[i].as_str())) {
        (Some("de"), Some("la" | "l'")) => Some(a - 2),
        (_, Some("du" | "de" | "des" | "d'" | "of")) => Some(a - 1),
        _ => None,
    }
}

fn is_lowercase_article(word: &str) -> bool {
    matches!(word, "le" | "la" | "les" | "un" | "une" | "the" | "a" | "an")
}

fn is_capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// "PSV", "AZ": two or more capitals and no lowercase letter.
fn is_acronym(word: &str) -> bool {
    word.chars().filter(|c| c.is_uppercase()).count() >= 2 && !word.chars().any(char::is_lowercase)
}

/// "M.", "Mme", "Dr": marks of a person, not roles.
fn is_honorific(folded: &str) -> bool {
    folded.ends_with('.') || folded.chars().count() <= 3
}

/// Cuts spans at a dash between two of their tokens ("crisscrossed Germany
/// -- partly to escape"): a name never runs over one. (Line breaks already
/// end sentences, except where prose is wrapped: "Kazakh President
/// Kassym-Jomart | Tokayev" is one name.)
fn split_at_dashes(tokens: &[Token], spans: Vec<(usize, usize, &'static str)>) -> Vec<(usize, usize, &'static str)> {
    let mut out = Vec::with_capacity(spans.len());
    for (a, b, kind) in spans {
        let mut start = a;
        for i in a + 1..b {
            // A dash: "—", "–" or "--" (a lone hyphen between spaces may be
            // a tokenised corpus's "Jean - Baptiste").
            let t = &tokens[i];
            let double = t.text == "-" && tokens.get(i + 1).is_some_and(|n| n.text == "-" && n.start == t.end);
            let dash = matches!(t.text.as_str(), "—" | "–" | "--") || double;
            if dash {
                if i > start {
                    out.push((start, i, kind));
                }
                start = i + 1;
            }
        }
        if b > start {
            out.push((start, b, kind));
        }
    }
    out
}

/// Merges each span into the one before it when `merge(previous, span)`
/// gives the merged span's type.
fn merge_with_previous(
    spans: Vec<(usize, usize, &'static str)>,
    merge: impl Fn((usize, usize, &'static str), (usize, usize, &'static str)) -> Option<&'static str>,
) -> Vec<(usize, usize, &'static str)> {
    let mut out: Vec<(usize, usize, &'static str)> = Vec::with_capacity(spans.len());
    for span in spans {
        match out.last_mut() {
            Some(last) => match merge(*last, span) {
                Some(kind) => *last = (last.0, span.1, kind),
                None => out.push(span),
            },
            None => out.push(span),
        }
    }
    out
}

/// Joins two touching spans when either is a person, or when a place the
/// tagger guessed meets an untyped name: the tagger sometimes cuts
/// "Vladimir | Poutine" or "Boris | Eltsine" in two. Known organisations
/// stay whole.
/// Joins a span that opens on a lowercase word to the span right before it:
/// no name starts in lower case, so the tagger, unsure where a type ends,
/// cut one name in two ("l'Union" MISC, "maritime" ORG). The joined name is
/// an organisation's when either part was; otherwise it keeps the first
/// part's type.
fn join_continuations(tokens: &[Token], spans: Vec<(usize, usize, &'static str)>) -> Vec<(usize, usize, &'static str)> {
    let mut out: Vec<(usize, usize, &'static str)> = Vec::with_capacity(spans.len());
    for span in spans {
        match out.last_mut() {
            Some(last)
                if last.1 == span.0
                    && last.2 != "PER"
                    && tokens[span.0].text.chars().next().is_some_and(char::is_lowercase) =>
            {
                let kind = if span.2 == "ORG" { "ORG" } else { last.2 };
                *last = (last.0, span.1, kind);
            }
            _ => out.push(span),
        }
    }
    out
}

fn join_adjacent(spans: Vec<(usize, usize, &'static str)>) -> Vec<(usize, usize, &'static str)> {
    let mut out: Vec<(usize, usize, &'static str)> = Vec::with_capacity(spans.len());
    for span in spans {
        match out.last_mut() {
            Some(last) if last.1 == span.0 && last.2 != "ORG" && span.2 != "ORG" => {
                let joined = match (last.2, span.2) {
                    ("PER", _) | (_, "PER") | ("LOC", "MISC") | ("MISC", "LOC") => "PER",
                    (a, b) if a == b => a,
                    _ => {
                        out.push(span);
                        continue;
                    }
                };
                *last = (last.0, span.1, joined);
            }
            _ => out.push(span),
        }
    }
    out
}

/// The surnames (phrase keys) of the people named in full among `mentions`.
fn full_name_surnames<'m>(mentions: impl Iterator<Item = &'m Mention>) -> std::collections::HashSet<String> {
    mentions
        .filter(|m| m.kind == EntityType::Per && m.text.contains(' '))
        .filter_map(|m| m.text.rsplit(' ').next().map(gazetteer::phrase_key))
        .collect()
}

/// Whether the text from token `first` to token `second` (character
/// offsets) occurs at least twice in `text`.
fn written_twice(text: &str, first: &Token, second: &Token) -> bool {
    let phrase: String = text.chars().skip(first.start).take(second.end - first.start).collect();
    !phrase.is_empty() && text.matches(phrase.as_str()).nth(1).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn touching_person_spans_join() {
        assert_eq!(
            join_adjacent(vec![(0, 1, "LOC"), (1, 2, "PER"), (3, 4, "LOC")]),
            vec![(0, 2, "PER"), (3, 4, "LOC")]
        );
        // A guessed place meeting an untyped name is a person's name cut in
        // two; a known organisation stays whole.
        assert_eq!(join_adjacent(vec![(0, 1, "LOC"), (1, 2, "MISC")]), vec![(0, 2, "PER")]);
        assert_eq!(join_adjacent(vec![(0, 1, "ORG"), (1, 3, "PER")]), vec![(0, 1, "ORG"), (1, 3, "PER")]);
    }

    fn texts(m: &[Mention]) -> Vec<(&str, EntityType)> {
        m.iter().map(|m| (m.text.as_str(), m.kind)).collect()
    }

    /// Asserts that every `(text, type)` of `expected` is a mention of
    /// `sentence`; returns the mentions for further checks.
    fn assert_mentions(sentence: &str, lang: &str, expected: &[(&str, EntityType)]) -> Vec<Mention> {
        let m = Recognizer::shared().mentions(sentence, Some(lang));
        let found = texts(&m);
        for e in expected {
            assert!(found.contains(e), "{e:?}: {found:?}");
        }
        m
    }

    #[test]
    fn a_headline_in_title_case_names_only_what_no_dictionary_holds() {
        let m = Recognizer::shared().mentions("Woman Killed In Bridge Crash, Driver Charged", Some("en"));
        assert!(m.is_empty(), "every word is a dictionary word: {:?}", texts(&m));
        assert_mentions(
            "Rovers' Jamal Okafor Arrested For Drink Driving In Antwerp",
            "en",
            &[("Jamal Okafor", EntityType::Per), ("Antwerp", EntityType::Loc)],
        );
        // A dictionary word the article capitalises in running text is a name in its headline too.
        let text = "Bush Vetoes Bridge Bill Again\n\nPresident Bush vetoed the bill on Tuesday, aides said.";
        let m = Recognizer::shared().mentions(text, Some("en"));
        assert!(m.iter().any(|m| m.start == 0 && m.text == "Bush"), "{:?}", texts(&m));
        // A list of names is no headline: its names stay.
        assert_mentions("Mr. Okafor, Mrs. Lindqvist, Mr. Varga And Mr. Brown", "en", &[("Lindqvist", EntityType::Per)]);
    }

    #[test]
    fn in_a_sports_report_a_country_that_plays_is_its_team_and_the_place_stays_a_place() {
        let report = "Germany beat Argentina 2-1 in the semifinal in Brazil. The striker scored twice and \
            the goalkeeper saved a penalty. The squad flies back to Germany on Monday, where the coach \
            will meet the league officials. The keeper had played solidly in Germany's 1-0 win over Austria.";
        let m = Recognizer::shared().mentions(report, Some("en"));
        let role = |text: &str, nth: usize| {
            m.iter().filter(|x| x.text == text).nth(nth).map(|x| (x.kind, x.role.as_deref())).unwrap()
        };
        assert_eq!(role("Germany", 0), (EntityType::Org, Some(TEAM_ROLE)));
        assert_eq!(role("Argentina", 0), (EntityType::Org, Some(TEAM_ROLE)));
        assert_eq!(role("Brazil", 0).0, EntityType::Loc, "after a locative preposition: {m:?}");
        assert_eq!(role("Germany", 1).0, EntityType::Loc, "{m:?}");
        assert_eq!(role("Germany", 2), (EntityType::Org, Some(TEAM_ROLE)), "in the side's win: {m:?}");
        // The same sentence outside a sports report names the countries.
        let m = Recognizer::shared().mentions("Germany beat Argentina in the talks on trade in Brazil.", Some("en"));
        assert!(m.iter().all(|x| x.role.as_deref() != Some(TEAM_ROLE)), "{m:?}");
        // French: "en Allemagne" is the place, "la France a battu l'Allemagne" the teams.
        let m = Recognizer::shared().mentions(
            "La France a battu l'Allemagne en demi-finale. L'attaquant a marqué deux buts, le gardien a arrêté un \
             penalty et l'entraîneur a salué l'effectif. L'équipe rentre en Allemagne lundi.",
            Some("fr"),
        );
        let teams: Vec<&str> =
            m.iter().filter(|x| x.role.as_deref() == Some(TEAM_ROLE)).map(|x| x.text.as_str()).collect();
        assert_eq!(teams, vec!["France", "Allemagne"], "{m:?}");
    }

    #[test]
    fn a_portfolio_after_a_role_is_no_entity_but_a_known_organisation_is() {
        use EntityType::*;
        let m = assert_mentions(
            "Le ministre des Transports, Hugo Ferrand, a reçu les syndicats.",
            "fr",
            &[("Hugo Ferrand", Per)],
        );
        assert!(!m.iter().any(|m| m.text == "Transports"), "{:?}", texts(&m));
        let m = Recognizer::shared().mentions("Le secrétaire général de l'ONU a parlé à Genève.", Some("fr"));
        assert!(m.iter().any(|m| m.text == "ONU"), "{:?}", texts(&m));
        // A ministry, a demonym between, a portfolio typed as an organisation.
        for sentence in
            ["Le ministre belge de la Défense a parlé jeudi.", "Une porte-parole du département d'État a parlé jeudi."]
        {
            let m = Recognizer::shared().mentions(sentence, Some("fr"));
            assert!(m.is_empty(), "{sentence}: {:?}", texts(&m));
        }
        // A ministry is an organisation, its portfolio is part of its name.
        assert_mentions(
            "Le ministère italien des Affaires étrangères a publié un communiqué jeudi.",
            "fr",
            &[("ministère italien des Affaires étrangères", Org)],
        );
        let m = Recognizer::shared().mentions("Le président de Renault a parlé jeudi.", Some("fr"));
        assert!(m.iter().any(|m| m.text == "Renault"), "{:?}", texts(&m));
    }

    #[test]
    fn an_organisation_s_head_takes_its_capitalised_complement_but_not_the_place_after_it() {
        use EntityType::*;
        let m = assert_mentions(
            "The vote was counted on Monday. A researcher at the Institute for Biomedical Problems in Moscow \
             and a fellow of the Berlin Institute for International and Security Affairs wrote it. The \
             Supreme Court of India ruled, and a member of the European parliament for Chancellor Merkel's \
             party objected.",
            "en",
            &[
                ("Institute for Biomedical Problems", Org),
                ("Moscow", Loc),
                ("Berlin Institute for International and Security Affairs", Org),
                ("Supreme Court of India", Org),
                // The country in the name is mentioned too.
                ("India", Loc),
            ],
        );
        assert!(!m.iter().any(|m| m.text.contains("Chancellor")), "{:?}", texts(&m));
    }

    #[test]
    fn a_region_word_after_a_city_that_is_also_a_region_names_the_region() {
        use EntityType::*;
        let m = assert_mentions(
            "The vote was counted on Monday. Romney won Washington state, and the Berlin state museums \
             lent the map.",
            "en",
            &[("Washington state", Loc), ("Berlin", Loc)],
        );
        assert!(!m.iter().any(|m| m.text == "Berlin state"), "{:?}", texts(&m));
    }

    #[test]
    fn a_sentence_opener_written_twice_before_a_name_is_part_of_it() {
        let m = Recognizer::shared().mentions(
            "The airline filed for insolvency on Monday. Air Berlin spokesman Peter Hauptvogel denied it. \
             It was late. Air Berlin, the second largest airline, said so. Citing Berlin, he left.",
            Some("en"),
        );
        let found = texts(&m);
        assert_eq!(found.iter().filter(|(t, _)| *t == "Air Berlin").count(), 2, "{found:?}");
        // Written once, the opener is the word it is.
        assert!(found.iter().any(|(t, _)| *t == "Berlin"), "{found:?}");
    }

    #[test]
    fn a_qualified_place_or_a_feature_of_one_is_a_place_of_its_own() {
        use EntityType::*;
        let m = assert_mentions(
            "The vote was counted on Monday. Eastern Germany had been deindustrialized. It was late. \
             The border between West Berlin and Poland was closed. New VW chief Herbert Diess spoke. \
             Pirates roam the Gulf of Aden and the Horn of Africa.",
            "en",
            &[
                ("Eastern Germany", Loc),
                ("West Berlin", Loc),
                ("Poland", Loc),
                ("Gulf of Aden", Loc),
                ("Horn of Africa", Loc),
            ],
        );
        // The country is not mentioned inside the part of it.
        assert!(!m.iter().any(|m| m.text == "Germany" || m.text == "New VW"), "{:?}", texts(&m));
    }

    #[test]
    fn a_country_is_a_surname_only_after_a_given_name() {
        let report = "Germany beat Nigeria 2-0 in the final. The striker scored twice and the goalkeeper saved \
            a penalty. Fighting Falconets Nigeria's young side tried hard. Popp shot past the Nigeria keeper.";
        let m = Recognizer::shared().mentions(report, Some("en"));
        let teams = m.iter().filter(|x| x.text == "Nigeria" && x.role.as_deref() == Some(TEAM_ROLE)).count();
        assert_eq!(teams, 2, "{:?}", texts(&m));
    }

    #[test]
    fn a_country_after_another_country_and_a_comma_is_a_list_read_as_a_whole() {
        let report = "The striker scored twice and the goalkeeper saved a penalty in the semifinal. Against \
            Ireland, Germany once again did not gel. Fans in Spain, Italy and France watched the squad.";
        let m = Recognizer::shared().mentions(report, Some("en"));
        let team = |text: &str| m.iter().find(|x| x.text == text).map(|x| x.role.as_deref() == Some(TEAM_ROLE));
        assert_eq!(team("Germany"), Some(true), "{:?}", texts(&m));
        assert_eq!(team("Italy"), Some(false), "{:?}", texts(&m));
    }

    #[test]
    fn a_country_run_into_a_surname_of_the_text_is_the_country_and_the_person() {
        use EntityType::*;
        let m = assert_mentions(
            "US spy chief Michael Hayden spoke on Monday. The talks were continuing with Germany Hayden gave \
             little away. The US Army and Israel Epstein were not there.",
            "en",
            &[("Germany", Loc), ("Hayden", Per), ("Israel Epstein", Per)],
        );
        assert!(!m.iter().any(|m| m.text == "Germany Hayden"), "{:?}", texts(&m));
    }

    #[test]
    fn time_zones_and_compounds_leave_the_name_alone() {
        use EntityType::*;
        let m = assert_mentions(
            "The report was filed in Berlin UTC on Monday as the US-led coalition met.",
            "en",
            &[("Berlin", Loc)],
        );
        assert!(m.iter().any(|m| m.text == "US"), "{:?}", texts(&m));
        assert!(!m.iter().any(|m| m.text.contains("UTC") || m.text.contains("led")), "{:?}", texts(&m));
    }

    #[test]
    fn a_common_word_opening_a_sentence_is_no_name() {
        let text = "The talks went on. Meanwhile, the ministers waited in Geneva. Nevertheless, nothing was agreed.";
        let m = Recognizer::shared().mentions(text, Some("en"));
        assert!(!m.iter().any(|m| m.text == "Meanwhile" || m.text == "Nevertheless"), "{:?}", texts(&m));
        assert!(m.iter().any(|m| m.text == "Geneva"), "{:?}", texts(&m));
        // Secretary of State is a title, wherever the tagger's span starts.
        let m = Recognizer::shared().mentions("He met Secretary of State John Kerry on Monday.", Some("en"));
        assert!(m.iter().any(|m| m.text == "John Kerry"), "{:?}", texts(&m));
    }

    #[test]
    fn names_joined_by_a_hyphen_are_two_and_headline_words_leave_a_country() {
        let m = Recognizer::shared().mentions("The EU-Turkey deal was signed in Brussels on Friday.", Some("en"));
        let found = texts(&m);
        assert!(m.iter().any(|m| m.text == "EU") && m.iter().any(|m| m.text == "Turkey"), "{found:?}");
        let turkey = m.iter().find(|m| m.text == "Turkey").unwrap();
        assert_eq!((turkey.start, turkey.end), (7, 13));
        let m = Recognizer::shared().mentions("The Afghanistan-India-US pact was signed on Friday.", Some("en"));
        let spans: Vec<(&str, usize, usize)> = m.iter().map(|m| (m.text.as_str(), m.start, m.end)).collect();
        assert_eq!(spans, vec![("Afghanistan", 4, 15), ("India", 16, 21), ("US", 22, 24)]);
        let m = Recognizer::shared().mentions("The EU-wide rules start in Berlin-time zones.", Some("en"));
        let found: Vec<&str> = m.iter().map(|m| m.text.as_str()).collect();
        assert_eq!(found, vec!["EU", "Berlin"]);
        // A known name of its own stays whole.
        let m = Recognizer::shared().mentions("Elle vit en Guinée-Bissau depuis longtemps.", Some("fr"));
        assert!(m.iter().any(|m| m.text == "Guinée-Bissau"), "{:?}", texts(&m));
        // A title-case headline's common words are not the country's name; in running text they are.
        let m = Recognizer::shared().mentions("Germany Irked By New Rules For Banks", Some("en"));
        assert!(m.iter().any(|m| m.text == "Germany"), "{:?}", texts(&m));
        let m = Recognizer::shared().mentions("She grew up in East Germany before the wall fell.", Some("en"));
        assert!(m.iter().any(|m| m.text == "East Germany"), "{:?}", texts(&m));
    }

    #[test]
    fn an_organisation_named_after_its_country_or_union_mentions_it_inside() {
        let text = "The US State Department and the EU Commission replied; Air France did not.";
        let m = Recognizer::shared().mentions(text, Some("en"));
        let at = |t: &str| m.iter().find(|m| m.text == t).map(|m| (m.start, m.end, m.kind));
        assert_eq!(at("US State Department"), Some((4, 23, EntityType::Org)), "{:?}", texts(&m));
        assert_eq!(at("US"), Some((4, 6, EntityType::Loc)), "{:?}", texts(&m));
        assert_eq!(at("EU"), Some((32, 34, EntityType::Org)), "{:?}", texts(&m));
        assert!(!m.iter().any(|m| m.text == "France"), "{:?}", texts(&m));
        // Listed right after the name they sit in.
        let us = m.iter().position(|m| m.text == "US").unwrap();
        assert_eq!(m[us - 1].text, "US State Department");
        // So does a name of no known type.
        let m = Recognizer::shared().mentions("He read the US Lumber Review on Monday.", Some("en"));
        assert!(m.iter().any(|m| m.text == "US Lumber Review" && m.kind == EntityType::Misc), "{:?}", texts(&m));
        assert!(m.iter().any(|m| m.text == "US" && m.kind == EntityType::Loc), "{:?}", texts(&m));
        // Before a role and no name, the country alone.
        let m = Recognizer::shared().mentions("He met the US Deputy Assistant on Monday.", Some("en"));
        assert_eq!(texts(&m), vec![("US", EntityType::Loc)]);
    }

    #[test]
    fn a_known_name_after_a_lowercase_prefix_is_a_mention() {
        let text = "Attacks by then-US President George W. Bush rose. Protesters mobilized anti-EU support and \
                    pro-Erdogan groups. Recep Tayyip Erdogan spoke of a well-Known fact.";
        let m = Recognizer::shared().mentions(text, Some("en"));
        let at = |t: &str| m.iter().find(|m| m.text == t).map(|m| (m.start, m.end, m.kind));
        assert_eq!(at("US"), Some((16, 18, EntityType::Loc)), "{:?}", texts(&m));
        assert_eq!(at("EU").map(|x| x.2), Some(EntityType::Org), "{:?}", texts(&m));
        assert_eq!(at("Erdogan").map(|x| x.2), Some(EntityType::Per), "the surname of a name in full: {:?}", texts(&m));
        assert!(at("Known").is_none(), "{:?}", texts(&m));
        assert!(m.windows(2).all(|w| w[0].start <= w[1].start), "in text order: {:?}", texts(&m));
    }

    #[test]
    fn another_language_s_case_habits_do_not_drop_a_name_opening_a_sentence() {
        // The French class table writes "putin" mostly in lowercase.
        let text = "The talks stalled. Putin had refused the earlier attempts.";
        let m = Recognizer::shared().mentions(text, Some("en"));
        assert!(m.iter().any(|m| m.text == "Putin"), "{:?}", texts(&m));
    }

    #[test]
    fn a_month_before_a_place_and_an_adverb_after_it_are_not_its_name() {
        let m = Recognizer::shared().mentions("In February Russia opened its first gas plant.", Some("en"));
        assert!(m.iter().any(|m| m.text == "Russia"), "{:?}", texts(&m));
        let m = Recognizer::shared().mentions("A new role for Europe Increasingly, the bloc acts alone.", Some("en"));
        assert!(m.iter().any(|m| m.text == "Europe"), "{:?}", texts(&m));
        let m = Recognizer::shared().mentions("She flew to Italy on Monday.", Some("en"));
        assert!(m.iter().any(|m| m.text == "Italy"), "{:?}", texts(&m));
    }

    #[test]
    fn a_compound_made_on_a_name_ends_it() {
        let text = "The study was written at the Berlin-based Mercator Institute last year.";
        let m = Recognizer::shared().mentions(text, Some("en"));
        assert!(m.iter().any(|m| m.text == "Berlin"), "{:?}", texts(&m));
        assert!(m.iter().any(|m| m.text == "Mercator Institute"), "{:?}", texts(&m));
    }

    #[test]
    fn an_acronym_that_is_also_a_word_is_a_name_only_among_lowercase_words() {
        let m = Recognizer::shared().mentions("Fighters of IS attacked the town on Sunday.", Some("en"));
        assert!(m.iter().any(|m| m.text == "IS" && m.kind == EntityType::Org), "{:?}", texts(&m));
        let m = Recognizer::shared().mentions("WHAT IS HAPPENING IN THE NORTH", Some("en"));
        assert!(!m.iter().any(|m| m.text == "IS"), "{:?}", texts(&m));
    }

    #[test]
    fn a_country_keeps_its_name_alone_beside_dashes_demonyms_and_sentence_openers() {
        let cases = [
            ("The writer crisscrossed Germany -- partly to escape the duke.", "Germany"),
            ("He worried about how US-German politics would play out.", "US"),
            ("Among Germany's cars, few are electric, the report said.", "Germany"),
            ("Merkel said so. \"The EU sanctions can be reviewed,\" she added.", "EU"),
        ];
        for (text, name) in cases {
            let m = Recognizer::shared().mentions(text, Some("en"));
            assert!(m.iter().any(|m| m.text == name), "{text}: {:?}", texts(&m));
        }
    }

    #[test]
    fn a_place_and_a_country_side_by_side_are_two_places_but_a_club_stays_whole() {
        // A heading run into its paragraph: "Protests go on in Dresden | Germany's eastern city ...".
        let text = "Protests go on in Dresden Germany's eastern city saw a march on Monday.";
        let m = Recognizer::shared().mentions(text, Some("en"));
        assert!(m.iter().any(|m| m.text == "Dresden") && m.iter().any(|m| m.text == "Germany"), "{:?}", texts(&m));
        let text = "The fans of Bayern Munich cheered the team on Saturday.";
        let m = Recognizer::shared().mentions(text, Some("en"));
        assert!(m.iter().any(|m| m.text == "Bayern Munich"), "{:?}", texts(&m));
    }

    #[test]
    fn a_country_before_a_role_or_a_first_name_is_a_place_of_its_own() {
        let text = "Relations cooled after US President Barack Obama spoke on Monday. A week later \
                    US Deputy Assistant Secretary Lena Brock visited Kiev. The book by Israel Epstein sold well.";
        let m = Recognizer::shared().mentions(text, Some("en"));
        let us = m.iter().filter(|m| m.text == "US" && m.kind == EntityType::Loc).count();
        assert_eq!(us, 2, "{:?}", texts(&m));
        assert!(m.iter().any(|m| m.text == "Barack Obama" && m.kind == EntityType::Per), "{:?}", texts(&m));
        assert!(m.iter().any(|m| m.text == "Lena Brock" && m.kind == EntityType::Per), "{:?}", texts(&m));
        assert!(m.iter().any(|m| m.text == "Israel Epstein"), "{:?}", texts(&m));
    }

    #[test]
    fn a_known_acronym_opening_a_longer_known_name_is_mentioned_inside_it() {
        let m = Recognizer::shared().mentions("The UN Security Council met on Monday in New York.", Some("en"));
        assert!(m.iter().any(|m| m.text == "UN Security Council"), "{:?}", texts(&m));
        assert!(m.iter().any(|m| m.text == "UN" && m.kind == EntityType::Org), "{:?}", texts(&m));
    }

    #[test]
    fn a_common_word_opening_a_sentence_leaves_the_name_after_it() {
        let text = "Talks on the budget went on. Merkel spoke first. Although Merkel's coalition passed the bill, \
                    critics stayed. Louis Brenner voted against it.";
        let m = Recognizer::shared().mentions(text, Some("en"));
        assert!(m.iter().all(|m| !m.text.starts_with("Although")), "{:?}", texts(&m));
        assert!(m.iter().any(|m| m.text == "Louis Brenner"), "a first name stays: {:?}", texts(&m));
    }

    #[test]
    fn a_month_is_a_calendar_word_in_its_own_language_only() {
        let m = Recognizer::shared().mentions("The rover landed on Mars after a long flight, NASA said.", Some("en"));
        assert!(m.iter().any(|m| m.text == "Mars"), "{:?}", texts(&m));
        let m = Recognizer::shared().mentions("Le sommet aura lieu en Mars prochain à Genève.", Some("fr"));
        assert!(!m.iter().any(|m| m.text == "Mars"), "{:?}", texts(&m));
    }

    #[test]
    fn an_english_institution_keeps_its_complement() {
        let m = Recognizer::shared().mentions(
            "He is a professor at the University of Sheffield and advises the Ministry of Defence.",
            Some("en"),
        );
        assert!(m.iter().any(|m| m.text == "University of Sheffield"), "{:?}", texts(&m));
        assert!(m.iter().any(|m| m.text == "Ministry of Defence"), "{:?}", texts(&m));
    }

    #[test]
    fn a_known_organisation_in_running_text_is_no_share_button() {
        use EntityType::*;
        assert_mentions("He posted the video on Facebook late on Tuesday.", "en", &[("Facebook", Org)]);
        // A share button's line is page furniture.
        let m = Recognizer::shared().mentions("Facebook", Some("en"));
        assert!(m.is_empty(), "{:?}", texts(&m));
    }

    #[test]
    fn an_apposition_headed_by_an_organisation_word_makes_an_organisation() {
        assert_mentions(
            "Northwind Robotics, the warehouse automation company based in Rotterdam, said it would cut jobs.",
            "en",
            &[("Northwind Robotics", EntityType::Org), ("Rotterdam", EntityType::Loc)],
        );
        // Headed by another noun, or a possessive: a person stays a person.
        for sentence in [
            "Ada Obi, the company's chief executive, said it would cut jobs.",
            "Ada Obi, the party leader, said it would cut jobs.",
            "Ada Obi, a member of the party, said it would cut jobs.",
        ] {
            let m = Recognizer::shared().mentions(sentence, Some("en"));
            assert!(m.iter().any(|m| m.text == "Ada Obi" && m.kind == EntityType::Per), "{sentence}: {m:?}");
        }
    }

    #[test]
    fn a_compound_of_common_words_opening_a_sentence_stays_in_the_name() {
        // "Northwind" is north + wind, not a listed word: a company's name,
        // not an opener like "Meanwhile".
        let text = "Markets fell on Monday.\n\nNorthwind Robotics would cut jobs, the Robotics unit said. Shares fell.";
        let m = Recognizer::shared().mentions(text, Some("en"));
        assert!(m.iter().any(|m| m.text == "Northwind Robotics"), "{:?}", texts(&m));
    }

    #[test]
    fn a_capitalised_word_that_opens_a_title_is_no_name() {
        for sentence in [
            "Le Premier ministre arménien a parlé jeudi.",
            "Jeudi, le Premier ministre a parlé.",
            "Il a parlé. \"Le Premier ministre arménien a demandé de l'aide\", a-t-il dit.",
        ] {
            let m = Recognizer::shared().mentions(sentence, Some("fr"));
            assert!(!m.iter().any(|m| m.text.contains("Premier")), "{sentence}: {:?}", texts(&m));
        }
        assert_mentions("Le Premier ministre Hugo Ferrand a parlé jeudi.", "fr", &[("Hugo Ferrand", EntityType::Per)]);
    }

    #[test]
    fn organisations_keep_the_adjectives_after_their_head() {
        // "Commission critique le projet": a verb with its object stays out.
        assert_mentions(
            "Le Conseil constitutionnel a validé la loi. La Commission critique le projet de la Banque centrale européenne.",
            "fr",
            &[
                ("Conseil constitutionnel", EntityType::Org),
                ("Banque centrale européenne", EntityType::Org),
                ("Commission", EntityType::Org),
            ],
        );
    }

    #[test]
    fn places_keep_their_compass_points_adjectives_and_gazetteer_words() {
        let m = assert_mentions(
            "La tournée passe par l'Amérique du Nord, l'Europe de l'Est, l'Asie centrale et l'Arabie saoudite.",
            "fr",
            &[
                ("Amérique du Nord", EntityType::Loc),
                ("Europe de l'Est", EntityType::Loc),
                ("Asie centrale", EntityType::Loc),
                ("Arabie saoudite", EntityType::Loc),
            ],
        );
        assert!(!texts(&m).iter().any(|(t, _)| *t == "Nord" || *t == "Est"), "{m:?}");
        // Regions from ISO 3166-2 are places of their own.
        assert_mentions(
            "Les incendies ont gagné la Bavière et le Texas.",
            "fr",
            &[("Bavière", EntityType::Loc), ("Texas", EntityType::Loc)],
        );
    }

    #[test]
    fn clubs_and_events_named_after_a_place_are_one_name() {
        assert_mentions(
            "Hier soir, les Grizzlers de Boston ont battu les Falcons d'Ottawa.",
            "fr",
            &[("Grizzlers de Boston", EntityType::Org), ("Falcons d'Ottawa", EntityType::Org)],
        );
        let m = assert_mentions(
            "Il a remporté la Coupe de Lisbonne avant de signer au Racing Club de Lens.",
            "fr",
            &[("Coupe de Lisbonne", EntityType::Misc)],
        );
        assert!(!texts(&m).iter().any(|(t, _)| *t == "Lisbonne" || t.ends_with(" de")), "{m:?}");
    }

    #[test]
    fn an_organisation_keeps_its_noun_complement() {
        assert_mentions(
            "Selon l'Agence internationale de l'énergie, la Ligue nationale de hockey a suspendu sa saison.",
            "fr",
            &[("Agence internationale de l'énergie", EntityType::Org), ("Ligue nationale de hockey", EntityType::Org)],
        );
        // No weekday in a name.
        assert_mentions("Le Conseil de mardi a été annulé.", "fr", &[("Conseil", EntityType::Org)]);
    }

    #[test]
    fn an_organisation_keeps_its_coordinated_adjectives_and_complements() {
        assert_mentions(
            "L'Union maritime et portuaire estime que la récolte est perdue, selon l'Office national de la chasse et de la faune.",
            "fr",
            &[
                ("Union maritime et portuaire", EntityType::Org),
                ("Office national de la chasse et de la faune", EntityType::Org),
            ],
        );
        // A coordinated name stays apart.
        assert_mentions(
            "La Banque centrale et la Commission européenne ont répondu.",
            "fr",
            &[("Banque centrale", EntityType::Org), ("Commission européenne", EntityType::Org)],
        );
    }

    #[test]
    fn particles_join_first_names_and_surnames() {
        assert_mentions(
            "Hier, Margot de Villerange et Piet van der Wouden ont rencontré Marine Le Pen à Genève.",
            "fr",
            &[
                ("Margot de Villerange", EntityType::Per),
                ("Piet van der Wouden", EntityType::Per),
                ("Marine Le Pen", EntityType::Per),
            ],
        );
        // A place after "de" says where someone is from; a whole name after
        // it is someone else's.
        let m = assert_mentions(
            "Le maire Paul Ferrand de Lyon a salué la Roma de Fabio Verratti.",
            "fr",
            &[("Lyon", EntityType::Loc)],
        );
        assert!(texts(&m).iter().any(|(t, _)| *t == "Fabio Verratti"), "{m:?}");
    }

    #[test]
    fn a_country_spelled_like_its_demonym_is_the_country() {
        let m = assert_mentions(
            "Le président suisse est arrivé en Argentine puis en Suisse.",
            "fr",
            &[("Argentine", EntityType::Loc), ("Suisse", EntityType::Loc)],
        );
        assert!(!texts(&m).iter().any(|(t, _)| *t == "suisse"), "{m:?}");
    }

    #[test]
    fn natural_features_keep_their_head() {
        // "océan Indien": a demonym after a head.
        let m = assert_mentions(
            "Les cargos traversent la mer Noire puis le golfe de Guinée avant Dakar et l'océan Indien.",
            "fr",
            &[("océan Indien", EntityType::Loc), ("mer Noire", EntityType::Loc), ("golfe de Guinée", EntityType::Loc)],
        );
        assert!(!texts(&m).iter().any(|(t, _)| *t == "Guinée" || *t == "Noire"), "{m:?}");
        // No head, no change.
        assert_mentions(
            "Le ministre de la Défense Paul Ndiaye est arrivé à Dakar.",
            "fr",
            &[("Dakar", EntityType::Loc)],
        );
    }

    #[test]
    fn a_place_word_at_a_name_edge_makes_a_place() {
        assert_mentions(
            "The ferry left Kestrel Island at dawn and reached Marlow Harbour by noon.",
            "en",
            &[("Kestrel Island", EntityType::Loc), ("Marlow Harbour", EntityType::Loc)],
        );
    }

    #[test]
    fn a_club_abbreviation_makes_a_club_not_a_town() {
        assert_mentions(
            "Le FC Nantes a battu le VfB Stuttgart, puis Chelsea FC a perdu à Lyon.",
            "fr",
            &[
                ("FC Nantes", EntityType::Org),
                ("VfB Stuttgart", EntityType::Org),
                ("Chelsea FC", EntityType::Org),
                ("Lyon", EntityType::Loc),
            ],
        );
    }

    #[test]
    fn a_name_before_its_home_city_is_a_club() {
        assert_mentions(
            "Il quitte l'Ajax Amsterdam pour le PSV Eindhoven, puis rejoint le Werder Brême.",
            "fr",
            &[
                ("Ajax Amsterdam", EntityType::Org),
                ("PSV Eindhoven", EntityType::Org),
                ("Werder Brême", EntityType::Org),
            ],
        );
        // A given name before a city's name is a person's.
        assert_mentions("Selon Gordon Lyon, le projet avance.", "fr", &[("Gordon Lyon", EntityType::Per)]);
    }

    #[test]
    fn a_state_head_an_institution_head_and_a_site_head_belong_to_the_name() {
        assert_mentions(
            "L'Empire romain signe un traité avec la République dominicaine.",
            "fr",
            &[("Empire romain", EntityType::Loc), ("République dominicaine", EntityType::Loc)],
        );
        assert_mentions(
            "Elle enseigne à l'université de Kyoto et visite le château de Vernolles.",
            "fr",
            &[("université de Kyoto", EntityType::Org), ("château de Vernolles", EntityType::Loc)],
        );
    }

    #[test]
    fn a_capitalised_article_inside_a_sentence_belongs_to_the_name() {
        let m = assert_mentions("Il écoute les albums de The Velvet Moths et lit Le Courrier de Vernolles.", "fr", &[]);
        assert!(m.iter().any(|m| m.text == "The Velvet Moths"), "{m:?}");
        assert!(m.iter().any(|m| m.text.starts_with("Le Courrier")), "{m:?}");
    }

    #[test]
    fn an_epithet_after_a_person_belongs_to_the_name() {
        assert_mentions("Il suit Alexandre le Grand en Asie.", "fr", &[("Alexandre le Grand", EntityType::Per)]);
    }

    #[test]
    fn intelligence_agencies_are_organisations() {
        assert_mentions(
            "Selon la CIA et le FBI, le Mossad savait.",
            "fr",
            &[("CIA", EntityType::Org), ("FBI", EntityType::Org), ("Mossad", EntityType::Org)],
        );
    }

    #[test]
    fn a_company_word_at_the_end_makes_an_organisation() {
        assert_mentions(
            "Le label Harbor Light Records a signé un accord avec Kestrel Entertainment et Lumen Network.",
            "fr",
            &[
                ("Harbor Light Records", EntityType::Org),
                ("Kestrel Entertainment", EntityType::Org),
                ("Lumen Network", EntityType::Org),
            ],
        );
    }

    #[test]
    fn tagged_corpus_words_are_joined_as_french_is_written() {
        let r = Recognizer::shared();
        let words = ["Il", "vit", "en", "Côte", "d'", "Ivoire", "depuis", "2010", "."];
        let tag_names = |words: &[&str]| -> Vec<&str> {
            r.tag_words(words, Some("fr")).into_iter().map(|t| crate::perceptron::TAGS[t]).collect()
        };
        let tags = tag_names(&words);
        assert_eq!(&tags[3..6], ["B-LOC", "I-LOC", "I-LOC"], "{tags:?}");
        let tags = tag_names(&["Le", "défenseur", "Kieran", "O", "'", "Dwyer", "signe", "."]);
        assert_eq!(&tags[2..6], ["B-PER", "I-PER", "I-PER", "I-PER"], "{tags:?}");
    }

    #[test]
    fn a_role_body_and_the_person_after_it_are_two_mentions() {
        assert_mentions(
            "Hier soir, le porte-parole du Kremlin Anatoli Verchinine a démenti.",
            "fr",
            &[("Kremlin", EntityType::Org), ("Anatoli Verchinine", EntityType::Per)],
        );
        assert_mentions(
            "Il a reçu à Minsk le ministre biélorusse de la Santé Ivan Karpenko.",
            "fr",
            &[("Ivan Karpenko", EntityType::Per)],
        );
    }

    #[test]
    fn known_organisations_are_found_whole_and_roles_alone_are_not_names() {
        assert_mentions(
            "La résolution a été votée aux Nations unies mardi, puis transmise à l'OTAN.",
            "fr",
            &[("Nations unies", EntityType::Org), ("OTAN", EntityType::Org)],
        );
        let m = Recognizer::shared().mentions(
            "The talks were led by Estonian Foreign Minister Kaja Ilves and the Latvian President.",
            Some("en"),
        );
        assert!(m.iter().all(|m| !m.text.ends_with("Minister") && !m.text.ends_with("President")), "{m:?}");
    }

    #[test]
    fn a_noun_that_announces_an_organisation_types_the_name_after_it() {
        assert_mentions(
            "Le groupe de rock canadien Velvet Harbour signe chez le label Cobalt Sirens.",
            "fr",
            &[("Velvet Harbour", EntityType::Org), ("Cobalt Sirens", EntityType::Org)],
        );
        assert_mentions("The indie band Velvet Harbour toured Spain.", "en", &[("Velvet Harbour", EntityType::Org)]);
    }

    #[test]
    fn a_given_name_and_a_capitalised_word_make_a_person() {
        assert_mentions(
            "Son coéquipier Daniele Vardalos le récupère, puis Tomasz Wrzelak gagne.",
            "fr",
            &[("Daniele Vardalos", EntityType::Per), ("Tomasz Wrzelak", EntityType::Per)],
        );
    }

    #[test]
    fn a_known_organisation_inside_a_longer_name_and_a_lone_company_word_stay_in_the_name() {
        assert_mentions(
            "Le film est produit par Walt Disney Pictures puis distribué par Columbia Pictures.",
            "fr",
            &[("Walt Disney Pictures", EntityType::Org), ("Columbia Pictures", EntityType::Org)],
        );
    }

    #[test]
    fn a_sentence_opening_word_mostly_written_in_lowercase_is_no_name() {
        let m = Recognizer::shared().mentions("Durant la guerre, les habitants de Lorvane ont fui.", Some("fr"));
        assert!(m.iter().all(|m| m.text != "Durant"), "{m:?}");
    }

    #[test]
    fn an_unknown_word_starting_an_english_sentence_is_a_name() {
        let r = Recognizer::shared();
        let text = "Talks resumed in Geneva. Khumalo said the offer stood. However, nothing was signed.";
        let m = r.mentions(text, Some("en"));
        assert!(m.iter().any(|m| m.text == "Khumalo"), "{m:?}");
        assert!(m.iter().all(|m| m.text != "Talks" && m.text != "However"), "{m:?}");
    }

    #[test]
    fn a_lowercase_article_ends_a_name() {
        let r = Recognizer::shared();
        let m =
            r.mentions("Le chancelier Olaf Brenner a reçu lundi à Vilnius le Premier ministre lituanien.", Some("fr"));
        assert!(m.iter().any(|m| m.text == "Vilnius"), "{m:?}");
        assert!(m.iter().all(|m| !m.text.contains(" le ")), "{m:?}");
    }

    #[test]
    fn a_club_named_after_its_city_is_a_club_and_the_city_alone_beside_it_is_the_team() {
        let report = "Borussia Dortmund beat Schalke 2-0 in the Bundesliga on Saturday. Dortmund scored twice \
            before the break, and the coach praised the goalkeeper. Bayern Munich lost at home. Bayern are now \
            second in the league table. The fixtures: Wolfsburg Ingolstadt. Fans celebrated in Dortmund.";
        let m = assert_mentions(
            report,
            "en",
            &[
                ("Borussia Dortmund", EntityType::Org),
                ("Bayern Munich", EntityType::Org),
                ("Bayern", EntityType::Org),
                ("Wolfsburg", EntityType::Org),
                ("Ingolstadt", EntityType::Org),
            ],
        );
        let dortmund: Vec<_> = m.iter().filter(|m| m.text == "Dortmund").map(|m| (m.kind, m.role.clone())).collect();
        assert_eq!(dortmund.len(), 2, "{m:?}");
        assert_eq!(
            dortmund[0],
            (EntityType::Org, Some(storyline_model::TEAM_ROLE.to_string())),
            "the side that scores"
        );
        assert_eq!(dortmund[1].0, EntityType::Loc, "after \"in\", the city");
        let plain = Recognizer::shared().mentions("Jack Dortmund met the mayor of Dortmund on Monday.", Some("en"));
        assert!(plain.iter().all(|m| m.kind != EntityType::Org), "no sports report, no club: {plain:?}");
    }

    #[test]
    fn a_common_lowercase_word_between_names_parts_them() {
        assert_mentions(
            "Foreign Minister Olaf Brenner called Turkey's actions a serious event, said the Bank of England.",
            "en",
            &[("Olaf Brenner", EntityType::Per), ("Turkey", EntityType::Loc), ("Bank of England", EntityType::Org)],
        );
    }

    #[test]
    fn shipped_model_finds_people_places_and_roles() {
        let r = Recognizer::shared();
        let m = r.mentions(
            "Le Premier ministre géorgien Irakli Garibachvili a rencontré hier à Moscou le président russe.",
            Some("fr"),
        );
        let person = m.iter().find(|m| m.text == "Irakli Garibachvili").expect("person found");
        assert_eq!(person.kind, EntityType::Per);
        assert_eq!(person.role.as_deref(), Some("Premier ministre géorgien"));
        assert_eq!(person.role_country.as_deref(), Some("GE"));
        assert!(m.iter().any(|m| m.text == "Moscou" && m.kind == EntityType::Loc), "{m:?}");
        assert!(r.mentions("Publicité\nRechercher", Some("fr")).is_empty());
    }
}
