//! Which candidates are kept (rules 2 and 3 of the `learned` module: no span of their
//! label overlaps them, and no longer remaining candidate does), recomputed only in the
//! windows around a change, within twice the longest key of it.

use super::{Cand, LDoc};
use crate::model::{Document, LabelId, Span, Stamp};

/// Recomputes which candidates are kept, for every candidate starting within `reach` of
/// a changed region.
pub(super) fn refilter(
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
