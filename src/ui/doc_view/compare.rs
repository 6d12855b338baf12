//! Disagreements in the document view: each visible one hatched and outlined by kind
//! (`model::disagreement::Kind`), each annotator's spans there as thin underlines in their label
//! colours, the current one thicker; hovering shows every annotator's version, clicking
//! makes it the current one.

use eframe::egui::{self, Color32, Rect, Shape, Ui, layers::ShapeIdx};

use super::DocView;
use crate::model::{Disagreement, DocId, Document, Project};
use crate::ui::compare::{Kind, kind_color, region_shapes, version_letter, version_summary};
use crate::ui::{Action, color};

/// Distance between the versions' underlines.
const VERSION_STEP: f32 = 2.5;
/// Versions with their own underline; more share the last one.
const MAX_VERSION_LINES: usize = 3;

/// Where the shown document's disagreements can reach: `max_end[i]` is the largest end
/// among the first `i + 1` (they are sorted by start but may nest or overlap, e.g. two
/// git conflicts on nested spans), so a binary search finds the first that can reach an
/// offset. Rebuilt only when the document or the project's revision changes.
#[derive(Default)]
pub(super) struct Reach {
    key: Option<(DocId, u64)>,
    max_end: Vec<usize>,
}

impl Reach {
    fn refresh(&mut self, key: (DocId, u64), ds: &[Disagreement]) {
        if self.key == Some(key) && self.max_end.len() == ds.len() {
            return;
        }
        let mut running = 0;
        self.max_end = ds
            .iter()
            .map(|d| {
                running = running.max(d.end);
                running
            })
            .collect();
        self.key = Some(key);
    }

    /// The disagreements overlapping chars `start..end`, with their indices:
    /// O(log n + k).
    fn overlapping<'d>(
        &self,
        ds: &'d [Disagreement],
        start: usize,
        end: usize,
    ) -> impl Iterator<Item = (usize, &'d Disagreement)> + use<'d> {
        let lo = self.max_end.partition_point(|&e| e <= start).min(ds.len());
        let hi = ds.partition_point(|d| d.start < end).max(lo);
        ds[lo..hi]
            .iter()
            .enumerate()
            .map(move |(i, d)| (lo + i, d))
            .filter(move |(_, d)| d.end > start)
    }
}

impl DocView {
    /// Paints the visible disagreements of `doc` into `slot`, a place reserved before
    /// the text was painted, so they lie under it.
    pub(super) fn paint_disagreements(
        &mut self,
        ui: &Ui,
        project: &Project,
        doc: &Document,
        slot: ShapeIdx,
    ) {
        let ds = doc.disagreements();
        if ds.is_empty() {
            return;
        }
        self.reach.refresh((doc.id(), self.revision), ds);
        let mut shapes = Vec::new();
        let font_height = self.font_height;
        let band = |r: Rect| {
            let pad = ((r.height() - font_height) / 2.0).max(0.0);
            Rect::from_x_y_ranges(r.x_range(), (r.top() + pad)..=(r.bottom() - pad))
        };
        for p in &self.placed {
            let u = self.units[p.unit];
            for (i, d) in self.reach.overlapping(ds, u.start, u.end) {
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

    /// The disagreement under the pointer (the innermost, where decisions nest): every
    /// version in a tooltip; a click makes it the current one.
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
        // Nested decisions (a QUOTE's bounds, a name inside it): the innermost one, so
        // each can be picked by a click on what only it covers.
        let Some((i, d)) = self
            .reach
            .overlapping(ds, c, c + 1)
            .min_by_key(|(_, d)| d.end - d.start)
        else {
            return;
        };
        if response.clicked() && doc.spans().at(c).is_empty() {
            actions.push(Action::SelectDisagreement(i));
        }
        response.clone().on_hover_ui_at_pointer(|ui| {
            let kind = Kind::of(d);
            ui.label(
                egui::RichText::new(format!("Disagreement: {}", kind.name()))
                    .color(kind_color(kind))
                    .strong(),
            );
            for (k, (name, _)) in d.versions.iter().enumerate() {
                ui.label(format!(
                    "{} {name}: {}",
                    version_letter(k),
                    version_summary(project, doc, d, k)
                ));
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn region(start: usize, end: usize) -> Disagreement {
        Disagreement {
            start,
            end,
            versions: Vec::new(),
            relations: Vec::new(),
        }
    }

    #[test]
    fn nested_and_overlapping_regions_are_all_found() {
        // Sorted by start, ends not sorted: a long conflict around two short ones.
        let ds = [
            region(0, 100),
            region(10, 20),
            region(30, 40),
            region(120, 130),
        ];
        let mut reach = Reach::default();
        reach.refresh((Document::new("d", "").id(), 1), &ds);
        let found = |s, e| -> Vec<usize> { reach.overlapping(&ds, s, e).map(|x| x.0).collect() };
        assert_eq!(found(50, 51), [0]);
        assert_eq!(found(35, 36), [0, 2]);
        assert_eq!(found(15, 32), [0, 1, 2]);
        assert_eq!(found(100, 120), Vec::<usize>::new());
        assert_eq!(found(125, 200), [3]);
        // Against every pair of offsets, the plain filter.
        for s in 0..140 {
            for e in s + 1..141 {
                let naive: Vec<usize> = (0..ds.len())
                    .filter(|&i| ds[i].start < e && ds[i].end > s)
                    .collect();
                assert_eq!(found(s, e), naive, "{s}..{e}");
            }
        }
    }
}
