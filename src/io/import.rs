//! Importers: plain text, JSONL (doccano `label`, spaCy-style `entities`, doccano's
//! relation extraction layout) and brat standoff (with `annotation.conf`). Nothing is
//! half-done: an import returns every document or an error naming the file and line,
//! unless `skip_bad` asks to skip bad records (each one listed).

mod brat;
mod brat_conf;
mod jsonl;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::IoError;
use crate::model::relation::{check_relation_type_name, default_relation_types};
use crate::model::{
    Document, Label, LabelId, ModelError, PALETTE, Project, RelationType, RelationTypeId,
};

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
    /// The labels: the ones passed in, plus any new ones the input used (or declared,
    /// in brat's `annotation.conf`).
    pub labels: Vec<Label>,
    /// The relation types the input declared (brat's `annotation.conf`) or named (a
    /// relation's type): the documents' relations refer to them by place
    /// (`RelationTypeId(i)` is `relation_types[i]`), and their labels are ids into
    /// [`Self::labels`]. A type only named allows the labels its relations link.
    /// [`Self::into_project`] adds the default types a new project has.
    pub relation_types: Vec<RelationType>,
    /// Records skipped under `skip_bad`, one message each (file:line: why).
    pub skipped: Vec<String>,
    /// Things worth knowing (e.g. discontinuous brat spans split into fragments).
    pub notes: Vec<String>,
    /// Per relation type, whether a file declared it: then its relations must fit it;
    /// a type only named by relations grows to fit them.
    declared: Vec<bool>,
    /// The labels some `annotation.conf` declared: a declared type speaks for these only.
    conf_labels: HashSet<LabelId>,
    /// Each folder's brat `annotation.conf`, read once (`None`: the folder has none).
    brat_confs: HashMap<PathBuf, Option<brat_conf::Conf>>,
}

impl Imported {
    /// The id of the label `name`, adding it (with the next palette colour and a free
    /// digit key) if it is new. Fails once there are more labels than ids.
    fn label(&mut self, name: &str) -> Result<LabelId, String> {
        let too_many = |e: ModelError| format!("label {name:?}: {e}");
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

    /// The place of relation type `name`, adding it if it is new.
    fn type_place(&mut self, name: &str, declared: bool) -> Result<usize, String> {
        if let Some(i) = self.relation_types.iter().position(|t| t.name == name) {
            if let Some(d) = self.declared.get_mut(i) {
                *d |= declared;
            }
            return Ok(i);
        }
        check_relation_type_name(name).map_err(|e| e.to_string())?;
        if self.relation_types.len() >= u32::MAX as usize {
            return Err(format!("relation type {name:?}: too many relation types"));
        }
        // Arrows in the palette's colours from its other end than the labels start.
        let k = self.relation_types.len() % PALETTE.len();
        self.relation_types.push(RelationType {
            name: name.to_string(),
            color: PALETTE[PALETTE.len() - 1 - k],
            hotkey: None,
            from: Vec::new(),
            to: Vec::new(),
        });
        // Kept beside the list, which callers may have touched (its fields are public).
        self.declared.resize(self.relation_types.len() - 1, false);
        self.declared.push(declared);
        Ok(self.relation_types.len() - 1)
    }

    /// Declares relation type `name` as allowing `from` → `to` labels (a brat
    /// `annotation.conf` line); a type declared twice allows what either allows.
    fn declare_relation_type(
        &mut self,
        name: &str,
        from: &[LabelId],
        to: &[LabelId],
    ) -> Result<(), String> {
        let i = self.type_place(name, true)?;
        let t = &mut self.relation_types[i];
        for (have, want) in [(&mut t.from, from), (&mut t.to, to)] {
            for l in want {
                if !have.contains(l) {
                    have.push(*l);
                }
            }
        }
        Ok(())
    }

    /// The id of relation type `name` for a relation from a `from` span to a `to` span,
    /// adding the type if it is new. A declared type must allow those labels where its
    /// file declares them too; otherwise (a type only named by relations, or a label the
    /// file does not know) the type is widened to fit.
    fn relation_type(
        &mut self,
        name: &str,
        from: LabelId,
        to: LabelId,
    ) -> Result<RelationTypeId, String> {
        let i = self.type_place(name, false)?;
        let label = |l: LabelId| {
            self.labels
                .get(l.0 as usize)
                .map_or("?", |l| l.name.as_str())
                .to_string()
        };
        let (from_name, to_name) = (label(from), label(to));
        let strict = self.declared.get(i).copied().unwrap_or(false);
        let t = &mut self.relation_types[i];
        for (have, l) in [(&t.from, from), (&t.to, to)] {
            if strict && self.conf_labels.contains(&l) && !have.contains(&l) {
                return Err(format!(
                    "{name} does not link {from_name} to {to_name}: annotation.conf declares \
                     {name} between other labels"
                ));
            }
        }
        for (have, l) in [(&mut t.from, from), (&mut t.to, to)] {
            if !have.contains(&l) {
                have.push(l);
            }
        }
        Ok(RelationTypeId(i as u32))
    }

    /// The imported documents as a new project: its labels, and its relation types plus
    /// the default ones for the labels (SPEAKER, as a new project has). A type the input
    /// only named after a default one (a doccano `"type": "SPEAKER"`) takes the default's
    /// colour and allowed labels too; a declared one stays as declared.
    pub fn into_project(self) -> Result<Project, ModelError> {
        let mut types = self.relation_types;
        for d in default_relation_types(&self.labels) {
            match types.iter().position(|t| t.name == d.name) {
                None => types.push(d),
                Some(i) if !self.declared.get(i).copied().unwrap_or(false) => {
                    // The default's labels first, in its order, then any others used.
                    let t = &mut types[i];
                    t.color = d.color;
                    for (have, mut all) in [(&mut t.from, d.from), (&mut t.to, d.to)] {
                        all.extend(
                            have.iter()
                                .filter(|l| !all.contains(l))
                                .copied()
                                .collect::<Vec<_>>(),
                        );
                        *have = all;
                    }
                }
                Some(_) => {}
            }
        }
        Project::with_types(self.labels, types, self.documents)
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
            "jsonl" | "json" => jsonl::import_jsonl(&mut imp, path, opts),
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
            crate::model::count(renamed.len(), "document"),
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

#[cfg(test)]
mod tests;
