//! Speaker suggestions on a hand-labelled sample: `tests/speakers/quotes-sample.ron` holds
//! the text of `quotes-sample.txt` (a short flood report) with its QUOTE, PERSON, ORG,
//! PLACE and DATE spans and its gold SPEAKER relations, all written by hand. Two quotes
//! (the farmer's) have no gold speaker: their speaker, "a farmer from Mardan", is no span,
//! and the Associated Press he told it to is the hearer. For those, no suggestion is right.

use std::path::Path;

use spanmark::model::suggest::speakers::{SpeakerSuggestion, explain_speakers};
use spanmark::model::{Document, Project, Relation, Span};

/// The sample project with its gold relations.
fn gold() -> Project {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/speakers/quotes-sample.ron");
    spanmark::io::load_project(&path).expect("the sample loads")
}

/// The same document without relations.
fn bare(p: &Project) -> Project {
    let doc = &p.documents()[0];
    let spans: Vec<Span> = doc.spans().iter().copied().collect();
    let d = Document::with_spans(doc.name.clone(), doc.text().as_str(), spans).expect("doc");
    p.with_same_labels(vec![d]).expect("project")
}

#[test]
fn every_quote_of_the_sample_gets_its_speaker() {
    let gold = gold();
    let doc = &gold.documents()[0];
    let want: Vec<Relation> = doc.relations().iter().copied().collect();
    assert_eq!(want.len(), 5, "the gold has five speakers");
    let p = bare(&gold);
    let got: Vec<SpeakerSuggestion> = explain_speakers(&p, &p.documents()[0]);
    let quote = gold.label_id("QUOTE").expect("QUOTE");
    let quotes: Vec<Span> = doc
        .spans()
        .iter()
        .filter(|s| s.label() == quote)
        .copied()
        .collect();
    assert_eq!(quotes.len(), 7);
    let mut right = 0;
    for q in &quotes {
        let gold_speaker = want.iter().find(|r| r.from() == *q).map(|r| r.to());
        let suggested = got.iter().find(|s| s.relation.from() == *q);
        let said = suggested.map(|s| s.relation.to());
        let text = |s: Option<Span>| s.map_or("-", |s| doc.span_text(&s));
        eprintln!(
            "{:<60} gold: {:<26} suggested: {:<26} {}",
            doc.span_text(q),
            text(gold_speaker),
            text(said),
            suggested.map_or("", |s| s.why.as_str())
        );
        right += usize::from(gold_speaker == said);
    }
    eprintln!("{right} of {} quotes right", quotes.len());
    // Every shape in the sample is handled: all seven.
    assert_eq!(right, quotes.len());
    let relations: Vec<Relation> = got.iter().map(|s| s.relation).collect();
    assert_eq!(relations, want);
}

/// With the gold relations in place there is nothing left to suggest.
#[test]
fn the_gold_leaves_nothing_to_suggest() {
    let gold = gold();
    assert!(explain_speakers(&gold, &gold.documents()[0]).is_empty());
}

/// The issue's own example, on the bundled article (not seen while writing the rules):
/// "… and he said Afghanistan's independence … remain non-negotiable", an indirect
/// quote, said by Zabihullah Mujahid two sentences earlier; Donald Trump is an earlier
/// PERSON and the Taliban an ORG right before the name.
#[test]
fn the_issue_example_on_the_bundled_article() {
    let text = include_str!("../assets/bagram.txt");
    let at = |needle: &str| {
        let b = text.find(needle).expect("in the article");
        let s = text[..b].chars().count();
        (s, s + needle.chars().count())
    };
    let labels = spanmark::model::default_labels();
    let id = |name: &str| {
        let i = labels.iter().position(|l| l.name == name).expect("label");
        spanmark::model::LabelId::from_index(i).expect("id")
    };
    let span = |(s, e): (usize, usize), label: &str| Span::new(s, e, id(label)).expect("span");
    let trump = span(at("Donald Trump"), "PERSON");
    let mujahid = span(at("Zabihullah Mujahid"), "PERSON");
    let quote = span(
        at("Afghanistan's independence and territorial integrity remain non-negotiable"),
        "QUOTE",
    );
    assert_eq!(
        (quote.start(), quote.end(), mujahid.start(), mujahid.end()),
        (843, 917, 652, 670)
    );
    let (taliban, _) = at("Taliban spokesman");
    let org = Span::new(taliban, taliban + "Taliban".len(), id("ORG")).expect("span");
    let spans = vec![org, trump, mujahid, quote];
    let doc = Document::with_spans("bagram", text, spans).expect("doc");
    let p = Project::new(labels, vec![doc]).expect("project");
    let got = explain_speakers(&p, &p.documents()[0]);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].relation.from(), quote);
    assert_eq!(got[0].relation.to(), mujahid);
    assert_eq!(
        got[0].why,
        "cue 'said' before the quote, 'he' taken as the last PERSON before it"
    );
}
