//! Project file and export throughput.
//!
//! - `open`: parse / load a 1,000,000-char project with 100,000 spans (one document), and
//!   parse a 10M-char, 100-document corpus (parsed on all cores).
//! - `save`: serialise / save (atomic, synced, with `.bak`) the same project.
//! - `export`: doccano JSONL and CoNLL on a ~10 MB, 100-document corpus, in text MB/s.
//! - `snapshot`: what starting a save or an autosave costs the UI thread on a project of
//!   50,000 documents: the copy of the project the job writes (the shared document
//!   list, so the text and span counts do not matter), and an edit after it (which
//!   copies the list of pointers and the edited document).
//!
//! `cargo bench --bench io`; sample sizes are small so the run takes a couple of minutes
//! on a 2-core machine. Temporary files go under Cargo's target tmp dir (a real disk,
//! not /tmp, which may be tmpfs), so `save_project` includes a genuine fsync.

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use spanmark::io::export::{ExportOptions, conll, jsonl};
use spanmark::io::{load_project, parse_project, save_project, write_project};
use spanmark::model::{Edit, LabelId, Project, Span, Workspace};
use spanmark::synth;

const CHARS: usize = 1_000_000;
const SPANS: usize = 100_000;

fn serialise(p: &Project) -> String {
    let mut buf = Vec::new();
    write_project(p, &mut buf).expect("serialise");
    String::from_utf8(buf).expect("utf-8")
}

fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("temp dir")
}

fn describe(name: &str, p: &Project, file_bytes: Option<usize>) {
    let docs = p.documents();
    let chars: usize = docs.iter().map(|d| d.text().char_len()).sum();
    let text: usize = docs.iter().map(|d| d.text().as_str().len()).sum();
    let spans: usize = docs.iter().map(|d| d.spans().len()).sum();
    eprintln!(
        "{name}: {} documents, {chars} chars, {text} text bytes, {spans} spans{}",
        docs.len(),
        file_bytes.map_or(String::new(), |b| format!(", {b} bytes as RON")),
    );
}

fn open(c: &mut Criterion) {
    let project = synth::project(CHARS, SPANS, 1);
    let s = serialise(&project);
    describe("open/save project", &project, Some(s.len()));
    let dir = tempdir();
    let file = dir.path().join("big.ron");
    std::fs::write(&file, &s).expect("write project file");
    // Sanity: the round trip is exact, so we time the real thing.
    assert_eq!(parse_project(&s, &file).expect("parse"), project);

    let mut g = c.benchmark_group("open");
    g.sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5))
        .throughput(Throughput::Bytes(s.len() as u64));
    g.bench_function("parse_project", |b| {
        b.iter(|| parse_project(black_box(&s), Path::new("big.ron")).expect("parse"))
    });
    g.bench_function("load_project", |b| {
        b.iter(|| load_project(black_box(&file)).expect("load"))
    });
    g.finish();

    // Many documents: what the parallel parse spreads over the cores (the corpus that
    // benches/peer_conll.py converts: 10M chars, 100 documents, a span per 50 chars).
    let corpus = synth::corpus(10_000_000, 100, 50, 1);
    let s = serialise(&corpus);
    describe("open corpus", &corpus, Some(s.len()));
    let mut g = c.benchmark_group("open");
    g.sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(8))
        .throughput(Throughput::Bytes(s.len() as u64));
    g.bench_function("parse_corpus_100_docs", |b| {
        b.iter(|| parse_project(black_box(&s), Path::new("corpus.ron")).expect("parse"))
    });
    g.finish();
}

fn save(c: &mut Criterion) {
    let project = synth::project(CHARS, SPANS, 1);
    let bytes = serialise(&project).len();
    let dir = tempdir();
    let file = dir.path().join("big.ron");

    let mut g = c.benchmark_group("save");
    g.sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5))
        .throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("write_project", |b| {
        let mut buf = Vec::with_capacity(bytes + 1);
        b.iter(|| {
            buf.clear();
            write_project(black_box(&project), &mut buf).expect("write");
            black_box(buf.len())
        })
    });
    // The app's save path: serialise, write a temp file, fsync, hard-link .bak, rename.
    g.bench_function("save_project", |b| {
        b.iter(|| save_project(black_box(&project), &file).expect("save"))
    });
    g.finish();
}

fn export(c: &mut Criterion) {
    let corpus = synth::corpus(10_000_000, 100, 50, 2);
    describe("export corpus", &corpus, None);
    let text_bytes: usize = corpus
        .documents()
        .iter()
        .map(|d| d.text().as_str().len())
        .sum();
    let opts = ExportOptions::default();

    let mut g = c.benchmark_group("export");
    g.sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(8))
        .throughput(Throughput::Bytes(text_bytes as u64));
    let mut buf = Vec::new();
    g.bench_function("jsonl", |b| {
        b.iter(|| {
            buf.clear();
            jsonl::write(black_box(&corpus), &mut buf).expect("jsonl");
            black_box(buf.len())
        })
    });
    g.bench_function("conll", |b| {
        b.iter(|| {
            buf.clear();
            conll::write(black_box(&corpus), &opts, &mut buf).expect("conll");
            black_box(buf.len())
        })
    });
    g.finish();
}

fn snapshot(c: &mut Criterion) {
    // The 100M-char corpus has 49,918 documents and 3.15M spans; what a copy and
    // an edit cost does not depend on the text, so 10M chars (a span per 32) stand in.
    let project = synth::corpus(10_000_000, 50_000, 32, 3);
    describe("snapshot corpus", &project, None);
    let mut g = c.benchmark_group("snapshot");
    g.sample_size(50)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    // `app::files::write_to` and the autosave: the copy, and the size that sets the
    // progress bar's expected time.
    g.bench_function("save_start_50k_docs", |b| {
        b.iter(|| {
            let copy = black_box(&project).clone();
            let size = 2 * copy.text_bytes() as u64;
            black_box((copy, size))
        })
    });
    // An edit while a save holds the copy: only the edited document is copied.
    let mut ws = Workspace::new(project.clone());
    let doc = ws.project().id_at(25_000).expect("a document");
    let span = Span::new(0, 1, LabelId(0)).expect("span");
    g.bench_function("edit_after_snapshot_50k_docs", |b| {
        b.iter(|| {
            let copy = ws.project().clone();
            ws.apply("add", vec![Edit::AddSpan { doc, span }])
                .expect("add");
            ws.undo().expect("undo");
            black_box(copy)
        })
    });
    g.finish();
}

criterion_group!(benches, snapshot, open, save, export);
criterion_main!(benches);
