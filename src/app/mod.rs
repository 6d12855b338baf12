//! The eframe shell: owns the workspace, lays out the frame, applies the views' actions.
//!
//! One job per file: `actions` carries out actions, `files` starts file work and applies
//! its results, `jobs` runs work off the UI thread,
//! `guard` is the unsaved-changes flow, `modal` the dialogs, `recovery` autosave and
//! crash recovery, `file_dialogs` the native dialogs, `suggest` the suggestions (accept,
//! reject, Tab, accept all, settings, rule files), `command` the external suggestion
//! command, `bench` `--bench-scroll`, `compare` comparing annotators and adjudicating.

mod actions;
mod bench;
mod command;
mod compare;
mod file_dialogs;
mod files;
mod frame;
mod guard;
mod jobs;
mod modal;
mod reach;
mod recovery;
mod relations;
mod suggest;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use eframe::egui::{self, ViewportCommand};

pub use file_dialogs::saves_dir;
pub use relations::RelationSource;

use crate::io::{self, DiskStamp, recovery::AUTOSAVE_INTERVAL};
use crate::model::suggest::SuggestEngine;
use crate::model::{DocId, Document, Label, LabelId, Project, Rgb, Workspace, default_labels};
use crate::ui::documents::DocumentsPanel;
use crate::ui::find::FindBar;
use crate::ui::find_all::FindAll;
use crate::ui::labels::LabelEditor;
use crate::ui::picker::LabelPicker;
use crate::ui::quick_open::QuickOpen;
use crate::ui::shortcuts::{self, KeyState};
use crate::ui::stats::StatsView;
use crate::ui::{Action, DocView, panels};
use guard::Guard;
use jobs::{Jobs, Kind};
use modal::Modal;

/// The sample article shipped inside the binary.
pub const SAMPLE_TEXT: &str = include_str!("../../assets/bagram.txt");

/// How many recent projects File › Open recent remembers.
const RECENT_MAX: usize = 10;

/// What the window opens with.
#[derive(Clone, Debug)]
pub enum Startup {
    /// The bundled sample article as a new, unsaved project.
    Sample,
    /// A project file, or text files to annotate as a new project.
    Paths(Vec<PathBuf>),
}

/// A label as remembered in eframe's storage (the labels new projects start with).
#[derive(serde::Serialize, serde::Deserialize)]
struct StoredLabel {
    name: String,
    color: String,
    key: Option<char>,
}

impl StoredLabel {
    fn from(l: &Label) -> Self {
        Self {
            name: l.name.clone(),
            color: l.color.to_hex(),
            key: l.hotkey,
        }
    }

    /// `None` if the colour does not parse (settings edited by hand): the built-in set.
    fn into_label(self) -> Option<Label> {
        Some(Label {
            name: self.name,
            color: Rgb::from_hex(&self.color)?,
            hotkey: self.key,
        })
    }
}

/// The application: one workspace (project + undo history) and the view state.
pub struct SpanmarkApp {
    ws: Workspace,
    path: Option<PathBuf>,
    /// The document shown (`None` only when the project has none).
    current: Option<DocId>,
    /// Its place in the list when last seen: if it goes (deleted, an import undone), the
    /// document that takes that place is shown.
    current_place: usize,
    view: DocView,
    find: FindBar,
    labels: LabelEditor,
    picker: LabelPicker,
    /// Go to document (Ctrl+P), find in all documents, the documents panel's filter.
    quick_open: QuickOpen,
    find_all: FindAll,
    documents: DocumentsPanel,
    stats: StatsView,
    snap: bool,
    hidden_labels: Vec<LabelId>,
    span_list: panels::SpanList,
    recent: Vec<PathBuf>,
    /// The labels a new project starts with (remembered across runs).
    default_labels: Vec<Label>,
    status: String,
    /// Open dialogs and questions; the last one is shown.
    modals: Vec<Modal>,
    /// The unsaved-changes flow.
    guard: Guard,
    /// Open, save, export and autosave, one at a time, off the UI thread in the window.
    jobs: Jobs,
    /// This instance's claim on the recovery folder (a lock other instances see);
    /// `None` turns autosave off (tests, tools).
    recovery: Option<Arc<io::recovery::Session>>,
    /// The recovery copy written for the current unsaved changes, if any.
    recovery_file: Option<PathBuf>,
    last_autosave: Instant,
    /// How long unsaved changes wait for a recovery copy.
    autosave_every: Duration,
    /// The project file as it was when opened or saved, to notice another program
    /// changing it.
    disk_stamp: Option<DiskStamp>,
    /// The user chose to quit: the window closes, with or without unsaved changes.
    allow_close: bool,
    title: String,
    /// `--bench-scroll`: the next step of a scripted scroll, and when it began.
    bench_scroll: Option<(usize, Instant)>,
    /// Compared annotators, agreement and the current disagreement.
    compare: compare::CompareState,
    /// The suggestions: the engine, its background build and the external command.
    suggestions: suggest::Suggestions,
    /// The suggested relations (speakers) of the shown document.
    relation_suggestions: relations::RelationSuggestions,
}

/// The sample article as a project.
pub fn sample_project() -> Project {
    Project::with_documents(vec![Document::new("bagram", SAMPLE_TEXT)])
}

impl SpanmarkApp {
    /// Builds the app for eframe, restoring remembered settings.
    pub fn new(cc: &eframe::CreationContext<'_>, startup: Startup) -> Self {
        let mut app = Self::headless(startup);
        crate::ui::emoji::install_system(&cc.egui_ctx);
        if let Some(storage) = cc.storage {
            app = app.with_storage(storage);
            app.recent = eframe::get_value(storage, "recent").unwrap_or_default();
            app.snap = eframe::get_value(storage, "snap_to_words").unwrap_or(true);
            if let Some(prefs) = eframe::get_value::<crate::ui::ReadingPrefs>(storage, "reading") {
                // Checked (clamped) whenever the view reads it back.
                prefs.store(&cc.egui_ctx);
            }
            if let Some(labels) = eframe::get_value::<Vec<StoredLabel>>(storage, "new_labels")
                .and_then(|l| l.into_iter().map(StoredLabel::into_label).collect())
            {
                app.default_labels = labels;
            }
        }
        app.jobs.set_threaded(true);
        match eframe::storage_dir("spanmark") {
            Some(dir) => app.with_recovery_dir(dir),
            None => app,
        }
    }

    /// The settings remembered in the user's `storage` that concern projects: the
    /// command line last run for each project file. (Only the user's own settings say
    /// which command runs; a project file never does.)
    pub fn with_storage(mut self, storage: &dyn eframe::Storage) -> Self {
        let commands: Vec<(String, String)> =
            eframe::get_value(storage, "commands").unwrap_or_default();
        for (key, command) in commands {
            self.suggestions.remember_command(Some(key), &command);
        }
        self.suggestions.last_command.clear();
        self
    }

    /// Builds the app without eframe storage (tests, tools). Jobs run inline, but their
    /// results arrive through the same queue, on the next frame, as in the window.
    pub fn headless(startup: Startup) -> Self {
        let mut app = Self {
            ws: Workspace::new(sample_project()),
            path: None,
            current: None,
            current_place: 0,
            view: DocView::default(),
            find: FindBar::default(),
            labels: LabelEditor::default(),
            picker: LabelPicker::default(),
            quick_open: QuickOpen::default(),
            find_all: FindAll::default(),
            documents: DocumentsPanel::default(),
            stats: StatsView::default(),
            snap: true,
            hidden_labels: Vec::new(),
            span_list: panels::SpanList::default(),
            recent: Vec::new(),
            default_labels: default_labels(),
            status: String::new(),
            modals: Vec::new(),
            guard: Guard::Idle,
            jobs: Jobs::new(false),
            recovery: None,
            recovery_file: None,
            last_autosave: Instant::now(),
            autosave_every: AUTOSAVE_INTERVAL,
            disk_stamp: None,
            allow_close: false,
            title: String::new(),
            bench_scroll: None,
            compare: compare::CompareState::default(),
            suggestions: suggest::Suggestions::default(),
            relation_suggestions: relations::RelationSuggestions::default(),
        };
        if let Startup::Paths(paths) = startup {
            app.open_startup_paths(paths);
        }
        app.sync_current();
        app
    }

    /// Runs opening, saving, exporting and autosave on background threads, as the window
    /// does, instead of inline.
    pub fn with_background_jobs(mut self) -> Self {
        self.jobs.set_threaded(true);
        self
    }

    /// Keeps finished jobs' results from the app until released (tests: to act while a
    /// save is still in flight, as a user can in the window).
    pub fn hold_job_results(&mut self, held: bool) {
        self.jobs.hold(held);
    }

    /// Whether an open, save, export or autosave is running or waiting to run.
    pub fn is_busy(&self) -> bool {
        self.jobs.is_busy()
    }

    fn open_startup_paths(&mut self, paths: Vec<PathBuf>) {
        if let [single] = paths.as_slice()
            && file_dialogs::is_project_path(single)
        {
            match io::load_project_stamped(single) {
                Ok((p, stamp)) => self.replace_project(p, Some((single.clone(), stamp))),
                Err(e) => {
                    self.replace_project(Project::default(), None);
                    self.show_error(e.to_string());
                }
            }
            return;
        }
        let imported = io::import::import_paths(&paths, default_labels(), Default::default())
            .map_err(|e| e.to_string())
            .and_then(|i| i.into_project().map_err(|e| e.to_string()));
        match imported {
            Ok(p) => self.replace_project(p, None),
            Err(e) => {
                self.replace_project(Project::default(), None);
                self.show_error(e);
            }
        }
    }

    /// The project and its history.
    pub fn workspace(&self) -> &Workspace {
        &self.ws
    }

    /// The suggestions as of the last frame (pending per document, where each came from).
    pub fn suggestions(&self) -> &SuggestEngine {
        &self.suggestions.engine
    }

    /// The suggestions, to hand them command results (benches, tools).
    pub fn suggestions_mut(&mut self) -> &mut SuggestEngine {
        &mut self.suggestions.engine
    }

    /// Whether the suggestions are being built in the background (none are shown
    /// meanwhile).
    pub fn is_finding_suggestions(&self) -> bool {
        self.suggestions.build.is_some()
    }

    /// Whether the external command is running.
    pub fn is_command_running(&self) -> bool {
        self.suggestions.command.is_some()
    }

    /// The document view state (selection, layout of the last frame).
    pub fn view(&self) -> &DocView {
        &self.view
    }

    /// Mutable document view state.
    pub fn view_mut(&mut self) -> &mut DocView {
        &mut self.view
    }

    /// The document shown, if the project has any.
    pub fn current_document(&self) -> Option<DocId> {
        self.current
    }

    /// The place in the list of the document shown.
    pub fn current_place(&self) -> Option<usize> {
        self.current.and_then(|id| self.ws.project().position(id))
    }

    /// The document shown.
    fn current_doc(&self) -> Option<&Document> {
        self.current.and_then(|id| self.ws.project().document(id))
    }

    /// Shows document `id` (the view starts over for another document).
    fn show_document(&mut self, id: DocId) {
        let Some(place) = self.ws.project().position(id) else {
            return;
        };
        self.current_place = place;
        if self.current != Some(id) {
            self.current = Some(id);
            self.view.reset();
        }
    }

    /// Keeps the current document valid after the list changed: it stays shown wherever
    /// it moved; if it went, the one now in its place (or the last) is shown.
    fn sync_current(&mut self) {
        let project = self.ws.project();
        if let Some(place) = self.current.and_then(|id| project.position(id)) {
            self.current_place = place;
            return;
        }
        let docs = project.documents();
        let next = docs
            .get(self.current_place.min(docs.len().saturating_sub(1)))
            .map(|d| d.id());
        if next != self.current {
            self.current = next;
            self.view.reset();
        }
    }

    /// Where the project is saved, if it has been.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The error shown to the user, if any.
    pub fn error(&self) -> Option<&str> {
        self.modals.iter().rev().find_map(|m| match m {
            Modal::Error(e) => Some(e.as_str()),
            _ => None,
        })
    }

    /// The status-bar message.
    pub fn status(&self) -> &str {
        &self.status
    }

    /// The informational message shown, if any: title and text.
    pub fn info(&self) -> Option<(&str, &str)> {
        self.modals.iter().rev().find_map(|m| match m {
            Modal::Info { title, text } => Some((title.as_str(), text.as_str())),
            _ => None,
        })
    }

    /// Whether a "save unsaved changes?" question is open.
    pub fn is_asking_to_save(&self) -> bool {
        self.guard.asking().is_some()
    }

    /// Whether the user chose to quit (the window is closing).
    pub fn is_quitting(&self) -> bool {
        self.allow_close
    }

    /// Whether selections snap to whole words.
    pub fn set_snap_to_words(&mut self, snap: bool) {
        self.snap = snap;
    }

    /// The project's file name, or "Untitled".
    fn project_name(&self) -> String {
        match &self.path {
            Some(p) => p.file_name().map_or_else(
                || p.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            ),
            None => "Untitled".to_string(),
        }
    }

    /// The window title: project name, with a mark while there are unsaved changes.
    pub fn window_title(&self) -> String {
        let mark = if self.ws.is_dirty() { "● " } else { "" };
        format!("{mark}{} — spanmark", self.project_name())
    }

    /// Shows an error in a dialog (on top of whatever is open).
    fn show_error(&mut self, message: String) {
        self.modals.push(Modal::Error(message));
    }

    /// Shows another project: from `file` (its path and what was read there), or new.
    fn replace_project(&mut self, project: Project, file: Option<(PathBuf, DiskStamp)>) {
        // Whatever happens to the old project, its recovery copy is settled by now (saved,
        // or discarded by the user).
        self.drop_recovery();
        self.ws = Workspace::new(project);
        // Another project: nothing derived from the old one carries over (a running
        // command's answers would land on the wrong documents, a suggestion build on
        // the wrong project: its result is dropped).
        self.suggestions.start_over(self.jobs.is_threaded());
        let (path, stamp) = file.unzip();
        self.disk_stamp = stamp;
        self.path = path;
        self.current = None;
        self.current_place = 0;
        self.view.reset();
        self.sync_current();
        self.reset_compare();
        self.find_all.forget();
        self.documents.label = None;
    }

    fn add_recent(&mut self, path: &Path) {
        let path = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        self.recent.retain(|p| p != &path);
        self.recent.insert(0, path);
        self.recent.truncate(RECENT_MAX);
    }

    /// Polls the job queue and applies what finished; called at the start of a frame.
    fn poll_jobs(&mut self, ctx: &egui::Context) {
        while let Some(result) = self.jobs.poll(ctx) {
            match result {
                Ok(done) => self.finish(ctx, done),
                Err(e) => self.show_error(e),
            }
        }
    }

    /// Dropped files: a project opens (asking about unsaved changes), anything else is
    /// imported into the open project.
    fn dropped_files(ctx: &egui::Context, actions: &mut Vec<Action>) {
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .collect()
        });
        if dropped.is_empty() {
            return;
        }
        match dropped.iter().find(|p| file_dialogs::is_project_path(p)) {
            Some(p) => actions.push(Action::OpenPath(p.clone())),
            None => actions.push(Action::AddDocumentPaths(dropped)),
        }
    }
}

impl eframe::App for SpanmarkApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        let mut actions = Vec::new();

        if ctx.input(|i| i.viewport().close_requested()) && !self.allow_close && self.ws.is_dirty()
        {
            ctx.send_viewport_cmd(ViewportCommand::CancelClose);
            self.guard = Guard::Asking(Action::Quit);
        }
        // Results first: a save that finished before this frame's input is settled before
        // that input is applied.
        self.poll_jobs(&ctx);
        self.poll_command(&ctx);
        self.sync_current();
        // Suggestions for the project as it is now: a span added last frame has its
        // suggestions drawn in this one.
        self.update_suggestions(&ctx);
        self.update_relation_suggestions(&ctx);
        Self::dropped_files(&ctx, &mut actions);
        let linking = self.view.linking.is_some();
        let keys = KeyState {
            busy: self.jobs.has(Kind::Foreground),
            modal: !self.modals.is_empty()
                || self.guard.asking().is_some()
                || self.picker.open
                || self.quick_open.open,
            find_open: self.find.open,
            suggestions: self
                .current
                .is_some_and(|d| !self.suggestions.engine.for_doc(d).is_empty()),
            suggestion_selected: self.view.selected_suggestion.is_some(),
            linking: self.view.linking.is_some(),
            relation: self
                .view
                .selected_relation
                .filter(|r| !self.relation_suggestions.set.contains(r)),
            relation_suggestion_selected: self
                .view
                .selected_relation
                .is_some_and(|r| self.relation_suggestions.set.contains(&r)),
            span_relation_suggestion: self.view.selected_span.and_then(|s| {
                match self.relation_suggestions.set.of(&s) {
                    [one] => Some(*one),
                    _ => None,
                }
            }),
        };
        shortcuts::read(&ctx, keys, self.ws.project(), &mut actions);
        // The caret keys belong to the document unless a dialog or a window takes them.
        self.view.keyboard = !keys.modal && !keys.busy && !self.labels.open;

        let menu_bottom = self.panels(ui, &mut actions);
        self.labels.show(&ctx, &self.ws, &mut actions);
        self.stats.show(&ctx, &self.ws, menu_bottom);
        self.compare
            .agreement
            .show(&ctx, self.ws.project(), self.compare.annotators.as_ref());
        self.picker.show(&ctx, self.ws.project(), &mut actions);
        self.quick_open.show(&ctx, &self.ws, &mut actions);
        self.dialogs(&ctx, &mut actions);

        for action in actions {
            self.apply(&ctx, action);
        }
        self.view.settle_selection();
        // Link mode ended by another selection (a caret key, a drag): the prompt goes.
        if linking && self.view.linking.is_none() && self.status.starts_with("Link ") {
            self.status = "Not linked.".to_string();
        }
        self.autosave_tick(&ctx);
        self.bench_scroll_step(&ctx);
        let title = self.window_title();
        if title != self.title {
            ctx.send_viewport_cmd(ViewportCommand::Title(title.clone()));
            self.title = title;
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, "recent", &self.recent);
        eframe::set_value(storage, "snap_to_words", &self.snap);
        eframe::set_value(storage, "reading", &self.view.reading_prefs());
        let labels: Vec<StoredLabel> = self.default_labels.iter().map(StoredLabel::from).collect();
        eframe::set_value(storage, "new_labels", &labels);
        eframe::set_value(storage, "commands", &self.suggestions.commands);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        // A running command (and whatever it started) must not outlive the window.
        self.suggestions.stop_command(Duration::from_secs(2));
        self.shut_down();
    }
}
