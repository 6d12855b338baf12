//! Reaching any document (issue 20), through the real window headless: go to document
//! (Ctrl+P), the documents panel's filter, find in all documents (Ctrl+Shift+F) and
//! labelling its results.

use eframe::egui::{Key, Modifiers, accesskit::Role, vec2};
use egui_kittest::{
    Harness,
    kittest::{NodeT, Queryable},
};
use spanmark::app::{SpanmarkApp, Startup};
use spanmark::model::{DocId, Document, LabelId, Project, Span, Status};
use spanmark::ui::Action;

/// Names of the documents of [`project`], in list order (a filler list follows them).
const NAMES: [&str; 6] = [
    "alpha report",
    "bagram interview",
    "kabul notes",
    "bagram (2)",
    "zeta",
    "Kabul diary",
];

/// Texts of the documents named in [`NAMES`].
const TEXTS: [&str; 6] = [
    "Nothing here.",
    "He flew from Kabul to Bagram.",
    "Kabul, then KABUL again.",
    "The base at Bagram.",
    "Empty of places.",
    "A diary kept in kabul.",
];

/// The six documents above, then `filler` more named "filler N"; "Kabul diary" has a
/// PERSON span.
fn project(filler: usize) -> Project {
    let mut docs: Vec<Document> = NAMES
        .iter()
        .zip(TEXTS)
        .map(|(n, t)| Document::new(*n, t))
        .collect();
    docs[5] = Document::with_spans(
        NAMES[5],
        TEXTS[5],
        vec![Span::new(0, 7, LabelId(0)).unwrap()],
    )
    .unwrap();
    docs.extend((0..filler).map(|i| Document::new(format!("filler {i}"), "filler text")));
    Project::new(spanmark::model::default_labels(), docs).unwrap()
}

fn harness_with(project: Project) -> Harness<'static, SpanmarkApp> {
    let mut h = Harness::builder()
        .with_size(vec2(1280.0, 800.0))
        .build_eframe(|_cc| SpanmarkApp::headless(Startup::Sample));
    h.state_mut().replace_project_for_bench(project);
    h.run();
    h
}

fn id_of(h: &Harness<'_, SpanmarkApp>, name: &str) -> DocId {
    let p = h.state().workspace().project();
    p.documents().iter().find(|d| d.name == name).unwrap().id()
}

fn current_name(h: &Harness<'_, SpanmarkApp>) -> String {
    let p = h.state().workspace().project();
    let id = h.state().current_document().unwrap();
    p.document(id).unwrap().name.clone()
}

fn selection(h: &Harness<'_, SpanmarkApp>) -> Option<(usize, usize)> {
    h.state().view().selection.map(|s| s.range())
}

fn label_id(h: &Harness<'_, SpanmarkApp>, name: &str) -> LabelId {
    let p = h.state().workspace().project();
    p.label_entries().find(|(_, l)| l.name == name).unwrap().0
}

/// Every label on screen (for failure messages).
fn labels(h: &Harness<'_, SpanmarkApp>) -> Vec<String> {
    h.query_all_by_role(Role::Label)
        .filter_map(|n| n.accesskit_node().label())
        .collect()
}

/// Opens the documents panel's filter and types `text` into its name field.
fn filter_name(h: &mut Harness<'_, SpanmarkApp>, text: &str) {
    h.get_by_label("Filter").click();
    h.run();
    h.get_by_role_and_label(Role::TextInput, "Name").click();
    h.run();
    h.get_by_role_and_label(Role::TextInput, "Name")
        .type_text(text);
    h.run();
}

/// Types into the one text field on screen.
fn type_in_field(h: &mut Harness<'_, SpanmarkApp>, text: &str) {
    h.get_by_role(Role::TextInput).type_text(text);
    h.run();
}

#[test]
fn ctrl_p_filters_as_you_type_and_enter_shows_the_document() {
    let mut h = harness_with(project(300));
    assert_eq!(current_name(&h), "alpha report");
    // The status bar names the document shown.
    assert!(
        h.query_by_label_contains("alpha report (1 of 306)")
            .is_some()
    );

    h.key_press_modifiers(Modifiers::COMMAND, Key::P);
    h.run();
    assert!(h.query_by_label("Go to document").is_some());
    type_in_field(&mut h, "bgint");
    // Fuzzy: "bagram interview" is the one match (rows read "name   status").
    assert!(h.query_by_label("bagram interview   todo").is_some());
    assert!(h.query_by_label("kabul notes   todo").is_none());
    h.key_press(Key::Enter);
    h.run();
    assert_eq!(current_name(&h), "bagram interview");
    assert!(
        h.query_by_label("Go to document").is_none(),
        "Enter closes it"
    );
    assert!(
        h.query_by_label_contains("bagram interview (2 of 306)")
            .is_some()
    );

    // Best first: both start with "bagram", the shorter name first; ↓ takes the next.
    h.key_press_modifiers(Modifiers::COMMAND, Key::P);
    h.run();
    type_in_field(&mut h, "bagram");
    h.key_press(Key::Enter);
    h.run();
    assert_eq!(current_name(&h), "bagram (2)");
    h.key_press_modifiers(Modifiers::COMMAND, Key::P);
    h.run();
    type_in_field(&mut h, "BAGRAM");
    h.key_press(Key::ArrowDown);
    h.run();
    h.key_press(Key::Enter);
    h.run();
    assert_eq!(current_name(&h), "bagram interview");

    // Esc closes without going anywhere; nothing matching: Enter does nothing.
    h.key_press_modifiers(Modifiers::COMMAND, Key::P);
    h.run();
    type_in_field(&mut h, "filler 29");
    h.key_press(Key::Escape);
    h.run();
    assert!(h.query_by_label("Go to document").is_none());
    assert_eq!(current_name(&h), "bagram interview");
    h.key_press_modifiers(Modifiers::COMMAND, Key::P);
    h.run();
    type_in_field(&mut h, "qqqq");
    assert!(h.query_by_label("No document matches.").is_some());
    h.key_press(Key::Enter);
    h.run();
    assert_eq!(current_name(&h), "bagram interview");
    h.key_press(Key::Escape);
    h.run();

    // From the menu, and a click on a row; the query starts empty each time.
    h.get_by_label("Edit").click();
    h.run();
    h.get_by_label_contains("Go to document…").click();
    h.run();
    type_in_field(&mut h, "filler 299");
    h.get_by_label_contains("filler 299").click();
    h.run();
    assert_eq!(current_name(&h), "filler 299");
}

#[test]
fn documents_panel_filters_by_name_status_and_label() {
    let mut h = harness_with(project(20));
    let kabul = id_of(&h, "kabul notes");
    h.state_mut().apply(
        &eframe::egui::Context::default(),
        Action::SetStatus(kabul, Status::Done),
    );
    h.run();
    filter_name(&mut h, "KAB");
    assert!(
        h.query_by_label("2 of 26 shown").is_some(),
        "{:?}",
        labels(&h)
    );
    assert!(h.query_by_label("alpha report  (0)").is_none());
    assert!(h.query_by_label_contains("Kabul diary").is_some());
    // Clicking a filtered row shows that document.
    h.get_by_label_contains("kabul notes  (0)").click();
    h.run();
    assert_eq!(current_name(&h), "kabul notes");

    // Status: done only.
    h.get_by_role_and_label(Role::ComboBox, "with status")
        .click();
    h.run();
    h.get_all_by_label("done").last().unwrap().click();
    h.run();
    assert!(h.query_by_label("1 of 26 shown").is_some());
    assert!(h.query_by_label_contains("Kabul diary").is_none());

    // Has label PERSON (the name filter still on, the status filter off).
    h.get_by_role_and_label(Role::ComboBox, "with status")
        .click();
    h.run();
    h.get_all_by_label("any").last().unwrap().click();
    h.run();
    h.get_by_role_and_label(Role::ComboBox, "with label")
        .click();
    h.run();
    h.get_all_by_label("PERSON").last().unwrap().click();
    h.run();
    assert!(h.query_by_label("1 of 26 shown").is_some());
    h.get_by_label_contains("Kabul diary  (1)").click();
    h.run();
    assert_eq!(current_name(&h), "Kabul diary");

    h.get_by_label("Clear filter").click();
    h.run();
    assert!(h.query_by_label("alpha report  (0)").is_some());
}

#[test]
fn fifty_thousand_documents_draw_only_the_visible_rows() {
    let mut h = harness_with(project(50_000));
    let rows = h
        .get_all_by_role_and_label(Role::ComboBox, "status")
        .count();
    assert!((5..60).contains(&rows), "{rows} rows drawn");
    // Filtering 50k by name, then going there.
    filter_name(&mut h, "filler 4999");
    assert!(
        h.query_by_label("11 of 50,006 shown").is_some(),
        "{:?}",
        labels(&h)
    );
    h.get_by_label_contains("filler 49999  (0)").click();
    h.run();
    assert_eq!(current_name(&h), "filler 49999");
}

/// Ctrl+Shift+F, then the query and Enter: the search runs and lists its results.
fn find_all(h: &mut Harness<'_, SpanmarkApp>, query: &str) {
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::F);
    h.run();
    let field = h.get_by_role_and_label(Role::TextInput, "Find in all documents");
    field.click();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.get_by_role_and_label(Role::TextInput, "Find in all documents")
        .type_text(query);
    h.run();
    h.key_press(Key::Enter);
    h.run();
}

#[test]
fn find_in_all_documents_jumps_to_each_match_and_labels_them_as_one_step() {
    let mut h = harness_with(project(5));
    find_all(&mut h, "kabul");
    assert!(
        h.query_by_label("4 matches in 3 documents.").is_some(),
        "{:?}",
        labels(&h)
    );
    // Enter goes to the first match: its document, the range selected.
    h.key_press(Key::Enter);
    h.run();
    assert_eq!(current_name(&h), "bagram interview");
    assert_eq!(selection(&h), Some((13, 18)));
    // Enter again: the next one.
    h.key_press(Key::Enter);
    h.run();
    assert_eq!(current_name(&h), "kabul notes");
    assert_eq!(selection(&h), Some((0, 5)));
    // ↓ then Enter: the one after.
    h.key_press(Key::ArrowDown);
    h.run();
    h.key_press(Key::Enter);
    h.run();
    assert_eq!(selection(&h), Some((12, 17)));
    // A click on a result (its document name and context).
    h.get_by_label_contains("Kabul diary:").click();
    h.run();
    assert_eq!(current_name(&h), "Kabul diary");
    assert_eq!(selection(&h), Some((16, 21)));

    // Label all results as PLACE: one undo step; the match a PLACE span already
    // overlaps is skipped and counted.
    let place = label_id(&h, "PLACE");
    let notes = id_of(&h, "kabul notes");
    h.state_mut().apply(
        &eframe::egui::Context::default(),
        Action::GoToMatch(spanmark::model::search_all::Hit {
            doc: notes,
            start: 0,
            end: 3,
        }),
    );
    h.key_press(Key::Num2);
    h.run();
    let before = h.state().workspace().project().clone();
    h.get_by_label("Label all results as…").click();
    h.run();
    h.get_all_by_label("PLACE").last().unwrap().click();
    h.run();
    let count = |h: &Harness<'_, SpanmarkApp>| -> usize {
        let p = h.state().workspace().project();
        p.documents()
            .iter()
            .map(|d| d.spans().iter().filter(|s| s.label() == place).count())
            .sum()
    };
    assert_eq!(count(&h), 4, "3 added to the 1 there was");
    assert!(
        h.state()
            .status()
            .contains("Labelled 3 matches as PLACE; skipped 1 match"),
        "{}",
        h.state().status()
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(h.state().workspace().project(), &before);
}

#[test]
fn regex_errors_pathological_patterns_and_capped_results() {
    let mut docs = vec![Document::new("a", "Kabul kabul")];
    docs.push(Document::new("many", "x ".repeat(12_000)));
    let mut h = harness_with(Project::with_documents(docs));
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::F);
    h.run();
    h.get_by_label("Regex").click();
    h.run();
    find_all(&mut h, "(unclosed");
    assert!(
        h.query_by_label_contains("Not a valid regular expression")
            .is_some(),
        "the error is shown in the box"
    );
    find_all(&mut h, r"\w{1000}{1000}");
    assert!(h.query_by_label_contains("size limit").is_some());
    // Case ignored by the regex; offsets in chars.
    find_all(&mut h, r"K\w+");
    assert!(h.query_by_label("2 matches in 1 document.").is_some());
    find_all(&mut h, "x");
    assert!(
        h.query_by_label_contains("First 10,000 matches (in 1 document)")
            .is_some()
    );
    // The list draws the visible rows only.
    let rows = h.query_all_by_label_contains("many:").count();
    assert!((3..80).contains(&rows), "{rows} rows");
    // Esc in the field closes the panel.
    h.get_by_role_and_label(Role::TextInput, "Find in all documents")
        .click();
    h.run();
    h.key_press(Key::Escape);
    h.run();
    assert!(h.query_by_label("Find in all documents").is_none());
}

#[test]
fn find_in_all_documents_runs_in_the_background_in_the_window() {
    let mut h = Harness::builder()
        .with_size(vec2(1280.0, 800.0))
        .build_eframe(|_cc| SpanmarkApp::headless(Startup::Sample).with_background_jobs());
    h.state_mut().replace_project_for_bench(project(2_000));
    h.run();
    find_all(&mut h, "filler");
    for _ in 0..200 {
        if !h.state().is_busy() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
        h.run();
    }
    h.run();
    assert!(
        h.query_by_label("2,000 matches in 2,000 documents.")
            .is_some()
    );
    // While the user changed documents meanwhile, a match is still found by its id.
    h.key_press(Key::Enter);
    h.run();
    assert_eq!(current_name(&h), "filler 0");
    assert_eq!(selection(&h), Some((0, 6)));
}
