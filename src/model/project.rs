//! A project: labels and documents.

use super::suggest::SuggestSettings;
use super::{Document, Label, LabelId, ModelError, Span, Stamp, Status, label::default_labels};

/// Everything a project file holds. Every span's and every rejection's label is one of
/// `labels`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Project {
    labels: Vec<Label>,
    documents: Vec<Document>,
    /// Suggestion sources in use (saved with the project).
    suggest: SuggestSettings,
    /// Fresh after every applied edit: lets derived data skip a frame with no change.
    stamp: Stamp,
}

impl Default for Project {
    fn default() -> Self {
        Self::new(default_labels(), Vec::new()).unwrap_or_else(|_| Self {
            labels: Vec::new(),
            documents: Vec::new(),
            suggest: SuggestSettings::default(),
            stamp: Stamp::fresh(),
        })
    }
}

impl Project {
    /// A project from labels and documents; checks that label names follow
    /// [`super::label::check_label_name`] and are unique, and that every span names an
    /// existing label.
    pub fn new(labels: Vec<Label>, documents: Vec<Document>) -> Result<Self, ModelError> {
        if labels.len() > usize::from(u16::MAX) {
            return Err(ModelError::TooManyLabels);
        }
        for (i, label) in labels.iter().enumerate() {
            super::label::check_label_name(&label.name)?;
            if labels[..i].iter().any(|l| l.name == label.name) {
                return Err(ModelError::DuplicateLabel(label.name.clone()));
            }
        }
        for doc in &documents {
            if let Some(span) = doc
                .spans()
                .iter()
                .chain(doc.rejected())
                .find(|s| usize::from(s.label().0) >= labels.len())
            {
                return Err(ModelError::UnknownLabel(span.label().0));
            }
            // Disagreements (team merge) name labels too.
            let mut disagreeing = doc.disagreements().iter().flat_map(|d| d.spans());
            if let Some(span) = disagreeing.find(|s| usize::from(s.label().0) >= labels.len()) {
                return Err(ModelError::UnknownLabel(span.label().0));
            }
        }
        Ok(Self {
            labels,
            documents,
            suggest: SuggestSettings::default(),
            stamp: Stamp::fresh(),
        })
    }

    /// A project with the default labels and the given documents.
    pub fn with_documents(documents: Vec<Document>) -> Self {
        Self {
            labels: default_labels(),
            documents,
            suggest: SuggestSettings::default(),
            stamp: Stamp::fresh(),
        }
    }

    /// The same project with these suggestion settings.
    pub fn with_suggest_settings(mut self, settings: SuggestSettings) -> Self {
        self.suggest = settings;
        self.stamp = Stamp::fresh();
        self
    }

    /// The suggestion sources in use.
    pub fn suggest_settings(&self) -> &SuggestSettings {
        &self.suggest
    }

    /// Changes after every applied edit (see [`Stamp`]).
    pub(crate) fn stamp(&self) -> u64 {
        self.stamp.get()
    }

    /// The labels, indexed by [`LabelId`].
    pub fn labels(&self) -> &[Label] {
        &self.labels
    }

    /// A label by id.
    pub fn label(&self, id: LabelId) -> Option<&Label> {
        self.labels.get(usize::from(id.0))
    }

    /// The id of the label with this name.
    pub fn label_id(&self, name: &str) -> Option<LabelId> {
        self.labels
            .iter()
            .position(|l| l.name == name)
            .and_then(|i| LabelId::from_index(i).ok())
    }

    /// The label bound to a hotkey.
    pub fn label_for_key(&self, key: char) -> Option<LabelId> {
        self.labels
            .iter()
            .position(|l| l.hotkey == Some(key))
            .and_then(|i| LabelId::from_index(i).ok())
    }

    /// The documents.
    pub fn documents(&self) -> &[Document] {
        &self.documents
    }

    /// A document by index.
    pub fn document(&self, index: usize) -> Option<&Document> {
        self.documents.get(index)
    }

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
                if self.label(span.label()).is_none() {
                    return Err(ModelError::UnknownLabel(span.label().0));
                }
                self.doc_mut(doc)?.reject(span)?;
                Ok(Edit::Unreject { doc, span })
            }
            Edit::Unreject { doc, span } => {
                self.doc_mut(doc)?.unreject(&span)?;
                Ok(Edit::Reject { doc, span })
            }
            Edit::AddSpan { doc, span } => {
                if self.label(span.label()).is_none() {
                    return Err(ModelError::UnknownLabel(span.label().0));
                }
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
                if self.label(span.label()).is_none() {
                    return Err(ModelError::UnknownLabel(span.label().0));
                }
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
            Edit::InsertDocuments { at, docs } => {
                if at > self.documents.len() {
                    return Err(ModelError::NoSuchDocument(at));
                }
                let count = docs.len();
                self.documents.splice(at..at, docs);
                Ok(Edit::RemoveDocuments { at, count })
            }
            Edit::AddLabels { labels } => {
                let mut all = self.labels.clone();
                all.extend(labels);
                // Reuse the constructor's checks (unique names, id range).
                let checked = Project::new(all, Vec::new())?;
                let count = checked.labels.len() - self.labels.len();
                self.labels = checked.labels;
                Ok(Edit::RemoveLabels { count })
            }
            Edit::RemoveLabels { count } => {
                let keep = self.labels.len().saturating_sub(count);
                // Rejections count as uses: removing their label would leave them dangling.
                let in_use = self.documents.iter().any(|d| {
                    d.spans()
                        .iter()
                        .chain(d.rejected())
                        .any(|s| usize::from(s.label().0) >= keep)
                });
                if in_use || self.disagreements_use_labels_from(keep) {
                    return Err(ModelError::LabelInUse);
                }
                let labels = self.labels.split_off(keep);
                Ok(Edit::AddLabels { labels })
            }
            Edit::RemoveDocuments { at, count } => {
                if at + count > self.documents.len() {
                    return Err(ModelError::NoSuchDocument(at + count));
                }
                let docs = self.documents.drain(at..at + count).collect();
                Ok(Edit::InsertDocuments { at, docs })
            }
            Edit::SetLabel { id, label } => {
                let i = usize::from(id.0);
                if i >= self.labels.len() {
                    return Err(ModelError::UnknownLabel(id.0));
                }
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
            Edit::MoveLabel { from, to } => {
                let (f, t) = (usize::from(from.0), usize::from(to.0));
                let n = self.labels.len();
                if f >= n || t >= n {
                    return Err(ModelError::UnknownLabel(from.0.max(to.0)));
                }
                let label = self.labels.remove(f);
                self.labels.insert(t, label);
                // Position of each old id after the move.
                let moved = |old: usize| -> u16 {
                    let new = if old == f {
                        t
                    } else if f < t && old > f && old <= t {
                        old - 1
                    } else if t < f && old >= t && old < f {
                        old + 1
                    } else {
                        old
                    };
                    // Below the label count, which `Project::new` keeps within u16.
                    u16::try_from(new).unwrap_or(u16::MAX)
                };
                for doc in &mut self.documents {
                    if !doc.spans().is_empty() || !doc.rejected().is_empty() {
                        doc.map_labels(|l| LabelId(moved(usize::from(l.0))));
                    }
                }
                Ok(Edit::MoveLabel { from: to, to: from })
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

    /// The edits that delete label `id` and every span and rejection that carries it, as
    /// one undoable action: the spans and rejections go, the label moves last, and then it
    /// is removed.
    pub fn delete_label_edits(&self, id: LabelId) -> Vec<Edit> {
        let mut edits: Vec<Edit> = self
            .documents
            .iter()
            .enumerate()
            .filter(|(_, d)| d.spans().iter().any(|s| s.label() == id))
            .map(|(doc, d)| Edit::SetSpans {
                doc,
                spans: d
                    .spans()
                    .iter()
                    .filter(|s| s.label() != id)
                    .copied()
                    .collect(),
                // The other spans keep their notes; undo brings back the dropped ones.
                notes: None,
            })
            .collect();
        // Rejections of the label go too (undo brings them back).
        for (doc, d) in self.documents.iter().enumerate() {
            edits.extend(
                d.rejected()
                    .iter()
                    .filter(|s| s.label() == id)
                    .map(|&span| Edit::Unreject { doc, span }),
            );
        }
        // Disagreement versions lose the label's spans too (team merge).
        edits.extend(self.drop_label_from_disagreements(id));
        let last = self.labels.len().saturating_sub(1);
        edits.push(Edit::MoveLabel {
            from: id,
            to: LabelId(u16::try_from(last).unwrap_or(u16::MAX)),
        });
        edits.push(Edit::RemoveLabels { count: 1 });
        edits
    }

    /// The edit that adds the labels of `incoming` whose names are new here; a newcomer
    /// whose key or colour a label here already has gets a free key and a distinct colour.
    /// `None` if every name is known.
    pub fn import_labels_edit(&self, incoming: &[Label]) -> Option<Edit> {
        let mut all = self.labels.clone();
        let known = all.len();
        for label in incoming {
            if all.iter().any(|l| l.name == label.name) {
                continue;
            }
            let fresh = super::label::new_label_named(&all, label.name.clone());
            let key_taken = |k| all.iter().any(|l| l.hotkey == Some(k));
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
        (!added.is_empty()).then_some(Edit::AddLabels { labels: added })
    }

    /// The edits that give span `old` of document `doc` the label `label`, keeping its
    /// note on the relabelled span, as one undoable action.
    pub fn relabel_edits(&self, doc: usize, old: Span, label: LabelId) -> Vec<Edit> {
        let new = old.with_label(label);
        let mut edits = vec![
            Edit::RemoveSpan { doc, span: old },
            Edit::AddSpan { doc, span: new },
        ];
        if let Some(note) = self.document(doc).and_then(|d| d.note(&old)) {
            edits.push(Edit::SetNote {
                doc,
                span: new,
                note: Some(note.to_string()),
            });
        }
        edits
    }

    /// How many spans in the project carry label `id`.
    pub fn label_use(&self, id: LabelId) -> usize {
        self.documents
            .iter()
            .map(|d| d.spans().iter().filter(|s| s.label() == id).count())
            .sum()
    }

    pub(super) fn doc_mut(&mut self, index: usize) -> Result<&mut Document, ModelError> {
        self.documents
            .get_mut(index)
            .ok_or(ModelError::NoSuchDocument(index))
    }
}

/// One primitive change to a project. Applying an edit yields its inverse, which is what
/// the undo history stores.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Edit {
    /// Add a span to document `doc`.
    AddSpan {
        /// Document index.
        doc: usize,
        /// The span.
        span: Span,
    },
    /// Remove a span from document `doc`, and its note (the inverse restores both).
    RemoveSpan {
        /// Document index.
        doc: usize,
        /// The span.
        span: Span,
    },
    /// Add a span with its note to document `doc`: the inverse of removing a span that
    /// had a note.
    AddSpanWithNote {
        /// Document index.
        doc: usize,
        /// The span.
        span: Span,
        /// Its note.
        note: String,
    },
    /// Set, change or (with `None` or a blank note) remove the note on a span of
    /// document `doc`; the span must be there.
    SetNote {
        /// Document index.
        doc: usize,
        /// The span.
        span: Span,
        /// The note; `None` or blank removes it.
        note: Option<String>,
    },
    /// Set a document's status.
    SetStatus {
        /// Document index.
        doc: usize,
        /// The new status.
        status: Status,
    },
    /// Insert documents before index `at`.
    InsertDocuments {
        /// Insertion index.
        at: usize,
        /// The documents.
        docs: Vec<Document>,
    },
    /// Append labels (names must be new).
    AddLabels {
        /// The labels.
        labels: Vec<Label>,
    },
    /// Remove the last `count` labels (no span may use them).
    RemoveLabels {
        /// How many.
        count: usize,
    },
    /// Remove `count` documents starting at index `at`.
    RemoveDocuments {
        /// First index removed.
        at: usize,
        /// How many.
        count: usize,
    },
    /// Replace a label's name, colour and hotkey (spans keep pointing at it).
    SetLabel {
        /// Which label.
        id: LabelId,
        /// What it becomes; the name must stay unique and non-empty, the hotkey unused.
        label: Label,
    },
    /// Move the label at `from` to position `to`; every span follows its label.
    MoveLabel {
        /// Where it is.
        from: LabelId,
        /// Where it goes.
        to: LabelId,
    },
    /// Replace all of document `doc`'s spans at once (bulk changes such as deleting
    /// every span of a label, in one edit instead of one per span).
    SetSpans {
        /// Document index.
        doc: usize,
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
        /// Document index.
        doc: usize,
        /// The rejected suggestion.
        span: Span,
    },
    /// Forget a rejection (the inverse of [`Edit::Reject`]).
    Unreject {
        /// Document index.
        doc: usize,
        /// The rejection to forget.
        span: Span,
    },
    // --- disagreements (team merge): applied in model/disagreement.rs ---
    /// Adjudicate disagreement `index` of document `doc`: it goes, and `spans` (the
    /// chosen ones) are added, except those the document already has.
    Resolve {
        /// Document index.
        doc: usize,
        /// Which disagreement, in [`super::Document::disagreements`].
        index: usize,
        /// The spans chosen.
        spans: Vec<Span>,
    },
    /// The inverse of [`Edit::Resolve`]: `spans` go (they must be there) and the
    /// disagreement comes back at `index`.
    Unresolve {
        /// Document index.
        doc: usize,
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
        /// Document index.
        doc: usize,
        /// The new list (sorted by start when applied).
        disagreements: Vec<super::Disagreement>,
    },
}
