//! One statement reported by several articles: the same speaker and the
//! same (or nearly the same: trimmed, re-punctuated) words. Articles that
//! share the passage as wire copy count as one independent source.

use rustc_hash::{FxHashMap, FxHashSet};
use storyline_nlp::fold::{fold, token_slices};

/// An attribution as the grouping sees it: where it is, who said it, what.
#[derive(Debug, Clone)]
pub struct StatementSource {
    /// The article.
    pub article: String,
    /// The content's span in the article.
    pub start: usize,
    /// End of the span (exclusive).
    pub end: usize,
    /// The speaker's entity id, else the speaker as written.
    pub speaker: Option<String>,
    /// The content.
    pub text: String,
}

/// A statement and every article that reports it.
#[derive(Debug, Clone)]
pub struct Statement {
    /// The speaker (entity id, or as written).
    pub speaker: Option<String>,
    /// The longest wording.
    pub text: String,
    /// Every report of it, in input order.
    pub sources: Vec<StatementSource>,
    /// Reports that are not wire copies of one another.
    pub independent_sources: usize,
}

/// Share of the shorter wording's words the longer must hold for two
/// reports to be one statement.
const SAME_WORDS: f64 = 0.8;
/// Statements shorter than this (words) are only grouped when identical.
const MIN_WORDS: usize = 4;

/// Groups reports of the same statement. `wire_copies` lists article pairs
/// that share passages (near-duplicates or shared wire copy): reports from
/// articles joined by them count once.
pub fn group_statements(reports: Vec<StatementSource>, wire_copies: &[(String, String)]) -> Vec<Statement> {
    let words: Vec<FxHashSet<String>> =
        reports.iter().map(|r| token_slices(&fold(&r.text)).map(str::to_string).collect()).collect();
    let mut group_of: Vec<usize> = (0..reports.len()).collect();
    for i in 0..reports.len() {
        for j in 0..i {
            if group_of[j] != j || reports[i].speaker != reports[j].speaker {
                continue;
            }
            if same_statement(&words[i], &words[j]) {
                group_of[i] = j;
                break;
            }
        }
    }
    let mut wire: FxHashMap<&str, &str> = FxHashMap::default();
    fn root<'a>(wire: &FxHashMap<&'a str, &'a str>, mut a: &'a str) -> &'a str {
        while let Some(&p) = wire.get(a) {
            if p == a {
                break;
            }
            a = p;
        }
        a
    }
    for (a, b) in wire_copies {
        let (ra, rb) = (root(&wire, a), root(&wire, b));
        if ra != rb {
            wire.insert(ra.max(rb), ra.min(rb));
        }
    }
    let mut statements: Vec<Statement> = Vec::new();
    let mut index: FxHashMap<usize, usize> = FxHashMap::default();
    for (i, report) in reports.into_iter().enumerate() {
        let g = group_of[i];
        let at = *index.entry(g).or_insert_with(|| {
            statements.push(Statement {
                speaker: report.speaker.clone(),
                text: String::new(),
                sources: Vec::new(),
                independent_sources: 0,
            });
            statements.len() - 1
        });
        let statement = &mut statements[at];
        if report.text.chars().count() > statement.text.chars().count() {
            statement.text = report.text.clone();
        }
        statement.sources.push(report);
    }
    for statement in &mut statements {
        let roots: FxHashSet<&str> = statement.sources.iter().map(|s| root(&wire, &s.article)).collect();
        statement.independent_sources = roots.len();
    }
    statements
}

fn same_statement(a: &FxHashSet<String>, b: &FxHashSet<String>) -> bool {
    if a.is_empty() || b.is_empty() {
        return false;
    }
    let shared = a.intersection(b).count();
    let shorter = a.len().min(b.len());
    if shorter < MIN_WORDS {
        return a == b;
    }
    shared as f64 >= SAME_WORDS * shorter as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(article: &str, speaker: &str, text: &str) -> StatementSource {
        StatementSource { article: article.into(), start: 0, end: 0, speaker: Some(speaker.into()), text: text.into() }
    }

    #[test]
    fn trimmed_reports_of_one_statement_group_and_wire_copies_count_once() {
        let reports = vec![
            report("a", "p1", "Notre position est claire : les forces doivent quitter le territoire"),
            report("b", "p1", "les forces doivent quitter le territoire"),
            report("c", "p1", "Notre position est claire, les forces doivent quitter le territoire."),
            report("c", "p2", "les forces doivent quitter le territoire"),
            report("d", "p1", "Nous ne négocierons pas avec eux"),
        ];
        let wire = vec![("a".to_string(), "c".to_string())];
        let statements = group_statements(reports, &wire);
        assert_eq!(statements.len(), 3);
        assert_eq!(statements[0].sources.len(), 3);
        assert_eq!(statements[0].independent_sources, 2);
        assert!(statements[0].text.starts_with("Notre position est claire"));
        assert_eq!(statements[1].speaker.as_deref(), Some("p2"));
    }
}
