//! Counts in words: "1 document", "2 documents". The one place that chooses between a
//! noun's singular and plural, used by the command line and the window alike.

use std::borrow::Cow;

/// `n` and the noun, singular for exactly one: `count(1, "document")` is "1 document",
/// `count(0, "match")` is "0 matches". The noun is given in the singular; see [`plural`].
pub fn count(n: usize, noun: &str) -> String {
    format!("{n} {}", plural(n, noun))
}

/// The noun as it goes after `n`: itself for exactly one, else its English plural
/// ("-es" after s, x, z, ch and sh; "-ies" for a consonant and y; "-s" otherwise), for
/// sentences that put the number elsewhere ("3 of 40 documents").
pub fn plural(n: usize, noun: &str) -> Cow<'_, str> {
    if n == 1 {
        return Cow::Borrowed(noun);
    }
    let sibilant = ["s", "x", "z", "ch", "sh"]
        .iter()
        .any(|e| noun.ends_with(e));
    let mut rev = noun.chars().rev();
    let consonant_y = matches!(
        (rev.next(), rev.next()),
        (Some('y'), Some(c)) if c.is_ascii_alphabetic() && !"aeiou".contains(c)
    );
    Cow::Owned(if sibilant {
        format!("{noun}es")
    } else if consonant_y {
        format!("{}ies", &noun[..noun.len() - 1])
    } else {
        format!("{noun}s")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_is_singular_everything_else_plural() {
        assert_eq!(count(1, "document"), "1 document");
        assert_eq!(count(0, "document"), "0 documents");
        assert_eq!(count(2, "span"), "2 spans");
        assert_eq!(count(1_000, "relation"), "1000 relations");
        assert_eq!(count(3, "match"), "3 matches");
        assert_eq!(count(1, "match"), "1 match");
        assert_eq!(count(2, "entry"), "2 entries");
        assert_eq!(count(2, "key"), "2 keys");
        assert_eq!(count(2, "box"), "2 boxes");
        assert_eq!(plural(40, "document"), "documents");
        assert_eq!(plural(1, "disagreement"), "disagreement");
    }
}
