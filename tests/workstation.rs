//! The annotator's workstation, driven through the real window headless: the label
//! editor, statistics and progress.

use eframe::egui::{Key, Modifiers, accesskit::Role, vec2};
use egui_kittest::{
    Harness,
    kittest::{NodeT, Queryable},
};
use spanmark::app::{SAMPLE_TEXT, SpanmarkApp, Startup};

mod common;

fn harness() -> Harness<'static, SpanmarkApp> {
    let mut h = Harness::builder()
        .with_size(vec2(1280.0, 800.0))
        .build_eframe(|_cc| SpanmarkApp::headless(Startup::Sample));
    h.run();
    h
}

fn label_names(h: &Harness<'_, SpanmarkApp>) -> Vec<String> {
    let p = h.state().workspace().project();
    p.labels().iter().map(|l| l.name.clone()).collect()
}

/// Selects "Bagram Air Base" by dragging over it (snap off: exact chars).
fn select_bagram(h: &mut Harness<'_, SpanmarkApp>) -> (usize, usize) {
    common::select(h, "Bagram Air Base")
}

/// The last label's name field (the fields labelled "Name"; the relation types' come
/// after them).
fn last_name_field<'h>(h: &'h Harness<'_, SpanmarkApp>) -> egui_kittest::Node<'h> {
    h.get_all_by_role(Role::TextInput)
        .rfind(|n| n.accesskit_node().label().as_deref() == Some("Name"))
        .unwrap()
}

/// Types a new name into the last label's name field and presses Enter.
fn rename_last(h: &mut Harness<'_, SpanmarkApp>, name: &str) {
    last_name_field(h).click();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    last_name_field(h).type_text(name);
    h.key_press(Key::Enter);
    h.run();
}

#[test]
fn add_rename_use_reorder_delete_and_undo_a_label() {
    let mut h = harness();
    h.key_press_modifiers(Modifiers::COMMAND, Key::L);
    h.run();
    h.get_by_label("Add label").click();
    h.run();
    assert_eq!(label_names(&h).last().map(String::as_str), Some("LABEL6"));

    // Rename it by typing in its name field; Enter commits.
    rename_last(&mut h, "FACILITY");
    assert_eq!(label_names(&h)[5], "FACILITY");

    // A name in use is refused, and says so.
    rename_last(&mut h, "PLACE");
    assert_eq!(label_names(&h)[5], "FACILITY");
    assert!(
        h.state().status().contains("PLACE"),
        "{}",
        h.state().status()
    );

    // A name the formats cannot hold (whitespace) is refused, with the reason shown in
    // the editor.
    rename_last(&mut h, "NEW LABEL");
    assert_eq!(label_names(&h)[5], "FACILITY");
    assert!(
        h.query_by_label_contains(
            "FACILITY keeps its name: label \"NEW LABEL\" cannot be used: it holds whitespace"
        )
        .is_some(),
        "the reason is shown"
    );

    // Close the editor, label with the new label's key 6.
    h.key_press(Key::Escape);
    h.run();
    assert!(
        h.query_by_label("Add label").is_none(),
        "Escape closed the editor"
    );
    let (start, end) = select_bagram(&mut h);
    h.key_press(Key::Num6);
    h.run();
    let project = h.state().workspace().project();
    let span = project.documents()[0].spans().as_slice()[0];
    assert_eq!((span.start(), span.end()), (start, end));
    assert_eq!(project.label(span.label()).unwrap().name, "FACILITY");

    // Move it to the top: the span follows its label.
    h.key_press_modifiers(Modifiers::COMMAND, Key::L);
    h.run();
    for row in (1..=5).rev() {
        h.get_all_by_label("Up").nth(row).unwrap().click();
        h.run();
        assert_eq!(label_names(&h)[row - 1], "FACILITY");
    }
    assert_eq!(label_names(&h)[0], "FACILITY");
    let project = h.state().workspace().project();
    let span = project.documents()[0].spans().as_slice()[0];
    assert_eq!(project.label(span.label()).unwrap().name, "FACILITY");

    // Delete it: the question names the span count; the span goes too.
    h.get_all_by_label("Delete").next().unwrap().click();
    h.run();
    assert!(
        h.query_by_label_contains("Its 1 span goes with it")
            .is_some()
    );
    h.get_all_by_label("Delete").last().unwrap().click();
    h.run();
    assert_eq!(label_names(&h).len(), 5);
    assert!(
        h.state().workspace().project().documents()[0]
            .spans()
            .is_empty()
    );

    // One undo brings back the label, in first place, and its span.
    h.key_press(Key::Escape);
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(label_names(&h)[0], "FACILITY");
    let project = h.state().workspace().project();
    let span = project.documents()[0].spans().as_slice()[0];
    assert_eq!(project.label(span.label()).unwrap().name, "FACILITY");
}

#[test]
fn statistics_and_progress_count_spans_and_done_documents() {
    let mut h = harness();
    select_bagram(&mut h);
    h.key_press(Key::Num2);
    h.run();
    assert!(h.query_by_label("0 / 1 done").is_some());
    let doc = h.state().workspace().project().documents()[0].id();
    h.state_mut().apply(
        &eframe::egui::Context::default(),
        spanmark::ui::Action::SetStatus(doc, spanmark::model::Status::Done),
    );
    h.run();
    assert!(h.query_by_label("1 / 1 done").is_some());
    h.get_by_label("View").click();
    h.run();
    h.get_by_label("Statistics").click();
    h.run();
    assert!(h.query_by_label("1 span in 1 document; 1 done.").is_some());
    // Undo: the counts follow the project.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert!(h.query_by_label("0 spans in 1 document; 0 done.").is_some());
}

#[test]
fn the_theme_switch_is_words_a_font_can_draw() {
    // The harness has only egui's default fonts and fails on a missing glyph, so this
    // also checks that the View menu draws no icon those fonts lack.
    let mut h = harness();
    h.get_by_label("View").click();
    h.run();
    h.get_by_label("Light").click();
    h.run();
    assert_eq!(
        h.ctx.options(|o| o.theme_preference),
        eframe::egui::ThemePreference::Light
    );
}

/// File › `item`, types `path` into the in-app path field, presses Enter.
fn path_field_then_enter(item: &str, path: &std::path::Path) -> Harness<'static, SpanmarkApp> {
    let mut h = harness();
    h.get_by_label("File").click();
    h.run();
    h.get_by_label(item).click();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.get_by_role(Role::TextInput)
        .type_text(&path.display().to_string());
    h.run();
    h.key_press(Key::Enter);
    h.run();
    h
}

#[test]
fn enter_in_the_path_field_is_the_default_button() {
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("by-enter.ron");
    let h = path_field_then_enter("Save to path…", &saved);
    assert!(saved.exists(), "Enter saved: {}", h.state().status());
    assert_eq!(h.state().path(), Some(saved.as_path()));

    // Open path…, Enter opens.
    let h = path_field_then_enter("Open path…", &saved);
    assert_eq!(h.state().path(), Some(saved.as_path()));
}

#[test]
fn double_click_on_a_possessive_selects_the_name_alone() {
    let mut h = harness();
    let byte = SAMPLE_TEXT.find("Afghanistan's independence").unwrap();
    let start = SAMPLE_TEXT[..byte].chars().count();
    let p = h.state().view().char_screen_pos(start + 3).unwrap();
    common::clicks(&mut h, p, 2);
    let sel = h.state().view().selection.expect("a word is selected");
    assert_eq!(sel.range(), (start, start + "Afghanistan".len()));
}

/// The selected span's text.
fn selected_text(h: &Harness<'_, SpanmarkApp>) -> Option<String> {
    let span = h.state().view().selected_span?;
    let doc = &h.state().workspace().project().documents()[h.state().current_place()?];
    Some(doc.span_text(&span).to_string())
}

#[test]
fn tab_and_shift_tab_step_through_spans() {
    let project = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("saves/sample.ron");
    // Jumping to a span scrolls smoothly over a few frames.
    let mut h = Harness::builder()
        .with_size(vec2(1280.0, 800.0))
        .with_max_steps(32)
        .build_eframe(move |_cc| SpanmarkApp::headless(Startup::Paths(vec![project])));
    h.run();
    let doc = &h.state().workspace().project().documents()[0];
    let texts: Vec<String> = doc
        .spans()
        .iter()
        .map(|s| doc.span_text(s).to_string())
        .collect();
    assert!(texts.len() >= 3);
    // Tab steps spans while no suggestion is pending (tests/suggestions.rs: otherwise it
    // steps suggestions).
    common::menu_item(&mut h, "Suggestions", "Learned from labels");
    h.key_press(Key::Escape);
    h.run();
    assert_eq!(h.state().suggestions().total(), 0);
    // Click a toolbar button first: Tab must still step spans, not move button focus.
    h.get_by_label("Snap to words").click();
    h.run();
    h.key_press(Key::Tab);
    h.run();
    assert_eq!(selected_text(&h).as_ref(), Some(&texts[0]));
    h.key_press(Key::Tab);
    h.run();
    assert_eq!(selected_text(&h).as_ref(), Some(&texts[1]));
    h.key_press_modifiers(Modifiers::SHIFT, Key::Tab);
    h.run();
    assert_eq!(selected_text(&h).as_ref(), Some(&texts[0]));
    // Wraps around backwards; a label key relabels what Tab selected.
    h.key_press_modifiers(Modifiers::SHIFT, Key::Tab);
    h.run();
    assert_eq!(selected_text(&h).as_ref(), texts.last());
}

#[test]
fn ctrl_enter_marks_done_and_opens_the_next_todo_document() {
    let dir = tempfile::tempdir().unwrap();
    let paths: Vec<_> = ["a", "b", "c"]
        .iter()
        .map(|n| {
            let p = dir.path().join(format!("{n}.txt"));
            std::fs::write(&p, format!("Document {n}.")).unwrap();
            p
        })
        .collect();
    let mut h = Harness::builder()
        .with_size(vec2(1280.0, 800.0))
        .build_eframe(move |_cc| SpanmarkApp::headless(Startup::Paths(paths)));
    h.run();
    let doc = h.state().workspace().project().documents()[1].id();
    h.state_mut().apply(
        &eframe::egui::Context::default(),
        spanmark::ui::Action::SetStatus(doc, spanmark::model::Status::Done),
    );
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::Enter);
    h.run();
    let status = |h: &Harness<'_, SpanmarkApp>, i: usize| {
        h.state().workspace().project().documents()[i].status
    };
    assert_eq!(status(&h, 0), spanmark::model::Status::Done);
    // b is done already: c is next.
    assert_eq!(h.state().current_place(), Some(2));
    h.key_press_modifiers(Modifiers::COMMAND, Key::Enter);
    h.run();
    assert_eq!(status(&h, 2), spanmark::model::Status::Done);
    assert!(h.state().status().contains("Every document is done"));
    assert!(h.query_by_label("3 / 3 done").is_some());
}

#[test]
fn the_label_picker_filters_and_enter_labels_the_selection() {
    let mut h = harness();
    // Twelve labels: more than keys make comfortable.
    for _ in 0..7 {
        let label = spanmark::ui::labels::new_label(h.state().workspace().project());
        h.state_mut().apply(
            &eframe::egui::Context::default(),
            spanmark::ui::Action::AddLabel(label),
        );
    }
    h.run();
    assert_eq!(label_names(&h).len(), 12);
    let (start, end) = select_bagram(&mut h);
    h.key_press_modifiers(Modifiers::COMMAND, Key::K);
    h.run();
    h.get_by_role(Role::TextInput).type_text("label1");
    h.run();
    // LABEL10, LABEL11, LABEL12 match; Down picks the second.
    h.key_press(Key::ArrowDown);
    h.run();
    h.key_press(Key::Enter);
    h.run();
    let project = h.state().workspace().project();
    let span = project.documents()[0].spans().as_slice()[0];
    assert_eq!((span.start(), span.end()), (start, end));
    assert_eq!(project.label(span.label()).unwrap().name, "LABEL11");
    assert!(h.query_by_label("Label as…").is_none(), "the picker closed");
}

#[test]
fn labels_imported_from_labels_json_and_kept_for_new_projects() {
    let dir = tempfile::tempdir().unwrap();
    let tags = dir.path().join("labels.json");
    std::fs::write(
        &tags,
        r#"["O", "B-GPE", "I-GPE", "B-PERSON", "I-PERSON", "B-EVENT"]"#,
    )
    .unwrap();
    let mut h = harness();
    h.key_press_modifiers(Modifiers::COMMAND, Key::L);
    h.run();
    h.get_by_label("Import from path…").click();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    // The path field (the label editor's name fields are text inputs too).
    h.get_all_by_role(Role::TextInput)
        .last()
        .unwrap()
        .type_text(&tags.display().to_string());
    h.run();
    h.key_press(Key::Enter);
    h.run();
    // PERSON is known: GPE and EVENT are added, with keys no label has.
    assert_eq!(
        label_names(&h),
        ["PERSON", "PLACE", "ORG", "DATE", "QUOTE", "GPE", "EVENT"]
    );
    let project = h.state().workspace().project();
    assert_eq!(project.labels()[5].hotkey, Some('6'));
    assert_eq!(project.labels()[6].hotkey, Some('7'));
    let colours: std::collections::HashSet<_> = project.labels().iter().map(|l| l.color).collect();
    assert_eq!(colours.len(), 7, "every label has its own colour");
    h.get_by_label("Use for new projects").click();
    h.run();
    h.key_press(Key::Escape);
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::N);
    h.run();
    h.get_by_label("Discard").click();
    h.run();
    assert!(h.state().workspace().project().documents().is_empty());
    assert_eq!(label_names(&h).len(), 7);
}

#[test]
fn keyboard_only_labelling_with_the_caret() {
    let mut h = harness();
    // Put the caret before "Bagram" with a click-free start: select the word by keys.
    let byte = SAMPLE_TEXT.find("Bagram Air Base").unwrap();
    let start = SAMPLE_TEXT[..byte].chars().count();
    h.state_mut().view_mut().selection = Some(spanmark::ui::Selection {
        anchor: start,
        head: start,
    });
    h.run();
    // Ctrl+Shift+Right three times: "Bagram Air Base".
    for _ in 0..3 {
        h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::ArrowRight);
        h.run();
    }
    let sel = h.state().view().selection.expect("a selection");
    assert_eq!(sel.range(), (start, start + "Bagram Air Base".len()));
    // Shift+Left by one grapheme, Shift+Right back.
    h.key_press_modifiers(Modifiers::SHIFT, Key::ArrowLeft);
    h.run();
    let sel = h.state().view().selection.unwrap();
    assert_eq!(sel.range(), (start, start + "Bagram Air Bas".len()));
    h.key_press_modifiers(Modifiers::SHIFT, Key::ArrowRight);
    h.run();
    h.key_press(Key::Num2);
    h.run();
    let project = h.state().workspace().project();
    let span = project.documents()[0].spans().as_slice()[0];
    assert_eq!(
        (span.start(), span.end()),
        (start, start + "Bagram Air Base".len())
    );
    assert_eq!(project.label(span.label()).unwrap().name, "PLACE");

    // Home / Shift+End select the whole line (the title).
    h.key_press(Key::Home);
    h.run();
    h.key_press_modifiers(Modifiers::SHIFT, Key::End);
    h.run();
    let sel = h.state().view().selection.unwrap();
    let title_len = SAMPLE_TEXT.lines().next().unwrap().chars().count();
    assert_eq!(sel.range(), (0, title_len));
    // Down moves to the next line; Right without Shift collapses, then steps.
    h.key_press(Key::ArrowDown);
    h.run();
    let sel = h.state().view().selection.unwrap();
    assert!(sel.is_empty() && sel.head > title_len, "{sel:?}");
}

#[test]
fn page_down_and_page_up_scroll_a_screen() {
    let dir = tempfile::tempdir().unwrap();
    let long = dir.path().join("long.txt");
    let text: String = (0..400)
        .map(|i| format!("Line {i} of a long report.\n"))
        .collect();
    std::fs::write(&long, text).unwrap();
    let mut h = Harness::builder()
        .with_size(vec2(1280.0, 800.0))
        .with_max_steps(32)
        .build_eframe(move |_cc| SpanmarkApp::headless(Startup::Paths(vec![long])));
    h.run();
    assert_eq!(h.state().view().first_visible(), Some(0));
    h.key_press(Key::PageDown);
    h.run();
    let after = h.state().view().first_visible().unwrap();
    assert!(after > 100, "scrolled about a screen: {after}");
    h.key_press(Key::PageUp);
    h.run();
    assert_eq!(h.state().view().first_visible(), Some(0));
}

/// The sample project (saves/sample.ron), opened in a harness.
fn sample_project_harness() -> Harness<'static, SpanmarkApp> {
    let project = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("saves/sample.ron");
    let mut h = Harness::builder()
        .with_size(vec2(1280.0, 800.0))
        .with_max_steps(32)
        .build_eframe(move |_cc| SpanmarkApp::headless(Startup::Paths(vec![project])));
    h.run();
    h
}

#[test]
fn right_click_on_a_span_relabels_and_deletes_it() {
    let mut h = sample_project_harness();
    let byte = SAMPLE_TEXT.find("Zabihullah Mujahid").unwrap();
    let start = SAMPLE_TEXT[..byte].chars().count();
    let label_at = |h: &Harness<'_, SpanmarkApp>| {
        let project = h.state().workspace().project();
        project.documents()[0]
            .spans()
            .iter()
            .find(|s| s.start() == start)
            .map(|s| project.label(s.label()).unwrap().name.clone())
    };
    assert_eq!(label_at(&h).as_deref(), Some("PERSON"));
    let p = h.state().view().char_screen_pos(start + 3).unwrap();
    common::right_click(&mut h, p);
    h.get_by_label_contains("PERSON “Zabihullah").hover();
    h.run();
    h.get_by_label("Relabel as").hover();
    h.run();
    h.get_by_label("ORG  3").click();
    h.run();
    assert_eq!(label_at(&h).as_deref(), Some("ORG"));

    common::right_click(&mut h, p);
    h.get_by_label_contains("ORG “Zabihullah").hover();
    h.run();
    h.get_by_label("Delete").click();
    h.run();
    assert_eq!(label_at(&h), None);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(label_at(&h).as_deref(), Some("ORG"));
}

#[test]
fn triple_click_selects_the_sentence() {
    let mut h = harness();
    let sentence = "He urged the United States to pursue a policy grounded in realism and rationality, and he said Afghanistan's independence and territorial integrity remain non-negotiable in all bilateral talks.";
    let byte = SAMPLE_TEXT.find(sentence).unwrap();
    let start = SAMPLE_TEXT[..byte].chars().count();
    let p = h.state().view().char_screen_pos(start + 5).unwrap();
    common::clicks(&mut h, p, 3);
    let sel = h.state().view().selection.expect("a sentence is selected");
    assert_eq!(sel.range(), (start, start + sentence.chars().count()));
}

#[test]
fn label_all_occurrences_asks_with_the_count_and_is_one_undo_step() {
    let mut h = harness();
    common::select(&mut h, "Taliban");
    h.key_press(Key::Num3);
    h.run();
    // Whole-word occurrences of "Taliban" after the first (none is part of a longer word
    // in the article; "Taliban's" counts).
    let others = SAMPLE_TEXT.matches("Taliban").count() - 1;
    h.get_by_label("Edit").click();
    h.run();
    h.get_by_label("Label all occurrences in this document…")
        .click();
    h.run();
    assert!(
        h.query_by_label_contains(&format!("{others} more occurrences of “Taliban”"))
            .is_some()
    );
    h.get_by_label("Label them").click();
    h.run();
    let doc = &h.state().workspace().project().documents()[0];
    assert_eq!(doc.spans().len(), others + 1);
    assert!(doc.spans().iter().all(|s| doc.span_text(s) == "Taliban"));
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(
        h.state().workspace().project().documents()[0].spans().len(),
        1
    );
}

/// Issue 17, bug 4: the document shown was an index. Undoing the delete of a document
/// before the one shown switched the view to its neighbour but kept the selection, so a
/// label key labelled the wrong document.
#[test]
fn undoing_a_delete_before_the_shown_document_keeps_it_and_its_selection() {
    let dir = tempfile::tempdir().unwrap();
    let paths: Vec<_> = ["a", "b", "c"]
        .iter()
        .map(|n| {
            let p = dir.path().join(format!("{n}.txt"));
            std::fs::write(&p, format!("Document {n} is here.")).unwrap();
            p
        })
        .collect();
    let mut h = Harness::builder()
        .with_size(vec2(1280.0, 800.0))
        .build_eframe(move |_cc| SpanmarkApp::headless(Startup::Paths(paths)));
    h.run();
    h.get_by_label("c  (0)").click();
    h.run();
    assert_eq!(h.state().current_place(), Some(2));
    // Select "Document" in c (snap off: exact chars).
    h.state_mut().set_snap_to_words(false);
    let from = h.state().view().char_screen_pos(0).unwrap() - vec2(2.0, 0.0);
    let to = h.state().view().char_screen_pos(7).unwrap() + vec2(2.0, 0.0);
    common::drag(&mut h, from, to);
    assert!(h.state().view().selection.is_some());
    // Delete a (before c), then undo: c stays shown, with its selection.
    let a = h.state().workspace().project().documents()[0].id();
    h.state_mut().apply(
        &eframe::egui::Context::default(),
        spanmark::ui::Action::DeleteDocument(a),
    );
    h.run();
    assert_eq!(h.state().current_place(), Some(1));
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(h.state().workspace().project().documents().len(), 3);
    assert_eq!(h.state().current_place(), Some(2));
    let sel = h.state().view().selection.expect("the selection is kept");
    assert_eq!(sel.range(), (0, 8));
    // The label key labels c, and only c.
    h.key_press(Key::Num1);
    h.run();
    let docs = h.state().workspace().project().documents();
    let counts: Vec<usize> = docs.iter().map(|d| d.spans().len()).collect();
    assert_eq!(counts, [0, 0, 1]);
    assert_eq!(docs[2].name, "c");
    // Deleting the shown document shows the one that took its place.
    let c = docs[2].id();
    let b = docs[1].id();
    h.state_mut().apply(
        &eframe::egui::Context::default(),
        spanmark::ui::Action::DeleteDocument(c),
    );
    h.run();
    assert_eq!(h.state().current_document(), Some(b));
    assert_eq!(h.state().view().selection, None);
}
