//! Quoted passages: spans between a language's quote marks, the outermost
//! pair only, over several paragraphs when the next one reopens the quote
//! (French « » and » at a paragraph's start, English “ at each paragraph).

/// A quoted passage, in characters: `start` is the opening mark, `end` is
/// past the closing mark (or the end of the paragraph of an unclosed quote).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuoteSpan {
    /// The opening mark.
    pub start: usize,
    /// Past the closing mark.
    pub end: usize,
}

/// A quote longer than this (characters) is a stray mark, not a quote.
const MAX_QUOTE: usize = 4000;

fn is_straight(c: char) -> bool {
    c == '"'
}

/// Whether `c` at `i` can open a quote: a straight or single mark must not
/// sit inside a word ("l’Arménie", "don’t").
fn can_open(chars: &[char], i: usize, open: char) -> bool {
    let before = if i == 0 { None } else { Some(chars[i - 1]) };
    let after = chars.get(i + 1).copied();
    match open {
        '"' | '‘' => before.is_none_or(|b| !b.is_alphanumeric()) && after.is_some_and(|a| !a.is_whitespace()),
        _ => true,
    }
}

fn can_close(chars: &[char], i: usize, close: char) -> bool {
    let after = chars.get(i + 1).copied();
    match close {
        '"' | '’' => {
            after.is_none_or(|a| !a.is_alphanumeric())
                && i > 0
                && (!chars[i - 1].is_whitespace() || spaced_close(chars, i))
        }
        _ => true,
    }
}

/// Whether a curly opening mark at `i` stands where a closing one would:
/// right after a word or punctuation and before a space or the end
/// ("“It's unusual,“ said X"), which an opening mark never does.
fn mistyped_close(chars: &[char], i: usize) -> bool {
    i > 0 && !chars[i - 1].is_whitespace() && chars.get(i + 1).is_none_or(|a| a.is_whitespace())
}

/// `'Clinton,' " said X` and `this, " Trump said`: a straight mark after a
/// space closes when punctuation ends the words before it and no word
/// follows it, so it cannot open a quote.
fn spaced_close(chars: &[char], i: usize) -> bool {
    chars[i] == '"'
        && chars.get(i + 1).is_none_or(|a| a.is_whitespace())
        && chars[..i]
            .iter()
            .rev()
            .find(|c| !c.is_whitespace())
            .is_some_and(|c| matches!(c, ',' | '.' | '!' | '?' | '\'' | '’'))
}

/// The quoted passages of a text, in order, never overlapping.
pub fn quote_spans(chars: &[char], marks: &[(char, char)]) -> Vec<QuoteSpan> {
    let mut spans = Vec::new();
    // A pair ('\'', '\'') in the marks stands for two apostrophes used as a
    // double quote ('' ... ''), as some wires write; a lone apostrophe never is.
    let doubled = marks.contains(&('\'', '\''));
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\'' {
            if doubled && chars.get(i + 1) == Some(&'\'') {
                if let Some(end) = find_doubled_close(chars, i) {
                    spans.push(QuoteSpan { start: i, end });
                    i = end;
                    continue;
                }
                i += 2;
            } else {
                i += 1;
            }
            continue;
        }
        // Every closing mark listed for this opening one (texts mix “ with ").
        let closers: Vec<char> = marks.iter().filter(|(o, _)| *o == c).map(|(_, cl)| *cl).collect();
        if closers.is_empty() || !can_open(chars, i, c) {
            i += 1;
            continue;
        }
        match find_close(chars, i, c, &closers) {
            Some(end) => {
                spans.push(QuoteSpan { start: i, end });
                i = end;
            }
            None => i += 1,
        }
    }
    spans
}

/// The end of a '' ... '' quote opened at `start`, within its paragraph (its
/// end when the quote is not closed there).
fn find_doubled_close(chars: &[char], start: usize) -> Option<usize> {
    let mut j = start + 2;
    while j + 1 < chars.len() && j - start <= MAX_QUOTE {
        if chars[j] == '\n' {
            // Unclosed at the paragraph's end (a closing pair mistyped): the
            // paragraph is the quote when it says enough, as for other marks.
            let words = chars[start..j].iter().filter(|c| c.is_whitespace()).count();
            return (words >= 3).then_some(j);
        }
        if chars[j] == '\'' && chars[j + 1] == '\'' && chars.get(j + 2).is_none_or(|c| !c.is_alphanumeric()) {
            // ''A 'quoted' word,''' : a single quote closes inside, then the pair.
            return Some(if chars.get(j + 2) == Some(&'\'') { j + 3 } else { j + 2 });
        }
        j += 1;
    }
    None
}

/// The end of the quote opened at `start`, nested pairs of the same marks
/// skipped, running on into the next paragraph when it reopens the quote.
fn find_close(chars: &[char], start: usize, open: char, closers: &[char]) -> Option<usize> {
    let mut depth = 0usize;
    let mut j = start + 1;
    while j < chars.len() && j - start <= MAX_QUOTE {
        let c = chars[j];
        if c == '\n' {
            // A paragraph break inside the quote: the quote goes on only if
            // the next paragraph starts with a quote mark.
            let mut k = j;
            while k < chars.len() && chars[k].is_whitespace() {
                k += 1;
            }
            let reopens = k < chars.len() && (chars[k] == open || (open == '«' && chars[k] == '»'));
            if !reopens {
                // Unclosed at the paragraph's end: the paragraph is the quote
                // when it says enough to be one.
                let words = chars[start..j].iter().filter(|c| c.is_whitespace()).count();
                return (words >= 3 && depth == 0).then_some(j);
            }
            j = k + 1;
            continue;
        }
        if closers.contains(&c) {
            if !is_straight(c) && depth > 0 {
                depth -= 1;
            } else if can_close(chars, j, c) {
                return Some(j + 1);
            }
        } else if c == open && !is_straight(c) && mistyped_close(chars, j) {
            // “It's unusual,“ said X: an opening mark placed as a closing one.
            if depth > 0 {
                depth -= 1;
            } else {
                return Some(j + 1);
            }
        } else if c == open && !is_straight(c) && can_open(chars, j, open) {
            depth += 1;
        }
        j += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(text: &str) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        let marks = [('«', '»'), ('“', '”'), ('"', '"'), ('‘', '’')];
        quote_spans(&chars, &marks).iter().map(|s| chars[s.start..s.end].iter().collect()).collect()
    }

    #[test]
    fn outermost_pairs_with_nesting_and_apostrophes() {
        assert_eq!(spans("Il a dit « non » et « oui »."), ["« non »", "« oui »"]);
        assert_eq!(spans("« Il a dit « non » hier », a-t-il ajouté."), ["« Il a dit « non » hier »"]);
        assert_eq!(spans("He said: “It’s ‘fine’ now.”"), ["“It’s ‘fine’ now.”"]);
        assert_eq!(spans("Don’t say ‘never again’, he said."), ["‘never again’"]);
        assert_eq!(spans(r#"He said "no" and "yes"."#), [r#""no""#, r#""yes""#]);
        // An opening mark typed where the closing one belongs.
        assert_eq!(spans("“It is over,“ she said. “We go home.”"), ["“It is over,“", "“We go home.”"]);
        let chars: Vec<char> = "''It is over,'' he said, and didn't stay.".chars().collect();
        let found = quote_spans(&chars, &[('\'', '\'')]);
        assert_eq!(found, [QuoteSpan { start: 0, end: 15 }]);
        let chars: Vec<char> = "''We are told, 'it is special,''' Mr. Putin said.".chars().collect();
        let found = quote_spans(&chars, &[('\'', '\'')]);
        assert_eq!(found, [QuoteSpan { start: 0, end: 33 }]);
    }

    #[test]
    fn quotes_run_over_paragraphs_that_reopen_them() {
        let text = "« Premier paragraphe de la citation\n\n» Second paragraphe », a-t-il dit.";
        assert_eq!(spans(text).len(), 1);
        let english = "“First paragraph of the quote goes on\n\n“Second one,” he said.";
        assert_eq!(spans(english), [english.split(" he said").next().unwrap()]);
        // Unclosed and not reopened: the paragraph is the quote.
        assert_eq!(spans("« Une citation jamais fermée ici\n\nAutre chose."), ["« Une citation jamais fermée ici"]);
        let chars: Vec<char> = "He said, ''The port will reopen next week.'.\n\n''Later,'' she said.".chars().collect();
        let found: Vec<String> =
            quote_spans(&chars, &[('\'', '\'')]).iter().map(|s| chars[s.start..s.end].iter().collect()).collect();
        assert_eq!(
            found,
            ["''The port will reopen next week.'.", "''Later,''"],
            "a mistyped close ends with its paragraph"
        );
    }
}
