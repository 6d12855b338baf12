//! Relations through the merges, by hand: each policy, disagreements that carry links
//! and resolving them, relation types by name, rejected relations, split, and git's
//! three-way merge (links added, removed, and linked to a span the other side changed).

use super::*;
use crate::model::disagreement::{Choice, Kind};
use crate::model::{Relation, RelationType, RelationTypeId, Workspace};

// Default labels: 0 PERSON, 1 PLACE, 2 ORG, 3 DATE, 4 QUOTE; type 0 is SPEAKER
// (QUOTE -> PERSON | ORG).
const SAID: &str =
    "“We will not stop,” Ashraf Ghani said, and Amrullah Saleh agreed. The ministry said so.";

fn quote() -> Span {
    sp(0, 19, 4)
}
fn ghani() -> Span {
    sp(20, 32, 0)
}
fn saleh() -> Span {
    sp(43, 57, 0)
}
fn ministry() -> Span {
    sp(66, 78, 2)
}

fn link(from: Span, to: Span) -> Relation {
    Relation::new(from, to, RelationTypeId(0)).unwrap()
}

/// A project of one document "d" of SAID with these spans and links.
fn linked(spans: Vec<Span>, links: Vec<Relation>) -> Project {
    let d = Document::with_spans("d", SAID, spans)
        .unwrap()
        .with_relations(links)
        .unwrap();
    Project::new(default_labels(), vec![d]).unwrap()
}

fn links(p: &Project) -> Vec<Relation> {
    p.documents()[0].relations().iter().copied().collect()
}

fn named<'a>(list: &[(&str, &'a Project)]) -> Vec<(String, &'a Project)> {
    list.iter().map(|(n, p)| (n.to_string(), *p)).collect()
}

#[test]
fn relations_follow_each_policy_and_majority_lists_what_it_leaves_out() {
    let spans = vec![quote(), ghani(), saleh()];
    let a = linked(spans.clone(), vec![link(quote(), ghani())]);
    let b = linked(spans.clone(), vec![link(quote(), ghani())]);
    let c = linked(spans, vec![link(quote(), saleh())]);
    let all = named(&[("alice", &a), ("bob", &b), ("carol", &c)]);
    let union = merge(&all, Policy::Union).unwrap();
    assert_eq!(
        links(&union),
        vec![link(quote(), ghani()), link(quote(), saleh())]
    );
    let majority = merge_listing(&all, Policy::Majority).unwrap();
    assert_eq!(links(&majority.project), vec![link(quote(), ghani())]);
    assert_eq!(
        majority.left_out,
        vec!["document \"d\": SPEAKER 0..19 QUOTE -> 43..57 PERSON (carol)"]
    );
    // Agreed: the spans are gold, no link is; the link disagreement is one region over
    // the quote, each version with its link.
    let agreed = merge_listing(&all, Policy::Agreed).unwrap();
    assert!(agreed.left_out.is_empty());
    let gold = &agreed.project;
    assert_eq!(spans_of(gold), vec![quote(), ghani(), saleh()]);
    assert!(links(gold).is_empty());
    let d = gold.documents()[0].disagreements();
    assert_eq!(d.len(), 1);
    assert_eq!((d[0].start, d[0].end), (0, 19));
    assert_eq!(Kind::of(&d[0]), Kind::Link);
    assert_eq!(d[0].version("alice"), Some(&[][..]));
    assert_eq!(d[0].relations_of(0), &[link(quote(), ghani())]);
    assert_eq!(d[0].relations_of(2), &[link(quote(), saleh())]);
    // Everyone linked the same: a gold link, no disagreement.
    let same = merge(&named(&[("alice", &a), ("bob", &b)]), Policy::Agreed).unwrap();
    assert_eq!(links(&same), vec![link(quote(), ghani())]);
    assert!(same.documents()[0].disagreements().is_empty());
}

fn spans_of(p: &Project) -> Vec<Span> {
    p.documents()[0].spans().as_slice().to_vec()
}

/// Resolves disagreement `i` of the only document with `choice`, as the window does.
fn resolve(w: &mut Workspace, i: usize, choice: Choice) {
    let doc = w.project().documents()[0].id();
    let edits = w.project().resolve_edits(doc, i, choice).unwrap();
    w.apply("resolve", edits).unwrap();
}

#[test]
fn a_link_to_a_disputed_span_goes_with_that_spans_version() {
    // alice has Ghani and links the quote to him; bob has neither.
    let a = linked(vec![quote(), ghani()], vec![link(quote(), ghani())]);
    let b = linked(vec![quote()], vec![]);
    let gold = merge(&named(&[("alice", &a), ("bob", &b)]), Policy::Agreed).unwrap();
    assert_eq!(spans_of(&gold), vec![quote()]);
    let d = &gold.documents()[0].disagreements()[0];
    assert_eq!((d.start, d.end), (20, 32));
    assert_eq!(Kind::of(d), Kind::OneSided);
    assert_eq!(d.relations_of(0), &[link(quote(), ghani())]);
    assert!(d.relations_of(1).is_empty());
    // Taking alice's brings the span and the link, in one undo step.
    let mut w = Workspace::new(gold.clone());
    resolve(&mut w, 0, Choice::Take(0));
    assert_eq!(links(w.project()), vec![link(quote(), ghani())]);
    w.undo().unwrap();
    assert_eq!(w.project(), &gold);
    resolve(&mut w, 0, Choice::Take(1));
    assert!(links(w.project()).is_empty());
    assert_eq!(spans_of(w.project()), vec![quote()]);
}

#[test]
fn a_link_between_two_disputed_spans_waits_for_both_regions() {
    let a = linked(vec![quote(), ghani()], vec![link(quote(), ghani())]);
    let b = linked(vec![], vec![]);
    let gold = merge(&named(&[("alice", &a), ("bob", &b)]), Policy::Agreed).unwrap();
    let d = gold.documents()[0].disagreements();
    assert_eq!(d.len(), 2);
    assert!(
        d.iter()
            .all(|x| x.relations_of(0) == [link(quote(), ghani())])
    );
    // Either region first (the speaker's is index 1, then 0 once the quote's is gone).
    for order in [[1, 0], [0, 0]] {
        let mut w = Workspace::new(gold.clone());
        resolve(&mut w, order[0], Choice::Take(0));
        // One end is there, the other not yet: no link.
        assert!(links(w.project()).is_empty());
        resolve(&mut w, order[1], Choice::Take(0));
        assert_eq!(links(w.project()), vec![link(quote(), ghani())]);
        assert_eq!(spans_of(w.project()), vec![quote(), ghani()]);
    }
    // Taking alice's quote but not her speaker leaves the link out.
    let mut w = Workspace::new(gold.clone());
    resolve(&mut w, 1, Choice::Take(1));
    resolve(&mut w, 0, Choice::Take(0));
    assert_eq!(spans_of(w.project()), vec![quote()]);
    assert!(links(w.project()).is_empty());
}

#[test]
fn both_takes_every_link_and_neither_none() {
    let spans = vec![quote(), ghani(), saleh()];
    let a = linked(spans.clone(), vec![link(quote(), ghani())]);
    let b = linked(spans, vec![link(quote(), saleh())]);
    let gold = merge(&named(&[("alice", &a), ("bob", &b)]), Policy::Agreed).unwrap();
    let mut w = Workspace::new(gold.clone());
    resolve(&mut w, 0, Choice::Both);
    assert_eq!(
        links(w.project()),
        vec![link(quote(), ghani()), link(quote(), saleh())]
    );
    let mut w = Workspace::new(gold);
    resolve(&mut w, 0, Choice::Neither);
    assert!(links(w.project()).is_empty());
    assert!(w.project().documents()[0].disagreements().is_empty());
}

#[test]
fn relation_types_match_by_name_and_widen() {
    // bob numbers labels otherwise, defines SPEAKER from QUOTE to PERSON only, and has
    // a type of his own; his link to the ministry needs ORG (alice's SPEAKER has it).
    let a = linked(vec![quote(), ministry()], vec![link(quote(), ministry())]);
    let mut labels = default_labels();
    labels.swap(0, 4); // QUOTE is 0, PERSON 4
    let (q, person) = (LabelId(0), LabelId(4));
    let types = vec![
        RelationType {
            name: "CITES".into(),
            color: PALETTE[1],
            hotkey: None,
            from: vec![q],
            to: vec![q],
        },
        RelationType {
            name: "SPEAKER".into(),
            color: PALETTE[2],
            hotkey: None,
            from: vec![q],
            to: vec![person],
        },
    ];
    let bq = sp(0, 19, 0);
    let bghani = sp(20, 32, 4);
    let d = Document::with_spans("d", SAID, vec![bq, bghani])
        .unwrap()
        .with_relations([Relation::new(bq, bghani, RelationTypeId(1)).unwrap()])
        .unwrap();
    let b = Project::with_types(labels, types, vec![d]).unwrap();
    let gold = merge(&named(&[("alice", &a), ("bob", &b)]), Policy::Union).unwrap();
    let names: Vec<&str> = gold
        .relation_types()
        .iter()
        .map(|t| t.name.as_str())
        .collect();
    assert_eq!(names, ["SPEAKER", "CITES"]);
    let speaker = gold.relation_type_id("SPEAKER").unwrap();
    // Alice's SPEAKER, as she defined it (colour too).
    assert_eq!(gold.relation_types()[0], a.relation_types()[0]);
    let cites = &gold.relation_types()[1];
    assert_eq!(cites.from, vec![gold.label_id("QUOTE").unwrap()]);
    assert_eq!(
        links(&gold),
        vec![
            Relation::new(quote(), ghani(), speaker).unwrap(),
            Relation::new(quote(), ministry(), speaker).unwrap()
        ]
    );
    // bob first: his SPEAKER, widened to ORG so alice's link fits.
    let gold = merge(&named(&[("bob", &b), ("alice", &a)]), Policy::Union).unwrap();
    let speaker = &gold.relation_types()[1];
    assert_eq!(speaker.name, "SPEAKER");
    let org = gold.label_id("ORG").unwrap();
    assert_eq!(speaker.to, vec![gold.label_id("PERSON").unwrap(), org]);
    assert_eq!(links(&gold).len(), 2);
}

#[test]
fn rejected_relations_unite_minus_gold_links() {
    let spans = vec![quote(), ghani(), saleh()];
    let with = |links: Vec<Relation>, rejected: Vec<Relation>| {
        let d = Document::with_spans("d", SAID, spans.clone())
            .unwrap()
            .with_relations(links)
            .unwrap()
            .with_rejected_relations(rejected)
            .unwrap();
        Project::new(default_labels(), vec![d]).unwrap()
    };
    let a = with(vec![link(quote(), ghani())], vec![link(quote(), saleh())]);
    let b = with(vec![], vec![link(quote(), ghani())]);
    let gold = merge(&named(&[("alice", &a), ("bob", &b)]), Policy::Union).unwrap();
    // bob's rejection of alice's link is overruled (it is gold); alice's stays.
    let rejected: Vec<Relation> = gold.documents()[0]
        .rejected_relations()
        .iter()
        .copied()
        .collect();
    assert_eq!(rejected, vec![link(quote(), saleh())]);
}

#[test]
fn split_keeps_each_documents_relations_and_merges_back() {
    let docs: Vec<Document> = (0..4)
        .map(|i| {
            Document::with_spans(format!("d{i}"), SAID, vec![quote(), ghani()])
                .unwrap()
                .with_relations([link(quote(), ghani())])
                .unwrap()
        })
        .collect();
    let p = Project::new(default_labels(), docs).unwrap();
    let parts = split(&p, 2, 50.0);
    for part in &parts.projects {
        for d in part.documents() {
            assert_eq!(d.relations().len(), 1, "{}", d.name);
        }
        assert_eq!(part.relation_types(), p.relation_types());
    }
    let named: Vec<(String, &Project)> = parts
        .projects
        .iter()
        .enumerate()
        .map(|(i, p)| (format!("a{i}"), p))
        .collect();
    let back = merge(&named, Policy::Agreed).unwrap();
    for (x, y) in back.documents().iter().zip(p.documents()) {
        assert_eq!(x.relations(), y.relations());
    }
}

/// A three-way merge of one document of SAID, each side (spans, links).
fn three_links(
    base: (Vec<Span>, Vec<Relation>),
    ours: (Vec<Span>, Vec<Relation>),
    theirs: (Vec<Span>, Vec<Relation>),
) -> ThreeWay {
    let (b, o, t) = (
        linked(base.0, base.1),
        linked(ours.0, ours.1),
        linked(theirs.0, theirs.1),
    );
    three_way(&b, &o, &t).unwrap()
}

#[test]
fn three_way_takes_links_added_and_drops_links_removed() {
    let spans = vec![quote(), ghani(), saleh(), ministry()];
    let (qg, qs, qm) = (
        link(quote(), ghani()),
        link(quote(), saleh()),
        link(quote(), ministry()),
    );
    // Each side adds one; ours removes the base's.
    let m = three_links(
        (spans.clone(), vec![qm]),
        (spans.clone(), vec![qg]),
        (spans.clone(), vec![qm, qs]),
    );
    assert_eq!(m.conflicts, 0);
    assert!(m.warnings.is_empty(), "{:?}", m.warnings);
    assert_eq!(links(&m.project), vec![qg, qs]);
    // A link whose span was removed on the side that removed the link too: gone,
    // quietly (nothing was added against it).
    let m = three_links(
        (spans.clone(), vec![qg]),
        (vec![quote(), saleh()], vec![]),
        (spans.clone(), vec![qg]),
    );
    assert_eq!(m.conflicts, 0);
    assert!(links(&m.project).is_empty());
    assert_eq!(spans_of(&m.project), vec![quote(), saleh()]);
}

#[test]
fn three_way_a_link_to_a_span_the_other_side_removed_is_a_conflict() {
    let spans = vec![quote(), ghani()];
    let qg = link(quote(), ghani());
    // Ours links the quote to Ghani; theirs deletes Ghani.
    for swap in [false, true] {
        let (o, t) = ((spans.clone(), vec![qg]), (vec![quote()], vec![]));
        let (o, t) = if swap { (t, o) } else { (o, t) };
        let m = three_links((spans.clone(), vec![]), o, t);
        assert_eq!(m.conflicts, 1);
        assert_eq!(m.warnings.len(), 1, "{:?}", m.warnings);
        assert!(m.warnings[0].contains("linked 0..19 QUOTE to 20..32 PERSON"));
        let d = &m.project.documents()[0].disagreements()[0];
        assert_eq!((d.start, d.end), (20, 32));
        let (linker, other) = if swap { (1, 0) } else { (0, 1) };
        assert_eq!(d.versions[linker].1, vec![ghani()]);
        assert_eq!(d.relations_of(linker), &[qg]);
        assert!(d.versions[other].1.is_empty() && d.relations_of(other).is_empty());
        assert_eq!(spans_of(&m.project), vec![quote()]);
        // Taking the linker's version brings both back.
        let mut w = Workspace::new(m.project.clone());
        resolve(&mut w, 0, Choice::Take(linker));
        assert_eq!(links(w.project()), vec![qg]);
    }
    // Relabelled on the other side: the conflict offers both labels.
    let org = sp(20, 32, 2);
    let m = three_links(
        (spans.clone(), vec![]),
        (spans.clone(), vec![qg]),
        (vec![quote(), org], vec![]),
    );
    assert_eq!(m.conflicts, 1);
    let d = &m.project.documents()[0].disagreements()[0];
    assert_eq!(d.versions[0].1, vec![ghani()]);
    assert_eq!(d.versions[1].1, vec![org]);
    assert_eq!(d.relations_of(0), &[qg]);
}

#[test]
fn three_way_conflicting_relabels_carry_each_sides_moved_link() {
    // Ours relabels Ghani (the link moves with him), theirs removes him.
    let (person, org) = (ghani(), sp(20, 32, 2));
    let m = three_links(
        (vec![quote(), person], vec![link(quote(), person)]),
        (vec![quote(), org], vec![link(quote(), org)]),
        (vec![quote()], vec![]),
    );
    // ours relabelled (and kept the link), theirs removed: one conflict.
    assert_eq!(m.conflicts, 1);
    let d = &m.project.documents()[0].disagreements()[0];
    assert_eq!(d.version("ours"), Some(&[org][..]));
    assert_eq!(d.relations_of(0), &[link(quote(), org)]);
    assert!(d.relations_of(1).is_empty());
    assert!(links(&m.project).is_empty());
}

#[test]
fn three_way_relation_types_changed_both_ways_keep_ours() {
    let base = linked(vec![quote(), ghani()], vec![]);
    let recolour = |p: &Project, c: usize| {
        let mut t = p.relation_types().to_vec();
        t[0].color = PALETTE[c];
        Project::with_types(p.labels().to_vec(), t, docs_of(p)).unwrap()
    };
    let (o, t) = (recolour(&base, 1), recolour(&base, 2));
    let m = three_way(&base, &o, &t).unwrap();
    assert_eq!(m.project.relation_types()[0].color, PALETTE[1]);
    assert_eq!(
        m.warnings,
        vec!["relation type \"SPEAKER\": changed both ways; kept ours"]
    );
    // Changed on one side: that side's.
    let m = three_way(&base, &base, &t).unwrap();
    assert_eq!(m.project.relation_types()[0].color, PALETTE[2]);
    assert!(m.warnings.is_empty());
    // Deleted on one side: gone, unless the other side's links use it.
    let none = Project::with_types(default_labels(), vec![], docs_of(&base)).unwrap();
    let m = three_way(&base, &none, &base).unwrap();
    assert!(m.project.relation_types().is_empty());
    let linking = linked(vec![quote(), ghani()], vec![link(quote(), ghani())]);
    let m = three_way(&base, &none, &linking).unwrap();
    assert_eq!(m.project.relation_types().len(), 1);
    assert_eq!(links(&m.project).len(), 1);
    assert_eq!(m.warnings.len(), 1, "{:?}", m.warnings);
}

/// A project's documents, owned (as a constructor takes them).
fn docs_of(p: &Project) -> Vec<Document> {
    p.documents().iter().map(|d| Document::clone(d)).collect()
}
