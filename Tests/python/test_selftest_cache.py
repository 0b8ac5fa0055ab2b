"""The fast path's start-up self-test verdict, kept per executable and ICU (issue 15): the first process runs
the probing and the self-test and keeps the verdict in $CORPUSKIT_CACHE_DIR; the next one with the same
executable and ICU reuses it; a damaged file, or CORPUSKIT_SELFTEST=always, makes the self-test run again.
Output never depends on which way the process learned the verdict."""

from __future__ import annotations

import os
import subprocess

import pytest

TEXT = b'{"title": "Oil", "text": "Crude oil rose 3% to $81.20 a barrel. U.S. traders said so."}\n'


def run(ck, cache_dir, *args, extra_env=None):
    env = dict(os.environ, CORPUSKIT_CACHE_DIR=str(cache_dir))
    env.pop("CORPUSKIT_SELFTEST", None)
    if extra_env:
        env.update(extra_env)
    p = subprocess.run([str(ck.bin), *args], capture_output=True, env=env, timeout=120)
    assert p.returncode == 0, p.stderr.decode("utf-8", "replace")
    return p.stdout.decode("utf-8")


def how(ck, cache_dir, corpus, **kw) -> str:
    """The bench header's account of the fast path ("self-test run in this process" or "...kept...")."""
    out = run(ck, cache_dir, "bench", corpus, "--stages", "segment", "--jobs", "1", "--repeat", "1", **kw)
    line = next(l for l in out.splitlines() if l.startswith("machine:"))
    assert "fast path (FastWordSegmenter" in line, line
    return line


def test_verdict_is_kept_reused_and_rejected_when_damaged(ck, tmp_path):
    corpus = tmp_path / "c.jsonl"
    corpus.write_bytes(TEXT)
    cache = tmp_path / "cache"
    assert "self-test run in this process" in how(ck, cache, corpus)
    files = list(cache.glob("fastpath-*.txt"))
    assert len(files) == 1, files
    kept = files[0].read_text()
    assert "\nicu " in kept and "\nexe " in kept and "libicuuc" in kept and "\n--\n" in kept
    # The next process with the same executable and ICU reuses the verdict.
    assert "kept from an earlier run" in how(ck, cache, corpus)
    # CORPUSKIT_SELFTEST=always ignores it.
    assert "self-test run in this process" in how(ck, cache, corpus, extra_env={"CORPUSKIT_SELFTEST": "always"})
    # A damaged verdict (a class changed, so the checksum no longer holds) is not trusted: the self-test
    # runs again and writes a good file.
    lines = kept.splitlines()
    i = lines.index("--") + 1
    scalar, cls = lines[i].split(" ")
    lines[i] = f"{scalar} {(int(cls) + 1) % 10}"
    files[0].write_text("\n".join(lines) + "\n")
    assert "self-test run in this process" in how(ck, cache, corpus)
    assert files[0].read_text() == kept
    assert "kept from an earlier run" in how(ck, cache, corpus)


def test_output_does_not_depend_on_how_the_verdict_was_learned(ck, tmp_path):
    corpus = tmp_path / "c.jsonl"
    corpus.write_bytes(TEXT * 50)
    cache = tmp_path / "cache"
    first = run(ck, cache, "ngrams", "-n", "2", corpus, "--format", "tsv")      # self-test run, verdict kept
    second = run(ck, cache, "ngrams", "-n", "2", corpus, "--format", "tsv")     # verdict reused
    always = run(ck, cache, "ngrams", "-n", "2", corpus, "--format", "tsv",
                 extra_env={"CORPUSKIT_SELFTEST": "always"})
    icu = run(ck, cache, "ngrams", "-n", "2", corpus, "--format", "tsv", "--segmenter", "icu")
    assert first == second == always == icu
    assert "crude oil" in first


def test_unwritable_cache_directory_is_not_an_error(ck, tmp_path):
    corpus = tmp_path / "c.jsonl"
    corpus.write_bytes(TEXT)
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    out = run(ck, blocker / "sub", "terms", corpus, "--format", "tsv")
    assert "oil\t2\t1" in out
