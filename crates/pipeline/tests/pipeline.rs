//! The pipeline through an in-memory store: incremental linking keeps
//! entity ids, and one hostile document does not take its batch down.

use storyline_extract::HtmlOptions;
use storyline_model::{ContentKind, RawDocument, SourceHints};
use storyline_pipeline::Pipeline;
use storyline_store::Store;

fn text_doc(name: &str, text: &str, published: &str) -> RawDocument {
    RawDocument {
        source: name.into(),
        external_id: None,
        kind: ContentKind::Text,
        bytes: text.as_bytes().to_vec(),
        hints: SourceHints { published: published.parse().ok(), ..SourceHints::default() },
    }
}

fn entity_of(store: &Store, name: &str) -> String {
    let found: Vec<String> = store
        .entities()
        .unwrap()
        .into_iter()
        .filter(|(e, _, _)| e.name == name || e.aliases.iter().any(|a| a == name))
        .map(|(e, _, _)| e.id)
        .collect();
    assert_eq!(found.len(), 1, "{name}: {found:?}");
    found[0].clone()
}

#[test]
fn a_later_batch_joins_the_entities_and_the_story_already_stored() {
    let pipeline = Pipeline::new(HtmlOptions::default()).unwrap();
    let mut store = Store::in_memory().unwrap();
    let first = text_doc(
        "a.txt",
        "Le président ukrainien Volodymyr Zelensky est arrivé mardi à Varsovie pour une visite officielle. \
         Volodymyr Zelensky doit rencontrer les dirigeants polonais pour parler de l'aide militaire et des réfugiés.",
        "2023-04-04",
    );
    pipeline.ingest_batch(&mut store, vec![first]).unwrap();
    let person = entity_of(&store, "Volodymyr Zelensky");
    let city = entity_of(&store, "Warsaw");
    let story = store.stories().unwrap()[0].id.clone();

    let second = text_doc(
        "b.txt",
        "Ukrainian President Volodymyr Zelenski arrived in Warsaw on Tuesday for an official visit. \
         Zelenski is to meet Polish leaders to discuss military aid and refugees during the visit to Warsaw.",
        "2023-04-04",
    );
    let done = pipeline.ingest_batch(&mut store, vec![second]).unwrap();
    assert_eq!(done.stored, 1);
    assert_eq!(entity_of(&store, "Zelenski"), person, "the new spelling joins the stored person");
    assert_eq!(entity_of(&store, "Warsaw"), city);
    let stories = store.stories().unwrap();
    assert_eq!(stories.len(), 1, "{stories:?}");
    assert_eq!(stories[0].id, story, "the story keeps its id");
    assert_eq!(stories[0].articles.len(), 2);
}

#[test]
fn a_deeply_nested_page_is_contained_and_its_batch_is_stored() {
    let pipeline = Pipeline::new(HtmlOptions::default()).unwrap();
    let mut store = Store::in_memory().unwrap();
    let deep = format!(
        "<html><body>{}<p>Le conseil municipal a voté le budget de la commune après un long débat public.</p>{}</body></html>",
        "<div>".repeat(20_000),
        "</div>".repeat(20_000)
    );
    let docs = vec![
        RawDocument {
            source: "deep.html".into(),
            external_id: None,
            kind: ContentKind::Html,
            bytes: deep.into_bytes(),
            hints: SourceHints::default(),
        },
        text_doc(
            "ordinary.txt",
            "Le préfet a décidé jeudi la fermeture des plages de la côte pendant deux jours à cause de la tempête \
             annoncée pour le week-end, a indiqué la préfecture dans un communiqué.",
            "2024-01-11",
        ),
    ];
    let done = pipeline.ingest_batch(&mut store, docs).unwrap();
    assert!(done.stored >= 1, "{done:?}");
    assert_eq!(done.stored + done.failed.len(), 2, "the deep page is stored or named: {done:?}");
    assert!(done.failed.iter().all(|f| f.source == "deep.html"), "{done:?}");
}

#[test]
fn events_of_two_sources_become_one_fact_and_their_figures_agree() {
    let pipeline = Pipeline::new(HtmlOptions::default()).unwrap();
    let mut store = Store::in_memory().unwrap();
    // Two invented reports of one act, each with its own wording and number format.
    let a = text_doc(
        "a.txt",
        "Le Premier ministre géorgien a demandé lundi à la Turquie une aide militaire après des combats à la frontière. \
         Les affrontements ont fait plus de 1 250 morts selon les autorités géorgiennes.\n\n\
         La guerre des années 1990 avait fait 30 000 morts dans la région.",
        "2024-03-05",
    );
    let b = text_doc(
        "b.txt",
        "La Géorgie a demandé lundi à la Turquie une aide militaire, a annoncé le gouvernement géorgien à Tbilissi. \
         Le bilan des combats dépasse 1.250 morts.\n\n\
         Le conflit des années 1990 avait fait 30.000 morts, rappellent les historiens.",
        "2024-03-05",
    );
    pipeline.ingest_batch(&mut store, vec![a, b]).unwrap();
    let events = store.events(None).unwrap();
    assert!(events.iter().filter(|e| e.event.kind == "REQUEST").count() >= 2, "{events:#?}");
    let stories = store.stories().unwrap();
    assert_eq!(stories.len(), 1, "one story: {stories:?}");
    let facts = storyline_pipeline::facts::story_facts(&store, &stories[0]).unwrap();
    let request = facts.iter().find(|f| f.fact.kind == "REQUEST").expect("a request fact");
    assert_eq!(request.fact.articles.len(), 2, "{facts:#?}");
    assert_eq!(request.fact.source, "state:GE");
    assert_eq!(request.fact.target, "state:TR");
    let figures = storyline_pipeline::facts::story_figures(&store, &stories[0]).unwrap();
    let dead: Vec<(u64, Option<&str>, usize)> =
        figures.iter().map(|g| (g.value, g.period.as_deref(), g.articles.len())).collect();
    assert!(dead.contains(&(1250, None, 2)) && dead.contains(&(30000, Some("1990s"), 2)), "{dead:?}");
}

#[test]
fn an_undated_article_borrows_its_story_date_but_not_before_the_days_it_reports() {
    let pipeline = Pipeline::new(HtmlOptions::default()).unwrap();
    let mut store = Store::in_memory().unwrap();
    let dated = text_doc(
        "dated.txt",
        "Le maire de Lille, Martine Aubry, a inauguré samedi la nouvelle ligne de tramway de la métropole lilloise. \
         La ligne de tramway relie la gare de Lille-Flandres au quartier de Villeneuve-d'Ascq en vingt minutes.",
        "2021-10-30",
    );
    let undated = text_doc(
        "undated.txt",
        "La nouvelle ligne de tramway de la métropole lilloise, inaugurée par Martine Aubry, a transporté ses premiers \
         voyageurs le 1er et le 2 novembre. La ligne de tramway relie la gare de Lille-Flandres à Villeneuve-d'Ascq.",
        "",
    );
    pipeline.ingest_batch(&mut store, vec![dated, undated]).unwrap();
    let stories = store.stories().unwrap();
    assert_eq!(stories.len(), 1, "{stories:?}");
    let articles = store.articles().unwrap();
    let undated = articles.iter().find(|a| a.source == "undated.txt").unwrap();
    // The story starts on 30 October; the article reports 2 November in the past.
    assert_eq!(undated.published.map(|d| d.to_string()).as_deref(), Some("2021-11-02"), "{undated:?}");
    let range = undated.published_range.unwrap();
    assert_eq!(range[0].map(|d| d.to_string()).as_deref(), Some("2021-11-02"));
}

#[test]
fn an_event_of_an_undated_copy_is_dated_by_its_sentence_against_the_borrowed_date() {
    let pipeline = Pipeline::new(HtmlOptions::default()).unwrap();
    let mut store = Store::in_memory().unwrap();
    // Invented: a dated report (Thursday 12 October 2023) and an undated
    // copy of it that adds an invitation for "lundi" (the next Monday).
    let body =
        "Les dockers du port de Saint-Nazaire ont entamé jeudi une grève illimitée contre la réforme portuaire. \
                Le trafic du port de Saint-Nazaire était paralysé jeudi par la grève des dockers.";
    let dated = text_doc("dated.txt", body, "2023-10-12");
    let copy = text_doc(
        "copy.txt",
        &format!("{body} La ministre des Transports, Claire Vasseur, a invité les syndicats à une réunion lundi."),
        "",
    );
    pipeline.ingest_batch(&mut store, vec![dated, copy]).unwrap();
    let mut events = store.events(None).unwrap();
    let invitation = events.iter().position(|e| e.event.kind == "REQUEST").expect("the invitation is coded");
    assert_eq!(events[invitation].event.date, None, "coded before the copy had a date");
    storyline_pipeline::facts::date_events(&store, &mut events).unwrap();
    assert_eq!(events[invitation].event.date.map(|d| d.to_string()).as_deref(), Some("2023-10-16"));
    assert_eq!(events[invitation].event.date_source.as_deref(), Some("sentence"));
}

#[test]
fn a_day_of_headlines_keeps_every_item_and_mixes_no_events_or_series() {
    // Invented headlines of one day: a templated weather series whose towns
    // and weekday also occur in real news, three events told three or two
    // times each, and single items that only share a year or a weekday.
    let mut headlines: Vec<(String, String)> = ["Rennes", "Brest", "Nantes", "Lorient", "Quimper", "Vannes", "Angers"]
        .iter()
        .map(|town| (format!("weather-{town}"), format!("Quel temps est prévu à {town} le vendredi 10 janvier 2020 ?")))
        .collect();
    let events = [
        ("handball-1", "Handball : Nantes bat Montpellier 31-28 et rejoint la finale de la Coupe de France"),
        ("handball-2", "Coupe de France de handball : Nantes s'impose face à Montpellier et file en finale"),
        ("handball-3", "Handball : Nantes domine Montpellier et ira en finale de la Coupe de France"),
        ("pensions-1", "Réforme des retraites : nouvelle journée de grève vendredi à Nantes et dans toute la France"),
        ("pensions-2", "Retraites : les syndicats appellent à une nouvelle journée de grève contre la réforme"),
        ("pensions-3", "Grève contre la réforme des retraites : les syndicats de nouveau dans la rue vendredi"),
        ("fire-1", "Incendie à Brest : un entrepôt du port détruit par les flammes dans la nuit"),
        ("fire-2", "Brest : un violent incendie détruit un entrepôt sur le port"),
        ("single-1", "Municipales 2020 : la liste d'union de la gauche présentée à Rennes"),
        ("single-2", "Soldes d'hiver 2020 : les dates à retenir dans l'Ouest"),
        ("single-3", "Bourse de Paris : le CAC 40 termine la semaine en hausse vendredi"),
    ];
    headlines.extend(events.iter().map(|(name, text)| (name.to_string(), text.to_string())));
    let pipeline = Pipeline::new(HtmlOptions::default()).unwrap();
    let mut store = Store::in_memory().unwrap();
    let batch: Vec<RawDocument> = headlines.iter().map(|(name, text)| text_doc(name, text, "2020-01-10")).collect();
    let done = pipeline.ingest_batch(&mut store, batch).unwrap();
    assert_eq!(done.stored, headlines.len(), "every headline is stored");
    assert_eq!(store.article_count().unwrap(), headlines.len() as u64);

    let mut groups: Vec<Vec<String>> = store
        .stories()
        .unwrap()
        .iter()
        .map(|story| {
            let mut names: Vec<String> = story.articles.iter().flat_map(|id| store.sources_of(id).unwrap()).collect();
            names.sort();
            names
        })
        .collect();
    groups.sort();
    let event = |name: &str| {
        name.rsplit_once('-').map_or(name.to_string(), |(kind, _)| {
            if kind == "weather" || kind == "single" {
                name.to_string()
            } else {
                kind.to_string()
            }
        })
    };
    for group in &groups {
        let kinds: std::collections::BTreeSet<String> = group.iter().map(|n| event(n)).collect();
        assert_eq!(kinds.len(), 1, "one story mixes events or a series item: {group:?} in {groups:?}");
    }
    for kind in ["handball", "pensions", "fire"] {
        let together = groups.iter().any(|g| g.iter().all(|n| n.starts_with(kind)) && g.len() > 1);
        assert!(together, "the {kind} headlines make a story of their own: {groups:?}");
    }
}

#[test]
fn a_story_the_batch_leaves_as_it_was_is_not_counted_as_changed() {
    let pipeline = Pipeline::new(HtmlOptions::default()).unwrap();
    let mut store = Store::in_memory().unwrap();
    let strike = "Les dockers du port du Havre ont cessé le travail jeudi contre la réforme portuaire. \
                  La grève des dockers bloque les terminaux du Havre, selon le syndicat.";
    let fire = "Un incendie a ravagé un entrepôt de meubles à Harfleur, près du Havre, dans la nuit de mardi. \
                Quarante pompiers ont combattu les flammes pendant six heures, aucun blessé n'est à déplorer.";
    let first = vec![text_doc("strike.txt", strike, "2023-10-12"), text_doc("fire.txt", fire, "2023-06-20")];
    let done = pipeline.ingest_batch(&mut store, first).unwrap();
    assert_eq!(done.stories_changed, 2, "two stories are opened: {:?} {done:?}", store.stories().unwrap());
    let fire_story = store.stories().unwrap().into_iter().find(|s| s.articles.len() == 1).map(|s| s.id);

    let more = "La grève des dockers du Havre contre la réforme portuaire continue vendredi. \
                Les terminaux du port du Havre restent bloqués par les dockers en grève.";
    let done = pipeline.ingest_batch(&mut store, vec![text_doc("strike-2.txt", more, "2023-10-13")]).unwrap();
    assert_eq!(done.stories_changed, 1, "only the strike story changes");
    let stories = store.stories().unwrap();
    assert_eq!(stories.len(), 2, "{stories:?}");
    assert!(stories.iter().any(|s| Some(&s.id) == fire_story.as_ref() && s.articles.len() == 1), "{stories:?}");
}

/// Invented articles, each naming its own city, the name at a place that
/// differs from one article to the next.
fn numbered_lines(count: usize) -> Vec<String> {
    const CITIES: [&str; 6] = ["Lyon", "Marseille", "Toulouse", "Bordeaux", "Nantes", "Strasbourg"];
    (0..count)
        .map(|i| {
            let padding = "Le conseil a siégé longtemps. ".repeat(i % 5);
            let text = format!(
                "{padding}La mairie de {} a voté le budget numéro {i} lundi soir après un long débat sur les écoles.",
                CITIES[i % CITIES.len()]
            );
            serde_json::json!({ "id": format!("n{i}"), "lang": "fr", "published": "2024-03-04", "text": text })
                .to_string()
        })
        .collect()
}

#[test]
fn batches_read_ahead_keep_each_article_with_its_own_mentions_and_count_duplicates_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut lines = numbered_lines(2 * storyline_pipeline::BATCH + 40);
    // Copies across the batch boundaries: of the first batch in the second,
    // of the second in the third.
    let (early, late) = (lines[5].replace("\"n5\"", "\"copy5\""), lines[300].replace("\"n300\"", "\"copy300\""));
    lines.insert(storyline_pipeline::BATCH + 3, early);
    lines.push(late);
    let file = dir.path().join("items.jsonl");
    std::fs::write(&file, lines.join("\n")).unwrap();

    let pipeline = Pipeline::new(HtmlOptions::default()).unwrap();
    let mut store = Store::in_memory().unwrap();
    let inputs = [file];
    let options = storyline_sources::SourceOptions::default();
    let first = pipeline.ingest_paths(&mut store, &inputs, &options, &mut storyline_pipeline::Silent).unwrap();
    let unique = 2 * storyline_pipeline::BATCH + 40;
    assert_eq!((first.documents, first.stored, first.duplicates), (unique + 2, unique, 2));
    assert_eq!(store.article_count().unwrap(), unique as u64);

    let texts: std::collections::HashMap<String, String> =
        store.articles().unwrap().into_iter().map(|a| (a.id, a.text)).collect();
    let mentions = store.mentions().unwrap();
    assert_eq!(mentions.len(), unique, "every article was read once");
    for (article, found) in &mentions {
        let text: Vec<char> = texts[article].chars().collect();
        assert!(!found.is_empty(), "{article}: no mention");
        for (m, _) in found {
            let written: String = text[m.start..m.end].iter().collect();
            assert!(written.contains(&m.text), "{article}: {:?} is not at {}..{}", m.text, m.start, m.end);
        }
    }

    let again = pipeline.ingest_paths(&mut store, &inputs, &options, &mut storyline_pipeline::Silent).unwrap();
    assert_eq!((again.stored, again.duplicates), (0, unique + 2));
    assert_eq!(store.article_count().unwrap(), unique as u64);
    assert_eq!(store.mentions().unwrap().len(), unique);
}
