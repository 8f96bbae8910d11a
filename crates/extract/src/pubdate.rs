//! The publication date of an HTML page.
//!
//! Evidence is tried from the most to the least reliable, as htmldate does:
//! a full date in the URL path; publication meta tags (Open Graph, Dublin
//! Core, news CMS names); JSON-LD `datePublished` (where the two disagree,
//! the meta tag is right more often on both date sets of `eval`);
//! schema.org `itemprop`;
//! `<time>` and `<abbr>` elements; short elements whose class or id says
//! "date"; modification meta tags; finally the first date written in the
//! page text. Dates are read as written (the local day of a timestamp, not
//! its UTC day), and only dates between 1995 and today are accepted.

use std::sync::OnceLock;

use chrono::NaiveDate;
use scraper::{ElementRef, Html, Selector};
use storyline_model::PublishedSource;

use crate::html::date_from_url;

/// Where a page date was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateEvidence {
    /// The URL path.
    Url,
    /// JSON-LD structured data.
    JsonLd,
    /// A publication `<meta>` tag or `itemprop`.
    Meta,
    /// A `<time>` or `<abbr>` element.
    TimeElement,
    /// A short element whose class or id names a date.
    DateElement,
    /// A modification-date meta tag (used when nothing else is found).
    Modified,
    /// The first date in the page text.
    Text,
    /// The date written most often in the page's markup (link paths,
    /// attributes, scripts): the last resort, as htmldate's extensive search.
    Markup,
}

impl DateEvidence {
    /// How the export names this evidence.
    pub fn published_source(self) -> PublishedSource {
        match self {
            DateEvidence::DateElement | DateEvidence::Text | DateEvidence::Markup => PublishedSource::Text,
            _ => PublishedSource::Metadata,
        }
    }
}

/// Meta names (lowercase `name`, `property` or `itemprop`) that carry the
/// publication date, best first.
const PUBLISHED_META: &[&str] = &[
    "article:published_time",
    "article:published",
    "og:article:published_time",
    "og:published_time",
    "datepublished",
    "published_time",
    "publishdate",
    "publish_date",
    "publish-date",
    "published-date",
    "publication_date",
    "pubdate",
    "pub_date",
    "parsely-pub-date",
    "sailthru.date",
    "article.published",
    "article_date_original",
    "originalpublicationdate",
    "cxenseparse:recs:publishtime",
    "citation_publication_date",
    "citation_date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date.created",
    "dcterms.created",
    "dc.date",
    "dcterms.date",
    "date",
    "datecreated",
    "created",
    "release_date",
];

/// Meta names that carry a modification date.
const MODIFIED_META: &[&str] = &[
    "article:modified_time",
    "og:updated_time",
    "datemodified",
    "dcterms.modified",
    "dc.date.modified",
    "last-modified",
    "lastmod",
];

/// Class or id fragments of elements that show a date.
const DATE_CLASS_HINTS: &[&str] =
    &["date", "datum", "time", "publi", "posted", "byline", "dateline", "fecha", "zeit", "created", "updated"];

/// The CSS selectors used, parsed once.
struct Selectors {
    itemprop: Selector,
    canonical: Selector,
    json_ld: Selector,
    script: Selector,
    meta: Selector,
    time: Selector,
    classed: Selector,
    body: Selector,
}

fn selectors() -> &'static Selectors {
    static SELECTORS: OnceLock<Selectors> = OnceLock::new();
    SELECTORS.get_or_init(|| {
        let parse = |css: &str| Selector::parse(css).expect("valid selector");
        Selectors {
            itemprop: parse("[itemprop=datePublished], [itemprop=dateCreated]"),
            canonical: parse("link[rel=canonical], meta[property='og:url']"),
            json_ld: parse("script[type='application/ld+json']"),
            script: parse("script"),
            meta: parse("meta"),
            time: parse("time, abbr[title]"),
            classed: parse("[class], [id]"),
            body: parse("body"),
        }
    })
}

/// Reads a date from an attribute value or a short text: ISO timestamps by
/// their date part as written, `YYYYMMDD`, else any written date.
pub fn parse_date_value(value: &str) -> Option<NaiveDate> {
    let v = value.trim();
    let b = v.as_bytes();
    if b.len() >= 10 && b[4] == b'-' && b[7] == b'-' {
        // `get`: byte 10 may fall inside a character of a damaged value.
        if let Some(Ok(d)) = v.get(..10).map(|head| NaiveDate::parse_from_str(head, "%Y-%m-%d")) {
            return Some(d);
        }
    }
    if b.len() == 8 && b.iter().all(u8::is_ascii_digit) {
        if let Ok(d) = NaiveDate::parse_from_str(v, "%Y%m%d") {
            return Some(d);
        }
    }
    storyline_nlp::dates::find_dates(v, false).first().map(|m| m.date)
}

struct Window {
    min: NaiveDate,
    max: NaiveDate,
}

impl Window {
    fn accept(&self, d: Option<NaiveDate>) -> Option<NaiveDate> {
        d.filter(|d| *d >= self.min && *d <= self.max)
    }
}

/// Finds the publication date of a parsed page and says where it came from.
pub fn find_page_date(doc: &Html, url: Option<&str>, today: NaiveDate) -> Option<(NaiveDate, DateEvidence)> {
    let window = Window { min: NaiveDate::from_ymd_opt(1995, 1, 1).unwrap(), max: today };
    let url = url.map(str::to_string).or_else(|| canonical_url(doc));
    if let Some(d) = window.accept(url.as_deref().and_then(date_from_url)) {
        return Some((d, DateEvidence::Url));
    }
    if let Some(d) = meta_date(doc, PUBLISHED_META, &window) {
        return Some((local_day(doc, d), DateEvidence::Meta));
    }
    if let Some(d) = json_ld_date(doc, &window) {
        return Some((local_day(doc, d), DateEvidence::JsonLd));
    }
    for el in doc.select(&selectors().itemprop) {
        let value = el.value().attr("content").or(el.value().attr("datetime")).map(str::to_string);
        let value = value.unwrap_or_else(|| el.text().collect());
        if let Some(d) = window.accept(parse_date_value(&value)) {
            return Some((local_day(doc, d), DateEvidence::Meta));
        }
    }
    if let Some(d) = time_element_date(doc, &window) {
        return Some((local_day(doc, d), DateEvidence::TimeElement));
    }
    if let Some(d) = date_element(doc, &window) {
        return Some((d, DateEvidence::DateElement));
    }
    if let Some(d) = meta_date(doc, MODIFIED_META, &window) {
        return Some((d, DateEvidence::Modified));
    }
    if let Some(d) = text_date(doc, &window) {
        return Some((d, DateEvidence::Text));
    }
    markup_date(doc, &window).map(|d| (d, DateEvidence::Markup))
}

/// The publisher's own day of a date read from a UTC timestamp.
///
/// Many CMSs write the publication time in UTC in one place
/// (`2023-11-09T06:35:29+00:00`) and with the newsroom's offset in another
/// (`2023-11-08T22:35:29-08:00`): where the page's structured data (JSON-LD,
/// an app's state) holds the same instant with a non-zero offset, its local
/// day is the day the publisher printed. Only scripts are searched: WCXB's
/// gold keeps the UTC day of the meta tag where a theme's `<time>` element
/// shows the local one, and htmldate's gold the local day of the scripts.
fn local_day(doc: &Html, day: NaiveDate) -> NaiveDate {
    static PATTERN: OnceLock<regex::Regex> = OnceLock::new();
    let pattern = PATTERN.get_or_init(|| {
        regex::Regex::new(
            r"((?:19|20)[0-9]{2}-[01][0-9]-[0-3][0-9])[T ]([0-2][0-9]:[0-5][0-9](?::[0-5][0-9])?)(?:\.[0-9]+)?(Z|[+-][01][0-9]:?[0-5][0-9])",
        )
        .expect("valid pattern")
    });
    let scripts: String = doc.select(&selectors().script).flat_map(|el| el.text()).collect();
    // (instant in UTC, local day, offset in minutes)
    let stamps = |text: &str| -> Vec<(chrono::NaiveDateTime, NaiveDate, i32)> {
        pattern
            .captures_iter(text)
            .filter_map(|c| {
                let date = NaiveDate::parse_from_str(&c[1], "%Y-%m-%d").ok()?;
                let time = chrono::NaiveTime::parse_from_str(&c[2], "%H:%M:%S")
                    .or_else(|_| chrono::NaiveTime::parse_from_str(&c[2], "%H:%M"))
                    .ok()?;
                let zone = c[3].replace(':', "");
                let offset = match zone.as_str() {
                    "Z" => 0,
                    z => {
                        let minutes = z[1..3].parse::<i32>().ok()? * 60 + z[3..5].parse::<i32>().ok()?;
                        if z.starts_with('-') {
                            -minutes
                        } else {
                            minutes
                        }
                    }
                };
                let local = date.and_time(time);
                Some((local - chrono::Duration::minutes(offset.into()), date, offset))
            })
            .collect()
    };
    // The scripts are read first: most pages hold no other local day, and
    // the whole page is serialised only for those that do.
    let local: Vec<(chrono::NaiveDateTime, NaiveDate, i32)> =
        stamps(&scripts).into_iter().filter(|(_, d, offset)| *offset != 0 && *d != day).collect();
    if local.is_empty() {
        return day;
    }
    let utc_instants: Vec<chrono::NaiveDateTime> = stamps(&doc.html())
        .into_iter()
        .filter(|(_, d, offset)| *offset == 0 && *d == day)
        .map(|(at, _, _)| at)
        .collect();
    local.iter().find(|(at, _, _)| utc_instants.contains(at)).map_or(day, |(_, d, _)| *d)
}

/// The full date (year first, day first with stops, or a compact timestamp)
/// written most often anywhere in the page's markup, the latest on a tie:
/// where a page's own links and scripts carry its date
/// ("/2019-12-02-health-workers", `showDate("2020/04/17 01:43")`).
fn markup_date(doc: &Html, window: &Window) -> Option<NaiveDate> {
    static PATTERN: OnceLock<regex::Regex> = OnceLock::new();
    let pattern = PATTERN.get_or_init(|| {
        regex::Regex::new(
            r"(?:^|[^0-9])(?:((?:19|20)[0-9]{2})([-/.])(0[1-9]|1[0-2])([-/.])(0[1-9]|[12][0-9]|3[01])|(0[1-9]|[12][0-9]|3[01])\.(0[1-9]|1[0-2])\.((?:19|20)[0-9]{2})|((?:19|20)[0-9]{2})(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])[0-2][0-9][0-5][0-9][0-5][0-9][0-9]{0,3})(?:[^0-9]|$)",
        )
        .expect("valid pattern")
    });
    let html = doc.html();
    let mut counts: std::collections::BTreeMap<NaiveDate, usize> = std::collections::BTreeMap::new();
    for c in pattern.captures_iter(&html) {
        let number = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
        let date = match (number(1), c.get(2), c.get(4)) {
            // The same separator twice: "2019-12-02", "2020/04/17".
            (Some(y), Some(a), Some(b)) if a.as_str() == b.as_str() => {
                number(3).zip(number(5)).and_then(|(m, d)| NaiveDate::from_ymd_opt(y as i32, m, d))
            }
            (Some(_), _, _) => None,
            _ => match (number(8), number(7), number(6)) {
                (Some(y), Some(m), Some(d)) => NaiveDate::from_ymd_opt(y as i32, m, d),
                // A compact timestamp, as upload paths name files: "20201007120909561".
                _ => match (number(9), number(10), number(11)) {
                    (Some(y), Some(m), Some(d)) => NaiveDate::from_ymd_opt(y as i32, m, d),
                    _ => None,
                },
            },
        };
        if let Some(d) = window.accept(date) {
            *counts.entry(d).or_default() += 1;
        }
    }
    counts.into_iter().max_by_key(|(d, n)| (*n, *d)).map(|(d, _)| d)
}

fn canonical_url(doc: &Html) -> Option<String> {
    doc.select(&selectors().canonical)
        .find_map(|el| el.value().attr("href").or(el.value().attr("content")).map(str::to_string))
}

/// `datePublished` (else `dateCreated`) of the shallowest JSON-LD object
/// that has one.
fn json_ld_date(doc: &Html, window: &Window) -> Option<NaiveDate> {
    for script in doc.select(&selectors().json_ld) {
        let text: String = script.text().collect();
        let Ok(value) = serde_json::from_str::<serde_json::Value>(text.trim()) else { continue };
        let mut queue = std::collections::VecDeque::from([&value]);
        let mut created = None;
        while let Some(v) = queue.pop_front() {
            match v {
                serde_json::Value::Object(map) => {
                    if let Some(d) = map.get("datePublished").and_then(|d| d.as_str()).and_then(parse_date_value) {
                        if let Some(d) = window.accept(Some(d)) {
                            return Some(d);
                        }
                    }
                    if created.is_none() {
                        created =
                            window.accept(map.get("dateCreated").and_then(|d| d.as_str()).and_then(parse_date_value));
                    }
                    queue.extend(map.values());
                }
                serde_json::Value::Array(items) => queue.extend(items.iter()),
                _ => {}
            }
        }
        if created.is_some() {
            return created;
        }
    }
    None
}

/// The best-ranked meta tag of `names` holding a valid date.
fn meta_date(doc: &Html, names: &[&str], window: &Window) -> Option<NaiveDate> {
    let mut best: Option<(usize, NaiveDate)> = None;
    for meta in doc.select(&selectors().meta) {
        let el = meta.value();
        let key = ["property", "name", "itemprop", "http-equiv"].iter().find_map(|a| el.attr(a));
        let Some(key) = key.map(|k| k.trim().to_ascii_lowercase()) else { continue };
        let Some(rank) = names.iter().position(|n| *n == key) else { continue };
        if best.is_some_and(|(r, _)| r <= rank) {
            continue;
        }
        let value = el.attr("content").or(el.attr("datetime")).unwrap_or("");
        if let Some(d) = window.accept(parse_date_value(value)) {
            best = Some((rank, d));
        }
    }
    best.map(|(_, d)| d)
}

fn mentions_publication(el: &ElementRef<'_>) -> bool {
    let marks = |el: &ElementRef<'_>| {
        let v = el.value();
        v.attr("pubdate").is_some()
            || [v.attr("class"), v.attr("itemprop"), v.attr("id")].iter().flatten().any(|a| {
                let a = a.to_ascii_lowercase();
                a.contains("publi") || a.contains("entry-date") || a.contains("post-date")
            })
    };
    // `<p class="publication">Le <time ...>`: the mark may sit on the parent.
    marks(el) || el.parent().and_then(ElementRef::wrap).is_some_and(|p| marks(&p))
}

/// Whether an element sits inside a reader's comment, which carries its
/// own date, not the page's.
fn in_comment(el: &ElementRef<'_>) -> bool {
    el.ancestors().filter_map(ElementRef::wrap).any(|a| {
        [a.value().attr("class"), a.value().attr("id")]
            .iter()
            .flatten()
            .any(|v| v.to_ascii_lowercase().contains("comment"))
    })
}

/// A `<time>` (or `<abbr>`) date: one marked as the publication first, else
/// the first in the page.
fn time_element_date(doc: &Html, window: &Window) -> Option<NaiveDate> {
    let value = |el: &ElementRef<'_>| {
        let attr = el.value().attr("datetime").or(el.value().attr("title")).map(str::to_string);
        window.accept(attr.and_then(|a| parse_date_value(&a)).or_else(|| {
            let text: String = el.text().collect();
            (text.len() < 100).then(|| parse_date_value(&text)).flatten()
        }))
    };
    let elements: Vec<ElementRef<'_>> = doc.select(&selectors().time).filter(|el| !in_comment(el)).collect();
    elements
        .iter()
        .filter(|el| mentions_publication(el))
        .find_map(value)
        .or_else(|| elements.iter().filter(|el| el.value().name() == "time").find_map(value))
}

/// The first short element whose class or id names a date and whose text
/// holds one.
fn date_element(doc: &Html, window: &Window) -> Option<NaiveDate> {
    for el in doc.select(&selectors().classed) {
        let v = el.value();
        let names = format!("{} {}", v.attr("class").unwrap_or(""), v.attr("id").unwrap_or("")).to_ascii_lowercase();
        if !DATE_CLASS_HINTS.iter().any(|h| names.contains(h))
            || names.contains("update")
            || names.contains("comment")
            || in_comment(&el)
        {
            continue;
        }
        let mut text = String::new();
        for piece in el.text() {
            text.push_str(piece);
            if text.len() > 200 {
                break;
            }
        }
        if text.len() > 200 {
            continue;
        }
        if let Some(d) = window.accept(parse_date_value(&text)) {
            return Some(d);
        }
    }
    None
}

/// The first plausible date written in the page body.
fn text_date(doc: &Html, window: &Window) -> Option<NaiveDate> {
    let body = doc.select(&selectors().body).next()?;
    let mut text = String::new();
    collect_text(body, &mut text);
    let mut dates: Vec<(usize, usize, NaiveDate)> = storyline_nlp::dates::find_dates(&text, false)
        .into_iter()
        .filter_map(|m| window.accept(Some(m.date)).map(|d| (m.start, m.end, d)))
        .collect();
    // "30.10.23": a day, a month and a two-digit year, as German and Swiss
    // pages write under a headline (read here only: in running text such
    // numbers are too often something else).
    static SHORT_YEAR: OnceLock<regex::Regex> = OnceLock::new();
    let short_year = SHORT_YEAR.get_or_init(|| {
        regex::Regex::new(r"(?:^|[^0-9.])([0-3]?[0-9])\.([01]?[0-9])\.([0-9]{2})(?:[^0-9.]|$)").unwrap()
    });
    dates.extend(short_year.captures_iter(&text).filter_map(|c| {
        let year = 2000 + c[3].parse::<i32>().ok()?;
        let date = NaiveDate::from_ymd_opt(year, c[2].parse().ok()?, c[1].parse().ok()?);
        let (at, end) = (c.get(1)?.start(), c.get(3)?.end());
        window.accept(date).map(|d| (at, end, d))
    }));
    dates.sort_by_key(|(at, _, _)| *at);
    // "Veröffentlicht am ...", "Last updated: ...": a date after a cue is the
    // page's own; else the first date of the text that is no bound of a period.
    // "August 16, 2019 - Updated July 9, 2025": a date right before the cued
    // one is the first publication.
    if let Some(i) = dates.iter().position(|(at, _, _)| after_date_cue(&text, *at)) {
        let right_before = i > 0 && dates[i].0 >= dates[i - 1].1 && dates[i].0 - dates[i - 1].1 <= 24;
        return Some(dates[if right_before { i - 1 } else { i }].2);
    }
    let joined = |a: usize, b: usize| {
        let (a, b) = (dates[a], dates[b]);
        b.0 >= a.1 && b.0 - a.1 <= 12 && joins_period(&text[a.1..b.0])
    };
    // "vom 24. April bis 2. Oktober 2017": the period's start may be no full date.
    let closes = |i: usize| {
        let window = text_before(&text, dates[i].0, 8);
        let before = window.trim_end();
        let last = before.rsplit(|c: char| c.is_whitespace()).next().unwrap_or("");
        before.len() < window.len() && joins_period(last)
    };
    let free = (0..dates.len())
        .find(|&i| !(i > 0 && joined(i - 1, i) || i + 1 < dates.len() && joined(i, i + 1) || closes(i)));
    free.or((!dates.is_empty()).then_some(0)).map(|i| dates[i].2)
}

/// At most `bytes` bytes of `text` before byte `at` (fewer to start on a
/// character's boundary).
fn text_before(text: &str, at: usize, bytes: usize) -> &str {
    let mut from = at.saturating_sub(bytes);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    &text[from..at]
}

/// The lines of a resource in every language that has it, lowercased:
/// pages mix languages, so their date words are read all together.
fn every_language(name: &str) -> Vec<String> {
    storyline_resources::languages()
        .into_iter()
        .flat_map(|lang| storyline_resources::lines(lang, name))
        .map(|l| l.to_lowercase())
        .collect()
}

/// Whether the text between two dates joins them into a period: a dash or
/// a word of `date_ranges.txt` (any language), nothing else.
fn joins_period(between: &str) -> bool {
    static WORDS: OnceLock<Vec<String>> = OnceLock::new();
    let words = WORDS.get_or_init(|| every_language("date_ranges.txt"));
    let between = between.trim().to_lowercase();
    matches!(between.as_str(), "-" | "–" | "—") || words.contains(&between)
}

/// Whether a word of `date_cues.txt` (any language) ends within the few
/// characters before byte `at` of `text`.
fn after_date_cue(text: &str, at: usize) -> bool {
    static CUES: OnceLock<Vec<String>> = OnceLock::new();
    let cues = CUES.get_or_init(|| every_language("date_cues.txt"));
    let before = text_before(text, at, 24).to_lowercase();
    cues.iter().any(|cue| {
        before.match_indices(cue.as_str()).any(|(i, _)| {
            let open = before[..i].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
            let close = before[i + cue.len()..].chars().next().is_none_or(|c| !c.is_alphanumeric());
            open && close
        })
    })
}

fn collect_text(el: ElementRef<'_>, out: &mut String) {
    for child in el.children() {
        if let Some(text) = child.value().as_text() {
            out.push_str(text);
            out.push(' ');
        } else if let Some(child_el) = ElementRef::wrap(child) {
            if !matches!(child_el.value().name(), "script" | "style" | "noscript" | "template") {
                collect_text(child_el, out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date_of(html: &str, url: Option<&str>) -> Option<(String, DateEvidence)> {
        let today = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
        find_page_date(&Html::parse_document(html), url, today).map(|(d, e)| (d.to_string(), e))
    }

    #[test]
    fn evidence_is_tried_from_most_to_least_reliable() {
        let page = r#"<html><head><meta property="article:modified_time" content="2021-01-02">
            <meta property="article:published_time" content="2020-12-31T23:30:00-05:00"></head>
            <body><p>Posted 3 March 2019</p></body></html>"#;
        assert_eq!(date_of(page, None), Some(("2020-12-31".into(), DateEvidence::Meta)));
        assert_eq!(date_of(page, Some("https://x.org/2020/11/05/a")), Some(("2020-11-05".into(), DateEvidence::Url)));
        let ld = r#"<script type="application/ld+json">{"@graph":[{"@type":"WebPage"},{"@type":"NewsArticle","datePublished":"2019-05-06"}]}</script>"#;
        assert_eq!(date_of(ld, None), Some(("2019-05-06".into(), DateEvidence::JsonLd)));
        let both = format!(r#"<meta property="article:published_time" content="2019-05-09">{ld}"#);
        assert_eq!(date_of(&both, None), Some(("2019-05-09".into(), DateEvidence::Meta)));
    }

    #[test]
    fn visible_dates_in_date_elements_and_text() {
        let page = r#"<body><h1>Titel</h1><p class="date-author">Janic Muster, 01.12.2021</p><p>Text vom 3. März 2020.</p></body>"#;
        assert_eq!(date_of(page, None), Some(("2021-12-01".into(), DateEvidence::DateElement)));
        let text_only = r#"<body><h1>Titre</h1><p>Publié le 3 mars 2020, ce texte...</p></body>"#;
        assert_eq!(date_of(text_only, None), Some(("2020-03-03".into(), DateEvidence::Text)));
        let time = r#"<body><time datetime="2018-07-01T10:00">1 July</time></body>"#;
        assert_eq!(date_of(time, None), Some(("2018-07-01".into(), DateEvidence::TimeElement)));
        let commented = r#"<body><p>Publié le 3 mars 2020.</p><ol class="comment-list"><li><time datetime="2020-04-09">9 avril</time></li></ol></body>"#;
        assert_eq!(
            date_of(commented, None),
            Some(("2020-03-03".into(), DateEvidence::Text)),
            "a comment's date is not the page's"
        );
        let short_year = r#"<body><p>Party, 30.10.23</p><p>Version 1.2.3, am 12.10.2023 erschienen.</p></body>"#;
        assert_eq!(date_of(short_year, None), Some(("2023-10-30".into(), DateEvidence::Text)));
        let cued = r#"<body><p>Der Tunnel wird vom 24. April bis 2. Oktober 2017 gesperrt.</p><p>Termin: 5. Mai 2017.</p>
            <p>Aktualisiert: 30.12.2016</p></body>"#;
        assert_eq!(date_of(cued, None), Some(("2016-12-30".into(), DateEvidence::Text)), "a cued date first");
        let period = r#"<body><p>Der Tunnel wird vom 24. April bis 2. Oktober 2017 gesperrt.</p><p>Termin: 5. Mai 2017.</p></body>"#;
        assert_eq!(date_of(period, None), Some(("2017-05-05".into(), DateEvidence::Text)), "a period's bounds last");
        let updated = r#"<body><p>Sweat August 16, 2019 - Updated July 9, 2025</p></body>"#;
        assert_eq!(date_of(updated, None), Some(("2019-08-16".into(), DateEvidence::Text)), "published, then updated");
        let marked_parent = r#"<body><p class="publication">Le <time datetime="2019-06-28">28 juin</time></p>
            <ul class="related"><li><time pubdate datetime="2019-09-22">22 septembre</time></li></ul></body>"#;
        assert_eq!(date_of(marked_parent, None), Some(("2019-06-28".into(), DateEvidence::TimeElement)));
    }

    #[test]
    fn the_markup_date_written_most_often_is_the_last_resort() {
        let page = r#"<html><body><p>No date in the text.</p>
            <a href="/en/2019-12-02-health-workers">A</a> <a href="/en/2019-12-02-health-workers#c">B</a>
            <a href="/en/2018-03-27-in-china">C</a><script>show("2019/12/02 01:43")</script></body></html>"#;
        assert_eq!(date_of(page, None), Some(("2019-12-02".into(), DateEvidence::Markup)));
        // Mixed separators are no date; future dates are refused.
        let page = r#"<html><body><a href="/x/2019-12/02">A</a><a href="/2031-01-01">B</a></body></html>"#;
        assert_eq!(date_of(page, None), None);
        let compact = r#"<html><body><img src="/images/large/20201007120909561.jpg"></body></html>"#;
        assert_eq!(date_of(compact, None), Some(("2020-10-07".into(), DateEvidence::Markup)), "a compact timestamp");
    }

    #[test]
    fn a_utc_timestamp_takes_the_local_day_of_the_same_instant_in_scripts() {
        let utc = r#"<meta property="article:published_time" content="2023-11-09T06:35:29+00:00">"#;
        let local = r#"<script>{"publicationDate":"2023-11-08T22:35:29-08:00"}</script>"#;
        assert_eq!(date_of(&format!("{utc}{local}"), None), Some(("2023-11-08".into(), DateEvidence::Meta)));
        let other_instant = r#"<script>{"uploadDate":"2023-11-08T21:00:00-08:00"}</script>"#;
        assert_eq!(date_of(&format!("{utc}{other_instant}"), None), Some(("2023-11-09".into(), DateEvidence::Meta)));
        let shown_in_time_element = r#"<time datetime="2023-11-08T22:35:29-08:00">Nov 8</time>"#;
        assert_eq!(
            date_of(&format!("{utc}{shown_in_time_element}"), None),
            Some(("2023-11-09".into(), DateEvidence::Meta)),
            "only structured data is searched for the local day"
        );
    }

    #[test]
    fn month_names_of_languages_without_hand_kept_tables() {
        let page = r#"<body><h1>Заголовок</h1><p class="date">15 августа 2016, 13:43</p></body>"#;
        assert_eq!(date_of(page, None), Some(("2016-08-15".into(), DateEvidence::DateElement)));
    }

    #[test]
    fn future_and_ancient_dates_are_refused() {
        let page = r#"<head><meta name="date" content="2031-01-01"></head><body><p>Le 4 mai 1990.</p></body>"#;
        assert_eq!(date_of(page, None), None);
    }
}
