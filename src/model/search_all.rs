//! Find in all documents: text or a regular expression over every document's text, the
//! matches as (document, char range), a snippet of context for each, and labelling them
//! all as one undo step.
//!
//! Plain text ignores case as the find bar does ([`super::search::fold`]: offsets never
//! shift); a regex ignores case with the `regex` crate's own Unicode simple case folding,
//! which reports byte offsets into the original text, so offsets are exact either way.

use regex::{Regex, RegexBuilder};

use super::search::{find_in, fold};
use super::{DocId, Edit, LabelId, Project, Span, Text};

/// At most this many matches are listed ("first 10,000 matches").
pub const MAX_RESULTS: usize = 10_000;

/// The compiled program of a regex may use this much memory: a pattern such as
/// `\w{1000}{1000}` is refused at once instead of taking the machine's memory and time.
pub const REGEX_SIZE_LIMIT: usize = 2 << 20;

/// The lazy DFA's cache for one regex; past it the engine falls back to slower (still
/// linear) matching, never to more memory.
const DFA_SIZE_LIMIT: usize = 8 << 20;

/// A pattern longer than this (in bytes) is refused before compiling.
pub const MAX_PATTERN: usize = 10_000;

/// What to look for, checked and compiled.
#[derive(Clone, Debug)]
pub enum Finder {
    /// Plain text (folded already when ignoring case).
    Text {
        /// The text to find.
        needle: String,
        /// Whether case matters.
        match_case: bool,
    },
    /// A regular expression (case-insensitive when built so).
    Regex(Regex),
}

/// Why a search could not start: shown in the find box as is.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FindError {
    /// Nothing to find.
    #[error("Type something to find.")]
    Empty,
    /// The pattern is too long.
    #[error("The pattern is too long ({0} bytes; at most {MAX_PATTERN}).")]
    TooLong(usize),
    /// The regex does not parse, or compiles too large.
    #[error("Not a valid regular expression: {0}")]
    Regex(String),
}

impl Finder {
    /// Checks and compiles `pattern`: plain text, or a regex when `regex`.
    pub fn new(pattern: &str, regex: bool, match_case: bool) -> Result<Self, FindError> {
        if pattern.is_empty() {
            return Err(FindError::Empty);
        }
        if pattern.len() > MAX_PATTERN {
            return Err(FindError::TooLong(pattern.len()));
        }
        if !regex {
            let needle = if match_case {
                pattern.to_string()
            } else {
                fold(pattern)
            };
            return Ok(Self::Text { needle, match_case });
        }
        RegexBuilder::new(pattern)
            .case_insensitive(!match_case)
            .size_limit(REGEX_SIZE_LIMIT)
            .dfa_size_limit(DFA_SIZE_LIMIT)
            .build()
            .map(Self::Regex)
            // The crate's message points at the error with a caret under the pattern;
            // one line reads better in a box.
            .map_err(|e| FindError::Regex(one_line(&e.to_string())))
    }

    /// The matches in `text` as char ranges, left to right, not overlapping, at most
    /// `limit` (and whether there were more). Empty regex matches are skipped: there is
    /// nothing to select or label.
    pub fn find(&self, text: &str, limit: usize) -> (Vec<(usize, usize)>, bool) {
        match self {
            Self::Text { needle, match_case } => {
                let m = if *match_case {
                    find_in(text, needle)
                } else {
                    find_in(&fold(text), needle)
                };
                let more = m.truncated || m.ranges.len() > limit;
                let mut ranges = m.ranges;
                ranges.truncate(limit);
                (ranges, more)
            }
            Self::Regex(re) => {
                let mut out = Vec::new();
                let (mut byte, mut chars) = (0, 0);
                for m in re.find_iter(text) {
                    if m.is_empty() {
                        continue;
                    }
                    if out.len() == limit {
                        return (out, true);
                    }
                    chars += text[byte..m.start()].chars().count();
                    let len = m.as_str().chars().count();
                    out.push((chars, chars + len));
                    chars += len;
                    byte = m.end();
                }
                (out, false)
            }
        }
    }
}

/// The error message's lines joined: `regex` reports a parse error over several lines.
fn one_line(s: &str) -> String {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.chars().all(|c| c == '^' || c == ' '))
        .collect::<Vec<_>>()
        .join(" ")
}

/// One match: the document and the char range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hit {
    /// The document.
    pub doc: DocId,
    /// First char.
    pub start: usize,
    /// Past the last char.
    pub end: usize,
}

/// What a search found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Found {
    /// The matches in document order, then left to right; at most [`MAX_RESULTS`].
    pub hits: Vec<Hit>,
    /// Whether more matches were left out (the list holds the first ones).
    pub truncated: bool,
    /// How many documents were searched.
    pub searched: usize,
}

/// Searches the documents in order, stopping after `limit` matches.
pub fn find_everywhere<'a>(
    finder: &Finder,
    docs: impl IntoIterator<Item = (DocId, &'a str)>,
    limit: usize,
) -> Found {
    let mut found = Found::default();
    for (doc, text) in docs {
        found.searched += 1;
        let (ranges, more) = finder.find(text, limit - found.hits.len());
        found.hits.extend(
            ranges
                .into_iter()
                .map(|(start, end)| Hit { doc, start, end }),
        );
        // Once full, the next documents are searched for one more match only, so that
        // "first N" is never said of exactly N.
        if more {
            found.truncated = true;
            break;
        }
    }
    found
}

/// A match with its context, for a results list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snippet {
    /// The text before the match ("…" first when cut).
    pub before: String,
    /// The match ("…" last when cut).
    pub matched: String,
    /// The text after it ("…" last when cut).
    pub after: String,
}

/// The match `start..end` of `text` with up to `around` chars on either side, each run
/// of whitespace (line breaks too) shown as one space so it fits one row.
pub fn snippet(text: &Text, start: usize, end: usize, around: usize) -> Snippet {
    let len = text.char_len();
    let (start, end) = (start.min(len), end.min(len));
    let from = start.saturating_sub(around);
    let to = (end + around).min(len);
    let flat = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    // Keep a leading / trailing space: the match should not stick to its context.
    let edge = |s: &str, at_start: bool| {
        let f = flat(s);
        let ws = |c: Option<char>| c.is_some_and(char::is_whitespace);
        match at_start {
            true if ws(s.chars().next_back()) && !f.is_empty() => format!("{f} "),
            false if ws(s.chars().next()) && !f.is_empty() => format!(" {f}"),
            _ => f,
        }
    };
    let mut before = edge(text.slice(from, start), true);
    if from > 0 {
        before.insert(0, '…');
    }
    let cut = end.min(start + 2 * around.max(20));
    let mut matched = flat(text.slice(start, cut));
    if cut < end {
        matched.push('…');
    }
    let mut after = edge(text.slice(end, to), false);
    if to < len {
        after.push('…');
    }
    Snippet {
        before,
        matched,
        after,
    }
}

/// What labelling every match would do: the edits (one `SetSpans` per document, so one
/// undo step), how many spans they add, and how many matches were skipped because a span
/// of that label already overlaps them (or their document is gone).
pub struct LabelResults {
    /// The edits.
    pub edits: Vec<Edit>,
    /// Spans added.
    pub added: usize,
    /// Matches skipped.
    pub skipped: usize,
}

/// Labels every hit as `label`, skipping those that overlap a span of the same label.
pub fn label_results(project: &Project, hits: &[Hit], label: LabelId) -> LabelResults {
    let mut out = LabelResults {
        edits: Vec::new(),
        added: 0,
        skipped: 0,
    };
    // Hits come grouped by document; a list built by hand might not be.
    let mut by_doc: Vec<(DocId, Vec<Span>)> = Vec::new();
    let mut place: std::collections::HashMap<DocId, usize> = Default::default();
    for hit in hits {
        let Some(doc) = project.document(hit.doc) else {
            out.skipped += 1;
            continue;
        };
        let taken = |s: usize, e: usize| doc.spans().overlapping(s, e).any(|o| o.label() == label);
        let span = match Span::new(hit.start, hit.end, label) {
            Ok(span) if hit.end <= doc.text().char_len() && !taken(hit.start, hit.end) => span,
            _ => {
                out.skipped += 1;
                continue;
            }
        };
        let k = *place.entry(hit.doc).or_insert_with(|| {
            by_doc.push((hit.doc, Vec::new()));
            by_doc.len() - 1
        });
        by_doc[k].1.push(span);
    }
    for (_, new) in &mut by_doc {
        // Matches of one search never overlap each other; a list built by hand might.
        new.sort_unstable_by_key(|s| (s.start(), s.end()));
        let before = new.len();
        let mut end = 0;
        new.retain(|s| {
            let keep = s.start() >= end;
            end = end.max(s.end());
            keep
        });
        out.skipped += before - new.len();
    }
    for (doc, new) in by_doc {
        let Some(d) = project.document(doc) else {
            continue;
        };
        out.added += new.len();
        let mut spans: Vec<Span> = d.spans().iter().copied().collect();
        spans.extend(new);
        out.edits.push(Edit::SetSpans {
            doc,
            spans,
            notes: None,
            relations: None,
        });
    }
    out
}

#[cfg(test)]
mod tests;
