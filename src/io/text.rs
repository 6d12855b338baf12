//! Plain-text import.

use std::path::Path;

use super::IoError;
use crate::model::Document;

/// Reads a UTF-8 text file as a document named after the file stem. A BOM is stripped;
/// line endings are kept exactly, so offsets count the stored text.
pub fn read_text_document(path: &Path) -> Result<Document, IoError> {
    let bytes = std::fs::read(path).map_err(|error| IoError::Os {
        path: path.to_path_buf(),
        error,
    })?;
    let text = String::from_utf8(bytes).map_err(|e| IoError::Invalid {
        path: path.to_path_buf(),
        message: format!(
            "not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        ),
    })?;
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    };
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "document".to_string());
    Ok(Document::new(name, text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_stripped_crlf_kept() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a b.txt");
        std::fs::write(&p, "\u{feff}one\r\ntwo").unwrap();
        let d = read_text_document(&p).unwrap();
        assert_eq!(d.name, "a b");
        assert_eq!(d.text().as_str(), "one\r\ntwo");
    }

    #[test]
    fn binary_is_a_clean_error() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.txt");
        std::fs::write(&p, [0x61, 0xff, 0xfe]).unwrap();
        let e = read_text_document(&p).unwrap_err().to_string();
        assert!(e.contains("x.txt") && e.contains("not UTF-8"), "{e}");
    }
}
