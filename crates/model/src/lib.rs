//! Plain data types shared by every storyline stage.
//!
//! These types carry no behaviour beyond small helpers; each stage crate
//! (sources, extract, nlp, store) consumes and produces them. Their JSON form
//! is the export contract documented in `docs/json-schema.md`.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// What kind of content a raw document holds, decided from its name or origin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ContentKind {
    /// An HTML page.
    Html,
    /// Already-scraped plain text.
    Text,
}

/// One document as read from a source, before extraction.
///
/// `bytes` are the raw (decompressed) bytes; decoding to text happens in
/// `storyline-extract`, which knows about charsets.
#[derive(Debug, Clone)]
pub struct RawDocument {
    /// Where it came from: a path, `path#record` for WARC/JSONL members, or `-`.
    pub source: String,
    /// The identifier given by the producer (JSONL `id`), if any.
    pub external_id: Option<String>,
    /// HTML or plain text.
    pub kind: ContentKind,
    /// Raw body bytes.
    pub bytes: Vec<u8>,
    /// Metadata supplied alongside the content (JSONL fields, WARC headers).
    pub hints: SourceHints,
}

/// Metadata that came with a document rather than from its content.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceHints {
    /// Page URL (JSONL `url`, WARC `WARC-Target-URI`).
    pub url: Option<String>,
    /// Title given by the producer.
    pub title: Option<String>,
    /// Publication date given by the producer.
    pub published: Option<NaiveDate>,
    /// Language code given by the producer.
    pub lang: Option<String>,
    /// Charset announced by a transport header (HTTP `Content-Type`).
    pub charset: Option<String>,
}

/// Where an article's publication date came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PublishedSource {
    /// Page or producer metadata (`<meta>`, JSON-LD, `<time>`, URL, JSONL field).
    Metadata,
    /// A visible date line in the text (dateline, "Publié le ...").
    Text,
    /// Inferred from the dates the text mentions.
    Estimated,
}

impl PublishedSource {
    /// The lowercase name used in the store and the JSON export.
    pub fn as_str(self) -> &'static str {
        match self {
            PublishedSource::Metadata => "metadata",
            PublishedSource::Text => "text",
            PublishedSource::Estimated => "estimated",
        }
    }

    /// Parses the lowercase name; unknown names give `None`.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "metadata" => Some(PublishedSource::Metadata),
            "text" => Some(PublishedSource::Text),
            "estimated" => Some(PublishedSource::Estimated),
            _ => None,
        }
    }
}

/// The result of extracting one page: what `storyline extract` prints.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Extraction {
    /// Headline.
    pub title: Option<String>,
    /// Byline author(s), as written.
    pub author: Option<String>,
    /// Publication date.
    pub published: Option<NaiveDate>,
    /// Where `published` came from.
    pub published_source: Option<PublishedSource>,
    /// `[earliest, latest]` when `published` is estimated.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub published_range: Option<[Option<NaiveDate>; 2]>,
    /// When no date was found: the latest day the text reports in the past
    /// tense without its year ("MM-DD", e.g. "11-02" for "le 2 novembre").
    /// An undated article borrows its story's dates but is never dated
    /// before this day (placed in the year nearest the story's start).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub reported_day: Option<String>,
    /// Site or outlet name.
    pub site_name: Option<String>,
    /// Canonical or given URL.
    pub url: Option<String>,
    /// ISO 639-1 language code.
    pub lang: Option<String>,
    /// Clean body text, paragraphs separated by blank lines.
    pub text: String,
    /// Lines removed as boilerplate (plain-text input only), for auditing.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub removed_lines: Vec<String>,
}

/// An article as stored: an extraction plus identity and provenance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// Store identifier, stable for the same content.
    pub id: String,
    /// Path or URL it was read from.
    pub source: String,
    /// The producer's identifier (JSONL `id`), else null.
    pub external_id: Option<String>,
    /// Headline.
    pub title: Option<String>,
    /// ISO 639-1 language code.
    pub lang: Option<String>,
    /// Publication date (YYYY-MM-DD).
    pub published: Option<NaiveDate>,
    /// Where `published` came from.
    pub published_source: Option<PublishedSource>,
    /// `[earliest, latest]` when the date is estimated, else null.
    pub published_range: Option<[Option<NaiveDate>; 2]>,
    /// Byline author(s).
    pub author: Option<String>,
    /// Site or outlet name.
    pub site_name: Option<String>,
    /// Page URL when known.
    pub url: Option<String>,
    /// Clean body text.
    pub text: String,
    /// Story this article belongs to (filled by clustering).
    pub story: Option<String>,
    /// Article this one is a near-copy of.
    pub duplicate_of: Option<String>,
}

/// A story: one real-world event and the articles that report it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Story {
    /// Stable story identifier.
    pub id: String,
    /// The most central headline.
    pub title: Option<String>,
    /// Member article ids.
    pub articles: Vec<String>,
    /// Earliest date of the story.
    pub start: Option<NaiveDate>,
    /// Latest date of the story.
    pub end: Option<NaiveDate>,
}

/// The type of a named entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum EntityType {
    /// A person.
    #[serde(rename = "PER")]
    Per,
    /// A place.
    #[serde(rename = "LOC")]
    Loc,
    /// An organisation.
    #[serde(rename = "ORG")]
    Org,
    /// Anything else with a name (events, works, products).
    #[serde(rename = "MISC")]
    Misc,
}

impl EntityType {
    /// The short name used in exports: PER, LOC, ORG, MISC.
    pub fn as_str(&self) -> &'static str {
        match self {
            EntityType::Per => "PER",
            EntityType::Loc => "LOC",
            EntityType::Org => "ORG",
            EntityType::Misc => "MISC",
        }
    }

    /// Parses PER, LOC, ORG or MISC.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "PER" => Some(EntityType::Per),
            "LOC" => Some(EntityType::Loc),
            "ORG" => Some(EntityType::Org),
            "MISC" => Some(EntityType::Misc),
            _ => None,
        }
    }
}

/// The `role` of a mention that names a sports team by its country or city
/// ("Germany beat Argentina"): linking keeps it apart from the place.
pub const TEAM_ROLE: &str = "team";

/// One mention of a named entity in an article's text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mention {
    /// First character (inclusive), in Unicode characters of the article text.
    pub start: usize,
    /// Last character (exclusive).
    pub end: usize,
    /// The mention as written, elided article removed.
    pub text: String,
    /// Its type.
    #[serde(rename = "type")]
    pub kind: EntityType,
    /// The title or role written beside a person ("Premier ministre arménien").
    pub role: Option<String>,
    /// The ISO 3166-1 code of the country the role implies ("AM").
    pub role_country: Option<String>,
}

/// The mentions that lie inside no other one, in text order: the names a
/// reader sees ("US State Department"), without the names nested in them
/// (its "US"), which matter for linking but not for who speaks or acts.
pub fn outermost_mentions(mentions: &[Mention]) -> Vec<Mention> {
    let mut sorted: Vec<&Mention> = mentions.iter().collect();
    sorted.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
    let mut out: Vec<Mention> = Vec::with_capacity(sorted.len());
    let mut reach = 0;
    for m in sorted {
        // Sorted by start, longest first: a mention ending within the
        // furthest end seen so far sits inside the one that reached it.
        if m.end <= reach {
            continue;
        }
        reach = reach.max(m.end);
        out.push(m.clone());
    }
    out
}

/// A canonical entity: every mention of one person, place or organisation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    /// Stable identifier.
    pub id: String,
    /// The canonical name: the most informative form, English where a
    /// gazetteer gives one.
    pub name: String,
    /// Its type.
    #[serde(rename = "type")]
    pub kind: EntityType,
    /// Every other spelling seen.
    pub aliases: Vec<String>,
    /// Roles seen beside it, most frequent first.
    pub roles: Vec<String>,
}

/// How a statement is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QuoteKind {
    /// The speaker's words inside quote marks.
    Direct,
    /// Reported speech: "X said that ...", "selon X, ...".
    Indirect,
    /// Reported speech holding a quoted fragment.
    Mixed,
}

impl QuoteKind {
    /// The lowercase name used in exports and the store.
    pub fn as_str(&self) -> &'static str {
        match self {
            QuoteKind::Direct => "direct",
            QuoteKind::Indirect => "indirect",
            QuoteKind::Mixed => "mixed",
        }
    }

    /// Parses `direct`, `indirect` or `mixed`.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "direct" => Some(QuoteKind::Direct),
            "indirect" => Some(QuoteKind::Indirect),
            "mixed" => Some(QuoteKind::Mixed),
            _ => None,
        }
    }
}

/// One attribution in an article: who said (or thought, asked, denied) what.
/// Spans are in Unicode characters of the article's clean text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quote {
    /// Direct, indirect or mixed.
    pub kind: QuoteKind,
    /// Start of the content as written (quote marks and "que"/"that" included).
    pub start: usize,
    /// End of the content (exclusive).
    pub end: usize,
    /// The content, without its quote marks or complementizer.
    pub text: String,
    /// The verb or marker that attributes it ("a déclaré", "according to"),
    /// empty for a quote that continues the previous speaker's.
    pub cue: String,
    /// The cue's span, when there is a cue.
    pub cue_span: Option<[usize; 2]>,
    /// What the cue's class is: say, think, deny, ask, or marker.
    pub cue_class: String,
    /// The speaker as written ("le porte-parole du Kremlin, Dmitri Peskov", "il").
    pub speaker_text: Option<String>,
    /// The span of `speaker_text`.
    pub speaker_span: Option<[usize; 2]>,
    /// The entity mention the speaker resolves to (its span): the name in the
    /// speaker's phrase, or the person a pronoun or a role stands for.
    pub speaker_mention: Option<[usize; 2]>,
    /// The cue is negated ("n'a pas dit", "did not say").
    pub negated: bool,
    /// The statement denies: a denial verb ("a démenti") or a negative content
    /// ("n'a pas l'intention d'attaquer").
    pub denial: bool,
    /// The day the statement was made, when the sentence says ("a déclaré lundi").
    pub date: Option<NaiveDate>,
}

/// One side of an event: the actor as written, its span, and what the
/// coder inferred about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventActor {
    /// The actor's phrase as written ("le ministre turc des Affaires étrangères").
    pub text: String,
    /// Its span, in Unicode characters of the article text.
    pub span: [usize; 2],
    /// The entity mention it resolves to (its span): the name inside the
    /// phrase, or the person a pronoun stands for.
    pub mention: Option<[usize; 2]>,
    /// The ISO 3166-1 code of the country the actor belongs to, from its
    /// role, a demonym or a country name in the phrase.
    pub country: Option<String>,
    /// Its sector (PLOVER/CAMEO codes: GOV, MIL, COP, JUD, ...), from a role
    /// or an actor noun.
    pub sector: Option<String>,
}

/// How a sentence presents an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EventMode {
    /// Stated as having happened or happening.
    Asserted,
    /// Negated ("did not attack").
    Negated,
    /// Denied by someone ("denied attacking", "a démenti").
    Denied,
    /// Intended or announced, not yet done ("plans to", "va").
    Intended,
    /// Under a condition ("if the fighting spreads").
    Conditional,
    /// Possible only ("could", "pourrait").
    Hypothetical,
    /// Reported by someone, inside an attribution.
    Reported,
}

impl EventMode {
    /// The lowercase name used in exports and the store.
    pub fn as_str(&self) -> &'static str {
        match self {
            EventMode::Asserted => "asserted",
            EventMode::Negated => "negated",
            EventMode::Denied => "denied",
            EventMode::Intended => "intended",
            EventMode::Conditional => "conditional",
            EventMode::Hypothetical => "hypothetical",
            EventMode::Reported => "reported",
        }
    }
}

/// One coded event in an article: who did what to whom, read from one
/// sentence. Spans are in Unicode characters of the article's clean text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// The PLOVER root type (AGREE, SUPPORT, ..., ASSAULT).
    #[serde(rename = "type")]
    pub kind: String,
    /// Its class: verbal or material, cooperation or conflict.
    pub class: String,
    /// The word or words that code it ("a appelé", "imposed sanctions").
    pub trigger: String,
    /// The trigger's span.
    pub trigger_span: [usize; 2],
    /// Who acts.
    pub source: EventActor,
    /// Who is acted upon.
    pub target: EventActor,
    /// How the sentence presents it.
    pub mode: EventMode,
    /// The attribution (its index among the article's quotes) whose content
    /// holds the event, when someone reports it.
    pub attribution: Option<usize>,
    /// The day it happened or was said, when known.
    pub date: Option<NaiveDate>,
    /// Where `date` comes from: "sentence" (a time expression) or "article"
    /// (the publication date).
    pub date_source: Option<String>,
    /// A place named in the sentence as where it happened.
    pub location: Option<EventActor>,
    /// The evidence: the sentence's span.
    pub start: usize,
    /// End of the evidence (exclusive).
    pub end: usize,
}

/// A number an article gives for a quantity: the dead, the wounded, the
/// displaced. Spans are in Unicode characters of the article's clean text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    /// What is counted ("dead", "wounded", "displaced", ...), from
    /// `resources/<lang>/quantities.tsv`.
    pub quantity: String,
    /// The value, whatever the number format ("1 250", "1.250", "1,250").
    pub value: u64,
    /// How the value is qualified: "exact", "more_than", "at_least", "about".
    pub qualifier: String,
    /// The period the count belongs to when the sentence names one (a year,
    /// or a decade such as "1990s"); None for the events being reported.
    pub period: Option<String>,
    /// The figure as written ("plus de 1 250 morts").
    pub text: String,
    /// Start of the figure.
    pub start: usize,
    /// End (exclusive).
    pub end: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outermost_mentions_drop_the_names_nested_in_others() {
        let m = |start: usize, end: usize| Mention {
            start,
            end,
            text: String::new(),
            kind: EntityType::Org,
            role: None,
            role_country: None,
        };
        // "US" inside "US State Department", "Germany" at the end of a name,
        // an overlap that is no nesting, and a name after them.
        let found = [m(4, 23), m(4, 6), m(30, 45), m(39, 45), m(44, 50), m(60, 62)];
        let spans: Vec<(usize, usize)> = outermost_mentions(&found).iter().map(|m| (m.start, m.end)).collect();
        assert_eq!(spans, [(4, 23), (30, 45), (44, 50), (60, 62)]);
    }
}
