//! The primitive changes to a project ([`Edit`]) and how each applies: checked first,
//! nothing changed on an error, and the inverse returned (the undo history keeps it).

use std::collections::HashSet;

use super::project::NONE;
use super::suggest::SuggestSettings;
use super::{
    Disagreement, DocId, Document, Label, LabelId, ModelError, Project, Span, Stamp, Status,
};

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
                // The note goes with the span, and comes back with it on undo.
                Ok(match self.doc_mut(doc)?.remove_span(&span)? {
                    Some(note) => Edit::AddSpanWithNote { doc, span, note },
                    None => Edit::AddSpan { doc, span },
                })
            }
            Edit::AddSpanWithNote { doc, span, note } => {
                self.check_label(span.label())?;
                let d = self.doc_mut(doc)?;
                d.add_span(span)?;
                // A new span has no note yet, so this cannot fail.
                d.set_note(span, Some(note))?;
                Ok(Edit::RemoveSpan { doc, span })
            }
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
                let others = self.labels.iter().enumerate().filter(|(j, _)| *j != i);
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
                let old = std::mem::replace(&mut self.labels[i], label);
                Ok(Edit::SetLabel { id, label: old })
            }
            Edit::MoveLabel { id, to } => {
                let from = self
                    .label_position(id)
                    .ok_or(ModelError::UnknownLabel(id.0))?;
                if to >= self.labels.len() {
                    return Err(ModelError::NoSuchPlace(to));
                }
                // Spans name labels by id: only the order changes.
                let label = self.labels.remove(from);
                self.labels.insert(to, label);
                let id = self.label_ids.remove(from);
                self.label_ids.insert(to, id);
                self.reindex_labels();
                Ok(Edit::MoveLabel { id, to: from })
            }
            Edit::SetSpans { doc, spans, notes } => {
                if let Some(s) = spans.iter().find(|s| self.label(s.label()).is_none()) {
                    return Err(ModelError::UnknownLabel(s.label().0));
                }
                let (old, old_notes) = self.doc_mut(doc)?.replace_spans(spans, notes)?;
                Ok(Edit::SetSpans {
                    doc,
                    spans: old,
                    notes: Some(old_notes),
                })
            }
            // --- disagreements (team merge): model/disagreement.rs ---
            edit @ (Edit::Resolve { .. }
            | Edit::Unresolve { .. }
            | Edit::SetDisagreements { .. }) => self.apply_disagreement_edit(edit),
        }
    }

    fn check_label(&self, id: LabelId) -> Result<(), ModelError> {
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
            self.documents.insert(at, doc);
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
        let mut removed: Vec<(usize, Document)> = places
            .iter()
            .rev()
            .map(|&at| (at, self.documents.remove(at)))
            .collect();
        removed.reverse();
        self.reindex_documents();
        Ok(Edit::InsertDocuments { docs: removed })
    }

    /// Inserts labels with their ids, each at its place in the result (places
    /// ascending); checks names, keys are left to the label editor. Returns the inverse.
    fn insert_labels(&mut self, labels: Vec<(usize, LabelId, Label)>) -> Result<Edit, ModelError> {
        if self.labels.len() + labels.len() > usize::from(u16::MAX) {
            return Err(ModelError::TooManyLabels);
        }
        for (_, _, label) in &labels {
            super::label::check_label_name(&label.name)?;
        }
        let mut names: HashSet<&str> = self.labels.iter().map(|l| l.name.as_str()).collect();
        let mut total = self.labels.len();
        let mut last = None;
        for (at, id, label) in &labels {
            if !names.insert(label.name.as_str()) {
                return Err(ModelError::DuplicateLabel(label.name.clone()));
            }
            if self.label_position(*id).is_some() || id.0 == NONE {
                return Err(ModelError::DuplicateLabel(label.name.clone()));
            }
            total += 1;
            if *at >= total || last.is_some_and(|l| *at <= l) {
                return Err(ModelError::NoSuchPlace(*at));
            }
            last = Some(*at);
        }
        let ids: Vec<LabelId> = labels.iter().map(|(_, id, _)| *id).collect();
        if ids.iter().enumerate().any(|(i, id)| ids[..i].contains(id)) {
            return Err(ModelError::TooManyLabels);
        }
        for (at, id, label) in labels {
            self.labels.insert(at, label);
            self.label_ids.insert(at, id);
            self.next_label = self.next_label.max(id.0.saturating_add(1));
        }
        self.reindex_labels();
        Ok(Edit::RemoveLabels { ids })
    }

    /// Removes labels by id; refuses one a span, a rejection or a disagreement uses.
    /// Returns the inverse (each at the place it had, with its id).
    fn remove_labels(&mut self, ids: &[LabelId]) -> Result<Edit, ModelError> {
        let mut places = Vec::with_capacity(ids.len());
        for id in ids {
            let at = self
                .label_position(*id)
                .ok_or(ModelError::UnknownLabel(id.0))?;
            if places.contains(&at) {
                return Err(ModelError::UnknownLabel(id.0));
            }
            places.push(at);
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
        if in_use {
            return Err(ModelError::LabelInUse);
        }
        places.sort_unstable();
        let mut removed: Vec<(usize, LabelId, Label)> = places
            .iter()
            .rev()
            .map(|&at| (at, self.label_ids.remove(at), self.labels.remove(at)))
            .collect();
        removed.reverse();
        self.reindex_labels();
        Ok(Edit::InsertLabels { labels: removed })
    }

    pub(super) fn doc_mut(&mut self, id: DocId) -> Result<&mut Document, ModelError> {
        let at = self.position(id).ok_or(ModelError::NoSuchDocument)?;
        Ok(&mut self.documents[at])
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
                let d = self.doc_mut(doc)?;
                if let Some(s) = spans.iter().find(|s| !d.spans().contains(s)) {
                    return Err(ModelError::NoSuchSpan {
                        start: s.start(),
                        end: s.end(),
                    });
                }
                d.insert_disagreement(index, disagreement)?;
                for span in &spans {
                    // Checked present above; a note on a resolved span goes with it.
                    let _ = d.remove_span(span);
                }
                Ok(Edit::Resolve { doc, index, spans })
            }
            Edit::SetDisagreements { doc, disagreements } => {
                self.check_labels(disagreements.iter().flat_map(Disagreement::spans))?;
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
            | Edit::AddSpanWithNote { doc, .. }
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
    /// Add a span with its note to document `doc`: the inverse of removing a span that
    /// had a note.
    AddSpanWithNote {
        /// The document.
        doc: DocId,
        /// The span.
        span: Span,
        /// Its note.
        note: String,
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
