//! One queue for the work that runs off the UI thread: every file the app reads or
//! writes (open, save, export, autosave, import, compare, rule files, label sets).
//!
//! Jobs run one at a time, in the order they were asked for, so a save never races an
//! autosave or an open. Their results reach the app only through [`Jobs::poll`], at the
//! start of a frame. Headless (tests, tools) the work runs inline when it starts, but its
//! result still waits in the same channel for the next poll: tests see the ordering the
//! window has.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::time::{Duration, Instant};

use eframe::egui;

use crate::io::{self, export};
use crate::model::Project;

/// What a job produced.
pub(super) enum Done {
    /// A project was read from `path`, with the stamp of what was read.
    Opened(PathBuf, Result<Box<(Project, io::DiskStamp)>, io::IoError>),
    /// History state `state` was written to `path` (the stamp of what was written).
    Saved {
        path: PathBuf,
        state: u64,
        result: Result<io::DiskStamp, io::IoError>,
    },
    /// Not saved: the file changed (or was deleted) on disk since it was read.
    SaveRefused { path: PathBuf, deleted: bool },
    /// An export to `path`.
    Exported(
        export::Format,
        PathBuf,
        Result<export::ExportReport, io::IoError>,
    ),
    /// A recovery copy was written (or not).
    Autosaved(Result<PathBuf, io::IoError>),
    /// Annotators' projects were read, compared and merged into a gold project.
    Compared(Result<Box<crate::model::team::Compared>, String>),
    /// Files were imported (for the open project): the labels their spans use and the
    /// documents, or why nothing was.
    Imported(Result<io::import::Imported, String>),
    /// A patterns file or dictionary was read.
    RuleFileRead(Result<crate::model::suggest::RuleSet, String>),
    /// A rule set was compiled against the project's labels: the rules it skipped, or
    /// why it cannot be used.
    RuleSetChecked(crate::model::suggest::RuleSet, Result<Vec<String>, String>),
    /// A label set (a project or labels.json) was read from `path`.
    LabelsRead(PathBuf, Result<Vec<crate::model::Label>, String>),
    /// Search `job` of every document (find in all documents) found these matches.
    FoundAll {
        job: u64,
        found: crate::model::search_all::Found,
    },
}

/// How long a job is expected to take, to pace its progress bar.
pub(super) enum Expected {
    /// Known when it is asked for.
    Time(Duration),
    /// From the size of these files, looked up by the job itself (a slow disk or a
    /// network mount may take a while to answer even that).
    OfFiles(Vec<PathBuf>),
}

/// Whether the user waits for a job (a progress dialog, keys off) or it runs unseen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    /// Open, save, export: shown with a progress bar.
    Foreground,
    /// Autosave: the user goes on working.
    Background,
}

type Work = Box<dyn FnOnce() -> Done + Send + 'static>;

struct Queued {
    kind: Kind,
    title: String,
    expected: Expected,
    work: Work,
}

struct Running {
    kind: Kind,
    title: String,
    started: Instant,
    /// Microseconds; set by the job when it looks its files up.
    expected: Arc<AtomicU64>,
    rx: Receiver<Done>,
}

/// What a queued job shows until it starts.
const UNKNOWN: Duration = Duration::from_millis(50);

/// The job queue.
pub(super) struct Jobs {
    threaded: bool,
    running: Option<Running>,
    queue: VecDeque<Queued>,
    /// Tests: finished results stay undelivered, to act while a job is in flight.
    held: bool,
}

/// The foreground job the user is waiting for, for the progress dialog.
pub(super) struct Progress<'a> {
    pub title: &'a str,
    pub elapsed: f32,
    /// Towards 0.95 at the pace expected for this size; never claims to be done.
    pub fraction: f32,
}

impl Jobs {
    /// A queue that runs work inline (`threaded == false`) or on threads.
    pub fn new(threaded: bool) -> Self {
        Self {
            threaded,
            running: None,
            queue: VecDeque::new(),
            held: false,
        }
    }

    /// Runs work on background threads from now on.
    pub fn set_threaded(&mut self, threaded: bool) {
        self.threaded = threaded;
    }

    /// Whether work runs on background threads (the window) or inline (headless).
    pub fn is_threaded(&self) -> bool {
        self.threaded
    }

    /// Keeps (`true`) or releases finished results.
    pub fn hold(&mut self, held: bool) {
        self.held = held;
    }

    /// Queues `work`; it starts at once when nothing else runs.
    pub fn submit(
        &mut self,
        ctx: &egui::Context,
        kind: Kind,
        title: String,
        expected: impl Into<Expected>,
        work: impl FnOnce() -> Done + Send + 'static,
    ) {
        self.queue.push_back(Queued {
            kind,
            title,
            expected: expected.into(),
            work: Box::new(work),
        });
        self.start_next(ctx);
    }

    fn start_next(&mut self, ctx: &egui::Context) {
        if self.running.is_some() {
            return;
        }
        let Some(job) = self.queue.pop_front() else {
            return;
        };
        let micros = |d: Duration| u64::try_from(d.as_micros()).unwrap_or(u64::MAX);
        let (expected, files) = match job.expected {
            Expected::Time(d) => (Arc::new(AtomicU64::new(micros(d))), None),
            Expected::OfFiles(paths) => (Arc::new(AtomicU64::new(micros(UNKNOWN))), Some(paths)),
        };
        let pace = expected.clone();
        let work = move || {
            if let Some(paths) = files {
                let bytes = paths
                    .iter()
                    .map(|p| std::fs::metadata(p).map_or(0, |m| m.len()))
                    .sum();
                pace.store(micros(expected_time(bytes)), Ordering::Relaxed);
            }
            (job.work)()
        };
        let rx = off_thread(self.threaded, ctx, work);
        self.running = Some(Running {
            kind: job.kind,
            title: job.title,
            started: Instant::now(),
            expected,
            rx,
        });
    }

    /// The result of the running job if it has finished (and starts the next one).
    /// `Err` names a job whose thread died without a result.
    pub fn poll(&mut self, ctx: &egui::Context) -> Option<Result<Done, String>> {
        let running = self.running.as_ref()?;
        if self.held {
            return None;
        }
        let result = match running.rx.try_recv() {
            Ok(done) => Ok(done),
            Err(TryRecvError::Empty) => {
                let wait = match running.kind {
                    Kind::Foreground => 50,
                    Kind::Background => 100,
                };
                ctx.request_repaint_after(Duration::from_millis(wait));
                return None;
            }
            Err(TryRecvError::Disconnected) => Err(format!(
                "{} stopped unexpectedly, without a result.",
                running.title
            )),
        };
        self.running = None;
        self.start_next(ctx);
        Some(result)
    }

    /// Waits (up to `limit` in all) for the running and queued jobs, and returns their
    /// results in order: on exit, so no save or autosave is cut off halfway.
    pub fn drain(&mut self, limit: Duration) -> Vec<Result<Done, String>> {
        let deadline = Instant::now() + limit;
        let ctx = egui::Context::default();
        let mut out = Vec::new();
        while let Some(running) = &self.running {
            let left = deadline.saturating_duration_since(Instant::now());
            let result = match running.rx.recv_timeout(left) {
                Ok(done) => Ok(done),
                Err(mpsc::RecvTimeoutError::Timeout) => break,
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    Err(format!("{} stopped unexpectedly.", running.title))
                }
            };
            out.push(result);
            self.running = None;
            self.start_next(&ctx);
        }
        out
    }

    /// Whether anything is running or queued.
    pub fn is_busy(&self) -> bool {
        self.running.is_some() || !self.queue.is_empty()
    }

    /// Whether a job of this kind is running or queued.
    pub fn has(&self, kind: Kind) -> bool {
        self.running.as_ref().is_some_and(|r| r.kind == kind)
            || self.queue.iter().any(|q| q.kind == kind)
    }

    /// The foreground job the user waits for, if any: the running one, or the first
    /// queued one when an autosave runs ahead of it.
    pub fn progress(&self) -> Option<Progress<'_>> {
        let (title, started, expected) = match &self.running {
            Some(r) if r.kind == Kind::Foreground => {
                let us = r.expected.load(Ordering::Relaxed);
                (r.title.as_str(), r.started, Duration::from_micros(us))
            }
            _ => {
                let q = self.queue.iter().find(|q| q.kind == Kind::Foreground)?;
                let expected = match &q.expected {
                    Expected::Time(d) => *d,
                    Expected::OfFiles(_) => UNKNOWN,
                };
                (q.title.as_str(), Instant::now(), expected)
            }
        };
        let elapsed = started.elapsed().as_secs_f32();
        let fraction = 1.0 - (-elapsed / expected.as_secs_f32().max(0.05)).exp();
        Some(Progress {
            title,
            elapsed,
            fraction: fraction * 0.95,
        })
    }
}

impl From<Duration> for Expected {
    fn from(d: Duration) -> Self {
        Self::Time(d)
    }
}

/// Rough bytes of a project's file, to pace a progress bar.
pub(super) fn project_size(project: &Project) -> u64 {
    // Spans about double the text in a dense project's file. Read from the project, not
    // summed over its documents: a save starts on the UI thread.
    2 * project.text_bytes() as u64
}

/// Expected duration for `bytes` of project file work (about 20 MB/s, generous).
pub(super) fn expected_time(bytes: u64) -> Duration {
    Duration::from_secs_f64(0.05 + bytes as f64 / 20e6)
}

/// Runs `work` on a thread of its own when `threaded` (the window), else inline
/// (headless), and returns where its result arrives. A repaint follows either way, so
/// the result is taken at a later frame in both: tests see the window's order of events.
pub(super) fn off_thread<T: Send + 'static>(
    threaded: bool,
    ctx: &egui::Context,
    work: impl FnOnce() -> T + Send + 'static,
) -> Receiver<T> {
    let (tx, rx) = mpsc::channel();
    if threaded {
        let repaint = ctx.clone();
        std::thread::spawn(move || {
            // The app may have moved on (another project): then nobody listens.
            let _ = tx.send(work());
            repaint.request_repaint();
        });
    } else {
        let _ = tx.send(work());
    }
    ctx.request_repaint();
    rx
}
