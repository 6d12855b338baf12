//! Each rule on a small text, the cases where the nearest name is wrong, the contract,
//! and a property test of the contract against an oracle.

use proptest::prelude::*;

use super::*;
use crate::model::{Label, RelationType, default_labels};

const PERSON: LabelId = LabelId(0);
const PLACE: LabelId = LabelId(1);
const ORG: LabelId = LabelId(2);
const QUOTE: LabelId = LabelId(4);

/// Char offsets of `needle` in `text`, searching from char `from`.
fn find(text: &str, needle: &str, from: usize) -> (usize, usize) {
    let b_from = text.char_indices().nth(from).map_or(text.len(), |(b, _)| b);
    let b = b_from
        + text[b_from..]
            .find(needle)
            .unwrap_or_else(|| panic!("{needle:?} not in {text:?}"));
    let start = text[..b].chars().count();
    (start, start + needle.chars().count())
}

/// Spans from (text, label) pairs, each looked for from the previous one's start (so
/// give them in text order; a span nested in the one before it is found too).
fn spans(text: &str, marks: &[(&str, LabelId)]) -> Vec<Span> {
    let mut from = 0;
    marks
        .iter()
        .map(|&(needle, label)| {
            let (s, e) = find(text, needle, from);
            from = s;
            Span::new(s, e, label).unwrap()
        })
        .collect()
}

fn project(text: &str, marks: &[(&str, LabelId)]) -> Project {
    let doc = Document::with_spans("d", text, spans(text, marks)).unwrap();
    Project::new(default_labels(), vec![doc]).unwrap()
}

/// The suggestions as (quote text, speaker text, why).
fn explain(p: &Project) -> Vec<(String, String, String)> {
    let doc: &Document = &p.documents()[0];
    let got = explain_speakers(p, doc);
    assert_eq!(
        got.iter().map(|s| s.relation).collect::<Vec<_>>(),
        suggest_speakers(p, doc),
        "the thin wrapper gives the same relations"
    );
    got.into_iter()
        .map(|s| {
            (
                doc.span_text(&s.relation.from()).to_string(),
                doc.span_text(&s.relation.to()).to_string(),
                s.why,
            )
        })
        .collect()
}

/// Just (quote, speaker) of each suggestion.
fn pairs(text: &str, marks: &[(&str, LabelId)]) -> Vec<(String, String)> {
    explain(&project(text, marks))
        .into_iter()
        .map(|(q, s, _)| (q, s))
        .collect()
}

fn pair(q: &str, s: &str) -> (String, String) {
    (q.to_string(), s.to_string())
}

fn why(q: &str, s: &str, w: &str) -> (String, String, String) {
    (q.to_string(), s.to_string(), w.to_string())
}

#[test]
fn cue_after_the_quote_with_the_speaker_after_it() {
    let text = "“The water has gone down,” said Amina Yousafzai, a district official, standing in Nowshera.";
    let p = project(
        text,
        &[
            ("“The water has gone down,”", QUOTE),
            ("Amina Yousafzai", PERSON),
            ("Nowshera", PLACE),
        ],
    );
    assert_eq!(
        explain(&p),
        [why(
            "“The water has gone down,”",
            "Amina Yousafzai",
            "cue 'said' after the quote"
        )]
    );
    // Without its marks in the span, and with straight marks, the same.
    let text = "\"The water has gone down,\" says Amina Yousafzai.";
    assert_eq!(
        pairs(
            text,
            &[
                ("The water has gone down,", QUOTE),
                ("Amina Yousafzai", PERSON)
            ]
        ),
        [pair("The water has gone down,", "Amina Yousafzai")]
    );
}

#[test]
fn cue_after_the_quote_with_the_speaker_before_it_an_org() {
    let text = "“Stay away from the river,” the ministry said on Tuesday.";
    let p = project(
        text,
        &[("“Stay away from the river,”", QUOTE), ("ministry", ORG)],
    );
    assert_eq!(
        explain(&p),
        [why(
            "“Stay away from the river,”",
            "ministry",
            "cue 'said' after the quote"
        )]
    );
}

#[test]
fn cue_before_the_quote() {
    let text = "The ministry said: “Stay away from the river.”";
    let p = project(
        text,
        &[("ministry", ORG), ("“Stay away from the river.”", QUOTE)],
    );
    assert_eq!(
        explain(&p),
        [why(
            "“Stay away from the river.”",
            "ministry",
            "cue 'said' before the quote"
        )]
    );
    // Words between the cue and the quote, an ORG named with its article.
    let text = "The World Health Organization said in a statement that it had sent \"enough chlorine tablets\" to the region.";
    assert_eq!(
        pairs(
            text,
            &[
                ("World Health Organization", ORG),
                ("\"enough chlorine tablets\"", QUOTE)
            ]
        ),
        [pair(
            "\"enough chlorine tablets\"",
            "World Health Organization"
        )]
    );
    // The hearer after "told" is not the speaker.
    let text = "Tariq Khan told the Associated Press: “We need chlorine.”";
    assert_eq!(
        pairs(
            text,
            &[
                ("Tariq Khan", PERSON),
                ("Associated Press", ORG),
                ("“We need chlorine.”", QUOTE)
            ]
        ),
        [pair("“We need chlorine.”", "Tariq Khan")]
    );
}

#[test]
fn the_appositive_is_not_the_speaker() {
    let marks = |q| {
        vec![
            ("Anna Berg", PERSON),
            ("Red Cross", ORG),
            ("“We need more trucks.”", QUOTE),
        ]
        .into_iter()
        .map(|(t, l)| if l == QUOTE { (q, l) } else { (t, l) })
        .collect::<Vec<_>>()
    };
    let text = "Anna Berg, a spokeswoman for the Red Cross, said: “We need more trucks.”";
    assert_eq!(
        pairs(text, &marks("“We need more trucks.”")),
        [pair("“We need more trucks.”", "Anna Berg")]
    );
    // After the quote.
    let text = "“We need more trucks,” Anna Berg, a spokeswoman for the Red Cross, said.";
    let p = project(
        text,
        &[
            ("“We need more trucks,”", QUOTE),
            ("Anna Berg", PERSON),
            ("Red Cross", ORG),
        ],
    );
    assert_eq!(
        explain(&p),
        [why(
            "“We need more trucks,”",
            "Anna Berg",
            "cue 'said' after the quote"
        )]
    );
    // An aside with commas of its own; a relative clause.
    let text = "Anna Berg, a spokeswoman for the Red Cross in Geneva, Switzerland, said: “We need trucks.”";
    assert_eq!(
        pairs(
            text,
            &[
                ("Anna Berg", PERSON),
                ("Red Cross", ORG),
                ("Geneva", PLACE),
                ("Switzerland", PLACE),
                ("“We need trucks.”", QUOTE)
            ]
        ),
        [pair("“We need trucks.”", "Anna Berg")]
    );
    let text = "Hassan Raza, who works with Oxfam, said: “People sleep on roofs.”";
    assert_eq!(
        pairs(
            text,
            &[
                ("Hassan Raza", PERSON),
                ("Oxfam", ORG),
                ("“People sleep on roofs.”", QUOTE)
            ]
        ),
        [pair("“People sleep on roofs.”", "Hassan Raza")]
    );
    // The name as the aside: "the spokeswoman, Anna Berg, said".
    let text = "The agency's spokeswoman, Anna Berg, said: “We need trucks.”";
    assert_eq!(
        pairs(text, &[("Anna Berg", PERSON), ("“We need trucks.”", QUOTE)]),
        [pair("“We need trucks.”", "Anna Berg")]
    );
}

#[test]
fn x_of_y_and_a_title_before_the_name() {
    let text = "Omar Farouk of the Red Crescent told reporters: “The roads are cut.”";
    assert_eq!(
        pairs(
            text,
            &[
                ("Omar Farouk", PERSON),
                ("Red Crescent", ORG),
                ("“The roads are cut.”", QUOTE)
            ]
        ),
        [pair("“The roads are cut.”", "Omar Farouk")]
    );
    let text = "“The roads are cut,” said Omar Farouk of the Red Crescent.";
    assert_eq!(
        pairs(
            text,
            &[
                ("“The roads are cut,”", QUOTE),
                ("Omar Farouk", PERSON),
                ("Red Crescent", ORG)
            ]
        ),
        [pair("“The roads are cut,”", "Omar Farouk")]
    );
    // The ORG before the name qualifies it: the name is the head.
    let text = "Taliban spokesman Zabihullah Mujahid said: “Bagram stays ours.”";
    assert_eq!(
        pairs(
            text,
            &[
                ("Taliban", ORG),
                ("Zabihullah Mujahid", PERSON),
                ("“Bagram stays ours.”", QUOTE)
            ]
        ),
        [pair("“Bagram stays ours.”", "Zabihullah Mujahid")]
    );
    let text = "“Bagram stays ours,” said Taliban spokesman Zabihullah Mujahid.";
    assert_eq!(
        pairs(
            text,
            &[
                ("“Bagram stays ours,”", QUOTE),
                ("Taliban", ORG),
                ("Zabihullah Mujahid", PERSON)
            ]
        ),
        [pair("“Bagram stays ours,”", "Zabihullah Mujahid")]
    );
}

#[test]
fn according_to_before_and_after() {
    let text = "According to Hassan Raza, who runs a shelter in Charsadda, “people are sleeping on rooftops.”";
    let p = project(
        text,
        &[
            ("Hassan Raza", PERSON),
            ("Charsadda", ORG),
            ("“people are sleeping on rooftops.”", QUOTE),
        ],
    );
    assert_eq!(
        explain(&p),
        [why(
            "“people are sleeping on rooftops.”",
            "Hassan Raza",
            "cue 'according to' before the quote"
        )]
    );
    let text = "“People are sleeping on rooftops,” according to the Red Cross.";
    assert_eq!(
        pairs(
            text,
            &[
                ("“People are sleeping on rooftops,”", QUOTE),
                ("Red Cross", ORG)
            ]
        ),
        [pair("“People are sleeping on rooftops,”", "Red Cross")]
    );
}

#[test]
fn a_pronoun_takes_the_last_person_before_it() {
    // Amina Berg, inside a quote, is not who "he" is.
    let text = "Tariq Khan told reporters that clinics were full. “Amina Berg helped us,” he said.";
    let p = project(
        text,
        &[
            ("Tariq Khan", PERSON),
            ("“Amina Berg helped us,”", QUOTE),
            ("Amina Berg", PERSON),
        ],
    );
    assert_eq!(
        explain(&p),
        [why(
            "“Amina Berg helped us,”",
            "Tariq Khan",
            "cue 'said' after the quote, 'he' taken as the last PERSON before it"
        )]
    );
    // Before the quote; an ORG in between is not a person.
    let text = "Anna Berg met the ministry. She told them: “We need trucks.”";
    assert_eq!(
        pairs(
            text,
            &[
                ("Anna Berg", PERSON),
                ("ministry", ORG),
                ("“We need trucks.”", QUOTE)
            ]
        ),
        [pair("“We need trucks.”", "Anna Berg")]
    );
    // No PERSON before: nothing, and no guess from the ORG.
    let text = "The ministry met. “We need trucks,” he said.";
    assert_eq!(
        pairs(text, &[("ministry", ORG), ("“We need trucks,”", QUOTE)]),
        []
    );
}

#[test]
fn a_split_quote_in_two_spans() {
    let text = "Tariq Khan spoke. “We are most worried about clean water,” he said, “because cholera spreads fast.”";
    let p = project(
        text,
        &[
            ("Tariq Khan", PERSON),
            ("“We are most worried about clean water,”", QUOTE),
            ("“because cholera spreads fast.”", QUOTE),
        ],
    );
    let w =
        "cue 'said' between the halves of a split quote, 'he' taken as the last PERSON before it";
    assert_eq!(
        explain(&p),
        [
            why("“We are most worried about clean water,”", "Tariq Khan", w),
            why("“because cholera spreads fast.”", "Tariq Khan", w),
        ]
    );
}

#[test]
fn a_split_quote_in_one_span() {
    let text = "“We are worried,” Amina Yousafzai added, “because cholera spreads fast.” Tariq Khan agreed.";
    let p = project(
        text,
        &[
            (
                "“We are worried,” Amina Yousafzai added, “because cholera spreads fast.”",
                QUOTE,
            ),
            ("Amina Yousafzai", PERSON),
            ("Tariq Khan", PERSON),
        ],
    );
    assert_eq!(
        explain(&p),
        [why(
            "“We are worried,” Amina Yousafzai added, “because cholera spreads fast.”",
            "Amina Yousafzai",
            "cue 'added' between the quote's halves"
        )]
    );
    // Straight marks, and a quoted word inside a quote is not a split.
    let text = "\"We call it a \"red line\" here,\" said Anna Berg.";
    assert_eq!(
        pairs(
            text,
            &[
                ("\"We call it a \"red line\" here,\"", QUOTE),
                ("Anna Berg", PERSON)
            ]
        ),
        [pair("\"We call it a \"red line\" here,\"", "Anna Berg")]
    );
}

#[test]
fn no_suggestion_when_the_speaker_is_no_span() {
    let none = |text: &str, marks: &[(&str, LabelId)]| {
        assert_eq!(pairs(text, marks), [], "{text}");
    };
    // The hearer is not the speaker: "a farmer" is, and has no span.
    none(
        "“We lost everything,” a farmer from Mardan told the Associated Press.",
        &[
            ("“We lost everything,”", QUOTE),
            ("Mardan", PLACE),
            ("Associated Press", ORG),
        ],
    );
    none(
        "A farmer told the Associated Press: “We lost everything.”",
        &[("Associated Press", ORG), ("“We lost everything.”", QUOTE)],
    );
    // An affiliation is not the speaker either (a spokeswoman is).
    none(
        "A spokeswoman for the Red Cross said: “We need trucks.”",
        &[("Red Cross", ORG), ("“We need trucks.”", QUOTE)],
    );
    none(
        "“We need trucks,” said a spokeswoman for the Red Cross.",
        &[("“We need trucks,”", QUOTE), ("Red Cross", ORG)],
    );
    none(
        "The ministry's spokeswoman said: “We need trucks.”",
        &[("ministry", ORG), ("“We need trucks.”", QUOTE)],
    );
    // Its own cue names no span: the quote does not continue Amina's.
    let text = "“The water rose,” said Amina Yousafzai. “Then the bridge fell,” a farmer added.";
    assert_eq!(
        pairs(
            text,
            &[
                ("“The water rose,”", QUOTE),
                ("Amina Yousafzai", PERSON),
                ("“Then the bridge fell,”", QUOTE)
            ]
        ),
        [pair("“The water rose,”", "Amina Yousafzai")]
    );
    // A name inside a relative clause is not the subject.
    none(
        "A farmer who met Tariq Khan said: “We lost everything.”",
        &[("Tariq Khan", PERSON), ("“We lost everything.”", QUOTE)],
    );
}

#[test]
fn no_cue_no_suggestion() {
    // The nearest name is right there, but nothing says it spoke.
    let text = "Tariq Khan visited Nowshera. “The water is everywhere.”";
    assert_eq!(
        pairs(
            text,
            &[
                ("Tariq Khan", PERSON),
                ("Nowshera", PLACE),
                ("“The water is everywhere.”", QUOTE)
            ]
        ),
        []
    );
    let text = "Tariq Khan saw the sign “no entry” at the bridge.";
    assert_eq!(
        pairs(text, &[("Tariq Khan", PERSON), ("“no entry”", QUOTE)]),
        []
    );
}

#[test]
fn a_continued_quote_takes_the_speaker_before() {
    let text = "“The water rose,” said Amina Yousafzai. “Then the bridge fell.”\n“Nobody came.”";
    let p = project(
        text,
        &[
            ("“The water rose,”", QUOTE),
            ("Amina Yousafzai", PERSON),
            ("“Then the bridge fell.”", QUOTE),
            ("“Nobody came.”", QUOTE),
        ],
    );
    // Not across the paragraph break.
    assert_eq!(
        explain(&p),
        [
            why(
                "“The water rose,”",
                "Amina Yousafzai",
                "cue 'said' after the quote"
            ),
            why(
                "“Then the bridge fell.”",
                "Amina Yousafzai",
                "no cue; continues the quote before it"
            ),
        ]
    );
    // Another name between them: no guess.
    let text = "“The water rose,” said Amina Yousafzai. Tariq Khan nodded. “Then the bridge fell.”";
    assert_eq!(
        pairs(
            text,
            &[
                ("“The water rose,”", QUOTE),
                ("Amina Yousafzai", PERSON),
                ("Tariq Khan", PERSON),
                ("“Then the bridge fell.”", QUOTE)
            ]
        ),
        [pair("“The water rose,”", "Amina Yousafzai")]
    );
}

#[test]
fn sentences_cut_by_a_question_mark_or_a_title() {
    let text = "“Where is the water?” asked Tariq Khan.";
    assert_eq!(
        pairs(
            text,
            &[("“Where is the water?”", QUOTE), ("Tariq Khan", PERSON)]
        ),
        [pair("“Where is the water?”", "Tariq Khan")]
    );
    let text = "“We are ready,” said Mr. Khan.";
    assert_eq!(
        pairs(text, &[("“We are ready,”", QUOTE), ("Khan", PERSON)]),
        [pair("“We are ready,”", "Khan")]
    );
}

#[test]
fn a_participle_takes_its_clause_subject() {
    let text = "Tariq Khan spoke to the ministry on Tuesday, saying: “We need chlorine.”";
    let p = project(
        text,
        &[
            ("Tariq Khan", PERSON),
            ("ministry", ORG),
            ("“We need chlorine.”", QUOTE),
        ],
    );
    assert_eq!(
        explain(&p),
        [why(
            "“We need chlorine.”",
            "Tariq Khan",
            "cue 'saying' before the quote"
        )]
    );
}

const SPLIT: &str = "Anna Berg said: “We need trucks,” Tariq Khan added.";

fn split_marks() -> Vec<(&'static str, LabelId)> {
    vec![
        ("Anna Berg", PERSON),
        ("“We need trucks,”", QUOTE),
        ("Tariq Khan", PERSON),
    ]
}

#[test]
fn the_contract_existing_rejected_and_allowed() {
    let p = project(SPLIT, &split_marks());
    let doc: &Document = &p.documents()[0];
    let [anna, q, tariq] = spans(SPLIT, &split_marks())[..] else {
        panic!("three spans")
    };
    let kind = p.relation_type_id(SPEAKER).unwrap();
    let rel = |to| Relation::new(q, to, kind).unwrap();
    // The cue after the quote comes first.
    assert_eq!(suggest_speakers(&p, doc), [rel(tariq)]);
    // Rejected: the next rule's speaker.
    let d = doc.clone().with_rejected_relations([rel(tariq)]).unwrap();
    let p2 = p.with_same_labels(vec![d]).unwrap();
    let explained = explain_speakers(&p2, &p2.documents()[0]);
    assert_eq!(explained.len(), 1);
    assert_eq!(explained[0].relation, rel(anna));
    assert_eq!(explained[0].why, "cue 'said' before the quote");
    // Both rejected: nothing.
    let d = doc
        .clone()
        .with_rejected_relations([rel(tariq), rel(anna)])
        .unwrap();
    let p3 = p.with_same_labels(vec![d]).unwrap();
    assert_eq!(suggest_speakers(&p3, &p3.documents()[0]), []);
    // A quote with a speaker gets none, whoever it is.
    let d = doc.clone().with_relations([rel(anna)]).unwrap();
    let p4 = p.with_same_labels(vec![d]).unwrap();
    assert_eq!(suggest_speakers(&p4, &p4.documents()[0]), []);
    // A relation of another type is not a speaker.
    let labels = default_labels();
    let mut types = crate::model::relation::default_relation_types(&labels);
    types.push(RelationType {
        name: "MENTIONS".into(),
        color: crate::model::Rgb([0, 0, 0]),
        hotkey: None,
        from: vec![QUOTE],
        to: vec![PERSON],
    });
    let mentions = RelationTypeId(1);
    let d = doc
        .clone()
        .with_relations([Relation::new(q, anna, mentions).unwrap()])
        .unwrap();
    let p5 = Project::with_types(labels, types, vec![d]).unwrap();
    assert_eq!(suggest_speakers(&p5, &p5.documents()[0]), [rel(tariq)]);
}

#[test]
fn only_targets_the_type_allows_and_no_type_no_suggestions() {
    let labels = default_labels();
    let speaker_org = RelationType {
        name: SPEAKER.into(),
        color: crate::model::Rgb([0, 0, 0]),
        hotkey: None,
        from: vec![QUOTE],
        to: vec![ORG],
    };
    let text =
        "Tariq Khan of the ministry spoke. “We need trucks,” he said. “Go,” the ministry said.";
    let marks = [
        ("Tariq Khan", PERSON),
        ("ministry", ORG),
        ("“We need trucks,”", QUOTE),
        ("“Go,”", QUOTE),
        ("ministry", ORG),
    ];
    let doc = Document::with_spans("d", text, spans(text, &marks)).unwrap();
    let p = Project::with_types(labels.clone(), vec![speaker_org], vec![doc.clone()]).unwrap();
    // "he" would be a PERSON, which this SPEAKER does not allow.
    let got: Vec<(String, String)> = explain(&p).into_iter().map(|(q, s, _)| (q, s)).collect();
    assert_eq!(got, [pair("“Go,”", "ministry")]);
    let none = Project::with_types(labels.clone(), Vec::new(), vec![doc.clone()]).unwrap();
    assert_eq!(suggest_speakers(&none, &none.documents()[0]), []);
    // Without QUOTE and ORG/PERSON labels there is no default SPEAKER.
    let few: Vec<Label> = labels[..2].to_vec();
    let bare = Project::new(few, vec![Document::new("d", text)]).unwrap();
    assert_eq!(bare.relation_type_id(SPEAKER), None);
    assert_eq!(suggest_speakers(&bare, &bare.documents()[0]), []);
}

/// The contract, checked directly: what every suggestion must be.
fn check_contract(p: &Project, doc: &Document, got: &[Relation]) -> Result<(), TestCaseError> {
    let Some(kind) = p.relation_type_id(SPEAKER) else {
        prop_assert!(got.is_empty());
        return Ok(());
    };
    let ty = p.relation_type(kind).unwrap();
    let mut quotes = std::collections::HashSet::new();
    for r in got {
        prop_assert_eq!(r.kind(), kind);
        prop_assert!(doc.spans().contains(&r.from()) && doc.spans().contains(&r.to()));
        prop_assert!(ty.allows(&r.from(), &r.to()), "{:?}", r);
        prop_assert!(!doc.relations().contains(r), "{:?} is there", r);
        prop_assert!(!doc.rejected_relations().contains(r), "{:?} rejected", r);
        let has_speaker = doc
            .relations()
            .iter()
            .any(|x| x.from() == r.from() && x.kind() == kind);
        prop_assert!(!has_speaker, "{:?}: the quote has a speaker", r);
        prop_assert!(quotes.insert(r.from()), "two for one quote");
    }
    prop_assert!(got.windows(2).all(|w| w[0] < w[1]), "sorted");
    Ok(())
}

/// Pieces random texts are made of: names (spans or not), quotes (spans or not), cues,
/// pronouns, function words and marks, so that the rules answer often.
const WORDS: &[&str] = &[
    "said",
    "says",
    "told",
    "added",
    "according to",
    "he",
    "she",
    "the",
    "a",
    "of",
    "for",
    "who",
    ",",
    ".",
    ":",
    "'s",
    "saying",
    "Mr.",
    "\n",
    "and",
    "spokeswoman",
    "in",
    "asked",
    "?",
];
const NAMES: &[&str] = &["Anna Berg", "Red Cross", "Tariq Khan", "ministry", "Mardan"];
const QUOTES: &[&str] = &[
    "“We need trucks,”",
    "“Go.”",
    "\"No,\"",
    "“A,” he said, “b.”",
];
const CUES: &[&str] = &[
    "said",
    "said:",
    "told reporters:",
    "added.",
    "according to",
    "she said,",
];

/// Attributions with a name `N` and a quote `Q`.
const TEMPLATES: &[&str] = &[
    "Q said N.",
    "N said: Q",
    "Q N added.",
    "According to N, Q",
    "Q he said.",
    "N, a spokeswoman for N, said: Q",
];

/// One piece: a word, a cue, a name (label 0..5, 5 = no span), a quote (QUOTE span or
/// not), or an attribution (template, name, its label, quote, whether it is a span).
#[derive(Clone, Debug)]
enum Piece {
    Word(usize),
    Cue(usize),
    Name(usize, u32),
    Quote(usize, bool),
    Said(usize, usize, u32, usize, bool),
}

fn arb_piece() -> impl Strategy<Value = Piece> {
    let label = || prop_oneof![3 => Just(0u32), 2 => Just(2), 1 => 0u32..6];
    prop_oneof![
        3 => (0..WORDS.len()).prop_map(Piece::Word),
        1 => (0..CUES.len()).prop_map(Piece::Cue),
        2 => (0..NAMES.len(), label()).prop_map(|(n, l)| Piece::Name(n, l)),
        2 => (0..QUOTES.len(), any::<bool>()).prop_map(|(q, s)| Piece::Quote(q, s)),
        2 => (0..TEMPLATES.len(), 0..NAMES.len(), label(), 0..QUOTES.len(), prop_oneof![3 => Just(true), 1 => Just(false)])
            .prop_map(|(t, n, l, q, s)| Piece::Said(t, n, l, q, s)),
    ]
}

/// A piece's text and its spans (char offsets within it, label).
fn piece(p: &Piece) -> (String, Vec<(usize, usize, LabelId)>) {
    let one = |s: &str, label: Option<LabelId>| {
        let spans = label.map(|l| (0, s.chars().count(), l));
        (s.to_string(), spans.into_iter().collect())
    };
    match *p {
        Piece::Word(w) => one(WORDS[w], None),
        Piece::Cue(c) => one(CUES[c], None),
        Piece::Name(i, l) => one(NAMES[i], (l < 5).then_some(LabelId(l))),
        Piece::Quote(i, span) => one(QUOTES[i], span.then_some(QUOTE)),
        Piece::Said(t, n, l, q, span) => {
            let (mut text, mut spans) = (String::new(), Vec::new());
            for (k, c) in TEMPLATES[t].chars().enumerate() {
                let at = text.chars().count();
                let (s, label) = match c {
                    'N' => (NAMES[(n + k) % NAMES.len()], (l < 5).then_some(LabelId(l))),
                    'Q' => (QUOTES[q], span.then_some(QUOTE)),
                    _ => {
                        text.push(c);
                        continue;
                    }
                };
                text.push_str(s);
                if let Some(label) = label {
                    spans.push((at, at + s.chars().count(), label));
                }
            }
            (text, spans)
        }
    }
}

/// A document made of `pieces` with their spans plus `extra` random ones.
fn build(pieces: &[Piece], extra: &[(usize, usize, u32)]) -> Document {
    let (mut text, mut spans, mut n) = (String::new(), Vec::new(), 0);
    for p in pieces {
        let (s, marks) = piece(p);
        for (a, b, l) in marks {
            spans.push(Span::new(n + a, n + b, l).unwrap());
        }
        text.push_str(&s);
        text.push(' ');
        n += s.chars().count() + 1;
    }
    for &(s, len, l) in extra {
        if let Ok(span) = Span::new(s, (s + len).min(n), LabelId(l))
            && s < n
        {
            spans.push(span);
        }
    }
    Document::with_spans("d", text, spans).unwrap()
}

/// The project of `doc` whose SPEAKER allows `to`, with a second type (OTHER).
fn typed(doc: Document, to: Vec<LabelId>) -> Project {
    let black = crate::model::Rgb([0, 0, 0]);
    let types = vec![
        RelationType {
            name: SPEAKER.into(),
            color: black,
            hotkey: None,
            from: vec![QUOTE],
            to,
        },
        RelationType {
            name: "OTHER".into(),
            color: black,
            hotkey: None,
            from: vec![QUOTE],
            to: vec![PERSON, ORG, PLACE],
        },
    ];
    Project::with_types(default_labels(), types, vec![doc]).unwrap()
}

prop_compose! {
    /// A project as [`typed`], whose document has random relations and rejections: some
    /// of them the very suggestions it would get without them (rejected, linked as
    /// SPEAKER or linked as OTHER), so every check of the contract is reached.
    fn arb_project()(
        pieces in proptest::collection::vec(arb_piece(), 0..24),
        extra in proptest::collection::vec((0usize..200, 1usize..30, 0u32..5), 0..3),
        links in proptest::collection::vec((0usize..40, 0usize..40, 0u8..4), 0..6),
        fates in proptest::collection::vec(0u8..4, 8),
        to in prop_oneof![Just(vec![PERSON, ORG]), Just(vec![ORG]), Just(vec![PERSON, ORG, QUOTE])],
    ) -> Project {
        let doc = build(&pieces, &extra);
        let bare = typed(doc.clone(), to.clone());
        let wanted = suggest_speakers(&bare, &bare.documents()[0]);
        let all: Vec<Span> = doc.spans().iter().copied().collect();
        let mut chosen: Vec<(Relation, u8)> = wanted
            .iter()
            .zip(fates.iter().cycle())
            .map(|(r, &f)| (*r, f))
            .collect();
        for (a, b, f) in links {
            if let (Some(&x), Some(&y)) = (all.get(a), all.get(b))
                && let Ok(r) = Relation::new(x, y, RelationTypeId(0))
            {
                chosen.push((r, f));
            }
        }
        let (mut rels, mut rejected) = (Vec::new(), Vec::new());
        for (r, fate) in chosen {
            let other = Relation::new(r.from(), r.to(), RelationTypeId(1)).unwrap_or(r);
            let ok = |r: &Relation| bare.check_relation(r).is_ok();
            match fate {
                1 if ok(&r) => rejected.push(r),
                2 if ok(&r) => rels.push(r),
                3 if ok(&other) => rels.push(other),
                _ => {}
            }
        }
        for v in [&mut rels, &mut rejected] {
            v.sort();
            v.dedup();
        }
        let doc = doc.with_relations(rels).unwrap().with_rejected_relations(rejected).unwrap();
        typed(doc, to)
    }
}

proptest! {
    /// Whatever the spans, relations and rejections, every suggestion meets the contract
    /// (the oracle: [`check_contract`]), and the same project gives the same answer.
    #[test]
    fn suggestions_meet_the_contract(p in arb_project()) {
        let doc: &Document = &p.documents()[0];
        let got = suggest_speakers(&p, doc);
        check_contract(&p, doc, &got)?;
        prop_assert_eq!(&got, &suggest_speakers(&p, doc));
    }
}

/// The generator reaches what the property guards: documents whose quotes the rules
/// answer, and among them documents where an answer was rejected or linked (as SPEAKER
/// or as another type), so a missing check fails the property.
#[test]
fn the_property_reaches_answered_quotes() {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let (mut answered, mut rejected, mut linked) = (0, 0, 0);
    for _ in 0..256 {
        let p = arb_project().new_tree(&mut runner).unwrap().current();
        let doc: &Document = &p.documents()[0];
        let spans = doc.spans().iter().copied().collect();
        let fresh = Document::with_spans("d", doc.text().as_str(), spans).unwrap();
        let to = p.relation_type(RelationTypeId(0)).unwrap().to.clone();
        let bare = typed(fresh, to);
        let wanted = suggest_speakers(&bare, &bare.documents()[0]);
        answered += usize::from(!wanted.is_empty());
        rejected += usize::from(wanted.iter().any(|r| doc.rejected_relations().contains(r)));
        linked += usize::from(
            wanted
                .iter()
                .any(|r| doc.relations().iter().any(|x| x.from() == r.from())),
        );
    }
    assert!(
        answered > 96,
        "{answered} of 256 documents get a suggestion"
    );
    assert!(rejected > 40, "{rejected} of 256 have one rejected");
    assert!(linked > 60, "{linked} of 256 have one linked");
}

/// The property test reaches the cases it guards: rejections and existing speakers of
/// the quotes a rule answers, so dropping a check would fail it. Each rule's answer
/// rejected (or given as a relation) leaves nothing against the contract.
#[test]
fn the_contract_holds_where_a_rule_answers() {
    let text = "Anna Berg said: “We need trucks,” Tariq Khan added. “Go,” she said.";
    let marks = [
        ("Anna Berg", PERSON),
        ("“We need trucks,”", QUOTE),
        ("Tariq Khan", PERSON),
        ("“Go,”", QUOTE),
    ];
    let p = project(text, &marks);
    let doc: &Document = &p.documents()[0];
    let first = suggest_speakers(&p, doc);
    assert_eq!(first.len(), 2);
    for r in &first {
        for d in [
            doc.clone().with_rejected_relations([*r]).unwrap(),
            doc.clone().with_relations([*r]).unwrap(),
        ] {
            let p2 = p.with_same_labels(vec![d]).unwrap();
            let d2 = &p2.documents()[0];
            let got = suggest_speakers(&p2, d2);
            check_contract(&p2, d2, &got).unwrap();
        }
    }
}
