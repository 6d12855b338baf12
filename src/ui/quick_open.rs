//! Go to document (Ctrl+P): type part of a document's name, the matches filter as you
//! type (fuzzy, best first: [`crate::model::fuzzy`]), arrows move, Enter shows the
//! document, Esc closes.
//!
//! The matching runs only when the query or the project changes, over the names alone,
//! and keeps the best [`SHOWN`]: 50,000 names cost a few milliseconds (benches/reach.rs).

use eframe::egui::{self, RichText, text::LayoutJob};

use super::Action;
use super::shortcuts::ListKeys;
use crate::model::fuzzy::{self, Query};
use crate::model::{DocId, Workspace};

/// At most this many matches are listed (the best ones).
pub const SHOWN: usize = 100;

/// The box's state.
#[derive(Default)]
pub struct QuickOpen {
    /// Whether it is shown.
    pub open: bool,
    query: String,
    /// Index into `results`.
    highlighted: usize,
    /// The best matches, best first.
    results: Vec<DocId>,
    /// How many names matched in all.
    matched: usize,
    /// What `results` were computed for: the project revision and the query.
    key: Option<(u64, String)>,
    /// The places of every name that matched `key`'s query: typing further only ever
    /// narrows them, so the next keystroke looks at these alone.
    all: Vec<usize>,
    /// Put the field in focus on the next frame.
    focus: bool,
}

impl QuickOpen {
    /// Opens the box with an empty query.
    pub fn open(&mut self) {
        self.open = true;
        self.query.clear();
        self.highlighted = 0;
        self.key = None;
        self.focus = true;
    }

    /// Recomputes the matches if the query or the project changed.
    fn refresh(&mut self, ws: &Workspace) {
        let fresh = self
            .key
            .as_ref()
            .is_some_and(|(r, q)| *r == ws.revision() && *q == self.query);
        if fresh {
            return;
        }
        let project = ws.project();
        let docs = project.documents();
        let narrowing = self
            .key
            .as_ref()
            .is_some_and(|(r, q)| *r == ws.revision() && self.query.starts_with(q.as_str()));
        let query = Query::new(&self.query);
        let (ranked, all) = if narrowing {
            let among = self
                .all
                .iter()
                .filter_map(|&i| Some((i, docs.get(i)?.name.as_str())));
            fuzzy::rank_among(&query, among, SHOWN)
        } else {
            let among = docs.iter().map(|d| d.name.as_str()).enumerate();
            fuzzy::rank_among(&query, among, SHOWN)
        };
        self.results = ranked.iter().map(|r| docs[r.index].id()).collect();
        self.matched = all.len();
        self.all = all;
        self.key = Some((ws.revision(), self.query.clone()));
    }

    /// Shows the box (when open); pushes [`Action::SelectDocument`] on Enter or a click.
    pub fn show(&mut self, ctx: &egui::Context, ws: &Workspace, actions: &mut Vec<Action>) {
        if !self.open {
            return;
        }
        let keys = ctx.input_mut(ListKeys::take);
        self.refresh(ws);
        keys.step(&mut self.highlighted, self.results.len());
        let ListKeys {
            up,
            down,
            enter,
            escape,
        } = keys;
        let mut chosen = enter
            .then(|| self.results.get(self.highlighted).copied())
            .flatten();
        let project = ws.project();
        let modal = egui::Modal::new(egui::Id::unique("quick-open")).show(ctx, |ui| {
            ui.set_width(460.0);
            let heading = ui.label(RichText::new("Go to document").strong());
            let field = ui
                .add(
                    egui::TextEdit::singleline(&mut self.query)
                        .hint_text("type part of a document's name")
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(heading.id);
            if std::mem::take(&mut self.focus) || !field.has_focus() {
                field.request_focus();
            }
            if field.changed() {
                self.highlighted = 0;
            }
            let query = Query::new(&self.query);
            egui::ScrollArea::vertical()
                .max_height(360.0)
                .show(ui, |ui| {
                    for (k, &id) in self.results.iter().enumerate() {
                        let Some(doc) = project.document(id) else {
                            continue;
                        };
                        let text = name_job(ui, &query, &doc.name, doc.status.as_str());
                        let row = ui.selectable_label(k == self.highlighted, text);
                        if k == self.highlighted && (up || down) {
                            row.scroll_to_me(None);
                        }
                        if row.clicked() {
                            chosen = Some(id);
                        }
                    }
                    if self.results.is_empty() {
                        ui.weak("No document matches.");
                    }
                });
            if self.matched > self.results.len() {
                ui.weak(format!(
                    "The best {} of {} matches; type more to narrow.",
                    self.results.len(),
                    self.matched
                ));
            }
        });
        if let Some(id) = chosen {
            actions.push(Action::SelectDocument(id));
            self.open = false;
        }
        if escape || (modal.should_close() && !enter) {
            self.open = false;
        }
    }
}

/// A result row: the name with the matched chars strong, and the status, weak.
fn name_job(ui: &egui::Ui, query: &Query, name: &str, status: &str) -> LayoutJob {
    let style = ui.style();
    let font = egui::TextStyle::Button.resolve(style);
    let plain = style.visuals.text_color();
    let strong = style.visuals.strong_text_color();
    let hit = style.visuals.selection.bg_fill;
    let positions = query.positions(name).unwrap_or_default();
    let mut job = LayoutJob::default();
    let mut next = positions.iter().peekable();
    for (i, c) in name.chars().enumerate() {
        let matched = next.peek().is_some_and(|&&p| p == i);
        if matched {
            next.next();
        }
        let format = egui::TextFormat {
            font_id: font.clone(),
            color: if matched { strong } else { plain },
            underline: if matched {
                egui::Stroke::new(1.0, hit)
            } else {
                egui::Stroke::NONE
            },
            ..Default::default()
        };
        job.append(c.encode_utf8(&mut [0; 4]), 0.0, format);
    }
    job.append(
        &format!("   {status}"),
        0.0,
        egui::TextFormat {
            font_id: font,
            color: style.visuals.weak_text_color(),
            ..Default::default()
        },
    );
    job
}
