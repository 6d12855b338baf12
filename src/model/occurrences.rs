//! "Label all occurrences": every other place a span's text stands as whole words gets a
//! span of the same label, as one undoable action.

use super::search::find_in;
use super::{DocId, Document, Edit, Project, Span};

/// Where the text of `span` (in document `doc`) recurs as whole words, unlabeled with its
/// label: in that document, or in every document (`everywhere`). Per document, the new
/// spans as `(document, spans)`.
pub fn unlabeled_occurrences(
    project: &Project,
    doc: DocId,
    span: Span,
    everywhere: bool,
) -> Vec<(DocId, Vec<Span>)> {
    let Some(source) = project.document(doc) else {
        return Vec::new();
    };
    let needle = source.span_text(&span);
    if needle.trim().is_empty() {
        return Vec::new();
    }
    let docs: Vec<&Document> = if everywhere {
        project.documents().iter().map(|d| &**d).collect()
    } else {
        vec![source]
    };
    docs.into_iter()
        .filter_map(|d| {
            let found = new_spans(d, needle, span);
            (!found.is_empty()).then_some((d.id(), found))
        })
        .collect()
}

/// The whole-word matches of `needle` in `doc` that no span of `like`'s label overlaps.
fn new_spans(doc: &Document, needle: &str, like: Span) -> Vec<Span> {
    let text = doc.text();
    find_in(text.as_str(), needle)
        .ranges
        .into_iter()
        .filter(|&(s, e)| at_word_edges(text, s, e, needle))
        .filter(|&(s, e)| {
            !doc.spans()
                .overlapping(s, e)
                .any(|o| o.label() == like.label())
        })
        .filter_map(|(s, e)| Span::new(s, e, like.label()).ok())
        .collect()
}

/// Whether a match of `needle` at chars `s..e` of `text` keeps to word edges: a word
/// edge of the needle must be a word edge in the text too ("Kabul" is not found inside
/// "Kabuli"). Word chars are alphanumeric ones.
pub(crate) fn at_word_edges(text: &super::Text, s: usize, e: usize, needle: &str) -> bool {
    let word_char = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let first = needle.chars().next();
    let last = needle.chars().next_back();
    let before_ok = !word_char(first) || s == 0 || !word_char(text.char_at(s - 1));
    let after_ok = !word_char(last) || !word_char(text.char_at(e));
    before_ok && after_ok
}

/// The edits that add the occurrences found by [`unlabeled_occurrences`]: one bulk edit
/// per document, so thousands of occurrences are one cheap undo step.
pub fn label_all_edits(project: &Project, found: Vec<(DocId, Vec<Span>)>) -> Vec<Edit> {
    found
        .into_iter()
        .filter_map(|(doc, new)| {
            let d = project.document(doc)?;
            let mut spans: Vec<Span> = d.spans().iter().copied().collect();
            spans.extend(new);
            Some(Edit::SetSpans {
                doc,
                spans,
                notes: None,
                relations: None,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{LabelId, Workspace};
    use proptest::prelude::*;

    fn project(texts: &[&str]) -> Project {
        Project::with_documents(
            texts
                .iter()
                .enumerate()
                .map(|(i, t)| Document::new(format!("d{i}"), *t))
                .collect(),
        )
    }

    #[test]
    fn whole_words_in_this_or_every_document() {
        let mut p = project(&["Taliban and Taliban's Talibani Taliban", "The Taliban said"]);
        let span = Span::new(0, 7, LabelId(2)).unwrap();
        let mut w = Workspace::new(p.clone());
        let d0 = p.documents()[0].id();
        w.apply("a", vec![Edit::AddSpan { doc: d0, span }]).unwrap();
        p = w.project().clone();
        let here = unlabeled_occurrences(&p, d0, span, false);
        let starts: Vec<usize> = here[0].1.iter().map(|s| s.start()).collect();
        // Not inside "Talibani"; the possessive's stem counts.
        assert_eq!(starts, [12, 31]);
        let all = unlabeled_occurrences(&p, d0, span, true);
        assert_eq!(all.len(), 2);
        assert_eq!(all[1].1[0].start(), 4);
        let before = w.project().clone();
        w.apply("label all", label_all_edits(&p, all)).unwrap();
        assert_eq!(w.project().documents()[0].spans().len(), 3);
        assert_eq!(w.project().documents()[1].spans().len(), 1);
        // Nothing left to label; undo is one step.
        let p = w.project().clone();
        assert!(unlabeled_occurrences(&p, d0, span, true).is_empty());
        w.undo().unwrap();
        assert_eq!(w.project(), &before);
    }

    /// Naive oracle: every char window equal to the needle, at word edges, that no span
    /// of the label overlaps.
    fn naive(text: &str, needle: &str, taken: &[(usize, usize)]) -> Vec<(usize, usize)> {
        let t: Vec<char> = text.chars().collect();
        let n: Vec<char> = needle.chars().collect();
        let word = |i: usize| t.get(i).is_some_and(|c| c.is_alphanumeric());
        let mut out = Vec::new();
        let mut i = 0;
        while i + n.len() <= t.len() {
            if t[i..i + n.len()] == n[..] {
                let edges = (!n[0].is_alphanumeric() || i == 0 || !word(i - 1))
                    && (!n[n.len() - 1].is_alphanumeric() || !word(i + n.len()));
                let free = taken.iter().all(|&(s, e)| e <= i || s >= i + n.len());
                if edges && free {
                    out.push((i, i + n.len()));
                }
                i += n.len();
            } else {
                i += 1;
            }
        }
        out
    }

    proptest! {
        #[test]
        fn occurrences_match_the_naive_oracle(
            text in "(ab|a|b| |,|é|'s){0,30}",
            start in 0usize..20,
            len in 1usize..5,
        ) {
            let n = text.chars().count();
            prop_assume!(start + len <= n);
            let span = Span::new(start, start + len, LabelId(0)).unwrap();
            let doc = Document::with_spans("d", text.clone(), vec![span]).unwrap();
            let p = Project::with_documents(vec![doc]);
            let needle: String = text.chars().skip(start).take(len).collect();
            prop_assume!(!needle.trim().is_empty());
            let got: Vec<(usize, usize)> = unlabeled_occurrences(&p, p.documents()[0].id(), span, false)
                .into_iter()
                .flat_map(|(_, v)| v)
                .map(|s| (s.start(), s.end()))
                .collect();
            prop_assert_eq!(got, naive(&text, &needle, &[(start, start + len)]));
        }
    }
}
