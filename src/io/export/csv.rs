//! One CSV row per span (RFC 4180), and beside it one row per relation.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::ExportReport;
use crate::model::Project;

/// The header of the relations file.
pub const RELATIONS_HEADER: &str =
    "document,type,from_start,from_end,from_label,to_start,to_end,to_label,from_text,to_text";

/// Where the relations go: `NAME.relations.csv` beside `NAME.csv` (the chosen file's
/// name with `.relations` before its extension; `csv` when it has none).
pub fn relations_path(data: &Path) -> PathBuf {
    let stem = data
        .file_stem()
        .map_or_else(|| "export".into(), |s| s.to_string_lossy().into_owned());
    let ext = data
        .extension()
        .map_or_else(|| "csv".into(), |e| e.to_string_lossy().into_owned());
    data.with_file_name(format!("{stem}.relations.{ext}"))
}

/// Quotes a field when it holds a comma, quote or line break; quotes are doubled.
fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Writes `document,start,end,label,text,note` rows with CRLF line ends; `note` is empty
/// for a span without one.
pub fn write(project: &Project, out: &mut dyn Write) -> std::io::Result<ExportReport> {
    let mut report = ExportReport::default();
    out.write_all(b"document,start,end,label,text,note\r\n")?;
    for doc in project.documents() {
        let name = field(&doc.name);
        for s in doc.spans().iter() {
            let label = project.label(s.label()).map_or("", |l| l.name.as_str());
            write!(
                out,
                "{name},{},{},{},{},{}\r\n",
                s.start(),
                s.end(),
                field(label),
                field(doc.span_text(s)),
                field(doc.note(s).unwrap_or(""))
            )?;
            report.spans += 1;
        }
        report.documents += 1;
    }
    Ok(report)
}

/// Writes the relations file: a header ([`RELATIONS_HEADER`]), then one row per
/// relation with CRLF line ends: the type, both spans as `start,end,label` (as in the
/// spans file, so rows join on them) and both spans' texts.
pub fn write_relations(project: &Project, out: &mut dyn Write) -> std::io::Result<ExportReport> {
    let mut report = ExportReport::default();
    write!(out, "{RELATIONS_HEADER}\r\n")?;
    let label = |l| project.label(l).map_or("", |l| l.name.as_str());
    for doc in project.documents() {
        let name = field(&doc.name);
        for r in doc.relations().iter() {
            let kind = project
                .relation_type(r.kind())
                .map_or("", |t| t.name.as_str());
            let (from, to) = (r.from(), r.to());
            write!(
                out,
                "{name},{},{},{},{},{},{},{},{},{}\r\n",
                field(kind),
                from.start(),
                from.end(),
                field(label(from.label())),
                to.start(),
                to.end(),
                field(label(to.label())),
                field(doc.span_text(&from)),
                field(doc.span_text(&to)),
            )?;
            report.relations += 1;
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::{field, relations_path};
    use std::path::Path;

    #[test]
    fn relations_file_is_beside_the_chosen_one() {
        let p = |s: &str| relations_path(Path::new(s));
        assert_eq!(p("out/a.csv"), Path::new("out/a.relations.csv"));
        assert_eq!(p("a"), Path::new("a.relations.csv"));
        assert_eq!(p("a.tsv.csv"), Path::new("a.tsv.relations.csv"));
        assert_eq!(p("a.relations.csv"), Path::new("a.relations.relations.csv"));
    }

    #[test]
    fn quoting() {
        assert_eq!(field("Kabul"), "Kabul");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"no\""), "\"say \"\"no\"\"\"");
        assert_eq!(field("a\r\nb"), "\"a\r\nb\"");
    }
}
