//! How the relation edits apply (links, and the relation type list), and restoring a
//! span with its note and relations. Each checks first: on an error nothing changed.

use std::collections::HashSet;

use super::ids::IdError;
use super::{DocId, Edit, ModelError, Project, Relation, RelationType, RelationTypeId, Span};

/// A refused change to the relation type list, as the model says it.
fn type_error(e: IdError) -> ModelError {
    match e {
        IdError::Unknown(id) | IdError::Taken(id) => ModelError::UnknownRelationType(id),
        IdError::Place(at) => ModelError::NoSuchPlace(at),
    }
}

impl Project {
    /// Applies the relation edits; returns the inverse.
    pub(crate) fn apply_relation_edit(&mut self, edit: Edit) -> Result<Edit, ModelError> {
        match edit {
            Edit::AddRelation { doc, relation } => {
                self.check_relation(&relation)?;
                self.doc_mut(doc)?.add_relation(relation)?;
                Ok(Edit::RemoveRelation { doc, relation })
            }
            Edit::RemoveRelation { doc, relation } => {
                self.doc_mut(doc)?.remove_relation(&relation)?;
                Ok(Edit::AddRelation { doc, relation })
            }
            Edit::RejectRelation { doc, relation } => {
                self.check_relation(&relation)?;
                self.doc_mut(doc)?.reject_relation(relation)?;
                Ok(Edit::UnrejectRelation { doc, relation })
            }
            Edit::UnrejectRelation { doc, relation } => {
                self.doc_mut(doc)?.unreject_relation(&relation)?;
                Ok(Edit::RejectRelation { doc, relation })
            }
            Edit::InsertRelationTypes { types } => self.insert_relation_types(types),
            Edit::RemoveRelationTypes { ids } => {
                let gone: HashSet<RelationTypeId> = ids.iter().copied().collect();
                // Rejected relations and disagreements' links count as uses: they would
                // lose their type.
                let used: usize = self
                    .documents
                    .iter()
                    .flat_map(|d| d.every_relation())
                    .filter(|r| gone.contains(&r.kind()))
                    .count();
                if used > 0 {
                    return Err(ModelError::RelationTypeInUse(used));
                }
                let raw: Vec<u32> = ids.iter().map(|t| t.0).collect();
                let removed = self.relation_types.remove(&raw).map_err(type_error)?;
                Ok(Edit::InsertRelationTypes {
                    types: removed
                        .into_iter()
                        .map(|(at, id, t)| (at, RelationTypeId(id), t))
                        .collect(),
                })
            }
            Edit::SetRelationType { id, kind } => {
                let kind = self.checked_type(kind, Some(id))?;
                // Every relation of the type must still fit.
                let misfits: usize = self
                    .documents
                    .iter()
                    .flat_map(|d| d.every_relation())
                    .filter(|r| r.kind() == id && !kind.allows(&r.from(), &r.to()))
                    .count();
                if misfits > 0 {
                    return Err(ModelError::RelationTypeInUse(misfits));
                }
                let old = self
                    .relation_types
                    .replace(id.0, kind)
                    .map_err(type_error)?;
                Ok(Edit::SetRelationType { id, kind: old })
            }
            Edit::MoveRelationType { id, to } => {
                let from = self.relation_types.move_to(id.0, to).map_err(type_error)?;
                Ok(Edit::MoveRelationType { id, to: from })
            }
            other => self.apply(other),
        }
    }

    /// `kind` with its name trimmed, if the name is free (but for type `itself`) and
    /// follows the name rule ([`super::relation::check_relation_type_name`]), and every
    /// label it allows exists.
    fn checked_type(
        &self,
        kind: RelationType,
        itself: Option<RelationTypeId>,
    ) -> Result<RelationType, ModelError> {
        let kind = RelationType {
            name: kind.name.trim().to_string(),
            ..kind
        };
        super::relation::check_relation_type_name(&kind.name)?;
        let taken = self
            .relation_type_entries()
            .any(|(id, t)| Some(id) != itself && t.name == kind.name);
        if taken {
            return Err(ModelError::DuplicateRelationType(kind.name));
        }
        if let Some(l) = kind
            .from
            .iter()
            .chain(&kind.to)
            .find(|l| self.label(**l).is_none())
        {
            return Err(ModelError::UnknownLabel(l.0));
        }
        Ok(kind)
    }

    fn insert_relation_types(
        &mut self,
        types: Vec<(usize, RelationTypeId, RelationType)>,
    ) -> Result<Edit, ModelError> {
        let mut checked = Vec::with_capacity(types.len());
        let mut names: HashSet<String> = HashSet::new();
        for (at, id, t) in types {
            let t = self.checked_type(t, None)?;
            if !names.insert(t.name.clone()) {
                return Err(ModelError::DuplicateRelationType(t.name));
            }
            checked.push((at, id.0, t));
        }
        let ids = self.relation_types.insert(checked).map_err(type_error)?;
        Ok(Edit::RemoveRelationTypes {
            ids: ids.into_iter().map(RelationTypeId).collect(),
        })
    }

    /// Adds a span back with its note and relations (the inverse of removing it).
    pub(super) fn restore_span(
        &mut self,
        doc: DocId,
        span: Span,
        note: Option<String>,
        relations: Vec<Relation>,
    ) -> Result<Edit, ModelError> {
        self.check_label(span.label())?;
        for r in &relations {
            self.check_relation(r)?;
        }
        let d = self.doc_mut(doc)?;
        // The other ends must be there before anything changes.
        let missing = relations
            .iter()
            .filter_map(|r| r.other_end(&span))
            .find(|end| !d.spans().contains(end));
        let distinct: HashSet<&Relation> = relations.iter().collect();
        if relations.iter().any(|r| !r.involves(&span)) || distinct.len() != relations.len() {
            return Err(ModelError::NoSuchRelation);
        }
        if let Some(end) = missing {
            return Err(ModelError::NoSuchSpan {
                start: end.start(),
                end: end.end(),
            });
        }
        d.add_span(span)?;
        // A new span has no note yet and its relations' ends are there: these hold.
        d.set_note(span, note)?;
        for r in relations {
            d.add_relation(r)?;
        }
        Ok(Edit::RemoveSpan { doc, span })
    }
}

#[cfg(test)]
mod tests {
    use crate::model::*;

    fn sp(s: usize, e: usize, l: u32) -> Span {
        Span::new(s, e, LabelId(l)).unwrap()
    }

    /// “Kabul is calm,” said Zabihullah Mujahid. QUOTE 0..15, PERSON 22..40, linked.
    fn linked() -> (Workspace, DocId, Relation) {
        let text = "“Kabul is calm,” said Zabihullah Mujahid.";
        let (quote, person) = (sp(0, 16, 4), sp(22, 40, 0));
        let speaker = RelationTypeId(0);
        let r = Relation::new(quote, person, speaker).unwrap();
        let doc = Document::with_spans("d", text, vec![quote, person])
            .unwrap()
            .with_relations([r])
            .unwrap();
        let w = Workspace::new(Project::new(default_labels(), vec![doc]).unwrap());
        let id = w.project().documents()[0].id();
        (w, id, r)
    }

    fn relations(w: &Workspace) -> Vec<Relation> {
        w.project().documents()[0]
            .relations()
            .iter()
            .copied()
            .collect()
    }

    #[test]
    fn deleting_a_span_deletes_its_relations_and_undo_brings_both_back() {
        let (mut w, doc, r) = linked();
        let before = w.project().clone();
        w.apply("delete", vec![Edit::RemoveSpan { doc, span: r.to() }])
            .unwrap();
        assert!(relations(&w).is_empty());
        w.undo().unwrap();
        assert_eq!(w.project(), &before);
        assert_eq!(relations(&w), [r]);
    }

    #[test]
    fn relabelling_moves_relations_or_says_which_go() {
        let (mut w, doc, r) = linked();
        // PERSON → ORG: SPEAKER allows ORG, the relation follows.
        let (edits, dropped) = w.project().relabel_edits(doc, r.to(), LabelId(2));
        assert!(dropped.is_empty());
        w.apply("relabel", edits).unwrap();
        assert_eq!(relations(&w), [r.with_end(&r.to(), sp(22, 40, 2))]);
        w.undo().unwrap();
        // PERSON → PLACE: SPEAKER does not allow PLACE; the relation is named and goes.
        let (edits, dropped) = w.project().relabel_edits(doc, r.to(), LabelId(1));
        assert_eq!(dropped, [r]);
        w.apply("relabel", edits).unwrap();
        assert!(relations(&w).is_empty());
        w.undo().unwrap();
        assert_eq!(relations(&w), [r]);
    }

    #[test]
    fn label_and_type_renames_and_moves_keep_relations() {
        let (mut w, _, r) = linked();
        let person = w.project().label(LabelId(0)).unwrap().clone();
        w.apply(
            "rename",
            vec![
                Edit::SetLabel {
                    id: LabelId(0),
                    label: Label {
                        name: "PER".into(),
                        ..person
                    },
                },
                Edit::MoveLabel {
                    id: LabelId(0),
                    to: 4,
                },
            ],
        )
        .unwrap();
        let speaker = w.project().relation_type(r.kind()).unwrap().clone();
        w.apply(
            "rename type",
            vec![Edit::SetRelationType {
                id: r.kind(),
                kind: RelationType {
                    name: "SAID_BY".into(),
                    ..speaker.clone()
                },
            }],
        )
        .unwrap();
        assert_eq!(relations(&w), [r]);
        assert_eq!(w.project().relation_type_id("SAID_BY"), Some(r.kind()));
        // A type change that would leave its relation unfit is refused, with the count.
        let refused = w.apply(
            "narrow",
            vec![Edit::SetRelationType {
                id: r.kind(),
                kind: RelationType {
                    to: vec![LabelId(2)],
                    ..speaker
                },
            }],
        );
        assert_eq!(refused, Err(ModelError::RelationTypeInUse(1)));
    }

    #[test]
    fn deleting_a_type_or_a_label_takes_their_relations_in_one_step() {
        let (mut w, _, r) = linked();
        let before = w.project().clone();
        assert_eq!(w.project().relation_type_use(r.kind()), 1);
        assert_eq!(
            w.apply(
                "rm",
                vec![Edit::RemoveRelationTypes {
                    ids: vec![r.kind()]
                }]
            ),
            Err(ModelError::RelationTypeInUse(1))
        );
        let edits = w.project().delete_relation_type_edits(r.kind());
        w.apply("delete type", edits).unwrap();
        assert!(relations(&w).is_empty());
        assert!(w.project().relation_types().is_empty());
        w.undo().unwrap();
        assert_eq!(w.project(), &before);
        // PERSON goes: its span, the relation, and SPEAKER's PERSON end.
        let edits = w.project().delete_label_edits(LabelId(0));
        w.apply("delete PERSON", edits).unwrap();
        assert!(relations(&w).is_empty());
        assert_eq!(w.project().relation_types()[0].to, [LabelId(2)]);
        w.undo().unwrap();
        assert_eq!(w.project(), &before);
    }

    #[test]
    fn rejected_relations_are_remembered_and_go_with_their_type() {
        let (mut w, doc, r) = linked();
        w.apply("unlink", vec![Edit::RemoveRelation { doc, relation: r }])
            .unwrap();
        w.apply("reject", vec![Edit::RejectRelation { doc, relation: r }])
            .unwrap();
        let rejected = |w: &Workspace| w.project().documents()[0].rejected_relations().len();
        assert_eq!(rejected(&w), 1);
        assert_eq!(
            w.apply("again", vec![Edit::RejectRelation { doc, relation: r }]),
            Err(ModelError::DuplicateRelation)
        );
        let before = w.project().clone();
        // A rejection uses its type: removing the type alone is refused; deleting it
        // takes the rejection too, and undo brings it back.
        assert_eq!(
            w.apply(
                "rm",
                vec![Edit::RemoveRelationTypes {
                    ids: vec![r.kind()]
                }]
            ),
            Err(ModelError::RelationTypeInUse(1))
        );
        let edits = w.project().delete_relation_type_edits(r.kind());
        w.apply("delete type", edits).unwrap();
        assert_eq!(rejected(&w), 0);
        w.undo().unwrap();
        assert_eq!(w.project(), &before);
        // So does deleting a label at one of its ends.
        let edits = w.project().delete_label_edits(LabelId(0));
        w.apply("delete PERSON", edits).unwrap();
        assert_eq!(rejected(&w), 0);
        w.undo().unwrap();
        assert_eq!(w.project(), &before);
    }

    #[test]
    fn links_are_checked() {
        let (mut w, doc, r) = linked();
        // The same link again, a link to a span the document lacks, a type that does not
        // allow the labels (PERSON → QUOTE), an unknown type.
        let add = |relation| Edit::AddRelation { doc, relation };
        assert_eq!(
            w.apply("x", vec![add(r)]),
            Err(ModelError::DuplicateRelation)
        );
        let stray = Relation::new(r.from(), sp(0, 5, 0), r.kind()).unwrap();
        assert!(matches!(
            w.apply("x", vec![add(stray)]),
            Err(ModelError::NoSuchSpan { .. })
        ));
        let back = Relation::new(r.to(), r.from(), r.kind()).unwrap();
        assert!(matches!(
            w.apply("x", vec![add(back)]),
            Err(ModelError::RelationDoesNotFit { .. })
        ));
        let unknown = r.with_kind(RelationTypeId(7));
        assert_eq!(
            w.apply("x", vec![add(unknown)]),
            Err(ModelError::UnknownRelationType(7))
        );
        // A project refuses a document whose relation its types do not allow.
        let doc = Document::with_spans("d", "ab cd", vec![sp(0, 2, 0), sp(3, 5, 4)])
            .unwrap()
            .with_relations([Relation::new(sp(0, 2, 0), sp(3, 5, 4), RelationTypeId(0)).unwrap()])
            .unwrap();
        assert!(Project::new(default_labels(), vec![doc]).is_err());
    }
}
