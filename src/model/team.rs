//! Working as a team: the one rule that names annotators, and comparing their projects
//! (agreement, and the gold project of what they agree on with their disagreements to
//! adjudicate), which the window and the command line share.

use std::path::{Path, PathBuf};

use super::Project;
use super::agreement::{self, AgreementError, Report};
use super::merge::{self, MergeError, Policy};

/// Annotators' names for their project files, the one rule every command and the window
/// use: the file stem; where two stems are equal, with the parent folder (`alice/p`,
/// `bob/p`); where still equal, numbered (`p#2`). Always unique, one per path.
pub fn annotator_names(paths: &[PathBuf]) -> Vec<String> {
    let stem = |p: &Path| {
        p.file_stem().map_or_else(
            || p.display().to_string(),
            |s| s.to_string_lossy().into_owned(),
        )
    };
    let stems: Vec<String> = paths.iter().map(|p| stem(p)).collect();
    let shared = |i: usize| stems.iter().filter(|n| **n == stems[i]).count() > 1;
    let mut names: Vec<String> = paths
        .iter()
        .enumerate()
        .map(|(i, p)| match p.parent().and_then(|d| d.file_name()) {
            Some(dir) if shared(i) => format!("{}/{}", dir.to_string_lossy(), stems[i]),
            _ => stems[i].clone(),
        })
        .collect();
    for i in 0..names.len() {
        if names[..i].contains(&names[i]) {
            let base = names[i].clone();
            names[i] = (2..)
                .map(|k| format!("{base}#{k}"))
                .find(|n| !names.contains(n))
                .unwrap_or_default();
        }
    }
    names
}

/// Annotators compared: who, their projects, how well they agree, and the gold project.
#[derive(Clone, Debug)]
pub struct Compared {
    /// The annotators' names, as [`annotator_names`] gives them.
    pub names: Vec<String>,
    /// Each annotator's project.
    pub projects: Vec<Project>,
    /// Agreement per pair, label and document.
    pub report: Report,
    /// The spans and relations everyone has, and a disagreement wherever they differ
    /// (its versions carry the links there).
    pub gold: Project,
}

/// Why annotators could not be compared.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum CompareError {
    /// Their projects do not hold the same documents and texts.
    #[error("The annotators' projects do not match: {0}.")]
    Mismatch(#[from] AgreementError),
    /// The gold project could not be made.
    #[error("Could not merge the annotators' projects: {0}.")]
    Merge(#[from] MergeError),
}

/// Compares annotators' projects, one name each: the agreement report and the gold
/// project (merged with [`Policy::Agreed`]).
pub fn compare(names: Vec<String>, projects: Vec<Project>) -> Result<Compared, CompareError> {
    let pairs: Vec<(String, &Project)> = names.iter().cloned().zip(projects.iter()).collect();
    let report = agreement::report(&pairs)?;
    let gold = merge::merge(&pairs, Policy::Agreed)?;
    Ok(Compared {
        names,
        projects,
        report,
        gold,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annotators_are_named_by_one_rule_always_unique() {
        let p = |s: &str| PathBuf::from(s);
        assert_eq!(
            annotator_names(&[p("a/alice.ron"), p("b/bob.ron")]),
            ["alice", "bob"]
        );
        assert_eq!(
            annotator_names(&[p("a/x.ron"), p("b/x.ron"), p("c/y.ron")]),
            ["a/x", "b/x", "y"]
        );
        // The same file twice (`merge a.ron a.ron`) still gives two names.
        assert_eq!(annotator_names(&[p("a.ron"), p("a.ron")]), ["a", "a#2"]);
        assert_eq!(
            annotator_names(&[p("d/a.ron"), p("d/a.ron"), p("d/a.ron")]),
            ["d/a", "d/a#2", "d/a#3"]
        );
    }

    proptest::proptest! {
        /// Whatever the paths, one name each, all different.
        #[test]
        fn names_are_unique(paths in proptest::collection::vec("(a|b|c)(/(x|y))?/(p|q)(\\.ron)?", 0..8)) {
            let paths: Vec<PathBuf> = paths.iter().map(PathBuf::from).collect();
            let names = annotator_names(&paths);
            proptest::prop_assert_eq!(names.len(), paths.len());
            let set: std::collections::HashSet<&String> = names.iter().collect();
            proptest::prop_assert_eq!(set.len(), names.len());
        }
    }
}
