//! The token-pattern engine: the tokens patterns match over (the exporters' tokens,
//! possessives cut off as spaCy does), their attributes (`ORTH`/`TEXT`, `LOWER`,
//! `SHAPE`, `LENGTH`, the `IS_*` flags; `IN`/`NOT_IN`), and matching a sequence of token
//! specs with spaCy's `OP` (`?`, `*`, `+`, `!`) from a token, longest match first.

use crate::model::tokens::Token;

/// How often a token spec may match (spaCy's `OP`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Op {
    /// Exactly once (no `OP`, or `"1"`).
    One,
    /// `?`: zero or one.
    Optional,
    /// `*`: zero or more.
    Any,
    /// `+`: one or more.
    Plus,
    /// `!`: exactly one token that does not match.
    Not,
}

/// One token's conditions (all must hold) and how often it may repeat.
#[derive(Clone, Debug)]
pub(super) struct TokenSpec {
    pub(super) conds: Vec<Cond>,
    pub(super) op: Op,
}

/// A string attribute of a token.
#[derive(Clone, Copy, Debug)]
pub(super) enum StrAttr {
    Orth,
    Lower,
    Shape,
}

/// A boolean attribute of a token.
#[derive(Clone, Copy, Debug)]
pub(super) enum BoolAttr {
    Digit,
    Alpha,
    Title,
    Upper,
    Lower,
    Punct,
}

/// One condition on a token.
#[derive(Clone, Debug)]
pub(super) enum Cond {
    /// The attribute equals one of the strings (`"x"` or `{"IN": [...]}`).
    In(StrAttr, Vec<String>),
    /// The attribute equals none of the strings (`{"NOT_IN": [...]}`).
    NotIn(StrAttr, Vec<String>),
    /// The flag has this value.
    Is(BoolAttr, bool),
    /// The length in chars compares so (`LENGTH`).
    Length(std::cmp::Ordering, bool, usize),
}

/// The tokens patterns match over, as char ranges: the exporters' tokens
/// ([`crate::model::tokens::tokens`]) with a possessive clitic (`'s`, `’s`) cut off its
/// word, as spaCy and CoNLL tokenize it ("Taliban" + "'s"): UAX #29 keeps "Taliban's" as
/// one word, and a pattern "Taliban" must find it.
pub fn tokens(text: &str) -> Vec<(usize, usize)> {
    token_list(text).iter().map(|t| (t.start, t.end)).collect()
}

/// [`tokens`] with their byte offsets.
pub(super) fn token_list(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    for t in crate::model::tokens::tokens(text) {
        let w = &text[t.byte_start..t.byte_end];
        let k = clitic_len(w);
        if k > 0 && k < t.end - t.start {
            // The clitic's bytes: "'s" or "’s".
            let kb = w.chars().rev().take(k).map(char::len_utf8).sum::<usize>();
            let (mid, mid_b) = (t.end - k, t.byte_end - kb);
            out.push(Token {
                end: mid,
                byte_end: mid_b,
                ..t
            });
            out.push(Token {
                start: mid,
                byte_start: mid_b,
                ..t
            });
        } else {
            out.push(t);
        }
    }
    out
}

/// Length in chars of a possessive clitic ending word `w` (`'s`, `’s`, `'S`), or 0.
fn clitic_len(w: &str) -> usize {
    let mut rev = w.chars().rev();
    match (rev.next(), rev.next()) {
        (Some('s' | 'S'), Some('\'' | '’')) => 2,
        _ => 0,
    }
}

/// A token's text with the attributes patterns test, computed once per token.
pub(super) struct TokenView<'a> {
    text: &'a str,
    lower: String,
    shape: String,
}

impl<'a> TokenView<'a> {
    pub(super) fn new(text: &'a str) -> Self {
        Self {
            text,
            lower: text.to_lowercase(),
            shape: shape(text),
        }
    }

    fn str_attr(&self, a: StrAttr) -> &str {
        match a {
            StrAttr::Orth => self.text,
            StrAttr::Lower => &self.lower,
            StrAttr::Shape => &self.shape,
        }
    }

    fn flag(&self, a: BoolAttr) -> bool {
        let t = self.text;
        match a {
            BoolAttr::Digit => !t.is_empty() && t.chars().all(|c| c.is_numeric()),
            BoolAttr::Alpha => !t.is_empty() && t.chars().all(char::is_alphabetic),
            BoolAttr::Upper => {
                t.chars().any(char::is_uppercase) && !t.chars().any(char::is_lowercase)
            }
            BoolAttr::Lower => {
                t.chars().any(char::is_lowercase) && !t.chars().any(char::is_uppercase)
            }
            BoolAttr::Title => is_title(t),
            BoolAttr::Punct => {
                !t.is_empty()
                    && t.chars().all(|c| {
                        c.is_ascii_punctuation()
                            || (!c.is_alphanumeric() && !c.is_whitespace() && !c.is_ascii())
                    })
            }
        }
    }

    fn test(&self, c: &Cond) -> bool {
        match c {
            Cond::In(a, set) => set.iter().any(|v| v == self.str_attr(*a)),
            Cond::NotIn(a, set) => !set.iter().any(|v| v == self.str_attr(*a)),
            Cond::Is(a, v) => self.flag(*a) == *v,
            Cond::Length(ord, or_equal, n) => {
                let len = self.text.chars().count();
                len.cmp(n) == *ord || (*or_equal && len == *n)
            }
        }
    }
}

/// Python's `str.istitle()`: cased chars, each uppercase one after an uncased char and
/// each lowercase one after a cased char.
fn is_title(t: &str) -> bool {
    let (mut cased, mut prev_cased) = (false, false);
    for c in t.chars() {
        if c.is_uppercase() {
            if prev_cased {
                return false;
            }
            prev_cased = true;
            cased = true;
        } else if c.is_lowercase() {
            if !prev_cased {
                return false;
            }
            prev_cased = true;
            cased = true;
        } else {
            prev_cased = false;
        }
    }
    cased
}

/// spaCy's word shape: letters become `X`/`x`, digits `d`, other chars stay; a run of
/// more than four of the same shape char is cut to four ("Xxxxx" for "Kabul",
/// "dddd" for "20250").
fn shape(t: &str) -> String {
    let mut out = String::new();
    let (mut last, mut run) = (None, 0);
    for c in t.chars() {
        let s = if c.is_alphabetic() {
            if c.is_uppercase() { 'X' } else { 'x' }
        } else if c.is_numeric() {
            'd'
        } else {
            c
        };
        if Some(s) == last {
            run += 1;
        } else {
            run = 1;
            last = Some(s);
        }
        if run <= 4 {
            out.push(s);
        }
    }
    out
}

/// The longest a token pattern's match may be, in tokens. Entities are far shorter; the
/// bound keeps `*` and `+` linear in the text (from every token, a pattern of `*`s
/// explored every later token once per earlier one: cubic time).
pub const MAX_MATCH_TOKENS: usize = 256;

/// The end (exclusive token index) of the longest match of `specs` from token `start`,
/// if any matches at least one token; at most [`MAX_MATCH_TOKENS`] long.
pub(super) fn match_at(specs: &[TokenSpec], toks: &[TokenView], start: usize) -> Option<usize> {
    let n = toks.len().min(start.saturating_add(MAX_MATCH_TOKENS));
    // Positions reachable after each spec: a set, small in practice.
    let mut at: Vec<usize> = vec![start];
    for spec in specs {
        let ok = |p: usize| p < n && spec.conds.iter().all(|c| toks[p].test(c));
        let mut next: Vec<usize> = Vec::new();
        // The end of the last `*` / `+` run scanned: the first position that failed.
        let mut scanned_to: Option<usize> = None;
        for &p in &at {
            match spec.op {
                Op::One => {
                    if ok(p) {
                        next.push(p + 1);
                    }
                }
                Op::Optional => {
                    next.push(p);
                    if ok(p) {
                        next.push(p + 1);
                    }
                }
                Op::Any | Op::Plus => {
                    if spec.op == Op::Any {
                        next.push(p);
                    }
                    // `at` rises: a run already scanned from an earlier position covers
                    // every position up to its end (each token is tested once per spec).
                    if scanned_to.is_some_and(|end| p <= end) {
                        continue;
                    }
                    let mut q = p;
                    while ok(q) {
                        q += 1;
                        next.push(q);
                    }
                    scanned_to = Some(q);
                }
                Op::Not => {
                    if p < n && !spec.conds.iter().all(|c| toks[p].test(c)) {
                        next.push(p + 1);
                    }
                }
            }
        }
        next.sort_unstable();
        next.dedup();
        if next.is_empty() {
            return None;
        }
        at = next;
    }
    at.into_iter().max().filter(|&end| end > start)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Project;
    use crate::model::suggest::RuleKind;
    use crate::model::suggest::rules::testing::{found, set};
    use crate::model::suggest::rules::{MAX_TOKEN_SPECS, RuleSetRules};

    #[test]
    fn token_patterns_ops_and_attributes() {
        let src = r#"{"label": "PLACE", "pattern": [{"LOWER": "kabul"}, {"IS_DIGIT": true, "OP": "?"}]}
{"label": "DATE", "pattern": [{"LOWER": {"IN": ["september", "october"]}}, {"SHAPE": "dd"}, {"ORTH": ",", "OP": "?"}, {"SHAPE": "dddd"}]}
{"label": "PERSON", "pattern": [{"IS_TITLE": true, "OP": "+"}, {"TEXT": "Mujahid"}]}
{"label": "ORG", "pattern": [{"IS_UPPER": true}, {"ORTH": "-", "OP": "!"}, {"IS_ALPHA": true, "OP": "*"}, {"LOWER": "agency"}]}"#;
        let got = found(
            RuleKind::Patterns,
            src,
            "KABUL 7 and kabul. On September 21, 2025 Zabihullah Mujahid said NATO news agency.",
        );
        assert_eq!(
            got,
            [
                ("KABUL 7".into(), "PLACE", 1),
                ("kabul".into(), "PLACE", 1),
                ("September 21, 2025".into(), "DATE", 2),
                ("Zabihullah Mujahid".into(), "PERSON", 3),
                ("NATO news agency".into(), "ORG", 4),
            ]
        );
    }

    /// Token patterns of `*`s over a long run of tokens explored every later token from
    /// every earlier one (cubic time): a match is now at most MAX_MATCH_TOKENS long and
    /// a pattern has at most MAX_TOKEN_SPECS tokens.
    #[test]
    fn token_patterns_are_bounded() {
        let stars = ["{\"OP\": \"*\"}"; 10].join(", ");
        let src = format!("{{\"label\": \"QUOTE\", \"pattern\": [{stars}, {{\"LOWER\": \"x\"}}]}}");
        let text = format!("{}x", "a ".repeat(600));
        let got = found(RuleKind::Patterns, &src, &text);
        // From the 255 tokens before "x", and "x" itself.
        assert_eq!(got.len(), MAX_MATCH_TOKENS);
        let longest = got.iter().map(|g| g.0.split(' ').count()).max();
        assert_eq!(longest, Some(MAX_MATCH_TOKENS));
        let many = ["{}"; MAX_TOKEN_SPECS + 1].join(", ");
        let e = RuleSetRules::compile(
            &set(
                RuleKind::Patterns,
                &format!("\n{{\"label\": \"ORG\", \"pattern\": [{many}]}}"),
            ),
            &Project::default(),
        )
        .unwrap_err();
        assert!(
            e.to_string()
                .starts_with("rules.jsonl:2: 65 tokens in one pattern"),
            "{e}"
        );
    }

    #[test]
    fn tokens_cut_possessives_like_spacy() {
        let text = "The Taliban's \"no\" to U.S. talks, 21,000 — Trump’s bid. 's";
        let got: Vec<String> = tokens(text)
            .into_iter()
            .map(|(s, e)| text.chars().skip(s).take(e - s).collect())
            .collect();
        assert_eq!(
            got,
            [
                "The", "Taliban", "'s", "\"", "no", "\"", "to", "U.S", ".", "talks", ",", "21,000",
                "—", "Trump", "’s", "bid", ".", "'", "s"
            ]
        );
    }

    #[test]
    fn shapes_and_titles_as_spacy() {
        assert_eq!(shape("Kabul"), "Xxxxx");
        assert_eq!(shape("Afghanistan"), "Xxxxx");
        assert_eq!(shape("2025"), "dddd");
        assert_eq!(shape("U.S."), "X.X.");
        assert!(is_title("Kabul") && is_title("Non-Negotiable") && !is_title("NATO"));
        assert!(!is_title("kabul") && !is_title("2025"));
    }
}
