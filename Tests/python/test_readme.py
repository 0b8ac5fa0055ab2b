"""Issue 16: every example's output in the README is what the binary prints (scripts/readme-examples --check
re-runs each `$ corpuskit …` fence; timings are not compared)."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import BIN, REPO


def test_readme_examples_are_current(corpora):
    p = subprocess.run([sys.executable, str(REPO / "scripts" / "readme-examples"), "--check"], capture_output=True,
                       timeout=1800, env=dict(os.environ, CORPUSKIT_BIN=str(BIN)))
    assert p.returncode == 0, p.stderr.decode()[-6000:]
