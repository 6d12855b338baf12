//! Link mode: after `R` on a selected span, until a target is chosen or Esc. Which spans
//! it can be linked to and in which order Tab visits them, and which relations a link to
//! one of them may be. Pure: the project and document in, spans and relations out.
//!
//! Tab order: the other ends of the span's suggested relations first (so `R`, `Enter`
//! takes the suggested speaker), then nearest first: by the number of chars between the
//! two spans (0 when they overlap), ties in document order.

use std::collections::HashSet;

use crate::model::{Document, LabelId, Project, Relation, RelationSet, RelationTypeId, Rgb, Span};

/// What a span can be linked to: per relation type that takes its label at one end, the
/// labels allowed at the other, and which way round (`forward`: the span is the start);
/// and the relations it has, which are not made twice. Found once per link, so each
/// span is then checked in constant time (per type).
#[derive(Clone, Debug)]
struct Partners {
    from: Span,
    ways: Vec<(RelationTypeId, bool, Vec<LabelId>)>,
    linked: Vec<Relation>,
}

impl Partners {
    fn of(project: &Project, doc: &Document, from: Span) -> Self {
        let mut ways = Vec::new();
        for (id, t) in project.relation_type_entries() {
            if t.from.contains(&from.label()) {
                ways.push((id, true, t.to.clone()));
            }
            if t.to.contains(&from.label()) {
                ways.push((id, false, t.from.clone()));
            }
        }
        Self {
            from,
            ways,
            linked: doc.relations().of(&from).to_vec(),
        }
    }

    /// The relations a link from `from` to `other` can make that are not there yet: one
    /// per type, `from` at its start first.
    fn choices(&self, other: Span) -> impl Iterator<Item = Relation> + '_ {
        self.ways
            .iter()
            .filter(move |(_, _, labels)| labels.contains(&other.label()))
            .filter_map(move |&(kind, forward, _)| {
                let (a, b) = if forward {
                    (self.from, other)
                } else {
                    (other, self.from)
                };
                Relation::new(a, b, kind).ok()
            })
            .filter(|r| !self.linked.contains(r))
    }

    fn allows(&self, other: &Span) -> bool {
        *other != self.from && self.choices(*other).next().is_some()
    }
}

/// The link being made: its first span, the spans it can go to, and the one Tab reached.
#[derive(Clone, Debug)]
pub struct Linking {
    /// The span selected when `R` was pressed.
    pub from: Span,
    /// Every span it can be linked to, in Tab order.
    targets: Vec<Span>,
    partners: Partners,
    /// The target Tab reached, as an index into `targets`.
    current: Option<usize>,
    /// The colour of the first type that can link it: the targets' outlines.
    pub color: Rgb,
}

impl Linking {
    /// Link mode from span `from` of `doc`, or `None` when no span can be linked to it.
    pub fn start(
        project: &Project,
        doc: &Document,
        from: Span,
        suggested: &RelationSet,
    ) -> Option<Self> {
        let partners = Partners::of(project, doc, from);
        let targets = ordered_targets(&partners, doc, suggested);
        if targets.is_empty() {
            return None;
        }
        let color = partners
            .ways
            .first()
            .and_then(|(k, _, _)| project.relation_type(*k))
            .map_or(Rgb([0x33, 0x33, 0x99]), |t| t.color);
        Some(Self {
            from,
            targets,
            partners,
            current: None,
            color,
        })
    }

    /// The spans it can be linked to, in Tab order.
    pub fn targets(&self) -> &[Span] {
        &self.targets
    }

    /// Whether `span` (one of the document's) is one of them.
    pub fn allows(&self, span: &Span) -> bool {
        self.partners.allows(span)
    }

    /// The target Tab reached, if any.
    pub fn target(&self) -> Option<Span> {
        self.current.and_then(|i| self.targets.get(i)).copied()
    }

    /// Goes to the next target (the previous one, going back), wrapping; returns it.
    pub fn step(&mut self, forward: bool) -> Option<Span> {
        let n = self.targets.len();
        if n == 0 {
            return None;
        }
        self.current = Some(match (self.current, forward) {
            (None, true) => 0,
            (None, false) => n - 1,
            (Some(i), true) => (i + 1) % n,
            (Some(i), false) => (i + n - 1) % n,
        });
        self.target()
    }
}

/// The relations a link between `a` (where linking started) and `b` can make: one per
/// type that links `a` to `b`, then one per type that links `b` to `a` (a speaker
/// selected first links to its quote the right way round), leaving out those the
/// document has.
pub fn link_choices(project: &Project, doc: &Document, a: Span, b: Span) -> Vec<Relation> {
    if a == b {
        return Vec::new();
    }
    let partners = Partners::of(project, doc, a);
    let (mut forward, backward): (Vec<Relation>, Vec<Relation>) =
        partners.choices(b).partition(|r| r.from() == a);
    forward.extend(backward);
    forward
}

/// The labels a span labelled `label` can be linked to, by some type, either way round,
/// in display order.
pub fn partner_labels(project: &Project, label: LabelId) -> Vec<LabelId> {
    let mut found: HashSet<LabelId> = HashSet::new();
    for t in project.relation_types() {
        if t.from.contains(&label) {
            found.extend(&t.to);
        }
        if t.to.contains(&label) {
            found.extend(&t.from);
        }
    }
    project.label_ids().filter(|l| found.contains(l)).collect()
}

/// How many chars lie between two spans (0 when they touch or overlap).
fn gap(a: &Span, b: &Span) -> usize {
    if b.start() >= a.end() {
        b.start() - a.end()
    } else {
        a.start().saturating_sub(b.end())
    }
}

/// The spans of `doc` that `from` can be linked to (some relation not there yet), in Tab
/// order (see the module doc). One pass over the spans and a sort, at the key press,
/// never per frame.
pub fn link_targets(
    project: &Project,
    doc: &Document,
    from: Span,
    suggested: &RelationSet,
) -> Vec<Span> {
    ordered_targets(&Partners::of(project, doc, from), doc, suggested)
}

fn ordered_targets(partners: &Partners, doc: &Document, suggested: &RelationSet) -> Vec<Span> {
    let from = partners.from;
    let mut first: Vec<Span> = Vec::new();
    for r in suggested.of(&from) {
        if let Some(other) = r.other_end(&from)
            && doc.spans().contains(&other)
            && !first.contains(&other)
            && partners.allows(&other)
        {
            first.push(other);
        }
    }
    if partners.ways.is_empty() {
        return first;
    }
    let mut rest: Vec<Span> = doc
        .spans()
        .iter()
        .filter(|s| partners.allows(s) && !first.contains(s))
        .copied()
        .collect();
    rest.sort_unstable_by_key(|s| (gap(&from, s), *s));
    first.extend(rest);
    first
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{
        RelationType, RelationTypeId, Workspace, default_labels, relation::default_relation_types,
    };

    fn sp(s: usize, e: usize, l: u32) -> Span {
        Span::new(s, e, LabelId(l)).unwrap()
    }

    // Default labels: PERSON 0, PLACE 1, ORG 2, DATE 3, QUOTE 4.
    const TEXT: &str = "Anna Berg of the Red Cross said in Kabul: “We stay.” Tariq Khan agreed.";

    fn project(with_second_type: bool) -> (Project, Span, [Span; 4]) {
        let quote = sp(42, 52, 4);
        let anna = sp(0, 9, 0);
        let red_cross = sp(17, 26, 2);
        let kabul = sp(35, 40, 1);
        let tariq = sp(53, 63, 0);
        let doc =
            Document::with_spans("d", TEXT, vec![quote, anna, red_cross, kabul, tariq]).unwrap();
        let mut types = default_relation_types(&default_labels());
        if with_second_type {
            types.push(RelationType {
                name: "ADDRESSEE".into(),
                color: Rgb([0, 0, 0]),
                hotkey: None,
                from: vec![LabelId(4)],
                to: vec![LabelId(0)],
            });
        }
        let p = Project::with_types(default_labels(), types, vec![doc]).unwrap();
        (p, quote, [anna, red_cross, kabul, tariq])
    }

    #[test]
    fn tab_visits_the_allowed_spans_nearest_first() {
        let (p, quote, [anna, red_cross, kabul, tariq]) = project(false);
        let doc = &p.documents()[0];
        let none = RelationSet::default();
        // Kabul is a PLACE: SPEAKER does not take it. Tariq Khan is 1 char away, the Red
        // Cross 16, Anna Berg 33.
        assert_eq!(
            link_targets(&p, doc, quote, &none),
            [tariq, red_cross, anna]
        );
        let _ = kabul;
        // From a PERSON the only partner is the quote (linked the right way round).
        assert_eq!(link_targets(&p, doc, anna, &none), [quote]);
        assert_eq!(
            link_choices(&p, doc, anna, quote),
            [Relation::new(quote, anna, RelationTypeId(0)).unwrap()]
        );
        // Nothing links a PLACE.
        assert!(link_targets(&p, doc, kabul, &none).is_empty());
        assert!(Linking::start(&p, doc, kabul, &none).is_none());
        assert_eq!(partner_labels(&p, LabelId(4)), [LabelId(0), LabelId(2)]);
    }

    #[test]
    fn a_suggested_end_comes_first_and_a_linked_one_not_at_all() {
        let (p, quote, [anna, red_cross, _, tariq]) = project(false);
        let mut ws = Workspace::new(p);
        let doc = ws.project().documents()[0].id();
        let mut suggested = RelationSet::default();
        suggested.insert(Relation::new(quote, anna, RelationTypeId(0)).unwrap());
        let d = &ws.project().documents()[0];
        assert_eq!(
            link_targets(ws.project(), d, quote, &suggested),
            [anna, tariq, red_cross]
        );
        // Linked to Tariq Khan already: he is no target any more.
        let linked = Relation::new(quote, tariq, RelationTypeId(0)).unwrap();
        ws.apply(
            "link",
            vec![crate::model::Edit::AddRelation {
                doc,
                relation: linked,
            }],
        )
        .unwrap();
        let d = &ws.project().documents()[0];
        assert_eq!(
            link_targets(ws.project(), d, quote, &suggested),
            [anna, red_cross]
        );
        assert!(link_choices(ws.project(), d, quote, tariq).is_empty());
    }

    #[test]
    fn two_types_give_two_choices_and_tab_wraps_both_ways() {
        let (p, quote, [anna, red_cross, _, tariq]) = project(true);
        let doc = &p.documents()[0];
        let choices = link_choices(&p, doc, quote, anna);
        assert_eq!(choices.len(), 2);
        assert_eq!(
            p.relation_type(choices[1].kind()).unwrap().name,
            "ADDRESSEE"
        );
        // ORG: only SPEAKER.
        assert_eq!(link_choices(&p, doc, quote, red_cross).len(), 1);
        let mut l = Linking::start(&p, doc, quote, &RelationSet::default()).unwrap();
        assert_eq!(l.target(), None);
        assert_eq!(l.step(true), Some(tariq));
        assert_eq!(l.step(true), Some(red_cross));
        assert_eq!(l.step(true), Some(anna));
        assert_eq!(l.step(true), Some(tariq));
        assert_eq!(l.step(false), Some(anna));
        assert!(l.allows(&anna) && !l.allows(&quote));
    }
}
