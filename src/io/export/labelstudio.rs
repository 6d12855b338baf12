//! Label Studio JSON tasks with pre-made annotations.

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
    result: Vec<Region<'a>>,
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
/// Label Studio's named-entity template.
pub fn write(project: &Project, out: &mut dyn Write) -> std::io::Result<ExportReport> {
    let mut report = ExportReport::default();
    let tasks: Vec<Task> = project
        .documents()
        .iter()
        .enumerate()
        .map(|(i, doc)| {
            let result: Vec<Region> = doc
                .spans()
                .iter()
                .enumerate()
                .map(|(k, s)| Region {
                    id: format!("d{}s{k}", i + 1),
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
                .collect();
            report.spans += result.len();
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
