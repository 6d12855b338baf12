//! Finding text in a document, with results in char offsets like everything else.

/// At most this many matches are listed; more are counted as "too many to list".
pub const MAX_MATCHES: usize = 100_000;

/// The matches of a search: char ranges `start..end`, left to right, not overlapping.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Matches {
    /// The matches found, at most [`MAX_MATCHES`].
    pub ranges: Vec<(usize, usize)>,
    /// Whether the search stopped at [`MAX_MATCHES`] with more to find.
    pub truncated: bool,
}

/// Finds `needle` in `text` left to right (the next search starts after a match, as
/// Python's `re.finditer` does), ignoring case unless `match_case`.
///
/// Ignoring case folds each char to its lowercase when that is a single char (so `É`
/// finds `é` and `Σ` finds `σ`, and offsets never shift); chars whose lowercase is longer
/// (`İ`) only match themselves.
pub fn find_all(text: &str, needle: &str, match_case: bool) -> Matches {
    if match_case {
        find_in(text, needle)
    } else {
        find_in(&fold(text), &fold(needle))
    }
}

/// `s` with every char folded as [`find_all`] does when ignoring case; same char count,
/// so char offsets into it are offsets into `s`. Worth keeping for a text searched often.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        out.push(fold_char(c));
    }
    out
}

/// Finds `needle` in `haystack` exactly (both already folded, to ignore case).
pub fn find_in(haystack: &str, needle: &str) -> Matches {
    let mut out = Matches::default();
    if needle.is_empty() {
        return out;
    }
    let needle_chars = needle.chars().count();
    // Byte offsets of matches rise, so chars are counted once, from match to match.
    let (mut byte, mut chars) = (0, 0);
    for (b, _) in haystack.match_indices(needle) {
        if out.ranges.len() == MAX_MATCHES {
            out.truncated = true;
            break;
        }
        chars += haystack[byte..b].chars().count();
        byte = b;
        out.ranges.push((chars, chars + needle_chars));
    }
    out
}

/// `c` in lowercase if that is one char, else `c`: a fold that keeps char offsets.
pub fn fold_char(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

/// `c` under full Unicode case folding, pushed to `out`: the mapping of Python's
/// `str.casefold` (CaseFolding.txt, C and F), up to which representative a class gets:
/// `ß`, `ẞ`, `SS` and `ss` all fold to `ss`; `Σ`, `σ` and `ς` to `σ`; `ﬁ` to `fi`.
/// Computed as lowercase-of-uppercase until stable (it is after two rounds for every
/// char), except the Turkic dotless `ı`, which Unicode folds to itself.
pub fn push_case_fold(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    if c == '\u{131}' {
        out.push(c);
        return;
    }
    // One char to one char, stable (nearly every char): no allocation.
    let one = |c: char| {
        let mut up = c.to_uppercase();
        let u = up.next().filter(|_| up.next().is_none())?;
        let mut low = u.to_lowercase();
        low.next().filter(|_| low.next().is_none())
    };
    if let Some(l) = one(c)
        && one(l) == Some(l)
    {
        out.push(l);
        return;
    }
    let round = |s: &str| -> String {
        s.chars()
            .flat_map(char::to_uppercase)
            .flat_map(char::to_lowercase)
            .collect()
    };
    let mut cur = round(c.encode_utf8(&mut [0; 4]));
    for _ in 0..2 {
        let next = round(&cur);
        if next == cur {
            break;
        }
        cur = next;
    }
    out.push_str(&cur);
}

/// `s` under full Unicode case folding ([`push_case_fold`]).
pub fn case_fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        push_case_fold(c, &mut out);
    }
    out
}

/// A text under full case folding, and the way back to the original's char offsets:
/// a char may fold to several (`ß` to `ss`), so offsets shift after it.
#[derive(Clone, Debug, Default)]
pub struct CaseFolded {
    /// The folded text.
    pub text: String,
    /// Each original char that folded to more than one: (folded char offset where its
    /// folding starts, its length in folded chars, folded chars gained up to its end).
    grown: Vec<(usize, usize, usize)>,
}

impl CaseFolded {
    /// Folds `s`.
    pub fn new(s: &str) -> Self {
        let mut text = String::with_capacity(s.len());
        let mut grown = Vec::new();
        let (mut at, mut gained) = (0, 0);
        for c in s.chars() {
            let before = text.len();
            push_case_fold(c, &mut text);
            let n = if text.len() - before == 1 {
                1
            } else {
                text[before..].chars().count()
            };
            if n > 1 {
                gained += n - 1;
                grown.push((at, n, gained));
            }
            at += n;
        }
        Self { text, grown }
    }

    /// The original char offset of folded char offset `f`; `None` when `f` falls inside
    /// the folding of one char (no range of the original ends there).
    pub fn original(&self, f: usize) -> Option<usize> {
        let k = self.grown.partition_point(|&(start, _, _)| start < f);
        match k.checked_sub(1).map(|k| self.grown[k]) {
            None => Some(f),
            Some((start, len, _)) if f < start + len => None,
            Some((_, _, gained)) => Some(f - gained),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn slice(s: &str, (a, b): (usize, usize)) -> String {
        s.chars().skip(a).take(b - a).collect()
    }

    #[test]
    fn offsets_are_chars_after_emoji_cjk_rtl_and_marks() {
        let text = "👨‍👩‍👧 東京 café cafe\u{301} كابول Café 🇦🇫 CAFÉ";
        let m = find_all(text, "café", false);
        let found: Vec<String> = m.ranges.iter().map(|&r| slice(text, r)).collect();
        assert_eq!(found, ["café", "Café", "CAFÉ"]);
        // "cafe" + combining acute is another spelling, not a match of "café".
        let m = find_all(text, "café", true);
        assert_eq!(m.ranges.len(), 1);
        assert_eq!(slice(text, m.ranges[0]), "café");
        let m = find_all(text, "كابول", false);
        assert_eq!(slice(text, m.ranges[0]), "كابول");
        let m = find_all(text, "京", false);
        assert_eq!(m.ranges, [(7, 8)]);
    }

    #[test]
    fn folding_never_shifts_offsets() {
        // İ lowercases to two chars: it stays itself, and what follows keeps its offset.
        let text = "İstanbul ISTANBUL istanbul";
        let m = find_all(text, "istanbul", false);
        let found: Vec<String> = m.ranges.iter().map(|&r| slice(text, r)).collect();
        assert_eq!(found, ["ISTANBUL", "istanbul"]);
        assert_eq!(find_all(text, "İstanbul", false).ranges, [(0, 8)]);
    }

    #[test]
    fn no_overlaps_empty_needle_and_cap() {
        assert_eq!(find_all("aaaa", "aa", true).ranges, [(0, 2), (2, 4)]);
        assert_eq!(find_all("abc", "", false), Matches::default());
        let many = "x".repeat(MAX_MATCHES + 5);
        let m = find_all(&many, "x", true);
        assert_eq!((m.ranges.len(), m.truncated), (MAX_MATCHES, true));
    }

    #[test]
    fn full_case_folding() {
        assert_eq!(case_fold("ΣΟΦΊΑ σοφίας"), "σοφία σοφίασ");
        assert_eq!(
            case_fold("Straße STRASSE strasse Straẞe"),
            "strasse strasse strasse strasse"
        );
        assert_eq!(case_fold("ﬁx İ ı K"), "fix i\u{307} ı k");
        let f = CaseFolded::new("aßb");
        assert_eq!(f.text, "assb");
        let back: Vec<Option<usize>> = (0..=4).map(|i| f.original(i)).collect();
        assert_eq!(back, [Some(0), Some(1), None, Some(2), Some(3)]);
        let f = CaseFolded::new("ßß x");
        assert_eq!(f.original(4), Some(2));
        assert_eq!(f.original(3), None);
        assert_eq!(f.original(6), Some(4));
    }

    proptest! {
        /// Case-sensitive search finds exactly what a naive scan over char windows finds.
        #[test]
        fn matches_a_naive_scan(
            text in "[ab東👍\u{301} ]{0,40}",
            needle in "[ab東👍\u{301}]{1,3}",
        ) {
            let chars: Vec<char> = text.chars().collect();
            let pat: Vec<char> = needle.chars().collect();
            let mut want = Vec::new();
            let mut i = 0;
            while i + pat.len() <= chars.len() {
                if chars[i..i + pat.len()] == pat[..] {
                    want.push((i, i + pat.len()));
                    i += pat.len();
                } else {
                    i += 1;
                }
            }
            prop_assert_eq!(find_all(&text, &needle, true).ranges, want);
        }

        /// Ignoring case, every match is the needle up to case, at the right char offsets.
        #[test]
        fn folded_matches_are_the_needle(
            text in "[aAbBéÉσΣİ東 ]{0,40}",
            needle in "[aAbBéÉσΣİ]{1,3}",
        ) {
            for (s, e) in find_all(&text, &needle, false).ranges {
                let found = slice(&text, (s, e));
                let fold = |x: &str| x.chars().map(fold_char).collect::<String>();
                prop_assert_eq!(fold(&found), fold(&needle));
            }
        }
    }
}
