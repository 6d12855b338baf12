//! Files: the project file, atomic writes, importers and exporters. No UI.

mod atomic;
pub mod disk;
pub mod export;
pub mod import;
pub mod labels;
pub mod project;
pub mod recommender;
pub mod recovery;

pub use atomic::{Batch, NAME_MAX, write_atomic, write_atomic_with_backup};
pub use disk::{DiskStamp, DiskState};
pub use project::{
    CURRENT_VERSION, backup_path, is_project_file, load_project, load_project_stamped,
    parse_project, save_project, save_project_plain, save_project_stamped, write_project,
};

use std::path::PathBuf;

/// Why reading or writing a file failed. Every variant names the file.
#[derive(Debug, thiserror::Error)]
pub enum IoError {
    /// The OS refused to read or write.
    #[error("{}: {error}", path.display())]
    Os {
        /// The file.
        path: PathBuf,
        /// The OS error.
        error: std::io::Error,
    },
    /// The file is not valid RON or does not have the project's shape.
    #[error("{}:{line}:{col}: {message}", path.display())]
    Syntax {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        col: usize,
        /// What RON reported.
        message: String,
    },
    /// The file was written by a newer spanmark.
    #[error(
        "{}: made by a newer spanmark (file version {found}; this spanmark reads version {})",
        path.display(),
        CURRENT_VERSION
    )]
    NewerVersion {
        /// The file.
        path: PathBuf,
        /// The version it declares.
        found: u32,
    },
    /// The file parses but its content is inconsistent.
    #[error("{}: {message}", path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong and where.
        message: String,
    },
}
