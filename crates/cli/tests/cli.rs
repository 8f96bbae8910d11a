//! End-to-end tests of the `storyline` binary on the example corpus and on
//! bad inputs written here.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn storyline(db: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_storyline"));
    cmd.arg("--db").arg(db).env_remove("STORYLINE_DB");
    cmd
}

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/corpus")
}

fn text(output: &Output) -> (String, String) {
    (String::from_utf8_lossy(&output.stdout).into_owned(), String::from_utf8_lossy(&output.stderr).into_owned())
}

fn export_json(db: &Path) -> serde_json::Value {
    let out = storyline(db).args(["export", "--format", "json"]).output().unwrap();
    assert!(out.status.success(), "{}", text(&out).1);
    serde_json::from_slice(&out.stdout).expect("export is JSON")
}

#[test]
fn example_corpus_ingests_once_and_exports_the_contract() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let out = storyline(&db).arg("ingest").arg(corpus()).output().unwrap();
    let (_, err) = text(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("13 stored, 0 already stored (skipped), 0 failed"), "{err}");

    let again = storyline(&db).arg("ingest").arg(corpus()).output().unwrap();
    assert!(text(&again).1.contains("0 stored, 13 already stored (skipped), 0 failed"), "{}", text(&again).1);

    let export = export_json(&db);
    let articles = export["articles"].as_array().unwrap();
    assert_eq!(articles.len(), 13);
    assert!(export["stories"].is_array() && export["entities"].is_array());
    for a in articles {
        for key in [
            "id",
            "source",
            "external_id",
            "title",
            "lang",
            "published",
            "published_source",
            "published_range",
            "author",
            "text",
            "story",
            "duplicate_of",
        ] {
            assert!(a.get(key).is_some(), "article lacks {key}: {a}");
        }
        assert!(!a["text"].as_str().unwrap().is_empty());
        assert!(["fr", "en"].contains(&a["lang"].as_str().unwrap()), "{a}");
    }
    let by_external = |id: &str| articles.iter().find(|a| a["external_id"] == id).unwrap();
    assert_eq!(by_external("feed-001")["published"], "2024-06-18");
    assert_eq!(by_external("feed-001")["published_source"], "metadata");
    let html =
        articles.iter().find(|a| a["source"].as_str().unwrap().ends_with("01-quotidien-port-greve.html")).unwrap();
    assert_eq!(html["published"], "2023-10-12");
    assert!(!html["text"].as_str().unwrap().contains("cookies"));
    let scraped =
        articles.iter().find(|a| a["source"].as_str().unwrap().ends_with("02-courrier-normand-depeche.txt")).unwrap();
    assert_eq!(scraped["title"], "Grève des dockers au Havre : le trafic du port paralysé");
    for furniture in ["Publicité", "Aller au contenu", "Se connecter", "Newsletter", "min de lecture"] {
        assert!(!scraped["text"].as_str().unwrap().contains(furniture), "{furniture}");
    }

    // Date expressions come with character spans into the article text and a resolved day.
    let times = export["times"].as_array().unwrap();
    let html_times: Vec<&serde_json::Value> = times.iter().filter(|t| t["article"] == html["id"]).collect();
    let thursday = html_times.iter().find(|t| t["text"] == "jeudi").expect("jeudi found");
    assert_eq!(thursday["value"], "2023-10-12");
    let chars: Vec<char> = html["text"].as_str().unwrap().chars().collect();
    let (start, end) = (thursday["start"].as_u64().unwrap() as usize, thursday["end"].as_u64().unwrap() as usize);
    assert_eq!(chars[start..end].iter().collect::<String>(), "jeudi");

    let jsonl = storyline(&db).args(["export", "--format", "jsonl"]).output().unwrap();
    let lines: Vec<serde_json::Value> =
        String::from_utf8(jsonl.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.iter().filter(|l| l["type"] == "article").count(), 13);

    let csv = storyline(&db).args(["export", "--format", "csv"]).output().unwrap();
    let csv = String::from_utf8(csv.stdout).unwrap();
    assert!(csv.starts_with("id,source,external_id,title"));

    let listing = storyline(&db).arg("articles").output().unwrap();
    assert_eq!(text(&listing).0.lines().count(), 14);
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

#[test]
fn bad_files_are_named_and_the_batch_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    let good = "Le conseil municipal de Brest a voté mardi soir la création de trois nouvelles lignes de bus, qui desserviront les quartiers nord à partir de septembre.";
    std::fs::write(input.join("good.txt"), good).unwrap();
    std::fs::write(
        input.join("latin1.txt"),
        b"Le pr\xe9fet a d\xe9cid\xe9 jeudi la fermeture des plages de la c\xf4te pendant deux jours \xe0 cause de la temp\xeate annonc\xe9e pour le week-end.",
    )
    .unwrap();
    std::fs::write(input.join("junk.html"), (0..5000u32).map(|i| (i * 7919 % 256) as u8).collect::<Vec<u8>>()).unwrap();
    std::fs::write(input.join("empty.txt"), b"").unwrap();
    let gz = gzip(good.repeat(20).as_bytes());
    std::fs::write(input.join("cut.txt.gz"), &gz[..gz.len() / 2]).unwrap();
    std::fs::write(
        input.join("broken.warc"),
        b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 9999\r\n\r\nHTTP/1.1 200 OK\r\n\r\n<html>",
    )
    .unwrap();
    std::fs::write(input.join("menu.html"), "<html><body><nav>Accueil Menu</nav></body></html>").unwrap();
    let huge = std::fs::File::create(input.join("huge.txt")).unwrap();
    huge.set_len(200 * 1024 * 1024).unwrap();

    let db = dir.path().join("s.db");
    let out = storyline(&db).arg("ingest").arg(&input).output().unwrap();
    let (_, err) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    for (file, reason) in [
        ("junk.html", "binary content"),
        ("empty.txt", "empty file"),
        ("cut.txt.gz", "truncated gzip"),
        ("broken.warc", "truncated WARC record"),
        ("menu.html", "no article text"),
        ("huge.txt", "larger than the 32 MB limit"),
    ] {
        assert!(
            err.lines().any(|l| l.starts_with("error:") && l.contains(file) && l.contains(reason)),
            "{file}: {err}"
        );
    }
    assert!(err.contains("2 stored"), "{err}");
    let export = export_json(&db);
    let texts: Vec<&str> = export["articles"].as_array().unwrap().iter().map(|a| a["text"].as_str().unwrap()).collect();
    assert!(texts.iter().any(|t| t.contains("préfet a décidé jeudi")), "windows-1252 decoded: {texts:?}");
}

#[test]
fn stdin_and_environment_store_work() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("env.db");
    let mut child = Command::new(env!("CARGO_BIN_EXE_storyline"))
        .args(["ingest", "-"])
        .env("STORYLINE_DB", &db)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(br#"{"id": "x1", "text": "The harbour authority said on Friday that the new ferry terminal would open in April after two years of works.", "published": "2022-01-07"}"#)
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", text(&out).1);
    let export = export_json(&db);
    assert_eq!(export["articles"][0]["external_id"], "x1");
    assert_eq!(export["articles"][0]["source"], "-:1");
}

#[test]
fn extract_prints_one_page_without_a_store() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("never-created.db");
    let out = storyline(&db).arg("extract").arg(corpus().join("04-harbour-times-strike.html")).output().unwrap();
    assert!(out.status.success(), "{}", text(&out).1);
    let page: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(page["title"], "French dockers strike at Le Havre over port reform");
    assert_eq!(page["published"], "2023-10-12");
    assert_eq!(page["lang"], "en");
    assert!(page["text"].as_str().unwrap().starts_with("Dockworkers at Le Havre"));
    assert!(!db.exists());

    let explained = storyline(&db)
        .args(["extract", "--explain"])
        .arg(corpus().join("03-gazette-seine-depeche.txt"))
        .output()
        .unwrap();
    let page: serde_json::Value = serde_json::from_slice(&explained.stdout).unwrap();
    let roles: Vec<&str> = page["lines"].as_array().unwrap().iter().map(|l| l["role"].as_str().unwrap()).collect();
    assert!(roles.contains(&"interface") && roles.contains(&"paragraph") && roles.contains(&"title"), "{roles:?}");
}

/// What a store holds, without what depends on the clock: articles with
/// their stories and near-duplicates, entities with their mentions.
fn store_content(db: &Path) -> (Vec<serde_json::Value>, Vec<serde_json::Value>, Vec<Vec<String>>) {
    let export = export_json(db);
    let mut articles = export["articles"].as_array().unwrap().clone();
    articles.sort_by_key(|a| a["id"].as_str().unwrap().to_string());
    let mut entities = export["entities"].as_array().unwrap().clone();
    entities.sort_by_key(|e| e["id"].as_str().unwrap().to_string());
    let mut stories: Vec<Vec<String>> = export["stories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["articles"].as_array().unwrap().iter().map(|a| a.as_str().unwrap().to_string()).collect())
        .collect();
    stories.sort();
    (articles, entities, stories)
}

#[test]
fn a_killed_ingest_leaves_a_valid_store_that_a_rerun_completes_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("many.jsonl");
    let mut lines = String::new();
    let towns = ["Brest", "Quimper", "Lorient", "Vannes", "Rennes", "Nantes", "Angers", "Laval"];
    for i in 0..1500 {
        let town = towns[i % towns.len()];
        lines.push_str(&format!(
            "{{\"id\": \"n{i}\", \"published\": \"2024-0{}-1{}\", \"text\": \"Report number {i}: the council of {town} met on Monday and approved a budget of {i} thousand euros for roads and schools, said Mayor Anne Kerbrat.\"}}\n",
            1 + i % 9,
            i % 10
        ));
    }
    std::fs::write(&input, lines).unwrap();
    let undisturbed = dir.path().join("undisturbed.db");
    assert!(storyline(&undisturbed).args(["ingest", "-q"]).arg(&input).output().unwrap().status.success());
    let expected = store_content(&undisturbed);
    assert_eq!(expected.0.len(), 1500);

    for (k, delay) in [60u64, 250, 700].into_iter().enumerate() {
        let db = dir.path().join(format!("killed-{k}.db"));
        let mut child = storyline(&db).args(["ingest", "-q"]).arg(&input).stderr(Stdio::null()).spawn().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay));
        let _ = child.kill(); // SIGKILL: no destructor, no rollback, runs.
        let _ = child.wait();
        // Whatever was committed is readable.
        let listing = storyline(&db).arg("articles").output().unwrap();
        assert!(listing.status.success(), "{}", text(&listing).1);
        let rerun = storyline(&db).args(["ingest", "-q"]).arg(&input).output().unwrap();
        assert!(rerun.status.success(), "{}", text(&rerun).1);
        assert_eq!(store_content(&db), expected, "killed after {delay} ms, then re-run");
    }
}

#[test]
fn eval_without_data_says_where_it_looked() {
    let dir = tempfile::tempdir().unwrap();
    let out = storyline(&dir.path().join("s.db"))
        .args(["eval", "extraction", "--data"])
        .arg(dir.path().join("nowhere"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).1.contains("scrapinghub-article-extraction-benchmark not found"), "{}", text(&out).1);
}

fn story_sets(db: &Path) -> Vec<(String, Vec<String>)> {
    let export = export_json(db);
    let sources: std::collections::HashMap<String, String> = export["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let source = a["source"].as_str().unwrap();
            let name =
                Path::new(source).file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or(source.to_string());
            (a["id"].as_str().unwrap().to_string(), name)
        })
        .collect();
    let mut stories: Vec<(String, Vec<String>)> = export["stories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let mut members: Vec<String> =
                s["articles"].as_array().unwrap().iter().map(|a| sources[a.as_str().unwrap()].clone()).collect();
            members.sort();
            (s["id"].as_str().unwrap().to_string(), members)
        })
        .collect();
    stories.sort();
    stories
}

#[test]
fn stories_group_one_event_and_do_not_depend_on_ingest_order() {
    let dir = tempfile::tempdir().unwrap();
    let batch = dir.path().join("batch.db");
    assert!(storyline(&batch).args(["ingest", "-q"]).arg(corpus()).output().unwrap().status.success());
    let stories = story_sets(&batch);
    let members: Vec<&Vec<String>> = stories.iter().map(|(_, m)| m).collect();
    let october = [
        "01-quotidien-port-greve.html",
        "02-courrier-normand-depeche.txt",
        "03-gazette-seine-depeche.txt",
        "04-harbour-times-strike.html",
    ];
    assert!(members.contains(&&october.iter().map(|s| s.to_string()).collect::<Vec<_>>()), "{stories:#?}");
    let march = ["05-quotidien-port-greve-mars.txt", "06-harbour-times-strike-march.html"];
    assert!(
        members.contains(&&march.iter().map(|s| s.to_string()).collect::<Vec<_>>()),
        "look-alike kept apart: {stories:#?}"
    );

    let one_by_one = dir.path().join("one.db");
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus()).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    files.reverse();
    for file in files {
        assert!(storyline(&one_by_one).args(["ingest", "-q"]).arg(file).output().unwrap().status.success());
    }
    // Ingest is incremental: story ids follow history, the partition does not.
    let partition = |sets: &[(String, Vec<String>)]| {
        let mut p: Vec<Vec<String>> = sets.iter().map(|(_, m)| m.clone()).collect();
        p.sort();
        p
    };
    assert_eq!(partition(&story_sets(&one_by_one)), partition(&stories));
    // A recluster from scratch gives the same partition and keeps the ids.
    let reclustered = storyline(&one_by_one).arg("recluster").output().unwrap();
    assert!(reclustered.status.success(), "{}", text(&reclustered).1);
    assert_eq!(partition(&story_sets(&one_by_one)), partition(&stories));
    let stats = storyline(&one_by_one).arg("stats").output().unwrap();
    let (out, _) = text(&stats);
    assert!(out.contains("articles         13") && !out.contains("last recluster   never"), "{out}");

    // The two outlets carrying the same dispatch share passages, whatever their number format.
    let export = export_json(&batch);
    let by_name = |name: &str| {
        export["articles"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["source"].as_str().unwrap().ends_with(name))
            .unwrap()
            .clone()
    };
    let courrier = by_name("02-courrier-normand-depeche.txt");
    let gazette = by_name("03-gazette-seine-depeche.txt");
    let passages = courrier["shared_passages"].as_array().unwrap();
    assert!(passages.iter().any(|p| p["article"] == gazette["id"]), "{passages:?}");
    assert!(passages.iter().any(|p| p["text"].as_str().unwrap().contains("Environ 1 200 salariés")), "{passages:?}");
    assert!(courrier["duplicate_of"].is_null() && gazette["duplicate_of"].is_null());

    let listing = storyline(&batch).arg("stories").output().unwrap();
    let (out, _) = text(&listing);
    assert!(out.lines().count() == stories.len() + 1, "{out}");
    let first_id = &stories[0].0;
    let shown = storyline(&batch).args(["show", &first_id[..6]]).output().unwrap();
    assert!(text(&shown).0.starts_with(&format!("story {first_id}")), "{}", text(&shown).0);
    let explained = storyline(&batch).args(["show", first_id, "--explain"]).output().unwrap();
    let (out, _) = text(&explained);
    assert!(out.contains("why together:") && out.contains("shared terms and names:"), "{out}");
    assert!(out.contains("closest article left out:"), "{out}");
}

#[test]
fn a_killed_recluster_leaves_the_store_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    assert!(storyline(&db).args(["ingest", "-q"]).arg(corpus()).output().unwrap().status.success());
    let before = store_content(&db);
    for delay in [5u64, 40, 150] {
        let mut child = storyline(&db).arg("recluster").stderr(Stdio::null()).spawn().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay));
        let _ = child.kill();
        let _ = child.wait();
        assert_eq!(store_content(&db).0.len(), 13, "articles intact after a kill at {delay} ms");
    }
    let rerun = storyline(&db).arg("recluster").output().unwrap();
    assert!(rerun.status.success(), "{}", text(&rerun).1);
    let after = store_content(&db);
    assert_eq!(after.2, before.2, "the same partition");
    assert_eq!(after.1.len(), before.1.len(), "the same number of entities");
}

/// Hostile inputs generated here (nothing large is committed), ingested in
/// one batch beside ordinary articles: the batch ends by itself, the
/// ordinary articles are stored, and each hostile file is stored or named
/// on an error line.
#[test]
fn hostile_files_never_take_the_batch_down() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    let ordinary = [
        "Le conseil municipal de Brest a voté mardi soir la création de trois nouvelles lignes de bus, qui desserviront les quartiers nord à partir de septembre.",
        "The harbour authority said on Friday that the new ferry terminal would open in April after two years of works on the eastern quay.",
    ];
    for (i, text) in ordinary.iter().enumerate() {
        std::fs::write(input.join(format!("ordinary-{i}.txt")), text).unwrap();
    }
    // Each page's paragraph is its own, so that no page is a duplicate of another.
    let para = |n: usize| {
        format!("<p>Le préfet a décidé jeudi la fermeture des plages de la côte numéro {n} à cause de la tempête annoncée.</p>")
    };
    let hostile: Vec<(&str, Vec<u8>)> = vec![
        ("deep-divs.html", format!("<html><body>{}{}{}</body></html>", "<div>".repeat(20_000), para(1), "</div>".repeat(20_000)).into_bytes()),
        ("deep-jsonld.html", format!("<html><head><script type=\"application/ld+json\">{}1{}</script></head><body>{}</body></html>", "[".repeat(5_000), "]".repeat(5_000), para(2)).into_bytes()),
        ("huge-attribute.html", format!("<html><body><div class=\"{}\">{}</div></body></html>", "x".repeat(5_000_000), para(3)).into_bytes()),
        ("tag-soup.html", format!("<html><body>{}{}</body></html>", "<b><i><table><tr><td><p><a href=x><form><li>".repeat(3_000), para(4)).into_bytes()),
        ("gzip-bomb.txt.gz", gzip(&vec![b'a'; 200 * 1024 * 1024])),
        ("huge-claim.warc", b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 999999999999\r\n\r\nHTTP/1.1 200 OK\r\n\r\n<html>".to_vec()),
        ("one-word.txt", vec![b'a'; 40 * 1024 * 1024]),
        ("many-lines.txt", "a\n".repeat(2_000_000).into_bytes()),
        ("bidi.txt", format!("Le maire \u{202e}a annoncé\u{202c} mardi\u{200b} la \u{200d}réouverture\u{feff} du marché couvert après six mois de travaux dans le centre-ville. {}", "\u{200b}".repeat(10_000)).into_bytes()),
        ("nul-bytes.txt", b"Le tribunal a rendu\0 sa d\0cision lundi dans l'affaire des march\0s publics de la r\0gion, a indiqu\0 le parquet.".to_vec()),
        ("quotes.txt", format!("« Nous ne céderons pas, a déclaré le syndicat. {} \" ' “ ‹", "« « » \" “".repeat(20_000)).into_bytes()),
        ("dates.txt", format!("Le 31 février 2024, le 45 mars, lundi 32 décembre 99999, le 1er et le 2 et le 3 novembre {} jeudi dernier il y a 3000 ans.", "le 1er, ".repeat(20_000)).into_bytes()),
    ];
    for (name, bytes) in &hostile {
        std::fs::write(input.join(name), bytes).unwrap();
    }
    let db = dir.path().join("s.db");
    let out = storyline(&db).args(["ingest", "-q"]).arg(&input).output().unwrap();
    let (_, err) = text(&out);
    assert!(out.status.code().is_some_and(|c| c <= 1), "the batch ends by itself: {err}");
    // The summary says the run's peak memory; the issue bounds it at 1 GB.
    let peak: f64 = err
        .split("peak memory ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|mb| mb.parse().ok())
        .expect("the summary gives the peak memory");
    eprintln!("hostile batch: peak memory {peak:.0} MB");
    assert!(peak <= 1024.0, "peak memory {peak} MB over 1 GB: {err}");
    let export = export_json(&db);
    let sources: Vec<String> =
        export["articles"].as_array().unwrap().iter().map(|a| a["source"].as_str().unwrap().to_string()).collect();
    for i in 0..ordinary.len() {
        assert!(sources.iter().any(|s| s.ends_with(&format!("ordinary-{i}.txt"))), "{sources:?} {err}");
    }
    for (name, _) in &hostile {
        let stored = sources.iter().any(|s| s.contains(name));
        let named = err.lines().filter(|l| l.starts_with("error:") && l.contains(name)).count();
        assert!(stored || named >= 1, "{name} is neither stored nor named: {err}");
    }
}

#[test]
fn quotes_are_stored_with_their_speaker_entity_exported_and_listed() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let a = dir.path().join("a.txt");
    let b = dir.path().join("b.txt");
    std::fs::write(
        &a,
        "Grève dans les ports : le ministre refuse de céder\n\nLe ministre des Transports, Julien Moreau, a déclaré \
         mardi que la réforme ne serait pas retirée. « Nous irons jusqu'au bout de cette réforme », a-t-il ajouté devant \
         les députés.\n\nLe syndicat a annoncé une nouvelle journée de grève pour jeudi dans tous les ports du pays.\n",
    )
    .unwrap();
    std::fs::write(
        &b,
        "Ports : nouvelle grève jeudi, le gouvernement inflexible\n\nLes dockers cesseront le travail jeudi dans tous les \
         ports. « Nous irons jusqu'au bout de cette réforme », a déclaré Julien Moreau, ministre des Transports, mardi \
         devant les députés.\n",
    )
    .unwrap();
    let out = storyline(&db).arg("ingest").arg(&a).arg(&b).output().unwrap();
    assert!(out.status.success(), "{:?}", text(&out));
    let export = export_json(&db);
    let quotes = export["quotes"].as_array().expect("quotes in the export");
    let entities = export["entities"].as_array().unwrap();
    let moreau = entities.iter().find(|e| e["name"].as_str().is_some_and(|n| n.contains("Moreau"))).expect("entity");
    let direct: Vec<_> = quotes.iter().filter(|q| q["kind"] == "direct").collect();
    assert_eq!(direct.len(), 2, "{quotes:?}");
    assert!(direct.iter().all(|q| q["speaker"] == moreau["id"]), "{direct:?}");
    assert!(quotes.iter().any(|q| q["kind"] == "indirect" && q["denial"] == true), "{quotes:?}");
    // The same words in two articles are one statement with two sources.
    let out = storyline(&db).arg("quotes").arg("--entity").arg("Moreau").output().unwrap();
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(stdout.lines().any(|l| l.contains("2/2") && l.contains("jusqu'au bout")), "{stdout}");
}

#[test]
fn a_killed_export_leaves_the_previous_file_whole_and_the_store_valid() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let input = dir.path().join("many.jsonl");
    let lines: String = (0..600)
        .map(|i| {
            format!(
                "{{\"id\": \"e{i}\", \"published\": \"2024-05-{:02}\", \"text\": \"Le conseil municipal de Brest a voté lundi un budget de {i} mille euros. « Nous tenons nos promesses », a déclaré la maire Anne Kerbrat.\"}}\n",
                1 + i % 28
            )
        })
        .collect();
    std::fs::write(&input, lines).unwrap();
    assert!(storyline(&db).args(["ingest", "-q"]).arg(&input).output().unwrap().status.success());
    let before = store_content(&db);
    let out = dir.path().join("out.json");
    let first = storyline(&db).args(["export", "--format", "json", "-o"]).arg(&out).output().unwrap();
    assert!(first.status.success(), "{}", text(&first).1);
    let complete = std::fs::read(&out).unwrap();
    serde_json::from_slice::<serde_json::Value>(&complete).expect("a complete export is JSON");
    for delay in [1u64, 15, 60] {
        let mut child = storyline(&db).args(["export", "--format", "json", "-o"]).arg(&out).spawn().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay));
        let _ = child.kill();
        let _ = child.wait();
        // The file is the previous export or the new one, whole: never cut.
        assert_eq!(std::fs::read(&out).unwrap(), complete, "killed after {delay} ms");
        assert_eq!(store_content(&db), before, "store unchanged after a kill at {delay} ms");
    }
    let rerun = storyline(&db).args(["export", "--format", "json", "-o"]).arg(&out).output().unwrap();
    assert!(rerun.status.success(), "{}", text(&rerun).1);
    assert_eq!(std::fs::read(&out).unwrap(), complete);
    // `storyline export | head`: a reader that stops early is no error.
    let mut child = storyline(&db)
        .args(["export", "--format", "jsonl"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    std::io::Read::read_exact(child.stdout.as_mut().unwrap(), &mut first).unwrap();
    drop(child.stdout.take());
    let done = child.wait_with_output().unwrap();
    assert!(done.status.success(), "{}", String::from_utf8_lossy(&done.stderr));
    assert!(done.stderr.is_empty(), "{}", String::from_utf8_lossy(&done.stderr));
}

/// A free loopback port.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Posts a body to the server, returning the status (or 0 when the
/// connection broke).
fn post(port: u16, path: &str, kind: &str, body: &[u8]) -> u16 {
    use std::io::Read;
    let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port)) else { return 0 };
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    if stream.write_all(head.as_bytes()).and_then(|_| stream.write_all(body)).is_err() {
        return 0;
    }
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    response.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0)
}

fn wait_for_server(port: u16) {
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    panic!("the server did not start");
}

/// Starts `storyline serve` on a free loopback port.
fn serve(db: &Path) -> (std::process::Child, u16) {
    let port = free_port();
    let child =
        storyline(db).args(["serve", "--addr", &format!("127.0.0.1:{port}")]).stderr(Stdio::null()).spawn().unwrap();
    wait_for_server(port);
    (child, port)
}

#[test]
fn a_server_killed_during_an_ingest_request_leaves_a_valid_store_that_a_repost_completes() {
    let dir = tempfile::tempdir().unwrap();
    let lines: String = (0..600)
        .map(|i| {
            format!(
                "{{\"id\": \"s{i}\", \"published\": \"2024-04-{:02}\", \"text\": \"Le conseil municipal de Vannes a voté mardi un budget de {i} mille euros pour les routes et les écoles, a indiqué le maire Paul Le Goff.\"}}\n",
                1 + i % 28
            )
        })
        .collect();
    // The same request to a server nobody disturbs.
    let undisturbed = dir.path().join("undisturbed.db");
    let (mut server, port) = serve(&undisturbed);
    assert_eq!(post(port, "/api/ingest", "application/x-ndjson", lines.as_bytes()), 200);
    let _ = server.kill();
    let _ = server.wait();
    let expected = store_content(&undisturbed);
    assert_eq!(expected.0.len(), 600);

    let db = dir.path().join("served.db");
    let (mut server, port) = serve(&db);
    let body = lines.clone().into_bytes();
    let request = std::thread::spawn(move || post(port, "/api/ingest", "application/x-ndjson", &body));
    // Kill once the first batch is committed, while the next ones run.
    for _ in 0..300 {
        let listing = storyline(&db).arg("articles").output().unwrap();
        if text(&listing).0.lines().count() > 1 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let _ = server.kill(); // SIGKILL in the middle of the request.
    let _ = server.wait();
    let _ = request.join();
    // What was committed is readable.
    let listing = storyline(&db).arg("articles").output().unwrap();
    assert!(listing.status.success(), "{}", text(&listing).1);
    eprintln!("stored when the server was killed: {} of 600", text(&listing).0.lines().count().saturating_sub(1));

    let (mut server, port) = serve(&db);
    let status = post(port, "/api/ingest", "application/x-ndjson", lines.as_bytes());
    let _ = server.kill();
    let _ = server.wait();
    assert_eq!(status, 200);
    let after = store_content(&db);
    assert_eq!(after.0.len(), 600, "every article once");
    assert!(after == expected, "a re-post after the kill gives the store an undisturbed request gives");
}

#[test]
fn analyze_reads_json_lines_without_a_store_and_names_a_bad_line() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    std::fs::write(
        &input,
        "{\"id\": \"a\", \"text\": \"La police a arrêté trois manifestants lundi.\", \"lang\": \"fr\", \"published\": \"2024-05-08\"}\n\
         {\"id\": 3\n\
         {\"id\": \"b\", \"text\": \"Norway returned stolen paintings to Poland.\"}\n",
    )
    .unwrap();
    let out = storyline(&dir.path().join("unused.db")).arg("analyze").arg(&input).output().unwrap();
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "a bad line fails the run: {stderr}");
    assert!(stderr.contains("in.jsonl:2"), "the bad line is named: {stderr}");
    let docs: Vec<serde_json::Value> = stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(docs.len(), 2, "the other lines go on: {stdout}");
    assert_eq!(docs[0]["events"][0]["type"], "COERCE");
    assert_eq!(docs[0]["events"][0]["date"], "2024-05-06");
    assert_eq!(docs[1]["lang"], "en");
    assert_eq!(docs[1]["events"][0]["target"]["text"], "Poland");
    assert!(!dir.path().join("unused.db").exists(), "analyze needs no store");
}

#[test]
fn events_timeline_and_graph_read_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let a = dir.path().join("a.txt");
    let b = dir.path().join("b.txt");
    std::fs::write(&a, "La Géorgie demande l'aide de la Turquie\n\nLa Géorgie a demandé lundi 4 mars 2024 à la Turquie une aide militaire après des combats. Les combats ont fait 40 morts.\n").unwrap();
    std::fs::write(&b, "Tbilissi sollicite Ankara\n\nLe gouvernement géorgien a demandé lundi 4 mars 2024 à la Turquie une aide militaire. Le bilan s'élève à 40 morts après les combats.\n").unwrap();
    let out = storyline(&db).arg("ingest").arg(&a).arg(&b).output().unwrap();
    assert!(out.status.success(), "{}", text(&out).1);
    let events = storyline(&db).args(["events", "--type", "REQUEST"]).output().unwrap();
    let (stdout, _) = text(&events);
    assert_eq!(stdout.lines().filter(|l| l.contains("REQUEST")).count(), 2, "{stdout}");
    let bad = storyline(&db).args(["events", "--type", "HUG"]).output().unwrap();
    assert!(!bad.status.success() && text(&bad).1.contains("unknown event type"), "{}", text(&bad).1);
    let stories = storyline(&db).arg("stories").output().unwrap();
    let id = text(&stories).0.lines().nth(1).unwrap().split_whitespace().next().unwrap().to_string();
    let timeline = storyline(&db).args(["timeline", "--story", &id]).output().unwrap();
    let (stdout, stderr) = text(&timeline);
    assert!(timeline.status.success(), "{stderr}");
    assert!(stdout.contains("REQUEST") && stdout.contains("2 article(s)"), "one fact from both articles: {stdout}");
    assert!(stdout.contains("40 dead"), "the figure: {stdout}");
    let graph = storyline(&db).args(["graph", "--format", "graphml"]).output().unwrap();
    let (stdout, _) = text(&graph);
    assert!(stdout.contains("<graphml") && stdout.contains("REQUEST:1"), "{stdout}");
}

/// Serves one HTML page and one RSS feed pointing at it, on loopback.
fn serve_site() -> String {
    use std::io::{BufRead, BufReader};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let origin = base.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut first = String::new();
            let _ = reader.read_line(&mut first);
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
            }
            let path = first.split_whitespace().nth(1).unwrap_or("/").to_string();
            let sentence = "Les élus de la commune ont voté mardi soir le budget de la nouvelle médiathèque, après trois heures de débat. ";
            let (status, body) = match path.as_str() {
                "/page.html" => ("200 OK", format!("<html><head><title>Budget voté</title></head><body><article><h1>Budget voté</h1><p>{}</p><p>{}</p></article></body></html>", sentence.repeat(3), sentence.repeat(2))),
                "/feed.xml" => ("200 OK", format!("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>t</title><link>{origin}/</link><description>d</description><item><title>Budget voté</title><link>{origin}/page.html</link><description>{sentence}</description></item></channel></rss>")),
                _ => ("404 Not Found", String::new()),
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    base
}

#[test]
fn urls_and_feeds_are_fetched_and_private_addresses_need_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let base = serve_site();
    let refused = storyline(&db).args(["ingest", "-q", &format!("{base}/page.html")]).output().unwrap();
    let (_, err) = text(&refused);
    assert_eq!(refused.status.code(), Some(1), "{err}");
    assert!(err.contains("private, loopback or link-local") && err.contains("--allow-private"), "{err}");
    let stored =
        storyline(&db).args(["ingest", "-q", "--allow-private", &format!("{base}/page.html")]).output().unwrap();
    assert!(stored.status.success(), "{}", text(&stored).1);
    assert!(text(&stored).1.contains("1 stored"), "{}", text(&stored).1);

    // watch: the feed's item is the page already stored, so nothing new is stored, and a second poll fetches nothing.
    let state = dir.path().join("watch.json");
    let watch = |db: &Path| {
        storyline(db)
            .args(["watch", "--once", "--allow-private", "--per-host-seconds", "0", "--state"])
            .arg(&state)
            .arg(format!("{base}/feed.xml"))
            .output()
            .unwrap()
    };
    let first = watch(&db);
    let (_, err) = text(&first);
    assert!(first.status.success(), "{err}");
    assert!(err.contains("1 new item(s), 1 page(s) fetched, 0 stored, 1 already stored"), "{err}");
    let second = watch(&db);
    assert!(text(&second).1.contains("0 new item(s)"), "{}", text(&second).1);
}
