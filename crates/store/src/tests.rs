use storyline_model::Extraction;

use super::*;

fn new_article(source: &str, text: &str) -> NewArticle {
    NewArticle {
        source: source.into(),
        external_id: None,
        extraction: Extraction {
            title: Some(format!("Title of {source}")),
            lang: Some("fr".into()),
            published: NaiveDate::from_ymd_opt(2021, 2, 3),
            published_source: Some(PublishedSource::Metadata),
            text: text.into(),
            ..Extraction::default()
        },
    }
}

/// The ids an insert gave, new or already stored.
fn ids_of(inserted: &[Inserted]) -> Vec<String> {
    inserted
        .iter()
        .map(|i| match i {
            Inserted::New(id) | Inserted::Duplicate(id) => id.clone(),
        })
        .collect()
}

#[test]
fn same_content_is_stored_once_and_every_source_is_kept() {
    let mut store = Store::in_memory().unwrap();
    let first = store
        .insert_batch(&[new_article("a.txt", "Un texte.  Deux phrases."), new_article("b.txt", "Autre chose.")])
        .unwrap();
    assert!(matches!(first[0], Inserted::New(_)));
    let again = store.insert_batch(&[new_article("c.txt", "un texte. deux   phrases.")]).unwrap();
    assert_eq!(again[0], Inserted::Duplicate(article_id("Un texte. Deux phrases.")));
    assert_eq!(store.article_count().unwrap(), 2);
    let id = article_id("Un texte. Deux phrases.");
    assert_eq!(store.sources_of(&id).unwrap(), vec!["a.txt", "c.txt"]);
    let article = store.article(&id[..6]).unwrap().unwrap();
    assert_eq!(article.source, "a.txt");
    assert_eq!(article.published_source, Some(PublishedSource::Metadata));
    assert_eq!(article.published_range, None);
}

#[test]
fn reopening_keeps_data_and_version() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    {
        let mut store = Store::open(&path).unwrap();
        store.insert_batch(&[new_article("a.txt", "Premier article du jour.")]).unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.article_count().unwrap(), 1);
    assert_eq!(store.schema_version().unwrap(), migrations::latest_version());
    assert_eq!(store.search("premier", 10).unwrap().len(), 1);
    assert!(store.stories().unwrap().is_empty());
}

#[test]
fn foreign_and_newer_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("other.db");
    rusqlite::Connection::open(&other).unwrap().execute_batch("CREATE TABLE t (x)").unwrap();
    assert!(matches!(Store::open(&other), Err(StoreError::Foreign(_))));

    let newer = dir.path().join("newer.db");
    drop(Store::open(&newer).unwrap());
    rusqlite::Connection::open(&newer).unwrap().pragma_update(None, "user_version", 99).unwrap();
    assert!(matches!(Store::open(&newer), Err(StoreError::TooNew { found: 99, .. })));

    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, "this is not a database at all, just some text that is long enough").unwrap();
    assert!(Store::open(&junk).is_err());
}

#[test]
fn a_failed_batch_leaves_nothing_half_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let mut store = Store::open(&path).unwrap();
    store.insert_batch(&[new_article("a.txt", "Premier.")]).unwrap();
    // A second connection holds the write lock: the batch fails as a whole.
    let blocker = rusqlite::Connection::open(&path).unwrap();
    blocker.execute_batch("BEGIN IMMEDIATE").unwrap();
    store.conn.busy_timeout(std::time::Duration::from_millis(10)).unwrap();
    assert!(store.insert_batch(&[new_article("b.txt", "Deuxième."), new_article("c.txt", "Troisième.")]).is_err());
    blocker.execute_batch("ROLLBACK").unwrap();
    assert_eq!(store.article_count().unwrap(), 1);
}

#[test]
fn fingerprints_are_found_before_and_after_their_merge_into_the_main_index() {
    use crate::pipeline::PipelineStore;
    let mut store = Store::in_memory().unwrap();
    let ids: Vec<String> = ["Un.", "Deux.", "Trois."]
        .iter()
        .flat_map(|t| ids_of(&store.insert_batch(&[new_article(t, t)]).unwrap()))
        .collect();
    store.put_fingerprints(&[(ids[0].clone(), vec![1, 2, 3]), (ids[1].clone(), vec![2, 3, 4])]).unwrap();
    let before = store.articles_by_fingerprints(&[2, 3, 4], 2, 10).unwrap();
    assert_eq!(before.len(), 2, "{before:?}");
    assert_eq!(before[0], (ids[1].clone(), 3));
    store.merge_fingerprints(6).unwrap();
    let recent: i64 = store.conn.query_row("SELECT COUNT(*) FROM fingerprints_recent", [], |r| r.get(0)).unwrap();
    assert_eq!(recent, 0);
    assert_eq!(store.articles_by_fingerprints(&[2, 3, 4], 2, 10).unwrap(), before);
    // New fingerprints beside merged ones are counted together; a pair
    // already merged is not indexed twice.
    store.put_fingerprints(&[(ids[2].clone(), vec![3, 4]), (ids[1].clone(), vec![2])]).unwrap();
    let after = store.articles_by_fingerprints(&[2, 3, 4], 2, 10).unwrap();
    assert_eq!(after, vec![(ids[1].clone(), 3), (ids[0].clone(), 2), (ids[2].clone(), 2)]);
}

#[test]
fn fingerprints_pass_through_the_middle_tier_into_the_main_index() {
    use crate::pipeline::PipelineStore;
    let mut store = Store::in_memory().unwrap();
    let ids: Vec<String> =
        ["Un.", "Deux."].iter().flat_map(|t| ids_of(&store.insert_batch(&[new_article(t, t)]).unwrap())).collect();
    store.put_fingerprints(&[(ids[0].clone(), vec![1, 2, 3]), (ids[1].clone(), vec![2, 3, 4])]).unwrap();
    let before = store.articles_by_fingerprints(&[2, 3, 4], 2, 10).unwrap();
    let count = |store: &Store, table: &str| -> i64 {
        store.conn.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0)).unwrap()
    };
    // A main index of 8 x 2^18 rows (articles that are not there: only the
    // sizes matter), so the middle tier keeps a merge below an eighth of it.
    let big = 8 * (1i64 << 18);
    store
        .conn
        .execute_batch(&format!(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {big})
             INSERT INTO fingerprints (hash, seq) SELECT 1000000 + i, 1000000 + i FROM n;
             INSERT OR REPLACE INTO store_facts (key, value) VALUES ('fingerprints_merged', {big});"
        ))
        .unwrap();
    store.merge_fingerprints(6).unwrap();
    assert_eq!((count(&store, "fingerprints_recent"), count(&store, "fingerprints_mid")), (0, 6));
    assert_eq!(count(&store, "fingerprints"), big, "the main index is not rewritten for a small merge");
    assert_eq!(store.articles_by_fingerprints(&[2, 3, 4], 2, 10).unwrap(), before);
    // A pair already in the middle tier is not indexed again.
    store.put_fingerprints(&[(ids[1].clone(), vec![2])]).unwrap();
    assert_eq!(count(&store, "fingerprints_recent"), 0);
    // Once the middle tier holds an eighth of the main index, it moves there whole.
    store
        .conn
        .execute_batch(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 262144)
             INSERT INTO fingerprints_recent (hash, seq) SELECT 5000000 + i, 5000000 + i FROM n;",
        )
        .unwrap();
    store.merge_fingerprints(262_144).unwrap();
    assert_eq!((count(&store, "fingerprints_recent"), count(&store, "fingerprints_mid")), (0, 0));
    assert_eq!(count(&store, "fingerprints"), big + 262_144 + 6);
    assert_eq!(store.articles_by_fingerprints(&[2, 3, 4], 2, 10).unwrap(), before);
}

#[test]
fn the_fingerprint_filter_never_hides_a_merged_fingerprint_even_when_another_process_merges() {
    use crate::pipeline::PipelineStore;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let mut first = Store::open(&path).unwrap();
    let texts = ["Un.", "Deux.", "Trois.", "Quatre."];
    let ids: Vec<String> =
        texts.iter().flat_map(|t| ids_of(&first.insert_batch(&[new_article(t, t)]).unwrap())).collect();
    // Ten fingerprints each, the next article sharing five with the one before.
    let prints = |k: u64| -> Vec<u64> { (k * 5..k * 5 + 10).map(|h| h * 2).collect() };
    let merge = |store: &mut Store| {
        let recent: i64 = store.conn.query_row("SELECT COUNT(*) FROM fingerprints_recent", [], |r| r.get(0)).unwrap();
        store.merge_fingerprints(recent).unwrap();
    };
    first.put_fingerprints(&[(ids[0].clone(), prints(0))]).unwrap();
    merge(&mut first);
    assert!(crate::filter::stored_version(&first.conn).unwrap().is_none(), "no filter before one is worth it");
    // Ten probes against a merged index: the filter is made from it, and
    // what the two share is still found.
    first.put_fingerprints(&[(ids[1].clone(), prints(1))]).unwrap();
    assert!(first.fingerprint_filter.is_some());
    assert_eq!(
        first.articles_by_fingerprints(&prints(1), 2, 10).unwrap(),
        vec![(ids[1].clone(), 10), (ids[0].clone(), 5)]
    );
    merge(&mut first);
    assert_eq!(crate::filter::stored_version(&first.conn).unwrap().map(|(_, epoch)| epoch), Some(2));
    assert_eq!(
        first.articles_by_fingerprints(&prints(1), 2, 10).unwrap(),
        vec![(ids[1].clone(), 10), (ids[0].clone(), 5)]
    );
    // Another connection merges the third article's: the first one's copy
    // of the filter is out of date and not used.
    let mut second = Store::open(&path).unwrap();
    second.put_fingerprints(&[(ids[2].clone(), prints(2))]).unwrap();
    merge(&mut second);
    assert_eq!(
        first.articles_by_fingerprints(&prints(2), 2, 10).unwrap(),
        vec![(ids[2].clone(), 10), (ids[1].clone(), 5)]
    );
    first.put_fingerprints(&[(ids[3].clone(), prints(3))]).unwrap();
    assert_eq!(
        first.articles_by_fingerprints(&prints(3), 2, 10).unwrap(),
        vec![(ids[3].clone(), 10), (ids[2].clone(), 5)]
    );
    // A full recluster drops the filter with the index.
    first.reset_derived().unwrap();
    assert!(crate::filter::stored_version(&first.conn).unwrap().is_none());
    assert!(first.articles_by_fingerprints(&prints(3), 1, 10).unwrap().is_empty());
}

#[test]
fn a_story_merged_away_is_not_found_through_its_postings() {
    use crate::pipeline::{PipelineStore, StoryChanges, StorySummary, StoryUpdate};
    let mut store = Store::in_memory().unwrap();
    let update = |id: &str| StoryUpdate {
        id: id.to_string(),
        title: None,
        members: Vec::new(),
        summary: StorySummary { id: id.to_string(), size: 1, start: None, end: None, vector: vec![(7, 1.0)] },
        terms: vec![7],
    };
    store.put_story_changes(&StoryChanges { updates: vec![update("a"), update("b")], merged: Vec::new() }).unwrap();
    store.put_story_changes(&StoryChanges { updates: vec![update("c")], merged: Vec::new() }).unwrap();
    assert_eq!(store.stories_by_feature(&[7], 2).unwrap(), vec![vec!["c".to_string(), "b".into()]]);
    // b merges into a: its posting stays in the index but is skipped, and
    // does not take one of the two places.
    store.put_story_changes(&StoryChanges { updates: vec![], merged: vec![("b".into(), "a".into())] }).unwrap();
    assert_eq!(store.stories_by_feature(&[7], 2).unwrap(), vec![vec!["c".to_string(), "a".into()]]);
    let pending: i64 = store.conn.query_row("SELECT COUNT(*) FROM story_terms_pending", [], |r| r.get(0)).unwrap();
    store.merge_story_terms(pending).unwrap();
    assert_eq!(store.stories_by_feature(&[7], 2).unwrap(), vec![vec!["c".to_string(), "a".into()]]);
}

#[test]
fn story_postings_rank_alike_before_and_after_their_merge_into_the_main_index() {
    use crate::pipeline::{PipelineStore, StoryChanges};
    let mut store = Store::in_memory().unwrap();
    // Batch 1: a, b, c post feature 7; batch 2: d posts it.
    put(&mut store, vec![update("a", &[7, 8]), update("b", &[7]), update("c", &[7])]);
    put(&mut store, vec![update("d", &[7])]);
    let before = store.stories_by_feature(&[7, 8, 9], 3).unwrap();
    assert_eq!(before, vec![vec!["d".to_string(), "c".into(), "b".into()], vec!["a".into()], vec![]]);
    let pending: i64 = store.conn.query_row("SELECT COUNT(*) FROM story_terms_pending", [], |r| r.get(0)).unwrap();
    store.merge_story_terms(pending).unwrap();
    let left: i64 = store.conn.query_row("SELECT COUNT(*) FROM story_terms_pending", [], |r| r.get(0)).unwrap();
    assert_eq!(left, 0);
    assert_eq!(store.stories_by_feature(&[7, 8, 9], 3).unwrap(), before);
    // Batch 3: a posts feature 7 again (pending) while its older posting is
    // merged: it comes first once, and the last of the three drops out.
    put(&mut store, vec![update("a", &[7])]);
    assert_eq!(store.stories_by_feature(&[7], 3).unwrap(), vec![vec!["a".to_string(), "d".into(), "c".into()]]);
    // A story merged away leaves both tables.
    store.put_story_changes(&StoryChanges { updates: Vec::new(), merged: vec![("a".into(), "d".into())] }).unwrap();
    assert_eq!(store.stories_by_feature(&[7], 3).unwrap(), vec![vec!["d".to_string(), "c".into(), "b".into()]]);
}

#[test]
fn the_entity_list_counts_mentions_through_linking_relinking_and_reset() {
    use crate::pipeline::PipelineStore;
    use storyline_model::{Entity, EntityType, Mention};
    let mut store = Store::in_memory().unwrap();
    let inserted = store
        .insert_batch(&[new_article("a.txt", "Ana Lopes et Rui Costa."), new_article("b.txt", "Ana Lopes.")])
        .unwrap();
    let ids = ids_of(&inserted);
    let mention = |start: usize, text: &str| Mention {
        start,
        end: start + text.chars().count(),
        text: text.into(),
        kind: EntityType::Per,
        role: None,
        role_country: None,
    };
    store
        .put_mentions(&[
            (ids[0].clone(), vec![mention(0, "Ana Lopes"), mention(13, "Rui Costa")]),
            (ids[1].clone(), vec![mention(0, "Ana Lopes")]),
        ])
        .unwrap();
    let entity = |id: &str, name: &str| Entity {
        id: id.into(),
        name: name.into(),
        kind: EntityType::Per,
        aliases: Vec::new(),
        roles: Vec::new(),
    };
    store.put_entities(&[entity("e1", "Ana Lopes"), entity("e2", "Rui Costa")], &[]).unwrap();
    let listed = |store: &Store| -> Vec<(String, usize)> {
        store.entity_page(None, None, 10, 0).unwrap().into_iter().map(|r| (r.entity.id, r.mentions)).collect()
    };
    assert!(listed(&store).is_empty(), "no mention linked yet");
    store.link_mentions(&[(ids[0].clone(), 0, 9, "e1".into()), (ids[0].clone(), 13, 22, "e2".into())]).unwrap();
    store.link_mentions(&[(ids[1].clone(), 0, 9, "e1".into())]).unwrap();
    assert_eq!(listed(&store), vec![("e1".to_string(), 2), ("e2".to_string(), 1)]);
    // A mention moved to another entity leaves one count for the other.
    store.link_mentions(&[(ids[1].clone(), 0, 9, "e2".into())]).unwrap();
    assert_eq!(listed(&store), vec![("e2".to_string(), 2), ("e1".to_string(), 1)]);
    // Replacing every entity counts afresh; a reset forgets them all.
    store.replace_entities(&[entity("e3", "Ana Lopes")], &[(ids[0].clone(), 0, 9, "e3".into())]).unwrap();
    assert_eq!(listed(&store), vec![("e3".to_string(), 1)]);
    store.reset_derived().unwrap();
    assert!(listed(&store).is_empty());
}

#[test]
fn a_mention_inside_another_at_the_same_start_is_kept_and_linked_apart() {
    use crate::pipeline::PipelineStore;
    use storyline_model::{EntityType, Mention};
    let mut store = Store::in_memory().unwrap();
    let ids = ids_of(&store.insert_batch(&[new_article("a.txt", "The US State Department replied.")]).unwrap());
    let mention = |start: usize, text: &str, kind: EntityType| Mention {
        start,
        end: start + text.chars().count(),
        text: text.into(),
        kind,
        role: None,
        role_country: None,
    };
    let found = vec![mention(4, "US State Department", EntityType::Org), mention(4, "US", EntityType::Loc)];
    store.put_mentions(&[(ids[0].clone(), found.clone())]).unwrap();
    // Storing the same mentions again (a re-run after a kill) changes nothing.
    store.put_mentions(&[(ids[0].clone(), found)]).unwrap();
    store.link_mentions(&[(ids[0].clone(), 4, 23, "org".into()), (ids[0].clone(), 4, 6, "us".into())]).unwrap();
    let stored: Vec<(String, Option<String>)> =
        store.mentions().unwrap().into_iter().flat_map(|(_, ms)| ms.into_iter().map(|(m, e)| (m.text, e))).collect();
    assert_eq!(
        stored,
        vec![("US State Department".to_string(), Some("org".to_string())), ("US".to_string(), Some("us".to_string()))]
    );
}

#[test]
fn a_story_lists_its_languages_in_the_order_of_their_first_article() {
    use crate::pipeline::{PipelineStore, StoryChanges, StorySummary, StoryUpdate};
    let mut store = Store::in_memory().unwrap();
    let mut english = new_article("b.txt", "An English text about the port strike.");
    english.extraction.lang = Some("en".into());
    let inserted = store.insert_batch(&[new_article("a.txt", "Un texte sur la grève du port."), english]).unwrap();
    let members = ids_of(&inserted);
    let summary = StorySummary { id: "s1".into(), size: 2, start: None, end: None, vector: vec![(1, 1.0)] };
    let update = StoryUpdate { id: "s1".into(), title: None, members, summary, terms: vec![1] };
    store.put_story_changes(&StoryChanges { updates: vec![update], merged: Vec::new() }).unwrap();
    let rows = store.story_page(&StoryFilter::default(), 10, 0).unwrap();
    assert_eq!(rows[0].langs, vec!["fr".to_string(), "en".to_string()]);
}

#[test]
fn light_reads_of_an_article_agree_with_the_whole_row() {
    use crate::pipeline::{OverlapChanges, PipelineStore};
    let mut store = Store::in_memory().unwrap();
    let inserted = store
        .insert_batch(&[new_article("a.txt", "Le premier texte du jour."), new_article("b.txt", "Un second texte.")])
        .unwrap();
    let ids = ids_of(&inserted);
    let changes = OverlapChanges { duplicates: vec![(ids[1].clone(), ids[0].clone())], passages: Vec::new() };
    store.put_overlaps(&changes).unwrap();
    for id in &ids {
        let whole = store.article(id).unwrap().unwrap();
        assert_eq!(store.duplicate_of(id).unwrap(), whole.duplicate_of, "{id}");
        assert_eq!(store.article_published(id).unwrap(), whole.published, "{id}");
    }
    assert_eq!(store.duplicate_of(&ids[1]).unwrap(), Some(ids[0].clone()));
    assert_eq!(store.article_published(&ids[0]).unwrap(), NaiveDate::from_ymd_opt(2021, 2, 3));
    assert_eq!(store.duplicate_of("no-such-article").unwrap(), None);
    assert_eq!(store.article_published("no-such-article").unwrap(), None);
}

#[test]
fn companions_are_counted_once_per_shared_article_most_first() {
    use crate::pipeline::PipelineStore;
    use storyline_model::{Entity, EntityType, Mention};
    let mut store = Store::in_memory().unwrap();
    let texts = ["Ana et Rui et Rui.", "Ana et Rui et Eva.", "Ana et Eva seule.", "Rui et Eva sans elle."];
    let inserted = store
        .insert_batch(&texts.iter().enumerate().map(|(i, t)| new_article(&format!("{i}.txt"), t)).collect::<Vec<_>>())
        .unwrap();
    let ids = ids_of(&inserted);
    let mention = |start: usize, text: &str| Mention {
        start,
        end: start + text.len(),
        text: text.into(),
        kind: EntityType::Per,
        role: None,
        role_country: None,
    };
    // (article, start, name): "Rui" twice in the first article counts once.
    let found = [(0, 0, "Ana"), (0, 7, "Rui"), (0, 14, "Rui"), (1, 0, "Ana"), (1, 7, "Rui"), (1, 14, "Eva")];
    let found = [&found[..], &[(2, 0, "Ana"), (2, 7, "Eva"), (3, 0, "Rui"), (3, 7, "Eva")]].concat();
    let mut by_article: Vec<(String, Vec<Mention>)> = ids.iter().map(|id| (id.clone(), Vec::new())).collect();
    for &(k, start, name) in &found {
        by_article[k].1.push(mention(start, name));
    }
    store.put_mentions(&by_article).unwrap();
    let entity = |name: &str| Entity {
        id: name.to_lowercase(),
        name: name.into(),
        kind: EntityType::Per,
        aliases: Vec::new(),
        roles: Vec::new(),
    };
    store.put_entities(&[entity("Ana"), entity("Rui"), entity("Eva")], &[]).unwrap();
    let links: Vec<(String, usize, usize, String)> =
        found.iter().map(|&(k, start, name)| (ids[k].clone(), start, start + 3, name.to_lowercase())).collect();
    store.link_mentions(&links).unwrap();
    let companions = |id: &str, limit: usize| -> Vec<(String, usize)> {
        store.cooccurring(id, limit).unwrap().into_iter().map(|(e, n)| (e.id, n)).collect()
    };
    assert_eq!(companions("ana", 10), vec![("eva".to_string(), 2), ("rui".to_string(), 2)]);
    assert_eq!(companions("rui", 10), vec![("ana".to_string(), 2), ("eva".to_string(), 2)]);
    assert_eq!(companions("ana", 1), vec![("eva".to_string(), 2)]);
}

#[test]
fn articles_left_unread_are_found_and_the_check_then_starts_after_the_last_one() {
    use crate::pipeline::PipelineStore;
    let mut store = Store::in_memory().unwrap();
    // As an older version left them: stored, never read for quotes or events.
    let old =
        ids_of(&store.insert_batch(&[new_article("a.txt", "Premier."), new_article("b.txt", "Second.")]).unwrap());
    assert_eq!(store.articles_without_quotes(10).unwrap(), old);
    assert_eq!(store.articles_without_events(10).unwrap(), old);
    let none: Vec<(String, Vec<storyline_model::Quote>)> = old.iter().map(|id| (id.clone(), Vec::new())).collect();
    store.put_quotes(&none).unwrap();
    assert!(store.articles_without_quotes(10).unwrap().is_empty());
    assert_eq!(store.fact(crate::pipeline::QUOTES_DONE_THROUGH).unwrap().as_deref(), Some("2"), "the watermark moved");
    // An article stored later without its marks is still found.
    let late = ids_of(&store.insert_batch(&[new_article("c.txt", "Troisième.")]).unwrap());
    assert_eq!(store.articles_without_quotes(10).unwrap(), late);
    assert_eq!(store.articles_without_events(10).unwrap().len(), 3, "events are marked apart");
}

#[test]
fn story_postings_pass_through_the_middle_tier_into_the_main_index() {
    use crate::pipeline::PipelineStore;
    let mut store = Store::in_memory().unwrap();
    let count = |store: &Store, table: &str| -> i64 {
        store.conn.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0)).unwrap()
    };
    let merge = |store: &mut Store| {
        let pending = count(store, "story_terms_pending");
        store.merge_story_terms(pending).unwrap();
    };
    // A main index of 8 x 2^16 postings (of stories that are not there:
    // only the sizes matter), so the middle tier keeps a small merge.
    let big = 8 * (1i64 << 16);
    store
        .conn
        .execute_batch(&format!(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {big})
             INSERT INTO story_terms (feature, story, batch) SELECT 1000000 + i, 'x' || i, 0 FROM n;
             INSERT OR REPLACE INTO store_facts (key, value) VALUES ('story_terms_merged', {big});"
        ))
        .unwrap();
    put(&mut store, vec![update("a", &[7, 8]), update("b", &[7]), update("c", &[7])]);
    let before = store.stories_by_feature(&[7, 8, 9], 3).unwrap();
    merge(&mut store);
    assert_eq!((count(&store, "story_terms_pending"), count(&store, "story_terms_mid")), (0, 4));
    assert_eq!(count(&store, "story_terms"), big, "the main index is not rewritten for a small merge");
    assert_eq!(store.stories_by_feature(&[7, 8, 9], 3).unwrap(), before);
    // A newer posting of a story in the middle tier ranks it first, once.
    put(&mut store, vec![update("d", &[7])]);
    put(&mut store, vec![update("a", &[7])]);
    assert_eq!(store.stories_by_feature(&[7], 3).unwrap(), vec![vec!["a".to_string(), "d".into(), "c".into()]]);
    let ranked = store.stories_by_feature(&[7, 8], 3).unwrap();
    // Once the middle tier holds an eighth of the main index, it moves there whole.
    store
        .conn
        .execute_batch(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 65536)
             INSERT INTO story_terms_pending (feature, story, batch) SELECT 5000000 + i, 'y' || i, 0 FROM n;",
        )
        .unwrap();
    merge(&mut store);
    assert_eq!((count(&store, "story_terms_pending"), count(&store, "story_terms_mid")), (0, 0));
    assert_eq!(count(&store, "story_terms"), big + 65_536 + 5);
    assert_eq!(store.stories_by_feature(&[7, 8], 3).unwrap(), ranked);
}

/// A story update posting `terms` (for the posting index tests).
fn update(id: &str, terms: &[u64]) -> crate::pipeline::StoryUpdate {
    crate::pipeline::StoryUpdate {
        id: id.to_string(),
        title: None,
        members: Vec::new(),
        summary: crate::pipeline::StorySummary {
            id: id.to_string(),
            size: 1,
            start: None,
            end: None,
            vector: vec![(1, 1.0)],
        },
        terms: terms.to_vec(),
    }
}

/// Writes one batch of story updates.
fn put(store: &mut Store, updates: Vec<crate::pipeline::StoryUpdate>) {
    use crate::pipeline::PipelineStore;
    store.put_story_changes(&crate::pipeline::StoryChanges { updates, merged: Vec::new() }).unwrap();
}
