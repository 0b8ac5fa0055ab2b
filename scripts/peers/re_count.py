"""Peer: Python `re` + collections.Counter — the quick script many users write.

Lowercased `\\w+` matches of title + "\\n\\n" + text per JSONL record; `-n 2`: adjacent pairs within a record.
Writes `term<TAB>count`.   python re_count.py CORPUS.jsonl OUT.tsv [-n 1|2]
"""

import json
import re
import sys
from collections import Counter

WORD = re.compile(r"\w+")


def main():
    path, out = sys.argv[1], sys.argv[2]
    n = int(sys.argv[4]) if len(sys.argv) > 4 and sys.argv[3] == "-n" else 1
    counts = Counter()
    with open(path, "rb") as f:
        for line in f:
            o = json.loads(line)
            title = o.get("title") or ""
            t = (title + "\n\n" + (o.get("text") or "")) if title else (o.get("text") or "")
            toks = WORD.findall(t.lower())
            if n == 1:
                counts.update(toks)
            else:
                counts.update(a + " " + b for a, b in zip(toks, toks[1:]))
    with open(out, "w", encoding="utf-8") as f:
        for k, v in counts.most_common():
            f.write(f"{k}\t{v}\n")


if __name__ == "__main__":
    main()
