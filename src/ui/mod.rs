//! egui views. Each view reads state and pushes [`Action`]s; the app applies them after
//! drawing, so every project change goes through one place and one undo history.

pub mod chart;
pub mod compare;
pub mod dialogs;
pub mod doc_view;
pub mod documents;
pub mod emoji;
pub mod find;
pub mod find_all;
pub mod labels;
pub mod panels;
pub mod picker;
pub mod quick_open;
pub mod relation_list;
pub mod relation_types;
pub mod relations;
pub mod shortcuts;
pub mod stats;
pub mod suggestions;

use std::path::PathBuf;

use eframe::egui::{Color32, Key};

use crate::model::suggest::{RuleKind, RuleSet, SuggestSettings, Suggestion};
use crate::model::{
    DocId, Label, LabelId, Relation, RelationType, RelationTypeId, Rgb, Span, Status,
};

pub use doc_view::{DocView, Linking, ReadingPrefs, Selection, Suggested};

/// Something the user asked for. Views produce these; [`crate::app::SpanmarkApp::apply`]
/// carries them out.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Turn the selection into a span with this label, or relabel the selected span.
    ApplyLabel(LabelId),
    /// Remove the selected span.
    DeleteSelectedSpan,
    /// Clear the text selection and the selected span.
    ClearSelection,
    /// Select a span of the current document; `scroll` brings it into view.
    SelectSpan {
        /// The span.
        span: Span,
        /// Whether to scroll to it.
        scroll: bool,
    },
    /// Set the note on a span of document `doc` (an empty or blank note removes it), as
    /// one undo step. The document is named because the note field commits when it loses
    /// focus, which can be in the frame that switches to another document.
    SetNote {
        /// The document.
        doc: DocId,
        /// The span.
        span: Span,
        /// The note.
        note: String,
    },
    /// Delete a document (undoable).
    DeleteDocument(DocId),
    /// Show a document.
    SelectDocument(DocId),
    /// Set a document's status.
    SetStatus(DocId, Status),
    /// Undo the last step.
    Undo,
    /// Redo the last undone step.
    Redo,
    /// Start a new, empty project (asks about unsaved changes).
    New,
    /// Choose a project with the native dialog and open it.
    Open,
    /// Open the project at this path (asks about unsaved changes).
    OpenPath(PathBuf),
    /// Save to the current path, or ask for one.
    Save,
    /// Save under a new name chosen with the native dialog.
    SaveAs,
    /// Save to this path and make it the project's path.
    SaveToPath(PathBuf),
    /// Choose text files with the native dialog and add them as documents.
    AddDocuments,
    /// Add these text files as documents.
    AddDocumentPaths(Vec<PathBuf>),
    /// Choose files to import (.txt, .jsonl, brat .ann) with the native dialog.
    Import,
    /// Show the export dialog.
    Export,
    /// Export the project in a format to a path.
    ExportTo {
        /// The format.
        format: crate::io::export::Format,
        /// Tagging scheme for token formats.
        scheme: crate::io::export::Scheme,
        /// File (or, for brat, folder) to write.
        path: PathBuf,
    },
    /// Show the in-app path field (for desktops without a native dialog).
    PromptPath(PathPurpose),
    /// Close the window (asks about unsaved changes).
    Quit,
    /// Show the find bar and focus its field.
    Find,
    /// Select the next match (opens the find bar if it is closed).
    FindNext,
    /// Select the previous match (opens the find bar if it is closed).
    FindPrevious,
    /// The query or its options changed: select the first match from where the search began.
    FindChanged,
    /// Hide the find bar, keeping the current match selected.
    CloseFind,
    /// Show the go-to-document box (Ctrl+P).
    QuickOpen,
    /// Show the find-in-all-documents panel and focus its field (Ctrl+Shift+F).
    FindAll,
    /// Search every document (in the background on a large project).
    FindAllRun(find_all::Asked),
    /// Hide the find-in-all-documents panel.
    CloseFindAll,
    /// Show a match's document, select the match and scroll to it.
    GoToMatch(crate::model::search_all::Hit),
    /// Label every listed match (one undo step), skipping those a span of the label
    /// already overlaps.
    LabelResults(LabelId),
    /// Select the next span of the document (or the previous one), from the selected span,
    /// the selection, or the top of what is on screen; wraps around.
    StepSpan {
        /// Next (`true`) or previous.
        forward: bool,
    },
    /// Mark the document done and show the next document still to do.
    DoneAndNext,
    /// Label every other whole-word occurrence of the selected span's text (asks first,
    /// with the count): in this document, or in every document.
    LabelAllOccurrences {
        /// Every document, not only this one.
        everywhere: bool,
    },
    /// The same, confirmed: one undo step.
    LabelAllConfirmed {
        /// Every document, not only this one.
        everywhere: bool,
    },
    /// Show the label editor.
    OpenLabels,
    /// Show the searchable label picker.
    OpenLabelPicker,
    /// Choose a project file or labels.json to import labels from.
    ImportLabels,
    /// Add the labels of this file (a project or a labels.json) that are new here.
    ImportLabelsFrom(PathBuf),
    /// New projects start with this project's labels (remembered across runs).
    UseLabelsForNewProjects,
    /// New projects start with the built-in labels again.
    BuiltInLabelsForNewProjects,
    /// Show the statistics window.
    OpenStats,
    /// Add a label at the end.
    AddLabel(Label),
    /// Change a label's name, colour or hotkey.
    SetLabel {
        /// Which label.
        id: LabelId,
        /// What it becomes.
        label: Label,
    },
    /// Move a label to another place in the list.
    MoveLabel {
        /// Which label.
        id: LabelId,
        /// Its new place.
        to: usize,
    },
    /// Delete a label and its spans (asks first, naming how many spans go).
    DeleteLabel(LabelId),
    /// Delete a label and its spans; the user confirmed.
    DeleteLabelConfirmed(LabelId),
    /// Choose two or more annotators' project files (native dialog or path field) and
    /// compare them.
    CompareAnnotators,
    /// Compare these annotators' project files: the gold project of their agreed spans
    /// and disagreements becomes the workspace (asks about unsaved changes).
    ComparePaths(Vec<PathBuf>),
    /// Show View › Agreement.
    OpenAgreement,
    /// Show the next (or previous) disagreement, across documents; wraps around.
    StepDisagreement {
        /// Next (`true`) or previous.
        forward: bool,
    },
    /// Make disagreement `index` of the shown document the current one.
    SelectDisagreement(usize),
    /// Resolve the current disagreement with this choice (one undo step), then show the
    /// next one.
    Adjudicate(compare::Choice),
    /// Select a suggestion of the current document (clears the selection and the
    /// selected span); `scroll` brings it into view.
    SelectSuggestion {
        /// The suggestion.
        suggestion: Suggestion,
        /// Whether to scroll to it.
        scroll: bool,
    },
    /// Make the selected suggestion a span (one undo step); the next one is selected.
    AcceptSuggestion,
    /// Reject the selected suggestion (undoable; remembered in the project, so it is not
    /// proposed again); the next one is selected.
    RejectSuggestion,
    /// Select the next pending suggestion of the document (or the previous one), from
    /// the selected suggestion or span, the selection, or the top of the screen; wraps.
    StepSuggestion {
        /// Next (`true`) or previous.
        forward: bool,
    },
    /// Accept every pending suggestion (asks first, with the count): in this document,
    /// or in every document.
    AcceptAllSuggestions {
        /// Every document, not only this one.
        everywhere: bool,
    },
    /// The same, confirmed: one undo step.
    AcceptAllConfirmed {
        /// Every document, not only this one.
        everywhere: bool,
    },
    /// Replace the project's suggestion settings (one undo step), described for the
    /// undo menu as `what`.
    SetSuggestSettings {
        /// The new settings.
        settings: SuggestSettings,
        /// What changed, e.g. "turn off learned suggestions".
        what: String,
    },
    /// Choose a patterns file or a dictionary with the native dialog and use it.
    AddRuleFile(RuleKind),
    /// Read this patterns file or dictionary and use it (a dictionary without labels
    /// asks for its label first).
    AddRuleFileFrom {
        /// Patterns or dictionary.
        kind: RuleKind,
        /// The file.
        path: PathBuf,
    },
    /// Add a rule set read and checked already (one undo step).
    AddRuleSet(RuleSet),
    /// Ask for an external command to run as a suggestion source.
    AskCommand,
    /// Run this external command over every document in the background.
    RunCommand(String),
    /// Run the command last run for this project again (after marking more documents
    /// done, say).
    RunCommandAgain,
    /// Stop the running command.
    CancelCommand,
    /// Hide the command's suggestions scored below this (0 shows all).
    SetMinScore(f32),
    /// Tab steps through the most confident suggestions first (or in text order).
    SetConfidentFirst(bool),
    /// What the command's label `from` becomes: a project label, or `None` to drop it
    /// (saved in the project's label map, one undo step).
    MapCommandLabel {
        /// The command's label name.
        from: String,
        /// The project label's name, or `None`: dropped.
        to: Option<String>,
    },
    // --- relations (app/relations.rs) ---
    /// Link mode from the selected span (`R`): a click on a span, or Tab and Enter, links
    /// it; Esc cancels.
    StartLink,
    /// In link mode: the next (or previous) span it can be linked to.
    StepLinkTarget {
        /// Next (`true`) or previous.
        forward: bool,
    },
    /// In link mode: link to this span (one type fits: at once; several: a picker).
    LinkTo(Span),
    /// In link mode: link to the span Tab reached.
    LinkToTarget,
    /// Leave link mode.
    CancelLink,
    /// Add this relation to the shown document (one undo step).
    Link(Relation),
    /// Select a relation (or a suggested one) of the shown document; `scroll` brings it
    /// into view.
    SelectRelation {
        /// The relation.
        relation: Relation,
        /// Whether to scroll to it.
        scroll: bool,
    },
    /// Remove a relation of the shown document (one undo step).
    DeleteRelation(Relation),
    /// Give a relation of the shown document another type that allows its labels.
    ChangeRelationType {
        /// The relation.
        relation: Relation,
        /// Its new type.
        kind: RelationTypeId,
    },
    /// Add the selected suggested relation to the document (one undo step); the next
    /// one is selected.
    AcceptRelationSuggestion,
    /// Reject the selected suggested relation (remembered; undoable); the next one is
    /// selected.
    RejectRelationSuggestion,
    /// Relabel a span although relations that do not fit the label go with it (the
    /// user was asked).
    RelabelConfirmed {
        /// The document.
        doc: DocId,
        /// The span as it is.
        span: Span,
        /// Its new label.
        label: LabelId,
    },
    /// Add a relation type at the end.
    AddRelationType(RelationType),
    /// Change a relation type (name, colour, key, allowed labels).
    SetRelationType {
        /// Which type.
        id: RelationTypeId,
        /// What it becomes.
        kind: RelationType,
    },
    /// Move a relation type to another place in the list.
    MoveRelationType {
        /// Which type.
        id: RelationTypeId,
        /// Its new place.
        to: usize,
    },
    /// Delete a relation type and its relations (asks first, with the count).
    DeleteRelationType(RelationTypeId),
    /// The same, confirmed: one undo step.
    DeleteRelationTypeConfirmed(RelationTypeId),
}

/// What a typed path is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathPurpose {
    /// Open a project.
    Open,
    /// Save the project.
    Save,
    /// Add text, JSONL or brat files (one path per line).
    AddDocuments,
    /// Import labels from a project file or a labels.json.
    ImportLabels,
    /// Annotators' project files to compare (one path per line).
    Compare,
    /// A patterns file (JSONL) for suggestions.
    Patterns,
    /// A dictionary (gazetteer) for suggestions.
    Dictionary,
}

/// A count with its noun for messages: "1 span", "3 spans" (the command line's helper too).
pub use crate::model::count;

/// A label colour as egui colour.
pub fn color(rgb: Rgb) -> Color32 {
    let [r, g, b] = rgb.0;
    Color32::from_rgb(r, g, b)
}

/// A relation type's colour as drawn (arrows, swatches): lightened on a dark background,
/// where a dark arrow would vanish.
pub fn relation_color(rgb: Rgb, dark: bool) -> Color32 {
    let c = color(rgb);
    if dark {
        c.lerp_to_gamma(Color32::WHITE, 0.35)
    } else {
        c
    }
}

/// The keys that can be label hotkeys, with the char a label stores for each.
pub const HOTKEYS: [(Key, char); 36] = [
    (Key::Num1, '1'),
    (Key::Num2, '2'),
    (Key::Num3, '3'),
    (Key::Num4, '4'),
    (Key::Num5, '5'),
    (Key::Num6, '6'),
    (Key::Num7, '7'),
    (Key::Num8, '8'),
    (Key::Num9, '9'),
    (Key::Num0, '0'),
    (Key::A, 'a'),
    (Key::B, 'b'),
    (Key::C, 'c'),
    (Key::D, 'd'),
    (Key::E, 'e'),
    (Key::F, 'f'),
    (Key::G, 'g'),
    (Key::H, 'h'),
    (Key::I, 'i'),
    (Key::J, 'j'),
    (Key::K, 'k'),
    (Key::L, 'l'),
    (Key::M, 'm'),
    (Key::N, 'n'),
    (Key::O, 'o'),
    (Key::P, 'p'),
    (Key::Q, 'q'),
    (Key::R, 'r'),
    (Key::S, 's'),
    (Key::T, 't'),
    (Key::U, 'u'),
    (Key::V, 'v'),
    (Key::W, 'w'),
    (Key::X, 'x'),
    (Key::Y, 'y'),
    (Key::Z, 'z'),
];
