//! Tests of the suggestion layer: examples, and properties against naive oracles.

use super::*;
use crate::model::{DocId, Document, Workspace};
use proptest::prelude::*;

fn sp(s: usize, e: usize, l: u32) -> Span {
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

/// The id of the document at place `i`.
fn id(w: &Workspace, i: usize) -> DocId {
    w.project().id_at(i).unwrap()
}

fn add(w: &mut Workspace, doc: usize, span: Span) {
    let doc = id(w, doc);
    w.apply("add", vec![Edit::AddSpan { doc, span }]).unwrap();
}

fn spans_of(e: &SuggestEngine, doc: DocId) -> Vec<(usize, usize, u32)> {
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
    assert_eq!(spans_of(&e, id(&w, 0)), [(12, 19, 2)]);
    assert_eq!(spans_of(&e, id(&w, 1)), [(4, 11, 2)]);
    assert_eq!(
        e.describe(id(&w, 0), &e.for_doc(id(&w, 0))[0]),
        "learned from 1 span"
    );
    // "Mujahid" alone, then the full name: the longest match wins.
    add(&mut w, 0, sp(55, 62, 0));
    e.update(w.project());
    assert_eq!(spans_of(&e, id(&w, 0)), [(12, 19, 2), (43, 50, 0)]);
    add(&mut w, 0, sp(32, 50, 0));
    e.update(w.project());
    assert_eq!(spans_of(&e, id(&w, 0)), [(12, 19, 2)]);
    assert_eq!(spans_of(&e, id(&w, 1)), [(4, 11, 2), (35, 53, 0)]);
    // A QUOTE over the quote; "Kabul" as PLACE nests inside it.
    add(&mut w, 1, sp(18, 33, 4));
    add(&mut w, 1, sp(62, 67, 1));
    e.update(w.project());
    assert_eq!(
        spans_of(&e, id(&w, 1)),
        [(4, 11, 2), (19, 24, 1), (35, 53, 0)]
    );
    assert_eq!(e.total(), 4);
    assert_eq!(e.for_doc(id(&w, 1)), &naive_suggestions(w.project())[1][..]);
}

#[test]
fn ignore_case_folds_keys_and_text() {
    let mut w = ws(&["KABUL and Kabul and kabul"]);
    add(&mut w, 0, sp(10, 15, 1));
    let mut e = SuggestEngine::new();
    e.update(w.project());
    assert!(e.for_doc(id(&w, 0)).is_empty());
    let settings = SuggestSettings {
        ignore_case: true,
        ..SuggestSettings::default()
    };
    w.apply("s", vec![Edit::SetSuggestSettings(settings)])
        .unwrap();
    e.update(w.project());
    assert_eq!(spans_of(&e, id(&w, 0)), [(0, 5, 1), (20, 25, 1)]);
    assert_eq!(
        e.describe(id(&w, 0), &e.for_doc(id(&w, 0))[0]),
        "learned from 1 span"
    );
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
    let got: Vec<(String, u32)> = spans_of(&e, id(&w, 0))
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
    assert_eq!(e.for_doc(id(&w, 0)), &naive_suggestions(w.project())[0][..]);
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
    assert!(
        e.for_doc(id(&w, 0)).is_empty(),
        "{:?}",
        e.for_doc(id(&w, 0))
    );
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
            doc: id(&w, 0),
            span: sp(7, 12, 1),
        }],
    )
    .unwrap();
    e.update(w.project());
    assert_eq!(spans_of(&e, id(&w, 0)), [(14, 19, 1)]);
    let before = w.project().clone();
    let all: Vec<Span> = e.for_doc(id(&w, 0)).iter().map(|s| s.span).collect();
    w.apply("accept all", accept_edits(w.project(), &[(id(&w, 0), all)]))
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
        let span = sp(from, to.max(from + 1), u32::try_from(rng.below(5)).unwrap());
        let doc = id(&w, 0);
        let _ = w.apply("add", vec![Edit::AddSpan { doc, span }]);
        e.update(w.project());
        let mut fresh = SuggestEngine::new();
        fresh.update(w.project());
        assert_eq!(
            e.for_doc(id(&w, 0)),
            fresh.for_doc(id(&w, 0)),
            "after adding {span:?}"
        );
    }
}

/// Every source off but learned: the engine's suggestions per document as the naive
/// oracle computes them, minus rejections; `command` is the last command run's results
/// as the engine took them (on documents and labels the project had then).
fn naive_suggestions(p: &Project) -> Vec<Vec<Suggestion>> {
    naive_with_command(p, &[])
}

fn naive_with_command(p: &Project, command: &[(DocId, Span)]) -> Vec<Vec<Suggestion>> {
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
            all.extend(
                command
                    .iter()
                    .filter(|(doc, _)| *doc == d.id())
                    .map(|&(_, span)| Suggestion {
                        span,
                        source: SourceId::COMMAND,
                    }),
            );
            // Keep the first source of a (range, label); never a span, a rejection or
            // a label the project no longer has.
            let mut out: Vec<Suggestion> = Vec::new();
            for x in all {
                let dup = out.iter().any(|o| o.span == x.span);
                if !dup
                    && !d.rejected().contains(&x.span)
                    && !d.spans().contains(&x.span)
                    && p.label(x.span.label()).is_some()
                {
                    out.push(x);
                }
            }
            out.sort();
            out
        })
        .collect()
}

/// A random session step. Documents and labels are named by their place when the step
/// runs.
#[derive(Clone, Debug)]
enum Step {
    /// Add a span over chars s..s+len of document d with the label at place l (if it
    /// fits).
    Add(usize, usize, usize, usize),
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
    /// Delete the label at a place.
    DeleteLabel(usize),
    /// Move the label at a place to another.
    MoveLabel(usize, usize),
    /// Rename the label at a place.
    RenameLabel(usize),
    /// Switch a dictionary on or off, and the learned source.
    Rules(bool, bool),
    /// An external command's results: spans (document, start, len, label place).
    Command(Vec<(usize, usize, usize, usize)>),
}

fn arb_step() -> impl Strategy<Value = Step> {
    prop_oneof![
        6 => (0usize..3, 0usize..40, 1usize..12, 0usize..3).prop_map(|(d, s, l, lab)| Step::Add(d, s, l, lab)),
        2 => (0usize..3, any::<usize>()).prop_map(|(d, k)| Step::Remove(d, k)),
        2 => (0usize..3, any::<usize>()).prop_map(|(d, k)| Step::Reject(d, k)),
        1 => (0usize..3).prop_map(Step::AcceptAll),
        2 => Just(Step::Undo),
        1 => Just(Step::Case),
        1 => (0usize..3).prop_map(Step::RemoveDoc),
        1 => (0usize..3).prop_map(Step::DeleteLabel),
        2 => (0usize..5, 0usize..5).prop_map(|(f, t)| Step::MoveLabel(f, t)),
        1 => (0usize..3).prop_map(Step::RenameLabel),
        1 => (any::<bool>(), any::<bool>()).prop_map(|(d, l)| Step::Rules(d, l)),
        2 => proptest::collection::vec((0usize..3, 0usize..40, 1usize..6, 0usize..5), 0..6).prop_map(Step::Command),
    ]
}

fn arb_texts() -> impl Strategy<Value = Vec<String>> {
    // With chars whose case folding changes their length (ß, ﬁ) or merges forms (ς σ Σ).
    proptest::collection::vec(
        "((ab|a|b|Ab|AB|c|ß|SS|s|ﬁ|fi|ς|Σσ)( |, |\\. |'s )){0,14}",
        1..4,
    )
}

/// A session: the workspace, and the last command results the engine was given (as
/// it keeps them: on documents and labels the project had then).
struct Session {
    w: Workspace,
    command: Vec<(DocId, Span)>,
}

impl Session {
    fn new(texts: &[String]) -> Self {
        Self {
            w: ws(&texts.iter().map(String::as_str).collect::<Vec<_>>()),
            command: Vec::new(),
        }
    }

    fn naive(&self) -> Vec<Vec<Suggestion>> {
        naive_with_command(self.w.project(), &self.command)
    }

    /// Runs a step (command results go to `e`).
    fn run(&mut self, e: &mut SuggestEngine, step: &Step) {
        let w = &mut self.w;
        let p = w.project().clone();
        let docs = p.documents();
        let doc_id = |d: usize| docs.get(d).map(Document::id);
        let label = |l: usize| p.label_at(l).unwrap_or(LabelId(77));
        let edits = match step {
            &Step::Add(d, s, len, l) => match docs.get(d) {
                Some(doc) if s + len <= doc.text().char_len() => {
                    vec![Edit::AddSpan {
                        doc: doc.id(),
                        span: Span::new(s, s + len, label(l)).unwrap(),
                    }]
                }
                _ => vec![],
            },
            &Step::Remove(d, k) => docs
                .get(d)
                .filter(|doc| !doc.spans().is_empty())
                .map(|doc| {
                    let spans = doc.spans().as_slice();
                    vec![Edit::RemoveSpan {
                        doc: doc.id(),
                        span: spans[k % spans.len()],
                    }]
                })
                .unwrap_or_default(),
            &Step::Reject(d, k) => match doc_id(d) {
                Some(doc) if !e.for_doc(doc).is_empty() => {
                    let list = e.for_doc(doc);
                    vec![Edit::Reject {
                        doc,
                        span: list[k % list.len()].span,
                    }]
                }
                _ => vec![],
            },
            &Step::AcceptAll(d) => match doc_id(d) {
                Some(doc) => {
                    let all: Vec<Span> = e.for_doc(doc).iter().map(|s| s.span).collect();
                    accept_edits(&p, &[(doc, all)])
                }
                None => vec![],
            },
            Step::Undo => {
                let _ = w.undo();
                return;
            }
            Step::Case => {
                let mut s = p.suggest_settings().clone();
                s.ignore_case = !s.ignore_case;
                vec![Edit::SetSuggestSettings(s)]
            }
            &Step::RemoveDoc(d) => doc_id(d)
                .map(|id| vec![Edit::RemoveDocuments { ids: vec![id] }])
                .unwrap_or_default(),
            &Step::DeleteLabel(l) => p.delete_label_edits(label(l)),
            &Step::MoveLabel(l, to) => vec![Edit::MoveLabel { id: label(l), to }],
            &Step::RenameLabel(l) => match p.label(label(l)) {
                Some(old) => vec![Edit::SetLabel {
                    id: label(l),
                    label: crate::model::Label {
                        name: format!("{}X", old.name),
                        ..old.clone()
                    },
                }],
                None => vec![],
            },
            &Step::Rules(dict, learned) => {
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
            Step::Command(raw) => {
                let results: Vec<CommandResult> = raw
                    .iter()
                    .filter_map(|&(d, s, len, l)| {
                        Some((doc_id(d)?, Span::new(s, s + len, label(l)).ok()?, None))
                    })
                    .collect();
                // As the engine keeps them: on a document the project has, inside its
                // text, with a label it has.
                let mut kept: Vec<(DocId, Span)> = results
                    .iter()
                    .filter(|(d, span, _)| {
                        p.document(*d)
                            .is_some_and(|doc| span.end() <= doc.text().char_len())
                            && p.label(span.label()).is_some()
                    })
                    .map(|&(d, span, _)| (d, span))
                    .collect();
                kept.sort();
                kept.dedup();
                self.command = kept;
                e.set_command_results("cmd", results);
                return;
            }
        };
        let _ = w.apply("step", edits);
    }
}

proptest! {
    /// After any session (label moves, renames and deletes, command results, undo,
    /// removed documents), the incrementally updated engine equals the naive oracle;
    /// suggestions never equal a span or a rejection.
    #[test]
    fn incremental_equals_naive(texts in arb_texts(), steps in proptest::collection::vec(arb_step(), 0..25)) {
        let mut session = Session::new(&texts);
        let mut e = SuggestEngine::new();
        e.update(session.w.project());
        for step in &steps {
            session.run(&mut e, step);
            e.update(session.w.project());
            let p = session.w.project();
            let want = session.naive();
            for (i, d) in p.documents().iter().enumerate() {
                for s in e.for_doc(d.id()) {
                    prop_assert!(!d.spans().contains(&s.span), "{:?} is a span", s);
                    prop_assert!(!d.rejected().contains(&s.span), "{:?} was rejected", s);
                    prop_assert!(p.label(s.span.label()).is_some(), "{:?} has no label", s);
                }
                prop_assert_eq!(e.for_doc(d.id()), &want[i][..], "doc {} after {:?}", i, step);
            }
            prop_assert_eq!(e.total(), want.iter().map(Vec::len).sum::<usize>());
        }
    }

    /// A rejected suggestion never comes back, whatever spans are added or removed later.
    #[test]
    fn rejected_never_comes_back(texts in arb_texts(), steps in proptest::collection::vec(arb_step(), 0..25)) {
        let mut session = Session::new(&texts);
        let mut e = SuggestEngine::new();
        e.update(session.w.project());
        let mut rejected: Vec<(DocId, Span)> = Vec::new();
        for step in &steps {
            // Undo may take a rejection back, a label delete drops its rejections.
            if matches!(step, Step::Undo | Step::DeleteLabel(_)) {
                continue;
            }
            if let Step::Reject(d, k) = *step
                && let Some(doc) = session.w.project().id_at(d)
            {
                let list = e.for_doc(doc);
                if !list.is_empty() {
                    rejected.push((doc, list[k % list.len()].span));
                }
            }
            session.run(&mut e, step);
            e.update(session.w.project());
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
        let mut session = Session::new(&texts);
        let mut e = SuggestEngine::new();
        e.update(session.w.project());
        for (i, step) in steps.iter().enumerate() {
            session.run(&mut e, step);
            // Brought up to date only now and then: the rest of the time it lags behind.
            // Command results are taken at once, as the app does when they arrive (they
            // are checked against the project then).
            if i % every == every - 1 || matches!(step, Step::Command(_)) {
                e.update(session.w.project());
            }
        }
        e.update(session.w.project());
        // The fresh engine gets the same command results as the last run gave.
        let mut fresh = SuggestEngine::new();
        let command = session.command.iter().map(|&(d, s)| (d, s, None)).collect();
        fresh.set_command_results("cmd", command);
        fresh.update(session.w.project());
        let want = session.naive();
        for (d, want) in session.w.project().documents().iter().zip(&want) {
            prop_assert_eq!(e.for_doc(d.id()), fresh.for_doc(d.id()), "doc {}", d.name);
            prop_assert_eq!(e.for_doc(d.id()), &want[..], "doc {}", d.name);
        }
        prop_assert_eq!(e.total(), fresh.total());
    }

    /// Accept all, then undo, gives back the project as it was, and the same suggestions.
    #[test]
    fn accept_then_undo_is_identity(texts in arb_texts(), steps in proptest::collection::vec(arb_step(), 0..12), d in 0usize..3) {
        let mut session = Session::new(&texts);
        let mut e = SuggestEngine::new();
        e.update(session.w.project());
        for step in &steps {
            session.run(&mut e, step);
            e.update(session.w.project());
        }
        let w = &mut session.w;
        let Some(doc) = w.project().id_at(d) else {
            return Ok(());
        };
        let before = w.project().clone();
        let suggested: Vec<Suggestion> = e.for_doc(doc).to_vec();
        let all: Vec<Span> = suggested.iter().map(|s| s.span).collect();
        let edits = accept_edits(w.project(), &[(doc, all.clone())]);
        if edits.is_empty() {
            return Ok(());
        }
        w.apply("accept all", edits).map_err(|x| TestCaseError::fail(x.to_string()))?;
        e.update(w.project());
        for s in &all {
            prop_assert!(w.project().document(doc).unwrap().spans().contains(s));
        }
        prop_assert!(e.for_doc(doc).iter().all(|s| !all.contains(&s.span)));
        w.undo().map_err(|x| TestCaseError::fail(x.to_string()))?;
        prop_assert_eq!(w.project(), &before);
        e.update(w.project());
        prop_assert_eq!(e.for_doc(doc), &suggested[..]);
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
    let got: Vec<(usize, usize, u32, SourceId)> = e
        .for_doc(id(&w, 0))
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
    let d0 = id(&w, 0);
    let describe: Vec<String> = e.for_doc(d0).iter().map(|s| e.describe(d0, s)).collect();
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
            (id(&w, 0), sp(10, 14, 1), Some(0.93)),
            (id(&w, 0), sp(0, 5, 1), None), // a span already: never suggested
            (id(&w, 0), sp(10, 99, 1), None), // past the text: dropped
            (Document::new("x", "").id(), sp(0, 1, 1), None), // no such document: dropped
            (id(&w, 1), sp(0, 1, 40), None), // no such label: dropped
        ],
    );
    e.update(w.project());
    assert_eq!(spans_of(&e, id(&w, 0)), [(10, 14, 1)]);
    assert_eq!(
        e.describe(id(&w, 0), &e.for_doc(id(&w, 0))[0]),
        "command: python rec.py (score 0.93)"
    );
    assert_eq!(e.total(), 1);
}

/// Issue 17, bug 2: command results stored label places; after a label edit they carried
/// another label, and accepting one wrote it into the project. Ids stay with their
/// labels; a deleted label's results are not shown (and come back with an undo).
#[test]
fn command_results_keep_their_labels_through_label_edits() {
    let mut w = ws(&["Kabul and Doha"]);
    let d0 = id(&w, 0);
    let place = w.project().label_id("PLACE").unwrap();
    let mut e = SuggestEngine::new();
    e.set_command_results("rec", vec![(d0, Span::new(10, 14, place).unwrap(), None)]);
    e.update(w.project());
    let name =
        |w: &Workspace, s: &Suggestion| w.project().label(s.span.label()).unwrap().name.clone();
    assert_eq!(name(&w, &e.for_doc(d0)[0]), "PLACE");
    // PLACE to the bottom, QUOTE to the top: still PLACE.
    let quote = w.project().label_id("QUOTE").unwrap();
    w.apply("m", vec![Edit::MoveLabel { id: place, to: 4 }])
        .unwrap();
    w.apply("m", vec![Edit::MoveLabel { id: quote, to: 0 }])
        .unwrap();
    e.update(w.project());
    assert_eq!(e.for_doc(d0).len(), 1);
    assert_eq!(name(&w, &e.for_doc(d0)[0]), "PLACE");
    // Accepting writes PLACE.
    let s = e.for_doc(d0)[0].span;
    w.apply("accept", vec![Edit::AddSpan { doc: d0, span: s }])
        .unwrap();
    let added = w.project().documents()[0].spans().as_slice()[0];
    assert_eq!(w.project().label(added.label()).unwrap().name, "PLACE");
    w.undo().unwrap();
    // PLACE deleted: its suggestion goes; undo brings both back.
    let edits = w.project().delete_label_edits(place);
    w.apply("delete PLACE", edits).unwrap();
    e.update(w.project());
    assert!(e.for_doc(d0).is_empty());
    // A new label never takes the deleted one's id.
    let (add, ids) = w.project().add_labels_edit(vec![crate::model::Label {
        name: "GPE".into(),
        color: crate::model::PALETTE[0],
        hotkey: None,
    }]);
    assert_ne!(ids[0], place);
    w.apply("add", vec![add]).unwrap();
    e.update(w.project());
    assert!(e.for_doc(d0).is_empty());
    w.undo().unwrap();
    w.undo().unwrap();
    e.update(w.project());
    assert_eq!(name(&w, &e.for_doc(d0)[0]), "PLACE");
}

/// Many keys over a text of few words: looking each key up by its words costs more than
/// one pass of the automaton, so the learned source scans (the production rule, no test
/// switch; the sweep over a new 20k-char document is the synthetic test's). Either way
/// gives what the naive oracle gives.
#[test]
fn learned_scans_and_looks_up_alike() {
    let text = "ab cd ab. ".repeat(1_500);
    let mut w = ws(&[text.as_str()]);
    let d0 = id(&w, 0);
    let mut e = SuggestEngine::new();
    e.update(w.project());
    // "ab", "ab cd", "cd ab" and "ab cd ab", each with every label: 20 keys whose
    // rarest words stand 1500 to 3000 times each: 25 lookups a repetition, more than
    // the 10 chars of a scan plus the automaton's build.
    let mut edits = Vec::new();
    for (k, (s, end)) in [(0, 2), (0, 5), (3, 8), (0, 8)].into_iter().enumerate() {
        for l in 0..5 {
            let at = 10 * (5 * k + l as usize);
            edits.push(Edit::AddSpan {
                doc: d0,
                span: sp(at + s, at + end, l),
            });
        }
    }
    w.apply("add", edits).unwrap();
    e.update(w.project());
    let want = naive_suggestions(w.project());
    assert!(!want[0].is_empty());
    assert_eq!(e.for_doc(d0), &want[0][..]);
    let mut fresh = SuggestEngine::new();
    fresh.update(w.project());
    assert_eq!(fresh.for_doc(d0), &want[0][..]);
}
