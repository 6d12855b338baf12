//! Interop: spanmark's phrase-pattern suggestions equal spaCy's matches for the same
//! patterns file (`tests/interop/suggest_patterns.jsonl`) on a small corpus
//! (`tests/interop/suggest_corpus.jsonl`); `tests/interop/entity_ruler.py` runs spaCy.
//!
//! Two comparisons:
//! - every phrase match: spanmark's matches equal spaCy's `PhraseMatcher`'s (the
//!   matcher the EntityRuler builds from the same patterns, over a blank English
//!   pipeline's tokens), as (start_char, end_char, label) sets;
//! - the EntityRuler's entities: spaCy drops overlapping matches (the longest wins, then
//!   the leftmost). spanmark keeps every match as a suggestion, so its matches are put
//!   through the same filter here before comparing ranges; where two labels share a range
//!   (a pattern given twice) spaCy's pick between them is its matcher's order, so only
//!   "spaCy's label is one of spanmark's for that range" is checked.
//!
//! Token and regex lines of the file are spanmark's own and left out on both sides.
//! Needs `SPANMARK_PYTHON` (a Python with spaCy), as `tests/interop.rs` does: skipped
//! without it, except under CI, where it fails.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use spanmark::model::suggest::{RuleKind, RuleSet, RuleSetRules};
use spanmark::model::{Document, Project};

type Match = (usize, usize, String);

#[test]
fn phrase_patterns_match_as_spacy_entity_ruler() {
    let Some(python) = std::env::var_os("SPANMARK_PYTHON") else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must set SPANMARK_PYTHON to a Python with spacy"
        );
        eprintln!("skipped: set SPANMARK_PYTHON to run the interop checks");
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/interop");
    let patterns_path = root.join("suggest_patterns.jsonl");
    let corpus_path = root.join("suggest_corpus.jsonl");
    let patterns = std::fs::read_to_string(&patterns_path).unwrap();
    // The phrase lines only: the rest is spanmark's own syntax.
    let phrases: String = patterns
        .lines()
        .filter(|l| {
            serde_json::from_str::<serde_json::Value>(l).is_ok_and(|v| v["pattern"].is_string())
        })
        .map(|l| format!("{l}\n"))
        .collect();
    let texts: Vec<String> = std::fs::read_to_string(&corpus_path)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["text"].as_str().unwrap().to_string()
        })
        .collect();
    let project = Project::with_documents(
        texts
            .iter()
            .enumerate()
            .map(|(i, t)| Document::new(format!("d{i}"), t.as_str()))
            .collect(),
    );
    let set = RuleSet {
        name: "suggest_patterns.jsonl".into(),
        kind: RuleKind::Patterns,
        enabled: true,
        source: phrases,
        default_label: None,
    };
    let (rules, warnings) = RuleSetRules::compile(&set, &project).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");

    let run = Command::new(python)
        .arg(root.join("entity_ruler.py"))
        .arg(&patterns_path)
        .arg(&corpus_path)
        .output()
        .expect("python runs");
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "entity_ruler.py failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let spacy: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(spacy.len(), texts.len());
    let as_set = |v: &serde_json::Value| -> BTreeSet<Match> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|m| {
                (
                    m[0].as_u64().unwrap() as usize,
                    m[1].as_u64().unwrap() as usize,
                    m[2].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let mut total = 0;
    for (i, doc) in project.documents().iter().enumerate() {
        let ours: BTreeSet<Match> = rules
            .find(doc.text())
            .into_iter()
            .map(|(s, _)| {
                let label = project.label(s.label()).unwrap().name.clone();
                (s.start(), s.end(), label)
            })
            .collect();
        total += ours.len();
        let matcher = as_set(&spacy[i]["matcher"]);
        assert_eq!(ours, matcher, "document {i}: {:?}", texts[i]);

        // The EntityRuler's filter: longest first, then leftmost; no two share a token.
        let mut by_range: BTreeMap<(usize, usize), BTreeSet<String>> = BTreeMap::new();
        for (s, e, l) in &ours {
            by_range.entry((*s, *e)).or_default().insert(l.clone());
        }
        let mut ranges: Vec<(usize, usize)> = by_range.keys().copied().collect();
        ranges.sort_by_key(|&(s, e)| (std::cmp::Reverse(e - s), s));
        let mut kept: Vec<(usize, usize)> = Vec::new();
        for (s, e) in ranges {
            if kept.iter().all(|&(ks, ke)| e <= ks || s >= ke) {
                kept.push((s, e));
            }
        }
        kept.sort_unstable();
        let ruler = as_set(&spacy[i]["ruler"]);
        let ruler_ranges: Vec<(usize, usize)> = ruler.iter().map(|(s, e, _)| (*s, *e)).collect();
        assert_eq!(kept, ruler_ranges, "document {i}: {:?}", texts[i]);
        for (s, e, l) in &ruler {
            assert!(by_range[&(*s, *e)].contains(l), "{s}..{e} {l}");
        }
    }
    // The corpus exercises the patterns: most of them match somewhere.
    assert!(total >= 25, "only {total} matches");
}
