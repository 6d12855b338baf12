//! Relation types across projects, matched by name (ids are per project): the union a
//! gold merge makes ([`union_types`]) and git's three-way merge of them
//! ([`three_way_types`]), each leaving every relation it keeps fitting its type.

use std::collections::HashMap;

use super::pick;
use crate::model::{LabelId, Project, RelationType, RelationTypeId, Rgb};

/// A span with its label as a name: (start, end, label).
pub(super) type NamedSpan = (usize, usize, String);

/// A relation with names: its spans (range and label name) and its type's name.
pub(super) type NamedRelation = (NamedSpan, NamedSpan, String);

/// Every project's relation types, matched by name, with `labels`' label ids: the
/// first project's, then new names. A type several projects define takes the first
/// one's colour and key and allows every label any of them allows, so each project's
/// relations fit it.
pub(super) fn union_types(projects: &[&Project], labels: &Project) -> Vec<RelationType> {
    let mut types: Vec<RelationType> = Vec::new();
    for p in projects {
        for t in p.relation_types() {
            let ids = |list: &[LabelId]| -> Vec<LabelId> {
                list.iter()
                    .filter_map(|l| p.label(*l))
                    .filter_map(|l| labels.label_id(&l.name))
                    .collect()
            };
            let (from, to) = (ids(&t.from), ids(&t.to));
            match types.iter_mut().find(|x| x.name == t.name) {
                Some(known) => widen(known, &from, &to),
                None => types.push(RelationType {
                    from,
                    to,
                    ..t.clone()
                }),
            }
        }
    }
    types
}

/// Lets `t` link from the labels `from` and to the labels `to` too (in the order
/// given, after its own).
fn widen(t: &mut RelationType, from: &[LabelId], to: &[LabelId]) {
    for l in from {
        if !t.from.contains(l) {
            t.from.push(*l);
        }
    }
    for l in to {
        if !t.to.contains(l) {
            t.to.push(*l);
        }
    }
}

/// Relation type ids of one project mapped to the places of the types of the same
/// names in `types` (a merged list: its ids are its places).
pub(super) type TypeMap = HashMap<RelationTypeId, RelationTypeId>;

pub(super) fn type_map(from: &Project, types: &[RelationType]) -> TypeMap {
    from.relation_type_entries()
        .filter_map(|(id, t)| {
            let at = types.iter().position(|x| x.name == t.name)?;
            Some((id, RelationTypeId(u32::try_from(at).ok()?)))
        })
        .collect()
}

/// A relation type with label names, so the three sides compare.
#[derive(Clone, Debug, PartialEq, Eq)]
struct NamedType {
    color: Rgb,
    hotkey: Option<char>,
    from: Vec<String>,
    to: Vec<String>,
}

impl NamedType {
    fn of(t: &RelationType, p: &Project) -> Self {
        let names = |list: &[LabelId]| {
            list.iter()
                .filter_map(|l| p.label(*l).map(|l| l.name.clone()))
                .collect()
        };
        Self {
            color: t.color,
            hotkey: t.hotkey,
            from: names(&t.from),
            to: names(&t.to),
        }
    }
}

/// git's merge of the relation types of `[base, ours, theirs]`, by name, with `labels`'
/// ids: ours' in ours' order, then theirs' new ones. A type takes the side that changed
/// it; changed both ways (or changed on one side and deleted on the other), ours'
/// definition (or the one left) with a warning. A type deleted on a side is gone unless
/// a relation in `used` (every relation the merged documents keep) needs it, and a type
/// is widened where one needs a label it does not allow; both with a warning.
pub(super) fn three_way_types<'a>(
    [b, o, t]: [&Project; 3],
    labels: &Project,
    used: impl Iterator<Item = &'a NamedRelation>,
    warnings: &mut Vec<String>,
) -> Vec<RelationType> {
    let find = |p: &Project, name: &str| {
        p.relation_types()
            .iter()
            .find(|x| x.name == name)
            .map(|x| NamedType::of(x, p))
    };
    let mut names: Vec<&str> = o.relation_types().iter().map(|x| x.name.as_str()).collect();
    for x in t.relation_types() {
        if !names.contains(&x.name.as_str()) {
            names.push(&x.name);
        }
    }
    // Label names each type must allow at each end, from the relations kept.
    let mut needs: HashMap<&str, (Vec<&str>, Vec<&str>)> = HashMap::new();
    for (from, to, kind) in used {
        let need = needs.entry(kind.as_str()).or_default();
        need.0.push(&from.2);
        need.1.push(&to.2);
    }
    let mut out: Vec<(String, NamedType)> = Vec::new();
    for name in names {
        let (db, d_o, dt) = (find(b, name), find(o, name), find(t, name));
        let chosen = match pick(&db, &d_o, &dt) {
            Some(Some(d)) => Some(d.clone()),
            // Deleted on the side that changed it.
            Some(None) => {
                let left = d_o.or(dt);
                if left.is_some() && needs.contains_key(name) {
                    warnings.push(format!(
                        "relation type {name:?}: deleted on one side, but relations kept \
                         from the other use it; kept"
                    ));
                    left
                } else {
                    None
                }
            }
            None => match (d_o, dt) {
                (Some(ours), Some(_)) => {
                    warnings.push(format!(
                        "relation type {name:?}: changed both ways; kept ours"
                    ));
                    Some(ours)
                }
                (left, other) => {
                    warnings.push(format!(
                        "relation type {name:?}: deleted on one side and changed on the \
                         other; kept"
                    ));
                    left.or(other)
                }
            },
        };
        if let Some(d) = chosen {
            out.push((name.to_string(), d));
        }
    }
    for (name, d) in &mut out {
        let Some((from, to)) = needs.get(name.as_str()) else {
            continue;
        };
        let mut added = Vec::new();
        for (list, want) in [(&mut d.from, from), (&mut d.to, to)] {
            for l in want {
                if !list.iter().any(|x| x == l) {
                    list.push(l.to_string());
                    added.push(l.to_string());
                }
            }
        }
        if !added.is_empty() {
            added.dedup();
            warnings.push(format!(
                "relation type {name:?}: now also allows {}, which kept relations use",
                added.join(", ")
            ));
        }
    }
    out.into_iter()
        .map(|(name, d)| {
            let ids = |list: &[String]| list.iter().filter_map(|l| labels.label_id(l)).collect();
            RelationType {
                from: ids(&d.from),
                to: ids(&d.to),
                name,
                color: d.color,
                hotkey: d.hotkey,
            }
        })
        .collect()
}
