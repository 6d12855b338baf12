//! Frame-time benchmarks of the real app, headless: an `egui::Context` on a fixed
//! 1280×800 screen running `SpanmarkApp::ui` plus tessellation, no GPU.
//!
//! 1. steady-state frames while scrolling: 10k chars / 500 spans vs 1M chars / 50k spans
//! 2. a cold jump to a random place in the 1M document
//! 3. mouse drag + key `1`: the frame that adds the span and draws it
//! 4. find in the 1M document, ignoring case or not
//! 5. 50k suggestions against 50k spans: steady scrolling frames in the 1M document
//! 6. scrolling frames while the suggestions of a 1M / 50k project are built in the
//!    background (threaded, as in the window)
//! 7. 20k relations in the 1M / 50k document: scrolling frames with their arrows against
//!    the same document without relations, and the frame of the `R` key (link mode: the
//!    targets found and ordered)

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use eframe::App as _;
use eframe::egui::{self, Event, Key, Modifiers, PointerButton, Pos2, RawInput, Rect, pos2, vec2};
use spanmark::app::{SpanmarkApp, Startup};
use spanmark::model::search::{find_all, find_in, fold};
use spanmark::model::{Document, LabelId, Project, Relation, RelationType, RelationTypeId, Rgb};

struct Bench {
    ctx: egui::Context,
    app: SpanmarkApp,
    frame: eframe::Frame,
    time: f64,
}

impl Bench {
    fn new(project: Project) -> Self {
        Self::with_app(SpanmarkApp::headless(Startup::Sample), project)
    }

    fn with_app(mut app: SpanmarkApp, project: Project) -> Self {
        app.replace_project_for_bench(project);
        let mut b = Self {
            ctx: egui::Context::default(),
            app,
            frame: eframe::Frame::_new_kittest(),
            time: 0.0,
        };
        for _ in 0..5 {
            b.frame(vec![]);
        }
        b
    }

    /// One frame with these events, including tessellation (what a real frame costs the
    /// CPU before the GPU gets it).
    fn frame(&mut self, events: Vec<Event>) {
        self.time += 1.0 / 60.0;
        let input = RawInput {
            screen_rect: Some(Rect::from_min_size(Pos2::ZERO, vec2(1280.0, 800.0))),
            time: Some(self.time),
            events,
            ..Default::default()
        };
        let (app, frame) = (&mut self.app, &mut self.frame);
        let out = self.ctx.run_ui(input, |ui| app.ui(ui, frame));
        let prims = self.ctx.tessellate(out.shapes, out.pixels_per_point);
        black_box(prims);
    }
}

fn wheel(dy: f32) -> Vec<Event> {
    vec![
        Event::PointerMoved(pos2(560.0, 420.0)),
        Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: vec2(0.0, dy),
            phase: egui::TouchPhase::Move,
            modifiers: Modifiers::NONE,
            source: egui::MouseWheelSource::Wheel,
        },
    ]
}

fn scrolling(c: &mut Criterion) {
    let mut g = c.benchmark_group("scroll_frame");
    g.sample_size(30).measurement_time(Duration::from_secs(6));
    for (name, chars, spans) in [("10k_500", 10_000, 500), ("1M_50k", 1_000_000, 50_000)] {
        let mut b = Bench::new(spanmark::synth::project(chars, spans, 3));
        // Start in the middle; scroll 60 px per frame, turning every 100 frames.
        let mid = b.app.workspace().project().documents()[0].text().char_len() / 2;
        b.app.view_mut().scroll_to(mid);
        b.frame(vec![]);
        let mut n = 0u64;
        g.bench_function(name, |bench| {
            bench.iter(|| {
                n += 1;
                let dy = if (n / 100).is_multiple_of(2) {
                    -60.0
                } else {
                    60.0
                };
                b.frame(wheel(dy));
            })
        });
    }
    g.finish();
}

fn cold_jump(c: &mut Criterion) {
    let mut g = c.benchmark_group("jump");
    g.sample_size(30).measurement_time(Duration::from_secs(6));
    let mut b = Bench::new(spanmark::synth::project(1_000_000, 50_000, 3));
    let len = b.app.workspace().project().documents()[0].text().char_len();
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    g.bench_function("cold_jump_1M", |bench| {
        bench.iter(|| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            b.app.view_mut().scroll_to((seed % len as u64) as usize);
            b.frame(vec![]);
        })
    });
    g.finish();
}

fn label_a_span(c: &mut Criterion) {
    let mut g = c.benchmark_group("label");
    g.sample_size(30).measurement_time(Duration::from_secs(6));
    let mut b = Bench::new(spanmark::synth::project(1_000_000, 50_000, 3));
    let mid = b.app.workspace().project().documents()[0].text().char_len() / 2;
    b.app.view_mut().scroll_to(mid);
    b.frame(vec![]);
    b.frame(vec![]);
    g.bench_function("drag_key1_1M_50k", |bench| {
        bench.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                // Untimed: a real mouse drag over some visible text.
                let (from, to) = {
                    let v = b.app.view();
                    let start = (mid..mid + 2000)
                        .find(|&c| v.char_screen_pos(c).is_some())
                        .expect("text on screen");
                    (
                        v.char_screen_pos(start + 3).unwrap(),
                        v.char_screen_pos(start + 40).unwrap(),
                    )
                };
                b.frame(vec![Event::PointerMoved(from)]);
                b.frame(vec![Event::PointerButton {
                    pos: from,
                    button: PointerButton::Primary,
                    pressed: true,
                    modifiers: Modifiers::NONE,
                }]);
                b.frame(vec![Event::PointerMoved(to)]);
                b.frame(vec![Event::PointerButton {
                    pos: to,
                    button: PointerButton::Primary,
                    pressed: false,
                    modifiers: Modifiers::NONE,
                }]);
                let spans_before = b.app.workspace().project().documents()[0].spans().len();
                // Timed: the frame that takes key 1, adds the span and draws it.
                let started = Instant::now();
                b.frame(vec![Event::Key {
                    key: Key::Num1,
                    physical_key: None,
                    pressed: true,
                    repeat: false,
                    modifiers: Modifiers::NONE,
                }]);
                total += started.elapsed();
                let added = b.app.workspace().project().documents()[0].spans().len();
                assert!(added > spans_before, "the span was added");
                // Untimed: release the key, undo, clear the selection.
                b.frame(vec![Event::Key {
                    key: Key::Num1,
                    physical_key: None,
                    pressed: false,
                    repeat: false,
                    modifiers: Modifiers::NONE,
                }]);
                b.app.apply(&b.ctx, spanmark::ui::Action::Undo);
                b.app.apply(&b.ctx, spanmark::ui::Action::ClearSelection);
            }
            total
        })
    });
    g.finish();
}

/// 4. Find: what a keystroke in the find field costs on the 1M document (the search runs
///    once per change of the query; the frame that follows is a cold jump).
fn find(c: &mut Criterion) {
    let mut g = c.benchmark_group("find");
    g.sample_size(20).measurement_time(Duration::from_secs(4));
    let p = spanmark::synth::project(1_000_000, 50_000, 3);
    let text = p.documents()[0].text().as_str();
    // The first keystroke folds the text; the find bar keeps it for the next ones.
    g.bench_function("1M_ignore_case_first", |b| {
        b.iter(|| find_all(black_box(text), "bagram", false))
    });
    let folded = fold(text);
    g.bench_function("1M_ignore_case", |b| {
        b.iter(|| find_in(black_box(&folded), "bagram"))
    });
    g.bench_function("1M_match_case", |b| {
        b.iter(|| find_all(black_box(text), "Bagram", true))
    });
    g.finish();
}

/// 5. A frame with 50k suggestions (dashed outlines, found per visible unit through the
///    view's index) against one with the same 50k ranges as spans: the same text, the same
///    scrolling.
fn suggestions(c: &mut Criterion) {
    let mut g = c.benchmark_group("suggestions_frame");
    g.sample_size(30).measurement_time(Duration::from_secs(6));
    let with_spans = spanmark::synth::project(1_000_000, 50_000, 3);
    let doc = &with_spans.documents()[0];
    let bare = Project::new(
        with_spans.labels().to_vec(),
        vec![Document::new(doc.name.clone(), doc.text().as_str())],
    )
    .expect("the same labels");
    // On the bare project's document: a result names its document by id.
    let bare_doc = bare.documents()[0].id();
    let results: Vec<_> = doc.spans().iter().map(|s| (bare_doc, *s, None)).collect();
    for (name, project, suggested) in [
        ("1M_50k_spans", with_spans.clone(), None),
        ("1M_50k_suggestions", bare, Some(results)),
    ] {
        let mut b = Bench::new(project);
        if let Some(results) = suggested {
            b.app
                .suggestions_mut()
                .set_command_results("bench", results);
            b.frame(vec![]);
            assert_eq!(b.app.suggestions().total(), 50_000);
        }
        let mid = b.app.workspace().project().documents()[0].text().char_len() / 2;
        b.app.view_mut().scroll_to(mid);
        b.frame(vec![]);
        let mut n = 0u64;
        g.bench_function(name, |bench| {
            bench.iter(|| {
                n += 1;
                let dy = if (n / 100).is_multiple_of(2) {
                    -60.0
                } else {
                    60.0
                };
                b.frame(wheel(dy));
            })
        });
    }
    g.finish();
}

/// 6. Frames while the suggestions of a large project are built off the UI thread: the
///    frame that starts the build (a copy of the project) and scrolling frames after it.
fn building_suggestions(c: &mut Criterion) {
    let project = spanmark::synth::project(1_000_000, 50_000, 3);
    let app = SpanmarkApp::headless(Startup::Sample).with_background_jobs();
    let mut b = Bench::with_app(app, project.clone());
    let mut g = c.benchmark_group("suggestions_building");
    g.sample_size(30).measurement_time(Duration::from_secs(6));
    let mut starts: Vec<Duration> = Vec::new();
    let mut n = 0u64;
    g.bench_function("1M_50k_scroll_frame_while_building", |bench| {
        bench.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                if !b.app.is_finding_suggestions() {
                    // Another project: the next frame starts a new build.
                    b.app.replace_project_for_bench(project.clone());
                    let t = Instant::now();
                    b.frame(vec![]);
                    starts.push(t.elapsed());
                    assert!(b.app.is_finding_suggestions());
                }
                n += 1;
                let dy = if (n / 100).is_multiple_of(2) {
                    -60.0
                } else {
                    60.0
                };
                let t = Instant::now();
                b.frame(wheel(dy));
                total += t.elapsed();
            }
            total
        })
    });
    g.finish();
    starts.sort();
    if let Some(median) = starts.get(starts.len() / 2) {
        eprintln!(
            "suggestions_building: the frame that starts a build takes {median:?} (median of {})",
            starts.len()
        );
    }
}

/// The 1M / 50k synthetic project with one relation type that links any two labels, and
/// `n` relations: mostly between neighbouring spans (both ends on screen together), every
/// seventh to a span 800 further on (its other end off screen: an arrow to the edge).
fn with_relations(n: usize) -> Project {
    let p = spanmark::synth::project(1_000_000, 50_000, 3);
    let doc = &p.documents()[0];
    let spans = doc.spans().as_slice();
    let mut relations: Vec<Relation> = Vec::with_capacity(n);
    let mut seen = std::collections::HashSet::new();
    let mut i = 0;
    while relations.len() < n && i + 1 < spans.len() {
        let j = if relations.len() % 7 == 6 {
            (i + 800) % spans.len()
        } else {
            i + 1
        };
        if let Ok(r) = Relation::new(spans[i], spans[j], RelationTypeId(0))
            && seen.insert(r)
        {
            relations.push(r);
        }
        i += 2;
    }
    assert_eq!(relations.len(), n, "enough spans for the relations");
    let all: Vec<LabelId> = p.label_ids().collect();
    let link = RelationType {
        name: "LINK".into(),
        color: Rgb([0x33, 0x33, 0x99]),
        hotkey: None,
        from: all.clone(),
        to: all,
    };
    let doc = Document::with_spans(doc.name.clone(), doc.text().as_str(), spans.to_vec())
        .and_then(|d| d.with_relations(relations))
        .expect("relations between the document's spans");
    Project::with_types(p.labels().to_vec(), vec![link], vec![doc]).expect("LINK allows them")
}

/// 7. Arrows: steady scrolling frames of the 1M / 50k document with 20k relations
///    against the same document with none (the target: within 1.2×), and the frame that
///    takes `R` on a selected span (link mode: every allowed target found and ordered).
fn relations(c: &mut Criterion) {
    let mut g = c.benchmark_group("relations_frame");
    g.sample_size(30).measurement_time(Duration::from_secs(6));
    for (name, n) in [("1M_50k_no_relations", 0), ("1M_50k_20k_relations", 20_000)] {
        let mut b = Bench::new(with_relations(n));
        let mid = b.app.workspace().project().documents()[0].text().char_len() / 2;
        b.app.view_mut().scroll_to(mid);
        b.frame(vec![]);
        b.frame(vec![]);
        if n > 0 {
            let drawn = b.app.view().drawn_relations().len();
            assert!(drawn > 0, "arrows are drawn");
            eprintln!("relations_frame: {drawn} arrows drawn in the middle of the document");
        }
        let mut k = 0u64;
        g.bench_function(name, |bench| {
            bench.iter(|| {
                k += 1;
                let dy = if (k / 100).is_multiple_of(2) {
                    -60.0
                } else {
                    60.0
                };
                b.frame(wheel(dy));
            })
        });
    }
    let mut b = Bench::new(with_relations(20_000));
    let mid = b.app.workspace().project().documents()[0].text().char_len() / 2;
    b.app.view_mut().scroll_to(mid);
    b.frame(vec![]);
    b.frame(vec![]);
    let key = |pressed| Event::Key {
        key: Key::R,
        physical_key: None,
        pressed,
        repeat: false,
        modifiers: Modifiers::NONE,
    };
    g.bench_function("key_R_link_mode_1M_50k", |bench| {
        bench.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                // Untimed: select a span on screen.
                let span = {
                    let v = b.app.view();
                    let doc = &b.app.workspace().project().documents()[0];
                    *doc.spans()
                        .iter()
                        .find(|s| s.start() >= mid && v.char_screen_pos(s.start()).is_some())
                        .expect("a span on screen")
                };
                b.app.view_mut().selected_span = Some(span);
                let t = Instant::now();
                b.frame(vec![key(true)]);
                total += t.elapsed();
                assert!(b.app.view().linking.is_some(), "link mode is on");
                b.frame(vec![key(false)]);
                b.app.apply(&b.ctx, spanmark::ui::Action::CancelLink);
            }
            total
        })
    });
    g.finish();
}

criterion_group!(
    benches,
    scrolling,
    cold_jump,
    label_a_span,
    find,
    suggestions,
    building_suggestions,
    relations
);
criterion_main!(benches);
