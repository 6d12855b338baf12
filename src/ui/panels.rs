//! Menus, toolbar, side panels and status bar. Each reads state and pushes actions.

use std::path::PathBuf;

use eframe::egui::{self, Button, Color32, RichText, Ui};

use super::{Action, PathPurpose, color, shortcuts};
use crate::model::text::ellipsize;
use crate::model::{DocId, Document, LabelId, Project, Span, Workspace};

/// The File / Edit / Suggestions / View / Help menu bar.
pub fn menu_bar(
    ui: &mut Ui,
    ws: &Workspace,
    (current, pending): (Option<DocId>, super::suggestions::Pending),
    recent: &[PathBuf],
    snap: &mut bool,
    has_annotators: bool,
    actions: &mut Vec<Action>,
) {
    let ctx = ui.ctx().clone();
    let item = |ui: &mut Ui, text: &str, shortcut: Option<&egui::KeyboardShortcut>| {
        let mut b = Button::new(text);
        if let Some(s) = shortcut {
            b = b.shortcut_text(ctx.format_shortcut(s));
        }
        ui.add(b).clicked()
    };
    let tab_note = "While this document has pending suggestions, the key steps through them";
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button("File", |ui| {
            if item(ui, "New", Some(&shortcuts::NEW)) {
                actions.push(Action::New);
            }
            if item(ui, "Open…", Some(&shortcuts::OPEN)) {
                actions.push(Action::Open);
            }
            if item(ui, "Open path…", None) {
                actions.push(Action::PromptPath(PathPurpose::Open));
            }
            ui.add_enabled_ui(!recent.is_empty(), |ui| {
                ui.menu_button("Open recent", |ui| {
                    for path in recent {
                        if ui.button(path.display().to_string()).clicked() {
                            actions.push(Action::OpenPath(path.clone()));
                        }
                    }
                });
            });
            ui.separator();
            if item(ui, "Save", Some(&shortcuts::SAVE)) {
                actions.push(Action::Save);
            }
            if item(ui, "Save As…", Some(&shortcuts::SAVE_AS)) {
                actions.push(Action::SaveAs);
            }
            if item(ui, "Save to path…", None) {
                actions.push(Action::PromptPath(PathPurpose::Save));
            }
            ui.separator();
            if item(ui, "Add documents…", None) {
                actions.push(Action::AddDocuments);
            }
            if item(ui, "Import…", None) {
                actions.push(Action::Import);
            }
            if item(ui, "Add documents from path…", None) {
                actions.push(Action::PromptPath(PathPurpose::AddDocuments));
            }
            if item(ui, "Export…", Some(&shortcuts::EXPORT)) {
                actions.push(Action::Export);
            }
            ui.separator();
            if item(ui, "Compare annotators…", None) {
                actions.push(Action::CompareAnnotators);
            }
            if item(ui, "Compare annotators from paths…", None) {
                actions.push(Action::PromptPath(PathPurpose::Compare));
            }
            ui.separator();
            if item(ui, "Quit", Some(&shortcuts::QUIT)) {
                actions.push(Action::Quit);
            }
        });
        ui.menu_button("Edit", |ui| {
            let undo = match ws.undo_description() {
                Some(d) => format!("Undo {d}"),
                None => "Undo".to_string(),
            };
            let redo = match ws.redo_description() {
                Some(d) => format!("Redo {d}"),
                None => "Redo".to_string(),
            };
            ui.add_enabled_ui(ws.undo_description().is_some(), |ui| {
                if item(ui, &undo, Some(&shortcuts::UNDO)) {
                    actions.push(Action::Undo);
                }
            });
            ui.add_enabled_ui(ws.redo_description().is_some(), |ui| {
                if item(ui, &redo, Some(&shortcuts::REDO)) {
                    actions.push(Action::Redo);
                }
            });
            ui.separator();
            if ui
                .add_enabled(current.is_some(), Button::new("Delete document"))
                .clicked()
                && let Some(doc) = current
            {
                actions.push(Action::DeleteDocument(doc));
            }
            if ui
                .add(Button::new("Delete span").shortcut_text("Del"))
                .clicked()
            {
                actions.push(Action::DeleteSelectedSpan);
            }
            if ui
                .add(Button::new("Clear selection").shortcut_text("Esc"))
                .clicked()
            {
                actions.push(Action::ClearSelection);
            }
            let step = |ui: &mut Ui, text: &str, shortcut: &egui::KeyboardShortcut| {
                ui.add(Button::new(text).shortcut_text(ctx.format_shortcut(shortcut)))
                    .on_hover_text(tab_note)
                    .clicked()
            };
            if step(ui, "Next span", &shortcuts::NEXT_SPAN) {
                actions.push(Action::StepSpan { forward: true });
            }
            if step(ui, "Previous span", &shortcuts::PREVIOUS_SPAN) {
                actions.push(Action::StepSpan { forward: false });
            }
            if item(ui, "Link span…", Some(&shortcuts::LINK)) {
                actions.push(Action::StartLink);
            }
            if ui
                .button("Label all occurrences in this document…")
                .clicked()
            {
                actions.push(Action::LabelAllOccurrences { everywhere: false });
            }
            if ui
                .button("Label all occurrences in all documents…")
                .clicked()
            {
                actions.push(Action::LabelAllOccurrences { everywhere: true });
            }
            if item(
                ui,
                "Mark done, next document",
                Some(&shortcuts::DONE_AND_NEXT),
            ) {
                actions.push(Action::DoneAndNext);
            }
            ui.separator();
            if item(ui, "Label as…", Some(&shortcuts::PICK_LABEL)) {
                actions.push(Action::OpenLabelPicker);
            }
            if item(ui, "Labels…", Some(&shortcuts::LABELS)) {
                actions.push(Action::OpenLabels);
            }
            ui.separator();
            if item(ui, "Find…", Some(&shortcuts::FIND)) {
                actions.push(Action::Find);
            }
            if item(ui, "Find next", Some(&shortcuts::FIND_NEXT)) {
                actions.push(Action::FindNext);
            }
            if item(ui, "Find previous", Some(&shortcuts::FIND_PREVIOUS)) {
                actions.push(Action::FindPrevious);
            }
            if item(ui, "Find in all documents…", Some(&shortcuts::FIND_ALL)) {
                actions.push(Action::FindAll);
            }
            ui.separator();
            if item(ui, "Go to document…", Some(&shortcuts::QUICK_OPEN)) {
                actions.push(Action::QuickOpen);
            }
        });
        super::suggestions::menu(ui, ws.project().suggest_settings(), pending, actions);
        ui.menu_button("View", |ui| {
            if ui.button("Statistics").clicked() {
                actions.push(Action::OpenStats);
            }
            if ui.button("Agreement").clicked() {
                actions.push(Action::OpenAgreement);
            }
            ui.separator();
            ui.checkbox(snap, "Snap selections to words");
            ui.separator();
            super::doc_view::ReadingPrefs::menu(ui);
            ui.separator();
            // Words, not egui's icon buttons: their symbols are missing from most fonts.
            let mut theme = ui.ctx().options(|o| o.theme_preference);
            let before = theme;
            ui.horizontal(|ui| {
                ui.selectable_value(&mut theme, egui::ThemePreference::System, "System");
                ui.selectable_value(&mut theme, egui::ThemePreference::Dark, "Dark");
                ui.selectable_value(&mut theme, egui::ThemePreference::Light, "Light");
            });
            if theme != before {
                ui.ctx().set_theme(theme);
            }
        });
        ui.menu_button("Adjudicate", |ui| {
            super::compare::menu(ui, has_annotators, actions);
        });
        ui.menu_button("Help", |ui| {
            ui.label(RichText::new("Keyboard").strong());
            for (keys, what) in KEY_HELP.iter().chain(super::compare::KEY_HELP) {
                ui.horizontal(|ui| {
                    ui.monospace(*keys);
                    ui.label(*what);
                });
            }
        });
    });
}

/// The keys, as listed under Help and in the README.
pub const KEY_HELP: &[(&str, &str)] = &[
    ("drag", "select text (across lines too)"),
    ("double-click", "select a word (without a possessive 's)"),
    ("triple-click", "select the sentence"),
    (
        "right-click",
        "on a span: select, relabel, note, delete; on a suggestion: accept, reject; \
         on a selection: label it",
    ),
    (
        "←/→, Ctrl+←/→",
        "move the caret by character / word (Shift: extend the selection)",
    ),
    (
        "Home/End, ↑/↓",
        "caret to the line's start / end, a row up / down (Shift: extend)",
    ),
    ("PageUp/PageDown", "scroll a screen"),
    ("shift+click", "extend the selection"),
    ("click a span", "select it (again: the next nested span)"),
    (
        "click a suggestion",
        "(a dashed outline) select it; the buttons beside it accept / reject it",
    ),
    (
        "1 … 9, 0, a … z",
        "label the selection / relabel the selected span (each label's key)",
    ),
    (
        "Del, Backspace",
        "delete the selected span (or the selected arrow)",
    ),
    (
        "R",
        "link the selected span: then click the other span, or Tab to it and Enter \
         (a picker asks when several relation types fit); Esc cancels",
    ),
    (
        "click an arrow",
        "select the relation (Del removes it; right-click: delete, change type); \
         a dashed arrow is a suggested relation: Enter accepts, X rejects",
    ),
    (
        "Ctrl+Enter",
        "in the span panel's note field: save the note (so does clicking away)",
    ),
    ("Esc", "clear the selection"),
    (
        "Tab, Shift+Tab",
        "select the next / previous suggestion while the document has pending ones, \
         else the next / previous span",
    ),
    (
        "Enter",
        "accept the selected suggestion (it becomes a span) or suggested relation",
    ),
    (
        "X",
        "reject the selected suggestion or suggested relation (it is not proposed again)",
    ),
    (
        "Ctrl+Enter",
        "mark the document done and open the next to-do one",
    ),
    ("Ctrl+Z", "undo"),
    ("Ctrl+Shift+Z, Ctrl+Y", "redo"),
    ("Ctrl+N / O / S", "new / open / save"),
    ("Ctrl+Shift+S", "save as"),
    ("Ctrl+E", "export a dataset"),
    (
        "Ctrl+K",
        "label picker: type to filter, arrows, Enter labels the selection",
    ),
    (
        "Ctrl+L",
        "labels and relation types: add, rename, recolour, keys, order, delete",
    ),
    (
        "Ctrl+F",
        "find in the document (Enter: next match, Shift+Enter: previous)",
    ),
    (
        "Ctrl+P",
        "go to document: type part of its name, arrows, Enter shows it, Esc closes",
    ),
    (
        "Ctrl+Shift+F",
        "find in all documents (text or regex): Enter searches, ↑/↓ and Enter go to \
         a match; label all results as one undo step",
    ),
    (
        "F3, Shift+F3",
        "next / previous match; Esc closes the find bar",
    ),
    (
        "Ctrl+= / Ctrl+- / Ctrl+0",
        "bigger / smaller / default text",
    ),
];

/// Label buttons (which double as the colour legend) and the snap toggle.
pub fn toolbar(ui: &mut Ui, project: &Project, snap: &mut bool, actions: &mut Vec<Action>) {
    ui.horizontal_wrapped(|ui| {
        for (id, label) in project.label_entries() {
            let key = label.hotkey.map(|k| format!("{k} ")).unwrap_or_default();
            let text = RichText::new(format!("{key}{}", label.name)).strong();
            let button = Button::new(text)
                .fill(color(label.color).gamma_multiply(0.35))
                .stroke(egui::Stroke::new(2.0, color(label.color)));
            let hint = match label.hotkey {
                Some(k) => format!("Label the selection as {} (key {k})", label.name),
                None => format!("Label the selection as {}", label.name),
            };
            if ui.add(button).on_hover_text(hint).clicked() {
                actions.push(Action::ApplyLabel(id));
            }
        }
        if ui
            .button("Labels…")
            .on_hover_text("Add, rename, recolour, reorder or delete labels (Ctrl+L)")
            .clicked()
        {
            actions.push(Action::OpenLabels);
        }
        ui.separator();
        ui.checkbox(snap, "Snap to words")
            .on_hover_text("Trim spaces and widen selections to whole words");
    });
}

/// What the span list shows, derived from the project: kept between frames and rebuilt
/// only when the project, the document or the filter changes, so that a document with
/// 50,000 spans costs nothing per frame.
#[derive(Default)]
pub struct SpanList {
    key: Option<(u64, DocId, Vec<LabelId>)>,
    counts: Vec<usize>,
    visible: Vec<Span>,
    /// The note being edited in the note field.
    note: Option<NoteDraft>,
}

/// What the note field holds for one span: the text as typed, and the note it started
/// from (or was last committed as), so that only a change is committed.
struct NoteDraft {
    doc: DocId,
    span: Span,
    text: String,
    base: String,
}

impl NoteDraft {
    fn new(doc: DocId, span: Span, note: &str) -> Self {
        Self {
            doc,
            span,
            text: note.to_string(),
            base: note.to_string(),
        }
    }

    /// Pushes the typed note if it differs from where it started.
    fn commit(&mut self, actions: &mut Vec<Action>) {
        if self.text != self.base {
            self.base = self.text.clone();
            actions.push(Action::SetNote {
                doc: self.doc,
                span: self.span,
                note: self.text.clone(),
            });
        }
    }
}

/// Marks a span with a note in the span list: the footnote dagger, which the default
/// fonts have (a pencil would be drawn as a box).
const NOTE_MARK: &str = "†";

/// The note field of the selected span: multi-line; it commits when it loses focus or
/// on Ctrl+Enter, as one undo step.
fn note_editor(
    ui: &mut Ui,
    project: &Project,
    doc: &Document,
    selected: Option<Span>,
    draft: &mut Option<NoteDraft>,
    actions: &mut Vec<Action>,
) {
    let selected = selected.filter(|s| doc.spans().contains(s));
    // Another span (or none) is selected: what was typed for the last one is kept.
    if let Some(d) = draft.as_mut()
        && (Some(d.span) != selected || d.doc != doc.id())
    {
        d.commit(actions);
        *draft = None;
    }
    let Some(span) = selected else {
        return;
    };
    let stored = doc.note(&span).unwrap_or("");
    let d = draft.get_or_insert_with(|| NoteDraft::new(doc.id(), span, stored));
    let name = project.label(span.label()).map_or("?", |l| l.name.as_str());
    ui.label(RichText::new(format!("Note on {name} {}–{}", span.start(), span.end())).strong());
    let id = ui.make_persistent_id("span note");
    // Not being edited: show the stored note (an undo or redo may have changed it).
    let focused = ui.memory(|m| m.has_focus(id));
    if !focused && d.text == d.base && d.base != stored {
        *d = NoteDraft::new(doc.id(), span, stored);
    }
    let r = ui.add(
        egui::TextEdit::multiline(&mut d.text)
            .id(id)
            .hint_text("Type a note; Ctrl+Enter saves")
            .desired_rows(3)
            .desired_width(f32::INFINITY),
    );
    let ctrl_enter = r.has_focus() && ui.input_mut(|i| i.consume_shortcut(&shortcuts::COMMIT_NOTE));
    if ctrl_enter {
        r.surrender_focus();
    }
    if ctrl_enter || r.lost_focus() {
        d.commit(actions);
    }
    ui.separator();
}

impl SpanList {
    fn refresh(&mut self, revision: u64, project: &Project, doc: DocId, hidden: &[LabelId]) {
        let key = (revision, doc, hidden.to_vec());
        if self.key.as_ref() == Some(&key) {
            return;
        }
        // Counts in display order.
        self.counts = vec![0; project.labels().len()];
        self.visible.clear();
        if let Some(d) = project.document(doc) {
            for s in d.spans().iter() {
                if let Some(c) = project
                    .label_position(s.label())
                    .and_then(|i| self.counts.get_mut(i))
                {
                    *c += 1;
                }
                if !hidden.contains(&s.label()) {
                    self.visible.push(*s);
                }
            }
        }
        self.key = Some(key);
    }
}

/// The span list of the current document, filterable by label, with counts.
#[allow(clippy::too_many_arguments)]
pub fn spans(
    ui: &mut Ui,
    ws: &Workspace,
    doc: Option<DocId>,
    hidden: &mut Vec<LabelId>,
    list: &mut SpanList,
    selected: Option<Span>,
    relations: (Option<crate::model::Relation>, &crate::model::RelationSet),
    suggestion: Option<&str>,
    actions: &mut Vec<Action>,
) {
    let project = ws.project();
    let Some(doc) = doc.and_then(|d| project.document(d)) else {
        return;
    };
    ui.heading("Spans");
    list.refresh(ws.revision(), project, doc.id(), hidden);
    let counts = &list.counts;
    ui.horizontal_wrapped(|ui| {
        for (i, (id, label)) in project.label_entries().enumerate() {
            let shown = !hidden.contains(&id);
            let text = RichText::new(format!("{} {}", label.name, counts[i])).color(if shown {
                ui.visuals().text_color()
            } else {
                ui.visuals().weak_text_color()
            });
            let chip = Button::selectable(shown, text).stroke(egui::Stroke::new(
                1.5,
                if shown {
                    color(label.color)
                } else {
                    Color32::TRANSPARENT
                },
            ));
            if ui
                .add(chip)
                .on_hover_text(format!("Show or hide {} spans in this list", label.name))
                .clicked()
            {
                if shown {
                    hidden.push(id);
                } else {
                    hidden.retain(|h| *h != id);
                }
            }
        }
    });
    ui.separator();
    if let Some(line) = suggestion {
        // The selected suggestion, with where it came from and the command's score.
        ui.label(RichText::new("Suggestion").strong());
        ui.label(line);
        ui.separator();
    }
    note_editor(ui, project, doc, selected, &mut list.note, actions);
    super::relation_list::span_relations(ui, project, doc, selected, relations, actions);
    let visible = &list.visible;
    let row_h = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
    egui::ScrollArea::vertical()
        .id_salt("spans")
        .auto_shrink([false, false])
        .show_rows(ui, row_h, visible.len(), |ui, rows| {
            // One line per row: show_rows needs equal row heights.
            ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Truncate);
            for span in &visible[rows] {
                let Some(label) = project.label(span.label()) else {
                    continue;
                };
                let note = doc.note(span);
                let text = format!(
                    "{}{}  {}–{}  {}",
                    label.name,
                    if note.is_some() {
                        format!(" {NOTE_MARK}")
                    } else {
                        String::new()
                    },
                    span.start(),
                    span.end(),
                    ellipsize(doc.span_text(span), 40)
                );
                let r = ui.add(
                    Button::selectable(selected == Some(*span), RichText::new(text))
                        .stroke(egui::Stroke::new(0.0, Color32::TRANSPARENT)),
                );
                ui.painter().rect_filled(
                    egui::Rect::from_min_size(r.rect.left_top(), egui::vec2(3.0, r.rect.height())),
                    0.0,
                    color(label.color),
                );
                let r = match note {
                    Some(note) => r.on_hover_text(note),
                    None => r,
                };
                if r.clicked() {
                    actions.push(Action::SelectSpan {
                        span: *span,
                        scroll: true,
                    });
                }
            }
        });
}
