//! The label editor: add, rename, recolour, set hotkeys, reorder and delete labels; the
//! relation types under them (`relation_types`). It only pushes actions; every change is
//! one undo step applied by the app.

use eframe::egui::{self, Key, RichText, Ui};

use super::{Action, HOTKEYS};
use crate::model::label::{check_hotkey, check_label_name};
use crate::model::{Label, ModelError, Project, Rgb, Workspace};

/// The editor window's state: whether it is open, and names being typed.
#[derive(Default)]
pub struct LabelEditor {
    /// Whether the window is shown.
    pub open: bool,
    /// Names as typed, per label, until Enter or leaving the field commits them; keyed
    /// by the labels they were taken from, so an undo shows the undone names.
    drafts: Vec<String>,
    drafts_of: Vec<String>,
    /// Spans per label, counted once per project revision (not every frame: a scan of
    /// every span).
    uses: (Option<u64>, Vec<usize>),
    /// Why the last name typed was refused (the label rule), shown under the list until
    /// a name is accepted.
    refused: Option<String>,
    /// The relation types, under the labels.
    types: super::relation_types::RelationTypeEditor,
}

impl LabelEditor {
    /// Shows the window (when open).
    pub fn show(&mut self, ctx: &egui::Context, ws: &Workspace, actions: &mut Vec<Action>) {
        if !self.open {
            return;
        }
        let project = ws.project();
        if self.uses.0 != Some(ws.revision()) {
            let counts = project
                .label_ids()
                .map(|id| project.label_use(id))
                .collect();
            self.uses = (Some(ws.revision()), counts);
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
            .show(ctx, |ui| {
                self.rows(ui, project, actions);
                ui.separator();
                self.types.show(ui, ws, actions);
                ui.add_space(6.0);
                ui.horizontal(|ui| {
                    if ui.input(|i| i.key_pressed(Key::Escape)) {
                        self.open = false;
                    }
                    ui.weak(RichText::new("Every change here can be undone (Ctrl+Z)."));
                });
            });
        // Closed by its own button or by Escape inside.
        self.open &= open;
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
                for (i, (id, label)) in project.label_entries().enumerate() {
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

                    // Sized, not just desired: the grid would squeeze the field.
                    let field = ui.add_sized(
                        [150.0, 20.0],
                        egui::TextEdit::singleline(&mut self.drafts[i]).id_salt(("label-name", i)),
                    );
                    let field = field
                        .labelled_by(name_header)
                        .on_hover_text("Rename (Enter); spans keep the label");
                    if field.lost_focus() && self.drafts[i].trim() != label.name {
                        let name = self.drafts[i].trim().to_string();
                        // Checked here too, so the reason shows beside the field typed in.
                        match check_label_name(&name) {
                            Ok(()) => {
                                self.refused = None;
                                actions.push(set(Label {
                                    name,
                                    ..label.clone()
                                }));
                            }
                            Err(e) => {
                                self.refused = Some(format!("{} keeps its name: {e}.", label.name));
                            }
                        }
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
                            for k in HOTKEYS.iter().map(|(_, k)| *k) {
                                // A command key is listed, refused, with the model's reason.
                                if let Err(e) = check_hotkey(k) {
                                    let text = match &e {
                                        ModelError::CommandKey { command, .. } => {
                                            format!("{k} (command key: {command})")
                                        }
                                        _ => k.to_string(),
                                    };
                                    ui.add_enabled(false, egui::Button::selectable(false, text))
                                        .on_disabled_hover_text(e.to_string());
                                    continue;
                                }
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

                    ui.label(self.uses.1.get(i).copied().unwrap_or(0).to_string());

                    ui.horizontal(|ui| {
                        let up = ui.add_enabled(i > 0, egui::Button::new("Up"));
                        if up.on_hover_text("Move up").clicked() {
                            actions.push(Action::MoveLabel { id, to: i - 1 });
                        }
                        let down = ui.add_enabled(i + 1 < n, egui::Button::new("Down"));
                        if down.on_hover_text("Move down").clicked() {
                            actions.push(Action::MoveLabel { id, to: i + 1 });
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
        if let Some(reason) = &self.refused {
            ui.colored_label(ui.visuals().error_fg_color, reason);
        }
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            if ui.button("Add label").clicked() {
                actions.push(Action::AddLabel(new_label(project)));
            }
            if ui
                .button("Import labels…")
                .on_hover_text("Add the labels of another project or of a labels.json")
                .clicked()
            {
                actions.push(Action::ImportLabels);
            }
            if ui
                .button("Import from path…")
                .on_hover_text("Type the path of a project or labels.json")
                .clicked()
            {
                actions.push(Action::PromptPath(super::PathPurpose::ImportLabels));
            }
        });
        ui.horizontal(|ui| {
            if ui
                .button("Use for new projects")
                .on_hover_text("New projects start with these labels (remembered)")
                .clicked()
            {
                actions.push(Action::UseLabelsForNewProjects);
            }
            if ui
                .button("Built-in labels for new projects")
                .on_hover_text("PERSON, PLACE, ORG, DATE, QUOTE")
                .clicked()
            {
                actions.push(Action::BuiltInLabelsForNewProjects);
            }
        });
    }
}

/// A new label for `project`: an unused name, the first free key, a distinct colour.
pub fn new_label(project: &Project) -> Label {
    crate::model::label::new_label(project.labels())
}
