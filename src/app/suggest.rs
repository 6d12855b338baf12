//! Suggestions in the app: the engine brought up to date at the start of each frame (a
//! full build of a large project in the background), accepting and rejecting (each one
//! undo step), stepping with Tab, "accept all" after a question with the count, the
//! settings and rule files (the external command is in `command`).

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, TryRecvError};
use std::time::Duration;

use eframe::egui;

use super::SpanmarkApp;
use super::file_dialogs;
use super::jobs::{Done, Expected, Kind, off_thread};
use super::modal::Modal;
use crate::model::suggest::{
    RuleKind, RuleSet, RuleSetRules, SuggestEngine, SuggestSettings, Suggestion, accept_edits,
};
use crate::model::{DocId, Edit, Span, text::ellipsize};
use crate::ui::suggestions::{Pending, kind_name};
use crate::ui::{Action, PathPurpose, doc_view};

/// Above this many chars to go through from scratch (about 60 ms of work), the
/// suggestions are built off the UI thread: the window never waits for them.
const BACKGROUND_CHARS: usize = 100_000;

/// A full build of the suggestions running off the UI thread: the engine, brought up to
/// date with a copy of the project, comes back through `rx`.
pub(super) struct Build {
    rx: Receiver<SuggestEngine>,
}

/// Everything about suggestions the app holds, in one place: the engine (derived from the
/// project), its full build running off the UI thread, and the external command running
/// now. Views key on the engine's generation, which changes with every update, landed
/// build and command result, so nothing else is counted.
#[derive(Default)]
pub(super) struct Suggestions {
    /// Brought up to date every frame (an empty stand-in while a build runs).
    pub engine: SuggestEngine,
    /// The full build running off the UI thread, if any.
    pub build: Option<Build>,
    /// The external command running now, if any.
    pub command: Option<super::command::CommandRun>,
    /// The command line last run (the Run command… field starts with it for a project
    /// not saved yet).
    pub last_command: String,
    /// The command line last run per project file, most recent last: the user's own
    /// settings (eframe storage), never the project file, so a project cannot choose a
    /// command to run.
    pub commands: Vec<(String, String)>,
    /// The command's suggestions scored below this are hidden (Suggestions menu).
    pub min_score: f32,
    /// Tab steps through the most confident suggestions first.
    pub confident_first: bool,
    /// The last command run that succeeded, its answers kept for the label map.
    pub last_run: Option<super::command::LastRun>,
}

/// How many projects' command lines are remembered.
const REMEMBERED_COMMANDS: usize = 100;

impl Suggestions {
    /// The command line remembered for the project at `key`.
    pub fn command_for(&self, key: Option<&str>) -> Option<&str> {
        let key = key?;
        self.commands
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, c)| c.as_str())
    }

    /// Remembers `command` for the project at `key` (the oldest forgotten past
    /// [`REMEMBERED_COMMANDS`]).
    pub fn remember_command(&mut self, key: Option<String>, command: &str) {
        self.last_command = command.to_string();
        let Some(key) = key else {
            return;
        };
        self.commands.retain(|(k, _)| *k != key);
        self.commands.push((key, command.to_string()));
        let over = self.commands.len().saturating_sub(REMEMBERED_COMMANDS);
        self.commands.drain(..over);
    }
}

impl Suggestions {
    /// Another project: nothing derived from the old one carries over. A running
    /// command's answers would land on the wrong documents, a build on the wrong
    /// project: both are dropped (the command stopped). A large engine is freed off the
    /// UI thread (`threaded`), as freeing millions of candidates takes a while.
    pub fn start_over(&mut self, threaded: bool) {
        self.build = None;
        self.last_run = None;
        self.stop_command(Duration::from_millis(500));
        let old = std::mem::take(&mut self.engine);
        if threaded {
            std::thread::spawn(move || drop(old));
        }
    }

    /// Stops the external command, if one runs, waiting up to `limit` for it to end.
    pub fn stop_command(&mut self, limit: Duration) {
        if let Some(run) = self.command.take() {
            run.stop_and_wait(limit);
        }
    }
}

impl SpanmarkApp {
    /// The span panel's line for the selected suggestion: its label, range and text, then
    /// where it came from (a command's answer with its score).
    pub(super) fn suggestion_line(&self) -> Option<String> {
        let s = self.view.selected_suggestion.as_ref()?;
        let doc = self.current?;
        let project = self.ws.project();
        let text = project.document(doc)?.text();
        let label = project.label(s.span.label())?;
        Some(format!(
            "{} {}–{} “{}”\n{}",
            label.name,
            s.span.start(),
            s.span.end(),
            ellipsize(text.slice(s.span.start(), s.span.end()), 60),
            self.suggestions.engine.describe(doc, s)
        ))
    }

    /// Brings the suggestions up to date with the project (cheap when nothing changed):
    /// at the start of a frame, so a span added in one frame has its suggestions drawn in
    /// the next. A full build of a large project (opened, settings or labels changed)
    /// runs in the background; until it lands none are shown, then edits made meanwhile
    /// are caught up incrementally. As with jobs, headless the build runs inline but its
    /// result waits for the next frame.
    pub(super) fn update_suggestions(&mut self, ctx: &egui::Context) {
        if let Some(build) = &self.suggestions.build {
            match build.rx.try_recv() {
                Ok(mut engine) => {
                    // Command results that came meanwhile went to the stand-in.
                    engine.take_pending_from(&mut self.suggestions.engine);
                    self.suggestions.engine = engine;
                    self.suggestions.build = None;
                }
                Err(TryRecvError::Empty) => {
                    ctx.request_repaint_after(Duration::from_millis(100));
                    return;
                }
                // The thread died: built here instead, from scratch (not again in the
                // background, to die again).
                Err(TryRecvError::Disconnected) => {
                    self.suggestions.build = None;
                    self.suggestions.engine.update(self.ws.project());
                    return;
                }
            }
        }
        // A new engine (another project) starts at 0: the window's threshold holds.
        self.suggestions
            .engine
            .set_min_score(self.suggestions.min_score);
        let project = self.ws.project();
        let engine = &self.suggestions.engine;
        if engine.full_build_chars(project) > BACKGROUND_CHARS || engine.compiles_rules(project) {
            self.start_suggest_build(ctx);
            return;
        }
        self.suggestions.engine.update(project);
    }

    /// Starts the full build with the current engine (what it has that still holds is
    /// reused) and a copy of the project; an empty engine stands in meanwhile.
    fn start_suggest_build(&mut self, ctx: &egui::Context) {
        let mut engine = std::mem::take(&mut self.suggestions.engine);
        let project = self.ws.project().clone();
        let rx = off_thread(self.jobs.is_threaded(), ctx, move || {
            engine.update(&project);
            engine
        });
        self.suggestions.build = Some(Build { rx });
    }

    /// The pending suggestions of the document shown.
    pub(super) fn suggestions_here(&self) -> &[Suggestion] {
        self.current
            .map_or(&[], |d| self.suggestions.engine.for_doc(d))
    }

    /// The counts and state the Suggestions menu shows.
    pub(super) fn pending(&self) -> Pending {
        Pending {
            here: self.suggestions_here().len(),
            total: self.suggestions.engine.total(),
            selected: self.view.selected_suggestion.is_some(),
            command_running: self.suggestions.command.is_some(),
            can_run_again: self.command_again().is_some(),
            min_score: self.suggestions.min_score,
            confident_first: self.suggestions.confident_first,
            learned_stopped: self
                .suggestions
                .engine
                .learned_stopped()
                .map(str::to_string),
        }
    }

    /// The command line last run for this project (the user's settings, by the project
    /// file's path; for a project not saved yet, the one last run in this window).
    pub(super) fn command_again(&self) -> Option<String> {
        let command = match self.command_key() {
            Some(key) => self.suggestions.command_for(Some(&key))?,
            None => self.suggestions.last_command.as_str(),
        };
        (!command.is_empty()).then(|| command.to_string())
    }

    /// Carries out the suggestion actions.
    pub(super) fn perform_suggestion(&mut self, ctx: &egui::Context, action: Action) {
        match action {
            Action::SelectSuggestion { suggestion, scroll } => {
                self.select_suggestion(Some(suggestion), scroll);
            }
            Action::AcceptSuggestion => self.accept_suggestion(),
            Action::RejectSuggestion => self.reject_suggestion(),
            Action::StepSuggestion { forward } => self.step_suggestion(forward),
            Action::AcceptAllSuggestions { everywhere } => self.ask_accept_all(ctx, everywhere),
            Action::AcceptAllConfirmed { everywhere } => self.accept_all(ctx, everywhere),
            Action::SetSuggestSettings { settings, what } => self.set_settings(settings, what),
            Action::AddRuleFile(kind) if !file_dialogs::native() => {
                self.perform(ctx, Action::PromptPath(rule_purpose(kind)));
            }
            Action::AddRuleFile(kind) => match file_dialogs::rule_file(kind) {
                Some(path) => self.add_rule_file(ctx, kind, path),
                None => {
                    self.status = format!(
                        "No file chosen. (No file dialog on this desktop? Use Suggestions › \
                         Add {} from path…)",
                        kind_name(&kind).replace("patterns", "patterns file")
                    );
                }
            },
            Action::AddRuleFileFrom { kind, path } => self.add_rule_file(ctx, kind, path),
            Action::AddRuleSet(set) => self.add_rule_set(ctx, set),
            Action::AskCommand => {
                let text = self.command_again().unwrap_or_default();
                self.modals.push(Modal::Command { text });
            }
            Action::RunCommand(command) => self.run_command(ctx, command),
            Action::MapCommandLabel { from, to } => self.map_command_label(from, to),
            Action::SetConfidentFirst(on) => self.suggestions.confident_first = on,
            Action::SetMinScore(min) => {
                self.suggestions.min_score = min.clamp(0.0, 1.0);
                self.update_suggestions(ctx);
            }
            Action::RunCommandAgain => {
                if let Some(command) = self.command_again() {
                    self.run_command(ctx, command);
                }
            }
            Action::CancelCommand => {
                if let Some(run) = &self.suggestions.command {
                    run.stop();
                    self.status = format!("Stopping {}…", run.command);
                }
            }
            _ => {}
        }
    }

    fn set_settings(&mut self, settings: SuggestSettings, what: String) {
        if self
            .edit(what.clone(), vec![Edit::SetSuggestSettings(settings)])
            .is_ok()
        {
            self.status = format!("Did: {what} (Ctrl+Z takes it back).");
        }
    }

    /// Selects a suggestion (or none); brings it into view when asked.
    fn select_suggestion(&mut self, s: Option<Suggestion>, scroll: bool) {
        self.view.selection = None;
        self.view.selected_span = None;
        self.view.selected_suggestion = s;
        if let Some(s) = s {
            if scroll {
                self.view.reveal(s.span.start(), s.span.end());
            }
            let name = self.label_name(&s.span);
            let text = self.suggestion_text(&s);
            let source = self
                .current
                .map(|d| self.suggestions.engine.describe(d, &s))
                .unwrap_or_default();
            self.status = format!(
                "Suggested {name} “{text}” ({source}): Enter accepts, X rejects, Tab goes on."
            );
        }
    }

    fn suggestion_text(&self, s: &Suggestion) -> String {
        self.current_doc()
            .map(|d| ellipsize(d.span_text(&s.span), 60))
            .unwrap_or_default()
    }

    /// The pending suggestion after `s` in document order (before it, going back), if
    /// any other: where the keyboard goes once `s` is accepted or rejected.
    fn neighbour(&self, s: &Suggestion) -> Option<Suggestion> {
        let list = self.suggestions_here();
        let i = list.partition_point(|x| x < s);
        list.get(i..)
            .and_then(|after| after.iter().find(|x| *x != s))
            .or_else(|| list[..i.min(list.len())].last())
            .copied()
    }

    fn accept_suggestion(&mut self) {
        self.decide_suggestion(true);
    }

    fn reject_suggestion(&mut self) {
        self.decide_suggestion(false);
    }

    /// Accepts (`AddSpan`) or rejects (`Reject`) the selected suggestion as one undo step,
    /// then selects the next one.
    fn decide_suggestion(&mut self, accept: bool) {
        let Some(s) = self.view.selected_suggestion else {
            self.status = "Select a suggestion first (click its dashed outline, or Tab).".into();
            return;
        };
        let name = self.label_name(&s.span);
        let text = self.suggestion_text(&s);
        if !self.view.range_visible(s.span.start(), s.span.end()) {
            // Never decide what the user cannot see (Tab may have left it off screen,
            // or the view was scrolled away): show it first.
            self.view.reveal(s.span.start(), s.span.end());
            let key = if accept { "Enter accepts" } else { "X rejects" };
            self.status = format!("Scrolled to the suggested {name} “{text}”: {key} it now.");
            return;
        }
        let next = self.neighbour(&s);
        let Some(doc) = self.current else {
            return;
        };
        let (what, edit) = if accept {
            ("accept", Edit::AddSpan { doc, span: s.span })
        } else {
            ("reject", Edit::Reject { doc, span: s.span })
        };
        if self.edit(format!("{what} {name}"), vec![edit]).is_ok() {
            self.select_suggestion(next, true);
            self.status = if accept {
                format!("Accepted {name} “{text}” (Ctrl+Z takes it back).")
            } else {
                format!(
                    "Rejected {name} “{text}”: it is not proposed again (Ctrl+Z takes that back)."
                )
            };
        }
    }

    fn step_suggestion(&mut self, forward: bool) {
        if self.suggestions.confident_first {
            self.step_by_score(forward);
            return;
        }
        let list = self.suggestions_here();
        if list.is_empty() {
            self.status = if self.suggestions.build.is_some() {
                "Still finding suggestions: try again in a moment."
            } else {
                "No pending suggestions in this document."
            }
            .to_string();
            return;
        }
        let n = list.len();
        let current = self
            .view
            .selected_suggestion
            .filter(|s| doc_view::pending(list, s))
            .map(|s| list.partition_point(|x| *x < s));
        let next = match current {
            Some(i) if forward => (i + 1) % n,
            Some(i) => (i + n - 1) % n,
            None => {
                // From the selected span (a suggestion inside it comes next), the
                // selection, or the top of the screen.
                let from = self
                    .view
                    .selected_span
                    .map(|s| s.start())
                    .unwrap_or_else(|| self.search_from());
                let at = list.partition_point(|s| s.span.start() < from);
                if forward { at % n } else { (at + n - 1) % n }
            }
        };
        let s = list[next];
        self.select_suggestion(Some(s), true);
    }

    /// Tab with "most confident first": the document's suggestions by falling score
    /// (unscored last, then by place), from the selected one.
    fn step_by_score(&mut self, forward: bool) {
        let Some(doc) = self.current else {
            return;
        };
        let engine = &self.suggestions.engine;
        let mut order: Vec<(Suggestion, f32)> = engine
            .for_doc(doc)
            .iter()
            .map(|s| (*s, engine.score(doc, s).unwrap_or(f32::NEG_INFINITY)))
            .collect();
        if order.is_empty() {
            self.status = "No pending suggestions in this document.".to_string();
            return;
        }
        // Stable: equal scores keep their place in the text.
        order.sort_by(|a, b| b.1.total_cmp(&a.1));
        let n = order.len();
        let current = self
            .view
            .selected_suggestion
            .and_then(|s| order.iter().position(|(x, _)| *x == s));
        let next = match current {
            Some(i) if forward => (i + 1) % n,
            Some(i) => (i + n - 1) % n,
            None if forward => 0,
            None => n - 1,
        };
        let s = order[next].0;
        self.select_suggestion(Some(s), true);
    }

    /// Per document, the pending suggestions' spans: this document's or every one's.
    fn pending_spans(&self, everywhere: bool) -> Vec<(DocId, Vec<Span>)> {
        let docs: Vec<DocId> = if everywhere {
            self.ws
                .project()
                .documents()
                .iter()
                .map(|d| d.id())
                .collect()
        } else {
            self.current.into_iter().collect()
        };
        docs.into_iter()
            .filter_map(|d| {
                let mut spans: Vec<Span> = self
                    .suggestions
                    .engine
                    .for_doc(d)
                    .iter()
                    .map(|s| s.span)
                    .collect();
                spans.dedup();
                (!spans.is_empty()).then_some((d, spans))
            })
            .collect()
    }

    fn ask_accept_all(&mut self, ctx: &egui::Context, everywhere: bool) {
        self.update_suggestions(ctx);
        if self.suggestions.build.is_some() {
            self.status = "Still finding suggestions: try again in a moment.".to_string();
            return;
        }
        let found = self.pending_spans(everywhere);
        let count: usize = found.iter().map(|(_, v)| v.len()).sum();
        if count == 0 {
            self.status = "No pending suggestions to accept.".to_string();
            return;
        }
        self.modals.push(Modal::AcceptAll {
            everywhere,
            count,
            docs: found.len(),
        });
    }

    /// Accepts what is pending now (the project may have changed since the question).
    fn accept_all(&mut self, ctx: &egui::Context, everywhere: bool) {
        self.update_suggestions(ctx);
        let found = self.pending_spans(everywhere);
        let count: usize = found.iter().map(|(_, v)| v.len()).sum();
        let edits = accept_edits(self.ws.project(), &found);
        if edits.is_empty() {
            return;
        }
        if self
            .edit(
                format!("accept {}", crate::ui::count(count, "suggestion")),
                edits,
            )
            .is_ok()
        {
            self.view.selected_suggestion = None;
            self.status = format!(
                "Accepted {} (Ctrl+Z takes them all back).",
                crate::ui::count(count, "suggestion")
            );
        }
    }

    /// Reads a patterns file or dictionary in the job queue; see
    /// [`Self::finish_rule_file`].
    fn add_rule_file(&mut self, ctx: &egui::Context, kind: RuleKind, path: PathBuf) {
        let title = format!("Reading {}", path.display());
        let expected = Expected::OfFiles(vec![path.clone()]);
        self.jobs
            .submit(ctx, Kind::Foreground, title, expected, move || {
                let source = std::fs::read_to_string(&path)
                    .map_err(|e| format!("Could not read {}: {e}", path.display()));
                let name = path.file_name().map_or_else(
                    || path.display().to_string(),
                    |n| n.to_string_lossy().into_owned(),
                );
                Done::RuleFileRead(source.map(|source| RuleSet {
                    name,
                    kind,
                    enabled: true,
                    source,
                    default_label: None,
                }))
            });
    }

    /// A rule file was read: a dictionary with lines that name no label asks for the
    /// label first; anything the rules cannot use is an error naming the file and line,
    /// and nothing is added.
    pub(super) fn finish_rule_file(&mut self, ctx: &egui::Context, read: Result<RuleSet, String>) {
        let set = match read {
            Ok(set) => set,
            Err(e) => {
                self.show_error(e);
                return;
            }
        };
        if set.kind == RuleKind::Dictionary && needs_label(&set.source) {
            let label = self
                .ws
                .project()
                .labels()
                .first()
                .map(|l| l.name.clone())
                .unwrap_or_default();
            self.modals.push(Modal::DictionaryLabel { set, label });
            return;
        }
        self.add_rule_set(ctx, set);
    }

    /// Checks that a rule set compiles against the project's labels, in the job queue
    /// (a large patterns file takes a while); see [`Self::finish_rule_set`].
    fn add_rule_set(&mut self, ctx: &egui::Context, set: RuleSet) {
        // Only the labels matter to compiling: no copy of the documents.
        let labels = self.ws.project().with_same_labels(Vec::new());
        let title = format!("Checking {}", set.name);
        let expected = std::time::Duration::from_millis(100);
        self.jobs
            .submit(ctx, Kind::Foreground, title, expected, move || {
                let checked = match labels {
                    Ok(p) => RuleSetRules::compile(&set, &p)
                        .map(|(_, warnings)| warnings)
                        .map_err(|e| format!("{} was not added. {e}", set.name)),
                    Err(e) => Err(e.to_string()),
                };
                Done::RuleSetChecked(set, checked)
            });
    }

    /// Uses a rule set that compiled (one undo step), showing the rules it skipped.
    pub(super) fn finish_rule_set(&mut self, set: RuleSet, checked: Result<Vec<String>, String>) {
        let warnings = match checked {
            Ok(w) => w,
            Err(e) => {
                self.show_error(e);
                return;
            }
        };
        let mut settings: SuggestSettings = self.ws.project().suggest_settings().clone();
        let what = format!("add {} {}", kind_name(&set.kind), set.name);
        settings.rule_sets.push(set);
        if self
            .edit(what.clone(), vec![Edit::SetSuggestSettings(settings)])
            .is_ok()
        {
            self.status = format!("Did: {what}; its matches are suggested (Ctrl+Z takes it back).");
            if !warnings.is_empty() {
                self.modals.push(Modal::Info {
                    title: "Some rules were skipped".to_string(),
                    text: warnings.join("\n"),
                });
            }
        }
    }
}

/// The path field's purpose for a rule file kind.
fn rule_purpose(kind: RuleKind) -> PathPurpose {
    match kind {
        RuleKind::Patterns => PathPurpose::Patterns,
        RuleKind::Dictionary => PathPurpose::Dictionary,
    }
}

/// Whether a dictionary has a name with no label (no TAB): it needs a default label.
fn needs_label(source: &str) -> bool {
    source
        .lines()
        .map(str::trim_end)
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .any(|l| !l.contains('\t'))
}
