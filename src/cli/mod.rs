//! Command-line interface: the GUI by default, plus headless `import`, `export`, `stats`,
//! `validate`, `suggest` and `agree` (run in `run.rs`; `suggest --speakers` in
//! `speakers.rs`) and the team commands `merge`, `split`, `merge-driver` and `git-setup`
//! (run in `team.rs`).
//!
//! This module holds the arguments (clap's derive), [`Exit`] and the dispatch; the
//! runners import their arguments from here and never each other.

mod recommend;
mod run;
mod speakers;
mod team;

use std::io::Write;
use std::path::PathBuf;

use anyhow::bail;
use clap::{Parser, Subcommand, ValueEnum};

use crate::io::export::Format;

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
    /// Propose spans (or, with --speakers, who said each quote): print one JSON object
    /// per suggestion, or accept them all.
    ///
    /// Sources: the project's own labels (--learn), patterns files, dictionaries and an
    /// external command; the patterns files and dictionaries saved in the project are
    /// used too. Prints {"document", "start", "end", "label", "text", "source"} per line,
    /// offsets in chars.
    ///
    /// With --speakers: a SPEAKER relation for each QUOTE that has none, found by rules
    /// (cue verbs, the sentence around the quote), printed as {"document", "relation",
    /// "from": {"start", "end", "label"}, "to": {...}, "source"} per line ("source" names
    /// the rule). It takes none of the span sources: suggest spans first (and accept
    /// them), then speakers.
    Suggest {
        /// The project file (.ron).
        project: PathBuf,
        /// Propose every labeled string where it recurs unlabeled (whole words).
        #[arg(long)]
        learn: bool,
        /// With --learn: match ignoring case (Unicode full case folding: ß matches SS,
        /// Σ matches σ and ς).
        #[arg(long)]
        ignore_case: bool,
        /// A patterns file (spaCy EntityRuler / Prodigy JSONL; {"label", "regex"} lines).
        #[arg(long, value_name = "FILE")]
        patterns: Vec<PathBuf>,
        /// A dictionary: `text<TAB>label` lines, `#` comments; lines without a label take
        /// --label.
        #[arg(long, value_name = "FILE")]
        dictionary: Vec<PathBuf>,
        /// The label of dictionary lines that name none (for every --dictionary).
        #[arg(long, value_name = "L")]
        label: Option<String>,
        /// An external command (your own model) speaking spanmark's JSONL protocol.
        #[arg(long, value_name = "CMD")]
        command: Option<String>,
        /// With --command: the command's label FROM becomes the project's label TO;
        /// `FROM=` drops it. Repeatable. Saved in the project's label map and defaults
        /// apply first: spaCy's GPE, LOC, FAC → PLACE and CoNLL's PER → PERSON (also
        /// PERSON, ORG, DATE), where the project has the target and lacks the source.
        /// Spans whose label is still unknown are counted on stderr, never applied.
        #[arg(long = "map", value_name = "FROM=TO", requires = "command")]
        map: Vec<String>,
        /// Propose SPEAKER relations instead of spans (see above). Cannot be combined
        /// with --learn, --ignore-case, --patterns, --dictionary, --label or --command,
        /// and the rule sets saved in the project are not used: the speaker rules read
        /// the spans the project has.
        #[arg(
            long,
            conflicts_with_all = ["learn", "ignore_case", "patterns", "dictionary", "label", "command", "map"]
        )]
        speakers: bool,
        /// Accept every suggestion and write the project to --output.
        #[arg(long, requires = "output")]
        accept: bool,
        /// Where --accept writes the project.
        #[arg(short, long, requires = "accept")]
        output: Option<PathBuf>,
    },
    /// Inter-annotator agreement between projects of the same documents (matched by
    /// name): span P/R/F1 (exact and overlap) per pair, label and document, and Cohen's
    /// (two files) or Fleiss' (three or more) kappa over tokens.
    Agree {
        /// Two or more annotators' project files (.ron, or files `import` reads); each
        /// annotator is named by the file stem.
        #[arg(required = true, num_args = 2..)]
        projects: Vec<PathBuf>,
        /// Print one JSON object instead of the table.
        #[arg(long)]
        json: bool,
    },
    /// The team commands, flattened: typed as `spanmark merge …`, like the others.
    #[command(flatten)]
    Team(TeamCommand),
}

/// The team commands: merge, split, merge-driver, git-setup (run in `team.rs`).
#[derive(Debug, Subcommand)]
pub enum TeamCommand {
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
        /// The file's path in the repository (%P), named in messages.
        path: Option<PathBuf>,
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
        } => run::export(&project, format, &output, scheme, labels, err),
        Command::Import {
            files,
            output,
            split_lines,
            skip_bad,
        } => run::import(&files, &output, split_lines, skip_bad, err),
        Command::Stats { project } => run::stats(&project, out),
        Command::Validate { project } => run::validate(&project, out, err),
        Command::Suggest {
            project,
            learn,
            ignore_case,
            patterns,
            dictionary,
            label,
            command,
            map,
            speakers,
            accept,
            output,
        } => {
            if speakers {
                return speakers::suggest(&project, output.filter(|_| accept), out);
            }
            let sources = run::SuggestArgs {
                learn,
                ignore_case,
                patterns,
                dictionary,
                label,
                command,
                map,
            };
            run::suggest(&project, &sources, output.filter(|_| accept), out, err)
        }
        Command::Agree { projects, json } => run::agree(&projects, json, out),
        Command::Team(command) => team::run(command, out, err),
    }
}

/// A writer (stdout or stderr) that notes when its reader has gone: `spanmark stats
/// p.ron | head -1` closes the pipe after one line, and the program then ends quietly,
/// as ripgrep does, instead of reporting "Broken pipe" (see `main.rs`). Only this
/// writer's own EPIPE counts: a broken pipe to a child process (`--command`) stays an
/// error.
pub struct PipeWriter<W> {
    inner: W,
    closed: bool,
}

impl<W: Write> PipeWriter<W> {
    /// Wraps `inner`.
    pub fn new(inner: W) -> Self {
        Self {
            inner,
            closed: false,
        }
    }

    /// Whether a write or flush found the reader gone.
    pub fn closed(&self) -> bool {
        self.closed
    }

    fn note<T>(&mut self, r: std::io::Result<T>) -> std::io::Result<T> {
        if let Err(e) = &r
            && e.kind() == std::io::ErrorKind::BrokenPipe
        {
            self.closed = true;
        }
        r
    }
}

impl<W: Write> Write for PipeWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let r = self.inner.write(buf);
        self.note(r)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let r = self.inner.flush();
        self.note(r)
    }
}

/// Whether `e` is, at its root, a broken pipe.
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
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
