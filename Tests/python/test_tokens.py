"""`corpuskit tokens` against SPEC.md's example and PyICU (issue 2)."""

from __future__ import annotations

import pytest

import oracle

SPEC_EXAMPLE = "Ｆｕｌｌ-width ﬁ U.S. gov’t 3.14 東京は晴れ"  # the curly apostrophe folds to '

SPEC_TOKENS = ["full", "width", "fi", "u.s", "gov't", "3.14", "東京", "は", "晴れ"]

# Scripts that ICU segments with dictionaries (and a few with spaces), from udhr2.
DICTIONARY_SCRIPTS = ["cmn_hans", "cmn_hant", "jpn", "tha", "lao", "khm", "mya"]
OTHER_SCRIPTS = ["kor", "arb", "heb", "hin", "rus", "ell_monotonic", "amh", "kat"]


def lines(out: str) -> list[str]:
    ls = out.split("\n")
    if ls and ls[-1] == "":
        ls.pop()
    return ls


def escape(seg: str) -> str:
    return seg.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")


def test_oracle_spec_example():
    assert oracle.default_tokenizer().tokens(SPEC_EXAMPLE) == SPEC_TOKENS


def test_spec_example(ck):
    ck.require("tokens")
    assert lines(ck.run("tokens", SPEC_EXAMPLE)) == SPEC_TOKENS


def test_spec_example_stdin(ck):
    ck.require("tokens")
    assert lines(ck.run("tokens", input=SPEC_EXAMPLE.encode())) == SPEC_TOKENS


def test_empty_input(ck):
    ck.require("tokens")
    p = ck.run_raw("tokens", input=b"")
    assert p.returncode == 0 and p.stdout == b""


@pytest.mark.parametrize("name", DICTIONARY_SCRIPTS + OTHER_SCRIPTS)
def test_udhr_tokens_equal_pyicu(ck, corpora, name):
    ck.require("tokens")
    f = corpora / "udhr2" / f"{name}.txt"
    text = f.read_bytes().decode("utf-8", "replace")
    want = oracle.default_tokenizer().tokens(text)
    got = lines(ck.run("tokens", "--file", f))
    assert len(want) > 100
    if got != want:
        i = next((i for i, (a, b) in enumerate(zip(got, want)) if a != b), min(len(got), len(want)))
        pytest.fail(f"{name}: corpuskit {len(got)} tokens, PyICU {len(want)}; first difference at token {i}: "
                    f"corpuskit {got[max(0, i - 3):i + 4]} vs PyICU {want[max(0, i - 3):i + 4]}")


@pytest.mark.parametrize("name", ["cmn_hans", "jpn", "tha", "eng"])
def test_udhr_all_segments_equal_pyicu(ck, corpora, name):
    ck.require("tokens")
    f = corpora / "udhr2" / f"{name}.txt"
    text = f.read_bytes().decode("utf-8", "replace")
    want = [f"{escape(s)}\t{k}" for s, k in oracle.default_tokenizer().all_segments(text)]
    got = lines(ck.run("tokens", "--all-segments", "--normalize", "none", "--file", f))
    if got != want:
        i = next((i for i, (a, b) in enumerate(zip(got, want)) if a != b), min(len(got), len(want)))
        pytest.fail(f"{name}: corpuskit {len(got)} segments, PyICU {len(want)}; first difference at {i}: "
                    f"{got[max(0, i - 2):i + 3]} vs {want[max(0, i - 2):i + 3]}")


def test_all_segments_kinds(ck):
    ck.require("tokens")
    got = lines(ck.run("tokens", "--all-segments", "--normalize", "none", "Ab 12 カナ 東京\tx\\y"))
    want = [f"{escape(s)}\t{k}" for s, k in oracle.default_tokenizer().all_segments("Ab 12 カナ 東京\tx\\y")]
    assert got == want
    kinds = {ln.split("\t")[-1] for ln in got}
    # (ICU's dictionary gives its CJK words, kana included, the ideographic status)
    assert {"none", "number", "letter", "ideographic"} <= kinds <= {"none", "number", "letter", "kana", "ideographic"}


@pytest.mark.parametrize("name", ["eng", "tha", "jpn"])
def test_sentences(ck, corpora, name):
    """--sentences: an empty line between sentences; compared ignoring sentences without tokens."""
    ck.require("tokens")
    f = corpora / "udhr2" / f"{name}.txt"
    text = f.read_bytes().decode("utf-8", "replace")
    want = oracle.default_tokenizer().sentences(text)
    out = ck.run("tokens", "--sentences", "--file", f)
    got = [blk.split("\n") for blk in out.split("\n\n")]
    got = [[t for t in s if t] for s in got]
    got = [s for s in got if s]
    assert len(got) == len(want), f"{len(got)} sentences vs PyICU {len(want)}"
    assert got == want


@pytest.mark.parametrize("mode", ["none", "nfc", "nfkc", "nfkc-casefold", "lowercase"])
def test_normalize_modes(ck, mode):
    ck.require("tokens")
    text = "Ｆｕｌｌ ﬁ Straße İstanbul ΣΊΣΥΦΟΣ Cafe\u0301 ＡＢＣ ǅ"
    tok = oracle.Tokenizer(normalize=mode)
    want = tok.tokens(text)
    got = lines(ck.run("tokens", "--normalize", mode, text))
    assert got == want


def test_strip_accents(ck):
    ck.require("tokens")
    got = lines(ck.run("tokens", "--strip-accents", "Café naïve Ålborg Crème"))
    assert got == ["cafe", "naive", "alborg", "creme"]


# ---- SPEC "Tokens" step 4 and "Sentences" (hard wraps undone) ---------------------------------------------


@pytest.mark.parametrize("text, want", [
    ("it’s it's itʼs it‘s", ["it's"] * 4),
    ("We’ll DON’T rock’n’roll", ["we'll", "don't", "rock'n'roll"]),
    ("’quoted’", ["quoted"]),  # a leading/trailing apostrophe is punctuation, not part of the word
])
def test_apostrophes_fold(ck, text, want):
    assert lines(ck.run("tokens", text)) == want
    assert oracle.default_tokenizer().tokens(text) == want


def test_apostrophes_option_off(ck):
    assert lines(ck.run("tokens", "--no-fold-apostrophes", "it’s it's")) == ["it’s", "it's"]


def sentences(out: str) -> list[list[str]]:
    return [s.split("\n") for s in out.strip("\n").split("\n\n")] if out.strip() else []


@pytest.mark.parametrize("text, want", [
    # a hard-wrapped paragraph is one sentence, whatever the line end
    ("The stock\nmarket fell.", [["the", "stock", "market", "fell"]]),
    ("The stock\r\nmarket fell.", [["the", "stock", "market", "fell"]]),
    ("The stock\rmarket fell.", [["the", "stock", "market", "fell"]]),
    # a blank line ends it, also one that holds spaces or tabs
    ("One line\n\ntwo lines", [["one", "line"], ["two", "lines"]]),
    ("One line\r\n \t \r\ntwo lines", [["one", "line"], ["two", "lines"]]),
    # a full stop still ends a sentence across a wrap
    ("It fell.\nThen it rose", [["it", "fell"], ["then", "it", "rose"]]),
])
def test_sentences_hard_wraps(ck, text, want):
    got = sentences(ck.run("tokens", "--sentences", input=text.encode()))
    assert got == want
    assert oracle.default_tokenizer().sentences(text) == want


def test_sentences_plain_option(ck):
    got = sentences(ck.run("tokens", "--sentences", "--sentence-breaks", "plain", input=b"The stock\nmarket fell."))
    assert got == [["the", "stock"], ["market", "fell"]]
    assert oracle.Tokenizer(sentence_breaks="plain").sentences("The stock\nmarket fell.") == got
