#!/usr/bin/env python3
"""A spaCy model as a spanmark suggestion command.

spanmark (Suggestions > Run command, or `spanmark suggest --command`) writes one JSON line
per document to stdin,

    {"id": 0, "text": "...", "labels": ["PERSON", "PLACE", ...],
     "spans": [{"start": 0, "end": 5, "label": "PLACE"}], "status": "done"}

and this script answers each with one line on stdout,

    {"id": 0, "spans": [{"start": 0, "end": 5, "label": "PLACE"}]}

in char offsets (spaCy's `start_char`/`end_char` are Python str offsets, which are chars).

Usage:
    python3 examples/spacy_recommender.py --model en_core_web_sm
    python3 examples/spacy_recommender.py --blank en --patterns patterns.jsonl
    python3 examples/spacy_recommender.py --model en_core_web_sm --patterns p.jsonl --only-known
    python3 examples/spacy_recommender.py --train
    python3 examples/spacy_recommender.py --train --model en_core_web_sm --epochs 10

The model in the loop (--train): label some documents by hand and mark them done; this
trains a blank NER (or updates --model's) on the done documents' spans, then proposes
spans on the others. Run it again after correcting and marking more documents done.
Progress goes to stderr, which spanmark shows. Labels are the project's own, so nothing
needs mapping. The done documents themselves get no proposals.

  --model NAME     any installed spaCy pipeline (its entities are proposed)
  --blank LANG     a blank pipeline for language LANG (the default: --blank en)
  --patterns FILE  an EntityRuler patterns file (JSONL: {"label", "pattern"}), added before
                   the model's own "ner" so patterns win; spanmark's {"label", "regex"}
                   lines are skipped (spaCy has no such patterns)
  --only-known     keep only spans whose label is one of the project's labels
  --train          train on the done documents first (see above)
  --epochs N       training passes over the done documents (default 20)
  --save DIR       with --train: also save the trained pipeline to DIR (for --model DIR)
"""

import argparse
import json
import random
import sys
import time


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


def log(message):
    """Progress for spanmark's status bar and error messages (stderr: stdout is answers)."""
    print(f"spacy_recommender: {message}", file=sys.stderr, flush=True)


def train(nlp, done, epochs, spacy):
    """Trains nlp's "ner" on the done requests' spans (char offsets), in place."""
    from spacy.training import Example
    from spacy.util import filter_spans, minibatch

    if "ner" not in nlp.pipe_names:
        nlp.add_pipe("ner", last=True)
        fresh = True
    else:
        fresh = False
    ner = nlp.get_pipe("ner")
    examples = []
    skipped = 0
    for request in done:
        doc = nlp.make_doc(request["text"])
        ents = []
        for s in request.get("spans", []):
            span = doc.char_span(s["start"], s["end"], label=s["label"],
                                 alignment_mode="expand")
            if span is None:
                skipped += 1
                continue
            ents.append(span)
            ner.add_label(s["label"])
        kept = filter_spans(ents)  # spaCy's entities cannot overlap: the longest wins
        skipped += len(ents) - len(kept)
        reference = nlp.make_doc(request["text"])
        reference.ents = [reference.char_span(e.start_char, e.end_char, label=e.label_)
                          for e in kept]
        examples.append(Example(doc, reference))
    if skipped:
        log(f"{skipped} nested or overlapping spans left out of training")
    spacy.util.fix_random_seed(0)
    if fresh:
        optimizer = nlp.initialize(lambda: examples)
    else:
        optimizer = nlp.resume_training()
    others = [p for p in nlp.pipe_names if p != "ner"]
    started = time.monotonic()
    with nlp.select_pipes(disable=others):
        for epoch in range(1, epochs + 1):
            random.shuffle(examples)
            losses = {}
            for batch in minibatch(examples, size=8):
                nlp.update(batch, drop=0.2, sgd=optimizer, losses=losses)
            log(f"epoch {epoch}/{epochs}: loss {losses.get('ner', 0.0):.1f} "
                f"({time.monotonic() - started:.0f} s)")


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--model", help="an installed spaCy pipeline")
    source.add_argument("--blank", default="en", help="blank pipeline language")
    parser.add_argument("--patterns", help="EntityRuler patterns file (JSONL)")
    parser.add_argument("--only-known", action="store_true",
                        help="drop labels the project does not have")
    parser.add_argument("--train", action="store_true",
                        help="train on the done documents, then propose on the others")
    parser.add_argument("--epochs", type=int, default=20,
                        help="training passes with --train (default 20)")
    parser.add_argument("--save", help="with --train: save the trained pipeline here")
    args = parser.parse_args()
    if args.epochs < 1:
        parser.error("--epochs must be at least 1")

    try:
        import spacy  # after parsing, so --help works without spaCy
    except ImportError:
        sys.exit(f"spaCy is not installed for {sys.executable}: pip install spacy")

    nlp = spacy.load(args.model) if args.model else spacy.blank(args.blank)
    if args.patterns:
        before = {"before": "ner"} if "ner" in nlp.pipe_names else {}
        ruler = nlp.add_pipe("entity_ruler", **before)
        ruler.add_patterns(read_patterns(args.patterns))
    elif not args.model and not args.train:
        sys.exit("a blank pipeline finds nothing: give --patterns FILE, --model NAME or "
                 "--train")

    if args.train:
        # Every request first: the done ones train the model that answers the rest.
        pending = [r for _, r in requests()]
        done = [r for r in pending if r.get("status") == "done"]
        log(f"{len(pending)} documents read, {len(done)} marked done")
        if done:
            log(f"training on {len(done)} documents, "
                f"{sum(len(r.get('spans', [])) for r in done)} spans")
            train(nlp, done, args.epochs, spacy)
            if args.save:
                nlp.to_disk(args.save)
                log(f"saved the pipeline to {args.save}")
        elif not args.model:
            sys.exit("nothing to train on: mark some labelled documents done (the "
                     "requests carry no \"status\": \"done\"; spanmark sends it since "
                     "the protocol's spans and status were added)")
        for request in pending:
            if request.get("status") == "done":
                print(json.dumps({"id": request["id"], "spans": []}), flush=True)
        rest = [(r["text"], r) for r in pending if r.get("status") != "done"]
        log(f"proposing on {len(rest)} documents")
        stream = rest
    else:
        stream = requests()

    # Small batches: answers (and spanmark's progress bar) keep flowing.
    for doc, request in nlp.pipe(stream, as_tuples=True, batch_size=16):
        known = set(request.get("labels", []))
        spans = [
            {"start": ent.start_char, "end": ent.end_char, "label": ent.label_}
            for ent in doc.ents
            if not args.only_known or ent.label_ in known
        ]
        print(json.dumps({"id": request["id"], "spans": spans}), flush=True)


if __name__ == "__main__":
    main()
