//! Combining projects of the same documents: annotators' projects into one gold project
//! ([`merge`]), and the two sides of a git merge of one project file ([`three_way()`]).
//!
//! Pure: no IO. Documents are matched by name (the k-th document of a name in one project
//! with the k-th of that name in another); their texts must be equal. Labels are matched
//! by name; the result has the first project's labels, then the names only the others
//! have (given a free key and a distinct colour where theirs are taken).
//!
//! Both keep what the suggestion layer adds: the project's
//! [`SuggestSettings`](crate::model::suggest::SuggestSettings) and each document's
//! rejected suggestions (remapped by label name like spans).
//!
//! Both carry relations: relation types are matched by name like labels, and a relation
//! is kept where both its spans are; one the inputs differ on is put in a
//! [`Disagreement`](crate::model::Disagreement)'s versions, never dropped unseen.
//!
//! One file per job: `gold.rs` the annotators' gold merge ([`merge`], [`Policy`]),
//! `split.rs` cutting a project among annotators ([`split()`]), `three_way.rs` git's
//! merge of one project file ([`three_way()`]), `types.rs` relation types matched by
//! name (for both merges). This file holds what they share: the error, and matching
//! labels and documents by name.

use std::collections::HashMap;

use super::{Document, Edit, Label, LabelId, ModelError, Project, Relation, Span};

mod gold;
mod split;
mod three_way;
mod types;

#[cfg(test)]
mod tests;

pub use gold::{Merged, Policy, merge, merge_listing};
pub use split::{Split, split};
pub use three_way::{ThreeWay, three_way};
use types::{TypeMap, type_map, union_types};

/// Why projects could not be merged.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MergeError {
    /// No projects were given.
    #[error("nothing to merge: no projects given")]
    NoProjects,
    /// A document's text is not the same in two projects.
    #[error("document {document:?}: the text differs between {a} and {b}")]
    TextDiffers {
        /// The document's name.
        document: String,
        /// One project (annotator name, or "base"/"ours"/"theirs").
        a: String,
        /// The other.
        b: String,
    },
    /// The merged project breaks a model rule (e.g. too many labels).
    #[error(transparent)]
    Model(#[from] ModelError),
}

/// Every project's labels, matched by name: the first project's as they are, then new
/// names (with a free key and a distinct colour where theirs are taken).
fn union_labels<'a>(
    projects: impl IntoIterator<Item = &'a Project>,
) -> Result<Project, ModelError> {
    let mut projects = projects.into_iter();
    let first = projects
        .next()
        .map_or_else(Vec::new, |p| p.labels().to_vec());
    let mut acc = Project::new(first, Vec::new())?;
    for p in projects {
        if let Some(Edit::InsertLabels { labels }) = acc.import_labels_edit(p.labels()) {
            let mut all: Vec<Label> = acc.labels().to_vec();
            all.extend(labels.into_iter().map(|(_, _, l)| l));
            acc = Project::new(all, Vec::new())?;
        }
    }
    Ok(acc)
}

/// Label ids of one project mapped to the ids of the labels of the same names in another.
type LabelMap = HashMap<LabelId, LabelId>;

/// For each label of `from`, the id of the label of that name in `to` (which has them all).
fn label_map(from: &Project, to: &Project) -> LabelMap {
    from.label_entries()
        .filter_map(|(id, l)| Some((id, to.label_id(&l.name)?)))
        .collect()
}

fn remap(span: &Span, map: &LabelMap) -> Span {
    // Every label of `from` is in `to` (a union of the two), so the fallback never runs.
    span.with_label(map.get(&span.label()).copied().unwrap_or(span.label()))
}

/// A relation with its labels and type renumbered; `None` only if the maps lack them
/// (they never do: the merged project has every input's labels and types).
fn remap_relation(r: &Relation, labels: &LabelMap, types: &TypeMap) -> Option<Relation> {
    let kind = *types.get(&r.kind())?;
    Relation::new(remap(&r.from(), labels), remap(&r.to(), labels), kind).ok()
}

/// Three-way choice: the side that changed, the shared change, or `None` on a conflict.
fn pick<'a, T: PartialEq>(base: &'a T, ours: &'a T, theirs: &'a T) -> Option<&'a T> {
    if ours == theirs || theirs == base {
        Some(ours)
    } else if ours == base {
        Some(theirs)
    } else {
        None
    }
}

/// A document key (name, occurrence of that name) and each project's document of it.
type Matched<'a> = ((String, usize), Vec<Option<&'a Document>>);

/// Documents of several projects matched by (name, occurrence of that name), in order of
/// first appearance: for each, the document of each project that has it.
fn match_documents<'a>(projects: &[&'a Project]) -> Vec<Matched<'a>> {
    let mut order: Vec<Matched<'a>> = Vec::new();
    let mut index: HashMap<(String, usize), usize> = HashMap::new();
    for (pi, p) in projects.iter().enumerate() {
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for d in p.documents() {
            let k = seen.entry(d.name.as_str()).or_insert(0);
            let key = (d.name.clone(), *k);
            *k += 1;
            let i = *index.entry(key.clone()).or_insert_with(|| {
                order.push((key, vec![None; projects.len()]));
                order.len() - 1
            });
            order[i].1[pi] = Some(d);
        }
    }
    order
}
