//! Caret motions over a [`Text`]: by grapheme, by word, to the line's ends, and the
//! sentence around a position. Positions are char offsets at grapheme boundaries; every
//! motion looks at a bounded window, never the whole document.

use unicode_segmentation::UnicodeSegmentation;

use super::Text;

/// How far a motion looks (chars) before giving up on finding a boundary.
const REACH: usize = 256;

/// The grapheme boundary after `pos` (the end stays the end).
pub fn next_grapheme(text: &Text, pos: usize) -> usize {
    let n = text.char_len();
    if pos >= n {
        return n;
    }
    let window = text.slice(pos, (pos + REACH).min(n));
    window
        .graphemes(true)
        .next()
        .map_or(n, |g| pos + g.chars().count())
}

/// The grapheme boundary before `pos` (the start stays the start).
pub fn prev_grapheme(text: &Text, pos: usize) -> usize {
    let pos = pos.min(text.char_len());
    if pos == 0 {
        return 0;
    }
    // Start the window at a line break when one is near: graphemes never span one.
    let (lo, _) = text.window(pos - 1);
    let lo = lo.max(pos.saturating_sub(REACH));
    let window = text.slice(lo, pos);
    window
        .graphemes(true)
        .next_back()
        .map_or(pos - 1, |g| pos - g.chars().count())
}

/// Whether a word segment holds a letter or digit.
fn is_word(s: &str) -> bool {
    s.chars().any(char::is_alphanumeric)
}

/// The end of the next word after `pos` (Ctrl+Right), past spaces and punctuation.
pub fn next_word(text: &Text, pos: usize) -> usize {
    let n = text.char_len();
    let mut at = pos.min(n);
    for _ in 0..REACH {
        if at >= n {
            return n;
        }
        let (_, end) = text.segment_at(at);
        let word = is_word(text.slice(at, end));
        at = end.max(at + 1);
        if word {
            return at;
        }
    }
    at
}

/// The start of the word before `pos` (Ctrl+Left), past spaces and punctuation.
pub fn prev_word(text: &Text, pos: usize) -> usize {
    let mut at = pos.min(text.char_len());
    for _ in 0..REACH {
        if at == 0 {
            return 0;
        }
        let (start, _) = text.segment_at(at - 1);
        let word = is_word(text.slice(start, at));
        at = start.min(at - 1);
        if word {
            return at;
        }
    }
    at
}

/// Start and end (before its line break) of the line holding `pos`.
pub fn line_bounds(text: &Text, pos: usize) -> (usize, usize) {
    let n = text.char_len();
    let pos = pos.min(n);
    let mut start = pos;
    while start > 0 {
        let lo = start.saturating_sub(REACH);
        match text.slice(lo, start).rfind('\n') {
            Some(b) => {
                start = lo + text.slice(lo, start)[..b].chars().count() + 1;
                break;
            }
            None => start = lo,
        }
    }
    let mut end = pos;
    while end < n {
        let hi = (end + REACH).min(n);
        match text.slice(end, hi).find('\n') {
            Some(b) => {
                end += text.slice(end, hi)[..b].chars().count();
                break;
            }
            None => end = hi,
        }
    }
    (start, end)
}

/// The sentence (UAX #29) holding `pos`, without trailing spaces and line breaks; looked
/// for within the line.
pub fn sentence_at(text: &Text, pos: usize) -> (usize, usize) {
    let (lo, hi) = text.window(pos.min(text.char_len().saturating_sub(1)));
    let mut start = lo;
    for sentence in text.slice(lo, hi).split_sentence_bounds() {
        let len = sentence.chars().count();
        if pos < start + len || start + len == hi {
            let trimmed = sentence.trim_end().chars().count();
            return (start, start + trimmed.max(1).min(len));
        }
        start += len;
    }
    (pos, pos)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn boundaries(s: &str) -> Vec<usize> {
        let mut out = vec![0];
        let mut at = 0;
        for g in s.graphemes(true) {
            at += g.chars().count();
            out.push(at);
        }
        out
    }

    #[test]
    fn words_lines_and_sentences() {
        let t = Text::new("Taliban say it, again.\nThe base: Bagram. Next one".to_string());
        assert_eq!(next_word(&t, 0), 7);
        assert_eq!(next_word(&t, 7), 11);
        assert_eq!(next_word(&t, 11), 14);
        assert_eq!(prev_word(&t, 14), 12);
        assert_eq!(prev_word(&t, 12), 8);
        assert_eq!(prev_word(&t, 0), 0);
        assert_eq!(line_bounds(&t, 3), (0, 22));
        assert_eq!(line_bounds(&t, 30), (23, 49));
        let (s, e) = sentence_at(&t, 28);
        assert_eq!(t.slice(s, e), "The base: Bagram.");
        let (s, e) = sentence_at(&t, 45);
        assert_eq!(t.slice(s, e), "Next one");
        let (s, e) = sentence_at(&t, 5);
        assert_eq!(t.slice(s, e), "Taliban say it, again.");
    }

    proptest! {
        /// Stepping by grapheme visits exactly the grapheme boundaries (the naive oracle:
        /// all of them, computed over the whole string), forwards and backwards.
        #[test]
        fn grapheme_steps_visit_every_boundary(
            s in "[a-z \\n\u{301}\u{200d}\u{1f468}\u{1f469}\u{1f1e6}\u{1f1eb}क्षि\u{0e01}\u{0e34}]{0,60}"
        ) {
            let t = Text::new(s.clone());
            let expected = boundaries(&s);
            let mut forward = vec![0];
            let mut at = 0;
            while at < t.char_len() {
                at = next_grapheme(&t, at);
                forward.push(at);
            }
            prop_assert_eq!(&forward, &expected);
            let mut backward = vec![t.char_len()];
            let mut at = t.char_len();
            while at > 0 {
                at = prev_grapheme(&t, at);
                backward.push(at);
            }
            backward.reverse();
            prop_assert_eq!(&backward, &expected);
        }
    }
}
