"""scripts/get-corpora: downloads are checked against the manifest digest written in the script, a wrong
or broken download installs nothing, and the digests written in the script match the shared corpora.

Downloads are served from a local file:// URL (`--from` / CORPUSKIT_CORPORA_URL); no network is used.
The manifest digest is recomputed here independently: sha256 of the lines "<sha256>  <name>\\n" of every
file of the corpus folder, sorted by the name's bytes.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import subprocess
import tarfile
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent.parent
# The shared corpora, as conftest.py finds them (not imported: these tests need neither the binary nor PyICU).
CORPORA = Path(os.environ.get("CORPUSKIT_CORPORA") or REPO.parent / "shared" / "corpora")
SCRIPT = REPO / "scripts" / "get-corpora"

FAKE_INAUGURAL = {
    "1789-Washington.txt": b"Fellow-Citizens of the Senate and of the House of Representatives:\n",
    "1793-Washington.txt": b"Fellow citizens, I am again called upon by the voice of my country.\n",
    "README": b"C-Span Inaugural Address Corpus (a stand-in of three files for this test)\n",
}


def manifest_digest(files: dict[str, bytes]) -> str:
    lines = "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n"
                    for name, data in sorted(files.items(), key=lambda kv: kv[0].encode()))
    return hashlib.sha256(lines.encode()).hexdigest()


def folder_files(d: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in d.iterdir() if p.is_file()}


def script_digest(name: str, script: Path = SCRIPT) -> str:
    m = re.search(rf'^DIGEST_{name}="([0-9a-f]{{64}})"$', script.read_text(), re.M)
    assert m, f"no DIGEST_{name} line in {script}"
    return m.group(1)


def make_zip(path: Path, files: dict[str, bytes], folder: str = "inaugural") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as z:
        for name, data in files.items():
            z.writestr(f"{folder}/{name}", data)
        z.writestr("__MACOSX/._junk", b"resource fork")  # outside the corpus folder: must be ignored


def script_expecting(tmp_path: Path, name: str, digest: str, count: int) -> Path:
    """A copy of scripts/get-corpora whose digest for NAME is DIGEST (the test's own data)."""
    text = SCRIPT.read_text()
    text, n1 = re.subn(rf'^DIGEST_{name}="[0-9a-f]{{64}}"$', f'DIGEST_{name}="{digest}"', text, flags=re.M)
    text, n2 = re.subn(rf"^FILES_{name}=\d+$", f"FILES_{name}={count}", text, flags=re.M)
    assert (n1, n2) == (1, 1), "the DIGEST_/FILES_ lines of scripts/get-corpora changed form"
    copy = tmp_path / "repo" / "scripts" / "get-corpora"
    copy.parent.mkdir(parents=True)
    copy.write_text(text)
    copy.chmod(0o755)
    return copy


def run(script: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if k != "CORPUSKIT_CORPORA_URL"}
    full_env["CORPUSKIT_CORPORA"] = "/nonexistent/shared/corpora"  # never link unless a test says so
    full_env.update(env or {})
    return subprocess.run(["bash", str(script), *args], capture_output=True, text=True, env=full_env,
                          timeout=600)


@pytest.mark.parametrize("via", ["flag", "env"])
def test_download_with_the_right_checksum_is_installed(tmp_path, via):
    make_zip(tmp_path / "srv" / "inaugural.zip", FAKE_INAUGURAL)
    script = script_expecting(tmp_path, "inaugural", manifest_digest(FAKE_INAUGURAL), len(FAKE_INAUGURAL))
    url = (tmp_path / "srv").as_uri()
    out = tmp_path / "out"
    if via == "flag":
        p = run(script, "--from", url, "--only", "inaugural", str(out))
    else:
        p = run(script, "--only", "inaugural", str(out), env={"CORPUSKIT_CORPORA_URL": url})
    assert p.returncode == 0, p.stderr
    assert "checksum ok" in p.stdout
    assert folder_files(out / "inaugural") == FAKE_INAUGURAL
    assert sorted(os.listdir(out)) == ["inaugural"]  # no scratch folder, no archive, no __MACOSX left
    # A second run finds it in place and checks it again.
    again = run(script, "--from", url, "--only", "inaugural", str(out))
    assert again.returncode == 0 and "already there (checksum ok)" in again.stdout


def test_an_archive_inside_the_archive_is_unpacked(tmp_path):
    """The UCI zip holds reuters21578.tar.gz, whose files are not in a folder."""
    files = {"reut2-000.sgm": b"<REUTERS NEWID=\"1\">\n<DATE>26-FEB-1987 15:01:01.79</DATE>\n</REUTERS>\n",
             "README.txt": b"Reuters-21578, Distribution 1.0 (stand-in)\n"}
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    (tmp_path / "srv").mkdir()
    with zipfile.ZipFile(tmp_path / "srv" / "reuters+21578+text+categorization+collection.zip", "w") as z:
        z.writestr("reuters21578.tar.gz", buf.getvalue())
    script = script_expecting(tmp_path, "reuters21578", manifest_digest(files), len(files))
    out = tmp_path / "out"
    p = run(script, "--from", (tmp_path / "srv").as_uri(), "--only", "reuters21578", str(out))
    assert p.returncode == 0, p.stderr
    assert folder_files(out / "reuters21578") == files
    assert sorted(os.listdir(out)) == ["reuters21578"]


def test_wrong_checksum_fails_clearly_and_installs_nothing(tmp_path):
    make_zip(tmp_path / "srv" / "inaugural.zip", FAKE_INAUGURAL)  # not the real corpus: digest differs
    out = tmp_path / "out"
    p = run(SCRIPT, "--from", (tmp_path / "srv").as_uri(), "--only", "inaugural", str(out))
    assert p.returncode != 0
    assert "inaugural: checksum mismatch" in p.stderr
    assert f"expected manifest sha256 {script_digest('inaugural')}" in p.stderr
    assert f"got      manifest sha256 {manifest_digest(FAKE_INAUGURAL)} (3 files)" in p.stderr
    assert "nothing was installed" in p.stderr
    assert os.listdir(out) == []  # nothing half-extracted left behind


def test_one_changed_byte_fails(tmp_path):
    changed = dict(FAKE_INAUGURAL, **{"1793-Washington.txt": b"Fellow citizens, I am again called upon by the voice of my country!\n"})
    make_zip(tmp_path / "srv" / "inaugural.zip", changed)
    script = script_expecting(tmp_path, "inaugural", manifest_digest(FAKE_INAUGURAL), len(FAKE_INAUGURAL))
    out = tmp_path / "out"
    p = run(script, "--from", (tmp_path / "srv").as_uri(), "--only", "inaugural", str(out))
    assert p.returncode != 0 and "checksum mismatch" in p.stderr
    assert os.listdir(out) == []


@pytest.mark.parametrize("case", ["missing", "not-an-archive", "wrong-content"])
def test_broken_downloads_fail_clearly_and_install_nothing(tmp_path, case):
    srv = tmp_path / "srv"
    srv.mkdir()
    if case == "not-an-archive":
        (srv / "inaugural.zip").write_bytes(b"<html>404 Not Found</html>\n")
    elif case == "wrong-content":
        make_zip(srv / "inaugural.zip", {"other.txt": b"x\n"}, folder="something")
    script = script_expecting(tmp_path, "inaugural", manifest_digest(FAKE_INAUGURAL), len(FAKE_INAUGURAL))
    out = tmp_path / "out"
    p = run(script, "--from", srv.as_uri(), "--only", "inaugural", str(out))
    assert p.returncode != 0
    expected = {"missing": "could not download", "not-an-archive": "inaugural.zip is not a readable zip or tar archive",
                "wrong-content": "the download holds no 1789-Washington.txt"}[case]
    assert f"get-corpora: inaugural: {expected}" in p.stderr, p.stderr
    assert os.listdir(out) == []


def test_an_existing_folder_that_does_not_match_is_left_alone(tmp_path):
    out = tmp_path / "out"
    (out / "inaugural").mkdir(parents=True)
    (out / "inaugural" / "mine.txt").write_bytes(b"my own file\n")
    make_zip(tmp_path / "srv" / "inaugural.zip", FAKE_INAUGURAL)
    p = run(SCRIPT, "--from", (tmp_path / "srv").as_uri(), "--only", "inaugural", str(out))
    assert p.returncode != 0 and "exists but does not match" in p.stderr
    assert folder_files(out / "inaugural") == {"mine.txt": b"my own file\n"}


def test_unknown_corpus_is_a_usage_error(tmp_path):
    p = run(SCRIPT, "--only", "brown", str(tmp_path / "out"))
    assert p.returncode == 64 and "unknown corpus 'brown'" in p.stderr


SHARED = ["reuters21578", "inaugural", "state_union"]


@pytest.mark.skipif(not all((CORPORA / n).is_dir() for n in SHARED),
                    reason=f"the shared corpora are not at {CORPORA} (set CORPUSKIT_CORPORA)")
def test_digests_in_the_script_match_the_shared_corpora_which_are_linked(tmp_path):
    for name in SHARED:
        assert manifest_digest(folder_files(CORPORA / name)) == script_digest(name), name
    out = tmp_path / "out"
    p = run(SCRIPT, str(out), env={"CORPUSKIT_CORPORA": str(CORPORA)})
    assert p.returncode == 0, p.stderr
    for name in SHARED:
        assert (out / name).is_symlink() and (out / name).resolve() == (CORPORA / name).resolve()


@pytest.mark.skipif(not (CORPORA / "inaugural").is_dir(), reason=f"the shared corpora are not at {CORPORA}")
def test_a_shared_copy_that_does_not_match_is_not_linked(tmp_path):
    shared = tmp_path / "shared"
    shutil.copytree(CORPORA / "inaugural", shared / "inaugural")
    victim = shared / "inaugural" / "1789-Washington.txt"
    victim.chmod(0o644)
    data = bytearray(victim.read_bytes())
    data[0] ^= 0x20
    victim.write_bytes(bytes(data))
    out = tmp_path / "out"
    p = run(SCRIPT, "--only", "inaugural", str(out), env={"CORPUSKIT_CORPORA": str(shared)})
    assert p.returncode != 0 and "the shared copy" in p.stderr and "does not match; not linked" in p.stderr
    assert os.listdir(out) == []
