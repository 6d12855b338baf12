//! A project: labels and documents.

use std::collections::{HashMap, HashSet};

use super::suggest::SuggestSettings;
use super::{
    DocId, Document, Label, LabelId, ModelError, Span, Stamp, Status, label::default_labels,
};

/// Everything a project file holds. Every span's and every rejection's label is one of
/// `labels`; document names are unique, and so are document ids.
///
/// Labels and documents are known by ids that never change (see [`LabelId`] and
/// [`DocId`]); their places in the lists are only the order they are shown and written
/// in. Equality compares content and label ids, not document ids or bookkeeping.
#[derive(Clone, Debug)]
pub struct Project {
    /// In display order.
    labels: Vec<Label>,
    /// `label_ids[i]` is the id of `labels[i]`.
    label_ids: Vec<LabelId>,
    /// For each id value, the label's place in `labels` (`NONE` for an id not in use).
    label_at: Vec<u32>,
    /// The id the next new label gets: ids are never reused within a project.
    next_label: u32,
    documents: Vec<Document>,
    /// Each document's place in `documents`, by id.
    doc_at: HashMap<DocId, usize>,
    /// Suggestion sources in use (saved with the project).
    suggest: SuggestSettings,
    /// Fresh after every applied edit: lets derived data skip a frame with no change.
    stamp: Stamp,
}

/// `label_at` entry of an id no label has.
const NONE: u32 = u32::MAX;

impl PartialEq for Project {
    fn eq(&self, other: &Self) -> bool {
        self.labels == other.labels
            && self.label_ids == other.label_ids
            && self.documents == other.documents
            && self.suggest == other.suggest
    }
}

impl Eq for Project {}

impl Default for Project {
    fn default() -> Self {
        Self::with_documents(Vec::new())
    }
}

impl Project {
    /// A project from labels and documents. The labels get the ids `LabelId(0)`,
    /// `LabelId(1)`, … in the order given, which is what the documents' spans refer to.
    /// Checks that label names are unique, that every span, rejection and disagreement
    /// names one of the labels, and that document names are unique. A document whose id
    /// an earlier one has (a clone) gets a fresh one.
    pub fn new(labels: Vec<Label>, documents: Vec<Document>) -> Result<Self, ModelError> {
        if labels.len() > usize::from(u16::MAX) {
            return Err(ModelError::TooManyLabels);
        }
        for (i, label) in labels.iter().enumerate() {
            if labels[..i].iter().any(|l| l.name == label.name) {
                return Err(ModelError::DuplicateLabel(label.name.clone()));
            }
        }
        let known = |l: LabelId| (l.0 as usize) < labels.len();
        let mut names: HashSet<&str> = HashSet::with_capacity(documents.len());
        for doc in &documents {
            if !names.insert(doc.name.as_str()) {
                return Err(ModelError::DuplicateDocument(doc.name.clone()));
            }
            let mut used = doc.spans().iter().chain(doc.rejected());
            if let Some(span) = used.find(|s| !known(s.label())) {
                return Err(ModelError::UnknownLabel(span.label().0));
            }
            // Disagreements (team merge) name labels too.
            let mut disagreeing = doc.disagreements().iter().flat_map(|d| d.spans());
            if let Some(span) = disagreeing.find(|s| !known(s.label())) {
                return Err(ModelError::UnknownLabel(span.label().0));
            }
        }
        Ok(Self::build(labels, documents))
    }

    /// A project with the default labels and the given documents (spans must use those
    /// labels); a name an earlier document has gets a number: "d (2)".
    pub fn with_documents(mut documents: Vec<Document>) -> Self {
        let mut names: HashSet<String> = HashSet::with_capacity(documents.len());
        for doc in &mut documents {
            if names.contains(&doc.name) {
                doc.name = unique_name(&doc.name, |n| names.contains(n));
            }
            names.insert(doc.name.clone());
        }
        Self::build(default_labels(), documents)
    }

    /// The project, with ids given in list order; the caller checked the rest.
    fn build(labels: Vec<Label>, mut documents: Vec<Document>) -> Self {
        let n = u32::try_from(labels.len()).unwrap_or(u32::MAX);
        let mut seen = HashSet::with_capacity(documents.len());
        for doc in &mut documents {
            if !seen.insert(doc.id()) {
                doc.renew_id();
                seen.insert(doc.id());
            }
        }
        let mut p = Self {
            labels,
            label_ids: (0..n).map(LabelId).collect(),
            label_at: Vec::new(),
            next_label: n,
            documents,
            doc_at: HashMap::new(),
            suggest: SuggestSettings::default(),
            stamp: Stamp::fresh(),
        };
        p.reindex_labels();
        p.reindex_documents();
        p
    }

    fn reindex_labels(&mut self) {
        let len = self
            .label_ids
            .iter()
            .map(|l| l.0 as usize + 1)
            .max()
            .unwrap_or(0);
        self.label_at.clear();
        self.label_at.resize(len, NONE);
        for (i, id) in self.label_ids.iter().enumerate() {
            // Below the label count, which `new` keeps within u16.
            self.label_at[id.0 as usize] = u32::try_from(i).unwrap_or(NONE);
        }
    }

    fn reindex_documents(&mut self) {
        self.doc_at.clear();
        self.doc_at
            .extend(self.documents.iter().enumerate().map(|(i, d)| (d.id(), i)));
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

    /// The labels, in display order (their ids are [`Self::label_ids`]).
    pub fn labels(&self) -> &[Label] {
        &self.labels
    }

    /// The labels' ids, in display order.
    pub fn label_ids(&self) -> &[LabelId] {
        &self.label_ids
    }

    /// Each label with its id, in display order.
    pub fn label_entries(&self) -> impl ExactSizeIterator<Item = (LabelId, &Label)> + Clone {
        self.label_ids.iter().copied().zip(&self.labels)
    }

    /// A label by id.
    pub fn label(&self, id: LabelId) -> Option<&Label> {
        self.label_position(id).map(|i| &self.labels[i])
    }

    /// The place of label `id` in the display order.
    pub fn label_position(&self, id: LabelId) -> Option<usize> {
        match self.label_at.get(id.0 as usize) {
            Some(&i) if i != NONE => Some(i as usize),
            _ => None,
        }
    }

    /// The id of the label with this name.
    pub fn label_id(&self, name: &str) -> Option<LabelId> {
        self.label_entries()
            .find(|(_, l)| l.name == name)
            .map(|(id, _)| id)
    }

    /// The label bound to a hotkey.
    pub fn label_for_key(&self, key: char) -> Option<LabelId> {
        self.label_entries()
            .find(|(_, l)| l.hotkey == Some(key))
            .map(|(id, _)| id)
    }

    /// The documents, in display order.
    pub fn documents(&self) -> &[Document] {
        &self.documents
    }

    /// A document by id.
    pub fn document(&self, id: DocId) -> Option<&Document> {
        self.position(id).map(|i| &self.documents[i])
    }

    /// The place of document `id` in the list.
    pub fn position(&self, id: DocId) -> Option<usize> {
        self.doc_at.get(&id).copied()
    }

    /// The id of the document at place `index` in the list.
    pub fn id_at(&self, index: usize) -> Option<DocId> {
        self.documents.get(index).map(Document::id)
    }

    /// The document named `name`.
    pub fn document_named(&self, name: &str) -> Option<&Document> {
        self.documents.iter().find(|d| d.name == name)
    }

    /// `documents` renamed where a name is taken (here or by an earlier one of them), so
    /// they can be added: "d" becomes "d (2)".
    pub fn with_unique_names(&self, mut documents: Vec<Document>) -> Vec<Document> {
        let mut names: HashSet<String> = self.documents.iter().map(|d| d.name.clone()).collect();
        for doc in &mut documents {
            if names.contains(&doc.name) {
                doc.name = unique_name(&doc.name, |n| names.contains(n));
            }
            names.insert(doc.name.clone());
        }
        documents
    }

    /// The edit that appends documents at the end of the list.
    pub fn append_documents_edit(&self, docs: Vec<Document>) -> Edit {
        let at = self.documents.len();
        Edit::InsertDocuments {
            docs: (at..).zip(docs).collect(),
        }
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
                if label.name.is_empty() {
                    return Err(ModelError::EmptyLabelName);
                }
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
            if self.doc_at.contains_key(&doc.id()) {
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
                // The other spans keep their notes; undo brings back the dropped ones.
                notes: None,
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
        edits.push(Edit::RemoveLabels { ids: vec![id] });
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
        (!added.is_empty()).then(|| self.add_labels_edit(added).0)
    }

    /// `n` ids no label of this project has had: the ids of labels about to be added.
    pub fn fresh_label_ids(&self, n: usize) -> Vec<LabelId> {
        (0..n)
            .map(|k| LabelId(self.next_label.saturating_add(k as u32)))
            .collect()
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

    /// A project with this one's labels (and ids) and other documents, whose spans use
    /// those ids; checked as [`Self::new`] checks.
    pub fn with_same_labels(&self, documents: Vec<Document>) -> Result<Project, ModelError> {
        let mut names: HashSet<&str> = HashSet::with_capacity(documents.len());
        for doc in &documents {
            if !names.insert(doc.name.as_str()) {
                return Err(ModelError::DuplicateDocument(doc.name.clone()));
            }
            let mut used = doc
                .spans()
                .iter()
                .chain(doc.rejected())
                .chain(doc.disagreements().iter().flat_map(|d| d.spans()));
            if let Some(span) = used.find(|s| self.label(s.label()).is_none()) {
                return Err(ModelError::UnknownLabel(span.label().0));
            }
        }
        let mut p = Self::build(Vec::new(), documents);
        p.labels = self.labels.clone();
        p.label_ids = self.label_ids.clone();
        p.next_label = self.next_label;
        p.reindex_labels();
        Ok(p)
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
    pub fn relabel_edits(&self, doc: DocId, old: Span, label: LabelId) -> Vec<Edit> {
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

    pub(super) fn doc_mut(&mut self, id: DocId) -> Result<&mut Document, ModelError> {
        let at = self.position(id).ok_or(ModelError::NoSuchDocument)?;
        Ok(&mut self.documents[at])
    }
}

/// `name` with the first number that makes it free: "d (2)", "d (3)", ….
pub fn unique_name(name: &str, taken: impl Fn(&str) -> bool) -> String {
    if !taken(name) {
        return name.to_string();
    }
    (2..)
        .map(|k| format!("{name} ({k})"))
        .find(|n| !taken(n))
        .unwrap_or_default()
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
