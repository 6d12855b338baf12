use anyhow::Context as _;
use clap::Parser;
use eframe::egui;

use spanmark::app::{SpanmarkApp, Startup};
use spanmark::cli::Cli;

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let startup = if cli.paths.is_empty() {
        Startup::Sample
    } else {
        Startup::Paths(cli.paths)
    };
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("spanmark")
            .with_app_id("spanmark")
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([640.0, 400.0])
            .with_drag_and_drop(true),
        ..Default::default()
    };
    eframe::run_native(
        "spanmark",
        options,
        Box::new(|cc| Ok(Box::new(SpanmarkApp::new(cc, startup)))),
    )
    .map_err(|e| anyhow::anyhow!("{e}"))
    .context("could not open the spanmark window")
}
