//! Feeds and pages from a loopback HTTP server written here: new items only
//! on the second poll, 304 handled, robots.txt respected, a private address
//! refused without the flag, redirects checked, state kept across restarts.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::*;

/// What the server serves and what it was asked.
#[derive(Default)]
struct Site {
    feed_items: Vec<(&'static str, &'static str)>,
    feed_version: u32,
    hits: HashMap<String, usize>,
}

fn page(title: &str) -> String {
    let sentence = format!(
        "{title} : les habitants du quartier se sont réunis mardi soir devant la mairie pour discuter du projet. "
    );
    format!("<html><head><title>{title}</title></head><body><article><h1>{title}</h1><p>{}</p><p>{}</p></article></body></html>", sentence.repeat(4), sentence.repeat(3))
}

fn feed(items: &[(&str, &str)], base: &str) -> String {
    let entries: String = items
        .iter()
        .map(|(path, title)| {
            format!("<item><title>{title}</title><link>{base}{path}</link><guid>{base}{path}</guid><description>{title} : une réunion publique a eu lieu mardi soir à la mairie du quartier.</description><pubDate>Tue, 07 Jan 2025 10:00:00 GMT</pubDate></item>")
        })
        .collect();
    format!("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Essai</title><link>{base}/</link><description>x</description>{entries}</channel></rss>")
}

/// Serves the site on a free loopback port; returns its base URL.
fn serve(site: Arc<Mutex<Site>>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let origin = base.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request_line = String::new();
            if reader.read_line(&mut request_line).is_err() {
                continue;
            }
            let path = request_line.split_whitespace().nth(1).unwrap_or("/").to_string();
            let mut if_none_match = None;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("if-none-match:") {
                    if_none_match = Some(v.trim().to_string());
                }
            }
            let mut site = site.lock().unwrap();
            *site.hits.entry(path.clone()).or_default() += 1;
            let etag = format!("\"v{}\"", site.feed_version);
            let (status, headers, body) = match path.as_str() {
                "/robots.txt" => ("200 OK", String::new(), "User-agent: *\nDisallow: /private/\n".to_string()),
                "/feed.xml" if if_none_match.as_deref() == Some(etag.as_str()) => {
                    ("304 Not Modified", format!("ETag: {etag}\r\n"), String::new())
                }
                "/feed.xml" => (
                    "200 OK",
                    format!("ETag: {etag}\r\nContent-Type: application/rss+xml\r\n"),
                    feed(&site.feed_items, &origin),
                ),
                "/moved" => ("301 Moved Permanently", format!("Location: {origin}/a.html\r\n"), String::new()),
                "/flaky" if site.hits["/flaky"] == 1 => ("503 Service Unavailable", String::new(), String::new()),
                "/flaky" => ("200 OK", "Content-Type: text/html; charset=utf-8\r\n".to_string(), page("Flaky")),
                p if p.ends_with(".html") => {
                    ("200 OK", "Content-Type: text/html; charset=utf-8\r\n".to_string(), page(&p[1..p.len() - 5]))
                }
                _ => ("404 Not Found", String::new(), "not here".to_string()),
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    base
}

fn loopback_fetcher() -> Fetcher {
    Fetcher::new(FetchOptions {
        allow_private: true,
        per_host_interval: Duration::from_millis(1),
        backoff: Duration::from_millis(10),
        timeout: Duration::from_secs(5),
        ..FetchOptions::default()
    })
}

fn hits(site: &Arc<Mutex<Site>>, path: &str) -> usize {
    site.lock().unwrap().hits.get(path).copied().unwrap_or(0)
}

#[test]
fn a_private_address_is_refused_without_the_flag() {
    let site = Arc::new(Mutex::new(Site::default()));
    let base = serve(Arc::clone(&site));
    let mut strict = Fetcher::new(FetchOptions::default());
    let err = strict.get(&format!("{base}/a.html"), &Validators::default()).unwrap_err();
    assert!(err.contains("private, loopback or link-local"), "{err}");
    assert_eq!(hits(&site, "/a.html"), 0, "nothing was sent");
}

#[test]
fn robots_redirects_and_retries() {
    let site = Arc::new(Mutex::new(Site::default()));
    let base = serve(Arc::clone(&site));
    let mut f = loopback_fetcher();
    let refused = f.get(&format!("{base}/private/x.html"), &Validators::default()).unwrap_err();
    assert!(refused.contains("robots.txt"), "{refused}");
    assert_eq!(hits(&site, "/private/x.html"), 0);
    let Fetched::Body { url, bytes, .. } = f.get(&format!("{base}/moved"), &Validators::default()).unwrap() else {
        panic!("a body")
    };
    assert!(url.ends_with("/a.html") && String::from_utf8_lossy(&bytes).contains("<h1>a</h1>"));
    assert!(matches!(f.get(&format!("{base}/flaky"), &Validators::default()), Ok(Fetched::Body { .. })));
    assert_eq!(hits(&site, "/flaky"), 2, "one retry after the 503");
    assert_eq!(hits(&site, "/robots.txt"), 1, "robots.txt read once per host");
    let missing = f.get(&format!("{base}/nothing"), &Validators::default()).unwrap_err();
    assert!(missing.contains("HTTP 404"), "{missing}");
}

#[test]
fn a_feed_polled_twice_gives_only_its_new_items() {
    let site = Arc::new(Mutex::new(Site {
        feed_items: vec![("/a.html", "Premier article"), ("/b.html", "Second article"), ("/private/c.html", "Caché")],
        ..Site::default()
    }));
    let base = serve(Arc::clone(&site));
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let state_path = dir.path().join("watch.json");
    let pipeline = Pipeline::new(storyline_pipeline::HtmlOptions::default()).unwrap();
    let feeds = vec![format!("{base}/feed.xml")];
    let options = SourceOptions::default();

    let mut store = storyline_store::Store::open(&db).unwrap();
    let mut state = WatchState::load(&state_path).unwrap();
    let mut f = loopback_fetcher();
    let first = poll_once(&mut f, &mut state, &pipeline, &mut store, &feeds, &options).unwrap();
    state.save(&state_path).unwrap();
    assert_eq!((first.new_items, first.pages, first.stored), (3, 2, 3), "{:?}", first.failed);
    assert!(first.failed.iter().any(|e| e.reason.contains("robots.txt") && e.source.ends_with("/private/c.html")));
    assert_eq!(hits(&site, "/private/c.html"), 0, "robots.txt respected");

    // Unchanged feed: 304, nothing fetched again.
    let second = poll_once(&mut f, &mut state, &pipeline, &mut store, &feeds, &options).unwrap();
    assert_eq!((second.not_modified, second.new_items, second.stored), (1, 0, 0));
    assert_eq!(hits(&site, "/a.html"), 1);

    // A restart (new fetcher, state read back) after the feed gained an item:
    // only the new item's page is fetched.
    {
        let mut s = site.lock().unwrap();
        s.feed_items.push(("/d.html", "Troisième article"));
        s.feed_version += 1;
    }
    drop(store);
    let mut store = storyline_store::Store::open(&db).unwrap();
    let mut state = WatchState::load(&state_path).unwrap();
    let mut f = loopback_fetcher();
    let third = poll_once(&mut f, &mut state, &pipeline, &mut store, &feeds, &options).unwrap();
    assert_eq!((third.new_items, third.pages, third.stored), (1, 1, 1), "{:?}", third.failed);
    assert_eq!((hits(&site, "/a.html"), hits(&site, "/b.html"), hits(&site, "/d.html")), (1, 1, 1));
    assert_eq!(storyline_store::StoreRead::article_count(&store).unwrap(), 4);
}

#[test]
fn a_url_gives_its_page_or_its_feed_items() {
    let site =
        Arc::new(Mutex::new(Site { feed_items: vec![("/a.html", "Un"), ("/b.html", "Deux")], ..Site::default() }));
    let base = serve(Arc::clone(&site));
    let mut f = loopback_fetcher();
    let (docs, failed) = documents_from_url(&mut f, &format!("{base}/a.html"), &SourceOptions::default());
    assert!(failed.is_empty(), "{failed:?}");
    assert_eq!(docs.len(), 1);
    assert!(matches!(docs[0].kind, ContentKind::Html));
    assert_eq!(docs[0].hints.charset.as_deref(), Some("utf-8"));
    let (items, _) = documents_from_url(&mut f, &format!("{base}/feed.xml"), &SourceOptions::default());
    assert_eq!(items.len(), 2);
    let (none, failed) = documents_from_url(&mut f, &format!("{base}/nothing"), &SourceOptions::default());
    assert!(none.is_empty() && failed[0].reason.contains("404"));
}

#[test]
fn intervals_parse() {
    assert_eq!(parse_interval("10m"), Some(Duration::from_secs(600)));
    assert_eq!(parse_interval("90s"), Some(Duration::from_secs(90)));
    assert_eq!(parse_interval("2h"), Some(Duration::from_secs(7200)));
    assert_eq!(parse_interval("45"), Some(Duration::from_secs(45)));
    assert_eq!(parse_interval("0m"), None);
    assert_eq!(parse_interval("soon"), None);
}
