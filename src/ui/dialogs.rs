//! Dialogs, drawn as egui modals: messages, questions, the export dialog, the path field,
//! the command line and a dictionary's label. Each draws itself and returns what the user
//! chose (`None` while it stays open); the app's dialog stack (`app/modal.rs`) decides
//! which one is open and carries out the choice.

use eframe::egui::{self, Key, RichText};

use super::PathPurpose;
use super::shortcuts::ListKeys;
use crate::io::export::{Format, Scheme};
use crate::model::Label;

/// Two buttons in a row for a question: `Some(true)` for `yes`, `Some(false)` for `no`.
pub fn yes_or_no(ui: &mut egui::Ui, yes: &str, no: &str) -> Option<bool> {
    ui.horizontal(|ui| {
        let (yes, no) = (ui.button(yes).clicked(), ui.button(no).clicked());
        (yes || no).then_some(yes)
    })
    .inner
}

/// Whether Escape was pressed this frame (cancels a dialog).
pub fn escape(ui: &egui::Ui) -> bool {
    ui.input(|i| i.key_pressed(Key::Escape))
}

/// A message with an OK button (Enter too); true once it is closed.
pub fn message(ctx: &egui::Context, title: &str, text: &str) -> bool {
    let mut ok = false;
    egui::Modal::new(egui::Id::unique("message")).show(ctx, |ui| {
        ui.set_max_width(540.0);
        ui.heading(title);
        ui.label(text);
        ui.add_space(8.0);
        ok = ui.button("OK").clicked() || ui.input(|i| i.key_pressed(Key::Enter));
    });
    ok
}

/// What a question shows: a heading, the text and its two buttons.
pub struct Question<'a> {
    /// The heading.
    pub heading: &'a str,
    /// The text under it.
    pub text: &'a str,
    /// The button that says yes.
    pub yes: &'a str,
    /// The button that says no (Escape too, unless `escape_says_no` is false).
    pub no: &'a str,
    /// Whether Escape answers no (a question that must be answered keeps it off).
    pub escape_says_no: bool,
}

/// A yes/no question; `Some(answer)` once answered.
pub fn question(ctx: &egui::Context, q: &Question<'_>) -> Option<bool> {
    let mut choice = None;
    egui::Modal::new(egui::Id::unique("question")).show(ctx, |ui| {
        ui.set_max_width(480.0);
        ui.heading(q.heading);
        ui.label(q.text);
        ui.add_space(8.0);
        choice = yes_or_no(ui, q.yes, q.no);
        if q.escape_says_no && escape(ui) {
            choice = Some(false);
        }
    });
    choice
}

/// A long job's progress, over everything (the window waits for it).
pub fn progress(ctx: &egui::Context, title: &str, fraction: f32, seconds: f32) {
    egui::Modal::new(egui::Id::unique("job")).show(ctx, |ui| {
        ui.set_min_width(360.0);
        ui.label(format!("{title}…"));
        ui.add(
            egui::ProgressBar::new(fraction)
                .animate(true)
                .text(format!("{seconds:.1} s")),
        );
    });
}

/// The answer to "Save the changes before …?".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SaveAnswer {
    /// Save first, then go on.
    Save,
    /// Go on without saving.
    Discard,
    /// Do nothing.
    Cancel,
}

/// "Save the changes to “name” before `doing`?"
pub fn unsaved_changes(ctx: &egui::Context, name: &str, doing: &str) -> Option<SaveAnswer> {
    let mut answer = None;
    egui::Modal::new(egui::Id::unique("unsaved")).show(ctx, |ui| {
        ui.set_max_width(420.0);
        ui.heading("Unsaved changes");
        ui.label(format!("Save the changes to “{name}” before {doing}?"));
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui.button("Save").clicked() {
                answer = Some(SaveAnswer::Save);
            }
            if ui.button("Discard").clicked() {
                answer = Some(SaveAnswer::Discard);
            }
            if ui.button("Cancel").clicked() || escape(ui) {
                answer = Some(SaveAnswer::Cancel);
            }
        });
    });
    answer
}

/// The export dialog's choices.
#[derive(Clone, Debug)]
pub struct ExportDialog {
    /// The format.
    pub format: Format,
    /// Tagging scheme of the token formats.
    pub scheme: Scheme,
    /// The file (or brat folder) as typed.
    pub path: String,
}

/// What the export dialog was closed with (or asked for).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportChoice {
    /// Export with the dialog's choices.
    Export,
    /// Choose the path with the native dialog.
    Browse,
    /// Close without exporting.
    Cancel,
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

/// The export dialog (`browse`: whether a native file dialog can be offered). A change
/// of format is seen by the caller comparing `dialog.format` before and after.
pub fn export(
    ctx: &egui::Context,
    dialog: &mut ExportDialog,
    browse: bool,
) -> Option<ExportChoice> {
    let mut choice = None;
    egui::Modal::new(egui::Id::unique("export")).show(ctx, |ui| {
        ui.set_min_width(520.0);
        ui.heading("Export dataset");
        egui::ComboBox::new("export-format", "format")
            .selected_text(dialog.format.name())
            .show_ui(ui, |ui| {
                for f in Format::ALL {
                    ui.selectable_value(&mut dialog.format, f, f.name());
                }
            });
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
                choice = Some(ExportChoice::Export);
            }
            if browse && ui.button("Browse…").clicked() {
                choice = Some(ExportChoice::Browse);
            }
            if ui.button("Cancel").clicked() || escape(ui) {
                choice = Some(ExportChoice::Cancel);
            }
        });
    });
    choice
}

/// What the path field was closed with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathChoice {
    /// The lines typed (trimmed, blank ones left out; at least one).
    Paths(Vec<String>),
    /// Cancelled.
    Cancel,
}

/// The in-app path field, for desktops without a native file dialog: one path, or one
/// per line where several are asked for. Tab completes the last line through `complete`
/// (the app's, which reads the folder).
pub fn path_field(
    ctx: &egui::Context,
    purpose: PathPurpose,
    text: &mut String,
    complete: &dyn Fn(&str) -> Option<String>,
) -> Option<PathChoice> {
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
    let mut choice = None;
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
        // Tab completes (taken before the field, which would indent or move focus).
        let tab = ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, Key::Tab));
        let completed = tab.then(|| complete(text)).flatten();
        if let Some(c) = &completed {
            *text = c.clone();
        }
        let edit = if multi {
            egui::TextEdit::multiline(text)
        } else {
            egui::TextEdit::singleline(text)
        };
        // The field keeps the focus on Tab.
        let mut out = edit.desired_width(f32::INFINITY).lock_focus(true).show(ui);
        if completed.is_some() {
            let end = egui::text::CCursor::new(text.chars().count());
            out.state
                .cursor
                .set_char_range(Some(egui::text::CCursorRange::one(end)));
            out.state.store(ui.ctx(), out.response.id);
        }
        let r = (*out.response).clone().labelled_by(heading.id);
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
                let paths: Vec<String> = text
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(str::to_string)
                    .collect();
                if !paths.is_empty() {
                    choice = Some(PathChoice::Paths(paths));
                }
            }
            if ui.button("Cancel").clicked() || escape(ui) {
                choice = Some(PathChoice::Cancel);
            }
        });
    });
    choice
}

/// The external command's line: `Some(Some(command))` to run it, `Some(None)` cancelled.
pub fn command_line(
    ctx: &egui::Context,
    text: &mut String,
    foreign: &[ForeignLabel],
    labels: &[Label],
    actions: &mut Vec<super::Action>,
) -> Option<Option<String>> {
    let mut choice = None;
    egui::Modal::new(egui::Id::unique("command")).show(ctx, |ui| {
        ui.set_min_width(520.0);
        let heading = ui.heading("Run a command for suggestions");
        ui.label(
            "It reads one JSON line per document on stdin ({\"id\", \"text\", \"labels\"}) \
             and prints {\"id\", \"spans\": [{\"start\", \"end\", \"label\", \"score\"}]} \
             lines, in char offsets. Its spans replace the last run's suggestions.",
        );
        ui.weak("e.g. python examples/spacy_recommender.py en_core_web_sm");
        let enter = ui.input(|i| i.key_pressed(Key::Enter));
        let r = ui
            .add(egui::TextEdit::singleline(text).desired_width(f32::INFINITY))
            .labelled_by(heading.id);
        if foreign.is_empty() {
            r.request_focus();
        } else {
            label_map(ui, foreign, labels, actions);
        }
        ui.horizontal(|ui| {
            let run = if foreign.is_empty() {
                "Run"
            } else {
                "Run again"
            };
            if (ui.button(run).clicked() || enter) && !text.trim().is_empty() {
                choice = Some(Some(text.trim().to_string()));
            }
            if ui.button("Cancel").clicked() || escape(ui) {
                choice = Some(None);
            }
        });
    });
    choice
}

/// A label the last command run gave that the project lacks: its name, how many spans
/// had it, and what it becomes now (`None`: not applied; `Some(None)`: dropped).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ForeignLabel {
    /// The command's label name.
    pub name: String,
    /// Spans the last run gave with it.
    pub count: usize,
    /// What it becomes: a project label, dropped, or nothing yet.
    pub mapped: Option<Option<String>>,
}

/// The command's labels the project lacks, each with a combo box: a project label, or
/// dropped.
fn label_map(
    ui: &mut egui::Ui,
    foreign: &[ForeignLabel],
    labels: &[Label],
    actions: &mut Vec<super::Action>,
) {
    ui.add_space(6.0);
    ui.label(egui::RichText::new("Labels the command gave that this project lacks").strong());
    ui.weak("Map each to a project label, or drop it. The map is saved in the project.");
    egui::ScrollArea::vertical()
        .max_height(240.0)
        .show(ui, |ui| {
            egui::Grid::new("command-labels")
                .striped(true)
                .show(ui, |ui| {
                    for f in foreign {
                        let shown = match &f.mapped {
                            None => "not applied".to_string(),
                            Some(None) => "dropped".to_string(),
                            Some(Some(to)) => format!("as {to}"),
                        };
                        egui::ComboBox::new(("map", &f.name), &f.name)
                            .selected_text(shown)
                            .show_ui(ui, |ui| {
                                for l in labels {
                                    let on = f
                                        .mapped
                                        .as_ref()
                                        .is_some_and(|m| m.as_deref() == Some(l.name.as_str()));
                                    if ui.selectable_label(on, format!("as {}", l.name)).clicked()
                                        && !on
                                    {
                                        actions.push(super::Action::MapCommandLabel {
                                            from: f.name.clone(),
                                            to: Some(l.name.clone()),
                                        });
                                    }
                                }
                                let dropped = f.mapped == Some(None);
                                if ui.selectable_label(dropped, "Drop").clicked() && !dropped {
                                    actions.push(super::Action::MapCommandLabel {
                                        from: f.name.clone(),
                                        to: None,
                                    });
                                }
                            });
                        ui.label(crate::ui::count(f.count, "span"));
                        ui.end_row();
                    }
                });
        });
    ui.add_space(6.0);
}

/// Which label a dictionary's bare names get: `Some(true)` to add it with `label`.
pub fn dictionary_label(
    ctx: &egui::Context,
    file: &str,
    labels: &[Label],
    label: &mut String,
) -> Option<bool> {
    let mut choice = None;
    egui::Modal::new(egui::Id::unique("dictionary-label")).show(ctx, |ui| {
        ui.set_min_width(420.0);
        ui.heading(format!("Label for {file}"));
        ui.label("Its lines name no label. Which label do its names get?");
        egui::ComboBox::new("dictionary-label", "label")
            .selected_text(label.as_str())
            .show_ui(ui, |ui| {
                for l in labels {
                    ui.selectable_value(label, l.name.clone(), &l.name);
                }
            });
        ui.add_space(8.0);
        match yes_or_no(ui, "Add", "Cancel") {
            Some(true) if !label.is_empty() => choice = Some(true),
            Some(false) => choice = Some(false),
            _ => {}
        }
        if escape(ui) {
            choice = Some(false);
        }
    });
    choice
}

/// The type picker of a link several relation types fit: one row per choice (its type,
/// and which span it starts from); ↑/↓ and Enter, a type's key, or a click choose,
/// Escape cancels. `Some(Some(i))` once choice `i` is taken, `Some(None)` if cancelled.
pub fn relation_type_picker(
    ctx: &egui::Context,
    (project, doc): (&crate::model::Project, &crate::model::Document),
    choices: &[crate::model::Relation],
    highlighted: &mut usize,
) -> Option<Option<usize>> {
    use super::relations::span_words;
    let keyed: Vec<Option<char>> = choices
        .iter()
        .map(|r| project.relation_type(r.kind()).and_then(|t| t.hotkey))
        .collect();
    let (keys, key) = ctx.input_mut(|i| {
        let key = super::HOTKEYS
            .iter()
            .find(|(k, c)| keyed.contains(&Some(*c)) && i.consume_key(egui::Modifiers::NONE, *k))
            .map(|(_, c)| *c);
        (ListKeys::take(i), key)
    });
    let n = choices.len();
    keys.step(highlighted, n);
    let ListKeys { enter, escape, .. } = keys;
    let mut chosen = key
        .and_then(|k| keyed.iter().position(|c| *c == Some(k)))
        .or((enter && n > 0).then_some(*highlighted));
    let mut cancelled = escape;
    egui::Modal::new(egui::Id::unique("relation-type-picker")).show(ctx, |ui| {
        ui.set_width(380.0);
        ui.label(RichText::new("Link as…").strong());
        for (k, r) in choices.iter().enumerate() {
            let Some(t) = project.relation_type(r.kind()) else {
                continue;
            };
            let key = t.hotkey.map(|c| format!("  ({c})")).unwrap_or_default();
            let text = format!(
                "{}{key}: {} to {}",
                t.name,
                span_words(project, doc, &r.from(), 24),
                span_words(project, doc, &r.to(), 24)
            );
            let row = ui.horizontal(|ui| {
                super::doc_view::swatch(ui, super::relation_color(t.color, ui.visuals().dark_mode));
                ui.selectable_label(k == *highlighted, text)
            });
            if row.inner.clicked() {
                chosen = Some(k);
            }
        }
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            cancelled |= ui.button("Cancel").clicked();
            ui.weak("Up/Down and Enter, or a type's key; Esc cancels");
        });
    });
    if cancelled {
        return Some(None);
    }
    chosen.map(Some)
}
