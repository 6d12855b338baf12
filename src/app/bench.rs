//! `--bench-scroll`: a scripted scroll through the document, then quit, so that peak
//! memory and frame pacing are measured on a run that really lays out and draws it all.

use std::time::Instant;

use eframe::egui::{self, ViewportCommand};

use super::SpanmarkApp;
use crate::model::Project;

/// Frames from the top to the bottom of the document.
const STEPS: usize = 400;

impl SpanmarkApp {
    /// Scrolls through the current document from top to bottom, a new place each frame,
    /// then closes the window.
    pub fn with_bench_scroll(mut self) -> Self {
        self.bench_scroll = Some((0, Instant::now()));
        self
    }

    /// Whether a `--bench-scroll` run is still going.
    pub fn is_bench_scrolling(&self) -> bool {
        self.bench_scroll.is_some()
    }

    /// Replaces the open project without any question (benchmarks, tools).
    pub fn replace_project_for_bench(&mut self, project: Project) {
        self.replace_project(project, None);
    }

    pub(super) fn bench_scroll_step(&mut self, ctx: &egui::Context) {
        let Some((step, started)) = self.bench_scroll else {
            return;
        };
        if self.jobs.is_busy() {
            ctx.request_repaint();
            return;
        }
        let (chars, spans) = self
            .current_doc()
            .map_or((0, 0), |d| (d.text().char_len(), d.spans().len()));
        if step > STEPS {
            let secs = started.elapsed().as_secs_f64();
            eprintln!(
                "bench-scroll: {STEPS} places in a {chars}-char document with {spans} spans, \
                 {secs:.2} s ({:.1} ms a frame)",
                secs * 1000.0 / STEPS as f64
            );
            self.bench_scroll = None;
            ctx.send_viewport_cmd(ViewportCommand::Close);
            return;
        }
        self.view.scroll_to(chars * step / STEPS);
        self.bench_scroll = Some((step + 1, started));
        ctx.request_repaint();
    }
}
