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
use crate::io::recommender::{self, RecommenderError, Request, RunOptions};
use crate::ui::Action;

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

impl SpanmarkApp {
    /// Starts the external command over every document, off the UI thread in the window
    /// (inline headless, its result still arriving at the next frame's poll, as jobs do).
    pub(super) fn run_command(&mut self, ctx: &egui::Context, command: String) {
        let command = command.trim().to_string();
        if command.is_empty() || self.suggestions.command.is_some() {
            return;
        }
        self.suggestions.last_command = command.clone();
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

    /// Takes the command's result when it has finished: its spans become the command
    /// source's suggestions (replacing the last run's).
    pub(super) fn poll_command(&mut self, ctx: &egui::Context) {
        let Some(run) = &self.suggestions.command else {
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
                self.suggestions
                    .engine
                    .set_command_results(&run.command, adapted.results);
                self.update_suggestions(ctx);
                let mut notes = Vec::new();
                if adapted.unknown_label > 0 {
                    notes.push(format!(
                        "{} with a label this project lacks",
                        adapted.unknown_label
                    ));
                }
                if adapted.stale > 0 {
                    notes.push(format!("{} on documents changed meanwhile", adapted.stale));
                }
                if output.skipped > 0 {
                    notes.push(format!("{} outside their text", output.skipped));
                }
                self.status = if notes.is_empty() {
                    format!("{}: {} proposed.", run.command, crate::ui::count(n, "span"))
                } else {
                    format!(
                        "{}: {} proposed; skipped {}.",
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
