//! Suggestion benchmarks (issue 11's speed goals):
//!
//! 1. 10,000 phrase patterns and 50 regexes over a 1M-char document (goal ≤ 100 ms);
//! 2. the learned source after one new span in a 1M-char / 50k-span project (goal ≤ 2 ms):
//!    the engine's whole update, with the new span's string looked up in the corpus;
//! 3. hostile rule sets (issue 18): a 16,000-word phrase, 10,000 Unicode regexes;
//! 4. speaker suggestions (issue 19) over a 1M-char document with thousands of quotes.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use spanmark::model::suggest::{RuleKind, RuleSet, RuleSetRules, SuggestEngine};
use spanmark::model::{Edit, LabelId, Project, Span, Text, Workspace};
use spanmark::synth;

/// The synthetic text's vocabulary, in first-seen order.
fn vocabulary(text: &str) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    text.split_whitespace()
        .map(|w| w.trim_end_matches('.').to_string())
        .filter(|w| !w.is_empty() && seen.insert(w.clone()))
        .collect()
}

/// 10,000 distinct phrases of one to three words of `words` (the document's own, so
/// they match often), labelled round the five default labels, and 50 regexes.
fn patterns_file(words: &[String]) -> String {
    let labels = ["PERSON", "PLACE", "ORG", "DATE", "QUOTE"];
    let mut rng = synth::Rng(42);
    let mut phrases = std::collections::BTreeSet::new();
    while phrases.len() < 10_000 {
        let n = 1 + rng.below(3);
        let p: Vec<&str> = (0..n)
            .map(|_| words[rng.below(words.len())].as_str())
            .collect();
        phrases.insert(p.join(" "));
    }
    let mut out = String::new();
    for (i, p) in phrases.iter().enumerate() {
        let line = serde_json::json!({"label": labels[i % 5], "pattern": p});
        out.push_str(&line.to_string());
        out.push('\n');
    }
    for i in 0..50 {
        let re = match i % 5 {
            0 => r"\b\d{4}\b".to_string(),
            1 => r"\b[A-Z][a-z]+ [A-Z][a-z]+\b".to_string(),
            2 => format!(r"\b{}\w*", regex_escape(&words[i % words.len()])),
            3 => r"\b(September|October) \d{1,2}, \d{4}\b".to_string(),
            _ => format!(r"(?i)\b{}\b", regex_escape(&words[(i * 7) % words.len()])),
        };
        let line = serde_json::json!({"label": labels[i % 5], "regex": re});
        out.push_str(&line.to_string());
        out.push('\n');
    }
    out
}

fn regex_escape(s: &str) -> String {
    s.chars()
        .flat_map(|c| {
            let special = "\\.+*?()|[]{}^$#&-~".contains(c);
            special.then_some('\\').into_iter().chain([c])
        })
        .collect()
}

fn bench_patterns(c: &mut Criterion) {
    let text = synth::text(1_000_000, 7);
    let words = vocabulary(&text);
    let set = RuleSet {
        name: "bench.jsonl".into(),
        kind: RuleKind::Patterns,
        enabled: true,
        source: patterns_file(&words),
        default_label: None,
    };
    let project = Project::default();
    let (rules, warnings) = RuleSetRules::compile(&set, &project).expect("patterns compile");
    assert!(warnings.is_empty(), "{warnings:?}");
    let text = Text::new(text);
    let found = rules.find(&text).len();
    eprintln!(
        "patterns: {} rules, {found} matches in 1M chars",
        rules.len()
    );
    let mut g = c.benchmark_group("suggest_patterns");
    g.sample_size(10).measurement_time(Duration::from_secs(8));
    g.bench_function("10k_phrases_50_regexes_1m_chars", |b| {
        b.iter(|| black_box(rules.find(&text)));
    });
    // A realistic document: the bundled article (English news, one line with a dash)
    // repeated to 1M chars. Most of its lines are pure ASCII, where the regexes' ASCII
    // twins run; every line of the synthetic text has non-ASCII words.
    let article = include_str!("../assets/bagram.txt");
    let mut real = String::new();
    while real.chars().count() < 1_000_000 {
        real.push_str(article);
        real.push('\n');
    }
    let real = Text::new(real);
    eprintln!(
        "article x{}: {} matches",
        real.char_len() / article.len(),
        rules.find(&real).len()
    );
    // The two halves apart, to see where the time goes.
    let (phrases, regexes): (Vec<&str>, Vec<&str>) =
        set.source.lines().partition(|l| l.contains("\"pattern\""));
    // The regex crate's fast engines cannot do Unicode `\b` next to non-ASCII text; the
    // same regexes with ASCII word boundaries show what that costs.
    let ascii: Vec<String> = regexes
        .iter()
        .map(|l| l.replace("\\\\b", "(?-u:\\\\b)"))
        .collect();
    let ascii: Vec<&str> = ascii.iter().map(String::as_str).collect();
    // Identical regexes are searched once (27 of the 50 repeat another): the same 50
    // made distinct by a no-op group, to see what the sharing saves.
    let distinct: Vec<String> = regexes
        .iter()
        .enumerate()
        .map(|(i, l)| l.replace("\"}", &format!("{}\"}}", "(?:)".repeat(i))))
        .collect();
    let distinct: Vec<&str> = distinct.iter().map(String::as_str).collect();
    for (name, lines) in [
        ("10k_phrases_only", phrases),
        ("50_regexes_only", regexes),
        ("50_regexes_ascii_word_boundaries", ascii),
        ("50_distinct_regexes", distinct),
    ] {
        let part = RuleSet {
            source: lines.join("\n"),
            ..set.clone()
        };
        let (rules, _) = RuleSetRules::compile(&part, &project).expect("compiles");
        g.bench_function(name, |b| b.iter(|| black_box(rules.find(&text))));
        if name == "50_regexes_only" {
            g.bench_function("50_regexes_only_article", |b| {
                b.iter(|| black_box(rules.find(&real)))
            });
        }
    }
    g.bench_function("10k_phrases_50_regexes_1m_chars_article", |b| {
        b.iter(|| black_box(rules.find(&real)));
    });
    g.bench_function("compile_10k_phrases_50_regexes", |b| {
        b.iter(|| black_box(RuleSetRules::compile(&set, &project).map(|r| r.0.len())));
    });
    g.finish();
}

fn bench_learned(c: &mut Criterion) {
    let project = synth::project(1_000_000, 50_000, 11);
    let doc = &project.documents()[0];
    let text = doc.text().as_str().to_string();
    // Places where a span over "Bagram Air" would be new: word-aligned occurrences.
    let needle = "Bagram Air";
    let starts: Vec<usize> = text
        .match_indices(needle)
        .map(|(b, _)| doc.text().byte_to_char(b))
        .filter(|&s| {
            let span = Span::new(s, s + needle.len(), LabelId(1)).ok();
            span.is_some_and(|sp| !doc.spans().contains(&sp))
        })
        .collect();
    assert!(starts.len() > 20, "{}", starts.len());
    let mut w = Workspace::new(project);
    let doc0 = w.project().documents()[0].id();
    let mut engine = SuggestEngine::new();
    let t = Instant::now();
    engine.update(w.project());
    eprintln!(
        "learned: first update (index + every key) {:?}, {} suggestions",
        t.elapsed(),
        engine.total()
    );
    let mut k = 0;
    let mut g = c.benchmark_group("suggest_learned");
    // The full build: what the first frame after opening a project (or a settings or
    // label change) costs, every text indexed and every key looked up.
    g.sample_size(10).measurement_time(Duration::from_secs(15));
    g.bench_function("first_update_1m_chars_50k_spans", |b| {
        b.iter(|| {
            let mut e = SuggestEngine::new();
            e.update(w.project());
            black_box(e.total())
        });
    });
    g.sample_size(30).measurement_time(Duration::from_secs(6));
    g.bench_function("update_after_one_new_span_1m_chars_50k_spans", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let s = starts[k % starts.len()];
                k += 1;
                let span = Span::new(s, s + needle.len(), LabelId(1)).expect("span");
                w.apply("add", vec![Edit::AddSpan { doc: doc0, span }])
                    .expect("add");
                let t = Instant::now();
                engine.update(w.project());
                total += t.elapsed();
                black_box(engine.total());
                w.undo().expect("undo");
                engine.update(w.project());
            }
            total
        });
    });
    // The same, in this thread's CPU time: on a shared machine, wall time also counts
    // the time other processes hold the cores.
    #[cfg(unix)]
    g.bench_function("update_after_one_new_span_cpu_time", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let s = starts[k % starts.len()];
                k += 1;
                let span = Span::new(s, s + needle.len(), LabelId(1)).expect("span");
                w.apply("add", vec![Edit::AddSpan { doc: doc0, span }])
                    .expect("add");
                let t = thread_cpu();
                engine.update(w.project());
                total += thread_cpu().saturating_sub(t);
                black_box(engine.total());
                w.undo().expect("undo");
                engine.update(w.project());
            }
            total
        });
    });
    g.bench_function("update_with_no_change", |b| {
        b.iter(|| {
            engine.update(w.project());
            black_box(engine.total())
        });
    });
    g.finish();
}

/// CPU time this thread has used.
#[cfg(unix)]
fn thread_cpu() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes one timespec through a valid pointer.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    Duration::new(
        u64::try_from(ts.tv_sec).unwrap_or(0),
        u32::try_from(ts.tv_nsec).unwrap_or(0),
    )
}

/// Hostile rule sets (issue 18): one phrase of 16,000 words of the synthetic text's
/// vocabulary (its DFA took over a minute to build), and a file of Unicode regexes that
/// stops at the memory limit (10,000 of them took 31 s and 5.2 GB).
fn bench_hostile(c: &mut Criterion) {
    let words = vocabulary(&synth::text(200_000, 7));
    let mut rng = synth::Rng(18);
    let phrase: Vec<&str> = (0..16_000)
        .map(|_| words[rng.below(words.len())].as_str())
        .collect();
    let line = serde_json::json!({"label": "QUOTE", "pattern": phrase.join(" ")});
    let set = |source: String| RuleSet {
        name: "hostile.jsonl".into(),
        kind: RuleKind::Patterns,
        enabled: true,
        source,
        default_label: None,
    };
    let long = set(line.to_string());
    let unicode = |n: usize| {
        set((0..n)
            .map(|i| {
                format!("{{\"label\": \"ORG\", \"regex\": \"(?i)\\\\p{{L}}{{3}}\\\\w*{i}\"}}\n")
            })
            .collect())
    };
    // 10,000 stop at the count limit while parsing; 1,000 at the memory limit compiling.
    let (ten_k, one_k) = (unicode(10_000), unicode(1_000));
    let project = Project::default();
    for (n, set) in [("10,000", &ten_k), ("1,000", &one_k)] {
        match RuleSetRules::compile(set, &project) {
            Err(e) => eprintln!("{n} Unicode regexes: {e}"),
            Ok(_) => panic!("{n} Unicode regexes compiled"),
        }
    }
    let mut g = c.benchmark_group("suggest_hostile");
    g.sample_size(10);
    g.bench_function("compile_one_16k_word_phrase", |b| {
        b.iter(|| black_box(RuleSetRules::compile(&long, &project).map(|r| r.0.len())));
    });
    g.bench_function("compile_10k_unicode_regexes_to_the_limit", |b| {
        b.iter(|| black_box(RuleSetRules::compile(&ten_k, &project).is_err()));
    });
    g.bench_function("compile_1k_unicode_regexes_to_the_limit", |b| {
        b.iter(|| black_box(RuleSetRules::compile(&one_k, &project).is_err()));
    });
    g.finish();
}

/// Speaker suggestions (issue 19): the hand-labelled flood report of
/// `tests/speakers/quotes-sample.ron` (7 quotes, 5 speakers to find) repeated to 1M
/// chars, spans and all (7,000 quotes among 23,000 spans); and the synthetic 1M-char
/// project, whose 50k random spans hold about 10,000 QUOTEs in text full of "said".
fn bench_speakers(c: &mut Criterion) {
    use spanmark::model::Document;
    use spanmark::model::suggest::speakers::suggest_speakers;
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/speakers/quotes-sample.ron");
    let sample = spanmark::io::load_project(&path).expect("the sample loads");
    let one = &sample.documents()[0];
    let len = one.text().char_len() + 1;
    let (mut text, mut spans) = (String::new(), Vec::new());
    while text.len() < 1_000_000 {
        let at = text.chars().count();
        text.push_str(one.text().as_str());
        text.push('\n');
        spans.extend(
            one.spans()
                .iter()
                .map(|s| Span::new(s.start() + at, s.end() + at, s.label()).expect("span")),
        );
    }
    let repeats = text.chars().count() / len;
    let doc = Document::with_spans("flood", text, spans).expect("doc");
    let flood = sample.with_same_labels(vec![doc]).expect("project");
    let d = &flood.documents()[0];
    let found = suggest_speakers(&flood, d).len();
    eprintln!(
        "speakers: sample x{repeats}, {} chars, {} spans, {found} suggestions",
        d.text().char_len(),
        d.spans().len()
    );
    let synthetic = synth::project(1_000_000, 50_000, 11);
    let s = &synthetic.documents()[0];
    eprintln!(
        "speakers: synthetic, {} quotes, {} suggestions",
        s.spans().iter().filter(|x| x.label() == LabelId(4)).count(),
        suggest_speakers(&synthetic, s).len()
    );
    let mut g = c.benchmark_group("suggest_speakers");
    g.sample_size(20).measurement_time(Duration::from_secs(8));
    g.bench_function("sample_repeated_1m_chars_7k_quotes", |b| {
        b.iter(|| black_box(suggest_speakers(&flood, d).len()));
    });
    g.bench_function("synthetic_1m_chars_50k_spans", |b| {
        b.iter(|| black_box(suggest_speakers(&synthetic, s).len()));
    });
    g.finish();
}

criterion_group!(
    benches,
    bench_patterns,
    bench_learned,
    bench_hostile,
    bench_speakers
);
criterion_main!(benches);
