//! The learned source: every labeled surface string (per label, with counts) proposed
//! wherever it recurs unlabeled with that label, in every document.
//!
//! The rule, in one place ([`naive_learned`] spells it out as a plain scan):
//! 1. a *candidate* is an occurrence of a labeled string (the key; folded when ignoring
//!    case) at word edges (`occurrences::at_word_edges`), with the key's label;
//! 2. it *remains* unless a span of its label overlaps it (this drops the spans
//!    themselves; a candidate may nest inside a span of another label);
//! 3. a remaining candidate is *kept* unless a strictly longer remaining candidate
//!    overlaps it (the longest match wins).
//!
//! Whether a candidate is kept depends only on what lies within twice the longest key of
//! it, so after a change only that neighbourhood is recomputed. New strings are found
//! through a per-text index of word positions: a lookup costs the occurrences of the
//! key's rarest word, never a scan of the corpus.

use std::collections::{BTreeSet, HashMap, hash_map::Entry};

use super::super::occurrences::at_word_edges;
use super::super::search::fold;
use super::super::{Document, LabelId, Project, Span, Stamp, Text};

/// A labeled string and its label.
type Key = (Box<str>, LabelId);

/// A candidate as (start, end, label): ordered by start for range queries.
type Cand = (usize, usize, LabelId);

/// Word positions of one text (folded when ignoring case), built once per text.
struct TextIndex {
    /// The folded text, when ignoring case (same char offsets as the text).
    folded: Option<Text>,
    /// Each word (maximal run of alphanumeric chars) and the (char, byte) offsets it
    /// starts at.
    words: HashMap<Box<str>, Vec<(u32, u32)>>,
}

impl TextIndex {
    fn new(text: &Text, ignore_case: bool) -> Self {
        let folded = ignore_case.then(|| Text::new(fold(text.as_str())));
        let hay = folded.as_ref().unwrap_or(text);
        let mut words: HashMap<Box<str>, Vec<(u32, u32)>> = HashMap::new();
        let s = hay.as_str();
        let mut run: Option<(usize, usize)> = None; // (byte, char) of the run's start
        let mut push = |from_byte: usize, to_byte: usize, at: usize| {
            let w = &s[from_byte..to_byte];
            let at = (
                u32::try_from(at).unwrap_or(u32::MAX),
                u32::try_from(from_byte).unwrap_or(u32::MAX),
            );
            match words.get_mut(w) {
                Some(v) => v.push(at),
                None => {
                    words.insert(w.into(), vec![at]);
                }
            }
        };
        for (ci, (bi, c)) in s.char_indices().enumerate() {
            if c.is_alphanumeric() {
                run.get_or_insert((bi, ci));
            } else if let Some((b0, c0)) = run.take() {
                push(b0, bi, c0);
            }
        }
        if let Some((b0, c0)) = run {
            push(b0, s.len(), c0);
        }
        Self { folded, words }
    }

    /// Char ranges where `key` stands at word edges (overlapping ones too).
    fn occurrences(&self, text: &Text, key: &str) -> Vec<(usize, usize)> {
        let hay = self.folded.as_ref().unwrap_or(text);
        let klen = key.chars().count();
        let mut out = Vec::new();
        // The key's words, with their char and byte offsets in the key.
        let mut runs: Vec<(usize, usize, &str)> = Vec::new();
        let mut run: Option<(usize, usize)> = None;
        for (ci, (bi, c)) in key.char_indices().enumerate() {
            if c.is_alphanumeric() {
                run.get_or_insert((bi, ci));
            } else if let Some((b0, c0)) = run.take() {
                runs.push((c0, b0, &key[b0..bi]));
            }
        }
        if let Some((b0, c0)) = run {
            runs.push((c0, b0, &key[b0..]));
        }
        if runs.is_empty() {
            // No word in the key (punctuation only): a plain scan, rare.
            let s = hay.as_str();
            let mut from = 0;
            while let Some(b) = s[from..].find(key) {
                let at = from + b;
                let start = hay.byte_to_char(at);
                out.push((start, start + klen));
                from = at + s[at..].chars().next().map_or(1, char::len_utf8);
            }
            return out;
        }
        // Each word of a match stands as a whole word of the text (the key's neighbours
        // of a word are not alphanumeric, or are the text's word edges), so the rarest
        // word's positions are all the places a match can be.
        let mut best: Option<(usize, usize, &Vec<(u32, u32)>)> = None;
        for &(off, boff, w) in &runs {
            let Some(pos) = self.words.get(w) else {
                return out;
            };
            if best.is_none_or(|(_, _, b)| pos.len() < b.len()) {
                best = Some((off, boff, pos));
            }
        }
        let Some((off, boff, positions)) = best else {
            return out;
        };
        let h = hay.as_str();
        let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        let (first_word, last_word) = (word(key.chars().next()), word(key.chars().next_back()));
        for &(q, qb) in positions {
            let (Some(p), Some(pb)) = (
                (q as usize).checked_sub(off),
                (qb as usize).checked_sub(boff),
            ) else {
                continue;
            };
            let end = pb + key.len();
            // The word-edge rule of `at_word_edges`, on bytes.
            if h.get(pb..end) == Some(key)
                && (!first_word || !word(h[..pb].chars().next_back()))
                && (!last_word || !word(h[end..].chars().next()))
            {
                out.push((p, p + klen));
            }
        }
        out
    }
}

/// The learned source's state for one document.
struct LDoc {
    text_id: u64,
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
    /// Windows `[a, b)` of candidate starts recomputed by the last update.
    touched: Vec<(usize, usize)>,
    /// Fresh whenever `out` changes.
    generation: u64,
}

/// Above this many keys, a lookup scans each text once with Aho–Corasick instead of
/// looking each key up in the word index (tests take both ways often).
const MANY_KEYS: usize = if cfg!(test) { 3 } else { 64 };

/// Finds the occurrences of a set of keys in a text.
enum KeyFinder<'k> {
    /// Few keys: each through the text's word index.
    Each(&'k [Key]),
    /// Many: one automaton over them all; pattern `k` has the labels `labels[k]`.
    Automaton {
        ac: aho_corasick::AhoCorasick,
        keys: Vec<&'k str>,
        labels: Vec<Vec<LabelId>>,
    },
}

impl<'k> KeyFinder<'k> {
    fn new(keys: &'k [Key]) -> Self {
        if keys.len() <= MANY_KEYS {
            return Self::Each(keys);
        }
        let mut ix: HashMap<&str, usize> = HashMap::new();
        let (mut strs, mut labels): (Vec<&str>, Vec<Vec<LabelId>>) = (Vec::new(), Vec::new());
        for (k, label) in keys {
            let i = *ix.entry(k).or_insert_with(|| {
                strs.push(k);
                labels.push(Vec::new());
                strs.len() - 1
            });
            labels[i].push(*label);
        }
        match aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::Standard)
            .build(&strs)
        {
            Ok(ac) => Self::Automaton {
                ac,
                keys: strs,
                labels,
            },
            // Too big for an automaton: one key at a time still works.
            Err(_) => Self::Each(keys),
        }
    }

    /// Every occurrence at word edges, with its label.
    fn find(&self, index: &TextIndex, text: &Text) -> Vec<Cand> {
        let mut out = Vec::new();
        match self {
            Self::Each(keys) => {
                for (k, label) in keys.iter() {
                    out.extend(
                        index
                            .occurrences(text, k)
                            .into_iter()
                            .map(|(s, e)| (s, e, *label)),
                    );
                }
            }
            Self::Automaton { ac, keys, labels } => {
                let hay = index.folded.as_ref().unwrap_or(text);
                let h = hay.as_str();
                let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
                let lens: Vec<usize> = keys.iter().map(|k| k.chars().count()).collect();
                // Matches come ordered by end: chars are counted from one end to the next.
                let (mut byte, mut chars) = (0, 0);
                for m in ac.find_overlapping_iter(h) {
                    let k = m.pattern().as_usize();
                    let key = keys[k];
                    // The word-edge rule of `at_word_edges`, on bytes.
                    let edges = (!word(key.chars().next())
                        || !word(h[..m.start()].chars().next_back()))
                        && (!word(key.chars().next_back()) || !word(h[m.end()..].chars().next()));
                    if !edges {
                        continue;
                    }
                    chars += h[byte..m.end()].chars().count();
                    byte = m.end();
                    let (s, e) = (chars - lens[k], chars);
                    out.extend(labels[k].iter().map(|&l| (s, e, l)));
                }
            }
        }
        out
    }
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
        fold(s).into()
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
        // 1. Documents: keep each one's state (by text id), forget removed ones.
        let same_order = self.docs.len() == docs.len()
            && self
                .docs
                .iter()
                .zip(docs)
                .all(|(l, d)| l.text_id == d.text().id());
        let mut delta: HashMap<Key, i64> = HashMap::new();
        if !same_order {
            let mut old: HashMap<u64, Vec<LDoc>> = HashMap::new();
            for l in self.docs.drain(..) {
                old.entry(l.text_id).or_default().push(l);
            }
            for d in docs {
                let l = old
                    .get_mut(&d.text().id())
                    .and_then(Vec::pop)
                    .unwrap_or_else(|| LDoc {
                        text_id: d.text().id(),
                        text: d.text().clone(),
                        stamp: 0,
                        index: TextIndex::new(d.text(), ignore_case),
                        spans: Vec::new(),
                        raw: BTreeSet::new(),
                        out: Vec::new(),
                        spare: Vec::new(),
                        touched: Vec::new(),
                        generation: Stamp::fresh().get(),
                    });
                self.docs.push(l);
            }
            // Spans of removed documents no longer count.
            for l in old.into_values().flatten() {
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
                for c in all_finder.find(&l.index, d.text()) {
                    l.raw.insert(c);
                }
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

/// Recomputes which candidates are kept, for every candidate starting within `reach` of
/// a changed region.
fn refilter(
    l: &mut LDoc,
    doc: &Document,
    regions: &[(usize, usize)],
    reach: usize,
    max_len: usize,
) {
    let mut windows: Vec<(usize, usize)> = regions
        .iter()
        .map(|&(s, e)| (s.saturating_sub(reach), e + reach))
        .collect();
    windows.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (s, e) in windows {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    let remains_in = |spans: Option<&[Span]>, c: &Cand| match spans {
        // A small window: its spans, gathered once.
        Some(spans) => !spans
            .iter()
            .any(|s| s.label() == c.2 && s.start() < c.1 && s.end() > c.0),
        None => !doc.spans().overlapping(c.0, c.1).any(|s| s.label() == c.2),
    };
    let lo = |x: usize| (x, 0, LabelId(0));
    // What each window keeps, computed first; then `out` is rebuilt in one pass (a
    // splice per window would move the tail of a long list once per window).
    let mut kept_per: Vec<Vec<Span>> = Vec::with_capacity(merged.len());
    // The candidates that can beat one in the window; `remains` is asked at most once
    // each, and only of those that matter.
    let mut near: Vec<Cand> = Vec::new();
    let mut ok: Vec<Option<bool>> = Vec::new();
    let mut local: Vec<Span> = Vec::new();
    for &(a, b) in &merged {
        // Every span that can overlap a candidate of the window (they start at most
        // `max_len` before it and are at most `max_len` long).
        let small = b - a <= if cfg!(test) { 40 } else { 1 << 14 };
        if small {
            local.clear();
            local.extend(
                doc.spans()
                    .overlapping(a.saturating_sub(max_len), b + max_len)
                    .copied(),
            );
        }
        let spans = small.then_some(local.as_slice());
        let remains = |c: &Cand| remains_in(spans, c);
        near.clear();
        near.extend(l.raw.range(lo(a.saturating_sub(max_len))..lo(b)).copied());
        ok.clear();
        ok.resize(near.len(), None);
        let mut remains_at =
            |k: usize, near: &[Cand]| -> bool { *ok[k].get_or_insert_with(|| remains(&near[k])) };
        let mut kept: Vec<Span> = Vec::new();
        let first = near.partition_point(|c| c.0 < a);
        // Only candidates starting within `max_len` before `c`, up to its end, can
        // overlap it: `lo_k` follows `c` (starts only grow).
        let mut lo_k = 0;
        for k in first..near.len() {
            let c = near[k];
            if !remains_at(k, &near) {
                continue;
            }
            let len = c.1 - c.0;
            while near[lo_k].0 + max_len < c.0 {
                lo_k += 1;
            }
            let mut beaten = false;
            for j in lo_k..near.len() {
                let o = near[j];
                if o.0 >= c.1 {
                    break;
                }
                if o.1 > c.0 && o.1 - o.0 > len && remains_at(j, &near) {
                    beaten = true;
                    break;
                }
            }
            if !beaten && let Ok(span) = Span::new(c.0, c.1, c.2) {
                kept.push(span);
            }
        }
        // `near` is in (start, end, label) order, so `kept` is sorted.
        kept_per.push(kept);
    }
    let unchanged = merged.iter().zip(&kept_per).all(|(&(a, b), kept)| {
        let from = l.out.partition_point(|s| s.start() < a);
        let to = l.out.partition_point(|s| s.start() < b);
        l.out[from..to] == kept[..]
    });
    l.touched = merged.clone();
    if unchanged {
        return;
    }
    // Into the spare buffer (the list before last): a fresh one would be paged in again.
    let mut out = std::mem::take(&mut l.spare);
    out.clear();
    let mut at = 0;
    for (&(a, b), kept) in merged.iter().zip(kept_per) {
        let from = at + l.out[at..].partition_point(|s| s.start() < a);
        let to = from + l.out[from..].partition_point(|s| s.start() < b);
        out.extend_from_slice(&l.out[at..from]);
        out.extend(kept);
        at = to;
    }
    out.extend_from_slice(&l.out[at..]);
    l.spare = std::mem::replace(&mut l.out, out);
    l.generation = Stamp::fresh().get();
}

/// The learned source computed the plain way, as the definition: every labeled string's
/// occurrences at word edges by a scan of every char position, filtered as the module
/// says. Per document, sorted. Slow (keys × text): for tests.
pub fn naive_learned(project: &Project, ignore_case: bool) -> Vec<Vec<Span>> {
    let mut keys: BTreeSet<(String, LabelId)> = BTreeSet::new();
    for d in project.documents() {
        for s in d.spans().iter() {
            if let Some(k) = key_of(d, s, ignore_case) {
                keys.insert((k.into(), s.label()));
            }
        }
    }
    project
        .documents()
        .iter()
        .map(|d| {
            let hay = if ignore_case {
                Text::new(fold(d.text().as_str()))
            } else {
                d.text().clone()
            };
            let chars: Vec<char> = hay.as_str().chars().collect();
            let mut cands: Vec<Cand> = Vec::new();
            for (k, label) in &keys {
                let kc: Vec<char> = k.chars().collect();
                for p in 0..chars.len() {
                    if chars[p..].starts_with(&kc) && at_word_edges(&hay, p, p + kc.len(), k) {
                        cands.push((p, p + kc.len(), *label));
                    }
                }
            }
            let overlaps = |a: &Cand, s: usize, e: usize| a.0 < e && s < a.1;
            let remains = |c: &Cand| {
                !d.spans()
                    .iter()
                    .any(|s| s.label() == c.2 && overlaps(c, s.start(), s.end()))
            };
            let mut out: Vec<Span> = cands
                .iter()
                .filter(|c| remains(c))
                .filter(|c| {
                    !cands
                        .iter()
                        .any(|o| overlaps(o, c.0, c.1) && o.1 - o.0 > c.1 - c.0 && remains(o))
                })
                .filter_map(|c| Span::new(c.0, c.1, c.2).ok())
                .collect();
            out.sort_unstable();
            out.dedup();
            out
        })
        .collect()
}
