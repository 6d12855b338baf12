//! Label sets read from other files: a spanmark project's labels, or the tag list
//! (`labels.json`) that the Hugging Face export writes.

use std::path::Path;

use super::{IoError, load_project};
use crate::model::Label;
use crate::model::label::{check_label_name, new_label_named};

/// Reads the labels of a project file (`.ron`: names, colours, keys) or of a tag list
/// (`.json`: `["O", "B-PERSON", "I-PERSON", …]`, IOB2 or BILOU; names in order of first
/// appearance, with fresh colours and keys).
pub fn read_label_set(path: &Path) -> Result<Vec<Label>, IoError> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "ron" => Ok(load_project(path)?.labels().to_vec()),
        "json" => {
            let text = std::fs::read_to_string(path).map_err(|error| IoError::Os {
                path: path.to_path_buf(),
                error,
            })?;
            // A BOM is not JSON, but editors write one.
            let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
            let tags: Vec<String> = serde_json::from_str(text).map_err(|e| IoError::Syntax {
                path: path.to_path_buf(),
                line: e.line(),
                col: e.column(),
                message: format!("expected a list of tags like [\"O\", \"B-PERSON\"]: {e}"),
            })?;
            labels_from_tags(&tags).map_err(|message| IoError::Invalid {
                path: path.to_path_buf(),
                message,
            })
        }
        _ => Err(IoError::Invalid {
            path: path.to_path_buf(),
            message: "labels come from a spanmark project (.ron) or a tag list (labels.json)"
                .to_string(),
        }),
    }
}

/// Label names from tags: the scheme prefix (`B-`, `I-`, `L-`, `U-`, `E-`, `S-`) is
/// dropped and `O` skipped. A name that breaks the label rule is an error naming its tag.
fn labels_from_tags(tags: &[String]) -> Result<Vec<Label>, String> {
    let mut labels: Vec<Label> = Vec::new();
    for tag in tags {
        let name = match tag.split_once('-') {
            Some(("B" | "I" | "L" | "U" | "E" | "S", name)) => name,
            _ => tag.as_str(),
        };
        if name == "O" || name.is_empty() || labels.iter().any(|l| l.name == name) {
            continue;
        }
        check_label_name(name).map_err(|e| format!("tag {tag:?}: {e}"))?;
        let label = new_label_named(&labels, name.to_string());
        labels.push(label);
    }
    Ok(labels)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::export::{self, ExportOptions, Format, Scheme};
    use crate::model::{Document, Project};

    #[test]
    fn tag_lists_give_names_in_order() {
        let tags: Vec<String> = ["O", "B-PERSON", "I-PERSON", "U-GPE", "L-GPE", "B-ORG"]
            .map(String::from)
            .to_vec();
        let labels = labels_from_tags(&tags).unwrap();
        let names: Vec<&str> = labels.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, ["PERSON", "GPE", "ORG"]);
        assert_eq!(labels[2].hotkey, Some('3'));
    }

    #[test]
    fn reads_what_the_hf_export_wrote_and_project_files() {
        let dir = tempfile::tempdir().unwrap();
        let project = Project::with_documents(vec![Document::new("d", "text")]);
        let data = dir.path().join("d.hf.jsonl");
        for scheme in [Scheme::Iob2, Scheme::Bilou] {
            let opts = ExportOptions {
                scheme,
                labels: None,
            };
            export::export(&project, Format::Hf, &opts, &data).unwrap();
            let labels = read_label_set(&export::hf::labels_path(&data)).unwrap();
            let names: Vec<&str> = labels.iter().map(|l| l.name.as_str()).collect();
            assert_eq!(names, ["PERSON", "PLACE", "ORG", "DATE", "QUOTE"]);
        }
        let ron = dir.path().join("p.ron");
        crate::io::save_project(&project, &ron).unwrap();
        assert_eq!(read_label_set(&ron).unwrap(), project.labels());
        let bad = dir.path().join("bad.json");
        std::fs::write(&bad, "{\"not\": \"a list\"}").unwrap();
        let e = read_label_set(&bad).unwrap_err().to_string();
        assert!(
            e.contains("bad.json:1:") && e.contains("list of tags"),
            "{e}"
        );
        // A tag whose name breaks the label rule names the file and the tag; a BOM is
        // read past.
        std::fs::write(&bad, "\u{feff}[\"O\", \"B-PER\", \"B-NEW LABEL\"]").unwrap();
        let e = read_label_set(&bad).unwrap_err().to_string();
        assert!(
            e.contains("bad.json") && e.contains("\"B-NEW LABEL\"") && e.contains("whitespace"),
            "{e}"
        );
    }
}
