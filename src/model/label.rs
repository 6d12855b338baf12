//! Labels: a name, a colour and an optional hotkey.

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
    fn defaults_have_keys() {
        let labels = default_labels();
        assert_eq!(labels[0].name, "PERSON");
        assert_eq!(labels[0].hotkey, Some('1'));
        assert_eq!(labels[4].name, "QUOTE");
        assert_eq!(labels[4].hotkey, Some('5'));
    }
}
