//! The frame's layout around the document: the panels (menu bar, toolbar, documents,
//! spans, adjudication), the document view itself, and the status bar.

use eframe::egui;

use super::SpanmarkApp;
use crate::ui::{Action, Suggested, panels, shortcuts};

impl SpanmarkApp {
    pub(super) fn status_bar(&self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        ui.horizontal(|ui| {
            self.current_document_label(ui);
            self.command_progress(ui, actions);
            if self.suggestions.build.is_some() {
                ui.label("Finding suggestions…")
                    .on_hover_text("The project is large: they are found in the background.");
                ui.separator();
            }
            let here = self
                .current
                .map_or(0, |d| self.suggestions.engine.for_doc(d).len());
            if let Some(why) = self.suggestions.engine.learned_stopped() {
                ui.label(
                    egui::RichText::new("Learned suggestions stopped")
                        .color(ui.visuals().warn_fg_color),
                )
                .on_hover_text(why);
                ui.separator();
            }
            let total = self.suggestions.engine.total();
            if total > 0 {
                ui.label(format!("Suggestions: {here} here, {total} in all"))
                    .on_hover_text(
                        "Dashed outlines. Tab goes to the next, Enter accepts, X rejects; \
                         Suggestions › Accept all…",
                    );
                ui.separator();
            }
            if let Some(sel) = self.view.selection.filter(|s| !s.is_empty()) {
                let (s, e) = sel.range();
                ui.label(format!(
                    "Selection {s}–{e} ({})",
                    crate::ui::count(e - s, "char")
                ));
                ui.separator();
            } else if let Some(span) = self.view.selected_span {
                let name = self
                    .ws
                    .project()
                    .label(span.label())
                    .map_or("?", |l| l.name.as_str());
                ui.label(format!("{name} {}–{}", span.start(), span.end()));
                ui.separator();
            } else if let Some(r) = self.view.selected_relation {
                let p = self.ws.project();
                let name =
                    |s: crate::model::Span| p.label(s.label()).map_or("?", |l| l.name.as_str());
                ui.label(format!(
                    "{} {} {}–{} to {} {}–{}",
                    crate::ui::relations::type_name(p, &r),
                    name(r.from()),
                    r.from().start(),
                    r.from().end(),
                    name(r.to()),
                    r.to().start(),
                    r.to().end()
                ));
                ui.separator();
            }
            // In the status bar, not over the text: the text does not move when the
            // hint goes with the first span.
            if self.current.is_some()
                && let Some(hint) = shortcuts::first_run_hint(self.ws.project())
            {
                ui.label(egui::RichText::new(hint).strong());
                ui.separator();
            }
            ui.label(&self.status);
        });
    }

    /// The panels around the document, and the document; returns the menu bar's bottom
    /// (windows open below it).
    pub(super) fn panels(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) -> f32 {
        let menu = egui::Panel::top("menu").show(ui, |ui| {
            panels::menu_bar(
                ui,
                &self.ws,
                (self.current, self.pending()),
                &self.recent,
                &mut self.snap,
                self.compare.annotators.is_some(),
                actions,
            );
        });
        egui::Panel::top("toolbar").show(ui, |ui| {
            ui.add_space(2.0);
            panels::toolbar(ui, self.ws.project(), &mut self.snap, actions);
            ui.add_space(2.0);
        });
        if self.find.open {
            if let Some(doc) = self.current.and_then(|d| self.ws.project().document(d)) {
                // The document may have changed under the bar (switch, undo of an import).
                self.find.refresh(doc);
            }
            egui::Panel::top("find").show(ui, |ui| {
                ui.add_space(2.0);
                self.find.show(ui, actions);
                ui.add_space(2.0);
            });
        }
        egui::Panel::bottom("status").show(ui, |ui| self.status_bar(ui, actions));
        self.find_all_panel(ui, actions);
        egui::Panel::left("documents")
            .resizable(true)
            .default_size(190.0)
            .show(ui, |ui| {
                crate::ui::documents::show(
                    ui,
                    &self.ws,
                    &mut self.documents,
                    self.current,
                    self.compare.annotators.as_ref(),
                    actions,
                );
            });
        let suggestion = self.suggestion_line();
        egui::Panel::right("spans")
            .resizable(true)
            .default_size(320.0)
            .show(ui, |ui| {
                panels::spans(
                    ui,
                    &self.ws,
                    self.current,
                    &mut self.hidden_labels,
                    &mut self.span_list,
                    self.view.selected_span,
                    (self.view.selected_relation, &self.relation_suggestions.set),
                    suggestion.as_deref(),
                    actions,
                );
            });
        self.adjudication_panel(ui, actions);
        egui::CentralPanel::default().show(ui, |ui| {
            match self.current.and_then(|d| self.ws.project().document(d)) {
                Some(doc) => self.view.show(
                    ui,
                    self.ws.project(),
                    doc,
                    Suggested {
                        engine: &self.suggestions.engine,
                        doc: doc.id(),
                        relations: &self.relation_suggestions.set,
                    },
                    self.snap,
                    self.find.highlights(),
                    actions,
                ),
                None => {
                    ui.centered_and_justified(|ui| {
                        ui.label(
                            "No documents yet. Use File › Add documents… or drop .txt files here.",
                        );
                    });
                }
            }
        });
        menu.response.rect.bottom()
    }
}
