//! Steps shared by the kittest suites: the mouse as a user moves it, over the sample
//! article.
#![allow(dead_code)] // each test crate uses its own part

use eframe::egui::{self, Modifiers, Pos2, vec2};
use egui_kittest::Harness;
use spanmark::app::{SAMPLE_TEXT, SpanmarkApp};

/// Char offset of `needle` in the sample article (Python's `text.index`).
pub fn offset(needle: &str) -> usize {
    let byte = SAMPLE_TEXT.find(needle).expect("needle in the sample");
    SAMPLE_TEXT[..byte].chars().count()
}

/// Presses the mouse at `from`, moves to `to`, releases.
pub fn drag(h: &mut Harness<'_, SpanmarkApp>, from: Pos2, to: Pos2) {
    h.hover_at(from);
    h.run();
    h.drag_at(from);
    h.run();
    h.hover_at(to);
    h.run();
    h.drop_at(to);
    h.run();
}

/// Selects `needle` in the sample by dragging from just left of its first char to just
/// right of its last (snap to words off: exact chars); returns its offsets.
pub fn select(h: &mut Harness<'_, SpanmarkApp>, needle: &str) -> (usize, usize) {
    h.state_mut().set_snap_to_words(false);
    let start = offset(needle);
    let end = start + needle.chars().count();
    let a = h.state().view().char_screen_pos(start).expect("on screen") - vec2(2.0, 0.0);
    let b = h
        .state()
        .view()
        .char_screen_pos(end - 1)
        .expect("on screen")
        + vec2(2.0, 0.0);
    drag(h, a, b);
    (start, end)
}

/// `n` quick primary clicks at `p` (a double or triple click).
pub fn clicks(h: &mut Harness<'_, SpanmarkApp>, p: Pos2, n: usize) {
    h.hover_at(p);
    h.run();
    // A harness step is 0.25 s of simulated time: allow slow multi-clicks.
    h.ctx
        .options_mut(|o| o.input_options.max_double_click_delay = 2.0);
    for _ in 0..n {
        h.drag_at(p);
        h.step();
        h.event(egui::Event::PointerButton {
            pos: p,
            button: egui::PointerButton::Primary,
            pressed: false,
            modifiers: Modifiers::NONE,
        });
        h.step();
    }
    h.run();
}

/// The app on a 1280×800 window, started with `startup`, after its first frames.
pub fn harness(startup: spanmark::app::Startup) -> Harness<'static, SpanmarkApp> {
    let mut h = Harness::builder()
        .with_size(vec2(1280.0, 800.0))
        .build_eframe(move |_cc| SpanmarkApp::headless(startup));
    h.run();
    h
}

/// The app with the sample article.
pub fn sample_harness() -> Harness<'static, SpanmarkApp> {
    harness(spanmark::app::Startup::Sample)
}

/// File › `item`, then replaces what the in-app path field holds with `text` (a
/// multi-line field takes one path per line). Leaves the dialog open, for Enter (or
/// Ctrl+Enter in a multi-line field) or a button.
pub fn path_field(h: &mut Harness<'_, SpanmarkApp>, item: &str, text: &str, multiline: bool) {
    use egui_kittest::kittest::Queryable;
    h.get_by_label("File").click();
    h.run();
    h.get_by_label(item).click();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, egui::Key::A);
    let role = if multiline {
        egui::accesskit::Role::MultilineTextInput
    } else {
        egui::accesskit::Role::TextInput
    };
    h.get_by_role(role).type_text(text);
    h.run();
}

/// A right click (press and release of the secondary button) at `p`.
pub fn right_click(h: &mut Harness<'_, SpanmarkApp>, p: Pos2) {
    h.hover_at(p);
    h.run();
    for pressed in [true, false] {
        h.event(egui::Event::PointerButton {
            pos: p,
            button: egui::PointerButton::Secondary,
            pressed,
            modifiers: Modifiers::NONE,
        });
        h.run();
    }
}

/// Clicks menu `menu` in the menu bar, then its item `item`.
pub fn menu_item(h: &mut Harness<'_, SpanmarkApp>, menu: &str, item: &str) {
    use egui_kittest::kittest::Queryable;
    h.get_by_label(menu).click();
    h.run();
    h.get_by_label(item).click();
    h.run();
}
