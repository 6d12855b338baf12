//! The span panel's list of the selected span's relations, under its note: each names
//! the other span ("said by: PERSON “Zabihullah Mujahid”"); a click goes there; a
//! suggested one has Accept and Reject. Pushes actions only.

use eframe::egui::{self, Align, Button, Layout, RichText, Ui};

use super::relations::{describe, role, span_words};
use super::{Action, doc_view::swatch};
use crate::model::{Document, Project, Relation, RelationSet, Span};

/// The relations (and suggested ones) of the selected span, under its note: one row each,
/// naming the other span; a click selects that span and scrolls to it (nothing else
/// changes), a suggested one has Accept and Reject; right-click a row to delete it.
pub fn span_relations(
    ui: &mut Ui,
    project: &Project,
    doc: &Document,
    selected: Option<Span>,
    (chosen, suggested): (Option<Relation>, &RelationSet),
    actions: &mut Vec<Action>,
) {
    let Some(span) = selected.filter(|s| doc.spans().contains(s)) else {
        return;
    };
    let linked = doc.relations().of(&span);
    let proposed = suggested.of(&span);
    if linked.is_empty() && proposed.is_empty() {
        if !super::doc_view::linking::partner_labels(project, span.label()).is_empty() {
            ui.weak("No relations. Press R to link this span to another.");
            ui.separator();
        }
        return;
    }
    ui.label(RichText::new("Relations").strong());
    for (r, is_suggested) in linked
        .iter()
        .map(|r| (r, false))
        .chain(proposed.iter().map(|r| (r, true)))
    {
        let Some(other) = r.other_end(&span) else {
            continue;
        };
        let c = project
            .relation_type(r.kind())
            .map_or(egui::Color32::GRAY, |t| {
                super::relation_color(t.color, ui.visuals().dark_mode)
            });
        let prefix = if is_suggested { "suggested, " } else { "" };
        let text = format!(
            "{prefix}{} {}",
            role(project, r, &span),
            span_words(project, doc, &other, 40)
        );
        // Accept and Reject are placed first, from the right, so the truncated row takes
        // only the width left: a long speaker name never widens the panel.
        let row_size = egui::vec2(ui.available_width(), ui.spacing().interact_size.y);
        ui.allocate_ui_with_layout(row_size, Layout::right_to_left(Align::Center), |ui| {
            if is_suggested {
                let select = Action::SelectRelation {
                    relation: *r,
                    scroll: false,
                };
                if ui.small_button("Reject").clicked() {
                    actions.push(select.clone());
                    actions.push(Action::RejectRelationSuggestion);
                }
                if ui.small_button("Accept").clicked() {
                    actions.push(select);
                    actions.push(Action::AcceptRelationSuggestion);
                }
            }
            ui.with_layout(Layout::left_to_right(Align::Center), |ui| {
                swatch(ui, c);
                let row = ui
                    .add(Button::selectable(chosen == Some(*r), text).truncate())
                    .on_hover_text(format!(
                        "{}\nClick to go to it; right-click to delete",
                        describe(project, doc, r)
                    ));
                if row.clicked() {
                    actions.push(Action::SelectSpan {
                        span: other,
                        scroll: true,
                    });
                }
                row.context_menu(|ui| {
                    if ui.button("Select the arrow").clicked() {
                        actions.push(Action::SelectRelation {
                            relation: *r,
                            scroll: true,
                        });
                        ui.close();
                    }
                    if !is_suggested && ui.button("Delete").clicked() {
                        actions.push(Action::DeleteRelation(*r));
                        ui.close();
                    }
                });
            });
        });
    }
    ui.separator();
}
