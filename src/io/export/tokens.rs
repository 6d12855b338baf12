//! Tokens, sentences and tags for the token-based formats (CoNLL, Hugging Face).
//!
//! Tokens are UAX #29 word segments without whitespace, always cut at span boundaries so
//! that every span maps onto whole tokens. Sentences end at line breaks and after
//! sentence-final punctuation, but never inside a span. Flat formats cannot hold nested
//! or overlapping spans: the longer span wins (ties: the earlier one), and every span
//! left out is reported.

use std::io::Write;

use unicode_segmentation::UnicodeSegmentation;

use super::{Dropped, ExportOptions, Scheme};
use crate::model::{Document, LabelId, Project, Span};

/// A token: chars `start..end` of the document text, and the same range in bytes, so
/// writers slice the text without converting offsets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    /// First char.
    pub start: usize,
    /// One past the last char.
    pub end: usize,
    /// Byte offset of `start`.
    pub byte_start: usize,
    /// Byte offset of `end`.
    pub byte_end: usize,
}

/// A token's tag: outside any span, or its place in a span of some label.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tag {
    /// Outside.
    O,
    /// First token of a span (or only one, in IOB2).
    B(LabelId),
    /// Inside a span.
    I(LabelId),
    /// Last token of a span (BILOU).
    L(LabelId),
    /// The only token of a span (BILOU).
    U(LabelId),
}

impl Tag {
    /// The tag as text, e.g. `O` or `B-PERSON`, with label names indexed by id.
    pub fn name(self, labels: &[&str]) -> String {
        let mut s = Vec::new();
        // Writing into a Vec cannot fail.
        let _ = self.write(labels, &mut s);
        String::from_utf8_lossy(&s).into_owned()
    }

    /// Writes the tag as text without allocating.
    pub fn write(self, labels: &[&str], out: &mut dyn Write) -> std::io::Result<()> {
        let (prefix, id) = match self {
            Tag::O => return out.write_all(b"O"),
            Tag::B(l) => (b"B-", l),
            Tag::I(l) => (b"I-", l),
            Tag::L(l) => (b"L-", l),
            Tag::U(l) => (b"U-", l),
        };
        out.write_all(prefix)?;
        out.write_all(labels.get(usize::from(id.0)).unwrap_or(&"?").as_bytes())
    }
}

/// Label names indexed by [`LabelId`], for [`Tag::write`].
pub fn label_names(project: &Project) -> Vec<&str> {
    project.labels().iter().map(|l| l.name.as_str()).collect()
}

/// A sentence: its tokens and one tag per token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sentence {
    /// Tokens in order.
    pub tokens: Vec<Token>,
    /// One tag per token.
    pub tags: Vec<Tag>,
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
/// entities. Works in bytes and chars side by side, so it never converts an offset.
pub fn sentences(doc: &Document, spans: &[Span], scheme: Scheme) -> Vec<Sentence> {
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
    for (byte, segment) in segments(text) {
        let len = if segment.is_ascii() {
            segment.len()
        } else {
            segment.chars().count()
        };
        let (start, end) = (pos, pos + len);
        pos = end;
        if segment.chars().all(is_space) {
            // A line break ends the sentence, unless a span runs across it.
            let breaks = segment.chars().enumerate().any(|(i, c)| {
                matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}') && !inside(start + i)
            });
            if breaks {
                sentences.push(Vec::new());
            }
            prev = None;
            continue;
        }
        while cut_i < cuts.len() && cuts[cut_i] <= start {
            cut_i += 1;
        }
        let Some(sentence) = sentences.last_mut() else {
            continue;
        };
        let cut_inside = cut_i < cuts.len() && cuts[cut_i] < end;
        if !cut_inside && !segment.contains(is_space) {
            // The common case: the whole segment is one token.
            sentence.push(Token {
                start,
                end,
                byte_start: byte,
                byte_end: byte + segment.len(),
            });
        } else {
            // Cut at span boundaries, and drop spaces that UAX #29 glued to combining
            // marks or emoji modifiers.
            let mut run: Option<(usize, usize)> = None;
            let mut k = cut_i;
            for (ci, (bi, c)) in segment.char_indices().enumerate() {
                let (cpos, bpos) = (start + ci, byte + bi);
                let at_cut = k < cuts.len() && cuts[k] == cpos;
                if at_cut {
                    k += 1;
                }
                if (at_cut || is_space(c))
                    && let Some((cs, bs)) = run.take()
                {
                    sentence.push(Token {
                        start: cs,
                        end: cpos,
                        byte_start: bs,
                        byte_end: bpos,
                    });
                }
                if !is_space(c) && run.is_none() {
                    run = Some((cpos, bpos));
                }
            }
            if let Some((cs, bs)) = run {
                sentence.push(Token {
                    start: cs,
                    end,
                    byte_start: bs,
                    byte_end: byte + segment.len(),
                });
            }
        }
        let abbreviation =
            segment == "." && prev.is_some_and(|p| p.contains('.') || p.chars().count() == 1);
        if ends_sentence(segment) && !abbreviation && !inside(end) {
            sentences.push(Vec::new());
        }
        prev = Some(segment);
    }
    sentences.retain(|s| !s.is_empty());

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
                    tags.push(Tag::O);
                    prev_span = None;
                    continue;
                };
                let first = prev_span != Some(span_i);
                // Sentences never split inside a span, so the next token is in this
                // sentence if it belongs to the span.
                let last = tokens.get(k + 1).is_none_or(|n| n.start >= span.end());
                let l = span.label();
                tags.push(match (scheme, first, last) {
                    (Scheme::Iob2, true, _) => Tag::B(l),
                    (Scheme::Iob2, false, _) => Tag::I(l),
                    (Scheme::Bilou, true, true) => Tag::U(l),
                    (Scheme::Bilou, true, false) => Tag::B(l),
                    (Scheme::Bilou, false, true) => Tag::L(l),
                    (Scheme::Bilou, false, false) => Tag::I(l),
                });
                prev_span = Some(span_i);
            }
            Sentence { tokens, tags }
        })
        .collect()
}

/// The text cut into whitespace runs and UAX #29 word segments, with byte offsets.
///
/// Mostly-English text is mostly ASCII, and UAX #29's table lookups dominate export time,
/// so pure-ASCII stretches between spaces take a fast path that applies the same rules
/// (WB5–WB13b restricted to ASCII); other stretches go through unicode-segmentation.
/// No UAX #29 rule joins across a space except an Extend char glued to it, which only
/// moves that char between a whitespace run and the next segment: tokens come out the same.
fn segments(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let bytes = text.as_bytes();
    let mut pos = 0;
    let mut pending: std::collections::VecDeque<(usize, &str)> = Default::default();
    std::iter::from_fn(move || {
        if let Some(next) = pending.pop_front() {
            return Some(next);
        }
        if pos >= bytes.len() {
            return None;
        }
        let start = pos;
        if bytes[pos].is_ascii_whitespace() || matches!(bytes[pos], 0x1c..=0x1f) {
            while pos < bytes.len()
                && (bytes[pos].is_ascii_whitespace() || matches!(bytes[pos], 0x1c..=0x1f))
            {
                pos += 1;
            }
            return Some((start, &text[start..pos]));
        }
        let mut ascii = true;
        while pos < bytes.len()
            && !(bytes[pos].is_ascii_whitespace() || matches!(bytes[pos], 0x1c..=0x1f))
        {
            ascii &= bytes[pos].is_ascii();
            pos += 1;
        }
        // `pos` stops at an ASCII byte, so it is a char boundary.
        let chunk = &text[start..pos];
        if ascii {
            let mut from = 0;
            for cut in ascii_word_breaks(chunk.as_bytes()) {
                pending.push_back((start + from, &chunk[from..cut]));
                from = cut;
            }
        } else {
            pending.extend(
                chunk
                    .split_word_bound_indices()
                    .map(|(b, s)| (start + b, s)),
            );
        }
        pending.pop_front()
    })
}

/// UAX #29 word-break classes of ASCII bytes (there are no Extend, Format, Katakana or
/// Hebrew letters in ASCII).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Wb {
    Letter,
    Numeric,
    MidLetter,
    MidNumLet,
    SingleQuote,
    MidNum,
    ExtendNumLet,
    Other,
}

fn wb(b: u8) -> Wb {
    match b {
        b'A'..=b'Z' | b'a'..=b'z' => Wb::Letter,
        b'0'..=b'9' => Wb::Numeric,
        b':' => Wb::MidLetter,
        b'.' => Wb::MidNumLet,
        b'\'' => Wb::SingleQuote,
        b',' | b';' => Wb::MidNum,
        b'_' => Wb::ExtendNumLet,
        _ => Wb::Other,
    }
}

/// Ends of the UAX #29 word segments of an ASCII chunk without whitespace.
fn ascii_word_breaks(s: &[u8]) -> Vec<usize> {
    let n = s.len();
    let class = |i: usize| s.get(i).map(|&b| wb(b));
    let mid_letter =
        |c: Option<Wb>| matches!(c, Some(Wb::MidLetter | Wb::MidNumLet | Wb::SingleQuote));
    let mid_num = |c: Option<Wb>| matches!(c, Some(Wb::MidNum | Wb::MidNumLet | Wb::SingleQuote));
    let mut ends = Vec::new();
    for i in 1..n {
        let (a, b) = (class(i - 1), class(i));
        let before = if i >= 2 { class(i - 2) } else { None };
        let after = class(i + 1);
        use Wb::*;
        let join = match (a, b) {
            (Some(Letter), Some(Letter)) => true, // WB5
            (Some(Letter), _) if mid_letter(b) && after == Some(Letter) => true, // WB6
            (_, Some(Letter)) if mid_letter(a) && before == Some(Letter) => true, // WB7
            (Some(Numeric), Some(Numeric)) => true, // WB8
            (Some(Letter), Some(Numeric)) | (Some(Numeric), Some(Letter)) => true, // WB9, WB10
            (_, Some(Numeric)) if mid_num(a) && before == Some(Numeric) => true, // WB11
            (Some(Numeric), _) if mid_num(b) && after == Some(Numeric) => true, // WB12
            (Some(Letter | Numeric | ExtendNumLet), Some(ExtendNumLet)) => true, // WB13a
            (Some(ExtendNumLet), Some(Letter | Numeric)) => true, // WB13b
            _ => false,
        };
        if !join {
            ends.push(i);
        }
    }
    ends.push(n);
    ends
}

/// Runs `write` on every document's sentences, tagged with the spans a flat format keeps;
/// counts documents and spans, and lists what was left out, in `report`. The shared core of
/// the token formats.
pub fn for_each_tagged(
    project: &Project,
    opts: &ExportOptions,
    report: &mut super::ExportReport,
    mut write: impl FnMut(&Document, Vec<Sentence>) -> std::io::Result<()>,
) -> std::io::Result<()> {
    for doc in project.documents() {
        let (spans, dropped) = flatten(project, doc, opts.labels.as_deref());
        report.spans += spans.len();
        report.dropped.extend(dropped);
        write(doc, sentences(doc, &spans, opts.scheme))?;
        report.documents += 1;
    }
    Ok(())
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

    fn tag_names(p: &Project, tags: &[Tag]) -> Vec<String> {
        let names = label_names(p);
        tags.iter().map(|t| t.name(&names)).collect()
    }

    /// Decodes tags back into (first token start, last token end, label) entities.
    fn decode(p: &Project, sentences: &[Sentence]) -> Vec<(usize, usize, String)> {
        let mut out: Vec<(usize, usize, String)> = Vec::new();
        for s in sentences {
            let mut open = false;
            for (t, tag) in s.tokens.iter().zip(tag_names(p, &s.tags)) {
                let tag = tag.as_str();
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
        let sents = sentences(doc, &spans, scheme);
        let toks = sents
            .iter()
            .flat_map(|s| {
                s.tokens
                    .iter()
                    .map(|t| doc.text().slice(t.start, t.end).to_string())
            })
            .collect();
        let tags = sents.iter().flat_map(|s| tag_names(p, &s.tags)).collect();
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
        let s = sentences(doc, &spans, Scheme::Iob2);
        assert_eq!(s.len(), 2);
        assert_eq!(
            tag_names(&p, &s[0].tags),
            ["O", "O", "B-PLACE", "I-PLACE", "I-PLACE", "O", "O"]
        );
    }

    #[test]
    fn ascii_fast_path_on_tricky_words() {
        let text = "U.S. can't 1,000.50 a_b _x 3a S:t e.g. 'quoted' 1.a a.1 x''y -- 9;9";
        let ours: Vec<&str> = segments(text).map(|(_, s)| s).collect();
        let uax: Vec<&str> = text.split_word_bounds().collect();
        assert_eq!(ours, uax);
        assert!(ours.contains(&"U.S") && ours.contains(&"can't") && ours.contains(&"1,000.50"));
    }

    proptest! {
        /// The fast ASCII path finds exactly the words UAX #29 finds.
        #[test]
        fn ascii_fast_path_matches_uax29(text in "[a-zA-Z0-9 .,;:'_\"!?()\t\n\r-]{0,60}") {
            let ours: Vec<(usize, &str)> = segments(&text)
                .filter(|(_, s)| !s.chars().all(is_space))
                .collect();
            let uax: Vec<(usize, &str)> = text
                .split_word_bound_indices()
                .filter(|(_, s)| !s.chars().all(is_space))
                .collect();
            prop_assert_eq!(ours, uax);
        }

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
                let sents = sentences(doc, &kept, scheme);
                let got = decode(&p, &sents);
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
                        let token = &doc.text().as_str()[t.byte_start..t.byte_end];
                        prop_assert_eq!(token, doc.text().slice(t.start, t.end));
                        prop_assert!(!token.contains(is_space));
                    }
                }
            }
        }
    }
}
