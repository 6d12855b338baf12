//! The label picker: type to filter the labels, arrows to choose, Enter to label the
//! selection (or relabel the selected span). For projects with more labels than keys.

use eframe::egui::{self, RichText};

use super::shortcuts::ListKeys;
use super::{Action, color, doc_view::swatch};
use crate::model::{LabelId, Project};

/// The picker's state.
#[derive(Default)]
pub struct LabelPicker {
    /// Whether it is shown.
    pub open: bool,
    query: String,
    /// Index into the filtered list.
    highlighted: usize,
}

impl LabelPicker {
    /// Opens it with an empty filter.
    pub fn open(&mut self) {
        self.open = true;
        self.query.clear();
        self.highlighted = 0;
    }

    /// Labels whose name contains the filter (ignoring case), in project order.
    fn matches(&self, project: &Project) -> Vec<LabelId> {
        let q = self.query.trim().to_lowercase();
        project
            .label_entries()
            .filter(|(_, l)| l.name.to_lowercase().contains(&q))
            .map(|(id, _)| id)
            .collect()
    }

    /// Shows the picker (when open).
    pub fn show(&mut self, ctx: &egui::Context, project: &Project, actions: &mut Vec<Action>) {
        if !self.open {
            return;
        }
        let keys = ctx.input_mut(ListKeys::take);
        let matches = self.matches(project);
        keys.step(&mut self.highlighted, matches.len());
        let ListKeys {
            up,
            down,
            enter,
            escape,
        } = keys;
        let mut chosen = enter
            .then(|| matches.get(self.highlighted).copied())
            .flatten();
        egui::Modal::new(egui::Id::unique("label-picker")).show(ctx, |ui| {
            ui.set_width(320.0);
            let heading = ui.label(RichText::new("Label as…").strong());
            let field = ui
                .add(
                    egui::TextEdit::singleline(&mut self.query)
                        .hint_text("type to filter")
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(heading.id);
            field.request_focus();
            if field.changed() {
                self.highlighted = 0;
            }
            egui::ScrollArea::vertical()
                .max_height(320.0)
                .show(ui, |ui| {
                    for (k, &id) in matches.iter().enumerate() {
                        let Some(label) = project.label(id) else {
                            continue;
                        };
                        let key = label.hotkey.map(|k| format!("  ({k})")).unwrap_or_default();
                        let row = ui.horizontal(|ui| {
                            swatch(ui, color(label.color));
                            ui.selectable_label(
                                k == self.highlighted,
                                format!("{}{key}", label.name),
                            )
                        });
                        if k == self.highlighted && (up || down) {
                            row.inner.scroll_to_me(None);
                        }
                        if row.inner.clicked() {
                            chosen = Some(id);
                        }
                    }
                    if matches.is_empty() {
                        ui.weak("No label matches.");
                    }
                });
        });
        if let Some(id) = chosen {
            actions.push(Action::ApplyLabel(id));
            self.open = false;
        }
        if escape {
            self.open = false;
        }
    }
}
