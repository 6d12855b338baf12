//! Hugging Face token classification: JSONL rows of `tokens` and `ner_tags`, one row per
//! sentence, plus `labels.json` with the tag list.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::tokens::{TagNames, tag_set, write_tagged};
use super::{ExportOptions, ExportReport};
use crate::model::Project;

#[derive(Serialize)]
struct Row<'a> {
    id: String,
    document: &'a str,
    tokens: Vec<&'a str>,
    ner_tags: Vec<&'a str>,
}

/// Writes one JSON row per sentence: `{"id", "document", "tokens", "ner_tags"}`.
pub fn write(
    project: &Project,
    opts: &ExportOptions,
    out: &mut dyn Write,
) -> std::io::Result<ExportReport> {
    let mut report = ExportReport::default();
    let names = TagNames::new(project);
    write_tagged(project, opts, &mut report, out, |doc, tagged, sink| {
        let text = doc.text().as_str();
        for (k, (tokens, tags)) in tagged.sentences().enumerate() {
            let row = Row {
                id: format!("{}-{k}", doc.name),
                document: &doc.name,
                tokens: tokens
                    .iter()
                    .map(|t| &text[t.byte_start..t.byte_end])
                    .collect(),
                ner_tags: tags.iter().map(|&t| names.get(t)).collect(),
            };
            serde_json::to_writer(&mut sink.buf, &row)?;
            sink.buf.push(b'\n');
            sink.flush_if_full()?;
        }
        Ok(())
    })?;
    // Tokens and tags have no place for a link between two spans: every relation is
    // listed, never left out unseen.
    report.dropped_relations =
        super::relations_not_representable(project, "hf has no place for relations");
    Ok(report)
}

/// Writes the tag list (`["O", "B-PERSON", "I-PERSON", ...]`) as JSON.
pub fn write_labels(
    project: &Project,
    opts: &ExportOptions,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &tag_set(project, opts))?;
    out.write_all(b"\n")
}

/// Where the tag list goes: `labels.json` beside the data file.
pub fn labels_path(data: &Path) -> PathBuf {
    data.with_file_name("labels.json")
}
