//! Speaker suggestions: for each QUOTE of a document that has no SPEAKER, the PERSON or
//! ORG span that said it, found by rules (cue verbs, the sentence around the quote).
//!
//! Contract (the view and the CLI rely on it): every suggestion is a relation of the
//! project's relation type named `SPEAKER`, from a span of the document whose label the
//! type allows at its start to one it allows at its end; never a relation the document
//! has, never a rejected one, never for a quote that already has a speaker; sorted.

use super::super::{Document, Project, Relation};

/// The speaker suggestions of `doc` (see the module doc).
pub fn suggest_speakers(project: &Project, doc: &Document) -> Vec<Relation> {
    // The rules come with issue 19's speaker source.
    let _ = (project, doc);
    Vec::new()
}
