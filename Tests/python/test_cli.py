"""The CLI contract (issue 12 items 6 and 8, issue 16 first run): exit codes, messages naming what went wrong,
output checks before reading, unknown commands, help text as users type it.

Exit codes (README "Exit codes", `corpuskit --help`):
  0 every input read · 1 output written but some input path unreadable · 64 usage error before reading ·
  65 --strict and a warning · 66 nothing readable (no output; an old output file is kept) ·
  73 output cannot be created · 74 output cannot be written.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from conftest import BIN, parse_tsv


def run(*args, cwd=None, input: bytes | None = None) -> subprocess.CompletedProcess:
    if not BIN.exists():
        pytest.fail(f"corpuskit binary not found at {BIN} (swift build -c release, or set CORPUSKIT_BIN)")
    return subprocess.run([str(BIN), *map(str, args)], capture_output=True, cwd=cwd, input=input, timeout=120)


def err(p: subprocess.CompletedProcess) -> str:
    return p.stderr.decode("utf-8", "replace")


def assert_runtime_error(p: subprocess.CompletedProcess, code: int, *needles: str) -> None:
    """A runtime failure: the documented code, `corpuskit: error: …` naming the problem, and no usage text."""
    e = err(p)
    assert p.returncode == code, f"exit {p.returncode}, expected {code}; stderr:\n{e}"
    assert "Usage:" not in e, f"usage text after a runtime error:\n{e}"
    for n in needles:
        assert n in e, f"{n!r} not in stderr:\n{e}"


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    """Two dated JSONL documents."""
    f = tmp_path / "news.jsonl"
    f.write_text('{"id":"a","date":"1987-03-01","text":"Clinton spoke about the clipper chip."}\n'
                 '{"id":"b","date":"1987-04-02","text":"The clipper chip again, said Clinton."}\n')
    return f


# ---- 0 and 1 ------------------------------------------------------------------------------------------------


def test_bad_record_is_a_warning_exit_0(tmp_path: Path):
    f = tmp_path / "mixed.jsonl"
    f.write_text('{"text":"good words"}\n{not json\n{"text":"more words"}\n')
    p = run("terms", f)
    assert p.returncode == 0, err(p)
    assert f"{f}:2:" in err(p)
    assert "1 record skipped" in err(p)
    _, rows = parse_tsv(p.stdout.decode())
    assert {r[0] for r in rows} == {"good", "words", "more"}


def test_missing_path_is_named_and_exit_1(corpus: Path, tmp_path: Path):
    missing = tmp_path / "nonexistent" / "file.jsonl"
    out = tmp_path / "terms.tsv"
    p = run("terms", corpus, missing, "-o", out)
    assert p.returncode == 1, err(p)
    assert f"corpuskit: no such file or directory: {missing}" in err(p)
    assert "record" not in err(p), err(p)  # a missing file is not a "skipped record"
    assert "Usage:" not in err(p)
    header, rows = parse_tsv(out.read_text())
    assert header == ["term", "count", "docs", "per_million"] and rows  # the output was written


def test_unquoted_multiword_term_reads_as_a_path(corpus: Path):
    # `--terms clinton,clipper chip`: the shell splits `chip` off; it is a (missing) input, said so, exit 1
    p = run("trends", corpus, "--by", "month", "--terms", "clinton,clipper", "chip", cwd=corpus.parent)
    assert p.returncode == 1, err(p)
    assert "corpuskit: no such file or directory: chip" in err(p)
    p = run("trends", corpus, "--by", "month", "--terms", "clinton,clipper chip", cwd=corpus.parent)
    assert p.returncode == 0, err(p)
    assert "clipper chip" in p.stdout.decode()


def test_binary_file_beside_good_one_exit_1(corpus: Path, tmp_path: Path):
    b = tmp_path / "image.txt"
    b.write_bytes(b"\x89PNG\x00\x00\x01")
    p = run("terms", corpus, b)
    assert p.returncode == 1, err(p)
    assert f"{b}:1: binary file" in err(p)
    assert "1 input could not be read" in err(p)
    assert p.stdout.decode().startswith("term\tcount")


# ---- 64: usage errors, before any reading ---------------------------------------------------------------------


@pytest.mark.parametrize("name", ["out.xlsx", "out.csv.gz", "out.parquet.zip"])
def test_unknown_output_extension_is_64_before_reading(tmp_path: Path, name: str):
    missing = tmp_path / "not-there.jsonl"  # would be 66 if anything were read first
    p = run("terms", missing, "-o", tmp_path / name)
    assert_runtime_error(p, 64, "cannot tell the output format", name)
    assert "not-there" not in err(p)
    assert not (tmp_path / name).exists()


def test_unknown_output_extension_with_format_is_fine(corpus: Path, tmp_path: Path):
    out = tmp_path / "out.xlsx"
    p = run("terms", corpus, "-o", out, "--format", "csv")
    assert p.returncode == 0, err(p)
    assert out.read_text().startswith("term,count,docs,per_million")


def test_output_naming_an_input_is_64(corpus: Path):
    before = corpus.read_bytes()
    p = run("terms", corpus, "-o", corpus, "--format", "tsv")
    assert_runtime_error(p, 64, "is one of the inputs")
    assert corpus.read_bytes() == before


def test_output_inside_an_input_folder_is_64(corpus: Path):
    out = corpus.parent / "old-terms.txt"  # a .txt in the input folder is read as a document
    out.write_text("the old table\n")
    p = run("terms", corpus.parent, "-o", out)
    assert_runtime_error(p, 64, "is one of the inputs")
    assert out.read_text() == "the old table\n"


@pytest.mark.parametrize("word,suggestion", [("term", "terms"), ("ngram", "ngrams"), ("colocates", "collocates"),
                                             ("trend", "trends"), ("Info", "info")])
def test_unknown_command_suggests_the_nearest(word: str, suggestion: str):
    p = run(word, "x")
    assert p.returncode == 64, err(p)
    assert f"unknown command '{word}' — did you mean '{suggestion}'?" in err(p)
    assert p.stdout == b""


def test_help_for_an_unknown_command_is_64():
    p = run("help", "term")
    assert p.returncode == 64, err(p)
    assert "did you mean 'terms'?" in err(p)
    assert run("help", "terms").returncode == 0


def test_no_arguments_prints_the_root_help_exit_0():
    p = run()
    assert p.returncode == 0, err(p)
    assert "SUBCOMMANDS:" in p.stdout.decode() and "error" not in err(p)


def test_unknown_command_far_from_all_lists_them():
    p = run("lemmatize", "word")  # near no command's name
    assert p.returncode == 64, err(p)
    e = err(p)
    assert "unknown command 'lemmatize'" in e and "did you mean" not in e
    assert "terms" in e and "collocates" in e and "analyze" in e and "kwic" in e


@pytest.mark.parametrize("args", [["terms", "--top", "abc"], ["ngrams", "-n", "9"], ["cooc", "--scope", "page"],
                                  ["terms", "--normalize", "upper"], ["collocates", "x", "--sort", "best"],
                                  ["terms", "--no-such-flag"]])
def test_bad_flag_value_is_64(corpus: Path, args: list[str]):
    p = run(*args, corpus)
    assert p.returncode == 64, err(p)
    assert p.stdout == b""


def test_bad_stopwords_value_is_64_without_usage(corpus: Path):
    p = run("terms", corpus, "--stopwords", "klingon")
    assert_runtime_error(p, 64, "klingon")


# ---- 65: --strict ------------------------------------------------------------------------------------------


def test_strict_warning_is_65_and_writes_nothing(tmp_path: Path):
    f = tmp_path / "mixed.jsonl"
    f.write_text('{"text":"good words"}\n{not json\n')
    out = tmp_path / "t.tsv"
    p = run("terms", f, "--strict", "-o", out)
    assert_runtime_error(p, 65, f"{f}:2:", "--strict")
    assert not out.exists()
    assert [x for x in tmp_path.iterdir() if x.name.startswith(".")] == []  # no temporary file left


@pytest.mark.parametrize("jobs", ["1", "2", "8"])
def test_strict_read_and_decode_failures_at_any_jobs(tmp_path: Path, jobs: str):
    # One job on a multi-core machine reads on a thread of its own; a worker on every core reads in turn
    # (the engine's two ways of taking chunks): a failure while framing (a binary file after a good one) and
    # one while decoding (a malformed record) end the run alike, with nothing written.
    good = tmp_path / "a.jsonl"
    good.write_text("".join(f'{{"text":"good words {i}"}}\n' for i in range(2000)))
    binary = tmp_path / "b.jsonl"
    binary.write_bytes(b"\x00\x01\x02\x03" * 4096)
    bad = tmp_path / "c.jsonl"
    bad.write_text('{"text":"fine"}\n{not json\n')
    out = tmp_path / "t.tsv"
    p = run("terms", good, binary, "--strict", "--jobs", jobs, "-o", out)
    assert_runtime_error(p, 65, f"{binary}:1:", "binary")
    assert not out.exists()
    p = run("terms", good, bad, "--strict", "--jobs", jobs, "-o", out)
    assert_runtime_error(p, 65, f"{bad}:2:", "--strict")
    assert not out.exists()
    # Without --strict: the same table at every job count, the binary file and the bad record reported.
    p = run("terms", good, binary, bad, "--jobs", jobs, "--format", "tsv", "--top", "0")
    assert p.returncode == 1 and "binary" in err(p) and "malformed JSON" in err(p)
    reference = run("terms", good, bad, "--jobs", "1", "--format", "tsv", "--top", "0")
    assert p.stdout == reference.stdout and b"good\t2000\t2000" in p.stdout


def test_strict_unknown_locale_is_65(corpus: Path, tmp_path: Path):
    out = tmp_path / "t.tsv"
    p = run("terms", corpus, "--locale", "xx-YY", "--strict", "-o", out)
    assert_runtime_error(p, 65, "unknown locale 'xx-YY'")
    assert not out.exists()
    p = run("terms", corpus, "--locale", "xx-YY")  # without --strict: a warning
    assert p.returncode == 0 and "unknown locale" in err(p)


def test_strict_missing_path_is_65(corpus: Path, tmp_path: Path):
    p = run("terms", corpus, tmp_path / "gone.jsonl", "--strict")
    assert_runtime_error(p, 65, "gone.jsonl")


# ---- 66: nothing readable -----------------------------------------------------------------------------------


def test_nothing_readable_is_66_and_keeps_the_old_output(tmp_path: Path):
    out = tmp_path / "terms.tsv"
    out.write_text("the old table\n")
    os.utime(out, (1_000_000_000, 1_000_000_000))
    p = run("terms", "/nonexistent/file.jsonl", "-o", out)
    assert_runtime_error(p, 66, "corpuskit: no such file or directory: /nonexistent/file.jsonl",
                         "no input could be read")
    assert out.read_text() == "the old table\n"
    assert out.stat().st_mtime == 1_000_000_000
    assert sorted(x.name for x in tmp_path.iterdir()) == ["terms.tsv"]


@pytest.mark.parametrize("content", [b"", b"\x00\x01binary", b'[{"text": "an array"}]\n'])
def test_only_unusable_files_is_66(tmp_path: Path, content: bytes):
    f = tmp_path / "bad.jsonl"
    f.write_bytes(content)
    p = run("terms", f)
    assert_runtime_error(p, 66, str(f), "no input could be read")
    assert p.stdout == b""


def test_info_and_tokens_nothing_readable_is_66(tmp_path: Path):
    assert_runtime_error(run("info", tmp_path / "none"), 66, "no such file or directory")
    assert_runtime_error(run("tokens", "--file", tmp_path / "none.txt"), 66, "no such file or directory")


def test_folder_of_extensionless_files(tmp_path: Path):
    d = tmp_path / "notes"
    d.mkdir()
    (d / "one").write_text("alpha beta\n")
    (d / "two").write_text("gamma\n")
    (d / "README").write_text("not a document\n")
    p = run("terms", d)
    assert_runtime_error(p, 66, f"{d}: 2 files without a document extension skipped (one, two)",
                         "--input-format text")
    p = run("terms", d, "--input-format", "text")
    assert p.returncode == 0, err(p)
    _, rows = parse_tsv(p.stdout.decode())
    assert sorted(r[0] for r in rows) == ["alpha", "beta", "gamma"]  # README is still not a document
    (d / "three.txt").write_text("delta\n")
    p = run("docs", d)
    assert p.returncode == 0, err(p)
    assert "2 files without a document extension skipped" in err(p)
    _, rows = parse_tsv(p.stdout.decode())
    assert [Path(r[1].rsplit(":", 1)[0]).name for r in rows] == ["three.txt"]


def test_reuters_folder_extras_are_not_reported(tmp_path: Path):
    d = tmp_path / "reuters"
    d.mkdir()
    (d / "reut2-000.sgm").write_text('<REUTERS NEWID="1"><DATE>26-FEB-1987 15:01:01.79</DATE><TEXT><BODY>Cocoa rains.'
                                     '</BODY></TEXT></REUTERS>\n')
    (d / "lewis.dtd").write_text("<!ELEMENT REUTERS>\n")
    p = run("terms", d)
    assert p.returncode == 0, err(p)
    assert "skipped" not in err(p)


# ---- 73 / 74: the output ------------------------------------------------------------------------------------


def test_output_in_missing_folder_is_73_before_reading(tmp_path: Path):
    missing_input = tmp_path / "not-there.jsonl"
    p = run("terms", missing_input, "-o", tmp_path / "no" / "such" / "t.tsv")
    assert_runtime_error(p, 73, f"the folder {tmp_path}/no/such does not exist")
    assert "not-there" not in err(p)  # found before reading
    assert not (tmp_path / "no").exists()  # single files do not create folders


def test_output_under_a_file_or_onto_a_folder_is_73(corpus: Path, tmp_path: Path):
    p = run("terms", corpus, "-o", f"{corpus}/t.tsv")
    assert_runtime_error(p, 73, "is not a folder")
    p = run("terms", corpus, "-o", tmp_path)
    assert_runtime_error(p, 73, "is a folder")


def test_unwritable_output_is_73(corpus: Path):
    p = run("terms", corpus, "-o", "/proc/corpuskit-test.tsv")
    assert_runtime_error(p, 73, "/proc/corpuskit-test.tsv")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
def test_write_failure_is_74(corpus: Path):
    p = run("terms", corpus, "-o", "/dev/full")
    assert_runtime_error(p, 74, "/dev/full", "No space left on device")


def test_read_only_folder_is_73(corpus: Path, tmp_path: Path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        p = run("terms", corpus, "-o", ro / "t.tsv")
        if os.geteuid() == 0:
            # root may write into a 0555 folder: then the table is written
            assert p.returncode == 0, err(p)
            assert (ro / "t.tsv").exists()
        else:
            assert_runtime_error(p, 73, f"{ro}")
            assert list(ro.iterdir()) == []
    finally:
        ro.chmod(0o755)


def test_analyze_creates_missing_parent_folders(corpus: Path, tmp_path: Path):
    out = tmp_path / "A" / "B" / "C"
    p = run("analyze", corpus, "-o", out, "--format", "tsv")
    assert p.returncode == 0, err(p)
    assert (out / "manifest.json").exists() and (out / "terms.tsv").exists()


def test_analyze_output_under_a_file_is_73_before_reading(corpus: Path, tmp_path: Path):
    p = run("analyze", tmp_path / "not-there", "-o", f"{corpus}/x")
    assert_runtime_error(p, 73, "is a file")


def test_analyze_default_corpus_on_a_fresh_checkout(tmp_path: Path):
    # scripts/setup runs `analyze -o out/sample` in a clone without out/
    p = run("analyze", "-o", "out/sample", cwd=tmp_path)
    assert p.returncode == 0, err(p)
    assert (tmp_path / "out" / "sample" / "manifest.json").exists()


# ---- help --------------------------------------------------------------------------------------------------


def subcommands() -> list[str]:
    text = run("--help").stdout.decode()
    section = text.split("SUBCOMMANDS:", 1)[1]
    return re.findall(r"^  ([a-z]+)\s", section, flags=re.M)


def test_root_help_documents_exit_codes():
    p = run("--help")
    assert p.returncode == 0
    text = p.stdout.decode()
    for code in ["0", "1", "64", "65", "66", "73", "74"]:
        assert re.search(rf"^  {code}\s+\S", text, flags=re.M), f"exit code {code} not in corpuskit --help"


def test_help_texts_have_no_internal_names():
    names = subcommands()
    assert {"terms", "collocates", "analyze", "trends"} <= set(names)
    for name in [""] + names:
        p = run(*([name] if name else []), "--help")
        assert p.returncode == 0, (name, err(p))
        text = " ".join(p.stdout.decode().split())  # unwrap
        assert "CorpusEngine." not in text and "CorpusExport." not in text and "CorpusReaders." not in text, name
        assert "SPEC.md" not in text, name
        assert not re.search(r"\(default: [a-z]+\(", text), (name, re.findall(r"\(default: [^)]*\)", text))
        # every default shown among the values listed for it
        for values, default in re.findall(r"\(values: ([^;)]*); default: ([^)]*)\)", text):
            assert default in [v.strip() for v in values.split(",")], (name, values, default)


def test_collocates_sort_default_as_typed():
    text = " ".join(run("collocates", "--help").stdout.decode().split())
    assert "default: log_dice)" in text
    assert "values: count, pmi, npmi, t_score, g2, chi2, dice, log_dice" in text


def test_every_stopword_language_in_help_works(corpus: Path):
    text = " ".join(run("terms", "--help").stdout.decode().split())
    m = re.search(r"a language \(([^)]*)\)", text)
    assert m, text
    langs = [x.strip() for x in m.group(1).split(",")]
    assert {"en", "de", "fr", "es", "it", "pt", "nl", "ru", "sv", "da", "nb", "fi"} <= set(langs)
    for lang in langs:
        p = run("terms", corpus, "--stopwords", lang)
        assert p.returncode == 0, (lang, err(p))
