//! The unsaved-changes flow: "Save the changes before …?" and what happens after.

use crate::ui::Action;

/// Where the unsaved-changes flow stands. One value instead of separate flags, so that an
/// action waiting for a save can neither be forgotten nor carried out twice.
#[derive(Clone, Debug, Default, PartialEq)]
pub(super) enum Guard {
    /// Nothing waits.
    #[default]
    Idle,
    /// The question is open for this action.
    Asking(Action),
    /// The user chose Save: the action goes on once the save has succeeded, which may
    /// first need a path typed or an overwrite confirmed. A failed or cancelled save
    /// drops it.
    AfterSave(Action),
}

impl Guard {
    /// Whether `action` would throw away unsaved changes, so it must ask first.
    pub fn guards(action: &Action) -> bool {
        matches!(
            action,
            Action::New
                | Action::Open
                | Action::OpenPath(_)
                | Action::ComparePaths(_)
                | Action::Quit
        )
    }

    /// The action the question is open for.
    pub fn asking(&self) -> Option<&Action> {
        match self {
            Self::Asking(a) => Some(a),
            _ => None,
        }
    }

    /// The action waiting for a save to succeed, taken out.
    pub fn take_after_save(&mut self) -> Option<Action> {
        match std::mem::take(self) {
            Self::AfterSave(a) => Some(a),
            other => {
                *self = other;
                None
            }
        }
    }

    /// A save was cancelled or failed: whatever waited for it does not happen.
    pub fn save_abandoned(&mut self) {
        if matches!(self, Self::AfterSave(_)) {
            *self = Self::Idle;
        }
    }
}

/// How the question names what is about to happen.
pub(super) fn doing(action: &Action) -> &'static str {
    match action {
        Action::Quit => "closing",
        Action::New => "starting a new project",
        Action::ComparePaths(_) => "comparing annotators",
        _ => "opening another project",
    }
}
