"""spaCy's own matching of a patterns file, for tests/interop_suggest.rs.

Usage: entity_ruler.py PATTERNS.jsonl CORPUS.jsonl
Prints one JSON object per document: {"matcher": [[start_char, end_char, label]...],
"ruler": [...]}: every phrase match (spaCy's PhraseMatcher over the blank English
tokenizer, as the EntityRuler builds it), and the entities the EntityRuler keeps
(it drops overlapping matches: the longest wins, then the leftmost).
"""

import json
import sys

import spacy
from spacy.matcher import PhraseMatcher


def main() -> None:
    patterns_path, corpus_path = sys.argv[1], sys.argv[2]
    with open(patterns_path, encoding="utf-8") as f:
        patterns = [json.loads(line) for line in f if line.strip()]
    phrases = [p for p in patterns if isinstance(p.get("pattern"), str)]
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(phrases)
    matcher = PhraseMatcher(nlp.vocab)
    for p in phrases:
        matcher.add(p["label"], [nlp.make_doc(p["pattern"])])
    with open(corpus_path, encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for line in f if line.strip()]
    for text in texts:
        doc = nlp(text)
        found = sorted(
            [doc[s:e].start_char, doc[s:e].end_char, nlp.vocab.strings[m]]
            for m, s, e in matcher(doc)
        )
        ents = sorted([e.start_char, e.end_char, e.label_] for e in doc.ents)
        print(json.dumps({"matcher": found, "ruler": ents}))


if __name__ == "__main__":
    main()
