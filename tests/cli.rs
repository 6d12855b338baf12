//! The command-line interface, run as a user would: the real binary, real files.

use std::path::Path;
use std::process::{Command, Output};

fn spanmark(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_spanmark"))
        .args(args)
        .output()
        .expect("spanmark runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A corpus that breaks naive offset handling: emoji (ZWJ family, flag, skin tone), CJK,
/// Arabic (RTL), combining marks, fullwidth letters, tabs and CRLF.
const CORPUS: &str = r#"{"id": "emoji", "text": "👨‍👩‍👧 and 🇦🇫 👍🏽 met Zabihullah Mujahid in Kabul.", "label": [[20, 38, "PERSON"], [42, 47, "PLACE"]]}
{"id": "cjk", "text": "東京で会議。北京も参加。", "label": [[0, 2, "PLACE"], [6, 8, "PLACE"]]}
{"id": "rtl", "text": "قال ذبيح الله مجاهد في كابول", "label": [[4, 19, "PERSON"], [23, 28, "PLACE"]]}
{"id": "marks", "text": "Cafe\u0301 in Zu\u0308rich, ＡＢＣ\tnews\r\nsaid \"ok\", twice.", "label": [[0, 5, "ORG"], [9, 16, "PLACE"], [18, 21, "ORG"], [22, 37, "QUOTE"], [34, 36, "DATE"]]}
"#;

fn write_corpus(dir: &Path) -> std::path::PathBuf {
    let p = dir.join("corpus.jsonl");
    std::fs::write(&p, CORPUS).unwrap();
    p
}

type Record = (String, String, Vec<(u64, u64, String)>);

fn read_jsonl(path: &Path) -> Vec<Record> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            let mut spans: Vec<(u64, u64, String)> = v["label"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| {
                    (
                        s[0].as_u64().unwrap(),
                        s[1].as_u64().unwrap(),
                        s[2].as_str().unwrap().to_string(),
                    )
                })
                .collect();
            spans.sort();
            (
                v["id"].as_str().unwrap().to_string(),
                v["text"].as_str().unwrap().to_string(),
                spans,
            )
        })
        .collect()
}

#[test]
fn jsonl_round_trip_is_exact() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = write_corpus(dir.path());
    let project = dir.path().join("p.ron");
    let out = spanmark(&[
        "import",
        corpus.to_str().unwrap(),
        "-o",
        project.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let exported = dir.path().join("out.jsonl");
    let out = spanmark(&[
        "export",
        project.to_str().unwrap(),
        "--format",
        "jsonl",
        "-o",
        exported.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(read_jsonl(&exported), read_jsonl(&corpus));
    // `export` also takes the JSONL itself, converting in one step.
    let direct = dir.path().join("direct.jsonl");
    let out = spanmark(&[
        "export",
        corpus.to_str().unwrap(),
        "-f",
        "jsonl",
        "-o",
        direct.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(read_jsonl(&direct), read_jsonl(&corpus));
    // The spans point at the intended text, as Python's text[start:end] would.
    let records = read_jsonl(&exported);
    let slice = |r: &Record, k: usize| -> String {
        let (s, e, _) = &r.2[k];
        r.1.chars()
            .skip(*s as usize)
            .take((e - s) as usize)
            .collect()
    };
    assert_eq!(slice(&records[0], 0), "Zabihullah Mujahid");
    assert_eq!(slice(&records[2], 0), "ذبيح الله مجاهد");
    assert_eq!(slice(&records[3], 0), "Cafe\u{301}");
    assert!(records[3].1.contains("\r\n"));
}

#[test]
fn every_format_exports_and_reports_what_it_drops() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = write_corpus(dir.path());
    let project = dir.path().join("p.ron");
    assert!(
        spanmark(&[
            "import",
            corpus.to_str().unwrap(),
            "-o",
            project.to_str().unwrap()
        ])
        .status
        .success()
    );
    for format in ["jsonl", "conll", "hf", "brat", "labelstudio", "csv"] {
        let target = dir.path().join(format!("out-{format}"));
        let out = spanmark(&[
            "export",
            project.to_str().unwrap(),
            "-f",
            format,
            "-o",
            target.to_str().unwrap(),
        ]);
        assert!(out.status.success(), "{format}: {}", stderr(&out));
        assert!(target.exists(), "{format}");
        let err = stderr(&out);
        if format == "conll" || format == "hf" {
            // The nested DATE inside the QUOTE cannot be held by a flat format.
            assert!(err.contains("1 not representable"), "{format}: {err}");
            assert!(err.contains("marks 34..36 DATE"), "{format}: {err}");
        } else {
            assert!(err.contains("0 not representable"), "{format}: {err}");
        }
    }
    assert!(dir.path().join("labels.json").exists());
    assert!(dir.path().join("out-brat/marks.ann").exists());
}

#[test]
fn stats_and_validate() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = write_corpus(dir.path());
    let project = dir.path().join("p.ron");
    spanmark(&[
        "import",
        corpus.to_str().unwrap(),
        "-o",
        project.to_str().unwrap(),
    ]);
    let out = spanmark(&["stats", project.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert!(text.contains("4 documents, 11 spans"), "{text}");
    assert!(
        text.contains("overlapping span pairs: 1 (1 nested)"),
        "{text}"
    );
    let out = spanmark(&["validate", project.to_str().unwrap()]);
    assert!(out.status.success());
    // A broken project: exit 1, the file and the problem named, no panic.
    let bad = dir.path().join("bad.ron");
    let src = std::fs::read_to_string(&project)
        .unwrap()
        .replacen("end: 2,", "end: 200,", 1);
    std::fs::write(&bad, src).unwrap();
    let out = spanmark(&["validate", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("bad.ron") && stderr(&out).contains("outside the text"));
}

#[test]
fn bad_input_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("x.txt");
    std::fs::write(&bin, [0xff, 0xfe, 0x00, 0x41]).unwrap();
    let bad_json = dir.path().join("b.jsonl");
    std::fs::write(
        &bad_json,
        "{\"text\": \"a\"}\n{\"text\": \"abc\", \"label\": [[1, 99, \"X\"]]}\n",
    )
    .unwrap();
    let out_ron = dir.path().join("o.ron");
    let o = out_ron.to_str().unwrap();
    for (args, needle) in [
        (vec!["import", bin.to_str().unwrap(), "-o", o], "not UTF-8"),
        (
            vec!["import", bad_json.to_str().unwrap(), "-o", o],
            "line 2",
        ),
        (
            vec!["export", "/nonexistent.ron", "-f", "csv", "-o", o],
            "nonexistent.ron",
        ),
        (vec!["validate", bin.to_str().unwrap()], "x.txt"),
    ] {
        let out = spanmark(&args);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(needle), "{args:?}: {}", stderr(&out));
    }
    // Nothing was half-written.
    assert!(!out_ron.exists());
    // --skip-bad imports what is good and lists what it skipped.
    let out = spanmark(&["import", bad_json.to_str().unwrap(), "--skip-bad", "-o", o]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("skipped:") && stderr(&out).contains("line 2"));
    assert!(out_ron.exists());
}

#[test]
fn help_documents_every_command() {
    let out = spanmark(&["--help"]);
    let text = String::from_utf8_lossy(&out.stdout);
    for cmd in ["export", "import", "stats", "validate"] {
        assert!(text.contains(cmd), "{text}");
    }
    let out = spanmark(&["export", "--help"]);
    let text = String::from_utf8_lossy(&out.stdout);
    for f in [
        "jsonl",
        "conll",
        "hf",
        "brat",
        "labelstudio",
        "csv",
        "bilou",
    ] {
        assert!(text.contains(f), "{text}");
    }
}

/// Options a format cannot use are refused with its name, not silently ignored; nothing
/// is written.
#[test]
fn export_refuses_labels_and_scheme_for_formats_without_them() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_corpus(dir.path());
    let input = input.to_str().unwrap();
    for format in ["jsonl", "brat", "labelstudio", "csv"] {
        let out = dir.path().join(format!("out-{format}"));
        let o = spanmark(&[
            "export",
            input,
            "--format",
            format,
            "--labels",
            "PERSON",
            "-o",
            out.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(1), "{format}");
        let e = stderr(&o);
        assert!(
            e.contains("--labels") && e.contains(format),
            "{format}: {e}"
        );
        assert!(!out.exists(), "{format}: nothing written");
        let o = spanmark(&[
            "export",
            input,
            "--format",
            format,
            "--scheme",
            "bilou",
            "-o",
            out.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(1), "{format}");
        assert!(stderr(&o).contains("--scheme"), "{format}: {}", stderr(&o));
    }
    // The token formats take both.
    let out = dir.path().join("people.conll");
    let o = spanmark(&[
        "export",
        input,
        "--format",
        "conll",
        "--scheme",
        "bilou",
        "--labels",
        "PERSON",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let conll = std::fs::read_to_string(&out).unwrap();
    assert!(conll.contains("U-PERSON") || conll.contains("B-PERSON"));
    assert!(!conll.contains("PLACE"));
}

/// An export never replaces a project (its input, another project, a `.bak`) nor the
/// file it reads; the project stays byte for byte as it was, with its `.bak` untouched.
#[test]
fn export_never_overwrites_a_project_or_its_input() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = write_corpus(dir.path());
    let p = dir.path().join("p.ron");
    let q = dir.path().join("q.ron");
    for out in [&p, &q] {
        let o = spanmark(&[
            "import",
            corpus.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    // Saved twice: p.ron.bak exists.
    let o = spanmark(&[
        "import",
        corpus.to_str().unwrap(),
        "-o",
        p.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let bak = dir.path().join("p.ron.bak");
    let before = std::fs::read(&p).unwrap();
    let link = dir.path().join("link.jsonl");
    std::os::unix::fs::symlink(&p, &link).unwrap();
    let dot = dir.path().join(".").join("p.ron");
    for format in ["jsonl", "csv", "hf", "conll", "labelstudio"] {
        for out in [&p, &q, &bak, &link, &dot] {
            let o = spanmark(&[
                "export",
                p.to_str().unwrap(),
                "-f",
                format,
                "-o",
                out.to_str().unwrap(),
            ]);
            assert_eq!(o.status.code(), Some(1), "{format} -o {}", out.display());
            let e = stderr(&o);
            assert!(e.contains("an export never replaces"), "{format}: {e}");
        }
    }
    assert_eq!(std::fs::read(&p).unwrap(), before);
    assert!(
        spanmark(&["validate", q.to_str().unwrap()])
            .status
            .success()
    );
    assert!(
        spanmark(&["validate", bak.to_str().unwrap()])
            .status
            .success()
    );
    // A file read for conversion is not replaced either.
    let o = spanmark(&[
        "export",
        corpus.to_str().unwrap(),
        "-f",
        "jsonl",
        "-o",
        corpus.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("the file being exported"),
        "{}",
        stderr(&o)
    );
    assert_eq!(std::fs::read_to_string(&corpus).unwrap(), CORPUS);
    // Nor is a project standing where hf puts labels.json, nor one in brat's folder.
    let sub = dir.path().join("hf");
    std::fs::create_dir(&sub).unwrap();
    std::fs::copy(&q, sub.join("labels.json")).unwrap();
    let o = spanmark(&[
        "export",
        p.to_str().unwrap(),
        "-f",
        "hf",
        "-o",
        sub.join("rows.jsonl").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(!sub.join("rows.jsonl").exists(), "nothing written");
}

/// hf to `DIR/labels.json` would write the rows and then the tag list over them: it is
/// refused, saying why, and nothing is written.
#[test]
fn hf_export_to_labels_json_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = write_corpus(dir.path());
    let out = dir.path().join("labels.json");
    let o = spanmark(&[
        "export",
        corpus.to_str().unwrap(),
        "-f",
        "hf",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("cannot be named labels.json"),
        "{}",
        stderr(&o)
    );
    assert!(!out.exists());
    let ok = dir.path().join("train.jsonl");
    let o = spanmark(&[
        "export",
        corpus.to_str().unwrap(),
        "-f",
        "hf",
        "-o",
        ok.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(std::fs::read_to_string(&ok).unwrap().contains("\"tokens\""));
    assert!(
        std::fs::read_to_string(dir.path().join("labels.json"))
            .unwrap()
            .contains("B-PERSON")
    );
}

/// brat: a 240-char document name used to fail halfway (the temporary file's name was
/// longer than the limit) after earlier documents were written. Names now fit, and a
/// failing export writes nothing at all.
#[test]
fn brat_export_fits_long_names_and_is_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let long = "n".repeat(240);
    let cjk = "東".repeat(120);
    let input = dir.path().join("long.jsonl");
    std::fs::write(
        &input,
        format!(
            "{{\"id\": \"first\", \"text\": \"Kabul\", \"label\": [[0, 5, \"PLACE\"]]}}\n\
             {{\"id\": \"{long}\", \"text\": \"Doha\"}}\n{{\"id\": \"{long}\", \"text\": \"x\"}}\n\
             {{\"id\": \"{cjk}\", \"text\": \"東京\"}}\n"
        ),
    )
    .unwrap();
    let out = dir.path().join("brat");
    let o = spanmark(&[
        "export",
        input.to_str().unwrap(),
        "-f",
        "brat",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    // Four documents' .txt and .ann, and annotation.conf.
    assert_eq!(names.len(), 9, "{names:?}");
    assert_eq!(names[0], "annotation.conf");
    assert!(names.iter().all(|n| n.len() <= 255));
    assert!(names.contains(&format!("{long}.txt")) && names.contains(&format!("{long}__2_.ann")));
    // A file that cannot be written (a folder where `first.ann` goes): nothing is.
    let again = dir.path().join("again");
    std::fs::create_dir_all(again.join("first.ann")).unwrap();
    let o = spanmark(&[
        "export",
        input.to_str().unwrap(),
        "-f",
        "brat",
        "-o",
        again.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("first.ann"), "{}", stderr(&o));
    let left: Vec<_> = std::fs::read_dir(&again).unwrap().collect();
    assert_eq!(left.len(), 1, "only the folder that was there: {left:?}");
}

/// Issue 18, item 5: document names are unique in a project. A file with two documents
/// named "d" used to validate, and `merge` and the merge driver matched them by position
/// and dropped one with exit 0. Now each refuses the file, naming it and the document;
/// an import that brings a name twice numbers the second.
#[test]
fn two_documents_of_one_name_are_refused_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let twice = dir.path().join("twice.ron");
    let doc = |text: &str| {
        format!(
            "    (\n      name: \"d\",\n      status: todo,\n      text: \"{text}\",\n      spans: [],\n    ),\n"
        )
    };
    let file = format!(
        "(\n  version: 1,\n  labels: [\n    (name: \"PERSON\", color: \"#e69f00\", key: Some('1')),\n  ],\n  documents: [\n{}{}  ],\n)\n",
        doc("first"),
        doc("second")
    );
    std::fs::write(&twice, file).unwrap();
    let path = twice.to_str().unwrap();
    let o = spanmark(&["validate", path]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("twice.ron") && stderr(&o).contains("\"d\""),
        "{}",
        stderr(&o)
    );
    let out = dir.path().join("gold.ron");
    let o = spanmark(&["merge", path, path, "-o", out.to_str().unwrap()]);
    assert_ne!(o.status.code(), Some(0));
    assert!(stderr(&o).contains("twice.ron"), "{}", stderr(&o));
    assert!(!out.exists());
    let before = std::fs::read(&twice).unwrap();
    let o = spanmark(&["merge-driver", path, path, path]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(std::fs::read(&twice).unwrap(), before, "%A untouched");
    // Imported twice under one name: the second is numbered, and said so.
    let jsonl = dir.path().join("twice.jsonl");
    std::fs::write(
        &jsonl,
        "{\"id\": \"d\", \"text\": \"first\"}\n{\"id\": \"d\", \"text\": \"second\"}\n",
    )
    .unwrap();
    let imported = dir.path().join("imported.ron");
    let o = spanmark(&[
        "import",
        jsonl.to_str().unwrap(),
        "-o",
        imported.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let p = spanmark::io::load_project(&imported).unwrap();
    let names: Vec<&str> = p.documents().iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, ["d", "d (2)"]);
}

/// Relations through the binary: doccano's relation JSONL imported into a project, then
/// every export. brat and jsonl write them and read them back; csv writes them to a
/// second file; conll and hf list each one as not representable, on stderr.
#[test]
fn relations_through_import_and_every_export() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("re.jsonl");
    std::fs::write(
        &input,
        "{\"id\": \"q\", \"text\": \"“No,” said Mo of ＡＢＣ 👍🏽.\", \"entities\": [\
         {\"id\": 10, \"label\": \"QUOTE\", \"start_offset\": 0, \"end_offset\": 5}, \
         {\"id\": 11, \"label\": \"PERSON\", \"start_offset\": 11, \"end_offset\": 13}, \
         {\"id\": 12, \"label\": \"ORG\", \"start_offset\": 17, \"end_offset\": 20}], \
         \"relations\": [{\"id\": 1, \"from_id\": 10, \"to_id\": 11, \"type\": \"SPEAKER\"}, \
         {\"id\": 2, \"from_id\": 11, \"to_id\": 12, \"type\": \"MEMBER_OF\"}]}\n",
    )
    .unwrap();
    let project = dir.path().join("p.ron");
    let o = spanmark(&[
        "import",
        input.to_str().unwrap(),
        "-o",
        project.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("1 document, 3 spans, 2 relations"),
        "{}",
        stderr(&o)
    );
    let saved = std::fs::read_to_string(&project).unwrap();
    assert!(saved.contains("label: \"MEMBER_OF\""), "{saved}");
    assert!(
        spanmark(&["validate", project.to_str().unwrap()])
            .status
            .success()
    );

    let export = |format: &str, name: &str| {
        let target = dir.path().join(name);
        let o = spanmark(&[
            "export",
            project.to_str().unwrap(),
            "-f",
            format,
            "-o",
            target.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{format}: {}", stderr(&o));
        (target, stderr(&o))
    };
    for format in ["conll", "hf"] {
        let (_, err) = export(format, &format!("out.{format}"));
        assert!(
            err.contains("0 relations written, 2 not representable"),
            "{format}: {err}"
        );
        assert!(
            err.contains("left out: q SPEAKER 0..5 QUOTE → 11..13 PERSON (")
                && err.contains("has no place for relations"),
            "{format}: {err}"
        );
    }
    for format in ["jsonl", "labelstudio"] {
        let (_, err) = export(format, &format!("out-{format}.json"));
        assert!(
            err.contains("2 relations written, 0 not representable"),
            "{format}: {err}"
        );
    }
    let (csv, err) = export("csv", "out.csv");
    assert!(err.contains("2 relations written"), "{err}");
    let relations = std::fs::read_to_string(dir.path().join("out.relations.csv")).unwrap();
    assert_eq!(
        relations,
        "document,type,from_start,from_end,from_label,to_start,to_end,to_label,from_text,to_text\r\n\
         q,SPEAKER,0,5,QUOTE,11,13,PERSON,\"“No,”\",Mo\r\n\
         q,MEMBER_OF,11,13,PERSON,17,20,ORG,Mo,ＡＢＣ\r\n"
    );
    assert!(
        std::fs::read_to_string(csv)
            .unwrap()
            .starts_with("document,start,end,label,text,note\r\n")
    );

    // brat: R lines and annotation.conf, read back into a project with the same relations.
    let (brat, _) = export("brat", "brat");
    let ann = std::fs::read_to_string(brat.join("q.ann")).unwrap();
    assert!(
        ann.contains("R1\tSPEAKER Arg1:T1 Arg2:T2\nR2\tMEMBER_OF Arg1:T2 Arg2:T3\n"),
        "{ann}"
    );
    let conf = std::fs::read_to_string(brat.join("annotation.conf")).unwrap();
    assert!(
        conf.contains("SPEAKER Arg1:QUOTE, Arg2:PERSON|ORG\nMEMBER_OF Arg1:PERSON, Arg2:ORG\n"),
        "{conf}"
    );
    let back = dir.path().join("back.ron");
    let o = spanmark(&[
        "import",
        brat.join("q.ann").to_str().unwrap(),
        "-o",
        back.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("1 document, 3 spans, 2 relations"),
        "{}",
        stderr(&o)
    );
    let relations = |text: &str| {
        text.lines()
            .filter(|l| l.contains("(from: "))
            .map(str::trim)
            .map(String::from)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        relations(&std::fs::read_to_string(&back).unwrap()),
        relations(&saved)
    );
}

/// Runs spanmark with its stdout closed by the reader, as `spanmark … | head -1` does:
/// after `read` lines (0: at once, before it prints anything). The exit status and
/// what it said on stderr.
fn with_stdout_closed(args: &[&str], read: usize) -> (Option<i32>, String) {
    use std::io::BufRead;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_spanmark"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spanmark runs");
    let stdout = child.stdout.take().expect("piped stdout");
    let mut reader = std::io::BufReader::new(stdout);
    for _ in 0..read {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        assert!(!line.is_empty(), "{args:?} printed fewer than {read} lines");
    }
    // Dropping the reader closes the pipe's read end.
    drop(reader);
    let out = child.wait_with_output().expect("spanmark ends");
    (out.status.code(), stderr(&out))
}

/// A project of 3,000 one-line documents, each mentioning Kabul (PLACE in the first):
/// `stats` and `suggest --learn` print far more than a pipe holds (64 KiB), so they
/// are still printing when the reader goes.
fn big_project(dir: &Path) -> std::path::PathBuf {
    let jsonl = dir.join("lines.jsonl");
    // The first document's "Kabul" labelled PLACE, so --learn proposes the other 2,999.
    let text: String = (0..3000)
        .map(|i| {
            let label = if i == 0 { "[[5, 10, \"PLACE\"]]" } else { "[]" };
            format!(
                "{{\"id\": \"d{i}\", \"text\": \"Then Kabul said {i}.\", \"label\": {label}}}\n"
            )
        })
        .collect();
    std::fs::write(&jsonl, text).unwrap();
    let project = dir.join("big.ron");
    let o = spanmark(&[
        "import",
        jsonl.to_str().unwrap(),
        "-o",
        project.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    project
}

#[test]
fn a_closed_pipe_ends_every_printing_command_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let big = big_project(dir.path());
    let big = big.to_str().unwrap();
    let corpus = write_corpus(dir.path());
    let corpus = corpus.to_str().unwrap();
    // (command, lines read before the pipe closes): the big outputs after one line, as
    // `head -1` reads, and every command before its first line.
    let runs: Vec<(Vec<&str>, usize)> = vec![
        (vec!["stats", big], 1),
        (vec!["stats", big], 0),
        (vec!["suggest", big, "--learn"], 1),
        (vec!["suggest", big, "--learn"], 0),
        (vec!["validate", big], 0),
        (vec!["agree", corpus, corpus], 0),
        (vec!["agree", corpus, corpus, "--json"], 0),
    ];
    for (args, read) in &runs {
        let (code, err) = with_stdout_closed(args, *read);
        assert_eq!(code, Some(0), "{args:?} after {read} lines: {err}");
        assert_eq!(err, "", "{args:?} after {read} lines");
    }
    // A real error still speaks, even with no one reading stdout.
    let (code, err) = with_stdout_closed(&["stats", "/nonexistent/p.ron"], 0);
    assert_eq!(code, Some(1));
    assert!(err.contains("/nonexistent/p.ron"), "{err}");
}

#[test]
fn messages_end_their_lines_and_count_in_the_singular_for_one() {
    let dir = tempfile::tempdir().unwrap();
    let one = dir.path().join("one.jsonl");
    std::fs::write(
        &one,
        "{\"id\": \"d\", \"text\": \"Kabul and Kabul.\", \"label\": [[0, 5, \"PLACE\"]]}\n",
    )
    .unwrap();
    let project = dir.path().join("one.ron");
    let o = spanmark(&[
        "import",
        one.to_str().unwrap(),
        "-o",
        project.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).ends_with(": 1 document, 1 span\n"),
        "{}",
        stderr(&o)
    );
    let p = project.to_str().unwrap();
    let o = spanmark(&["validate", p]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(out, format!("{p}: ok (1 document, 1 span)\n"));
    let o = spanmark(&["stats", p]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.starts_with(&format!("{p}: 1 document, 1 span\n")),
        "{out}"
    );
    assert!(out.contains("  d  [todo]  16 chars, 1 span\n"), "{out}");
    assert!(out.ends_with('\n'));
    // Suggest's warnings each end their line, like its JSONL.
    let patterns = dir.path().join("gpe.jsonl");
    std::fs::write(
        &patterns,
        "{\"label\": \"GPE\", \"pattern\": \"Kabul\"}\n{\"label\": \"NORP\", \"pattern\": \"and\"}\n",
    )
    .unwrap();
    let o = spanmark(&[
        "suggest",
        p,
        "--learn",
        "--patterns",
        patterns.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert_eq!(err.matches("spanmark: warning:").count(), 2, "{err}");
    assert_eq!(err.lines().count(), 2, "{err}");
    assert!(err.ends_with('\n'), "{err:?}");
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.ends_with('\n'));
    let accepted = dir.path().join("accepted.ron");
    let o = spanmark(&[
        "suggest",
        p,
        "--learn",
        "--accept",
        "-o",
        accepted.to_str().unwrap(),
    ]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.ends_with(": 1 suggestion accepted in 1 document\n"),
        "{out}"
    );
    let o = spanmark(&[
        "export",
        p,
        "-f",
        "jsonl",
        "-o",
        dir.path().join("x.jsonl").to_str().unwrap(),
    ]);
    assert!(
        stderr(&o).contains("1 document, 1 span written"),
        "{}",
        stderr(&o)
    );
}
