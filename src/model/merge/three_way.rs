//! git's merge of one project file, at the span level ([`three_way`]): per range, the
//! side that changed; a conflict becomes a [`Disagreement`] with versions "ours" and
//! "theirs". Documents, notes, statuses, relations, disagreements, rejections and the
//! suggestion settings are merged against the base the same way, through `Side`, a
//! document with its labels and relation types as names so the three projects compare.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use super::types::{NamedRelation, NamedSpan, three_way_types};
use super::{MergeError, match_documents, pick, union_labels};
use crate::model::suggest::SuggestSettings;
use crate::model::{Disagreement, Document, ModelError, Project, Relation, Span, Status};

/// The result of [`three_way`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ThreeWay {
    /// The merged project; each conflict is a [`Disagreement`] with versions "ours" and
    /// "theirs".
    pub project: Project,
    /// How many conflicting span changes it holds as disagreements (a link added on
    /// one side to a span the other side changed or removed is one too).
    pub conflicts: usize,
    /// Things settled by keeping ours (a note, a status, a relation type or a
    /// suggestion setting changed both ways, a document changed on one side and deleted
    /// on the other), and each link conflict, one readable line each.
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
    /// Links, by spans' label names and type name.
    relations: BTreeSet<NamedRelation>,
    disagreements: Vec<NamedDisagreement>,
    /// Rejected suggestions, by label name.
    rejected: BTreeSet<NamedSpan>,
    /// Rejected relation suggestions.
    rejected_relations: BTreeSet<NamedRelation>,
    /// The document's place in the project `split` cut this one from.
    split_index: Option<usize>,
}

/// A version of a disagreement: who, their spans, their links.
type NamedVersion = (String, Vec<NamedSpan>, Vec<NamedRelation>);
type NamedDisagreement = (usize, usize, Vec<NamedVersion>);

impl Side {
    fn of(d: &Document, p: &Project) -> Self {
        let name = |s: &Span| p.label(s.label()).map_or(String::new(), |l| l.name.clone());
        let named = |s: &Span| (s.start(), s.end(), name(s));
        let link = |r: &Relation| {
            let kind = p
                .relation_type(r.kind())
                .map_or(String::new(), |t| t.name.clone());
            (named(&r.from()), named(&r.to()), kind)
        };
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
            relations: d.relations().iter().map(link).collect(),
            disagreements: d
                .disagreements()
                .iter()
                .map(|dis| {
                    let versions = dis
                        .versions
                        .iter()
                        .enumerate()
                        .map(|(k, (by, spans))| {
                            let mut links: Vec<NamedRelation> =
                                dis.relations_of(k).iter().map(link).collect();
                            links.sort();
                            (by.clone(), spans.iter().map(named).collect(), links)
                        })
                        .collect();
                    (dis.start, dis.end, versions)
                })
                .collect(),
            rejected: d.rejected().iter().map(named).collect(),
            rejected_relations: d.rejected_relations().iter().map(link).collect(),
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
            relations: BTreeSet::new(),
            disagreements: Vec::new(),
            rejected: BTreeSet::new(),
            rejected_relations: BTreeSet::new(),
            split_index: None,
        }
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
/// goes, so resolving different disagreements on the two sides leaves neither open.
/// Suggestion settings (learned on/off, ignore case, the list of rule sets, each on its
/// own): the side that changed; changed both ways, ours with a warning. Texts must
/// match.
///
/// Relations (and rejected relation suggestions), item by item against the base like
/// rejections: one added on either side is kept, one removed on either side goes; a
/// kept one is a link where both its spans are in the result. One added on a side whose
/// span the other side relabelled or removed is a conflict over that span's range (its
/// version holds the span and the link, so taking it brings both back), counted and
/// named in a warning; a link whose span is in another conflict goes with that side's
/// version. So no link is dropped unseen. Relation types: by name, the side that
/// changed (a type deleted on one side stays while a kept relation uses it); changed
/// both ways, ours with a warning; a type is widened, with a warning, where a kept
/// relation needs a label it no longer allows.
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
    let used = merged.iter().flat_map(|(_, _, side)| side.every_relation());
    let types = three_way_types([base, ours, theirs], &labels, used, &mut out.warnings);
    // Ours' documents in ours' order, then the ones only theirs has, in theirs' order.
    let (mut first, mut later) = (Vec::new(), Vec::new());
    for (name, theirs_only, side) in merged {
        let doc = build(name, &side, &labels, &types)?;
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
    out.project = Project::with_types(labels.labels().to_vec(), types, first)?
        .with_suggest_settings(settings);
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
        label_map: field(
            "the label map",
            &b.label_map,
            &o.label_map,
            &t.label_map,
            warnings,
        ),
    }
}

impl Side {
    /// Every relation the side names: links, rejected ones, and disagreements' links.
    fn every_relation(&self) -> impl Iterator<Item = &NamedRelation> {
        let versions = self.disagreements.iter().flat_map(|(_, _, v)| v);
        self.relations
            .iter()
            .chain(&self.rejected_relations)
            .chain(versions.flat_map(|(_, _, links)| links))
    }
}

/// The document a merged side describes, with `labels`' ids and `types`' places as
/// relation type ids.
fn build(
    name: String,
    side: &Side,
    labels: &Project,
    types: &[crate::model::RelationType],
) -> Result<Document, ModelError> {
    let id = |l: &str| labels.label_id(l).ok_or(ModelError::UnknownLabel(u32::MAX));
    let span = |(s, e, l): &NamedSpan| Span::new(*s, *e, id(l)?);
    let link = |(from, to, kind): &NamedRelation| {
        let at = types
            .iter()
            .position(|t| t.name == *kind)
            .and_then(|i| u32::try_from(i).ok())
            .ok_or(ModelError::UnknownRelationType(u32::MAX))?;
        Relation::new(span(from)?, span(to)?, crate::model::RelationTypeId(at))
    };
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
        let mut links = Vec::new();
        for (by, list, mine) in versions {
            vs.push((
                by.clone(),
                list.iter().map(span).collect::<Result<Vec<_>, _>>()?,
            ));
            links.push(mine.iter().map(link).collect::<Result<Vec<_>, _>>()?);
        }
        disagreements.push(
            Disagreement {
                start: *start,
                end: *end,
                versions: vs,
                relations: Vec::new(),
            }
            .with_relations(links),
        );
    }
    let rejected = side
        .rejected
        .iter()
        .map(span)
        .collect::<Result<Vec<_>, _>>()?;
    let relations = side
        .relations
        .iter()
        .map(link)
        .collect::<Result<Vec<_>, _>>()?;
    let rejected_relations = side
        .rejected_relations
        .iter()
        .map(link)
        .collect::<Result<Vec<_>, _>>()?;
    let mut doc = Document::with_spans(name, side.text.as_str(), spans)?
        .with_notes(notes)?
        .with_relations(relations)?
        .with_disagreements(disagreements)?
        .with_rejected(rejected)?
        .with_rejected_relations(rejected_relations)?;
    doc.status = side.status;
    doc.split_index = side.split_index;
    Ok(doc)
}

/// A set merged item by item against the base: an item one side added stays, one
/// either side removed goes (two sides cannot change one membership two ways).
fn merge_set<T: Ord + Clone>(b: &BTreeSet<T>, o: &BTreeSet<T>, t: &BTreeSet<T>) -> BTreeSet<T> {
    b.iter()
        .chain(o)
        .chain(t)
        .filter(|x| pick(&b.contains(*x), &o.contains(*x), &t.contains(*x)).is_some_and(|&k| k))
        .cloned()
        .collect()
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
    // Links first: a link one side added may turn its span's range into a conflict.
    let relations = merge_set(&b.relations, &o.relations, &t.relations);
    let label_sets = |r: (usize, usize)| {
        let get = |side: &Side| side.spans.get(&r).unwrap_or(&none).clone();
        (get(b), get(o), get(t))
    };
    // Each range's labels by the rule for spans (`None`: a conflict).
    let picked: BTreeMap<(usize, usize), Option<BTreeSet<String>>> = ranges
        .iter()
        .map(|&r| {
            let (sb, so, st) = label_sets(r);
            (r, pick(&sb, &so, &st).cloned())
        })
        .collect();
    let has = |(s, e, l): &NamedSpan| {
        picked
            .get(&(*s, *e))
            .and_then(Option::as_ref)
            .is_some_and(|set| set.contains(l))
    };
    // A kept link whose span the other side changed: that range is a conflict, so the
    // span and the link stay together in the version of the side that linked it.
    let mut linked_away: BTreeMap<(usize, usize), Vec<&NamedRelation>> = BTreeMap::new();
    for r in &relations {
        for end in [&r.0, &r.1] {
            if !has(end) && picked.get(&(end.0, end.1)).is_some_and(Option::is_some) {
                linked_away.entry((end.0, end.1)).or_default().push(r);
            }
        }
    }
    for (&(s, e), links) in &linked_away {
        for &r in links {
            let (from, to, kind) = r;
            let who = if o.relations.contains(r) {
                ("ours", "theirs")
            } else {
                ("theirs", "ours")
            };
            out.warnings.push(format!(
                "document {name:?}: {} linked {}..{} {} to {}..{} {} ({kind}), but {} \
                 changed or removed {s}..{e}; kept as a conflict",
                who.0, from.0, from.1, from.2, to.0, to.1, to.2, who.1
            ));
        }
    }
    let mut spans = BTreeMap::new();
    let mut conflicts = Vec::new();
    for (&r, picked) in &picked {
        let (_, so, st) = label_sets(r);
        match picked {
            Some(labels) if !linked_away.contains_key(&r) => {
                if !labels.is_empty() {
                    spans.insert(r, labels.clone());
                }
            }
            _ => {
                // Labels both sides have stay; the versions hold only where they differ,
                // as agreed spans are never repeated in a version.
                let common: BTreeSet<String> = so.intersection(&st).cloned().collect();
                let version = |set: &BTreeSet<String>| -> Vec<NamedSpan> {
                    set.difference(&common)
                        .map(|l| (r.0, r.1, l.clone()))
                        .collect()
                };
                conflicts.push((r.0, r.1, [version(&so), version(&st)]));
                if !common.is_empty() {
                    spans.insert(r, common);
                }
            }
        }
    }
    let kept = |(s, e, l): &NamedSpan| spans.get(&(*s, *e)).is_some_and(|set| set.contains(l));
    // A conflict's versions carry the links of that side with an end among its spans
    // there; a link with both ends kept is a link. Links by their ends not kept, so
    // each conflict looks up only its own.
    let mut by_end: BTreeMap<&NamedSpan, Vec<&NamedRelation>> = BTreeMap::new();
    for r in &relations {
        for end in [&r.0, &r.1] {
            if !kept(end) {
                by_end.entry(end).or_default().push(r);
            }
        }
    }
    let conflicts: Vec<NamedDisagreement> = conflicts
        .into_iter()
        .map(|(start, end, [ours, theirs])| {
            let hung = |side: &Side, mine: &[NamedSpan]| -> Vec<NamedRelation> {
                let mut links: Vec<NamedRelation> = mine
                    .iter()
                    .filter_map(|s| by_end.get(s))
                    .flatten()
                    .filter(|r| side.relations.contains(**r))
                    .map(|r| (*r).clone())
                    .collect();
                links.sort();
                links.dedup();
                links
            };
            let (lo, lt) = (hung(o, &ours), hung(t, &theirs));
            let versions = vec![
                ("ours".to_string(), ours, lo),
                ("theirs".to_string(), theirs, lt),
            ];
            (start, end, versions)
        })
        .collect();
    let relations: BTreeSet<NamedRelation> = relations
        .into_iter()
        .filter(|r| kept(&r.0) && kept(&r.1))
        .collect();
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
    let rejected = merge_set(&b.rejected, &o.rejected, &t.rejected);
    let rejected_relations = merge_set(
        &b.rejected_relations,
        &o.rejected_relations,
        &t.rejected_relations,
    );
    Side {
        text: o.text.clone(),
        status,
        spans,
        notes,
        relations,
        disagreements,
        rejected,
        rejected_relations,
        // Written by `split` only; changed both ways, ours.
        split_index: *pick(&b.split_index, &o.split_index, &t.split_index)
            .unwrap_or(&o.split_index),
    }
}
