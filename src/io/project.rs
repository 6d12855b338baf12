//! The RON project file.
//!
//! The file has its own versioned structs; loading converts them into checked model
//! types, so a bad file is rejected with a message instead of producing a bad project.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::disk::DiskStamp;
use super::{IoError, write_atomic, write_atomic_with_backup};
use crate::model::suggest::{RuleKind, RuleSet, SuggestSettings};
use crate::model::{Disagreement, Document, Label, Project, Rgb, Span, Status};

/// The project file version this spanmark writes and reads.
pub const CURRENT_VERSION: u32 = 1;

/// Deepest nesting RON may parse; the format needs 5 levels, and a hostile file nested
/// thousands deep must fail cleanly rather than exhaust the stack.
const RECURSION_LIMIT: usize = 32;

#[derive(Serialize)]
struct FileOut<'a> {
    version: u32,
    labels: Vec<LabelFile>,
    documents: Vec<DocumentOut<'a>>,
    /// Left out when the settings are the defaults, so such a file is written as before.
    #[serde(skip_serializing_if = "SuggestFile::is_default")]
    suggest: SuggestFile,
}

/// The suggestion settings as saved; a file without them has the defaults.
#[derive(Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct SuggestFile {
    learned: bool,
    #[serde(default)]
    ignore_case: bool,
    #[serde(default)]
    rule_sets: Vec<RuleSetFile>,
}

fn yes() -> bool {
    true
}

/// A patterns file or dictionary in use, its text inline.
#[derive(Serialize, Deserialize)]
struct RuleSetFile {
    name: String,
    kind: RuleKindFile,
    #[serde(default = "yes")]
    enabled: bool,
    source: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    default_label: Option<String>,
}

#[derive(Serialize, Deserialize, Clone, Copy)]
#[serde(rename_all = "snake_case")]
enum RuleKindFile {
    Patterns,
    Dictionary,
}

impl Default for SuggestFile {
    fn default() -> Self {
        Self::of(&SuggestSettings::default())
    }
}

impl SuggestFile {
    fn is_default(&self) -> bool {
        self.learned && !self.ignore_case && self.rule_sets.is_empty()
    }

    fn of(s: &SuggestSettings) -> Self {
        Self {
            learned: s.learned,
            ignore_case: s.ignore_case,
            rule_sets: s
                .rule_sets
                .iter()
                .map(|r| RuleSetFile {
                    name: r.name.clone(),
                    kind: match r.kind {
                        RuleKind::Patterns => RuleKindFile::Patterns,
                        RuleKind::Dictionary => RuleKindFile::Dictionary,
                    },
                    enabled: r.enabled,
                    source: r.source.clone(),
                    default_label: r.default_label.clone(),
                })
                .collect(),
        }
    }

    pub(crate) fn into_settings(self) -> SuggestSettings {
        SuggestSettings {
            learned: self.learned,
            ignore_case: self.ignore_case,
            rule_sets: self
                .rule_sets
                .into_iter()
                .map(|r| RuleSet {
                    name: r.name,
                    kind: match r.kind {
                        RuleKindFile::Patterns => RuleKind::Patterns,
                        RuleKindFile::Dictionary => RuleKind::Dictionary,
                    },
                    enabled: r.enabled,
                    source: r.source,
                    default_label: r.default_label,
                })
                .collect(),
        }
    }
}

/// The settings a file holds (the defaults when it has none).
pub(crate) fn settings_of(file: SuggestFile) -> SuggestSettings {
    file.into_settings()
}

#[derive(Serialize)]
struct DocumentOut<'a> {
    name: &'a str,
    status: StatusFile,
    /// Written only by `spanmark split` (its place in the split project): left out
    /// otherwise, so other files are written as before.
    #[serde(skip_serializing_if = "Option::is_none")]
    split_index: Option<usize>,
    text: &'a str,
    spans: Vec<SpanOut<'a>>,
    /// Rejected suggestions; left out when there are none (files stay as before).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    rejected: Vec<RejectedFile>,
    // --- disagreements (team merge) ---
    /// Left out when empty, so a project without disagreements is written as before.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    disagreements: Vec<DisagreementOut<'a>>,
}

/// A disagreement: its region and each version's spans (one line per disagreement).
#[derive(Serialize)]
struct DisagreementOut<'a> {
    start: usize,
    end: usize,
    versions: Vec<VersionOut<'a>>,
}

#[derive(Serialize)]
struct VersionOut<'a> {
    by: &'a str,
    spans: Vec<SpanOut<'a>>,
}

/// A rejected suggestion as saved.
#[derive(Serialize, Deserialize)]
struct RejectedFile {
    start: usize,
    end: usize,
    label: String,
}

#[derive(Serialize)]
struct SpanOut<'a> {
    start: usize,
    end: usize,
    label: &'a str,
    /// Left out when empty, so a project without notes is written as before.
    #[serde(skip_serializing_if = "str::is_empty")]
    note: &'a str,
}

#[derive(Deserialize)]
pub(crate) struct FileIn {
    pub(crate) version: u32,
    pub(crate) labels: Vec<LabelFile>,
    #[serde(default)]
    pub(crate) documents: Vec<DocumentIn>,
    /// Absent in files with default settings (and every file before suggestions).
    #[serde(default)]
    pub(crate) suggest: SuggestFile,
}

#[derive(Deserialize)]
pub(crate) struct DocumentIn {
    name: String,
    #[serde(default)]
    status: StatusFile,
    /// Absent except in the projects `spanmark split` writes.
    #[serde(default)]
    split_index: Option<usize>,
    text: String,
    #[serde(default)]
    spans: Vec<SpanIn>,
    #[serde(default)]
    rejected: Vec<RejectedFile>,
    // --- disagreements (team merge) ---
    /// Absent in files without disagreements.
    #[serde(default)]
    disagreements: Vec<DisagreementIn>,
}

#[derive(Deserialize)]
struct DisagreementIn {
    start: usize,
    end: usize,
    #[serde(default)]
    versions: Vec<VersionIn>,
}

#[derive(Deserialize)]
struct VersionIn {
    by: String,
    /// Notes are not kept on version spans; one in the file is ignored.
    #[serde(default)]
    spans: Vec<SpanIn>,
}

#[derive(Deserialize)]
struct SpanIn {
    start: usize,
    end: usize,
    label: String,
    /// Absent in files without notes (and in every file before notes existed).
    #[serde(default)]
    note: String,
}

#[derive(Serialize, Deserialize)]
pub(crate) struct LabelFile {
    name: String,
    color: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    key: Option<char>,
}

#[derive(Serialize, Deserialize, Default, Clone, Copy)]
#[serde(rename_all = "snake_case")]
enum StatusFile {
    #[default]
    Todo,
    InProgress,
    Done,
}

/// Only the version, to explain a file that does not parse as the current format.
#[derive(Deserialize)]
struct VersionProbe {
    version: u32,
}

impl From<Status> for StatusFile {
    fn from(s: Status) -> Self {
        match s {
            Status::Todo => Self::Todo,
            Status::InProgress => Self::InProgress,
            Status::Done => Self::Done,
        }
    }
}

impl From<StatusFile> for Status {
    fn from(s: StatusFile) -> Self {
        match s {
            StatusFile::Todo => Self::Todo,
            StatusFile::InProgress => Self::InProgress,
            StatusFile::Done => Self::Done,
        }
    }
}

pub(crate) fn ron_options() -> ron::Options {
    ron::Options::default().with_recursion_limit(RECURSION_LIMIT)
}

/// Serialises a project to pretty RON: one span per line, so diffs stay readable.
pub fn write_project(project: &Project, out: &mut impl std::io::Write) -> std::io::Result<()> {
    let labels = project.labels();
    let file = FileOut {
        version: CURRENT_VERSION,
        labels: labels
            .iter()
            .map(|l| LabelFile {
                name: l.name.clone(),
                color: l.color.to_hex(),
                key: l.hotkey,
            })
            .collect(),
        documents: project
            .documents()
            .iter()
            .map(|d| DocumentOut {
                name: &d.name,
                status: d.status.into(),
                split_index: d.split_index,
                text: d.text().as_str(),
                spans: in_label_order(project, d.spans().iter())
                    .into_iter()
                    .map(|s| SpanOut {
                        start: s.start(),
                        end: s.end(),
                        label: project.label(s.label()).map_or("", |l| l.name.as_str()),
                        note: d.note(s).unwrap_or(""),
                    })
                    .collect(),
                rejected: in_label_order(project, d.rejected().iter())
                    .into_iter()
                    .map(|s| RejectedFile {
                        start: s.start(),
                        end: s.end(),
                        label: project
                            .label(s.label())
                            .map_or(String::new(), |l| l.name.clone()),
                    })
                    .collect(),
                disagreements: disagreements_out(project, d),
            })
            .collect(),
        suggest: SuggestFile::of(project.suggest_settings()),
    };
    // Depth 4 (file, list, document, span list) puts each span struct on one line.
    let pretty = ron::ser::PrettyConfig::new()
        .depth_limit(4)
        .indentor("  ")
        .struct_names(false);
    ron_options()
        .to_io_writer_pretty(&mut *out, &file, pretty)
        .map_err(std::io::Error::other)?;
    out.write_all(b"\n")
}

/// Spans sorted by range as given, with spans of the same range in the order of their
/// labels in the project: the order the file had when it was read (label ids are list
/// places then), whatever labels were moved since. Cheap when nothing needs moving.
fn in_label_order<'a>(project: &Project, spans: impl Iterator<Item = &'a Span>) -> Vec<&'a Span> {
    let mut out: Vec<&Span> = spans.collect();
    let place = |s: &Span| project.label_position(s.label()).unwrap_or(usize::MAX);
    let same_range = |a: &Span, b: &Span| (a.start(), a.end()) == (b.start(), b.end());
    let misplaced = out
        .windows(2)
        .any(|w| same_range(w[0], w[1]) && place(w[0]) > place(w[1]));
    if misplaced {
        // Stable: only runs of one range change order.
        let mut i = 0;
        while i < out.len() {
            let j = i + out[i..]
                .iter()
                .take_while(|s| same_range(s, out[i]))
                .count();
            out[i..j].sort_by_key(|s| place(s));
            i = j;
        }
    }
    out
}

/// A document's disagreements as the file writes them (team merge).
fn disagreements_out<'a>(project: &'a Project, d: &'a Document) -> Vec<DisagreementOut<'a>> {
    let span_out = |s: &Span| SpanOut {
        start: s.start(),
        end: s.end(),
        label: project.label(s.label()).map_or("", |l| l.name.as_str()),
        note: "",
    };
    d.disagreements()
        .iter()
        .map(|dis| DisagreementOut {
            start: dis.start,
            end: dis.end,
            versions: dis
                .versions
                .iter()
                .map(|(by, spans)| VersionOut {
                    by,
                    spans: spans.iter().map(span_out).collect(),
                })
                .collect(),
        })
        .collect()
}

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
/// A large file is parsed on all cores: [`super::ron_split`] cuts it at the top-level
/// document boundaries and each document is parsed and checked on its own. The result,
/// and any error, is exactly the sequential parse's: whenever the cut is unsure or any
/// part fails, the whole file is parsed sequentially instead.
pub fn parse_project(source: &str, path: &Path) -> Result<Project, IoError> {
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    if threads > 1
        && source.len() >= super::ron_split::PARALLEL_FROM
        && let Some(project) = super::ron_split::parse_parallel(source, path, threads)
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
    if ron_options().from_str::<Probe>(source).is_ok() {
        return true;
    }
    // A project cut short or broken further down still starts as one: `(` then its
    // `version` and `labels` fields.
    let head: String = source.trim_start().chars().take(300).collect();
    head.starts_with('(') && head.contains("version") && head.contains("labels")
}

/// The plain parse: ron reads the whole file, then the documents are checked in order.
pub(crate) fn parse_project_sequential(source: &str, path: &Path) -> Result<Project, IoError> {
    let file: FileIn = match ron_options().from_str(source) {
        Ok(f) => f,
        Err(e) => return Err(syntax_error(source, path, &e)),
    };
    let (labels, lookup) = check_header(file.version, file.labels, path)?;
    let mut documents = Vec::with_capacity(file.documents.len());
    for (di, d) in file.documents.into_iter().enumerate() {
        documents.push(check_document(di, d, &lookup, path)?);
    }
    Project::new(labels, documents)
        .map(|p| p.with_suggest_settings(settings_of(file.suggest)))
        .map_err(|e| invalid(path, e.to_string()))
}

fn invalid(path: &Path, message: String) -> IoError {
    IoError::Invalid {
        path: path.to_path_buf(),
        message,
    }
}

fn syntax_error(source: &str, path: &Path, e: &ron::error::SpannedError) -> IoError {
    // A newer file may not parse as ours; say so rather than report its syntax.
    if let Ok(probe) = ron_options().from_str::<VersionProbe>(source)
        && probe.version > CURRENT_VERSION
    {
        return IoError::NewerVersion {
            path: path.to_path_buf(),
            found: probe.version,
        };
    }
    IoError::Syntax {
        path: path.to_path_buf(),
        line: e.span.start.line,
        col: e.span.start.col,
        message: e.code.to_string(),
    }
}

/// Checks the version and the labels; returns them with a project holding only the
/// labels, through which span label names resolve (the lookup rules live in one place).
pub(crate) fn check_header(
    version: u32,
    file_labels: Vec<LabelFile>,
    path: &Path,
) -> Result<(Vec<Label>, Project), IoError> {
    if version > CURRENT_VERSION {
        return Err(IoError::NewerVersion {
            path: path.to_path_buf(),
            found: version,
        });
    }
    if version != CURRENT_VERSION {
        return Err(invalid(path, format!("unknown file version {version}")));
    }
    let mut labels = Vec::with_capacity(file_labels.len());
    for l in file_labels {
        let color = Rgb::from_hex(&l.color).ok_or_else(|| {
            invalid(
                path,
                format!("label {:?}: colour {:?} is not #rrggbb", l.name, l.color),
            )
        })?;
        labels.push(Label {
            name: l.name,
            color,
            hotkey: l.key,
        });
    }
    let lookup =
        Project::new(labels.clone(), Vec::new()).map_err(|e| invalid(path, e.to_string()))?;
    Ok((labels, lookup))
}

/// Checks document `di` (0-based) of the file against the labels in `lookup`.
pub(crate) fn check_document(
    di: usize,
    d: DocumentIn,
    lookup: &Project,
    path: &Path,
) -> Result<Document, IoError> {
    let mut spans = Vec::with_capacity(d.spans.len());
    let mut notes = Vec::new();
    let char_len = d.text.chars().count();
    for (si, s) in d.spans.into_iter().enumerate() {
        let at = || format!("document {} ({:?}), span {}", di + 1, d.name, si + 1);
        let label = lookup.label_id(&s.label).ok_or_else(|| {
            invalid(
                path,
                format!("{}: label {:?} is not defined in `labels`", at(), s.label),
            )
        })?;
        let span = Span::new(s.start, s.end, label)
            .map_err(|e| invalid(path, format!("{}: {e}", at())))?;
        if span.end() > char_len {
            return Err(invalid(
                path,
                format!(
                    "{}: span {}..{} lies outside the text ({char_len} characters)",
                    at(),
                    s.start,
                    s.end
                ),
            ));
        }
        spans.push(span);
        if !s.note.is_empty() {
            notes.push((span, s.note));
        }
    }
    let mut rejected = Vec::with_capacity(d.rejected.len());
    for (ri, r) in d.rejected.into_iter().enumerate() {
        let at = || format!("document {} ({:?}), rejected {}", di + 1, d.name, ri + 1);
        let label = lookup.label_id(&r.label).ok_or_else(|| {
            invalid(
                path,
                format!("{}: label {:?} is not defined in `labels`", at(), r.label),
            )
        })?;
        let span = Span::new(r.start, r.end, label)
            .map_err(|e| invalid(path, format!("{}: {e}", at())))?;
        rejected.push(span);
    }
    let disagreements = check_disagreements(di, &d.name, d.disagreements, lookup, path)?;
    let mut doc = Document::with_spans(d.name.clone(), d.text, spans)
        .and_then(|doc| doc.with_notes(notes))
        .and_then(|doc| doc.with_rejected(rejected))
        .and_then(|doc| doc.with_disagreements(disagreements))
        .map_err(|e| invalid(path, format!("document {} ({:?}): {e}", di + 1, d.name)))?;
    doc.status = d.status.into();
    doc.split_index = d.split_index;
    Ok(doc)
}

/// Reads document `di`'s disagreements (team merge): labels must be defined and ranges
/// non-empty; bounds against the text are checked by the document.
fn check_disagreements(
    di: usize,
    name: &str,
    list: Vec<DisagreementIn>,
    lookup: &Project,
    path: &Path,
) -> Result<Vec<Disagreement>, IoError> {
    let mut out = Vec::with_capacity(list.len());
    for (k, dis) in list.into_iter().enumerate() {
        let at = || format!("document {} ({name:?}), disagreement {}", di + 1, k + 1);
        let mut versions = Vec::with_capacity(dis.versions.len());
        for v in dis.versions {
            let mut spans = Vec::with_capacity(v.spans.len());
            for s in v.spans {
                let label = lookup.label_id(&s.label).ok_or_else(|| {
                    invalid(
                        path,
                        format!("{}: label {:?} is not defined in `labels`", at(), s.label),
                    )
                })?;
                spans.push(
                    Span::new(s.start, s.end, label)
                        .map_err(|e| invalid(path, format!("{}: {e}", at())))?,
                );
            }
            versions.push((v.by, spans));
        }
        out.push(Disagreement {
            start: dis.start,
            end: dis.end,
            versions,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Edit, LabelId, Workspace};
    use std::path::PathBuf;

    fn sample() -> Project {
        let mut w = Workspace::new(Project::with_documents(vec![
            Document::new(
                "bagram",
                "Taliban spokesman Zabihullah Mujahid said \"no\".\nKabul",
            ),
            Document::new("emoji", "👨‍👩‍👧 in 東京, مرحبا e\u{301}\t\r\nend"),
        ]));
        let ids: Vec<_> = w.project().documents().iter().map(|d| d.id()).collect();
        let add = |doc: usize, s, e, l| Edit::AddSpan {
            doc: ids[doc],
            span: Span::new(s, e, LabelId(l)).unwrap(),
        };
        w.apply(
            "x",
            vec![
                add(0, 18, 36, 0),
                add(0, 0, 7, 2),
                add(0, 0, 47, 4),
                add(0, 48, 53, 1),
                add(1, 0, 5, 0),
                add(1, 9, 11, 1),
                Edit::SetStatus {
                    doc: ids[1],
                    status: Status::InProgress,
                },
            ],
        )
        .unwrap();
        w.project().clone()
    }

    fn to_string(p: &Project) -> String {
        let mut buf = Vec::new();
        write_project(p, &mut buf).unwrap();
        String::from_utf8(buf).unwrap()
    }

    fn path() -> PathBuf {
        PathBuf::from("test.ron")
    }

    /// What counts as a project when an export would replace a file.
    #[test]
    fn project_files_are_recognised_by_their_start() {
        let saved = to_string(&sample());
        assert!(starts_like_project(&saved));
        assert!(starts_like_project(&saved[..20]), "a truncated project too");
        for yes in [
            "\u{feff}(version: 1, labels: [])",
            "// notes\n/* x */ FileIn ( /* y */ labels : [",
            "(documents: [",
            "#![enable(implicit_some)]\n(version: 1",
        ] {
            assert!(starts_like_project(yes), "{yes:?}");
        }
        for no in [
            "",
            "{\"id\": 1, \"text\": \"(version: 1\"}",
            "Taliban -X- _ B-ORG",
            "document,start,end,label,text,note",
            "(x: 1)",
            "[\"O\", \"B-PER\"]",
        ] {
            assert!(!starts_like_project(no), "{no:?}");
        }
    }

    /// A document's place in a split project is written only when it has one, and
    /// read back; other files are written as before.
    #[test]
    fn split_index_is_optional() {
        assert!(!to_string(&sample()).contains("split_index"));
        let split = crate::model::merge::split(&sample(), 1, 0.0);
        let s = to_string(&split.projects[0]);
        assert!(
            s.contains("status: todo,\n      split_index: Some(0),\n"),
            "{s}"
        );
        let back = parse_project(&s, &path()).unwrap();
        assert_eq!(back, split.projects[0]);
        assert_eq!(back.documents()[1].split_index, Some(1));
    }

    /// A project file saved with a UTF-8 BOM (some Windows editors add one) opens.
    #[test]
    fn a_bom_is_read_past() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bom.ron");
        let text = to_string(&sample());
        std::fs::write(&path, format!("\u{feff}{text}")).unwrap();
        assert_eq!(load_project(&path).unwrap(), sample());
        assert!(is_project_file(&path));
        assert!(!is_project_file(&dir.path().join("missing.ron")));
    }

    #[test]
    fn roundtrip_and_layout() {
        let p = sample();
        let s = to_string(&p);
        assert!(s.starts_with("(\n  version: 1,"), "{s}");
        assert!(
            s.contains("\n        (start: 18, end: 36, label: \"PERSON\"),\n"),
            "{s}"
        );
        assert!(s.contains("status: in_progress"), "{s}");
        assert_eq!(parse_project(&s, &path()).unwrap(), p);
        // Saving what was loaded is byte-identical.
        assert_eq!(to_string(&parse_project(&s, &path()).unwrap()), s);
    }

    /// Labels keep their ids when moved, so spans of one range (and rejections) would sort
    /// by creation order; the file keeps them in the labels' order, as a file read back
    /// (ids are places again) writes them: save, load, save is byte-identical.
    #[test]
    fn spans_of_one_range_follow_the_label_order_after_a_move() {
        let mut w = Workspace::new(Project::with_documents(vec![Document::new("d", "Kabul")]));
        let doc = w.project().documents()[0].id();
        let span = |l| Span::new(0, 5, LabelId(l)).unwrap();
        w.apply(
            "x",
            vec![
                Edit::AddSpan { doc, span: span(1) },
                Edit::AddSpan { doc, span: span(2) },
                Edit::Reject { doc, span: span(3) },
                Edit::Reject { doc, span: span(4) },
                // ORG above PLACE, QUOTE above DATE.
                Edit::MoveLabel {
                    id: LabelId(2),
                    to: 0,
                },
                Edit::MoveLabel {
                    id: LabelId(4),
                    to: 1,
                },
            ],
        )
        .unwrap();
        let s = to_string(w.project());
        let org = s.find("label: \"ORG\"").unwrap();
        let place = s.find("label: \"PLACE\"").unwrap();
        assert!(org < place, "{s}");
        let quote = s.find("label: \"QUOTE\"").unwrap();
        let date = s.find("label: \"DATE\"").unwrap();
        assert!(quote < date, "{s}");
        assert_eq!(to_string(&parse_project(&s, &path()).unwrap()), s);
    }

    /// Notes with quotes, line breaks, tabs, backslashes and emoji survive a save and
    /// load; a span without a note is written exactly as before notes existed.
    #[test]
    fn notes_roundtrip_and_are_left_out_when_empty() {
        let mut w = Workspace::new(sample());
        let spans = w.project().documents()[0].spans().as_slice().to_vec();
        let tricky = "say \"no\",\nthen\r\n\tleft\\ 👨‍👩‍👧 🇦🇫 e\u{301}";
        w.apply(
            "notes",
            vec![
                Edit::SetNote {
                    doc: w.project().documents()[0].id(),
                    span: spans[0],
                    note: Some(tricky.to_string()),
                },
                Edit::SetNote {
                    doc: w.project().documents()[1].id(),
                    span: w.project().documents()[1].spans().as_slice()[1],
                    note: Some("日本語のメモ".to_string()),
                },
            ],
        )
        .unwrap();
        let p = w.project().clone();
        let s = to_string(&p);
        // One span per line still, the note escaped inside it.
        let line = s.lines().find(|l| l.contains("note:")).unwrap();
        assert!(
            line.trim_start()
                .starts_with("(start: 0, end: 47, label: \"QUOTE\", note: \""),
            "{line}"
        );
        assert_eq!(s.matches("note:").count(), 2, "{s}");
        assert!(
            s.contains("(start: 18, end: 36, label: \"PERSON\"),\n"),
            "{s}"
        );
        let back = parse_project(&s, &path()).unwrap();
        assert_eq!(back, p);
        assert_eq!(back.documents()[0].note(&spans[0]), Some(tricky));
        assert_eq!(to_string(&back), s);
        // A file without notes is byte for byte what it was.
        assert!(!to_string(&sample()).contains("note"));
    }

    /// Rejections and suggestion settings survive a save and load; a project without them
    /// is written byte for byte as before, and a file without them opens with defaults.
    #[test]
    fn suggest_fields_roundtrip_and_are_optional() {
        let plain = to_string(&sample());
        assert!(
            !plain.contains("rejected") && !plain.contains("suggest"),
            "{plain}"
        );
        let mut w = Workspace::new(sample());
        let settings = SuggestSettings {
            learned: false,
            ignore_case: true,
            rule_sets: vec![
                RuleSet {
                    name: "orgs.jsonl".into(),
                    kind: RuleKind::Patterns,
                    enabled: true,
                    source: "{\"label\": \"ORG\", \"pattern\": \"Doha \\\"Agreement\"}\n".into(),
                    default_label: None,
                },
                RuleSet {
                    name: "places.tsv".into(),
                    kind: RuleKind::Dictionary,
                    enabled: false,
                    source: "# places\nKabul\n東京\n".into(),
                    default_label: Some("PLACE".into()),
                },
            ],
        };
        w.apply(
            "x",
            vec![
                Edit::Reject {
                    doc: w.project().documents()[0].id(),
                    span: Span::new(48, 53, LabelId(0)).unwrap(),
                },
                Edit::Reject {
                    doc: w.project().documents()[1].id(),
                    span: Span::new(0, 2, LabelId(3)).unwrap(),
                },
                Edit::SetSuggestSettings(settings.clone()),
            ],
        )
        .unwrap();
        let p = w.project().clone();
        let s = to_string(&p);
        assert!(
            s.contains("rejected: [\n        (start: 48, end: 53, label: \"PERSON\"),"),
            "{s}"
        );
        let back = parse_project(&s, &path()).unwrap();
        assert_eq!(back, p);
        assert_eq!(back.suggest_settings(), &settings);
        assert_eq!(to_string(&back), s);
        // Sequential and parallel parses agree on the new fields.
        let par = crate::io::ron_split::parse_parallel(&s, &path(), 3).unwrap();
        assert_eq!(par, p);
        assert_eq!(par.suggest_settings(), &settings);
        // Undo to the defaults: the file is what it was.
        w.undo().unwrap();
        assert_eq!(to_string(w.project()), plain);
        // A rejection naming an unknown label is an error naming the place.
        let bad = s.replace(
            "label: \"PERSON\"),\n      ]",
            "label: \"ALIEN\"),\n      ]",
        );
        let e = err(&bad);
        assert!(e.contains("rejected 1") && e.contains("ALIEN"), "{e}");
    }

    #[test]
    fn a_note_on_a_span_is_read_from_the_span_line() {
        let src =
            valid_with("(start: 18, end: 36, label: \"PERSON\", note: \"checked \\\"twice\\\"\")");
        let p = parse_project(&src, &path()).unwrap();
        let d = &p.documents()[0];
        let span = d.spans().iter().find(|s| s.start() == 18).unwrap();
        assert_eq!(d.note(span), Some("checked \"twice\""));
        // An empty note is no note.
        let src = valid_with("(start: 18, end: 36, label: \"PERSON\", note: \"\")");
        assert_eq!(parse_project(&src, &path()).unwrap(), sample());
    }

    #[test]
    fn save_load_file() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("p.ron");
        save_project(&sample(), &f).unwrap();
        assert_eq!(load_project(&f).unwrap(), sample());
    }

    fn err(src: &str) -> String {
        parse_project(src, &path()).unwrap_err().to_string()
    }

    fn valid_with(span: &str) -> String {
        to_string(&sample()).replacen("(start: 18, end: 36, label: \"PERSON\")", span, 1)
    }

    #[test]
    fn broken_files_give_clear_errors() {
        let e = err("(version: 1, labels: [");
        assert!(e.starts_with("test.ron:1:"), "{e}");
        let e = err(&valid_with("(start: 18, end: 3600, label: \"PERSON\")"));
        assert!(
            e.contains("span 3:") && e.contains("outside the text"),
            "{e}"
        );
        let e = err(&valid_with("(start: 18, end: 18, label: \"PERSON\")"));
        assert!(e.contains("empty"), "{e}");
        let e = err(&valid_with("(start: 18, end: 36, label: \"ALIEN\")"));
        assert!(e.contains("\"ALIEN\" is not defined"), "{e}");
        let e = err(&valid_with("(start: -1, end: 36, label: \"PERSON\")"));
        assert!(e.starts_with("test.ron:"), "{e}");
        let e = err(&to_string(&sample()).replace("version: 1", "version: 2"));
        assert!(e.contains("newer spanmark"), "{e}");
        let e = err("(version: 7, stuff: [1, 2], labels: 3)");
        assert!(e.contains("newer spanmark"), "{e}");
        let e = err(&to_string(&sample()).replace("version: 1", "version: 0"));
        assert!(e.contains("unknown file version 0"), "{e}");
        let e = err(&to_string(&sample()).replace("#e69f00", "orange"));
        assert!(e.contains("not #rrggbb"), "{e}");
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        let e = err(&deep);
        assert!(e.starts_with("test.ron:1:"), "{e}");
        let dup = to_string(&sample()).replacen("name: \"PLACE\"", "name: \"PERSON\"", 1);
        assert!(err(&dup).contains("defined twice"));
    }

    #[test]
    fn stamps_match_what_is_on_disk() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("p.ron");
        let saved = save_project_stamped(&sample(), &f).unwrap();
        assert_eq!(DiskStamp::read(&f).unwrap(), Some(saved));
        let (p, loaded) = load_project_stamped(&f).unwrap();
        assert_eq!(p, sample());
        assert_eq!(loaded, saved);
        assert_eq!(
            loaded.check(&f).unwrap(),
            crate::io::disk::DiskState::Unchanged
        );
    }

    #[test]
    fn file_errors_name_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("missing.ron");
        assert!(
            load_project(&f)
                .unwrap_err()
                .to_string()
                .contains("missing.ron")
        );
        let bin = dir.path().join("bin.ron");
        std::fs::write(&bin, [0u8, 159, 146, 150]).unwrap();
        let e = load_project(&bin).unwrap_err().to_string();
        assert!(e.contains("bin.ron") && e.contains("not UTF-8"), "{e}");
    }
}

#[cfg(test)]
pub(crate) mod proptests {
    use super::*;
    use crate::model::{Label, LabelId, PALETTE};
    use proptest::prelude::*;

    /// Random projects: any Unicode text (with line breaks), labels with odd names, spans
    /// that nest and overlap, any status.
    pub(crate) fn arb_project() -> impl Strategy<Value = Project> {
        let labels = proptest::collection::btree_set("[A-Za-z_-]{1,8}|[^\\s\\p{C}]{1,4}", 1..5);
        let docs = proptest::collection::vec(
            (
                "\\PC{0,8}",
                "(\\PC|\\n|\\r\\n|\\t){0,120}",
                proptest::collection::vec((0usize..200, 1usize..40, 0u32..5), 0..12),
                0usize..3,
                proptest::collection::vec(
                    proptest::option::of("(\\PC|\\n|\\r|\\t|\\\\|\"){1,20}"),
                    0..12,
                ),
            ),
            0..4,
        );
        (labels, docs).prop_map(|(names, docs)| {
            let labels: Vec<Label> = names
                .into_iter()
                .enumerate()
                .map(|(i, name)| Label {
                    name,
                    color: PALETTE[i % PALETTE.len()],
                    hotkey: char::from_digit(i as u32 + 1, 10),
                })
                .collect();
            let n_labels = labels.len() as u32;
            let mut names = std::collections::HashSet::new();
            let documents = docs
                .into_iter()
                .map(|(name, text, raw, status, notes)| {
                    // Names are unique within a project.
                    let name = crate::model::unique_name(&name, |n| names.contains(n));
                    names.insert(name.clone());
                    let len = text.chars().count();
                    let spans = raw
                        .into_iter()
                        .filter(|&(s, _, _)| s < len)
                        .map(|(s, l, lab)| {
                            Span::new(s, (s + l).min(len), LabelId(lab % n_labels)).unwrap()
                        })
                        .collect();
                    let mut d = Document::with_spans(name, text, spans).unwrap();
                    // Notes on some spans: any text, line breaks and quotes included.
                    let notes: Vec<(Span, String)> = d
                        .spans()
                        .iter()
                        .zip(&notes)
                        .filter_map(|(s, n)| n.clone().map(|n| (*s, n)))
                        .collect();
                    d = d.with_notes(notes).unwrap();
                    d.status = Status::ALL[status];
                    d
                })
                .collect();
            Project::new(labels, documents).unwrap()
        })
    }

    proptest! {
        #[test]
        fn save_then_load_is_identity(project in arb_project()) {
            let mut buf = Vec::new();
            write_project(&project, &mut buf).unwrap();
            let text = String::from_utf8(buf).unwrap();
            prop_assert_eq!(parse_project(&text, Path::new("p.ron")).unwrap(), project);
        }
    }
}

/// Disagreements in the file (team merge): optional per document, one line each.
#[cfg(test)]
mod disagreement_tests {
    use super::*;
    use crate::model::{LabelId, default_labels};
    use proptest::prelude::*;

    fn sp(s: usize, e: usize, l: u32) -> Span {
        Span::new(s, e, LabelId(l)).unwrap()
    }

    fn to_string(p: &Project) -> String {
        let mut buf = Vec::new();
        write_project(p, &mut buf).unwrap();
        String::from_utf8(buf).unwrap()
    }

    fn with_disagreement() -> Project {
        let doc = Document::with_spans("d", "Ashraf Ghani left Kabul.", vec![sp(18, 23, 1)])
            .unwrap()
            .with_disagreements(vec![Disagreement {
                start: 0,
                end: 12,
                versions: vec![
                    ("ours".into(), vec![sp(0, 12, 0)]),
                    ("theirs".into(), vec![]),
                ],
            }])
            .unwrap();
        Project::new(default_labels(), vec![doc, Document::new("e", "plain")]).unwrap()
    }

    #[test]
    fn roundtrip_one_line_each_and_absent_when_none() {
        let p = with_disagreement();
        let s = to_string(&p);
        assert!(
            s.contains(
                "\n      disagreements: [\n        (start: 0, end: 12, versions: [(by: \"ours\", spans: [(start: 0, end: 12, label: \"PERSON\")]), (by: \"theirs\", spans: [])]),\n      ],\n"
            ),
            "{s}"
        );
        // Only the document that has some writes the field.
        assert_eq!(s.matches("disagreements").count(), 1, "{s}");
        let back = parse_project(&s, Path::new("t.ron")).unwrap();
        assert_eq!(back, p);
        assert_eq!(to_string(&back), s);
    }

    #[test]
    fn files_without_disagreements_are_unchanged() {
        // An old file (no field at all) opens, and saves byte for byte as it was.
        let old = "(\n  version: 1,\n  labels: [\n    (\n      name: \"PERSON\",\n      color: \"#e69f00\",\n    ),\n  ],\n  documents: [\n    (\n      name: \"d\",\n      status: todo,\n      text: \"Ashraf\",\n      spans: [\n        (start: 0, end: 6, label: \"PERSON\"),\n      ],\n    ),\n  ],\n)\n";
        let p = parse_project(old, Path::new("old.ron")).unwrap();
        assert!(p.documents()[0].disagreements().is_empty());
        assert_eq!(to_string(&p), old);
    }

    #[test]
    fn bad_disagreements_are_named() {
        let s = to_string(&with_disagreement());
        let e = parse_project(
            &s.replace(
                "by: \"ours\", spans: [(start: 0, end: 12, label: \"PERSON\")",
                "by: \"ours\", spans: [(start: 0, end: 12, label: \"ALIEN\")",
            ),
            Path::new("t.ron"),
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("disagreement 1") && e.contains("\"ALIEN\""),
            "{e}"
        );
        let e = parse_project(
            &s.replace(
                "(start: 0, end: 12, versions",
                "(start: 0, end: 99, versions",
            ),
            Path::new("t.ron"),
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.starts_with("t.ron: ") && e.contains("outside the text"),
            "{e}"
        );
    }

    proptest! {
        /// Any project, with a disagreement over each pair of neighbouring spans, survives
        /// a save and load, sequential and parallel.
        #[test]
        fn disagreements_roundtrip(project in super::proptests::arb_project()) {
            let docs = project.documents().iter().map(|d| {
                let spans = d.spans().as_slice();
                let list = spans.windows(2).filter_map(|w| Disagreement::covering(vec![
                    ("a".into(), vec![w[0]]),
                    ("b".into(), vec![w[1], w[0]]),
                    ("c".into(), vec![]),
                ])).collect();
                d.clone().with_disagreements(list).unwrap()
            }).collect();
            let project = Project::new(project.labels().to_vec(), docs).unwrap();
            let text = to_string(&project);
            prop_assert_eq!(&parse_project_sequential(&text, Path::new("p.ron")).unwrap(), &project);
            let parallel = crate::io::ron_split::parse_parallel(&text, Path::new("p.ron"), 2);
            prop_assert_eq!(parallel.as_ref(), Some(&project));
        }
    }
}
