//! Inter-annotator agreement between projects that annotate the same documents.
//!
//! - Documents are matched by name. A document that only some annotators have counts for
//!   the pairs that both have it (and is left out of the token-level kappa unless every
//!   annotator has it); one that no two annotators share is not measured at all. Two
//!   annotators with no document in common are an error, not perfect agreement
//!   ([`AgreementError::NothingShared`]). A document's text must be the same in every
//!   project that has it ([`AgreementError::TextDiffers`]), and a project may not hold
//!   two documents of one name ([`AgreementError::DuplicateDocument`]).
//! - Labels are matched by name, so the projects may number their labels differently.
//! - **Span level**, per pair `(a, b)`: `a` is the reference, so precision = matched /
//!   `b`'s spans and recall = matched / `a`'s spans; swapping the pair swaps them, and
//!   F1 = 2·matched / (`a`'s + `b`'s) is symmetric. *Exact*: same start, end and label
//!   (a project never holds the same span twice, so this is a set intersection).
//!   *Overlap*: same label and the ranges share a char; each span matches at most one of
//!   the other side's (a maximum one-to-one matching), so precision and recall stay ≤ 1
//!   and an exact match is always an overlap match. Both sides without spans agree on
//!   nothing: precision, recall and F1 are 1.
//! - bratiaa's instance-level F1 is this exact F1 (a set intersection of label and
//!   offsets, F1 = 2·tp / (a's + b's) per pair, means over pairs per label and document);
//!   it has no overlap mode (its token mode splits spans into tokens instead) and gives
//!   NaN where spanmark gives 1 for agreeing on nothing. bratiaa only reads documents every
//!   annotator has; spanmark's pair counts the documents both of its annotators have,
//!   which is the same when everyone has every document.
//! - **Relations**, per pair ([`PairReport::relations`]): a link of `b` matches one of
//!   `a` with the same two spans (start, end and label name) and the same type name;
//!   precision, recall and F1 as for exact spans, over the documents the pair shares
//!   (see `relations.rs`). Reported only when some annotator linked something in a
//!   shared document; then a pair that both linked nothing scores 1, as for spans.
//! - **Token level**: every document that all annotators have is cut into tokens the way
//!   the token exports (CoNLL, Hugging Face) cut it ([`token_labels`]); each token gets
//!   the label of the flat span over it, or O. Cohen's kappa (two annotators) or Fleiss'
//!   kappa (three or more) compare these labels, with the label names plus O as the
//!   categories.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::flat::flatten;
use super::tokens::tokens;
use super::{Document, Project, Span};

mod relations;

/// Precision/recall/F1 with the counts behind them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Prf {
    /// Spans matched (one-to-one).
    pub tp: usize,
    /// Spans of the reference side `a`.
    pub in_a: usize,
    /// Spans of the compared side `b`.
    pub in_b: usize,
    /// `tp / in_b` (1 when both sides are empty, 0 when only `b` is).
    pub precision: f64,
    /// `tp / in_a` (1 when both sides are empty, 0 when only `a` is).
    pub recall: f64,
    /// `2 tp / (in_a + in_b)`, 1 when both sides are empty.
    pub f1: f64,
}

impl Prf {
    /// The scores of `tp` matches between `in_a` and `in_b` spans.
    pub fn new(tp: usize, in_a: usize, in_b: usize) -> Self {
        let ratio = |n: usize, d: usize| {
            if in_a == 0 && in_b == 0 {
                1.0
            } else if d == 0 {
                0.0
            } else {
                n as f64 / d as f64
            }
        };
        Self {
            tp,
            in_a,
            in_b,
            precision: ratio(tp, in_b),
            recall: ratio(tp, in_a),
            f1: ratio(2 * tp, in_a + in_b),
        }
    }

    /// The scores of the summed counts.
    fn add(self, other: Prf) -> Prf {
        Prf::new(
            self.tp + other.tp,
            self.in_a + other.in_a,
            self.in_b + other.in_b,
        )
    }
}

impl Default for Prf {
    fn default() -> Self {
        Prf::new(0, 0, 0)
    }
}

/// Agreement of one pair of annotators over the documents both have.
#[derive(Clone, Debug, PartialEq)]
pub struct PairReport {
    /// The reference annotator.
    pub a: String,
    /// The compared annotator.
    pub b: String,
    /// Exact matches over all shared documents and labels.
    pub exact: Prf,
    /// Overlap matches over all shared documents and labels.
    pub overlap: Prf,
    /// `(exact, overlap)` per label name, for every label any annotator used.
    pub per_label: BTreeMap<String, (Prf, Prf)>,
    /// `(document, exact, overlap)` for each document both annotators have, in the order
    /// of [`Report::documents`].
    pub documents: Vec<(String, Prf, Prf)>,
    /// Links matched (both spans exact, same type) over the shared documents; `None`
    /// when no annotator linked anything in a document two of them share, so a
    /// comparison without relations reports nothing about them.
    pub relations: Option<Prf>,
}

/// Agreement of all annotators.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    /// Every pair `(i, j)` with `i < j`, in the annotators' order.
    pub pairs: Vec<PairReport>,
    /// Mean exact F1 over pairs, per label name.
    pub per_label: BTreeMap<String, f64>,
    /// Mean exact F1 over the pairs that have the document, per document shared by at
    /// least two annotators, in order of first appearance.
    pub documents: Vec<(String, f64)>,
    /// Mean overlap F1 over pairs, per label name (the keys of `per_label`).
    pub per_label_overlap: BTreeMap<String, f64>,
    /// Mean overlap F1 over the pairs that have the document, in `documents`' order.
    pub documents_overlap: Vec<(String, f64)>,
    /// Exact matches summed over every pair (micro average).
    pub exact: Prf,
    /// Overlap matches summed over every pair (micro average).
    pub overlap: Prf,
    /// Link matches summed over every pair (micro average); `None` as in
    /// [`PairReport::relations`].
    pub relations: Option<Prf>,
    /// Cohen's kappa over tokens, for two annotators; `None` when undefined (no tokens, or
    /// everyone gave every token the same category), see [`cohen_kappa`].
    pub cohen_kappa: Option<f64>,
    /// Fleiss' kappa over tokens, for three or more annotators; `None` when undefined, see
    /// [`fleiss_kappa`].
    pub fleiss_kappa: Option<f64>,
    /// Tokens the kappa was computed on.
    pub tokens: usize,
}

/// Why agreement could not be measured.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AgreementError {
    /// Two projects hold a document of the same name with different texts.
    #[error("document {document:?} has a different text in {a} and {b}")]
    TextDiffers {
        /// The document's name.
        document: String,
        /// One annotator with it.
        a: String,
        /// Another annotator whose text differs.
        b: String,
    },
    /// One project holds two documents of the same name, so matching by name is ambiguous.
    #[error("{annotator} has two documents named {document:?}")]
    DuplicateDocument {
        /// The annotator.
        annotator: String,
        /// The document's name.
        document: String,
    },
    /// Agreement needs at least two annotators.
    #[error("agreement needs at least two annotators, got {0}")]
    TooFewAnnotators(usize),
    /// Two annotators have no document in common: there is nothing to compare (their
    /// agreement is not perfect, it is undefined).
    #[error("{a} and {b} have no document in common (documents are matched by name)")]
    NothingShared {
        /// One annotator.
        a: String,
        /// The other.
        b: String,
    },
}

/// A document's span ranges by label name (sorted), so projects with different label
/// numbering compare.
type ByLabel<'p> = BTreeMap<&'p str, Vec<(usize, usize)>>;

/// One annotator's documents by name.
struct Side<'p> {
    project: &'p Project,
    docs: HashMap<&'p str, &'p Document>,
}

impl<'p> Side<'p> {
    fn by_label(&self, doc: &'p Document) -> ByLabel<'p> {
        let mut out: ByLabel<'p> = BTreeMap::new();
        for s in doc.spans().iter() {
            out.entry(self.label_name(s))
                .or_default()
                .push((s.start(), s.end()));
        }
        for ranges in out.values_mut() {
            // Distinct labels can share a name only across projects, never within one:
            // a document's ranges per label are already distinct.
            ranges.sort_unstable();
        }
        out
    }

    fn label_name(&self, span: &Span) -> &'p str {
        // The model guarantees every span's label exists.
        self.project
            .label(span.label())
            .map_or("?", |l| l.name.as_str())
    }
}

/// Annotators' projects (name, project), documents matched by name.
pub fn report(annotators: &[(String, &Project)]) -> Result<Report, AgreementError> {
    if annotators.len() < 2 {
        return Err(AgreementError::TooFewAnnotators(annotators.len()));
    }
    let mut sides = Vec::with_capacity(annotators.len());
    for (name, project) in annotators {
        let mut docs = HashMap::new();
        for doc in project.documents() {
            if docs.insert(doc.name.as_str(), &**doc).is_some() {
                return Err(AgreementError::DuplicateDocument {
                    annotator: name.clone(),
                    document: doc.name.clone(),
                });
            }
        }
        sides.push(Side { project, docs });
    }
    // Documents in order of first appearance, with who has them; texts must agree.
    let mut order: Vec<&str> = Vec::new();
    let mut holders: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, (name, project)) in annotators.iter().enumerate() {
        for doc in project.documents() {
            let who = holders.entry(doc.name.as_str()).or_default();
            if who.is_empty() {
                order.push(doc.name.as_str());
            } else if let Some(&first) = who.first()
                && let Some(other) = sides[first].docs.get(doc.name.as_str())
                && other.text().as_str() != doc.text().as_str()
            {
                return Err(AgreementError::TextDiffers {
                    document: doc.name.clone(),
                    a: annotators[first].0.clone(),
                    b: name.clone(),
                });
            }
            who.push(i);
        }
    }
    let shared: Vec<&str> = order
        .into_iter()
        .filter(|d| holders.get(d).is_some_and(|w| w.len() >= 2))
        .collect();
    // Every label used in a shared document, by name.
    let mut labels: BTreeSet<&str> = BTreeSet::new();
    for side in &sides {
        for d in &shared {
            if let Some(doc) = side.docs.get(d) {
                labels.extend(doc.spans().iter().map(|s| side.label_name(s)));
            }
        }
    }

    // Relations are reported when someone linked something in a shared document.
    let linked = sides.iter().any(|side| {
        shared
            .iter()
            .filter_map(|d| side.docs.get(d))
            .any(|doc| !doc.relations().is_empty())
    });
    let mut pairs = Vec::new();
    for i in 0..sides.len() {
        for j in i + 1..sides.len() {
            let p = pair(
                &annotators[i].0,
                &sides[i],
                &annotators[j].0,
                &sides[j],
                &shared,
                &labels,
            );
            let p = PairReport {
                relations: linked.then(|| pair_relations(&sides[i], &sides[j], &shared)),
                ..p
            };
            // Nothing compared is not agreement: the scores would read 1.000.
            if p.documents.is_empty() {
                return Err(AgreementError::NothingShared {
                    a: annotators[i].0.clone(),
                    b: annotators[j].0.clone(),
                });
            }
            pairs.push(p);
        }
    }

    let label_means = |f1: fn(&(Prf, Prf)) -> f64| -> BTreeMap<String, f64> {
        labels
            .iter()
            .map(|l| {
                let sum: f64 = pairs
                    .iter()
                    .filter_map(|p| p.per_label.get(*l))
                    .map(f1)
                    .sum();
                (l.to_string(), sum / pairs.len() as f64)
            })
            .collect()
    };
    let per_label = label_means(|(e, _)| e.f1);
    let per_label_overlap = label_means(|(_, o)| o.f1);
    // Sums and count of each shared document's F1s over the pairs that have it.
    let mut sums: HashMap<&str, (f64, f64, usize)> = HashMap::new();
    for p in &pairs {
        for (name, e, o) in &p.documents {
            let sum = sums.entry(name.as_str()).or_default();
            *sum = (sum.0 + e.f1, sum.1 + o.f1, sum.2 + 1);
        }
    }
    let doc_means = |overlap: bool| -> Vec<(String, f64)> {
        shared
            .iter()
            .map(|d| {
                let (e, o, n) = sums.get(d).copied().unwrap_or((0.0, 0.0, 0));
                let sum = if overlap { o } else { e };
                (d.to_string(), sum / n.max(1) as f64)
            })
            .collect()
    };
    let documents = doc_means(false);
    let documents_overlap = doc_means(true);
    let (cohen_kappa, fleiss_kappa, tokens) = kappas(&sides, &holders, &shared);
    let exact = pairs.iter().fold(Prf::new(0, 0, 0), |s, p| s.add(p.exact));
    let overlap = pairs
        .iter()
        .fold(Prf::new(0, 0, 0), |s, p| s.add(p.overlap));
    let relations = linked.then(|| {
        pairs
            .iter()
            .filter_map(|p| p.relations)
            .fold(Prf::new(0, 0, 0), Prf::add)
    });
    Ok(Report {
        pairs,
        per_label,
        documents,
        per_label_overlap,
        documents_overlap,
        exact,
        overlap,
        relations,
        cohen_kappa,
        fleiss_kappa,
        tokens,
    })
}

/// One pair's agreement over the documents both have.
fn pair(
    a_name: &str,
    a: &Side<'_>,
    b_name: &str,
    b: &Side<'_>,
    shared: &[&str],
    labels: &BTreeSet<&str>,
) -> PairReport {
    let mut per_label: BTreeMap<&str, (Prf, Prf)> =
        labels.iter().map(|l| (*l, Default::default())).collect();
    let mut documents = Vec::new();
    let (mut exact, mut overlap) = (Prf::default(), Prf::default());
    for d in shared {
        let (Some(da), Some(db)) = (a.docs.get(d), b.docs.get(d)) else {
            continue;
        };
        let (sa, sb) = (a.by_label(da), b.by_label(db));
        let (mut doc_exact, mut doc_overlap) = (Prf::default(), Prf::default());
        let here: BTreeSet<&str> = sa.keys().chain(sb.keys()).copied().collect();
        for label in here {
            let la = sa.get(label).map_or(&[][..], Vec::as_slice);
            let lb = sb.get(label).map_or(&[][..], Vec::as_slice);
            let e = Prf::new(exact_matches(la, lb), la.len(), lb.len());
            let o = Prf::new(overlap_matches(la, lb), la.len(), lb.len());
            doc_exact = doc_exact.add(e);
            doc_overlap = doc_overlap.add(o);
            if let Some(entry) = per_label.get_mut(label) {
                *entry = (entry.0.add(e), entry.1.add(o));
            }
        }
        exact = exact.add(doc_exact);
        overlap = overlap.add(doc_overlap);
        documents.push((d.to_string(), doc_exact, doc_overlap));
    }
    PairReport {
        a: a_name.to_string(),
        b: b_name.to_string(),
        exact,
        overlap,
        per_label: per_label
            .into_iter()
            .map(|(l, v)| (l.to_string(), v))
            .collect(),
        documents,
        relations: None,
    }
}

/// One pair's link matches over the documents both have.
fn pair_relations(a: &Side<'_>, b: &Side<'_>, shared: &[&str]) -> Prf {
    shared
        .iter()
        .filter_map(|d| Some((a.docs.get(d)?, b.docs.get(d)?)))
        .map(|(da, db)| {
            relations::score(
                &relations::links(a.project, da),
                &relations::links(b.project, db),
            )
        })
        .fold(Prf::new(0, 0, 0), Prf::add)
}

/// Ranges in both sorted, deduplicated lists.
fn exact_matches(a: &[(usize, usize)], b: &[(usize, usize)]) -> usize {
    a.iter().filter(|r| b.binary_search(r).is_ok()).count()
}

/// The size of a maximum one-to-one matching of `a`'s ranges to overlapping `b` ranges
/// (Kuhn's augmenting paths; a label's spans in one document rarely overlap much, so the
/// graph is sparse).
fn overlap_matches(a: &[(usize, usize)], b: &[(usize, usize)]) -> usize {
    // Candidates of each `a` range: the `b` ranges it overlaps. `b` is sorted by start,
    // so they start before its end (a prefix) and, by the running maximum of ends, not
    // before the first that reaches past its start: a binary search each way, then
    // only the ranges in between (all of them, unless `b` nests).
    let mut max_end = Vec::with_capacity(b.len());
    let mut m = 0;
    for r in b {
        m = m.max(r.1);
        max_end.push(m);
    }
    let edges: Vec<Vec<usize>> = a
        .iter()
        .map(|&(s, e)| {
            let upto = b.partition_point(|r| r.0 < e);
            let from = max_end.partition_point(|&end| end <= s);
            (from..upto.max(from)).filter(|&k| b[k].1 > s).collect()
        })
        .collect();
    let mut owner: Vec<Option<usize>> = vec![None; b.len()];
    // seen[v] == i + 1: `b` range v was visited in the search from `a` range i (no
    // clearing between searches).
    let mut seen: Vec<usize> = vec![0; b.len()];
    let mut matched = 0;
    for i in 0..a.len() {
        if augment(i, &edges, &mut owner, &mut seen) {
            matched += 1;
        }
    }
    matched
}

/// Finds an augmenting path from `a` range `i` (iteratively, so long chains of
/// overlapping spans cannot overflow the stack).
fn augment(
    i: usize,
    edges: &[Vec<usize>],
    owner: &mut [Option<usize>],
    seen: &mut [usize],
) -> bool {
    // Depth-first search: stack of (a range, next edge to try); `via[k]` is the `b` range
    // through which stack frame `k + 1` was entered.
    let mut stack: Vec<(usize, usize)> = vec![(i, 0)];
    let mut via: Vec<usize> = Vec::new();
    while let Some(&mut (u, ref mut next)) = stack.last_mut() {
        if let Some(&v) = edges[u].get(*next) {
            *next += 1;
            if seen[v] == i + 1 {
                continue;
            }
            seen[v] = i + 1;
            match owner[v] {
                None => {
                    // Flip the path: each frame's `a` range takes the `b` range after it.
                    owner[v] = Some(u);
                    for (k, &b) in via.iter().enumerate().rev() {
                        owner[b] = Some(stack[k].0);
                    }
                    return true;
                }
                Some(w) => {
                    via.push(v);
                    stack.push((w, 0));
                }
            }
        } else {
            stack.pop();
            via.pop();
        }
    }
    false
}

/// Kappa over the tokens of the documents every annotator has: Cohen's for two
/// annotators, Fleiss' for more; and the number of tokens.
fn kappas(
    sides: &[Side<'_>],
    holders: &HashMap<&str, Vec<usize>>,
    shared: &[&str],
) -> (Option<f64>, Option<f64>, usize) {
    // Category 0 is O; labels by name after it.
    let mut categories: BTreeMap<&str, usize> = BTreeMap::new();
    // ratings[i][t]: annotator i's category of token t.
    let mut ratings: Vec<Vec<usize>> = vec![Vec::new(); sides.len()];
    for d in shared {
        if holders.get(d).is_none_or(|w| w.len() != sides.len()) {
            continue;
        }
        let docs: Vec<(&Project, &Document)> = sides
            .iter()
            .filter_map(|s| s.docs.get(d).map(|doc| (s.project, *doc)))
            .collect();
        for (i, labels) in token_labels(&docs).labels.into_iter().enumerate() {
            for l in labels {
                let c = match l {
                    None => 0,
                    Some(name) => {
                        let next = categories.len() + 1;
                        *categories.entry(name).or_insert(next)
                    }
                };
                ratings[i].push(c);
            }
        }
    }
    let n_tokens = ratings[0].len();
    let k = categories.len() + 1;
    if sides.len() == 2 {
        (cohen_kappa(&ratings[0], &ratings[1], k), None, n_tokens)
    } else {
        (None, fleiss_kappa(&ratings, k), n_tokens)
    }
}

/// One document's tokens and each annotator's label per token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenLabels<'p> {
    /// Tokens as char ranges, in order.
    pub tokens: Vec<(usize, usize)>,
    /// Per annotator (in the order given), the label name of each token; `None` is O.
    pub labels: Vec<Vec<Option<&'p str>>>,
}

/// The tokens of one document as the token exports cut it, and each annotator's label per
/// token (`None` for O), for `docs`: the same document (same text) as each annotator has it.
///
/// Each annotator's spans are made flat as an export makes them ([`flatten`]: of
/// overlapping spans the longest wins). The tokens are the exporters' tokens cut at every
/// annotator's span boundaries, so each token lies wholly inside or outside every flat
/// span. Where the annotators' boundaries fall between tokens anyway (the usual case), these
/// are exactly the tokens each annotator's export writes.
pub fn token_labels<'p>(docs: &[(&'p Project, &'p Document)]) -> TokenLabels<'p> {
    let Some((_, first)) = docs.first() else {
        return TokenLabels {
            tokens: Vec::new(),
            labels: Vec::new(),
        };
    };
    let flats: Vec<Vec<Span>> = docs.iter().map(|(_, d)| flatten(d, |_| true).0).collect();
    let mut cuts: Vec<usize> = flats
        .iter()
        .flatten()
        .flat_map(|s| [s.start(), s.end()])
        .collect();
    cuts.sort_unstable();
    cuts.dedup();
    let mut toks = Vec::new();
    let mut c = 0;
    for t in tokens(first.text().as_str()) {
        while c < cuts.len() && cuts[c] <= t.start {
            c += 1;
        }
        let mut from = t.start;
        while c < cuts.len() && cuts[c] < t.end {
            toks.push((from, cuts[c]));
            from = cuts[c];
            c += 1;
        }
        toks.push((from, t.end));
    }
    let labels = docs
        .iter()
        .zip(&flats)
        .map(|((project, _), flat)| {
            let mut k = 0;
            toks.iter()
                .map(|&(start, _)| {
                    while k < flat.len() && flat[k].end() <= start {
                        k += 1;
                    }
                    flat.get(k)
                        .filter(|s| s.start() <= start)
                        .and_then(|s| project.label(s.label()))
                        .map(|l| l.name.as_str())
                })
                .collect()
        })
        .collect();
    TokenLabels {
        tokens: toks,
        labels,
    }
}

/// Cohen's kappa of two raters' categories (`0..k`) of the same items:
/// (p_o − p_e) / (1 − p_e), p_o the share of items they agree on, p_e = Σ_c a_c·b_c the
/// agreement expected from each rater's category shares a_c, b_c. `None` without items,
/// or when p_e = 1 (both gave every item one and the same category: 0/0, where
/// scikit-learn returns NaN).
pub fn cohen_kappa(a: &[usize], b: &[usize], k: usize) -> Option<f64> {
    let n = a.len().min(b.len());
    if n == 0 {
        return None;
    }
    let (mut count_a, mut count_b) = (vec![0usize; k], vec![0usize; k]);
    let mut same = 0usize;
    for (&x, &y) in a.iter().zip(b) {
        count_a[x] += 1;
        count_b[y] += 1;
        same += usize::from(x == y);
    }
    let n = n as f64;
    let po = same as f64 / n;
    let pe: f64 = count_a
        .iter()
        .zip(&count_b)
        .map(|(&x, &y)| (x as f64 / n) * (y as f64 / n))
        .sum();
    (pe < 1.0).then(|| (po - pe) / (1.0 - pe))
}

/// Fleiss' kappa of `ratings[rater][item]` (categories `0..k`, every rater rates every
/// item): (P̄ − P̄_e) / (1 − P̄_e), P̄ the mean over items of the share of agreeing rater
/// pairs, P_i = (Σ_c n_ic² − n) / (n (n − 1)), and P̄_e = Σ_c p_c², p_c the share of all
/// ratings in category c. `None` with fewer than two raters, no items, or P̄_e = 1.
pub fn fleiss_kappa(ratings: &[Vec<usize>], k: usize) -> Option<f64> {
    let raters = ratings.len();
    let items = ratings.iter().map(Vec::len).min().unwrap_or(0);
    if raters < 2 || items == 0 {
        return None;
    }
    let mut totals = vec![0usize; k];
    let mut agree_sum = 0.0;
    let mut counts = vec![0usize; k];
    for i in 0..items {
        counts.iter_mut().for_each(|c| *c = 0);
        for r in ratings {
            counts[r[i]] += 1;
        }
        let squares: usize = counts.iter().map(|c| c * c).sum();
        agree_sum += (squares - raters) as f64 / (raters * (raters - 1)) as f64;
        for (t, c) in totals.iter_mut().zip(&counts) {
            *t += c;
        }
    }
    let p_bar = agree_sum / items as f64;
    let all = (items * raters) as f64;
    let pe: f64 = totals.iter().map(|&t| (t as f64 / all).powi(2)).sum();
    (pe < 1.0).then(|| (p_bar - pe) / (1.0 - pe))
}

#[cfg(test)]
mod tests;
