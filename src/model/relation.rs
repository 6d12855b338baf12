//! Relations: typed, directed links between two spans of one document, such as who said
//! a quote (SPEAKER, from a QUOTE to a PERSON or ORG).
//!
//! A relation names its spans by value, range and label, as spans are identified
//! everywhere (and as the file writes them), never by a place in a list. A relation type
//! is known by a [`RelationTypeId`] that stays with it like a label's id.

use std::collections::{BTreeSet, HashMap};

use super::{Label, LabelId, ModelError, Rgb, Span};

/// A relation type's identity within its project: fixed when the project is built (the
/// type's place in the list given), kept through moves, renames and undone deletes,
/// never reused. Across files, types are matched by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RelationTypeId(pub u32);

/// A kind of link: its name, colour and key, and the labels allowed at each end.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RelationType {
    /// Unique name among the project's relation types, e.g. `SPEAKER`.
    pub name: String,
    /// The arrows' colour.
    pub color: Rgb,
    /// Key that picks this type when several fit, if any.
    pub hotkey: Option<char>,
    /// Labels a relation may start from (the quote).
    pub from: Vec<LabelId>,
    /// Labels a relation may point to (the speaker).
    pub to: Vec<LabelId>,
}

impl RelationType {
    /// Whether a relation of this type may link `from` to `to`.
    pub fn allows(&self, from: &Span, to: &Span) -> bool {
        self.from.contains(&from.label()) && self.to.contains(&to.label())
    }
}

/// Checks a relation type name against the rule label names follow
/// ([`super::label::check_label_name`]): not empty, no whitespace and no control
/// characters.
///
/// Why: brat writes the type where whitespace ends it (`R1<TAB>SPEAKER Arg1:T3 Arg2:T1`,
/// and `SPEAKER Arg1:QUOTE, Arg2:PERSON` in `annotation.conf`).
pub fn check_relation_type_name(name: &str) -> Result<(), ModelError> {
    match super::label::check_label_name(name) {
        Err(ModelError::BadLabelName { .. }) if name.chars().any(char::is_whitespace) => {
            Err(ModelError::BadRelationTypeName {
                name: name.to_string(),
                reason: "it holds whitespace (a space, tab or line break), which ends the type \
                         in brat's relation lines; use `_` or `-` instead",
            })
        }
        Err(ModelError::BadLabelName { reason, .. }) => Err(ModelError::BadRelationTypeName {
            name: name.to_string(),
            reason,
        }),
        Err(ModelError::EmptyLabelName) => Err(ModelError::BadRelationTypeName {
            name: String::new(),
            reason: "a relation type needs a name",
        }),
        other => other,
    }
}

/// The colour of SPEAKER arrows: dark enough over every label colour.
const SPEAKER_COLOR: Rgb = Rgb([0x33, 0x33, 0x99]);

/// The relation types a project with `labels` starts with: SPEAKER from QUOTE to PERSON
/// or ORG, when it has those labels (`labels[i]` has id `i`, as in a project being
/// built).
pub fn default_relation_types(labels: &[Label]) -> Vec<RelationType> {
    let id = |name: &str| {
        labels
            .iter()
            .position(|l| l.name == name)
            .and_then(|i| LabelId::from_index(i).ok())
    };
    let Some(quote) = id("QUOTE") else {
        return Vec::new();
    };
    let to: Vec<LabelId> = ["PERSON", "ORG"].iter().filter_map(|n| id(n)).collect();
    if to.is_empty() {
        return Vec::new();
    }
    vec![RelationType {
        name: "SPEAKER".to_string(),
        color: SPEAKER_COLOR,
        hotkey: None,
        from: vec![quote],
        to,
    }]
}

/// A link from one span to another of the same document, of a type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Relation {
    from: Span,
    to: Span,
    kind: RelationTypeId,
}

impl Relation {
    /// A relation from `from` to `to`; refuses a span linked to itself.
    pub fn new(from: Span, to: Span, kind: RelationTypeId) -> Result<Self, ModelError> {
        if from == to {
            return Err(ModelError::SelfRelation {
                start: from.start(),
                end: from.end(),
            });
        }
        Ok(Self { from, to, kind })
    }

    /// The span it starts from (the quote).
    pub fn from(&self) -> Span {
        self.from
    }

    /// The span it points to (the speaker).
    pub fn to(&self) -> Span {
        self.to
    }

    /// Its type.
    pub fn kind(&self) -> RelationTypeId {
        self.kind
    }

    /// Whether `span` is one of its ends.
    pub fn involves(&self, span: &Span) -> bool {
        self.from == *span || self.to == *span
    }

    /// The end that is not `span` (`None` when `span` is neither).
    pub fn other_end(&self, span: &Span) -> Option<Span> {
        if self.from == *span {
            Some(self.to)
        } else if self.to == *span {
            Some(self.from)
        } else {
            None
        }
    }

    /// The same relation with end `old` (either end) replaced by `new`.
    pub fn with_end(self, old: &Span, new: Span) -> Self {
        Self {
            from: if self.from == *old { new } else { self.from },
            to: if self.to == *old { new } else { self.to },
            ..self
        }
    }

    /// The same relation of another type.
    pub fn with_kind(self, kind: RelationTypeId) -> Self {
        Self { kind, ..self }
    }
}

/// The relations of one document: sorted (by the `from` span, then `to`, then type),
/// never the same one twice, with each span's relations at hand.
#[derive(Clone, Debug, Default)]
pub struct RelationSet {
    all: BTreeSet<Relation>,
    /// Each span that is an end of some relation, with those relations.
    by_span: HashMap<Span, Vec<Relation>>,
}

/// Equal when the relations are (the index follows from them).
impl PartialEq for RelationSet {
    fn eq(&self, other: &Self) -> bool {
        self.all == other.all
    }
}

impl Eq for RelationSet {}

impl RelationSet {
    /// How many relations.
    pub fn len(&self) -> usize {
        self.all.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.all.is_empty()
    }

    /// Every relation, sorted.
    pub fn iter(&self) -> impl Iterator<Item = &Relation> {
        self.all.iter()
    }

    /// Whether this exact relation is there.
    pub fn contains(&self, r: &Relation) -> bool {
        self.all.contains(r)
    }

    /// The relations with `span` at either end, sorted.
    pub fn of(&self, span: &Span) -> &[Relation] {
        self.by_span.get(span).map_or(&[], Vec::as_slice)
    }

    /// Adds a relation; false if it was there.
    pub(crate) fn insert(&mut self, r: Relation) -> bool {
        if !self.all.insert(r) {
            return false;
        }
        for end in [r.from, r.to] {
            let list = self.by_span.entry(end).or_default();
            let at = list.partition_point(|x| *x < r);
            list.insert(at, r);
        }
        true
    }

    /// Removes a relation; false if it was not there.
    pub(crate) fn remove(&mut self, r: &Relation) -> bool {
        if !self.all.remove(r) {
            return false;
        }
        for end in [r.from, r.to] {
            if let Some(list) = self.by_span.get_mut(&end) {
                list.retain(|x| x != r);
                if list.is_empty() {
                    self.by_span.remove(&end);
                }
            }
        }
        true
    }

    /// Removes every relation of `span`; returns them, sorted.
    pub(crate) fn remove_of(&mut self, span: &Span) -> Vec<Relation> {
        let gone = self.of(span).to_vec();
        for r in &gone {
            self.remove(r);
        }
        gone
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn sp(s: usize, e: usize, l: u32) -> Span {
        Span::new(s, e, LabelId(l)).unwrap()
    }

    #[test]
    fn no_self_links_and_ends() {
        let (q, p) = (sp(0, 10, 4), sp(12, 20, 0));
        assert!(Relation::new(q, q, RelationTypeId(0)).is_err());
        let r = Relation::new(q, p, RelationTypeId(0)).unwrap();
        assert_eq!(r.other_end(&q), Some(p));
        assert_eq!(r.other_end(&p), Some(q));
        assert_eq!(r.other_end(&sp(0, 1, 0)), None);
        let moved = r.with_end(&p, sp(12, 20, 2));
        assert_eq!(moved.to(), sp(12, 20, 2));
        assert_eq!(moved.from(), q);
    }

    #[test]
    fn speaker_is_the_default_where_the_labels_are() {
        let labels = crate::model::default_labels();
        let types = default_relation_types(&labels);
        assert_eq!(types.len(), 1);
        assert_eq!(types[0].name, "SPEAKER");
        assert_eq!(types[0].from, vec![LabelId(4)]);
        assert_eq!(types[0].to, vec![LabelId(0), LabelId(2)]);
        assert!(types[0].allows(&sp(0, 5, 4), &sp(6, 8, 0)));
        assert!(!types[0].allows(&sp(0, 5, 0), &sp(6, 8, 4)));
        assert!(default_relation_types(&labels[..4]).is_empty());
    }

    proptest! {
        /// The per-span index always equals a scan of the set (the naive oracle).
        #[test]
        fn index_equals_a_scan(ops in proptest::collection::vec((any::<bool>(), 0usize..6, 0usize..6, 0u32..2), 0..40)) {
            let spans: Vec<Span> = (0..6).map(|i| sp(i * 3, i * 3 + 2, (i % 2) as u32)).collect();
            let mut set = RelationSet::default();
            let mut naive: BTreeSet<Relation> = BTreeSet::new();
            for (add, a, b, k) in ops {
                let Ok(r) = Relation::new(spans[a], spans[b], RelationTypeId(k)) else {
                    continue;
                };
                if add {
                    prop_assert_eq!(set.insert(r), naive.insert(r));
                } else if a % 3 == 0 {
                    let gone = set.remove_of(&spans[a]);
                    let want: Vec<Relation> = naive.iter().filter(|x| x.involves(&spans[a])).copied().collect();
                    naive.retain(|x| !x.involves(&spans[a]));
                    prop_assert_eq!(gone, want);
                } else {
                    prop_assert_eq!(set.remove(&r), naive.remove(&r));
                }
                prop_assert_eq!(set.iter().copied().collect::<Vec<_>>(), naive.iter().copied().collect::<Vec<_>>());
                for s in &spans {
                    let want: Vec<Relation> = naive.iter().filter(|x| x.involves(s)).copied().collect();
                    prop_assert_eq!(set.of(s), &want[..]);
                }
            }
        }
    }
}
