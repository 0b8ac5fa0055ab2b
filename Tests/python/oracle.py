#!/usr/bin/env python3
"""Independent oracle for CorpusKit: SPEC.md and the CLI contract, re-implemented in Python with PyICU.

Nothing here calls or reads the Swift code. Every number CorpusKit prints can be recomputed from:

* readers   -- Reuters-21578 SGML (own regex parser, Windows-1252), speeches / plain text (year from the
               file name, UTF-8 else Windows-1252), JSONL;
* tokenize  -- ICU word break (root locale), rule status >= 100, NFKC_Casefold, empty dropped, typographic
               apostrophes folded to '; ICU sentence break over the text with hard line wraps undone; a
               token belongs to the sentence in which it starts;
* counts    -- terms, n-grams (skip-grams, stopwords), co-occurrence (window / sentence / document),
               collocates, association measures (SPEC.md "Association measures"), periods, trends, rising,
               keyness, Kleinberg bursts (parameters from the CLI contract).

A corpus is kept as a list of `Doc(id, date, sentences)` where `sentences` lists the sentences that hold at
least one token, each a list of normalized terms. That is all every analyzer needs.

Use as a library (the pytest suite does) or from the command line:

    python oracle.py terms  PATH... [--input-format text|reuters|jsonl|auto]
    python oracle.py ngrams PATH... -n 2 [--skip K]
    python oracle.py cooc   PATH... [--window W | --scope sentence|document]
    python oracle.py tokens TEXT

(TSV on stdout, the same columns and row order as CorpusKit.)
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import hashlib
import html
import json
import math
import os
import pickle
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import icu  # PyICU

UTC = dt.timezone.utc

# --------------------------------------------------------------------------------------------------
# Documents
# --------------------------------------------------------------------------------------------------


@dataclasses.dataclass
class RawDoc:
    """A document as a reader produces it."""

    id: str
    date: dt.datetime | None  # UTC
    title: str | None
    body: str
    source: str = ""

    def analyzed_text(self) -> str:
        """SPEC.md: title + blank line + body, or just the body when there is no (or an empty) title."""
        if self.title:
            return self.title + "\n\n" + self.body
        return self.body


@dataclasses.dataclass
class Doc:
    """A tokenized document: only what the counters need."""

    id: str
    date: dt.datetime | None
    sentences: list[list[str]]  # sentences holding >= 1 token, in order

    @property
    def tokens(self) -> list[str]:
        return [t for s in self.sentences for t in s]

    @property
    def n_tokens(self) -> int:
        return sum(len(s) for s in self.sentences)


_CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # Cc except \t (09) and \n (0a)


def drop_controls(s: str) -> str:
    """Control characters other than \\n and \\t are dropped (the contract)."""
    return _CONTROL_RE.sub("", s)


# ---- Reuters-21578 SGML ---------------------------------------------------------------------------

_REUTERS_RE = re.compile(r"<REUTERS\b([^>]*)>(.*?)</REUTERS>", re.S)
_NEWID_RE = re.compile(r'\bNEWID="(\d+)"')
_DATE_RE = re.compile(r"<DATE>(.*?)</DATE>", re.S)
_TEXT_RE = re.compile(r"<TEXT\b[^>]*>(.*?)</TEXT>", re.S)
_TITLE_RE = re.compile(r"<TITLE>(.*?)</TITLE>", re.S)
_BODY_RE = re.compile(r"<BODY>(.*?)</BODY>", re.S)
_TAG_RE = re.compile(r"<[^>]*>")
_ENTITY_RE = re.compile(r"&(lt|gt|amp|#(\d+)|#[xX]([0-9a-fA-F]+));")
_REUTERS_DAY_RE = re.compile(r"(\d{1,2})-([A-Za-z]{3})-(\d{4})")
_REUTERS_TIME_RE = re.compile(r"\s+(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d+))?(?!\d)")
_MONTHS = {m: i + 1 for i, m in enumerate(
    ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"])}


def _entity(m: re.Match) -> str:
    name = m.group(1)
    if name == "lt":
        return "<"
    if name == "gt":
        return ">"
    if name == "amp":
        return "&"
    code = int(m.group(2)) if m.group(2) is not None else int(m.group(3), 16)
    try:
        return chr(code)
    except (ValueError, OverflowError):
        return "\ufffd"


def sgml_text(fragment: str) -> str:
    """Tags stripped first (so `&lt;SRD>` stays text), then entities decoded, then control chars dropped."""
    return drop_controls(_ENTITY_RE.sub(_entity, _TAG_RE.sub("", fragment)))


def parse_reuters_date(s: str) -> dt.datetime | None:
    """`26-FEB-1987 15:02:20.00` (some have leading blanks or trailing `&#5;&#5;&#5;C T` noise); UTC.
    A garbled time (`31-MAR-1987 605:12:19.12`) keeps the day at 00:00."""
    m = _REUTERS_DAY_RE.search(s)
    if not m:
        return None
    day, mon, year = m.groups()
    month = _MONTHS.get(mon.upper())
    if month is None:
        return None
    t = _REUTERS_TIME_RE.match(s, m.end())
    if not t:
        return dt.datetime(int(year), month, int(day), tzinfo=UTC)
    hh, mm, ss, frac = t.groups()
    micro = int((frac or "0").ljust(6, "0")[:6])
    return dt.datetime(int(year), month, int(day), int(hh), int(mm), int(ss), micro, tzinfo=UTC)


# How to build the body of an article without <BODY>. The contract says "the text of <TEXT> with tags
# stripped"; read literally that keeps the <TITLE> text too (the title then appears twice in the analyzed
# text). "no-title" (default, what the CorpusReaders module decided) removes the <TITLE> element first;
# "literal" follows the contract word for word.
REUTERS_NO_BODY = os.environ.get("ORACLE_REUTERS_NO_BODY", "no-title")


def read_reuters(path: str | Path) -> list[RawDoc]:
    data = Path(path).read_bytes().decode("cp1252", errors="replace")
    docs = []
    for m in _REUTERS_RE.finditer(data):
        attrs, inner = m.group(1), m.group(2)
        nid = _NEWID_RE.search(attrs)
        doc_id = nid.group(1) if nid else str(len(docs) + 1)
        dm = _DATE_RE.search(inner)
        date = parse_reuters_date(dm.group(1)) if dm else None
        tm = _TEXT_RE.search(inner)
        text = tm.group(1) if tm else ""
        ti = _TITLE_RE.search(text)
        title = sgml_text(ti.group(1)) if ti else None
        bo = _BODY_RE.search(text)
        if bo:
            body = sgml_text(bo.group(1))
        elif REUTERS_NO_BODY == "no-title":
            body = sgml_text(_TITLE_RE.sub("", text))
        else:
            body = sgml_text(text)
        docs.append(RawDoc(doc_id, date, title, body, str(path)))
    return docs


# ---- plain text / speeches --------------------------------------------------------------------------

_YEAR_RE = re.compile(r"^(\d{4})")


def decode_auto(b: bytes) -> str:
    """`--encoding auto` (the default): UTF-8 when the bytes are valid UTF-8, else Windows-1252 as the WHATWG
    Encoding Standard defines it (the five bytes cp1252 leaves undefined are the C1 controls)."""
    try:
        return b.decode("utf-8")
    except UnicodeDecodeError:
        return "".join(chr(x) if x in (0x81, 0x8D, 0x8F, 0x90, 0x9D) else bytes([x]).decode("cp1252") for x in b)


def read_text(path: str | Path) -> RawDoc:
    """Whole file = body, no title; --encoding auto; dated Jan 1 of a leading YYYY in the file name."""
    p = Path(path)
    body = decode_auto(p.read_bytes())
    m = _YEAR_RE.match(p.name)
    date = dt.datetime(int(m.group(1)), 1, 1, tzinfo=UTC) if m else None
    return RawDoc(p.stem, date, None, body, str(p))


# ---- JSONL ----------------------------------------------------------------------------------------


def parse_iso_date(s: str) -> dt.datetime | None:
    s = s.strip()
    try:
        if len(s) == 10:
            d = dt.date.fromisoformat(s)
            return dt.datetime(d.year, d.month, d.day, tzinfo=UTC)
        d = dt.datetime.fromisoformat(s.replace("Z", "+00:00"))
        if d.tzinfo is None:
            return d.replace(tzinfo=UTC)
        return d.astimezone(UTC)
    except ValueError:
        return None


def read_jsonl(path: str | Path, text_field="text", title_field="title", date_field="date",
               id_field="id") -> list[RawDoc]:
    docs = []
    with open(path, "rb") as f:
        for i, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            o = json.loads(line.decode("utf-8", errors="replace"))
            date = parse_iso_date(o[date_field]) if isinstance(o.get(date_field), str) else None
            title = o.get(title_field)
            docs.append(RawDoc(str(o.get(id_field, i)), date, title if isinstance(title, str) else None,
                               str(o.get(text_field) or ""), f"{path}:{i}"))
    return docs


def read_inputs(paths: Sequence[str | Path], input_format: str = "auto") -> list[RawDoc]:
    """Files and folders (folder contents sorted by name). `auto`: reut2-*.sgm as Reuters, *.jsonl as
    JSONL, other files as plain text. In a folder under `auto` with reut2-*.sgm files, only those are read."""
    out: list[RawDoc] = []
    for p in map(Path, paths):
        files = sorted(x for x in p.iterdir() if x.is_file()) if p.is_dir() else [p]
        if p.is_dir() and input_format in ("auto", "reuters") and any(
                x.name.startswith("reut2-") and x.suffix == ".sgm" for x in files):
            files = [x for x in files if x.name.startswith("reut2-") and x.suffix == ".sgm"]
        elif p.is_dir() and input_format == "text":
            files = [x for x in files if x.suffix == ".txt"]
        for f in files:
            fmt = input_format
            if fmt == "auto":
                fmt = "reuters" if f.suffix == ".sgm" else "jsonl" if f.suffix == ".jsonl" else "text"
            if fmt == "reuters":
                out.extend(read_reuters(f))
            elif fmt == "jsonl":
                out.extend(read_jsonl(f))
            else:
                out.append(read_text(f))
    return out


# --------------------------------------------------------------------------------------------------
# Tokens and sentences
# --------------------------------------------------------------------------------------------------

_ASTRAL_RE = re.compile("[\U00010000-\U0010ffff]")

NORMALIZERS = {
    "nfkc-casefold": icu.Normalizer2.getNFKCCasefoldInstance(),
    "nfkc": icu.Normalizer2.getNFKCInstance(),
    "nfc": icu.Normalizer2.getNFCInstance(),
}


def _utf16_map(text: str) -> list[int] | None:
    """UTF-16 offset -> Python index, or None when both are the same (no astral characters)."""
    if not _ASTRAL_RE.search(text):
        return None
    m = []
    for i, ch in enumerate(text):
        m.append(i)
        if ord(ch) > 0xFFFF:
            m.append(i)  # the low surrogate never is a boundary
    m.append(len(text))
    return m


# SPEC "Tokens" step 4: typographic apostrophes fold to U+0027 after normalization.
APOSTROPHES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u02bc": "'"})

_BLANKS_RE = re.compile(r"[ \t\r\n]+")
_LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")


def unwrap_hard_wraps(text: str) -> str:
    """SPEC "Sentences": a run of spaces, tabs and line breaks holding exactly one line break (LF, CR LF or
    CR) has its line break read as spaces; runs with two or more (a blank line) are kept. Character for
    character, so indices do not move."""
    def one(m: re.Match) -> str:
        run = m.group(0)
        if len(_LINE_BREAK_RE.findall(run)) != 1:
            return run
        return run.replace("\r", " ").replace("\n", " ")
    return _BLANKS_RE.sub(one, text)


class Tokenizer:
    """ICU word + sentence segmentation and normalization, SPEC.md "Tokens" and "Sentences"."""

    def __init__(self, locale: str | None = None, normalize: str = "nfkc-casefold", fold_apostrophes: bool = True,
                 sentence_breaks: str = "unwrap"):
        loc = icu.Locale(locale) if locale else icu.Locale.getRoot()
        self.wb = icu.BreakIterator.createWordInstance(loc)
        self.sb = icu.BreakIterator.createSentenceInstance(loc)
        self.normalize_mode = normalize
        self.fold_apostrophes = fold_apostrophes
        self.sentence_breaks = sentence_breaks
        self._cache: dict[str, str] = {}

    def norm(self, s: str) -> str:
        r = self._cache.get(s)
        if r is None:
            mode = self.normalize_mode
            if mode in NORMALIZERS:
                r = NORMALIZERS[mode].normalize(s)
            elif mode == "lowercase":
                r = str(icu.UnicodeString(s).toLower(icu.Locale.getRoot()))
            else:
                r = s
            if self.fold_apostrophes:
                r = r.translate(APOSTROPHES)
            self._cache[s] = r
        return r

    def segments(self, text: str) -> Iterator[tuple[int, int, int]]:
        """(start, end, rule status) of every word-break segment, in Python string indices."""
        m = _utf16_map(text)
        wb = self.wb
        wb.setText(text)
        prev = wb.first()
        for b in wb:
            st = wb.getRuleStatus()
            if m is None:
                yield prev, b, st
            else:
                yield m[prev], m[b], st
            prev = b

    def sentence_starts(self, text: str) -> list[int]:
        if self.sentence_breaks == "unwrap":
            text = unwrap_hard_wraps(text)
        m = _utf16_map(text)
        sb = self.sb
        sb.setText(text)
        starts = [sb.first()]
        for b in sb:
            starts.append(b)
        starts.pop()  # the end of the text
        return starts if m is None else [m[x] for x in starts]

    def tokens(self, text: str) -> list[str]:
        out = []
        norm = self.norm
        for a, b, st in self.segments(text):
            if st >= 100:
                t = norm(text[a:b])
                if t:
                    out.append(t)
        return out

    def sentences(self, text: str) -> list[list[str]]:
        """Sentences holding at least one token, each a list of normalized tokens."""
        starts = self.sentence_starts(text)
        sents: dict[int, list[str]] = {}
        norm = self.norm
        for a, b, st in self.segments(text):
            if st >= 100:
                t = norm(text[a:b])
                if t:
                    si = bisect.bisect_right(starts, a) - 1
                    sents.setdefault(si, []).append(t)
        return [sents[k] for k in sorted(sents)]

    def all_segments(self, text: str) -> list[tuple[str, str]]:
        """(segment, kind) as `corpuskit tokens --all-segments --normalize none` prints them."""
        return [(text[a:b], status_kind(st)) for a, b, st in self.segments(text)]


def status_kind(st: int) -> str:
    if st < 100:
        return "none"
    if st < 200:
        return "number"
    if st < 300:
        return "letter"
    if st < 400:
        return "kana"
    return "ideographic"


_TOKENIZER: Tokenizer | None = None


def default_tokenizer() -> Tokenizer:
    global _TOKENIZER
    if _TOKENIZER is None:
        _TOKENIZER = Tokenizer()
    return _TOKENIZER


def tokenize_docs(raw: Iterable[RawDoc], tok: Tokenizer | None = None) -> list[Doc]:
    tok = tok or default_tokenizer()
    return [Doc(r.id, r.date, tok.sentences(r.analyzed_text())) for r in raw]


# ---- disk cache (tokenizing Reuters takes a while; the cache key holds the inputs' sizes and mtimes,
# this file's hash and the ICU version) ---------------------------------------------------------------

CACHE_DIR = Path(os.environ.get("ORACLE_CACHE", "/tmp/corpuskit-oracle-cache"))


def _fingerprint(paths: Sequence[str | Path], input_format: str) -> str:
    h = hashlib.sha256()
    h.update(Path(__file__).read_bytes())
    h.update(f"{icu.ICU_VERSION}|{input_format}|{REUTERS_NO_BODY}".encode())
    for p in map(Path, paths):
        files = sorted(p.rglob("*")) if p.is_dir() else [p]
        for f in files:
            if f.is_file():
                s = f.stat()
                h.update(f"{f.resolve()}|{s.st_size}|{s.st_mtime_ns}".encode())
    return h.hexdigest()[:32]


def load_corpus(paths: Sequence[str | Path], input_format: str = "auto", cache: bool = True) -> list[Doc]:
    """Read and tokenize; cached on disk under $ORACLE_CACHE (default /tmp/corpuskit-oracle-cache)."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    key = _fingerprint(paths, input_format)
    cf = CACHE_DIR / f"{key}.pickle"
    if cache and cf.exists():
        try:
            with open(cf, "rb") as f:
                return pickle.load(f)
        except Exception:  # a broken cache file is rebuilt
            pass
    docs = tokenize_docs(read_inputs(paths, input_format))
    if cache:
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        tmp = cf.with_suffix(f".{os.getpid()}.tmp")
        with open(tmp, "wb") as f:
            pickle.dump(docs, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, cf)
    return docs


# --------------------------------------------------------------------------------------------------
# Ordering
# --------------------------------------------------------------------------------------------------


def key_bytes(k) -> tuple:
    if isinstance(k, tuple):
        return tuple(x.encode("utf-8") for x in k)
    return (k.encode("utf-8"),)


def sort_rows(counts: dict, docs: dict | None = None) -> list:
    """count desc, then key UTF-8 bytes asc (pairs: term1 then term2). Python compares str by code point,
    which is the UTF-8 byte order (no surrogates occur in decoded text)."""
    return sorted(counts, key=lambda k: (-counts[k], k))


# --------------------------------------------------------------------------------------------------
# Counting
# --------------------------------------------------------------------------------------------------


_MEMO: dict = {}


def memoized(fn):
    """Memoize an analyzer on (the identity of its document list, its other arguments). The list is kept
    in the memo so its id cannot be reused. Results are shared: callers must not modify them."""
    import functools

    @functools.wraps(fn)
    def wrapper(docs, *args, **kwargs):
        try:
            key = (fn.__name__, id(docs), args, tuple(sorted((k, frozenset(v) if isinstance(v, set) else v)
                                                             for k, v in kwargs.items())))
            hash(key)
        except TypeError:
            return fn(docs, *args, **kwargs)
        hit = _MEMO.get(key)
        if hit is not None and hit[0] is docs:
            return hit[1]
        res = fn(docs, *args, **kwargs)
        _MEMO[key] = (docs, res)
        return res

    return wrapper


@dataclasses.dataclass
class Table:
    count: Counter
    docs: Counter
    N: int

    def rows(self) -> list:
        """Keys in output order (cached; do not modify the table afterwards)."""
        r = self.__dict__.get("_rows")
        if r is None:
            r = self.__dict__["_rows"] = sort_rows(self.count)
        return r


def load_stopwords(path_or_words) -> set[str]:
    if isinstance(path_or_words, (set, frozenset, list, tuple)):
        return set(path_or_words)
    words = set()
    for line in Path(path_or_words).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            words.add(NORMALIZERS["nfkc-casefold"].normalize(line))
    return words


@memoized
def terms(docs: list[Doc], stopwords: set[str] | None = None) -> Table:
    count: Counter = Counter()
    dcount: Counter = Counter()
    N = 0
    for d in docs:
        toks = d.tokens
        N += len(toks)
        count.update(toks)
        dcount.update(set(toks))
    if stopwords:
        for w in stopwords:
            count.pop(w, None)
            dcount.pop(w, None)
    return Table(count, dcount, N)


def sentence_ngrams(sent: Sequence[str], n: int, skip: int = 0) -> Iterator[tuple[int, ...]]:
    """Position tuples of the n-grams of one sentence; each gap between neighbours 0..skip (quanteda
    skip = 0:K). n = 2: pairs (i, j) with 1 <= j - i <= skip + 1."""
    L = len(sent)
    if skip == 0:
        for i in range(L - n + 1):
            yield tuple(range(i, i + n))
        return

    def rec(prefix):
        if len(prefix) == n:
            yield tuple(prefix)
            return
        last = prefix[-1]
        for g in range(skip + 1):
            j = last + 1 + g
            if j >= L:
                break
            yield from rec(prefix + [j])

    for i in range(L):
        yield from rec([i])


@memoized
def ngrams(docs: list[Doc], n: int = 2, skip: int = 0, stopwords: set[str] | None = None) -> Table:
    count: Counter = Counter()
    dcount: Counter = Counter()
    N = 0
    sw = stopwords or set()
    for d in docs:
        seen = set()
        for s in d.sentences:
            N += len(s)
            if skip == 0 and not sw:
                gs = list(map(" ".join, zip(*[s[i:] for i in range(n)])))
                count.update(gs)
                seen.update(gs)
                continue
            for pos in sentence_ngrams(s, n, skip):
                ws = [s[p] for p in pos]
                if sw and any(w in sw for w in ws):
                    continue
                g = " ".join(ws)
                count[g] += 1
                seen.add(g)
        dcount.update(seen)
    return Table(count, dcount, N)


def skip_bigram_margins(docs: list[Doc], skip: int) -> tuple[Counter, Counter, int]:
    """The sample of skip-bigrams (gap 0..skip): every ordered position pair (i, j) of a sentence with
    1 <= j - i <= skip + 1. Returns (pairs each term starts, pairs each term ends, all pairs)."""
    first: Counter = Counter()
    second: Counter = Counter()
    N = 0
    for d in docs:
        for s in d.sentences:
            for i, t in enumerate(s):
                for j in range(i + 1, min(len(s), i + skip + 2)):
                    first[t] += 1
                    second[s[j]] += 1
                    N += 1
    return first, second, N


def pair_key(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a.encode("utf-8") < b.encode("utf-8") else (b, a)


@dataclasses.dataclass
class CoocTable:
    count: Counter        # (term1, term2) -> count
    docs: Counter         # (term1, term2) -> documents
    freq: Counter         # term -> f used in the measures
    N: int                # N used in the measures


@memoized
def cooc(docs: list[Doc], window: int | None = 5, scope: str = "window") -> CoocTable:
    """scope window: every position pair i < j of one sentence with j - i <= window and different terms;
    f = ordered (node, neighbour) pairs whose node is the term, N = all ordered pairs (SPEC "Association
    measures", window table). scope sentence / document: count = sentences (documents)
    holding both terms; f = sentences (documents) holding the term; N = sentences (documents).
    A sentence is one that holds at least one token; a document any document read (see
    ORACLE_DOC_SCOPE_N)."""
    count: Counter = Counter()
    dcount: Counter = Counter()
    freq: Counter = Counter()
    N = 0
    for d in docs:
        seen = set()
        if scope == "window":
            for s in d.sentences:
                L = len(s)
                # The ordered-pair sample (Evert 2008): each position is a node with its neighbours at
                # distance 1..window in the sentence; f = ordered pairs whose node is the term, N = all.
                for i in range(L):
                    k = min(i, window) + min(L - 1 - i, window)
                    freq[s[i]] += k
                    N += k
                for i in range(L):
                    a = s[i]
                    for j in range(i + 1, min(L, i + window + 1)):
                        b = s[j]
                        if a != b:
                            k = pair_key(a, b)
                            count[k] += 1
                            seen.add(k)
        elif scope == "sentence":
            for s in d.sentences:
                N += 1
                u = sorted(set(s), key=lambda x: x.encode("utf-8"))
                freq.update(u)
                for i in range(len(u)):
                    for j in range(i + 1, len(u)):
                        k = (u[i], u[j])
                        count[k] += 1
                        seen.add(k)
        elif scope == "document":
            if d.n_tokens == 0 and DOC_SCOPE_N == "with-tokens":
                continue
            N += 1
            u = sorted(set(d.tokens), key=lambda x: x.encode("utf-8"))
            freq.update(u)
            for i in range(len(u)):
                for j in range(i + 1, len(u)):
                    k = (u[i], u[j])
                    count[k] += 1
                    seen.add(k)
        else:
            raise ValueError(scope)
        dcount.update(seen)
    return CoocTable(count, dcount, freq, N)


DOC_SCOPE_N = os.environ.get("ORACLE_DOC_SCOPE_N", "all")  # "all" documents, or "with-tokens"


@dataclasses.dataclass
class CollocateRow:
    count: int
    left: int
    right: int
    docs: int


def collocates(docs: list[Doc], node: str, window: int = 5, tok: Tokenizer | None = None):
    """Returns (rows: term -> CollocateRow, f1, f2 Counter, N) of the window table: f1 = neighbours within
    the window of each node occurrence's span, f2[t] = ordered pairs whose node is t, N = all ordered pairs."""
    tok = tok or default_tokenizer()
    node_terms = tok.tokens(node)
    if not node_terms:
        raise ValueError(f"node {node!r} has no token")
    n = len(node_terms)
    left: Counter = Counter()
    right: Counter = Counter()
    dcount: Counter = Counter()
    uni: Counter = Counter()
    f1 = 0
    N = 0
    # "the node's own term excluded as a collocate": a token equal to the node (single-word node) or, for
    # a multi-word node, equal to one of its words, is not counted.
    excluded = set(node_terms)
    for d in docs:
        seen = set()
        for s in d.sentences:
            L = len(s)
            for i in range(L):
                k = min(i, window) + min(L - 1 - i, window)
                uni[s[i]] += k
                N += k
            for i in range(L - n + 1):
                if s[i:i + n] != node_terms:
                    continue
                f1 += min(i, window) + min(L - (i + n), window)
                for p in range(max(0, i - window), i):
                    t = s[p]
                    if t not in excluded:
                        left[t] += 1
                        seen.add(t)
                last = i + n - 1
                for p in range(last + 1, min(L, last + window + 1)):
                    t = s[p]
                    if t not in excluded:
                        right[t] += 1
                        seen.add(t)
        dcount.update(seen)
    rows = {}
    for t in set(left) | set(right):
        rows[t] = CollocateRow(left[t] + right[t], left[t], right[t], dcount[t])
    return rows, f1, uni, N


# --------------------------------------------------------------------------------------------------
# Association measures (SPEC.md)
# --------------------------------------------------------------------------------------------------

MEASURES = ("pmi", "npmi", "t_score", "g2", "chi2", "dice", "log_dice")


def _xlogx_ratio(o: float, e: float) -> float:
    return o * math.log(o / e)


def g2_table(o11: float, o12: float, o21: float, o22: float) -> float:
    """2 * sum O ln(O/E) over cells with O > 0, E from the table's margins."""
    n = o11 + o12 + o21 + o22
    r1, r2 = o11 + o12, o21 + o22
    c1, c2 = o11 + o21, o12 + o22
    s = 0.0
    for o, e in ((o11, r1 * c1 / n), (o12, r1 * c2 / n), (o21, r2 * c1 / n), (o22, r2 * c2 / n)):
        if o > 0:
            s += _xlogx_ratio(o, e)
    return 2.0 * s


def measures(O: float, f1: float, f2: float, N: float) -> dict[str, float]:
    E = f1 * f2 / N
    pmi = math.log2(O * N / (f1 * f2))
    with_np = -math.log2(O / N)
    npmi = pmi / with_np if with_np != 0 else float("nan")
    t = (O - E) / math.sqrt(O)
    o11, o12, o21 = O, f1 - O, f2 - O
    o22 = N - o11 - o12 - o21
    e11 = f1 * f2 / N
    e12 = f1 * (N - f2) / N
    e21 = (N - f1) * f2 / N
    e22 = (N - f1) * (N - f2) / N
    g2 = 0.0
    chi2 = 0.0
    for o, e in ((o11, e11), (o12, e12), (o21, e21), (o22, e22)):
        if o > 0:
            g2 += o * math.log(o / e)
        chi2 += (o - e) ** 2 / e if e != 0 else float("nan")
    g2 *= 2.0
    dice = 2.0 * O / (f1 + f2)
    return {"pmi": pmi, "npmi": npmi, "t_score": t, "g2": g2, "chi2": chi2, "dice": dice,
            "log_dice": 14.0 + math.log2(dice)}


def measures_np(O, f1, f2, N):
    """The same formulas as `measures`, on numpy arrays (for comparing large tables quickly)."""
    import numpy as np

    O = np.asarray(O, dtype=np.float64)
    f1 = np.asarray(f1, dtype=np.float64)
    f2 = np.asarray(f2, dtype=np.float64)
    N = np.broadcast_to(np.asarray(N, dtype=np.float64), O.shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        E = f1 * f2 / N
        pmi = np.log2(O * N / (f1 * f2))
        npmi = pmi / -np.log2(O / N)
        t = (O - E) / np.sqrt(O)
        cells = [(O, f1 * f2 / N), (f1 - O, f1 * (N - f2) / N), (f2 - O, (N - f1) * f2 / N),
                 (N - O - (f1 - O) - (f2 - O), (N - f1) * (N - f2) / N)]
        g2 = np.zeros_like(O)
        chi2 = np.zeros_like(O)
        for o, e in cells:
            g2 += np.where(o > 0, o * np.log(np.where(o > 0, o, 1.0) / e), 0.0)
            chi2 += (o - e) ** 2 / e
        g2 *= 2.0
        dice = 2.0 * O / (f1 + f2)
        return {"pmi": pmi, "npmi": npmi, "t_score": t, "g2": g2, "chi2": chi2, "dice": dice,
                "log_dice": 14.0 + np.log2(dice)}


def signed_g2_and_log_ratio(a: int, b: int, Nt: int, Nb: int) -> tuple[float, float]:
    """rising / keyness: g2 of (a, b, Nt-a, Nb-b), negative when a/Nt < b/Nb; log_ratio with zero
    counts replaced by 0.5."""
    g2 = g2_table(a, b, Nt - a, Nb - b)
    if a / Nt < b / Nb:
        g2 = -g2
    aa = a if a > 0 else 0.5
    bb = b if b > 0 else 0.5
    lr = math.log2((aa / Nt) / (bb / Nb))
    return g2, lr


# --------------------------------------------------------------------------------------------------
# Periods and trends
# --------------------------------------------------------------------------------------------------


def period_of(d: dt.date, by: str) -> str:
    if by == "day":
        return d.strftime("%Y-%m-%d")
    if by == "week":
        y, w, _ = d.isocalendar()
        return f"{y:04d}-W{w:02d}"
    if by == "month":
        return f"{d.year:04d}-{d.month:02d}"
    if by == "quarter":
        return f"{d.year:04d}-Q{(d.month - 1) // 3 + 1}"
    if by == "year":
        return f"{d.year:04d}"
    raise ValueError(by)


def period_start(d: dt.date, by: str) -> dt.date:
    if by == "day":
        return d
    if by == "week":
        return d - dt.timedelta(days=d.weekday())
    if by == "month":
        return dt.date(d.year, d.month, 1)
    if by == "quarter":
        return dt.date(d.year, 3 * ((d.month - 1) // 3) + 1, 1)
    if by == "year":
        return dt.date(d.year, 1, 1)
    raise ValueError(by)


def next_period_start(s: dt.date, by: str) -> dt.date:
    if by == "day":
        return s + dt.timedelta(days=1)
    if by == "week":
        return s + dt.timedelta(days=7)
    if by == "month":
        return dt.date(s.year + (s.month == 12), s.month % 12 + 1, 1)
    if by == "quarter":
        m = s.month + 3
        return dt.date(s.year + (m > 12), (m - 1) % 12 + 1, 1)
    if by == "year":
        return dt.date(s.year + 1, 1, 1)
    raise ValueError(by)


def period_range(first: dt.date, last: dt.date, by: str) -> list[tuple[str, dt.date]]:
    """Every period (label, first day) from first's period to last's, calendar-contiguous."""
    out = []
    s = period_start(first, by)
    end = period_start(last, by)
    while s <= end:
        out.append((period_of(s, by), s))
        s = next_period_start(s, by)
    return out


def utc_date(d: dt.datetime) -> dt.date:
    return d.astimezone(UTC).date()


@dataclasses.dataclass
class PeriodCounts:
    by: str
    periods: list[tuple[str, dt.date]]           # contiguous, first..last dated document
    tokens: Counter                              # period -> N
    ndocs: Counter                               # period -> documents
    count: Counter                               # (period, term) -> count
    docs: Counter                                # (period, term) -> documents
    undated: int


def doc_counter(d: Doc) -> Counter:
    """The document's term counts (memoized on the document)."""
    c = d.__dict__.get("_counter")
    if c is None:
        c = Counter(d.tokens)
        d.__dict__["_counter"] = c
    return c


def period_counts(docs: list[Doc], by: str, terms_: Sequence[str] | None = None,
                  tok: Tokenizer | None = None) -> PeriodCounts:
    """Per-period counts of every term (terms_ None) or of the given terms (normalized like tokens; a
    multi-word term counted as an n-gram within sentences)."""
    tok = tok or default_tokenizer()
    wanted = None
    if terms_ is not None:
        wanted = {}
        for t in terms_:
            parts = tok.tokens(t)
            wanted[" ".join(parts)] = parts
    tokens_ = Counter()
    ndocs = Counter()
    count = Counter()
    dcount = Counter()
    undated = 0
    dates = []
    for d in docs:
        if d.date is None:
            undated += 1
            continue
        day = utc_date(d.date)
        dates.append(day)
        p = period_of(day, by)
        ndocs[p] += 1
        tokens_[p] += d.n_tokens
        if wanted is None:
            c = doc_counter(d)
        else:
            c = Counter()
            for key, parts in wanted.items():
                n = len(parts)
                if n == 0:
                    continue
                for s in d.sentences:
                    for i in range(len(s) - n + 1):
                        if s[i:i + n] == parts:
                            c[key] += 1
        for t, v in c.items():
            count[(p, t)] += v
            dcount[(p, t)] += 1
    periods = period_range(min(dates), max(dates), by) if dates else []
    return PeriodCounts(by, periods, tokens_, ndocs, count, dcount, undated)


def trends(docs: list[Doc], by: str, terms_: Sequence[str] | None = None, top: int | None = None,
           smooth: int | None = None, stopwords: set[str] | None = None,
           tok: Tokenizer | None = None) -> list[dict]:
    """Rows with period, period_start, term, count, docs, per_million [, smoothed_per_million]."""
    dense = terms_ is not None or top is not None
    if top is not None and terms_ is None:
        tab = terms(docs, stopwords)
        terms_ = tab.rows()[:top]
    pc = period_counts(docs, by, terms_, tok)
    tok = tok or default_tokenizer()
    rows = []
    if dense:
        keys = [" ".join(tok.tokens(t)) for t in terms_]
        keys = list(dict.fromkeys(keys))
        series = {}
        for k in keys:
            vals = []
            for label, start in pc.periods:
                n = pc.tokens[label]
                c = pc.count[(label, k)]
                # a period without documents has no per_million (null), not a zero
                vals.append((label, start, c, pc.docs[(label, k)], c / n * 1e6 if pc.ndocs[label] else None))
            series[k] = vals
        for k, vals in series.items():
            sm = None
            if smooth:
                h = (smooth - 1) // 2
                pm = [v[4] for v in vals]
                sm = []
                for i in range(len(pm)):
                    w = [v for v in pm[max(0, i - h): i + h + 1] if v is not None]
                    sm.append(sum(w) / len(w) if pm[i] is not None else None)
            for i, (label, start, c, dd, pm_) in enumerate(vals):
                r = {"period": label, "period_start": start.isoformat(), "term": k, "count": c,
                     "docs": dd, "per_million": pm_}
                if sm is not None:
                    r["smoothed_per_million"] = sm[i]
                rows.append(r)
    else:
        starts = dict(pc.periods)
        for (label, t), c in pc.count.items():
            if stopwords and t in stopwords:
                continue
            n = pc.tokens[label]
            rows.append({"period": label, "period_start": starts[label].isoformat(), "term": t, "count": c,
                         "docs": pc.docs[(label, t)], "per_million": c / n * 1e6})
    rows.sort(key=lambda r: (r["period"], -r["count"], r["term"].encode("utf-8")))
    return rows


def rising(docs: list[Doc], by: str, period: str | None = None, baseline: int = 4) -> dict:
    """Returns {'target', 'baseline_periods', 'rows': term -> dict} (rows for every term of the target
    or the baseline)."""
    pc = period_counts(docs, by)
    with_docs = [lab for lab, _ in pc.periods if pc.ndocs[lab] > 0]
    target = period or with_docs[-1]
    idx = with_docs.index(target)
    base = with_docs[max(0, idx - baseline): idx]
    Nt = pc.tokens[target]
    Nb = sum(pc.tokens[p] for p in base)
    a = Counter()
    b = Counter()
    bset = set(base)
    for (p, t), c in pc.count.items():
        if p == target:
            a[t] += c
        elif p in bset:
            b[t] += c
    rows = {}
    for t in set(a) | set(b):
        g2, lr = signed_g2_and_log_ratio(a[t], b[t], Nt, Nb)
        rows[t] = {"term": t, "count": a[t], "baseline_count": b[t], "per_million": a[t] / Nt * 1e6,
                   "baseline_per_million": b[t] / Nb * 1e6, "log_ratio": lr, "g2": g2}
    return {"target": target, "baseline_periods": base, "Nt": Nt, "Nb": Nb, "rows": rows}


def keyness(target: list[Doc], reference: list[Doc]) -> dict:
    ta = terms(target)
    rb = terms(reference)
    rows = {}
    for t in set(ta.count) | set(rb.count):
        a, b = ta.count[t], rb.count[t]
        g2, lr = signed_g2_and_log_ratio(a, b, ta.N, rb.N)
        rows[t] = {"term": t, "target_count": a, "reference_count": b,
                   "target_per_million": a / ta.N * 1e6, "reference_per_million": b / rb.N * 1e6,
                   "g2": g2, "log_ratio": lr}
    return rows


def date_range_filter(docs: list[Doc], spec: str) -> list[Doc]:
    """FROM..TO inclusive; FROM/TO: YYYY-MM-DD, YYYY-MM or YYYY (whole period)."""
    lo_s, hi_s = spec.split("..")

    def bounds(s: str) -> tuple[dt.date, dt.date]:
        parts = s.split("-")
        if len(parts) == 1:
            y = int(parts[0])
            return dt.date(y, 1, 1), dt.date(y, 12, 31)
        if len(parts) == 2:
            y, m = int(parts[0]), int(parts[1])
            return dt.date(y, m, 1), next_period_start(dt.date(y, m, 1), "month") - dt.timedelta(days=1)
        d = dt.date.fromisoformat(s)
        return d, d

    lo = bounds(lo_s)[0]
    hi = bounds(hi_s)[1]
    return [d for d in docs if d.date is not None and lo <= utc_date(d.date) <= hi]


# --------------------------------------------------------------------------------------------------
# Kleinberg bursts (2 states, the contract's parameters)
# --------------------------------------------------------------------------------------------------


def _log_binom(n: int, k: int) -> float:
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)


def kleinberg(d: Sequence[int], r: Sequence[int], s: float = 2.0, gamma: float = 1.0):
    """Returns (states, cost0, cost1). d_t documents in period t, r_t documents with the term."""
    T = len(d)
    p0 = sum(r) / sum(d)
    p1 = min(s * p0, 0.9999)
    tau = gamma * math.log(T)

    def cost(p, dt_, rt):
        if dt_ == 0:
            return 0.0
        v = _log_binom(dt_, rt)
        if rt:
            v += rt * math.log(p)
        if dt_ - rt:
            v += (dt_ - rt) * math.log(1 - p)
        return -v

    c0 = [cost(p0, d[t], r[t]) for t in range(T)]
    c1 = [cost(p1, d[t], r[t]) for t in range(T)]
    INF = float("inf")
    prev = (0.0, INF)
    back = []
    for t in range(T):
        # into 0: from 0 or from 1 (free)
        if prev[0] <= prev[1]:
            n0, b0 = prev[0] + c0[t], 0
        else:
            n0, b0 = prev[1] + c0[t], 1
        if prev[1] <= prev[0] + tau:
            n1, b1 = prev[1] + c1[t], 1
        else:
            n1, b1 = prev[0] + tau + c1[t], 0
        back.append((b0, b1))
        prev = (n0, n1)
    state = 0 if prev[0] <= prev[1] else 1
    states = [0] * T
    for t in range(T - 1, -1, -1):
        states[t] = state
        state = back[t][state]
    return states, c0, c1


def bursts(docs: list[Doc], by: str, terms_: Sequence[str], tok: Tokenizer | None = None) -> list[dict]:
    """Rows term, start, end, weight for every maximal run of state 1. The state sequence runs over the
    periods that have documents only (a period without documents carries no evidence; README "bursts")."""
    pc = period_counts(docs, by, terms_, tok)
    tok = tok or default_tokenizer()
    labels = [lab for lab, _ in pc.periods if pc.ndocs[lab] > 0]
    d = [pc.ndocs[lab] for lab in labels]
    out = []
    for t in terms_:
        k = " ".join(tok.tokens(t))
        r = [pc.docs[(lab, k)] for lab in labels]
        if sum(r) == 0:
            continue
        states, c0, c1 = kleinberg(d, r)
        i = 0
        while i < len(states):
            if states[i] == 1:
                j = i
                w = 0.0
                while j < len(states) and states[j] == 1:
                    w += c0[j] - c1[j]
                    j += 1
                out.append({"term": k, "start": labels[i], "end": labels[j - 1], "weight": w})
                i = j
            else:
                i += 1
    return out


# --------------------------------------------------------------------------------------------------
# Command line (TSV like CorpusKit's, for debugging and for the peer comparison)
# --------------------------------------------------------------------------------------------------


def _fmt(v) -> str:
    if isinstance(v, float):
        return repr(v)
    return str(v)


def main(argv: list[str] | None = None) -> int:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("command", choices=["terms", "ngrams", "cooc", "tokens", "sentences"])
    ap.add_argument("inputs", nargs="+")
    ap.add_argument("--input-format", default="auto")
    ap.add_argument("-n", type=int, default=2)
    ap.add_argument("--skip", type=int, default=0)
    ap.add_argument("--window", type=int, default=5)
    ap.add_argument("--scope", default="window")
    ap.add_argument("--stopwords")
    ap.add_argument("--no-cache", action="store_true")
    a = ap.parse_args(argv)
    out = sys.stdout
    if a.command in ("tokens", "sentences"):
        tok = default_tokenizer()
        text = " ".join(a.inputs)
        if a.command == "tokens":
            for t in tok.tokens(text):
                out.write(t + "\n")
        else:
            for s in tok.sentences(text):
                out.write(" ".join(s) + "\n")
        return 0
    docs = load_corpus(a.inputs, a.input_format, cache=not a.no_cache)
    sw = load_stopwords(a.stopwords) if a.stopwords else None
    if a.command == "terms":
        tab = terms(docs, sw)
        out.write("term\tcount\tdocs\tper_million\n")
        for k in tab.rows():
            out.write(f"{k}\t{tab.count[k]}\t{tab.docs[k]}\t{_fmt(tab.count[k] / tab.N * 1e6)}\n")
    elif a.command == "ngrams":
        tab = ngrams(docs, a.n, a.skip, sw)
        uni = terms(docs).count
        cols = ["ngram", "count", "docs"] + (list(MEASURES) if a.n == 2 else [])
        out.write("\t".join(cols) + "\n")
        for k in tab.rows():
            vals = [k, tab.count[k], tab.docs[k]]
            if a.n == 2:
                w1, w2 = k.split(" ")
                m = measures(tab.count[k], uni[w1], uni[w2], tab.N)
                vals += [m[x] for x in MEASURES]
            out.write("\t".join(_fmt(v) for v in vals) + "\n")
    elif a.command == "cooc":
        ct = cooc(docs, a.window, a.scope)
        out.write("\t".join(["term1", "term2", "count", "docs", *MEASURES]) + "\n")
        for k in sort_rows(ct.count):
            m = measures(ct.count[k], ct.freq[k[0]], ct.freq[k[1]], ct.N)
            out.write("\t".join(_fmt(v) for v in [k[0], k[1], ct.count[k], ct.docs[k]] +
                                [m[x] for x in MEASURES]) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
