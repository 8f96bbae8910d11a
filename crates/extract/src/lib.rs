//! Raw documents to clean articles.
//!
//! [`Extractor::extract`] decodes bytes ([`decode`]), then either runs the
//! HTML extractor ([`html`]) or the plain-text cleaner ([`text`]), identifies
//! the language and fills an [`Extraction`]. It never panics on bad input:
//! empty, binary or textless documents come back as [`ExtractError`]s.

pub mod author;
pub mod decode;
pub mod html;
pub mod lexicon;
pub mod pubdate;
pub mod text;

use storyline_model::{ContentKind, Extraction, PublishedSource, RawDocument};

pub use html::{Focus, HtmlEngine, HtmlOptions};
pub use text::{BatchLines, CleanText, LineRole, TextCleaner};

/// Why a document yields no article.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum ExtractError {
    /// Zero bytes, or only white space.
    #[error("empty file")]
    Empty,
    /// Not text: NUL or control bytes.
    #[error("binary content, not text or HTML")]
    Binary,
    /// Decoded fine, but nothing is left once furniture is removed.
    #[error("no article text found (the page is empty or all boilerplate)")]
    NoText,
}

/// Bodies with fewer letters than this are not articles.
pub const MIN_ARTICLE_LETTERS: usize = 25;

/// Fewest letters of a brief: a document its producer titled (a feed item,
/// a JSON Lines record with a title), whose headline may be all it has.
pub const MIN_BRIEF_LETTERS: usize = 8;

/// A document decoded to text, ready for extraction.
#[derive(Debug, Clone)]
pub struct Decoded {
    /// The decoded content (HTML or plain text).
    pub content: String,
}

/// Extraction settings and loaded resources; build once, share across threads.
pub struct Extractor {
    cleaner: TextCleaner,
    html: HtmlOptions,
}

impl Default for Extractor {
    fn default() -> Self {
        Self::new(HtmlOptions::default())
    }
}

impl Extractor {
    /// Loads the language resources and sets how HTML is extracted.
    pub fn new(html: HtmlOptions) -> Self {
        Extractor { cleaner: TextCleaner::new(), html }
    }

    /// The plain-text cleaner, for callers that need its line decisions.
    pub fn cleaner(&self) -> &TextCleaner {
        &self.cleaner
    }

    /// Decodes a document's bytes.
    pub fn decode(&self, doc: &RawDocument) -> Result<Decoded, ExtractError> {
        let content = decode::decode(&doc.bytes, doc.hints.charset.as_deref(), doc.kind == ContentKind::Html)?;
        Ok(Decoded { content })
    }

    /// Decodes and extracts a lone document.
    pub fn extract(&self, doc: &RawDocument) -> Result<Extraction, ExtractError> {
        let decoded = self.decode(doc)?;
        self.extract_decoded(doc, &decoded, &BatchLines::default())
    }

    /// Extracts a decoded document; `batch` holds the line counts of the
    /// other plain-text documents read with it.
    pub fn extract_decoded(
        &self,
        doc: &RawDocument,
        decoded: &Decoded,
        batch: &BatchLines,
    ) -> Result<Extraction, ExtractError> {
        let mut estimate_text: Option<String> = None;
        let mut out = match doc.kind {
            ContentKind::Html => {
                let page = html::extract_html(&decoded.content, doc.hints.url.as_deref(), self.html);
                let lang = choose_language(&page.text, page.declared_lang.as_deref());
                let clean = self.cleaner.polish(&page.text, lang.as_deref());
                let removed_lines = clean.lines.iter().filter(|l| !l.role.is_kept()).map(|l| l.text.clone()).collect();
                let text = clean.text;
                Extraction {
                    published_range: None,
                    reported_day: None,
                    title: page.title,
                    // The page's metadata first; else a byline line of its text.
                    author: page.author.or(clean.author).and_then(|a| self.cleaner.tidy_author(&a)),
                    published_source: page.published_evidence.map(|e| e.published_source()),
                    published: page.published,
                    site_name: page.site_name,
                    url: page.url,
                    lang,
                    text,
                    removed_lines,
                }
            }
            ContentKind::Text => {
                let lang = storyline_nlp::detect_language(&decoded.content).map(|g| g.code);
                let clean = self.cleaner.clean(&decoded.content, lang, batch);
                // Captions describe the event too; they are evidence for the date.
                let captions: Vec<&str> =
                    clean.lines.iter().filter(|l| l.role == LineRole::Caption).map(|l| l.text.as_str()).collect();
                estimate_text = Some(format!("{}\n{}", clean.text, captions.join("\n")));
                let text = if letters(&clean.text) < MIN_ARTICLE_LETTERS {
                    what_reads_as_text(&clean.lines).unwrap_or(clean.text)
                } else {
                    clean.text
                };
                Extraction {
                    published_range: None,
                    reported_day: None,
                    title: clean.title,
                    author: clean.author.and_then(|a| self.cleaner.tidy_author(&a)),
                    published_source: clean.date.map(|_| PublishedSource::Text),
                    published: clean.date,
                    site_name: None,
                    url: None,
                    lang: choose_language(&text, None),
                    removed_lines: clean.lines.iter().filter(|l| !l.role.is_kept()).map(|l| l.text.clone()).collect(),
                    text,
                }
            }
        };
        // A short item whose producer gave it a headline ("Séisme au Chili")
        // is a brief: the headline is its text when nothing longer is left.
        let headline = doc.hints.title.as_deref().map(str::trim).filter(|t| letters(t) >= MIN_BRIEF_LETTERS);
        if letters(&out.text) < MIN_ARTICLE_LETTERS {
            if let Some(title) = headline {
                if letters(&out.text) < letters(title) {
                    out.text = title.to_string();
                }
            }
        }
        // Fewer than a few words is a menu or an error page, not an article.
        let least = if headline.is_some() { MIN_BRIEF_LETTERS } else { MIN_ARTICLE_LETTERS };
        if letters(&out.text) < least {
            return Err(ExtractError::NoText);
        }
        // What the producer said beats what we found.
        let hints = &doc.hints;
        if hints.title.is_some() {
            out.title = hints.title.clone();
        }
        if let Some(date) = hints.published {
            out.published = Some(date);
            out.published_source = Some(PublishedSource::Metadata);
        }
        if let Some(lang) = hints.lang.as_deref().and_then(storyline_nlp::lang::normalize_tag) {
            out.lang = Some(lang);
        }
        if hints.url.is_some() {
            out.url = hints.url.clone();
        }
        if out.published.is_none() {
            let text = estimate_text.as_deref().unwrap_or(&out.text);
            if let Some(e) = storyline_nlp::estimate::estimate_publication(text, chrono::Local::now().date_naive()) {
                out.published = Some(e.date);
                out.published_source = Some(PublishedSource::Estimated);
                out.published_range = Some([e.earliest, e.latest]);
            }
        }
        if out.published.is_none() {
            let text = estimate_text.as_deref().unwrap_or(&out.text);
            out.reported_day =
                storyline_nlp::estimate::latest_yearless_past_day(text).map(|(m, d)| format!("{m:02}-{d:02}"));
        }
        Ok(out)
    }
}

fn letters(text: &str) -> usize {
    text.chars().filter(|c| c.is_alphabetic()).count()
}

/// Fewest words a line needs to be read as text when the cleaner kept none.
const MIN_FALLBACK_WORDS: usize = 4;

/// When the cleaner keeps nothing of a plain text (a brief that is all
/// headline, or a language without resources, whose prose the cleaner cannot
/// recognise), the lines that read as text: every line of a few words that
/// no signal marks as interface, debris, copyright, byline or date line. A
/// short item or an unknown language keeps its words instead of being lost.
fn what_reads_as_text(lines: &[text::LineDecision]) -> Option<String> {
    let kept: Vec<&str> = lines
        .iter()
        .filter(|l| {
            !matches!(
                l.role,
                LineRole::Interface | LineRole::Debris | LineRole::Copyright | LineRole::Byline | LineRole::DateLine
            )
        })
        .map(|l| l.text.as_str())
        .filter(|t| t.split_whitespace().filter(|w| w.chars().any(char::is_alphabetic)).count() >= MIN_FALLBACK_WORDS)
        .collect();
    let body = kept.join("\n\n");
    (letters(&body) >= MIN_ARTICLE_LETTERS).then_some(body)
}

/// The body's detected language when the body is long enough to trust,
/// else the declared one, else whatever detection says.
fn choose_language(text: &str, declared: Option<&str>) -> Option<String> {
    // A template's default tag ("en" on a page in Bengali) is no declaration.
    let declared =
        declared.and_then(storyline_nlp::lang::normalize_tag).filter(|d| storyline_nlp::lang::fits_script(d, text));
    let detected = storyline_nlp::detect_language(text);
    match (detected, declared) {
        (Some(guess), _) if text.len() >= 200 && guess.confidence >= 0.3 => Some(guess.code.to_string()),
        (_, Some(declared)) => Some(declared),
        (Some(guess), None) => Some(guess.code.to_string()),
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests;

/// The detected language code of a text, if any (re-exported for callers
/// that only depend on this crate).
pub fn detect_language_code(text: &str) -> Option<String> {
    storyline_nlp::detect_language(text).map(|g| g.code.to_string())
}
