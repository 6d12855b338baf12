//! Relations driven through the real window headless: link a quote to its speaker by
//! mouse (R, click) and by keyboard (R, Tab, Enter), the type picker when two types fit,
//! Esc, selecting and deleting an arrow, undo and redo, a relabel that asks, the span
//! panel's list, relation types in the label editor, and a suggested speaker accepted
//! and rejected. Every check reads the project the window edits.

use eframe::egui::{self, Key, Modifiers, Pos2, accesskit::Role, vec2};
use egui_kittest::{
    Harness,
    kittest::{NodeT, Queryable},
};
use spanmark::app::{SpanmarkApp, Startup};
use spanmark::model::{
    Document, LabelId, Project, Relation, RelationType, RelationTypeId, Rgb, Span, default_labels,
    relation::default_relation_types,
};

mod common;

/// A news article with quotes and their speakers (tests/ keeps its own copy).
const TEXT: &str = "Flood waters recede in Peshawar as relief convoys arrive\n\nPESHAWAR, Pakistan — Relief convoys reached the northern districts of Khyber Pakhtunkhwa on Tuesday, three days after the Kabul River burst its banks.\n\"The water has gone down by almost a metre since yesterday,\" said Amina Yousafzai, a district official, standing beside a collapsed bridge in Nowshera.\nProvincial health minister Tariq Khan told reporters that clinics had treated more than 4,000 people. \"We are most worried about clean water,\" he said, \"because cholera spreads fast in these conditions.\"\nThe World Health Organization said in a statement that it had sent \"enough chlorine tablets for 200,000 families\" to the region.\nAccording to Hassan Raza, who runs a shelter in Charsadda, \"people are sleeping on rooftops and waiting for boats.\"\n";

// Default labels: PERSON 0, PLACE 1, ORG 2, DATE 3, QUOTE 4.
const PERSON: LabelId = LabelId(0);
const PLACE: LabelId = LabelId(1);
const ORG: LabelId = LabelId(2);
const QUOTE: LabelId = LabelId(4);
const SPEAKER: RelationTypeId = RelationTypeId(0);

/// The span over `needle` (its first occurrence) with `label`.
fn span(needle: &str, label: LabelId) -> Span {
    let byte = TEXT.find(needle).expect("in the text");
    let start = TEXT[..byte].chars().count();
    Span::new(start, start + needle.chars().count(), label).unwrap()
}

fn water() -> Span {
    span(
        "The water has gone down by almost a metre since yesterday,",
        QUOTE,
    )
}
fn amina() -> Span {
    span("Amina Yousafzai", PERSON)
}
fn tariq() -> Span {
    span("Tariq Khan", PERSON)
}
fn worried() -> Span {
    span("We are most worried about clean water,", QUOTE)
}
fn who() -> Span {
    span("World Health Organization", ORG)
}
fn nowshera() -> Span {
    span("Nowshera", PLACE)
}

/// The article with its quotes, people, an ORG and a PLACE labelled, `relations`
/// linked, and `types` (SPEAKER first).
fn project(types: Vec<RelationType>, relations: Vec<Relation>) -> Project {
    project_of(TEXT, types, relations)
}

/// [`project`] with `text` (which starts with `TEXT`, so the spans stand where they do).
fn project_of(text: &str, types: Vec<RelationType>, relations: Vec<Relation>) -> Project {
    let spans = vec![water(), amina(), tariq(), worried(), who(), nowshera()];
    let doc = Document::with_spans("floods", text, spans)
        .unwrap()
        .with_relations(relations)
        .unwrap();
    Project::with_types(default_labels(), types, vec![doc]).unwrap()
}

fn speaker_only() -> Vec<RelationType> {
    default_relation_types(&default_labels())
}

/// SPEAKER, and ADDRESSEE (QUOTE → PERSON, key `a`): two types fit a quote and a person.
fn two_types() -> Vec<RelationType> {
    let mut types = speaker_only();
    types.push(RelationType {
        name: "ADDRESSEE".into(),
        color: Rgb([0x99, 0x33, 0x33]),
        hotkey: Some('a'),
        from: vec![QUOTE],
        to: vec![PERSON],
    });
    types
}

fn no_suggestions(_: &Project, _: &Document) -> Vec<Relation> {
    Vec::new()
}

/// The window on `project` (saved to a file and opened, as a user would), taking
/// suggested relations from `source`, snap to words off.
fn open_with(
    project: &Project,
    source: spanmark::app::RelationSource,
) -> (Harness<'static, SpanmarkApp>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("floods.ron");
    spanmark::io::save_project(project, &path).unwrap();
    let mut h = Harness::builder()
        .with_size(vec2(1280.0, 800.0))
        .with_max_steps(32)
        .build_eframe(move |_cc| {
            SpanmarkApp::headless(Startup::Paths(vec![path])).with_relation_source(source)
        });
    h.state_mut().set_snap_to_words(false);
    h.run();
    (h, dir)
}

fn open(project: &Project) -> (Harness<'static, SpanmarkApp>, tempfile::TempDir) {
    open_with(project, no_suggestions)
}

fn relations(h: &Harness<'_, SpanmarkApp>) -> Vec<Relation> {
    h.state().workspace().project().documents()[0]
        .relations()
        .iter()
        .copied()
        .collect()
}

/// Where the middle of `s` is drawn.
fn middle(h: &Harness<'_, SpanmarkApp>, s: Span) -> Pos2 {
    let c = (s.start() + s.end()) / 2;
    h.state()
        .view()
        .char_screen_pos(c)
        .unwrap_or_else(|| panic!("char {c} is not on screen"))
}

/// One plain click at `p`.
fn click(h: &mut Harness<'_, SpanmarkApp>, p: Pos2) {
    common::clicks(h, p, 1);
}

/// Clicks the middle of span `s`.
fn click_span(h: &mut Harness<'_, SpanmarkApp>, s: Span) {
    let p = middle(h, s);
    click(h, p);
}

fn press(h: &mut Harness<'_, SpanmarkApp>, key: Key) {
    h.key_press(key);
    h.run();
}

fn undo(h: &mut Harness<'_, SpanmarkApp>) {
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
}

fn redo(h: &mut Harness<'_, SpanmarkApp>) {
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    h.run();
}

fn speaker(from: Span, to: Span) -> Relation {
    Relation::new(from, to, SPEAKER).unwrap()
}

#[test]
fn link_a_quote_to_its_speaker_with_the_mouse() {
    let (mut h, _dir) = open(&project(speaker_only(), vec![]));
    click_span(&mut h, water());
    assert_eq!(h.state().view().selected_span, Some(water()));
    press(&mut h, Key::R);
    assert!(
        h.state()
            .status()
            .starts_with("Link from QUOTE “The water has gone down"),
        "{}",
        h.state().status()
    );
    assert!(h.state().status().contains("click a PERSON or ORG span"));
    // Clicking the speaker links: one SPEAKER relation, quote → person.
    let at = middle(&h, amina());
    h.hover_at(at);
    h.run();
    h.drag_at(at);
    h.step();
    h.event(egui::Event::PointerButton {
        pos: at,
        button: egui::PointerButton::Primary,
        pressed: false,
        modifiers: Modifiers::NONE,
    });
    h.step();
    assert_eq!(relations(&h), [speaker(water(), amina())]);
    // The arrow is drawn the next frame; the quote stays selected, link mode is over.
    h.step();
    assert!(
        h.state()
            .view()
            .drawn_relations()
            .contains(&speaker(water(), amina()))
    );
    h.run();
    assert_eq!(h.state().view().selected_span, Some(water()));
    assert!(h.state().view().linking.is_none());
    assert!(h.state().status().starts_with("Linked SPEAKER"));

    // One undo step each way.
    undo(&mut h);
    assert!(relations(&h).is_empty());
    redo(&mut h);
    assert_eq!(relations(&h), [speaker(water(), amina())]);
    assert!(h.state().workspace().is_dirty());
}

#[test]
fn a_click_on_a_span_no_type_allows_says_why_and_waits() {
    let (mut h, _dir) = open(&project(speaker_only(), vec![]));
    click_span(&mut h, water());
    press(&mut h, Key::R);
    click_span(&mut h, nowshera());
    assert!(relations(&h).is_empty());
    assert!(
        h.state()
            .status()
            .contains("No relation type links QUOTE and PLACE"),
        "{}",
        h.state().status()
    );
    // Still linking: the next click on a person links.
    click_span(&mut h, tariq());
    assert_eq!(relations(&h), [speaker(water(), tariq())]);
}

#[test]
fn link_with_the_keyboard_tab_visits_the_nearest_first() {
    let (mut h, _dir) = open(&project(speaker_only(), vec![]));
    // Tab to the first span (the quote), R, Tab: the nearest person (Amina Yousafzai,
    // right after it), Tab again: Tariq Khan, Shift+Tab back, Enter links.
    press(&mut h, Key::Tab);
    assert_eq!(h.state().view().selected_span, Some(water()));
    press(&mut h, Key::R);
    assert!(h.state().view().linking.is_some());
    press(&mut h, Key::Tab);
    assert_eq!(
        h.state().view().linking.as_ref().and_then(|l| l.target()),
        Some(amina())
    );
    assert!(
        h.state()
            .status()
            .contains("Link to PERSON “Amina Yousafzai”?")
    );
    press(&mut h, Key::Tab);
    assert_eq!(
        h.state().view().linking.as_ref().and_then(|l| l.target()),
        Some(tariq())
    );
    h.key_press_modifiers(Modifiers::SHIFT, Key::Tab);
    h.run();
    assert_eq!(
        h.state().view().linking.as_ref().and_then(|l| l.target()),
        Some(amina())
    );
    press(&mut h, Key::Enter);
    assert_eq!(relations(&h), [speaker(water(), amina())]);
    assert!(h.state().view().linking.is_none());
}

#[test]
fn esc_cancels_a_link_and_r_without_a_span_explains() {
    let (mut h, _dir) = open(&project(speaker_only(), vec![]));
    press(&mut h, Key::R);
    assert!(h.state().status().starts_with("Select a span first"));
    assert!(h.state().view().linking.is_none());
    click_span(&mut h, water());
    press(&mut h, Key::R);
    press(&mut h, Key::Escape);
    assert!(h.state().view().linking.is_none());
    assert_eq!(h.state().status(), "Not linked.");
    assert_eq!(
        h.state().view().selected_span,
        Some(water()),
        "Esc ends link mode only"
    );
    // A click on the person now just selects it.
    click_span(&mut h, amina());
    assert!(relations(&h).is_empty());
    assert_eq!(h.state().view().selected_span, Some(amina()));
    // From a PLACE nothing can be linked.
    click_span(&mut h, nowshera());
    press(&mut h, Key::R);
    assert!(h.state().view().linking.is_none());
    assert!(
        h.state()
            .status()
            .contains("No relation type links PLACE spans")
    );
}

#[test]
fn from_the_speaker_the_link_still_points_to_it() {
    let (mut h, _dir) = open(&project(speaker_only(), vec![]));
    click_span(&mut h, who());
    press(&mut h, Key::R);
    click_span(&mut h, worried());
    assert_eq!(relations(&h), [speaker(worried(), who())]);
}

#[test]
fn two_types_that_fit_open_a_picker() {
    let (mut h, _dir) = open(&project(two_types(), vec![]));
    click_span(&mut h, water());
    press(&mut h, Key::R);
    click_span(&mut h, amina());
    assert!(relations(&h).is_empty(), "nothing before the choice");
    assert!(h.query_by_label("Link as…").is_some());
    // Esc cancels the picker: nothing linked.
    press(&mut h, Key::Escape);
    assert!(h.query_by_label("Link as…").is_none());
    assert!(relations(&h).is_empty());
    // Again; ADDRESSEE by its key.
    press(&mut h, Key::R);
    click_span(&mut h, amina());
    press(&mut h, Key::A);
    let addressee = Relation::new(water(), amina(), RelationTypeId(1)).unwrap();
    assert_eq!(relations(&h), [addressee]);
    // Once more: only SPEAKER is left for that pair, so it links at once.
    press(&mut h, Key::R);
    click_span(&mut h, amina());
    assert!(h.query_by_label("Link as…").is_none());
    assert_eq!(relations(&h), [speaker(water(), amina()), addressee]);
    // The picker by arrows and Enter, for Tariq Khan.
    press(&mut h, Key::R);
    click_span(&mut h, tariq());
    press(&mut h, Key::ArrowDown);
    press(&mut h, Key::Enter);
    assert!(relations(&h).contains(&Relation::new(water(), tariq(), RelationTypeId(1)).unwrap()));
}

/// Clicks the drawn arrow of `r`.
fn click_arrow(h: &mut Harness<'_, SpanmarkApp>, r: &Relation) {
    let at = h
        .state()
        .view()
        .relation_screen_pos(r)
        .expect("the arrow is drawn");
    click(h, at);
}

#[test]
fn click_an_arrow_and_delete_it_then_undo_and_redo() {
    let linked = speaker(water(), amina());
    let (mut h, _dir) = open(&project(speaker_only(), vec![linked]));
    assert_eq!(h.state().view().drawn_relations(), [linked]);
    click_arrow(&mut h, &linked);
    assert_eq!(h.state().view().selected_relation, Some(linked));
    assert_eq!(h.state().view().selected_span, None);
    assert!(h.state().status().contains("Delete removes it"));
    press(&mut h, Key::Delete);
    assert!(relations(&h).is_empty());
    assert_eq!(
        h.state().workspace().project().documents()[0].spans().len(),
        6,
        "the spans stay"
    );
    assert_eq!(h.state().view().selected_relation, None);
    undo(&mut h);
    assert_eq!(relations(&h), [linked]);
    redo(&mut h);
    assert!(relations(&h).is_empty());
    assert!(h.state().view().drawn_relations().is_empty());
}

#[test]
fn undo_clears_a_selected_relation_it_takes_away() {
    let (mut h, _dir) = open(&project(speaker_only(), vec![]));
    click_span(&mut h, water());
    press(&mut h, Key::R);
    click_span(&mut h, amina());
    let linked = speaker(water(), amina());
    click_arrow(&mut h, &linked);
    assert_eq!(h.state().view().selected_relation, Some(linked));
    undo(&mut h);
    assert!(relations(&h).is_empty());
    assert_eq!(h.state().view().selected_relation, None);
    // Delete now deletes nothing (no relation, no span selected).
    press(&mut h, Key::Delete);
    assert_eq!(
        h.state().workspace().project().documents()[0].spans().len(),
        6
    );
}

#[test]
fn right_click_an_arrow_to_change_its_type_or_delete_it() {
    let linked = speaker(water(), amina());
    let (mut h, _dir) = open(&project(two_types(), vec![linked]));
    let at = h.state().view().relation_screen_pos(&linked).unwrap();
    common::right_click(&mut h, at);
    h.get_by_label("Change type").hover();
    h.run();
    h.get_by_label("ADDRESSEE").click();
    h.run();
    let retyped = linked.with_kind(RelationTypeId(1));
    assert_eq!(relations(&h), [retyped]);
    undo(&mut h);
    assert_eq!(relations(&h), [linked], "one undo step");
    let at = h.state().view().relation_screen_pos(&linked).unwrap();
    common::right_click(&mut h, at);
    h.get_by_label("Delete").click();
    h.run();
    assert!(relations(&h).is_empty());
}

#[test]
fn a_relabel_that_drops_a_relation_asks_first() {
    let linked = speaker(water(), amina());
    let (mut h, _dir) = open(&project(speaker_only(), vec![linked]));
    click_span(&mut h, amina());
    // PLACE (key 2): SPEAKER does not end at a PLACE.
    press(&mut h, Key::Num2);
    assert!(h.query_by_label("Relabel as PLACE?").is_some());
    assert!(
        h.query_by_label_contains("Its 1 relation (SPEAKER) no longer fits and goes.")
            .is_some()
    );
    h.get_by_label("Cancel").click();
    h.run();
    assert_eq!(relations(&h), [linked], "Cancel changes nothing");
    assert!(
        h.state().workspace().project().documents()[0]
            .spans()
            .contains(&amina())
    );
    press(&mut h, Key::Num2);
    h.get_by_label("Relabel").click();
    h.run();
    let doc = &h.state().workspace().project().documents()[0];
    assert!(doc.spans().contains(&amina().with_label(PLACE)));
    assert!(relations(&h).is_empty());
    // One undo step brings back both.
    undo(&mut h);
    assert_eq!(relations(&h), [linked]);
    // ORG (key 3) fits SPEAKER: no question, the relation moves with the span.
    click_span(&mut h, amina());
    press(&mut h, Key::Num3);
    assert!(h.query_by_label("Relabel as ORG?").is_none());
    assert_eq!(relations(&h), [speaker(water(), amina().with_label(ORG))]);
}

#[test]
fn the_span_panel_lists_relations_and_jumps_to_the_other_end() {
    let linked = speaker(water(), amina());
    let (mut h, _dir) = open(&project(speaker_only(), vec![linked]));
    click_span(&mut h, water());
    let row = "said by: PERSON “Amina Yousafzai”";
    assert!(h.query_by_label(row).is_some());
    h.get_by_label(row).click();
    h.run();
    assert_eq!(h.state().view().selected_span, Some(amina()));
    assert!(
        h.query_by_label_contains("said: QUOTE “The water")
            .is_some()
    );
    assert!(relations(&h) == [linked], "nothing else changed");
}

#[test]
fn the_label_editor_refuses_r_and_x_as_label_keys() {
    let (mut h, _dir) = open(&project(speaker_only(), vec![]));
    h.key_press_modifiers(Modifiers::COMMAND, Key::L);
    h.run();
    // PERSON's key box (the first labelled "Key"), then the command key r in it.
    h.get_all_by_role(Role::ComboBox)
        .find(|n| n.accesskit_node().label().as_deref() == Some("Key"))
        .unwrap()
        .click();
    h.run();
    // The command keys are listed, refused, saying what they do.
    assert!(
        h.query_by_label("x (command key: rejects suggestions)")
            .is_some()
    );
    let r = h.get_by_label("r (command key: links spans)");
    assert!(r.accesskit_node().is_disabled());
    r.click();
    h.run();
    assert_eq!(
        h.state().workspace().project().labels()[0].hotkey,
        Some('1')
    );
}

#[test]
fn relation_types_are_edited_beside_the_labels() {
    let linked = speaker(water(), amina());
    let (mut h, _dir) = open(&project(speaker_only(), vec![linked]));
    h.key_press_modifiers(Modifiers::COMMAND, Key::L);
    h.run();
    assert!(h.query_by_label("Relation types").is_some());
    assert!(h.query_by_label("1 relation").is_some());
    h.get_by_label("Add relation type").click();
    h.run();
    let types = |h: &Harness<'_, SpanmarkApp>| -> Vec<RelationType> {
        h.state().workspace().project().relation_types().to_vec()
    };
    assert_eq!(types(&h)[1].name, "RELATION2");
    assert!(types(&h)[1].from.is_empty());
    // Tick QUOTE at its start and PERSON at its end: the last QUOTE / PERSON boxes
    // are the new type's.
    h.get_all_by_label("QUOTE").nth(2).unwrap().click();
    h.run();
    h.get_all_by_label("PERSON").nth(3).unwrap().click();
    h.run();
    assert_eq!(types(&h)[1].from, [QUOTE]);
    assert_eq!(types(&h)[1].to, [PERSON]);
    // Rename it.
    let field = h
        .get_all_by_role(Role::TextInput)
        .find(|n| n.value().as_deref() == Some("RELATION2"))
        .unwrap();
    field.click();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.get_all_by_role(Role::TextInput)
        .find(|n| n.value().as_deref() == Some("RELATION2"))
        .unwrap()
        .type_text("ADDRESSEE");
    h.key_press(Key::Enter);
    h.run();
    assert_eq!(types(&h)[1].name, "ADDRESSEE");
    // SPEAKER's PERSON end is used by a relation: its box cannot be unticked.
    let person_to = h.get_all_by_label("PERSON").nth(1).unwrap();
    assert!(person_to.accesskit_node().is_disabled());
    // Move ADDRESSEE up, then delete SPEAKER: the question names its relation.
    h.get_all_by_label("Up").last().unwrap().click();
    h.run();
    assert_eq!(types(&h)[0].name, "ADDRESSEE");
    h.get_all_by_label("Delete").last().unwrap().click();
    h.run();
    assert!(h.query_by_label("Delete relation type SPEAKER?").is_some());
    assert!(
        h.query_by_label_contains("Its 1 relation goes with it")
            .is_some()
    );
    h.get_all_by_label("Delete").last().unwrap().click();
    h.run();
    assert_eq!(types(&h).len(), 1);
    assert!(relations(&h).is_empty());
    // One undo: the type and its relation are back.
    h.key_press(Key::Escape);
    h.run();
    undo(&mut h);
    assert_eq!(types(&h).len(), 2);
    assert_eq!(relations(&h), [linked]);
}

/// A speaker source for the test: Tariq Khan for the quote after his name (what the
/// speaker rules propose there), and the WHO for the first quote.
fn suggest(project: &Project, doc: &Document) -> Vec<Relation> {
    let Some(kind) = project.relation_type_id("SPEAKER") else {
        return Vec::new();
    };
    let mut out: Vec<Relation> = [(worried(), tariq()), (water(), who())]
        .into_iter()
        .filter(|(q, _)| doc.relations().of(q).is_empty())
        .filter_map(|(q, s)| Relation::new(q, s, kind).ok())
        .filter(|r| !doc.rejected_relations().contains(r))
        .collect();
    out.sort();
    out
}

#[test]
fn a_suggested_speaker_is_a_dashed_arrow_accepted_with_enter_or_rejected_with_x() {
    let (mut h, _dir) = open_with(&project(speaker_only(), vec![]), suggest);
    let tariq_said = speaker(worried(), tariq());
    let who_said = speaker(water(), who());
    assert_eq!(
        h.state()
            .relation_suggestions()
            .iter()
            .copied()
            .collect::<Vec<_>>(),
        [who_said, tariq_said]
    );
    let drawn = h.state().view().drawn_relations();
    assert!(drawn.contains(&tariq_said) && drawn.contains(&who_said));
    assert!(relations(&h).is_empty(), "a suggestion is not a relation");
    // Hovering names it as a suggestion.
    let at = h.state().view().relation_screen_pos(&tariq_said).unwrap();
    h.hover_at(at);
    h.run();
    assert!(h.query_by_label("Suggested SPEAKER").is_some());
    click_arrow(&mut h, &tariq_said);
    assert_eq!(h.state().view().selected_relation, Some(tariq_said));
    press(&mut h, Key::Enter);
    assert_eq!(relations(&h), [tariq_said]);
    // The next suggestion is selected; X rejects it, and it is remembered.
    h.run();
    assert_eq!(h.state().view().selected_relation, Some(who_said));
    press(&mut h, Key::X);
    let doc = &h.state().workspace().project().documents()[0];
    assert!(doc.rejected_relations().contains(&who_said));
    assert_eq!(doc.spans().len(), 6, "X is no label key");
    h.run();
    assert!(h.state().relation_suggestions().is_empty());
    // Undo takes the rejection back: proposed again.
    undo(&mut h);
    h.run();
    assert!(h.state().relation_suggestions().contains(&who_said));
}

#[test]
fn a_selected_quote_takes_its_one_suggested_speaker_with_enter_or_drops_it_with_x() {
    let (mut h, _dir) = open_with(&project(speaker_only(), vec![]), suggest);
    // The quote selected, no arrow: Enter accepts the quote's one suggested speaker.
    click_span(&mut h, worried());
    assert_eq!(h.state().view().selected_relation, None);
    press(&mut h, Key::Enter);
    assert_eq!(relations(&h), [speaker(worried(), tariq())]);
    // X on the other quote rejects its suggestion, and labels nothing.
    click_span(&mut h, water());
    press(&mut h, Key::X);
    let doc = &h.state().workspace().project().documents()[0];
    assert!(doc.rejected_relations().contains(&speaker(water(), who())));
    assert_eq!(doc.relations().len(), 1);
    assert_eq!(doc.spans().len(), 6);
    // A span without a suggestion: Enter does nothing.
    click_span(&mut h, amina());
    press(&mut h, Key::Enter);
    assert_eq!(relations(&h), [speaker(worried(), tariq())]);
}

#[test]
fn the_span_panel_accepts_a_suggested_speaker() {
    let (mut h, _dir) = open_with(&project(speaker_only(), vec![]), suggest);
    click_span(&mut h, worried());
    assert!(
        h.query_by_label("suggested, said by: PERSON “Tariq Khan”")
            .is_some()
    );
    h.get_by_label("Accept").click();
    h.run();
    assert_eq!(relations(&h), [speaker(worried(), tariq())]);
}

#[test]
fn an_arrow_to_a_span_off_screen_points_to_the_edge_and_names_it() {
    // The quote at the top, its speaker 300 lines further down.
    let filler = "Nothing to see on this line.\n".repeat(300);
    let text = format!("“We stay,” he said.\n{filler}Tariq Khan, minister.\n");
    let quote = Span::new(0, 10, QUOTE).unwrap();
    let start = text.chars().count() - 22;
    let person = Span::new(start, start + 10, PERSON).unwrap();
    let r = speaker(quote, person);
    let doc = Document::with_spans("long", text.as_str(), vec![quote, person])
        .unwrap()
        .with_relations([r])
        .unwrap();
    let p = Project::new(default_labels(), vec![doc]).unwrap();
    let (mut h, _dir) = open(&p);
    assert_eq!(h.state().view().drawn_relations(), [r]);
    let at = h.state().view().relation_screen_pos(&r).unwrap();
    h.hover_at(at);
    h.run();
    assert!(
        h.query_by_label("PERSON “Tariq Khan” is further down (off screen)")
            .is_some()
    );
    // Its head is on the bottom edge of the document view (above the status bar), in
    // the margin left of the text, where it crosses no text.
    let head = h.state().view().relation_head(&r).unwrap();
    assert!(head.y > 700.0 && head.y < 800.0, "{head:?}");
    let quote_at = h.state().view().char_screen_pos(0).unwrap();
    assert!(head.x < quote_at.x - 4.0, "{head:?} {quote_at:?}");
    // Scrolled to the speaker, the arrow comes from the top edge into it, and names the
    // quote up there.
    h.state_mut().view_mut().scroll_to(person.start());
    h.run();
    assert!(h.state().view().char_screen_pos(0).is_none());
    let head = h.state().view().relation_head(&r).unwrap();
    let speaker_at = h.state().view().char_screen_pos(person.start()).unwrap();
    assert!(
        head.y < speaker_at.y && speaker_at.y - head.y < 20.0,
        "{head:?} {speaker_at:?}"
    );
    let at = h.state().view().relation_screen_pos(&r).unwrap();
    h.hover_at(at);
    h.run();
    assert!(
        h.query_by_label("QUOTE ““We stay,”” is further up (off screen)")
            .is_some()
    );
}

#[test]
fn statistics_count_relations_per_type() {
    let linked = speaker(water(), amina());
    let (mut h, _dir) = open(&project(speaker_only(), vec![linked]));
    common::menu_item(&mut h, "View", "Statistics");
    assert!(h.query_by_label("1 relation:").is_some());
    assert!(h.query_by_label("SPEAKER 1").is_some());
}

#[test]
fn a_caret_key_ends_link_mode_and_its_prompt() {
    let (mut h, _dir) = open(&project(speaker_only(), vec![]));
    click_span(&mut h, water());
    press(&mut h, Key::R);
    assert!(h.state().status().starts_with("Link from"));
    press(&mut h, Key::ArrowRight);
    assert!(h.state().view().linking.is_none());
    assert_eq!(h.state().status(), "Not linked.");
}

/// A long document's suggested speakers are found off the frame (in the window on a
/// thread; headless inline, as jobs are) and land on a later frame. After an accept the
/// next revision's land the same way, without the accepted one.
#[test]
fn a_long_documents_suggested_speakers_are_found_off_the_frame_and_land() {
    let long = format!(
        "{TEXT}{}",
        "More news follows below the fold.\n".repeat(3_500)
    );
    assert!(
        long.chars().count() > 100_000,
        "past the background threshold"
    );
    let (mut h, _dir) = open_with(&project_of(&long, speaker_only(), vec![]), suggest);
    let tariq_said = speaker(worried(), tariq());
    let who_said = speaker(water(), who());
    let pending = |h: &Harness<'_, SpanmarkApp>| -> Vec<Relation> {
        h.state().relation_suggestions().iter().copied().collect()
    };
    assert_eq!(pending(&h), [who_said, tariq_said]);
    click_arrow(&mut h, &tariq_said);
    press(&mut h, Key::Enter);
    assert_eq!(relations(&h), [tariq_said]);
    h.run();
    assert_eq!(pending(&h), [who_said]);
    // Undo: proposed again, from a new revision's run.
    undo(&mut h);
    h.run();
    assert_eq!(pending(&h), [who_said, tariq_said]);
}
