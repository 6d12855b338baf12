//! The label map in the window: a command speaking spaCy's labels runs; GPE becomes
//! PLACE by default, NORP is not applied; the Run command dialog lists both with their
//! counts, NORP is mapped to ORG there (its suggestion appears at once, one undo step
//! takes the choice back, the map is saved in the project), and "Run command again" is
//! one click.
#![cfg(unix)] // the "model" is sh

use egui_kittest::kittest::Queryable;
use spanmark::app::SAMPLE_TEXT;
use spanmark::model::suggest::Suggestion;

mod common;

/// The sample's first word twice (as GPE and as NORP) and its second as MISC; it counts
/// its runs in `runs` (in the temp dir given).
fn model(dir: &std::path::Path) -> String {
    let runs = dir.join("runs");
    format!(
        r#"cat >/dev/null; echo run >> '{}'; echo '{{"id": 0, "spans": [{{"start": 0, "end": 7, "label": "GPE", "score": 0.8}}, {{"start": 0, "end": 7, "label": "NORP"}}, {{"start": 8, "end": 12, "label": "MISC"}}]}}'"#,
        runs.display()
    )
}

fn pending(
    h: &egui_kittest::Harness<'_, spanmark::app::SpanmarkApp>,
) -> Vec<(usize, usize, String)> {
    let project = h.state().workspace().project();
    let d = project.documents()[0].id();
    h.state()
        .suggestions()
        .for_doc(d)
        .iter()
        .map(|s: &Suggestion| {
            let l = project.label(s.span.label()).unwrap().name.clone();
            (s.span.start(), s.span.end(), l)
        })
        .collect()
}

#[test]
fn the_run_command_dialog_maps_the_labels_the_project_lacks() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = common::sample_harness();
    // Only the command's suggestions are looked at: the learned source has nothing yet.
    common::menu_item(&mut h, "Suggestions", "Run command…");
    h.get_by_role(eframe::egui::accesskit::Role::TextInput)
        .type_text(&model(dir.path()));
    h.run();
    h.get_by_label("Run").click();
    h.run_steps(3);
    assert!(!h.state().is_command_running());
    let word = |a: usize, b: usize| SAMPLE_TEXT.chars().skip(a).take(b - a).collect::<String>();
    assert_eq!(word(0, 7), "Taliban");
    assert_eq!(
        pending(&h),
        vec![(0, 7, "PLACE".to_string())],
        "GPE → PLACE by default"
    );
    let status = h.state().status().to_string();
    assert!(
        status.contains("2 spans not applied") && status.contains("MISC 1, NORP 1"),
        "{status}"
    );

    // The dialog lists the three labels the project lacks, with counts.
    common::menu_item(&mut h, "Suggestions", "Run command…");
    for name in ["GPE", "MISC", "NORP"] {
        h.get_by_role_and_label(eframe::egui::accesskit::Role::ComboBox, name);
    }
    assert_eq!(h.get_all_by_label("1 span").count(), 3);
    h.get_by_role_and_label(eframe::egui::accesskit::Role::ComboBox, "NORP")
        .click();
    h.run();
    h.get_by_label("as ORG").click();
    h.run_steps(2);
    assert_eq!(
        pending(&h),
        vec![(0, 7, "PLACE".to_string()), (0, 7, "ORG".to_string())],
        "the mapped label's suggestion appears at once"
    );
    let map = &h.state().workspace().project().suggest_settings().label_map;
    assert_eq!(map.get("NORP"), Some(Some("ORG")));
    // MISC dropped.
    h.get_by_role_and_label(eframe::egui::accesskit::Role::ComboBox, "MISC")
        .click();
    h.run();
    h.get_by_label("Drop").click();
    h.run_steps(2);
    let map = &h.state().workspace().project().suggest_settings().label_map;
    assert_eq!(map.get("MISC"), Some(None));
    // "Run again" runs the command line of the field: one click.
    h.get_by_label("Run again").click();
    h.run_steps(3);
    let runs = std::fs::read_to_string(dir.path().join("runs")).unwrap();
    assert_eq!(runs.lines().count(), 2);
    assert_eq!(pending(&h).len(), 2);
    // And from the menu, one click, no dialog.
    common::menu_item(&mut h, "Suggestions", "Run command again");
    h.run_steps(3);
    let runs = std::fs::read_to_string(dir.path().join("runs")).unwrap();
    assert_eq!(runs.lines().count(), 3);

    // The choices are edits: undo takes MISC's back, then NORP's (its suggestion goes).
    for _ in 0..2 {
        h.key_press_modifiers(eframe::egui::Modifiers::COMMAND, eframe::egui::Key::Z);
        h.run_steps(2);
    }
    assert_eq!(pending(&h), vec![(0, 7, "PLACE".to_string())]);
}

#[test]
fn a_score_threshold_hides_the_less_confident_suggestions() {
    let mut h = common::sample_harness();
    // "Taliban" scored 0.9, "took" 0.3, "over" with no score.
    common::menu_item(&mut h, "Suggestions", "Run command…");
    h.get_by_role(eframe::egui::accesskit::Role::TextInput).type_text(
        r#"cat >/dev/null; echo '{"id": 0, "spans": [{"start": 0, "end": 7, "label": "ORG", "score": 0.9}, {"start": 8, "end": 12, "label": "PLACE", "score": 0.3}, {"start": 13, "end": 17, "label": "DATE"}]}'"#,
    );
    h.run();
    h.get_by_label("Run").click();
    h.run_steps(3);
    assert_eq!(pending(&h).len(), 3, "{}", h.state().status());
    let project = h.state().workspace().project();
    let d = project.documents()[0].id();
    let first = h.state().suggestions().for_doc(d)[0];
    assert_eq!(h.state().suggestions().score(d, &first), Some(0.9));

    // Suggestions › Hide scores below: 0.5.
    h.get_by_label("Suggestions").click();
    h.run();
    h.get_by_role_and_label(eframe::egui::accesskit::Role::Slider, "Hide scores below")
        .set_value_accesskit(0.5);
    h.run();
    h.key_press(eframe::egui::Key::Escape);
    h.run_steps(2);
    let min = h.state().suggestions().min_score();
    assert!((min - 0.5).abs() < 1e-3, "threshold {min}");
    assert_eq!(
        pending(&h),
        vec![(0, 7, "ORG".to_string()), (13, 17, "DATE".to_string())],
        "0.3 is hidden; the unscored one shows"
    );
    // Accept all counts (and accepts) only what is shown.
    common::menu_item(&mut h, "Suggestions", "Accept all in document…");
    assert!(h.query_by_label_contains("2 suggestions").is_some());
    h.get_by_label("Accept them").click();
    h.run_steps(2);
    let spans: Vec<_> = h.state().workspace().project().documents()[0]
        .spans()
        .iter()
        .map(|s| (s.start(), s.end()))
        .collect();
    assert_eq!(spans, vec![(0, 7), (13, 17)]);
}

#[test]
fn tab_can_step_through_the_most_confident_first() {
    let mut h = common::sample_harness();
    common::menu_item(&mut h, "Suggestions", "Run command…");
    h.get_by_role(eframe::egui::accesskit::Role::TextInput).type_text(
        r#"cat >/dev/null; echo '{"id": 0, "spans": [{"start": 0, "end": 7, "label": "ORG", "score": 0.2}, {"start": 8, "end": 12, "label": "PLACE", "score": 0.9}, {"start": 13, "end": 17, "label": "DATE", "score": 0.5}]}'"#,
    );
    h.run();
    h.get_by_label("Run").click();
    h.run_steps(3);
    assert_eq!(pending(&h).len(), 3, "{}", h.state().status());
    h.get_by_label("Suggestions").click();
    h.run();
    h.get_by_label("Tab: most confident first").click();
    h.run();
    h.key_press(eframe::egui::Key::Escape);
    h.run();
    let mut seen = Vec::new();
    for _ in 0..4 {
        h.key_press(eframe::egui::Key::Tab);
        h.run();
        let s = h
            .state()
            .view()
            .selected_suggestion
            .expect("a suggestion selected");
        seen.push(s.span.start());
    }
    assert_eq!(seen, vec![8, 13, 0, 8], "0.9, 0.5, 0.2, then round again");
    // The span panel names the selected suggestion with its score.
    h.run();
    let line = format!("{:?}", h.get_by_label_contains("PLACE 8–12 “reje”"));
    assert!(line.contains("(score 0.90)"), "{line}");
}
