//! Event coding: who did what to whom, in French and English, read from
//! `resources/<lang>/` (trigger verbs and event nouns with where their
//! target stands, the words around a trigger, actor nouns with their
//! sector).
//!
//! [`code_events`] reads one article's clean text with its entity mentions
//! and attributions and returns, sentence by sentence, the events it can
//! support entirely: a trigger of a PLOVER root type, the source (the
//! subject before the verb, the agent after "by"/"par" in the passive, the
//! subject a coordinated verb shares) and the target (the object, the noun
//! phrase after one of the trigger's prepositions, or the object of an
//! infinitive the trigger governs: "threatened to shell X"). Precision
//! comes first: a trigger without a source and a target that name an
//! actor (an entity mention, an actor noun, a demonym, a title, a resolved
//! pronoun) codes nothing, and an infinitive governed by a trigger is part
//! of that trigger's event, not an event of its own. The mode says whether
//! the sentence asserts, negates, denies, intends, conditions or only
//! supposes the act, and whether an attribution reports it.

pub mod facts;
pub mod figures;
mod lexicon;
#[cfg(test)]
mod tests;

use chrono::NaiveDate;
use storyline_model::{EntityType, Event, EventActor, EventMode, Mention, Quote};
use storyline_nlp::fold::fold;

pub use facts::{group_facts, Fact, FactReport};
pub use figures::{find_figures, group_figures, FigureGroup, FigureReport};
pub use lexicon::{lexicon, Lexicon};
use lexicon::{Trigger, Word};

/// Most tokens a noun phrase (source or target) may have.
const MAX_PHRASE: usize = 10;
/// Most tokens between a trigger and the preposition before its target.
const MAX_PREP_GAP: usize = 14;
/// Most tokens between a light verb and its event noun.
const MAX_LIGHT_GAP: usize = 5;

/// A PLOVER root event type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Root {
    Agree,
    Support,
    Consult,
    Cooperate,
    Aid,
    Yield,
    Request,
    Accuse,
    Reject,
    Threaten,
    Protest,
    Mobilize,
    Sanction,
    Coerce,
    Assault,
}

impl Root {
    /// Every root type, in PLOVER's order.
    pub const ALL: [Root; 15] = [
        Root::Agree,
        Root::Support,
        Root::Consult,
        Root::Cooperate,
        Root::Aid,
        Root::Yield,
        Root::Request,
        Root::Accuse,
        Root::Reject,
        Root::Threaten,
        Root::Protest,
        Root::Mobilize,
        Root::Sanction,
        Root::Coerce,
        Root::Assault,
    ];

    /// The upper-case PLOVER name.
    pub fn as_str(&self) -> &'static str {
        match self {
            Root::Agree => "AGREE",
            Root::Support => "SUPPORT",
            Root::Consult => "CONSULT",
            Root::Cooperate => "COOPERATE",
            Root::Aid => "AID",
            Root::Yield => "YIELD",
            Root::Request => "REQUEST",
            Root::Accuse => "ACCUSE",
            Root::Reject => "REJECT",
            Root::Threaten => "THREATEN",
            Root::Protest => "PROTEST",
            Root::Mobilize => "MOBILIZE",
            Root::Sanction => "SANCTION",
            Root::Coerce => "COERCE",
            Root::Assault => "ASSAULT",
        }
    }

    /// Parses a PLOVER name.
    pub fn parse(text: &str) -> Option<Root> {
        Root::ALL.into_iter().find(|r| r.as_str().eq_ignore_ascii_case(text.trim()))
    }

    /// Its quad class, as PLOVER groups the root types: verbal or material,
    /// cooperation or conflict.
    pub fn class(&self) -> &'static str {
        match self {
            Root::Agree | Root::Support | Root::Consult => "verbal_cooperation",
            Root::Cooperate | Root::Aid | Root::Yield => "material_cooperation",
            Root::Request | Root::Accuse | Root::Reject | Root::Threaten => "verbal_conflict",
            Root::Protest | Root::Mobilize | Root::Sanction | Root::Coerce | Root::Assault => "material_conflict",
        }
    }
}

struct Tok {
    start: usize,
    end: usize,
    text: String,
    folded: String,
    /// Lowercase with accents kept (the key of the words around triggers).
    lower: String,
}

impl Tok {
    fn is_word(&self) -> bool {
        self.text.chars().next().is_some_and(|c| c.is_alphanumeric())
    }
    fn is_capitalised(&self) -> bool {
        self.text.chars().next().is_some_and(|c| c.is_uppercase())
    }
}

/// What the words between the subject and the trigger say.
#[derive(Default, Clone, Copy)]
struct Chain {
    /// First token of the chain (the subject ends before it).
    start: usize,
    negated: bool,
    denied: bool,
    intended: bool,
    hypothetical: bool,
    passive: bool,
    /// A form of "be" ("is suing").
    be: bool,
}

struct Doc<'a> {
    lex: &'a Lexicon,
    toks: Vec<Tok>,
    mentions: &'a [Mention],
    quotes: &'a [Quote],
    chars: Vec<char>,
    /// Tokens that belong to an attribution's cue (a clause boundary).
    in_cue: Vec<bool>,
}

/// A noun phrase: tokens `first..last` (exclusive).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct Phrase {
    first: usize,
    last: usize,
}

/// Codes the events of one article's text. `mentions` are its entity
/// mentions and `quotes` its attributions (offsets in characters of
/// `text`); `published` dates events whose sentence gives no date. A
/// language without resources gives none.
pub fn code_events(
    text: &str,
    lang: Option<&str>,
    mentions: &[Mention],
    quotes: &[Quote],
    published: Option<NaiveDate>,
) -> Vec<Event> {
    let Some(lang) = lang else { return Vec::new() };
    let lex = lexicon(lang);
    if lex.is_empty() {
        return Vec::new();
    }
    let raw = storyline_ner::tokenize::tokenize(text);
    let sentences = storyline_ner::tokenize::sentences(&raw);
    let toks: Vec<Tok> = raw
        .into_iter()
        .map(|t| Tok {
            folded: fold(&t.text),
            lower: t.text.to_lowercase().replace('’', "'"),
            start: t.start,
            end: t.end,
            text: t.text,
        })
        .collect();
    let in_cue = toks
        .iter()
        .map(|t| quotes.iter().any(|q| q.cue_span.is_some_and(|[s, e]| t.start >= s && t.end <= e)))
        .collect();
    // A name nested in another ("US" in "US State Department") is not who acts.
    let outermost = storyline_model::outermost_mentions(mentions);
    let mentions = outermost.as_slice();
    let doc = Doc { lex, toks, mentions, quotes, chars: text.chars().collect(), in_cue };
    let times = published.map(|p| storyline_nlp::time::find_time_expressions(text, p)).unwrap_or_default();
    let mut events = Vec::new();
    for sentence in sentences {
        let first = events.len();
        doc.sentence_events(sentence.start, sentence.end, &mut events);
        let (Some(s), Some(e)) = (doc.toks.get(sentence.start), doc.toks.get(sentence.end.saturating_sub(1))) else {
            continue;
        };
        let (start, end) = (s.start, e.end);
        let date = times.iter().find(|t| t.start >= start && t.end <= end);
        for event in &mut events[first..] {
            event.start = start;
            event.end = end;
            match date {
                Some(t) => {
                    event.date = Some(t.value);
                    event.date_source = Some("sentence".into());
                }
                None if published.is_some() => {
                    event.date = published;
                    event.date_source = Some("article".into());
                }
                None => {}
            }
        }
    }
    events
}

impl Doc<'_> {
    fn is(&self, i: usize, kind: Word) -> bool {
        self.toks.get(i).is_some_and(|t| self.lex.is(&t.lower, kind))
    }

    /// Whether tokens from `i` spell a multi-token entry of this kind; its length.
    fn entry_at(&self, i: usize, kind: Word) -> Option<usize> {
        self.lex.phrases.iter().filter(|(_, k)| *k == kind).find_map(|(words, _)| {
            let matches = words.iter().enumerate().all(|(k, w)| self.toks.get(i + k).is_some_and(|t| &t.lower == w));
            matches.then_some(words.len())
        })
    }

    /// A token that ends a clause for the subject search.
    fn is_boundary(&self, i: usize) -> bool {
        let t = &self.toks[i];
        if self.in_cue[i] || self.is(i, Word::Boundary) {
            return true;
        }
        !t.is_word() && matches!(t.text.as_str(), ";" | ":" | "-" | "–" | "—" | "\"" | "«" | "»" | "“" | "”")
    }

    /// The longest trigger starting at token `i` (before `end`), with its length.
    fn trigger_at(&self, i: usize, end: usize) -> Option<(&Trigger, usize)> {
        self.triggers_at(i, end).into_iter().next().map(|t| (t, t.words.len()))
    }

    /// Every trigger starting at token `i`, longest first; of one length,
    /// an event noun after a light verb comes before the verb reading
    /// ("filed new charges against": the noun).
    fn triggers_at(&self, i: usize, end: usize) -> Vec<&Trigger> {
        let Some(list) = self.lex.triggers.get(&self.toks[i].folded) else { return Vec::new() };
        let mut found: Vec<&Trigger> = list
            .iter()
            .filter(|t| {
                i + t.words.len() <= end && t.words.iter().enumerate().all(|(k, w)| self.toks[i + k].folded == *w)
            })
            .collect();
        found.sort_by_key(|t| std::cmp::Reverse(t.words.len()));
        found
    }

    fn sentence_events(&self, start: usize, end: usize, out: &mut Vec<Event>) {
        let first_event = out.len();
        let mut i = start;
        while i < end {
            let candidates = self.triggers_at(i, end);
            if candidates.is_empty() {
                i += 1;
                continue;
            }
            let len = candidates[0].words.len();
            let at = self.toks[i].start;
            let inside_earlier = out[first_event..].iter().any(|e| e.target.span[0] <= at && at < e.target.span[1]);
            // "the UN Support Mission", "in March": a capitalised word inside a
            // name or a month is no verb.
            let in_name = i > start && self.toks[i].is_capitalised() || self.is(i, Word::Time);
            if inside_earlier || in_name {
                i += len;
                continue;
            }
            let mut readings: Vec<&Trigger> = candidates.into_iter().filter(|t| t.words.len() == len).collect();
            readings.sort_by_key(|t| !t.noun);
            if self.is(i, Word::LightVerb) && self.event_noun_after(i + len, end) {
                // "offered scathing criticism of X": the noun's event, not the verb's.
                readings.retain(|t| t.noun);
            }
            if let Some(event) = readings.iter().find_map(|t| self.code(t, i, i + len, start, end, &out[first_event..]))
            {
                out.push(event);
            }
            i += len;
        }
    }

    /// Whether an event noun follows a light verb ending before `from`.
    fn event_noun_after(&self, from: usize, end: usize) -> bool {
        (from..end.min(from + MAX_LIGHT_GAP + 1))
            .take_while(|&k| self.toks[k].is_word() && !self.is(k, Word::Infinitive))
            .any(|k| self.triggers_at(k, end).iter().any(|t| t.noun))
    }

    /// The light verb before an event noun at `i`, if one stands close enough.
    fn light_verb_before(&self, i: usize, start: usize) -> Option<usize> {
        // The noun's own phrase may start a few words back ("carried out
        // several air strikes"): a light verb of one or more words before it.
        // Possessives may stand between ("pledged his country's full support").
        let word_or_possessive = |k: usize| self.toks[k].is_word() || matches!(self.toks[k].text.as_str(), "'" | "’");
        (i.saturating_sub(MAX_LIGHT_GAP + 2).max(start)..i).rev().take_while(|&k| word_or_possessive(k)).find(|&k| {
            self.is(k, Word::LightVerb) && k + 1 + MAX_LIGHT_GAP >= i
                || self.entry_at(k, Word::LightVerb).is_some_and(|n| k + n <= i && k + n + MAX_LIGHT_GAP >= i)
        })
    }

    fn code(
        &self,
        trigger: &Trigger,
        first: usize,
        last: usize,
        start: usize,
        end: usize,
        earlier: &[Event],
    ) -> Option<Event> {
        let verb = if trigger.noun { self.light_verb_before(first, start)? } else { first };
        if !trigger.noun && self.reads_as_noun(verb, start, trigger) {
            return None;
        }
        let chain = self.chain(verb, start)?;
        let participle = trigger.participles.iter().any(|p| *p == self.toks[verb].text.to_lowercase());
        let bare = (chain.start..verb).all(|k| self.is(k, Word::Time));
        let object_follows = last < end && {
            let n = &self.toks[last];
            self.is_determiner(last)
                || n.is_capitalised()
                || n.text.chars().all(|c| c.is_ascii_digit())
                || (trigger.slots.inf && self.is(last, Word::Infinitive))
        };
        let finite_lemma = self.lex.bare_lemma_before_object && object_follows && verb > start;
        if !trigger.noun && bare && (trigger.lemma && !finite_lemma || participle && !self.lex.bare_participle_finite) {
            // A bare lemma ("finance minister", "l'aide") or participle
            // ("l'homme arrêté") is not a finite verb here.
            return None;
        }
        if !trigger.noun && trigger.gerund && !chain.be {
            // A gerund is a verb only in a progressive ("is suing"), not as
            // an adverbial clause ("..., condemning X").
            return None;
        }
        let after = self.skip_particles(last, end);
        let passive = chain.passive && participle && !trigger.noun;
        let (source, target) = if passive {
            let agent = (after..end.min(after + MAX_PREP_GAP))
                .take_while(|&k| !self.is_boundary(k))
                .find(|&k| self.is(k, Word::Agent))?;
            let source = self.phrase_at(agent + 1, end)?;
            let target = self.subject(chain.start, start, earlier)?;
            (source, target)
        } else {
            let subject = self.speaker_for_pronoun(self.subject(chain.start, start, earlier)?, first);
            let pair = if trigger.slots.sym { self.split_coordinated(subject) } else { None };
            match pair {
                Some(pair) => pair,
                None => (subject, self.target(trigger, after, end)?),
            }
        };
        if source.first < target.last && target.first < source.last {
            return None;
        }
        let (s0, e0) = (self.toks[first].start, self.toks[last - 1].end);
        let target_span = [self.toks[target.first].start, self.toks[target.last - 1].end];
        let speaker_cue = self.quotes.iter().any(|q| {
            q.cue_span.is_some_and(|[a, b]| a <= s0 && e0 <= b)
                && q.speaker_span.is_some_and(|[a, b]| a < target_span[1] && target_span[0] < b)
        });
        // "..., a averti Dmitri Medvedev.": a verb after a comma whose object
        // closes the sentence is an inverted attribution, its object the speaker.
        let closes = (target.last..end).all(|k| !self.toks[k].is_word());
        let inverted = !passive && chain.start > start && self.toks[chain.start - 1].text == "," && closes;
        if speaker_cue || inverted {
            // "..., a averti Dmitri Medvedev": the verb attributes a statement.
            return None;
        }
        let mode = self.mode(&chain, trigger, verb, start, end);
        let attribution =
            self.quotes.iter().position(|q| q.start <= self.toks[first].start && self.toks[last - 1].end <= q.end);
        let mode = match (mode, attribution) {
            (EventMode::Asserted, Some(q)) if self.quotes[q].denial => EventMode::Denied,
            (EventMode::Asserted, Some(_)) => EventMode::Reported,
            (mode, _) => mode,
        };
        // PLOVER codes an intention to cooperate as AGREE (CAMEO 03x:
        // "express intent to meet, to provide aid, to yield").
        let root = match (mode, trigger.root) {
            (EventMode::Intended, Root::Consult | Root::Cooperate | Root::Aid | Root::Yield | Root::Support) => {
                Root::Agree
            }
            (_, root) => root,
        };
        let (source_actor, target_actor) = (self.actor(source), self.actor(target));
        let state = |a: &EventActor| a.sector.as_deref().is_none_or(|s| s == "GOV");
        if source_actor.country.is_some()
            && source_actor.country == target_actor.country
            && state(&source_actor)
            && state(&target_actor)
        {
            // A state acting on itself is a misread actor (a pronoun taken
            // for the wrong antecedent), not an event.
            return None;
        }
        if earlier.iter().any(|e| e.source.span == source_actor.span && e.target.span == target_actor.span) {
            // "signed an agreement with X": the verb and its noun are one event.
            return None;
        }
        let trigger_first = if trigger.noun { verb } else { first };
        let location = self.location(start, end, &[source, target]);
        Some(Event {
            kind: root.as_str().to_string(),
            class: root.class().to_string(),
            trigger: self.text_of(trigger_first, last),
            trigger_span: [self.toks[trigger_first].start, self.toks[last - 1].end],
            source: source_actor,
            target: target_actor,
            mode,
            attribution,
            date: None,
            date_source: None,
            location,
            start: 0,
            end: 0,
        })
    }

    /// A verb form used as a noun or adjective: after a determiner or a
    /// possessive ("the attack", "Trump's ban", "a returned painting").
    fn reads_as_noun(&self, verb: usize, start: usize, trigger: &Trigger) -> bool {
        if verb == start {
            return false;
        }
        let prev = &self.toks[verb - 1];
        let possessive = prev.folded == "s" && verb >= 2 && matches!(self.toks[verb - 2].text.as_str(), "'" | "’");
        // "accepted demands from X": a verb form right after a verb is its object.
        let after_verb = self.triggers_at(verb - 1, verb).iter().any(|t| !t.noun && t.words.len() == 1);
        if after_verb {
            return true;
        }
        let determiner = (self.is_determiner(verb - 1) || self.is(verb - 1, Word::Skip))
            && !self.is(verb - 1, Word::Auxiliary)
            && !self.is(verb - 1, Word::Infinitive)
            && !self.is_pronoun(verb - 1);
        possessive || determiner && !trigger.noun
    }

    fn is_determiner(&self, i: usize) -> bool {
        storyline_ner::gazetteer::shared().is_determiner(&self.toks[i].folded)
    }

    /// Walks left from the verb over auxiliaries, negation, modals, adverbs,
    /// time phrases and governing verbs (intention, denial); None when the
    /// verb is an infinitive another trigger governs (its event is that
    /// trigger's) or one nothing codes ("the decision to ban").
    fn chain(&self, verb: usize, start: usize) -> Option<Chain> {
        let mut chain = Chain { start: verb, ..Chain::default() };
        let mut k = verb;
        while k > start {
            let i = k - 1;
            let t = &self.toks[i];
            if !t.is_word() {
                break;
            }
            let f = t.folded.as_str();
            if self.is(i, Word::Passive) {
                chain.be = true;
            }
            if self.is(i, Word::Negation) || f.ends_with("n't") {
                chain.negated = true;
            } else if self.is(i, Word::Denial) {
                chain.denied = true;
            } else if self.is(i, Word::Intention) {
                chain.intended = true;
            } else if self.is(i, Word::Hypothetical) {
                chain.hypothetical = true;
            } else if self.is(i, Word::Passive)
                && (i + 1..verb).all(|j| self.is(j, Word::Negation) || self.is_adverb(j))
            {
                chain.passive = true;
            } else if self.is(i, Word::Infinitive) && !self.is(i, Word::Auxiliary) {
                // An infinitive: coded only under intention or denial.
                let governor = self.governor_before(i, start)?;
                match governor {
                    Governor::Intention => chain.intended = true,
                    Governor::Denial => chain.denied = true,
                }
            } else if self.is(i, Word::Auxiliary)
                || self.is(i, Word::Time)
                || self.is_adverb(i)
                || t.text.chars().all(|c| c.is_ascii_digit())
                || (self.is(i, Word::Preposition) && k < verb && self.is(k, Word::Time))
                || ((self.is_determiner(i) || self.is(i, Word::Skip)) && k < verb && self.is(k, Word::Intention))
            {
                // Part of the verb group.
            } else {
                break;
            }
            k = i;
        }
        chain.start = k;
        Some(chain)
    }

    /// What governs an infinitive marker at `i`: an intention or denial
    /// word (then the infinitive is coded with that mode), or None (a
    /// trigger governs it, or nothing that codes it does).
    fn governor_before(&self, marker: usize, start: usize) -> Option<Governor> {
        let mut k = marker;
        while k > start {
            let i = k - 1;
            if self.is(i, Word::Negation) || self.is(i, Word::Auxiliary) && !self.is(i, Word::Intention) {
                k = i;
                continue;
            }
            if self.is(i, Word::Intention) {
                return Some(Governor::Intention);
            }
            if self.is(i, Word::Denial) {
                return Some(Governor::Denial);
            }
            return None;
        }
        None
    }

    /// The subject before a verb group starting at `chain_start`: the last
    /// comma-separated chunk of its clause that names an actor (a relative
    /// pronoun takes the phrase before it; a verb coordinated with an
    /// earlier trigger shares its subject).
    fn subject(&self, chain_start: usize, start: usize, earlier: &[Event]) -> Option<Phrase> {
        if chain_start > start && self.is(chain_start - 1, Word::Coordinator) {
            if let Some(prev) = earlier.last() {
                if prev.trigger_span[1] <= self.toks[chain_start - 1].start {
                    return self.phrase_of_span(prev.source.span);
                }
            }
        }
        let mut seg_start = chain_start;
        while seg_start > start && !self.is_boundary(seg_start - 1) {
            seg_start -= 1;
        }
        if seg_start == chain_start && seg_start > start && self.in_cue[seg_start - 1] {
            // "X a déclaré n'avoir pas l'intention d'attaquer": the speaker acts.
            let at = self.toks[seg_start - 1].start;
            let quote = self.quotes.iter().find(|q| q.cue_span.is_some_and(|[a, b]| a <= at && at < b))?;
            return self.phrase_of_span(quote.speaker_span?);
        }
        if seg_start == chain_start && seg_start > start && self.is(seg_start - 1, Word::Boundary) {
            // "Russia, which invaded ...": the phrase before the relative pronoun.
            let mut before = seg_start - 1;
            while before > start && !self.toks[before - 1].is_word() && self.toks[before - 1].text == "," {
                before -= 1;
            }
            // Only the noun phrase right before it: "a fire that killed" is the
            // fire's, not the clause's subject's.
            let mut s = before;
            while s > start && !self.is_boundary(s - 1) && self.toks[s - 1].is_word() && !self.is_verbal(s - 1) {
                s -= 1;
            }
            return self.last_actor_chunk(s, before);
        }
        self.last_actor_chunk(seg_start, chain_start)
    }

    /// "X said it would ...": a lone pronoun subject inside an attribution's
    /// content is its speaker (when the speaker is named before it).
    fn speaker_for_pronoun(&self, subject: Phrase, trigger: usize) -> Phrase {
        if subject.last - subject.first != 1 || !self.is_pronoun(subject.first) {
            return subject;
        }
        let at = self.toks[trigger].start;
        let speaker = self
            .quotes
            .iter()
            .filter(|q| q.start <= at && at < q.end)
            .filter_map(|q| q.speaker_span.filter(|[_, e]| *e <= q.start))
            .next_back();
        speaker.and_then(|span| self.phrase_of_span(span)).filter(|p| self.names_actor(*p)).unwrap_or(subject)
    }

    /// The last comma-separated chunk of `from..to` that names an actor,
    /// looking at most two chunks back.
    fn last_actor_chunk(&self, from: usize, to: usize) -> Option<Phrase> {
        let mut chunks: Vec<Phrase> = Vec::new();
        let mut s = from;
        for k in from..=to {
            if k == to || self.toks[k].text == "," {
                if k > s {
                    chunks.push(Phrase { first: s, last: k });
                }
                s = k + 1;
            }
        }
        // The chunk next to the verb, or the one before it when the verb's
        // chunk is a short apposition ("X, QC, is") holding no verb.
        let last = chunks.pop()?;
        if self.is(last.first, Word::Subordinator) || self.is(last.first, Word::Conditional) {
            // The verb's own clause is subordinate ("if Israel hits"): its subject is not reliable.
            return None;
        }
        let passable = last.last - last.first <= 3
            && (last.first..last.last)
                .all(|k| !self.is(k, Word::Auxiliary) && self.triggers_at(k, last.last).is_empty());
        std::iter::once(last)
            .chain(chunks.pop().filter(|_| passable))
            .filter(|c| !self.is(c.first, Word::Subordinator) && !self.is(c.first, Word::Conditional))
            .map(|c| self.trim_phrase(c))
            .find(|c| c.last > c.first && c.last - c.first <= MAX_PHRASE + 4 && self.names_actor(*c))
    }

    /// A token that belongs to a verb group or ends a phrase: an auxiliary,
    /// a verb trigger, a preposition that ends noun phrases.
    fn is_verbal(&self, k: usize) -> bool {
        self.is(k, Word::Auxiliary)
            || self.is(k, Word::Stop)
            || self.is(k, Word::Agent)
            || self.triggers_at(k, k + 1).iter().any(|t| !t.noun && !t.gerund && !self.toks[k].is_capitalised())
    }

    /// Drops a leading time phrase or preposition from a subject chunk, and
    /// whatever comes before the last verb in it ("... said late Sunday
    /// captured X has refused": X).
    fn trim_phrase(&self, mut p: Phrase) -> Phrase {
        // A gerund in the chunk is a noun ("government shelling killed").
        let finite = |k: usize| {
            self.triggers_at(k, k + 1).iter().any(|t| !t.noun && !t.gerund && !self.toks[k].is_capitalised())
        };
        if let Some(v) = (p.first..p.last).rev().find(|&k| self.is(k, Word::Auxiliary) || finite(k)) {
            p.first = v + 1;
        }
        loop {
            let time_phrase =
                self.is(p.first, Word::Preposition) && p.first + 1 < p.last && self.is(p.first + 1, Word::Time);
            if time_phrase {
                p.first += 2;
            } else if p.first < p.last && (self.is(p.first, Word::Time) || self.is(p.first, Word::Coordinator)) {
                p.first += 1;
            } else {
                return p;
            }
        }
    }

    fn phrase_of_span(&self, span: [usize; 2]) -> Option<Phrase> {
        let first = self.toks.iter().position(|t| t.start >= span[0])?;
        let last = self.toks.iter().rposition(|t| t.end <= span[1])? + 1;
        (last > first).then_some(Phrase { first, last })
    }

    fn skip_particles(&self, mut i: usize, end: usize) -> usize {
        while i < end && self.is(i, Word::Particle) {
            i += 1;
        }
        i
    }

    /// The target after a trigger ending at `after`: its object, the phrase
    /// after one of its prepositions, or the object of an infinitive it
    /// governs.
    fn target(&self, trigger: &Trigger, after: usize, end: usize) -> Option<Phrase> {
        let slots = &trigger.slots;
        // "a accusé dimanche matin la Moldavie", "attaquer militairement
        // le Tchad": time words and adverbs are not the target.
        let mut after = after;
        while after < end && (self.is(after, Word::Time) || self.is_adverb(after)) {
            after += 1;
        }
        let object = || {
            (slots.obj && !self.is(after, Word::Infinitive))
                .then(|| self.phrase_at(after, end).filter(|p| self.names_actor(*p)))
                .flatten()
        };
        let found = if slots.prep_first {
            self.after_preposition(&slots.preps, after, end).or_else(object)
        } else {
            object().or_else(|| self.after_preposition(&slots.preps, after, end))
        };
        if found.is_some() {
            return found;
        }
        if slots.inf {
            let mut k = after;
            while k < end && (self.is(k, Word::Negation) || self.is_adverb(k)) {
                k += 1;
            }
            // "to shell X", "de frapper X", or an object first: "urged X to".
            let marker = (k..end.min(k + MAX_PHRASE)).find(|&m| self.is(m, Word::Infinitive) && !self.is_boundary(m));
            if let Some(m) = marker {
                let verb = m + 1;
                if verb < end
                    && self.toks[verb].is_word()
                    && !self.toks[verb].is_capitalised()
                    && !self.is(verb, Word::Skip)
                {
                    let (inner, len) = match self.trigger_at(verb, end) {
                        Some((t, len)) => (Some(t), len),
                        None => (None, 1),
                    };
                    let next = self.skip_particles(verb + len, end);
                    let found = match inner {
                        Some(t) => self.target(
                            &Trigger { slots: lexicon::Slots { inf: false, ..t.slots.clone() }, ..t.clone() },
                            next,
                            end,
                        ),
                        // "refused to respond to a request from X": the first actor
                        // after a preposition of the infinitive's clause.
                        None => self.phrase_at(next, end).filter(|p| self.names_actor(*p)).or_else(|| {
                            (next..end.min(next + MAX_PREP_GAP))
                                .take_while(|&k| !self.is_boundary(k) && self.toks[k].text != ",")
                                .filter(|&k| self.is(k, Word::Stop))
                                .find_map(|k| self.phrase_at(k + 1, end).filter(|p| self.names_actor(*p)))
                        }),
                    };
                    if found.is_some() {
                        return found;
                    }
                }
            }
        }
        None
    }

    /// An adverb by its ending, unless a determiner makes it a noun ("le
    /// gouvernement") or a capital a name.
    fn is_adverb(&self, i: usize) -> bool {
        let Some(t) = self.toks.get(i) else { return false };
        let after_determiner = i > 0 && (self.is_determiner(i - 1) || self.is(i - 1, Word::Skip));
        self.lex.looks_adverb(&t.folded) && !after_determiner && !t.is_capitalised()
    }

    /// Whether token `i` is an infinitive marker followed by a trigger verb,
    /// which takes its own arguments: "de | recevoir", not "à | Paris".
    fn opens_infinitive(&self, i: usize, end: usize) -> bool {
        let verb = i + 1;
        self.is(i, Word::Infinitive)
            && verb < end
            && self.toks[verb].is_word()
            && !self.toks[verb].is_capitalised()
            && self.trigger_at(verb, end).is_some()
    }

    /// The first phrase naming an actor after one of `preps`, within the clause.
    fn after_preposition(&self, preps: &[Vec<String>], after: usize, end: usize) -> Option<Phrase> {
        let limit = end.min(after + MAX_PREP_GAP);
        let mut k = after;
        while k < limit {
            // "a proposé de recevoir les syndicats à Paris": past an
            // infinitive event verb, a preposition belongs to its clause
            // (unless its marker is one of the trigger's prepositions, as
            // English "to" is: "provided aid to support refugees").
            if self.opens_infinitive(k, end) && !preps.iter().any(|p| p.len() == 1 && p[0] == self.toks[k].lower) {
                return None;
            }
            for prep in preps {
                let matches = prep.iter().enumerate().all(|(j, w)| self.toks.get(k + j).is_some_and(|t| &t.lower == w));
                if matches {
                    if let Some(p) = self.phrase_at(k + prep.len(), end).filter(|p| self.names_actor(*p)) {
                        return Some(p);
                    }
                }
            }
            let full_stop = self.toks[k].text == "." && !self.inside_number(k);
            if self.is_boundary(k) || full_stop || self.is(k, Word::Subordinator) {
                return None;
            }
            k += 1;
        }
        None
    }

    /// The noun phrase starting at token `i`: words, numbers and noun
    /// complements ("of", "de"), up to punctuation, a preposition, a clause
    /// word, a verb or a second determiner.
    fn phrase_at(&self, i: usize, end: usize) -> Option<Phrase> {
        let mut k = i;
        let mut content = false;
        while k < end && k - i < MAX_PHRASE {
            if !content {
                // "at least six people": a quantifier of several words.
                if let Some(n) = self.entry_at(k, Word::Skip) {
                    k += n;
                    continue;
                }
            }
            let t = &self.toks[k];
            if !t.is_word() {
                // "Putin's" and hyphen-free apostrophes keep the phrase going.
                let possessive =
                    matches!(t.text.as_str(), "'" | "’") && self.toks.get(k + 1).is_some_and(|n| n.folded == "s");
                if possessive {
                    k += 2;
                    continue;
                }
                if self.inside_number(k) {
                    // "4,000 prisoners", "$1.7 billion".
                    k += 1;
                    continue;
                }
                // "Amnesty International (AI)": a short parenthesis belongs to the name.
                let close = (k + 1..end.min(k + 5)).find(|&j| self.toks[j].text == ")");
                if t.text == "(" && content {
                    if let Some(j) = close {
                        k = j + 1;
                        continue;
                    }
                }
                break;
            }
            // "a call from X", "demands from X": a phrase naming no actor yet
            // goes on to the one it comes from.
            let from = matches!(t.folded.as_str(), "from" | "by")
                && content
                && !self.names_actor(Phrase { first: i, last: k });
            let complement = from || matches!(t.folded.as_str(), "of" | "de" | "du" | "des" | "d'");
            if complement && k == i && matches!(t.folded.as_str(), "des" | "du") {
                // "des manifestants", "du pétrole": a partitive opens the phrase.
                k += 1;
                continue;
            }
            if complement {
                let next_is_verb = self.toks.get(k + 1).is_some_and(|n| self.lex.looks_nonfinite(&n.folded));
                if k == i || next_is_verb {
                    break;
                }
                k += 1;
                continue;
            }
            let gerund = content && !t.is_capitalised() && self.lex.looks_gerund(&t.folded);
            let stops = gerund
                || (content && self.is(k, Word::Time))
                || self.is(k, Word::Boundary)
                || self.is(k, Word::Stop)
                || (self.is(k, Word::Coordinator) && !self.coordinates_a_name(k))
                || self.is(k, Word::Agent)
                || (self.is(k, Word::Infinitive) && !self.is_determiner(k))
                || self.lex.slot_preps.contains_key(&t.lower)
                || (self.is(k, Word::Auxiliary) && !self.is_determiner(k))
                || (content
                    && (self.is_determiner(k) || self.is(k, Word::Skip) && !self.is(k, Word::Infinitive))
                    && !self.is(k - 1, Word::Coordinator)
                    && !matches!(self.toks[k - 1].folded.as_str(), "of" | "de" | "du" | "des" | "d'"));
            if stops {
                break;
            }
            if !self.is(k, Word::Skip) {
                content = true;
            }
            k += 1;
        }
        while k > i && (self.is(k - 1, Word::Coordinator) || self.is(k - 1, Word::Skip)) {
            k -= 1;
        }
        (content && k > i).then_some(Phrase { first: i, last: k })
    }

    /// Whether the punctuation at `k` sits inside a number ("4,000", "1.7").
    fn inside_number(&self, k: usize) -> bool {
        let digits = |t: &Tok| t.text.chars().all(|c| c.is_ascii_digit());
        matches!(self.toks[k].text.as_str(), "," | ".")
            && k > 0
            && k + 1 < self.toks.len()
            && digits(&self.toks[k - 1])
            && digits(&self.toks[k + 1])
            && self.toks[k - 1].end == self.toks[k].start
            && self.toks[k].end == self.toks[k + 1].start
    }

    /// Whether a coordinator at `k` joins a second actor to a phrase ("X and
    /// the Y", "X and Y") rather than a second verb ("killed X and freed Y").
    fn coordinates_a_name(&self, k: usize) -> bool {
        self.toks.get(k + 1).is_some_and(|n| {
            n.is_capitalised()
                || self.is_determiner(k + 1)
                || self.is(k + 1, Word::Skip)
                || n.text.chars().all(|c| c.is_ascii_digit())
                || self.lex.actors.contains_key(&n.folded)
                || storyline_ner::gazetteer::shared().demonym(&n.folded).is_some()
        })
    }

    /// "X and Y met": source X, target Y, when both name an actor.
    fn split_coordinated(&self, p: Phrase) -> Option<(Phrase, Phrase)> {
        let and = (p.first + 1..p.last.saturating_sub(1)).find(|&k| self.is(k, Word::Coordinator))?;
        let left = Phrase { first: p.first, last: and };
        let right = Phrase { first: and + 1, last: p.last };
        (self.names_actor(left) && self.names_actor(right)).then_some((left, right))
    }

    /// Whether a phrase names an actor: an entity mention, an actor noun or
    /// title, a demonym, a pronoun standing for a person, or a capitalised
    /// word inside it.
    fn names_actor(&self, p: Phrase) -> bool {
        if self.mention_in(p).is_some() {
            return true;
        }
        let gaz = storyline_ner::gazetteer::shared();
        (p.first..p.last).any(|k| {
            let t = &self.toks[k];
            self.lex.actors.contains_key(&t.folded)
                || gaz.demonym(&t.folded).is_some()
                || (self.is_pronoun(k) && self.pronoun_antecedent(k).is_some())
                || (k > p.first && t.is_capitalised() && t.is_word())
                || (k == p.first && self.names_at_start(k))
                || is_acronym(&t.text)
        })
    }

    /// A capitalised first word that is a name, not a sentence's capital
    /// ("Sisi met ..."): no determiner, pronoun or common word.
    fn names_at_start(&self, k: usize) -> bool {
        let t = &self.toks[k];
        let gazetteer = storyline_ner::gazetteer::shared();
        t.is_capitalised()
            && t.is_word()
            && !self.is_determiner(k)
            && !self.is(k, Word::Skip)
            && !self.is_pronoun(k)
            && !self.is(k, Word::Time)
            && !gazetteer.is_stopword(&t.folded)
            && !self.lex.actors.contains_key(&t.folded)
            && !(k + 1 < self.toks.len() && self.is(k + 1, Word::Skip))
    }

    /// The mention inside a phrase: the longest person or organisation,
    /// else the longest of any type.
    fn mention_in(&self, p: Phrase) -> Option<&Mention> {
        let (s, e) = (self.toks[p.first].start, self.toks[p.last - 1].end);
        self.mentions
            .iter()
            .filter(|m| m.start >= s && m.end <= e)
            .max_by_key(|m| (matches!(m.kind, EntityType::Per | EntityType::Org), m.end - m.start))
    }

    fn is_pronoun(&self, i: usize) -> bool {
        self.is(i, Word::Pronoun) || self.is(i, Word::PronounGroup)
    }

    /// What a pronoun at token `i` stands for: the person last named before
    /// it ("he"), or the last organisation, place or group ("it", "they").
    fn pronoun_antecedent(&self, i: usize) -> Option<&Mention> {
        let at = self.toks[i].start;
        let person = self.is(i, Word::Pronoun);
        self.mentions.iter().rev().find(|m| m.end <= at && (m.kind == EntityType::Per) == person)
    }

    fn mode(&self, chain: &Chain, trigger: &Trigger, verb: usize, start: usize, end: usize) -> EventMode {
        let conditional = (start..end).any(|k| self.is(k, Word::Conditional) && k != verb)
            || self.lex.phrases.iter().any(|(_, kind)| *kind == Word::Conditional)
                && (start..end).any(|k| self.entry_at(k, Word::Conditional).is_some());
        if chain.denied || chain.negated && chain.intended {
            EventMode::Denied
        } else if chain.negated {
            EventMode::Negated
        } else if conditional {
            EventMode::Conditional
        } else if chain.hypothetical {
            EventMode::Hypothetical
        } else if chain.intended || trigger.future {
            EventMode::Intended
        } else {
            EventMode::Asserted
        }
    }

    /// A place the sentence names as where it happened.
    fn location(&self, start: usize, end: usize, actors: &[Phrase]) -> Option<EventActor> {
        let (s, e) = (self.toks[start].start, self.toks[end - 1].end);
        let taken = |m: &Mention| {
            actors.iter().any(|p| m.start < self.toks[p.last - 1].end && self.toks[p.first].start < m.end)
        };
        let m = self.mentions.iter().find(|m| {
            m.kind == EntityType::Loc && m.start >= s && m.end <= e && !taken(m) && {
                let before = self.toks.iter().rposition(|t| t.end <= m.start);
                before.is_some_and(|b| self.is(b, Word::Location))
            }
        })?;
        Some(EventActor {
            text: m.text.clone(),
            span: [m.start, m.end],
            mention: Some([m.start, m.end]),
            country: self.country_of(m),
            sector: None,
        })
    }

    fn country_of(&self, m: &Mention) -> Option<String> {
        if let Some(c) = &m.role_country {
            return Some(c.clone());
        }
        let gaz = storyline_ner::gazetteer::shared();
        let key = storyline_ner::gazetteer::phrase_key(&m.text);
        let places = gaz.places(&key);
        let country = places.iter().find_map(|p| match p {
            storyline_ner::gazetteer::Place::Country(code) => Some(String::from_utf8_lossy(code).into_owned()),
            _ => None,
        });
        // A capital stands for its state ("Ankara a demandé").
        country.or_else(|| {
            places.iter().find_map(|p| match p {
                storyline_ner::gazetteer::Place::City(id) => capitals().get(&(*id as u64)).cloned(),
                _ => None,
            })
        })
    }

    fn actor(&self, p: Phrase) -> EventActor {
        let span = [self.toks[p.first].start, self.toks[p.last - 1].end];
        let gaz = storyline_ner::gazetteer::shared();
        let mut mention = self.mention_in(p);
        if mention.is_none() {
            if let Some(k) = (p.first..p.last).find(|&k| self.is_pronoun(k)) {
                mention = self.pronoun_antecedent(k);
            }
        }
        if mention.is_none() {
            // "Le ministre a proposé ...": the attribution finder resolved
            // this speaker's role to the person last named with it.
            mention = self
                .quotes
                .iter()
                .find(|q| q.speaker_span == Some(span))
                .and_then(|q| q.speaker_mention)
                .and_then(|[a, b]| self.mentions.iter().find(|m| m.start == a && m.end == b));
        }
        let mut country = mention.and_then(|m| self.country_of(m));
        if country.is_none() {
            country = (p.first..p.last).find_map(|k| gaz.demonym(&self.toks[k].folded));
        }
        let role_words: Vec<String> = mention
            .and_then(|m| m.role.as_deref())
            .map(|r| r.split_whitespace().map(fold).collect())
            .unwrap_or_default();
        let sector = (p.first..p.last)
            .rev()
            .find_map(|k| self.lex.actors.get(&self.toks[k].folded).cloned())
            .or_else(|| role_words.iter().find_map(|w| self.lex.actors.get(w).cloned()));
        EventActor {
            text: self.text_of(p.first, p.last),
            span,
            mention: mention.map(|m| [m.start, m.end]),
            country,
            sector,
        }
    }

    fn text_of(&self, first: usize, last: usize) -> String {
        self.chars[self.toks[first].start..self.toks[last - 1].end].iter().collect()
    }
}

/// Each capital's GeoNames id with its country (`capitals.tsv`, any language).
fn capitals() -> &'static rustc_hash::FxHashMap<u64, String> {
    static CAPITALS: std::sync::OnceLock<rustc_hash::FxHashMap<u64, String>> = std::sync::OnceLock::new();
    CAPITALS.get_or_init(|| {
        storyline_resources::languages()
            .into_iter()
            .flat_map(|lang| storyline_resources::rows(lang, "capitals.tsv"))
            .filter_map(|row| Some((row.get(1)?.parse().ok()?, row.first()?.clone())))
            .collect()
    })
}

/// An all-capital word of two letters or more ("ICE", "ELN"): a name.
fn is_acronym(text: &str) -> bool {
    text.chars().count() >= 2 && text.chars().all(|c| c.is_uppercase())
}

enum Governor {
    Intention,
    Denial,
}
