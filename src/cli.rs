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
    /// Propose spans: print one JSON object per suggestion, or accept them all.
    ///
    /// Sources: the project's own labels (--learn), patterns files, dictionaries and an
    /// external command; the patterns files and dictionaries saved in the project are
    /// used too. Prints {"document", "start", "end", "label", "text", "source"} per line,
    /// offsets in chars.
    Suggest {
        /// The project file (.ron).
        project: PathBuf,
        /// Propose every labeled string where it recurs unlabeled (whole words).
        #[arg(long)]
        learn: bool,
        /// With --learn: match ignoring case.
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
        /// Accept every suggestion and write the project to --output.
        #[arg(long, requires = "output")]
        accept: bool,
        /// Where --accept writes the project.
        #[arg(short, long, requires = "accept")]
        output: Option<PathBuf>,
    },
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
        Command::Suggest {
            project,
            learn,
            ignore_case,
            patterns,
            dictionary,
            label,
            command,
            accept,
            output,
        } => {
            let sources = SuggestArgs {
                learn,
                ignore_case,
                patterns,
                dictionary,
                label,
                command,
            };
            suggest(&project, &sources, output.filter(|_| accept), out, err)?;
        }
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

/// One line of `spanmark suggest`'s output, fields in this order.
#[derive(serde::Serialize)]
struct SuggestionLine<'a> {
    document: &'a str,
    start: usize,
    end: usize,
    label: &'a str,
    text: &'a str,
    source: String,
}

/// The sources `spanmark suggest` was given.
struct SuggestArgs {
    learn: bool,
    ignore_case: bool,
    patterns: Vec<PathBuf>,
    dictionary: Vec<PathBuf>,
    label: Option<String>,
    command: Option<String>,
}

/// `spanmark suggest`: the suggestions of the given sources (and the rule sets saved in
/// the project), printed as JSONL, or all accepted and the project written to `accept_to`.
fn suggest(
    path: &Path,
    args: &SuggestArgs,
    accept_to: Option<PathBuf>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<()> {
    use crate::model::suggest::{RuleKind, RuleSet, RuleSetRules, SuggestEngine};
    let project = crate::io::load_project(path)?;
    let saved = project.suggest_settings();
    let mut settings = saved.clone();
    settings.learned = args.learn;
    settings.ignore_case = args.ignore_case || saved.ignore_case;
    settings.rule_sets.retain(|r| r.enabled);
    let files = args
        .patterns
        .iter()
        .map(|f| (f, RuleKind::Patterns))
        .chain(args.dictionary.iter().map(|f| (f, RuleKind::Dictionary)));
    for (file, kind) in files {
        let source = std::fs::read_to_string(file)
            .with_context(|| format!("{}: could not read", file.display()))?;
        settings.rule_sets.push(RuleSet {
            name: file.display().to_string(),
            kind,
            enabled: true,
            source,
            default_label: args.label.clone(),
        });
    }
    if !settings.learned && settings.rule_sets.is_empty() && args.command.is_none() {
        bail!("no suggestion sources: give --learn, --patterns, --dictionary or --command");
    }
    // A bad line is an error here (the window shows it as a warning and goes on).
    for set in &settings.rule_sets {
        let (_, warnings) = RuleSetRules::compile(set, &project)?;
        for w in warnings {
            writeln!(err, "spanmark: warning: {w}")?;
        }
    }
    let original = project.clone();
    let project = project.with_suggest_settings(settings);
    let mut engine = SuggestEngine::new();
    if let Some(command) = &args.command {
        let request = crate::io::recommender::Request::from_project(&project);
        let cancel = std::sync::atomic::AtomicBool::new(false);
        let output = request
            .run(
                command,
                &crate::io::recommender::RunOptions::default(),
                &cancel,
                &mut |_, _| {},
            )
            .with_context(|| format!("--command {command:?}"))?;
        for w in &output.warnings {
            writeln!(err, "spanmark: warning: --command: {w}")?;
        }
        let adapted = request.adapt(&project, &output.spans);
        if adapted.unknown_label > 0 {
            writeln!(
                err,
                "spanmark: warning: --command: {} spans name a label the project lacks",
                adapted.unknown_label
            )?;
        }
        engine.set_command_results(command, adapted.results);
    }
    engine.update(&project);
    match accept_to {
        None => {
            for (i, d) in project.documents().iter().enumerate() {
                for s in engine.for_doc(i) {
                    let label = project
                        .label(s.span.label())
                        .map_or("", |l| l.name.as_str());
                    let line = serde_json::to_string(&SuggestionLine {
                        document: &d.name,
                        start: s.span.start(),
                        end: s.span.end(),
                        label,
                        text: d.span_text(&s.span),
                        source: engine.describe(i, s),
                    })?;
                    writeln!(out, "{line}")?;
                }
            }
        }
        Some(to) => {
            let accepted: Vec<(usize, Vec<crate::model::Span>)> = (0..project.documents().len())
                .map(|i| (i, engine.for_doc(i).iter().map(|s| s.span).collect()))
                .collect();
            // The project as it was, settings included: only spans are added.
            let edits = crate::model::suggest::accept_edits(&original, &accepted);
            let mut w = crate::model::Workspace::new(original);
            w.apply("accept all suggestions", edits)?;
            crate::io::save_project_plain(w.project(), &to)?;
            writeln!(
                out,
                "{}: {} suggestions accepted in {} documents",
                to.display(),
                engine.total(),
                accepted.iter().filter(|(_, v)| !v.is_empty()).count()
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
