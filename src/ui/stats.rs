//! View › Statistics: spans per label as a bar chart, per document as a table, relations
//! per type, and progress. Counted once per project revision, never per frame.

use eframe::egui::{self, RichText, Ui};
use egui_plot::{Bar, BarChart, Plot};

use super::chart::{BarValue, headroom, values_on_bars};
use super::color;
use crate::model::{Status, Workspace};

/// Counts derived from the project.
#[derive(Default)]
struct Counts {
    /// Spans per label, over all documents.
    per_label: Vec<usize>,
    /// Per document: its name, status and spans per label.
    per_doc: Vec<(String, Status, Vec<usize>)>,
    /// Relations per type (display order), over all documents.
    per_type: Vec<usize>,
    /// Relations per document, in document order.
    relations_per_doc: Vec<usize>,
}

/// The statistics window.
#[derive(Default)]
pub struct StatsView {
    /// Whether the window is shown.
    pub open: bool,
    revision: Option<u64>,
    counts: Counts,
}

impl StatsView {
    fn refresh(&mut self, ws: &Workspace) {
        if self.revision == Some(ws.revision()) {
            return;
        }
        let project = ws.project();
        let n = project.labels().len();
        let mut per_label = vec![0; n];
        let per_doc = project
            .documents()
            .iter()
            .map(|d| {
                let mut counts = vec![0; n];
                for s in d.spans().iter() {
                    // Counted in display order.
                    if let Some(l) = project.label_position(s.label()) {
                        counts[l] += 1;
                        per_label[l] += 1;
                    }
                }
                (d.name.clone(), d.status, counts)
            })
            .collect();
        let types: std::collections::HashMap<_, usize> = project
            .relation_type_entries()
            .enumerate()
            .map(|(i, (id, _))| (id, i))
            .collect();
        let mut per_type = vec![0; types.len()];
        let mut relations_per_doc = Vec::with_capacity(project.documents().len());
        for d in project.documents() {
            for r in d.relations().iter() {
                if let Some(&i) = types.get(&r.kind()) {
                    per_type[i] += 1;
                }
            }
            relations_per_doc.push(d.relations().len());
        }
        self.counts = Counts {
            per_label,
            per_doc,
            per_type,
            relations_per_doc,
        };
        self.revision = Some(ws.revision());
    }

    /// Shows the window (when open), below `top` (the menu bar's bottom): it opens
    /// there and cannot be dragged over the menus.
    pub fn show(&mut self, ctx: &egui::Context, ws: &Workspace, top: f32) {
        if !self.open {
            return;
        }
        self.refresh(ws);
        let mut open = self.open;
        let screen = ctx.content_rect();
        let area = egui::Rect::from_min_max(egui::pos2(screen.left(), top), screen.max);
        egui::Window::new("Statistics")
            .open(&mut open)
            .default_pos(area.min + egui::vec2(24.0, 24.0))
            .constrain_to(area)
            .default_size([520.0, 460.0])
            .show(ctx, |ui| self.contents(ui, ws));
        self.open = open;
    }

    fn contents(&self, ui: &mut Ui, ws: &Workspace) {
        let labels = ws.project().labels();
        let Counts {
            per_label,
            per_doc,
            per_type,
            relations_per_doc,
        } = &self.counts;
        let total: usize = per_label.iter().sum();
        let done = per_doc.iter().filter(|d| d.1 == Status::Done).count();
        ui.label(format!(
            "{} in {}; {done} done.",
            super::count(total, "span"),
            super::count(per_doc.len(), "document")
        ));
        let bars: Vec<Bar> = labels
            .iter()
            .zip(per_label)
            .enumerate()
            .map(|(i, (l, &c))| {
                Bar::new(i as f64, c as f64)
                    .name(&l.name)
                    .fill(color(l.color))
                    .width(0.7)
            })
            .collect();
        let values: Vec<BarValue> = per_label
            .iter()
            .enumerate()
            .map(|(i, &c)| BarValue {
                x: i as f64,
                y: c as f64,
                text: c.to_string(),
            })
            .collect();
        let max = per_label.iter().copied().max().unwrap_or(0) as f64;
        let names: Vec<String> = labels.iter().map(|l| l.name.clone()).collect();
        Plot::new("spans-per-label")
            .height(200.0)
            .allow_zoom(false)
            .allow_drag(false)
            .allow_scroll(false)
            .allow_boxed_zoom(false)
            .show_grid([false, true])
            .include_y(0.0)
            .include_y(headroom(max))
            .y_axis_label("spans")
            .x_axis_formatter(move |mark, _| {
                let i = mark.value.round();
                if (mark.value - i).abs() < 1e-6 && i >= 0.0 {
                    names.get(i as usize).cloned().unwrap_or_default()
                } else {
                    String::new()
                }
            })
            .show(ui, |plot| {
                plot.bar_chart(BarChart::new("spans", bars));
                values_on_bars(plot, values);
            });
        relations_line(ui, ws, per_type);
        ui.add_space(6.0);
        ui.label(RichText::new("Per document").strong());
        egui::ScrollArea::both().max_height(200.0).show(ui, |ui| {
            egui::Grid::new("stats-per-doc")
                .striped(true)
                .num_columns(labels.len() + 4)
                .show(ui, |ui| {
                    ui.strong("document");
                    ui.strong("status");
                    for l in labels {
                        ui.label(RichText::new(&l.name).strong().color(color(l.color)));
                    }
                    ui.strong("all");
                    ui.strong("relations");
                    ui.end_row();
                    for ((name, status, counts), links) in per_doc.iter().zip(relations_per_doc) {
                        ui.label(name);
                        ui.label(status.as_str());
                        for c in counts {
                            ui.label(c.to_string());
                        }
                        ui.label(counts.iter().sum::<usize>().to_string());
                        ui.label(links.to_string());
                        ui.end_row();
                    }
                });
        });
    }
}

/// Relations per type, in the types' colours: "3 relations: SPEAKER 3".
fn relations_line(ui: &mut Ui, ws: &Workspace, per_type: &[usize]) {
    let types = ws.project().relation_types();
    if types.is_empty() {
        return;
    }
    ui.horizontal_wrapped(|ui| {
        let total: usize = per_type.iter().sum();
        ui.label(format!("{}:", super::count(total, "relation")));
        for (t, n) in types.iter().zip(per_type) {
            ui.label(
                RichText::new(format!("{} {n}", t.name))
                    .color(super::relation_color(t.color, ui.visuals().dark_mode)),
            );
        }
    });
}
