//! Tests of the gold merge, split and the three-way merge, by hand and as properties.
//!
//! Here: helpers and examples; `properties.rs` checks the merges against oracles on
//! random projects.

use std::collections::{BTreeSet, HashSet};

use super::{MergeError, Policy, ThreeWay, merge, merge_listing, split, three_way};
use crate::model::suggest::{RuleKind, RuleSet, SuggestSettings};
use crate::model::{
    Disagreement, Document, Edit, Label, LabelId, PALETTE, Project, Span, Status, default_labels,
};
use proptest::prelude::*;

mod properties;
mod relations;

// Default labels: 0 PERSON, 1 PLACE, 2 ORG, 3 DATE, 4 QUOTE (by name below).
const TEXT: &str = "Ashraf Ghani met Amrullah Saleh in Kabul on Monday.";

fn sp(s: usize, e: usize, l: u32) -> Span {
    Span::new(s, e, LabelId(l)).unwrap()
}

fn project(docs: Vec<(&str, Vec<Span>)>) -> Project {
    let docs = docs
        .into_iter()
        .map(|(name, spans)| Document::with_spans(name, TEXT, spans).unwrap())
        .collect();
    Project::new(default_labels(), docs).unwrap()
}

fn spans(p: &Project, doc: usize) -> Vec<Span> {
    p.documents()[doc].spans().as_slice().to_vec()
}

#[test]
fn agreed_union_and_majority_by_hand() {
    // alice, bob, carol on one document:
    //   0..12 PERSON   all three           -> every policy
    //   17..30 PERSON  alice, bob          -> union, majority; a disagreement
    //   17..25 PERSON  carol               -> union; same region as above
    //   34..39 PLACE   alice               -> union; its own region
    //   43..49 DATE    bob, carol          -> union, majority; a region
    let a = project(vec![(
        "d",
        vec![sp(0, 12, 0), sp(17, 30, 0), sp(34, 39, 1)],
    )]);
    let b = project(vec![(
        "d",
        vec![sp(0, 12, 0), sp(17, 30, 0), sp(43, 49, 3)],
    )]);
    let c = project(vec![(
        "d",
        vec![sp(0, 12, 0), sp(17, 25, 0), sp(43, 49, 3)],
    )]);
    let all = [
        ("alice".to_string(), &a),
        ("bob".to_string(), &b),
        ("carol".to_string(), &c),
    ];
    let agreed = merge(&all, Policy::Agreed).unwrap();
    assert_eq!(spans(&agreed, 0), vec![sp(0, 12, 0)]);
    let d = agreed.documents()[0].disagreements();
    assert_eq!(d.len(), 3);
    assert_eq!((d[0].start, d[0].end), (17, 30));
    assert_eq!(d[0].version("alice"), Some(&[sp(17, 30, 0)][..]));
    assert_eq!(d[0].version("carol"), Some(&[sp(17, 25, 0)][..]));
    assert_eq!((d[1].start, d[1].end), (34, 39));
    assert_eq!(d[1].version("bob"), Some(&[][..]));
    assert_eq!((d[2].start, d[2].end), (43, 49));
    assert_eq!(d[2].version("alice"), Some(&[][..]));
    assert_eq!(d[2].version("carol"), Some(&[sp(43, 49, 3)][..]));
    let union = merge(&all, Policy::Union).unwrap();
    assert_eq!(
        spans(&union, 0),
        vec![
            sp(0, 12, 0),
            sp(17, 30, 0),
            sp(17, 25, 0),
            sp(34, 39, 1),
            sp(43, 49, 3)
        ]
    );
    assert!(union.documents()[0].disagreements().is_empty());
    let majority = merge(&all, Policy::Majority).unwrap();
    assert_eq!(
        spans(&majority, 0),
        vec![sp(0, 12, 0), sp(17, 30, 0), sp(43, 49, 3)]
    );
    // Of two annotators, majority needs both.
    let two = merge(&all[..2], Policy::Majority).unwrap();
    assert_eq!(spans(&two, 0), vec![sp(0, 12, 0), sp(17, 30, 0)]);
}

/// Issue 20: a QUOTE whose bounds differ, around a name labelled two ways, is two
/// decisions (each annotator nests a label in QUOTE, so they are layers); each is
/// resolved on its own. A name whose label and bounds both differ, with labels no one
/// nests, stays one.
#[test]
fn a_quote_and_a_nested_name_are_decided_apart() {
    // 0 PERSON, 2 ORG, 4 QUOTE. "Ashraf Ghani met Amrullah Saleh in Kabul on Monday."
    let a = project(vec![("d", vec![sp(0, 40, 4), sp(17, 30, 0)])]);
    let b = project(vec![("d", vec![sp(0, 49, 4), sp(17, 30, 2)])]);
    let all = [("alice".to_string(), &a), ("bob".to_string(), &b)];
    let gold = merge(&all, Policy::Agreed).unwrap();
    let ds = gold.documents()[0].disagreements().to_vec();
    assert_eq!(ds.len(), 2, "{ds:?}");
    assert_eq!((ds[0].start, ds[0].end), (0, 49));
    assert_eq!(ds[0].version("alice"), Some(&[sp(0, 40, 4)][..]));
    assert_eq!(ds[0].version("bob"), Some(&[sp(0, 49, 4)][..]));
    assert_eq!((ds[1].start, ds[1].end), (17, 30));
    assert_eq!(ds[1].version("alice"), Some(&[sp(17, 30, 0)][..]));
    assert_eq!(ds[1].version("bob"), Some(&[sp(17, 30, 2)][..]));
    use crate::model::disagreement::{Choice, Kind};
    assert_eq!(Kind::of(&ds[0]), Kind::Bounds);
    assert_eq!(Kind::of(&ds[1]), Kind::Label);
    // alice's quote, bob's label: each one undo step.
    let mut w = crate::model::Workspace::new(gold.clone());
    let doc = gold.documents()[0].id();
    let edits = w.project().resolve_edits(doc, 1, Choice::Take(1)).unwrap();
    w.apply("take bob", edits).unwrap();
    let edits = w.project().resolve_edits(doc, 0, Choice::Take(0)).unwrap();
    w.apply("take alice", edits).unwrap();
    assert_eq!(spans(w.project(), 0), vec![sp(0, 40, 4), sp(17, 30, 2)]);
    assert!(w.project().documents()[0].disagreements().is_empty());

    // Nobody nests ORG and PERSON: "PERSON 17..30 or ORG 17..25" is one decision.
    let a = project(vec![("d", vec![sp(17, 30, 0)])]);
    let b = project(vec![("d", vec![sp(17, 25, 2)])]);
    let all = [("alice".to_string(), &a), ("bob".to_string(), &b)];
    let gold = merge(&all, Policy::Agreed).unwrap();
    assert_eq!(gold.documents()[0].disagreements().len(), 1);
    // A layer seen in another document counts too.
    let a = project(vec![
        ("d", vec![sp(17, 30, 0)]),
        ("e", vec![sp(0, 40, 2), sp(17, 30, 0)]),
    ]);
    let b = project(vec![("d", vec![sp(17, 25, 2)]), ("e", vec![])]);
    let all = [("alice".to_string(), &a), ("bob".to_string(), &b)];
    let gold = merge(&all, Policy::Agreed).unwrap();
    assert_eq!(gold.documents()[0].disagreements().len(), 2);
}

/// A disagreement from before, holding a quote and a nested name as one region, stays
/// one through a merge (nothing splits it; see also `io::project`'s tests for loading).
#[test]
fn a_combined_disagreement_from_before_stays_whole() {
    let combined = Disagreement::covering(vec![
        ("alice".into(), vec![sp(0, 40, 4), sp(17, 30, 0)]),
        ("bob".into(), vec![sp(0, 49, 4), sp(17, 30, 2)]),
    ])
    .unwrap();
    let doc = Document::new("d", TEXT)
        .with_disagreements(vec![combined.clone()])
        .unwrap();
    let p = Project::new(default_labels(), vec![doc]).unwrap();
    let all = [("a".to_string(), &p), ("b".to_string(), &p)];
    let m = merge(&all, Policy::Agreed).unwrap();
    assert_eq!(m.documents()[0].disagreements(), &[combined]);
}

/// The git merge makes one conflict per range, so nested spans changed two ways are
/// separate decisions there too.
#[test]
fn three_way_conflicts_on_a_quote_and_a_nested_name_are_apart() {
    let m = three(
        vec![sp(0, 40, 4), sp(17, 30, 0)],
        vec![sp(17, 30, 2)],
        vec![sp(0, 40, 3), sp(17, 30, 1)],
    );
    assert_eq!(m.conflicts, 2);
    let ds = m.project.documents()[0].disagreements();
    assert_eq!(ds.len(), 2);
    assert_eq!((ds[0].start, ds[0].end), (0, 40));
    assert_eq!((ds[1].start, ds[1].end), (17, 30));
}

#[test]
fn labels_match_by_name_and_documents_by_name() {
    let a = project(vec![
        ("x", vec![sp(0, 6, 0)]),
        ("only-a", vec![sp(0, 6, 1)]),
    ]);
    // b's labels in another order, with a new one; its documents in another order.
    let mut labels = default_labels();
    labels.swap(0, 1);
    labels.push(Label {
        name: "EVENT".into(),
        color: PALETTE[0],
        hotkey: Some('1'),
    });
    let docs = vec![
        Document::with_spans("only-b", TEXT, vec![sp(0, 6, 5)]).unwrap(),
        Document::with_spans("x", TEXT, vec![sp(0, 6, 1)]).unwrap(),
    ];
    let b = Project::new(labels, docs).unwrap();
    let gold = merge(&[("a".into(), &a), ("b".into(), &b)], Policy::Agreed).unwrap();
    let names: Vec<&str> = gold.documents().iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, ["x", "only-a", "only-b"]);
    assert_eq!(gold.labels().len(), 6);
    let event = gold.label_id("EVENT").unwrap();
    assert_ne!(
        gold.labels()[5].hotkey,
        Some('1'),
        "a key already taken gets a free one"
    );
    // b's PERSON (its id 1) is a's PERSON (id 0): they agree.
    assert_eq!(spans(&gold, 0), vec![sp(0, 6, 0)]);
    // A document one annotator has keeps its spans.
    assert_eq!(spans(&gold, 1), vec![sp(0, 6, 1)]);
    assert_eq!(spans(&gold, 2), vec![sp(0, 6, event.0)]);
}

#[test]
fn differing_text_is_an_error_naming_the_document() {
    let a = project(vec![("d", vec![])]);
    let b = Project::new(default_labels(), vec![Document::new("d", "other")]).unwrap();
    let e = merge(&[("a".into(), &a), ("b".into(), &b)], Policy::Union).unwrap_err();
    assert_eq!(
        e,
        MergeError::TextDiffers {
            document: "d".into(),
            a: "a".into(),
            b: "b".into()
        }
    );
    assert!(e.to_string().contains("\"d\""));
    assert_eq!(merge(&[], Policy::Union), Err(MergeError::NoProjects));
}

#[test]
fn notes_and_status_of_the_gold() {
    let mut a = Document::with_spans("d", TEXT, vec![sp(0, 12, 0)]).unwrap();
    a = a
        .with_notes([(sp(0, 12, 0), "president".to_string())])
        .unwrap();
    a.status = Status::Done;
    let mut b = Document::with_spans("d", TEXT, vec![sp(0, 12, 0)]).unwrap();
    b = b
        .with_notes([(sp(0, 12, 0), "ex-president".to_string())])
        .unwrap();
    b.status = Status::InProgress;
    let pa = Project::new(default_labels(), vec![a.clone()]).unwrap();
    let pb = Project::new(default_labels(), vec![b]).unwrap();
    let gold = merge(&[("a".into(), &pa), ("b".into(), &pb)], Policy::Agreed).unwrap();
    let d = &gold.documents()[0];
    assert_eq!(d.note(&sp(0, 12, 0)), Some("a: president\nb: ex-president"));
    assert_eq!(d.status, Status::InProgress);
    let pa2 = Project::new(default_labels(), vec![a]).unwrap();
    let gold = merge(&[("a".into(), &pa), ("a2".into(), &pa2)], Policy::Agreed).unwrap();
    assert_eq!(gold.documents()[0].note(&sp(0, 12, 0)), Some("president"));
}

#[test]
fn split_round_robin_with_a_shared_part() {
    let names = ["d0", "d1", "d2", "d3", "d4", "d5", "d6", "d7", "d8", "d9"];
    let p = project(names.iter().map(|n| (*n, vec![])).collect());
    let s = split(&p, 3, 20.0);
    // 20% of 10 = 2 shared: documents 0 and 5; the 8 others round-robin.
    assert_eq!(s.shared, vec![0, 5]);
    let docs = |i: usize| -> Vec<&str> {
        s.projects[i]
            .documents()
            .iter()
            .map(|d| d.name.as_str())
            .collect()
    };
    assert_eq!(docs(0), ["d0", "d1", "d4", "d5", "d8"]);
    assert_eq!(docs(1), ["d0", "d2", "d5", "d6", "d9"]);
    assert_eq!(docs(2), ["d0", "d3", "d5", "d7"]);
    assert_eq!(split(&p, 2, 0.0).shared, Vec::<usize>::new());
    assert_eq!(split(&p, 2, 100.0).shared.len(), 10);
    // 15% of 10 = 1.5 rounds to 2.
    assert_eq!(split(&p, 2, 15.0).shared.len(), 2);
    // Merging the split back (union) gives the project.
    let named: Vec<(String, &Project)> = s
        .projects
        .iter()
        .enumerate()
        .map(|(i, p)| (format!("a{i}"), p))
        .collect();
    let back = merge(&named, Policy::Union).unwrap();
    // In the original order (it came out d0 d1 d4 d5 d8 d2 d6 d9 d3 d7), and the
    // merged project carries no split places.
    let got: Vec<&str> = back.documents().iter().map(|d| d.name.as_str()).collect();
    assert_eq!(got, names);
    assert_eq!(back.documents(), p.documents());
    // Each split document knows its place; a document added to one annotator's
    // project afterwards (no place) keeps its slot, the others take theirs.
    assert_eq!(s.projects[2].documents()[3].split_index, Some(7));
    let mut extra: Vec<Document> = s.projects[1]
        .documents()
        .iter()
        .map(|d| Document::clone(d))
        .collect();
    extra.insert(1, Document::new("new", TEXT));
    let with_new = Project::new(default_labels(), extra).unwrap();
    let named = [
        ("a".to_string(), &with_new),
        ("b".to_string(), &s.projects[0]),
        ("c".to_string(), &s.projects[2]),
    ];
    let back = merge(&named, Policy::Agreed).unwrap();
    let got: Vec<&str> = back.documents().iter().map(|d| d.name.as_str()).collect();
    assert_eq!(
        got,
        [
            "d0", "new", "d1", "d2", "d3", "d4", "d5", "d6", "d7", "d8", "d9"
        ]
    );
    // A git merge of a split project keeps the places.
    let t = three_way(&s.projects[0], &s.projects[0], &s.projects[0]).unwrap();
    assert_eq!(t.project.documents(), s.projects[0].documents());
}

// --- three-way ---

fn three(base: Vec<Span>, ours: Vec<Span>, theirs: Vec<Span>) -> ThreeWay {
    three_way(
        &project(vec![("d", base)]),
        &project(vec![("d", ours)]),
        &project(vec![("d", theirs)]),
    )
    .unwrap()
}

#[test]
fn changes_on_different_spans_combine() {
    let base = vec![sp(0, 12, 0), sp(17, 30, 0), sp(34, 39, 1)];
    // Ours relabels 0..12 and adds a date; theirs removes 34..39 and adds 17..25.
    let ours = vec![sp(0, 12, 2), sp(17, 30, 0), sp(34, 39, 1), sp(43, 49, 3)];
    let theirs = vec![sp(0, 12, 0), sp(17, 30, 0), sp(17, 25, 0)];
    let m = three(base, ours, theirs);
    assert_eq!(m.conflicts, 0);
    assert_eq!(
        spans(&m.project, 0),
        vec![sp(0, 12, 2), sp(17, 30, 0), sp(17, 25, 0), sp(43, 49, 3)]
    );
    assert!(m.project.documents()[0].disagreements().is_empty());
}

#[test]
fn the_same_change_on_both_sides_is_taken_once() {
    let m = three(
        vec![sp(0, 12, 0)],
        vec![sp(0, 12, 2), sp(43, 49, 3)],
        vec![sp(0, 12, 2), sp(43, 49, 3)],
    );
    assert_eq!(m.conflicts, 0);
    assert_eq!(spans(&m.project, 0), vec![sp(0, 12, 2), sp(43, 49, 3)]);
    // Removed on both sides.
    let m = three(vec![sp(0, 12, 0)], vec![], vec![]);
    assert_eq!((m.conflicts, spans(&m.project, 0)), (0, vec![]));
}

#[test]
fn different_changes_to_one_span_conflict() {
    // Relabelled two ways.
    let m = three(
        vec![sp(0, 12, 0), sp(43, 49, 3)],
        vec![sp(0, 12, 2), sp(43, 49, 3)],
        vec![sp(0, 12, 1), sp(43, 49, 3)],
    );
    assert_eq!(m.conflicts, 1);
    assert_eq!(spans(&m.project, 0), vec![sp(43, 49, 3)]);
    let d = m.project.documents()[0].disagreements();
    assert_eq!(d.len(), 1);
    assert_eq!((d[0].start, d[0].end), (0, 12));
    assert_eq!(d[0].version("ours"), Some(&[sp(0, 12, 2)][..]));
    assert_eq!(d[0].version("theirs"), Some(&[sp(0, 12, 1)][..]));
    // Relabelled on one side, removed on the other.
    let m = three(vec![sp(0, 12, 0)], vec![], vec![sp(0, 12, 1)]);
    assert_eq!(m.conflicts, 1);
    let d = &m.project.documents()[0].disagreements()[0];
    assert_eq!(d.version("ours"), Some(&[][..]));
    assert_eq!(d.version("theirs"), Some(&[sp(0, 12, 1)][..]));
    // Added on both sides over one range with different labels.
    let m = three(vec![], vec![sp(0, 12, 0)], vec![sp(0, 12, 2)]);
    assert_eq!(m.conflicts, 1);
    // A label both sides gave the range stays; the versions hold the rest.
    let m = three(vec![], vec![sp(0, 12, 0), sp(0, 12, 1)], vec![sp(0, 12, 0)]);
    assert_eq!((m.conflicts, spans(&m.project, 0)), (1, vec![sp(0, 12, 0)]));
    let d = &m.project.documents()[0].disagreements()[0];
    assert_eq!(d.version("ours"), Some(&[sp(0, 12, 1)][..]));
    assert_eq!(d.version("theirs"), Some(&[][..]));
}

#[test]
fn overlapping_additions_over_different_ranges_are_both_kept() {
    let m = three(vec![], vec![sp(0, 12, 0)], vec![sp(0, 6, 0), sp(17, 30, 0)]);
    assert_eq!(m.conflicts, 0);
    assert_eq!(
        spans(&m.project, 0),
        vec![sp(0, 12, 0), sp(0, 6, 0), sp(17, 30, 0)]
    );
}

#[test]
fn documents_added_and_removed_on_one_side() {
    let base = project(vec![("keep", vec![]), ("gone", vec![]), ("edited", vec![])]);
    let ours = project(vec![
        ("keep", vec![]),
        ("edited", vec![sp(0, 6, 0)]),
        ("new-ours", vec![]),
    ]);
    let theirs = project(vec![
        ("keep", vec![]),
        ("gone", vec![]),
        ("new-theirs", vec![sp(0, 6, 1)]),
    ]);
    let m = three_way(&base, &ours, &theirs).unwrap();
    let names: Vec<&str> = m
        .project
        .documents()
        .iter()
        .map(|d| d.name.as_str())
        .collect();
    // "gone": removed by ours, untouched by theirs. "edited": changed by ours, removed by
    // theirs: kept, with a warning.
    assert_eq!(names, ["keep", "edited", "new-ours", "new-theirs"]);
    assert_eq!(m.warnings.len(), 1, "{:?}", m.warnings);
    assert!(m.warnings[0].contains("\"edited\""));
    assert_eq!(spans(&m.project, 3), vec![sp(0, 6, 1)]);
    // Both added one of the same name: merged from nothing.
    let m = three_way(
        &project(vec![]),
        &project(vec![("n", vec![sp(0, 6, 0)])]),
        &project(vec![("n", vec![sp(7, 12, 0)])]),
    )
    .unwrap();
    assert_eq!(spans(&m.project, 0), vec![sp(0, 6, 0), sp(7, 12, 0)]);
}

#[test]
fn ours_labels_are_kept_as_they_are() {
    // Two labels of one colour (allowed) must not be "fixed" by a merge.
    let mut labels = default_labels();
    labels[1].color = labels[0].color;
    let p = Project::new(labels.clone(), vec![Document::new("d", TEXT)]).unwrap();
    let m = three_way(&p, &p, &project(vec![("d", vec![])])).unwrap();
    assert_eq!(m.project.labels(), &labels[..]);
    let g = merge(&[("a".into(), &p)], Policy::Union).unwrap();
    assert_eq!(g.labels(), &labels[..]);
}

#[test]
fn labels_union_and_text_changes() {
    let base = project(vec![("d", vec![])]);
    let mut labels = default_labels();
    labels.push(Label {
        name: "EVENT".into(),
        color: PALETTE[2],
        hotkey: None,
    });
    let theirs = Project::new(
        labels,
        vec![Document::with_spans("d", TEXT, vec![sp(0, 6, 5)]).unwrap()],
    )
    .unwrap();
    let m = three_way(&base, &base, &theirs).unwrap();
    assert_eq!(m.project.label_id("EVENT"), Some(LabelId(5)));
    assert_eq!(spans(&m.project, 0), vec![sp(0, 6, 5)]);
    let other = Project::new(default_labels(), vec![Document::new("d", "changed")]).unwrap();
    assert!(matches!(
        three_way(&base, &base, &other),
        Err(MergeError::TextDiffers { .. })
    ));
}

#[test]
fn notes_and_status_take_the_changed_side_else_ours() {
    let doc = |note: Option<&str>, status| {
        let mut d = Document::with_spans("d", TEXT, vec![sp(0, 12, 0)]).unwrap();
        if let Some(n) = note {
            d = d.with_notes([(sp(0, 12, 0), n.to_string())]).unwrap();
        }
        d.status = status;
        Project::new(default_labels(), vec![d]).unwrap()
    };
    let base = doc(None, Status::Todo);
    let m = three_way(
        &base,
        &doc(Some("x"), Status::Todo),
        &doc(None, Status::Done),
    )
    .unwrap();
    let d = &m.project.documents()[0];
    assert_eq!((d.note(&sp(0, 12, 0)), d.status), (Some("x"), Status::Done));
    assert!(m.warnings.is_empty());
    let m = three_way(
        &base,
        &doc(Some("x"), Status::InProgress),
        &doc(Some("y"), Status::Done),
    )
    .unwrap();
    let d = &m.project.documents()[0];
    assert_eq!(
        (d.note(&sp(0, 12, 0)), d.status),
        (Some("x"), Status::InProgress)
    );
    assert_eq!(m.warnings.len(), 2, "{:?}", m.warnings);
    assert_eq!(m.conflicts, 0);
}

// --- suggestion settings and rejections ---

fn rule_set(name: &str, source: &str) -> RuleSet {
    RuleSet {
        name: name.into(),
        kind: RuleKind::Dictionary,
        enabled: true,
        source: source.into(),
        default_label: None,
    }
}

fn settings(learned: bool, ignore_case: bool, rule_sets: Vec<RuleSet>) -> SuggestSettings {
    SuggestSettings {
        learned,
        ignore_case,
        rule_sets,
        ..SuggestSettings::default()
    }
}

/// A project of documents (name, spans, rejections) over TEXT with these labels.
fn rejecting(labels: Vec<Label>, docs: Vec<(&str, Vec<Span>, Vec<Span>)>) -> Project {
    let docs = docs
        .into_iter()
        .map(|(name, spans, rejected)| {
            Document::with_spans(name, TEXT, spans)
                .unwrap()
                .with_rejected(rejected)
                .unwrap()
        })
        .collect();
    Project::new(labels, docs).unwrap()
}

fn rejected(p: &Project, doc: usize) -> Vec<Span> {
    p.documents()[doc].rejected().iter().copied().collect()
}

/// Default labels with PERSON and PLACE swapped: ids 0 PLACE, 1 PERSON.
fn swapped() -> Vec<Label> {
    let mut labels = default_labels();
    labels.swap(0, 1);
    labels
}

#[test]
fn merge_takes_the_first_settings_plus_the_others_new_rule_sets() {
    let places = rule_set("places.txt", "Kabul\tPLACE");
    let a = Project::new(default_labels(), vec![])
        .unwrap()
        .with_suggest_settings(settings(
            false,
            true,
            vec![places.clone(), rule_set("p.txt", "one")],
        ));
    // b: the same places.txt (skipped), p.txt edited apart (kept too), a new orgs.txt;
    // its learned/ignore-case choices lose to a's.
    let b = Project::new(default_labels(), vec![])
        .unwrap()
        .with_suggest_settings(settings(
            true,
            false,
            vec![
                rule_set("orgs.txt", "UN\tORG"),
                places.clone(),
                rule_set("p.txt", "two"),
            ],
        ));
    let gold = merge(&[("a".into(), &a), ("b".into(), &b)], Policy::Union).unwrap();
    assert_eq!(
        gold.suggest_settings(),
        &settings(
            false,
            true,
            vec![
                places,
                rule_set("p.txt", "one"),
                rule_set("orgs.txt", "UN\tORG"),
                rule_set("p.txt", "two"),
            ]
        )
    );
    // One annotator with the defaults: the defaults.
    let plain = project(vec![]);
    let g = merge(&[("p".into(), &plain)], Policy::Agreed).unwrap();
    assert_eq!(g.suggest_settings(), &SuggestSettings::default());
}

#[test]
fn merge_unites_rejections_by_label_name_minus_gold_spans() {
    // a (default ids): spans Ashraf Ghani PERSON, Kabul PLACE; rejects Amrullah Saleh
    // ORG and Monday PERSON.
    let a = rejecting(
        default_labels(),
        vec![(
            "d",
            vec![sp(0, 12, 0), sp(34, 39, 1)],
            vec![sp(17, 30, 2), sp(43, 49, 0)],
        )],
    );
    // b (0 PLACE, 1 PERSON): span Ashraf Ghani PERSON; rejects Amrullah Saleh ORG (as
    // a does), Kabul PLACE (a's span), Amrullah PERSON; and a document a lacks.
    let b = rejecting(
        swapped(),
        vec![
            (
                "d",
                vec![sp(0, 12, 1)],
                vec![sp(17, 30, 2), sp(34, 39, 0), sp(17, 25, 1)],
            ),
            ("only-b", vec![], vec![sp(0, 6, 0)]),
        ],
    );
    let all = [("a".to_string(), &a), ("b".to_string(), &b)];
    // Agreed: Kabul PLACE is not gold (only a has it), so b's rejection of it stays.
    let agreed = merge(&all, Policy::Agreed).unwrap();
    assert_eq!(spans(&agreed, 0), vec![sp(0, 12, 0)]);
    assert_eq!(
        rejected(&agreed, 0),
        vec![sp(17, 25, 0), sp(17, 30, 2), sp(34, 39, 1), sp(43, 49, 0)]
    );
    // b's PLACE is the gold PLACE (id 1).
    assert_eq!(rejected(&agreed, 1), vec![sp(0, 6, 1)]);
    // Union: Kabul PLACE is gold, so its rejection goes.
    let union = merge(&all, Policy::Union).unwrap();
    assert_eq!(
        rejected(&union, 0),
        vec![sp(17, 25, 0), sp(17, 30, 2), sp(43, 49, 0)]
    );
}

#[test]
fn three_way_rejections_merge_as_sets_by_label_name() {
    // R1 Ashraf Ghani PERSON, R2 Kabul PLACE, R3 Monday DATE, R4 Amrullah Saleh ORG,
    // R5 Saleh PERSON (default ids).
    let (r1, r2, r3, r4, r5) = (
        sp(0, 12, 0),
        sp(34, 39, 1),
        sp(43, 49, 3),
        sp(17, 30, 2),
        sp(26, 31, 0),
    );
    let base = rejecting(default_labels(), vec![("d", vec![], vec![r1, r2, r5])]);
    // Ours forgets R1 (unreject) and rejects R3 and R4.
    let ours = rejecting(default_labels(), vec![("d", vec![], vec![r2, r3, r4, r5])]);
    // Theirs (0 PLACE, 1 PERSON) forgets R5, keeps R1 and R2, also rejects R4, and
    // rejects Kabul as PERSON.
    let theirs = rejecting(
        swapped(),
        vec![(
            "d",
            vec![],
            vec![sp(0, 12, 1), sp(34, 39, 0), sp(17, 30, 2), sp(34, 39, 1)],
        )],
    );
    let m = three_way(&base, &ours, &theirs).unwrap();
    assert_eq!(
        rejected(&m.project, 0),
        vec![r4, sp(34, 39, 0), r2, r3],
        "R1 and R5 go, R2 stays, R3 and R4 (once) and Kabul PERSON come"
    );
    assert!(m.warnings.is_empty(), "{:?}", m.warnings);
    assert_eq!(m.conflicts, 0);
    // A document deleted here whose rejections changed there is kept, with a warning.
    let gone = rejecting(default_labels(), vec![]);
    let m = three_way(&base, &gone, &ours).unwrap();
    assert_eq!(rejected(&m.project, 0), vec![r4, r5, r2, r3]);
    assert_eq!(m.warnings.len(), 1, "{:?}", m.warnings);
    // Unchanged there: the delete wins.
    let m = three_way(&base, &gone, &base).unwrap();
    assert!(m.project.documents().is_empty());
}

#[test]
fn three_way_settings_take_the_changed_side_field_by_field() {
    let dict = rule_set("places.txt", "Kabul\tPLACE");
    let with = |s: SuggestSettings| project(vec![("d", vec![])]).with_suggest_settings(s);
    let base = with(SuggestSettings::default());
    let run = |o: &Project, t: &Project| three_way(&base, o, t).unwrap();
    // Only theirs changed: theirs.
    let theirs = with(settings(false, true, vec![dict.clone()]));
    let m = run(&base, &theirs);
    assert_eq!(m.project.suggest_settings(), theirs.suggest_settings());
    assert!(m.warnings.is_empty());
    // Only ours changed: ours.
    let m = run(&theirs, &base);
    assert_eq!(m.project.suggest_settings(), theirs.suggest_settings());
    // Different fields changed on each side: both.
    let m = run(
        &with(settings(false, false, vec![])),
        &with(settings(true, false, vec![dict.clone()])),
    );
    assert_eq!(
        m.project.suggest_settings(),
        &settings(false, false, vec![dict.clone()])
    );
    assert!(m.warnings.is_empty(), "{:?}", m.warnings);
    // The same change on both sides: taken, no warning.
    let m = run(&theirs, &theirs);
    assert_eq!(m.project.suggest_settings(), theirs.suggest_settings());
    assert!(m.warnings.is_empty());
    // The rule sets changed two ways: ours, with a warning; theirs' ignore-case
    // change (ours left it) is still taken.
    let ours = with(settings(true, false, vec![dict.clone()]));
    let theirs = with(settings(true, true, vec![rule_set("orgs.txt", "UN\tORG")]));
    let m = run(&ours, &theirs);
    assert_eq!(
        m.project.suggest_settings(),
        &settings(true, true, vec![dict])
    );
    assert_eq!(m.warnings.len(), 1, "{:?}", m.warnings);
    assert!(m.warnings[0].contains("rule sets"), "{:?}", m.warnings);
    assert_eq!(m.conflicts, 0);
}
