//! Cleaning of already-scraped plain text.
//!
//! Scraped text arrives with page furniture printed between the paragraphs:
//! skip links, "Publicité", reading times, photo captions printed twice,
//! account and newsletter prompts, "Lire aussi" teasers, a lede printed
//! twice. HTML extractors never see this case. We classify each line by
//! general signals only:
//!
//! - how much of the line is web-UI vocabulary (`ui_boilerplate.txt`),
//! - its form: length, final punctuation, stop-word density, letters at all,
//!   glued widget words ("NewsletterRecevez"), CMS identifiers ("arton123"),
//! - photo credits (© or `AGENCY / Name`),
//! - repetition inside the document (a line printed again, a caption that
//!   is a prefix of its credited copy, a truncated copy ending in "...") and
//!   across documents of the same batch (short lines every page of a site
//!   carries),
//!
//! then keep the main block: the stretch of lines with the highest sum of
//! weights (paragraphs count for, furniture against), as in Finn et al.'s
//! Body Text Extraction. Inside the block, furniture is still dropped and
//! short lines (intertitles) are kept. The title, a byline and a visible
//! date line are recovered from the lines around.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use regex::Regex;

use crate::lexicon::{fold, token_slices, tokens, Lexicon};

/// Why a line was removed, or how it was kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineRole {
    /// The headline.
    Title,
    /// A body paragraph.
    Paragraph,
    /// A short line inside the body (an intertitle), kept.
    Heading,
    /// Mostly web-UI vocabulary.
    Interface,
    /// A teaser: "Lire aussi : ...", or the link after a teaser heading.
    Teaser,
    /// A photo caption or credit.
    Caption,
    /// A line printed again (or a truncated or prefix copy of another).
    Repeated,
    /// A short line found in other documents of the same batch.
    SiteFurniture,
    /// No letters, a CMS identifier or a glued widget label.
    Debris,
    /// A byline, recovered as the author.
    Byline,
    /// A visible date line, recovered as the publication date.
    DateLine,
    /// A copyright or reprint notice.
    Copyright,
    /// Outside the main block of text (header or footer zone).
    OutsideBody,
}

impl LineRole {
    /// True for lines that stay in the clean text.
    pub fn is_kept(self) -> bool {
        matches!(self, LineRole::Paragraph | LineRole::Heading)
    }

    /// A short lowercase name, for reports.
    pub fn name(self) -> &'static str {
        match self {
            LineRole::Title => "title",
            LineRole::Paragraph => "paragraph",
            LineRole::Heading => "heading",
            LineRole::Interface => "interface",
            LineRole::Teaser => "teaser",
            LineRole::Caption => "caption",
            LineRole::Repeated => "repeated",
            LineRole::SiteFurniture => "site-furniture",
            LineRole::Debris => "debris",
            LineRole::Byline => "byline",
            LineRole::DateLine => "date-line",
            LineRole::Copyright => "copyright",
            LineRole::OutsideBody => "outside-body",
        }
    }
}

/// One non-blank input line and what the cleaner decided.
#[derive(Debug, Clone, PartialEq)]
pub struct LineDecision {
    /// The line as written (trimmed).
    pub text: String,
    /// The decision.
    pub role: LineRole,
    /// True when the decision rests on a weak signal and deserves a look.
    pub doubtful: bool,
}

/// The result of cleaning one text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CleanText {
    /// Recovered headline.
    pub title: Option<String>,
    /// Recovered byline author.
    pub author: Option<String>,
    /// Date of a visible date line.
    pub date: Option<NaiveDate>,
    /// Clean body: kept lines separated by blank lines.
    pub text: String,
    /// Every non-blank line with its decision, in order.
    pub lines: Vec<LineDecision>,
}

/// Counts, for a batch of documents, in how many documents each short line
/// appears: lines that every page of a site carries are furniture.
#[derive(Debug, Default, Clone)]
pub struct BatchLines {
    documents: HashMap<String, u32>,
}

impl BatchLines {
    /// Builds the counts from the raw texts of a batch.
    pub fn from_texts<'a>(texts: impl IntoIterator<Item = &'a str>) -> Self {
        let mut documents: HashMap<String, u32> = HashMap::new();
        for text in texts {
            let unique: HashSet<String> = text.lines().filter_map(short_line_key).collect();
            for key in unique {
                *documents.entry(key).or_default() += 1;
            }
        }
        BatchLines { documents }
    }

    /// In how many documents of the batch this line appears.
    pub fn count(&self, line: &str) -> u32 {
        short_line_key(line).and_then(|k| self.documents.get(&k).copied()).unwrap_or(0)
    }
}

/// Only short lines without final punctuation take part in cross-document
/// repetition: long or sentence-like lines shared by two documents are wire
/// copy, which is body.
fn short_line_key(line: &str) -> Option<String> {
    let line = line.trim();
    let words = line.split_whitespace().count();
    (words > 0 && words <= 8 && !ends_sentence(line)).then(|| fold(line))
}

fn ends_sentence(line: &str) -> bool {
    line.trim_end().ends_with(['.', '!', '?', '»', '"', '”', '…', ')', ';'])
}

/// Line features computed once.
struct Features {
    words: usize,
    letters: usize,
    ui_coverage: f32,
    stopword_ratio: f32,
    sentence_end: bool,
    ends_with_period: bool,
    /// Content-word stems (4+ letters, not stop words).
    content: Vec<String>,
    /// Share of the content words found in other candidate lines, 0..1.
    coherence: f32,
}

/// What [`TextCleaner::classify`] finds, line by line.
struct Classified {
    folded: Vec<String>,
    features: Vec<Features>,
    roles: Vec<Option<LineRole>>,
    doubtful: Vec<bool>,
    author: Option<String>,
    date: Option<NaiveDate>,
}

/// The non-blank lines of a text, trimmed.
fn non_blank_lines(raw: &str) -> Vec<&str> {
    raw.lines().map(|l| l.trim_matches(|c: char| c.is_whitespace())).filter(|l| !l.is_empty()).collect()
}

/// A crude language-neutral stem: the first five characters. Enough to
/// tell whether a line talks about the same things as the rest.
fn stem(word: &str) -> String {
    word.chars().take(5).collect()
}

/// The plain-text cleaner, holding the language resources it uses.
pub struct TextCleaner {
    lexicons: HashMap<String, Lexicon>,
    merged: Lexicon,
    credit: Regex,
    copyright: Regex,
    copyright_sign: Regex,
    identifier: Regex,
}

impl Default for TextCleaner {
    fn default() -> Self {
        Self::new()
    }
}

impl TextCleaner {
    /// Loads the resources of every language that has them.
    pub fn new() -> Self {
        let langs = storyline_resources::languages();
        let lexicons: HashMap<String, Lexicon> = langs.iter().map(|l| (l.to_string(), Lexicon::load(&[l]))).collect();
        TextCleaner {
            merged: Lexicon::load(&langs),
            lexicons,
            // A credit is an agency or photographer after © or in "AGENCY / Name" form.
            credit: Regex::new(r"©|\(c\)\s*\p{Lu}|\b\p{Lu}{2,}\s*/\s*\p{Lu}").unwrap(),
            copyright: Regex::new(
                r"(?i)\bcopyright\b|©\s*\d{4}|\(c\)\s*\d{4}|all rights reserved|tous droits réservés",
            )
            .unwrap(),
            // What a notice has and a sentence about copyright has not.
            copyright_sign: Regex::new(
                r"(?i)©|\(c\)\s*\d{4}|\bcopyright\s*(?:©|\d{4})|all rights reserved|tous droits réservés",
            )
            .unwrap(),
            // A lone token mixing letters and digits: a CMS identifier.
            identifier: Regex::new(r"^[\p{L}_-]*\p{L}[\p{L}_-]*\d+[\p{L}\d_-]*$").unwrap(),
        }
    }

    /// Whether a line naming copyright is a notice ("© 2024 Le Monde",
    /// "Copyright 2013 ...", "All rights reserved") rather than a sentence of
    /// an article about copyright: a notice is short or carries the sign.
    fn is_notice(&self, line: &str, f: &Features) -> bool {
        f.words <= NOTICE_MAX_WORDS || !is_paragraph(f) || self.copyright_sign.is_match(line)
    }

    /// An author field without its byline labels and date line
    /// ([`crate::author::tidy_author`]), with the words of every language,
    /// as sites mix them.
    pub fn tidy_author(&self, raw: &str) -> Option<String> {
        crate::author::tidy_author(raw, &self.merged)
    }

    fn lexicon(&self, lang: Option<&str>) -> &Lexicon {
        lang.and_then(|l| self.lexicons.get(l)).unwrap_or(&self.merged)
    }

    /// The roles every line gets by its own words and form and by its
    /// neighbours, before the main block is chosen. `stems` fills the
    /// content words that only the main-block choice needs.
    fn classify(&self, lines: &[&str], lang: Option<&str>, batch: &BatchLines, stems: bool) -> Classified {
        // Stop words follow the language; interface words, teaser headings and
        // byline openers come from every language, since sites mix them
        // ("Author:" on a French page).
        let stop_lexicon = self.lexicon(lang);
        let lexicon = &self.merged;
        let folded: Vec<String> = lines.iter().map(|l| fold(l)).collect();
        let features: Vec<Features> =
            lines.iter().zip(&folded).map(|(l, f)| self.features(l, f, stop_lexicon, lexicon, stems)).collect();
        let mut roles: Vec<Option<LineRole>> = vec![None; lines.len()];
        let mut doubtful = vec![false; lines.len()];
        let mut author = None;
        let mut date = None;

        for i in 0..lines.len() {
            let (line, f) = (lines[i], &features[i]);
            // The cheap tests first: an identifier is one token, a credit needs "©", "(c)" or "/".
            let identifier = !line.contains(char::is_whitespace) && self.identifier.is_match(line);
            let credit = (line.contains(['©', '/']) || line.contains("(c)")) && self.credit.is_match(line);
            let role = if f.letters == 0 || identifier || glued_widget(line, lexicon) {
                Some(LineRole::Debris)
            } else if is_repeat(i, &folded) {
                Some(LineRole::Repeated)
            } else if self.copyright.is_match(line) && f.words <= 60 && self.is_notice(line, f) {
                Some(LineRole::Copyright)
            } else if credit && f.words <= 80 {
                Some(LineRole::Caption)
            } else if let Some(name) = byline(line, f, lexicon) {
                author.get_or_insert(name);
                Some(LineRole::Byline)
            } else if let Some(found) = (f.words <= 12 && !is_paragraph(f))
                .then(|| storyline_nlp::dates::find_dates(line, lang == Some("en")).into_iter().next())
                .flatten()
            {
                date.get_or_insert(found.date);
                Some(LineRole::DateLine)
            } else if f.words <= 15 && f.ui_coverage >= 0.5 {
                doubtful[i] = f.ui_coverage < 0.75 && f.words > 3;
                Some(LineRole::Interface)
            } else if !is_long_paragraph(f) && lexicon.starts_with_ui_label(&folded[i]) {
                Some(LineRole::Teaser)
            } else if f.words <= 12 && !is_paragraph(f) && batch.count(line) >= 2 {
                Some(LineRole::SiteFurniture)
            } else {
                None
            };
            roles[i] = role;
        }
        // A caption printed without its credit just before the credited copy.
        for i in 0..lines.len().saturating_sub(1) {
            if matches!(roles[i], None | Some(LineRole::Repeated))
                && roles[i + 1] == Some(LineRole::Caption)
                && folded[i + 1].starts_with(&folded[i])
            {
                roles[i] = Some(LineRole::Caption);
            }
        }
        // The line right after a teaser heading is the teaser link, unless it
        // reads as a paragraph.
        for i in 1..lines.len() {
            if roles[i].is_none() && !is_paragraph(&features[i]) && lexicon.is_teaser_heading(&folded[i - 1]) {
                roles[i] = Some(LineRole::Teaser);
            }
        }
        Classified { folded, features, roles, doubtful, author, date }
    }

    /// Cleans one document. `lang` selects the resources (all languages'
    /// when unknown); `batch` gives cross-document line counts (use
    /// `BatchLines::default()` for a lone document).
    pub fn clean(&self, raw: &str, lang: Option<&str>, batch: &BatchLines) -> CleanText {
        let lines = non_blank_lines(raw);
        let Classified { folded, mut features, roles, mut doubtful, author, date } =
            self.classify(&lines, lang, batch, true);
        coherence(&roles, &mut features);
        let (start, end) = main_block(&roles, &features);
        let title_index = find_title(&roles, &features, start);
        let mut decisions = Vec::with_capacity(lines.len());
        let mut kept = Vec::new();
        let title = title_index.map(|t| lines[t].to_string());
        for i in 0..lines.len() {
            let role = if Some(i) == title_index {
                LineRole::Title
            } else if title.as_deref().is_some_and(|t| fold(t) == folded[i]) {
                LineRole::Repeated
            } else if let Some(role) = roles[i] {
                role
            } else if i < start || i > end {
                // Paragraph-like lines outside the block are the doubtful cases.
                doubtful[i] = is_paragraph(&features[i]);
                LineRole::OutsideBody
            } else if is_paragraph(&features[i]) {
                LineRole::Paragraph
            } else {
                doubtful[i] = features[i].words > 12;
                LineRole::Heading
            };
            if role.is_kept() {
                kept.push(lines[i]);
            }
            decisions.push(LineDecision { text: lines[i].to_string(), role, doubtful: doubtful[i] });
        }
        CleanText { title, author, date, text: kept.join("\n\n"), lines: decisions }
    }

    /// Cleans the paragraphs an HTML extractor kept. The extractor already
    /// chose the body, so only lines that are furniture by their own words
    /// or form go (interface phrases, labelled teasers, widget debris,
    /// copyright notices); captions, repeats and bylines stay, which measured
    /// better on both extraction suites.
    pub fn polish(&self, text: &str, lang: Option<&str>) -> CleanText {
        // The roles by words and form are all it needs: the main block, the
        // title and its repeats never turn one of the furniture roles below
        // into another (a title is a line with no role; a repeat of it comes
        // after it), so they are not computed here.
        let lines = non_blank_lines(text);
        let Classified { roles, doubtful, author, date, .. } =
            self.classify(&lines, lang, &BatchLines::default(), false);
        let mut kept = Vec::new();
        let mut decisions = Vec::with_capacity(lines.len());
        for (i, line) in lines.iter().enumerate() {
            // Only furniture recognised by its own words or form goes; the
            // block trimming needs stop words, which not every language has.
            let (role, doubtful) = match roles[i] {
                Some(role @ (LineRole::Interface | LineRole::Teaser | LineRole::Debris | LineRole::Copyright)) => {
                    (role, doubtful[i])
                }
                _ => (LineRole::Paragraph, false),
            };
            if role.is_kept() {
                kept.push(*line);
            }
            decisions.push(LineDecision { text: line.to_string(), role, doubtful });
        }
        CleanText { title: None, author, date, text: kept.join("\n\n"), lines: decisions }
    }

    fn features(&self, line: &str, folded: &str, stop_lexicon: &Lexicon, lexicon: &Lexicon, stems: bool) -> Features {
        // Borrowed tokens: this runs on every line of every page.
        let toks: Vec<&str> = token_slices(folded).collect();
        let alpha: Vec<&str> = toks.iter().copied().filter(|t| t.chars().any(char::is_alphabetic)).collect();
        let stop = alpha.iter().filter(|t| stop_lexicon.stopwords.contains(**t)).count();
        Features {
            words: line.split_whitespace().count(),
            letters: line.chars().filter(|c| c.is_alphabetic()).count(),
            ui_coverage: lexicon.ui_coverage(&toks),
            coherence: 0.0,
            content: if stems {
                alpha
                    .iter()
                    .filter(|t| t.chars().count() >= 4 && !stop_lexicon.stopwords.contains(**t))
                    .map(|t| stem(t))
                    .collect()
            } else {
                Vec::new()
            },
            stopword_ratio: if alpha.is_empty() { 0.0 } else { stop as f32 / alpha.len() as f32 },
            sentence_end: ends_sentence(line),
            ends_with_period: line.trim_end().ends_with(['.', '…']),
        }
    }
}

/// A body paragraph: a real sentence, or a long run of prose.
/// A line naming copyright without the sign is a notice up to this many
/// words.
const NOTICE_MAX_WORDS: usize = 15;

/// Words past which a paragraph opening with an interface word and a colon
/// ("Advertising: when you sign up...", "Updated: ...") is running text, not
/// a labelled teaser, whose headline is short.
const LABELLED_TEASER_MAX_WORDS: usize = 25;

/// A line that reads as a paragraph and is longer than a labelled teaser.
fn is_long_paragraph(f: &Features) -> bool {
    f.words > LABELLED_TEASER_MAX_WORDS && is_paragraph(f)
}

fn is_paragraph(f: &Features) -> bool {
    f.stopword_ratio >= 0.12 && ((f.words >= 8 && f.sentence_end) || f.words >= 30)
}

/// A line printed before: identical, a strict prefix of the next line (the
/// same caption or lede printed again with more), or a truncated copy
/// ("..." or "…") of an earlier line.
fn is_repeat(i: usize, folded: &[String]) -> bool {
    let line = &folded[i];
    if folded[..i].contains(line) {
        return true;
    }
    if line.chars().count() >= 20 {
        if let Some(next) = folded.get(i + 1) {
            if next.len() > line.len() && next.starts_with(line.as_str()) {
                return true;
            }
        }
        let stem = line.trim_end_matches(['.', '…', ' ']);
        if stem.len() < line.len() && stem.chars().count() >= 20 && folded[..i].iter().any(|f| f.starts_with(stem)) {
            return true;
        }
    }
    false
}

/// "NewsletterRecevez toute l'actualité...": a UI label glued to the text
/// after it, the mark of a scraped widget.
fn glued_widget(line: &str, lexicon: &Lexicon) -> bool {
    let first = line.split_whitespace().next().unwrap_or("");
    let chars: Vec<char> = first.chars().collect();
    (1..chars.len()).any(|k| {
        chars[k - 1].is_lowercase() && chars[k].is_uppercase() && {
            let head: String = chars[..k].iter().collect();
            lexicon.ui_coverage(&tokens(&fold(&head))) >= 1.0
        }
    })
}

/// A byline: a byline prefix then a short run of capitalised words.
/// Returns the author name with trailing UI words ("Suivre") removed.
fn byline(line: &str, f: &Features, lexicon: &Lexicon) -> Option<String> {
    if f.words > 10 || f.sentence_end {
        return None;
    }
    let folded = fold(line);
    let prefix = lexicon
        .byline_prefixes
        .iter()
        .filter(|p| folded.starts_with(p.as_str()) && folded[p.len()..].starts_with([' ', ':']));
    // Folding keeps the number of characters, so the prefix length in
    // characters applies to the original line.
    let prefix_chars = prefix.map(|p| p.chars().count()).max()?;
    let rest: String = line.chars().skip(prefix_chars).collect();
    let rest = rest.trim_start_matches([' ', ':']).trim();
    let mut words: Vec<&str> = rest.split_whitespace().collect();
    while let Some(last) = words.last() {
        if lexicon.ui_coverage(&tokens(&fold(last))) >= 1.0 {
            words.pop();
        } else {
            break;
        }
    }
    if words.is_empty() || words.len() > 6 {
        return None;
    }
    let capitalised = words.iter().filter(|w| w.chars().next().is_some_and(char::is_uppercase)).count();
    (capitalised * 2 >= words.len()).then(|| words.join(" "))
}

/// For each line, the share of its content words that other unclassified
/// lines also use: body paragraphs talk about the same people and things,
/// an error message or a teaser about another subject does not.
fn coherence(roles: &[Option<LineRole>], features: &mut [Features]) {
    let mut lines_using: HashMap<&str, usize> = HashMap::new();
    for (i, f) in features.iter().enumerate() {
        if roles[i].is_none() {
            let unique: HashSet<&str> = f.content.iter().map(String::as_str).collect();
            for word in unique {
                *lines_using.entry(word).or_default() += 1;
            }
        }
    }
    let shares: Vec<f32> = features
        .iter()
        .enumerate()
        .map(|(i, f)| {
            if f.content.is_empty() {
                return 0.0;
            }
            let own = usize::from(roles[i].is_none());
            let shared = f.content.iter().filter(|w| lines_using.get(w.as_str()).copied().unwrap_or(0) > own).count();
            shared as f32 / f.content.len() as f32
        })
        .collect();
    for (f, share) in features.iter_mut().zip(shares) {
        f.coherence = share;
    }
}

/// The maximum-weight stretch of lines (inclusive bounds). Paragraphs weigh
/// for by their length, unclassified short lines are neutral, furniture
/// weighs against. Returns `(1, 0)` (empty) when no line weighs for.
fn main_block(roles: &[Option<LineRole>], features: &[Features]) -> (usize, usize) {
    let weight = |i: usize| -> f32 {
        match roles[i] {
            Some(_) => -1.0,
            // A paragraph about other things than the rest (an error message,
            // a teaser) weighs little, so it cannot drag the block out.
            None if is_paragraph(&features[i]) => {
                (features[i].words as f32 / 8.0).clamp(1.0, 4.0) * (0.2 + 0.8 * (features[i].coherence * 2.0).min(1.0))
            }
            // Short lines are kept inside the block (intertitles) but do not
            // extend it at its ends.
            None => -0.1,
        }
    };
    let (mut best, mut best_range) = (0.0f32, (1, 0));
    let (mut sum, mut start) = (0.0f32, 0);
    for i in 0..roles.len() {
        if sum <= 0.0 {
            sum = 0.0;
            start = i;
        }
        sum += weight(i);
        if sum > best {
            best = sum;
            best_range = (start, i);
        }
    }
    // The block may start on neutral lines; trim them so the header zone
    // (titles, section labels) stays outside.
    let (mut s, e) = best_range;
    while s < e && roles[s].is_none() && !is_paragraph(&features[s]) {
        s += 1;
    }
    (s, e)
}

/// The headline: among the unclassified lines of 3 to 30 words before the
/// main block that do not end with a period (headlines may end with a quote
/// mark), the one with function words and the most words (a site name or a
/// menu is shorter or has no function words); else a short first line of
/// the block.
fn find_title(roles: &[Option<LineRole>], features: &[Features], block_start: usize) -> Option<usize> {
    let candidate =
        |i: usize| roles[i].is_none() && (3..=30).contains(&features[i].words) && !features[i].ends_with_period;
    (0..block_start.min(roles.len()))
        .filter(|&i| candidate(i))
        .max_by_key(|&i| (features[i].stopword_ratio > 0.0, features[i].words, std::cmp::Reverse(i)))
        .or_else(|| {
            (block_start < roles.len() && candidate(block_start) && block_start + 1 < roles.len())
                .then_some(block_start)
        })
}
