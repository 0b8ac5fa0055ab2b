"""Issue 16: `--encoding auto` is the default — valid UTF-8 is read as UTF-8, a file that is not is read as
Windows-1252 and said once on stderr; `--encoding utf-8` keeps the old behaviour (U+FFFD, counted)."""

from __future__ import annotations

import json

from conftest import parse_tsv


def mixed_folder(tmp_path):
    d = tmp_path / "mixed"
    d.mkdir()
    (d / "a-utf8.txt").write_bytes("café “quoted” naïve\n".encode("utf-8"))
    (d / "b-cp1252.txt").write_bytes("café “quoted” naïve\n".encode("cp1252"))
    (d / "c-ascii.txt").write_bytes(b"plain ascii cafe\n")
    return d


def test_auto_reads_a_mixed_folder(ck, tmp_path):
    d = mixed_folder(tmp_path)
    p = ck.run_raw("terms", d, "--input-format", "text", "--format", "tsv", "--top", "0")
    assert p.returncode == 0, p.stderr
    _, rows = parse_tsv(p.stdout.decode())
    counts = {r[0]: int(r[1]) for r in rows}
    assert counts["café"] == 2 and counts["naïve"] == 2 and counts["quoted"] == 2
    assert not any("\ufffd" in t for t in counts)
    err = p.stderr.decode()
    assert err.count("read as Windows-1252") == 1 and "b-cp1252.txt:1" in err
    assert "a-utf8.txt" not in err


def test_utf8_forced_replaces_invalid_bytes(ck, tmp_path):
    d = mixed_folder(tmp_path)
    p = ck.run_raw("terms", d / "b-cp1252.txt", "--input-format", "text", "--encoding", "utf-8", "--format", "tsv")
    assert p.returncode == 0
    assert "invalid UTF-8" in p.stderr.decode()
    _, rows = parse_tsv(p.stdout.decode())
    assert "café" not in {r[0] for r in rows}


def test_speeches_read_without_replacement_characters(ck, corpora):
    for name in ["inaugural", "state_union"]:
        p = ck.run_raw("info", corpora / name, "--input-format", "text", "--format", "json")
        assert p.returncode == 0, p.stderr
        info = json.loads(p.stdout)
        assert info["invalid_utf8"] == 0, (name, info)
        p = ck.run_raw("terms", corpora / name, "--input-format", "text", "--format", "tsv", "--top", "0")
        assert "\ufffd" not in p.stdout.decode(), name
