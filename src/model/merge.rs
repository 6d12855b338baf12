//! Combining projects of the same documents: annotators' projects into one gold project
//! ([`merge`]), and the two sides of a git merge of one project file ([`three_way`]).
//!
//! Pure: no IO. Documents are matched by name (the k-th document of a name in one project
//! with the k-th of that name in another); their texts must be equal. Labels are matched
//! by name; the result has the first project's labels, then the names only the others
//! have (given a free key and a distinct colour where theirs are taken).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use super::{Disagreement, Document, Edit, Label, LabelId, ModelError, Project, Span, Status};

/// Which spans go into a merged project.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Policy {
    /// Spans every annotator of the document has; every other region becomes a
    /// [`Disagreement`] listing each annotator's spans there, to adjudicate.
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

/// Every project's labels, matched by name: the first project's, then new names.
fn union_labels<'a>(
    projects: impl IntoIterator<Item = &'a Project>,
) -> Result<Project, ModelError> {
    let mut acc = Project::new(Vec::new(), Vec::new())?;
    for p in projects {
        if let Some(Edit::AddLabels { labels }) = acc.import_labels_edit(p.labels()) {
            let mut all: Vec<Label> = acc.labels().to_vec();
            all.extend(labels);
            acc = Project::new(all, Vec::new())?;
        }
    }
    Ok(acc)
}

/// For each label id of `from`, the id of the label of that name in `to`.
fn label_map(from: &Project, to: &Project) -> Vec<LabelId> {
    from.labels()
        .iter()
        .map(|l| to.label_id(&l.name).unwrap_or(LabelId(0)))
        .collect()
}

fn remap(span: &Span, map: &[LabelId]) -> Span {
    span.with_label(
        map.get(usize::from(span.label().0))
            .copied()
            .unwrap_or(LabelId(0)),
    )
}

/// Documents of several projects matched by (name, occurrence of that name), in order of
/// first appearance: for each, the document of each project that has it.
fn match_documents<'a>(
    projects: &[&'a Project],
) -> Vec<((String, usize), Vec<Option<&'a Document>>)> {
    let mut order: Vec<((String, usize), Vec<Option<&'a Document>>)> = Vec::new();
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
/// back into the whole. The merged document's status is the least advanced of theirs; a
/// gold span keeps its note, or the distinct notes of its annotators as "name: note"
/// lines. Disagreements already in the inputs are kept (once each).
pub fn merge(annotators: &[(String, &Project)], policy: Policy) -> Result<Project, MergeError> {
    if annotators.is_empty() {
        return Err(MergeError::NoProjects);
    }
    let projects: Vec<&Project> = annotators.iter().map(|(_, p)| *p).collect();
    let labels = union_labels(projects.iter().copied())?;
    let maps: Vec<Vec<LabelId>> = projects.iter().map(|p| label_map(p, &labels)).collect();
    let mut documents = Vec::new();
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
        let mut doc = Document::with_spans(name, first.text().as_str(), gold)?
            .with_notes(notes)?
            .with_disagreements(disagreements)?;
        doc.status = least_status(present.iter().map(|(_, d)| d.status));
        documents.push(doc);
    }
    Ok(Project::new(labels.labels().to_vec(), documents)?)
}

fn remap_disagreement(d: &Disagreement, map: &[LabelId]) -> Disagreement {
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
    maps: &[Vec<LabelId>],
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
        if shared_set.contains(&i) {
            for list in &mut docs {
                list.push(d.clone());
            }
        } else {
            docs[next % annotators].push(d.clone());
            next += 1;
        }
    }
    let projects = docs
        .into_iter()
        .map(|documents| {
            Project::new(project.labels().to_vec(), documents).unwrap_or_else(|_| project.clone())
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
    /// Things settled by keeping ours (a note or a status changed both ways, a document
    /// changed on one side and deleted on the other), one readable line each.
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
/// conflict, kept as a [`Disagreement`] over the range with versions "ours" and "theirs"
/// (and neither side's spans there). Spans both sides added over different ranges are
/// all kept, even when they overlap: nested spans are legal, and a bounds disagreement
/// shows as two overlapping spans to fix by hand rather than failing the merge.
///
/// Documents added or removed on one side are added or removed (a document changed on
/// one side and removed on the other is kept, with a warning); a document both sides
/// added is merged as if from an empty base. Labels: the union by name (ours, then
/// theirs' new ones). Notes, statuses and lists of disagreements: the side that changed;
/// changed both ways, ours is kept with a warning (lists of disagreements: ours plus
/// theirs' new ones). Texts must match.
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
    out.project = Project::new(labels.labels().to_vec(), first)?;
    Ok(out)
}

/// The document a merged side describes, with `labels`' ids.
fn build(name: String, side: &Side, labels: &Project) -> Result<Document, ModelError> {
    let id = |l: &str| labels.label_id(l).ok_or(ModelError::UnknownLabel(u16::MAX));
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
    let mut doc = Document::with_spans(name, side.text.as_str(), spans)?
        .with_notes(notes)?
        .with_disagreements(disagreements)?;
    doc.status = side.status;
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
                let version = |set: &BTreeSet<String>| -> Vec<NamedSpan> {
                    set.iter().map(|l| (r.0, r.1, l.clone())).collect()
                };
                conflicts.push((
                    r.0,
                    r.1,
                    vec![
                        ("ours".to_string(), version(&so)),
                        ("theirs".to_string(), version(&st)),
                    ],
                ));
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
    let mut disagreements = match pick(&b.disagreements, &o.disagreements, &t.disagreements) {
        Some(list) => list.clone(),
        None => {
            let mut list = o.disagreements.clone();
            for d in &t.disagreements {
                if !list.contains(d) {
                    list.push(d.clone());
                }
            }
            list
        }
    };
    disagreements.extend(conflicts);
    Side {
        text: o.text.clone(),
        status,
        spans,
        notes,
        disagreements,
    }
}
