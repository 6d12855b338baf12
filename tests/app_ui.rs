//! Drives the real app headless with egui_kittest: mouse drags, keys, menus, files.

use std::path::Path;

use eframe::egui::{self, Key, Modifiers, Pos2, vec2};
use egui_kittest::{Harness, kittest::Queryable};
use spanmark::app::{SAMPLE_TEXT, SpanmarkApp, Startup};
use spanmark::model::Span;

mod common;

fn harness_with(startup: Startup) -> Harness<'static, SpanmarkApp> {
    let mut h = Harness::builder()
        .with_size(vec2(1280.0, 800.0))
        .build_eframe(move |_cc| SpanmarkApp::headless(startup));
    h.run();
    h
}

fn harness() -> Harness<'static, SpanmarkApp> {
    harness_with(Startup::Sample)
}

/// Char offset of `needle` in the sample article (Python's `text.index`).
fn offset(needle: &str) -> usize {
    let byte = SAMPLE_TEXT.find(needle).expect("needle in sample");
    SAMPLE_TEXT[..byte].chars().count()
}

fn char_pos(h: &Harness<'_, SpanmarkApp>, c: usize) -> Pos2 {
    h.state()
        .view()
        .char_screen_pos(c)
        .unwrap_or_else(|| panic!("char {c} is not on screen"))
}

/// Presses the mouse at `from`, moves it in steps to `to`, releases.
fn drag(h: &mut Harness<'_, SpanmarkApp>, from: Pos2, to: Pos2) {
    h.hover_at(from);
    h.run();
    h.drag_at(from);
    h.run();
    for k in 1..=4 {
        h.hover_at(from + (to - from) * (k as f32 / 4.0));
        h.run();
    }
    h.drop_at(to);
    h.run();
}

/// Drags from just left of the middle of char `first` to just right of the middle of `last`.
fn drag_chars(h: &mut Harness<'_, SpanmarkApp>, first: usize, last: usize) {
    let from = char_pos(h, first) - vec2(2.0, 0.0);
    let to = char_pos(h, last) + vec2(2.0, 0.0);
    drag(h, from, to);
}

/// Uses a File menu item that asks for a path in the app's own field: types `path` and
/// presses `button`.
fn through_path_field(h: &mut Harness<'_, SpanmarkApp>, item: &str, path: &Path, button: &str) {
    h.get_by_label("File").click();
    h.run();
    h.get_by_label(item).click();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    let role = if item.starts_with("Add documents") {
        egui::accesskit::Role::MultilineTextInput
    } else {
        egui::accesskit::Role::TextInput
    };
    h.get_by_role(role).type_text(&path.display().to_string());
    h.run();
    h.get_by_label(button).click();
    h.run();
}

/// The shipped example project.
fn sample_ron() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("saves/sample.ron")
}

fn spans(h: &Harness<'_, SpanmarkApp>) -> Vec<(usize, usize, String)> {
    let project = h.state().workspace().project();
    project.documents()[0]
        .spans()
        .iter()
        .map(|s| {
            (
                s.start(),
                s.end(),
                project.label(s.label()).unwrap().name.clone(),
            )
        })
        .collect()
}

fn label_zabihullah(h: &mut Harness<'_, SpanmarkApp>) -> (usize, usize) {
    let start = offset("Zabihullah Mujahid");
    let end = start + "Zabihullah Mujahid".chars().count();
    // From the middle of "Zabihullah" to the middle of "Mujahid": snapping widens it.
    let from = char_pos(h, start + 3);
    let to = char_pos(h, end - 3);
    drag(h, from, to);
    h.key_press(Key::Num1);
    h.run();
    (start, end)
}

#[test]
fn drag_then_key_1_makes_a_person_span() {
    let mut h = harness();
    let (start, end) = label_zabihullah(&mut h);
    assert_eq!(spans(&h), vec![(start, end, "PERSON".to_string())]);
    assert!(h.state().workspace().is_dirty());
    assert!(h.state().window_title().starts_with("● "));
}

#[test]
fn drag_without_snap_keeps_exact_offsets() {
    let mut h = harness();
    h.state_mut().set_snap_to_words(false);
    let start = offset("Bagram Air Base");
    // Press on the left half of the first char, release on the right half of the last.
    let a = char_pos(&h, start) - vec2(2.0, 0.0);
    let b = char_pos(&h, start + 14) + vec2(2.0, 0.0);
    drag(&mut h, a, b);
    h.key_press(Key::Num2);
    h.run();
    assert_eq!(spans(&h), vec![(start, start + 15, "PLACE".to_string())]);
}

#[test]
fn toolbar_button_labels_and_duplicate_is_refused() {
    let mut h = harness();
    let (start, end) = label_zabihullah(&mut h);
    // Same range again, with the toolbar button: refused with a message.
    let from = char_pos(&h, start + 1);
    let to = char_pos(&h, end - 1);
    drag(&mut h, from, to);
    h.get_by_label("1 PERSON").click();
    h.run();
    assert_eq!(spans(&h).len(), 1);
    assert!(
        h.state().status().contains("already exists"),
        "{}",
        h.state().status()
    );
    // Same range, other label: allowed (overlaps are fine).
    h.get_by_label("3 ORG").click();
    h.run();
    assert_eq!(spans(&h).len(), 2);
}

#[test]
fn click_relabel_delete_undo_redo() {
    let mut h = harness();
    let (start, end) = label_zabihullah(&mut h);
    // Clear, then click on the span to select it.
    h.key_press(Key::Escape);
    h.run();
    assert_eq!(h.state().view().selected_span, None);
    let p = char_pos(&h, start + 5);
    h.hover_at(p);
    h.run();
    h.get_by_label("Document text");
    let span = Span::new(
        start,
        end,
        h.state().workspace().project().label_id("PERSON").unwrap(),
    )
    .unwrap();
    click_at(&mut h, p);
    assert_eq!(h.state().view().selected_span, Some(span));

    h.key_press(Key::Num3);
    h.run();
    assert_eq!(spans(&h), vec![(start, end, "ORG".to_string())]);

    h.key_press(Key::Delete);
    h.run();
    assert!(spans(&h).is_empty());

    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(spans(&h), vec![(start, end, "ORG".to_string())]);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(spans(&h), vec![(start, end, "PERSON".to_string())]);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert!(spans(&h).is_empty());
    assert!(!h.state().workspace().is_dirty());

    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::Y);
    h.run();
    assert_eq!(spans(&h), vec![(start, end, "ORG".to_string())]);
}

fn click_at(h: &mut Harness<'_, SpanmarkApp>, p: Pos2) {
    h.hover_at(p);
    h.run();
    h.drag_at(p);
    h.run();
    h.drop_at(p);
    h.run();
}

#[test]
fn nested_spans_both_clickable() {
    let mut h = harness();
    h.state_mut().set_snap_to_words(false);
    // QUOTE over a phrase, PLACE inside it.
    let q = offset("rejected U.S. President");
    let place = offset("U.S. President");
    drag_chars(&mut h, q, q + 22);
    h.key_press(Key::Num5);
    h.run();
    h.key_press(Key::Escape);
    h.run();
    drag_chars(&mut h, place, place + 3);
    h.key_press(Key::Num2);
    h.run();
    h.key_press(Key::Escape);
    h.run();
    assert_eq!(spans(&h).len(), 2);
    // A click inside both selects the inner span; a second click the outer one.
    let p = char_pos(&h, place + 1);
    click_at(&mut h, p);
    let first = h.state().view().selected_span.unwrap();
    assert_eq!((first.start(), first.end()), (place, place + 4));
    // (Each harness step is 0.25 s, so the second click is not a double-click.)
    click_at(&mut h, p);
    let second = h.state().view().selected_span.unwrap();
    assert_eq!((second.start(), second.end()), (q, q + 23));
}

#[test]
fn save_to_path_and_reopen_through_the_menu() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("work.ron");
    let mut h = harness();
    label_zabihullah(&mut h);

    through_path_field(&mut h, "Save to path…", &path, "Save");
    assert!(path.exists(), "status: {}", h.state().status());
    assert!(!h.state().workspace().is_dirty());
    assert_eq!(h.state().window_title(), "work.ron — spanmark");
    let saved = h.state().workspace().project().clone();

    let mut h2 = harness_with(Startup::Paths(vec![path.clone()]));
    assert_eq!(h2.state().workspace().project(), &saved);
    assert_eq!(h2.state().error(), None);
    h2.run();
}

#[test]
fn new_with_unsaved_changes_asks_first() {
    let mut h = harness();
    label_zabihullah(&mut h);
    h.key_press_modifiers(Modifiers::COMMAND, Key::N);
    h.run();
    assert!(h.state().is_asking_to_save());
    h.get_by_label("Cancel").click();
    h.run();
    assert_eq!(spans(&h).len(), 1);
    h.key_press_modifiers(Modifiers::COMMAND, Key::N);
    h.run();
    h.get_by_label("Discard").click();
    h.run();
    assert!(h.state().workspace().project().documents().is_empty());
}

#[test]
fn broken_file_shows_error_and_keeps_project() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.ron");
    std::fs::write(&bad, "(version: 1, labels: [(name: \"A\", color: \"#000000\")], documents: [(name: \"d\", text: \"abc\", spans: [(start: 1, end: 9, label: \"A\")])])").unwrap();
    let mut h = harness();
    label_zabihullah(&mut h);
    // Keep the unsaved-changes question out of the way: this tests the error path.
    through_path_field(&mut h, "Open path…", &bad, "Open");
    h.get_by_label("Discard").click();
    h.run();
    let err = h.state().error().expect("an error is shown").to_string();
    assert!(
        err.contains("bad.ron") && err.contains("outside the text"),
        "{err}"
    );
    assert_eq!(spans(&h).len(), 1, "the open project stays");
    h.get_by_label("OK").click();
    h.run();
    assert_eq!(h.state().error(), None);
}

#[test]
fn screenshot_with_spans() {
    let mut h = harness();
    label_zabihullah(&mut h);
    h.state_mut().set_snap_to_words(true);
    for (needle, key) in [
        ("Bagram Air Base", Key::Num2),
        ("Taliban government", Key::Num3),
        ("September 21, 2025", Key::Num4),
    ] {
        let s = offset(needle);
        let e = s + needle.chars().count();
        drag_chars(&mut h, s, e - 1);
        h.key_press(key);
        h.run();
    }
    h.key_press(Key::Escape);
    h.run();
    h.remove_cursor();
    h.run();
    h.snapshot("app_with_spans");
}

/// Char offset of the `n`th (0-based) occurrence of `needle` in the sample.
fn nth_offset(needle: &str, n: usize) -> usize {
    let (byte, _) = SAMPLE_TEXT
        .match_indices(needle)
        .nth(n)
        .expect("occurrence in sample");
    SAMPLE_TEXT[..byte].chars().count()
}

/// What `saves/sample.ron` holds: (text, occurrence, label key).
const SAMPLE_SPANS: &[(&str, usize, Key)] = &[
    ("Taliban", 0, Key::Num3),
    ("Trump", 0, Key::Num1),
    ("Bagram Air Base", 0, Key::Num2),
    ("Afghanistan", 0, Key::Num2),
    ("Washington", 0, Key::Num2),
    ("JALALABAD", 0, Key::Num2),
    ("Taliban government", 0, Key::Num3),
    ("Sunday", 0, Key::Num4),
    ("U.S.", 0, Key::Num2),
    ("Donald Trump", 0, Key::Num1),
    ("September 21, 2025", 0, Key::Num4),
    ("Zabihullah Mujahid", 0, Key::Num1),
    (
        "Afghanistan's independence and territorial integrity remain non-negotiable",
        0,
        Key::Num5,
    ),
    ("Afghanistan", 4, Key::Num2),
    ("United States", 0, Key::Num2),
    ("Mujahid", 1, Key::Num1),
    ("Doha Agreement", 0, Key::Num3),
    ("Kabul", 0, Key::Num2),
    ("2021", 0, Key::Num4),
];

/// Regenerates `saves/sample.ron` by driving the app like a user:
/// `cargo test --test app_ui make_sample_project -- --ignored`.
#[test]
#[ignore]
fn make_sample_project() {
    let mut h = Harness::builder()
        .with_size(vec2(1280.0, 1400.0))
        .build_eframe(|_cc| SpanmarkApp::headless(Startup::Sample));
    h.run();
    for &(needle, n, key) in SAMPLE_SPANS {
        let s = nth_offset(needle, n);
        drag_chars(&mut h, s, s + needle.chars().count() - 1);
        h.key_press(key);
        h.run();
        h.key_press(Key::Escape);
        h.run();
    }
    h.get_by_role_and_label(egui::accesskit::Role::ComboBox, "status")
        .click();
    h.run();
    h.get_by_label("in progress").click();
    h.run();
    let path = sample_ron();
    through_path_field(&mut h, "Save to path…", &path, "Save");
    assert!(!h.state().workspace().is_dirty(), "{}", h.state().status());
}

#[test]
fn shipped_sample_project_is_what_the_app_made() {
    let path = sample_ron();
    let project = spanmark::io::load_project(&path).expect("saves/sample.ron loads");
    let doc = &project.documents()[0];
    assert_eq!(doc.text().as_str(), SAMPLE_TEXT);
    let mut got: Vec<(usize, usize, &str)> = doc
        .spans()
        .iter()
        .map(|s| (s.start(), s.end(), doc.span_text(s)))
        .collect();
    let mut want: Vec<(usize, usize, &str)> = SAMPLE_SPANS
        .iter()
        .map(|&(needle, n, _)| {
            let s = nth_offset(needle, n);
            (s, s + needle.chars().count(), needle)
        })
        .collect();
    got.sort();
    want.sort();
    assert_eq!(got, want);
    // The example from the docs: Zabihullah Mujahid is PERSON 652..670.
    let person = project.label_id("PERSON").unwrap();
    assert!(doc.spans().contains(&Span::new(652, 670, person).unwrap()));
}

#[test]
fn save_from_the_unsaved_changes_question_then_go_on() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("first.ron");
    let mut h = harness();
    label_zabihullah(&mut h);
    h.key_press_modifiers(Modifiers::COMMAND, Key::N);
    h.run();
    h.get_by_label("Save").click();
    h.run();
    // No native dialog here (no desktop portal): the in-app path field opens instead.
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.get_by_role(egui::accesskit::Role::TextInput)
        .type_text(&path.display().to_string());
    h.run();
    h.get_by_label("Save").click();
    h.run();
    assert_eq!(
        spanmark::io::load_project(&path).unwrap().documents()[0]
            .spans()
            .len(),
        1
    );
    // ...and then the new project was started.
    assert!(h.state().workspace().project().documents().is_empty());
    assert!(!h.state().workspace().is_dirty());
}

#[test]
fn add_documents_status_and_switch() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("emoji.txt");
    std::fs::write(&a, "\u{feff}Family 👨‍👩‍👧 visited Kabul.\r\nDone.").unwrap();
    // The headless harness has only egui's bundled font (no emoji); the real app also
    // asks the system's fonts. Tofu is fine here: this test is about offsets.
    let mut h = Harness::builder()
        .with_size(vec2(1280.0, 800.0))
        .allow_missing_glyphs()
        .build_eframe(|_cc| SpanmarkApp::headless(Startup::Sample));
    h.run();
    through_path_field(&mut h, "Add documents from path…", &a, "Add");
    let project = h.state().workspace().project();
    assert_eq!(project.documents().len(), 2);
    assert_eq!(h.state().current_place(), Some(1));
    assert_eq!(
        project.documents()[1].text().as_str(),
        "Family 👨‍👩‍👧 visited Kabul.\r\nDone."
    );
    // Label "Kabul" in the new document: offsets count the emoji as 5 chars.
    let kabul = "Family 👨‍👩‍👧 visited ".chars().count();
    h.state_mut().set_snap_to_words(true);
    let from = char_pos(&h, kabul + 1);
    let to = char_pos(&h, kabul + 3);
    drag(&mut h, from, to);
    h.key_press(Key::Num2);
    h.run();
    let doc = &h.state().workspace().project().documents()[1];
    let span = doc.spans().iter().next().copied().unwrap();
    assert_eq!((span.start(), span.end()), (kabul, kabul + 5));
    assert_eq!(doc.span_text(&span), "Kabul");
    // Undo twice: the span, then the added document.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(h.state().workspace().project().documents().len(), 1);
    assert_eq!(h.state().current_place(), Some(0));
    // Back on the sample; switch status through the combo box.
    h.get_by_role_and_label(egui::accesskit::Role::ComboBox, "status")
        .click();
    h.run();
    h.get_by_label("done").click();
    h.run();
    assert_eq!(
        h.state().workspace().project().documents()[0].status,
        spanmark::model::Status::Done
    );
}

#[test]
fn span_list_click_selects_and_scrolls() {
    let mut h = harness();
    let (start, end) = label_zabihullah(&mut h);
    h.key_press(Key::Escape);
    h.run();
    h.get_by_label("PERSON  652–670  Zabihullah Mujahid")
        .click();
    h.run();
    let selected = h.state().view().selected_span.unwrap();
    assert_eq!((selected.start(), selected.end()), (start, end));
}

#[test]
fn double_click_selects_a_word_and_shift_click_extends() {
    let mut h = harness();
    let start = offset("Zabihullah Mujahid");
    let p = char_pos(&h, start + 4);
    common::clicks(&mut h, p, 2);
    h.ctx
        .options_mut(|o| o.input_options.max_double_click_delay = 0.3);
    h.run();
    let sel = h.state().view().selection.expect("a word is selected");
    assert_eq!(sel.range(), (start, start + 10));
    // Shift+click on "Mujahid" extends the selection to the end of that word.
    let q = char_pos(&h, start + 14);
    h.hover_at(q);
    h.run();
    h.event_modifiers(
        egui::Event::PointerButton {
            pos: q,
            button: egui::PointerButton::Primary,
            pressed: true,
            modifiers: Modifiers::SHIFT,
        },
        Modifiers::SHIFT,
    );
    h.run();
    h.event_modifiers(
        egui::Event::PointerButton {
            pos: q,
            button: egui::PointerButton::Primary,
            pressed: false,
            modifiers: Modifiers::SHIFT,
        },
        Modifiers::SHIFT,
    );
    h.run();
    let sel = h.state().view().selection.expect("still selected");
    assert_eq!(sel.range(), (start, start + 18));
    h.key_press(Key::Num1);
    h.run();
    assert_eq!(spans(&h), vec![(start, start + 18, "PERSON".to_string())]);
}

#[test]
fn closing_the_window_with_unsaved_changes_asks() {
    let mut h = harness();
    label_zabihullah(&mut h);
    h.input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .events
        .push(egui::ViewportEvent::Close);
    h.run();
    assert!(h.state().is_asking_to_save());
    h.get_by_label("Cancel").click();
    h.run();
    assert!(!h.state().is_asking_to_save());
    assert_eq!(spans(&h).len(), 1);
}

#[test]
fn screenshot_sample_project_light_theme() {
    let path = sample_ron();
    let mut h = harness_with(Startup::Paths(vec![path]));
    h.ctx.set_theme(egui::Theme::Light);
    h.run();
    // Select the QUOTE that contains a PLACE: both underlines and the outline show.
    h.get_by_label_contains("QUOTE  843–917").click();
    // Jumping to the span measures the units that scroll in, and the speaker suggestion's
    // arrow is placed once they are: a few frames more than `run`'s default allows.
    h.run_steps(8);
    h.remove_cursor();
    h.run_steps(8);
    h.snapshot("sample_project_light");
}

#[test]
fn export_from_the_menu_shows_a_summary() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sample.conll");
    let path = sample_ron();
    let mut h = harness_with(Startup::Paths(vec![path]));
    h.get_by_label("File").click();
    h.run();
    h.get_by_label_contains("Export…").click();
    h.run();
    h.get_by_role_and_label(egui::accesskit::Role::ComboBox, "format")
        .click();
    h.run();
    h.get_by_label("conll").click();
    h.run();
    h.get_by_label("BILOU").click();
    h.run();
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, "File")
        .focus();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, "File")
        .type_text(&out.display().to_string());
    h.run();
    h.get_by_label("Export").click();
    h.run();
    let conll = std::fs::read_to_string(&out).expect("the export was written");
    assert!(conll.contains("Zabihullah -X- _ B-PERSON\nMujahid -X- _ L-PERSON\n"));
    let (title, body) = h.state().info().expect("a summary is shown");
    assert_eq!(title, "Exported conll");
    assert!(
        body.contains("18 spans written, 1 not representable") && body.contains("843..854 PLACE"),
        "{body}"
    );
    h.get_by_label("OK").click();
    h.run();
    assert!(h.state().info().is_none());
}

#[test]
fn import_jsonl_adds_documents_and_labels_in_one_undo_step() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("more.jsonl");
    std::fs::write(
        &input,
        "{\"id\": \"a\", \"text\": \"Mujahid spoke.\", \"label\": [[0, 7, \"SPOKESMAN\"]]}\n",
    )
    .unwrap();
    let mut h = harness();
    through_path_field(&mut h, "Add documents from path…", &input, "Add");
    let project = h.state().workspace().project();
    assert_eq!(project.documents().len(), 2);
    assert_eq!(project.labels().len(), 6);
    assert!(h.query_by_label("6 SPOKESMAN").is_some());
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    let project = h.state().workspace().project();
    assert_eq!((project.documents().len(), project.labels().len()), (1, 5));
}

#[test]
fn open_and_save_run_in_the_background_with_a_progress_bar() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.ron");
    spanmark::io::save_project(&spanmark::synth::project(300_000, 15_000, 5), &big).unwrap();
    // Synthetic text mixes scripts; the harness has no CJK font (the real app uses the
    // system's), so allow tofu.
    let mut h = Harness::builder()
        .with_size(vec2(1280.0, 800.0))
        .allow_missing_glyphs()
        .build_eframe(|_cc| SpanmarkApp::headless(Startup::Sample).with_background_jobs());
    h.run();
    h.state_mut().apply(
        &egui::Context::default(),
        spanmark::ui::Action::OpenPath(big.clone()),
    );
    // The window keeps drawing while the file loads: the progress dialog is up (a new
    // window needs one frame to size itself before it shows).
    h.step();
    h.step();
    assert!(h.state().is_busy());
    assert!(h.query_by_label_contains("Opening").is_some());
    let wait = |h: &mut Harness<'_, SpanmarkApp>| {
        for _ in 0..500 {
            h.step();
            if !h.state().is_busy() {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        panic!("the background job never finished");
    };
    wait(&mut h);
    h.run();
    assert_eq!(h.state().path(), Some(big.as_path()));
    assert_eq!(
        h.state().workspace().project().documents()[0].spans().len(),
        15_000
    );
    // Save in the background: a change, Ctrl+S, and the file holds it.
    let doc = h.state().workspace().project().documents()[0].id();
    h.state_mut().apply(
        &egui::Context::default(),
        spanmark::ui::Action::SetStatus(doc, spanmark::model::Status::Done),
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.step();
    wait(&mut h);
    assert!(!h.state().workspace().is_dirty());
    let saved = spanmark::io::load_project(&big).unwrap();
    assert_eq!(saved.documents()[0].status, spanmark::model::Status::Done);
}

#[test]
fn bench_scroll_walks_to_the_end_of_the_document() {
    let mut h = Harness::builder()
        .with_size(vec2(1280.0, 800.0))
        .build_eframe(|_cc| SpanmarkApp::headless(Startup::Sample).with_bench_scroll());
    let first = offset("Zabihullah");
    let last = SAMPLE_TEXT.chars().count() - 1;
    let mut frames = 0;
    let mut saw_top = false;
    while h.state().is_bench_scrolling() {
        h.step();
        saw_top |= h.state().view().char_screen_pos(first).is_some();
        frames += 1;
        assert!(frames < 1000, "--bench-scroll never finished");
    }
    assert!(saw_top, "the scroll did not start at the top");
    assert!(
        h.state().view().char_screen_pos(last).is_some(),
        "the scroll did not reach the last char"
    );
    assert!(frames > 300, "one place per frame: {frames} frames");
}

fn selection(h: &Harness<'_, SpanmarkApp>) -> Option<(usize, usize)> {
    h.state().view().selection.map(|s| s.range())
}

/// Ctrl+F, then types `query` into the find field.
fn find(h: &mut Harness<'_, SpanmarkApp>, query: &str) {
    h.key_press_modifiers(Modifiers::COMMAND, Key::F);
    h.run();
    h.get_by_role(egui::accesskit::Role::TextInput)
        .type_text(query);
    h.run();
}

#[test]
fn find_steps_through_matches_and_a_label_key_labels_one() {
    let mut h = harness();
    find(&mut h, "bagram");
    let all: Vec<usize> = SAMPLE_TEXT
        .match_indices("Bagram")
        .map(|(b, _)| SAMPLE_TEXT[..b].chars().count())
        .collect();
    assert!(all.len() >= 3);
    // Typing selects the first match; Enter goes on, Shift+Enter back, F3 on again.
    assert_eq!(selection(&h), Some((all[0], all[0] + 6)));
    h.key_press(Key::Enter);
    h.run();
    h.key_press(Key::Enter);
    h.run();
    assert_eq!(selection(&h), Some((all[2], all[2] + 6)));
    h.key_press_modifiers(Modifiers::SHIFT, Key::Enter);
    h.run();
    assert_eq!(selection(&h), Some((all[1], all[1] + 6)));
    h.get_by_label(&format!("2 of {}", all.len()));
    h.key_press(Key::F3);
    h.run();
    assert_eq!(selection(&h), Some((all[2], all[2] + 6)));
    // Esc closes the bar and keeps the match selected; 2 labels it PLACE.
    h.key_press(Key::Escape);
    h.run();
    assert!(
        h.query_by_label("Match case").is_none(),
        "find bar still open"
    );
    h.key_press(Key::Num2);
    h.run();
    assert!(spans(&h).contains(&(all[2], all[2] + 6, "PLACE".to_string())));
}

#[test]
fn find_jumps_to_the_end_of_a_1m_document_at_once() {
    let mut text = spanmark::synth::text(1_000_000, 5);
    let target = text.chars().count() + 1;
    text.push_str("\nA quokka was seen.\n");
    // The synthetic text has CJK and emoji, which the test fonts lack: tofu is fine here.
    let mut h = Harness::builder()
        .with_size(vec2(1280.0, 800.0))
        .allow_missing_glyphs()
        .build_eframe(|_cc| SpanmarkApp::headless(Startup::Sample));
    h.state_mut()
        .replace_project_for_bench(spanmark::model::Project::with_documents(vec![
            spanmark::model::Document::new("big", text),
        ]));
    h.run();
    assert!(h.state().view().char_screen_pos(target + 2).is_none());
    h.key_press_modifiers(Modifiers::COMMAND, Key::F);
    h.run();
    h.get_by_role(egui::accesskit::Role::TextInput)
        .type_text("Quokka");
    // Frame 1 takes the typing and finds the match; frame 2 draws it.
    h.step();
    assert_eq!(selection(&h), Some((target + 2, target + 8)));
    h.step();
    assert!(
        h.state().view().char_screen_pos(target + 2).is_some(),
        "the match is not on screen in the next frame"
    );
    // Heights measured on the way can move the end a little; it stays on screen.
    h.run_steps(30);
    assert!(h.state().view().char_screen_pos(target + 2).is_some());
    h.get_by_label("1 of 1");
}

#[test]
fn offsets_stay_exact_after_right_to_left_words() {
    // A font that shapes Arabic and Hebrew (joined, right to left): egui's own fonts lack
    // them and draw tofu, which hides what this guards against (egui 0.37 pads
    // right-to-left runs with misplaced blank glyphs, emilk/egui#8576, so glyph i is no
    // longer char i after them).
    let font =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fonts/DejaVuSans.ttf"))
            .expect("test font");
    let text = "Talks in كابول with مجاهد and שלום today: Kabul, Doha and Bagram.";
    let mut h = Harness::builder()
        .with_size(vec2(1280.0, 800.0))
        .build_eframe(move |cc| {
            cc.egui_ctx.add_font(egui::epaint::text::FontInsert::new(
                "DejaVuSans",
                egui::FontData::from_owned(font),
                vec![egui::epaint::text::InsertFontFamily {
                    family: egui::FontFamily::Proportional,
                    priority: egui::epaint::text::FontPriority::Lowest,
                }],
            ));
            SpanmarkApp::headless(Startup::Sample)
        });
    h.state_mut()
        .replace_project_for_bench(spanmark::model::Project::with_documents(vec![
            spanmark::model::Document::new("rtl", text),
        ]));
    h.run();
    // Every char is drawn where the view says it is.
    for (c, ch) in text
        .chars()
        .enumerate()
        .filter(|(_, ch)| !ch.is_whitespace())
    {
        let at = char_pos(&h, c);
        assert_eq!(
            h.state().view().drawn_char_at(at),
            Some(ch),
            "char {c} ({ch:?}) is not drawn at {at:?}"
        );
    }
    // Dragging over "Kabul" after the right-to-left words gives its exact offsets.
    let kabul = text.chars().count() - "Kabul, Doha and Bagram.".chars().count();
    drag_chars(&mut h, kabul, kabul + 4);
    h.key_press(Key::Num2);
    h.run();
    assert_eq!(spans(&h), [(kabul, kabul + 5, "PLACE".to_string())]);
}

#[test]
fn dragging_past_the_bottom_edge_scrolls_and_keeps_the_anchor() {
    let mut h = harness();
    let start = offset("Taliban say");
    let last = SAMPLE_TEXT.chars().count() - 1;
    assert!(h.state().view().char_screen_pos(last).is_none());
    let from = char_pos(&h, start) - vec2(2.0, 0.0);
    h.hover_at(from);
    h.run();
    h.drag_at(from);
    h.run();
    // Hold the pointer below the document view: it scrolls a little every frame.
    let below = Pos2::new(500.0, 795.0);
    for _ in 0..60 {
        h.hover_at(below);
        h.step();
    }
    h.drop_at(below);
    h.run();
    let (s, e) = h.state().view().selection.expect("a selection").range();
    assert_eq!(s, start, "the anchor moved");
    assert!(
        h.state().view().char_screen_pos(start).is_none(),
        "the anchor should have scrolled out of view"
    );
    assert!(
        e > offset("It remains unclear"),
        "the selection did not grow with the scroll"
    );
}
