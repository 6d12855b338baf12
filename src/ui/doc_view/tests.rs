//! Layout against real fonts: every grapheme is found where it is drawn, every range's
//! rects cover exactly its graphemes' glyphs, for random text from a hazard alphabet, with
//! DejaVu only and with the Noto subsets in tests/fonts.

use std::collections::HashMap;
use std::path::Path;

use eframe::egui::{self, FontData, FontDefinitions, FontFamily, FontId, RawInput, pos2};
use proptest::prelude::*;

use super::layout::{Laid, Style, lay_out};

/// Chars and sequences that break "one glyph per char": emoji with variation selectors,
/// keycaps, ZWJ sequences, skin tones and flags; combining marks; Indic conjuncts and
/// pre-base vowels; Thai; Hangul (also as conjoining jamo); CJK and fullwidth; Arabic,
/// Persian, Pashto and Hebrew with digits; tabs, NBSP; and plain words around them.
pub(super) const HAZARDS: &[&str] = &[
    "❤\u{FE0F}",
    "☺\u{FE0E}",
    "1\u{FE0F}\u{20E3}",
    "#\u{FE0F}\u{20E3}",
    "👨\u{200D}👩\u{200D}👧\u{200D}👦",
    "👍🏽",
    "🇦🇫",
    "🇺🇸",
    "😀",
    "e\u{301}",
    "a\u{308}\u{323}",
    "n\u{303}n\u{303}",
    "र्द्र",
    "क्ष",
    "ल्ल",
    "कि",
    "हिन्दी",
    "चंद्र",
    "ক্ষ",
    "কি",
    "বাংলা",
    "ภาษาไทย",
    "กำ",
    "น้ำ",
    "한국어",
    "\u{1100}\u{1161}\u{11A8}",
    "東京",
    "会議",
    "ＡＢＣ１２",
    "كابول",
    "مجاهد",
    "لا",
    "السلام",
    "٢٠٢٥",
    "2025",
    "پښتو",
    "اردو",
    "שלום",
    "עברית",
    "\t",
    "\u{A0}",
    " ",
    " ",
    " ",
    "Kabul",
    "New York",
    "office",
    "a",
    ".",
    "(",
    ")",
];

/// Which fonts a test uses.
#[derive(Clone, Copy, Debug)]
pub(super) enum FontSet {
    /// DejaVu Sans alone: no Indic, Thai, CJK or emoji.
    DejaVu,
    /// The Noto subsets (Arabic and Hebrew from Noto first), then DejaVu.
    Noto,
}

fn font(name: &str) -> FontData {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fonts")
        .join(name);
    FontData::from_owned(std::fs::read(&path).unwrap_or_else(|e| panic!("{path:?}: {e}")))
}

/// Font definitions with only the test fonts.
pub(super) fn definitions(set: FontSet) -> FontDefinitions {
    let files: &[&str] = match set {
        FontSet::DejaVu => &["DejaVuSans.ttf"],
        FontSet::Noto => &[
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
    let mut defs = FontDefinitions::empty();
    for f in files {
        defs.font_data.insert((*f).to_owned(), font(f).into());
    }
    let names: Vec<String> = files.iter().map(|f| (*f).to_owned()).collect();
    defs.families
        .insert(FontFamily::Proportional, names.clone());
    defs.families.insert(FontFamily::Monospace, names);
    defs
}

/// A context with the test fonts, ready to lay out.
fn context(set: FontSet) -> egui::Context {
    let ctx = egui::Context::default();
    ctx.set_fonts(definitions(set));
    ctx.run_ui(RawInput::default(), |_| {})
        .textures_delta
        .clear();
    ctx
}

fn laid(ctx: &egui::Context, text: &str, width: f32) -> Laid {
    let style = Style {
        font: FontId::proportional(16.0),
        row_h: 36.0,
        width,
    };
    let mut out = None;
    ctx.run_ui(RawInput::default(), |ui| {
        let mut has = HashMap::new();
        out = Some(ui.fonts_mut(|f| lay_out(f, text, &style, &mut has)));
    })
    .textures_delta
    .clear();
    out.expect("laid out")
}

/// Checks a layout against the glyphs egui drew.
fn check(text: &str, l: &Laid) -> Result<(), TestCaseError> {
    let chars: Vec<char> = text.chars().collect();
    prop_assert!(l.exact, "boxes do not tile the chars");
    for b in &l.boxes {
        let line = &l.lines[b.line];
        let y = (line.y0 + line.y1) / 2.0;
        if b.x1 - b.x0 >= 2.0 {
            // The x-centre of a grapheme hits that grapheme.
            let mid = pos2((b.x0 + b.x1) / 2.0, y);
            prop_assert_eq!(l.char_at(mid), Some(b.start), "centre of {:?}", b);
            let (left, right) = (
                pos2(b.x0 + (b.x1 - b.x0) * 0.25, y),
                pos2(b.x0 + (b.x1 - b.x0) * 0.75, y),
            );
            let (first, last) = if b.rtl {
                (b.end, b.start)
            } else {
                (b.start, b.end)
            };
            prop_assert_eq!(l.boundary_at(left), first, "left of {:?}", b);
            prop_assert_eq!(l.boundary_at(right), last, "right of {:?}", b);
        }
        // A range's rects cover its grapheme and stay on its line.
        let rects = l.range_rects(b.start, b.end);
        if b.x1 > b.x0 {
            prop_assert_eq!(rects.len(), 1);
            prop_assert!((rects[0].left() - b.x0).abs() < 0.01);
            prop_assert!((rects[0].right() - b.x1).abs() < 0.01);
        }
    }
    // Every drawn glyph lies under the boxes of graphemes holding its char: a highlight
    // shifted by even one grapheme would fail here.
    for piece in &l.pieces {
        let placeholder = piece.galley.job.text.chars().count() == 1
            && !chars.iter().any(|&c| piece.galley.job.text.starts_with(c));
        for row in &piece.galley.rows {
            for (gi, g) in row.glyphs.iter().enumerate() {
                if g.advance_width < 1.0 || g.uv_rect.is_nothing() || placeholder {
                    continue;
                }
                // A ligature's glyphs (all carrying its first char) are followed by blanks
                // for the other chars it draws.
                let mut drawn = vec![g.chr];
                drawn.extend(
                    row.glyphs[gi + 1..]
                        .iter()
                        .skip_while(|b| b.chr == g.chr)
                        .take_while(|b| b.advance_width == 0.0 && b.uv_rect.is_nothing())
                        .map(|b| b.chr),
                );
                let x0 = piece.offset.x + row.pos.x + g.pos.x;
                let x1 = x0 + g.advance_width;
                let y = piece.offset.y + (row.min_y() + row.max_y()) / 2.0;
                let line = l.lines.iter().position(|li| li.y0 <= y && y < li.y1);
                let under: Vec<&super::layout::GBox> = l
                    .boxes
                    .iter()
                    .filter(|b| Some(b.line) == line && b.x0 < x1 - 0.5 && b.x1 > x0 + 0.5)
                    .collect();
                prop_assert!(
                    under
                        .iter()
                        .any(|b| chars[b.start..b.end].iter().any(|c| drawn.contains(c))),
                    "glyph {:?} at {}..{} is under {:?}",
                    g.chr,
                    x0,
                    x1,
                    under
                );
            }
        }
    }
    // Random ranges: their rects cover exactly the boxes of their graphemes.
    for w in l.boxes.windows(3).step_by(2) {
        let (a, b) = (w[0].start, w[2].end);
        let rects = l.range_rects(a, b);
        for bx in w.iter().filter(|bx| bx.x1 > bx.x0) {
            let ly = &l.lines[bx.line];
            prop_assert!(
                rects.iter().any(|r| r.left() <= bx.x0 + 0.01
                    && r.right() >= bx.x1 - 0.01
                    && (r.top() - ly.y0).abs() < 0.01),
                "{:?} not covered by {:?}",
                bx,
                rects
            );
        }
        for r in &rects {
            let covered: f32 = w
                .iter()
                .filter(|bx| bx.x1 > bx.x0 && (l.lines[bx.line].y0 - r.top()).abs() < 0.01)
                .filter(|bx| bx.x0 >= r.left() - 0.01 && bx.x1 <= r.right() + 0.01)
                .map(|bx| bx.x1 - bx.x0)
                .sum();
            // Rects hold nothing but the range's graphemes (up to pixel snapping).
            prop_assert!(
                r.width() <= covered + 1.5,
                "{:?} wider than its graphemes",
                r
            );
        }
    }
    Ok(())
}

fn hazard_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::sample::select(HAZARDS), 1..24).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn graphemes_are_found_where_drawn_dejavu(text in hazard_text(), narrow in any::<bool>()) {
        let ctx = context(FontSet::DejaVu);
        let l = laid(&ctx, &text, if narrow { 120.0 } else { 1200.0 });
        check(&text, &l)?;
    }

    #[test]
    fn graphemes_are_found_where_drawn_noto(text in hazard_text(), narrow in any::<bool>()) {
        let ctx = context(FontSet::Noto);
        let l = laid(&ctx, &text, if narrow { 120.0 } else { 1200.0 });
        check(&text, &l)?;
    }
}

#[test]
fn arabic_is_joined_and_right_to_left() {
    let ctx = context(FontSet::Noto);
    let word = "مجاهد";
    let joined = laid(&ctx, word, 1000.0);
    // Joined letters take their initial, medial and final forms: other glyphs than each
    // letter drawn alone (its isolated form).
    let uv = |l: &Laid, c: char| {
        l.pieces[0].galley.rows[0]
            .glyphs
            .iter()
            .find(|g| g.chr == c)
            .map(|g| (g.uv_rect.min, g.uv_rect.max))
    };
    let changed = word
        .chars()
        .filter(|&c| uv(&joined, c) != uv(&laid(&ctx, &c.to_string(), 1000.0), c))
        .count();
    assert!(changed >= 3, "only {changed} letters joined");
    // Logical order runs right to left.
    for w in joined.boxes.windows(2) {
        assert!(w[0].x0 >= w[1].x1 - 1.0, "{:?}", joined.boxes);
    }
    // Mixed with left-to-right text: "in" stays left of the Arabic, "ok" right of it,
    // and a right-to-left paragraph is aligned right.
    let l = laid(&ctx, "in مجاهد ok", 1000.0);
    let x_of = |c: usize| l.boxes.iter().find(|b| b.start == c).map(|b| b.x0).unwrap();
    assert!(x_of(0) < x_of(3) && x_of(3) < x_of(9));
    let l = laid(&ctx, "مجاهد ok", 1000.0);
    assert!(l.boxes[0].x1 > 990.0, "{:?}", l.boxes[0]);
}

#[test]
fn missing_glyphs_get_one_placeholder_per_grapheme() {
    let ctx = context(FontSet::DejaVu);
    let text = "a 👨\u{200D}👩\u{200D}👧\u{200D}👦 क्ष b";
    let l = laid(&ctx, text, 1000.0);
    assert!(l.exact);
    assert_eq!(l.missing, ['👨', 'क']);
    let family = l.boxes.iter().find(|b| b.start == 2).unwrap();
    assert_eq!(family.end, 9);
    assert!(family.x1 - family.x0 > 4.0);
    // One glyph for the whole family: its placeholder.
    let drawn: usize = l
        .pieces
        .iter()
        .filter(|p| p.galley.job.text == "\u{25A1}")
        .count();
    assert_eq!(drawn, 2);
}

#[test]
fn numbers_and_words_are_not_cut_between_lines() {
    let ctx = context(FontSet::Noto);
    let text = "في ٢٣ مارس ٢٠٢٦. Reuters";
    let digits = 11..15;
    for width in (60..300).step_by(7) {
        let l = laid(&ctx, text, width as f32);
        let lines: Vec<usize> = l
            .boxes
            .iter()
            .filter(|b| digits.contains(&b.start))
            .map(|b| b.line)
            .collect();
        assert!(
            lines.windows(2).all(|w| w[0] == w[1]),
            "cut at {width}: {lines:?}"
        );
    }
}
