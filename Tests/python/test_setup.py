"""Issue 16: the README's first command works on a fresh clone — `scripts/setup` builds the release binary
and runs `corpuskit analyze -o out/sample` on the bundled Corpus/, with no out/, .build/ or .venv/ left over
from a working tree. The clone is of the committed HEAD, laid out beside a `shared/` link as on a user's
machine. Slow: it builds from scratch (a few minutes on two cores)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from conftest import REPO


@pytest.mark.slow
def test_setup_on_a_fresh_clone(tmp_path):
    if os.environ.get("CORPUSKIT_SKIP_SLOW"):
        pytest.skip("CORPUSKIT_SKIP_SLOW is set")
    if shutil.which("swift") is None:
        pytest.fail("swift is not on PATH")
    clone = tmp_path / "corpuskit"
    subprocess.run(["git", "clone", "-q", str(REPO), str(clone)], check=True, timeout=300)
    shared = REPO.parent / "shared"
    if shared.exists():
        (tmp_path / "shared").symlink_to(shared.resolve())
    assert not (clone / "out").exists() and not (clone / ".build").exists()
    p = subprocess.run(["bash", "scripts/setup"], cwd=clone, capture_output=True, timeout=3000,
                       env={k: v for k, v in os.environ.items() if not k.startswith("CORPUSKIT_")})
    out = (p.stdout + p.stderr).decode("utf-8", "replace")
    assert p.returncode == 0, out[-4000:]
    manifest = json.loads((clone / "out" / "sample" / "manifest.json").read_text())
    assert manifest["counts"]["documents"] == 1
    assert manifest["counts"]["tokens"] > 400
    for name in ["documents", "terms", "ngrams", "cooc", "trends"]:
        assert (clone / "out" / "sample" / f"{name}.parquet").exists(), name
    # a second run replaces the folder it wrote (an earlier analyze folder), exit 0
    p = subprocess.run([str(clone / ".build/release/corpuskit"), "analyze", "-o", "out/sample"], cwd=clone,
                       capture_output=True, timeout=600)
    assert p.returncode == 0, p.stderr.decode()
