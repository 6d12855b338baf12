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
use std::sync::Arc;

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
    /// The document as last seen: its spans are those the counts hold. Shared with the
    /// project (a copy of every span list cost 75 MB on a 3M-span corpus).
    seen: Option<Arc<Document>>,
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

/// At most this many candidates over a project: past it the source stops (see
/// [`Learned::stopped`]). A candidate costs about 30 bytes (100 when kept, across the
/// source and the engine); a project where labelled words like "the" recur everywhere
/// would otherwise fill the memory (a 100M-char corpus reached 3.5 GB and had not
/// finished after 10 minutes). A 1M-char text with 50k spans, many on common words,
/// holds about 5% of it.
pub const MAX_CANDIDATES: usize = 4_000_000;

impl LDoc {
    /// The spans the counts hold for this document.
    fn seen_spans(&self) -> &[Span] {
        self.seen.as_ref().map_or(&[], |d| d.spans().as_slice())
    }
}

/// The learned source over a whole project, updated incrementally.
pub(super) struct Learned {
    ignore_case: bool,
    /// How many spans teach each key (always > 0).
    counts: HashMap<Key, i64>,
    /// No key is longer (in chars): bounds how far a change reaches.
    max_len: usize,
    docs: Vec<LDoc>,
    /// Candidates held over all documents.
    candidates: usize,
    /// At most this many candidates ([`MAX_CANDIDATES`] but in tests).
    limit: usize,
    /// Why the source stopped, when it did: it holds and proposes nothing until it is
    /// built again from scratch (the settings change or another project opens).
    stopped: Option<String>,
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

impl Default for Learned {
    fn default() -> Self {
        Self::with_limit(MAX_CANDIDATES)
    }
}

impl Learned {
    /// An empty source that stops past `limit` candidates.
    pub(super) fn with_limit(limit: usize) -> Self {
        Self {
            ignore_case: false,
            counts: HashMap::new(),
            max_len: 0,
            docs: Vec::new(),
            candidates: 0,
            limit,
            stopped: None,
        }
    }

    /// Brings the source up to date with the project.
    pub(super) fn update(&mut self, project: &Project, ignore_case: bool) {
        if ignore_case != self.ignore_case {
            *self = Self {
                ignore_case,
                ..Self::with_limit(self.limit)
            };
        }
        if self.stopped.is_some() {
            return;
        }
        if self.update_within_limit(project, ignore_case).is_err() {
            // Everything is freed: what was found so far would be a partial answer.
            let why = self.limit_message();
            *self = Self {
                ignore_case,
                stopped: Some(why),
                ..Self::with_limit(self.limit)
            };
        }
    }

    /// How many candidates it holds at most.
    pub(super) fn limit(&self) -> usize {
        self.limit
    }

    /// Why the source stopped (too many candidates), if it did.
    pub(super) fn stopped(&self) -> Option<&str> {
        self.stopped.as_deref()
    }

    /// The message the source stops with, past its limit.
    fn limit_message(&self) -> String {
        // The most-taught keys are the likely cause ("the", "of" labelled somewhere).
        let mut by_text: HashMap<&str, u64> = HashMap::new();
        for ((k, _), n) in &self.counts {
            *by_text.entry(k).or_default() += n.unsigned_abs();
        }
        let mut top: Vec<(&str, u64)> = by_text.into_iter().collect();
        top.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        let examples: Vec<String> = top
            .iter()
            .take(3)
            .map(|(k, n)| format!("“{}” ({n}×)", super::super::text::ellipsize(k, 30)))
            .collect();
        format!(
            "Learned suggestions stopped: the labelled strings recur more than {} times \
             unlabelled ({} distinct strings; most taught: {}). Remove labels on common \
             words, or use a patterns file.",
            super::super::text::thousands(self.limit),
            super::super::text::thousands(self.counts.len()),
            examples.join(", ")
        )
    }

    /// [`Self::update`]; `Err` as soon as the candidates pass the limit.
    fn update_within_limit(&mut self, project: &Project, ignore_case: bool) -> Result<(), ()> {
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
                    seen: None,
                    raw: BTreeSet::new(),
                    out: Vec::new(),
                    spare: Vec::new(),
                    span_changes: Vec::new(),
                    touched: Vec::new(),
                    generation: Stamp::fresh().get(),
                });
                self.docs.push(l);
            }
            // Spans of removed documents no longer count, nor do their candidates.
            for l in old.into_values() {
                self.candidates = self.candidates.saturating_sub(l.raw.len());
                for sp in l.seen_spans() {
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
            let (added, removed) = diff(l.seen_spans(), now);
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
            // A fresh document has no candidates yet: it is filled from every key below,
            // and recomputed as a whole (its regions would only cost memory).
            if l.stamp == 0 {
                fresh[i] = true;
                regions = Vec::new();
            }
            l.seen = Some(Arc::clone(d));
            l.stamp = d.stamp();
            l.span_changes.clone_from(&regions);
            changed.push((i, regions));
        }
        // New keys matter only to documents seen before (fresh ones get every key).
        let seen_before = fresh.iter().any(|&f| !f);
        let (new_keys, gone_keys) = self.apply_delta(delta, seen_before);
        let mut regions: Vec<Vec<(usize, usize)>> = vec![Vec::new(); docs.len()];
        for (i, r) in changed {
            regions[i] = r;
        }
        // 3. Strings that appeared or disappeared: their occurrences, document by document.
        // Few keys: looked up through each text's word index, costing their occurrences.
        // Many (a project opened, a document added): one Aho–Corasick pass per text.
        // Each finder is told the texts it will search (many keys are anchored on their
        // rarest word in them).
        let fresh_indexes = || {
            self.docs
                .iter()
                .zip(&fresh)
                .filter(|(_, f)| **f)
                .map(|(l, _)| &l.index)
        };
        let all_finder = if fresh.iter().any(|&f| f) {
            KeyFinder::new(self.counts.keys(), fresh_indexes())
        } else {
            KeyFinder::new([], std::iter::empty())
        };
        let all_indexes = || self.docs.iter().map(|l| &l.index);
        let new_finder = KeyFinder::new(&new_keys, all_indexes());
        let gone_finder = KeyFinder::new(&gone_keys, all_indexes());
        for (i, d) in docs.iter().enumerate() {
            let l = &mut self.docs[i];
            if fresh[i] {
                // Collected then built in bulk: far cheaper than one insert at a time.
                let mut all = all_finder.find(&l.index, d.text());
                self.candidates = self.candidates.saturating_sub(l.raw.len());
                all.extend(std::mem::take(&mut l.raw));
                // Sorted first: the set is then built from a sorted run, in one pass.
                all.sort_unstable();
                all.dedup();
                self.candidates += all.len();
                l.raw = all.into_iter().collect();
                regions[i] = vec![(0, d.text().char_len())];
                if self.candidates > self.limit {
                    return Err(());
                }
                continue;
            }
            let (mut added, mut removed) = (0, 0);
            for c in gone_finder.find(&l.index, d.text()) {
                if l.raw.remove(&c) {
                    removed += 1;
                    regions[i].push((c.0, c.1));
                }
            }
            for c in new_finder.find(&l.index, d.text()) {
                if l.raw.insert(c) {
                    added += 1;
                    regions[i].push((c.0, c.1));
                }
            }
            self.candidates = (self.candidates + added).saturating_sub(removed);
            if self.candidates > self.limit {
                return Err(());
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
        Ok(())
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

    /// Applies count changes; returns the keys that appeared (when `want_new`: a copy of
    /// every key when a project opens would cost memory for nothing) and those that went.
    fn apply_delta(
        &mut self,
        mut delta: HashMap<Key, i64>,
        want_new: bool,
    ) -> (Vec<Key>, Vec<Key>) {
        let (mut new_keys, mut gone_keys) = (Vec::new(), Vec::new());
        if self.counts.is_empty() && !want_new {
            // A project opened: the delta becomes the counts, without a second map.
            delta.retain(|_, d| *d > 0);
            let longest = delta.keys().map(|(k, _)| k.chars().count()).max();
            self.max_len = self.max_len.max(longest.unwrap_or(0));
            self.counts = delta;
            return (new_keys, gone_keys);
        }
        for (key, d) in delta {
            if d == 0 {
                continue;
            }
            match self.counts.entry(key) {
                Entry::Occupied(mut o) => {
                    let n = *o.get() + d;
                    if n <= 0 {
                        gone_keys.push(o.remove_entry().0);
                    } else {
                        *o.get_mut() = n;
                    }
                }
                Entry::Vacant(v) => {
                    if d > 0 {
                        self.max_len = self.max_len.max(v.key().0.chars().count());
                        if want_new {
                            new_keys.push(v.key().clone());
                        }
                        v.insert(d);
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
            .map_or(0, |&n| u32::try_from(n).unwrap_or(u32::MAX))
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
