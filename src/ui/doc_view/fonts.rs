//! Chars no loaded font draws: finding them, one placeholder per grapheme, and telling the
//! user which scripts lack a font and which package provides one.

use std::collections::{BTreeSet, HashMap};

use eframe::egui::{FontId, epaint::text::FontsView};

use super::clusters::is_ignorable;

/// Graphemes (indices into `starts`) whose first char no font draws. `has` caches the
/// answer per char (asking may load a system font through egui's font provider).
pub(super) fn missing_graphemes(
    fonts: &mut FontsView<'_>,
    font: &FontId,
    text: &str,
    starts: &[usize],
    chars: &[char],
    has: &mut HashMap<char, bool>,
) -> Vec<usize> {
    if text.is_ascii() {
        return Vec::new();
    }
    starts
        .iter()
        .enumerate()
        .filter(|&(_, &s)| {
            let c = chars[s];
            if c.is_ascii() || c.is_control() || c.is_whitespace() || is_ignorable(c) {
                return false;
            }
            !*has.entry(c).or_insert_with(|| fonts.has_glyph(font, c))
        })
        .map(|(g, _)| g)
        .collect()
}

/// What stands in for a grapheme no font draws: a box, or a question mark in fonts
/// without one.
pub(super) fn placeholder(fonts: &mut FontsView<'_>, font: &FontId) -> char {
    ['\u{25A1}', '\u{FFFD}']
        .into_iter()
        .find(|&c| fonts.has_glyph(font, c))
        .unwrap_or('?')
}

/// Scripts by char range, with the Debian/Ubuntu package that usually provides a font.
const SCRIPTS: &[(char, char, &str, &str)] = &[
    ('\u{0590}', '\u{05FF}', "Hebrew", "fonts-noto-core"),
    ('\u{0600}', '\u{08FF}', "Arabic", "fonts-noto-core"),
    ('\u{0900}', '\u{097F}', "Devanagari", "fonts-noto-core"),
    ('\u{0980}', '\u{09FF}', "Bengali", "fonts-noto-core"),
    ('\u{0A00}', '\u{0DFF}', "Indic", "fonts-noto-core"),
    ('\u{0E00}', '\u{0E7F}', "Thai", "fonts-noto-core"),
    ('\u{0E80}', '\u{10FF}', "Southeast Asian", "fonts-noto-core"),
    ('\u{1100}', '\u{11FF}', "Hangul", "fonts-noto-cjk"),
    ('\u{2600}', '\u{27BF}', "emoji", "fonts-noto-color-emoji"),
    ('\u{2E80}', '\u{312F}', "CJK", "fonts-noto-cjk"),
    ('\u{3130}', '\u{318F}', "Hangul", "fonts-noto-cjk"),
    ('\u{3190}', '\u{9FFF}', "CJK", "fonts-noto-cjk"),
    ('\u{AC00}', '\u{D7AF}', "Hangul", "fonts-noto-cjk"),
    ('\u{F900}', '\u{FAFF}', "CJK", "fonts-noto-cjk"),
    ('\u{FB1D}', '\u{FB4F}', "Hebrew", "fonts-noto-core"),
    ('\u{FB50}', '\u{FDFF}', "Arabic", "fonts-noto-core"),
    ('\u{FE70}', '\u{FEFF}', "Arabic", "fonts-noto-core"),
    ('\u{FF00}', '\u{FFEF}', "CJK", "fonts-noto-cjk"),
    ('\u{1F000}', '\u{1FAFF}', "emoji", "fonts-noto-color-emoji"),
    ('\u{20000}', '\u{3FFFF}', "CJK", "fonts-noto-cjk"),
];

/// The script of `c` and the package with a font for it.
pub(super) fn script_of(c: char) -> (&'static str, &'static str) {
    SCRIPTS
        .iter()
        .find(|(lo, hi, _, _)| (*lo..=*hi).contains(&c))
        .map_or(("other", "fonts-noto-core"), |&(_, _, s, p)| (s, p))
}

/// Scripts the user has been told about, and the notice to show, if any.
#[derive(Default)]
pub(super) struct FontNotice {
    told: BTreeSet<&'static str>,
    /// The current notice, until dismissed.
    pub text: Option<String>,
}

impl FontNotice {
    /// Notes chars no font draws; a script not mentioned before makes a new notice.
    pub fn note(&mut self, missing: &[char]) {
        let mut new = false;
        for &c in missing {
            new |= self.told.insert(script_of(c).0);
        }
        if !new {
            return;
        }
        let mut packages: BTreeSet<&str> = BTreeSet::new();
        let scripts: Vec<&str> = self.told.iter().copied().collect();
        for s in &scripts {
            if let Some(&(_, _, _, p)) = SCRIPTS.iter().find(|(_, _, n, _)| n == s) {
                packages.insert(p);
            } else {
                packages.insert("fonts-noto-core");
            }
        }
        self.text = Some(format!(
            "No installed font draws some {} characters; they are shown as □ (offsets are \
             unaffected). Install a font, e.g. {} on Debian/Ubuntu, and restart spanmark.",
            scripts.join(", "),
            packages.into_iter().collect::<Vec<_>>().join(" ")
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notice_names_scripts_and_packages_once() {
        let mut n = FontNotice::default();
        n.note(&['क', '東']);
        let text = n.text.take().unwrap();
        assert!(text.contains("CJK, Devanagari"), "{text}");
        assert!(text.contains("fonts-noto-cjk fonts-noto-core"), "{text}");
        n.note(&['ख']);
        assert!(n.text.is_none(), "told twice");
        n.note(&['😀']);
        assert!(n.text.unwrap().contains("fonts-noto-color-emoji"));
    }
}
