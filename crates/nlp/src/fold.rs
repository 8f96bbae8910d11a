//! Text folding shared by the matchers: case, accents, apostrophes, white space.

/// Lowercases, strips accents, unifies apostrophes and folds white space.
/// Keeps the number of characters for Latin text (é -> e), which byline
/// recovery relies on.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    let mut push = |c: char, out: &mut String| {
        if c.is_whitespace() {
            if !space && !out.is_empty() {
                out.push(' ');
            }
            space = true;
            return;
        }
        space = false;
        match c {
            '’' | '‘' | '`' | 'ʼ' => out.push('\''),
            _ if c.is_ascii() => out.push(c.to_ascii_lowercase()),
            _ => out.extend(c.to_lowercase()),
        }
    };
    for c in text.chars() {
        if c.is_ascii() {
            push(c, &mut out);
        } else {
            // Decompose one character at a time and drop its accents; most
            // text is ASCII, which skips this.
            unicode_normalization::char::decompose_canonical(c, |d| {
                if !unicode_normalization::char::is_combining_mark(d) {
                    push(d, &mut out);
                }
            });
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// Alphanumeric tokens of a folded text (apostrophes and hyphens split:
/// "l'actualité" gives "l", "actualite").
pub fn tokens(folded: &str) -> Vec<String> {
    token_slices(folded).map(str::to_string).collect()
}

/// The tokens of [`tokens`], borrowed from the text.
pub fn token_slices(folded: &str) -> impl Iterator<Item = &str> {
    folded.split(|c: char| !c.is_alphanumeric()).filter(|t| !t.is_empty())
}
