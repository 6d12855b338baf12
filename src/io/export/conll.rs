//! CoNLL-2003 style: `TOKEN -X- _ TAG`, blank lines between sentences, and
//! `-DOCSTART- -X- O O` between documents: the exact line spaCy's `convert -c ner` splits
//! documents at (it reads `-DOCSTART- -X- -X- O` as a token).

use std::io::Write;

use super::tokens::{for_each_tagged, label_names};
use super::{ExportOptions, ExportReport};
use crate::model::Project;

/// Writes the project as CoNLL; spans a flat format cannot hold are reported.
pub fn write(
    project: &Project,
    opts: &ExportOptions,
    out: &mut dyn Write,
) -> std::io::Result<ExportReport> {
    let mut report = ExportReport::default();
    let names = label_names(project);
    for_each_tagged(project, opts, &mut report, |doc, sentences| {
        out.write_all(b"-DOCSTART- -X- O O\n\n")?;
        let text = doc.text().as_str().as_bytes();
        for sentence in sentences {
            for (t, tag) in sentence.tokens.iter().zip(&sentence.tags) {
                out.write_all(&text[t.byte_start..t.byte_end])?;
                out.write_all(b" -X- _ ")?;
                tag.write(&names, out)?;
                out.write_all(b"\n")?;
            }
            out.write_all(b"\n")?;
        }
        Ok(())
    })?;
    Ok(report)
}
