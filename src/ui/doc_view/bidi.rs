//! Right-to-left text: embedding levels (UAX #9, through `unicode-bidi`), the visual order
//! of a line's pieces, and which chars egui shapes right to left.

use unicode_bidi::{BidiClass, BidiInfo, bidi_class};

/// Whether the text needs the bidi algorithm: it holds a right-to-left letter or an
/// explicit right-to-left control, or Arabic-Indic digits (which egui would shape right
/// to left).
pub(super) fn needs_bidi(text: &str) -> bool {
    !text.is_ascii()
        && text.chars().any(|c| {
            matches!(
                bidi_class(c),
                BidiClass::R
                    | BidiClass::AL
                    | BidiClass::AN
                    | BidiClass::RLE
                    | BidiClass::RLO
                    | BidiClass::RLI
            )
        })
}

/// Embedding level of every char of `text` (one paragraph), and the paragraph's level.
pub(super) fn levels(text: &str) -> (Vec<u8>, u8) {
    let info = BidiInfo::new(text, None);
    let para = info.paragraphs.first().map_or(0, |p| p.level.number());
    let levels = text
        .char_indices()
        .map(|(b, _)| info.levels.get(b).map_or(para, |l| l.number()))
        .collect();
    (levels, para)
}

/// Which right-to-left script a char belongs to, if any: pieces never mix two, because
/// egui shapes each font's run on its own and places the runs left to right.
pub(super) fn rtl_script(c: char) -> Option<u8> {
    match bidi_class(c) {
        BidiClass::R | BidiClass::AL => Some(match c {
            '\u{0590}'..='\u{05FF}' | '\u{FB1D}'..='\u{FB4F}' => 1,
            '\u{0600}'..='\u{08FF}' | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}' => 2,
            _ => 3,
        }),
        _ => None,
    }
}

/// Whether `c` is an Arabic-Indic digit (bidi class AN).
pub(super) fn is_arabic_number(c: char) -> bool {
    bidi_class(c) == BidiClass::AN
}

/// The visual order of a line's pieces from their levels (UAX #9 rule L2): from the
/// highest level down to the lowest odd one, every run of pieces at that level or above is
/// reversed.
pub(super) fn visual_order(levels: &[u8]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..levels.len()).collect();
    let Some(&max) = levels.iter().max() else {
        return order;
    };
    let min_odd = levels.iter().copied().filter(|l| l % 2 == 1).min();
    let Some(min_odd) = min_odd else {
        return order;
    };
    for level in (min_odd..=max).rev() {
        let mut i = 0;
        while i < order.len() {
            if levels[order[i]] >= level {
                let start = i;
                while i < order.len() && levels[order[i]] >= level {
                    i += 1;
                }
                order[start..i].reverse();
            } else {
                i += 1;
            }
        }
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_of_mixed_text() {
        let (lv, para) = levels("in كابول 21 ok");
        assert_eq!(para, 0);
        assert_eq!(lv[0], 0);
        assert_eq!(lv[3], 1); // Arabic
        assert_eq!(lv[9], 2); // digits inside... (European number after Arabic)
        let (_, para) = levels("كابول and");
        assert_eq!(para, 1);
    }

    #[test]
    fn l2_reverses_runs() {
        assert_eq!(visual_order(&[0, 1, 1, 0]), [0, 2, 1, 3]);
        // Digits (level 2) inside Arabic (level 1) keep their order.
        assert_eq!(visual_order(&[1, 2, 2, 1]), [3, 1, 2, 0]);
        assert_eq!(visual_order(&[0, 0]), [0, 1]);
    }
}
