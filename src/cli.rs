//! Command-line interface.

use std::path::PathBuf;

use clap::Parser;

/// spanmark: fast, offline, exact text span annotation.
///
/// With no arguments, opens the bundled sample article as a new project.
#[derive(Debug, Parser)]
#[command(name = "spanmark", version, about, long_about = None)]
pub struct Cli {
    /// A project file (.ron) to open, or text files (.txt) to annotate as a new project.
    pub paths: Vec<PathBuf>,
}
