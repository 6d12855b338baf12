//! Fuzzy matching of names, as editors' quick-open boxes do: the query's chars must appear
//! in the name in order (a subsequence, ignoring case); the best placement scores highest,
//! and contiguous runs and a prefix count for more than scattered letters.

use super::search::fold_char;

/// Each matched char.
const MATCH: i32 = 1;
/// A matched char right after the previous matched char: contiguous runs win.
const CONSECUTIVE: i32 = 8;
/// A matched char that starts the name.
const PREFIX: i32 = 10;
/// A matched char that starts a word (after a separator, or an uppercase letter after a
/// lowercase one).
const WORD_START: i32 = 4;
/// Each jump over unmatched chars between two matched ones.
const GAP: i32 = 2;

/// The bonus for matching name char `i`, given the chars (as written) around it.
fn bonus(prev: Option<char>, c: char) -> i32 {
    match prev {
        None => PREFIX,
        Some(p) if !p.is_alphanumeric() && c.is_alphanumeric() => WORD_START,
        Some(p) if p.is_lowercase() && c.is_uppercase() => WORD_START,
        _ => 0,
    }
}

/// A query, folded once for matching many names.
#[derive(Clone, Debug, Default)]
pub struct Query {
    chars: Vec<char>,
    /// Every char is ASCII (the fast path for ASCII names).
    ascii: bool,
}

/// Reusable buffers, so scoring 50,000 names allocates nothing per name.
#[derive(Default)]
pub struct Scratch {
    name: Vec<(char, i32)>,
    prev: Vec<i32>,
    cur: Vec<i32>,
}

/// "No placement": far below any real score, with room to add to it without overflow.
const NONE: i32 = i32::MIN / 4;

impl Query {
    /// The query `q`, ignoring case and whitespace (so "new york" finds "New_York").
    pub fn new(q: &str) -> Self {
        let chars: Vec<char> = q
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(fold_char)
            .collect();
        let ascii = chars.iter().all(char::is_ascii);
        Self { chars, ascii }
    }

    /// Whether the query has no chars (it matches every name, with score 0).
    pub fn is_empty(&self) -> bool {
        self.chars.is_empty()
    }

    /// The best score of the query in `name`, or `None` when it is not a subsequence.
    pub fn score(&self, name: &str, scratch: &mut Scratch) -> Option<i32> {
        if self.chars.is_empty() {
            return Some(0);
        }
        // Cheap rejection first: most names of a large list are not even a subsequence.
        if !self.is_subsequence_of(name) {
            return None;
        }
        scratch.name.clear();
        let mut prev = None;
        for c in name.chars() {
            scratch.name.push((fold_char(c), bonus(prev, c)));
            prev = Some(c);
        }
        let n = scratch.name.len();
        let Scratch { name, prev, cur } = scratch;
        prev.clear();
        prev.resize(n, NONE);
        cur.clear();
        cur.resize(n, NONE);
        // best[j][i]: the best score of query[..=j] with query[j] placed on name[i].
        for (j, &q) in self.chars.iter().enumerate() {
            // The best of the previous row strictly before i - 1.
            let mut before = NONE;
            for i in 0..n {
                let (c, b) = name[i];
                cur[i] = if c != q {
                    NONE
                } else if j == 0 {
                    MATCH + b
                } else {
                    let after = if i > 0 {
                        prev[i - 1] + CONSECUTIVE
                    } else {
                        NONE
                    };
                    let jump = before - GAP;
                    let best = after.max(jump);
                    if best <= NONE / 2 {
                        NONE
                    } else {
                        best + MATCH + b
                    }
                };
                if i > 0 {
                    before = before.max(prev[i - 1]);
                }
            }
            std::mem::swap(prev, cur);
        }
        let best = prev.iter().copied().max().unwrap_or(NONE);
        (best > NONE / 2).then_some(best)
    }

    /// Whether the query's chars appear in `name` in order, ignoring case.
    fn is_subsequence_of(&self, name: &str) -> bool {
        if self.ascii && name.is_ascii() {
            // Bytes are chars here, and ASCII folds to ASCII: no decoding.
            let mut want = self.chars.iter().map(|&c| c as u8);
            let mut next = want.next();
            for b in name.bytes() {
                if next == Some(b.to_ascii_lowercase()) {
                    next = want.next();
                }
            }
            return next.is_none();
        }
        let mut want = self.chars.iter();
        let mut next = want.next();
        for c in name.chars() {
            if next == Some(&fold_char(c)) {
                next = want.next();
            }
        }
        next.is_none()
    }

    /// The char positions in `name` of the best placement (for highlighting), or `None`
    /// when the query is not a subsequence. Its score is [`Query::score`]'s.
    pub fn positions(&self, name: &str) -> Option<Vec<usize>> {
        let m = self.chars.len();
        if m == 0 {
            return Some(Vec::new());
        }
        let mut cells = Vec::new();
        let mut prev = None;
        for c in name.chars() {
            cells.push((fold_char(c), bonus(prev, c)));
            prev = Some(c);
        }
        let n = cells.len();
        // Full table and where each cell came from: names are short, and only the rows
        // on screen are highlighted.
        let mut best = vec![NONE; m * n];
        let mut from = vec![usize::MAX; m * n];
        for (j, &q) in self.chars.iter().enumerate() {
            let mut before = (NONE, usize::MAX);
            for i in 0..n {
                let (c, b) = cells[i];
                if c == q {
                    if j == 0 {
                        best[i] = MATCH + b;
                    } else {
                        let after = if i > 0 {
                            (best[(j - 1) * n + i - 1] + CONSECUTIVE, i - 1)
                        } else {
                            (NONE, usize::MAX)
                        };
                        let jump = (before.0 - GAP, before.1);
                        let pick = if after.0 >= jump.0 { after } else { jump };
                        if pick.0 > NONE / 2 {
                            best[j * n + i] = pick.0 + MATCH + b;
                            from[j * n + i] = pick.1;
                        }
                    }
                }
                if j > 0 && i > 0 && best[(j - 1) * n + i - 1] > before.0 {
                    before = (best[(j - 1) * n + i - 1], i - 1);
                }
            }
        }
        let last = &best[(m - 1) * n..];
        let (mut i, &top) = last
            .iter()
            .enumerate()
            .max_by_key(|&(i, s)| (*s, std::cmp::Reverse(i)))?;
        if top <= NONE / 2 {
            return None;
        }
        let mut out = vec![0; m];
        for j in (0..m).rev() {
            out[j] = i;
            if j > 0 {
                i = from[j * n + i];
            }
        }
        Some(out)
    }
}

/// One name that matched: its place in the list given to [`rank`] and its score.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ranked {
    /// Index into the names given.
    pub index: usize,
    /// The score (higher is better).
    pub score: i32,
}

/// The names that match `query`, best first: by score, then shorter names, then list
/// order; at most `limit` (the best ones), and how many matched in all. An empty query
/// matches every name, in list order.
pub fn rank<'a>(
    query: &Query,
    names: impl IntoIterator<Item = &'a str>,
    limit: usize,
) -> (Vec<Ranked>, usize) {
    let (best, all) = rank_among(query, names.into_iter().enumerate(), limit);
    (best, all.len())
}

/// [`rank`] over some of the names, each with its index: the best `limit` and the
/// indices of every match, in the order given. A query typed further only ever matches
/// fewer names, so the next keystroke can rank only these.
pub fn rank_among<'a>(
    query: &Query,
    names: impl IntoIterator<Item = (usize, &'a str)>,
    limit: usize,
) -> (Vec<Ranked>, Vec<usize>) {
    let mut scratch = Scratch::default();
    let mut found: Vec<(Ranked, usize)> = Vec::new();
    let mut all = Vec::new();
    for (index, name) in names {
        if query.is_empty() {
            all.push(index);
            if found.len() < limit {
                found.push((Ranked { index, score: 0 }, 0));
            }
        } else if let Some(score) = query.score(name, &mut scratch) {
            all.push(index);
            found.push((Ranked { index, score }, name.len()));
        }
    }
    if query.is_empty() {
        return (found.into_iter().map(|(r, _)| r).collect(), all);
    }
    let key = |(r, len): &(Ranked, usize)| (std::cmp::Reverse(r.score), *len, r.index);
    if found.len() > limit {
        found.select_nth_unstable_by_key(limit, key);
        found.truncate(limit);
    }
    found.sort_unstable_by_key(key);
    (found.into_iter().map(|(r, _)| r).collect(), all)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn names_ranked(q: &str, names: &[&str]) -> Vec<String> {
        rank(&Query::new(q), names.iter().copied(), 100)
            .0
            .into_iter()
            .map(|r| names[r.index].to_string())
            .collect()
    }

    #[test]
    fn contiguous_and_prefix_first() {
        let names = [
            "big_angry_goat",
            "the bagram story",
            "bagram",
            "bagram (2)",
            "abagram",
            "zzz",
        ];
        assert_eq!(
            names_ranked("bag", &names),
            [
                "bagram",
                "bagram (2)",
                "the bagram story",
                "abagram",
                "big_angry_goat"
            ]
        );
        // Case and spaces do not matter.
        assert_eq!(names_ranked("BAG RAM", &names)[0], "bagram");
        // A subsequence only: order counts.
        assert!(names_ranked("gab", &names).is_empty());
    }

    #[test]
    fn word_starts_beat_scattered_letters() {
        let names = ["annual_report_txt", "art"];
        // "art" exactly: prefix and contiguous.
        assert_eq!(names_ranked("art", &names)[0], "art");
        let names = ["xaxrxt", "annual_report_txt"];
        assert_eq!(names_ranked("art", &names)[0], "annual_report_txt");
        let names = ["newyorker", "NewYork"];
        assert_eq!(names_ranked("ny", &names), ["NewYork", "newyorker"]);
    }

    #[test]
    fn non_ascii_names() {
        let names = ["Кабул", "東京 report", "Ünïcode", "bagram"];
        assert_eq!(names_ranked("кабул", &names), ["Кабул"]);
        assert_eq!(names_ranked("東京", &names), ["東京 report"]);
        assert_eq!(names_ranked("ÜNÏ", &names), ["Ünïcode"]);
        assert_eq!(Query::new("京r").positions("東京 report"), Some(vec![1, 3]));
    }

    #[test]
    fn empty_query_lists_in_order_and_limit_keeps_the_best() {
        let names: Vec<String> = (0..50).map(|i| format!("doc {i}")).collect();
        let (r, n) = rank(&Query::new(" "), names.iter().map(String::as_str), 3);
        assert_eq!(r.iter().map(|r| r.index).collect::<Vec<_>>(), [0, 1, 2]);
        assert_eq!(n, 50);
        let (r, n) = rank(&Query::new("doc 4"), names.iter().map(String::as_str), 2);
        assert_eq!(n, 14);
        // "doc 4" exactly, then the best of "doc 4x".
        assert_eq!(r.iter().map(|r| r.index).collect::<Vec<_>>(), [4, 40]);
    }

    #[test]
    fn typing_further_narrows_the_last_matches() {
        let names = ["Kabul", "kandahar", "bagram", "Ünïcode kab"];
        let pairs = || names.iter().copied().enumerate();
        let (_, all) = rank_among(&Query::new("k"), pairs(), 10);
        assert_eq!(all, [0, 1, 3]);
        let (best, more) = rank_among(&Query::new("kab"), all.iter().map(|&i| (i, names[i])), 10);
        assert_eq!(more, [0, 3]);
        assert_eq!(best[0].index, 0);
        // The same as ranking them all.
        assert_eq!(rank_among(&Query::new("kab"), pairs(), 10).0, best);
    }

    /// Every placement's score by the definition, the best of them (the oracle).
    fn naive_best(q: &str, name: &str) -> Option<(i32, Vec<Vec<usize>>)> {
        let q: Vec<char> = Query::new(q).chars;
        let raw: Vec<char> = name.chars().collect();
        let folded: Vec<char> = raw.iter().map(|&c| fold_char(c)).collect();
        let mut best: Option<(i32, Vec<Vec<usize>>)> = None;
        // Every increasing choice of q.len() positions.
        fn walk(
            at: usize,
            pos: &mut Vec<usize>,
            q: &[char],
            folded: &[char],
            out: &mut Vec<Vec<usize>>,
        ) {
            if pos.len() == q.len() {
                out.push(pos.clone());
                return;
            }
            for i in at..folded.len() {
                if folded[i] == q[pos.len()] {
                    pos.push(i);
                    walk(i + 1, pos, q, folded, out);
                    pos.pop();
                }
            }
        }
        let mut all = Vec::new();
        walk(0, &mut Vec::new(), &q, &folded, &mut all);
        for p in all {
            let mut s = 0;
            for (k, &i) in p.iter().enumerate() {
                s += MATCH + bonus(i.checked_sub(1).map(|h| raw[h]), raw[i]);
                if k > 0 {
                    s += if p[k - 1] + 1 == i { CONSECUTIVE } else { -GAP };
                }
            }
            match &mut best {
                Some((b, ps)) if *b == s => ps.push(p),
                Some((b, _)) if *b > s => {}
                _ => best = Some((s, vec![p])),
            }
        }
        best
    }

    proptest! {
        /// The score is the best over every placement; `positions` is one of the best.
        #[test]
        fn matches_a_naive_oracle(
            q in "[abAé_ ]{0,4}",
            name in "[abABéÉ_ x]{0,9}",
        ) {
            let query = Query::new(&q);
            let got = query.score(&name, &mut Scratch::default());
            if query.is_empty() {
                prop_assert_eq!(got, Some(0));
                return Ok(());
            }
            let want = naive_best(&q, &name);
            prop_assert_eq!(got, want.as_ref().map(|(s, _)| *s));
            let pos = query.positions(&name);
            prop_assert_eq!(pos.is_some(), want.is_some());
            if let (Some(p), Some((_, best))) = (pos, want) {
                prop_assert!(best.contains(&p), "{:?} not among {:?}", p, best);
            }
        }

        /// Ranking keeps exactly the matching names, ordered by (score, length, place).
        #[test]
        fn rank_is_a_sorted_filter(
            q in "[ab]{0,3}",
            names in proptest::collection::vec("[abc]{0,6}", 0..30),
            limit in 1usize..40,
        ) {
            let query = Query::new(&q);
            let (got, matched) = rank(&query, names.iter().map(String::as_str), limit);
            let mut want: Vec<(i32, usize, usize)> = names
                .iter()
                .enumerate()
                .filter_map(|(i, n)| Some((naive_best(&q, n).map_or(0, |b| b.0), n.len(), i))
                    .filter(|_| query.is_empty() || naive_best(&q, n).is_some()))
                .collect();
            want.sort_by_key(|&(s, l, i)| (std::cmp::Reverse(s), l, i));
            prop_assert_eq!(matched, want.len());
            want.truncate(limit);
            let got: Vec<(i32, usize, usize)> = got
                .iter()
                .map(|r| (r.score, names[r.index].len(), r.index))
                .collect();
            if query.is_empty() {
                // In list order, the first `limit`.
                let order: Vec<usize> = got.iter().map(|g| g.2).collect();
                prop_assert_eq!(order, (0..names.len().min(limit)).collect::<Vec<_>>());
            } else {
                prop_assert_eq!(got, want);
            }
        }
    }
}
