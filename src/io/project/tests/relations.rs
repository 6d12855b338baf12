//! Relations in the file: one per line, spans by range and label, the type by name;
//! relation types only when they differ from the default for the labels.

use super::*;
use crate::model::{Relation, RelationType, RelationTypeId, Workspace};

const TEXT: &str = "“Kabul is calm,” said Zabihullah Mujahid.";

fn quoted() -> Project {
    let (quote, person) = (
        Span::new(0, 16, LabelId(4)).unwrap(),
        Span::new(22, 40, LabelId(0)).unwrap(),
    );
    let r = Relation::new(quote, person, RelationTypeId(0)).unwrap();
    let doc = Document::with_spans("d", TEXT, vec![quote, person])
        .unwrap()
        .with_relations([r])
        .unwrap();
    Project::new(crate::model::default_labels(), vec![doc]).unwrap()
}

#[test]
fn a_relation_is_one_line_and_default_types_are_left_out() {
    let p = quoted();
    let s = to_string(&p);
    assert!(
        s.contains(
            "      relations: [\n        (from: (start: 0, end: 16, label: \"QUOTE\"), to: (start: 22, end: 40, label: \"PERSON\"), label: \"SPEAKER\"),\n      ],\n"
        ),
        "{s}"
    );
    assert!(!s.contains("relation_types"), "{s}");
    let back = parse_project(&s, &path()).unwrap();
    assert_eq!(back, p);
    assert_eq!(to_string(&back), s);
    // A rejected relation suggestion: its own list, one per line, read back.
    let mut w = Workspace::new(p.clone());
    let doc = w.project().documents()[0].id();
    let r = *p.documents()[0].relations().iter().next().unwrap();
    w.apply(
        "reject",
        vec![
            Edit::RemoveRelation { doc, relation: r },
            Edit::RejectRelation { doc, relation: r },
        ],
    )
    .unwrap();
    let s = to_string(w.project());
    assert!(
        s.contains("      rejected_relations: [\n        (from: (start: 0, end: 16, label: \"QUOTE\"), to: (start: 22, end: 40, label: \"PERSON\"), label: \"SPEAKER\"),\n      ],\n"),
        "{s}"
    );
    assert_eq!(&parse_project(&s, &path()).unwrap(), w.project());
    // Without relations, nothing about them is written.
    let bare = Project::new(
        crate::model::default_labels(),
        vec![Document::new("d", TEXT)],
    )
    .unwrap();
    assert!(!to_string(&bare).contains("relation"));
}

#[test]
fn changed_types_are_written_and_read_back() {
    let mut w = Workspace::new(quoted());
    let speaker = w.project().relation_types()[0].clone();
    w.apply(
        "types",
        vec![
            Edit::SetRelationType {
                id: RelationTypeId(0),
                kind: RelationType {
                    name: "SAID_BY".into(),
                    hotkey: Some('s'),
                    ..speaker
                },
            },
            w.project()
                .add_relation_types_edit(vec![RelationType {
                    name: "ABOUT".into(),
                    color: crate::model::PALETTE[1],
                    hotkey: None,
                    from: vec![LabelId(4)],
                    to: vec![LabelId(1)],
                }])
                .0,
        ],
    )
    .unwrap();
    let s = to_string(w.project());
    assert!(
        s.contains("  relation_types: [\n    (\n      name: \"SAID_BY\",\n      color: \"#333399\",\n      key: Some('s'),\n"),
        "{s}"
    );
    assert!(s.contains("      name: \"ABOUT\","), "{s}");
    assert!(s.contains("label: \"SAID_BY\")"), "{s}");
    let back = parse_project(&s, &path()).unwrap();
    assert_eq!(back, *w.project());
    assert_eq!(to_string(&back), s);
    // No types at all is written too (an empty list is not the default).
    let mut w = Workspace::new(quoted());
    let edits = w.project().delete_relation_type_edits(RelationTypeId(0));
    w.apply("delete", edits).unwrap();
    let s = to_string(w.project());
    assert!(s.contains("relation_types: [],"), "{s}");
    assert!(
        parse_project(&s, &path())
            .unwrap()
            .relation_types()
            .is_empty()
    );
}

/// Every broken relation is an error naming the file, the document and the relation.
#[test]
fn broken_relations_are_errors_naming_where() {
    let good = to_string(&quoted());
    let line = "(from: (start: 0, end: 16, label: \"QUOTE\"), to: (start: 22, end: 40, label: \"PERSON\"), label: \"SPEAKER\")";
    for (bad, says) in [
        (
            line.replace("\"SPEAKER\")", "\"WHO\")"),
            "relation type \"WHO\" is not defined",
        ),
        (
            line.replace("label: \"PERSON\"", "label: \"ALIEN\""),
            "label \"ALIEN\" is not defined",
        ),
        (
            line.replace("start: 22, end: 40", "start: 21, end: 40"),
            "no span 21..40",
        ),
        (
            line.replace(
                "(start: 22, end: 40, label: \"PERSON\")",
                "(start: 0, end: 16, label: \"QUOTE\")",
            ),
            "itself",
        ),
        (format!("{line},\n        {line}"), "already exists"),
        (
            line.replace("label: \"PERSON\"), label", "label: \"QUOTE\"), label")
                .replace("start: 22, end: 40", "start: 0, end: 16")
                .replace(
                    "(from: (start: 0, end: 16, label: \"QUOTE\")",
                    "(from: (start: 22, end: 40, label: \"PERSON\")",
                ),
            "does not link PERSON to QUOTE",
        ),
    ] {
        let text = good.replace(line, &bad);
        assert_ne!(text, good, "{bad}");
        let e = parse_project(&text, &path()).unwrap_err().to_string();
        assert!(
            e.starts_with("test.ron: ")
                && e.contains("document 1 (\"d\"), relation")
                && e.contains(says),
            "{e}"
        );
    }
    // A type naming a label the file lacks.
    let text = good.replacen(
        "  documents: [",
        "  relation_types: [(name: \"X\", color: \"#000000\", from: [\"NOPE\"], to: [])],\n  documents: [",
        1,
    );
    let e = parse_project(&text, &path()).unwrap_err().to_string();
    assert!(
        e.contains("relation type \"X\": label \"NOPE\" is not defined"),
        "{e}"
    );
}

#[test]
fn a_disagreements_links_are_on_its_line_and_read_back() {
    // Both have the quote and Mujahid; only alice linked them (a gold file halfway).
    let p = quoted();
    let d = &p.documents()[0];
    let r = *d.relations().iter().next().unwrap();
    let dis = crate::model::Disagreement {
        start: 0,
        end: 16,
        versions: vec![("alice".into(), vec![]), ("bob".into(), vec![])],
        relations: Vec::new(),
    }
    .with_relations(vec![vec![r]]);
    let doc = Document::with_spans("d", TEXT, d.spans().as_slice().to_vec())
        .unwrap()
        .with_disagreements(vec![dis])
        .unwrap();
    let p = Project::new(crate::model::default_labels(), vec![doc]).unwrap();
    let s = to_string(&p);
    assert!(
        s.contains(
            "        (start: 0, end: 16, versions: [(by: \"alice\", spans: [], relations: [(from: (start: 0, end: 16, label: \"QUOTE\"), to: (start: 22, end: 40, label: \"PERSON\"), label: \"SPEAKER\")]), (by: \"bob\", spans: [])]),\n"
        ),
        "{s}"
    );
    let back = parse_project(&s, &path()).unwrap();
    assert_eq!(back, p);
    assert_eq!(to_string(&back), s);
    // A link of an unknown type is an error naming where it is.
    let e = parse_project(
        &s.replace("label: \"SPEAKER\")])", "label: \"CITES\")])"),
        &path(),
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("disagreement 1") && e.contains("\"alice\"'s relation 1") && e.contains("CITES"),
        "{e}"
    );
}
