//! Tests of agreement: hand-computed small cases and properties against naive oracles.
use super::*;
use crate::model::{Document, Label, LabelId, Rgb};
use proptest::prelude::*;

/// A project with labels named `labels` (in that order) and documents
/// `(name, text, [(start, end, label name)])`.
/// A document: name, text, spans as (start, end, label name).
type Doc<'a> = (&'a str, &'a str, &'a [(usize, usize, &'a str)]);

fn project(labels: &[&str], docs: &[Doc<'_>]) -> Project {
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
                    Span::new(s, e, LabelId(id as u32)).unwrap()
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
    assert!(close(r.per_label_overlap["PER"], 2.0 / 3.0));
    assert!(close(r.documents_overlap[0].1, 2.0 / 3.0));
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
    // Overlap is the same here (no bound disagreements).
    assert!(close(r.per_label_overlap["PER"], 8.0 / 9.0));
    assert_eq!(r.documents_overlap, r.documents);
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
fn too_few_annotators_is_an_error() {
    // (Two documents of one name cannot be in a project: `Project::new` refuses them.)
    let b = project(&["PER"], &[("d", TEXT, &[])]);
    assert_eq!(
        report(&[("b".to_string(), &b)]),
        Err(AgreementError::TooFewAnnotators(1))
    );
}

/// Two annotators without a shared document have no agreement to report (the scores
/// read 1.000 before); so do two of three, even when the third shares with both.
#[test]
fn nothing_in_common_is_an_error_naming_both() {
    let a = project(&["PER"], &[("d1", TEXT, &[])]);
    let b = project(&["PER"], &[("d2", TEXT, &[])]);
    let c = project(&["PER"], &[("d1", TEXT, &[]), ("d2", TEXT, &[])]);
    let name = |n: &str| n.to_string();
    let nothing = AgreementError::NothingShared {
        a: "a".into(),
        b: "b".into(),
    };
    assert_eq!(
        report(&[(name("a"), &a), (name("b"), &b)]),
        Err(nothing.clone())
    );
    assert_eq!(
        report(&[(name("a"), &a), (name("b"), &b), (name("c"), &c)]),
        Err(nothing)
    );
    assert!(report(&[(name("a"), &a), (name("c"), &c)]).is_ok());
}

#[test]
fn cohen_kappa_by_hand() {
    // The spans of `exact_and_overlap_by_hand`. Tokens: Ada Lovelace met Charles Babbage
    // in London in 1833 . (10).
    // a: PER PER O   PER PER O   LOC O DATE O
    // b: flat spans keep LOC 33..42 ("in London", 9 chars) over PER 36..42 (6 chars):
    //    O   PER PER PER PER LOC LOC O O    O
    // Agree on tokens 2, 4, 5, 7, 8, 10: p_o = 6/10.
    // a: PER 4, O 4, LOC 1, DATE 1; b: PER 4, O 4, LOC 2, DATE 0.
    // p_e = (4·4 + 4·4 + 1·2 + 1·0) / 100 = 0.34.
    // kappa = (0.6 − 0.34) / (1 − 0.34) = 0.26 / 0.66 = 13/33.
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
    assert_eq!(r.tokens, 10);
    assert!(close(r.cohen_kappa.unwrap(), 13.0 / 33.0));
    assert_eq!(r.fleiss_kappa, None);
    // Symmetric.
    assert!(close(two(&b, &a).cohen_kappa.unwrap(), 13.0 / 33.0));
    // Against itself: 1.
    assert!(close(two(&a, &a).cohen_kappa.unwrap(), 1.0));
}

#[test]
fn fleiss_kappa_by_hand() {
    // Tokens a b c d; categories X and O.
    //   r1: X X O O    r2: X O O O    r3: X X X O
    // P_i = (Σ n_ic² − 3) / 6: token a (3 X) 1; b (2 X, 1 O) (4+1−3)/6 = 1/3;
    // c (1 X, 2 O) 1/3; d (3 O) 1. P̄ = (1 + 1/3 + 1/3 + 1) / 4 = 2/3.
    // X: 3+2+1 = 6 of 12 ratings, O: 6 of 12: P̄_e = 0.25 + 0.25 = 0.5.
    // kappa = (2/3 − 1/2) / (1 − 1/2) = 1/3.
    let text = "a b c d";
    let r1 = project(&["X"], &[("d", text, &[(0, 1, "X"), (2, 3, "X")])]);
    let r2 = project(&["X"], &[("d", text, &[(0, 1, "X")])]);
    let r3 = project(&["X"], &[("d", text, &[(0, 5, "X")])]);
    let r = report(&[
        ("r1".to_string(), &r1),
        ("r2".to_string(), &r2),
        ("r3".to_string(), &r3),
    ])
    .unwrap();
    assert_eq!(r.cohen_kappa, None);
    assert_eq!(r.tokens, 4);
    assert!(close(r.fleiss_kappa.unwrap(), 1.0 / 3.0));
    assert!(close(
        fleiss_kappa(&[vec![1, 1, 0, 0], vec![1, 0, 0, 0], vec![1, 1, 1, 0]], 2).unwrap(),
        1.0 / 3.0
    ));
}

#[test]
fn kappa_is_undefined_without_variation_or_tokens() {
    // Everyone says O everywhere: p_e = 1, kappa 0/0.
    let a = project(&["X"], &[("d", "a b", &[])]);
    assert_eq!(two(&a, &a).cohen_kappa, None);
    let empty = project(&["X"], &[("d", "", &[])]);
    let r = two(&empty, &empty);
    assert_eq!((r.cohen_kappa, r.tokens), (None, 0));
    assert_eq!(cohen_kappa(&[], &[], 1), None);
    assert_eq!(fleiss_kappa(&[vec![0], vec![0], vec![0]], 1), None);
}

#[test]
fn kappa_only_counts_documents_everyone_has() {
    // y is only in a and b: with three annotators, only x (4 tokens) is rated.
    let a = project(
        &["X"],
        &[("x", "a b c d", &[(0, 1, "X")]), ("y", "e f", &[])],
    );
    let b = project(
        &["X"],
        &[("x", "a b c d", &[(0, 1, "X")]), ("y", "e f", &[])],
    );
    let c = project(&["X"], &[("x", "a b c d", &[(0, 1, "X")])]);
    let r = report(&[
        ("a".to_string(), &a),
        ("b".to_string(), &b),
        ("c".to_string(), &c),
    ])
    .unwrap();
    assert_eq!(r.tokens, 4);
    assert!(close(r.fleiss_kappa.unwrap(), 1.0));
}

#[test]
fn tokens_are_cut_at_every_annotators_bounds() {
    // A bound inside a word: a: X 0..2 ("ab" of "abcd"), b: X 0..4. a's export cuts
    // "abcd" into ab|cd, b's does not; both are compared on ab | cd | ef.
    let a = project(&["X"], &[("d", "abcd ef", &[(0, 2, "X")])]);
    let b = project(&["X"], &[("d", "abcd ef", &[(0, 4, "X")])]);
    let docs = [(&a, &*a.documents()[0]), (&b, &*b.documents()[0])];
    let TokenLabels { tokens, labels } = token_labels(&docs);
    assert_eq!(tokens, [(0, 2), (2, 4), (5, 7)]);
    assert_eq!(labels[0], [Some("X"), None, None]);
    assert_eq!(labels[1], [Some("X"), Some("X"), None]);
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

    #[test]
    fn cohen_kappa_matches_the_confusion_matrix_formula(
        pairs in prop::collection::vec((0usize..4, 0usize..4), 1..40),
    ) {
        let (a, b): (Vec<usize>, Vec<usize>) = pairs.iter().copied().unzip();
        // scikit-learn's form: 1 − Σ w·C / Σ w·E with w = 1 off the diagonal, C the
        // confusion matrix and E the outer product of the marginals over n.
        let n = a.len() as f64;
        let mut c = [[0f64; 4]; 4];
        for (&x, &y) in a.iter().zip(&b) {
            c[x][y] += 1.0;
        }
        let row = |i: usize| c[i].iter().sum::<f64>();
        let col = |j: usize| c.iter().map(|r| r[j]).sum::<f64>();
        let (mut observed, mut expected) = (0.0, 0.0);
        for (i, r) in c.iter().enumerate() {
            for (j, x) in r.iter().enumerate() {
                if i != j {
                    observed += x;
                    expected += row(i) * col(j) / n;
                }
            }
        }
        let got = cohen_kappa(&a, &b, 4);
        if expected == 0.0 {
            prop_assert_eq!(got, None);
        } else {
            prop_assert!((got.unwrap() - (1.0 - observed / expected)).abs() < 1e-9);
            prop_assert_eq!(got, cohen_kappa(&b, &a, 4));
        }
    }

    #[test]
    fn fleiss_kappa_matches_counting_rater_pairs(
        ratings in (2usize..5, 1usize..20).prop_flat_map(|(r, n)| {
            prop::collection::vec(prop::collection::vec(0usize..3, n), r)
        }),
    ) {
        // P̄ as the share of agreeing ordered pairs of distinct raters, per item.
        let raters = ratings.len();
        let items = ratings[0].len();
        let mut agree = 0.0;
        for i in 0..items {
            let item: Vec<usize> = ratings.iter().map(|r| r[i]).collect();
            let mut same = 0;
            for (r, x) in item.iter().enumerate() {
                for (s, y) in item.iter().enumerate() {
                    if r != s && x == y {
                        same += 1;
                    }
                }
            }
            agree += same as f64 / (raters * (raters - 1)) as f64;
        }
        let p_bar = agree / items as f64;
        let all: Vec<usize> = ratings.iter().flatten().copied().collect();
        let pe: f64 = (0..3)
            .map(|c| {
                let share = all.iter().filter(|&&x| x == c).count() as f64 / all.len() as f64;
                share * share
            })
            .sum();
        let got = fleiss_kappa(&ratings, 3);
        if pe == 1.0 {
            prop_assert_eq!(got, None);
        } else {
            prop_assert!((got.unwrap() - (p_bar - pe) / (1.0 - pe)).abs() < 1e-9);
        }
    }
}

/// Relation agreement by hand. Labels QUOTE (0) and PERSON (1); the default SPEAKER
/// type links them. alice links three quotes to their speakers; bob links the first
/// the same, and the second from a quote he bounded otherwise (no match); carol links
/// nothing.
#[test]
fn relation_precision_recall_and_f1_by_hand() {
    use crate::model::{Relation, RelationType, RelationTypeId};
    let labels = |names: &[&str]| -> Vec<Label> {
        names
            .iter()
            .map(|n| Label {
                name: n.to_string(),
                color: Rgb([0, 0, 0]),
                hotkey: None,
            })
            .collect()
    };
    let s = |a: usize, b: usize, l: u32| Span::new(a, b, LabelId(l)).unwrap();
    let text = "x".repeat(40);
    let (q1, p1, q2, p2, q3, p3) = (
        s(0, 5, 0),
        s(6, 8, 1),
        s(10, 15, 0),
        s(16, 18, 1),
        s(20, 25, 0),
        s(26, 28, 1),
    );
    let doc = |spans: Vec<Span>, links: Vec<(Span, Span, u32)>| {
        Document::with_spans("d", text.clone(), spans)
            .unwrap()
            .with_relations(
                links
                    .into_iter()
                    .map(|(f, t, k)| Relation::new(f, t, RelationTypeId(k)).unwrap()),
            )
            .unwrap()
    };
    let alice = Project::new(
        labels(&["QUOTE", "PERSON"]),
        vec![doc(
            vec![q1, p1, q2, p2, q3, p3],
            vec![(q1, p1, 0), (q2, p2, 0), (q3, p3, 0)],
        )],
    )
    .unwrap();
    // bob: another type first, so his SPEAKER is type 1 (types match by name).
    let speaker = alice.relation_types()[0].clone();
    let cites = RelationType {
        name: "CITES".into(),
        ..speaker.clone()
    };
    let q2b = s(10, 14, 0);
    let bob = Project::with_types(
        labels(&["QUOTE", "PERSON"]),
        vec![cites, speaker],
        vec![doc(vec![q1, p1, q2b, p2], vec![(q1, p1, 1), (q2b, p2, 1)])],
    )
    .unwrap();
    let carol = Project::new(
        labels(&["QUOTE", "PERSON"]),
        vec![doc(vec![q1, p1], vec![])],
    )
    .unwrap();
    let dave = carol.clone();
    let r = report(&[
        ("alice".into(), &alice),
        ("bob".into(), &bob),
        ("carol".into(), &carol),
        ("dave".into(), &dave),
    ])
    .unwrap();
    let rel = |i: usize| r.pairs[i].relations.unwrap();
    // alice ~ bob: 1 of bob's 2 links matches, 1 of alice's 3.
    assert_eq!(
        (r.pairs[0].a.as_str(), r.pairs[0].b.as_str()),
        ("alice", "bob")
    );
    assert_eq!((rel(0).tp, rel(0).in_a, rel(0).in_b), (1, 3, 2));
    assert_eq!(rel(0).precision, 0.5);
    assert!((rel(0).recall - 1.0 / 3.0).abs() < 1e-12);
    assert!((rel(0).f1 - 0.4).abs() < 1e-12);
    // alice ~ carol: carol linked nothing.
    assert_eq!(
        (rel(1).precision, rel(1).recall, rel(1).f1),
        (0.0, 0.0, 0.0)
    );
    // carol ~ dave: both linked nothing, and agree on it.
    assert_eq!(r.pairs[5].a, "carol");
    assert_eq!(rel(5).f1, 1.0);
    // The micro average sums the counts over the pairs.
    let all = r.relations.unwrap();
    assert_eq!((all.tp, all.in_a, all.in_b), (1, 3 + 3 + 3 + 2 + 2, 2));
    // Nobody linked anything: nothing is reported about relations.
    let r = report(&[("carol".into(), &carol), ("dave".into(), &dave)]).unwrap();
    assert!(r.relations.is_none() && r.pairs[0].relations.is_none());
}
