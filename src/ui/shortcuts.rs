//! Keyboard shortcuts, defined once so that menus show exactly what the keys do, and the
//! one place where key presses become [`Action`]s.

use eframe::egui::{self, Key, KeyboardShortcut, Modifiers};

use super::{Action, HOTKEYS};
use crate::model::{Project, Relation};

/// New project.
pub const NEW: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::N);
/// Open project.
pub const OPEN: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::O);
/// Save.
pub const SAVE: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::S);
/// Save as.
pub const SAVE_AS: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::S);
/// Undo.
pub const UNDO: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Z);
/// Redo.
pub const REDO: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::Z);
/// Redo, the other common binding.
pub const REDO_Y: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Y);
/// Export.
pub const EXPORT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::E);
/// Quit.
pub const QUIT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Q);
/// Find in the document.
pub const FIND: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::F);
/// Go to a document by name.
pub const QUICK_OPEN: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::P);
/// Find in all documents.
pub const FIND_ALL: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::F);
/// The label editor.
pub const LABELS: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::L);
/// The searchable label picker.
pub const PICK_LABEL: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::K);
/// Select the next span; while the document has pending suggestions, the next
/// suggestion instead ([`NEXT_SUGGESTION`], the same key).
pub const NEXT_SPAN: KeyboardShortcut = KeyboardShortcut::new(Modifiers::NONE, Key::Tab);
/// Select the previous span (the previous suggestion while there are pending ones).
pub const PREVIOUS_SPAN: KeyboardShortcut = KeyboardShortcut::new(Modifiers::SHIFT, Key::Tab);
/// Select the next suggestion: Tab, while the document has pending suggestions.
pub const NEXT_SUGGESTION: KeyboardShortcut = NEXT_SPAN;
/// Select the previous suggestion: Shift+Tab, while the document has pending suggestions.
pub const PREVIOUS_SUGGESTION: KeyboardShortcut = PREVIOUS_SPAN;
/// Accept the selected suggestion.
pub const ACCEPT_SUGGESTION: KeyboardShortcut = KeyboardShortcut::new(Modifiers::NONE, Key::Enter);
/// Reject the selected suggestion (takes the key from a label that has it as its key
/// while a suggestion is selected).
pub const REJECT_SUGGESTION: KeyboardShortcut = KeyboardShortcut::new(Modifiers::NONE, Key::X);
/// Link the selected span to another (a command key: never a label's key, see
/// [`crate::model::label::COMMAND_KEYS`]).
pub const LINK: KeyboardShortcut = KeyboardShortcut::new(Modifiers::NONE, Key::R);
/// In link mode: the next span it can be linked to (Tab, as for spans).
pub const NEXT_LINK_TARGET: KeyboardShortcut = NEXT_SPAN;
/// In link mode: link to the span Tab reached.
pub const LINK_TARGET: KeyboardShortcut = KeyboardShortcut::new(Modifiers::NONE, Key::Enter);
/// Leave link mode (or clear the selection).
pub const CANCEL: KeyboardShortcut = KeyboardShortcut::new(Modifiers::NONE, Key::Escape);
/// Accept the selected suggested relation (Enter, as for span suggestions).
pub const ACCEPT_RELATION: KeyboardShortcut = ACCEPT_SUGGESTION;
/// Reject the selected suggested relation (X, as for span suggestions).
pub const REJECT_RELATION: KeyboardShortcut = REJECT_SUGGESTION;
/// Delete the selected span, or the selected relation.
pub const DELETE: KeyboardShortcut = KeyboardShortcut::new(Modifiers::NONE, Key::Delete);
/// Mark the document done and open the next to-do one.
pub const DONE_AND_NEXT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Enter);
/// Next match.
pub const FIND_NEXT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::NONE, Key::F3);
/// Previous match.
pub const FIND_PREVIOUS: KeyboardShortcut = KeyboardShortcut::new(Modifiers::SHIFT, Key::F3);
/// Bigger document text (`=` is `+` unshifted on most keyboards). The document view reads
/// these itself ([`super::ReadingPrefs::handle_keys`]); egui's own zoom keys are off.
pub const TEXT_BIGGER: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Equals);
/// Bigger document text, the keypad or shifted key.
pub const TEXT_BIGGER_PLUS: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Plus);
/// Smaller document text.
pub const TEXT_SMALLER: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Minus);
/// Default document text size.
pub const TEXT_RESET: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Num0);

/// Show the next disagreement (Alt: the plain arrows move the caret).
pub const NEXT_DISAGREEMENT: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::ALT, Key::ArrowDown);
/// Show the previous disagreement.
pub const PREVIOUS_DISAGREEMENT: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::ALT, Key::ArrowUp);
/// Take version A (the first annotator, "ours" in a git conflict). Alt: plain letters are
/// label keys.
pub const TAKE_A: KeyboardShortcut = KeyboardShortcut::new(Modifiers::ALT, Key::A);
/// Take version B (the second annotator, "theirs").
pub const TAKE_B: KeyboardShortcut = KeyboardShortcut::new(Modifiers::ALT, Key::B);
/// Take every version's spans ("union").
pub const TAKE_BOTH: KeyboardShortcut = KeyboardShortcut::new(Modifiers::ALT, Key::U);
/// Take no span there.
pub const TAKE_NEITHER: KeyboardShortcut = KeyboardShortcut::new(Modifiers::ALT, Key::N);
/// Alt+1 … Alt+9: take annotator k's version.
pub const TAKE_K: [Key; 9] = [
    Key::Num1,
    Key::Num2,
    Key::Num3,
    Key::Num4,
    Key::Num5,
    Key::Num6,
    Key::Num7,
    Key::Num8,
    Key::Num9,
];

/// In the span panel's note field: save the note (Enter alone starts a new line).
pub const COMMIT_NOTE: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Enter);

/// What decides which keys are live this frame.
#[derive(Clone, Copy, Debug)]
pub struct KeyState {
    /// An open, save or export runs with its progress dialog: no key does anything.
    pub busy: bool,
    /// A dialog or question is open: only the file shortcuts work.
    pub modal: bool,
    /// The find bar is open (the first Escape closes it).
    pub find_open: bool,
    /// The document has pending suggestions: Tab / Shift+Tab step through them, not
    /// through the spans.
    pub suggestions: bool,
    /// A suggestion is selected: Enter accepts it, X rejects it.
    pub suggestion_selected: bool,
    /// Link mode is on: Tab steps its targets, Enter links, Esc cancels.
    pub linking: bool,
    /// The selected relation of the document, if one is: Delete removes it.
    pub relation: Option<Relation>,
    /// A suggested relation is selected: Enter accepts it, X rejects it.
    pub relation_suggestion_selected: bool,
    /// The one suggested relation of the selected span (a quote with one proposed
    /// speaker), if it has exactly one: Enter accepts it and X rejects it, as if its
    /// arrow were selected.
    pub span_relation_suggestion: Option<Relation>,
}

/// The adjudication keys: Alt+↓/↑ step, Alt+A/B/1…9/U/N choose.
fn adjudication_keys(i: &mut egui::InputState, actions: &mut Vec<Action>) {
    use crate::model::disagreement::Choice;
    if i.consume_shortcut(&NEXT_DISAGREEMENT) {
        actions.push(Action::StepDisagreement { forward: true });
    }
    if i.consume_shortcut(&PREVIOUS_DISAGREEMENT) {
        actions.push(Action::StepDisagreement { forward: false });
    }
    for (shortcut, choice) in [
        (TAKE_A, Choice::Take(0)),
        (TAKE_B, Choice::Take(1)),
        (TAKE_BOTH, Choice::Both),
        (TAKE_NEITHER, Choice::Neither),
    ] {
        if i.consume_shortcut(&shortcut) {
            actions.push(Action::Adjudicate(choice));
        }
    }
    for (k, key) in TAKE_K.into_iter().enumerate() {
        if i.consume_key(Modifiers::ALT, key) {
            actions.push(Action::Adjudicate(Choice::Take(k)));
        }
    }
}

/// Turns this frame's key presses into actions. File shortcuts always work; find keys
/// also while typing in the find field; label, delete, undo and Escape only when no text
/// field has the keyboard.
pub fn read(ctx: &egui::Context, state: KeyState, project: &Project, actions: &mut Vec<Action>) {
    if state.busy {
        return;
    }
    let typing = ctx.egui_wants_keyboard_input();
    let before = actions.len();
    ctx.input_mut(|i| {
        // Shift variants first: consume_shortcut ignores extra shift.
        if i.consume_shortcut(&SAVE_AS) {
            actions.push(Action::SaveAs);
        } else if i.consume_shortcut(&SAVE) {
            actions.push(Action::Save);
        }
        for (shortcut, action) in [
            (NEW, Action::New),
            (OPEN, Action::Open),
            (EXPORT, Action::Export),
            (QUIT, Action::Quit),
        ] {
            if i.consume_shortcut(&shortcut) {
                actions.push(action);
            }
        }
        if state.modal {
            return;
        }
        // Shift variant first: consume_shortcut ignores extra shift.
        if i.consume_shortcut(&FIND_ALL) {
            actions.push(Action::FindAll);
        } else if i.consume_shortcut(&FIND) {
            actions.push(Action::Find);
        }
        if i.consume_shortcut(&QUICK_OPEN) {
            actions.push(Action::QuickOpen);
        }
        if i.consume_shortcut(&LABELS) {
            actions.push(Action::OpenLabels);
        }
        if i.consume_shortcut(&PICK_LABEL) {
            actions.push(Action::OpenLabelPicker);
        }
        if i.consume_shortcut(&FIND_PREVIOUS) {
            actions.push(Action::FindPrevious);
        } else if i.consume_shortcut(&FIND_NEXT) {
            actions.push(Action::FindNext);
        }
        if typing {
            return;
        }
        // Shift+Tab first: consume_shortcut ignores extra shift.
        let span_step = if i.consume_shortcut(&PREVIOUS_SPAN) {
            Some(false)
        } else if i.consume_shortcut(&NEXT_SPAN) {
            Some(true)
        } else {
            None
        };
        if let Some(forward) = span_step {
            actions.push(if state.linking {
                Action::StepLinkTarget { forward }
            } else if state.suggestions {
                Action::StepSuggestion { forward }
            } else {
                Action::StepSpan { forward }
            });
        }
        // Before the caret keys and the label keys: egui matches a plain arrow or letter
        // even with Alt held.
        adjudication_keys(i, actions);
        if i.consume_shortcut(&DONE_AND_NEXT) {
            actions.push(Action::DoneAndNext);
        }
        if i.consume_shortcut(&REDO) || i.consume_shortcut(&REDO_Y) {
            actions.push(Action::Redo);
        } else if i.consume_shortcut(&UNDO) {
            actions.push(Action::Undo);
        }
        if i.modifiers.any() {
            return;
        }
        if i.consume_shortcut(&LINK) {
            actions.push(Action::StartLink);
        }
        if state.linking && i.consume_shortcut(&LINK_TARGET) {
            actions.push(Action::LinkToTarget);
        }
        if state.relation_suggestion_selected {
            if i.consume_shortcut(&ACCEPT_RELATION) {
                actions.push(Action::AcceptRelationSuggestion);
            }
            if i.consume_shortcut(&REJECT_RELATION) {
                actions.push(Action::RejectRelationSuggestion);
            }
        }
        if let Some(r) = state.span_relation_suggestion
            && !state.relation_suggestion_selected
            && !state.suggestion_selected
            && !state.linking
        {
            for (shortcut, decide) in [
                (ACCEPT_RELATION, Action::AcceptRelationSuggestion),
                (REJECT_RELATION, Action::RejectRelationSuggestion),
            ] {
                if i.consume_shortcut(&shortcut) {
                    actions.push(Action::SelectRelation {
                        relation: r,
                        scroll: false,
                    });
                    actions.push(decide);
                }
            }
        }
        if state.suggestion_selected {
            if i.consume_shortcut(&ACCEPT_SUGGESTION) {
                actions.push(Action::AcceptSuggestion);
            }
            if i.consume_shortcut(&REJECT_SUGGESTION) {
                actions.push(Action::RejectSuggestion);
            }
        }
        for (key, ch) in HOTKEYS {
            if i.key_pressed(key)
                && let Some(label) = project.label_for_key(ch)
            {
                actions.push(Action::ApplyLabel(label));
            }
        }
        if i.key_pressed(DELETE.logical_key) || i.key_pressed(Key::Backspace) {
            actions.push(match state.relation {
                Some(r) => Action::DeleteRelation(r),
                None => Action::DeleteSelectedSpan,
            });
        }
        if i.key_pressed(CANCEL.logical_key) {
            // egui drops the find field's focus on Escape before this runs: the first
            // Escape closes the bar and keeps the match selected for a label key.
            actions.push(if state.linking {
                Action::CancelLink
            } else if state.find_open {
                Action::CloseFind
            } else {
                Action::ClearSelection
            });
        }
    });
    // Tab steps through spans here, not through buttons: a focused button would
    // otherwise take it too.
    if actions[before..].iter().any(|a| {
        matches!(
            a,
            Action::StepSpan { .. } | Action::StepSuggestion { .. } | Action::StepLinkTarget { .. }
        )
    }) {
        ctx.memory_mut(|m| {
            m.move_focus(egui::FocusDirection::None);
            if let Some(id) = m.focused() {
                m.surrender_focus(id);
            }
        });
    }
}

/// The first-run hint, while no document of the project has a span yet: how to make
/// one, with the label keys the project really has ("1–5", or "1, 2, q").
pub fn first_run_hint(project: &Project) -> Option<String> {
    if project.documents().iter().any(|d| !d.spans().is_empty()) {
        return None;
    }
    let keys: Vec<char> = project.labels().iter().filter_map(|l| l.hotkey).collect();
    let then = match keys.as_slice() {
        [] => "then press Ctrl+K to pick a label".to_string(),
        [one] => format!("then press {one} to label it"),
        [first, .., last]
            if keys
                .windows(2)
                .all(|w| w[0].is_ascii_digit() && w[1] as u32 == w[0] as u32 + 1) =>
        {
            format!("then press {first}–{last} to label it")
        }
        _ => {
            let list: Vec<String> = keys.iter().map(char::to_string).collect();
            format!("then press {} to label it", list.join(", "))
        }
    };
    Some(format!("Drag or double-click a word, {then}."))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Document, Span, default_labels};

    #[test]
    fn the_first_run_hint_names_the_real_label_keys_until_a_span_exists() {
        let doc = || vec![Document::new("a", "Kabul is a city.")];
        let p = Project::new(default_labels(), doc()).unwrap();
        assert_eq!(
            first_run_hint(&p).as_deref(),
            Some("Drag or double-click a word, then press 1–5 to label it.")
        );
        let mut labels = default_labels();
        labels.truncate(3);
        labels[2].hotkey = Some('q');
        let p = Project::new(labels.clone(), doc()).unwrap();
        assert_eq!(
            first_run_hint(&p).as_deref(),
            Some("Drag or double-click a word, then press 1, 2, q to label it.")
        );
        for l in &mut labels {
            l.hotkey = None;
        }
        let p = Project::new(labels, doc()).unwrap();
        assert!(first_run_hint(&p).unwrap().contains("Ctrl+K"));
        let span = Span::new(0, 5, crate::model::LabelId(1)).unwrap();
        let d = Document::with_spans("a", "Kabul is a city.", vec![span]).unwrap();
        let p = Project::new(default_labels(), vec![d]).unwrap();
        assert_eq!(first_run_hint(&p), None);
    }
}

/// The keys a list with a highlighted row answers to (the quick-open box, the label and
/// relation-type pickers): ↑ ↓ move, Enter chooses, Esc closes. Taken before the list's
/// text field would take them.
#[derive(Clone, Copy, Debug, Default)]
pub struct ListKeys {
    /// ↑ was pressed.
    pub up: bool,
    /// ↓ was pressed.
    pub down: bool,
    /// Enter was pressed.
    pub enter: bool,
    /// Esc was pressed.
    pub escape: bool,
}

impl ListKeys {
    /// Consumes this frame's ↑ ↓ Enter Esc (without modifiers).
    pub fn take(i: &mut egui::InputState) -> Self {
        Self {
            up: i.consume_key(Modifiers::NONE, Key::ArrowUp),
            down: i.consume_key(Modifiers::NONE, Key::ArrowDown),
            enter: i.consume_key(Modifiers::NONE, Key::Enter),
            escape: i.consume_key(Modifiers::NONE, Key::Escape),
        }
    }

    /// Moves `highlighted` one row for ↑ / ↓, kept within a list of `len` rows.
    pub fn step(&self, highlighted: &mut usize, len: usize) {
        let last = len.saturating_sub(1);
        if self.down {
            *highlighted = (*highlighted + 1).min(last);
        }
        if self.up {
            *highlighted = highlighted.saturating_sub(1);
        }
        *highlighted = (*highlighted).min(last);
    }
}
