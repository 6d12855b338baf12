use super::*;
use crate::model::search::find_all;
use crate::model::{Document, Workspace};
use proptest::prelude::*;

fn slice(s: &str, (a, b): (usize, usize)) -> String {
    s.chars().skip(a).take(b - a).collect()
}

#[test]
fn text_and_regex_give_char_offsets() {
    let text = "👨‍👩‍👧 Kabul, KABUL; kabul — Кабул Kabul";
    let f = Finder::new("kabul", false, false).unwrap();
    let (r, more) = f.find(text, 100);
    assert!(!more);
    let found: Vec<String> = r.iter().map(|&x| slice(text, x)).collect();
    assert_eq!(found, ["Kabul", "KABUL", "kabul", "Kabul"]);
    let f = Finder::new(r"k\w+", true, false).unwrap();
    let (r, _) = f.find(text, 100);
    let found: Vec<String> = r.iter().map(|&x| slice(text, x)).collect();
    // Unicode case folding in the regex: Кабул starts with a Cyrillic К, not a K.
    assert_eq!(found, ["Kabul", "KABUL", "kabul", "Kabul"]);
    let f = Finder::new(r"Каб\w", true, true).unwrap();
    let (r, _) = f.find(text, 100);
    assert_eq!(r.len(), 1);
    assert_eq!(slice(text, r[0]), "Кабу");
    // Empty matches are skipped; the non-empty ones are kept.
    let f = Finder::new("x*", true, true).unwrap();
    assert_eq!(f.find("ab xx c", 10).0, [(3, 5)]);
}

#[test]
fn hostile_patterns_are_clear_errors_in_bounded_time() {
    assert_eq!(Finder::new("", true, false).unwrap_err(), FindError::Empty);
    let e = Finder::new("(unclosed", true, false).unwrap_err();
    let msg = e.to_string();
    assert!(msg.starts_with("Not a valid regular expression:"), "{msg}");
    assert!(!msg.contains('\n'), "{msg}");
    assert!(msg.contains("unclosed"), "{msg}");
    // Plain text is never parsed as a regex.
    assert!(Finder::new("(unclosed", false, false).is_ok());
    // Compiles to far more than the size limit: refused at once.
    let t = std::time::Instant::now();
    let e = Finder::new(r"\w{1000}{1000}", true, false).unwrap_err();
    assert!(e.to_string().contains("size limit"), "{e}");
    assert!(t.elapsed() < std::time::Duration::from_secs(5));
    let long = "a".repeat(MAX_PATTERN + 1);
    assert_eq!(
        Finder::new(&long, false, false).unwrap_err(),
        FindError::TooLong(MAX_PATTERN + 1)
    );
}

#[test]
fn results_are_capped_and_say_so() {
    let docs: Vec<Document> = (0..5)
        .map(|i| Document::new(format!("d{i}"), "ab ".repeat(10)))
        .collect();
    let f = Finder::new("ab", false, true).unwrap();
    let all = find_everywhere(&f, docs.iter().map(|d| (d.id(), d.text().as_str())), 100);
    assert_eq!(
        (all.hits.len(), all.truncated, all.searched),
        (50, false, 5)
    );
    // Exactly as many as the cap: not "first N".
    let exact = find_everywhere(&f, docs.iter().map(|d| (d.id(), d.text().as_str())), 50);
    assert_eq!((exact.hits.len(), exact.truncated), (50, false));
    let capped = find_everywhere(&f, docs.iter().map(|d| (d.id(), d.text().as_str())), 25);
    assert_eq!((capped.hits.len(), capped.truncated), (25, true));
    assert_eq!(capped.hits[24].doc, docs[2].id());
    assert_eq!(capped.hits[24], all.hits[24]);
    let f = Finder::new("a", true, true).unwrap();
    let capped = find_everywhere(&f, docs.iter().map(|d| (d.id(), d.text().as_str())), 10);
    assert_eq!((capped.hits.len(), capped.truncated), (10, true));
}

#[test]
fn snippets_fit_one_row() {
    let t = Text::new("First line.\n\nThe   Taliban said\tthings here.".to_string());
    let s = snippet(&t, 19, 26, 8);
    assert_eq!(
        (s.before.as_str(), s.matched.as_str(), s.after.as_str()),
        ("…The ", "Taliban", " said th…")
    );
    let s = snippet(&t, 0, 5, 100);
    assert_eq!((s.before.as_str(), s.matched.as_str()), ("", "First"));
    assert!(!s.after.ends_with('…'));
    let long = Text::new("x".repeat(1000));
    let s = snippet(&long, 0, 1000, 10);
    assert_eq!(s.matched.chars().count(), 41);
    assert!(s.matched.ends_with('…'));
}

#[test]
fn labelling_results_is_one_step_and_skips_same_label_overlaps() {
    let p = Project::with_documents(vec![
        Document::new("a", "Kabul and Kabul and Kabul"),
        Document::new("b", "to Kabul"),
    ]);
    let (a, b) = (p.documents()[0].id(), p.documents()[1].id());
    let place = p
        .label_entries()
        .find(|(_, l)| l.name == "PLACE")
        .unwrap()
        .0;
    let person = p
        .label_entries()
        .find(|(_, l)| l.name == "PERSON")
        .unwrap()
        .0;
    let mut w = Workspace::new(p);
    // One match already a PLACE (a longer span overlapping it), one a PERSON.
    w.apply(
        "x",
        vec![
            Edit::AddSpan {
                doc: a,
                span: Span::new(8, 15, place).unwrap(),
            },
            Edit::AddSpan {
                doc: a,
                span: Span::new(20, 25, person).unwrap(),
            },
        ],
    )
    .unwrap();
    let before = w.project().clone();
    let f = Finder::new("kabul", false, false).unwrap();
    let docs = w.project().documents().iter();
    let found = find_everywhere(&f, docs.map(|d| (d.id(), d.text().as_str())), MAX_RESULTS);
    assert_eq!(found.hits.len(), 4);
    let r = label_results(w.project(), &found.hits, place);
    assert_eq!((r.added, r.skipped, r.edits.len()), (3, 1, 2));
    w.apply("label results", r.edits).unwrap();
    let spans = |d| {
        w.project()
            .document(d)
            .unwrap()
            .spans()
            .iter()
            .map(|s| (s.start(), s.end(), s.label()))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        spans(a),
        [
            (0, 5, place),
            (8, 15, place),
            (20, 25, person),
            (20, 25, place)
        ]
    );
    assert_eq!(spans(b), [(3, 8, place)]);
    // One undo step takes all of them back.
    w.undo().unwrap();
    assert_eq!(w.project(), &before);
    // Again: everything is taken now.
    w.redo().unwrap();
    let r = label_results(w.project(), &found.hits, place);
    assert_eq!((r.added, r.skipped, r.edits.len()), (0, 4, 0));
    // Hand-built hits: overlapping ones, a gone document, past the end.
    let hits = [
        Hit {
            doc: b,
            start: 0,
            end: 2,
        },
        Hit {
            doc: b,
            start: 1,
            end: 2,
        },
        Hit {
            doc: b,
            start: 7,
            end: 99,
        },
        Hit {
            doc: Document::new("gone", "x").id(),
            start: 0,
            end: 1,
        },
    ];
    let r = label_results(w.project(), &hits, person);
    assert_eq!((r.added, r.skipped), (1, 3));
}

proptest! {
    /// An escaped regex finds what plain text search finds (case-sensitive), and with
    /// case ignored on ASCII too; offsets are chars.
    #[test]
    fn regex_of_a_literal_matches_text_search(
        text in "[aAb東👍é ]{0,40}",
        needle in "[aAb東👍é]{1,3}",
        match_case in any::<bool>(),
    ) {
        let plain = Finder::new(&needle, false, match_case).unwrap();
        let re = Finder::new(&regex::escape(&needle), true, match_case).unwrap();
        let (p, _) = plain.find(&text, MAX_RESULTS);
        let (r, _) = re.find(&text, MAX_RESULTS);
        prop_assert_eq!(&p, &find_all(&text, &needle, match_case).ranges);
        prop_assert_eq!(p, r);
    }
}
