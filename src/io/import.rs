//! Importers: plain text, JSONL (doccano `label` or spaCy-style `entities`) and brat
//! standoff. Nothing is half-done: an import returns every document or an error naming
//! the file and line, unless `skip_bad` asks to skip bad records (each one listed).

mod brat;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::IoError;
use crate::model::{Document, Label, LabelId, PALETTE, Span};

/// Import settings.
#[derive(Clone, Copy, Debug, Default)]
pub struct ImportOptions {
    /// Plain text: one document per non-empty line instead of one per file.
    pub split_lines: bool,
    /// Skip bad records (and unreadable files) instead of failing; each is listed.
    pub skip_bad: bool,
}

/// The result of an import.
#[derive(Clone, Debug, Default)]
pub struct Imported {
    /// Documents read, in input order.
    pub documents: Vec<Document>,
    /// The labels: the ones passed in, plus any new ones the input used.
    pub labels: Vec<Label>,
    /// Records skipped under `skip_bad`, one message each (file:line: why).
    pub skipped: Vec<String>,
    /// Things worth knowing (e.g. discontinuous brat spans split into fragments).
    pub notes: Vec<String>,
}

impl Imported {
    /// The id of the label `name`, adding it (with the next palette colour and a free
    /// digit key) if it is new. Fails once there are more labels than ids.
    fn label(&mut self, name: &str) -> Result<LabelId, String> {
        let too_many = |e: crate::model::ModelError| format!("label {name:?}: {e}");
        if let Some(i) = self.labels.iter().position(|l| l.name == name) {
            return LabelId::from_index(i).map_err(too_many);
        }
        crate::model::label::check_label_name(name).map_err(|e| e.to_string())?;
        let id = LabelId::from_index(self.labels.len()).map_err(too_many)?;
        let used: HashSet<char> = self.labels.iter().filter_map(|l| l.hotkey).collect();
        let hotkey = ('1'..='9').find(|k| !used.contains(k));
        self.labels.push(Label {
            name: name.to_string(),
            color: PALETTE[self.labels.len() % PALETTE.len()],
            hotkey,
        });
        Ok(id)
    }
}

fn invalid(path: &Path, message: String) -> IoError {
    IoError::Invalid {
        path: path.to_path_buf(),
        message,
    }
}

fn read_utf8(path: &Path) -> Result<String, IoError> {
    let text = read_utf8_keep_bom(path)?;
    Ok(match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    })
}

/// A UTF-8 file as written, BOM included (brat counts it in its offsets).
fn read_utf8_keep_bom(path: &Path) -> Result<String, IoError> {
    let bytes = std::fs::read(path).map_err(|error| IoError::Os {
        path: path.to_path_buf(),
        error,
    })?;
    String::from_utf8(bytes).map_err(|e| {
        invalid(
            path,
            format!(
                "not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        )
    })
}

fn stem(path: &Path) -> String {
    path.file_stem().map_or_else(
        || "document".to_string(),
        |s| s.to_string_lossy().into_owned(),
    )
}

/// Imports files by kind: `.ann` with the `.txt` of the same name as brat, `.jsonl` and
/// `.json` as JSONL, anything else as plain text.
pub fn import_paths(
    paths: &[PathBuf],
    labels: Vec<Label>,
    opts: ImportOptions,
) -> Result<Imported, IoError> {
    let mut imp = Imported {
        labels,
        ..Default::default()
    };
    let ext = |p: &Path| {
        p.extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default()
    };
    // A .txt whose .ann is also being imported belongs to that brat pair.
    let brat_txts: HashSet<PathBuf> = paths
        .iter()
        .filter(|p| ext(p) == "ann")
        .map(|p| p.with_extension("txt"))
        .collect();
    for path in paths {
        let result = match ext(path).as_str() {
            "ann" => brat::import_brat(&mut imp, &path.with_extension("txt"), path, opts),
            "jsonl" | "json" => import_jsonl(&mut imp, path, opts),
            _ if brat_txts.contains(path) => Ok(()),
            _ => import_text(&mut imp, path, opts),
        };
        match result {
            Ok(()) => {}
            Err(e) if opts.skip_bad => imp.skipped.push(e.to_string()),
            Err(e) => return Err(e),
        }
    }
    unique_names(&mut imp);
    Ok(imp)
}

/// Document names are unique in a project: a name an earlier document took gets a
/// number ("d (2)"), with a note saying so.
fn unique_names(imp: &mut Imported) {
    let mut names: HashSet<String> = HashSet::with_capacity(imp.documents.len());
    let mut renamed = Vec::new();
    for doc in &mut imp.documents {
        if names.contains(&doc.name) {
            let new = crate::model::unique_name(&doc.name, |n| names.contains(n));
            renamed.push(format!("{:?} → {:?}", doc.name, new));
            doc.name = new;
        }
        names.insert(doc.name.clone());
    }
    if !renamed.is_empty() {
        let shown: Vec<&str> = renamed.iter().take(5).map(String::as_str).collect();
        let more = renamed.len().saturating_sub(shown.len());
        imp.notes.push(format!(
            "{} renamed, as another document has its name: {}{}",
            if renamed.len() == 1 {
                "1 document".to_string()
            } else {
                format!("{} documents", renamed.len())
            },
            shown.join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        ));
    }
}

fn import_text(imp: &mut Imported, path: &Path, opts: ImportOptions) -> Result<(), IoError> {
    let text = read_utf8(path)?;
    let name = stem(path);
    if opts.split_lines {
        for (i, line) in text.lines().enumerate() {
            if !line.trim().is_empty() {
                imp.documents
                    .push(Document::new(format!("{name}-{}", i + 1), line));
            }
        }
    } else {
        imp.documents.push(Document::new(name, text));
    }
    Ok(())
}

/// Reads `[start, end, label]` triples or `{start(_offset), end(_offset), label}` objects.
fn parse_spans(value: &Value) -> Result<Vec<(u64, u64, String)>, String> {
    let Some(items) = value.as_array() else {
        return Err("spans must be a list".to_string());
    };
    items
        .iter()
        .map(|item| {
            let triple = match item {
                Value::Array(a) if a.len() == 3 => (
                    a[0].as_u64(),
                    a[1].as_u64(),
                    a[2].as_str().map(str::to_string),
                ),
                Value::Object(o) => (
                    o.get("start_offset")
                        .or(o.get("start"))
                        .and_then(Value::as_u64),
                    o.get("end_offset").or(o.get("end")).and_then(Value::as_u64),
                    o.get("label").and_then(Value::as_str).map(str::to_string),
                ),
                _ => (None, None, None),
            };
            match triple {
                (Some(s), Some(e), Some(l)) => Ok((s, e, l)),
                _ => Err(format!("bad span {item}: expected [start, end, \"LABEL\"]")),
            }
        })
        .collect()
}

fn import_jsonl(imp: &mut Imported, path: &Path, opts: ImportOptions) -> Result<(), IoError> {
    let source = read_utf8(path)?;
    let base = stem(path);
    for (i, line) in source.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let at = |msg: String| invalid(path, format!("line {}: {msg}", i + 1));
        match jsonl_record(imp, line, &base, i + 1) {
            Ok(doc) => imp.documents.push(doc),
            Err(msg) if opts.skip_bad => imp.skipped.push(at(msg).to_string()),
            Err(msg) => return Err(at(msg)),
        }
    }
    Ok(())
}

fn jsonl_record(imp: &mut Imported, line: &str, base: &str, n: usize) -> Result<Document, String> {
    let value: Value = serde_json::from_str(line).map_err(|e| format!("malformed JSON: {e}"))?;
    let text = value
        .get("text")
        .and_then(Value::as_str)
        .ok_or("no \"text\" string")?;
    let name = match value.get("id") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(x)) => x.to_string(),
        _ => format!("{base}-{n}"),
    };
    let raw = match (value.get("label"), value.get("entities")) {
        // Both: taken when they agree (or one is empty); otherwise which one is meant
        // cannot be told, and keeping one would drop the other's spans unseen.
        (Some(l), Some(e)) => {
            let (mut l, mut e) = (parse_spans(l)?, parse_spans(e)?);
            l.sort();
            e.sort();
            if !l.is_empty() && !e.is_empty() && l != e {
                return Err(
                    "has both \"label\" and \"entities\", with different spans: give one"
                        .to_string(),
                );
            }
            if l.is_empty() { e } else { l }
        }
        (Some(v), None) | (None, Some(v)) => parse_spans(v)?,
        (None, None) => Vec::new(),
    };
    let len = text.chars().count() as u64;
    let mut spans = Vec::with_capacity(raw.len());
    for (s, e, label) in raw {
        if e > len {
            return Err(format!(
                "span [{s}, {e}, {label:?}] ends past the text ({len} characters)"
            ));
        }
        let id = imp.label(&label)?;
        let span = Span::new(s as usize, e as usize, id)
            .map_err(|err| format!("span [{s}, {e}, {label:?}]: {err}"))?;
        spans.push(span);
    }
    let doc = Document::with_spans(name, text, spans).map_err(|e| e.to_string())?;
    let notes = match value.get("notes") {
        Some(v) => parse_notes(imp, v, &doc)?,
        None => Vec::new(),
    };
    doc.with_notes(notes).map_err(|e| e.to_string())
}

/// Reads `"notes": [[start, end, label, note]]`: each must name a span of the record.
/// Two notes on one span are kept, one after the other.
fn parse_notes(
    imp: &mut Imported,
    value: &Value,
    doc: &Document,
) -> Result<Vec<(Span, String)>, String> {
    let Some(items) = value.as_array() else {
        return Err("\"notes\" must be a list".to_string());
    };
    let mut notes: Vec<(Span, String)> = Vec::with_capacity(items.len());
    for item in items {
        let bad = || format!("bad note {item}: expected [start, end, \"LABEL\", \"note\"]");
        let Some([s, e, label, note]) = item.as_array().map(Vec::as_slice) else {
            return Err(bad());
        };
        let (Some(s), Some(e), Some(label), Some(note)) =
            (s.as_u64(), e.as_u64(), label.as_str(), note.as_str())
        else {
            return Err(bad());
        };
        // Only a label the spans use can match, so this adds no label of its own.
        let span = imp
            .labels
            .iter()
            .position(|l| l.name == label)
            .and_then(|i| LabelId::from_index(i).ok())
            .and_then(|id| Span::new(s as usize, e as usize, id).ok())
            .filter(|span| doc.spans().contains(span))
            .ok_or_else(|| format!("note on [{s}, {e}, {label:?}], which is not in \"label\""))?;
        match notes.iter_mut().find(|(sp, _)| *sp == span) {
            Some((_, text)) => {
                text.push('\n');
                text.push_str(note);
            }
            None => notes.push((span, note.to_string())),
        }
    }
    Ok(notes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::default_labels;

    fn write(dir: &Path, name: &str, content: &str) -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, content).unwrap();
        p
    }

    #[test]
    fn jsonl_doccano_and_spacy_forms() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(
            dir.path(),
            "in.jsonl",
            "{\"id\": 7, \"text\": \"👨‍👩‍👧 in 東京\", \"label\": [[9, 11, \"PLACE\"]]}\n\n\
             {\"text\": \"Zabihullah Mujahid\", \"entities\": [{\"start_offset\": 0, \"end_offset\": 18, \"label\": \"SPOKESMAN\"}]}\n",
        );
        let imp = import_paths(&[p], default_labels(), ImportOptions::default()).unwrap();
        assert_eq!(imp.documents.len(), 2);
        assert_eq!(imp.documents[0].name, "7");
        let s = imp.documents[0].spans().iter().next().copied().unwrap();
        assert_eq!(imp.documents[0].span_text(&s), "東京");
        assert_eq!(imp.documents[1].name, "in-3");
        assert_eq!(imp.labels.len(), 6);
        assert_eq!(imp.labels[5].name, "SPOKESMAN");
        assert_eq!(imp.labels[5].hotkey, Some('6'));
    }

    /// A record with both `label` and `entities` kept `label` and dropped the entities
    /// without a word. Now: agreeing (or one empty) they are read once; differing, the
    /// record is an error naming its line.
    #[test]
    fn label_and_entities_together() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(
            dir.path(),
            "both.jsonl",
            "{\"text\": \"Kabul Doha\", \"label\": [[0, 5, \"PLACE\"]], \"entities\": [[0, 5, \"PLACE\"]]}\n\
             {\"text\": \"Kabul Doha\", \"label\": [], \"entities\": [[6, 10, \"PLACE\"]]}\n",
        );
        let imp = import_paths(&[p], default_labels(), ImportOptions::default()).unwrap();
        assert_eq!(imp.documents[0].spans().len(), 1);
        assert_eq!(imp.documents[1].spans().len(), 1);
        let p = write(
            dir.path(),
            "differ.jsonl",
            "{\"text\": \"a\"}\n{\"text\": \"Kabul Doha\", \"label\": [[0, 5, \"PLACE\"]], \"entities\": [[6, 10, \"PLACE\"]]}\n",
        );
        let e = import_paths(&[p], default_labels(), ImportOptions::default())
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("differ.jsonl")
                && e.contains("line 2")
                && e.contains("both \"label\" and \"entities\""),
            "{e}"
        );
    }

    /// A label the formats cannot hold is an error naming the file, line and label.
    #[test]
    fn bad_label_names_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        for (name, label) in [("nl.jsonl", "a\\nb"), ("tab.jsonl", "NEW LABEL\\tX")] {
            let p = write(
                dir.path(),
                name,
                &format!(
                    "{{\"text\": \"ab\"}}\n{{\"text\": \"ab\", \"label\": [[0, 1, \"{label}\"]]}}\n"
                ),
            );
            let e = import_paths(&[p], default_labels(), ImportOptions::default())
                .unwrap_err()
                .to_string();
            assert!(
                e.contains(name) && e.contains("line 2") && e.contains(&format!("\"{label}\"")),
                "{e}"
            );
        }
        let p = write(
            dir.path(),
            "e.jsonl",
            "{\"text\": \"ab\", \"label\": [[0, 1, \"\"]]}\n",
        );
        let e = import_paths(&[p], default_labels(), ImportOptions::default()).unwrap_err();
        assert!(e.to_string().contains("needs a name"), "{e}");
    }

    /// A new label past the last id is an error, not a wrapped id naming another label.
    #[test]
    fn too_many_labels_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(
            dir.path(),
            "many.jsonl",
            "{\"text\": \"ab\", \"label\": [[0, 1, \"L0\"], [0, 2, \"NEW\"]]}\n",
        );
        let labels: Vec<Label> = (0..usize::from(u16::MAX))
            .map(|i| Label {
                name: format!("L{i}"),
                color: PALETTE[0],
                hotkey: None,
            })
            .collect();
        let e = import_paths(&[p], labels, ImportOptions::default())
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("many.jsonl") && e.contains("line 1") && e.contains("too many labels"),
            "{e}"
        );
    }

    #[test]
    fn jsonl_errors_name_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(
            dir.path(),
            "bad.jsonl",
            "{\"text\": \"ok\", \"label\": []}\n{\"text\": \"abc\", \"label\": [[0, 9, \"X\"]]}\n{oops\n",
        );
        let e = import_paths(
            std::slice::from_ref(&p),
            default_labels(),
            ImportOptions::default(),
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("bad.jsonl") && e.contains("line 2") && e.contains("past the text"),
            "{e}"
        );
        let imp = import_paths(
            &[p],
            default_labels(),
            ImportOptions {
                skip_bad: true,
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(imp.documents.len(), 1);
        assert_eq!(imp.skipped.len(), 2);
        assert!(imp.skipped[1].contains("line 3") && imp.skipped[1].contains("malformed JSON"));
    }

    #[test]
    fn brat_pairs_fragments_and_mismatch() {
        let dir = tempfile::tempdir().unwrap();
        let txt = write(dir.path(), "d.txt", "New\nYork and 🇦🇫 Kabul");
        let ann = write(
            dir.path(),
            "d.ann",
            "T1\tPLACE 0 3;4 8\tNew York\nT2\tPLACE 16 21\tKabul\n#1\tAnnotatorNotes T1\tx\n",
        );
        let imp = import_paths(
            &[txt.clone(), ann.clone()],
            default_labels(),
            ImportOptions::default(),
        )
        .unwrap();
        assert_eq!(imp.documents.len(), 1);
        let doc = &imp.documents[0];
        let texts: Vec<&str> = doc.spans().iter().map(|s| doc.span_text(s)).collect();
        assert_eq!(texts, ["New", "York", "Kabul"]);
        // The note on the discontinuous T1 goes to both of its fragments.
        let noted: Vec<&str> = doc.notes().map(|(_, n)| n).collect();
        assert_eq!(noted, ["x", "x"]);
        assert_eq!(imp.notes.len(), 1, "{:?}", imp.notes);
        write(dir.path(), "d.ann", "T1\tPLACE 15 20\tKabul\n");
        let e = import_paths(&[ann], default_labels(), ImportOptions::default())
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("d.ann") && e.contains("line 1") && e.contains("does not match"),
            "{e}"
        );
    }

    /// brat counts a BOM as char 0: with no text column to check, the offsets must still
    /// land on the right words once the BOM is dropped.
    #[test]
    fn brat_bom_counts_as_a_char() {
        let dir = tempfile::tempdir().unwrap();
        let txt = write(dir.path(), "b.txt", "\u{feff}New York");
        let ann = write(dir.path(), "b.ann", "T1\tPLACE 1 4\nT2\tPLACE 5 9\n");
        let imp = import_paths(&[txt, ann], default_labels(), ImportOptions::default()).unwrap();
        let doc = &imp.documents[0];
        assert_eq!(doc.text().as_str(), "New York");
        let texts: Vec<&str> = doc.spans().iter().map(|s| doc.span_text(s)).collect();
        assert_eq!(texts, ["New", "York"]);
    }

    /// The span texts of the one document imported from `txt` and `ann`.
    fn span_texts(txt: &std::path::Path, ann: std::path::PathBuf) -> Vec<String> {
        let imp = import_paths(
            &[txt.to_path_buf(), ann],
            default_labels(),
            ImportOptions::default(),
        )
        .unwrap();
        let doc = &imp.documents[0];
        doc.spans()
            .iter()
            .map(|s| doc.span_text(s).to_string())
            .collect()
    }

    /// With quoted texts, both readings are tried: brat's (BOM counted) first, then
    /// offsets counted without the BOM, as some tools write them.
    #[test]
    fn brat_bom_offsets_checked_against_both_readings() {
        let dir = tempfile::tempdir().unwrap();
        let txt = write(dir.path(), "q.txt", "\u{feff}New York");
        let ann = write(
            dir.path(),
            "q.ann",
            "T1\tPLACE 1 4\tNew\nT2\tPLACE 5 9\tYork\n",
        );
        assert_eq!(span_texts(&txt, ann), ["New", "York"]);
        let ann = write(
            dir.path(),
            "q.ann",
            "T1\tPLACE 0 3\tNew\nT2\tPLACE 4 8\tYork\n",
        );
        assert_eq!(span_texts(&txt, ann), ["New", "York"]);
        // Neither reading fits: an error naming the line.
        let ann = write(dir.path(), "q.ann", "T1\tPLACE 2 5\tNew\n");
        let e = import_paths(&[txt, ann], default_labels(), ImportOptions::default())
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("q.ann") && e.contains("line 1") && e.contains("does not match"),
            "{e}"
        );
    }

    fn note_of<'a>(doc: &'a Document, text: &str) -> Option<&'a str> {
        let span = doc.spans().iter().find(|s| doc.span_text(s) == text)?;
        doc.note(span)
    }

    #[test]
    fn jsonl_notes_are_read_and_must_name_a_span() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(
            dir.path(),
            "n.jsonl",
            "{\"text\": \"Kabul and 東京\", \"label\": [[0, 5, \"PLACE\"], [10, 12, \"PLACE\"]], \
             \"notes\": [[10, 12, \"PLACE\", \"say \\\"Tokyo\\\"\\n👍🏽\"], [10, 12, \"PLACE\", \"again\"]]}\n",
        );
        let imp = import_paths(&[p], default_labels(), ImportOptions::default()).unwrap();
        let doc = &imp.documents[0];
        assert_eq!(note_of(doc, "東京"), Some("say \"Tokyo\"\n👍🏽\nagain"));
        assert_eq!(note_of(doc, "Kabul"), None);
        for bad in [
            "[[0, 5, \"PERSON\", \"x\"]]",
            "[[0, 4, \"PLACE\", \"x\"]]",
            "[[0, 5, \"NEW\", \"x\"]]",
            "[[0, 5, \"PLACE\"]]",
            "{}",
        ] {
            let p = write(
                dir.path(),
                "bad.jsonl",
                &format!(
                    "{{\"text\": \"Kabul\", \"label\": [[0, 5, \"PLACE\"]], \"notes\": {bad}}}\n"
                ),
            );
            let e = import_paths(&[p], default_labels(), ImportOptions::default())
                .unwrap_err()
                .to_string();
            assert!(
                e.contains("bad.jsonl") && e.contains("line 1"),
                "{bad}: {e}"
            );
        }
    }

    #[test]
    fn brat_notes_unescaped_and_unknown_targets_refused() {
        let dir = tempfile::tempdir().unwrap();
        let txt = write(dir.path(), "b.txt", "Kabul and 東京");
        let ann = write(
            dir.path(),
            "b.ann",
            "#1\tAnnotatorNotes T2\tline\\none\\ttab \\\\ \"q\" 👍🏽\nT1\tPLACE 0 5\tKabul\n\
             T2\tPLACE 10 12\t東京\nR1\tnear Arg1:T1 Arg2:T2\n#2\tAnnotatorNotes R1\tnot a span\n",
        );
        let imp = import_paths(
            &[txt.clone(), ann.clone()],
            default_labels(),
            ImportOptions::default(),
        )
        .unwrap();
        let doc = &imp.documents[0];
        assert_eq!(note_of(doc, "東京"), Some("line\none\ttab \\ \"q\" 👍🏽"));
        assert_eq!(doc.note_count(), 1);
        assert!(imp.notes[0].contains("2 line(s)"), "{:?}", imp.notes);
        write(
            dir.path(),
            "b.ann",
            "T1\tPLACE 0 5\tKabul\n#1\tAnnotatorNotes T9\tx\n",
        );
        let e = import_paths(&[txt, ann], default_labels(), ImportOptions::default())
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("b.ann") && e.contains("line 2") && e.contains("T9"),
            "{e}"
        );
    }

    #[test]
    fn text_split_lines_keeps_crlf_otherwise() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(dir.path(), "t.txt", "\u{feff}one\r\n\r\ntwo\r\n");
        let imp = import_paths(
            std::slice::from_ref(&p),
            default_labels(),
            ImportOptions::default(),
        )
        .unwrap();
        assert_eq!(imp.documents[0].text().as_str(), "one\r\n\r\ntwo\r\n");
        let imp = import_paths(
            &[p],
            default_labels(),
            ImportOptions {
                split_lines: true,
                ..Default::default()
            },
        )
        .unwrap();
        let names: Vec<&str> = imp.documents.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["t-1", "t-3"]);
        assert_eq!(imp.documents[1].text().as_str(), "two");
    }
}
