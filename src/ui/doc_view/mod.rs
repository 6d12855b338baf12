//! The document view: the text with its spans, drawn per layout unit and only where
//! visible, with mouse selection.
//!
//! Cost is O(visible): the text is cut into units (paragraphs, long ones split at a
//! bounded size, [`units`]); unit heights are kept as prefix sums (estimated until a unit
//! is first laid out); only units that intersect the viewport are laid out ([`layout`]),
//! their layouts are kept while they stay on screen, and their spans come from the
//! document's interval index.
//!
//! Offsets are document char offsets everywhere here; a unit's layout answers in chars
//! local to the unit, and [`DocView`] adds or subtracts the unit's start — nothing else.

mod arrows;
mod bidi;
mod clusters;
mod compare;
mod fonts;
mod keys;
mod layout;
pub mod linking;
mod menu;
mod paint;
pub mod prefs;
mod relations;
mod reveal;
mod suggest;
#[cfg(test)]
mod tests;
mod units;

use std::collections::HashMap;
use std::sync::Arc;

use eframe::egui::{self, Color32, CursorIcon, FontId, Pos2, Sense, Ui, vec2};

use super::color;
use crate::model::suggest::Suggestion;
use crate::model::{DocId, Document, Project, Relation, Span, text::ellipsize};
use layout::{Laid, Style};
pub use linking::Linking;
pub use prefs::ReadingPrefs;
pub use suggest::{Suggested, pending};
use units::{Unit, split_units};

/// Extra row height, split above and below the text; the part below holds the stacked
/// span underlines.
const ROW_EXTRA: f32 = 16.0;
/// Margin left and right of the text.
const MARGIN: f32 = 12.0;

/// A text selection in document char offsets. `anchor` is where the drag started, `head`
/// where it is now, so a selection can be extended from either side.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Selection {
    /// Fixed end.
    pub anchor: usize,
    /// Moving end.
    pub head: usize,
}

impl Selection {
    /// The selected chars as `start..end`.
    pub fn range(&self) -> (usize, usize) {
        (self.anchor.min(self.head), self.anchor.max(self.head))
    }

    /// Whether nothing is selected.
    pub fn is_empty(&self) -> bool {
        self.anchor == self.head
    }
}

/// A unit laid out and placed on screen this frame.
struct Placed {
    unit: usize,
    laid: Arc<Laid>,
    origin: Pos2,
}

/// What a cached layout depends on besides the text: style, pixel density, and the
/// text options (a theme switch changes them, and egui then rebuilds its glyph atlas:
/// galleys kept from before point at glyphs that moved).
#[derive(Clone, Debug, PartialEq)]
struct LayoutKey {
    style: Style,
    pixels_per_point: f32,
    text_options: egui::epaint::text::TextOptions,
}

/// View state of the open document: layout cache, selection, scroll requests.
#[derive(Default)]
pub struct DocView {
    /// The laid-out document: a [`DocId`] is never reused within the process, and a
    /// document's text never changes, so it keys the layout (a text's address could be
    /// reused by the next project's text).
    key: Option<DocId>,
    units: Vec<Unit>,
    heights: Vec<f32>,
    measured: Vec<bool>,
    /// `tops[i]` is the y of unit `i` in content coordinates; `tops[n]` the total height.
    tops: Vec<f32>,
    /// What the cached layouts and heights were made for.
    layout_key: Option<LayoutKey>,
    /// Layouts of the units drawn in the last frame (dropped when they leave the screen).
    laid: HashMap<usize, Arc<Laid>>,
    /// Which chars the fonts draw (asked once per char).
    has_glyph: HashMap<char, bool>,
    /// Glyph atlas fill last frame: when egui empties the atlas, cached galleys are stale.
    atlas_fill: f32,
    placed: Vec<Placed>,
    viewport_height: f32,
    dragging: bool,
    /// Last plain click: the char and which of the spans there it selected, so that
    /// clicking again cycles through nested spans.
    last_click: Option<(usize, usize)>,
    /// The char the right-click menu was opened on.
    menu_at: Option<usize>,
    pending_scroll: Option<usize>,
    /// A char range to bring into view ([`DocView::reveal`]) and the frames left to try.
    reveal: Option<(usize, usize, u8)>,
    /// The visible part of the view on screen in the last frame.
    screen: Option<egui::Rect>,
    notice: fonts::FontNotice,
    /// Text size and line spacing as of the last frame.
    prefs: ReadingPrefs,
    /// Units whose layout failed the per-unit check (boxes not tiling the chars).
    inexact_units: usize,
    /// Whether the caret keys act on the view (the app turns this off under dialogs).
    pub keyboard: bool,
    /// Height of a text row and of the font, as last drawn (caret motion and drawing).
    row_height: f32,
    font_height: f32,
    /// The text selection, if any; its head is the keyboard caret.
    pub selection: Option<Selection>,
    /// The selected span, if any.
    pub selected_span: Option<Span>,
    /// The current disagreement of the shown document (index into its
    /// `disagreements()`), drawn thicker; the app sets it every frame.
    pub disagreement: Option<usize>,
    /// The project's revision (`Workspace::revision`), set by the app every frame: what
    /// is derived from the document's disagreements is rebuilt when it changes.
    pub revision: u64,
    /// How far the disagreements reach, for finding the visible ones.
    reach: compare::Reach,
    /// The selected suggestion, if any (never together with a selection or a selected
    /// span).
    pub selected_suggestion: Option<Suggestion>,
    /// The suggestions' index of ends (finds the visible ones).
    suggest_index: suggest::SuggestIndex,
    /// The accept / reject buttons' texts, chosen once by what the fonts draw.
    check_glyphs: Option<(&'static str, &'static str)>,
    /// The selected relation (or suggested relation), if any: never together with a
    /// selection, a selected span or a selected suggestion.
    pub selected_relation: Option<Relation>,
    /// Link mode (after `R`), if on.
    pub linking: Option<Linking>,
    /// The arrows drawn in the last frame (hit-testing).
    arrows: Vec<relations::Drawn>,
    /// The relation whose arrow is under the pointer.
    hovered_relation: Option<Relation>,
    /// The arrow the right-click menu was opened on, and whether it is suggested.
    menu_relation: Option<(Relation, bool)>,
}

impl DocView {
    /// Forgets the selection and scroll position, e.g. when another document is shown.
    pub fn reset(&mut self) {
        let has_glyph = std::mem::take(&mut self.has_glyph);
        let notice = std::mem::take(&mut self.notice);
        *self = Self {
            has_glyph,
            notice,
            prefs: self.prefs,
            check_glyphs: self.check_glyphs,
            ..Self::default()
        };
    }

    /// The notice about chars no installed font draws (which scripts, which package
    /// provides a font), once per script; `None` when there is nothing new to say.
    pub fn missing_font_notice(&self) -> Option<&str> {
        self.notice.text.as_deref()
    }

    /// Text size and line spacing as of the last frame (for the app to save).
    pub fn reading_prefs(&self) -> ReadingPrefs {
        self.prefs
    }

    /// Dismisses the missing-font notice (it comes back only for a script not named yet).
    pub fn dismiss_missing_font_notice(&mut self) {
        self.notice.text = None;
    }

    /// How many units drawn so far failed the layout check (their graphemes' boxes do
    /// not tile their chars). Always 0 unless egui's glyph output changes shape.
    pub fn inexact_units(&self) -> usize {
        self.inexact_units
    }

    /// The placed unit holding document char `c`.
    fn placed_of(&self, c: usize) -> Option<&Placed> {
        self.placed.iter().find(|p| {
            let u = self.units[p.unit];
            u.start <= c && c < u.end
        })
    }

    fn rebuild(&mut self, doc: &Document) {
        let text = doc.text();
        self.units = split_units(text.as_str());
        let n = self.units.len();
        self.heights = vec![0.0; n];
        self.measured = vec![false; n];
        self.tops = vec![0.0; n + 1];
        self.layout_key = None;
        self.laid.clear();
        self.key = Some(doc.id());
    }

    /// Re-estimates every height for a new style.
    fn estimate(&mut self, style: &Style) {
        let chars_per_row = (style.width / (style.font.size * 0.48)).max(1.0);
        for (i, u) in self.units.iter().enumerate() {
            let rows = ((u.end - u.start) as f32 / chars_per_row).ceil().max(1.0);
            self.heights[i] = rows * style.row_h + u.gap();
            self.measured[i] = false;
        }
        self.recompute_tops();
    }

    fn recompute_tops(&mut self) {
        let mut y = 0.0;
        for (i, h) in self.heights.iter().enumerate() {
            self.tops[i] = y;
            y += h;
        }
        if let Some(last) = self.tops.last_mut() {
            *last = y;
        }
    }

    /// Index of the unit holding char `c` (or the nearest one after it).
    fn unit_of(&self, c: usize) -> usize {
        self.units
            .partition_point(|u| u.end < c)
            .min(self.units.len().saturating_sub(1))
    }

    /// The missing-font notice, above the text.
    fn show_notice(&mut self, ui: &mut Ui) {
        let Some(text) = self.notice.text.clone() else {
            return;
        };
        ui.horizontal_wrapped(|ui| {
            ui.label(egui::RichText::new(text).color(ui.visuals().warn_fg_color));
            if ui.small_button("Dismiss").clicked() {
                self.dismiss_missing_font_notice();
            }
        });
        ui.separator();
    }

    /// A suggestion goes unselected when text or a span is selected (by the mouse, the
    /// caret keys or an action), a relation when any of those is; link mode ends when its
    /// span is no longer the selected one.
    pub fn settle_selection(&mut self) {
        if self.selected_span.is_some() || self.selection.is_some() {
            self.selected_suggestion = None;
        }
        if self.selected_span.is_some()
            || self.selection.is_some()
            || self.selected_suggestion.is_some()
        {
            self.selected_relation = None;
        }
        if self
            .linking
            .as_ref()
            .is_some_and(|l| self.selected_span != Some(l.from))
        {
            self.linking = None;
        }
    }

    /// Draws the document and its suggestions and handles the mouse. Project changes
    /// are pushed as actions.
    #[allow(clippy::too_many_arguments)]
    pub fn show(
        &mut self,
        ui: &mut Ui,
        project: &Project,
        doc: &Document,
        suggested: Suggested<'_>,
        snap_to_words: bool,
        matches: &[(usize, usize)],
        actions: &mut Vec<crate::ui::Action>,
    ) {
        let text = doc.text();
        if self.key != Some(doc.id()) {
            let (sel, span) = (self.selection, self.selected_span);
            self.rebuild(doc);
            // Same document re-laid out: keep what the user had selected if it still fits.
            self.selection = sel.filter(|s| s.range().1 <= text.char_len());
            self.selected_span = span.filter(|s| doc.spans().contains(s));
        }
        let list = suggested.list();
        self.suggest_index.refresh(&suggested);
        self.settle_relations(doc, suggested.relations);
        if let Some(s) = self.selected_suggestion
            && !pending(list, &s)
        {
            self.selected_suggestion = None;
        }
        ReadingPrefs::handle_keys(ui.ctx());
        let prefs = ReadingPrefs::load(ui.ctx());
        self.prefs = prefs;
        let font = FontId::proportional(prefs.text_size);
        let font_height = ui.fonts_mut(|f| f.row_height(&font));
        let row_h = (font_height * prefs.line_spacing + ROW_EXTRA * prefs.text_size / 16.0).round();
        // Reading text a little stronger than egui's default label grey.
        let text_color = if ui.visuals().dark_mode {
            Color32::from_gray(215)
        } else {
            Color32::from_gray(25)
        };
        // egui empties its glyph atlas when it fills up: galleys kept from before then
        // point at glyphs that are gone.
        let fill = ui.fonts(|f| f.font_atlas_fill_ratio());
        if fill < self.atlas_fill {
            self.laid.clear();
        }
        self.atlas_fill = fill;
        self.show_notice(ui);

        let mut area = egui::ScrollArea::vertical()
            // One scroll position per document (keyed by its text), so switching
            // documents does not carry the offset over.
            .id_salt(("document", self.key))
            .auto_shrink([false, false]);
        if let Some(c) = self.pending_scroll.take()
            && !self.units.is_empty()
        {
            let y = self.tops[self.unit_of(c)];
            area = area.vertical_scroll_offset((y - self.viewport_height / 3.0).max(0.0));
        }

        area.show_viewport(ui, |ui, viewport| {
            self.viewport_height = viewport.height();
            self.screen = Some(ui.clip_rect());
            let width = (ui.available_width() - 2.0 * MARGIN).max(50.0);
            let key = LayoutKey {
                style: Style {
                    font: font.clone(),
                    row_h,
                    width: width.round(),
                },
                pixels_per_point: ui.ctx().pixels_per_point(),
                // The fonts' own: a theme switch reaches them (and their atlas) only
                // at the next frame's start.
                text_options: ui.fonts(|f| *f.options()),
            };
            if self.layout_key.as_ref() != Some(&key) {
                self.laid.clear();
                self.estimate(&key.style);
                self.layout_key = Some(key.clone());
            }
            let style = key.style;
            let total = self.tops.last().copied().unwrap_or(0.0);
            let (rect, response) = ui.allocate_exact_size(
                vec2(ui.available_width(), total.max(viewport.height())),
                Sense::click_and_drag(),
            );
            let response = response.on_hover_cursor(CursorIcon::Text);
            response.widget_info(|| {
                egui::WidgetInfo::labeled(egui::Role::Document, true, "Document text")
            });

            // Lay out the visible units (reusing last frame's), measuring them as we go.
            self.placed.clear();
            let mut kept = HashMap::with_capacity(self.laid.len());
            let first = self
                .tops
                .partition_point(|&t| t <= viewport.min.y)
                .saturating_sub(1);
            let mut y = self.tops.get(first).copied().unwrap_or(0.0);
            let mut changed = false;
            for i in first..self.units.len() {
                if y >= viewport.max.y {
                    break;
                }
                let u = self.units[i];
                let laid = match self.laid.remove(&i) {
                    Some(l) => l,
                    None => {
                        let unit_text = text.slice(u.start, u.end);
                        let has = &mut self.has_glyph;
                        let laid =
                            Arc::new(ui.fonts_mut(|f| layout::lay_out(f, unit_text, &style, has)));
                        if !laid.exact {
                            self.inexact_units += 1;
                        }
                        if !laid.missing.is_empty() {
                            self.notice.note(&laid.missing);
                        }
                        laid
                    }
                };
                kept.insert(i, laid.clone());
                let h = laid.height.max(row_h) + u.gap();
                if !self.measured[i] || (self.heights[i] - h).abs() > 0.1 {
                    self.heights[i] = h;
                    self.measured[i] = true;
                    changed = true;
                }
                self.placed.push(Placed {
                    unit: i,
                    laid,
                    origin: rect.min + vec2(MARGIN, y),
                });
                y += h;
            }
            self.laid = kept;
            if changed {
                self.recompute_tops();
                ui.ctx().request_repaint();
            }

            self.row_height = row_h;
            self.font_height = font_height;
            // Disagreements and arrows go under the text: their places are taken first.
            let slot = ui.painter().add(egui::Shape::Noop);
            let arrow_slot = ui.painter().add(egui::Shape::Noop);
            self.paint(ui, (project, list), doc, font_height, text_color, matches);
            self.paint_disagreements(ui, project, doc, slot);
            self.paint_relations(ui, project, doc, suggested.relations, arrow_slot);
            self.paint_caret(ui);
            self.scroll_to_reveal(ui);
            self.suggestion_buttons(ui, actions);
            let taken = self.relation_pointer(ui, &response, (project, doc), actions);
            self.interact(ui, &response, doc, list, (snap_to_words, taken));
            self.keyboard(ui, doc);
            self.context_menu(&response, (project, list), doc, actions);
            self.hover(&response, project, doc, &suggested);
            self.disagreement_pointer(&response, project, doc, actions);
            self.settle_selection();
        });
    }

    /// Screen rects (one per visually contiguous stretch of a line) of document chars
    /// `start..end` within a placed unit.
    fn range_rects(&self, p: &Placed, start: usize, end: usize) -> Vec<egui::Rect> {
        let u = self.units[p.unit];
        let (a, b) = (
            start.max(u.start) - u.start,
            end.min(u.end).saturating_sub(u.start),
        );
        if a >= b {
            return Vec::new();
        }
        p.laid
            .range_rects(a, b)
            .into_iter()
            .map(|r| r.translate(p.origin.to_vec2()))
            .collect()
    }

    /// The grapheme boundary nearest to a screen position (for selection ends). Positions
    /// above or below the visible text clamp to its first or last unit.
    fn boundary_at(&self, pos: Pos2) -> Option<usize> {
        let i = self
            .placed
            .iter()
            .position(|p| pos.y < p.origin.y + p.laid.height + self.units[p.unit].gap())
            .unwrap_or(self.placed.len().checked_sub(1)?);
        let p = &self.placed[i];
        let local = (pos - p.origin).to_pos2();
        Some(self.units[p.unit].start + p.laid.boundary_at(local))
    }

    /// The first char of the grapheme under a screen position, if any.
    fn char_at(&self, pos: Pos2) -> Option<usize> {
        self.placed.iter().find_map(|p| {
            let local = (pos - p.origin).to_pos2();
            p.laid.char_at(local).map(|c| self.units[p.unit].start + c)
        })
    }

    fn interact(
        &mut self,
        ui: &Ui,
        response: &egui::Response,
        doc: &Document,
        suggestions: &[Suggestion],
        (snap, taken): (bool, bool),
    ) {
        let shift = ui.input(|i| i.modifiers.shift);
        // Not `drag_started_by`: it needs the button still down, and a fast flick can
        // start and end a drag in the same frame.
        if response.drag_started() && !ui.input(|i| i.pointer.secondary_down()) {
            let origin = ui
                .input(|i| i.pointer.press_origin())
                .or(response.interact_pointer_pos());
            if let Some(c) = origin.and_then(|p| self.boundary_at(p)) {
                match self.selection {
                    Some(ref mut sel) if shift => sel.head = c,
                    _ => self.selection = Some(Selection { anchor: c, head: c }),
                }
                self.selected_span = None;
                self.dragging = true;
            }
        }
        if self.dragging {
            if let Some(p) = response.interact_pointer_pos() {
                // Past the top or bottom edge: scroll, faster the further out.
                let clip = ui.clip_rect();
                let dy = if p.y < clip.top() {
                    (clip.top() - p.y).min(60.0)
                } else if p.y > clip.bottom() {
                    -(p.y - clip.bottom()).min(60.0)
                } else {
                    0.0
                };
                if dy != 0.0 {
                    ui.scroll_with_delta(vec2(0.0, dy));
                    ui.ctx().request_repaint();
                }
                if let (Some(c), Some(sel)) = (self.boundary_at(p), self.selection.as_mut()) {
                    sel.head = c;
                }
            }
            if !response.dragged() {
                self.dragging = false;
                self.finish_selection(doc, snap);
            }
        }
        // A click on an arrow, or on a target in link mode, was taken already.
        if response.clicked() && !taken {
            let pos = response.interact_pointer_pos();
            if shift && self.selection.is_some() {
                if let (Some(c), Some(sel)) = (
                    pos.and_then(|p| self.boundary_at(p)),
                    self.selection.as_mut(),
                ) {
                    sel.head = c;
                }
                self.finish_selection(doc, snap);
            } else {
                self.selection = None;
                self.selected_span = None;
                self.selected_suggestion = None;
                if let Some(c) = pos.and_then(|p| self.char_at(p)) {
                    let here = doc.spans().at(c);
                    if !here.is_empty() {
                        let k = match self.last_click {
                            Some((lc, k)) if lc == c => (k + 1) % here.len(),
                            _ => 0,
                        };
                        self.selected_span = Some(here[k]);
                        self.last_click = Some((c, k));
                    } else {
                        // Outside every span a click takes a suggestion (inside one,
                        // the span wins: the right-click menu offers the suggestion).
                        let suggested = self.suggest_index.at(suggestions, c);
                        let k = match self.last_click {
                            Some((lc, k)) if lc == c && !suggested.is_empty() => {
                                (k + 1) % suggested.len()
                            }
                            _ => 0,
                        };
                        self.selected_suggestion = suggested.get(k).copied();
                        self.last_click = Some((c, k));
                    }
                }
            }
        }
        if response.double_clicked()
            && let Some(c) = response
                .interact_pointer_pos()
                .and_then(|p| self.char_at(p))
        {
            let (s, e) = doc.text().word_at(c);
            self.selection = Some(Selection { anchor: s, head: e });
            self.selected_span = None;
        }
        if response.triple_clicked()
            && let Some(c) = response
                .interact_pointer_pos()
                .and_then(|p| self.char_at(p))
        {
            let (s, e) = crate::model::motion::sentence_at(doc.text(), c);
            self.selection = Some(Selection { anchor: s, head: e });
            self.selected_span = None;
        }
    }

    fn finish_selection(&mut self, doc: &Document, snap: bool) {
        let Some(sel) = self.selection else { return };
        let (s, e) = sel.range();
        let snapped = if snap {
            doc.text().snap_to_words(s, e)
        } else {
            Some((s, e)).filter(|(s, e)| s < e)
        };
        self.selection = snapped.map(|(s, e)| Selection { anchor: s, head: e });
    }

    fn hover(
        &self,
        response: &egui::Response,
        project: &Project,
        doc: &Document,
        suggested: &Suggested<'_>,
    ) {
        // Over an arrow, its own tooltip shows.
        if self.dragging || self.hovered_relation.is_some() {
            return;
        }
        let Some(c) = response.hover_pos().and_then(|p| self.char_at(p)) else {
            return;
        };
        let here = doc.spans().at(c);
        let suggestions = self.suggest_index.at(suggested.list(), c);
        if here.is_empty() && suggestions.is_empty() {
            return;
        }
        response.clone().on_hover_ui_at_pointer(|ui| {
            for span in &here {
                let Some(label) = project.label(span.label()) else {
                    continue;
                };
                ui.horizontal(|ui| {
                    swatch(ui, color(label.color));
                    ui.strong(&label.name);
                    ui.label(ellipsize(doc.span_text(span), 80));
                    ui.weak(format!("{}–{}", span.start(), span.end()));
                });
                if let Some(note) = doc.note(span) {
                    ui.label(egui::RichText::new(ellipsize(note, 200)).italics());
                }
            }
            if here.len() > 1 {
                ui.weak("Click again to cycle through nested spans");
            }
            let hint = if here.is_empty() {
                "Click to select; Enter accepts, X rejects"
            } else {
                "Right-click to accept or reject"
            };
            self.hover_suggestions(ui, (project, doc), suggested, &suggestions, hint);
        });
    }
}

/// A small square of a label's colour.
pub fn swatch(ui: &mut Ui, c: Color32) {
    let (rect, _) = ui.allocate_exact_size(vec2(10.0, 10.0), Sense::hover());
    ui.painter().rect_filled(rect, 2.0, c);
}
