//! Label Studio JSON tasks with pre-made annotations: a `labels` region per span and a
//! `relation` result per relation, pointing at its spans' regions by id.

use std::io::Write;

use serde::Serialize;

use super::ExportReport;
use crate::model::Project;

#[derive(Serialize)]
struct Task<'a> {
    id: usize,
    data: Data<'a>,
    annotations: Vec<Annotation<'a>>,
}

#[derive(Serialize)]
struct Data<'a> {
    text: &'a str,
    name: &'a str,
}

#[derive(Serialize)]
struct Annotation<'a> {
    result: Vec<ResultItem<'a>>,
}

/// One item of an annotation's `result`: Label Studio tells them apart by `type`.
#[derive(Serialize)]
#[serde(untagged)]
enum ResultItem<'a> {
    Region(Region<'a>),
    Relation(RelationResult<'a>),
}

/// A link between two regions, as Label Studio's `<Relations>` tag makes them:
/// `direction: "right"` points from `from_id` to `to_id`.
#[derive(Serialize)]
struct RelationResult<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    from_id: String,
    to_id: String,
    direction: &'static str,
    labels: [&'a str; 1],
}

#[derive(Serialize)]
struct Region<'a> {
    id: String,
    from_name: &'static str,
    to_name: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    value: Value<'a>,
    /// The span's note, where Label Studio keeps a region's note (`meta.text`).
    #[serde(skip_serializing_if = "Option::is_none")]
    meta: Option<Meta<'a>>,
}

/// Label Studio's per-region metadata: `text` is a list of strings.
#[derive(Serialize)]
struct Meta<'a> {
    text: [&'a str; 1],
}

#[derive(Serialize)]
struct Value<'a> {
    start: usize,
    end: usize,
    text: &'a str,
    labels: [&'a str; 1],
}

/// Writes a JSON list of tasks; `from_name` is `label` and `to_name` is `text`, as in
/// Label Studio's named-entity template. Region ids are `d<task>s<span>`; each relation
/// is a `{"type": "relation", "from_id", "to_id", "direction": "right", "labels":
/// [TYPE]}` result after the regions.
pub fn write(project: &Project, out: &mut dyn Write) -> std::io::Result<ExportReport> {
    let mut report = ExportReport::default();
    let tasks: Vec<Task> = project
        .documents()
        .iter()
        .enumerate()
        .map(|(i, doc)| {
            let region_id = |k: usize| format!("d{}s{k}", i + 1);
            let mut result: Vec<ResultItem> = doc
                .spans()
                .iter()
                .enumerate()
                .map(|(k, s)| Region {
                    id: region_id(k),
                    from_name: "label",
                    to_name: "text",
                    kind: "labels",
                    value: Value {
                        start: s.start(),
                        end: s.end(),
                        text: doc.span_text(s),
                        labels: [project.label(s.label()).map_or("", |l| l.name.as_str())],
                    },
                    meta: doc.note(s).map(|note| Meta { text: [note] }),
                })
                .map(ResultItem::Region)
                .collect();
            report.spans += result.len();
            for r in doc.relations().iter() {
                // Both ends are spans of the document (a model invariant), so both have
                // a region.
                let ends = (
                    doc.spans().position(&r.from()),
                    doc.spans().position(&r.to()),
                );
                let (Some(from), Some(to)) = ends else {
                    let reason = "an end is not a span of the document";
                    report
                        .dropped_relations
                        .push(super::DroppedRelation::new(project, doc, r, reason));
                    continue;
                };
                let kind = project.relation_type(r.kind());
                result.push(ResultItem::Relation(RelationResult {
                    kind: "relation",
                    from_id: region_id(from),
                    to_id: region_id(to),
                    direction: "right",
                    labels: [kind.map_or("", |t| t.name.as_str())],
                }));
                report.relations += 1;
            }
            report.documents += 1;
            Task {
                id: i + 1,
                data: Data {
                    text: doc.text().as_str(),
                    name: &doc.name,
                },
                annotations: vec![Annotation { result }],
            }
        })
        .collect();
    serde_json::to_writer(&mut *out, &tasks)?;
    out.write_all(b"\n")?;
    Ok(report)
}
