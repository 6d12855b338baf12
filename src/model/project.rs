//! A project: labels and documents, known by ids (see ARCHITECTURE.md). How a project
//! changes is in `edit.rs` (the primitive edits) and `edits.rs` (the composite ones).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::ids::IdList;
use super::suggest::SuggestSettings;
use super::{
    DocId, Document, Label, LabelId, ModelError, Relation, RelationType, RelationTypeId, Span,
    Stamp, label::default_labels,
};

/// Everything a project file holds. Every span's and every rejection's label is one of
/// `labels`; document names are unique, and so are document ids.
///
/// Labels and documents are known by ids that never change (see [`LabelId`] and
/// [`DocId`]); their places in the lists are only the order they are shown and written
/// in. Equality compares content and label ids, not document ids or bookkeeping.
#[derive(Clone, Debug)]
pub struct Project {
    /// In display order, with their ids.
    pub(super) labels: IdList<Label>,
    /// The kinds of relation, in display order, with their ids.
    pub(super) relation_types: IdList<RelationType>,
    /// Shared copy-on-write, the list and each document: a clone of the project (a
    /// save's or a background job's snapshot) copies one pointer, and an edit while the
    /// clone lives copies the list of pointers and the one document it changes
    /// (`Arc::make_mut` in `doc_mut`), never the snapshot's.
    pub(super) documents: Arc<Vec<Arc<Document>>>,
    /// Each document's place in `documents`, by id; shared like the documents, rebuilt
    /// (not changed in place) when the list changes.
    doc_at: Arc<HashMap<DocId, usize>>,
    /// Bytes of text in all documents (texts never change; kept with the list).
    text_bytes: usize,
    /// Suggestion sources in use (saved with the project).
    pub(super) suggest: SuggestSettings,
    /// Fresh after every applied edit: lets derived data skip a frame with no change.
    pub(super) stamp: Stamp,
}

impl PartialEq for Project {
    fn eq(&self, other: &Self) -> bool {
        self.labels == other.labels
            && self.relation_types == other.relation_types
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
    /// Checks that label names follow [`super::label::check_label_name`] and are unique,
    /// that every span, rejection and disagreement
    /// names one of the labels, and that document names are unique. A label key that is
    /// a command key ([`super::label::COMMAND_KEYS`]) is dropped. A document whose id
    /// an earlier one has (a clone) gets a fresh one.
    ///
    /// The relation types are the default ones for these labels
    /// ([`super::relation::default_relation_types`]); see [`Self::with_types`].
    pub fn new(labels: Vec<Label>, documents: Vec<Document>) -> Result<Self, ModelError> {
        let types = super::relation::default_relation_types(&labels);
        Self::with_types(labels, types, documents)
    }

    /// A project from labels, relation types and documents: as [`Self::new`], and the
    /// types get the ids `RelationTypeId(0)`, … in order. Checks that type names follow
    /// [`super::relation::check_relation_type_name`], are unique and name existing
    /// labels, and that every relation has a type that allows its ends' labels.
    pub fn with_types(
        labels: Vec<Label>,
        types: Vec<RelationType>,
        documents: Vec<Document>,
    ) -> Result<Self, ModelError> {
        if labels.len() > usize::from(u16::MAX) {
            return Err(ModelError::TooManyLabels);
        }
        for (i, label) in labels.iter().enumerate() {
            super::label::check_label_name(&label.name)?;
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
        for (i, t) in types.iter().enumerate() {
            super::relation::check_relation_type_name(&t.name)?;
            if types[..i].iter().any(|o| o.name == t.name) {
                return Err(ModelError::DuplicateRelationType(t.name.clone()));
            }
            if let Some(l) = t.from.iter().chain(&t.to).find(|l| !known(**l)) {
                return Err(ModelError::UnknownLabel(l.0));
            }
        }
        // A key that became a command key (a file from before the rule) is dropped.
        let labels = labels
            .into_iter()
            .map(super::label::without_command_key)
            .collect();
        let mut p = Self::build(labels, documents);
        p.relation_types = IdList::new(types);
        for d in p.documents.iter() {
            for r in d.every_relation() {
                p.check_relation(r)?;
            }
        }
        Ok(p)
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
        let labels = default_labels();
        let types = super::relation::default_relation_types(&labels);
        let mut p = Self::build(labels, documents);
        p.relation_types = IdList::new(types);
        p
    }

    /// The project, with ids given in list order; the caller checked the rest.
    fn build(labels: Vec<Label>, mut documents: Vec<Document>) -> Self {
        let mut seen = HashSet::with_capacity(documents.len());
        for doc in &mut documents {
            if !seen.insert(doc.id()) {
                doc.renew_id();
                seen.insert(doc.id());
            }
        }
        let mut p = Self {
            labels: IdList::new(labels),
            relation_types: IdList::default(),
            documents: Arc::new(documents.into_iter().map(Arc::new).collect()),
            doc_at: Arc::default(),
            text_bytes: 0,
            suggest: SuggestSettings::default(),
            stamp: Stamp::fresh(),
        };
        p.reindex_documents();
        p
    }

    /// Rebuilds the id → place table after the document list changed.
    pub(super) fn reindex_documents(&mut self) {
        self.doc_at = Arc::new(
            self.documents
                .iter()
                .enumerate()
                .map(|(i, d)| (d.id(), i))
                .collect(),
        );
        self.text_bytes = self.documents.iter().map(|d| d.text().as_str().len()).sum();
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
        self.labels.items()
    }

    /// The labels' ids, in display order.
    pub fn label_ids(&self) -> impl ExactSizeIterator<Item = LabelId> + Clone {
        self.labels.ids().iter().map(|&i| LabelId(i))
    }

    /// The id of the label at place `index` of the display order.
    pub fn label_at(&self, index: usize) -> Option<LabelId> {
        self.labels.ids().get(index).map(|&i| LabelId(i))
    }

    /// Each label with its id, in display order.
    pub fn label_entries(&self) -> impl ExactSizeIterator<Item = (LabelId, &Label)> + Clone {
        self.label_ids().zip(self.labels.items())
    }

    /// A label by id.
    pub fn label(&self, id: LabelId) -> Option<&Label> {
        self.labels.get(id.0)
    }

    /// The place of label `id` in the display order.
    pub fn label_position(&self, id: LabelId) -> Option<usize> {
        self.labels.position(id.0)
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

    /// The relation types, in display order.
    pub fn relation_types(&self) -> &[RelationType] {
        self.relation_types.items()
    }

    /// Each relation type with its id, in display order.
    pub fn relation_type_entries(
        &self,
    ) -> impl ExactSizeIterator<Item = (RelationTypeId, &RelationType)> + Clone {
        self.relation_types
            .ids()
            .iter()
            .map(|&i| RelationTypeId(i))
            .zip(self.relation_types.items())
    }

    /// A relation type by id.
    pub fn relation_type(&self, id: RelationTypeId) -> Option<&RelationType> {
        self.relation_types.get(id.0)
    }

    /// The place of relation type `id` in the display order.
    pub fn relation_type_position(&self, id: RelationTypeId) -> Option<usize> {
        self.relation_types.position(id.0)
    }

    /// The id of the relation type with this name.
    pub fn relation_type_id(&self, name: &str) -> Option<RelationTypeId> {
        self.relation_type_entries()
            .find(|(_, t)| t.name == name)
            .map(|(id, _)| id)
    }

    /// `n` ids no relation type of this project has had.
    pub fn fresh_relation_type_ids(&self, n: usize) -> Vec<RelationTypeId> {
        self.relation_types
            .fresh_ids(n)
            .into_iter()
            .map(RelationTypeId)
            .collect()
    }

    /// The types that may link `from` to `to`, in display order.
    pub fn types_linking(&self, from: &Span, to: &Span) -> Vec<RelationTypeId> {
        self.relation_type_entries()
            .filter(|(_, t)| t.allows(from, to))
            .map(|(id, _)| id)
            .collect()
    }

    /// Checks that a relation's type exists and allows its ends' labels.
    pub fn check_relation(&self, r: &Relation) -> Result<(), ModelError> {
        let t = self
            .relation_type(r.kind())
            .ok_or(ModelError::UnknownRelationType(r.kind().0))?;
        if t.allows(&r.from(), &r.to()) {
            return Ok(());
        }
        let name = |s: Span| {
            self.label(s.label())
                .map_or("?", |l| l.name.as_str())
                .to_string()
        };
        Err(ModelError::RelationDoesNotFit {
            kind: t.name.clone(),
            from: name(r.from()),
            to: name(r.to()),
        })
    }

    /// How many relations in the project are of type `id`.
    pub fn relation_type_use(&self, id: RelationTypeId) -> usize {
        self.documents
            .iter()
            .map(|d| d.relations().iter().filter(|r| r.kind() == id).count())
            .sum()
    }

    /// Bytes of text in all documents, without a pass over them.
    pub fn text_bytes(&self) -> usize {
        self.text_bytes
    }

    /// The documents, in display order. Each is shared with the project's clones
    /// (copy-on-write) and derefs to [`Document`].
    pub fn documents(&self) -> &[Arc<Document>] {
        &self.documents
    }

    /// A document by id.
    pub fn document(&self, id: DocId) -> Option<&Document> {
        self.position(id).map(|i| &*self.documents[i])
    }

    /// The place of document `id` in the list.
    pub fn position(&self, id: DocId) -> Option<usize> {
        self.doc_at.get(&id).copied()
    }

    /// The id of the document at place `index` in the list.
    pub fn id_at(&self, index: usize) -> Option<DocId> {
        self.documents.get(index).map(|d| d.id())
    }

    /// The document named `name`.
    pub fn document_named(&self, name: &str) -> Option<&Document> {
        self.documents.iter().find(|d| d.name == name).map(|d| &**d)
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

    /// `n` ids no label of this project has had: the ids of labels about to be added.
    pub fn fresh_label_ids(&self, n: usize) -> Vec<LabelId> {
        self.labels.fresh_ids(n).into_iter().map(LabelId).collect()
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
        p.relation_types = self.relation_types.clone();
        for d in p.documents.iter() {
            for r in d.every_relation() {
                p.check_relation(r)?;
            }
        }
        Ok(p)
    }

    /// How many spans in the project carry label `id`.
    pub fn label_use(&self, id: LabelId) -> usize {
        self.documents
            .iter()
            .map(|d| d.spans().iter().filter(|s| s.label() == id).count())
            .sum()
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
