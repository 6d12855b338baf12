//! The RON project file: saving (atomic, with a `.bak`), loading (on all cores for a
//! large file) and telling a project file from other files.
//!
//! The file has its own versioned structs (`file.rs`); loading converts them into checked
//! model types, so a bad file is rejected with a message instead of producing a bad
//! project. `split.rs` cuts a large file at its documents to parse them in parallel, and
//! `fast.rs` reads each document in the layout `write.rs` writes without ron.

mod check;
mod fast;
mod file;
pub(crate) mod split;
mod write;

use std::path::Path;

use serde::Deserialize;

use super::disk::DiskStamp;
use super::{IoError, write_atomic, write_atomic_with_backup};
use crate::model::Project;
pub(crate) use check::{check_document, check_header, invalid, syntax_error};
pub use file::CURRENT_VERSION;
pub(crate) use file::{DocumentIn, FileIn, ron_options, settings_of};
pub use write::write_project;

/// Saves a project atomically (see [`write_atomic`]), keeping the previous version as
/// `NAME.ron.bak`.
pub fn save_project(project: &Project, path: &Path) -> Result<(), IoError> {
    save_project_stamped(project, path).map(|_| ())
}

/// [`save_project`], returning the [`DiskStamp`] of what was written (hashed from the
/// bytes in memory), to tell later whether another program changed the file.
pub fn save_project_stamped(project: &Project, path: &Path) -> Result<DiskStamp, IoError> {
    let bytes = project_bytes(project, path)?;
    write_atomic_with_backup(path, &bytes, &backup_path(path)).map_err(|error| IoError::Os {
        path: path.to_path_buf(),
        error,
    })?;
    let meta = std::fs::metadata(path).ok();
    Ok(DiskStamp::of_bytes(&bytes, meta.as_ref()))
}

/// Writes a project atomically without a backup (recovery copies, new projects).
pub fn save_project_plain(project: &Project, path: &Path) -> Result<(), IoError> {
    let bytes = project_bytes(project, path)?;
    write_atomic(path, &bytes).map_err(|error| IoError::Os {
        path: path.to_path_buf(),
        error,
    })
}

fn project_bytes(project: &Project, path: &Path) -> Result<Vec<u8>, IoError> {
    let mut buf = Vec::with_capacity(1 << 16);
    write_project(project, &mut buf).map_err(|error| IoError::Os {
        path: path.to_path_buf(),
        error,
    })?;
    Ok(buf)
}

/// Where the previous version of a saved project is kept: `NAME.ron.bak`.
pub fn backup_path(path: &Path) -> std::path::PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".bak");
    std::path::PathBuf::from(name)
}

/// Whether the file at `path` starts like a spanmark project file: after a BOM,
/// whitespace, RON comments and attributes, an optional struct name, `(` and a field of the file
/// (`version`, `labels`, `documents`, `suggest`) with its `:`. Only the first few KB
/// are read, so a truncated or broken project counts too. A file that cannot be read
/// (or is not there) does not.
pub fn is_project_file(path: &Path) -> bool {
    use std::io::Read as _;
    let mut head = Vec::with_capacity(4096);
    let read = std::fs::File::open(path).and_then(|f| f.take(4096).read_to_end(&mut head));
    read.is_ok() && starts_like_project(&String::from_utf8_lossy(&head))
}

/// [`is_project_file`] on the start of a file's text.
fn starts_like_project(text: &str) -> bool {
    /// Past whitespace, `//` / `/* */` comments and `#![enable(...)]` attributes.
    fn skip(mut s: &str) -> &str {
        loop {
            s = s.trim_start();
            if let Some(rest) = s.strip_prefix("#![") {
                s = rest.split_once(']').map_or("", |(_, r)| r);
            } else if let Some(rest) = s.strip_prefix("//") {
                s = rest.split_once('\n').map_or("", |(_, r)| r);
            } else if let Some(rest) = s.strip_prefix("/*") {
                s = rest.split_once("*/").map_or("", |(_, r)| r);
            } else {
                return s;
            }
        }
    }
    /// A leading identifier (maybe empty) and the rest.
    fn ident(s: &str) -> (&str, &str) {
        let n = s
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(s.len());
        s.split_at(n)
    }
    let s = skip(text.strip_prefix('\u{feff}').unwrap_or(text));
    let (_struct_name, s) = ident(s);
    let Some(s) = skip(s).strip_prefix('(') else {
        return false;
    };
    let (field, s) = ident(skip(s));
    matches!(field, "version" | "labels" | "documents" | "suggest") && skip(s).starts_with(':')
}

/// Reads and checks a project file.
pub fn load_project(path: &Path) -> Result<Project, IoError> {
    let bytes = std::fs::read(path).map_err(|error| IoError::Os {
        path: path.to_path_buf(),
        error,
    })?;
    parse_bytes(&bytes, path)
}

/// [`load_project`], also returning the [`DiskStamp`] of the bytes it read (no second
/// read), to tell later whether another program changed the file.
pub fn load_project_stamped(path: &Path) -> Result<(Project, DiskStamp), IoError> {
    let (bytes, meta) = super::disk::read_with_meta(path).map_err(|error| IoError::Os {
        path: path.to_path_buf(),
        error,
    })?;
    let stamp = DiskStamp::of_bytes(&bytes, Some(&meta));
    Ok((parse_bytes(&bytes, path)?, stamp))
}

fn parse_bytes(bytes: &[u8], path: &Path) -> Result<Project, IoError> {
    // A BOM is not RON, but editors on some systems write one: read past it.
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| IoError::Invalid {
        path: path.to_path_buf(),
        message: format!(
            "not a spanmark project: not UTF-8 text (invalid byte at offset {})",
            e.valid_up_to()
        ),
    })?;
    parse_project(text, path)
}

/// Parses and checks project file contents; `path` is only used in error messages.
///
/// A large file is parsed on all cores: [`split`] cuts it at the top-level
/// document boundaries and each document is parsed and checked on its own. The result,
/// and any error, is exactly the sequential parse's: whenever the cut is unsure or any
/// part fails, the whole file is parsed sequentially instead.
pub fn parse_project(source: &str, path: &Path) -> Result<Project, IoError> {
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    if threads > 1
        && source.len() >= split::PARALLEL_FROM
        && let Some(project) = split::parse_parallel(source, path, threads)
    {
        return Ok(project);
    }
    parse_project_sequential(source, path)
}

/// Whether `source` is meant as a spanmark project file: RON whose top level has a
/// `version` and `labels`. A file that is meant as one but does not load is a broken
/// project; one that is not is some other RON file (the git merge driver merges those
/// as text).
pub fn looks_like_project(source: &str) -> bool {
    #[derive(Deserialize)]
    struct Probe {
        #[serde(rename = "version")]
        _version: u32,
        #[serde(rename = "labels")]
        _labels: serde::de::IgnoredAny,
    }
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    // A project cut short or broken further down still starts as one.
    ron_options().from_str::<Probe>(source).is_ok() || starts_like_project(source)
}

/// The plain parse: ron reads the whole file, then the documents are checked in order.
pub(crate) fn parse_project_sequential(source: &str, path: &Path) -> Result<Project, IoError> {
    let file: FileIn = match ron_options().from_str(source) {
        Ok(f) => f,
        Err(e) => return Err(syntax_error(source, path, &e)),
    };
    let header = check_header(file.version, file.labels, file.relation_types, path)?;
    let settings = settings_of(file.suggest).map_err(|e| invalid(path, e))?;
    let mut documents = Vec::with_capacity(file.documents.len());
    for (di, d) in file.documents.into_iter().enumerate() {
        documents.push(check_document(di, d, &header, path)?);
    }
    header
        .with_same_labels(documents)
        .map(|p| p.with_suggest_settings(settings))
        .map_err(|e| invalid(path, e.to_string()))
}

#[cfg(test)]
pub(crate) mod tests;
