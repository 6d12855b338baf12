//! Comparing annotators and adjudicating, driven through the real window headless:
//! File › Compare annotators from paths…, the gold project, the agreement figures, the
//! adjudication keys and undo; a git-conflicted file resolved without the annotators.

use std::path::{Path, PathBuf};

use eframe::egui::{Key, Modifiers};
use egui_kittest::{Harness, kittest::Queryable};
use spanmark::app::{SpanmarkApp, Startup};
use spanmark::io;
use spanmark::model::{Disagreement, Document, LabelId, Project, Span, default_labels};

mod common;

const TEXT: &str = "Zabihullah Mujahid said the Taliban took Bagram Air Base on Monday.";
const OTHER: &str = "Nothing to see here.";

/// A span over `needle` in [`TEXT`] with the default label `name`.
fn span(needle: &str, name: &str) -> Span {
    let byte = TEXT.find(needle).expect("needle in the text");
    let start = TEXT[..byte].chars().count();
    let label = default_labels()
        .iter()
        .position(|l| l.name == name)
        .expect("a default label");
    Span::new(
        start,
        start + needle.chars().count(),
        LabelId(u32::try_from(label).unwrap()),
    )
    .unwrap()
}

/// An annotator's project: the news sentence with `spans`, and a second document both
/// leave empty.
fn annotator(spans: Vec<Span>) -> Project {
    Project::new(
        default_labels(),
        vec![
            Document::with_spans("news", TEXT, spans).unwrap(),
            Document::new("quiet", OTHER),
        ],
    )
    .unwrap()
}

/// alice and bob agree on the person; bob's ORG takes "the" too (bounds), they label
/// the base differently (label), and only bob marks the date (one-sided).
fn write_annotators(dir: &Path) -> Vec<PathBuf> {
    let alice = annotator(vec![
        span("Zabihullah Mujahid", "PERSON"),
        span("Taliban", "ORG"),
        span("Bagram Air Base", "PLACE"),
    ]);
    let bob = annotator(vec![
        span("Zabihullah Mujahid", "PERSON"),
        span("the Taliban", "ORG"),
        span("Bagram Air Base", "ORG"),
        span("Monday", "DATE"),
    ]);
    let paths = vec![dir.join("alice.ron"), dir.join("bob.ron")];
    io::save_project(&alice, &paths[0]).unwrap();
    io::save_project(&bob, &paths[1]).unwrap();
    paths
}

/// File › Compare annotators from paths…, one path per line, Ctrl+Enter.
fn compare(h: &mut Harness<'_, SpanmarkApp>, paths: &[PathBuf]) {
    let lines: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    common::path_field(h, "Compare annotators from paths…", &lines.join("\n"), true);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Enter);
    // The job's result arrives on the next frame.
    h.run();
    h.run();
}

fn news(h: &Harness<'_, SpanmarkApp>) -> Document {
    Document::clone(&h.state().workspace().project().documents()[0])
}

fn spans_of(h: &Harness<'_, SpanmarkApp>) -> Vec<Span> {
    news(h).spans().iter().copied().collect()
}

fn alt(h: &mut Harness<'_, SpanmarkApp>, key: Key) {
    h.key_press_modifiers(Modifiers::ALT, key);
    h.run();
}

#[test]
fn compare_two_annotators_then_adjudicate_with_keys_and_undo() {
    let dir = tempfile::tempdir().unwrap();
    let paths = write_annotators(dir.path());
    let mut h = common::sample_harness();
    compare(&mut h, &paths);
    assert_eq!(h.state().error(), None);

    // The gold project: the agreed span, three disagreements, untitled.
    assert_eq!(h.state().path(), None);
    assert_eq!(spans_of(&h), vec![span("Zabihullah Mujahid", "PERSON")]);
    let ds = news(&h).disagreements().to_vec();
    assert_eq!(ds.len(), 3, "{ds:?}");
    let names: Vec<&str> = ds[0].versions.iter().map(|v| v.0.as_str()).collect();
    assert_eq!(names, ["alice", "bob"]);
    // Agreement per document in the documents panel: 1 of 3 vs 4 spans, F1 2/7; the
    // document neither annotated agrees on nothing.
    assert!(h.query_by_label("F1 0.29").is_some());
    assert!(h.query_by_label("F1 1.00").is_some());
    assert!(h.query_by_label("0 of 3 disagreements resolved").is_some());

    // The first disagreement is the current one; Alt+Down / Alt+Up step.
    let bar = |h: &Harness<'_, SpanmarkApp>, what: &str| h.query_by_label_contains(what).is_some();
    assert!(bar(&h, "bounds differ, 24–35"));
    alt(&mut h, Key::ArrowDown);
    assert!(bar(&h, "label differs, 41–56"));
    alt(&mut h, Key::ArrowDown);
    assert!(bar(&h, "one-sided, 60–66"));
    alt(&mut h, Key::ArrowUp);
    alt(&mut h, Key::ArrowUp);
    assert!(bar(&h, "bounds differ, 24–35"));
    assert_eq!(
        h.state().view().selection,
        None,
        "Alt+arrows do not move the caret"
    );

    // Take B on the last one: round to the first; undo shows the last one again.
    alt(&mut h, Key::ArrowDown);
    alt(&mut h, Key::ArrowDown);
    alt(&mut h, Key::B);
    assert!(spans_of(&h).contains(&span("Monday", "DATE")));
    assert!(bar(&h, "bounds differ, 24–35"));
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert!(!spans_of(&h).contains(&span("Monday", "DATE")));
    assert!(bar(&h, "one-sided, 60–66"));
    alt(&mut h, Key::ArrowDown);
    assert!(bar(&h, "bounds differ, 24–35"));

    // Take A on the ORG bounds: alice's "Taliban"; on to the base.
    alt(&mut h, Key::A);
    assert!(spans_of(&h).contains(&span("Taliban", "ORG")));
    assert_eq!(news(&h).disagreements().len(), 2);
    // Both on the base: PLACE and ORG.
    alt(&mut h, Key::U);
    assert!(spans_of(&h).contains(&span("Bagram Air Base", "PLACE")));
    assert!(spans_of(&h).contains(&span("Bagram Air Base", "ORG")));
    // Neither on the date; then undo brings the disagreement back, and take B gives
    // bob's date.
    alt(&mut h, Key::N);
    assert!(!spans_of(&h).contains(&span("Monday", "DATE")));
    assert!(news(&h).disagreements().is_empty());
    assert!(h.query_by_label("3 of 3 disagreements resolved").is_some());
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(news(&h).disagreements().len(), 1);
    // The one brought back is the current one again.
    assert!(bar(&h, "one-sided, 60–66"));
    assert!(h.query_by_label("2 of 3 disagreements resolved").is_some());
    alt(&mut h, Key::B);
    assert!(spans_of(&h).contains(&span("Monday", "DATE")));
    assert_eq!(spans_of(&h).len(), 5);
    assert!(news(&h).disagreements().is_empty());

    // View › Agreement shows the pairs.
    h.get_by_label("View").click();
    h.run();
    h.get_by_label("Agreement").click();
    h.run();
    assert!(
        h.query_by_label_contains("2 annotators: alice, bob")
            .is_some()
    );
}

#[test]
fn comparing_different_texts_says_which_document() {
    let dir = tempfile::tempdir().unwrap();
    let paths = write_annotators(dir.path());
    let changed = Project::new(
        default_labels(),
        vec![Document::new("news", "Another text entirely.")],
    )
    .unwrap();
    io::save_project(&changed, &paths[1]).unwrap();
    let mut h = common::sample_harness();
    compare(&mut h, &paths);
    let error = h.state().error().expect("an error is shown").to_string();
    assert!(error.contains("news"), "{error}");
    // The project shown stays what it was.
    assert_eq!(
        h.state().workspace().project().documents()[0].name,
        "bagram"
    );

    // A file that is not there is named.
    h.key_press(Key::Enter);
    h.run();
    let missing = dir.path().join("carol.ron");
    compare(&mut h, &[paths[0].clone(), missing]);
    let error = h.state().error().expect("an error is shown").to_string();
    assert!(error.contains("carol.ron"), "{error}");
}

#[test]
fn a_git_conflict_opens_and_resolves_without_the_annotators() {
    let ours = span("Bagram Air Base", "PLACE");
    let theirs = span("Bagram Air Base", "ORG");
    let doc = Document::with_spans("news", TEXT, vec![span("Taliban", "ORG")])
        .unwrap()
        .with_disagreements(vec![Disagreement {
            start: ours.start(),
            end: ours.end(),
            versions: vec![
                ("ours".to_string(), vec![ours]),
                ("theirs".to_string(), vec![theirs]),
            ],
            relations: Vec::new(),
        }])
        .unwrap();
    let project = Project::new(default_labels(), vec![doc]).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("conflicted.ron");
    io::save_project(&project, &path).unwrap();

    let mut h = common::harness(Startup::Paths(vec![path]));
    assert!(h.query_by_label("0 of 1 disagreement resolved").is_some());
    assert!(h.query_by_label("1 to resolve").is_some());
    assert!(
        h.query_by_label_contains("A ours: PLACE ‘Bagram Air Base’")
            .is_some()
    );
    // Take theirs.
    alt(&mut h, Key::B);
    assert_eq!(spans_of(&h), vec![span("Taliban", "ORG"), theirs]);
    assert!(news(&h).disagreements().is_empty());
    assert!(h.query_by_label("1 of 1 disagreement resolved").is_some());
    assert!(h.state().workspace().is_dirty());
}

#[test]
fn comparing_asks_about_unsaved_changes_first() {
    let dir = tempfile::tempdir().unwrap();
    let paths = write_annotators(dir.path());
    let mut h = common::sample_harness();
    common::select(&mut h, "Bagram Air Base");
    h.key_press(Key::Num2);
    h.run();
    assert!(h.state().workspace().is_dirty());
    // Escape: the span's note field goes (a second multi-line field).
    h.key_press(Key::Escape);
    h.run();
    compare(&mut h, &paths);
    assert!(h.state().is_asking_to_save());
    assert!(
        h.query_by_label_contains("before comparing annotators")
            .is_some()
    );
    h.get_by_label("Discard").click();
    h.run();
    h.run();
    assert_eq!(news(&h).name, "news");
    assert_eq!(news(&h).disagreements().len(), 3);
    assert!(!h.state().workspace().is_dirty());
}

#[test]
fn three_annotators_take_the_third_and_a_click_picks_a_disagreement() {
    let dir = tempfile::tempdir().unwrap();
    let mut paths = write_annotators(dir.path());
    let carol = annotator(vec![
        span("Zabihullah Mujahid", "PERSON"),
        span("Taliban", "PERSON"),
        span("Monday", "DATE"),
    ]);
    paths.push(dir.path().join("carol.ron"));
    io::save_project(&carol, &paths[2]).unwrap();
    let mut h = common::sample_harness();
    compare(&mut h, &paths);
    assert_eq!(h.state().error(), None);
    let ds = news(&h).disagreements().to_vec();
    assert_eq!(ds.len(), 3, "{ds:?}");
    assert_eq!(ds[0].versions.len(), 3);

    // A click on the date makes it the current one; Alt+3 takes carol's version.
    let monday = span("Monday", "DATE");
    let p = h
        .state()
        .view()
        .char_screen_pos(monday.start() + 2)
        .unwrap();
    common::clicks(&mut h, p, 1);
    assert!(h.query_by_label_contains("one-sided, 60–66").is_some());
    alt(&mut h, Key::Num3);
    assert!(spans_of(&h).contains(&monday));
    assert_eq!(news(&h).disagreements().len(), 2);
    // Alt+3 on the ORG: carol's PERSON "Taliban".
    alt(&mut h, Key::Num3);
    assert!(spans_of(&h).contains(&span("Taliban", "PERSON")));
    assert!(!spans_of(&h).contains(&span("Taliban", "ORG")));
}

/// Issue 17, bug 5: adjudication kept its own undo stack, which redo never pushed on;
/// resolve, resolve, undo, redo, undo showed the wrong disagreement. The current one now
/// follows what undo and redo did. A label reorder midway changes nothing: spans name
/// labels by id.
#[test]
fn undo_and_redo_of_resolves_show_the_disagreement_they_touch() {
    let dir = tempfile::tempdir().unwrap();
    let paths = write_annotators(dir.path());
    let mut h = common::sample_harness();
    compare(&mut h, &paths);
    let bar = |h: &Harness<'_, SpanmarkApp>, what: &str| h.query_by_label_contains(what).is_some();
    let key = |h: &mut Harness<'_, SpanmarkApp>, k: Key| {
        h.key_press_modifiers(Modifiers::COMMAND, k);
        h.run();
    };
    assert!(bar(&h, "bounds differ, 24–35"));
    // The last one first: take B on the date; the first is current (wrapped round).
    alt(&mut h, Key::ArrowUp);
    assert!(bar(&h, "one-sided, 60–66"));
    alt(&mut h, Key::B);
    assert!(bar(&h, "bounds differ, 24–35"));
    key(&mut h, Key::Z);
    assert!(bar(&h, "one-sided, 60–66"), "undo shows the date again");
    key(&mut h, Key::Y);
    assert!(spans_of(&h).contains(&span("Monday", "DATE")));
    assert!(bar(&h, "bounds differ, 24–35"), "redo goes on past it");
    // Elsewhere, then undo: the date once more (redo pushed nothing before).
    alt(&mut h, Key::ArrowDown);
    assert!(bar(&h, "label differs, 41–56"));
    key(&mut h, Key::Z);
    assert!(bar(&h, "one-sided, 60–66"));
    alt(&mut h, Key::ArrowDown);
    assert!(bar(&h, "bounds differ, 24–35"));
    // Take A twice: alice's "Taliban", then (after moving ORG and DATE to the top)
    // alice's PLACE on the base.
    alt(&mut h, Key::A);
    assert!(bar(&h, "label differs, 41–56"));
    let project = h.state().workspace().project();
    let (org, date) = (
        project.label_id("ORG").unwrap(),
        project.label_id("DATE").unwrap(),
    );
    for (id, to) in [(org, 0), (date, 0)] {
        h.state_mut().apply(
            &eframe::egui::Context::default(),
            spanmark::ui::Action::MoveLabel { id, to },
        );
        h.run();
    }
    assert_eq!(h.state().workspace().project().labels()[0].name, "DATE");
    alt(&mut h, Key::A);
    assert!(spans_of(&h).contains(&span("Bagram Air Base", "PLACE")));
    assert!(bar(&h, "one-sided, 60–66"));
    // Undo: the base is open again, and current.
    key(&mut h, Key::Z);
    assert_eq!(news(&h).disagreements().len(), 2);
    assert!(bar(&h, "label differs, 41–56"));
    // Redo: resolved again; the one after it is current.
    key(&mut h, Key::Y);
    assert_eq!(news(&h).disagreements().len(), 1);
    assert!(spans_of(&h).contains(&span("Bagram Air Base", "PLACE")));
    assert!(bar(&h, "one-sided, 60–66"));
    // Undo again: the base once more (not the bounds, resolved first).
    key(&mut h, Key::Z);
    assert!(bar(&h, "label differs, 41–56"));
    // The label moves are steps of their own; then the first resolve.
    key(&mut h, Key::Z);
    key(&mut h, Key::Z);
    key(&mut h, Key::Z);
    assert_eq!(news(&h).disagreements().len(), 3);
    assert!(bar(&h, "bounds differ, 24–35"));
}

/// Two quotes; both annotators mark the same spans and say Mujahid said the first; for
/// the second alice says the Taliban, bob Mujahid.
const SAID: &str = "“We will not stop,” Mujahid said. “Calm,” the Taliban said.";

#[test]
fn links_annotators_agree_on_are_gold_and_the_others_are_adjudicated() {
    use spanmark::model::{Relation, RelationTypeId};
    let s = |a: usize, b: usize, label: u32| Span::new(a, b, LabelId(label)).unwrap();
    // Default labels: 0 PERSON, 2 ORG, 4 QUOTE; SPEAKER (type 0) links a QUOTE to them.
    let (q1, mujahid, q2, taliban) = (s(0, 19, 4), s(20, 27, 0), s(34, 41, 4), s(46, 53, 2));
    let link = |f: Span, t: Span| Relation::new(f, t, RelationTypeId(0)).unwrap();
    let linking = |links: Vec<Relation>| {
        let d = Document::with_spans("said", SAID, vec![q1, mujahid, q2, taliban])
            .unwrap()
            .with_relations(links)
            .unwrap();
        Project::new(default_labels(), vec![d]).unwrap()
    };
    let dir = tempfile::tempdir().unwrap();
    let paths = vec![dir.path().join("alice.ron"), dir.path().join("bob.ron")];
    let alice = linking(vec![link(q1, mujahid), link(q2, taliban)]);
    let bob = linking(vec![link(q1, mujahid), link(q2, mujahid)]);
    io::save_project(&alice, &paths[0]).unwrap();
    io::save_project(&bob, &paths[1]).unwrap();
    let mut h = common::sample_harness();
    compare(&mut h, &paths);
    assert_eq!(h.state().error(), None);
    let links = |h: &Harness<'_, SpanmarkApp>| -> Vec<Relation> {
        news(h).relations().iter().copied().collect()
    };
    // The agreed link is gold; the other is one disagreement over the second quote,
    // each version with its link, on the bar.
    assert_eq!(links(&h), vec![link(q1, mujahid)]);
    assert_eq!(news(&h).disagreements().len(), 1);
    assert!(h.query_by_label("0 of 1 disagreement resolved").is_some());
    assert!(
        h.query_by_label_contains("link differs, 34–41").is_some(),
        "the bar names the kind"
    );
    assert!(
        h.query_by_label_contains("A alice: SPEAKER ‘“Calm,”’ to ‘Taliban’")
            .is_some()
    );
    assert!(
        h.query_by_label_contains("B bob: SPEAKER ‘“Calm,”’ to ‘Mujahid’")
            .is_some()
    );
    // Take alice's: her link is added, in one undo step.
    alt(&mut h, Key::A);
    assert_eq!(links(&h), vec![link(q1, mujahid), link(q2, taliban)]);
    assert!(news(&h).disagreements().is_empty());
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(links(&h), vec![link(q1, mujahid)]);
    assert_eq!(news(&h).disagreements().len(), 1);
    // Both: each link once.
    alt(&mut h, Key::U);
    assert_eq!(
        links(&h),
        vec![link(q1, mujahid), link(q2, mujahid), link(q2, taliban)]
    );
    // View › Agreement: the pairs table shows the relation F1 (1 of 2 links match).
    h.get_by_label("View").click();
    h.run();
    h.get_by_label("Agreement").click();
    h.run();
    assert!(
        h.query_by_label_contains("2 annotators: alice, bob")
            .is_some()
    );
    assert!(h.query_by_label("F1 links").is_some());
    assert!(h.query_by_label("0.50").is_some());
}

/// Issue 20: a QUOTE whose bounds differ around a name labelled two ways used to be one
/// region, taken whole. alice nests ORG in her QUOTE and bob PERSON in his, so the
/// quote's bounds and the name's label are two decisions: a click on the name picks
/// its own, and alice's quote goes with bob's label.
#[test]
fn a_quote_and_a_name_inside_it_are_decided_apart() {
    let dir = tempfile::tempdir().unwrap();
    let alice = annotator(vec![
        span("Zabihullah Mujahid", "PERSON"),
        span("the Taliban took Bagram Air Base", "QUOTE"),
        span("Taliban", "ORG"),
    ]);
    let bob = annotator(vec![
        span("Zabihullah Mujahid", "PERSON"),
        span("the Taliban took Bagram Air Base on Monday", "QUOTE"),
        span("Taliban", "PERSON"),
    ]);
    let paths = vec![dir.path().join("alice.ron"), dir.path().join("bob.ron")];
    io::save_project(&alice, &paths[0]).unwrap();
    io::save_project(&bob, &paths[1]).unwrap();
    let mut h = common::sample_harness();
    compare(&mut h, &paths);
    assert_eq!(h.state().error(), None);
    let ds = news(&h).disagreements().to_vec();
    assert_eq!(ds.len(), 2, "{ds:?}");
    let bar = |h: &Harness<'_, SpanmarkApp>, what: &str| h.query_by_label_contains(what).is_some();
    assert!(bar(&h, "bounds differ, 24–66"));
    assert!(h.query_by_label("0 of 2 disagreements resolved").is_some());

    // A click on "Taliban", inside both regions, picks the name's decision.
    let taliban = span("Taliban", "PERSON");
    let p = h
        .state()
        .view()
        .char_screen_pos(taliban.start() + 2)
        .unwrap();
    common::clicks(&mut h, p, 1);
    assert!(bar(&h, "label differs, 28–35"));
    // bob's label for the name: the quote is still open.
    alt(&mut h, Key::B);
    assert!(spans_of(&h).contains(&taliban));
    assert!(!spans_of(&h).contains(&span("Taliban", "ORG")));
    assert_eq!(news(&h).disagreements().len(), 1);
    assert!(bar(&h, "bounds differ, 24–66"));
    // alice's bounds for the quote.
    alt(&mut h, Key::A);
    assert!(news(&h).disagreements().is_empty());
    let mut want = vec![
        span("Zabihullah Mujahid", "PERSON"),
        span("the Taliban took Bagram Air Base", "QUOTE"),
        taliban,
    ];
    want.sort();
    let mut got = spans_of(&h);
    got.sort();
    assert_eq!(got, want);
    assert!(h.query_by_label("2 of 2 disagreements resolved").is_some());
}
