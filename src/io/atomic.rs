//! Crash-safe file replacement.

use std::fs::{self, File};
use std::io::Write;
use std::path::Path;

/// Writes `bytes` to `path` atomically: a temporary file in the same folder is written,
/// flushed and synced, then renamed over `path`. A crash at any moment leaves either the
/// old file or the new one, whole.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    replace(path, bytes, None)
}

/// Like [`write_atomic`], and the file being replaced is kept as `backup` (itself replaced
/// atomically), so the previous version survives a save the user regrets.
pub fn write_atomic_with_backup(path: &Path, bytes: &[u8], backup: &Path) -> std::io::Result<()> {
    replace(path, bytes, Some(backup))
}

/// `.NAME.SUFFIX-PID` beside `path`: hidden, and unique per process.
fn sibling(path: &Path, suffix: &str) -> std::io::Result<std::path::PathBuf> {
    let name = path
        .file_name()
        .ok_or_else(|| std::io::Error::other("path has no file name"))?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(".{suffix}-{}", std::process::id()));
    Ok(path.with_file_name(tmp_name))
}

fn replace(path: &Path, bytes: &[u8], backup: Option<&Path>) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let tmp = sibling(path, "tmp")?;
    let result = (|| {
        let mut file = File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        if let Some(backup) = backup
            && path.exists()
        {
            // A hard link is instant and never half-written; copy where links fail.
            let bak_tmp = sibling(backup, "tmp")?;
            let _ = fs::remove_file(&bak_tmp);
            if fs::hard_link(path, &bak_tmp).is_err() {
                fs::copy(path, &bak_tmp)?;
            }
            fs::rename(&bak_tmp, backup)?;
        }
        fs::rename(&tmp, path)?;
        // Persist the renames; not every platform can open a folder, so best effort.
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_and_leaves_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.ron");
        write_atomic(&path, b"old").unwrap();
        write_atomic(&path, b"new").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"new");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn backup_keeps_the_previous_version() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.ron");
        let bak = dir.path().join("p.ron.bak");
        write_atomic_with_backup(&path, b"one", &bak).unwrap();
        assert!(!bak.exists(), "no previous version yet");
        write_atomic_with_backup(&path, b"two", &bak).unwrap();
        write_atomic_with_backup(&path, b"three", &bak).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"three");
        assert_eq!(fs::read(&bak).unwrap(), b"two");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 2);
    }

    #[test]
    fn missing_folder_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nope").join("p.ron");
        assert!(write_atomic(&path, b"x").is_err());
    }
}
