//! The label editor: add, rename, recolour, set hotkeys, reorder and delete labels.
//! It only pushes actions; every change is one undo step applied by the app.

use eframe::egui::{self, Key, RichText, Ui};

use super::{Action, color};
use crate::model::{Label, LabelId, PALETTE, Project, Rgb};

/// Keys a label can have: digits, then letters.
pub const HOTKEY_CHARS: &str = "1234567890abcdefghijklmnopqrstuvwxyz";

/// The editor window's state: whether it is open, and names being typed.
#[derive(Default)]
pub struct LabelEditor {
    /// Whether the window is shown.
    pub open: bool,
    /// Names as typed, per label, until Enter or leaving the field commits them; keyed
    /// by the labels they were taken from, so an undo shows the undone names.
    drafts: Vec<String>,
    drafts_of: Vec<String>,
}

impl LabelEditor {
    /// Shows the window (when open).
    pub fn show(&mut self, ctx: &egui::Context, project: &Project, actions: &mut Vec<Action>) {
        if !self.open {
            return;
        }
        let names: Vec<String> = project.labels().iter().map(|l| l.name.clone()).collect();
        if self.drafts_of != names {
            self.drafts.clone_from(&names);
            self.drafts_of = names;
        }
        let mut open = self.open;
        egui::Window::new("Labels")
            .open(&mut open)
            .resizable(false)
            .default_pos(ctx.content_rect().center() - egui::vec2(220.0, 160.0))
            .show(ctx, |ui| self.rows(ui, project, actions));
        self.open = open;
    }

    fn rows(&mut self, ui: &mut Ui, project: &Project, actions: &mut Vec<Action>) {
        let n = project.labels().len();
        egui::Grid::new("labels")
            .num_columns(6)
            .spacing([8.0, 6.0])
            .show(ui, |ui| {
                ui.strong("Colour");
                let name_header = ui.strong("Name").id;
                let key_header = ui.strong("Key").id;
                ui.strong("Spans");
                ui.label("");
                ui.label("");
                ui.end_row();
                for (i, label) in project.labels().iter().enumerate() {
                    let id = LabelId(u16::try_from(i).unwrap_or(u16::MAX));
                    let set = |label: Label| Action::SetLabel { id, label };

                    let mut rgb = label.color.0;
                    if ui
                        .color_edit_button_srgb(&mut rgb)
                        .on_hover_text(format!("Colour of {}", label.name))
                        .changed()
                    {
                        actions.push(set(Label {
                            color: Rgb(rgb),
                            ..label.clone()
                        }));
                    }

                    let field = ui.add(
                        egui::TextEdit::singleline(&mut self.drafts[i])
                            .desired_width(140.0)
                            .id_salt(("label-name", i)),
                    );
                    let field = field
                        .labelled_by(name_header)
                        .on_hover_text("Rename (Enter); spans keep the label");
                    if field.lost_focus() && self.drafts[i].trim() != label.name {
                        actions.push(set(Label {
                            name: self.drafts[i].trim().to_string(),
                            ..label.clone()
                        }));
                    }

                    let key_text = label.hotkey.map_or("—".to_string(), |k| k.to_string());
                    let key_box = egui::ComboBox::from_id_salt(("label-key", i))
                        .width(48.0)
                        .selected_text(key_text)
                        .show_ui(ui, |ui| {
                            if ui.selectable_label(label.hotkey.is_none(), "—").clicked() {
                                actions.push(set(Label {
                                    hotkey: None,
                                    ..label.clone()
                                }));
                            }
                            for k in HOTKEY_CHARS.chars() {
                                let taken = project
                                    .label_for_key(k)
                                    .filter(|&other| other != id)
                                    .and_then(|other| project.label(other));
                                let text = match taken {
                                    Some(other) => format!("{k} ({})", other.name),
                                    None => k.to_string(),
                                };
                                // A key another label has is shown but refused.
                                let pick = ui.add_enabled(
                                    taken.is_none(),
                                    egui::Button::selectable(label.hotkey == Some(k), text),
                                );
                                if pick.clicked() {
                                    actions.push(set(Label {
                                        hotkey: Some(k),
                                        ..label.clone()
                                    }));
                                }
                            }
                        });
                    key_box.response.labelled_by(key_header);

                    ui.label(project.label_use(id).to_string());

                    ui.horizontal(|ui| {
                        let up = ui.add_enabled(i > 0, egui::Button::new("Up"));
                        if up.on_hover_text("Move up").clicked() {
                            actions.push(Action::MoveLabel {
                                from: id,
                                to: LabelId(id.0 - 1),
                            });
                        }
                        let down = ui.add_enabled(i + 1 < n, egui::Button::new("Down"));
                        if down.on_hover_text("Move down").clicked() {
                            actions.push(Action::MoveLabel {
                                from: id,
                                to: LabelId(id.0 + 1),
                            });
                        }
                    });
                    if ui
                        .button("Delete")
                        .on_hover_text(format!("Delete {} and its spans", label.name))
                        .clicked()
                    {
                        actions.push(Action::DeleteLabel(id));
                    }
                    ui.end_row();
                }
            });
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            if ui.button("Add label").clicked() {
                actions.push(Action::AddLabel(new_label(project)));
            }
            if ui.input(|i| i.key_pressed(Key::Escape)) {
                self.open = false;
            }
            ui.weak(RichText::new("Every change here can be undone (Ctrl+Z)."));
        });
    }
}

/// A new label: an unused name, the first free key, and a colour far from the others.
pub fn new_label(project: &Project) -> Label {
    let labels = project.labels();
    let name = (labels.len() + 1..)
        .map(|k| format!("LABEL{k}"))
        .find(|n| labels.iter().all(|l| &l.name != n))
        .unwrap_or_default();
    let hotkey = HOTKEY_CHARS
        .chars()
        .find(|&k| labels.iter().all(|l| l.hotkey != Some(k)));
    Label {
        name,
        color: distinct_color(labels.iter().map(|l| l.color)),
        hotkey,
    }
}

/// The palette colour no label has yet; past the palette, the hue farthest from every
/// colour in use (at the palette's saturation and brightness).
pub fn distinct_color(used: impl Iterator<Item = Rgb> + Clone) -> Rgb {
    if let Some(c) = PALETTE.iter().find(|c| !used.clone().any(|u| u == **c)) {
        return *c;
    }
    let hues: Vec<f32> = used.map(|c| hue(color(c))).collect();
    let distance = |h: f32| {
        hues.iter()
            .map(|u| {
                let d = (h - u).abs();
                d.min(1.0 - d)
            })
            .fold(1.0_f32, f32::min)
    };
    let best = (0..72)
        .map(|k| k as f32 / 72.0)
        .max_by(|a, b| distance(*a).total_cmp(&distance(*b)))
        .unwrap_or(0.0);
    let c: egui::Color32 = egui::ecolor::Hsva::new(best, 0.75, 0.8, 1.0).into();
    Rgb([c.r(), c.g(), c.b()])
}

fn hue(c: egui::Color32) -> f32 {
    egui::ecolor::Hsva::from(c).h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_labels_get_free_names_keys_and_colours() {
        let project = Project::default();
        let l = new_label(&project);
        assert_eq!(l.name, "LABEL6");
        assert_eq!(l.hotkey, Some('6'));
        assert!(project.labels().iter().all(|o| o.color != l.color));
        // Past the palette: a hue away from all used ones.
        let used: Vec<Rgb> = PALETTE.to_vec();
        let c = distinct_color(used.iter().copied());
        assert!(!used.contains(&c));
        let h = hue(color(c));
        for u in &used {
            let d = (h - hue(color(*u))).abs();
            assert!(d.min(1.0 - d) > 0.02, "{c:?} too close to {u:?}");
        }
    }
}
