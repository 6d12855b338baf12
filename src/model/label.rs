//! Labels: a name, a colour and an optional hotkey.

use super::ModelError;

/// An sRGB colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Rgb(pub [u8; 3]);

impl Rgb {
    /// `#rrggbb`, as stored in project files.
    pub fn to_hex(self) -> String {
        let [r, g, b] = self.0;
        format!("#{r:02x}{g:02x}{b:02x}")
    }

    /// Parses `#rrggbb` (case-insensitive).
    pub fn from_hex(s: &str) -> Option<Self> {
        let hex = s.strip_prefix('#')?;
        if hex.len() != 6 || !hex.is_ascii() {
            return None;
        }
        let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
        Some(Self([byte(0)?, byte(2)?, byte(4)?]))
    }
}

/// Checks a label name against the one rule every label obeys, wherever it is made (a
/// project file, an import, the label editor, a labels.json): not empty, no whitespace
/// (spaces, tabs, line breaks, U+2028 …) and no control characters.
///
/// Why: the exports put the name where such characters end it. CoNLL splits a line into
/// columns at whitespace (a space gives a 5th column, a line break a stray line), brat's
/// `T1<TAB>LABEL start end` ends the name at the first space and reads the `.ann` line by
/// line, and the hf tags (`B-LABEL`) are read back by splitting on whitespace too.
pub fn check_label_name(name: &str) -> Result<(), ModelError> {
    let bad = |reason: &'static str| ModelError::BadLabelName {
        name: name.to_string(),
        reason,
    };
    if name.is_empty() {
        return Err(ModelError::EmptyLabelName);
    }
    if name.chars().any(char::is_whitespace) {
        return Err(bad(
            "it holds whitespace (a space, tab or line break), which CoNLL, brat and hf \
             tags cannot carry in a label; use `_` or `-` instead",
        ));
    }
    if name.chars().any(char::is_control) {
        return Err(bad("it holds a control character"));
    }
    Ok(())
}

/// A label that spans carry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    /// Unique name, e.g. `PERSON`; what exporters write.
    pub name: String,
    /// Highlight colour.
    pub color: Rgb,
    /// Key that applies the label (`'1'`–`'9'`), if any.
    pub hotkey: Option<char>,
}

/// Okabe–Ito palette: distinguishable with the common forms of colour blindness. Yellow
/// and sky blue come last because they have the least contrast on a light background.
pub const PALETTE: [Rgb; 7] = [
    Rgb([0xE6, 0x9F, 0x00]), // orange
    Rgb([0x00, 0x72, 0xB2]), // blue
    Rgb([0x00, 0x9E, 0x73]), // bluish green
    Rgb([0xCC, 0x79, 0xA7]), // reddish purple
    Rgb([0xD5, 0x5E, 0x00]), // vermillion
    Rgb([0x56, 0xB4, 0xE9]), // sky blue
    Rgb([0xF0, 0xE4, 0x42]), // yellow
];

/// The five labels a new project starts with, on keys 1–5.
pub fn default_labels() -> Vec<Label> {
    ["PERSON", "PLACE", "ORG", "DATE", "QUOTE"]
        .iter()
        .enumerate()
        .map(|(i, name)| Label {
            name: (*name).to_string(),
            color: PALETTE[i],
            hotkey: char::from_digit(i as u32 + 1, 10),
        })
        .collect()
}

/// Keys a label can have, in the order new labels take them: digits, then letters, but
/// not the command keys ([`COMMAND_KEYS`]).
pub const HOTKEY_CHARS: &str = "1234567890abcdefghijklmnopqstuvwyz";

/// Letters the document view keeps for commands, with what each does: never a label's
/// key (a label on `x` could not be applied while a suggestion is selected, one on `r`
/// never).
pub const COMMAND_KEYS: [(char, &str); 2] = [('r', "links spans"), ('x', "rejects suggestions")];

/// Checks a label key against the one rule every label key obeys: not a command key
/// ([`COMMAND_KEYS`], either case).
pub fn check_hotkey(key: char) -> Result<(), ModelError> {
    match COMMAND_KEYS
        .iter()
        .find(|(k, _)| *k == key.to_ascii_lowercase())
    {
        Some(&(key, command)) => Err(ModelError::CommandKey { key, command }),
        None => Ok(()),
    }
}

/// The label with its key dropped if it is a command key: what a label read from a file
/// written before the rule becomes.
pub fn without_command_key(label: Label) -> Label {
    Label {
        hotkey: label.hotkey.filter(|k| check_hotkey(*k).is_ok()),
        ..label
    }
}

/// A new label named `name` for a project that has `labels`: the first key none of them
/// has, and a colour far from theirs.
pub fn new_label_named(labels: &[Label], name: String) -> Label {
    let hotkey = HOTKEY_CHARS
        .chars()
        .find(|&k| labels.iter().all(|l| l.hotkey != Some(k)));
    Label {
        name,
        color: distinct_color(labels.iter().map(|l| l.color)),
        hotkey,
    }
}

/// A new label with an unused name (`LABELn`), the first free key and a distinct colour.
pub fn new_label(labels: &[Label]) -> Label {
    let name = (labels.len() + 1..)
        .map(|k| format!("LABEL{k}"))
        .find(|n| labels.iter().all(|l| &l.name != n))
        .unwrap_or_default();
    new_label_named(labels, name)
}

/// The palette colour not in use yet; past the palette, the hue farthest from every
/// colour in use (at the palette's saturation and brightness).
pub fn distinct_color(used: impl Iterator<Item = Rgb> + Clone) -> Rgb {
    if let Some(c) = PALETTE.iter().find(|c| !used.clone().any(|u| u == **c)) {
        return *c;
    }
    let hues: Vec<f32> = used.map(hue).collect();
    let distance = |h: f32| {
        hues.iter()
            .map(|u| {
                let d = (h - u).abs();
                d.min(1.0 - d)
            })
            .fold(1.0_f32, f32::min)
    };
    let best = (0..72)
        .map(|k| k as f32 / 72.0)
        .max_by(|a, b| distance(*a).total_cmp(&distance(*b)))
        .unwrap_or(0.0);
    from_hsv(best, 0.75, 0.8)
}

/// Hue of a colour in 0..1.
pub fn hue(c: Rgb) -> f32 {
    let [r, g, b] = c.0.map(|v| f32::from(v) / 255.0);
    let max = r.max(g).max(b);
    let d = max - r.min(g).min(b);
    if d == 0.0 {
        return 0.0;
    }
    let h = if max == r {
        ((g - b) / d).rem_euclid(6.0)
    } else if max == g {
        (b - r) / d + 2.0
    } else {
        (r - g) / d + 4.0
    };
    h / 6.0
}

fn from_hsv(h: f32, s: f32, v: f32) -> Rgb {
    let c = v * s;
    let h6 = (h.rem_euclid(1.0)) * 6.0;
    let x = c * (1.0 - (h6 % 2.0 - 1.0).abs());
    let (r, g, b) = match h6 as u32 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let m = v - c;
    let byte = |f: f32| ((f + m) * 255.0).round().clamp(0.0, 255.0) as u8;
    Rgb([byte(r), byte(g), byte(b)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_roundtrip() {
        for c in PALETTE {
            assert_eq!(Rgb::from_hex(&c.to_hex()), Some(c));
        }
        assert_eq!(Rgb::from_hex("#E69F00"), Some(PALETTE[0]));
        assert_eq!(Rgb::from_hex("E69F00"), None);
        assert_eq!(Rgb::from_hex("#E69F0"), None);
        assert_eq!(Rgb::from_hex("#é69F0"), None);
    }

    #[test]
    fn new_labels_get_free_names_keys_and_colours() {
        let labels = default_labels();
        let l = new_label(&labels);
        assert_eq!(l.name, "LABEL6");
        assert_eq!(l.hotkey, Some('6'));
        assert!(labels.iter().all(|o| o.color != l.color));
        // Past the palette: a hue away from all used ones.
        let c = distinct_color(PALETTE.iter().copied());
        assert!(!PALETTE.contains(&c));
        for u in PALETTE {
            let d = (hue(c) - hue(u)).abs();
            assert!(d.min(1.0 - d) > 0.02, "{c:?} too close to {u:?}");
        }
        // hue and from_hsv agree.
        for k in 0..12 {
            let h = k as f32 / 12.0;
            assert!((hue(from_hsv(h, 0.75, 0.8)) - h).abs() < 0.01, "{h}");
        }
    }

    #[test]
    fn label_names_follow_one_rule() {
        for ok in ["PERSON", "LABEL6", "B-X", "東京", "👨‍👩‍👧", "a_b", "Ünïcode"] {
            assert_eq!(check_label_name(ok), Ok(()), "{ok:?}");
        }
        assert_eq!(check_label_name(""), Err(ModelError::EmptyLabelName));
        for bad in [
            "a\nb",
            "NEW LABEL\tX",
            "NEW LABEL",
            " X",
            "a\u{2028}b",
            "a\u{a0}b",
        ] {
            let e = check_label_name(bad).unwrap_err().to_string();
            assert!(
                e.contains("whitespace") && e.contains(&format!("{bad:?}")),
                "{e}"
            );
        }
        let e = check_label_name("a\u{1}b").unwrap_err().to_string();
        assert!(e.contains("control character"), "{e}");
        // Every name this module makes obeys it.
        for l in default_labels() {
            assert_eq!(check_label_name(&l.name), Ok(()));
        }
        assert_eq!(check_label_name(&new_label(&default_labels()).name), Ok(()));
    }

    /// Adding or renaming a label to a bad name is refused and changes nothing.
    #[test]
    fn label_edits_refuse_bad_names() {
        use crate::model::{Edit, LabelId, Project, Workspace};
        let mut w = Workspace::new(Project::default());
        let bad = Label {
            name: "a\nb".into(),
            ..new_label(w.project().labels())
        };
        let add = w.project().add_labels_edit(vec![bad.clone()]).0;
        let set = Edit::SetLabel {
            id: LabelId(0),
            label: bad,
        };
        for edit in [add, set] {
            assert!(matches!(
                w.apply("bad", vec![edit]),
                Err(ModelError::BadLabelName { .. })
            ));
        }
        assert_eq!(w.project(), &Project::default());
        assert!(
            Project::new(
                vec![Label {
                    name: "NEW LABEL".into(),
                    ..new_label(&[])
                }],
                Vec::new()
            )
            .is_err()
        );
    }

    /// `r` and `x` are command keys: never given to a new label, refused by the edits
    /// that set keys, dropped from labels a project is built from; undo still works.
    #[test]
    fn command_keys_are_never_label_keys() {
        use crate::model::{Edit, LabelId, Project, Workspace};
        assert!(!HOTKEY_CHARS.contains('r') && !HOTKEY_CHARS.contains('x'));
        for key in ['r', 'x', 'R', 'X'] {
            let e = check_hotkey(key).unwrap_err().to_string();
            assert!(e.contains("command key"), "{e}");
        }
        // 34 labels take every free key; none gets r or x.
        let mut labels = Vec::new();
        for _ in 0..40 {
            labels.push(new_label(&labels));
        }
        assert!(labels.iter().all(|l| !matches!(l.hotkey, Some('r' | 'x'))));
        assert_eq!(labels.iter().filter(|l| l.hotkey.is_some()).count(), 34);

        let mut w = Workspace::new(Project::default());
        let person = w.project().labels()[0].clone();
        let set = |key| Edit::SetLabel {
            id: LabelId(0),
            label: Label {
                hotkey: Some(key),
                ..person.clone()
            },
        };
        assert_eq!(
            w.apply("x", vec![set('x')]),
            Err(ModelError::CommandKey {
                key: 'x',
                command: "rejects suggestions"
            })
        );
        let add = w
            .project()
            .add_labels_edit(vec![Label {
                hotkey: Some('r'),
                ..new_label(w.project().labels())
            }])
            .0;
        assert!(matches!(
            w.apply("add", vec![add]),
            Err(ModelError::CommandKey { key: 'r', .. })
        ));
        assert_eq!(w.project(), &Project::default());
        w.apply("a", vec![set('a')]).unwrap();
        w.undo().unwrap();
        assert_eq!(w.project(), &Project::default());
        // A file from before the rule opens; the label just has no key.
        let old = Label {
            hotkey: Some('r'),
            ..person
        };
        let p = Project::new(vec![old], Vec::new()).unwrap();
        assert_eq!(p.labels()[0].hotkey, None);
        // An imported label on a command key gets a free key instead.
        let imported = w.project().import_labels_edit(&[Label {
            name: "EVENT".into(),
            color: PALETTE[5],
            hotkey: Some('x'),
        }]);
        match imported {
            Some(Edit::InsertLabels { labels }) => assert_eq!(labels[0].2.hotkey, Some('6')),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn defaults_have_keys() {
        let labels = default_labels();
        assert_eq!(labels[0].name, "PERSON");
        assert_eq!(labels[0].hotkey, Some('1'));
        assert_eq!(labels[4].name, "QUOTE");
        assert_eq!(labels[4].hotkey, Some('5'));
    }
}
