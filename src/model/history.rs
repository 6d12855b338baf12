//! The undo history and the [`Workspace`] through which every change flows.

use std::sync::atomic::{AtomicU64, Ordering};

use super::{DocId, Edit, ModelError, Project, Status};

/// Source of revision numbers, shared by all workspaces so that no two states of any two
/// workspaces share one.
static REVISIONS: AtomicU64 = AtomicU64::new(1);

fn next_revision() -> u64 {
    REVISIONS.fetch_add(1, Ordering::Relaxed)
}

/// One user action: the edits that undo it, and a stable id naming the state it produced.
#[derive(Clone, Debug)]
struct Step {
    id: u64,
    description: String,
    /// Inverses of the applied edits, in application order.
    inverse: Vec<Edit>,
}

/// What an undo or redo did: its step's description, and where it last changed the
/// project, read from the edits it applied, so the view can follow (an undone resolve
/// shows that disagreement again, however the history was walked).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Moved {
    /// The step's description.
    pub description: String,
    /// The document the step changed last, if it changed one.
    pub doc: Option<DocId>,
    /// In that document, the disagreement the step put back (undo of a resolve), or the
    /// place of the one it resolved (redo: the next one there now has that index).
    pub disagreement: Option<usize>,
}

impl Moved {
    fn of(description: String, applied: &[Edit]) -> Self {
        let mut out = Self {
            description,
            doc: None,
            disagreement: None,
        };
        for edit in applied {
            if let Some(doc) = edit.document() {
                if out.doc != Some(doc) {
                    out.disagreement = None;
                }
                out.doc = Some(doc);
            }
            if let Edit::Resolve { index, .. } | Edit::Unresolve { index, .. } = edit {
                out.disagreement = Some(*index);
            }
        }
        out
    }
}

/// A project with its undo history. Each user action is one step; the dirty state is
/// derived by comparing the current state's id with the id saved last.
#[derive(Clone, Debug)]
pub struct Workspace {
    project: Project,
    undo: Vec<Step>,
    redo: Vec<Step>,
    next_id: u64,
    /// Id of the state last saved (0 is the initial state); `None` if that state is no
    /// longer reachable through undo/redo.
    saved: Option<u64>,
    /// Changes whenever the project does: a cheap key for caches of derived data.
    revision: u64,
}

impl Workspace {
    /// A workspace whose current state counts as saved.
    pub fn new(project: Project) -> Self {
        Self {
            project,
            undo: Vec::new(),
            redo: Vec::new(),
            next_id: 1,
            saved: Some(0),
            revision: next_revision(),
        }
    }

    /// A workspace whose state is not saved anywhere yet (e.g. restored from a recovery
    /// copy): dirty until saved.
    pub fn restored(project: Project) -> Self {
        Self {
            saved: None,
            ..Self::new(project)
        }
    }

    /// A number that changes whenever the project changes (edit, undo, redo), unique
    /// across workspaces: views key their caches of derived data on it.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// The project in its current state.
    pub fn project(&self) -> &Project {
        &self.project
    }

    /// Applies a user action made of `edits` as one undo step. If any edit fails, the
    /// ones before it are rolled back and the project is left as it was.
    pub fn apply(
        &mut self,
        description: impl Into<String>,
        edits: Vec<Edit>,
    ) -> Result<(), ModelError> {
        let before = span_counts(&self.project, &edits);
        let mut inverse = apply_all(&mut self.project, edits)?;
        inverse.extend(start_progress(&mut self.project, before));
        if inverse.is_empty() {
            return Ok(());
        }
        self.revision = next_revision();
        self.undo.push(Step {
            id: self.next_id,
            description: description.into(),
            inverse,
        });
        self.next_id += 1;
        // The redo branch is gone; if the saved state was on it, it is now unreachable.
        if let Some(saved) = self.saved
            && self.redo.iter().any(|s| s.id == saved)
        {
            self.saved = None;
        }
        self.redo.clear();
        Ok(())
    }

    /// Undoes the last step; returns what it did, `Ok(None)` if there is none, or the
    /// error if the step could not be reverted (the project is then as it was, and the
    /// step is dropped).
    pub fn undo(&mut self) -> Result<Option<Moved>, ModelError> {
        match self.undo.pop() {
            Some(step) => self.move_step(step, true).map(Some),
            None => Ok(None),
        }
    }

    /// Redoes the last undone step; returns what it did, `Ok(None)` if there is none, or
    /// the error if it could not be re-applied (the step is then dropped).
    pub fn redo(&mut self) -> Result<Option<Moved>, ModelError> {
        match self.redo.pop() {
            Some(step) => self.move_step(step, false).map(Some),
            None => Ok(None),
        }
    }

    fn move_step(&mut self, step: Step, undoing: bool) -> Result<Moved, ModelError> {
        // Inverses were recorded by applying valid edits, so re-applying them should not
        // fail; if it does, the project is restored, the step dropped and the error told.
        let Step {
            id,
            description,
            inverse,
        } = step;
        let edits: Vec<Edit> = inverse.into_iter().rev().collect();
        // Read before applying: the edits are consumed, and only their targets matter.
        let moved = Moved::of(description.clone(), &edits);
        let forward = apply_all(&mut self.project, edits)?;
        self.revision = next_revision();
        let step = Step {
            id,
            description,
            inverse: forward,
        };
        if undoing {
            self.redo.push(step);
        } else {
            self.undo.push(step);
        }
        Ok(moved)
    }

    /// Description of the step that undo would revert.
    pub fn undo_description(&self) -> Option<&str> {
        self.undo.last().map(|s| s.description.as_str())
    }

    /// Description of the step that redo would re-apply.
    pub fn redo_description(&self) -> Option<&str> {
        self.redo.last().map(|s| s.description.as_str())
    }

    /// Id of the current state: 0 initially, else the id of the last applied step. A
    /// background save records it with its copy of the project, so that
    /// [`Self::mark_saved_state`] marks exactly what was written.
    pub fn state_id(&self) -> u64 {
        self.undo.last().map_or(0, |s| s.id)
    }

    /// Whether the project differs from what was last saved (or loaded).
    pub fn is_dirty(&self) -> bool {
        self.saved != Some(self.state_id())
    }

    /// Records that the current state was written to disk.
    pub fn mark_saved(&mut self) {
        self.saved = Some(self.state_id());
    }

    /// Records that state `id` (taken with [`Self::state_id`] when a save began) was
    /// written to disk. Edits made while the save ran stay unsaved; if that state can no
    /// longer be reached by undo or redo, nothing on disk matches any reachable state.
    pub fn mark_saved_state(&mut self, id: u64) {
        let reachable = id == 0 || self.undo.iter().chain(&self.redo).any(|s| s.id == id);
        self.saved = reachable.then_some(id);
    }
}

/// The documents whose spans `edits` change and whose status they do not set, with
/// their span counts before: candidates for [`start_progress`].
fn span_counts(project: &Project, edits: &[Edit]) -> Vec<(DocId, usize)> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    let set_status: std::collections::HashSet<DocId> = edits
        .iter()
        .filter_map(|e| match e {
            Edit::SetStatus { doc, .. } => Some(*doc),
            _ => None,
        })
        .collect();
    for edit in edits {
        let doc = match edit {
            Edit::AddSpan { doc, .. }
            | Edit::SetSpans { doc, .. }
            | Edit::RestoreSpan { doc, .. }
            | Edit::Resolve { doc, .. } => *doc,
            _ => continue,
        };
        if set_status.contains(&doc) || !seen.insert(doc) {
            continue;
        }
        if let Some(d) = project.document(doc)
            && d.status == Status::Todo
        {
            out.push((doc, d.spans().len()));
        }
    }
    out
}

/// The rule for a document's status: a step that adds a span to a "todo" document (by
/// hand, a suggestion accepted one by one or in bulk, from the CLI, an adjudication)
/// makes it "in progress", in the same undo step; "done" is only ever the annotator's
/// call. Returns the inverses of the status edits made.
fn start_progress(project: &mut Project, before: Vec<(DocId, usize)>) -> Vec<Edit> {
    let mut inverse = Vec::new();
    for (doc, count) in before {
        let grew = project
            .document(doc)
            .is_some_and(|d| d.status == Status::Todo && d.spans().len() > count);
        if grew
            && let Ok(inv) = project.apply(Edit::SetStatus {
                doc,
                status: Status::InProgress,
            })
        {
            inverse.push(inv);
        }
    }
    inverse
}

/// Applies edits in order; on failure rolls back and returns the error.
fn apply_all(project: &mut Project, edits: Vec<Edit>) -> Result<Vec<Edit>, ModelError> {
    let mut inverse = Vec::with_capacity(edits.len());
    for edit in edits {
        match project.apply(edit) {
            Ok(inv) => inverse.push(inv),
            Err(e) => {
                for inv in inverse.into_iter().rev() {
                    // Inverses of edits just applied always apply.
                    let _ = project.apply(inv);
                }
                return Err(e);
            }
        }
    }
    Ok(inverse)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DocId, Document, LabelId, Span, Status, default_labels};
    use proptest::prelude::*;

    /// Two documents, the default labels, SPEAKER (QUOTE → PERSON or ORG) and LINK
    /// (any of the five default labels to any).
    fn ws() -> Workspace {
        let labels = default_labels();
        let any: Vec<LabelId> = (0..5).map(LabelId).collect();
        let mut types = crate::model::relation::default_relation_types(&labels);
        types.push(crate::model::RelationType {
            name: "LINK".into(),
            color: crate::model::PALETTE[2],
            hotkey: None,
            from: any.clone(),
            to: any,
        });
        let docs = vec![
            Document::new("a", "Zabihullah Mujahid spoke in Kabul."),
            Document::new("b", "東京 👍🏽 مرحبا"),
        ];
        Workspace::new(Project::with_types(labels, types, docs).unwrap())
    }

    /// The id of document `i` of the project built by [`ws`].
    fn d(w: &Workspace, i: usize) -> DocId {
        w.project().id_at(i).unwrap()
    }

    fn add(doc: DocId, s: usize, e: usize, l: u32) -> Edit {
        Edit::AddSpan {
            doc,
            span: Span::new(s, e, LabelId(l)).unwrap(),
        }
    }

    /// Issue 20: the first span added to a "todo" document makes it "in progress" in the
    /// same undo step; more spans, bulk adds and "done" follow the rule below.
    #[test]
    fn the_first_span_starts_a_todo_document_and_undo_restores_todo() {
        let mut w = ws();
        let (a, b) = (d(&w, 0), d(&w, 1));
        let status = |w: &Workspace, doc| w.project().document(doc).unwrap().status;
        assert_eq!(status(&w, a), Status::Todo);
        w.apply("label", vec![add(a, 0, 10, 0)]).unwrap();
        assert_eq!(status(&w, a), Status::InProgress);
        assert_eq!(status(&w, b), Status::Todo, "only the document that got it");
        w.undo().unwrap();
        assert_eq!(status(&w, a), Status::Todo, "one undo step with the span");
        assert!(w.project().document(a).unwrap().spans().is_empty());
        w.redo().unwrap();
        assert_eq!(status(&w, a), Status::InProgress);

        // "done" stays done when spans are added or removed.
        w.apply(
            "done",
            vec![Edit::SetStatus {
                doc: a,
                status: Status::Done,
            }],
        )
        .unwrap();
        w.apply("label", vec![add(a, 28, 33, 1)]).unwrap();
        assert_eq!(status(&w, a), Status::Done);

        // A bulk add (accept all, the CLI's --accept) counts: a span is a span.
        let spans = vec![Span::new(0, 2, LabelId(1)).unwrap()];
        w.apply(
            "accept all",
            vec![Edit::SetSpans {
                doc: b,
                spans,
                notes: None,
                relations: None,
            }],
        )
        .unwrap();
        assert_eq!(status(&w, b), Status::InProgress);
        w.undo().unwrap();
        assert_eq!(status(&w, b), Status::Todo);

        // A step that sets the status itself keeps the status it set.
        w.apply(
            "label and reset",
            vec![
                add(b, 0, 2, 1),
                Edit::SetStatus {
                    doc: b,
                    status: Status::Todo,
                },
            ],
        )
        .unwrap();
        assert_eq!(status(&w, b), Status::Todo);
    }

    /// A document id no project has: edits are generated with it, then aimed at a
    /// document of the project when they run (see [`Act::edits`]).
    fn unplaced() -> DocId {
        static ID: std::sync::OnceLock<DocId> = std::sync::OnceLock::new();
        *ID.get_or_init(|| Document::new("nowhere", "").id())
    }

    /// `edit` aimed at document `id` instead.
    fn retarget(edit: Edit, id: DocId) -> Edit {
        match edit {
            Edit::AddSpan { span, .. } => Edit::AddSpan { doc: id, span },
            Edit::RemoveSpan { span, .. } => Edit::RemoveSpan { doc: id, span },
            Edit::SetStatus { status, .. } => Edit::SetStatus { doc: id, status },
            Edit::SetSpans {
                spans,
                notes,
                relations,
                ..
            } => Edit::SetSpans {
                doc: id,
                spans,
                notes,
                relations,
            },
            Edit::SetNote { span, note, .. } => Edit::SetNote {
                doc: id,
                span,
                note,
            },
            Edit::Reject { span, .. } => Edit::Reject { doc: id, span },
            Edit::Unreject { span, .. } => Edit::Unreject { doc: id, span },
            other => other,
        }
    }

    /// A clone (a save's snapshot) shares every document; an edit afterwards copies
    /// only the document it changes and leaves the snapshot as it was.
    #[test]
    fn an_edit_after_a_snapshot_leaves_the_snapshot_alone() {
        use std::sync::Arc;
        let mut w = ws();
        let snapshot = w.project().clone();
        let shared = |a: &Project, b: &Project| -> Vec<bool> {
            let pairs = a.documents().iter().zip(b.documents());
            pairs.map(|(x, y)| Arc::ptr_eq(x, y)).collect()
        };
        assert_eq!(shared(&snapshot, w.project()), [true, true]);
        let first = d(&w, 0);
        w.apply("Add PERSON", vec![add(first, 0, 18, 0)]).unwrap();
        assert!(snapshot.documents()[0].spans().is_empty());
        assert_eq!(w.project().documents()[0].spans().len(), 1);
        // Only the edited document was copied, and it kept its id.
        assert_eq!(shared(&snapshot, w.project()), [false, true]);
        assert_eq!(snapshot.id_at(0), Some(first));
        assert_eq!(snapshot.document(first).map(|d| d.spans().len()), Some(0));
        // Removing a document the snapshot holds leaves it there too.
        w.apply("Remove", vec![Edit::RemoveDocuments { ids: vec![first] }])
            .unwrap();
        assert_eq!(snapshot.documents().len(), 2);
        w.undo().unwrap();
        w.undo().unwrap();
        assert_eq!(w.project(), &snapshot);
        assert_eq!(w.project().id_at(0), Some(first));
    }

    #[test]
    fn undo_redo_and_dirty() {
        let mut w = ws();
        let initial = w.project().clone();
        assert!(!w.is_dirty());
        w.apply("Add PERSON", vec![add(d(&w, 0), 0, 18, 0)])
            .unwrap();
        assert!(w.is_dirty());
        let after = w.project().clone();
        assert_eq!(
            w.undo().unwrap().map(|m| m.description).as_deref(),
            Some("Add PERSON")
        );
        assert_eq!(w.project(), &initial);
        assert!(!w.is_dirty());
        w.redo().unwrap();
        assert_eq!(w.project(), &after);
        w.mark_saved();
        assert!(!w.is_dirty());
        w.undo().unwrap();
        assert!(w.is_dirty());
        // A new branch makes the saved state unreachable: dirty for good.
        w.apply("Add PLACE", vec![add(d(&w, 0), 28, 33, 1)])
            .unwrap();
        assert!(w.is_dirty());
        w.undo().unwrap();
        assert!(w.is_dirty());
    }

    #[test]
    fn a_save_marks_the_state_it_wrote_not_later_edits() {
        let mut w = ws();
        w.apply("Add PERSON", vec![add(d(&w, 0), 0, 18, 0)])
            .unwrap();
        // A background save takes its copy here...
        let saving = w.state_id();
        // ...and the user goes on while it runs.
        w.apply("Add PLACE", vec![add(d(&w, 0), 28, 33, 1)])
            .unwrap();
        w.mark_saved_state(saving);
        assert!(w.is_dirty(), "the edit made during the save is not on disk");
        w.undo().unwrap();
        assert!(!w.is_dirty(), "undoing it returns to what was saved");
        // The saved state gone for good (undone, then a new branch): dirty whatever happens.
        w.undo().unwrap();
        w.apply("Add DATE", vec![add(d(&w, 0), 0, 5, 2)]).unwrap();
        w.mark_saved_state(saving);
        assert!(w.is_dirty());
        w.undo().unwrap();
        assert!(w.is_dirty());
    }

    #[test]
    fn failed_action_rolls_back() {
        let mut w = ws();
        let before = w.project().clone();
        let err = w.apply(
            "bad",
            vec![add(d(&w, 0), 0, 5, 0), add(d(&w, 0), 0, 500, 0)],
        );
        assert!(matches!(err, Err(ModelError::SpanOutOfBounds { .. })));
        assert_eq!(w.project(), &before);
        assert!(matches!(w.undo(), Ok(None)));
        // Duplicates are refused.
        w.apply("a", vec![add(d(&w, 0), 0, 5, 0)]).unwrap();
        assert!(matches!(
            w.apply("a", vec![add(d(&w, 0), 0, 5, 0)]),
            Err(ModelError::DuplicateSpan { .. })
        ));
        assert!(matches!(
            w.apply("a", vec![add(d(&w, 0), 0, 5, 99)]),
            Err(ModelError::UnknownLabel(99))
        ));
    }

    /// An edit of a document, made for [`unplaced`] (aimed at one when it runs), or of the
    /// labels or settings. Label ids are raw: some name no label, some a deleted one.
    fn arb_edit() -> impl Strategy<Value = Edit> {
        let x = unplaced();
        prop_oneof![
            4 => (0usize..40, 1usize..10, 0u32..8).prop_map(move |(s, l, lab)| add(x, s, s + l, lab)),
            2 => (0usize..40, 1usize..10, 0u32..8).prop_map(move |(s, l, lab)| Edit::RemoveSpan {
                doc: x,
                span: Span::new(s, s + l, LabelId(lab)).unwrap()
            }),
            1 => (0usize..3).prop_map(move |k| Edit::SetStatus { doc: x, status: Status::ALL[k] }),
            1 => (0u32..8, "[A-Z]{1,3}", proptest::option::of(proptest::char::range('0', '9'))).prop_map(|(id, name, hotkey)| Edit::SetLabel {
                id: LabelId(id), label: crate::model::Label { name, color: crate::model::PALETTE[1], hotkey } }),
            1 => (0u32..8, 0usize..7).prop_map(|(id, to)| Edit::MoveLabel { id: LabelId(id), to }),
            1 => (proptest::collection::vec((0usize..40, 1usize..10, 0u32..8, arb_note()), 0..5), any::<bool>()).prop_map(move |(v, keep)| {
                let spans: Vec<Span> = v.iter().map(|&(s, l, lab, _)| Span::new(s, s + l, LabelId(lab)).unwrap()).collect();
                // Either the notes of the spans that stay, or exactly these notes.
                let notes = (!keep).then(|| spans.iter().zip(v).filter_map(|(s, (.., n))| n.map(|n| (*s, n))).collect());
                Edit::SetSpans { doc: x, spans, notes, relations: None }
            }),
            1 => (0usize..40, 1usize..10, 0u32..8, arb_note()).prop_map(move |(s, l, lab, note)| Edit::SetNote {
                doc: x, span: Span::new(s, s + l, LabelId(lab)).unwrap(), note }),
            2 => (0usize..40, 1usize..10, 0u32..8).prop_map(move |(s, l, lab)| Edit::Reject {
                doc: x, span: Span::new(s, s + l, LabelId(lab)).unwrap() }),
            1 => (0usize..40, 1usize..10, 0u32..8).prop_map(move |(s, l, lab)| Edit::Unreject {
                doc: x, span: Span::new(s, s + l, LabelId(lab)).unwrap() }),
            1 => (any::<bool>(), any::<bool>()).prop_map(|(learned, ignore_case)| Edit::SetSuggestSettings(
                crate::model::suggest::SuggestSettings { learned, ignore_case, ..Default::default() })),
        ]
    }

    /// A note or none; blank ones too, which must count as none.
    fn arb_note() -> impl Strategy<Value = Option<String>> {
        proptest::option::of(prop_oneof!["\\PC{1,12}", "[ \\n]{0,2}", "a\"b\nc 👍🏽"])
    }

    /// A step of a random session: an edit aimed at the document at a place (past the
    /// end: at none), or an edit aimed at a span, a document or a label the project has
    /// (random ids rarely hit one), resolved against the project when it runs.
    #[derive(Clone, Debug)]
    enum Act {
        Edit(usize, Edit),
        /// Set the note of span `k % len` of document `doc`.
        NoteNth(usize, usize, Option<String>),
        /// Remove span `k % len` of document `doc`.
        RemoveNth(usize, usize),
        /// Relabel span `k % len` of document `doc` (keeping its note) with the label at
        /// a place.
        RelabelNth(usize, usize, usize),
        /// Delete the label at a place, with its spans and rejections.
        DeleteLabel(usize),
        /// Move the label at a place to another.
        MoveLabel(usize, usize),
        /// Add a label.
        AddLabel(String),
        /// Remove the last labels (refused while in use).
        RemoveLastLabels(usize),
        /// Insert a document at a place (clamped), its name made unique.
        InsertDoc(usize, String),
        /// Remove the document at a place, if there is one.
        RemoveDoc(usize),
        /// Link span `a % len` to span `b % len` of a document, with the type at a place.
        Link(usize, usize, usize, usize),
        /// Remove relation `k % len` of a document.
        Unlink(usize, usize),
        /// Delete the relation type at a place, with its relations.
        DeleteType(usize),
        /// Move the relation type at a place to another.
        MoveType(usize, usize),
        /// Let the relation type at a place link only the labels at these places (refused
        /// while relations of it would no longer fit).
        Retype(usize, usize, usize),
        /// Add a relation type from and to the label at a place.
        AddType(String, usize),
        /// Add a span that fits: at `start % len` of a document, with the label at a
        /// place (random edits rarely make one; relations need them).
        AddFitting(usize, usize, usize, usize),
    }

    impl Act {
        fn edits(self, p: &Project) -> Vec<Edit> {
            let id = |doc: usize| p.id_at(doc).unwrap_or_else(unplaced);
            let nth = |doc: usize, k: usize| {
                let spans = p
                    .documents()
                    .get(doc)
                    .map(|d| d.spans().as_slice())
                    .unwrap_or(&[]);
                (!spans.is_empty()).then(|| spans[k % spans.len()])
            };
            let label = |i: usize| p.label_at(i).unwrap_or(LabelId(99));
            match self {
                Act::Edit(doc, e) => vec![retarget(e, id(doc))],
                Act::NoteNth(doc, k, note) => nth(doc, k)
                    .map(|span| {
                        vec![Edit::SetNote {
                            doc: id(doc),
                            span,
                            note,
                        }]
                    })
                    .unwrap_or_default(),
                Act::RemoveNth(doc, k) => nth(doc, k)
                    .map(|span| vec![Edit::RemoveSpan { doc: id(doc), span }])
                    .unwrap_or_default(),
                Act::RelabelNth(doc, k, l) => nth(doc, k)
                    .map(|span| p.relabel_edits(id(doc), span, label(l)).0)
                    .unwrap_or_default(),
                Act::DeleteLabel(l) => p.delete_label_edits(label(l)),
                Act::MoveLabel(l, to) => vec![Edit::MoveLabel { id: label(l), to }],
                Act::AddLabel(name) => vec![
                    p.add_labels_edit(vec![crate::model::Label {
                        name,
                        color: crate::model::PALETTE[0],
                        hotkey: None,
                    }])
                    .0,
                ],
                Act::RemoveLastLabels(n) => {
                    let ids: Vec<LabelId> = p.label_ids().collect();
                    vec![Edit::RemoveLabels {
                        ids: ids[ids.len().saturating_sub(n)..].to_vec(),
                    }]
                }
                Act::InsertDoc(at, text) => {
                    let docs = p.with_unique_names(vec![Document::new("n", text)]);
                    let at = at.min(p.documents().len());
                    vec![Edit::InsertDocuments {
                        docs: docs.into_iter().map(|d| (at, d)).collect(),
                    }]
                }
                Act::Link(doc, a, b, t) => {
                    let spans = p
                        .documents()
                        .get(doc)
                        .map(|d| d.spans().as_slice())
                        .unwrap_or(&[]);
                    let kind = p
                        .relation_type_entries()
                        .nth(t)
                        .map_or(crate::model::RelationTypeId(9), |(id, _)| id);
                    match (
                        spans.is_empty(),
                        spans.get(a % spans.len().max(1)),
                        spans.get(b % spans.len().max(1)),
                    ) {
                        (false, Some(&x), Some(&y)) => crate::model::Relation::new(x, y, kind)
                            .map(|relation| {
                                vec![Edit::AddRelation {
                                    doc: id(doc),
                                    relation,
                                }]
                            })
                            .unwrap_or_default(),
                        _ => vec![],
                    }
                }
                Act::Unlink(doc, k) => p
                    .documents()
                    .get(doc)
                    .and_then(|d| {
                        d.relations()
                            .iter()
                            .nth(k % d.relations().len().max(1))
                            .copied()
                    })
                    .map(|relation| {
                        vec![Edit::RemoveRelation {
                            doc: id(doc),
                            relation,
                        }]
                    })
                    .unwrap_or_default(),
                Act::DeleteType(t) => p
                    .relation_type_entries()
                    .nth(t)
                    .map(|(tid, _)| p.delete_relation_type_edits(tid))
                    .unwrap_or_default(),
                Act::MoveType(t, to) => p
                    .relation_type_entries()
                    .nth(t)
                    .map(|(tid, _)| vec![Edit::MoveRelationType { id: tid, to }])
                    .unwrap_or_default(),
                Act::Retype(t, from, to) => match p.relation_type_entries().nth(t) {
                    Some((tid, kind)) => vec![Edit::SetRelationType {
                        id: tid,
                        kind: crate::model::RelationType {
                            from: vec![label(from)],
                            to: vec![label(to)],
                            ..kind.clone()
                        },
                    }],
                    None => vec![],
                },
                Act::AddType(name, l) => vec![
                    p.add_relation_types_edit(vec![crate::model::RelationType {
                        name,
                        color: crate::model::PALETTE[3],
                        hotkey: None,
                        from: vec![label(l)],
                        to: vec![label(l)],
                    }])
                    .0,
                ],
                Act::AddFitting(doc, start, len, l) => match p.documents().get(doc) {
                    Some(d) if d.text().char_len() > 1 => {
                        let n = d.text().char_len();
                        let s = start % (n - 1);
                        let e = (s + 1 + len).min(n);
                        vec![Edit::AddSpan {
                            doc: id(doc),
                            span: Span::new(s, e, label(l)).unwrap(),
                        }]
                    }
                    _ => vec![],
                },
                Act::RemoveDoc(at) => p
                    .id_at(at)
                    .map(|id| vec![Edit::RemoveDocuments { ids: vec![id] }])
                    .unwrap_or_default(),
            }
        }
    }

    fn arb_act() -> impl Strategy<Value = Act> {
        prop_oneof![
            10 => (0usize..4, arb_edit()).prop_map(|(d, e)| Act::Edit(d, e)),
            3 => (0usize..3, any::<usize>(), arb_note()).prop_map(|(d, k, n)| Act::NoteNth(d, k, n)),
            1 => (0usize..3, any::<usize>()).prop_map(|(d, k)| Act::RemoveNth(d, k)),
            1 => (0usize..3, any::<usize>(), 0usize..7).prop_map(|(d, k, l)| Act::RelabelNth(d, k, l)),
            1 => (0usize..7).prop_map(Act::DeleteLabel),
            1 => (0usize..7, 0usize..7).prop_map(|(l, to)| Act::MoveLabel(l, to)),
            1 => "[A-Z]{1,3}".prop_map(Act::AddLabel),
            1 => (0usize..3).prop_map(Act::RemoveLastLabels),
            1 => (0usize..4, "\\PC{0,30}").prop_map(|(at, t)| Act::InsertDoc(at, t)),
            1 => (0usize..4).prop_map(Act::RemoveDoc),
            8 => (0usize..2, any::<usize>(), any::<usize>(), 0usize..3).prop_map(|(d, a, b, t)| Act::Link(d, a, b, t)),
            1 => (0usize..3, any::<usize>()).prop_map(|(d, k)| Act::Unlink(d, k)),
            1 => (0usize..3).prop_map(Act::DeleteType),
            1 => (0usize..3, 0usize..3).prop_map(|(t, to)| Act::MoveType(t, to)),
            1 => (0usize..3, 0usize..6, 0usize..6).prop_map(|(t, a, b)| Act::Retype(t, a, b)),
            1 => ("[A-Z]{1,3}", 0usize..6).prop_map(|(n, l)| Act::AddType(n, l)),
            6 => (0usize..2, any::<usize>(), 0usize..8, 0usize..5).prop_map(|(d, s, n, l)| Act::AddFitting(d, s, n, l)),
        ]
    }

    /// Every relation links two spans of its document, of a type that exists and allows
    /// their labels; every type allows only labels the project has.
    fn relations_sound(p: &Project) -> Result<(), TestCaseError> {
        for d in p.documents() {
            for r in d.relations().iter() {
                prop_assert!(d.spans().contains(&r.from()), "{:?}: no start span", r);
                prop_assert!(d.spans().contains(&r.to()), "{:?}: no end span", r);
                prop_assert!(
                    p.check_relation(r).is_ok(),
                    "{:?}: {:?}",
                    r,
                    p.check_relation(r)
                );
            }
        }
        for t in p.relation_types() {
            prop_assert!(
                t.from.iter().chain(&t.to).all(|l| p.label(*l).is_some()),
                "{:?}",
                t
            );
        }
        Ok(())
    }

    /// Every note belongs to a span of its document and is not blank; every rejection has
    /// a label of the project and lies in its text.
    fn notes_sound(p: &Project) -> Result<(), TestCaseError> {
        for d in p.documents() {
            for r in d.rejected() {
                prop_assert!(
                    p.label(r.label()).is_some(),
                    "rejection {:?} lost its label",
                    r
                );
                prop_assert!(r.end() <= d.text().char_len());
            }
            for (span, note) in d.note_keys() {
                prop_assert!(
                    d.spans().contains(span),
                    "note {:?} on missing span {:?}",
                    note,
                    span
                );
                prop_assert!(!note.trim().is_empty(), "blank note on {:?}", span);
            }
        }
        Ok(())
    }

    /// Equal, and with the same identities: every document has the id it had in `want`
    /// (undo, redo and refused edits never give a document another id).
    fn same(got: &Project, want: &Project) -> Result<(), TestCaseError> {
        prop_assert_eq!(got, want);
        let ids = |p: &Project| p.documents().iter().map(|d| d.id()).collect::<Vec<_>>();
        prop_assert_eq!(ids(got), ids(want));
        Ok(())
    }

    /// The label name of every span, per document: what relabelling must never change.
    fn span_label_names(p: &Project) -> Vec<Vec<(usize, usize, String)>> {
        p.documents()
            .iter()
            .map(|d| {
                let mut v: Vec<_> = d
                    .spans()
                    .iter()
                    .map(|s| {
                        (
                            s.start(),
                            s.end(),
                            p.label(s.label())
                                .map(|l| l.name.clone())
                                .unwrap_or_default(),
                        )
                    })
                    .collect();
                v.sort();
                v
            })
            .collect()
    }

    proptest! {
        /// Moving a label keeps every span on the label of the same name, and moves the
        /// label list exactly like a Vec remove + insert (the naive oracle).
        #[test]
        fn moving_a_label_keeps_spans_on_their_label(
            spans in proptest::collection::vec((0usize..30, 1usize..8, 0u32..5), 0..20),
            moves in proptest::collection::vec((0usize..5, 0usize..5), 1..4),
        ) {
            let spans = spans.into_iter().map(|(s, l, lab)| Span::new(s, s + l, LabelId(lab)).unwrap()).collect();
            let doc = Document::with_spans("d", "x".repeat(40), spans).unwrap();
            let mut w = Workspace::new(Project::with_documents(vec![doc]));
            let before = span_label_names(w.project());
            let mut names: Vec<String> = w.project().labels().iter().map(|l| l.name.clone()).collect();
            for &(from, to) in &moves {
                let moved = names.remove(from);
                names.insert(to, moved);
                let id = w.project().label_at(from).unwrap();
                w.apply("move", vec![Edit::MoveLabel { id, to }]).unwrap();
            }
            let after: Vec<String> = w.project().labels().iter().map(|l| l.name.clone()).collect();
            prop_assert_eq!(after, names);
            prop_assert_eq!(span_label_names(w.project()), before.clone());
            // Ids name the same labels whatever the order.
            for (id, l) in w.project().label_entries() {
                prop_assert_eq!(&default_labels()[id.0 as usize].name, &l.name);
            }
            while w.undo().unwrap().is_some() {}
            prop_assert_eq!(span_label_names(w.project()), before);
        }
    }

    #[test]
    fn label_edits_refuse_conflicts_and_delete_is_one_undo_step() {
        let mut w = ws();
        w.apply("a", vec![add(d(&w, 0), 0, 18, 0), add(d(&w, 0), 28, 33, 1)])
            .unwrap();
        let doc = d(&w, 0);
        let person = w.project().labels()[0].clone();
        let rename = |name: &str, hotkey| Edit::SetLabel {
            id: LabelId(0),
            label: crate::model::Label {
                name: name.into(),
                hotkey,
                ..person.clone()
            },
        };
        assert!(matches!(
            w.apply("r", vec![rename("PLACE", Some('1'))]),
            Err(ModelError::DuplicateLabel(_))
        ));
        assert!(matches!(
            w.apply("r", vec![rename("  ", Some('1'))]),
            Err(ModelError::EmptyLabelName)
        ));
        assert!(matches!(
            w.apply("r", vec![rename("PER", Some('2'))]),
            Err(ModelError::HotkeyTaken { key: '2', .. })
        ));
        w.apply("r", vec![rename(" PER ", Some('0'))]).unwrap();
        assert_eq!(w.project().labels()[0].name, "PER");
        assert_eq!(w.project().label_for_key('0'), Some(LabelId(0)));
        // Rejections: one of the label to delete (it goes), one of PLACE (it follows).
        let rejected = |l| Edit::Reject {
            doc,
            span: Span::new(0, 4, LabelId(l)).unwrap(),
        };
        w.apply("reject", vec![rejected(0), rejected(1)]).unwrap();
        let before = w.project().clone();
        assert_eq!(w.project().label_use(LabelId(0)), 1);
        let edits = w.project().delete_label_edits(LabelId(0));
        w.apply("delete PER", edits).unwrap();
        assert_eq!(w.project().labels().len(), 4);
        assert_eq!(w.project().labels()[0].name, "PLACE");
        let doc = &w.project().documents()[0];
        let kept: Vec<&Span> = doc.rejected().iter().collect();
        // PLACE keeps its id: ids are not places.
        assert_eq!(kept, [&Span::new(0, 4, LabelId(1)).unwrap()]);
        assert_eq!(w.project().label(LabelId(0)), None);
        assert_eq!(doc.spans().len(), 1);
        assert_eq!(
            w.project()
                .label(doc.spans().as_slice()[0].label())
                .unwrap()
                .name,
            "PLACE"
        );
        w.undo().unwrap();
        assert_eq!(w.project(), &before);
    }

    proptest! {
        /// Random actions (notes too), then undo all → the initial project; redo all →
        /// the final one. No note ever points at a missing span, whatever is applied,
        /// refused, undone or redone.
        #[test]
        fn undo_redo_identity(actions in proptest::collection::vec(proptest::collection::vec(arb_act(), 1..4), 0..30)) {
            let mut w = ws();
            let initial = w.project().clone();
            let mut states = vec![initial.clone()];
            for acts in actions {
                let before = w.project().clone();
                let step = w.state_id();
                let edits: Vec<Edit> = acts.into_iter().flat_map(|a| a.edits(&before)).collect();
                match w.apply("x", edits) {
                    // No edits (no span to aim at) make no undo step.
                    Ok(()) if w.state_id() == step => same(w.project(), &before)?,
                    Ok(()) => states.push(w.project().clone()),
                    Err(_) => same(w.project(), &before)?,
                }
                notes_sound(w.project())?;
                relations_sound(w.project())?;
            }
            let last = w.project().clone();
            let mut back = states.len() - 1;
            while w.undo().map_err(|e| TestCaseError::fail(e.to_string()))?.is_some() {
                back -= 1;
                same(w.project(), &states[back])?;
                notes_sound(w.project())?;
                relations_sound(w.project())?;
            }
            same(w.project(), &initial)?;
            prop_assert!(!w.is_dirty());
            while w.redo().map_err(|e| TestCaseError::fail(e.to_string()))?.is_some() {
                notes_sound(w.project())?;
                relations_sound(w.project())?;
            }
            same(w.project(), &last)?;
        }
    }
}
