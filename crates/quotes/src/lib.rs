//! Attributions: who said, thought, asked or denied what, in French and
//! English, read from `resources/<lang>/` (speech verbs and their forms,
//! markers such as "selon" and "according to", quote marks, pronouns,
//! auxiliaries, role titles).
//!
//! [`find_quotes`] reads one article's clean text with its entity mentions
//! and returns direct quotes (every quote style, over several paragraphs),
//! indirect speech ("a déclaré que", "said", "selon X", a trailing
//! ", X said"), and mixed quotes (a quoted fragment inside indirect speech).
//! Each has its cue, the speaker as written (before the verb, after it,
//! inverted as in "a-t-il ajouté", or with an apposition) and the mention it
//! resolves to: the name in the speaker's phrase, the person last named for
//! a pronoun, or the person last named with that role for a role noun
//! ("le président russe"). A quote with no cue of its own that follows an
//! attributed statement is the rest of that statement. Denials (a denial verb, or
//! a negative content) and negated cues are flagged, and a statement's own
//! date is resolved when the sentence gives one.

mod lexicon;
mod marks;
mod statements;

use std::ops::Range;

use chrono::NaiveDate;
use storyline_model::{EntityType, Mention, Quote, QuoteKind};
use storyline_nlp::fold::fold;

use lexicon::Word;
pub use lexicon::{lexicon, CueClass, Lexicon};
pub use marks::{quote_spans, QuoteSpan};
pub use statements::{group_statements, Statement, StatementSource};

/// Most tokens a speaker's phrase may have.
const MAX_SPEAKER_TOKENS: usize = 12;

/// Plain words of a compound between a preposition and the head of its
/// object in a speaker's phrase ("for stem cell | research").
const MAX_COMPOUND_MODIFIERS: usize = 2;
/// Most tokens after a quote's closing mark for the sentence to be read
/// with the quote ("” Trump said.").
const MAX_QUOTE_TAIL_TOKENS: usize = 12;

/// Most words of a sentence after a closed quote that is read as the
/// quote's attribution ('” Sen. Marco Rubio said.'); a longer one is a
/// statement of its own.
const MAX_ATTRIBUTION_TAIL_WORDS: usize = 6;

/// Most words before the cue of a longer sentence after a closed quote
/// that is read as the quote's attribution ('” Trump asked reporters
/// rhetorically during a news conference late last month.').
const LEAD_CUE_WORDS: usize = 3;

/// Most lowercase words before a speaker's name read as its role or
/// epithet ('“...,” campaign manager Robby Mook said').
const MAX_PREMODIFIER_WORDS: usize = 4;

/// Most tokens of an aside between dashes skipped after a cue.
const MAX_ASIDE_TOKENS: usize = 10;
/// Most commas inside a speaker's apposition, plus one.
const MAX_APPOSITION_COMMAS: usize = 3;
/// Most tokens of a parenthesis inside a speaker's phrase, brackets included.
const MAX_BRACKETED_TOKENS: usize = 8;
/// The longest source after "according to" / "selon", in tokens.
const MAX_MARKER_TOKENS: usize = 24;
/// Most tokens between a cue and the quote or "que"/"that" it introduces.
const MAX_CUE_GAP: usize = 8;
/// The same when the gap is a prepositional phrase ("said during the debate on Monday that").
const MAX_CUE_GAP_PREPOSITIONAL: usize = 12;
/// A quote with no cue must have at least this many words to be a statement
/// (shorter ones are scare quotes or titles).
const MIN_UNCUED_WORDS: usize = 4;

/// What a comma or a stop inside a number reads as (see [`find_quotes`]):
/// no punctuation any rule looks for.
const NUMBER_SEPARATOR: &str = "\u{b7}";

/// Most words before a comma and a marker that leads its sentence ("Over
/// the long term, according to the budget office, ...").
const MAX_OPENER_WORDS: usize = 4;

/// Most words of a quoted fragment inside narration ('words like “maybe”').
const MAX_FRAGMENT_WORDS: usize = 2;

/// Most words between a subject and a colon read as the cue of the quote
/// after the colon ("X has since apologized for what happened: “...”").
const MAX_COLON_CUE_TOKENS: usize = 12;

struct Tok {
    start: usize,
    end: usize,
    text: String,
    folded: String,
    /// The quote span this token lies in (marks included).
    quote: Option<usize>,
    /// It lies in a sentence written in title case, as headlines are
    /// ("Trump Says He Never Pledged ..."): there a verb is capitalised too.
    title_case: bool,
}

impl Tok {
    fn is_word(&self) -> bool {
        self.text.chars().next().is_some_and(|c| c.is_alphanumeric())
    }
    fn is_capitalised(&self) -> bool {
        self.text.chars().next().is_some_and(|c| c.is_uppercase())
    }
}

/// One cue found in the text: tokens `first..=last`, and the token holding
/// an inverted subject pronoun ("a-t-il", "dit-elle"), if any.
struct Cue {
    first: usize,
    last: usize,
    class: Option<CueClass>,
    inverted: Option<usize>,
    /// The verb reports only a clause or a quote, never an object ("relever").
    clause_only: bool,
    /// The verb reports its object when no clause or quote follows ("endorse").
    object_only: bool,
}

struct Doc<'a> {
    lex: &'a Lexicon,
    chars: Vec<char>,
    toks: Vec<Tok>,
    quotes: Vec<QuoteSpan>,
    mentions: &'a [Mention],
}

/// Finds the attributions of one article's text. `mentions` are the
/// article's entity mentions (offsets in characters of `text`, in order);
/// `published` resolves the dates of statements. A language without
/// resources gives none.
pub fn find_quotes(text: &str, lang: Option<&str>, mentions: &[Mention], published: Option<NaiveDate>) -> Vec<Quote> {
    let Some(lang) = lang else { return Vec::new() };
    let lex = lexicon(lang);
    if lex.is_empty() {
        return Vec::new();
    }
    let chars: Vec<char> = text.chars().collect();
    let quotes = quote_spans(&chars, &lex.marks);
    let raw = storyline_ner::tokenize::tokenize(text);
    let sentences = storyline_ner::tokenize::sentences(&raw);
    let title_case: Vec<bool> =
        sentences.iter().map(|s| storyline_ner::tokenize::is_title_case(&raw[s.clone()])).collect();
    let in_number: Vec<bool> = (0..raw.len()).map(|i| storyline_ner::tokenize::separates_digits(&raw, i)).collect();
    let mut next_quote = 0;
    let toks: Vec<Tok> = raw
        .into_iter()
        .map(|t| {
            while next_quote < quotes.len() && quotes[next_quote].end <= t.start {
                next_quote += 1;
            }
            let quote = quotes.get(next_quote).filter(|q| q.start <= t.start && t.end <= q.end).map(|_| next_quote);
            Tok { folded: fold(&t.text), start: t.start, end: t.end, text: t.text, quote, title_case: false }
        })
        .collect();
    let mut toks = toks;
    // A comma or a stop between two digits ("$500,000", "1.1") is part of
    // the number: no rule that reads punctuation may cut there.
    for tok in toks.iter_mut().zip(&in_number).filter(|(_, number)| **number).map(|(tok, _)| tok) {
        tok.text = NUMBER_SEPARATOR.to_string();
        tok.folded = NUMBER_SEPARATOR.to_string();
    }
    for (s, _) in sentences.iter().zip(&title_case).filter(|(_, title)| **title) {
        toks[s.clone()].iter_mut().for_each(|t| t.title_case = true);
    }
    // A name nested in another ("US" in "US State Department") is not who speaks.
    let outermost = storyline_model::outermost_mentions(mentions);
    let mentions = outermost.as_slice();
    let mut doc = Doc { lex, chars, toks, quotes, mentions };
    let attribution_tail = |s: Range<usize>| doc.attribution_tail(s);
    let sentences = join_quote_tails(sentences, &doc.toks, &doc.chars, attribution_tail);
    doc.split_incises();
    let merged = doc.merge_over_quotes(sentences.clone());
    let mut found = doc.attributions(&merged);
    doc.continue_speakers(&merged, &mut found);
    if let Some(reference) = published {
        let times = storyline_nlp::time::find_time_expressions(text, reference);
        for (quote, clause) in &mut found {
            quote.date = times.iter().find(|t| t.start >= clause.start && t.end <= clause.end).map(|t| t.value);
        }
    }
    found.into_iter().map(|(q, _)| q).collect()
}

impl Doc<'_> {
    /// « C'est un succès, a déclaré X. Nous irons plus loin. »: a cue and
    /// its speaker set inside a quote between a comma and a stop (French
    /// writes the incise without closing the quote) split it in two quotes,
    /// so that the first reads as « ... », a déclaré X, and the second
    /// continues that statement.
    fn split_incises(&mut self) {
        let mut spans: Vec<QuoteSpan> = Vec::with_capacity(self.quotes.len());
        let mut changed = false;
        for q in 0..self.quotes.len() {
            let range = self.token_range_of_quote(q);
            let mut start = self.quotes[q].start;
            if !self.lex.incise_marks.contains(&self.chars[start]) {
                spans.push(QuoteSpan { start, end: self.quotes[q].end });
                continue;
            }
            let mut k = range.start + 2;
            while k + 3 < range.end {
                if self.toks[k].text != "," {
                    k += 1;
                    continue;
                }
                // The cue as if it stood outside the quote.
                let saved: Vec<Option<usize>> = self.toks[k + 1..range.end].iter().map(|t| t.quote).collect();
                for t in &mut self.toks[k + 1..range.end] {
                    t.quote = None;
                }
                // "a déclaré", "s'est réjoui": past the auxiliaries to the verb.
                let mut v = k + 1;
                while v + 1 < range.end && (self.is(v, Word::Auxiliary) || self.is(v, Word::Adverb)) {
                    v += 1;
                }
                let cue = self.cue_at(k + 1, k + 1).or_else(|| self.cue_at(v, v));
                for (t, quote) in self.toks[k + 1..range.end].iter_mut().zip(saved) {
                    t.quote = quote;
                }
                let Some(cue) = cue.filter(|c| c.class.is_some()) else {
                    k += 1;
                    continue;
                };
                // Its speaker runs to a stop, short, with quoted words after it.
                let stop = (cue.last + 1..range.end.min(cue.last + 12)).find(|&j| self.toks[j].text == ".");
                let named = |a: usize, b: usize| {
                    cue.inverted.is_some()
                        || (a..b).any(|j| {
                            self.toks[j].is_capitalised()
                                || self.title_in(j, j + 1).is_some()
                                || self.is(j, Word::Pronoun)
                        })
                };
                match stop {
                    Some(stop) if stop + 2 < range.end && named(cue.last + 1, stop) => {
                        spans.push(QuoteSpan { start, end: self.toks[k].start });
                        start = self.toks[stop + 1].start;
                        changed = true;
                        k = stop + 1;
                    }
                    _ => k += 1,
                }
            }
            spans.push(QuoteSpan { start, end: self.quotes[q].end });
        }
        if !changed {
            return;
        }
        // Tokens between two pieces (the incise) belong to no quote.
        let mut next = 0;
        for t in &mut self.toks {
            while next < spans.len() && spans[next].end <= t.start {
                next += 1;
            }
            t.quote = spans.get(next).filter(|q| q.start <= t.start && t.end <= q.end).map(|_| next);
        }
        self.quotes = spans;
    }

    /// Sentences, joined where a boundary falls inside a quote.
    fn merge_over_quotes(&self, sentences: Vec<Range<usize>>) -> Vec<Range<usize>> {
        let mut out: Vec<Range<usize>> = Vec::new();
        for mut s in sentences {
            if let Some(last) = out.last_mut() {
                let (a, b) = (&self.toks[last.end - 1], &self.toks[s.start]);
                if let Some(q) = a.quote.filter(|&q| b.quote == Some(q) && self.quotes[q].end > a.end) {
                    if self.quotes[q].end == b.end && s.end > s.start + 1 {
                        // '... is “ongoing.” He said ...': the closing mark ends
                        // the sentence before; only a quote running on joins two.
                        last.end = s.start + 1;
                        s.start += 1;
                    } else {
                        last.end = s.end;
                        continue;
                    }
                }
            }
            out.push(s);
        }
        out
    }

    /// "X a déclaré ... . Il a ajouté ...": a subject pronoun in the
    /// sentence after a statement (or in the same one) stands for that
    /// statement's speaker, who goes on speaking, rather than for whoever was
    /// named last in between ("a-t-il assuré sur France Inter. Il a reconnu").
    fn continue_speakers(&self, sentences: &[Range<usize>], found: &mut [(Quote, Range<usize>)]) {
        let starts: Vec<usize> = sentences.iter().map(|s| self.toks[s.start].start).collect();
        let sentence_of = |pos: usize| starts.partition_point(|&x| x <= pos).saturating_sub(1);
        let mut order: Vec<usize> = (0..found.len()).collect();
        order.sort_by_key(|&k| found[k].0.start.min(found[k].0.speaker_span.map_or(usize::MAX, |s| s[0])));
        for w in 1..order.len() {
            let (prev, k) = (order[w - 1], order[w]);
            let Some(span) = found[k].0.speaker_span else { continue };
            let pronoun = found[k].0.speaker_text.as_deref().map(fold).is_some_and(|t| self.lex.is(&t, Word::Pronoun));
            let Some(previous) = found[prev].0.speaker_mention.filter(|_| pronoun) else { continue };
            let previous_end = found[prev].0.end.max(found[prev].0.speaker_span.map_or(0, |s| s[1]));
            if previous_end <= span[0] && sentence_of(previous_end.saturating_sub(1)) + 1 >= sentence_of(span[0]) {
                found[k].0.speaker_mention = Some(previous);
            }
        }
    }

    /// Whether token `i` is quoted, relative to the quote being read in.
    fn quoted(&self, i: usize) -> bool {
        self.toks[i].quote.is_some()
    }

    fn text(&self, range: Range<usize>) -> String {
        self.chars[range].iter().collect()
    }

    fn is(&self, i: usize, kind: Word) -> bool {
        self.lex.is(&self.toks[i].folded, kind)
    }

    /// The length of a multi-word entry of `kind` starting at token `i`.
    fn phrase_at(&self, i: usize, kind: Word) -> Option<usize> {
        self.lex
            .phrases
            .iter()
            .filter(|(words, k)| *k == kind && i + words.len() <= self.toks.len())
            .find(|(words, _)| words.iter().zip(&self.toks[i..]).all(|(w, t)| *w == t.folded))
            .map(|(words, _)| words.len())
    }

    /// Whether the token opens or closes a quote span.
    fn opens_quote(&self, i: usize) -> Option<usize> {
        self.toks[i].quote.filter(|&q| self.quotes[q].start == self.toks[i].start)
    }
    fn closes_quote(&self, i: usize) -> Option<usize> {
        self.toks[i].quote.filter(|&q| self.quotes[q].end == self.toks[i].end)
    }

    /// The cue starting at token `i` of a sentence starting at `first`.
    fn cue_at(&self, i: usize, first: usize) -> Option<Cue> {
        let tok = &self.toks[i];
        if tok.quote.is_some() || !tok.is_word() {
            return None;
        }
        // A verb is written in lowercase; a capital is a name ("State"),
        // except in a title-case headline.
        if tok.is_capitalised() && i != first && !tok.title_case {
            return None;
        }
        // After a determiner or a possessive the word is a noun ("la
        // demande", "the claim", "Cruz's thinking").
        if i > first && (self.is(i - 1, Word::Determiner) || self.after_possessive(i)) {
            return None;
        }
        // "The tax cut plans are ...": a word in -s right before a form of
        // "be" is a plural noun, the subject of that verb, not a cue.
        if tok.folded.len() > 3
            && tok.folded.ends_with('s')
            && self.toks.get(i + 1).is_some_and(|t| t.is_word())
            && self.is(i + 1, Word::PassiveAuxiliary)
        {
            return None;
        }
        // "dit-il", "ajoute-t-elle", "a-t-il": an inverted subject pronoun.
        if tok.folded.contains('-') {
            let parts: Vec<&str> = tok.folded.split('-').collect();
            let pronoun = parts.last().is_some_and(|p| {
                self.lex.is(p, Word::Pronoun)
                    || self.lex.is(p, Word::PronounPlural)
                    || self.lex.is(p, Word::PronounGeneric)
            });
            if pronoun && parts.len() >= 2 {
                if let Some(&class) = self.lex.cues.get(parts[0]) {
                    let clause_only = self.lex.clause_only_cues.contains(parts[0]);
                    let object_only = self.lex.object_cues.contains(parts[0]);
                    return Some(Cue {
                        first: i,
                        last: i,
                        class: Some(class),
                        inverted: Some(i),
                        clause_only,
                        object_only,
                    });
                }
                if self.lex.is(parts[0], Word::Auxiliary) {
                    let mut j = i + 1;
                    while j < self.toks.len() && (self.is(j, Word::Adverb) || self.is(j, Word::Negation)) {
                        j += 1;
                    }
                    if let Some(mut cue) = self.plain_cue(j) {
                        cue.inverted = Some(i);
                        return Some(cue);
                    }
                }
            }
            return None;
        }
        self.plain_cue(i)
    }

    /// Whether token `i` follows a possessive ("Cruz's", tokenized "Cruz ' s").
    fn after_possessive(&self, i: usize) -> bool {
        let before = match i {
            0 => return false,
            1 => self.toks[0].folded.clone(),
            _ => format!("{}{}", self.toks[i - 2].folded, self.toks[i - 1].folded),
        };
        self.lex.possessive_endings.iter().any(|e| before.ends_with(e.as_str()))
    }

    /// Whether any mention overlaps the characters of tokens `r`.
    fn overlaps_mention(&self, r: &Range<usize>) -> bool {
        let chars = self.toks[r.start].start..self.toks[r.end - 1].end;
        self.mentions.iter().any(|m| m.start < chars.end && m.end > chars.start)
    }

    /// 'a defense of “New York values,” saying': whether token `k` is a
    /// closing mark with a comma right inside it.
    fn comma_inside_closing_mark(&self, k: usize) -> bool {
        k > 0 && self.closes_quote(k).is_some() && self.toks[k - 1].text == ","
    }

    fn plain_cue(&self, i: usize) -> Option<Cue> {
        for n in (1..=self.lex.cue_words).rev() {
            if i + n > self.toks.len() {
                continue;
            }
            let toks = &self.toks[i..i + n];
            if toks.iter().any(|t| t.quote.is_some() || !t.is_word()) {
                continue;
            }
            let key = toks.iter().map(|t| t.folded.as_str()).collect::<Vec<_>>().join(" ");
            if let Some(&class) = self.lex.cues.get(&key) {
                let clause_only = self.lex.clause_only_cues.contains(&key);
                let object_only = self.lex.object_cues.contains(&key);
                return Some(Cue {
                    first: i,
                    last: i + n - 1,
                    class: Some(class),
                    inverted: None,
                    clause_only,
                    object_only,
                });
            }
        }
        // An unlisted finite verb right before "that" ("conceded that", "feels that").
        let t = &self.toks[i];
        let verb_like =
            self.lex.clause_verb_endings.iter().any(|e| t.folded.len() > e.len() + 2 && t.folded.ends_with(e.as_str()));
        if verb_like
            && !t.is_capitalised()
            && i + 1 < self.toks.len()
            && self.is(i + 1, Word::Complementizer)
            && !self.is(i, Word::SpeakerNoun)
            && !self.is(i, Word::Auxiliary)
            && !self.is(i, Word::Adverb)
        {
            return Some(Cue {
                first: i,
                last: i,
                class: None,
                inverted: None,
                clause_only: false,
                object_only: false,
            });
        }
        None
    }

    /// Whether tokens `a..b` can be a speaker: a name, a pronoun, a role, or
    /// a phrase opened by a determiner.
    fn nominal(&self, a: usize, b: usize) -> bool {
        if a >= b {
            return false;
        }
        if b - a == 1 && self.pronoun_kind(a).is_some() {
            return true;
        }
        if self.has_verb(a, b) {
            return false;
        }
        self.overlaps_mention(&(a..b))
            || self.is(a, Word::Determiner)
            // "Most of the candidates said", "Many Republicans say": a quantifier opens a noun phrase.
            || b - a >= 2 && self.is(a, Word::Quantifier)
            // "47 percent said", "More than 4 in 10 said": a share of people.
            || self.toks[a..b].iter().any(|t| t.text.starts_with(|c: char| c.is_ascii_digit()))
            || self.toks[a..b].iter().skip(1).any(Tok::is_capitalised)
            || self.title_in(a, b).is_some()
            || (self.toks[a].is_capitalised() && b - a <= 3)
            || self.is(b - 1, Word::SpeakerNoun)
            || self.agent_plural(b - 1)
            // "Residents of the town said": the head before a preposition.
            || (a + 1..b)
                .find(|&k| self.is(k, Word::Preposition) || self.is(k, Word::NameLink))
                .is_some_and(|k| self.is(k - 1, Word::SpeakerNoun))
    }

    /// Whether tokens `a..b` hold an auxiliary outside a relative clause:
    /// "the agency has not been using social media" is a clause, not a noun
    /// phrase ("the firm, which has long been a supplier," is one).
    fn has_verb(&self, a: usize, b: usize) -> bool {
        (a + 1..b).any(|k| {
            self.is(k, Word::Auxiliary)
                && self.toks[k].is_word()
                && !self.toks[k].is_capitalised()
                && !(a..k).any(|r| self.pronoun_kind(r) == Some(Word::Relative))
        })
    }

    /// Whether token `t` is capitalised inside its sentence (which starts at
    /// `lo`) outside a title-case headline: a name, even when it reads as an
    /// auxiliary ("George Will wrote"); a participle is none ("Having said").
    fn capitalised_inside(&self, t: usize, lo: usize) -> bool {
        t > lo && self.toks[t].is_capitalised() && !self.toks[t].title_case && !self.participle_form(t)
    }

    /// The pronoun a token is, or ends with ("a-t-il").
    fn pronoun_kind(&self, i: usize) -> Option<Word> {
        let folded = &self.toks[i].folded;
        let word = folded.rsplit('-').next().unwrap_or(folded);
        [Word::Pronoun, Word::PronounPlural, Word::PronounGeneric, Word::Relative]
            .into_iter()
            .find(|&k| self.lex.is(word, k))
    }

    /// The first role title among tokens `a..b`, as folded tokens.
    fn title_in(&self, a: usize, b: usize) -> Option<&[String]> {
        (a..b).find_map(|i| {
            self.lex
                .titles
                .iter()
                .filter(|t| i + t.len() <= b && t.iter().zip(&self.toks[i..]).all(|(w, tok)| *w == tok.folded))
                .max_by_key(|t| t.len())
                .map(|t| t.as_slice())
        })
    }

    /// Whether token `i` may sit inside a speaker's phrase.
    fn in_phrase(&self, i: usize, first_of_phrase: bool) -> bool {
        let t = &self.toks[i];
        if t.quote.is_some() {
            return false;
        }
        if !t.is_word() {
            // "M." is a word; a hyphen or an apostrophe inside a name is too.
            return matches!(t.text.as_str(), "-" | "'" | "’" | "." | "&" | "%");
        }
        !(self.is(i, Word::Boundary)
            || self.is(i, Word::Complementizer) && !self.is(i, Word::Relative)
            || self.is(i, Word::Marker)
            || self.is(i, Word::Preposition) && (first_of_phrase || !self.is(i, Word::NameLink))
            || self.lex.cues.contains_key(&t.folded) && !t.is_capitalised() && !self.after_possessive(i))
    }

    /// The speaker's phrase ending at token `end` (exclusive), no further
    /// left than `lo`: a run of phrase tokens, with an apposition between
    /// commas kept ("Le ministre belge des Finances, Paul Dubois, a ...": an invented example).
    fn phrase_left(&self, lo: usize, end: usize) -> Option<Range<usize>> {
        if end <= lo {
            return None;
        }
        // 'X, citing ''the magic of Trump,'' said': the comma inside the quote.
        let quote_comma = self.closes_quote(end - 1).is_some_and(|q| {
            self.text(self.quotes[q].start..self.quotes[q].end)
                .trim_end_matches(['"', '\'', '”', '’', '»', ' '])
                .ends_with(',')
        });
        // "Jason Sims — a teacher from Mount Pleasant — says": dashes set an apposition off as commas do.
        let dash = |k: usize| matches!(self.toks[k].text.as_str(), "—" | "–");
        let dashes = dash(end - 1);
        if self.toks[end - 1].text == "," || dash(end - 1) || quote_comma {
            // An apposition: "HEAD, INCISE, verb".
            let close = if quote_comma { end } else { end - 1 };
            // The apposition may hold commas of its own ("Paul Porter, a
            // truck driver from Ava, Mo., said"): of the commas that can open
            // it, the one whose head opens the sentence wins, else the nearest.
            let mut nearest = None;
            let commas = (lo.max(end.saturating_sub(3 * MAX_SPEAKER_TOKENS))..end - 1)
                .rev()
                .filter(|&k| if dashes { dash(k) } else { self.toks[k].text == "," } && !self.quoted(k))
                .take(MAX_APPOSITION_COMMAS);
            for k in commas {
                let Some(phrase) = self.apposition(lo, k, close) else {
                    if nearest.is_none() && self.toks[k + 1..close].iter().any(|t| t.quote.is_some()) {
                        break;
                    }
                    continue;
                };
                if phrase.start == lo {
                    return Some(phrase);
                }
                nearest.get_or_insert(phrase);
            }
            return nearest;
        }
        if self.pronoun_kind(end - 1) == Some(Word::Relative) {
            return Some(end - 1..end);
        }
        let mut run = self.run_left(lo, end)?;
        // "Exit polls taken in South Carolina found", "a letter from the
        // Legion obtained by the AP warns": a prepositional phrase modifies
        // the head before it, which is the speaker's start.
        for _ in 0..3 {
            // "Advocates for stem cell research said": the words of a compound
            // between the preposition and the head belong to its object.
            let mut a = run.start;
            for _ in 0..MAX_COMPOUND_MODIFIERS {
                if a > lo + 2 && self.plain_word(a - 1) && !self.is(a - 1, Word::Preposition) {
                    a -= 1;
                } else {
                    break;
                }
            }
            if a == run.start || !self.is(a - 1, Word::Preposition) {
                a = run.start;
            }
            if a < lo + 2 || !self.is(a - 1, Word::Preposition) || !self.toks[a - 2].is_word() {
                break;
            }
            let Some(head) = self.run_left(lo, a - 1) else { break };
            if !self.nominal(head.start, head.end) || end - head.start > 2 * MAX_SPEAKER_TOKENS {
                break;
            }
            run = head.start..end;
        }
        // "Jeb Bush and Chris Christie say", "current and former employees said",
        // "the ports and docks union said".
        let a = run.start;
        if a >= lo + 2 && self.is(a - 1, Word::Coordinator) {
            let names = |r: Range<usize>| r.clone().all(|k| self.toks[k].is_capitalised() || self.toks[k].text == ".");
            let word_before = self.toks[a - 2].is_word() && !self.toks[a - 2].is_capitalised();
            let adjectives =
                word_before && !self.toks[a].is_capitalised() && (a - 2 == lo || !self.toks[a - 3].is_word());
            if let Some(head) = self.run_left(lo, a - 1) {
                let both_named = names(head.clone()) && names(a..a + 1) && head.len() <= 4;
                // ", the CGT ports and docks union said": a phrase opened by a
                // determiner right after a comma is one noun phrase.
                let determined = self.is(head.start, Word::Determiner)
                    && (head.start == lo || self.toks[head.start - 1].text == ",")
                    && head.len() <= 4;
                if both_named || adjectives && head.len() == 1 || determined {
                    run = head.start..end;
                }
            }
        }
        // "The Organization for Economic Cooperation and Development says":
        // a name the phrase starts inside is the speaker's whole start.
        let from = self.toks[run.start].start;
        if let Some(m) = self.mentions.iter().find(|m| m.start < from && m.end > from && m.start >= self.toks[lo].start)
        {
            if let Some(k) = (lo..run.start).find(|&k| self.toks[k].start == m.start) {
                let k = if k > lo && self.is(k - 1, Word::Determiner) { k - 1 } else { k };
                run = k..end;
            }
        }
        self.nominal(run.start, run.end).then_some(run)
    }

    /// "HEAD, INCISE," with the comma at `k` and the incise ending at
    /// `close`: the speaker's phrase from the head to the incise's end.
    fn apposition(&self, lo: usize, k: usize, close: usize) -> Option<Range<usize>> {
        let incise = k + 1..close;
        let head = self.run_left(lo, k)?;
        let named = |r: &Range<usize>| self.overlaps_mention(r);
        // The incise may be anything but a quote or another statement
        // ("X, 35, said", "X, whose finish was a disappointment, said"),
        // unless a named head's incise is a participle clause ("X, citing Y,
        // said"); in a noun phrase ("X, a creative writing professor,") a
        // verb form is a noun's modifier.
        let participle = !incise.is_empty()
            && self.participle_form(incise.start)
            && self.cue_at(incise.start, incise.start).is_some();
        let noun_phrase = !incise.is_empty()
            && (self.is(incise.start, Word::Determiner) || self.pronoun_kind(incise.start) == Some(Word::Relative));
        // A noun phrase ends on its noun: one ending on a cue is a clause ("X, an official said,").
        let ends_on_cue = !incise.is_empty() && self.cue_at(incise.end - 1, lo).is_some();
        // ("X, who called the plan “reckless,” said": a quoted word inside a
        // relative clause is the clause's.)
        let relative_incise = !incise.is_empty() && self.pronoun_kind(incise.start) == Some(Word::Relative);
        let reported = ends_on_cue
            || incise
                .clone()
                .any(|i| self.quoted(i) && !relative_incise || !noun_phrase && self.cue_at(i, lo).is_some());
        if incise.is_empty() || reported && !(participle && named(&head)) {
            return None;
        }
        // A name on either side, or a role phrase before a name.
        // "The official, who spoke on the condition of anonymity, said": a
        // relative clause after a noun naming speakers.
        let relative = self.pronoun_kind(incise.start) == Some(Word::Relative)
            && (self.is(head.end - 1, Word::SpeakerNoun) || self.title_in(head.start, head.end).is_some());
        // "the convention, forcing her to fend off both Trump and Sanders,
        // said X": a participle clause after a head that names no one is
        // narration, however many names it holds.
        let ing = self.participle_form(incise.start) && !self.toks[incise.start].is_capitalised();
        let speaker_head = named(&head)
            || self.is(head.end - 1, Word::SpeakerNoun)
            || self.pronoun_kind(head.start).is_some()
            || self.is(head.start, Word::Quantifier)
            || self.title_in(head.start, head.end).is_some();
        // "Several candidates, including Trump, said": a list, not a clause.
        let names_next = (incise.start + 1..incise.end.min(incise.start + 4)).any(|k| self.toks[k].is_capitalised());
        if ing && !speaker_head && !names_next {
            return None;
        }
        let appositive = named(&head) || named(&incise) || self.nominal(incise.start, incise.end) || relative;
        if !(self.nominal(head.start, head.end) && appositive) {
            return None;
        }
        // A noun in apposition ("X, a spokesman for Y,"), a relative clause
        // or a list ("unions, including X,") is part of the speaker's
        // phrase; a participle clause or an adverbial between the subject
        // and its verb ("X, speaking at Y,", "X, at Monday's debate,") is
        // the verb's, not the speaker's.
        // So is a connective or a subordinate clause ("X, meanwhile,", "X,
        // when contacted,").
        let connective = self.is(incise.start, Word::Adverb)
            || self.phrase_at(incise.start, Word::Adverb).is_some()
            || self.is(incise.start, Word::Subordinator);
        let clause =
            (ing && !self.is(incise.start, Word::Inclusion)) || self.is(incise.start, Word::Preposition) || connective;
        Some(if clause { head } else { head.start..close })
    }

    fn run_left(&self, lo: usize, end: usize) -> Option<Range<usize>> {
        let mut a = end;
        // Tokens inside parentheses ("Sen. Bernie Sanders (I-Vt.) said") do
        // not count towards the phrase's length.
        let mut bracketed = 0;
        while a > lo && end - a - bracketed < MAX_SPEAKER_TOKENS {
            if self.toks[a - 1].text == ")" {
                let open =
                    (a.saturating_sub(MAX_BRACKETED_TOKENS).max(lo)..a - 1).rev().find(|&k| self.toks[k].text == "(");
                match open {
                    Some(k) if k > lo && !(k..a).any(|i| self.quoted(i) || self.cue_at(i, i).is_some()) => {
                        bracketed += a - k;
                        a = k;
                        continue;
                    }
                    _ => break,
                }
            }
            if !self.in_phrase(a - 1, false) || a < end && self.is(a - 1, Word::Relative) {
                break;
            }
            a -= 1;
        }
        // Never start on a preposition or a punctuation mark.
        while a < end && (!self.toks[a].is_word() || self.is(a, Word::Preposition) || self.is(a, Word::NameLink)) {
            a += 1;
        }
        // A plain lowercase word (not a determiner, a role or a link) belongs
        // to a noun phrase only after a determiner ("the fact-checker") or as
        // its head after names ("Republican leaders"); otherwise it is a verb
        // or an adverb of the clause before, and the phrase starts after it.
        let determined = a < end && self.is(a, Word::Determiner);
        if !determined {
            if let Some(k) = (a..end.saturating_sub(1)).rev().find(|&k| self.plain_word(k)) {
                // "Democratic party officials": names before the plain words
                // make them a noun phrase; otherwise they end the clause before.
                let qualified = (a..k).any(|i| self.toks[i].is_capitalised() || self.is(i, Word::Determiner));
                // ", campaign officials said": after a comma or at the
                // sentence's start, a word or two before the head are its modifiers.
                let opens = (a == lo || self.toks[a - 1].text == "," || self.is(a - 1, Word::Coordinator))
                    && k + 1 - a <= 2
                    && (self.is(end - 1, Word::SpeakerNoun) || self.agent_plural(end - 1));
                // "Presidential candidate Marco Rubio's campaign": a role noun
                // after an opening adjective, before the name, is inside it.
                let role_before_name =
                    |i: usize| i == a + 1 && self.toks[a].is_capitalised() && (a == lo || self.toks[a - 1].text == ",");
                let verb_before_name =
                    (a..k).any(|i| self.plain_word(i) && self.toks[i + 1].is_capitalised() && !role_before_name(i));
                if !opens && (!qualified || verb_before_name) {
                    a = k + 1;
                }
            }
        }
        (a < end).then_some(a..end)
    }

    /// A lowercase word that is neither a determiner, a pronoun, a role
    /// title's word nor a link inside a name.
    fn plain_word(&self, i: usize) -> bool {
        let t = &self.toks[i];
        t.is_word()
            && !t.is_capitalised()
            && !t.text.chars().next().is_some_and(|c| c.is_numeric())
            && !self.is(i, Word::Determiner)
            && !self.is(i, Word::NameLink)
            && self.pronoun_kind(i).is_none()
            && !self.lex.titles.iter().any(|title| title.contains(&t.folded))
    }

    /// The speaker's phrase starting at token `start` (after an inverted verb).
    fn phrase_right(&self, start: usize, hi: usize) -> Option<Range<usize>> {
        let mut b = start;
        while b < hi && b - start < MAX_SPEAKER_TOKENS && self.in_phrase(b, b == start) {
            b += 1;
        }
        while b > start && !self.toks[b - 1].is_word() {
            b -= 1;
        }
        if b <= start || !self.nominal(start, b) {
            return None;
        }
        // "a déclaré une porte-parole du département, Jalina Porter": the name in apposition.
        if b + 1 < hi && self.toks[b].text == "," {
            let next = self.toks[b + 1].start;
            if let Some(m) = self.mentions.iter().find(|m| m.start == next && m.kind == EntityType::Per) {
                let end = self.toks.partition_point(|t| t.end <= m.end);
                if end <= hi {
                    return Some(start..end);
                }
            }
        }
        Some(start..b)
    }

    /// The speaker of ", a annoncé l'Institut X." closing a sentence that
    /// opens on a clause of its own (an auxiliary before its first comma,
    /// five words or more before the cue): the noun phrase after the cue,
    /// when it runs to the sentence's end. "Le groupe, en difficulté, a
    /// annoncé la fermeture" opens on no clause: its cue has an object.
    fn inverted_tail_speaker(
        &self,
        lo: usize,
        chain: usize,
        after_cue: usize,
        s: &Range<usize>,
    ) -> Option<Range<usize>> {
        let first_comma = (lo..chain).find(|&k| self.toks[k].text == "," && !self.quoted(k))?;
        let opens_on_clause = (lo..first_comma).any(|k| !self.quoted(k) && self.is(k, Word::Auxiliary))
            && (lo..chain).filter(|&k| self.toks[k].is_word()).count() >= 5
            && !(lo..chain).any(|k| self.quoted(k));
        if !opens_on_clause {
            return None;
        }
        let start = self.skip_right(after_cue, s.end);
        let mut right = self.phrase_right(start, s.end)?;
        // "de la mer et de l'atmosphère": a coordinated complement goes on.
        let end = self.sentence_end(s);
        if right.end + 1 < end
            && self.is(right.end, Word::Coordinator)
            && end - right.end <= MAX_SPEAKER_TOKENS / 2
            && (right.end + 1..end)
                .all(|k| self.toks[k].is_word() && !self.is(k, Word::Auxiliary) && self.cue_at(k, k).is_none())
        {
            right.end = end;
        }
        let to_the_end = (right.end..s.end).all(|k| !self.toks[k].is_word());
        (start == after_cue && to_the_end).then_some(right)
    }

    /// Where an indirect content running from `start` to `end` stops: at a
    /// semicolon, at a comma before a coordinator opening a new clause or a
    /// participle cue (", but he ...", ", adding ..."), at a comma before a
    /// subordinate or relative clause with a statement of its own, or at a
    /// coordinator before another cue ("and said").
    fn content_end(&self, start: usize, end: usize) -> usize {
        for k in start + 1..end {
            if self.quoted(k) {
                continue;
            }
            let t = &self.toks[k];
            // '"..., citing ''X,'' said the candidate ...': a cue right after a closing mark.
            if k > start && self.closes_quote(k - 1).is_some() && self.cue_at(k, k).is_some() {
                return k;
            }
            // '... to “avoid the outcome,” according to the report': the
            // comma inside the mark, then a source marker (as after a comma below).
            if self.comma_inside_closing_mark(k - 1)
                && (self.phrase_at(k, Word::Marker).is_some() || self.is(k, Word::Marker))
            {
                return k;
            }
            // "... drive: “Change the world,” she said": a quote with its own
            // speaker and cue after it is a statement of its own; the content
            // stops before it, at the end of the sentence before it if any.
            if let Some(q) = self.closes_quote(k - 1) {
                // A speaker's phrase never opens on a preposition ('"owes it
                // to them" of the state to answer questions').
                let own_speaker = !self.is(k, Word::Preposition)
                    && !self.is(k, Word::NameLink)
                    && (k + 1..end.min(k + 5)).find(|&j| self.cue_at(j, j).is_some()).is_some_and(|j| {
                        (k..j).all(|i| self.toks[i].is_word() && !self.quoted(i)) && self.nominal(k, j)
                    });
                let open = self.token_range_of_quote(q).start;
                // 'X seemed irritated: “...,” she wrote': the quote the
                // content opens on is the tail's statement, none of this cue's.
                if own_speaker
                    && self.comma_inside_closing_mark(k - 1)
                    && open <= start + 1
                    && (start..open).all(|m| !self.toks[m].is_word())
                {
                    return start;
                }
                if own_speaker && open > start + 2 {
                    let stop = (start + 1..open).rev().find(|&m| matches!(self.toks[m].text.as_str(), "." | "!" | "?"));
                    return match stop {
                        Some(m) if self.closes_quote(m + 1).is_some() => m + 2,
                        Some(m) => m + 1,
                        None => open,
                    };
                }
            }
            if t.text == "," && k + 1 < end && !self.quoted(k + 1) {
                let n = k + 1;
                // ", and he ...", ", but officials said": a new clause; ", and
                // how they operate" goes on with the same content.
                let next_cue = (n + 1..end.min(n + 9)).find(|&j| self.cue_at(j, j).is_some());
                let coordinated = self.is(n, Word::Coordinator)
                    && (next_cue.is_some()
                        || n + 1 < end
                            && matches!(
                                self.pronoun_kind(n + 1),
                                Some(Word::Pronoun | Word::PronounPlural | Word::PronounGeneric)
                            ));
                // "When X pointed out that ..., the candidate said ...": a
                // subject and its cue after the comma start a new statement.
                let subject_cue = next_cue
                    .filter(|&j| j < n + 7)
                    .is_some_and(|j| (n..j).all(|i| self.toks[i].is_word() && !self.quoted(i)) && self.nominal(n, j));
                // ", according to X": the source of what comes before,
                // a statement of its own (PolNeAR gives it the clause).
                // Not right after "that," ("reported that, according to an
                // analysis, 85 had donated"): the clause goes on after it.
                let source_marker = (self.phrase_at(n, Word::Marker).is_some() || self.is(n, Word::Marker))
                    && !(k == start + 1 && self.is(start, Word::Complementizer));
                if coordinated || subject_cue || source_marker || self.cue_at(n, n).is_some() {
                    return k;
                }
            }
            // "that X; that's a ticket to ...": a semicolon closes the clause.
            if t.text == ";" {
                return k;
            }
            // ", while 9 percent found ...", ", which I said was ...": a
            // clause of its own after a comma.
            let subordinate = (self.is(k, Word::Boundary) || self.pronoun_kind(k) == Some(Word::Relative))
                && self.toks[k - 1].text == ",";
            if self.is(k, Word::Coordinator) || subordinate {
                // "... and one in four said": a new subject and its cue.
                if let Some(j) = (k + 1..end.min(k + 6)).find(|&j| self.cue_at(j, j).is_some()) {
                    if (k + 1..j).all(|i| self.toks[i].is_word() && !self.quoted(i))
                        && j > k + 1
                        && self.nominal(k + 1, j)
                    {
                        return if self.toks[k - 1].text == "," { k - 1 } else { k };
                    }
                }
                let mut j = k + 1;
                while j < end
                    && j - k <= 3
                    && (self.is(j, Word::Auxiliary) || self.is(j, Word::Adverb) || self.is(j, Word::Negation))
                {
                    j += 1;
                }
                if j < end && self.cue_at(j, j).is_some() {
                    return if self.toks[k - 1].text == "," { k - 1 } else { k };
                }
            }
        }
        end
    }

    /// The subject that opens sentence `s` before token `before`, after a
    /// fronted phrase ("In a statement, X"): a pronoun, or a mention with at
    /// most a few title words before it ("Former Gov. Jeb Bush"); none when
    /// the mention is a possessive ("Clinton's campaign").
    fn sentence_subject(&self, s: &Range<usize>, before: usize) -> Option<Range<usize>> {
        self.subject_from(s.start, before).or_else(|| {
            // "Hours later, Trump returned ...": after a fronted phrase of
            // any kind, up to its comma.
            let comma = (s.start..before.min(s.start + 15)).find(|&k| self.toks[k].text == "," && !self.quoted(k))?;
            self.subject_from(comma + 1, before)
        })
    }

    /// The subject of a clause starting at token `start`: a pronoun, or a
    /// name mention with at most a few capitalised words or a determiner
    /// before it.
    fn subject_from(&self, start: usize, before: usize) -> Option<Range<usize>> {
        let mut i = start;
        while i < before && !self.toks[i].is_word() {
            i += 1;
        }
        let fronted = |k: usize| {
            self.is(k, Word::Preposition)
                || self.is(k, Word::Boundary)
                || self.is(k, Word::Adverb)
                || self.is(k, Word::Time)
        };
        if i < before && fronted(i) {
            let comma = (i..before.min(i + 15)).find(|&k| self.toks[k].text == ",")?;
            i = comma + 1;
        }
        if i >= before {
            return None;
        }
        if matches!(self.pronoun_kind(i), Some(Word::Pronoun | Word::PronounPlural)) {
            return Some(i..i + 1);
        }
        let (from, to) = (self.toks[i].start, self.toks[before - 1].end);
        let Some(m) = self.mentions.iter().find(|m| m.start >= from && m.end <= to) else {
            return self.determined_subject(i, before);
        };
        let a = self.toks.partition_point(|t| t.start < m.start);
        let b = self.toks.partition_point(|t| t.end <= m.end);
        let lead_in = |k: usize| {
            let t = &self.toks[k];
            t.is_capitalised()
                || t.text == "."
                || self.is(k, Word::Determiner)
                || self.lex.titles.iter().any(|w| w.contains(&t.folded))
        };
        if a >= b || a - i > 4 || !(i..a).all(lead_in) || self.toks[b - 1].end != m.end {
            return self.determined_subject(i, before);
        }
        if b < before && self.toks[b].text.starts_with(['\'', '’']) {
            return None;
        }
        Some(i..b)
    }

    /// "The campaign launched ... and announced": a determiner and at most
    /// two more words, the last naming an organisation or speakers, opening
    /// the clause at `i` before a lowercase word (its verb).
    fn determined_subject(&self, i: usize, before: usize) -> Option<Range<usize>> {
        if !self.is(i, Word::Determiner) {
            return None;
        }
        let head = (i + 1..(i + 4).min(before))
            .find(|&k| self.is(k, Word::OrganisationNoun) || self.is(k, Word::SpeakerNoun))?;
        let plain = (i + 1..head).all(|k| self.plain_word(k));
        let verb_next = head + 1 < before && self.toks[head + 1].is_word() && !self.toks[head + 1].is_capitalised();
        (plain && verb_next).then_some(i..head + 1)
    }

    /// "People briefed on the situation say", "Friends of Mr. Clinton's who
    /// have seen him say": when no short phrase ends at the cue, the whole
    /// clause before it, from the sentence's start or its last comma, is
    /// the speaker, if it is a noun phrase of a few words with no statement
    /// of its own.
    fn clause_subject(&self, lo: usize, chain: usize) -> Option<Range<usize>> {
        let mut a = (lo..chain)
            .rev()
            .find(|&k| matches!(self.toks[k].text.as_str(), "," | ";" | ":" | "—" | "–" | "(" | ")"))
            .map_or(lo, |k| k + 1);
        while a < chain && (!self.toks[a].is_word() || self.is(a, Word::Coordinator)) {
            a += 1;
        }
        let words = (a..chain).filter(|&k| self.toks[k].is_word()).count();
        // "Hawkins and others who want to ban abortion said": a cue inside a
        // relative clause of the phrase is that clause's, not a statement
        // the phrase makes.
        let relative = (a + 1..chain).find(|&k| {
            self.pronoun_kind(k) == Some(Word::Relative)
                && self.toks[k - 1].is_word()
                && self.cue_at(k - 1, a).is_none()
        });
        let in_relative = |k: usize| relative.is_some_and(|r| k > r);
        if !(2..=MAX_SPEAKER_TOKENS).contains(&words)
            || (a..chain).any(|k| {
                self.quoted(k)
                    || self.cue_at(k, a).is_some() && !in_relative(k)
                    || self.is(k, Word::Complementizer) && relative != Some(k)
            })
        {
            return None;
        }
        // It opens on a noun phrase's first word: a determiner, a name, a
        // figure or a noun naming speakers.
        let t = &self.toks[a];
        let opens = self.is(a, Word::Determiner)
            || t.is_capitalised()
            || t.text.chars().next().is_some_and(|c| c.is_ascii_digit())
            || self.is(a, Word::SpeakerNoun);
        // The head is named before any relative clause.
        let head_end = relative.unwrap_or(chain);
        let (from, to) = (self.toks[a].start, self.toks[head_end - 1].end);
        let head = (a..head_end).any(|k| self.is(k, Word::SpeakerNoun) || relative.is_some() && self.agent_plural(k))
            || self
                .mentions
                .iter()
                .any(|m| m.start >= from && m.end <= to && matches!(m.kind, EntityType::Per | EntityType::Org));
        (opens && head && !self.is(a, Word::Preposition) && self.pronoun_kind(a).is_none() && !self.has_verb(a, chain))
            .then_some(a..chain)
    }

    /// Where a speaker's phrase ending at `from` stops when it closes its
    /// sentence (`end`): through its appositions and relative clauses ("X,
    /// 62, who runs the gym"), up to a comma that opens another clause (a
    /// participle cue, a reporter, a quote or a complementizer), a quote or
    /// a semicolon.
    fn apposition_end(&self, from: usize, end: usize) -> usize {
        let mut i = from;
        while i < end {
            let t = &self.toks[i];
            if t.text == ";" || self.opens_quote(i).is_some() || t.quote.is_some() {
                break;
            }
            if t.text == "," && i + 1 < end {
                let n = i + 1;
                if self.cue_at(n, n).is_some()
                    || self.is(n, Word::Reporter)
                    || self.is(n, Word::Complementizer) && !self.is(n, Word::Relative)
                    || self.opens_quote(n).is_some()
                    || self.is(n, Word::Boundary)
                    || self.opens_clause(n, end)
                {
                    break;
                }
            }
            i += 1;
        }
        while i > from && !self.toks[i - 1].is_word() {
            i -= 1;
        }
        i
    }

    /// Whether the words from `n` to the next comma are a clause rather
    /// than an apposition: an auxiliary comes before any relative word
    /// ("according to Ms. Epstein, are 16 ...", "according to an official,
    /// two in the batch were upgraded"; "X, who was ..." is an apposition).
    fn opens_clause(&self, n: usize, end: usize) -> bool {
        (n..end)
            .take_while(|&k| self.toks[k].text != "," && !self.is(k, Word::Relative) && self.toks[k].quote.is_none())
            .any(|k| self.is(k, Word::Auxiliary))
    }

    /// Skips tokens that sit between parts of an attribution and change
    /// nothing (auxiliaries, adverbs, negation, days), going right; returns
    /// the next index and whether a negation was passed.
    fn skip_right(&self, mut i: usize, hi: usize) -> usize {
        while i < hi {
            // "said Monday's decision ...": a day that owns a noun opens the clause.
            let owns = |n: usize| (i + n + 1..(i + n + 3).min(hi)).any(|k| self.after_possessive(k));
            if let Some(n) = self.phrase_at(i, Word::Adverb).or_else(|| self.phrase_at(i, Word::Time)) {
                if owns(n) {
                    break;
                }
                i += n;
            } else if (self.is(i, Word::Adverb) || self.is(i, Word::Time)) && !owns(1) {
                i += 1;
            } else if i + 1 < hi && self.is(i, Word::Preposition) && self.is(i + 1, Word::Time) {
                // "said on Tuesday it would ...".
                i += 2;
            } else {
                break;
            }
        }
        i
    }

    /// "dans un communiqué", "in a statement", "to reporters", "à la presse":
    /// a short prepositional phrase after the cue, skipped.
    fn skip_medium(&self, i: usize, hi: usize) -> usize {
        if i < hi && self.is(i, Word::Preposition) {
            let mut j = i + 1;
            while j < hi && j - i <= 6 && self.toks[j].is_word() && !self.is(j, Word::Complementizer) {
                // "planning to support X", "called for Republicans to back
                // X": an infinitive is what is reported, not a medium.
                if self.infinitive_verb_at(j - 1, hi) {
                    return i;
                }
                // "asked for a photo and Clinton said": a clause of its own, not a phrase.
                if self.is(j, Word::Coordinator) || self.cue_at(j, j).is_some() {
                    break;
                }
                if self.is(j, Word::Medium) || j + 1 < hi && !self.toks[j + 1].is_word() {
                    return j + 1;
                }
                j += 1;
            }
        }
        i
    }

    /// Whether token `i` is an infinitive's "to" before its verb (a
    /// lowercase word that is no determiner, pronoun or time word: "to
    /// support", not "to reporters", "to the press", "to them").
    fn infinitive_verb_at(&self, i: usize, hi: usize) -> bool {
        self.lex.to_infinitive
            && self.is(i, Word::InfinitiveLink)
            && i + 1 < hi
            && self.toks[i + 1].is_word()
            && !self.toks[i + 1].is_capitalised()
            && !self.is(i + 1, Word::Determiner)
            && !self.is(i + 1, Word::Time)
            && !self.is(i + 1, Word::Medium)
            && !self.is(i + 1, Word::SpeakerNoun)
            && self.pronoun_kind(i + 1).is_none()
            && !self.toks[i + 1].text.chars().next().is_some_and(|c| c.is_ascii_digit())
    }

    /// "said — on Twitter, as it happens — that ...": a short aside between
    /// dashes, skipped (brackets after a cue close a speaker's name more
    /// often than an aside: "a annoncé l'agence régionale de santé (ARS)").
    fn skip_aside(&self, i: usize, hi: usize) -> usize {
        let close = match self.toks.get(i).map(|t| t.text.as_str()) {
            Some(dash @ ("—" | "–")) => dash,
            // "can now say, with the benefit of hindsight, that ...": an aside
            // between commas, when "that" follows it.
            Some(",") => {
                return (i + 2..hi.min(i + 2 + MAX_ASIDE_TOKENS))
                    .take_while(|&k| self.toks[k].quote.is_none() && self.cue_at(k, k).is_none())
                    .find(|&k| self.toks[k].text == ",")
                    .filter(|&k| k + 1 < hi && self.is(k + 1, Word::Complementizer))
                    .map_or(i, |k| k + 1);
            }
            _ => return i,
        };
        (i + 1..hi.min(i + 2 + MAX_ASIDE_TOKENS))
            .take_while(|&k| self.toks[k].quote.is_none())
            .find(|&k| self.toks[k].text == close)
            .map_or(i, |k| k + 1)
    }

    /// '“...,” campaign manager Robby Mook said': lowercase words between a
    /// closed quote (or a comma) and the speaker's phrase are its
    /// modifiers, a role or an epithet, when nothing else stands there.
    fn premodified(&self, lo: usize, speaker: Range<usize>) -> Range<usize> {
        let mut a = speaker.start;
        while a > lo
            && speaker.start - a < MAX_PREMODIFIER_WORDS
            && self.toks[a - 1].is_word()
            && !self.quoted(a - 1)
            && !self.toks[a - 1].is_capitalised()
            && self.cue_at(a - 1, a - 1).is_none()
            && ![Word::Boundary, Word::Coordinator, Word::Complementizer, Word::Preposition, Word::Relative]
                .iter()
                .any(|&w| self.is(a - 1, w))
            && self.pronoun_kind(a - 1).is_none()
        {
            a -= 1;
        }
        let abuts = a < speaker.start && a > lo && (self.toks[a - 1].text == "," || self.closes_quote(a - 1).is_some());
        if abuts {
            a..speaker.end
        } else {
            speaker
        }
    }

    /// 'said, "Probably."': a quote of one word after the cue and a comma or
    /// a colon, ending the sentence, is an answer, not a name or a fragment.
    fn answer_quote(&self, r: usize, open: usize, end: usize) -> bool {
        open > r
            && (r..open).all(|i| matches!(self.toks[i].text.as_str(), "," | ":"))
            && self.opens_quote(open).is_some_and(|q| self.token_range_of_quote(q).end >= end)
    }

    /// Whether sentence `s`, after a closed quote, attributes that quote:
    /// a cue in a short sentence ('” Sen. Marco Rubio said.'), or a cue
    /// after a short subject followed by nothing but days, adverbs, an
    /// addressee and short prepositional phrases ('” Trump asked reporters
    /// rhetorically during a news conference.'); a cue with a clause of its
    /// own ('He added that ...') is a statement of its own.
    fn attribution_tail(&self, s: Range<usize>) -> bool {
        let Some(cue) = s.clone().find_map(|i| self.cue_at(i, s.start)) else { return false };
        let words = s.clone().filter(|&i| self.toks[i].is_word()).count();
        if words <= MAX_ATTRIBUTION_TAIL_WORDS {
            return true;
        }
        let before = (s.start..cue.first).filter(|&i| self.toks[i].is_word()).count();
        if before > LEAD_CUE_WORDS || before == 0 {
            return false;
        }
        let end = self.sentence_end(&s);
        // An addressee of at most two words: "told reporters", "asked him".
        (cue.last + 1..=(cue.last + 3).min(end)).any(|j| {
            let mut k = j;
            // "asked reporters rhetorically".
            while k < end && self.ly_adverb(k) {
                k += 1;
            }
            (cue.last + 1..j).all(|a| self.toks[a].is_word() && !self.is(a, Word::Complementizer))
                && self.skip_clause_tail(k, s.end) >= end
        })
    }

    /// Days, adverbs and short prepositional phrases after a cue ("said on
    /// Thursday during a speech"), skipped.
    fn skip_clause_tail(&self, mut i: usize, hi: usize) -> usize {
        for _ in 0..4 {
            let next = self.skip_aside(self.skip_medium(self.skip_right(i, hi), hi), hi);
            if next == i {
                break;
            }
            i = next;
        }
        i
    }

    /// "BENENSON: This is a man who ...", "Trump: I will win": a name and a
    /// colon opening a paragraph, as transcripts and headlines write; the
    /// content runs to the paragraph's end. Returns the statement and the
    /// token after its content in this sentence.
    /// Sentence `si` is a headline: a paragraph of its own, with no full
    /// stop, most of its words capitalised ("Graham: Trump's Rhetoric
    /// Destroying GOP's Chance").
    fn headline(&self, sentences: &[Range<usize>], si: usize) -> bool {
        let s = &sentences[si];
        let ends_paragraph = sentences
            .get(si + 1)
            .is_none_or(|next| self.text(self.toks[s.end - 1].end..self.toks[next.start].start).contains('\n'));
        let words: Vec<&Tok> = self.toks[s.clone()].iter().filter(|t| t.is_word()).collect();
        let capitalised = words.iter().filter(|t| t.is_capitalised()).count();
        ends_paragraph && self.toks[s.end - 1].text != "." && words.len() >= 4 && capitalised * 3 >= words.len() * 2
    }

    /// "Son président, Gilles Aubry : « Les acheteurs reviennent. »": a
    /// sentence that is a name (with its role), a colon and a quote that
    /// ends it, with no verb of speech, attributes the quote to the name.
    fn named_colon_quote(&self, s: &Range<usize>, used_quotes: &mut [bool]) -> Option<((Quote, Range<usize>), usize)> {
        let colon = (s.start + 1..s.end.min(s.start + 2 * MAX_SPEAKER_TOKENS)).find(|&k| self.toks[k].text == ":")?;
        if colon + 1 >= s.end {
            return None;
        }
        let q = self.opens_quote(colon + 1)?;
        let range = self.token_range_of_quote(q);
        if used_quotes[q]
            || (range.end..s.end).any(|k| self.toks[k].is_word())
            || self.words_in(self.quotes[q].start, self.quotes[q].end) < 3
            || (s.start..colon).any(|k| self.toks[k].quote.is_some() || self.cue_at(k, s.start).is_some())
        {
            return None;
        }
        let (a, b) = (self.toks[s.start].start, self.toks[colon - 1].end);
        let person = |m: &&Mention| matches!(m.kind, EntityType::Per | EntityType::Org);
        let (speaker, mention, cue) = match self.mentions.iter().filter(person).find(|m| m.end == b && m.start >= a) {
            Some(name) => ([a, b], Some([name.start, name.end]), [self.toks[colon].start, self.toks[colon].end]),
            None => {
                // "Clinton has since apologized for what happened: “Yes, I
                // should have ...”": the sentence's subject (a name or a
                // pronoun), the words up to the colon as the cue, and a
                // whole sentence quoted after it.
                let inner = self.text(self.quotes[q].start..self.quotes[q].end);
                let opens_sentence =
                    inner.trim_start_matches(|c: char| !c.is_alphanumeric()).starts_with(char::is_uppercase);
                let (end, mention) = match self.mentions.iter().find(|m| m.start == a && m.kind != EntityType::Misc) {
                    Some(name) => (name.end, Some([name.start, name.end])),
                    None if matches!(self.pronoun_kind(s.start), Some(Word::Pronoun | Word::PronounPlural)) => {
                        let end = self.toks[s.start].end;
                        (end, self.resolve(s.start..s.start + 1, [a, end]))
                    }
                    None => return None,
                };
                let after = self.toks.partition_point(|t| t.end <= end);
                if !opens_sentence || after >= colon || colon - after > MAX_COLON_CUE_TOKENS {
                    return None;
                }
                ([a, end], mention, [self.toks[after].start, self.toks[colon].end])
            }
        };
        used_quotes[q] = true;
        let span = self.quotes[q];
        let quote = Quote {
            kind: QuoteKind::Direct,
            start: span.start,
            end: span.end,
            text: self.inner_text(span.start, span.end),
            cue: self.text(cue[0]..cue[1]),
            cue_span: Some(cue),
            cue_class: CueClass::Say.as_str().to_string(),
            speaker_text: Some(self.text(speaker[0]..speaker[1])),
            speaker_span: Some(speaker),
            speaker_mention: mention,
            negated: false,
            denial: self.negative(span.start, span.end),
            date: None,
        };
        Some(((quote, a..span.end), s.end))
    }

    fn colon_attribution(
        &self,
        si: usize,
        sentences: &[Range<usize>],
        used_quotes: &mut [bool],
    ) -> Option<((Quote, Range<usize>), usize)> {
        let s = &sentences[si];
        let first = s.start;
        let paragraph_start = first == 0 || self.text(self.toks[first - 1].end..self.toks[first].start).contains('\n');
        if !paragraph_start || self.toks[first].quote.is_some() {
            return None;
        }
        let colon = (first + 1..s.end.min(first + 5)).find(|&k| self.toks[k].text == ":")?;
        let name = first..colon;
        if !name.clone().all(|k| self.toks[k].is_capitalised() || self.toks[k].text == ".") {
            return None;
        }
        let (a, b) = (self.toks[first].start, self.toks[colon - 1].end);
        // "Q:" and "A:" of an interview name no one: a label needs a word.
        let upper = name.clone().all(|k| !self.toks[k].text.chars().any(char::is_lowercase))
            && self
                .text(self.toks[first].start..self.toks[colon - 1].end)
                .chars()
                .filter(|c| c.is_alphabetic())
                .count()
                > 1;
        let named = self
            .mentions
            .iter()
            .any(|m| m.start <= a && m.end >= b && matches!(m.kind, EntityType::Per | EntityType::Org));
        // "Lynch: No outside influence ...": a title's surname, whatever the
        // recogniser made of it in title case, of a person the text names in full.
        let surname = &self.toks[colon - 1];
        let person_named_later = surname.is_capitalised()
            && self.mentions.iter().any(|m| {
                m.kind == EntityType::Per
                    && m.start > b
                    && m.text.contains(' ')
                    && m.text.ends_with(surname.text.as_str())
            });
        // "Poll: ...", "Report: ...": a source noun alone.
        let source = colon == first + 1 && self.is(first, Word::SourceNoun);
        if !(upper || named || person_named_later || source || self.headline(sentences, si)) {
            return None;
        }
        // The paragraph's last sentence.
        let mut last = si;
        while let Some(next) = sentences.get(last + 1) {
            let gap = self.text(self.toks[sentences[last].end - 1].end..self.toks[next.start].start);
            if gap.contains('\n') {
                break;
            }
            last += 1;
        }
        let content = colon + 1..self.sentence_end(&sentences[last]).max(colon + 1);
        if content.is_empty() || self.words_in(self.toks[content.start].start, self.toks[content.end - 1].end) < 3 {
            return None;
        }
        for k in content.clone() {
            if let Some(q) = self.toks[k].quote {
                used_quotes[q] = true;
            }
        }
        let (start, end) = (self.toks[content.start].start, self.toks[content.end - 1].end);
        let cue = [self.toks[colon].start, self.toks[colon].end];
        let quote = Quote {
            kind: QuoteKind::Direct,
            start,
            end,
            text: self.inner_text(start, end),
            cue: ":".into(),
            cue_span: Some(cue),
            cue_class: CueClass::Say.as_str().to_string(),
            speaker_text: Some(self.text(a..b)),
            speaker_span: Some([a, b]),
            speaker_mention: self.resolve(name, [a, b]),
            negated: false,
            denial: self.negative(start, end),
            date: None,
        };
        let next = if last == si { s.end } else { s.end.max(colon + 1) };
        Some(((quote, a..cue[1]), next))
    }

    fn attributions(&self, sentences: &[Range<usize>]) -> Vec<(Quote, Range<usize>)> {
        let mut found: Vec<(Quote, Range<usize>)> = Vec::new();
        let mut used_quotes = vec![false; self.quotes.len()];
        let mut sentence_of_quote: Vec<Option<usize>> = vec![None; self.quotes.len()];
        for (si, s) in sentences.iter().enumerate() {
            for i in s.clone() {
                if let Some(q) = self.toks[i].quote {
                    sentence_of_quote[q].get_or_insert(si);
                }
            }
            let mut i = s.start;
            if let Some((quote, next)) = self
                .colon_attribution(si, sentences, &mut used_quotes)
                .or_else(|| self.named_colon_quote(s, &mut used_quotes))
            {
                found.push(quote);
                i = next;
            }
            while i < s.end {
                // Words inside a quote are the quoted speaker's: "I think",
                // "people say" there are part of the statement, not new ones
                // (PolNeAR gives each word to one attribution; reading inside
                // quotes cost 9 points of precision on its train split).
                if self.toks[i].quote.is_some() {
                    i += 1;
                    continue;
                }
                let marker = self.phrase_at(i, Word::Marker).or_else(|| self.is(i, Word::Marker).then_some(1));
                if let Some(n) =
                    marker.or_else(|| (self.source_link_at(i, s) || self.stance_link_at(i, s)).then_some(1))
                {
                    if self.toks[i].quote.is_none() {
                        if let Some(q) = self.marker_attribution(i, n, s, &mut used_quotes) {
                            found.push(q);
                        }
                    }
                    i += n;
                    continue;
                }
                if let Some(cue) = self.cue_at(i, s.start) {
                    let next = cue.last + 1;
                    if let Some(q) = self.asked_question(&cue, s) {
                        found.push(q);
                        i = next;
                        continue;
                    }
                    let previous = found.last().map(|(q, _)| q.clone());
                    if let Some(q) = self.cue_attribution(&cue, s, sentences.get(si + 1), previous, &mut used_quotes) {
                        found.push(q);
                    }
                    i = next;
                    continue;
                }
                i += 1;
            }
        }
        // A cue inside another statement's content is part of what that
        // speaker said ("Smith said Jones knew ..."): one statement, not two.
        // When the outer one has no named speaker and the inner one has
        // ("Speaking on radio show X, Kiedis said"), the outer one is the misreading.
        let inside =
            |inner: &Quote, outer: &Quote| inner.cue_span.is_some_and(|[a, b]| outer.start <= a && b <= outer.end);
        self.split_at_incises(&mut found, inside);
        let mut drop = vec![false; found.len()];
        for (i, (inner, _)) in found.iter().enumerate() {
            for (j, (outer, _)) in found.iter().enumerate() {
                if i != j && inside(inner, outer) {
                    // Each inside the other ("mailings that oppose X, according
                    // to FEC filings"): the one reporting more is the statement.
                    if inside(outer, inner) {
                        let longer = |q: &Quote| (q.end - q.start, std::cmp::Reverse(q.cue_span));
                        drop[if longer(inner) < longer(outer) { i } else { j }] = true;
                        continue;
                    }
                    // Named by a typed mention: a name only the speaker's position makes an agent
                    // is too weak to overrule the outer reading.
                    let typed = |[a, b]: [usize; 2]| {
                        self.mentions.iter().any(|m| m.start == a && m.end == b && m.kind != EntityType::Misc)
                    };
                    let named = |q: &Quote| matches!((q.speaker_mention, q.speaker_span), (Some([a, b]), Some([c, d])) if c <= a && b <= d && typed([a, b]));
                    // A statement whose cue follows its content ("X welcomed
                    // it, an official said") is read whole and stays.
                    let cue_after_content = outer.cue_span.is_some_and(|[a, _]| a >= outer.end);
                    // "Military analysts say Mr. Putin would ...": a phrase
                    // headed by a speaker noun is a speaker of its own.
                    let speaker_head = |q: &Quote| {
                        q.speaker_span.is_some_and(|[_, b]| {
                            self.toks.iter().position(|t| t.end == b).is_some_and(|k| self.is(k, Word::SpeakerNoun))
                        })
                    };
                    if !cue_after_content
                        && !speaker_head(outer)
                        && outer.speaker_mention.is_none_or(|m| !typed(m))
                        && named(inner)
                        && outer.speaker_text.as_deref().is_some_and(|t| t.split_whitespace().count() > 1)
                    {
                        drop[j] = true;
                    } else {
                        drop[i] = true;
                    }
                }
            }
        }
        let mut k = 0;
        found.retain(|_| {
            k += 1;
            !drop[k - 1]
        });
        // Quotes with no cue of their own continue the statement before them
        // when it is in the same or the previous paragraph's sentences.
        for (q, span) in self.quotes.iter().enumerate() {
            if used_quotes[q] {
                continue;
            }
            // “A,” she said, “B.” and “A,” she said. “B.”: a quote right after
            // the attribution of a statement whose content is the quote before
            // it goes on with that statement, however short; after a comma,
            // whatever else the sentence holds.
            let after_attribution = |end_mark: char| {
                found.iter().any(|(p, _)| {
                    p.end <= span.start
                        && p.cue_span.is_some_and(|[a, b]| a >= p.end && b <= span.start)
                        && !self.quotes.iter().any(|o| o.start >= p.end && o.end <= span.start)
                        && self.text(p.end..span.start).trim_end().ends_with(end_mark)
                        && self.words_in(p.end, span.start) <= MAX_QUOTE_TAIL_TOKENS
                })
            };
            let after_incise = after_attribution(',');
            if !after_incise && !after_attribution('.') && self.words_in(span.start, span.end) < MIN_UNCUED_WORDS {
                continue;
            }
            let Some(si) = sentence_of_quote[q] else { continue };
            let s = &sentences[si];
            // The quote must be most of its sentence, not a fragment of narration.
            let outside = s.clone().filter(|&i| self.toks[i].quote != Some(q) && self.toks[i].is_word()).count();
            if outside > 2 && !after_incise {
                continue;
            }
            let window = sentences[si.saturating_sub(2)].start;
            // A statement inside another's speaker ("said X, who said she
            // would ...") is a remark about the speaker: the quote after it
            // continues the outer statement.
            let nested = |p: &Quote| {
                p.cue_span.is_some_and(|[a, b]| {
                    found.iter().any(|(o, _)| o.speaker_span.is_some_and(|[c, d]| c <= a && b <= d))
                })
            };
            let Some(at) = found
                .iter()
                .enumerate()
                .filter(|(_, (p, _))| p.speaker_text.is_some() && p.end <= span.start && !nested(p))
                .filter(|(_, (p, clause))| clause.start >= self.toks[window].start || p.end >= self.toks[window].start)
                .max_by_key(|(_, (p, _))| p.end)
                .map(|(i, _)| i)
            else {
                continue;
            };
            // 'callers asked how much he was paid. “I make my own money.”':
            // after a reported question the quote is the answer, someone
            // else's.
            let asked = &found[at].0;
            if asked.cue_class == CueClass::Ask.as_str() && asked.kind == QuoteKind::Indirect {
                let first = self.toks.partition_point(|t| t.start < asked.start);
                if first < self.toks.len() && self.is(first, Word::Question) {
                    continue;
                }
            }
            // '“A,” she said, adding that X. “B.”': the quote goes on with the
            // quoted statement of the same speaker, not with the reported
            // clause in its attribution.
            let same_speaker = |a: &Quote, b: &Quote| {
                a.speaker_mention.is_some() && a.speaker_mention == b.speaker_mention
                    || a.speaker_text.is_some() && a.speaker_text == b.speaker_text
            };
            let at = match found.get(at.wrapping_sub(1)) {
                Some((quoted, _))
                    if found[at].0.kind == QuoteKind::Indirect
                        && quoted.kind != QuoteKind::Indirect
                        && quoted.end <= found[at].0.start
                        && found[at].0.cue_span.is_some_and(|[a, _]| quoted.cue_span.is_some_and(|[_, b]| b <= a))
                        && same_speaker(quoted, &found[at].0) =>
                {
                    at - 1
                }
                _ => at,
            };
            used_quotes[q] = true;
            // “A,” she said. “B.”: one statement in pieces, the uncued quote
            // continuing the statement before it (PolNeAR's annotators give
            // both to one content).
            let inner = self.inner_text(span.start, span.end);
            let previous = &mut found[at].0;
            previous.end = span.end;
            previous.text = format!("{} {inner}", previous.text);
            previous.denial |= self.negative(span.start, span.end);
            if previous.kind == QuoteKind::Indirect {
                previous.kind = QuoteKind::Mixed;
            }
        }
        found.sort_by_key(|(q, _)| (q.start, q.end));
        found
    }

    fn words_in(&self, start: usize, end: usize) -> usize {
        self.text(start..end).split_whitespace().filter(|w| w.chars().any(char::is_alphanumeric)).count()
    }

    /// The content's text: quote marks and a leading "que"/"that" removed.
    fn inner_text(&self, start: usize, end: usize) -> String {
        let mut text = self.text(start..end);
        let first = text.chars().next();
        // « un texte qui n'a pas changé » depuis ...: a quote that opens a
        // mixed content and ends before it keeps both its marks.
        let opens_mixed = self
            .quotes
            .iter()
            .any(|q| q.start == start && q.end < end && self.text(q.end..end).chars().any(char::is_alphanumeric));
        if opens_mixed {
            return text.trim().trim_end_matches([',', ';', ':']).trim().to_string();
        }
        if text.starts_with("''") && self.lex.marks.contains(&('\'', '\'')) {
            // Two apostrophes used as a double quote.
            text = text[2..].trim_end().trim_end_matches("''").to_string();
        } else if first.is_some_and(|c| self.lex.marks.iter().any(|(o, _)| *o == c)) {
            text = text.chars().skip(1).collect();
            let last = text.chars().last();
            // An opening mark typed as the closing one ends it too (see `marks`).
            if last.is_some_and(|c| self.lex.marks.iter().any(|(_, cl)| *cl == c) || Some(c) == first) {
                text.pop();
            }
        } else {
            let i = self.toks.partition_point(|t| t.start < start);
            if i < self.toks.len() && self.toks[i].start == start && self.is(i, Word::Complementizer) {
                let rest = self.text(self.toks[i].end.min(end)..end);
                let trimmed = rest.trim();
                let quoted = self.quotes.iter().any(|q| q.end == end && self.text(q.start..q.end).trim() == trimmed);
                text = if quoted { self.inner_text(end - trimmed.chars().count(), end) } else { rest };
            }
        }
        // The second piece of a quote split at an incise keeps its closing mark only.
        let trimmed = text.trim();
        if let Some(last) = trimmed.chars().last() {
            let opener = self.lex.marks.iter().find(|(_, cl)| *cl == last).map(|(o, _)| *o);
            if opener.is_some_and(|o| o != last && !trimmed.contains(o)) {
                text = trimmed.chars().take(trimmed.chars().count() - 1).collect();
            }
        }
        text.trim().trim_start_matches(',').trim().trim_end_matches([',', ';', ':']).trim().to_string()
    }

    /// Whether a content says something is not so ("ne prévoit pas", "did
    /// not attack"), in any of its clauses up to a clause reported in turn.
    fn negative(&self, start: usize, end: usize) -> bool {
        let i = self.toks.partition_point(|t| t.start < start);
        for (k, t) in self.toks[i..].iter().enumerate() {
            if t.end > end || t.text == ";" || (k > 0 && self.lex.is(&t.folded, Word::Complementizer)) {
                break;
            }
            if self.lex.is(&t.folded, Word::DenialHead) || t.folded.ends_with("n't") {
                return true;
            }
        }
        false
    }

    /// Content end of a sentence: its last token, final full stop left out.
    fn sentence_end(&self, s: &Range<usize>) -> usize {
        let mut e = s.end;
        while e > s.start && matches!(self.toks[e - 1].text.as_str(), "." | "!" | "?" | ";" | "…") {
            e -= 1;
        }
        e
    }

    /// "Asked whether he would run, X said ...": a question put to someone
    /// who is named only in the clause after it; the question is the
    /// content, up to the comma, and has no speaker of its own.
    fn asked_question(&self, cue: &Cue, s: &Range<usize>) -> Option<(Quote, Range<usize>)> {
        // At the sentence's start, or after "when" ("X said when asked whether ...").
        let opens = (s.start..cue.first).all(|k| !self.toks[k].is_word())
            || cue.first > s.start && self.is(cue.first - 1, Word::Boundary);
        if !opens || cue.class != Some(CueClass::Ask) {
            return None;
        }
        // The question word right after the cue, or after a short phrase
        // ("Asked on Fox News who ...", "Asked specifically what ...").
        let question = (cue.last + 1..(cue.last + 7).min(s.end))
            .take_while(|&k| self.toks[k].is_word() && !self.quoted(k))
            .find(|&k| self.is(k, Word::Question))?;
        // Up to the comma that closes it, or the sentence's end.
        // ('Asked if he is “ready to serve,” 72 percent said yes': the comma
        // may sit inside the closing mark.)
        let stop = (question + 1..s.end).find_map(|k| match self.toks[k].text.as_str() {
            "," if !self.quoted(k) => Some(k),
            "," if k + 1 < s.end && self.comma_inside_closing_mark(k + 1) => Some(k + 2),
            _ => None,
        });
        let mut end = stop.unwrap_or_else(|| self.sentence_end(s));
        while end > question && !self.toks[end - 1].is_word() && !self.quoted(end - 1) {
            end -= 1;
        }
        let (start, end_char) = (self.toks[question].start, self.toks[end - 1].end);
        let cue_span = [self.toks[cue.first].start, self.toks[cue.last].end];
        let quote = Quote {
            kind: if (question..end).any(|k| self.quoted(k)) { QuoteKind::Mixed } else { QuoteKind::Indirect },
            start,
            end: end_char,
            text: self.inner_text(start, end_char),
            cue: self.text(cue_span[0]..cue_span[1]),
            cue_span: Some(cue_span),
            cue_class: CueClass::Ask.as_str().to_string(),
            speaker_text: None,
            speaker_span: None,
            speaker_mention: None,
            negated: false,
            denial: self.negative(start, end_char),
            date: None,
        };
        Some((quote, cue_span[0]..cue_span[1]))
    }

    fn cue_attribution(
        &self,
        cue: &Cue,
        s: &Range<usize>,
        next_sentence: Option<&Range<usize>>,
        previous: Option<Quote>,
        used_quotes: &mut [bool],
    ) -> Option<(Quote, Range<usize>)> {
        // Left of the cue: auxiliaries, adverbs and negation belong to it.
        let mut chain = cue.first;
        let mut negated = false;
        let lo = s.start;
        while chain > lo {
            let t = chain - 1;
            if Some(t) == cue.inverted {
                chain = t;
                continue;
            }
            if self.is(t, Word::Negation) {
                negated = true;
                chain = t;
            } else if self.is(t, Word::Auxiliary) && !self.capitalised_inside(t, lo)
                || self.adverb(t)
                || self.is(t, Word::Time)
            {
                chain = t;
            } else if t + 1 == chain && chain < cue.first && self.is(t, Word::Preposition) && self.is(chain, Word::Time)
            {
                // "Clinton on Tuesday said": the day's preposition too.
                chain = t;
            } else {
                break;
            }
        }
        let after_cue = cue.last + 1;
        if (after_cue..s.end).take(3).any(|i| self.is(i, Word::Negation)) && cue.inverted.is_some() {
            negated = true;
        }
        // A present participle ("ajoutant", "adding", "referring to") has no subject after it.
        let participle = self.participle_form(cue.first);
        // ", saying", "– saying", "by saying", "while saying": a participle
        // after a comma, a dash, a preposition or a conjunction.
        // ('of “New York values,” saying': the comma inside the closing mark.)
        let comma_in_mark = chain > lo + 1 && self.comma_inside_closing_mark(chain - 1);
        let after_comma = chain > lo && matches!(self.toks[chain - 1].text.as_str(), "," | "–" | "—") || comma_in_mark;
        let after_link =
            after_comma || chain > lo && (self.is(chain - 1, Word::Preposition) || self.is(chain - 1, Word::Boundary));
        // The speaker: an inverted pronoun, the phrase before, or after.
        // ("Hours later, X thanked Y, telling ...": a participle after a
        // comma has no subject of its own before it.)
        let mut speaker: Option<Range<usize>> = cue.inverted.map(|i| i..i + 1);
        let mut clause_end = after_cue;
        let mut speaker_after = false;
        // "Le Portugal a enregistré ... un record, a annoncé l'Institut
        // portugais de la mer.": a sentence opening on a clause of its own,
        // then a cue after a comma and a noun phrase to the sentence's end;
        // the speaker follows the cue, and the phrases before the comma
        // ("dans l'Alentejo, un record national") are the content's.
        if speaker.is_none() && !participle && after_comma && !comma_in_mark {
            if let Some(right) = self.inverted_tail_speaker(lo, chain, after_cue, s) {
                clause_end = right.end;
                speaker = Some(right);
                speaker_after = true;
            }
        }
        // "Farmers who oppose the dam said": a subject with a relative clause
        // holding a cue of its own is the speaker, relative clause and all
        // ("the dam" alone is the relative clause's object).
        if speaker.is_none() && !participle && !after_comma {
            let relative_cue = (lo..chain).any(|k| {
                self.pronoun_kind(k) == Some(Word::Relative)
                    && !self.quoted(k)
                    && (k + 1..chain).any(|j| !self.quoted(j) && self.cue_at(j, lo).is_some())
            });
            if relative_cue {
                speaker = self.clause_subject(lo, chain);
            }
        }
        if speaker.is_none() && !(participle && after_comma) {
            speaker = self.phrase_left(lo, chain).map(|sp| self.premodified(lo, sp));
            // "Jeb Bush and Chris Christie say": two named subjects joined
            // are one speaker.
            if let Some(sp) = speaker.as_mut() {
                if sp.start >= lo + 2 && self.is(sp.start - 1, Word::SubjectLink) {
                    let named = |r: &Range<usize>| {
                        self.overlaps_mention(r) || r.len() == 1 && self.pronoun_kind(r.start).is_some()
                    };
                    if let Some(left) = self.phrase_left(lo, sp.start - 1).filter(|l| named(l) && named(sp)) {
                        sp.start = left.start;
                    }
                }
            }
        }
        // "X did Y and said ...", "X did Y, saying ...": the cue shares the
        // sentence's subject (unless a statement before it in the sentence
        // already has a speaker, which then continues).
        let coordinated = chain > lo && self.is(chain - 1, Word::Coordinator);
        // The previous statement's speaker goes on ("X welcomed it and said ..."), named below.
        let mut continues = false;
        if speaker.is_none() && (coordinated || participle && after_link) {
            continues =
                previous.as_ref().is_some_and(|p| p.end >= self.toks[s.start].start && p.speaker_text.is_some());
            if !continues {
                // The subject that opens the sentence, else the phrase
                // before the comma.
                speaker = self
                    .sentence_subject(s, chain)
                    .or_else(|| self.phrase_left(lo, chain).map(|sp| self.premodified(lo, sp)));
            }
        }
        if speaker.is_none() && !participle && !coordinated {
            let start = self.skip_right(after_cue, s.end);
            // ", a annoncé la fermeture de son usine": after a comma and a
            // compound tense, a phrase naming no one (no name, speaker noun,
            // role or pronoun) is the cue's object, not an inverted speaker
            // (an inverted speaker after a compound tense closing a clause is
            // read above; "..., said the official" has none).
            let agent = |r: &Range<usize>| {
                !(after_comma && chain < cue.first)
                    || self.overlaps_mention(r)
                    || r.clone().any(|k| {
                        self.is(k, Word::SpeakerNoun)
                            || self.is(k, Word::OrganisationNoun)
                            || self.pronoun_kind(k).is_some()
                    })
                    || self.title_in(r.start, r.end).is_some()
            };
            if let Some(right) = self.phrase_right(start, s.end).filter(agent) {
                clause_end = right.end;
                speaker = Some(right);
                speaker_after = true;
            }
        }
        if speaker.is_none() && !participle && !coordinated && !continues {
            speaker = self.clause_subject(lo, chain);
        }
        // "X was asked by Y whether ...", "it was revealed that ...": the
        // subject of a listed cue in the passive is who it was said to or
        // about; the speaker is the agent after "by" (the content follows
        // it), or nobody.
        let passive = (speaker.is_some()
            && cue.class.is_some()
            && cue.inverted.is_none()
            && !(participle || self.participle_form(cue.last))
            && !speaker_after
            // "The FBI is reportedly making ...": "be" before a raising word
            // is the clause's own.
            && !self.is(cue.first, Word::Raising)
            && (chain..cue.first).any(|k| self.is(k, Word::PassiveAuxiliary)))
        .then(|| {
            let by = self.skip_right(after_cue, s.end);
            let agent =
                (by < s.end && self.is(by, Word::AgentLink)).then(|| self.phrase_right(by + 1, s.end)).flatten();
            agent.and_then(|a| {
                let end = (a.start + 1..a.end)
                    .find(|&k| self.is(k, Word::Complementizer) || self.is(k, Word::Question))
                    .unwrap_or(a.end);
                self.nominal(a.start, end).then_some(a.start..end)
            })
        });
        if let Some(Some(agent)) = &passive {
            clause_end = agent.end;
        }
        let has_speaker = speaker.is_some() || continues;
        let clause_start = speaker.as_ref().map_or(chain, |r| r.start.min(chain));

        // The content.
        let end = self.sentence_end(s);
        let mut content: Option<(Range<usize>, QuoteKind)> = None;
        let mut unsourced = false;
        // A quote right before the clause: "« ... », a déclaré X".
        let mut before = clause_start;
        while before > lo && self.toks[before - 1].text == "," {
            before -= 1;
        }
        // 'Speaking on ABC’s “This Week,” Carson admitted that ...': a
        // speaker before the cue and a "that" clause after it; the quote
        // before is part of a fronted phrase. (A quote after the cue is often
        // a show's name: '“...,” X told “Fox and Friends”'.)
        let clause_follows = speaker.is_some() && !speaker_after && {
            let r = self.skip_clause_tail(clause_end, s.end);
            // ('..., he said that night.': "that" with no clause after it.)
            r + 3 < self.sentence_end(s) && self.is(r, Word::Complementizer)
        };
        // ', saying ...': a participle after a comma reports what follows it;
        // a quote before it is the narration's ('a defense of “X,” saying').
        let reports_after = participle && after_link;
        if before > lo && !clause_follows && !reports_after {
            if let Some(q) = self.closes_quote(before - 1) {
                // Already attributed ("X a déclaré : « ... », a-t-il poursuivi"): one statement.
                if used_quotes[q] {
                    return None;
                }
                let qr = self.token_range_of_quote(q);
                // 'He said the plan "made a strategic mistake," Smith said':
                // narration before the quote belongs to the content.
                let lead = (lo..qr.start).filter(|&k| self.toks[k].is_word()).count();
                // A quoted word or two in the narration ('words like “maybe”
                // and “perhaps”, he told reporters') is part of it, not a
                // statement of its own.
                let quoted_fragment = |k: usize| {
                    self.toks[k].quote.is_some_and(|p| {
                        !used_quotes[p] && self.words_in(self.quotes[p].start, self.quotes[p].end) <= MAX_FRAGMENT_WORDS
                    })
                };
                // ('... from members ("I want my dues back," wrote X)': a
                // parenthesis opens the statement as a colon does.)
                let leads_in = lead > 0
                    && !matches!(self.toks[qr.start - 1].text.as_str(), ":" | "(")
                    && !(lo..qr.start).any(|k| {
                        self.quoted(k) && !quoted_fragment(k)
                            || self.cue_at(k, lo).is_some()
                            || self.is(k, Word::Marker)
                    });
                content = Some(if leads_in { (lo..qr.end, QuoteKind::Mixed) } else { (qr, QuoteKind::Direct) });
            }
        }
        // 'Said Dorothy Poynter, who grew up with him, “We were all so
        // proud.”': a cue opening the sentence, its speaker and apposition,
        // then the quote.
        let mut apposition_to = None;
        if content.is_none() && speaker_after && (lo..chain).all(|k| !self.toks[k].is_word()) {
            let a = self.apposition_end(clause_end, end);
            if a + 1 < end && self.toks[a].text == "," {
                if let Some(q) = self.opens_quote(a + 1).filter(|&q| !used_quotes[q]) {
                    apposition_to = Some(a);
                    content = Some((self.token_range_of_quote(q), QuoteKind::Direct));
                }
            }
        }
        if content.is_none() {
            let r = self.skip_clause_tail(clause_end, s.end);
            let mut gap = r;
            // ":" or a short object ("told reporters", "a dit à la presse") before the content.
            // "said during this week's debate that ...": a prepositional
            // phrase may be longer than an object.
            let prepositional = r < s.end && self.is(r, Word::Preposition);
            let addressed = self.is(cue.last, Word::Addressing);
            let max_gap = if prepositional || addressed { MAX_CUE_GAP_PREPOSITIONAL } else { MAX_CUE_GAP };
            let mut k = r;
            while k < s.end && k - r < max_gap {
                if self.opens_quote(k).is_some() || self.is(k, Word::Complementizer) {
                    break;
                }
                if !(self.toks[k].is_word() || matches!(self.toks[k].text.as_str(), ":" | "," | "’" | "'")) {
                    break;
                }
                k += 1;
            }
            if k < s.end && (self.opens_quote(k).is_some() || self.is(k, Word::Complementizer)) {
                // "told Fox News: “...”": an object then a colon.
                // An object holds no verb of speech of its own ("said Clinton
                // reassured them that ...": the clause starts at "Clinton").
                // A subject pronoun opens the reported clause, never an
                // object ('said she "isn't going to ..."').
                let object = |to: usize| {
                    !matches!(self.pronoun_kind(r), Some(Word::Pronoun | Word::PronounPlural))
                        && (r..to)
                            .all(|i| self.toks[i].is_word() || matches!(self.toks[i].text.as_str(), "," | "’" | "'"))
                        && (to - r <= 5 || (prepositional || addressed) && self.is(to, Word::Complementizer))
                        && !(r..to).any(|i| self.cue_at(i, i).is_some())
                        // "..., Hennessey said, and that is not the case": a
                        // coordinator opens a new clause, not an object.
                        && !(r..to).any(|i| self.is(i, Word::Coordinator))
                };
                let gap_ok = (r..k).all(|i| self.toks[i].text == ":")
                    || object(k)
                    || k > r && self.toks[k - 1].text == ":" && object(k - 1);
                // A one-word quote after a few words is a fragment of a clause
                // ('said Rubio was ''rocked'' by him'), read from the verb on.
                let fragment = self
                    .opens_quote(k)
                    .is_some_and(|q| used_quotes[q] || self.words_in(self.quotes[q].start, self.quotes[q].end) < 2);
                if gap_ok && !(fragment && k > r && !self.answer_quote(r, k, end)) {
                    gap = k;
                }
            }
            if gap < s.end {
                if let Some(q) = self.opens_quote(gap) {
                    let qr = self.token_range_of_quote(q);
                    let span = self.quotes[q];
                    // A quote that ends the sentence (or its clause, before
                    // ", a-t-il ajouté") is the content; one followed by more
                    // narration is a fragment of it; a one-word quote right
                    // after the verb is a name ("le projet dit « vert »").
                    let clause_ends = qr.end >= end || self.toks[qr.end].text == ",";
                    // "called Mrs. X an ''Aunt Tom''": a naming verb's object is what it says of X.
                    let named_object = gap > r && self.is(cue.last, Word::Naming) && self.toks[gap - 1].text != ":";
                    // 'described his skills as a “work in progress.”': words
                    // run into the quote with no mark between, so it ends
                    // their phrase and they are part of what is reported.
                    let run_in = gap > r && self.toks[gap - 1].is_word() && !addressed;
                    if (named_object || run_in) && !used_quotes[q] {
                        content = Some((r..if clause_ends { qr.end } else { end }, QuoteKind::Mixed));
                    } else if used_quotes[q]
                        || self.words_in(span.start, span.end) < 2 && !self.answer_quote(r, gap, end)
                    {
                    } else if clause_ends {
                        content = Some((qr, QuoteKind::Direct));
                    } else {
                        content = Some((gap..end, QuoteKind::Mixed));
                    }
                } else if self.is(gap, Word::Complementizer) && gap + 1 < end {
                    content = Some((gap..end, QuoteKind::Indirect));
                } else if gap == r && self.infinitive_at(r, end).is_some() {
                    content = Some((self.infinitive_at(r, end).unwrap()..end, QuoteKind::Indirect));
                } else if gap == r && r + 3 <= end && self.bare_clause_at(r, cue, has_speaker, speaker_after) {
                    // "told The Wall Street Journal he had been ...": after
                    // the person addressed, a clause without "that" opened
                    // by a subject pronoun is what was said.
                    let clause = addressed
                        .then(|| {
                            (r + 1..end.min(r + MAX_CUE_GAP)).find(|&k| {
                                matches!(
                                    self.pronoun_kind(k),
                                    Some(Word::Pronoun | Word::PronounPlural | Word::PronounGeneric)
                                ) && k + 1 < end
                                    && (r..k).all(|i| self.toks[i].is_word() || self.toks[i].text == ".")
                                    && self.nominal(r, k)
                            })
                        })
                        .flatten();
                    content = Some((clause.unwrap_or(r)..end, QuoteKind::Indirect));
                } else if gap == r
                    && self.is(r, Word::ShortAnswer)
                    && has_speaker
                    && !speaker_after
                    && (r + 1 >= end || !self.toks[r + 1].is_word())
                {
                    // "Half said so.", "75 percent said yes."
                    content = Some((r..r + 1, QuoteKind::Indirect));
                } else if gap == r
                    && r + 1 < end
                    && self.toks[r].is_word()
                    && has_speaker
                    && !speaker_after
                    && !self.is(r, Word::Boundary)
                {
                    // "a démenti toute négociation", "called the plan a disaster":
                    // what is said, denied or asked is the object, to the clause's end
                    // ("strongholds in Syria and Iraq" is one object: a coordinated
                    // clause is cut below, where a cue follows the coordinator).
                    // A quoted fragment inside the clause is part of it ('said
                    // any candidate "owes it to the men and women" of the state').
                    let stop = (r + 1..end)
                        .find(|&i| !self.quoted(i) && matches!(self.toks[i].text.as_str(), "," | ";" | ":"))
                        .unwrap_or(end);
                    content = Some((r..stop, QuoteKind::Indirect));
                }
            }
            // "Il a déclaré :" at a paragraph's end, the quote opening the next.
            if content.is_none() && r < s.end && self.toks[r].text == ":" && r + 1 >= s.end {
                if let Some(next) = next_sentence {
                    if let Some(q) = self.opens_quote(next.start) {
                        if !used_quotes[q] {
                            content = Some((self.token_range_of_quote(q), QuoteKind::Direct));
                        }
                    }
                }
            }
        }
        // Content before the clause: "The deal is dead, Smith said."
        if content.is_none() && clause_start > lo && self.toks[clause_start - 1].text == "," {
            let mut tail = self.skip_clause_tail(clause_end, s.end);
            // "..., said X, Politifact's editor.": the apposition runs to the end.
            let named_after = speaker.as_ref().is_some_and(|sp| self.pronoun_kind(sp.start).is_none());
            if speaker_after && named_after && tail < end && self.toks[tail].text != "," {
                let past = self.skip_clause_tail(self.apposition_end(clause_end, end), s.end);
                if past >= end {
                    tail = past;
                }
            }
            let parenthetical = tail < end && self.toks[tail].text == ",";
            // One word before the clause is content only when more follows ("Now, she said, ...").
            // '“...,” McCain said, asked about it.': what comes before holds a
            // statement of its own, and this clause is not its cue.
            let attributed = (lo..clause_start - 1).any(|k| !self.quoted(k) && self.cue_at(k, lo).is_some())
                && self.single_quote(&(lo..clause_start - 1)).is_none()
                && (lo..clause_start - 1).any(|k| self.quoted(k));
            if !attributed
                && (tail >= end || parenthetical)
                && (clause_start - 1 > lo + 1 || parenthetical && clause_start - 1 > lo)
            {
                let range = lo..clause_start - 1;
                let kind = match self.single_quote(&range) {
                    Some(_) => QuoteKind::Direct,
                    None if range.clone().any(|i| self.quoted(i)) => QuoteKind::Mixed,
                    None => QuoteKind::Indirect,
                };
                content = Some((range, kind));
            }
        }
        // "As The Washington Post reported, even if ...": the clause lends
        // its source to the rest of the sentence.
        // ("But as Clyburn noted, ...": after a coordinator too.)
        let as_at = if self.is(lo, Word::Coordinator) { lo + 1 } else { lo };
        if content.is_none() && clause_start == as_at + 1 && as_at < chain && self.is(as_at, Word::AsClause) {
            let tail = self.skip_clause_tail(clause_end, s.end);
            if tail + 2 < end && self.toks[tail].text == "," {
                let range = tail + 1..end;
                let kind = if range.clone().any(|i| self.quoted(i)) { QuoteKind::Mixed } else { QuoteKind::Indirect };
                content = Some((range, kind));
            }
        }
        let (range, mut kind) = content?;
        if range.is_empty() {
            return None;
        }
        // "Le texte relève progressivement l'âge": a cue that reports only a
        // clause or a quote ("relever que") has no object content.
        if cue.clause_only
            && range.start >= after_cue
            && !self.is(range.start, Word::Complementizer)
            && self.opens_quote(range.start).is_none()
        {
            return None;
        }
        if let Some(agent) = passive {
            speaker = agent;
            unsourced |= speaker.is_none();
        }
        // "X seemed pleased", "it appears that ...": the subject of a raising
        // verb is what the statement is about, whatever follows the verb.
        let raising = !speaker_after && self.is(cue.first, Word::Raising);
        unsourced |= raising;
        // ... and so it opens the statement ("X seemed to ..." reports X doing
        // something), unless it stands for no one ("it appears that ...").
        let raised_subject = speaker
            .as_ref()
            .filter(|sp| raising && range.start >= after_cue && sp.end <= cue.first)
            .filter(|sp| !(sp.len() == 1 && self.is(sp.start, Word::Expletive)))
            .map(|sp| sp.start);
        // "“...,” said X, a spokesman for Y, who ...": a speaker that ends the
        // statement keeps its apposition (the mention stays the core's).
        let core = speaker.clone();
        if let (Some(sp), Some(a)) = (speaker.as_mut(), apposition_to) {
            sp.end = a;
        }
        if speaker_after && range.end <= clause_start {
            if let Some(sp) = speaker.as_mut() {
                sp.end = sp.end.max(self.apposition_end(sp.end, end));
            }
        }
        // Content after the cue ends where a coordinated clause begins
        // ("that X, but there is ...", "X and has repeatedly called ...").
        let mut range = range;
        if range.start >= after_cue && kind != QuoteKind::Direct {
            range.end = self.content_end(range.start, range.end);
            if range.is_empty() {
                return None;
            }
            // "endorsed Sanders in the primary, launched a petition": a cue
            // that takes a person or a thing reports its object, which a
            // comma ends.
            if cue.object_only && !self.is(range.start, Word::Complementizer) && self.opens_quote(range.start).is_none()
            {
                if let Some(k) = (range.start + 1..range.end)
                    .find(|&k| matches!(self.toks[k].text.as_str(), "," | ";") && !self.quoted(k))
                {
                    range.end = k;
                }
            }
            // "While he said the plan was sound, it failed": a statement in a
            // fronted subordinate clause ends with the clause, at its comma.
            let opener = (s.start..cue.first).find(|&k| self.toks[k].is_word());
            if opener.is_some_and(|k| self.is(k, Word::Subordinator) || self.phrase_at(k, Word::Subordinator).is_some())
            {
                if let Some(k) = (range.start + 1..range.end).find(|&k| self.toks[k].text == "," && !self.quoted(k)) {
                    range.end = k;
                }
            }
            // "others who want to ban abortion said ...": a statement in a
            // relative clause ends where the main clause's cue follows a word
            // (the phrase with its relative clause is that cue's speaker).
            if speaker.as_ref().is_some_and(|sp| sp.len() == 1 && self.pronoun_kind(sp.start) == Some(Word::Relative)) {
                if let Some(k) = (range.start + 1..range.end).find(|&k| {
                    !self.quoted(k)
                        && self.toks[k - 1].is_word()
                        && !self.is(k - 1, Word::Complementizer)
                        && self.cue_at(k, s.start).is_some_and(|c| c.first == k)
                        && self.clause_subject(s.start, k).is_some()
                }) {
                    range.end = k;
                }
            }
        }
        // "“A,” she said, “B.”" and "The risk, he said, is a clash.": the
        // clause sits inside the statement, whose second part follows it.
        let mut second: Option<Range<usize>> = None;
        if range.end <= clause_start {
            let after = speaker.as_ref().filter(|_| speaker_after).map_or(clause_end, |sp| sp.end.max(clause_end));
            let tail = self.skip_clause_tail(after, s.end);
            if tail + 1 < end && self.toks[tail].text == "," {
                let next = tail + 1;
                if let Some(q) = self.opens_quote(next).filter(|&q| !used_quotes[q]) {
                    if kind == QuoteKind::Direct && self.words_in(self.quotes[q].start, self.quotes[q].end) >= 2 {
                        second = Some(self.token_range_of_quote(q));
                    }
                } else if kind == QuoteKind::Indirect
                    // ", the union said, and B, according to Z": a coordinated
                    // clause with a source of its own is not this statement's.
                    && !(self.is(next, Word::Coordinator)
                        && (next..end).any(|k| {
                            !self.quoted(k) && (self.is(k, Word::Marker) || self.phrase_at(k, Word::Marker).is_some())
                        }))
                    && self.cue_at(next, s.start).is_none_or(|c| c.first != next)
                    && !self.is(next, Word::Marker)
                    && self.phrase_at(next, Word::Marker).is_none()
                {
                    // The rest is the statement's even when it quotes a word
                    // or holds a cue of its own ("Recently, he said, he has
                    // realized that ..."): the outer content runs over it.
                    // One that opens on a cue or a marker is a statement of
                    // its own (", adding that ...", ", according to ...").
                    second = Some(next..end);
                }
            }
        }
        if let Some(subject) = raised_subject {
            range = subject..range.end;
        }
        let first_part = range.clone();
        if let Some(rest) = &second {
            range = range.start..rest.end;
        }
        if kind == QuoteKind::Indirect && range.clone().any(|i| self.quoted(i)) {
            kind = QuoteKind::Mixed;
        }
        // A speaker nobody names: the previous statement's, in the same sentence ("..., adding that").
        let (speaker_text, speaker_span, speaker_mention) = match &speaker {
            _ if unsourced => (None, None, None),
            Some(sp) => {
                let span = if Some(sp.start) == cue.inverted {
                    // The pronoun inside "a-t-il": its own characters.
                    let t = &self.toks[sp.start];
                    let pronoun = t.text.rsplit('-').next().unwrap_or(&t.text);
                    let len = pronoun.chars().count();
                    [t.end - len, t.end]
                } else {
                    [self.toks[sp.start].start, self.toks[sp.end - 1].end]
                };
                let core = core.clone().unwrap_or(sp.clone());
                let core_span = [self.toks[core.start].start.max(span[0]), self.toks[core.end - 1].end.min(span[1])];
                (Some(self.text(span[0]..span[1])), Some(span), self.resolve(core, core_span))
            }
            None => {
                let previous = previous.filter(|p| p.end >= self.toks[s.start].start)?;
                (previous.speaker_text, previous.speaker_span, previous.speaker_mention)
            }
        };
        for i in range.clone() {
            if let Some(q) = self.toks[i].quote {
                used_quotes[q] = true;
            }
        }
        let (start, end_char) = (self.toks[range.start].start, self.toks[range.end - 1].end);
        let cue_chars = [self.toks[chain.min(cue.first)].start, self.toks[cue.last].end];
        let cue_chars = if cue.inverted == Some(cue.first) && cue.first == cue.last {
            let t = &self.toks[cue.first];
            let verb = t.text.split('-').next().unwrap_or(&t.text).chars().count();
            [t.start, t.start + verb]
        } else {
            cue_chars
        };
        let class = cue.class.unwrap_or(CueClass::Say);
        let text = match &second {
            Some(rest) => format!(
                "{} {}",
                self.inner_text(start, self.toks[first_part.end - 1].end),
                self.inner_text(self.toks[rest.start].start, end_char)
            ),
            None => self.inner_text(start, end_char),
        };
        let quote = Quote {
            kind,
            start,
            end: end_char,
            text,
            cue: self.text(cue_chars[0]..cue_chars[1]),
            cue_span: Some(cue_chars),
            cue_class: class.as_str().to_string(),
            speaker_text,
            speaker_span,
            speaker_mention,
            negated,
            denial: class == CueClass::Deny || self.negative(start, end_char),
            date: None,
        };
        // Where the statement's own date may be: around the cue, outside the content.
        let clause_from = self.toks[clause_start.min(chain)].start;
        let clause = if range.start >= after_cue {
            clause_from..self.toks[range.start].start
        } else {
            clause_from..self.toks[s.end - 1].end
        };
        Some((quote, clause))
    }

    /// "A, the union said, and B, according to Z": a statement told with its
    /// cue in an incise, inside the content of a statement whose cue comes
    /// last, is the incise speaker's; the last cue's content is what follows
    /// the incise. (Read whole, the incise would be dropped as part of it.)
    fn split_at_incises(&self, found: &mut [(Quote, Range<usize>)], inside: impl Fn(&Quote, &Quote) -> bool) {
        let cue_last = |q: &Quote| q.cue_span.is_some_and(|[a, _]| a >= q.end);
        for j in 0..found.len() {
            let mut new_start = None;
            for i in (0..found.len()).filter(|&i| i != j) {
                let (inner, outer) = (&found[i].0, &found[j].0);
                if !(cue_last(outer) && cue_last(inner) && inner.start >= outer.start && inside(inner, outer)) {
                    continue;
                }
                let (Some([_, cue_end]), Some([_, speaker_end])) = (inner.cue_span, inner.speaker_span) else {
                    continue;
                };
                // After the incise: past its comma and a coordinator ("and", "et").
                let after = self.toks.partition_point(|t| t.start < cue_end.max(speaker_end));
                let mut k = after;
                while k < self.toks.len()
                    && self.toks[k].start < outer.end
                    && (!self.toks[k].is_word() || self.is(k, Word::Coordinator))
                {
                    k += 1;
                }
                if k < self.toks.len() && self.toks[k].end <= outer.end && self.toks[after].text == "," {
                    new_start = Some(new_start.map_or(self.toks[k].start, |s: usize| s.max(self.toks[k].start)));
                }
            }
            if let Some(start) = new_start {
                let outer = &mut found[j].0;
                outer.start = start;
                outer.text = self.inner_text(start, outer.end);
            }
        }
    }

    /// The token range of quote span `q`.
    fn token_range_of_quote(&self, q: usize) -> Range<usize> {
        let a = self.toks.partition_point(|t| t.start < self.quotes[q].start);
        let b = self.toks.partition_point(|t| t.end <= self.quotes[q].end);
        a..b
    }

    /// The quote that is exactly this token range, if any.
    fn single_quote(&self, range: &Range<usize>) -> Option<usize> {
        let q = self.opens_quote(range.start)?;
        (self.closes_quote(range.end - 1) == Some(q)).then_some(q)
    }

    /// A reported infinitive at `r` ("a affirmé vouloir", "a demandé à X de
    /// venir", "asked to", "urged X to"): the index where its content starts.
    fn infinitive_at(&self, r: usize, end: usize) -> Option<usize> {
        // "a déclaré n'avoir pas l'intention": the negation opens the content.
        let mut first = r;
        while first < end && self.is(first, Word::Negation) {
            first += 1;
        }
        if first > r {
            return (first < end && self.lex.looks_infinitive(&self.toks[first].folded)).then_some(r);
        }
        // "said they were likely to vote": a subject opens a clause, whose
        // infinitive is not the reported one.
        if matches!(self.pronoun_kind(r), Some(Word::Pronoun | Word::PronounPlural)) {
            return None;
        }
        let mut j = r;
        while j < end && j - r <= 5 {
            let t = &self.toks[j];
            if !t.is_word() {
                return None;
            }
            if self.is(j, Word::InfinitiveLink) {
                if self.lex.to_infinitive {
                    // "urged me to read", "found it to be": the object is
                    // part of what is reported.
                    return (j + 1 < end).then_some(r);
                }
                // "de"/"d'" then an infinitive.
                if j + 1 < end && self.lex.looks_infinitive(&self.toks[j + 1].folded) {
                    return Some(j);
                }
            } else if j == r && self.lex.looks_infinitive(&t.folded) {
                return Some(j);
            }
            j += 1;
        }
        None
    }

    /// English reported speech without "that": "X said Tuesday the deal is off".
    fn bare_clause_at(&self, r: usize, cue: &Cue, has_speaker: bool, speaker_after: bool) -> bool {
        let t = &self.toks[r];
        cue.class == Some(CueClass::Say)
            && has_speaker
            && !speaker_after
            && self.lex.bare_clause
            && t.is_word()
            && !self.is(r, Word::Preposition)
            && !self.is(r, Word::InfinitiveLink)
            && !self.is(r, Word::Coordinator)
            && !self.lex.cues.contains_key(&t.folded)
    }

    /// "In a CBS News poll released Monday, ...": a source link opening the
    /// sentence, its phrase naming a source noun and ending on a comma,
    /// reads as "according to".
    fn source_link_at(&self, i: usize, s: &Range<usize>) -> bool {
        if !self.is(i, Word::SourceLink) || (s.start..i).any(|k| self.toks[k].is_word()) {
            return false;
        }
        let end = self.sentence_end(s);
        self.marker_phrase(i + 1, end).is_some_and(|p| {
            p.end < end && self.toks[p.end].text == "," && p.clone().any(|k| self.is(k, Word::SourceNoun))
        })
    }

    /// "Pour l'économiste Claire Nguyen, la hausse ...": a stance link
    /// opening the sentence, its phrase naming a person or an organisation
    /// (a mention, a role or a speaker noun) and ending on a comma, reads as
    /// "selon" ("Pour la première fois, ..." names nobody).
    fn stance_link_at(&self, i: usize, s: &Range<usize>) -> bool {
        if !self.is(i, Word::StanceLink) || (s.start..i).any(|k| self.toks[k].is_word()) {
            return false;
        }
        let end = self.sentence_end(s);
        self.marker_phrase(i + 1, end).is_some_and(|p| {
            let (from, to) = (self.toks[p.start].start, self.toks[p.end - 1].end);
            p.end < end
                && self.toks[p.end].text == ","
                && (self.title_in(p.start, p.end).is_some()
                    || p.clone().any(|k| self.is(k, Word::SpeakerNoun))
                    || self
                        .mentions
                        .iter()
                        .any(|m| m.start >= from && m.end <= to && matches!(m.kind, EntityType::Per | EntityType::Org)))
        })
    }

    /// "selon X, ...", "..., according to X": the marker at token `i`, `n` tokens long.
    fn marker_attribution(
        &self,
        i: usize,
        n: usize,
        s: &Range<usize>,
        used_quotes: &mut [bool],
    ) -> Option<(Quote, Range<usize>)> {
        let end = self.sentence_end(s);
        // The marker itself says a source follows, so any noun phrase after
        // it is one ("according to early results of exit polls conducted by
        // ..."): the phrase runs to the next comma, the name being its core.
        let whole = self.marker_phrase(i + n, end)?;
        let core = self.phrase_right(i + n, whole.end).unwrap_or_else(|| whole.clone());
        let mut speaker = whole.start..whole.end.max(core.end);
        // "In addition, according to the department, nearly nine million
        // ...": after a short opener the marker leads the sentence too.
        let opener = (s.start..i).filter(|&k| self.toks[k].is_word()).count();
        let short_opener = opener <= MAX_OPENER_WORDS
            && i > s.start
            && self.toks[i - 1].text == ","
            && whole.end < end
            && self.toks[whole.end].text == ","
            && (s.start..i)
                .all(|k| !self.quoted(k) && self.cue_at(k, s.start).is_none() && !self.is(k, Word::Complementizer));
        let leading = opener == 0 || short_opener;
        // "selon un analyste de la banque Oddo, Pierre Vidal, ...": the person in apposition speaks.
        let mut apposition = None;
        let range = if leading {
            // "Selon X, content."
            let comma = (speaker.end..end).find(|&k| self.toks[k].text == ",")?;
            // Only after a phrase naming a person by role ("un analyste"), never after a source
            // ("Selon le sondage, Macron, qui ..., obtiendrait": the name opens the content).
            let role_phrase = self.title_in(speaker.start, speaker.end).is_some()
                || speaker.clone().any(|k| self.is(k, Word::SpeakerNoun) && !self.is(k, Word::SourceNoun));
            let named = self.mentions.iter().any(|m| {
                m.kind == EntityType::Per
                    && m.start >= self.toks[speaker.start].start
                    && m.end <= self.toks[speaker.end - 1].end
            });
            match self.apposition_person(comma, end).filter(|_| role_phrase && !named) {
                Some((name, mention)) if name.end < end && self.toks[name.end].text == "," => {
                    speaker.end = name.end;
                    apposition = Some(mention);
                    name.end + 1..end
                }
                _ => comma + 1..end,
            }
        } else {
            // "X reported that, according to an analysis, ...": a source
            // inside a reported clause, which X's cue holds.
            let mut b = i;
            while b > s.start && self.toks[b - 1].text == "," {
                b -= 1;
            }
            if b < i && b > s.start && self.is(b - 1, Word::Complementizer) {
                return None;
            }
            // "..., according to officials who worked with him.": the speaker runs to the end.
            apposition = self.apposition_person(core.end, end).map(|(_, mention)| mention);
            speaker.end = speaker.end.max(self.apposition_end(speaker.end, end));
            let mut e = i;
            while e > s.start && self.toks[e - 1].text == "," {
                e -= 1;
            }
            s.start..e
        };
        if range.is_empty() {
            return None;
        }
        // "Selon l'agence, X a déclaré « ... »": the statement is X's, found
        // by its cue. When no one is named before that cue ("According to
        // the poll, voters want ..."), the source's statement holds it, and
        // its quotes stay free for it.
        let inner_cue = if leading { range.clone().find(|&k| self.cue_at(k, s.start).is_some()) } else { None };
        let nested = inner_cue.is_some();
        if let Some(k) = inner_cue {
            let (from, to) = (self.toks[range.start].start, self.toks[k].start);
            let named = self
                .mentions
                .iter()
                .any(|m| matches!(m.kind, EntityType::Per | EntityType::Org) && m.start >= from && m.end <= to);
            if named {
                return None;
            }
        }
        let kind = match self.single_quote(&range) {
            Some(_) => QuoteKind::Direct,
            None if range.clone().any(|k| self.quoted(k)) => QuoteKind::Mixed,
            None => QuoteKind::Indirect,
        };
        for k in range.clone().filter(|_| !nested) {
            if let Some(q) = self.toks[k].quote {
                used_quotes[q] = true;
            }
        }
        let span = [self.toks[speaker.start].start, self.toks[speaker.end - 1].end];
        let core_span = [self.toks[core.start].start, self.toks[core.end - 1].end];
        let (start, end_char) = (self.toks[range.start].start, self.toks[range.end - 1].end);
        let cue_span = [self.toks[i].start, self.toks[i + n - 1].end];
        let quote = Quote {
            kind,
            start,
            end: end_char,
            text: self.inner_text(start, end_char),
            cue: self.text(cue_span[0]..cue_span[1]),
            cue_span: Some(cue_span),
            cue_class: "marker".into(),
            speaker_text: Some(self.text(span[0]..span[1])),
            speaker_span: Some(span),
            speaker_mention: apposition.or_else(|| self.resolve(core, core_span)),
            negated: false,
            denial: self.negative(start, end_char),
            date: None,
        };
        Some((quote, cue_span[0]..span[1]))
    }

    /// A listed adverb, or a lowercase word with an adverb's ending right
    /// after an auxiliary ("had initially"; "the family", "le gouvernement"
    /// are nouns).
    fn adverb(&self, i: usize) -> bool {
        self.is(i, Word::Adverb) || i > 0 && self.is(i - 1, Word::Auxiliary) && self.ly_adverb(i)
    }

    /// Whether token `i` is a lowercase plural agent noun ("forecasters").
    fn agent_plural(&self, i: usize) -> bool {
        let t = &self.toks[i];
        t.is_word()
            && !t.is_capitalised()
            && self
                .lex
                .agent_plural_endings
                .iter()
                .any(|e| t.folded.len() > e.len() + 2 && t.folded.ends_with(e.as_str()))
    }

    /// Whether token `i` has a present participle's ending ("saying", "forcing").
    fn participle_form(&self, i: usize) -> bool {
        self.lex.participle_endings.iter().any(|e| self.toks[i].folded.ends_with(e.as_str()))
    }

    /// A lowercase word with an adverb's ending ("rhetorically").
    fn ly_adverb(&self, i: usize) -> bool {
        let t = &self.toks[i];
        t.is_word()
            && !t.is_capitalised()
            && self.lex.adverb_endings.iter().any(|e| t.folded.len() > e.len() + 3 && t.folded.ends_with(e.as_str()))
    }

    /// The words after a marker up to the next comma, semicolon, quote or
    /// sentence end, at most `MAX_MARKER_TOKENS` long.
    fn marker_phrase(&self, start: usize, end: usize) -> Option<Range<usize>> {
        let mut b = start;
        while b < end && b - start < MAX_MARKER_TOKENS {
            let t = &self.toks[b];
            if matches!(t.text.as_str(), "," | ";" | ":" | "(" | ")")
                || t.quote.is_some()
                || self.opens_quote(b).is_some()
            {
                break;
            }
            b += 1;
        }
        while b > start && !self.toks[b - 1].is_word() {
            b -= 1;
        }
        (b > start && self.toks[start].is_word()).then_some(start..b)
    }

    /// The mention a speaker's phrase stands for.
    fn resolve(&self, phrase: Range<usize>, span: [usize; 2]) -> Option<[usize; 2]> {
        let inside: Vec<&Mention> = self.mentions.iter().filter(|m| m.start >= span[0] && m.end <= span[1]).collect();
        let person = inside.iter().rev().find(|m| m.kind == EntityType::Per);
        if let Some(m) = person {
            return Some([m.start, m.end]);
        }
        let before = |m: &&Mention| m.end <= span[0];
        if phrase.len() == 1 {
            let folded = self.toks[phrase.start].folded.as_str();
            let kind = if self.lex.is(folded, Word::PronounStressed) {
                Some(Word::Pronoun)
            } else if self.lex.is(folded, Word::PronounStressedPlural) {
                Some(Word::PronounPlural)
            } else {
                self.pronoun_kind(phrase.start)
            };
            match kind {
                Some(Word::Pronoun) => {
                    return self
                        .mentions
                        .iter()
                        .filter(before)
                        .rfind(|m| m.kind == EntityType::Per)
                        .map(|m| [m.start, m.end])
                }
                Some(Word::PronounPlural) => {
                    return self
                        .mentions
                        .iter()
                        .filter(before)
                        .rfind(|m| m.kind != EntityType::Misc)
                        .map(|m| [m.start, m.end])
                }
                Some(Word::Relative) => {
                    // "Erdogan, qui estime": the name just before.
                    let prev = self.toks[..phrase.start].iter().rev().find(|t| t.text != ",")?;
                    return self.mentions.iter().find(|m| m.end == prev.end).map(|m| [m.start, m.end]);
                }
                Some(_) => return None,
                None => {}
            }
        }
        // "l'entreprise", "the company": the organisation named before.
        if let Some(org) = self.organisation_before(phrase.clone(), span) {
            return Some(org);
        }
        // A role ("le président russe"): the person last named with it.
        if let Some(title) = self.title_in(phrase.start, phrase.end) {
            let title = title.join(" ");
            let adjectives: Vec<&str> = self.toks[phrase.clone()].iter().map(|t| t.folded.as_str()).collect();
            // The phrase's other words ("azerbaïdjanais") must be in the role too.
            let extras: Vec<&str> = adjectives
                .iter()
                .copied()
                .filter(|w| w.chars().count() > 3 && !title.split(' ').any(|t| t == *w))
                .filter(|w| !self.lex.is(w, Word::Determiner) && !self.lex.is(w, Word::NameLink))
                .collect();
            let role_fits = |r: &str| {
                let words: Vec<&str> = r.split([' ', '-', '\'']).collect();
                r.contains(&title) && extras.iter().all(|w| words.contains(w))
            };
            // The role the tagger kept, or the one written just before the
            // name ("Le président ukrainien, Volodymyr Zelensky").
            let fits = |m: &&Mention| {
                m.role.as_deref().is_some_and(|r| role_fits(&fold(r)))
                    || self.words_before(m.start).is_some_and(|r| role_fits(&r))
            };
            let named = self.mentions.iter().filter(before).filter(|m| m.kind == EntityType::Per).rfind(fits);
            if let Some(m) = named {
                return Some([m.start, m.end]);
            }
            // Named only later ("le président X" after a lead that says "le président").
            let later = self.mentions.iter().filter(|m| m.start >= span[1] && m.kind == EntityType::Per).find(fits);
            if let Some(m) = later {
                return Some([m.start, m.end]);
            }
        }
        // "Vos told analysts" after "Ingrid Vos": a lone capitalised word the
        // recogniser left out is the surname of a person named before.
        if inside.is_empty() && phrase.len() == 1 && self.toks[phrase.start].is_capitalised() {
            let word = &self.toks[phrase.start].text;
            let named = self
                .mentions
                .iter()
                .filter(before)
                .filter(|m| m.kind == EntityType::Per && m.text.contains(' '))
                .rfind(|m| m.text.rsplit(' ').next() == Some(word.as_str()));
            if let Some(m) = named {
                return Some([m.start, m.end]);
            }
        }
        // The phrase's head comes first ("Northwind Robotics, the company based
        // in Rotterdam", "la CGT des ports"): its first typed name speaks.
        inside
            .iter()
            .find(|m| m.kind != EntityType::Misc)
            // A name the tagger could not type ("Wanjiru said", "La CNIL a
            // indiqué") speaks all the same: whoever speaks is an agent.
            .or_else(|| inside.iter().rev().find(|m| self.is_name_mention(m)))
            .map(|m| [m.start, m.end])
    }

    /// Whether a mention is a proper name: capitalised words, not a lone
    /// capitalised common word ("Crews", "Nobody").
    fn is_name_mention(&self, m: &Mention) -> bool {
        let Some(first) = self.token_starting_at(m.start) else { return false };
        let t = &self.toks[first];
        is_acronym(&t.text) || (t.is_capitalised() && (first == 0 || !self.starts_sentence(first)))
    }

    /// The token that starts at character `start` (tokens are in order).
    fn token_starting_at(&self, start: usize) -> Option<usize> {
        let i = self.toks.partition_point(|t| t.start < start);
        (i < self.toks.len() && self.toks[i].start == start).then_some(i)
    }

    /// Whether token `i` opens a sentence (after a stop, a quote mark or a line break).
    fn starts_sentence(&self, i: usize) -> bool {
        i == 0
            || matches!(self.toks[i - 1].text.as_str(), "." | "!" | "?" | "«" | "»" | "\"" | "“" | "”" | ":" | "—")
            || self.chars[self.toks[i - 1].end..self.toks[i].start].contains(&'\n')
    }

    /// A person named in apposition right after the comma at token `comma`
    /// ("selon un conseiller du président, Hikmet Guliyev"): its tokens
    /// and its mention.
    fn apposition_person(&self, comma: usize, end: usize) -> Option<(Range<usize>, [usize; 2])> {
        if comma + 1 >= end || self.toks[comma].text != "," {
            return None;
        }
        let from = self.toks[comma + 1].start;
        let m = self.mentions.iter().find(|m| m.start == from && m.kind == EntityType::Per)?;
        let last = (comma + 1..end).take_while(|&k| self.toks[k].end <= m.end).last()?;
        Some((comma + 1..last + 1, [m.start, m.end]))
    }

    /// The folded words just before the character offset `start`, back to
    /// the sentence's start (at most eight): where an apposition's role is
    /// written ("le porte-parole du Kremlin, Dmitri Peskov").
    fn words_before(&self, start: usize) -> Option<String> {
        let first = self.token_starting_at(start)?;
        let mut words: Vec<&str> = Vec::new();
        for t in self.toks[..first].iter().rev().take(10) {
            if matches!(t.text.as_str(), "." | "!" | "?" | ";" | ":") || t.quote.is_some() {
                break;
            }
            if t.is_word() {
                words.push(&t.folded);
            }
        }
        words.reverse();
        (!words.is_empty()).then(|| words.join(" "))
    }

    /// "l'entreprise", "la compagnie", "the company": a phrase headed by an
    /// organisation noun, with no name in it, stands for the last
    /// organisation named before it, preferably one named with the same noun
    /// ("l'opérateur Nordtel" ... "l'opérateur").
    fn organisation_before(&self, phrase: Range<usize>, span: [usize; 2]) -> Option<[usize; 2]> {
        let noun = phrase.clone().find(|&i| self.is(i, Word::OrganisationNoun))?;
        // Only determiners and adjectives around it: "le ministère dans un communiqué" ends at "dans".
        if phrase.clone().take_while(|&i| i < noun).any(|i| !self.is(i, Word::Determiner)) {
            return None;
        }
        if self.mentions.iter().any(|m| m.start >= span[0] && m.end <= span[1]) {
            return None;
        }
        let noun_text = self.toks[noun].folded.as_str();
        let organisation = |m: &Mention| -> Option<bool> {
            // The noun written just before it, or heading its own name.
            let before = self.words_before(m.start).unwrap_or_default();
            let same_noun = before.rsplit(' ').next() == Some(noun_text)
                || fold(&self.text(m.start..m.end)).split(' ').next() == Some(noun_text);
            let before_noun = before.rsplit(' ').next().is_some_and(|w| self.lex.is(w, Word::OrganisationNoun));
            let acronym = is_acronym(&self.text(m.start..m.end));
            (m.kind == EntityType::Org || before_noun || acronym).then_some(same_noun)
        };
        let candidates: Vec<(&Mention, bool)> =
            self.mentions.iter().filter(|m| m.end <= span[0]).filter_map(|m| Some((m, organisation(m)?))).collect();
        let chosen = candidates.iter().rev().find(|(_, same)| *same).or_else(|| candidates.last())?;
        Some([chosen.0.start, chosen.0.end])
    }
}

/// "CNIL", "SNES-FSU": two letters or more, all capitals.
fn is_acronym(text: &str) -> bool {
    let letters: Vec<char> = text.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase())
}

/// '“Is it over?” Trump said.': a sentence split at a stop inside a quote
/// whose closing mark opens a short next sentence goes on into it, so that
/// the quote and its speaker are read together.
fn join_quote_tails(
    sentences: Vec<Range<usize>>,
    toks: &[Tok],
    chars: &[char],
    attribution_tail: impl Fn(Range<usize>) -> bool,
) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::with_capacity(sentences.len());
    for s in sentences {
        if let Some(last) = out.last_mut() {
            let q = toks[last.end - 1].quote;
            let tail = s.clone().filter(|&i| toks[i].quote.is_none()).count();
            // '"It is over!" said X': after a quote, a sentence cannot start in lowercase.
            let first_outside = s.clone().find(|&i| toks[i].quote != q);
            let lowercase_tail = first_outside.is_some_and(|i| {
                toks[i].quote.is_none()
                    && toks[i].is_word()
                    && toks[i].text.chars().next().is_some_and(char::is_lowercase)
                    && (s.start..i).all(|k| !toks[k].is_word())
            });
            // The closing mark opens the next sentence, or ends the quote's
            // own ('missing.” Trump said.'): then only an attribution in the
            // same paragraph goes on with it, never narration.
            let opens_with_mark = toks[s.start].quote == q && tail <= MAX_QUOTE_TAIL_TOKENS;
            let after_quote = opens_with_mark
                || toks[s.start].quote.is_none()
                    && !chars[toks[last.end - 1].end..toks[s.start].start].contains(&'\n')
                    && s.clone().all(|i| toks[i].quote.is_none())
                    && attribution_tail(s.clone());
            // 'dismissed it as “absurd.” Trump's aides seemed calm': a quoted
            // fragment inside a sentence already has its attribution there;
            // only a quote that opens its sentence takes one after it.
            let opens_sentence = q.is_some() && toks[last.start].quote == q;
            if q.is_some() && (after_quote && tail > 0 && opens_sentence || lowercase_tail) {
                last.end = s.end;
                continue;
            }
        }
        out.push(s);
    }
    out
}

#[cfg(test)]
mod tests;
