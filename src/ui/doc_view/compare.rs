//! Disagreements in the document view: each visible one hatched and outlined by kind
//! (`ui::compare::Kind`), each annotator's spans there as thin underlines in their label
//! colours, the current one thicker; hovering shows every annotator's version, clicking
//! makes it the current one.

use eframe::egui::{self, Color32, Rect, Shape, Ui, layers::ShapeIdx};

use super::DocView;
use crate::model::{Disagreement, Document, Project};
use crate::ui::compare::{Kind, region_shapes, version_letter, version_text};
use crate::ui::{Action, color};

/// Distance between the versions' underlines.
const VERSION_STEP: f32 = 2.5;
/// Versions with their own underline; more share the last one.
const MAX_VERSION_LINES: usize = 3;

/// The disagreements overlapping chars `start..end`, with their indices. Regions are
/// disjoint and sorted by start, so their ends are sorted too: two binary searches.
fn overlapping(
    ds: &[Disagreement],
    start: usize,
    end: usize,
) -> impl Iterator<Item = (usize, &Disagreement)> {
    let lo = ds.partition_point(|d| d.end <= start);
    let hi = ds.partition_point(|d| d.start < end).max(lo);
    ds[lo..hi]
        .iter()
        .enumerate()
        .map(move |(i, d)| (lo + i, d))
        .filter(move |(_, d)| d.end > start)
}

impl DocView {
    /// Paints the visible disagreements of `doc` into `slot`, a place reserved before
    /// the text was painted, so they lie under it.
    pub(super) fn paint_disagreements(
        &self,
        ui: &Ui,
        project: &Project,
        doc: &Document,
        slot: ShapeIdx,
    ) {
        let ds = doc.disagreements();
        if ds.is_empty() {
            return;
        }
        let mut shapes = Vec::new();
        let font_height = self.font_height;
        let band = |r: Rect| {
            let pad = ((r.height() - font_height) / 2.0).max(0.0);
            Rect::from_x_y_ranges(r.x_range(), (r.top() + pad)..=(r.bottom() - pad))
        };
        for p in &self.placed {
            let u = self.units[p.unit];
            for (i, d) in overlapping(ds, u.start, u.end) {
                let kind = Kind::of(d);
                let current = self.disagreement == Some(i);
                for r in self.range_rects(p, d.start, d.end) {
                    region_shapes(band(r), kind, current, &mut shapes);
                }
                for (k, (_, spans)) in d.versions.iter().enumerate() {
                    let level = k.min(MAX_VERSION_LINES - 1) as f32;
                    for s in spans {
                        let c = project
                            .label(s.label())
                            .map_or(Color32::GRAY, |l| color(l.color));
                        for r in self.range_rects(p, s.start(), s.end()) {
                            let y = band(r).bottom() + 2.5 + level * VERSION_STEP;
                            shapes.push(Shape::line_segment(
                                [
                                    egui::pos2(r.left() + 1.0, y),
                                    egui::pos2(r.right() - 1.0, y),
                                ],
                                egui::Stroke::new(1.5, c),
                            ));
                        }
                    }
                }
            }
        }
        ui.painter().set(slot, Shape::Vec(shapes));
    }

    /// The disagreement under the pointer: every version in a tooltip; a click makes it
    /// the current one.
    pub(super) fn disagreement_pointer(
        &self,
        response: &egui::Response,
        project: &Project,
        doc: &Document,
        actions: &mut Vec<Action>,
    ) {
        let ds = doc.disagreements();
        if ds.is_empty() || self.dragging {
            return;
        }
        let Some(c) = response.hover_pos().and_then(|p| self.char_at(p)) else {
            return;
        };
        let Some((i, d)) = overlapping(ds, c, c + 1).next() else {
            return;
        };
        if response.clicked() && doc.spans().at(c).is_empty() {
            actions.push(Action::SelectDisagreement(i));
        }
        response.clone().on_hover_ui_at_pointer(|ui| {
            let kind = Kind::of(d);
            ui.label(
                egui::RichText::new(format!("Disagreement: {}", kind.name()))
                    .color(kind.color())
                    .strong(),
            );
            for (k, (name, spans)) in d.versions.iter().enumerate() {
                ui.label(format!(
                    "{} {name}: {}",
                    version_letter(k),
                    version_text(project, doc, spans)
                ));
            }
        });
    }
}
