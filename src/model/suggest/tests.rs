//! Tests of the suggestion layer: examples, and properties against naive oracles.

use super::*;
use crate::model::{Document, Workspace};
use proptest::prelude::*;

fn sp(s: usize, e: usize, l: u16) -> Span {
    Span::new(s, e, LabelId(l)).unwrap()
}

fn ws(texts: &[&str]) -> Workspace {
    Workspace::new(Project::with_documents(
        texts
            .iter()
            .enumerate()
            .map(|(i, t)| Document::new(format!("d{i}"), *t))
            .collect(),
    ))
}

fn add(w: &mut Workspace, doc: usize, span: Span) {
    w.apply("add", vec![Edit::AddSpan { doc, span }]).unwrap();
}

fn spans_of(e: &SuggestEngine, doc: usize) -> Vec<(usize, usize, u16)> {
    e.for_doc(doc)
        .iter()
        .map(|s| (s.span.start(), s.span.end(), s.span.label().0))
        .collect()
}

#[test]
fn learned_whole_words_everywhere_longest_wins_and_nests() {
    let mut w = ws(&[
        "Taliban and Taliban's Talibani. Zabihullah Mujahid met Mujahid.",
        "The Taliban said: \"Kabul is calm\", Zabihullah Mujahid said in Kabul.",
    ]);
    let mut e = SuggestEngine::new();
    e.update(w.project());
    assert_eq!(e.total(), 0);
    add(&mut w, 0, sp(0, 7, 2)); // Taliban ORG
    e.update(w.project());
    assert_eq!(spans_of(&e, 0), [(12, 19, 2)]);
    assert_eq!(spans_of(&e, 1), [(4, 11, 2)]);
    assert_eq!(e.describe(0, &e.for_doc(0)[0]), "learned from 1 span");
    // "Mujahid" alone, then the full name: the longest match wins.
    add(&mut w, 0, sp(55, 62, 0));
    e.update(w.project());
    assert_eq!(spans_of(&e, 0), [(12, 19, 2), (43, 50, 0)]);
    add(&mut w, 0, sp(32, 50, 0));
    e.update(w.project());
    assert_eq!(spans_of(&e, 0), [(12, 19, 2)]);
    assert_eq!(spans_of(&e, 1), [(4, 11, 2), (35, 53, 0)]);
    // A QUOTE over the quote; "Kabul" as PLACE nests inside it.
    add(&mut w, 1, sp(18, 33, 4));
    add(&mut w, 1, sp(62, 67, 1));
    e.update(w.project());
    assert_eq!(spans_of(&e, 1), [(4, 11, 2), (19, 24, 1), (35, 53, 0)]);
    assert_eq!(e.total(), 4);
    assert_eq!(e.for_doc(1), &naive_suggestions(w.project())[1][..]);
}

#[test]
fn ignore_case_folds_keys_and_text() {
    let mut w = ws(&["KABUL and Kabul and kabul"]);
    add(&mut w, 0, sp(10, 15, 1));
    let mut e = SuggestEngine::new();
    e.update(w.project());
    assert!(e.for_doc(0).is_empty());
    let settings = SuggestSettings {
        ignore_case: true,
        ..SuggestSettings::default()
    };
    w.apply("s", vec![Edit::SetSuggestSettings(settings)])
        .unwrap();
    e.update(w.project());
    assert_eq!(spans_of(&e, 0), [(0, 5, 1), (20, 25, 1)]);
    assert_eq!(e.describe(0, &e.for_doc(0)[0]), "learned from 1 span");
}

/// Ignoring case is full Unicode case folding: Σ/σ/ς and ß/ẞ/SS match (they did not),
/// at the text's own char offsets though `ß` folds to two chars; a key never matches
/// half of one char's folding.
#[test]
fn ignore_case_is_unicode_case_folding() {
    let text = "Straße, STRASSE, Straẞe; ΟΔΥΣΣΕΥΣ, Οδυσσευς. s ß";
    let mut w = ws(&[text]);
    let settings = SuggestSettings {
        ignore_case: true,
        ..SuggestSettings::default()
    };
    w.apply("s", vec![Edit::SetSuggestSettings(settings)])
        .unwrap();
    // Label "Straße" (0..6), "ΟΔΥΣΣΕΥΣ" (25..33) and the lone "s" (45..46).
    add(&mut w, 0, sp(0, 6, 1));
    add(&mut w, 0, sp(25, 33, 0));
    add(&mut w, 0, sp(45, 46, 2));
    let mut e = SuggestEngine::new();
    e.update(w.project());
    let chars: Vec<char> = text.chars().collect();
    let got: Vec<(String, u16)> = spans_of(&e, 0)
        .into_iter()
        .map(|(s, e, l)| (chars[s..e].iter().collect(), l))
        .collect();
    assert_eq!(
        got,
        [
            ("STRASSE".to_string(), 1),
            ("Straẞe".to_string(), 1),
            ("Οδυσσευς".to_string(), 0)
        ]
    );
    assert_eq!(e.for_doc(0), &naive_suggestions(w.project())[0][..]);
    // "İ" folds to "i" and a combining dot: a key "i" would end inside it.
    let mut w = ws(&["i İ"]);
    w.apply(
        "s",
        vec![Edit::SetSuggestSettings(SuggestSettings {
            ignore_case: true,
            ..SuggestSettings::default()
        })],
    )
    .unwrap();
    add(&mut w, 0, sp(0, 1, 1));
    e.update(w.project());
    assert!(e.for_doc(0).is_empty(), "{:?}", e.for_doc(0));
    assert!(naive_suggestions(w.project())[0].is_empty());
}

#[test]
fn reject_accept_and_undo() {
    let mut w = ws(&["Kabul, Kabul, Kabul"]);
    add(&mut w, 0, sp(0, 5, 1));
    let mut e = SuggestEngine::new();
    e.update(w.project());
    assert_eq!(e.total(), 2);
    w.apply(
        "reject",
        vec![Edit::Reject {
            doc: 0,
            span: sp(7, 12, 1),
        }],
    )
    .unwrap();
    e.update(w.project());
    assert_eq!(spans_of(&e, 0), [(14, 19, 1)]);
    let before = w.project().clone();
    let all: Vec<Span> = e.for_doc(0).iter().map(|s| s.span).collect();
    w.apply("accept all", accept_edits(w.project(), &[(0, all)]))
        .unwrap();
    e.update(w.project());
    assert_eq!(e.total(), 0);
    assert_eq!(w.project().documents()[0].spans().len(), 2);
    w.undo().unwrap();
    assert_eq!(w.project(), &before);
    e.update(w.project());
    assert_eq!(e.total(), 1);
    w.undo().unwrap();
    e.update(w.project());
    assert_eq!(e.total(), 2);
}

/// A synthetic project denser than the property tests' texts (many keys, long ones,
/// candidates overlapping across window edges): after each added span the incremental
/// update equals a build from scratch. (A window once left out candidates starting just
/// past its end, which can beat one starting just before it.)
#[test]
fn incremental_equals_fresh_on_a_synthetic_project() {
    let project = crate::synth::project(20_000, 1_000, 5);
    let text = project.documents()[0].text().clone();
    let mut w = Workspace::new(project);
    let mut e = SuggestEngine::new();
    e.update(w.project());
    let mut rng = crate::synth::Rng(9);
    for _ in 0..12 {
        // A word somewhere, labelled: its other occurrences change windows all over.
        let at = rng.below(text.char_len() - 40);
        let from = (at..at + 20)
            .find(|&i| text.slice(i, i + 1) == " ")
            .unwrap_or(at)
            + 1;
        let to = (from..from + 20)
            .find(|&i| text.slice(i, i + 1) == " ")
            .unwrap_or(from + 3);
        let span = sp(from, to.max(from + 1), u16::try_from(rng.below(5)).unwrap());
        let _ = w.apply("add", vec![Edit::AddSpan { doc: 0, span }]);
        e.update(w.project());
        let mut fresh = SuggestEngine::new();
        fresh.update(w.project());
        assert_eq!(e.for_doc(0), fresh.for_doc(0), "after adding {span:?}");
    }
}

/// Every source off but learned: the engine's suggestions per document as the naive
/// oracle computes them, minus rejections.
fn naive_suggestions(p: &Project) -> Vec<Vec<Suggestion>> {
    let s = p.suggest_settings();
    let learned = if s.learned {
        naive_learned(p, s.ignore_case)
    } else {
        vec![Vec::new(); p.documents().len()]
    };
    let rules: Vec<RuleSetRules> = s
        .rule_sets
        .iter()
        .map(|set| RuleSetRules::compile(set, p).map_or_else(|_| RuleSetRules::empty(set), |r| r.0))
        .collect();
    learned
        .into_iter()
        .zip(p.documents())
        .map(|(v, d)| {
            let mut all: Vec<Suggestion> = v
                .into_iter()
                .map(|span| Suggestion {
                    span,
                    source: SourceId::LEARNED,
                })
                .collect();
            for (i, r) in rules.iter().enumerate().filter(|(_, r)| r.enabled) {
                all.extend(r.find(d.text()).into_iter().map(|(span, _)| Suggestion {
                    span,
                    source: SourceId::rule_set(i),
                }));
            }
            // Keep the first source of a (range, label); never a span or a rejection.
            let mut out: Vec<Suggestion> = Vec::new();
            for x in all {
                let dup = out.iter().any(|o| o.span == x.span);
                if !dup && !d.rejected().contains(&x.span) && !d.spans().contains(&x.span) {
                    out.push(x);
                }
            }
            out.sort();
            out
        })
        .collect()
}

/// A random session step.
#[derive(Clone, Debug)]
enum Step {
    /// Add a span over chars s..s+len of document d with label l (if it fits).
    Add(usize, usize, usize, u16),
    /// Remove span k of document d.
    Remove(usize, usize),
    /// Reject suggestion k of document d.
    Reject(usize, usize),
    /// Accept all suggestions of document d.
    AcceptAll(usize),
    /// Undo.
    Undo,
    /// Toggle ignore case.
    Case,
    /// Remove document d.
    RemoveDoc(usize),
    /// Delete label l.
    DeleteLabel(u16),
    /// Switch a dictionary on or off, and the learned source.
    Rules(bool, bool),
}

fn arb_step() -> impl Strategy<Value = Step> {
    prop_oneof![
        6 => (0usize..3, 0usize..40, 1usize..12, 0u16..3).prop_map(|(d, s, l, lab)| Step::Add(d, s, l, lab)),
        2 => (0usize..3, any::<usize>()).prop_map(|(d, k)| Step::Remove(d, k)),
        2 => (0usize..3, any::<usize>()).prop_map(|(d, k)| Step::Reject(d, k)),
        1 => (0usize..3).prop_map(Step::AcceptAll),
        2 => Just(Step::Undo),
        1 => Just(Step::Case),
        1 => (0usize..3).prop_map(Step::RemoveDoc),
        1 => (0u16..3).prop_map(Step::DeleteLabel),
        1 => (any::<bool>(), any::<bool>()).prop_map(|(d, l)| Step::Rules(d, l)),
    ]
}

fn arb_texts() -> impl Strategy<Value = Vec<String>> {
    // With chars whose case folding changes their length (ß, ﬁ) or merges forms (ς σ Σ).
    proptest::collection::vec(
        "((ab|a|b|Ab|AB|c|ß|SS|s|ﬁ|fi|ς|Σσ)( |, |\\. |'s )){0,14}",
        1..4,
    )
}

/// Runs a step; returns what it did to the rejections asked for.
fn run(w: &mut Workspace, e: &SuggestEngine, step: &Step) {
    let p = w.project().clone();
    let docs = p.documents();
    let edits = match *step {
        Step::Add(d, s, len, l) => match docs.get(d) {
            Some(doc) if s + len <= doc.text().char_len() => {
                vec![Edit::AddSpan {
                    doc: d,
                    span: sp(s, s + len, l),
                }]
            }
            _ => vec![],
        },
        Step::Remove(d, k) => docs
            .get(d)
            .filter(|doc| !doc.spans().is_empty())
            .map(|doc| {
                let spans = doc.spans().as_slice();
                vec![Edit::RemoveSpan {
                    doc: d,
                    span: spans[k % spans.len()],
                }]
            })
            .unwrap_or_default(),
        Step::Reject(d, k) => {
            let list = e.for_doc(d);
            if list.is_empty() {
                vec![]
            } else {
                vec![Edit::Reject {
                    doc: d,
                    span: list[k % list.len()].span,
                }]
            }
        }
        Step::AcceptAll(d) => {
            let all: Vec<Span> = e.for_doc(d).iter().map(|s| s.span).collect();
            accept_edits(&p, &[(d, all)])
        }
        Step::Undo => {
            let _ = w.undo();
            return;
        }
        Step::Case => {
            let mut s = p.suggest_settings().clone();
            s.ignore_case = !s.ignore_case;
            vec![Edit::SetSuggestSettings(s)]
        }
        Step::RemoveDoc(d) if d < docs.len() => vec![Edit::RemoveDocuments { at: d, count: 1 }],
        Step::RemoveDoc(_) => vec![],
        Step::DeleteLabel(l) => p.delete_label_edits(LabelId(l)),
        Step::Rules(dict, learned) => {
            let mut s = p.suggest_settings().clone();
            s.learned = learned;
            s.rule_sets = if dict {
                vec![rule_set(
                    "d.tsv",
                    RuleKind::Dictionary,
                    "ab\tPERSON\nb\tPLACE\nab b\tORG\n",
                    None,
                )]
            } else {
                Vec::new()
            };
            vec![Edit::SetSuggestSettings(s)]
        }
    };
    let _ = w.apply("step", edits);
}

proptest! {
    /// After any session, the incrementally updated engine equals the naive oracle;
    /// suggestions never equal a span or a rejection.
    #[test]
    fn incremental_equals_naive(texts in arb_texts(), steps in proptest::collection::vec(arb_step(), 0..25)) {
        let mut w = ws(&texts.iter().map(String::as_str).collect::<Vec<_>>());
        let mut e = SuggestEngine::new();
        e.update(w.project());
        for step in &steps {
            run(&mut w, &e, step);
            e.update(w.project());
            let p = w.project();
            let want = naive_suggestions(p);
            for (i, d) in p.documents().iter().enumerate() {
                for s in e.for_doc(i) {
                    prop_assert!(!d.spans().contains(&s.span), "{:?} is a span", s);
                    prop_assert!(!d.rejected().contains(&s.span), "{:?} was rejected", s);
                }
                prop_assert_eq!(e.for_doc(i), &want[i][..], "doc {} after {:?}", i, step);
            }
            prop_assert_eq!(e.total(), want.iter().map(Vec::len).sum::<usize>());
        }
    }

    /// A rejected suggestion never comes back, whatever spans are added or removed later.
    #[test]
    fn rejected_never_comes_back(texts in arb_texts(), steps in proptest::collection::vec(arb_step(), 0..25)) {
        let mut w = ws(&texts.iter().map(String::as_str).collect::<Vec<_>>());
        let mut e = SuggestEngine::new();
        e.update(w.project());
        let mut rejected: Vec<(usize, Span)> = Vec::new();
        for step in &steps {
            // Undo and document removal may take a rejection back or shift documents.
            if matches!(step, Step::Undo | Step::RemoveDoc(_) | Step::DeleteLabel(_)) {
                continue;
            }
            if let Step::Reject(d, k) = *step {
                let list = e.for_doc(d);
                if !list.is_empty() {
                    rejected.push((d, list[k % list.len()].span));
                }
            }
            run(&mut w, &e, step);
            e.update(w.project());
            for &(d, s) in &rejected {
                prop_assert!(e.for_doc(d).iter().all(|x| x.span != s), "{:?} came back", s);
            }
        }
    }

    /// An engine built on an older state of the project and then updated to a state
    /// several steps on (the app's background build, caught up with the edits made
    /// meanwhile) equals one built from scratch on the newer state, and the oracle.
    #[test]
    fn catching_up_several_steps_equals_a_fresh_build(
        texts in arb_texts(),
        steps in proptest::collection::vec(arb_step(), 0..25),
        every in 1usize..8,
    ) {
        let mut w = ws(&texts.iter().map(String::as_str).collect::<Vec<_>>());
        let mut e = SuggestEngine::new();
        e.update(w.project());
        for (i, step) in steps.iter().enumerate() {
            run(&mut w, &e, step);
            // Brought up to date only now and then: the rest of the time it lags behind.
            if i % every == every - 1 {
                e.update(w.project());
            }
        }
        e.update(w.project());
        let mut fresh = SuggestEngine::new();
        fresh.update(w.project());
        let want = naive_suggestions(w.project());
        for (i, want) in want.iter().enumerate() {
            prop_assert_eq!(e.for_doc(i), fresh.for_doc(i), "doc {}", i);
            prop_assert_eq!(e.for_doc(i), &want[..], "doc {}", i);
        }
        prop_assert_eq!(e.total(), fresh.total());
    }

    /// Accept all, then undo, gives back the project as it was, and the same suggestions.
    #[test]
    fn accept_then_undo_is_identity(texts in arb_texts(), steps in proptest::collection::vec(arb_step(), 0..12), d in 0usize..3) {
        let mut w = ws(&texts.iter().map(String::as_str).collect::<Vec<_>>());
        let mut e = SuggestEngine::new();
        e.update(w.project());
        for step in &steps {
            run(&mut w, &e, step);
            e.update(w.project());
        }
        let before = w.project().clone();
        let suggested: Vec<Suggestion> = e.for_doc(d).to_vec();
        let all: Vec<Span> = suggested.iter().map(|s| s.span).collect();
        let edits = accept_edits(w.project(), &[(d, all.clone())]);
        if edits.is_empty() {
            return Ok(());
        }
        w.apply("accept all", edits).map_err(|x| TestCaseError::fail(x.to_string()))?;
        e.update(w.project());
        for s in &all {
            prop_assert!(w.project().documents()[d].spans().contains(s));
        }
        prop_assert!(e.for_doc(d).iter().all(|s| !all.contains(&s.span)));
        w.undo().map_err(|x| TestCaseError::fail(x.to_string()))?;
        prop_assert_eq!(w.project(), &before);
        e.update(w.project());
        prop_assert_eq!(e.for_doc(d), &suggested[..]);
    }
}

fn rule_set(name: &str, kind: RuleKind, source: &str, default_label: Option<&str>) -> RuleSet {
    RuleSet {
        name: name.into(),
        kind,
        enabled: true,
        source: source.into(),
        default_label: default_label.map(Into::into),
    }
}

#[test]
fn sources_merge_first_source_wins_and_describe() {
    let mut w = ws(&["Kabul and Doha, Kabul again, in 2025.", "Doha"]);
    add(&mut w, 0, sp(0, 5, 1));
    let settings = SuggestSettings {
        rule_sets: vec![
            rule_set(
                "orgs.jsonl",
                RuleKind::Patterns,
                "{\"label\": \"PLACE\", \"pattern\": \"Kabul\"}\n{\"label\": \"DATE\", \"regex\": \"\\\\d{4}\"}\n{\"label\": \"GPE\", \"pattern\": \"Doha\"}",
                None,
            ),
            rule_set(
                "places.tsv",
                RuleKind::Dictionary,
                "# x\nDoha\n",
                Some("PLACE"),
            ),
        ],
        ..SuggestSettings::default()
    };
    w.apply("settings", vec![Edit::SetSuggestSettings(settings.clone())])
        .unwrap();
    let mut e = SuggestEngine::new();
    e.update(w.project());
    let got: Vec<(usize, usize, u16, SourceId)> = e
        .for_doc(0)
        .iter()
        .map(|s| (s.span.start(), s.span.end(), s.span.label().0, s.source))
        .collect();
    assert_eq!(
        got,
        [
            (10, 14, 1, SourceId::rule_set(1)),
            (16, 21, 1, SourceId::LEARNED),
            (32, 36, 3, SourceId::rule_set(0)),
        ]
    );
    let describe: Vec<String> = e.for_doc(0).iter().map(|s| e.describe(0, s)).collect();
    assert_eq!(
        describe,
        [
            "dictionary: places.tsv",
            "learned from 1 span",
            "patterns: orgs.jsonl line 2"
        ]
    );
    assert_eq!(
        e.warnings(),
        ["orgs.jsonl:3: label \"GPE\" is not in the project: 1 rule skipped"]
    );
    assert_eq!(e.total(), 4);
    // Switching a rule set off drops its suggestions; the engine follows undo too.
    let mut off = settings.clone();
    off.rule_sets[1].enabled = false;
    w.apply("off", vec![Edit::SetSuggestSettings(off)]).unwrap();
    e.update(w.project());
    assert_eq!(e.total(), 2);
    w.undo().unwrap();
    e.update(w.project());
    assert_eq!(e.total(), 4);
    // A broken file is a warning naming its line; the other sources go on.
    let mut broken = settings;
    broken.rule_sets[0].source.push_str("\n{oops");
    w.apply("broken", vec![Edit::SetSuggestSettings(broken)])
        .unwrap();
    e.update(w.project());
    assert_eq!(e.warnings().len(), 1);
    assert!(
        e.warnings()[0].starts_with("orgs.jsonl:4: not a JSON object"),
        "{:?}",
        e.warnings()
    );
    assert_eq!(e.total(), 3);
}

#[test]
fn command_results_are_checked_and_described() {
    let mut w = ws(&["Kabul and Doha", "x"]);
    add(&mut w, 0, sp(0, 5, 1));
    let mut e = SuggestEngine::new();
    e.update(w.project());
    assert_eq!(e.total(), 0);
    e.set_command_results(
        "python rec.py",
        vec![
            (0, sp(10, 14, 1), Some(0.93)),
            (0, sp(0, 5, 1), None),   // a span already: never suggested
            (0, sp(10, 99, 1), None), // past the text: dropped
            (7, sp(0, 1, 1), None),   // no such document: dropped
            (1, sp(0, 1, 40), None),  // no such label: dropped
        ],
    );
    e.update(w.project());
    assert_eq!(spans_of(&e, 0), [(10, 14, 1)]);
    assert_eq!(
        e.describe(0, &e.for_doc(0)[0]),
        "command: python rec.py (score 0.93)"
    );
    assert_eq!(e.total(), 1);
}
