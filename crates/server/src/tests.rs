use super::*;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;

fn state_with(docs: &[(&str, &str)], token: Option<&str>) -> (tempfile::TempDir, Arc<AppState>) {
    let dir = tempfile::tempdir().unwrap();
    let state = AppState::open(dir.path().join("s.db"), token.map(str::to_string)).unwrap();
    let raw: Vec<storyline_model::RawDocument> = docs
        .iter()
        .map(|(name, text)| storyline_model::RawDocument {
            source: name.to_string(),
            external_id: None,
            kind: storyline_model::ContentKind::Text,
            bytes: text.as_bytes().to_vec(),
            hints: Default::default(),
        })
        .collect();
    {
        let mut store = state.writer.lock().unwrap();
        state.pipeline.ingest_batch(&mut *store, raw).unwrap();
    }
    (dir, state)
}

async fn call(state: &Arc<AppState>, request: Request<Body>) -> (StatusCode, serde_json::Value, String) {
    let response = router(Arc::clone(state)).oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let text = String::from_utf8_lossy(&bytes).to_string();
    (status, serde_json::from_str(&text).unwrap_or(serde_json::Value::Null), text)
}

fn get(uri: &str) -> Request<Body> {
    Request::get(uri).body(Body::empty()).unwrap()
}

const PORT: &str = "Grève au port de Brest\n\nLes dockers du port de Brest ont cessé le travail lundi 3 juin 2024. \
    « Nous ne reprendrons pas sans accord », a déclaré Anne Kerbrat, secrétaire du syndicat. Le port est bloqué. \
    La police a arrêté trois manifestants devant la mairie. Les heurts ont fait 12 blessés.\n";
const SCRIPT_PAGE: &str = "Un article piégé\n\nCe texte contient <script>alert(1)</script> au milieu d'une phrase \
    sur la chorale de Quimper, qui a chanté mardi 4 février 2025 devant trois cents spectateurs ravis.\n";

#[tokio::test]
async fn stories_list_detail_entities_search_and_errors() {
    let (_dir, state) = state_with(&[("port.txt", PORT), ("script.txt", SCRIPT_PAGE)], None);
    let (status, list, _) = call(&state, get("/api/stories?limit=10")).await;
    assert_eq!(status, StatusCode::OK);
    let stories = list["stories"].as_array().unwrap();
    assert_eq!(stories.len(), 2, "{list}");
    let id = stories.iter().find(|s| s["title"].as_str().unwrap().contains("Brest")).unwrap()["id"].as_str().unwrap();
    // A unique prefix works.
    let (status, story, _) = call(&state, get(&format!("/api/stories/{}", &id[..6]))).await;
    assert_eq!(status, StatusCode::OK, "{story}");
    assert_eq!(story["sources"].as_array().unwrap().len(), 1);
    assert!(story["timeline"].as_array().unwrap().iter().any(|d| d["date"] == "2024-06-03"), "{story}");
    assert!(story["statements"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["text"].as_str().unwrap().contains("reprendrons")));
    let facts = story["facts"].as_array().unwrap();
    assert!(facts.iter().any(|f| f["type"] == "COERCE" && f["target_name"] == "trois manifestants"), "{story}");
    assert!(
        story["figures"].as_array().unwrap().iter().any(|g| g["quantity"] == "wounded" && g["value"] == 12),
        "{story}"
    );
    let entity =
        story["entities"].as_array().unwrap().iter().find(|e| e["name"].as_str().unwrap().contains("Kerbrat")).unwrap();
    let (status, detail, _) = call(&state, get(&format!("/api/entities/{}", entity["id"].as_str().unwrap()))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(detail["stories"].as_array().unwrap().len(), 1);
    let (status, found, _) = call(&state, get("/api/search?q=dockers")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(found["articles"][0]["snippet"].as_str().unwrap().contains("[dockers]"), "{found}");
    assert_eq!(found["stories"].as_array().unwrap().len(), 1);
    // Filters.
    let (_, filtered, _) = call(&state, get("/api/stories?from=2025-01-01")).await;
    assert_eq!(filtered["stories"].as_array().unwrap().len(), 1, "{filtered}");
    let (_, by_entity, _) = call(&state, get("/api/stories?entity=Kerbrat")).await;
    assert_eq!(by_entity["stories"].as_array().unwrap().len(), 1, "{by_entity}");
    // Errors are JSON with the right status.
    let (status, body, _) = call(&state, get("/api/stories/zzzz")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body["error"].as_str().is_some());
    let (status, _, _) = call(&state, get("/api/stories?limit=5000")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _, _) = call(&state, get("/api/stories?from=yesterday")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _, _) = call(&state, get(&format!("/api/search?q={}", "a".repeat(3000)))).await;
    assert_eq!(status, StatusCode::URI_TOO_LONG);
    let (status, _, _) = call(&state, get("/api/nothing")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Article text comes as JSON data, never as markup.
    let (_, article, _) =
        call(&state, get(&format!("/api/articles/{}", story["sources"][0]["id"].as_str().unwrap()))).await;
    assert!(article["quotes"].as_array().is_some_and(|q| !q.is_empty()), "{article}");
    let (status, exported, _) = call(&state, get("/api/export?format=json")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(exported["articles"].as_array().unwrap().len(), 2);
    let (status, _, jsonl) = call(&state, get("/api/export?format=jsonl")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(jsonl.lines().all(|l| serde_json::from_str::<serde_json::Value>(l).is_ok()));
    let response = router(Arc::clone(&state)).oneshot(get("/api/export?format=parquet&table=articles")).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    assert!(bytes.starts_with(b"PAR1"));
    let (status, _, _) = call(&state, get("/api/export?format=parquet")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, health, _) = call(&state, get("/healthz")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(health["articles"], 2);
}

#[tokio::test]
async fn ingest_needs_the_token_and_bounds_its_body() {
    let (_dir, state) = state_with(&[], Some("s3cret"));
    let jsonl = r#"{"id": "a1", "title": "Conseil de Lorient", "text": "Le conseil municipal de Lorient a voté jeudi le budget des écoles et des routes pour l'année prochaine."}"#;
    let post = |auth: Option<&str>, body: String, kind: &str| {
        let mut r = Request::post("/api/ingest").header("content-type", kind);
        if let Some(a) = auth {
            r = r.header("authorization", format!("Bearer {a}"));
        }
        r.body(Body::from(body)).unwrap()
    };
    let (status, _, _) = call(&state, post(None, jsonl.to_string(), "application/x-ndjson")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _, _) = call(&state, post(Some("wrong"), jsonl.to_string(), "application/x-ndjson")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, summary, _) = call(&state, post(Some("s3cret"), jsonl.to_string(), "application/x-ndjson")).await;
    assert_eq!(status, StatusCode::OK, "{summary}");
    assert_eq!(summary["stored"], 1);
    let (status, summary, _) = call(&state, post(Some("s3cret"), jsonl.to_string(), "application/x-ndjson")).await;
    assert_eq!((status, summary["duplicates"].clone()), (StatusCode::OK, serde_json::json!(1)));
    let (status, _, _) = call(&state, post(Some("s3cret"), "x".repeat(MAX_BODY + 10), "text/plain")).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    let (status, _, _) = call(&state, post(Some("s3cret"), "\u{0}\u{1}".into(), "text/plain")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _, _) = call(&state, post(Some("s3cret"), "x".into(), "image/png")).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

#[tokio::test]
async fn the_page_speaks_the_browsers_language_and_openapi_lists_every_endpoint() {
    let (_dir, state) = state_with(&[], None);
    let request = Request::get("/").header("accept-language", "fr-FR,fr;q=0.9,en;q=0.8").body(Body::empty()).unwrap();
    let (status, _, html) = call(&state, request).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("lang=\"fr\"") && html.contains("Histoires"), "{html}");
    let (_, _, html) = call(&state, get("/")).await;
    assert!(html.contains("lang=\"en\"") && html.contains("Stories"));
    let (status, spec, _) = call(&state, get("/openapi.json")).await;
    assert_eq!(status, StatusCode::OK);
    for path in [
        "/api/stories",
        "/api/stories/{id}",
        "/api/entities",
        "/api/entities/{id}",
        "/api/articles/{id}",
        "/api/search",
        "/api/ingest",
        "/healthz",
    ] {
        assert!(spec["paths"][path].is_object(), "{path} missing from openapi.json");
    }
    assert_eq!(page::page_language(Some("de-DE, en;q=0.5")), "en");
    assert_eq!(page::page_language(Some("en;q=0.2, fr;q=0.8")), "fr");
}

#[test]
fn binding_beyond_loopback_needs_a_token() {
    assert!(check_bind(&"127.0.0.1:8080".parse().unwrap(), None).is_ok());
    assert!(check_bind(&"[::1]:8080".parse().unwrap(), None).is_ok());
    assert!(check_bind(&"0.0.0.0:8080".parse().unwrap(), None).is_err());
    assert!(check_bind(&"0.0.0.0:8080".parse().unwrap(), Some("t")).is_ok());
}

#[tokio::test]
async fn cached_pages_follow_every_change_to_the_store_from_any_writer() {
    let (dir, state) = state_with(&[("port.txt", PORT)], None);
    let titles = |list: &serde_json::Value| -> Vec<String> {
        list["stories"].as_array().unwrap().iter().map(|s| s["title"].as_str().unwrap_or("").to_string()).collect()
    };
    let (_, first, _) = call(&state, get("/api/stories?limit=10")).await;
    assert_eq!(titles(&first).len(), 1);
    assert_eq!(state.cache().unwrap().len(), 1, "the list is kept");
    let (_, again, _) = call(&state, get("/api/stories?limit=10")).await;
    assert_eq!(again, first);

    // Another process ingests into the same file: the next read sees it.
    {
        let mut other = storyline_backend::AnyStore::open(&dir.path().join("s.db")).unwrap();
        let doc = storyline_model::RawDocument {
            source: "script.txt".into(),
            external_id: None,
            kind: storyline_model::ContentKind::Text,
            bytes: SCRIPT_PAGE.as_bytes().to_vec(),
            hints: Default::default(),
        };
        state.pipeline.ingest_batch(&mut other, vec![doc]).unwrap();
    }
    let (_, after, _) = call(&state, get("/api/stories?limit=10")).await;
    assert_eq!(titles(&after).len(), 2, "{after}");

    // An ingest through the API too.
    let jsonl = r#"{"id": "a1", "title": "Conseil de Lorient", "text": "Le conseil municipal de Lorient a voté jeudi le budget des écoles et des routes pour l'année prochaine."}"#;
    let post =
        Request::post("/api/ingest").header("content-type", "application/x-ndjson").body(Body::from(jsonl)).unwrap();
    assert_eq!(call(&state, post).await.0, StatusCode::OK);
    let (_, last, _) = call(&state, get("/api/stories?limit=10")).await;
    assert_eq!(titles(&last).len(), 3, "{last}");

    // Without the cache nothing is kept.
    let uncached = AppState::open_with(dir.path().join("s.db"), None, None).unwrap();
    let (_, plain, _) = call(&uncached, get("/api/stories?limit=10")).await;
    assert_eq!(plain, last);
    assert!(uncached.cache().is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readers_of_one_page_share_one_computation() {
    let (_dir, state) = state_with(&[("port.txt", PORT), ("script.txt", SCRIPT_PAGE)], None);
    let readers: Vec<_> = (0..8)
        .map(|_| {
            let state = Arc::clone(&state);
            tokio::spawn(async move { call(&state, get("/api/stories?limit=10")).await })
        })
        .collect();
    let mut bodies = Vec::new();
    for reader in readers {
        let (status, _, body) = reader.await.unwrap();
        assert_eq!(status, StatusCode::OK);
        bodies.push(body);
    }
    assert!(bodies.windows(2).all(|w| w[0] == w[1]), "every reader gets the same page");
    let cache = state.cache().unwrap();
    assert_eq!(cache.computed(), 1, "computed once for eight readers");
    assert_eq!(cache.in_flight(), 0, "no lock left behind");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outdated_page_is_served_within_its_bound_while_computed_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let ingest = |state: &Arc<AppState>, name: &str, text: &str| {
        let mut other = storyline_backend::AnyStore::open(&path).unwrap();
        let doc = storyline_model::RawDocument {
            source: name.into(),
            external_id: None,
            kind: storyline_model::ContentKind::Text,
            bytes: text.as_bytes().to_vec(),
            hints: Default::default(),
        };
        state.pipeline.ingest_batch(&mut other, vec![doc]).unwrap();
    };
    let count = |list: &serde_json::Value| list["stories"].as_array().map_or(0, Vec::len);
    let state = AppState::open_with(path.clone(), None, Some(std::time::Duration::from_secs(30))).unwrap();
    ingest(&state, "port.txt", PORT);
    let (_, first, _) = call(&state, get("/api/stories?limit=10")).await;
    assert_eq!(count(&first), 1);
    // Another process adds a story: the kept page is answered at once, and
    // computed again beside; a later read has the new one.
    ingest(&state, "script.txt", SCRIPT_PAGE);
    let (_, stale, _) = call(&state, get("/api/stories?limit=10")).await;
    assert_eq!(count(&stale), 1, "served as kept while it is computed again");
    let mut fresh = serde_json::Value::Null;
    for _ in 0..100 {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        fresh = call(&state, get("/api/stories?limit=10")).await.1;
        if count(&fresh) == 2 {
            break;
        }
    }
    assert_eq!(count(&fresh), 2, "{fresh}");
    assert_eq!(state.cache().unwrap().computed(), 2, "computed once again, not once per reader");
    assert_eq!(state.cache().unwrap().in_flight(), 0);

    // Past its bound an outdated page is not served: computed on the request.
    let strict = AppState::open_with(path.clone(), None, Some(std::time::Duration::ZERO)).unwrap();
    let (_, before, _) = call(&strict, get("/api/stories?limit=10")).await;
    assert_eq!(count(&before), 2);
    ingest(&strict, "third.txt", "Conseil de Lorient\n\nLe conseil municipal de Lorient a voté jeudi 6 mars 2025 le budget des écoles et des routes pour l'année prochaine, après trois heures de débat.\n");
    let (_, after, _) = call(&strict, get("/api/stories?limit=10")).await;
    assert_ne!(after, before, "the page follows the third article");
}
