//! The primitive changes to a project ([`Edit`]) and how each applies: checked first,
//! nothing changed on an error, and the inverse returned (the undo history keeps it).

use std::collections::HashSet;
use std::sync::Arc;

use super::ids::IdError;
use super::suggest::SuggestSettings;
use super::{
    Disagreement, DocId, Document, Label, LabelId, ModelError, Project, Relation, RelationType,
    RelationTypeId, Span, Stamp, Status,
};

/// A refused change to the label list, as the model says it.
fn label_error(e: IdError) -> ModelError {
    match e {
        IdError::Unknown(id) | IdError::Taken(id) => ModelError::UnknownLabel(id),
        IdError::Place(at) => ModelError::NoSuchPlace(at),
    }
}

impl Project {
    /// Applies one edit and returns its inverse. On error nothing changed.
    pub(crate) fn apply(&mut self, edit: Edit) -> Result<Edit, ModelError> {
        let inverse = self.apply_inner(edit)?;
        self.stamp = Stamp::fresh();
        Ok(inverse)
    }

    fn apply_inner(&mut self, edit: Edit) -> Result<Edit, ModelError> {
        match edit {
            Edit::SetSuggestSettings(settings) => Ok(Edit::SetSuggestSettings(std::mem::replace(
                &mut self.suggest,
                settings,
            ))),
            Edit::Reject { doc, span } => {
                self.check_label(span.label())?;
                self.doc_mut(doc)?.reject(span)?;
                Ok(Edit::Unreject { doc, span })
            }
            Edit::Unreject { doc, span } => {
                self.doc_mut(doc)?.unreject(&span)?;
                Ok(Edit::Reject { doc, span })
            }
            Edit::AddSpan { doc, span } => {
                self.check_label(span.label())?;
                self.doc_mut(doc)?.add_span(span)?;
                Ok(Edit::RemoveSpan { doc, span })
            }
            Edit::RemoveSpan { doc, span } => {
                // The note and the relations go with the span, and come back with it on
                // undo.
                Ok(match self.doc_mut(doc)?.remove_span(&span)? {
                    (None, relations) if relations.is_empty() => Edit::AddSpan { doc, span },
                    (note, relations) => Edit::RestoreSpan {
                        doc,
                        span,
                        note,
                        relations,
                    },
                })
            }
            Edit::RestoreSpan {
                doc,
                span,
                note,
                relations,
            } => self.restore_span(doc, span, note, relations),
            Edit::SetNote { doc, span, note } => {
                let old = self.doc_mut(doc)?.set_note(span, note)?;
                Ok(Edit::SetNote {
                    doc,
                    span,
                    note: old,
                })
            }
            Edit::SetStatus { doc, status } => {
                let d = self.doc_mut(doc)?;
                let old = std::mem::replace(&mut d.status, status);
                Ok(Edit::SetStatus { doc, status: old })
            }
            Edit::InsertDocuments { docs } => self.insert_documents(docs),
            Edit::RemoveDocuments { ids } => self.remove_documents(&ids),
            Edit::InsertLabels { labels } => self.insert_labels(labels),
            Edit::RemoveLabels { ids } => self.remove_labels(&ids),
            Edit::SetLabel { id, label } => {
                let i = self
                    .label_position(id)
                    .ok_or(ModelError::UnknownLabel(id.0))?;
                let label = Label {
                    name: label.name.trim().to_string(),
                    ..label
                };
                super::label::check_label_name(&label.name)?;
                if let Some(key) = label.hotkey {
                    super::label::check_hotkey(key)?;
                }
                let others = self.labels().iter().enumerate().filter(|(j, _)| *j != i);
                for (_, other) in others {
                    if other.name == label.name {
                        return Err(ModelError::DuplicateLabel(label.name));
                    }
                    if let Some(key) = label.hotkey
                        && other.hotkey == Some(key)
                    {
                        return Err(ModelError::HotkeyTaken {
                            key,
                            label: other.name.clone(),
                        });
                    }
                }
                let old = self.labels.replace(id.0, label).map_err(label_error)?;
                Ok(Edit::SetLabel { id, label: old })
            }
            Edit::MoveLabel { id, to } => {
                // Spans name labels by id: only the order changes.
                let from = self.labels.move_to(id.0, to).map_err(label_error)?;
                Ok(Edit::MoveLabel { id, to: from })
            }
            Edit::SetSpans {
                doc,
                spans,
                notes,
                relations,
            } => {
                if let Some(s) = spans.iter().find(|s| self.label(s.label()).is_none()) {
                    return Err(ModelError::UnknownLabel(s.label().0));
                }
                for r in relations.iter().flatten() {
                    self.check_relation(r)?;
                }
                let (old, old_notes, old_relations) =
                    self.doc_mut(doc)?.replace_spans(spans, notes, relations)?;
                Ok(Edit::SetSpans {
                    doc,
                    spans: old,
                    notes: Some(old_notes),
                    relations: Some(old_relations),
                })
            }
            // --- relations: model/relation_edits.rs ---
            edit @ (Edit::AddRelation { .. }
            | Edit::RemoveRelation { .. }
            | Edit::RejectRelation { .. }
            | Edit::UnrejectRelation { .. }
            | Edit::InsertRelationTypes { .. }
            | Edit::RemoveRelationTypes { .. }
            | Edit::SetRelationType { .. }
            | Edit::MoveRelationType { .. }) => self.apply_relation_edit(edit),
            // --- disagreements (team merge): model/disagreement.rs ---
            edit @ (Edit::Resolve { .. }
            | Edit::Unresolve { .. }
            | Edit::SetDisagreements { .. }) => self.apply_disagreement_edit(edit),
        }
    }

    pub(super) fn check_label(&self, id: LabelId) -> Result<(), ModelError> {
        match self.label(id) {
            Some(_) => Ok(()),
            None => Err(ModelError::UnknownLabel(id.0)),
        }
    }

    /// Inserts documents, each at its place in the result (places ascending); refuses a
    /// name or an id the project has. Returns the inverse.
    fn insert_documents(&mut self, docs: Vec<(usize, Document)>) -> Result<Edit, ModelError> {
        let mut names: HashSet<&str> = self.documents.iter().map(|d| d.name.as_str()).collect();
        let mut last = None;
        let mut total = self.documents.len();
        for (at, doc) in &docs {
            if !names.insert(doc.name.as_str()) {
                return Err(ModelError::DuplicateDocument(doc.name.clone()));
            }
            if self.position(doc.id()).is_some() {
                return Err(ModelError::DuplicateDocument(doc.name.clone()));
            }
            total += 1;
            if *at >= total || last.is_some_and(|l| *at <= l) {
                return Err(ModelError::NoSuchPlace(*at));
            }
            last = Some(*at);
        }
        let ids = docs.iter().map(|(_, d)| d.id()).collect();
        for (at, doc) in docs {
            Arc::make_mut(&mut self.documents).insert(at, Arc::new(doc));
        }
        self.reindex_documents();
        Ok(Edit::RemoveDocuments { ids })
    }

    /// Removes documents by id; returns the inverse (each at the place it had).
    fn remove_documents(&mut self, ids: &[DocId]) -> Result<Edit, ModelError> {
        let mut places = Vec::with_capacity(ids.len());
        for id in ids {
            let at = self.position(*id).ok_or(ModelError::NoSuchDocument)?;
            if places.contains(&at) {
                return Err(ModelError::NoSuchDocument);
            }
            places.push(at);
        }
        places.sort_unstable();
        // From the back, so the places ahead stay valid.
        let documents = Arc::make_mut(&mut self.documents);
        let mut removed: Vec<(usize, Document)> = places
            .iter()
            .rev()
            .map(|&at| (at, Arc::unwrap_or_clone(documents.remove(at))))
            .collect();
        removed.reverse();
        self.reindex_documents();
        Ok(Edit::InsertDocuments { docs: removed })
    }

    /// Inserts labels with their ids, each at its place in the result (places
    /// ascending); checks names and that no key is a command key (whether a key is taken
    /// is left to the label editor). Returns the inverse.
    fn insert_labels(&mut self, labels: Vec<(usize, LabelId, Label)>) -> Result<Edit, ModelError> {
        if self.labels.len() + labels.len() > usize::from(u16::MAX) {
            return Err(ModelError::TooManyLabels);
        }
        for (_, _, label) in &labels {
            super::label::check_label_name(&label.name)?;
            if let Some(key) = label.hotkey {
                super::label::check_hotkey(key)?;
            }
        }
        let mut names: HashSet<&str> = self.labels().iter().map(|l| l.name.as_str()).collect();
        if let Some((_, _, l)) = labels
            .iter()
            .find(|(_, _, l)| !names.insert(l.name.as_str()))
        {
            return Err(ModelError::DuplicateLabel(l.name.clone()));
        }
        let raw = labels
            .into_iter()
            .map(|(at, id, l)| (at, id.0, l))
            .collect();
        let ids = self.labels.insert(raw).map_err(label_error)?;
        Ok(Edit::RemoveLabels {
            ids: ids.into_iter().map(LabelId).collect(),
        })
    }

    /// Removes labels by id; refuses one a span, a rejection or a disagreement uses.
    /// Returns the inverse (each at the place it had, with its id).
    fn remove_labels(&mut self, ids: &[LabelId]) -> Result<Edit, ModelError> {
        if let Some(id) = ids.iter().find(|id| self.label(**id).is_none()) {
            return Err(ModelError::UnknownLabel(id.0));
        }
        let gone: HashSet<LabelId> = ids.iter().copied().collect();
        // Rejections count as uses: removing their label would leave them dangling.
        let in_use = self.documents.iter().any(|d| {
            d.spans()
                .iter()
                .chain(d.rejected())
                .chain(d.disagreements().iter().flat_map(|x| x.spans()))
                .any(|s| gone.contains(&s.label()))
        });
        // Relation types that allow the label count too.
        let typed = self
            .relation_types()
            .iter()
            .any(|t| t.from.iter().chain(&t.to).any(|l| gone.contains(l)));
        if in_use || typed {
            return Err(ModelError::LabelInUse);
        }
        let raw: Vec<u32> = ids.iter().map(|l| l.0).collect();
        let removed = self.labels.remove(&raw).map_err(label_error)?;
        Ok(Edit::InsertLabels {
            labels: removed
                .into_iter()
                .map(|(at, id, l)| (at, LabelId(id), l))
                .collect(),
        })
    }

    pub(super) fn doc_mut(&mut self, id: DocId) -> Result<&mut Document, ModelError> {
        let at = self.position(id).ok_or(ModelError::NoSuchDocument)?;
        // Copies the document only when a snapshot still shares it.
        Ok(Arc::make_mut(&mut Arc::make_mut(&mut self.documents)[at]))
    }

    fn check_labels<'a>(
        &self,
        spans: impl IntoIterator<Item = &'a Span>,
    ) -> Result<(), ModelError> {
        match spans.into_iter().find(|s| self.label(s.label()).is_none()) {
            Some(s) => Err(ModelError::UnknownLabel(s.label().0)),
            None => Ok(()),
        }
    }

    /// Applies [`Edit::Resolve`], [`Edit::Unresolve`] and [`Edit::SetDisagreements`];
    /// returns the inverse. On error nothing changed.
    pub(crate) fn apply_disagreement_edit(&mut self, edit: Edit) -> Result<Edit, ModelError> {
        match edit {
            Edit::Resolve { doc, index, spans } => {
                self.check_labels(&spans)?;
                let d = self.doc_mut(doc)?;
                if index >= d.disagreements.len() {
                    return Err(ModelError::NoSuchDisagreement(index));
                }
                let len = d.text().char_len();
                if let Some(s) = spans.iter().find(|s| s.end() > len) {
                    return Err(ModelError::SpanOutOfBounds {
                        start: s.start(),
                        end: s.end(),
                        len,
                    });
                }
                // Spans the document already has (an agreed one, or one chosen twice)
                // are not added again; the inverse removes only what was added.
                let mut added = Vec::with_capacity(spans.len());
                for span in spans {
                    if !d.spans().contains(&span) {
                        d.add_span(span)?;
                        added.push(span);
                    }
                }
                let disagreement = d.disagreements.remove(index);
                Ok(Edit::Unresolve {
                    doc,
                    index,
                    disagreement,
                    spans: added,
                })
            }
            Edit::Unresolve {
                doc,
                index,
                disagreement,
                spans,
            } => {
                self.check_labels(disagreement.spans())?;
                for r in disagreement.all_relations() {
                    self.check_relation(r)?;
                }
                let d = self.doc_mut(doc)?;
                if let Some(s) = spans.iter().find(|s| !d.spans().contains(s)) {
                    return Err(ModelError::NoSuchSpan {
                        start: s.start(),
                        end: s.end(),
                    });
                }
                d.insert_disagreement(index, disagreement)?;
                for span in &spans {
                    // Checked present above; a note or relation made on a resolved span
                    // was undone before (it came later).
                    let _ = d.remove_span(span);
                }
                Ok(Edit::Resolve { doc, index, spans })
            }
            Edit::SetDisagreements { doc, disagreements } => {
                self.check_labels(disagreements.iter().flat_map(Disagreement::spans))?;
                for r in disagreements.iter().flat_map(Disagreement::all_relations) {
                    self.check_relation(r)?;
                }
                let old = self.doc_mut(doc)?.replace_disagreements(disagreements)?;
                Ok(Edit::SetDisagreements {
                    doc,
                    disagreements: old,
                })
            }
            other => self.apply(other),
        }
    }
}

impl Edit {
    /// The document this edit changes, if it changes one.
    pub fn document(&self) -> Option<DocId> {
        match self {
            Edit::AddSpan { doc, .. }
            | Edit::RemoveSpan { doc, .. }
            | Edit::RestoreSpan { doc, .. }
            | Edit::AddRelation { doc, .. }
            | Edit::RemoveRelation { doc, .. }
            | Edit::RejectRelation { doc, .. }
            | Edit::UnrejectRelation { doc, .. }
            | Edit::SetNote { doc, .. }
            | Edit::SetStatus { doc, .. }
            | Edit::SetSpans { doc, .. }
            | Edit::Reject { doc, .. }
            | Edit::Unreject { doc, .. }
            | Edit::Resolve { doc, .. }
            | Edit::Unresolve { doc, .. }
            | Edit::SetDisagreements { doc, .. } => Some(*doc),
            Edit::InsertDocuments { docs } => docs.last().map(|(_, d)| d.id()),
            Edit::RemoveDocuments { .. }
            | Edit::InsertLabels { .. }
            | Edit::RemoveLabels { .. }
            | Edit::SetLabel { .. }
            | Edit::MoveLabel { .. }
            | Edit::InsertRelationTypes { .. }
            | Edit::RemoveRelationTypes { .. }
            | Edit::SetRelationType { .. }
            | Edit::MoveRelationType { .. }
            | Edit::SetSuggestSettings(_) => None,
        }
    }
}

/// One primitive change to a project. Applying an edit yields its inverse, which is what
/// the undo history stores.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Edit {
    /// Add a span to document `doc`.
    AddSpan {
        /// The document.
        doc: DocId,
        /// The span.
        span: Span,
    },
    /// Remove a span from document `doc`, and its note (the inverse restores both).
    RemoveSpan {
        /// The document.
        doc: DocId,
        /// The span.
        span: Span,
    },
    /// Add a span with its note and relations to document `doc`: the inverse of removing
    /// a span that had them.
    RestoreSpan {
        /// The document.
        doc: DocId,
        /// The span.
        span: Span,
        /// Its note.
        note: Option<String>,
        /// Its relations (each with the span at one end).
        relations: Vec<Relation>,
    },
    /// Set, change or (with `None` or a blank note) remove the note on a span of
    /// document `doc`; the span must be there.
    SetNote {
        /// The document.
        doc: DocId,
        /// The span.
        span: Span,
        /// The note; `None` or blank removes it.
        note: Option<String>,
    },
    /// Set a document's status.
    SetStatus {
        /// The document.
        doc: DocId,
        /// The new status.
        status: Status,
    },
    /// Insert documents, each at its place in the result (places ascending). Names and
    /// ids must be new to the project.
    InsertDocuments {
        /// (place, document).
        docs: Vec<(usize, Document)>,
    },
    /// Remove documents.
    RemoveDocuments {
        /// Which.
        ids: Vec<DocId>,
    },
    /// Insert labels with their ids, each at its place in the result (places ascending).
    /// Names and ids must be new to the project; a new label takes an id from
    /// [`Project::fresh_label_ids`] (see [`Project::add_labels_edit`]), an undone delete
    /// the id it had.
    InsertLabels {
        /// (place, id, label).
        labels: Vec<(usize, LabelId, Label)>,
    },
    /// Remove labels (no span, rejection or disagreement may use them).
    RemoveLabels {
        /// Which.
        ids: Vec<LabelId>,
    },
    /// Replace a label's name, colour and hotkey (spans keep pointing at it).
    SetLabel {
        /// Which label.
        id: LabelId,
        /// What it becomes; the name must stay unique and non-empty, the hotkey unused.
        label: Label,
    },
    /// Move label `id` to place `to` in the display order; spans are untouched (they
    /// name labels by id).
    MoveLabel {
        /// Which label.
        id: LabelId,
        /// Its new place.
        to: usize,
    },
    /// Replace all of document `doc`'s spans at once (bulk changes such as deleting
    /// every span of a label, in one edit instead of one per span).
    SetSpans {
        /// The document.
        doc: DocId,
        /// The new spans.
        spans: Vec<Span>,
        /// `None`: spans that stay keep their notes, the notes of the others go.
        /// `Some`: exactly these notes (each on one of `spans`); inverses use this to
        /// bring dropped notes back.
        notes: Option<Vec<(Span, String)>>,
        /// The same for relations: `None` keeps those whose ends both stay.
        relations: Option<Vec<Relation>>,
    },
    /// Link two spans of document `doc`.
    AddRelation {
        /// The document.
        doc: DocId,
        /// The relation (its type must allow its ends' labels).
        relation: Relation,
    },
    /// Remove a link.
    RemoveRelation {
        /// The document.
        doc: DocId,
        /// The relation.
        relation: Relation,
    },
    /// Remember a suggested relation of document `doc` as rejected.
    RejectRelation {
        /// The document.
        doc: DocId,
        /// The rejected relation (its type must allow its ends' labels).
        relation: Relation,
    },
    /// Forget a rejected relation (the inverse of [`Edit::RejectRelation`]).
    UnrejectRelation {
        /// The document.
        doc: DocId,
        /// The relation.
        relation: Relation,
    },
    /// Insert relation types with their ids, each at its place in the result (places
    /// ascending); names and ids must be new.
    InsertRelationTypes {
        /// (place, id, type).
        types: Vec<(usize, RelationTypeId, RelationType)>,
    },
    /// Remove relation types (no relation may use them).
    RemoveRelationTypes {
        /// Which.
        ids: Vec<RelationTypeId>,
    },
    /// Replace a relation type's name, colour, key and allowed labels; every relation
    /// of the type must still fit.
    SetRelationType {
        /// Which type.
        id: RelationTypeId,
        /// What it becomes.
        kind: RelationType,
    },
    /// Move relation type `id` to place `to` in the display order.
    MoveRelationType {
        /// Which type.
        id: RelationTypeId,
        /// Its new place.
        to: usize,
    },
    /// Replace the suggestion settings (sources, options); the inverse holds the old ones.
    SetSuggestSettings(SuggestSettings),
    /// Remember a suggestion (range + label) of document `doc` as rejected.
    Reject {
        /// The document.
        doc: DocId,
        /// The rejected suggestion.
        span: Span,
    },
    /// Forget a rejection (the inverse of [`Edit::Reject`]).
    Unreject {
        /// The document.
        doc: DocId,
        /// The rejection to forget.
        span: Span,
    },
    // --- disagreements (team merge): applied in model/disagreement.rs ---
    /// Adjudicate disagreement `index` of document `doc`: it goes, and `spans` (the
    /// chosen ones) are added, except those the document already has.
    Resolve {
        /// The document.
        doc: DocId,
        /// Which disagreement, in [`super::Document::disagreements`].
        index: usize,
        /// The spans chosen.
        spans: Vec<Span>,
    },
    /// The inverse of [`Edit::Resolve`]: `spans` go (they must be there) and the
    /// disagreement comes back at `index`.
    Unresolve {
        /// The document.
        doc: DocId,
        /// Where the disagreement goes back (its place in the sorted list).
        index: usize,
        /// The disagreement.
        disagreement: super::Disagreement,
        /// The spans the resolve added.
        spans: Vec<Span>,
    },
    /// Replace all of document `doc`'s disagreements (a label delete drops its spans
    /// from them).
    SetDisagreements {
        /// The document.
        doc: DocId,
        /// The new list (sorted by start when applied).
        disagreements: Vec<super::Disagreement>,
    },
}
