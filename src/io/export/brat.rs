//! brat standoff: `NAME.txt` holds the text, `NAME.ann` one `T` line per span.

use std::collections::HashSet;
use std::io::Write;

use super::ExportReport;
use crate::model::{Document, Project};

/// File names (without extension) for the documents: safe characters only, unique.
pub fn file_names(project: &Project) -> Vec<String> {
    let mut used = HashSet::new();
    project
        .documents()
        .iter()
        .enumerate()
        .map(|(i, doc)| {
            let mut base: String = doc
                .name
                .chars()
                .map(|c| {
                    if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
                        c
                    } else {
                        '_'
                    }
                })
                .collect();
            if base.is_empty() || base.starts_with('.') {
                base = format!("doc{}{base}", i + 1);
            }
            let mut name = base.clone();
            let mut k = 2;
            while !used.insert(name.to_lowercase()) {
                name = format!("{base}-{k}");
                k += 1;
            }
            name
        })
        .collect()
}

/// The fragments of chars `start..end` between line breaks: brat cannot show a span
/// across lines, so such a span becomes a discontinuous one.
fn fragments(doc: &Document, start: usize, end: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut frag_start = None;
    for (i, c) in doc.text().slice(start, end).chars().enumerate() {
        let pos = start + i;
        if matches!(c, '\n' | '\r') {
            if let Some(s) = frag_start.take() {
                out.push((s, pos));
            }
        } else if frag_start.is_none() {
            frag_start = Some(pos);
        }
    }
    if let Some(s) = frag_start {
        out.push((s, end));
    }
    out
}

/// Writes the `.ann` lines of one document.
pub fn write_ann(
    project: &Project,
    doc: &Document,
    out: &mut dyn Write,
) -> std::io::Result<ExportReport> {
    let mut report = ExportReport::default();
    let mut split = 0;
    for (k, s) in doc.spans().iter().enumerate() {
        let label = project.label(s.label()).map_or("", |l| l.name.as_str());
        // brat labels cannot hold spaces.
        let label = label.replace(char::is_whitespace, "_");
        let frags = fragments(doc, s.start(), s.end());
        if frags.is_empty() {
            continue;
        }
        if frags.len() > 1 {
            split += 1;
        }
        let offsets: Vec<String> = frags.iter().map(|(a, b)| format!("{a} {b}")).collect();
        let texts: Vec<&str> = frags.iter().map(|&(a, b)| doc.text().slice(a, b)).collect();
        writeln!(
            out,
            "T{}\t{label} {}\t{}",
            k + 1,
            offsets.join(";"),
            texts.join(" ")
        )?;
        report.spans += 1;
    }
    if split > 0 {
        report.notes.push(format!(
            "{}: {split} span(s) across line breaks written as discontinuous brat spans",
            doc.name
        ));
    }
    report.documents = 1;
    Ok(report)
}
