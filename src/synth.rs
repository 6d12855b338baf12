//! Synthetic projects for benchmarks, examples and stress tests: realistic paragraph
//! lengths, a mix of scripts, and nested spans. Deterministic for a given seed.

use crate::model::{Document, LabelId, Project, Span, default_labels};

/// A small xorshift generator: deterministic (a failure replays from its seed), no
/// dependency. Seed with any non-zero number.
pub struct Rng(pub u64);

impl Rng {
    /// The next pseudo-random number.
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
}

const WORDS: &[&str] = &[
    "Taliban",
    "reject",
    "Trump's",
    "bid",
    "to",
    "retake",
    "Bagram",
    "Air",
    "Base",
    "in",
    "Afghanistan",
    "spokesman",
    "Zabihullah",
    "Mujahid",
    "said",
    "the",
    "United",
    "States",
    "Washington",
    "Kabul",
    "officials",
    "security",
    "regional",
    "talks",
    "on",
    "Sunday",
    "September",
    "21,",
    "2025",
    "and",
    "of",
    "a",
    "with",
    "for",
    "that",
    "independence",
    "territorial",
    "integrity",
    "Doha",
    "Agreement",
    "東京",
    "会議",
    "كابول",
    "مجاهد",
    "Zürich",
    "café",
    "👍🏽",
    "🇦🇫",
    "non-negotiable",
    "U.S.",
    "withdrawal",
    "diplomacy",
    "economic",
];

/// Text of about `chars` characters in paragraphs of 100–1500 characters.
pub fn text(chars: usize, seed: u64) -> String {
    let mut rng = Rng(seed | 1);
    let mut out = String::with_capacity(chars * 2);
    let mut n = 0;
    while n < chars {
        let para = 100 + rng.below(1400);
        let mut p = 0;
        while p < para && n < chars {
            let w = WORDS[rng.below(WORDS.len())];
            let sep = if rng.below(12) == 0 { ". " } else { " " };
            out.push_str(w);
            out.push_str(sep);
            let len = w.chars().count() + sep.chars().count();
            p += len;
            n += len;
        }
        out.push('\n');
        n += 1;
    }
    out
}

/// A one-document project of about `chars` characters with `spans` spans, a fifth of them
/// nested inside another span.
pub fn project(chars: usize, spans: usize, seed: u64) -> Project {
    let text = text(chars, seed);
    let doc = document("synthetic", text, spans, seed);
    Project::with_documents(vec![doc])
}

/// A project of `docs` documents totalling about `chars` characters, with about one span
/// per `chars_per_span` characters.
pub fn corpus(chars: usize, docs: usize, chars_per_span: usize, seed: u64) -> Project {
    let docs = docs.max(1);
    let documents = (0..docs)
        .map(|i| {
            let s = seed.wrapping_add(i as u64 * 7919);
            let t = text(chars / docs, s);
            let n = t.chars().count() / chars_per_span.max(1);
            document(&format!("doc{i}"), t, n, s)
        })
        .collect();
    Project::new(default_labels(), documents).unwrap_or_default()
}

fn document(name: &str, text: String, spans: usize, seed: u64) -> Document {
    let mut rng = Rng(seed.wrapping_mul(31) | 1);
    let len = text.chars().count();
    let mut out = Vec::with_capacity(spans);
    if len > 40 {
        let stride = (len / spans.max(1)).max(2);
        for i in 0..spans {
            let start = (i * stride + rng.below(stride / 2 + 1)).min(len - 2);
            let span_len = 2 + rng.below(20.min(stride.max(3)));
            let end = (start + span_len).min(len);
            let label = LabelId::from_index(rng.below(5)).unwrap_or(LabelId(0));
            if let Ok(span) = Span::new(start, end, label) {
                out.push(span);
                // Every fifth span gets a nested one inside it.
                if i % 5 == 0
                    && end - start > 3
                    && let Ok(inner) = Span::new(start + 1, end - 1, LabelId((label.0 + 1) % 5))
                {
                    out.push(inner);
                }
            }
        }
    }
    out.truncate(spans);
    Document::with_spans(name, text, out).unwrap_or_else(|_| Document::new(name, ""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_determinism() {
        let p = project(100_000, 5_000, 7);
        let d = &p.documents()[0];
        assert!((100_000..102_000).contains(&d.text().char_len()));
        assert!(d.spans().len() >= 4_900, "{}", d.spans().len());
        assert_eq!(p, project(100_000, 5_000, 7));
        let c = corpus(50_000, 5, 100, 1);
        assert_eq!(c.documents().len(), 5);
    }
}
