//! Notes on spans, driven through the real window headless: typed in the span panel,
//! saved and reopened, kept through delete + undo and through relabelling.

use eframe::egui::{Key, Modifiers, accesskit::Role, vec2};
use egui_kittest::{Harness, kittest::Queryable};
use spanmark::app::{SpanmarkApp, Startup};
use spanmark::model::Span;
use spanmark::ui::Action;

mod common;

fn harness_with(startup: Startup) -> Harness<'static, SpanmarkApp> {
    let mut h = Harness::builder()
        .with_size(vec2(1280.0, 800.0))
        .build_eframe(move |_cc| SpanmarkApp::headless(startup));
    h.run();
    h
}

/// Drags over `what` in the sample text (snap off: exact chars) and presses `key`.
fn label(h: &mut Harness<'_, SpanmarkApp>, what: &str, key: Key) -> (usize, usize) {
    let (start, end) = common::select(h, what);
    h.key_press(key);
    h.run();
    (start, end)
}

/// The spans of the first document with their label names and notes.
fn spans(h: &Harness<'_, SpanmarkApp>) -> Vec<(usize, usize, String, Option<String>)> {
    let p = h.state().workspace().project();
    let d = &p.documents()[0];
    d.spans()
        .iter()
        .map(|s| {
            (
                s.start(),
                s.end(),
                p.label(s.label()).unwrap().name.clone(),
                d.note(s).map(str::to_string),
            )
        })
        .collect()
}

fn span_at(h: &Harness<'_, SpanmarkApp>, start: usize) -> Span {
    let p = h.state().workspace().project();
    *p.documents()[0]
        .spans()
        .iter()
        .find(|s| s.start() == start)
        .unwrap()
}

fn press(h: &mut Harness<'_, SpanmarkApp>, modifiers: Modifiers, key: Key) {
    h.key_press_modifiers(modifiers, key);
    h.run();
}

const NOTE: &str = "Say \"Bagram\", not \"Bagrum\"\nchecked twice";

#[test]
fn a_note_typed_in_the_span_panel_is_saved_undone_and_follows_relabelling() {
    let mut h = harness_with(Startup::Sample);
    let (start, end) = label(&mut h, "Bagram Air Base", Key::Num2);
    assert_eq!(spans(&h), [(start, end, "PLACE".into(), None)]);

    // The selected span's note field: type two lines (Enter is a new line), Ctrl+Enter
    // commits it as one undo step.
    h.get_by_role(Role::MultilineTextInput).click();
    h.run();
    h.get_by_role(Role::MultilineTextInput)
        .type_text("Say \"Bagram\", not \"Bagrum\"");
    h.run();
    h.key_press(Key::Enter);
    h.run();
    h.get_by_role(Role::MultilineTextInput)
        .type_text("checked twice");
    h.run();
    assert_eq!(spans(&h)[0].3, None, "not committed while typing");
    press(&mut h, Modifiers::COMMAND, Key::Enter);
    assert_eq!(spans(&h)[0].3.as_deref(), Some(NOTE));
    assert_eq!(
        h.state().workspace().undo_description(),
        Some("add note"),
        "{}",
        h.state().status()
    );

    // The span list marks the span, and hovering its row shows the note.
    let row = format!("PLACE †  {start}–{end}  Bagram Air Base");
    h.get_by_label(&row).hover();
    h.run();
    h.run();
    assert!(
        h.query_all_by_label(NOTE).next().is_some(),
        "the note shows on hover"
    );

    // Save, then open the file again in a new window: the note is there.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.ron");
    let ctx = h.ctx.clone();
    h.state_mut().apply(&ctx, Action::SaveToPath(path.clone()));
    h.run();
    h.run();
    assert!(!h.state().workspace().is_dirty(), "{}", h.state().status());
    let saved = std::fs::read_to_string(&path).unwrap();
    assert!(
        saved.contains("note: \"Say \\\"Bagram\\\", not \\\"Bagrum\\\"\\nchecked twice\""),
        "{saved}"
    );
    let reopened = harness_with(Startup::Paths(vec![path.clone()]));
    assert_eq!(spans(&reopened), spans(&h));
    assert!(reopened.query_by_label(&row).is_some());

    // Delete the span: its note goes with it; one undo brings both back.
    h.get_by_label(&row).click();
    h.run();
    h.key_press(Key::Delete);
    h.run();
    assert!(spans(&h).is_empty(), "{}", h.state().status());
    press(&mut h, Modifiers::COMMAND, Key::Z);
    assert_eq!(spans(&h), [(start, end, "PLACE".into(), Some(NOTE.into()))]);

    // Relabel it (select it in the list, press 3): the note follows, in one undo step.
    h.get_by_label(&row).click();
    h.run();
    h.key_press(Key::Num3);
    h.run();
    assert_eq!(spans(&h), [(start, end, "ORG".into(), Some(NOTE.into()))]);
    press(&mut h, Modifiers::COMMAND, Key::Z);
    assert_eq!(spans(&h), [(start, end, "PLACE".into(), Some(NOTE.into()))]);
    press(&mut h, Modifiers::COMMAND, Key::Z);
    assert_eq!(spans(&h)[0].3, None, "undo of the note itself");
    assert_eq!(span_at(&h, start).start(), start);
}

/// Clicking another span commits what was typed for the first one, not the second.
#[test]
fn clicking_away_commits_the_note_to_the_span_it_was_typed_for() {
    let mut h = harness_with(Startup::Sample);
    let (place, _) = label(&mut h, "Bagram Air Base", Key::Num2);
    let (person, _) = label(&mut h, "Zabihullah Mujahid", Key::Num1);
    // The person span is selected; type a note for it.
    h.get_by_role(Role::MultilineTextInput).click();
    h.run();
    h.get_by_role(Role::MultilineTextInput)
        .type_text("spokesman");
    h.run();
    // Click the place span in the list: the field loses focus, the note is committed.
    h.get_by_label_contains("PLACE  ").click();
    h.run();
    h.run();
    let d = &h.state().workspace().project().documents()[0];
    assert_eq!(d.note(&span_at(&h, person)), Some("spokesman"));
    assert_eq!(d.note(&span_at(&h, place)), None);
    // The field now shows the place span's (empty) note.
    assert_eq!(
        h.get_by_role(Role::MultilineTextInput).value().as_deref(),
        Some("")
    );
    // Emptying a note removes it, as one more undo step.
    h.get_by_label_contains("PERSON †").click();
    h.run();
    h.get_by_role(Role::MultilineTextInput).click();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.key_press(Key::Backspace);
    h.run();
    press(&mut h, Modifiers::COMMAND, Key::Enter);
    let d = &h.state().workspace().project().documents()[0];
    assert_eq!(d.note(&span_at(&h, person)), None);
    assert_eq!(
        h.state().workspace().undo_description(),
        Some("remove note")
    );
}
