//! Autosave and recovery in the app: when copies are written, recorded, removed, and
//! offered after a crash. Where copies live is `io::recovery`'s business.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use eframe::egui;

use super::SpanmarkApp;
use super::jobs::{Done, Kind};
use super::modal::Modal;
use crate::io::{self, recovery};
use crate::model::Workspace;

impl SpanmarkApp {
    /// Turns on autosave into `dir` (for never-saved projects) and looks there, and beside
    /// the open project, for a recovery copy left by a crash.
    pub fn with_recovery_dir(mut self, dir: PathBuf) -> Self {
        match recovery::Session::start(&dir) {
            Ok(session) => {
                self.recovery = Some(Arc::new(session));
                self.check_recovery();
            }
            Err(e) => self.show_error(format!("Autosave is off: no recovery folder. {e}")),
        }
        self
    }

    /// Writes recovery copies this often while there are unsaved changes (30 s unless
    /// changed; tests use zero).
    pub fn with_autosave_interval(mut self, every: Duration) -> Self {
        self.autosave_every = every;
        self
    }

    /// Whether a "restore unsaved work?" question is open.
    pub fn is_offering_recovery(&self) -> bool {
        self.modals.iter().any(|m| matches!(m, Modal::Recovery(_)))
    }

    /// Writes a recovery copy now, on this thread, if there are unsaved changes (autosave
    /// does this every 30 s in the background); returns where it went.
    pub fn autosave_now(&mut self) -> Option<PathBuf> {
        let session = self.recovery.clone()?;
        self.last_autosave = Instant::now();
        if !self.ws.is_dirty() {
            return None;
        }
        let result = session.write(self.ws.project(), self.path.as_deref());
        let written = result.as_ref().ok().cloned();
        self.autosaved(result);
        written
    }

    pub(super) fn check_recovery(&mut self) {
        let Some(session) = &self.recovery else {
            return;
        };
        match session.find(self.path.as_deref()) {
            Some(Ok(found)) => self.modals.push(Modal::Recovery(Box::new(found))),
            Some(Err(e)) => self.show_error(format!("A recovery copy could not be read. {e}")),
            None => {}
        }
    }

    /// Every frame: start an autosave when one is due, or drop the copy when the project
    /// is back at its saved state (e.g. by undo).
    pub(super) fn autosave_tick(&mut self, ctx: &egui::Context) {
        let Some(session) = self.recovery.clone() else {
            return;
        };
        if !self.ws.is_dirty() {
            self.drop_recovery();
            return;
        }
        let due = self.last_autosave + self.autosave_every;
        let now = Instant::now();
        if now < due {
            ctx.request_repaint_after(due - now);
            return;
        }
        if self.jobs.has(Kind::Background) {
            return;
        }
        self.last_autosave = now;
        let project = self.ws.project().clone();
        let path = self.path.clone();
        self.jobs.submit(
            ctx,
            Kind::Background,
            "Autosave".to_string(),
            Duration::ZERO,
            move || Done::Autosaved(session.write(&project, path.as_deref())),
        );
    }

    /// Records a recovery copy. A copy that arrives after the
    /// changes were saved or discarded is removed at once, so it is never offered as a
    /// crash.
    pub(super) fn autosaved(&mut self, result: Result<PathBuf, io::IoError>) {
        match result {
            // Any unsaved state is worth keeping, even if edits came after `state`.
            Ok(written) if self.ws.is_dirty() => {
                if let Some(old) = self.recovery_file.replace(written.clone())
                    && old != written
                {
                    recovery::remove(&old);
                }
            }
            // Saved or discarded while it was written: the copy is not needed.
            Ok(written) => {
                recovery::remove(&written);
                if self.recovery_file.as_ref() == Some(&written) {
                    self.recovery_file = None;
                }
            }
            Err(e) => self.status = format!("Autosave failed: {e}"),
        }
    }

    pub(super) fn drop_recovery(&mut self) {
        if let Some(f) = self.recovery_file.take() {
            recovery::remove(&f);
        }
    }

    /// Restores the offered copy: unsaved until the user saves it, and the copy stays
    /// until then.
    pub(super) fn restore(&mut self, offer: recovery::Recovery) {
        // The project file stays what the copy will be saved over.
        let file = self.path.clone().zip(self.disk_stamp);
        self.replace_project(offer.project, file);
        self.ws = Workspace::restored(self.ws.project().clone());
        self.recovery_file = Some(offer.path);
        self.status = "Restored the recovery copy; save to keep it.".to_string();
    }

    /// Leaving normally (after Save or Discard): wait for jobs still running, so that no
    /// save is cut off and no autosave copy outlives the session.
    pub(super) fn shut_down(&mut self) {
        let ctx = egui::Context::default();
        for done in self.jobs.drain(Duration::from_secs(60)) {
            match done {
                Ok(done) => self.finish(&ctx, done),
                Err(e) => eprintln!("spanmark: {e}"),
            }
        }
        if !self.ws.is_dirty() || self.allow_close {
            self.drop_recovery();
        }
    }
}
