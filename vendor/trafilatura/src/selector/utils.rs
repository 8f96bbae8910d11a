// Port of go-trafilatura/internal/selector/utils.go

use crate::dom::{Document, NodeId};

/// Returns all ancestor elements of `id` that match `ancestor_tag`.
///
/// Port of `getNodeAncestors`.
pub(crate) fn get_node_ancestors(doc: &Document, id: NodeId, ancestor_tag: &str) -> Vec<NodeId> {
    let mut ancestors = Vec::new();
    let mut cur = id;
    while let Some(parent) = doc.parent(cur) {
        if doc.tag_name(parent) == ancestor_tag {
            ancestors.push(parent);
        }
        cur = parent;
    }
    ancestors
}

/// Port of Go's `contains(s, substr)`.
#[inline]
pub(crate) fn contains(s: &str, substr: &str) -> bool {
    s.contains(substr)
}

/// Port of Go's `startsWith(s, prefix)`.
#[inline]
pub(crate) fn starts_with(s: &str, prefix: &str) -> bool {
    s.starts_with(prefix)
}

/// Port of Go's `lower(s)`.
///
/// storyline patch: borrowed when there is nothing to lower (most class names), ASCII
/// lowering for ASCII text (the same result as `to_lowercase` there); the rules call it on
/// every element of a page.
#[inline]
pub(crate) fn lower(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.is_ascii() {
        std::borrow::Cow::Owned(s.to_lowercase())
    } else if s.bytes().any(|b| b.is_ascii_uppercase()) {
        std::borrow::Cow::Owned(s.to_ascii_lowercase())
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// storyline patch: `format!("{a}{b}")` without allocating when one side is empty, as it is
/// for most elements (a class and no id).
#[inline]
pub(crate) fn concat<'a>(a: &'a str, b: &'a str) -> std::borrow::Cow<'a, str> {
    if a.is_empty() {
        std::borrow::Cow::Borrowed(b)
    } else if b.is_empty() {
        std::borrow::Cow::Borrowed(a)
    } else {
        std::borrow::Cow::Owned(format!("{a}{b}"))
    }
}
