//! The suggestion settings a project carries (plain data, saved in the project file):
//! which sources are on, the rule sets in use with their text inline, and the label map
//! an external command's answers go through.

use super::LabelMap;

/// What kind of file a rule set came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RuleKind {
    /// spaCy EntityRuler / Prodigy JSONL: phrase and token patterns, and spanmark's
    /// `{"label", "regex"}` lines.
    Patterns,
    /// A gazetteer: `text<TAB>label` lines (or one name per line with
    /// [`RuleSet::default_label`]), `#` comments.
    Dictionary,
}

/// A patterns file or dictionary in use, its contents inline so the project carries it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleSet {
    /// File name shown to the user (and in error messages).
    pub name: String,
    /// Patterns or dictionary.
    pub kind: RuleKind,
    /// Switched on.
    pub enabled: bool,
    /// The file's text.
    pub source: String,
    /// The label of dictionary lines that name none.
    pub default_label: Option<String>,
}

/// Settings that live in the Project (saved as optional fields of the project file).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SuggestSettings {
    /// Learned-from-project source on (default true).
    pub learned: bool,
    /// Learned matching ignores case (default false).
    pub ignore_case: bool,
    /// Patterns files and dictionaries in use, contents inline.
    pub rule_sets: Vec<RuleSet>,
    /// What an external command's labels become (only data: the command line itself is
    /// never saved in a project).
    pub label_map: LabelMap,
}

impl Default for SuggestSettings {
    fn default() -> Self {
        Self {
            learned: true,
            ignore_case: false,
            rule_sets: Vec::new(),
            label_map: LabelMap::new(),
        }
    }
}
