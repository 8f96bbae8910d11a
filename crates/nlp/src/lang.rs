//! Language identification with `whatlang`, restricted to an allowlist.
//!
//! Unrestricted, whatlang guesses wildly on short strings (a French headline
//! can come out as Latin or Esperanto); news in the languages we see is
//! what matters, so we only let it choose among them. Very short inputs get
//! no guess at all rather than a wrong one.

use std::sync::OnceLock;

use whatlang::{Detector, Lang};

/// A language guess.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LanguageGuess {
    /// ISO 639-1 code (`fr`, `en`, ...).
    pub code: &'static str,
    /// whatlang's confidence, 0..1.
    pub confidence: f64,
}

const ALLOWED: &[(Lang, &str)] = &[
    (Lang::Fra, "fr"),
    (Lang::Eng, "en"),
    (Lang::Deu, "de"),
    (Lang::Spa, "es"),
    (Lang::Ita, "it"),
    (Lang::Por, "pt"),
    (Lang::Nld, "nl"),
    (Lang::Pol, "pl"),
    (Lang::Rus, "ru"),
    (Lang::Ukr, "uk"),
    (Lang::Tur, "tr"),
    (Lang::Ara, "ar"),
    (Lang::Cmn, "zh"),
    (Lang::Jpn, "ja"),
    (Lang::Kor, "ko"),
    (Lang::Fin, "fi"),
    (Lang::Swe, "sv"),
    (Lang::Hye, "hy"),
    (Lang::Pes, "fa"),
    (Lang::Ind, "id"),
];

fn detector() -> &'static Detector {
    static DETECTOR: OnceLock<Detector> = OnceLock::new();
    DETECTOR.get_or_init(|| Detector::with_allowlist(ALLOWED.iter().map(|(l, _)| *l).collect()))
}

/// Guesses the language of `text`; `None` when the text has fewer than 20
/// letters or the detector has no answer.
pub fn detect_language(text: &str) -> Option<LanguageGuess> {
    // A sample keeps long pages cheap; the start of a body is representative.
    let sample: String = text.chars().take(4000).collect();
    if sample.chars().filter(|c| c.is_alphabetic()).count() < 20 {
        return None;
    }
    let info = detector().detect(&sample)?;
    let code = ALLOWED.iter().find(|(l, _)| *l == info.lang()).map(|(_, c)| *c)?;
    Some(LanguageGuess { code, confidence: info.confidence() })
}

/// Whether `text` is written in a script that the language `code` (ISO 639-1)
/// uses. A page declared `en` whose text is in Bengali script does not fit;
/// a code outside our list, or a text with no clear script, is not refuted.
pub fn fits_script(code: &str, text: &str) -> bool {
    let sample: String = text.chars().take(2000).collect();
    let (Some(lang), Some(script)) =
        (ALLOWED.iter().find(|(_, c)| *c == code).map(|(l, _)| *l), whatlang::detect_script(&sample))
    else {
        return true;
    };
    script.langs().contains(&lang)
}

/// Normalises a declared language tag (`fr-FR`, `FR`, `fra`) to ISO 639-1.
pub fn normalize_tag(tag: &str) -> Option<String> {
    let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    match primary.len() {
        2 if primary.chars().all(|c| c.is_ascii_alphabetic()) => Some(primary),
        3 => Lang::from_code(&primary).and_then(|l| ALLOWED.iter().find(|(a, _)| *a == l)).map(|(_, c)| c.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_declared_language_must_fit_the_script() {
        assert!(fits_script("en", "The council met on Tuesday to vote on the budget."));
        assert!(!fits_script("en", "Совет собрался во вторник, чтобы проголосовать за бюджет города."));
        assert!(fits_script("ru", "Совет собрался во вторник, чтобы проголосовать за бюджет города."));
        // Not in our list: nothing to check against.
        assert!(fits_script("xx", "Совет собрался во вторник."));
    }

    #[test]
    fn french_and_english_paragraphs_are_recognised() {
        let fr = "Le gouvernement a annoncé mardi une nouvelle série de mesures pour soutenir les agriculteurs touchés par la sécheresse.";
        let en = "The government announced on Tuesday a new set of measures to support farmers hit by the drought.";
        assert_eq!(detect_language(fr).unwrap().code, "fr");
        assert_eq!(detect_language(en).unwrap().code, "en");
    }

    #[test]
    fn too_short_text_gets_no_guess() {
        assert!(detect_language("Menu").is_none());
        assert!(detect_language("").is_none());
    }

    #[test]
    fn declared_tags_are_normalised() {
        assert_eq!(normalize_tag("fr-FR").as_deref(), Some("fr"));
        assert_eq!(normalize_tag("EN_us").as_deref(), Some("en"));
        assert_eq!(normalize_tag("fra").as_deref(), Some("fr"));
        assert_eq!(normalize_tag("x"), None);
    }
}
