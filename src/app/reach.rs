//! Reaching any document: go to document (Ctrl+P), the documents panel's filter, and
//! find in all documents (Ctrl+Shift+F): the search runs as a background job through
//! the one queue (inline headless, its result taken at the next frame's start either
//! way), a match is shown by the usual "show document" path with its range selected,
//! and labelling the results is one undo step.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use eframe::egui;

use super::SpanmarkApp;
use super::jobs::{Done, Kind};
use crate::model::search_all::{self, Finder, Found, Hit, MAX_RESULTS};
use crate::model::{LabelId, text::ellipsize};
use crate::ui::find_all::Asked;
use crate::ui::{Action, Selection, count};

/// Numbers searches, so that only the last one's result is shown.
static SEARCHES: AtomicU64 = AtomicU64::new(1);

impl SpanmarkApp {
    /// Carries out the actions of this module; hands any other back.
    pub(super) fn perform_reach(&mut self, ctx: &egui::Context, action: Action) {
        match action {
            Action::QuickOpen => self.quick_open.open(),
            Action::FindAll => self.find_all.open(),
            Action::FindAllRun(asked) => self.find_all_run(ctx, asked),
            Action::CloseFindAll => self.find_all.open = false,
            Action::GoToMatch(hit) => self.go_to_match(hit),
            Action::LabelResults(label) => self.label_results(label),
            _ => {}
        }
    }

    /// Starts a search of every document; a bad pattern is shown in the panel.
    fn find_all_run(&mut self, ctx: &egui::Context, asked: Asked) {
        let finder = match Finder::new(&asked.query, asked.regex, asked.match_case) {
            Ok(f) => f,
            Err(e) => {
                self.find_all.failed(e.to_string());
                return;
            }
        };
        let job = SEARCHES.fetch_add(1, Ordering::Relaxed);
        self.find_all.started(asked, job);
        // A copy, as the suggestions' background build takes: the user goes on editing
        // meanwhile, and matches are named by DocId (which a copy keeps), so they land
        // on the right documents whatever happens to the list.
        let project = self.ws.project().clone();
        let chars: usize = project
            .documents()
            .iter()
            .map(|d| d.text().char_len())
            .sum();
        // About 200 MB/s for a literal; a regex may be slower.
        let expected = Duration::from_millis(20 + (chars / 200_000) as u64);
        self.jobs.submit(
            ctx,
            Kind::Background,
            "Find in all documents".to_string(),
            expected,
            move || {
                let docs = project.documents().iter();
                let found = search_all::find_everywhere(
                    &finder,
                    docs.map(|d| (d.id(), d.text().as_str())),
                    MAX_RESULTS,
                );
                Done::FoundAll { job, found }
            },
        );
    }

    /// A search finished: its results are listed (unless another one started since).
    pub(super) fn find_all_done(&mut self, job: u64, found: Found) {
        self.find_all.finished(job, found);
    }

    /// Shows the match's document (the usual path), selects the match, scrolls to it.
    fn go_to_match(&mut self, hit: Hit) {
        let Some(doc) = self.ws.project().document(hit.doc) else {
            self.status = "That document has been deleted.".to_string();
            return;
        };
        if hit.end > doc.text().char_len() || hit.start >= hit.end {
            return;
        }
        self.show_document(hit.doc);
        self.view.selection = Some(Selection {
            anchor: hit.start,
            head: hit.end,
        });
        self.view.selected_span = None;
        self.view.selected_suggestion = None;
        self.view.scroll_to(hit.start);
    }

    /// Labels every listed match as `label`: one undo step.
    fn label_results(&mut self, label: LabelId) {
        let Some(name) = self.ws.project().label(label).map(|l| l.name.clone()) else {
            return;
        };
        let r = search_all::label_results(self.ws.project(), self.find_all.hits(), label);
        let skipped = match r.skipped {
            0 => String::new(),
            k => format!("; skipped {} a {name} span already overlaps", matches(k)),
        };
        if r.added == 0 {
            self.status = format!("Nothing to label{skipped}.");
            return;
        }
        let what = format!("label {} as {name}", count(r.added, "result"));
        if self.edit(what, r.edits).is_ok() {
            self.status = format!(
                "Labelled {} as {name}{skipped} (Ctrl+Z takes them back).",
                matches(r.added)
            );
        }
    }

    /// The find-in-all-documents panel, when open.
    pub(super) fn find_all_panel(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        if !self.find_all.open {
            return;
        }
        egui::Panel::bottom("find-all")
            .resizable(true)
            .default_size(220.0)
            .show(ui, |ui| {
                ui.add_space(2.0);
                self.find_all.show(ui, &self.ws, actions);
            });
    }

    /// The current document in the status bar: its name and place in the list.
    pub(super) fn current_document_label(&self, ui: &mut egui::Ui) {
        let project = self.ws.project();
        let Some((doc, place)) = self
            .current
            .and_then(|id| Some((project.document(id)?, project.position(id)?)))
        else {
            return;
        };
        ui.label(format!(
            "{} ({} of {})",
            ellipsize(&doc.name, 60),
            place + 1,
            project.documents().len()
        ))
        .on_hover_text(format!(
            "The document shown: {}. Ctrl+P goes to another.",
            doc.name
        ));
        ui.separator();
    }
}

/// "1 match", "3 matches".
fn matches(n: usize) -> String {
    if n == 1 {
        "1 match".to_string()
    } else {
        format!("{n} matches")
    }
}
