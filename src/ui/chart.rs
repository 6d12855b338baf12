//! What the bar charts (statistics, agreement) share: each bar's value written on it.

use eframe::egui::{Align2, RichText};
use egui_plot::{PlotPoint, PlotUi, Text};

/// A bar's value as written over it: `x` and `y` where the bar's top is.
pub struct BarValue {
    /// The bar's middle.
    pub x: f64,
    /// The bar's top.
    pub y: f64,
    /// What is written ("12", "0.83").
    pub text: String,
}

/// Writes each value just above its bar's top (bars of 0 too, so an empty bar reads 0).
pub fn values_on_bars(plot: &mut PlotUi<'_>, values: Vec<BarValue>) {
    for (i, v) in values.into_iter().enumerate() {
        plot.text(
            Text::new(
                format!("bar value {i}"),
                PlotPoint::new(v.x, v.y),
                RichText::new(v.text).small(),
            )
            .anchor(Align2::CENTER_BOTTOM)
            .allow_hover(false),
        );
    }
}

/// Room above the tallest bar for its value: the y the plot should include.
pub fn headroom(max: f64) -> f64 {
    (max * 1.15).max(1.0)
}
