//! The annotators' gold merge ([`merge`]): the spans each [`Policy`] keeps, the
//! disagreement regions of [`Policy::Agreed`], the gold spans' notes, the least advanced
//! status, the union of the suggestion settings, and the order of a split project
//! restored.

use std::collections::{BTreeSet, HashMap, HashSet};

use super::{LabelMap, MergeError, label_map, match_documents, remap, union_labels};
use crate::model::suggest::SuggestSettings;
use crate::model::{Disagreement, Document, Project, Span, Status};

/// Which spans go into a merged project.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Policy {
    /// Spans every annotator of the document has; every other span is in a
    /// [`Disagreement`]: a region is a cluster of those spans that overlap (across
    /// annotators; touching is not overlapping), listing each annotator's spans there,
    /// maybe none. Agreed spans are gold and never repeated in a version, so resolving
    /// every disagreement with one annotator's version gives back that annotator's spans.
    Agreed,
    /// Spans any annotator has.
    Union,
    /// Spans more than half of the document's annotators have.
    Majority,
}

/// The least advanced of some statuses (todo < in progress < done).
fn least_status(statuses: impl Iterator<Item = Status>) -> Status {
    let rank = |s: Status| Status::ALL.iter().position(|&x| x == s).unwrap_or(0);
    statuses.min_by_key(|&s| rank(s)).unwrap_or_default()
}

/// The gold project of several annotators' projects (name, project): see [`Policy`].
///
/// A document only some annotators have is merged over those (a document of one
/// annotator keeps its spans under every policy), so the projects
/// [`split`](fn@super::split) writes merge back into the whole, in its order: documents
/// come in order of first appearance, except that those carrying their place in a split
/// project ([`Document::split_index`]) are put back in that order among themselves. The
/// merged document's status is the least advanced of theirs; a gold span keeps its note,
/// or the distinct notes of its annotators as "name: note" lines. Disagreements already
/// in the inputs are kept (once each).
///
/// Suggestion settings are the first annotator's, plus the rule sets of the others it
/// does not have (same name and source). A document's rejected suggestions are every
/// annotator's, except those equal to a gold span (someone accepted it).
pub fn merge(annotators: &[(String, &Project)], policy: Policy) -> Result<Project, MergeError> {
    if annotators.is_empty() {
        return Err(MergeError::NoProjects);
    }
    let projects: Vec<&Project> = annotators.iter().map(|(_, p)| *p).collect();
    let labels = union_labels(projects.iter().copied())?;
    let maps: Vec<LabelMap> = projects.iter().map(|p| label_map(p, &labels)).collect();
    let mut documents = Vec::new();
    // Per merged document, its place in the project `split` cut the inputs from.
    let mut split_places: Vec<Option<usize>> = Vec::new();
    for ((name, _), docs) in match_documents(&projects) {
        let present: Vec<(usize, &Document)> = docs
            .iter()
            .enumerate()
            .filter_map(|(i, d)| d.map(|d| (i, d)))
            .collect();
        let (first_i, first) = present[0];
        if let Some(&(i, _)) = present.iter().find(|(_, d)| d.text() != first.text()) {
            return Err(MergeError::TextDiffers {
                document: name,
                a: annotators[first_i].0.clone(),
                b: annotators[i].0.clone(),
            });
        }
        let sets: Vec<(usize, Vec<Span>)> = present
            .iter()
            .map(|&(i, d)| (i, d.spans().iter().map(|s| remap(s, &maps[i])).collect()))
            .collect();
        let n = present.len();
        let mut count: HashMap<Span, usize> = HashMap::new();
        for (_, spans) in &sets {
            for s in spans {
                *count.entry(*s).or_insert(0) += 1;
            }
        }
        let keep = |c: usize| match policy {
            Policy::Agreed => c == n,
            Policy::Union => c >= 1,
            Policy::Majority => 2 * c > n,
        };
        let gold: Vec<Span> = count
            .iter()
            .filter(|(_, c)| keep(**c))
            .map(|(s, _)| *s)
            .collect();
        let notes = gold_notes(&gold, &present, &maps, annotators);
        let mut disagreements: Vec<Disagreement> = Vec::new();
        if policy == Policy::Agreed {
            let rest: HashSet<Span> = count
                .iter()
                .filter(|(_, c)| **c < n)
                .map(|(s, _)| *s)
                .collect();
            let named: Vec<(String, Vec<Span>)> = sets
                .iter()
                .map(|(i, spans)| {
                    let mine = spans.iter().filter(|s| rest.contains(s)).copied().collect();
                    (annotators[*i].0.clone(), mine)
                })
                .collect();
            disagreements = regions(&named);
        }
        for &(i, d) in &present {
            for dis in d.disagreements() {
                let dis = remap_disagreement(dis, &maps[i]);
                if !disagreements.contains(&dis) {
                    disagreements.push(dis);
                }
            }
        }
        let gold_set: HashSet<Span> = gold.iter().copied().collect();
        let rejected: BTreeSet<Span> = present
            .iter()
            .flat_map(|&(i, d)| d.rejected().iter().map(move |s| (i, s)))
            .map(|(i, s)| remap(s, &maps[i]))
            .filter(|s| !gold_set.contains(s))
            .collect();
        let mut doc = Document::with_spans(name, first.text().as_str(), gold)?
            .with_notes(notes)?
            .with_disagreements(disagreements)?
            .with_rejected(rejected)?;
        doc.status = least_status(present.iter().map(|(_, d)| d.status));
        documents.push(doc);
        split_places.push(present.iter().filter_map(|(_, d)| d.split_index).min());
    }
    restore_split_order(&mut documents, &split_places);
    Ok(Project::new(labels.labels().to_vec(), documents)?
        .with_suggest_settings(union_settings(&projects)))
}

/// Puts the documents that carry their place in a split project (`places[i]` for
/// `documents[i]`) back in that order, among the slots they hold; the others stay where
/// they are. The annotators' projects of a [`split`](fn@super::split) each hold a
/// subsequence of the original, so first appearance alone cannot tell how to interleave
/// them.
fn restore_split_order(documents: &mut [Document], places: &[Option<usize>]) {
    let slots: Vec<usize> = (0..documents.len())
        .filter(|&i| places.get(i).copied().flatten().is_some())
        .collect();
    let mut order = slots.clone();
    // Stable: documents of one place (a name split twice) keep their order.
    order.sort_by_key(|&i| places[i]);
    let mut taken: Vec<Option<Document>> = slots
        .iter()
        .map(|&i| Some(std::mem::replace(&mut documents[i], Document::new("", ""))))
        .collect();
    for (&slot, from) in slots.iter().zip(order) {
        // `from` is one of `slots`: its document was taken above, once.
        let k = slots.partition_point(|&s| s < from);
        if let Some(d) = taken.get_mut(k).and_then(Option::take) {
            documents[slot] = d;
        }
    }
}

/// The first project's suggestion settings, with the rule sets of the others it lacks
/// (a rule set is known by name and source: the same file edited apart is both kept).
fn union_settings(projects: &[&Project]) -> SuggestSettings {
    let mut settings = projects
        .first()
        .map(|p| p.suggest_settings().clone())
        .unwrap_or_default();
    for p in projects.iter().skip(1) {
        for set in &p.suggest_settings().rule_sets {
            let known = settings
                .rule_sets
                .iter()
                .any(|r| r.name == set.name && r.source == set.source);
            if !known {
                settings.rule_sets.push(set.clone());
            }
        }
    }
    settings
}

fn remap_disagreement(d: &Disagreement, map: &LabelMap) -> Disagreement {
    Disagreement {
        versions: d
            .versions
            .iter()
            .map(|(n, spans)| (n.clone(), spans.iter().map(|s| remap(s, map)).collect()))
            .collect(),
        ..d.clone()
    }
}

/// Notes of gold spans: the one note, or each annotator's distinct note as "name: note".
fn gold_notes(
    gold: &[Span],
    present: &[(usize, &Document)],
    maps: &[LabelMap],
    annotators: &[(String, &Project)],
) -> Vec<(Span, String)> {
    let gold: HashSet<Span> = gold.iter().copied().collect();
    let mut by_span: HashMap<Span, Vec<(usize, String)>> = HashMap::new();
    for &(i, d) in present {
        for (s, note) in d.notes() {
            let s = remap(s, &maps[i]);
            if gold.contains(&s) {
                let list = by_span.entry(s).or_default();
                if !list.iter().any(|(_, n)| n == note) {
                    list.push((i, note.to_string()));
                }
            }
        }
    }
    by_span
        .into_iter()
        .map(|(s, list)| {
            let note = if list.len() == 1 {
                list[0].1.clone()
            } else {
                let lines: Vec<String> = list
                    .iter()
                    .map(|(i, n)| format!("{}: {n}", annotators[*i].0))
                    .collect();
                lines.join("\n")
            };
            (s, note)
        })
        .collect()
}

/// The disagreement regions of some people's spans: clusters of overlapping spans (over
/// everyone's), each with every person's spans in it (maybe none), in document order.
fn regions(named: &[(String, Vec<Span>)]) -> Vec<Disagreement> {
    let mut all: Vec<Span> = named.iter().flat_map(|(_, s)| s.iter().copied()).collect();
    all.sort_by_key(|s| (s.start(), s.end()));
    let mut hulls: Vec<(usize, usize)> = Vec::new();
    for s in all {
        match hulls.last_mut() {
            // Touching spans (end == start) do not overlap: separate regions.
            Some((_, end)) if s.start() < *end => *end = (*end).max(s.end()),
            _ => hulls.push((s.start(), s.end())),
        }
    }
    hulls
        .into_iter()
        .map(|(start, end)| Disagreement {
            start,
            end,
            versions: named
                .iter()
                .map(|(who, spans)| {
                    let mut mine: Vec<Span> = spans
                        .iter()
                        .filter(|s| s.start() >= start && s.end() <= end)
                        .copied()
                        .collect();
                    mine.sort_by_key(|s| (s.start(), std::cmp::Reverse(s.end()), s.label()));
                    (who.clone(), mine)
                })
                .collect(),
        })
        .collect()
}
