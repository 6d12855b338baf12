//! Finding the candidates of a set of keys in one text: the text's word index
//! ([`TextIndex`]: each key looked up through the positions of its rarest word), or one
//! Aho–Corasick pass when that costs less ([`KeyFinder`] decides; its automaton is built
//! once, on first need). Either keeps occurrences at word edges, in the folded text when
//! ignoring case, mapped back to the text's char offsets.

use std::collections::HashMap;

use super::{Cand, Key};
use crate::model::search::CaseFolded;
use crate::model::{LabelId, Text};

/// A word's hash and the byte where it starts (its char is found only for a match).
type Position = (u32, u32);

/// FNV-1a over a word's bytes, folded to 32 bits: equal words hash equal; a collision
/// only costs a check, since every position is compared with the key's text before it
/// counts.
fn word_hash(w: &str) -> u32 {
    let h = w.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    (h ^ (h >> 32)) as u32
}

/// Word positions of one text (folded when ignoring case), built once per text.
pub(super) struct TextIndex {
    /// The case-folded text, when ignoring case, and the way back to the text's char
    /// offsets (a char may fold to several: `ß` to `ss`). Matches are found in it.
    folded: Option<(Text, CaseFolded)>,
    /// Every word (maximal run of alphanumeric chars) as (hash, byte) of where it
    /// starts, sorted: a word's positions are one run of equal hashes. 8 bytes a word
    /// (a map of words to positions cost about eight times that on a 100M-char corpus).
    words: Vec<Position>,
}

impl TextIndex {
    pub(super) fn new(text: &Text, ignore_case: bool) -> Self {
        let folded = ignore_case.then(|| {
            let mut f = CaseFolded::new(text.as_str());
            (Text::new(std::mem::take(&mut f.text)), f)
        });
        let hay = folded.as_ref().map_or(text, |(t, _)| t);
        let mut words: Vec<Position> = Vec::new();
        let s = hay.as_str();
        let mut run: Option<usize> = None; // the byte of the run's start
        let mut push = |from_byte: usize, to_byte: usize| {
            words.push((
                word_hash(&s[from_byte..to_byte]),
                // Past 4 GB a position is wrong, and its check fails: a miss, never a
                // false match.
                u32::try_from(from_byte).unwrap_or(u32::MAX),
            ));
        };
        for (bi, c) in s.char_indices() {
            if c.is_alphanumeric() {
                run.get_or_insert(bi);
            } else if let Some(b0) = run.take() {
                push(b0, bi);
            }
        }
        if let Some(b0) = run {
            push(b0, s.len());
        }
        words.sort_unstable();
        words.shrink_to_fit();
        Self { folded, words }
    }

    /// Adds how often each word (by hash) stands in this text to `counts`.
    pub(super) fn count_words(&self, counts: &mut HashMap<u32, u64>) {
        for run in self.words.chunk_by(|a, b| a.0 == b.0) {
            *counts.entry(run[0].0).or_default() += run.len() as u64;
        }
    }

    /// The positions of `w` (and of any word whose hash equals its), in text order.
    fn positions(&self, w: &str) -> &[Position] {
        let h = word_hash(w);
        let from = self.words.partition_point(|p| p.0 < h);
        let to = from + self.words[from..].partition_point(|p| p.0 == h);
        &self.words[from..to]
    }

    /// Where `key` can stand at word edges: the positions of its rarest word (every word
    /// of a match stands as a whole word of the text: the key's neighbours of a word are
    /// not alphanumeric, or are the text's word edges), or a plain scan for a key with no
    /// word. `None`: a word of the key is not in the text, so it never occurs.
    fn plan<'a>(&'a self, key: &str) -> Option<Plan<'a>> {
        let mut best: Option<(usize, &[Position])> = None;
        let all_found = for_each_word(key, |b0, w| {
            let pos = self.positions(w);
            if pos.is_empty() {
                return false;
            }
            if best.is_none_or(|(_, b)| pos.len() < b.len()) {
                best = Some((b0, pos));
            }
            true
        });
        if !all_found {
            return None;
        }
        Some(match best {
            Some((boff, positions)) => Plan::Word { boff, positions },
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
        (key, klen): (&str, usize),
        plan: &Plan<'_>,
        label: LabelId,
        out: &mut Vec<Cand>,
    ) {
        let hay = self.hay(text);
        let h = hay.as_str();
        let (boff, positions) = match *plan {
            Plan::Word { boff, positions } => (boff, positions),
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
        for &(_, qb) in positions {
            let Some(pb) = (qb as usize).checked_sub(boff) else {
                continue;
            };
            let end = pb + key.len();
            // The word-edge rule of `at_word_edges`, on bytes.
            if h.get(pb..end) == Some(key)
                && (!first_word || !word(h[..pb].chars().next_back()))
                && (!last_word || !word(h[end..].chars().next()))
            {
                let p = hay.byte_to_char(pb);
                out.extend(self.candidate(p, p + klen, label));
            }
        }
    }
}

/// Calls `f(byte, word)` for each word of `key` (maximal run of alphanumeric
/// chars, as [`TextIndex`] splits texts), in order, while it returns true; false when it
/// stopped early.
fn for_each_word(key: &str, mut f: impl FnMut(usize, &str) -> bool) -> bool {
    let mut run: Option<usize> = None; // the byte of the run's start
    for (bi, c) in key.char_indices() {
        if c.is_alphanumeric() {
            run.get_or_insert(bi);
        } else if let Some(b0) = run.take()
            && !f(b0, &key[b0..bi])
        {
            return false;
        }
    }
    match run {
        Some(b0) => f(b0, &key[b0..]),
        None => true,
    }
}

/// How a key's occurrences are found in one text (see [`TextIndex::plan`]).
enum Plan<'a> {
    /// At the positions of the key's word at byte `boff` of the key.
    Word {
        boff: usize,
        positions: &'a [Position],
    },
    /// A plain scan of the text.
    Scan,
}

/// A key's text, label and length in chars.
type KeyRef<'k> = (&'k str, LabelId, usize);

/// Above this many keys, they are found from each text's words, each key anchored on
/// its rarest word in the texts searched ([`Anchors`]), instead of planning every key in
/// every text: that costs keys × texts lookups, and on 50k texts and a million keys
/// (a large corpus opened) it never ended.
const ANCHOR_KEYS: usize = 256;

/// Finds the occurrences of a set of keys in texts. Few keys: each through the text's
/// word index when that costs little (its rarest word's positions: usually a handful,
/// and nothing at all for a key with a word the text lacks), else one Aho–Corasick pass
/// over the text, its automaton built once, on first need (building it for tens of
/// thousands of keys costs more than the lookups do). Many keys: through [`Anchors`].
pub(super) struct KeyFinder<'k> {
    keys: Vec<KeyRef<'k>>,
    automaton: std::cell::OnceCell<Option<Automaton<'k>>>,
    anchors: Option<Anchors>,
}

/// Many keys, each anchored on one of its words: the one that stands least often in the
/// texts searched. A text's candidates are then found from its own words: each word
/// checks the keys anchored on it, at its positions. Over all texts that costs the
/// texts' words plus, per key, the occurrences of its rarest word.
struct Anchors {
    /// (anchor word's hash, key, byte offset of the word in the key), sorted.
    by_word: Vec<(u32, usize, usize)>,
    /// Each anchor hash's run in `by_word`.
    runs: HashMap<u32, (usize, usize)>,
    /// Keys without a word (punctuation only): each text is scanned for them.
    scans: Vec<usize>,
}

impl Anchors {
    /// Anchors for `keys` in the texts of `indexes`; a key with a word that none of them
    /// holds is left out (it occurs nowhere).
    fn new<'i>(keys: &[KeyRef<'_>], indexes: impl Iterator<Item = &'i TextIndex>) -> Self {
        let mut counts: HashMap<u32, u64> = HashMap::new();
        for ix in indexes {
            ix.count_words(&mut counts);
        }
        let (mut by_word, mut scans) = (Vec::new(), Vec::new());
        for (k, &(key, _, _)) in keys.iter().enumerate() {
            let mut best: Option<(u64, u32, usize)> = None; // (count, hash, byte)
            let all_found = for_each_word(key, |b0, w| {
                let h = word_hash(w);
                let n = counts.get(&h).copied().unwrap_or(0);
                if best.is_none_or(|b| n < b.0) {
                    best = Some((n, h, b0));
                }
                n > 0
            });
            match best {
                _ if !all_found => {}
                Some((_, h, b)) => by_word.push((h, k, b)),
                None => scans.push(k),
            }
        }
        by_word.sort_unstable();
        let mut runs = HashMap::new();
        let mut from = 0;
        for run in by_word.chunk_by(|a, b| a.0 == b.0) {
            runs.insert(run[0].0, (from, from + run.len()));
            from += run.len();
        }
        Self {
            by_word,
            runs,
            scans,
        }
    }
}

impl<'k> KeyFinder<'k> {
    /// A finder of `keys` in the texts of `indexes` (those it will search).
    pub(super) fn new<'i>(
        keys: impl IntoIterator<Item = &'k Key>,
        indexes: impl Iterator<Item = &'i TextIndex>,
    ) -> Self {
        let keys: Vec<KeyRef<'k>> = keys
            .into_iter()
            .map(|(k, l)| (&**k, *l, k.chars().count()))
            .collect();
        let anchors = (keys.len() > ANCHOR_KEYS).then(|| Anchors::new(&keys, indexes));
        Self {
            keys,
            automaton: std::cell::OnceCell::new(),
            anchors,
        }
    }

    /// The automaton over every key; `None` when there are too many for one.
    fn automaton(&self) -> Option<&Automaton<'k>> {
        self.automaton
            .get_or_init(|| {
                let mut ix: HashMap<&str, usize> = HashMap::new();
                let (mut strs, mut labels): (Vec<&str>, Vec<Vec<LabelId>>) =
                    (Vec::new(), Vec::new());
                for &(k, label, _) in &self.keys {
                    let i = *ix.entry(k).or_insert_with(|| {
                        strs.push(k);
                        labels.push(Vec::new());
                        strs.len() - 1
                    });
                    labels[i].push(label);
                }
                // Linear build: a labeled string may be a whole long quote.
                crate::model::suggest::rules::automaton(&strs)
                    .ok()
                    .map(|ac| Automaton {
                        ac,
                        keys: strs,
                        labels,
                    })
            })
            .as_ref()
    }

    /// Every occurrence at word edges, with its label (in no particular order).
    pub(super) fn find(&self, index: &TextIndex, text: &Text) -> Vec<Cand> {
        let mut out = Vec::new();
        if self.keys.is_empty() {
            return out;
        }
        if let Some(a) = &self.anchors {
            for run in index.words.chunk_by(|x, y| x.0 == y.0) {
                let Some(&(from, to)) = a.runs.get(&run[0].0) else {
                    continue;
                };
                for &(_, k, boff) in &a.by_word[from..to] {
                    let (key, label, klen) = self.keys[k];
                    let plan = Plan::Word {
                        boff,
                        positions: run,
                    };
                    index.occurrences(text, (key, klen), &plan, label, &mut out);
                }
            }
            for &k in &a.scans {
                let (key, label, klen) = self.keys[k];
                index.occurrences(text, (key, klen), &Plan::Scan, label, &mut out);
            }
            return out;
        }
        let plans: Vec<Option<Plan<'_>>> =
            self.keys.iter().map(|(k, _, _)| index.plan(k)).collect();
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
        for (&(k, label, klen), plan) in self.keys.iter().zip(&plans) {
            if let Some(plan) = plan {
                index.occurrences(text, (k, klen), plan, label, &mut out);
            }
        }
        out
    }
}

/// One automaton over many keys: pattern `k` is `keys[k]`, with the labels `labels[k]`.
struct Automaton<'k> {
    ac: aho_corasick::AhoCorasick,
    keys: Vec<&'k str>,
    labels: Vec<Vec<LabelId>>,
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
