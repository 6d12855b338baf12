//! Document text with char-offset addressing.
//!
//! Every offset a user or a file sees is a Unicode scalar (char) offset, end exclusive,
//! exactly Python's `text[start:end]`. Rust strings are indexed by bytes, so this module is
//! the one place where char offsets become byte offsets. A checkpoint table makes the
//! conversion O(1) amortised even on a 1M-character document.

use unicode_segmentation::UnicodeSegmentation;

/// How many chars lie between two checkpoints of [`Text`]'s char → byte table.
const CHECKPOINT_EVERY: usize = 128;

/// Immutable document text that converts between char and byte offsets quickly.
#[derive(Clone, Debug)]
pub struct Text {
    /// Shared: a clone (a snapshot, the learned source's copy) costs two counts, not
    /// the text.
    s: std::sync::Arc<str>,
    char_len: usize,
    /// `checkpoints[k]` is the byte offset of char `k * CHECKPOINT_EVERY`.
    checkpoints: std::sync::Arc<[usize]>,
}

/// Texts are equal when their chars are (the checkpoints follow from them).
impl PartialEq for Text {
    fn eq(&self, other: &Self) -> bool {
        self.s == other.s
    }
}

impl Eq for Text {}

impl Text {
    /// Wraps a string, building the offset table.
    pub fn new(s: String) -> Self {
        let mut checkpoints = Vec::with_capacity(s.len() / CHECKPOINT_EVERY + 1);
        let mut char_len = 0;
        for (i, (byte, _)) in s.char_indices().enumerate() {
            if i % CHECKPOINT_EVERY == 0 {
                checkpoints.push(byte);
            }
            char_len = i + 1;
        }
        Self {
            s: s.into(),
            char_len,
            checkpoints: checkpoints.into(),
        }
    }

    /// The text as a string slice.
    pub fn as_str(&self) -> &str {
        &self.s
    }

    /// Number of Unicode scalar values (Python's `len(text)`).
    pub fn char_len(&self) -> usize {
        self.char_len
    }

    /// Byte offset of char offset `c`; `c == char_len()` gives the byte length.
    /// Offsets past the end clamp to the end.
    pub fn char_to_byte(&self, c: usize) -> usize {
        if c >= self.char_len {
            return self.s.len();
        }
        let k = c / CHECKPOINT_EVERY;
        let base = self.checkpoints[k];
        let skip = c % CHECKPOINT_EVERY;
        // A block whose bytes equal its chars is ASCII: no scan needed.
        let block_chars = CHECKPOINT_EVERY.min(self.char_len - k * CHECKPOINT_EVERY);
        let block_end = self.checkpoints.get(k + 1).copied().unwrap_or(self.s.len());
        if block_end - base == block_chars {
            return base + skip;
        }
        // Count char starts: every byte that is not a UTF-8 continuation byte (10xxxxxx),
        // eight bytes at a time while the char sought lies further on.
        let block = &self.s.as_bytes()[base..block_end];
        let (mut seen, mut from) = (0, 0);
        for word in block.chunks_exact(8) {
            let mut lanes = [0; 8];
            lanes.copy_from_slice(word);
            let w = u64::from_le_bytes(lanes);
            // Bit 0 of each byte lane: top bit clear, or second bit set.
            let starts = ((!w >> 7) | (w >> 6)) & 0x0101_0101_0101_0101;
            let n = starts.count_ones() as usize;
            if seen + n > skip {
                break;
            }
            seen += n;
            from += 8;
        }
        for (i, &b) in block.iter().enumerate().skip(from) {
            if (b as i8) >= -0x40 {
                if seen == skip {
                    return base + i;
                }
                seen += 1;
            }
        }
        block_end
    }

    /// Char offset of byte offset `b`. A byte inside a char counts as that char's start;
    /// offsets past the end clamp to the end.
    pub fn byte_to_char(&self, mut b: usize) -> usize {
        if b >= self.s.len() {
            return self.char_len;
        }
        while !self.s.is_char_boundary(b) {
            b -= 1;
        }
        // Last checkpoint at or before `b`; checkpoints[0] == 0 for non-empty text.
        let k = self.checkpoints.partition_point(|&cp| cp <= b) - 1;
        k * CHECKPOINT_EVERY + self.s[self.checkpoints[k]..b].chars().count()
    }

    /// The text of chars `start..end` (clamped to the text).
    pub fn slice(&self, start: usize, end: usize) -> &str {
        let end = end.min(self.char_len);
        let start = start.min(end);
        &self.s[self.char_to_byte(start)..self.char_to_byte(end)]
    }

    /// The char at char offset `c`, if any.
    pub fn char_at(&self, c: usize) -> Option<char> {
        self.s[self.char_to_byte(c)..].chars().next()
    }

    /// Bounds (in chars) of the word at char `pos`, for double-click selection: its UAX #29
    /// segment, with a possessive clitic (`'s`, `’s`) left out as spaCy and CoNLL tokenize
    /// it ("Afghanistan" of "Afghanistan's"); on the clitic itself, the clitic.
    /// Whitespace and punctuation are segments of their own.
    pub fn word_at(&self, pos: usize) -> (usize, usize) {
        let (start, end) = self.segment_at(pos);
        match clitic_len(self.slice(start, end)) {
            0 => (start, end),
            k if pos < end - k => (start, end - k),
            k => (end - k, end),
        }
    }

    /// Bounds of the UAX #29 word segment containing char `pos`.
    pub(crate) fn segment_at(&self, pos: usize) -> (usize, usize) {
        if self.char_len == 0 {
            return (0, 0);
        }
        let pos = pos.min(self.char_len - 1);
        let (lo, hi) = self.window(pos);
        let window = self.slice(lo, hi);
        let mut start = lo;
        for segment in window.split_word_bounds() {
            let end = start + segment.chars().count();
            if pos < end {
                return (start, end);
            }
            start = end;
        }
        (pos, pos + 1)
    }

    /// Bounds of the grapheme cluster (user-perceived character) containing char `pos`.
    fn grapheme_at(&self, pos: usize) -> (usize, usize) {
        let (lo, hi) = self.window(pos);
        let mut start = lo;
        for g in self.slice(lo, hi).graphemes(true) {
            let end = start + g.chars().count();
            if pos < end {
                return (start, end);
            }
            start = end;
        }
        (pos, pos + 1)
    }

    /// Trims whitespace from `start..end` and widens both ends to whole words
    /// ("snap to words"). Offsets past the end clamp to the end. Returns `None` if
    /// nothing but whitespace was selected.
    ///
    /// Only where words are separated by spaces: an end whose character (the base of
    /// its grapheme) is in a script written without spaces between words, or with
    /// particles attached to them (Hangul, Han, Hiragana, Katakana, Thai, Lao, Khmer,
    /// Myanmar: [`is_unspaced`]), stays where the drag put it, only moved out to its
    /// grapheme's bounds; UAX #29 makes "부산에서" (Busan + "in") one word, and the
    /// annotator who dragged over "부산" means the name. A widening end stops at such
    /// a character too ("Seoul" of "Seoul에서"), and at an apostrophe.
    pub fn snap_to_words(&self, start: usize, end: usize) -> Option<(usize, usize)> {
        // Clamp both ends first: a drag can end past the text, and an unclamped start
        // would lie after the clamped end.
        let (a, b) = (start.min(self.char_len), end.min(self.char_len));
        let (mut start, mut end) = (a.min(b), a.max(b));
        let slice = self.slice(start, end);
        let lead = slice.chars().take_while(|c| c.is_whitespace()).count();
        if lead == end - start {
            return None;
        }
        let trail = slice
            .chars()
            .rev()
            .take_while(|c| c.is_whitespace())
            .count();
        start += lead;
        end -= trail;
        // Widen within the word, but never across an apostrophe: UAX #29 keeps "Trump's"
        // as one word, while an annotator selecting "Trump" means the name alone.
        let stops = |c: &char| is_apostrophe(*c) || is_unspaced(*c);
        let (gs, _) = self.grapheme_at(start);
        let (ws, we) = self.segment_at(start);
        let word = self.slice(ws, we);
        let apostrophe = we - clitic_len(word);
        if self.char_at(gs).is_some_and(is_unspaced) {
            start = gs;
        } else if is_word(word) && !(apostrophe < we && start >= apostrophe) {
            let head = self.slice(ws, start);
            start -= head.chars().rev().take_while(|c| !stops(c)).count();
        }
        let (gs, ge) = self.grapheme_at(end - 1);
        let (ws, we) = self.segment_at(end - 1);
        let word = self.slice(ws, we);
        if self.char_at(gs).is_some_and(is_unspaced) {
            end = ge;
        } else if is_word(word) {
            let tail = self.slice(end, we);
            end += tail.chars().take_while(|c| !stops(c)).count();
            // A selection reaching into a possessive clitic leaves it out, as spaCy and
            // CoNLL make it a token of its own; selecting only the clitic keeps it.
            let apostrophe = we - clitic_len(word);
            if apostrophe < we && start < apostrophe && end > apostrophe {
                end = apostrophe;
            }
        }
        Some((start, end))
    }

    /// A window of chars around `pos` to segment, starting and ending at line breaks when
    /// those are near, so that word lookups never scan a whole 1M-char document.
    pub(crate) fn window(&self, pos: usize) -> (usize, usize) {
        const REACH: usize = 512;
        let lo = pos.saturating_sub(REACH);
        let hi = (pos + REACH).min(self.char_len);
        let before = self.slice(lo, pos);
        let lo = match before.rfind('\n') {
            Some(b) => lo + before[..b].chars().count() + 1,
            None => lo,
        };
        let after = self.slice(pos, hi);
        let hi = match after.find('\n') {
            Some(b) => pos + after[..b].chars().count(),
            None => hi,
        };
        (lo, hi.max(pos + 1).min(self.char_len))
    }
}

/// Whether `c` belongs to a script whose words are not separated by spaces, or carry
/// attached particles (Korean), so that word segmentation without a dictionary cannot
/// find a word's end: Hangul, Han, Hiragana, Katakana, Thai, Lao, Khmer, Myanmar
/// (their blocks, with the CJK and halfwidth forms). Snap to words never widens into
/// or within them ([`Text::snap_to_words`]).
pub fn is_unspaced(c: char) -> bool {
    matches!(
        u32::from(c),
        // Myanmar, Hangul Jamo
        0x1000..=0x109F | 0x1100..=0x11FF
        // Thai, Lao
        | 0x0E00..=0x0EFF
        // Khmer, Khmer Symbols
        | 0x1780..=0x17FF | 0x19E0..=0x19FF
        // CJK Radicals, Kangxi, ideographic iteration marks (々〆〇, 〡-〩, 〻)
        | 0x2E80..=0x2FDF | 0x3005..=0x3007 | 0x3021..=0x3029 | 0x3038..=0x303C
        // Hiragana, Katakana, Hangul Compatibility Jamo, Katakana Phonetic Extensions
        | 0x3040..=0x30FF | 0x3130..=0x318F | 0x31F0..=0x31FF
        // CJK Extension A, Unified Ideographs
        | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        // Myanmar Extended-B, Hangul Jamo Extended-A, Myanmar Extended-A
        | 0xA9E0..=0xA9FF | 0xA960..=0xA97F | 0xAA60..=0xAA7F
        // Hangul Syllables, Jamo Extended-B, CJK Compatibility Ideographs
        | 0xAC00..=0xD7FF | 0xF900..=0xFAFF
        // Halfwidth Katakana and Hangul
        | 0xFF66..=0xFFDC
        // Kana Supplement and Extended, small kana
        | 0x1B000..=0x1B16F
        // CJK Extensions B onwards, Compatibility Supplement
        | 0x20000..=0x3FFFF
    )
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}')
}

/// Chars of the possessive clitic ending a word segment (`'s`, `’s`, after at least one
/// char), or 0: "Trump's" has one, "'s" alone and "it's" ... do too, "O'Brien" not.
fn clitic_len(segment: &str) -> usize {
    let mut rev = segment.chars().rev();
    match (rev.next(), rev.next(), rev.next()) {
        (Some('s' | 'S'), Some(a), Some(_)) if is_apostrophe(a) => 2,
        _ => 0,
    }
}

/// Whether a UAX #29 segment is a word (has a letter or digit), not space or punctuation.
fn is_word(segment: &str) -> bool {
    segment.chars().any(char::is_alphanumeric)
}

/// `n` with thousands separated by commas: "10,000".
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Shortens `s` to at most `max` user-perceived characters (grapheme clusters) with an
/// ellipsis, on one line. Cutting by graphemes never splits a flag, a ZWJ emoji or a
/// letter from its accent.
pub fn ellipsize(s: &str, max: usize) -> String {
    let mut graphemes = s.graphemes(true);
    let mut out = String::with_capacity(s.len().min(4 * max + 3));
    for g in graphemes.by_ref().take(max) {
        // Line breaks and other controls would break a one-line label.
        if g.chars().all(char::is_control) {
            out.push(' ');
        } else {
            out.push_str(g);
        }
    }
    if graphemes.next().is_some() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Char offsets must match Python's `text[start:end]`.
    fn py_slice(s: &str, start: usize, end: usize) -> String {
        s.chars().skip(start).take(end - start).collect()
    }

    #[test]
    fn ellipsize_cuts_between_graphemes() {
        assert_eq!(ellipsize("short", 10), "short");
        assert_eq!(ellipsize("line\nbreak", 20), "line break");
        assert_eq!(ellipsize("abcdef", 3), "abc…");
        // A flag (2 scalars), a family (7) and e + combining acute each count as one.
        let s = "\u{1F1E6}\u{1F1EB}\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}\u{200D}\u{1F466}e\u{301}x";
        assert_eq!(
            ellipsize(s, 3),
            "\u{1F1E6}\u{1F1EB}\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}\u{200D}\u{1F466}e\u{301}…"
        );
        assert_eq!(ellipsize(s, 1), "\u{1F1E6}\u{1F1EB}…");
        assert_eq!(ellipsize("\r\n", 5), " ");
    }

    #[test]
    fn emoji_cjk_rtl_combining() {
        // Family ZWJ emoji is 7 scalars (4 people + 3 ZWJ); a flag is 2; "é" here is e + U+0301.
        let s = "A👨‍👩‍👧‍👦 🇦🇫 東京 مرحبا e\u{301}z";
        let t = Text::new(s.to_string());
        assert_eq!(t.char_len(), s.chars().count());
        assert_eq!(t.slice(0, 1), "A");
        assert_eq!(t.slice(1, 8), "👨‍👩‍👧‍👦");
        assert_eq!(t.slice(9, 11), "🇦🇫");
        assert_eq!(t.slice(12, 14), "東京");
        assert_eq!(t.slice(15, 20), "مرحبا");
        assert_eq!(t.slice(21, 23), "e\u{301}");
        for c in 0..=t.char_len() {
            let b = t.char_to_byte(c);
            assert!(s.is_char_boundary(b));
            assert_eq!(t.byte_to_char(b), c);
        }
    }

    fn naive_snap(s: &str, a: usize, b: usize) -> Option<(usize, usize)> {
        let chars: Vec<char> = s.chars().collect();
        let n = chars.len();
        let (mut lo, mut hi) = (a.min(b).min(n), a.max(b).min(n));
        while lo < hi && chars[lo].is_whitespace() {
            lo += 1;
        }
        if lo == hi {
            return None;
        }
        while chars[hi - 1].is_whitespace() {
            hi -= 1;
        }
        let mut segments = Vec::new();
        let mut at = 0;
        for seg in s.split_word_bounds() {
            let len = seg.chars().count();
            segments.push((at, at + len, seg.chars().any(char::is_alphanumeric)));
            at += len;
        }
        let segment = |i: usize| segments.iter().copied().find(|&(s, e, _)| s <= i && i < e);
        let mut graphemes = Vec::new();
        let mut at = 0;
        for g in s.graphemes(true) {
            let len = g.chars().count();
            graphemes.push((at, at + len));
            at += len;
        }
        let grapheme = |i: usize| graphemes.iter().copied().find(|&(s, e)| s <= i && i < e);
        let clitic_at = |ws: usize, we: usize| {
            (we - ws >= 3 && matches!(chars[we - 1], 's' | 'S') && is_apostrophe(chars[we - 2]))
                .then(|| we - 2)
        };
        let stops = |c: char| is_apostrophe(c) || is_unspaced(c);
        let (gs, _) = grapheme(lo).unwrap();
        if is_unspaced(chars[gs]) {
            lo = gs;
        } else if let Some((ws, we, true)) = segment(lo)
            && clitic_at(ws, we).is_none_or(|ap| lo < ap)
        {
            while lo > ws && !stops(chars[lo - 1]) {
                lo -= 1;
            }
        }
        let (gs, ge) = grapheme(hi - 1).unwrap();
        if is_unspaced(chars[gs]) {
            hi = ge;
        } else if let Some((ws, we, true)) = segment(hi - 1) {
            while hi < we && !stops(chars[hi]) {
                hi += 1;
            }
            if let Some(ap) = clitic_at(ws, we)
                && lo < ap
                && hi > ap
            {
                hi = ap;
            }
        }
        Some((lo, hi))
    }

    #[test]
    fn snap_clamps_offsets_past_the_end() {
        let t = Text::new("ab cd".to_string());
        assert_eq!(t.snap_to_words(50, 60), None);
        assert_eq!(t.snap_to_words(60, 4), Some((3, 5)));
        assert_eq!(t.snap_to_words(1, 99), Some((0, 5)));
    }

    #[test]
    fn snap_trims_and_widens() {
        let t = Text::new("Taliban spokesman Zabihullah Mujahid pushed".to_string());
        // " okesman Zabihu" → "spokesman Zabihullah"
        assert_eq!(t.snap_to_words(9, 24), Some((8, 28)));
        assert_eq!(t.slice(8, 28), "spokesman Zabihullah");
        assert_eq!(t.snap_to_words(7, 8), None);
        // Already whole words stay as they are.
        assert_eq!(t.snap_to_words(18, 36), Some((18, 36)));
        // Punctuation at an edge is kept, not widened into the next word.
        let t = Text::new("Trump's bid, four".to_string());
        assert_eq!(t.snap_to_words(2, 12), Some((0, 12)));
        assert_eq!(t.slice(0, 12), "Trump's bid,");
        // Selecting the name before a possessive keeps the name alone...
        assert_eq!(t.snap_to_words(1, 4), Some((0, 5)));
        // ...and so does selecting into the possessive: spaCy and CoNLL split it off.
        assert_eq!(t.snap_to_words(1, 6), Some((0, 5)));
        assert_eq!(t.snap_to_words(0, 7), Some((0, 5)));
        // The clitic alone stays selectable.
        assert_eq!(t.snap_to_words(5, 7), Some((5, 7)));
        let t = Text::new("Afghanistan\u{2019}s rifts".to_string());
        assert_eq!(t.snap_to_words(3, 8), Some((0, 11)));
    }

    /// Drags over `drag` (the first occurrence) in `text`; what snapping selects.
    fn snapped(text: &str, drag: &str) -> String {
        let t = Text::new(text.to_string());
        let start = text[..text.find(drag).expect("in text")].chars().count();
        let (s, e) = t
            .snap_to_words(start, start + drag.chars().count())
            .expect("a selection");
        t.slice(s, e).to_string()
    }

    #[test]
    fn snap_never_widens_in_scripts_without_spaces() {
        // Korean: the particle 에서 stays out, wherever the drag starts.
        assert_eq!(snapped("부산에서 만났다", "부산"), "부산");
        assert_eq!(snapped("부산에서 만났다", "산에"), "산에");
        assert_eq!(snapped("각 서울서", " 서울"), "서울");
        // Japanese: kana and kanji, and a katakana run UAX #29 keeps as one word.
        assert_eq!(snapped("東京で会議", "東京"), "東京");
        assert_eq!(snapped("カタカナ語です", "カタ"), "カタ");
        assert_eq!(snapped("ひらがなです", "がな"), "がな");
        // Chinese.
        assert_eq!(snapped("北京大学的学生", "北京"), "北京");
        // Thai: a whole phrase is one UAX #29 word; the drag stays, and an end inside a
        // grapheme (ร + the vowel mark ุ) moves out to its end.
        assert_eq!(snapped("ภาษาไทย กรุงเทพ", "ภาษา"), "ภาษา");
        assert_eq!(snapped("ภาษาไทย กรุงเทพ", "กร"), "กรุ");
        // Lao, Khmer, Myanmar.
        assert_eq!(snapped("ສະບາຍດີ ລາວ", "ສະບາຍ"), "ສະບາຍ");
        assert_eq!(snapped("ភាសាខ្មែរ", "ភាសា"), "ភាសា");
        assert_eq!(snapped("မြန်မာစာ", "မြန်မာ"), "မြန်မာ");
        // Latin still widens, and stops where Hangul begins.
        assert_eq!(snapped("Seoul에서 met", "eou"), "Seoul");
        assert_eq!(snapped("in Busan today", "usa"), "Busan");
    }

    #[test]
    fn word_at_cjk_and_emoji() {
        let t = Text::new("in 東京 today 👍🏽!".to_string());
        let (s, e) = t.word_at(1);
        assert_eq!(t.slice(s, e), "in");
        let (s, e) = t.word_at(10);
        assert_eq!(t.slice(s, e), "today");
        let (s, e) = t.word_at(3);
        assert_eq!(t.slice(s, e), "東");
        // A skin-tone modifier stays with its emoji.
        assert_eq!(t.word_at(13), (12, 14));
    }

    #[test]
    fn word_at_leaves_out_a_possessive_clitic() {
        let word = |text: &str, pos| {
            let t = Text::new(text.to_string());
            let (s, e) = t.word_at(pos);
            t.slice(s, e).to_string()
        };
        assert_eq!(word("Afghanistan's rifts", 3), "Afghanistan");
        assert_eq!(word("Afghanistan's rifts", 11), "'s");
        assert_eq!(word("Afghanistan's rifts", 12), "'s");
        assert_eq!(word("Afghanistan's rifts", 15), "rifts");
        assert_eq!(word("Afghanistan\u{2019}s", 0), "Afghanistan");
        assert_eq!(word("O'Brien", 0), "O'Brien");
    }

    proptest! {
        #[test]
        fn char_byte_roundtrip(s in "\\PC{0,400}", picks in proptest::collection::vec(0usize..500, 1..20)) {
            let t = Text::new(s.clone());
            let n = s.chars().count();
            prop_assert_eq!(t.char_len(), n);
            for p in picks {
                let c = p % (n + 1);
                let b = t.char_to_byte(c);
                prop_assert!(s.is_char_boundary(b));
                prop_assert_eq!(t.byte_to_char(b), c);
                let d = (c + p / 3).min(n);
                prop_assert_eq!(t.slice(c, d), py_slice(&s, c, d));
            }
        }

        /// Against a naive oracle: chars in a Vec, word segments of the whole text, one
        /// char at a time. Offsets may lie past the end (a drag past the last line).
        #[test]
        fn snap_matches_naive_oracle(
            s in prop_oneof![
                "[a-z '\u{2019}\n東京👍.,부산에서ภาษ\u{0E38}]{0,120}",
                // Dense in possessives and apostrophes, where snapping has most to decide.
                proptest::collection::vec(
                    proptest::sample::select(vec!["Trump", "'s", "\u{2019}s", "'S", " ", "a", "'", "O'Brien", "\n", "東京", ".", "s", "부산에서", "Seoul", "กรุง"]),
                    0..12,
                ).prop_map(|parts| parts.concat()),
            ],
            a in 0usize..60,
            b in 0usize..60,
        ) {
            let t = Text::new(s.clone());
            let got = t.snap_to_words(a, b);
            prop_assert_eq!(got, naive_snap(&s, a, b));
            if let Some((s, e)) = got {
                prop_assert!(s < e && e <= t.char_len());
            }
        }

        /// In scripts without spaces between words, snapping never selects more than the
        /// drag's graphemes: its start is at or after the grapheme the drag starts in,
        /// its end at or before the end of the grapheme the drag ends in.
        #[test]
        fn snap_never_widens_past_the_drag_in_unspaced_scripts(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "부산에서", "서울", "한국어", " ", "東京で", "会議", "カタカナ", "ひらがな",
                    "ภาษาไทย", "กรุงเทพ", "น้ำ", "ສະບາຍດີ", "ភាសាខ្មែរ", "မြန်မာ", "\n", "。", "、",
                ]),
                1..10,
            ),
            a in 0usize..60,
            b in 0usize..60,
        ) {
            let s = parts.concat();
            let t = Text::new(s.clone());
            let n = t.char_len();
            let (lo, hi) = (a.min(b).min(n), a.max(b).min(n));
            if let Some((start, end)) = t.snap_to_words(a, b) {
                prop_assert!(lo < hi);
                prop_assert!(start >= t.grapheme_at(lo).0, "{start} before the drag's {lo}");
                prop_assert!(end <= t.grapheme_at(hi - 1).1, "{end} after the drag's {hi}");
            }
        }

        /// In Latin text (letters, spaces, line breaks), snapping still takes whole
        /// words: from the start of the first word dragged over to the end of the last.
        #[test]
        fn snap_widens_to_whole_words_in_latin_text(
            s in "[a-zA-Z \n]{0,80}",
            a in 0usize..90,
            b in 0usize..90,
        ) {
            let t = Text::new(s.clone());
            let chars: Vec<char> = s.chars().collect();
            let n = chars.len();
            let (lo, hi) = (a.min(b).min(n), a.max(b).min(n));
            let first = (lo..hi).find(|&i| !chars[i].is_whitespace());
            let last = (lo..hi).rev().find(|&i| !chars[i].is_whitespace());
            let want = first.zip(last).map(|(f, l)| {
                let mut start = f;
                while start > 0 && !chars[start - 1].is_whitespace() {
                    start -= 1;
                }
                let mut end = l + 1;
                while end < n && !chars[end].is_whitespace() {
                    end += 1;
                }
                (start, end)
            });
            prop_assert_eq!(t.snap_to_words(a, b), want);
        }
    }
}
