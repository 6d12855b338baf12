//! Painting a frame: span fills, the selection, find matches, the text, span underlines,
//! the selected span and the suggestions' dashed outlines.

use eframe::egui::{Color32, Rect, Shape, Stroke, StrokeKind, Ui};

use super::DocView;
use crate::model::suggest::Suggestion;
use crate::model::{Document, Project, Span};
use crate::ui::color;

/// Gap between the text and the first underline.
const UNDERLINE_GAP: f32 = 1.5;
/// Distance between stacked underlines.
const UNDERLINE_STEP: f32 = 3.0;
/// Thickness of an underline.
const UNDERLINE_WIDTH: f32 = 2.0;
/// Nesting levels with their own underline; deeper spans share the last one.
const MAX_LEVELS: usize = 3;

impl DocView {
    /// Paints span fills, the selection, find matches, the text, span underlines, the
    /// selected span and the suggestions (only those over visible units). `matches` are
    /// sorted char ranges that do not overlap.
    pub(super) fn paint(
        &self,
        ui: &Ui,
        (project, suggestions): (&Project, &[Suggestion]),
        doc: &Document,
        font_height: f32,
        text_color: Color32,
        matches: &[(usize, usize)],
    ) {
        let painter = ui.painter();
        let dark = ui.visuals().dark_mode;
        let fill_alpha = if dark { 70 } else { 60 };
        let selection_fill = ui.visuals().selection.bg_fill;
        let selected_stroke = Stroke::new(2.0, ui.visuals().strong_text_color());
        // Find matches: an amber outline, apart from every label colour.
        let match_stroke = Stroke::new(1.5, Color32::from_rgb(255, 176, 0));
        let mut dashes: Vec<Shape> = Vec::new();
        for p in &self.placed {
            let u = self.units[p.unit];
            if u.start == u.end {
                continue;
            }
            // Nesting level per span: outer spans come first in document order, so a
            // greedy assignment puts each inner span one level below its container.
            let mut level_ends: Vec<usize> = Vec::new();
            let spans: Vec<(Span, usize)> = doc
                .spans()
                .overlapping(u.start, u.end)
                .map(|s| {
                    let level = match level_ends.iter().position(|&e| e <= s.start()) {
                        Some(l) => {
                            level_ends[l] = s.end();
                            l
                        }
                        None => {
                            level_ends.push(s.end());
                            level_ends.len() - 1
                        }
                    };
                    (*s, level.min(MAX_LEVELS - 1))
                })
                .collect();
            let band = |r: Rect| {
                let pad = ((r.height() - font_height) / 2.0).max(0.0);
                Rect::from_x_y_ranges(r.x_range(), (r.top() + pad)..=(r.bottom() - pad))
            };
            for (span, _) in &spans {
                let c = project
                    .label(span.label())
                    .map_or(Color32::GRAY, |l| color(l.color));
                for r in self.range_rects(p, span.start(), span.end()) {
                    painter.rect_filled(band(r), 2.0, c.gamma_multiply_u8(fill_alpha));
                }
            }
            if let Some(sel) = self.selection.filter(|s| !s.is_empty()) {
                let (s, e) = sel.range();
                for r in self.range_rects(p, s, e) {
                    painter.rect_filled(band(r).expand(1.0), 0.0, selection_fill);
                }
            }
            let first = matches.partition_point(|m| m.1 <= u.start);
            let current = self.selection.map(|s| s.range());
            for &(s, e) in matches[first..].iter().take_while(|m| m.0 < u.end) {
                let current = current == Some((s, e));
                for r in self.range_rects(p, s, e) {
                    let r = band(r).expand(1.0);
                    if current {
                        painter.rect_filled(r, 2.0, match_stroke.color.gamma_multiply_u8(90));
                    }
                    let width = if current { 2.5 } else { match_stroke.width };
                    let stroke = Stroke::new(width, match_stroke.color);
                    painter.rect_stroke(r, 2.0, stroke, StrokeKind::Outside);
                }
            }
            for piece in &p.laid.pieces {
                painter.galley(p.origin + piece.offset, piece.galley.clone(), text_color);
            }
            self.paint_suggestions(&mut dashes, p, (project, suggestions), &band);
            for (span, level) in &spans {
                let c = project
                    .label(span.label())
                    .map_or(Color32::GRAY, |l| color(l.color));
                let selected = self.selected_span == Some(*span);
                for r in self.range_rects(p, span.start(), span.end()) {
                    let band = band(r);
                    let y = band.bottom() + UNDERLINE_GAP + *level as f32 * UNDERLINE_STEP;
                    let bar = Rect::from_x_y_ranges(
                        (r.left() + 1.0)..=(r.right() - 1.0),
                        y..=y + UNDERLINE_WIDTH,
                    );
                    painter.rect_filled(bar, 1.0, c);
                    if selected {
                        // Around the text and the span's own underline.
                        let outline = Rect::from_x_y_ranges(
                            (band.left() - 2.0)..=(band.right() + 2.0),
                            (band.top() - 2.0)..=(bar.bottom() + 1.5),
                        );
                        painter.rect_stroke(outline, 3.0, selected_stroke, StrokeKind::Outside);
                    }
                }
            }
        }
        painter.extend(dashes);
    }
}
