//! No project file, however crafted, makes spanmark run a command. The command line is
//! the user's own setting (eframe storage, keyed by the project's path), never part of a
//! project: project files travel through git between annotators, and opening one must
//! never run a command its author chose.
//!
//! One test, alone in its binary: it counts this process's child processes, which other
//! tests running in parallel threads would disturb.
#![cfg(target_os = "linux")] // /proc/self/task/*/children

use std::collections::HashMap;
use std::path::Path;

use egui_kittest::kittest::Queryable;
use spanmark::app::{SpanmarkApp, Startup};
use spanmark::model::suggest::{LabelMap, SuggestSettings};
use spanmark::model::{Document, Project};

mod common;

/// This process's child processes (every thread's).
fn children() -> Vec<String> {
    let mut out = Vec::new();
    for task in std::fs::read_dir("/proc/self/task").unwrap().flatten() {
        if let Ok(list) = std::fs::read_to_string(task.path().join("children")) {
            out.extend(list.split_whitespace().map(str::to_string));
        }
    }
    out
}

/// The user's settings, in memory.
#[derive(Default)]
struct Mem(HashMap<String, String>);

impl eframe::Storage for Mem {
    fn get_string(&self, key: &str) -> Option<String> {
        self.0.get(key).cloned()
    }
    fn set_string(&mut self, key: &str, value: String) {
        self.0.insert(key.to_string(), value);
    }
    fn remove_string(&mut self, key: &str) {
        self.0.remove(key);
    }
    fn flush(&mut self) {}
}

/// The app opening `path`, with the user's settings `storage`, after its first frames.
fn open(path: &Path, storage: &Mem) -> egui_kittest::Harness<'static, SpanmarkApp> {
    let path = path.to_path_buf();
    let storage = Mem(storage.0.clone());
    let mut h = egui_kittest::Harness::builder()
        .with_size(eframe::egui::vec2(1280.0, 800.0))
        .build_eframe(move |_cc| {
            SpanmarkApp::headless(Startup::Paths(vec![path])).with_storage(&storage)
        });
    h.run();
    h
}

/// What the Run command… field starts with (then the dialog is cancelled).
fn command_field(h: &mut egui_kittest::Harness<'_, SpanmarkApp>) -> String {
    common::menu_item(h, "Suggestions", "Run command…");
    let text = h
        .get_by_role(eframe::egui::accesskit::Role::TextInput)
        .value()
        .unwrap_or_default();
    h.get_by_label("Cancel").click();
    h.run();
    text
}

#[test]
fn no_project_file_makes_spanmark_run_a_command() {
    let dir = tempfile::tempdir().unwrap();
    let marker = dir.path().join("pwned");
    let shell = format!("$(touch {0}); touch {0}; `touch {0}`", marker.display());
    let quoted = format!("{shell:?}");

    // A project whose data holds shell code everywhere data may: the label map (the
    // one suggestion setting about commands), a document's name and text.
    let mut map = LabelMap::new();
    map.set(shell.clone(), Some(shell.clone()));
    map.set("GPE", Some(shell.clone()));
    let project = Project::with_documents(vec![Document::new(shell.clone(), shell.clone())])
        .with_suggest_settings(SuggestSettings {
            label_map: map,
            ..SuggestSettings::default()
        });
    let saved = dir.path().join("base.ron");
    spanmark::io::save_project(&project, &saved).unwrap();
    let base = std::fs::read_to_string(&saved).unwrap();
    assert!(
        !base.contains("command"),
        "the project file has no command field:\n{base}"
    );

    // Then fields a project file does not have, where a command could be hidden.
    let head = base.find('(').unwrap() + 1;
    let suggest = base.find("suggest: (").unwrap() + "suggest: (".len();
    let mut crafted = vec![("as saved", base.clone())];
    for field in [
        "command",
        "last_command",
        "recommender",
        "commands",
        "run",
        "exec",
    ] {
        let mut top = base.clone();
        top.insert_str(head, &format!("\n  {field}: {quoted},"));
        crafted.push((field, top));
        let mut inner = base.clone();
        inner.insert_str(suggest, &format!("{field}: {quoted}, "));
        crafted.push((field, inner));
    }
    let mut list = base.clone();
    list.insert_str(head, &format!("\n  commands: [({quoted}, {quoted})],"));
    crafted.push(("a list of commands", list));

    // The user remembered a command for another project: it must not carry over.
    let mut storage = Mem::default();
    eframe::set_value(
        &mut storage,
        "commands",
        &vec![(
            "/elsewhere/other.ron".to_string(),
            format!("touch {}", marker.display()),
        )],
    );
    let before = children();
    for (what, text) in &crafted {
        let path = dir.path().join("crafted.ron");
        std::fs::write(&path, text).unwrap();
        let mut h = open(&path, &storage);
        // Whether it opened (unknown fields are ignored) or was refused, nothing runs:
        // no frame, menu or dialog starts the command.
        h.run_steps(5);
        assert!(!h.state().is_command_running(), "{what}");
        if h.state().error().is_some() {
            h.key_press(eframe::egui::Key::Enter);
            h.run();
        }
        let field = command_field(&mut h);
        assert_eq!(field, "", "{what}: the field starts empty");
        h.run_steps(3);
        assert!(!h.state().is_command_running(), "{what}");
        assert!(h.state().remembered_commands().len() <= 1, "{what}");
        assert!(!marker.exists(), "{what}: a command ran");
        assert_eq!(children(), before, "{what}: a process was started");
    }

    // The user's own command for this project: remembered in the user's settings under
    // the project's path, offered again when it is opened, and never run unasked.
    let path = dir.path().join("mine.ron");
    std::fs::write(&path, &base).unwrap();
    let mut h = open(&path, &Mem::default());
    common::menu_item(&mut h, "Suggestions", "Run command…");
    let command = r#"cat >/dev/null; echo '{"id": 0, "spans": []}'"#;
    h.get_by_role(eframe::egui::accesskit::Role::TextInput)
        .type_text(command);
    h.run();
    h.get_by_label("Run").click();
    h.run_steps(3);
    assert!(!h.state().is_command_running());
    let mut mine = Mem::default();
    eframe::App::save(h.state_mut(), &mut mine);
    let key = std::path::absolute(&path).unwrap().display().to_string();
    let remembered: Vec<(String, String)> = eframe::get_value(&mine, "commands").unwrap();
    assert_eq!(remembered, vec![(key, command.to_string())]);
    // Saving the project writes no command into it.
    spanmark::io::save_project(h.state().workspace().project(), &path).unwrap();
    assert!(
        !std::fs::read_to_string(&path)
            .unwrap()
            .contains("cat >/dev/null")
    );

    let before = children();
    let mut h = open(&path, &mine);
    h.run_steps(5);
    assert!(!h.state().is_command_running());
    assert_eq!(
        command_field(&mut h),
        command,
        "offered again for this project"
    );
    assert_eq!(children(), before);
    // The same file elsewhere is another project: nothing offered.
    let copy = dir.path().join("copy.ron");
    std::fs::copy(&path, &copy).unwrap();
    let mut h = open(&copy, &mine);
    assert_eq!(command_field(&mut h), "");
    assert!(!marker.exists());
}
