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

use std::collections::{BTreeSet, HashMap, hash_map::Entry};

use super::super::occurrences::at_word_edges;
use super::super::search::{CaseFolded, case_fold};
use super::super::{DocId, Document, LabelId, Project, Span, Stamp, Text};

/// A labeled string and its label.
type Key = (Box<str>, LabelId);

/// A candidate as (start, end, label): ordered by start for range queries.
type Cand = (usize, usize, LabelId);

/// Where a word starts: (char, byte) offsets.
type Positions = Vec<(u32, u32)>;

/// Word positions of one text (folded when ignoring case), built once per text.
struct TextIndex {
    /// The case-folded text, when ignoring case, and the way back to the text's char
    /// offsets (a char may fold to several: `ß` to `ss`). Matches are found in it.
    folded: Option<(Text, CaseFolded)>,
    /// Each word (maximal run of alphanumeric chars) and the (char, byte) offsets it
    /// starts at.
    words: HashMap<Box<str>, Positions>,
}

impl TextIndex {
    fn new(text: &Text, ignore_case: bool) -> Self {
        let folded = ignore_case.then(|| {
            let mut f = CaseFolded::new(text.as_str());
            (Text::new(std::mem::take(&mut f.text)), f)
        });
        let hay = folded.as_ref().map_or(text, |(t, _)| t);
        let mut words: HashMap<Box<str>, Positions> = HashMap::new();
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

    /// Where `key` can stand at word edges: the positions of its rarest word (every word
    /// of a match stands as a whole word of the text: the key's neighbours of a word are
    /// not alphanumeric, or are the text's word edges), or a plain scan for a key with no
    /// word. `None`: a word of the key is not in the text, so it never occurs.
    fn plan<'a>(&'a self, key: &str) -> Option<Plan<'a>> {
        let mut best: Option<(usize, usize, &Positions)> = None;
        let mut run: Option<(usize, usize)> = None; // (byte, char) of the run's start
        let mut consider = |b0: usize, c0: usize, w: &str| -> bool {
            let Some(pos) = self.words.get(w) else {
                return false;
            };
            if best.is_none_or(|(_, _, b)| pos.len() < b.len()) {
                best = Some((c0, b0, pos));
            }
            true
        };
        for (ci, (bi, c)) in key.char_indices().enumerate() {
            if c.is_alphanumeric() {
                run.get_or_insert((bi, ci));
            } else if let Some((b0, c0)) = run.take()
                && !consider(b0, c0, &key[b0..bi])
            {
                return None;
            }
        }
        if let Some((b0, c0)) = run
            && !consider(b0, c0, &key[b0..])
        {
            return None;
        }
        Some(match best {
            Some((off, boff, positions)) => Plan::Word {
                off,
                boff,
                positions,
            },
            None => Plan::Scan,
        })
    }

    /// The text matches are found in: the folded one when ignoring case.
    fn hay<'t>(&'t self, text: &'t Text) -> &'t Text {
        self.folded.as_ref().map_or(text, |(t, _)| t)
    }

    /// A candidate found in [`Self::hay`], in the text's char offsets; `None` when it
    /// starts or ends inside the folding of one char (an `s` of the `ss` of `ß`).
    fn candidate(&self, start: usize, end: usize, label: LabelId) -> Option<Cand> {
        match &self.folded {
            None => Some((start, end, label)),
            Some((_, f)) => Some((f.original(start)?, f.original(end)?, label)),
        }
    }

    /// Roughly what [`Self::occurrences`] costs for a plan, in bytes of text scanned (a
    /// position checked costs about what an automaton's pass over a byte does).
    fn cost(&self, text: &Text, plan: &Plan<'_>) -> usize {
        match plan {
            Plan::Word { positions, .. } => 1 + positions.len(),
            Plan::Scan => text.as_str().len(),
        }
    }

    /// Char ranges where `key` stands at word edges (overlapping ones too), following
    /// its plan; with its label, into `out`.
    fn occurrences(
        &self,
        text: &Text,
        key: &str,
        plan: &Plan<'_>,
        label: LabelId,
        out: &mut Vec<Cand>,
    ) {
        let hay = self.hay(text);
        let klen = key.chars().count();
        let h = hay.as_str();
        let (off, boff, positions) = match *plan {
            Plan::Word {
                off,
                boff,
                positions,
            } => (off, boff, positions),
            Plan::Scan => {
                // No word in the key (punctuation only): a plain scan, rare.
                let mut from = 0;
                while let Some(b) = h[from..].find(key) {
                    let at = from + b;
                    let start = hay.byte_to_char(at);
                    out.extend(self.candidate(start, start + klen, label));
                    from = at + h[at..].chars().next().map_or(1, char::len_utf8);
                }
                return;
            }
        };
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
                out.extend(self.candidate(p, p + klen, label));
            }
        }
    }
}

/// How a key's occurrences are found in one text (see [`TextIndex::plan`]).
enum Plan<'a> {
    /// At the positions of the key's word at char `off` / byte `boff` of the key.
    Word {
        off: usize,
        boff: usize,
        positions: &'a Positions,
    },
    /// A plain scan of the text.
    Scan,
}

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

/// Finds the occurrences of a set of keys in texts: each key through the text's word
/// index when that costs little (its rarest word's positions: usually a handful, and
/// nothing at all for a key with a word the text lacks), else one Aho–Corasick pass over
/// the text, its automaton built once, on first need (building it for tens of thousands
/// of keys costs more than the lookups do).
struct KeyFinder<'k> {
    keys: &'k [Key],
    automaton: std::cell::OnceCell<Option<Automaton<'k>>>,
}

/// One automaton over many keys: pattern `k` is `keys[k]`, with the labels `labels[k]`.
struct Automaton<'k> {
    ac: aho_corasick::AhoCorasick,
    keys: Vec<&'k str>,
    labels: Vec<Vec<LabelId>>,
}

impl<'k> KeyFinder<'k> {
    fn new(keys: &'k [Key]) -> Self {
        Self {
            keys,
            automaton: std::cell::OnceCell::new(),
        }
    }

    /// The automaton over every key; `None` when there are too many for one.
    fn automaton(&self) -> Option<&Automaton<'k>> {
        self.automaton
            .get_or_init(|| {
                let mut ix: HashMap<&str, usize> = HashMap::new();
                let (mut strs, mut labels): (Vec<&str>, Vec<Vec<LabelId>>) =
                    (Vec::new(), Vec::new());
                for (k, label) in self.keys {
                    let i = *ix.entry(k).or_insert_with(|| {
                        strs.push(k);
                        labels.push(Vec::new());
                        strs.len() - 1
                    });
                    labels[i].push(*label);
                }
                // Linear build: a labeled string may be a whole long quote.
                super::rules::automaton(&strs).ok().map(|ac| Automaton {
                    ac,
                    keys: strs,
                    labels,
                })
            })
            .as_ref()
    }

    /// Every occurrence at word edges, with its label (in no particular order).
    fn find(&self, index: &TextIndex, text: &Text) -> Vec<Cand> {
        let mut out = Vec::new();
        if self.keys.is_empty() {
            return out;
        }
        let plans: Vec<Option<Plan<'_>>> = self.keys.iter().map(|(k, _)| index.plan(k)).collect();
        let cost: usize = plans.iter().flatten().map(|p| index.cost(text, p)).sum();
        // A scan costs the text, and the automaton's build first (paid once for every
        // text): about what checking a thousand positions does per key (measured on
        // 44k keys: 0.37 s to build, 8 ns a position).
        let build = if self.automaton.get().is_some() {
            0
        } else {
            1000 * self.keys.len()
        };
        let scan = cost > text.as_str().len() + build;
        if let Some(a) = scan.then(|| self.automaton()).flatten() {
            a.find(index, text, &mut out);
            return out;
        }
        for ((k, label), plan) in self.keys.iter().zip(&plans) {
            if let Some(plan) = plan {
                index.occurrences(text, k, plan, *label, &mut out);
            }
        }
        out
    }
}

impl Automaton<'_> {
    /// Every occurrence at word edges, with its label, into `out`.
    fn find(&self, index: &TextIndex, text: &Text, out: &mut Vec<Cand>) {
        let h = index.hay(text).as_str();
        let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        let lens: Vec<usize> = self.keys.iter().map(|k| k.chars().count()).collect();
        // Matches come ordered by end: chars are counted from one end to the next.
        let (mut byte, mut chars) = (0, 0);
        for m in self.ac.find_overlapping_iter(h) {
            let k = m.pattern().as_usize();
            let key = self.keys[k];
            // The word-edge rule of `at_word_edges`, on bytes.
            let edges = (!word(key.chars().next()) || !word(h[..m.start()].chars().next_back()))
                && (!word(key.chars().next_back()) || !word(h[m.end()..].chars().next()));
            if !edges {
                continue;
            }
            chars += h[byte..m.end()].chars().count();
            byte = m.end();
            let (s, e) = (chars - lens[k], chars);
            out.extend(
                self.labels[k]
                    .iter()
                    .filter_map(|&l| index.candidate(s, e, l)),
            );
        }
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
        // Every span that can overlap a candidate that can beat one of the window (they
        // start at most `max_len` before it or after its start, and are at most
        // `max_len` long).
        let small = b - a <= SMALL_WINDOW;
        if small {
            local.clear();
            local.extend(
                doc.spans()
                    .overlapping(a.saturating_sub(max_len), b + 2 * max_len)
                    .copied(),
            );
        }
        let spans = small.then_some(local.as_slice());
        let remains = |c: &Cand| remains_in(spans, c);
        near.clear();
        // Those starting after the window too: one starting at `b` can still overlap (and
        // beat) one starting just before it.
        near.extend(
            l.raw
                .range(lo(a.saturating_sub(max_len))..lo(b + max_len))
                .copied(),
        );
        ok.clear();
        if small {
            ok.resize(near.len(), None);
        } else {
            // A large window (a new document): every candidate in one sweep, instead of
            // a search of the spans for each.
            remains_sweep(doc, &near, &mut ok);
        }
        let mut remains_at =
            |k: usize, near: &[Cand]| -> bool { *ok[k].get_or_insert_with(|| remains(&near[k])) };
        let mut kept: Vec<Span> = Vec::new();
        let first = near.partition_point(|c| c.0 < a);
        let last = near.partition_point(|c| c.0 < b);
        // Only candidates starting within `max_len` before `c`, up to its end, can
        // overlap it: `lo_k` follows `c` (starts only grow).
        let mut lo_k = 0;
        for k in first..last {
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

/// Up to this many chars, a window checks its candidates against the spans near each;
/// past it (a new document), one sweep over the spans checks them all.
const SMALL_WINDOW: usize = 1 << 14;

/// Whether each candidate of `near` (sorted) remains (no span of its label overlaps it),
/// into `ok`, in one sweep: per label, the spans in start order with the furthest end so
/// far. A span starting before a candidate overlaps it when it ends inside it; one
/// starting inside it always does.
fn remains_sweep(doc: &Document, near: &[Cand], ok: &mut Vec<Option<bool>>) {
    ok.clear();
    let (Some(first), Some(hi)) = (near.first(), near.iter().map(|c| c.1).max()) else {
        return;
    };
    /// One label's spans: starts, the furthest end up to each, and the sweep's place.
    #[derive(Default)]
    struct Lane {
        starts: Vec<usize>,
        reach: Vec<usize>,
        at: usize,
    }
    let mut lanes: Vec<Lane> = Vec::new();
    for s in doc.spans().overlapping(first.0, hi) {
        let i = s.label().0 as usize;
        if lanes.len() <= i {
            lanes.resize_with(i + 1, Lane::default);
        }
        let lane = &mut lanes[i];
        let reach = lane.reach.last().map_or(s.end(), |&r| r.max(s.end()));
        lane.starts.push(s.start());
        lane.reach.push(reach);
    }
    ok.extend(near.iter().map(|c| {
        let Some(lane) = lanes.get_mut(c.2.0 as usize) else {
            return Some(true);
        };
        // Candidates come by start: the place only moves on.
        while lane.at < lane.starts.len() && lane.starts[lane.at] < c.0 {
            lane.at += 1;
        }
        let from_before = lane.at > 0 && lane.reach[lane.at - 1] > c.0;
        let inside = lane.starts.get(lane.at).is_some_and(|&st| st < c.1);
        Some(!from_before && !inside)
    }));
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
            let folded = ignore_case.then(|| CaseFolded::new(d.text().as_str()));
            let hay = match &folded {
                Some(f) => Text::new(f.text.clone()),
                None => d.text().clone(),
            };
            // Folded offsets back to the text's; none inside one char's folding.
            let back = |p: usize| match &folded {
                Some(f) => f.original(p),
                None => Some(p),
            };
            let chars: Vec<char> = hay.as_str().chars().collect();
            let mut cands: Vec<Cand> = Vec::new();
            for (k, label) in &keys {
                let kc: Vec<char> = k.chars().collect();
                for p in 0..chars.len() {
                    if chars[p..].starts_with(&kc)
                        && at_word_edges(&hay, p, p + kc.len(), k)
                        && let (Some(s), Some(e)) = (back(p), back(p + kc.len()))
                    {
                        cands.push((s, e, *label));
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
