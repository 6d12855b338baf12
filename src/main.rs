use anyhow::Context as _;
use clap::Parser;
use eframe::egui;

use spanmark::app::{SpanmarkApp, Startup};
use spanmark::cli::{self, Cli};

fn main() {
    let cli = Cli::parse();
    let result = match cli.command {
        Some(command) => cli::run(command, &mut std::io::stdout(), &mut std::io::stderr()),
        None => {
            cli::check_gui_paths(&cli.paths).and_then(|()| run_gui(cli.paths, cli.bench_scroll))
        }
    };
    if let Err(e) = result {
        eprintln!("spanmark: error: {e:#}");
        std::process::exit(1);
    }
}

fn run_gui(paths: Vec<std::path::PathBuf>, bench_scroll: bool) -> anyhow::Result<()> {
    let startup = if paths.is_empty() {
        Startup::Sample
    } else {
        Startup::Paths(paths)
    };
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("spanmark")
            .with_app_id("spanmark")
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([640.0, 400.0])
            .with_drag_and_drop(true),
        // OpenGL through glow: on machines without a GPU (Mesa's llvmpipe) it takes ~10 MB
        // less memory and ~17% less CPU per frame than wgpu, which there runs on GL anyway.
        renderer: eframe::Renderer::Glow,
        ..Default::default()
    };
    eframe::run_native(
        "spanmark",
        options,
        Box::new(move |cc| {
            let app = SpanmarkApp::new(cc, startup);
            Ok(Box::new(if bench_scroll {
                app.with_bench_scroll()
            } else {
                app
            }))
        }),
    )
    .map_err(|e| anyhow::anyhow!("{e}"))
    .context("could not open the spanmark window")
}
