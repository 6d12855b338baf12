//! The relation types, in the label editor window under the labels: add, rename,
//! recolour, key (for the type picker), the labels allowed at each end (a checkbox per
//! label), reorder, delete. It only pushes actions; every change is one undo step.

use std::collections::HashMap;

use eframe::egui::{self, RichText, Ui};

use super::Action;
use crate::model::label::{HOTKEY_CHARS, check_label_name, distinct_color};
use crate::model::{LabelId, Project, RelationType, RelationTypeId, Workspace};

/// How a type is used: its relations, and how many start and end at each label.
#[derive(Clone, Debug, Default)]
struct Use {
    total: usize,
    from: HashMap<LabelId, usize>,
    to: HashMap<LabelId, usize>,
}

/// The relation type section's state: names being typed, and use counted per revision.
#[derive(Default)]
pub struct RelationTypeEditor {
    /// Names as typed, per type, until Enter or leaving the field commits them; keyed by
    /// the names they were taken from (an undo shows the undone names).
    drafts: Vec<String>,
    drafts_of: Vec<String>,
    /// Per type (display order), counted once per project revision: never a scan of every
    /// relation per frame.
    uses: (Option<u64>, Vec<Use>),
    /// Why the last name typed was refused.
    refused: Option<String>,
}

impl RelationTypeEditor {
    fn refresh(&mut self, ws: &Workspace) {
        let project = ws.project();
        if self.uses.0 != Some(ws.revision()) {
            let place: HashMap<RelationTypeId, usize> = project
                .relation_type_entries()
                .enumerate()
                .map(|(i, (id, _))| (id, i))
                .collect();
            let mut uses = vec![Use::default(); place.len()];
            for r in project
                .documents()
                .iter()
                .flat_map(|d| d.relations().iter())
            {
                if let Some(u) = place.get(&r.kind()).and_then(|&i| uses.get_mut(i)) {
                    u.total += 1;
                    *u.from.entry(r.from().label()).or_default() += 1;
                    *u.to.entry(r.to().label()).or_default() += 1;
                }
            }
            self.uses = (Some(ws.revision()), uses);
        }
        let names: Vec<String> = project
            .relation_types()
            .iter()
            .map(|t| t.name.clone())
            .collect();
        if self.drafts_of != names {
            self.drafts.clone_from(&names);
            self.drafts_of = names;
        }
    }

    /// The section: one group per type, then Add.
    pub fn show(&mut self, ui: &mut Ui, ws: &Workspace, actions: &mut Vec<Action>) {
        self.refresh(ws);
        let project = ws.project();
        ui.heading("Relation types");
        ui.weak("Links between spans (R in the document), e.g. a quote's speaker.");
        let n = project.relation_types().len();
        for (i, (id, kind)) in project.relation_type_entries().enumerate() {
            let set = |kind: RelationType| Action::SetRelationType { id, kind };
            let used = self.uses.1.get(i).cloned().unwrap_or_default();
            ui.group(|ui| {
                ui.horizontal(|ui| {
                    let mut rgb = kind.color.0;
                    if ui
                        .color_edit_button_srgb(&mut rgb)
                        .on_hover_text(format!("Colour of {} arrows", kind.name))
                        .changed()
                    {
                        actions.push(set(RelationType {
                            color: crate::model::Rgb(rgb),
                            ..kind.clone()
                        }));
                    }
                    let field = ui.add_sized(
                        [150.0, 20.0],
                        egui::TextEdit::singleline(&mut self.drafts[i])
                            .id_salt(("relation-type-name", i)),
                    );
                    let field = field
                        .accessible_name("Relation type name")
                        .on_hover_text("Rename (Enter); relations keep their type");
                    if field.lost_focus() && self.drafts[i].trim() != kind.name {
                        let name = self.drafts[i].trim().to_string();
                        // Type names go where labels go (brat's R lines, its
                        // annotation.conf): the label rule.
                        match check_label_name(&name) {
                            Ok(()) => {
                                self.refused = None;
                                actions.push(set(RelationType {
                                    name,
                                    ..kind.clone()
                                }));
                            }
                            Err(e) => {
                                self.refused = Some(format!("{} keeps its name: {e}.", kind.name));
                            }
                        }
                    }
                    key_box(ui, project, (id, kind), i, actions);
                    ui.label(super::count(used.total, "relation"));
                    let up = ui.add_enabled(i > 0, egui::Button::new("Up"));
                    if up.on_hover_text("Move up").clicked() {
                        actions.push(Action::MoveRelationType { id, to: i - 1 });
                    }
                    let down = ui.add_enabled(i + 1 < n, egui::Button::new("Down"));
                    if down.on_hover_text("Move down").clicked() {
                        actions.push(Action::MoveRelationType { id, to: i + 1 });
                    }
                    if ui
                        .button("Delete")
                        .on_hover_text(format!("Delete {} and its relations", kind.name))
                        .clicked()
                    {
                        actions.push(Action::DeleteRelationType(id));
                    }
                });
                for from_end in [true, false] {
                    ends(ui, project, (id, kind), from_end, &used, actions);
                }
            });
        }
        if let Some(reason) = &self.refused {
            ui.colored_label(ui.visuals().error_fg_color, reason);
        }
        if ui
            .button("Add relation type")
            .on_hover_text("A new kind of link; then tick the labels it links")
            .clicked()
        {
            actions.push(Action::AddRelationType(new_type(project)));
        }
    }
}

/// The key that picks the type when several fit a link: one no other type has.
fn key_box(
    ui: &mut Ui,
    project: &Project,
    (id, kind): (RelationTypeId, &RelationType),
    i: usize,
    actions: &mut Vec<Action>,
) {
    let set = |hotkey| Action::SetRelationType {
        id,
        kind: RelationType {
            hotkey,
            ..kind.clone()
        },
    };
    egui::ComboBox::from_id_salt(("relation-type-key", i))
        .width(48.0)
        .selected_text(kind.hotkey.map_or("—".to_string(), |k| k.to_string()))
        .show_ui(ui, |ui| {
            if ui.selectable_label(kind.hotkey.is_none(), "—").clicked() {
                actions.push(set(None));
            }
            for k in HOTKEY_CHARS.chars() {
                let taken = project
                    .relation_type_entries()
                    .find(|(other, t)| *other != id && t.hotkey == Some(k));
                let text = match taken {
                    Some((_, t)) => format!("{k} ({})", t.name),
                    None => k.to_string(),
                };
                let pick = ui.add_enabled(
                    taken.is_none(),
                    egui::Button::selectable(kind.hotkey == Some(k), text),
                );
                if pick.clicked() {
                    actions.push(set(Some(k)));
                }
            }
        })
        .response
        .on_hover_text("Key that picks this type when several fit a link");
}

/// The labels allowed at one end of a type, a checkbox each. A label its relations use
/// at that end cannot be unticked (they would no longer fit): the box says so.
fn ends(
    ui: &mut Ui,
    project: &Project,
    (id, kind): (RelationTypeId, &RelationType),
    from_end: bool,
    used: &Use,
    actions: &mut Vec<Action>,
) {
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(if from_end { "From" } else { "To" }).strong());
        for (label, l) in project.label_entries() {
            let list = if from_end { &kind.from } else { &kind.to };
            let mut on = list.contains(&label);
            let in_use = if from_end { &used.from } else { &used.to }
                .get(&label)
                .copied()
                .unwrap_or(0);
            let locked = on && in_use > 0;
            let r = ui.add_enabled(!locked, egui::Checkbox::new(&mut on, &l.name));
            let r = if locked {
                r.on_disabled_hover_text(format!(
                    "{} {} at a {} span: delete those first",
                    super::count(in_use, &format!("{} relation", kind.name)),
                    if from_end { "start" } else { "end" },
                    l.name
                ))
            } else {
                r.on_hover_text(format!(
                    "Whether a {} can {} at a {} span",
                    kind.name,
                    if from_end { "start" } else { "end" },
                    l.name
                ))
            };
            if r.changed() {
                let mut new = kind.clone();
                let list = if from_end { &mut new.from } else { &mut new.to };
                if on {
                    list.push(label);
                    // Kept in display order, as the file writes them.
                    list.sort_by_key(|l| project.label_position(*l));
                } else {
                    list.retain(|x| *x != label);
                }
                actions.push(Action::SetRelationType { id, kind: new });
            }
        }
    });
}

/// A new relation type: an unused name (`RELATIONn`), a colour apart from the labels'
/// and the other types', no key, no labels yet.
pub fn new_type(project: &Project) -> RelationType {
    let types = project.relation_types();
    let name = (types.len() + 1..)
        .map(|k| format!("RELATION{k}"))
        .find(|n| types.iter().all(|t| &t.name != n))
        .unwrap_or_default();
    let used = project
        .labels()
        .iter()
        .map(|l| l.color)
        .chain(types.iter().map(|t| t.color))
        .collect::<Vec<_>>();
    RelationType {
        name,
        color: distinct_color(used.iter().copied()),
        hotkey: None,
        from: Vec::new(),
        to: Vec::new(),
    }
}
