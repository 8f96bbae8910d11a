//! Tidying an author field read from a page's metadata or byline.
//!
//! Bylines often carry their label ("Author: Ada Obi", "Posted by Ada Obi")
//! or run on into the date line ("Ada Obi Last Updated"), and the HTML
//! extractor's own cleaning keeps both. The labels and date cues come from
//! `resources/<lang>/byline_prefixes.txt` and `date_cues.txt`.

use crate::lexicon::{fold, Lexicon};

/// The names of `raw` (several are joined by "; ") without a leading byline
/// label ("Author", "Recipe by"), a trailing date line ("Last Updated",
/// "December" left of a date whose digits the extractor dropped), a name
/// that is only a date, or a CMS placeholder ("admin", `author_placeholders.txt`);
/// `None` when nothing is left.
pub fn tidy_author(raw: &str, lexicon: &Lexicon) -> Option<String> {
    let mut names: Vec<String> = Vec::new();
    for name in raw.split(';') {
        let words: Vec<&str> = name.split_whitespace().collect();
        let folded: Vec<String> = words.iter().map(|w| fold(w.trim_matches(|c: char| !c.is_alphanumeric()))).collect();
        let mut start = after_labels(&folded, lexicon);
        let mut end = date_tail_start(&folded, start, lexicon);
        // Punctuation left after a label ("Auteur : X").
        while start < end && folded[start].is_empty() {
            start += 1;
        }
        while end > start && (folded[end - 1].is_empty() || is_month(words[end - 1], &folded[end - 1], lexicon)) {
            end -= 1;
        }
        // Only a job title ("Lead Reviewer" after "X Founder;"): no name.
        if start < end && only_a_role(&folded, start, end, lexicon) && !names.is_empty() {
            continue;
        }
        let end = role_tail_start(&words, &folded, start, end, lexicon);
        let name = words[start..end].join(" ");
        let name = name.trim_end_matches([',', '|', '-', '–', '·', '•']).trim_end();
        let placeholder = lexicon.author_placeholders.contains(&fold(name));
        if !name.is_empty() && !placeholder && !names.iter().any(|n| n == name) {
            names.push(name.to_string());
        }
    }
    (!names.is_empty()).then(|| names.join("; "))
}

/// Where the name starts after its byline labels: "Author Posted by X" and
/// "Recipe by X" start at X; a field that is only a label ("Written By")
/// has no name.
fn after_labels(words: &[String], lexicon: &Lexicon) -> usize {
    // A label opening the field, repeated ("Author Posted by").
    let mut start = 0;
    while let Some(n) = label_at(words, start, lexicon) {
        start += n;
    }
    // A short phrase ending in a label ("Recipe by", "Article by").
    if start == 0 {
        for i in 1..words.len().min(MAX_WORDS_BEFORE_LABEL + 1) {
            if let Some(n) = label_at(words, i, lexicon).filter(|n| i + n < words.len()) {
                return i + n;
            }
        }
    }
    start
}

/// Where the name ends before a job title that follows it ("Ada Obi Staff
/// Writer", "Ada Obi Former McKinsey Consultant"): after the given name and
/// the surname (with a middle initial or a particle between: "Ada B. Obi",
/// "Ada van Obi"). Left alone unless the field opens with a given name, so
/// that an outlet or a title alone ("Luxury Travel Expert") keeps its words
/// (a rule on capitals alone cut those on WCXB).
fn role_tail_start(words: &[&str], folded: &[String], start: usize, end: usize, lexicon: &Lexicon) -> usize {
    let Some(role) = (start + 2..end).find(|&i| role_at(folded, i, lexicon).is_some()) else {
        return end;
    };
    let given = words[start].trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
    if !lexicon.given_names.contains(&given) {
        return end;
    }
    let initial = |w: &str| {
        let letters: Vec<char> = w.chars().filter(|c| c.is_alphabetic()).collect();
        letters.len() == 1 && w.ends_with('.')
    };
    let mut surname = start + 1;
    while surname + 1 < role && (initial(words[surname]) || lexicon.name_particles.contains(&folded[surname])) {
        surname += 1;
    }
    (surname + 1).min(role)
}

/// Whether the words `start..end` end with a job title and hold no given
/// name: a title standing alone ("Lead Reviewer", "Digital Security Expert").
fn only_a_role(folded: &[String], start: usize, end: usize, lexicon: &Lexicon) -> bool {
    let ends_in_role = (start..end).any(|i| role_at(folded, i, lexicon).is_some_and(|n| i + n == end));
    ends_in_role && !folded[start..end].iter().any(|w| lexicon.given_names.contains(w.as_str()))
}

/// The number of words of the job title at `i` ("staff writer" is read as
/// its last word; "head of" as two), if one starts there.
fn role_at(words: &[String], i: usize, lexicon: &Lexicon) -> Option<usize> {
    longest_phrase_at(words, i, &lexicon.author_roles)
}

/// Most words a phrase before a byline label has ("This post was written by").
const MAX_WORDS_BEFORE_LABEL: usize = 4;

/// The number of words of the longest byline label at `i`.
fn label_at(words: &[String], i: usize, lexicon: &Lexicon) -> Option<usize> {
    longest_phrase_at(words, i, &lexicon.byline_prefixes)
}

/// The number of words of the longest of `phrases` (folded, words separated
/// by spaces) that starts at word `i`.
fn longest_phrase_at(words: &[String], i: usize, phrases: &[String]) -> Option<usize> {
    phrases
        .iter()
        .map(|p| p.split(' ').collect::<Vec<_>>())
        .filter(|p| words.len() >= i + p.len() && p.iter().zip(&words[i..]).all(|(a, b)| a == b))
        .map(|p| p.len())
        .max()
}

/// Where a date line starts: the first date cue ("updated", "published")
/// after the name's first word, or 0 when the field opens with one.
fn date_tail_start(words: &[String], start: usize, lexicon: &Lexicon) -> usize {
    (start..words.len())
        .find(|&i| {
            lexicon.date_cues.iter().any(|cue| {
                let cue: Vec<&str> = cue.split(' ').collect();
                words.len() >= i + cue.len() && cue.iter().zip(&words[i..]).all(|(a, b)| a == b)
            })
        })
        .unwrap_or(words.len())
}

/// A month name that is not also a given name ("June", "April"). The name
/// must be spelled the same, accents included ("Nóvember" is a name,
/// "November" a month).
fn is_month(word: &str, folded: &str, lexicon: &Lexicon) -> bool {
    let spelled = word.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
    lexicon.month_names.contains(folded) && !lexicon.given_names.contains(&spelled)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexicon() -> Lexicon {
        Lexicon::load(&["en", "fr"])
    }

    #[test]
    fn byline_labels_and_date_lines_are_not_part_of_the_name() {
        let lexicon = lexicon();
        let tidy = |raw| tidy_author(raw, &lexicon);
        assert_eq!(tidy("Author Posted by Ada Obi").as_deref(), Some("Ada Obi"));
        assert_eq!(tidy("Auteur : Jeanne Martin").as_deref(), Some("Jeanne Martin"));
        assert_eq!(tidy("Recipe by Ada Obi").as_deref(), Some("Ada Obi"));
        assert_eq!(tidy("Ada Obi Last Updated").as_deref(), Some("Ada Obi"));
        assert_eq!(tidy("Ada Obi • December").as_deref(), Some("Ada Obi"));
        assert_eq!(tidy("Obicorp November").as_deref(), Some("Obicorp"));
        assert_eq!(tidy("Ada Obi; October").as_deref(), Some("Ada Obi"));
        assert_eq!(tidy("Updated January"), None);
        assert_eq!(tidy("Written By"), None);
        assert_eq!(tidy("Admin"), None);
        assert_eq!(tidy("undefined; Ada Obi").as_deref(), Some("Ada Obi"));
        assert_eq!(tidy("Ada Obi; Author Ada Obi").as_deref(), Some("Ada Obi"));
    }

    #[test]
    fn names_holding_label_or_month_words_are_kept() {
        let lexicon = lexicon();
        let tidy = |raw| tidy_author(raw, &lexicon);
        assert_eq!(tidy("Carla June").as_deref(), Some("Carla June"));
        assert_eq!(tidy("Dr. Ada Obi").as_deref(), Some("Dr. Ada Obi"));
        assert_eq!(tidy("Bystrov Ada").as_deref(), Some("Bystrov Ada"));
    }

    #[test]
    fn job_titles_after_the_name_are_not_part_of_it() {
        let lexicon = lexicon();
        let tidy = |raw| tidy_author(raw, &lexicon);
        assert_eq!(tidy("Ada Obi Staff Writer").as_deref(), Some("Ada Obi"));
        assert_eq!(tidy("Ada B. Obi Former Acme Consultant").as_deref(), Some("Ada B. Obi"));
        assert_eq!(tidy("Ada van Obi Founder; Lead Reviewer").as_deref(), Some("Ada van Obi"));
        assert_eq!(tidy("Marie Durand, journaliste").as_deref(), Some("Marie Durand"));
        // No given name first: an outlet or a team keeps its words.
        assert_eq!(tidy("the acme writers editor").as_deref(), Some("the acme writers editor"));
        assert_eq!(tidy("Acme Writers Guild").as_deref(), Some("Acme Writers Guild"));
        assert_eq!(tidy("Luxury Travel Expert").as_deref(), Some("Luxury Travel Expert"));
        // A two-word name is a name, whatever its surname means.
        assert_eq!(tidy("Ada Writer").as_deref(), Some("Ada Writer"));
        // A title alone is kept when it is all the field holds.
        assert_eq!(tidy("Staff Writer").as_deref(), Some("Staff Writer"));
    }
}
