//! brat standoff: `NAME.txt` holds the text, `NAME.ann` one `T` line per span, one `#`
//! (AnnotatorNotes) line per note and one `R` line per relation; `annotation.conf`
//! declares the labels and relation types.

use std::collections::HashSet;
use std::io::Write;

use super::{DroppedRelation, ExportReport};
use crate::model::{Document, LabelId, Project};

/// The name of brat's configuration file, beside the `.txt` and `.ann` files.
pub const CONF: &str = "annotation.conf";

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

/// Writes the `.ann` lines of one document: `T<k>` for its k-th span (from 1), each
/// note after its span, then `R<n><TAB>TYPE Arg1:T<from> Arg2:T<to>` per relation.
pub fn write_ann(
    project: &Project,
    doc: &Document,
    out: &mut dyn Write,
) -> std::io::Result<ExportReport> {
    let mut report = ExportReport::default();
    let mut split = 0;
    let mut notes = 0;
    // Which spans got a T line (one of only line breaks cannot), for the R lines.
    let mut has_t = vec![false; doc.spans().len()];
    for (k, s) in doc.spans().iter().enumerate() {
        // Label names hold no whitespace (model::label::check_label_name), as brat needs.
        let label = project.label(s.label()).map_or("", |l| l.name.as_str());
        let frags = fragments(doc, s.start(), s.end());
        if frags.is_empty() {
            continue;
        }
        has_t[k] = true;
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
    let t_of = |span: crate::model::Span| {
        doc.spans()
            .position(&span)
            .filter(|&k| has_t.get(k).copied().unwrap_or(false))
    };
    for r in doc.relations().iter() {
        let (Some(from), Some(to)) = (t_of(r.from()), t_of(r.to())) else {
            let reason = "an end is only line breaks, which brat cannot show as an entity";
            report
                .dropped_relations
                .push(DroppedRelation::new(project, doc, r, reason));
            continue;
        };
        // Type names hold no whitespace (model::relation::check_relation_type_name).
        let kind = project
            .relation_type(r.kind())
            .map_or("", |t| t.name.as_str());
        report.relations += 1;
        writeln!(
            out,
            "R{}\t{kind} Arg1:T{} Arg2:T{}",
            report.relations,
            from + 1,
            to + 1
        )?;
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

/// Whether brat takes `name` as written for a type in `annotation.conf`: brat stores
/// only names of ASCII letters, digits, `_` and `-` (others it renames, so they would no
/// longer match the `.ann` lines), and reads a line of hyphens as a separator.
fn conf_name_ok(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && !name.chars().all(|c| c == '-')
}

/// Writes brat's `annotation.conf`: every label as an entity type, every relation type
/// as `NAME Arg1:FROM|..., Arg2:TO|...`, and an `<OVERLAP>` rule that lets spans nest
/// and cross, as spanmark's may. Names brat cannot take as written
/// ([`conf_name_ok`]) are left out, with a note, as are types left with no label at an
/// end.
pub fn write_conf(project: &Project, out: &mut dyn Write) -> std::io::Result<ExportReport> {
    let mut report = ExportReport::default();
    let mut left_out: Vec<&str> = Vec::new();
    writeln!(
        out,
        "# The labels and relation types of a spanmark project."
    )?;
    writeln!(out, "[entities]")?;
    for label in project.labels() {
        if conf_name_ok(&label.name) {
            writeln!(out, "{}", label.name)?;
        } else {
            left_out.push(&label.name);
        }
    }
    writeln!(out, "[relations]")?;
    let names = |ids: &[LabelId]| {
        let names: Vec<&str> = ids
            .iter()
            .filter_map(|l| project.label(*l))
            .map(|l| l.name.as_str())
            .filter(|n| conf_name_ok(n))
            .collect();
        names.join("|")
    };
    let mut unlinked: Vec<&str> = Vec::new();
    for t in project.relation_types() {
        let (from, to) = (names(&t.from), names(&t.to));
        if !conf_name_ok(&t.name) {
            left_out.push(&t.name);
        } else if from.is_empty() || to.is_empty() {
            unlinked.push(&t.name);
        } else {
            writeln!(out, "{} Arg1:{from}, Arg2:{to}", t.name)?;
        }
    }
    // Without it brat flags nested and crossing spans, which spanmark allows.
    writeln!(
        out,
        "<OVERLAP> Arg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>"
    )?;
    writeln!(out, "[events]")?;
    writeln!(out, "[attributes]")?;
    if !left_out.is_empty() {
        report.notes.push(format!(
            "{CONF}: {} left out: brat takes only ASCII letters, digits, _ and - in type \
             names (their annotations are in the .ann files; brat shows them as undeclared)",
            left_out.join(", ")
        ));
    }
    if !unlinked.is_empty() {
        report.notes.push(format!(
            "{CONF}: relation type(s) {} left out: no label brat can name at one end",
            unlinked.join(", ")
        ));
    }
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
