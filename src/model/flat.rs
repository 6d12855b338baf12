//! Flat spans: what the token formats and the token-level agreement keep of a document's
//! spans when a token can carry only one label. One rule for both, so agreement is measured
//! on the tags an export writes.

use super::tokens::is_space;
use super::{Document, Span};

/// The spans a flat format keeps, in document order, and the ones it cannot hold with the
/// reason (in document order too). `selected` says which spans to consider at all.
///
/// Of overlapping spans the longer wins (ties: the earlier, then the lower label). A
/// span only competes with the spans it overlaps, so the choice is made within each run
/// of overlapping spans: linear in the spans outside such runs, not quadratic in all.
pub fn flatten(
    doc: &Document,
    selected: impl Fn(&Span) -> bool,
) -> (Vec<Span>, Vec<(Span, &'static str)>) {
    let mut dropped = Vec::new();
    // In document order (SpanSet's), which the runs below rely on.
    let mut candidates: Vec<Span> = Vec::with_capacity(doc.spans().len());
    for span in doc.spans().iter() {
        if !selected(span) {
            dropped.push((*span, "label not selected"));
        } else if doc.text().char_at(span.start()).is_some_and(is_space)
            && doc.span_text(span).chars().all(is_space)
        {
            dropped.push((*span, "only whitespace"));
        } else {
            candidates.push(*span);
        }
    }
    let mut kept: Vec<Span> = Vec::with_capacity(candidates.len());
    let mut run: Vec<Span> = Vec::new();
    let mut i = 0;
    while i < candidates.len() {
        let mut j = i + 1;
        let mut end = candidates[i].end();
        while j < candidates.len() && candidates[j].start() < end {
            end = end.max(candidates[j].end());
            j += 1;
        }
        if j == i + 1 {
            kept.push(candidates[i]);
        } else {
            // Longer first; among equals, the earlier one.
            run.clear();
            run.extend_from_slice(&candidates[i..j]);
            run.sort_by_key(|s| (std::cmp::Reverse(s.len()), s.start(), s.label()));
            let from = kept.len();
            for span in &run {
                // `kept[from..]` is sorted by start and non-overlapping: only neighbours
                // can clash.
                let won = &kept[from..];
                let at = won.partition_point(|k| k.start() < span.start());
                let clash_before = at > 0 && won[at - 1].end() > span.start();
                let clash_after = at < won.len() && won[at].start() < span.end();
                if clash_before || clash_after {
                    dropped.push((*span, "overlaps a longer span (flat format)"));
                } else {
                    kept.insert(from + at, *span);
                }
            }
        }
        i = j;
    }
    dropped.sort_by_key(|(d, _)| (d.start(), d.end()));
    (kept, dropped)
}
