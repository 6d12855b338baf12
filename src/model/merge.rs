//! Combining projects of the same documents: annotators' projects into one gold project
//! ([`merge`]), and the two sides of a git merge of one project file ([`three_way`]).
//!
//! Pure: no IO. Documents are matched by name (the k-th document of a name in one project
//! with the k-th of that name in another); their texts must be equal. Labels are matched
//! by name; the result has the first project's labels, then the names only the others
//! have (given a free key and a distinct colour where theirs are taken).
//!
//! Both keep what the suggestion layer adds: the project's [`SuggestSettings`] and each
//! document's rejected suggestions (remapped by label name like spans).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use super::suggest::SuggestSettings;
use super::{Disagreement, Document, Edit, Label, LabelId, ModelError, Project, Span, Status};

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

/// The least advanced of some statuses (todo < in progress < done).
fn least_status(statuses: impl Iterator<Item = Status>) -> Status {
    let rank = |s: Status| Status::ALL.iter().position(|&x| x == s).unwrap_or(0);
    statuses.min_by_key(|&s| rank(s)).unwrap_or_default()
}

/// The gold project of several annotators' projects (name, project): see [`Policy`].
///
/// A document only some annotators have is merged over those (a document of one
/// annotator keeps its spans under every policy), so the projects [`split`] writes merge
/// back into the whole, in its order: documents come in order of first appearance,
/// except that those carrying their place in a split project
/// ([`Document::split_index`]) are put back in that order among themselves. The merged document's status is the least advanced of theirs; a
/// gold span keeps its note, or the distinct notes of its annotators as "name: note"
/// lines. Disagreements already in the inputs are kept (once each).
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
/// they are. The annotators' projects of a [`split`] each hold a subsequence of the
/// original, so first appearance alone cannot tell how to interleave them.
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

/// The projects [`split`] makes: one per annotator, and which documents all of them have.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Split {
    /// Annotator i's project: the shared documents and their round-robin share, in the
    /// original order, with every label.
    pub projects: Vec<Project>,
    /// Indices (in the original project) of the documents every annotator has.
    pub shared: Vec<usize>,
}

/// Splits a project among `annotators` people: `round(n * overlap_percent / 100)` of the
/// `n` documents, spread evenly through the project (document `floor(i * n / k)` for
/// `i < k`), go to everyone — agreement is measured on them; the others go round-robin in
/// order. `overlap_percent` is clamped to 0..=100; `annotators` must be at least 1.
pub fn split(project: &Project, annotators: usize, overlap_percent: f64) -> Split {
    let annotators = annotators.max(1);
    let n = project.documents().len();
    let pct = if overlap_percent.is_nan() {
        0.0
    } else {
        overlap_percent.clamp(0.0, 100.0)
    };
    // Rounded to the nearest document count; the cast is within 0..=n.
    let k = ((n as f64) * pct / 100.0).round() as usize;
    let k = k.min(n);
    let shared: Vec<usize> = (0..k).map(|i| i * n / k.max(1)).collect();
    let shared_set: HashSet<usize> = shared.iter().copied().collect();
    let mut docs: Vec<Vec<Document>> = vec![Vec::new(); annotators];
    let mut next = 0;
    for (i, d) in project.documents().iter().enumerate() {
        // Its place here goes with it, so `merge` can put it back.
        let mut d = d.clone();
        d.split_index = Some(i);
        if shared_set.contains(&i) {
            for list in &mut docs {
                list.push(d.clone());
            }
        } else {
            docs[next % annotators].push(d);
            next += 1;
        }
    }
    let projects = docs
        .into_iter()
        .map(|documents| {
            project
                .with_same_labels(documents)
                .unwrap_or_else(|_| project.clone())
        })
        .collect();
    Split { projects, shared }
}

/// The result of [`three_way`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ThreeWay {
    /// The merged project; each conflict is a [`Disagreement`] with versions "ours" and
    /// "theirs".
    pub project: Project,
    /// How many conflicting span changes it holds as disagreements.
    pub conflicts: usize,
    /// Things settled by keeping ours (a note, a status or a suggestion setting changed
    /// both ways, a document changed on one side and deleted on the other), one readable
    /// line each.
    pub warnings: Vec<String>,
}

/// One side's document with labels as names, so three projects compare.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Side {
    text: String,
    status: Status,
    /// Label names per range: a span's identity in a three-way merge is its range.
    spans: BTreeMap<(usize, usize), BTreeSet<String>>,
    notes: BTreeMap<(usize, usize, String), String>,
    disagreements: Vec<NamedDisagreement>,
    /// Rejected suggestions, by label name.
    rejected: BTreeSet<NamedSpan>,
    /// The document's place in the project `split` cut this one from.
    split_index: Option<usize>,
}

type NamedSpan = (usize, usize, String);
type NamedDisagreement = (usize, usize, Vec<(String, Vec<NamedSpan>)>);

impl Side {
    fn of(d: &Document, p: &Project) -> Self {
        let name = |s: &Span| p.label(s.label()).map_or(String::new(), |l| l.name.clone());
        let mut spans: BTreeMap<(usize, usize), BTreeSet<String>> = BTreeMap::new();
        for s in d.spans().iter() {
            spans
                .entry((s.start(), s.end()))
                .or_default()
                .insert(name(s));
        }
        Self {
            text: d.text().as_str().to_string(),
            status: d.status,
            spans,
            notes: d
                .notes()
                .map(|(s, n)| ((s.start(), s.end(), name(s)), n.to_string()))
                .collect(),
            disagreements: d
                .disagreements()
                .iter()
                .map(|dis| {
                    let versions = dis
                        .versions
                        .iter()
                        .map(|(by, spans)| {
                            (
                                by.clone(),
                                spans
                                    .iter()
                                    .map(|s| (s.start(), s.end(), name(s)))
                                    .collect(),
                            )
                        })
                        .collect();
                    (dis.start, dis.end, versions)
                })
                .collect(),
            rejected: d
                .rejected()
                .iter()
                .map(|s| (s.start(), s.end(), name(s)))
                .collect(),
            split_index: d.split_index,
        }
    }

    /// A document with this side's text and nothing else: the base of a document both
    /// sides added.
    fn empty(text: &str) -> Self {
        Self {
            text: text.to_string(),
            status: Status::Todo,
            spans: BTreeMap::new(),
            notes: BTreeMap::new(),
            disagreements: Vec::new(),
            rejected: BTreeSet::new(),
            split_index: None,
        }
    }
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

/// Merges two sides of a project file changed from a common base, span by span.
///
/// A span's identity is its range: per range, each side has a set of labels. A change on
/// one side is taken; the same change on both is taken once; different changes to one
/// range (relabelled two ways, or relabelled on one side and removed on the other) are a
/// conflict, kept as a [`Disagreement`] over the range with versions "ours" and "theirs":
/// labels both sides give the range stay as spans, and each version lists the others. Spans both sides added over different ranges are
/// all kept, even when they overlap: nested spans are legal, and a bounds disagreement
/// shows as two overlapping spans to fix by hand rather than failing the merge.
///
/// Documents added or removed on one side are added or removed (a document changed on
/// one side and removed on the other is kept, with a warning); a document both sides
/// added is merged as if from an empty base. Labels: the union by name (ours, then
/// theirs' new ones). Notes and statuses: the side that changed; changed both ways, ours
/// is kept with a warning. Disagreements and rejected suggestions, item by item against
/// the base: one added on either side is kept, one removed (resolved) on either side
/// goes, so resolving different disagreements on the two sides leaves neither open. Suggestion settings (learned on/off, ignore case,
/// the list of rule sets, each on its own): the side that changed; changed both ways,
/// ours with a warning. Texts must match.
pub fn three_way(base: &Project, ours: &Project, theirs: &Project) -> Result<ThreeWay, MergeError> {
    let labels = union_labels([ours, theirs])?;
    let projects = [base, ours, theirs];
    let mut out = ThreeWay {
        project: Project::new(Vec::new(), Vec::new())?,
        conflicts: 0,
        warnings: Vec::new(),
    };
    let matched = match_documents(&projects);
    // (name, only theirs has it, merged side)
    let mut merged: Vec<(String, bool, Side)> = Vec::new();
    for ((name, _), docs) in &matched {
        let side = |i: usize| docs[i].map(|d| Side::of(d, projects[i]));
        let (b, o, t) = (side(0), side(1), side(2));
        let texts = [("base", &b), ("ours", &o), ("theirs", &t)];
        let present: Vec<(&str, &Side)> = texts
            .iter()
            .filter_map(|(n, s)| s.as_ref().map(|s| (*n, s)))
            .collect();
        if let Some((who, _)) = present.iter().find(|(_, s)| s.text != present[0].1.text) {
            return Err(MergeError::TextDiffers {
                document: name.clone(),
                a: present[0].0.to_string(),
                b: who.to_string(),
            });
        }
        let result = match (b, o, t) {
            (Some(b), Some(o), Some(t)) => Some((false, merge_side(name, &b, &o, &t, &mut out))),
            (None, Some(o), Some(t)) => {
                let b = Side::empty(&o.text);
                Some((false, merge_side(name, &b, &o, &t, &mut out)))
            }
            (None, Some(o), None) => Some((false, o)),
            (None, None, Some(t)) => Some((true, t)),
            (Some(b), Some(o), None) | (Some(b), None, Some(o)) if o == b => None,
            (Some(_), Some(o), None) => {
                out.warnings.push(format!(
                    "document {name:?}: changed here and deleted on the other side; kept"
                ));
                Some((false, o))
            }
            (Some(_), None, Some(t)) => {
                out.warnings.push(format!(
                    "document {name:?}: deleted here and changed on the other side; kept"
                ));
                Some((true, t))
            }
            (Some(_), None, None) | (None, None, None) => None,
        };
        if let Some((theirs_only, side)) = result {
            merged.push((name.clone(), theirs_only, side));
        }
    }
    // Ours' documents in ours' order, then the ones only theirs has, in theirs' order.
    let (mut first, mut later) = (Vec::new(), Vec::new());
    for (name, theirs_only, side) in merged {
        let doc = build(name, &side, &labels)?;
        if theirs_only {
            later.push(doc);
        } else {
            first.push(doc);
        }
    }
    first.extend(later);
    let settings = three_way_settings(
        base.suggest_settings(),
        ours.suggest_settings(),
        theirs.suggest_settings(),
        &mut out.warnings,
    );
    out.project = Project::new(labels.labels().to_vec(), first)?.with_suggest_settings(settings);
    Ok(out)
}

/// Three-way merge of the suggestion settings, field by field (so switching the learned
/// source off on one side and adding a dictionary on the other keeps both).
fn three_way_settings(
    b: &SuggestSettings,
    o: &SuggestSettings,
    t: &SuggestSettings,
    warnings: &mut Vec<String>,
) -> SuggestSettings {
    fn field<T: PartialEq + Clone>(
        what: &str,
        b: &T,
        o: &T,
        t: &T,
        warnings: &mut Vec<String>,
    ) -> T {
        pick(b, o, t).cloned().unwrap_or_else(|| {
            warnings.push(format!(
                "suggestion settings: {what} changed both ways; kept ours"
            ));
            o.clone()
        })
    }
    SuggestSettings {
        learned: field(
            "the learned source (on/off)",
            &b.learned,
            &o.learned,
            &t.learned,
            warnings,
        ),
        ignore_case: field(
            "ignore case",
            &b.ignore_case,
            &o.ignore_case,
            &t.ignore_case,
            warnings,
        ),
        rule_sets: field(
            "the rule sets",
            &b.rule_sets,
            &o.rule_sets,
            &t.rule_sets,
            warnings,
        ),
    }
}

/// The document a merged side describes, with `labels`' ids.
fn build(name: String, side: &Side, labels: &Project) -> Result<Document, ModelError> {
    let id = |l: &str| labels.label_id(l).ok_or(ModelError::UnknownLabel(u32::MAX));
    let span = |(s, e, l): &NamedSpan| Span::new(*s, *e, id(l)?);
    let mut spans = Vec::new();
    for (&(s, e), names) in &side.spans {
        for l in names {
            spans.push(span(&(s, e, l.clone()))?);
        }
    }
    let notes = side
        .notes
        .iter()
        .map(|(k, n)| Ok((span(k)?, n.clone())))
        .collect::<Result<Vec<_>, ModelError>>()?;
    let mut disagreements = Vec::new();
    for (start, end, versions) in &side.disagreements {
        let mut vs = Vec::new();
        for (by, list) in versions {
            vs.push((
                by.clone(),
                list.iter().map(span).collect::<Result<Vec<_>, _>>()?,
            ));
        }
        disagreements.push(Disagreement {
            start: *start,
            end: *end,
            versions: vs,
        });
    }
    let rejected = side
        .rejected
        .iter()
        .map(span)
        .collect::<Result<Vec<_>, _>>()?;
    let mut doc = Document::with_spans(name, side.text.as_str(), spans)?
        .with_notes(notes)?
        .with_disagreements(disagreements)?
        .with_rejected(rejected)?;
    doc.status = side.status;
    doc.split_index = side.split_index;
    Ok(doc)
}

/// Three-way merge of one document's sides (texts already checked equal).
fn merge_side(name: &str, b: &Side, o: &Side, t: &Side, out: &mut ThreeWay) -> Side {
    let none = BTreeSet::new();
    let ranges: BTreeSet<(usize, usize)> = b
        .spans
        .keys()
        .chain(o.spans.keys())
        .chain(t.spans.keys())
        .copied()
        .collect();
    let mut spans = BTreeMap::new();
    let mut conflicts = Vec::new();
    for r in ranges {
        let get = |side: &Side| side.spans.get(&r).unwrap_or(&none).clone();
        let (sb, so, st) = (get(b), get(o), get(t));
        match pick(&sb, &so, &st) {
            Some(labels) if labels.is_empty() => {}
            Some(labels) => {
                spans.insert(r, labels.clone());
            }
            None => {
                // Labels both sides have stay; the versions hold only where they differ,
                // as agreed spans are never repeated in a version.
                let common: BTreeSet<String> = so.intersection(&st).cloned().collect();
                let version = |set: &BTreeSet<String>| -> Vec<NamedSpan> {
                    set.difference(&common)
                        .map(|l| (r.0, r.1, l.clone()))
                        .collect()
                };
                let versions = vec![
                    ("ours".to_string(), version(&so)),
                    ("theirs".to_string(), version(&st)),
                ];
                conflicts.push((r.0, r.1, versions));
                if !common.is_empty() {
                    spans.insert(r, common);
                }
            }
        }
    }
    out.conflicts += conflicts.len();
    // Notes of the spans that stay: the side that changed, else ours.
    let mut notes = BTreeMap::new();
    for (&(s, e), labels) in &spans {
        for l in labels {
            let key = (s, e, l.clone());
            let get = |side: &Side| side.notes.get(&key).cloned();
            let (nb, no, nt) = (get(b), get(o), get(t));
            let note = match pick(&nb, &no, &nt) {
                Some(n) => n.clone(),
                None => {
                    out.warnings.push(format!(
                        "document {name:?}: the note on {s}..{e} {l} was changed both ways; kept ours"
                    ));
                    no.clone()
                }
            };
            if let Some(n) = note {
                notes.insert(key, n);
            }
        }
    }
    let status = match pick(&b.status, &o.status, &t.status) {
        Some(s) => *s,
        None => {
            out.warnings.push(format!(
                "document {name:?}: status set to {} here and {} on the other side; kept {}",
                o.status.as_str(),
                t.status.as_str(),
                o.status.as_str()
            ));
            o.status
        }
    };
    // Item by item against the base, as rejections below: a disagreement resolved on
    // either side is gone, one added on either side stays (resolving different ones on
    // the two sides leaves neither open).
    let sets: [HashSet<&NamedDisagreement>; 3] =
        [b, o, t].map(|side| side.disagreements.iter().collect());
    let mut seen: HashSet<&NamedDisagreement> = HashSet::new();
    let mut disagreements: Vec<NamedDisagreement> = Vec::new();
    for d in o.disagreements.iter().chain(&t.disagreements) {
        let [hb, ho, ht] = [0, 1, 2].map(|i| sets[i].contains(d));
        if seen.insert(d) && pick(&hb, &ho, &ht).is_some_and(|&keep| keep) {
            disagreements.push(d.clone());
        }
    }
    disagreements.extend(conflicts);
    // A set merge: each rejection is in or out, and a side that changed that wins (two
    // sides cannot change one boolean two ways).
    let rejected = b
        .rejected
        .iter()
        .chain(&o.rejected)
        .chain(&t.rejected)
        .filter(|r| {
            let has = |side: &Side| side.rejected.contains(*r);
            pick(&has(b), &has(o), &has(t)).is_some_and(|&keep| keep)
        })
        .cloned()
        .collect();
    Side {
        text: o.text.clone(),
        status,
        spans,
        notes,
        disagreements,
        rejected,
        // Written by `split` only; changed both ways, ours.
        split_index: *pick(&b.split_index, &o.split_index, &t.split_index)
            .unwrap_or(&o.split_index),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::model::suggest::{RuleKind, RuleSet};
    use crate::model::{Label, PALETTE, default_labels};
    use proptest::prelude::*;

    // Default labels: 0 PERSON, 1 PLACE, 2 ORG, 3 DATE, 4 QUOTE (by name below).
    const TEXT: &str = "Ashraf Ghani met Amrullah Saleh in Kabul on Monday.";

    fn sp(s: usize, e: usize, l: u32) -> Span {
        Span::new(s, e, LabelId(l)).unwrap()
    }

    fn project(docs: Vec<(&str, Vec<Span>)>) -> Project {
        let docs = docs
            .into_iter()
            .map(|(name, spans)| Document::with_spans(name, TEXT, spans).unwrap())
            .collect();
        Project::new(default_labels(), docs).unwrap()
    }

    fn spans(p: &Project, doc: usize) -> Vec<Span> {
        p.documents()[doc].spans().as_slice().to_vec()
    }

    #[test]
    fn agreed_union_and_majority_by_hand() {
        // alice, bob, carol on one document:
        //   0..12 PERSON   all three           -> every policy
        //   17..30 PERSON  alice, bob          -> union, majority; a disagreement
        //   17..25 PERSON  carol               -> union; same region as above
        //   34..39 PLACE   alice               -> union; its own region
        //   43..49 DATE    bob, carol          -> union, majority; a region
        let a = project(vec![(
            "d",
            vec![sp(0, 12, 0), sp(17, 30, 0), sp(34, 39, 1)],
        )]);
        let b = project(vec![(
            "d",
            vec![sp(0, 12, 0), sp(17, 30, 0), sp(43, 49, 3)],
        )]);
        let c = project(vec![(
            "d",
            vec![sp(0, 12, 0), sp(17, 25, 0), sp(43, 49, 3)],
        )]);
        let all = [
            ("alice".to_string(), &a),
            ("bob".to_string(), &b),
            ("carol".to_string(), &c),
        ];
        let agreed = merge(&all, Policy::Agreed).unwrap();
        assert_eq!(spans(&agreed, 0), vec![sp(0, 12, 0)]);
        let d = agreed.documents()[0].disagreements();
        assert_eq!(d.len(), 3);
        assert_eq!((d[0].start, d[0].end), (17, 30));
        assert_eq!(d[0].version("alice"), Some(&[sp(17, 30, 0)][..]));
        assert_eq!(d[0].version("carol"), Some(&[sp(17, 25, 0)][..]));
        assert_eq!((d[1].start, d[1].end), (34, 39));
        assert_eq!(d[1].version("bob"), Some(&[][..]));
        assert_eq!((d[2].start, d[2].end), (43, 49));
        assert_eq!(d[2].version("alice"), Some(&[][..]));
        assert_eq!(d[2].version("carol"), Some(&[sp(43, 49, 3)][..]));
        let union = merge(&all, Policy::Union).unwrap();
        assert_eq!(
            spans(&union, 0),
            vec![
                sp(0, 12, 0),
                sp(17, 30, 0),
                sp(17, 25, 0),
                sp(34, 39, 1),
                sp(43, 49, 3)
            ]
        );
        assert!(union.documents()[0].disagreements().is_empty());
        let majority = merge(&all, Policy::Majority).unwrap();
        assert_eq!(
            spans(&majority, 0),
            vec![sp(0, 12, 0), sp(17, 30, 0), sp(43, 49, 3)]
        );
        // Of two annotators, majority needs both.
        let two = merge(&all[..2], Policy::Majority).unwrap();
        assert_eq!(spans(&two, 0), vec![sp(0, 12, 0), sp(17, 30, 0)]);
    }

    #[test]
    fn labels_match_by_name_and_documents_by_name() {
        let a = project(vec![
            ("x", vec![sp(0, 6, 0)]),
            ("only-a", vec![sp(0, 6, 1)]),
        ]);
        // b's labels in another order, with a new one; its documents in another order.
        let mut labels = default_labels();
        labels.swap(0, 1);
        labels.push(Label {
            name: "EVENT".into(),
            color: PALETTE[0],
            hotkey: Some('1'),
        });
        let docs = vec![
            Document::with_spans("only-b", TEXT, vec![sp(0, 6, 5)]).unwrap(),
            Document::with_spans("x", TEXT, vec![sp(0, 6, 1)]).unwrap(),
        ];
        let b = Project::new(labels, docs).unwrap();
        let gold = merge(&[("a".into(), &a), ("b".into(), &b)], Policy::Agreed).unwrap();
        let names: Vec<&str> = gold.documents().iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["x", "only-a", "only-b"]);
        assert_eq!(gold.labels().len(), 6);
        let event = gold.label_id("EVENT").unwrap();
        assert_ne!(
            gold.labels()[5].hotkey,
            Some('1'),
            "a key already taken gets a free one"
        );
        // b's PERSON (its id 1) is a's PERSON (id 0): they agree.
        assert_eq!(spans(&gold, 0), vec![sp(0, 6, 0)]);
        // A document one annotator has keeps its spans.
        assert_eq!(spans(&gold, 1), vec![sp(0, 6, 1)]);
        assert_eq!(spans(&gold, 2), vec![sp(0, 6, event.0)]);
    }

    #[test]
    fn differing_text_is_an_error_naming_the_document() {
        let a = project(vec![("d", vec![])]);
        let b = Project::new(default_labels(), vec![Document::new("d", "other")]).unwrap();
        let e = merge(&[("a".into(), &a), ("b".into(), &b)], Policy::Union).unwrap_err();
        assert_eq!(
            e,
            MergeError::TextDiffers {
                document: "d".into(),
                a: "a".into(),
                b: "b".into()
            }
        );
        assert!(e.to_string().contains("\"d\""));
        assert_eq!(merge(&[], Policy::Union), Err(MergeError::NoProjects));
    }

    #[test]
    fn notes_and_status_of_the_gold() {
        let mut a = Document::with_spans("d", TEXT, vec![sp(0, 12, 0)]).unwrap();
        a = a
            .with_notes([(sp(0, 12, 0), "president".to_string())])
            .unwrap();
        a.status = Status::Done;
        let mut b = Document::with_spans("d", TEXT, vec![sp(0, 12, 0)]).unwrap();
        b = b
            .with_notes([(sp(0, 12, 0), "ex-president".to_string())])
            .unwrap();
        b.status = Status::InProgress;
        let pa = Project::new(default_labels(), vec![a.clone()]).unwrap();
        let pb = Project::new(default_labels(), vec![b]).unwrap();
        let gold = merge(&[("a".into(), &pa), ("b".into(), &pb)], Policy::Agreed).unwrap();
        let d = &gold.documents()[0];
        assert_eq!(d.note(&sp(0, 12, 0)), Some("a: president\nb: ex-president"));
        assert_eq!(d.status, Status::InProgress);
        let pa2 = Project::new(default_labels(), vec![a]).unwrap();
        let gold = merge(&[("a".into(), &pa), ("a2".into(), &pa2)], Policy::Agreed).unwrap();
        assert_eq!(gold.documents()[0].note(&sp(0, 12, 0)), Some("president"));
    }

    #[test]
    fn split_round_robin_with_a_shared_part() {
        let names = ["d0", "d1", "d2", "d3", "d4", "d5", "d6", "d7", "d8", "d9"];
        let p = project(names.iter().map(|n| (*n, vec![])).collect());
        let s = split(&p, 3, 20.0);
        // 20% of 10 = 2 shared: documents 0 and 5; the 8 others round-robin.
        assert_eq!(s.shared, vec![0, 5]);
        let docs = |i: usize| -> Vec<&str> {
            s.projects[i]
                .documents()
                .iter()
                .map(|d| d.name.as_str())
                .collect()
        };
        assert_eq!(docs(0), ["d0", "d1", "d4", "d5", "d8"]);
        assert_eq!(docs(1), ["d0", "d2", "d5", "d6", "d9"]);
        assert_eq!(docs(2), ["d0", "d3", "d5", "d7"]);
        assert_eq!(split(&p, 2, 0.0).shared, Vec::<usize>::new());
        assert_eq!(split(&p, 2, 100.0).shared.len(), 10);
        // 15% of 10 = 1.5 rounds to 2.
        assert_eq!(split(&p, 2, 15.0).shared.len(), 2);
        // Merging the split back (union) gives the project.
        let named: Vec<(String, &Project)> = s
            .projects
            .iter()
            .enumerate()
            .map(|(i, p)| (format!("a{i}"), p))
            .collect();
        let back = merge(&named, Policy::Union).unwrap();
        // In the original order (it came out d0 d1 d4 d5 d8 d2 d6 d9 d3 d7), and the
        // merged project carries no split places.
        let got: Vec<&str> = back.documents().iter().map(|d| d.name.as_str()).collect();
        assert_eq!(got, names);
        assert_eq!(back.documents(), p.documents());
        // Each split document knows its place; a document added to one annotator's
        // project afterwards (no place) keeps its slot, the others take theirs.
        assert_eq!(s.projects[2].documents()[3].split_index, Some(7));
        let mut extra = s.projects[1].documents().to_vec();
        extra.insert(1, Document::new("new", TEXT));
        let with_new = Project::new(default_labels(), extra).unwrap();
        let named = [
            ("a".to_string(), &with_new),
            ("b".to_string(), &s.projects[0]),
            ("c".to_string(), &s.projects[2]),
        ];
        let back = merge(&named, Policy::Agreed).unwrap();
        let got: Vec<&str> = back.documents().iter().map(|d| d.name.as_str()).collect();
        assert_eq!(
            got,
            [
                "d0", "new", "d1", "d2", "d3", "d4", "d5", "d6", "d7", "d8", "d9"
            ]
        );
        // A git merge of a split project keeps the places.
        let t = three_way(&s.projects[0], &s.projects[0], &s.projects[0]).unwrap();
        assert_eq!(t.project.documents(), s.projects[0].documents());
    }

    // --- three-way ---

    fn three(base: Vec<Span>, ours: Vec<Span>, theirs: Vec<Span>) -> ThreeWay {
        three_way(
            &project(vec![("d", base)]),
            &project(vec![("d", ours)]),
            &project(vec![("d", theirs)]),
        )
        .unwrap()
    }

    #[test]
    fn changes_on_different_spans_combine() {
        let base = vec![sp(0, 12, 0), sp(17, 30, 0), sp(34, 39, 1)];
        // Ours relabels 0..12 and adds a date; theirs removes 34..39 and adds 17..25.
        let ours = vec![sp(0, 12, 2), sp(17, 30, 0), sp(34, 39, 1), sp(43, 49, 3)];
        let theirs = vec![sp(0, 12, 0), sp(17, 30, 0), sp(17, 25, 0)];
        let m = three(base, ours, theirs);
        assert_eq!(m.conflicts, 0);
        assert_eq!(
            spans(&m.project, 0),
            vec![sp(0, 12, 2), sp(17, 30, 0), sp(17, 25, 0), sp(43, 49, 3)]
        );
        assert!(m.project.documents()[0].disagreements().is_empty());
    }

    #[test]
    fn the_same_change_on_both_sides_is_taken_once() {
        let m = three(
            vec![sp(0, 12, 0)],
            vec![sp(0, 12, 2), sp(43, 49, 3)],
            vec![sp(0, 12, 2), sp(43, 49, 3)],
        );
        assert_eq!(m.conflicts, 0);
        assert_eq!(spans(&m.project, 0), vec![sp(0, 12, 2), sp(43, 49, 3)]);
        // Removed on both sides.
        let m = three(vec![sp(0, 12, 0)], vec![], vec![]);
        assert_eq!((m.conflicts, spans(&m.project, 0)), (0, vec![]));
    }

    #[test]
    fn different_changes_to_one_span_conflict() {
        // Relabelled two ways.
        let m = three(
            vec![sp(0, 12, 0), sp(43, 49, 3)],
            vec![sp(0, 12, 2), sp(43, 49, 3)],
            vec![sp(0, 12, 1), sp(43, 49, 3)],
        );
        assert_eq!(m.conflicts, 1);
        assert_eq!(spans(&m.project, 0), vec![sp(43, 49, 3)]);
        let d = m.project.documents()[0].disagreements();
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].start, d[0].end), (0, 12));
        assert_eq!(d[0].version("ours"), Some(&[sp(0, 12, 2)][..]));
        assert_eq!(d[0].version("theirs"), Some(&[sp(0, 12, 1)][..]));
        // Relabelled on one side, removed on the other.
        let m = three(vec![sp(0, 12, 0)], vec![], vec![sp(0, 12, 1)]);
        assert_eq!(m.conflicts, 1);
        let d = &m.project.documents()[0].disagreements()[0];
        assert_eq!(d.version("ours"), Some(&[][..]));
        assert_eq!(d.version("theirs"), Some(&[sp(0, 12, 1)][..]));
        // Added on both sides over one range with different labels.
        let m = three(vec![], vec![sp(0, 12, 0)], vec![sp(0, 12, 2)]);
        assert_eq!(m.conflicts, 1);
        // A label both sides gave the range stays; the versions hold the rest.
        let m = three(vec![], vec![sp(0, 12, 0), sp(0, 12, 1)], vec![sp(0, 12, 0)]);
        assert_eq!((m.conflicts, spans(&m.project, 0)), (1, vec![sp(0, 12, 0)]));
        let d = &m.project.documents()[0].disagreements()[0];
        assert_eq!(d.version("ours"), Some(&[sp(0, 12, 1)][..]));
        assert_eq!(d.version("theirs"), Some(&[][..]));
    }

    #[test]
    fn overlapping_additions_over_different_ranges_are_both_kept() {
        let m = three(vec![], vec![sp(0, 12, 0)], vec![sp(0, 6, 0), sp(17, 30, 0)]);
        assert_eq!(m.conflicts, 0);
        assert_eq!(
            spans(&m.project, 0),
            vec![sp(0, 12, 0), sp(0, 6, 0), sp(17, 30, 0)]
        );
    }

    #[test]
    fn documents_added_and_removed_on_one_side() {
        let base = project(vec![("keep", vec![]), ("gone", vec![]), ("edited", vec![])]);
        let ours = project(vec![
            ("keep", vec![]),
            ("edited", vec![sp(0, 6, 0)]),
            ("new-ours", vec![]),
        ]);
        let theirs = project(vec![
            ("keep", vec![]),
            ("gone", vec![]),
            ("new-theirs", vec![sp(0, 6, 1)]),
        ]);
        let m = three_way(&base, &ours, &theirs).unwrap();
        let names: Vec<&str> = m
            .project
            .documents()
            .iter()
            .map(|d| d.name.as_str())
            .collect();
        // "gone": removed by ours, untouched by theirs. "edited": changed by ours, removed by
        // theirs: kept, with a warning.
        assert_eq!(names, ["keep", "edited", "new-ours", "new-theirs"]);
        assert_eq!(m.warnings.len(), 1, "{:?}", m.warnings);
        assert!(m.warnings[0].contains("\"edited\""));
        assert_eq!(spans(&m.project, 3), vec![sp(0, 6, 1)]);
        // Both added one of the same name: merged from nothing.
        let m = three_way(
            &project(vec![]),
            &project(vec![("n", vec![sp(0, 6, 0)])]),
            &project(vec![("n", vec![sp(7, 12, 0)])]),
        )
        .unwrap();
        assert_eq!(spans(&m.project, 0), vec![sp(0, 6, 0), sp(7, 12, 0)]);
    }

    #[test]
    fn ours_labels_are_kept_as_they_are() {
        // Two labels of one colour (allowed) must not be "fixed" by a merge.
        let mut labels = default_labels();
        labels[1].color = labels[0].color;
        let p = Project::new(labels.clone(), vec![Document::new("d", TEXT)]).unwrap();
        let m = three_way(&p, &p, &project(vec![("d", vec![])])).unwrap();
        assert_eq!(m.project.labels(), &labels[..]);
        let g = merge(&[("a".into(), &p)], Policy::Union).unwrap();
        assert_eq!(g.labels(), &labels[..]);
    }

    #[test]
    fn labels_union_and_text_changes() {
        let base = project(vec![("d", vec![])]);
        let mut labels = default_labels();
        labels.push(Label {
            name: "EVENT".into(),
            color: PALETTE[2],
            hotkey: None,
        });
        let theirs = Project::new(
            labels,
            vec![Document::with_spans("d", TEXT, vec![sp(0, 6, 5)]).unwrap()],
        )
        .unwrap();
        let m = three_way(&base, &base, &theirs).unwrap();
        assert_eq!(m.project.label_id("EVENT"), Some(LabelId(5)));
        assert_eq!(spans(&m.project, 0), vec![sp(0, 6, 5)]);
        let other = Project::new(default_labels(), vec![Document::new("d", "changed")]).unwrap();
        assert!(matches!(
            three_way(&base, &base, &other),
            Err(MergeError::TextDiffers { .. })
        ));
    }

    #[test]
    fn notes_and_status_take_the_changed_side_else_ours() {
        let doc = |note: Option<&str>, status| {
            let mut d = Document::with_spans("d", TEXT, vec![sp(0, 12, 0)]).unwrap();
            if let Some(n) = note {
                d = d.with_notes([(sp(0, 12, 0), n.to_string())]).unwrap();
            }
            d.status = status;
            Project::new(default_labels(), vec![d]).unwrap()
        };
        let base = doc(None, Status::Todo);
        let m = three_way(
            &base,
            &doc(Some("x"), Status::Todo),
            &doc(None, Status::Done),
        )
        .unwrap();
        let d = &m.project.documents()[0];
        assert_eq!((d.note(&sp(0, 12, 0)), d.status), (Some("x"), Status::Done));
        assert!(m.warnings.is_empty());
        let m = three_way(
            &base,
            &doc(Some("x"), Status::InProgress),
            &doc(Some("y"), Status::Done),
        )
        .unwrap();
        let d = &m.project.documents()[0];
        assert_eq!(
            (d.note(&sp(0, 12, 0)), d.status),
            (Some("x"), Status::InProgress)
        );
        assert_eq!(m.warnings.len(), 2, "{:?}", m.warnings);
        assert_eq!(m.conflicts, 0);
    }

    // --- suggestion settings and rejections ---

    fn rule_set(name: &str, source: &str) -> RuleSet {
        RuleSet {
            name: name.into(),
            kind: RuleKind::Dictionary,
            enabled: true,
            source: source.into(),
            default_label: None,
        }
    }

    fn settings(learned: bool, ignore_case: bool, rule_sets: Vec<RuleSet>) -> SuggestSettings {
        SuggestSettings {
            learned,
            ignore_case,
            rule_sets,
        }
    }

    /// A project of documents (name, spans, rejections) over TEXT with these labels.
    fn rejecting(labels: Vec<Label>, docs: Vec<(&str, Vec<Span>, Vec<Span>)>) -> Project {
        let docs = docs
            .into_iter()
            .map(|(name, spans, rejected)| {
                Document::with_spans(name, TEXT, spans)
                    .unwrap()
                    .with_rejected(rejected)
                    .unwrap()
            })
            .collect();
        Project::new(labels, docs).unwrap()
    }

    fn rejected(p: &Project, doc: usize) -> Vec<Span> {
        p.documents()[doc].rejected().iter().copied().collect()
    }

    /// Default labels with PERSON and PLACE swapped: ids 0 PLACE, 1 PERSON.
    fn swapped() -> Vec<Label> {
        let mut labels = default_labels();
        labels.swap(0, 1);
        labels
    }

    #[test]
    fn merge_takes_the_first_settings_plus_the_others_new_rule_sets() {
        let places = rule_set("places.txt", "Kabul\tPLACE");
        let a = Project::new(default_labels(), vec![])
            .unwrap()
            .with_suggest_settings(settings(
                false,
                true,
                vec![places.clone(), rule_set("p.txt", "one")],
            ));
        // b: the same places.txt (skipped), p.txt edited apart (kept too), a new orgs.txt;
        // its learned/ignore-case choices lose to a's.
        let b = Project::new(default_labels(), vec![])
            .unwrap()
            .with_suggest_settings(settings(
                true,
                false,
                vec![
                    rule_set("orgs.txt", "UN\tORG"),
                    places.clone(),
                    rule_set("p.txt", "two"),
                ],
            ));
        let gold = merge(&[("a".into(), &a), ("b".into(), &b)], Policy::Union).unwrap();
        assert_eq!(
            gold.suggest_settings(),
            &settings(
                false,
                true,
                vec![
                    places,
                    rule_set("p.txt", "one"),
                    rule_set("orgs.txt", "UN\tORG"),
                    rule_set("p.txt", "two"),
                ]
            )
        );
        // One annotator with the defaults: the defaults.
        let plain = project(vec![]);
        let g = merge(&[("p".into(), &plain)], Policy::Agreed).unwrap();
        assert_eq!(g.suggest_settings(), &SuggestSettings::default());
    }

    #[test]
    fn merge_unites_rejections_by_label_name_minus_gold_spans() {
        // a (default ids): spans Ashraf Ghani PERSON, Kabul PLACE; rejects Amrullah Saleh
        // ORG and Monday PERSON.
        let a = rejecting(
            default_labels(),
            vec![(
                "d",
                vec![sp(0, 12, 0), sp(34, 39, 1)],
                vec![sp(17, 30, 2), sp(43, 49, 0)],
            )],
        );
        // b (0 PLACE, 1 PERSON): span Ashraf Ghani PERSON; rejects Amrullah Saleh ORG (as
        // a does), Kabul PLACE (a's span), Amrullah PERSON; and a document a lacks.
        let b = rejecting(
            swapped(),
            vec![
                (
                    "d",
                    vec![sp(0, 12, 1)],
                    vec![sp(17, 30, 2), sp(34, 39, 0), sp(17, 25, 1)],
                ),
                ("only-b", vec![], vec![sp(0, 6, 0)]),
            ],
        );
        let all = [("a".to_string(), &a), ("b".to_string(), &b)];
        // Agreed: Kabul PLACE is not gold (only a has it), so b's rejection of it stays.
        let agreed = merge(&all, Policy::Agreed).unwrap();
        assert_eq!(spans(&agreed, 0), vec![sp(0, 12, 0)]);
        assert_eq!(
            rejected(&agreed, 0),
            vec![sp(17, 25, 0), sp(17, 30, 2), sp(34, 39, 1), sp(43, 49, 0)]
        );
        // b's PLACE is the gold PLACE (id 1).
        assert_eq!(rejected(&agreed, 1), vec![sp(0, 6, 1)]);
        // Union: Kabul PLACE is gold, so its rejection goes.
        let union = merge(&all, Policy::Union).unwrap();
        assert_eq!(
            rejected(&union, 0),
            vec![sp(17, 25, 0), sp(17, 30, 2), sp(43, 49, 0)]
        );
    }

    #[test]
    fn three_way_rejections_merge_as_sets_by_label_name() {
        // R1 Ashraf Ghani PERSON, R2 Kabul PLACE, R3 Monday DATE, R4 Amrullah Saleh ORG,
        // R5 Saleh PERSON (default ids).
        let (r1, r2, r3, r4, r5) = (
            sp(0, 12, 0),
            sp(34, 39, 1),
            sp(43, 49, 3),
            sp(17, 30, 2),
            sp(26, 31, 0),
        );
        let base = rejecting(default_labels(), vec![("d", vec![], vec![r1, r2, r5])]);
        // Ours forgets R1 (unreject) and rejects R3 and R4.
        let ours = rejecting(default_labels(), vec![("d", vec![], vec![r2, r3, r4, r5])]);
        // Theirs (0 PLACE, 1 PERSON) forgets R5, keeps R1 and R2, also rejects R4, and
        // rejects Kabul as PERSON.
        let theirs = rejecting(
            swapped(),
            vec![(
                "d",
                vec![],
                vec![sp(0, 12, 1), sp(34, 39, 0), sp(17, 30, 2), sp(34, 39, 1)],
            )],
        );
        let m = three_way(&base, &ours, &theirs).unwrap();
        assert_eq!(
            rejected(&m.project, 0),
            vec![r4, sp(34, 39, 0), r2, r3],
            "R1 and R5 go, R2 stays, R3 and R4 (once) and Kabul PERSON come"
        );
        assert!(m.warnings.is_empty(), "{:?}", m.warnings);
        assert_eq!(m.conflicts, 0);
        // A document deleted here whose rejections changed there is kept, with a warning.
        let gone = rejecting(default_labels(), vec![]);
        let m = three_way(&base, &gone, &ours).unwrap();
        assert_eq!(rejected(&m.project, 0), vec![r4, r5, r2, r3]);
        assert_eq!(m.warnings.len(), 1, "{:?}", m.warnings);
        // Unchanged there: the delete wins.
        let m = three_way(&base, &gone, &base).unwrap();
        assert!(m.project.documents().is_empty());
    }

    #[test]
    fn three_way_settings_take_the_changed_side_field_by_field() {
        let dict = rule_set("places.txt", "Kabul\tPLACE");
        let with = |s: SuggestSettings| project(vec![("d", vec![])]).with_suggest_settings(s);
        let base = with(SuggestSettings::default());
        let run = |o: &Project, t: &Project| three_way(&base, o, t).unwrap();
        // Only theirs changed: theirs.
        let theirs = with(settings(false, true, vec![dict.clone()]));
        let m = run(&base, &theirs);
        assert_eq!(m.project.suggest_settings(), theirs.suggest_settings());
        assert!(m.warnings.is_empty());
        // Only ours changed: ours.
        let m = run(&theirs, &base);
        assert_eq!(m.project.suggest_settings(), theirs.suggest_settings());
        // Different fields changed on each side: both.
        let m = run(
            &with(settings(false, false, vec![])),
            &with(settings(true, false, vec![dict.clone()])),
        );
        assert_eq!(
            m.project.suggest_settings(),
            &settings(false, false, vec![dict.clone()])
        );
        assert!(m.warnings.is_empty(), "{:?}", m.warnings);
        // The same change on both sides: taken, no warning.
        let m = run(&theirs, &theirs);
        assert_eq!(m.project.suggest_settings(), theirs.suggest_settings());
        assert!(m.warnings.is_empty());
        // The rule sets changed two ways: ours, with a warning; theirs' ignore-case
        // change (ours left it) is still taken.
        let ours = with(settings(true, false, vec![dict.clone()]));
        let theirs = with(settings(true, true, vec![rule_set("orgs.txt", "UN\tORG")]));
        let m = run(&ours, &theirs);
        assert_eq!(
            m.project.suggest_settings(),
            &settings(true, true, vec![dict])
        );
        assert_eq!(m.warnings.len(), 1, "{:?}", m.warnings);
        assert!(m.warnings[0].contains("rule sets"), "{:?}", m.warnings);
        assert_eq!(m.conflicts, 0);
    }

    // --- properties ---

    /// Up to four annotators' span lists over one 40-char document, labels 0..3.
    fn arb_annotators() -> impl Strategy<Value = Vec<Vec<Span>>> {
        proptest::collection::vec(
            proptest::collection::vec((0usize..35, 1usize..6, 0u32..3), 0..10)
                .prop_map(|v| v.into_iter().map(|(s, l, lab)| sp(s, s + l, lab)).collect()),
            1..5,
        )
    }

    fn projects_of(lists: &[Vec<Span>]) -> Vec<Project> {
        lists
            .iter()
            .map(|spans| {
                let d = Document::with_spans("d", "x".repeat(40), spans.clone()).unwrap();
                Project::new(default_labels(), vec![d]).unwrap()
            })
            .collect()
    }

    fn set(p: &Project) -> HashSet<Span> {
        p.documents()[0].spans().iter().copied().collect()
    }

    /// Up to five rejections over the 40-char document, labels 0..3.
    fn arb_rejections() -> impl Strategy<Value = Vec<Span>> {
        proptest::collection::vec((0usize..35, 1usize..6, 0u32..3), 0..6)
            .prop_map(|v| v.into_iter().map(|(s, l, lab)| sp(s, s + l, lab)).collect())
    }

    /// One of 16 suggestion settings: the bits of `v` pick learned, ignore case and two
    /// rule sets.
    fn settings_variant(v: u8) -> SuggestSettings {
        let mut rule_sets = Vec::new();
        if v & 4 != 0 {
            rule_sets.push(rule_set("a.txt", "x\tPERSON"));
        }
        if v & 8 != 0 {
            rule_sets.push(rule_set("b.txt", "y\tPLACE"));
        }
        settings(v & 1 != 0, v & 2 != 0, rule_sets)
    }

    /// `p` (one document) with these rejections, except those equal to one of its spans,
    /// and settings variant `v`.
    fn dress(p: &Project, rejected: &[Span], v: u8) -> Project {
        let d = &p.documents()[0];
        let keep = rejected.iter().filter(|s| !d.spans().contains(s)).copied();
        let d = d.clone().with_rejected(keep).unwrap();
        Project::new(p.labels().to_vec(), vec![d])
            .unwrap()
            .with_suggest_settings(settings_variant(v))
    }

    fn rejected_set(p: &Project) -> BTreeSet<Span> {
        p.documents()[0].rejected().clone()
    }

    proptest! {
        /// Union ⊇ Majority ⊇ Agreed, each equal to a count over the inputs (the oracle);
        /// with Agreed, each annotator's spans are exactly the gold spans plus their
        /// versions, and regions never overlap.
        #[test]
        fn policies_nest_and_agreed_keeps_everything(lists in arb_annotators()) {
            let projects = projects_of(&lists);
            let named: Vec<(String, &Project)> =
                projects.iter().enumerate().map(|(i, p)| (format!("a{i}"), p)).collect();
            let n = lists.len();
            let sets: Vec<HashSet<Span>> = lists.iter().map(|l| l.iter().copied().collect()).collect();
            let every: HashSet<Span> = sets.iter().flatten().copied().collect();
            let count = |s: &Span| sets.iter().filter(|x| x.contains(s)).count();
            let oracle = |keep: &dyn Fn(usize) -> bool| -> HashSet<Span> {
                every.iter().filter(|s| keep(count(s))).copied().collect()
            };
            let union = set(&merge(&named, Policy::Union).unwrap());
            let majority = set(&merge(&named, Policy::Majority).unwrap());
            let agreed_p = merge(&named, Policy::Agreed).unwrap();
            let agreed = set(&agreed_p);
            prop_assert_eq!(&union, &oracle(&|c| c >= 1));
            prop_assert_eq!(&majority, &oracle(&|c| 2 * c > n));
            prop_assert_eq!(&agreed, &oracle(&|c| c == n));
            prop_assert!(union.is_superset(&majority) && majority.is_superset(&agreed));
            let dis = agreed_p.documents()[0].disagreements();
            prop_assert!(dis.windows(2).all(|w| w[0].end <= w[1].start));
            for (i, mine) in sets.iter().enumerate() {
                let mut rebuilt = agreed.clone();
                for d in dis {
                    let v = d.version(&format!("a{i}")).unwrap();
                    prop_assert!(v.iter().all(|s| s.start() >= d.start && s.end() <= d.end));
                    rebuilt.extend(v.iter().copied());
                }
                prop_assert_eq!(&rebuilt, mine);
            }
            // Every region holds at least two different versions.
            for d in dis {
                let first = &d.versions[0].1;
                prop_assert!(d.versions.iter().any(|(_, v)| v != first));
            }
        }

        /// Identical inputs: every policy gives that input (its rejections and suggestion
        /// settings too) and no disagreements.
        #[test]
        fn identical_inputs_merge_to_themselves(
            lists in arb_annotators(),
            k in 1usize..4,
            rejected in arb_rejections(),
            v in 0u8..16,
        ) {
            let projects = [dress(&projects_of(&lists[..1])[0], &rejected, v)];
            let named: Vec<(String, &Project)> = (0..k).map(|i| (format!("a{i}"), &projects[0])).collect();
            for policy in [Policy::Agreed, Policy::Union, Policy::Majority] {
                let m = merge(&named, policy).unwrap();
                prop_assert_eq!(&m, &projects[0]);
            }
        }

        /// Three-way: a side that did not change gives the other side (rejections and
        /// settings included); the same change on both sides gives it; and swapping
        /// ours/theirs gives the same spans, rejections and number of conflicts.
        /// Rejections: exactly those both sides have or one side added (the oracle).
        #[test]
        fn three_way_properties(lists in proptest::collection::vec(
            proptest::collection::vec((0usize..35, 1usize..6, 0u32..3), 0..10)
                .prop_map(|v| v.into_iter().map(|(s, l, lab)| sp(s, s + l, lab)).collect::<Vec<_>>()),
            3..=3,
        ), rejections in proptest::collection::vec(arb_rejections(), 3..=3),
           variants in proptest::collection::vec(0u8..16, 3..=3)) {
            let p: Vec<Project> = projects_of(&lists)
                .iter()
                .enumerate()
                .map(|(i, p)| dress(p, &rejections[i], variants[i]))
                .collect();
            let (b, o, t) = (&p[0], &p[1], &p[2]);
            prop_assert_eq!(&three_way(b, b, t).unwrap().project, t);
            prop_assert_eq!(&three_way(b, o, b).unwrap().project, o);
            prop_assert_eq!(&three_way(b, o, o).unwrap().project, o);
            let x = three_way(b, o, t).unwrap();
            let y = three_way(b, t, o).unwrap();
            prop_assert_eq!(set(&x.project), set(&y.project));
            prop_assert_eq!(rejected_set(&x.project), rejected_set(&y.project));
            let (rb, ro, rt) = (rejected_set(b), rejected_set(o), rejected_set(t));
            let oracle: BTreeSet<Span> = ro
                .iter()
                .chain(&rt)
                .filter(|r| (ro.contains(r) && rt.contains(r)) || !rb.contains(r))
                .copied()
                .collect();
            prop_assert_eq!(rejected_set(&x.project), oracle);
            prop_assert_eq!(x.conflicts, y.conflicts);
            prop_assert_eq!(x.conflicts, x.project.documents()[0].disagreements().len());
            // Spans both sides have are in the result; spans neither has are not.
            let (so, st) = (set(o), set(t));
            let r = set(&x.project);
            prop_assert!(so.intersection(&st).all(|s| r.contains(s)));
            prop_assert!(r.iter().all(|s| so.contains(s) || st.contains(s)));
        }

        /// Three-way of a gold project whose disagreements each side resolved in part
        /// (issue 17: resolutions on two branches came back open): a disagreement
        /// resolved on either side is gone, one resolved on neither stays, and every
        /// other disagreement in the result is a conflict the merge counted. Swapping
        /// the sides changes none of that.
        #[test]
        fn three_way_keeps_every_resolution(
            lists in arb_annotators(),
            ours_picks in proptest::collection::vec(proptest::option::of(0usize..4), 0..12),
            theirs_picks in proptest::collection::vec(proptest::option::of(0usize..4), 0..12),
        ) {
            let projects = projects_of(&lists);
            let named: Vec<(String, &Project)> =
                projects.iter().enumerate().map(|(i, p)| (format!("a{i}"), p)).collect();
            let base = merge(&named, Policy::Agreed).unwrap();
            let open = base.documents()[0].disagreements().to_vec();
            // A side resolves disagreement i with version `pick` where it has a pick.
            let resolve = |picks: &[Option<usize>]| {
                let mut w = crate::model::Workspace::new(base.clone());
                let doc = base.documents()[0].id();
                // From the last, so the earlier ones keep their indices.
                for (i, d) in open.iter().enumerate().rev() {
                    if let Some(Some(v)) = picks.get(i) {
                        let spans = d.versions[v % d.versions.len()].1.clone();
                        w.apply("take", vec![Edit::Resolve { doc, index: i, spans }]).unwrap();
                    }
                }
                w.project().clone()
            };
            let (o, t) = (resolve(&ours_picks), resolve(&theirs_picks));
            let resolved = |picks: &[Option<usize>], i: usize| matches!(picks.get(i), Some(Some(_)));
            let left: Vec<&Disagreement> = open
                .iter()
                .enumerate()
                .filter(|(i, _)| !resolved(&ours_picks, *i) && !resolved(&theirs_picks, *i))
                .map(|(_, d)| d)
                .collect();
            for (x, y) in [(&o, &t), (&t, &o)] {
                let m = three_way(&base, x, y).unwrap();
                let got = m.project.documents()[0].disagreements();
                for d in &left {
                    prop_assert!(got.contains(d), "{:?} was resolved on neither side", d);
                }
                for (i, d) in open.iter().enumerate() {
                    if resolved(&ours_picks, i) || resolved(&theirs_picks, i) {
                        prop_assert!(!got.contains(d), "{:?} was resolved, yet is open", d);
                    }
                }
                prop_assert_eq!(got.len(), left.len() + m.conflicts);
            }
        }
    }
}
