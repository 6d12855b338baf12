//! `spanmark suggest --speakers`: the SPEAKER relations of
//! [`crate::model::suggest::speakers`], printed one JSON object a line, or all added to
//! the project (its arguments are in [`super::Command::Suggest`]; the dispatch is
//! [`super::run`]). Imports from `mod.rs` only, like `run.rs` and `team.rs`.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::bail;

use crate::model::suggest::speakers::{SPEAKER, SpeakerSuggestion, explain_speakers};
use crate::model::{DocId, Edit, Project, Span, Workspace};

/// One end of a printed relation, fields in this order.
#[derive(serde::Serialize)]
struct End<'a> {
    start: usize,
    end: usize,
    label: &'a str,
}

/// One line of `spanmark suggest --speakers`, fields in this order.
#[derive(serde::Serialize)]
struct RelationLine<'a> {
    document: &'a str,
    relation: &'a str,
    from: End<'a>,
    to: End<'a>,
    source: &'a str,
}

/// `spanmark suggest --speakers`: a SPEAKER for each QUOTE that has none, printed as
/// JSONL, or all added (one `AddRelation` each, one undo step) and the project written
/// to `accept_to`.
pub(super) fn suggest(
    path: &Path,
    accept_to: Option<PathBuf>,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let project = crate::io::load_project(path)?;
    let Some(kind) = project.relation_type_id(SPEAKER) else {
        bail!(
            "{}: the project has no {SPEAKER} relation type to suggest (it comes with the \
             labels QUOTE and PERSON or ORG, or from relation_types in the file)",
            path.display()
        );
    };
    let relation = project
        .relation_type(kind)
        .map_or(SPEAKER, |t| t.name.as_str());
    let found: Vec<(DocId, Vec<SpeakerSuggestion>)> = project
        .documents()
        .iter()
        .map(|d| (d.id(), explain_speakers(&project, d)))
        .collect();
    let Some(to) = accept_to else {
        let end = |s: Span| End {
            start: s.start(),
            end: s.end(),
            label: label_name(&project, s),
        };
        for (doc, list) in &found {
            let name = project.document(*doc).map_or("", |d| d.name.as_str());
            for s in list {
                let line = RelationLine {
                    document: name,
                    relation,
                    from: end(s.relation.from()),
                    to: end(s.relation.to()),
                    source: &s.why,
                };
                writeln!(out, "{}", serde_json::to_string(&line)?)?;
            }
        }
        return Ok(());
    };
    let edits: Vec<Edit> = found
        .iter()
        .flat_map(|(doc, list)| {
            list.iter().map(|s| Edit::AddRelation {
                doc: *doc,
                relation: s.relation,
            })
        })
        .collect();
    let (count, documents) = (
        edits.len(),
        found.iter().filter(|(_, l)| !l.is_empty()).count(),
    );
    let mut w = Workspace::new(project);
    w.apply("accept speaker suggestions", edits)?;
    // `-o` may be the project itself: what was there is kept as .bak.
    crate::io::save_project(w.project(), &to)?;
    writeln!(
        out,
        "{}: {} accepted in {}",
        to.display(),
        crate::model::count(count, "speaker suggestion"),
        crate::model::count(documents, "document")
    )?;
    Ok(())
}

/// The name of a span's label ("" for one the project lacks, which a loaded project
/// never has).
fn label_name(project: &Project, s: Span) -> &str {
    project.label(s.label()).map_or("", |l| l.name.as_str())
}
