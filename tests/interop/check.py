#!/usr/bin/env python3
"""Check the files spanmark exported against the spans the Rust test expects.

    python check.py EXPECTED.json EXPORT_DIR

EXPECTED.json: {"documents": [{"name", "text", "entities": [[start, end, label], ...],
"flat_entities": [...], "notes": [[start, end, label, note], ...] (optional)}],
"labels": [...]}, offsets in code points, end exclusive.
Checks whichever of these EXPORT_DIR holds: out.jsonl (doccano), out.conll (read back with
spaCy's own converter and with seqeval), out.bilou.conll (seqeval), hf.jsonl + labels.json
(loaded with `datasets`), brat/, labelstudio.json, out.csv. Token formats must hold exactly
"flat_entities", the others exactly "entities" and, where the format holds notes (doccano
"notes", brat AnnotatorNotes, Label Studio meta.text, the CSV note column), exactly "notes";
hf.jsonl and the doccano file are also loaded with `datasets`. Exit 0 if all pass, 1 on any mismatch, 2 on
bad usage or when EXPORT_DIR holds none of the files.
Needs Python 3.11+ with spacy, seqeval and datasets; works offline.
"""
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from itertools import accumulate
from pathlib import Path

# Keep Hugging Face off the network and out of the user's cache (set before importing it).
TMP = Path(tempfile.mkdtemp(prefix="spanmark-check-"))
os.environ.update(HF_DATASETS_OFFLINE="1", HF_HUB_OFFLINE="1", HF_HOME=str(TMP / "hf"),
                  HF_DATASETS_CACHE=str(TMP / "hf" / "datasets"),
                  HF_HUB_DISABLE_TELEMETRY="1", HF_DATASETS_DISABLE_PROGRESS_BARS="1")

SPACY_DOCSTART = "-DOCSTART- -X- O O"  # the only document delimiter spaCy's ner converter knows
failures = []


def fail(fmt, doc, msg):
    failures.append(f"FAIL {fmt}: {doc}: {msg}")
    print(failures[-1])


def show(text, s, e, label):
    inside = 0 <= s <= e <= len(text)
    return f"{label} [{s}:{e}] " + (repr(text[s:e]) if inside else "(outside the text)")


def first_diff(want, got):
    """Where two strings first differ, with a little context."""
    i = next((k for k, (a, b) in enumerate(zip(want, got)) if a != b), min(len(want), len(got)))
    return (f"first difference at offset {i}: expected {want[max(0, i - 10):i + 10]!r}, "
            f"got {got[max(0, i - 10):i + 10]!r} (lengths {len(want)} and {len(got)})")


def is_span(x):
    return (isinstance(x, (list, tuple)) and len(x) == 3 and isinstance(x[2], str)
            and all(isinstance(v, int) and not isinstance(v, bool) for v in x[:2]))


def compare_spans(fmt, doc, text, expected, got):
    """Report each (start, end, label) missing from or extra in got; multisets must match."""
    want, have = Counter(map(tuple, expected)), Counter(map(tuple, got))
    for s, e, label in sorted((want - have).elements()):
        fail(fmt, doc, f"missing span {show(text, s, e, label)}")
    for s, e, label in sorted((have - want).elements()):
        fail(fmt, doc, f"unexpected span {show(text, s, e, label)}")


def compare_notes(fmt, doc, got):
    """got: [(start, end, label, note)]; must be exactly the document's expected notes."""
    want, have = Counter(map(tuple, doc.get("notes", []))), Counter(map(tuple, got))
    for n in sorted((want - have).elements()):
        fail(fmt, doc["name"], f"missing note {n!r}")
    for n in sorted((have - want).elements()):
        fail(fmt, doc["name"], f"unexpected note {n!r}")


def brat_unescape(s):
    """spanmark's brat note escapes: \\n \\r \\t \\\\ and \\uXXXX; any other backslash stays."""
    return re.sub(r"\\(?:u([0-9a-fA-F]{4})|([nrt\\]))",
                  lambda m: chr(int(m[1], 16)) if m[1] else {"n": "\n", "r": "\r", "t": "\t", "\\": "\\"}[m[2]], s)


def flat_expected(doc):
    """The flat entities, trimmed of whitespace at both ends (tokens cannot hold it)."""
    text, out = doc["text"], []
    for s, e, label in doc["flat_entities"]:
        span = text[s:e]
        out.append((s + len(span) - len(span.lstrip()), e - len(span) + len(span.rstrip()), label))
    return sorted(out)


def check_token_doc(fmt, doc, words, ents):
    """Compare a token document with the flat entities. words: its tokens in order;
    ents: [(label, i, j)] token ranges, j exclusive. When the tokens spell the text minus
    whitespace (str.isspace), entities map back to exact offsets; otherwise that is reported
    and they are compared as (label, text with whitespace removed), in order."""
    text, name = doc["text"], doc["name"]
    pos = [i for i, c in enumerate(text) if not c.isspace()]
    squeezed, joined = "".join(text[i] for i in pos), "".join(words)
    if joined == squeezed:
        off = list(accumulate(map(len, words), initial=0))  # token k starts at pos[off[k]]
        got = [(pos[off[i]], pos[off[j] - 1] + 1, label) for label, i, j in ents]
        compare_spans(fmt, name, text, flat_expected(doc), got)
        return
    fail(fmt, name, f"tokens do not spell the text (whitespace aside): {first_diff(squeezed, joined)}")
    want = [(label, "".join(text[s:e].split())) for s, e, label in flat_expected(doc)]
    got = [(label, "".join(words[i:j])) for label, i, j in ents]
    if want != got:
        fail(fmt, name, f"entities differ:\n  expected {want}\n  got      {got}")


# ---- tag sequences ------------------------------------------------------------------

def tag_errors(tags, scheme):
    """Problems in one sentence's tags; scheme "iob2" (B I O) or "bilou" (B I L U O)."""
    prefixes = ("B", "I") if scheme == "iob2" else ("B", "I", "L", "U")
    errs, prev, open_type = [], "O", None  # open_type: type of the chunk still open
    for k, tag in enumerate(tags, 1):
        prefix, dash, typ = tag.partition("-")
        if tag != "O" and not (dash and typ and prefix in prefixes):
            errs.append(f"token {k}: invalid {scheme} tag {tag!r}")
            prev, open_type = tag, None
            continue
        if prefix in ("I", "L") and open_type != typ:
            errs.append(f"token {k}: {tag} follows {prev} (needs B-{typ} or I-{typ} before it)")
        elif scheme == "bilou" and prefix in ("B", "U", "O") and open_type:
            errs.append(f"token {k}: {tag} follows {prev} (B-{open_type}/I-{open_type} must end "
                        f"with L-{open_type})")
        open_type = typ if prefix in ("B", "I") else None
        prev = tag
    if scheme == "bilou" and open_type:
        errs.append(f"sentence ends inside a {open_type} chunk (no L-{open_type})")
    return errs


def check_tagged_docs(fmt, docs, tagged, scheme):
    """tagged: per expected document, a list of sentences [(token, tag, where)]. Tags must be
    valid; then seqeval's get_entities, run per sentence, must find the flat entities."""
    from seqeval.metrics.sequence_labeling import get_entities
    to_iobes = {"B": "B", "I": "I", "L": "E", "U": "S"}  # seqeval reads IOBES, not BILOU
    n = 0
    for doc, sents in zip(docs, tagged):
        words, ents, bad = [], [], False
        for sent in sents:
            tags = [t for _, t, _ in sent]
            for err in tag_errors(tags, scheme):
                fail(fmt, doc["name"], f"sentence at {sent[0][2]}: {err}")
                bad = True
            if not bad:
                iobes = [t if t == "O" else to_iobes[t[0]] + t[1:] for t in tags]
                base = len(words)
                ents += [(label, base + i, base + j + 1) for label, i, j in get_entities(iobes)]
            words += [w for w, _, _ in sent]
        if not bad:  # with bad tags seqeval would only guess; they are reported already
            check_token_doc(fmt, doc, words, ents)
            n += len(doc["flat_entities"])
    return n


# ---- the formats --------------------------------------------------------------------

def check_doccano(path, docs):
    lines = [ln for ln in path.read_text(encoding="utf-8").split("\n") if ln.strip()]
    if len(lines) != len(docs):
        fail("doccano", path.name, f"{len(lines)} lines, expected {len(docs)} documents")
    for k, (doc, line) in enumerate(zip(docs, lines), 1):
        name, text = doc["name"], doc["text"]
        try:
            row = json.loads(line)
        except json.JSONDecodeError as err:
            fail("doccano", name, f"line {k} is not JSON: {err}")
            continue
        if row.get("id") != name:
            fail("doccano", name, f"line {k} has id {row.get('id')!r}, expected {name!r}")
        if row.get("text") != text:
            fail("doccano", name, f"text differs: {first_diff(text, str(row.get('text')))}")
        spans = row.get("label")
        spans = spans if isinstance(spans, list) else [spans]
        for sp in spans:
            if not is_span(sp) or not 0 <= sp[0] < sp[1] <= len(text):
                fail("doccano", name, f"bad or empty span {sp!r}")
        compare_spans("doccano", name, text, doc["entities"], [tuple(s) for s in spans if is_span(s)])
        notes = row.get("notes", [])
        if "notes" in row and not notes:
            fail("doccano", name, "an empty \"notes\" list (it should be left out)")
        if not (isinstance(notes, list) and all(isinstance(n, list) and len(n) == 4
                                                 and is_span(n[:3]) and isinstance(n[3], str)
                                                 for n in notes)):
            fail("doccano", name, f"notes are not [[start, end, label, note]]: {notes!r}")
            continue
        compare_notes("doccano", doc, notes)
    check_doccano_with_datasets(path, docs)
    n_notes = sum(len(d.get("notes", [])) for d in docs)
    return f"{len(lines)} documents, {sum(len(d['entities']) for d in docs)} entities, {n_notes} notes"


def check_doccano_with_datasets(path, docs):
    """`datasets` loads the doccano file with its extra notes column, texts intact."""
    import datasets
    datasets.logging.set_verbosity_error()
    try:
        ds = datasets.load_dataset("json", data_files=str(path), split="train",
                                   cache_dir=str(TMP / "hf" / "datasets"))
    except Exception as err:  # any loader error is a finding, not a crash
        fail("doccano", path.name, f"datasets.load_dataset failed: {type(err).__name__}: {err}")
        return
    if ds["text"] != [d["text"] for d in docs]:
        fail("doccano", path.name, "datasets read other texts than were written")
    if any(d.get("notes") for d in docs) and "notes" not in ds.column_names:
        fail("doccano", path.name, f"datasets lost the notes column ({ds.column_names})")


def parse_conll(path):
    """Sentences per -DOCSTART- block; a sentence is [(token, tag, where)]."""
    blocks, sent = [], []
    for no, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        fields = line.split()  # same split as spaCy: any Unicode whitespace
        if not fields or fields[0] == "-DOCSTART-":
            if sent:
                blocks[-1].append(sent)
            sent = []
            if fields:
                blocks.append([])
            continue
        if not blocks:
            fail(path.name, "-", f"line {no}: token before the first -DOCSTART- line")
            blocks.append([])
        if len(fields) != 4:
            fail(path.name, "-", f"line {no}: {len(fields)} columns, expected 4 (TOKEN -X- _ TAG): "
                 f"{line!r} (is there whitespace inside the token?)")
        sent.append((fields[0], fields[-1], f"line {no}"))
    if sent:
        blocks[-1].append(sent)
    return blocks


def check_conll(path, docs, scheme):
    fmt = "conll" if scheme == "iob2" else "bilou"
    blocks = parse_conll(path)
    if len(blocks) != len(docs):
        fail(fmt, path.name, f"{len(blocks)} -DOCSTART- documents, expected {len(docs)}")
    n = check_tagged_docs(fmt, docs, blocks, scheme)
    if scheme == "iob2":
        check_with_spacy(path, docs, blocks)
    return f"{len(blocks)} documents, {n} entities"


def check_with_spacy(path, docs, blocks):
    """Run spaCy's own CoNLL-2003 converter and compare the Docs it builds."""
    import spacy
    from spacy.tokens import DocBin
    # spaCy splits documents only at the exact text "-DOCSTART- -X- O O", so the file must
    # use that line as it is: the converter runs on the exported file itself.
    lines = path.read_text(encoding="utf-8").split("\n")
    bad = [k + 1 for k, ln in enumerate(lines) if ln.split()[:1] == ["-DOCSTART-"]
           and ln.strip() != SPACY_DOCSTART]
    if bad:
        fail("conll/spacy", path.name, f"lines {bad[:5]}: spaCy's ner converter splits "
             f"documents only at {SPACY_DOCSTART!r}")
    outdir = TMP / "spacy"
    outdir.mkdir()
    cmd = [sys.executable, "-m", "spacy", "convert", str(path), str(outdir),
           "--converter", "ner", "--file-type", "spacy", "--n-sents", "0"]
    run = subprocess.run(cmd, capture_output=True, text=True)
    out = outdir / (path.stem + ".spacy")
    if run.returncode or not out.exists():
        last = (run.stderr or run.stdout).strip().splitlines()[-1:]
        fail("conll/spacy", path.name, f"`{' '.join(cmd[1:])}` failed: {last}")
        return
    sdocs = list(DocBin().from_disk(out).get_docs(spacy.blank("xx").vocab))
    # spaCy drops -DOCSTART- blocks without tokens, so pair its Docs with the non-empty ones
    pairs = [(doc, sents) for doc, sents in zip(docs, blocks) if sents]
    if len(sdocs) != len(pairs):
        fail("conll/spacy", path.name, f"spaCy built {len(sdocs)} documents, expected {len(pairs)}")
    for sdoc, (doc, sents) in zip(sdocs, pairs):
        words = [t.text for t in sdoc]
        mine = [w for s in sents for w, _, _ in s]
        if words != mine:
            fail("conll/spacy", doc["name"], f"spaCy read other tokens than the file has: "
                 f"{first_diff(' '.join(mine), ' '.join(words))}")
            continue
        check_token_doc("conll/spacy", doc, words, [(e.label_, e.start, e.end) for e in sdoc.ents])


def check_hf(path, docs, labels_path, labels):
    """hf.jsonl through `datasets`; labels.json must list O plus B-/I- of every project label."""
    import datasets
    datasets.logging.set_verbosity_error()
    tags_ok = json.loads(labels_path.read_text(encoding="utf-8")) if labels_path.exists() else None
    if not (isinstance(tags_ok, list) and all(isinstance(t, str) for t in tags_ok)):
        fail("hf", labels_path.name, "missing, or not a JSON list of tag strings")
        tags_ok = None
    else:
        need = ["O"] + [f"{p}-{lb}" for lb in labels for p in "BI"]
        dups = [t for t, c in Counter(tags_ok).items() if c > 1]
        for problem, tags in (("lacks", [t for t in need if t not in tags_ok]), ("repeats", dups)):
            if tags:
                fail("hf", labels_path.name, f"{problem} tags {tags}")
    try:
        ds = datasets.load_dataset("json", data_files=str(path), split="train",
                                   cache_dir=str(TMP / "hf" / "datasets"))
    except Exception as err:  # any loader error is a finding, not a crash
        fail("hf", path.name, f"datasets.load_dataset failed: {type(err).__name__}: {err}")
        return "not loadable"
    for col in ("document", "tokens", "ner_tags"):
        if col not in ds.column_names:
            fail("hf", path.name, f"no {col!r} column (has {ds.column_names})")
            return "bad columns"
    names = [d["name"] for d in docs]
    groups = {n: [] for n in names}
    for k, row in enumerate(ds):
        where = f"row {k + 1} (id {row.get('id')!r})"
        toks, tags = row["tokens"] or [], row["ner_tags"] or []
        if row["document"] not in groups:
            fail("hf", str(row["document"]), f"{where}: unknown document")
            continue
        if len(toks) != len(tags):
            fail("hf", row["document"], f"{where}: {len(toks)} tokens but {len(tags)} ner_tags")
            continue
        for t in sorted(set(tags) - set(tags_ok or tags)):
            fail("hf", row["document"], f"{where}: tag {t!r} is not in labels.json")
        groups[row["document"]].append([(w, t, where) for w, t in zip(toks, tags)])
    n = check_tagged_docs("hf", docs, [groups[nm] for nm in names], "iob2")
    return f"{ds.num_rows} rows, {len(docs)} documents, {n} entities"


def check_brat(folder, docs):
    names = {d["name"] for d in docs}
    for extra in sorted(p.name for p in folder.iterdir() if p.suffix in (".txt", ".ann")
                        and p.stem not in names):
        fail("brat", extra, "file for no expected document")
    for doc in docs:
        name, text = doc["name"], doc["text"]
        txt, ann = folder / f"{name}.txt", folder / f"{name}.ann"
        if not txt.exists() or not ann.exists():
            fail("brat", name, f"missing {txt.name if not txt.exists() else ann.name}")
            continue
        with open(txt, encoding="utf-8", newline="") as f:
            got_text = f.read()
        if got_text != text:
            fail("brat", name, f"{txt.name} differs: {first_diff(text, got_text)}")
        with open(ann, encoding="utf-8", newline="") as f:
            lines = f.read().split("\n")
        spans, ids, t_spans, notes = [], set(), {}, []
        for no, line in enumerate(lines, 1):
            if line.startswith("#"):
                try:
                    nid, middle, note = line.split("\t", 2)
                    kind, target = middle.split(" ")
                    assert kind == "AnnotatorNotes" and re.fullmatch(r"#[0-9]+", nid)
                except (ValueError, AssertionError):
                    fail("brat", name, f"{ann.name} line {no}: not '#<n>\\tAnnotatorNotes T<n>\\tNOTE': {line!r}")
                    continue
                notes.append((no, target, brat_unescape(note)))
                continue
            if not line.startswith("T"):
                continue  # other brat annotations (A, R, ...) and blank lines
            where = f"{ann.name} line {no}"
            try:
                tid, middle, shown = line.split("\t", 2)
                label, offs = middle.split(" ", 1)
                frags = [tuple(int(x) for x in f.split(" ")) for f in offs.split(";")]
                assert all(len(f) == 2 for f in frags)
            except (ValueError, AssertionError):
                fail("brat", name, f"{where}: not 'T<n>\\tLABEL start end[;start end]\\tTEXT': {line!r}")
                continue
            if tid in ids:
                fail("brat", name, f"{where}: id {tid} used twice")
            ids.add(tid)
            for a, b in frags:
                if not 0 <= a < b <= len(text):
                    fail("brat", name, f"{where}: fragment {a} {b} is empty or outside the text")
                elif "\n" in text[a:b] or "\r" in text[a:b]:
                    fail("brat", name, f"{where}: fragment {show(text, a, b, label)} crosses a line break")
            if any(b1 > a2 for (_, b1), (a2, _) in zip(frags, frags[1:])):
                fail("brat", name, f"{where}: fragments out of order or overlapping")
            joined = " ".join(text[a:b] for a, b in frags)
            if shown != joined:
                fail("brat", name, f"{where}: TEXT {shown!r}, but the fragments give {joined!r}")
            spans.append((frags[0][0], frags[-1][1], label))
            t_spans[tid] = spans[-1]
        got_notes = []
        for no, target, note in notes:
            if target not in t_spans:
                fail("brat", name, f"{ann.name} line {no}: note on {target}, which no T line defines")
            else:
                got_notes.append((*t_spans[target], note))
        compare_spans("brat", name, text, doc["entities"], spans)
        compare_notes("brat", doc, got_notes)
    return f"{len(docs)} documents, {sum(len(d['entities']) for d in docs)} entities"


def check_labelstudio(path, docs):
    tasks = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(tasks, list) or len(tasks) != len(docs):
        fail("labelstudio", path.name, f"expected a list of {len(docs)} tasks")
        return "bad"
    for doc, task in zip(docs, tasks):
        name, text = doc["name"], doc["text"]
        got_text = (task.get("data") or {}).get("text")
        if got_text != text:
            fail("labelstudio", name, f"data.text differs: {first_diff(text, str(got_text))}")
        spans, notes = [], []
        for ann in task.get("annotations") or []:
            for res in ann.get("result") or []:
                v = res.get("value") or {}
                if "meta" in res:
                    meta = (res.get("meta") or {}).get("text")
                    if not (isinstance(meta, list) and len(meta) == 1 and isinstance(meta[0], str)):
                        fail("labelstudio", name, f"result {res.get('id')!r}: meta.text should be "
                             f"[note], got {meta!r}")
                    else:
                        notes.append((v.get("start"), v.get("end"), (v.get("labels") or [None])[0], meta[0]))
                s, e, labs = v.get("start"), v.get("end"), v.get("labels")
                head = f"result {res.get('id')!r}"
                if (res.get("type"), res.get("from_name"), res.get("to_name")) != ("labels", "label", "text"):
                    fail("labelstudio", name, f"{head}: type/from_name/to_name should be labels/label/text")
                if not (isinstance(labs, list) and len(labs) == 1 and is_span([s, e, labs[0]])):
                    fail("labelstudio", name, f"{head}: bad value {v!r}")
                    continue
                if v.get("text") != text[s:e] or not 0 <= s < e <= len(text):
                    fail("labelstudio", name, f"{head}: value.text {v.get('text')!r} but "
                         f"{show(text, s, e, labs[0])}")
                spans.append((s, e, labs[0]))
        compare_spans("labelstudio", name, text, doc["entities"], spans)
        compare_notes("labelstudio", doc, notes)
    return f"{len(docs)} documents, {sum(len(d['entities']) for d in docs)} entities"


def check_csv(path, docs):
    by_name = {d["name"]: d for d in docs}
    got = {n: [] for n in by_name}
    got_notes = {n: [] for n in by_name}
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    header = ["document", "start", "end", "label", "text", "note"]
    if not rows or rows[0] != header:
        hint = " (starts with a byte order mark)" if rows and "".join(rows[0])[:1] == "\ufeff" else ""
        fail("csv", path.name, f"header {rows[0] if rows else None}, expected {header}{hint}")
    for no, row in enumerate(rows[1:], 2):
        if len(row) != 6 or not all(re.fullmatch(r"[0-9]+", x) for x in row[1:3]):
            fail("csv", path.name, f"record {no}: bad row {row!r}")
            continue
        name, s, e, label, shown, note = row[0], int(row[1]), int(row[2]), row[3], row[4], row[5]
        if name not in by_name:
            fail("csv", name, f"record {no}: unknown document")
            continue
        text = by_name[name]["text"]
        if shown != text[s:e] or not 0 <= s < e <= len(text):
            fail("csv", name, f"record {no}: text column {shown!r} but {show(text, s, e, label)}")
        got[name].append((s, e, label))
        if note:
            got_notes[name].append((s, e, label, note))
    for doc in docs:
        compare_spans("csv", doc["name"], doc["text"], doc["entities"], got[doc["name"]])
        compare_notes("csv", doc, got_notes[doc["name"]])
    return f"{len(rows) - 1} rows, {len(docs)} documents"


# ---- main ---------------------------------------------------------------------------

def load_expected(path):
    exp = json.loads(Path(path).read_text(encoding="utf-8"))
    for doc in exp["documents"]:
        for key in ("entities", "flat_entities"):
            for sp in doc[key]:
                if not is_span(sp) or not 0 <= sp[0] < sp[1] <= len(doc["text"]):
                    sys.exit(f"{path}: {doc['name']}: bad {key} span {sp!r}")
        for n in doc.get("notes", []):
            if not (len(n) == 4 and list(n[:3]) in doc["entities"] and isinstance(n[3], str)):
                sys.exit(f"{path}: {doc['name']}: note {n!r} is not on one of its entities")
    if len({d["name"] for d in exp["documents"]}) != len(exp["documents"]):
        sys.exit(f"{path}: document names are not unique")
    return exp


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    exp = load_expected(argv[1])
    docs = exp["documents"]
    out = Path(argv[2])
    checks = [  # (name, file, check)
        ("doccano", "out.jsonl", lambda p: check_doccano(p, docs)),
        ("conll", "out.conll", lambda p: check_conll(p, docs, "iob2")),
        ("bilou", "out.bilou.conll", lambda p: check_conll(p, docs, "bilou")),
        ("hf", "hf.jsonl", lambda p: check_hf(p, docs, out / "labels.json", exp["labels"])),
        ("brat", "brat", lambda p: check_brat(p, docs)),
        ("labelstudio", "labelstudio.json", lambda p: check_labelstudio(p, docs)),
        ("csv", "out.csv", lambda p: check_csv(p, docs)),
    ]
    present = [c for c in checks if (out / c[1]).exists()]
    print(f"checking {', '.join(c[1] for c in present) or 'nothing'} in {out}; not present, "
          f"skipped: {', '.join(c[1] for c in checks if c not in present) or 'none'}")
    if not present:
        print(f"FAIL: {out} holds none of the exported files", file=sys.stderr)
        return 2
    for name, file, check in present:
        before = len(failures)
        try:
            summary = check(out / file)
        except Exception as err:  # a file that cannot even be parsed is a failure, not a crash
            fail(name, file, f"could not be checked: {type(err).__name__}: {err}")
            summary = None
        if len(failures) == before:
            print(f"ok {name}: {summary}")
    if failures:
        print(f"{len(failures)} failure(s)")
        return 1
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    finally:
        shutil.rmtree(TMP, ignore_errors=True)
