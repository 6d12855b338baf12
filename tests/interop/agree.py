"""Cross-checks `spanmark agree --json` against the reference implementations.

usage: agree.py AGREE.json BRAT_ROOT A.conll B.conll

- BRAT_ROOT is a bratiaa project: annotation.conf plus one folder per annotator holding
  spanmark's brat export (`spanmark export -f brat`). bratiaa's instance-level F1 (exact
  match of label and offsets) must equal spanmark's exact F1: overall, per label and per
  document.
- A.conll and B.conll are spanmark's CoNLL exports of the two projects. Their tags, with
  the B-/I- prefix dropped (label names plus O), given to scikit-learn's
  `cohen_kappa_score`, must give spanmark's `cohen_kappa`.

Prints `ok ...` per check; exits 1 naming the first mismatch.
"""

import json
import math
import sys
from pathlib import Path

from bratiaa import compute_f1_agreement
from sklearn.metrics import cohen_kappa_score

TOLERANCE = 1e-9


def fail(msg):
    print(f"FAIL {msg}")
    sys.exit(1)


def same(what, ours, theirs):
    if not math.isclose(ours, theirs, rel_tol=0, abs_tol=TOLERANCE):
        fail(f"{what}: spanmark {ours!r}, reference {theirs!r}")


def read_conll(path):
    """(token, label) per token line: label is the tag without its B-/I- prefix, or O."""
    out = []
    for no, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        fields = line.split()
        if fields[0] == "-DOCSTART-":
            continue
        if len(fields) != 4:
            fail(f"{path} line {no}: not 'TOKEN -X- _ TAG': {line!r}")
        tag = fields[-1]
        out.append((fields[0], "O" if tag == "O" else tag.split("-", 1)[1]))
    return out


def main():
    report_path, root, conll_a, conll_b = sys.argv[1:5]
    report = json.loads(Path(report_path).read_text(encoding="utf-8"))
    if len(report["pairs"]) != 1:
        fail("expected two annotators")
    pair = report["pairs"][0]

    # bratiaa: annotators are the sorted folder names, documents the sorted .ann paths.
    f1 = compute_f1_agreement(root)
    if f1.annotators != sorted([pair["a"], pair["b"]]):
        fail(f"bratiaa annotators {f1.annotators}, spanmark {pair['a']}, {pair['b']}")
    mean, _ = f1.mean_sd_total()
    same("overall exact F1", pair["f1"], float(mean))
    print(f"ok bratiaa overall F1 {float(mean):.6f}")

    means, _ = f1.mean_sd_per_label()
    checked = 0
    for label, theirs in zip(f1.labels, means):
        ours = pair["per_label"].get(label)
        if math.isnan(theirs):
            # bratiaa's 0/0: neither annotator used the label; spanmark leaves it out
            # (or counts agreement on nothing as 1).
            if ours is not None and ours["f1"] != 1.0:
                fail(f"label {label}: bratiaa has no spans, spanmark F1 {ours['f1']}")
            continue
        if ours is None:
            fail(f"label {label}: bratiaa F1 {theirs}, spanmark has no entry")
        same(f"label {label} exact F1", ours["f1"], float(theirs))
        checked += 1
    if checked != len(pair["per_label"]):
        fail(f"spanmark has labels bratiaa does not: {sorted(pair['per_label'])}")
    print(f"ok bratiaa F1 of {checked} labels")

    means, _ = f1.mean_sd_per_document()
    ours_docs = {d["name"]: d["f1"] for d in report["documents"]}
    for doc, theirs in zip(f1.documents, means):
        name = Path(doc).stem
        if name not in ours_docs:
            fail(f"document {doc}: in bratiaa, not in spanmark's report")
        same(f"document {name} exact F1", ours_docs.pop(name), float(theirs))
    if ours_docs:
        fail(f"documents bratiaa did not see: {sorted(ours_docs)}")
    print(f"ok bratiaa F1 of {len(f1.documents)} documents")

    a, b = read_conll(conll_a), read_conll(conll_b)
    if [t for t, _ in a] != [t for t, _ in b]:
        fail("the two CoNLL exports have different tokens")
    kappa = cohen_kappa_score([l for _, l in a], [l for _, l in b])
    if report.get("cohen_kappa") is None:
        fail("spanmark reported no cohen_kappa")
    if report.get("tokens") != len(a):
        fail(f"spanmark compared {report.get('tokens')} tokens, the exports have {len(a)}")
    same("Cohen's kappa", report["cohen_kappa"], float(kappa))
    print(f"ok scikit-learn cohen_kappa_score {kappa:.6f} over {len(a)} tokens")


if __name__ == "__main__":
    main()
