"""Peer: scikit-learn CountVectorizer (default token pattern, lowercase) over title + "\\n\\n" + text.

    python sklearn_count.py CORPUS.jsonl OUT.tsv [-n 1|2]     (-n 2 = ngram_range=(1, 2))
Writes `term<TAB>count` (column sums of the document-term matrix).
"""

import json
import sys

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer


def texts(path):
    with open(path, "rb") as f:
        for line in f:
            o = json.loads(line)
            title = o.get("title") or ""
            yield (title + "\n\n" + (o.get("text") or "")) if title else (o.get("text") or "")


def main():
    path, out = sys.argv[1], sys.argv[2]
    n = int(sys.argv[4]) if len(sys.argv) > 4 and sys.argv[3] == "-n" else 1
    cv = CountVectorizer(ngram_range=(1, n))
    X = cv.fit_transform(texts(path))
    sums = np.asarray(X.sum(axis=0)).ravel()
    vocab = cv.get_feature_names_out()
    order = np.argsort(-sums, kind="stable")
    with open(out, "w", encoding="utf-8") as f:
        for i in order:
            f.write(f"{vocab[i]}\t{sums[i]}\n")


if __name__ == "__main__":
    main()
