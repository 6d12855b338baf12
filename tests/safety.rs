//! Never lose work, never crash on bad input: autosave and recovery, .bak, changes on
//! disk, undoable deletes, disk errors, hostile files, mutated files, and SIGKILL mid-save.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use eframe::egui::{self, Key, Modifiers, vec2};
use egui_kittest::{Harness, kittest::Queryable};
use spanmark::app::{SAMPLE_TEXT, SpanmarkApp, Startup};
use spanmark::io::{self, import::ImportOptions};
use spanmark::model::{Document, LabelId, Project, Span, default_labels};
use spanmark::synth::Rng;

fn app(startup: Startup, recovery: &Path) -> Harness<'static, SpanmarkApp> {
    let recovery = recovery.to_path_buf();
    let mut h = Harness::builder()
        .with_size(vec2(1280.0, 800.0))
        .build_eframe(move |_cc| SpanmarkApp::headless(startup).with_recovery_dir(recovery));
    h.run();
    h
}

/// Opens `project` in the app, labels a span and presses Ctrl+S.
fn open_label_and_save(project: &Path, recovery: &Path) -> Harness<'static, SpanmarkApp> {
    let mut h = app(Startup::Paths(vec![project.to_path_buf()]), recovery);
    label_person(&mut h);
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    h
}

/// Labels "Zabihullah Mujahid" by dragging over it and pressing 1.
fn label_person(h: &mut Harness<'_, SpanmarkApp>) {
    let byte = SAMPLE_TEXT.find("Zabihullah Mujahid").unwrap();
    let start = SAMPLE_TEXT[..byte].chars().count();
    let a = h.state().view().char_screen_pos(start).unwrap() - vec2(2.0, 0.0);
    let b = h.state().view().char_screen_pos(start + 17).unwrap() + vec2(2.0, 0.0);
    h.hover_at(a);
    h.run();
    h.drag_at(a);
    h.run();
    h.hover_at(b);
    h.run();
    h.drop_at(b);
    h.run();
    h.key_press(Key::Num1);
    h.run();
}

fn span_count(h: &Harness<'_, SpanmarkApp>) -> usize {
    h.state()
        .workspace()
        .project()
        .documents()
        .iter()
        .map(|d| d.spans().len())
        .sum()
}

#[test]
fn crash_then_restore_an_unsaved_project() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut h = app(Startup::Sample, &data);
    assert!(!h.state().is_offering_recovery());
    label_person(&mut h);
    let copy = h
        .state_mut()
        .autosave_now()
        .expect("a recovery copy is written");
    assert!(copy.starts_with(&data));
    drop(h); // the "crash": no save, no discard

    let mut h = app(Startup::Sample, &data);
    assert!(h.state().is_offering_recovery());
    assert!(h.query_by_label_contains("1 document, 1 span.").is_some());
    h.get_by_label("Restore").click();
    h.run();
    assert_eq!(span_count(&h), 1);
    assert!(h.state().workspace().is_dirty(), "restored work is unsaved");
    // Saving it removes the copy.
    let saved = dir.path().join("kept.ron");
    h.state_mut().apply(
        &egui::Context::default(),
        spanmark::ui::Action::SaveToPath(saved.clone()),
    );
    // The save's result arrives on the next frame, as in the window.
    h.run();
    assert!(saved.exists());
    assert!(!copy.exists());
    drop(h);
    let h = app(Startup::Sample, &data);
    assert!(!h.state().is_offering_recovery());
}

#[test]
fn crash_then_restore_a_saved_project_and_discard_removes_the_copy() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let project = dir.path().join("p.ron");
    io::save_project(&spanmark::app::sample_project(), &project).unwrap();
    let mut h = app(Startup::Paths(vec![project.clone()]), &data);
    label_person(&mut h);
    let copy = h.state_mut().autosave_now().unwrap();
    assert_eq!(copy, dir.path().join(".p.ron.recovery"));
    drop(h);

    let mut h = app(Startup::Paths(vec![project.clone()]), &data);
    assert!(h.state().is_offering_recovery());
    h.get_by_label("Discard copy").click();
    h.run();
    assert!(!copy.exists());
    assert_eq!(span_count(&h), 0, "the saved file is what is open");
}

#[test]
fn undo_back_to_saved_state_removes_the_copy() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app(Startup::Sample, dir.path());
    label_person(&mut h);
    let copy = h.state_mut().autosave_now().unwrap();
    assert!(copy.exists());
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert!(!h.state().workspace().is_dirty());
    assert!(!copy.exists());
}

#[test]
fn save_keeps_bak_and_asks_before_overwriting_a_changed_file() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("p.ron");
    io::save_project(&spanmark::app::sample_project(), &project).unwrap();
    let original = std::fs::read_to_string(&project).unwrap();
    let mut h = open_label_and_save(&project, &dir.path().join("data"));
    assert!(!h.state().workspace().is_dirty());
    assert_eq!(
        std::fs::read_to_string(io::backup_path(&project)).unwrap(),
        original
    );

    // Another program rewrites the file (a git pull, say).
    let theirs = original.replace("status: todo", "status: done");
    std::fs::write(&project, &theirs).unwrap();
    h.key_press(Key::Delete); // delete the selected span: a change to save
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    assert!(h.query_by_label("The file changed on disk").is_some());
    h.get_by_label("Cancel").click();
    h.run();
    assert_eq!(std::fs::read_to_string(&project).unwrap(), theirs);
    assert!(h.state().workspace().is_dirty());
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    h.get_by_label("Overwrite").click();
    h.run();
    assert!(!h.state().workspace().is_dirty());
    assert_eq!(
        std::fs::read_to_string(io::backup_path(&project)).unwrap(),
        theirs
    );
}

#[test]
fn deleting_a_document_is_undoable() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app(Startup::Sample, &dir.path().join("data"));
    label_person(&mut h);
    h.get_by_label("Edit").click();
    h.run();
    h.get_by_label("Delete document").click();
    h.run();
    assert!(h.state().workspace().project().documents().is_empty());
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(span_count(&h), 1);
}

/// A tiny tmpfs, so that "disk full" and "read-only" are real. Needs root (CI is).
struct TinyDisk(PathBuf);

impl TinyDisk {
    fn mount(dir: &Path) -> Option<Self> {
        let mnt = dir.join("tiny");
        std::fs::create_dir_all(&mnt).ok()?;
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=256k", "tmpfs"])
            .arg(&mnt)
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI runs as root and must be able to mount a tmpfs"
            );
            eprintln!("skipped: cannot mount a tmpfs here (needs root)");
            return None;
        }
        Some(Self(mnt))
    }

    fn remount_read_only(&self) {
        assert!(
            Command::new("mount")
                .args(["-o", "remount,ro"])
                .arg(&self.0)
                .status()
                .unwrap()
                .success()
        );
    }
}

impl Drop for TinyDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn full_disk_and_read_only_folder_keep_the_old_file_and_the_work() {
    let dir = tempfile::tempdir().unwrap();
    let Some(disk) = TinyDisk::mount(dir.path()) else {
        return;
    };
    let project = disk.0.join("p.ron");
    io::save_project(&spanmark::app::sample_project(), &project).unwrap();
    let before = std::fs::read(&project).unwrap();
    // Fill the disk, then try to save something bigger.
    let filler = disk.0.join("filler");
    let _ = std::fs::write(&filler, vec![0u8; 256 * 1024]);
    let big = Project::with_documents(vec![Document::new("big", "x".repeat(200_000))]);
    let e = io::save_project(&big, &project).unwrap_err().to_string();
    assert!(e.contains("p.ron"), "{e}");
    assert_eq!(std::fs::read(&project).unwrap(), before);
    let _ = std::fs::remove_file(&filler);

    // Through the app: the error is shown, the work stays in memory, the file is intact.
    disk.remount_read_only();
    let mut h = open_label_and_save(&project, &dir.path().join("data"));
    let err = h.state().error().expect("the failure is shown").to_string();
    assert!(
        err.contains("Could not save") && err.contains("p.ron"),
        "{err}"
    );
    assert!(h.state().workspace().is_dirty());
    assert_eq!(span_count(&h), 1);
    assert_eq!(std::fs::read(&project).unwrap(), before);
    // Autosave falls back to the data folder when the project folder is read-only.
    let copy = h.state_mut().autosave_now().expect("a recovery copy");
    assert!(copy.starts_with(dir.path().join("data")));
}

fn expect_clean_error(result: Result<impl std::fmt::Debug, io::IoError>, needles: &[&str]) {
    let e = result.expect_err("an error").to_string();
    for n in needles {
        assert!(e.contains(n), "{n:?} not in {e:?}");
    }
}

#[test]
fn hostile_project_files_give_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let good =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("saves/sample.ron"))
            .unwrap();
    let write = |name: &str, bytes: &[u8]| {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    };
    // Binary, truncated, deeply nested, newer version, span past the end, unknown label.
    let bin = write("bin.ron", &[0x89, b'P', b'N', b'G', 0, 0xff, 0xfe]);
    expect_clean_error(io::load_project(&bin), &["bin.ron", "not UTF-8"]);
    let cut = write("cut.ron", &good.as_bytes()[..good.len() / 2]);
    expect_clean_error(io::load_project(&cut), &["cut.ron:"]);
    let deep = format!("{}{}", "(".repeat(10_000), ")".repeat(10_000));
    let deep = write("deep.ron", deep.as_bytes());
    expect_clean_error(io::load_project(&deep), &["deep.ron:1:"]);
    let v2 = write(
        "v2.ron",
        good.replace("version: 1", "version: 2").as_bytes(),
    );
    expect_clean_error(io::load_project(&v2), &["v2.ron", "newer spanmark"]);
    let past = write(
        "past.ron",
        good.replace("(start: 1847, end: 1852", "(start: 1847, end: 99999")
            .as_bytes(),
    );
    expect_clean_error(
        io::load_project(&past),
        &["past.ron", "span 19", "outside the text"],
    );
    let unknown = write(
        "unknown.ron",
        good.replace("end: 7, label: \"ORG\"", "end: 7, label: \"ALIEN\"")
            .as_bytes(),
    );
    expect_clean_error(
        io::load_project(&unknown),
        &["unknown.ron", "\"ALIEN\" is not defined"],
    );
    // Label names the formats cannot hold (a line break, a tab, a space, nothing) are
    // refused with the file and the name, as `validate` reports them.
    for (file, ron_name, shown) in [
        ("newline.ron", "a\\nb", "\"a\\nb\""),
        ("tab.ron", "NEW LABEL\\tX", "\"NEW LABEL\\tX\""),
        ("space.ron", "NEW LABEL", "\"NEW LABEL\""),
        ("empty.ron", "", "needs a name"),
    ] {
        let p = write(
            file,
            good.replace("\"ORG\"", &format!("\"{ron_name}\""))
                .as_bytes(),
        );
        expect_clean_error(io::load_project(&p), &[file, shown]);
    }
}

/// The window's export never replaces a project: not the open one, not another one.
/// The error dialog says why, and the files are byte for byte as they were.
#[test]
fn exports_from_the_window_never_replace_a_project() {
    use spanmark::io::export::{Format, Scheme};
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let project = dir.path().join("p.ron");
    let other = dir.path().join("other.ron");
    std::fs::copy(root.join("saves/sample.ron"), &project).unwrap();
    std::fs::copy(root.join("saves/sample.ron"), &other).unwrap();
    let before = std::fs::read(&project).unwrap();
    let mut h = app(
        Startup::Paths(vec![project.clone()]),
        &dir.path().join("data"),
    );
    for (format, path) in [
        (Format::Jsonl, &project),
        (Format::Csv, &other),
        (Format::Hf, &other),
    ] {
        h.state_mut().apply(
            &egui::Context::default(),
            spanmark::ui::Action::ExportTo {
                format,
                scheme: Scheme::Iob2,
                path: path.clone(),
            },
        );
        h.run();
        let error = h.state().error().expect("an error is shown").to_string();
        assert!(
            error.contains("an export never replaces") && error.contains(".ron"),
            "{error}"
        );
        h.key_press(Key::Escape);
        h.run();
    }
    assert_eq!(std::fs::read(&project).unwrap(), before);
    assert_eq!(std::fs::read(&other).unwrap(), before);
}

#[test]
fn huge_and_hostile_imports() {
    let dir = tempfile::tempdir().unwrap();
    let opts = ImportOptions::default();
    // A 200 MB text imports and saves; nothing panics.
    let big = dir.path().join("big.txt");
    let line = "Taliban spokesman Zabihullah Mujahid said the talks would go on.\n";
    std::fs::write(&big, line.repeat(200_000_000 / line.len())).unwrap();
    let imp = spanmark::io::import::import_paths(&[big], default_labels(), opts).unwrap();
    assert!(imp.documents[0].text().char_len() > 199_000_000);
    drop(imp);
    // A single 50 MB JSONL line.
    let long = dir.path().join("long.jsonl");
    let text = "a".repeat(50_000_000);
    std::fs::write(
        &long,
        format!("{{\"text\": \"{text}\", \"label\": [[0, 5, \"X\"]]}}\n"),
    )
    .unwrap();
    let imp = spanmark::io::import::import_paths(&[long], default_labels(), opts).unwrap();
    assert_eq!(imp.documents[0].text().char_len(), 50_000_000);
    // A brat .ann whose offsets do not match its text.
    let txt = dir.path().join("d.txt");
    std::fs::write(&txt, "Kabul and Bagram").unwrap();
    let ann = dir.path().join("d.ann");
    std::fs::write(&ann, "T1\tPLACE 1 6\tKabul\n").unwrap();
    expect_clean_error(
        spanmark::io::import::import_paths(&[ann], default_labels(), opts),
        &["d.ann", "line 1", "does not match"],
    );
}

fn mutate(rng: &mut Rng, input: &[u8]) -> Vec<u8> {
    let mut out = input.to_vec();
    for _ in 0..1 + rng.below(4) {
        let len = out.len().max(1);
        match rng.below(5) {
            0 => {
                let i = rng.below(len);
                if let Some(b) = out.get_mut(i) {
                    *b ^= 1 << rng.below(8);
                }
            }
            1 => out.truncate(rng.below(len)),
            2 => {
                // Splice a fragment of the input somewhere else.
                let a = rng.below(input.len());
                let b = (a + rng.below(64)).min(input.len());
                let at = rng.below(out.len() + 1);
                out.splice(at..at, input[a..b].iter().copied());
            }
            3 => {
                let a = rng.below(len);
                let b = (a + rng.below(32)).min(out.len());
                if a < b {
                    out.drain(a..b);
                }
            }
            _ => {
                let at = rng.below(out.len() + 1);
                let junk: &[u8] = match rng.below(6) {
                    0 => b"\"",
                    1 => b"99999999999",
                    2 => "👨‍👩‍👧".as_bytes(),
                    3 => b"[[[[",
                    4 => b"\t",
                    _ => b"-1",
                };
                out.splice(at..at, junk.iter().copied());
            }
        }
    }
    out
}

#[test]
fn thousands_of_mutated_files_never_panic() {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let project = std::fs::read(root.join("saves/sample.ron")).unwrap();
    let jsonl = b"{\"id\": \"a\", \"text\": \"\xf0\x9f\x87\xa6\xf0\x9f\x87\xab Kabul, \xe6\x9d\xb1\xe4\xba\xac\", \"label\": [[3, 8, \"PLACE\"], [10, 12, \"PLACE\"]]}\n{\"text\": \"Mujahid\", \"entities\": [{\"start_offset\": 0, \"end_offset\": 7, \"label\": \"PERSON\"}]}\n".to_vec();
    let ann = b"T1\tPLACE 0 5\tKabul\nT2\tPERSON 10 17;18 25\tZabihul lah Muj\n#1\tAnnotatorNotes T1\tnote\n".to_vec();
    std::fs::write(
        dir.path().join("b.txt"),
        "Kabul and Zabihul\nlah Mujahid said.",
    )
    .unwrap();
    let mut rng = Rng(0x5eed_1234_abcd_ef01);
    let mut slowest = Duration::ZERO;
    let (mut ok, mut errors) = (0, 0);
    for i in 0..3000 {
        let (name, source): (&str, &[u8]) = match i % 3 {
            0 => ("p.ron", &project),
            1 => ("j.jsonl", &jsonl),
            _ => ("b.ann", &ann),
        };
        let mutated = mutate(&mut rng, source);
        let path = dir.path().join(name);
        std::fs::write(&path, &mutated).unwrap();
        let started = Instant::now();
        let result = if name.ends_with(".ron") {
            io::load_project(&path).map(|_| ())
        } else {
            spanmark::io::import::import_paths(&[path], default_labels(), ImportOptions::default())
                .map(|_| ())
        };
        slowest = slowest.max(started.elapsed());
        match result {
            Ok(()) => ok += 1,
            Err(e) => {
                assert!(
                    e.to_string().contains(name),
                    "case {i}: error without the file: {e}"
                );
                errors += 1;
            }
        }
    }
    assert!(ok > 0 && errors > 1000, "{ok} ok, {errors} errors");
    assert!(
        slowest < Duration::from_secs(2),
        "slowest case took {slowest:?}"
    );
}

/// The project a crash-test child saves as version `k`: about 1 MB, with spans.
fn version(k: u64) -> Project {
    let text: String = (0..15_000)
        .map(|i| format!("Line {i} of version {k}: Mujahid in Kabul.\n"))
        .collect();
    let spans = (0..2_000)
        .map(|i| {
            let s = i * 40;
            Span::new(s, s + 4, LabelId((i % 5) as u32)).unwrap()
        })
        .collect();
    Project::new(
        default_labels(),
        vec![Document::with_spans(format!("v{k}"), text, spans).unwrap()],
    )
    .unwrap()
}

/// Run by `sigkill_during_saves_never_corrupts` in a child process: saves versions
/// 1, 2, 3… of a project in a loop until killed.
#[test]
#[ignore]
fn crash_test_child() {
    let Some(path) = std::env::var_os("SPANMARK_CRASH_FILE") else {
        return;
    };
    let path = PathBuf::from(path);
    for k in 1.. {
        io::save_project(&version(k), &path).unwrap();
    }
}

#[test]
fn sigkill_during_saves_never_corrupts() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.ron");
    io::save_project(&version(0), &path).unwrap();
    let mut rng = Rng(0x00c0_ffee_d00d_beef);
    let mut seen = std::collections::BTreeSet::new();
    // On a loaded machine the child may not finish a save before the kill: then the
    // kills come later, so that they land at different moments whatever the load.
    let mut slack = 1.0f64;
    let mut round = 0;
    while round < 12 || (seen.len() < 2 && round < 60) {
        round += 1;
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "crash_test_child", "--ignored", "--nocapture"])
            .env("SPANMARK_CRASH_FILE", &path)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let wait = (50.0 + rng.below(400) as f64) * slack;
        std::thread::sleep(Duration::from_millis(wait as u64));
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        let loaded = io::load_project(&path).expect("the project file always loads");
        let name = loaded.documents()[0].name.clone();
        let k: u64 = name.trim_start_matches('v').parse().unwrap();
        assert_eq!(loaded, version(k), "the file is exactly one whole version");
        if !seen.insert(k) {
            slack = (slack * 1.5).min(20.0);
        }
        // The backup is a whole earlier version too.
        if let Ok(bak) = io::load_project(&io::backup_path(&path)) {
            let kb: u64 = bak.documents()[0]
                .name
                .trim_start_matches('v')
                .parse()
                .unwrap();
            assert_eq!(bak, version(kb));
        }
    }
    assert!(
        seen.len() > 1,
        "the kills landed at different moments: {seen:?}"
    );
}

// --- hostile input on the newer surfaces (issue 18) ---

/// A patterns file (phrases, token patterns, regexes) and a dictionary, for mutating.
const PATTERNS: &str = r#"{"label": "ORG", "pattern": "Taliban"}
{"label": "PLACE", "pattern": "Bagram Air Base", "id": "bagram"}
{"label": "PERSON", "pattern": [{"IS_TITLE": true, "OP": "+"}, {"LOWER": "mujahid"}]}
{"label": "DATE", "pattern": [{"SHAPE": "dddd"}, {"ORTH": ",", "OP": "?"}]}
{"label": "DATE", "regex": "\\b\\d{4}\\b"}
{"label": "QUOTE", "regex": "(?i)\"[^\"]{3,80}\""}
"#;
const DICTIONARY: &str =
    "# places\nKabul\tPLACE\nDoha Agreement\tORG\n\nZabihullah Mujahid\tPERSON\nBagram\n";

/// Compiles a rule set against the sample project and searches the sample text; an
/// error must name the rule set and a line.
fn try_rules(
    kind: spanmark::model::suggest::RuleKind,
    name: &str,
    source: String,
) -> Result<usize, String> {
    use spanmark::model::suggest::{RuleSet, RuleSetRules};
    let project = spanmark::app::sample_project();
    let set = RuleSet {
        name: name.into(),
        kind,
        enabled: true,
        source,
        default_label: Some("PLACE".into()),
    };
    match RuleSetRules::compile(&set, &project) {
        Ok((rules, _)) => Ok(rules.find(project.documents()[0].text()).len()),
        Err(e) => {
            let shown = e.to_string();
            assert!(shown.starts_with(&format!("{name}:")), "{shown}");
            Err(shown)
        }
    }
}

/// Patterns files and dictionaries: thousands of mutations and the pathological
/// shapes (one huge phrase, too many or too large regexes, token patterns of `*`s over a
/// long text, deep JSON, a huge repetition) give a match list or an error naming the
/// file and line; none panics, hangs or takes gigabytes.
#[test]
fn hostile_patterns_and_dictionaries() {
    use spanmark::model::suggest::RuleKind;
    let mut rng = Rng(0x18_5eed_0fa1);
    let (mut ok, mut errors) = (0, 0);
    for i in 0..600 {
        let (kind, name, base) = if i % 2 == 0 {
            (RuleKind::Patterns, "rules.jsonl", PATTERNS)
        } else {
            (RuleKind::Dictionary, "places.tsv", DICTIONARY)
        };
        let mutated = String::from_utf8_lossy(&mutate(&mut rng, base.as_bytes())).into_owned();
        match try_rules(kind, name, mutated) {
            Ok(_) => ok += 1,
            Err(_) => errors += 1,
        }
    }
    assert!(ok > 50 && errors > 50, "{ok} ok, {errors} errors");

    let words: Vec<&str> = SAMPLE_TEXT.split_whitespace().collect();
    let phrase: Vec<&str> = (0..16_000).map(|i| words[(i * 31) % words.len()]).collect();
    let line = |label: &str, key: &str, value: String| {
        format!("{{\"label\": \"{label}\", \"{key}\": {value}}}\n")
    };
    let p = RuleKind::Patterns;
    // One phrase of 16,000 words: built at once.
    assert!(
        try_rules(
            p,
            "long.jsonl",
            line("QUOTE", "pattern", format!("\"{}\"", phrase.join(" ")))
        )
        .is_ok()
    );
    // 1,001 distinct regexes; 900 Unicode ones past the memory limit.
    let many: String = (0..=1000)
        .map(|i| line("DATE", "regex", format!("\"x{i}\"")))
        .collect();
    let e = try_rules(p, "many.jsonl", many).unwrap_err();
    assert!(e.starts_with("many.jsonl:1001: more than 1000"), "{e}");
    let big: String = (0..900)
        .map(|i| {
            line(
                "DATE",
                "regex",
                format!("\"\\\\w+\\\\s\\\\p{{Lu}}{{2}}\\\\w*{i}\""),
            )
        })
        .collect();
    let e = try_rules(p, "big.jsonl", big).unwrap_err();
    assert!(e.contains("MB a file may use"), "{e}");
    // A huge repetition is refused by the regex size limit.
    let e = try_rules(
        p,
        "rep.jsonl",
        line("DATE", "regex", "\"(a{1000}){1000}\"".into()),
    )
    .unwrap_err();
    assert!(e.starts_with("rep.jsonl:1: bad regex"), "{e}");
    // JSON nested past serde's limit.
    let deep = format!("{}1{}", "[".repeat(10_000), "]".repeat(10_000));
    let e = try_rules(p, "deep.jsonl", line("ORG", "pattern", deep)).unwrap_err();
    assert!(e.starts_with("deep.jsonl:1: not a JSON object"), "{e}");
    // `*` tokens over the sample text (about 2,000 tokens), then a word.
    let stars = ["{\"OP\": \"*\"}"; 20].join(", ");
    let n = try_rules(
        p,
        "stars.jsonl",
        line(
            "QUOTE",
            "pattern",
            format!("[{stars}, {{\"LOWER\": \"kabul\"}}]"),
        ),
    )
    .unwrap();
    assert!(n > 0);
    // A dictionary of 20,000 entries and one 1 MB line.
    let entries: String = (0..20_000).map(|i| format!("name{i}\tPLACE\n")).collect();
    assert!(try_rules(RuleKind::Dictionary, "big.tsv", entries).is_ok());
    let long = format!("{}\tPLACE\n", "Kabul ".repeat(200_000));
    assert_eq!(try_rules(RuleKind::Dictionary, "long.tsv", long), Ok(0));
}

/// Project files mutated, then through the merge driver (the real binary: git's exit
/// codes, %A untouched when it fails), agree, merge and split: no panic, every failure
/// a message, and a split merged back is the project it came from, in order.
#[test]
fn hostile_projects_through_merge_driver_agree_merge_and_split() {
    use spanmark::model::{agreement, merge};
    let dir = tempfile::tempdir().unwrap();
    // Eight documents with spans (a split reorders them), as a file to mutate.
    let base_path = dir.path().join("base.ron");
    io::save_project_plain(&spanmark::synth::corpus(6_000, 8, 60, 18), &base_path).unwrap();
    let source = std::fs::read(&base_path).unwrap();
    let base = io::load_project(&base_path).unwrap();
    let mut rng = Rng(0x000d_15ea_5e18);
    let mut loaded = 0;
    for i in 0..600 {
        let mutated = mutate(&mut rng, &source);
        let path = dir.path().join("m.ron");
        std::fs::write(&path, &mutated).unwrap();
        let Ok(p) = io::load_project(&path) else {
            continue;
        };
        loaded += 1;
        let named = |n: &str, p| (n.to_string(), p);
        if let Err(e) = merge::three_way(&base, &p, &base) {
            assert!(!e.to_string().is_empty());
        }
        if let Err(e) = merge::merge(&[named("a", &base), named("b", &p)], merge::Policy::Agreed) {
            assert!(!e.to_string().is_empty());
        }
        if let Err(e) = agreement::report(&[named("a", &base), named("b", &p)]) {
            assert!(!e.to_string().is_empty(), "case {i}");
        }
        let split = merge::split(&p, 1 + i % 4, (i % 101) as f64);
        let named_split: Vec<(String, &Project)> = split
            .projects
            .iter()
            .enumerate()
            .map(|(k, q)| (format!("a{k}"), q))
            .collect();
        let unique = {
            let mut names: Vec<&str> = p.documents().iter().map(|d| d.name.as_str()).collect();
            names.sort_unstable();
            names.windows(2).all(|w| w[0] != w[1])
        };
        if unique && let Ok(back) = merge::merge(&named_split, merge::Policy::Union) {
            let names = |q: &Project| -> Vec<String> {
                q.documents().iter().map(|d| d.name.clone()).collect()
            };
            assert_eq!(
                names(&back),
                names(&p),
                "case {i}: split then merge keeps the order"
            );
        }
    }
    assert!(loaded > 20, "{loaded} mutated files loaded");

    // The merge driver, as git runs it, on mutated sides.
    let bin = env!("CARGO_BIN_EXE_spanmark");
    let mut codes = std::collections::BTreeSet::new();
    for _ in 0..60 {
        let ours = dir.path().join("ours.ron");
        let theirs = dir.path().join("theirs.ron");
        // A side is mutated, or a sound edit of the base (one span relabelled).
        let side = |rng: &mut Rng| {
            if rng.below(3) == 0 {
                return mutate(rng, &source);
            }
            let text = String::from_utf8_lossy(&source).into_owned();
            let at: Vec<usize> = text.match_indices("label: \"").map(|(i, _)| i).collect();
            let i = at[rng.below(at.len())] + "label: \"".len();
            let end = i + text[i..].find('"').unwrap();
            let to = ["PERSON", "PLACE", "ORG", "DATE", "QUOTE"][rng.below(5)];
            format!("{}{to}{}", &text[..i], &text[end..]).into_bytes()
        };
        let ours_bytes = side(&mut rng);
        std::fs::write(&ours, &ours_bytes).unwrap();
        std::fs::write(&theirs, side(&mut rng)).unwrap();
        let o = Command::new(bin)
            .arg("merge-driver")
            .args([&base_path, &ours, &theirs])
            .output()
            .unwrap();
        let code = o.status.code().unwrap_or(-1);
        codes.insert(code);
        match code {
            0 | 1 => assert!(io::load_project(&ours).is_ok(), "the merge loads"),
            2 => {
                assert_eq!(std::fs::read(&ours).unwrap(), ours_bytes, "%A untouched");
                assert!(String::from_utf8_lossy(&o.stderr).contains(".ron"));
            }
            _ => panic!("exit {code}: {}", String::from_utf8_lossy(&o.stderr)),
        }
    }
    assert!(codes.contains(&2) && codes.len() > 1, "{codes:?}");
}
