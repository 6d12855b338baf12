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

/// A synthetic news corpus whose names recur: `n` documents, each one template filled
/// with a person, a place and an organisation drawn from short lists (deterministic),
/// with the gold spans (start, end, label) in chars.
fn synthetic_corpus(n: usize) -> Vec<(String, Vec<Match>)> {
    const PEOPLE: &[&str] = &[
        "Zabihullah Mujahid",
        "Ashraf Ghani",
        "Hamid Karzai",
        "Amina Yusuf",
        "Lena Park",
        "Omar Haddad",
    ];
    const PLACES: &[&str] = &["Kabul", "Doha", "Bagram", "Kandahar", "Herat", "Islamabad"];
    const ORGS: &[&str] = &[
        "the Taliban",
        "NATO",
        "the United Nations",
        "Reuters",
        "the Red Cross",
    ];
    const TEMPLATES: &[&str] = &[
        "{p} arrived in {l} on Monday.",
        "In {l}, {p} met officials from {o}.",
        "{o} said {p} had left {l}.",
        "Reports from {l} say {o} and {p} disagreed.",
        "{p} told {o} that {l} was calm.",
    ];
    let mut seed: u64 = 0x5eed;
    let mut next = |k: usize| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((seed >> 33) % k as u64) as usize
    };
    (0..n)
        .map(|_| {
            let template = TEMPLATES[next(TEMPLATES.len())];
            let fill = [
                ("{p}", PEOPLE[next(PEOPLE.len())], "PERSON"),
                ("{l}", PLACES[next(PLACES.len())], "PLACE"),
                ("{o}", ORGS[next(ORGS.len())], "ORG"),
            ];
            let (mut text, mut spans, mut rest) = (String::new(), Vec::new(), template);
            while let Some(at) = rest.find('{') {
                text.push_str(&rest[..at]);
                let (_, value, label) = fill.iter().find(|f| rest[at..].starts_with(f.0)).unwrap();
                let start = text.chars().count();
                text.push_str(value);
                spans.push((start, start + value.chars().count(), label.to_string()));
                rest = &rest[at + 3..];
            }
            text.push_str(rest);
            (text, spans)
        })
        .collect()
}

/// The loop: 40 documents labelled and marked done, `spanmark suggest --command
/// "spacy_recommender.py --train"` trains a blank spaCy NER on them (through the
/// protocol's spans and status) and proposes on 20 held-out documents, where the names
/// recur in other sentences: F1 ≥ 0.9 against their gold spans.
#[test]
fn a_blank_spacy_ner_trained_through_the_protocol_finds_recurring_names() {
    let Some(python) = std::env::var_os("SPANMARK_PYTHON") else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must set SPANMARK_PYTHON to a Python with spacy"
        );
        eprintln!("skipped: set SPANMARK_PYTHON to run the interop checks");
        return;
    };
    let corpus = synthetic_corpus(60);
    let labels = spanmark::model::default_labels();
    let label = |name: &str| {
        spanmark::model::LabelId(labels.iter().position(|l| l.name == name).unwrap() as u32)
    };
    let docs: Vec<Document> = corpus
        .iter()
        .enumerate()
        .map(|(i, (text, gold))| {
            if i < 40 {
                let spans = gold
                    .iter()
                    .map(|(s, e, l)| spanmark::model::Span::new(*s, *e, label(l)).unwrap())
                    .collect();
                let mut d = Document::with_spans(format!("train{i}"), text.clone(), spans).unwrap();
                d.status = spanmark::model::Status::Done;
                d
            } else {
                Document::new(format!("held{i}"), text.clone())
            }
        })
        .collect();
    let project = Project::new(labels.clone(), docs).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("loop.ron");
    spanmark::io::save_project(&project, &path).unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/spacy_recommender.py");
    let command = format!(
        "'{}' '{}' --train --epochs 15",
        python.to_str().unwrap(),
        script.display()
    );
    let out = Command::new(env!("CARGO_BIN_EXE_spanmark"))
        .args(["suggest", path.to_str().unwrap(), "--command", &command])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let mut found: BTreeMap<String, BTreeSet<Match>> = BTreeMap::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        if !v["source"].as_str().unwrap().starts_with("command") {
            continue; // the learned source proposes too; the model is measured here
        }
        found
            .entry(v["document"].as_str().unwrap().to_string())
            .or_default()
            .insert((
                v["start"].as_u64().unwrap() as usize,
                v["end"].as_u64().unwrap() as usize,
                v["label"].as_str().unwrap().to_string(),
            ));
    }
    assert!(
        found.keys().all(|d| d.starts_with("held")),
        "done documents get no proposals: {found:?}"
    );
    let (mut tp, mut fp, mut fneg) = (0, 0, 0);
    for (i, (_, gold)) in corpus.iter().enumerate().skip(40) {
        let gold: BTreeSet<Match> = gold.iter().cloned().collect();
        let empty = BTreeSet::new();
        let got = found.get(&format!("held{i}")).unwrap_or(&empty);
        tp += gold.intersection(got).count();
        fp += got.difference(&gold).count();
        fneg += gold.difference(got).count();
    }
    let f1 = 2.0 * tp as f64 / (2 * tp + fp + fneg) as f64;
    eprintln!("--train on 40 documents: held-out F1 {f1:.3} (tp {tp}, fp {fp}, fn {fneg})");
    assert!(
        f1 >= 0.9,
        "F1 {f1:.3} (tp {tp}, fp {fp}, fn {fneg})\n{stderr}"
    );
}
