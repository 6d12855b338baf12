//! Writing a project as its file: pretty RON, one span (and one relation) per line, in
//! an order that does not depend on ids (a file read back and written again is the same).

use super::file::*;
use crate::model::relation::default_relation_types;
use crate::model::{Document, LabelId, Project, Relation, Span};

/// Serialises a project to pretty RON: one span per line, so diffs stay readable.
pub fn write_project(project: &Project, out: &mut impl std::io::Write) -> std::io::Result<()> {
    let labels = project.labels();
    let file = FileOut {
        version: CURRENT_VERSION,
        labels: labels
            .iter()
            .map(|l| LabelFile {
                name: l.name.clone(),
                color: l.color.to_hex(),
                key: l.hotkey,
            })
            .collect(),
        documents: project
            .documents()
            .iter()
            .map(|d| DocumentOut {
                name: &d.name,
                status: d.status.into(),
                split_index: d.split_index,
                text: d.text().as_str(),
                spans: in_label_order(project, d.spans().iter())
                    .into_iter()
                    .map(|s| SpanOut {
                        start: s.start(),
                        end: s.end(),
                        label: project.label(s.label()).map_or("", |l| l.name.as_str()),
                        note: d.note(s).unwrap_or(""),
                    })
                    .collect(),
                relations: relations_out(project, d.relations().iter()),
                rejected: in_label_order(project, d.rejected().iter())
                    .into_iter()
                    .map(|s| RejectedFile {
                        start: s.start(),
                        end: s.end(),
                        label: project
                            .label(s.label())
                            .map_or(String::new(), |l| l.name.clone()),
                    })
                    .collect(),
                rejected_relations: relations_out(project, d.rejected_relations().iter()),
                disagreements: disagreements_out(project, d),
            })
            .collect(),
        suggest: SuggestFile::of(project.suggest_settings()),
        relation_types: relation_types_out(project),
    };
    // Depth 4 (file, list, document, span list) puts each span struct on one line.
    let pretty = ron::ser::PrettyConfig::new()
        .depth_limit(4)
        .indentor("  ")
        .struct_names(false);
    ron_options()
        .to_io_writer_pretty(&mut *out, &file, pretty)
        .map_err(std::io::Error::other)?;
    out.write_all(b"\n")
}

/// The project's relation types as saved, or `None` when they are the default for its
/// labels (then the file has none, as before relations).
fn relation_types_out(project: &Project) -> Option<Vec<RelationTypeFile>> {
    let name = |l: LabelId| project.label(l).map_or(String::new(), |x| x.name.clone());
    let types: Vec<RelationTypeFile> = project
        .relation_types()
        .iter()
        .map(|t| RelationTypeFile::of(t, name))
        .collect();
    // The defaults name label `i` as id `i`: the i-th label of the list.
    let labels = project.labels();
    let by_place = |l: LabelId| {
        labels
            .get(l.0 as usize)
            .map_or(String::new(), |x| x.name.clone())
    };
    let defaults: Vec<RelationTypeFile> = default_relation_types(labels)
        .iter()
        .map(|t| RelationTypeFile::of(t, by_place))
        .collect();
    (types != defaults).then_some(types)
}

/// A document's relations as saved, in a stable order: by their spans' ranges and the
/// labels' and types' places in the lists (as a file read back orders them).
fn relations_out<'a>(
    project: &Project,
    relations: impl Iterator<Item = &'a Relation>,
) -> Vec<RelationFile> {
    let place = |l: LabelId| project.label_position(l).unwrap_or(usize::MAX);
    let key = |r: &Relation| {
        let (f, t) = (r.from(), r.to());
        (
            (f.start(), f.end(), place(f.label())),
            (t.start(), t.end(), place(t.label())),
            project
                .relation_type_position(r.kind())
                .unwrap_or(usize::MAX),
        )
    };
    let mut list: Vec<&Relation> = relations.collect();
    list.sort_by_key(|r| key(r));
    let span = |s: Span| SpanRefFile {
        start: s.start(),
        end: s.end(),
        label: project
            .label(s.label())
            .map_or(String::new(), |l| l.name.clone()),
    };
    list.into_iter()
        .map(|r| RelationFile {
            from: span(r.from()),
            to: span(r.to()),
            label: project
                .relation_type(r.kind())
                .map_or(String::new(), |t| t.name.clone()),
        })
        .collect()
}

/// Spans sorted by range as given, with spans of the same range in the order of their
/// labels in the project: the order the file had when it was read (label ids are list
/// places then), whatever labels were moved since. Cheap when nothing needs moving.
fn in_label_order<'a>(project: &Project, spans: impl Iterator<Item = &'a Span>) -> Vec<&'a Span> {
    let mut out: Vec<&Span> = spans.collect();
    let place = |s: &Span| project.label_position(s.label()).unwrap_or(usize::MAX);
    let same_range = |a: &Span, b: &Span| (a.start(), a.end()) == (b.start(), b.end());
    let misplaced = out
        .windows(2)
        .any(|w| same_range(w[0], w[1]) && place(w[0]) > place(w[1]));
    if misplaced {
        // Stable: only runs of one range change order.
        let mut i = 0;
        while i < out.len() {
            let j = i + out[i..]
                .iter()
                .take_while(|s| same_range(s, out[i]))
                .count();
            out[i..j].sort_by_key(|s| place(s));
            i = j;
        }
    }
    out
}

/// A document's disagreements as the file writes them (team merge).
fn disagreements_out<'a>(project: &'a Project, d: &'a Document) -> Vec<DisagreementOut<'a>> {
    let span_out = |s: &Span| SpanOut {
        start: s.start(),
        end: s.end(),
        label: project.label(s.label()).map_or("", |l| l.name.as_str()),
        note: "",
    };
    d.disagreements()
        .iter()
        .map(|dis| DisagreementOut {
            start: dis.start,
            end: dis.end,
            versions: dis
                .versions
                .iter()
                .enumerate()
                .map(|(k, (by, spans))| VersionOut {
                    by,
                    spans: spans.iter().map(span_out).collect(),
                    relations: relations_out(project, dis.relations_of(k).iter()),
                })
                .collect(),
        })
        .collect()
}
