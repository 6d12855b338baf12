//! Reaching any document (issue 20) on 50,000 documents:
//!
//! 1. go to document: fuzzy matching and ranking of 50k names per keystroke;
//! 2. the documents panel: the name / label filter, and a whole frame of the app with the
//!    list of 50k documents (only the visible rows drawn) against 20 documents;
//! 3. find in all documents over 10M chars in 50k documents: text, ignoring case or not,
//!    and a regex.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use eframe::App as _;
use eframe::egui::{self, Pos2, RawInput, Rect, vec2};
use spanmark::app::{SpanmarkApp, Startup};
use spanmark::model::fuzzy::{Query, rank, rank_among};
use spanmark::model::search_all::{Finder, MAX_RESULTS, find_everywhere};
use spanmark::model::{Document, LabelId, Project};
use spanmark::synth;

/// 50k document names as a corpus has them: dates, places, words, numbers.
fn names(n: usize) -> Vec<String> {
    let words: Vec<String> = synth::text(20_000, 9)
        .split_whitespace()
        .map(|w| w.trim_end_matches('.').to_lowercase())
        .filter(|w| !w.is_empty())
        .collect();
    let mut rng = synth::Rng(7);
    (0..n)
        .map(|i| {
            let w = |rng: &mut synth::Rng| words[rng.below(words.len())].clone();
            format!(
                "{}-{:02}-{:02} {}_{} {} {i:05}.txt",
                2000 + rng.below(25),
                1 + rng.below(12),
                1 + rng.below(28),
                w(&mut rng),
                w(&mut rng),
                w(&mut rng)
            )
        })
        .collect()
}

fn quick_open(c: &mut Criterion) {
    let mut g = c.benchmark_group("quick_open_50k");
    g.sample_size(30).measurement_time(Duration::from_secs(4));
    let names = names(50_000);
    for q in ["k", "kabul", "2019 rep", "zzzzq", "12345.txt"] {
        let query = Query::new(q);
        g.bench_function(q.replace(' ', "_"), |b| {
            b.iter(|| rank(black_box(&query), names.iter().map(String::as_str), 100))
        });
    }
    // The next keystroke ranks only the names the last query matched (as the box does):
    // "kab" typed after "ka".
    let (_, after_ka) = rank_among(
        &Query::new("ka"),
        names.iter().map(String::as_str).enumerate(),
        100,
    );
    let query = Query::new("kab");
    g.bench_function("kab_after_ka", |b| {
        b.iter(|| {
            let among = after_ka.iter().map(|&i| (i, names[i].as_str()));
            rank_among(black_box(&query), among, 100)
        })
    });
    g.finish();
}

/// A project of 50k documents named as [`names`], ~200 chars each.
fn fifty_k() -> Project {
    let p = synth::corpus(10_000_000, 50_000, 50, 5);
    let names = names(50_000);
    let docs = p
        .documents()
        .iter()
        .zip(names)
        .map(|(d, n)| {
            let spans = d.spans().iter().copied().collect();
            Document::with_spans(n, d.text().as_str(), spans)
                .unwrap_or_else(|e| panic!("synthetic spans: {e}"))
        })
        .collect();
    Project::new(spanmark::model::default_labels(), docs).unwrap_or_default()
}

fn documents_panel(c: &mut Criterion) {
    let mut g = c.benchmark_group("documents_50k");
    g.sample_size(20).measurement_time(Duration::from_secs(4));
    let p = fifty_k();
    g.bench_function("filter_name", |b| {
        b.iter(|| spanmark::ui::documents::filter(black_box(&p), "kabul", None, None))
    });
    g.bench_function("filter_label", |b| {
        b.iter(|| spanmark::ui::documents::filter(black_box(&p), "", None, Some(LabelId(4))))
    });
    // A whole frame of the app: the list draws the rows on screen only.
    // Short texts: the frame, not the suggestions' first build, is what is measured.
    let short = |names: Vec<String>| {
        let docs = names
            .into_iter()
            .map(|n| Document::new(n, "A short text about Kabul."))
            .collect();
        Project::new(spanmark::model::default_labels(), docs).unwrap_or_default()
    };
    for (name, project) in [
        ("frame_20_docs", short(self::names(20))),
        ("frame_50k_docs", short(self::names(50_000))),
    ] {
        let mut app = SpanmarkApp::headless(Startup::Sample);
        app.replace_project_for_bench(project);
        let ctx = egui::Context::default();
        let mut frame = eframe::Frame::_new_kittest();
        let mut time = 0.0;
        let mut run = |app: &mut SpanmarkApp| {
            time += 1.0 / 60.0;
            let input = RawInput {
                screen_rect: Some(Rect::from_min_size(Pos2::ZERO, vec2(1280.0, 800.0))),
                time: Some(time),
                ..Default::default()
            };
            let out = ctx.run_ui(input, |ui| app.ui(ui, &mut frame));
            black_box(ctx.tessellate(out.shapes, out.pixels_per_point));
        };
        for _ in 0..5 {
            run(&mut app);
        }
        g.bench_function(name, |b| b.iter(|| run(&mut app)));
    }
    g.finish();
}

fn find_all_documents(c: &mut Criterion) {
    let mut g = c.benchmark_group("find_all_10M_50k_docs");
    g.sample_size(10).measurement_time(Duration::from_secs(8));
    let p = fifty_k();
    for (name, pattern, regex, case) in [
        ("text_ignore_case", "kabul", false, false),
        ("text_match_case", "Kabul", false, true),
        ("regex", r"\b[A-Z]\w+an\b", true, true),
        ("regex_ignore_case", r"ka\w+l", true, false),
    ] {
        let finder = Finder::new(pattern, regex, case).unwrap_or_else(|e| panic!("{e}"));
        g.bench_function(name, |b| {
            b.iter(|| {
                find_everywhere(
                    &finder,
                    p.documents().iter().map(|d| (d.id(), d.text().as_str())),
                    MAX_RESULTS,
                )
            })
        });
    }
    g.finish();
}

criterion_group!(benches, quick_open, documents_panel, find_all_documents);
criterion_main!(benches);
