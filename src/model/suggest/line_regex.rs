//! A patterns file's regex, matched within lines, fast on ASCII text.
//!
//! **Semantics.** A regex rule is the `regex` crate's regex as written, with one
//! restriction: a match never holds a line break (`\n`, `\r`, so `\r\n` too), as entities
//! never do; so no match starts or ends inside a `\r\n` either (`\s+` in CRLF text used to
//! give a span of just `\r`). The text is one haystack, so look-arounds see across lines:
//! `^` and `$` are the text's start and end, `(?m)^` and `(?m)$` a line's (at `\n`), and
//! `\b` at a line's edge sees the break (not a word char). The oracle (`naive_find`) is
//! exactly that: the plain regex searched between line breaks, each search confined
//! there but seeing the whole text.
//!
//! **Why a twin.** The regex crate's fast engines (the lazy DFA) give up on Unicode word
//! boundaries (`\b`, `\B`, `\b{start}`, ...) as soon as they meet a non-ASCII byte and
//! fall back to a much slower engine. A word assertion only asks whether the chars on
//! either side are word chars. The ASCII form reads a non-ASCII char's bytes as non-word;
//! Unicode `\w` on ASCII is `[0-9A-Za-z_]`. So the two agree at every position whose
//! neighbours are ASCII or non-ASCII non-word chars (a dash, a curly quote, an emoji).
//! Each rule is compiled twice from its parsed HIR: as written, and a twin whose word
//! assertions are ASCII (every class, literal and case folding stays as written: only
//! the assertions differ, so what a match may consume is the same). Then, per regex:
//!
//! - if the regex can consume none of the text's non-ASCII word chars (`\b\d{4}\b`
//!   next to "東京", say) and some ASCII word byte `w` neither (`_` mostly), the twin
//!   searches the whole text with each non-ASCII word char replaced by as many `w`s as
//!   it has bytes: offsets are unchanged, no match can consume a replaced char before or
//!   a `w` after, and every position sees word chars exactly where it did;
//! - otherwise lines are grouped into runs with and without non-ASCII word chars; the
//!   twin searches the latter (a run ends at a `\n` or the text's end), the regex as
//!   written the former.
//!
//! **One search per run, not per line.** Both regexes are compiled with `\n` and `\r`
//! taken out of every class and literal, so no match can cross a line; searching a run
//! of lines at once then finds what searching each line alone would.

use std::sync::OnceLock;

use regex_automata::meta;
use regex_automata::util::syntax;
use regex_automata::{Input, MatchKind};
use regex_syntax::hir::{
    Class, ClassBytes, ClassBytesRange, ClassUnicode, ClassUnicodeRange, Hir, HirKind, Look,
};

/// The ASCII word bytes, in the order a mask byte is chosen.
const WORD_BYTES: &[u8] = b"_0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// One regex rule, compiled for line-confined search.
#[derive(Debug)]
pub struct LineRegex {
    /// As written, unable to match `\n`.
    full: meta::Regex,
    /// The same with ASCII word boundaries; `None` when the regex has no Unicode word
    /// boundary (then `full` is as fast everywhere).
    ascii: Option<meta::Regex>,
    /// Every char the regex can consume (`None`: not known, assume any).
    matchable: Option<ClassUnicode>,
    /// Index in [`WORD_BYTES`] of an ASCII word byte the regex can never consume.
    mask: Option<usize>,
}

/// Consecutive lines of one kind: byte range (a line's start to the last line's end,
/// without its `\n`) and whether none of them holds a non-ASCII word char.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Run {
    start: usize,
    end: usize,
    plain: bool,
}

/// What the searches of every regex need to know about one text, found once.
#[derive(Debug)]
pub struct Prepared<'a> {
    text: &'a str,
    /// Found when first needed: the distinct non-ASCII word chars of the text, sorted,
    /// and its lines grouped into runs with and without such chars.
    scan: OnceLock<(Vec<char>, Vec<Run>)>,
    /// Per [`WORD_BYTES`] entry `w`, built when first needed: the text with every
    /// non-ASCII word char replaced by as many bytes `w` as it has (offsets unchanged).
    masked: Vec<OnceLock<String>>,
}

impl<'a> Prepared<'a> {
    /// Wraps `text`; it is scanned when a regex first needs it.
    pub fn new(text: &'a str) -> Self {
        Self {
            text,
            scan: OnceLock::new(),
            masked: WORD_BYTES.iter().map(|_| OnceLock::new()).collect(),
        }
    }

    /// The text's distinct non-ASCII word chars (sorted) and its runs.
    fn scan(&self) -> &(Vec<char>, Vec<Run>) {
        self.scan.get_or_init(|| {
            let mut word_chars = Vec::new();
            let mut runs: Vec<Run> = Vec::new();
            let mut start = 0;
            for line in self.text.split('\n') {
                let end = start + line.len();
                let mut plain = true;
                if !line.is_ascii() {
                    for c in line.chars().filter(|c| !c.is_ascii() && is_word(*c)) {
                        plain = false;
                        word_chars.push(c);
                    }
                    // Keep the list short while scanning a long text.
                    if word_chars.len() > 4096 {
                        word_chars.sort_unstable();
                        word_chars.dedup();
                    }
                }
                match runs.last_mut() {
                    Some(r) if r.plain == plain => r.end = end,
                    _ => runs.push(Run { start, end, plain }),
                }
                start = end + 1;
            }
            word_chars.sort_unstable();
            word_chars.dedup();
            (word_chars, runs)
        })
    }

    /// The text.
    pub fn text(&self) -> &'a str {
        self.text
    }

    /// The text masked with word byte number `k` of [`WORD_BYTES`].
    fn masked(&self, k: usize) -> &str {
        if self.scan().0.is_empty() {
            return self.text;
        }
        self.masked[k].get_or_init(|| {
            let w = char::from(WORD_BYTES[k]);
            let mut out = String::with_capacity(self.text.len());
            for c in self.text.chars() {
                if !c.is_ascii() && is_word(c) {
                    out.extend(std::iter::repeat_n(w, c.len_utf8()));
                } else {
                    out.push(c);
                }
            }
            out
        })
    }
}

/// Whether `c` is a word char of Unicode `\w` (the regex crate's table).
fn is_word(c: char) -> bool {
    regex_syntax::try_is_word_character(c).unwrap_or(false)
}

impl LineRegex {
    /// Compiles `pattern`; the error is the regex crate's message.
    pub fn new(pattern: &str) -> Result<Self, String> {
        let hir = regex_syntax::ParserBuilder::new()
            .build()
            .parse(pattern)
            .map_err(|e| e.to_string())?;
        let hir = without_newline(hir);
        let full = build(&hir)?;
        // Masking changes what the regex's own ASCII word assertions see: none allowed.
        let matchable = if has_word_look(&hir, true) {
            None
        } else {
            matchable(&hir)
        };
        let mask = matchable
            .as_ref()
            .and_then(|m| WORD_BYTES.iter().position(|&b| !contains(m, char::from(b))));
        let ascii = if has_word_look(&hir, false) {
            Some(build(&ascii_word_looks(hir))?)
        } else {
            None
        };
        Ok(Self {
            full,
            ascii,
            matchable,
            mask,
        })
    }

    /// The memory the compiled regex (and its twin) take, in bytes.
    pub fn memory_usage(&self) -> usize {
        self.full.memory_usage() + self.ascii.as_ref().map_or(0, meta::Regex::memory_usage)
    }

    /// Every non-empty match in the prepared text, as byte ranges in rising order.
    ///
    /// With Unicode word boundaries: when the regex can consume none of the text's
    /// non-ASCII word chars, and some ASCII word byte `w` neither, the twin searches the
    /// whole text with each such char replaced by `w`s. A match consumes neither; every
    /// position's neighbours are then ASCII or non-word chars on both sides, and the ones
    /// next to a replaced char see a word char on both: the twin's ASCII assertions hold
    /// exactly where the Unicode ones do on the real text. Otherwise the twin searches
    /// the runs of lines without non-ASCII word chars, and the regex as written the rest.
    pub fn find(&self, p: &Prepared<'_>, out: &mut Vec<(usize, usize)>) {
        let text = p.text;
        let Some(ascii) = &self.ascii else {
            // No Unicode word boundary: one search over the whole text.
            push_matches(&self.full, Input::new(text), out);
            return;
        };
        if let (Some(m), Some(k)) = (&self.matchable, self.mask)
            && !p.scan().0.iter().any(|&c| contains(m, c))
        {
            push_matches(ascii, Input::new(p.masked(k)), out);
            return;
        }
        for r in &p.scan().1 {
            let re = if r.plain { ascii } else { &self.full };
            push_matches(re, Input::new(text).range(r.start..r.end), out);
        }
    }
}

/// Whether class `m` holds `c`.
fn contains(m: &ClassUnicode, c: char) -> bool {
    let r = m.ranges();
    let i = r.partition_point(|x| x.end() < c);
    r.get(i).is_some_and(|x| x.start() <= c)
}

/// Every char `hir` can consume; `None` if that is not known (a byte class beyond ASCII).
fn matchable(hir: &Hir) -> Option<ClassUnicode> {
    let mut out = ClassUnicode::empty();
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => {}
        HirKind::Literal(lit) => {
            for c in std::str::from_utf8(&lit.0).ok()?.chars() {
                out.push(ClassUnicodeRange::new(c, c));
            }
        }
        HirKind::Class(Class::Unicode(c)) => out = c.clone(),
        HirKind::Class(Class::Bytes(c)) => {
            for r in c.ranges() {
                if !r.end().is_ascii() {
                    return None;
                }
                out.push(ClassUnicodeRange::new(
                    char::from(r.start()),
                    char::from(r.end()),
                ));
            }
        }
        HirKind::Repetition(r) => out = matchable(&r.sub)?,
        HirKind::Capture(c) => out = matchable(&c.sub)?,
        HirKind::Concat(hs) | HirKind::Alternation(hs) => {
            for h in hs {
                out.union(&matchable(h)?);
            }
        }
    }
    Some(out)
}

fn push_matches(re: &meta::Regex, input: Input<'_>, out: &mut Vec<(usize, usize)>) {
    out.extend(
        re.find_iter(input)
            .filter(|m| !m.is_empty())
            .map(|m| (m.start(), m.end())),
    );
}

fn build(hir: &Hir) -> Result<meta::Regex, String> {
    // The regex crate's own limits and match semantics (see its Builder).
    meta::Builder::new()
        .configure(
            meta::Config::new()
                .match_kind(MatchKind::LeftmostFirst)
                .utf8_empty(true)
                .nfa_size_limit(Some(10 * (1 << 20)))
                .hybrid_cache_capacity(2 * (1 << 20)),
        )
        .syntax(syntax::Config::new())
        .build_from_hir(hir)
        .map_err(|e| e.to_string())
}

/// `hir` with `\n` and `\r` taken out of every class and literal: it matches what `hir`
/// matches, minus the matches that contain a line break.
fn without_newline(hir: Hir) -> Hir {
    map(hir, &|h| match h.into_kind() {
        HirKind::Literal(lit) if lit.0.contains(&b'\n') || lit.0.contains(&b'\r') => Hir::fail(),
        HirKind::Class(Class::Unicode(mut c)) => {
            c.difference(&ClassUnicode::new([
                ClassUnicodeRange::new('\n', '\n'),
                ClassUnicodeRange::new('\r', '\r'),
            ]));
            Hir::class(Class::Unicode(c))
        }
        HirKind::Class(Class::Bytes(mut c)) => {
            c.difference(&ClassBytes::new([
                ClassBytesRange::new(b'\n', b'\n'),
                ClassBytesRange::new(b'\r', b'\r'),
            ]));
            Hir::class(Class::Bytes(c))
        }
        kind => rebuild_leaf(kind),
    })
}

/// `hir` with every Unicode word-boundary assertion made ASCII.
fn ascii_word_looks(hir: Hir) -> Hir {
    map(hir, &|h| match h.kind() {
        HirKind::Look(look) => Hir::look(ascii_look(*look)),
        _ => h,
    })
}

/// The ASCII form of a Unicode word assertion; other assertions as they are.
fn ascii_look(look: Look) -> Look {
    match look {
        Look::WordUnicode => Look::WordAscii,
        Look::WordUnicodeNegate => Look::WordAsciiNegate,
        Look::WordStartUnicode => Look::WordStartAscii,
        Look::WordEndUnicode => Look::WordEndAscii,
        Look::WordStartHalfUnicode => Look::WordStartHalfAscii,
        Look::WordEndHalfUnicode => Look::WordEndHalfAscii,
        other => other,
    }
}

/// Whether `hir` has a word assertion, an ASCII one if `ascii`, else a Unicode one.
fn has_word_look(hir: &Hir, ascii: bool) -> bool {
    match hir.kind() {
        HirKind::Look(l) => {
            let is_word = matches!(
                l,
                Look::WordAscii
                    | Look::WordAsciiNegate
                    | Look::WordStartAscii
                    | Look::WordEndAscii
                    | Look::WordStartHalfAscii
                    | Look::WordEndHalfAscii
            ) || ascii_look(*l) != *l;
            is_word && (ascii_look(*l) == *l) == ascii
        }
        HirKind::Repetition(r) => has_word_look(&r.sub, ascii),
        HirKind::Capture(c) => has_word_look(&c.sub, ascii),
        HirKind::Concat(hs) | HirKind::Alternation(hs) => {
            hs.iter().any(|h| has_word_look(h, ascii))
        }
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) => false,
    }
}

/// Rebuilds `hir` bottom-up, applying `leaf` to every leaf (empty, literal, class, look).
fn map(hir: Hir, leaf: &dyn Fn(Hir) -> Hir) -> Hir {
    match hir.into_kind() {
        HirKind::Repetition(mut r) => {
            r.sub = Box::new(map(*r.sub, leaf));
            Hir::repetition(r)
        }
        HirKind::Capture(mut c) => {
            c.sub = Box::new(map(*c.sub, leaf));
            Hir::capture(c)
        }
        HirKind::Concat(hs) => Hir::concat(hs.into_iter().map(|h| map(h, leaf)).collect()),
        HirKind::Alternation(hs) => {
            Hir::alternation(hs.into_iter().map(|h| map(h, leaf)).collect())
        }
        kind => leaf(rebuild_leaf(kind)),
    }
}

/// A leaf kind back into a `Hir`.
fn rebuild_leaf(kind: HirKind) -> Hir {
    match kind {
        HirKind::Empty => Hir::empty(),
        HirKind::Literal(lit) => Hir::literal(lit.0),
        HirKind::Class(c) => Hir::class(c),
        HirKind::Look(l) => Hir::look(l),
        HirKind::Repetition(r) => Hir::repetition(r),
        HirKind::Capture(c) => Hir::capture(c),
        HirKind::Concat(hs) => Hir::concat(hs),
        HirKind::Alternation(hs) => Hir::alternation(hs),
    }
}

#[cfg(test)]
/// The oracle: `pattern` as the regex crate compiles it, searched between line breaks
/// (`\n`, `\r`; each search confined there, its look-arounds seeing the whole text);
/// non-empty matches as byte ranges in rising order.
pub fn naive_find(pattern: &str, text: &str) -> Vec<(usize, usize)> {
    let Ok(re) = meta::Regex::new(pattern) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut start = 0;
    for line in text.split(['\n', '\r']) {
        let end = start + line.len();
        push_matches(&re, Input::new(text).range(start..end), &mut out);
        start = end + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn found(pattern: &str, text: &str) -> Vec<(usize, usize)> {
        let re = LineRegex::new(pattern).unwrap();
        let mut out = Vec::new();
        re.find(&Prepared::new(text), &mut out);
        out
    }

    fn strs<'a>(text: &'a str, found: &[(usize, usize)]) -> Vec<&'a str> {
        found.iter().map(|&(s, e)| &text[s..e]).collect()
    }

    #[test]
    fn runs_group_lines_by_kind() {
        // A dash or an emoji is not a word char: such lines are plain.
        let t = "ab\ncd — 👍\nçé\nx\n";
        let p = Prepared::new(t);
        let r: Vec<(usize, usize, bool)> = p
            .scan()
            .1
            .iter()
            .map(|r| (r.start, r.end, r.plain))
            .collect();
        assert_eq!(r, [(0, 14, true), (15, 19, false), (20, 22, true)]);
        assert_eq!(p.scan().0, ['ç', 'é']);
        assert_eq!(p.masked(0), "ab\ncd — 👍\n____\nx\n");
    }

    #[test]
    fn unicode_word_boundaries_on_mixed_lines() {
        // "é" is a word char: no boundary between "caf" and "é", nor after "東京".
        let t = "café 2025\nplain 2025 text\n東京2025 x";
        assert_eq!(
            strs(t, &found(r"\b\w+\b", t)),
            ["café", "2025", "plain", "2025", "text", "東京2025", "x"]
        );
        assert_eq!(strs(t, &found(r"\b\d{4}\b", t)), ["2025", "2025"]);
        assert_eq!(found(r"\bé", "café"), []);
        // A masked "東" must not change what the regex's own ASCII `\b` sees.
        let t = "東1 x";
        assert_eq!(strs(t, &found(r"(?-u:\b)\d\b", t)), ["1"]);
        assert_eq!(naive_find(r"(?-u:\b)\d\b", t), found(r"(?-u:\b)\d\b", t));
    }

    /// A line break is `\r\n`, `\n` or `\r`: no match holds one, or starts or ends
    /// inside one (`\s+` gave a span of just `\r`).
    #[test]
    fn crlf_and_cr_are_line_breaks() {
        let t = "a b\r\nc\rd\n\r\ne";
        assert_eq!(strs(t, &found(r"\s+", t)), [" "]);
        assert_eq!(strs(t, &found(r"[^a]", t)), [" ", "b", "c", "d", "e"]);
        assert_eq!(found("\r\n", t), []);
        assert_eq!(strs(t, &found(r"(?s)..", t)), ["a "]);
    }

    #[test]
    fn matches_stay_within_lines_anchors_see_the_text() {
        let t = "x\ny x y\nab";
        // "x\ny" would span a line: the shorter alternative is taken instead.
        assert_eq!(strs(t, &found(r"x\s+y|x", t)), ["x", "x y"]);
        assert_eq!(strs(t, &found(r"(?s).+", t)), ["x", "y x y", "ab"]);
        // `^` / `$` are the text's ends, `(?m)` ones the lines'.
        assert_eq!(strs(t, &found(r"^\w", t)), ["x"]);
        assert_eq!(strs(t, &found(r"\w$", t)), ["b"]);
        assert_eq!(strs(t, &found(r"(?m)^\w", t)), ["x", "y", "a"]);
        assert_eq!(strs(t, &found(r"(?m)\w$", t)), ["x", "y", "b"]);
    }

    /// Lines of words mixing ASCII, word and non-word non-ASCII, case-folding traps
    /// (Kelvin sign, long s), digits of other scripts and `\r`.
    fn text() -> impl Strategy<Value = String> {
        let word = prop::sample::select(vec![
            "ab", "Ab", "k", "K", "\u{212A}", "s", "ſ", "12", "٣", "x_y", "é", "café", "東京", ".",
            "—", "\r", "", " ", "Zürich", "👍🏽", "_", "x",
        ]);
        // Words apart or run together ("東京2025", "x_yé").
        let line = prop::collection::vec((word, any::<bool>()), 0..6).prop_map(|w| {
            w.iter()
                .map(|(w, space)| format!("{w}{}", if *space { " " } else { "" }))
                .collect::<String>()
        });
        prop::collection::vec(line, 1..6).prop_map(|l| l.join("\n"))
    }

    /// Regexes made of word boundaries, classes, case folding and anchors.
    fn pattern() -> impl Strategy<Value = String> {
        let atom = prop::sample::select(vec![
            r"\b",
            r"\B",
            r"\w",
            r"\w+",
            r"\w*",
            r"\d",
            r"\W",
            r"(?i:k)",
            r"(?i:s)",
            r"(?i:ab)",
            "é",
            r"[a-z]+",
            r"\s",
            r"\s+",
            ".",
            r"(?s:.)",
            "^",
            "$",
            r"(?m:^)",
            r"(?m:$)",
            r"(?Rm:^)",
            r"(?Rm:$)",
            r"\n",
            r"\b{start}",
            r"\b{end}",
            r"\b{start-half}",
            r"\b{end-half}",
            r"(?-u:\b)",
            r"[^x]",
            "|",
            "K",
            r"[A-Z]",
            r"[0-9]+",
            "_",
            "x",
            r"\p{Han}",
            r"(?i:é)",
            r"[^a-z]",
            r"\d+",
            r"\b\d+\b",
        ]);
        prop::collection::vec(atom, 1..5).prop_map(|a| a.concat())
    }

    /// Few chars and word assertions only, so that they meet often.
    fn dense() -> impl Strategy<Value = (String, String)> {
        let chars = prop::sample::select(vec!["東", "1", "é", "a", " ", "\u{212A}", "—", "\n"]);
        let atoms = prop::sample::select(vec![
            r"\b",
            r"\B",
            r"(?-u:\b)",
            r"(?-u:\B)",
            r"\d",
            r"\w",
            r"[a-z]",
            r"\d+",
            r"\w+",
            "é",
            "東",
            r"(?i:k)",
            r"\b{start}",
            r"\b{end}",
            r"\W",
        ]);
        (
            prop::collection::vec(chars, 0..12).prop_map(|c| c.concat()),
            prop::collection::vec(atoms, 1..4).prop_map(|a| a.concat()),
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn finds_what_the_plain_regex_finds_line_by_line(t in text(), p in pattern()) {
            prop_assert_eq!(found(&p, &t), naive_find(&p, &t));
        }

        #[test]
        fn word_assertions_next_to_non_ascii((t, p) in dense()) {
            prop_assert_eq!(found(&p, &t), naive_find(&p, &t));
        }
    }
}
