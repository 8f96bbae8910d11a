//! Language knowledge as data: word lists and tables under `resources/<lang>/`.
//!
//! Files are plain UTF-8, one entry per line; `#` starts a comment line.
//! They are embedded at build time (see `build.rs`). Setting the environment
//! variable `STORYLINE_RESOURCES` to a folder makes files found there take
//! precedence, so a lexicon can be edited without rebuilding.

use std::collections::HashSet;

include!(concat!(env!("OUT_DIR"), "/resources.rs"));

/// The raw content of `resources/<lang>/<name>`, from the override folder if
/// set and present there, else from the embedded copy.
pub fn raw(lang: &str, name: &str) -> Option<String> {
    let rel = format!("{lang}/{name}");
    if let Some(dir) = std::env::var_os("STORYLINE_RESOURCES") {
        if let Ok(text) = std::fs::read_to_string(std::path::Path::new(&dir).join(&rel)) {
            return Some(text);
        }
    }
    FILES.iter().find(|(path, _)| *path == rel).map(|(_, text)| text.to_string())
}

/// The bytes of a binary resource (a `.gz` model) `resources/<lang>/<name>`,
/// from the override folder if set and present there, else embedded.
pub fn bytes(lang: &str, name: &str) -> Option<std::borrow::Cow<'static, [u8]>> {
    let rel = format!("{lang}/{name}");
    if let Some(dir) = std::env::var_os("STORYLINE_RESOURCES") {
        if let Ok(data) = std::fs::read(std::path::Path::new(&dir).join(&rel)) {
            return Some(std::borrow::Cow::Owned(data));
        }
    }
    BINARY_FILES.iter().find(|(path, _)| *path == rel).map(|(_, data)| std::borrow::Cow::Borrowed(*data))
}

/// The text of a gzipped resource `resources/<lang>/<name>` (a large word
/// list), None when it is missing or not valid gzipped UTF-8.
pub fn gunzipped(lang: &str, name: &str) -> Option<String> {
    use std::io::Read;
    let bytes = bytes(lang, name)?;
    let mut text = String::new();
    flate2::read::GzDecoder::new(&bytes[..]).read_to_string(&mut text).ok()?;
    Some(text)
}

/// The non-empty, non-comment lines of a resource, trimmed. Missing files give
/// an empty list: a language may lack a resource.
pub fn lines(lang: &str, name: &str) -> Vec<String> {
    raw(lang, name)
        .map(|text| {
            text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(str::to_string).collect()
        })
        .unwrap_or_default()
}

/// A resource's lines, lowercased, as a set.
pub fn word_set(lang: &str, name: &str) -> HashSet<String> {
    lines(lang, name).into_iter().map(|l| l.to_lowercase()).collect()
}

/// Tab-separated rows of a resource (comment and blank lines skipped).
pub fn rows(lang: &str, name: &str) -> Vec<Vec<String>> {
    lines(lang, name).into_iter().map(|l| l.split('\t').map(|f| f.trim().to_string()).collect()).collect()
}

/// The languages that have a resource folder (e.g. `["en", "fr"]`).
pub fn languages() -> Vec<&'static str> {
    let mut langs: Vec<&str> = FILES
        .iter()
        .map(|(p, _)| *p)
        .chain(BINARY_FILES.iter().map(|(p, _)| *p))
        .filter_map(|p| p.split('/').next())
        .collect();
    langs.sort_unstable();
    langs.dedup();
    langs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_and_english_resources_are_embedded() {
        let langs = languages();
        assert!(langs.contains(&"en") && langs.contains(&"fr"), "{langs:?}");
        assert!(word_set("fr", "stopwords.txt").contains("le"));
        assert!(word_set("en", "stopwords.txt").contains("the"));
        assert!(lines("xx", "missing.txt").is_empty());
    }

    #[test]
    fn month_table_has_twelve_rows_per_language() {
        for lang in languages().into_iter().filter(|l| raw(l, "months.tsv").is_some()) {
            let months = rows(lang, "months.tsv");
            assert_eq!(months.len(), 12, "{lang}");
        }
    }
}
