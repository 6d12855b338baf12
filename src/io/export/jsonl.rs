//! doccano sequence-labeling JSONL: one document per line, all spans (overlaps too).

use std::io::Write;

use serde::Serialize;

use super::ExportReport;
use crate::model::Project;

#[derive(Serialize)]
struct Line<'a> {
    id: &'a str,
    text: &'a str,
    label: Vec<(usize, usize, &'a str)>,
    /// Left out when the document has no notes, so such lines are as before notes.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    notes: Vec<(usize, usize, &'a str, &'a str)>,
}

/// Writes one JSON object per document: `{"id", "text", "label": [[start, end, label]]}`,
/// plus `"notes": [[start, end, label, note]]` when some of its spans have a note.
pub fn write(project: &Project, out: &mut dyn Write) -> std::io::Result<ExportReport> {
    let mut report = ExportReport::default();
    for doc in project.documents() {
        let label = doc
            .spans()
            .iter()
            .map(|s| {
                let name = project.label(s.label()).map_or("", |l| l.name.as_str());
                (s.start(), s.end(), name)
            })
            .collect::<Vec<_>>();
        report.spans += label.len();
        let notes = doc
            .notes()
            .map(|(s, note)| {
                let name = project.label(s.label()).map_or("", |l| l.name.as_str());
                (s.start(), s.end(), name, note)
            })
            .collect();
        let line = Line {
            id: &doc.name,
            text: doc.text().as_str(),
            label,
            notes,
        };
        serde_json::to_writer(&mut *out, &line)?;
        out.write_all(b"\n")?;
        report.documents += 1;
    }
    Ok(report)
}
