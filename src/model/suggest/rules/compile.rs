//! Building a rule set's matchers against a project's labels: one Aho–Corasick
//! automaton for every phrase and dictionary entry (built in linear time when the
//! patterns are long), each distinct regex compiled once as a [`LineRegex`] (within
//! [`MAX_REGEX_MEMORY`]), token patterns as they were parsed; rules naming a label the
//! project lacks are skipped with one warning per label.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use super::parse::parse;
use super::{Rule, RuleError, RuleSetRules};
use crate::model::Project;
use crate::model::suggest::line_regex::LineRegex;
use crate::model::suggest::{RuleSet, label_lookup};

/// The most memory a rule set's compiled regexes may take, in bytes (as the regex crate
/// counts it; searching adds about half as much again in caches).
pub const MAX_REGEX_MEMORY: usize = 64 << 20;

/// Up to this many pattern bytes, the automaton may be a DFA (aho-corasick picks one for
/// up to 100 patterns): the fastest to search, but its build grows with the square of
/// a long pattern (a phrase of 8,000 words took 19 s). Past it, a contiguous NFA, whose
/// build is linear (16,000 words: milliseconds).
const DFA_MAX_BYTES: usize = 4096;

/// An Aho–Corasick automaton over `patterns` ([`MatchKind::Standard`], for overlapping
/// matches) built in time linear in their total length.
pub(in crate::model::suggest) fn automaton<P: AsRef<[u8]>>(
    patterns: &[P],
) -> Result<AhoCorasick, aho_corasick::BuildError> {
    let bytes: usize = patterns.iter().map(|p| p.as_ref().len()).sum();
    let mut builder = AhoCorasick::builder();
    builder.match_kind(MatchKind::Standard);
    if bytes <= DFA_MAX_BYTES {
        return builder.build(patterns);
    }
    // The contiguous NFA has a state limit; the noncontiguous one has none that matters.
    builder
        .kind(Some(AhoCorasickKind::ContiguousNFA))
        .build(patterns)
        .or_else(|_| {
            builder
                .kind(Some(AhoCorasickKind::NoncontiguousNFA))
                .build(patterns)
        })
}

impl RuleSetRules {
    /// Parses and compiles `set`; returns the rules and warnings (rules naming a label the
    /// project lacks are skipped: one warning per such label), or the first bad line.
    pub fn compile(set: &RuleSet, project: &Project) -> Result<(Self, Vec<String>), RuleError> {
        let parsed = parse(set)?;
        let labels = label_lookup(project);
        let mut out = Self::empty(set);
        out.enabled = set.enabled;
        let mut missing: Vec<(String, usize, usize)> = Vec::new();
        let mut phrase_ix: HashMap<String, usize> = HashMap::new();
        let mut phrase_texts: Vec<String> = Vec::new();
        let mut regex_ix: HashMap<String, usize> = HashMap::new();
        let mut regex_memory = 0;
        let limit = |line: usize, message: String| RuleError {
            name: set.name.clone(),
            line,
            message,
        };
        for (line_no, label, rule) in parsed {
            let line = line_no;
            let Some(&id) = labels.get(label.as_str()) else {
                match missing.iter_mut().find(|m| m.0 == label) {
                    Some(m) => m.2 += 1,
                    None => missing.push((label, line, 1)),
                }
                continue;
            };
            let line = u32::try_from(line).unwrap_or(u32::MAX);
            match rule {
                Rule::Phrase(p) => {
                    let k = *phrase_ix.entry(p.clone()).or_insert_with(|| {
                        phrase_texts.push(p);
                        out.phrases.push(Vec::new());
                        out.phrases.len() - 1
                    });
                    if !out.phrases[k].iter().any(|(l, _)| *l == id) {
                        out.phrases[k].push((id, line));
                    }
                }
                Rule::Tokens(specs) => out.token_rules.push((specs, id, line)),
                Rule::Regex(r) => {
                    // A regex several rules share is searched once.
                    let k = match regex_ix.get(&r) {
                        Some(&k) => k,
                        None => {
                            // At most MAX_REGEXES of them: `parse` counted.
                            let re = LineRegex::new(&r).map_err(|m| RuleError {
                                name: set.name.clone(),
                                line: line_no,
                                message: format!("bad regex: {m}"),
                            })?;
                            regex_memory += re.memory_usage();
                            if regex_memory > MAX_REGEX_MEMORY {
                                return Err(limit(
                                    line_no,
                                    format!(
                                        "the regexes up to this line take {:.1} MB compiled, \
                                         more than the {} MB a file may use (Unicode classes such \
                                         as \\w, \\p{{L}} and \\b cost most; (?-u:\\w) is \
                                         ASCII only)",
                                        regex_memory as f64 / f64::from(1 << 20),
                                        MAX_REGEX_MEMORY >> 20
                                    ),
                                ));
                            }
                            out.regexes.push((re, Vec::new()));
                            regex_ix.insert(r, out.regexes.len() - 1);
                            out.regexes.len() - 1
                        }
                    };
                    if !out.regexes[k].1.iter().any(|(l, _)| *l == id) {
                        out.regexes[k].1.push((id, line));
                    }
                }
            }
        }
        out.phrase_chars = phrase_texts.iter().map(|p| p.chars().count()).collect();
        if !phrase_texts.is_empty() {
            let ac = automaton(&phrase_texts).map_err(|e| RuleError {
                name: set.name.clone(),
                line: 0,
                message: format!("phrases too large to match: {e}"),
            })?;
            out.automaton = Some(ac);
        }
        let warnings = missing
            .into_iter()
            .map(|(label, line, n)| {
                format!(
                    "{}:{line}: label {label:?} is not in the project: {n} rule{} skipped",
                    set.name,
                    if n == 1 { "" } else { "s" }
                )
            })
            .collect();
        Ok((out, warnings))
    }

    /// A rule set that matches nothing (its file failed to parse).
    pub fn empty(set: &RuleSet) -> Self {
        Self {
            name: set.name.clone(),
            kind: set.kind,
            enabled: false,
            automaton: None,
            phrases: Vec::new(),
            phrase_chars: Vec::new(),
            token_rules: Vec::new(),
            regexes: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::suggest::RuleKind;
    use crate::model::suggest::rules::MAX_REGEXES;
    use crate::model::suggest::rules::testing::{found, set};

    /// One long phrase (or labeled string) must not get a DFA, whose build grows with
    /// the square of its length: a linear NFA, and the phrase is still found.
    #[test]
    fn long_phrases_get_an_automaton_built_in_linear_time() {
        let words = [
            "Kabul",
            "Taliban",
            "Doha",
            "Agreement",
            "met",
            "the",
            "in",
            "a",
        ];
        let phrase: Vec<&str> = (0..16_000)
            .map(|i| words[(i * 7 + i / 5) % words.len()])
            .collect();
        let phrase = phrase.join(" ");
        let ac = automaton(&[&phrase]).unwrap();
        assert_ne!(ac.kind(), AhoCorasickKind::DFA);
        // Small sets still get the fastest automaton.
        assert_eq!(
            automaton(&["Kabul", "Doha"]).unwrap().kind(),
            AhoCorasickKind::DFA
        );
        let src = format!("{{\"label\": \"QUOTE\", \"pattern\": \"{phrase}\"}}");
        let text = format!("x. {phrase} y");
        let got = found(RuleKind::Patterns, &src, &text);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].0.len(), phrase.len());
    }

    /// A file of too many regexes, or of regexes too large together, stops at a limit
    /// with the file and the line, before it takes gigabytes.
    #[test]
    fn regex_limits_name_the_file_and_line() {
        let p = Project::default();
        let many: String = (0..=MAX_REGEXES)
            .map(|i| format!("{{\"label\": \"DATE\", \"regex\": \"x{i}\"}}\n"))
            .collect();
        let e = RuleSetRules::compile(&set(RuleKind::Patterns, &many), &p).unwrap_err();
        assert_eq!(e.line, MAX_REGEXES + 1);
        assert!(
            e.to_string()
                .starts_with("rules.jsonl:1001: more than 1000"),
            "{e}"
        );
        // The same regex on every line is one regex.
        let same = "{\"label\": \"DATE\", \"regex\": \"x\"}\n".repeat(MAX_REGEXES + 1);
        assert!(RuleSetRules::compile(&set(RuleKind::Patterns, &same), &p).is_ok());
        let unicode: String = (0..MAX_REGEXES)
            .map(|i| {
                format!("{{\"label\": \"DATE\", \"regex\": \"(?i)\\\\p{{L}}{{3}}\\\\w*{i}\"}}\n")
            })
            .collect();
        let e = RuleSetRules::compile(&set(RuleKind::Patterns, &unicode), &p).unwrap_err();
        assert!(e.line > 10 && e.line < MAX_REGEXES, "{e}");
        assert!(e.message.contains("more than the 64 MB"), "{e}");
    }
}
