//! The team deployment end to end: the PostgreSQL store, and distributed
//! ingest over NATS JetStream with its fault cases (a worker killed with
//! SIGKILL, nats-server restarted, PostgreSQL restarted during an ingest).
//!
//! They need services, so they are `#[ignore]`d in a plain `cargo test`;
//! `.ci/run` starts PostgreSQL, sets `STORYLINE_TEST_PG` (a URL whose user
//! may create databases) and `STORYLINE_TEST_PG_RESTART` (a shell command
//! that restarts the server), and runs them with `--ignored`. Each test
//! starts its own nats-server (Debian's binary) on a free loopback port.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use storyline_store_pg::{PgStore, Snapshot};

fn storyline(db: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_storyline"));
    cmd.arg("--db").arg(db).env_remove("STORYLINE_DB").env_remove("STORYLINE_NATS").env_remove("STORYLINE_QUEUE");
    cmd
}

fn run(cmd: &mut Command) -> Output {
    let out = cmd.output().expect("storyline runs");
    assert!(
        out.status.success(),
        "{:?} failed:\n{}\n{}",
        cmd,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn base_url() -> String {
    std::env::var("STORYLINE_TEST_PG")
        .expect("STORYLINE_TEST_PG must name a PostgreSQL server (postgres://user:password@127.0.0.1/postgres)")
}

/// A new, empty database on the test server; its URL.
fn fresh_database(name: &str) -> String {
    let base = base_url();
    let mut admin = postgres::Client::connect(&base, postgres::NoTls).expect("the test PostgreSQL answers");
    admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).unwrap();
    admin.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
    let cut = base.rfind('/').expect("a URL with a database");
    format!("{}/{name}", &base[..cut])
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A nats-server with JetStream on loopback, storing in its own folder.
struct Nats {
    child: Child,
    port: u16,
    dir: PathBuf,
}

impl Nats {
    fn start(dir: &Path) -> Nats {
        let port = free_port();
        let mut nats = Nats { child: spawn_nats(dir, port), port, dir: dir.to_path_buf() };
        nats.wait();
        nats
    }

    fn url(&self) -> String {
        format!("nats://127.0.0.1:{}", self.port)
    }

    fn wait(&mut self) {
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(started.elapsed() < Duration::from_secs(20), "nats-server did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Kills the server (SIGKILL) and starts it again on the same port and folder.
    fn restart(&mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
        std::thread::sleep(Duration::from_millis(500));
        self.child = spawn_nats(&self.dir, self.port);
        self.wait();
    }
}

fn spawn_nats(dir: &Path, port: u16) -> Child {
    Command::new("nats-server")
        .args(["-js", "-a", "127.0.0.1", "-p", &port.to_string(), "-sd"])
        .arg(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("nats-server is installed (Debian package nats-server)")
}

impl Drop for Nats {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A corpus written here: 60 events, each told by 5 articles (JSON Lines),
/// in English and French, with people, places and numbers that vary.
fn write_corpus(dir: &Path) -> PathBuf {
    let given = ["Maria", "Jonas", "Amina", "Pierre", "Lucia", "Tomas", "Ines", "Karim", "Elena", "Victor"];
    let family = ["Okafor", "Lindqvist", "Moreau", "Castellano", "Novak", "Haddad", "Petrov", "Duarte"];
    let places = ["Lyon", "Porto", "Gdansk", "Tampere", "Sevilla", "Graz", "Bergen", "Brno"];
    let mut lines = String::new();
    for event in 0..60usize {
        let a = format!("{} {}", given[event % given.len()], family[event % family.len()]);
        let b = format!("{} {}", given[(event * 7 + 3) % given.len()], family[(event * 5 + 1) % family.len()]);
        let place = places[(event * 3) % places.len()];
        let day = 1 + event % 27;
        for copy in 0..5usize {
            let (title, body) = if event % 2 == 0 {
                (
                    format!("{a} meets {b} in {place} over the harbour plan {event}"),
                    format!(
                        "{a} met {b} in {place} on Tuesday to discuss harbour plan number {event}. \
                         The meeting lasted {h} hours, according to officials in {place}. \
                         {b} said the plan would cost {c} million euros. \
                         Report {copy} of event {event}: residents of {place} gathered outside the town hall.",
                        h = 2 + copy,
                        c = 10 + event,
                    ),
                )
            } else {
                (
                    format!("{a} rencontre {b} à {place} sur le projet de tramway {event}"),
                    format!(
                        "{a} a rencontré {b} à {place} mardi pour discuter du projet de tramway numéro {event}. \
                         La réunion a duré {h} heures, selon la mairie de {place}. \
                         {b} a déclaré que le projet coûterait {c} millions d'euros. \
                         Dépêche {copy} sur l'événement {event} : des habitants de {place} se sont réunis devant la mairie.",
                        h = 2 + copy,
                        c = 10 + event,
                    ),
                )
            };
            let record = serde_json::json!({
                "id": format!("e{event}-{copy}"),
                "title": title,
                "text": body,
                "published": format!("2025-03-{day:02}"),
            });
            lines.push_str(&record.to_string());
            lines.push('\n');
        }
    }
    let path = dir.join("events.jsonl");
    std::fs::write(&path, lines).unwrap();
    path
}

fn snapshot(db: &str) -> Snapshot {
    PgStore::connect(db).expect("the store opens").snapshot().expect("the store reads")
}

/// The store after an undisturbed `storyline ingest` of the corpus, then a
/// recluster (the canonical partition), as a snapshot.
fn reference(name: &str, corpus: &Path) -> (Snapshot, Snapshot) {
    let db = fresh_database(name);
    run(storyline(&db).args(["ingest", "-q"]).arg(corpus));
    let incremental = snapshot(&db);
    run(storyline(&db).arg("recluster"));
    (incremental, snapshot(&db))
}

/// A worker command; what it says goes to `log`.
fn worker(db: &str, nats: &Nats, queue: &str, log: &Path, extra: &[&str]) -> Command {
    let mut cmd = storyline(db);
    cmd.args(["worker", "--nats", &nats.url(), "--queue", queue, "--batch", "16", "--ack-wait-seconds", "3"])
        .args(["--threads", "1"])
        .args(extra)
        .stdout(Stdio::null())
        .stderr(std::fs::OpenOptions::new().create(true).append(true).open(log).unwrap());
    cmd
}

fn enqueue(nats: &Nats, queue: &str, corpus: &Path) {
    let out = run(storyline("unused.db").args(["enqueue", "--nats", &nats.url(), "--queue", queue]).arg(corpus));
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(err.contains("queued 300 document(s)"), "{err}");
}

fn articles_in(db: &str) -> u64 {
    PgStore::connect(db).and_then(|s| s.stats()).map(|s| s.articles).unwrap_or(0)
}

fn wait_for(what: &str, limit: Duration, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(started.elapsed() < limit, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Runs workers to the end, then compares with the reference: the same
/// articles and mentions, nothing twice, and after a recluster the same
/// entities and stories.
fn assert_same_as_reference(db: &str, reference: &(Snapshot, Snapshot)) {
    let got = snapshot(db);
    assert_eq!(got.articles, reference.0.articles, "the same articles, each once");
    assert_eq!(got.mentions, reference.0.mentions, "the same mentions, each once");
    assert!(!got.stories.is_empty(), "workers made stories");
    run(storyline(db).arg("recluster"));
    let canonical = snapshot(db);
    assert_eq!(canonical.entities, reference.1.entities, "the same entities after a recluster");
    assert_eq!(canonical.stories, reference.1.stories, "the same stories after a recluster");
}

#[test]
#[ignore = "needs PostgreSQL (STORYLINE_TEST_PG): run by .ci/run"]
fn postgres_store_ingests_as_the_sqlite_file_does() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/corpus");
    let sqlite = dir.path().join("s.db");
    run(storyline(sqlite.to_str().unwrap()).args(["ingest", "-q"]).arg(&corpus));
    let db = fresh_database("storyline_test_parity");
    run(storyline(&db).args(["ingest", "-q"]).arg(&corpus));

    let file = storyline_store::Store::open(&sqlite).unwrap();
    let mut partition: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for a in file.articles().unwrap() {
        partition.entry(a.story.clone().unwrap_or_default()).or_default().push(a.id);
    }
    let mut stories: Vec<Vec<String>> = partition
        .into_values()
        .map(|mut v| {
            v.sort();
            v
        })
        .collect();
    stories.sort();
    let pg = snapshot(&db);
    let stats = file.stats().unwrap();
    assert_eq!(pg.articles.len() as u64, stats.articles);
    assert_eq!(pg.mentions, stats.mentions);
    assert_eq!(pg.entities.len() as u64, stats.entities);
    assert_eq!(pg.stories, stories, "the same stories on both backends");

    // Identity is content on PostgreSQL too: a second ingest stores nothing.
    let again = run(storyline(&db).args(["ingest", "-q"]).arg(&corpus));
    let err = String::from_utf8_lossy(&again.stderr).into_owned();
    assert!(err.contains("0 stored, 13 already stored"), "{err}");
    assert_eq!(snapshot(&db), pg);

    // Every reading command prints the same on both backends.
    let file = sqlite.to_str().unwrap();
    let mut commands: Vec<Vec<String>> = [
        "stats",
        "stories",
        "entities",
        "articles",
        "quotes",
        "events",
        "graph --format csv",
        "export --format json",
        "export --format jsonl",
        "export --format csv",
    ]
    .iter()
    .map(|c| c.split(' ').map(str::to_string).collect())
    .collect();
    for story in &stories_of(file) {
        commands.push(vec!["show".into(), story.clone(), "--explain".into()]);
        commands.push(vec!["timeline".into(), "--story".into(), story.clone()]);
    }
    for args in &commands {
        let a = run(storyline(file).args(args));
        let b = run(storyline(&db).args(args));
        let (a, b) = (String::from_utf8_lossy(&a.stdout), String::from_utf8_lossy(&b.stdout));
        if args[0] == "stats" {
            // The store's name and size differ; the counts do not.
            let counts = |t: &str| {
                t.lines()
                    .filter(|l| !l.starts_with("store") && !l.starts_with("schema"))
                    .map(str::to_string)
                    .collect::<Vec<_>>()
            };
            assert_eq!(counts(&a), counts(&b), "stats");
            assert!(!b.contains(":storyline_ci@"), "no password printed: {b}");
        } else {
            assert_eq!(a, b, "storyline {} differs between SQLite and PostgreSQL", args.join(" "));
        }
    }

    // The server over both: the same answers.
    let (port_a, port_b) = (free_port(), free_port());
    let mut serve_a = storyline(file)
        .args(["serve", "--addr", &format!("127.0.0.1:{port_a}")])
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut serve_b =
        storyline(&db).args(["serve", "--addr", &format!("127.0.0.1:{port_b}")]).stderr(Stdio::null()).spawn().unwrap();
    let story = stories_of(file).remove(0);
    for path in [
        "/api/stories",
        "/api/stories?q=dockers",
        "/api/entities",
        "/api/stories?lang=en",
        &format!("/api/stories/{story}"),
    ] {
        assert_eq!(http_get(port_a, path), http_get(port_b, path), "GET {path}");
    }
    let found = http_get(port_b, "/api/search?q=dockers");
    assert!(found.contains("[dockers]"), "search on PostgreSQL highlights: {found}");
    let _ = serve_a.kill();
    let _ = serve_b.kill();
    let _ = (serve_a.wait(), serve_b.wait());
}

/// The story ids `storyline stories` lists.
fn stories_of(db: &str) -> Vec<String> {
    let out = run(storyline(db).arg("stories"));
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().next())
        .map(str::to_string)
        .collect()
}

/// The body of a GET on loopback, waiting for the server to listen.
fn http_get(port: u16, path: &str) -> String {
    use std::io::{Read, Write};
    let started = Instant::now();
    let mut stream = loop {
        match std::net::TcpStream::connect(("127.0.0.1", port)) {
            Ok(s) => break s,
            Err(_) if started.elapsed() < Duration::from_secs(30) => std::thread::sleep(Duration::from_millis(100)),
            Err(e) => panic!("the server on {port} does not answer: {e}"),
        }
    };
    write!(stream, "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    assert!(head.starts_with("HTTP/1.1 200"), "GET {path}: {head}");
    body.to_string()
}

#[test]
#[ignore = "needs PostgreSQL (STORYLINE_TEST_PG) and nats-server: run by .ci/run"]
fn two_workers_store_what_one_ingest_stores() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = write_corpus(dir.path());
    let reference = reference("storyline_test_ref_workers", &corpus);
    let nats = Nats::start(&dir.path().join("nats"));
    let db = fresh_database("storyline_test_workers");
    enqueue(&nats, "two", &corpus);
    // Published twice: the stream's window keeps one of each.
    let again = run(storyline("unused.db").args(["enqueue", "--nats", &nats.url(), "--queue", "two"]).arg(&corpus));
    assert!(String::from_utf8_lossy(&again.stderr).contains("queued 0 document(s)"));
    let mut a = worker(&db, &nats, "two", &dir.path().join("worker.log"), &["--exit-when-idle", "--name", "a"])
        .spawn()
        .unwrap();
    let mut b = worker(&db, &nats, "two", &dir.path().join("worker.log"), &["--exit-when-idle", "--name", "b"])
        .spawn()
        .unwrap();
    assert!(a.wait().unwrap().success() && b.wait().unwrap().success());
    let status = run(storyline(&db).args(["status", "--nats", &nats.url(), "--queue", "two"]));
    let status = String::from_utf8_lossy(&status.stdout).into_owned();
    assert!(status.contains("queued           0 document(s)"), "{status}");
    assert!(status.contains("(0 waiting for linking and stories)"), "{status}");
    assert!(status.contains("workers          2"), "{status}");
    assert_same_as_reference(&db, &reference);
}

#[test]
#[ignore = "needs PostgreSQL (STORYLINE_TEST_PG) and nats-server: run by .ci/run"]
fn a_worker_killed_in_a_batch_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = write_corpus(dir.path());
    let reference = reference("storyline_test_ref_kill", &corpus);
    let nats = Nats::start(&dir.path().join("nats"));
    let db = fresh_database("storyline_test_kill");
    enqueue(&nats, "kill", &corpus);
    let mut doomed = worker(&db, &nats, "kill", &dir.path().join("worker.log"), &["--name", "doomed"]).spawn().unwrap();
    wait_for("the first batches", Duration::from_secs(120), || articles_in(&db) >= 32);
    doomed.kill().unwrap(); // SIGKILL, in the middle of whatever it was doing
    doomed.wait().unwrap();
    let stored = articles_in(&db);
    assert!(stored < 300, "killed before the end ({stored} stored)");
    let mut heir = worker(&db, &nats, "kill", &dir.path().join("worker.log"), &["--exit-when-idle", "--name", "heir"])
        .spawn()
        .unwrap();
    assert!(heir.wait().unwrap().success());
    assert_same_as_reference(&db, &reference);
}

#[test]
#[ignore = "needs PostgreSQL (STORYLINE_TEST_PG) and nats-server: run by .ci/run"]
fn nats_restarted_during_an_ingest_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = write_corpus(dir.path());
    let reference = reference("storyline_test_ref_nats", &corpus);
    let mut nats = Nats::start(&dir.path().join("nats"));
    let db = fresh_database("storyline_test_nats");
    enqueue(&nats, "restart", &corpus);
    let mut w = worker(&db, &nats, "restart", &dir.path().join("worker.log"), &["--exit-when-idle", "--name", "w"])
        .spawn()
        .unwrap();
    wait_for("the first batches", Duration::from_secs(120), || articles_in(&db) >= 32);
    nats.restart();
    assert!(w.wait().unwrap().success());
    assert_same_as_reference(&db, &reference);
}

#[test]
#[ignore = "needs PostgreSQL (STORYLINE_TEST_PG, STORYLINE_TEST_PG_RESTART) and nats-server: run by .ci/run"]
fn postgres_restarted_during_an_ingest_loses_nothing() {
    let restart = std::env::var("STORYLINE_TEST_PG_RESTART")
        .expect("STORYLINE_TEST_PG_RESTART must be a shell command that restarts the test PostgreSQL");
    let dir = tempfile::tempdir().unwrap();
    let corpus = write_corpus(dir.path());
    let reference = reference("storyline_test_ref_pg", &corpus);
    let nats = Nats::start(&dir.path().join("nats"));
    let db = fresh_database("storyline_test_pg_restart");
    enqueue(&nats, "pg", &corpus);
    let mut w =
        worker(&db, &nats, "pg", &dir.path().join("worker.log"), &["--exit-when-idle", "--name", "w"]).spawn().unwrap();
    wait_for("the first batches", Duration::from_secs(120), || articles_in(&db) >= 32);
    let restarted = Command::new("sh").arg("-c").arg(&restart).status().unwrap();
    assert!(restarted.success(), "{restart} failed");
    assert!(w.wait().unwrap().success());
    let log = std::fs::read_to_string(dir.path().join("worker.log")).unwrap();
    assert!(log.contains("failed") || log.contains("retrying"), "the worker met the restart: {log}");
    assert_same_as_reference(&db, &reference);
}
