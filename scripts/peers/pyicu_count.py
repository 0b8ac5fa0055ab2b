"""Peer: PyICU + collections.Counter with SPEC.md's semantics (what CorpusKit computes, in plain Python).

Reads a JSONL corpus (fields `title`, `text`), analyzed text = title + "\\n\\n" + text (just the text when the
title is empty), ICU word break (root locale), rule status >= 100, NFKC_Casefold (memoized per distinct
segment), typographic apostrophes (U+2018, U+2019, U+02BC) folded to ' (SPEC "Tokens" step 4), empty tokens
dropped. `-n 2`: bigrams within ICU sentences, joined by one space; sentences are
found with hard wraps undone (SPEC "Sentences": a run of blanks holding exactly one line break reads as spaces).
Writes `term<TAB>count` sorted by count desc, then UTF-8 bytes.

    python pyicu_count.py CORPUS.jsonl OUT.tsv [-n 1|2]
"""

import bisect
import json
import re
import sys
from collections import Counter

import icu


APOSTROPHES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u02bc": "'"})
BLANK_RUN = re.compile(r"[ \t\r\n]+")


def unwrap(text):
    """Lone line breaks (one LF, CR LF or CR in a run of blanks) become spaces; indices do not move."""
    def run(m):
        r = m.group(0)
        breaks = r.count("\r\n") + r.replace("\r\n", "").count("\r") + r.replace("\r\n", "").count("\n")
        return r.replace("\r", " ").replace("\n", " ") if breaks == 1 else r
    return BLANK_RUN.sub(run, text)


def main():
    path, out = sys.argv[1], sys.argv[2]
    n = int(sys.argv[4]) if len(sys.argv) > 4 and sys.argv[3] == "-n" else 1
    root = icu.Locale.getRoot()
    wb = icu.BreakIterator.createWordInstance(root)
    sb = icu.BreakIterator.createSentenceInstance(root)
    nfkc_cf = icu.Normalizer2.getNFKCCasefoldInstance()
    memo = {}
    counts = Counter()
    with open(path, "rb") as f:
        for line in f:
            o = json.loads(line)
            title = o.get("title") or ""
            text = o.get("text") or ""
            t = title + "\n\n" + text if title else text
            # UTF-16 offsets equal str indices only without astral characters
            if any(ord(c) > 0xFFFF for c in t):
                us = icu.UnicodeString(t)
                get = lambda a, b: str(us[a:b])  # noqa: E731
            else:
                get = lambda a, b: t[a:b]  # noqa: E731
            wb.setText(t)
            prev = wb.first()
            if n == 1:
                for b in wb:
                    if wb.getRuleStatus() >= 100:
                        s = get(prev, b)
                        w = memo.get(s)
                        if w is None:
                            w = memo[s] = nfkc_cf.normalize(s).translate(APOSTROPHES)
                        if w:
                            counts[w] += 1
                    prev = b
            else:
                sb.setText(unwrap(t))
                starts = [sb.first()] + list(sb)
                last_sent, last_tok = -1, None
                for b in wb:
                    if wb.getRuleStatus() >= 100:
                        s = get(prev, b)
                        w = memo.get(s)
                        if w is None:
                            w = memo[s] = nfkc_cf.normalize(s).translate(APOSTROPHES)
                        if w:
                            si = bisect.bisect_right(starts, prev)
                            if si == last_sent:
                                counts[last_tok + " " + w] += 1
                            last_sent, last_tok = si, w
                    prev = b
    with open(out, "w", encoding="utf-8") as f:
        for k in sorted(counts, key=lambda k: (-counts[k], k.encode("utf-8"))):
            f.write(f"{k}\t{counts[k]}\n")


if __name__ == "__main__":
    main()
