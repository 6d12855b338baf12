//! Issue 20's rough edges, tried as a new user would, through the real window headless:
//! Tab and Enter on suggestions off screen, the document status after the first span,
//! command keys in the label editor, export over an existing file, the suggestion
//! buttons' place, the charts' values and the statistics window's place, the first-run
//! hint, the right-click menu on one span, path completion and default names.

use eframe::egui::{Key, Modifiers, vec2};
use egui_kittest::{Harness, kittest::Queryable};
use spanmark::app::{SpanmarkApp, Startup};
use spanmark::model::suggest::Suggestion;
use spanmark::model::{Span, Status};

mod common;

/// The sample on a 1280×800 window. A scroll to a target may take a few frames (it is
/// animated, and units are measured as they come on screen).
fn harness() -> Harness<'static, SpanmarkApp> {
    let mut h = Harness::builder()
        .with_size(vec2(1280.0, 800.0))
        .with_max_steps(24)
        .build_eframe(|_cc| SpanmarkApp::headless(Startup::Sample));
    h.run();
    h
}

fn doc0(h: &Harness<'_, SpanmarkApp>) -> spanmark::model::DocId {
    h.state().workspace().project().documents()[0].id()
}

fn pending(h: &Harness<'_, SpanmarkApp>) -> Vec<Suggestion> {
    h.state().suggestions().for_doc(doc0(h)).to_vec()
}

fn spans(h: &Harness<'_, SpanmarkApp>) -> Vec<Span> {
    h.state().workspace().project().documents()[0]
        .spans()
        .iter()
        .copied()
        .collect()
}

fn status(h: &Harness<'_, SpanmarkApp>) -> Status {
    h.state().workspace().project().documents()[0].status
}

/// Labels "Taliban" in "Taliban spokesman" with key 3 (ORG) by a drag; returns its start.
fn label_spokesman_taliban(h: &mut Harness<'_, SpanmarkApp>) -> usize {
    h.state_mut().set_snap_to_words(false);
    let start = common::offset("Taliban spokesman");
    let a = h.state().view().char_screen_pos(start).unwrap() - vec2(2.0, 0.0);
    let b = h.state().view().char_screen_pos(start + 6).unwrap() + vec2(2.0, 0.0);
    common::drag(h, a, b);
    h.key_press(Key::Num3);
    h.run();
    assert_eq!(spans(h).len(), 1);
    assert_eq!(spans(h)[0].start(), start);
    start
}

/// Issue 20: label "Taliban" in "Taliban spokesman" with 3, move the mouse away, press
/// Tab, in a window where the next suggestion's paragraph starts on screen but the
/// suggestion itself is below the fold. Tab must scroll it into view; Enter must never
/// accept a suggestion that is off screen (it shows it first).
#[test]
fn tab_scrolls_an_off_screen_suggestion_into_view_and_enter_needs_it_visible() {
    let mut h = harness();
    let start = label_spokesman_taliban(&mut h);
    // The suggestion Tab goes to next: the first one after the span.
    let next = *pending(&h)
        .iter()
        .find(|s| s.span.start() > start)
        .expect("a Taliban after the spokesman");
    // Shrink the window so that the view ends between the first line of that
    // suggestion's paragraph and the suggestion: laid out, but below the fold.
    let view = h.state().view();
    let para = common::offset("It remains unclear");
    assert!(para < next.span.start());
    let para_y = view.char_screen_pos(para).unwrap().y;
    let next_y = view.char_screen_pos(next.span.start()).unwrap().y;
    assert!(
        next_y - para_y > 30.0,
        "the suggestion is rows below its paragraph's start"
    );
    let below = 800.0 - view.screen_rect().bottom();
    h.set_size(vec2(1280.0, (para_y + next_y) / 2.0 + below));
    h.hover_at(eframe::egui::pos2(1270.0, 5.0));
    h.run();
    let view = h.state().view();
    assert!(
        view.char_screen_pos(next.span.start()).is_some(),
        "its unit is laid out"
    );
    assert!(!view.range_visible(next.span.start(), next.span.end()));

    h.key_press(Key::Tab);
    h.run();
    assert_eq!(h.state().view().selected_suggestion, Some(next));
    let view = h.state().view();
    let rects = view.range_screen_rects(next.span.start(), next.span.end());
    assert!(!rects.is_empty());
    for r in rects {
        assert!(
            view.screen_rect().contains_rect(r),
            "the suggestion Tab selected is on screen: {r:?} in {:?}",
            view.screen_rect()
        );
    }
    // Its ✓/✗ buttons are on screen too.
    let accept = h.get_by_label("Accept suggestion").rect();
    assert!(h.state().view().screen_rect().contains_rect(accept));

    // Scrolled away (as a wheel would), Enter shows it instead of accepting it.
    h.state_mut().view_mut().scroll_to(0);
    h.run();
    assert!(
        !h.state()
            .view()
            .range_visible(next.span.start(), next.span.end())
    );
    h.key_press(Key::Enter);
    h.run();
    assert!(!spans(&h).contains(&next.span), "not accepted unseen");
    assert!(
        h.state()
            .view()
            .range_visible(next.span.start(), next.span.end()),
        "shown instead"
    );
    h.key_press(Key::Enter);
    h.run();
    assert!(spans(&h).contains(&next.span), "accepted once seen");
}

/// Issue 20: the first span makes a "todo" document "in progress", in the same undo
/// step.
#[test]
fn the_first_span_makes_the_document_in_progress_and_undo_makes_it_todo() {
    let mut h = harness();
    assert_eq!(status(&h), Status::Todo);
    label_spokesman_taliban(&mut h);
    assert_eq!(status(&h), Status::InProgress);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert!(spans(&h).is_empty());
    assert_eq!(
        status(&h),
        Status::Todo,
        "undo takes the status back with the span"
    );
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    h.run();
    assert_eq!(status(&h), Status::InProgress);
}

/// File › Export… with `path` typed in the export dialog's field, then Export.
fn export_through_the_dialog(h: &mut Harness<'_, SpanmarkApp>, path: &std::path::Path) {
    use eframe::egui::accesskit::Role;
    h.get_by_label("File").click();
    h.run();
    h.get_by_label_contains("Export…").click();
    h.run();
    h.get_by_role_and_label(Role::TextInput, "File").focus();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.get_by_role_and_label(Role::TextInput, "File")
        .type_text(&path.display().to_string());
    h.run();
    h.get_by_label("Export").click();
    h.run();
}

/// Issue 20: an export to an existing file asks first; Cancel keeps the file and goes
/// back to the export dialog, Replace writes it.
#[test]
fn export_over_an_existing_file_asks_first() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("taken.jsonl");
    std::fs::write(&out, "keep me\n").unwrap();
    let mut h = harness();
    export_through_the_dialog(&mut h, &out);
    assert!(h.query_by_label("Replace the existing file?").is_some());
    assert!(
        h.query_by_label_contains("taken.jsonl already exists")
            .is_some()
    );
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "keep me\n");
    h.get_by_label("Cancel").click();
    h.run();
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "keep me\n",
        "not replaced"
    );
    assert!(
        h.query_by_label("Export dataset").is_some(),
        "back to the dialog"
    );
    h.get_by_label("Export").click();
    h.run();
    h.get_by_label("Replace").click();
    h.run();
    let written = std::fs::read_to_string(&out).unwrap();
    assert!(
        written.contains("Taliban"),
        "replaced by the export: {written}"
    );
    assert_eq!(h.state().info().map(|(t, _)| t), Some("Exported jsonl"));

    // A new name is written at once, without a question.
    h.get_by_label("OK").click();
    h.run();
    let fresh = dir.path().join("fresh.jsonl");
    export_through_the_dialog(&mut h, &fresh);
    assert!(h.query_by_label("Replace the existing file?").is_none());
    assert!(fresh.exists());
}

/// Issue 20: the ✓/✗ buttons of the selected suggestion hide no text: their rects meet
/// no glyph row (they used to sit over the line above).
#[test]
fn the_suggestion_buttons_cover_no_text() {
    let mut h = harness();
    let start = label_spokesman_taliban(&mut h);
    h.hover_at(eframe::egui::pos2(1270.0, 5.0));
    h.run();
    let mut checked = 0;
    // Each suggestion after the span in turn: some start a line, some end one, some sit
    // in the middle of a paragraph under a full line.
    for _ in 0..pending(&h).len() {
        h.key_press(Key::Tab);
        h.run();
        let s = h
            .state()
            .view()
            .selected_suggestion
            .expect("Tab selects one");
        let rows = h.state().view().glyph_row_rects();
        assert!(rows.len() > 5, "the article's lines are measured");
        for name in ["Accept suggestion", "Reject suggestion"] {
            let button = h.get_by_label(name).rect();
            for row in &rows {
                assert!(
                    !button.shrink(0.5).intersects(*row),
                    "{name} of the suggestion at {} covers text: {button:?} over {row:?}",
                    s.span.start()
                );
            }
            // And it is beside its suggestion, not somewhere else on screen.
            let near = h
                .state()
                .view()
                .range_screen_rects(s.span.start(), s.span.end())
                .iter()
                .any(|r| r.expand(30.0).intersects(button));
            assert!(near, "{name} is next to its suggestion");
        }
        checked += 1;
    }
    assert!(checked >= 5 && start > 0);
}

/// Every text painted in the last frame, with its screen rect.
fn painted_texts(h: &Harness<'_, SpanmarkApp>) -> Vec<(String, eframe::egui::Rect)> {
    use eframe::egui::Shape;
    fn walk(shape: &Shape, out: &mut Vec<(String, eframe::egui::Rect)>) {
        match shape {
            Shape::Text(t) => out.push((t.galley.text().to_string(), t.visual_bounding_rect())),
            Shape::Vec(v) => v.iter().for_each(|s| walk(s, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for clipped in &h.output().shapes {
        walk(&clipped.shape, &mut out);
    }
    out
}

/// Issue 20: the statistics chart writes each bar's value on it, and the window opens
/// below the menu bar.
#[test]
fn statistics_show_values_on_the_bars_and_open_below_the_menu_bar() {
    let mut h = harness();
    label_spokesman_taliban(&mut h);
    common::menu_item(&mut h, "Suggestions", "Accept all in project…");
    h.get_by_label("Accept them").click();
    h.run();
    let org = spans(&h).len();
    assert!(org > 5);
    common::menu_item(&mut h, "View", "Statistics");
    h.run();
    let menu_bottom = h.get_by_label("File").rect().bottom();
    let title = h.get_by_label("Statistics").rect();
    assert!(
        title.top() >= menu_bottom,
        "the window opens below the menu bar: {title:?} vs {menu_bottom}"
    );
    let texts = painted_texts(&h);
    // Under each bar its label's name (the x axis), above it its count.
    let above = |name: &str, value: &str| {
        texts.iter().filter(|(t, _)| t == name).any(|(_, axis)| {
            texts.iter().any(|(t, r)| {
                t == value
                    && (r.center().x - axis.center().x).abs() < 8.0
                    && r.bottom() < axis.top()
            })
        })
    };
    assert!(above("ORG", &org.to_string()), "ORG's bar says {org}");
    assert!(above("PERSON", "0"), "an empty bar says 0");
}

/// Issue 20: a project without spans says what to do, with its real label keys; the
/// hint goes with the first span.
#[test]
fn a_project_without_spans_shows_how_to_label_until_the_first_span() {
    let mut h = harness();
    let hint = "Drag or double-click a word, then press 1–5 to label it.";
    assert!(h.query_by_label(hint).is_some());
    label_spokesman_taliban(&mut h);
    assert!(h.query_by_label(hint).is_none());
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert!(h.query_by_label(hint).is_some(), "back with no span");
}

/// Issue 20: a right click on one span shows its actions at once, under its name.
#[test]
fn right_click_on_a_single_span_shows_its_actions_directly() {
    let mut h = harness();
    let start = label_spokesman_taliban(&mut h);
    h.key_press(Key::Escape);
    h.run();
    let p = h.state().view().char_screen_pos(start + 2).unwrap();
    common::right_click(&mut h, p);
    assert!(h.query_by_label("ORG “Taliban”").is_some(), "named");
    assert!(h.query_by_label("Relabel as").is_some());
    h.get_by_label("Delete").click();
    h.run();
    assert!(spans(&h).is_empty(), "deleted in two clicks");

    // A suggestion alone under the pointer: Accept at once too.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    let s = pending(&h)[0];
    let p = h
        .state()
        .view()
        .char_screen_pos(s.span.start() + 2)
        .unwrap();
    common::right_click(&mut h, p);
    h.get_by_label("Accept").click();
    h.run();
    assert!(spans(&h).contains(&s.span));
}

/// Issue 20: in the path field, Tab completes a path as a shell does; Save proposes the
/// project's name, and the export dialog a name with the format's extension.
#[test]
fn tab_completes_paths_and_save_and_export_propose_a_name() {
    use eframe::egui::accesskit::Role;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("alpha-project.ron"), "").unwrap();
    std::fs::write(dir.path().join("alpha-notes.txt"), "").unwrap();
    let d = dir.path().display().to_string();
    let mut h = harness();
    common::path_field(&mut h, "Open path…", &format!("{d}/al"), false);
    let value = |h: &Harness<'_, SpanmarkApp>| h.get_by_role(Role::TextInput).value().unwrap();
    h.key_press(Key::Tab);
    h.run();
    assert_eq!(value(&h), format!("{d}/alpha-"), "the shared prefix");
    // The caret is at the end: typing goes on from there.
    h.get_by_role(Role::TextInput).type_text("p");
    h.run();
    h.key_press(Key::Tab);
    h.run();
    assert_eq!(value(&h), format!("{d}/alpha-project.ron"));
    h.key_press(Key::Escape);
    h.run();

    // Save of the unsaved sample proposes its document's name.
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Save to path…").click();
    h.run();
    let proposed = value(&h);
    assert!(
        proposed.ends_with("/bagram.ron") || proposed.contains("/bagram-"),
        "{proposed}"
    );
    h.key_press(Key::Escape);
    h.run();
    h.get_by_label("File").click();
    h.run();
    h.get_by_label_contains("Export…").click();
    h.run();
    let proposed = h
        .get_by_role_and_label(Role::TextInput, "File")
        .value()
        .unwrap();
    assert!(proposed.ends_with("/bagram.jsonl"), "{proposed}");
}

/// Tab and Shift+Tab on spans bring each one into view too, in a window so short that
/// most of the article is off screen.
#[test]
fn tab_on_spans_scrolls_each_into_view() {
    let mut h = harness();
    label_spokesman_taliban(&mut h);
    common::menu_item(&mut h, "Suggestions", "Accept all in project…");
    h.get_by_label("Accept them").click();
    h.run();
    let all = spans(&h);
    assert!(all.len() > 5 && pending(&h).is_empty());
    h.set_size(vec2(1280.0, 330.0));
    h.key_press(Key::Escape);
    h.run();
    let mut seen = Vec::new();
    for (i, key) in std::iter::repeat_n(Modifiers::NONE, all.len() + 1)
        .chain(std::iter::repeat_n(Modifiers::SHIFT, 3))
        .enumerate()
    {
        h.key_press_modifiers(key, Key::Tab);
        h.run();
        let view = h.state().view();
        let span = view.selected_span.expect("Tab selects a span");
        assert!(
            view.range_visible(span.start(), span.end()),
            "step {i}: span at {} is on screen",
            span.start()
        );
        seen.push(span);
    }
    seen.sort();
    seen.dedup();
    assert_eq!(seen, all, "every span was reached");
}
