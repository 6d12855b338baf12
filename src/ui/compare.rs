//! Comparing annotators and adjudicating, drawn: each kind of disagreement
//! (`model::disagreement::Kind`) in its colour and pattern, the adjudication bar with its
//! progress and choices, the Adjudicate menu, and View › Agreement (F1 per label as bars,
//! pairs, kappa).
//!
//! Everything here reads state and pushes [`Action`]s; the app resolves disagreements
//! through `Edit::Resolve`, one undo step per choice.

use std::collections::HashMap;

use eframe::egui::{self, Button, Color32, Pos2, Rect, RichText, Shape, Stroke, StrokeKind, Ui};
use egui_plot::{Bar, BarChart, Plot};

use super::{Action, color, shortcuts};
use crate::model::agreement::Report;
pub use crate::model::disagreement::{Choice, Kind};
use crate::model::text::ellipsize;
use crate::model::{Disagreement, DocId, Document, Project, Span};

/// Outline and hatching colour of a kind of disagreement: apart from the Okabe–Ito label
/// colours by pattern too (solid, dashed, dotted), so they are told apart without colour
/// vision.
pub fn kind_color(kind: Kind) -> Color32 {
    match kind {
        Kind::Label => Color32::from_rgb(0xE0, 0x24, 0x5E),
        Kind::Bounds => Color32::from_rgb(0x8A, 0x4F, 0xFF),
        Kind::OneSided => Color32::from_rgb(0x8C, 0x8C, 0x8C),
        Kind::Link => Color32::from_rgb(0x1F, 0x8A, 0x78),
    }
}

/// One version as text: "PERSON ‘Zabihullah Mujahid’", several joined by ", ", or "—".
pub fn version_text(project: &Project, doc: &Document, spans: &[Span]) -> String {
    if spans.is_empty() {
        return "—".to_string();
    }
    spans
        .iter()
        .map(|s| {
            let name = project.label(s.label()).map_or("?", |l| l.name.as_str());
            format!("{name} ‘{}’", ellipsize(doc.span_text(s), 40))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Version `k` of a disagreement with its links: "PERSON ‘Mujahid’ + SPEAKER ‘We
/// will…’ to ‘Mujahid’", the links alone where the spans agree, or "—". (Words, not an
/// arrow: the UI font has no arrow glyph.)
pub fn version_summary(project: &Project, doc: &Document, d: &Disagreement, k: usize) -> String {
    let spans = d.versions.get(k).map_or(&[][..], |(_, s)| s.as_slice());
    let links = d.relations_of(k);
    let text = version_text(project, doc, spans);
    if links.is_empty() {
        return text;
    }
    let links = links
        .iter()
        .map(|r| {
            let kind = project
                .relation_type(r.kind())
                .map_or("?", |t| t.name.as_str());
            format!(
                "{kind} ‘{}’ to ‘{}’",
                ellipsize(doc.span_text(&r.from()), 24),
                ellipsize(doc.span_text(&r.to()), 24)
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    if spans.is_empty() {
        links
    } else {
        format!("{text} + {links}")
    }
}

/// Each annotator's version on one line: "alice: PERSON ‘Zabihullah Mujahid’ · bob: —".
pub fn describe(project: &Project, doc: &Document, d: &Disagreement) -> String {
    (0..d.versions.len())
        .map(|k| {
            let name = &d.versions[k].0;
            format!("{name}: {}", version_summary(project, doc, d, k))
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// Spacing of the hatching lines.
const HATCH_STEP: f32 = 6.0;

/// The shapes of one rect of a disagreement: hatching, and an outline whose pattern says
/// the kind (solid: label, dashed: bounds, dotted: one-sided, long dashes: link).
/// `current` is thicker.
/// Shapes, not painting, so the document view can put them under the text.
pub fn region_shapes(r: Rect, kind: Kind, current: bool, out: &mut Vec<Shape>) {
    let c = kind_color(kind);
    out.push(Shape::rect_filled(r, 2.0, c.gamma_multiply_u8(28)));
    // 45° lines, cut to the rect by hand (a shape list has no clip of its own).
    let stroke = Stroke::new(1.0, c.gamma_multiply_u8(150));
    let h = r.height().max(1.0);
    let mut x = r.left() - h;
    while x < r.right() {
        let t0 = ((r.left() - x) / h).max(0.0);
        let t1 = ((r.right() - x) / h).min(1.0);
        if t0 < t1 {
            let at = |t: f32| Pos2::new(x + t * h, r.bottom() - t * h);
            out.push(Shape::line_segment([at(t0), at(t1)], stroke));
        }
        x += HATCH_STEP;
    }
    let width = if current { 2.5 } else { 1.5 };
    let outline = Stroke::new(width, c);
    let r = r.expand(1.0);
    match kind {
        Kind::Label => {
            out.push(Shape::rect_stroke(r, 2.0, outline, StrokeKind::Outside));
        }
        Kind::Bounds | Kind::OneSided | Kind::Link => {
            let (dash, gap) = match kind {
                Kind::Bounds => (5.0, 3.0),
                // Long dashes: apart from bounds' at a glance.
                Kind::Link => (10.0, 3.0),
                _ => (1.5, 2.5),
            };
            let pts = [
                r.left_top(),
                r.right_top(),
                r.right_bottom(),
                r.left_bottom(),
                r.left_top(),
            ];
            out.extend(Shape::dashed_line(&pts, outline, dash, gap));
        }
    }
}

/// The agreement figures of a comparison, derived once when it loads.
pub struct Annotators {
    /// The annotators' names (file stems), in the order chosen.
    pub names: Vec<String>,
    /// Their projects.
    pub projects: Vec<Project>,
    /// The agreement report.
    pub report: Report,
    /// Mean exact F1 per document name.
    doc_f1: HashMap<String, f64>,
}

impl Annotators {
    /// Keeps the annotators' projects and indexes the report's per-document figures.
    pub fn new(names: Vec<String>, projects: Vec<Project>, report: Report) -> Self {
        let doc_f1 = report.documents.iter().cloned().collect();
        Self {
            names,
            projects,
            report,
            doc_f1,
        }
    }

    /// A document's mean exact F1 between the annotators, by name.
    pub fn document_f1(&self, name: &str) -> Option<f64> {
        self.doc_f1.get(name).copied()
    }
}

/// A document's line in the documents panel: its agreement and what is left to resolve.
pub fn document_agreement(ui: &mut Ui, f1: Option<f64>, left: usize) {
    ui.horizontal(|ui| {
        if f1.is_some() {
            ui.label(format!("F1 {}", figure(f1)))
                .on_hover_text("Mean exact F1 between the annotators (View › Agreement)");
        }
        if left > 0 {
            ui.weak(format!("{left} to resolve"));
        }
    });
}

/// How far adjudication has come.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    /// Disagreements when the project was opened or compared.
    pub total: usize,
    /// Disagreements left.
    pub left: usize,
}

impl Progress {
    /// Resolved so far.
    pub fn resolved(&self) -> usize {
        self.total.saturating_sub(self.left)
    }

    /// "12 of 40 disagreements resolved".
    pub fn text(&self) -> String {
        format!(
            "{} of {} {} resolved",
            self.resolved(),
            self.total,
            crate::model::plural(self.total, "disagreement")
        )
    }
}

/// The legend of disagreement kinds: a small patch drawn as in the text, and the word.
pub fn legend(ui: &mut Ui) {
    for kind in Kind::ALL {
        let (rect, _) = ui.allocate_exact_size(egui::vec2(22.0, 12.0), egui::Sense::hover());
        let mut shapes = Vec::new();
        region_shapes(rect.shrink(2.0), kind, false, &mut shapes);
        ui.painter().extend(shapes);
        ui.label(RichText::new(kind.name()).small());
    }
}

/// A button with its shortcut, pushing `action` when clicked.
fn key_button(
    ui: &mut Ui,
    text: &str,
    shortcut: &egui::KeyboardShortcut,
    hint: &str,
    action: Action,
    actions: &mut Vec<Action>,
) {
    let keys = ui.ctx().format_shortcut(shortcut);
    if ui
        .add(Button::new(text))
        .on_hover_text(format!("{hint} ({keys})"))
        .clicked()
    {
        actions.push(action);
    }
}

/// The adjudication bar: progress, the legend, the current disagreement's versions and
/// the choices (each one undo step, then on to the next disagreement).
pub fn bar(
    ui: &mut Ui,
    project: &Project,
    progress: Progress,
    current: Option<(DocId, usize)>,
    actions: &mut Vec<Action>,
) {
    ui.horizontal_wrapped(|ui| {
        let fraction = if progress.total == 0 {
            1.0
        } else {
            progress.resolved() as f32 / progress.total as f32
        };
        ui.add(
            egui::ProgressBar::new(fraction)
                .desired_width(240.0)
                .text(progress.text()),
        );
        key_button(
            ui,
            "Previous",
            &shortcuts::PREVIOUS_DISAGREEMENT,
            "Show the previous disagreement",
            Action::StepDisagreement { forward: false },
            actions,
        );
        key_button(
            ui,
            "Next",
            &shortcuts::NEXT_DISAGREEMENT,
            "Show the next disagreement",
            Action::StepDisagreement { forward: true },
            actions,
        );
        ui.separator();
        legend(ui);
    });
    let found = current.and_then(|(doc, i)| {
        let d = project.document(doc)?;
        Some((d, d.disagreements().get(i)?))
    });
    let Some((doc, d)) = found else {
        if progress.left == 0 {
            ui.label("Every disagreement is resolved. Save the gold project with File › Save.");
        }
        return;
    };
    ui.horizontal_wrapped(|ui| {
        let kind = Kind::of(d);
        ui.label(
            RichText::new(format!("{}, {}–{}:", kind.name(), d.start, d.end))
                .color(kind_color(kind))
                .strong(),
        );
        for (k, (name, _)) in d.versions.iter().enumerate() {
            let letter = version_letter(k);
            let text = format!("{letter} {name}: {}", version_summary(project, doc, d, k));
            let hint = match k {
                0 => format!("Take {name}'s version (Alt+A or Alt+1)"),
                1 => format!("Take {name}'s version (Alt+B or Alt+2)"),
                k if k < 9 => format!("Take {name}'s version (Alt+{})", k + 1),
                _ => format!("Take {name}'s version"),
            };
            if ui.button(text).on_hover_text(hint).clicked() {
                actions.push(Action::Adjudicate(Choice::Take(k)));
            }
        }
        key_button(
            ui,
            "Both",
            &shortcuts::TAKE_BOTH,
            "Take every version's spans",
            Action::Adjudicate(Choice::Both),
            actions,
        );
        key_button(
            ui,
            "Neither",
            &shortcuts::TAKE_NEITHER,
            "No span here",
            Action::Adjudicate(Choice::Neither),
            actions,
        );
    });
}

/// A, B, C… for the first versions, then numbers.
pub fn version_letter(k: usize) -> String {
    match u8::try_from(k) {
        Ok(k) if k < 26 => char::from(b'A' + k).to_string(),
        _ => (k + 1).to_string(),
    }
}

/// The Adjudicate menu.
pub fn menu(ui: &mut Ui, has_annotators: bool, actions: &mut Vec<Action>) {
    let ctx = ui.ctx().clone();
    let mut item = |ui: &mut Ui, text: &str, s: &egui::KeyboardShortcut, action: Action| {
        if ui
            .add(Button::new(text).shortcut_text(ctx.format_shortcut(s)))
            .clicked()
        {
            actions.push(action);
        }
    };
    item(
        ui,
        "Next disagreement",
        &shortcuts::NEXT_DISAGREEMENT,
        Action::StepDisagreement { forward: true },
    );
    item(
        ui,
        "Previous disagreement",
        &shortcuts::PREVIOUS_DISAGREEMENT,
        Action::StepDisagreement { forward: false },
    );
    ui.separator();
    item(
        ui,
        "Take A",
        &shortcuts::TAKE_A,
        Action::Adjudicate(Choice::Take(0)),
    );
    item(
        ui,
        "Take B",
        &shortcuts::TAKE_B,
        Action::Adjudicate(Choice::Take(1)),
    );
    item(
        ui,
        "Both",
        &shortcuts::TAKE_BOTH,
        Action::Adjudicate(Choice::Both),
    );
    item(
        ui,
        "Neither",
        &shortcuts::TAKE_NEITHER,
        Action::Adjudicate(Choice::Neither),
    );
    ui.add_enabled(
        false,
        Button::new("Take annotator k").shortcut_text("Alt+1 … 9"),
    );
    ui.separator();
    if ui
        .add_enabled(has_annotators, Button::new("Agreement"))
        .clicked()
    {
        actions.push(Action::OpenAgreement);
    }
}

/// The adjudication keys, as listed under Help and in the README.
pub const KEY_HELP: &[(&str, &str)] = &[
    ("Alt+Down, Alt+Up", "next / previous disagreement"),
    (
        "Alt+A, Alt+B",
        "take A's / B's version (ours / theirs), then the next one",
    ),
    ("Alt+1 … 9", "take annotator k's version"),
    ("Alt+U", "both: every version's spans"),
    ("Alt+N", "neither: no span there"),
];

/// View › Agreement: F1 per label as bars, the pairwise table and kappa.
#[derive(Default)]
pub struct AgreementView {
    /// Whether the window is shown.
    pub open: bool,
}

/// A figure with two decimals, or "—".
fn figure(x: Option<f64>) -> String {
    x.filter(|x| x.is_finite())
        .map_or_else(|| "—".to_string(), |x| format!("{x:.2}"))
}

impl AgreementView {
    /// Shows the window (when open). `project` gives the labels' colours.
    pub fn show(
        &mut self,
        ctx: &egui::Context,
        project: &Project,
        annotators: Option<&Annotators>,
    ) {
        if !self.open {
            return;
        }
        let mut open = self.open;
        // Over the right of the window: the adjudication bar and the text stay in view.
        let at = ctx.content_rect().right_top() + egui::vec2(-580.0, 120.0);
        egui::Window::new("Agreement")
            .open(&mut open)
            .default_pos(at)
            .default_size([560.0, 480.0])
            .show(ctx, |ui| match annotators {
                Some(a) => contents(ui, project, a),
                None => {
                    ui.label(
                        "No annotators are loaded. Use File › Compare annotators… to \
                         measure their agreement.",
                    );
                }
            });
        self.open = open;
    }
}

fn contents(ui: &mut Ui, project: &Project, a: &Annotators) {
    let report = &a.report;
    ui.label(format!(
        "{} annotators: {}. Exact match: same start, end and label; overlap: same label, \
         ranges overlap.",
        a.names.len(),
        a.names.join(", ")
    ));
    ui.horizontal_wrapped(|ui| {
        ui.strong(format!(
            "F1 {} exact, {} overlap",
            figure(Some(report.exact.f1)),
            figure(Some(report.overlap.f1))
        ));
        ui.separator();
        let (name, kappa) = if a.names.len() == 2 {
            ("Cohen's kappa", report.cohen_kappa)
        } else {
            ("Fleiss' kappa", report.fleiss_kappa)
        };
        ui.strong(format!("{name} {}", figure(kappa)));
        ui.weak(format!(
            "(over {}, as the token exports cut them)",
            super::count(report.tokens, "token")
        ));
    });
    ui.add_space(4.0);
    ui.label(
        RichText::new("F1 per label, mean over pairs: exact (full) and overlap (pale)").strong(),
    );
    let names: Vec<String> = report.per_label.keys().cloned().collect();
    let label_color = |name: &str| {
        project
            .label_id(name)
            .and_then(|id| project.label(id))
            .map_or(Color32::GRAY, |l| color(l.color))
    };
    let exact: Vec<Bar> = report
        .per_label
        .iter()
        .enumerate()
        .map(|(i, (name, &f1))| {
            Bar::new(i as f64 - 0.18, f1)
                .name(format!("{name} exact"))
                .fill(label_color(name))
                .width(0.34)
        })
        .collect();
    let overlap: Vec<Bar> = names
        .iter()
        .enumerate()
        .filter_map(|(i, name)| {
            let f1 = *report.per_label_overlap.get(name)?;
            Some(
                Bar::new(i as f64 + 0.18, f1)
                    .name(format!("{name} overlap"))
                    .fill(label_color(name).gamma_multiply(0.45))
                    .width(0.34),
            )
        })
        .collect();
    let values: Vec<super::chart::BarValue> = exact
        .iter()
        .chain(&overlap)
        .map(|b| super::chart::BarValue {
            x: b.argument,
            y: b.value,
            text: format!("{:.2}", b.value),
        })
        .collect();
    Plot::new("f1-per-label")
        .height(190.0)
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .show_grid([false, true])
        .include_y(0.0)
        .include_y(super::chart::headroom(1.0))
        .y_axis_label("F1")
        .x_axis_formatter(move |mark, _| {
            let i = mark.value.round();
            if (mark.value - i).abs() < 1e-6 && i >= 0.0 {
                names.get(i as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .show(ui, |plot| {
            plot.bar_chart(BarChart::new("exact F1", exact));
            plot.bar_chart(BarChart::new("overlap F1", overlap));
            super::chart::values_on_bars(plot, values);
        });
    ui.add_space(6.0);
    ui.label(RichText::new("Pairs").strong());
    // A links column only when someone linked something (the report says).
    let links = report.relations.is_some();
    egui::Grid::new("agreement-pairs")
        .striped(true)
        .num_columns(6 + usize::from(links))
        .show(ui, |ui| {
            for h in ["A", "B", "F1", "F1 overlap", "precision", "recall"] {
                ui.strong(h);
            }
            if links {
                ui.strong("F1 links")
                    .on_hover_text("Links with both spans exact and the same type");
            }
            ui.end_row();
            for p in &report.pairs {
                ui.label(&p.a);
                ui.label(&p.b);
                ui.label(figure(Some(p.exact.f1)));
                ui.label(figure(Some(p.overlap.f1)));
                ui.label(figure(Some(p.exact.precision)));
                ui.label(figure(Some(p.exact.recall)));
                if links {
                    ui.label(figure(p.relations.map(|r| r.f1)));
                }
                ui.end_row();
            }
        });
    ui.add_space(6.0);
    ui.label(RichText::new("Per document (mean over pairs)").strong());
    egui::ScrollArea::vertical()
        .max_height(160.0)
        .show(ui, |ui| {
            egui::Grid::new("agreement-docs")
                .striped(true)
                .show(ui, |ui| {
                    ui.strong("document");
                    ui.strong("F1");
                    ui.strong("F1 overlap");
                    ui.end_row();
                    for (i, (name, f1)) in report.documents.iter().enumerate() {
                        ui.label(name);
                        ui.label(figure(Some(*f1)));
                        ui.label(figure(report.documents_overlap.get(i).map(|d| d.1)));
                        ui.end_row();
                    }
                });
        });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::LabelId;

    fn span(s: usize, e: usize, l: u32) -> Span {
        Span::new(s, e, LabelId(l)).unwrap()
    }

    fn d(versions: Vec<(&str, Vec<Span>)>) -> Disagreement {
        let start = versions
            .iter()
            .flat_map(|v| v.1.iter().map(|s| s.start()))
            .min()
            .unwrap_or(0);
        let end = versions
            .iter()
            .flat_map(|v| v.1.iter().map(|s| s.end()))
            .max()
            .unwrap_or(1);
        Disagreement {
            start,
            end,
            versions: versions
                .into_iter()
                .map(|(n, s)| (n.to_string(), s))
                .collect(),
            relations: Vec::new(),
        }
    }

    #[test]
    fn describe_names_each_annotator_and_what_they_have() {
        let project = Project::with_documents(vec![Document::new("d", "Zabihullah Mujahid said")]);
        let doc = &project.documents()[0];
        let x = d(vec![("alice", vec![span(0, 18, 0)]), ("bob", vec![])]);
        let name = &project.labels()[0].name;
        assert_eq!(
            describe(&project, doc, &x),
            format!("alice: {name} ‘Zabihullah Mujahid’ · bob: —")
        );
    }
}
