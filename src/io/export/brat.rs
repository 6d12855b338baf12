//! brat standoff: `NAME.txt` holds the text, `NAME.ann` one `T` line per span and one
//! `#` (AnnotatorNotes) line per note.

use std::collections::HashSet;
use std::io::Write;

use super::ExportReport;
use crate::model::{Document, Project};

/// The longest file name stem, in bytes: `NAME.txt` and `NAME.ann` then fit the usual
/// file name limit ([`crate::io::NAME_MAX`]).
const MAX_STEM: usize = crate::io::NAME_MAX - ".ann".len();

/// `s` cut to at most `max` bytes, on a char boundary.
fn cut(s: &str, max: usize) -> &str {
    let mut n = s.len().min(max);
    while !s.is_char_boundary(n) {
        n -= 1;
    }
    &s[..n]
}

/// File names (without extension) for the documents: safe characters only, unique (also
/// on case-insensitive file systems), and short enough for the file system: a long
/// document name is cut to [`MAX_STEM`] bytes, its `-2`, `-3` … suffix included.
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
            let mut name = cut(&base, MAX_STEM).to_string();
            let mut k = 2;
            while !used.insert(name.to_lowercase()) {
                let suffix = format!("-{k}");
                name = format!("{}{suffix}", cut(&base, MAX_STEM - suffix.len()));
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

/// The chars other than `\n` and `\r` that end a line for Python's `str.splitlines`,
/// which brat's reader (Python `codecs`) splits `.ann` files with.
const OTHER_LINE_BREAKS: [char; 8] = [
    '\u{b}', '\u{c}', '\u{1c}', '\u{1d}', '\u{1e}', '\u{85}', '\u{2028}', '\u{2029}',
];

/// A note as one brat line: brat reads an `.ann` file line by line, so line breaks and
/// tabs are written as `\n`, `\r`, `\t` (other line separators as `\uXXXX`), and a
/// backslash as `\\`, so that [`unescape_note`] gives back exactly the note.
pub fn escape_note(note: &str) -> String {
    let mut out = String::with_capacity(note.len());
    for c in note.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if OTHER_LINE_BREAKS.contains(&c) => {
                out.push_str(&format!("\\u{:04x}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out
}

/// Reverses [`escape_note`]. A backslash before anything else is kept as written, as
/// brat itself would show it.
pub fn unescape_note(note: &str) -> String {
    let mut out = String::with_capacity(note.len());
    let mut chars = note.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.peek() {
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some('\\') => out.push('\\'),
            Some('u') => {
                let hex: String = chars.clone().skip(1).take(4).collect();
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(c) if hex.len() == 4 && hex.chars().all(|h| h.is_ascii_hexdigit()) => {
                        out.push(c);
                        chars.nth(4);
                    }
                    _ => out.push('\\'),
                }
                continue;
            }
            _ => {
                out.push('\\');
                continue;
            }
        }
        chars.next();
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
    let mut notes = 0;
    for (k, s) in doc.spans().iter().enumerate() {
        // Label names hold no whitespace (model::label::check_label_name), as brat needs.
        let label = project.label(s.label()).map_or("", |l| l.name.as_str());
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
        if let Some(note) = doc.note(s) {
            notes += 1;
            writeln!(
                out,
                "#{notes}\tAnnotatorNotes T{}\t{}",
                k + 1,
                escape_note(note)
            )?;
        }
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

#[cfg(test)]
mod tests {
    use super::{MAX_STEM, escape_note, file_names, unescape_note};
    use crate::model::{Document, Project};
    use proptest::prelude::*;

    /// Long names are cut to fit the file system, and stay unique.
    #[test]
    fn long_names_fit_and_stay_unique() {
        let long = "x".repeat(300);
        let cjk = "東".repeat(200);
        let docs = [&long, &long, &cjk, &cjk, &"y".repeat(240)]
            .map(|n| Document::new(n.as_str(), "t"))
            .to_vec();
        let names = file_names(&Project::with_documents(docs));
        let mut seen = std::collections::HashSet::new();
        for n in &names {
            assert!(n.len() <= MAX_STEM, "{} bytes", n.len());
            assert!(seen.insert(n.to_lowercase()), "{n} twice");
        }
        assert!(names[1].ends_with("-2") && names[3].ends_with("-2"));
        assert_eq!(names[4], "y".repeat(240));
    }

    #[test]
    fn notes_escape_to_one_line() {
        let note = "a\tb\r\nc\\n \u{2028}👍🏽";
        let e = escape_note(note);
        assert_eq!(e, "a\\tb\\r\\nc\\\\n \\u2028👍🏽");
        assert_eq!(unescape_note(&e), note);
        // What brat users type is read as written.
        assert_eq!(unescape_note("C:\\dir \\x \\u12"), "C:\\dir \\x \\u12");
    }

    proptest! {
        #[test]
        fn escaped_notes_come_back_exactly(note in "(\\PC|\\s|\\\\[nrtu\\\\]?)*") {
            let e = escape_note(&note);
            let one_line = e.lines().count() <= 1 && !e.contains(['\t', '\r', '\u{2028}']);
            prop_assert!(one_line, "{:?}", e);
            prop_assert_eq!(unescape_note(&e), note);
        }
    }
}
