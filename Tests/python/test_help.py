"""Issue 16: every command's --help has one real example, shows defaults as users type them, and points
nowhere outside the repository."""

from __future__ import annotations

import re
import subprocess

import pytest

from conftest import BIN

COMMANDS = ["tokens", "terms", "ngrams", "cooc", "collocates", "docs", "info", "trends", "rising", "bursts",
            "keyness", "periods", "analyze", "merge", "dispersion", "dtm", "kwic", "convert", "bench", "dups", "report"]


def test_every_command_is_checked():
    """The root help's subcommands are exactly COMMANDS: a new command gets its help checked too."""
    p = subprocess.run([str(BIN), "--help"], capture_output=True, timeout=60)
    text = p.stdout.decode()
    listed = re.findall(r"^  ([a-z]+)\s", text.split("SUBCOMMANDS:")[1], flags=re.M)
    assert sorted(set(listed) - {"help"}) == sorted(COMMANDS)


@pytest.mark.parametrize("cmd", COMMANDS)
def test_help_has_an_example(cmd):
    p = subprocess.run([str(BIN), cmd, "--help"], capture_output=True, timeout=60)
    assert p.returncode == 0
    text = p.stdout.decode()
    assert re.search(rf"Examples?:\s*\n?\s*corpuskit {cmd} ", text), text[-600:]
    assert "CorpusEngine." not in text and "SPEC.md" not in text and "../shared" not in text
