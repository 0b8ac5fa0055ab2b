"""SPEC "Association measures": no measure ever leaves its range — dice in (0, 1], log_dice <= 14, npmi in
[-1, 1] — over every row of every pair table on Reuters and the speeches (issue 12). The oracle tests
(test_cooc, test_ngrams) also check O <= f1 and O <= f2 against independently computed margins."""

from __future__ import annotations

import numpy as np
import pyarrow.parquet as pq
import pytest

CASES = [
    ("reuters21578", ["cooc", "--window", "5"]),
    ("reuters21578", ["cooc", "--window", "1"]),
    ("reuters21578", ["ngrams", "-n", "2"]),
    ("reuters21578", ["collocates", "microsoft"]),  # rare node: O close to its margins
    ("reuters21578", ["collocates", "oil", "--window", "10"]),
    ("inaugural", ["cooc", "--window", "10"]),
    ("state_union", ["cooc", "--window", "5", "--stopwords", "en"]),
    ("state_union", ["collocates", "freedom"]),
]


@pytest.mark.parametrize("corpus, cmd", CASES, ids=[f"{c}-{'-'.join(a)}" for c, a in CASES])
def test_measures_in_range(ck, corpora, tmp_path, corpus, cmd):
    out = tmp_path / "t.parquet"
    extra = ["--input-format", "text"] if corpus != "reuters21578" else []
    ck.run(*cmd, corpora / corpus, *extra, "--top", "0", "-o", out)
    t = pq.read_table(out)
    assert t.num_rows > 0
    dice = t.column("dice").to_numpy()
    log_dice = t.column("log_dice").to_numpy()
    npmi = t.column("npmi").to_numpy()
    eps = 1e-12
    assert dice.min() > 0 and dice.max() <= 1 + eps, (dice.min(), dice.max())
    assert log_dice.max() <= 14 + 1e-9, log_dice.max()
    assert npmi.min() >= -1 - 1e-9 and npmi.max() <= 1 + 1e-9, (npmi.min(), npmi.max())
    # the oracle definition: dice = 2 O / (f1 + f2) <= 1 and log_dice = 14 + log2(dice) agree
    assert np.allclose(log_dice, 14 + np.log2(dice), rtol=0, atol=1e-9)
