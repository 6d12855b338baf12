//! Comparing annotators and adjudicating in the window: the compare job (read the
//! annotators' files, measure agreement, merge the gold project), what it leaves in the
//! app, the current disagreement, stepping through disagreements and resolving them.

use std::path::PathBuf;

use eframe::egui;

use super::SpanmarkApp;
use super::file_dialogs::{self, no_dialog_hint};
use super::jobs::{Done, Expected, Kind};
use crate::io;
use crate::model::disagreement::{Choice, Kind as DisagreementKind};
use crate::model::team::{self, Compared};
use crate::model::{DocId, Project};
use crate::ui::compare::{AgreementView, Annotators, Progress};
use crate::ui::{Action, PathPurpose};

/// The comparison and adjudication state of the app.
#[derive(Default)]
pub(super) struct CompareState {
    /// The annotators compared into the open project, with their agreement; `None` for a
    /// project opened from a file (a git conflict, say).
    pub annotators: Option<Annotators>,
    /// View › Agreement.
    pub agreement: AgreementView,
    /// Disagreements when the project was opened or compared.
    total: usize,
    /// Disagreements left, counted at a revision (not every frame).
    left: Option<(u64, usize)>,
    /// The current disagreement: document and index into its disagreements. Undo and
    /// redo set it from what they did (the history knows; no stack of our own).
    cursor: Option<(DocId, usize)>,
}

/// Disagreements in a project.
fn count(project: &Project) -> usize {
    project
        .documents()
        .iter()
        .map(|d| d.disagreements().len())
        .sum()
}

/// The compare job: read every file, then compare them (`model::team`). Errors name the
/// file or the document.
fn compare(paths: &[PathBuf]) -> Result<Compared, String> {
    let mut projects = Vec::with_capacity(paths.len());
    for path in paths {
        projects.push(io::load_project(path).map_err(|e| e.to_string())?);
    }
    team::compare(team::annotator_names(paths), projects).map_err(|e| e.to_string())
}

impl SpanmarkApp {
    /// File › Compare annotators…: the native dialog, or the path field without one.
    pub(super) fn choose_annotators(&mut self, ctx: &egui::Context) {
        if !file_dialogs::native() {
            self.perform(ctx, Action::PromptPath(PathPurpose::Compare));
            return;
        }
        match file_dialogs::annotator_projects() {
            // Through `apply`: unsaved changes are asked about once the files are chosen.
            Some(paths) => self.apply(ctx, Action::ComparePaths(paths)),
            None => self.status = no_dialog_hint("Compare annotators…, then type the paths"),
        }
    }

    /// Starts comparing annotators' project files (in the job queue).
    pub(super) fn compare_paths(&mut self, ctx: &egui::Context, paths: Vec<PathBuf>) {
        if paths.len() < 2 {
            self.show_error(format!(
                "Comparing needs two or more annotators' project files; {} chosen.",
                paths.len()
            ));
            return;
        }
        let title = format!("Comparing {} annotators", paths.len());
        let expected = Expected::OfFiles(paths.clone());
        self.jobs
            .submit(ctx, Kind::Foreground, title, expected, move || {
                Done::Compared(compare(&paths).map(Box::new))
            });
    }

    /// The compare job's result: the gold project becomes the workspace, untitled.
    pub(super) fn finish_compare(&mut self, result: Result<Box<Compared>, String>) {
        let compared = match result {
            Ok(c) => *c,
            Err(e) => {
                self.show_error(format!("Could not compare. {e}"));
                return;
            }
        };
        let Compared {
            names,
            projects,
            gold,
            report,
        } = compared;
        self.replace_project(gold, None);
        let left = self.compare.total;
        let status = format!(
            "Compared {}: {} to resolve (Alt+A / Alt+B takes a version, Alt+Down shows \
             the next).",
            names.join(", "),
            crate::ui::count(left, "disagreement")
        );
        self.compare.annotators = Some(Annotators::new(names, projects, report));
        // The first disagreement, wherever it is.
        if let Some(first) = self.ws.project().id_at(0)
            && let Some((doc, i)) = self.next_disagreement(first, None, true)
        {
            self.show_disagreement(doc, i);
        }
        self.status = status;
    }

    /// Another project replaced the workspace: comparison state starts over for it.
    pub(super) fn reset_compare(&mut self) {
        let agreement = std::mem::take(&mut self.compare.agreement);
        self.compare = CompareState {
            agreement,
            total: count(self.ws.project()),
            ..CompareState::default()
        };
    }

    /// Adjudication progress (disagreements counted once per revision).
    pub(super) fn adjudication_progress(&mut self) -> Progress {
        let revision = self.ws.revision();
        let left = match self.compare.left {
            Some((r, n)) if r == revision => n,
            _ => {
                let n = count(self.ws.project());
                self.compare.left = Some((revision, n));
                n
            }
        };
        // Undo past the start cannot happen, but a restored copy may hold more.
        self.compare.total = self.compare.total.max(left);
        Progress {
            total: self.compare.total,
            left,
        }
    }

    /// Keeps the current disagreement valid for the shown document: the one chosen, else
    /// the first from the top of the screen. O(log n) a frame.
    pub(super) fn sync_disagreement(&mut self) {
        let Some(doc) = self.current_doc() else {
            self.compare.cursor = None;
            return;
        };
        let ds = doc.disagreements();
        if let Some((d, i)) = self.compare.cursor
            && d == doc.id()
            && i < ds.len()
        {
            return;
        }
        if ds.is_empty() {
            self.compare.cursor = None;
            return;
        }
        let from = self.view.first_visible().unwrap_or(0);
        let i = ds.partition_point(|d| d.end <= from).min(ds.len() - 1);
        self.compare.cursor = Some((doc.id(), i));
    }

    /// The current disagreement (document, index), if the shown document has one.
    pub(super) fn current_disagreement(&self) -> Option<(DocId, usize)> {
        self.compare
            .cursor
            .filter(|(d, _)| Some(*d) == self.current)
    }

    /// After an undo or redo of a resolve: disagreement `index` of `doc` (the one put
    /// back, or the one that took the resolved one's place) becomes the current one;
    /// past the document's last, the next one anywhere.
    pub(super) fn show_disagreement_at(&mut self, doc: DocId, index: usize) {
        let Some(len) = self
            .ws
            .project()
            .document(doc)
            .map(|d| d.disagreements().len())
        else {
            return;
        };
        if index < len {
            self.show_disagreement(doc, index);
        } else if let Some((d, i)) = self.next_disagreement(doc, Some(index), true) {
            self.show_disagreement(d, i);
        } else {
            self.compare.cursor = None;
        }
    }

    /// Shows disagreement `i` of document `doc`: switches document and scrolls to it.
    fn show_disagreement(&mut self, doc: DocId, i: usize) {
        self.show_document(doc);
        self.compare.cursor = Some((doc, i));
        let project = self.ws.project();
        let Some(document) = project.document(doc) else {
            return;
        };
        let Some(d) = document.disagreements().get(i) else {
            return;
        };
        self.view.selection = None;
        self.view.selected_span = None;
        self.view.reveal(d.start, d.end);
        let n = document.disagreements().len();
        self.status = format!(
            "{}: disagreement {} of {n} here, {}: {}",
            document.name,
            i + 1,
            DisagreementKind::of(d).name(),
            crate::ui::compare::describe(project, document, d)
        );
    }

    /// The next (or previous) disagreement after `(doc, i)`, across documents, wrapping.
    /// `i == None`: from the start of `doc` (forward) or its end (backward).
    fn next_disagreement(
        &self,
        doc: DocId,
        i: Option<usize>,
        forward: bool,
    ) -> Option<(DocId, usize)> {
        let project = self.ws.project();
        let docs = project.documents();
        let doc = project.position(doc)?;
        let n = docs.len();
        let len = |d: usize| docs.get(d).map_or(0, |x| x.disagreements().len());
        let id = |(d, i): (usize, usize)| (docs[d].id(), i);
        let found = self.next_disagreement_at(doc, i, forward, n, len);
        found.map(id)
    }

    /// [`Self::next_disagreement`] over places in the list.
    fn next_disagreement_at(
        &self,
        doc: usize,
        i: Option<usize>,
        forward: bool,
        n: usize,
        len: impl Fn(usize) -> usize,
    ) -> Option<(usize, usize)> {
        if forward {
            let next = i.map_or(0, |i| i + 1);
            if next < len(doc) {
                return Some((doc, next));
            }
            (1..=n)
                .map(|k| (doc + k) % n)
                .find(|&d| len(d) > 0)
                .map(|d| (d, 0))
        } else {
            if let Some(i) = i
                && i > 0
                && i <= len(doc)
            {
                return Some((doc, i - 1));
            }
            if i.is_none() && len(doc) > 0 {
                return Some((doc, len(doc) - 1));
            }
            (1..=n)
                .map(|k| (doc + n - k) % n)
                .find(|&d| len(d) > 0)
                .map(|d| (d, len(d) - 1))
        }
    }

    /// Alt+↓ / Alt+↑.
    pub(super) fn step_disagreement(&mut self, forward: bool) {
        if self.ws.project().documents().is_empty() {
            return;
        }
        let from = match (self.current_disagreement(), self.current) {
            (Some((d, i)), _) => self.next_disagreement(d, Some(i), forward),
            (None, Some(doc)) => self.next_disagreement(doc, None, forward),
            (None, None) => None,
        };
        match from {
            Some((doc, i)) => self.show_disagreement(doc, i),
            None => self.status = "No disagreement is left to resolve.".to_string(),
        }
    }

    /// Makes disagreement `i` of the shown document the current one (a click on it).
    pub(super) fn select_disagreement(&mut self, i: usize) {
        let Some(doc) = self.current_doc() else {
            return;
        };
        if i < doc.disagreements().len() {
            self.compare.cursor = Some((doc.id(), i));
        }
    }

    /// Resolves the current disagreement with `choice` (one undo step) and shows the next.
    pub(super) fn adjudicate(&mut self, choice: Choice) {
        let Some((doc, index)) = self.current_disagreement() else {
            self.status = "No disagreement here: Alt+Down shows the next one.".to_string();
            return;
        };
        let Some(d) = self
            .ws
            .project()
            .document(doc)
            .and_then(|x| x.disagreements().get(index))
        else {
            return;
        };
        // The chosen spans, and the chosen links whose ends are then spans.
        let Some(edits) = self.ws.project().resolve_edits(doc, index, choice) else {
            self.status = format!("This disagreement has {} versions.", d.versions.len());
            return;
        };
        let what = format!("{} at {}–{}", choice.describe(d), d.start, d.end);
        if self.edit(what.clone(), edits).is_err() {
            return;
        }
        let progress = self.adjudication_progress();
        // The resolved one left the list: the next one now has its index.
        let next = if index
            < self
                .ws
                .project()
                .document(doc)
                .map_or(0, |x| x.disagreements().len())
        {
            Some((doc, index))
        } else {
            // Past this document's last: the following documents, then round to this one.
            self.next_disagreement(doc, Some(index), true)
        };
        match next {
            Some((d, i)) => {
                self.show_disagreement(d, i);
                self.status = format!("Did: {what}. {}. Next: {}", progress.text(), self.status);
            }
            None => {
                self.compare.cursor = None;
                self.status = format!(
                    "Did: {what}. {}: all done. Save the gold project (Ctrl+S).",
                    progress.text()
                );
            }
        }
    }

    /// The adjudication bar, above the document while the project has (or had)
    /// disagreements.
    pub(super) fn adjudication_panel(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        self.view.revision = self.ws.revision();
        let progress = self.adjudication_progress();
        if progress.total == 0 {
            self.view.disagreement = None;
            return;
        }
        self.sync_disagreement();
        let current = self.current_disagreement();
        self.view.disagreement = current.map(|(_, i)| i);
        egui::Panel::top("adjudicate").show(ui, |ui| {
            ui.add_space(2.0);
            crate::ui::compare::bar(ui, self.ws.project(), progress, current, actions);
            ui.add_space(2.0);
        });
    }
}
