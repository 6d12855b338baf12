//! `--bench-scroll` without a window: the real app on a headless `egui::Context`
//! (1280×800, tessellation included, no GPU driver), scrolled through a project from top to
//! bottom. Run it under `/usr/bin/time -v` to see the memory the app and egui take apart
//! from the graphics driver:
//!
//! ```text
//! cargo run --release --example gen_corpus -- --chars 1000000 --spans 50000 -o big.ron
//! cargo build --release --example scroll_headless
//! /usr/bin/time -v target/release/examples/scroll_headless big.ron
//! ```

use std::path::PathBuf;

use anyhow::{Context as _, bail};
use eframe::App as _;
use eframe::egui::{self, Pos2, RawInput, Rect, vec2};
use spanmark::app::{SpanmarkApp, Startup};

fn main() -> anyhow::Result<()> {
    let Some(path) = std::env::args_os().nth(1).map(PathBuf::from) else {
        bail!("usage: scroll_headless PROJECT.ron");
    };
    let mut app = SpanmarkApp::headless(Startup::Paths(vec![path.clone()])).with_bench_scroll();
    if let Some(e) = app.error() {
        bail!("{}: {e}", path.display());
    }
    let ctx = egui::Context::default();
    let mut frame = eframe::Frame::_new_kittest();
    let mut time = 0.0;
    let mut frames = 0;
    while app.is_bench_scrolling() {
        time += 1.0 / 60.0;
        let input = RawInput {
            screen_rect: Some(Rect::from_min_size(Pos2::ZERO, vec2(1280.0, 800.0))),
            time: Some(time),
            ..Default::default()
        };
        let out = ctx.run_ui(input, |ui| app.ui(ui, &mut frame));
        std::hint::black_box(ctx.tessellate(out.shapes, out.pixels_per_point));
        frames += 1;
        if frames > 10_000 {
            bail!("the scroll did not finish in {frames} frames");
        }
    }
    let status = std::fs::read_to_string("/proc/self/status").context("reading /proc")?;
    let peak = status
        .lines()
        .find(|l| l.starts_with("VmHWM"))
        .unwrap_or("VmHWM: unknown");
    println!("{frames} frames; {peak}");
    Ok(())
}
