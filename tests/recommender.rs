//! The external suggestion command (`io::recommender`) with real processes: a command
//! that answers, one that fails, one that prints garbage, one that hangs, a cancel, a
//! 5 MB corpus, and `examples/spacy_recommender.py` with spaCy's EntityRuler.
//!
//! The spaCy test needs `SPANMARK_PYTHON` pointing at a Python with spaCy (as
//! tests/interop.rs); without it that test is skipped, except under CI, where it fails.
#![cfg(unix)] // the commands below are sh; Windows runs them through cmd

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use spanmark::io::recommender::{
    CommandOutput, CommandSpan, RecommenderError, Request, RunOptions, run,
};
use spanmark::model::{Document, Edit, Project, Span, Status, Workspace};

/// Runs `command` over `docs` with labels PER and ORG, recording progress.
fn go(
    command: &str,
    docs: &[(usize, &str)],
    opts: &RunOptions,
    cancel: &AtomicBool,
) -> (Result<CommandOutput, RecommenderError>, Vec<(usize, usize)>) {
    let labels = ["PER".to_string(), "ORG".to_string()];
    let mut seen = Vec::new();
    let result = run(command, docs, &labels, opts, cancel, &mut |done, total| {
        seen.push((done, total))
    });
    (result, seen)
}

fn quick(command: &str, docs: &[(usize, &str)]) -> Result<CommandOutput, RecommenderError> {
    go(
        command,
        docs,
        &RunOptions::default(),
        &AtomicBool::new(false),
    )
    .0
}

/// A shell word holding `s` exactly.
fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// `sed` answers each request with two spans (0..2 PER, 0..1000 ORG), `tac` reverses the
/// answers: order is free, and the second span is past every text.
const ANSWERS: &str = r#"sed -E 's/^\{"id":([0-9]+),.*$/{"id":\1,"spans":[{"start":0,"end":2,"label":"PER","score":0.5},{"start":0,"end":1000,"label":"ORG"}]}/' | tac"#;

#[test]
fn a_command_that_answers_gives_its_spans_and_progress() {
    let docs = [(0, "Hello world"), (3, "Hi there"), (4, "Ünïcode ☃")];
    let (result, progress) = go(
        ANSWERS,
        &docs,
        &RunOptions::default(),
        &AtomicBool::new(false),
    );
    let out = result.unwrap();
    let per = |doc| CommandSpan {
        doc,
        start: 0,
        end: 2,
        label: "PER".into(),
        score: Some(0.5),
    };
    assert_eq!(out.spans, vec![per(0), per(3), per(4)]);
    // The span past the text is skipped with a warning naming the line, not an error.
    assert_eq!(out.skipped, 3);
    assert!(
        out.warnings
            .contains(&"output line 1: document 4: span 0..1000 lies outside the text (9 characters); skipped".to_string()),
        "{:?}",
        out.warnings
    );
    assert_eq!(progress, vec![(0, 3), (1, 3), (2, 3), (3, 3)]);
}

#[test]
fn an_index_given_twice_is_sent_once() {
    let (result, progress) = go(
        ANSWERS,
        &[(2, "ab"), (2, "ab")],
        &RunOptions::default(),
        &AtomicBool::new(false),
    );
    assert_eq!(result.unwrap().spans.len(), 1);
    assert_eq!(progress, vec![(0, 1), (1, 1)]);
}

#[test]
fn the_command_runs_in_the_given_directory() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("answer.jsonl"),
        "{\"id\": 0, \"spans\": [{\"start\": 1, \"end\": 3, \"label\": \"ORG\"}]}\n",
    )
    .unwrap();
    let opts = RunOptions {
        dir: Some(dir.path().to_path_buf()),
        ..RunOptions::default()
    };
    let (result, _) = go(
        "cat answer.jsonl",
        &[(0, "abcd")],
        &opts,
        &AtomicBool::new(false),
    );
    let out = result.unwrap();
    assert_eq!(out.spans.len(), 1);
    assert_eq!((out.spans[0].start, out.spans[0].end), (1, 3));
    assert_eq!(out.spans[0].score, None);
}

#[test]
fn a_failing_command_shows_its_stderr() {
    let command = "cat > /dev/null; echo 'model exploded' >&2; exit 1";
    let err = quick(command, &[(0, "text")]).unwrap_err();
    assert!(
        matches!(&err, RecommenderError::Failed { status, .. } if status.code() == Some(1)),
        "{err:?}"
    );
    let message = err.to_string();
    assert!(message.contains(command), "{message}");
    assert!(message.ends_with(":\nmodel exploded"), "{message}");
}

#[test]
fn a_missing_command_says_not_found() {
    let command = "no-such-recommender-3141 --model x";
    let err = quick(command, &[(0, "text")]).unwrap_err();
    assert!(matches!(err, RecommenderError::NotFound { .. }), "{err:?}");
    let message = err.to_string();
    assert!(
        message.starts_with("`no-such-recommender-3141 --model x`: command not found"),
        "{message}"
    );
}

#[test]
fn garbage_output_names_the_line() {
    let command = r#"echo 'warming up' >&2; echo '{"id": 0, "spans": []}'; echo; echo 'Loading model...'; sleep 30"#;
    let started = Instant::now();
    let err = quick(command, &[(0, "text"), (1, "more")]).unwrap_err();
    // The error comes at once (the command is killed), not after its sleep.
    assert!(started.elapsed() < Duration::from_secs(20));
    let RecommenderError::BadOutput { line, message, .. } = &err else {
        panic!("{err:?}");
    };
    assert_eq!(*line, 3, "blank lines count as lines");
    assert!(message.contains("Loading model..."), "{message}");
    let shown = err.to_string();
    assert!(shown.contains(command), "{shown}");
    // With its stderr, which often says why.
    assert!(shown.ends_with(":\nwarming up"), "{shown}");

    // Not an object of the protocol either: a span without its label.
    let err = quick(
        r#"echo '{"id": 0, "spans": [{"start": 0, "end": 1}]}'"#,
        &[(0, "t")],
    )
    .unwrap_err();
    assert!(err.to_string().contains("missing field `label`"), "{err}");
    // Bytes that are not UTF-8.
    let err = quick(r"printf '\377\376\n'", &[(0, "t")]).unwrap_err();
    assert!(
        err.to_string().contains("output line 1: not UTF-8"),
        "{err}"
    );
}

#[test]
fn answers_that_cannot_be_attributed_are_errors() {
    let err = quick(r#"echo '{"id": 7, "spans": []}'"#, &[(0, "t")]).unwrap_err();
    assert!(
        err.to_string()
            .ends_with("output line 1: id 7 is not a document that was sent"),
        "{err}"
    );
    let twice = r#"echo '{"id": 0, "spans": []}'; echo '{"id": 0, "spans": []}'"#;
    let err = quick(twice, &[(0, "t"), (1, "u")]).unwrap_err();
    assert!(
        err.to_string()
            .ends_with("output line 2: document 0 was answered twice")
    );
}

#[test]
fn an_answer_missing_is_an_error() {
    let command = r#"cat > /dev/null; echo '{"id": 1, "spans": []}'"#;
    let err = quick(command, &[(4, "a"), (1, "b"), (2, "c")]).unwrap_err();
    assert!(
        matches!(
            &err,
            RecommenderError::Incomplete {
                answered: 1,
                total: 3,
                missing,
                ..
            } if missing == &[2, 4]
        ),
        "{err:?}"
    );
    // The message names the documents without an answer (it used to quote a fixed
    // example) and shows the line one of them needs.
    let shown = err.to_string();
    assert!(
        shown.contains("answered 1 of 3 documents; no answer for documents 2, 4")
            && shown.contains(r#"({"id": 2, "spans": []} when it has none)"#),
        "{shown}"
    );
    let many: Vec<(usize, &str)> = (0..25).map(|i| (i, "t")).collect();
    let err = quick(r#"cat > /dev/null; echo '{"id": 3, "spans": []}'"#, &many).unwrap_err();
    assert!(
        err.to_string()
            .contains("no answer for documents 0, 1, 2, 4, 5, 6, 7, 8, 9, 10 and 14 more"),
        "{err}"
    );
}

/// A command that answers every document and exits 0, leaving a child in the
/// background that holds its stdout: it was stopped after the idle timeout as "printed
/// nothing". The run now ends when every document is answered and the command has
/// exited, and the background child is killed with the command's process group.
#[test]
fn a_background_child_holding_stdout_does_not_stop_a_finished_run() {
    let dir = tempfile::tempdir().unwrap();
    let pid_file = dir.path().join("pid");
    let command = format!(
        r#"cat > /dev/null; echo '{{"id": 0, "spans": [{{"start": 0, "end": 4, "label": "PER"}}]}}'; sleep 60 & echo $! > {}; echo '{{"id": 1, "spans": []}}'"#,
        quote(pid_file.to_str().unwrap())
    );
    let opts = RunOptions {
        idle_timeout: Duration::from_secs(3),
        ..RunOptions::default()
    };
    let (result, progress) = go(
        &command,
        &[(0, "text"), (1, "more")],
        &opts,
        &AtomicBool::new(false),
    );
    let out = result.unwrap();
    assert_eq!(out.spans.len(), 1);
    assert_eq!(progress.last(), Some(&(2, 2)));
    if cfg!(target_os = "linux") {
        let pid = std::fs::read_to_string(&pid_file).unwrap();
        let pid = pid.trim();
        let until = Instant::now() + Duration::from_secs(10);
        while !dead(pid) && Instant::now() < until {
            std::thread::sleep(Duration::from_millis(20));
        }
        assert!(dead(pid), "the background child {pid} outlived the run");
    }
    // Not answered in full, it still waits for the rest (and times out).
    let command = r#"cat > /dev/null; echo '{"id": 0, "spans": []}'; sleep 60 &"#;
    let (result, _) = go(
        command,
        &[(0, "text"), (1, "more")],
        &opts,
        &AtomicBool::new(false),
    );
    assert!(
        matches!(result, Err(RecommenderError::Timeout { .. })),
        "{result:?}"
    );
    // A line it printed after its answers, just before exiting, is still read.
    let command = r#"cat > /dev/null; echo '{"id": 0, "spans": []}'; sleep 60 & echo 'done!'"#;
    let (result, _) = go(command, &[(0, "text")], &opts, &AtomicBool::new(false));
    assert!(
        matches!(&result, Err(RecommenderError::BadOutput { line: 2, .. })),
        "{result:?}"
    );
}

/// Whether process `pid` is gone (or a zombie: dead, waiting to be reaped by init).
fn dead(pid: &str) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Err(_) => true,
        // The state follows the command name in parentheses.
        Ok(stat) => stat
            .rsplit_once(") ")
            .is_some_and(|(_, rest)| rest.starts_with('Z') || rest.starts_with('X')),
    }
}

#[test]
fn a_silent_command_times_out_and_is_killed_with_its_children() {
    let dir = tempfile::tempdir().unwrap();
    let pid_file = dir.path().join("pid");
    // The shell starts a child and waits for it: both must go.
    let command = format!(
        "echo 'loading' >&2; sleep 60 & echo $! > {}; wait",
        quote(pid_file.to_str().unwrap())
    );
    let opts = RunOptions {
        idle_timeout: Duration::from_secs(1),
        ..RunOptions::default()
    };
    let started = Instant::now();
    let (result, progress) = go(&command, &[(0, "text")], &opts, &AtomicBool::new(false));
    let err = result.unwrap_err();
    assert!(
        matches!(err, RecommenderError::Timeout { idle, .. } if idle == Duration::from_secs(1)),
        "{err:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(20));
    assert!(
        err.to_string().ends_with(
            "printed nothing for 1 s and was stopped (a slow model can be given longer):\nloading"
        ),
        "{err}"
    );
    assert_eq!(progress, vec![(0, 1)]);
    if cfg!(target_os = "linux") {
        let pid = std::fs::read_to_string(&pid_file).unwrap();
        let pid = pid.trim();
        let until = Instant::now() + Duration::from_secs(10);
        while !dead(pid) && Instant::now() < until {
            std::thread::sleep(Duration::from_millis(20));
        }
        assert!(dead(pid), "the command's child {pid} outlived the timeout");
    }
}

#[test]
fn stderr_output_keeps_a_slow_command_alive() {
    // Silent on stdout for 1.5 s, but talking on stderr: not a hang.
    let command = r#"cat > /dev/null; for i in 1 2 3 4 5 6; do echo "step $i" >&2; sleep 0.25; done; echo '{"id": 0, "spans": []}'"#;
    let opts = RunOptions {
        idle_timeout: Duration::from_secs(1),
        ..RunOptions::default()
    };
    let (result, _) = go(command, &[(0, "t")], &opts, &AtomicBool::new(false));
    assert_eq!(result.unwrap(), CommandOutput::default());
}

#[test]
fn cancel_kills_a_slow_command_promptly() {
    let cancel = AtomicBool::new(false);
    let started = Instant::now();
    let (result, _) = std::thread::scope(|s| {
        s.spawn(|| {
            std::thread::sleep(Duration::from_millis(300));
            cancel.store(true, Ordering::Relaxed);
        });
        go(
            r#"echo '{"id": 0, "spans": []}'; sleep 60"#,
            &[(0, "a"), (1, "b")],
            &RunOptions::default(),
            &cancel,
        )
    });
    let err = result.unwrap_err();
    assert!(matches!(err, RecommenderError::Cancelled { .. }), "{err:?}");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn a_large_corpus_echoed_back_does_not_deadlock() {
    // 50 documents of 100,000 chars: 5 MB in, and sed sends every text back as it reads,
    // so both pipes are full at once unless input is written while output is read.
    let text = "a".repeat(100_000);
    let docs: Vec<(usize, &str)> = (0..50).map(|i| (i, text.as_str())).collect();
    let command = r#"sed -E 's/^\{"id":([0-9]+),"text":("[a]*"),.*$/{"id":\1,"echo":\2,"spans":[{"start":99999,"end":100000,"label":"PER"}]}/'"#;
    let opts = RunOptions {
        idle_timeout: Duration::from_secs(30),
        ..RunOptions::default()
    };
    let (result, progress) = go(command, &docs, &opts, &AtomicBool::new(false));
    let out = result.unwrap();
    assert_eq!(out.spans.len(), 50);
    assert_eq!(out.skipped, 0);
    assert_eq!(progress.last(), Some(&(50, 50)));
}

#[test]
fn no_documents_runs_nothing() {
    let out = quick("exit 1", &[]).unwrap();
    assert_eq!(out, CommandOutput::default());
}

/// `text`'s char offsets of `needle` (its `nth` occurrence), as Python's `str.index`.
fn chars_of(text: &str, needle: &str, nth: usize) -> (usize, usize) {
    let byte = text.match_indices(needle).nth(nth).unwrap().0;
    let start = text[..byte].chars().count();
    (start, start + needle.chars().count())
}

#[test]
fn spacy_recommender_example_runs_through_the_command_path() {
    let Some(python) = std::env::var_os("SPANMARK_PYTHON") else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must set SPANMARK_PYTHON to a Python with spaCy"
        );
        eprintln!("skipped: set SPANMARK_PYTHON to run the spaCy recommender example");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let patterns = dir.path().join("patterns.jsonl");
    std::fs::write(
        &patterns,
        concat!(
            r#"{"label": "ORG", "pattern": "Doha Agreement"}"#,
            "\n",
            r#"{"label": "PLACE", "pattern": "Doha"}"#,
            "\n",
            r#"{"label": "PLACE", "pattern": "Kabul"}"#,
            "\n",
            r#"{"label": "DATE", "regex": "\\d{4}"}"#,
            "\n",
            r#"{"label": "MISC", "pattern": [{"LOWER": "taliban"}]}"#,
            "\n",
        ),
    )
    .unwrap();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/spacy_recommender.py");
    let base = format!(
        "{} {} --blank en --patterns {}",
        quote(python.to_str().unwrap()),
        quote(script),
        quote(patterns.to_str().unwrap())
    );
    // Emoji before the names: char offsets differ from bytes and from UTF-16 units.
    let texts = [
        "🙂 Kabul and the Doha Agreement, signed in Doha by the TALIBAN in 2020.",
        "Nothing to see here.",
        "Ünïcode: the Taliban left Kabul.",
    ];
    let project = Project::with_documents(
        texts
            .iter()
            .enumerate()
            .map(|(i, t)| Document::new(format!("doc{i}"), *t))
            .collect(),
    );
    let request = Request::from_project(&project);
    let opts = RunOptions {
        idle_timeout: Duration::from_secs(120),
        ..RunOptions::default()
    };
    let never = AtomicBool::new(false);
    let out = request.run(&base, &opts, &never, &mut |_, _| {}).unwrap();

    let span = |doc: usize, needle: &str, nth: usize, label: &str| {
        let (start, end) = chars_of(texts[doc], needle, nth);
        CommandSpan {
            doc,
            start,
            end,
            label: label.into(),
            score: None,
        }
    };
    // The EntityRuler's matches: longest first (the Agreement, not its Doha), then the
    // token pattern matching any case; the regex line is skipped.
    let all = vec![
        span(0, "Kabul", 0, "PLACE"),
        span(0, "Doha Agreement", 0, "ORG"),
        span(0, "Doha", 1, "PLACE"),
        span(0, "TALIBAN", 0, "MISC"),
        span(2, "Taliban", 0, "MISC"),
        span(2, "Kabul", 0, "PLACE"),
    ];
    assert_eq!(out.spans, all);
    assert_eq!(out.skipped, 0);

    // Into the project: MISC is not one of its labels.
    let adapted = request.adapt(&project, &out.spans);
    assert_eq!(adapted.unknown_label, 2);
    assert_eq!(adapted.stale, 0);
    let place = project.label_id("PLACE").unwrap();
    let org = project.label_id("ORG").unwrap();
    let d = |i: usize| project.documents()[i].id();
    assert_eq!(
        adapted.results,
        vec![
            (d(0), Span::new(2, 7, place).unwrap(), None),
            (d(0), Span::new(16, 30, org).unwrap(), None),
            (d(0), Span::new(42, 46, place).unwrap(), None),
            (d(2), Span::new(26, 31, place).unwrap(), None),
        ]
    );

    // --only-known keeps the project's labels only.
    let out = request
        .run(
            &format!("{base} --only-known"),
            &opts,
            &never,
            &mut |_, _| {},
        )
        .unwrap();
    let known: Vec<_> = all.into_iter().filter(|s| s.label != "MISC").collect();
    assert_eq!(out.spans, known);
}

#[test]
fn adapt_skips_documents_replaced_meanwhile() {
    let project = Project::with_documents(vec![Document::new("a", "Kabul")]);
    let request = Request::from_project(&project);
    let found = vec![CommandSpan {
        doc: 0,
        start: 0,
        end: 5,
        label: "PLACE".into(),
        score: Some(0.9),
    }];
    let place = project.label_id("PLACE").unwrap();
    assert_eq!(
        request.adapt(&project, &found).results,
        vec![(
            project.documents()[0].id(),
            Span::new(0, 5, place).unwrap(),
            Some(0.9)
        )]
    );
    // Same name and text, but another document (it was reopened or replaced).
    let other = Project::with_documents(vec![Document::new("a", "Kabul")]);
    let adapted = request.adapt(&other, &found);
    assert!(adapted.results.is_empty());
    assert_eq!(adapted.stale, 1);
}

/// The command protocol against hostile output: every case ends at once with an error
/// naming the output line, or with its bad spans skipped and counted; nothing panics,
/// and a flood of bad spans keeps a bounded list of warnings.
#[test]
fn hostile_command_output_gives_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let deep = format!(
        "{{\"id\": 0, \"spans\": {}{}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let many_spans: Vec<String> = (0..100_000)
        .map(|i| {
            format!(
                "{{\"start\": {i}, \"end\": {}, \"label\": \"PER\"}}",
                i + 50
            )
        })
        .collect();
    let flood = format!("{{\"id\": 0, \"spans\": [{}]}}", many_spans.join(","));
    let errors: [(&str, String); 8] = [
        ("nested 100,000 deep", deep),
        (
            "id past u64",
            r#"{"id": 18446744073709551616, "spans": []}"#.into(),
        ),
        ("negative id", r#"{"id": -1, "spans": []}"#.into()),
        (
            "offset past i64",
            r#"{"id": 0, "spans": [{"start": 0, "end": 9223372036854775808, "label": "PER"}]}"#
                .into(),
        ),
        (
            "float offset",
            r#"{"id": 0, "spans": [{"start": 0.5, "end": 2, "label": "PER"}]}"#.into(),
        ),
        (
            "NaN score",
            r#"{"id": 0, "spans": [{"start": 0, "end": 2, "label": "PER", "score": NaN}]}"#.into(),
        ),
        (
            "spans not a list",
            r#"{"id": 0, "spans": {"start": 0}}"#.into(),
        ),
        ("a JSON list", "[0, []]".into()),
    ];
    let run_with = |output: &str| {
        let f = dir.path().join("out.jsonl");
        std::fs::write(&f, output).unwrap();
        quick(
            &format!("cat > /dev/null; cat {}", quote(f.to_str().unwrap())),
            &[(0, "0123456789")],
        )
    };
    for (what, line) in &errors {
        let err = run_with(&format!("{line}\n")).expect_err(what);
        assert!(
            err.to_string().contains("output line 1:"),
            "{what}: {}",
            err.to_string().chars().take(300).collect::<String>()
        );
    }
    // 100,000 spans past a 10-char text: all skipped, counted, 20 warnings kept.
    let out = run_with(&format!("{flood}\n")).unwrap();
    assert_eq!((out.spans.len(), out.skipped), (0, 100_000));
    assert_eq!(out.warnings.len(), 20);
    // CRLF line ends and a padded string id are read as the protocol allows.
    let out = run_with(
        "{\"id\": \" 0 \", \"spans\": [{\"start\": 0, \"end\": 2, \"label\": \"PER\"}]}\r\n",
    )
    .unwrap();
    assert_eq!(out.spans.len(), 1);
    // A line longer than 64 MB is not an answer.
    let err = quick(
        "cat > /dev/null; head -c 70000000 /dev/zero | tr '\\0' a",
        &[(0, "t")],
    )
    .unwrap_err();
    assert!(err.to_string().contains("longer than 64 MB"), "{err}");
}

#[test]
fn each_request_carries_the_documents_spans_and_status() {
    let dir = tempfile::tempdir().unwrap();
    let mut done = Document::new("done", "Kabul is in Afghanistan.");
    done.status = Status::Done;
    let todo = Document::new("todo", "Doha is in Qatar. ☃ Kabul too.");
    let project = Project::with_documents(vec![done, todo]);
    let place = project.label_id("PLACE").unwrap();
    let person = project.label_id("PERSON").unwrap();
    let mut ws = Workspace::new(project);
    let (d0, d1) = (
        ws.project().documents()[0].id(),
        ws.project().documents()[1].id(),
    );
    ws.apply(
        "spans",
        vec![
            Edit::AddSpan {
                doc: d0,
                span: Span::new(0, 5, place).unwrap(),
            },
            Edit::AddSpan {
                doc: d0,
                span: Span::new(12, 23, place).unwrap(),
            },
            Edit::AddSpan {
                doc: d1,
                span: Span::new(20, 25, person).unwrap(),
            },
        ],
    )
    .unwrap();
    let request = Request::from_project(ws.project());
    // The command keeps what it read, and answers each document with nothing.
    let input = dir.path().join("input.jsonl");
    let command = format!(
        r#"tee {} | sed -E 's/^\{{"id":([0-9]+),.*$/{{"id":\1,"spans":[]}}/'"#,
        quote(input.to_str().unwrap())
    );
    let out = request
        .run(
            &command,
            &RunOptions::default(),
            &AtomicBool::new(false),
            &mut |_, _| {},
        )
        .unwrap();
    assert!(out.spans.is_empty());
    let sent: Vec<serde_json::Value> = std::fs::read_to_string(&input)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(sent.len(), 2);
    assert_eq!(
        sent[0],
        serde_json::json!({
            "id": 0,
            "text": "Kabul is in Afghanistan.",
            "labels": ["PERSON", "PLACE", "ORG", "DATE", "QUOTE"],
            "spans": [
                {"start": 0, "end": 5, "label": "PLACE"},
                {"start": 12, "end": 23, "label": "PLACE"},
            ],
            "status": "done",
        })
    );
    assert_eq!(
        sent[1]["spans"],
        serde_json::json!([{"start": 20, "end": 25, "label": "PERSON"}])
    );
    // Its first span made it "in progress" (the status rule of the history).
    assert_eq!(sent[1]["status"], "in_progress");

    // An old command that reads only id and text (as a strict parser of the first
    // protocol would) still answers: the new fields change nothing for it.
    let old = r#"python3 -c 'import json,sys
for l in sys.stdin:
    r = json.loads(l); t = r["text"]
    print(json.dumps({"id": r["id"], "spans": [{"start": 0, "end": t.index(" "), "label": "PLACE"}]}), flush=True)'"#;
    let out = request
        .run(
            old,
            &RunOptions::default(),
            &AtomicBool::new(false),
            &mut |_, _| {},
        )
        .unwrap();
    let adapted = request.adapt(ws.project(), &out.spans);
    // Kabul is a span of document 0 already; the engine filters it later, not adapt.
    assert_eq!(adapted.results.len(), 2);
    assert_eq!(
        adapted.results[1],
        (d1, Span::new(0, 4, place).unwrap(), None)
    );
}

#[test]
fn bare_texts_carry_neither_spans_nor_status() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("input.jsonl");
    let command = format!(
        r#"tee {} | sed -E 's/^\{{"id":([0-9]+),.*$/{{"id":\1,"spans":[]}}/'"#,
        quote(input.to_str().unwrap())
    );
    quick(&command, &[(7, "Hello")]).unwrap();
    let line: serde_json::Value =
        serde_json::from_str(std::fs::read_to_string(&input).unwrap().trim()).unwrap();
    assert_eq!(
        line,
        serde_json::json!({"id": 7, "text": "Hello", "labels": ["PER", "ORG"]})
    );
}
