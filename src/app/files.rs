//! Starting file work (open, save, export, import) and applying what the job queue
//! hands back.

use std::path::PathBuf;

use eframe::egui;

use super::SpanmarkApp;
use super::jobs::{Done, Expected, Kind, expected_time, project_size};
use super::modal::Modal;
use crate::io::{
    self, DiskStamp, DiskState,
    export::{self, ExportOptions, Format, Scheme},
};

impl SpanmarkApp {
    pub(super) fn open_path(&mut self, ctx: &egui::Context, path: PathBuf) {
        let expected = Expected::OfFiles(vec![path.clone()]);
        let title = format!("Opening {}", path.display());
        self.jobs
            .submit(ctx, Kind::Foreground, title, expected, move || {
                let result = io::load_project_stamped(&path);
                Done::Opened(path, result.map(Box::new))
            });
    }

    pub(super) fn save_to(&mut self, ctx: &egui::Context, mut path: PathBuf) {
        if path.extension().is_none() {
            path.set_extension("ron");
        }
        // Saving over the file the project came from: the job first checks that no other
        // program (or a git pull) changed it since.
        let check = self
            .disk_stamp
            .filter(|_| self.path.as_ref() == Some(&path));
        self.write_to(ctx, path, check);
    }

    /// Saves to `path` in the background; with `check`, only if the file on disk is still
    /// what that stamp says (reading it may take a while, so the job does it).
    pub(super) fn write_to(
        &mut self,
        ctx: &egui::Context,
        path: PathBuf,
        check: Option<DiskStamp>,
    ) {
        // The job saves this copy; its state id goes with it, so edits made while it runs
        // stay unsaved.
        let project = self.ws.project().clone();
        let state = self.ws.state_id();
        let expected = expected_time(project_size(&project));
        let title = format!("Saving {}", path.display());
        self.jobs
            .submit(ctx, Kind::Foreground, title, expected, move || {
                if let Some(stamp) = check {
                    match stamp.check(&path) {
                        Ok(DiskState::Unchanged) => {}
                        Ok(DiskState::Changed) => {
                            return Done::SaveRefused {
                                path,
                                deleted: false,
                            };
                        }
                        Ok(DiskState::Deleted) => {
                            return Done::SaveRefused {
                                path,
                                deleted: true,
                            };
                        }
                        Err(e) => {
                            return Done::Saved {
                                path,
                                state,
                                result: Err(e),
                            };
                        }
                    }
                }
                let result = io::save_project_stamped(&project, &path);
                Done::Saved {
                    path,
                    state,
                    result,
                }
            });
    }

    /// Exports to `path`, after asking when that would replace an existing file (or
    /// fill a folder that holds files) unless `replace` says the user already agreed.
    pub(super) fn export_to(
        &mut self,
        ctx: &egui::Context,
        (format, scheme): (Format, Scheme),
        path: PathBuf,
        replace: bool,
    ) {
        let opts = ExportOptions {
            scheme,
            labels: None,
        };
        // Refused at once (the job would refuse too): never over a project, nor over
        // the file this project came from.
        let input = self.path.as_deref();
        if let Err(e) = export::check_output(self.ws.project(), format, &path, input) {
            self.show_error(format!("Could not export. {e}"));
            return;
        }
        if !replace && export_target_taken(format, &path) {
            self.modals.push(Modal::ReplaceExport {
                format,
                scheme,
                path,
            });
            return;
        }
        let project = self.ws.project().clone();
        let expected = expected_time(project_size(&project));
        let title = format!("Exporting {}", path.display());
        self.jobs
            .submit(ctx, Kind::Foreground, title, expected, move || {
                let result = export::export(&project, format, &opts, &path);
                Done::Exported(format, path, result)
            });
    }

    /// Applies the result of a job.
    pub(super) fn finish(&mut self, ctx: &egui::Context, done: Done) {
        match done {
            Done::FoundAll { job, found } => self.find_all_done(job, found),
            Done::Opened(path, Ok(opened)) => {
                let (project, stamp) = *opened;
                self.status = format!("Opened {}.", path.display());
                self.add_recent(&path);
                self.replace_project(project, Some((path, stamp)));
                self.check_recovery();
            }
            // The open project stays as it was.
            Done::Opened(_, Err(e)) => self.show_error(e.to_string()),
            Done::Saved {
                path,
                state,
                result: Ok(stamp),
            } => {
                self.ws.mark_saved_state(state);
                if !self.ws.is_dirty() {
                    self.drop_recovery();
                }
                self.disk_stamp = Some(stamp);
                self.status = format!("Saved {}.", path.display());
                self.add_recent(&path);
                self.path = Some(path);
                if let Some(next) = self.guard.take_after_save() {
                    // Through the guard again: a file dropped during the save is unsaved.
                    self.apply(ctx, next);
                }
            }
            Done::Saved { result: Err(e), .. } => {
                self.guard.save_abandoned();
                self.show_error(format!("Could not save. {e}"));
            }
            // The guard keeps a waiting action for the answer.
            Done::SaveRefused { path, deleted } => {
                self.modals.push(Modal::Overwrite { path, deleted });
            }
            Done::Exported(format, path, Ok(report)) => {
                self.status = format!("Exported to {}.", path.display());
                self.modals.push(Modal::Info {
                    title: format!("Exported {}", format.name()),
                    text: format!("{}\n{}", path.display(), report.summary(12)),
                });
            }
            Done::Exported(_, _, Err(e)) => self.show_error(format!("Could not export. {e}")),
            Done::Autosaved(result) => self.autosaved(result),
            Done::Compared(result) => self.finish_compare(result),
            Done::Imported(result) => self.finish_import(result),
            Done::RuleFileRead(result) => self.finish_rule_file(ctx, result),
            Done::RuleSetChecked(set, checked) => self.finish_rule_set(set, checked),
            Done::LabelsRead(path, result) => self.finish_import_labels(&path, result),
        }
    }

    /// Imports files (.txt, .jsonl, brat .ann) into the open project, read in the job
    /// queue; see [`Self::finish_import`].
    pub(super) fn add_documents(&mut self, ctx: &egui::Context, paths: Vec<PathBuf>) {
        let labels = self.ws.project().labels().to_vec();
        let title = match paths.as_slice() {
            [one] => format!("Reading {}", one.display()),
            many => format!("Reading {} files", many.len()),
        };
        let expected = Expected::OfFiles(paths.clone());
        self.jobs
            .submit(ctx, Kind::Foreground, title, expected, move || {
                let imported = io::import::import_paths(&paths, labels, Default::default());
                Done::Imported(imported.map_err(|e| e.to_string()))
            });
    }

    /// The imported files join the project as one undo step: new labels first, then the
    /// documents (renamed where a name is taken). A bad file imports nothing.
    fn finish_import(&mut self, imported: Result<io::import::Imported, String>) {
        let imported = match imported {
            Ok(i) => i,
            Err(e) => {
                self.show_error(format!("Nothing was imported. {e}"));
                return;
            }
        };
        let n = imported.documents.len();
        if n == 0 {
            self.status = "Those files hold no documents.".to_string();
            return;
        }
        let description = if n == 1 {
            format!("add document {}", imported.documents[0].name)
        } else {
            format!("add {n} documents")
        };
        let first = imported.documents[0].id();
        // Labels matched by name, new ones added; a taken name gets a number.
        let edits = match self.ws.project().adopt_edits(
            &imported.labels,
            &imported.relation_types,
            imported.documents,
        ) {
            Ok(edits) => edits,
            Err(e) => {
                self.show_error(format!("Nothing was imported. {e}"));
                return;
            }
        };
        if self.edit(description, edits).is_ok() {
            self.show_document(first);
            self.status = format!(
                "Added {} (Ctrl+Z takes them out again).",
                crate::ui::count(n, "document")
            );
            if !imported.notes.is_empty() {
                self.modals.push(Modal::Info {
                    title: "Imported".to_string(),
                    text: imported.notes.join("\n"),
                });
            }
        }
    }
}

/// Whether an export to `path` would replace something: an existing file, or for brat
/// (which writes into a folder) a folder that is not empty.
fn export_target_taken(format: Format, path: &std::path::Path) -> bool {
    if format == Format::Brat && path.is_dir() {
        return std::fs::read_dir(path).is_ok_and(|mut entries| entries.next().is_some());
    }
    path.exists()
}
