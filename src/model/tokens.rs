//! The one tokenizer: UAX #29 word segments without whitespace, with a fast path for
//! ASCII. The token exporters (`io::export::tokens`) cut its segments at span boundaries;
//! the suggestion layer's token patterns match over its tokens.

use unicode_segmentation::UnicodeSegmentation;

/// Whitespace as both Rust and Python's `str.split()` see it: a token must never contain
/// a char that a CoNLL reader would split on.
pub fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{1c}'..='\u{1f}' | '\u{85}')
}

/// [`is_space`] for ASCII bytes (false for the bytes of non-ASCII chars).
pub(crate) fn is_ascii_space(b: u8) -> bool {
    ASCII_SPACE[usize::from(b)]
}

/// [`is_ascii_space`] as a table: the scan over every byte of the text is the hot loop.
static ASCII_SPACE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = matches!(
            b as u8,
            b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | 0x1c..=0x1f
        );
        b += 1;
    }
    table
};

/// Calls `f(byte, char, segment, ascii)` for each whitespace run and UAX #29 word
/// segment of `text`, in order, with its byte and char offsets; `ascii` says the segment
/// is pure ASCII, so either all whitespace or none.
///
/// Mostly-English text is mostly ASCII, and UAX #29's table lookups dominate export time,
/// so pure-ASCII stretches between spaces take a fast path that applies the same rules
/// (WB5–WB13b restricted to ASCII); other stretches go through unicode-segmentation.
/// No UAX #29 rule joins across a space except an Extend char glued to it, which only
/// moves that char between a whitespace run and the next segment: tokens come out the same.
pub(crate) fn for_each_segment<'t>(text: &'t str, mut f: impl FnMut(usize, usize, &'t str, bool)) {
    let bytes = text.as_bytes();
    let (mut pos, mut chars) = (0, 0);
    while pos < bytes.len() {
        let start = pos;
        if is_ascii_space(bytes[pos]) {
            while pos < bytes.len() && is_ascii_space(bytes[pos]) {
                pos += 1;
            }
            f(start, chars, &text[start..pos], true);
            chars += pos - start;
            continue;
        }
        let mut ascii = true;
        while pos < bytes.len() && !is_ascii_space(bytes[pos]) {
            ascii &= bytes[pos].is_ascii();
            pos += 1;
        }
        // `pos` stops at an ASCII byte or the end, so it is a char boundary.
        let chunk = &text[start..pos];
        if ascii {
            let mut from = 0;
            while from < chunk.len() {
                let to = ascii_segment_end(chunk.as_bytes(), from);
                f(start + from, chars + from, &chunk[from..to], true);
                from = to;
            }
            chars += chunk.len();
        } else {
            for (b, segment) in chunk.split_word_bound_indices() {
                f(start + b, chars, segment, false);
                chars += segment.chars().count();
            }
        }
    }
}

/// UAX #29 word-break classes of ASCII bytes (there are no Extend, Format, Katakana or
/// Hebrew letters in ASCII).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Wb {
    Letter,
    Numeric,
    MidLetter,
    MidNumLet,
    SingleQuote,
    MidNum,
    ExtendNumLet,
    Other,
}

fn wb(b: u8) -> Wb {
    match b {
        b'A'..=b'Z' | b'a'..=b'z' => Wb::Letter,
        b'0'..=b'9' => Wb::Numeric,
        b':' => Wb::MidLetter,
        b'.' => Wb::MidNumLet,
        b'\'' => Wb::SingleQuote,
        b',' | b';' => Wb::MidNum,
        b'_' => Wb::ExtendNumLet,
        _ => Wb::Other,
    }
}

/// End of the UAX #29 word segment that starts at `from` in an ASCII chunk without
/// whitespace.
fn ascii_segment_end(s: &[u8], from: usize) -> usize {
    let mut i = from + 1;
    // Letters and digits join each other (WB5, WB8, WB9, WB10): most words end here.
    if s[from].is_ascii_alphanumeric() {
        while i < s.len() && s[i].is_ascii_alphanumeric() {
            i += 1;
        }
    }
    while i < s.len() && ascii_joins(s, i) {
        i += 1;
    }
    i
}

/// Whether UAX #29 keeps bytes `i - 1` and `i` of an ASCII chunk in one segment.
fn ascii_joins(s: &[u8], i: usize) -> bool {
    let class = |i: usize| s.get(i).map(|&b| wb(b));
    let mid_letter =
        |c: Option<Wb>| matches!(c, Some(Wb::MidLetter | Wb::MidNumLet | Wb::SingleQuote));
    let mid_num = |c: Option<Wb>| matches!(c, Some(Wb::MidNum | Wb::MidNumLet | Wb::SingleQuote));
    let (a, b) = (class(i - 1), class(i));
    let before = if i >= 2 { class(i - 2) } else { None };
    let after = class(i + 1);
    use Wb::*;
    match (a, b) {
        (Some(Letter), Some(Letter)) => true, // WB5
        (Some(Letter), _) if mid_letter(b) && after == Some(Letter) => true, // WB6
        (_, Some(Letter)) if mid_letter(a) && before == Some(Letter) => true, // WB7
        (Some(Numeric), Some(Numeric)) => true, // WB8
        (Some(Letter), Some(Numeric)) | (Some(Numeric), Some(Letter)) => true, // WB9, WB10
        (_, Some(Numeric)) if mid_num(a) && before == Some(Numeric) => true, // WB11
        (Some(Numeric), _) if mid_num(b) && after == Some(Numeric) => true, // WB12
        (Some(Letter | Numeric | ExtendNumLet), Some(ExtendNumLet)) => true, // WB13a
        (Some(ExtendNumLet), Some(Letter | Numeric)) => true, // WB13b
        _ => false,
    }
}

/// The tokens of `text` as char ranges, in order: its non-whitespace word segments (as the
/// token exporters make them before cutting at spans), with spaces that UAX #29 glued to
/// combining marks left out, and a possessive clitic (`'s`, `’s`) cut off its word as
/// spaCy and CoNLL tokenize it ("Taliban" + "'s").
pub fn tokens(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for_each_segment(text, |_, start, segment, ascii| {
        if ascii {
            if !is_ascii_space(segment.as_bytes()[0]) {
                push_word(&mut out, segment, start, segment.len());
            }
            return;
        }
        let mut run: Option<usize> = None;
        let mut n = 0;
        for (ci, c) in segment.chars().enumerate() {
            n = ci + 1;
            if is_space(c) {
                if let Some(s) = run.take() {
                    out.push((start + s, start + ci));
                }
            } else if run.is_none() {
                run = Some(ci);
            }
        }
        if let Some(s) = run {
            // The last run may end in a clitic.
            let tail: String = segment.chars().skip(s).collect();
            push_word(&mut out, &tail, start + s, n - s);
        }
    });
    out
}

/// Pushes word `w` at char `start` (`len` chars), its possessive clitic as a token of its
/// own.
fn push_word(out: &mut Vec<(usize, usize)>, w: &str, start: usize, len: usize) {
    let k = clitic_len(w);
    if k > 0 && k < len {
        out.push((start, start + len - k));
        out.push((start + len - k, start + len));
    } else {
        out.push((start, start + len));
    }
}

/// Length in chars of a possessive clitic ending `w` (`'s`, `’s`, `'S`), or 0.
fn clitic_len(w: &str) -> usize {
    let mut rev = w.chars().rev();
    match (rev.next(), rev.next()) {
        (Some('s' | 'S'), Some('\'' | '’')) => 2,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<&str> {
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let byte = |c: usize| chars.get(c).map_or(text.len(), |x| x.0);
        tokens(text)
            .into_iter()
            .map(|(s, e)| &text[byte(s)..byte(e)])
            .collect()
    }

    #[test]
    fn words_punctuation_clitics_and_scripts() {
        assert_eq!(
            texts("The Taliban's \"no\" to U.S. talks, 21,000 in 東京 — Trump’s bid."),
            [
                "The", "Taliban", "'s", "\"", "no", "\"", "to", "U.S", ".", "talks", ",", "21,000",
                "in", "東", "京", "—", "Trump", "’s", "bid", "."
            ]
        );
        assert_eq!(texts("  \n"), Vec::<&str>::new());
        assert_eq!(texts("'s"), ["'", "s"]);
    }
}
