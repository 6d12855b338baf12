//! Exporters. Each is a pure function from the model to writers; [`export`] puts the
//! result at a path (a file, or a folder for brat).

pub mod brat;
pub mod conll;
pub mod csv;
pub mod hf;
pub mod jsonl;
pub mod labelstudio;
pub mod tokens;

use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use super::IoError;
use crate::model::{Document, LabelId, Project, Relation, Span, count};

/// An export format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// doccano JSONL: `{"id", "text", "label": [[start, end, label]]}`, or with
    /// relations doccano's relation extraction layout (`entities`, `relations`).
    Jsonl,
    /// CoNLL-2003 style token-per-line with IOB2 or BILOU tags.
    Conll,
    /// Hugging Face token-classification JSONL plus a `labels.json` tag list.
    Hf,
    /// brat standoff: a folder of `NAME.txt` + `NAME.ann`, and `annotation.conf`.
    Brat,
    /// Label Studio JSON tasks.
    LabelStudio,
    /// One CSV row per span, and `NAME.relations.csv` with one row per relation.
    Csv,
}

impl Format {
    /// All formats.
    pub const ALL: [Format; 6] = [
        Format::Jsonl,
        Format::Conll,
        Format::Hf,
        Format::Brat,
        Format::LabelStudio,
        Format::Csv,
    ];

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::Jsonl => "jsonl",
            Format::Conll => "conll",
            Format::Hf => "hf",
            Format::Brat => "brat",
            Format::LabelStudio => "labelstudio",
            Format::Csv => "csv",
        }
    }

    /// Parses a command-line name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.name() == name)
    }

    /// The usual file name extension (brat writes a folder).
    pub fn extension(self) -> Option<&'static str> {
        match self {
            Format::Jsonl | Format::Hf => Some("jsonl"),
            Format::Conll => Some("conll"),
            Format::Brat => None,
            Format::LabelStudio => Some("json"),
            Format::Csv => Some("csv"),
        }
    }

    /// Whether the format holds only non-overlapping spans.
    pub fn is_flat(self) -> bool {
        matches!(self, Format::Conll | Format::Hf)
    }
}

/// A tagging scheme for token formats.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Scheme {
    /// B-X, I-X, O.
    #[default]
    Iob2,
    /// B-X, I-X, L-X, U-X, O.
    Bilou,
}

/// Export settings.
#[derive(Clone, Debug, Default)]
pub struct ExportOptions {
    /// Tagging scheme (token formats).
    pub scheme: Scheme,
    /// Labels to keep in flat formats; `None` keeps all.
    pub labels: Option<Vec<LabelId>>,
}

/// A span an export could not hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dropped {
    /// Document name.
    pub document: String,
    /// First char.
    pub start: usize,
    /// One past the last char.
    pub end: usize,
    /// Label name.
    pub label: String,
    /// Why it was left out.
    pub reason: &'static str,
}

impl Dropped {
    fn new(project: &Project, doc: &Document, span: &Span, reason: &'static str) -> Self {
        Self {
            document: doc.name.clone(),
            start: span.start(),
            end: span.end(),
            label: project
                .label(span.label())
                .map_or_else(String::new, |l| l.name.clone()),
            reason,
        }
    }
}

/// A relation an export could not hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DroppedRelation {
    /// Document name.
    pub document: String,
    /// The relation type's name.
    pub kind: String,
    /// The span it starts from: start, end, label name.
    pub from: (usize, usize, String),
    /// The span it points to: start, end, label name.
    pub to: (usize, usize, String),
    /// Why it was left out.
    pub reason: &'static str,
}

impl DroppedRelation {
    fn new(project: &Project, doc: &Document, r: &Relation, reason: &'static str) -> Self {
        let end = |s: Span| {
            let label = project.label(s.label()).map_or("", |l| l.name.as_str());
            (s.start(), s.end(), label.to_string())
        };
        Self {
            document: doc.name.clone(),
            kind: project
                .relation_type(r.kind())
                .map_or_else(String::new, |t| t.name.clone()),
            from: end(r.from()),
            to: end(r.to()),
            reason,
        }
    }
}

/// Every relation of the project, as left out by a format that has no place for
/// relations (`reason` says so).
fn relations_not_representable(project: &Project, reason: &'static str) -> Vec<DroppedRelation> {
    project
        .documents()
        .iter()
        .flat_map(|d| d.relations().iter().map(move |r| (d, r)))
        .map(|(d, r)| DroppedRelation::new(project, d, r, reason))
        .collect()
}

/// What an export wrote and what it left out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExportReport {
    /// Documents written.
    pub documents: usize,
    /// Spans written.
    pub spans: usize,
    /// Spans the format could not hold, each with the reason.
    pub dropped: Vec<Dropped>,
    /// Relations written.
    pub relations: usize,
    /// Relations the format could not hold, each with the reason.
    pub dropped_relations: Vec<DroppedRelation>,
    /// Notes on how spans were written (e.g. brat fragments).
    pub notes: Vec<String>,
}

impl ExportReport {
    /// A short human summary, one line, then one line per dropped span and relation (up
    /// to `max` of each). Relations are counted only when there are some, so the line
    /// for a project without relations is as before relations.
    pub fn summary(&self, max: usize) -> String {
        let mut s = format!(
            "{}, {} written, {} not representable",
            count(self.documents, "document"),
            count(self.spans, "span"),
            self.dropped.len()
        );
        if self.relations > 0 || !self.dropped_relations.is_empty() {
            s.push_str(&format!(
                "; {} written, {} not representable",
                count(self.relations, "relation"),
                self.dropped_relations.len()
            ));
        }
        for d in self.dropped.iter().take(max) {
            s.push_str(&format!(
                "\n  left out: {} {}..{} {} ({})",
                d.document, d.start, d.end, d.label, d.reason
            ));
        }
        if self.dropped.len() > max {
            s.push_str(&format!("\n  … and {} more", self.dropped.len() - max));
        }
        for d in self.dropped_relations.iter().take(max) {
            s.push_str(&format!(
                "\n  left out: {} {} {}..{} {} → {}..{} {} ({})",
                d.document, d.kind, d.from.0, d.from.1, d.from.2, d.to.0, d.to.1, d.to.2, d.reason
            ));
        }
        if self.dropped_relations.len() > max {
            s.push_str(&format!(
                "\n  … and {} more relations",
                self.dropped_relations.len() - max
            ));
        }
        for n in &self.notes {
            s.push_str(&format!("\n  note: {n}"));
        }
        s
    }
}

/// The files an export of `project` in `format` to `out` writes (for brat, the folder
/// `out` itself comes first).
fn targets(project: &Project, format: Format, out: &Path) -> Vec<PathBuf> {
    match format {
        Format::Hf => vec![out.to_path_buf(), hf::labels_path(out)],
        Format::Csv => vec![out.to_path_buf(), csv::relations_path(out)],
        Format::Brat => [out.to_path_buf(), out.join(brat::CONF)]
            .into_iter()
            .chain(brat::file_names(project).iter().flat_map(|name| {
                [
                    out.join(format!("{name}.txt")),
                    out.join(format!("{name}.ann")),
                ]
            }))
            .collect(),
        _ => vec![out.to_path_buf()],
    }
}

/// Refuses an export that would replace a spanmark project or its own input, before
/// anything is written: the output (for hf also its `labels.json`; for brat every
/// `NAME.txt` and `NAME.ann` and its `annotation.conf`; for csv its relations file)
/// must not be a file that starts like a project
/// ([`super::is_project_file`]: a project, its `.bak`, a recovery copy), nor `input`
/// (compared as canonical paths, so a symlink or `./` does not hide it; for a brat
/// `.ann` input, its `.txt` too). hf's data file may not be named `labels.json`, where
/// its tag list goes. [`export`] makes the project check itself; callers that read the
/// project from a file pass it as `input`.
pub fn check_output(
    project: &Project,
    format: Format,
    out: &Path,
    input: Option<&Path>,
) -> Result<(), IoError> {
    let refuse = |path: &Path, message: &str| {
        Err(IoError::Invalid {
            path: path.to_path_buf(),
            message: message.to_string(),
        })
    };
    if format == Format::Hf && hf::labels_path(out) == out {
        return refuse(
            out,
            "the hf export writes its tag list to labels.json beside the data file, so the \
             data cannot be named labels.json (choose another name, e.g. train.jsonl)",
        );
    }
    let canonical = |p: &Path| p.canonicalize().ok();
    let mut inputs: Vec<PathBuf> = Vec::new();
    if let Some(input) = input {
        inputs.extend(canonical(input));
        let is_ann = input
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("ann"));
        if is_ann {
            inputs.extend(canonical(&input.with_extension("txt")));
        }
    }
    for target in targets(project, format, out) {
        if !target.exists() {
            continue;
        }
        if canonical(&target).is_some_and(|t| inputs.contains(&t)) {
            return refuse(
                &target,
                "this is the file being exported: an export never replaces its input \
                 (write it to another file)",
            );
        }
        if target.is_file() && super::is_project_file(&target) {
            return refuse(
                &target,
                "this is a spanmark project: an export never replaces a project (write it \
                 to another file)",
            );
        }
    }
    Ok(())
}

/// Writes `project` in `format` to `out` (a file; for brat, a folder that is created).
/// All or nothing: every file is written to a temporary name first and renamed into
/// place only when all are written, so a failed export replaces nothing. An output that
/// is a spanmark project is refused (see [`check_output`]).
pub fn export(
    project: &Project,
    format: Format,
    opts: &ExportOptions,
    out: &Path,
) -> Result<ExportReport, IoError> {
    check_output(project, format, out, None)?;
    let os = |path: &Path| {
        let path = path.to_path_buf();
        move |error| IoError::Os { path, error }
    };
    let mut batch = super::Batch::new();
    let mut add = |path: &Path, f: &dyn Fn(&mut dyn Write) -> std::io::Result<ExportReport>| {
        let mut buf = BufWriter::new(Vec::new());
        let report = f(&mut buf).map_err(os(path))?;
        let bytes = buf.into_inner().map_err(|e| os(path)(e.into_error()))?;
        batch.add(path, &bytes).map_err(os(path))?;
        Ok::<_, IoError>(report)
    };
    let report = match format {
        Format::Jsonl => add(out, &|w| jsonl::write(project, w))?,
        Format::Conll => add(out, &|w| conll::write(project, opts, w))?,
        Format::LabelStudio => add(out, &|w| labelstudio::write(project, w))?,
        Format::Csv => {
            let mut report = add(out, &|w| csv::write(project, w))?;
            let relations = add(&csv::relations_path(out), &|w| {
                csv::write_relations(project, w)
            })?;
            report.relations = relations.relations;
            report
        }
        Format::Hf => {
            let report = add(out, &|w| hf::write(project, opts, w))?;
            add(&hf::labels_path(out), &|w| {
                hf::write_labels(project, opts, w)?;
                Ok(ExportReport::default())
            })?;
            report
        }
        Format::Brat => {
            let created = !out.exists();
            fs::create_dir_all(out).map_err(os(out))?;
            let written = brat_files(project, out, &mut add);
            if written.is_err() && created {
                // Nothing was written into it: the folder goes too (only if empty).
                let _ = fs::remove_dir(out);
            }
            written?
        }
    };
    batch.commit().map_err(os(out))?;
    Ok(report)
}

/// A writer of one file of an export, returning what it wrote.
type WriteFile<'a> = dyn FnMut(
        &Path,
        &dyn Fn(&mut dyn Write) -> std::io::Result<ExportReport>,
    ) -> Result<ExportReport, IoError>
    + 'a;

/// brat's `NAME.txt` and `NAME.ann` per document, through `add`.
fn brat_files(
    project: &Project,
    out: &Path,
    add: &mut WriteFile<'_>,
) -> Result<ExportReport, IoError> {
    let names = brat::file_names(project);
    let mut report = ExportReport::default();
    for (doc, name) in project.documents().iter().zip(&names) {
        let txt: PathBuf = out.join(format!("{name}.txt"));
        let ann: PathBuf = out.join(format!("{name}.ann"));
        add(&txt, &|w| {
            w.write_all(doc.text().as_str().as_bytes())?;
            Ok(ExportReport::default())
        })?;
        let r = add(&ann, &|w| brat::write_ann(project, doc, w))?;
        report.documents += 1;
        report.spans += r.spans;
        report.relations += r.relations;
        report.dropped_relations.extend(r.dropped_relations);
        report.notes.extend(r.notes);
    }
    let conf = add(&out.join(brat::CONF), &|w| brat::write_conf(project, w))?;
    report.notes.extend(conf.notes);
    Ok(report)
}

#[cfg(test)]
pub(crate) mod relation_tests;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::project::tests::proptests::arb_project;
    use proptest::prelude::*;

    /// Python's `text[start:end]`.
    fn py(text: &str, s: usize, e: usize) -> String {
        text.chars().skip(s).take(e - s).collect()
    }

    /// A small RFC 4180 reader, for checking the CSV exporter.
    fn read_csv(s: &str) -> Vec<Vec<String>> {
        let mut rows = vec![];
        let mut row = vec![];
        let mut field = String::new();
        let mut chars = s.chars().peekable();
        let mut quoted = false;
        while let Some(c) = chars.next() {
            match (quoted, c) {
                (true, '"') if chars.peek() == Some(&'"') => {
                    field.push('"');
                    chars.next();
                }
                (true, '"') => quoted = false,
                (true, c) => field.push(c),
                (false, '"') => quoted = true,
                (false, ',') => row.push(std::mem::take(&mut field)),
                (false, '\r') if chars.peek() == Some(&'\n') => {
                    chars.next();
                    row.push(std::mem::take(&mut field));
                    rows.push(std::mem::take(&mut row));
                }
                (false, c) => field.push(c),
            }
        }
        rows
    }

    type Row = (String, usize, usize, String, String, String);

    proptest! {
        /// Every exporter that writes offsets writes exactly the spans, the text they
        /// quote is exactly `text[start:end]`, and each span's note (empty: none) is
        /// where the format keeps it.
        #[test]
        fn exported_spans_cover_exactly_their_text(project in arb_project()) {
            let mut want: Vec<Row> = project
                .documents()
                .iter()
                .flat_map(|d| d.spans().iter().map(move |s| (d, *s)))
                .map(|(d, s)| (
                    d.name.clone(), s.start(), s.end(),
                    project.label(s.label()).unwrap().name.clone(),
                    py(d.text().as_str(), s.start(), s.end()),
                    d.note(&s).unwrap_or("").to_string(),
                ))
                .collect();
            want.sort();

            let mut buf = Vec::new();
            jsonl::write(&project, &mut buf).unwrap();
            let mut got = vec![];
            for (line, doc) in String::from_utf8(buf).unwrap().lines().zip(project.documents()) {
                let v: serde_json::Value = serde_json::from_str(line).unwrap();
                let text = v["text"].as_str().unwrap();
                prop_assert_eq!(text, doc.text().as_str());
                let notes = v.get("notes").and_then(|n| n.as_array()).cloned().unwrap_or_default();
                prop_assert_eq!(notes.is_empty(), v.get("notes").is_none(), "no empty notes list");
                // With relations, every line is in doccano's relation layout.
                let spans: Vec<serde_json::Value> = match v.get("label") {
                    Some(l) => l.as_array().unwrap().clone(),
                    None => v["entities"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|e| serde_json::json!([e["start_offset"], e["end_offset"], e["label"]]))
                        .collect(),
                };
                for l in &spans {
                    let (s, e) = (l[0].as_u64().unwrap() as usize, l[1].as_u64().unwrap() as usize);
                    let note = notes.iter().find(|n| n[0] == l[0] && n[1] == l[1] && n[2] == l[2]);
                    let note = note.map_or("", |n| n[3].as_str().unwrap()).to_string();
                    got.push((doc.name.clone(), s, e, l[2].as_str().unwrap().to_string(), py(text, s, e), note));
                }
            }
            got.sort();
            prop_assert_eq!(&got, &want);

            let mut buf = Vec::new();
            labelstudio::write(&project, &mut buf).unwrap();
            let tasks: serde_json::Value = serde_json::from_slice(&buf).unwrap();
            let mut got = vec![];
            for (task, doc) in tasks.as_array().unwrap().iter().zip(project.documents()) {
                let text = task["data"]["text"].as_str().unwrap();
                let result = task["annotations"][0]["result"].as_array().unwrap();
                for r in result.iter().filter(|r| r["type"] == "labels") {
                    let v = &r["value"];
                    let (s, e) = (v["start"].as_u64().unwrap() as usize, v["end"].as_u64().unwrap() as usize);
                    prop_assert_eq!(v["text"].as_str().unwrap(), py(text, s, e));
                    let note = r.get("meta").map_or("", |m| m["text"][0].as_str().unwrap()).to_string();
                    got.push((doc.name.clone(), s, e, v["labels"][0].as_str().unwrap().to_string(), py(text, s, e), note));
                }
            }
            got.sort();
            prop_assert_eq!(&got, &want);

            let mut buf = Vec::new();
            csv::write(&project, &mut buf).unwrap();
            let rows = read_csv(&String::from_utf8(buf).unwrap());
            prop_assert_eq!(rows[0].last().map(String::as_str), Some("note"));
            let mut got: Vec<_> = rows[1..]
                .iter()
                .map(|r| (r[0].clone(), r[1].parse().unwrap(), r[2].parse().unwrap(), r[3].clone(), r[4].clone(), r[5].clone()))
                .collect();
            got.sort();
            prop_assert_eq!(&got, &want);

            for doc in project.documents() {
                let mut buf = Vec::new();
                brat::write_ann(&project, doc, &mut buf).unwrap();
                let ann = String::from_utf8(buf).unwrap();
                let mut t_notes = std::collections::HashMap::new();
                for line in ann.lines().filter(|l| l.starts_with('#')) {
                    let parts: Vec<&str> = line.splitn(3, '\t').collect();
                    let target = parts[1].strip_prefix("AnnotatorNotes ").unwrap();
                    prop_assert!(t_notes.insert(target.to_string(), brat::unescape_note(parts[2])).is_none());
                }
                for line in ann.lines().filter(|l| l.starts_with('T')) {
                    let parts: Vec<&str> = line.splitn(3, '\t').collect();
                    // T<k> is span k (from 1); spans of nothing but line breaks are left out.
                    let k: usize = parts[0][1..].parse().unwrap();
                    let span = &doc.spans().as_slice()[k - 1];
                    let (_, offsets) = parts[1].split_once(' ').unwrap();
                    let texts: Vec<String> = offsets
                        .split(';')
                        .map(|f| {
                            let (s, e) = f.split_once(' ').unwrap();
                            py(doc.text().as_str(), s.parse().unwrap(), e.parse().unwrap())
                        })
                        .collect();
                    prop_assert!(texts.iter().all(|t| !t.contains(['\n', '\r'])));
                    prop_assert_eq!(texts.join(" "), parts[2]);
                    let note = t_notes.remove(parts[0]);
                    prop_assert_eq!(note.as_deref(), doc.note(span));
                }
                prop_assert!(t_notes.is_empty(), "notes on no T line: {:?}", t_notes);
            }
        }

        /// JSONL out and back in gives the same documents: spans, and notes, exactly.
        #[test]
        fn jsonl_export_then_import_keeps_notes(project in arb_project()) {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("out.jsonl");
            export(&project, Format::Jsonl, &ExportOptions::default(), &path).unwrap();
            let imp = crate::io::import::import_paths(
                &[path], project.labels().to_vec(), Default::default()).unwrap();
            prop_assert_eq!(imp.labels.as_slice(), project.labels());
            prop_assert_eq!(imp.documents.len(), project.documents().len());
            for (got, want) in imp.documents.iter().zip(project.documents()) {
                prop_assert_eq!(got.spans(), want.spans());
                let (g, w): (Vec<_>, Vec<_>) = (got.notes().collect(), want.notes().collect());
                prop_assert_eq!(g, w);
            }
        }
    }
}
