//! Properties of the suggestion layer over random editing sessions (spans added and
//! removed, suggestions rejected and accepted, undo, case folding, documents and labels
//! removed, moved and renamed, rule sets and command results): the engine, updated
//! incrementally, always agrees with the naive oracles.

use super::*;

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
        let doc_id = |d: usize| docs.get(d).map(|d| d.id());
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
