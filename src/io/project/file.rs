//! The project file's own versioned structs: what is written (`write.rs`) and what is
//! read and checked (`check.rs`). A file without a field added later reads as before
//! and is written byte for byte as before.

use serde::{Deserialize, Serialize};

use crate::model::suggest::{LabelMap, RuleKind, RuleSet, SuggestSettings};
use crate::model::{LabelId, RelationType, Status};

/// The project file version this spanmark writes and reads.
pub const CURRENT_VERSION: u32 = 1;

/// Deepest nesting RON may parse; the format needs 5 levels, and a hostile file nested
/// thousands deep must fail cleanly rather than exhaust the stack.
const RECURSION_LIMIT: usize = 32;

#[derive(Serialize)]
pub(super) struct FileOut<'a> {
    pub(super) version: u32,
    pub(super) labels: Vec<LabelFile>,
    pub(super) documents: Vec<DocumentOut<'a>>,
    /// Left out when the settings are the defaults, so such a file is written as before.
    #[serde(skip_serializing_if = "SuggestFile::is_default")]
    pub(super) suggest: SuggestFile,
    /// Left out when they are the default for the labels (SPEAKER where the labels have
    /// QUOTE and PERSON or ORG), so files without relations are written as before.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "as_list")]
    pub(super) relation_types: Option<Vec<RelationTypeFile>>,
}

/// An optional list written as the list itself (RON would write `Some([...])`).
pub(super) fn as_list<S: serde::Serializer, T: Serialize>(
    list: &Option<Vec<T>>,
    s: S,
) -> Result<S::Ok, S::Error> {
    list.as_deref().unwrap_or(&[]).serialize(s)
}

/// A list that may be absent: present is `Some` (even when empty).
fn some_list<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Vec<T>>, D::Error> {
    Vec::deserialize(d).map(Some)
}

/// A relation type as saved: labels by name.
#[derive(Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct RelationTypeFile {
    pub(super) name: String,
    pub(super) color: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) key: Option<char>,
    pub(super) from: Vec<String>,
    pub(super) to: Vec<String>,
}

impl RelationTypeFile {
    /// `t` with the labels named by `name`.
    pub(super) fn of(t: &RelationType, name: impl Fn(LabelId) -> String) -> Self {
        Self {
            name: t.name.clone(),
            color: t.color.to_hex(),
            key: t.hotkey,
            from: t.from.iter().map(|l| name(*l)).collect(),
            to: t.to.iter().map(|l| name(*l)).collect(),
        }
    }
}

/// A span a relation names: its range and label.
#[derive(Serialize, Deserialize)]
pub(super) struct SpanRefFile {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) label: String,
}

/// A relation as saved: both spans by value and the type by name (one line each).
#[derive(Serialize, Deserialize)]
pub(super) struct RelationFile {
    pub(super) from: SpanRefFile,
    pub(super) to: SpanRefFile,
    pub(super) label: String,
}

/// The suggestion settings as saved; a file without them has the defaults.
#[derive(Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct SuggestFile {
    pub(super) learned: bool,
    #[serde(default)]
    pub(super) ignore_case: bool,
    #[serde(default)]
    pub(super) rule_sets: Vec<RuleSetFile>,
    /// An external command's label name and the project label it becomes ("" drops
    /// it); left out when empty, so files without one are written as before.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) label_map: Vec<(String, String)>,
}

fn yes() -> bool {
    true
}

/// A patterns file or dictionary in use, its text inline.
#[derive(Serialize, Deserialize)]
pub(super) struct RuleSetFile {
    pub(super) name: String,
    pub(super) kind: RuleKindFile,
    #[serde(default = "yes")]
    pub(super) enabled: bool,
    pub(super) source: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) default_label: Option<String>,
}

#[derive(Serialize, Deserialize, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub(super) enum RuleKindFile {
    Patterns,
    Dictionary,
}

impl Default for SuggestFile {
    fn default() -> Self {
        Self::of(&SuggestSettings::default())
    }
}

impl SuggestFile {
    pub(super) fn is_default(&self) -> bool {
        self.learned && !self.ignore_case && self.rule_sets.is_empty() && self.label_map.is_empty()
    }

    pub(super) fn of(s: &SuggestSettings) -> Self {
        Self {
            learned: s.learned,
            ignore_case: s.ignore_case,
            rule_sets: s
                .rule_sets
                .iter()
                .map(|r| RuleSetFile {
                    name: r.name.clone(),
                    kind: match r.kind {
                        RuleKind::Patterns => RuleKindFile::Patterns,
                        RuleKind::Dictionary => RuleKindFile::Dictionary,
                    },
                    enabled: r.enabled,
                    source: r.source.clone(),
                    default_label: r.default_label.clone(),
                })
                .collect(),
            label_map: s
                .label_map
                .entries()
                .map(|(from, to)| (from.to_string(), to.unwrap_or_default().to_string()))
                .collect(),
        }
    }

    /// The settings, or what is wrong with the saved label map (a pair is checked as a
    /// `--map FROM=TO` entry is, except that its label may since have been deleted).
    pub(crate) fn into_settings(self) -> Result<SuggestSettings, String> {
        let entries: Vec<String> = self
            .label_map
            .iter()
            .map(|(from, to)| format!("{from}={to}"))
            .collect();
        let label_map = LabelMap::parse_entries(entries.as_slice(), |_| true)
            .map_err(|e| format!("suggest.label_map: {e}"))?;
        Ok(SuggestSettings {
            learned: self.learned,
            ignore_case: self.ignore_case,
            rule_sets: self
                .rule_sets
                .into_iter()
                .map(|r| RuleSet {
                    name: r.name,
                    kind: match r.kind {
                        RuleKindFile::Patterns => RuleKind::Patterns,
                        RuleKindFile::Dictionary => RuleKind::Dictionary,
                    },
                    enabled: r.enabled,
                    source: r.source,
                    default_label: r.default_label,
                })
                .collect(),
            label_map,
        })
    }
}

/// The settings a file holds (the defaults when it has none), or what is wrong with them.
pub(crate) fn settings_of(file: SuggestFile) -> Result<SuggestSettings, String> {
    file.into_settings()
}

#[derive(Serialize)]
pub(super) struct DocumentOut<'a> {
    pub(super) name: &'a str,
    pub(super) status: StatusFile,
    /// Written only by `spanmark split` (its place in the split project): left out
    /// otherwise, so other files are written as before.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) split_index: Option<usize>,
    pub(super) text: &'a str,
    pub(super) spans: Vec<SpanOut<'a>>,
    /// Left out when there are none, so files without relations are written as before.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) relations: Vec<RelationFile>,
    /// Rejected suggestions; left out when there are none (files stay as before).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) rejected: Vec<RejectedFile>,
    /// Rejected relation suggestions; left out when there are none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) rejected_relations: Vec<RelationFile>,
    // --- disagreements (team merge) ---
    /// Left out when empty, so a project without disagreements is written as before.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) disagreements: Vec<DisagreementOut<'a>>,
}

/// A disagreement: its region and each version's spans (one line per disagreement).
#[derive(Serialize)]
pub(super) struct DisagreementOut<'a> {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) versions: Vec<VersionOut<'a>>,
}

#[derive(Serialize)]
pub(super) struct VersionOut<'a> {
    pub(super) by: &'a str,
    pub(super) spans: Vec<SpanOut<'a>>,
    /// The version's links here (team merge); left out when none, so files without
    /// them are written as before.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) relations: Vec<RelationFile>,
}

/// A rejected suggestion as saved.
#[derive(Serialize, Deserialize)]
pub(super) struct RejectedFile {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) label: String,
}

#[derive(Serialize)]
pub(super) struct SpanOut<'a> {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) label: &'a str,
    /// Left out when empty, so a project without notes is written as before.
    #[serde(skip_serializing_if = "str::is_empty")]
    pub(super) note: &'a str,
}

#[derive(Deserialize)]
pub(crate) struct FileIn {
    pub(crate) version: u32,
    pub(crate) labels: Vec<LabelFile>,
    #[serde(default)]
    pub(crate) documents: Vec<DocumentIn>,
    /// Absent in files with default settings (and every file before suggestions).
    #[serde(default)]
    pub(crate) suggest: SuggestFile,
    /// Absent: the default relation types for the labels.
    #[serde(default, deserialize_with = "some_list")]
    pub(crate) relation_types: Option<Vec<RelationTypeFile>>,
}

#[derive(Deserialize)]
pub(crate) struct DocumentIn {
    pub(super) name: String,
    #[serde(default)]
    pub(super) status: StatusFile,
    /// Absent except in the projects `spanmark split` writes.
    #[serde(default)]
    pub(super) split_index: Option<usize>,
    pub(super) text: String,
    #[serde(default)]
    pub(super) spans: Vec<SpanIn>,
    /// Absent in files without relations.
    #[serde(default)]
    pub(super) relations: Vec<RelationFile>,
    #[serde(default)]
    pub(super) rejected: Vec<RejectedFile>,
    /// Absent in files without rejected relation suggestions.
    #[serde(default)]
    pub(super) rejected_relations: Vec<RelationFile>,
    // --- disagreements (team merge) ---
    /// Absent in files without disagreements.
    #[serde(default)]
    pub(super) disagreements: Vec<DisagreementIn>,
}

#[derive(Deserialize)]
pub(super) struct DisagreementIn {
    pub(super) start: usize,
    pub(super) end: usize,
    #[serde(default)]
    pub(super) versions: Vec<VersionIn>,
}

#[derive(Deserialize)]
pub(super) struct VersionIn {
    pub(super) by: String,
    /// Notes are not kept on version spans; one in the file is ignored.
    #[serde(default)]
    pub(super) spans: Vec<SpanIn>,
    /// Absent where the version has no links.
    #[serde(default)]
    pub(super) relations: Vec<RelationFile>,
}

#[derive(Deserialize)]
pub(super) struct SpanIn {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) label: String,
    /// Absent in files without notes (and in every file before notes existed).
    #[serde(default)]
    pub(super) note: String,
}

#[derive(Serialize, Deserialize)]
pub(crate) struct LabelFile {
    pub(super) name: String,
    pub(super) color: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) key: Option<char>,
}

#[derive(Serialize, Deserialize, Default, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub(super) enum StatusFile {
    #[default]
    Todo,
    InProgress,
    Done,
}

/// Only the version, to explain a file that does not parse as the current format.
#[derive(Deserialize)]
pub(super) struct VersionProbe {
    pub(super) version: u32,
}

impl From<Status> for StatusFile {
    fn from(s: Status) -> Self {
        match s {
            Status::Todo => Self::Todo,
            Status::InProgress => Self::InProgress,
            Status::Done => Self::Done,
        }
    }
}

impl From<StatusFile> for Status {
    fn from(s: StatusFile) -> Self {
        match s {
            StatusFile::Todo => Self::Todo,
            StatusFile::InProgress => Self::InProgress,
            StatusFile::Done => Self::Done,
        }
    }
}

pub(crate) fn ron_options() -> ron::Options {
    ron::Options::default().with_recursion_limit(RECURSION_LIMIT)
}
