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
fn fold_char(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => c,
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
