//! The learned source: every labeled surface string (per label, with counts) proposed
//! wherever it recurs unlabeled with that label, in every document.
//!
//! The rule, in one place ([`naive_learned`] spells it out as a plain scan):
//! 1. a *candidate* is an occurrence of a labeled string (the key) at word edges
//!    (`occurrences::at_word_edges`), with the key's label; ignoring case, key and text
//!    are compared under full Unicode case folding (`search::case_fold`: `ß` = `SS`,
//!    `Σ` = `σ` = `ς`), and a candidate may not start or end inside one char's folding;
//! 2. it *remains* unless a span of its label overlaps it (this drops the spans
//!    themselves; a candidate may nest inside a span of another label);
//! 3. a remaining candidate is *kept* unless a strictly longer remaining candidate
//!    overlaps it (the longest match wins).
//!
//! Whether a candidate is kept depends only on what lies within twice the longest key of
//! it, so after a change only that neighbourhood is recomputed. New strings are found
//! through a per-text index of word positions: a lookup costs the occurrences of the
//! key's rarest word, never a scan of the corpus.
//!
//! Here: the source's state per document and the label counts, brought up to date by
//! [`Learned::update`]. `index.rs` finds a text's candidates (its word index, and an
//! automaton when many keys are looked up at once), `filter.rs` recomputes which are
//! kept around a change, and `naive.rs` holds the plain scan the tests compare with.

use std::collections::{BTreeSet, HashMap, hash_map::Entry};

use super::super::search::case_fold;
use super::super::{DocId, Document, LabelId, Project, Span, Stamp, Text};
use filter::refilter;
use index::{KeyFinder, TextIndex};

mod filter;
mod index;
mod naive;

pub use naive::naive_learned;

/// A labeled string and its label.
type Key = (Box<str>, LabelId);

/// A candidate as (start, end, label): ordered by start for range queries.
type Cand = (usize, usize, LabelId);

/// The learned source's state for one document.
struct LDoc {
    doc: DocId,
    /// The document's text (its spans' strings are needed after it is removed).
    text: Text,
    /// The document stamp the state matches (0: none yet).
    stamp: u64,
    index: TextIndex,
    /// The spans the counts hold for this document, as last seen.
    spans: Vec<Span>,
    /// Every candidate.
    raw: BTreeSet<Cand>,
    /// The kept candidates, sorted by (start, end, label).
    out: Vec<Span>,
    /// The list before `out`, kept as a buffer for the next rebuild.
    spare: Vec<Span>,
    /// Ranges of the spans that came or went in the last update.
    span_changes: Vec<(usize, usize)>,
    /// Windows `[a, b)` of candidate starts recomputed by the last update.
    touched: Vec<(usize, usize)>,
    /// Fresh whenever `out` changes.
    generation: u64,
}

/// The learned source over a whole project, updated incrementally.
#[derive(Default)]
pub(super) struct Learned {
    ignore_case: bool,
    counts: HashMap<Key, u32>,
    /// No key is longer (in chars): bounds how far a change reaches.
    max_len: usize,
    docs: Vec<LDoc>,
}

/// The key of a span: its text, folded when ignoring case; `None` for blank text.
fn key_of(doc: &Document, span: &Span, ignore_case: bool) -> Option<Box<str>> {
    key_in(doc.text(), span, ignore_case)
}

/// [`key_of`] for a span of `text`.
fn key_in(text: &Text, span: &Span, ignore_case: bool) -> Option<Box<str>> {
    let s = text.slice(span.start(), span.end());
    if s.trim().is_empty() {
        return None;
    }
    Some(if ignore_case {
        case_fold(s).into()
    } else {
        s.into()
    })
}

impl Learned {
    /// Brings the source up to date with the project.
    pub(super) fn update(&mut self, project: &Project, ignore_case: bool) {
        if ignore_case != self.ignore_case {
            *self = Self {
                ignore_case,
                ..Self::default()
            };
        }
        let docs = project.documents();
        // 1. Documents: keep each one's state (by document id), forget removed ones.
        let same_order = self.docs.len() == docs.len()
            && self.docs.iter().zip(docs).all(|(l, d)| l.doc == d.id());
        let mut delta: HashMap<Key, i64> = HashMap::new();
        if !same_order {
            let mut old: HashMap<DocId, LDoc> = self.docs.drain(..).map(|l| (l.doc, l)).collect();
            for d in docs {
                let l = old.remove(&d.id()).unwrap_or_else(|| LDoc {
                    doc: d.id(),
                    text: d.text().clone(),
                    stamp: 0,
                    index: TextIndex::new(d.text(), ignore_case),
                    spans: Vec::new(),
                    raw: BTreeSet::new(),
                    out: Vec::new(),
                    spare: Vec::new(),
                    span_changes: Vec::new(),
                    touched: Vec::new(),
                    generation: Stamp::fresh().get(),
                });
                self.docs.push(l);
            }
            // Spans of removed documents no longer count.
            for l in old.into_values() {
                for sp in &l.spans {
                    if let Some(k) = key_in(&l.text, sp, ignore_case) {
                        *delta.entry((k, sp.label())).or_default() -= 1;
                    }
                }
            }
        }
        // 2. Spans that changed: count their strings in or out.
        let mut fresh = vec![false; docs.len()];
        let mut changed: Vec<(usize, Vec<(usize, usize)>)> = Vec::new();
        for (i, d) in docs.iter().enumerate() {
            let l = &mut self.docs[i];
            l.span_changes.clear();
            if l.stamp == d.stamp() {
                continue;
            }
            let now = d.spans().as_slice();
            let mut regions = Vec::new();
            let (added, removed) = diff(&l.spans, now);
            for s in added {
                if let Some(k) = key_of(d, &s, ignore_case) {
                    *delta.entry((k, s.label())).or_default() += 1;
                }
                regions.push((s.start(), s.end()));
            }
            for s in removed {
                if let Some(k) = key_of(d, &s, ignore_case) {
                    *delta.entry((k, s.label())).or_default() -= 1;
                }
                regions.push((s.start(), s.end()));
            }
            // A fresh document has no candidates yet: it is filled from every key below.
            if l.stamp == 0 {
                fresh[i] = true;
            }
            // Into the old buffer: a fresh one would be paged in again.
            l.spans.clear();
            l.spans.extend_from_slice(now);
            l.stamp = d.stamp();
            l.span_changes.clone_from(&regions);
            changed.push((i, regions));
        }
        let (new_keys, gone_keys) = self.apply_delta(delta);
        let mut regions: Vec<Vec<(usize, usize)>> = vec![Vec::new(); docs.len()];
        for (i, r) in changed {
            regions[i] = r;
        }
        // 3. Strings that appeared or disappeared: their occurrences, document by document.
        // Few keys: looked up through each text's word index, costing their occurrences.
        // Many (a project opened, a document added): one Aho–Corasick pass per text.
        let all_keys: Vec<Key> = if fresh.iter().any(|&f| f) {
            self.counts.keys().cloned().collect()
        } else {
            Vec::new()
        };
        let (all_finder, new_finder, gone_finder) = (
            KeyFinder::new(&all_keys),
            KeyFinder::new(&new_keys),
            KeyFinder::new(&gone_keys),
        );
        for (i, d) in docs.iter().enumerate() {
            let l = &mut self.docs[i];
            if fresh[i] {
                // Collected then built in bulk: far cheaper than one insert at a time.
                let mut all = all_finder.find(&l.index, d.text());
                all.extend(std::mem::take(&mut l.raw));
                // Sorted first: the set is then built from a sorted run, in one pass.
                all.sort_unstable();
                all.dedup();
                l.raw = all.into_iter().collect();
                regions[i] = vec![(0, d.text().char_len())];
                continue;
            }
            for c in gone_finder.find(&l.index, d.text()) {
                if l.raw.remove(&c) {
                    regions[i].push((c.0, c.1));
                }
            }
            for c in new_finder.find(&l.index, d.text()) {
                if l.raw.insert(c) {
                    regions[i].push((c.0, c.1));
                }
            }
        }
        // 4. Recompute what is kept around each change.
        let reach = 2 * self.max_len;
        for (i, d) in docs.iter().enumerate() {
            let l = &mut self.docs[i];
            l.touched.clear();
            if !regions[i].is_empty() {
                refilter(l, d, &regions[i], reach, self.max_len);
            }
        }
    }

    /// The ranges of the spans of document `doc` that the last update saw come or go.
    pub(super) fn span_changes(&self, doc: usize) -> &[(usize, usize)] {
        self.docs
            .get(doc)
            .map_or(&[], |l| l.span_changes.as_slice())
    }

    /// The windows of document `doc` whose suggestions the last update recomputed
    /// (suggestions starting in them may have changed; none elsewhere did).
    pub(super) fn touched(&self, doc: usize) -> &[(usize, usize)] {
        self.docs.get(doc).map_or(&[], |l| l.touched.as_slice())
    }

    /// Applies count changes; returns the keys that appeared and those that went.
    fn apply_delta(&mut self, delta: HashMap<Key, i64>) -> (Vec<Key>, Vec<Key>) {
        let (mut new_keys, mut gone_keys) = (Vec::new(), Vec::new());
        for (key, d) in delta {
            if d == 0 {
                continue;
            }
            match self.counts.entry(key) {
                Entry::Occupied(mut o) => {
                    let n = i64::from(*o.get()) + d;
                    if n <= 0 {
                        gone_keys.push(o.remove_entry().0);
                    } else {
                        *o.get_mut() = u32::try_from(n).unwrap_or(u32::MAX);
                    }
                }
                Entry::Vacant(v) => {
                    if d > 0 {
                        self.max_len = self.max_len.max(v.key().0.chars().count());
                        new_keys.push(v.key().clone());
                        v.insert(u32::try_from(d).unwrap_or(u32::MAX));
                    }
                }
            }
        }
        // Deterministic order: the same change always gives the same candidates.
        new_keys.sort_unstable();
        gone_keys.sort_unstable();
        (new_keys, gone_keys)
    }

    /// Document `doc`'s learned suggestions, sorted (spans of the document excluded; not
    /// yet rejections).
    pub(super) fn for_doc(&self, doc: usize) -> &[Span] {
        self.docs.get(doc).map_or(&[], |l| l.out.as_slice())
    }

    /// Changes whenever [`Self::for_doc`] does for `doc`.
    pub(super) fn generation(&self, doc: usize) -> u64 {
        self.docs.get(doc).map_or(0, |l| l.generation)
    }

    /// How many spans taught the string of `span` in document `doc`, with its label.
    pub(super) fn count(&self, doc: usize, span: &Span) -> u32 {
        self.docs
            .get(doc)
            .and_then(|l| key_in(&l.text, span, self.ignore_case))
            .and_then(|k| self.counts.get(&(k, span.label())))
            .copied()
            .unwrap_or(0)
    }
}

/// Spans in `now` and not in `before`, and the other way round; both lists are sorted
/// the same way (a `SpanSet`'s order), so one merge pass finds them.
pub(super) fn diff(before: &[Span], now: &[Span]) -> (Vec<Span>, Vec<Span>) {
    let key = |s: &Span| (s.start(), std::cmp::Reverse(s.end()), s.label());
    let (mut added, mut removed) = (Vec::new(), Vec::new());
    let (mut i, mut j) = (0, 0);
    while i < before.len() || j < now.len() {
        match (before.get(i), now.get(j)) {
            (Some(a), Some(b)) if a == b => {
                i += 1;
                j += 1;
            }
            (Some(a), Some(b)) if key(a) < key(b) => {
                removed.push(*a);
                i += 1;
            }
            (Some(_), Some(b)) => {
                added.push(*b);
                j += 1;
            }
            (Some(a), None) => {
                removed.push(*a);
                i += 1;
            }
            (None, Some(b)) => {
                added.push(*b);
                j += 1;
            }
            (None, None) => break,
        }
    }
    (added, removed)
}
