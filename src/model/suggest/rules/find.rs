//! Running a compiled rule set over a text ([`RuleSetRules::find`]): phrases on token
//! boundaries and token patterns in one task, each regex in its own, on all cores for a
//! large text; regex matches widened to grapheme edges, offsets counted in chars, the
//! merged result sorted so it does not depend on the threads.

use std::sync::atomic::{AtomicUsize, Ordering};

use super::RuleSetRules;
use super::token_patterns::{TokenView, match_at, token_list};
use crate::model::suggest::line_regex;
use crate::model::{Span, Text};

impl RuleSetRules {
    /// Every match in `text`, as (span, line of the rule), sorted by span; a span two
    /// rules find is listed once, with the first line. A large text is searched on all
    /// cores (phrases and token patterns in one task, each regex in its own).
    pub fn find(&self, text: &Text) -> Vec<(Span, u32)> {
        // Below this, threads cost more than they save.
        const PARALLEL_BYTES: usize = 1 << 16;
        let threads = if text.as_str().len() < PARALLEL_BYTES {
            1
        } else {
            std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
        };
        self.find_threads(text, threads)
    }

    /// [`Self::find`] on `threads` threads; the result does not depend on their number.
    fn find_threads(&self, text: &Text, threads: usize) -> Vec<(Span, u32)> {
        let s = text.as_str();
        let prepared = line_regex::Prepared::new(s);
        // Task 0: phrases and token patterns; task 1 + k: regex k.
        let tasks = 1 + self.regexes.len();
        let task = |i: usize| match i {
            0 => self.find_phrases_and_tokens(s),
            _ => self.find_regex(i - 1, &prepared),
        };
        let mut out: Vec<(Span, u32)> = if threads <= 1 {
            (0..tasks).flat_map(task).collect()
        } else {
            let next = AtomicUsize::new(0);
            let mut done: Vec<(usize, Vec<(Span, u32)>)> = std::thread::scope(|scope| {
                let workers: Vec<_> = (0..threads.min(tasks))
                    .map(|_| {
                        scope.spawn(|| {
                            let mut mine = Vec::new();
                            loop {
                                let i = next.fetch_add(1, Ordering::Relaxed);
                                if i >= tasks {
                                    break mine;
                                }
                                mine.push((i, task(i)));
                            }
                        })
                    })
                    .collect();
                workers
                    .into_iter()
                    .flat_map(|w| w.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                    .collect()
            });
            // Task order, whichever thread ran what (the sort below settles it anyway).
            done.sort_by_key(|(i, _)| *i);
            done.into_iter().flat_map(|(_, found)| found).collect()
        };
        // Stable: the automaton's matches come nearly in order, which a merge sort uses.
        out.sort_by_key(|&(span, line)| (span, line));
        out.dedup_by_key(|(span, _)| *span);
        out
    }

    /// Phrase (and dictionary) and token-pattern matches, unsorted.
    fn find_phrases_and_tokens(&self, s: &str) -> Vec<(Span, u32)> {
        let mut out: Vec<(Span, u32)> = Vec::new();
        let need_tokens = self.automaton.is_some() || !self.token_rules.is_empty();
        let toks = if need_tokens {
            token_list(s)
        } else {
            Vec::new()
        };
        if let Some(ac) = &self.automaton {
            // Token boundaries in bytes, as bitsets: the automaton reports byte offsets.
            let words = s.len() / 64 + 1;
            let (mut starts, mut ends) = (vec![0u64; words], vec![0u64; words]);
            for t in &toks {
                starts[t.byte_start / 64] |= 1 << (t.byte_start % 64);
                ends[t.byte_end / 64] |= 1 << (t.byte_end % 64);
            }
            let bit =
                |set: &[u64], b: usize| set.get(b / 64).is_some_and(|w| w >> (b % 64) & 1 == 1);
            // Matches come ordered by end: chars are counted from one end to the next.
            let (mut byte, mut chars) = (0, 0);
            for m in ac.find_overlapping_iter(s) {
                if !(bit(&starts, m.start()) && bit(&ends, m.end())) {
                    continue;
                }
                chars += s[byte..m.end()].chars().count();
                byte = m.end();
                let k = m.pattern().as_usize();
                let (cs, ce) = (chars - self.phrase_chars[k], chars);
                for &(label, line) in &self.phrases[k] {
                    if let Ok(span) = Span::new(cs, ce, label) {
                        out.push((span, line));
                    }
                }
            }
        }
        if !self.token_rules.is_empty() {
            let views: Vec<TokenView> = toks
                .iter()
                .map(|t| TokenView::new(&s[t.byte_start..t.byte_end]))
                .collect();
            for (specs, label, line) in &self.token_rules {
                for start in 0..toks.len() {
                    if let Some(end) = match_at(specs, &views, start)
                        && let Ok(span) = Span::new(toks[start].start, toks[end - 1].end, *label)
                    {
                        out.push((span, *line));
                    }
                }
            }
        }
        out
    }

    /// Regex `k`'s matches, one per rule using it, in rising order. A match that splits
    /// a grapheme (`\p{Emoji}` inside a family emoji, `\u0301` off its letter) is widened
    /// to the grapheme's edges, as the view would select it.
    fn find_regex(&self, k: usize, prepared: &line_regex::Prepared<'_>) -> Vec<(Span, u32)> {
        let (re, rules) = &self.regexes[k];
        let s = prepared.text();
        let mut found = Vec::new();
        re.find(prepared, &mut found);
        let mut out = Vec::with_capacity(found.len() * rules.len());
        let (mut byte, mut chars) = (0, 0);
        // Widening keeps starts rising (it is monotone), as the char count needs.
        for (start, end) in found.into_iter().map(|(a, b)| widen_to_graphemes(s, a, b)) {
            // Matches come in rising byte order: count chars from one to the next.
            chars += s[byte..start].chars().count();
            byte = start;
            let len = s[start..end].chars().count();
            for &(label, line) in rules {
                if let Ok(span) = Span::new(chars, chars + len, label) {
                    out.push((span, line));
                }
            }
        }
        out
    }
}

/// Byte range `start..end` of `s` widened to grapheme cluster edges (UAX #29).
fn widen_to_graphemes(s: &str, start: usize, end: usize) -> (usize, usize) {
    use unicode_segmentation::GraphemeCursor;
    let is_edge = |at: usize| {
        let (before, after) = (s[..at].chars().next_back(), s[at..].chars().next());
        match (before, after) {
            (None, _) | (_, None) => true,
            // Between two ASCII chars there is an edge, except inside a CRLF.
            (Some(b), Some(a)) if b.is_ascii() && a.is_ascii() => !(b == '\r' && a == '\n'),
            _ => GraphemeCursor::new(at, s.len(), true)
                .is_boundary(s, 0)
                .unwrap_or(true),
        }
    };
    let start = if is_edge(start) {
        start
    } else {
        GraphemeCursor::new(start, s.len(), true)
            .prev_boundary(s, 0)
            .ok()
            .flatten()
            .unwrap_or(0)
    };
    let end = if is_edge(end) {
        end
    } else {
        GraphemeCursor::new(end, s.len(), true)
            .next_boundary(s, 0)
            .ok()
            .flatten()
            .unwrap_or(s.len())
    };
    (start, end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::suggest::RuleKind;
    use crate::model::suggest::rules::testing::{found, set};
    use crate::model::{Document, Project};

    #[test]
    fn phrases_match_on_token_boundaries() {
        let src = r#"{"label": "ORG", "pattern": "Doha Agreement", "id": "doha"}
{"label": "PLACE", "pattern": "Doha"}
{"label": "PLACE", "pattern": "Kabul"}
{"label": "ORG", "pattern": "Taliban"}"#;
        let got = found(
            RuleKind::Patterns,
            src,
            "The Doha Agreement, Kabuli food, Kabul's airport; Taliban's men.",
        );
        assert_eq!(
            got,
            [
                ("Doha".into(), "PLACE", 2),
                ("Doha Agreement".into(), "ORG", 1),
                ("Kabul".into(), "PLACE", 3),
                ("Taliban".into(), "ORG", 4),
            ]
        );
    }

    #[test]
    fn regexes_give_char_offsets() {
        let src = r#"{"label": "DATE", "regex": "\\b\\d{4}\\b"}"#;
        let text = "👨‍👩‍👧 東京 2025 and 1999";
        let p = Project::with_documents(vec![Document::new("d", text)]);
        let (rules, _) = RuleSetRules::compile(&set(RuleKind::Patterns, src), &p).unwrap();
        let spans: Vec<(usize, usize)> = rules
            .find(&Text::new(text.into()))
            .iter()
            .map(|(s, _)| (s.start(), s.end()))
            .collect();
        assert_eq!(spans, [(9, 13), (18, 22)]);
    }

    /// A regex match inside a grapheme (an emoji of a ZWJ family, a combining accent,
    /// the ZWJ itself) is widened to the whole grapheme, which the view can select.
    #[test]
    fn regex_matches_never_split_a_grapheme() {
        let text = "👨‍👩‍👧 cafe\u{301} 🇦🇫 ok";
        let src = r#"{"label": "DATE", "regex": "\\p{Emoji_Presentation}"}
{"label": "PLACE", "regex": "\\u0301"}
{"label": "ORG", "regex": "\\u200d"}
{"label": "QUOTE", "regex": "o"}"#;
        let got = found(RuleKind::Patterns, src, text);
        let family = "👨‍👩‍👧".to_string();
        assert_eq!(
            got,
            [
                (family.clone(), "ORG", 3),
                (family.clone(), "DATE", 1),
                ("e\u{301}".to_string(), "PLACE", 2),
                ("🇦🇫".to_string(), "DATE", 1),
                ("o".to_string(), "QUOTE", 4),
            ]
        );
        // Every span starts and ends on a grapheme edge.
        use unicode_segmentation::UnicodeSegmentation;
        let edges: Vec<usize> = text
            .grapheme_indices(true)
            .map(|(b, _)| text[..b].chars().count())
            .chain([text.chars().count()])
            .collect();
        let p = Project::with_documents(vec![Document::new("d", text)]);
        let (rules, _) = RuleSetRules::compile(&set(RuleKind::Patterns, src), &p).unwrap();
        for (span, _) in rules.find(&Text::new(text.into())) {
            assert!(
                edges.contains(&span.start()) && edges.contains(&span.end()),
                "{span:?}"
            );
        }
    }

    #[test]
    fn same_result_on_any_number_of_threads_and_regexes_shared() {
        let src = r#"{"label": "PLACE", "pattern": "Kabul"}
{"label": "DATE", "regex": "\\b\\d{4}\\b"}
{"label": "ORG", "regex": "(?i)\\btaliban\\b"}
{"label": "PLACE", "pattern": [{"LOWER": "bagram"}]}
{"label": "QUOTE", "regex": "\\b\\d{4}\\b"}
{"label": "DATE", "regex": "\\b\\d{4}\\b"}
{"label": "PERSON", "regex": "\\b[A-Z]\\w+ [A-Z]\\w+"}"#;
        let text = crate::synth::text(20_000, 3);
        let p = Project::with_documents(vec![Document::new("d", text.as_str())]);
        let (rules, _) = RuleSetRules::compile(&set(RuleKind::Patterns, src), &p).unwrap();
        // The duplicate DATE regex (line 6) adds no rule; line 5's QUOTE does.
        assert_eq!(rules.len(), 6);
        let t = Text::new(text);
        let one = rules.find_threads(&t, 1);
        assert!(one.iter().any(|(_, line)| *line == 5));
        assert!(!one.iter().any(|(_, line)| *line == 6));
        for threads in [2, 3, 8] {
            assert_eq!(rules.find_threads(&t, threads), one, "{threads} threads");
        }
    }
}
