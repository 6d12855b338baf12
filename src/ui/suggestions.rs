//! The Suggestions menu: which sources propose spans (learned from the labels, patterns
//! files, dictionaries, an external command), and accepting or rejecting what they
//! propose. It only pushes actions.

use eframe::egui::{Button, KeyboardShortcut, RichText, Ui};

use super::{Action, PathPurpose, shortcuts};
use crate::model::suggest::{RuleKind, SuggestSettings};

/// What the menu shows about the suggestions now.
#[derive(Clone, Debug, Default)]
pub struct Pending {
    /// Pending suggestions in the current document.
    pub here: usize,
    /// Pending suggestions in the whole project.
    pub total: usize,
    /// A suggestion is selected.
    pub selected: bool,
    /// The external command is running.
    pub command_running: bool,
    /// A command was run for this project: it can be run again.
    pub can_run_again: bool,
    /// The command's suggestions scored below this are hidden.
    pub min_score: f32,
    /// Tab steps through the most confident first.
    pub confident_first: bool,
    /// Why the learned source stopped (too many candidates), if it did.
    pub learned_stopped: Option<String>,
}

/// A rule set's kind as a word.
pub fn kind_name(kind: &RuleKind) -> &'static str {
    match kind {
        RuleKind::Patterns => "patterns",
        RuleKind::Dictionary => "dictionary",
    }
}

/// The Suggestions menu (inside the menu bar).
pub fn menu(ui: &mut Ui, settings: &SuggestSettings, pending: Pending, actions: &mut Vec<Action>) {
    let ctx = ui.ctx().clone();
    let item = |ui: &mut Ui, text: &str, shortcut: Option<&KeyboardShortcut>| {
        let mut b = Button::new(text);
        if let Some(s) = shortcut {
            b = b.shortcut_text(ctx.format_shortcut(s));
        }
        ui.add(b).clicked()
    };
    ui.menu_button("Suggestions", |ui| {
        ui.label(RichText::new("Sources").strong());
        let mut learned = settings.learned;
        if ui
            .checkbox(&mut learned, "Learned from labels")
            .on_hover_text("Every labelled text is proposed wherever it recurs unlabelled")
            .changed()
        {
            let what = if learned {
                "turn on learned suggestions"
            } else {
                "turn off learned suggestions"
            };
            actions.push(Action::SetSuggestSettings {
                settings: SuggestSettings {
                    learned,
                    ..settings.clone()
                },
                what: what.to_string(),
            });
        }
        if let Some(why) = &pending.learned_stopped {
            // Wrapped: the menu keeps its width.
            ui.scope(|ui| {
                ui.set_max_width(320.0);
                ui.add(
                    eframe::egui::Label::new(RichText::new(why).color(ui.visuals().warn_fg_color))
                        .wrap(),
                );
            });
        }
        let mut ignore_case = settings.ignore_case;
        if ui
            .checkbox(&mut ignore_case, "Ignore case")
            .on_hover_text("Learned suggestions match “kabul” to a labelled “Kabul”")
            .changed()
        {
            let what = if ignore_case {
                "ignore case in learned suggestions"
            } else {
                "match case in learned suggestions"
            };
            actions.push(Action::SetSuggestSettings {
                settings: SuggestSettings {
                    ignore_case,
                    ..settings.clone()
                },
                what: what.to_string(),
            });
        }
        rule_sets(ui, settings, actions);
        if item(ui, "Add patterns file…", None) {
            actions.push(Action::AddRuleFile(RuleKind::Patterns));
        }
        if item(ui, "Add dictionary…", None) {
            actions.push(Action::AddRuleFile(RuleKind::Dictionary));
        }
        if item(ui, "Add patterns file from path…", None) {
            actions.push(Action::PromptPath(PathPurpose::Patterns));
        }
        if item(ui, "Add dictionary from path…", None) {
            actions.push(Action::PromptPath(PathPurpose::Dictionary));
        }
        if pending.command_running {
            if item(ui, "Cancel command", None) {
                actions.push(Action::CancelCommand);
            }
        } else {
            if item(ui, "Run command…", None) {
                actions.push(Action::AskCommand);
            }
            if pending.can_run_again && item(ui, "Run command again", None) {
                actions.push(Action::RunCommandAgain);
            }
        }
        let mut min = pending.min_score;
        if ui
            .add(
                eframe::egui::Slider::new(&mut min, 0.0..=1.0)
                    .step_by(0.05)
                    .text("Hide scores below"),
            )
            .on_hover_text(
                "The command's suggestions scored below this are hidden (and not accepted \
                 by Accept all); those without a score always show",
            )
            .changed()
        {
            actions.push(Action::SetMinScore(min));
        }
        let mut confident = pending.confident_first;
        if ui
            .checkbox(&mut confident, "Tab: most confident first")
            .on_hover_text("Next suggestion goes by the command's score, highest first")
            .changed()
        {
            actions.push(Action::SetConfidentFirst(confident));
        }
        ui.separator();
        ui.label(format!(
            "{} pending here, {} in the project",
            pending.here, pending.total
        ));
        ui.add_enabled_ui(pending.here > 0, |ui| {
            if item(ui, "Next suggestion", Some(&shortcuts::NEXT_SUGGESTION)) {
                actions.push(Action::StepSuggestion { forward: true });
            }
            if item(
                ui,
                "Previous suggestion",
                Some(&shortcuts::PREVIOUS_SUGGESTION),
            ) {
                actions.push(Action::StepSuggestion { forward: false });
            }
        });
        ui.add_enabled_ui(pending.selected, |ui| {
            if item(ui, "Accept", Some(&shortcuts::ACCEPT_SUGGESTION)) {
                actions.push(Action::AcceptSuggestion);
            }
            if item(ui, "Reject", Some(&shortcuts::REJECT_SUGGESTION)) {
                actions.push(Action::RejectSuggestion);
            }
        });
        ui.add_enabled_ui(pending.here > 0, |ui| {
            if item(ui, "Accept all in document…", None) {
                actions.push(Action::AcceptAllSuggestions { everywhere: false });
            }
        });
        ui.add_enabled_ui(pending.total > 0, |ui| {
            if item(ui, "Accept all in project…", None) {
                actions.push(Action::AcceptAllSuggestions { everywhere: true });
            }
        });
    });
}

/// The patterns files and dictionaries in use: on/off, remove.
fn rule_sets(ui: &mut Ui, settings: &SuggestSettings, actions: &mut Vec<Action>) {
    if settings.rule_sets.is_empty() {
        ui.weak("No patterns file or dictionary yet");
        return;
    }
    for (i, set) in settings.rule_sets.iter().enumerate() {
        ui.horizontal(|ui| {
            let mut enabled = set.enabled;
            let mut text = format!("{}: {}", kind_name(&set.kind), set.name);
            if let Some(label) = &set.default_label {
                text.push_str(&format!(" ({label})"));
            }
            if ui.checkbox(&mut enabled, text).changed() {
                let mut next = settings.clone();
                next.rule_sets[i].enabled = enabled;
                let verb = if enabled { "turn on" } else { "turn off" };
                actions.push(Action::SetSuggestSettings {
                    settings: next,
                    what: format!("{verb} {}", set.name),
                });
            }
            if ui
                .small_button("Remove")
                .on_hover_text(format!("Stop using {}", set.name))
                .clicked()
            {
                let mut next = settings.clone();
                next.rule_sets.remove(i);
                actions.push(Action::SetSuggestSettings {
                    settings: next,
                    what: format!("remove {}", set.name),
                });
            }
        });
    }
    ui.separator();
}
