//! The find bar: search the open document, step through the matches, and label them.
//!
//! Its state is view state (a query, the matches, which one is current); it never changes
//! the project. The current match becomes the text selection, so a label key labels it.

use eframe::egui::{self, Key, Ui};

use super::Action;
use crate::model::Document;
use crate::model::search::{MAX_MATCHES, Matches, find_in, fold};

/// Id salt of the query field.
const FIELD: &str = "find-query";

/// The find bar's state.
#[derive(Default)]
pub struct FindBar {
    /// Whether the bar is shown.
    pub open: bool,
    /// What to look for.
    pub query: String,
    /// Whether case matters.
    pub match_case: bool,
    matches: Matches,
    /// Index of the current match in `matches`.
    current: Option<usize>,
    /// Focus the field (and select its text) on the next frame.
    focus: bool,
    /// What `matches` belong to: the document, the query and the case option.
    key: Option<(DocKey, String, bool)>,
    /// The document's text folded to ignore case, kept while the query is typed.
    folded: Option<(DocKey, String)>,
}

/// The document the cached results belong to: its text never changes, and an id is
/// never reused (unlike a text's address, or a place in the list).
type DocKey = crate::model::DocId;

impl FindBar {
    /// Shows the bar and puts the field in focus with its text selected.
    pub fn open(&mut self) {
        self.open = true;
        self.focus = true;
    }

    /// Hides the bar; the current match stays selected.
    pub fn close(&mut self) {
        self.open = false;
        self.current = None;
    }

    /// The matches to highlight (none while the bar is closed).
    pub fn highlights(&self) -> &[(usize, usize)] {
        if self.open { &self.matches.ranges } else { &[] }
    }

    /// Recomputes the matches if the document, the query or the case option changed.
    pub fn refresh(&mut self, doc: &Document) {
        let text = doc.text();
        // A document's text never changes: its id names the text.
        let doc_key = doc.id();
        // Compared in place: this runs every frame the bar is open.
        if self
            .key
            .as_ref()
            .is_some_and(|(d, q, c)| *d == doc_key && *q == self.query && *c == self.match_case)
        {
            return;
        }
        self.matches = if self.match_case {
            find_in(text.as_str(), &self.query)
        } else {
            if self.folded.as_ref().is_none_or(|(k, _)| *k != doc_key) {
                self.folded = Some((doc_key, fold(text.as_str())));
            }
            let haystack = self.folded.as_ref().map_or("", |(_, s)| s.as_str());
            find_in(haystack, &fold(&self.query))
        };
        self.current = None;
        self.key = Some((doc_key, self.query.clone(), self.match_case));
    }

    /// Makes the next match (or the previous one, going back) current and returns it.
    /// With no current match, "next" is the first match that starts at or after `from`,
    /// and "previous" the last one before it; both wrap around the document.
    pub fn step(&mut self, from: usize, forward: bool) -> Option<(usize, usize)> {
        let ranges = &self.matches.ranges;
        if ranges.is_empty() {
            return None;
        }
        let n = ranges.len();
        let i = match (self.current, forward) {
            (Some(i), true) => (i + 1) % n,
            (Some(i), false) => (i + n - 1) % n,
            (None, true) => ranges.partition_point(|r| r.0 < from) % n,
            (None, false) => (ranges.partition_point(|r| r.0 < from) + n - 1) % n,
        };
        self.current = Some(i);
        Some(ranges[i])
    }

    /// "3 of 120", "120 matches", "No matches".
    pub fn count_text(&self) -> String {
        let n = self.matches.ranges.len();
        let more = if self.matches.truncated { "+" } else { "" };
        match (self.current, n) {
            (_, 0) if self.query.is_empty() => String::new(),
            (_, 0) => "No matches".to_string(),
            (Some(i), _) => format!("{} of {n}{more}", i + 1),
            (None, 1) => "1 match".to_string(),
            (None, _) => format!("{n}{more} matches"),
        }
    }

    /// Draws the bar; pushes what the user asked for.
    pub fn show(&mut self, ui: &mut Ui, actions: &mut Vec<Action>) {
        ui.horizontal(|ui| {
            ui.label("Find");
            let field = ui.add(
                egui::TextEdit::singleline(&mut self.query)
                    .id_salt(FIELD)
                    .hint_text("text in this document")
                    .desired_width(280.0),
            );
            let id = field.id;
            if std::mem::take(&mut self.focus) {
                field.request_focus();
                if let Some(mut state) = egui::TextEdit::load_state(ui.ctx(), id) {
                    let all = egui::text_selection::CCursorRange::select_all_str(&self.query);
                    state.cursor.set_char_range(Some(all));
                    state.store(ui.ctx(), id);
                }
            }
            let (enter, shift, escape) = ui.input(|i| {
                (
                    i.key_pressed(Key::Enter),
                    i.modifiers.shift,
                    i.key_pressed(Key::Escape),
                )
            });
            if field.changed() {
                actions.push(Action::FindChanged);
            }
            if field.lost_focus() && enter {
                actions.push(if shift {
                    Action::FindPrevious
                } else {
                    Action::FindNext
                });
                // Keep typing or pressing Enter without clicking back.
                field.request_focus();
            }
            if field.lost_focus() && escape {
                actions.push(Action::CloseFind);
            }
            if ui
                .button("Previous")
                .on_hover_text("Previous match (Shift+Enter, Shift+F3)")
                .clicked()
            {
                actions.push(Action::FindPrevious);
            }
            if ui
                .button("Next")
                .on_hover_text("Next match (Enter, F3)")
                .clicked()
            {
                actions.push(Action::FindNext);
            }
            if ui.checkbox(&mut self.match_case, "Match case").changed() {
                actions.push(Action::FindChanged);
            }
            ui.label(self.count_text()).on_hover_text(format!(
                "Matches are listed up to {MAX_MATCHES}; label keys label the current one."
            ));
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui.button("Close").on_hover_text("Close (Esc)").clicked() {
                    actions.push(Action::CloseFind);
                }
            });
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(text: &str, query: &str) -> FindBar {
        let mut f = FindBar {
            query: query.to_string(),
            ..Default::default()
        };
        f.refresh(&Document::new("d", text));
        f
    }

    #[test]
    fn steps_wrap_and_start_where_asked() {
        let mut f = bar("a x a x a", "a");
        assert_eq!(f.count_text(), "3 matches");
        assert_eq!(f.step(3, true), Some((4, 5)));
        assert_eq!(f.count_text(), "2 of 3");
        assert_eq!(f.step(0, true), Some((8, 9)));
        assert_eq!(f.step(0, true), Some((0, 1)));
        assert_eq!(f.step(0, false), Some((8, 9)));
        let mut f = bar("a x a x a", "a");
        assert_eq!(f.step(3, false), Some((0, 1)));
        let mut f = bar("a x a", "zz");
        assert_eq!(
            (f.step(0, true), f.count_text().as_str()),
            (None, "No matches")
        );
    }

    #[test]
    fn new_query_or_document_starts_over() {
        let mut f = bar("ab ab", "ab");
        f.step(0, true);
        f.query = "b".into();
        f.refresh(&Document::new("d", "ab ab"));
        assert_eq!(f.count_text(), "2 matches");
        f.refresh(&Document::new("e", "b"));
        assert_eq!(f.count_text(), "1 match");
    }

    #[test]
    fn a_new_text_of_the_same_length_is_searched_again() {
        // The next project's text often lands where the freed one was, with the same
        // length: cached matches must not be taken for its matches.
        let mut f = bar("needle in", "needle");
        assert_eq!(f.count_text(), "1 match");
        for _ in 0..20 {
            let doc = Document::new("d", "other tex");
            f.refresh(&doc);
            assert_eq!(f.count_text(), "No matches");
            drop(doc);
            let doc = Document::new("d", "needle in");
            f.refresh(&doc);
            assert_eq!(f.count_text(), "1 match");
        }
    }
}
