#!/usr/bin/env python3
"""Check the files spanmark exported against the spans the Rust test expects.

    python check.py EXPECTED.json EXPORT_DIR

EXPECTED.json: {"documents": [{"name", "text", "entities": [[start, end, label], ...],
"flat_entities": [...], "notes": [[start, end, label, note], ...] (optional),
"relations": [[from_start, from_end, from_label, to_start, to_end, to_label, type], ...]
(optional)}], "labels": [...], "relation_types": {TYPE: [[from labels], [to labels]]}},
offsets in code points, end exclusive.
Checks whichever of these EXPORT_DIR holds: out.jsonl (doccano), out.conll (read back with
spaCy's own converter and with seqeval), out.bilou.conll (seqeval), hf.jsonl + labels.json
(loaded with `datasets`), brat/, labelstudio.json, out.csv (+ out.relations.csv). Token
formats must hold exactly "flat_entities", the others exactly "entities" and, where the
format holds notes (doccano "notes", brat AnnotatorNotes, Label Studio meta.text, the CSV
note column), exactly "notes", and exactly "relations" (doccano's relation extraction
layout, checked against the rules of doccano's importer; brat R lines, read by brat's own
annotation.py and projectconfig.py as bratiaa ships them and by bratly; Label Studio
relation results, validated by label-studio-sdk's LabelInterface; the CSV relations
file); hf.jsonl and the doccano file are also loaded with `datasets`. Exit 0 if all
pass, 1 on any mismatch, 2 on bad usage or when EXPORT_DIR holds none of the files.
Needs Python 3.11+ with spacy, seqeval, datasets, bratiaa, bratly and label-studio-sdk;
works offline.
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


def compare_relations(fmt, doc, got):
    """got: [(from_start, from_end, from_label, to_start, to_end, to_label, type)]; must be
    exactly the document's expected relations."""
    want = Counter(map(tuple, doc.get("relations", [])))
    have = Counter(map(tuple, got))
    for r in sorted((want - have).elements()):
        fail(fmt, doc["name"], f"missing relation {r!r}")
    for r in sorted((have - want).elements()):
        fail(fmt, doc["name"], f"unexpected relation {r!r}")


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

def is_int(x):
    return isinstance(x, int) and not isinstance(x, bool)


def doccano_relation_record(name, text, row):
    """A line of doccano's relation extraction layout, checked as doccano's importer
    checks it (backend/data_import/pipeline/label.py: SpanLabel and RelationLabel, and
    `id_to_span[from_id]` in RelationLabel.create): entities with an integer id, a
    non-empty label and non-negative offsets, start < end; relations with integer from_id
    and to_id that are ids of the line's entities, and a non-empty type. Returns the spans
    and the relations found."""
    entities, relations = row.get("entities"), row.get("relations")
    if not isinstance(entities, list) or not isinstance(relations, list):
        fail("doccano", name, "a relation extraction line needs \"entities\" and \"relations\" lists")
        return [], []
    by_id, spans = {}, []
    for e in entities:
        ok = (isinstance(e, dict) and is_int(e.get("id")) and isinstance(e.get("label"), str)
              and e["label"] and is_int(e.get("start_offset")) and is_int(e.get("end_offset"))
              and 0 <= e["start_offset"] < e["end_offset"] <= len(text))
        if not ok:
            fail("doccano", name, f"entity {e!r} is not {{id, label, start_offset < end_offset}}")
            continue
        if e["id"] in by_id:
            fail("doccano", name, f"entity id {e['id']} twice")
        span = (e["start_offset"], e["end_offset"], e["label"])
        by_id[e["id"]] = span
        spans.append(span)
    got = []
    for r in relations:
        ok = (isinstance(r, dict) and is_int(r.get("from_id")) and is_int(r.get("to_id"))
              and isinstance(r.get("type"), str) and r["type"])
        if not ok or r["from_id"] not in by_id or r["to_id"] not in by_id:
            fail("doccano", name, f"relation {r!r} is not {{from_id, to_id, type}} between the line's entities")
            continue
        got.append((*by_id[r["from_id"]], *by_id[r["to_id"]], r["type"]))
    return spans, got


def check_doccano(path, docs):
    lines = [ln for ln in path.read_text(encoding="utf-8").split("\n") if ln.strip()]
    if len(lines) != len(docs):
        fail("doccano", path.name, f"{len(lines)} lines, expected {len(docs)} documents")
    # With relations, doccano reads one layout for the whole file: a relation extraction
    # project reads every line's "entities" and "relations", and nothing of "label".
    with_relations = any(d.get("relations") for d in docs)
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
        if with_relations:
            if "label" in row:
                fail("doccano", name, f"line {k}: \"label\" in a file with relations (doccano would not read it)")
            spans, relations = doccano_relation_record(name, text, row)
        else:
            if "entities" in row or "relations" in row:
                fail("doccano", name, f"line {k}: relation layout in a file without relations")
            spans = row.get("label")
            spans = spans if isinstance(spans, list) else [spans]
            for sp in spans:
                if not is_span(sp) or not 0 <= sp[0] < sp[1] <= len(text):
                    fail("doccano", name, f"bad or empty span {sp!r}")
            spans, relations = [tuple(s) for s in spans if is_span(s)], []
        compare_spans("doccano", name, text, doc["entities"], spans)
        compare_relations("doccano", doc, relations)
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
    n_rel = sum(len(d.get("relations", [])) for d in docs)
    return (f"{len(lines)} documents, {sum(len(d['entities']) for d in docs)} entities, "
            f"{n_notes} notes, {n_rel} relations")


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
    if any(d.get("relations") for d in docs):
        for col in ("entities", "relations"):
            if col not in ds.column_names:
                fail("doccano", path.name, f"datasets found no {col!r} column ({ds.column_names})")
        if "relations" in ds.column_names:
            got = [len(r or []) for r in ds["relations"]]
            want = [len(d.get("relations", [])) for d in docs]
            if got != want:
                fail("doccano", path.name, f"datasets read {got} relations per document, expected {want}")


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
        spans, ids, t_spans, notes, r_lines = [], set(), {}, [], []
        for no, line in enumerate(lines, 1):
            if line.startswith("R"):
                # brat's format (annotation.py): R<n> TAB TYPE SPACE Arg1:T<n> SPACE Arg2:T<n>
                m = re.fullmatch(r"(R[0-9]+)\t(\S+) Arg1:(T[0-9]+) Arg2:(T[0-9]+)", line)
                if not m:
                    fail("brat", name, f"{ann.name} line {no}: not 'R<n>\\tTYPE Arg1:T<n> Arg2:T<n>': {line!r}")
                    continue
                if m[1] in ids:
                    fail("brat", name, f"{ann.name} line {no}: id {m[1]} used twice")
                ids.add(m[1])
                r_lines.append((no, m[2], m[3], m[4]))
                continue
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
        got_relations = []
        for no, kind, a1, a2 in r_lines:
            if a1 not in t_spans or a2 not in t_spans:
                fail("brat", name, f"{ann.name} line {no}: relation to an id no T line defines before it")
            else:
                got_relations.append((*t_spans[a1], *t_spans[a2], kind))
        compare_spans("brat", name, text, doc["entities"], spans)
        compare_notes("brat", doc, got_notes)
        compare_relations("brat", doc, got_relations)
    n_rel = sum(len(d.get("relations", [])) for d in docs)
    return f"{len(docs)} documents, {sum(len(d['entities']) for d in docs)} entities, {n_rel} relations"


def brat_entity(frags, label):
    """A brat entity as the expected span: first fragment's start, last one's end."""
    return (frags[0][0], frags[-1][1], label)


def check_brat_with_brat(folder, docs, exp):
    """brat's own readers, as bratiaa ships them (bratsubset: brat's annotation.py and
    projectconfig.py): every .ann's entities and R lines, and annotation.conf's entity
    types, relation types (each expected relation's type allowed between its labels) and
    overlap rule (spanmark's spans nest and cross)."""
    import bratsubset.annotation as bs
    from bratsubset.projectconfig import ProjectConfiguration
    conf = ProjectConfiguration(str(folder))
    if conf.get_entity_types() != exp["labels"]:
        fail("brat/conf", "annotation.conf", f"entity types {conf.get_entity_types()}, expected {exp['labels']}")
    types = [t for t in conf.get_relation_types() if not t.startswith("<")]
    if types != list(exp["relation_types"]):
        fail("brat/conf", "annotation.conf", f"relation types {types}, expected {list(exp['relation_types'])}")
    for kind, (froms, tos) in exp["relation_types"].items():
        for a in exp["labels"]:
            for b in exp["labels"]:
                allowed = kind in conf.relation_types_from_to(a, b)
                if allowed != (a in froms and b in tos):
                    fail("brat/conf", "annotation.conf", f"{kind} from {a} to {b}: allowed is {allowed}")
    if not all(conf.spans_can_cross(a, b) and conf.span_can_contain(a, b) and conf.spans_can_be_equal(a, b)
               for a in exp["labels"] for b in exp["labels"]):
        fail("brat/conf", "annotation.conf", "spans may not nest or cross (no <OVERLAP> rule)")
    n = 0
    for doc in docs:
        with bs.Annotations(str(folder / doc["name"]), read_only=True) as ann:
            by_id = {t.id: brat_entity(t.spans, t.type) for t in ann.get_textbounds()}
            compare_spans("brat/brat", doc["name"], doc["text"], doc["entities"], list(by_id.values()))
            got = [(*by_id[r.arg1], *by_id[r.arg2], r.type) for r in ann.get_relations()]
        compare_relations("brat/brat", doc, got)
        n += len(got)
    return f"{len(docs)} documents, {n} relations, annotation.conf read by brat's projectconfig"


def check_brat_with_bratly(folder, docs):
    """bratly (a maintained brat standoff library from PyPI): its grammar check accepts
    every line, and its parser finds the expected entities and relations (it skips a line
    it cannot parse, so the counts matter)."""
    from bratly import EntityAnnotation, RelationAnnotation
    from bratly.io import parse_ann_file
    from bratly.io.file_read_src import parse_and_fix_ann_grammar
    n = 0
    for doc in docs:
        path = folder / f"{doc['name']}.ann"
        with open(path, encoding="utf-8", newline="") as f:
            source = f.read()
        try:
            parse_and_fix_ann_grammar(source)
        except Exception as err:  # bratly's ParsingError: a finding, not a crash
            fail("brat/bratly", doc["name"], f"grammar check: {type(err).__name__}: {err}")
        coll = parse_ann_file(source, str(path), no_duplicates=False, sorting=False, renumerotize=False)
        anns = coll.annotations
        ents = [a for a in anns if isinstance(a, EntityAnnotation)]
        rels = [a for a in anns if isinstance(a, RelationAnnotation)]
        def span(e):
            return brat_entity([(f.start, f.end) for f in e.fragments], e.label)
        compare_spans("brat/bratly", doc["name"], doc["text"], doc["entities"], [span(e) for e in ents])
        roles = [(r.argument1[0], r.argument2[0]) for r in rels]
        if any(r != ("Arg1", "Arg2") for r in roles):
            fail("brat/bratly", doc["name"], f"roles {roles}, expected Arg1 and Arg2")
        got = [(*span(r.argument1[1]), *span(r.argument2[1]), r.label) for r in rels]
        if len(rels) != sum(1 for ln in source.split("\n") if ln.startswith("R")):
            fail("brat/bratly", doc["name"], "bratly could not parse every R line")
        compare_relations("brat/bratly", doc, got)
        n += len(got)
    return f"{len(docs)} documents, {n} relations"


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
        spans, notes, relations = [], [], []
        for ann in task.get("annotations") or []:
            regions = {r.get("id"): r.get("value") or {} for r in ann.get("result") or []
                       if r.get("type") != "relation"}
            for res in ann.get("result") or []:
                if res.get("type") == "relation":
                    keys = {"type", "from_id", "to_id", "direction", "labels"}
                    labs = res.get("labels")
                    if (set(res) != keys or res.get("direction") != "right"
                            or not (isinstance(labs, list) and len(labs) == 1 and isinstance(labs[0], str))):
                        fail("labelstudio", name, f"relation {res!r} is not {{type, from_id, to_id, "
                             f"direction: right, labels: [TYPE]}}")
                        continue
                    ends = [regions.get(res.get(k)) for k in ("from_id", "to_id")]
                    if not all(ends):
                        fail("labelstudio", name, f"relation {res!r} points at no region")
                        continue
                    relations.append(tuple(x for v in ends for x in (v.get("start"), v.get("end"),
                                                                    (v.get("labels") or [None])[0])) + (labs[0],))
                    continue
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
        compare_relations("labelstudio", doc, relations)
    n_rel = sum(len(d.get("relations", [])) for d in docs)
    return f"{len(docs)} documents, {sum(len(d['entities']) for d in docs)} entities, {n_rel} relations"


def labelstudio_config(exp):
    """The labeling config the README gives for spanmark's Label Studio export: the
    named-entity template with the labels, plus <Relations> with the relation types."""
    from xml.sax.saxutils import quoteattr
    labels = "".join(f"<Label value={quoteattr(lb)}/>" for lb in exp["labels"])
    relations = "".join(f"<Relation value={quoteattr(t)}/>" for t in exp["relation_types"])
    return (f"<View><Relations>{relations}</Relations>"
            f"<Labels name=\"label\" toName=\"text\">{labels}</Labels>"
            f"<Text name=\"text\" value=\"$text\"/></View>")


def check_labelstudio_with_sdk(path, docs, exp):
    """label-studio-sdk's LabelInterface validates every annotation against the labeling
    config (regions: from_name, to_name, type, value; relations: type, direction,
    from_id and to_id naming regions of the same result); its relation labels must be
    the config's <Relation> values, which the SDK does not check itself."""
    from label_studio_sdk.label_interface import LabelInterface
    li = LabelInterface(labelstudio_config(exp))
    li.validate()
    tasks = json.loads(path.read_text(encoding="utf-8"))
    n = 0
    for doc, task in zip(docs, tasks):
        # (LabelInterface.validate_task calls validate_annotation without its argument
        # when a task has annotations, so its data check is done here as it does it.)
        for obj in li.objects:
            if obj.value_is_variable and (task.get("data") or {}).get(obj.value_name) is None:
                fail("labelstudio/sdk", doc["name"], f"no data.{obj.value_name} for <{obj.tag}>")
        for ann in task.get("annotations") or []:
            for err in li.validate_prediction(ann, return_errors=True):
                # A relation's errors come as one list.
                for e in err if isinstance(err, list) else [err]:
                    fail("labelstudio/sdk", doc["name"], e)
            for res in ann.get("result") or []:
                if res.get("type") == "relation":
                    n += 1
                    if not set(res.get("labels") or []) <= set(exp["relation_types"]):
                        fail("labelstudio/sdk", doc["name"], f"relation labels {res.get('labels')} "
                             f"are not the config's {list(exp['relation_types'])}")
    return f"{len(tasks)} tasks, {n} relations valid for the labeling config"


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


def check_csv_relations(path, docs):
    """out.relations.csv: a header, then per relation the document, type, both spans as
    start,end,label (as the spans file has them) and both spans' texts."""
    by_name = {d["name"]: d for d in docs}
    got = {n: [] for n in by_name}
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    header = ["document", "type", "from_start", "from_end", "from_label", "to_start", "to_end",
              "to_label", "from_text", "to_text"]
    if not rows or rows[0] != header:
        fail("csv-relations", path.name, f"header {rows[0] if rows else None}, expected {header}")
    for no, row in enumerate(rows[1:], 2):
        nums = [2, 3, 5, 6]
        if len(row) != 10 or not all(re.fullmatch(r"[0-9]+", row[i]) for i in nums) or row[0] not in by_name:
            fail("csv-relations", path.name, f"record {no}: bad row {row!r}")
            continue
        name, kind, fs, fe, fl, ts, te, tl, ftext, ttext = row
        fs, fe, ts, te = int(fs), int(fe), int(ts), int(te)
        text = by_name[name]["text"]
        if (ftext, ttext) != (text[fs:fe], text[ts:te]):
            fail("csv-relations", name, f"record {no}: texts {ftext!r}, {ttext!r} but "
                 f"{show(text, fs, fe, fl)} and {show(text, ts, te, tl)}")
        got[name].append((fs, fe, fl, ts, te, tl, kind))
    for doc in docs:
        compare_relations("csv-relations", doc, got[doc["name"]])
    return f"{len(rows) - 1} relations"


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
        for r in doc.get("relations", []):
            ok = (len(r) == 7 and list(r[:3]) in doc["entities"] and list(r[3:6]) in doc["entities"]
                  and r[6] in exp.get("relation_types", {}))
            if not ok:
                sys.exit(f"{path}: {doc['name']}: relation {r!r} is not between its entities, of a type")
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
        ("brat/brat", "brat", lambda p: check_brat_with_brat(p, docs, exp)),
        ("brat/bratly", "brat", lambda p: check_brat_with_bratly(p, docs)),
        ("labelstudio", "labelstudio.json", lambda p: check_labelstudio(p, docs)),
        ("labelstudio/sdk", "labelstudio.json", lambda p: check_labelstudio_with_sdk(p, docs, exp)),
        ("csv", "out.csv", lambda p: check_csv(p, docs)),
        ("csv-relations", "out.relations.csv", lambda p: check_csv_relations(p, docs)),
    ]
    present = [c for c in checks if (out / c[1]).exists()]
    files = lambda cs: ", ".join(dict.fromkeys(c[1] for c in cs))  # noqa: E731
    print(f"checking {files(present) or 'nothing'} in {out}; not present, "
          f"skipped: {files(c for c in checks if c not in present) or 'none'}")
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
