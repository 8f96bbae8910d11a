//! Figures: the numbers an article gives for a quantity ("plus de 1 250
//! morts", "1.250 morts", "30,000 dead"), whatever the number format, with
//! the period they belong to when the sentence names one ("dans les années
//! 1990"); and, across the articles of a story, the same count confirmed by
//! several sources or contradicted by another (kept side by side, never
//! averaged). Words from `resources/<lang>/quantities.tsv`.

use chrono::{Datelike, NaiveDate};
use rustc_hash::FxHashMap;
use storyline_model::Figure;

/// One language's quantity words.
#[derive(Debug, Default)]
pub struct QuantityWords {
    /// Noun phrases (lowercase tokens) after a number, with their quantity.
    nouns: Vec<(Vec<String>, String)>,
    /// Qualifier phrases before a number, with their name.
    qualifiers: Vec<(Vec<String>, &'static str)>,
    /// Scale words ("million") with their factor.
    scales: FxHashMap<String, u64>,
    /// Words that make the year after them a decade ("années").
    decades: Vec<String>,
}

impl QuantityWords {
    /// Reads `resources/<lang>/quantities.tsv` (none: no figures).
    pub fn load(lang: &str) -> QuantityWords {
        let mut words = QuantityWords::default();
        let split = |entry: &str| -> Vec<String> {
            storyline_ner::tokenize::tokenize(&entry.replace('_', " ").to_lowercase())
                .into_iter()
                .map(|t| t.text)
                .collect()
        };
        for row in storyline_resources::rows(lang, "quantities.tsv") {
            let (Some(kind), list) = (row.first(), row.get(1).map(String::as_str).unwrap_or("")) else { continue };
            let entries = list.split_whitespace();
            match kind.as_str() {
                "qualifier_more_than" => words.qualifiers.extend(entries.map(|e| (split(e), "more_than"))),
                "qualifier_at_least" => words.qualifiers.extend(entries.map(|e| (split(e), "at_least"))),
                "qualifier_about" => words.qualifiers.extend(entries.map(|e| (split(e), "about"))),
                "scale" => {
                    for entry in entries {
                        if let Some((word, factor)) = entry.split_once(':') {
                            if let Ok(factor) = factor.parse() {
                                words.scales.insert(word.to_lowercase(), factor);
                            }
                        }
                    }
                }
                "decade" => words.decades.extend(entries.map(str::to_lowercase)),
                quantity => words.nouns.extend(entries.map(|e| (split(e), quantity.to_string()))),
            }
        }
        words.nouns.sort_by_key(|(n, _)| std::cmp::Reverse(n.len()));
        words
    }
}

fn quantity_words(lang: &str) -> &'static QuantityWords {
    static CACHE: std::sync::OnceLock<std::sync::Mutex<FxHashMap<String, &'static QuantityWords>>> =
        std::sync::OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut map = cache.lock().unwrap_or_else(|e| e.into_inner());
    map.entry(lang.to_string()).or_insert_with(|| Box::leak(Box::new(QuantityWords::load(lang))))
}

struct Tok {
    start: usize,
    end: usize,
    lower: String,
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_digit())
}

/// Finds the figures of one article's text. `published` tells the current
/// year: a period equal to it is the reported events' own, so None.
pub fn find_figures(text: &str, lang: Option<&str>, published: Option<NaiveDate>) -> Vec<Figure> {
    let Some(lang) = lang else { return Vec::new() };
    let words = quantity_words(lang);
    if words.nouns.is_empty() {
        return Vec::new();
    }
    let chars: Vec<char> = text.chars().collect();
    let raw = storyline_ner::tokenize::tokenize(text);
    let sentences = storyline_ner::tokenize::sentences(&raw);
    let toks: Vec<Tok> =
        raw.into_iter().map(|t| Tok { start: t.start, end: t.end, lower: t.text.to_lowercase() }).collect();
    let gap = |a: &Tok, b: &Tok| -> String { chars[a.end..b.start].iter().collect() };
    let mut found = Vec::new();
    // Numbers are read over the whole text, not sentence by sentence: a
    // number's groups never straddle a sentence end, so nothing is lost.
    let all = 0..toks.len();
    let sentence_of = |k: usize| sentences.iter().find(|s| s.contains(&k)).cloned().unwrap_or(all.clone());
    {
        let sentence = all.clone();
        let mut i = 0;
        while i < toks.len() {
            let continues_number = i > 0
                && (is_digits(&toks[i - 1].lower)
                    || (i > 1
                        && matches!(toks[i - 1].lower.as_str(), "." | ",")
                        && is_digits(&toks[i - 2].lower)
                        && toks[i - 2].end == toks[i - 1].start
                        && toks[i - 1].end == toks[i].start));
            if !is_digits(&toks[i].lower) || continues_number {
                i += 1;
                continue;
            }
            // The number: "1 250", "1.250", "1,250", "6000", "1,5 million".
            let mut digits = toks[i].lower.clone();
            let mut last = i;
            let mut decimal: Option<String> = None;
            if toks[i].lower.len() <= 3 {
                loop {
                    let next = last + 1;
                    // A group after a space ("1 250", thin or no-break spaces too).
                    if next < sentence.end && toks[next].lower.len() == 3 && is_digits(&toks[next].lower) {
                        let between = gap(&toks[last], &toks[next]);
                        if between.chars().count() == 1 && between.chars().all(char::is_whitespace) {
                            digits.push_str(&toks[next].lower);
                            last = next;
                            continue;
                        }
                    }
                    // A group after "." or "," written tight ("1.250").
                    let after = next + 1;
                    let tight = after < sentence.end
                        && matches!(toks[next].lower.as_str(), "." | ",")
                        && gap(&toks[last], &toks[next]).is_empty()
                        && gap(&toks[next], &toks[after]).is_empty()
                        && is_digits(&toks[after].lower);
                    if tight && toks[after].lower.len() == 3 {
                        digits.push_str(&toks[after].lower);
                        last = after;
                        continue;
                    }
                    if tight && toks[after].lower.len() <= 2 && decimal.is_none() && last == i {
                        // "1,5 million": a decimal only before a scale word.
                        let scaled = toks.get(after + 1).is_some_and(|t| words.scales.contains_key(&t.lower));
                        if scaled {
                            decimal = Some(toks[after].lower.clone());
                            last = after;
                        }
                    }
                    break;
                }
            }
            let mut value: f64 = digits.parse().unwrap_or(0.0);
            if let Some(d) = &decimal {
                value += format!("0.{d}").parse::<f64>().unwrap_or(0.0);
            }
            let mut k = last + 1;
            if let Some(factor) = toks.get(k).and_then(|t| words.scales.get(&t.lower)) {
                value *= *factor as f64;
                k += 1;
                if toks.get(k).is_some_and(|t| matches!(t.lower.as_str(), "de" | "d'" | "of")) {
                    k += 1;
                }
            }
            let noun = words.nouns.iter().find(|(phrase, _)| {
                phrase
                    .iter()
                    .enumerate()
                    .all(|(j, w)| toks.get(k + j).is_some_and(|t| k + j < sentence.end && &t.lower == w))
            });
            let Some((phrase, quantity)) = noun else {
                i = last + 1;
                continue;
            };
            let noun_end = k + phrase.len() - 1;
            let (mut first, mut qualifier) = (i, "exact");
            for (q, name) in &words.qualifiers {
                let n = q.len();
                if i >= n && q.iter().enumerate().all(|(j, w)| toks[i - n + j].lower == *w) {
                    first = i - n;
                    qualifier = name;
                    break;
                }
            }
            let own = sentence_of(i);
            let period = period_of(&toks, own.start..own.end.max(noun_end + 1), i..=last, words, published);
            found.push(Figure {
                quantity: quantity.clone(),
                value: value.round() as u64,
                qualifier: qualifier.to_string(),
                period,
                text: chars[toks[first].start..toks[noun_end].end].iter().collect(),
                start: toks[first].start,
                end: toks[noun_end].end,
            });
            i = noun_end + 1;
        }
    }
    found
}

/// The period a sentence gives its figures: the year written nearest the
/// figure (a decade after a decade word, or written "1990s"), unless it is
/// the publication year.
fn period_of(
    toks: &[Tok],
    sentence: std::ops::Range<usize>,
    figure: std::ops::RangeInclusive<usize>,
    words: &QuantityWords,
    published: Option<NaiveDate>,
) -> Option<String> {
    let year_of = |t: &str| -> Option<(i32, bool)> {
        let (digits, decade) = match t.strip_suffix('s') {
            Some(d) => (d, true),
            None => (t, false),
        };
        let year: i32 = digits.parse().ok().filter(|_| digits.len() == 4)?;
        (1800..=2100).contains(&year).then_some((year, decade))
    };
    let nearest = sentence
        .clone()
        .filter(|k| !figure.contains(k))
        .filter_map(|k| year_of(&toks[k].lower).map(|y| (k, y)))
        .min_by_key(|(k, _)| k.abs_diff(*figure.start()))?;
    let (k, (year, mut decade)) = nearest;
    decade |= k > sentence.start && words.decades.iter().any(|d| toks[k - 1].lower == *d);
    if decade {
        return Some(format!("{year}s"));
    }
    if published.is_some_and(|p| p.year() == year) {
        return None;
    }
    Some(year.to_string())
}

/// One count as the story's articles give it.
#[derive(Debug, Clone)]
pub struct FigureReport {
    /// The article.
    pub article: String,
    /// The figure.
    pub figure: Figure,
}

/// A value for a quantity and period, with the articles that give it.
#[derive(Debug, Clone)]
pub struct FigureGroup {
    /// What is counted.
    pub quantity: String,
    /// The period (None: the events reported).
    pub period: Option<String>,
    /// The value.
    pub value: u64,
    /// The articles that give it (each once, in input order).
    pub articles: Vec<String>,
    /// The reports.
    pub reports: Vec<FigureReport>,
    /// Indices (in the returned list) of the groups with the same quantity
    /// and period but another value.
    pub conflicts_with: Vec<usize>,
}

/// Groups a story's figures: one group per quantity, period and value;
/// groups of one quantity and period that differ in value conflict.
pub fn group_figures(reports: Vec<FigureReport>) -> Vec<FigureGroup> {
    let mut groups: Vec<FigureGroup> = Vec::new();
    for report in reports {
        let f = &report.figure;
        let at = groups.iter().position(|g| g.quantity == f.quantity && g.period == f.period && g.value == f.value);
        let group = match at {
            Some(at) => &mut groups[at],
            None => {
                groups.push(FigureGroup {
                    quantity: f.quantity.clone(),
                    period: f.period.clone(),
                    value: f.value,
                    articles: Vec::new(),
                    reports: Vec::new(),
                    conflicts_with: Vec::new(),
                });
                groups.last_mut().expect("just pushed")
            }
        };
        if !group.articles.contains(&report.article) {
            group.articles.push(report.article.clone());
        }
        group.reports.push(report);
    }
    for i in 0..groups.len() {
        let conflicts: Vec<usize> = (0..groups.len())
            .filter(|&j| j != i && groups[j].quantity == groups[i].quantity && groups[j].period == groups[i].period)
            .collect();
        groups[i].conflicts_with = conflicts;
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_formats_agree_and_periods_keep_counts_apart() {
        let published = NaiveDate::from_ymd_opt(2020, 11, 1);
        let a = find_figures(
            "La crise a fait plus de 1 250 morts en un mois. La guerre des années 1990 avait fait 30 000 morts.",
            Some("fr"),
            published,
        );
        assert_eq!(a.len(), 2, "{a:?}");
        assert_eq!((a[0].value, a[0].qualifier.as_str(), a[0].period.as_deref()), (1250, "more_than", None));
        assert_eq!((a[1].value, a[1].period.as_deref()), (30000, Some("1990s")));
        let b = find_figures("Le conflit a fait 1.250 morts et 1,5 million de déplacés.", Some("fr"), published);
        assert_eq!(
            b.iter().map(|f| (f.quantity.as_str(), f.value)).collect::<Vec<_>>(),
            [("dead", 1250), ("displaced", 1_500_000)]
        );
        let en = find_figures("At least 30,000 dead in 2016, officials said.", Some("en"), published);
        assert_eq!((en[0].value, en[0].qualifier.as_str(), en[0].period.as_deref()), (30000, "at_least", Some("2016")));
        let report = |article: &str, f: &Figure| FigureReport { article: article.into(), figure: f.clone() };
        let groups =
            group_figures(vec![report("a", &a[0]), report("a", &a[1]), report("b", &b[0]), report("c", &en[0])]);
        assert_eq!(groups[0].articles, ["a", "b"]);
        assert!(groups[0].conflicts_with.is_empty());
        let other = Figure { value: 1300, ..a[0].clone() };
        let groups = group_figures(vec![report("a", &a[0]), report("d", &other)]);
        assert_eq!(groups[0].conflicts_with, [1]);
    }
}
