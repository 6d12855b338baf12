//! Composite edits: the lists of [`Edit`]s that make one user action (one undo step),
//! built from the project as it is.

use super::{
    Disagreement, DocId, Document, Edit, Label, LabelId, ModelError, Project, Relation,
    RelationType, RelationTypeId, Span,
};

impl Project {
    /// The edit that appends documents at the end of the list.
    pub fn append_documents_edit(&self, docs: Vec<Document>) -> Edit {
        let at = self.documents.len();
        Edit::InsertDocuments {
            docs: (at..).zip(docs).collect(),
        }
    }

    /// The edits that delete label `id` and every span and rejection that carries it, as
    /// one undoable action: the spans, rejections and disagreement spans go, then the
    /// label.
    pub fn delete_label_edits(&self, id: LabelId) -> Vec<Edit> {
        let mut edits: Vec<Edit> = self
            .documents
            .iter()
            .filter(|d| d.spans().iter().any(|s| s.label() == id))
            .map(|d| Edit::SetSpans {
                doc: d.id(),
                spans: d
                    .spans()
                    .iter()
                    .filter(|s| s.label() != id)
                    .copied()
                    .collect(),
                // The other spans keep their notes and relations; undo brings back the
                // dropped ones.
                notes: None,
                relations: None,
            })
            .collect();
        // Rejections of the label go too (undo brings them back).
        for d in &self.documents {
            edits.extend(
                d.rejected()
                    .iter()
                    .filter(|s| s.label() == id)
                    .map(|&span| Edit::Unreject { doc: d.id(), span }),
            );
        }
        // Disagreement versions lose the label's spans too (team merge).
        edits.extend(self.drop_label_from_disagreements(id));
        // Rejected relations with an end of the label go (undo brings them back).
        for d in &self.documents {
            let ends = |r: &&crate::model::Relation| r.from().label() == id || r.to().label() == id;
            edits.extend(d.rejected_relations().iter().filter(ends).map(|&relation| {
                Edit::UnrejectRelation {
                    doc: d.id(),
                    relation,
                }
            }));
        }
        // Relation types stop allowing it (their relations on its spans went above).
        for (tid, t) in self.relation_type_entries() {
            if t.from.contains(&id) || t.to.contains(&id) {
                let mut kind = t.clone();
                kind.from.retain(|l| *l != id);
                kind.to.retain(|l| *l != id);
                edits.push(Edit::SetRelationType { id: tid, kind });
            }
        }
        edits.push(Edit::RemoveLabels { ids: vec![id] });
        edits
    }

    /// The edits that delete relation type `id` and every relation of it, as one
    /// undoable action.
    pub fn delete_relation_type_edits(&self, id: RelationTypeId) -> Vec<Edit> {
        let mut edits: Vec<Edit> = self
            .documents
            .iter()
            .filter(|d| d.relations().iter().any(|r| r.kind() == id))
            .map(|d| Edit::SetSpans {
                doc: d.id(),
                spans: d.spans().as_slice().to_vec(),
                notes: None,
                relations: Some(
                    d.relations()
                        .iter()
                        .filter(|r| r.kind() != id)
                        .copied()
                        .collect(),
                ),
            })
            .collect();
        for d in &self.documents {
            edits.extend(
                d.rejected_relations()
                    .iter()
                    .filter(|r| r.kind() == id)
                    .map(|&relation| Edit::UnrejectRelation {
                        doc: d.id(),
                        relation,
                    }),
            );
        }
        edits.push(Edit::RemoveRelationTypes { ids: vec![id] });
        edits
    }

    /// The edit that appends relation types (names must be new), and the ids they get.
    pub fn add_relation_types_edit(&self, types: Vec<RelationType>) -> (Edit, Vec<RelationTypeId>) {
        let ids = self.fresh_relation_type_ids(types.len());
        let at = self.relation_types().len();
        let types = types
            .into_iter()
            .zip(&ids)
            .enumerate()
            .map(|(k, (t, id))| (at + k, *id, t))
            .collect();
        (Edit::InsertRelationTypes { types }, ids)
    }

    /// The edit that adds the labels of `incoming` whose names are new here; a newcomer
    /// whose key or colour a label here already has gets a free key and a distinct colour.
    /// `None` if every name is known.
    pub fn import_labels_edit(&self, incoming: &[Label]) -> Option<Edit> {
        let mut all = self.labels().to_vec();
        let known = all.len();
        for label in incoming {
            if all.iter().any(|l| l.name == label.name) {
                continue;
            }
            let fresh = super::label::new_label_named(&all, label.name.clone());
            let key_taken = |k: char| {
                all.iter().any(|l| l.hotkey == Some(k)) || super::label::check_hotkey(k).is_err()
            };
            let hotkey = match label.hotkey {
                Some(k) if !key_taken(k) => Some(k),
                _ => fresh.hotkey,
            };
            let color = if all.iter().any(|l| l.color == label.color) {
                fresh.color
            } else {
                label.color
            };
            all.push(Label {
                name: label.name.clone(),
                color,
                hotkey,
            });
        }
        let added = all.split_off(known);
        (!added.is_empty()).then(|| self.add_labels_edit(added).0)
    }

    /// The edit that appends `labels` (names must be new), and the ids they get.
    pub fn add_labels_edit(&self, labels: Vec<Label>) -> (Edit, Vec<LabelId>) {
        let ids = self.fresh_label_ids(labels.len());
        let at = self.labels.len();
        let labels = labels
            .into_iter()
            .zip(&ids)
            .enumerate()
            .map(|(k, (label, id))| (at + k, *id, label))
            .collect();
        (Edit::InsertLabels { labels }, ids)
    }

    /// The edits that bring documents from elsewhere into this project as one undoable
    /// action: `labels` are the labels their spans refer to (`LabelId(i)` is
    /// `labels[i]`), matched here by name; names this project lacks are added (with a
    /// free key and a distinct colour where theirs are taken), and documents whose name
    /// is taken are renamed ("d (2)"). The documents go at the end.
    pub fn adopt_edits(
        &self,
        labels: &[Label],
        documents: Vec<Document>,
    ) -> Result<Vec<Edit>, ModelError> {
        let mut edits = Vec::new();
        let mut map: Vec<LabelId> = Vec::with_capacity(labels.len());
        let new: Vec<Label> = labels
            .iter()
            .filter(|l| self.label_id(&l.name).is_none())
            .cloned()
            .collect();
        let mut fresh = Vec::new();
        if let Some(Edit::InsertLabels { labels: added }) = self.import_labels_edit(&new) {
            fresh = added
                .iter()
                .map(|(_, id, l)| (l.name.clone(), *id))
                .collect();
            edits.push(Edit::InsertLabels { labels: added });
        }
        for label in labels {
            let id = self
                .label_id(&label.name)
                .or_else(|| {
                    fresh
                        .iter()
                        .find(|(n, _)| *n == label.name)
                        .map(|(_, id)| *id)
                })
                .ok_or_else(|| ModelError::DuplicateLabel(label.name.clone()))?;
            map.push(id);
        }
        let relabel = |l: LabelId| map.get(l.0 as usize).copied().unwrap_or(LabelId(u32::MAX));
        let docs: Vec<Document> = documents
            .into_iter()
            .map(|d| d.relabelled(&relabel))
            .collect::<Result<_, _>>()?;
        let docs = self.with_unique_names(docs);
        if !docs.is_empty() {
            edits.push(self.append_documents_edit(docs));
        }
        Ok(edits)
    }

    /// The edits that give span `old` of document `doc` the label `label`, keeping its
    /// note on the relabelled span, as one undoable action.
    ///
    /// Its relations move to the relabelled span where their type allows the new label;
    /// the others are returned, as they go (the window asks first).
    pub fn relabel_edits(
        &self,
        doc: DocId,
        old: Span,
        label: LabelId,
    ) -> (Vec<Edit>, Vec<Relation>) {
        let new = old.with_label(label);
        let mut edits = vec![
            Edit::RemoveSpan { doc, span: old },
            Edit::AddSpan { doc, span: new },
        ];
        let Some(d) = self.document(doc) else {
            return (edits, Vec::new());
        };
        if let Some(note) = d.note(&old) {
            edits.push(Edit::SetNote {
                doc,
                span: new,
                note: Some(note.to_string()),
            });
        }
        let mut dropped = Vec::new();
        for r in d.relations().of(&old) {
            let moved = r.with_end(&old, new);
            let fits = self.check_relation(&moved).is_ok() && moved.from() != moved.to();
            // A relation that the move would make twice (it is there already) goes.
            if fits && !d.relations().contains(&moved) {
                edits.push(Edit::AddRelation {
                    doc,
                    relation: moved,
                });
            } else {
                dropped.push(*r);
            }
        }
        (edits, dropped)
    }

    /// The edits that drop label `id`'s spans from every disagreement version (a label
    /// delete, with [`Project::delete_label_edits`]); versions left without spans stay,
    /// as "said nothing here".
    pub(crate) fn drop_label_from_disagreements(&self, id: LabelId) -> Vec<Edit> {
        self.documents()
            .iter()
            .filter(|d| {
                d.disagreements()
                    .iter()
                    .flat_map(Disagreement::spans)
                    .any(|s| s.label() == id)
            })
            .map(|d| Edit::SetDisagreements {
                doc: d.id(),
                disagreements: d
                    .disagreements()
                    .iter()
                    .map(|dis| Disagreement {
                        versions: dis
                            .versions
                            .iter()
                            .map(|(name, spans)| {
                                let kept = spans.iter().filter(|s| s.label() != id).copied();
                                (name.clone(), kept.collect())
                            })
                            .collect(),
                        ..dis.clone()
                    })
                    .collect(),
            })
            .collect()
    }
}
