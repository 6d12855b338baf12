//! The eframe shell: owns the workspace, draws the views, applies their actions.

use std::path::{Path, PathBuf};

use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::time::{Duration, Instant, SystemTime};

use eframe::egui::{self, Key, RichText, ViewportCommand};

use crate::io::{
    self,
    export::{self, ExportOptions, Format, Scheme},
    recovery::{self, Recovery},
};
use crate::model::{Document, Edit, ModelError, Project, Span, Workspace, default_labels};
use crate::ui::find::FindBar;
use crate::ui::{Action, DocView, PathPurpose, Selection, panels, shortcuts};

/// The sample article shipped inside the binary.
pub const SAMPLE_TEXT: &str = include_str!("../assets/bagram.txt");

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

/// A background open, save or export.
struct Job {
    title: String,
    started: Instant,
    /// How long work of this size usually takes, to pace the progress bar.
    expected: Duration,
    rx: Receiver<Done>,
}

/// What a background job produced.
enum Done {
    Opened(PathBuf, Result<Project, io::IoError>),
    Saved(PathBuf, Result<(), io::IoError>),
    Exported(Format, PathBuf, Result<export::ExportReport, io::IoError>),
}

/// Rough bytes of a project's file, to pace a progress bar.
fn project_size(project: &Project) -> u64 {
    project
        .documents()
        .iter()
        .map(|d| d.text().as_str().len() as u64 + 40 * d.spans().len() as u64)
        .sum()
}

/// Expected duration for `bytes` of project file work (about 20 MB/s, generous).
fn expected_time(bytes: u64) -> Duration {
    Duration::from_secs_f64(0.05 + bytes as f64 / 20e6)
}

/// What a file looked like on disk, to notice changes by other programs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct FileStamp {
    modified: SystemTime,
    len: u64,
}

impl FileStamp {
    fn of(path: &Path) -> Option<Self> {
        let m = std::fs::metadata(path).ok()?;
        Some(Self {
            modified: m.modified().ok()?,
            len: m.len(),
        })
    }
}

/// The export dialog's choices.
#[derive(Clone, Debug)]
struct ExportDialog {
    format: Format,
    scheme: Scheme,
    path: String,
}

/// The application: one workspace (project + undo history) and the view state.
pub struct SpanmarkApp {
    ws: Workspace,
    path: Option<PathBuf>,
    current: usize,
    view: DocView,
    find: FindBar,
    snap: bool,
    hidden_labels: Vec<crate::model::LabelId>,
    span_list: panels::SpanList,
    recent: Vec<PathBuf>,
    status: String,
    error: Option<String>,
    /// An action waiting for the answer to "save unsaved changes?".
    pending: Option<Action>,
    /// Set while carrying out a pending action the user chose to go on with.
    skip_guard: bool,
    /// An action to carry out once the project has been saved ("Save" in the
    /// unsaved-changes question, when the save first needs a path).
    after_save: Option<Action>,
    /// Where recovery copies go; `None` turns autosave off (tests, tools).
    recovery_dir: Option<PathBuf>,
    /// The recovery copy written for the current unsaved changes, if any.
    recovery_file: Option<PathBuf>,
    last_autosave: Instant,
    /// A recovery copy found at start-up or on open, waiting for Restore / Discard.
    recovery_offer: Option<Recovery>,
    /// Modification time and size of the project file when it was opened or saved, to
    /// notice another program changing it.
    disk_stamp: Option<FileStamp>,
    /// A save waiting for "the file changed on disk: overwrite?".
    overwrite_question: Option<PathBuf>,
    /// Whether opening, saving, exporting and autosave run on background threads (the
    /// window) or inline (headless tests, tools).
    threaded: bool,
    /// The open/save/export running in the background, shown with a progress bar.
    job: Option<Job>,
    /// An autosave running in the background.
    autosave_job: Option<Receiver<Result<PathBuf, io::IoError>>>,
    path_prompt: Option<(PathPurpose, String)>,
    /// An informational message box: title and text (e.g. an export summary).
    info: Option<(String, String)>,
    export_dialog: Option<ExportDialog>,
    allow_close: bool,
    title: String,
    /// `--bench-scroll`: the next step of a scripted scroll through the document, and
    /// when it began.
    bench_scroll: Option<(usize, Instant)>,
}

/// The sample article as a project.
pub fn sample_project() -> Project {
    Project::with_documents(vec![Document::new("bagram", SAMPLE_TEXT)])
}

/// The folder dialogs start in: `saves/` when it exists here.
pub fn saves_dir() -> PathBuf {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let saves = cwd.join("saves");
    if saves.is_dir() { saves } else { cwd }
}

impl SpanmarkApp {
    /// Builds the app for eframe, restoring remembered settings.
    pub fn new(cc: &eframe::CreationContext<'_>, startup: Startup) -> Self {
        let mut app = Self::headless(startup);
        if let Some(storage) = cc.storage {
            app.recent = eframe::get_value(storage, "recent").unwrap_or_default();
            app.snap = eframe::get_value(storage, "snap_to_words").unwrap_or(true);
        }
        app.threaded = true;
        match eframe::storage_dir("spanmark") {
            Some(dir) => app.with_recovery_dir(dir),
            None => app,
        }
    }

    /// Runs opening, saving, exporting and autosave on background threads, as the window
    /// does, instead of inline.
    pub fn with_background_jobs(mut self) -> Self {
        self.threaded = true;
        self
    }

    /// Whether an open, save or export is running in the background.
    pub fn is_busy(&self) -> bool {
        self.job.is_some() || self.autosave_job.is_some()
    }

    /// Runs `work` off the UI thread (inline when not threaded) and hands its result to
    /// [`Self::finish`]. The window stays responsive and shows a progress bar meanwhile.
    fn run_job(
        &mut self,
        ctx: &egui::Context,
        title: String,
        expected: Duration,
        work: impl FnOnce() -> Done + Send + 'static,
    ) {
        if !self.threaded {
            let done = work();
            self.finish(ctx, done);
            return;
        }
        let (tx, rx) = mpsc::channel();
        let repaint = ctx.clone();
        std::thread::spawn(move || {
            let _ = tx.send(work());
            repaint.request_repaint();
        });
        self.job = Some(Job {
            title,
            started: Instant::now(),
            expected,
            rx,
        });
    }

    /// Applies the result of a background open, save or export.
    fn finish(&mut self, ctx: &egui::Context, done: Done) {
        match done {
            Done::Opened(path, Ok(project)) => {
                self.status = format!("Opened {}.", path.display());
                self.add_recent(&path);
                self.replace_project(project, Some(path));
                self.check_recovery();
            }
            // The open project stays as it was.
            Done::Opened(_, Err(e)) => self.error = Some(e.to_string()),
            Done::Saved(path, Ok(())) => {
                self.ws.mark_saved();
                self.drop_recovery();
                self.disk_stamp = FileStamp::of(&path);
                self.status = format!("Saved {}.", path.display());
                self.add_recent(&path);
                self.path = Some(path);
                if let Some(next) = self.after_save.take() {
                    self.go_on(ctx, next);
                }
            }
            Done::Saved(_, Err(e)) => {
                self.after_save = None;
                self.error = Some(format!("Could not save. {e}"));
            }
            Done::Exported(format, path, Ok(report)) => {
                self.status = format!("Exported to {}.", path.display());
                self.info = Some((
                    format!("Exported {}", format.name()),
                    format!("{}\n{}", path.display(), report.summary(12)),
                ));
            }
            Done::Exported(_, _, Err(e)) => self.error = Some(format!("Could not export. {e}")),
        }
    }

    /// Polls the background jobs; called every frame.
    fn poll_jobs(&mut self, ctx: &egui::Context) {
        if let Some(job) = &self.job {
            match job.rx.try_recv() {
                Ok(done) => {
                    self.job = None;
                    self.finish(ctx, done);
                }
                Err(TryRecvError::Empty) => ctx.request_repaint_after(Duration::from_millis(50)),
                Err(TryRecvError::Disconnected) => {
                    self.job = None;
                    self.error = Some("A background task stopped unexpectedly.".to_string());
                }
            }
        }
        if let Some(rx) = &self.autosave_job {
            match rx.try_recv() {
                Ok(result) => {
                    self.autosave_job = None;
                    self.autosaved(result);
                }
                Err(TryRecvError::Empty) => ctx.request_repaint_after(Duration::from_millis(100)),
                Err(TryRecvError::Disconnected) => self.autosave_job = None,
            }
        }
    }

    fn autosaved(&mut self, result: Result<PathBuf, io::IoError>) {
        match result {
            Ok(written) => {
                if let Some(old) = self.recovery_file.replace(written.clone())
                    && old != written
                {
                    recovery::remove(&old);
                }
            }
            Err(e) => self.status = format!("Autosave failed: {e}"),
        }
    }

    /// Turns on autosave into `dir` (for never-saved projects) and looks there, and beside
    /// the open project, for a recovery copy left by a crash.
    pub fn with_recovery_dir(mut self, dir: PathBuf) -> Self {
        self.recovery_dir = Some(dir);
        self.check_recovery();
        self
    }

    fn check_recovery(&mut self) {
        let Some(dir) = &self.recovery_dir else {
            return;
        };
        match recovery::find(self.path.as_deref(), dir) {
            Some(Ok(found)) => self.recovery_offer = Some(found),
            Some(Err(e)) => {
                self.error = Some(format!("A recovery copy could not be read. {e}"));
            }
            None => {}
        }
    }

    /// Writes a recovery copy now if there are unsaved changes (autosave does this every
    /// 30 s); returns where it went.
    pub fn autosave_now(&mut self) -> Option<PathBuf> {
        let dir = self.recovery_dir.clone()?;
        self.last_autosave = Instant::now();
        if !self.ws.is_dirty() {
            return None;
        }
        let result = recovery::write(self.ws.project(), self.path.as_deref(), &dir);
        let written = result.as_ref().ok().cloned();
        self.autosaved(result);
        written
    }

    /// Starts an autosave: in the background when threaded, so a big project never
    /// stalls typing.
    fn start_autosave(&mut self) {
        if !self.threaded {
            self.autosave_now();
            return;
        }
        let Some(dir) = self.recovery_dir.clone() else {
            return;
        };
        if self.autosave_job.is_some() {
            return;
        }
        self.last_autosave = Instant::now();
        let project = self.ws.project().clone();
        let path = self.path.clone();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(recovery::write(&project, path.as_deref(), &dir));
        });
        self.autosave_job = Some(rx);
    }

    fn drop_recovery(&mut self) {
        if let Some(f) = self.recovery_file.take() {
            recovery::remove(&f);
        }
    }

    /// Whether a "restore unsaved work?" question is open.
    pub fn is_offering_recovery(&self) -> bool {
        self.recovery_offer.is_some()
    }

    /// Builds the app without eframe storage (tests, tools).
    pub fn headless(startup: Startup) -> Self {
        let mut app = Self {
            ws: Workspace::new(sample_project()),
            path: None,
            current: 0,
            view: DocView::default(),
            find: FindBar::default(),
            snap: true,
            hidden_labels: Vec::new(),
            span_list: panels::SpanList::default(),
            recent: Vec::new(),
            status: String::new(),
            error: None,
            pending: None,
            skip_guard: false,
            after_save: None,
            path_prompt: None,
            info: None,
            export_dialog: None,
            recovery_dir: None,
            recovery_file: None,
            last_autosave: Instant::now(),
            recovery_offer: None,
            disk_stamp: None,
            overwrite_question: None,
            threaded: false,
            job: None,
            autosave_job: None,
            allow_close: false,
            title: String::new(),
            bench_scroll: None,
        };
        if let Startup::Paths(paths) = startup {
            app.open_startup_paths(paths);
        }
        app
    }

    fn open_startup_paths(&mut self, paths: Vec<PathBuf>) {
        if let [single] = paths.as_slice()
            && is_project_path(single)
        {
            match io::load_project(single) {
                Ok(p) => self.replace_project(p, Some(single.clone())),
                Err(e) => {
                    self.replace_project(Project::default(), None);
                    self.error = Some(e.to_string());
                }
            }
            return;
        }
        let imported = io::import::import_paths(&paths, default_labels(), Default::default())
            .map_err(|e| e.to_string())
            .and_then(|i| Project::new(i.labels, i.documents).map_err(|e| e.to_string()));
        match imported {
            Ok(p) => self.replace_project(p, None),
            Err(e) => {
                self.replace_project(Project::default(), None);
                self.error = Some(e);
            }
        }
    }

    /// Scrolls through the current document from top to bottom, a new place each frame,
    /// then closes the window (`--bench-scroll`: peak memory and frame pacing are measured
    /// on a run that really lays out and draws the whole document).
    pub fn with_bench_scroll(mut self) -> Self {
        self.bench_scroll = Some((0, Instant::now()));
        self
    }

    /// Whether a `--bench-scroll` run is still going.
    pub fn is_bench_scrolling(&self) -> bool {
        self.bench_scroll.is_some()
    }

    fn bench_scroll_step(&mut self, ctx: &egui::Context) {
        /// Frames from the top to the bottom of the document.
        const STEPS: usize = 400;
        let Some((step, started)) = self.bench_scroll else {
            return;
        };
        if self.is_busy() {
            ctx.request_repaint();
            return;
        }
        let (chars, spans) = self
            .ws
            .project()
            .document(self.current)
            .map_or((0, 0), |d| (d.text().char_len(), d.spans().len()));
        if step > STEPS {
            let secs = started.elapsed().as_secs_f64();
            eprintln!(
                "bench-scroll: {STEPS} places in a {chars}-char document with {spans} spans, \
                 {secs:.2} s ({:.1} ms a frame)",
                secs * 1000.0 / STEPS as f64
            );
            self.bench_scroll = None;
            ctx.send_viewport_cmd(ViewportCommand::Close);
            return;
        }
        self.view.scroll_to(chars * step / STEPS);
        self.bench_scroll = Some((step + 1, started));
        ctx.request_repaint();
    }

    /// Replaces the open project without any question (benchmarks, tools).
    pub fn replace_project_for_bench(&mut self, project: Project) {
        self.replace_project(project, None);
    }

    /// The project and its history.
    pub fn workspace(&self) -> &Workspace {
        &self.ws
    }

    /// The document view state (selection, layout of the last frame).
    pub fn view(&self) -> &DocView {
        &self.view
    }

    /// Mutable document view state.
    pub fn view_mut(&mut self) -> &mut DocView {
        &mut self.view
    }

    /// Index of the document shown.
    pub fn current_document(&self) -> usize {
        self.current
    }

    /// Where the project is saved, if it has been.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The error shown to the user, if any.
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// The status-bar message.
    pub fn status(&self) -> &str {
        &self.status
    }

    /// The informational message shown, if any: title and text.
    pub fn info(&self) -> Option<(&str, &str)> {
        self.info.as_ref().map(|(t, b)| (t.as_str(), b.as_str()))
    }

    /// Where an export goes by default: `saves/` with the project's name.
    fn default_export_path(&self, format: Format) -> String {
        let stem = self.path.as_ref().and_then(|p| p.file_stem()).map_or_else(
            || "untitled".to_string(),
            |s| s.to_string_lossy().into_owned(),
        );
        let file = match format.extension() {
            Some(ext) if ext == format.name() => format!("{stem}.{ext}"),
            Some(ext) => format!("{stem}.{}.{ext}", format.name()),
            None => format!("{stem}-{}", format.name()),
        };
        saves_dir().join(file).display().to_string()
    }

    /// Whether a "save unsaved changes?" question is open.
    pub fn is_asking_to_save(&self) -> bool {
        self.pending.is_some()
    }

    /// Whether selections snap to whole words.
    pub fn set_snap_to_words(&mut self, snap: bool) {
        self.snap = snap;
    }

    /// The window title: project name, with a mark while there are unsaved changes.
    pub fn window_title(&self) -> String {
        let name = match &self.path {
            Some(p) => p.file_name().map_or_else(
                || p.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            ),
            None => "Untitled".to_string(),
        };
        let mark = if self.ws.is_dirty() { "● " } else { "" };
        format!("{mark}{name} — spanmark")
    }

    fn replace_project(&mut self, project: Project, path: Option<PathBuf>) {
        // Whatever happens to the old project, its recovery copy is settled by now (saved,
        // or discarded by the user).
        self.drop_recovery();
        self.ws = Workspace::new(project);
        self.disk_stamp = path.as_deref().and_then(FileStamp::of);
        self.path = path;
        self.current = 0;
        self.view.reset();
    }

    fn add_recent(&mut self, path: &Path) {
        let path = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        self.recent.retain(|p| p != &path);
        self.recent.insert(0, path);
        self.recent.truncate(RECENT_MAX);
    }

    fn label_name(&self, span: &Span) -> String {
        self.ws
            .project()
            .label(span.label())
            .map_or_else(|| "?".to_string(), |l| l.name.clone())
    }

    fn edit(&mut self, description: String, edits: Vec<Edit>) -> Result<(), ModelError> {
        let result = self.ws.apply(description, edits);
        if let Err(e) = &result {
            self.status = match e {
                ModelError::DuplicateSpan { .. } => {
                    "Not added: that exact span (same text and label) already exists.".to_string()
                }
                other => format!("Not done: {other}"),
            };
        }
        result
    }

    /// Carries out one action. Everything that changes the project comes through here.
    pub fn apply(&mut self, ctx: &egui::Context, action: Action) {
        let guarded = matches!(
            action,
            Action::New | Action::Open | Action::OpenPath(_) | Action::Quit
        );
        if guarded && self.ws.is_dirty() && !self.skip_guard {
            self.pending = Some(action);
            return;
        }
        match action {
            Action::ApplyLabel(label) => self.apply_label(label),
            Action::DeleteSelectedSpan => {
                if let Some(span) = self.view.selected_span {
                    let d = format!("delete {}", self.label_name(&span));
                    if self
                        .edit(
                            d,
                            vec![Edit::RemoveSpan {
                                doc: self.current,
                                span,
                            }],
                        )
                        .is_ok()
                    {
                        self.view.selected_span = None;
                        self.status = "Span deleted (Ctrl+Z brings it back).".to_string();
                    }
                }
            }
            Action::ClearSelection => {
                self.view.selection = None;
                self.view.selected_span = None;
            }
            Action::SelectSpan { span, scroll } => {
                self.view.selection = None;
                self.view.selected_span = Some(span);
                if scroll {
                    self.view.scroll_to(span.start());
                }
            }
            Action::DeleteDocument(i) => {
                let name = self.ws.project().document(i).map(|d| d.name.clone());
                if let Some(name) = name
                    && self
                        .edit(
                            format!("delete document {name}"),
                            vec![Edit::RemoveDocuments { at: i, count: 1 }],
                        )
                        .is_ok()
                {
                    let n = self.ws.project().documents().len();
                    if self.current >= n || self.current == i {
                        self.current = i.min(n.saturating_sub(1));
                        self.view.reset();
                    } else if self.current > i {
                        self.current -= 1;
                    }
                    self.status = format!("Deleted document {name} (Ctrl+Z brings it back).");
                }
            }
            Action::SelectDocument(i) => {
                if i < self.ws.project().documents().len() && i != self.current {
                    self.current = i;
                    self.view.reset();
                }
            }
            Action::SetStatus(doc, status) => {
                let _ = self.edit(
                    format!("set status to {}", status.as_str()),
                    vec![Edit::SetStatus { doc, status }],
                );
            }
            Action::Undo => match self.ws.undo() {
                Some(d) => self.after_history(format!("Undid {d}.")),
                None => self.status = "Nothing to undo.".to_string(),
            },
            Action::Redo => match self.ws.redo() {
                Some(d) => self.after_history(format!("Redid {d}.")),
                None => self.status = "Nothing to redo.".to_string(),
            },
            Action::New => {
                self.replace_project(Project::default(), None);
                self.status = "New project: add documents with File › Add documents…".to_string();
            }
            Action::Open if !native_dialogs() => {
                self.apply(ctx, Action::PromptPath(PathPurpose::Open));
            }
            Action::Open => {
                if let Some(path) = rfd::FileDialog::new()
                    .set_title("Open spanmark project")
                    .add_filter("spanmark project", &["ron"])
                    .set_directory(saves_dir())
                    .pick_file()
                {
                    self.open_path(ctx, path);
                } else {
                    self.status = no_dialog_hint("Open path…");
                }
            }
            Action::OpenPath(path) => self.open_path(ctx, path),
            Action::Save => match self.path.clone() {
                Some(p) => self.save_to(ctx, p),
                None => self.apply(ctx, Action::SaveAs),
            },
            Action::SaveAs if !native_dialogs() => {
                self.apply(ctx, Action::PromptPath(PathPurpose::Save));
            }
            Action::SaveAs => {
                let name = self.path.as_ref().and_then(|p| p.file_name()).map_or_else(
                    || "untitled.ron".into(),
                    |n| n.to_string_lossy().into_owned(),
                );
                if let Some(path) = rfd::FileDialog::new()
                    .set_title("Save spanmark project")
                    .add_filter("spanmark project", &["ron"])
                    .set_directory(saves_dir())
                    .set_file_name(name)
                    .save_file()
                {
                    self.save_to(ctx, path);
                } else {
                    self.status = no_dialog_hint("Save to path…");
                }
            }
            Action::SaveToPath(path) => self.save_to(ctx, path),
            Action::AddDocuments if !native_dialogs() => {
                self.apply(ctx, Action::PromptPath(PathPurpose::AddDocuments));
            }
            Action::AddDocuments => {
                if let Some(paths) = rfd::FileDialog::new()
                    .set_title("Add text documents")
                    .add_filter("text", &["txt"])
                    .set_directory(saves_dir())
                    .pick_files()
                {
                    self.add_documents(&paths);
                } else {
                    self.status = no_dialog_hint("Add documents from path…");
                }
            }
            Action::AddDocumentPaths(paths) => self.add_documents(&paths),
            Action::Import if !native_dialogs() => {
                self.apply(ctx, Action::PromptPath(PathPurpose::AddDocuments));
            }
            Action::Import => {
                if let Some(paths) = rfd::FileDialog::new()
                    .set_title("Import documents")
                    .add_filter("text, JSONL, brat", &["txt", "jsonl", "json", "ann"])
                    .set_directory(saves_dir())
                    .pick_files()
                {
                    self.add_documents(&paths);
                } else {
                    self.status = no_dialog_hint("Add documents from path…");
                }
            }
            Action::Export => {
                let format = self
                    .export_dialog
                    .as_ref()
                    .map_or(Format::Jsonl, |d| d.format);
                self.export_dialog = Some(ExportDialog {
                    format,
                    scheme: Scheme::Iob2,
                    path: self.default_export_path(format),
                });
            }
            Action::ExportTo {
                format,
                scheme,
                path,
            } => self.export_to(ctx, format, scheme, path),
            Action::PromptPath(purpose) => {
                let start = match (&self.path, purpose) {
                    (Some(p), PathPurpose::Save) => p.display().to_string(),
                    _ => format!("{}/", saves_dir().display()),
                };
                self.path_prompt = Some((purpose, start));
            }
            Action::Quit => {
                self.allow_close = true;
                ctx.send_viewport_cmd(ViewportCommand::Close);
            }
            Action::Find => self.find.open(),
            Action::FindNext | Action::FindPrevious | Action::FindChanged
                if self.find.query.is_empty() =>
            {
                self.find.open();
            }
            Action::FindNext | Action::FindPrevious | Action::FindChanged => {
                let Some(doc) = self.ws.project().document(self.current) else {
                    return;
                };
                self.find.open = true;
                self.find.refresh(self.current, doc);
                // A new query starts from the selection, or the top of what is on screen.
                let from = self
                    .view
                    .selection
                    .map(|s| s.range().0)
                    .or_else(|| self.view.first_visible())
                    .unwrap_or(0);
                let forward = action != Action::FindPrevious;
                if let Some((start, end)) = self.find.step(from, forward) {
                    self.view.selection = Some(Selection {
                        anchor: start,
                        head: end,
                    });
                    self.view.selected_span = None;
                    self.view.scroll_to(start);
                }
            }
            Action::CloseFind => self.find.close(),
        }
    }

    fn apply_label(&mut self, label: crate::model::LabelId) {
        let Some(name) = self.ws.project().label(label).map(|l| l.name.clone()) else {
            return;
        };
        let doc = self.current;
        if let Some(sel) = self.view.selection.filter(|s| !s.is_empty()) {
            let (s, e) = sel.range();
            let Ok(span) = Span::new(s, e, label) else {
                return;
            };
            if self
                .edit(format!("add {name}"), vec![Edit::AddSpan { doc, span }])
                .is_ok()
            {
                self.view.selection = None;
                self.view.selected_span = Some(span);
                let text = self
                    .ws
                    .project()
                    .document(doc)
                    .map(|d| crate::ui::doc_view::ellipsize(d.span_text(&span), 60))
                    .unwrap_or_default();
                self.status = format!("{name} “{text}” ({s}–{e})");
            }
        } else if let Some(old) = self.view.selected_span {
            if old.label() == label {
                return;
            }
            let new = old.with_label(label);
            if self
                .edit(
                    format!("relabel as {name}"),
                    vec![
                        Edit::RemoveSpan { doc, span: old },
                        Edit::AddSpan { doc, span: new },
                    ],
                )
                .is_ok()
            {
                self.view.selected_span = Some(new);
                self.status = format!("Relabelled as {name}.");
            }
        } else {
            self.status = "Select text first (drag over it), then press a label key.".to_string();
        }
    }

    /// After undo/redo: keep the current document and selection valid.
    fn after_history(&mut self, message: String) {
        let n = self.ws.project().documents().len();
        if self.current >= n {
            self.current = n.saturating_sub(1);
            self.view.reset();
        }
        if let Some(span) = self.view.selected_span
            && !self
                .ws
                .project()
                .document(self.current)
                .is_some_and(|d| d.spans().contains(&span))
        {
            self.view.selected_span = None;
        }
        self.status = message;
    }

    fn open_path(&mut self, ctx: &egui::Context, path: PathBuf) {
        let expected = expected_time(std::fs::metadata(&path).map_or(0, |m| m.len()));
        let title = format!("Opening {}", path.display());
        self.run_job(ctx, title, expected, move || {
            let result = io::load_project(&path);
            Done::Opened(path, result)
        });
    }

    fn save_to(&mut self, ctx: &egui::Context, mut path: PathBuf) {
        if path.extension().is_none() {
            path.set_extension("ron");
        }
        // Another program (or a git pull) changed the file since we read it: ask first.
        if self.path.as_ref() == Some(&path)
            && self.disk_stamp.is_some()
            && FileStamp::of(&path) != self.disk_stamp
        {
            self.overwrite_question = Some(path);
            return;
        }
        self.write_to(ctx, path);
    }

    fn write_to(&mut self, ctx: &egui::Context, path: PathBuf) {
        // Edits wait while the save runs (the progress dialog is modal), so the copy saved
        // is the state that `mark_saved` then records.
        let project = self.ws.project().clone();
        let expected = expected_time(project_size(&project));
        let title = format!("Saving {}", path.display());
        self.run_job(ctx, title, expected, move || {
            let result = io::save_project(&project, &path);
            Done::Saved(path, result)
        });
    }

    /// Imports files (.txt, .jsonl, brat .ann) into the open project as one undo step:
    /// new labels first, then the documents. A bad file imports nothing.
    fn add_documents(&mut self, paths: &[PathBuf]) {
        let labels = self.ws.project().labels().to_vec();
        let known = labels.len();
        let imported = match io::import::import_paths(paths, labels, Default::default()) {
            Ok(i) => i,
            Err(e) => {
                self.error = Some(format!("Nothing was imported. {e}"));
                return;
            }
        };
        let n = imported.documents.len();
        if n == 0 {
            self.status = "Those files hold no documents.".to_string();
            return;
        }
        let at = self.ws.project().documents().len();
        let description = if n == 1 {
            format!("add document {}", imported.documents[0].name)
        } else {
            format!("add {n} documents")
        };
        let mut edits = Vec::new();
        let new_labels = imported.labels[known..].to_vec();
        if !new_labels.is_empty() {
            edits.push(Edit::AddLabels { labels: new_labels });
        }
        edits.push(Edit::InsertDocuments {
            at,
            docs: imported.documents,
        });
        if self.edit(description, edits).is_ok() {
            self.current = at;
            self.view.reset();
            self.status = format!("Added {n} document(s) (Ctrl+Z takes them out again).");
            if !imported.notes.is_empty() {
                self.info = Some(("Imported".to_string(), imported.notes.join("\n")));
            }
        }
    }

    fn export_to(&mut self, ctx: &egui::Context, format: Format, scheme: Scheme, path: PathBuf) {
        let opts = ExportOptions {
            scheme,
            labels: None,
        };
        let project = self.ws.project().clone();
        let expected = expected_time(project_size(&project));
        let title = format!("Exporting {}", path.display());
        self.run_job(ctx, title, expected, move || {
            let result = export::export(&project, format, &opts, &path);
            Done::Exported(format, path, result)
        });
    }

    /// Global keys: shortcuts always; label/delete keys only when no text field has focus.
    fn shortcuts(&self, ctx: &egui::Context, actions: &mut Vec<Action>) {
        if self.job.is_some() {
            return;
        }
        let typing = ctx.egui_wants_keyboard_input();
        let modal = self.pending.is_some()
            || self.job.is_some()
            || self.recovery_offer.is_some()
            || self.overwrite_question.is_some()
            || self.error.is_some()
            || self.path_prompt.is_some()
            || self.info.is_some()
            || self.export_dialog.is_some();
        ctx.input_mut(|i| {
            // Shift variants first: consume_shortcut ignores extra shift.
            if i.consume_shortcut(&shortcuts::SAVE_AS) {
                actions.push(Action::SaveAs);
            } else if i.consume_shortcut(&shortcuts::SAVE) {
                actions.push(Action::Save);
            }
            if i.consume_shortcut(&shortcuts::NEW) {
                actions.push(Action::New);
            }
            if i.consume_shortcut(&shortcuts::OPEN) {
                actions.push(Action::Open);
            }
            if i.consume_shortcut(&shortcuts::EXPORT) {
                actions.push(Action::Export);
            }
            if i.consume_shortcut(&shortcuts::QUIT) {
                actions.push(Action::Quit);
            }
            if modal {
                return;
            }
            // Also while typing in the find field.
            if i.consume_shortcut(&shortcuts::FIND) {
                actions.push(Action::Find);
            }
            if i.consume_shortcut(&shortcuts::FIND_PREVIOUS) {
                actions.push(Action::FindPrevious);
            } else if i.consume_shortcut(&shortcuts::FIND_NEXT) {
                actions.push(Action::FindNext);
            }
            if typing {
                return;
            }
            if i.consume_shortcut(&shortcuts::REDO) || i.consume_shortcut(&shortcuts::REDO_Y) {
                actions.push(Action::Redo);
            } else if i.consume_shortcut(&shortcuts::UNDO) {
                actions.push(Action::Undo);
            }
            if !i.modifiers.any() {
                for (key, ch) in crate::ui::DIGIT_KEYS {
                    if i.key_pressed(key)
                        && let Some(label) = self.ws.project().label_for_key(ch)
                    {
                        actions.push(Action::ApplyLabel(label));
                    }
                }
                if i.key_pressed(Key::Delete) || i.key_pressed(Key::Backspace) {
                    actions.push(Action::DeleteSelectedSpan);
                }
                if i.key_pressed(Key::Escape) {
                    // egui drops the find field's focus on Escape before this runs: the
                    // first Escape closes the bar and keeps the match selected for a label key.
                    actions.push(if self.find.open {
                        Action::CloseFind
                    } else {
                        Action::ClearSelection
                    });
                }
            }
        });
    }

    fn status_bar(&self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            if let Some(sel) = self.view.selection.filter(|s| !s.is_empty()) {
                let (s, e) = sel.range();
                ui.label(format!("Selection {s}–{e} ({} chars)", e - s));
                ui.separator();
            } else if let Some(span) = self.view.selected_span {
                ui.label(format!(
                    "{} {}–{}",
                    self.label_name(&span),
                    span.start(),
                    span.end()
                ));
                ui.separator();
            }
            ui.label(&self.status);
        });
    }

    fn dialogs(&mut self, ctx: &egui::Context, actions: &mut Vec<Action>) {
        if let Some(job) = &self.job {
            let elapsed = job.started.elapsed().as_secs_f32();
            // The work reports no progress of its own; the bar moves towards the end at
            // the pace expected for this size, and never claims to be done.
            let fraction = 1.0 - (-elapsed / job.expected.as_secs_f32().max(0.05)).exp();
            egui::Modal::new(egui::Id::unique("job")).show(ctx, |ui| {
                ui.set_min_width(360.0);
                ui.label(format!("{}…", job.title));
                ui.add(
                    egui::ProgressBar::new(fraction * 0.95)
                        .animate(true)
                        .text(format!("{elapsed:.1} s")),
                );
            });
            return;
        }
        if let Some(message) = self.error.clone() {
            egui::Modal::new(egui::Id::unique("error")).show(ctx, |ui| {
                ui.set_max_width(520.0);
                ui.heading("Something went wrong");
                ui.label(message);
                ui.add_space(8.0);
                if ui.button("OK").clicked() || ui.input(|i| i.key_pressed(Key::Enter)) {
                    self.error = None;
                }
            });
            return;
        }
        if let Some(offer) = &self.recovery_offer {
            let docs = offer.project.documents().len();
            let spans: usize = offer
                .project
                .documents()
                .iter()
                .map(|d| d.spans().len())
                .sum();
            let name = self.path.as_ref().and_then(|p| p.file_name()).map_or_else(
                || "an unsaved project".to_string(),
                |n| format!("“{}”", n.to_string_lossy()),
            );
            let mut choice = None;
            egui::Modal::new(egui::Id::unique("recovery")).show(ctx, |ui| {
                ui.set_max_width(480.0);
                ui.heading("Restore unsaved work?");
                ui.label(format!(
                    "spanmark did not close cleanly. Autosave kept a copy of {name}, \
                     written {}: {docs} document(s), {spans} span(s).",
                    recovery::age(offer.written)
                ));
                ui.weak(offer.path.display().to_string());
                ui.add_space(8.0);
                choice = yes_or_no(ui, "Restore", "Discard copy");
            });
            if let Some(restore) = choice
                && let Some(offer) = self.recovery_offer.take()
            {
                if restore {
                    // Restored work is unsaved until the user saves it; the copy stays
                    // until then.
                    let path = self.path.clone();
                    self.replace_project(offer.project, path);
                    self.ws = Workspace::restored(self.ws.project().clone());
                    self.recovery_file = Some(offer.path);
                    self.status = "Restored the recovery copy; save to keep it.".to_string();
                } else {
                    recovery::remove(&offer.path);
                }
            }
            return;
        }
        if let Some(path) = self.overwrite_question.clone() {
            let mut choice = None;
            egui::Modal::new(egui::Id::unique("overwrite")).show(ctx, |ui| {
                ui.set_max_width(480.0);
                ui.heading("The file changed on disk");
                ui.label(format!(
                    "{} was changed by another program since spanmark opened it. \
                     Overwrite it with your version? (The version on disk is kept as {}.)",
                    path.display(),
                    io::backup_path(&path).display()
                ));
                ui.add_space(8.0);
                choice = yes_or_no(ui, "Overwrite", "Cancel");
            });
            match choice {
                Some(true) => {
                    self.overwrite_question = None;
                    self.write_to(ctx, path);
                }
                Some(false) => {
                    self.overwrite_question = None;
                    self.after_save = None;
                    self.status = "Not saved. Use Save As… to keep both versions.".to_string();
                }
                None => {}
            }
            return;
        }
        if let Some((title, message)) = self.info.clone() {
            egui::Modal::new(egui::Id::unique("info")).show(ctx, |ui| {
                ui.set_max_width(560.0);
                ui.heading(title);
                ui.label(message);
                ui.add_space(8.0);
                if ui.button("OK").clicked() || ui.input(|i| i.key_pressed(Key::Enter)) {
                    self.info = None;
                }
            });
            return;
        }
        if let Some(mut dialog) = self.export_dialog.take() {
            let mut keep = true;
            egui::Modal::new(egui::Id::unique("export")).show(ctx, |ui| {
                ui.set_min_width(520.0);
                ui.heading("Export dataset");
                let before = dialog.format;
                egui::ComboBox::new("export-format", "format")
                    .selected_text(dialog.format.name())
                    .show_ui(ui, |ui| {
                        for f in Format::ALL {
                            ui.selectable_value(&mut dialog.format, f, f.name());
                        }
                    });
                if dialog.format != before {
                    dialog.path = self.default_export_path(dialog.format);
                }
                ui.label(format_help(dialog.format));
                if dialog.format.is_flat() {
                    ui.horizontal(|ui| {
                        ui.radio_value(&mut dialog.scheme, Scheme::Iob2, "IOB2");
                        ui.radio_value(&mut dialog.scheme, Scheme::Bilou, "BILOU");
                    });
                }
                let label = ui.label(if dialog.format == Format::Brat {
                    "Folder"
                } else {
                    "File"
                });
                ui.add(egui::TextEdit::singleline(&mut dialog.path).desired_width(f32::INFINITY))
                    .labelled_by(label.id);
                ui.horizontal(|ui| {
                    if ui.button("Export").clicked() {
                        actions.push(Action::ExportTo {
                            format: dialog.format,
                            scheme: dialog.scheme,
                            path: PathBuf::from(dialog.path.trim()),
                        });
                        keep = false;
                    }
                    if native_dialogs() && ui.button("Browse…").clicked() {
                        let chosen = if dialog.format == Format::Brat {
                            rfd::FileDialog::new()
                                .set_directory(saves_dir())
                                .pick_folder()
                        } else {
                            rfd::FileDialog::new()
                                .set_directory(saves_dir())
                                .save_file()
                        };
                        if let Some(p) = chosen {
                            dialog.path = p.display().to_string();
                        }
                    }
                    if ui.button("Cancel").clicked() || ui.input(|i| i.key_pressed(Key::Escape)) {
                        keep = false;
                    }
                });
            });
            if keep {
                self.export_dialog = Some(dialog);
            }
            return;
        }
        if let Some(pending) = self.pending.clone() {
            let what = match pending {
                Action::Quit => "closing",
                Action::New => "starting a new project",
                _ => "opening another project",
            };
            let mut choice = None;
            egui::Modal::new(egui::Id::unique("unsaved")).show(ctx, |ui| {
                ui.set_max_width(420.0);
                ui.heading("Unsaved changes");
                ui.label(format!(
                    "Save the changes to “{}” before {what}?",
                    self.window_title()
                        .trim_start_matches("● ")
                        .trim_end_matches(" — spanmark")
                ));
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    if ui.button("Save").clicked() {
                        choice = Some(0);
                    }
                    if ui.button("Discard").clicked() {
                        choice = Some(1);
                    }
                    if ui.button("Cancel").clicked() || ui.input(|i| i.key_pressed(Key::Escape)) {
                        choice = Some(2);
                    }
                });
            });
            match choice {
                Some(0) => {
                    // Saving goes on with the pending action when it succeeds, possibly
                    // only after the user typed a path.
                    self.pending = None;
                    self.after_save = Some(pending);
                    self.apply(ctx, Action::Save);
                    if self.path_prompt.is_none() {
                        self.after_save = None;
                    }
                }
                Some(1) => {
                    self.pending = None;
                    self.drop_recovery();
                    self.go_on(ctx, pending);
                }
                Some(_) => self.pending = None,
                None => {}
            }
            return;
        }
        if let Some((purpose, mut text)) = self.path_prompt.take() {
            let title = match purpose {
                PathPurpose::Open => "Open project from path",
                PathPurpose::Save => "Save project to path",
                PathPurpose::AddDocuments => "Add text files (one path per line)",
            };
            let mut keep = true;
            egui::Modal::new(egui::Id::unique("path")).show(ctx, |ui| {
                ui.set_min_width(480.0);
                let heading = ui.heading(title);
                let edit = if purpose == PathPurpose::AddDocuments {
                    egui::TextEdit::multiline(&mut text)
                } else {
                    egui::TextEdit::singleline(&mut text)
                };
                let r = ui
                    .add(edit.desired_width(f32::INFINITY))
                    .labelled_by(heading.id);
                r.request_focus();
                let enter = r.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
                ui.horizontal(|ui| {
                    let ok = RichText::new(match purpose {
                        PathPurpose::Save => "Save",
                        PathPurpose::Open => "Open",
                        PathPurpose::AddDocuments => "Add",
                    });
                    if ui.button(ok).clicked() || (enter && purpose != PathPurpose::AddDocuments) {
                        let paths: Vec<PathBuf> = text
                            .lines()
                            .map(str::trim)
                            .filter(|l| !l.is_empty())
                            .map(PathBuf::from)
                            .collect();
                        match (purpose, paths.first()) {
                            (_, None) => {}
                            (PathPurpose::Open, Some(p)) => {
                                actions.push(Action::OpenPath(p.clone()))
                            }
                            (PathPurpose::Save, Some(p)) => {
                                actions.push(Action::SaveToPath(p.clone()))
                            }
                            (PathPurpose::AddDocuments, Some(_)) => {
                                actions.push(Action::AddDocumentPaths(paths.clone()))
                            }
                        }
                        keep = false;
                    }
                    if ui.button("Cancel").clicked() || ui.input(|i| i.key_pressed(Key::Escape)) {
                        keep = false;
                        self.after_save = None;
                    }
                });
            });
            if keep {
                self.path_prompt = Some((purpose, text));
            }
        }
    }

    fn go_on(&mut self, ctx: &egui::Context, action: Action) {
        self.skip_guard = true;
        self.apply(ctx, action);
        self.skip_guard = false;
    }
}

/// Whether a native file dialog can appear. On Linux, rfd asks the desktop portal over
/// D-Bus; with no session bus it would return nothing, so the in-app path field is used.
fn native_dialogs() -> bool {
    if !cfg!(target_os = "linux") {
        return true;
    }
    std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some()
        || std::env::var_os("XDG_RUNTIME_DIR").is_some_and(|d| Path::new(&d).join("bus").exists())
}

/// One line on what a format holds, for the export dialog.
fn format_help(format: Format) -> &'static str {
    match format {
        Format::Jsonl => "doccano JSONL: one line per document, all spans, char offsets.",
        Format::Conll => {
            "CoNLL-2003 tokens and tags (spaCy convert, seqeval). Overlaps: longer span wins."
        }
        Format::Hf => {
            "Hugging Face JSONL rows of tokens and ner_tags, plus labels.json. Overlaps: longer span wins."
        }
        Format::Brat => "brat standoff folder: NAME.txt and NAME.ann per document.",
        Format::LabelStudio => "Label Studio JSON tasks with annotations.",
        Format::Csv => "CSV: document, start, end, label, text; one row per span.",
    }
}

fn no_dialog_hint(fallback: &str) -> String {
    format!("No file chosen. (No file dialog on this desktop? Use File › {fallback})")
}

fn is_project_path(p: &Path) -> bool {
    p.extension().is_some_and(|e| e.eq_ignore_ascii_case("ron"))
}

impl eframe::App for SpanmarkApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        let mut actions = Vec::new();

        if ctx.input(|i| i.viewport().close_requested()) && !self.allow_close && self.ws.is_dirty()
        {
            ctx.send_viewport_cmd(ViewportCommand::CancelClose);
            self.pending = Some(Action::Quit);
        }
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .collect()
        });
        if !dropped.is_empty() {
            match dropped.iter().find(|p| is_project_path(p)) {
                Some(p) => actions.push(Action::OpenPath(p.clone())),
                None => actions.push(Action::AddDocumentPaths(dropped)),
            }
        }
        self.poll_jobs(&ctx);
        self.shortcuts(&ctx, &mut actions);

        egui::Panel::top("menu").show(ui, |ui| {
            panels::menu_bar(
                ui,
                &self.ws,
                self.current,
                &self.recent,
                &mut self.snap,
                &mut actions,
            );
        });
        egui::Panel::top("toolbar").show(ui, |ui| {
            ui.add_space(2.0);
            panels::toolbar(ui, self.ws.project(), &mut self.snap, &mut actions);
            ui.add_space(2.0);
        });
        if self.find.open {
            if let Some(doc) = self.ws.project().document(self.current) {
                // The document may have changed under the bar (switch, undo of an import).
                self.find.refresh(self.current, doc);
            }
            egui::Panel::top("find").show(ui, |ui| {
                ui.add_space(2.0);
                self.find.show(ui, &mut actions);
                ui.add_space(2.0);
            });
        }
        egui::Panel::bottom("status").show(ui, |ui| self.status_bar(ui));
        egui::Panel::left("documents")
            .resizable(true)
            .default_size(190.0)
            .show(ui, |ui| {
                panels::documents(ui, self.ws.project(), self.current, &mut actions);
            });
        egui::Panel::right("spans")
            .resizable(true)
            .default_size(320.0)
            .show(ui, |ui| {
                panels::spans(
                    ui,
                    &self.ws,
                    self.current,
                    &mut self.hidden_labels,
                    &mut self.span_list,
                    self.view.selected_span,
                    &mut actions,
                );
            });
        egui::CentralPanel::default().show(ui, |ui| {
            match self.ws.project().document(self.current) {
                Some(doc) => self.view.show(
                    ui,
                    self.ws.project(),
                    doc,
                    self.snap,
                    self.find.highlights(),
                ),
                None => {
                    ui.centered_and_justified(|ui| {
                        ui.label(
                            "No documents yet. Use File › Add documents… or drop .txt files here.",
                        );
                    });
                }
            }
        });
        self.dialogs(&ctx, &mut actions);

        for action in actions {
            self.apply(&ctx, action);
        }
        if self.recovery_dir.is_some() {
            if self.ws.is_dirty() {
                let due = self.last_autosave + recovery::AUTOSAVE_INTERVAL;
                let now = Instant::now();
                if now >= due {
                    self.start_autosave();
                } else {
                    ctx.request_repaint_after(due - now);
                }
            } else {
                // Back at the saved state (e.g. by undo): no copy is needed.
                self.drop_recovery();
            }
        }
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
    }
}

/// Two buttons in a row for a question: `Some(true)` for `yes`, `Some(false)` for `no`.
fn yes_or_no(ui: &mut egui::Ui, yes: &str, no: &str) -> Option<bool> {
    ui.horizontal(|ui| {
        let (yes, no) = (ui.button(yes).clicked(), ui.button(no).clicked());
        (yes || no).then_some(yes)
    })
    .inner
}
