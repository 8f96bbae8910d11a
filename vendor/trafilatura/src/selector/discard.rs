// Port of go-trafilatura/internal/selector/content-discard-overall.go,
// content-discard-precision.go, teaser-discard.go, image-discard.go,
// comments-discard.go, comments-removed.go

use crate::dom::{Document, NodeId};
use crate::selector::utils::{concat, contains, lower, starts_with};

/// Rules that discard common boilerplate: footers, nav, sidebars, ads, etc.
///
/// Port of `OverallDiscardedContent`.
pub(crate) const OVERALL_DISCARDED_CONTENT: &[super::Rule] = &[
    overall_discarded_content_rule1,
    overall_discarded_content_rule2,
];

/// Rules that discard elements in precision mode: headers and link/border containers.
///
/// Port of `PrecisionDiscardedContent`.
pub(crate) const PRECISION_DISCARDED_CONTENT: &[super::Rule] = &[
    precision_discarded_content_rule1,
    precision_discarded_content_rule2,
];

/// Rules that discard comment-adjacent noise (reply forms, hidden elements, etc.).
///
/// Port of `DiscardedComments`.
pub(crate) const DISCARDED_COMMENTS: &[super::Rule] = &[
    discarded_comments_rule1,
    discarded_comments_rule2,
    discarded_comments_rule3,
];

/// Rules that remove full comment thread sections.
///
/// Port of `RemovedComments`.
pub(crate) const REMOVED_COMMENTS: &[super::Rule] = &[removed_comments_rule1];

/// Containers that readability-style extractors treat as unlikely content
/// candidates: comments, sidebars, headers, footers, promos, and similar
/// boilerplate.
///
/// Port of the unlikely-candidates preprocessing in go-trafilatura's
/// readability-lxml engine (`readabilityLxmlRemoveUnlikely`), itself the
/// classic arc90 readability heuristic: an element whose combined
/// `class`/`id` matches an unlikely token — unless it also matches a
/// "possible content" token such as `main` or `article` — is unlikely to be
/// main content. Exposed as a regular rule so it composes with
/// [`prune_unwanted_nodes`](crate::extraction::prune_unwanted_nodes) like any
/// other discard set.
pub(crate) const UNLIKELY_CANDIDATES: &[super::Rule] = &[unlikely_candidates_rule1];

static UNLIKELY_TOKENS: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?i)combx|comment|community|disqus|extra|foot|header|menu|remark|rss|shoutbox|sidebar|sponsor|ad-break|agegate|pagination|pager|popup|tweet|twitter").unwrap()
});

static POSSIBLE_CONTENT_TOKENS: std::sync::LazyLock<regex::Regex> =
    std::sync::LazyLock::new(|| {
        regex::Regex::new(r"(?i)and|article|body|column|main|shadow").unwrap()
    });

/// Matches boilerplate-marked containers whose `class`/`id` contains an
/// unlikely token but no possible-content token.
///
/// Port of `readabilityLxmlRemoveUnlikely`. `<html>` and `<body>` are exempt.
fn unlikely_candidates_rule1(doc: &Document, id: NodeId) -> bool {
    let tag = doc.tag_name(id);
    if tag == "html" || tag == "body" {
        return false;
    }
    // storyline patch: nothing to match without a class or an id.
    if doc.class_name(id).is_empty() && doc.id_attr(id).is_empty() {
        return false;
    }
    // No token holds a space, so none spans the space upstream puts between class and id:
    // each is matched on its own, without building "class id".
    let (class, elem_id) = (doc.class_name(id), doc.id_attr(id));
    (UNLIKELY_TOKENS.is_match(class) || UNLIKELY_TOKENS.is_match(elem_id))
        && !(POSSIBLE_CONTENT_TOKENS.is_match(class) || POSSIBLE_CONTENT_TOKENS.is_match(elem_id))
}

/// Rules that discard image caption containers.
///
/// Port of `DiscardedImage`.
pub(crate) const DISCARDED_IMAGE: &[super::Rule] = &[discarded_image_rule1];

/// Rules that discard teaser/preview elements.
///
/// Port of `DiscardedTeaser`.
pub(crate) const DISCARDED_TEASER: &[super::Rule] = &[discarded_teaser_rule1];

// ---------------------------------------------------------------------------
// OverallDiscardedContent rules
// ---------------------------------------------------------------------------

/// storyline patch: the many `contains` tests of the two rules below, one automaton per
/// attribute string instead of one substring scan per word (same matches, a few percent of
/// the whole extraction).
fn any_of(words: &[&str]) -> aho_corasick::AhoCorasick {
    aho_corasick::AhoCorasick::new(words).expect("valid word list")
}

static RULE1_CLASS: std::sync::LazyLock<aho_corasick::AhoCorasick> =
    std::sync::LazyLock::new(|| {
        any_of(&[
            "elated",
            "share-",
            "sociable",
            "embed",
            "subnav",
            "tag-list",
            "bar",
            "meta",
            "menu",
            "avigation",
            "navbar",
            "navbox",
            "rating",
            "widget",
            "attachment",
            "timestamp",
            "user-info",
            "user-profile",
            "-ad-",
            "-icon",
            "article-infos",
            "nfoline",
            "outbrain",
            "taboola",
            "criteo",
            "options",
            "expand",
            "consent",
            "modal-content",
            " ad ",
            "permission",
            "next-",
            "-stories",
            "most-popular",
            "mol-factbox",
            "yin",
            "zlylin",
            "xg1",
            "slide",
            "viewport",
            "overlay",
            "paid-content",
            "paidcontent",
            "obfuscated",
            "blurred",
        ])
    });

static RULE1_ID_CLASS: std::sync::LazyLock<aho_corasick::AhoCorasick> =
    std::sync::LazyLock::new(|| {
        any_of(&[
            "viral",
            "social",
            "syndication",
            "newsletter",
            "cookie",
            "tags",
            "sidebar",
            "banner",
            "breadcrumb",
            "bread-crumb",
            "author",
            "button",
            "message-container",
        ])
    });

static RULE2_CLASS: std::sync::LazyLock<aho_corasick::AhoCorasick> =
    std::sync::LazyLock::new(|| {
        any_of(&[
            "comments-title",
            "nocomments",
            "-reply-",
            "message",
            "akismet",
            "suggest-links",
            "-hide-",
            "hide-print",
            " hidden",
            " hide",
            "noprint",
            "notloaded",
        ])
    });

/// Matches navigation, footers, social sharing, ads, paywalls, and other boilerplate.
///
/// Port of `overallDiscardedContentRule1`.
fn overall_discarded_content_rule1(doc: &Document, id: NodeId) -> bool {
    let tag = doc.tag_name(id);
    match tag {
        "div" | "dd" | "dt" | "li" | "ul" | "ol" | "dl" | "p" | "section" | "span" => {}
        _ => return false,
    }

    let class = doc.class_name(id);
    let elem_id = doc.id_attr(id);
    let role = doc.attr_ref(id, "role").unwrap_or_default();
    let data_component = doc.attr_ref(id, "data-component").unwrap_or_default();
    let lp_replacement = doc.attr_ref(id, "data-lp-replacement-content").is_some();
    if class.is_empty() && elem_id.is_empty() && role.is_empty() && data_component.is_empty() {
        return lp_replacement;
    }
    // The concatenation is kept: a word may span the join, as upstream matches it.
    let id_class = concat(elem_id, class);
    let lower_id = lower(elem_id);
    let lower_class = lower(class);
    let lower_role = lower(role);

    RULE1_CLASS.is_match(class)
        || RULE1_ID_CLASS.is_match(id_class.as_ref())
        || contains(&lower_id, "footer")
        || contains(&lower_id, "share")
        || contains(&lower_id, "nav")
        || contains(&lower_class, "footer")
        || contains(&lower_class, "byline")
        || contains(elem_id, "related")
        || contains(elem_id, "menu")
        || contains(elem_id, "bmdh")
        || contains(elem_id, "premium")
        || starts_with(&id_class, "shar")
        || starts_with(elem_id, "jp-")
        || starts_with(elem_id, "dpsp-content")
        || contains(&lower_role, "nav")
        || starts_with(class, "nav")
        || starts_with(class, "post-nav")
        || starts_with(class, "ZendeskForm")
        || contains(data_component, "MostPopularStories")
        || lp_replacement
}

/// Matches hidden elements, comment debris, and display:none content.
///
/// Port of `overallDiscardedContentRule2`.
fn overall_discarded_content_rule2(doc: &Document, id: NodeId) -> bool {
    let class = doc.class_name(id);
    let elem_id = doc.id_attr(id);
    let style = doc.attr_ref(id, "style").unwrap_or_default();
    let aria_hidden = doc.attr_ref(id, "aria-hidden").unwrap_or_default();
    if class.is_empty() && elem_id.is_empty() && style.is_empty() {
        return aria_hidden == "true";
    }
    let id_class = concat(elem_id, class);
    let id_style = concat(elem_id, style);

    RULE2_CLASS.is_match(class)
        || starts_with(&id_class, "reply-")
        || contains(elem_id, "reader-comments")
        || contains(elem_id, "akismet")
        || starts_with(class, "hide-")
        || contains(&id_style, "hidden")
        || contains(style, "display:none")
        || contains(style, "display: none")
        || aria_hidden == "true"
}

// ---------------------------------------------------------------------------
// PrecisionDiscardedContent rules
// ---------------------------------------------------------------------------

/// Matches `<header>` elements.
///
/// Port of `precisionDiscardedContentRule1`.
fn precision_discarded_content_rule1(doc: &Document, id: NodeId) -> bool {
    doc.tag_name(id) == "header"
}

/// Matches containers with "bottom", "link", or border styles.
///
/// Port of `precisionDiscardedContentRule2`.
fn precision_discarded_content_rule2(doc: &Document, id: NodeId) -> bool {
    let tag = doc.tag_name(id);
    match tag {
        "div" | "dd" | "dt" | "li" | "ul" | "ol" | "dl" | "p" | "section" | "span" => {}
        _ => return false,
    }

    let class = doc.class_name(id);
    let elem_id = doc.id_attr(id);
    let style = doc.attr_ref(id, "style").unwrap_or_default();
    let id_class = concat(elem_id, class);

    contains(&id_class, "bottom") || contains(&id_class, "link") || contains(&style, "border")
}

// ---------------------------------------------------------------------------
// DiscardedComments rules
// ---------------------------------------------------------------------------

/// Matches reply form containers (id starts with "respond").
///
/// Port of `discardedCommentsRule1`.
fn discarded_comments_rule1(doc: &Document, id: NodeId) -> bool {
    let tag = doc.tag_name(id);
    match tag {
        "div" | "section" => {}
        _ => return false,
    }

    starts_with(&doc.id_attr(id), "respond")
}

/// Matches `<cite>` and `<quote>` elements.
///
/// Port of `discardedCommentsRule2`.
fn discarded_comments_rule2(doc: &Document, id: NodeId) -> bool {
    let tag = doc.tag_name(id);
    tag == "cite" || tag == "quote"
}

/// Matches comment noise: titles, nocomments, reply links, hidden, sign-in, akismet.
///
/// Port of `discardedCommentsRule3`.
fn discarded_comments_rule3(doc: &Document, id: NodeId) -> bool {
    let class = doc.class_name(id);
    let elem_id = doc.id_attr(id);
    let style = doc.attr_ref(id, "style").unwrap_or_default();
    let id_class = concat(elem_id, class);

    class == "comments-title"
        || contains(&class, "comments-title")
        || contains(&class, "nocomments")
        || starts_with(&id_class, "reply-")
        || contains(&class, "-reply-")
        || contains(&class, "message")
        || contains(&class, "signin")
        || contains(&id_class, "akismet")
        || contains(&style, "display:none")
}

// ---------------------------------------------------------------------------
// RemovedComments rules
// ---------------------------------------------------------------------------

/// Matches full comment thread sections (starts with "comment" in id or class).
///
/// Port of `removedCommentsRule1`.
fn removed_comments_rule1(doc: &Document, id: NodeId) -> bool {
    let tag = doc.tag_name(id);
    match tag {
        "div" | "ol" | "ul" | "dl" | "section" | "details" => {}
        _ => return false,
    }

    let class = doc.class_name(id);
    let elem_id = doc.id_attr(id);

    starts_with(&elem_id, "comment")
        || starts_with(&elem_id, "Comment")
        || starts_with(&class, "comment")
        || starts_with(&class, "Comment")
        || contains(&class, "article-comments")
        || contains(&class, "post-comments")
        || starts_with(&elem_id, "comol")
        || starts_with(&elem_id, "disqus_thread")
        || starts_with(&elem_id, "dsq-comments")
}

// ---------------------------------------------------------------------------
// DiscardedImage rules
// ---------------------------------------------------------------------------

/// Matches image caption containers.
///
/// Port of `discardedImageRule1`.
fn discarded_image_rule1(doc: &Document, id: NodeId) -> bool {
    let tag = doc.tag_name(id);
    match tag {
        "div" | "dd" | "dt" | "li" | "ul" | "ol" | "dl" | "p" | "section" | "span" => {}
        _ => return false,
    }

    let class = doc.class_name(id);
    let elem_id = doc.id_attr(id);

    contains(&elem_id, "caption") || contains(&class, "caption")
}

// ---------------------------------------------------------------------------
// DiscardedTeaser rules
// ---------------------------------------------------------------------------

/// Matches teaser/preview containers (case-insensitive).
///
/// Port of `discardedTeaserRule1`.
fn discarded_teaser_rule1(doc: &Document, id: NodeId) -> bool {
    let tag = doc.tag_name(id);
    match tag {
        "div" | "dd" | "dt" | "li" | "ul" | "ol" | "dl" | "p" | "section" | "span" => {}
        _ => return false,
    }

    let class = doc.class_name(id);
    let elem_id = doc.id_attr(id);

    contains(&lower(&elem_id), "teaser") || contains(&lower(&class), "teaser")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dom::Document;
    use crate::selector::query;

    fn parse(html: &str) -> Document {
        Document::parse(html)
    }

    #[test]
    fn test_overall_discard_footer() {
        let doc = parse(r#"<html><body><div class="footer">footer</div></body></html>"#);
        let body = doc.body().unwrap();
        assert!(query(&doc, body, OVERALL_DISCARDED_CONTENT).is_some());
    }

    #[test]
    fn test_overall_discard_nav() {
        let doc = parse(r#"<html><body><div class="navbar">nav</div></body></html>"#);
        let body = doc.body().unwrap();
        assert!(query(&doc, body, OVERALL_DISCARDED_CONTENT).is_some());
    }

    #[test]
    fn test_overall_discard_sidebar() {
        let doc = parse(r#"<html><body><div id="sidebar">side</div></body></html>"#);
        let body = doc.body().unwrap();
        assert!(query(&doc, body, OVERALL_DISCARDED_CONTENT).is_some());
    }

    #[test]
    fn test_overall_discard_aria_hidden() {
        let doc = parse(r#"<html><body><div aria-hidden="true">hidden</div></body></html>"#);
        let body = doc.body().unwrap();
        assert!(query(&doc, body, OVERALL_DISCARDED_CONTENT).is_some());
    }

    #[test]
    fn test_overall_discard_display_none() {
        let doc = parse(r#"<html><body><div style="display:none">hidden</div></body></html>"#);
        let body = doc.body().unwrap();
        assert!(query(&doc, body, OVERALL_DISCARDED_CONTENT).is_some());
    }

    #[test]
    fn test_overall_discard_paywall() {
        let doc = parse(r#"<html><body><div class="paid-content">paywall</div></body></html>"#);
        let body = doc.body().unwrap();
        assert!(query(&doc, body, OVERALL_DISCARDED_CONTENT).is_some());
    }

    #[test]
    fn test_precision_discard_header() {
        let doc = parse(r#"<html><body><header>header</header></body></html>"#);
        let body = doc.body().unwrap();
        assert!(query(&doc, body, PRECISION_DISCARDED_CONTENT).is_some());
    }

    #[test]
    fn test_precision_discard_bottom() {
        let doc = parse(r#"<html><body><div class="bottom-links">links</div></body></html>"#);
        let body = doc.body().unwrap();
        assert!(query(&doc, body, PRECISION_DISCARDED_CONTENT).is_some());
    }

    #[test]
    fn test_discarded_comments_respond() {
        let doc = parse(r#"<html><body><div id="respond">form</div></body></html>"#);
        let body = doc.body().unwrap();
        assert!(query(&doc, body, DISCARDED_COMMENTS).is_some());
    }

    #[test]
    fn test_unlikely_candidates_rule() {
        let matches = |html: &str| {
            let doc = parse(html);
            let body = doc.body().unwrap();
            query(&doc, body, UNLIKELY_CANDIDATES).is_some()
        };
        // Boilerplate-marked containers match …
        assert!(matches(
            r#"<html><body><div id="comments" class="comments-area">x</div></body></html>"#
        ));
        assert!(matches(
            r#"<html><body><aside class="sidebar">x</aside></body></html>"#
        ));
        assert!(matches(
            r#"<html><body><div class="promo sponsor-box">x</div></body></html>"#
        ));
        // … unless a possible-content token appears (and|article|body|column|main|shadow).
        assert!(!matches(
            r#"<html><body><div class="comment-body">x</div></body></html>"#
        ));
        assert!(!matches(
            r#"<html><body><div class="comments main-area">x</div></body></html>"#
        ));
        assert!(!matches(
            r#"<html><body><article class="">article body</article></body></html>"#
        ));
    }

    #[test]
    fn test_discarded_comments_cite() {
        let doc = parse(r#"<html><body><cite>quote</cite></body></html>"#);
        let body = doc.body().unwrap();
        assert!(query(&doc, body, DISCARDED_COMMENTS).is_some());
    }

    #[test]
    fn test_removed_comments_section() {
        let doc = parse(r#"<html><body><div id="comments">all comments</div></body></html>"#);
        let body = doc.body().unwrap();
        assert!(query(&doc, body, REMOVED_COMMENTS).is_some());
    }

    #[test]
    fn test_discarded_image_caption() {
        let doc = parse(r#"<html><body><div class="caption">caption text</div></body></html>"#);
        let body = doc.body().unwrap();
        assert!(query(&doc, body, DISCARDED_IMAGE).is_some());
    }

    #[test]
    fn test_discarded_teaser() {
        let doc = parse(r#"<html><body><div class="Teaser-box">teaser</div></body></html>"#);
        let body = doc.body().unwrap();
        assert!(query(&doc, body, DISCARDED_TEASER).is_some());
    }

    #[test]
    fn test_overall_no_match_article_content() {
        let doc = parse(r#"<html><body><div class="article-content">text</div></body></html>"#);
        let body = doc.body().unwrap();
        assert!(query(&doc, body, OVERALL_DISCARDED_CONTENT).is_none());
    }
}
