#!/usr/bin/env python3
"""doccano JSONL -> CoNLL: spaCy vs spanmark, side by side, in one run.

    python benches/peer_conll.py --spanmark target/release/spanmark [--chars 10000000]
    python benches/peer_conll.py --spanmark target/release/spanmark --input corpus.jsonl

Without --input, a corpus of --chars characters in --docs documents with one span per
~50 characters is generated with `cargo run --release --example gen_corpus -- ... --jsonl`
(from the repository this script lives in).

Timed, best of --runs (default 3), with time.perf_counter:

* spaCy: read the JSONL, `spacy.blank("en")` tokenisation (`nlp.make_doc`), overlapping
  entities resolved first (spaCy raises on overlaps), `offsets_to_biluo_tags`,
  `biluo_to_iob`, and `TOKEN -X- _ TAG` lines with a blank line between documents.
  Creating the blank pipeline and importing spaCy are not timed.
* spanmark: `spanmark export P.ron --format conll` alone (load RON + export + write), and
  `spanmark import corpus.jsonl -o P.ron` + that export (each a process, startup included).

Overlaps are resolved like spanmark's flat exporters: longer span first, ties go to the
earlier start, then to the label seen first; a span that overlaps one already kept is
dropped. The two outputs are not identical: spanmark cuts tokens at span boundaries,
splits sentences and writes -DOCSTART- lines, while spaCy keeps its own tokens, so an
entity that starts or ends inside a spaCy token is "misaligned" (tag "-", written as O
here). Counts of both are printed so the work done can be compared.

Needs only the standard library and spaCy.
"""

from __future__ import annotations

import argparse
import bisect
import json
import os
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path


def resolve_overlaps(entities, label_rank):
    """Longest first (ties: earlier start, then label order); drop spans that clash."""
    ents = sorted(
        ((s, e, l) for s, e, l in entities if e > s),
        key=lambda x: (-(x[1] - x[0]), x[0], label_rank.get(x[2], 1 << 30)),
    )
    kept_starts: list[int] = []  # sorted, non-overlapping
    kept: list[tuple[int, int, str]] = []
    dropped = 0
    for s, e, l in ents:
        i = bisect.bisect_left(kept_starts, s)
        if (i > 0 and kept[i - 1][1] > s) or (i < len(kept) and kept[i][0] < e):
            dropped += 1
            continue
        kept_starts.insert(i, s)
        kept.insert(i, (s, e, l))
    return kept, dropped


def spacy_convert(nlp, src: Path, dst: Path) -> dict:
    from spacy.training import biluo_to_iob, offsets_to_biluo_tags

    label_rank: dict[str, int] = {}
    stats = {"docs": 0, "tokens": 0, "entities": 0, "dropped": 0, "misaligned_tokens": 0}
    with open(src, encoding="utf-8") as f, open(dst, "w", encoding="utf-8") as out:
        for line in f:
            if not line.strip():
                continue
            rec = json.loads(line)
            raw = rec.get("label", rec.get("entities", []))
            ents = []
            for r in raw:
                if isinstance(r, dict):
                    s = r.get("start_offset", r.get("start"))
                    e = r.get("end_offset", r.get("end"))
                    l = r["label"]
                else:
                    s, e, l = r
                label_rank.setdefault(l, len(label_rank))
                ents.append((s, e, l))
            ents, dropped = resolve_overlaps(ents, label_rank)
            doc = nlp.make_doc(rec["text"])
            tags = biluo_to_iob(offsets_to_biluo_tags(doc, ents))
            lines = []
            for tok, tag in zip(doc, tags):
                if tok.is_space:
                    continue
                if tag == "-":
                    stats["misaligned_tokens"] += 1
                    tag = "O"
                lines.append(f"{tok.text} -X- _ {tag}\n")
            lines.append("\n")
            out.write("".join(lines))
            stats["docs"] += 1
            stats["tokens"] += len(lines) - 1
            stats["entities"] += len(ents)
            stats["dropped"] += dropped
    return stats


def conll_counts(path: Path) -> tuple[int, int]:
    """(token lines, B- tags), ignoring -DOCSTART- lines."""
    tokens = begins = 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip() or line.startswith("-DOCSTART-"):
                continue
            tokens += 1
            if line.rstrip("\n").rsplit(" ", 1)[-1].startswith("B-"):
                begins += 1
    return tokens, begins


def run(cmd: list[str]) -> float:
    t = time.perf_counter()
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    dt = time.perf_counter() - t
    if r.returncode != 0:
        sys.exit(f"failed ({r.returncode}): {' '.join(cmd)}\n{r.stderr}")
    return dt


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--spanmark", required=True, help="path to the spanmark binary")
    ap.add_argument("--input", type=Path, help="a doccano JSONL corpus (else generated)")
    ap.add_argument("--chars", type=int, default=10_000_000)
    ap.add_argument("--docs", type=int, default=100)
    ap.add_argument("--chars-per-span", type=int, default=50)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--workdir", type=Path, help="where to put files (default: a temp dir)")
    args = ap.parse_args()

    spanmark = str(Path(args.spanmark).resolve())
    tmp = None
    if args.workdir:
        work = args.workdir
        work.mkdir(parents=True, exist_ok=True)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="peer_conll-")
        work = Path(tmp.name)

    if args.input:
        corpus = args.input
    else:
        corpus = work / "corpus.jsonl"
        repo = Path(__file__).resolve().parent.parent
        cmd = [
            "cargo", "run", "--quiet", "--release", "--example", "gen_corpus", "--",
            "--chars", str(args.chars), "--docs", str(args.docs),
            "--spans", str(args.chars // args.chars_per_span), "--jsonl", "-o", str(corpus),
        ]
        print("generating:", " ".join(cmd), file=sys.stderr)
        subprocess.run(cmd, cwd=repo, check=True)

    text_bytes = docs = spans = 0
    with open(corpus, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                rec = json.loads(line)
                text_bytes += len(rec["text"].encode("utf-8"))
                spans += len(rec.get("label", rec.get("entities", [])))
                docs += 1
    mb = text_bytes / 1e6
    print(
        f"corpus: {corpus} ({os.path.getsize(corpus) / 1e6:.1f} MB file), {docs} documents, "
        f"{mb:.2f} MB of text, {spans} spans; best of {args.runs}"
    )

    import spacy

    warnings.filterwarnings("ignore", message=r".*\[W030\]")  # misaligned entities
    nlp = spacy.blank("en")
    spacy_out = work / "spacy.conll"
    sp_times, sp_stats = [], None
    for _ in range(args.runs):
        t = time.perf_counter()
        sp_stats = spacy_convert(nlp, corpus, spacy_out)
        sp_times.append(time.perf_counter() - t)

    ron = work / "corpus.ron"
    sm_out = work / "spanmark.conll"
    imp_times, exp_times, both_times, direct_times = [], [], [], []
    for _ in range(args.runs):
        ti = run([spanmark, "import", str(corpus), "-o", str(ron)])
        te = run([spanmark, "export", str(ron), "--format", "conll", "-o", str(sm_out)])
        imp_times.append(ti)
        exp_times.append(te)
        both_times.append(ti + te)
        # The same input as spaCy's: JSONL straight to CoNLL, one process.
        direct_times.append(run([spanmark, "export", str(corpus), "--format", "conll",
                                 "-o", str(work / "spanmark-direct.conll")]))

    sp = min(sp_times)
    rows = [
        (f"spaCy {spacy.__version__} blank('en') -> CoNLL", sp),
        ("spanmark export (JSONL -> CoNLL)", min(direct_times)),
        ("spanmark export (RON -> CoNLL)", min(exp_times)),
        ("spanmark import (JSONL -> RON)", min(imp_times)),
        ("spanmark import + export", min(both_times)),
    ]
    print()
    print(f"{'pipeline':<40} {'seconds':>8} {'MB/s':>8} {'spaCy/x':>8}")
    for name, t in rows:
        print(f"{name:<40} {t:>8.3f} {mb / t:>8.1f} {sp / t:>7.1f}x")

    sm_tokens, sm_begins = conll_counts(sm_out)
    sp_tokens, sp_begins = conll_counts(spacy_out)
    print()
    print(
        f"spaCy:    {sp_tokens} tokens, {sp_begins} entities tagged; "
        f"{sp_stats['dropped']} overlapping spans dropped before tagging, "
        f"{sp_stats['misaligned_tokens']} tokens in misaligned entities written as O"
    )
    print(f"spanmark: {sm_tokens} tokens, {sm_begins} entities tagged")
    print(
        f"(python {sys.version.split()[0]}; spanmark {spanmark}; all runs: spaCy "
        + ", ".join(f"{t:.2f}" for t in sp_times)
        + "; spanmark export "
        + ", ".join(f"{t:.2f}" for t in exp_times)
        + ")"
    )
    if tmp:
        tmp.cleanup()


if __name__ == "__main__":
    main()
