//! Command-line interface: the GUI by default, plus headless `import`, `export`, `stats`
//! and `validate`.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use clap::{Parser, Subcommand, ValueEnum};

use crate::io::export::{self, ExportOptions, Format, Scheme};
use crate::io::import::{self, ImportOptions};
use crate::model::{Project, default_labels};

/// spanmark: fast, offline, exact text span annotation.
///
/// With no arguments, opens the bundled sample article as a new project in the window.
#[derive(Debug, Parser)]
#[command(
    name = "spanmark",
    version,
    about,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    /// A headless command; without one, the window opens.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// A project file (.ron) to open, or text files (.txt) to annotate as a new project.
    pub paths: Vec<PathBuf>,
    /// Scroll through the document top to bottom, print the time taken, and quit (for
    /// measuring the window's memory and frame pacing).
    #[arg(long)]
    pub bench_scroll: bool,
}

/// Headless commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write a project's documents and spans in a dataset format.
    Export {
        /// The project file (.ron), or a file `import` reads (.jsonl, .txt, brat .ann) to
        /// convert in one step.
        project: PathBuf,
        /// The format to write.
        #[arg(short, long, value_enum)]
        format: FormatArg,
        /// Output file (for brat: a folder). hf also writes labels.json beside it.
        #[arg(short, long)]
        output: PathBuf,
        /// Tagging scheme for conll and hf (default: iob2). Other formats refuse it.
        #[arg(long, value_enum)]
        scheme: Option<SchemeArg>,
        /// Labels to keep in conll and hf, comma-separated (default: all). Other formats
        /// write every span and refuse it.
        #[arg(long, value_delimiter = ',')]
        labels: Option<Vec<String>>,
    },
    /// Create a project from .txt, .jsonl (doccano or spaCy offsets) or brat .ann files.
    Import {
        /// Input files: .txt, .jsonl/.json, .ann (with the .txt of the same name).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The project file to write (only if the import succeeds).
        #[arg(short, long)]
        output: PathBuf,
        /// For .txt files: one document per non-empty line.
        #[arg(long)]
        split_lines: bool,
        /// Skip bad records instead of failing; each skipped record is listed.
        #[arg(long)]
        skip_bad: bool,
    },
    /// Print documents, spans per label and overlaps.
    Stats {
        /// The project file (.ron).
        project: PathBuf,
    },
    /// Check a project file: exit 0 if it is sound, 1 with the error otherwise.
    Validate {
        /// The project file (.ron).
        project: PathBuf,
    },
    // --- team merge: merge, split, merge-driver, git-setup (run in cli_team.rs) ---
    /// Merge annotators' projects of the same documents into one (gold) project.
    Merge {
        /// The annotators' project files (.ron); each is named by its file stem.
        #[arg(required = true)]
        projects: Vec<PathBuf>,
        /// The merged project file to write.
        #[arg(short, long)]
        output: PathBuf,
        /// agreed: spans everyone has, the rest as disagreements to adjudicate;
        /// union: spans anyone has; majority: spans more than half have.
        #[arg(long, value_enum, default_value = "agreed")]
        policy: PolicyArg,
    },
    /// Split a project among annotators: DIR/annotator-1.ron ... with a shared part.
    Split {
        /// The project file (.ron).
        project: PathBuf,
        /// How many annotators.
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..=10_000))]
        annotators: u32,
        /// Percent of the documents every annotator gets (agreement is measured on
        /// them); the others go round-robin.
        #[arg(long, default_value_t = 0.0)]
        overlap: f64,
        /// The folder to write the projects into (created if missing).
        #[arg(short, long)]
        output: PathBuf,
    },
    /// git's merge driver: merge %A (ours) and %B (theirs) from %O (base) span by span,
    /// into %A. Exit 0 when clean, 1 with conflicts (kept as disagreements to adjudicate in
    /// spanmark), 2 if a file cannot be read (%A is then untouched).
    MergeDriver {
        /// The common ancestor (%O).
        base: PathBuf,
        /// Our version (%A); the result is written here.
        ours: PathBuf,
        /// Their version (%B).
        theirs: PathBuf,
    },
    /// Make git merge project files with spanmark: the .gitattributes line and the
    /// merge.spanmark git config of the repository at DIR (default: here).
    GitSetup {
        /// A folder in the git repository.
        dir: Option<PathBuf>,
    },
}

/// Merge policies on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum PolicyArg {
    /// Spans everyone has; other regions become disagreements to adjudicate
    Agreed,
    /// Spans anyone has
    Union,
    /// Spans more than half of the annotators have
    Majority,
}

/// An error that ends the program with a given exit status (the merge driver's contract
/// with git); `message` is printed after "spanmark: ".
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct Exit {
    /// The exit status.
    pub code: i32,
    /// What to print.
    pub message: String,
}

/// Export formats on the command line.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum FormatArg {
    /// doccano JSONL: {"id", "text", "label": [[start, end, label]]}
    Jsonl,
    /// CoNLL-2003 style, one token per line, IOB2 or BILOU tags
    Conll,
    /// Hugging Face JSONL rows {"tokens", "ner_tags"} plus labels.json
    Hf,
    /// brat standoff folder: NAME.txt + NAME.ann
    Brat,
    /// Label Studio JSON tasks
    Labelstudio,
    /// CSV, one row per span
    Csv,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Self {
        match f {
            FormatArg::Jsonl => Format::Jsonl,
            FormatArg::Conll => Format::Conll,
            FormatArg::Hf => Format::Hf,
            FormatArg::Brat => Format::Brat,
            FormatArg::Labelstudio => Format::LabelStudio,
            FormatArg::Csv => Format::Csv,
        }
    }
}

/// Tagging schemes on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SchemeArg {
    /// B-, I-, O
    Iob2,
    /// B-, I-, L-, U-, O
    Bilou,
}

/// Runs a headless command, printing results to `out` and diagnostics to `err`.
pub fn run(command: Command, out: &mut dyn Write, err: &mut dyn Write) -> anyhow::Result<()> {
    match command {
        Command::Export {
            project,
            format,
            output,
            scheme,
            labels,
        } => {
            let format = Format::from(format);
            // Options a format would ignore are refused, so no one believes they applied.
            if !format.is_flat() {
                let given = match (&labels, scheme) {
                    (Some(_), _) => Some("--labels"),
                    (None, Some(_)) => Some("--scheme"),
                    (None, None) => None,
                };
                if let Some(option) = given {
                    bail!(
                        "{option} applies only to the conll and hf formats; {} writes every span as it is",
                        format.name()
                    );
                }
            }
            let p = open_input(&project)?;
            let selected = match labels {
                None => None,
                Some(names) => Some(
                    names
                        .iter()
                        .map(|n| {
                            p.label_id(n.trim()).with_context(|| {
                                let known: Vec<&str> =
                                    p.labels().iter().map(|l| l.name.as_str()).collect();
                                format!(
                                    "unknown label {n:?} (the project has {})",
                                    known.join(", ")
                                )
                            })
                        })
                        .collect::<anyhow::Result<Vec<_>>>()?,
                ),
            };
            let opts = ExportOptions {
                scheme: match scheme {
                    None | Some(SchemeArg::Iob2) => Scheme::Iob2,
                    Some(SchemeArg::Bilou) => Scheme::Bilou,
                },
                labels: selected,
            };
            let report = export::export(&p, format, &opts, &output)?;
            writeln!(err, "{}: {}", output.display(), report.summary(20))?;
        }
        Command::Import {
            files,
            output,
            split_lines,
            skip_bad,
        } => {
            let imported = import::import_paths(
                &files,
                default_labels(),
                ImportOptions {
                    split_lines,
                    skip_bad,
                },
            )?;
            for s in &imported.skipped {
                writeln!(err, "skipped: {s}")?;
            }
            for n in &imported.notes {
                writeln!(err, "note: {n}")?;
            }
            let spans: usize = imported.documents.iter().map(|d| d.spans().len()).sum();
            let n_docs = imported.documents.len();
            let project = Project::new(imported.labels, imported.documents)
                .with_context(|| format!("importing into {}", output.display()))?;
            crate::io::save_project(&project, &output)?;
            writeln!(
                err,
                "{}: {n_docs} documents, {spans} spans{}",
                output.display(),
                if imported.skipped.is_empty() {
                    String::new()
                } else {
                    format!(", {} records skipped", imported.skipped.len())
                }
            )?;
        }
        Command::Stats { project } => {
            let p = crate::io::load_project(&project)?;
            write_stats(&p, &project, out)?;
        }
        command @ (Command::Merge { .. }
        | Command::Split { .. }
        | Command::MergeDriver { .. }
        | Command::GitSetup { .. }) => crate::cli_team::run(command, out, err)?,
        Command::Validate { project } => {
            let p = crate::io::load_project(&project)?;
            let spans: usize = p.documents().iter().map(|d| d.spans().len()).sum();
            writeln!(
                out,
                "{}: ok ({} documents, {spans} spans)",
                project.display(),
                p.documents().len()
            )?;
        }
    }
    Ok(())
}

/// A project file, or any file `import` reads, as a project.
fn open_input(path: &Path) -> anyhow::Result<Project> {
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("ron"))
    {
        return Ok(crate::io::load_project(path)?);
    }
    let imported = import::import_paths(
        &[path.to_path_buf()],
        default_labels(),
        ImportOptions::default(),
    )?;
    Project::new(imported.labels, imported.documents)
        .with_context(|| format!("reading {}", path.display()))
}

fn write_stats(p: &Project, path: &Path, out: &mut dyn Write) -> anyhow::Result<()> {
    let mut per_label = vec![0usize; p.labels().len()];
    let mut overlaps = 0usize;
    let mut nested = 0usize;
    for doc in p.documents() {
        let spans = doc.spans().as_slice();
        for (i, s) in spans.iter().enumerate() {
            per_label[usize::from(s.label().0)] += 1;
            // Sorted by start: only later spans starting before this one ends overlap it.
            for t in spans[i + 1..].iter().take_while(|t| t.start() < s.end()) {
                overlaps += 1;
                if t.end() <= s.end() {
                    nested += 1;
                }
            }
        }
    }
    let total: usize = per_label.iter().sum();
    writeln!(
        out,
        "{}: {} documents, {total} spans",
        path.display(),
        p.documents().len()
    )?;
    writeln!(out, "spans per label:")?;
    for (label, n) in p.labels().iter().zip(&per_label) {
        writeln!(out, "  {:<12} {n}", label.name)?;
    }
    writeln!(out, "overlapping span pairs: {overlaps} ({nested} nested)")?;
    writeln!(out, "documents:")?;
    for doc in p.documents() {
        writeln!(
            out,
            "  {}  [{}]  {} chars, {} spans",
            doc.name,
            doc.status.as_str(),
            doc.text().char_len(),
            doc.spans().len()
        )?;
    }
    Ok(())
}

/// Rejects paths clap took for the GUI that look like a mistyped command.
pub fn check_gui_paths(paths: &[PathBuf]) -> anyhow::Result<()> {
    for p in paths {
        if !p.exists() {
            bail!("{}: no such file", p.display());
        }
    }
    Ok(())
}
