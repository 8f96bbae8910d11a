//! Resolving a date expression ("hier", "samedi", "le 30 juin", "il y a une
//! semaine", "le lendemain", "last Friday") to a calendar day, given the
//! reference date it was written on (the publication date), the last date
//! the text mentioned before it, and whether its sentence speaks of the
//! future.
//!
//! All vocabulary comes from `resources/<lang>/`: `relative_days.tsv`,
//! `anaphoric_days.tsv`, `direction_words.tsv`, `time_units.tsv`,
//! `relative_markers.tsv`, `numbers.tsv`, `weekdays.tsv`, `months.tsv`,
//! `future_cues.txt`. Languages are merged: the words rarely collide and a
//! quoted English phrase in a French article resolves too.

use std::collections::HashMap;
use std::sync::OnceLock;

use chrono::{Datelike, Days, Months, NaiveDate};
use regex::Regex;

use crate::dates::find_dates;
use crate::fold::{fold, tokens};

/// What a date expression is resolved against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeContext {
    /// The date the text was written (publication date, TimeML's DCT).
    pub reference: NaiveDate,
    /// The last date the text mentioned before this expression, for "le
    /// lendemain", "the same day".
    pub anchor: Option<NaiveDate>,
    /// The expression's sentence is told in the future.
    pub future: bool,
}

/// Which side of the reference date a partial date falls on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Past,
    Future,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Day,
    Week,
    Month,
    Year,
}

struct Lexicon {
    /// (tokens, offset), longest first.
    relative_days: Vec<(Vec<String>, i64)>,
    anaphoric_days: Vec<(Vec<String>, i64)>,
    direction: HashMap<String, Side>,
    units: HashMap<String, Unit>,
    /// (tokens, amount comes after the marker, side).
    markers: Vec<(Vec<String>, bool, Side)>,
    numbers: HashMap<String, i64>,
    weekdays: HashMap<String, u32>,
    months: HashMap<String, u32>,
    future_words: Vec<String>,
    future_endings: Vec<String>,
    /// Verbs whose complement is later than they are, and the words that
    /// open that complement (`prospective_verbs.tsv`).
    prospective_verbs: Vec<String>,
    prospective_markers: Vec<String>,
    /// Modals that put the rest of their clause after the statement that
    /// reports it ("would"), unless a perfect follows ("would have").
    prospective_modals: Vec<String>,
    prospective_perfects: Vec<String>,
    day_month: Regex,
    /// "1er et le 2 novembre": a bare day shortly before a day and month.
    enumeration: Regex,
}

fn phrase_table(name: &str) -> Vec<(Vec<String>, i64)> {
    let mut table: Vec<(Vec<String>, i64)> = Vec::new();
    for lang in storyline_resources::languages() {
        for row in storyline_resources::rows(lang, name) {
            if let (Some(phrase), Some(offset)) = (row.first(), row.get(1).and_then(|o| o.parse().ok())) {
                table.push((tokens(&fold(phrase)), offset));
            }
        }
    }
    table.sort_by_key(|(t, _)| std::cmp::Reverse(t.len()));
    table
}

fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(|| {
        let mut lex = Lexicon {
            relative_days: phrase_table("relative_days.tsv"),
            anaphoric_days: phrase_table("anaphoric_days.tsv"),
            direction: HashMap::new(),
            units: HashMap::new(),
            markers: Vec::new(),
            numbers: HashMap::new(),
            weekdays: HashMap::new(),
            months: HashMap::new(),
            future_words: Vec::new(),
            future_endings: Vec::new(),
            prospective_verbs: Vec::new(),
            prospective_markers: Vec::new(),
            prospective_modals: Vec::new(),
            prospective_perfects: Vec::new(),
            day_month: Regex::new("").unwrap(),
            enumeration: Regex::new("").unwrap(),
        };
        for lang in storyline_resources::languages() {
            for row in storyline_resources::rows(lang, "direction_words.tsv") {
                let side = if row.get(1).map(String::as_str) == Some("future") { Side::Future } else { Side::Past };
                lex.direction.insert(fold(&row[0]), side);
            }
            for row in storyline_resources::rows(lang, "time_units.tsv") {
                let unit = match row.get(1).map(String::as_str) {
                    Some("week") => Unit::Week,
                    Some("month") => Unit::Month,
                    Some("year") => Unit::Year,
                    _ => Unit::Day,
                };
                lex.units.insert(fold(&row[0]), unit);
            }
            for row in storyline_resources::rows(lang, "relative_markers.tsv") {
                let after = row.get(1).map(String::as_str) == Some("before");
                let side = if row.get(2).map(String::as_str) == Some("future") { Side::Future } else { Side::Past };
                lex.markers.push((tokens(&fold(&row[0])), after, side));
            }
            for row in storyline_resources::rows(lang, "numbers.tsv") {
                if let Some(n) = row.get(1).and_then(|n| n.parse().ok()) {
                    lex.numbers.insert(fold(&row[0]), n);
                }
            }
            for (file, table) in [("weekdays.tsv", &mut lex.weekdays), ("months.tsv", &mut lex.months)] {
                for row in storyline_resources::rows(lang, file) {
                    if let Some(n) = row.first().and_then(|n| n.parse().ok()) {
                        for name in &row[1..] {
                            table.entry(fold(name)).or_insert(n);
                        }
                    }
                }
            }
            for row in storyline_resources::rows(lang, "prospective_verbs.tsv") {
                let words = row.get(1).into_iter().flat_map(|w| w.split_whitespace()).map(fold);
                match row.first().map(String::as_str) {
                    Some("marker") => lex.prospective_markers.extend(words),
                    Some("verb") => lex.prospective_verbs.extend(words),
                    Some("modal") => lex.prospective_modals.extend(words),
                    Some("perfect") => lex.prospective_perfects.extend(words),
                    _ => {}
                }
            }
            for cue in storyline_resources::lines(lang, "future_cues.txt") {
                match cue.strip_prefix('-') {
                    Some(ending) => lex.future_endings.push(fold(ending)),
                    None => lex.future_words.push(fold(&cue)),
                }
            }
        }
        let mut names: Vec<&String> = lex.months.keys().collect();
        names.sort_by_key(|n| std::cmp::Reverse(n.len()));
        let names = names.iter().map(|n| regex::escape(n)).collect::<Vec<_>>().join("|");
        lex.day_month = Regex::new(&format!(r"\b(\d{{1,2}})(?:er|st|nd|rd|th)?\s+(?:of\s+)?({names})\b(?:\.?\s+(\d{{2}})\b)?|\b({names})\s+(\d{{1,2}})(?:st|nd|rd|th)?\b")).unwrap();
        lex.enumeration = Regex::new(&format!(
            r"\b(\d{{1,2}})(?:er|st|nd|rd|th)?\b(?:\W+[^\W\d]+){{0,3}}?\W+\d{{1,2}}(?:er|st|nd|rd|th)?\s+({names})\b"
        ))
        .unwrap();
        lex
    })
}

/// A date expression found in text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeExpression {
    /// Start, in Unicode characters of the text.
    pub start: usize,
    /// End (exclusive), in Unicode characters.
    pub end: usize,
    /// The expression as written.
    pub text: String,
    /// The day it resolves to.
    pub value: NaiveDate,
}

/// Finds the date expressions of a text and resolves each against
/// `reference` (the publication date), with the previous one as anchor and
/// its sentence's tense. Expressions naming no single day (months, seasons,
/// durations) are left out.
pub fn find_time_expressions(text: &str, reference: NaiveDate) -> Vec<TimeExpression> {
    let Detector { pattern, loose } = detector();
    let mut found = Vec::new();
    let mut anchor: Option<NaiveDate> = None;
    let mut char_at = 0usize;
    for sentence in text.split_inclusive(['.', '!', '?', '\n']) {
        let lower = sentence.to_lowercase();
        // Lowercasing can change byte lengths; only use it when it does not.
        let haystack = if lower.len() == sentence.len() { lower.as_str() } else { sentence };
        if !loose.is_match(haystack) {
            char_at += sentence.chars().count();
            continue;
        }
        let future = is_future_sentence(sentence);
        for m in pattern.find_iter(haystack) {
            let future = future || in_prospective_complement(&sentence[..m.start()]);
            let ctx = TimeContext { reference, anchor, future };
            for (from, to, expression) in enumerated(sentence, m.start(), m.end()) {
                if let Some(value) = resolve_date(&expression, &ctx) {
                    let start = char_at + sentence[..from].chars().count();
                    let end = char_at + sentence[..to].chars().count();
                    found.push(TimeExpression { start, end, text: sentence[from..to].to_string(), value });
                    anchor = Some(value);
                }
            }
        }
        char_at += sentence.chars().count();
    }
    found
}

/// Most days an enumeration is split into ("le 1er et le 2 novembre" gives
/// two dates); a longer run is not a list of days of one month.
const MAX_ENUMERATED_DAYS: usize = 31;

/// The expression at `start..end` of `sentence` as (start, end, text to
/// resolve): itself, or, for an enumeration of days sharing a month ("le
/// 1er et le 2 novembre 2020", "les 17 et 26 octobre"), one entry per day,
/// each day read with the month (and year) written after the last. Every
/// day but the last spans from its own start (the first from the
/// expression's) to the end of its number; the last runs to the end.
fn enumerated(sentence: &str, start: usize, end: usize) -> Vec<(usize, usize, String)> {
    static DAY: OnceLock<Regex> = OnceLock::new();
    let day = DAY.get_or_init(|| Regex::new(r"\b(\d{1,2})(?:er|st|nd|rd|th)?\b").unwrap());
    let expression = &sentence[start..end];
    let whole = vec![(start, end, expression.to_string())];
    if !lexicon().enumeration.is_match(&fold(expression)) {
        return whole;
    }
    let days: Vec<regex::Captures> = day.captures_iter(expression).collect();
    if days.len() < 2 || days.len() > MAX_ENUMERATED_DAYS {
        return whole;
    }
    let last = days.last().unwrap().get(0).unwrap();
    let tail = &expression[last.end()..];
    let mut out: Vec<(usize, usize, String)> = days[..days.len() - 1]
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let number = c.get(0).unwrap();
            let from = if i == 0 { start } else { start + number.start() };
            (from, start + number.end(), format!("{}{tail}", &c[1]))
        })
        .collect();
    out.push((start + last.start(), end, expression[last.start()..].to_string()));
    out
}

/// The date detector and its test without word boundaries.
struct Detector {
    /// Finds the expressions.
    pattern: Regex,
    /// The same pattern without its `\b` assertions: it matches wherever
    /// `pattern` does, so a sentence it does not match holds no expression.
    /// Unicode word boundaries make the regex engine leave its fast
    /// automaton for a backtracker on any non-ASCII text (most French
    /// sentences); without them the test runs on the automaton, and most
    /// sentences, holding no date word, stop there.
    loose: Regex,
}

/// One regex over the date vocabulary: full and partial dates, weekdays
/// with optional dates and direction words, relative and anaphoric days,
/// amounts of time before or after now.
fn detector() -> &'static Detector {
    static DETECTOR: OnceLock<Detector> = OnceLock::new();
    DETECTOR.get_or_init(|| {
        let lex = lexicon();
        let alt = |words: Vec<String>| {
            let mut words: Vec<String> = words.into_iter().filter(|w| !w.is_empty()).collect();
            words.sort_by_key(|w| std::cmp::Reverse(w.len()));
            words.dedup();
            // Under (?x) a literal space is ignored: spell it as \s+.
            words.iter().map(|w| regex::escape(w).replace(' ', r"\s+")).collect::<Vec<_>>().join("|")
        };
        let mut months = Vec::new();
        let mut weekdays = Vec::new();
        let mut relative = Vec::new();
        let mut anaphoric = Vec::new();
        for lang in storyline_resources::languages() {
            for row in storyline_resources::rows(lang, "months.tsv") {
                months.extend(row[1..].iter().map(|w| w.to_lowercase()));
            }
            for row in storyline_resources::rows(lang, "weekdays.tsv") {
                weekdays.extend(row[1..].iter().map(|w| w.to_lowercase()));
            }
            for row in storyline_resources::rows(lang, "relative_days.tsv") {
                relative.push(row[0].to_lowercase());
            }
            for row in storyline_resources::rows(lang, "anaphoric_days.tsv") {
                anaphoric.push(row[0].to_lowercase());
            }
        }
        let directions = alt(lex.direction.keys().cloned().collect());
        let (months, weekdays, relative, anaphoric) = (alt(months), alt(weekdays), alt(relative), alt(anaphoric));
        let units = alt(lex.units.keys().cloned().collect());
        let numbers = alt(lex.numbers.keys().cloned().collect());
        let markers = alt(lex.markers.iter().map(|(t, _, _)| t.join(" ")).collect());
        let day = r"\d{1,2}(?:er|st|nd|rd|th)?";
        // Language-neutral glue: an optional short word before a day ("le",
        // "the"), and at most two short words between enumerated days ("10, 17 et 26").
        let pattern = format!(
            r"(?x)
            \b(?:(?:{weekdays})\s+)?(?:\p{{L}}{{1,3}}\s+)?{day}(?:\s*,?\s+(?:\p{{L}}{{1,3}}\s+){{0,2}}{day})*\s+(?:\p{{L}}{{2}}\s+)?(?:{months})\.?(?:,?\s+\d{{4}}|\s+\d{{2}}\b)?(?:\s+(?:{directions}))?\b
            | \b(?:{months})\s+{day}(?:,?\s+\d{{4}})?\b
            | \b\d{{4}}-\d{{2}}-\d{{2}}\b | \b\d{{1,2}}/\d{{1,2}}/\d{{4}}\b
            | \b(?:(?:{directions})\s+)?(?:{weekdays})(?:\s+(?:{directions}))?\b
            | \b(?:{relative})\b
            | \b(?:\p{{L}}{{1,3}}\s+)?(?:{anaphoric})\b
            | \b(?:{markers})\s+(?:\d+|{numbers})\s+(?:{units})\b
            | \b(?:\d+|{numbers})\s+(?:{units})\s+(?:{markers})\b"
        );
        Detector {
            loose: Regex::new(&pattern.replace(r"\b", "")).expect("loose date detector"),
            pattern: Regex::new(&pattern).expect("date detector"),
        }
    })
}

/// True when a sentence speaks of the future (a future cue word, or a long
/// word with a future verb ending).
pub fn is_future_sentence(sentence: &str) -> bool {
    let lex = lexicon();
    let folded = fold(sentence);
    let words: Vec<&str> =
        folded.split(|c: char| !(c.is_alphanumeric() || c == '\'')).filter(|w| !w.is_empty()).collect();
    words.iter().any(|w| {
        lex.future_words.iter().any(|f| f == w)
            || (w.chars().count() >= 6 && lex.future_endings.iter().any(|e| w.ends_with(e.as_str())))
    })
}

/// Longest distance, in words, from a prospective verb to a date in its
/// complement.
const PROSPECTIVE_REACH: usize = 12;

/// True when the end of `before` (a sentence up to a date expression) is
/// inside the complement of a verb whose complement happens later: the verb
/// (`prospective_verbs.tsv`), then a marker opening its complement, then
/// the date, within a few words ("offered to meet the unions on | Monday",
/// "a invité les syndicats à une réunion | lundi"). A date between the verb
/// and the marker is the verb's own ("offered on Monday to meet"). A modal
/// of the same file ("would") opens such a complement by itself ("said the
/// strike would end on | Monday"), unless a perfect follows it ("would have").
pub fn in_prospective_complement(before: &str) -> bool {
    let lex = lexicon();
    // Within the date's clause: "X, which had promised to cut jobs, said on
    // Monday" is a past Monday.
    let clause = before.rsplit([',', ';', ':', '(', ')', '«', '»', '"', '“', '”', '—', '–']).next().unwrap_or(before);
    let folded = fold(clause);
    let words: Vec<&str> =
        folded.split(|c: char| !(c.is_alphanumeric() || c == '\'')).filter(|w| !w.is_empty()).collect();
    let from = words.len().saturating_sub(PROSPECTIVE_REACH);
    // Future in the past: "said the strike would end on | Monday".
    let modal = (from..words.len()).any(|i| {
        lex.prospective_modals.iter().any(|m| m == words[i])
            && !words.get(i + 1).is_some_and(|next| lex.prospective_perfects.iter().any(|p| p == next))
    });
    if modal {
        return true;
    }
    let Some(verb) = (from..words.len()).rev().find(|&i| lex.prospective_verbs.iter().any(|v| v == words[i])) else {
        return false;
    };
    // An elided marker ("d'") is glued to the next word.
    let marker =
        |w: &str| lex.prospective_markers.iter().any(|m| w == m || (m.ends_with('\'') && w.starts_with(m.as_str())));
    words[verb + 1..].iter().any(|w| marker(w))
}

fn contains_phrase(haystack: &[String], phrase: &[String]) -> bool {
    !phrase.is_empty() && haystack.windows(phrase.len()).any(|w| w == phrase)
}

fn shift(date: NaiveDate, amount: i64, unit: Unit) -> Option<NaiveDate> {
    match unit {
        Unit::Day => date.checked_add_signed(chrono::Duration::days(amount)),
        Unit::Week => date.checked_add_signed(chrono::Duration::days(7 * amount)),
        Unit::Month if amount >= 0 => date.checked_add_months(Months::new(amount as u32)),
        Unit::Month => date.checked_sub_months(Months::new((-amount) as u32)),
        Unit::Year if amount >= 0 => date.checked_add_months(Months::new(12 * amount as u32)),
        Unit::Year => date.checked_sub_months(Months::new(12 * (-amount) as u32)),
    }
}

/// Resolves a date expression to a day, or `None` when it names no single
/// day (a month, a season, a duration) or is not understood.
pub fn resolve_date(expression: &str, ctx: &TimeContext) -> Option<NaiveDate> {
    if let Some(found) = find_dates(expression, false).first() {
        return Some(found.date);
    }
    let lex = lexicon();
    let folded = fold(expression);
    let toks = tokens(&folded);
    let side = toks.iter().find_map(|t| lex.direction.get(t).copied());

    if let Some((_, offset)) = lex.relative_days.iter().find(|(p, _)| contains_phrase(&toks, p)) {
        return ctx.reference.checked_add_signed(chrono::Duration::days(*offset));
    }
    if let Some((_, offset)) = lex.anaphoric_days.iter().find(|(p, _)| contains_phrase(&toks, p)) {
        return ctx.anchor.unwrap_or(ctx.reference).checked_add_signed(chrono::Duration::days(*offset));
    }
    if let Some(date) = amount_from_reference(&toks, ctx.reference) {
        return Some(date);
    }
    // In an enumeration the first day shares the month named after the last.
    if let Some(c) = lex.enumeration.captures(&folded) {
        if let (Ok(day), Some(month)) = (c[1].parse::<u32>(), lex.months.get(&c[2])) {
            return partial_date(*month, day, side, ctx);
        }
    }
    if let Some(c) = lex.day_month.captures(&folded) {
        let (day, month, year) = match (c.get(1), c.get(4)) {
            (Some(d), _) => (d.as_str(), &c[2], c.get(3).map(|y| y.as_str())),
            (None, Some(m)) => (&c[5], m.as_str(), None),
            _ => return None,
        };
        let day: u32 = day.parse().ok()?;
        let month = *lex.months.get(month)?;
        if let Some(short) = year.and_then(|y| y.parse::<i32>().ok()) {
            let year = if short < 50 { 2000 + short } else { 1900 + short };
            return NaiveDate::from_ymd_opt(year, month, day);
        }
        return partial_date(month, day, side, ctx);
    }
    if let Some(weekday) = toks.iter().find_map(|t| lex.weekdays.get(t).copied()) {
        return weekday_date(weekday, side, ctx);
    }
    None
}

/// "il y a trois jours", "dans deux semaines", "two weeks ago".
fn amount_from_reference(toks: &[String], reference: NaiveDate) -> Option<NaiveDate> {
    let lex = lexicon();
    let unit_at = toks.iter().position(|t| lex.units.contains_key(t))?;
    let unit = lex.units[&toks[unit_at]];
    let amount = match unit_at.checked_sub(1).map(|i| &toks[i]) {
        Some(t) => t.parse::<i64>().ok().or_else(|| lex.numbers.get(t).copied())?,
        None => return None,
    };
    for (marker, before, side) in &lex.markers {
        let found =
            if *before { toks[..unit_at - 1].ends_with(marker) } else { toks[unit_at + 1..].starts_with(marker) };
        if found {
            let signed = if *side == Side::Past { -amount } else { amount };
            return shift(reference, signed, unit);
        }
    }
    None
}

/// A day and month without a year: on the side a direction word gives,
/// else the occurrence nearest the reference date.
fn partial_date(month: u32, day: u32, side: Option<Side>, ctx: &TimeContext) -> Option<NaiveDate> {
    let year = ctx.reference.year();
    let candidates: Vec<NaiveDate> =
        (year - 1..=year + 1).filter_map(|y| NaiveDate::from_ymd_opt(y, month, day)).collect();
    match side {
        Some(Side::Past) => candidates.into_iter().filter(|d| *d <= ctx.reference).max(),
        Some(Side::Future) => candidates.into_iter().filter(|d| *d >= ctx.reference).min(),
        None => candidates.into_iter().min_by_key(|d| (*d - ctx.reference).num_days().abs()),
    }
}

/// A weekday. A direction word ("dernier", "next") means strictly before or
/// after the reference day. Without one, the reference day itself when it is
/// that weekday, else the one before (or after, in a sentence told in the
/// future).
fn weekday_date(weekday: u32, side: Option<Side>, ctx: &TimeContext) -> Option<NaiveDate> {
    let today = ctx.reference.weekday().number_from_monday();
    let strict = side.is_some();
    let side = side.unwrap_or(if ctx.future { Side::Future } else { Side::Past });
    let same_day = if strict { 7 } else { 0 };
    match side {
        Side::Past => {
            let back = match (today + 7 - weekday) % 7 {
                0 => same_day,
                n => n,
            };
            ctx.reference.checked_sub_days(Days::new(back as u64))
        }
        Side::Future => {
            let ahead = match (weekday + 7 - today) % 7 {
                0 => same_day,
                n => n,
            };
            ctx.reference.checked_add_days(Days::new(ahead as u64))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(reference: &str) -> TimeContext {
        TimeContext { reference: reference.parse().unwrap(), anchor: None, future: false }
    }

    fn resolve(expression: &str, ctx: TimeContext) -> String {
        resolve_date(expression, &ctx).map(|d| d.to_string()).unwrap_or_else(|| "-".into())
    }

    #[test]
    fn days_relative_to_the_reference() {
        // 2020-11-01 was a Sunday.
        let ctx = at("2020-11-01");
        assert_eq!(resolve("hier", ctx), "2020-10-31");
        assert_eq!(resolve("avant-hier", ctx), "2020-10-30");
        assert_eq!(resolve("aujourd'hui", ctx), "2020-11-01");
        assert_eq!(resolve("tomorrow", ctx), "2020-11-02");
        assert_eq!(resolve("il y a une semaine", ctx), "2020-10-25");
        assert_eq!(resolve("dans trois jours", ctx), "2020-11-04");
        assert_eq!(resolve("two weeks ago", ctx), "2020-10-18");
    }

    #[test]
    fn weekdays_follow_tense_and_direction_words() {
        let ctx = at("2020-11-01");
        assert_eq!(resolve("samedi", ctx), "2020-10-31");
        assert_eq!(resolve("dimanche", ctx), "2020-11-01");
        assert_eq!(resolve("lundi", TimeContext { future: true, ..ctx }), "2020-11-02");
        assert_eq!(resolve("lundi prochain", ctx), "2020-11-02");
        assert_eq!(resolve("vendredi dernier", ctx), "2020-10-30");
        assert_eq!(resolve("last Friday", ctx), "2020-10-30");
        assert_eq!(resolve("dimanche dernier", ctx), "2020-10-25");
        assert_eq!(resolve("dimanche prochain", ctx), "2020-11-08");
    }

    #[test]
    fn dates_without_year_take_the_nearest_or_the_named_side() {
        let ctx = at("2020-11-01");
        assert_eq!(resolve("le 27 septembre", ctx), "2020-09-27");
        assert_eq!(resolve("le 1er et le 2 novembre", ctx), "2020-11-01");
        assert_eq!(resolve("le 5 janvier", ctx), "2021-01-05");
        assert_eq!(resolve("le 20 décembre dernier", ctx), "2019-12-20");
        assert_eq!(resolve("le 10 novembre 93", ctx), "1993-11-10");
        assert_eq!(resolve("March 3", ctx), "2021-03-03");
        assert_eq!(resolve("le samedi 31 octobre", ctx), "2020-10-31");
        assert_eq!(resolve("le 14 mai 2018", ctx), "2018-05-14");
    }

    #[test]
    fn anaphoric_days_follow_the_last_date_mentioned() {
        let ctx = TimeContext { anchor: "2020-09-27".parse().ok(), ..at("2020-11-01") };
        assert_eq!(resolve("le lendemain", ctx), "2020-09-28");
        assert_eq!(resolve("la veille", ctx), "2020-09-26");
        assert_eq!(resolve("le même jour", ctx), "2020-09-27");
        assert_eq!(resolve("en automne", ctx), "-");
    }

    #[test]
    fn expressions_are_found_in_running_text_with_character_spans() {
        let text =
            "Élu samedi 31 octobre, il a parlé le 1er et le 2 novembre. Depuis le 27 septembre, hier encore, rien.";
        let found = find_time_expressions(text, "2020-11-03".parse().unwrap());
        let got: Vec<(String, String)> = found.iter().map(|t| (t.text.clone(), t.value.to_string())).collect();
        assert_eq!(
            got,
            vec![
                ("samedi 31 octobre".to_string(), "2020-10-31".to_string()),
                ("le 1er".to_string(), "2020-11-01".to_string()),
                ("2 novembre".to_string(), "2020-11-02".to_string()),
                ("le 27 septembre".to_string(), "2020-09-27".to_string()),
                ("hier".to_string(), "2020-11-02".to_string()),
            ]
        );
        let chars: Vec<char> = text.chars().collect();
        let first = &found[0];
        assert_eq!(chars[first.start..first.end].iter().collect::<String>(), "samedi 31 octobre");
    }

    #[test]
    fn an_enumeration_of_days_yields_each_day() {
        let found = |text: &str| -> Vec<(String, String)> {
            find_time_expressions(text, "2020-11-03".parse().unwrap())
                .iter()
                .map(|t| (t.text.clone(), t.value.to_string()))
                .collect()
        };
        let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
        assert_eq!(
            found("Trois accords ont été négociés les 10, 17 et 26 octobre."),
            vec![pair("les 10", "2020-10-10"), pair("17", "2020-10-17"), pair("26 octobre", "2020-10-26")]
        );
        assert_eq!(
            found("Il a parlé le 1er et le 2 novembre 2019."),
            vec![pair("le 1er", "2019-11-01"), pair("2 novembre 2019", "2019-11-02")]
        );
        // One day is one expression, whatever precedes it.
        assert_eq!(found("Il est arrivé le 2 novembre."), vec![pair("le 2 novembre", "2020-11-02")]);
    }

    #[test]
    fn a_weekday_in_the_complement_of_an_offer_points_forward() {
        let days = |text: &str| -> Vec<String> {
            find_time_expressions(text, "2023-10-12".parse().unwrap()).iter().map(|e| e.value.to_string()).collect()
        };
        assert_eq!(days("The minister has offered to meet the unions in Paris on Monday."), ["2023-10-16"]);
        assert_eq!(days("La ministre a invité les syndicats à une réunion lundi."), ["2023-10-16"]);
        // The verb's own day, before its complement, and a plain past.
        assert_eq!(days("The minister offered on Monday to meet the unions."), ["2023-10-09"]);
        assert_eq!(days("La ministre a proposé lundi de recevoir les syndicats."), ["2023-10-09"]);
        assert_eq!(days("La ministre a reçu les syndicats lundi."), ["2023-10-09"]);
        assert_eq!(days("The firm, which had promised to cut jobs, said on Monday it would wait."), ["2023-10-09"]);
        // Future in the past, and its perfect.
        assert_eq!(days("The union said the strike would end on Monday."), ["2023-10-16"]);
        assert_eq!(days("He said the government would be asked to pay from Monday."), ["2023-10-16"]);
        assert_eq!(days("The union said the strike would have ended on Monday."), ["2023-10-09"]);
    }

    #[test]
    fn future_sentences_are_recognised() {
        assert!(is_future_sentence("Le ministre recevra les syndicats lundi."));
        assert!(is_future_sentence("La réunion aura lieu samedi."));
        // Short futures of frequent verbs, below the length the endings need.
        assert!(is_future_sentence("Le club fera son retour dimanche, puis ira à Nantes."));
        assert!(is_future_sentence("The minister will meet the unions on Monday."));
        assert!(!is_future_sentence("Le ministre a reçu les syndicats lundi."));
    }
}
