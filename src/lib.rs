//! spanmark: a native desktop app for labeling text spans.
//!
//! - [`model`]: plain data and pure operations (no UI, no IO).
//! - [`io`]: project files, atomic saves, imports.
//! - [`ui`]: egui views that return [`ui::Action`]s.
//! - [`app`]: the eframe shell that applies actions.
//! - [`cli`]: command-line parsing and headless commands (`cli/team.rs`: merge, split, git).
//! - [`synth`]: synthetic projects for benchmarks and stress tests.

pub mod app;
pub mod cli;
pub mod io;
pub mod model;
pub mod synth;
pub mod ui;
