use storyline_model::{ContentKind, RawDocument, SourceHints};

use super::*;

/// A scraped French page written for these tests: skip link, section label,
/// title, caption printed twice, reading time, ad slot, byline, intertitle,
/// teaser, account widget, a lede printed again at the end.
const SCRAPED_FR: &str = "Aller au contenu principal
ÉCONOMIE

Grève à la raffinerie de Donges : le préfet réunit les syndicats lundi

Des salariés devant le site de Donges, mardi.
Des salariés devant le site de Donges, mardi. © Jean Martin / OUEST PRESSE
4 min de lecture
Par Claire Dubois Suivre

Le préfet de Loire-Atlantique a convoqué les syndicats et la direction de la raffinerie de Donges lundi, après dix jours de grève qui menacent l'approvisionnement des stations-service de la région.

Publicité

Selon la direction, près de la moitié des stations du département manquaient d'au moins un carburant dimanche soir.

Un accord encore lointain

Les syndicats réclament une hausse des salaires de 7 % quand la direction propose 4 %, une offre jugée « insuffisante » par l'intersyndicale.

À lire aussi : Les prix à la pompe atteignent un record

NewsletterRecevez l'essentiel de l'actualité chaque matin

Se connecter

Mot de passe oublié

Le préfet de Loire-Atlantique a convoqué les syndicats et la direction de la raffinerie de Donges lundi, après dix jours de grève qui...
";

fn text_doc(text: &str) -> RawDocument {
    RawDocument {
        source: "test.txt".into(),
        external_id: None,
        kind: ContentKind::Text,
        bytes: text.as_bytes().to_vec(),
        hints: SourceHints::default(),
    }
}

#[test]
fn scraped_text_keeps_body_and_drops_furniture() {
    let out = Extractor::default().extract(&text_doc(SCRAPED_FR)).unwrap();
    assert_eq!(out.title.as_deref(), Some("Grève à la raffinerie de Donges : le préfet réunit les syndicats lundi"));
    assert_eq!(out.author.as_deref(), Some("Claire Dubois"));
    assert_eq!(out.lang.as_deref(), Some("fr"));
    let kept: Vec<&str> = out.text.split("\n\n").collect();
    assert_eq!(kept.len(), 4, "{kept:#?}");
    assert!(kept[0].starts_with("Le préfet de Loire-Atlantique"));
    assert_eq!(kept[2], "Un accord encore lointain");
    assert!(kept[3].starts_with("Les syndicats réclament"));
    for furniture in [
        "Publicité",
        "Aller au contenu",
        "© Jean",
        "min de lecture",
        "Newsletter",
        "Se connecter",
        "lire aussi",
        "qui...",
    ] {
        assert!(!out.text.contains(furniture), "{furniture} left in {}", out.text);
    }
}

#[test]
fn line_decisions_name_the_reason() {
    let cleaner = TextCleaner::new();
    let clean = cleaner.clean(SCRAPED_FR, Some("fr"), &BatchLines::default());
    let role = |prefix: &str| clean.lines.iter().find(|l| l.text.starts_with(prefix)).unwrap().role;
    assert_eq!(role("Aller au contenu"), LineRole::Interface);
    assert_eq!(role("Des salariés devant"), LineRole::Caption);
    assert_eq!(role("Par Claire"), LineRole::Byline);
    assert_eq!(role("À lire aussi"), LineRole::Teaser);
    assert_eq!(role("NewsletterRecevez"), LineRole::Debris);
    assert_eq!(role("ÉCONOMIE"), LineRole::OutsideBody);
    assert_eq!(clean.lines.last().unwrap().role, LineRole::Repeated);
}

#[test]
fn short_lines_shared_across_a_batch_are_site_furniture() {
    let a = "Espace abonnés Mon journal\n\nLe conseil municipal a voté mardi le budget de la ville pour l'année prochaine, en hausse de trois pour cent.";
    let b = "Espace abonnés Mon journal\n\nLes pompiers sont intervenus dans la nuit de samedi à dimanche pour un feu de forêt près du village.";
    let batch = BatchLines::from_texts([a, b]);
    let clean = TextCleaner::new().clean(a, Some("fr"), &batch);
    assert_eq!(clean.lines[0].role, LineRole::SiteFurniture);
    assert!(clean.text.starts_with("Le conseil municipal"));
}

#[test]
fn english_dateline_and_byline_are_recovered() {
    let text = "Skip to main content\nCity council approves new tram line\nBy Jane Porter\nPublished March 3, 2022\nThe city council approved on Tuesday a new tram line that will link the university to the central station by 2026.\nThe project, worth 400 million dollars, was opposed by two of the nine council members.\nShare this article\n";
    let out = Extractor::default().extract(&text_doc(text)).unwrap();
    assert_eq!(out.title.as_deref(), Some("City council approves new tram line"));
    assert_eq!(out.author.as_deref(), Some("Jane Porter"));
    assert_eq!(out.published.unwrap().to_string(), "2022-03-03");
    assert_eq!(out.published_source, Some(PublishedSource::Text));
    assert_eq!(out.lang.as_deref(), Some("en"));
    assert_eq!(out.text.split("\n\n").count(), 2);
}

#[test]
fn html_pages_give_title_date_and_body() {
    let html = r#"<!DOCTYPE html><html lang="en"><head><title>Flood warning issued | The Valley Post</title>
<meta property="og:title" content="Flood warning issued for the lower valley">
<meta property="article:published_time" content="2023-04-12T08:30:00Z">
<meta name="author" content="Sam Okafor">
</head><body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<div id="cookie">We use cookies. <button>Accept</button></div>
<article><h1>Flood warning issued for the lower valley</h1>
<p>The weather service issued a flood warning on Wednesday for towns along the lower valley, as the river rose above its spring level for the second time this month.</p>
<p>Residents of low-lying streets were asked to move cars and valuables to higher ground before nightfall, and two schools will stay closed on Thursday.</p>
<p>Officials said the river was expected to peak late on Thursday evening before slowly falling over the weekend.</p>
</article><aside><h3>Most read</h3><a href="/x">Local team wins cup</a></aside><footer>© 2023 The Valley Post</footer></body></html>"#;
    let doc = RawDocument { kind: ContentKind::Html, ..text_doc(html) };
    let out = Extractor::default().extract(&doc).unwrap();
    assert!(out.title.unwrap().starts_with("Flood warning issued"));
    assert_eq!(out.published.unwrap().to_string(), "2023-04-12");
    assert_eq!(out.published_source, Some(PublishedSource::Metadata));
    assert_eq!(out.lang.as_deref(), Some("en"));
    assert!(out.text.contains("river rose above its spring level"));
    assert!(!out.text.contains("cookies"));
    assert!(!out.text.contains("Local team wins cup"));
}

#[test]
fn a_short_page_takes_its_declared_language_unless_the_script_refutes_it() {
    let page = |lang: &str, body: &str| {
        let html = format!(
            "<html lang=\"{lang}\"><head><title>T</title></head><body><article><p>{body}</p></article></body></html>"
        );
        let doc = RawDocument { kind: ContentKind::Html, ..text_doc(&html) };
        Extractor::default().extract(&doc).unwrap().lang
    };
    // Too short for detection to be trusted: the declaration decides.
    assert_eq!(page("de", "Der Stadtrat tagt am Montag im alten Rathaus.").as_deref(), Some("de"));
    // A template's "en" on a Cyrillic page is no declaration.
    assert_ne!(page("en", "Городской совет соберётся в понедельник в старой ратуше.").as_deref(), Some("en"));
}

#[test]
fn bad_documents_are_errors_not_panics() {
    let ex = Extractor::default();
    assert_eq!(ex.extract(&text_doc("")).unwrap_err(), ExtractError::Empty);
    let binary = RawDocument { bytes: vec![0, 159, 146, 150, 0, 1, 2, 3], ..text_doc("") };
    assert_eq!(ex.extract(&binary).unwrap_err(), ExtractError::Binary);
    assert_eq!(ex.extract(&text_doc("Publicité\nSe connecter\n")).unwrap_err(), ExtractError::NoText);
    let html = RawDocument { kind: ContentKind::Html, ..text_doc("<html><body><nav>Menu</nav></body></html>") };
    assert_eq!(ex.extract(&html).unwrap_err(), ExtractError::NoText);
}

#[test]
fn producer_hints_override_what_is_found() {
    let mut doc = text_doc(
        "Le conseil municipal a voté mardi le budget de la ville pour l'année prochaine, en hausse de trois pour cent.",
    );
    doc.hints.title = Some("Budget voté".into());
    doc.hints.published = chrono::NaiveDate::from_ymd_opt(2021, 5, 6);
    doc.hints.lang = Some("fr-FR".into());
    let out = Extractor::default().extract(&doc).unwrap();
    assert_eq!(out.title.as_deref(), Some("Budget voté"));
    assert_eq!(out.published_source, Some(PublishedSource::Metadata));
    assert_eq!(out.lang.as_deref(), Some("fr"));
}

#[test]
fn a_headline_alone_and_prose_in_a_language_without_resources_are_kept() {
    let ex = Extractor::default();
    let brief = ex.extract(&text_doc("Les dockers du Havre entament une grève illimitée contre la réforme\n")).unwrap();
    assert!(brief.text.contains("grève illimitée"), "{brief:?}");
    // Invented Swedish prose: no resources for the language, the words stay.
    let swedish =
        "Hamnarbetarna i Göteborg strejkar\n\nHamnarbetarna i Göteborg lade ned arbetet på måndagen i protest mot \
        den nya lagen om hamnarnas styrning, som regeringen presenterade förra veckan.\n\nFacket säger att strejken \
        fortsätter tills regeringen drar tillbaka förslaget och inleder nya förhandlingar med arbetarna.\n";
    let out = ex.extract(&text_doc(swedish)).unwrap();
    assert!(out.text.contains("lade ned arbetet"), "{out:?}");
    assert!(out.text.contains("Facket säger"), "{out:?}");
    // Furniture alone is still no article.
    assert_eq!(ex.extract(&text_doc("Publicité\nSe connecter\n")).unwrap_err(), ExtractError::NoText);
}

#[test]
fn a_titled_headline_is_a_brief_and_an_untitled_scrap_is_refused() {
    let ex = Extractor::default();
    // A feed item whose only text is its headline, repeated as its summary.
    let mut doc = text_doc("Séisme au Chili");
    doc.hints.title = Some("Séisme au Chili".into());
    let out = ex.extract(&doc).expect("a titled headline is stored");
    assert_eq!(out.text, "Séisme au Chili");
    // The same words with no title from the producer read as a scrap of a page.
    assert_eq!(ex.extract(&text_doc("Séisme au Chili")).unwrap_err(), ExtractError::NoText);
    // A title too short to say anything is no brief either.
    let mut doc = text_doc("Live");
    doc.hints.title = Some("Live".into());
    assert_eq!(ex.extract(&doc).unwrap_err(), ExtractError::NoText);
}

#[test]
fn sentences_about_copyright_and_labelled_paragraphs_are_text_not_furniture() {
    let text = "Court rules on training data for language models\n\
Copyright 2024 Example Media. All rights reserved.\n\
The court said that copying books to train a model is not fair use when the copies replace the sale of the books, a ruling that publishers welcomed and that copyright lawyers expect to be appealed.\n\
Advertising: when a company signs up for an ads account, it can target readers by their topics and their location, and the platform says that the data it uses for this never leaves the country.\n\
Read more: Publishers sue over model training\n";
    let clean = TextCleaner::new().clean(text, Some("en"), &BatchLines::default());
    let role = |prefix: &str| clean.lines.iter().find(|l| l.text.starts_with(prefix)).unwrap().role;
    assert_eq!(role("Copyright 2024"), LineRole::Copyright);
    assert_eq!(role("Read more"), LineRole::Teaser);
    assert!(clean.text.contains("copyright lawyers expect"), "{}", clean.text);
    assert!(clean.text.contains("Advertising: when a company"), "{}", clean.text);
}
