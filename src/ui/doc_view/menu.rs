//! The right-click menu on the document: for each span under the pointer, select it,
//! relabel it, edit its note or delete it; for each suggestion, accept or reject it;
//! over a selection, label it.

use eframe::egui::{self, Ui};

use super::{DocView, swatch};
use crate::model::suggest::Suggestion;
use crate::model::{Document, LabelId, Project, Span, text::ellipsize};
use crate::ui::{Action, color};

impl DocView {
    /// Remembers where the menu was opened and shows it.
    pub(super) fn context_menu(
        &mut self,
        response: &egui::Response,
        (project, suggestions): (&Project, &[Suggestion]),
        doc: &Document,
        actions: &mut Vec<Action>,
    ) {
        if response.secondary_clicked() {
            let pos = response.interact_pointer_pos();
            self.menu_at = pos.and_then(|p| self.char_at(p));
            self.menu_relation = self.relation_for_menu(pos);
        }
        let at = self.menu_at;
        let on_arrow = self.menu_relation;
        let selection = self.selection.filter(|s| !s.is_empty());
        let suggested = at
            .map(|c| self.suggest_index.at(suggestions, c))
            .unwrap_or_default();
        response.context_menu(|ui| {
            // On an arrow, the menu is the arrow's.
            if let Some(arrow) = on_arrow {
                super::relations::relation_menu(ui, (project, doc), arrow, actions);
                return;
            }
            let here = at.map(|c| doc.spans().at(c)).unwrap_or_default();
            if let Some(sel) = selection {
                let (s, e) = sel.range();
                ui.menu_button(
                    format!("Label “{}” as", ellipsize(doc.text().slice(s, e), 30)),
                    |ui| {
                        if let Some(id) = label_list(ui, project) {
                            actions.push(Action::ApplyLabel(id));
                            ui.close();
                        }
                    },
                );
                ui.separator();
            }
            if here.is_empty() && selection.is_none() && suggested.is_empty() {
                ui.weak("No span here. Select text to label it.");
            }
            // One thing under the pointer: its actions at once, under its name; several:
            // one submenu each.
            let direct = here.len() + suggested.len() == 1;
            for span in here {
                let Some(label) = project.label(span.label()) else {
                    continue;
                };
                let title = format!("{} “{}”", label.name, ellipsize(doc.span_text(&span), 30));
                if direct {
                    ui.label(egui::RichText::new(title).strong());
                    span_items(ui, (project, doc), span, actions);
                } else {
                    ui.menu_button(title, |ui| span_items(ui, (project, doc), span, actions));
                }
            }
            for suggestion in &suggested {
                let Some(label) = project.label(suggestion.span.label()) else {
                    continue;
                };
                let title = format!(
                    "Suggested {} “{}”",
                    label.name,
                    ellipsize(doc.span_text(&suggestion.span), 30)
                );
                if direct {
                    ui.label(egui::RichText::new(title).strong());
                    suggestion_items(ui, *suggestion, actions);
                } else {
                    ui.menu_button(title, |ui| suggestion_items(ui, *suggestion, actions));
                }
            }
        });
    }
}

/// A span's actions: select, relabel, note, label all occurrences, delete.
fn span_items(
    ui: &mut Ui,
    (project, doc): (&Project, &Document),
    span: Span,
    actions: &mut Vec<Action>,
) {
    let select = Action::SelectSpan {
        span,
        scroll: false,
    };
    if ui.button("Select").clicked() {
        actions.push(select.clone());
        ui.close();
    }
    ui.menu_button("Relabel as", |ui| {
        if let Some(id) = label_list(ui, project) {
            actions.push(select.clone());
            actions.push(Action::ApplyLabel(id));
            ui.close();
        }
    });
    let note = if doc.note(&span).is_some() {
        "Edit note…"
    } else {
        "Add note…"
    };
    if ui
        .button(note)
        .on_hover_text("In the span panel, on the right")
        .clicked()
    {
        actions.push(select.clone());
        ui.close();
    }
    if ui.button("Label all occurrences here…").clicked() {
        actions.push(select.clone());
        actions.push(Action::LabelAllOccurrences { everywhere: false });
        ui.close();
    }
    if ui.button("Label all occurrences everywhere…").clicked() {
        actions.push(select.clone());
        actions.push(Action::LabelAllOccurrences { everywhere: true });
        ui.close();
    }
    if ui.button("Delete").clicked() {
        actions.push(select);
        actions.push(Action::DeleteSelectedSpan);
        ui.close();
    }
}

/// A suggestion's actions: accept, reject, select.
fn suggestion_items(ui: &mut Ui, suggestion: Suggestion, actions: &mut Vec<Action>) {
    let select = Action::SelectSuggestion {
        suggestion,
        scroll: false,
    };
    if ui.button("Accept").clicked() {
        actions.push(select.clone());
        actions.push(Action::AcceptSuggestion);
        ui.close();
    }
    if ui.button("Reject").clicked() {
        actions.push(select.clone());
        actions.push(Action::RejectSuggestion);
        ui.close();
    }
    if ui.button("Select").clicked() {
        actions.push(select);
        ui.close();
    }
}

/// The labels as menu items; the one clicked.
fn label_list(ui: &mut Ui, project: &Project) -> Option<LabelId> {
    let mut chosen = None;
    for (id, label) in project.label_entries() {
        let key = label.hotkey.map(|k| format!("  {k}")).unwrap_or_default();
        let clicked = ui
            .horizontal(|ui| {
                swatch(ui, color(label.color));
                ui.button(format!("{}{key}", label.name)).clicked()
            })
            .inner;
        if clicked {
            chosen = Some(id);
        }
    }
    chosen
}
