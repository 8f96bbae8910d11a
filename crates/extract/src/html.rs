//! HTML pages to title, author, date, site name, language and body.
//!
//! The body comes from the `trafilatura` crate (the best of the three
//! extractors compared in `docs/extraction.md`); the publication date from
//! [`crate::pubdate`] (URL, JSON-LD, meta tags, `<time>`, date elements,
//! text).

use std::sync::OnceLock;

use chrono::NaiveDate;
use regex::Regex;

/// Which HTML extractor produces the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HtmlEngine {
    /// The `trafilatura` crate (a port of go-trafilatura). Default.
    #[default]
    Trafilatura,
    /// `dom_smoothie` (a Readability port); needs feature `compare-extractors`.
    DomSmoothie,
    /// `rs-trafilatura`; needs feature `compare-extractors`.
    RsTrafilatura,
}

impl HtmlEngine {
    /// Parses an engine name as given on the command line.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "trafilatura" => Some(HtmlEngine::Trafilatura),
            "dom_smoothie" | "dom-smoothie" => Some(HtmlEngine::DomSmoothie),
            "rs-trafilatura" | "rs_trafilatura" => Some(HtmlEngine::RsTrafilatura),
            _ => None,
        }
    }

    /// True when this build contains the engine.
    pub fn available(self) -> bool {
        self == HtmlEngine::Trafilatura || cfg!(feature = "compare-extractors")
    }
}

/// How HTML pages are extracted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HtmlOptions {
    /// The body extractor.
    pub engine: HtmlEngine,
    /// Let trafilatura compare its result with readability and justext
    /// candidates (as Python trafilatura does by default): better recall,
    /// about a third slower. `--fast` turns it off.
    pub fallback: bool,
    /// Whether the extractor leans to precision (leave out doubtful blocks)
    /// or recall (keep them).
    pub focus: Focus,
}

/// The trafilatura extractor's lean between precision and recall.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Focus {
    /// Leave out doubtful blocks (comments, link lists, short sections).
    /// Default: best on both extraction suites (docs/extraction.md).
    #[default]
    Precision,
    /// The extractor's middle setting.
    Balanced,
    /// Keep doubtful blocks.
    Recall,
}

impl Focus {
    /// Parses `precision`, `balanced` or `recall`.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "precision" => Some(Focus::Precision),
            "balanced" => Some(Focus::Balanced),
            "recall" => Some(Focus::Recall),
            _ => None,
        }
    }
}

impl Default for HtmlOptions {
    fn default() -> Self {
        HtmlOptions { engine: HtmlEngine::Trafilatura, fallback: true, focus: Focus::Precision }
    }
}

/// What an HTML page yields before language identification.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HtmlPage {
    /// Headline.
    pub title: Option<String>,
    /// Author(s).
    pub author: Option<String>,
    /// Publication date from metadata or markup.
    pub published: Option<NaiveDate>,
    /// Where the publication date was found.
    pub published_evidence: Option<crate::pubdate::DateEvidence>,
    /// Site name.
    pub site_name: Option<String>,
    /// Declared language (`<html lang>`, meta).
    pub declared_lang: Option<String>,
    /// Canonical URL.
    pub url: Option<String>,
    /// Main text.
    pub text: String,
}

fn non_empty(s: impl Into<String>) -> Option<String> {
    let s: String = s.into();
    let t = s.split_whitespace().collect::<Vec<_>>().join(" ");
    (!t.is_empty()).then_some(t)
}

/// Extracts one page with the given engine. `url` helps metadata and
/// date-from-URL rules when the page came with one.
pub fn extract_html(html: &str, url: Option<&str>, options: HtmlOptions) -> HtmlPage {
    // One parse serves the extractor and our own metadata rules.
    let mut doc = scraper::Html::parse_document(html);
    let mut page = match options.engine {
        HtmlEngine::Trafilatura => with_trafilatura(&mut doc, url, options.fallback, options.focus),
        #[cfg(feature = "compare-extractors")]
        HtmlEngine::DomSmoothie => with_dom_smoothie(html, url),
        #[cfg(feature = "compare-extractors")]
        HtmlEngine::RsTrafilatura => with_rs_trafilatura(html),
        #[allow(unreachable_patterns)]
        _ => with_trafilatura(&mut doc, url, options.fallback, options.focus),
    };
    // The precision lean sometimes keeps one short block (a link-out notice,
    // an author's bio) of a page whose article it pruned: when it returns
    // little, the balanced extraction is read too, and taken when it finds
    // several times more text.
    let kept = page.text.split_whitespace().count();
    if options.engine == HtmlEngine::Trafilatura && options.focus == Focus::Precision && kept < SHORT_EXTRACTION_WORDS {
        // Past a few hundred words the precision text is part of an article (one
        // section of several), not a stray block: the balanced lean then finds the
        // rest without the fallback, a third of an extraction's time.
        let fallback = options.fallback && kept < SHORT_EXTRACTION_WORDS / 2;
        let balanced = with_trafilatura(&mut doc, url, fallback, Focus::Balanced);
        if prefer_balanced(&page.text, &balanced.text) {
            page.text = balanced.text;
        }
    }
    add_page_metadata(&doc, url, &mut page);
    if options.engine == HtmlEngine::Trafilatura {
        continue_in_sibling_blocks(&doc, &mut page);
        recover_lead(&doc, &mut page);
        extend_to_content_block(&doc, &mut page);
    }
    drop_leading_title(&mut page);
    page
}

/// Below this many words, a precision-lean extraction is checked against
/// the balanced one.
const SHORT_EXTRACTION_WORDS: usize = 600;

/// How many times more words the balanced extraction must find to replace
/// a short precision-lean one.
const BALANCED_RATIO: usize = 3;

/// Whether a short precision-lean text gives way to the balanced one: it
/// does when the balanced one holds several times more words.
fn prefer_balanced(precision: &str, balanced: &str) -> bool {
    let words = |text: &str| text.split_whitespace().count();
    let kept = words(precision);
    kept < SHORT_EXTRACTION_WORDS && words(balanced) >= BALANCED_RATIO * kept.max(1)
}

/// Words in a class or id that mark an article's lead (standfirst) in the
/// markup of news sites: "lead", "intro", "chapo", "teaser-text"...
const LEAD_MARKS: &[&str] = &[
    "lead",
    "intro",
    "chapo",
    "chapeau",
    "teaser",
    "excerpt",
    "abstract",
    "standfirst",
    "summary",
    "subtitle",
    "subheadline",
    "description",
    "deck",
    "dek",
    "abst",
];

/// A lead is a short text: longer, it is the body or a block of teasers.
const LEAD_MAX_WORDS: usize = 200;

/// The text an element shows, white space collapsed: its text nodes outside
/// scripts, styles and templates.
fn visible_text(e: scraper::ElementRef) -> String {
    fn walk(node: ego_tree::NodeRef<'_, scraper::Node>, out: &mut String) {
        for child in node.children() {
            match child.value() {
                scraper::Node::Text(t) => {
                    for word in t.split_whitespace() {
                        if !out.is_empty() {
                            out.push(' ');
                        }
                        out.push_str(word);
                    }
                }
                scraper::Node::Element(el) if !matches!(el.name(), "script" | "style" | "noscript" | "template") => {
                    walk(child, out)
                }
                _ => {}
            }
        }
    }
    let mut out = String::new();
    walk(*e, &mut out);
    out
}

/// The elements after `node` in document order, its own inside left out.
fn elements_after<'a>(node: ego_tree::NodeRef<'a, scraper::Node>) -> impl Iterator<Item = scraper::ElementRef<'a>> {
    std::iter::once(node)
        .chain(node.ancestors())
        .flat_map(|n| n.next_siblings())
        .flat_map(|n| n.descendants())
        .filter_map(scraper::ElementRef::wrap)
}

/// Whether an element's class or id holds one of [`LEAD_MARKS`] as a word.
fn marked_as_lead(e: &scraper::ElementRef) -> bool {
    e.value().attr("class").into_iter().chain(e.value().attr("id")).any(|v| {
        v.split(|c: char| !c.is_ascii_alphanumeric())
            .any(|part| LEAD_MARKS.iter().any(|m| part.eq_ignore_ascii_case(m)))
    })
}

/// How many elements after the headline may stand before its lead.
const LEAD_WINDOW: usize = 40;

/// Puts back the lead the extractor left out. Sites mark the paragraph
/// under the headline as a lead or teaser, and the extractor drops such
/// classes as page furniture; right after the page's headline (the `<h1>`
/// or `<h2>` that matches the title, else the first `<h1>`) it is the
/// article's first paragraph.
fn recover_lead(doc: &scraper::Html, page: &mut HtmlPage) {
    let title = page.title.as_deref().map(title_key).filter(|t| t.len() >= 10);
    // One pass over the page for the headline, remembering the first `<h1>`.
    let mut first_h1 = None;
    let mut headline = None;
    for e in doc.root_element().descendants().filter_map(scraper::ElementRef::wrap) {
        let name = e.value().name();
        if name != "h1" && name != "h2" {
            continue;
        }
        if name == "h1" && first_h1.is_none() {
            first_h1 = Some(e);
        }
        if let Some(title) = title.as_deref() {
            let k = title_key(&visible_text(e));
            if k.len() >= 10 && (k.contains(title) || title.contains(&k)) {
                headline = Some(e);
                break;
            }
        }
    }
    let Some(h1) = headline.or(first_h1) else { return };
    let lead = elements_after(*h1).take(LEAD_WINDOW).find_map(|e| {
        let candidate = matches!(e.value().name(), "p" | "div" | "h2")
            && marked_as_lead(&e)
            // A paragraph or a few: not a body field holding the whole
            // article, not a picture with its caption.
            && e.descendants()
                .filter_map(scraper::ElementRef::wrap)
                .all(|d| !matches!(d.value().name(), "img" | "figure" | "picture" | "video" | "iframe" | "ul" | "ol"))
            && e.descendants().filter_map(scraper::ElementRef::wrap).filter(|d| d.value().name() == "p").count() <= 3;
        let text = if candidate { visible_text(e) } else { return None };
        (6..=LEAD_MAX_WORDS).contains(&text.split(' ').count()).then_some(text)
    });
    let Some(lead) = lead else { return };
    // Compared on letters and digits alone: the extractor and the lead's
    // text nodes space links and punctuation differently ("(Bridges!Huso!)"
    // against "( Bridges! Huso! )").
    let key = letters_and_digits(&lead);
    let body = letters_and_digits(&page.text);
    // Already in the body, or its opening sentence is (the lead runs on
    // past what the body repeats of it): nothing is lost. Holding the
    // body's opening words: the body's own container, not a lead.
    let lead_opening: String = key.chars().take(LEAD_OPENING_CHARS).collect();
    let opening: String = body.chars().take(LEAD_OPENING_CHARS).collect();
    if body.contains(&lead_opening) || (!opening.is_empty() && key.contains(&opening)) {
        return;
    }
    page.text = if page.text.is_empty() { lead } else { format!("{lead}\n\n{}", page.text) };
}

/// Words of a paragraph that reads as running text.
const PROSE_PARAGRAPH_WORDS: usize = 12;

/// Blocks that are not sections (a table, a picture) walked past between
/// two sections.
const SECTION_GAP_BLOCKS: usize = 1;

/// Words of a paragraph that is a section of an article on its own.
const SECTION_PARAGRAPH_WORDS: usize = 40;

/// Page builders cut an article into sibling blocks of one kind (`<div
/// class="block text">` between image blocks, a grid row per section), and
/// the precision lean sometimes keeps only one of them. The blocks of the
/// kept text's kind, before and after it, are taken back when they read as
/// running text: mostly paragraphs of sentences, few links, no form.
fn continue_in_sibling_blocks(doc: &scraper::Html, page: &mut HtmlPage) {
    let body = letters_and_digits(&page.text);
    if body.len() < 200 {
        return;
    }
    // A kept paragraph of running text, and the repeated block holding it.
    let kept_paragraph = doc.root_element().descendants().filter_map(scraper::ElementRef::wrap).find(|e| {
        e.value().name() == "p" && {
            let text = visible_text(*e);
            text.split_whitespace().count() >= PROSE_PARAGRAPH_WORDS && body.contains(&letters_and_digits(&text))
        }
    });
    let Some(kept_paragraph) = kept_paragraph else { return };
    let same_kind = |a: &scraper::ElementRef, b: &scraper::ElementRef| {
        a.value().name() == b.value().name() && a.value().attr("class") == b.value().attr("class")
    };
    let block = kept_paragraph.ancestors().filter_map(scraper::ElementRef::wrap).find(|e| {
        e.value().attr("class").is_some_and(|c| !c.trim().is_empty())
            && e.parent().is_some_and(|parent| {
                parent.children().filter_map(scraper::ElementRef::wrap).filter(|s| s != e && same_kind(s, e)).count()
                    >= 1
            })
    });
    let Some(block) = block else { return };
    let Some(parent) = block.parent() else { return };
    let siblings: Vec<scraper::ElementRef> =
        parent.children().filter_map(scraper::ElementRef::wrap).filter(|s| same_kind(s, &block)).collect();
    let is_kept = |e: &scraper::ElementRef| {
        let key = letters_and_digits(&visible_text(*e));
        !key.is_empty() && body.contains(&key.chars().take(LEAD_OPENING_CHARS).collect::<String>())
    };
    let kept: Vec<bool> = siblings.iter().map(is_kept).collect();
    let (Some(first), Some(last)) = (kept.iter().position(|&k| k), kept.iter().rposition(|&k| k)) else { return };
    // Paragraphs the body already holds are not repeated.
    let fresh = |paragraphs: Vec<String>| -> String {
        paragraphs.into_iter().filter(|p| !body.contains(&letters_and_digits(p))).collect::<Vec<_>>().join("\n\n")
    };
    let taken_back = |sections: Vec<Vec<String>>| -> Vec<String> {
        sections.into_iter().map(fresh).filter(|t| !t.is_empty()).collect()
    };
    let before = taken_back(sections_outward(siblings[..first].iter().rev()));
    let after = taken_back(sections_outward(siblings[last + 1..].iter()));
    if before.is_empty() && after.is_empty() {
        return;
    }
    let mut parts: Vec<String> = before.into_iter().rev().collect();
    parts.push(std::mem::take(&mut page.text));
    parts.extend(after);
    page.text = parts.join("\n\n");
}

/// Elements whose subtree never holds an article's text.
const NEVER_CONTENT: &[&str] =
    &["script", "style", "noscript", "template", "nav", "footer", "aside", "form", "svg", "button", "select"];

/// Fragments of a class or id that mark page furniture inside the block
/// holding an article (comments, related links, sharing, newsletters...).
const FURNITURE_MARKS: &[&str] = &[
    "comment",
    "related",
    "share",
    "social",
    "newsletter",
    "promo",
    "advert",
    "sidebar",
    "recommend",
    "subscribe",
    "popular",
    "trending",
    "widget",
    "cookie",
    "breadcrumb",
    "tags",
    "author-bio",
    "footer",
    "nav",
    "menu",
    "modal",
    "dialog",
    "consent",
    "gdpr",
    "player",
];

/// A child holding at least this share of its parent's words outside links
/// is where the page's text is: the walk from `<body>` goes down into it.
const CONTENT_BLOCK_SHARE: f64 = 0.7;

/// The span between kept paragraphs replaces an extraction when it holds
/// at least this share of the extracted words...
const CONTENT_BLOCK_HOLDS: f64 = 0.7;

/// ...and this many times as many words.
const CONTENT_BLOCK_RATIO: f64 = 1.5;

/// A paragraph of the content block found in the extraction marks where
/// the article is when it has at least this many words.
const LANDMARK_WORDS: usize = 10;

/// Blocks of more paragraphs are left alone: each paragraph is looked up
/// in the extraction, and a page that size is no guide with a missing list.
const MAX_BLOCK_PARAGRAPHS: usize = 3000;

/// An element of at least this many words with fewer than half of them
/// outside links is a list of links, not text.
const LINK_LIST_WORDS: usize = 10;

/// Words as WCXB and most extraction benchmarks count them: runs of
/// letters, digits and underscores, lower-cased.
fn word_tokens(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_')).filter(|w| !w.is_empty()).map(str::to_lowercase)
}

/// Words and words inside links under every element (furniture tags count
/// for nothing), by node.
fn word_counts(
    node: ego_tree::NodeRef<'_, scraper::Node>,
    counts: &mut std::collections::HashMap<ego_tree::NodeId, (usize, usize)>,
) -> (usize, usize) {
    let own = match node.value() {
        scraper::Node::Text(t) => return (word_tokens(t).count(), 0),
        scraper::Node::Element(e) if NEVER_CONTENT.contains(&e.name()) => (0, 0),
        scraper::Node::Element(e) => {
            let (mut words, mut in_links) = (0, 0);
            for child in node.children() {
                let (w, l) = word_counts(child, counts);
                words += w;
                in_links += l;
            }
            (words, if e.name() == "a" { words } else { in_links })
        }
        _ => {
            let mut words = 0;
            for child in node.children() {
                words += word_counts(child, counts).0;
            }
            (words, 0)
        }
    };
    counts.insert(node.id(), own);
    own
}

/// Puts back what the extraction left out between the paragraphs it kept:
/// the lists, tables and subheadings of guides and listicles, which the
/// precision lean prunes. The page's content block is found by walking
/// down from `<body>` into the child that holds most of the words outside
/// links, as long as it holds most of its parent's; its paragraphs leave
/// out furniture (by tag, by class or id, and lists of links). The span
/// from the first to the last of its paragraphs the extraction kept
/// replaces the extraction when it holds most of the extracted words and
/// clearly more. Only the span between kept paragraphs is taken: on news
/// pages the rest of the block is related stories and captions (see
/// `docs/extraction.md`).
fn extend_to_content_block(doc: &scraper::Html, page: &mut HtmlPage) {
    let extracted: Vec<String> = word_tokens(&page.text).collect();
    if extracted.is_empty() {
        return;
    }
    let mut counts = std::collections::HashMap::new();
    let body = body_of(&doc.tree);
    word_counts(body, &mut counts);
    let outside_links = |n: &ego_tree::NodeRef<'_, scraper::Node>| counts.get(&n.id()).map_or(0, |(w, l)| w - l);
    let mut block = body;
    loop {
        let total = outside_links(&block);
        let best = block.children().filter(|c| c.value().is_element()).fold(
            None,
            |best: Option<(usize, ego_tree::NodeRef<'_, scraper::Node>)>, c| {
                let w = outside_links(&c);
                if best.is_none_or(|(b, _)| w > b) {
                    Some((w, c))
                } else {
                    best
                }
            },
        );
        match best {
            Some((w, child)) if total > 0 && w as f64 >= CONTENT_BLOCK_SHARE * total as f64 => block = child,
            _ => break,
        }
    }
    let is_furniture = |n: ego_tree::NodeRef<'_, scraper::Node>| {
        let Some(e) = n.value().as_element() else { return false };
        if NEVER_CONTENT.contains(&e.name()) {
            return true;
        }
        let marks = format!("{} {}", e.attr("class").unwrap_or(""), e.attr("id").unwrap_or("")).to_lowercase();
        if FURNITURE_MARKS.iter().any(|m| marks.contains(m)) {
            return true;
        }
        let (words, in_links) = counts.get(&n.id()).copied().unwrap_or((0, 0));
        words >= LINK_LIST_WORDS && 2 * (words - in_links) < words
    };
    let text = paragraphs_where(block, &|n| n != block && is_furniture(n));
    let paragraphs: Vec<&str> = text.split("\n\n").collect();
    if paragraphs.len() > MAX_BLOCK_PARAGRAPHS {
        return;
    }
    // The block's paragraphs the extraction kept: long enough to be text,
    // once in the block (a title repeated in a footer is not a landmark),
    // and not a teaser cut short with an ellipsis.
    let kept = letters_and_digits(&page.text);
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let keys: Vec<String> = paragraphs.iter().map(|p| letters_and_digits(p)).collect();
    for key in &keys {
        *seen.entry(key.clone()).or_default() += 1;
    }
    let landmark = |k: usize| {
        let p = paragraphs[k].trim_end();
        word_tokens(p).count() >= LANDMARK_WORDS
            && !p.ends_with("...")
            && !p.ends_with('…')
            && seen[&keys[k]] == 1
            && kept.contains(&keys[k])
    };
    let (Some(first), Some(last)) =
        ((0..paragraphs.len()).find(|&k| landmark(k)), (0..paragraphs.len()).rfind(|&k| landmark(k)))
    else {
        return;
    };
    // What lies between the first and the last kept paragraph is the
    // article's too: the lists, tables and subheadings the extractor left out.
    let between = paragraphs[first..=last].join("\n\n");
    let mut in_between: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut between_words = 0;
    for w in word_tokens(&between) {
        *in_between.entry(w).or_default() += 1;
        between_words += 1;
    }
    let held = extracted
        .iter()
        .filter(|w| match in_between.get_mut(*w) {
            Some(n) if *n > 0 => {
                *n -= 1;
                true
            }
            _ => false,
        })
        .count();
    if held as f64 >= CONTENT_BLOCK_HOLDS * extracted.len() as f64
        && between_words as f64 >= CONTENT_BLOCK_RATIO * extracted.len() as f64
    {
        page.text = between;
    }
}

/// The sections of blocks walked outward from the kept text, past at most
/// one block that is not one (a table or a picture between two sections),
/// and no further than the last section.
fn sections_outward<'a>(blocks: impl Iterator<Item = &'a scraper::ElementRef<'a>>) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut misses = 0;
    for block in blocks {
        match prose_of_block(block) {
            Some(paragraphs) => {
                misses = 0;
                out.push(paragraphs);
            }
            None if misses < SECTION_GAP_BLOCKS => misses += 1,
            None => break,
        }
    }
    out
}

/// The paragraphs of a block, when it reads as running text: at least one
/// paragraph of a sentence or more, most of its words in such paragraphs,
/// few of them in links, and no form. None stops the walk outward.
fn prose_of_block(block: &scraper::ElementRef) -> Option<Vec<String>> {
    let elements: Vec<scraper::ElementRef> = block.descendants().filter_map(scraper::ElementRef::wrap).collect();
    if elements.iter().any(|e| matches!(e.value().name(), "form" | "input" | "button" | "nav" | "select" | "iframe")) {
        return None;
    }
    let all_words = visible_text(*block).split_whitespace().count();
    if all_words == 0 {
        return None;
    }
    let link_words: usize =
        elements.iter().filter(|e| e.value().name() == "a").map(|e| visible_text(*e).split_whitespace().count()).sum();
    let mut paragraphs = Vec::new();
    let (mut prose_words, mut prose_paragraphs, mut longest) = (0, 0, 0);
    for e in &elements {
        let name = e.value().name();
        if !matches!(name, "p" | "h2" | "h3" | "h4" | "li" | "blockquote") {
            continue;
        }
        // The innermost text block only ("<li><p>...</p></li>" once).
        if e.descendants()
            .skip(1)
            .filter_map(scraper::ElementRef::wrap)
            .any(|d| matches!(d.value().name(), "p" | "h2" | "h3" | "h4" | "li" | "blockquote"))
        {
            continue;
        }
        // A picture's caption or credit is not the article's text (`<figure>`,
        // or WordPress's `wp-caption` and `credit` classes).
        let captioned = |a: &scraper::ElementRef| {
            matches!(a.value().name(), "figure" | "figcaption")
                || a.value().attr("class").is_some_and(|c| c.contains("caption") || c.contains("credit"))
        };
        if captioned(e) || e.ancestors().filter_map(scraper::ElementRef::wrap).any(|a| captioned(&a)) {
            continue;
        }
        let text = visible_text(*e);
        let words = text.split_whitespace().count();
        if words == 0 {
            continue;
        }
        if name == "p"
            && words >= PROSE_PARAGRAPH_WORDS
            && text.trim_end().ends_with(['.', '!', '?', ':', '"', '”', '’', ')'])
        {
            prose_words += words;
            prose_paragraphs += 1;
            longest = longest.max(words);
        }
        paragraphs.push(text);
    }
    // A card's one-line teaser is not a section of the article.
    let headed = elements.iter().any(|e| matches!(e.value().name(), "h2" | "h3" | "h4"));
    // A section: under a heading, two paragraphs of sentences or a long one;
    // without one, three ("Advertising disclosure: ..." and a note are two).
    let section = headed && (prose_paragraphs >= 2 || longest >= SECTION_PARAGRAPH_WORDS) || prose_paragraphs >= 3;
    let prose = section && prose_words * 10 >= all_words * 6 && link_words * 5 <= all_words;
    prose.then_some(paragraphs)
}

/// How many letters and digits of a lead's opening, found in the body, show
/// that the body already holds it (about ten words).
const LEAD_OPENING_CHARS: usize = 50;

/// The letters and digits of a text, lowercased.
fn letters_and_digits(text: &str) -> String {
    text.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// Our metadata on top of the extractor's: publication date and the
/// page's own headline (public so the benchmark can time this step by
/// itself).
pub fn add_page_metadata(doc: &scraper::Html, url: Option<&str>, page: &mut HtmlPage) {
    let today = chrono::Local::now().date_naive();
    if let Some((date, evidence)) = crate::pubdate::find_page_date(doc, url.or(page.url.as_deref()), today) {
        page.published = Some(date);
        page.published_evidence = Some(evidence);
    }
    page.title = refine_title(doc, page.title.take(), page.site_name.as_deref());
    page.declared_lang = declared_language(doc);
}

/// The language the page declares: `<html lang>`, else a `content-language`,
/// `og:locale` or `language` meta tag.
fn declared_language(doc: &scraper::Html) -> Option<String> {
    static META: OnceLock<scraper::Selector> = OnceLock::new();
    let meta = META.get_or_init(|| {
        scraper::Selector::parse(
            "meta[http-equiv=content-language i], meta[property=\"og:locale\"], meta[name=language i], \
             meta[name=\"dc.language\" i]",
        )
        .unwrap()
    });
    let root = doc.root_element();
    root.attr("lang")
        .and_then(non_empty)
        .or_else(|| doc.select(meta).find_map(|m| m.attr("content").and_then(non_empty)))
}

/// Separators between a headline and a site or section name in `<title>`.
const TITLE_SEPARATORS: &[&str] = &[" | ", " - ", " – ", " — ", " :: ", " » ", " · ", " / "];

/// Folds a title for comparison: case, white space, soft hyphens,
/// typographic quotes and dashes.
pub fn title_key(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\u{ad}' => {}
            '’' | '‘' | '´' => out.push('\''),
            '“' | '”' | '«' | '»' => out.push('"'),
            '–' | '—' => out.push('-'),
            '…' => out.push_str("..."),
            _ => out.extend(c.to_lowercase()),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The headline as the page shows it. Metadata titles often carry the site
/// name ("Headline | Site") or are generic ("Press releases"); the page's
/// own `<h1>` is preferred when the metadata title contains it or is
/// contained in it, else site-name affixes are cut.
fn refine_title(doc: &scraper::Html, title: Option<String>, site_name: Option<&str>) -> Option<String> {
    static H1: OnceLock<scraper::Selector> = OnceLock::new();
    let h1 = H1.get_or_init(|| scraper::Selector::parse("h1").unwrap());
    let headings: Vec<String> = doc
        .select(h1)
        .take(3)
        .map(|h| {
            h.text()
                .collect::<Vec<_>>()
                .join(" ")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .replace('\u{ad}', "")
        })
        .filter(|h| h.chars().count() >= 4 && h.chars().count() <= 300)
        .collect();
    let Some(title) = title.map(|t| t.replace('\u{ad}', "")) else { return headings.into_iter().next() };
    let key = title_key(&title);
    // Of several `<h1>`, the longest that the title contains: a site banner
    // is an `<h1>` too, and the title's site affix contains it.
    let mut contained: Option<&String> = None;
    for h in &headings {
        let hk = title_key(h);
        let related = hk.len() >= 10 && (key.contains(&hk) || hk.contains(&key));
        if related && contained.is_none_or(|c| h.chars().count() > c.chars().count()) {
            contained = Some(h);
        }
    }
    if let Some(h) = contained {
        return Some(h.clone());
    }
    // The page's visible headline when it is about what the metadata title
    // is about: metadata titles are often reworded for search engines ("Best
    // X of 2025" over "The 12 best X"), and an `<h1>` sharing no content
    // word with the title is a site banner or a section label instead. Of
    // several, the one sharing the most.
    let mut closest: Option<(usize, &String)> = None;
    for h in &headings {
        let shared = shared_content_words(h, &title);
        if shared > 0 && closest.is_none_or(|(n, _)| shared > n) {
            closest = Some((shared, h));
        }
    }
    if let Some((_, h)) = closest {
        return Some(h.clone());
    }
    for sep in TITLE_SEPARATORS {
        let parts: Vec<&str> = title.split(sep).map(str::trim).filter(|p| !p.is_empty()).collect();
        if parts.len() < 2 {
            continue;
        }
        let site_key = site_name.map(title_key);
        let kept: Vec<&str> =
            parts.iter().copied().filter(|p| site_key.as_deref() != Some(title_key(p).as_str())).collect();
        let longest = kept.iter().copied().max_by_key(|p| p.chars().count()).unwrap_or(parts[0]);
        let longest_len = longest.chars().count();
        // Keep a dash that belongs to the headline: the other parts are as
        // long as the headline itself.
        let others_short = kept.iter().filter(|p| **p != longest).all(|p| p.chars().count() * 5 < longest_len * 3);
        if others_short {
            return Some(longest.to_string());
        }
    }
    Some(title)
}

/// How many content words two titles share: words of three letters or
/// more, not numbers, not stop words of any language with resources.
fn shared_content_words(a: &str, b: &str) -> usize {
    static STOPWORDS: OnceLock<std::collections::HashSet<String>> = OnceLock::new();
    let stopwords = STOPWORDS.get_or_init(|| {
        storyline_resources::languages()
            .iter()
            .flat_map(|lang| storyline_resources::lines(lang, "stopwords.txt"))
            .map(|w| crate::lexicon::fold(&w))
            .collect()
    });
    let content_words = |text: &str| -> std::collections::HashSet<String> {
        crate::lexicon::fold(text)
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().count() >= 3 && !w.chars().all(|c| c.is_ascii_digit()) && !stopwords.contains(*w))
            .map(str::to_string)
            .collect()
    };
    let words_of_a = content_words(a);
    content_words(b).iter().filter(|w| words_of_a.contains(*w)).count()
}

/// Removes a first paragraph that only repeats the headline: the title is
/// its own field, and the body should start with the text.
fn drop_leading_title(page: &mut HtmlPage) {
    let Some(title) = page.title.as_deref() else { return };
    let first = page.text.split("\n\n").next().unwrap_or("");
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    if !first.is_empty() && norm(first) == norm(title) {
        page.text = page.text[first.len()..].trim_start().to_string();
    }
}

/// The body and metadata as the `trafilatura` crate alone gives them, from
/// a page already parsed (public so the benchmark can time this step by
/// itself). The page's tree is lent to the crate, which works on its own
/// copy, and is back in `doc` unchanged on return.
pub fn with_trafilatura(doc: &mut scraper::Html, url: Option<&str>, fallback: bool, focus: Focus) -> HtmlPage {
    let mut options = trafilatura::Options::default()
        .with_html_date_mode(trafilatura::HtmlDateMode::Disabled)
        .with_lean_metadata(true)
        // The content comes back as a tree: no HTML to serialise and parse again.
        .with_content_tree(true)
        .with_exclude_comments(true)
        .with_fallback(fallback)
        .with_focus(match focus {
            Focus::Precision => trafilatura::ExtractionFocus::FavorPrecision,
            Focus::Balanced => trafilatura::ExtractionFocus::Balanced,
            Focus::Recall => trafilatura::ExtractionFocus::FavorRecall,
        });
    if let Some(parsed) = url.and_then(|u| u.parse().ok()) {
        options = options.with_url(parsed);
    }
    let lent =
        trafilatura::dom::Document::from_tree(std::mem::replace(&mut doc.tree, scraper::Html::new_document().tree));
    let result = trafilatura::extract_document_ref(&lent, &options);
    doc.tree = lent.into_tree();
    match result {
        Ok(result) => {
            let m = result.metadata;
            HtmlPage {
                title: non_empty(m.title),
                author: non_empty(m.author),
                published: None,
                published_evidence: None,
                site_name: non_empty(m.sitename),
                declared_lang: None,
                url: non_empty(m.url),
                text: match &result.content_tree {
                    Some(tree) => paragraphs_from_tree(body_of(tree)),
                    None => paragraphs_from_html(&result.content_html),
                },
            }
        }
        Err(_) => HtmlPage::default(),
    }
}

#[cfg(feature = "compare-extractors")]
fn with_dom_smoothie(html: &str, url: Option<&str>) -> HtmlPage {
    let Ok(mut readability) = dom_smoothie::Readability::new(html, url, None) else {
        return HtmlPage::default();
    };
    match readability.parse() {
        Ok(article) => HtmlPage {
            title: non_empty(article.title),
            author: article.byline.and_then(non_empty),
            published: None,
            site_name: article.site_name.and_then(non_empty),
            declared_lang: article.lang.and_then(non_empty),
            url: article.url,
            text: paragraphs_from_html(&article.content),
            ..HtmlPage::default()
        },
        Err(_) => HtmlPage::default(),
    }
}

#[cfg(feature = "compare-extractors")]
fn with_rs_trafilatura(html: &str) -> HtmlPage {
    match rs_trafilatura::extract(html) {
        Ok(result) => HtmlPage {
            title: result.metadata.title.and_then(non_empty),
            author: result.metadata.author.and_then(non_empty),
            published: None,
            site_name: result.metadata.sitename.and_then(non_empty),
            declared_lang: result.metadata.language.and_then(non_empty),
            url: result.metadata.url.clone(),
            text: result.content_text,
            ..HtmlPage::default()
        },
        Err(_) => HtmlPage::default(),
    }
}

/// Block-level elements: each starts a new paragraph.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "table",
    "tr",
    "section",
    "article",
    "header",
    "footer",
    "figure",
    "figcaption",
    "br",
    "hr",
    "main",
    "aside",
    "address",
];

/// Turns extracted HTML into plain text with one paragraph per block
/// element, paragraphs separated by a blank line and white space folded
/// inside each. Extractors' own text output runs paragraphs together, and
/// paragraph boundaries matter downstream (sentences, spans, cleaning).
pub fn paragraphs_from_html(fragment: &str) -> String {
    paragraphs_from_tree(scraper::Html::parse_fragment(fragment).tree.root())
}

/// [`paragraphs_from_html`] on a tree already built: the text under `root`.
fn paragraphs_from_tree(root: ego_tree::NodeRef<'_, scraper::Node>) -> String {
    paragraphs_where(root, &|_| false)
}

/// [`paragraphs_from_tree`] leaving out the subtrees `skip` holds.
fn paragraphs_where<'a>(
    root: ego_tree::NodeRef<'a, scraper::Node>,
    skip: &dyn Fn(ego_tree::NodeRef<'a, scraper::Node>) -> bool,
) -> String {
    fn flush(current: &mut String, out: &mut Vec<String>) {
        let para = current.split_whitespace().collect::<Vec<_>>().join(" ");
        if !para.is_empty() {
            out.push(para);
        }
        current.clear();
    }
    fn walk<'a>(
        node: ego_tree::NodeRef<'a, scraper::Node>,
        skip: &dyn Fn(ego_tree::NodeRef<'a, scraper::Node>) -> bool,
        current: &mut String,
        out: &mut Vec<String>,
    ) {
        match node.value() {
            scraper::Node::Text(text) => current.push_str(text),
            scraper::Node::Element(element) => {
                let name = element.name();
                if matches!(name, "script" | "style" | "noscript" | "template") || skip(node) {
                    return;
                }
                let block = BLOCKS.contains(&name);
                if block {
                    flush(current, out);
                } else if matches!(name, "td" | "th") {
                    current.push(' ');
                }
                for child in node.children() {
                    walk(child, skip, current, out);
                }
                if block {
                    flush(current, out);
                }
            }
            _ => {
                for child in node.children() {
                    walk(child, skip, current, out);
                }
            }
        }
    }
    let mut out = Vec::new();
    let mut current = String::new();
    walk(root, skip, &mut current, &mut out);
    flush(&mut current, &mut out);
    out.join("\n\n")
}

/// The `<body>` of a document tree (its root when there is none).
fn body_of(tree: &ego_tree::Tree<scraper::Node>) -> ego_tree::NodeRef<'_, scraper::Node> {
    fn child_named<'a>(
        node: ego_tree::NodeRef<'a, scraper::Node>,
        name: &str,
    ) -> Option<ego_tree::NodeRef<'a, scraper::Node>> {
        node.children().find(|c| c.value().as_element().is_some_and(|e| e.name() == name))
    }
    child_named(tree.root(), "html").and_then(|html| child_named(html, "body")).unwrap_or(tree.root())
}

/// The publication date of a page and where it was found (see
/// [`crate::pubdate`]); dates after today are refused.
pub fn publication_date(html: &str, url: Option<&str>) -> Option<(NaiveDate, crate::pubdate::DateEvidence)> {
    let doc = scraper::Html::parse_document(html);
    crate::pubdate::find_page_date(&doc, url, chrono::Local::now().date_naive())
}

/// `/2020/10/31/` or `/2020-10-31/` style dates in a URL path.
pub fn date_from_url(url: &str) -> Option<NaiveDate> {
    static URL_DATE: OnceLock<Regex> = OnceLock::new();
    let re =
        URL_DATE.get_or_init(|| Regex::new(r"[/_-]((?:19|20)\d{2})[/_-](\d{1,2})[/_-](\d{1,2})(?:[/_.-]|$)").unwrap());
    // A date written without separators fills a path segment of its own
    // ("/20200428/"): eight digits inside a longer number are an id.
    static COMPACT: OnceLock<Regex> = OnceLock::new();
    let compact = COMPACT.get_or_init(|| Regex::new(r"[/_-]((?:19|20)\d{2})(\d{2})(\d{2})(?:[/_.-]|$)").unwrap());
    if let Some(c) = re.captures(url).or_else(|| compact.captures(url)) {
        return NaiveDate::from_ymd_opt(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?);
    }
    // "/meldungen/29-10-2021": day first, as a path segment of its own.
    static DAY_FIRST: OnceLock<Regex> = OnceLock::new();
    let day_first =
        DAY_FIRST.get_or_init(|| Regex::new(r"/(\d{1,2})[-_.](\d{1,2})[-_.]((?:19|20)\d{2})(?:[/?#]|$)").unwrap());
    let c = day_first.captures(url)?;
    NaiveDate::from_ymd_opt(c[3].parse().ok()?, c[2].parse().ok()?, c[1].parse().ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_visible_headline_wins_over_a_reworded_metadata_title_but_not_a_banner() {
        let title =
            |html: &str, meta: &str| refine_title(&scraper::Html::parse_document(html), Some(meta.into()), None);
        let reworded = "<html><body><h1>Seven ways to keep a sourdough starter alive</h1><p>Text.</p></body></html>";
        assert_eq!(
            title(reworded, "Sourdough Starter Care Tips for 2025 | Bakery Notes").as_deref(),
            Some("Seven ways to keep a sourdough starter alive")
        );
        let two = "<html><body><h1>Harbour Gazette</h1><h1>How the harbour strike ended</h1></body></html>";
        assert_eq!(
            title(two, "How the harbour strike ended, in pictures - Harbour Gazette").as_deref(),
            Some("How the harbour strike ended")
        );
        let banner = "<html><body><h1>Bakery Notes Weekly</h1><p>Text.</p></body></html>";
        assert_eq!(title(banner, "How the harbour strike ended").as_deref(), Some("How the harbour strike ended"));
    }

    #[test]
    fn extracted_html_keeps_paragraph_breaks() {
        let text = paragraphs_from_html(
            "<h1>Title</h1><p>One <b>bold</b>\n word.</p><ul><li>a</li><li>b</li></ul><p>Two<br>lines</p>",
        );
        assert_eq!(text, "Title\n\nOne bold word.\n\na\n\nb\n\nTwo\n\nlines");
    }

    /// A guide written for these tests: two paragraphs of prose with a
    /// list and a table between them, a related-links block and a teaser
    /// cut short after them.
    const GUIDE: &str = "<html><body><nav><a>Home</a> <a>Guides</a></nav><div class=\"page\">\
        <div class=\"article\"><h1>How to choose a tent for a long walk</h1>\
        <p>A tent for a long walk must be light, quick to pitch and strong enough for wind on open ground.</p>\
        <ul><li>Weight under two kilograms for one person and a half</li>\
        <li>Poles of aluminium rather than fibreglass for the cold nights</li>\
        <li>A porch wide enough to cook under when it rains all evening</li></ul>\
        <table><tr><td>Model</td><td>Weight</td><td>Season</td></tr>\
        <tr><td>Ridge one</td><td>1.2 kg</td><td>three seasons with a fly sheet</td></tr></table>\
        <p>Whatever the model, pitch it once in the garden before the first night out on the hill.</p>\
        <div class=\"related-posts\"><p>Our guide to sleeping bags for every season and every budget on the market</p></div>\
        <p>Next week: how to choose boots that will not hurt on the second day of a long...</p>\
        </div></div><footer>Contact us about anything at all on this site</footer></body></html>";

    #[test]
    fn what_lies_between_two_kept_paragraphs_of_the_content_block_is_put_back() {
        let doc = scraper::Html::parse_document(GUIDE);
        let first = "A tent for a long walk must be light, quick to pitch and strong enough for wind on open ground.";
        let last = "Whatever the model, pitch it once in the garden before the first night out on the hill.";
        let mut page = HtmlPage { text: format!("{first}\n\n{last}"), ..HtmlPage::default() };
        extend_to_content_block(&doc, &mut page);
        assert!(page.text.starts_with(first), "{}", page.text);
        assert!(page.text.ends_with(last), "{}", page.text);
        assert!(page.text.contains("Poles of aluminium"), "{}", page.text);
        assert!(page.text.contains("three seasons with a fly sheet"), "{}", page.text);
        assert!(!page.text.contains("sleeping bags"), "{}", page.text);
        assert!(!page.text.contains("Contact us"), "{}", page.text);
    }

    #[test]
    fn an_extraction_that_holds_the_article_or_another_part_of_the_page_stays() {
        let doc = scraper::Html::parse_document(GUIDE);
        // Whole already: nothing much between its paragraphs to add.
        let whole = paragraphs_from_html(GUIDE);
        let mut page = HtmlPage { text: whole.clone(), ..HtmlPage::default() };
        extend_to_content_block(&doc, &mut page);
        assert_eq!(page.text, whole);
        // A teaser cut short is no landmark: the list before it is not taken.
        let teaser = "Next week: how to choose boots that will not hurt on the second day of a long...";
        let first = "A tent for a long walk must be light, quick to pitch and strong enough for wind on open ground.";
        let mut page = HtmlPage { text: format!("{first}\n\n{teaser}"), ..HtmlPage::default() };
        extend_to_content_block(&doc, &mut page);
        assert_eq!(page.text, format!("{first}\n\n{teaser}"));
    }

    #[test]
    fn a_lead_the_extractor_drops_is_put_back_once() {
        let html = include_str!("../tests/fixtures/lead_under_headline.html");
        let lead = "Après trois jours de pluie, la digue nord";
        let mut doc = scraper::Html::parse_document(html);
        let plain = with_trafilatura(&mut doc, None, true, Focus::Precision);
        assert!(!plain.text.contains(lead), "the extractor alone keeps the lead now: {}", plain.text);
        let page = extract_html(html, None, HtmlOptions::default());
        assert!(page.text.starts_with(lead), "{}", page.text);
        assert_eq!(page.text.matches(lead).count(), 1);
        assert!(!page.text.contains("adSlot"), "{}", page.text);
    }

    #[test]
    fn a_lead_the_body_holds_with_other_spacing_is_not_put_back() {
        // The lead's links are separate text nodes ("( Aux Trois Pins! Chez Lou! )"),
        // the body runs them together; the lead also goes on past the body's copy.
        let html = "<html><body><h1>Les meilleures tables de la ville en 2025</h1>\
                    <p class=\"lead\">Les étoiles sont de retour en ville, des nouvelles tables \
                    (<a>Aux Trois Pins!</a> <a>Chez Lou!</a>) aux maisons établies. Pour la liste \
                    complète, voyez le guide.</p></body></html>";
        let doc = scraper::Html::parse_document(html);
        let body = "Les étoiles sont de retour en ville, des nouvelles tables (Aux Trois Pins!Chez Lou!) \
                    aux maisons établies.\n\nLa première adresse sert une cuisine de saison.";
        let mut page = HtmlPage {
            title: Some("Les meilleures tables de la ville en 2025".into()),
            text: body.into(),
            ..HtmlPage::default()
        };
        recover_lead(&doc, &mut page);
        assert_eq!(page.text, body);
    }

    #[test]
    fn a_body_field_marked_summary_is_not_a_lead() {
        let body = "<p>Le conseil municipal a voté mardi le budget de la piscine, après deux heures de débat.</p>\
                    <p>La rénovation commencera en septembre et durera quatorze mois selon le calendrier.</p>\
                    <p>Les associations sportives seront relogées au gymnase pendant toute la durée des travaux.</p>";
        let html = format!(
            "<html><body><h1>Le budget de la piscine est voté</h1>\
             <div class=\"field field--type-text-with-summary\">{body}</div></body></html>"
        );
        let page = extract_html(&html, None, HtmlOptions::default());
        assert_eq!(page.text.matches("Le conseil municipal").count(), 1, "{}", page.text);
    }

    #[test]
    fn sections_cut_into_sibling_blocks_are_taken_back_past_a_table_but_not_captions_or_notices() {
        let sentence = |topic: &str, k: usize| {
            format!(
                "The {topic} part number {k} of this story runs on for a while, long enough that it reads as plain running text of a news article."
            )
        };
        let section = |topic: &str| {
            format!(
                r#"<div class="block text"><h2>About {topic}</h2><p>{}</p><div class="wp-caption"><p class="credit">Photo courtesy of someone</p></div><p>{}</p></div>"#,
                sentence(topic, 1),
                sentence(topic, 2)
            )
        };
        let html = format!(
            r#"<html><body><main>{}<div class="block image"><figure><img src="a.png"><figcaption>Photo courtesy of someone</figcaption></figure></div><div class="block text"><table><tr><td>1</td><td>2</td></tr></table></div>{}<div class="block text"><p>Advertising disclosure: we may receive compensation for some of the links in our stories here.</p></div></main></body></html>"#,
            section("harbour"),
            section("bridge")
        );
        let doc = scraper::Html::parse_document(&html);
        let kept = format!("About harbour\n\n{}\n\n{}", sentence("harbour", 1), sentence("harbour", 2));
        let mut page = HtmlPage { text: kept.clone(), ..HtmlPage::default() };
        continue_in_sibling_blocks(&doc, &mut page);
        assert!(page.text.starts_with(&kept), "{}", page.text);
        assert!(page.text.contains(&sentence("bridge", 2)), "{}", page.text);
        assert!(!page.text.contains("Photo courtesy"), "{}", page.text);
        assert!(!page.text.contains("Advertising disclosure"), "{}", page.text);
        assert_eq!(page.text.matches(&sentence("harbour", 1)).count(), 1, "nothing repeated");
    }

    #[test]
    fn a_short_precision_extraction_gives_way_to_a_much_longer_balanced_one() {
        let notice = "You will be linking to another website not owned by us.";
        let article = "Doing taxes is never fun, but the right tool makes it easier. ".repeat(60);
        assert!(prefer_balanced(notice, &article));
        assert!(!prefer_balanced(&article, &format!("{article} {article} {article} {article}")), "a long text stays");
        let near = format!("{notice} {notice}");
        assert!(!prefer_balanced(notice, &near), "twice the words is not enough");
        let section = "One section of a comparison chart, kept alone by the precision lean. ".repeat(35);
        assert!(prefer_balanced(&section, &section.repeat(3)), "one section of three gives way to the whole");
    }

    #[test]
    fn url_dates_are_read_from_paths() {
        assert_eq!(date_from_url("https://x.org/2020/10/31/story.html").unwrap().to_string(), "2020-10-31");
        assert_eq!(date_from_url("https://x.org/news/2021-03-04-title").unwrap().to_string(), "2021-03-04");
        assert!(date_from_url("https://x.org/2020/13/45/").is_none());
        assert_eq!(date_from_url("https://x.org/news/29-10-2021").unwrap().to_string(), "2021-10-29");
        assert_eq!(date_from_url("https://x.org/20190312/a-title").unwrap().to_string(), "2019-03-12");
        assert!(date_from_url("https://x.org/item/1201903120/").is_none());
        assert!(date_from_url("https://x.org/20191312/a-title").is_none());
    }
}
