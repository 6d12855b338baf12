//! Every script, drawn where its offsets say: the real app, headless, with the test fonts
//! (DejaVu only, and the Noto subsets), snap to words off. Dragging over a Latin word after
//! each hazard labels exactly that word, and its highlight lies under it.

use std::path::Path;

use eframe::egui::{self, FontData, FontDefinitions, FontFamily, Key, Pos2, vec2};
use egui_kittest::Harness;
use spanmark::app::{SpanmarkApp, Startup};
use spanmark::model::{Document, Project};

#[derive(Clone, Copy, Debug)]
enum Fonts {
    DejaVu,
    Noto,
    /// The Noto subsets, and VS16 / keycap clusters drawn from the colour emoji font
    /// (`ui::emoji`, as the window does with the system's).
    NotoColorEmoji,
}

fn definitions(set: Fonts) -> FontDefinitions {
    let files: &[&str] = match set {
        Fonts::DejaVu => &["DejaVuSans.ttf"],
        Fonts::Noto | Fonts::NotoColorEmoji => &[
            "NotoNaskhArabic-subset.ttf",
            "NotoSansHebrew-subset.ttf",
            "DejaVuSans.ttf",
            "NotoSansDevanagari-subset.ttf",
            "NotoSansBengali-subset.ttf",
            "NotoSansThai-subset.ttf",
            "NotoSansCJK-subset.otf",
            "NotoColorEmoji-subset.ttf",
        ],
    };
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fonts");
    let mut defs = FontDefinitions::empty();
    for f in files {
        let data = std::fs::read(dir.join(f)).expect("test font");
        defs.font_data
            .insert((*f).to_owned(), FontData::from_owned(data).into());
    }
    let names: Vec<String> = files.iter().map(|f| (*f).to_owned()).collect();
    defs.families
        .insert(FontFamily::Proportional, names.clone());
    defs.families.insert(FontFamily::Monospace, names);
    defs
}

fn app_with(text: &str, set: Fonts) -> Harness<'static, SpanmarkApp> {
    let mut h = Harness::builder()
        .with_size(vec2(1280.0, 800.0))
        .build_eframe(move |cc| {
            cc.egui_ctx.set_fonts(definitions(set));
            if let Fonts::NotoColorEmoji = set {
                let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fonts");
                let data = std::fs::read(dir.join("NotoColorEmoji-subset.ttf")).expect("font");
                let emoji = spanmark::ui::emoji::ColorEmoji::new(FontData::from_owned(data));
                cc.egui_ctx
                    .add_glyph_rasterizer(emoji.expect("a colour font").rasterizer());
            }
            SpanmarkApp::headless(Startup::Sample)
        });
    h.state_mut()
        .replace_project_for_bench(Project::with_documents(vec![Document::new(
            "scripts", text,
        )]));
    h.state_mut().set_snap_to_words(false);
    h.run();
    h
}

fn char_pos(h: &Harness<'_, SpanmarkApp>, c: usize) -> Pos2 {
    h.state()
        .view()
        .char_screen_pos(c)
        .unwrap_or_else(|| panic!("char {c} is not on screen"))
}

fn drag(h: &mut Harness<'_, SpanmarkApp>, from: Pos2, to: Pos2) {
    h.hover_at(from);
    h.run();
    h.drag_at(from);
    h.run();
    for k in 1..=4 {
        h.hover_at(from + (to - from) * (k as f32 / 4.0));
        h.run();
    }
    h.drop_at(to);
    h.run();
}

fn spans(h: &Harness<'_, SpanmarkApp>) -> Vec<(usize, usize)> {
    h.state().workspace().project().documents()[0]
        .spans()
        .iter()
        .map(|s| (s.start(), s.end()))
        .collect()
}

/// Drags over the last occurrence of `word` in `text` (left half of its first letter to
/// the right half of its last), labels it, and checks the span and its highlight.
fn label_word(text: &str, word: &str, set: Fonts) {
    let mut h = app_with(text, set);
    let byte = text.rfind(word).expect("word in text");
    let start = text[..byte].chars().count();
    let end = start + word.chars().count();
    let from = char_pos(&h, start) - vec2(2.0, 0.0);
    let to = char_pos(&h, end - 1) + vec2(2.0, 0.0);
    drag(&mut h, from, to);
    h.key_press(Key::Num2);
    h.run();
    assert_eq!(spans(&h), [(start, end)], "{set:?}: {text:?}");
    // The highlight covers the word's letters and nothing of its neighbours.
    let rects = h.state().view().range_screen_rects(start, end);
    for c in start..end {
        let p = char_pos(&h, c);
        assert!(
            rects.iter().any(|r| r.contains(p)),
            "char {c} not highlighted"
        );
    }
    for c in [start - 2, end + 1] {
        let p = char_pos(&h, c);
        assert!(
            !rects.iter().any(|r| r.contains(p)),
            "{set:?}: char {c} highlighted in {text:?}"
        );
    }
    assert_eq!(h.state().view().inexact_units(), 0);
}

fn both(text: &str, word: &str) {
    label_word(text, word, Fonts::DejaVu);
    label_word(text, word, Fonts::Noto);
}

#[test]
fn emoji_with_variation_selectors_and_a_keycap() {
    let text = "We ❤\u{FE0F} it ☺\u{FE0E} and 1\u{FE0F}\u{20E3} Kabul again";
    both(text, "Kabul");
    // Drawn as colour emoji (one bitmap per cluster), offsets stay exact.
    label_word(text, "Kabul", Fonts::NotoColorEmoji);
    label_word(
        "a 1\u{FE0F}\u{20E3}\u{2764}\u{FE0F}Kabul again",
        "Kabul",
        Fonts::NotoColorEmoji,
    );
}

#[test]
fn devanagari_conjuncts() {
    both("इन्द्र र्द्र क्ष ल्ल और दिल्ली में Delhi talks ended", "Delhi");
}

#[test]
fn zwj_family_before_a_two_word_city() {
    both(
        "A family 👨\u{200D}👩\u{200D}👧\u{200D}👦 flew to New York today",
        "York",
    );
}

#[test]
fn thai_before_english() {
    both("ภาษาไทย กรุงเทพ Bangkok talks", "Bangkok");
}

#[test]
fn arabic_and_hebrew_with_digits() {
    both("كابول مجاهد ٢٠٢٥ שלום 2025 Doha talks", "Doha");
    both(
        "Talks in كابول with مجاهد and שלום today: Kabul, Doha.",
        "Kabul",
    );
}

#[test]
fn cjk_hangul_and_fullwidth() {
    both("東京 会議 한국어 ＡＢＣ１２ Tokyo talks", "Tokyo");
}

#[test]
fn flags_skin_tones_and_marks() {
    both("🇦🇫 👍🏽 e\u{301} n\u{303}n\u{303} Herat talks", "Herat");
}

#[test]
fn missing_fonts_are_named_once() {
    let mut h = app_with("क्ष 東京 👍🏽 Kabul", Fonts::DejaVu);
    let notice = h
        .state()
        .view()
        .missing_font_notice()
        .expect("a notice")
        .to_owned();
    for part in [
        "CJK",
        "Devanagari",
        "emoji",
        "fonts-noto-cjk",
        "fonts-noto-core",
        "fonts-noto-color-emoji",
    ] {
        assert!(notice.contains(part), "{part} missing from {notice:?}");
    }
    h.state_mut().view_mut().dismiss_missing_font_notice();
    h.run();
    assert!(h.state().view().missing_font_notice().is_none());
    // With the fonts there is nothing to say.
    let h = app_with("क्ष 東京 👍🏽 Kabul", Fonts::Noto);
    assert!(h.state().view().missing_font_notice().is_none());
}

#[test]
fn text_size_and_line_spacing_keep_offsets_exact() {
    let text = "कि र्द्र كابول 👨\u{200D}👩\u{200D}👧\u{200D}👦 Herat and Doha";
    let mut h = app_with(text, Fonts::Noto);
    let herat = text.chars().count() - "Herat and Doha".chars().count();
    let before = char_pos(&h, herat);
    h.key_press_modifiers(egui::Modifiers::COMMAND, Key::Equals);
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, Key::Equals);
    h.run();
    let after = char_pos(&h, herat);
    assert!(
        after.x > before.x + 5.0,
        "text did not grow: {before:?} {after:?}"
    );
    // egui's own UI zoom stayed off: the menu bar is as big as before.
    assert_eq!(h.ctx.zoom_factor(), 1.0);
    let mut prefs = spanmark::ui::ReadingPrefs::load(&h.ctx);
    prefs.line_spacing = 2.0;
    prefs.store(&h.ctx);
    h.run();
    let from = char_pos(&h, herat) - vec2(3.0, 0.0);
    let to = char_pos(&h, herat + 4) + vec2(3.0, 0.0);
    drag(&mut h, from, to);
    h.key_press(Key::Num2);
    h.run();
    assert_eq!(spans(&h), [(herat, herat + 5)]);
    h.key_press_modifiers(egui::Modifiers::COMMAND, Key::Num0);
    h.run();
    assert_eq!(spanmark::ui::ReadingPrefs::load(&h.ctx).text_size, 16.0);
}

/// Whether fontconfig knows a font for this language (what the system font provider
/// finds through the same configuration).
fn system_has_font_for(lang: &str) -> bool {
    std::process::Command::new("fc-list")
        .arg(format!(":lang={lang}"))
        .output()
        .map(|o| !o.stdout.is_empty())
        .unwrap_or(false)
}

#[test]
fn system_fonts_fill_in_through_fontconfig() {
    // DejaVu only, plus the provider eframe installs: Devanagari comes from the system
    // when it has a font for it (fonts-noto-core), else the view says what is missing.
    let text = "इन्द्र र्द्र क्ष ल्ल और दिल्ली Delhi talks";
    let mut h = Harness::builder()
        .with_size(vec2(1280.0, 800.0))
        .build_eframe(move |cc| {
            cc.egui_ctx.set_fonts(definitions(Fonts::DejaVu));
            cc.egui_ctx.add_font_provider(std::sync::Arc::new(
                egui_system_font_provider::SystemFontProvider::new(),
            ));
            SpanmarkApp::headless(Startup::Sample)
        });
    h.state_mut()
        .replace_project_for_bench(Project::with_documents(vec![Document::new(
            "scripts", text,
        )]));
    h.state_mut().set_snap_to_words(false);
    h.run();
    let notice = h.state().view().missing_font_notice().map(str::to_owned);
    if system_has_font_for("hi") {
        assert_eq!(notice, None, "the system font was not used");
    } else {
        assert!(notice.is_some_and(|n| n.contains("Devanagari")));
    }
    let start = text.rfind("Delhi").map(|b| text[..b].chars().count());
    let start = start.expect("Delhi");
    let from = char_pos(&h, start) - vec2(2.0, 0.0);
    let to = char_pos(&h, start + 4) + vec2(2.0, 0.0);
    drag(&mut h, from, to);
    h.key_press(Key::Num2);
    h.run();
    assert_eq!(spans(&h), [(start, start + 5)]);
}

/// Issue 20: snap to words widened a drag over "부산" to "부산에서", taking the particle.
/// With snap on, a drag over Korean stays where it was dragged (서울 of 서울서, "in
/// Seoul"), while a drag inside a Latin word still widens to the word.
#[test]
fn snap_to_words_keeps_a_korean_drag_and_widens_a_latin_one() {
    let text = "한국어 서울서 각 Seoul talks";
    let mut h = app_with(text, Fonts::Noto);
    h.state_mut().set_snap_to_words(true);
    h.run();
    // 서울 at 4..6, the particle 서 at 6.
    let from = char_pos(&h, 4) - vec2(2.0, 0.0);
    let to = char_pos(&h, 5) + vec2(2.0, 0.0);
    drag(&mut h, from, to);
    h.key_press(Key::Num2);
    h.run();
    assert_eq!(spans(&h), [(4, 6)], "the particle was taken");
    // "eou" of "Seoul" (10..15) widens to the word.
    let from = char_pos(&h, 11) - vec2(2.0, 0.0);
    let to = char_pos(&h, 13) + vec2(2.0, 0.0);
    drag(&mut h, from, to);
    h.key_press(Key::Num2);
    h.run();
    assert_eq!(spans(&h), [(4, 6), (10, 15)]);
}
