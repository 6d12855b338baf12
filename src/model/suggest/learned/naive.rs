//! The learned source's definition as a plain scan ([`naive_learned`]): the oracle the
//! incremental source is tested against.

use std::collections::BTreeSet;

use super::{Cand, key_of};
use crate::model::occurrences::at_word_edges;
use crate::model::search::CaseFolded;
use crate::model::{LabelId, Project, Span, Text};

/// The learned source computed the plain way, as the definition: every labeled string's
/// occurrences at word edges by a scan of every char position, filtered as the
/// `learned` module says. Per document, sorted. Slow (keys × text): for tests.
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
