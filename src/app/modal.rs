//! Dialogs and questions as a stack: the top one is shown (drawn by `ui::dialogs`), and
//! one that opens over another (an error over the export dialog) gives it back when it
//! closes. What each choice does is carried out here.

use std::path::PathBuf;

use eframe::egui;

use super::guard::{self, Guard};
use super::{SpanmarkApp, file_dialogs};
use crate::io::{
    self,
    recovery::{self, Recovery},
};
use crate::model::suggest::{RuleKind, RuleSet};
use crate::model::{DocId, LabelId, Relation, RelationTypeId, Span};
pub(super) use crate::ui::dialogs::ExportDialog;
use crate::ui::dialogs::{self, ExportChoice, PathChoice, Question, SaveAnswer};
use crate::ui::{Action, PathPurpose};

/// One dialog or question.
pub(super) enum Modal {
    /// Something failed; the text says what and which file.
    Error(String),
    /// A message box (e.g. an export summary).
    Info { title: String, text: String },
    /// A recovery copy from a crash: restore it or discard it.
    Recovery(Box<Recovery>),
    /// The file changed (or was deleted) on disk since it was read: overwrite it?
    Overwrite { path: PathBuf, deleted: bool },
    /// The export dialog.
    Export(ExportDialog),
    /// "Replace the existing file?" before an export writes over one.
    ReplaceExport {
        format: crate::io::export::Format,
        scheme: crate::io::export::Scheme,
        path: PathBuf,
    },
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
    /// Several relation types fit a link: which one? (The type picker.)
    LinkType {
        choices: Vec<Relation>,
        highlighted: usize,
    },
    /// "Relabel as …? Its relations that no longer fit go."
    Relabel {
        doc: DocId,
        span: Span,
        label: LabelId,
        heading: String,
        text: String,
    },
    /// "Delete this relation type and its relations?"
    DeleteRelationType {
        id: RelationTypeId,
        name: String,
        relations: usize,
    },
}

impl SpanmarkApp {
    /// Shows the progress dialog, the top modal or the unsaved-changes question.
    pub(super) fn dialogs(&mut self, ctx: &egui::Context, actions: &mut Vec<Action>) {
        if let Some(p) = self.jobs.progress() {
            dialogs::progress(ctx, p.title, p.fraction, p.elapsed);
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
            let answer =
                dialogs::unsaved_changes(ctx, &self.project_name(), guard::doing(&pending));
            match answer {
                Some(SaveAnswer::Save) => {
                    // The pending action goes on when the save succeeds, possibly only
                    // after a path was typed or an overwrite confirmed.
                    self.guard = Guard::AfterSave(pending);
                    self.perform(ctx, Action::Save);
                }
                Some(SaveAnswer::Discard) => {
                    self.guard = Guard::Idle;
                    self.drop_recovery();
                    self.perform(ctx, pending);
                }
                Some(SaveAnswer::Cancel) => self.guard = Guard::Idle,
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
                let ok = dialogs::message(ctx, "Something went wrong", &message);
                (!ok).then_some(Modal::Error(message))
            }
            Modal::Info { title, text } => {
                let ok = dialogs::message(ctx, &title, &text);
                (!ok).then_some(Modal::Info { title, text })
            }
            Modal::Recovery(offer) => match self.recovery_question(ctx, &offer) {
                Some(true) => {
                    self.restore(*offer);
                    None
                }
                Some(false) => {
                    recovery::remove(&offer.path);
                    None
                }
                None => Some(Modal::Recovery(offer)),
            },
            Modal::Overwrite { path, deleted } => {
                let text = if deleted {
                    format!(
                        "{} was deleted by another program since spanmark opened it. \
                         Save your version there again?",
                        path.display()
                    )
                } else {
                    format!(
                        "{} was changed by another program since spanmark opened it. \
                         Overwrite it with your version? (The version on disk is kept \
                         as {}.)",
                        path.display(),
                        io::backup_path(&path).display()
                    )
                };
                let q = Question {
                    heading: if deleted {
                        "The file was deleted on disk"
                    } else {
                        "The file changed on disk"
                    },
                    text: &text,
                    yes: if deleted { "Save" } else { "Overwrite" },
                    no: "Cancel",
                    escape_says_no: false,
                };
                match dialogs::question(ctx, &q) {
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
            Modal::ReplaceExport {
                format,
                scheme,
                path,
            } => {
                let what = if path.is_dir() { "folder" } else { "file" };
                let text = format!(
                    "{} already exists. Replace it with this {} export?",
                    path.display(),
                    format.name()
                );
                let q = Question {
                    heading: &format!("Replace the existing {what}?"),
                    text: &text,
                    yes: "Replace",
                    no: "Cancel",
                    escape_says_no: true,
                };
                match dialogs::question(ctx, &q) {
                    Some(true) => {
                        self.export_to(ctx, (format, scheme), path, true);
                        None
                    }
                    // Back to the export dialog, to choose another name.
                    Some(false) => Some(Modal::Export(ExportDialog {
                        format,
                        scheme,
                        path: path.display().to_string(),
                    })),
                    None => Some(Modal::ReplaceExport {
                        format,
                        scheme,
                        path,
                    }),
                }
            }
            Modal::Export(mut dialog) => {
                let keep = self.export_dialog(ctx, &mut dialog, actions);
                keep.then_some(Modal::Export(dialog))
            }
            Modal::DeleteLabel { id, name, spans } => {
                let heading = format!("Delete label {name}?");
                let text = goes_with(spans, "span", "No span uses it.");
                match ask_delete(ctx, &heading, &text) {
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
                let text = format!(
                    "{} of {what} {} get the same label. Ctrl+Z takes them all back.",
                    crate::ui::count(count, "more occurrence"),
                    place(everywhere, docs)
                );
                let q = Question {
                    heading: "Label all occurrences?",
                    text: &text,
                    yes: "Label them",
                    no: "Cancel",
                    escape_says_no: true,
                };
                match dialogs::question(ctx, &q) {
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
                match dialogs::path_field(ctx, purpose, &mut text, &file_dialogs::complete_path) {
                    Some(PathChoice::Paths(lines)) => {
                        let paths: Vec<PathBuf> =
                            lines.iter().map(|l| file_dialogs::typed_path(l)).collect();
                        actions.push(path_action(purpose, paths));
                        None
                    }
                    Some(PathChoice::Cancel) => {
                        if purpose == PathPurpose::Save {
                            self.guard.save_abandoned();
                        }
                        None
                    }
                    None => Some(Modal::Path { purpose, text }),
                }
            }
            Modal::AcceptAll {
                everywhere,
                count,
                docs,
            } => {
                let text = format!(
                    "{} {} become spans. Ctrl+Z takes them all back.",
                    crate::ui::count(count, "suggestion"),
                    place(everywhere, docs)
                );
                let q = Question {
                    heading: "Accept all suggestions?",
                    text: &text,
                    yes: "Accept them",
                    no: "Cancel",
                    escape_says_no: true,
                };
                match dialogs::question(ctx, &q) {
                    Some(true) => {
                        actions.push(Action::AcceptAllConfirmed { everywhere });
                        None
                    }
                    Some(false) => None,
                    None => Some(Modal::AcceptAll {
                        everywhere,
                        count,
                        docs,
                    }),
                }
            }
            Modal::DictionaryLabel { set, mut label } => {
                let labels = self.ws.project().labels();
                match dialogs::dictionary_label(ctx, &set.name, labels, &mut label) {
                    Some(true) => {
                        actions.push(Action::AddRuleSet(RuleSet {
                            default_label: Some(label),
                            ..set
                        }));
                        None
                    }
                    Some(false) => None,
                    None => Some(Modal::DictionaryLabel { set, label }),
                }
            }
            Modal::Command { mut text } => match dialogs::command_line(
                ctx,
                &mut text,
                &self.foreign_labels(),
                self.ws.project().labels(),
                actions,
            ) {
                Some(Some(command)) => {
                    actions.push(Action::RunCommand(command));
                    None
                }
                Some(None) => None,
                None => Some(Modal::Command { text }),
            },
            Modal::LinkType {
                choices,
                mut highlighted,
            } => {
                let project = self.ws.project();
                let doc = self.current_doc()?;
                match dialogs::relation_type_picker(ctx, (project, doc), &choices, &mut highlighted)
                {
                    Some(Some(i)) => {
                        if let Some(r) = choices.get(i) {
                            actions.push(Action::Link(*r));
                        }
                        None
                    }
                    Some(None) => {
                        self.status = "Not linked.".to_string();
                        None
                    }
                    None => Some(Modal::LinkType {
                        choices,
                        highlighted,
                    }),
                }
            }
            Modal::Relabel {
                doc,
                span,
                label,
                heading,
                text,
            } => {
                let q = Question {
                    heading: &heading,
                    text: &text,
                    yes: "Relabel",
                    no: "Cancel",
                    escape_says_no: true,
                };
                match dialogs::question(ctx, &q) {
                    Some(true) => {
                        actions.push(Action::RelabelConfirmed { doc, span, label });
                        None
                    }
                    Some(false) => None,
                    None => Some(Modal::Relabel {
                        doc,
                        span,
                        label,
                        heading,
                        text,
                    }),
                }
            }
            Modal::DeleteRelationType {
                id,
                name,
                relations,
            } => {
                let heading = format!("Delete relation type {name}?");
                let text = goes_with(relations, "relation", "No relation is of this type.");
                match ask_delete(ctx, &heading, &text) {
                    Some(true) => {
                        actions.push(Action::DeleteRelationTypeConfirmed(id));
                        None
                    }
                    Some(false) => None,
                    None => Some(Modal::DeleteRelationType {
                        id,
                        name,
                        relations,
                    }),
                }
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
        let text = format!(
            "spanmark did not close cleanly. Autosave kept a copy of {name}, written {}: \
             {}, {}.\n{}",
            recovery::age(offer.written),
            crate::ui::count(docs, "document"),
            crate::ui::count(spans, "span"),
            offer.path.display()
        );
        let q = Question {
            heading: "Restore unsaved work?",
            text: &text,
            yes: "Restore",
            no: "Discard copy",
            escape_says_no: false,
        };
        dialogs::question(ctx, &q)
    }

    /// The export dialog; returns whether it stays open.
    fn export_dialog(
        &self,
        ctx: &egui::Context,
        dialog: &mut ExportDialog,
        actions: &mut Vec<Action>,
    ) -> bool {
        let before = dialog.format;
        let choice = dialogs::export(ctx, dialog, file_dialogs::native());
        if dialog.format != before {
            let stem = file_dialogs::default_stem(self.path(), self.ws.project());
            dialog.path = file_dialogs::default_export_path(&stem, dialog.format);
        }
        match choice {
            Some(ExportChoice::Export) => {
                actions.push(Action::ExportTo {
                    format: dialog.format,
                    scheme: dialog.scheme,
                    path: file_dialogs::typed_path(&dialog.path),
                });
                false
            }
            Some(ExportChoice::Browse) => {
                if let Some(p) = file_dialogs::export_target(dialog.format) {
                    dialog.path = p.display().to_string();
                }
                true
            }
            Some(ExportChoice::Cancel) => false,
            None => true,
        }
    }
}

/// "in this document" or "in 3 documents".
fn place(everywhere: bool, docs: usize) -> String {
    if everywhere {
        format!("in {}", crate::ui::count(docs, "document"))
    } else {
        "in this document".to_string()
    }
}

/// What the path field's paths are for.
fn path_action(purpose: PathPurpose, mut paths: Vec<PathBuf>) -> Action {
    let first = paths.first().cloned().unwrap_or_default();
    match purpose {
        PathPurpose::Open => Action::OpenPath(first),
        PathPurpose::Save => Action::SaveToPath(first),
        PathPurpose::AddDocuments => Action::AddDocumentPaths(std::mem::take(&mut paths)),
        PathPurpose::ImportLabels => Action::ImportLabelsFrom(first),
        PathPurpose::Compare => Action::ComparePaths(paths),
        PathPurpose::Patterns => Action::AddRuleFileFrom {
            kind: RuleKind::Patterns,
            path: first,
        },
        PathPurpose::Dictionary => Action::AddRuleFileFrom {
            kind: RuleKind::Dictionary,
            path: first,
        },
    }
}

/// What a delete takes with it: "Its 1 span goes with it…", "Its 3 spans go with it…", or
/// `none` when nothing does.
fn goes_with(n: usize, noun: &str, none: &str) -> String {
    match n {
        0 => none.to_string(),
        1 => format!("Its 1 {noun} goes with it. Ctrl+Z brings both back."),
        n => format!("Its {n} {noun}s go with it. Ctrl+Z brings them all back."),
    }
}

/// Asks Delete / Cancel (Esc cancels): `Some(true)` to delete, `None` while open.
fn ask_delete(ctx: &egui::Context, heading: &str, text: &str) -> Option<bool> {
    dialogs::question(
        ctx,
        &Question {
            heading,
            text,
            yes: "Delete",
            no: "Cancel",
            escape_says_no: true,
        },
    )
}
