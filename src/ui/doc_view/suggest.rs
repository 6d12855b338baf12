//! Suggestions in the document view: the ones over a visible unit found by binary search
//! (as spans are), drawn as dashed outlines in their label's colour with no fill, found
//! under the pointer for clicks, hover and the right-click menu, and the accept / reject
//! buttons by the selected one, in the line gap.

use eframe::egui::{self, Button, Color32, Rect, Shape, Stroke, Ui, vec2};

use super::{DocView, Placed, swatch};
use crate::model::suggest::{SuggestEngine, Suggestion};
use crate::model::{DocId, Document, Project, RelationSet, text::ellipsize};
use crate::ui::{Action, color};

/// Dash and gap of a suggestion's outline, in points.
const DASH: f32 = 4.0;
const GAP: f32 = 3.0;
/// Outline width: normal and selected.
const WIDTH: f32 = 1.5;
const WIDTH_SELECTED: f32 = 2.5;
/// Overlapping suggestions get outlines this much further out per level, up to
/// [`MAX_LEVELS`].
const LEVEL_STEP: f32 = 2.0;
const MAX_LEVELS: usize = 3;

/// The current document's suggestions, as the view needs them this frame.
#[derive(Clone, Copy)]
pub struct Suggested<'a> {
    /// The engine (pending suggestions, and where each came from for the tooltip).
    pub engine: &'a SuggestEngine,
    /// The document shown.
    pub doc: DocId,
    /// Its pending relation suggestions (speakers), by span.
    pub relations: &'a RelationSet,
}

impl Suggested<'_> {
    /// The document's pending suggestions, sorted by start.
    pub fn list(&self) -> &[Suggestion] {
        self.engine.for_doc(self.doc)
    }
}

/// The running maximum of the suggestions' ends, so the first suggestion that can reach
/// an offset is found by binary search: O(log n + k) per visible unit, never a scan.
#[derive(Default)]
pub(super) struct SuggestIndex {
    /// What the index was built for: (the engine's generation, document).
    key: Option<(u64, DocId)>,
    max_end: Vec<usize>,
}

impl SuggestIndex {
    /// Rebuilds the index when the suggestions changed.
    pub(super) fn refresh(&mut self, s: &Suggested<'_>) {
        self.refresh_list((s.engine.generation(), s.doc), s.list());
    }

    /// Rebuilds the index for `list` unless it was built for the same list under `key`.
    fn refresh_list(&mut self, key: (u64, DocId), list: &[Suggestion]) {
        if self.key == Some(key) {
            return;
        }
        self.max_end.clear();
        let mut running = 0;
        self.max_end.extend(list.iter().map(|x| {
            running = running.max(x.span.end());
            running
        }));
        self.key = Some(key);
    }

    /// The suggestions of `list` (the one indexed) overlapping chars `start..end`.
    pub(super) fn overlapping<'a>(
        &self,
        list: &'a [Suggestion],
        start: usize,
        end: usize,
    ) -> impl Iterator<Item = &'a Suggestion> + use<'a> {
        // A list the index was not built for (it cannot happen, but drawing nothing
        // beats indexing out of bounds).
        let n = if self.max_end.len() == list.len() {
            list.len()
        } else {
            0
        };
        let lo = self.max_end[..n].partition_point(|&e| e <= start);
        let hi = list[..n].partition_point(|s| s.span.start() < end);
        list[lo..hi.max(lo)]
            .iter()
            .filter(move |s| s.span.end() > start)
    }

    /// The suggestions over char `c`, innermost (shortest) first.
    pub(super) fn at(&self, list: &[Suggestion], c: usize) -> Vec<Suggestion> {
        let mut found: Vec<Suggestion> = self.overlapping(list, c, c + 1).copied().collect();
        found.sort_by_key(|s| (s.span.len(), s.span.start(), s.span.label()));
        found
    }
}

/// Whether `s` is one of `list` (sorted by start).
pub fn pending(list: &[Suggestion], s: &Suggestion) -> bool {
    let from = list.partition_point(|x| x.span.start() < s.span.start());
    list[from..]
        .iter()
        .take_while(|x| x.span.start() == s.span.start())
        .any(|x| x == s)
}

/// A dashed rectangle outline.
fn dashed_rect(shapes: &mut Vec<Shape>, r: Rect, stroke: Stroke) {
    let corners = [
        r.left_top(),
        r.right_top(),
        r.right_bottom(),
        r.left_bottom(),
        r.left_top(),
    ];
    Shape::dashed_line_many(&corners, stroke, DASH, GAP, shapes);
}

impl DocView {
    /// Dashed outlines around the suggestions over a placed unit; `band` turns a line
    /// rect into the text's band (as for span fills).
    pub(super) fn paint_suggestions(
        &self,
        shapes: &mut Vec<Shape>,
        p: &Placed,
        (project, list): (&Project, &[Suggestion]),
        band: &dyn Fn(Rect) -> Rect,
    ) {
        let u = self.units[p.unit];
        // Overlapping suggestions (other sources, other labels) nest outwards.
        let mut level_ends: Vec<usize> = Vec::new();
        for s in self.suggest_index.overlapping(list, u.start, u.end) {
            let level = match level_ends.iter().position(|&e| e <= s.span.start()) {
                Some(l) => {
                    level_ends[l] = s.span.end();
                    l
                }
                None => {
                    level_ends.push(s.span.end());
                    level_ends.len() - 1
                }
            };
            let c = project
                .label(s.span.label())
                .map_or(Color32::GRAY, |l| color(l.color));
            let selected = self.selected_suggestion == Some(*s);
            let width = if selected { WIDTH_SELECTED } else { WIDTH };
            let out = 1.0 + level.min(MAX_LEVELS - 1) as f32 * LEVEL_STEP;
            for r in self.range_rects(p, s.span.start(), s.span.end()) {
                dashed_rect(shapes, band(r).expand(out), Stroke::new(width, c));
            }
        }
    }

    /// The accept and reject buttons of the selected suggestion, if it is drawn: where
    /// they hide no text.
    pub(super) fn suggestion_buttons(&mut self, ui: &mut Ui, actions: &mut Vec<Action>) {
        let Some(s) = self.selected_suggestion else {
            return;
        };
        let rects = self.range_screen_rects(s.span.start(), s.span.end());
        let (Some(first), Some(last)) = (rects.first(), rects.last()) else {
            return;
        };
        let (accept, reject) = self.button_texts(ui);
        // In the line gap under the suggestion's last line (over the underlines, never
        // over text), or above its first line when that gap is off screen; at the end
        // of its last line when the gap is too thin for a button.
        let (top_inset, bottom_inset) = self.glyph_insets();
        let gap = top_inset + bottom_inset;
        let h = (gap - 2.0).clamp(12.0, 18.0);
        let w = if accept.len() > 3 { 56.0 } else { 22.0 };
        let size = vec2(w, h);
        let spacing = 2.0;
        let clip = ui.clip_rect();
        let below = last.bottom() - bottom_inset + (gap - h) / 2.0;
        let above = first.top() + top_inset - (gap + h) / 2.0;
        let row_end = self
            .glyph_row_rects()
            .into_iter()
            .filter(|r| r.center().y > last.top() && r.center().y < last.bottom())
            .map(|r| r.right())
            .fold(last.right(), f32::max);
        let min = if gap - 2.0 < 12.0 && row_end + 2.0 * w + 3.0 * spacing <= clip.right() {
            egui::pos2(row_end + spacing, last.center().y - h / 2.0)
        } else if below + h <= clip.bottom() {
            egui::pos2(last.left(), below)
        } else {
            egui::pos2(first.left(), above)
        };
        // Kept inside the view on the right.
        let left = min.x.min(clip.right() - 2.0 * w - spacing).max(clip.left());
        let accept_rect = Rect::from_min_size(egui::pos2(left, min.y), size);
        let reject_rect = accept_rect.translate(vec2(w + spacing, 0.0));
        // Text a little smaller than the button, so the button keeps its height.
        let fit = |t: &'static str| egui::RichText::new(t).size(((h - 1.0) / 1.25).min(13.0));
        let suggestion = Action::SelectSuggestion {
            suggestion: s,
            scroll: false,
        };
        let a = ui
            .put(accept_rect, Button::new(fit(accept)).small())
            .accessible_name("Accept suggestion")
            .on_hover_text("Accept suggestion (Enter)");
        if a.clicked() {
            actions.push(suggestion.clone());
            actions.push(Action::AcceptSuggestion);
        }
        let r = ui
            .put(reject_rect, Button::new(fit(reject)).small())
            .accessible_name("Reject suggestion")
            .on_hover_text("Reject suggestion (X)");
        if r.clicked() {
            actions.push(suggestion);
            actions.push(Action::RejectSuggestion);
        }
    }

    /// ✓ and ✗ when a font draws them, else words (a missing glyph would be a box).
    fn button_texts(&mut self, ui: &Ui) -> (&'static str, &'static str) {
        *self.check_glyphs.get_or_insert_with(|| {
            let font = egui::TextStyle::Button.resolve(ui.style());
            let has = |c| ui.fonts_mut(|f| f.has_glyph(&font, c));
            if has('✓') && has('✗') {
                ("✓", "✗")
            } else if has('✔') && has('✖') {
                ("✔", "✖")
            } else {
                ("Accept", "Reject")
            }
        })
    }

    /// The suggestions' part of the hover tooltip at a char: label, text, source, and
    /// `hint` (how to take them).
    pub(super) fn hover_suggestions(
        &self,
        ui: &mut Ui,
        (project, doc): (&Project, &Document),
        suggested: &Suggested<'_>,
        here: &[Suggestion],
        hint: &str,
    ) {
        for s in here {
            let Some(label) = project.label(s.span.label()) else {
                continue;
            };
            ui.horizontal(|ui| {
                swatch(ui, color(label.color));
                ui.label(egui::RichText::new(format!("Suggested {}", label.name)).strong());
                ui.label(ellipsize(doc.span_text(&s.span), 80));
                ui.weak(format!("{}–{}", s.span.start(), s.span.end()));
            });
            ui.weak(suggested.engine.describe(suggested.doc, s));
        }
        if !here.is_empty() {
            ui.weak(hint);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::suggest::SourceId;
    use crate::model::{LabelId, Span};
    use proptest::prelude::*;

    fn suggestions() -> impl Strategy<Value = Vec<Suggestion>> {
        prop::collection::vec((0usize..200, 1usize..40, 0u32..3, 0u16..2), 0..60).prop_map(|raw| {
            let mut list: Vec<Suggestion> = raw
                .into_iter()
                .filter_map(|(start, len, label, source)| {
                    Some(Suggestion {
                        span: Span::new(start, start + len, LabelId(label)).ok()?,
                        source: SourceId(source),
                    })
                })
                .collect();
            list.sort();
            list.dedup();
            list
        })
    }

    proptest! {
        /// The index finds exactly the suggestions a scan finds, for any range: long
        /// suggestions starting far before it included.
        #[test]
        fn overlapping_is_what_a_scan_finds(
            list in suggestions(),
            start in 0usize..240,
            len in 1usize..50,
        ) {
            let mut index = SuggestIndex::default();
            index.refresh_list((0, Document::new("d", "").id()), &list);
            let end = start + len;
            let found: Vec<Suggestion> = index.overlapping(&list, start, end).copied().collect();
            let naive: Vec<Suggestion> = list
                .iter()
                .filter(|s| s.span.start() < end && s.span.end() > start)
                .copied()
                .collect();
            prop_assert_eq!(found, naive);
            for s in &list {
                prop_assert!(pending(&list, s));
            }
        }
    }
}
