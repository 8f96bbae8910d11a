//! Incremental entity linking: a batch's mentions are linked against the
//! entities the store finds under their index keys, never against the
//! whole store. Existing entities keep their ids; a mention that joins one
//! adds its spelling to the entity's aliases.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use storyline_entities::{index_keys, link, ArticleMentions};
use storyline_model::{Entity, Mention};
use storyline_store::{PipelineStore, Result};

/// At most this many entities are read per index key: a very common
/// surname does not pull thousands of people into one batch.
const ENTITIES_PER_KEY: usize = 16;

/// One new article's mentions.
pub struct NewMentions<'a> {
    /// Article id.
    pub article: &'a str,
    /// Its language.
    pub lang: Option<&'a str>,
    /// Its mentions.
    pub mentions: &'a [Mention],
}

/// Links the batch's mentions and writes entities, keys and mention links.
/// Returns the entity id of every mention, per article.
pub fn link_batch(store: &mut impl PipelineStore, batch: &[NewMentions<'_>]) -> Result<Vec<Vec<String>>> {
    let keys: Vec<Vec<Vec<String>>> =
        batch.iter().map(|a| a.mentions.iter().map(|m| index_keys(&m.text, m.kind)).collect()).collect();
    let wanted: BTreeSet<String> = keys.iter().flatten().flatten().cloned().collect();
    let known = store.entities_by_keys(&wanted.into_iter().collect::<Vec<_>>(), ENTITIES_PER_KEY)?;

    // Each known entity enters the linker as a pseudo-article of its name
    // and aliases, ahead of the batch's articles.
    let mut input: Vec<ArticleMentions> = known
        .iter()
        .map(|e| ArticleMentions {
            article: e.id.clone(),
            lang: None,
            mentions: std::iter::once(&e.name)
                .chain(&e.aliases)
                .map(|form| Mention {
                    start: 0,
                    end: form.chars().count(),
                    text: form.clone(),
                    kind: e.kind,
                    role: None,
                    role_country: None,
                })
                .collect(),
        })
        .collect();
    input.extend(batch.iter().map(|a| ArticleMentions {
        article: a.article.to_string(),
        lang: a.lang.map(str::to_string),
        mentions: a.mentions.to_vec(),
    }));
    let linked = link(&input);

    // The known entity each linked group belongs to (the smallest id when a
    // group reaches several: ids stay stable, known entities are not merged).
    let mut known_of_group: HashMap<usize, usize> = HashMap::new();
    for (k, e) in known.iter().enumerate() {
        for &group in &linked.assignment[k] {
            let slot = known_of_group.entry(group).or_insert(k);
            if known[*slot].id > e.id {
                *slot = k;
            }
        }
    }
    let mut updated: BTreeMap<String, Entity> = BTreeMap::new();
    let mut new_keys: Vec<(String, String)> = Vec::new();
    let mut links: Vec<storyline_store::MentionLink> = Vec::new();
    let mut ids: Vec<Vec<String>> = Vec::with_capacity(batch.len());
    for (a, article) in batch.iter().enumerate() {
        let groups = &linked.assignment[known.len() + a];
        let mut article_ids = Vec::with_capacity(groups.len());
        for (m, &group) in groups.iter().enumerate() {
            let mention = &article.mentions[m];
            let entity = updated.entry(match known_of_group.get(&group) {
                Some(&k) => known[k].id.clone(),
                None => linked.entities[group].id.clone(),
            });
            let entity = entity.or_insert_with(|| match known_of_group.get(&group) {
                Some(&k) => known[k].clone(),
                None => Entity { aliases: Vec::new(), roles: Vec::new(), ..linked.entities[group].clone() },
            });
            if mention.text != entity.name && !entity.aliases.contains(&mention.text) {
                entity.aliases.push(mention.text.clone());
                entity.aliases.sort();
            }
            if let Some(role) = &mention.role {
                if !entity.roles.contains(role) {
                    entity.roles.push(role.clone());
                }
            }
            for key in &keys[a][m] {
                new_keys.push((key.clone(), entity.id.clone()));
            }
            links.push((article.article.to_string(), mention.start, mention.end, entity.id.clone()));
            article_ids.push(entity.id.clone());
        }
        ids.push(article_ids);
    }
    new_keys.sort();
    new_keys.dedup();
    store.put_entities(&updated.into_values().collect::<Vec<_>>(), &new_keys)?;
    store.link_mentions(&links)?;
    Ok(ids)
}
