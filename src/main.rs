use anyhow::Context as _;
use clap::Parser;
use eframe::egui;

use spanmark::app::{SpanmarkApp, Startup};
use spanmark::cli::{self, Cli, PipeWriter};
use std::io::Write as _;

fn main() {
    let cli = Cli::parse();
    let result = match cli.command {
        Some(command) => {
            let mut out = PipeWriter::new(std::io::stdout());
            let mut err = PipeWriter::new(std::io::stderr());
            let result = cli::run(command, &mut out, &mut err).and_then(|()| Ok(out.flush()?));
            // A reader that stopped reading (`| head -1`) is no error: end quietly, as
            // ripgrep does.
            if (out.closed() || err.closed()) && result.as_ref().is_err_and(cli::is_broken_pipe) {
                std::process::exit(0);
            }
            result
        }
        None => {
            cli::check_gui_paths(&cli.paths).and_then(|()| run_gui(cli.paths, cli.bench_scroll))
        }
    };
    if let Err(e) = result {
        // Not eprintln!, which panics when stderr is closed.
        let mut stderr = std::io::stderr();
        // The merge driver owes git particular exit statuses.
        if let Some(exit) = e.downcast_ref::<cli::Exit>() {
            let _ = writeln!(stderr, "spanmark: {}", exit.message);
            std::process::exit(exit.code);
        }
        let _ = writeln!(stderr, "spanmark: error: {e:#}");
        std::process::exit(1);
    }
}

/// The window icon (also installed by the .deb as the desktop entry's icon).
const ICON: &[u8] = include_bytes!("../assets/spanmark.png");

fn run_gui(paths: Vec<std::path::PathBuf>, bench_scroll: bool) -> anyhow::Result<()> {
    let startup = if paths.is_empty() {
        Startup::Sample
    } else {
        Startup::Paths(paths)
    };
    // The app id names assets/spanmark.desktop, so desktops pair the window with its entry.
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("spanmark")
        .with_app_id("spanmark")
        .with_inner_size([1280.0, 800.0])
        .with_min_inner_size([640.0, 400.0])
        .with_drag_and_drop(true);
    match eframe::icon_data::from_png_bytes(ICON) {
        Ok(icon) => viewport = viewport.with_icon(icon),
        Err(e) => eprintln!("spanmark: the window icon could not be read: {e}"),
    }
    let options = eframe::NativeOptions {
        viewport,
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

#[cfg(test)]
mod tests {
    #[test]
    fn the_window_icon_decodes() {
        let icon = eframe::icon_data::from_png_bytes(super::ICON).expect("assets/spanmark.png");
        assert_eq!((icon.width, icon.height), (256, 256));
    }
}
