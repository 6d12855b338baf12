//! Running the headless commands other than the team ones: `export`, `import`, `stats`,
//! `validate`, `suggest` and `agree` (their arguments are in [`super::Command`]; the
//! dispatch is [`super::run`]).

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};

use super::{FormatArg, SchemeArg};
use crate::io::export::{self, ExportOptions, Format, Scheme};
use crate::io::import::{self, ImportOptions};
use crate::model::agreement::{self, AgreementError, Prf, Report};
use crate::model::{Project, count, default_labels};

/// `spanmark export`: the project (or a file `import` reads) written as `format`.
pub(super) fn export(
    project: &Path,
    format: FormatArg,
    output: &Path,
    scheme: Option<SchemeArg>,
    labels: Option<Vec<String>>,
    err: &mut dyn Write,
) -> anyhow::Result<()> {
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
    let p = open_input(project)?;
    let selected = match labels {
        None => None,
        Some(names) => Some(
            names
                .iter()
                .map(|n| {
                    p.label_id(n.trim()).with_context(|| {
                        let known: Vec<&str> = p.labels().iter().map(|l| l.name.as_str()).collect();
                        format!("unknown label {n:?} (the project has {})", known.join(", "))
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
    // Never over a project, nor over the file read (a JSONL converted in place).
    export::check_output(&p, format, output, Some(project))?;
    let report = export::export(&p, format, &opts, output)?;
    writeln!(err, "{}: {}", output.display(), report.summary(20))?;
    Ok(())
}

/// `spanmark import`: a new project from the files, written to `output`.
pub(super) fn import(
    files: &[PathBuf],
    output: &Path,
    split_lines: bool,
    skip_bad: bool,
    err: &mut dyn Write,
) -> anyhow::Result<()> {
    let imported = import::import_paths(
        files,
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
    let relations: usize = imported.documents.iter().map(|d| d.relations().len()).sum();
    let n_docs = imported.documents.len();
    let skipped = imported.skipped.len();
    let project = imported
        .into_project()
        .with_context(|| format!("importing into {}", output.display()))?;
    crate::io::save_project(&project, output)?;
    writeln!(
        err,
        "{}: {}, {}{}{}",
        output.display(),
        count(n_docs, "document"),
        count(spans, "span"),
        if relations > 0 {
            format!(", {}", count(relations, "relation"))
        } else {
            String::new()
        },
        if skipped == 0 {
            String::new()
        } else {
            format!(", {} skipped", count(skipped, "record"))
        }
    )?;
    Ok(())
}

/// `spanmark stats`.
pub(super) fn stats(project: &Path, out: &mut dyn Write) -> anyhow::Result<()> {
    let p = crate::io::load_project(project)?;
    write_stats(&p, project, out)
}

/// `spanmark validate`: the project loads and its saved rule sets compile.
pub(super) fn validate(
    project: &Path,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<()> {
    let p = crate::io::load_project(project)?;
    // The rule sets saved inside must compile too, or `suggest` and the window
    // would fail on a file that validated.
    for set in &p.suggest_settings().rule_sets {
        for w in compile_saved(set, &p, project)? {
            writeln!(err, "spanmark: warning: {w}")?;
        }
    }
    let spans: usize = p.documents().iter().map(|d| d.spans().len()).sum();
    writeln!(
        out,
        "{}: ok ({}, {})",
        project.display(),
        count(p.documents().len(), "document"),
        count(spans, "span")
    )?;
    Ok(())
}

/// `spanmark agree`: the agreement table, or with `json` one JSON object.
pub(super) fn agree(projects: &[PathBuf], json: bool, out: &mut dyn Write) -> anyhow::Result<()> {
    let names = crate::model::team::annotator_names(projects);
    let loaded = projects
        .iter()
        .map(|p| open_input(p))
        .collect::<anyhow::Result<Vec<Project>>>()?;
    let annotators: Vec<(String, &Project)> = names.iter().cloned().zip(loaded.iter()).collect();
    let file_of = |name: &str| {
        names
            .iter()
            .position(|n| n == name)
            .map_or_else(String::new, |i| projects[i].display().to_string())
    };
    let report = agreement::report(&annotators).map_err(|e| match &e {
        AgreementError::TextDiffers { document, a, b } => anyhow::anyhow!(
            "document {document:?} has a different text in {} and {}",
            file_of(a),
            file_of(b)
        ),
        AgreementError::DuplicateDocument {
            annotator,
            document,
        } => anyhow::anyhow!(
            "{}: two documents are named {document:?}, so documents cannot be matched by name",
            file_of(annotator)
        ),
        AgreementError::NothingShared { a, b } => anyhow::anyhow!(
            "{} and {} have no document in common (documents are matched by name), \
             so there is no agreement to measure",
            file_of(a),
            file_of(b)
        ),
        AgreementError::TooFewAnnotators(_) => anyhow::anyhow!("{e}"),
    })?;
    if json {
        let value = agreement_json(&report, &names, projects);
        writeln!(out, "{}", serde_json::to_string_pretty(&value)?)?;
    } else {
        write_agreement(&report, &names, projects, out)?;
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
pub(super) struct SuggestArgs {
    pub(super) learn: bool,
    pub(super) ignore_case: bool,
    pub(super) patterns: Vec<PathBuf>,
    pub(super) dictionary: Vec<PathBuf>,
    pub(super) label: Option<String>,
    pub(super) command: Option<String>,
    /// `--map FROM=TO` / `FROM=` entries for the command's labels.
    pub(super) map: Vec<String>,
}

/// `spanmark suggest`: the suggestions of the given sources (and the rule sets saved in
/// the project), printed as JSONL, or all accepted and the project written to `accept_to`.
pub(super) fn suggest(
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
    let saved_sets = settings.rule_sets.len();
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
    for (i, set) in settings.rule_sets.iter().enumerate() {
        let warnings = if i < saved_sets {
            compile_saved(set, &project, path)?
        } else {
            RuleSetRules::compile(set, &project)?.1
        };
        for w in warnings {
            writeln!(err, "spanmark: warning: {w}")?;
        }
    }
    let original = project.clone();
    let project = project.with_suggest_settings(settings);
    let mut engine = SuggestEngine::new();
    if let Some(command) = &args.command {
        let results = super::recommend::command_results(&project, path, command, &args.map, err)?;
        engine.set_command_results(command, results);
    }
    engine.update(&project);
    if let Some(why) = engine.learned_stopped() {
        writeln!(err, "spanmark: warning: {}: {why}", path.display())?;
    }
    match accept_to {
        None => {
            for d in project.documents() {
                for s in engine.for_doc(d.id()) {
                    let label = project
                        .label(s.span.label())
                        .map_or("", |l| l.name.as_str());
                    let line = serde_json::to_string(&SuggestionLine {
                        document: &d.name,
                        start: s.span.start(),
                        end: s.span.end(),
                        label,
                        text: d.span_text(&s.span),
                        source: engine.describe(d.id(), s),
                    })?;
                    writeln!(out, "{line}")?;
                }
            }
        }
        Some(to) => {
            let accepted: Vec<(crate::model::DocId, Vec<crate::model::Span>)> = project
                .documents()
                .iter()
                .map(|d| {
                    (
                        d.id(),
                        engine.for_doc(d.id()).iter().map(|s| s.span).collect(),
                    )
                })
                .collect();
            // The project as it was, settings included: only spans are added.
            let edits = crate::model::suggest::accept_edits(&original, &accepted);
            let mut w = crate::model::Workspace::new(original);
            w.apply("accept all suggestions", edits)?;
            // `-o` may be the project itself: what was there is kept as .bak.
            crate::io::save_project(w.project(), &to)?;
            writeln!(
                out,
                "{}: {} accepted in {}",
                to.display(),
                count(engine.total(), "suggestion"),
                count(
                    accepted.iter().filter(|(_, v)| !v.is_empty()).count(),
                    "document"
                )
            )?;
        }
    }
    Ok(())
}

/// Compiles a rule set saved inside the project at `path`; its warnings, or an error
/// that names the project file (the rule set's own file need not be on disk), the rule
/// set and the line in it.
fn compile_saved(
    set: &crate::model::suggest::RuleSet,
    project: &Project,
    path: &Path,
) -> anyhow::Result<Vec<String>> {
    let saved = |what: &str| {
        format!(
            "{}: the {what} {:?} saved in this project",
            path.display(),
            set.name
        )
    };
    let what = match set.kind {
        crate::model::suggest::RuleKind::Patterns => "patterns file",
        crate::model::suggest::RuleKind::Dictionary => "dictionary",
    };
    match crate::model::suggest::RuleSetRules::compile(set, project) {
        Ok((_, warnings)) => Ok(warnings
            .into_iter()
            .map(|w| format!("{}: {w}", saved(what)))
            .collect()),
        Err(e) if e.line == 0 => bail!("{}: {}", saved(what), e.message),
        Err(e) => bail!("{}, line {}: {}", saved(what), e.line, e.message),
    }
}

/// The `--json` object of `agree`.
fn agreement_json(report: &Report, names: &[String], paths: &[PathBuf]) -> serde_json::Value {
    use serde_json::{Map, Value, json};
    let prf = |p: &Prf, suffix: &str| {
        let mut m = Map::new();
        m.insert(format!("precision{suffix}"), json!(p.precision));
        m.insert(format!("recall{suffix}"), json!(p.recall));
        m.insert(format!("f1{suffix}"), json!(p.f1));
        m
    };
    let both = |exact: &Prf, overlap: &Prf| {
        let mut m = prf(exact, "");
        m.extend(prf(overlap, "_overlap"));
        m.insert("tp".into(), json!(exact.tp));
        m.insert("tp_overlap".into(), json!(overlap.tp));
        m.insert("in_a".into(), json!(exact.in_a));
        m.insert("in_b".into(), json!(exact.in_b));
        m
    };
    let links = |r: &Prf| {
        let mut m = prf(r, "");
        m.insert("tp".into(), json!(r.tp));
        m.insert("in_a".into(), json!(r.in_a));
        m.insert("in_b".into(), json!(r.in_b));
        Value::Object(m)
    };
    let pairs: Vec<Value> = report
        .pairs
        .iter()
        .map(|p| {
            let mut m = Map::new();
            m.insert("a".into(), json!(p.a));
            m.insert("b".into(), json!(p.b));
            m.extend(both(&p.exact, &p.overlap));
            let per_label: Map<String, Value> = p
                .per_label
                .iter()
                .map(|(l, (e, o))| (l.clone(), Value::Object(both(e, o))))
                .collect();
            m.insert("per_label".into(), Value::Object(per_label));
            let docs: Vec<Value> = p
                .documents
                .iter()
                .map(|(name, e, o)| {
                    let mut d = Map::new();
                    d.insert("name".into(), json!(name));
                    d.extend(both(e, o));
                    Value::Object(d)
                })
                .collect();
            m.insert("documents".into(), Value::Array(docs));
            // Only when someone linked something: output without relations is as before.
            if let Some(r) = &p.relations {
                m.insert("relations".into(), links(r));
            }
            Value::Object(m)
        })
        .collect();
    let per_label: Map<String, Value> = report
        .per_label
        .iter()
        .zip(report.per_label_overlap.values())
        .map(|((l, f1), o)| (l.clone(), json!({"f1": f1, "f1_overlap": o})))
        .collect();
    let documents: Vec<Value> = report
        .documents
        .iter()
        .zip(&report.documents_overlap)
        .map(|((name, f1), (_, o))| json!({"name": name, "f1": f1, "f1_overlap": o}))
        .collect();
    let annotators: Vec<Value> = names
        .iter()
        .zip(paths)
        .map(|(n, p)| json!({"name": n, "file": p.display().to_string()}))
        .collect();
    let mut m = Map::new();
    m.insert("annotators".into(), Value::Array(annotators));
    m.insert("pairs".into(), Value::Array(pairs));
    m.insert("per_label".into(), Value::Object(per_label));
    m.insert("documents".into(), Value::Array(documents));
    m.extend(both(&report.exact, &report.overlap));
    if let Some(r) = &report.relations {
        m.insert("relations".into(), links(r));
    }
    m.insert("tokens".into(), json!(report.tokens));
    // Undefined kappa (no tokens, or everyone said the same everywhere) is null.
    if names.len() == 2 {
        m.insert("cohen_kappa".into(), json!(report.cohen_kappa));
    } else {
        m.insert("fleiss_kappa".into(), json!(report.fleiss_kappa));
    }
    Value::Object(m)
}

/// The readable table of `agree`.
fn write_agreement(
    report: &Report,
    names: &[String],
    paths: &[PathBuf],
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    writeln!(out, "annotators:")?;
    for (n, p) in names.iter().zip(paths) {
        writeln!(out, "  {n}  ({})", p.display())?;
    }
    writeln!(
        out,
        "documents compared: {} (matched by name; a pair counts the documents both have)",
        report.documents.len()
    )?;
    let width = report
        .pairs
        .iter()
        .map(|p| p.a.chars().count() + p.b.chars().count() + 3)
        .chain(report.per_label.keys().map(|l| l.chars().count()))
        .chain(report.documents.iter().map(|d| d.0.chars().count()))
        .chain([16])
        .max()
        .unwrap_or(16);
    writeln!(out)?;
    writeln!(
        out,
        "span level (a = reference: P = matched/b's spans, R = matched/a's spans)"
    )?;
    writeln!(
        out,
        "{:<width$}  {:>7} {:>7}  {:>6} {:>6} {:>6}  {:>6} {:>6} {:>6}",
        "pair", "spans a", "spans b", "P", "R", "F1", "P~", "R~", "F1~"
    )?;
    let row = |out: &mut dyn Write, name: &str, e: &Prf, o: &Prf| {
        writeln!(
            out,
            "{name:<width$}  {:>7} {:>7}  {:>6.3} {:>6.3} {:>6.3}  {:>6.3} {:>6.3} {:>6.3}",
            e.in_a, e.in_b, e.precision, e.recall, e.f1, o.precision, o.recall, o.f1
        )
    };
    for p in &report.pairs {
        row(out, &format!("{} ~ {}", p.a, p.b), &p.exact, &p.overlap)?;
    }
    if report.pairs.len() > 1 {
        row(out, "all pairs", &report.exact, &report.overlap)?;
    }
    writeln!(
        out,
        "(exact: same start, end and label; ~ overlap: same label, ranges overlap, one-to-one)"
    )?;
    writeln!(out)?;
    if let Some(all) = &report.relations {
        write_relation_agreement(report, all, width, out)?;
    }
    writeln!(out, "per label (F1, mean over pairs)")?;
    writeln!(out, "{:<width$}  {:>6} {:>6}", "label", "F1", "F1~")?;
    for ((label, f1), o) in report
        .per_label
        .iter()
        .zip(report.per_label_overlap.values())
    {
        writeln!(out, "{label:<width$}  {f1:>6.3} {o:>6.3}")?;
    }
    writeln!(out)?;
    writeln!(out, "per document (F1, mean over the pairs that have it)")?;
    writeln!(out, "{:<width$}  {:>6} {:>6}", "document", "F1", "F1~")?;
    for ((name, f1), (_, o)) in report.documents.iter().zip(&report.documents_overlap) {
        writeln!(out, "{name:<width$}  {f1:>6.3} {o:>6.3}")?;
    }
    writeln!(out)?;
    let kappa = |k: Option<f64>| k.map_or_else(|| "undefined".to_string(), |k| format!("{k:.3}"));
    let (which, k) = if names.len() == 2 {
        ("Cohen's", report.cohen_kappa)
    } else {
        ("Fleiss'", report.fleiss_kappa)
    };
    writeln!(
        out,
        "token level: {which} kappa {} over {} (labels + O; documents every annotator has)",
        kappa(k),
        count(report.tokens, "token")
    )?;
    Ok(())
}

/// The relation table of `agree` (only when some annotator linked something).
fn write_relation_agreement(
    report: &Report,
    all: &Prf,
    width: usize,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    writeln!(
        out,
        "relation level (a link matches one with both spans exact and the same type)"
    )?;
    writeln!(
        out,
        "{:<width$}  {:>7} {:>7}  {:>6} {:>6} {:>6}",
        "pair", "links a", "links b", "P", "R", "F1"
    )?;
    let row = |out: &mut dyn Write, name: &str, r: &Prf| {
        writeln!(
            out,
            "{name:<width$}  {:>7} {:>7}  {:>6.3} {:>6.3} {:>6.3}",
            r.in_a, r.in_b, r.precision, r.recall, r.f1
        )
    };
    for p in &report.pairs {
        if let Some(r) = &p.relations {
            row(out, &format!("{} ~ {}", p.a, p.b), r)?;
        }
    }
    if report.pairs.len() > 1 {
        row(out, "all pairs", all)?;
    }
    writeln!(out)?;
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
    imported
        .into_project()
        .with_context(|| format!("reading {}", path.display()))
}

fn write_stats(p: &Project, path: &Path, out: &mut dyn Write) -> anyhow::Result<()> {
    let mut per_label = vec![0usize; p.labels().len()];
    let mut overlaps = 0usize;
    let mut nested = 0usize;
    for doc in p.documents() {
        let spans = doc.spans().as_slice();
        for (i, s) in spans.iter().enumerate() {
            if let Some(i) = p.label_position(s.label()) {
                per_label[i] += 1;
            }
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
        "{}: {}, {}",
        path.display(),
        count(p.documents().len(), "document"),
        count(total, "span")
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
            "  {}  [{}]  {}, {}",
            doc.name,
            doc.status.as_str(),
            count(doc.text().char_len(), "char"),
            count(doc.spans().len(), "span")
        )?;
    }
    Ok(())
}
