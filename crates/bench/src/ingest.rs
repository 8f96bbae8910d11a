//! `bench ingest`: the end-to-end pipeline through a real store on disk, at
//! growing store sizes.
//!
//! The corpus is generated, deterministically, as JSON Lines: events with
//! two actors drawn from 5,000 generated person names (given name and
//! surname), a place from 2,000 generated place names, an action (English
//! or French templates), a topic noun and a date within ten years; each
//! event is reported by 1 to 5 articles in one language (half English, half
//! French), each of 300 to 1,000 words: the event's facts told in several
//! template sentences, mixed with filler sentences built from the
//! language's function words and a 3,000-word generated vocabulary, in a
//! random order. Look-alike events reuse actors and actions at other dates.
//!
//! For each size the store is built by ingesting the corpus file through
//! the pipeline (building time, articles per second per stage), then a
//! separate process adds 1,000 new articles (a third of them continue
//! stored stories) and reports its time, per-stage rates and peak memory.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};
use storyline_pipeline::{Pipeline, Silent, Summary};
use storyline_sources::SourceOptions;
use storyline_store::Store;

use crate::peak_memory_mb;
use crate::stories::{word, Rng};

const ACTIONS_EN: &[&str] = &[
    "signed an agreement with",
    "met",
    "criticised",
    "sued",
    "appointed",
    "visited",
    "accused",
    "warned",
    "negotiated with",
    "challenged",
    "supported",
    "condemned",
    "welcomed",
    "defeated",
    "invited",
    "praised",
];
const ACTIONS_FR: &[&str] = &[
    "a signé un accord avec",
    "a rencontré",
    "a critiqué",
    "a poursuivi",
    "a nommé",
    "a rendu visite à",
    "a accusé",
    "a averti",
    "a négocié avec",
    "a défié",
    "a soutenu",
    "a condamné",
    "a accueilli",
    "a battu",
    "a invité",
    "a salué",
];
// Function words every other word, so that language identification and the
// text cleaner see the language they expect around the generated nouns.
const FUNCTION_EN: &[&str] = &[
    "the", "of", "and", "in", "for", "with", "on", "that", "was", "by", "as", "its", "which", "were", "from", "this",
    "would", "after", "their", "about",
];
const FUNCTION_FR: &[&str] = &[
    "le", "la", "les", "de", "des", "et", "dans", "pour", "avec", "sur", "qui", "une", "était", "aussi", "mais",
    "selon", "leur", "après", "cette", "nous",
];

/// The generator's fixed vocabularies.
struct World {
    people: Vec<String>,
    places: Vec<String>,
    nouns: Vec<String>,
}

impl World {
    fn new() -> Self {
        let mut rng = Rng(0x5eed);
        World {
            people: (0..5000).map(|_| format!("{} {}", word(&mut rng, 2, true), word(&mut rng, 3, true))).collect(),
            places: (0..2000).map(|_| word(&mut rng, 3, true)).collect(),
            nouns: (0..3000).map(|_| word(&mut rng, 3, false)).collect(),
        }
    }
}

/// One generated event.
#[derive(Clone)]
struct Event {
    a: usize,
    b: usize,
    place: usize,
    action: usize,
    topic: usize,
    day: u64,
    french: bool,
}

fn event(rng: &mut Rng, w: &World) -> Event {
    Event {
        a: rng.below(w.people.len()),
        b: rng.below(w.people.len()),
        place: rng.below(w.places.len()),
        action: rng.below(ACTIONS_EN.len()),
        topic: rng.below(w.nouns.len()),
        day: rng.below(3650) as u64,
        french: rng.below(2) == 0,
    }
}

/// One article of an event as a JSON Lines record.
fn article(rng: &mut Rng, w: &World, e: &Event, event: usize, serial: usize) -> String {
    let (a, b, place, topic) = (&w.people[e.a], &w.people[e.b], &w.places[e.place], &w.nouns[e.topic]);
    let surname = |p: &str| p.split(' ').next_back().unwrap_or(p).to_string();
    let (mut sentences, title, function) = if e.french {
        let action = ACTIONS_FR[e.action];
        (
            vec![
                format!("{a} {action} {b} à {place} au sujet du dossier {topic}."),
                format!("Les discussions sur le dossier {topic} à {place} ont attiré de nombreux observateurs."),
                format!("Selon {}, la question {topic} sera réglée rapidement.", surname(b)),
                format!("{} a déclaré que la rencontre de {place} marquait une étape.", surname(a)),
            ],
            format!("{a} {action} {b} à {place}"),
            FUNCTION_FR,
        )
    } else {
        let action = ACTIONS_EN[e.action];
        (
            vec![
                format!("{a} {action} {b} in {place} over the {topic} question."),
                format!("The {topic} talks in {place} drew attention from many observers."),
                format!("{} said the {topic} issue would be settled soon.", surname(b)),
                format!("{} told reporters that the meeting in {place} was a milestone.", surname(a)),
            ],
            format!("{a} {action} {b} in {place}"),
            FUNCTION_EN,
        )
    };
    let target_words = 300 + rng.below(700);
    let mut words: usize = sentences.iter().map(|s| s.split_whitespace().count()).sum();
    while words < target_words {
        let n = 10 + rng.below(14);
        let mut s: Vec<String> = (0..n)
            .map(|i| {
                if i % 2 == 1 {
                    function[rng.below(function.len())].to_string()
                } else {
                    w.nouns[rng.below(w.nouns.len())].clone()
                }
            })
            .collect();
        s[0][..1].make_ascii_uppercase();
        words += n;
        sentences.push(format!("{}.", s.join(" ")));
    }
    for i in (1..sentences.len()).rev() {
        sentences.swap(i, rng.below(i + 1));
    }
    let mut paragraphs = Vec::new();
    for chunk in sentences.chunks(4) {
        paragraphs.push(chunk.join(" "));
    }
    let date = chrono::NaiveDate::from_ymd_opt(2015, 1, 1).unwrap() + chrono::Days::new(e.day + rng.below(3) as u64);
    serde_json::json!({
        "id": format!("ev{event}/{serial}"),
        "title": title,
        "text": paragraphs.join("\n\n"),
        "published": date.to_string(),
        "lang": if e.french { "fr" } else { "en" },
    })
    .to_string()
}

/// Articles per corpus file of a built store: the build reads the files in
/// turn, says how far it is after each, and resumes after an interruption.
const CORPUS_FILE_ARTICLES: usize = 50_000;

/// Writes `n` articles of new events, then `extra` articles: two thirds of
/// new events, a third continuing events of the first part.
pub(crate) fn write_corpus(path: &Path, n: usize, extra: Option<(&Path, usize)>) -> Result<()> {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    generate(n, |_, line| Ok(writeln!(out, "{line}")?), extra.map(|(p, count)| (p, count, n)))?;
    out.flush()?;
    Ok(())
}

/// Generates the corpus of `n` articles, handing each line to `sink` with its
/// serial number, then writes `extra` articles (path, count, stored) to a
/// file: the batch added to a store that holds `stored` articles of this
/// corpus and of earlier batches (so a second batch is new, not a copy of
/// the first).
fn generate(
    n: usize,
    mut sink: impl FnMut(usize, &str) -> Result<()>,
    extra: Option<(&Path, usize, usize)>,
) -> Result<()> {
    let w = World::new();
    let mut rng = Rng(42);
    let mut events: Vec<Event> = Vec::new();
    let mut serial = 0;
    while serial < n {
        let e = event(&mut rng, &w);
        for _ in 0..1 + rng.below(5) {
            if serial >= n {
                break;
            }
            sink(serial, &article(&mut rng, &w, &e, events.len(), serial))?;
            serial += 1;
        }
        events.push(e);
    }
    if let Some((path, count, stored)) = extra {
        let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
        let mut rng = Rng(4242 + stored as u64);
        // Events and serials of later batches come after those of earlier ones.
        let offset = stored - n;
        for i in 0..count {
            let (number, e) = if i % 3 == 0 {
                let k = rng.below(events.len());
                (k, events[k].clone())
            } else {
                (events.len() + offset + i, event(&mut rng, &w))
            };
            writeln!(out, "{}", article(&mut rng, &w, &e, number, stored + i))?;
        }
        out.flush()?;
    }
    Ok(())
}

/// Per-stage rates of a run, one line.
fn stage_line(label: &str, s: &Summary) -> String {
    let rate = |d: std::time::Duration| {
        if d.as_secs_f64() > 0.0 {
            format!("{:.0}", s.stored as f64 / d.as_secs_f64())
        } else {
            "-".into()
        }
    };
    format!(
        "{label}: articles/s per stage: extract {}  mentions {}  linking {}  stories {}  near-duplicates {}  store {}",
        rate(s.times.extract),
        rate(s.times.mentions),
        rate(s.times.linking),
        rate(s.times.stories),
        rate(s.times.overlaps),
        rate(s.times.store)
    )
}

/// Progress of a long build on stderr, and the seconds spent so far kept in
/// the `.building` marker, so that a resumed build reports its whole time.
struct BuildProgress {
    n: usize,
    marker: PathBuf,
    seconds_before: f64,
    started: Instant,
}

impl storyline_pipeline::Progress for BuildProgress {
    fn file_done(&mut self, summary: &Summary) {
        let seconds = self.started.elapsed().as_secs_f64();
        eprintln!(
            "bench ingest: {} of {} articles stored in this run ({:.0} articles/s), {:.0} s in all",
            summary.stored + summary.duplicates,
            self.n,
            summary.stored as f64 / seconds.max(1e-9),
            self.seconds_before + seconds
        );
        std::fs::write(&self.marker, format!("{}", self.seconds_before + seconds)).ok();
    }
}

/// Builds the store of `n` generated articles in `dir` (`store-N.db`), and
/// writes the `batch` articles to add later (`added-N.jsonl`); returns the
/// lines to print (building time and rates), which are also kept beside the
/// store (`store-N.built`). A build that was interrupted (its marker
/// `store-N.building` is still there) resumes: the articles already stored
/// are skipped by their content hash.
pub fn build_store(dir: &Path, n: usize, batch: usize) -> Result<Vec<String>> {
    let db = dir.join(format!("store-{n}.db"));
    let added = dir.join(format!("added-{n}.jsonl"));
    let marker = dir.join(format!("store-{n}.building"));
    let seconds_before: f64 = std::fs::read_to_string(&marker).ok().and_then(|s| s.trim().parse().ok()).unwrap_or(0.0);
    std::fs::write(&marker, format!("{seconds_before}"))?;
    let mut lines = Vec::new();
    eprintln!("bench ingest: writing {n} articles...");
    let mut files: Vec<PathBuf> = Vec::new();
    let mut out: Option<std::io::BufWriter<std::fs::File>> = None;
    generate(
        n,
        |serial, line| {
            if serial % CORPUS_FILE_ARTICLES == 0 {
                if let Some(mut done) = out.take() {
                    done.flush()?;
                }
                let path = dir.join(format!("corpus-{n}-{:04}.jsonl", serial / CORPUS_FILE_ARTICLES));
                out = Some(std::io::BufWriter::new(std::fs::File::create(&path)?));
                files.push(path);
            }
            Ok(writeln!(out.as_mut().expect("a corpus file is open"), "{line}")?)
        },
        Some((&added, batch, n)),
    )?;
    if let Some(mut done) = out.take() {
        done.flush()?;
    }
    eprintln!("bench ingest: building the store of {n} articles...");
    let pipeline = Pipeline::new(storyline_extract::HtmlOptions::default())?;
    let mut store = Store::open(&db)?;
    let started = Instant::now();
    let mut progress = BuildProgress { n, marker: marker.clone(), seconds_before, started };
    let built = pipeline.ingest_paths(&mut store, &files, &SourceOptions::default(), &mut progress)?;
    let seconds = started.elapsed().as_secs_f64();
    let resumed = if seconds_before > 0.0 {
        format!(" (resumed: {seconds_before:.0} s before the interruption, {seconds:.0} s after)")
    } else {
        String::new()
    };
    let in_all = seconds_before + seconds;
    lines.push(format!(
        "store of {n}: built in {in_all:.0} s{resumed} ({:.0} articles/s end to end in the last run, {} stored, {} already there, {} failed)",
        built.stored as f64 / seconds,
        built.stored,
        built.duplicates,
        built.failed.len()
    ));
    lines.push(stage_line(&format!("  building {n}"), &built));
    lines.push(format!("  {}", partition_line(&store)?));
    for file in &files {
        std::fs::remove_file(file).ok();
    }
    std::fs::write(dir.join(format!("store-{n}.built")), lines.join("\n") + "\n")?;
    std::fs::remove_file(&marker).ok();
    Ok(lines)
}

/// The store of `n` in `dir`, built when missing or resumed when its build
/// was interrupted; returns the lines to print about it.
pub fn ensure_store(dir: &Path, n: usize, batch: usize) -> Result<Vec<String>> {
    let db = dir.join(format!("store-{n}.db"));
    if db.exists() && !dir.join(format!("store-{n}.building")).exists() {
        let mut lines = vec![format!("store of {n}: reused from {}", db.display())];
        if let Ok(built) = std::fs::read_to_string(dir.join(format!("store-{n}.built"))) {
            lines.extend(built.lines().map(|l| format!("  (when built) {}", l.trim_start())));
        }
        return Ok(lines);
    }
    build_store(dir, n, batch)
}

/// A batch of `batch` new articles for the store of `n` as it is now (it may
/// hold earlier batches): generated after what it holds, so that adding it
/// in place measures new work.
pub fn fresh_batch(dir: &Path, n: usize, batch: usize) -> Result<PathBuf> {
    let db = dir.join(format!("store-{n}.db"));
    let stored = Store::open(&db)?.stats()?.articles as usize;
    let path = dir.join(format!("added-{n}-at-{stored}.jsonl"));
    if !path.exists() {
        eprintln!("bench ingest: generating a batch of {batch} for the store of {n} at {stored} articles...");
        generate(n, |_, _| Ok(()), Some((&path, batch, stored.max(n))))?;
    }
    Ok(path)
}

/// Options of the benchmark.
pub struct IngestBenchOptions {
    /// Store sizes to measure.
    pub sizes: Vec<usize>,
    /// Articles added to each store.
    pub batch: usize,
    /// Where stores and corpora are kept (reused when present); a temporary folder otherwise.
    pub dir: Option<PathBuf>,
    /// Times the batch is added to a fresh copy of each store; the fastest is reported.
    pub rounds: usize,
    /// Add a fresh batch to the kept store itself, once, instead of to copies
    /// (a store of 1M articles is too large to copy on a laptop's disk).
    pub in_place: bool,
}

/// Runs the benchmark; returns the lines to print.
pub fn bench_ingest(options: &IngestBenchOptions) -> Result<Vec<String>> {
    let temp = tempfile::tempdir()?;
    let dir = options.dir.clone().unwrap_or_else(|| temp.path().to_path_buf());
    std::fs::create_dir_all(&dir)?;
    let exe = std::env::current_exe()?;
    let mut lines = vec![
        "synthetic JSON Lines corpus: events with generated actors, places and topics, 1-5 articles each, 300-1,000 words, half English, half French".to_string(),
        format!("{} core(s); stores on disk in {}", rayon::current_num_threads(), dir.display()),
    ];
    let mut built: Vec<Vec<String>> = Vec::new();
    for &n in &options.sizes {
        built.push(ensure_store(&dir, n, options.batch)?);
    }
    // Rounds of adding go over every size in turn, so that a slower spell
    // of the machine falls on all sizes alike; the fastest round of each
    // size is the one least disturbed.
    let rounds = if options.in_place { 1 } else { options.rounds.max(1) };
    let mut fastest: Vec<Option<(f64, String)>> = vec![None; options.sizes.len()];
    let mut all_seconds: Vec<Vec<f64>> = vec![Vec::new(); options.sizes.len()];
    for round in 0..rounds {
        for (k, &n) in options.sizes.iter().enumerate() {
            eprintln!(
                "bench ingest: adding {} articles to the store of {n}, round {} of {rounds}...",
                options.batch,
                round + 1
            );
            let (seconds, report) = if options.in_place {
                let added = fresh_batch(&dir, n, options.batch)?;
                add_batch(&dir.join(format!("store-{n}.db")), &added, &exe)?
            } else {
                add_to_copy(&dir, n, &exe)?
            };
            all_seconds[k].push(seconds);
            if fastest[k].as_ref().is_none_or(|(best, _)| seconds < *best) {
                fastest[k] = Some((seconds, report));
            }
        }
    }
    let mut add_costs = Vec::new();
    for (k, &n) in options.sizes.iter().enumerate() {
        lines.append(&mut built[k]);
        if let Some((seconds, report)) = &fastest[k] {
            add_costs.push((n, *seconds));
            for line in report.lines().filter(|l| !l.starts_with("seconds ")) {
                lines.push(format!("  {line}"));
            }
            if rounds > 1 {
                let each: Vec<String> = all_seconds[k].iter().map(|s| format!("{s:.2}")).collect();
                lines.push(format!("  (fastest of {rounds} rounds of adding: {} s)", each.join(", ")));
            }
        }
    }
    if let (Some(first), Some(last)) = (add_costs.first(), add_costs.last()) {
        if add_costs.len() > 1 {
            lines.push(format!(
                "adding {} articles: {:.1} s at {} stored, {:.1} s at {} stored: {:.2}x (target <= 1.5x)",
                options.batch,
                first.1,
                first.0,
                last.1,
                last.0,
                last.1 / first.1
            ));
        }
    }
    Ok(lines)
}

/// Adds the batch kept for the store of `n` to a fresh copy of it, in a
/// process of its own (so its peak memory is its own); returns the seconds
/// it took and that process's report.
fn add_to_copy(dir: &Path, n: usize, exe: &Path) -> Result<(f64, String)> {
    let db = dir.join(format!("store-{n}.db"));
    let added = dir.join(format!("added-{n}.jsonl"));
    let work = dir.join(format!("work-{n}.db"));
    let remove_work = || {
        for suffix in ["", "-wal", "-shm"] {
            std::fs::remove_file(format!("{}{suffix}", work.display())).ok();
        }
    };
    // A log left by an interrupted run would be replayed into the copy.
    remove_work();
    std::fs::copy(&db, &work).context("cannot copy the store")?;
    // The copy on disk first, so that writing it back does not fall inside the measurement.
    std::fs::File::open(&work).and_then(|f| f.sync_all()).context("cannot sync the copy of the store")?;
    let outcome = add_batch(&work, &added, exe);
    remove_work();
    outcome
}

/// Adds the articles of `added` to the store `db` in a process of its own;
/// returns the seconds it took and that process's report.
fn add_batch(db: &Path, added: &Path, exe: &Path) -> Result<(f64, String)> {
    let out = std::process::Command::new(exe)
        .args(["bench", "ingest-add", "--db"])
        .arg(db)
        .arg("--data")
        .arg(added)
        .output()
        .context("cannot run the added batch")?;
    anyhow::ensure!(out.status.success(), "the added batch failed: {}", String::from_utf8_lossy(&out.stderr));
    let report = String::from_utf8_lossy(&out.stdout).to_string();
    let seconds: f64 =
        report.lines().find_map(|l| l.strip_prefix("seconds ")).and_then(|s| s.trim().parse().ok()).unwrap_or(f64::NAN);
    Ok((seconds, report))
}

/// The stored stories scored against the generator's events (B-cubed).
fn partition_line(store: &Store) -> Result<String> {
    Ok(partition_of(store.story_assignments()?))
}

/// The B-cubed line of (external id, story) pairs against the generated events.
pub(crate) fn partition_of(assignments: Vec<(Option<String>, Option<String>)>) -> String {
    let mut events: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut stories: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let (mut gold, mut predicted) = (Vec::new(), Vec::new());
    for (k, (external, story)) in assignments.into_iter().enumerate() {
        let event = external.as_deref().and_then(|e| e.split('/').next()).unwrap_or("").to_string();
        let next = events.len();
        gold.push(*events.entry(event).or_insert(next));
        let next = stories.len();
        predicted.push(*stories.entry(story.unwrap_or_else(|| format!("none{k}"))).or_insert(next));
    }
    let (p, r, f) = bcubed(&predicted, &gold);
    format!(
        "stories against the generated events: B3 precision {p:.4} recall {r:.4} F1 {f:.4} ({} stories, {} events)",
        stories.len(),
        events.len()
    )
}

/// B-cubed precision, recall and F1 (linear time: the eval suite's scores
/// also compute CEAF, an assignment problem too large for a million items).
fn bcubed(predicted: &[usize], gold: &[usize]) -> (f64, f64, f64) {
    use std::collections::HashMap;
    let mut joint: HashMap<(usize, usize), f64> = HashMap::new();
    let mut p_size: HashMap<usize, f64> = HashMap::new();
    let mut g_size: HashMap<usize, f64> = HashMap::new();
    for (p, g) in predicted.iter().zip(gold) {
        *joint.entry((*p, *g)).or_default() += 1.0;
        *p_size.entry(*p).or_default() += 1.0;
        *g_size.entry(*g).or_default() += 1.0;
    }
    let n = predicted.len().max(1) as f64;
    let (mut precision, mut recall) = (0.0, 0.0);
    for ((p, g), count) in &joint {
        precision += count * count / p_size[p];
        recall += count * count / g_size[g];
    }
    let (precision, recall) = (precision / n, recall / n);
    let f1 = if precision + recall > 0.0 { 2.0 * precision * recall / (precision + recall) } else { 0.0 };
    (precision, recall, f1)
}

/// The added batch, run in its own process: prints its time, stage rates
/// and peak memory.
pub fn bench_ingest_add(db: &Path, added: &Path) -> Result<Vec<String>> {
    let pipeline = Pipeline::new(storyline_extract::HtmlOptions::default())?;
    let mut store = Store::open(db)?;
    let before = store.stats()?;
    let cpu_before = storyline_pipeline::cpu_seconds();
    let started = Instant::now();
    let done = pipeline.ingest_paths(&mut store, &[added.to_path_buf()], &SourceOptions::default(), &mut Silent)?;
    let seconds = started.elapsed().as_secs_f64();
    let cpu = storyline_pipeline::cpu_seconds().zip(cpu_before).map(|(after, before)| after - before);
    let mut lines = vec![
        format!("seconds {seconds}"),
        partition_line(&store)?,
        format!(
            "added {} articles to a store of {} in {seconds:.2} s ({:.0} articles/s end to end), {} stories changed, {} merged",
            done.stored,
            before.articles,
            done.stored as f64 / seconds,
            done.stories_changed,
            done.stories_merged
        ),
        stage_line("added batch", &done),
    ];
    if let Some(cpu) = cpu {
        // How much of the machine the batch kept busy: what is left idle is
        // time the stages wait for each other.
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        lines.push(format!(
            "CPU time of the added batch: {cpu:.2} s, {:.2} of {cores} core(s) busy on average",
            cpu / seconds.max(1e-9)
        ));
    }
    if let Some(mb) = peak_memory_mb() {
        lines.push(format!(
            "peak memory of the added batch: {mb:.0} MB (store file {:.0} MB)",
            before.bytes as f64 / 1e6
        ));
    }
    Ok(lines)
}
