//! Word tokens with character offsets, and sentence boundaries.
//!
//! French elisions split off ("l'Ukraine" gives "l'" and "Ukraine"), hyphenated
//! names stay whole ("Haut-Rhin"), and abbreviations keep their full stop
//! ("M.", "Dr.", "av."; `resources/<lang>/abbreviations.txt`).

/// One token: its text and its span in Unicode characters of the source text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// The token as written.
    pub text: String,
    /// First character (inclusive).
    pub start: usize,
    /// Last character (exclusive).
    pub end: usize,
    /// A line break separates this token from the previous one, and it is
    /// not a wrap inside running prose (a single break after a long line
    /// that stops mid-sentence, as in hard-wrapped text).
    pub line_start: bool,
}

/// Lines at least this long (characters) that stop mid-sentence and run on
/// after a single line break are wrapped prose, not separate lines.
const WRAPPED_LINE: usize = 60;

/// Words that open a sentence and never follow an initialism inside one
/// ("in the U.S. He said"), lowercase, from every language's
/// `sentence_openers.txt`.
fn sentence_openers() -> &'static std::collections::HashSet<String> {
    static SET: std::sync::OnceLock<std::collections::HashSet<String>> = std::sync::OnceLock::new();
    SET.get_or_init(|| {
        storyline_resources::languages()
            .iter()
            .flat_map(|lang| storyline_resources::lines(lang, "sentence_openers.txt"))
            .map(|w| w.to_lowercase())
            .collect()
    })
}

/// Whether token `i` is the last letter of an initialism written with stops
/// ("U.S.", "p.m.") and the next one a capitalised sentence opener: the
/// initialism's stop ends the sentence too ("at 7 p.m. He said").
fn initialism_ends_sentence(tokens: &[Token], i: usize) -> bool {
    let (Some(token), Some(next)) = (tokens.get(i), tokens.get(i + 1)) else { return false };
    let chained = i > 0 && tokens[i - 1].end == token.start && tokens[i - 1].text.ends_with('.');
    let letter = token.text.chars().count() == 2 && token.text.ends_with('.');
    chained
        && letter
        && next.text.chars().next().is_some_and(char::is_uppercase)
        && sentence_openers().contains(&next.text.to_lowercase())
}

/// Words before an apostrophe that are elided articles or pronouns.
const ELISIONS: &[&str] = &["l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "presqu"];
/// Abbreviations that keep their full stop ("M.", "Dr.", "av."), lowercase
/// and without it, from every language's `abbreviations.txt`, each with
/// whether it is written with a capital there: such an entry ("Me", French
/// for Maître) is an abbreviation only when capitalised, as the files of
/// every language are read for every text and English "told me." ends its
/// sentence. Lowercase entries match any case (OCR'd "m. le maire").
fn abbreviations() -> &'static std::collections::HashMap<String, bool> {
    static MAP: std::sync::OnceLock<std::collections::HashMap<String, bool>> = std::sync::OnceLock::new();
    MAP.get_or_init(|| {
        let mut map = std::collections::HashMap::new();
        for lang in storyline_resources::languages() {
            for line in storyline_resources::lines(lang, "abbreviations.txt") {
                let capital = line.chars().next().is_some_and(char::is_uppercase);
                let needs_capital = map.entry(line.to_lowercase()).or_insert(capital);
                // Lowercase in any language's file: any case will do.
                *needs_capital &= capital;
            }
        }
        map
    })
}

/// Whether `word` (as written) is an abbreviation that keeps its full stop.
fn is_abbreviation(word: &str) -> bool {
    abbreviations()
        .get(&word.to_lowercase())
        .is_some_and(|&needs_capital| !needs_capital || word.chars().next().is_some_and(char::is_uppercase))
}

/// Whether a lowercase word is an elided article or pronoun that the
/// tokenizer keeps as a token of its own ("l'", "qu'").
pub fn is_elision(word: &str) -> bool {
    ELISIONS.contains(&word)
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ')
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '‑')
}

/// Whether `text` is hard-wrapped prose: at least two long lines that stop
/// mid-sentence and run on after a single line break. One such line alone
/// is most often a headline or a caption over its text, not a wrap.
fn hard_wrapped(text: &str) -> bool {
    let lines: Vec<&str> = text.split('\n').map(str::trim).collect();
    let wraps = lines
        .windows(2)
        .filter(|pair| {
            !pair[1].is_empty()
                && pair[0].chars().count() >= WRAPPED_LINE
                && pair[0].chars().last().is_some_and(|c| c.is_alphanumeric() || c == ',')
        })
        .count();
    wraps >= 2
}

/// Splits `text` into tokens.
pub fn tokenize(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens: Vec<Token> = Vec::new();
    let mut i = 0;
    let mut newline = true;
    let mut breaks = 0;
    let mut line_first = 0;
    let wrapped = hard_wrapped(text);
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            if c == '\n' {
                newline = true;
                breaks += 1;
            }
            i += 1;
            continue;
        }
        if newline {
            if let Some(prev) = tokens.last() {
                let mid_sentence = prev.text.chars().last().is_some_and(|c| c.is_alphanumeric() || c == ',');
                if wrapped && breaks == 1 && mid_sentence && prev.end - line_first >= WRAPPED_LINE {
                    newline = false;
                }
            }
            if newline {
                line_first = i;
            }
            breaks = 0;
        }
        let start = i;
        if c.is_alphanumeric() {
            let mut j = i + 1;
            loop {
                while j < chars.len() && (chars[j].is_alphanumeric() || is_combining(chars[j])) {
                    j += 1;
                }
                let next_is_word = j + 1 < chars.len() && chars[j + 1].is_alphanumeric();
                if j < chars.len() && next_is_word && is_hyphen(chars[j]) {
                    j += 1;
                    continue;
                }
                if j < chars.len() && next_is_word && is_apostrophe(chars[j]) {
                    let word: String = chars[start..j].iter().collect::<String>().to_lowercase();
                    if ELISIONS.contains(&word.as_str()) {
                        j += 1; // "l'" is a token of its own
                        break;
                    }
                    let possessive =
                        matches!(chars[j + 1], 's' | 'S') && chars.get(j + 2).is_none_or(|c| !c.is_alphanumeric());
                    if possessive {
                        break; // "Putin's": the name stands alone
                    }
                    // "aujourd'hui", "O'Brien": the apostrophe stays inside
                    j += 1;
                    continue;
                }
                break;
            }
            if j < chars.len() && chars[j] == '.' {
                let word: String = chars[start..j].iter().collect();
                let single_capital = j - start == 1 && c.is_uppercase();
                // "p.m.", "a.m.", "e.g.": a letter and its stop inside a chain of them.
                let initialism = j - start == 1
                    && (chars.get(j + 2) == Some(&'.') && chars.get(j + 1).is_some_and(|n| n.is_alphabetic())
                        || start >= 2 && chars[start - 1] == '.' && chars[start - 2].is_alphabetic());
                if single_capital || initialism || is_abbreviation(&word) {
                    j += 1;
                }
            }
            tokens.push(Token { text: chars[start..j].iter().collect(), start, end: j, line_start: newline });
            i = j;
        } else {
            tokens.push(Token { text: c.to_string(), start, end: i + 1, line_start: newline });
            i += 1;
        }
        newline = false;
    }
    tokens
}

fn is_combining(c: char) -> bool {
    ('\u{300}'..='\u{36f}').contains(&c)
}

/// Most tokens a parenthesis may hold for a full stop inside it to be an
/// abbreviation's rather than a sentence's end.
const MAX_BRACKET_TOKENS: usize = 8;

/// Whether a sentence is written in title case ("Woman Killed In Queens
/// Hit-And-Run, Driver Charged"): at least four words of letters, four in
/// five of them capitalised. There a capital marks a headline word, not a
/// name.
pub fn is_title_case(tokens: &[Token]) -> bool {
    let words = tokens.iter().filter(|t| t.text.chars().any(char::is_alphabetic));
    let (count, capitalised) =
        words.fold((0, 0), |(n, c), t| (n + 1, c + usize::from(t.text.chars().next().is_some_and(char::is_uppercase))));
    count >= 4 && capitalised * 5 >= count * 4
}

/// Ranges of token indices that form sentences: split after ".", "!", "?",
/// "…" (but not after a stop inside a short parenthesis or right before a
/// comma, a semicolon or a closing bracket) and at line breaks.
pub fn sentences(tokens: &[Token]) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    // Where the innermost open parenthesis is, if one is open.
    let mut open_bracket: Option<usize> = None;
    for (i, token) in tokens.iter().enumerate() {
        if i > start && token.line_start {
            out.push(start..i);
            start = i;
            open_bracket = None;
        }
        match token.text.as_str() {
            "(" => open_bracket = Some(i),
            ")" => open_bracket = None,
            _ => {}
        }
        // A stop inside a short parenthesis ("Sen. Sanders (I-Vt.) said")
        // or before a comma or a closing bracket ("Ava, Mo., who") is an
        // abbreviation's, not a sentence's end.
        let inside_bracket = open_bracket.is_some_and(|b| i - b <= MAX_BRACKET_TOKENS);
        let continues = tokens
            .get(i + 1)
            .is_some_and(|next| !next.line_start && matches!(next.text.as_str(), "," | ";" | ")") && token.text == ".");
        // A stop between two digits ("$1.1 trillion", "3.5 percent") is a
        // decimal point or a thousands separator, not a sentence's end.
        let continues = continues || separates_digits(tokens, i) || runs_on_after_stop(tokens, i);
        let stop = matches!(token.text.as_str(), "." | "!" | "?" | "…") || initialism_ends_sentence(tokens, i);
        if stop && !inside_bracket && !continues {
            // A closing quote mark right after the stop ends the sentence
            // with it (`selling houses.'' But`, `« Non. »`): the next
            // sentence starts after the quote, not with its closing mark.
            let mut end = i + 1;
            while end < tokens.len() && closes_after_stop(&tokens[end - 1], &tokens[end]) {
                end += 1;
            }
            if end > i + 1 && tokens.get(end).is_some_and(|t| t.start == tokens[end - 1].end && !t.line_start) {
                // A mark glued to the next word opens a quote instead.
                end = i + 1;
            }
            out.push(start..end);
            start = end;
        }
    }
    if start < tokens.len() {
        out.push(start..tokens.len());
    }
    out
}

/// Whether the full stop (or the dots of an ellipsis) at token `i` runs on
/// into the same sentence: the next word on the line starts with a lowercase
/// letter ("in Mich. office shooting", "approx. two", "the coast... the
/// Sixers"). A sentence opens with a capital, a digit or a mark, so a stop
/// before a lowercase word is an abbreviation's that no list holds, or an
/// ellipsis inside a sentence.
fn runs_on_after_stop(tokens: &[Token], i: usize) -> bool {
    if matches!(tokens[i].text.as_str(), "!" | "?") {
        // A mark glued to a word before a lowercase one is part of a name
        // ("Yahoo! said", "Avast! antivirus") or a question inside a sentence.
        return i > 0
            && tokens[i - 1].end == tokens[i].start
            && tokens[i - 1].text.chars().last().is_some_and(char::is_alphanumeric)
            && tokens
                .get(i + 1)
                .is_some_and(|t| !t.line_start && t.text.chars().next().is_some_and(char::is_lowercase));
    }
    if !matches!(tokens[i].text.as_str(), "." | "…") {
        return false;
    }
    // The dots of an ellipsis, written glued or spaced, are read as one.
    let is_dot = |t: &Token| matches!(t.text.as_str(), "." | "…");
    let mut first = i;
    while first > 0 && !tokens[first].line_start && is_dot(&tokens[first - 1]) {
        first -= 1;
    }
    let mut next = i + 1;
    while tokens.get(next).is_some_and(|t| !t.line_start && is_dot(t)) {
        next += 1;
    }
    if first == 0 || !tokens[first - 1].text.chars().last().is_some_and(char::is_alphanumeric) {
        return false;
    }
    let Some(following) = tokens.get(next).filter(|t| !t.line_start) else { return false };
    let lowercase = following.text.chars().next().is_some_and(char::is_lowercase);
    // A month's abbreviation before a day ("on Feb. 22", "le 3 févr. 2024"
    // reads the other way and ends nothing either).
    let dated = first == i
        && following.text.starts_with(|c: char| c.is_ascii_digit())
        && month_abbreviations().contains(&tokens[i - 1].text.to_lowercase());
    lowercase || dated
}

/// Abbreviated month names of every language (`months.tsv`: the forms
/// shorter than the month's full name).
fn month_abbreviations() -> &'static std::collections::HashSet<String> {
    static SET: std::sync::OnceLock<std::collections::HashSet<String>> = std::sync::OnceLock::new();
    SET.get_or_init(|| {
        let mut set = std::collections::HashSet::new();
        for lang in storyline_resources::languages() {
            for line in storyline_resources::lines(lang, "months.tsv") {
                let mut fields = line.split('\t').skip(1);
                let Some(name) = fields.next() else { continue };
                let full = name.chars().count();
                set.extend(fields.filter(|f| f.chars().count() < full).map(str::to_lowercase));
            }
        }
        set
    })
}

/// Whether token `i` is a stop or a comma glued between two digits ("1.1",
/// "500,000"): part of a number, not punctuation.
pub fn separates_digits(tokens: &[Token], i: usize) -> bool {
    let (Some(before), Some(token), Some(after)) =
        (i.checked_sub(1).map(|b| &tokens[b]), tokens.get(i), tokens.get(i + 1))
    else {
        return false;
    };
    matches!(token.text.as_str(), "." | ",")
        && before.end == token.start
        && token.end == after.start
        && before.text.ends_with(|c: char| c.is_ascii_digit())
        && after.text.starts_with(|c: char| c.is_ascii_digit())
}

/// Whether `token` is a closing quote mark that belongs to the sentence
/// ending at `before`: glued to it (`."`, `.''`, `.”`), or a French closing
/// guillemet after a space (`. »`).
fn closes_after_stop(before: &Token, token: &Token) -> bool {
    if token.line_start {
        return false;
    }
    match token.text.as_str() {
        "»" => true,
        "”" | "’" | "\"" | "'" | "''" => token.start == before.end,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<String> {
        tokenize(text).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn wrapped_prose_runs_on_but_short_lines_and_paragraphs_break() {
        let wrapped =
            "The ministers of both countries met the Kazakh president, Kassym-Jomart\nTokayev, in Astana, where \
                       the talks that had stalled since the spring resumed,\nand signed the agreement on Friday.";
        let tokens = tokenize(wrapped);
        assert!(!tokens.iter().any(|t| t.line_start && t.text == "Tokayev"));
        assert_eq!(sentences(&tokens).len(), 1);
        let headline = tokenize("Iran Issues Enrichment Threat But Considers Russian Proposal\nIran said on Monday.");
        assert_eq!(sentences(&headline).len(), 2, "a headline over its text is a line of its own");
        let heading = tokenize("Short heading\nBody starts here.");
        assert!(heading.iter().any(|t| t.line_start && t.text == "Body"));
        let paragraphs = tokenize(&wrapped.replace('\n', "\n\n"));
        assert!(paragraphs.iter().any(|t| t.line_start && t.text == "Tokayev"));
    }

    #[test]
    fn a_closing_quote_mark_after_the_stop_ends_the_sentence_with_it() {
        for text in [
            "He spoke of ''selling houses.'' But he left.",
            "He spoke of \"selling houses.\" But he left.",
            "He spoke of “selling houses.” But he left.",
            "Il a dit « non. » Puis il est parti.",
        ] {
            let tokens = tokenize(text);
            let found = sentences(&tokens);
            assert_eq!(found.len(), 2, "{text}");
            let second = &tokens[found[1].start];
            assert!(matches!(second.text.as_str(), "But" | "Puis"), "{text}: {second:?}");
        }
        // A mark glued to the next word opens the next sentence's quote.
        let tokens = tokenize("He left. \"Never,\" he said.");
        assert_eq!(tokens[sentences(&tokens)[1].start].text, "\"");
    }

    #[test]
    fn abbreviations_keep_their_full_stop_and_end_no_sentence() {
        let tokens = tokenize("Vers 1100 av. J.-C., les Doriens arrivent. M. Dupont le dit.");
        assert!(tokens.iter().any(|t| t.text == "av."));
        assert_eq!(sentences(&tokens).len(), 2);
    }

    #[test]
    fn a_capitalised_entry_is_an_abbreviation_only_with_its_capital_and_initialisms_stay_whole() {
        // French "Me" (Maître) against the pronoun ending an English sentence.
        assert_eq!(texts("Me. Lefort"), ["Me.", "Lefort"]);
        assert_eq!(texts("told me. They"), ["told", "me", ".", "They"]);
        let found = sentences(&tokenize("He told me. They left at 3 p.m. on Friday, e.g. by train."));
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(texts("at 3 p.m. on"), ["at", "3", "p.", "m.", "on"]);
    }

    #[test]
    fn a_stop_inside_brackets_or_before_a_comma_ends_no_sentence() {
        let tokens = tokenize("Sen. Maria Lopez (D-Nev.) said no. A farmer from Eldon, Mo., who backs it, agreed.");
        assert_eq!(sentences(&tokens).len(), 2);
    }

    #[test]
    fn a_stop_before_a_lowercase_word_ends_no_sentence() {
        let tokens =
            tokenize("1 dead, 2 hurt in Mich. office shooting. Up the coast... the Sixers fired him. He left.");
        let firsts: Vec<&str> = sentences(&tokens).iter().map(|s| tokens[s.start].text.as_str()).collect();
        assert_eq!(firsts, ["1", "Up", "He"]);
        let spaced = tokenize("Up the coast . . . the Sixers fired him .");
        assert_eq!(sentences(&spaced).len(), 1);
        let dated =
            tokenize("Jackman will host the Oscars on Feb. 22 at the Kodak Theatre. It ends in Feb. 2 more came.");
        assert_eq!(sentences(&dated).len(), 2, "a month's abbreviation before a number ends no sentence");
        assert_eq!(sentences(&tokenize(". 22 and . the")).len(), 2, "a stop that opens the text follows no word");
        assert_eq!(sentences(&tokenize("Yahoo! said it would. Why? Nobody knows.")).len(), 3);
    }

    #[test]
    fn a_stop_between_digits_ends_no_sentence() {
        let tokens = tokenize("The plan would raise $1.1 trillion, up 3.5 percent. It ends in 2030. 4 more came.");
        assert_eq!(sentences(&tokens).len(), 3, "{:?}", sentences(&tokens));
    }

    #[test]
    fn elisions_split_and_hyphenated_names_stay() {
        assert_eq!(texts("l'Ukraine et d’Odessa"), ["l'", "Ukraine", "et", "d’", "Odessa"]);
        assert_eq!(texts("le Haut-Rhin."), ["le", "Haut-Rhin", "."]);
        assert_eq!(texts("aujourd'hui M. Durand"), ["aujourd'hui", "M.", "Durand"]);
        assert_eq!(texts("Putin's aide"), ["Putin", "'", "s", "aide"]);
    }

    #[test]
    fn offsets_are_in_characters() {
        let tokens = tokenize("Élysée à Paris");
        assert_eq!((tokens[2].start, tokens[2].end), (9, 14));
    }

    #[test]
    fn sentences_end_at_stops_and_lines() {
        let tokens = tokenize("Un. Deux trois\nQuatre");
        let s = sentences(&tokens);
        assert_eq!(s, vec![0..2, 2..4, 4..5]);
    }

    #[test]
    fn an_initialism_before_a_sentence_opener_ends_the_sentence() {
        let text =
            "He lives in the U.S. He says the vote is at 7 p.m. on Tuesday in Washington, D.C. near the Capitol.";
        let tokens = tokenize(text);
        let firsts: Vec<&str> = sentences(&tokens).iter().map(|s| tokens[s.start].text.as_str()).collect();
        assert_eq!(firsts, ["He", "He"]);
    }
}
