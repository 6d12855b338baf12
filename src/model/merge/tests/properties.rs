//! Properties of the merges on random annotators' projects: the policies against a
//! count oracle, identical inputs merging to themselves, three-way symmetry and
//! rejections as sets, resolutions kept through a three-way merge; links through every
//! policy and the three-way merge, none lost.

use super::*;
use crate::model::disagreement::Choice;
use crate::model::{Relation, RelationType, RelationTypeId};
use std::collections::HashMap;

/// Up to four annotators' span lists over one 40-char document, labels 0..3.
fn arb_annotators() -> impl Strategy<Value = Vec<Vec<Span>>> {
    proptest::collection::vec(
        proptest::collection::vec((0usize..35, 1usize..6, 0u32..3), 0..10)
            .prop_map(|v| v.into_iter().map(|(s, l, lab)| sp(s, s + l, lab)).collect()),
        1..5,
    )
}

fn projects_of(lists: &[Vec<Span>]) -> Vec<Project> {
    lists
        .iter()
        .map(|spans| {
            let d = Document::with_spans("d", "x".repeat(40), spans.clone()).unwrap();
            Project::new(default_labels(), vec![d]).unwrap()
        })
        .collect()
}

fn set(p: &Project) -> HashSet<Span> {
    p.documents()[0].spans().iter().copied().collect()
}

/// Up to five rejections over the 40-char document, labels 0..3.
fn arb_rejections() -> impl Strategy<Value = Vec<Span>> {
    proptest::collection::vec((0usize..35, 1usize..6, 0u32..3), 0..6)
        .prop_map(|v| v.into_iter().map(|(s, l, lab)| sp(s, s + l, lab)).collect())
}

/// One of 16 suggestion settings: the bits of `v` pick learned, ignore case and two
/// rule sets.
fn settings_variant(v: u8) -> SuggestSettings {
    let mut rule_sets = Vec::new();
    if v & 4 != 0 {
        rule_sets.push(rule_set("a.txt", "x\tPERSON"));
    }
    if v & 8 != 0 {
        rule_sets.push(rule_set("b.txt", "y\tPLACE"));
    }
    settings(v & 1 != 0, v & 2 != 0, rule_sets)
}

/// `p` (one document) with these rejections, except those equal to one of its spans,
/// and settings variant `v`.
fn dress(p: &Project, rejected: &[Span], v: u8) -> Project {
    let d: &Document = &p.documents()[0];
    let keep = rejected.iter().filter(|s| !d.spans().contains(s)).copied();
    let d = d.clone().with_rejected(keep).unwrap();
    Project::new(p.labels().to_vec(), vec![d])
        .unwrap()
        .with_suggest_settings(settings_variant(v))
}

fn rejected_set(p: &Project) -> BTreeSet<Span> {
    p.documents()[0].rejected().clone()
}

proptest! {
    /// Union ⊇ Majority ⊇ Agreed, each equal to a count over the inputs (the oracle);
    /// with Agreed, each annotator's spans are exactly the gold spans plus their
    /// versions, each of their other spans in exactly one decision, and two decisions'
    /// spans overlap only as layers (one strictly inside the other, labels some
    /// annotator nests).
    #[test]
    fn policies_nest_and_agreed_keeps_everything(lists in arb_annotators()) {
        let projects = projects_of(&lists);
        let named: Vec<(String, &Project)> =
            projects.iter().enumerate().map(|(i, p)| (format!("a{i}"), p)).collect();
        let n = lists.len();
        let sets: Vec<HashSet<Span>> = lists.iter().map(|l| l.iter().copied().collect()).collect();
        let every: HashSet<Span> = sets.iter().flatten().copied().collect();
        let count = |s: &Span| sets.iter().filter(|x| x.contains(s)).count();
        let oracle = |keep: &dyn Fn(usize) -> bool| -> HashSet<Span> {
            every.iter().filter(|s| keep(count(s))).copied().collect()
        };
        let union = set(&merge(&named, Policy::Union).unwrap());
        let majority = set(&merge(&named, Policy::Majority).unwrap());
        let agreed_p = merge(&named, Policy::Agreed).unwrap();
        let agreed = set(&agreed_p);
        prop_assert_eq!(&union, &oracle(&|c| c >= 1));
        prop_assert_eq!(&majority, &oracle(&|c| 2 * c > n));
        prop_assert_eq!(&agreed, &oracle(&|c| c == n));
        prop_assert!(union.is_superset(&majority) && majority.is_superset(&agreed));
        let dis = agreed_p.documents()[0].disagreements();
        for (i, mine) in sets.iter().enumerate() {
            let mut rebuilt = agreed.clone();
            let mut times: HashMap<Span, usize> = HashMap::new();
            for d in dis {
                let v = d.version(&format!("a{i}")).unwrap();
                prop_assert!(v.iter().all(|s| s.start() >= d.start && s.end() <= d.end));
                rebuilt.extend(v.iter().copied());
                for s in v {
                    *times.entry(*s).or_default() += 1;
                }
            }
            prop_assert_eq!(&rebuilt, mine);
            for s in mine.difference(&agreed) {
                prop_assert_eq!(times.get(s), Some(&1), "{:?} of a{} not in one decision", s, i);
            }
        }
        let layers = super::super::gold::Layers::of(lists.iter().cloned());
        for (x, dx) in dis.iter().enumerate() {
            for dy in &dis[x + 1..] {
                for s in dx.spans() {
                    for t in dy.spans() {
                        if s.start() < t.end() && t.start() < s.end() {
                            prop_assert!(layers.apart(s, t), "{:?} and {:?} overlap in two decisions", s, t);
                        }
                    }
                }
            }
        }
        // Every region holds at least two different versions.
        for d in dis {
            let first = &d.versions[0].1;
            prop_assert!(d.versions.iter().any(|(_, v)| v != first));
        }
    }

    /// Identical inputs: every policy gives that input (its rejections and suggestion
    /// settings too) and no disagreements.
    #[test]
    fn identical_inputs_merge_to_themselves(
        lists in arb_annotators(),
        k in 1usize..4,
        rejected in arb_rejections(),
        v in 0u8..16,
    ) {
        let projects = [dress(&projects_of(&lists[..1])[0], &rejected, v)];
        let named: Vec<(String, &Project)> = (0..k).map(|i| (format!("a{i}"), &projects[0])).collect();
        for policy in [Policy::Agreed, Policy::Union, Policy::Majority] {
            let m = merge(&named, policy).unwrap();
            prop_assert_eq!(&m, &projects[0]);
        }
    }

    /// Three-way: a side that did not change gives the other side (rejections and
    /// settings included); the same change on both sides gives it; and swapping
    /// ours/theirs gives the same spans, rejections and number of conflicts.
    /// Rejections: exactly those both sides have or one side added (the oracle).
    #[test]
    fn three_way_properties(lists in proptest::collection::vec(
        proptest::collection::vec((0usize..35, 1usize..6, 0u32..3), 0..10)
            .prop_map(|v| v.into_iter().map(|(s, l, lab)| sp(s, s + l, lab)).collect::<Vec<_>>()),
        3..=3,
    ), rejections in proptest::collection::vec(arb_rejections(), 3..=3),
       variants in proptest::collection::vec(0u8..16, 3..=3)) {
        let p: Vec<Project> = projects_of(&lists)
            .iter()
            .enumerate()
            .map(|(i, p)| dress(p, &rejections[i], variants[i]))
            .collect();
        let (b, o, t) = (&p[0], &p[1], &p[2]);
        prop_assert_eq!(&three_way(b, b, t).unwrap().project, t);
        prop_assert_eq!(&three_way(b, o, b).unwrap().project, o);
        prop_assert_eq!(&three_way(b, o, o).unwrap().project, o);
        let x = three_way(b, o, t).unwrap();
        let y = three_way(b, t, o).unwrap();
        prop_assert_eq!(set(&x.project), set(&y.project));
        prop_assert_eq!(rejected_set(&x.project), rejected_set(&y.project));
        let (rb, ro, rt) = (rejected_set(b), rejected_set(o), rejected_set(t));
        let oracle: BTreeSet<Span> = ro
            .iter()
            .chain(&rt)
            .filter(|r| (ro.contains(r) && rt.contains(r)) || !rb.contains(r))
            .copied()
            .collect();
        prop_assert_eq!(rejected_set(&x.project), oracle);
        prop_assert_eq!(x.conflicts, y.conflicts);
        prop_assert_eq!(x.conflicts, x.project.documents()[0].disagreements().len());
        // Spans both sides have are in the result; spans neither has are not.
        let (so, st) = (set(o), set(t));
        let r = set(&x.project);
        prop_assert!(so.intersection(&st).all(|s| r.contains(s)));
        prop_assert!(r.iter().all(|s| so.contains(s) || st.contains(s)));
    }

    /// Three-way of a gold project whose disagreements each side resolved in part
    /// (issue 17: resolutions on two branches came back open): a disagreement
    /// resolved on either side is gone, one resolved on neither stays, and every
    /// other disagreement in the result is a conflict the merge counted. Swapping
    /// the sides changes none of that.
    #[test]
    fn three_way_keeps_every_resolution(
        lists in arb_annotators(),
        ours_picks in proptest::collection::vec(proptest::option::of(0usize..4), 0..12),
        theirs_picks in proptest::collection::vec(proptest::option::of(0usize..4), 0..12),
    ) {
        let projects = projects_of(&lists);
        let named: Vec<(String, &Project)> =
            projects.iter().enumerate().map(|(i, p)| (format!("a{i}"), p)).collect();
        let base = merge(&named, Policy::Agreed).unwrap();
        let open = base.documents()[0].disagreements().to_vec();
        // A side resolves disagreement i with version `pick` where it has a pick.
        let resolve = |picks: &[Option<usize>]| {
            let mut w = crate::model::Workspace::new(base.clone());
            let doc = base.documents()[0].id();
            // From the last, so the earlier ones keep their indices.
            for (i, d) in open.iter().enumerate().rev() {
                if let Some(Some(v)) = picks.get(i) {
                    let spans = d.versions[v % d.versions.len()].1.clone();
                    w.apply("take", vec![Edit::Resolve { doc, index: i, spans }]).unwrap();
                }
            }
            w.project().clone()
        };
        let (o, t) = (resolve(&ours_picks), resolve(&theirs_picks));
        let resolved = |picks: &[Option<usize>], i: usize| matches!(picks.get(i), Some(Some(_)));
        let left: Vec<&Disagreement> = open
            .iter()
            .enumerate()
            .filter(|(i, _)| !resolved(&ours_picks, *i) && !resolved(&theirs_picks, *i))
            .map(|(_, d)| d)
            .collect();
        for (x, y) in [(&o, &t), (&t, &o)] {
            let m = three_way(&base, x, y).unwrap();
            let got = m.project.documents()[0].disagreements();
            for d in &left {
                prop_assert!(got.contains(d), "{:?} was resolved on neither side", d);
            }
            for (i, d) in open.iter().enumerate() {
                if resolved(&ours_picks, i) || resolved(&theirs_picks, i) {
                    prop_assert!(!got.contains(d), "{:?} was resolved, yet is open", d);
                }
            }
            prop_assert_eq!(got.len(), left.len() + m.conflicts);
        }
    }
}

/// A type linking any of labels 0..3 to any, so random links always fit.
fn any_link() -> RelationType {
    let all = vec![LabelId(0), LabelId(1), LabelId(2)];
    RelationType {
        name: "LINK".into(),
        color: PALETTE[0],
        hotkey: None,
        from: all.clone(),
        to: all,
    }
}

/// One person's spans and links (pairs of places in the span list).
type Person = (Vec<Span>, Vec<(usize, usize)>);

/// Up to `n` people's spans over one 40-char document, each with links between their
/// own spans (pairs of places in their list). Everyone has some shared spans, and the
/// others come from a small pool (eight places, three lengths, two labels), so people
/// often agree on spans and differ only in how they link them.
fn arb_linked(n: std::ops::Range<usize>) -> impl Strategy<Value = Vec<Person>> {
    let pool = || {
        proptest::collection::vec((0usize..8, 1usize..4, 0u32..2), 0..5).prop_map(|v| {
            v.into_iter()
                .map(|(s, l, lab)| sp(s * 5, s * 5 + l, lab))
                .collect::<Vec<_>>()
        })
    };
    let person = (
        pool(),
        proptest::collection::vec((0usize..9, 0usize..9), 0..6),
    );
    (pool(), proptest::collection::vec(person, n)).prop_map(|(shared, people)| {
        people
            .into_iter()
            .map(|(mut spans, links)| {
                spans.extend(&shared);
                (spans, links)
            })
            .collect()
    })
}

/// One project per person of `arb_linked`, with the LINK type.
fn linked_projects(people: &[Person]) -> Vec<Project> {
    people
        .iter()
        .map(|(spans, pairs)| {
            let links: BTreeSet<Relation> = pairs
                .iter()
                .filter(|_| !spans.is_empty())
                .filter_map(|&(i, j)| {
                    Relation::new(
                        spans[i % spans.len()],
                        spans[j % spans.len()],
                        RelationTypeId(0),
                    )
                    .ok()
                })
                .collect();
            let d = Document::with_spans("d", "x".repeat(40), spans.clone())
                .unwrap()
                .with_relations(links)
                .unwrap();
            Project::with_types(default_labels(), vec![any_link()], vec![d]).unwrap()
        })
        .collect()
}

fn link_set(p: &Project) -> HashSet<Relation> {
    p.documents()[0].relations().iter().copied().collect()
}

/// Every link of the project (the document's, and its disagreements') has a type, and
/// the document's have both ends as spans.
fn links_sound(p: &Project) -> Result<(), TestCaseError> {
    let d = &p.documents()[0];
    for r in d.relations().iter() {
        prop_assert!(d.spans().contains(&r.from()) && d.spans().contains(&r.to()));
    }
    for r in d.relations().iter().chain(
        d.disagreements()
            .iter()
            .flat_map(Disagreement::all_relations),
    ) {
        prop_assert!(p.check_relation(r).is_ok());
    }
    Ok(())
}

proptest! {
    /// Links follow each policy like spans (a count oracle over the annotators), every
    /// link of every result has its spans and a type, and with Agreed none is lost:
    /// taking annotator k's version of every disagreement (in any order of regions:
    /// here from the last) gives back exactly k's spans and links, taking both
    /// everywhere gives the union, and only Majority leaves links out, listing them.
    #[test]
    fn links_follow_the_policies_and_agreed_loses_none(people in arb_linked(1..5)) {
        let projects = linked_projects(&people);
        let named: Vec<(String, &Project)> =
            projects.iter().enumerate().map(|(i, p)| (format!("a{i}"), p)).collect();
        let n = projects.len();
        let sets: Vec<HashSet<Relation>> = projects.iter().map(link_set).collect();
        let count = |r: &Relation| sets.iter().filter(|x| x.contains(r)).count();
        let every: HashSet<Relation> = sets.iter().flatten().copied().collect();
        let oracle = |keep: &dyn Fn(usize) -> bool| -> HashSet<Relation> {
            every.iter().filter(|r| keep(count(r))).copied().collect()
        };
        let union = merge_listing(&named, Policy::Union).unwrap();
        let majority = merge_listing(&named, Policy::Majority).unwrap();
        let agreed = merge_listing(&named, Policy::Agreed).unwrap();
        for m in [&union, &majority, &agreed] {
            links_sound(&m.project)?;
        }
        prop_assert_eq!(link_set(&union.project), oracle(&|c| c >= 1));
        prop_assert_eq!(link_set(&majority.project), oracle(&|c| 2 * c > n));
        prop_assert_eq!(link_set(&agreed.project), oracle(&|c| c == n));
        prop_assert!(union.left_out.is_empty() && agreed.left_out.is_empty());
        let minority: usize = sets.iter().flatten().filter(|r| 2 * count(r) <= n).count();
        prop_assert_eq!(majority.left_out.len(), minority);
        let gold = &agreed.project;
        let dis = gold.documents()[0].disagreements();
        // Decisions overlap only as layers (a span strictly inside one of a label
        // someone nests in it).
        let layers = super::super::gold::Layers::of(
            projects.iter().map(|p| p.documents()[0].spans().iter().copied().collect()),
        );
        for (x, dx) in dis.iter().enumerate() {
            for dy in &dis[x + 1..] {
                for s in dx.spans() {
                    for t in dy.spans() {
                        if s.start() < t.end() && t.start() < s.end() {
                            prop_assert!(layers.apart(s, t), "{:?} and {:?} in two decisions", s, t);
                        }
                    }
                }
            }
        }
        for d in dis {
            let differs = (1..d.versions.len()).any(|k| {
                d.versions[k].1 != d.versions[0].1 || d.relations_of(k) != d.relations_of(0)
            });
            prop_assert!(differs, "{:?} has no two different versions", d);
        }
        let doc = gold.documents()[0].id();
        let take_all = |choice: &dyn Fn(usize) -> Choice| -> Result<Project, TestCaseError> {
            let mut w = crate::model::Workspace::new(gold.clone());
            for i in (0..dis.len()).rev() {
                let edits = w.project().resolve_edits(doc, i, choice(i)).unwrap();
                w.apply("take", edits).map_err(|e| TestCaseError::fail(e.to_string()))?;
            }
            links_sound(w.project())?;
            Ok(w.project().clone())
        };
        for (k, p) in projects.iter().enumerate() {
            let got = take_all(&|_| Choice::Take(k))?;
            prop_assert_eq!(set(&got), set(p));
            prop_assert_eq!(link_set(&got), link_set(p));
        }
        let both = take_all(&|_| Choice::Both)?;
        prop_assert_eq!(set(&both), set(&union.project));
        prop_assert_eq!(link_set(&both), link_set(&union.project));
    }

    /// Three-way with links: a side that did not change gives the other side (links
    /// and types included); swapping ours and theirs gives the same links and the
    /// same links in conflicts; the links kept are exactly the set merge against the
    /// base (one added on either side stays, one removed on either side goes), each
    /// either a link of the result or in a conflict's version, never dropped; every
    /// conflict is counted.
    #[test]
    fn three_way_links_merge_as_sets_and_none_is_dropped(people in arb_linked(3..4)) {
        let p = linked_projects(&people);
        let (b, o, t) = (&p[0], &p[1], &p[2]);
        prop_assert_eq!(&three_way(b, b, t).unwrap().project, t);
        prop_assert_eq!(&three_way(b, o, b).unwrap().project, o);
        prop_assert_eq!(&three_way(b, o, o).unwrap().project, o);
        let x = three_way(b, o, t).unwrap();
        let y = three_way(b, t, o).unwrap();
        links_sound(&x.project)?;
        prop_assert_eq!(link_set(&x.project), link_set(&y.project));
        let pending = |m: &ThreeWay| -> BTreeSet<Relation> {
            m.project.documents()[0]
                .disagreements()
                .iter()
                .flat_map(Disagreement::all_relations)
                .copied()
                .collect()
        };
        prop_assert_eq!(pending(&x), pending(&y));
        prop_assert_eq!(x.conflicts, y.conflicts);
        prop_assert_eq!(x.conflicts, x.project.documents()[0].disagreements().len());
        let (lb, lo, lt) = (link_set(b), link_set(o), link_set(t));
        let kept: BTreeSet<Relation> = lo
            .iter()
            .chain(&lt)
            .filter(|r| (lo.contains(r) && lt.contains(r)) || !lb.contains(r))
            .copied()
            .collect();
        let result = link_set(&x.project);
        prop_assert!(result.iter().all(|r| kept.contains(r)));
        for r in &kept {
            prop_assert!(result.contains(r) || pending(&x).contains(r), "{:?} was dropped", r);
        }
    }
}
