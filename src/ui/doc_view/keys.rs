//! Keyboard-only selection: the selection's head is a caret, moved by grapheme (arrows),
//! word (Ctrl+arrows), line ends (Home/End) and rows (Up/Down); Shift extends the
//! selection from its anchor. PageUp/PageDown scroll a screen. The caret is drawn.

use eframe::egui::{Key, Modifiers, Stroke, Ui, pos2, vec2};

use super::{DocView, Selection};
use crate::model::{Document, motion};

/// A caret motion.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Motion {
    Left,
    Right,
    WordLeft,
    WordRight,
    Home,
    End,
    Up,
    Down,
}

impl DocView {
    /// Reads the caret keys (when the view has the keyboard) and moves the selection.
    pub(super) fn keyboard(&mut self, ui: &Ui, doc: &Document) {
        if !self.keyboard || ui.ctx().egui_wants_keyboard_input() {
            return;
        }
        let (motion, extend, page) = ui.input_mut(|i| {
            let mut found = None;
            for (key, plain, word) in [
                (Key::ArrowLeft, Motion::Left, Some(Motion::WordLeft)),
                (Key::ArrowRight, Motion::Right, Some(Motion::WordRight)),
                (Key::Home, Motion::Home, None),
                (Key::End, Motion::End, None),
                (Key::ArrowUp, Motion::Up, None),
                (Key::ArrowDown, Motion::Down, None),
            ] {
                // Most specific first: egui's matching ignores an extra Shift.
                for (mods, extend) in [
                    (Modifiers::COMMAND | Modifiers::SHIFT, true),
                    (Modifiers::COMMAND, false),
                    (Modifiers::SHIFT, true),
                    (Modifiers::NONE, false),
                ] {
                    let motion = if mods.command { word } else { Some(plain) };
                    if let Some(m) = motion
                        && i.consume_key(mods, key)
                    {
                        found = Some((m, extend));
                    }
                }
            }
            let page = if i.consume_key(Modifiers::NONE, Key::PageDown) {
                1.0
            } else if i.consume_key(Modifiers::NONE, Key::PageUp) {
                -1.0
            } else {
                0.0
            };
            (found.map(|f| f.0), found.is_some_and(|f| f.1), page)
        });
        if page != 0.0 {
            // Most of a screen, so a line stays in view across the jump.
            ui.scroll_with_delta(vec2(0.0, -page * self.viewport_height * 0.9));
            ui.ctx().request_repaint();
        }
        let Some(motion) = motion else {
            return;
        };
        let text = doc.text();
        let n = text.char_len();
        // Where the caret starts: the selection's head, a selected span's edge, or the top
        // of what is on screen.
        let (anchor, head) = match (self.selection, self.selected_span) {
            (Some(sel), _) => (sel.anchor, sel.head),
            (None, Some(span)) => {
                let edge = if matches!(motion, Motion::Left | Motion::WordLeft | Motion::Up) {
                    span.start()
                } else {
                    span.end()
                };
                (edge, edge)
            }
            (None, None) => {
                let top = self.first_visible().unwrap_or(0);
                (top, top)
            }
        };
        let (lo, hi) = (anchor.min(head), anchor.max(head));
        let new_head = match motion {
            // Without Shift, a selection collapses to the side the arrow points to.
            Motion::Left if !extend && lo < hi => lo,
            Motion::Right if !extend && lo < hi => hi,
            Motion::Left => motion::prev_grapheme(text, head),
            Motion::Right => motion::next_grapheme(text, head),
            Motion::WordLeft => motion::prev_word(text, head),
            Motion::WordRight => motion::next_word(text, head),
            Motion::Home => motion::line_bounds(text, head).0,
            Motion::End => motion::line_bounds(text, head).1,
            Motion::Up | Motion::Down => self.row_step(text, head, motion == Motion::Down),
        }
        .min(n);
        let anchor = if extend { anchor } else { new_head };
        self.selection = Some(Selection {
            anchor,
            head: new_head,
        });
        self.selected_span = None;
        // Keep the caret on screen.
        let visible = self
            .caret_x(new_head)
            .is_some_and(|(_, y)| ui.clip_rect().y_range().contains(y));
        if !visible {
            self.scroll_to(new_head);
        }
        ui.ctx().request_repaint();
    }

    /// The boundary one row above or below `head`: through the layout when that row is on
    /// screen, else the same column of the previous or next line.
    fn row_step(&self, text: &crate::model::Text, head: usize, down: bool) -> usize {
        if let Some((x, y)) = self.caret_x(head) {
            let dy = if down {
                self.row_height
            } else {
                -self.row_height
            };
            let target = pos2(x, y + dy);
            let on_screen = self
                .placed
                .iter()
                .any(|p| p.origin.y <= target.y && target.y < p.origin.y + p.laid.height);
            if on_screen && let Some(c) = self.boundary_at(target) {
                return c;
            }
        }
        let (start, end) = motion::line_bounds(text, head);
        let column = head - start;
        if down {
            if end >= text.char_len() {
                return end;
            }
            let (s, e) = motion::line_bounds(text, end + 1);
            (s + column).min(e)
        } else {
            if start == 0 {
                return 0;
            }
            let (s, e) = motion::line_bounds(text, start - 1);
            (s + column).min(e)
        }
    }

    /// Screen x of the caret at boundary `c` and the middle y of its line, if drawn.
    fn caret_x(&self, c: usize) -> Option<(f32, f32)> {
        for p in &self.placed {
            let u = self.units[p.unit];
            if c < u.start || c > u.end {
                continue;
            }
            let local = c - u.start;
            // Before the grapheme at `c`, or after the last one at the unit's end.
            let (b, after) = match p.laid.box_of(local) {
                Some(b) => (b, false),
                None if local > 0 => (p.laid.box_of(local - 1)?, true),
                None => {
                    return Some((p.origin.x, p.origin.y + self.row_height / 2.0));
                }
            };
            let line = &p.laid.lines[b.line];
            let x = if after != b.rtl { b.x1 } else { b.x0 };
            return Some((p.origin.x + x, p.origin.y + (line.y0 + line.y1) / 2.0));
        }
        None
    }

    /// Draws the caret at the selection's head.
    pub(super) fn paint_caret(&self, ui: &Ui) {
        let Some(sel) = self.selection else {
            return;
        };
        let Some((x, y)) = self.caret_x(sel.head) else {
            return;
        };
        let h = self.font_height * 0.6;
        let color = ui.visuals().strong_text_color();
        ui.painter()
            .line_segment([pos2(x, y - h), pos2(x, y + h)], Stroke::new(1.5, color));
    }
}
