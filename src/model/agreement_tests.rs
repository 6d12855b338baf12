//! Tests of agreement: hand-computed small cases and properties against naive oracles.
use super::*;
use crate::model::{Document, Label, LabelId, Rgb};
use proptest::prelude::*;

/// A project with labels named `labels` (in that order) and documents
/// `(name, text, [(start, end, label name)])`.
fn project(labels: &[&str], docs: &[(&str, &str, &[(usize, usize, &str)])]) -> Project {
    let labels: Vec<Label> = labels
        .iter()
        .map(|n| Label {
            name: n.to_string(),
            color: Rgb([0, 0, 0]),
            hotkey: None,
        })
        .collect();
    let docs = docs
        .iter()
        .map(|(name, text, spans)| {
            let spans = spans
                .iter()
                .map(|&(s, e, l)| {
                    let id = labels.iter().position(|x| x.name == l).unwrap();
                    Span::new(s, e, LabelId(id as u16)).unwrap()
                })
                .collect();
            Document::with_spans(*name, *text, spans).unwrap()
        })
        .collect();
    Project::new(labels, docs).unwrap()
}

fn two(a: &Project, b: &Project) -> Report {
    report(&[("a".to_string(), a), ("b".to_string(), b)]).unwrap()
}

/// Words at chars: Ada 0..3, Lovelace 4..12, met 13..16, Charles 17..24, Babbage 25..32,
/// in 33..35, London 36..42, in 43..45, 1833 46..50, "." 50..51.
const TEXT: &str = "Ada Lovelace met Charles Babbage in London in 1833.";

fn close(x: f64, y: f64) -> bool {
    (x - y).abs() < 1e-12
}

#[test]
fn exact_and_overlap_by_hand() {
    // a: Ada Lovelace PER 0..12, Charles Babbage PER 17..32, London LOC 36..42,
    //    1833 DATE 46..50
    // b: Lovelace PER 4..12 (bounds differ), Charles Babbage PER 17..32 (agrees),
    //    London PER 36..42 (label differs), in London LOC 33..42 (bounds differ),
    //    met PER 13..16 (one-sided)
    let a = project(
        &["PER", "LOC", "DATE"],
        &[(
            "d",
            TEXT,
            &[
                (0, 12, "PER"),
                (17, 32, "PER"),
                (36, 42, "LOC"),
                (46, 50, "DATE"),
            ],
        )],
    );
    // b numbers its labels differently: matched by name.
    let b = project(
        &["LOC", "PER"],
        &[(
            "d",
            TEXT,
            &[
                (4, 12, "PER"),
                (17, 32, "PER"),
                (36, 42, "PER"),
                (33, 42, "LOC"),
                (13, 16, "PER"),
            ],
        )],
    );
    let r = two(&a, &b);
    let p = &r.pairs[0];
    // Exact: only Charles Babbage. tp = 1, in_a = 4, in_b = 5.
    // P = 1/5 = 0.2, R = 1/4 = 0.25, F1 = 2·1/(4+5) = 2/9.
    assert_eq!((p.exact.tp, p.exact.in_a, p.exact.in_b), (1, 4, 5));
    assert!(close(p.exact.precision, 0.2));
    assert!(close(p.exact.recall, 0.25));
    assert!(close(p.exact.f1, 2.0 / 9.0));
    // Overlap: PER 0..12 ~ 4..12, PER 17..32 ~ 17..32, LOC 36..42 ~ 33..42: tp = 3.
    // (PER 36..42 in b overlaps no PER of a; met is one-sided; DATE is one-sided.)
    // P = 3/5, R = 3/4, F1 = 6/9 = 2/3.
    assert_eq!(p.overlap.tp, 3);
    assert!(close(p.overlap.precision, 0.6));
    assert!(close(p.overlap.recall, 0.75));
    assert!(close(p.overlap.f1, 2.0 / 3.0));
    // Per label, exact: PER a=2 b=4 tp=1 → F1 = 2/6 = 1/3; LOC a=1 b=1 tp=0 → 0;
    // DATE a=1 b=0 → 0. Overlap: PER tp=2 → 4/6 = 2/3; LOC tp=1 → 1; DATE 0.
    let f = |l: &str| (p.per_label[l].0.f1, p.per_label[l].1.f1);
    assert!(close(f("PER").0, 1.0 / 3.0) && close(f("PER").1, 2.0 / 3.0));
    assert!(close(f("LOC").0, 0.0) && close(f("LOC").1, 1.0));
    assert!(close(f("DATE").0, 0.0) && close(f("DATE").1, 0.0));
    assert_eq!(p.per_label["DATE"].0.recall, 0.0);
    assert_eq!(p.per_label["DATE"].0.precision, 0.0);
    // One pair: the means are that pair's values.
    assert!(close(r.per_label["PER"], 1.0 / 3.0));
    assert_eq!(r.documents.len(), 1);
    assert!(close(r.documents[0].1, 2.0 / 9.0));
    assert_eq!(r.exact, p.exact);
}

#[test]
fn overlap_counts_one_to_one() {
    // a: one long span 0..32; b: two spans inside it, 0..12 and 17..32.
    // Both b spans overlap the a span, but it matches only one: tp = 1.
    // P = 1/2, R = 1/1, F1 = 2·1/3 = 2/3.
    let a = project(&["PER"], &[("d", TEXT, &[(0, 32, "PER")])]);
    let b = project(&["PER"], &[("d", TEXT, &[(0, 12, "PER"), (17, 32, "PER")])]);
    let o = two(&a, &b).pairs[0].overlap;
    assert_eq!((o.tp, o.in_a, o.in_b), (1, 1, 2));
    assert!(close(o.precision, 0.5) && close(o.recall, 1.0) && close(o.f1, 2.0 / 3.0));
}

#[test]
fn overlap_finds_the_maximum_matching() {
    // a: 0..12, 4..20; b: 4..12, 13..16. 4..12 overlaps both a spans, 13..16 only the
    // second. Greedy in order would give a's 0..12 → 4..12 then 4..20 → 13..16 = 2 too;
    // the harder order: a's 4..20 first takes 4..12, then 0..12 must take it back.
    let a = project(&["X"], &[("d", TEXT, &[(4, 20, "X"), (0, 12, "X")])]);
    let b = project(&["X"], &[("d", TEXT, &[(4, 12, "X"), (13, 16, "X")])]);
    assert_eq!(two(&a, &b).pairs[0].overlap.tp, 2);
    assert_eq!(
        overlap_matches(&[(4, 20), (0, 12)], &[(4, 12), (13, 16)]),
        2
    );
    assert_eq!(overlap_matches(&[(0, 12), (4, 20)], &[(4, 12), (5, 6)]), 2);
}

#[test]
fn nothing_on_both_sides_is_full_agreement() {
    let a = project(&["PER"], &[("d", TEXT, &[])]);
    let b = project(&["PER"], &[("d", TEXT, &[])]);
    let r = two(&a, &b);
    assert_eq!(r.pairs[0].exact, Prf::new(0, 0, 0));
    assert_eq!(r.pairs[0].exact.f1, 1.0);
    assert_eq!(r.pairs[0].exact.precision, 1.0);
    assert!(r.per_label.is_empty());
    assert_eq!(r.documents, vec![("d".to_string(), 1.0)]);
}

#[test]
fn documents_only_some_annotators_have_count_for_those_pairs() {
    // x in a, b, c; y in a and c; z only in b (not measured at all).
    // x: everyone has PER 0..12. y: a has PER 0..12, c has nothing.
    let x: &[(usize, usize, &str)] = &[(0, 12, "PER")];
    let a = project(&["PER"], &[("x", TEXT, x), ("y", TEXT, x)]);
    let b = project(&["PER"], &[("z", "other", &[]), ("x", TEXT, x)]);
    let c = project(&["PER"], &[("y", TEXT, &[]), ("x", TEXT, x)]);
    let r = report(&[
        ("a".to_string(), &a),
        ("b".to_string(), &b),
        ("c".to_string(), &c),
    ])
    .unwrap();
    // Documents in order of first appearance; z is shared by nobody.
    let names: Vec<&str> = r.documents.iter().map(|d| d.0.as_str()).collect();
    assert_eq!(names, ["x", "y"]);
    // x: every pair agrees, F1 1. y: only pair (a, c), F1 = 0 (1 span vs none).
    assert_eq!(r.documents[0].1, 1.0);
    assert_eq!(r.documents[1].1, 0.0);
    // Pairs: (a,b) sees x only: 1/1. (a,c) sees x and y: tp 1, in_a 2, in_b 1,
    // F1 = 2/3. (b,c) sees x only: 1.
    assert_eq!(r.pairs[0].exact.f1, 1.0);
    assert!(close(r.pairs[1].exact.f1, 2.0 / 3.0));
    assert_eq!(r.pairs[2].exact.f1, 1.0);
    assert_eq!(r.pairs[1].documents.len(), 2);
    // Micro over pairs: tp 1+1+1 = 3, in_a 1+2+1 = 4, in_b 1+1+1 = 3: F1 = 6/7.
    assert!(close(r.exact.f1, 6.0 / 7.0));
    // Per label mean over pairs: (1 + 2/3 + 1) / 3 = 8/9.
    assert!(close(r.per_label["PER"], 8.0 / 9.0));
}

#[test]
fn differing_text_is_an_error_naming_the_document() {
    let a = project(&["PER"], &[("d", TEXT, &[])]);
    let b = project(&["PER"], &[("d", "Another text.", &[])]);
    let err = report(&[("a".to_string(), &a), ("b".to_string(), &b)]).unwrap_err();
    assert_eq!(
        err,
        AgreementError::TextDiffers {
            document: "d".into(),
            a: "a".into(),
            b: "b".into()
        }
    );
    assert!(err.to_string().contains("\"d\""));
}

#[test]
fn duplicate_names_and_too_few_annotators_are_errors() {
    let a = project(&["PER"], &[("d", TEXT, &[]), ("d", TEXT, &[])]);
    let b = project(&["PER"], &[("d", TEXT, &[])]);
    assert!(matches!(
        report(&[("a".to_string(), &a), ("b".to_string(), &b)]),
        Err(AgreementError::DuplicateDocument { .. })
    ));
    assert_eq!(
        report(&[("b".to_string(), &b)]),
        Err(AgreementError::TooFewAnnotators(1))
    );
}

/// Random spans over a 30-char text with labels X and Y.
fn spans() -> impl Strategy<Value = Vec<(usize, usize, bool)>> {
    prop::collection::vec((0usize..29, 1usize..8, any::<bool>()), 0..8).prop_map(|v| {
        v.into_iter()
            .map(|(s, l, y)| (s, (s + l).min(30), y))
            .collect()
    })
}

fn from(spans: &[(usize, usize, bool)]) -> Project {
    let text = "abcdefghij klmnopqrst uvwxyz01";
    let named: Vec<(usize, usize, &str)> = spans
        .iter()
        .map(|&(s, e, y)| (s, e, if y { "Y" } else { "X" }))
        .collect();
    project(&["X", "Y"], &[("d", text, &named)])
}

/// The largest one-to-one matching, by trying every assignment.
fn naive_matching(a: &[(usize, usize)], b: &[(usize, usize)]) -> usize {
    fn go(a: &[(usize, usize)], b: &[(usize, usize)], used: &mut Vec<bool>) -> usize {
        let Some((&(s, e), rest)) = a.split_first() else {
            return 0;
        };
        let mut best = go(rest, b, used);
        for k in 0..b.len() {
            if !used[k] && b[k].0 < e && s < b[k].1 {
                used[k] = true;
                best = best.max(1 + go(rest, b, used));
                used[k] = false;
            }
        }
        best
    }
    go(a, b, &mut vec![false; b.len()])
}

proptest! {
    #[test]
    fn swapping_swaps_precision_and_recall(sa in spans(), sb in spans()) {
        let (a, b) = (from(&sa), from(&sb));
        let ab = two(&a, &b);
        let ba = two(&b, &a);
        for (x, y) in [(ab.pairs[0].exact, ba.pairs[0].exact),
                       (ab.pairs[0].overlap, ba.pairs[0].overlap)] {
            prop_assert_eq!(x.precision, y.recall);
            prop_assert_eq!(x.recall, y.precision);
            prop_assert_eq!(x.f1, y.f1);
            prop_assert!(x.precision <= 1.0 && x.recall <= 1.0);
        }
        for (l, (e, o)) in &ab.pairs[0].per_label {
            let (e2, o2) = ba.pairs[0].per_label[l];
            prop_assert_eq!(e.f1, e2.f1);
            prop_assert_eq!(o.f1, o2.f1);
            prop_assert!(e.tp <= o.tp);
        }
    }

    #[test]
    fn matching_is_maximum(sa in spans(), sb in spans()) {
        let (a, b) = (from(&sa), from(&sb));
        let p = &two(&a, &b).pairs[0];
        let doc = |p: &Project| p.documents()[0].spans().iter()
            .map(|s| (s.start(), s.end(), s.label())).collect::<Vec<_>>();
        let (da, db) = (doc(&a), doc(&b));
        let mut exact = 0;
        let mut overlap = 0;
        for l in [LabelId(0), LabelId(1)] {
            let ra: Vec<(usize, usize)> =
                da.iter().filter(|s| s.2 == l).map(|s| (s.0, s.1)).collect();
            let rb: Vec<(usize, usize)> =
                db.iter().filter(|s| s.2 == l).map(|s| (s.0, s.1)).collect();
            exact += ra.iter().filter(|r| rb.contains(r)).count();
            overlap += naive_matching(&ra, &rb);
        }
        prop_assert_eq!(p.exact.tp, exact);
        prop_assert_eq!(p.overlap.tp, overlap);
        prop_assert_eq!(p.exact.in_a, da.len());
        prop_assert_eq!(p.exact.in_b, db.len());
    }
}
