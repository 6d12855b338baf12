//! Interop: the real consumers (spaCy's converter, seqeval, Hugging Face `datasets`, and
//! Python's own slicing, JSON and CSV readers) read spanmark's exports and must find
//! exactly the expected entities, the notes on them where the format holds notes, and
//! the relations between them where it holds relations: brat's R lines and
//! annotation.conf through brat's own readers (as bratiaa ships them) and bratly,
//! Label Studio's relation results through label-studio-sdk's validator, doccano's
//! relation layout by the rules of doccano's importer, the CSV relations file.
//! `tests/interop/check.py` does the reading; `tests/interop/fixture_expected.json` is
//! the corpus with hand-written expectations. `spanmark agree` is checked against
//! bratiaa and scikit-learn by `tests/interop/agree.py`.
//!
//! Needs `SPANMARK_PYTHON` pointing at a Python with spacy, seqeval, datasets, bratiaa,
//! bratly and label-studio-sdk (`.ci/run` makes that venv). Without it the test is
//! skipped, except under CI, where it fails: a check that silently does not run is worse
//! than none.

use std::path::Path;
use std::process::Command;

use spanmark::io::export::{ExportOptions, Format, Scheme, export};
use spanmark::model::{Document, LabelId, Project, Relation, Span};

fn fixture_project(expected: &serde_json::Value) -> Project {
    let mut project = Project::with_documents(Vec::new());
    let labels: Vec<String> = expected["labels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap().to_string())
        .collect();
    // Labels beyond the five defaults get added through the importer's rules elsewhere;
    // the fixture sticks to the defaults.
    for l in &labels {
        assert!(
            project.label_id(l).is_some(),
            "fixture label {l} is a default"
        );
    }
    let docs = expected["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let spans = d["entities"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| {
                    let label = project.label_id(e[2].as_str().unwrap()).unwrap();
                    Span::new(
                        e[0].as_u64().unwrap() as usize,
                        e[1].as_u64().unwrap() as usize,
                        label,
                    )
                    .unwrap()
                })
                .collect();
            let span_at = |v: &[serde_json::Value]| {
                let label = project.label_id(v[2].as_str().unwrap()).unwrap();
                let (s, e) = (v[0].as_u64().unwrap(), v[1].as_u64().unwrap());
                Span::new(s as usize, e as usize, label).unwrap()
            };
            let relations: Vec<Relation> = d["relations"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|r| {
                    let r = r.as_array().unwrap();
                    let kind = project.relation_type_id(r[6].as_str().unwrap()).unwrap();
                    Relation::new(span_at(&r[..3]), span_at(&r[3..6]), kind).unwrap()
                })
                .collect();
            let notes = d["notes"].as_array().into_iter().flatten().map(|n| {
                let label = project.label_id(n[2].as_str().unwrap()).unwrap();
                let span = Span::new(
                    n[0].as_u64().unwrap() as usize,
                    n[1].as_u64().unwrap() as usize,
                    label,
                )
                .unwrap();
                (span, n[3].as_str().unwrap().to_string())
            });
            Document::with_spans(
                d["name"].as_str().unwrap(),
                d["text"].as_str().unwrap(),
                spans,
            )
            .and_then(|doc| doc.with_notes(notes))
            .and_then(|doc| doc.with_relations(relations))
            .unwrap()
        })
        .collect();
    project = Project::with_documents(docs);
    // The fixture's relation types are the default ones (SPEAKER: QUOTE → PERSON, ORG).
    let types: serde_json::Map<String, serde_json::Value> = project
        .relation_types()
        .iter()
        .map(|t| {
            let names = |ids: &[LabelId]| {
                let names = ids.iter().map(|l| project.label(*l).unwrap().name.clone());
                serde_json::Value::from(names.collect::<Vec<_>>())
            };
            (
                t.name.clone(),
                serde_json::json!([names(&t.from), names(&t.to)]),
            )
        })
        .collect();
    assert_eq!(serde_json::Value::Object(types), expected["relation_types"]);
    project
}

#[test]
fn real_consumers_read_every_export_exactly() {
    let Some(python) = std::env::var_os("SPANMARK_PYTHON") else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must set SPANMARK_PYTHON to a Python with spacy, seqeval and datasets"
        );
        eprintln!("skipped: set SPANMARK_PYTHON to run the interop checks");
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/interop");
    let expected_path = root.join("fixture_expected.json");
    let expected: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&expected_path).unwrap()).unwrap();
    let project = fixture_project(&expected);

    let dir = tempfile::tempdir().unwrap();
    let out = dir.path();
    let iob = ExportOptions::default();
    let bilou = ExportOptions {
        scheme: Scheme::Bilou,
        labels: None,
    };
    for (format, opts, name) in [
        (Format::Jsonl, &iob, "out.jsonl"),
        (Format::Conll, &iob, "out.conll"),
        (Format::Conll, &bilou, "out.bilou.conll"),
        (Format::Hf, &iob, "hf.jsonl"),
        (Format::Brat, &iob, "brat"),
        (Format::LabelStudio, &iob, "labelstudio.json"),
        (Format::Csv, &iob, "out.csv"),
    ] {
        export(&project, format, opts, &out.join(name)).unwrap();
    }
    let run = Command::new(python)
        .arg(root.join("check.py"))
        .arg(&expected_path)
        .arg(out)
        .output()
        .expect("python runs");
    let stdout = String::from_utf8_lossy(&run.stdout);
    let stderr = String::from_utf8_lossy(&run.stderr);
    println!("{stdout}");
    assert!(run.status.success(), "check.py failed:\n{stdout}\n{stderr}");
    // All seven outputs were checked, not skipped, and the relations by every reader.
    for what in [
        "doccano",
        "conll",
        "bilou",
        "hf",
        "brat",
        "brat/brat",
        "brat/bratly",
        "labelstudio",
        "labelstudio/sdk",
        "csv",
        "csv-relations",
    ] {
        assert!(
            stdout.contains(&format!("ok {what}:")),
            "{what} not checked:\n{stdout}"
        );
    }
}

/// `spanmark agree` against the reference implementations, on a small realistic corpus
/// (tests/agree: agreements, label and bound disagreements, one-sided and nested spans):
/// the exact F1 (overall, per label, per document) equals `bratiaa`'s instance-level F1
/// on spanmark's brat exports, and the kappa equals scikit-learn's `cohen_kappa_score` on
/// the labels of spanmark's CoNLL exports. `tests/interop/agree.py` does the comparing.
#[test]
fn agreement_matches_bratiaa_and_scikit_learn() {
    let Some(python) = std::env::var_os("SPANMARK_PYTHON") else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must set SPANMARK_PYTHON to a Python with bratiaa and scikit-learn"
        );
        eprintln!("skipped: set SPANMARK_PYTHON to run the interop checks");
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let corpus = root.join("agree");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path();
    let spanmark = |args: &[&std::ffi::OsStr]| {
        let run = Command::new(env!("CARGO_BIN_EXE_spanmark"))
            .args(args)
            .output()
            .expect("spanmark runs");
        assert!(
            run.status.success(),
            "spanmark {args:?}: {}",
            String::from_utf8_lossy(&run.stderr)
        );
        run.stdout
    };
    // bratiaa's project layout: annotation.conf at the root, a folder per annotator.
    let brat = out.join("brat");
    std::fs::create_dir(&brat).unwrap();
    std::fs::write(
        brat.join("annotation.conf"),
        "[entities]\nPERSON\nPLACE\nORG\nDATE\nQUOTE\n[relations]\n[events]\n[attributes]\n",
    )
    .unwrap();
    for who in ["alice", "bob"] {
        let project = corpus.join(format!("{who}.ron"));
        spanmark(&[
            "export".as_ref(),
            project.as_os_str(),
            "-f".as_ref(),
            "brat".as_ref(),
            "-o".as_ref(),
            brat.join(who).as_os_str(),
        ]);
        spanmark(&[
            "export".as_ref(),
            project.as_os_str(),
            "-f".as_ref(),
            "conll".as_ref(),
            "-o".as_ref(),
            out.join(format!("{who}.conll")).as_os_str(),
        ]);
    }
    let json = spanmark(&[
        "agree".as_ref(),
        corpus.join("alice.ron").as_os_str(),
        corpus.join("bob.ron").as_os_str(),
        "--json".as_ref(),
    ]);
    std::fs::write(out.join("agree.json"), json).unwrap();
    let run = Command::new(python)
        .arg(root.join("interop/agree.py"))
        .arg(out.join("agree.json"))
        .arg(&brat)
        .arg(out.join("alice.conll"))
        .arg(out.join("bob.conll"))
        .output()
        .expect("python runs");
    let stdout = String::from_utf8_lossy(&run.stdout);
    let stderr = String::from_utf8_lossy(&run.stderr);
    println!("{stdout}");
    assert!(run.status.success(), "agree.py failed:\n{stdout}\n{stderr}");
    for what in [
        "bratiaa overall F1",
        "bratiaa F1 of 4 labels",
        "bratiaa F1 of 3 documents",
        "scikit-learn cohen_kappa_score",
    ] {
        assert!(stdout.contains(&format!("ok {what}")), "{what} not checked");
    }
}
