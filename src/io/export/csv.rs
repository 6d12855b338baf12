//! One CSV row per span (RFC 4180).

use std::io::Write;

use super::ExportReport;
use crate::model::Project;

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

#[cfg(test)]
mod tests {
    use super::field;

    #[test]
    fn quoting() {
        assert_eq!(field("Kabul"), "Kabul");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"no\""), "\"say \"\"no\"\"\"");
        assert_eq!(field("a\r\nb"), "\"a\r\nb\"");
    }
}
