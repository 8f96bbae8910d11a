"""Finds named entities in whole texts (one JSON string per line) with the
spaCy model named in argv[2]; prints characters per second, then one JSON
list of [start, end, label] per text (character offsets, code points)."""
import json
import sys
import time

import spacy

nlp = spacy.load(sys.argv[2], disable=["parser", "lemmatizer"])
texts = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8")]
start = time.time()
out = []
for doc in nlp.pipe(texts, batch_size=32):
    out.append([[e.start_char, e.end_char, e.label_] for e in doc.ents])
seconds = time.time() - start
print(sum(len(t) for t in texts) / max(seconds, 1e-9))
for ents in out:
    print(json.dumps(ents))
