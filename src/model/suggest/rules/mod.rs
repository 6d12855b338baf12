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
//!
//! One file per job: `parse.rs` reads the formats (patterns JSONL lines, dictionaries;
//! file:line errors), `compile.rs` builds the matchers (the phrase automaton, the
//! regexes, the limits), `token_patterns.rs` is the token-pattern engine (the tokens,
//! their attributes, `OP`), and `find.rs` runs them over a text, on all cores. This
//! file holds what they share: the error, a parsed rule, the compiled rule set.

use aho_corasick::AhoCorasick;

use super::RuleKind;
use super::line_regex::LineRegex;
use crate::model::LabelId;
use token_patterns::TokenSpec;

mod compile;
mod find;
mod parse;
mod token_patterns;

pub use compile::MAX_REGEX_MEMORY;
pub(super) use compile::automaton;
pub use parse::{MAX_REGEXES, MAX_TOKEN_SPECS};
pub use token_patterns::{MAX_MATCH_TOKENS, tokens};

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
}

/// What the tests beside each part share: a rule set of a source, and what it finds in
/// a text of a project with the default labels.
#[cfg(test)]
mod testing {
    use super::RuleSetRules;
    use crate::model::suggest::{RuleKind, RuleSet};
    use crate::model::{Document, Project, Text};

    pub(super) fn set(kind: RuleKind, source: &str) -> RuleSet {
        RuleSet {
            name: "rules.jsonl".into(),
            kind,
            enabled: true,
            source: source.into(),
            default_label: None,
        }
    }

    pub(super) fn found(
        kind: RuleKind,
        source: &str,
        text: &str,
    ) -> Vec<(String, &'static str, u32)> {
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
}
