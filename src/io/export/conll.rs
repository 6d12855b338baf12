//! CoNLL-2003 style: `TOKEN -X- _ TAG`, blank lines between sentences, and
//! `-DOCSTART- -X- O O` between documents: the exact line spaCy's `convert -c ner` splits
//! documents at (it reads `-DOCSTART- -X- -X- O` as a token).

use std::io::Write;

use super::tokens::{TagNames, write_tagged};
use super::{ExportOptions, ExportReport};
use crate::model::Project;

/// Writes the project as CoNLL; spans a flat format cannot hold are reported.
pub fn write(
    project: &Project,
    opts: &ExportOptions,
    out: &mut dyn Write,
) -> std::io::Result<ExportReport> {
    let mut report = ExportReport::default();
    // Everything after the token, per tag: a line is then two copies.
    let tails = TagNames::new(project).map(|tag| format!(" -X- _ {tag}\n").into_bytes());
    write_tagged(project, opts, &mut report, out, |doc, tagged, sink| {
        sink.buf.extend_from_slice(b"-DOCSTART- -X- O O\n\n");
        let text = doc.text().as_str().as_bytes();
        for (tokens, tags) in tagged.sentences() {
            for (t, &tag) in tokens.iter().zip(tags) {
                sink.buf.extend_from_slice(&text[t.byte_start..t.byte_end]);
                sink.buf.extend_from_slice(
                    TagNames::lookup(&tails, tag).map_or(b" -X- _ ?\n", Vec::as_slice),
                );
            }
            sink.buf.push(b'\n');
            sink.flush_if_full()?;
        }
        Ok(())
    })?;
    // Tokens and tags have no place for a link between two spans: every relation is
    // listed, never left out unseen.
    report.dropped_relations =
        super::relations_not_representable(project, "conll has no place for relations");
    Ok(report)
}
