//! Reading events for the commands and the server: a story's facts (events
//! of its articles that describe one act, with their independent sources),
//! its figures (counts confirmed or contradicted across sources), an
//! entity's timeline across stories, and the actor graph.

use std::collections::{BTreeMap, HashMap, HashSet};

use anyhow::Result;
use chrono::NaiveDate;
use storyline_events::{group_facts, group_figures, Fact, FactReport, FigureGroup, FigureReport};
use storyline_model::Story;
use storyline_store::{StoreRead, StoredEvent};

/// The PLOVER root types the coder uses, in PLOVER's order.
pub fn event_types() -> Vec<&'static str> {
    storyline_events::Root::ALL.iter().map(|r| r.as_str()).collect()
}

/// A fact of a story, ready to show.
#[derive(Debug, Clone)]
pub struct FactView {
    /// A stable identifier (story, act, stance and first date hashed).
    pub id: String,
    /// The story it belongs to.
    pub story: String,
    /// The grouped reports.
    pub fact: Fact,
    /// The source's canonical name, else its phrase.
    pub source_name: String,
    /// The target's canonical name, else its phrase.
    pub target_name: String,
    /// The source's entity id, when linked.
    pub source_entity: Option<String>,
    /// The target's entity id, when linked.
    pub target_entity: Option<String>,
    /// Every entity its reports name as source or target (a state fact's
    /// people too: the prime minister for the state).
    pub actors: Vec<String>,
}

impl FactView {
    /// Whether this entity acts or is acted upon in the fact.
    pub fn involves(&self, entity: &str) -> bool {
        self.source_entity.as_deref() == Some(entity)
            || self.target_entity.as_deref() == Some(entity)
            || self.actors.iter().any(|a| a == entity)
    }
}

/// Pairs of these articles that share passages or are near-duplicates:
/// wire copies of one another, one independent source.
pub fn wire_copies(store: &dyn StoreRead, articles: &[String]) -> Result<Vec<(String, String)>> {
    let members: HashSet<&str> = articles.iter().map(String::as_str).collect();
    let mut wire = Vec::new();
    for id in articles {
        for (other, _, _) in store.shared_passages_of(id)? {
            if members.contains(other.as_str()) {
                wire.push((id.clone(), other));
            }
        }
        if let Some(original) = store.duplicate_of(id)? {
            wire.push((id.clone(), original));
        }
    }
    Ok(wire)
}

/// The key that tells actors apart in facts. A state actor (a country, or
/// someone or something of its government: "le Premier ministre géorgien",
/// "Ankara") is its state, as event coders code them (CAMEO's country and
/// GOV sector), so "la Géorgie demande" and "le Premier ministre géorgien demande" are one act;
/// other actors are their entity, else their phrase.
fn actor_key(entity: &Option<String>, actor: &storyline_model::EventActor) -> String {
    let state = actor.country.as_ref().filter(|_| actor.sector.as_deref().is_none_or(|s| s == "GOV"));
    match (state, entity) {
        (Some(country), _) => format!("state:{country}"),
        (None, Some(id)) => id.clone(),
        (None, None) => format!("text:{}", storyline_nlp::fold::fold(&actor.text)),
    }
}

/// Dates the events coded without one (their article had no date when it
/// was read): the date expression of the event's sentence, resolved against
/// the date the article has now (its own, or the one it borrowed from its
/// story: "a invité les syndicats à une réunion lundi" in an undated wire
/// copy of a Thursday's story is the next Monday), else that date itself.
pub fn date_events(store: &dyn StoreRead, events: &mut [StoredEvent]) -> Result<()> {
    type Dated = (Option<NaiveDate>, Vec<storyline_nlp::time::TimeExpression>);
    let mut dated: HashMap<String, Dated> = HashMap::new();
    for e in events.iter_mut().filter(|e| e.event.date.is_none()) {
        if !dated.contains_key(&e.article) {
            let date = store.article_published(&e.article)?;
            let times = match date {
                Some(d) => store
                    .article(&e.article)?
                    .map(|a| storyline_nlp::time::find_time_expressions(&a.text, d))
                    .unwrap_or_default(),
                None => Vec::new(),
            };
            dated.insert(e.article.clone(), (date, times));
        }
        let (date, times) = &dated[&e.article];
        match times.iter().find(|t| t.start >= e.event.start && t.end <= e.event.end) {
            Some(t) => {
                e.event.date = Some(t.value);
                e.event.date_source = Some("sentence".into());
            }
            None if date.is_some() => {
                e.event.date = *date;
                e.event.date_source = Some("article".into());
            }
            None => {}
        }
    }
    Ok(())
}

/// The facts of one story, in date order.
pub fn story_facts(store: &dyn StoreRead, story: &Story) -> Result<Vec<FactView>> {
    let events = store.events(Some(&story.articles))?;
    facts_of(store, story, events)
}

fn facts_of(store: &dyn StoreRead, story: &Story, events: Vec<StoredEvent>) -> Result<Vec<FactView>> {
    // Most stories have no event: nothing below is worth reading for them.
    if events.is_empty() {
        return Ok(Vec::new());
    }
    // Attributions are read only for the articles whose events cite one.
    let mut cited: Vec<String> =
        events.iter().filter(|e| e.event.attribution.is_some()).map(|e| e.article.clone()).collect();
    cited.dedup();
    let quotes = if cited.is_empty() { Vec::new() } else { store.quotes(Some(&cited))? };
    let mut quotes_of: HashMap<&str, Vec<&storyline_store::StoredQuote>> = HashMap::new();
    for q in &quotes {
        quotes_of.entry(q.article.as_str()).or_default().push(q);
    }
    // A person's country from the roles its entity carries anywhere in the
    // store ("président russe"), when this mention gives none.
    let mut role_country: HashMap<String, Option<String>> = HashMap::new();
    let gazetteer = storyline_ner::gazetteer::shared();
    let mut country_of_entity = |id: &str| -> Result<Option<String>> {
        if let Some(c) = role_country.get(id) {
            return Ok(c.clone());
        }
        let country = match store.entity_by_prefix(id)? {
            storyline_store::Lookup::Found(entity) => entity.roles.iter().find_map(|role| {
                role.split_whitespace().find_map(|w| gazetteer.demonym(&storyline_nlp::fold::fold(w)))
            }),
            _ => None,
        };
        role_country.insert(id.to_string(), country.clone());
        Ok(country)
    };
    let mut events = events;
    date_events(store, &mut events)?;
    for e in &mut events {
        for (actor, entity) in [(&mut e.event.source, &e.source), (&mut e.event.target, &e.target)] {
            if actor.country.is_none() {
                if let Some(id) = entity {
                    actor.country = country_of_entity(id)?;
                    if actor.country.is_some() && actor.sector.is_none() {
                        actor.sector = Some("GOV".into());
                    }
                }
            }
        }
    }
    let reports: Vec<FactReport> = events
        .iter()
        .map(|e| {
            // The origin a reported event cites: its attribution's speaker.
            let origin = e.event.attribution.and_then(|i| {
                let q = quotes_of.get(e.article.as_str())?.get(i)?;
                q.speaker
                    .clone()
                    .or_else(|| q.quote.speaker_text.as_ref().map(|t| format!("text:{}", t.to_lowercase())))
            });
            FactReport {
                article: e.article.clone(),
                index: e.index,
                event: e.event.clone(),
                source: actor_key(&e.source, &e.event.source),
                target: actor_key(&e.target, &e.event.target),
                origin,
            }
        })
        .collect();
    let wire = wire_copies(store, &story.articles)?;
    let facts = group_facts(reports, &wire);
    // A state key stands for its country's entity, when the store has one.
    let mut state_entity: HashMap<String, Option<String>> = HashMap::new();
    for key in facts.iter().flat_map(|f| [&f.source, &f.target]) {
        if let Some(code) = key.strip_prefix("state:") {
            if !state_entity.contains_key(key) {
                let found = storyline_store::PipelineStore::entities_by_keys(store, &[format!("g:iso:{code}")], 1)?;
                state_entity.insert(key.clone(), found.into_iter().next().map(|e| e.id));
            }
        }
    }
    let entity = |key: &str| -> Option<String> {
        match key.strip_prefix("state:") {
            Some(_) => state_entity.get(key).cloned().flatten(),
            None => (!key.starts_with("text:")).then(|| key.to_string()),
        }
    };
    let stored_of = |r: &FactReport| events.iter().find(|e| e.article == r.article && e.index == r.index);
    let mut ids: Vec<String> = Vec::new();
    for f in &facts {
        ids.extend([entity(&f.source), entity(&f.target)].into_iter().flatten());
        for r in &f.reports {
            if let Some(e) = stored_of(r) {
                ids.extend([e.source.clone(), e.target.clone()].into_iter().flatten());
            }
        }
    }
    ids.sort();
    ids.dedup();
    let names: HashMap<String, String> =
        store.entity_names(&ids)?.into_iter().map(|(id, name, _)| (id, name)).collect();
    // The name shown: the entity's; for a state, the country's with the
    // actor as first reported ("Georgia (le Premier ministre géorgien)").
    let name_of = |key: &str, fact: &Fact, source: bool| -> String {
        let r = &fact.reports[0];
        let actor_entity = stored_of(r).and_then(|e| if source { e.source.clone() } else { e.target.clone() });
        let written = if source { &r.event.source.text } else { &r.event.target.text };
        let actor = actor_entity.and_then(|id| names.get(&id).cloned()).unwrap_or_else(|| written.clone());
        match entity(key).and_then(|id| names.get(&id).cloned()) {
            Some(name) if key.starts_with("state:") && name != actor => format!("{name} ({actor})"),
            Some(name) => name,
            None => actor,
        }
    };
    Ok(facts
        .into_iter()
        .map(|fact| {
            let date = fact.date.map(|d| d.to_string()).unwrap_or_default();
            let key = format!("{}|{}|{}|{}|{}|{}", story.id, fact.kind, fact.source, fact.target, fact.stance, date);
            let mut actors: Vec<String> = fact
                .reports
                .iter()
                .filter_map(stored_of)
                .flat_map(|e| [e.source.clone(), e.target.clone()])
                .flatten()
                .collect();
            actors.sort();
            actors.dedup();
            FactView {
                actors,
                id: storyline_store::article_id(&key),
                story: story.id.clone(),
                source_name: name_of(&fact.source, &fact, true),
                target_name: name_of(&fact.target, &fact, false),
                source_entity: entity(&fact.source),
                target_entity: entity(&fact.target),
                fact,
            }
        })
        .collect())
}

/// The figures of one story: one group per quantity, period and value,
/// with the articles that give it and the groups it contradicts.
pub fn story_figures(store: &dyn StoreRead, story: &Story) -> Result<Vec<FigureGroup>> {
    let reports = store
        .figures(Some(&story.articles))?
        .into_iter()
        .map(|(article, figure)| FigureReport { article, figure })
        .collect();
    Ok(group_figures(reports))
}

/// The facts of every story where one of these entities acts or is acted
/// upon, in date order (undated last).
pub fn entity_facts(store: &dyn StoreRead, entities: &[String]) -> Result<Vec<FactView>> {
    let wanted: HashSet<&str> = entities.iter().map(String::as_str).collect();
    let mut out = Vec::new();
    // Only the stories the entities are mentioned in can hold their facts.
    let mut seen = HashSet::new();
    for entity in entities {
        for id in store.entity_story_ids(entity)? {
            if !seen.insert(id.clone()) {
                continue;
            }
            let storyline_store::Lookup::Found(story) = store.story_by_prefix(&id)? else { continue };
            let facts = story_facts(store, &story)?;
            out.extend(facts.into_iter().filter(|f| wanted.iter().any(|e| f.involves(e))));
        }
    }
    out.sort_by_key(|f| (f.fact.date.is_none(), f.fact.date));
    Ok(out)
}

/// An entity's facts in these stories (its most recent ones, on a page that
/// has listed them), in date order: the bounded form of [`entity_facts`].
pub fn entity_facts_in(store: &dyn StoreRead, entity: &str, stories: &[String]) -> Result<Vec<FactView>> {
    let mut out = Vec::new();
    for id in stories {
        let storyline_store::Lookup::Found(story) = store.story_by_prefix(id)? else { continue };
        out.extend(story_facts(store, &story)?.into_iter().filter(|f| f.involves(entity)));
    }
    out.sort_by_key(|f| (f.fact.date.is_none(), f.fact.date));
    Ok(out)
}

/// A pair of actors and the events between them.
#[derive(Debug, Clone, Default)]
pub struct GraphEdge {
    /// The source's entity id (or phrase key).
    pub source: String,
    /// Its canonical name.
    pub source_name: String,
    /// The target's entity id (or phrase key).
    pub target: String,
    /// Its canonical name.
    pub target_name: String,
    /// Facts by PLOVER root type.
    pub types: BTreeMap<String, usize>,
    /// Facts in all.
    pub facts: usize,
    /// The first and last dates.
    pub first: Option<NaiveDate>,
    /// The last date.
    pub last: Option<NaiveDate>,
}

/// The actor graph over every story's facts (pairs of linked entities),
/// or only the edges touching these entities.
pub fn actor_graph(store: &dyn StoreRead, entities: Option<&[String]>) -> Result<Vec<GraphEdge>> {
    let wanted: Option<HashSet<&str>> = entities.map(|e| e.iter().map(String::as_str).collect());
    let mut edges: BTreeMap<(String, String), GraphEdge> = BTreeMap::new();
    for story in store.stories()? {
        for f in story_facts(store, &story)? {
            let (Some(s), Some(t)) = (&f.source_entity, &f.target_entity) else { continue };
            if wanted.as_ref().is_some_and(|w| !w.contains(s.as_str()) && !w.contains(t.as_str())) {
                continue;
            }
            let edge = edges.entry((s.clone(), t.clone())).or_insert_with(|| GraphEdge {
                source: s.clone(),
                source_name: f.source_name.clone(),
                target: t.clone(),
                target_name: f.target_name.clone(),
                ..GraphEdge::default()
            });
            *edge.types.entry(f.fact.kind.clone()).or_default() += 1;
            edge.facts += 1;
            if let Some(d) = f.fact.date {
                edge.first = Some(edge.first.map_or(d, |x| x.min(d)));
                edge.last = Some(edge.last.map_or(d, |x| x.max(d)));
            }
        }
    }
    let mut out: Vec<GraphEdge> = edges.into_values().collect();
    out.sort_by_key(|e| std::cmp::Reverse(e.facts));
    Ok(out)
}
