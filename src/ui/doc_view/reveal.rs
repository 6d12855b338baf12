//! What is on screen: chars' and ranges' screen places as last drawn, whether a range is
//! visible, and bringing a range into view (Tab on suggestions, spans, disagreements).

use eframe::egui::{self, Pos2, Rect, Ui};

use super::DocView;

/// Frames a reveal may take: a jump to the target's estimated place, then exact scrolls
/// while measured heights move it.
const REVEAL_TRIES: u8 = 4;

impl DocView {
    /// Scrolls so that char `c` is in view on the next frame (its unit a third down).
    pub fn scroll_to(&mut self, c: usize) {
        self.pending_scroll = Some(c);
    }

    /// Brings chars `start..end` fully into view over the next frames, unless they are
    /// already: a jump to their unit's estimated place when it is not laid out, then
    /// `scroll_to_rect` on the galley rects of the range.
    pub fn reveal(&mut self, start: usize, end: usize) {
        if self.range_visible(start, end) {
            self.reveal = None;
            return;
        }
        self.reveal = Some((start, end, REVEAL_TRIES));
        if self.placed_of(start).is_none() {
            self.pending_scroll = Some(start);
        }
    }

    /// Whether chars `start..end` were drawn inside the visible part of the view in the
    /// last frame: all of them, or for a range taller than the view, some of them.
    pub fn range_visible(&self, start: usize, end: usize) -> bool {
        let rects = self.range_screen_rects(start, end.max(start + 1));
        let Some(all) = rects.iter().copied().reduce(Rect::union) else {
            return false;
        };
        // Half a point of slack: glyph boxes and the clip rect round differently.
        let screen = self.screen_rect().expand(0.5);
        if all.height() > screen.height() {
            rects.iter().any(|r| screen.intersects(*r))
        } else {
            screen.contains_rect(all)
        }
    }

    /// During the frame (after layout): scrolls the pending reveal's range into view if
    /// it is laid out, or jumps to its unit again while tries are left.
    pub(super) fn scroll_to_reveal(&mut self, ui: &Ui) {
        let Some((start, end, tries)) = self.reveal.take() else {
            return;
        };
        let rects = self.range_screen_rects(start, end.max(start + 1));
        match rects.iter().copied().reduce(Rect::union) {
            // Laid out and already in view: done.
            Some(_) if self.range_visible(start, end) => {}
            Some(all) => {
                // Some room above and below, so the lines around it show too.
                let room = egui::vec2(0.0, self.row_height);
                let target = Rect::from_min_max(all.min - room, all.max + room);
                let target = if target.height() > self.screen_rect().height() {
                    Rect::from_min_size(all.min - room, self.screen_rect().size() * 0.5)
                } else {
                    target
                };
                ui.scroll_to_rect(target, None);
                if tries > 1 {
                    // Checked again next frame: the scroll may land on units whose
                    // measured heights differ from their estimates.
                    self.reveal = Some((start, end, tries - 1));
                }
            }
            None if tries > 1 => {
                self.pending_scroll = Some(start);
                self.reveal = Some((start, end, tries - 1));
                ui.ctx().request_repaint();
            }
            None => {}
        }
    }

    /// The char egui's layout drew at a screen position in the last frame, read straight
    /// from the glyphs (not through offsets), so tests can check what is drawn where.
    pub fn drawn_char_at(&self, pos: Pos2) -> Option<char> {
        self.placed
            .iter()
            .find_map(|p| p.laid.drawn_char_at((pos - p.origin).to_pos2()))
    }

    /// The first char drawn in the last frame (the top of what is on screen).
    pub fn first_visible(&self) -> Option<usize> {
        self.placed.first().map(|p| self.units[p.unit].start)
    }

    /// Screen position of the middle of the grapheme holding char `c`, if it was drawn in
    /// the last frame. Lets tests and tools point at text exactly where a user would.
    pub fn char_screen_pos(&self, c: usize) -> Option<Pos2> {
        let p = self.placed_of(c)?;
        let local = p.laid.char_pos(c - self.units[p.unit].start)?;
        Some(p.origin + local.to_vec2())
    }

    /// Screen rects (one per visually contiguous stretch of a line) covering the
    /// graphemes of document chars `start..end` drawn in the last frame: where a span's
    /// highlight goes.
    pub fn range_screen_rects(&self, start: usize, end: usize) -> Vec<Rect> {
        self.placed
            .iter()
            .flat_map(|p| self.range_rects(p, start, end))
            .collect()
    }

    /// Screen rects of the glyph rows drawn in the last frame: per galley row, its
    /// glyphs' extent at the font's height (not the row's, which holds the line gap).
    /// What must stay uncovered: the text itself.
    pub fn glyph_row_rects(&self) -> Vec<Rect> {
        let mut out = Vec::new();
        for p in &self.placed {
            for piece in &p.laid.pieces {
                let at = p.origin + piece.offset;
                for row in &piece.galley.rows {
                    let glyphs = row.glyphs.iter().filter(|g| !g.chr.is_whitespace());
                    if let Some(r) = glyphs
                        .map(|g| {
                            Rect::from_min_size(
                                g.pos - egui::vec2(0.0, g.font_ascent),
                                egui::vec2(g.advance_width, g.font_height),
                            )
                        })
                        .reduce(Rect::union)
                    {
                        out.push(r.translate(at.to_vec2() + row.pos.to_vec2()));
                    }
                }
            }
        }
        out
    }

    /// How far the glyphs sit inside a line, from its top and from its bottom, as last
    /// drawn (the line gap is split between the two).
    pub(super) fn glyph_insets(&self) -> (f32, f32) {
        let measured = self.placed.iter().find_map(|p| {
            let piece = p.laid.pieces.first()?;
            let row = piece.galley.rows.iter().find(|r| !r.glyphs.is_empty())?;
            let g = row.glyphs.first()?;
            // Glyph positions are relative to their row.
            let top = g.pos.y - g.font_ascent;
            Some((top, row.height() - top - g.font_height))
        });
        measured.unwrap_or_else(|| {
            let inset = (self.row_height - self.font_height).max(0.0) / 2.0;
            (inset, inset)
        })
    }

    /// The visible part of the view on screen, as last drawn.
    pub fn screen_rect(&self) -> Rect {
        self.screen.unwrap_or(Rect::NOTHING)
    }
}
