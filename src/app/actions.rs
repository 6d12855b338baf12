//! Carrying out actions: everything that changes the project or the view state comes
//! through [`SpanmarkApp::apply`].

use eframe::egui::{self, ViewportCommand};

use super::SpanmarkApp;
use super::file_dialogs::{self, no_dialog_hint};
use super::guard::Guard;
use super::jobs::{Done, Expected, Kind};
use super::modal::{ExportDialog, Modal};
use crate::io::{
    self,
    export::{Format, Scheme},
};
use crate::model::{
    DocId, Edit, LabelId, ModelError, Moved, Project, Span, Status, occurrences, text::ellipsize,
};
use crate::ui::{Action, PathPurpose, Selection};

impl SpanmarkApp {
    /// Carries out one action. An action that would throw away unsaved changes asks
    /// first; everything that changes the project comes through here.
    pub fn apply(&mut self, ctx: &egui::Context, action: Action) {
        if Guard::guards(&action) && self.ws.is_dirty() {
            self.guard = Guard::Asking(action);
            return;
        }
        self.perform(ctx, action);
    }

    /// Carries out an action without asking about unsaved changes (the user answered).
    pub(super) fn perform(&mut self, ctx: &egui::Context, action: Action) {
        match action {
            Action::ApplyLabel(label) => self.apply_label(label),
            Action::DeleteSelectedSpan => self.delete_selected_span(),
            Action::ClearSelection => {
                self.view.selection = None;
                self.view.selected_span = None;
            }
            Action::SelectSpan { span, scroll } => {
                self.view.selection = None;
                self.view.selected_span = Some(span);
                if scroll {
                    self.view.scroll_to(span.start());
                }
            }
            Action::SetNote { doc, span, note } => self.set_note(doc, span, note),
            Action::DeleteDocument(id) => self.delete_document(id),
            Action::SelectDocument(id) => self.show_document(id),
            Action::SetStatus(doc, status) => {
                let _ = self.edit(
                    format!("set status to {}", status.as_str()),
                    vec![Edit::SetStatus { doc, status }],
                );
            }
            Action::Undo => {
                let done = self.ws.undo();
                self.after_history(done, "Undid", "Nothing to undo.");
            }
            Action::Redo => {
                let done = self.ws.redo();
                self.after_history(done, "Redid", "Nothing to redo.");
            }
            Action::New => {
                let project =
                    Project::new(self.default_labels.clone(), Vec::new()).unwrap_or_default();
                self.replace_project(project, None);
                self.status = "New project: add documents with File › Add documents…".to_string();
            }
            Action::Open if !file_dialogs::native() => {
                self.perform(ctx, Action::PromptPath(PathPurpose::Open));
            }
            Action::Open => match file_dialogs::open_project() {
                Some(path) => self.open_path(ctx, path),
                None => self.status = no_dialog_hint("Open path…"),
            },
            Action::OpenPath(path) => self.open_path(ctx, path),
            Action::Save => match self.path.clone() {
                Some(p) => self.save_to(ctx, p),
                None => self.perform(ctx, Action::SaveAs),
            },
            Action::SaveAs if !file_dialogs::native() => {
                self.perform(ctx, Action::PromptPath(PathPurpose::Save));
            }
            Action::SaveAs => {
                let stem = file_dialogs::default_stem(self.path(), self.ws.project());
                match file_dialogs::save_project(format!("{stem}.ron")) {
                    Some(path) => self.save_to(ctx, path),
                    None => {
                        self.guard.save_abandoned();
                        self.status = no_dialog_hint("Save to path…");
                    }
                }
            }
            Action::SaveToPath(path) => self.save_to(ctx, path),
            Action::AddDocuments | Action::Import if !file_dialogs::native() => {
                self.perform(ctx, Action::PromptPath(PathPurpose::AddDocuments));
            }
            Action::AddDocuments | Action::Import => {
                let chosen = if action == Action::Import {
                    file_dialogs::import_files()
                } else {
                    file_dialogs::text_files()
                };
                match chosen {
                    Some(paths) => self.add_documents(ctx, paths),
                    None => self.status = no_dialog_hint("Add documents from path…"),
                }
            }
            Action::AddDocumentPaths(paths) => self.add_documents(ctx, paths),
            Action::Export => {
                let format = self
                    .modals
                    .iter()
                    .find_map(|m| match m {
                        Modal::Export(d) => Some(d.format),
                        _ => None,
                    })
                    .unwrap_or(Format::Jsonl);
                self.modals.retain(|m| !matches!(m, Modal::Export(_)));
                self.modals.push(Modal::Export(ExportDialog {
                    format,
                    scheme: Scheme::Iob2,
                    path: file_dialogs::default_export_path(
                        &file_dialogs::default_stem(self.path(), self.ws.project()),
                        format,
                    ),
                }));
            }
            Action::ExportTo {
                format,
                scheme,
                path,
            } => self.export_to(ctx, (format, scheme), path, false),
            Action::PromptPath(purpose) => {
                let text = match (&self.path, purpose) {
                    (Some(p), PathPurpose::Save) => p.display().to_string(),
                    // A name proposed, as a save dialog does.
                    (None, PathPurpose::Save) => file_dialogs::default_save_path(
                        &file_dialogs::default_stem(None, self.ws.project()),
                    ),
                    _ => format!("{}/", file_dialogs::saves_dir().display()),
                };
                self.modals.push(Modal::Path { purpose, text });
            }
            Action::Quit => {
                self.allow_close = true;
                ctx.send_viewport_cmd(ViewportCommand::Close);
            }
            Action::Find => self.find.open(),
            Action::FindNext | Action::FindPrevious | Action::FindChanged
                if self.find.query.is_empty() =>
            {
                self.find.open();
            }
            Action::FindNext | Action::FindPrevious | Action::FindChanged => {
                self.find_step(action != Action::FindPrevious);
            }
            Action::CloseFind => self.find.close(),
            Action::QuickOpen
            | Action::FindAll
            | Action::FindAllRun(_)
            | Action::CloseFindAll
            | Action::GoToMatch(_)
            | Action::LabelResults(_) => self.perform_reach(ctx, action),
            Action::StepSpan { forward } => self.step_span(forward),
            Action::DoneAndNext => self.done_and_next(),
            Action::LabelAllOccurrences { everywhere } => self.ask_label_all(everywhere),
            Action::LabelAllConfirmed { everywhere } => self.label_all(everywhere),
            Action::OpenLabels => self.labels.open = true,
            Action::OpenLabelPicker => self.picker.open(),
            Action::ImportLabels if !file_dialogs::native() => {
                self.perform(ctx, Action::PromptPath(PathPurpose::ImportLabels));
            }
            Action::ImportLabels => match file_dialogs::label_set() {
                Some(path) => self.import_labels(ctx, path),
                None => self.status = no_dialog_hint("Edit › Labels… › Import from path…"),
            },
            Action::ImportLabelsFrom(path) => self.import_labels(ctx, path),
            Action::UseLabelsForNewProjects => {
                self.default_labels = self.ws.project().labels().to_vec();
                self.status = format!(
                    "New projects start with these {} labels.",
                    self.default_labels.len()
                );
            }
            Action::BuiltInLabelsForNewProjects => {
                self.default_labels = crate::model::default_labels();
                self.status = "New projects start with the built-in labels.".to_string();
            }
            Action::OpenStats => self.stats.open = true,
            Action::AddLabel(label) => {
                let name = label.name.clone();
                let (edit, _) = self.ws.project().add_labels_edit(vec![label]);
                if self.edit(format!("add label {name}"), vec![edit]).is_ok() {
                    self.status = format!("Added label {name}.");
                }
            }
            Action::SetLabel { id, label } => self.set_label(id, label),
            Action::MoveLabel { id, to } => {
                // Spans name labels by id: the selection stays as it is.
                let _ = self.edit(
                    "reorder labels".to_string(),
                    vec![Edit::MoveLabel { id, to }],
                );
            }
            Action::DeleteLabel(id) => {
                if let Some(label) = self.ws.project().label(id) {
                    self.modals.push(Modal::DeleteLabel {
                        id,
                        name: label.name.clone(),
                        spans: self.ws.project().label_use(id),
                    });
                }
            }
            Action::CompareAnnotators => self.choose_annotators(ctx),
            Action::ComparePaths(paths) => self.compare_paths(ctx, paths),
            Action::OpenAgreement => self.compare.agreement.open = true,
            Action::StepDisagreement { forward } => self.step_disagreement(forward),
            Action::SelectDisagreement(i) => self.select_disagreement(i),
            Action::Adjudicate(choice) => self.adjudicate(choice),
            Action::DeleteLabelConfirmed(id) => {
                let Some(name) = self.ws.project().label(id).map(|l| l.name.clone()) else {
                    return;
                };
                let edits = self.ws.project().delete_label_edits(id);
                if self.edit(format!("delete label {name}"), edits).is_ok() {
                    self.view.selected_span = None;
                    self.status = format!("Deleted label {name} (Ctrl+Z brings it back).");
                }
            }
            Action::SelectSuggestion { .. }
            | Action::AcceptSuggestion
            | Action::RejectSuggestion
            | Action::StepSuggestion { .. }
            | Action::AcceptAllSuggestions { .. }
            | Action::AcceptAllConfirmed { .. }
            | Action::SetSuggestSettings { .. }
            | Action::AddRuleFile(_)
            | Action::AddRuleFileFrom { .. }
            | Action::AddRuleSet(_)
            | Action::AskCommand
            | Action::RunCommand(_)
            | Action::MapCommandLabel { .. }
            | Action::RunCommandAgain
            | Action::SetMinScore(_)
            | Action::SetConfidentFirst(_)
            | Action::CancelCommand => self.perform_suggestion(ctx, action),
            Action::StartLink
            | Action::StepLinkTarget { .. }
            | Action::LinkTo(_)
            | Action::LinkToTarget
            | Action::CancelLink
            | Action::Link(_)
            | Action::SelectRelation { .. }
            | Action::DeleteRelation(_)
            | Action::ChangeRelationType { .. }
            | Action::AcceptRelationSuggestion
            | Action::RejectRelationSuggestion
            | Action::RelabelConfirmed { .. }
            | Action::AddRelationType(_)
            | Action::SetRelationType { .. }
            | Action::MoveRelationType { .. }
            | Action::DeleteRelationType(_)
            | Action::DeleteRelationTypeConfirmed(_) => self.perform_relation(action),
        }
    }

    fn step_span(&mut self, forward: bool) {
        let Some(doc) = self.current_doc() else {
            return;
        };
        let spans = doc.spans().as_slice();
        if spans.is_empty() {
            self.status = "This document has no spans yet.".to_string();
            return;
        }
        // Spans are sorted by start: from the selected span, else from the selection or
        // the top of the screen.
        let n = spans.len();
        let next = match self
            .view
            .selected_span
            .and_then(|s| spans.iter().position(|x| *x == s))
        {
            Some(i) if forward => (i + 1) % n,
            Some(i) => (i + n - 1) % n,
            None => {
                let from = self.search_from();
                let at = spans.partition_point(|s| s.start() < from);
                if forward { at % n } else { (at + n - 1) % n }
            }
        };
        let span = spans[next];
        self.view.selection = None;
        self.view.selected_span = Some(span);
        self.view.reveal(span.start(), span.end());
    }

    fn done_and_next(&mut self) {
        let project = self.ws.project();
        let n = project.documents().len();
        if n == 0 {
            return;
        }
        let Some(doc) = self.current else {
            return;
        };
        if project
            .document(doc)
            .is_some_and(|d| d.status != Status::Done)
        {
            let _ = self.edit(
                "mark done".to_string(),
                vec![Edit::SetStatus {
                    doc,
                    status: Status::Done,
                }],
            );
        }
        let project = self.ws.project();
        let here = project.position(doc).unwrap_or(0);
        let docs = project.documents();
        let todo = (1..n)
            .map(|k| &docs[(here + k) % n])
            .find(|d| d.status != Status::Done)
            .map(|d| (d.id(), d.name.clone()));
        match todo {
            Some((id, name)) => {
                self.show_document(id);
                self.status = format!("Marked done; now {name}.");
            }
            None => self.status = "Marked done. Every document is done.".to_string(),
        }
    }

    /// Reads a label set in the job queue; see [`Self::finish_import_labels`].
    fn import_labels(&mut self, ctx: &egui::Context, path: std::path::PathBuf) {
        let title = format!("Reading {}", path.display());
        let expected = Expected::OfFiles(vec![path.clone()]);
        self.jobs
            .submit(ctx, Kind::Foreground, title, expected, move || {
                let labels = io::labels::read_label_set(&path).map_err(|e| e.to_string());
                Done::LabelsRead(path, labels)
            });
    }

    /// Adds the labels of a label set that are new here (one undo step).
    pub(super) fn finish_import_labels(
        &mut self,
        path: &std::path::Path,
        labels: Result<Vec<crate::model::Label>, String>,
    ) {
        let labels = match labels {
            Ok(l) => l,
            Err(e) => {
                self.show_error(format!("No labels were imported. {e}"));
                return;
            }
        };
        match self.ws.project().import_labels_edit(&labels) {
            Some(edit) => {
                let n = match &edit {
                    Edit::InsertLabels { labels } => labels.len(),
                    _ => 0,
                };
                let what = format!("import {}", crate::ui::count(n, "label"));
                if self.edit(what, vec![edit]).is_ok() {
                    self.status = format!(
                        "Imported {} from {} (Ctrl+Z takes them out).",
                        crate::ui::count(n, "label"),
                        path.display()
                    );
                }
            }
            None => {
                self.status = format!("{} has no label this project lacks.", path.display());
            }
        }
    }

    fn set_label(&mut self, id: LabelId, label: crate::model::Label) {
        let Some(old) = self.ws.project().label(id).cloned() else {
            return;
        };
        let what = if old.name != label.name.trim() {
            format!("rename {} to {}", old.name, label.name.trim())
        } else if old.hotkey != label.hotkey {
            format!("set the key of {}", old.name)
        } else {
            format!("recolour {}", old.name)
        };
        match self
            .ws
            .apply(what.clone(), vec![Edit::SetLabel { id, label }])
        {
            Ok(()) => self.status = format!("Did: {what}."),
            // Refused (a name or key in use): said where the user is looking.
            Err(e) => self.status = format!("Not changed: {e}."),
        }
    }

    /// Counts the occurrences "label all" would label and asks first.
    fn ask_label_all(&mut self, everywhere: bool) {
        let Some(span) = self.view.selected_span else {
            self.status = "Select a span first (click it, or Tab to it).".to_string();
            return;
        };
        let Some(doc) = self.current else {
            return;
        };
        let project = self.ws.project();
        let found = occurrences::unlabeled_occurrences(project, doc, span, everywhere);
        let count: usize = found.iter().map(|(_, v)| v.len()).sum();
        let what = project
            .document(doc)
            .map(|d| format!("“{}”", ellipsize(d.span_text(&span), 40)))
            .unwrap_or_default();
        if count == 0 {
            self.status = format!("No other unlabelled occurrence of {what}.");
            return;
        }
        self.modals.push(Modal::LabelAll {
            everywhere,
            count,
            docs: found.len(),
            what,
        });
    }

    /// Labels the occurrences (found again: the project may have changed meanwhile).
    fn label_all(&mut self, everywhere: bool) {
        let (Some(span), Some(doc)) = (self.view.selected_span, self.current) else {
            return;
        };
        let project = self.ws.project();
        let found = occurrences::unlabeled_occurrences(project, doc, span, everywhere);
        let count: usize = found.iter().map(|(_, v)| v.len()).sum();
        let edits = occurrences::label_all_edits(project, found);
        if self
            .edit(
                format!("label {}", crate::ui::count(count, "occurrence")),
                edits,
            )
            .is_ok()
        {
            self.status = format!(
                "Labelled {} (Ctrl+Z takes them back).",
                crate::ui::count(count, "occurrence")
            );
        }
    }

    /// Where a search (find, the next span) starts: the selection, or the top of what is
    /// on screen.
    pub(super) fn search_from(&self) -> usize {
        self.view
            .selection
            .map(|s| s.range().0)
            .or_else(|| self.view.first_visible())
            .unwrap_or(0)
    }

    fn find_step(&mut self, forward: bool) {
        let Some(doc) = self.current.and_then(|d| self.ws.project().document(d)) else {
            return;
        };
        self.find.open = true;
        self.find.refresh(doc);
        let from = self.search_from();
        if let Some((start, end)) = self.find.step(from, forward) {
            self.view.selection = Some(Selection {
                anchor: start,
                head: end,
            });
            self.view.selected_span = None;
            self.view.scroll_to(start);
        }
    }

    pub(super) fn label_name(&self, span: &Span) -> String {
        self.ws
            .project()
            .label(span.label())
            .map_or_else(|| "?".to_string(), |l| l.name.clone())
    }

    pub(super) fn edit(&mut self, description: String, edits: Vec<Edit>) -> Result<(), ModelError> {
        let result = self.ws.apply(description, edits);
        if let Err(e) = &result {
            self.status = match e {
                ModelError::DuplicateSpan { .. } => {
                    "Not added: that exact span (same text and label) already exists.".to_string()
                }
                other => format!("Not done: {other}"),
            };
        }
        result
    }

    fn apply_label(&mut self, label: LabelId) {
        let Some(name) = self.ws.project().label(label).map(|l| l.name.clone()) else {
            return;
        };
        let Some(doc) = self.current else {
            return;
        };
        if let Some(sel) = self.view.selection.filter(|s| !s.is_empty()) {
            let (s, e) = sel.range();
            let Ok(span) = Span::new(s, e, label) else {
                return;
            };
            if self
                .edit(format!("add {name}"), vec![Edit::AddSpan { doc, span }])
                .is_ok()
            {
                self.view.selection = None;
                self.view.selected_span = Some(span);
                let text = self
                    .ws
                    .project()
                    .document(doc)
                    .map(|d| ellipsize(d.span_text(&span), 60))
                    .unwrap_or_default();
                self.status = format!("{name} “{text}” ({s}–{e})");
            }
        } else if let Some(old) = self.view.selected_span {
            if old.label() == label {
                return;
            }
            // The note and the relations move with the span in the same undo step;
            // relations the new label does not fit go, after a question.
            self.relabel(doc, old, label, false);
        } else {
            self.status = "Select text first (drag over it), then press a label key.".to_string();
        }
    }

    /// Sets a span's note as one undo step; nothing happens when it is unchanged.
    fn set_note(&mut self, doc: DocId, span: Span, note: String) {
        let Some(d) = self.ws.project().document(doc) else {
            return;
        };
        let note = (!note.trim().is_empty()).then_some(note);
        if d.note(&span) == note.as_deref() {
            return;
        }
        let what = match (&note, d.note(&span)) {
            (None, _) => "remove note",
            (Some(_), None) => "add note",
            (Some(_), Some(_)) => "edit note",
        };
        let edit = Edit::SetNote { doc, span, note };
        if self.edit(what.to_string(), vec![edit]).is_ok() {
            self.status = format!(
                "Did: {what} on {} (Ctrl+Z takes it back).",
                self.label_name(&span)
            );
        }
    }

    fn delete_selected_span(&mut self) {
        let (Some(span), Some(doc)) = (self.view.selected_span, self.current) else {
            return;
        };
        let d = format!("delete {}", self.label_name(&span));
        let edit = Edit::RemoveSpan { doc, span };
        if self.edit(d, vec![edit]).is_ok() {
            self.view.selected_span = None;
            self.status = "Span deleted (Ctrl+Z brings it back).".to_string();
        }
    }

    fn delete_document(&mut self, id: DocId) {
        let Some(name) = self.ws.project().document(id).map(|d| d.name.clone()) else {
            return;
        };
        let edit = Edit::RemoveDocuments { ids: vec![id] };
        if self
            .edit(format!("delete document {name}"), vec![edit])
            .is_err()
        {
            return;
        }
        // The one shown went: the one now in its place is shown.
        self.sync_current();
        self.status = format!("Deleted document {name} (Ctrl+Z brings it back).");
    }

    /// After undo/redo: report what happened (a failure too), and keep the current
    /// document and selection valid.
    fn after_history(
        &mut self,
        done: Result<Option<Moved>, ModelError>,
        verb: &str,
        nothing: &str,
    ) {
        let moved = match done {
            Ok(Some(moved)) => moved,
            Ok(None) => {
                self.status = nothing.to_string();
                return;
            }
            Err(e) => {
                self.show_error(format!(
                    "{verb} failed, so that step was dropped; the project is as it was. {e}"
                ));
                return;
            }
        };
        self.status = format!("{verb} {}.", moved.description);
        // The document shown stays unless it went (an undone import).
        self.sync_current();
        if let Some(span) = self.view.selected_span
            && !self
                .current_doc()
                .is_some_and(|d| d.spans().contains(&span))
        {
            self.view.selected_span = None;
        }
        // A relation the step took away is no longer selected; link mode from a span
        // that went ends. (Suggested relations are derived again in the next frame.)
        if let Some(r) = self.view.selected_relation
            && !self
                .current_doc()
                .is_some_and(|d| d.relations().contains(&r))
            && !self.relation_suggestions.set.contains(&r)
        {
            self.view.selected_relation = None;
        }
        if let Some(from) = self.view.linking.as_ref().map(|l| l.from)
            && !self
                .current_doc()
                .is_some_and(|d| d.spans().contains(&from))
        {
            self.view.linking = None;
        }
        // An undone or redone resolve: the disagreement it put back, or the one now in
        // the resolved one's place, becomes the current one (read from the history).
        if let (Some(doc), Some(index)) = (moved.doc, moved.disagreement) {
            let status = std::mem::take(&mut self.status);
            self.show_disagreement_at(doc, index);
            self.status = status;
        }
    }
}
