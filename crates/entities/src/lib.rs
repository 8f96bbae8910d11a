//! Canonical entities: the mentions of every article merged into people,
//! places and organisations, however their names are spelled.
//!
//! Merging, in order of confidence:
//! 1. Gazetteer places: a mention whose whole text is a country (iso-codes)
//!    or city (GeoNames) name in any language joins that place; its English
//!    name is canonical (Varsovie and Warsaw are one place). Likewise the
//!    organisations of `organisations.tsv` (OTAN and NATO).
//! 2. Same transliteration key for every word of the name (Volodymyr Zelenski,
//!    Volodymyr Zelensky), or the same consonant skeleton with close keys when
//!    the name has several words or a known first name.
//! 3. Within one article, a surname alone joins the full name it ends
//!    ("Zelenski" after "Volodymyr Zelenski"); across articles, a lone surname
//!    joins a person only when one person has that surname. The full name
//!    must be typed a person ("Democrats" ends no "Social Democrats"). Two
//!    lone surnames spelled alike join across articles only when the full
//!    names they stand for there have compatible first names (titles left
//!    out), so "Bush" does not chain Jeb Bush to George W. Bush.
//! 4. Two place names that share their last word, with no gazetteer entry
//!    or qualifier (`place_qualifiers.tsv`) to tell them apart ("Haut-Adige", "Alto Adige").
//!
//! Never merged: people whose first names differ (Ramzan and Akhmad Kadyrov), or
//! whose surnames differ (Laurent Fabius and Pierre Laurent).

pub mod translit;

use std::collections::{BTreeMap, HashMap, HashSet};

use storyline_model::{Entity, EntityType, Mention};
use storyline_ner::gazetteer::{self, Place};
use storyline_nlp::fold::fold;

/// The mentions of one article, as the linker needs them.
#[derive(Debug, Clone)]
pub struct ArticleMentions {
    /// Article id.
    pub article: String,
    /// The article's language (its spellings are preferred as canonical
    /// names when English).
    pub lang: Option<String>,
    /// Its mentions.
    pub mentions: Vec<Mention>,
}

/// The result of linking: the entities and, for each article and mention,
/// the index of its entity.
#[derive(Debug, Clone, Default)]
pub struct Linked {
    /// Canonical entities, sorted by id.
    pub entities: Vec<Entity>,
    /// `assignment[a][m]` is the index in `entities` of mention `m` of article `a`.
    pub assignment: Vec<Vec<usize>>,
}

/// Disjoint sets over `0..n` (path compression; the smaller index is the
/// root, so results do not depend on the order of the unions).
pub struct UnionFind(Vec<usize>);

impl UnionFind {
    /// `n` singletons.
    pub fn new(n: usize) -> Self {
        UnionFind((0..n).collect())
    }

    /// The root of `x`'s set.
    pub fn find(&mut self, x: usize) -> usize {
        let mut root = x;
        while self.0[root] != root {
            root = self.0[root];
        }
        let mut x = x;
        while self.0[x] != root {
            let next = self.0[x];
            self.0[x] = root;
            x = next;
        }
        root
    }

    /// Joins the sets of `a` and `b`.
    pub fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            // The smaller index stays the root: results do not depend on
            // the order of the unions.
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.0[hi] = lo;
        }
    }
}

/// One mention prepared for matching.
struct Item {
    article: usize,
    kind: EntityType,
    text: String,
    words: Vec<String>,
    keys: Vec<String>,
    place: Option<Place>,
    english: bool,
    /// A country or city named as the side that plays (the team role).
    team: bool,
}

fn words_of(text: &str) -> Vec<String> {
    storyline_ner::tokenize::tokenize(text)
        .into_iter()
        .map(|t| t.text)
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .collect()
}

/// Whether two people's name keys may denote one person: same surname key,
/// and first names equal, one an initial of the other, or one missing.
fn same_person(a: &[String], b: &[String]) -> bool {
    let (Some(la), Some(lb)) = (a.last(), b.last()) else { return false };
    if la != lb && !close(la, lb) {
        return false;
    }
    match (a.len() > 1, b.len() > 1) {
        (true, true) => {
            let (fa, fb) = (&a[0], &b[0]);
            fa == fb
                || close(fa, fb)
                || (fa.len() == 1 && fb.starts_with(fa.as_str()))
                || (fb.len() == 1 && fa.starts_with(fb.as_str()))
        }
        _ => false,
    }
}

/// Close spellings: equal consonant skeletons of three letters or more and
/// a Jaro-Winkler similarity of 0.85 or more between the keys.
fn close(a: &str, b: &str) -> bool {
    let (sa, sb) = (translit::skeleton(a), translit::skeleton(b));
    sa == sb && sa.len() >= 3 && translit::jaro_winkler(a, b) >= 0.85
}

/// The keys under which an entity seen as `text` (of type `kind`) is
/// indexed in a store, so that a new mention finds the entities it may
/// join without linking the whole store again: its gazetteer entry, its
/// full transliteration key, its last word's key (a lone surname, a full
/// name with that surname) and that word's consonant skeleton (a close
/// spelling), and for places the head word shared by variants. A mention
/// and an entity it can join under [`link`]'s rules always share a key.
pub fn index_keys(text: &str, kind: EntityType) -> Vec<String> {
    let mut keys = Vec::new();
    let phrase = gazetteer::phrase_key(text);
    // The same lookup as `link`'s.
    if let Some(place) = gazetteer_entry(text, &phrase, kind) {
        keys.push(format!("g:{}", place.key()));
    }
    let word_keys: Vec<String> = words_of(text).iter().map(|w| translit::key(w)).collect();
    if let Some(last) = word_keys.last() {
        keys.push(format!("k:{}", word_keys.join(" ")));
        keys.push(format!("s:{last}"));
        let skeleton = translit::skeleton(last);
        if skeleton.len() >= 3 {
            keys.push(format!("c:{skeleton}"));
        }
        if kind == EntityType::Loc {
            let head = words_of(text).last().map(|w| translit::key(w.rsplit('-').next().unwrap_or(w)));
            if let Some(head) = head.filter(|h| h.chars().count() >= 4) {
                keys.push(format!("h:{head}"));
            }
        }
    }
    keys.sort();
    keys.dedup();
    keys
}

/// The gazetteer entry a mention names: a place as written, an organisation,
/// else (never for a person: "La Fontaine") a place without its article
/// ("Havre"). An acronym names an organisation before a town ("UN" is the
/// United Nations, not Ūn in India): towns are not written in capitals.
fn gazetteer_entry(text: &str, key: &str, kind: EntityType) -> Option<Place> {
    let g = gazetteer::shared();
    let acronym = text.chars().filter(|c| c.is_uppercase()).count() >= 2 && !text.chars().any(char::is_lowercase);
    let place = g.places(key).first().copied();
    if acronym && matches!(place, None | Some(Place::City(_))) {
        if let Some(org) = g.organisation(key) {
            return Some(org);
        }
    }
    if let Some(entry) = place.or_else(|| g.organisation(key)).or_else(|| g.country_by_code(text)) {
        return Some(entry);
    }
    if kind == EntityType::Per {
        return None;
    }
    // "Havre" is Le Havre; "The IMF" (a heading run into the sentence) is the IMF.
    g.place_or_with_article(key).or_else(|| {
        let (first, rest) = key.split_once(' ')?;
        g.is_determiner(first).then(|| g.places(rest).first().copied().or_else(|| g.organisation(rest))).flatten()
    })
}

/// The letters an acronym stands for ("U.S." gives "US"), when the text is one:
/// two to six capitals and nothing else but stops.
fn acronym_letters(text: &str) -> Option<String> {
    let letters: String = text.chars().filter(|c| *c != '.').collect();
    let n = letters.chars().count();
    ((2..=6).contains(&n) && letters.chars().all(char::is_uppercase)).then_some(letters)
}

/// The initials of a name's capitalised words ("Deutsche Welle" gives "DW",
/// "International Monetary Fund" "IMF"), when it has two or more.
fn initials(words: &[String]) -> Option<String> {
    let capitalised: Vec<char> = words.iter().filter_map(|w| w.chars().next().filter(|c| c.is_uppercase())).collect();
    (capitalised.len() >= 2).then(|| capitalised.into_iter().collect())
}

/// Links the mentions of a corpus into canonical entities.
pub fn link(articles: &[ArticleMentions]) -> Linked {
    let g = gazetteer::shared();
    let mut items = Vec::new();
    let mut offsets = Vec::with_capacity(articles.len());
    for (a, article) in articles.iter().enumerate() {
        offsets.push(items.len());
        let english = article.lang.as_deref() == Some("en");
        for m in &article.mentions {
            let words = words_of(&m.text);
            let keys = words.iter().map(|w| translit::key(w)).collect();
            let key = gazetteer::phrase_key(&m.text);
            // A team named by its country or city is not the place.
            let team = m.role.as_deref() == Some(storyline_model::TEAM_ROLE);
            let place = if team { None } else { gazetteer_entry(&m.text, &key, m.kind) };
            let kind = match place {
                Some(Place::Org(_)) => EntityType::Org,
                Some(_) => EntityType::Loc,
                None => m.kind,
            };
            items.push(Item { article: a, kind, text: m.text.clone(), words, keys, place, english, team });
        }
        // "Obama" after "Barack Obama" is the man, not the Japanese town: a
        // lone word that ends a person's full name in the article is a
        // surname, unless it names a major city ("Hertha Berlin" and "Berlin").
        let here = offsets[a]..items.len();
        let surnames: HashSet<String> = items[here.clone()]
            .iter()
            .filter(|i| i.kind == EntityType::Per && i.place.is_none() && i.keys.len() > 1)
            .filter_map(|i| i.keys.last().cloned())
            .collect();
        for item in &mut items[here] {
            if item.keys.len() == 1
                && matches!(item.place, Some(p @ Place::City(_)) if !g.is_major_city(p))
                && surnames.contains(&item.keys[0])
            {
                item.place = None;
                item.kind = EntityType::Per;
            }
            // An untyped lone word that ends a person's name here is that
            // person's surname ("West posted" after "Kanye West").
            if item.keys.len() == 1
                && item.place.is_none()
                && item.kind == EntityType::Misc
                && surnames.contains(&item.keys[0])
            {
                item.kind = EntityType::Per;
            }
        }
    }
    let mut uf = UnionFind((0..items.len()).collect());
    // 1. Gazetteer places.
    let mut by_place: HashMap<Place, usize> = HashMap::new();
    for (i, item) in items.iter().enumerate() {
        if let Some(p) = item.place {
            match by_place.get(&p) {
                Some(&first) => uf.union(first, i),
                None => {
                    by_place.insert(p, i);
                }
            }
        }
    }
    // 2. Same full transliteration key (any type: the tagger's types are
    // noisy, the spelling is not).
    let direction: HashSet<String> = storyline_resources::languages()
        .iter()
        .flat_map(|l| storyline_resources::rows(l, "place_qualifiers.tsv"))
        .filter_map(|r| r.first().map(|w| fold(w)))
        .collect();
    // "West" alone is a region or a bloc ("the West") unless a person's
    // surname in its own article: the two are not joined by their spelling.
    let lone_direction = |item: &Item| item.words.len() == 1 && direction.contains(&fold(&item.words[0]));
    // A lone surname whose article names its person in full is that person
    // (step 3): joined by its spelling to the same surname of another
    // article, it may join only a person of a compatible first name, or
    // Jeb Bush's article would chain to George W. Bush's.
    let mut firsts_here: HashMap<(usize, &str), Vec<&str>> = HashMap::new();
    for i in items.iter().filter(|i| i.kind == EntityType::Per && i.place.is_none() && i.keys.len() > 1) {
        // Every word before the surname but a title ("Premier Silvio") or
        // the surname again (a heading run into its sentence).
        let surname = i.keys.last().unwrap().as_str();
        let before = i.words.len() - 1;
        let firsts: Vec<&str> = i.words[..before]
            .iter()
            .zip(&i.keys[..before])
            .filter(|(w, k)| *k != surname && !g.is_title(&fold(w)))
            .map(|(_, k)| k.as_str())
            .collect();
        if !firsts.is_empty() {
            firsts_here.entry((i.article, surname)).or_default().extend(firsts);
        }
    }
    // Equal, close, an initial, or the start of a compound ("Frank-Walter").
    let compatible_first = |a: &str, b: &str| {
        let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
        a == b || close(a, b) || (long.starts_with(short) && (short.chars().count() == 1 || short.len() >= 3))
    };
    // Per spelling: its items, with the first names a lone surname stands for.
    type Spelled<'a> = Vec<(usize, Option<&'a Vec<&'a str>>)>;
    let mut by_key: HashMap<String, Spelled<'_>> = HashMap::new();
    for (i, item) in items.iter().enumerate() {
        if item.place.is_none() && !item.keys.is_empty() {
            let mut k = item.keys.join(" ");
            if item.kind == EntityType::Per && lone_direction(item) {
                k.push_str(" (person)");
            }
            let firsts = (item.keys.len() == 1 && matches!(item.kind, EntityType::Per | EntityType::Misc))
                .then(|| firsts_here.get(&(item.article, item.keys[0].as_str())))
                .flatten();
            by_key.entry(k).or_default().push((i, firsts));
        }
    }
    let compatible = |a: &[&str], b: &[&str]| a.iter().any(|x| b.iter().any(|y| compatible_first(x, y)));
    for spelled in by_key.values() {
        // One representative per set of first names.
        let mut class_of: HashMap<&Vec<&str>, usize> = HashMap::new();
        let mut classes: Vec<(usize, &Vec<&str>)> = Vec::new();
        for &(i, firsts) in spelled {
            if let Some(f) = firsts {
                match class_of.get(f) {
                    Some(&first) => uf.union(first, i),
                    None => {
                        class_of.insert(f, i);
                        classes.push((i, f));
                    }
                }
            }
        }
        for (x, &(i, a)) in classes.iter().enumerate() {
            for &(j, b) in &classes[x + 1..] {
                if compatible(a, b) {
                    uf.union(i, j);
                }
            }
        }
        // Where no article names its person in full, the spelling joins
        // them all, and the person too when only one kind of first name
        // goes with it.
        let one_person =
            classes.iter().enumerate().all(|(x, (_, a))| classes[x + 1..].iter().all(|(_, b)| compatible(a, b)));
        let mut pool = spelled.iter().filter(|(_, f)| f.is_none()).map(|&(i, _)| i);
        if let Some(first) = pool.next() {
            for i in pool {
                uf.union(first, i);
            }
            if let (true, Some(&(i, _))) = (one_person, classes.first()) {
                uf.union(first, i);
            }
        }
    }
    // People with several words: close spellings with compatible first names.
    // (MISC too: the tagger leaves some names untyped.)
    let people: Vec<usize> = (0..items.len())
        .filter(|&i| matches!(items[i].kind, EntityType::Per | EntityType::Misc) && items[i].keys.len() > 1)
        .collect();
    let mut by_surname_skeleton: HashMap<String, Vec<usize>> = HashMap::new();
    for &i in &people {
        by_surname_skeleton.entry(translit::skeleton(items[i].keys.last().unwrap())).or_default().push(i);
    }
    for group in by_surname_skeleton.values() {
        for (x, &i) in group.iter().enumerate() {
            for &j in &group[x + 1..] {
                if same_person(&items[i].keys, &items[j].keys) {
                    uf.union(i, j);
                }
            }
        }
    }
    // 3. Lone surnames: to the full name in the same article, else to the
    // only person in the corpus with that surname.
    let mut full_by_surname: HashMap<&str, HashSet<usize>> = HashMap::new();
    let mut full_in_article: HashMap<(usize, &str), HashSet<usize>> = HashMap::new();
    // Only a person's name has a surname: "Democrats" is no surname of a
    // "Social Democrats" the tagger left untyped.
    for &i in people.iter().filter(|&&i| items[i].kind == EntityType::Per) {
        let root = uf.find(i);
        let surname = items[i].keys.last().unwrap().as_str();
        // "Wolfgang W.": an initial is no surname to join "VW" to.
        if surname.chars().count() < 2 {
            continue;
        }
        full_by_surname.entry(surname).or_default().insert(root);
        full_in_article.entry((items[i].article, surname)).or_default().insert(root);
    }
    for (i, item) in items.iter().enumerate() {
        if item.keys.len() != 1 || item.place.is_some() || !matches!(item.kind, EntityType::Per | EntityType::Misc) {
            continue;
        }
        let k = item.keys[0].as_str();
        let target = match full_in_article.get(&(item.article, k)) {
            Some(roots) if roots.len() == 1 => roots.iter().next().copied(),
            Some(_) => None,
            None if item.kind != EntityType::Per && lone_direction(item) => None,
            None => full_by_surname.get(k).filter(|r| r.len() == 1).and_then(|r| r.iter().next().copied()),
        };
        if let Some(t) = target {
            uf.union(t, i);
        }
    }
    // 3b. A team named by its city ("Dortmund") is the one club of its
    // article whose name holds that word ("Borussia Dortmund").
    let mut clubs_in_article: HashMap<(usize, &str), HashSet<usize>> = HashMap::new();
    for (i, item) in items.iter().enumerate() {
        if item.kind == EntityType::Org && item.keys.len() >= 2 && !item.team {
            for k in &item.keys {
                clubs_in_article.entry((item.article, k.as_str())).or_default().insert(uf.find(i));
            }
        }
    }
    for (i, item) in items.iter().enumerate() {
        if !(item.team && item.keys.len() == 1) {
            continue;
        }
        if let Some(roots) = clubs_in_article.get(&(item.article, item.keys[0].as_str())) {
            if roots.len() == 1 {
                let club = *roots.iter().next().unwrap();
                uf.union(club, i);
            }
        }
    }
    // 4. Place names sharing their last word.
    let mut by_head: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, item) in items.iter().enumerate() {
        let head = item.words.last().map(|w| w.rsplit('-').next().unwrap_or(w)).unwrap_or_default();
        let head = translit::key(head);
        // ("Washington state" and "New York state" share a common noun, not a name.)
        let common_head = item.words.last().is_some_and(|w| g.is_region_word(&fold(w)));
        if item.place.is_none() && item.kind == EntityType::Loc && head.chars().count() >= 4 && !common_head {
            by_head.entry(head).or_default().push(i);
        }
    }
    for group in by_head.values() {
        let roots: Vec<usize> = group.iter().map(|&i| uf.find(i)).collect();
        let qualified: Vec<&Item> = group.iter().map(|&i| &items[i]).collect();
        // Only when no two qualifiers conflict (North and South).
        let modifiers: HashSet<String> = qualified
            .iter()
            .flat_map(|i| i.words.iter().flat_map(|w| w.split('-')).map(fold))
            .filter(|w| direction.contains(w))
            .collect();
        if modifiers.len() <= 1 && roots.iter().collect::<HashSet<_>>().len() > 1 {
            for &i in &group[1..] {
                uf.union(group[0], i);
            }
        }
    }
    // 5. Within one article, an acronym joins the one name whose capitalised
    // words it spells ("DW" and "Deutsche Welle", "IMF" and "International
    // Monetary Fund"); across articles the acronym's spelling carries it.
    for (a, article) in articles.iter().enumerate() {
        let range = offsets[a]..offsets[a] + article.mentions.len();
        for i in range.clone() {
            let Some(letters) = acronym_letters(&items[i].text) else { continue };
            let named: HashSet<usize> = range
                .clone()
                .filter(|&j| items[j].words.len() >= 2)
                .filter(|&j| initials(&items[j].words).is_some_and(|x| x == letters))
                .map(|j| uf.find(j))
                .collect();
            // Two gazetteer entries are two things, whatever their letters;
            // a known acronym ("US") is not the initials of an unknown name
            // ("Ulla Schmidt", "University of Sheffield").
            if named.len() == 1 {
                let j = *named.iter().next().unwrap();
                let conflict = matches!((items[i].place, items[j].place), (Some(p), Some(q)) if p != q)
                    || (items[i].place.is_some() && items[j].place.is_none());
                if !conflict {
                    uf.union(i, j);
                }
            }
        }
    }
    build(articles, &items, &offsets, &mut uf)
}

fn build(articles: &[ArticleMentions], items: &[Item], offsets: &[usize], uf: &mut UnionFind) -> Linked {
    let g = gazetteer::shared();
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..items.len() {
        groups.entry(uf.find(i)).or_default().push(i);
    }
    let mut entities = Vec::new();
    let mut entity_of_root = HashMap::new();
    for (root, members) in &groups {
        let place = members.iter().find_map(|&i| items[i].place);
        // Type: a gazetteer place is a place; else the most frequent.
        // A lone surname of no known type counts for the person whose full
        // name ends with it ("Assad" beside "Bashar al-Assad").
        // written in the same article.
        let surnames: HashSet<(usize, &str)> = members
            .iter()
            .filter(|&&i| items[i].kind == EntityType::Per && items[i].keys.len() > 1)
            .filter_map(|&i| items[i].keys.last().map(|k| (items[i].article, k.as_str())))
            .collect();
        let mut counts: BTreeMap<EntityType, usize> = BTreeMap::new();
        for &i in members {
            let item = &items[i];
            let surname = item.kind == EntityType::Misc
                && item.place.is_none()
                && item.keys.len() == 1
                && surnames.contains(&(item.article, item.keys[0].as_str()));
            *counts.entry(if surname { EntityType::Per } else { item.kind }).or_default() += 1;
        }
        let kind = if let Some(Place::Org(_)) = place {
            EntityType::Org
        } else if place.is_some() {
            EntityType::Loc
        } else {
            match counts.iter().max_by_key(|(k, n)| (**n, std::cmp::Reverse(**k))).map(|(k, _)| *k).unwrap() {
                // A name of no known type written as an acronym ("DW", "CSU") is an organisation's.
                EntityType::Misc if members.iter().any(|&i| acronym_letters(&items[i].text).is_some()) => {
                    EntityType::Org
                }
                kind => kind,
            }
        };
        // Name: the English gazetteer name, else the most informative form
        // (most words, English articles first, most frequent, then first in
        // alphabetical order for stability). A form that only adds words to
        // a more frequent name of two words or more ("Internet Donald Trump",
        // a headline run into the text, beside "Donald Trump") is no name.
        let mut forms: BTreeMap<&str, (usize, usize, bool)> = BTreeMap::new();
        let mut words_of_form: HashMap<&str, &[String]> = HashMap::new();
        for &i in members {
            let e = forms.entry(items[i].text.as_str()).or_insert((items[i].words.len(), 0, false));
            e.1 += 1;
            e.2 |= items[i].english;
            words_of_form.insert(items[i].text.as_str(), &items[i].words);
        }
        let run_on = |form: &str, count: usize| {
            let words = words_of_form[form];
            forms.iter().any(|(other, (n, c, _))| {
                *n >= 2 && *n < words.len() && *c > count && words.windows(*n).any(|w| w == words_of_form[other])
            })
        };
        let name = place.and_then(|p| g.english_name(p).map(str::to_string)).unwrap_or_else(|| {
            forms
                .iter()
                .filter(|(f, (_, c, _))| !run_on(f, *c))
                .max_by(|a, b| (a.1 .0, a.1 .2, a.1 .1).cmp(&(b.1 .0, b.1 .2, b.1 .1)).then(b.0.cmp(a.0)))
                .map(|(f, _)| f.to_string())
                .unwrap()
        });
        let stable_key = match place {
            Some(p) => p.key(),
            None => format!("{}:{}", kind.as_str(), items[*root].keys.join(" ")),
        };
        let id = format!("e{}", &blake3::hash(stable_key.as_bytes()).to_hex()[..12]);
        let aliases: Vec<String> = forms.keys().filter(|f| **f != name).map(|f| f.to_string()).collect();
        let mut roles: BTreeMap<&str, usize> = BTreeMap::new();
        for &i in members {
            let (a, m) = (items[i].article, i - offsets[items[i].article]);
            if let Some(role) = &articles[a].mentions[m].role {
                *roles.entry(role.as_str()).or_default() += 1;
            }
        }
        let mut roles: Vec<(&str, usize)> = roles.into_iter().collect();
        roles.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        entity_of_root.insert(*root, entities.len());
        entities.push(Entity {
            id,
            name,
            kind,
            aliases,
            roles: roles.into_iter().map(|(r, _)| r.to_string()).collect(),
        });
    }
    // Sort by id; remap.
    let mut order: Vec<usize> = (0..entities.len()).collect();
    order.sort_by(|a, b| entities[*a].id.cmp(&entities[*b].id));
    let mut new_index = vec![0; entities.len()];
    for (new, old) in order.iter().enumerate() {
        new_index[*old] = new;
    }
    let entities: Vec<Entity> = order.iter().map(|&i| entities[i].clone()).collect();
    let assignment = articles
        .iter()
        .enumerate()
        .map(|(a, article)| {
            (0..article.mentions.len()).map(|m| new_index[entity_of_root[&uf.find(offsets[a] + m)]]).collect()
        })
        .collect();
    Linked { entities, assignment }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mention(text: &str, kind: EntityType) -> Mention {
        Mention { start: 0, end: text.chars().count(), text: text.to_string(), kind, role: None, role_country: None }
    }

    fn article(id: &str, lang: &str, names: &[(&str, EntityType)]) -> ArticleMentions {
        ArticleMentions {
            article: id.into(),
            lang: Some(lang.into()),
            mentions: names.iter().map(|(t, k)| mention(t, *k)).collect(),
        }
    }

    #[test]
    fn spellings_exonyms_and_surnames_merge_but_different_people_do_not() {
        use EntityType::*;
        let articles = vec![
            article(
                "a",
                "fr",
                &[("Volodymyr Zelenski", Per), ("Zelenski", Per), ("Varsovie", Loc), ("Ramzan Kadirov", Per)],
            ),
            article(
                "b",
                "en",
                &[("Volodymyr Zelensky", Per), ("Warsaw", Loc), ("Ramzan Kadyrov", Per), ("Akhmad Kadyrov", Per)],
            ),
            article(
                "c",
                "fr",
                &[("Laurent Fabius", Per), ("Pierre Laurent", Per), ("Haut-Adige", Loc), ("Alto Adige", Loc)],
            ),
        ];
        let linked = link(&articles);
        let e = |a: usize, m: usize| linked.assignment[a][m];
        assert_eq!(e(0, 0), e(1, 0));
        assert_eq!(e(0, 1), e(0, 0));
        assert_eq!(e(0, 2), e(1, 1));
        assert_eq!(linked.entities[e(0, 2)].name, "Warsaw");
        assert_eq!(linked.entities[e(0, 0)].name, "Volodymyr Zelensky");
        assert_eq!(e(0, 3), e(1, 2));
        assert_ne!(e(1, 2), e(1, 3), "Ramzan and Akhmad Kadyrov are two people");
        assert_ne!(e(2, 0), e(2, 1));
        assert_eq!(e(2, 2), e(2, 3));
        let states = link(&[article("d", "en", &[("Washington state", Loc), ("New York state", Loc)])]);
        assert_ne!(states.assignment[0][0], states.assignment[0][1], "a common noun is no shared name");
    }

    #[test]
    fn a_lone_surname_does_not_chain_two_people_of_that_surname() {
        use EntityType::*;
        let articles = vec![
            article("a", "en", &[("George W. Bush", Per), ("Bush", Per)]),
            article("b", "en", &[("Former Governor Jeb Bush", Per), ("Bush", Per)]),
            // Neither article a nor b: a lone "Bush" cannot tell which.
            article("c", "en", &[("Bush", Per)]),
            article("d", "en", &[("Premier Angela Merkel", Per), ("Merkel", Per)]),
            article("e", "en", &[("Angela Merkel", Per), ("Merkel", Per)]),
            article("f", "en", &[("Merkel", Per)]),
        ];
        let linked = link(&articles);
        let e = |a: usize, m: usize| linked.assignment[a][m];
        assert_eq!(e(0, 0), e(0, 1));
        assert_eq!(e(1, 0), e(1, 1));
        assert_ne!(e(0, 0), e(1, 0), "George W. and Jeb Bush are two people");
        assert_ne!(e(2, 0), e(0, 0));
        assert_ne!(e(2, 0), e(1, 0));
        // One Merkel: a title is no first name, and the lone surname joins her.
        assert_eq!(e(3, 0), e(4, 0));
        assert_eq!(e(5, 0), e(4, 0));
    }

    #[test]
    fn acronyms_join_the_name_they_spell_and_dotted_ones_are_the_same() {
        use EntityType::*;
        let articles = vec![
            article("a", "en", &[("Deutsche Welle", Org), ("DW", Misc), ("U.S.", Misc), ("UN", Org)]),
            article("b", "en", &[("DW", Misc), ("United States", Loc), ("United Nations", Org)]),
            // Two names with the same initials in one article: neither is chosen.
            article("c", "en", &[("AB", Misc), ("Alpha Beta", Org), ("Able Baker", Org)]),
            // A known acronym keeps its meaning beside a name with its initials.
            article("d", "en", &[("US", Loc), ("Ulla Schmidt", Per)]),
            // A country's ISO code, written in capitals, is the country; a word is not.
            article("e", "en", &[("USA", Misc), ("Usa", Misc)]),
        ];
        let linked = link(&articles);
        let e = |a: usize, m: usize| linked.assignment[a][m];
        assert_eq!(e(0, 0), e(0, 1));
        assert_eq!(e(1, 0), e(0, 0), "the acronym carries across articles");
        assert_eq!(e(0, 2), e(1, 1), "U.S. is the United States");
        assert_eq!(e(0, 3), e(1, 2), "UN is the United Nations, not a town");
        assert_ne!(e(2, 0), e(2, 1));
        assert_ne!(e(2, 0), e(2, 2));
        assert_ne!(e(2, 1), e(2, 2));
        assert_eq!(e(3, 0), e(1, 1), "US is the United States");
        assert_ne!(e(3, 0), e(3, 1), "not Ulla Schmidt");
        assert_eq!(e(4, 0), e(1, 1), "USA is the United States");
        assert_ne!(e(4, 1), e(1, 1), "a code is read as written, in capitals");
    }

    #[test]
    fn untyped_names_take_the_type_their_forms_show() {
        use EntityType::*;
        let articles = vec![
            article("a", "en", &[("CSU", Misc), ("Bashar al Assad", Per), ("Assad", Misc), ("Assad", Misc)]),
            article("b", "en", &[("Kagame", Misc)]),
        ];
        let linked = link(&articles);
        let kind = |a: usize, m: usize| linked.entities[linked.assignment[a][m]].kind;
        assert_eq!(kind(0, 0), Org, "an acronym of no known type is an organisation's");
        assert_eq!(kind(0, 2), Per, "a lone surname beside the full name counts for the person");
        assert_eq!(kind(1, 0), Misc);
    }

    #[test]
    fn only_a_person_s_name_lends_its_last_word_as_a_surname() {
        use EntityType::*;
        let articles = vec![
            article("a", "en", &[("Social Democrats", Misc), ("Democrats", Misc)]),
            article("b", "en", &[("Democrats", Misc)]),
            article("c", "en", &[("Olaf Brenner", Per)]),
            article("d", "en", &[("Brenner", Misc)]),
            article("e", "en", &[("Wolfgang W.", Per)]),
            article("f", "en", &[("VW", Misc)]),
        ];
        let linked = link(&articles);
        let e = |a: usize, m: usize| linked.assignment[a][m];
        assert_ne!(e(0, 0), e(0, 1), "{:?}", linked.entities);
        assert_ne!(e(0, 0), e(1, 0));
        assert_eq!(e(2, 0), e(3, 0), "a lone surname joins the only person bearing it");
        assert_ne!(e(4, 0), e(5, 0), "an initial is no surname");
    }

    #[test]
    fn a_name_run_into_a_headline_word_is_not_the_entity_s_name() {
        use EntityType::*;
        let articles = vec![
            article("a", "en", &[("Internet Donald Trump", Per), ("Trump", Misc)]),
            article("b", "en", &[("Donald Trump", Per), ("Trump", Misc), ("Volodymyr Zelensky", Per)]),
            article("c", "en", &[("Donald Trump", Per), ("Zelensky", Per), ("Zelensky", Per)]),
        ];
        let linked = link(&articles);
        let name = |a: usize, m: usize| linked.entities[linked.assignment[a][m]].name.as_str();
        assert_eq!(name(0, 0), "Donald Trump", "{:?}", linked.entities);
        assert_eq!(name(1, 2), "Volodymyr Zelensky", "a full name beside a more frequent surname stays the name");
    }

    #[test]
    fn a_compass_word_alone_is_a_surname_only_in_its_person_s_article() {
        use EntityType::*;
        let articles = vec![
            article("a", "en", &[("Kanye West", Per), ("West", Misc)]),
            article("b", "en", &[("West", Misc), ("Russia", Loc)]),
            article("c", "en", &[("West", Misc)]),
        ];
        let linked = link(&articles);
        let e = |a: usize, m: usize| linked.assignment[a][m];
        assert_eq!(e(0, 0), e(0, 1), "\"West posted\" after \"Kanye West\" is the man");
        assert_eq!(linked.entities[e(0, 1)].kind, Per);
        assert_ne!(e(0, 0), e(1, 0), "\"the West\" elsewhere is not: {:?}", linked.entities);
        assert_eq!(e(1, 0), e(2, 0));
    }

    #[test]
    fn a_surname_is_the_person_not_a_town_but_a_major_city_stays_a_city() {
        use EntityType::*;
        let articles = vec![
            article("a", "en", &[("Barack Obama", Per), ("Obama", Loc)]),
            article("b", "en", &[("Hertha Berlin", Per), ("Berlin", Loc)]),
            article("c", "en", &[("Berlin", Loc), ("The IMF", Org), ("IMF", Org)]),
        ];
        let linked = link(&articles);
        let e = |a: usize, m: usize| linked.assignment[a][m];
        assert_eq!(e(0, 0), e(0, 1));
        assert_eq!(linked.entities[e(0, 1)].kind, Per);
        assert_ne!(e(1, 0), e(1, 1));
        assert_eq!(e(1, 1), e(2, 0));
        assert_eq!(e(2, 1), e(2, 2), "a determiner before a known name is not part of it");
    }

    #[test]
    fn a_place_written_without_its_article_is_the_place() {
        use EntityType::*;
        // "les dockers du Havre" gives the mention "Havre"; "Le Havre" is the city.
        let articles = vec![article("a", "fr", &[("Havre", Loc)]), article("b", "fr", &[("Le Havre", Loc)])];
        let linked = link(&articles);
        assert_eq!(linked.assignment[0][0], linked.assignment[1][0]);
        assert!(index_keys("Havre", Loc)
            .iter()
            .any(|k| index_keys("Le Havre", Loc).contains(k) && k.starts_with("g:")));
        // A person is never looked up under an article.
        assert!(index_keys("Rochelle", Loc).iter().any(|k| k.starts_with("g:")));
        assert!(!index_keys("Rochelle", Per).iter().any(|k| k.starts_with("g:")));
    }

    #[test]
    fn a_team_named_by_its_country_is_one_entity_apart_from_the_country() {
        use EntityType::*;
        let team = |text: &str| Mention { role: Some(storyline_model::TEAM_ROLE.into()), ..mention(text, Org) };
        let mut a = article("a", "en", &[("Germany", Loc)]);
        a.mentions.push(team("Germany"));
        let mut b = article("b", "en", &[("Germany", Loc)]);
        b.mentions.push(team("Germany"));
        let linked = link(&[a, b]);
        let (country, team_a) = (linked.assignment[0][0], linked.assignment[0][1]);
        assert_eq!(linked.assignment[1][0], country, "the country across articles");
        assert_eq!(linked.assignment[1][1], team_a, "the team across articles");
        assert_ne!(country, team_a);
        assert_eq!(linked.entities[team_a].kind, Org);
    }

    #[test]
    fn a_team_named_by_its_city_is_the_club_of_its_article_that_holds_the_name() {
        use EntityType::*;
        let team = |text: &str| Mention { role: Some(storyline_model::TEAM_ROLE.into()), ..mention(text, Org) };
        let mut a = article("a", "en", &[("Borussia Dortmund", Org), ("Dortmund", Loc)]);
        a.mentions.push(team("Dortmund"));
        let mut b = article("b", "en", &[]);
        b.mentions.push(team("Dortmund"));
        let linked = link(&[a, b]);
        let e = |a: usize, m: usize| linked.assignment[a][m];
        assert_eq!(e(0, 0), e(0, 2), "{:?}", linked.entities);
        assert_eq!(e(1, 0), e(0, 0), "the team across articles");
        assert_ne!(e(0, 1), e(0, 0), "the city stays the city");
        assert_eq!(linked.entities[e(0, 0)].name, "Borussia Dortmund");
    }
}
