//! Tests of the project file: layout, round trips, notes, rejections, settings,
//! disagreements, hostile input.

use super::*;
use crate::model::suggest::{RuleKind, RuleSet, SuggestSettings};
use crate::model::{Disagreement, Document, Edit, LabelId, Span, Status, Workspace};
use std::path::PathBuf;

fn sample() -> Project {
    let mut w = Workspace::new(Project::with_documents(vec![
        Document::new(
            "bagram",
            "Taliban spokesman Zabihullah Mujahid said \"no\".\nKabul",
        ),
        Document::new("emoji", "👨‍👩‍👧 in 東京, مرحبا e\u{301}\t\r\nend"),
    ]));
    let ids: Vec<_> = w.project().documents().iter().map(|d| d.id()).collect();
    let add = |doc: usize, s, e, l| Edit::AddSpan {
        doc: ids[doc],
        span: Span::new(s, e, LabelId(l)).unwrap(),
    };
    w.apply(
        "x",
        vec![
            add(0, 18, 36, 0),
            add(0, 0, 7, 2),
            add(0, 0, 47, 4),
            add(0, 48, 53, 1),
            add(1, 0, 5, 0),
            add(1, 9, 11, 1),
            Edit::SetStatus {
                doc: ids[1],
                status: Status::InProgress,
            },
        ],
    )
    .unwrap();
    w.project().clone()
}

fn to_string(p: &Project) -> String {
    let mut buf = Vec::new();
    write_project(p, &mut buf).unwrap();
    String::from_utf8(buf).unwrap()
}

fn path() -> PathBuf {
    PathBuf::from("test.ron")
}

/// What counts as a project when an export would replace a file.
#[test]
fn project_files_are_recognised_by_their_start() {
    let saved = to_string(&sample());
    assert!(starts_like_project(&saved));
    assert!(starts_like_project(&saved[..20]), "a truncated project too");
    for yes in [
        "\u{feff}(version: 1, labels: [])",
        "// notes\n/* x */ FileIn ( /* y */ labels : [",
        "(documents: [",
        "#![enable(implicit_some)]\n(version: 1",
    ] {
        assert!(starts_like_project(yes), "{yes:?}");
    }
    for no in [
        "",
        "{\"id\": 1, \"text\": \"(version: 1\"}",
        "Taliban -X- _ B-ORG",
        "document,start,end,label,text,note",
        "(x: 1)",
        "[\"O\", \"B-PER\"]",
    ] {
        assert!(!starts_like_project(no), "{no:?}");
    }
}

/// A document's place in a split project is written only when it has one, and
/// read back; other files are written as before.
#[test]
fn split_index_is_optional() {
    assert!(!to_string(&sample()).contains("split_index"));
    let split = crate::model::merge::split(&sample(), 1, 0.0);
    let s = to_string(&split.projects[0]);
    assert!(
        // The sample's first span made its first document "in progress".
        s.contains("status: in_progress,\n      split_index: Some(0),\n"),
        "{s}"
    );
    let back = parse_project(&s, &path()).unwrap();
    assert_eq!(back, split.projects[0]);
    assert_eq!(back.documents()[1].split_index, Some(1));
}

/// A project file saved with a UTF-8 BOM (some Windows editors add one) opens.
#[test]
fn a_bom_is_read_past() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bom.ron");
    let text = to_string(&sample());
    std::fs::write(&path, format!("\u{feff}{text}")).unwrap();
    assert_eq!(load_project(&path).unwrap(), sample());
    assert!(is_project_file(&path));
    assert!(!is_project_file(&dir.path().join("missing.ron")));
}

#[test]
fn roundtrip_and_layout() {
    let p = sample();
    let s = to_string(&p);
    assert!(s.starts_with("(\n  version: 1,"), "{s}");
    assert!(
        s.contains("\n        (start: 18, end: 36, label: \"PERSON\"),\n"),
        "{s}"
    );
    assert!(s.contains("status: in_progress"), "{s}");
    assert_eq!(parse_project(&s, &path()).unwrap(), p);
    // Saving what was loaded is byte-identical.
    assert_eq!(to_string(&parse_project(&s, &path()).unwrap()), s);
}

/// Labels keep their ids when moved, so spans of one range (and rejections) would sort
/// by creation order; the file keeps them in the labels' order, as a file read back
/// (ids are places again) writes them: save, load, save is byte-identical.
#[test]
fn spans_of_one_range_follow_the_label_order_after_a_move() {
    let mut w = Workspace::new(Project::with_documents(vec![Document::new("d", "Kabul")]));
    let doc = w.project().documents()[0].id();
    let span = |l| Span::new(0, 5, LabelId(l)).unwrap();
    w.apply(
        "x",
        vec![
            Edit::AddSpan { doc, span: span(1) },
            Edit::AddSpan { doc, span: span(2) },
            Edit::Reject { doc, span: span(3) },
            Edit::Reject { doc, span: span(4) },
            // ORG above PLACE, QUOTE above DATE.
            Edit::MoveLabel {
                id: LabelId(2),
                to: 0,
            },
            Edit::MoveLabel {
                id: LabelId(4),
                to: 1,
            },
        ],
    )
    .unwrap();
    let s = to_string(w.project());
    let org = s.find("label: \"ORG\"").unwrap();
    let place = s.find("label: \"PLACE\"").unwrap();
    assert!(org < place, "{s}");
    let quote = s.find("label: \"QUOTE\"").unwrap();
    let date = s.find("label: \"DATE\"").unwrap();
    assert!(quote < date, "{s}");
    assert_eq!(to_string(&parse_project(&s, &path()).unwrap()), s);
}

/// Notes with quotes, line breaks, tabs, backslashes and emoji survive a save and
/// load; a span without a note is written exactly as before notes existed.
#[test]
fn notes_roundtrip_and_are_left_out_when_empty() {
    let mut w = Workspace::new(sample());
    let spans = w.project().documents()[0].spans().as_slice().to_vec();
    let tricky = "say \"no\",\nthen\r\n\tleft\\ 👨‍👩‍👧 🇦🇫 e\u{301}";
    w.apply(
        "notes",
        vec![
            Edit::SetNote {
                doc: w.project().documents()[0].id(),
                span: spans[0],
                note: Some(tricky.to_string()),
            },
            Edit::SetNote {
                doc: w.project().documents()[1].id(),
                span: w.project().documents()[1].spans().as_slice()[1],
                note: Some("日本語のメモ".to_string()),
            },
        ],
    )
    .unwrap();
    let p = w.project().clone();
    let s = to_string(&p);
    // One span per line still, the note escaped inside it.
    let line = s.lines().find(|l| l.contains("note:")).unwrap();
    assert!(
        line.trim_start()
            .starts_with("(start: 0, end: 47, label: \"QUOTE\", note: \""),
        "{line}"
    );
    assert_eq!(s.matches("note:").count(), 2, "{s}");
    assert!(
        s.contains("(start: 18, end: 36, label: \"PERSON\"),\n"),
        "{s}"
    );
    let back = parse_project(&s, &path()).unwrap();
    assert_eq!(back, p);
    assert_eq!(back.documents()[0].note(&spans[0]), Some(tricky));
    assert_eq!(to_string(&back), s);
    // A file without notes is byte for byte what it was.
    assert!(!to_string(&sample()).contains("note"));
}

/// Rejections and suggestion settings survive a save and load; a project without them
/// is written byte for byte as before, and a file without them opens with defaults.
#[test]
fn suggest_fields_roundtrip_and_are_optional() {
    let plain = to_string(&sample());
    assert!(
        !plain.contains("rejected") && !plain.contains("suggest"),
        "{plain}"
    );
    let mut w = Workspace::new(sample());
    let settings = SuggestSettings {
        learned: false,
        ignore_case: true,
        rule_sets: vec![
            RuleSet {
                name: "orgs.jsonl".into(),
                kind: RuleKind::Patterns,
                enabled: true,
                source: "{\"label\": \"ORG\", \"pattern\": \"Doha \\\"Agreement\"}\n".into(),
                default_label: None,
            },
            RuleSet {
                name: "places.tsv".into(),
                kind: RuleKind::Dictionary,
                enabled: false,
                source: "# places\nKabul\n東京\n".into(),
                default_label: Some("PLACE".into()),
            },
        ],
        ..SuggestSettings::default()
    };
    w.apply(
        "x",
        vec![
            Edit::Reject {
                doc: w.project().documents()[0].id(),
                span: Span::new(48, 53, LabelId(0)).unwrap(),
            },
            Edit::Reject {
                doc: w.project().documents()[1].id(),
                span: Span::new(0, 2, LabelId(3)).unwrap(),
            },
            Edit::SetSuggestSettings(settings.clone()),
        ],
    )
    .unwrap();
    let p = w.project().clone();
    let s = to_string(&p);
    assert!(
        s.contains("rejected: [\n        (start: 48, end: 53, label: \"PERSON\"),"),
        "{s}"
    );
    let back = parse_project(&s, &path()).unwrap();
    assert_eq!(back, p);
    assert_eq!(back.suggest_settings(), &settings);
    assert_eq!(to_string(&back), s);
    // Sequential and parallel parses agree on the new fields.
    let par = crate::io::project::split::parse_parallel(&s, &path(), 3).unwrap();
    assert_eq!(par, p);
    assert_eq!(par.suggest_settings(), &settings);
    // Undo to the defaults: the file is what it was.
    w.undo().unwrap();
    assert_eq!(to_string(w.project()), plain);
    // A rejection naming an unknown label is an error naming the place.
    let bad = s.replace(
        "label: \"PERSON\"),\n      ]",
        "label: \"ALIEN\"),\n      ]",
    );
    let e = err(&bad);
    assert!(e.contains("rejected 1") && e.contains("ALIEN"), "{e}");
}

#[test]
fn a_note_on_a_span_is_read_from_the_span_line() {
    let src =
        valid_with("(start: 18, end: 36, label: \"PERSON\", note: \"checked \\\"twice\\\"\")");
    let p = parse_project(&src, &path()).unwrap();
    let d = &p.documents()[0];
    let span = d.spans().iter().find(|s| s.start() == 18).unwrap();
    assert_eq!(d.note(span), Some("checked \"twice\""));
    // An empty note is no note.
    let src = valid_with("(start: 18, end: 36, label: \"PERSON\", note: \"\")");
    assert_eq!(parse_project(&src, &path()).unwrap(), sample());
}

#[test]
fn save_load_file() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("p.ron");
    save_project(&sample(), &f).unwrap();
    assert_eq!(load_project(&f).unwrap(), sample());
}

fn err(src: &str) -> String {
    parse_project(src, &path()).unwrap_err().to_string()
}

fn valid_with(span: &str) -> String {
    to_string(&sample()).replacen("(start: 18, end: 36, label: \"PERSON\")", span, 1)
}

#[test]
fn broken_files_give_clear_errors() {
    let e = err("(version: 1, labels: [");
    assert!(e.starts_with("test.ron:1:"), "{e}");
    let e = err(&valid_with("(start: 18, end: 3600, label: \"PERSON\")"));
    assert!(
        e.contains("span 3:") && e.contains("outside the text"),
        "{e}"
    );
    let e = err(&valid_with("(start: 18, end: 18, label: \"PERSON\")"));
    assert!(e.contains("empty"), "{e}");
    let e = err(&valid_with("(start: 18, end: 36, label: \"ALIEN\")"));
    assert!(e.contains("\"ALIEN\" is not defined"), "{e}");
    let e = err(&valid_with("(start: -1, end: 36, label: \"PERSON\")"));
    assert!(e.starts_with("test.ron:"), "{e}");
    let e = err(&to_string(&sample()).replace("version: 1", "version: 2"));
    assert!(e.contains("newer spanmark"), "{e}");
    let e = err("(version: 7, stuff: [1, 2], labels: 3)");
    assert!(e.contains("newer spanmark"), "{e}");
    let e = err(&to_string(&sample()).replace("version: 1", "version: 0"));
    assert!(e.contains("unknown file version 0"), "{e}");
    let e = err(&to_string(&sample()).replace("#e69f00", "orange"));
    assert!(e.contains("not #rrggbb"), "{e}");
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let e = err(&deep);
    assert!(e.starts_with("test.ron:1:"), "{e}");
    let dup = to_string(&sample()).replacen("name: \"PLACE\"", "name: \"PERSON\"", 1);
    assert!(err(&dup).contains("defined twice"));
}

#[test]
fn stamps_match_what_is_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("p.ron");
    let saved = save_project_stamped(&sample(), &f).unwrap();
    assert_eq!(DiskStamp::read(&f).unwrap(), Some(saved));
    let (p, loaded) = load_project_stamped(&f).unwrap();
    assert_eq!(p, sample());
    assert_eq!(loaded, saved);
    assert_eq!(
        loaded.check(&f).unwrap(),
        crate::io::disk::DiskState::Unchanged
    );
}

#[test]
fn file_errors_name_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("missing.ron");
    assert!(
        load_project(&f)
            .unwrap_err()
            .to_string()
            .contains("missing.ron")
    );
    let bin = dir.path().join("bin.ron");
    std::fs::write(&bin, [0u8, 159, 146, 150]).unwrap();
    let e = load_project(&bin).unwrap_err().to_string();
    assert!(e.contains("bin.ron") && e.contains("not UTF-8"), "{e}");
}

pub(crate) mod proptests {
    use super::*;
    use crate::model::{Label, LabelId, PALETTE};
    use proptest::prelude::*;

    /// Random projects: any Unicode text (with line breaks), labels with odd names, spans
    /// that nest and overlap, any status.
    pub(crate) fn arb_project() -> impl Strategy<Value = Project> {
        let labels = proptest::collection::btree_set("[A-Za-z_-]{1,8}|[^\\s\\p{C}]{1,4}", 1..5);
        let docs = proptest::collection::vec(
            (
                "\\PC{0,8}",
                "(\\PC|\\n|\\r\\n|\\t){0,120}",
                proptest::collection::vec((0usize..200, 1usize..40, 0u32..5), 0..12),
                0usize..3,
                proptest::collection::vec(
                    proptest::option::of("(\\PC|\\n|\\r|\\t|\\\\|\"){1,20}"),
                    0..12,
                ),
                proptest::collection::vec((0usize..12, 0usize..12, any::<bool>()), 0..6),
            ),
            0..4,
        );
        (labels, docs).prop_map(|(names, docs)| {
            let labels: Vec<Label> = names
                .into_iter()
                .enumerate()
                .map(|(i, name)| Label {
                    name,
                    color: PALETTE[i % PALETTE.len()],
                    hotkey: char::from_digit(i as u32 + 1, 10),
                })
                .collect();
            let n_labels = labels.len() as u32;
            let mut names = std::collections::HashSet::new();
            let documents = docs
                .into_iter()
                .map(|(name, text, raw, status, notes, links)| {
                    // Names are unique within a project.
                    let name = crate::model::unique_name(&name, |n| names.contains(n));
                    names.insert(name.clone());
                    let len = text.chars().count();
                    let spans = raw
                        .into_iter()
                        .filter(|&(s, _, _)| s < len)
                        .map(|(s, l, lab)| {
                            Span::new(s, (s + l).min(len), LabelId(lab % n_labels)).unwrap()
                        })
                        .collect();
                    let mut d = Document::with_spans(name, text, spans).unwrap();
                    // Notes on some spans: any text, line breaks and quotes included.
                    let notes: Vec<(Span, String)> = d
                        .spans()
                        .iter()
                        .zip(&notes)
                        .filter_map(|(s, n)| n.clone().map(|n| (*s, n)))
                        .collect();
                    d = d.with_notes(notes).unwrap();
                    d.status = Status::ALL[status];
                    // Relations of either type between some of its spans.
                    let spans = d.spans().as_slice().to_vec();
                    let mut seen = std::collections::HashSet::new();
                    for (a, b, first) in links {
                        if spans.is_empty() {
                            break;
                        }
                        let (x, y) = (spans[a % spans.len()], spans[b % spans.len()]);
                        let kind = crate::model::RelationTypeId(u32::from(
                            !first || x.label() != LabelId(0),
                        ));
                        if let Ok(r) = crate::model::Relation::new(x, y, kind)
                            && seen.insert(r)
                        {
                            d = d.with_relations([r]).unwrap();
                        }
                    }
                    d
                })
                .collect();
            // "FROM_FIRST" links the first label to any; "LINK" any to any.
            let all: Vec<LabelId> = (0..n_labels).map(LabelId).collect();
            let types = vec![
                crate::model::RelationType {
                    name: "FROM_FIRST".into(),
                    color: PALETTE[3],
                    hotkey: Some('f'),
                    from: vec![LabelId(0)],
                    to: all.clone(),
                },
                crate::model::RelationType {
                    name: "LINK".into(),
                    color: PALETTE[4],
                    hotkey: None,
                    from: all.clone(),
                    to: all,
                },
            ];
            Project::with_types(labels, types, documents).unwrap()
        })
    }

    proptest! {
        #[test]
        fn save_then_load_is_identity(project in arb_project()) {
            let mut buf = Vec::new();
            write_project(&project, &mut buf).unwrap();
            let text = String::from_utf8(buf).unwrap();
            prop_assert_eq!(parse_project(&text, Path::new("p.ron")).unwrap(), project);
        }
    }
}

/// Disagreements in the file (team merge): optional per document, one line each.
mod disagreement_tests {
    use super::*;
    use crate::model::{LabelId, default_labels};
    use proptest::prelude::*;

    fn sp(s: usize, e: usize, l: u32) -> Span {
        Span::new(s, e, LabelId(l)).unwrap()
    }

    fn to_string(p: &Project) -> String {
        let mut buf = Vec::new();
        write_project(p, &mut buf).unwrap();
        String::from_utf8(buf).unwrap()
    }

    fn with_disagreement() -> Project {
        let doc = Document::with_spans("d", "Ashraf Ghani left Kabul.", vec![sp(18, 23, 1)])
            .unwrap()
            .with_disagreements(vec![Disagreement {
                start: 0,
                end: 12,
                versions: vec![
                    ("ours".into(), vec![sp(0, 12, 0)]),
                    ("theirs".into(), vec![]),
                ],
                relations: Vec::new(),
            }])
            .unwrap();
        Project::new(default_labels(), vec![doc, Document::new("e", "plain")]).unwrap()
    }

    #[test]
    fn roundtrip_one_line_each_and_absent_when_none() {
        let p = with_disagreement();
        let s = to_string(&p);
        assert!(
            s.contains(
                "\n      disagreements: [\n        (start: 0, end: 12, versions: [(by: \"ours\", spans: [(start: 0, end: 12, label: \"PERSON\")]), (by: \"theirs\", spans: [])]),\n      ],\n"
            ),
            "{s}"
        );
        // Only the document that has some writes the field.
        assert_eq!(s.matches("disagreements").count(), 1, "{s}");
        let back = parse_project(&s, Path::new("t.ron")).unwrap();
        assert_eq!(back, p);
        assert_eq!(to_string(&back), s);
    }

    /// Issue 20 decides a quote's bounds and a name inside it apart; a file from before
    /// holds them as one region, which opens as it is (one decision) and saves byte for
    /// byte.
    #[test]
    fn a_combined_disagreement_from_before_opens_whole() {
        let old = "(\n  version: 1,\n  labels: [\n    (\n      name: \"PERSON\",\n      color: \"#e69f00\",\n    ),\n    (\n      name: \"ORG\",\n      color: \"#009e73\",\n    ),\n    (\n      name: \"QUOTE\",\n      color: \"#cc79a7\",\n    ),\n  ],\n  documents: [\n    (\n      name: \"d\",\n      status: todo,\n      text: \"Ashraf Ghani met Amrullah Saleh in Kabul on Monday.\",\n      spans: [],\n      disagreements: [\n        (start: 0, end: 49, versions: [(by: \"alice\", spans: [(start: 0, end: 40, label: \"QUOTE\"), (start: 17, end: 30, label: \"PERSON\")]), (by: \"bob\", spans: [(start: 0, end: 49, label: \"QUOTE\"), (start: 17, end: 30, label: \"ORG\")])]),\n      ],\n    ),\n  ],\n)\n";
        let p = parse_project(old, Path::new("old.ron")).unwrap();
        let ds = p.documents()[0].disagreements();
        assert_eq!(ds.len(), 1);
        assert_eq!((ds[0].start, ds[0].end), (0, 49));
        assert_eq!(ds[0].versions[0].1.len(), 2);
        assert_eq!(to_string(&p), old);
    }

    #[test]
    fn files_without_disagreements_are_unchanged() {
        // An old file (no field at all) opens, and saves byte for byte as it was.
        let old = "(\n  version: 1,\n  labels: [\n    (\n      name: \"PERSON\",\n      color: \"#e69f00\",\n    ),\n  ],\n  documents: [\n    (\n      name: \"d\",\n      status: todo,\n      text: \"Ashraf\",\n      spans: [\n        (start: 0, end: 6, label: \"PERSON\"),\n      ],\n    ),\n  ],\n)\n";
        let p = parse_project(old, Path::new("old.ron")).unwrap();
        assert!(p.documents()[0].disagreements().is_empty());
        assert_eq!(to_string(&p), old);
    }

    #[test]
    fn bad_disagreements_are_named() {
        let s = to_string(&with_disagreement());
        let e = parse_project(
            &s.replace(
                "by: \"ours\", spans: [(start: 0, end: 12, label: \"PERSON\")",
                "by: \"ours\", spans: [(start: 0, end: 12, label: \"ALIEN\")",
            ),
            Path::new("t.ron"),
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("disagreement 1") && e.contains("\"ALIEN\""),
            "{e}"
        );
        let e = parse_project(
            &s.replace(
                "(start: 0, end: 12, versions",
                "(start: 0, end: 99, versions",
            ),
            Path::new("t.ron"),
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.starts_with("t.ron: ") && e.contains("outside the text"),
            "{e}"
        );
    }

    proptest! {
        /// Any project, with a disagreement over each pair of neighbouring spans, survives
        /// a save and load, sequential and parallel.
        #[test]
        fn disagreements_roundtrip(project in super::proptests::arb_project()) {
            let docs = project.documents().iter().map(|d| {
                let spans = d.spans().as_slice();
                let list = spans.windows(2).filter_map(|w| Disagreement::covering(vec![
                    ("a".into(), vec![w[0]]),
                    ("b".into(), vec![w[1], w[0]]),
                    ("c".into(), vec![]),
                ])).collect();
                Document::clone(d).with_disagreements(list).unwrap()
            }).collect();
            let project = project.with_same_labels(docs).unwrap();
            let text = to_string(&project);
            prop_assert_eq!(&parse_project_sequential(&text, Path::new("p.ron")).unwrap(), &project);
            let parallel = crate::io::project::split::parse_parallel(&text, Path::new("p.ron"), 2);
            prop_assert_eq!(parallel.as_ref(), Some(&project));
        }
    }
}

mod relations;

#[test]
fn the_label_map_roundtrips_is_optional_and_checked() {
    use crate::model::suggest::LabelMap;
    let plain = to_string(&sample());
    assert!(!plain.contains("label_map"));
    let mut map = LabelMap::new();
    map.set("NORP", Some("ORG".into()));
    map.set("CARDINAL", None);
    let p = sample().with_suggest_settings(SuggestSettings {
        label_map: map.clone(),
        ..SuggestSettings::default()
    });
    let s = to_string(&p);
    let entries = "(\"CARDINAL\", \"\"),\n      (\"NORP\", \"ORG\"),";
    assert!(s.contains(&format!("label_map: [\n      {entries}")), "{s}");
    let back = parse_project(&s, &path()).unwrap();
    assert_eq!(back.suggest_settings().label_map, map);
    assert_eq!(to_string(&back), s);
    let par = crate::io::project::split::parse_parallel(&s, &path(), 3).unwrap();
    assert_eq!(par.suggest_settings().label_map, map);

    // Hostile maps: an error naming the file and the entry, never a panic.
    let with = |hostile: &str| s.replace(entries, hostile);
    let long = format!("(\"{}\", \"ORG\")", "X".repeat(100_000));
    let many = (0..1001)
        .map(|i| format!("(\"L{i}\", \"\")"))
        .collect::<Vec<_>>()
        .join(", ");
    for (entries, expected) in [
        ("(\"GPE\", \"PLACE\"), (\"GPE\", \"\")", "mapped twice"),
        ("(\"\", \"PLACE\")", "the label before = is missing"),
        ("(\"A=B\", \"PLACE\")", "more than one ="),
        (long.as_str(), "longer than 200"),
        (many.as_str(), "at most 1000"),
    ] {
        let text = with(entries);
        let e = parse_project(&text, &path()).unwrap_err().to_string();
        assert!(e.contains(expected), "{expected}: {e}");
        assert!(e.contains("suggest.label_map"), "{e}");
        assert!(e.contains(path().to_str().unwrap()), "{e}");
        assert!(e.len() < 1000, "{}", e.len());
        // The parallel parse leaves any doubt to the whole-file parse above.
        assert!(crate::io::project::split::parse_parallel(&text, &path(), 3).is_none());
    }
}
