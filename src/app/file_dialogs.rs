//! Native file dialogs (rfd), and the in-app path field for desktops without them.

use std::path::{Path, PathBuf};

use crate::io::export::Format;

/// Whether a native file dialog can appear. On Linux, rfd asks the desktop portal over
/// D-Bus; with no session bus it would return nothing, so the in-app path field is used.
pub(super) fn native() -> bool {
    if !cfg!(target_os = "linux") {
        return true;
    }
    std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some()
        || std::env::var_os("XDG_RUNTIME_DIR").is_some_and(|d| Path::new(&d).join("bus").exists())
}

/// The folder dialogs start in: `saves/` when it exists here.
pub fn saves_dir() -> PathBuf {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let saves = cwd.join("saves");
    if saves.is_dir() { saves } else { cwd }
}

/// Asks for a project file to open.
pub(super) fn open_project() -> Option<PathBuf> {
    rfd::FileDialog::new()
        .set_title("Open spanmark project")
        .add_filter("spanmark project", &["ron"])
        .set_directory(saves_dir())
        .pick_file()
}

/// Asks where to save the project, proposing `name`.
pub(super) fn save_project(name: String) -> Option<PathBuf> {
    rfd::FileDialog::new()
        .set_title("Save spanmark project")
        .add_filter("spanmark project", &["ron"])
        .set_directory(saves_dir())
        .set_file_name(name)
        .save_file()
}

/// Asks for two or more annotators' project files to compare.
pub(super) fn annotator_projects() -> Option<Vec<PathBuf>> {
    rfd::FileDialog::new()
        .set_title("Compare annotators: choose their project files")
        .add_filter("spanmark project", &["ron"])
        .set_directory(saves_dir())
        .pick_files()
}

/// Asks for plain text files to add as documents.
pub(super) fn text_files() -> Option<Vec<PathBuf>> {
    rfd::FileDialog::new()
        .set_title("Add text documents")
        .add_filter("text", &["txt"])
        .set_directory(saves_dir())
        .pick_files()
}

/// Asks for files to import: text, JSONL or brat.
pub(super) fn import_files() -> Option<Vec<PathBuf>> {
    rfd::FileDialog::new()
        .set_title("Import documents")
        .add_filter("text, JSONL, brat", &["txt", "jsonl", "json", "ann"])
        .set_directory(saves_dir())
        .pick_files()
}

/// Asks for a file to take labels from: a project or a labels.json.
pub(super) fn label_set() -> Option<PathBuf> {
    rfd::FileDialog::new()
        .set_title("Import labels")
        .add_filter("spanmark project or labels.json", &["ron", "json"])
        .set_directory(saves_dir())
        .pick_file()
}

/// Asks for a patterns file (JSONL) or a dictionary (TSV or text) for suggestions.
pub(super) fn rule_file(kind: crate::model::suggest::RuleKind) -> Option<PathBuf> {
    let dialog = rfd::FileDialog::new().set_directory(saves_dir());
    match kind {
        crate::model::suggest::RuleKind::Patterns => dialog
            .set_title("Add a patterns file")
            .add_filter("patterns (JSONL)", &["jsonl", "json"]),
        crate::model::suggest::RuleKind::Dictionary => dialog
            .set_title("Add a dictionary")
            .add_filter("dictionary", &["tsv", "txt", "dic"]),
    }
    .add_filter("any file", &["*"])
    .pick_file()
}

/// Asks where an export goes: a folder for brat, a file otherwise.
pub(super) fn export_target(format: Format) -> Option<PathBuf> {
    let dialog = rfd::FileDialog::new()
        .set_title("Export to")
        .set_directory(saves_dir());
    if format == Format::Brat {
        dialog.pick_folder()
    } else {
        dialog.save_file()
    }
}

/// The status line when a dialog returned nothing.
pub(super) fn no_dialog_hint(fallback: &str) -> String {
    format!("No file chosen. (No file dialog on this desktop? Use File › {fallback})")
}

/// A path typed in the in-app path field. The field starts with a folder; a user who types
/// an absolute path after it (`saves//home/a/x.ron`) means that absolute path, as in GTK's
/// file chooser, so the text from the last `//` on is taken (a `//` means nothing else in a
/// Unix path).
pub(super) fn typed_path(line: &str) -> PathBuf {
    let line = line.trim();
    match line.rfind("//") {
        Some(i) if cfg!(unix) => PathBuf::from(&line[i + 1..]),
        _ => PathBuf::from(line),
    }
}

/// Whether `p` names a project file (rather than text to import).
pub(super) fn is_project_path(p: &Path) -> bool {
    p.extension().is_some_and(|e| e.eq_ignore_ascii_case("ron"))
}

/// Where an export goes by default: `saves/` with the project's name.
pub(super) fn default_export_path(project_path: Option<&Path>, format: Format) -> String {
    let stem = project_path.and_then(|p| p.file_stem()).map_or_else(
        || "untitled".to_string(),
        |s| s.to_string_lossy().into_owned(),
    );
    let file = match format.extension() {
        Some(ext) if ext == format.name() => format!("{stem}.{ext}"),
        Some(ext) => format!("{stem}.{}.{ext}", format.name()),
        None => format!("{stem}-{}", format.name()),
    };
    saves_dir().join(file).display().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_absolute_path_typed_after_the_folder_wins() {
        assert_eq!(
            typed_path(" /w/saves/a.ron "),
            PathBuf::from("/w/saves/a.ron")
        );
        assert_eq!(typed_path("a.ron"), PathBuf::from("a.ron"));
        if cfg!(unix) {
            assert_eq!(
                typed_path("/w/saves//home/u/b.ron"),
                PathBuf::from("/home/u/b.ron")
            );
            assert_eq!(typed_path("/w/saves///x"), PathBuf::from("/x"));
        }
    }
}
