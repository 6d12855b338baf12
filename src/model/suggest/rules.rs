//! Rule sets: patterns files (spaCy EntityRuler / Prodigy JSONL, spanmark's regex lines)
//! and dictionaries, parsed from their text (pure: the file's name is only for messages)
//! and matched against a document's text.
//!
//! - Phrase patterns (`{"label", "pattern": "Doha Agreement"}`) and dictionary entries
//!   are found with one Aho–Corasick automaton, case-sensitively, and kept where they
//!   start and end on token boundaries ([`tokens`]: the exporters' tokens, the one
//!   tokenizer of [`crate::model::tokens`], with a possessive `'s` cut off its word as
//!   spaCy does), as spaCy's PhraseMatcher keeps matches on token boundaries.
//! - Token patterns (`{"label", "pattern": [{"LOWER": "kabul"}, ...]}`) run over the same
//!   tokens; from each token the longest match is kept (spaCy's Matcher also reports the
//!   shorter ones, which its EntityRuler then drops).
//! - Regex lines (`{"label", "regex": "..."}`) use the `regex` crate's syntax and
//!   meaning, with one restriction: a match never spans a line break (`^`/`$` stay the
//!   text's ends; `(?m)` makes them the lines'). Offsets come out in chars. Pure-ASCII
//!   lines are searched with an ASCII-word-boundary twin of the regex, which the crate's
//!   fast engines can run (`line_regex.rs` says why that is exact); a regex several
//!   rules share is searched once.
//!
//! A large text is searched on all cores: phrases and token patterns in one task, each
//! regex in another; the merged result is sorted, so it does not depend on the threads.
//!
//! Every match is kept, overlapping ones too: suggestions are proposals, and the
//! annotator picks. Rules naming a label the project lacks are skipped, with a warning.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use serde_json::Value;

use super::line_regex::{self, LineRegex};
use super::{RuleKind, RuleSet, label_lookup};
use crate::model::tokens::Token;
use crate::model::{LabelId, Project, Span, Text};

/// The most distinct regexes one rule set may hold: each is compiled (about 0.2–1 ms
/// and 20–250 KB with Unicode classes), so a file of thousands would stall and take
/// gigabytes. Phrases have no such limit (one automaton holds them all).
pub const MAX_REGEXES: usize = 1000;

/// The most memory a rule set's compiled regexes may take, in bytes (as the regex crate
/// counts it; searching adds about half as much again in caches).
pub const MAX_REGEX_MEMORY: usize = 64 << 20;

/// Up to this many pattern bytes, the automaton may be a DFA (aho-corasick picks one for
/// up to 100 patterns): the fastest to search, but its build grows with the square of
/// a long pattern (a phrase of 8,000 words took 19 s). Past it, a contiguous NFA, whose
/// build is linear (16,000 words: milliseconds).
const DFA_MAX_BYTES: usize = 4096;

/// An Aho–Corasick automaton over `patterns` ([`MatchKind::Standard`], for overlapping
/// matches) built in time linear in their total length.
pub(super) fn automaton<P: AsRef<[u8]>>(
    patterns: &[P],
) -> Result<AhoCorasick, aho_corasick::BuildError> {
    let bytes: usize = patterns.iter().map(|p| p.as_ref().len()).sum();
    let mut builder = AhoCorasick::builder();
    builder.match_kind(MatchKind::Standard);
    if bytes <= DFA_MAX_BYTES {
        return builder.build(patterns);
    }
    // The contiguous NFA has a state limit; the noncontiguous one has none that matters.
    builder
        .kind(Some(AhoCorasickKind::ContiguousNFA))
        .build(patterns)
        .or_else(|_| {
            builder
                .kind(Some(AhoCorasickKind::NoncontiguousNFA))
                .build(patterns)
        })
}

/// A bad line in a rule set.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{name}:{line}: {message}")]
pub struct RuleError {
    /// The rule set's file name.
    pub name: String,
    /// 1-based line.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// One rule as read from its line, its label still a name.
#[derive(Clone, Debug)]
enum Rule {
    /// A phrase (or dictionary entry): matched as a string on token boundaries.
    Phrase(String),
    /// A sequence of token specs.
    Tokens(Vec<TokenSpec>),
    /// A regular expression (its syntax checked).
    Regex(String),
}

/// How often a token spec may match (spaCy's `OP`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
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
struct TokenSpec {
    conds: Vec<Cond>,
    op: Op,
}

/// A string attribute of a token.
#[derive(Clone, Copy, Debug)]
enum StrAttr {
    Orth,
    Lower,
    Shape,
}

/// A boolean attribute of a token.
#[derive(Clone, Copy, Debug)]
enum BoolAttr {
    Digit,
    Alpha,
    Title,
    Upper,
    Lower,
    Punct,
}

/// One condition on a token.
#[derive(Clone, Debug)]
enum Cond {
    /// The attribute equals one of the strings (`"x"` or `{"IN": [...]}`).
    In(StrAttr, Vec<String>),
    /// The attribute equals none of the strings (`{"NOT_IN": [...]}`).
    NotIn(StrAttr, Vec<String>),
    /// The flag has this value.
    Is(BoolAttr, bool),
    /// The length in chars compares so (`LENGTH`).
    Length(std::cmp::Ordering, bool, usize),
}

/// A rule set compiled against a project's labels.
#[derive(Debug)]
pub struct RuleSetRules {
    /// The file name.
    pub name: String,
    /// Patterns or dictionary.
    pub kind: RuleKind,
    /// Switched on.
    pub enabled: bool,
    /// Phrase automaton; pattern `k` is `phrases[k]`.
    automaton: Option<AhoCorasick>,
    /// Per distinct phrase, its (label, line) rules.
    phrases: Vec<Vec<(LabelId, u32)>>,
    /// Per distinct phrase, its length in chars.
    phrase_chars: Vec<usize>,
    /// Token patterns with their label and line.
    token_rules: Vec<(Vec<TokenSpec>, LabelId, u32)>,
    /// Distinct regexes, each with its (label, line) rules.
    regexes: Vec<(LineRegex, Vec<(LabelId, u32)>)>,
}

impl RuleSetRules {
    /// Parses and compiles `set`; returns the rules and warnings (rules naming a label the
    /// project lacks are skipped: one warning per such label), or the first bad line.
    pub fn compile(set: &RuleSet, project: &Project) -> Result<(Self, Vec<String>), RuleError> {
        let parsed = parse(set)?;
        let labels = label_lookup(project);
        let mut out = Self::empty(set);
        out.enabled = set.enabled;
        let mut missing: Vec<(String, usize, usize)> = Vec::new();
        let mut phrase_ix: HashMap<String, usize> = HashMap::new();
        let mut phrase_texts: Vec<String> = Vec::new();
        let mut regex_ix: HashMap<String, usize> = HashMap::new();
        let mut regex_memory = 0;
        let limit = |line: usize, message: String| RuleError {
            name: set.name.clone(),
            line,
            message,
        };
        for (line_no, label, rule) in parsed {
            let line = line_no;
            let Some(&id) = labels.get(label.as_str()) else {
                match missing.iter_mut().find(|m| m.0 == label) {
                    Some(m) => m.2 += 1,
                    None => missing.push((label, line, 1)),
                }
                continue;
            };
            let line = u32::try_from(line).unwrap_or(u32::MAX);
            match rule {
                Rule::Phrase(p) => {
                    let k = *phrase_ix.entry(p.clone()).or_insert_with(|| {
                        phrase_texts.push(p);
                        out.phrases.push(Vec::new());
                        out.phrases.len() - 1
                    });
                    if !out.phrases[k].iter().any(|(l, _)| *l == id) {
                        out.phrases[k].push((id, line));
                    }
                }
                Rule::Tokens(specs) => out.token_rules.push((specs, id, line)),
                Rule::Regex(r) => {
                    // A regex several rules share is searched once.
                    let k = match regex_ix.get(&r) {
                        Some(&k) => k,
                        None => {
                            // At most MAX_REGEXES of them: `parse` counted.
                            let re = LineRegex::new(&r).map_err(|m| RuleError {
                                name: set.name.clone(),
                                line: line_no,
                                message: format!("bad regex: {m}"),
                            })?;
                            regex_memory += re.memory_usage();
                            if regex_memory > MAX_REGEX_MEMORY {
                                return Err(limit(
                                    line_no,
                                    format!(
                                        "the regexes up to this line take {:.1} MB compiled, \
                                         more than the {} MB a file may use (Unicode classes such \
                                         as \\w, \\p{{L}} and \\b cost most; (?-u:\\w) is \
                                         ASCII only)",
                                        regex_memory as f64 / f64::from(1 << 20),
                                        MAX_REGEX_MEMORY >> 20
                                    ),
                                ));
                            }
                            out.regexes.push((re, Vec::new()));
                            regex_ix.insert(r, out.regexes.len() - 1);
                            out.regexes.len() - 1
                        }
                    };
                    if !out.regexes[k].1.iter().any(|(l, _)| *l == id) {
                        out.regexes[k].1.push((id, line));
                    }
                }
            }
        }
        out.phrase_chars = phrase_texts.iter().map(|p| p.chars().count()).collect();
        if !phrase_texts.is_empty() {
            let ac = automaton(&phrase_texts).map_err(|e| RuleError {
                name: set.name.clone(),
                line: 0,
                message: format!("phrases too large to match: {e}"),
            })?;
            out.automaton = Some(ac);
        }
        let warnings = missing
            .into_iter()
            .map(|(label, line, n)| {
                format!(
                    "{}:{line}: label {label:?} is not in the project: {n} rule{} skipped",
                    set.name,
                    if n == 1 { "" } else { "s" }
                )
            })
            .collect();
        Ok((out, warnings))
    }

    /// A rule set that matches nothing (its file failed to parse).
    pub fn empty(set: &RuleSet) -> Self {
        Self {
            name: set.name.clone(),
            kind: set.kind,
            enabled: false,
            automaton: None,
            phrases: Vec::new(),
            phrase_chars: Vec::new(),
            token_rules: Vec::new(),
            regexes: Vec::new(),
        }
    }

    /// How many rules were compiled (those with a known label).
    pub fn len(&self) -> usize {
        self.phrases.iter().map(Vec::len).sum::<usize>()
            + self.token_rules.len()
            + self.regexes.iter().map(|r| r.1.len()).sum::<usize>()
    }

    /// Whether no rule was compiled.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every match in `text`, as (span, line of the rule), sorted by span; a span two
    /// rules find is listed once, with the first line. A large text is searched on all
    /// cores (phrases and token patterns in one task, each regex in its own).
    pub fn find(&self, text: &Text) -> Vec<(Span, u32)> {
        // Below this, threads cost more than they save.
        const PARALLEL_BYTES: usize = 1 << 16;
        let threads = if text.as_str().len() < PARALLEL_BYTES {
            1
        } else {
            std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
        };
        self.find_threads(text, threads)
    }

    /// [`Self::find`] on `threads` threads; the result does not depend on their number.
    fn find_threads(&self, text: &Text, threads: usize) -> Vec<(Span, u32)> {
        let s = text.as_str();
        let prepared = line_regex::Prepared::new(s);
        // Task 0: phrases and token patterns; task 1 + k: regex k.
        let tasks = 1 + self.regexes.len();
        let task = |i: usize| match i {
            0 => self.find_phrases_and_tokens(s),
            _ => self.find_regex(i - 1, &prepared),
        };
        let mut out: Vec<(Span, u32)> = if threads <= 1 {
            (0..tasks).flat_map(task).collect()
        } else {
            let next = AtomicUsize::new(0);
            let mut done: Vec<(usize, Vec<(Span, u32)>)> = std::thread::scope(|scope| {
                let workers: Vec<_> = (0..threads.min(tasks))
                    .map(|_| {
                        scope.spawn(|| {
                            let mut mine = Vec::new();
                            loop {
                                let i = next.fetch_add(1, Ordering::Relaxed);
                                if i >= tasks {
                                    break mine;
                                }
                                mine.push((i, task(i)));
                            }
                        })
                    })
                    .collect();
                workers
                    .into_iter()
                    .flat_map(|w| w.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                    .collect()
            });
            // Task order, whichever thread ran what (the sort below settles it anyway).
            done.sort_by_key(|(i, _)| *i);
            done.into_iter().flat_map(|(_, found)| found).collect()
        };
        // Stable: the automaton's matches come nearly in order, which a merge sort uses.
        out.sort_by_key(|&(span, line)| (span, line));
        out.dedup_by_key(|(span, _)| *span);
        out
    }

    /// Phrase (and dictionary) and token-pattern matches, unsorted.
    fn find_phrases_and_tokens(&self, s: &str) -> Vec<(Span, u32)> {
        let mut out: Vec<(Span, u32)> = Vec::new();
        let need_tokens = self.automaton.is_some() || !self.token_rules.is_empty();
        let toks = if need_tokens {
            token_list(s)
        } else {
            Vec::new()
        };
        if let Some(ac) = &self.automaton {
            // Token boundaries in bytes, as bitsets: the automaton reports byte offsets.
            let words = s.len() / 64 + 1;
            let (mut starts, mut ends) = (vec![0u64; words], vec![0u64; words]);
            for t in &toks {
                starts[t.byte_start / 64] |= 1 << (t.byte_start % 64);
                ends[t.byte_end / 64] |= 1 << (t.byte_end % 64);
            }
            let bit =
                |set: &[u64], b: usize| set.get(b / 64).is_some_and(|w| w >> (b % 64) & 1 == 1);
            // Matches come ordered by end: chars are counted from one end to the next.
            let (mut byte, mut chars) = (0, 0);
            for m in ac.find_overlapping_iter(s) {
                if !(bit(&starts, m.start()) && bit(&ends, m.end())) {
                    continue;
                }
                chars += s[byte..m.end()].chars().count();
                byte = m.end();
                let k = m.pattern().as_usize();
                let (cs, ce) = (chars - self.phrase_chars[k], chars);
                for &(label, line) in &self.phrases[k] {
                    if let Ok(span) = Span::new(cs, ce, label) {
                        out.push((span, line));
                    }
                }
            }
        }
        if !self.token_rules.is_empty() {
            let views: Vec<TokenView> = toks
                .iter()
                .map(|t| TokenView::new(&s[t.byte_start..t.byte_end]))
                .collect();
            for (specs, label, line) in &self.token_rules {
                for start in 0..toks.len() {
                    if let Some(end) = match_at(specs, &views, start)
                        && let Ok(span) = Span::new(toks[start].start, toks[end - 1].end, *label)
                    {
                        out.push((span, *line));
                    }
                }
            }
        }
        out
    }

    /// Regex `k`'s matches, one per rule using it, in rising order. A match that splits
    /// a grapheme (`\p{Emoji}` inside a family emoji, `\u0301` off its letter) is widened
    /// to the grapheme's edges, as the view would select it.
    fn find_regex(&self, k: usize, prepared: &line_regex::Prepared<'_>) -> Vec<(Span, u32)> {
        let (re, rules) = &self.regexes[k];
        let s = prepared.text();
        let mut found = Vec::new();
        re.find(prepared, &mut found);
        let mut out = Vec::with_capacity(found.len() * rules.len());
        let (mut byte, mut chars) = (0, 0);
        // Widening keeps starts rising (it is monotone), as the char count needs.
        for (start, end) in found.into_iter().map(|(a, b)| widen_to_graphemes(s, a, b)) {
            // Matches come in rising byte order: count chars from one to the next.
            chars += s[byte..start].chars().count();
            byte = start;
            let len = s[start..end].chars().count();
            for &(label, line) in rules {
                if let Ok(span) = Span::new(chars, chars + len, label) {
                    out.push((span, line));
                }
            }
        }
        out
    }
}

/// Byte range `start..end` of `s` widened to grapheme cluster edges (UAX #29).
fn widen_to_graphemes(s: &str, start: usize, end: usize) -> (usize, usize) {
    use unicode_segmentation::GraphemeCursor;
    let is_edge = |at: usize| {
        let (before, after) = (s[..at].chars().next_back(), s[at..].chars().next());
        match (before, after) {
            (None, _) | (_, None) => true,
            // Between two ASCII chars there is an edge, except inside a CRLF.
            (Some(b), Some(a)) if b.is_ascii() && a.is_ascii() => !(b == '\r' && a == '\n'),
            _ => GraphemeCursor::new(at, s.len(), true)
                .is_boundary(s, 0)
                .unwrap_or(true),
        }
    };
    let start = if is_edge(start) {
        start
    } else {
        GraphemeCursor::new(start, s.len(), true)
            .prev_boundary(s, 0)
            .ok()
            .flatten()
            .unwrap_or(0)
    };
    let end = if is_edge(end) {
        end
    } else {
        GraphemeCursor::new(end, s.len(), true)
            .next_boundary(s, 0)
            .ok()
            .flatten()
            .unwrap_or(s.len())
    };
    (start, end)
}

/// The tokens patterns match over, as char ranges: the exporters' tokens
/// ([`crate::model::tokens::tokens`]) with a possessive clitic (`'s`, `’s`) cut off its
/// word, as spaCy and CoNLL tokenize it ("Taliban" + "'s"): UAX #29 keeps "Taliban's" as
/// one word, and a pattern "Taliban" must find it.
pub fn tokens(text: &str) -> Vec<(usize, usize)> {
    token_list(text).iter().map(|t| (t.start, t.end)).collect()
}

/// [`tokens`] with their byte offsets.
fn token_list(text: &str) -> Vec<Token> {
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
struct TokenView<'a> {
    text: &'a str,
    lower: String,
    shape: String,
}

impl<'a> TokenView<'a> {
    fn new(text: &'a str) -> Self {
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

/// The most token specs one token pattern may have.
pub const MAX_TOKEN_SPECS: usize = 64;

/// The end (exclusive token index) of the longest match of `specs` from token `start`,
/// if any matches at least one token; at most [`MAX_MATCH_TOKENS`] long.
fn match_at(specs: &[TokenSpec], toks: &[TokenView], start: usize) -> Option<usize> {
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

/// Parses a rule set's text into (line, label name, rule).
fn parse(set: &RuleSet) -> Result<Vec<(usize, String, Rule)>, RuleError> {
    let err = |line: usize, message: String| RuleError {
        name: set.name.clone(),
        line,
        message,
    };
    let mut out = Vec::new();
    // Distinct regexes so far: each is checked once, and there may be MAX_REGEXES.
    let mut regexes: std::collections::HashSet<String> = std::collections::HashSet::new();
    let source = set.source.strip_prefix('\u{feff}').unwrap_or(&set.source);
    for (i, raw) in source.lines().enumerate() {
        let line = i + 1;
        let l = raw.trim_end_matches('\r');
        match set.kind {
            RuleKind::Dictionary => {
                if l.trim().is_empty() || l.trim_start().starts_with('#') {
                    continue;
                }
                let (text, label) = match l.split_once('\t') {
                    Some((t, lab)) => (t, lab.trim().to_string()),
                    None => match &set.default_label {
                        Some(lab) => (l, lab.clone()),
                        None => {
                            return Err(err(
                                line,
                                "no label: write `text<TAB>label`, or choose a label for \
                                 the whole dictionary"
                                    .into(),
                            ));
                        }
                    },
                };
                let text = text.trim();
                if text.is_empty() || label.is_empty() {
                    return Err(err(line, "empty text or label".into()));
                }
                out.push((line, label, Rule::Phrase(text.to_string())));
            }
            RuleKind::Patterns => {
                if l.trim().is_empty() {
                    continue;
                }
                let v: Value = serde_json::from_str(l)
                    .map_err(|e| err(line, format!("not a JSON object: {e}")))?;
                let (label, rule) = pattern_line(&v).map_err(|m| err(line, m))?;
                if let Rule::Regex(r) = &rule
                    && !regexes.contains(r.as_str())
                {
                    if regexes.len() == MAX_REGEXES {
                        return Err(err(
                            line,
                            format!(
                                "more than {MAX_REGEXES} different regexes in one file; use \
                                 phrase patterns or a dictionary for lists of names"
                            ),
                        ));
                    }
                    check_regex_syntax(r).map_err(|m| err(line, m))?;
                    regexes.insert(r.clone());
                }
                out.push((line, label, rule));
            }
        }
    }
    Ok(out)
}

/// Checks a regex's syntax (LineRegex compiles it, once per distinct regex, for the
/// rules whose label the project has).
fn check_regex_syntax(r: &str) -> Result<(), String> {
    regex_syntax::ParserBuilder::new()
        .build()
        .parse(r)
        .map(|_| ())
        .map_err(|e| format!("bad regex: {e}"))
}

/// One patterns-file line: its label and rule, or what is wrong with it.
fn pattern_line(v: &Value) -> Result<(String, Rule), String> {
    let obj = v.as_object().ok_or("not a JSON object")?;
    let label = obj
        .get("label")
        .and_then(Value::as_str)
        .filter(|l| !l.trim().is_empty())
        .ok_or("no \"label\" (a string)")?
        .to_string();
    match (obj.get("pattern"), obj.get("regex")) {
        (Some(_), Some(_)) => Err("both \"pattern\" and \"regex\": give one".into()),
        (None, None) => Err("no \"pattern\" or \"regex\"".into()),
        (None, Some(r)) => {
            let r = r.as_str().ok_or("\"regex\" must be a string")?;
            // Its syntax is checked by `parse`, once per distinct regex.
            Ok((label, Rule::Regex(r.to_string())))
        }
        (Some(Value::String(p)), None) => {
            if p.trim().is_empty() {
                return Err("empty \"pattern\"".into());
            }
            Ok((label, Rule::Phrase(p.clone())))
        }
        (Some(Value::Array(specs)), None) => {
            if specs.is_empty() {
                return Err("empty \"pattern\" list".into());
            }
            if specs.len() > MAX_TOKEN_SPECS {
                return Err(format!(
                    "{} tokens in one pattern: at most {MAX_TOKEN_SPECS}",
                    specs.len()
                ));
            }
            let specs = specs
                .iter()
                .enumerate()
                .map(|(k, s)| token_spec(s).map_err(|m| format!("token {}: {m}", k + 1)))
                .collect::<Result<Vec<_>, _>>()?;
            Ok((label, Rule::Tokens(specs)))
        }
        (Some(_), None) => Err("\"pattern\" must be a string or a list of tokens".into()),
    }
}

fn token_spec(v: &Value) -> Result<TokenSpec, String> {
    let obj = v.as_object().ok_or("a token must be a JSON object")?;
    let mut spec = TokenSpec {
        conds: Vec::new(),
        op: Op::One,
    };
    for (key, value) in obj {
        let str_attr = match key.as_str() {
            "ORTH" | "TEXT" => Some(StrAttr::Orth),
            "LOWER" => Some(StrAttr::Lower),
            "SHAPE" => Some(StrAttr::Shape),
            _ => None,
        };
        let bool_attr = match key.as_str() {
            "IS_DIGIT" => Some(BoolAttr::Digit),
            "IS_ALPHA" => Some(BoolAttr::Alpha),
            "IS_TITLE" => Some(BoolAttr::Title),
            "IS_UPPER" => Some(BoolAttr::Upper),
            "IS_LOWER" => Some(BoolAttr::Lower),
            "IS_PUNCT" => Some(BoolAttr::Punct),
            _ => None,
        };
        if let Some(a) = str_attr {
            spec.conds
                .push(str_cond(a, value).map_err(|m| format!("{key}: {m}"))?);
        } else if let Some(a) = bool_attr {
            let b = value
                .as_bool()
                .ok_or_else(|| format!("{key} must be true or false"))?;
            spec.conds.push(Cond::Is(a, b));
        } else if key == "LENGTH" {
            spec.conds.push(length_cond(value)?);
        } else if key == "OP" {
            spec.op = match value.as_str() {
                Some("?") => Op::Optional,
                Some("*") => Op::Any,
                Some("+") => Op::Plus,
                Some("!") => Op::Not,
                Some("1") => Op::One,
                _ => return Err(format!("OP {value} is not one of ? * + ! 1")),
            };
        } else {
            return Err(format!(
                "attribute {key:?} is not supported (ORTH, TEXT, LOWER, SHAPE, LENGTH, \
                 IS_DIGIT, IS_ALPHA, IS_TITLE, IS_UPPER, IS_LOWER, IS_PUNCT, OP)"
            ));
        }
    }
    Ok(spec)
}

/// `"x"`, `{"IN": [..]}` or `{"NOT_IN": [..]}`.
fn str_cond(a: StrAttr, v: &Value) -> Result<Cond, String> {
    let list = |v: &Value| -> Result<Vec<String>, String> {
        v.as_array()
            .ok_or("IN / NOT_IN takes a list of strings")?
            .iter()
            .map(|x| {
                x.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| "IN / NOT_IN takes a list of strings".to_string())
            })
            .collect()
    };
    match v {
        Value::String(s) => Ok(Cond::In(a, vec![s.clone()])),
        Value::Object(o) if o.len() == 1 => {
            if let Some(l) = o.get("IN") {
                Ok(Cond::In(a, list(l)?))
            } else if let Some(l) = o.get("NOT_IN") {
                Ok(Cond::NotIn(a, list(l)?))
            } else {
                Err("only IN and NOT_IN are supported".into())
            }
        }
        _ => Err("a string, {\"IN\": [...]} or {\"NOT_IN\": [...]}".into()),
    }
}

/// `LENGTH`: a number, or one comparison `{"==" | ">=" | "<=" | ">" | "<" | "!=": n}`.
fn length_cond(v: &Value) -> Result<Cond, String> {
    use std::cmp::Ordering::{Equal, Greater, Less};
    let num = |v: &Value| {
        v.as_u64()
            .and_then(|n| usize::try_from(n).ok())
            .ok_or_else(|| "LENGTH takes a whole number".to_string())
    };
    if let Some(o) = v.as_object()
        && o.len() == 1
        && let Some((op, n)) = o.iter().next()
    {
        let n = num(n)?;
        return match op.as_str() {
            "==" => Ok(Cond::Length(Equal, false, n)),
            ">=" => Ok(Cond::Length(Greater, true, n)),
            "<=" => Ok(Cond::Length(Less, true, n)),
            ">" => Ok(Cond::Length(Greater, false, n)),
            "<" => Ok(Cond::Length(Less, false, n)),
            _ => Err(format!("LENGTH comparison {op:?} is not supported")),
        };
    }
    Ok(Cond::Length(Equal, false, num(v)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Document;

    fn set(kind: RuleKind, source: &str) -> RuleSet {
        RuleSet {
            name: "rules.jsonl".into(),
            kind,
            enabled: true,
            source: source.into(),
            default_label: None,
        }
    }

    fn found(kind: RuleKind, source: &str, text: &str) -> Vec<(String, &'static str, u32)> {
        let p = Project::with_documents(vec![Document::new("d", text)]);
        let (rules, _) = RuleSetRules::compile(&set(kind, source), &p).unwrap();
        let t = Text::new(text.to_string());
        let names = ["PERSON", "PLACE", "ORG", "DATE", "QUOTE"];
        rules
            .find(&t)
            .into_iter()
            .map(|(s, line)| {
                (
                    t.slice(s.start(), s.end()).to_string(),
                    names[s.label().0 as usize],
                    line,
                )
            })
            .collect()
    }

    #[test]
    fn phrases_match_on_token_boundaries() {
        let src = r#"{"label": "ORG", "pattern": "Doha Agreement", "id": "doha"}
{"label": "PLACE", "pattern": "Doha"}
{"label": "PLACE", "pattern": "Kabul"}
{"label": "ORG", "pattern": "Taliban"}"#;
        let got = found(
            RuleKind::Patterns,
            src,
            "The Doha Agreement, Kabuli food, Kabul's airport; Taliban's men.",
        );
        assert_eq!(
            got,
            [
                ("Doha".into(), "PLACE", 2),
                ("Doha Agreement".into(), "ORG", 1),
                ("Kabul".into(), "PLACE", 3),
                ("Taliban".into(), "ORG", 4),
            ]
        );
    }

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

    #[test]
    fn regexes_give_char_offsets() {
        let src = r#"{"label": "DATE", "regex": "\\b\\d{4}\\b"}"#;
        let text = "👨‍👩‍👧 東京 2025 and 1999";
        let p = Project::with_documents(vec![Document::new("d", text)]);
        let (rules, _) = RuleSetRules::compile(&set(RuleKind::Patterns, src), &p).unwrap();
        let spans: Vec<(usize, usize)> = rules
            .find(&Text::new(text.into()))
            .iter()
            .map(|(s, _)| (s.start(), s.end()))
            .collect();
        assert_eq!(spans, [(9, 13), (18, 22)]);
    }

    /// A regex match inside a grapheme (an emoji of a ZWJ family, a combining accent,
    /// the ZWJ itself) is widened to the whole grapheme, which the view can select.
    #[test]
    fn regex_matches_never_split_a_grapheme() {
        let text = "👨‍👩‍👧 cafe\u{301} 🇦🇫 ok";
        let src = r#"{"label": "DATE", "regex": "\\p{Emoji_Presentation}"}
{"label": "PLACE", "regex": "\\u0301"}
{"label": "ORG", "regex": "\\u200d"}
{"label": "QUOTE", "regex": "o"}"#;
        let got = found(RuleKind::Patterns, src, text);
        let family = "👨‍👩‍👧".to_string();
        assert_eq!(
            got,
            [
                (family.clone(), "ORG", 3),
                (family.clone(), "DATE", 1),
                ("e\u{301}".to_string(), "PLACE", 2),
                ("🇦🇫".to_string(), "DATE", 1),
                ("o".to_string(), "QUOTE", 4),
            ]
        );
        // Every span starts and ends on a grapheme edge.
        use unicode_segmentation::UnicodeSegmentation;
        let edges: Vec<usize> = text
            .grapheme_indices(true)
            .map(|(b, _)| text[..b].chars().count())
            .chain([text.chars().count()])
            .collect();
        let p = Project::with_documents(vec![Document::new("d", text)]);
        let (rules, _) = RuleSetRules::compile(&set(RuleKind::Patterns, src), &p).unwrap();
        for (span, _) in rules.find(&Text::new(text.into())) {
            assert!(
                edges.contains(&span.start()) && edges.contains(&span.end()),
                "{span:?}"
            );
        }
    }

    #[test]
    fn same_result_on_any_number_of_threads_and_regexes_shared() {
        let src = r#"{"label": "PLACE", "pattern": "Kabul"}
{"label": "DATE", "regex": "\\b\\d{4}\\b"}
{"label": "ORG", "regex": "(?i)\\btaliban\\b"}
{"label": "PLACE", "pattern": [{"LOWER": "bagram"}]}
{"label": "QUOTE", "regex": "\\b\\d{4}\\b"}
{"label": "DATE", "regex": "\\b\\d{4}\\b"}
{"label": "PERSON", "regex": "\\b[A-Z]\\w+ [A-Z]\\w+"}"#;
        let text = crate::synth::text(20_000, 3);
        let p = Project::with_documents(vec![Document::new("d", text.as_str())]);
        let (rules, _) = RuleSetRules::compile(&set(RuleKind::Patterns, src), &p).unwrap();
        // The duplicate DATE regex (line 6) adds no rule; line 5's QUOTE does.
        assert_eq!(rules.len(), 6);
        let t = Text::new(text);
        let one = rules.find_threads(&t, 1);
        assert!(one.iter().any(|(_, line)| *line == 5));
        assert!(!one.iter().any(|(_, line)| *line == 6));
        for threads in [2, 3, 8] {
            assert_eq!(rules.find_threads(&t, threads), one, "{threads} threads");
        }
    }

    #[test]
    fn dictionaries_with_and_without_labels() {
        let src = "# places\n\nKabul\tPLACE\nDoha Agreement\tORG\r\n";
        let got = found(RuleKind::Dictionary, src, "Kabul and the Doha Agreement");
        assert_eq!(
            got,
            [
                ("Kabul".into(), "PLACE", 3),
                ("Doha Agreement".into(), "ORG", 4)
            ]
        );
        let p = Project::default();
        let mut s = set(RuleKind::Dictionary, "Kabul\nBagram\n");
        let e = RuleSetRules::compile(&s, &p).unwrap_err();
        assert_eq!(e.line, 1);
        assert!(e.to_string().starts_with("rules.jsonl:1: no label"), "{e}");
        s.default_label = Some("PLACE".into());
        assert_eq!(RuleSetRules::compile(&s, &p).unwrap().0.len(), 2);
    }

    #[test]
    fn bad_lines_name_file_and_line_unknown_labels_warn() {
        let p = Project::default();
        let bad = |src: &str| {
            RuleSetRules::compile(&set(RuleKind::Patterns, src), &p)
                .unwrap_err()
                .to_string()
        };
        let ok = "{\"label\": \"ORG\", \"pattern\": \"x\"}\n\n";
        let e = bad(&format!("{ok}{{\"label\": \"ORG\", \"regex\": \"(\"}}"));
        assert!(e.starts_with("rules.jsonl:3: bad regex"), "{e}");
        let e = bad(&format!("{ok}not json"));
        assert!(e.starts_with("rules.jsonl:3: not a JSON object"), "{e}");
        let e = bad("{\"pattern\": \"x\"}");
        assert!(e.contains(":1: no \"label\""), "{e}");
        let e = bad("{\"label\": \"ORG\", \"pattern\": [{\"POS\": \"NOUN\"}]}");
        assert!(
            e.contains(":1: token 1: attribute \"POS\" is not supported"),
            "{e}"
        );
        let e = bad("{\"label\": \"ORG\", \"pattern\": [{\"OP\": \"{2}\"}]}");
        assert!(e.contains("OP"), "{e}");
        let (rules, warnings) = RuleSetRules::compile(
            &set(
                RuleKind::Patterns,
                &format!("{ok}{{\"label\": \"GPE\", \"pattern\": \"a\"}}\n{{\"label\": \"GPE\", \"pattern\": \"b\"}}"),
            ),
            &p,
        )
        .unwrap();
        assert_eq!(rules.len(), 1);
        assert_eq!(
            warnings,
            ["rules.jsonl:3: label \"GPE\" is not in the project: 2 rules skipped"]
        );
    }

    /// One long phrase (or labeled string) must not get a DFA, whose build grows with
    /// the square of its length: a linear NFA, and the phrase is still found.
    #[test]
    fn long_phrases_get_an_automaton_built_in_linear_time() {
        let words = [
            "Kabul",
            "Taliban",
            "Doha",
            "Agreement",
            "met",
            "the",
            "in",
            "a",
        ];
        let phrase: Vec<&str> = (0..16_000)
            .map(|i| words[(i * 7 + i / 5) % words.len()])
            .collect();
        let phrase = phrase.join(" ");
        let ac = automaton(&[&phrase]).unwrap();
        assert_ne!(ac.kind(), AhoCorasickKind::DFA);
        // Small sets still get the fastest automaton.
        assert_eq!(
            automaton(&["Kabul", "Doha"]).unwrap().kind(),
            AhoCorasickKind::DFA
        );
        let src = format!("{{\"label\": \"QUOTE\", \"pattern\": \"{phrase}\"}}");
        let text = format!("x. {phrase} y");
        let got = found(RuleKind::Patterns, &src, &text);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].0.len(), phrase.len());
    }

    /// A file of too many regexes, or of regexes too large together, stops at a limit
    /// with the file and the line, before it takes gigabytes.
    #[test]
    fn regex_limits_name_the_file_and_line() {
        let p = Project::default();
        let many: String = (0..=MAX_REGEXES)
            .map(|i| format!("{{\"label\": \"DATE\", \"regex\": \"x{i}\"}}\n"))
            .collect();
        let e = RuleSetRules::compile(&set(RuleKind::Patterns, &many), &p).unwrap_err();
        assert_eq!(e.line, MAX_REGEXES + 1);
        assert!(
            e.to_string()
                .starts_with("rules.jsonl:1001: more than 1000"),
            "{e}"
        );
        // The same regex on every line is one regex.
        let same = "{\"label\": \"DATE\", \"regex\": \"x\"}\n".repeat(MAX_REGEXES + 1);
        assert!(RuleSetRules::compile(&set(RuleKind::Patterns, &same), &p).is_ok());
        let unicode: String = (0..MAX_REGEXES)
            .map(|i| {
                format!("{{\"label\": \"DATE\", \"regex\": \"(?i)\\\\p{{L}}{{3}}\\\\w*{i}\"}}\n")
            })
            .collect();
        let e = RuleSetRules::compile(&set(RuleKind::Patterns, &unicode), &p).unwrap_err();
        assert!(e.line > 10 && e.line < MAX_REGEXES, "{e}");
        assert!(e.message.contains("more than the 64 MB"), "{e}");
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
