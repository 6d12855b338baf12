//! `spanmark suggest --command … --map FROM=TO`, run as a user would: the built-in label
//! defaults (spaCy's GPE → PLACE, CoNLL's PER → PERSON), `--map` entries that map or drop
//! a label, unmapped spans counted on one line of stderr, and hostile `--map` entries
//! refused before the command starts.
#![cfg(unix)] // the "model" below is sh

use std::path::{Path, PathBuf};
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

/// Two documents, imported into a project with the default labels (PERSON, PLACE, ORG,
/// DATE, QUOTE).
fn project(dir: &Path) -> PathBuf {
    let corpus = dir.join("c.jsonl");
    std::fs::write(
        &corpus,
        "{\"id\": \"a\", \"text\": \"Kabul Taliban 2025 and more\", \"label\": []}\n\
         {\"id\": \"b\", \"text\": \"Doha Mujahid 2020 and more\", \"label\": []}\n",
    )
    .unwrap();
    let p = dir.join("p.ron");
    let out = spanmark(&[
        "import",
        corpus.to_str().unwrap(),
        "-o",
        p.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    p
}

/// A "model" in sh speaking spaCy's and CoNLL's labels: on every document, 0..4 as GPE
/// and as PER, 5..12 as MISC and NORP, 13..17 as CARDINAL. It leaves `ran` behind in
/// the folder it runs in, so a test can tell it never started.
const MODEL: &str = r#"touch ran; while read -r l; do id=$(printf '%s' "$l" | sed 's/^{"id":\([0-9]*\).*/\1/'); echo "{\"id\": $id, \"spans\": [{\"start\": 0, \"end\": 4, \"label\": \"GPE\"}, {\"start\": 0, \"end\": 4, \"label\": \"PER\"}, {\"start\": 5, \"end\": 12, \"label\": \"MISC\"}, {\"start\": 5, \"end\": 12, \"label\": \"NORP\"}, {\"start\": 13, \"end\": 17, \"label\": \"CARDINAL\"}]}"; done"#;

/// (document, start, end, label) of each printed suggestion.
fn suggested(o: &Output) -> Vec<(String, u64, u64, String)> {
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            (
                v["document"].as_str().unwrap().to_string(),
                v["start"].as_u64().unwrap(),
                v["end"].as_u64().unwrap(),
                v["label"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn row(d: &str, s: u64, e: u64, l: &str) -> (String, u64, u64, String) {
    (d.into(), s, e, l.into())
}

/// `spanmark suggest P --command MODEL` plus `extra`, run in `dir`.
fn suggest(dir: &Path, p: &Path, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_spanmark"))
        .current_dir(dir)
        .args(["suggest", p.to_str().unwrap(), "--command", MODEL])
        .args(extra)
        .output()
        .expect("spanmark runs")
}

#[test]
fn defaults_map_gpe_and_per_and_the_rest_is_counted_on_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let p = project(dir.path());
    let out = suggest(dir.path(), &p, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        suggested(&out),
        vec![
            row("a", 0, 4, "PERSON"),
            row("a", 0, 4, "PLACE"),
            row("b", 0, 4, "PERSON"),
            row("b", 0, 4, "PLACE"),
        ]
    );
    let err = stderr(&out);
    assert_eq!(
        err,
        "spanmark: warning: --command: mapped GPE=PLACE 2, PER=PERSON 2; 6 spans \
         not applied, with labels the project lacks: CARDINAL 2, MISC 2, NORP 2 (give --map \
         LABEL=TO, or --map LABEL= to drop them)\n",
        "one line, ending in a newline"
    );
}

#[test]
fn map_entries_map_and_drop_labels() {
    let dir = tempfile::tempdir().unwrap();
    let p = project(dir.path());
    let out = suggest(
        dir.path(),
        &p,
        &[
            "--map",
            "NORP=ORG",
            "--map",
            "GPE=",
            "--map",
            "CARDINAL=DATE",
            "--map",
            "MISC=",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        suggested(&out),
        vec![
            row("a", 0, 4, "PERSON"),
            row("a", 5, 12, "ORG"),
            row("a", 13, 17, "DATE"),
            row("b", 0, 4, "PERSON"),
            row("b", 5, 12, "ORG"),
            row("b", 13, 17, "DATE"),
        ]
    );
    // Nothing unmapped: a note, not a warning, and still one line.
    assert_eq!(
        stderr(&out),
        "spanmark: note: --command: mapped CARDINAL=DATE 2, NORP=ORG 2, \
         PER=PERSON 2; dropped GPE 2, MISC 2\n"
    );
    // Accepted: the spans land in the project.
    let to = dir.path().join("out.ron");
    let out = suggest(
        dir.path(),
        &p,
        &[
            "--map",
            "NORP=ORG",
            "--map",
            "MISC=",
            "--accept",
            "-o",
            to.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let saved = std::fs::read_to_string(&to).unwrap();
    assert!(saved.contains("label: \"ORG\""), "{saved}");
    assert!(
        !saved.contains("NORP") && !saved.contains("label_map"),
        "{saved}"
    );
}

#[test]
fn hostile_map_entries_are_refused_before_the_command_starts() {
    let dir = tempfile::tempdir().unwrap();
    let p = project(dir.path());
    // Near the longest one argument can be (Linux: 128 KiB).
    let long = format!("{}=PLACE", "G".repeat(100_000));
    let many: Vec<String> = (0..1500)
        .flat_map(|i| ["--map".to_string(), format!("L{i}=")])
        .collect();
    let many: Vec<&str> = many.iter().map(String::as_str).collect();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["--map", "=PLACE"],
            "\"=PLACE\": the label before = is missing",
        ),
        (vec!["--map", "GPE"], "\"GPE\": expected FROM=TO"),
        (vec!["--map", "GPE=PLACE=ORG"], "more than one ="),
        (
            vec!["--map", "GPE=PLACE", "--map", "GPE="],
            "\"GPE\" is mapped twice",
        ),
        (
            vec!["--map", "GPE=CITY"],
            "the project has no label \"CITY\"",
        ),
        (vec!["--map", long.as_str()], "longer than 200 characters"),
        (many, "at most 1000 labels"),
    ];
    for (args, expected) in cases {
        let started = std::time::Instant::now();
        let out = suggest(dir.path(), &p, &args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(err.contains(expected), "{expected}: {err}");
        assert!(err.contains("--map"), "{err}");
        // The project and its labels are named, so the user sees what TO can be.
        assert!(
            err.contains(p.to_str().unwrap()) && err.contains("PERSON, PLACE, ORG"),
            "{err}"
        );
        assert!(err.len() < 2000, "a short message: {} bytes", err.len());
        assert!(started.elapsed().as_secs() < 10);
        assert!(
            !dir.path().join("ran").exists(),
            "the command never started"
        );
    }
    // --map without --command: a usage error (exit 2), as clap's.
    let out = spanmark(&[
        "suggest",
        p.to_str().unwrap(),
        "--learn",
        "--map",
        "GPE=PLACE",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}
