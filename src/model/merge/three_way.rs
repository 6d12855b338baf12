//! git's merge of one project file, at the span level ([`three_way`]): per range, the
//! side that changed; a conflict becomes a [`Disagreement`] with versions "ours" and
//! "theirs". Documents, notes, statuses, disagreements, rejections and the suggestion
//! settings are merged against the base the same way, through `Side`, a document
//! with its labels as names so the three projects compare.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use super::{MergeError, match_documents, union_labels};
use crate::model::suggest::SuggestSettings;
use crate::model::{Disagreement, Document, ModelError, Project, Span, Status};

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
