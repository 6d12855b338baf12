//! Reading comfort: text size and line spacing, kept in egui's persisted memory (eframe
//! stores it with the window state), so they are remembered across runs and the View menu
//! and the document view share them without the app passing them around.

use eframe::egui::{self, Context, Id, KeyboardShortcut};

use crate::ui::shortcuts::{
    TEXT_BIGGER as BIGGER, TEXT_BIGGER_PLUS as BIGGER_PLUS, TEXT_RESET as RESET,
    TEXT_SMALLER as SMALLER,
};

/// Default body text size in points.
pub const DEFAULT_TEXT_SIZE: f32 = 16.0;
/// Smallest and largest text size.
pub const TEXT_SIZES: std::ops::RangeInclusive<f32> = 8.0..=48.0;
/// Line spacings offered in the View menu (multiples of the font's own line height).
pub const LINE_SPACINGS: [f32; 4] = [1.0, 1.25, 1.5, 2.0];

/// Text size and line spacing of the document view.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ReadingPrefs {
    /// Body text size in points.
    pub text_size: f32,
    /// Line spacing as a multiple of the font's line height.
    pub line_spacing: f32,
}

impl Default for ReadingPrefs {
    fn default() -> Self {
        Self {
            text_size: DEFAULT_TEXT_SIZE,
            line_spacing: 1.0,
        }
    }
}

fn id() -> Id {
    Id::unique("spanmark.reading_prefs")
}

impl ReadingPrefs {
    /// The current preferences (defaults until set), sanitised: a stored value out of
    /// range is clamped, never trusted.
    pub fn load(ctx: &Context) -> Self {
        let p: Self = ctx.data_mut(|d| d.get_persisted(id())).unwrap_or_default();
        Self {
            text_size: if p.text_size.is_finite() {
                p.text_size.clamp(*TEXT_SIZES.start(), *TEXT_SIZES.end())
            } else {
                DEFAULT_TEXT_SIZE
            },
            line_spacing: if p.line_spacing.is_finite() {
                p.line_spacing.clamp(1.0, 3.0)
            } else {
                1.0
            },
        }
    }

    /// Stores the preferences (persisted with egui's memory).
    pub fn store(self, ctx: &Context) {
        ctx.data_mut(|d| d.insert_persisted(id(), self));
    }

    /// One step bigger (about 10%).
    pub fn bigger(self) -> Self {
        self.with_size((self.text_size * 1.1).round())
    }

    /// One step smaller.
    pub fn smaller(self) -> Self {
        self.with_size((self.text_size / 1.1).round())
    }

    fn with_size(self, size: f32) -> Self {
        Self {
            text_size: size.clamp(*TEXT_SIZES.start(), *TEXT_SIZES.end()),
            ..self
        }
    }

    /// Handles Ctrl+= / Ctrl++ / Ctrl+- / Ctrl+0. egui binds these to UI zoom by
    /// default; that is turned off so they size the document text instead.
    pub fn handle_keys(ctx: &Context) {
        if ctx.options(|o| o.zoom_with_keyboard) {
            ctx.options_mut(|o| o.zoom_with_keyboard = false);
        }
        let (bigger, smaller, reset) = ctx.input_mut(|i| {
            (
                i.consume_shortcut(&BIGGER) | i.consume_shortcut(&BIGGER_PLUS),
                i.consume_shortcut(&SMALLER),
                i.consume_shortcut(&RESET),
            )
        });
        if !(bigger || smaller || reset) {
            return;
        }
        let p = Self::load(ctx);
        let next = if reset {
            Self {
                text_size: DEFAULT_TEXT_SIZE,
                ..p
            }
        } else if bigger {
            p.bigger()
        } else {
            p.smaller()
        };
        next.store(ctx);
    }

    /// The View menu's items for text size and line spacing.
    pub fn menu(ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        let p = Self::load(&ctx);
        let mut next = p;
        ui.label(format!("Text size: {} pt", p.text_size));
        let item = |ui: &mut egui::Ui, text: &str, sc: &KeyboardShortcut| {
            ui.add(egui::Button::new(text).shortcut_text(ui.ctx().format_shortcut(sc)))
                .clicked()
        };
        if item(ui, "Bigger text", &BIGGER) {
            next = p.bigger();
        }
        if item(ui, "Smaller text", &SMALLER) {
            next = p.smaller();
        }
        if item(ui, "Default text size", &RESET) {
            next.text_size = DEFAULT_TEXT_SIZE;
        }
        ui.menu_button("Line spacing", |ui| {
            for s in LINE_SPACINGS {
                if ui
                    .radio((p.line_spacing - s).abs() < 0.01, format!("{s}×"))
                    .clicked()
                {
                    next.line_spacing = s;
                }
            }
        });
        if next != p {
            next.store(&ctx);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_step_and_clamp() {
        let p = ReadingPrefs::default();
        assert_eq!(p.bigger().text_size, 18.0);
        assert_eq!(p.smaller().text_size, 15.0);
        let mut q = p;
        for _ in 0..100 {
            q = q.bigger();
        }
        assert_eq!(q.text_size, 48.0);
        let ctx = Context::default();
        ReadingPrefs {
            text_size: f32::NAN,
            line_spacing: 99.0,
        }
        .store(&ctx);
        assert_eq!(ReadingPrefs::load(&ctx).text_size, DEFAULT_TEXT_SIZE);
        assert_eq!(ReadingPrefs::load(&ctx).line_spacing, 3.0);
    }
}
