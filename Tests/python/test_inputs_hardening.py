"""Issue 19, the input half: no crash, no hang, no silent loss on any input. Each case below gives a clear
warning or error naming file (and line), keeps everything that can be kept, and ends.

Runs against the release binary (CORPUSKIT_BIN); every input is made here, in a temporary folder.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from conftest import BIN


def run(*args, cwd=None, timeout=60) -> subprocess.CompletedProcess:
    if not BIN.exists():
        pytest.fail(f"corpuskit binary not found at {BIN} (swift build -c release, or set CORPUSKIT_BIN)")
    argv = [str(BIN)] + [a if isinstance(a, bytes) else str(a) for a in args]
    return subprocess.run(argv, capture_output=True, cwd=cwd, timeout=timeout)


def err(p: subprocess.CompletedProcess) -> str:
    return p.stderr.decode("utf-8", "replace")


def documents(p: subprocess.CompletedProcess) -> int:
    m = re.search(r"^documents\s+(\d+)", p.stdout.decode(), re.M)
    assert m, f"no documents line in:\n{p.stdout.decode()}\n{err(p)}"
    return int(m.group(1))


def terms(p: subprocess.CompletedProcess) -> dict[str, int]:
    lines = p.stdout.decode().splitlines()
    assert lines and lines[0].startswith("term\tcount"), p.stdout.decode() + err(p)
    return {t: int(c) for t, c, *_ in (l.split("\t") for l in lines[1:])}


def jsonl(n: int, word: str = "good") -> str:
    return "".join(f'{{"text":"{word} {i}"}}\n' for i in range(n))


# ---- 1. each file once; folder cycles -------------------------------------------------------------------------

def test_symlink_cycles_end_and_count_each_file_once(tmp_path: Path):
    d = tmp_path / "d"
    d.mkdir()
    (d / "good.jsonl").write_text(jsonl(3))
    os.symlink(".", d / "s1")
    os.symlink(".", d / "s2")
    p = run("info", d, timeout=30)
    assert p.returncode == 0, err(p)
    assert documents(p) == 3
    e = err(p)
    assert "d/s1: the same folder as" in e and "d/s2: the same folder as" in e, e
    assert e.count("s1:") == 1, e  # said once


def test_same_file_named_twice_is_read_once(tmp_path: Path):
    f = tmp_path / "good.jsonl"
    f.write_text(jsonl(3))
    os.symlink("good.jsonl", tmp_path / "alias.jsonl")
    p = run("info", "good.jsonl", "alias.jsonl", "good.jsonl", cwd=tmp_path)
    assert p.returncode == 0, err(p)
    assert documents(p) == 3
    e = err(p)
    assert "alias.jsonl: the same file as good.jsonl (already read); read once" in e, e
    # A folder holding the file, plus the file named again.
    d = tmp_path / "d"
    d.mkdir()
    os.link(f, d / "hard.jsonl")
    p = run("info", "d", "good.jsonl", cwd=tmp_path)
    assert documents(p) == 3
    assert "good.jsonl: the same file as d/hard.jsonl" in err(p), err(p)


# ---- 2. file names that are not UTF-8, control characters in names ----------------------------------------------

def test_non_utf8_file_name_is_read_and_shown_escaped(tmp_path: Path):
    d = tmp_path / "n"
    d.mkdir()
    raw = os.fsencode(d) + b"/bad\xffname.jsonl"
    with open(raw, "wb") as fh:
        fh.write(b'{"text":"alpha beta"}\n{"text":"alpha"}\n')
    with open(os.fsencode(d) + b"/x\ny.jsonl", "wb") as fh:
        fh.write(b'{"text":"gamma \x00"}\n' + b'{"text":"delta"}\n' * 10)  # a bad record: its name appears on stderr
    p = run("terms", d)
    assert p.returncode == 0, err(p)
    assert terms(p) == {"alpha": 2, "beta": 1, "delta": 10}
    e = err(p)
    assert "x\\ny.jsonl:1: NUL byte in the record" in e, e
    assert "x\ny" not in e, e
    # named on the command line (raw bytes in argv)
    p = run("terms", raw)
    assert p.returncode == 0, err(p)
    assert terms(p) == {"alpha": 2, "beta": 1}
    # shown escaped in `source` (analyze's documents table)
    out = tmp_path / "out"
    p = run("analyze", raw, "-o", out, "--format", "jsonl")
    assert p.returncode == 0, err(p)
    raw_docs = (out / "documents.jsonl").read_bytes()
    assert b"\xff" not in raw_docs
    sources = [json.loads(l)["source"] for l in raw_docs.decode().splitlines()]
    assert sources == [f"{d}/bad\\xffname.jsonl:1", f"{d}/bad\\xffname.jsonl:2"], sources


def test_missing_path_with_control_characters_is_escaped(tmp_path: Path):
    p = run("info", b"nope\x1b[31m\xfe", cwd=tmp_path)
    assert p.returncode == 66
    assert b"\x1b" not in p.stderr and b"\xfe" not in p.stderr
    assert "no such file or directory: nope\\x1b[31m\\xfe" in err(p), err(p)


# ---- 3. NUL bytes ----------------------------------------------------------------------------------------------

def test_nul_in_one_record_skips_that_record_only(tmp_path: Path):
    f = tmp_path / "nul.jsonl"
    f.write_bytes(jsonl(1000).encode() + b'{"text":"ba\x00d"}\n' + jsonl(1000, "more").encode())
    p = run("info", f)
    assert p.returncode == 0, err(p)
    assert documents(p) == 2000
    assert "nul.jsonl:1001: NUL byte in the record" in err(p), err(p)
    # a NUL far beyond the first block, --strict: fatal (exit 65)
    g = tmp_path / "late.csv"
    g.write_bytes(b"id,text\n" + b"".join(b"%d,row %d\n" % (i, i) for i in range(20000)) + b"x,a\x00b\n")
    p = run("info", "--strict", g)
    assert p.returncode == 65, err(p)
    assert "late.csv:20002: NUL byte in the record" in err(p), err(p)
    p = run("info", g)
    assert documents(p) == 20000


def test_binary_file_is_skipped_as_binary(tmp_path: Path):
    f = tmp_path / "blob.txt"
    f.write_bytes(bytes(range(256)) * 400)
    good = tmp_path / "good.jsonl"
    good.write_text(jsonl(2))
    p = run("info", f, good)
    assert p.returncode == 1, err(p)
    assert documents(p) == 2
    assert re.search(r"blob\.txt:1: binary file \(\d+% of its first 65536 bytes are NUL or control bytes\), skipped", err(p)), err(p)
    p = run("info", f)
    assert p.returncode == 66, err(p)


# ---- 4. a record over --max-record-mb ---------------------------------------------------------------------------

@pytest.mark.parametrize("size_mb", [3, 12])  # inside one read block, and longer than a block
def test_long_jsonl_record_is_skipped_alone(tmp_path: Path, size_mb: int):
    f = tmp_path / "long.jsonl"
    f.write_text(jsonl(1000) + '{"text":"' + "x" * (size_mb << 20) + '"}\n' + jsonl(1000, "more"))
    p = run("info", "--max-record-mb", "1", f)
    assert p.returncode == 0, err(p)
    assert documents(p) == 2000
    assert re.search(r"long\.jsonl:1001: record longer than 1 MiB \(--max-record-mb\): \d+ bytes skipped; reading goes on after it", err(p)), err(p)
    p = run("info", f)  # the default limit (256 MiB) keeps it
    assert documents(p) == 2001


def test_long_csv_record_without_line_end_and_reuters(tmp_path: Path):
    f = tmp_path / "long.csv"
    rows = "".join(f"{i},good row {i}\n" for i in range(100))
    f.write_text("id,text\n" + rows + '999,"' + "y \n" * (3 << 20) + '"\n' + rows)
    p = run("info", "--max-record-mb", "1", f)
    assert documents(p) == 200, err(p)
    assert "long.csv:102: record longer than 1 MiB" in err(p), err(p)
    s = tmp_path / "long.sgm"
    one = "".join(f'<REUTERS NEWID="{i}">\n<TEXT><BODY>body {i}</BODY></TEXT>\n</REUTERS>\n' for i in range(3))
    s.write_text(one + '<REUTERS NEWID="9">\n<TEXT><BODY>' + "z " * (3 << 20) + "</BODY></TEXT>\n</REUTERS>\n" + one)
    p = run("info", "--max-record-mb", "1", s)
    assert documents(p) == 6, err(p)
    assert "long.sgm:10: record longer than 1 MiB" in err(p), err(p)


def test_max_record_mb_must_be_positive(tmp_path: Path):
    f = tmp_path / "a.jsonl"
    f.write_text(jsonl(1))
    p = run("info", "--max-record-mb", "0", f)
    assert p.returncode == 64
    assert "--max-record-mb" in err(p)


# ---- 5. damaged gzip --------------------------------------------------------------------------------------------

def test_truncated_gzip_keeps_what_decoded(tmp_path: Path):
    data = "".join(f'{{"text":"doc {i}"}}\n' for i in range(20000)).encode()
    whole = gzip.compress(data)
    f = tmp_path / "trunc.jsonl.gz"
    f.write_bytes(whole[:30000])
    recovered = subprocess.run(["gzip", "-dc"], input=whole[:30000], capture_output=True).stdout
    complete_lines = recovered.count(b"\n")
    p = run("info", f)
    assert p.returncode == 1, err(p)
    assert documents(p) == complete_lines > 1000
    assert re.search(r"trunc\.jsonl\.gz: truncated gzip data \(unexpected end of file\) after \d+ decompressed bytes; the documents before it are kept", err(p)), err(p)


def test_gzip_with_trailing_garbage_keeps_everything(tmp_path: Path):
    f = tmp_path / "g.jsonl.gz"
    f.write_bytes(gzip.compress(jsonl(500).encode()) + b"garbage here\n")
    p = run("info", f)
    assert p.returncode == 0, err(p)
    assert documents(p) == 500
    assert "g.jsonl.gz: 13 bytes of trailing garbage after the gzip data ignored" in err(p), err(p)


# ---- 6. CR line ends --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name,sep,eol", [
    ("cr.csv", ",", "\r"), ("crlf.csv", ",", "\r\n"), ("lf.csv", ",", "\n"),
    ("cr.tsv", "\t", "\r"), ("crlf.tsv", "\t", "\r\n"),
])
def test_csv_tsv_line_ends(tmp_path: Path, name: str, sep: str, eol: str):
    f = tmp_path / name
    f.write_text(eol.join([f"id{sep}text"] + [f"{i}{sep}row number {i}" for i in range(5)]) + eol, newline="")
    p = run("terms", f)
    assert p.returncode == 0, err(p)
    t = terms(p)
    assert t["row"] == 5 and t["number"] == 5, t
    assert not any("\r" in k for k in t)


def test_jsonl_cr_line_ends(tmp_path: Path):
    f = tmp_path / "cr.jsonl"
    f.write_bytes(b'{"text":"one"}\r{"text":"two"}\r{"text":"three"}\r')
    p = run("info", f)
    assert documents(p) == 3, err(p)


# ---- 7. a missing </REUTERS> ------------------------------------------------------------------------------------

def test_missing_reuters_end_tag_does_not_merge_documents(tmp_path: Path):
    f = tmp_path / "miss.sgm"
    f.write_text('<REUTERS NEWID="1">\n<TEXT><BODY>first alpha</BODY></TEXT>\n'
                 '<REUTERS NEWID="2">\n<TEXT><BODY>second beta</BODY></TEXT>\n</REUTERS>\n')
    p = run("terms", f)
    assert p.returncode == 0, err(p)
    assert terms(p) == {"first": 1, "alpha": 1, "second": 1, "beta": 1}
    assert "miss.sgm:1: <REUTERS> element without </REUTERS>: ended at the next <REUTERS> (line 3)" in err(p), err(p)
    p = run("info", f)
    assert documents(p) == 2


# ---- 8. -o naming an input (already a usage error) ---------------------------------------------------------------

def test_output_equal_to_input_is_refused(tmp_path: Path):
    f = tmp_path / "a.jsonl"
    f.write_text(jsonl(2))
    before = f.read_bytes()
    p = run("terms", f, "-o", f)
    assert p.returncode == 64, err(p)
    assert f.read_bytes() == before


# ---- 9. --stopwords DIR -----------------------------------------------------------------------------------------

def test_stopwords_folder_is_a_usage_error(tmp_path: Path):
    f = tmp_path / "a.jsonl"
    f.write_text(jsonl(2))
    (tmp_path / "sw").mkdir()
    p = run("terms", "--stopwords", tmp_path / "sw", f)
    assert p.returncode == 64, err(p)
    assert "--stopwords:" in err(p) and "is a folder" in err(p), err(p)
