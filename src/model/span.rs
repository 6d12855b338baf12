//! Spans and the per-document span index.

use std::cmp::Reverse;

use super::ModelError;

/// A label's identity within its project. It does not change when labels are reordered,
/// renamed, recoloured or when a delete is undone, and it is never reused for another
/// label of the same project. When a project is built ([`super::Project::new`]) the ids
/// are the labels' places in the list given (`LabelId(0)` is the first); from then on
/// they are independent of the order. Across files and projects labels are matched by
/// name, never by id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LabelId(pub u32);

impl LabelId {
    /// The id that label `index` of the list given to [`super::Project::new`] gets: ids
    /// are places only when a project is built, for data made to build one (importers,
    /// file loading). A live project's ids come from [`super::Project::label_ids`].
    /// Fails past the number of labels a project can have.
    pub fn from_index(index: usize) -> Result<Self, ModelError> {
        match u32::try_from(index) {
            Ok(i) if index < usize::from(u16::MAX) => Ok(Self(i)),
            _ => Err(ModelError::TooManyLabels),
        }
    }
}

/// A labeled char range `start..end` (end exclusive, `start < end`).
///
/// A span is identified by its value: a document never holds two equal spans. Spans
/// order by (start, end, label), the order suggestions and rejections are kept in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    start: usize,
    end: usize,
    label: LabelId,
}

impl Span {
    /// A span over chars `start..end`; fails unless `start < end`.
    /// Bounds against a text are checked when the span is added to a document.
    pub fn new(start: usize, end: usize, label: LabelId) -> Result<Self, ModelError> {
        if start >= end {
            return Err(ModelError::EmptySpan { start, end });
        }
        Ok(Self { start, end, label })
    }

    /// First char of the span.
    pub fn start(&self) -> usize {
        self.start
    }

    /// One past the last char of the span.
    pub fn end(&self) -> usize {
        self.end
    }

    /// The span's label.
    pub fn label(&self) -> LabelId {
        self.label
    }

    /// Number of chars covered.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// Always false: spans are never empty. Present for API symmetry with `len`.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// Whether char `pos` lies inside the span.
    pub fn contains(&self, pos: usize) -> bool {
        self.start <= pos && pos < self.end
    }

    /// The same range with another label.
    pub fn with_label(self, label: LabelId) -> Self {
        Self { label, ..self }
    }

    /// Sort key: by start, outer spans before the spans they contain, then by label.
    fn key(&self) -> (usize, Reverse<usize>, LabelId) {
        (self.start, Reverse(self.end), self.label)
    }
}

/// The spans of one document, kept sorted with an interval index so that finding the
/// spans over a visible paragraph costs O(log n + k), not a scan of the document.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SpanSet {
    /// Sorted by [`Span::key`]; no duplicates.
    spans: Vec<Span>,
    /// `max_end[i]` is the largest `end` among `spans[..=i]`: non-decreasing, so a binary
    /// search finds the first span that can reach a given offset.
    max_end: Vec<usize>,
}

impl SpanSet {
    /// Builds a set; duplicates collapse into one.
    pub fn from_spans(mut spans: Vec<Span>) -> Self {
        spans.sort_by_key(Span::key);
        spans.dedup();
        let mut set = Self {
            spans,
            max_end: Vec::new(),
        };
        set.reindex(0);
        set
    }

    /// Number of spans.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// Whether there are no spans.
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// All spans in document order.
    pub fn iter(&self) -> std::slice::Iter<'_, Span> {
        self.spans.iter()
    }

    /// All spans in document order, as a slice.
    pub fn as_slice(&self) -> &[Span] {
        &self.spans
    }

    /// The place of this exact span (range and label) in document order, if present:
    /// what exports number spans by (brat's `T<n>`, doccano's entity ids).
    pub fn position(&self, span: &Span) -> Option<usize> {
        self.spans.binary_search_by_key(&span.key(), Span::key).ok()
    }

    /// Whether this exact span (range and label) is present.
    pub fn contains(&self, span: &Span) -> bool {
        self.spans
            .binary_search_by_key(&span.key(), Span::key)
            .is_ok()
    }

    /// Inserts a span; returns false if it was already present.
    pub(crate) fn insert(&mut self, span: Span) -> bool {
        match self.spans.binary_search_by_key(&span.key(), Span::key) {
            Ok(_) => false,
            Err(i) => {
                self.spans.insert(i, span);
                self.max_end.insert(i, 0);
                self.reindex(i);
                true
            }
        }
    }

    /// Removes a span; returns false if it was absent.
    pub(crate) fn remove(&mut self, span: &Span) -> bool {
        match self.spans.binary_search_by_key(&span.key(), Span::key) {
            Ok(i) => {
                self.spans.remove(i);
                self.max_end.remove(i);
                self.reindex(i);
                true
            }
            Err(_) => false,
        }
    }

    /// Recomputes `max_end` from index `from` on.
    fn reindex(&mut self, from: usize) {
        self.max_end.resize(self.spans.len(), 0);
        let mut running = if from == 0 { 0 } else { self.max_end[from - 1] };
        for (i, span) in self.spans.iter().enumerate().skip(from) {
            running = running.max(span.end);
            self.max_end[i] = running;
        }
    }

    /// Spans that overlap chars `start..end`, in document order.
    pub fn overlapping(&self, start: usize, end: usize) -> impl Iterator<Item = &Span> {
        let lo = self.max_end.partition_point(|&e| e <= start);
        let hi = self.spans.partition_point(|s| s.start < end);
        self.spans[lo..hi.max(lo)]
            .iter()
            .filter(move |s| s.end > start)
    }

    /// Spans that contain char `pos`, innermost (shortest) first.
    pub fn at(&self, pos: usize) -> Vec<Span> {
        let mut found: Vec<Span> = self.overlapping(pos, pos + 1).copied().collect();
        found.sort_by_key(|s| (s.len(), s.start, s.label));
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn label_ids_of_new_projects_are_checked_not_truncated() {
        assert_eq!(LabelId::from_index(0), Ok(LabelId(0)));
        assert_eq!(LabelId::from_index(65_534), Ok(LabelId(65_534)));
        assert_eq!(LabelId::from_index(65_535), Err(ModelError::TooManyLabels));
        assert_eq!(LabelId::from_index(1 << 40), Err(ModelError::TooManyLabels));
    }

    fn sp(s: usize, e: usize, l: u32) -> Span {
        Span::new(s, e, LabelId(l)).unwrap()
    }

    #[test]
    fn empty_span_refused() {
        assert!(Span::new(3, 3, LabelId(0)).is_err());
        assert!(Span::new(4, 3, LabelId(0)).is_err());
    }

    #[test]
    fn nested_and_duplicate() {
        let mut set = SpanSet::default();
        assert!(set.insert(sp(10, 50, 4)));
        assert!(set.insert(sp(20, 26, 1)));
        assert!(!set.insert(sp(20, 26, 1)));
        assert!(set.insert(sp(20, 26, 0)));
        assert_eq!(set.len(), 3);
        assert_eq!(set.at(22)[0].len(), 6);
        assert_eq!(set.at(22).last().unwrap().label(), LabelId(4));
        assert_eq!(set.at(12), vec![sp(10, 50, 4)]);
        assert!(set.remove(&sp(20, 26, 0)));
        assert!(!set.remove(&sp(20, 26, 0)));
    }

    proptest! {
        #[test]
        fn overlapping_matches_scan(
            raw in proptest::collection::vec((0usize..300, 1usize..80, 0u32..3), 0..60),
            queries in proptest::collection::vec((0usize..400, 0usize..50), 1..20),
        ) {
            let spans: Vec<Span> = raw.iter().map(|&(s, l, lab)| sp(s, s + l, lab)).collect();
            let mut set = SpanSet::default();
            for s in &spans {
                set.insert(*s);
            }
            // Removing every third keeps the index honest under deletions too.
            for s in spans.iter().step_by(3) {
                set.remove(s);
            }
            let expected_all: Vec<Span> = {
                let mut v: Vec<Span> = spans.iter().enumerate()
                    .filter(|(i, _)| i % 3 != 0).map(|(_, s)| *s)
                    .filter(|s| !spans.iter().step_by(3).any(|r| r == s))
                    .collect();
                v.sort_by_key(Span::key);
                v.dedup();
                v
            };
            prop_assert_eq!(set.as_slice(), &expected_all[..]);
            prop_assert_eq!(&SpanSet::from_spans(expected_all.clone()), &set);
            for (qs, ql) in queries {
                let qe = qs + ql;
                let got: Vec<Span> = set.overlapping(qs, qe).copied().collect();
                let want: Vec<Span> = expected_all.iter().filter(|s| s.start < qe && s.end > qs).copied().collect();
                prop_assert_eq!(got, want);
            }
        }
    }
}
