//! The external command as a suggestion source: asked for in a dialog, run over every
//! document on its own thread in the window (inline headless; either way its result is
//! taken at the start of a frame, as the job queue's are), with a progress bar and
//! Cancel in the status bar; the window never waits for it.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::time::{Duration, Instant};

use eframe::egui;

use super::SpanmarkApp;
use std::collections::BTreeMap;

use crate::io::recommender::{self, RecommenderError, Request, RunOptions};
use crate::model::suggest::{LabelMap, Mapped};
use crate::ui::Action;
use crate::ui::dialogs::ForeignLabel;

/// An external command running over the project's documents.
pub(super) struct CommandRun {
    /// The command line, as typed.
    pub command: String,
    /// What was sent (to map the answers back onto the documents).
    request: Request,
    started: Instant,
    /// Documents answered and sent, as the command goes.
    done: Arc<AtomicUsize>,
    total: Arc<AtomicUsize>,
    cancel: Arc<AtomicBool>,
    rx: Receiver<Result<recommender::CommandOutput, RecommenderError>>,
}

impl CommandRun {
    /// Asks the command to stop (its result, if any, is dropped with this run).
    pub fn stop(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    /// Stops the command and waits (up to `limit`) until it has been killed, so nothing
    /// it started outlives the project it ran for or the window.
    pub fn stop_and_wait(self, limit: Duration) {
        self.stop();
        let _ = self.rx.recv_timeout(limit);
    }

    /// (documents answered, documents sent, seconds since it started).
    pub fn progress(&self) -> (usize, usize, f32) {
        (
            self.done.load(Ordering::Relaxed),
            self.total.load(Ordering::Relaxed),
            self.started.elapsed().as_secs_f32(),
        )
    }
}

/// The last run that succeeded: its answers as given, so a change of the label map
/// applies to them at once (no need to run the model again).
pub(super) struct LastRun {
    command: String,
    request: Request,
    spans: Vec<recommender::CommandSpan>,
    /// The label map they were last put through.
    map: LabelMap,
    /// The labels it gave that the project lacks, with their counts.
    foreign: BTreeMap<String, usize>,
}

impl SpanmarkApp {
    /// The labels the last run gave that the project lacks, with what each becomes now
    /// (for the Run command dialog).
    pub(super) fn foreign_labels(&self) -> Vec<ForeignLabel> {
        let Some(last) = &self.suggestions.last_run else {
            return Vec::new();
        };
        let project = self.ws.project();
        let map = &project.suggest_settings().label_map;
        let has = |n: &str| project.label_id(n).is_some();
        last.foreign
            .iter()
            .filter(|(name, _)| !has(name))
            .map(|(name, &count)| ForeignLabel {
                name: name.clone(),
                count,
                mapped: match map.resolve(name, has) {
                    Mapped::Label(to) => Some(Some(to.to_string())),
                    Mapped::Dropped => Some(None),
                    Mapped::Unmapped => None,
                },
            })
            .collect()
    }

    /// Puts the last run's answers through the label map again when it changed (a
    /// choice in the dialog, an undo): the suggestions follow at once.
    pub(super) fn readapt_command(&mut self) {
        let project = self.ws.project();
        let map = &project.suggest_settings().label_map;
        let Some(last) = &mut self.suggestions.last_run else {
            return;
        };
        if last.map == *map {
            return;
        }
        last.map = map.clone();
        let adapted = last.request.adapt(project, &last.spans);
        let n = adapted.results.len();
        let summary = adapted.label_summary();
        self.suggestions
            .engine
            .set_command_results(&last.command, adapted.results);
        self.status = format!(
            "{}: {} proposed{}.",
            last.command,
            crate::ui::count(n, "span"),
            if summary.is_empty() {
                String::new()
            } else {
                format!("; {summary}")
            }
        );
    }

    /// The Run command dialog's choice for one of the command's labels: saved in the
    /// project's label map (one undo step).
    pub(super) fn map_command_label(&mut self, from: String, to: Option<String>) {
        let mut settings = self.ws.project().suggest_settings().clone();
        let what = match &to {
            Some(to) => format!("map the command's {from} to {to}"),
            None => format!("drop the command's {from}"),
        };
        settings.label_map.set(from, to);
        if self
            .edit(
                what.clone(),
                vec![crate::model::Edit::SetSuggestSettings(settings)],
            )
            .is_ok()
        {
            self.readapt_command();
        }
    }

    /// Starts the external command over every document, off the UI thread in the window
    /// (inline headless, its result still arriving at the next frame's poll, as jobs do).
    pub(super) fn run_command(&mut self, ctx: &egui::Context, command: String) {
        let command = command.trim().to_string();
        if command.is_empty() || self.suggestions.command.is_some() {
            return;
        }
        let key = self.command_key();
        self.suggestions.remember_command(key, &command);
        let request = Request::from_project(self.ws.project());
        let done = Arc::new(AtomicUsize::new(0));
        let total = Arc::new(AtomicUsize::new(request.docs.len()));
        let cancel = Arc::new(AtomicBool::new(false));
        let opts = RunOptions {
            dir: self
                .path
                .as_ref()
                .and_then(|p| p.parent())
                .filter(|d| !d.as_os_str().is_empty())
                .map(Path::to_path_buf),
            ..RunOptions::default()
        };
        let (tx, rx) = mpsc::channel();
        let work = {
            let (request, command) = (request.clone(), command.clone());
            let (done, total, cancel) = (done.clone(), total.clone(), cancel.clone());
            let repaint = ctx.clone();
            move || {
                let mut progress = |d: usize, t: usize| {
                    done.store(d, Ordering::Relaxed);
                    total.store(t, Ordering::Relaxed);
                    repaint.request_repaint();
                };
                let result = request.run(&command, &opts, &cancel, &mut progress);
                let _ = tx.send(result);
                repaint.request_repaint();
            }
        };
        if self.jobs.is_threaded() {
            std::thread::spawn(work);
        } else {
            work();
        }
        self.status = format!("Running {command}…");
        self.suggestions.command = Some(CommandRun {
            command,
            request,
            started: Instant::now(),
            done,
            total,
            cancel,
            rx,
        });
        ctx.request_repaint();
    }

    /// The key the command line is remembered under: the project file's absolute path
    /// (none for a project not saved yet).
    pub(super) fn command_key(&self) -> Option<String> {
        let path = self.path.as_ref()?;
        let path = std::path::absolute(path).unwrap_or_else(|_| path.clone());
        Some(path.display().to_string())
    }

    /// The command lines remembered per project file (`(absolute path, command)`, most
    /// recent last), as saved in the user's settings.
    pub fn remembered_commands(&self) -> &[(String, String)] {
        &self.suggestions.commands
    }

    /// Takes the command's result when it has finished: its spans become the command
    /// source's suggestions (replacing the last run's).
    pub(super) fn poll_command(&mut self, ctx: &egui::Context) {
        let Some(run) = &self.suggestions.command else {
            self.readapt_command();
            return;
        };
        let result = match run.rx.try_recv() {
            Ok(r) => Some(r),
            Err(TryRecvError::Empty) => {
                ctx.request_repaint_after(Duration::from_millis(100));
                return;
            }
            // The thread died without a result.
            Err(TryRecvError::Disconnected) => None,
        };
        let Some(run) = self.suggestions.command.take() else {
            return;
        };
        let Some(result) = result else {
            self.show_error(format!(
                "{} stopped unexpectedly, without a result.",
                run.command
            ));
            return;
        };
        match result {
            Ok(output) => {
                let adapted = run.request.adapt(self.ws.project(), &output.spans);
                let n = adapted.results.len();
                let summary = adapted.label_summary();
                self.suggestions
                    .engine
                    .set_command_results(&run.command, adapted.results);
                self.update_suggestions(ctx);
                let mut notes = Vec::new();
                if !summary.is_empty() {
                    notes.push(summary);
                }
                if !adapted.foreign.is_empty() {
                    notes.push("map labels in Suggestions › Run command…".to_string());
                }
                self.suggestions.last_run = Some(LastRun {
                    command: run.command.clone(),
                    request: run.request.clone(),
                    spans: output.spans,
                    map: self.ws.project().suggest_settings().label_map.clone(),
                    foreign: adapted.foreign,
                });
                if adapted.stale > 0 {
                    notes.push(format!(
                        "skipped {} on documents changed meanwhile",
                        adapted.stale
                    ));
                }
                if output.skipped > 0 {
                    notes.push(format!("skipped {} outside their text", output.skipped));
                }
                self.status = if notes.is_empty() {
                    format!("{}: {} proposed.", run.command, crate::ui::count(n, "span"))
                } else {
                    format!(
                        "{}: {} proposed; {}.",
                        run.command,
                        crate::ui::count(n, "span"),
                        notes.join(", ")
                    )
                };
            }
            Err(RecommenderError::Cancelled { .. }) => {
                self.status = format!("Stopped {}; nothing changed.", run.command);
            }
            Err(e) => self.show_error(format!("The command gave no suggestions. {e}")),
        }
    }

    /// The command's progress bar and Cancel button (in the status bar; the window stays
    /// usable meanwhile).
    pub(super) fn command_progress(&self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let Some(run) = &self.suggestions.command else {
            return;
        };
        let (done, total, secs) = run.progress();
        let fraction = if total == 0 {
            0.0
        } else {
            done as f32 / total as f32
        };
        ui.add(
            egui::ProgressBar::new(fraction)
                .desired_width(200.0)
                .animate(true)
                .text(format!(
                    "{done} / {total} {}, {secs:.0} s",
                    crate::model::plural(total, "document")
                )),
        );
        if ui
            .button("Cancel")
            .on_hover_text(format!("Stop {}", run.command))
            .clicked()
        {
            actions.push(Action::CancelCommand);
        }
        ui.separator();
    }
}
