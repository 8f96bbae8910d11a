//! Corroboration: the events of one story's articles that describe the
//! same act (same type, same source and target, compatible dates, the same
//! stance: an assertion and a denial of one act are two claims) become one
//! fact with all its sources. Articles that share the passage as wire copy,
//! or that cite the same origin ("selon l'AFP"), count as one independent
//! source.

use chrono::NaiveDate;
use rustc_hash::{FxHashMap, FxHashSet};
use storyline_model::{Event, EventMode};

/// Most days between two reports' dates for them to be one act.
const SAME_ACT_DAYS: i64 = 2;

/// An event as the grouping sees it.
#[derive(Debug, Clone)]
pub struct FactReport {
    /// The article.
    pub article: String,
    /// The event's index among the article's events.
    pub index: usize,
    /// The event.
    pub event: Event,
    /// The source's entity id, else its phrase (lowercase).
    pub source: String,
    /// The target's entity id, else its phrase (lowercase).
    pub target: String,
    /// Who the article cites for it (the attribution's speaker entity),
    /// when someone reports it.
    pub origin: Option<String>,
}

/// One act and every report of it.
#[derive(Debug, Clone)]
pub struct Fact {
    /// The PLOVER root type.
    pub kind: String,
    /// The source key (entity id or phrase).
    pub source: String,
    /// The target key.
    pub target: String,
    /// The stance its reports share: "asserted" (asserted or reported),
    /// or the mode ("denied", "intended", ...).
    pub stance: String,
    /// The earliest date its reports give.
    pub date: Option<NaiveDate>,
    /// Every report, in input order.
    pub reports: Vec<FactReport>,
    /// Articles, each once.
    pub articles: Vec<String>,
    /// Reports that are neither wire copies of one another nor citations of
    /// one origin.
    pub independent_sources: usize,
}

fn stance(mode: EventMode) -> &'static str {
    match mode {
        EventMode::Asserted | EventMode::Reported => "asserted",
        other => other.as_str(),
    }
}

fn dates_compatible(a: Option<NaiveDate>, b: Option<NaiveDate>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => (a - b).num_days().abs() <= SAME_ACT_DAYS,
        _ => true,
    }
}

/// Groups a story's event reports into facts. `wire_copies` lists article
/// pairs that share passages (near-duplicates or wire copy).
pub fn group_facts(reports: Vec<FactReport>, wire_copies: &[(String, String)]) -> Vec<Fact> {
    let mut facts: Vec<Fact> = Vec::new();
    for report in reports {
        let s = stance(report.event.mode);
        let at = facts.iter().position(|f| {
            f.kind == report.event.kind
                && f.source == report.source
                && f.target == report.target
                && f.stance == s
                && f.reports.iter().all(|r| dates_compatible(r.event.date, report.event.date))
        });
        let fact = match at {
            Some(at) => &mut facts[at],
            None => {
                facts.push(Fact {
                    kind: report.event.kind.clone(),
                    source: report.source.clone(),
                    target: report.target.clone(),
                    stance: s.to_string(),
                    date: None,
                    reports: Vec::new(),
                    articles: Vec::new(),
                    independent_sources: 0,
                });
                facts.last_mut().expect("just pushed")
            }
        };
        fact.date = match (fact.date, report.event.date) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        if !fact.articles.contains(&report.article) {
            fact.articles.push(report.article.clone());
        }
        fact.reports.push(report);
    }
    // Articles joined by wire copy share one root.
    let mut parent: FxHashMap<String, String> = FxHashMap::default();
    fn root(parent: &FxHashMap<String, String>, a: &str) -> String {
        let mut a = a.to_string();
        while let Some(p) = parent.get(&a) {
            if *p == a {
                break;
            }
            a = p.clone();
        }
        a
    }
    for (a, b) in wire_copies {
        let (ra, rb) = (root(&parent, a), root(&parent, b));
        if ra != rb {
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            parent.insert(hi, lo);
        }
    }
    for fact in &mut facts {
        // An article that only cites an origin for the act ("selon l'AFP")
        // counts as that origin; one that states it itself counts as itself
        // (its wire-copy group).
        let mut sources: FxHashSet<String> = FxHashSet::default();
        for article in &fact.articles {
            let reports: Vec<&FactReport> = fact.reports.iter().filter(|r| &r.article == article).collect();
            if reports.iter().all(|r| r.origin.is_some()) {
                sources.extend(reports.iter().filter_map(|r| r.origin.as_ref().map(|o| format!("origin:{o}"))));
            } else {
                sources.insert(format!("article:{}", root(&parent, article)));
            }
        }
        fact.independent_sources = sources.len();
    }
    facts.sort_by_key(|f| (f.date, std::cmp::Reverse(f.independent_sources)));
    facts
}

#[cfg(test)]
mod tests {
    use super::*;
    use storyline_model::EventActor;

    fn event(kind: &str, mode: EventMode, date: Option<NaiveDate>) -> Event {
        let actor = |t: &str| EventActor { text: t.into(), span: [0, 1], mention: None, country: None, sector: None };
        Event {
            kind: kind.into(),
            class: String::new(),
            trigger: String::new(),
            trigger_span: [0, 1],
            source: actor("a"),
            target: actor("b"),
            mode,
            attribution: None,
            date,
            date_source: None,
            location: None,
            start: 0,
            end: 1,
        }
    }

    #[test]
    fn one_act_from_several_articles_counts_wire_copies_and_origins_once() {
        let day = |d| NaiveDate::from_ymd_opt(2020, 10, d);
        let report = |article: &str, kind: &str, mode, date, origin: Option<&str>| FactReport {
            article: article.into(),
            index: 0,
            event: event(kind, mode, date),
            source: "am".into(),
            target: "ru".into(),
            origin: origin.map(str::to_string),
        };
        let reports = vec![
            report("a", "REQUEST", EventMode::Asserted, day(31), None),
            report("b", "REQUEST", EventMode::Reported, day(31), None),
            report("c", "REQUEST", EventMode::Asserted, None, None),
            report("d", "REQUEST", EventMode::Reported, day(31), Some("afp")),
            report("e", "REQUEST", EventMode::Reported, day(30), Some("afp")),
            report("f", "REQUEST", EventMode::Denied, day(31), None),
            report("g", "REQUEST", EventMode::Asserted, day(20), None),
        ];
        let wire = vec![("a".to_string(), "c".to_string())];
        let facts = group_facts(reports, &wire);
        let main = facts.iter().find(|f| f.articles.len() == 5).expect("the request, five articles");
        // a and c are one wire copy; d and e cite the AFP: a/c, b, AFP.
        assert_eq!(main.independent_sources, 3);
        assert_eq!(main.date, day(30));
        assert!(facts.iter().any(|f| f.stance == "denied"));
        assert!(facts.iter().any(|f| f.date == day(20)), "a date weeks apart is another act");
    }
}
