//! The project file's own versioned structs, and the conversions both ways: a project
//! written as them (pretty RON, one span per line), and file structs checked into
//! model types, so a bad file is an error naming the file and place.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::io::IoError;
use crate::model::relation::default_relation_types;
use crate::model::suggest::{RuleKind, RuleSet, SuggestSettings};
use crate::model::{
    Disagreement, Document, Label, LabelId, Project, Relation, RelationType, Rgb, Span, Status,
};

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
    /// Left out when they are the default for the labels (SPEAKER where the labels have
    /// QUOTE and PERSON or ORG), so files without relations are written as before.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "as_list")]
    relation_types: Option<Vec<RelationTypeFile>>,
}

/// An optional list written as the list itself (RON would write `Some([...])`).
fn as_list<S: serde::Serializer, T: Serialize>(
    list: &Option<Vec<T>>,
    s: S,
) -> Result<S::Ok, S::Error> {
    list.as_deref().unwrap_or(&[]).serialize(s)
}

/// A list that may be absent: present is `Some` (even when empty).
fn some_list<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Vec<T>>, D::Error> {
    Vec::deserialize(d).map(Some)
}

/// A relation type as saved: labels by name.
#[derive(Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct RelationTypeFile {
    name: String,
    color: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    key: Option<char>,
    from: Vec<String>,
    to: Vec<String>,
}

impl RelationTypeFile {
    /// `t` with the labels named by `name`.
    fn of(t: &RelationType, name: impl Fn(LabelId) -> String) -> Self {
        Self {
            name: t.name.clone(),
            color: t.color.to_hex(),
            key: t.hotkey,
            from: t.from.iter().map(|l| name(*l)).collect(),
            to: t.to.iter().map(|l| name(*l)).collect(),
        }
    }
}

/// A span a relation names: its range and label.
#[derive(Serialize, Deserialize)]
struct SpanRefFile {
    start: usize,
    end: usize,
    label: String,
}

/// A relation as saved: both spans by value and the type by name (one line each).
#[derive(Serialize, Deserialize)]
struct RelationFile {
    from: SpanRefFile,
    to: SpanRefFile,
    label: String,
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
    /// Left out when there are none, so files without relations are written as before.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    relations: Vec<RelationFile>,
    /// Rejected suggestions; left out when there are none (files stay as before).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    rejected: Vec<RejectedFile>,
    /// Rejected relation suggestions; left out when there are none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    rejected_relations: Vec<RelationFile>,
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
    /// Absent: the default relation types for the labels.
    #[serde(default, deserialize_with = "some_list")]
    pub(crate) relation_types: Option<Vec<RelationTypeFile>>,
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
    /// Absent in files without relations.
    #[serde(default)]
    relations: Vec<RelationFile>,
    #[serde(default)]
    rejected: Vec<RejectedFile>,
    /// Absent in files without rejected relation suggestions.
    #[serde(default)]
    rejected_relations: Vec<RelationFile>,
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
                relations: relations_out(project, d.relations().iter()),
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
                rejected_relations: relations_out(project, d.rejected_relations().iter()),
                disagreements: disagreements_out(project, d),
            })
            .collect(),
        suggest: SuggestFile::of(project.suggest_settings()),
        relation_types: relation_types_out(project),
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

/// The project's relation types as saved, or `None` when they are the default for its
/// labels (then the file has none, as before relations).
fn relation_types_out(project: &Project) -> Option<Vec<RelationTypeFile>> {
    let name = |l: LabelId| project.label(l).map_or(String::new(), |x| x.name.clone());
    let types: Vec<RelationTypeFile> = project
        .relation_types()
        .iter()
        .map(|t| RelationTypeFile::of(t, name))
        .collect();
    // The defaults name label `i` as id `i`: the i-th label of the list.
    let labels = project.labels();
    let by_place = |l: LabelId| {
        labels
            .get(l.0 as usize)
            .map_or(String::new(), |x| x.name.clone())
    };
    let defaults: Vec<RelationTypeFile> = default_relation_types(labels)
        .iter()
        .map(|t| RelationTypeFile::of(t, by_place))
        .collect();
    (types != defaults).then_some(types)
}

/// A document's relations as saved, in a stable order: by their spans' ranges and the
/// labels' and types' places in the lists (as a file read back orders them).
fn relations_out<'a>(
    project: &Project,
    relations: impl Iterator<Item = &'a Relation>,
) -> Vec<RelationFile> {
    let place = |l: LabelId| project.label_position(l).unwrap_or(usize::MAX);
    let key = |r: &Relation| {
        let (f, t) = (r.from(), r.to());
        (
            (f.start(), f.end(), place(f.label())),
            (t.start(), t.end(), place(t.label())),
            project
                .relation_type_position(r.kind())
                .unwrap_or(usize::MAX),
        )
    };
    let mut list: Vec<&Relation> = relations.collect();
    list.sort_by_key(|r| key(r));
    let span = |s: Span| SpanRefFile {
        start: s.start(),
        end: s.end(),
        label: project
            .label(s.label())
            .map_or(String::new(), |l| l.name.clone()),
    };
    list.into_iter()
        .map(|r| RelationFile {
            from: span(r.from()),
            to: span(r.to()),
            label: project
                .relation_type(r.kind())
                .map_or(String::new(), |t| t.name.clone()),
        })
        .collect()
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

pub(crate) fn invalid(path: &Path, message: String) -> IoError {
    IoError::Invalid {
        path: path.to_path_buf(),
        message,
    }
}

pub(crate) fn syntax_error(source: &str, path: &Path, e: &ron::error::SpannedError) -> IoError {
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
/// Checks the file's version, labels and relation types; returns a project with them and
/// no documents, which documents are checked against (labels and types by name).
pub(crate) fn check_header(
    version: u32,
    file_labels: Vec<LabelFile>,
    file_types: Option<Vec<RelationTypeFile>>,
    path: &Path,
) -> Result<Project, IoError> {
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
    let types = match file_types {
        None => default_relation_types(&labels),
        Some(list) => {
            let mut types = Vec::with_capacity(list.len());
            for t in list {
                let at = |what: &str| format!("relation type {:?}: {what}", t.name);
                let color = Rgb::from_hex(&t.color).ok_or_else(|| {
                    invalid(path, at(&format!("colour {:?} is not #rrggbb", t.color)))
                })?;
                let id = |name: &String| {
                    labels
                        .iter()
                        .position(|l| l.name == *name)
                        .and_then(|i| LabelId::from_index(i).ok())
                        .ok_or_else(|| {
                            invalid(
                                path,
                                at(&format!("label {name:?} is not defined in `labels`")),
                            )
                        })
                };
                types.push(RelationType {
                    from: t.from.iter().map(id).collect::<Result<_, _>>()?,
                    to: t.to.iter().map(id).collect::<Result<_, _>>()?,
                    name: t.name,
                    color,
                    hotkey: t.key,
                });
            }
            types
        }
    };
    Project::with_types(labels, types, Vec::new()).map_err(|e| invalid(path, e.to_string()))
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
    let read = |list: Vec<RelationFile>, what: &str| -> Result<Vec<(usize, Relation)>, IoError> {
        let mut out = Vec::with_capacity(list.len());
        for (ri, r) in list.into_iter().enumerate() {
            let at = || format!("document {} ({:?}), {what} {}", di + 1, d.name, ri + 1);
            let span = |s: &SpanRefFile| {
                let label = lookup.label_id(&s.label).ok_or_else(|| {
                    invalid(
                        path,
                        format!("{}: label {:?} is not defined in `labels`", at(), s.label),
                    )
                })?;
                Span::new(s.start, s.end, label)
                    .map_err(|e| invalid(path, format!("{}: {e}", at())))
            };
            let kind = lookup.relation_type_id(&r.label).ok_or_else(|| {
                invalid(
                    path,
                    format!("{}: relation type {:?} is not defined", at(), r.label),
                )
            })?;
            let relation = Relation::new(span(&r.from)?, span(&r.to)?, kind)
                .map_err(|e| invalid(path, format!("{}: {e}", at())))?;
            lookup
                .check_relation(&relation)
                .map_err(|e| invalid(path, format!("{}: {e}", at())))?;
            out.push((ri, relation));
        }
        Ok(out)
    };
    let relations = read(d.relations, "relation")?;
    let rejected_relations = read(d.rejected_relations, "rejected relation")?;
    let mut doc = Document::with_spans(d.name.clone(), d.text, spans)
        .and_then(|doc| doc.with_notes(notes))
        .and_then(|doc| doc.with_rejected(rejected))
        .and_then(|doc| doc.with_disagreements(disagreements))
        .map_err(|e| invalid(path, format!("document {} ({:?}): {e}", di + 1, d.name)))?;
    for (ri, r) in relations {
        doc = doc.with_relations([r]).map_err(|e| {
            invalid(
                path,
                format!(
                    "document {} ({:?}), relation {}: {e}",
                    di + 1,
                    d.name,
                    ri + 1
                ),
            )
        })?;
    }
    for (ri, r) in rejected_relations {
        doc = doc.with_rejected_relations([r]).map_err(|e| {
            invalid(
                path,
                format!(
                    "document {} ({:?}), rejected relation {}: {e}",
                    di + 1,
                    d.name,
                    ri + 1
                ),
            )
        })?;
    }
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
