//! Disagreements: regions of a document where annotators (or the two sides of a git
//! merge) labelled it differently, kept in the document until someone adjudicates them.

use super::{Relation, Span};

/// One region (chars `start..end`, the hull of the spans involved) where annotators
/// differ; each version is who said it ("alice", or "ours"/"theirs" after a git merge)
/// and the spans they have there, possibly none, with the relations that hang on them.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Disagreement {
    /// First char of the region.
    pub start: usize,
    /// One past the last char of the region.
    pub end: usize,
    /// Who said what: (name, their spans in the region), in a stable order.
    pub versions: Vec<(String, Vec<Span>)>,
    /// The links each version has here: `relations[k]` goes with `versions[k]` (a
    /// version past the end of the list has none). A link belongs to the regions of
    /// its ends that are not agreed spans, or, when both ends are agreed and only the
    /// link differs, to the region of the span it starts from. Taking a version adds
    /// its links whose ends are then both spans of the document
    /// ([`crate::model::Project::resolve_edits`]); a link with an end in another open
    /// region is listed there too, and added when that one is resolved. Kept sorted,
    /// without empty lists at the end ([`Disagreement::with_relations`]), so equal
    /// disagreements compare equal.
    pub relations: Vec<Vec<Relation>>,
}

impl Disagreement {
    /// A disagreement over the hull of the versions' spans; `None` if no version has a
    /// span (there is no region to disagree about).
    pub fn covering(versions: Vec<(String, Vec<Span>)>) -> Option<Self> {
        let all = versions.iter().flat_map(|(_, spans)| spans);
        let start = all.clone().map(Span::start).min()?;
        let end = all.map(Span::end).max()?;
        Some(Self {
            start,
            end,
            versions,
            relations: Vec::new(),
        })
    }

    /// The same disagreement with these links per version (`relations[k]` for version
    /// `k`), each list sorted and without repeats, and no empty lists at the end.
    pub fn with_relations(mut self, mut relations: Vec<Vec<Relation>>) -> Self {
        for list in &mut relations {
            list.sort_unstable();
            list.dedup();
        }
        while relations.last().is_some_and(Vec::is_empty) {
            relations.pop();
        }
        self.relations = relations;
        self
    }

    /// Every span of every version (a span several versions share comes once per version).
    pub fn spans(&self) -> impl Iterator<Item = &Span> {
        self.versions.iter().flat_map(|(_, spans)| spans)
    }

    /// The links of version `k` here (none past the list).
    pub fn relations_of(&self, k: usize) -> &[Relation] {
        self.relations.get(k).map_or(&[], Vec::as_slice)
    }

    /// Every link of every version (one several versions share comes once per version).
    pub fn all_relations(&self) -> impl Iterator<Item = &Relation> {
        self.relations.iter().flatten()
    }

    /// The version of this name, if there is one.
    pub fn version(&self, name: &str) -> Option<&[Span]> {
        self.versions
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, s)| s.as_slice())
    }

    /// Sort key in a document: by start, then end.
    pub(super) fn key(&self) -> (usize, usize) {
        (self.start, self.end)
    }
}

/// How a disagreement differs (the view draws each kind its own way).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Every version has spans on the same ranges, with different labels.
    Label,
    /// Every version has spans there, on different ranges.
    Bounds,
    /// Some version has nothing there.
    OneSided,
    /// The spans agree (no version has a span of its own there); only the links from
    /// them differ.
    Link,
}

impl Kind {
    /// All kinds, in legend order.
    pub const ALL: [Kind; 4] = [Kind::Label, Kind::Bounds, Kind::OneSided, Kind::Link];

    /// The kind of a disagreement.
    pub fn of(d: &Disagreement) -> Self {
        let same_spans = d.versions.windows(2).all(|w| w[0].1 == w[1].1);
        let same_links = (1..d.versions.len()).all(|k| d.relations_of(k) == d.relations_of(0));
        if same_spans && !same_links {
            return Kind::Link;
        }
        if d.versions.iter().any(|(_, spans)| spans.is_empty()) {
            return Kind::OneSided;
        }
        let ranges = |spans: &[Span]| {
            let mut r: Vec<(usize, usize)> = spans.iter().map(|s| (s.start(), s.end())).collect();
            r.sort_unstable();
            r.dedup();
            r
        };
        let mut versions = d.versions.iter().map(|(_, s)| ranges(s));
        let first = versions.next().unwrap_or_default();
        if versions.all(|r| r == first) {
            Kind::Label
        } else {
            Kind::Bounds
        }
    }

    /// The word the legend and the bar use.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Label => "label differs",
            Kind::Bounds => "bounds differ",
            Kind::OneSided => "one-sided",
            Kind::Link => "link differs",
        }
    }
}

/// What the user takes for a disagreement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Choice {
    /// The spans of version `k` (0 is A, "ours" in a git conflict; 1 is B, "theirs").
    Take(usize),
    /// Every version's spans, each once.
    Both,
    /// No span there.
    Neither,
}

impl Choice {
    /// The spans this choice puts into the gold document; `None` when the disagreement
    /// has no version `k`.
    pub fn spans(self, d: &Disagreement) -> Option<Vec<Span>> {
        let mut spans = match self {
            Choice::Take(k) => d.versions.get(k)?.1.clone(),
            Choice::Both => d
                .versions
                .iter()
                .flat_map(|(_, s)| s.iter().copied())
                .collect(),
            Choice::Neither => Vec::new(),
        };
        spans.sort_by_key(|s| (s.start(), s.end(), s.label()));
        spans.dedup();
        Some(spans)
    }

    /// The links this choice offers (added where both their ends are then spans: see
    /// [`crate::model::Project::resolve_edits`]); `None` when the disagreement has no
    /// version `k`.
    pub fn relations(self, d: &Disagreement) -> Option<Vec<Relation>> {
        let mut relations = match self {
            Choice::Take(k) if k < d.versions.len() => d.relations_of(k).to_vec(),
            Choice::Take(_) => return None,
            Choice::Both => d.all_relations().copied().collect(),
            Choice::Neither => Vec::new(),
        };
        relations.sort_unstable();
        relations.dedup();
        Some(relations)
    }

    /// How the undo history and the status line name it.
    pub fn describe(self, d: &Disagreement) -> String {
        match self {
            Choice::Take(k) => match d.versions.get(k) {
                Some((name, _)) => format!("take {name}"),
                None => format!("take annotator {}", k + 1),
            },
            Choice::Both => "take both".to_string(),
            Choice::Neither => "take neither".to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Document, Edit, LabelId, ModelError, Project, Workspace, default_labels};
    use proptest::prelude::*;

    fn d(versions: Vec<(&str, Vec<Span>)>) -> Disagreement {
        Disagreement::covering(
            versions
                .into_iter()
                .map(|(n, s)| (n.to_string(), s))
                .collect(),
        )
        .unwrap()
    }

    #[test]
    fn kinds_by_what_differs() {
        let label = d(vec![("a", vec![sp(0, 5, 0)]), ("b", vec![sp(0, 5, 1)])]);
        assert_eq!(Kind::of(&label), Kind::Label);
        let bounds = d(vec![("a", vec![sp(0, 5, 0)]), ("b", vec![sp(2, 5, 0)])]);
        assert_eq!(Kind::of(&bounds), Kind::Bounds);
        let one = d(vec![("a", vec![sp(0, 5, 0)]), ("b", vec![])]);
        assert_eq!(Kind::of(&one), Kind::OneSided);
    }

    #[test]
    fn choices_give_a_version_all_or_nothing() {
        let x = d(vec![
            ("a", vec![sp(0, 5, 0)]),
            ("b", vec![sp(0, 5, 1), sp(0, 5, 0)]),
        ]);
        assert_eq!(Choice::Take(0).spans(&x), Some(vec![sp(0, 5, 0)]));
        assert_eq!(Choice::Take(2).spans(&x), None);
        // Both: each span once.
        assert_eq!(Choice::Both.spans(&x), Some(vec![sp(0, 5, 0), sp(0, 5, 1)]));
        assert_eq!(Choice::Neither.spans(&x), Some(vec![]));
    }

    fn sp(s: usize, e: usize, l: u32) -> Span {
        Span::new(s, e, LabelId(l)).unwrap()
    }

    /// "Ashraf Ghani left Kabul.": alice says PERSON 0..12, bob says PLACE 0..6; both
    /// agree on PLACE 18..23, which is already a span.
    fn project() -> Project {
        let doc = Document::with_spans("d", "Ashraf Ghani left Kabul.", vec![sp(18, 23, 1)])
            .unwrap()
            .with_disagreements(vec![
                Disagreement::covering(vec![
                    ("alice".into(), vec![sp(0, 12, 0)]),
                    ("bob".into(), vec![sp(0, 6, 1)]),
                ])
                .unwrap(),
                Disagreement {
                    start: 13,
                    end: 17,
                    versions: vec![
                        ("alice".into(), vec![]),
                        ("bob".into(), vec![sp(13, 17, 3)]),
                    ],
                    relations: Vec::new(),
                },
            ])
            .unwrap();
        Project::new(default_labels(), vec![doc]).unwrap()
    }

    #[test]
    fn resolve_is_one_undo_step_and_skips_spans_already_there() {
        let mut w = Workspace::new(project());
        let before = w.project().clone();
        let d = &before.documents()[0];
        let doc = d.id();
        assert_eq!(d.disagreements().len(), 2);
        assert_eq!(
            (d.disagreements()[0].start, d.disagreements()[0].end),
            (0, 12)
        );
        // Take alice's, plus the agreed span again (already there: not added twice).
        w.apply(
            "take alice",
            vec![Edit::Resolve {
                doc,
                index: 0,
                spans: vec![sp(0, 12, 0), sp(18, 23, 1), sp(0, 12, 0)],
            }],
        )
        .unwrap();
        let d = &w.project().documents()[0];
        assert_eq!(d.spans().as_slice(), &[sp(0, 12, 0), sp(18, 23, 1)]);
        assert_eq!(d.disagreements().len(), 1);
        assert_eq!(d.disagreements()[0].start, 13);
        w.undo().unwrap();
        assert_eq!(w.project(), &before);
        w.redo().unwrap();
        assert_eq!(w.project().documents()[0].disagreements().len(), 1);
    }

    #[test]
    fn bad_resolves_change_nothing() {
        let mut w = Workspace::new(project());
        let before = w.project().clone();
        let doc = before.documents()[0].id();
        let resolve = |index, spans| Edit::Resolve { doc, index, spans };
        assert_eq!(
            w.apply("x", vec![resolve(2, vec![])]),
            Err(ModelError::NoSuchDisagreement(2))
        );
        assert!(matches!(
            w.apply("x", vec![resolve(0, vec![sp(0, 99, 0)])]),
            Err(ModelError::SpanOutOfBounds { .. })
        ));
        assert_eq!(
            w.apply("x", vec![resolve(0, vec![sp(0, 3, 42)])]),
            Err(ModelError::UnknownLabel(42))
        );
        assert_eq!(w.project(), &before);
        // A disagreement put back out of order is refused.
        let d = before.documents()[0].disagreements()[1].clone();
        assert_eq!(
            w.apply(
                "x",
                vec![Edit::Unresolve {
                    doc,
                    index: 0,
                    disagreement: d,
                    spans: vec![]
                }]
            ),
            Err(ModelError::DisagreementOutOfOrder(0))
        );
        assert_eq!(w.project(), &before);
    }

    #[test]
    fn documents_refuse_disagreements_outside_the_text() {
        let doc = || Document::new("d", "abc");
        let d = |start, end, spans| Disagreement {
            start,
            end,
            versions: vec![("a".into(), spans)],
            relations: Vec::new(),
        };
        assert!(matches!(
            doc().with_disagreements(vec![d(0, 4, vec![])]),
            Err(ModelError::SpanOutOfBounds { .. })
        ));
        assert!(matches!(
            doc().with_disagreements(vec![d(0, 2, vec![sp(1, 4, 0)])]),
            Err(ModelError::SpanOutOfBounds { .. })
        ));
        assert!(matches!(
            doc().with_disagreements(vec![d(2, 2, vec![])]),
            Err(ModelError::EmptyDisagreement { .. })
        ));
        let sorted = doc()
            .with_disagreements(vec![d(1, 3, vec![]), d(0, 2, vec![])])
            .unwrap();
        assert_eq!(sorted.disagreements()[0].start, 0);
        // A project refuses an undefined label in a version.
        let bad = doc()
            .with_disagreements(vec![d(0, 2, vec![sp(0, 2, 9)])])
            .unwrap();
        assert_eq!(
            Project::new(default_labels(), vec![bad]),
            Err(ModelError::UnknownLabel(9))
        );
    }

    #[test]
    fn label_delete_and_move_keep_versions_on_their_labels() {
        let mut w = Workspace::new(project());
        let before = w.project().clone();
        // PLACE moves first: its id, which bob's PLACE 0..6 names, stays.
        w.apply(
            "move",
            vec![Edit::MoveLabel {
                id: LabelId(1),
                to: 0,
            }],
        )
        .unwrap();
        assert_eq!(w.project().labels()[0].name, "PLACE");
        let d = &w.project().documents()[0].disagreements()[0];
        assert_eq!(d.version("bob"), Some(&[sp(0, 6, 1)][..]));
        assert_eq!(d.version("alice"), Some(&[sp(0, 12, 0)][..]));
        // A label a version still uses cannot simply be removed...
        assert_eq!(
            w.apply(
                "rm",
                vec![Edit::RemoveLabels {
                    ids: vec![LabelId(3)]
                }]
            ),
            Err(ModelError::LabelInUse)
        );
        // ...but deleting it drops it from versions too, in one undo step.
        let edits = w.project().delete_label_edits(LabelId(3));
        w.apply("delete ORG", edits).unwrap();
        let d = &w.project().documents()[0].disagreements()[1];
        assert_eq!(d.version("bob"), Some(&[][..]));
        w.undo().unwrap();
        w.undo().unwrap();
        assert_eq!(w.project(), &before);
    }

    /// Issue 17, bug 1: a document that holds only disagreements (a gold file) used to
    /// keep old label ids when labels were reordered; "take A" then added the wrong
    /// label, and a later label delete failed with `LabelInUse`.
    #[test]
    fn a_label_move_keeps_a_gold_documents_disagreements_right() {
        let doc = Document::new("gold", "Ashraf Ghani left Kabul.")
            .with_disagreements(vec![
                Disagreement::covering(vec![
                    ("alice".into(), vec![sp(0, 12, 0)]),
                    ("bob".into(), vec![sp(0, 6, 1)]),
                ])
                .unwrap(),
            ])
            .unwrap();
        let mut w = Workspace::new(Project::new(default_labels(), vec![doc]).unwrap());
        let id = w.project().documents()[0].id();
        // DATE to the top, then ORG to the bottom.
        let date = w.project().label_id("DATE").unwrap();
        let org = w.project().label_id("ORG").unwrap();
        w.apply("m", vec![Edit::MoveLabel { id: date, to: 0 }])
            .unwrap();
        w.apply("m", vec![Edit::MoveLabel { id: org, to: 4 }])
            .unwrap();
        let name = |w: &Workspace, s: &Span| w.project().label(s.label()).unwrap().name.clone();
        let alice = w.project().documents()[0].disagreements()[0]
            .version("alice")
            .unwrap()
            .to_vec();
        assert_eq!(name(&w, &alice[0]), "PERSON");
        w.apply(
            "take alice",
            vec![Edit::Resolve {
                doc: id,
                index: 0,
                spans: alice,
            }],
        )
        .unwrap();
        let span = w.project().documents()[0].spans().as_slice()[0];
        assert_eq!(name(&w, &span), "PERSON");
        // No disagreement holds QUOTE: it can go.
        let quote = w.project().label_id("QUOTE").unwrap();
        let edits = w.project().delete_label_edits(quote);
        w.apply("delete QUOTE", edits).unwrap();
        assert_eq!(w.project().label_id("QUOTE"), None);
    }

    /// A link disagreement over "“No,” Ghani said.": both have the quote and Ghani;
    /// alice links them, bob does not.
    fn link_project() -> (Project, crate::model::Relation) {
        let (q, g) = (sp(0, 5, 4), sp(6, 11, 0));
        let r = crate::model::Relation::new(q, g, crate::model::RelationTypeId(0)).unwrap();
        let d = Disagreement {
            start: 0,
            end: 5,
            versions: vec![("alice".into(), vec![]), ("bob".into(), vec![])],
            relations: Vec::new(),
        }
        .with_relations(vec![vec![r], vec![]]);
        let doc = Document::with_spans("d", "“No,” Ghani said.", vec![q, g])
            .unwrap()
            .with_disagreements(vec![d])
            .unwrap();
        (Project::new(default_labels(), vec![doc]).unwrap(), r)
    }

    #[test]
    fn links_in_versions_make_a_link_kind_and_are_chosen_like_spans() {
        let (p, r) = link_project();
        let d = &p.documents()[0].disagreements()[0];
        // Trailing empty lists are dropped, so equal disagreements compare equal.
        assert_eq!(d.relations, vec![vec![r]]);
        assert_eq!(Kind::of(d), Kind::Link);
        assert_eq!(Choice::Take(0).relations(d), Some(vec![r]));
        assert_eq!(Choice::Take(1).relations(d), Some(vec![]));
        assert_eq!(Choice::Take(2).relations(d), None);
        assert_eq!(Choice::Both.relations(d), Some(vec![r]));
        assert_eq!(Choice::Neither.relations(d), Some(vec![]));
        // Taking alice's adds the link, in the resolve's undo step.
        let mut w = Workspace::new(p.clone());
        let doc = p.documents()[0].id();
        let edits = w.project().resolve_edits(doc, 0, Choice::Take(0)).unwrap();
        w.apply("take alice", edits).unwrap();
        assert!(w.project().documents()[0].relations().contains(&r));
        assert!(w.project().documents()[0].disagreements().is_empty());
        w.undo().unwrap();
        assert_eq!(w.project(), &p);
        assert!(w.project().resolve_edits(doc, 1, Choice::Take(0)).is_none());
    }

    #[test]
    fn links_in_versions_are_checked_and_go_with_their_label_or_type() {
        let (p, r) = link_project();
        // A link for a version the disagreement lacks, or past the text, is refused.
        let d = &p.documents()[0].disagreements()[0];
        let extra = d.clone().with_relations(vec![vec![], vec![], vec![r]]);
        assert_eq!(
            Document::with_spans("d", "“No,” Ghani said.", vec![])
                .unwrap()
                .with_disagreements(vec![extra])
                .map(|_| ()),
            Err(ModelError::NoSuchVersion(2))
        );
        assert!(matches!(
            Document::new("d", "abc").with_disagreements(vec![d.clone()]),
            Err(ModelError::SpanOutOfBounds { .. })
        ));
        // A project refuses a link whose type it lacks.
        let doc = Document::clone(&p.documents()[0]);
        assert!(
            Project::with_types(default_labels(), vec![], vec![doc]).is_err(),
            "a version's link needs its type"
        );
        // A type in use by a version's link cannot simply go; deleting it drops the link
        // from the version, in one undo step.
        let mut w = Workspace::new(p.clone());
        let speaker = crate::model::RelationTypeId(0);
        assert_eq!(
            w.apply("rm", vec![Edit::RemoveRelationTypes { ids: vec![speaker] }]),
            Err(ModelError::RelationTypeInUse(1))
        );
        let edits = w.project().delete_relation_type_edits(speaker);
        w.apply("delete SPEAKER", edits).unwrap();
        assert!(
            w.project().documents()[0].disagreements()[0]
                .relations
                .is_empty()
        );
        w.undo().unwrap();
        assert_eq!(w.project(), &p);
        // Deleting PERSON (an end's label) drops the link too.
        let person = w.project().label_id("PERSON").unwrap();
        let edits = w.project().delete_label_edits(person);
        w.apply("delete PERSON", edits).unwrap();
        assert!(
            w.project().documents()[0].disagreements()[0]
                .relations
                .is_empty()
        );
        w.undo().unwrap();
        assert_eq!(w.project(), &p);
    }

    /// Every disagreement is non-empty, inside its text, sorted, and names defined labels.
    fn sound(p: &Project) -> Result<(), TestCaseError> {
        for d in p.documents() {
            let len = d.text().char_len();
            let list = d.disagreements();
            prop_assert!(list.windows(2).all(|w| w[0].key() <= w[1].key()));
            for dis in list {
                prop_assert!(dis.start < dis.end && dis.end <= len);
                for s in dis.spans() {
                    prop_assert!(s.end() <= len);
                    prop_assert!(p.label(s.label()).is_some());
                }
            }
        }
        Ok(())
    }

    #[derive(Clone, Debug)]
    enum Act {
        /// Resolve disagreement `k % len` of the document, taking version `v % n`.
        Resolve(usize, usize),
        /// Delete the label at place `l`.
        DeleteLabel(usize),
        /// Move the label at place `from` to place `to`.
        Move(usize, usize),
        /// Add a span with the label at a place.
        Add(usize, usize, usize),
    }

    proptest! {
        /// Random resolves, label moves and deletes: disagreements stay sound, and undo
        /// all / redo all give back the first and last project.
        #[test]
        fn resolves_and_label_edits_undo_exactly(
            raw in proptest::collection::vec((0usize..30, 1usize..8, 0u32..5, 0usize..3), 0..12),
            acts in proptest::collection::vec(prop_oneof![
                3 => (any::<usize>(), any::<usize>()).prop_map(|(k, v)| Act::Resolve(k, v)),
                1 => (0usize..5).prop_map(Act::DeleteLabel),
                1 => (0usize..5, 0usize..5).prop_map(|(f, t)| Act::Move(f, t)),
                1 => (0usize..30, 1usize..8, 0usize..5).prop_map(|(s, l, lab)| Act::Add(s, l, lab)),
            ], 0..12),
        ) {
            // Disagreements built from random spans, each version one of three people.
            let list: Vec<Disagreement> = raw
                .iter()
                .filter_map(|&(s, l, lab, who)| {
                    Disagreement::covering(vec![
                        (format!("p{who}"), vec![sp(s, s + l, lab)]),
                        ("other".into(), vec![]),
                    ])
                })
                .collect();
            let doc = Document::new("d", "x".repeat(40)).with_disagreements(list).unwrap();
            let mut w = Workspace::new(Project::new(default_labels(), vec![doc]).unwrap());
            let first = w.project().clone();
            for act in acts {
                let p = w.project().clone();
                let d = &p.documents()[0];
                let doc = d.id();
                let label = |i: usize| p.label_at(i);
                let edits = match act {
                    Act::Resolve(k, v) if !d.disagreements().is_empty() => {
                        let index = k % d.disagreements().len();
                        let versions = &d.disagreements()[index].versions;
                        vec![Edit::Resolve { doc, index, spans: versions[v % versions.len()].1.clone() }]
                    }
                    Act::Resolve(..) => vec![],
                    Act::DeleteLabel(l) => label(l).map(|id| p.delete_label_edits(id)).unwrap_or_default(),
                    Act::Move(f, to) => label(f).map(|id| vec![Edit::MoveLabel { id, to }]).unwrap_or_default(),
                    Act::Add(s, l, lab) => label(lab)
                        .map(|id| vec![Edit::AddSpan { doc, span: Span::new(s, s + l, id).unwrap() }])
                        .unwrap_or_default(),
                };
                if w.apply("x", edits).is_err() {
                    prop_assert_eq!(w.project(), &p);
                }
                sound(w.project())?;
            }
            let last = w.project().clone();
            while w.undo().map_err(|e| TestCaseError::fail(e.to_string()))?.is_some() {
                sound(w.project())?;
            }
            prop_assert_eq!(w.project(), &first);
            while w.redo().map_err(|e| TestCaseError::fail(e.to_string()))?.is_some() {}
            prop_assert_eq!(w.project(), &last);
        }
    }
}
