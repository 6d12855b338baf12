//! Cutting a project among annotators ([`split`]): a shared part everyone labels (for
//! agreement), the rest round-robin; each document remembers its place, so the gold
//! merge can put the parts back in order.

use std::collections::HashSet;

use crate::model::{Document, Project};

/// The projects [`split`] makes: one per annotator, and which documents all of them have.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Split {
    /// Annotator i's project: the shared documents and their round-robin share, in the
    /// original order, with every label.
    pub projects: Vec<Project>,
    /// Indices (in the original project) of the documents every annotator has.
    pub shared: Vec<usize>,
}

/// Splits a project among `annotators` people: `round(n * overlap_percent / 100)` of the
/// `n` documents, spread evenly through the project (document `floor(i * n / k)` for
/// `i < k`), go to everyone — agreement is measured on them; the others go round-robin in
/// order. `overlap_percent` is clamped to 0..=100; `annotators` must be at least 1.
pub fn split(project: &Project, annotators: usize, overlap_percent: f64) -> Split {
    let annotators = annotators.max(1);
    let n = project.documents().len();
    let pct = if overlap_percent.is_nan() {
        0.0
    } else {
        overlap_percent.clamp(0.0, 100.0)
    };
    // Rounded to the nearest document count; the cast is within 0..=n.
    let k = ((n as f64) * pct / 100.0).round() as usize;
    let k = k.min(n);
    let shared: Vec<usize> = (0..k).map(|i| i * n / k.max(1)).collect();
    let shared_set: HashSet<usize> = shared.iter().copied().collect();
    let mut docs: Vec<Vec<Document>> = vec![Vec::new(); annotators];
    let mut next = 0;
    for (i, d) in project.documents().iter().enumerate() {
        // Its place here goes with it, so `merge` can put it back.
        let mut d = Document::clone(d);
        d.split_index = Some(i);
        if shared_set.contains(&i) {
            for list in &mut docs {
                list.push(d.clone());
            }
        } else {
            docs[next % annotators].push(d);
            next += 1;
        }
    }
    let projects = docs
        .into_iter()
        .map(|documents| {
            project
                .with_same_labels(documents)
                .unwrap_or_else(|_| project.clone())
        })
        .collect();
    Split { projects, shared }
}
