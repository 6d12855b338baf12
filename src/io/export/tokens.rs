//! Tokens, sentences and tags for the token-based formats (CoNLL, Hugging Face).
//!
//! Tokens are UAX #29 word segments without whitespace, always cut at span boundaries so
//! that every span maps onto whole tokens. Sentences end at line breaks and after
//! sentence-final punctuation, but never inside a span. Flat formats cannot hold nested
//! or overlapping spans: the longer span wins (ties: the earlier one), and every span
//! left out is reported.

use std::io::Write;

use super::{Dropped, ExportOptions, ExportReport, Scheme};
pub use crate::model::tokens::{Token, is_space};
use crate::model::tokens::{for_each_segment, is_ascii_space};
use crate::model::{Document, LabelId, Project, Span};

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
    /// Position in [`TagNames`]: `O`, then `B`, `I`, `L`, `U` of each label in turn.
    fn index(self) -> usize {
        let (offset, id) = match self {
            Tag::O => return 0,
            Tag::B(l) => (1, l),
            Tag::I(l) => (2, l),
            Tag::L(l) => (3, l),
            Tag::U(l) => (4, l),
        };
        offset + 4 * id.0 as usize
    }
}

/// The text of every tag a project can produce (`O`, `B-PERSON`, ...), made once so that
/// writers copy a tag instead of formatting it per token.
#[derive(Clone, Debug)]
pub struct TagNames(Vec<String>);

impl TagNames {
    /// The tags of the project's labels, whatever the scheme (by label id: an id no
    /// label has any more keeps blank slots).
    pub fn new(project: &Project) -> Self {
        let slots = project.label_ids().map(|l| l.0 as usize + 1).max();
        let mut names = vec![String::new(); 1 + 4 * slots.unwrap_or(0)];
        names[0] = "O".to_string();
        for (id, label) in project.label_entries() {
            for (k, prefix) in ["B", "I", "L", "U"].into_iter().enumerate() {
                names[1 + 4 * id.0 as usize + k] = format!("{prefix}-{}", label.name);
            }
        }
        Self(names)
    }

    /// The tag as text; `?` for a label the project does not have (the model rules it out).
    pub fn get(&self, tag: Tag) -> &str {
        self.0.get(tag.index()).map_or("?", String::as_str)
    }

    /// Every tag with its text.
    fn all(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(String::as_str)
    }

    /// `line(tag)` for every tag, indexed for [`TagNames::lookup`].
    pub fn map<T>(&self, mut line: impl FnMut(&str) -> T) -> Vec<T> {
        self.all().map(&mut line).collect()
    }

    /// The entry of `table` (made by [`TagNames::map`]) for `tag`.
    pub fn lookup<T>(table: &[T], tag: Tag) -> Option<&T> {
        table.get(tag.index())
    }
}

/// A document cut into sentences of tagged tokens. The buffers are reused from one
/// document to the next, so an export allocates per corpus, not per sentence.
#[derive(Clone, Debug, Default)]
pub struct Tagged {
    /// Tokens in order.
    pub tokens: Vec<Token>,
    /// One tag per token.
    pub tags: Vec<Tag>,
    /// One past the last token of each sentence, increasing; sentences are never empty.
    ends: Vec<usize>,
    /// Span boundaries, sorted: tokens are cut at each.
    cuts: Vec<usize>,
}

impl Tagged {
    /// Cuts `doc` into sentences of tagged tokens, with `spans` (flat, sorted by start) as
    /// entities, replacing what was here. Works in bytes and chars side by side, so it
    /// never converts an offset.
    pub fn fill(&mut self, doc: &Document, spans: &[Span], scheme: Scheme) {
        self.tokens.clear();
        self.tags.clear();
        self.ends.clear();
        self.cuts.clear();
        self.cuts
            .extend(spans.iter().flat_map(|s| [s.start(), s.end()]));
        // Flat spans give sorted cuts already; sorting a sorted run costs one pass.
        self.cuts.sort_unstable();
        self.cuts.dedup();
        let mut cutter = Cutter {
            spans,
            cuts: &self.cuts,
            cut_i: 0,
            span_i: 0,
            tokens: &mut self.tokens,
            ends: &mut self.ends,
            prev: None,
        };
        for_each_segment(doc.text().as_str(), |byte, start, segment, ascii| {
            let end = start
                + if ascii {
                    segment.len()
                } else {
                    segment.chars().count()
                };
            if ascii {
                if is_ascii_space(segment.as_bytes()[0]) {
                    cutter.space(segment, start);
                } else {
                    cutter.word(segment, byte, start, end, true);
                }
            } else if segment.chars().all(is_space) {
                cutter.space(segment, start);
            } else {
                cutter.word(segment, byte, start, end, false);
            }
        });
        cutter.end_sentence();
        self.tag(spans, scheme);
    }

    /// The sentences, each as its tokens and their tags.
    pub fn sentences(&self) -> impl Iterator<Item = (&[Token], &[Tag])> + '_ {
        let mut from = 0;
        self.ends.iter().map(move |&end| {
            let sentence = (&self.tokens[from..end], &self.tags[from..end]);
            from = end;
            sentence
        })
    }

    /// Tags every token: `first` and `last` tell a span's first and last tokens, found
    /// through the next token (sentences never split inside a span).
    fn tag(&mut self, spans: &[Span], scheme: Scheme) {
        let tokens = &self.tokens;
        self.tags.reserve(tokens.len());
        let mut span_i = 0;
        // Index of the span that the previous token belonged to, to tell first tokens
        // apart even when a span starts with whitespace.
        let mut prev_span: Option<usize> = None;
        for (k, t) in tokens.iter().enumerate() {
            while span_i < spans.len() && spans[span_i].end() <= t.start {
                span_i += 1;
            }
            let Some(span) = spans.get(span_i).filter(|s| s.start() <= t.start) else {
                self.tags.push(Tag::O);
                prev_span = None;
                continue;
            };
            let first = prev_span != Some(span_i);
            let last = tokens.get(k + 1).is_none_or(|n| n.start >= span.end());
            let l = span.label();
            self.tags.push(match (scheme, first, last) {
                (Scheme::Iob2, true, _) => Tag::B(l),
                (Scheme::Iob2, false, _) => Tag::I(l),
                (Scheme::Bilou, true, true) => Tag::U(l),
                (Scheme::Bilou, true, false) => Tag::B(l),
                (Scheme::Bilou, false, true) => Tag::L(l),
                (Scheme::Bilou, false, false) => Tag::I(l),
            });
            prev_span = Some(span_i);
        }
    }
}

fn ends_sentence(token: &str) -> bool {
    token.len() <= 3 && matches!(token, "." | "!" | "?" | "…" | "。" | "！" | "？" | "．")
}

/// Turns segments into tokens and sentence ends, walking the text once, in order.
struct Cutter<'a, 't> {
    /// Flat spans, sorted.
    spans: &'a [Span],
    cuts: &'a [usize],
    /// First cut after the current segment's start.
    cut_i: usize,
    /// First span that ends after the last position asked about in `inside`.
    span_i: usize,
    tokens: &'a mut Vec<Token>,
    ends: &'a mut Vec<usize>,
    /// The previous segment, if no space came between it and this one: a "." right after
    /// "U.S" or "a.m" ends an abbreviation, not a sentence.
    prev: Option<&'t str>,
}

impl<'t> Cutter<'_, 't> {
    /// Whether a span runs across char `pos` (starts before it and ends after it). Asked
    /// about positions in increasing order, so the span pointer only moves forward.
    fn inside(&mut self, pos: usize) -> bool {
        while self.span_i < self.spans.len() && self.spans[self.span_i].end() <= pos {
            self.span_i += 1;
        }
        self.spans.get(self.span_i).is_some_and(|s| s.start() < pos)
    }

    fn end_sentence(&mut self) {
        if self.ends.last().copied().unwrap_or(0) < self.tokens.len() {
            self.ends.push(self.tokens.len());
        }
    }

    /// A whitespace segment: a line break ends the sentence, unless a span runs across it.
    fn space(&mut self, segment: &str, start: usize) {
        self.prev = None;
        if segment == " " {
            return;
        }
        for (i, c) in segment.chars().enumerate() {
            if matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}')
                && !self.inside(start + i)
            {
                self.end_sentence();
                break;
            }
        }
    }

    /// A word segment at `byte`, chars `start..end`; `ascii` when it is pure ASCII (so
    /// one byte per char, and no whitespace in a word segment).
    fn word(&mut self, segment: &'t str, byte: usize, start: usize, end: usize, ascii: bool) {
        let cuts = self.cuts;
        while self.cut_i < cuts.len() && cuts[self.cut_i] <= start {
            self.cut_i += 1;
        }
        let cut_inside = self.cut_i < cuts.len() && cuts[self.cut_i] < end;
        if ascii {
            // Cut at span boundaries; chars and bytes move together.
            let mut from = start;
            let mut k = self.cut_i;
            while k < cuts.len() && cuts[k] < end {
                self.tokens.push(Token {
                    start: from,
                    end: cuts[k],
                    byte_start: byte + (from - start),
                    byte_end: byte + (cuts[k] - start),
                });
                from = cuts[k];
                k += 1;
            }
            self.tokens.push(Token {
                start: from,
                end,
                byte_start: byte + (from - start),
                byte_end: byte + segment.len(),
            });
        } else if !cut_inside && !segment.contains(is_space) {
            // The common case: the whole segment is one token.
            self.tokens.push(Token {
                start,
                end,
                byte_start: byte,
                byte_end: byte + segment.len(),
            });
        } else {
            // Cut at span boundaries, and drop spaces that UAX #29 glued to combining
            // marks or emoji modifiers.
            let mut run: Option<(usize, usize)> = None;
            let mut k = self.cut_i;
            for (ci, (bi, c)) in segment.char_indices().enumerate() {
                let (cpos, bpos) = (start + ci, byte + bi);
                let at_cut = k < cuts.len() && cuts[k] == cpos;
                if at_cut {
                    k += 1;
                }
                if (at_cut || is_space(c))
                    && let Some((cs, bs)) = run.take()
                {
                    self.tokens.push(Token {
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
                self.tokens.push(Token {
                    start: cs,
                    end,
                    byte_start: bs,
                    byte_end: byte + segment.len(),
                });
            }
        }
        if ends_sentence(segment) {
            let abbreviation = segment == "."
                && self
                    .prev
                    .is_some_and(|p| p.contains('.') || p.chars().count() == 1);
            if !abbreviation && !self.inside(end) {
                self.end_sentence();
            }
        }
        self.prev = Some(segment);
    }
}

/// Where a token format writes one document: a buffer that is either kept whole (the
/// document is rendered on a worker thread, to be written in order later) or handed to
/// the output whenever it fills (a document too big to hold rendered).
pub struct Sink<'a> {
    /// The rendered bytes not yet written.
    pub buf: Vec<u8>,
    out: Option<&'a mut dyn Write>,
}

impl Sink<'_> {
    /// Writes the buffer out if it is streaming and full; call between sentences.
    pub fn flush_if_full(&mut self) -> std::io::Result<()> {
        if let Some(out) = &mut self.out
            && self.buf.len() >= SINK_CHUNK
        {
            out.write_all(&self.buf)?;
            self.buf.clear();
        }
        Ok(())
    }
}

/// How much a streaming [`Sink`] gathers before writing.
const SINK_CHUNK: usize = 1 << 16;

/// Documents with more text than this are rendered alone and streamed; smaller ones go
/// to worker threads in batches of about this much text, so the output held at once
/// stays a few times this size.
const BATCH_TEXT: usize = 4 << 20;

/// One document's rendered output and what it kept and left out.
struct Rendered {
    bytes: Vec<u8>,
    spans: usize,
    dropped: Vec<Dropped>,
}

/// Renders every document cut into tagged sentences, with the spans a flat format keeps,
/// and writes the results in document order; counts documents and spans, and lists what
/// was left out, in `report`. The shared core of the token formats.
///
/// Documents are independent, so they are tagged and rendered on all cores; the output is
/// the same as one thread's.
pub fn write_tagged(
    project: &Project,
    opts: &ExportOptions,
    report: &mut ExportReport,
    out: &mut dyn Write,
    render: impl Fn(&Document, &Tagged, &mut Sink<'_>) -> std::io::Result<()> + Sync,
) -> std::io::Result<()> {
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    write_tagged_in(project, opts, report, out, render, BATCH_TEXT, threads)
}

/// [`write_tagged`] with its batch size and thread count given.
fn write_tagged_in(
    project: &Project,
    opts: &ExportOptions,
    report: &mut ExportReport,
    out: &mut dyn Write,
    render: impl Fn(&Document, &Tagged, &mut Sink<'_>) -> std::io::Result<()> + Sync,
    batch_text: usize,
    threads: usize,
) -> std::io::Result<()> {
    let docs = project.documents();
    let one = |doc: &Document, tagged: &mut Tagged, out: Option<&mut dyn Write>| {
        let (spans, dropped) = flatten(project, doc, opts.labels.as_deref());
        tagged.fill(doc, &spans, opts.scheme);
        let streaming = out.is_some();
        let mut sink = Sink {
            buf: Vec::with_capacity(if streaming {
                2 * SINK_CHUNK
            } else {
                4 * doc.text().as_str().len()
            }),
            out,
        };
        render(doc, tagged, &mut sink)?;
        Ok::<_, std::io::Error>(Rendered {
            bytes: sink.buf,
            spans: spans.len(),
            dropped,
        })
    };
    let mut i = 0;
    while i < docs.len() {
        let mut j = i;
        let mut text = 0;
        while j < docs.len() && text < batch_text {
            let len = docs[j].text().as_str().len();
            if j > i && len >= batch_text {
                // A big document goes alone, to be streamed.
                break;
            }
            text += len;
            j += 1;
        }
        let batch = &docs[i..j];
        let results: Vec<std::io::Result<Rendered>> = if batch.len() == 1 || threads == 1 {
            let mut tagged = Tagged::default();
            let big = text >= batch_text;
            batch
                .iter()
                .map(|doc| one(doc, &mut tagged, big.then_some(&mut *out)))
                .collect()
        } else {
            let workers = threads.min(batch.len());
            std::thread::scope(|scope| {
                let handles: Vec<_> = (0..workers)
                    .map(|w| {
                        let one = &one;
                        scope.spawn(move || {
                            let mut tagged = Tagged::default();
                            batch
                                .iter()
                                .enumerate()
                                .skip(w)
                                .step_by(workers)
                                .map(|(k, doc)| (k, one(doc, &mut tagged, None)))
                                .collect::<Vec<_>>()
                        })
                    })
                    .collect();
                let mut all: Vec<Option<std::io::Result<Rendered>>> =
                    batch.iter().map(|_| None).collect();
                for handle in handles {
                    let done = handle
                        .join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                    for (k, r) in done {
                        all[k] = Some(r);
                    }
                }
                all.into_iter()
                    .map(|r| r.unwrap_or_else(|| Err(std::io::Error::other("a document was lost"))))
                    .collect()
            })
        };
        for r in results {
            let r = r?;
            out.write_all(&r.bytes)?;
            report.spans += r.spans;
            report.dropped.extend(r.dropped);
            report.documents += 1;
        }
        i = j;
    }
    Ok(())
}

/// The spans a flat format keeps, in document order, and the ones it cannot hold (in
/// document order too): [`crate::model::flat::flatten`] (the longer of overlapping spans
/// wins), with each span left out named for the export report.
pub fn flatten(
    project: &Project,
    doc: &Document,
    selected: Option<&[LabelId]>,
) -> (Vec<Span>, Vec<Dropped>) {
    let (kept, dropped) = crate::model::flat::flatten(doc, |span| {
        selected.is_none_or(|sel| sel.contains(&span.label()))
    });
    let dropped = dropped
        .into_iter()
        .map(|(span, reason)| Dropped::new(project, doc, &span, reason))
        .collect();
    (kept, dropped)
}

/// The tags a label set produces, `O` first, in label order.
pub fn tag_set(project: &Project, opts: &ExportOptions) -> Vec<String> {
    let prefixes: &[&str] = match opts.scheme {
        Scheme::Iob2 => &["B", "I"],
        Scheme::Bilou => &["B", "I", "L", "U"],
    };
    let mut tags = vec!["O".to_string()];
    for (id, label) in project.label_entries() {
        if opts.labels.as_ref().is_some_and(|sel| !sel.contains(&id)) {
            continue;
        }
        for p in prefixes {
            tags.push(format!("{p}-{}", label.name));
        }
    }
    tags
}

#[cfg(test)]
#[path = "tokens_tests.rs"]
mod tests;
