//! Transliteration keys: one key for the spellings of a name across
//! romanisations (Zelensky, Zelenski, Zelenskyy; Kadyrov, Kadirov;
//! Khrouchtchev, Khrushchev), and a consonant skeleton for looser matching under guard.
//!
//! The rewrite rules and the Cyrillic table are data
//! (`resources/*/translit_rules.tsv`, `resources/*/romanization.tsv`).

use std::collections::HashMap;
use std::sync::OnceLock;

use storyline_nlp::fold::fold;

struct Rules {
    romanization: HashMap<char, String>,
    rewrites: Vec<(String, String)>,
}

fn rules() -> &'static Rules {
    static R: OnceLock<Rules> = OnceLock::new();
    R.get_or_init(|| {
        let mut romanization = HashMap::new();
        let mut rewrites = Vec::new();
        for lang in storyline_resources::languages() {
            for row in storyline_resources::rows(lang, "romanization.tsv") {
                if let Some(c) = row.first().and_then(|c| c.chars().next()) {
                    romanization.insert(c, row.get(1).cloned().unwrap_or_default());
                }
            }
            // A row "h<TAB>" (drop the letter) arrives trimmed to one field.
            for row in storyline_resources::rows(lang, "translit_rules.tsv") {
                if let Some(from) = row.first() {
                    rewrites.push((from.clone(), row.get(1).cloned().unwrap_or_default()));
                }
            }
        }
        Rules { romanization, rewrites }
    })
}

/// The transliteration key of one word: folded, romanised, rewritten,
/// doubled letters collapsed and a final mute "e" dropped.
pub fn key(word: &str) -> String {
    let r = rules();
    let mut latin = String::with_capacity(word.len());
    for c in fold(word).chars() {
        match r.romanization.get(&c) {
            Some(s) => latin.push_str(s),
            None if c.is_alphanumeric() => latin.push(c),
            None => {}
        }
    }
    for (from, to) in &r.rewrites {
        if latin.contains(from.as_str()) {
            latin = latin.replace(from.as_str(), to);
        }
    }
    let mut out = String::with_capacity(latin.len());
    for c in latin.chars() {
        if !out.ends_with(c) {
            out.push(c);
        }
    }
    if out.len() > 3 && out.ends_with('e') {
        out.pop();
    }
    out
}

/// The consonant skeleton of a key, voiced and unvoiced pairs merged
/// (Muhammad, Mohammed; Gaddafi, Kadhafi).
pub fn skeleton(key: &str) -> String {
    let mut out = String::new();
    for c in key.chars() {
        let c = match c {
            'a' | 'e' | 'i' | 'o' | 'u' => continue,
            'g' => 'k',
            'd' => 't',
            'b' => 'p',
            'z' => 's',
            'v' => 'f',
            'c' => 'k',
            _ => c,
        };
        if !out.ends_with(c) {
            out.push(c);
        }
    }
    out
}

/// Jaro-Winkler similarity of two strings (1.0 identical).
pub fn jaro_winkler(a: &str, b: &str) -> f64 {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.is_empty() || b.is_empty() {
        return if a == b { 1.0 } else { 0.0 };
    }
    let window = (a.len().max(b.len()) / 2).saturating_sub(1);
    let mut b_used = vec![false; b.len()];
    let mut a_matches = Vec::new();
    for (i, ca) in a.iter().enumerate() {
        let lo = i.saturating_sub(window);
        let hi = (i + window + 1).min(b.len());
        if let Some(j) = (lo..hi).find(|&j| !b_used[j] && b[j] == *ca) {
            b_used[j] = true;
            a_matches.push(*ca);
        }
    }
    let m = a_matches.len() as f64;
    if m == 0.0 {
        return 0.0;
    }
    let b_matches: Vec<char> = b.iter().zip(&b_used).filter(|(_, u)| **u).map(|(c, _)| *c).collect();
    let transpositions = a_matches.iter().zip(&b_matches).filter(|(x, y)| x != y).count() as f64 / 2.0;
    let jaro = (m / a.len() as f64 + m / b.len() as f64 + (m - transpositions) / m) / 3.0;
    let prefix = a.iter().zip(&b).take(4).take_while(|(x, y)| x == y).count() as f64;
    jaro + prefix * 0.1 * (1.0 - jaro)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn romanisation_families_meet() {
        for family in [
            &["Lukashenko", "Loukachenko"][..],
            &["Tokayev", "Tokaïev"],
            &["Kadyrov", "Kadirov", "Кадыров"],
            &["Khrushchev", "Khrouchtchev"],
            &["Gorbachev", "Gorbatchev"],
            &["Zelensky", "Zelenski", "Zelenskyy", "Зеленский"],
            &["Yanukovych", "Ianoukovitch"],
            &["Shoigu", "Choïgou"],
        ] {
            let keys: Vec<String> = family.iter().map(|w| key(w)).collect();
            assert!(keys.iter().all(|k| *k == keys[0]), "{family:?} gave {keys:?}");
        }
        assert_ne!(key("Laurent"), key("Fabius"));
        assert_eq!(skeleton(&key("Muhammad")), skeleton(&key("Mohammed")));
        assert!(jaro_winkler("martha", "marhta") > 0.95);
    }
}
