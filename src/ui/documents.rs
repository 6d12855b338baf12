//! The documents panel: progress, a filter (name, status, "has label L") and the list,
//! of which only the rows on screen are drawn, so 50,000 documents cost what 20 do.

use eframe::egui::{self, Ui};

use super::Action;
use crate::model::search::fold;
use crate::model::{DocId, Document, LabelId, Project, Status, Workspace};

/// The panel's state: the filter and the list it leaves, kept between frames.
#[derive(Default)]
pub struct DocumentsPanel {
    /// Part of the name (ignoring case).
    pub name: String,
    /// Only documents with this status.
    pub status: Option<Status>,
    /// Only documents with a span of this label.
    pub label: Option<LabelId>,
    /// The places of the documents the filter leaves, for `key`.
    shown: Vec<usize>,
    key: Option<Key>,
    /// Documents done, for the project revision: counted once, not every frame.
    done: Option<(u64, usize)>,
}

/// What `shown` was computed for: the project revision and the filter.
type Key = (u64, String, Option<Status>, Option<LabelId>);

impl DocumentsPanel {
    /// Whether any filter is set.
    pub fn is_filtering(&self) -> bool {
        !self.name.trim().is_empty() || self.status.is_some() || self.label.is_some()
    }

    /// How many documents are done.
    fn done(&mut self, ws: &Workspace) -> usize {
        match self.done {
            Some((r, n)) if r == ws.revision() => n,
            _ => {
                let docs = ws.project().documents();
                let n = docs.iter().filter(|d| d.status == Status::Done).count();
                self.done = Some((ws.revision(), n));
                n
            }
        }
    }

    /// The places of the documents the filter leaves (all of them with no filter).
    pub fn shown(&mut self, ws: &Workspace) -> &[usize] {
        let key = (ws.revision(), self.name.clone(), self.status, self.label);
        if self.key.as_ref() != Some(&key) {
            self.shown = filter(ws.project(), &self.name, self.status, self.label);
            self.key = Some(key);
        }
        &self.shown
    }
}

/// The places of the documents whose name contains `name` (ignoring case), with
/// `status` and a span labelled `label` (each when given).
pub fn filter(
    project: &Project,
    name: &str,
    status: Option<Status>,
    label: Option<LabelId>,
) -> Vec<usize> {
    let needle = fold(name.trim());
    // ASCII against ASCII (most names) needs no folded copy of each name.
    let contains = |name: &str| {
        if needle.is_ascii() && name.is_ascii() {
            let n = needle.len();
            n <= name.len()
                && name
                    .as_bytes()
                    .windows(n)
                    .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
        } else {
            fold(name).contains(&needle)
        }
    };
    project
        .documents()
        .iter()
        .enumerate()
        .filter(|(_, d)| status.is_none_or(|s| d.status == s))
        .filter(|(_, d)| label.is_none_or(|l| d.spans().iter().any(|s| s.label() == l)))
        .filter(|(_, d)| needle.is_empty() || contains(&d.name))
        .map(|(i, _)| i)
        .collect()
}

/// The documents list: name, span count, agreement (when annotators are compared),
/// status; click to show. Only the visible rows are laid out.
pub fn show(
    ui: &mut Ui,
    ws: &Workspace,
    panel: &mut DocumentsPanel,
    current: Option<DocId>,
    annotators: Option<&super::compare::Annotators>,
    actions: &mut Vec<Action>,
) {
    let project = ws.project();
    ui.heading("Documents");
    let total = project.documents().len();
    if total > 0 {
        let done = panel.done(ws);
        ui.add(
            egui::ProgressBar::new(done as f32 / total as f32)
                .text(format!("{done} / {total} done")),
        );
        ui.add_space(4.0);
    }
    let open = panel.is_filtering();
    egui::CollapsingHeader::new("Filter")
        .id_salt("documents-filter")
        .open(open.then_some(true))
        .show(ui, |ui| filter_fields(ui, project, panel));
    let filtering = panel.is_filtering();
    let shown = panel.shown(ws);
    if filtering {
        let n = |k| super::find_all::thousands(k);
        ui.weak(format!("{} of {} shown", n(shown.len()), n(total)));
    }
    let line = ui.spacing().interact_size.y;
    let row_height = 2.0 * line + ui.spacing().item_spacing.y + 4.0;
    egui::ScrollArea::vertical()
        .id_salt("documents")
        .auto_shrink([false, false])
        .show_rows(ui, row_height, shown.len(), |ui, rows| {
            for &place in shown.get(rows).unwrap_or_default() {
                let Some(doc) = project.documents().get(place) else {
                    continue;
                };
                let size = egui::vec2(ui.available_width(), row_height);
                ui.allocate_ui_with_layout(size, egui::Layout::top_down(egui::Align::Min), |ui| {
                    ui.set_min_height(row_height);
                    row(ui, doc, place, current, annotators, actions);
                });
            }
        });
}

/// The name, status and agreement filters.
fn filter_fields(ui: &mut Ui, project: &Project, panel: &mut DocumentsPanel) {
    ui.horizontal(|ui| {
        let label = ui.label("Name");
        ui.add(
            egui::TextEdit::singleline(&mut panel.name)
                .hint_text("part of a name")
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id);
    });
    let any = |s: Option<&str>| s.unwrap_or("any").to_string();
    egui::ComboBox::new("documents-status-filter", "with status")
        .selected_text(any(panel.status.map(Status::as_str)))
        .width(100.0)
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut panel.status, None, "any");
            for s in Status::ALL {
                ui.selectable_value(&mut panel.status, Some(s), s.as_str());
            }
        });
    let name = |id: Option<LabelId>| any(id.and_then(|l| project.label(l)).map(|l| &*l.name));
    egui::ComboBox::new("documents-label-filter", "with label")
        .selected_text(name(panel.label))
        .width(100.0)
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut panel.label, None, "any");
            for (id, l) in project.label_entries() {
                ui.selectable_value(&mut panel.label, Some(id), &l.name);
            }
        });
    if panel.is_filtering() && ui.button("Clear filter").clicked() {
        panel.name.clear();
        panel.status = None;
        panel.label = None;
    }
}

/// One document's row: its name and span count, then its status and agreement.
fn row(
    ui: &mut Ui,
    doc: &Document,
    place: usize,
    current: Option<DocId>,
    annotators: Option<&super::compare::Annotators>,
    actions: &mut Vec<Action>,
) {
    let text = format!("{}  ({})", doc.name, doc.spans().len());
    let r = ui.add(egui::Button::selectable(Some(doc.id()) == current, text).truncate());
    if r.clicked() {
        actions.push(Action::SelectDocument(doc.id()));
    }
    r.on_hover_text(&doc.name).context_menu(|ui| {
        if ui.button("Delete document").clicked() {
            actions.push(Action::DeleteDocument(doc.id()));
        }
    });
    ui.horizontal(|ui| {
        let mut status = doc.status;
        egui::ComboBox::new(("status", place), "status")
            .selected_text(status.as_str())
            .width(100.0)
            .show_ui(ui, |ui| {
                for s in Status::ALL {
                    ui.selectable_value(&mut status, s, s.as_str());
                }
            });
        if status != doc.status {
            actions.push(Action::SetStatus(doc.id(), status));
        }
        let f1 = annotators.and_then(|a| a.document_f1(&doc.name));
        let left = doc.disagreements().len();
        if f1.is_some() || left > 0 {
            super::compare::document_agreement(ui, f1, left);
        }
    });
}
