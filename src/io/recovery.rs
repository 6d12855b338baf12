//! Recovery copies: what autosave writes while a project has unsaved changes, so that a
//! crash or power cut loses at most one autosave interval of work.
//!
//! A saved project's copy lives beside it as `.NAME.ron.recovery` (or, if that folder is
//! not writable, in the data folder); a never-saved project's copy lives in the data folder
//! as `recovery/untitled-PID.ron`. A clean save or an explicit Discard removes it.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

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

fn beside(project: &Path) -> PathBuf {
    let name = project.file_name().map_or_else(
        || "project.ron".into(),
        |n| n.to_string_lossy().into_owned(),
    );
    project.with_file_name(format!(".{name}.recovery"))
}

fn in_data_dir(project: &Path, data_dir: &Path) -> PathBuf {
    let flat: String = project
        .to_string_lossy()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect();
    data_dir.join("recovery").join(format!("{flat}.recovery"))
}

fn untitled(data_dir: &Path) -> PathBuf {
    data_dir
        .join("recovery")
        .join(format!("untitled-{}.ron", std::process::id()))
}

/// Writes a recovery copy of `project` (saved at `path`, if it has been) and returns
/// where it went.
pub fn write(project: &Project, path: Option<&Path>, data_dir: &Path) -> Result<PathBuf, IoError> {
    let target = match path {
        Some(p) => beside(p),
        None => untitled(data_dir),
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

/// Finds the newest recovery copy for the project at `path`, or, with `None`, of any
/// never-saved project. An unreadable copy is returned as an error naming it.
pub fn find(path: Option<&Path>, data_dir: &Path) -> Option<Result<Recovery, IoError>> {
    let candidates: Vec<PathBuf> = match path {
        Some(p) => vec![beside(p), in_data_dir(p, data_dir)],
        None => std::fs::read_dir(data_dir.join("recovery"))
            .map(|entries| {
                entries
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| {
                        p.file_name().is_some_and(|n| {
                            n.to_string_lossy()
                                .strip_prefix("untitled-")
                                .is_some_and(|rest| !is_running(rest.trim_end_matches(".ron")))
                        })
                    })
                    .collect()
            })
            .unwrap_or_default(),
    };
    let newest = candidates
        .into_iter()
        .filter_map(|p| {
            let written = std::fs::metadata(&p).and_then(|m| m.modified()).ok()?;
            Some((p, written))
        })
        .max_by_key(|(_, t)| *t)?;
    let (path, written) = newest;
    Some(load_project(&path).map(|project| Recovery {
        path,
        written,
        project,
    }))
}

/// Whether `pid` is another spanmark that is still running (its copy is live, not left
/// by a crash). Only Linux can tell cheaply; elsewhere every copy is offered.
fn is_running(pid: &str) -> bool {
    let own = std::process::id().to_string();
    pid != own && cfg!(target_os = "linux") && Path::new("/proc").join(pid).exists()
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
    match secs {
        0..=59 => format!("{secs} seconds ago"),
        60..=3599 => format!("{} minutes ago", secs / 60),
        3600..=86_399 => format!("{} hours ago", secs / 3600),
        _ => format!("{} days ago", secs / 86_400),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Document;

    #[test]
    fn write_find_remove() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let project = Project::with_documents(vec![Document::new("d", "text")]);
        // Untitled: in the data folder.
        assert!(find(None, &data).is_none());
        let copy = write(&project, None, &data).unwrap();
        assert!(copy.starts_with(&data));
        let found = find(None, &data).unwrap().unwrap();
        assert_eq!(found.project, project);
        remove(&found.path);
        assert!(find(None, &data).is_none());
        // Saved: beside the project file, hidden.
        let saved = dir.path().join("work.ron");
        let copy = write(&project, Some(&saved), &data).unwrap();
        assert_eq!(copy, dir.path().join(".work.ron.recovery"));
        assert_eq!(find(Some(&saved), &data).unwrap().unwrap().path, copy);
        assert!(find(None, &data).is_none());
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
}
