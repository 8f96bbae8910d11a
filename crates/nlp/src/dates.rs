//! Absolute calendar dates written in text ("31 octobre 2020", "October 31,
//! 2020", "31/10/2020", "2020-10-31"), for every language with a
//! `months.tsv` resource. Relative and partial expressions belong to the
//! time-expression resolver, which builds on this.

use std::sync::OnceLock;

use chrono::NaiveDate;
use regex::Regex;

/// A date found in text, with its byte span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateMatch {
    /// Byte offset of the first character.
    pub start: usize,
    /// Byte offset after the last character.
    pub end: usize,
    /// The calendar date.
    pub date: NaiveDate,
}

struct Patterns {
    month_of: Vec<(String, u32)>,
    day_month_year: Regex,
    month_day_year: Regex,
    numeric: Regex,
    year_first: Regex,
    iso: Regex,
    /// Year, month and day each followed by its unit ("2020年7月12日"),
    /// from `date_units.tsv`; `None` when no language has the file.
    unit_marked: Option<Regex>,
}

fn patterns() -> &'static Patterns {
    static PATTERNS: OnceLock<Patterns> = OnceLock::new();
    PATTERNS.get_or_init(|| {
        let mut month_of: Vec<(String, u32)> = Vec::new();
        for lang in storyline_resources::languages() {
            for row in storyline_resources::rows(lang, "months.tsv") {
                let Some(number) = row.first().and_then(|n| n.parse::<u32>().ok()) else { continue };
                for name in &row[1..] {
                    month_of.push((name.to_lowercase(), number));
                }
            }
        }
        // Longest names first so "sept" does not shadow "septembre".
        month_of.sort_by_key(|m| std::cmp::Reverse(m.0.chars().count()));
        month_of.dedup_by(|a, b| a.0 == b.0);
        let names = month_of.iter().map(|(n, _)| regex::escape(n)).collect::<Vec<_>>().join("|");
        let mut units: [Vec<String>; 3] = Default::default();
        for lang in storyline_resources::languages() {
            for row in storyline_resources::rows(lang, "date_units.tsv") {
                let slot = match row.first().map(String::as_str) {
                    Some("year") => 0,
                    Some("month") => 1,
                    Some("day") => 2,
                    _ => continue,
                };
                units[slot].extend(row[1..].iter().map(|u| regex::escape(u)));
            }
        }
        let unit_marked = units.iter().all(|u| !u.is_empty()).then(|| {
            let [y, m, d] = &units;
            Regex::new(&format!(
                r"(\d{{4}})\s*(?:{})\s*(\d{{1,2}})\s*(?:{})\s*(\d{{1,2}})\s*(?:{})",
                y.join("|"),
                m.join("|"),
                d.join("|")
            ))
            .unwrap()
        });
        Patterns {
            day_month_year: Regex::new(&format!(
                r"(?i)\b(\d{{1,2}})(?:er|st|nd|rd|th|º|\.)?\s*(?:de\s+)?({names})\.?,?\s+(?:de\s+)?(\d{{4}})\b"
            ))
            .unwrap(),
            month_day_year: Regex::new(&format!(r"(?i)\b({names})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b"))
                .unwrap(),
            numeric: Regex::new(r"\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\b").unwrap(),
            year_first: Regex::new(r"\b(\d{4})[/.](\d{1,2})[/.](\d{1,2})\b").unwrap(),
            iso: Regex::new(r"\b(\d{4})-(\d{2})-(\d{2})(?:[^\d]|$)").unwrap(),
            unit_marked,
            month_of,
        }
    })
}

fn month_number(name: &str) -> Option<u32> {
    let lower = name.to_lowercase();
    patterns().month_of.iter().find(|(n, _)| *n == lower).map(|(_, m)| *m)
}

/// Finds absolute dates in `text`. `month_first` says how to read an
/// ambiguous numeric date like 03/04/2020 (US English writes month first).
///
/// Every pattern holds a four-digit year, so on long texts the patterns
/// only run in small windows around such numbers: the same matches, at a
/// fraction of the cost on a whole web page.
pub fn find_dates(text: &str, month_first: bool) -> Vec<DateMatch> {
    if text.len() <= 256 {
        // A year that parses is four ASCII digits: most short lines have none, and skip the patterns.
        let has_year = text.as_bytes().windows(4).any(|w| w.iter().all(u8::is_ascii_digit));
        return if has_year { find_dates_in(text, month_first) } else { Vec::new() };
    }
    let bytes = text.as_bytes();
    let mut windows: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i + 4 <= bytes.len() {
        let year = bytes[i..i + 4].iter().all(u8::is_ascii_digit)
            && (i == 0 || !bytes[i - 1].is_ascii_digit())
            && bytes.get(i + 4).is_none_or(|b| !b.is_ascii_digit());
        if year {
            let start = floor_char_boundary(text, i.saturating_sub(48));
            let end = ceil_char_boundary(text, (i + 4 + 12).min(bytes.len()));
            match windows.last_mut() {
                Some(last) if start <= last.1 => last.1 = end,
                _ => windows.push((start, end)),
            }
            i += 4;
        } else {
            i += 1;
        }
    }
    let mut found: Vec<DateMatch> = Vec::new();
    for (start, end) in windows {
        for m in find_dates_in(&text[start..end], month_first) {
            found.push(DateMatch { start: m.start + start, end: m.end + start, date: m.date });
        }
    }
    found
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_char_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

fn find_dates_in(text: &str, month_first: bool) -> Vec<DateMatch> {
    let p = patterns();
    let mut found: Vec<DateMatch> = Vec::new();
    let mut push = |start: usize, end: usize, y: i32, m: u32, d: u32| {
        if !(1800..=2200).contains(&y) {
            return;
        }
        if let Some(date) = NaiveDate::from_ymd_opt(y, m, d) {
            if !found.iter().any(|f| f.start < end && start < f.end) {
                found.push(DateMatch { start, end, date });
            }
        }
    };
    let num = |c: &regex::Captures, i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok()).unwrap_or(0);
    for c in p.iso.captures_iter(text) {
        // The span ends with the day, not the separator after it.
        let (m, day) = (c.get(0).unwrap(), c.get(3).unwrap());
        push(m.start(), day.end(), num(&c, 1) as i32, num(&c, 2), num(&c, 3));
    }
    for c in p.day_month_year.captures_iter(text) {
        let m = c.get(0).unwrap();
        if let Some(month) = month_number(&c[2]) {
            push(m.start(), m.end(), num(&c, 3) as i32, month, num(&c, 1));
        }
    }
    for c in p.month_day_year.captures_iter(text) {
        let m = c.get(0).unwrap();
        if let Some(month) = month_number(&c[1]) {
            push(m.start(), m.end(), num(&c, 3) as i32, month, num(&c, 2));
        }
    }
    for c in p.unit_marked.iter().flat_map(|r| r.captures_iter(text)) {
        let m = c.get(0).unwrap();
        push(m.start(), m.end(), num(&c, 1) as i32, num(&c, 2), num(&c, 3));
    }
    for c in p.year_first.captures_iter(text) {
        let m = c.get(0).unwrap();
        push(m.start(), m.end(), num(&c, 1) as i32, num(&c, 2), num(&c, 3));
    }
    for c in p.numeric.captures_iter(text) {
        let m = c.get(0).unwrap();
        let (a, b, y) = (num(&c, 1), num(&c, 2), num(&c, 3) as i32);
        let (month, day) = if (month_first && a <= 12) || b > 12 { (a, b) } else { (b, a) };
        push(m.start(), m.end(), y, month, day);
    }
    found.sort_by_key(|f| f.start);
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dates(text: &str) -> Vec<String> {
        find_dates(text, false).iter().map(|d| d.date.to_string()).collect()
    }

    #[test]
    fn french_and_english_written_dates() {
        assert_eq!(dates("Publié le 1er novembre 2020 à 10h"), vec!["2020-11-01"]);
        assert_eq!(dates("le 14 février 2019 et le 3 août 2021"), vec!["2019-02-14", "2021-08-03"]);
        assert_eq!(dates("Updated October 31, 2020, 9:00 AM"), vec!["2020-10-31"]);
        assert_eq!(dates("on 2 Sept. 2019"), vec!["2019-09-02"]);
        assert_eq!(dates("am 24. April 2020 | 5 de mayo de 2021"), vec!["2020-04-24", "2021-05-05"]);
    }

    #[test]
    fn numeric_dates_respect_the_reading_order() {
        assert_eq!(dates("14/05/2018"), vec!["2018-05-14"]);
        assert_eq!(find_dates("03/04/2020", true)[0].date.to_string(), "2020-03-04");
        assert_eq!(dates("2020-10-31T08:00"), vec!["2020-10-31"]);
        assert_eq!(dates("2020/10/31 and 31-10-2020"), vec!["2020-10-31", "2020-10-31"]);
    }

    #[test]
    fn long_texts_give_the_same_dates_as_short_ones() {
        let filler = "Lorem ipsum dolor sit amet, élan café. ".repeat(20);
        let text = format!("{filler}le 3 août 2021 {filler}2019-02-14 et 14/05/2018 {filler}");
        assert_eq!(dates(&text), vec!["2021-08-03", "2019-02-14", "2018-05-14"]);
    }

    #[test]
    fn dates_whose_numbers_carry_their_units() {
        assert_eq!(dates("更新 2020年07月12日 22:00"), vec!["2020-07-12"]);
        assert_eq!(dates("2020년 7월 12일"), vec!["2020-07-12"]);
        assert_eq!(dates("15 августа 2016, 13:43"), vec!["2016-08-15"], "a generated month table");
    }

    #[test]
    fn impossible_dates_are_ignored() {
        assert!(dates("31 février 2020").is_empty());
        assert!(dates("12 mai 0199").is_empty());
    }
}
