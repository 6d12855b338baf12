//! Crash-safe file replacement.
//!
//! The temporary file gets a fresh random name and is created exclusively
//! (`tempfile::NamedTempFile`), so nothing planted in the folder (a symlink at a guessable
//! name) is ever followed. A project path that is a symlink is written through: its target
//! is replaced and the link stays a link. The replaced file's permissions are kept.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

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

/// Symlinks followed before giving up (the kernel's own limit is about as deep).
const MAX_LINKS: usize = 40;

/// The file a write to `path` should replace: `path` itself, or, if it is a symlink
/// (possibly to a symlink), the file it finally points to, which need not exist yet.
pub(crate) fn resolve_links(path: &Path) -> std::io::Result<PathBuf> {
    let mut at = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match fs::symlink_metadata(&at) {
            Ok(m) if m.file_type().is_symlink() => {
                let target = fs::read_link(&at)?;
                // A relative link is relative to the folder holding the link.
                at = match at.parent() {
                    Some(dir) if target.is_relative() => dir.join(target),
                    _ => target,
                };
            }
            _ => return Ok(at),
        }
    }
    Err(std::io::Error::other(format!(
        "{}: too many levels of symbolic links",
        path.display()
    )))
}

fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// The longest file name, in bytes, that the usual file systems take (ext4, XFS,
/// btrfs, ZFS; APFS and NTFS count 255 UTF-16 units, which such a name never exceeds).
pub const NAME_MAX: usize = 255;

/// What a temporary name adds to its prefix: tempfile's 6 random chars and `.tmp`.
const TEMP_TAIL: usize = 6 + ".tmp".len();

/// `.NAME.` for temporary files beside `path`: hidden, and recognisable. A long NAME is
/// cut (on a char boundary) so that the temporary name fits [`NAME_MAX`] whenever the
/// final name does: a temporary name longer than the final one would fail a write that
/// could succeed.
fn temp_prefix(path: &Path) -> std::io::Result<std::ffi::OsString> {
    let name = path
        .file_name()
        .ok_or_else(|| std::io::Error::other("path has no file name"))?;
    let name = name.to_string_lossy();
    let room = NAME_MAX - ".".len() * 2 - TEMP_TAIL;
    let mut cut = name.len().min(room);
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    Ok(format!(".{}.", &name[..cut]).into())
}

/// A temporary file beside `target` holding `bytes`, synced, with the permissions of
/// the file it will replace (or the usual ones for a new file). Dropped, it is deleted.
fn write_temp(target: &Path, bytes: &[u8]) -> std::io::Result<tempfile::NamedTempFile> {
    let dir = parent_dir(target);
    let old = fs::metadata(target).ok();
    let prefix = temp_prefix(target)?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    // A new file gets the usual mode (0666 less the umask), not tempfile's private 0600.
    #[cfg(unix)]
    let default_mode = {
        use std::os::unix::fs::PermissionsExt;
        fs::Permissions::from_mode(0o666)
    };
    #[cfg(unix)]
    builder.permissions(default_mode);
    // Dropping the temp file on any error below deletes it.
    let mut tmp = builder.tempfile_in(dir)?;
    if let Some(old) = &old {
        tmp.as_file().set_permissions(old.permissions())?;
    }
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    Ok(tmp)
}

/// Persists renames in `dir`; not every platform can open a folder, so best effort.
fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

fn replace(path: &Path, bytes: &[u8], backup: Option<&Path>) -> std::io::Result<()> {
    let target = resolve_links(path)?;
    let tmp = write_temp(&target, bytes)?;
    if let Some(backup) = backup
        && target.exists()
    {
        keep_backup(&target, backup)?;
    }
    tmp.persist(&target).map_err(|e| e.error)?;
    sync_dir(parent_dir(&target));
    Ok(())
}

/// Several files written all or nothing: each is written to a temporary file beside it
/// first, and only when every one is written are they renamed into place. Dropped
/// before [`Batch::commit`] (a write failed: a full disk, a name too long), the
/// temporary files are deleted and no file was replaced. The temporary files are
/// closed while they wait, so a batch of thousands holds no file handles.
#[derive(Default)]
pub struct Batch {
    staged: Vec<(tempfile::TempPath, PathBuf)>,
}

impl Batch {
    /// An empty batch.
    pub fn new() -> Self {
        Self::default()
    }

    /// Writes `bytes` for `path` to a temporary file beside it (through a symlinked
    /// `path`, as [`write_atomic`] does).
    pub fn add(&mut self, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
        let target = resolve_links(path)?;
        // What would fail the rename is found now, before anything is replaced: a name
        // too long (the temporary one is cut to fit), a folder.
        if target
            .file_name()
            .is_some_and(|n| n.as_encoded_bytes().len() > NAME_MAX)
        {
            return Err(std::io::Error::other(format!(
                "{}: file name too long (more than {NAME_MAX} bytes)",
                target.display()
            )));
        }
        if fs::metadata(&target).is_ok_and(|m| m.is_dir()) {
            return Err(std::io::Error::other(format!(
                "{} is a folder",
                target.display()
            )));
        }
        let tmp = write_temp(&target, bytes)?;
        self.staged.push((tmp.into_temp_path(), target));
        Ok(())
    }

    /// Renames every file into place.
    pub fn commit(self) -> std::io::Result<()> {
        let mut dirs: Vec<PathBuf> = Vec::new();
        for (tmp, target) in self.staged {
            tmp.persist(&target).map_err(|e| e.error)?;
            let dir = parent_dir(&target).to_path_buf();
            if !dirs.contains(&dir) {
                dirs.push(dir);
            }
        }
        for dir in dirs {
            sync_dir(&dir);
        }
        Ok(())
    }
}

/// Makes `backup` a copy of `file`, atomically: a hard link (instant, never half-written)
/// or, where links fail, a copy, each at a fresh name first, then renamed over `backup`.
fn keep_backup(file: &Path, backup: &Path) -> std::io::Result<()> {
    let dir = parent_dir(backup);
    let prefix = temp_prefix(backup)?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    // `make_in` retries on a name that exists, so a planted file is never touched.
    let linked = builder.make_in(dir, |name| fs::hard_link(file, name));
    match linked {
        Ok(link) => {
            link.persist(backup).map_err(|e| e.error)?;
        }
        Err(_) => {
            let mut copy = builder.tempfile_in(dir)?;
            let mut src = File::open(file)?;
            std::io::copy(&mut src, copy.as_file_mut())?;
            if let Ok(m) = src.metadata() {
                copy.as_file().set_permissions(m.permissions())?;
            }
            copy.as_file().sync_all()?;
            copy.persist(backup).map_err(|e| e.error)?;
        }
    }
    Ok(())
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

    /// The old code wrote to `.NAME.tmp-PID` with `File::create`, which follows a
    /// symlink planted there and overwrites whatever it points to.
    #[cfg(unix)]
    #[test]
    fn planted_symlink_at_old_temp_names_is_harmless() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim.txt");
        fs::write(&victim, b"precious").unwrap();
        let path = dir.path().join("p.ron");
        let bak = dir.path().join("p.ron.bak");
        write_atomic(&path, b"one").unwrap();
        let pid = std::process::id();
        for name in [format!(".p.ron.tmp-{pid}"), format!(".p.ron.bak.tmp-{pid}")] {
            std::os::unix::fs::symlink(&victim, dir.path().join(name)).unwrap();
        }
        write_atomic_with_backup(&path, b"two", &bak).unwrap();
        assert_eq!(fs::read(&victim).unwrap(), b"precious");
        assert_eq!(fs::read(&path).unwrap(), b"two");
        assert_eq!(fs::read(&bak).unwrap(), b"one");
    }

    /// A name near the limit: the temporary name used to be 12 bytes longer than the
    /// final one, so the write failed (`File name too long`) though the name fits.
    #[test]
    fn names_near_the_limit_can_be_written() {
        let dir = tempfile::tempdir().unwrap();
        for name in [
            "x".repeat(NAME_MAX),
            format!("{}.ann", "東".repeat((NAME_MAX - 4) / 3)),
        ] {
            assert!(name.len() <= NAME_MAX && name.len() > NAME_MAX - 4);
            let path = dir.path().join(&name);
            write_atomic(&path, b"one").unwrap();
            write_atomic_with_backup(&path, b"two", &dir.path().join("b")).unwrap();
            let mut batch = Batch::new();
            batch.add(&path, b"three").unwrap();
            batch.commit().unwrap();
            assert_eq!(fs::read(&path).unwrap(), b"three");
        }
    }

    /// A batch replaces nothing until it commits, and leaves no temporary file when it
    /// is dropped instead.
    #[test]
    fn a_batch_is_all_or_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.txt");
        fs::write(&a, b"old").unwrap();
        let mut batch = Batch::new();
        batch.add(&a, b"new").unwrap();
        batch.add(&dir.path().join("b.txt"), b"b").unwrap();
        // A folder cannot be replaced: refused before anything is.
        fs::create_dir(dir.path().join("c.txt")).unwrap();
        assert!(batch.add(&dir.path().join("c.txt"), b"c").is_err());
        let too_long = dir.path().join("x".repeat(NAME_MAX + 1));
        assert!(batch.add(&too_long, b"x").is_err());
        drop(batch);
        assert_eq!(fs::read(&a).unwrap(), b"old");
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 2, "a.txt and the folder c.txt only: {names:?}");
        let mut batch = Batch::new();
        batch.add(&a, b"new").unwrap();
        batch.add(&dir.path().join("b.txt"), b"b").unwrap();
        batch.commit().unwrap();
        assert_eq!(fs::read(&a).unwrap(), b"new");
        assert_eq!(fs::read(dir.path().join("b.txt")).unwrap(), b"b");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 3);
    }

    #[cfg(unix)]
    #[test]
    fn permissions_are_kept() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.ron");
        let bak = dir.path().join("p.ron.bak");
        write_atomic(&path, b"one").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
        write_atomic_with_backup(&path, b"two", &bak).unwrap();
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
        write_atomic(&path, b"three").unwrap();
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
        // A new file is readable by others as usual (umask permitting), not 0600.
        let fresh = dir.path().join("fresh.ron");
        write_atomic(&fresh, b"x").unwrap();
        let mode = fs::metadata(&fresh).unwrap().permissions().mode() & 0o777;
        assert_ne!(mode & 0o600, 0);
        assert_eq!(mode & 0o111, 0, "never executable");
    }

    #[cfg(unix)]
    #[test]
    fn symlinked_project_is_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let real_dir = dir.path().join("real");
        fs::create_dir(&real_dir).unwrap();
        let target = real_dir.join("p.ron");
        fs::write(&target, b"one").unwrap();
        let link = dir.path().join("link.ron");
        std::os::unix::fs::symlink("real/p.ron", &link).unwrap();
        let bak = dir.path().join("link.ron.bak");
        write_atomic_with_backup(&link, b"two", &bak).unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read(&target).unwrap(), b"two");
        assert_eq!(fs::read(&link).unwrap(), b"two");
        assert_eq!(fs::read(&bak).unwrap(), b"one");
        // No temp file left behind in either folder.
        assert_eq!(fs::read_dir(&real_dir).unwrap().count(), 1);
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 3);
    }
}
