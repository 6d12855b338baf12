//! The app shell's ordering: a question answered with Save goes on after the save, work
//! done while a save runs stays unsaved, and autosave copies never outlive a clean exit.
//! Jobs go through the same queue headless as in the window; `hold_job_results` keeps a
//! finished job's result back, as a slow disk would.

use std::path::{Path, PathBuf};
use std::time::Duration;

use eframe::egui::{self, Key, Modifiers, vec2};
use egui_kittest::{Harness, kittest::Queryable};
use spanmark::app::{SAMPLE_TEXT, SpanmarkApp, Startup, sample_project};
use spanmark::io;
use spanmark::model::{Document, Project};

mod common;

fn harness_with(app: impl FnOnce() -> SpanmarkApp + 'static) -> Harness<'static, SpanmarkApp> {
    let mut h = Harness::builder()
        .with_size(vec2(1280.0, 800.0))
        .build_eframe(move |_cc| app());
    h.run();
    h
}

/// A saved sample project in `dir`, open in the app.
fn open_saved(dir: &Path, threaded: bool) -> (Harness<'static, SpanmarkApp>, PathBuf) {
    let project = dir.join("p.ron");
    io::save_project(&sample_project(), &project).unwrap();
    let paths = vec![project.clone()];
    let h = harness_with(move || {
        let app = SpanmarkApp::headless(Startup::Paths(paths));
        if threaded {
            app.with_background_jobs()
        } else {
            app
        }
    });
    (h, project)
}

/// Labels "Zabihullah Mujahid" as PERSON by dragging over it and pressing 1.
fn label_person(h: &mut Harness<'_, SpanmarkApp>) {
    common::select(h, "Zabihullah Mujahid");
    h.key_press(Key::Num1);
    h.run();
}

fn saved_spans(path: &Path) -> usize {
    io::load_project(path).unwrap().documents()[0].spans().len()
}

/// Runs frames until the background jobs are done (threaded harnesses).
fn settle(h: &mut Harness<'_, SpanmarkApp>) {
    for _ in 0..500 {
        // Steps, not `run`: the progress bar animates while a job runs.
        h.step();
        if !h.state().is_busy() {
            h.run();
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("the background jobs never finished");
}

/// A file dropped on the window, as the windowing layer hands it to egui.
#[derive(Debug)]
struct Dropped(PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

fn drop_file(h: &mut Harness<'_, SpanmarkApp>, path: &Path) {
    h.input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(path.to_path_buf())));
}

/// Another program rewrites the project file with content of the same length and puts
/// its modification time back: only the content tells that it changed.
fn change_behind_our_back(project: &Path) {
    let modified = std::fs::metadata(project).unwrap().modified().unwrap();
    let theirs = std::fs::read_to_string(project)
        .unwrap()
        .replace("status: todo", "status: tudo");
    std::fs::write(project, &theirs).unwrap();
    std::fs::File::options()
        .write(true)
        .open(project)
        .unwrap()
        .set_modified(modified)
        .unwrap();
}

#[test]
fn quit_then_save_closes_the_window_once_saved() {
    for threaded in [false, true] {
        let dir = tempfile::tempdir().unwrap();
        let (mut h, project) = open_saved(dir.path(), threaded);
        label_person(&mut h);
        h.key_press_modifiers(Modifiers::COMMAND, Key::Q);
        h.run();
        assert!(h.state().is_asking_to_save());
        h.get_by_label("Save").click();
        settle(&mut h);
        assert_eq!(saved_spans(&project), 1, "threaded: {threaded}");
        assert!(!h.state().workspace().is_dirty());
        assert!(
            h.state().is_quitting(),
            "threaded: {threaded}: the quit went on"
        );
    }
}

#[test]
fn new_then_save_starts_the_new_project_once_saved() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, project) = open_saved(dir.path(), true);
    label_person(&mut h);
    h.key_press_modifiers(Modifiers::COMMAND, Key::N);
    h.run();
    h.get_by_label("Save").click();
    settle(&mut h);
    assert_eq!(saved_spans(&project), 1);
    assert!(h.state().workspace().project().documents().is_empty());
    assert_eq!(h.state().path(), None);
}

#[test]
fn quit_then_save_then_overwrite_still_quits() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, project) = open_saved(dir.path(), false);
    label_person(&mut h);
    change_behind_our_back(&project);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Q);
    h.run();
    h.get_by_label("Save").click();
    h.run();
    assert!(h.query_by_label("The file changed on disk").is_some());
    h.get_by_label("Overwrite").click();
    h.run();
    assert_eq!(saved_spans(&project), 1);
    assert!(h.state().is_quitting());
}

#[test]
fn quit_then_save_then_cancel_stays_open() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, project) = open_saved(dir.path(), false);
    label_person(&mut h);
    std::fs::remove_file(&project).unwrap();
    h.key_press_modifiers(Modifiers::COMMAND, Key::Q);
    h.run();
    h.get_by_label("Save").click();
    h.run();
    assert!(h.query_by_label("The file was deleted on disk").is_some());
    h.get_by_label("Cancel").click();
    h.run();
    assert!(!project.exists());
    assert!(!h.state().is_quitting());
    // A later save, asked for by itself, does not quit either.
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    h.get_by_label("Save").click();
    h.run();
    assert_eq!(saved_spans(&project), 1);
    assert!(!h.state().is_quitting());
}

#[test]
fn a_file_dropped_during_a_save_stays_unsaved() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, project) = open_saved(dir.path(), false);
    label_person(&mut h);
    let txt = dir.path().join("more.txt");
    std::fs::write(&txt, "Another article about Kabul.").unwrap();
    h.state_mut().hold_job_results(true);
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run_steps(3); // a held job keeps its progress bar moving
    drop_file(&mut h, &txt);
    h.run_steps(3); // a held job keeps its progress bar moving
    // The file is read in the job queue, after the save.
    assert_eq!(h.state().workspace().project().documents().len(), 1);
    h.state_mut().hold_job_results(false);
    h.run();
    assert_eq!(h.state().workspace().project().documents().len(), 2);
    assert_eq!(saved_spans(&project), 1, "the save finished");
    assert!(
        h.state().workspace().is_dirty(),
        "the dropped document is not in the saved file"
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::Q);
    h.run();
    assert!(h.state().is_asking_to_save());
}

#[test]
fn a_project_dropped_during_a_save_opens_after_it() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, project) = open_saved(dir.path(), false);
    label_person(&mut h);
    let other = dir.path().join("other.ron");
    let p = Project::with_documents(vec![Document::new("other", SAMPLE_TEXT)]);
    io::save_project(&p, &other).unwrap();
    h.state_mut().hold_job_results(true);
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run_steps(3); // a held job keeps its progress bar moving
    drop_file(&mut h, &other);
    h.run_steps(3); // a held job keeps its progress bar moving
    // Unsaved as far as the app knows: the open waits for an answer, and the question
    // waits for the save; once saved, nothing is left to ask about.
    assert!(h.state().is_asking_to_save());
    h.state_mut().hold_job_results(false);
    h.run();
    assert_eq!(
        saved_spans(&project),
        1,
        "the running save was not replaced"
    );
    assert_eq!(h.state().path(), Some(other.as_path()));
    assert_eq!(h.state().workspace().project().documents()[0].name, "other");
}

#[test]
fn an_autosave_finishing_after_the_save_leaves_no_copy() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let project = dir.path().join("p.ron");
    io::save_project(&sample_project(), &project).unwrap();
    let (paths, data2) = (vec![project.clone()], data.clone());
    let mut h = harness_with(move || {
        SpanmarkApp::headless(Startup::Paths(paths))
            .with_recovery_dir(data2)
            .with_autosave_interval(Duration::ZERO)
    });
    h.state_mut().hold_job_results(true);
    label_person(&mut h); // unsaved: an autosave starts at once and is held
    let copy = dir.path().join(".p.ron.recovery");
    assert!(copy.exists(), "the autosave wrote its copy");
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run_steps(3); // a held job keeps its progress bar moving
    h.state_mut().hold_job_results(false);
    h.run();
    assert_eq!(saved_spans(&project), 1);
    assert!(!copy.exists(), "saved: no recovery copy is left");
    drop(h);
    let h = harness_with(move || {
        SpanmarkApp::headless(Startup::Paths(vec![project])).with_recovery_dir(data)
    });
    assert!(!h.state().is_offering_recovery());
}

#[test]
fn discard_and_quit_during_an_autosave_leaves_no_copy() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let d2 = data.clone();
    let mut h = harness_with(move || {
        SpanmarkApp::headless(Startup::Sample)
            .with_recovery_dir(d2)
            .with_autosave_interval(Duration::ZERO)
    });
    h.state_mut().hold_job_results(true);
    label_person(&mut h);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Q);
    h.run_steps(3); // a held job keeps its progress bar moving
    h.get_by_label("Discard").click();
    h.run_steps(3); // a held job keeps its progress bar moving
    assert!(h.state().is_quitting());
    // eframe calls this as the window closes.
    eframe::App::on_exit(h.state_mut(), None);
    let left: Vec<_> = std::fs::read_dir(data.join("recovery"))
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    assert!(
        left.iter()
            .all(|p| p.extension().is_none_or(|e| e != "ron")),
        "{left:?}"
    );
    drop(h);
    let h = harness_with(move || SpanmarkApp::headless(Startup::Sample).with_recovery_dir(data));
    assert!(!h.state().is_offering_recovery());
}

#[test]
fn a_same_length_edit_on_disk_is_noticed() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, project) = open_saved(dir.path(), false);
    label_person(&mut h);
    change_behind_our_back(&project);
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run_steps(3); // a held job keeps its progress bar moving
    assert!(h.query_by_label("The file changed on disk").is_some());
}
