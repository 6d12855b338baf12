//! Recovery copies: what autosave writes while a project has unsaved changes, so that a
//! crash or power cut loses at most one autosave interval of work.
//!
//! A saved project's copy lives beside it as `.NAME.ron.recovery` (or, if that folder is
//! not writable, in the data folder as `recovery/NAME-HASH.recovery`, HASH naming the
//! canonical path, so two projects never share a copy). A never-saved project's copy
//! lives in the data folder as `recovery/untitled-ID.ron`, beside `untitled-ID.lock`,
//! which the running instance keeps locked for its whole life ([`Session`]). At startup a
//! copy whose lock can be taken was left by an instance that is gone, and is offered; a
//! locked one belongs to a live instance and is left alone. A clean save or an explicit
//! Discard removes the copy; a copy not newer than its project file is stale and removed.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, SystemTime};

use super::disk::fnv1a;
use super::{IoError, load_project, save_project_plain};
use crate::model::Project;

/// How often autosave writes a recovery copy while there are unsaved changes.
pub const AUTOSAVE_INTERVAL: Duration = Duration::from_secs(30);

/// A recovery copy found on disk.
#[derive(Debug)]
pub struct Recovery {
    /// The recovery file.
    pub path: PathBuf,
    /// When it was written.
    pub written: SystemTime,
    /// What it holds.
    pub project: Project,
}

/// The running instance's claim on its recovery folder: an exclusive lock, held until
/// dropped, on `untitled-ID.lock`, and the name of its own untitled copy. Keep one for
/// the life of the app; another instance then never offers this one's copy as a crash.
#[derive(Debug)]
pub struct Session {
    data_dir: PathBuf,
    untitled: PathBuf,
    lock_path: PathBuf,
    /// Held open: closing it (or the process dying) releases the lock.
    _lock: File,
}

fn os(path: &Path) -> impl FnOnce(std::io::Error) -> IoError + '_ {
    move |error| IoError::Os {
        path: path.to_path_buf(),
        error,
    }
}

impl Session {
    /// Takes a fresh, locked id in `data_dir/recovery`. The id is new even when the OS
    /// reuses a dead instance's process id, so that instance's copy is never overwritten.
    pub fn start(data_dir: &Path) -> Result<Self, IoError> {
        let dir = data_dir.join("recovery");
        std::fs::create_dir_all(&dir).map_err(os(&dir))?;
        let nanos = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        for attempt in 0u32..1000 {
            let id = format!("{}-{:08x}", std::process::id(), nanos ^ attempt);
            let lock_path = dir.join(format!("untitled-{id}.lock"));
            let untitled = dir.join(format!("untitled-{id}.ron"));
            // create_new: never take over a name some other instance holds or left.
            let file = match File::options()
                .write(true)
                .create_new(true)
                .open(&lock_path)
            {
                Ok(f) => f,
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(os(&lock_path)(e)),
            };
            if untitled.exists() {
                let _ = std::fs::remove_file(&lock_path);
                continue;
            }
            match file.try_lock() {
                Ok(()) => {}
                Err(std::fs::TryLockError::WouldBlock) => continue,
                Err(std::fs::TryLockError::Error(e)) => return Err(os(&lock_path)(e)),
            }
            return Ok(Self {
                data_dir: data_dir.to_path_buf(),
                untitled,
                lock_path,
                _lock: file,
            });
        }
        Err(IoError::Invalid {
            path: dir,
            message: "no free name for a recovery copy".to_string(),
        })
    }

    /// Where this instance's never-saved project is autosaved.
    pub fn untitled_copy(&self) -> &Path {
        &self.untitled
    }

    /// Writes a recovery copy of `project` (saved at `path`, if it has been) and returns
    /// where it went.
    pub fn write(&self, project: &Project, path: Option<&Path>) -> Result<PathBuf, IoError> {
        write_copy(project, path, &self.data_dir, &self.untitled)
    }

    /// Finds the newest recovery copy for the project at `path` (a stale one, not newer
    /// than the project file, is removed), or, with `None`, of any never-saved project of
    /// an instance that is gone. An unreadable copy is returned as an error naming it.
    pub fn find(&self, path: Option<&Path>) -> Option<Result<Recovery, IoError>> {
        find_copy(path, &self.data_dir)
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        // Only once the copy is gone: a copy left behind must look abandoned, and a
        // missing lock file says so as well as an unlocked one.
        if !self.untitled.exists() {
            let _ = std::fs::remove_file(&self.lock_path);
        }
    }
}

fn beside(project: &Path) -> PathBuf {
    let name = project.file_name().map_or_else(
        || "project.ron".into(),
        |n| n.to_string_lossy().into_owned(),
    );
    project.with_file_name(format!(".{name}.recovery"))
}

/// `recovery/STEM-HASH.recovery`: the stem for people, a hash of the canonical path so
/// that no two projects share a name (`/a/b_c.ron` and `/a_b/c.ron` used to).
fn in_data_dir(project: &Path, data_dir: &Path) -> PathBuf {
    let canonical = canonical(project);
    let stem: String = project
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '_' })
        .take(40)
        .collect();
    let hash = fnv1a(canonical.as_os_str().as_encoded_bytes());
    data_dir
        .join("recovery")
        .join(format!("{stem}-{hash:016x}.recovery"))
}

/// The project's path with links and `..` resolved, so one file has one name; the folder
/// is resolved when the file itself does not exist (yet).
fn canonical(project: &Path) -> PathBuf {
    if let Ok(c) = std::fs::canonicalize(project) {
        return c;
    }
    let dir = match project.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    match (std::fs::canonicalize(dir), project.file_name()) {
        (Ok(d), Some(name)) => d.join(name),
        _ => std::path::absolute(project).unwrap_or_else(|_| project.to_path_buf()),
    }
}

fn write_copy(
    project: &Project,
    path: Option<&Path>,
    data_dir: &Path,
    untitled: &Path,
) -> Result<PathBuf, IoError> {
    let target = match path {
        Some(p) => beside(p),
        None => untitled.to_path_buf(),
    };
    if let Some(dir) = target.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    match save_project_plain(project, &target) {
        Ok(()) => Ok(target),
        Err(e) => match path {
            // A read-only project folder: keep the copy in the data folder instead.
            Some(p) => {
                let fallback = in_data_dir(p, data_dir);
                if let Some(dir) = fallback.parent() {
                    let _ = std::fs::create_dir_all(dir);
                }
                save_project_plain(project, &fallback)
                    .map(|()| fallback)
                    .map_err(|_| e)
            }
            None => Err(e),
        },
    }
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// Whether the copy holds nothing the project file lacks: older than it, or the same
/// bytes (written in the same clock tick as a save, say).
fn is_stale(copy: &Path, copy_written: SystemTime, project: &Path) -> bool {
    let Some(saved) = modified(project) else {
        return false;
    };
    if copy_written < saved {
        return true;
    }
    copy_written == saved
        && matches!(
            (std::fs::read(copy), std::fs::read(project)),
            (Ok(a), Ok(b)) if a == b
        )
}

/// Whether the untitled copy `copy` (`untitled-ID.ron`) was left by an instance that is
/// gone: its lock file is missing, or can be locked.
fn is_abandoned(copy: &Path) -> bool {
    let lock = copy.with_extension("lock");
    match File::options().write(true).open(&lock) {
        Err(_) => true,
        // The probe's lock is released when `f` closes at the end of this call.
        Ok(f) => f.try_lock().is_ok(),
    }
}

fn find_copy(path: Option<&Path>, data_dir: &Path) -> Option<Result<Recovery, IoError>> {
    let candidates: Vec<PathBuf> = match path {
        Some(p) => vec![beside(p), in_data_dir(p, data_dir)],
        None => std::fs::read_dir(data_dir.join("recovery"))
            .map(|entries| {
                entries
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| {
                        p.extension().is_some_and(|e| e == "ron")
                            && p.file_name()
                                .is_some_and(|n| n.to_string_lossy().starts_with("untitled-"))
                            && is_abandoned(p)
                    })
                    .collect()
            })
            .unwrap_or_default(),
    };
    let mut live = Vec::new();
    for copy in candidates {
        let Some(written) = modified(&copy) else {
            continue;
        };
        if let Some(project) = path
            && is_stale(&copy, written, project)
        {
            remove(&copy);
            continue;
        }
        live.push((copy, written));
    }
    let (path, written) = live.into_iter().max_by_key(|(_, t)| *t)?;
    match load_project(&path) {
        Ok(project) => Some(Ok(Recovery {
            path,
            written,
            project,
        })),
        // Removed between listing and reading (its instance just cleaned up): nothing to
        // offer.
        Err(IoError::Os { error, .. }) if error.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => Some(Err(e)),
    }
}

/// This process's untitled copy for [`write`]: the process id plus the time the name was
/// first needed, so a reused process id never lands on a dead instance's copy.
fn process_untitled(data_dir: &Path) -> PathBuf {
    static ID: OnceLock<String> = OnceLock::new();
    let id = ID.get_or_init(|| {
        let nanos = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        format!("{}-{nanos:08x}", std::process::id())
    });
    data_dir.join("recovery").join(format!("untitled-{id}.ron"))
}

/// Writes a recovery copy of `project` (saved at `path`, if it has been) and returns
/// where it went. Without a [`Session`] an untitled copy has no lock, so another instance
/// may take it for abandoned: an app should hold a `Session` and call [`Session::write`].
pub fn write(project: &Project, path: Option<&Path>, data_dir: &Path) -> Result<PathBuf, IoError> {
    write_copy(project, path, data_dir, &process_untitled(data_dir))
}

/// Finds the newest recovery copy for the project at `path` (a stale one, not newer than
/// the project file, is removed), or, with `None`, of any never-saved project whose
/// instance is gone (its copy's lock is free, or it has none). An unreadable copy is
/// returned as an error naming it. Same as [`Session::find`].
pub fn find(path: Option<&Path>, data_dir: &Path) -> Option<Result<Recovery, IoError>> {
    find_copy(path, data_dir)
}

/// Removes a recovery copy; a missing file is fine.
pub fn remove(path: &Path) {
    let _ = std::fs::remove_file(path);
}

/// "3 minutes ago"-style age of a time, for the restore question.
pub fn age(written: SystemTime) -> String {
    let secs = SystemTime::now()
        .duration_since(written)
        .map_or(0, |d| d.as_secs());
    let (n, unit) = match secs {
        0..=59 => (secs, "second"),
        60..=3599 => (secs / 60, "minute"),
        3600..=86_399 => (secs / 3600, "hour"),
        _ => (secs / 86_400, "day"),
    };
    let n = usize::try_from(n).unwrap_or(usize::MAX);
    format!("{} ago", crate::model::count(n, unit))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Document;

    fn project() -> Project {
        Project::with_documents(vec![Document::new("d", "text")])
    }

    #[test]
    fn write_find_remove() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let project = project();
        let session = Session::start(&data).unwrap();
        // Untitled: in the data folder.
        assert!(session.find(None).is_none());
        let copy = session.write(&project, None).unwrap();
        assert!(copy.starts_with(&data));
        // Our own copy is live: not offered while the session holds its lock.
        assert!(session.find(None).is_none());
        drop(session);
        let next = Session::start(&data).unwrap();
        let found = next.find(None).unwrap().unwrap();
        assert_eq!(found.project, project);
        remove(&found.path);
        assert!(next.find(None).is_none());
        // Saved: beside the project file, hidden.
        let saved = dir.path().join("work.ron");
        crate::io::save_project(&project, &saved).unwrap();
        std::thread::sleep(Duration::from_millis(20));
        let copy = next.write(&project, Some(&saved)).unwrap();
        assert_eq!(copy, dir.path().join(".work.ron.recovery"));
        assert_eq!(next.find(Some(&saved)).unwrap().unwrap().path, copy);
        assert!(next.find(None).is_none());
    }

    /// Another live instance's untitled copy is left alone; once that instance is gone
    /// (its lock released), the copy is offered. No /proc, so PID reuse cannot fool it.
    #[test]
    fn live_instances_copy_is_skipped_dead_ones_offered() {
        let dir = tempfile::tempdir().unwrap();
        let other = Session::start(dir.path()).unwrap();
        let copy = other.write(&project(), None).unwrap();
        let me = Session::start(dir.path()).unwrap();
        assert_ne!(me.untitled_copy(), copy.as_path());
        assert!(me.find(None).is_none(), "a live instance's copy");
        drop(other); // the instance dies; its copy stays
        let found = me.find(None).unwrap().unwrap();
        assert_eq!(found.path, copy);
    }

    /// Project paths that used to flatten to the same copy name get different ones.
    #[test]
    fn data_dir_names_do_not_collide() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let a = dir.path().join("a").join("b_c.ron");
        let b = dir.path().join("a_b").join("c.ron");
        assert_ne!(in_data_dir(&a, &data), in_data_dir(&b, &data));
        // One file under two spellings shares one name.
        std::fs::create_dir(dir.path().join("a")).unwrap();
        let dotted = dir.path().join("a").join("..").join("a").join("b_c.ron");
        assert_eq!(in_data_dir(&a, &data), in_data_dir(&dotted, &data));
    }

    /// A copy left by an autosave that finished before the last save holds nothing new:
    /// it is removed, not offered as a crash.
    #[test]
    fn stale_copy_is_removed_not_offered() {
        let dir = tempfile::tempdir().unwrap();
        let session = Session::start(&dir.path().join("data")).unwrap();
        let saved = dir.path().join("w.ron");
        let copy = session.write(&project(), Some(&saved)).unwrap();
        std::thread::sleep(Duration::from_millis(20));
        let newer = Project::with_documents(vec![Document::new("d2", "other")]);
        crate::io::save_project(&newer, &saved).unwrap();
        assert!(session.find(Some(&saved)).is_none());
        assert!(!copy.exists(), "stale copy removed");
        // A copy written after the save is offered.
        std::thread::sleep(Duration::from_millis(20));
        session.write(&project(), Some(&saved)).unwrap();
        assert!(session.find(Some(&saved)).unwrap().is_ok());
        // Same time and same bytes as the project: nothing to recover.
        crate::io::save_project(&newer, &saved).unwrap();
        let copy = session.write(&newer, Some(&saved)).unwrap();
        let t = modified(&saved).unwrap();
        File::options()
            .write(true)
            .open(&copy)
            .unwrap()
            .set_modified(t)
            .unwrap();
        assert!(session.find(Some(&saved)).is_none());
    }

    #[test]
    fn unreadable_copy_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let saved = dir.path().join("w.ron");
        std::fs::write(dir.path().join(".w.ron.recovery"), "(version: 1, labels: [").unwrap();
        let e = find(Some(&saved), dir.path())
            .unwrap()
            .unwrap_err()
            .to_string();
        assert!(e.contains(".w.ron.recovery"), "{e}");
    }

    /// The free functions keep working: a copy without a lock file counts as abandoned.
    #[test]
    fn free_functions_still_work() {
        let dir = tempfile::tempdir().unwrap();
        let copy = write(&project(), None, dir.path()).unwrap();
        assert!(!copy.with_extension("lock").exists());
        assert_eq!(find(None, dir.path()).unwrap().unwrap().path, copy);
    }
}
