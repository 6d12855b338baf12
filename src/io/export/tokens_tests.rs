//! Tests of the token formats' tokenization, tagging and rendering.
use super::*;
use crate::model::{Document, Project, Span};
use proptest::prelude::*;
use unicode_segmentation::UnicodeSegmentation;

fn project(text: &str, spans: &[(usize, usize, u32)]) -> Project {
    let spans = spans
        .iter()
        .map(|&(s, e, l)| Span::new(s, e, LabelId(l)).unwrap())
        .collect();
    Project::with_documents(vec![Document::with_spans("d", text, spans).unwrap()])
}

fn tag_names(p: &Project, tags: &[Tag]) -> Vec<String> {
    let names = TagNames::new(p);
    tags.iter().map(|t| names.get(*t).to_string()).collect()
}

/// Decodes tags back into (first token start, last token end, label) entities.
fn decode(p: &Project, tagged: &Tagged) -> Vec<(usize, usize, String)> {
    let mut out: Vec<(usize, usize, String)> = Vec::new();
    for (tokens, tags) in tagged.sentences() {
        let mut open = false;
        for (t, tag) in tokens.iter().zip(tag_names(p, tags)) {
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
    let tagged = tag(doc, &spans, scheme);
    let toks = tagged
        .tokens
        .iter()
        .map(|t| doc.text().slice(t.start, t.end).to_string())
        .collect();
    (toks, tag_names(p, &tagged.tags))
}

fn tag(doc: &Document, spans: &[Span], scheme: Scheme) -> Tagged {
    let mut tagged = Tagged::default();
    tagged.fill(doc, spans, scheme);
    tagged
}

/// All segments with their byte offsets, checking the char offsets on the way.
fn segments(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    for_each_segment(text, |byte, chars, segment, ascii| {
        assert_eq!(text[..byte].chars().count(), chars);
        assert!(!ascii || segment.is_ascii());
        out.push((byte, segment));
    });
    out
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
    let tagged = tag(doc, &spans, Scheme::Iob2);
    let s: Vec<_> = tagged.sentences().collect();
    assert_eq!(s.len(), 2);
    assert_eq!(
        tag_names(&p, s[0].1),
        ["O", "O", "B-PLACE", "I-PLACE", "I-PLACE", "O", "O"]
    );
}

#[test]
fn ascii_fast_path_on_tricky_words() {
    let text = "U.S. can't 1,000.50 a_b _x 3a S:t e.g. 'quoted' 1.a a.1 x''y -- 9;9";
    let ours: Vec<&str> = segments(text).into_iter().map(|(_, s)| s).collect();
    let uax: Vec<&str> = text.split_word_bounds().collect();
    assert_eq!(ours, uax);
    assert!(ours.contains(&"U.S") && ours.contains(&"can't") && ours.contains(&"1,000.50"));
}

#[test]
fn batches_threads_and_streaming_give_the_same_output() {
    let docs = (0..9)
        .map(|i| {
            // The last one is over SINK_CHUNK rendered, so streaming flushes mid-document.
            let text = "Kabul is calm. Bagram, too.\n".repeat(if i == 8 { 4000 } else { i * i });
            let n = text.chars().count();
            let spans = (0..n / 10)
                .filter_map(|k| Span::new(k * 10, k * 10 + 5 + k % 9, LabelId((k % 5) as u32)).ok())
                .filter(|s| s.end() <= n)
                .collect();
            Document::with_spans(format!("d{i}"), text, spans).unwrap()
        })
        .collect();
    let p = Project::with_documents(docs);
    let opts = ExportOptions::default();
    let names = TagNames::new(&p);
    let run = |batch_text: usize, threads: usize| {
        let mut report = ExportReport::default();
        let mut out = Vec::new();
        let render = |doc: &Document, tagged: &Tagged, sink: &mut Sink<'_>| {
            writeln!(sink.buf, "{}", doc.name)?;
            for (tokens, tags) in tagged.sentences() {
                for (t, &tag) in tokens.iter().zip(tags) {
                    write!(sink.buf, "{}:{} ", t.start, names.get(tag))?;
                }
                sink.buf.push(b'\n');
                sink.flush_if_full()?;
            }
            Ok(())
        };
        write_tagged_in(
            &p,
            &opts,
            &mut report,
            &mut out,
            render,
            batch_text,
            threads,
        )
        .unwrap();
        (out, report)
    };
    let (one, report) = run(usize::MAX, 1);
    assert_eq!(report.documents, 9);
    assert!(!report.dropped.is_empty() && report.spans > 100);
    for (batch_text, threads) in [(1, 1), (1, 3), (100, 2), (3000, 4), (usize::MAX, 2)] {
        assert!(
            run(batch_text, threads) == (one.clone(), report.clone()),
            "{batch_text} {threads}"
        );
    }
}

proptest! {
    /// The fast ASCII path finds exactly the words UAX #29 finds.
    #[test]
    fn ascii_fast_path_matches_uax29(text in "[a-zA-Z0-9 .,;:'_\"!?()\t\n\r-]{0,60}") {
        let ours: Vec<(usize, &str)> = segments(&text)
            .into_iter()
            .filter(|(_, s)| !s.chars().all(is_space))
            .collect();
        let uax: Vec<(usize, &str)> = text
            .split_word_bound_indices()
            .filter(|(_, s)| !s.chars().all(is_space))
            .collect();
        prop_assert_eq!(ours, uax);
    }

    /// Flattening keeps spans that do not overlap, and every span it drops for an
    /// overlap clashes with a kept span at least as long; nothing is lost unreported.
    #[test]
    fn flatten_keeps_the_longest(
        raw in proptest::collection::vec((0usize..70, 1usize..15, 0u32..5), 0..30),
    ) {
        let spans: Vec<(usize, usize, u32)> =
            raw.into_iter().map(|(s, l, lab)| (s, (s + l).min(80), lab)).collect();
        let p = project(&"abc".repeat(27), &spans);
        let doc = &p.documents()[0];
        let (kept, dropped) = flatten(&p, doc, None);
        prop_assert!(kept.windows(2).all(|w| w[0].end() <= w[1].start()));
        prop_assert_eq!(kept.len() + dropped.len(), doc.spans().len());
        prop_assert!(dropped.windows(2).all(|w| w[0].start <= w[1].start));
        for d in &dropped {
            prop_assert_eq!(d.reason, "overlaps a longer span (flat format)");
            let beaten = kept.iter().any(|k| {
                k.start() < d.end && d.start < k.end() && k.len() >= d.end - d.start
            });
            prop_assert!(beaten, "{d:?} dropped without a longer span");
        }
    }

    /// Every kept span comes back from its tags exactly (trimmed of whitespace), in
    /// both schemes, whatever the text and spans.
    #[test]
    fn tags_decode_to_spans(
        text in "[a-zA-Z .,'\\n\\t東京👍🏽é\u{301}]{1,80}",
        raw in proptest::collection::vec((0usize..80, 1usize..20, 0u32..5), 0..8),
    ) {
        let n = text.chars().count();
        let spans: Vec<(usize, usize, u32)> = raw
            .into_iter()
            .filter(|&(s, _, _)| s < n)
            .map(|(s, l, lab)| (s, (s + l).min(n), lab))
            .collect();
        let p = project(&text, &spans);
        let doc = &p.documents()[0];
        let (kept, _) = flatten(&p, doc, None);
        for scheme in [Scheme::Iob2, Scheme::Bilou] {
            let tagged = tag(doc, &kept, scheme);
            let got = decode(&p, &tagged);
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
            for t in &tagged.tokens {
                let token = &doc.text().as_str()[t.byte_start..t.byte_end];
                prop_assert_eq!(token, doc.text().slice(t.start, t.end));
                prop_assert!(!token.contains(is_space));
            }
        }
    }

    /// The model's tokenizer gives exactly the tokens an export writes for a document
    /// without spans; and the token-level agreement sees a document with spans as the
    /// export does: the same tokens and, per token, the label of its tag (O outside).
    #[test]
    fn agreement_sees_the_exported_tokens(
        text in "[a-zA-Z .,'\\n\\t東京👍🏽é\u{301}\u{3000}]{1,80}",
        raw in proptest::collection::vec((0usize..80, 1usize..20, 0u32..5), 0..8),
    ) {
        let n = text.chars().count();
        let spans: Vec<(usize, usize, u32)> = raw
            .into_iter()
            .filter(|&(s, _, _)| s < n)
            .map(|(s, l, lab)| (s, (s + l).min(n), lab))
            .collect();
        let plain = tag(&Document::new("d", text.as_str()), &[], Scheme::Iob2);
        prop_assert_eq!(crate::model::tokens::tokens(&text), plain.tokens);

        let p = project(&text, &spans);
        let doc = &p.documents()[0];
        let (kept, _) = flatten(&p, doc, None);
        let tagged = tag(doc, &kept, Scheme::Iob2);
        let crate::model::agreement::TokenLabels { tokens, labels } =
            crate::model::agreement::token_labels(&[(&p, doc), (&p, doc)]);
        let want: Vec<(usize, usize)> = tagged.tokens.iter().map(|t| (t.start, t.end)).collect();
        prop_assert_eq!(tokens, want);
        let want: Vec<Option<String>> = tag_names(&p, &tagged.tags)
            .into_iter()
            .map(|t| t.split_once('-').map(|(_, l)| l.to_string()))
            .collect();
        for got in labels {
            let got: Vec<Option<String>> = got.into_iter().map(|l| l.map(str::to_string)).collect();
            prop_assert_eq!(&got, &want);
        }
    }
}
