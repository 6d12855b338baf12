//! Agreement on relations: per pair, the links both annotators made. A link is known by
//! both its spans (range and label name) and its type's name, so projects that number
//! labels and types differently compare; a link matches only one that is the same in
//! all of that, so a link between spans the annotators bounded or labelled differently
//! never matches.

use std::collections::BTreeSet;

use super::Prf;
use crate::model::{Document, Project, Relation, Span};

/// A span by range and label name.
type NamedSpan<'p> = (usize, usize, &'p str);

/// A link by names: from, to, type.
type NamedLink<'p> = (NamedSpan<'p>, NamedSpan<'p>, &'p str);

/// A document's links by names.
pub(super) fn links<'p>(project: &'p Project, doc: &'p Document) -> BTreeSet<NamedLink<'p>> {
    let span = |s: Span| {
        let label = project.label(s.label()).map_or("?", |l| l.name.as_str());
        (s.start(), s.end(), label)
    };
    let link = |r: &Relation| {
        let kind = project
            .relation_type(r.kind())
            .map_or("?", |t| t.name.as_str());
        (span(r.from()), span(r.to()), kind)
    };
    doc.relations().iter().map(link).collect()
}

/// The scores of `b`'s links against `a`'s (the reference) in one document: matched
/// links are those in both.
pub(super) fn score(a: &BTreeSet<NamedLink<'_>>, b: &BTreeSet<NamedLink<'_>>) -> Prf {
    Prf::new(a.intersection(b).count(), a.len(), b.len())
}
