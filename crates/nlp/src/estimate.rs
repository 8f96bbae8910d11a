//! Estimating when an undated article was written, from its text alone.
//!
//! Evidence, all general:
//! - full dates it mentions ("14 mai 2018", "1er novembre 2020");
//! - a weekday with a day and month but no year ("samedi 31 octobre"): only
//!   some years make that day that weekday; we take the first such year not
//!   before the latest year the text mentions (texts mention past years);
//! - a season named with its year in a sentence told in the past ("ils se
//!   sont affrontés à l'automne 2020"): the season is over, so the article
//!   is later than its end (a season still under way would be "cet
//!   automne");
//! - relative days ("samedi", "hier") say the latest event is recent.
//!
//! The best guess is the latest event date (or the latest lower bound when
//! that is later); the range is a week after it when the text speaks in
//! relative days, else open-ended. Never more precise than the evidence.

use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate};
use regex::Regex;

use crate::dates::find_dates;
use crate::fold::fold;
use crate::time::is_future_sentence;

/// An estimated publication date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateEstimate {
    /// Best single guess.
    pub date: NaiveDate,
    /// Earliest plausible date.
    pub earliest: Option<NaiveDate>,
    /// Latest plausible date (None: open-ended).
    pub latest: Option<NaiveDate>,
}

/// A season: folded name, first and last (month, day).
struct Season {
    name: String,
    first: (u32, u32),
    last: (u32, u32),
}

struct Vocabulary {
    weekday_date: Regex,
    /// A day and month, with the year that may follow: "2 novembre",
    /// "le 1er novembre 2020", "November 2", "2 November".
    day_month: Regex,
    weekdays: Vec<(String, u32)>,
    months: Vec<(String, u32)>,
    seasons: Vec<Season>,
    season_year: Regex,
    relative_words: Vec<String>,
    past_words: Vec<String>,
    past_endings: Vec<String>,
}

fn table(name: &str) -> Vec<(String, u32)> {
    let mut out = Vec::new();
    for lang in storyline_resources::languages() {
        for row in storyline_resources::rows(lang, name) {
            if let Some(n) = row.first().and_then(|n| n.parse().ok()) {
                out.extend(row[1..].iter().map(|w| (fold(w), n)));
            }
        }
    }
    out.sort_by_key(|(w, _)| std::cmp::Reverse(w.len()));
    out
}

fn alternation(words: impl Iterator<Item = String>) -> String {
    words.map(|w| regex::escape(&w)).collect::<Vec<_>>().join("|")
}

fn vocabulary() -> &'static Vocabulary {
    static VOCABULARY: OnceLock<Vocabulary> = OnceLock::new();
    VOCABULARY.get_or_init(|| {
        let weekdays = table("weekdays.tsv");
        let months = table("months.tsv");
        let mut seasons = Vec::new();
        let mut relative_words = Vec::new();
        let mut past_words = Vec::new();
        let mut past_endings = Vec::new();
        let month_day = |s: &str| -> Option<(u32, u32)> {
            let (m, d) = s.split_once('-')?;
            Some((m.parse().ok()?, d.parse().ok()?))
        };
        for lang in storyline_resources::languages() {
            for row in storyline_resources::rows(lang, "seasons.tsv") {
                if let (Some(first), Some(last)) =
                    (row.get(1).and_then(|s| month_day(s)), row.get(2).and_then(|s| month_day(s)))
                {
                    seasons.push(Season { name: fold(&row[0]), first, last });
                }
            }
            for row in storyline_resources::rows(lang, "relative_days.tsv") {
                relative_words.push(fold(&row[0]));
            }
            for cue in storyline_resources::lines(lang, "past_cues.txt") {
                match cue.strip_prefix('-') {
                    Some(ending) => past_endings.push(fold(ending)),
                    None => past_words.push(fold(&cue)),
                }
            }
        }
        relative_words.extend(weekdays.iter().map(|(w, _)| w.clone()));
        let weekday_names = alternation(weekdays.iter().map(|(w, _)| w.clone()));
        let month_names = alternation(months.iter().map(|(w, _)| w.clone()));
        let season_names = alternation(seasons.iter().map(|s| s.name.clone()));
        Vocabulary {
            weekday_date: Regex::new(&format!(
                r"\b({weekday_names})\s+(\d{{1,2}})(?:er|st|nd|rd|th)?\s+({month_names})\b(?:\s+(\d{{4}}))?"
            ))
            .unwrap(),
            day_month: Regex::new(&format!(
                r"\b(\d{{1,2}})(?:er|st|nd|rd|th)?\s+(?:de\s+|of\s+)?({month_names})\b(?:\s*,?\s*(\d{{4}}))?|\b({month_names})\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:\s*,?\s*(\d{{4}}))?"
            ))
            .unwrap(),
            season_year: Regex::new(&format!(r"\b({season_names})\s+(?:de\s+|of\s+)?(\d{{4}})\b")).unwrap(),
            weekdays,
            months,
            seasons,
            relative_words,
            past_words,
            past_endings,
        }
    })
}

fn is_past_sentence(folded: &str, v: &Vocabulary) -> bool {
    folded.split(|c: char| !(c.is_alphanumeric() || c == '\'')).filter(|w| !w.is_empty()).any(|w| {
        v.past_words.iter().any(|p| p == w)
            || (w.chars().count() >= 6 && v.past_endings.iter().any(|e| w.ends_with(e.as_str())))
    })
}

/// Estimates the publication date of a text; `today` bounds the years tried.
pub fn estimate_publication(text: &str, today: NaiveDate) -> Option<DateEstimate> {
    let v = vocabulary();
    let mut events: Vec<NaiveDate> = Vec::new();
    let mut lower: Option<NaiveDate> = None;
    let mut latest_year: Option<i32> = None;
    let mut relative = false;
    let sentences: Vec<&str> = text.split_inclusive(['.', '!', '?', '\n']).collect();
    for sentence in &sentences {
        let folded = fold(sentence);
        for word in folded.split(|c: char| !c.is_alphanumeric() && c != '\'') {
            if let Ok(year) = word.parse::<i32>() {
                if word.len() == 4 && (1900..=today.year()).contains(&year) {
                    latest_year = Some(latest_year.map_or(year, |y| y.max(year)));
                }
            }
        }
        if folded.split(|c: char| !c.is_alphanumeric() && c != '\'').any(|w| v.relative_words.iter().any(|r| r == w)) {
            relative = true;
        }
        if is_future_sentence(sentence) {
            continue;
        }
        events.extend(find_dates(sentence, false).iter().map(|d| d.date).filter(|d| *d <= today));
        if is_past_sentence(&folded, v) {
            for c in v.season_year.captures_iter(&folded) {
                let Some(season) = v.seasons.iter().find(|s| s.name == c[1]) else { continue };
                let Ok(year) = c[2].parse::<i32>() else { continue };
                // A season ending in a lower month ends the next year (winter).
                let end_year = if season.last.0 < season.first.0 { year + 1 } else { year };
                if let Some(end) = NaiveDate::from_ymd_opt(end_year, season.last.0, season.last.1) {
                    lower = Some(lower.map_or(end, |l| l.max(end)));
                }
            }
        }
    }
    // Weekday + day + month without a year: the first consistent year from
    // the latest year mentioned on; with no year anywhere, the latest
    // consistent year, and the earliest plausible date is the earliest
    // consistent year of the last thirty (the guess says it is one).
    let mut guessed: Option<(NaiveDate, NaiveDate)> = None;
    let folded_text = fold(text);
    for c in v.weekday_date.captures_iter(&folded_text) {
        if c.get(4).is_some() {
            continue;
        }
        let weekday = v.weekdays.iter().find(|(w, _)| *w == c[1]).map(|(_, n)| *n);
        let month = v.months.iter().find(|(m, _)| *m == c[3]).map(|(_, n)| *n);
        let (Some(weekday), Some(month), Ok(day)) = (weekday, month, c[2].parse::<u32>()) else { continue };
        let consistent = |from: i32| {
            (from..=today.year())
                .filter_map(|y| NaiveDate::from_ymd_opt(y, month, day))
                .filter(|d| d.weekday().number_from_monday() == weekday && *d <= today)
                .collect::<Vec<_>>()
        };
        match latest_year {
            Some(from) => events.extend(consistent(from).first()),
            None => {
                let years = consistent(today.year() - 30);
                if let (Some(&first), Some(&last)) = (years.first(), years.last()) {
                    events.push(last);
                    guessed = Some(guessed.map_or((last, first), |(l, f)| (l.max(last), f.min(first))));
                }
            }
        }
    }
    let latest_event = events.iter().max().copied();
    let date = match (latest_event, lower) {
        (Some(e), Some(l)) => e.max(l),
        (Some(e), None) => e,
        (None, Some(l)) => l,
        (None, None) => return None,
    };
    let latest = (relative && latest_event == Some(date)).then(|| date + chrono::Days::new(7));
    let earliest = match guessed {
        Some((guess, first)) if guess == date => first,
        _ => date,
    };
    Some(DateEstimate { date, earliest: Some(earliest), latest })
}

/// The latest day a text reports in the past tense without saying the year
/// ("le 1er et le 2 novembre, Poutine a eu ..." gives November 2), as
/// (month, day). Days of January and February count as later than those of
/// November and December when both appear (the text crosses a new year).
/// An undated article that borrows its story's dates is never dated before
/// this day in the story's year ([`floor_in_year`]).
pub fn latest_yearless_past_day(text: &str) -> Option<(u32, u32)> {
    let v = vocabulary();
    let mut days: Vec<(u32, u32)> = Vec::new();
    for sentence in text.split_inclusive(['.', '!', '?', '\n']) {
        if is_future_sentence(sentence) {
            continue;
        }
        let folded = fold(sentence);
        if !is_past_sentence(&folded, v) {
            continue;
        }
        for c in v.day_month.captures_iter(&folded) {
            let (day, month, year) = match (c.get(1), c.get(5)) {
                (Some(d), _) => (d.as_str(), &c[2], c.get(3)),
                (None, Some(d)) => (d.as_str(), &c[4], c.get(6)),
                _ => continue,
            };
            let month = v.months.iter().find(|(m, _)| m == month).map(|(_, n)| *n);
            let (Some(month), Ok(day), None) = (month, day.parse::<u32>(), year) else { continue };
            // February 29 exists in one year of four: no floor from it.
            if NaiveDate::from_ymd_opt(2021, month, day).is_some() {
                days.push((month, day));
            }
        }
    }
    let crosses_year = days.iter().any(|(m, _)| *m >= 11) && days.iter().any(|(m, _)| *m <= 2);
    days.into_iter().max_by_key(|&(m, d)| (if crosses_year && m <= 2 { m + 12 } else { m }, d))
}

/// A day without a year placed in the year that puts it nearest to
/// `reference` (within six months of it).
pub fn floor_in_year((month, day): (u32, u32), reference: NaiveDate) -> Option<NaiveDate> {
    (reference.year() - 1..=reference.year() + 1)
        .filter_map(|y| NaiveDate::from_ymd_opt(y, month, day))
        .min_by_key(|d| (*d - reference).num_days().abs())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()
    }

    #[test]
    fn weekday_and_date_pick_the_year() {
        // 2021-03-06 was a Saturday; so were 2010-03-06 and 2027-03-06.
        let text = "Le maire a inauguré samedi 6 mars la nouvelle médiathèque, promise depuis le 2 juin 2019.";
        let e = estimate_publication(text, today()).unwrap();
        assert_eq!(e.date.to_string(), "2021-03-06");
        assert_eq!(e.latest.unwrap().to_string(), "2021-03-13");
    }

    #[test]
    fn a_weekday_and_date_with_no_year_anywhere_is_the_latest_such_day_and_says_so() {
        // 6 March was a Saturday in 2021, 2010, 1999 (the last thirty years before 2026).
        let e = estimate_publication("Le maire a inauguré samedi 6 mars la nouvelle médiathèque.", today()).unwrap();
        assert_eq!(e.date.to_string(), "2021-03-06");
        assert_eq!(e.earliest.unwrap().to_string(), "1999-03-06");
    }

    #[test]
    fn a_season_told_in_the_past_is_over() {
        let text = "Les deux pays se sont affrontés à l'automne 2020. Les discussions doivent reprendre samedi.";
        let e = estimate_publication(text, today()).unwrap();
        assert_eq!(e.date.to_string(), "2020-12-20");
        assert_eq!(e.latest, None);
        assert!(estimate_publication("Le festival aura lieu à l'été 2027.", today()).is_none());
    }

    #[test]
    fn the_latest_day_told_in_the_past_without_a_year() {
        let text = "Le maire a reçu les syndicats des dockers le 1er et le 2 novembre. \
                    Le 31 octobre, la préfète a signé un arrêté. Les discussions reprendront le 9 novembre.";
        assert_eq!(latest_yearless_past_day(text), Some((11, 2)));
        assert_eq!(latest_yearless_past_day("He visited them on December 30 and returned on January 2."), Some((1, 2)));
        // A dated day is evidence of its own, not a yearless one.
        assert_eq!(latest_yearless_past_day("Le traité a été signé le 2 novembre 1997."), None);
        let reference = NaiveDate::from_ymd_opt(2020, 10, 31).unwrap();
        assert_eq!(floor_in_year((11, 2), reference).unwrap().to_string(), "2020-11-02");
        assert_eq!(
            floor_in_year((1, 2), NaiveDate::from_ymd_opt(2020, 12, 30).unwrap()).unwrap().to_string(),
            "2021-01-02"
        );
    }

    #[test]
    fn no_evidence_no_estimate() {
        assert!(estimate_publication("Samedi, le conseil a voté le budget.", today()).is_none());
    }
}
