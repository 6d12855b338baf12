//! The document view: the text with its spans, drawn per layout unit and only where
//! visible, with mouse selection.
//!
//! Cost is O(visible): the text is cut into units (paragraphs, long ones split at a
//! bounded size); unit heights are kept as prefix sums (estimated until a unit is first
//! laid out); only units that intersect the viewport are laid out, and their spans come
//! from the document's interval index.

use std::sync::Arc;

use eframe::egui::{
    self, Color32, CursorIcon, FontId, Galley, Pos2, Rect, Sense, Stroke, StrokeKind, TextFormat,
    Ui,
    epaint::text::{ByteIndex, LayoutJob, LayoutSection},
    vec2,
};

use super::color;
use crate::model::{Document, Project, Span};

/// Longest layout unit in chars; longer paragraphs are split (at a space when one is near)
/// so that laying out the unit under the pointer never costs a whole giant paragraph.
const MAX_UNIT_CHARS: usize = 2000;
/// Body text size in points.
const FONT_SIZE: f32 = 16.0;
/// Extra row height, split above and below the text; the part below holds the stacked
/// span underlines.
const ROW_EXTRA: f32 = 16.0;
/// Gap between the text and the first underline.
const UNDERLINE_GAP: f32 = 1.5;
/// Distance between stacked underlines.
const UNDERLINE_STEP: f32 = 3.0;
/// Thickness of an underline.
const UNDERLINE_WIDTH: f32 = 2.0;
/// Gap below each paragraph.
const PARA_GAP: f32 = 8.0;
/// Margin left and right of the text.
const MARGIN: f32 = 12.0;
/// Nesting levels with their own underline; deeper spans share the last one.
const MAX_LEVELS: usize = 3;

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

/// A layout unit: chars `start..end` of the document, never containing a line break.
#[derive(Clone, Copy, Debug)]
struct Unit {
    start: usize,
    end: usize,
    /// The next unit continues the same line (this one was cut for length): no
    /// paragraph gap after it.
    cut: bool,
}

impl Unit {
    fn gap(&self) -> f32 {
        if self.cut { 0.0 } else { PARA_GAP }
    }
}

/// A unit laid out and placed on screen this frame.
struct Placed {
    unit: usize,
    galley: Arc<Galley>,
    origin: Pos2,
    /// How glyphs and chars correspond when it is not one glyph per char in order.
    map: Option<GlyphMap>,
}

impl Placed {
    /// Chars in the unit.
    fn chars(&self) -> usize {
        match &self.map {
            Some(m) => m.first_glyph.len() - 1,
            None => self.glyphs(),
        }
    }

    /// Glyphs in the galley.
    fn glyphs(&self) -> usize {
        self.galley.rows.iter().map(|r| r.glyphs.len()).sum()
    }

    /// The first glyph of unit-local char `c` (`chars()` gives the end).
    fn glyph_of(&self, c: usize) -> usize {
        match &self.map {
            Some(m) => m.first_glyph[c.min(m.first_glyph.len() - 1)] as usize,
            None => c,
        }
    }

    /// The unit-local char that glyph `g` draws (the glyph count gives the end).
    fn char_of(&self, g: usize) -> usize {
        match &self.map {
            Some(m) => m
                .char_of
                .get(g)
                .map_or(m.first_glyph.len() - 1, |&c| c as usize),
            None => g,
        }
    }
}

/// Glyph ↔ char correspondence of a galley whose glyphs are not one per char, in order.
///
/// egui's layout promises one glyph per char, but 0.37 breaks it for right-to-left runs
/// (glyphs come out in visual order, padded with extra glyphs: emilk/egui#8576) and for
/// fonts that build a letter from several glyphs. Offsets must stay exact anyway, so such
/// units are laid out with each right-to-left char on its own (see [`rtl_isolated`]) and
/// matched to their glyphs through [`GlyphMap::new`].
#[derive(Debug, PartialEq)]
struct GlyphMap {
    /// `first_glyph[c]`: the first glyph of char `c`; one more entry: the glyph count.
    first_glyph: Vec<u32>,
    /// `char_of[g]`: the char glyph `g` belongs to.
    char_of: Vec<u32>,
}

impl GlyphMap {
    /// Matches glyphs to `text`'s chars in order: a glyph of the expected char starts that
    /// char; a repeat of the previous char (a letter drawn as base plus marks) belongs to it;
    /// any other glyph stands in for the expected char. `None` when every glyph is its char.
    fn new(galley: &Galley, text: &str) -> Option<Self> {
        if glyphs_are_chars(galley, text) {
            return None;
        }
        let glyphs = galley.rows.iter().flat_map(|r| r.glyphs.iter());
        let chars: Vec<char> = text.chars().collect();
        let mut first_glyph: Vec<u32> = Vec::with_capacity(chars.len() + 1);
        let mut char_of = Vec::new();
        for (g, glyph) in glyphs.enumerate() {
            let next = first_glyph.len();
            let repeat =
                next > 0 && chars[next - 1] == glyph.chr && chars.get(next) != Some(&glyph.chr);
            if next < chars.len() && !repeat {
                first_glyph.push(g as u32);
            }
            char_of.push(first_glyph.len().saturating_sub(1) as u32);
        }
        // Chars left without a glyph start at the end.
        let total = char_of.len() as u32;
        first_glyph.resize(chars.len() + 1, total);
        Some(Self {
            first_glyph,
            char_of,
        })
    }
}

/// Whether the galley has one glyph per char of `text`, in order (egui's promise).
fn glyphs_are_chars(galley: &Galley, text: &str) -> bool {
    let glyphs = galley.rows.iter().flat_map(|r| r.glyphs.iter());
    glyphs.map(|g| g.chr).eq(text.chars())
}

/// Whether `c` belongs to a right-to-left script (Hebrew, Arabic, Syriac, Thaana, N'Ko,
/// their presentation forms, and the right-to-left scripts of the supplementary planes).
fn is_rtl(c: char) -> bool {
    matches!(c,
        '\u{0590}'..='\u{08FF}'
        | '\u{200F}' | '\u{202B}' | '\u{202E}' | '\u{2067}'
        | '\u{FB1D}'..='\u{FDFF}'
        | '\u{FE70}'..='\u{FEFF}'
        | '\u{10800}'..='\u{10FFF}'
        | '\u{1E800}'..='\u{1EFFF}')
}

/// A layout job with every right-to-left char in a section of its own, so that egui never
/// shapes a right-to-left run: the letters are drawn unjoined, in logical order, but each
/// is exactly where its offset says.
fn rtl_isolated(text: &str, format: &TextFormat) -> LayoutJob {
    let mut job = LayoutJob {
        text: text.to_owned(),
        ..Default::default()
    };
    // Sections are pushed directly: `LayoutJob::append` merges equal formats into one.
    let mut section = |range: std::ops::Range<usize>| {
        job.sections.push(LayoutSection {
            leading_space: 0.0,
            byte_range: ByteIndex(range.start)..ByteIndex(range.end),
            format: format.clone(),
        });
    };
    let mut from = 0;
    for (b, c) in text.char_indices() {
        if is_rtl(c) {
            if from < b {
                section(from..b);
            }
            section(b..b + c.len_utf8());
            from = b + c.len_utf8();
        }
    }
    if from < text.len() {
        section(from..text.len());
    }
    job
}

/// View state of the open document: layout cache, selection, scroll requests.
#[derive(Default)]
pub struct DocView {
    /// Identity of the laid-out document: its char length and a text pointer.
    key: Option<(usize, usize)>,
    units: Vec<Unit>,
    heights: Vec<f32>,
    measured: Vec<bool>,
    /// `tops[i]` is the y of unit `i` in content coordinates; `tops[n]` the total height.
    tops: Vec<f32>,
    width: f32,
    placed: Vec<Placed>,
    viewport_height: f32,
    dragging: bool,
    /// Last plain click: the char and which of the spans there it selected, so that
    /// clicking again cycles through nested spans.
    last_click: Option<(usize, usize)>,
    pending_scroll: Option<usize>,
    /// The text selection, if any.
    pub selection: Option<Selection>,
    /// The selected span, if any.
    pub selected_span: Option<Span>,
}

impl DocView {
    /// Forgets the selection and scroll position, e.g. when another document is shown.
    pub fn reset(&mut self) {
        *self = Self::default();
    }

    /// Scrolls so that char `c` is in view on the next frame.
    pub fn scroll_to(&mut self, c: usize) {
        self.pending_scroll = Some(c);
    }

    /// The char egui's layout drew at a screen position in the last frame, read straight
    /// from the glyphs (not through offsets), so tests can check what is drawn where.
    pub fn drawn_char_at(&self, pos: Pos2) -> Option<char> {
        self.placed.iter().find_map(|p| {
            let local = pos - p.origin;
            let row = p
                .galley
                .rows
                .iter()
                .find(|r| r.min_y() <= local.y && local.y < r.max_y())?;
            let x = local.x - row.pos.x;
            row.glyphs
                .iter()
                .find(|g| g.pos.x <= x && x < g.max_x())
                .map(|g| g.chr)
        })
    }

    /// The first char drawn in the last frame (the top of what is on screen).
    pub fn first_visible(&self) -> Option<usize> {
        self.placed.first().map(|p| self.units[p.unit].start)
    }

    /// Screen position of the middle of char `c`, if it was drawn in the last frame.
    /// Lets tests and tools point at text exactly where a user would.
    pub fn char_screen_pos(&self, c: usize) -> Option<Pos2> {
        let p = self.placed.iter().find(|p| {
            let u = self.units[p.unit];
            u.start <= c && c < u.end
        })?;
        let local = p.glyph_of(c - self.units[p.unit].start);
        let mut row_start = 0;
        for row in &p.galley.rows {
            let n = row.glyphs.len();
            if local < row_start + n {
                let g = &row.glyphs[local - row_start];
                let x = row.pos.x + g.pos.x + g.advance_width / 2.0;
                return Some(p.origin + vec2(x, (row.min_y() + row.max_y()) / 2.0));
            }
            row_start += n;
        }
        None
    }

    fn rebuild(&mut self, doc: &Document) {
        let text = doc.text();
        self.units = split_units(text.as_str());
        let n = self.units.len();
        self.heights = vec![0.0; n];
        self.measured = vec![false; n];
        self.tops = vec![0.0; n + 1];
        self.width = 0.0;
        self.key = Some((text.char_len(), text.as_str().as_ptr() as usize));
    }

    /// Re-estimates every height for a new wrap width.
    fn estimate(&mut self, width: f32, row_h: f32) {
        let chars_per_row = (width / (FONT_SIZE * 0.48)).max(1.0);
        for (i, u) in self.units.iter().enumerate() {
            let rows = ((u.end - u.start) as f32 / chars_per_row).ceil().max(1.0);
            self.heights[i] = rows * row_h + u.gap();
            self.measured[i] = false;
        }
        self.width = width;
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

    /// Draws the document and handles the mouse. Project changes are pushed as actions.
    pub fn show(
        &mut self,
        ui: &mut Ui,
        project: &Project,
        doc: &Document,
        snap_to_words: bool,
        matches: &[(usize, usize)],
    ) {
        let text = doc.text();
        if self.key != Some((text.char_len(), text.as_str().as_ptr() as usize)) {
            let (sel, span) = (self.selection, self.selected_span);
            self.rebuild(doc);
            // Same document re-laid out: keep what the user had selected if it still fits.
            self.selection = sel.filter(|s| s.range().1 <= text.char_len());
            self.selected_span = span.filter(|s| doc.spans().contains(s));
        }
        let font = FontId::proportional(FONT_SIZE);
        let font_height = ui.fonts_mut(|f| f.row_height(&font));
        let row_h = (font_height + ROW_EXTRA).round();
        // Reading text a little stronger than egui's default label grey.
        let text_color = if ui.visuals().dark_mode {
            Color32::from_gray(215)
        } else {
            Color32::from_gray(25)
        };

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
            let width = (ui.available_width() - 2.0 * MARGIN).max(50.0);
            if (width - self.width).abs() > 0.5 {
                self.estimate(width, row_h);
            }
            let total = self.tops.last().copied().unwrap_or(0.0);
            let (rect, response) = ui.allocate_exact_size(
                vec2(ui.available_width(), total.max(viewport.height())),
                Sense::click_and_drag(),
            );
            let response = response.on_hover_cursor(CursorIcon::Text);
            response.widget_info(|| {
                egui::WidgetInfo::labeled(egui::Role::Document, true, "Document text")
            });

            // Lay out the visible units, measuring them as we go.
            self.placed.clear();
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
                let unit_text = text.slice(u.start, u.end);
                let format = TextFormat {
                    font_id: font.clone(),
                    color: text_color,
                    line_height: Some(row_h),
                    ..Default::default()
                };
                let mut job = LayoutJob::single_section(unit_text.to_owned(), format.clone());
                job.wrap.max_width = width;
                let mut galley = ui.painter().layout_job(job);
                let mut map = None;
                if !unit_text.is_ascii() && !glyphs_are_chars(&galley, unit_text) {
                    let mut job = rtl_isolated(unit_text, &format);
                    job.wrap.max_width = width;
                    galley = ui.painter().layout_job(job);
                    map = GlyphMap::new(&galley, unit_text);
                }
                let h = galley.size().y.max(row_h) + u.gap();
                if !self.measured[i] || (self.heights[i] - h).abs() > 0.1 {
                    self.heights[i] = h;
                    self.measured[i] = true;
                    changed = true;
                }
                self.placed.push(Placed {
                    unit: i,
                    galley,
                    origin: rect.min + vec2(MARGIN, y),
                    map,
                });
                y += h;
            }
            if changed {
                self.recompute_tops();
                ui.ctx().request_repaint();
            }

            self.paint(ui, project, doc, font_height, matches);
            self.interact(ui, &response, doc, snap_to_words);
            self.hover(&response, project, doc);
        });
    }

    /// Paints span fills, the selection, find matches, the text, span underlines and the
    /// selected span. `matches` are sorted char ranges that do not overlap.
    fn paint(
        &self,
        ui: &Ui,
        project: &Project,
        doc: &Document,
        font_height: f32,
        matches: &[(usize, usize)],
    ) {
        let painter = ui.painter();
        let dark = ui.visuals().dark_mode;
        let fill_alpha = if dark { 70 } else { 60 };
        let selection_fill = ui.visuals().selection.bg_fill;
        let selected_stroke = Stroke::new(2.0, ui.visuals().strong_text_color());
        // Find matches: an amber outline, apart from every label colour.
        let match_stroke = Stroke::new(1.5, Color32::from_rgb(255, 176, 0));
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
            painter.galley(p.origin, p.galley.clone(), Color32::PLACEHOLDER);
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
    }

    /// Screen rects (one per row) of document chars `start..end` within a placed unit.
    fn range_rects(&self, p: &Placed, start: usize, end: usize) -> Vec<Rect> {
        let u = self.units[p.unit];
        let (a, b) = (
            start.max(u.start) - u.start,
            end.min(u.end).saturating_sub(u.start),
        );
        let mut rects = Vec::new();
        if a >= b {
            return rects;
        }
        let (a, b) = (p.glyph_of(a), p.glyph_of(b));
        let mut row_start = 0;
        for row in &p.galley.rows {
            let n = row.glyphs.len();
            let (s, e) = (a.max(row_start), b.min(row_start + n));
            if s < e {
                // Min and max, not first and last: glyphs of a right-to-left run may run
                // right to left.
                let glyphs = &row.glyphs[s - row_start..e - row_start];
                let x0 = glyphs.iter().map(|g| g.pos.x).fold(f32::INFINITY, f32::min);
                let x1 = glyphs
                    .iter()
                    .map(|g| g.max_x())
                    .fold(f32::NEG_INFINITY, f32::max);
                let r = Rect::from_x_y_ranges(
                    (row.pos.x + x0)..=(row.pos.x + x1),
                    row.min_y()..=row.max_y(),
                );
                rects.push(r.translate(p.origin.to_vec2()));
            }
            row_start += n;
            if row_start >= b {
                break;
            }
        }
        rects
    }

    /// The char boundary nearest to a screen position (for selection ends). Positions
    /// above or below the visible text clamp to its first or last unit.
    fn boundary_at(&self, pos: Pos2) -> Option<usize> {
        let i = self
            .placed
            .iter()
            .position(|p| pos.y < p.origin.y + p.galley.size().y + self.units[p.unit].gap())
            .unwrap_or(self.placed.len().checked_sub(1)?);
        let p = &self.placed[i];
        // egui's cursor counts glyphs.
        let cursor = p.galley.cursor_from_pos(pos - p.origin);
        let g = cursor.index.0.min(p.glyphs());
        let c = if g == p.glyphs() {
            p.chars()
        } else {
            p.char_of(g)
        };
        Some(self.units[p.unit].start + c)
    }

    /// The char whose glyph is under a screen position, if any.
    fn char_at(&self, pos: Pos2) -> Option<usize> {
        for p in &self.placed {
            let local = pos - p.origin;
            let mut row_start = 0;
            for row in &p.galley.rows {
                if row.min_y() <= local.y && local.y < row.max_y() {
                    let x = local.x - row.pos.x;
                    let g = row
                        .glyphs
                        .iter()
                        .position(|g| g.pos.x <= x && x < g.max_x())?;
                    return Some(self.units[p.unit].start + p.char_of(row_start + g));
                }
                row_start += row.glyphs.len();
            }
        }
        None
    }

    fn interact(&mut self, ui: &Ui, response: &egui::Response, doc: &Document, snap: bool) {
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
        if response.clicked() {
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
                if let Some(c) = pos.and_then(|p| self.char_at(p)) {
                    let here = doc.spans().at(c);
                    if !here.is_empty() {
                        let k = match self.last_click {
                            Some((lc, k)) if lc == c => (k + 1) % here.len(),
                            _ => 0,
                        };
                        self.selected_span = Some(here[k]);
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

    fn hover(&self, response: &egui::Response, project: &Project, doc: &Document) {
        if self.dragging {
            return;
        }
        let Some(c) = response.hover_pos().and_then(|p| self.char_at(p)) else {
            return;
        };
        let here = doc.spans().at(c);
        if here.is_empty() {
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
            }
            if here.len() > 1 {
                ui.weak("Click again to cycle through nested spans");
            }
        });
    }
}

/// A small square of a label's colour.
pub fn swatch(ui: &mut Ui, c: Color32) {
    let (rect, _) = ui.allocate_exact_size(vec2(10.0, 10.0), Sense::hover());
    ui.painter().rect_filled(rect, 2.0, c);
}

/// Shortens text to `max` chars with an ellipsis, on one line.
pub fn ellipsize(s: &str, max: usize) -> String {
    let one_line: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(max + 1)
        .collect();
    if one_line.chars().count() > max {
        format!("{}…", one_line.chars().take(max).collect::<String>())
    } else {
        one_line
    }
}

/// Cuts text into layout units at line breaks, and long lines at bounded size.
fn split_units(s: &str) -> Vec<Unit> {
    let mut units = Vec::new();
    let mut start = 0;
    // Char offset just after the latest whitespace: the preferred place to cut.
    let mut after_space = 0;
    let mut n = 0;
    for (i, c) in s.chars().enumerate() {
        n = i + 1;
        if c == '\n' {
            units.push(Unit {
                start,
                end: i,
                cut: false,
            });
            start = i + 1;
            continue;
        }
        if i - start == MAX_UNIT_CHARS {
            let cut = if after_space > start + MAX_UNIT_CHARS * 3 / 4 {
                after_space
            } else {
                i
            };
            units.push(Unit {
                start,
                end: cut,
                cut: true,
            });
            start = cut;
        }
        if c.is_whitespace() {
            after_space = i + 1;
        }
    }
    // "\r\n" files keep the '\r' in the unit as an invisible char, so offsets hold.
    units.push(Unit {
        start,
        end: n.max(start),
        cut: false,
    });
    units
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_cover_text() {
        let text = format!("a\n\nbc\r\n{}\n", "word ".repeat(1000));
        let units = split_units(&text);
        let n = text.chars().count();
        assert_eq!(units[0].start, 0);
        assert_eq!(units.last().map(|u| u.end), Some(n));
        for w in units.windows(2) {
            // Consecutive units either touch (split line) or skip exactly one '\n'.
            let gap = w[1].start - w[0].end;
            assert!(gap <= 1);
            // A unit is marked cut exactly when the next one continues its line.
            assert_eq!(w[0].cut, gap == 0);
            assert!(w[1].end - w[1].start <= MAX_UNIT_CHARS);
        }
        assert!(units.len() >= 6);
    }
}
