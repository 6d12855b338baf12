//! The one tokenizer: UAX #29 word segments without whitespace, as every token-based
//! export (CoNLL, Hugging Face) and the token-level agreement see them. Exports then cut
//! these tokens at span boundaries ([`crate::io::export::tokens`]).

use unicode_segmentation::UnicodeSegmentation;

/// A token: chars `start..end` of the document text, and the same range in bytes, so
/// writers slice the text without converting offsets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    /// First char.
    pub start: usize,
    /// One past the last char.
    pub end: usize,
    /// Byte offset of `start`.
    pub byte_start: usize,
    /// Byte offset of `end`.
    pub byte_end: usize,
}

/// Whitespace as both Rust and Python's `str.split()` see it: a token must never contain
/// a char that a CoNLL reader would split on.
pub fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{1c}'..='\u{1f}' | '\u{85}')
}

/// [`is_space`] for ASCII bytes (false for the bytes of non-ASCII chars).
pub fn is_ascii_space(b: u8) -> bool {
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
pub fn for_each_segment<'t>(text: &'t str, mut f: impl FnMut(usize, usize, &'t str, bool)) {
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

/// The tokens of `text`: its word segments without whitespace, in order (the tokens an
/// export writes for a document without spans).
pub fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    for_each_segment(text, |byte, start, segment, ascii| {
        if ascii {
            if !is_ascii_space(segment.as_bytes()[0]) {
                out.push(Token {
                    start,
                    end: start + segment.len(),
                    byte_start: byte,
                    byte_end: byte + segment.len(),
                });
            }
            return;
        }
        // Runs of non-space chars: UAX #29 can glue a space to a combining mark or an
        // emoji modifier that follows it.
        let mut run: Option<(usize, usize)> = None;
        let mut ci = start;
        for (bi, c) in segment.char_indices() {
            if is_space(c) {
                if let Some((cs, bs)) = run.take() {
                    out.push(Token {
                        start: cs,
                        end: ci,
                        byte_start: bs,
                        byte_end: byte + bi,
                    });
                }
            } else if run.is_none() {
                run = Some((ci, byte + bi));
            }
            ci += 1;
        }
        if let Some((cs, bs)) = run {
            out.push(Token {
                start: cs,
                end: ci,
                byte_start: bs,
                byte_end: byte + segment.len(),
            });
        }
    });
    out
}
