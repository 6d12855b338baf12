//! The annotators' gold merge ([`merge`]): the spans each [`Policy`] keeps, the
//! disagreement regions of [`Policy::Agreed`], the gold spans' notes, the least advanced
//! status, the union of the suggestion settings, and the order of a split project
//! restored.

use std::collections::{BTreeSet, HashMap, HashSet};

use super::{
    LabelMap, MergeError, TypeMap, label_map, match_documents, remap, remap_relation, type_map,
    union_labels, union_types,
};
use crate::model::suggest::SuggestSettings;
use crate::model::{
    Disagreement, Document, LabelId, Project, Relation, RelationType, Span, Status,
};

/// Which spans go into a merged project.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Policy {
    /// Spans every annotator of the document has; every other span is in a
    /// [`Disagreement`]: a region is a cluster of those spans that overlap (across
    /// annotators; touching is not overlapping), listing each annotator's spans there,
    /// maybe none, except that layers are decided apart: a span strictly inside another
    /// of a different label is not clustered with it when the two labels are layers
    /// ([`Layers`]: some annotator nests one in the other somewhere, as PERSON in
    /// QUOTE). So a QUOTE's bounds and a PERSON's label inside it are two decisions, whose
    /// regions may overlap. Agreed spans are gold and never repeated in a version, so
    /// resolving every disagreement with one annotator's version gives back that
    /// annotator's spans; each of their spans is in exactly one disagreement.
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

/// What [`merge_listing`] gives: the gold project, and the relations it left out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Merged {
    /// The merged project.
    pub project: Project,
    /// Annotators' relations in neither the gold relations nor a disagreement (with
    /// [`Policy::Majority`], those half or fewer of the document's annotators have),
    /// one readable line each: `document "d": SPEAKER 40..52 QUOTE -> 0..12 PERSON
    /// (alice)`. Always empty with [`Policy::Agreed`] and [`Policy::Union`].
    pub left_out: Vec<String>,
}

/// The gold project of several annotators' projects (name, project): see [`Policy`].
/// [`merge_listing`] also names the relations a policy left out.
pub fn merge(annotators: &[(String, &Project)], policy: Policy) -> Result<Project, MergeError> {
    merge_listing(annotators, policy).map(|m| m.project)
}

/// The gold project of several annotators' projects (name, project), see [`Policy`], and
/// the relations it left out.
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
/// Relations (matched by both spans, labels by name, and the type by name) follow the
/// policy like spans, where both their spans are gold. With [`Policy::Agreed`], the
/// others are in the disagreements' versions ([`Disagreement::relations`]): a relation
/// with an end that is not gold in the region of that end (of each such end), one whose
/// ends are both gold (only the link differs) in the region of the span it starts from,
/// which then becomes a region of its own if no other is there. So taking one
/// annotator's version everywhere gives back exactly their spans and relations, and
/// nothing anyone linked is lost. Relation types: the union by name (a type several
/// annotators define allows every label any of them allows).
///
/// Suggestion settings are the first annotator's, plus the rule sets of the others it
/// does not have (same name and source). A document's rejected suggestions (spans and
/// relations) are every annotator's, except those equal to a gold span or relation
/// (someone accepted it).
pub fn merge_listing(
    annotators: &[(String, &Project)],
    policy: Policy,
) -> Result<Merged, MergeError> {
    if annotators.is_empty() {
        return Err(MergeError::NoProjects);
    }
    let projects: Vec<&Project> = annotators.iter().map(|(_, p)| *p).collect();
    let labels = union_labels(projects.iter().copied())?;
    let maps: Vec<LabelMap> = projects.iter().map(|p| label_map(p, &labels)).collect();
    let types = union_types(&projects, &labels);
    let type_maps: Vec<TypeMap> = projects.iter().map(|p| type_map(p, &types)).collect();
    let remap_links = |i: usize, list: &mut dyn Iterator<Item = &Relation>| -> Vec<Relation> {
        list.filter_map(|r| remap_relation(r, &maps[i], &type_maps[i]))
            .collect()
    };
    let layers = Layers::of(projects.iter().zip(&maps).flat_map(|(p, map)| {
        p.documents()
            .iter()
            .map(move |d| d.spans().iter().map(|s| remap(s, map)).collect::<Vec<_>>())
    }));
    let mut documents = Vec::new();
    let mut left_out = Vec::new();
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
        let links: Vec<Vec<Relation>> = present
            .iter()
            .map(|&(i, d)| remap_links(i, &mut d.relations().iter()))
            .collect();
        let n = present.len();
        let count = counts(sets.iter().map(|(_, s)| s));
        let link_count = counts(links.iter());
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
        let gold_set: HashSet<Span> = gold.iter().copied().collect();
        let is_gold = |s: &Span| gold_set.contains(s);
        let gold_links: Vec<Relation> = link_count
            .iter()
            .filter(|(r, c)| keep(**c) && is_gold(&r.from()) && is_gold(&r.to()))
            .map(|(r, _)| *r)
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
            let disputed: Vec<Vec<Relation>> = links
                .iter()
                .map(|l| {
                    let differs = |r: &&Relation| link_count.get(*r).is_some_and(|c| *c < n);
                    l.iter().filter(differs).copied().collect()
                })
                .collect();
            disagreements = regions(&named, &disputed, &gold_set, &layers);
        }
        for &(i, d) in &present {
            for dis in d.disagreements() {
                let dis = remap_disagreement(dis, &maps[i], &type_maps[i]);
                if !disagreements.contains(&dis) {
                    disagreements.push(dis);
                }
            }
        }
        let gold_link_set: HashSet<Relation> = gold_links.iter().copied().collect();
        // Every relation someone has is gold, in a disagreement, or listed as left out.
        let pending: HashSet<&Relation> = disagreements
            .iter()
            .flat_map(Disagreement::all_relations)
            .collect();
        for (k, &(i, _)) in present.iter().enumerate() {
            for r in &links[k] {
                if !gold_link_set.contains(r) && !pending.contains(r) {
                    left_out.push(describe_link(&name, r, &labels, &types, &annotators[i].0));
                }
            }
        }
        let rejected: BTreeSet<Span> = present
            .iter()
            .flat_map(|&(i, d)| d.rejected().iter().map(move |s| (i, s)))
            .map(|(i, s)| remap(s, &maps[i]))
            .filter(|s| !gold_set.contains(s))
            .collect();
        let rejected_links: BTreeSet<Relation> = present
            .iter()
            .flat_map(|&(i, d)| remap_links(i, &mut d.rejected_relations().iter()))
            .filter(|r| !gold_link_set.contains(r))
            .collect();
        let mut doc = Document::with_spans(name, first.text().as_str(), gold)?
            .with_notes(notes)?
            .with_relations(gold_links)?
            .with_disagreements(disagreements)?
            .with_rejected(rejected)?
            .with_rejected_relations(rejected_links)?;
        doc.status = least_status(present.iter().map(|(_, d)| d.status));
        documents.push(doc);
        split_places.push(present.iter().filter_map(|(_, d)| d.split_index).min());
    }
    restore_split_order(&mut documents, &split_places);
    let project = Project::with_types(labels.labels().to_vec(), types, documents)?
        .with_suggest_settings(union_settings(&projects));
    Ok(Merged { project, left_out })
}

/// How many of the lists hold each item.
fn counts<'a, T: Copy + Eq + std::hash::Hash + 'a>(
    lists: impl Iterator<Item = &'a Vec<T>>,
) -> HashMap<T, usize> {
    let mut count: HashMap<T, usize> = HashMap::new();
    for list in lists {
        for x in list {
            *count.entry(*x).or_insert(0) += 1;
        }
    }
    count
}

/// A relation for a person to read: `document "d": SPEAKER 40..52 QUOTE -> 0..12
/// PERSON (alice)`.
fn describe_link(
    doc: &str,
    r: &Relation,
    labels: &Project,
    types: &[RelationType],
    who: &str,
) -> String {
    let span = |s: Span| {
        let name = labels.label(s.label()).map_or("?", |l| l.name.as_str());
        format!("{}..{} {name}", s.start(), s.end())
    };
    let kind = types
        .get(r.kind().0 as usize)
        .map_or("?", |t| t.name.as_str());
    format!(
        "document {doc:?}: {kind} {} -> {} ({who})",
        span(r.from()),
        span(r.to())
    )
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
        // The first project's choice for a label wins; the others add the labels it
        // says nothing about.
        for (from, to) in p.suggest_settings().label_map.entries() {
            if settings.label_map.get(from).is_none() {
                settings.label_map.set(from, to.map(str::to_string));
            }
        }
    }
    settings
}

fn remap_disagreement(d: &Disagreement, map: &LabelMap, types: &TypeMap) -> Disagreement {
    let links = d
        .relations
        .iter()
        .map(|l| {
            l.iter()
                .filter_map(|r| remap_relation(r, map, types))
                .collect()
        })
        .collect();
    Disagreement {
        versions: d
            .versions
            .iter()
            .map(|(n, spans)| (n.clone(), spans.iter().map(|s| remap(s, map)).collect()))
            .collect(),
        ..d.clone()
    }
    .with_relations(links)
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

/// Pairs of labels that are layers of annotation rather than rival readings: some
/// annotator has a span of one strictly inside a span of the other (a PERSON inside a
/// QUOTE). A disagreement over the outer span and one over the inner are then decided
/// apart ([`Policy::Agreed`]); a PERSON and an ORG no one nests stay one decision, so
/// "PERSON 10..20 or ORG 10..22" is not cut in two.
#[derive(Clone, Debug, Default)]
pub(crate) struct Layers(HashSet<(LabelId, LabelId)>);

impl Layers {
    /// The layers some span lists (each one annotator's document) show.
    pub(crate) fn of(lists: impl IntoIterator<Item = Vec<Span>>) -> Self {
        let mut pairs = HashSet::new();
        for mut spans in lists {
            spans.sort_by_key(|s| (s.start(), std::cmp::Reverse(s.end())));
            for (i, outer) in spans.iter().enumerate() {
                // Sorted by start (longest first): only later spans starting before
                // this one ends can lie inside it.
                for inner in spans[i + 1..]
                    .iter()
                    .take_while(|t| t.start() < outer.end())
                {
                    if inner.end() <= outer.end()
                        && (inner.start(), inner.end()) != (outer.start(), outer.end())
                        && inner.label() != outer.label()
                    {
                        pairs.insert(ordered(inner.label(), outer.label()));
                    }
                }
            }
        }
        Self(pairs)
    }

    /// Whether two overlapping spans are decided apart: different labels that are
    /// layers, one strictly inside the other.
    pub(crate) fn apart(&self, a: &Span, b: &Span) -> bool {
        let (ra, rb) = ((a.start(), a.end()), (b.start(), b.end()));
        let nested = (ra.0 <= rb.0 && rb.1 <= ra.1) || (rb.0 <= ra.0 && ra.1 <= rb.1);
        a.label() != b.label()
            && ra != rb
            && nested
            && self.0.contains(&ordered(a.label(), b.label()))
    }
}

fn ordered(a: LabelId, b: LabelId) -> (LabelId, LabelId) {
    if a <= b { (a, b) } else { (b, a) }
}

/// Clusters of spans: two overlapping spans are in one unless `layers` sets them
/// apart; returns each span's cluster (numbered in order of first start). A sweep by
/// start comparing each span with those still open: O(n · overlap).
fn clusters(spans: &[Span], layers: &Layers) -> HashMap<Span, usize> {
    let mut sorted: Vec<Span> = spans.to_vec();
    sorted.sort_by_key(|s| (s.start(), std::cmp::Reverse(s.end()), s.label()));
    sorted.dedup();
    let mut parent: Vec<usize> = (0..sorted.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut open: Vec<usize> = Vec::new();
    for (i, s) in sorted.iter().enumerate() {
        // Touching spans (end == start) do not overlap.
        open.retain(|&j| sorted[j].end() > s.start());
        for &j in &open {
            if !layers.apart(&sorted[j], s) {
                let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                parent[a.max(b)] = a.min(b);
            }
        }
        open.push(i);
    }
    let mut number: HashMap<usize, usize> = HashMap::new();
    let mut out = HashMap::new();
    for (i, s) in sorted.iter().enumerate() {
        let r = root(&mut parent, i);
        let next = number.len();
        out.insert(*s, *number.entry(r).or_insert(next));
    }
    out
}

/// The disagreement regions of some people's spans and links (`named[k]` and
/// `links[k]` are person k's, none of them agreed by all): clusters of overlapping
/// spans (over everyone's; layers apart, see [`Policy::Agreed`]) and of the spans that
/// disputed links between `gold` spans start from, each with every person's spans in it
/// (maybe none) and their links that hang on it (see [`merge_listing`]), in document
/// order.
fn regions(
    named: &[(String, Vec<Span>)],
    links: &[Vec<Relation>],
    gold: &HashSet<Span>,
    layers: &Layers,
) -> Vec<Disagreement> {
    let only_link = |r: &Relation| gold.contains(&r.from()) && gold.contains(&r.to());
    let mut all: Vec<Span> = named.iter().flat_map(|(_, s)| s.iter().copied()).collect();
    // A disputed link between gold spans hangs on the span it starts from, which joins
    // the cluster it overlaps (or makes its own).
    all.extend(
        links
            .iter()
            .flatten()
            .filter(|r| only_link(r))
            .map(Relation::from),
    );
    let cluster = clusters(&all, layers);
    let n = cluster.values().max().map_or(0, |m| m + 1);
    let mut hulls: Vec<(usize, usize)> = vec![(usize::MAX, 0); n];
    for (s, &k) in &cluster {
        hulls[k] = (hulls[k].0.min(s.start()), hulls[k].1.max(s.end()));
    }
    // Per region, per person, the spans and the links that hang on it.
    let mut mine: Vec<Vec<Vec<Span>>> = vec![vec![Vec::new(); named.len()]; n];
    for (p, (_, spans)) in named.iter().enumerate() {
        for s in spans {
            if let Some(&k) = cluster.get(s) {
                mine[k][p].push(*s);
            }
        }
    }
    let mut hung: Vec<Vec<Vec<Relation>>> = vec![vec![Vec::new(); named.len()]; n];
    for (p, list) in links.iter().enumerate() {
        for r in list {
            let ends: Vec<Span> = if only_link(r) {
                vec![r.from()]
            } else {
                [r.from(), r.to()]
                    .into_iter()
                    .filter(|e| !gold.contains(e))
                    .collect()
            };
            let mut at: Vec<usize> = ends
                .iter()
                .filter_map(|e| cluster.get(e).copied())
                .collect();
            at.dedup();
            for k in at {
                hung[k][p].push(*r);
            }
        }
    }
    let mut out: Vec<Disagreement> = hulls
        .into_iter()
        .zip(mine)
        .zip(hung)
        .map(|(((start, end), mine), links)| {
            Disagreement {
                start,
                end,
                versions: named
                    .iter()
                    .zip(mine)
                    .map(|((who, _), mut spans)| {
                        spans.sort_by_key(|s| (s.start(), std::cmp::Reverse(s.end()), s.label()));
                        (who.clone(), spans)
                    })
                    .collect(),
                relations: Vec::new(),
            }
            .with_relations(links)
        })
        .collect();
    out.sort_by_key(|d| (d.start, d.end));
    out
}
