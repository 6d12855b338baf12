//! Tokens, sentences and tags for the token-based formats (CoNLL, Hugging Face).
//!
//! Tokens are UAX #29 word segments without whitespace, always cut at span boundaries so
//! that every span maps onto whole tokens. Sentences end at line breaks and after
//! sentence-final punctuation, but never inside a span. Flat formats cannot hold nested
//! or overlapping spans: the longer span wins (ties: the earlier one), and every span
//! left out is reported.

use unicode_segmentation::UnicodeSegmentation;

use super::{Dropped, ExportOptions, Scheme};
use crate::model::{Document, LabelId, Project, Span};

/// A token: chars `start..end` of the document text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    /// First char.
    pub start: usize,
    /// One past the last char.
    pub end: usize,
}

/// A sentence: its tokens and one tag per token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sentence {
    /// Tokens in order.
    pub tokens: Vec<Token>,
    /// Tags (`O`, `B-PERSON`, ...), one per token.
    pub tags: Vec<String>,
}

/// Whitespace as both Rust and Python's `str.split()` see it: a token must never contain
/// a char that a CoNLL reader would split on.
pub fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{1c}'..='\u{1f}' | '\u{85}')
}

fn ends_sentence(token: &str) -> bool {
    matches!(token, "." | "!" | "?" | "…" | "。" | "！" | "？" | "．")
}

/// The spans a flat format keeps, in document order, and the ones it cannot hold.
pub fn flatten(
    project: &Project,
    doc: &Document,
    selected: Option<&[LabelId]>,
) -> (Vec<Span>, Vec<Dropped>) {
    let mut dropped = Vec::new();
    let mut candidates: Vec<Span> = Vec::with_capacity(doc.spans().len());
    for span in doc.spans().iter() {
        if selected.is_some_and(|sel| !sel.contains(&span.label())) {
            dropped.push(Dropped::new(project, doc, span, "label not selected"));
        } else if doc.span_text(span).chars().all(is_space) {
            dropped.push(Dropped::new(project, doc, span, "only whitespace"));
        } else {
            candidates.push(*span);
        }
    }
    // Longer first; among equals, the earlier one.
    candidates.sort_by_key(|s| (std::cmp::Reverse(s.len()), s.start(), s.label()));
    let mut kept: Vec<Span> = Vec::with_capacity(candidates.len());
    for span in candidates {
        // `kept` is sorted by start and non-overlapping: only neighbours can clash.
        let i = kept.partition_point(|k| k.start() < span.start());
        let clash_before = i > 0 && kept[i - 1].end() > span.start();
        let clash_after = i < kept.len() && kept[i].start() < span.end();
        if clash_before || clash_after {
            dropped.push(Dropped::new(
                project,
                doc,
                &span,
                "overlaps a longer span (flat format)",
            ));
        } else {
            kept.insert(i, span);
        }
    }
    (kept, dropped)
}

/// Splits a document into sentences of tagged tokens, with `spans` (flat, sorted) as
/// entities.
pub fn sentences(
    project: &Project,
    doc: &Document,
    spans: &[Span],
    scheme: Scheme,
) -> Vec<Sentence> {
    let text = doc.text().as_str();
    // Span boundaries, sorted: tokens are cut at each.
    let mut cuts: Vec<usize> = spans.iter().flat_map(|s| [s.start(), s.end()]).collect();
    cuts.sort_unstable();
    cuts.dedup();
    let inside = |pos: usize| {
        let i = spans.partition_point(|s| s.end() <= pos);
        i < spans.len() && spans[i].start() < pos
    };

    let mut sentences: Vec<Vec<Token>> = vec![Vec::new()];
    // The previous segment, if no space came between it and this one: a "." right after
    // "U.S" or "a.m" ends an abbreviation, not a sentence.
    let mut prev: Option<&str> = None;
    let mut pos = 0;
    let mut cut_i = 0;
    for segment in text.split_word_bounds() {
        let len = segment.chars().count();
        let (start, end) = (pos, pos + len);
        pos = end;
        if segment.chars().all(is_space) {
            if segment.contains(['\n', '\r', '\u{85}', '\u{2028}', '\u{2029}']) && !inside(start) {
                sentences.push(Vec::new());
            }
            prev = None;
            continue;
        }
        while cut_i < cuts.len() && cuts[cut_i] <= start {
            cut_i += 1;
        }
        let mut s = start;
        let mut k = cut_i;
        while k < cuts.len() && cuts[k] < end {
            push_trimmed(&mut sentences, doc, s, cuts[k]);
            s = cuts[k];
            k += 1;
        }
        push_trimmed(&mut sentences, doc, s, end);
        let abbreviation =
            segment == "." && prev.is_some_and(|p| p.contains('.') || p.chars().count() == 1);
        if ends_sentence(segment) && !abbreviation && !inside(end) {
            sentences.push(Vec::new());
        }
        prev = Some(segment);
    }
    sentences.retain(|s| !s.is_empty());

    let label = |id: LabelId| project.label(id).map_or("?", |l| l.name.as_str());
    let mut span_i = 0;
    // Index of the span that the previous token belonged to, to tell first tokens apart
    // even when a span starts with whitespace.
    let mut prev_span: Option<usize> = None;
    sentences
        .into_iter()
        .map(|tokens| {
            let mut tags = Vec::with_capacity(tokens.len());
            for (k, t) in tokens.iter().enumerate() {
                while span_i < spans.len() && spans[span_i].end() <= t.start {
                    span_i += 1;
                }
                let Some(span) = spans.get(span_i).filter(|s| s.start() <= t.start) else {
                    tags.push("O".to_string());
                    prev_span = None;
                    continue;
                };
                let first = prev_span != Some(span_i);
                // Sentences never split inside a span, so the next token is in this
                // sentence if it belongs to the span.
                let last = tokens.get(k + 1).is_none_or(|n| n.start >= span.end());
                let prefix = match (scheme, first, last) {
                    (Scheme::Iob2, true, _) => "B",
                    (Scheme::Iob2, false, _) => "I",
                    (Scheme::Bilou, true, true) => "U",
                    (Scheme::Bilou, true, false) => "B",
                    (Scheme::Bilou, false, true) => "L",
                    (Scheme::Bilou, false, false) => "I",
                };
                tags.push(format!("{prefix}-{}", label(span.label())));
                prev_span = Some(span_i);
            }
            Sentence { tokens, tags }
        })
        .collect()
}

/// Pushes the runs of non-space chars in `start..end` as tokens. A word segment can hold
/// a space: UAX #29 glues combining marks and emoji modifiers to a preceding space.
fn push_trimmed(sentences: &mut [Vec<Token>], doc: &Document, start: usize, end: usize) {
    let Some(sentence) = sentences.last_mut() else {
        return;
    };
    let mut run = None;
    for (i, c) in doc.text().slice(start, end).chars().enumerate() {
        match (is_space(c), run) {
            (true, Some(r)) => {
                sentence.push(Token {
                    start: r,
                    end: start + i,
                });
                run = None;
            }
            (false, None) => run = Some(start + i),
            _ => {}
        }
    }
    if let Some(r) = run {
        sentence.push(Token { start: r, end });
    }
}

/// The tags a label set produces, `O` first, in label order.
pub fn tag_set(project: &Project, opts: &ExportOptions) -> Vec<String> {
    let prefixes: &[&str] = match opts.scheme {
        Scheme::Iob2 => &["B", "I"],
        Scheme::Bilou => &["B", "I", "L", "U"],
    };
    let mut tags = vec!["O".to_string()];
    for (i, label) in project.labels().iter().enumerate() {
        if opts
            .labels
            .as_ref()
            .is_some_and(|sel| !sel.contains(&LabelId(i as u16)))
        {
            continue;
        }
        for p in prefixes {
            tags.push(format!("{p}-{}", label.name));
        }
    }
    tags
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Document, Project, Span};
    use proptest::prelude::*;

    fn project(text: &str, spans: &[(usize, usize, u16)]) -> Project {
        let spans = spans
            .iter()
            .map(|&(s, e, l)| Span::new(s, e, LabelId(l)).unwrap())
            .collect();
        Project::with_documents(vec![Document::with_spans("d", text, spans).unwrap()])
    }

    /// Decodes tags back into (first token start, last token end, label) entities.
    fn decode(sentences: &[Sentence]) -> Vec<(usize, usize, String)> {
        let mut out: Vec<(usize, usize, String)> = Vec::new();
        for s in sentences {
            let mut open = false;
            for (t, tag) in s.tokens.iter().zip(&s.tags) {
                let (prefix, label) = tag.split_once('-').unwrap_or((tag, ""));
                match prefix {
                    "B" | "U" => out.push((t.start, t.end, label.to_string())),
                    "I" | "L" => {
                        assert!(open, "{tag} without B-");
                        out.last_mut().unwrap().1 = t.end;
                    }
                    _ => {}
                }
                open = matches!(prefix, "B" | "I");
            }
        }
        out
    }

    fn words(p: &Project, scheme: Scheme) -> (Vec<String>, Vec<String>) {
        let doc = &p.documents()[0];
        let (spans, _) = flatten(p, doc, None);
        let sents = sentences(p, doc, &spans, scheme);
        let toks = sents
            .iter()
            .flat_map(|s| {
                s.tokens
                    .iter()
                    .map(|t| doc.text().slice(t.start, t.end).to_string())
            })
            .collect();
        let tags = sents.into_iter().flat_map(|s| s.tags).collect();
        (toks, tags)
    }

    #[test]
    fn tokens_split_at_span_boundaries() {
        // "NATO'sJens": NATO (ORG) and Jens (PERSON) become their own tokens.
        let p = project("NATO'sJens said.", &[(0, 4, 2), (6, 10, 0)]);
        let (toks, tags) = words(&p, Scheme::Iob2);
        assert_eq!(toks, ["NATO", "'s", "Jens", "said", "."]);
        assert_eq!(tags, ["B-ORG", "O", "B-PERSON", "O", "O"]);
        let (_, tags) = words(&p, Scheme::Bilou);
        assert_eq!(tags, ["U-ORG", "O", "U-PERSON", "O", "O"]);
    }

    #[test]
    fn nested_longer_wins_and_is_reported() {
        let text = "He said Kabul is calm. Then left.";
        let p = project(text, &[(3, 21, 4), (8, 13, 1)]);
        let doc = &p.documents()[0];
        let (kept, dropped) = flatten(&p, doc, None);
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].label(), LabelId(4));
        assert_eq!(dropped.len(), 1);
        assert_eq!((dropped[0].start, dropped[0].label.as_str()), (8, "PLACE"));
        // Selecting PLACE only keeps the inner one.
        let (kept, dropped) = flatten(&p, doc, Some(&[LabelId(1)]));
        assert_eq!((kept.len(), dropped.len()), (1, 1));
        assert_eq!(kept[0].label(), LabelId(1));
    }

    #[test]
    fn sentences_never_split_inside_a_span() {
        let p = project("Go to St. Louis now.\nOk", &[(6, 15, 1)]);
        let doc = &p.documents()[0];
        let (spans, _) = flatten(&p, doc, None);
        let s = sentences(&p, doc, &spans, Scheme::Iob2);
        assert_eq!(s.len(), 2);
        assert_eq!(
            s[0].tags,
            ["O", "O", "B-PLACE", "I-PLACE", "I-PLACE", "O", "O"]
        );
    }

    proptest! {
        /// Every kept span comes back from its tags exactly (trimmed of whitespace), in
        /// both schemes, whatever the text and spans.
        #[test]
        fn tags_decode_to_spans(
            text in "[a-zA-Z .,'\\n\\t東京👍🏽é\u{301}]{1,80}",
            raw in proptest::collection::vec((0usize..80, 1usize..20, 0u16..5), 0..8),
        ) {
            let n = text.chars().count();
            let spans: Vec<(usize, usize, u16)> = raw
                .into_iter()
                .filter(|&(s, _, _)| s < n)
                .map(|(s, l, lab)| (s, (s + l).min(n), lab))
                .collect();
            let p = project(&text, &spans);
            let doc = &p.documents()[0];
            let (kept, _) = flatten(&p, doc, None);
            for scheme in [Scheme::Iob2, Scheme::Bilou] {
                let sents = sentences(&p, doc, &kept, scheme);
                let got = decode(&sents);
                let want: Vec<(usize, usize, String)> = kept
                    .iter()
                    .map(|s| {
                        let t = doc.span_text(s);
                        let lead = t.chars().take_while(|c| is_space(*c)).count();
                        let trail = t.chars().rev().take_while(|c| is_space(*c)).count();
                        (s.start() + lead, s.end() - trail, p.label(s.label()).unwrap().name.clone())
                    })
                    .collect();
                prop_assert_eq!(got, want);
                for s in &sents {
                    for t in &s.tokens {
                        prop_assert!(!doc.text().slice(t.start, t.end).contains(is_space));
                    }
                }
            }
        }
    }
}
