//! `spanmark suggest`, run as a user would: the real binary, real files.

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

const CORPUS: &str = r#"{"id": "a", "text": "The Taliban met in Kabul. Taliban's men left Kabul on September 21, 2025.", "label": [[4, 11, "ORG"], [19, 24, "PLACE"]]}
{"id": "b", "text": "Kabul and the Doha Agreement; Zabihullah Mujahid spoke for the Taliban.", "label": []}
"#;

/// A project made by `spanmark import` from [`CORPUS`], and a path maker in its folder.
fn project(dir: &Path) -> PathBuf {
    let corpus = dir.join("c.jsonl");
    std::fs::write(&corpus, CORPUS).unwrap();
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

fn write(dir: &Path, name: &str, text: &str) -> String {
    let f = dir.join(name);
    std::fs::write(&f, text).unwrap();
    f.to_str().unwrap().to_string()
}

/// The printed suggestions as (document, start, end, label, text, source).
fn lines(o: &Output) -> Vec<(String, u64, u64, String, String, String)> {
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            let s = |k: &str| v[k].as_str().unwrap().to_string();
            (
                s("document"),
                v["start"].as_u64().unwrap(),
                v["end"].as_u64().unwrap(),
                s("label"),
                s("text"),
                s("source"),
            )
        })
        .collect()
}

fn row(
    d: &str,
    s: u64,
    e: u64,
    l: &str,
    t: &str,
    src: &str,
) -> (String, u64, u64, String, String, String) {
    (d.into(), s, e, l.into(), t.into(), src.into())
}

#[test]
fn learned_patterns_and_dictionaries_print_jsonl() {
    let dir = tempfile::tempdir().unwrap();
    let p = project(dir.path());
    let patterns = write(
        dir.path(),
        "orgs.jsonl",
        "{\"label\": \"ORG\", \"pattern\": \"Doha Agreement\", \"id\": \"doha\"}\n\
         {\"label\": \"DATE\", \"pattern\": [{\"LOWER\": \"september\"}, {\"IS_DIGIT\": true}, {\"ORTH\": \",\", \"OP\": \"?\"}, {\"SHAPE\": \"dddd\"}]}\n",
    );
    let people = write(dir.path(), "people.txt", "# people\nZabihullah Mujahid\n");
    let out = spanmark(&[
        "suggest",
        p.to_str().unwrap(),
        "--learn",
        "--patterns",
        &patterns,
        "--dictionary",
        &people,
        "--label",
        "PERSON",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let first = String::from_utf8_lossy(&out.stdout)
        .lines()
        .next()
        .unwrap()
        .to_string();
    assert!(
        first.starts_with("{\"document\":\"a\",\"start\":"),
        "{first}"
    );
    assert_eq!(
        lines(&out),
        [
            row("a", 26, 33, "ORG", "Taliban", "learned from 1 span"),
            row("a", 45, 50, "PLACE", "Kabul", "learned from 1 span"),
            row(
                "a",
                54,
                72,
                "DATE",
                "September 21, 2025",
                &format!("patterns: {patterns} line 2")
            ),
            row("b", 0, 5, "PLACE", "Kabul", "learned from 1 span"),
            row(
                "b",
                14,
                28,
                "ORG",
                "Doha Agreement",
                &format!("patterns: {patterns} line 1")
            ),
            row(
                "b",
                30,
                48,
                "PERSON",
                "Zabihullah Mujahid",
                &format!("dictionary: {people}")
            ),
            row("b", 63, 70, "ORG", "Taliban", "learned from 1 span"),
        ]
    );
}

#[test]
fn accept_writes_every_suggestion_and_leaves_nothing_to_suggest() {
    let dir = tempfile::tempdir().unwrap();
    let p = project(dir.path());
    let before = std::fs::read_to_string(&p).unwrap();
    let out_path = dir.path().join("out.ron");
    let out = spanmark(&[
        "suggest",
        p.to_str().unwrap(),
        "--learn",
        "--accept",
        "-o",
        out_path.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("4 suggestions accepted in 2 documents"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // The input is untouched; the output has 2 + 4 spans and no settings of the run.
    assert_eq!(std::fs::read_to_string(&p).unwrap(), before);
    let written = std::fs::read_to_string(&out_path).unwrap();
    assert_eq!(written.matches("(start:").count(), 6, "{written}");
    assert!(!written.contains("suggest"), "{written}");
    // Issue 20: accepted spans start "todo" documents, as in the window.
    assert_eq!(before.matches("status: todo").count(), 2, "{before}");
    assert_eq!(
        written.matches("status: in_progress").count(),
        2,
        "{written}"
    );
    let again = spanmark(&["suggest", out_path.to_str().unwrap(), "--learn"]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(
        again.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&again.stdout)
    );
    // Accepted into the project itself: what it was is kept as .bak.
    let into_itself = spanmark(&[
        "suggest",
        p.to_str().unwrap(),
        "--learn",
        "--accept",
        "-o",
        p.to_str().unwrap(),
    ]);
    assert!(into_itself.status.success(), "{}", stderr(&into_itself));
    let bak = std::fs::read_to_string(spanmark::io::backup_path(&p)).unwrap();
    assert_eq!(bak, before);
    assert_eq!(std::fs::read_to_string(&p).unwrap(), written);
}

#[test]
fn bad_input_exits_1_naming_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let p = project(dir.path());
    let ps = p.to_str().unwrap();
    let bad = write(
        dir.path(),
        "bad.jsonl",
        "{\"label\": \"ORG\", \"pattern\": \"x\"}\n\n{\"label\": \"ORG\", \"regex\": \"(\"}\n",
    );
    let out = spanmark(&["suggest", ps, "--patterns", &bad]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(&format!("{bad}:3: bad regex")),
        "{}",
        stderr(&out)
    );
    let notjson = write(
        dir.path(),
        "nj.jsonl",
        "{\"label\": \"ORG\", \"pattern\": \"x\"}\nnope\n",
    );
    let out = spanmark(&["suggest", ps, "--patterns", &notjson]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(&format!("{notjson}:2: not a JSON object")),
        "{}",
        stderr(&out)
    );
    let nolabel = write(dir.path(), "d.txt", "Kabul\n");
    let out = spanmark(&["suggest", ps, "--dictionary", &nolabel]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(&format!("{nolabel}:1: no label")),
        "{}",
        stderr(&out)
    );
    let out = spanmark(&["suggest", ps, "--patterns", "/no/such/file.jsonl"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("/no/such/file.jsonl"),
        "{}",
        stderr(&out)
    );
    let out = spanmark(&["suggest", ps]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("no suggestion sources"),
        "{}",
        stderr(&out)
    );
    // A label the project lacks: those rules are skipped with a warning, the rest run.
    let gpe = write(
        dir.path(),
        "gpe.jsonl",
        "{\"label\": \"GPE\", \"pattern\": \"Kabul\"}\n{\"label\": \"ORG\", \"pattern\": \"Doha Agreement\"}\n",
    );
    let out = spanmark(&["suggest", ps, "--patterns", &gpe]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(&format!("warning: {gpe}:1: label \"GPE\"")),
        "{}",
        stderr(&out)
    );
    assert_eq!(lines(&out).len(), 1);
}

#[test]
fn saved_rule_sets_are_used_too() {
    let dir = tempfile::tempdir().unwrap();
    let p = project(dir.path());
    // A project whose settings carry a dictionary (as the window saves it).
    let text = std::fs::read_to_string(&p).unwrap();
    let with = text.trim_end().strip_suffix(')').unwrap().to_string()
        + "  suggest: (learned: true, ignore_case: false, rule_sets: [(name: \"places.tsv\", kind: dictionary, enabled: true, source: \"Doha\\tPLACE\\n\")]),\n)\n";
    let saved = dir.path().join("saved.ron");
    std::fs::write(&saved, with).unwrap();
    let out = spanmark(&["suggest", saved.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        lines(&out),
        [row("b", 14, 18, "PLACE", "Doha", "dictionary: places.tsv")]
    );
}

#[test]
fn an_external_command_proposes_spans() {
    let dir = tempfile::tempdir().unwrap();
    let p = project(dir.path());
    // A "model" in sh: proposes the first three chars of every document as ORG.
    let cmd = r#"while read -r l; do id=$(printf '%s' "$l" | sed 's/^{"id":\([0-9]*\).*/\1/'); echo "{\"id\": $id, \"spans\": [{\"start\": 0, \"end\": 3, \"label\": \"ORG\", \"score\": 0.5}]}"; done"#;
    let out = spanmark(&["suggest", p.to_str().unwrap(), "--command", cmd]);
    assert!(out.status.success(), "{}", stderr(&out));
    let got = lines(&out);
    assert_eq!(got.len(), 2);
    assert_eq!((got[0].1, got[0].2, got[0].4.as_str()), (0, 3, "The"));
    assert_eq!(got[1].4, "Kab");
    assert!(got[0].5.starts_with("command: ") && got[0].5.ends_with("(score 0.50)"));
    // A failing command is an error, exit 1.
    let out = spanmark(&[
        "suggest",
        p.to_str().unwrap(),
        "--command",
        "echo oops >&2; exit 3",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("oops"), "{}", stderr(&out));
}

/// Whole-word (char-range) matches of `needle` in `text`: no alphanumeric char just
/// before or after.
fn whole_words(text: &str, needle: &str) -> Vec<(usize, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let n: Vec<char> = needle.chars().collect();
    let word = |i: usize| chars.get(i).is_some_and(|c| c.is_alphanumeric());
    (0..chars.len().saturating_sub(n.len() - 1))
        .filter(|&s| chars[s..s + n.len()] == n[..])
        .filter(|&s| (s == 0 || !word(s - 1)) && !word(s + n.len()))
        .map(|s| (s, s + n.len()))
        .collect()
}

/// The issue's goal on the bundled sample article: label the first mention of each entity
/// by hand, accept the learned suggestions, and the project holds every mention — with
/// well under half the hand work (18 hand spans for 47 mentions).
#[test]
fn first_mentions_are_enough_on_the_sample_article() {
    let text = include_str!("../assets/bagram.txt");
    let entities = [
        ("Taliban government", "ORG"),
        ("Taliban", "ORG"),
        ("Donald Trump", "PERSON"),
        ("Trump", "PERSON"),
        ("Bagram Air Base", "PLACE"),
        ("Bagram", "PLACE"),
        ("Afghanistan", "PLACE"),
        ("Washington", "PLACE"),
        ("JALALABAD", "PLACE"),
        ("United States", "PLACE"),
        ("U.S.", "PLACE"),
        ("Zabihullah Mujahid", "PERSON"),
        ("Mujahid", "PERSON"),
        ("Doha Agreement", "ORG"),
        ("Kabul", "PLACE"),
        ("Sunday", "DATE"),
        ("September 21, 2025", "DATE"),
        ("2021", "DATE"),
    ];
    // The gold mentions: longest entity first, no two overlapping (a careful annotator's
    // labels, independent of spanmark's matcher).
    let mut by_len = entities.to_vec();
    by_len.sort_by_key(|(s, _)| std::cmp::Reverse(s.chars().count()));
    let mut gold: Vec<(usize, usize, &str)> = Vec::new();
    for (s, label) in by_len {
        for (a, b) in whole_words(text, s) {
            if !gold.iter().any(|&(x, y, _)| x < b && a < y) {
                gold.push((a, b, label));
            }
        }
    }
    gold.sort();
    // By hand: the first gold mention of each entity.
    let chars: Vec<char> = text.chars().collect();
    let surface = |&(a, b, _): &(usize, usize, &str)| chars[a..b].iter().collect::<String>();
    let mut seen = std::collections::HashSet::new();
    let hand: Vec<_> = gold.iter().filter(|g| seen.insert(surface(g))).collect();
    assert_eq!(hand.len(), entities.len());
    assert_eq!(gold.len(), 47);

    let dir = tempfile::tempdir().unwrap();
    let record = serde_json::json!({
        "id": "bagram",
        "text": text,
        "label": hand.iter().map(|&&(a, b, l)| serde_json::json!([a, b, l])).collect::<Vec<_>>(),
    });
    let corpus = write(dir.path(), "bagram.jsonl", &format!("{record}\n"));
    let p = dir.path().join("p.ron");
    let out = spanmark(&["import", &corpus, "-o", p.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let done = dir.path().join("done.ron");
    let out = spanmark(&[
        "suggest",
        p.to_str().unwrap(),
        "--learn",
        "--accept",
        "-o",
        done.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));

    let project = spanmark::io::project::load_project(&done).unwrap();
    let doc = &project.documents()[0];
    let mut got: Vec<(usize, usize, String)> = doc
        .spans()
        .iter()
        .map(|s| {
            let name = project.label(s.label()).unwrap().name.clone();
            (s.start(), s.end(), name)
        })
        .collect();
    got.sort();
    let want: Vec<(usize, usize, String)> = gold
        .iter()
        .map(|&(a, b, l)| (a, b, l.to_string()))
        .collect();
    assert_eq!(got, want);
}

/// The project at `p` saved as `name` with one rule set inside (as the window saves it).
fn with_saved_rules(p: &Path, name: &str, set_name: &str, source: String) -> PathBuf {
    use spanmark::model::suggest::{RuleKind, RuleSet};
    let project = spanmark::io::load_project(p).unwrap();
    let mut settings = project.suggest_settings().clone();
    settings.rule_sets.push(RuleSet {
        name: set_name.into(),
        kind: RuleKind::Patterns,
        enabled: true,
        source,
        default_label: None,
    });
    let out = p.with_file_name(name);
    spanmark::io::save_project(&project.with_suggest_settings(settings), &out).unwrap();
    out
}

/// A rule set saved in a project that does not compile: `validate` said ok, then
/// `suggest` failed naming a file that is not on disk. Both now name the project, the
/// rule set and its line.
#[test]
fn saved_rule_sets_are_validated_and_errors_name_the_project() {
    let dir = tempfile::tempdir().unwrap();
    let p = project(dir.path());
    let source =
        "{\"label\": \"ORG\", \"pattern\": \"Taliban\"}\n{\"label\": \"ORG\", \"regex\": \"(\"}\n";
    let saved = with_saved_rules(&p, "saved.ron", "orgs.jsonl", source.into());
    let s = saved.to_str().unwrap();
    for args in [vec!["validate", s], vec!["suggest", s]] {
        let out = spanmark(&args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let e = stderr(&out);
        assert!(
            e.contains(&format!(
                "{s}: the patterns file \"orgs.jsonl\" saved in this project, line 2: bad regex"
            )),
            "{args:?}: {e}"
        );
    }
    // One that compiles validates, its unknown labels as warnings.
    let source = "{\"label\": \"GPE\", \"pattern\": \"Kabul\"}\n".to_string();
    let fine = with_saved_rules(&p, "fine.ron", "gpe.jsonl", source);
    let out = spanmark(&["validate", fine.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("warning:") && stderr(&out).contains("\"GPE\""),
        "{}",
        stderr(&out)
    );
}

/// Hostile rule sets saved in a project: one 16,000-word phrase (its automaton took
/// over a minute to build) validates and suggests at once; hundreds of Unicode regexes
/// (up to 0.5 MB each) stop at the memory limit, naming the line.
#[test]
fn hostile_saved_rule_sets_are_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let p = project(dir.path());
    let words = [
        "Kabul",
        "Taliban",
        "Doha",
        "Agreement",
        "met",
        "the",
        "in",
        "a",
    ];
    let phrase: Vec<&str> = (0..16_000)
        .map(|i| words[(i * 7 + i / 5) % words.len()])
        .collect();
    let source = format!(
        "{{\"label\": \"ORG\", \"pattern\": \"{}\"}}\n{{\"label\": \"PLACE\", \"pattern\": \"Doha\"}}\n",
        phrase.join(" ")
    );
    let long = with_saved_rules(&p, "long.ron", "long.jsonl", source);
    let out = spanmark(&["validate", long.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = spanmark(&["suggest", long.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        lines(&out),
        [row(
            "b",
            14,
            18,
            "PLACE",
            "Doha",
            "patterns: long.jsonl line 2"
        )]
    );
    let source: String = (0..900)
        .map(|i| format!("{{\"label\": \"ORG\", \"regex\": \"(?i)\\\\p{{L}}{{3}}\\\\w*{i}\"}}\n"))
        .collect();
    let many = with_saved_rules(&p, "many.ron", "many.jsonl", source);
    for cmd in ["validate", "suggest"] {
        let out = spanmark(&[cmd, many.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1));
        let e = stderr(&out);
        assert!(
            e.contains("\"many.jsonl\" saved in this project, line ") && e.contains("MB"),
            "{e}"
        );
    }
}

/// The hand-labelled flood sample (tests/speakers/quotes-sample.ron) without its gold
/// SPEAKER relations, saved as `name` in `dir`, with `rejected` of the gold rejected;
/// and the gold relations.
fn speakers_input(
    dir: &Path,
    name: &str,
    rejected: usize,
) -> (
    PathBuf,
    spanmark::model::Project,
    Vec<spanmark::model::Relation>,
) {
    use spanmark::model::{Document, Span};
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/speakers/quotes-sample.ron");
    let gold = spanmark::io::load_project(&sample).unwrap();
    let doc = &gold.documents()[0];
    let relations: Vec<_> = doc.relations().iter().copied().collect();
    let spans: Vec<Span> = doc.spans().iter().copied().collect();
    let bare = Document::with_spans(doc.name.clone(), doc.text().as_str(), spans)
        .unwrap()
        .with_rejected_relations(relations[..rejected].iter().copied())
        .unwrap();
    let p = gold.with_same_labels(vec![bare]).unwrap();
    let path = dir.join(name);
    spanmark::io::save_project(&p, &path).unwrap();
    (path, gold, relations)
}

/// The printed speaker suggestions as (document, relation, from, to, source), each end
/// as (start, end, label).
#[allow(clippy::type_complexity)]
fn relation_lines(
    o: &Output,
) -> Vec<(
    String,
    String,
    (u64, u64, String),
    (u64, u64, String),
    String,
)> {
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
            assert_eq!(
                keys,
                ["document", "from", "relation", "source", "to"],
                "{l}"
            );
            let end = |e: &serde_json::Value| {
                (
                    e["start"].as_u64().unwrap(),
                    e["end"].as_u64().unwrap(),
                    e["label"].as_str().unwrap().to_string(),
                )
            };
            let s = |k: &str| v[k].as_str().unwrap().to_string();
            (
                s("document"),
                s("relation"),
                end(&v["from"]),
                end(&v["to"]),
                s("source"),
            )
        })
        .collect()
}

#[test]
fn speakers_print_jsonl_and_accept_adds_them() {
    let dir = tempfile::tempdir().unwrap();
    let (input, gold, want) = speakers_input(dir.path(), "flood.ron", 0);
    let ps = input.to_str().unwrap();
    let out = spanmark(&["suggest", ps, "--speakers"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let first = String::from_utf8_lossy(&out.stdout)
        .lines()
        .next()
        .unwrap()
        .to_string();
    assert!(
        first.starts_with("{\"document\":\"quotes-sample\",\"relation\":\"SPEAKER\",\"from\":{\"start\":209,\"end\":269,\"label\":\"QUOTE\"},\"to\":{\"start\":275,\"end\":290,\"label\":\"PERSON\"},\"source\":"),
        "{first}"
    );
    let got = relation_lines(&out);
    let name = |s: spanmark::model::Span| gold.label(s.label()).unwrap().name.clone();
    let end = |s: spanmark::model::Span| (s.start() as u64, s.end() as u64, name(s));
    let expected: Vec<_> = want
        .iter()
        .map(|r| {
            (
                "quotes-sample".to_string(),
                "SPEAKER".to_string(),
                end(r.from()),
                end(r.to()),
            )
        })
        .collect();
    let printed: Vec<_> = got
        .iter()
        .map(|(d, r, f, t, _)| (d.clone(), r.clone(), f.clone(), t.clone()))
        .collect();
    assert_eq!(printed, expected);
    let sources: Vec<&str> = got.iter().map(|l| l.4.as_str()).collect();
    assert_eq!(
        sources,
        [
            "cue 'said' after the quote",
            "cue 'said' between the halves of a split quote, 'he' taken as the last PERSON before it",
            "cue 'said' between the halves of a split quote, 'he' taken as the last PERSON before it",
            "cue 'said' before the quote",
            "cue 'according to' before the quote",
        ]
    );

    // --accept: every one added; the input untouched; nothing left to suggest.
    let before = std::fs::read_to_string(&input).unwrap();
    let accepted = dir.path().join("accepted.ron");
    let out = spanmark(&[
        "suggest",
        ps,
        "--speakers",
        "--accept",
        "-o",
        accepted.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .contains("5 speaker suggestions accepted in 1 document"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(std::fs::read_to_string(&input).unwrap(), before);
    let p = spanmark::io::load_project(&accepted).unwrap();
    let relations: Vec<_> = p.documents()[0].relations().iter().copied().collect();
    assert_eq!(relations, want);
    let again = spanmark(&["suggest", accepted.to_str().unwrap(), "--speakers"]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(
        again.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&again.stdout)
    );
}

#[test]
fn speakers_never_repeat_a_rejected_one() {
    let dir = tempfile::tempdir().unwrap();
    // The first gold relation (Amina Yousafzai's quote) was rejected in the window.
    let (input, _, want) = speakers_input(dir.path(), "flood.ron", 1);
    let out = spanmark(&["suggest", input.to_str().unwrap(), "--speakers"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let got = relation_lines(&out);
    assert_eq!(got.len(), want.len() - 1);
    let rejected_quote = want[0].from().start() as u64;
    assert!(got.iter().all(|l| l.2.0 != rejected_quote), "{got:?}");
}

#[test]
fn speakers_bad_input() {
    use spanmark::model::{Document, Project, default_labels};
    let dir = tempfile::tempdir().unwrap();
    // No SPEAKER type: the labels lack QUOTE; or the file's relation types leave it out.
    let labels: Vec<_> = default_labels()
        .into_iter()
        .filter(|l| l.name != "QUOTE")
        .collect();
    let doc = || Document::new("d", "“Go,” said Anna.");
    let no_quote = dir.path().join("no-quote.ron");
    spanmark::io::save_project(&Project::new(labels, vec![doc()]).unwrap(), &no_quote).unwrap();
    let no_types = dir.path().join("no-types.ron");
    let p = Project::with_types(default_labels(), Vec::new(), vec![doc()]).unwrap();
    spanmark::io::save_project(&p, &no_types).unwrap();
    for path in [&no_quote, &no_types] {
        let s = path.to_str().unwrap();
        for extra in [&[][..], &["--accept", "-o", "/nonexistent/out.ron"][..]] {
            let out = spanmark(&[&["suggest", s, "--speakers"][..], extra].concat());
            assert_eq!(out.status.code(), Some(1), "{s} {extra:?}");
            assert!(
                stderr(&out).contains(&format!("{s}: the project has no SPEAKER relation type")),
                "{}",
                stderr(&out)
            );
            assert!(out.stdout.is_empty());
        }
    }
    // A missing or broken project: exit 1 naming it.
    let broken = write(dir.path(), "broken.ron", "(version: 1, labels: [");
    for s in [broken.as_str(), "/no/such/project.ron"] {
        let out = spanmark(&["suggest", s, "--speakers"]);
        assert_eq!(out.status.code(), Some(1), "{s}");
        assert!(stderr(&out).contains(s), "{}", stderr(&out));
    }
    // With a span source: a usage error (exit 2, as clap's), naming the conflict.
    let (input, _, _) = speakers_input(dir.path(), "flood.ron", 0);
    let ps = input.to_str().unwrap();
    for flag in [
        &["--learn"][..],
        &["--command", "true"],
        &["--patterns", "x.jsonl"],
    ] {
        let out = spanmark(&[&["suggest", ps, "--speakers"][..], flag].concat());
        assert_eq!(out.status.code(), Some(2), "{flag:?}");
        assert!(
            stderr(&out).contains("cannot be used with"),
            "{}",
            stderr(&out)
        );
    }
    // --accept needs -o.
    let out = spanmark(&["suggest", ps, "--speakers", "--accept"]);
    assert_eq!(out.status.code(), Some(2));
}
