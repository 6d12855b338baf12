#!/usr/bin/env python3
"""A spaCy model as a spanmark suggestion command.

spanmark (Suggestions > Command, or `spanmark suggest --command`) writes one JSON line per
document to stdin,

    {"id": 0, "text": "...", "labels": ["PERSON", "PLACE", ...]}

and this script answers each with one line on stdout,

    {"id": 0, "spans": [{"start": 0, "end": 5, "label": "PLACE"}]}

in char offsets (spaCy's `start_char`/`end_char` are Python str offsets, which are chars).

Usage:
    python3 examples/spacy_recommender.py --model en_core_web_sm
    python3 examples/spacy_recommender.py --blank en --patterns patterns.jsonl
    python3 examples/spacy_recommender.py --model en_core_web_sm --patterns p.jsonl --only-known

  --model NAME     any installed spaCy pipeline (its entities are proposed)
  --blank LANG     a blank pipeline for language LANG (the default: --blank en)
  --patterns FILE  an EntityRuler patterns file (JSONL: {"label", "pattern"}), added before
                   the model's own "ner" so patterns win; spanmark's {"label", "regex"}
                   lines are skipped (spaCy has no such patterns)
  --only-known     keep only spans whose label is one of the project's labels
"""

import argparse
import json
import sys


def read_patterns(path):
    """The file's spaCy patterns; spanmark's regex lines are left out with a note."""
    patterns = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            entry = json.loads(line)
            if "regex" in entry:
                print(f"{path}:{number}: regex patterns are spanmark's own, skipped",
                      file=sys.stderr)
                continue
            patterns.append(entry)
    return patterns


def requests():
    """(text, request) pairs from stdin, one per JSON line."""
    for line in sys.stdin:
        if line.strip():
            request = json.loads(line)
            yield request["text"], request


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--model", help="an installed spaCy pipeline")
    source.add_argument("--blank", default="en", help="blank pipeline language")
    parser.add_argument("--patterns", help="EntityRuler patterns file (JSONL)")
    parser.add_argument("--only-known", action="store_true",
                        help="drop labels the project does not have")
    args = parser.parse_args()

    try:
        import spacy  # after parsing, so --help works without spaCy
    except ImportError:
        sys.exit(f"spaCy is not installed for {sys.executable}: pip install spacy")

    nlp = spacy.load(args.model) if args.model else spacy.blank(args.blank)
    if args.patterns:
        before = {"before": "ner"} if "ner" in nlp.pipe_names else {}
        ruler = nlp.add_pipe("entity_ruler", **before)
        ruler.add_patterns(read_patterns(args.patterns))
    elif not args.model:
        sys.exit("a blank pipeline finds nothing: give --patterns FILE or --model NAME")

    # Small batches: answers (and spanmark's progress bar) keep flowing.
    for doc, request in nlp.pipe(requests(), as_tuples=True, batch_size=16):
        known = set(request.get("labels", []))
        spans = [
            {"start": ent.start_char, "end": ent.end_char, "label": ent.label_}
            for ent in doc.ents
            if not args.only_known or ent.label_ in known
        ]
        print(json.dumps({"id": request["id"], "spans": spans}), flush=True)


if __name__ == "__main__":
    main()
