//! Reading a project file's structs into checked model types: every error names the
//! file and where in it (document, span, relation), with line:column when RON gives one.

use std::path::Path;

use super::file::*;
use crate::io::IoError;
use crate::model::relation::default_relation_types;
use crate::model::{
    Disagreement, Document, Label, LabelId, Project, Relation, RelationType, Rgb, Span,
};

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
                    "{}: span {}..{} lies outside the text ({})",
                    at(),
                    s.start,
                    s.end,
                    crate::model::count(char_len, "character")
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
            out.push((ri, check_relation(&r, lookup, path, &at)?));
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

/// A relation as the file names it, checked against the labels and types in `lookup`;
/// errors say where (`at`).
fn check_relation(
    r: &RelationFile,
    lookup: &Project,
    path: &Path,
    at: &dyn Fn() -> String,
) -> Result<Relation, IoError> {
    let span = |s: &SpanRefFile| {
        let label = lookup.label_id(&s.label).ok_or_else(|| {
            invalid(
                path,
                format!("{}: label {:?} is not defined in `labels`", at(), s.label),
            )
        })?;
        Span::new(s.start, s.end, label).map_err(|e| invalid(path, format!("{}: {e}", at())))
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
    Ok(relation)
}

/// Reads document `di`'s disagreements (team merge): labels and relation types must be
/// defined and ranges non-empty; bounds against the text are checked by the document.
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
        let mut links = Vec::with_capacity(dis.versions.len());
        for v in dis.versions {
            let mut mine = Vec::with_capacity(v.relations.len());
            for (ri, r) in v.relations.iter().enumerate() {
                let at = || format!("{}, {:?}'s relation {}", at(), v.by, ri + 1);
                mine.push(check_relation(r, lookup, path, &at)?);
            }
            links.push(mine);
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
        out.push(
            Disagreement {
                start: dis.start,
                end: dis.end,
                versions,
                relations: Vec::new(),
            }
            .with_relations(links),
        );
    }
    Ok(out)
}
