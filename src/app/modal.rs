//! Dialogs and questions. They form a stack: the top one is shown, and one that opens
//! over another (an error over the export dialog) gives it back when it closes.

use std::path::PathBuf;

use eframe::egui::{self, Key, RichText};

use super::guard::{self, Answer, Guard};
use super::{SpanmarkApp, file_dialogs};
use crate::io::{
    self,
    export::{Format, Scheme},
    recovery::{self, Recovery},
};
use crate::model::LabelId;
use crate::model::suggest::{RuleKind, RuleSet};
use crate::ui::{Action, PathPurpose};

/// One dialog or question.
pub(super) enum Modal {
    /// Something failed; the text says what and which file.
    Error(String),
    /// A message box (e.g. an export summary).
    Info { title: String, text: String },
    /// A recovery copy from a crash: restore it or discard it.
    Recovery(Recovery),
    /// The file changed (or was deleted) on disk since it was read: overwrite it?
    Overwrite { path: PathBuf, deleted: bool },
    /// The export dialog.
    Export(ExportDialog),
    /// The in-app path field.
    Path { purpose: PathPurpose, text: String },
    /// "Label these occurrences?"
    LabelAll {
        everywhere: bool,
        count: usize,
        docs: usize,
        what: String,
    },
    /// "Delete this label and its spans?"
    DeleteLabel {
        id: LabelId,
        name: String,
        spans: usize,
    },
    /// "Accept these suggestions?"
    AcceptAll {
        everywhere: bool,
        count: usize,
        docs: usize,
    },
    /// A dictionary with names but no labels: which label do they get?
    DictionaryLabel { set: RuleSet, label: String },
    /// The external command to run.
    Command { text: String },
}

/// The export dialog's choices.
#[derive(Clone, Debug)]
pub(super) struct ExportDialog {
    pub format: Format,
    pub scheme: Scheme,
    pub path: String,
}

/// One line on what a format holds, for the export dialog.
fn format_help(format: Format) -> &'static str {
    match format {
        Format::Jsonl => "doccano JSONL: one line per document, all spans, char offsets.",
        Format::Conll => {
            "CoNLL-2003 tokens and tags (spaCy convert, seqeval). Overlaps: longer span wins."
        }
        Format::Hf => {
            "Hugging Face JSONL rows of tokens and ner_tags, plus labels.json. Overlaps: longer span wins."
        }
        Format::Brat => "brat standoff folder: NAME.txt and NAME.ann per document.",
        Format::LabelStudio => "Label Studio JSON tasks with annotations.",
        Format::Csv => "CSV: document, start, end, label, text; one row per span.",
    }
}

/// Two buttons in a row for a question: `Some(true)` for `yes`, `Some(false)` for `no`.
pub(super) fn yes_or_no(ui: &mut egui::Ui, yes: &str, no: &str) -> Option<bool> {
    ui.horizontal(|ui| {
        let (yes, no) = (ui.button(yes).clicked(), ui.button(no).clicked());
        (yes || no).then_some(yes)
    })
    .inner
}

/// Whether Escape was pressed this frame (cancels a dialog).
pub(super) fn escape(ui: &egui::Ui) -> bool {
    ui.input(|i| i.key_pressed(Key::Escape))
}

impl SpanmarkApp {
    /// Shows the progress dialog, the top modal or the unsaved-changes question.
    pub(super) fn dialogs(&mut self, ctx: &egui::Context, actions: &mut Vec<Action>) {
        if let Some(p) = self.jobs.progress() {
            egui::Modal::new(egui::Id::unique("job")).show(ctx, |ui| {
                ui.set_min_width(360.0);
                ui.label(format!("{}…", p.title));
                ui.add(
                    egui::ProgressBar::new(p.fraction)
                        .animate(true)
                        .text(format!("{:.1} s", p.elapsed)),
                );
            });
            return;
        }
        if let Some(modal) = self.modals.pop() {
            // What its buttons ask for is applied after drawing, so anything that opens
            // then (an error) lands on top of it.
            if let Some(kept) = self.show_modal(ctx, modal, actions) {
                self.modals.push(kept);
            }
            return;
        }
        if let Some(pending) = self.guard.asking().cloned() {
            if !self.ws.is_dirty() {
                // Saved meanwhile (a save was running when the question came up): nothing
                // is left to lose.
                self.guard = Guard::Idle;
                actions.push(pending);
                return;
            }
            let mut answer = None;
            egui::Modal::new(egui::Id::unique("unsaved")).show(ctx, |ui| {
                ui.set_max_width(420.0);
                ui.heading("Unsaved changes");
                ui.label(format!(
                    "Save the changes to “{}” before {}?",
                    self.project_name(),
                    guard::doing(&pending)
                ));
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    if ui.button("Save").clicked() {
                        answer = Some(Answer::Save);
                    }
                    if ui.button("Discard").clicked() {
                        answer = Some(Answer::Discard);
                    }
                    if ui.button("Cancel").clicked() || escape(ui) {
                        answer = Some(Answer::Cancel);
                    }
                });
            });
            match answer {
                Some(Answer::Save) => {
                    // The pending action goes on when the save succeeds, possibly only
                    // after a path was typed or an overwrite confirmed.
                    self.guard = Guard::AfterSave(pending);
                    self.perform(ctx, Action::Save);
                }
                Some(Answer::Discard) => {
                    self.guard = Guard::Idle;
                    self.drop_recovery();
                    self.perform(ctx, pending);
                }
                Some(Answer::Cancel) => self.guard = Guard::Idle,
                None => {}
            }
        }
    }

    /// Shows one modal; returns it if it stays open.
    fn show_modal(
        &mut self,
        ctx: &egui::Context,
        modal: Modal,
        actions: &mut Vec<Action>,
    ) -> Option<Modal> {
        match modal {
            Modal::Error(message) => {
                let mut ok = false;
                egui::Modal::new(egui::Id::unique("error")).show(ctx, |ui| {
                    ui.set_max_width(520.0);
                    ui.heading("Something went wrong");
                    ui.label(&message);
                    ui.add_space(8.0);
                    ok = ui.button("OK").clicked() || ui.input(|i| i.key_pressed(Key::Enter));
                });
                (!ok).then_some(Modal::Error(message))
            }
            Modal::Info { title, text } => {
                let mut ok = false;
                egui::Modal::new(egui::Id::unique("info")).show(ctx, |ui| {
                    ui.set_max_width(560.0);
                    ui.heading(&title);
                    ui.label(&text);
                    ui.add_space(8.0);
                    ok = ui.button("OK").clicked() || ui.input(|i| i.key_pressed(Key::Enter));
                });
                (!ok).then_some(Modal::Info { title, text })
            }
            Modal::Recovery(offer) => {
                let choice = self.recovery_question(ctx, &offer);
                match choice {
                    Some(true) => {
                        self.restore(offer);
                        None
                    }
                    Some(false) => {
                        recovery::remove(&offer.path);
                        None
                    }
                    None => Some(Modal::Recovery(offer)),
                }
            }
            Modal::Overwrite { path, deleted } => {
                let mut choice = None;
                egui::Modal::new(egui::Id::unique("overwrite")).show(ctx, |ui| {
                    ui.set_max_width(480.0);
                    if deleted {
                        ui.heading("The file was deleted on disk");
                        ui.label(format!(
                            "{} was deleted by another program since spanmark opened it. \
                             Save your version there again?",
                            path.display()
                        ));
                        ui.add_space(8.0);
                        choice = yes_or_no(ui, "Save", "Cancel");
                    } else {
                        ui.heading("The file changed on disk");
                        ui.label(format!(
                            "{} was changed by another program since spanmark opened it. \
                             Overwrite it with your version? (The version on disk is kept \
                             as {}.)",
                            path.display(),
                            io::backup_path(&path).display()
                        ));
                        ui.add_space(8.0);
                        choice = yes_or_no(ui, "Overwrite", "Cancel");
                    }
                });
                match choice {
                    Some(true) => {
                        self.write_to(ctx, path, None);
                        None
                    }
                    Some(false) => {
                        self.guard.save_abandoned();
                        self.status = "Not saved. Use Save As… to keep both versions.".to_string();
                        None
                    }
                    None => Some(Modal::Overwrite { path, deleted }),
                }
            }
            Modal::Export(mut dialog) => {
                let keep = self.export_dialog(ctx, &mut dialog, actions);
                keep.then_some(Modal::Export(dialog))
            }
            Modal::DeleteLabel { id, name, spans } => {
                let mut choice = None;
                egui::Modal::new(egui::Id::unique("delete-label")).show(ctx, |ui| {
                    ui.set_max_width(420.0);
                    ui.heading(format!("Delete label {name}?"));
                    ui.label(match spans {
                        0 => "No span uses it.".to_string(),
                        1 => "Its 1 span goes with it. Ctrl+Z brings both back.".to_string(),
                        n => format!("Its {n} spans go with it. Ctrl+Z brings them all back."),
                    });
                    ui.add_space(8.0);
                    choice = yes_or_no(ui, "Delete", "Cancel");
                    if escape(ui) {
                        choice = Some(false);
                    }
                });
                match choice {
                    Some(true) => {
                        actions.push(Action::DeleteLabelConfirmed(id));
                        None
                    }
                    Some(false) => None,
                    None => Some(Modal::DeleteLabel { id, name, spans }),
                }
            }
            Modal::LabelAll {
                everywhere,
                count,
                docs,
                what,
            } => {
                let mut choice = None;
                egui::Modal::new(egui::Id::unique("label-all")).show(ctx, |ui| {
                    ui.set_max_width(440.0);
                    ui.heading("Label all occurrences?");
                    let place = if everywhere {
                        format!("in {}", crate::ui::count(docs, "document"))
                    } else {
                        "in this document".to_string()
                    };
                    ui.label(format!(
                        "{} of {what} {place} get the same label. \
                         Ctrl+Z takes them all back.",
                        crate::ui::count(count, "more occurrence")
                    ));
                    ui.add_space(8.0);
                    choice = yes_or_no(ui, "Label them", "Cancel");
                    if escape(ui) {
                        choice = Some(false);
                    }
                });
                match choice {
                    Some(true) => {
                        actions.push(Action::LabelAllConfirmed { everywhere });
                        None
                    }
                    Some(false) => None,
                    None => Some(Modal::LabelAll {
                        everywhere,
                        count,
                        docs,
                        what,
                    }),
                }
            }
            Modal::Path { purpose, mut text } => {
                let keep = self.path_dialog(ctx, purpose, &mut text, actions);
                keep.then_some(Modal::Path { purpose, text })
            }
            Modal::AcceptAll {
                everywhere,
                count,
                docs,
            } => {
                let keep =
                    super::suggest::accept_all_question(ctx, everywhere, count, docs, actions);
                keep.then_some(Modal::AcceptAll {
                    everywhere,
                    count,
                    docs,
                })
            }
            Modal::DictionaryLabel { set, mut label } => {
                let keep = self.dictionary_label(ctx, &set, &mut label, actions);
                keep.then_some(Modal::DictionaryLabel { set, label })
            }
            Modal::Command { mut text } => {
                let keep = super::command::command_dialog(ctx, &mut text, actions);
                keep.then_some(Modal::Command { text })
            }
        }
    }

    fn recovery_question(&self, ctx: &egui::Context, offer: &Recovery) -> Option<bool> {
        let docs = offer.project.documents().len();
        let spans: usize = offer
            .project
            .documents()
            .iter()
            .map(|d| d.spans().len())
            .sum();
        let name = match &self.path {
            Some(_) => format!("“{}”", self.project_name()),
            None => "an unsaved project".to_string(),
        };
        let mut choice = None;
        egui::Modal::new(egui::Id::unique("recovery")).show(ctx, |ui| {
            ui.set_max_width(480.0);
            ui.heading("Restore unsaved work?");
            ui.label(format!(
                "spanmark did not close cleanly. Autosave kept a copy of {name}, \
                 written {}: {}, {}.",
                recovery::age(offer.written),
                crate::ui::count(docs, "document"),
                crate::ui::count(spans, "span")
            ));
            ui.weak(offer.path.display().to_string());
            ui.add_space(8.0);
            choice = yes_or_no(ui, "Restore", "Discard copy");
        });
        choice
    }

    /// The export dialog; returns whether it stays open.
    fn export_dialog(
        &self,
        ctx: &egui::Context,
        dialog: &mut ExportDialog,
        actions: &mut Vec<Action>,
    ) -> bool {
        let mut keep = true;
        egui::Modal::new(egui::Id::unique("export")).show(ctx, |ui| {
            ui.set_min_width(520.0);
            ui.heading("Export dataset");
            let before = dialog.format;
            egui::ComboBox::new("export-format", "format")
                .selected_text(dialog.format.name())
                .show_ui(ui, |ui| {
                    for f in Format::ALL {
                        ui.selectable_value(&mut dialog.format, f, f.name());
                    }
                });
            if dialog.format != before {
                dialog.path = file_dialogs::default_export_path(self.path(), dialog.format);
            }
            ui.label(format_help(dialog.format));
            if dialog.format.is_flat() {
                ui.horizontal(|ui| {
                    ui.radio_value(&mut dialog.scheme, Scheme::Iob2, "IOB2");
                    ui.radio_value(&mut dialog.scheme, Scheme::Bilou, "BILOU");
                });
            }
            let label = ui.label(if dialog.format == Format::Brat {
                "Folder"
            } else {
                "File"
            });
            ui.add(egui::TextEdit::singleline(&mut dialog.path).desired_width(f32::INFINITY))
                .labelled_by(label.id);
            ui.horizontal(|ui| {
                if ui.button("Export").clicked() {
                    actions.push(Action::ExportTo {
                        format: dialog.format,
                        scheme: dialog.scheme,
                        path: file_dialogs::typed_path(&dialog.path),
                    });
                    keep = false;
                }
                if file_dialogs::native()
                    && ui.button("Browse…").clicked()
                    && let Some(p) = file_dialogs::export_target(dialog.format)
                {
                    dialog.path = p.display().to_string();
                }
                if ui.button("Cancel").clicked() || escape(ui) {
                    keep = false;
                }
            });
        });
        keep
    }

    /// The in-app path field; returns whether it stays open.
    fn path_dialog(
        &mut self,
        ctx: &egui::Context,
        purpose: PathPurpose,
        text: &mut String,
        actions: &mut Vec<Action>,
    ) -> bool {
        let title = match purpose {
            PathPurpose::Open => "Open project from path",
            PathPurpose::Save => "Save project to path",
            PathPurpose::AddDocuments => "Add text files (one path per line)",
            PathPurpose::ImportLabels => "Import labels from a project (.ron) or labels.json",
            PathPurpose::Compare => "Compare annotators: their project files (one path per line)",
            PathPurpose::Patterns => "Add a patterns file (JSONL) for suggestions",
            PathPurpose::Dictionary => "Add a dictionary (text<TAB>label lines, or names)",
        };
        // Several paths: a multi-line field, where Enter starts a line.
        let multi = matches!(purpose, PathPurpose::AddDocuments | PathPurpose::Compare);
        let mut keep = true;
        let mut cancelled = false;
        egui::Modal::new(egui::Id::unique("path")).show(ctx, |ui| {
            ui.set_min_width(480.0);
            let heading = ui.heading(title);
            // Enter is the default button (Ctrl+Enter in the multi-line field, where Enter
            // starts a line). Read before the field, which takes the key for itself.
            let enter = ui.input_mut(|i| {
                if multi {
                    i.consume_key(egui::Modifiers::COMMAND, Key::Enter)
                } else {
                    i.key_pressed(Key::Enter)
                }
            });
            let edit = if multi {
                egui::TextEdit::multiline(text)
            } else {
                egui::TextEdit::singleline(text)
            };
            let r = ui
                .add(edit.desired_width(f32::INFINITY))
                .labelled_by(heading.id);
            r.request_focus();
            ui.horizontal(|ui| {
                let ok = RichText::new(match purpose {
                    PathPurpose::Save => "Save",
                    PathPurpose::Open => "Open",
                    PathPurpose::AddDocuments => "Add",
                    PathPurpose::ImportLabels => "Import",
                    PathPurpose::Compare => "Compare",
                    PathPurpose::Patterns | PathPurpose::Dictionary => "Add",
                });
                if ui.button(ok).clicked() || enter {
                    let paths: Vec<PathBuf> = text
                        .lines()
                        .map(str::trim)
                        .filter(|l| !l.is_empty())
                        .map(file_dialogs::typed_path)
                        .collect();
                    if let Some(first) = paths.first() {
                        actions.push(match purpose {
                            PathPurpose::Open => Action::OpenPath(first.clone()),
                            PathPurpose::Save => Action::SaveToPath(first.clone()),
                            PathPurpose::AddDocuments => Action::AddDocumentPaths(paths),
                            PathPurpose::ImportLabels => Action::ImportLabelsFrom(first.clone()),
                            PathPurpose::Compare => Action::ComparePaths(paths),
                            PathPurpose::Patterns => Action::AddRuleFileFrom {
                                kind: RuleKind::Patterns,
                                path: first.clone(),
                            },
                            PathPurpose::Dictionary => Action::AddRuleFileFrom {
                                kind: RuleKind::Dictionary,
                                path: first.clone(),
                            },
                        });
                        keep = false;
                    }
                }
                if ui.button("Cancel").clicked() || escape(ui) {
                    keep = false;
                    cancelled = true;
                }
            });
        });
        if cancelled && purpose == PathPurpose::Save {
            self.guard.save_abandoned();
        }
        keep
    }
}
