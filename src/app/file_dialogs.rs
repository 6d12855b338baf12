//! Native file dialogs (rfd), and the in-app path field for desktops without them.

use std::path::{Path, PathBuf};

use crate::io::export::Format;
use crate::model::Project;

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

/// The name files of this project are proposed under: its file's stem, else (not saved
/// yet) its one document's name made safe for a file name, else "untitled".
pub(super) fn default_stem(project_path: Option<&Path>, project: &Project) -> String {
    if let Some(stem) = project_path.and_then(|p| p.file_stem()) {
        return stem.to_string_lossy().into_owned();
    }
    let from_doc = match project.documents() {
        [one] => one
            .name
            .chars()
            .map(|c| {
                if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
                    c
                } else {
                    '-'
                }
            })
            .take(60)
            .collect::<String>()
            .trim_matches(['-', '.'])
            .to_string(),
        _ => String::new(),
    };
    if from_doc.is_empty() {
        "untitled".to_string()
    } else {
        from_doc
    }
}

/// Where Save proposes to write a project not saved yet: `saves/` with its name, made
/// unique (`name-2.ron`) so that accepting the proposal never replaces a file.
pub(super) fn default_save_path(stem: &str) -> String {
    let dir = saves_dir();
    (1..1000)
        .map(|n| match n {
            1 => dir.join(format!("{stem}.ron")),
            n => dir.join(format!("{stem}-{n}.ron")),
        })
        .find(|p| !p.exists())
        .unwrap_or_else(|| dir.join(format!("{stem}.ron")))
        .display()
        .to_string()
}

/// Completes the last line of a path field as a shell does on Tab: its last component
/// to the longest prefix shared by the entries of its folder that start with it (hidden
/// ones only when it starts with a dot), with a `/` after a folder that is the only
/// match. `None` when nothing matches or nothing would be added.
pub(super) fn complete_path(text: &str) -> Option<String> {
    let (before, line) = match text.rfind('\n') {
        Some(i) => text.split_at(i + 1),
        None => ("", text),
    };
    let (dir_part, prefix) = match line.rfind('/') {
        Some(i) => line.split_at(i + 1),
        None => ("", line),
    };
    let dir = if dir_part.trim().is_empty() {
        PathBuf::from(".")
    } else {
        typed_path(dir_part)
    };
    // Bounded: a huge folder is read once, and only so far.
    let matches: Vec<(String, bool)> = std::fs::read_dir(dir)
        .ok()?
        .take(100_000)
        .filter_map(|e| {
            let e = e.ok()?;
            let name = e.file_name().into_string().ok()?;
            let shown = prefix.starts_with('.') || !name.starts_with('.');
            (shown && name.starts_with(prefix)).then(|| (name, e.path().is_dir()))
        })
        .collect();
    let (first, _) = matches.first()?;
    let mut common = first.as_str();
    for (name, _) in &matches[1..] {
        let shared = common
            .char_indices()
            .zip(name.chars())
            .find(|((_, a), b)| a != b)
            .map_or(common.len().min(name.len()), |((i, _), _)| i);
        common = &common[..shared];
    }
    let mut out = format!("{before}{dir_part}{common}");
    if let [(_, true)] = matches.as_slice() {
        out.push('/');
    }
    (out != text).then_some(out)
}

/// Where an export goes by default: `saves/` with the project's name.
pub(super) fn default_export_path(stem: &str, format: Format) -> String {
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

    #[test]
    fn tab_completes_the_shared_prefix_then_a_folder_with_its_slash() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().display().to_string();
        std::fs::write(dir.path().join("alpha-project.ron"), "").unwrap();
        std::fs::write(dir.path().join("alpha-notes.txt"), "").unwrap();
        std::fs::create_dir(dir.path().join("beta")).unwrap();
        std::fs::write(dir.path().join(".hidden"), "").unwrap();
        let c = |t: &str| complete_path(t);
        assert_eq!(c(&format!("{d}/al")), Some(format!("{d}/alpha-")));
        assert_eq!(
            c(&format!("{d}/alpha-p")),
            Some(format!("{d}/alpha-project.ron"))
        );
        assert_eq!(c(&format!("{d}/b")), Some(format!("{d}/beta/")));
        assert_eq!(c(&format!("{d}/alpha-")), None, "nothing to add");
        assert_eq!(c(&format!("{d}/zz")), None, "no match");
        assert_eq!(c(&format!("{d}/.h")), Some(format!("{d}/.hidden")));
        assert_eq!(c(&format!("{d}/nowhere/x")), None, "no such folder");
        // The last line of a multi-line field.
        assert_eq!(
            c(&format!("{d}/beta/\n{d}/alpha-p")),
            Some(format!("{d}/beta/\n{d}/alpha-project.ron"))
        );
        // Past a `//`, the absolute path typed there.
        assert_eq!(
            c(&format!("/somewhere//{d}/b")),
            Some(format!("/somewhere//{d}/beta/"))
        );
    }

    #[test]
    fn the_default_name_is_the_file_stem_else_the_one_document_else_untitled() {
        use crate::model::{Document, default_labels};
        let one = Project::new(
            default_labels(),
            vec![Document::new("Bagram: air/base", "x")],
        )
        .unwrap();
        assert_eq!(default_stem(None, &one), "Bagram--air-base");
        assert_eq!(default_stem(Some(Path::new("/p/team.ron")), &one), "team");
        let two = Project::new(
            default_labels(),
            vec![Document::new("a", "x"), Document::new("b", "y")],
        )
        .unwrap();
        assert_eq!(default_stem(None, &two), "untitled");
        assert!(default_save_path("team").ends_with("team.ron"));
        assert!(default_export_path("team", Format::Conll).ends_with("team.conll"));
    }
}
