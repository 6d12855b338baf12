//! Plain data and pure operations: projects, documents, spans, labels, edits and the
//! undo history. No UI and no file IO; invariants are enforced by constructors.

pub mod agreement;
pub mod disagreement;
mod document;
mod edit;
mod edits;
pub mod flat;
pub mod fuzzy;
mod history;
mod ids;
pub mod label;
pub mod merge;
pub mod motion;
pub mod occurrences;
mod plural;
mod project;
pub mod relation;
mod relation_edits;
pub mod search;
pub mod search_all;
mod span;
pub mod suggest;
pub mod team;
pub mod text;
pub mod tokens;

pub use disagreement::Disagreement;
pub use document::{DocId, Document, Status};
pub use edit::Edit;
pub use history::{Moved, Workspace};
pub use label::{Label, PALETTE, Rgb, default_labels};
pub use plural::{count, plural};
pub use project::{Project, unique_name};
pub use relation::{Relation, RelationSet, RelationType, RelationTypeId};
pub use span::{LabelId, Span, SpanSet};
pub use text::Text;

/// A change counter: a fresh number, unique in the process, each time what it stamps
/// changes (a clone keeps it). Derived-data caches (the suggestion
/// engine) key on it. It never takes part in equality: two equal projects may carry
/// different stamps.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Stamp(u64);

static STAMPS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

impl Stamp {
    /// A number no other stamp has had.
    pub(crate) fn fresh() -> Self {
        Self(STAMPS.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
    }

    /// The number.
    pub(crate) fn get(self) -> u64 {
        self.0
    }
}

impl PartialEq for Stamp {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for Stamp {}

/// Why a model operation was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModelError {
    /// `start >= end`.
    #[error("span {start}..{end} is empty (start must be before end)")]
    EmptySpan {
        /// Start offset.
        start: usize,
        /// End offset.
        end: usize,
    },
    /// The span ends past the text.
    #[error("span {start}..{end} lies outside the text ({})", count(*.len, "character"))]
    SpanOutOfBounds {
        /// Start offset.
        start: usize,
        /// End offset.
        end: usize,
        /// Text length in chars.
        len: usize,
    },
    /// The same range already carries the same label.
    #[error("that exact span ({start}..{end}, same label) already exists")]
    DuplicateSpan {
        /// Start offset.
        start: usize,
        /// End offset.
        end: usize,
    },
    /// A span to remove is not in the document.
    #[error("no span {start}..{end} with that label")]
    NoSuchSpan {
        /// Start offset.
        start: usize,
        /// End offset.
        end: usize,
    },
    /// A label id does not name a label of the project.
    #[error("label #{0} is not defined")]
    UnknownLabel(u32),
    /// Two labels share a name.
    #[error("label {0:?} is defined twice")]
    DuplicateLabel(String),
    /// A label to remove is still used by a span.
    #[error("the label is still used by spans")]
    LabelInUse,
    /// More labels than ids.
    #[error("too many labels (at most {} are possible)", u16::MAX)]
    TooManyLabels,
    /// The document is not in the project (deleted meanwhile).
    #[error("that document is not in the project")]
    NoSuchDocument,
    /// Two documents would share a name (or an id).
    #[error("a document named {0:?} is already in the project")]
    DuplicateDocument(String),
    /// A place past the end of a list (documents or labels).
    #[error("no place #{0} in the list")]
    NoSuchPlace(usize),
    /// A relation from a span to itself.
    #[error("a relation cannot link span {start}..{end} to itself")]
    SelfRelation {
        /// Start offset.
        start: usize,
        /// End offset.
        end: usize,
    },
    /// The same relation (ends and type) already exists.
    #[error("that relation already exists")]
    DuplicateRelation,
    /// A relation to remove is not in the document.
    #[error("no such relation")]
    NoSuchRelation,
    /// A relation type id does not name a relation type of the project.
    #[error("relation type #{0} is not defined")]
    UnknownRelationType(u32),
    /// Two relation types share a name.
    #[error("relation type {0:?} is defined twice")]
    DuplicateRelationType(String),
    /// A relation whose ends' labels its type does not allow.
    #[error("{kind} does not link {from} to {to}")]
    RelationDoesNotFit {
        /// The type's name.
        kind: String,
        /// The label at the start.
        from: String,
        /// The label at the end.
        to: String,
    },
    /// Relations still use the relation type (or need what the change takes away).
    #[error("{0} relation(s) still use it")]
    RelationTypeInUse(usize),
    /// The suggestion is already rejected.
    #[error("suggestion {start}..{end} is already rejected")]
    AlreadyRejected {
        /// Start offset.
        start: usize,
        /// End offset.
        end: usize,
    },
    /// The suggestion to un-reject is not rejected.
    #[error("suggestion {start}..{end} is not rejected")]
    NotRejected {
        /// Start offset.
        start: usize,
        /// End offset.
        end: usize,
    },
    /// A label needs a name.
    #[error("a label needs a name")]
    EmptyLabelName,
    /// A label name breaks the rule of [`label::check_label_name`].
    #[error("label {name:?} cannot be used: {reason}")]
    BadLabelName {
        /// The name as given.
        name: String,
        /// Why it is refused.
        reason: &'static str,
    },
    /// A relation type name breaks the rule of [`relation::check_relation_type_name`].
    #[error("relation type {name:?} cannot be used: {reason}")]
    BadRelationTypeName {
        /// The name as given.
        name: String,
        /// Why it is refused.
        reason: &'static str,
    },
    /// Another label already has this hotkey.
    #[error("key {key} already labels {label}")]
    HotkeyTaken {
        /// The key.
        key: char,
        /// The label that has it.
        label: String,
    },
    /// A command key of the document view cannot be a label key.
    #[error("key {key} is a command key (it {command}), not a label key")]
    CommandKey {
        /// The key.
        key: char,
        /// What it does.
        command: &'static str,
    },
    // --- disagreements (team merge) ---
    /// A disagreement index is out of range.
    #[error("no disagreement #{0}")]
    NoSuchDisagreement(usize),
    /// A disagreement's range is empty.
    #[error("disagreement {start}..{end} is empty (start must be before end)")]
    EmptyDisagreement {
        /// Start offset.
        start: usize,
        /// End offset.
        end: usize,
    },
    /// A disagreement lists links for a version it does not have.
    #[error("a disagreement lists links for version #{0}, which it does not have")]
    NoSuchVersion(usize),
    /// A disagreement put back at a place that breaks their order by start.
    #[error("disagreement #{0} does not belong there (they are kept sorted by start)")]
    DisagreementOutOfOrder(usize),
}
