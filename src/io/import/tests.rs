//! Import tests: every format through `import_paths`, hostile input included.
use super::*;
use crate::model::default_labels;

fn write(dir: &Path, name: &str, content: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, content).unwrap();
    p
}

#[test]
fn jsonl_doccano_and_spacy_forms() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "in.jsonl",
        "{\"id\": 7, \"text\": \"👨‍👩‍👧 in 東京\", \"label\": [[9, 11, \"PLACE\"]]}\n\n\
         {\"text\": \"Zabihullah Mujahid\", \"entities\": [{\"start_offset\": 0, \"end_offset\": 18, \"label\": \"SPOKESMAN\"}]}\n",
    );
    let imp = import_paths(&[p], default_labels(), ImportOptions::default()).unwrap();
    assert_eq!(imp.documents.len(), 2);
    assert_eq!(imp.documents[0].name, "7");
    let s = imp.documents[0].spans().iter().next().copied().unwrap();
    assert_eq!(imp.documents[0].span_text(&s), "東京");
    assert_eq!(imp.documents[1].name, "in-3");
    assert_eq!(imp.labels.len(), 6);
    assert_eq!(imp.labels[5].name, "SPOKESMAN");
    assert_eq!(imp.labels[5].hotkey, Some('6'));
}

/// A record with both `label` and `entities` kept `label` and dropped the entities
/// without a word. Now: agreeing (or one empty) they are read once; differing, the
/// record is an error naming its line.
#[test]
fn label_and_entities_together() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "both.jsonl",
        "{\"text\": \"Kabul Doha\", \"label\": [[0, 5, \"PLACE\"]], \"entities\": [[0, 5, \"PLACE\"]]}\n\
         {\"text\": \"Kabul Doha\", \"label\": [], \"entities\": [[6, 10, \"PLACE\"]]}\n",
    );
    let imp = import_paths(&[p], default_labels(), ImportOptions::default()).unwrap();
    assert_eq!(imp.documents[0].spans().len(), 1);
    assert_eq!(imp.documents[1].spans().len(), 1);
    let p = write(
        dir.path(),
        "differ.jsonl",
        "{\"text\": \"a\"}\n{\"text\": \"Kabul Doha\", \"label\": [[0, 5, \"PLACE\"]], \"entities\": [[6, 10, \"PLACE\"]]}\n",
    );
    let e = import_paths(&[p], default_labels(), ImportOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("differ.jsonl")
            && e.contains("line 2")
            && e.contains("both \"label\" and \"entities\""),
        "{e}"
    );
}

/// A label the formats cannot hold is an error naming the file, line and label.
#[test]
fn bad_label_names_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    for (name, label) in [("nl.jsonl", "a\\nb"), ("tab.jsonl", "NEW LABEL\\tX")] {
        let p = write(
            dir.path(),
            name,
            &format!(
                "{{\"text\": \"ab\"}}\n{{\"text\": \"ab\", \"label\": [[0, 1, \"{label}\"]]}}\n"
            ),
        );
        let e = import_paths(&[p], default_labels(), ImportOptions::default())
            .unwrap_err()
            .to_string();
        assert!(
            e.contains(name) && e.contains("line 2") && e.contains(&format!("\"{label}\"")),
            "{e}"
        );
    }
    let p = write(
        dir.path(),
        "e.jsonl",
        "{\"text\": \"ab\", \"label\": [[0, 1, \"\"]]}\n",
    );
    let e = import_paths(&[p], default_labels(), ImportOptions::default()).unwrap_err();
    assert!(e.to_string().contains("needs a name"), "{e}");
}

/// A new label past the last id is an error, not a wrapped id naming another label.
#[test]
fn too_many_labels_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "many.jsonl",
        "{\"text\": \"ab\", \"label\": [[0, 1, \"L0\"], [0, 2, \"NEW\"]]}\n",
    );
    let labels: Vec<Label> = (0..usize::from(u16::MAX))
        .map(|i| Label {
            name: format!("L{i}"),
            color: PALETTE[0],
            hotkey: None,
        })
        .collect();
    let e = import_paths(&[p], labels, ImportOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("many.jsonl") && e.contains("line 1") && e.contains("too many labels"),
        "{e}"
    );
}

#[test]
fn jsonl_errors_name_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "bad.jsonl",
        "{\"text\": \"ok\", \"label\": []}\n{\"text\": \"abc\", \"label\": [[0, 9, \"X\"]]}\n{oops\n",
    );
    let e = import_paths(
        std::slice::from_ref(&p),
        default_labels(),
        ImportOptions::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("bad.jsonl") && e.contains("line 2") && e.contains("past the text"),
        "{e}"
    );
    let imp = import_paths(
        &[p],
        default_labels(),
        ImportOptions {
            skip_bad: true,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(imp.documents.len(), 1);
    assert_eq!(imp.skipped.len(), 2);
    assert!(imp.skipped[1].contains("line 3") && imp.skipped[1].contains("malformed JSON"));
}

#[test]
fn brat_pairs_fragments_and_mismatch() {
    let dir = tempfile::tempdir().unwrap();
    let txt = write(dir.path(), "d.txt", "New\nYork and 🇦🇫 Kabul");
    let ann = write(
        dir.path(),
        "d.ann",
        "T1\tPLACE 0 3;4 8\tNew York\nT2\tPLACE 16 21\tKabul\n#1\tAnnotatorNotes T1\tx\n",
    );
    let imp = import_paths(
        &[txt.clone(), ann.clone()],
        default_labels(),
        ImportOptions::default(),
    )
    .unwrap();
    assert_eq!(imp.documents.len(), 1);
    let doc = &imp.documents[0];
    let texts: Vec<&str> = doc.spans().iter().map(|s| doc.span_text(s)).collect();
    assert_eq!(texts, ["New", "York", "Kabul"]);
    // The note on the discontinuous T1 goes to both of its fragments.
    let noted: Vec<&str> = doc.notes().map(|(_, n)| n).collect();
    assert_eq!(noted, ["x", "x"]);
    assert_eq!(imp.notes.len(), 1, "{:?}", imp.notes);
    write(dir.path(), "d.ann", "T1\tPLACE 15 20\tKabul\n");
    let e = import_paths(&[ann], default_labels(), ImportOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("d.ann") && e.contains("line 1") && e.contains("does not match"),
        "{e}"
    );
}

/// brat counts a BOM as char 0: with no text column to check, the offsets must still
/// land on the right words once the BOM is dropped.
#[test]
fn brat_bom_counts_as_a_char() {
    let dir = tempfile::tempdir().unwrap();
    let txt = write(dir.path(), "b.txt", "\u{feff}New York");
    let ann = write(dir.path(), "b.ann", "T1\tPLACE 1 4\nT2\tPLACE 5 9\n");
    let imp = import_paths(&[txt, ann], default_labels(), ImportOptions::default()).unwrap();
    let doc = &imp.documents[0];
    assert_eq!(doc.text().as_str(), "New York");
    let texts: Vec<&str> = doc.spans().iter().map(|s| doc.span_text(s)).collect();
    assert_eq!(texts, ["New", "York"]);
}

/// The span texts of the one document imported from `txt` and `ann`.
fn span_texts(txt: &std::path::Path, ann: std::path::PathBuf) -> Vec<String> {
    let imp = import_paths(
        &[txt.to_path_buf(), ann],
        default_labels(),
        ImportOptions::default(),
    )
    .unwrap();
    let doc = &imp.documents[0];
    doc.spans()
        .iter()
        .map(|s| doc.span_text(s).to_string())
        .collect()
}

/// With quoted texts, both readings are tried: brat's (BOM counted) first, then
/// offsets counted without the BOM, as some tools write them.
#[test]
fn brat_bom_offsets_checked_against_both_readings() {
    let dir = tempfile::tempdir().unwrap();
    let txt = write(dir.path(), "q.txt", "\u{feff}New York");
    let ann = write(
        dir.path(),
        "q.ann",
        "T1\tPLACE 1 4\tNew\nT2\tPLACE 5 9\tYork\n",
    );
    assert_eq!(span_texts(&txt, ann), ["New", "York"]);
    let ann = write(
        dir.path(),
        "q.ann",
        "T1\tPLACE 0 3\tNew\nT2\tPLACE 4 8\tYork\n",
    );
    assert_eq!(span_texts(&txt, ann), ["New", "York"]);
    // Neither reading fits: an error naming the line.
    let ann = write(dir.path(), "q.ann", "T1\tPLACE 2 5\tNew\n");
    let e = import_paths(&[txt, ann], default_labels(), ImportOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("q.ann") && e.contains("line 1") && e.contains("does not match"),
        "{e}"
    );
}

fn note_of<'a>(doc: &'a Document, text: &str) -> Option<&'a str> {
    let span = doc.spans().iter().find(|s| doc.span_text(s) == text)?;
    doc.note(span)
}

#[test]
fn jsonl_notes_are_read_and_must_name_a_span() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "n.jsonl",
        "{\"text\": \"Kabul and 東京\", \"label\": [[0, 5, \"PLACE\"], [10, 12, \"PLACE\"]], \
         \"notes\": [[10, 12, \"PLACE\", \"say \\\"Tokyo\\\"\\n👍🏽\"], [10, 12, \"PLACE\", \"again\"]]}\n",
    );
    let imp = import_paths(&[p], default_labels(), ImportOptions::default()).unwrap();
    let doc = &imp.documents[0];
    assert_eq!(note_of(doc, "東京"), Some("say \"Tokyo\"\n👍🏽\nagain"));
    assert_eq!(note_of(doc, "Kabul"), None);
    for bad in [
        "[[0, 5, \"PERSON\", \"x\"]]",
        "[[0, 4, \"PLACE\", \"x\"]]",
        "[[0, 5, \"NEW\", \"x\"]]",
        "[[0, 5, \"PLACE\"]]",
        "{}",
    ] {
        let p = write(
            dir.path(),
            "bad.jsonl",
            &format!("{{\"text\": \"Kabul\", \"label\": [[0, 5, \"PLACE\"]], \"notes\": {bad}}}\n"),
        );
        let e = import_paths(&[p], default_labels(), ImportOptions::default())
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("bad.jsonl") && e.contains("line 1"),
            "{bad}: {e}"
        );
    }
}

#[test]
fn brat_notes_unescaped_and_unknown_targets_refused() {
    let dir = tempfile::tempdir().unwrap();
    let txt = write(dir.path(), "b.txt", "Kabul and 東京");
    let ann = write(
        dir.path(),
        "b.ann",
        "#1\tAnnotatorNotes T2\tline\\none\\ttab \\\\ \"q\" 👍🏽\nT1\tPLACE 0 5\tKabul\n\
         T2\tPLACE 10 12\t東京\nR1\tnear Arg1:T1 Arg2:T2\n#2\tAnnotatorNotes R1\tnot a span\n",
    );
    let imp = import_paths(
        &[txt.clone(), ann.clone()],
        default_labels(),
        ImportOptions::default(),
    )
    .unwrap();
    let doc = &imp.documents[0];
    assert_eq!(note_of(doc, "東京"), Some("line\none\ttab \\ \"q\" 👍🏽"));
    assert_eq!(doc.note_count(), 1);
    // The relation is read (a new type, `near`); its note is not a span's.
    assert_eq!(doc.relations().len(), 1);
    assert_eq!(imp.relation_types[0].name, "near");
    assert!(imp.notes[0].contains("1 line(s)"), "{:?}", imp.notes);
    write(
        dir.path(),
        "b.ann",
        "T1\tPLACE 0 5\tKabul\n#1\tAnnotatorNotes T9\tx\n",
    );
    let e = import_paths(&[txt, ann], default_labels(), ImportOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("b.ann") && e.contains("line 2") && e.contains("T9"),
        "{e}"
    );
}

#[test]
fn text_split_lines_keeps_crlf_otherwise() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "t.txt", "\u{feff}one\r\n\r\ntwo\r\n");
    let imp = import_paths(
        std::slice::from_ref(&p),
        default_labels(),
        ImportOptions::default(),
    )
    .unwrap();
    assert_eq!(imp.documents[0].text().as_str(), "one\r\n\r\ntwo\r\n");
    let imp = import_paths(
        &[p],
        default_labels(),
        ImportOptions {
            split_lines: true,
            ..Default::default()
        },
    )
    .unwrap();
    let names: Vec<&str> = imp.documents.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, ["t-1", "t-3"]);
    assert_eq!(imp.documents[1].text().as_str(), "two");
}

/// The relations of the one document, as (type, from text, to text).
fn relation_texts(imp: &Imported) -> Vec<(String, String, String)> {
    let doc = &imp.documents[0];
    doc.relations()
        .iter()
        .map(|r| {
            (
                imp.relation_types[r.kind().0 as usize].name.clone(),
                doc.span_text(&r.from()).to_string(),
                doc.span_text(&r.to()).to_string(),
            )
        })
        .collect()
}

/// doccano's relation extraction layout, as its own example writes it (any integer ids,
/// relation ids or none), and string ids.
#[test]
fn jsonl_relation_layout_keeps_the_relations() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "re.jsonl",
        "{\"text\": \"Google was founded on September 4, 1998, by Larry Page.\", \
         \"entities\": [{\"id\": 1662, \"start_offset\": 0, \"end_offset\": 6, \"label\": \"ORG\"}, \
         {\"id\": 7, \"start_offset\": 22, \"end_offset\": 39, \"label\": \"DATE\"}, \
         {\"id\": 3, \"start_offset\": 44, \"end_offset\": 54, \"label\": \"PERSON\"}], \
         \"relations\": [{\"id\": 0, \"from_id\": 1662, \"to_id\": 7, \"type\": \"foundedAt\"}, \
         {\"from_id\": 1662, \"to_id\": 3, \"type\": \"foundedBy\"}, \
         {\"id\": 9, \"from_id\": 1662, \"to_id\": 3, \"type\": \"foundedBy\"}]}\n\
         {\"text\": \"“No,” 東京 said.\", \"entities\": [{\"id\": \"q\", \"start_offset\": 0, \
         \"end_offset\": 5, \"label\": \"QUOTE\"}, {\"id\": \"s\", \"start_offset\": 6, \
         \"end_offset\": 8, \"label\": \"ORG\"}], \"relations\": [{\"from_id\": \"q\", \
         \"to_id\": \"s\", \"type\": \"SPEAKER\"}]}\n",
    );
    let imp = import_paths(&[p], default_labels(), ImportOptions::default()).unwrap();
    assert_eq!(
        relation_texts(&imp),
        [
            (
                "foundedAt".into(),
                "Google".into(),
                "September 4, 1998".into()
            ),
            ("foundedBy".into(), "Google".into(), "Larry Page".into()),
        ]
    );
    // The repeat is read once, and said so.
    assert!(
        imp.notes
            .iter()
            .any(|n| n.contains("line 1: 1 relation(s) given twice")),
        "{:?}",
        imp.notes
    );
    let doc = &imp.documents[1];
    let r = doc.relations().iter().next().unwrap();
    assert_eq!(
        (doc.span_text(&r.from()), doc.span_text(&r.to())),
        ("“No,”", "東京")
    );
    // A new project: SPEAKER as the default has it (QUOTE to PERSON or ORG), the
    // others as their relations need.
    let project = imp.into_project().unwrap();
    let speaker = project
        .relation_type(project.relation_type_id("SPEAKER").unwrap())
        .unwrap();
    assert_eq!(
        speaker,
        &crate::model::relation::default_relation_types(&default_labels())[0]
    );
    let founded_by = project
        .relation_type(project.relation_type_id("foundedBy").unwrap())
        .unwrap();
    assert_eq!(
        (founded_by.from.clone(), founded_by.to.clone()),
        (vec![LabelId(2)], vec![LabelId(0)])
    );
}

/// Broken relations in JSONL: an error naming the file, the line and what is wrong;
/// under --skip-bad the record is skipped and listed. Never a panic.
#[test]
fn jsonl_relation_hostile_input() {
    let dir = tempfile::tempdir().unwrap();
    let ents = "[{\"id\": 0, \"start_offset\": 0, \"end_offset\": 5, \"label\": \"QUOTE\"}, \
                {\"id\": 1, \"start_offset\": 6, \"end_offset\": 8, \"label\": \"PERSON\"}]";
    let rel = |from: &str, to: &str, kind: &str| {
        format!("[{{\"from_id\": {from}, \"to_id\": {to}, \"type\": {kind}}}]")
    };
    let cases: Vec<(String, String, &str)> = vec![
        (
            ents.into(),
            rel("0", "9", "\"SPEAKER\""),
            "9 is not the id of one of the record's entities",
        ),
        (
            ents.into(),
            rel("18446744073709551616", "1", "\"SPEAKER\""),
            "is not the id of one",
        ),
        (
            ents.into(),
            rel("-1", "1", "\"SPEAKER\""),
            "-1 is not the id of one",
        ),
        (ents.into(), rel("0", "0", "\"SPEAKER\""), "to itself"),
        (
            ents.into(),
            rel("0", "1", "\"SAID BY\""),
            "relation type \"SAID BY\" cannot be used",
        ),
        (
            ents.into(),
            rel("0", "1", "\"\""),
            "a relation type needs a name",
        ),
        (ents.into(), rel("0", "1", "7"), "bad relation"),
        (
            ents.into(),
            "[{\"from\": 0, \"to\": 1}]".into(),
            "bad relation",
        ),
        (
            ents.into(),
            "{\"from_id\": 0}".into(),
            "\"relations\" must be a list",
        ),
        (
            ents.replace("\"id\": 1", "\"id\": 0"),
            rel("0", "1", "\"SPEAKER\""),
            "entity id 0 is given twice",
        ),
        (
            ents.replace("\"id\": 1", "\"id\": true"),
            rel("0", "1", "\"SPEAKER\""),
            "entity id true is neither an integer nor a string",
        ),
        (
            "[[0, 5, \"QUOTE\"], [6, 8, \"PERSON\"]]".into(),
            rel("0", "1", "\"SPEAKER\""),
            "0 is not the id of one",
        ),
    ];
    for (entities, relations, want) in cases {
        let p = write(
            dir.path(),
            "bad.jsonl",
            &format!(
                "{{\"text\": \"ok\"}}\n{{\"text\": \"“No,” Mo said.\", \"entities\": {entities}, \
                 \"relations\": {relations}}}\n"
            ),
        );
        let e = import_paths(
            std::slice::from_ref(&p),
            default_labels(),
            ImportOptions::default(),
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("bad.jsonl") && e.contains("line 2") && e.contains(want),
            "{want}: {e}"
        );
        let opts = ImportOptions {
            skip_bad: true,
            ..Default::default()
        };
        let imp = import_paths(&[p], default_labels(), opts).unwrap();
        assert_eq!((imp.documents.len(), imp.skipped.len()), (1, 1), "{want}");
    }
    // A number too large for JSON's doubles is JSON's own error, on its line.
    let p = write(
        dir.path(),
        "huge.jsonl",
        &format!(
            "{{\"text\": \"ab\", \"entities\": {ents}, \"relations\": [{{\"from_id\": 1e400}}]}}\n"
        ),
    );
    let e = import_paths(&[p], default_labels(), ImportOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("huge.jsonl") && e.contains("line 1") && e.contains("malformed JSON"),
        "{e}"
    );
}

/// brat: R lines become relations (roles by name when both are named), and the
/// folder's annotation.conf gives the labels, in its order, and the relation types.
#[test]
fn brat_relations_and_annotation_conf_are_read() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "annotation.conf",
        "[entities]\nQUOTE\nPERSON\nORG\nUNUSED\n[relations]\nSPEAKER Arg1:QUOTE, Arg2:PERSON|ORG\n\
         <OVERLAP> Arg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>\n[events]\n[attributes]\n",
    );
    let txt = write(dir.path(), "d.txt", "“No,” Mo said.\n“Yes,” 東京 said.");
    let ann = write(
        dir.path(),
        "d.ann",
        "T1\tQUOTE 0 5\t“No,”\nT2\tPERSON 6 8\tMo\nT3\tQUOTE 15 21\t“Yes,”\nT4\tPLACE 22 24\t東京\n\
         R1\tSPEAKER Arg1:T1 Arg2:T2\nR2\tSPEAKER Arg2:T2 Arg1:T3\nR3\tSPEAKER Arg1:T1 Arg2:T2\n\
         R4\tNEAR Arg1:T4 Arg2:T2\nR5\tCause Arg1:E1 Arg2:T2\n",
    );
    let imp = import_paths(&[txt, ann], vec![], ImportOptions::default()).unwrap();
    let names: Vec<&str> = imp.labels.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(names, ["QUOTE", "PERSON", "ORG", "UNUSED", "PLACE"]);
    assert_eq!(
        relation_texts(&imp),
        [
            ("SPEAKER".into(), "“No,”".into(), "Mo".into()),
            ("SPEAKER".into(), "“Yes,”".into(), "Mo".into()),
            ("NEAR".into(), "東京".into(), "Mo".into()),
        ]
    );
    let speaker = &imp.relation_types[0];
    assert_eq!(
        (speaker.from.clone(), speaker.to.clone()),
        (vec![LabelId(0)], vec![LabelId(1), LabelId(2)])
    );
    let notes = imp.notes.join("\n");
    assert!(notes.contains("1 relation(s) given twice"), "{notes}");
    assert!(
        notes.contains("labels PLACE and relation types NEAR not in annotation.conf"),
        "{notes}"
    );
    assert!(notes.contains("1 line(s) other than entities"), "{notes}");
}

/// Broken R lines and annotation.conf files: an error naming the file and line; under
/// --skip-bad the line (or the conf) is skipped and listed. Never a panic.
#[test]
fn brat_relation_hostile_input() {
    let dir = tempfile::tempdir().unwrap();
    let txt = write(dir.path(), "d.txt", "“No,” Mo said.");
    let head = "T1\tQUOTE 0 5\t“No,”\nT2\tPERSON 6 8\tMo\n";
    for (r_line, want) in [
        (
            "R1\tSPEAKER Arg1:T1 Arg2:T9",
            "R1 refers to T9, which no T line defines",
        ),
        (
            "R1\tSPEAKER Arg1:T1 Arg2:T99999999999999999999999999",
            "which no T line defines",
        ),
        ("R1\tSPEAKER Arg1:T1", "exactly two arguments"),
        (
            "R1\tSPEAKER Arg1:T1 Arg2:T2 Arg3:T1",
            "exactly two arguments",
        ),
        ("R1\tSPEAKER Arg1:T1 Arg1:T2", "two different roles"),
        ("R1\tSPEAKER Arg1:T1 Arg2:", "two different roles"),
        ("R1\tSPEAKER Arg1-T1 Arg2-T2", "expected `R<n><TAB>TYPE"),
        ("R1", "expected `R<n><TAB>TYPE"),
        ("R1\t", "expected `R<n><TAB>TYPE"),
        ("R1\tSPEAKER Arg1:T1 Arg2:T1", "R1 links T1 to itself"),
        (
            "R1\tSPEAKER Arg1:T2 Arg2:T1",
            "SPEAKER does not link PERSON to QUOTE",
        ),
    ] {
        write(
            dir.path(),
            "annotation.conf",
            "[entities]\nQUOTE\nPERSON\n[relations]\nSPEAKER Arg1:QUOTE, Arg2:PERSON\n",
        );
        let ann = write(dir.path(), "d.ann", &format!("{head}{r_line}\n"));
        let paths = [txt.clone(), ann];
        let e = import_paths(&paths, default_labels(), ImportOptions::default())
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("d.ann") && e.contains("line 3") && e.contains(want),
            "{r_line}: {e}"
        );
        let opts = ImportOptions {
            skip_bad: true,
            ..Default::default()
        };
        let imp = import_paths(&paths, default_labels(), opts).unwrap();
        assert_eq!(imp.documents[0].spans().len(), 2, "{r_line}");
        assert!(imp.documents[0].relations().is_empty(), "{r_line}");
        assert_eq!(imp.skipped.len(), 1, "{r_line}: {:?}", imp.skipped);
    }
    // A bad annotation.conf: an error naming it and its line; skipped, the .ann imports.
    let ann = write(
        dir.path(),
        "d.ann",
        &format!("{head}R1\tSPEAKER Arg1:T1 Arg2:T2\n"),
    );
    for (conf, line, want) in [
        (
            "[relations]\nSPEAKER Arg1:QUOTE\n",
            2,
            "expected two arguments",
        ),
        (
            "[relations]\nSPEAKER Arg1 QUOTE, Arg2:PERSON\n",
            2,
            "not ROLE:TYPE",
        ),
        ("[entities]\nQUOTE\n\u{7}BELL\n", 3, "control character"),
        (
            "[relations]\nSAID\tBY Arg1:QUOTE, Arg2:PERSON\n",
            2,
            "not ROLE:TYPE",
        ),
    ] {
        write(dir.path(), "annotation.conf", conf);
        let paths = [txt.clone(), ann.clone()];
        let e = import_paths(&paths, default_labels(), ImportOptions::default())
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("annotation.conf")
                && e.contains(&format!("line {line}"))
                && e.contains(want),
            "{conf:?}: {e}"
        );
        let opts = ImportOptions {
            skip_bad: true,
            ..Default::default()
        };
        let imp = import_paths(&paths, default_labels(), opts).unwrap();
        assert_eq!(imp.documents[0].relations().len(), 1);
        assert_eq!(imp.skipped.len(), 1);
    }
}
