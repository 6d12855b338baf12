//! doccano JSONL: one document per line, all spans (overlaps too). Without relations,
//! doccano's sequence-labeling layout (`label`); with relations, its relation
//! extraction layout (`entities` with ids, `relations` between them).

use std::io::Write;

use serde::Serialize;

use super::ExportReport;
use crate::model::{Document, Project};

#[derive(Serialize)]
struct Line<'a> {
    id: &'a str,
    text: &'a str,
    label: Vec<(usize, usize, &'a str)>,
    /// Left out when the document has no notes, so such lines are as before notes.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    notes: Vec<Note<'a>>,
}

/// `[start, end, label, note]`.
type Note<'a> = (usize, usize, &'a str, &'a str);

/// A line of doccano's relation extraction layout.
#[derive(Serialize)]
struct RelationLine<'a> {
    id: &'a str,
    text: &'a str,
    entities: Vec<Entity<'a>>,
    relations: Vec<RelationOut<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    notes: Vec<Note<'a>>,
}

/// An entity: its id is the span's place in the document (0-based), which relations
/// refer to.
#[derive(Serialize)]
struct Entity<'a> {
    id: usize,
    label: &'a str,
    start_offset: usize,
    end_offset: usize,
}

#[derive(Serialize)]
struct RelationOut<'a> {
    id: usize,
    from_id: usize,
    to_id: usize,
    #[serde(rename = "type")]
    kind: &'a str,
}

/// Writes one JSON object per document. A project without relations gets
/// `{"id", "text", "label": [[start, end, label]]}` lines, as before relations. A
/// project with relations gets, on every line, `{"id", "text", "entities": [{"id",
/// "label", "start_offset", "end_offset"}], "relations": [{"id", "from_id", "to_id",
/// "type"}]}`: doccano reads one layout per file (a relation extraction project reads
/// `entities` and `relations` on every line, and would lose the spans of a `label`
/// line). Either way a document with notes also gets `"notes": [[start, end, label,
/// note]]`.
pub fn write(project: &Project, out: &mut dyn Write) -> std::io::Result<ExportReport> {
    let mut report = ExportReport::default();
    let with_relations = project
        .documents()
        .iter()
        .any(|d| !d.relations().is_empty());
    for doc in project.documents() {
        let label_name = |l| project.label(l).map_or("", |l| l.name.as_str());
        let notes = doc
            .notes()
            .map(|(s, note)| (s.start(), s.end(), label_name(s.label()), note))
            .collect();
        report.spans += doc.spans().len();
        if with_relations {
            let line = relation_line(project, doc, notes, &mut report);
            serde_json::to_writer(&mut *out, &line)?;
        } else {
            let label = doc
                .spans()
                .iter()
                .map(|s| (s.start(), s.end(), label_name(s.label())))
                .collect();
            let line = Line {
                id: &doc.name,
                text: doc.text().as_str(),
                label,
                notes,
            };
            serde_json::to_writer(&mut *out, &line)?;
        }
        out.write_all(b"\n")?;
        report.documents += 1;
    }
    Ok(report)
}

/// One document in the relation extraction layout.
fn relation_line<'a>(
    project: &'a Project,
    doc: &'a Document,
    notes: Vec<Note<'a>>,
    report: &mut ExportReport,
) -> RelationLine<'a> {
    let label_name = |l| project.label(l).map_or("", |l| l.name.as_str());
    let entities = doc
        .spans()
        .iter()
        .enumerate()
        .map(|(id, s)| Entity {
            id,
            label: label_name(s.label()),
            start_offset: s.start(),
            end_offset: s.end(),
        })
        .collect();
    let mut relations = Vec::with_capacity(doc.relations().len());
    for r in doc.relations().iter() {
        // Both ends are spans of the document (a model invariant); the check keeps a
        // broken one from being written with a wrong id.
        let ends = (
            doc.spans().position(&r.from()),
            doc.spans().position(&r.to()),
        );
        let (Some(from_id), Some(to_id)) = ends else {
            report.dropped_relations.push(super::DroppedRelation::new(
                project,
                doc,
                r,
                "an end is not a span of the document",
            ));
            continue;
        };
        relations.push(RelationOut {
            id: relations.len(),
            from_id,
            to_id,
            kind: project
                .relation_type(r.kind())
                .map_or("", |t| t.name.as_str()),
        });
    }
    report.relations += relations.len();
    RelationLine {
        id: &doc.name,
        text: doc.text().as_str(),
        entities,
        relations,
        notes,
    }
}
