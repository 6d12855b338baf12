//! Writes a synthetic spanmark project (RON) or doccano JSONL corpus for benchmarks and
//! stress tests.
//!
//! ```text
//! cargo run --release --example gen_corpus -- --chars 1000000 --spans 50000 -o big.ron
//! cargo run --release --example gen_corpus -- --chars 10000000 --docs 100 --spans 200000 \
//!     --jsonl -o corpus.jsonl
//! ```

use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context as _;
use clap::Parser;
use spanmark::synth;

/// Generate a synthetic annotated corpus (deterministic for a given seed).
#[derive(Debug, Parser)]
#[command(name = "gen_corpus")]
struct Args {
    /// Total characters of text (about; paragraphs end on word boundaries).
    #[arg(long, default_value_t = 1_000_000)]
    chars: usize,
    /// Total spans (about, when --docs > 1: one per chars/spans characters).
    #[arg(long, default_value_t = 50_000)]
    spans: usize,
    /// Number of documents; above 1 the text is split evenly between them.
    #[arg(long, default_value_t = 1)]
    docs: usize,
    /// Seed for the generator.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Write doccano JSONL (`{"id", "text", "label"}` per line) instead of a RON project.
    #[arg(long)]
    jsonl: bool,
    /// Output file.
    #[arg(short, long)]
    output: PathBuf,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let t0 = Instant::now();
    let project = if args.docs > 1 {
        let chars_per_span = (args.chars / args.spans.max(1)).max(1);
        synth::corpus(args.chars, args.docs, chars_per_span, args.seed)
    } else {
        synth::project(args.chars, args.spans, args.seed)
    };
    let generated = t0.elapsed();

    let t1 = Instant::now();
    if args.jsonl {
        let file = std::fs::File::create(&args.output)
            .with_context(|| format!("creating {}", args.output.display()))?;
        let mut out = BufWriter::new(file);
        spanmark::io::export::jsonl::write(&project, &mut out)
            .and_then(|_| out.flush())
            .with_context(|| format!("writing {}", args.output.display()))?;
    } else {
        spanmark::io::save_project(&project, &args.output)?;
    }
    let written = t1.elapsed();

    let docs = project.documents();
    let chars: usize = docs.iter().map(|d| d.text().char_len()).sum();
    let text_bytes: usize = docs.iter().map(|d| d.text().as_str().len()).sum();
    let spans: usize = docs.iter().map(|d| d.spans().len()).sum();
    let bytes = std::fs::metadata(&args.output)
        .with_context(|| format!("reading {}", args.output.display()))?
        .len();
    eprintln!(
        "{}: {} ({}), {} documents, {chars} chars ({text_bytes} text bytes), {spans} spans, \
         {bytes} bytes; generated in {:.0} ms, written in {:.0} ms",
        args.output.display(),
        if args.jsonl {
            "doccano JSONL"
        } else {
            "RON project"
        },
        if args.docs > 1 {
            "synth::corpus"
        } else {
            "synth::project"
        },
        docs.len(),
        generated.as_secs_f64() * 1e3,
        written.as_secs_f64() * 1e3,
    );
    Ok(())
}
