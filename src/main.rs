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
        // The merge driver owes git particular exit statuses.
        if let Some(exit) = e.downcast_ref::<cli::Exit>() {
            eprintln!("spanmark: {}", exit.message);
            std::process::exit(exit.code);
        }
        eprintln!("spanmark: error: {e:#}");
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
