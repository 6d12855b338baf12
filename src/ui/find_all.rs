//! Find in all documents (Ctrl+Shift+F): text or a regex, the results with their
//! document and context, Enter or a click to jump to one, and "Label all results as".
//!
//! View state only: the app runs the search as a background job
//! ([`Action::FindAllRun`]) and hands the results back ([`FindAll::finished`]).

pub use crate::model::text::thousands;
use eframe::egui::{self, Key, Ui, text::LayoutJob};

use super::Action;
use crate::model::search_all::{Found, Hit, snippet};
use crate::model::{Project, Workspace};

/// The query field's id (the panel reads its focus before drawing it).
const FIELD: &str = "find-all-query";

/// Chars of context either side of a match in the list.
const CONTEXT: usize = 40;

/// A search, as asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Asked {
    /// The text or pattern.
    pub query: String,
    /// Whether it is a regex.
    pub regex: bool,
    /// Whether case matters.
    pub match_case: bool,
}

/// The panel's state.
#[derive(Default)]
pub struct FindAll {
    /// Whether the panel is shown.
    pub open: bool,
    /// What to find.
    pub query: String,
    /// A regular expression, not plain text.
    pub regex: bool,
    /// Whether case matters.
    pub match_case: bool,
    /// Focus the field on the next frame.
    focus: bool,
    /// The search running: what was asked and its job's number.
    running: Option<(Asked, u64)>,
    /// The results shown and what they were found for.
    results: Option<(Asked, Found)>,
    /// Why the last search could not run.
    error: Option<String>,
    /// The result the keys are on.
    highlighted: usize,
    /// The result Enter last jumped to: Enter again goes to the next one.
    visited: Option<usize>,
}

impl FindAll {
    /// Shows the panel with the field in focus.
    pub fn open(&mut self) {
        self.open = true;
        self.focus = true;
    }

    /// What the fields ask for now.
    pub fn asked(&self) -> Asked {
        Asked {
            query: self.query.clone(),
            regex: self.regex,
            match_case: self.match_case,
        }
    }

    /// Forgets the results and any running search (another project was opened: its
    /// documents are not these).
    pub fn forget(&mut self) {
        self.running = None;
        self.results = None;
        self.error = None;
        self.highlighted = 0;
        self.visited = None;
    }

    /// A search started as job `job`.
    pub fn started(&mut self, asked: Asked, job: u64) {
        self.running = Some((asked, job));
        self.error = None;
    }

    /// The search could not start.
    pub fn failed(&mut self, error: String) {
        self.running = None;
        self.results = None;
        self.error = Some(error);
    }

    /// Job `job` found `found`: shown unless another search started since.
    pub fn finished(&mut self, job: u64, found: Found) {
        let Some((asked, _)) = self.running.take_if(|(_, j)| *j == job) else {
            return;
        };
        self.results = Some((asked, found));
        self.highlighted = 0;
        self.visited = None;
    }

    /// Whether a search is running.
    pub fn is_running(&self) -> bool {
        self.running.is_some()
    }

    /// The matches listed.
    pub fn hits(&self) -> &[Hit] {
        self.results.as_ref().map_or(&[], |(_, f)| &f.hits)
    }

    /// "12 matches in 3 documents", "first 10,000 matches", "No matches".
    pub fn summary(&self, project: &Project) -> String {
        if let Some(e) = &self.error {
            return e.clone();
        }
        if self.running.is_some() {
            return "Searching…".to_string();
        }
        let Some((_, found)) = &self.results else {
            return String::new();
        };
        let n = found.hits.len();
        if n == 0 {
            return match project.documents().len() {
                1 => "No matches in the 1 document.".to_string(),
                k => format!("No matches in {} documents.", thousands(k)),
            };
        }
        let mut docs: Vec<_> = found.hits.iter().map(|h| h.doc).collect();
        docs.dedup();
        let in_docs = match docs.len() {
            1 => "1 document".to_string(),
            k => format!("{} documents", thousands(k)),
        };
        match (found.truncated, n) {
            (true, _) => format!(
                "First {} matches (in {in_docs}); there are more: narrow the search.",
                thousands(n)
            ),
            (false, 1) => format!("1 match in {in_docs}."),
            (false, _) => format!("{} matches in {in_docs}.", thousands(n)),
        }
    }

    /// Draws the panel; pushes what the user asked for.
    pub fn show(&mut self, ui: &mut Ui, ws: &Workspace, actions: &mut Vec<Action>) {
        let project = ws.project();
        let field_id = egui::Id::unique(FIELD);
        let focused = ui.memory(|m| m.has_focus(field_id));
        // The list's keys while the field has the keyboard, before it takes them.
        let (up, down) = if focused {
            ui.input_mut(|i| {
                (
                    i.consume_key(egui::Modifiers::NONE, Key::ArrowUp),
                    i.consume_key(egui::Modifiers::NONE, Key::ArrowDown),
                )
            })
        } else {
            (false, false)
        };
        let n = self.hits().len();
        if down && n > 0 {
            self.highlighted = (self.highlighted + 1).min(n - 1);
        }
        if up {
            self.highlighted = self.highlighted.saturating_sub(1);
        }
        let stale = self
            .results
            .as_ref()
            .is_none_or(|(asked, _)| *asked != self.asked());
        ui.horizontal(|ui| {
            let heading = ui.label("Find in all documents");
            let field = ui
                .add(
                    egui::TextEdit::singleline(&mut self.query)
                        .id(field_id)
                        .hint_text(if self.regex {
                            "regular expression"
                        } else {
                            "text"
                        })
                        .desired_width(260.0),
                )
                .labelled_by(heading.id);
            if std::mem::take(&mut self.focus) {
                field.request_focus();
            }
            let (enter, escape) =
                ui.input(|i| (i.key_pressed(Key::Enter), i.key_pressed(Key::Escape)));
            if field.lost_focus() && enter {
                if stale {
                    actions.push(Action::FindAllRun(self.asked()));
                } else if n > 0 {
                    if self.visited == Some(self.highlighted) {
                        self.highlighted = (self.highlighted + 1) % n;
                    }
                    self.jump(actions);
                }
                // Keep typing or pressing Enter without clicking back.
                field.request_focus();
            }
            if field.lost_focus() && escape {
                actions.push(Action::CloseFindAll);
            }
            ui.checkbox(&mut self.regex, "Regex")
                .on_hover_text("A regular expression (Rust regex syntax)");
            ui.checkbox(&mut self.match_case, "Match case");
            if ui
                .add_enabled(!self.is_running(), egui::Button::new("Find all"))
                .on_hover_text("Search every document (Enter)")
                .clicked()
            {
                actions.push(Action::FindAllRun(self.asked()));
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui.button("Close").on_hover_text("Close (Esc)").clicked() {
                    actions.push(Action::CloseFindAll);
                }
            });
        });
        ui.horizontal(|ui| {
            let summary = self.summary(project);
            if self.error.is_some() {
                ui.colored_label(ui.visuals().error_fg_color, summary);
            } else {
                ui.label(summary);
            }
            if n > 0 && !self.is_running() {
                ui.separator();
                ui.menu_button("Label all results as…", |ui| {
                    for (id, label) in project.label_entries() {
                        if ui.button(&label.name).clicked() {
                            actions.push(Action::LabelResults(id));
                        }
                    }
                })
                .response
                .on_hover_text(
                    "Every match becomes a span, as one undo step; matches a span of that \
                     label already overlaps are skipped",
                );
            }
        });
        self.list(ui, project, up || down, actions);
    }

    /// Pushes the jump to the highlighted result.
    fn jump(&mut self, actions: &mut Vec<Action>) {
        if let Some(&hit) = self.hits().get(self.highlighted) {
            self.visited = Some(self.highlighted);
            actions.push(Action::GoToMatch(hit));
        }
    }

    /// The results, only the rows on screen laid out.
    fn list(&mut self, ui: &mut Ui, project: &Project, moved: bool, actions: &mut Vec<Action>) {
        let row_height = ui.spacing().interact_size.y;
        let hits = self.hits().to_vec();
        let mut clicked = None;
        let mut area = egui::ScrollArea::vertical()
            .id_salt("find-all-results")
            .auto_shrink([false, false]);
        if moved {
            // Keep the highlighted row in view: scroll so it is the third row shown.
            let spacing = ui.spacing().item_spacing.y;
            let y = (self.highlighted.saturating_sub(2)) as f32 * (row_height + spacing);
            area = area.vertical_scroll_offset(y);
        }
        area.show_rows(ui, row_height, hits.len(), |ui, rows| {
            for k in rows {
                let hit = hits[k];
                let Some(doc) = project.document(hit.doc) else {
                    ui.weak("(document deleted)");
                    continue;
                };
                let job = result_job(
                    ui,
                    &doc.name,
                    &snippet(doc.text(), hit.start, hit.end, CONTEXT),
                );
                let r = ui.add(egui::Button::selectable(k == self.highlighted, job).truncate());
                if r.clicked() {
                    clicked = Some(k);
                }
            }
        });
        if let Some(k) = clicked {
            self.highlighted = k;
            self.jump(actions);
        }
    }
}

/// One result: the document's name, then the context with the match highlighted.
fn result_job(ui: &Ui, name: &str, s: &crate::model::search_all::Snippet) -> LayoutJob {
    let style = ui.style();
    let font = egui::TextStyle::Button.resolve(style);
    let plain = egui::TextFormat {
        font_id: font.clone(),
        color: style.visuals.text_color(),
        ..Default::default()
    };
    let mut job = LayoutJob::default();
    job.append(
        &format!("{name}:  "),
        0.0,
        egui::TextFormat {
            color: style.visuals.strong_text_color(),
            ..plain.clone()
        },
    );
    job.append(&s.before, 0.0, plain.clone());
    job.append(
        &s.matched,
        0.0,
        egui::TextFormat {
            background: style.visuals.selection.bg_fill,
            color: style.visuals.strong_text_color(),
            // Still marked on the highlighted row, whose fill is the same colour.
            underline: egui::Stroke::new(1.5, style.visuals.strong_text_color()),
            ..plain.clone()
        },
    );
    job.append(&s.after, 0.0, plain);
    job
}
