//! Working as a team, run as a user would: the real binary on real files.
//! `spanmark agree` on the corpus in tests/agree (alice, bob: three documents; carol: two
//! of them, in another order; bob numbers his labels differently), and on projects with
//! relations written here.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn spanmark(args: &[&Path]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_spanmark"))
        .args(args)
        .output()
        .expect("spanmark runs")
}

fn corpus(who: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/agree/{who}.ron"))
}

fn agree_json(files: &[&Path]) -> serde_json::Value {
    let mut args: Vec<&Path> = vec![Path::new("agree")];
    args.extend(files);
    args.push(Path::new("--json"));
    let out = spanmark(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("one JSON object")
}

fn close(v: &serde_json::Value, want: f64) -> bool {
    v.as_f64().is_some_and(|x| (x - want).abs() < 1e-12)
}

#[test]
fn agree_two_annotators_json() {
    let (alice, bob) = (corpus("alice"), corpus("bob"));
    let r = agree_json(&[&alice, &bob]);
    let pairs = r["pairs"].as_array().unwrap();
    assert_eq!(pairs.len(), 1);
    let p = &pairs[0];
    assert_eq!(
        (p["a"].as_str(), p["b"].as_str()),
        (Some("alice"), Some("bob"))
    );
    // Exact matches: kabul-1 Taliban, Zabihullah Mujahid; berlin-2 Apple Inc., March 2024,
    // Tim Cook; geneva-3 Geneva: 6. alice has 12 spans, bob 13: F1 = 12/25.
    // P = 6/13 (of bob's), R = 6/12 (of alice's).
    assert_eq!(
        (p["tp"].as_u64(), p["in_a"].as_u64(), p["in_b"].as_u64()),
        (Some(6), Some(12), Some(13))
    );
    assert!(close(&p["f1"], 12.0 / 25.0));
    assert!(close(&p["precision"], 6.0 / 13.0) && close(&p["recall"], 0.5));
    // Overlap adds Sunday ~ "on Sunday", PLACE "Bagram Air Base" ~ "Bagram" (bob's ORG
    // over it has no ORG of alice's to match), WHO ~ "The WHO", Tedros ~ "Dr. Tedros":
    // 10, F1 = 20/25. Berlin PLACE vs ORG and bob's "Afghan" never match.
    assert!(close(&p["f1_overlap"], 0.8));
    // PERSON: alice 3, bob 3, 2 exact (F1 4/6), all 3 overlap (F1 1).
    assert!(close(&p["per_label"]["PERSON"]["f1"], 2.0 / 3.0));
    assert!(close(&p["per_label"]["PERSON"]["f1_overlap"], 1.0));
    // PLACE: alice 3 (Bagram Air Base, Berlin, Geneva), bob 3 (Bagram, Afghan, Geneva):
    // exact 1 → 2/6; overlap 2 → 4/6.
    assert!(close(&p["per_label"]["PLACE"]["f1"], 1.0 / 3.0));
    assert!(close(&p["per_label"]["PLACE"]["f1_overlap"], 2.0 / 3.0));
    // Labels nobody used (QUOTE) are not listed.
    assert!(p["per_label"].get("QUOTE").is_none());
    // Per document: kabul-1 2·2/(4+6); berlin-2 2·3/(4+4); geneva-3 2·1/(4+3).
    let docs: Vec<(&str, f64)> = r["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["name"].as_str().unwrap(), d["f1"].as_f64().unwrap()))
        .collect();
    let want = [
        ("kabul-1", 0.4),
        ("berlin-2", 0.75),
        ("geneva-3", 2.0 / 7.0),
    ];
    assert_eq!(docs.len(), 3);
    for ((name, f1), (wname, wf1)) in docs.iter().zip(want) {
        assert_eq!(*name, wname);
        assert!((f1 - wf1).abs() < 1e-12, "{name}: {f1}");
    }
    // Two files: Cohen's kappa (cross-checked against scikit-learn in tests/interop.rs),
    // no Fleiss'.
    let kappa = r["cohen_kappa"].as_f64().unwrap();
    assert!(kappa > 0.5 && kappa < 1.0, "{kappa}");
    assert!(r.get("fleiss_kappa").is_none());
    // Swapping the files swaps precision and recall; F1 stays.
    let s = agree_json(&[&bob, &alice]);
    let q = &s["pairs"][0];
    assert_eq!(q["precision"], p["recall"]);
    assert_eq!(q["recall"], p["precision"]);
    assert_eq!(q["f1"], p["f1"]);
    assert_eq!(s["cohen_kappa"], r["cohen_kappa"]);
}

#[test]
fn agree_three_annotators_uses_fleiss_and_shared_documents() {
    let r = agree_json(&[&corpus("alice"), &corpus("bob"), &corpus("carol")]);
    let pairs: Vec<(&str, &str)> = r["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["a"].as_str().unwrap(), p["b"].as_str().unwrap()))
        .collect();
    assert_eq!(
        pairs,
        [("alice", "bob"), ("alice", "carol"), ("bob", "carol")]
    );
    // carol lacks geneva-3: her pairs count kabul-1 and berlin-2 only. alice ~ carol:
    // 8 spans each, 7 exact (carol has "Cook" for "Tim Cook"): F1 14/16.
    let ac = &r["pairs"][1];
    assert_eq!(
        (ac["in_a"].as_u64(), ac["in_b"].as_u64()),
        (Some(8), Some(8))
    );
    assert!(close(&ac["f1"], 14.0 / 16.0));
    assert_eq!(ac["documents"].as_array().unwrap().len(), 2);
    // geneva-3 only has the pair alice ~ bob: its mean is that pair's 2/7.
    let geneva = r["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "geneva-3")
        .unwrap();
    assert!(close(&geneva["f1"], 2.0 / 7.0));
    // Three files: Fleiss' kappa, over the two documents all three have.
    assert!(
        r["fleiss_kappa"]
            .as_f64()
            .is_some_and(|k| k > 0.0 && k < 1.0)
    );
    assert!(r.get("cohen_kappa").is_none());
    // Per label: the mean over the three pairs.
    let mean: f64 = r["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["per_label"]["DATE"]["f1"].as_f64().unwrap())
        .sum::<f64>()
        / 3.0;
    assert!(close(&r["per_label"]["DATE"]["f1"], mean));
}

#[test]
fn agree_prints_a_readable_table() {
    let out = spanmark(&[Path::new("agree"), &corpus("alice"), &corpus("bob")]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let row = text
        .lines()
        .find(|l| l.starts_with("alice ~ bob"))
        .unwrap_or_else(|| panic!("no pair row:\n{text}"));
    // spans a, spans b, then P R F1 exact, P R F1 overlap.
    let cells: Vec<&str> = row.split_whitespace().skip(3).collect();
    assert_eq!(
        cells,
        [
            "12", "13", "0.462", "0.500", "0.480", "0.769", "0.833", "0.800"
        ]
    );
    for want in [
        "PERSON",
        "kabul-1",
        "geneva-3",
        "token level: Cohen's kappa 0.",
    ] {
        assert!(text.contains(want), "{want} missing:\n{text}");
    }
    let out = spanmark(&[
        Path::new("agree"),
        &corpus("alice"),
        &corpus("bob"),
        &corpus("carol"),
    ]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("all pairs") && text.contains("Fleiss' kappa"),
        "{text}"
    );
}

#[test]
fn agree_names_annotators_by_file_stem_and_disambiguates() {
    let dir = tempfile::tempdir().unwrap();
    for who in ["x", "y"] {
        std::fs::create_dir(dir.path().join(who)).unwrap();
        std::fs::copy(corpus("alice"), dir.path().join(who).join("project.ron")).unwrap();
    }
    let (x, y) = (
        dir.path().join("x/project.ron"),
        dir.path().join("y/project.ron"),
    );
    let r = agree_json(&[&x, &y, &x]);
    let names: Vec<&str> = r["annotators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["x/project", "y/project", "x/project#2"]);
    // Identical projects agree fully.
    assert!(close(&r["pairs"][0]["f1"], 1.0));
    assert!(close(&r["fleiss_kappa"], 1.0));
}

#[test]
fn agree_refuses_bad_input_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let alice = corpus("alice");
    // The same document name with another text.
    let changed = dir.path().join("changed.ron");
    let text = std::fs::read_to_string(&alice)
        .unwrap()
        .replace("opened an office", "closed an office");
    std::fs::write(&changed, text).unwrap();
    let out = spanmark(&[Path::new("agree"), &alice, &changed]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("\"berlin-2\"") && err.contains("changed.ron") && err.contains("alice.ron"),
        "{err}"
    );
    // A file that is not a project.
    let broken = dir.path().join("broken.ron");
    std::fs::write(&broken, "(version: 1, labels: [").unwrap();
    let out = spanmark(&[Path::new("agree"), &alice, &broken]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("broken.ron"));
    // A missing file.
    let missing = dir.path().join("missing.ron");
    let out = spanmark(&[Path::new("agree"), &missing, &alice]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.ron"));
    // Two documents of one name in a file.
    let twice = dir.path().join("twice.ron");
    let text = std::fs::read_to_string(&alice)
        .unwrap()
        .replace("\"geneva-3\"", "\"kabul-1\"");
    std::fs::write(&twice, text).unwrap();
    let out = spanmark(&[Path::new("agree"), &alice, &twice]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("twice.ron") && err.contains("\"kabul-1\""),
        "{err}"
    );
    // One file is not enough.
    let out = spanmark(&[Path::new("agree"), &alice]);
    assert!(!out.status.success());
    // Nothing in common is not perfect agreement (it read F1 1.000, exit 0): an error
    // naming both files.
    let renamed = dir.path().join("renamed.ron");
    let text = std::fs::read_to_string(&alice)
        .unwrap()
        .replace("\"kabul-1\"", "\"kabul-x\"")
        .replace("\"berlin-2\"", "\"berlin-x\"")
        .replace("\"geneva-3\"", "\"geneva-x\"");
    std::fs::write(&renamed, text).unwrap();
    let out = spanmark(&[Path::new("agree"), &alice, &renamed]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("alice.ron")
            && err.contains("renamed.ron")
            && err.contains("no document in common"),
        "{err}"
    );
    assert!(out.stdout.is_empty(), "no table");
}

#[test]
fn help_documents_agree() {
    let out = spanmark(&[Path::new("--help")]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("agree"));
    let out = spanmark(&[Path::new("agree"), Path::new("--help")]);
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(help.contains("--json") && help.contains("kappa"), "{help}");
}

// --- relations ---

/// "“We will not stop,” Ghani said. “Calm,” said Saleh." Default labels (0 PERSON,
/// 4 QUOTE; SPEAKER links a QUOTE to a PERSON).
const SAID: &str = "“We will not stop,” Ghani said. “Calm,” said Saleh.";

/// A project of one document of SAID: both quotes and both speakers, and these links
/// (quote k to speaker j) of the SPEAKER type.
fn linking(path: &Path, links: &[(usize, usize)]) {
    use spanmark::model::{Document, LabelId, Project, Relation, RelationTypeId, Span};
    let s = |a: usize, b: usize, l: u32| Span::new(a, b, LabelId(l)).unwrap();
    let quotes = [s(0, 19, 4), s(32, 39, 4)];
    let speakers = [s(20, 25, 0), s(45, 50, 0)];
    let doc = Document::with_spans("d", SAID, [quotes, speakers].concat())
        .unwrap()
        .with_relations(
            links
                .iter()
                .map(|&(q, p)| Relation::new(quotes[q], speakers[p], RelationTypeId(0)).unwrap()),
        )
        .unwrap();
    let p = Project::new(spanmark::model::default_labels(), vec![doc]).unwrap();
    spanmark::io::save_project_plain(&p, path).unwrap();
}

#[test]
fn agree_reports_relations_per_pair() {
    assert_eq!(SAID.chars().skip(45).take(5).collect::<String>(), "Saleh");
    let dir = tempfile::tempdir().unwrap();
    let f = |n: &str| dir.path().join(n);
    // alice: each quote to its speaker; bob: the first right, the second to Ghani.
    linking(&f("alice.ron"), &[(0, 0), (1, 1)]);
    linking(&f("bob.ron"), &[(0, 0), (1, 0)]);
    linking(&f("carol.ron"), &[]);
    let r = agree_json(&[&f("alice.ron"), &f("bob.ron"), &f("carol.ron")]);
    let rel = |i: usize| &r["pairs"][i]["relations"];
    // alice ~ bob: 1 of 2 matches either way.
    assert_eq!(
        (
            rel(0)["tp"].as_u64(),
            rel(0)["in_a"].as_u64(),
            rel(0)["in_b"].as_u64()
        ),
        (Some(1), Some(2), Some(2))
    );
    for k in ["precision", "recall", "f1"] {
        assert!(close(&rel(0)[k], 0.5), "{k}: {}", rel(0));
    }
    // alice ~ carol: carol linked nothing.
    assert!(close(&rel(1)["recall"], 0.0) && close(&rel(1)["f1"], 0.0));
    // Over all pairs: 1 match, a's 2 + 2 + 2, b's 2.
    assert_eq!(r["relations"]["tp"].as_u64(), Some(1));
    assert!(close(&r["relations"]["f1"], 2.0 / 8.0));
    // The spans agree fully.
    assert!(close(&r["pairs"][0]["f1"], 1.0));
    // The table has a relation section with a row per pair.
    let out = spanmark(&[Path::new("agree"), &f("alice.ron"), &f("bob.ron")]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("relation level"), "{text}");
    let rows: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("alice ~ bob"))
        .collect();
    assert_eq!(rows.len(), 2, "{text}");
    let cells: Vec<&str> = rows[1].split_whitespace().skip(3).collect();
    assert_eq!(cells, ["2", "2", "0.500", "0.500", "0.500"]);
    // Without relations anywhere, nothing about them (the output is as before).
    let r = agree_json(&[&corpus("alice"), &corpus("bob")]);
    assert!(r.get("relations").is_none() && r["pairs"][0].get("relations").is_none());
    let out = spanmark(&[Path::new("agree"), &corpus("alice"), &corpus("bob")]);
    assert!(!String::from_utf8(out.stdout).unwrap().contains("relation"));
}
