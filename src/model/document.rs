//! A document: immutable text plus its spans, their notes and review status.

use std::collections::{BTreeSet, HashMap};

use super::relation::{Relation, RelationSet, RelationTypeId};
use super::{Disagreement, ModelError, Span, SpanSet, Stamp, Text};

/// Where the annotator is with a document.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Status {
    /// Not started.
    #[default]
    Todo,
    /// Started but not finished.
    InProgress,
    /// Finished.
    Done,
}

impl Status {
    /// All statuses, in workflow order.
    pub const ALL: [Status; 3] = [Status::Todo, Status::InProgress, Status::Done];

    /// Human-readable name.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Todo => "todo",
            Status::InProgress => "in progress",
            Status::Done => "done",
        }
    }
}

/// A document's identity: unique in the process, kept by clones (a background copy of
/// the project names the same documents) and by undo, never a place in a list. Ids live
/// in memory only: across files and projects, documents are matched by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DocId(u64);

static DOC_IDS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

impl DocId {
    fn fresh() -> Self {
        Self(DOC_IDS.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
    }
}

/// A document's id as a field: never part of equality, which compares content.
#[derive(Clone, Copy, Debug)]
struct Identity(DocId);

impl PartialEq for Identity {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for Identity {}

/// One text to annotate. Its spans always lie inside its text; every note belongs to one
/// of its spans and is never blank.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Document {
    id: Identity,
    /// Identifier shown in the UI and written by exporters (e.g. the file stem).
    pub name: String,
    /// Review status.
    pub status: Status,
    text: Text,
    spans: SpanSet,
    /// Free-text notes by span; only spans with a non-blank note have an entry.
    notes: HashMap<Span, String>,
    /// Suggestions the annotator turned down (range + label): never proposed again.
    /// Inside the text, like spans.
    rejected: BTreeSet<Span>,
    /// Links between its spans; both ends of each are spans of the document.
    relations: RelationSet,
    /// Suggested relations the annotator turned down: never proposed again. Their ends
    /// need not be spans (any more).
    rejected_relations: BTreeSet<Relation>,
    /// Fresh whenever spans or rejections change: the suggestion engine's cache key.
    stamp: Stamp,
    // --- disagreements (team merge; methods in model/disagreement.rs) ---
    /// Regions still to adjudicate, sorted by start; inside the text.
    pub(super) disagreements: Vec<Disagreement>,
    /// The document's place (0-based) in the project `spanmark split` cut this one from,
    /// so that merging the annotators' projects gives back the original order; `None`
    /// for every document `split` did not write.
    pub split_index: Option<usize>,
}

/// Notes as a list of (span, note), in document order where it matters.
pub(crate) type Notes = Vec<(Span, String)>;

/// A note as stored: `None` for no note, or one that is empty or only whitespace.
fn clean(note: Option<String>) -> Option<String> {
    note.filter(|n| !n.trim().is_empty())
}

impl Document {
    /// A document with no spans.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            id: Identity(DocId::fresh()),
            name: name.into(),
            status: Status::Todo,
            text: Text::new(text.into()),
            spans: SpanSet::default(),
            notes: HashMap::new(),
            rejected: BTreeSet::new(),
            relations: RelationSet::default(),
            rejected_relations: BTreeSet::new(),
            stamp: Stamp::fresh(),
            disagreements: Vec::new(),
            split_index: None,
        }
    }

    /// The links between its spans.
    pub fn relations(&self) -> &RelationSet {
        &self.relations
    }

    /// The same document with these relations; fails for one whose ends are not both
    /// spans of the document, or one given twice. (Their types are the project's to
    /// check.)
    pub fn with_relations(
        mut self,
        relations: impl IntoIterator<Item = Relation>,
    ) -> Result<Self, ModelError> {
        for r in relations {
            self.add_relation(r)?;
        }
        Ok(self)
    }

    /// Every relation the document names: its links, the rejected suggestions and the
    /// links in its disagreements' versions. Each must have a type that fits it, so a
    /// type change or delete counts them all.
    pub(crate) fn every_relation(&self) -> impl Iterator<Item = &Relation> {
        self.relations.iter().chain(&self.rejected_relations).chain(
            self.disagreements
                .iter()
                .flat_map(Disagreement::all_relations),
        )
    }

    /// Suggested relations turned down, which are not proposed again.
    pub fn rejected_relations(&self) -> &BTreeSet<Relation> {
        &self.rejected_relations
    }

    /// The same document with these rejected relations; fails for one past the text.
    pub fn with_rejected_relations(
        mut self,
        rejected: impl IntoIterator<Item = Relation>,
    ) -> Result<Self, ModelError> {
        for r in rejected {
            self.reject_relation(r)?;
        }
        Ok(self)
    }

    /// Remembers a suggested relation as rejected; refuses one past the text or already
    /// there.
    pub(crate) fn reject_relation(&mut self, r: Relation) -> Result<(), ModelError> {
        self.check_bounds(&r.from())?;
        self.check_bounds(&r.to())?;
        if !self.rejected_relations.insert(r) {
            return Err(ModelError::DuplicateRelation);
        }
        self.stamp = Stamp::fresh();
        Ok(())
    }

    /// Forgets a rejected relation; refuses one that is not there.
    pub(crate) fn unreject_relation(&mut self, r: &Relation) -> Result<(), ModelError> {
        if !self.rejected_relations.remove(r) {
            return Err(ModelError::NoSuchRelation);
        }
        self.stamp = Stamp::fresh();
        Ok(())
    }

    /// Adds a relation between two of its spans; refuses a missing end or a duplicate.
    pub(crate) fn add_relation(&mut self, r: Relation) -> Result<(), ModelError> {
        if let Some(end) = [r.from(), r.to()].iter().find(|s| !self.spans.contains(s)) {
            return Err(no_such_span(end));
        }
        if !self.relations.insert(r) {
            return Err(ModelError::DuplicateRelation);
        }
        Ok(())
    }

    /// Removes a relation; refuses one that is not there.
    pub(crate) fn remove_relation(&mut self, r: &Relation) -> Result<(), ModelError> {
        if self.relations.remove(r) {
            Ok(())
        } else {
            Err(ModelError::NoSuchRelation)
        }
    }

    /// The document's identity (see [`DocId`]).
    pub fn id(&self) -> DocId {
        self.id.0
    }

    /// Gives the document a new id (a clone that joins the project of its original).
    pub(super) fn renew_id(&mut self) {
        self.id = Identity(DocId::fresh());
    }

    /// The same document with these rejected suggestions; fails for one past the text.
    pub fn with_rejected(
        mut self,
        rejected: impl IntoIterator<Item = Span>,
    ) -> Result<Self, ModelError> {
        for span in rejected {
            self.check_bounds(&span)?;
            self.rejected.insert(span);
        }
        self.stamp = Stamp::fresh();
        Ok(self)
    }

    /// Suggestions turned down (range + label), which are not proposed again.
    pub fn rejected(&self) -> &BTreeSet<Span> {
        &self.rejected
    }

    /// Changes whenever the spans or the rejections do (see [`Stamp`]).
    pub(crate) fn stamp(&self) -> u64 {
        self.stamp.get()
    }

    /// Remembers a suggestion as rejected; refuses one past the text or already there.
    pub(crate) fn reject(&mut self, span: Span) -> Result<(), ModelError> {
        self.check_bounds(&span)?;
        if !self.rejected.insert(span) {
            return Err(ModelError::AlreadyRejected {
                start: span.start(),
                end: span.end(),
            });
        }
        self.stamp = Stamp::fresh();
        Ok(())
    }

    /// Forgets a rejection; refuses one that is not there.
    pub(crate) fn unreject(&mut self, span: &Span) -> Result<(), ModelError> {
        if !self.rejected.remove(span) {
            return Err(ModelError::NotRejected {
                start: span.start(),
                end: span.end(),
            });
        }
        self.stamp = Stamp::fresh();
        Ok(())
    }

    /// A document with spans, each checked against the text.
    pub fn with_spans(
        name: impl Into<String>,
        text: impl Into<String>,
        spans: Vec<Span>,
    ) -> Result<Self, ModelError> {
        let mut doc = Self::new(name, text);
        for span in &spans {
            doc.check_bounds(span)?;
        }
        doc.spans = SpanSet::from_spans(spans);
        doc.stamp = Stamp::fresh();
        Ok(doc)
    }

    /// The same document with these notes added (blank notes are skipped); fails with
    /// [`ModelError::NoSuchSpan`] for a note on a span the document does not have.
    pub fn with_notes(
        mut self,
        notes: impl IntoIterator<Item = (Span, String)>,
    ) -> Result<Self, ModelError> {
        for (span, note) in notes {
            self.set_note(span, Some(note))?;
        }
        Ok(self)
    }

    /// The note on a span, if it has one.
    pub fn note(&self, span: &Span) -> Option<&str> {
        self.notes.get(span).map(String::as_str)
    }

    /// The spans that have a note, with it, in document order.
    pub fn notes(&self) -> impl Iterator<Item = (&Span, &str)> {
        // Through the spans, not the map: exports and lists want document order.
        self.spans
            .iter()
            .filter_map(|s| self.notes.get(s).map(|n| (s, n.as_str())))
    }

    /// How many spans have a note.
    pub fn note_count(&self) -> usize {
        self.notes.len()
    }

    /// The spans the note map holds, straight from it (for checking the invariant).
    #[cfg(test)]
    pub(crate) fn note_keys(&self) -> impl Iterator<Item = (&Span, &String)> {
        self.notes.iter()
    }

    /// The text.
    pub fn text(&self) -> &Text {
        &self.text
    }

    /// The spans.
    pub fn spans(&self) -> &SpanSet {
        &self.spans
    }

    /// The text a span covers.
    pub fn span_text(&self, span: &Span) -> &str {
        self.text.slice(span.start(), span.end())
    }

    fn check_bounds(&self, span: &Span) -> Result<(), ModelError> {
        if span.end() > self.text.char_len() {
            return Err(ModelError::SpanOutOfBounds {
                start: span.start(),
                end: span.end(),
                len: self.text.char_len(),
            });
        }
        Ok(())
    }

    /// Adds a span; refuses one out of bounds or already present.
    pub(crate) fn add_span(&mut self, span: Span) -> Result<(), ModelError> {
        self.check_bounds(&span)?;
        if self.spans.insert(span) {
            self.stamp = Stamp::fresh();
            Ok(())
        } else {
            Err(ModelError::DuplicateSpan {
                start: span.start(),
                end: span.end(),
            })
        }
    }

    /// Replaces all spans (each checked against the text) and returns the old spans, all
    /// the old notes and all the old relations. Exact duplicates collapse into one, as in
    /// [`SpanSet::from_spans`]. With `notes`, those become the notes (each must be on one
    /// of the new spans); without, spans that stay keep their notes and the others' go.
    /// Relations the same way: exactly `relations`, or those whose ends both stay.
    pub(crate) fn replace_spans(
        &mut self,
        spans: Vec<Span>,
        notes: Option<Notes>,
        relations: Option<Vec<Relation>>,
    ) -> Result<(Vec<Span>, Notes, Vec<Relation>), ModelError> {
        for span in &spans {
            self.check_bounds(span)?;
        }
        let set = SpanSet::from_spans(spans);
        let new_notes: HashMap<Span, String> = match notes {
            Some(given) => {
                let mut map = HashMap::with_capacity(given.len());
                for (span, note) in given {
                    if !set.contains(&span) {
                        return Err(no_such_span(&span));
                    }
                    if let Some(note) = clean(Some(note)) {
                        map.insert(span, note);
                    }
                }
                map
            }
            None => self
                .notes
                .iter()
                .filter(|(s, _)| set.contains(s))
                .map(|(s, n)| (*s, n.clone()))
                .collect(),
        };
        let mut new_relations = RelationSet::default();
        match relations {
            Some(given) => {
                for r in given {
                    if let Some(end) = [r.from(), r.to()].iter().find(|s| !set.contains(s)) {
                        return Err(no_such_span(end));
                    }
                    if !new_relations.insert(r) {
                        return Err(ModelError::DuplicateRelation);
                    }
                }
            }
            None => {
                let stay = |r: &&Relation| set.contains(&r.from()) && set.contains(&r.to());
                for r in self.relations.iter().filter(stay) {
                    new_relations.insert(*r);
                }
            }
        }
        let old = std::mem::replace(&mut self.spans, set);
        self.stamp = Stamp::fresh();
        let mut old_notes = std::mem::replace(&mut self.notes, new_notes);
        // In document order, so that the same change always gives the same inverse.
        let old_notes = old
            .iter()
            .filter_map(|s| old_notes.remove(s).map(|n| (*s, n)))
            .collect();
        let old_relations = std::mem::replace(&mut self.relations, new_relations);
        Ok((
            old.as_slice().to_vec(),
            old_notes,
            old_relations.iter().copied().collect(),
        ))
    }

    /// The same document (and id) with every label mapped through `relabel` and every
    /// relation type through `retype` (labels and types from another project's lists to
    /// this one's); fails if two spans become one.
    pub(crate) fn relabelled(
        mut self,
        relabel: &impl Fn(super::LabelId) -> super::LabelId,
        retype: &impl Fn(RelationTypeId) -> RelationTypeId,
    ) -> Result<Self, ModelError> {
        let map = |s: &Span| s.with_label(relabel(s.label()));
        let spans: Vec<Span> = self.spans.iter().map(map).collect();
        let count = spans.len();
        self.spans = SpanSet::from_spans(spans);
        if self.spans.len() != count {
            return Err(ModelError::DuplicateSpan { start: 0, end: 0 });
        }
        self.rejected = std::mem::take(&mut self.rejected).iter().map(map).collect();
        self.notes = std::mem::take(&mut self.notes)
            .into_iter()
            .map(|(s, n)| (map(&s), n))
            .collect();
        // Both ends at once: replacing one end, then the other by value, would take an
        // end that the first replacement made equal to the other (labels 0 → 1 → 2).
        let map_relation =
            |r: Relation| Relation::new(map(&r.from()), map(&r.to()), retype(r.kind()));
        for d in &mut self.disagreements {
            for (_, spans) in &mut d.versions {
                for s in spans.iter_mut() {
                    *s = map(s);
                }
            }
            for list in &mut d.relations {
                for r in list.iter_mut() {
                    *r = map_relation(*r)?;
                }
            }
        }
        let relations: Vec<Relation> = self.relations.iter().copied().collect();
        self.relations = RelationSet::default();
        for r in relations {
            self.relations.insert(map_relation(r)?);
        }
        self.rejected_relations = std::mem::take(&mut self.rejected_relations)
            .into_iter()
            .map(map_relation)
            .collect::<Result<_, _>>()?;
        self.stamp = Stamp::fresh();
        Ok(self)
    }

    /// Removes a span and returns its note, if it had one, and its relations (which go
    /// with it); fails if absent.
    pub(crate) fn remove_span(
        &mut self,
        span: &Span,
    ) -> Result<(Option<String>, Vec<Relation>), ModelError> {
        if self.spans.remove(span) {
            self.stamp = Stamp::fresh();
            Ok((self.notes.remove(span), self.relations.remove_of(span)))
        } else {
            Err(no_such_span(span))
        }
    }

    /// Sets (or, with `None` or a blank note, removes) a span's note; returns the old one.
    /// Fails if the document does not have the span.
    pub(crate) fn set_note(
        &mut self,
        span: Span,
        note: Option<String>,
    ) -> Result<Option<String>, ModelError> {
        if !self.spans.contains(&span) {
            return Err(no_such_span(&span));
        }
        Ok(match clean(note) {
            Some(note) => self.notes.insert(span, note),
            None => self.notes.remove(&span),
        })
    }
}

// --- disagreements (team merge) ---

impl Document {
    /// The disagreements still to adjudicate, sorted by start (then end).
    pub fn disagreements(&self) -> &[Disagreement] {
        &self.disagreements
    }

    /// The same document with these disagreements (checked against the text, then sorted
    /// by start; the order among equal ranges is kept).
    pub fn with_disagreements(mut self, list: Vec<Disagreement>) -> Result<Self, ModelError> {
        self.replace_disagreements(list)?;
        Ok(self)
    }

    /// Checks that a disagreement's range is non-empty and inside the text, and so is
    /// every span of its versions and every end of their links; links go with versions.
    fn check_disagreement(&self, d: &Disagreement) -> Result<(), ModelError> {
        let len = self.text().char_len();
        if d.start >= d.end {
            return Err(ModelError::EmptyDisagreement {
                start: d.start,
                end: d.end,
            });
        }
        let out = |start, end| ModelError::SpanOutOfBounds { start, end, len };
        if d.end > len {
            return Err(out(d.start, d.end));
        }
        let ends = d.all_relations().flat_map(|r| [r.from(), r.to()]);
        if let Some(s) = d.spans().copied().chain(ends).find(|s| s.end() > len) {
            return Err(out(s.start(), s.end()));
        }
        if d.relations.len() > d.versions.len() {
            return Err(ModelError::NoSuchVersion(d.relations.len() - 1));
        }
        Ok(())
    }

    /// Replaces all disagreements (each checked, then sorted); returns the old ones.
    pub(crate) fn replace_disagreements(
        &mut self,
        mut list: Vec<Disagreement>,
    ) -> Result<Vec<Disagreement>, ModelError> {
        for d in &list {
            self.check_disagreement(d)?;
        }
        list.sort_by_key(Disagreement::key);
        Ok(std::mem::replace(&mut self.disagreements, list))
    }

    /// Inserts a disagreement at `index`, which must be where the sort order puts it.
    pub(super) fn insert_disagreement(
        &mut self,
        index: usize,
        d: Disagreement,
    ) -> Result<(), ModelError> {
        self.check_disagreement(&d)?;
        let list = &self.disagreements;
        let fits = index <= list.len()
            && (index == 0 || list[index - 1].key() <= d.key())
            && list.get(index).is_none_or(|next| d.key() <= next.key());
        if !fits {
            return Err(ModelError::DisagreementOutOfOrder(index));
        }
        self.disagreements.insert(index, d);
        Ok(())
    }
}

fn no_such_span(span: &Span) -> ModelError {
    ModelError::NoSuchSpan {
        start: span.start(),
        end: span.end(),
    }
}
