//! Suggestions driven through the real window headless: label one "Taliban" in the
//! sample article and its other occurrences are proposed; accept them all, one by one
//! (Tab + Enter, the ✓ button, the right-click menu) or reject them (X); turn the
//! learned source off; add a dictionary; run an external command and cancel one.

use eframe::egui::{Key, Modifiers, vec2};
use egui_kittest::{Harness, kittest::Queryable};
use spanmark::app::{SAMPLE_TEXT, SpanmarkApp, Startup};
use spanmark::model::Span;
use spanmark::model::suggest::Suggestion;

mod common;

fn harness() -> Harness<'static, SpanmarkApp> {
    let mut h = Harness::builder()
        .with_size(vec2(1280.0, 800.0))
        .build_eframe(|_cc| SpanmarkApp::headless(Startup::Sample));
    h.run();
    h
}

/// The id of the first document.
fn doc0(h: &Harness<'_, SpanmarkApp>) -> spanmark::model::DocId {
    h.state().workspace().project().documents()[0].id()
}

/// The pending suggestions of the sample document.
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

/// Whole-word occurrences of `word` in the sample (a naive oracle: no letter or digit
/// on either side).
fn whole_word_count(word: &str) -> usize {
    let chars: Vec<char> = SAMPLE_TEXT.chars().collect();
    let w: Vec<char> = word.chars().collect();
    (0..=chars.len() - w.len())
        .filter(|&i| chars[i..i + w.len()] == w[..])
        .filter(|&i| i == 0 || !chars[i - 1].is_alphanumeric())
        .filter(|&i| chars.get(i + w.len()).is_none_or(|c| !c.is_alphanumeric()))
        .count()
}

/// Labels the first "Taliban" as ORG (key 3) by a drag; the next frame has the
/// suggestions. Returns how many other occurrences there are.
fn label_first_taliban(h: &mut Harness<'_, SpanmarkApp>) -> usize {
    common::select(h, "Taliban");
    h.key_press(Key::Num3);
    h.run();
    assert_eq!(spans(h).len(), 1);
    whole_word_count("Taliban") - 1
}

#[test]
fn label_one_taliban_accept_all_in_the_project_then_undo() {
    let mut h = harness();
    assert!(pending(&h).is_empty(), "nothing proposed before a label");
    let others = label_first_taliban(&mut h);
    assert!(others >= 5, "the sample names the Taliban often");

    // Its other occurrences are suggested, as ORG, and none is a span yet.
    let p = pending(&h);
    assert_eq!(p.len(), others);
    let doc = &h.state().workspace().project().documents()[0];
    let org = h.state().workspace().project().label_id("ORG").unwrap();
    assert!(
        p.iter()
            .all(|s| doc.span_text(&s.span) == "Taliban" && s.span.label() == org)
    );
    assert_eq!(spans(&h).len(), 1, "a suggestion is not a span");
    assert_eq!(h.state().suggestions().total(), others);
    assert!(
        h.query_by_label_contains(&format!("Suggestions: {others} here"))
            .is_some(),
        "the status bar counts them"
    );

    // Drawn: hovering one shows its label and where it came from.
    let second = p[0].span.start();
    let at = h.state().view().char_screen_pos(second + 2).unwrap();
    h.hover_at(at);
    h.run();
    assert!(h.query_by_label("Suggested ORG").is_some());
    assert!(h.query_by_label("learned from 1 span").is_some());

    // Accept all in project: the count first, then one undo step.
    common::menu_item(&mut h, "Suggestions", "Accept all in project…");
    assert!(
        h.query_by_label_contains(&format!("{others} suggestions in 1 document"))
            .is_some()
    );
    assert_eq!(spans(&h).len(), 1, "nothing accepted before the answer");
    h.get_by_label("Accept them").click();
    h.run();
    let doc = &h.state().workspace().project().documents()[0];
    assert_eq!(doc.spans().len(), others + 1);
    assert!(doc.spans().iter().all(|s| doc.span_text(s) == "Taliban"));
    assert!(pending(&h).is_empty());

    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(spans(&h).len(), 1, "one undo takes them all back");
    assert_eq!(pending(&h).len(), others, "and they are proposed again");
}

#[test]
fn suggestions_are_drawn_the_frame_after_the_span() {
    let mut h = harness();
    common::select(&mut h, "Taliban");
    h.key_press(Key::Num3);
    h.step();
    assert_eq!(spans(&h).len(), 1, "the key's frame adds the span");
    h.step();
    assert_eq!(pending(&h).len(), whole_word_count("Taliban") - 1);
}

#[test]
fn cancel_on_the_accept_all_question_accepts_nothing() {
    let mut h = harness();
    label_first_taliban(&mut h);
    common::menu_item(&mut h, "Suggestions", "Accept all in document…");
    h.get_by_label("Cancel").click();
    h.run();
    assert_eq!(spans(&h).len(), 1);
}

#[test]
fn tab_to_a_suggestion_and_enter_accepts_it() {
    let mut h = harness();
    let others = label_first_taliban(&mut h);
    h.key_press(Key::Escape);
    h.run();
    // From the top of the document, Tab goes to the first suggestion (not a span).
    h.key_press(Key::Tab);
    h.run();
    let first = pending(&h)[0];
    assert_eq!(h.state().view().selected_suggestion, Some(first));
    assert_eq!(h.state().view().selected_span, None);
    // Its buttons are shown, named for a screen reader.
    assert!(h.query_by_label("Accept suggestion").is_some());
    assert!(h.query_by_label("Reject suggestion").is_some());

    h.key_press(Key::Enter);
    h.run();
    assert!(spans(&h).contains(&first.span), "Enter accepted it");
    assert_eq!(spans(&h).len(), 2);
    assert_eq!(pending(&h).len(), others - 1);
    // The next one is selected, so Enter goes on down the document.
    assert_eq!(h.state().view().selected_suggestion, Some(pending(&h)[0]));
    h.key_press(Key::Enter);
    h.run();
    assert_eq!(spans(&h).len(), 3);

    // Each accept is its own undo step.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(spans(&h).len(), 2);
}

#[test]
fn x_rejects_a_suggestion_and_it_does_not_come_back() {
    let mut h = harness();
    let others = label_first_taliban(&mut h);
    h.key_press(Key::Escape);
    h.run();
    h.key_press(Key::Tab);
    h.run();
    let first = pending(&h)[0];
    h.key_press(Key::X);
    h.run();
    let doc = &h.state().workspace().project().documents()[0];
    assert!(
        doc.rejected().contains(&first.span),
        "remembered in the project"
    );
    assert_eq!(doc.spans().len(), 1, "X is not a label key here");
    for _ in 0..3 {
        h.run();
    }
    assert!(!pending(&h).contains(&first), "not proposed again");
    assert_eq!(pending(&h).len(), others - 1);

    // Labelling another Taliban by hand does not bring it back either.
    h.key_press(Key::Escape);
    h.run();
    h.key_press(Key::Tab);
    h.run();
    h.key_press(Key::Enter);
    h.run();
    h.run();
    assert!(!pending(&h).contains(&first));

    // Undo of the reject proposes it again.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert!(pending(&h).contains(&first));
}

#[test]
fn turning_learned_suggestions_off_hides_them_and_undo_brings_them_back() {
    let mut h = harness();
    let others = label_first_taliban(&mut h);
    assert_eq!(pending(&h).len(), others);
    common::menu_item(&mut h, "Suggestions", "Learned from labels");
    h.key_press(Key::Escape);
    h.run();
    assert!(!h.state().workspace().project().suggest_settings().learned);
    assert!(pending(&h).is_empty());
    assert!(h.query_by_label_contains("Suggestions:").is_none());
    // Tab steps spans again when nothing is pending.
    h.key_press(Key::Tab);
    h.run();
    assert_eq!(h.state().view().selected_span, Some(spans(&h)[0]));
    assert_eq!(h.state().view().selected_suggestion, None);

    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert!(h.state().workspace().project().suggest_settings().learned);
    assert_eq!(pending(&h).len(), others);
}

#[test]
fn click_a_suggestion_then_its_accept_button() {
    let mut h = harness();
    label_first_taliban(&mut h);
    let s = pending(&h)[1];
    let at = h
        .state()
        .view()
        .char_screen_pos(s.span.start() + 2)
        .unwrap();
    common::clicks(&mut h, at, 1);
    assert_eq!(h.state().view().selected_suggestion, Some(s));
    h.get_by_label("Accept suggestion").click();
    h.run();
    assert!(spans(&h).contains(&s.span));

    // A click elsewhere (no span, no suggestion) selects nothing.
    let far = h
        .state()
        .view()
        .char_screen_pos(common::offset("JALALABAD"))
        .unwrap();
    common::clicks(&mut h, far, 1);
    assert_eq!(h.state().view().selected_suggestion, None);
}

#[test]
fn the_reject_button_and_the_right_click_menu() {
    let mut h = harness();
    label_first_taliban(&mut h);
    let s = pending(&h)[0];
    let at = h
        .state()
        .view()
        .char_screen_pos(s.span.start() + 2)
        .unwrap();
    common::clicks(&mut h, at, 1);
    h.get_by_label("Reject suggestion").click();
    h.run();
    assert!(
        h.state().workspace().project().documents()[0]
            .rejected()
            .contains(&s.span)
    );

    // The right-click menu offers the next one: Accept.
    let s = pending(&h)[0];
    let at = h
        .state()
        .view()
        .char_screen_pos(s.span.start() + 2)
        .unwrap();
    common::right_click(&mut h, at);
    h.get_by_label_contains("Suggested ORG “Taliban").hover();
    h.run();
    h.get_by_label("Accept").click();
    h.run();
    assert!(spans(&h).contains(&s.span));
}

#[test]
fn a_suggestion_inside_a_span_the_click_keeps_the_span_the_menu_offers_it() {
    let mut h = harness();
    // "Bagram" as PLACE, then "Bagram Air Base" elsewhere as ORG: the other "Bagram"s
    // inside it are nested suggestions.
    let text = "retake Bagram Air Base";
    let at = common::offset(text) + "retake ".chars().count();
    common::select(&mut h, "Bagram");
    h.key_press(Key::Num2);
    h.run();
    let base = spans(&h)[0];
    assert_eq!(base.start(), at, "the first Bagram is the one in the title");
    // The next "Bagram Air Base" as ORG, by a drag over it.
    let later = SAMPLE_TEXT[SAMPLE_TEXT.find(text).unwrap() + text.len()..]
        .find("Bagram Air Base")
        .map(|b| {
            let from = SAMPLE_TEXT.find(text).unwrap() + text.len() + b;
            SAMPLE_TEXT[..from].chars().count()
        })
        .unwrap();
    h.state_mut().set_snap_to_words(false);
    let a = h.state().view().char_screen_pos(later).unwrap() - vec2(2.0, 0.0);
    let b = h.state().view().char_screen_pos(later + 14).unwrap() + vec2(2.0, 0.0);
    common::drag(&mut h, a, b);
    h.key_press(Key::Num3);
    h.run();
    let org = *spans(&h).iter().find(|s| s.start() == later).unwrap();
    let nested = *pending(&h)
        .iter()
        .find(|s| s.span.start() == later)
        .expect("the Bagram inside the ORG span is suggested as PLACE");

    // A click there selects the span, not the suggestion.
    let p = h.state().view().char_screen_pos(later + 2).unwrap();
    common::clicks(&mut h, p, 1);
    assert_eq!(h.state().view().selected_span, Some(org));
    assert_eq!(h.state().view().selected_suggestion, None);

    // The right-click menu offers it.
    common::right_click(&mut h, p);
    h.get_by_label_contains("Suggested PLACE “Bagram").hover();
    h.run();
    h.get_by_label("Accept").click();
    h.run();
    assert!(spans(&h).contains(&nested.span));
    assert!(spans(&h).contains(&org));
}

#[test]
fn a_dictionary_of_names_asks_for_its_label_and_suggests_them() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("places.txt");
    std::fs::write(&path, "# places\nJalalabad\nKabul\n").unwrap();
    let mut h = harness();
    common::menu_item(&mut h, "Suggestions", "Add dictionary from path…");
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.get_by_role(eframe::egui::accesskit::Role::TextInput)
        .type_text(&path.display().to_string());
    h.run();
    h.key_press(Key::Enter);
    h.run();
    // Its lines name no label: which one?
    assert!(
        h.query_by_label("Label for places.txt").is_some(),
        "{:?} {}",
        h.state().error(),
        h.state().status()
    );
    h.get_by_role_and_label(eframe::egui::accesskit::Role::ComboBox, "label")
        .click();
    h.run();
    h.get_by_label("PLACE").click();
    h.run();
    h.get_by_label("Add").click();
    // Issue 18: the rule set is compiled off the UI thread, twice: checked in the job
    // queue, then built with the suggestions in the background; frame by frame, a frame
    // shows it in use while its suggestions are still being found.
    let mut seen_building = false;
    for _ in 0..8 {
        h.step();
        let state = h.state();
        let in_use = !state
            .workspace()
            .project()
            .suggest_settings()
            .rule_sets
            .is_empty();
        seen_building |= in_use && state.is_finding_suggestions() && pending(&h).is_empty();
    }
    assert!(seen_building, "the rule set was compiled on the UI thread");
    h.run();
    let settings = h.state().workspace().project().suggest_settings().clone();
    assert_eq!(settings.rule_sets.len(), 1);
    assert_eq!(
        settings.rule_sets[0].default_label.as_deref(),
        Some("PLACE")
    );
    let doc = &h.state().workspace().project().documents()[0];
    let p = pending(&h);
    let kabul = whole_word_count("Kabul");
    assert!(kabul > 0);
    assert_eq!(
        p.iter()
            .filter(|s| doc.span_text(&s.span) == "Kabul")
            .count(),
        kabul
    );
    assert!(spans(&h).is_empty(), "still only suggestions");

    // The menu lists it; turning it off hides its suggestions (one undo step).
    common::menu_item(&mut h, "Suggestions", "dictionary: places.txt (PLACE)");
    h.key_press(Key::Escape);
    h.run();
    assert!(pending(&h).is_empty());
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert!(!pending(&h).is_empty());
}

#[test]
fn a_bad_patterns_file_is_an_error_naming_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.jsonl");
    std::fs::write(
        &path,
        "{\"label\": \"ORG\", \"pattern\": \"Taliban\"}\n{\"label\": \"ORG\", \"regex\": \"(\"}\n",
    )
    .unwrap();
    let mut h = harness();
    let ctx = h.ctx.clone();
    h.state_mut().apply(
        &ctx,
        spanmark::ui::Action::AddRuleFileFrom {
            kind: spanmark::model::suggest::RuleKind::Patterns,
            path,
        },
    );
    h.run();
    let error = h.state().error().expect("an error is shown").to_string();
    assert!(error.contains("bad.jsonl"), "{error}");
    assert!(error.contains('2'), "names line 2: {error}");
    assert!(
        h.state()
            .workspace()
            .project()
            .suggest_settings()
            .rule_sets
            .is_empty()
    );
}

/// Suggestions › Run command…, types `command`, clicks Run.
fn run_command(h: &mut Harness<'_, SpanmarkApp>, command: &str) {
    common::menu_item(h, "Suggestions", "Run command…");
    h.get_by_role(eframe::egui::accesskit::Role::TextInput)
        .type_text(command);
    h.run();
    h.get_by_label("Run").click();
    // While it runs, its progress bar animates: frames go on without settling.
    h.run_steps(2);
}

#[test]
fn an_external_command_proposes_spans_with_its_score() {
    let mut h = harness();
    // One answer line for the one document: the first "Taliban" as ORG.
    run_command(
        &mut h,
        r#"cat >/dev/null; echo '{"id": 0, "spans": [{"start": 0, "end": 7, "label": "ORG", "score": 0.9}]}'"#,
    );
    h.run();
    assert!(!h.state().is_command_running());
    let p = pending(&h);
    assert_eq!(p.len(), 1, "{}", h.state().status());
    assert_eq!((p[0].span.start(), p[0].span.end()), (0, 7));
    let described = h.state().suggestions().describe(doc0(&h), &p[0]);
    assert!(described.contains("score 0.90"), "{described}");
    assert!(spans(&h).is_empty());
}

#[test]
fn a_failing_command_is_an_error_and_a_slow_one_can_be_cancelled() {
    let mut h = harness();
    run_command(&mut h, "cat >/dev/null; echo broken >&2; exit 3");
    let error = h.state().error().expect("an error").to_string();
    assert!(error.contains("broken"), "{error}");
    h.key_press(Key::Enter);
    h.run();

    // In the window the command runs on its own thread: the frame goes on meanwhile.
    let mut h = Harness::builder()
        .with_size(vec2(1280.0, 800.0))
        .build_eframe(|_cc| SpanmarkApp::headless(Startup::Sample).with_background_jobs());
    h.run();
    run_command(&mut h, "sleep 30");
    assert!(h.state().is_command_running());
    h.get_by_label("Cancel").click();
    h.run_steps(1);
    let started = std::time::Instant::now();
    while h.state().is_command_running() && started.elapsed().as_secs() < 10 {
        std::thread::sleep(std::time::Duration::from_millis(20));
        h.step();
    }
    assert!(!h.state().is_command_running(), "cancelled");
    assert!(
        h.state().status().contains("Stopped"),
        "{}",
        h.state().status()
    );
    assert!(h.state().error().is_none());
}

/// A large project (300k chars, 15k spans): the window is drawn at once, with "Finding
/// suggestions…" and none shown; a span added meanwhile is caught up; once the background
/// build lands, the suggestions are those of a build from scratch.
#[test]
fn a_large_project_shows_at_once_and_its_suggestions_after_the_background_build() {
    use spanmark::model::suggest::SuggestEngine;
    let project = spanmark::synth::project(300_000, 15_000, 5);
    let text = project.documents()[0].text().as_str().to_string();
    // Synthetic text mixes scripts; the harness has no CJK font (the real app uses the
    // system's), so allow tofu.
    let mut h = Harness::builder()
        .with_size(vec2(1280.0, 800.0))
        .allow_missing_glyphs()
        .build_eframe(move |_cc| {
            let mut app = SpanmarkApp::headless(Startup::Sample).with_background_jobs();
            app.replace_project_for_bench(project);
            app
        });
    // The first frame starts the build and does not wait for it: its result is taken at
    // the start of a later frame, however fast it is.
    h.step();
    assert!(h.state().is_finding_suggestions());
    assert_eq!(
        h.state().suggestions().total(),
        0,
        "none until the build lands"
    );
    assert!(h.query_by_label("Finding suggestions…").is_some());
    assert!(
        // The documents list's row ("name  (spans)"; the status bar names it too).
        h.query_by_label_contains("synthetic  (").is_some(),
        "the window is drawn"
    );

    // A span added while the build runs: "Kabul" near the top, as PLACE (key 2).
    let byte = text.find(" Kabul ").expect("Kabul in the text") + 1;
    let start = text[..byte].chars().count();
    let (a, b) = {
        let view = h.state().view();
        let a = view.char_screen_pos(start).expect("on screen") - vec2(2.0, 0.0);
        let b = view.char_screen_pos(start + 4).expect("on screen") + vec2(2.0, 0.0);
        (a, b)
    };
    h.state_mut().set_snap_to_words(false);
    common::drag(&mut h, a, b);
    h.key_press(Key::Num2);
    h.step();
    let place = h.state().workspace().project().label_id("PLACE").unwrap();
    let kabul = Span::new(start, start + 5, place).unwrap();
    assert!(
        h.state().workspace().project().documents()[0]
            .spans()
            .contains(&kabul)
    );

    // Frames go on until the build lands (bounded: about a minute).
    for _ in 0..3000 {
        if !h.state().is_finding_suggestions() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
        h.step();
    }
    assert!(
        !h.state().is_finding_suggestions(),
        "the build never landed"
    );
    h.run();
    assert!(h.query_by_label("Finding suggestions…").is_none());
    assert!(
        h.query_by_label_contains("in all").is_some(),
        "the status bar counts them"
    );
    let mut fresh = SuggestEngine::new();
    fresh.update(h.state().workspace().project());
    assert!(fresh.total() > 0);
    assert_eq!(h.state().suggestions().total(), fresh.total());
    assert_eq!(
        h.state().suggestions().for_doc(doc0(&h)),
        fresh.for_doc(doc0(&h))
    );
    // The span added meanwhile counts: other whole-word "Kabul"s are proposed as PLACE.
    let doc = &h.state().workspace().project().documents()[0];
    assert!(
        h.state()
            .suggestions()
            .for_doc(doc.id())
            .iter()
            .any(|s| s.span.label() == place && doc.span_text(&s.span) == "Kabul")
    );
}
