"""Issue 18: `corpuskit report` — one self-contained HTML page.

The page's numbers (SVG data attributes, tables) must equal the `periods`, `trends`, `bursts`, `terms`,
`cooc` and `rising` tables for the same input; the page is deterministic (--jobs 1, 2, 4 give the same
bytes), escapes every text, refuses a bad -o before reading, and renders in a real browser: headless
Chromium (Debian's `chromium` and `chromium-driver`, installed by scripts/test) loads it from a file URL with
the network blocked, with no console error and no request other than the page itself. Screenshots at 1280 and
390 px are kept under the folder the browser tests print (CORPUSKIT_ARTIFACTS, default
/tmp/corpuskit-artifacts/report). A browser test fails, not skips, when the browser is missing.
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import close, parse_tsv

ARTIFACTS = Path(os.environ.get("CORPUSKIT_ARTIFACTS", "/tmp/corpuskit-artifacts")) / "report"

# ---- reading the page back ---------------------------------------------------------------------------------


class Page(HTMLParser):
    """Every element with its attributes; every table (by id) as rows of cells; each cell is
    (text, data-v or None)."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []
        self.tables: dict[str, list[list[tuple[str, str | None]]]] = {}
        self.table_attrs: dict[str, dict] = {}
        self.scripts = 0
        self._table: str | None = None
        self._row: list | None = None
        self._cell: list | None = None
        self._in_tbody = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.elements.append((tag, a))
        if tag == "script":
            self.scripts += 1
        if tag == "table":
            self._table = a.get("id")
            self.tables[self._table] = []
            self.table_attrs[self._table] = a
        elif tag == "tbody":
            self._in_tbody = True
        elif tag == "tr" and self._in_tbody:
            self._row = []
        elif tag == "td" and self._row is not None:
            self._cell = ["", a.get("data-v")]

    def handle_endtag(self, tag):
        if tag == "td" and self._cell is not None and self._row is not None:
            self._row.append((self._cell[0], self._cell[1]))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if not (len(self._row) == 1 and self._row[0][0] == "(none)"):
                self.tables[self._table].append(self._row)
            self._row = None
        elif tag == "tbody":
            self._in_tbody = False
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell[0] += data

    def having(self, cls: str) -> list[dict]:
        return [a for _, a in self.elements if cls in (a.get("class") or "").split()]

    def table(self, tid: str) -> list[list[str]]:
        """A table's cells: the exact value (data-v) where there is one, else the text."""
        return [[v if v is not None else t for t, v in row] for row in self.tables[tid]]


NULL = "\\N"  # a null cell of a TSV table


def fnum(s: str) -> float | None:
    return None if s in ("", NULL, None) else float(s)


# ---- corpora --------------------------------------------------------------------------------------------


def jsonl(path: Path, docs: list[dict]) -> Path:
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
    return path


@pytest.fixture
def news(tmp_path) -> Path:
    """Four months, the second without documents; 'flood' bursts in April, 'market' is steady."""
    docs = []
    texts = {
        "2024-01": ["The market rose as oil prices fell. Oil traders watched the market.",
                    "Rain in the north; the market was calm and oil steady.",
                    "Grain exports grew. The market for grain and oil widened."],
        "2024-03": ["The market fell. Oil and grain prices rose in the cold.",
                    "A quiet week on the market; oil unchanged, grain lower."],
        "2024-04": ["Flood waters rose; the flood closed roads and the market.",
                    "The flood spread south. Flood warnings for the river valley.",
                    "After the flood the market reopened; oil rose, flood damage counted.",
                    "Flood insurance claims grew as the flood receded.",
                    "Market news: oil up, grain down, flood relief funds."],
    }
    n = 0
    for month, ts in texts.items():
        for i, t in enumerate(ts):
            n += 1
            docs.append({"id": f"d{n}", "date": f"{month}-{10 + i:02d}T12:00:00Z", "title": f"Story {n}", "text": t})
    return jsonl(tmp_path / "news.jsonl", docs)


def report(ck, out: Path, *args, jobs: int | None = None) -> tuple[str, Page]:
    extra = ["--jobs", str(jobs)] if jobs else []
    ck.run("report", *args, "-o", out, *extra)
    text = out.read_text(encoding="utf-8")
    return text, Page(text)


def cmd_tsv(ck, *args):
    return parse_tsv(ck.run(*args, "--format", "tsv"))


# ---- the numbers equal the commands' tables ------------------------------------------------------------


def test_numbers_equal_the_commands(ck, news, tmp_path):
    ck.require("report")
    base = [news, "--input-format", "jsonl"]
    text, page = report(ck, tmp_path / "r.html", *base, "--by", "month", "--terms", "flood,market,oil",
                        "--stopwords", "en", "--top", "5", "--min-count", "2")
    # periods: documents and tokens per month, the empty month included, as bars and as a table
    _, periods = cmd_tsv(ck, "periods", *base, "--by", "month")
    assert page.table("periods-table") == [[p, s, d, t] for p, s, d, t in periods]
    assert [(a["data-period"], a["data-documents"]) for a in page.having("bar") if "data-documents" in a] == \
        [(p, d) for p, _, d, _ in periods]
    assert [(a["data-period"], a["data-tokens"]) for a in page.having("bar") if "data-tokens" in a] == \
        [(p, t) for p, _, _, t in periods]

    # trends: every point equals trends --terms (exact per_million), the empty month is a gap
    _, trends = cmd_tsv(ck, "trends", *base, "--by", "month", "--terms", "flood,market,oil")
    points = {(a["data-period"], a["data-term"]): a for a in page.having("pt")}
    want = {(r[0], r[2]): r for r in trends if r[5] != NULL}
    assert set(points) == set(want)
    for k, r in want.items():
        a = points[k]
        assert (a["data-count"], a["data-docs"]) == (r[3], r[4]), k
        assert float(a["data-per-million"]) == float(r[5]), k
    assert [r for r in trends if r[5] == NULL] and all(r[0] == "2024-02" for r in trends if r[5] == NULL)
    gaps = [a["data-period"] for a in page.having("gap")]
    assert gaps == ["2024-02"]
    for line in page.having("line"):
        assert line["d"].count("M") == 2, line  # the line breaks at the gap
    table = page.table("trends-table")
    assert [(r[0], r[1], r[2], r[3], fnum(r[4])) for r in table] == \
        [(r[0], r[2], r[3], r[4], fnum(r[5])) for r in trends]

    # bursts: the strongest of the trend terms' and the 50 most frequent terms' bursts, as `bursts`
    _, chosen = cmd_tsv(ck, "bursts", *base, "--by", "month", "--terms", "flood,market,oil")
    _, frequent = cmd_tsv(ck, "bursts", *base, "--by", "month", "--top", "50", "--stopwords", "en")
    rows = chosen + [r for r in frequent if r[0] not in {"flood", "market", "oil"}]
    rows.sort(key=lambda r: (-float(r[3]), r[0].encode(), r[1]))
    rows = rows[:20]
    shown = [(a["data-term"], a["data-start"], a["data-end"], float(a["data-weight"])) for a in page.having("burst")]
    assert shown == [(t, s, e, float(w)) for t, s, e, w in rows]
    assert ("flood", "2024-04", "2024-04") in [s[:3] for s in shown]
    assert page.table("bursts-table") == [[t, s, e, w] for t, s, e, w in rows]

    # top terms, as terms --top 5 --stopwords en
    _, terms = cmd_tsv(ck, "terms", *base, "--top", "5", "--stopwords", "en")
    assert [(r[0], r[1], r[2], float(r[3])) for r in page.table("terms-table")] == \
        [(r[0], r[1], r[2], float(r[3])) for r in terms]

    # collocates of each term: the window pairs holding it, in the order of cooc --sort log_dice
    head, cooc = cmd_tsv(ck, "cooc", *base, "--window", "5", "--stopwords", "en", "--min-count", "2", "--sort", "log_dice")
    ld = head.index("log_dice")
    for node in ["flood", "market", "oil"]:
        want = [(r[1] if r[0] == node else r[0], r[2], r[3], float(r[ld])) for r in cooc if node in (r[0], r[1])][:5]
        tid = next(k for k, a in page.table_attrs.items() if a.get("data-node") == node)
        got = [(r[0], r[1], r[2], float(r[3])) for r in page.table(tid)]
        assert got == want, node
        assert want, node

    # keyness of the last month against the earlier months with documents, as rising
    _, rising = cmd_tsv(ck, "rising", *base, "--by", "month", "--period", "2024-04", "--baseline", "2",
                        "--stopwords", "en", "--min-count", "2", "--top", "5")
    got = page.table("keyness-table")
    assert [r[:3] for r in got] == [r[:3] for r in rising]
    for g, w in zip(got, rising):
        # page: per_million, baseline_per_million, log_ratio, g2; rising: per_million, baseline_per_million, log_ratio, g2
        assert [float(x) for x in g[3:]] == [float(x) for x in w[3:]]


def test_default_terms_are_the_top_rising(ck, news, tmp_path):
    ck.require("report")
    base = [news, "--input-format", "jsonl"]
    _, page = report(ck, tmp_path / "r.html", *base, "--stopwords", "en", "--min-count", "2")
    _, rising = cmd_tsv(ck, "rising", *base, "--by", "month", "--period", "2024-04", "--baseline", "2",
                        "--stopwords", "en", "--min-count", "2")
    want = [r[0] for r in rising if float(r[6]) > 0 and float(r[5]) > 0][:5]
    legend = [a["data-term"] for tag, a in page.elements if tag == "li" and "data-term" in a]
    assert legend == want and "flood" in want
    assert {a["data-term"] for a in page.having("pt")} == set(want)


def test_same_bytes_for_any_jobs(ck, news, tmp_path):
    ck.require("report")
    out = tmp_path / "r.html"
    pages = []
    for jobs in (1, 2, 4):
        text, _ = report(ck, out, news, "--input-format", "jsonl", "--terms", "flood,oil", "--stopwords", "en", jobs=jobs)
        pages.append(text)
    assert pages[0] == pages[1] == pages[2]
    assert "--jobs" not in pages[0]  # the rerun line leaves it out


def test_self_contained_and_accessible(ck, news, tmp_path):
    ck.require("report")
    text, page = report(ck, tmp_path / "r.html", news, "--input-format", "jsonl", "--terms", "flood,market")
    assert text.startswith("<!DOCTYPE html>")
    # nothing loaded from elsewhere: no src/href other than in-page anchors, no url(), no @import
    for tag, a in page.elements:
        for k in ("src", "href", "xlink:href", "action", "data"):
            if k in a:
                assert a[k].startswith("#"), (tag, a)
    assert "url(" not in text and "@import" not in text and "http://" not in text.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in text
    assert page.scripts == 1
    # every chart: an accessible name (title, aria-labelledby) and its data in a table behind <details>
    svgs = [a for tag, a in page.elements if tag == "svg" and a.get("role") == "img"]
    assert {a["id"] for a in svgs} == {"docs-chart", "tokens-chart", "trends-chart", "bursts-chart"}
    assert all(a.get("aria-labelledby") == a["id"] + "-title" for a in svgs)
    assert all(a.get("viewbox", "").startswith("0 0 960 ") for a in svgs)  # (the parser lowercases names)
    assert text.count("<details>") == 4 and "@media (max-width:640px)" in text
    # lines differ in dash pattern and marker, not only in colour
    lines = page.having("line")
    assert len({a.get("stroke-dasharray") for a in lines}) == len(lines) == 2
    # the manifest: versions, options, inputs with sizes and CRC-32
    m = re.search(r'<pre id="manifest">(.*?)</pre>', text, re.S).group(1)
    import html as h
    manifest = json.loads(h.unescape(m))
    assert manifest["options"]["terms"] == "flood,market" and manifest["corpuskit_version"]
    assert manifest["inputs"][0]["path"] == str(news) and manifest["inputs"][0]["bytes"] == news.stat().st_size
    assert manifest["counts"]["documents"] == 10
    rerun = h.unescape(re.search(r'<code id="rerun">(.*?)</code>', text).group(1))
    assert rerun.startswith("corpuskit report ") and "--terms flood,market" in rerun


def injection_page(ck, tmp_path) -> tuple[str, Page]:
    """A corpus whose file name, ids, titles and texts hold markup and script."""
    evil = tmp_path / "<script>alert(1)<\\script>'\"&amp;.jsonl"
    jsonl(evil, [{"id": "<b>x</b>", "title": "<script>alert(2)</script>", "date": "2024-01-05",
                  "text": "</pre><script>alert(3)</script> <img src=x onerror=alert(4)> market news"},
                 {"id": "2", "date": "2024-02-05", "text": "market market news </title><svg onload=alert(5)>"}])
    return report(ck, tmp_path / "r.html", evil, "--input-format", "jsonl", "--terms", "market,<b>news</b>")


def test_injection_is_escaped(ck, tmp_path):
    ck.require("report")
    text, page = injection_page(ck, tmp_path)
    assert page.scripts == 1  # only the page's own table-sorting script
    assert "<script>alert" not in text and "<img" not in text and "<svg onload" not in text
    assert "&lt;script&gt;alert(1)&lt;\\script&gt;&#39;&quot;&amp;amp;.jsonl" in text
    assert not any(k.startswith("on") for _, a in page.elements for k in a)


def test_output_is_checked_before_reading(ck, news, tmp_path):
    ck.require("report")
    p = ck.run_raw("report", news)
    assert p.returncode == 64 and b"-o" in p.stderr
    p = ck.run_raw("report", tmp_path / "absent.jsonl", "-o", tmp_path / "no" / "such" / "r.html")
    assert p.returncode == 73, p.stderr  # before reading: the missing input is not what fails
    p = ck.run_raw("report", news, "-o", "-")
    assert p.returncode == 64
    p = ck.run_raw("report", news, "-o", news)
    assert p.returncode == 64 and b"one of the inputs" in p.stderr
    # a failed run keeps an earlier page as it was, and leaves no temporary file
    out = tmp_path / "keep.html"
    out.write_text("earlier")
    p = ck.run_raw("report", tmp_path / "absent.jsonl", "-o", out)
    assert p.returncode == 66 and out.read_text() == "earlier"
    assert sorted(x.name for x in tmp_path.iterdir()) == ["keep.html", "news.jsonl"]


def test_bundled_sample(ck, tmp_path):
    ck.require("report")
    p = subprocess.run([str(ck.bin), "report", "-o", "sample.html", "--stopwords", "en"], cwd=tmp_path,
                       capture_output=True, timeout=300)
    assert p.returncode == 0, p.stderr.decode()
    page = Page((tmp_path / "sample.html").read_text(encoding="utf-8"))
    assert page.having("pt") and page.table("terms-table") and page.table("periods-table")


def test_undated_and_single_period_corpora(ck, tmp_path):
    ck.require("report")
    undated = jsonl(tmp_path / "undated.jsonl", [{"id": "1", "text": "no date here, just words"}])
    p = ck.run_raw("report", undated, "--input-format", "jsonl", "-o", tmp_path / "u.html")
    assert p.returncode == 0, p.stderr
    page = Page((tmp_path / "u.html").read_text(encoding="utf-8"))
    assert not page.having("pt") and not page.having("bar") and page.table("terms-table")
    assert "no dated documents" in (tmp_path / "u.html").read_text(encoding="utf-8")
    # one month: no keyness; the trend lines are then the most frequent terms
    one = jsonl(tmp_path / "one.jsonl", [{"id": "1", "date": "2024-05-01", "text": "rain rain rain sun"},
                                         {"id": "2", "date": "2024-05-09", "text": "rain sun wind"}])
    text, page = report(ck, tmp_path / "o.html", one, "--input-format", "jsonl")
    assert [a["data-term"] for tag, a in page.elements if tag == "li" and "data-term" in a] == ["rain", "sun", "wind"]
    assert "Fewer than two months have documents" in text and "keyness-table" not in page.tables


def test_many_inputs_are_listed_up_to_500(ck, tmp_path):
    ck.require("report")
    d = tmp_path / "many"
    d.mkdir()
    for i in range(502):
        (d / f"2024-01-{1 + i % 28:02d}-n{i:03d}.txt").write_text(f"note {i} on the weather\n", encoding="utf-8")
    text, page = report(ck, tmp_path / "m.html", d)
    import html as h
    manifest = json.loads(h.unescape(re.search(r'<pre id="manifest">(.*?)</pre>', text, re.S).group(1)))
    assert len(manifest["inputs"]) == 500 and manifest["inputs_total"] == 502 and manifest["counts"]["documents"] == 502
    assert len(page.table("inputs-table")) == 500 and "The first 500 of the 502 files read" in text


# ---- in a real browser -------------------------------------------------------------------------------


def start_browser(log):
    """Headless Chromium through chromedriver, with name resolution blocked (no host resolves) and the
    network log on. Fails (never skips) when the browser is missing: scripts/test installs it."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if not chromium or not driver:
        pytest.fail("the browser test needs Debian's chromium and chromium-driver (scripts/test installs them: "
                    "apt-get install chromium chromium-driver)", pytrace=False)
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.fail("the browser test needs selenium (Tests/python/requirements.txt)", pytrace=False)
    o = webdriver.ChromeOptions()
    o.binary_location = chromium
    for arg in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
                "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9", "--force-device-scale-factor=1",
                "--disable-background-networking", "--disable-component-update", "--no-first-run"]:
        o.add_argument(arg)
    o.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    return webdriver.Chrome(service=Service(driver, log_output=str(log)), options=o)


def browse(page_path: Path, name: str) -> dict:
    """Loads the page at 1280 and 390 px, saves full-page screenshots, and returns what the browser saw."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    print(f"\nreport screenshots: {ARTIFACTS}")
    d = start_browser(ARTIFACTS / f"{name}-chromedriver.log")
    try:
        seen = {}
        for width in (1280, 390):
            d.set_window_size(width, 900)
            d.get(page_path.resolve().as_uri())
            height = d.execute_script("return document.documentElement.scrollHeight")
            d.set_window_size(width, min(int(height) + 20, 20000))
            shot = ARTIFACTS / f"{name}-{width}.png"
            d.save_screenshot(str(shot))
            seen[width] = d.execute_script("""
                var de = document.documentElement;
                function data(sel){return Array.prototype.map.call(document.querySelectorAll(sel), function(e){
                  var r = e.getBoundingClientRect(), o = {w: r.width, h: r.height};
                  for (var i = 0; i < e.attributes.length; i++) { var a = e.attributes[i]; if (a.name.indexOf('data-') === 0) o[a.name] = a.value; }
                  return o;});}
                return {clientWidth: de.clientWidth, scrollWidth: de.scrollWidth, title: document.title,
                        fontSize: parseFloat(getComputedStyle(document.body).fontSize),
                        points: data('.pt'), bursts: data('.burst'), bars: data('.bar'),
                        scripts: document.scripts.length, images: document.images.length};
            """)
            seen[width]["shot"] = shot
        # sorting a table by a number column works (the script runs without error)
        d.execute_script("document.querySelector('#terms-table th[data-col=count] button').click()")
        seen["sorted"] = d.execute_script(
            "return Array.prototype.map.call(document.querySelectorAll('#terms-table tbody tr td:nth-child(2)'), function(c){return +c.getAttribute('data-v');})")
        seen["console"] = d.get_log("browser")
        seen["requests"] = [json.loads(e["message"])["message"] for e in d.get_log("performance")]
        try:
            seen["alert"] = d.switch_to.alert.text
        except Exception:
            seen["alert"] = None
        return seen
    finally:
        d.quit()


def check_browser(seen: dict, page: Page):
    assert not [e for e in seen["console"] if e.get("level") == "SEVERE"], seen["console"]
    urls = [m["params"]["request"]["url"] for m in seen["requests"] if m.get("method") == "Network.requestWillBeSent"]
    assert urls and all(u.startswith("file://") for u in urls), urls
    assert len(set(urls)) == 1, urls  # the page itself, nothing else
    assert seen["alert"] is None
    for width in (1280, 390):
        s = seen[width]
        assert s["scrollWidth"] <= s["clientWidth"], f"the page overflows sideways at {width} px"
        assert s["fontSize"] >= 14 and s["scripts"] == 1 and s["images"] == 0
        assert s["shot"].stat().st_size > 10_000
        # every mark is drawn (has a size) and carries the numbers the HTML has
        assert len(s["points"]) == len(page.having("pt")) and all(p["w"] > 0 for p in s["points"])
        assert len(s["bursts"]) == len(page.having("burst")) and all(b["w"] > 0 for b in s["bursts"])
        assert [p["data-per-million"] for p in s["points"]] == [a["data-per-million"] for a in page.having("pt")]
    assert seen["sorted"] == sorted(seen["sorted"])


def test_renders_in_chromium(ck, news, tmp_path):
    ck.require("report")
    out = tmp_path / "news.html"
    _, page = report(ck, out, news, "--input-format", "jsonl", "--terms", "flood,market,oil,grain", "--stopwords", "en")
    check_browser(browse(out, "news"), page)


def test_injection_in_chromium(ck, tmp_path):
    ck.require("report")
    injection_page(ck, tmp_path)
    seen = browse(tmp_path / "r.html", "injection")
    assert seen["alert"] is None and seen[1280]["scripts"] == 1
    assert "<script>alert(1)" in seen[1280]["title"]  # shown as text


def test_bundled_sample_in_chromium(ck, tmp_path):
    ck.require("report")
    p = subprocess.run([str(ck.bin), "report", "-o", "sample.html", "--stopwords", "en"], cwd=tmp_path,
                       capture_output=True, timeout=300)
    assert p.returncode == 0, p.stderr.decode()
    check_browser(browse(tmp_path / "sample.html", "sample"), Page((tmp_path / "sample.html").read_text(encoding="utf-8")))


# ---- Reuters-21578: the October 1987 crash ---------------------------------------------------------------


@pytest.fixture(scope="module")
def reuters_pages(ck, corpora, tmp_path_factory):
    reuters = corpora / "reuters21578"
    if not reuters.exists():
        pytest.skip(f"{reuters} is absent (scripts/get-corpora fetches it)")
    ck.require("report")
    d = tmp_path_factory.mktemp("reuters")
    chosen = d / "reuters.html"
    ck.run("report", reuters, "-o", chosen, "--by", "month", "--terms", "crash,panic,plunge,volatility", "--stopwords", "en", timeout=1200)
    rising = d / "rising.html"
    ck.run("report", reuters, "-o", rising, "--by", "month", "--stopwords", "en", "--jobs", "1", timeout=1200)
    return reuters, chosen, rising


@pytest.mark.slow
def test_reuters_shows_the_crash(ck, reuters_pages):
    reuters, chosen, rising = reuters_pages
    for f in (chosen, rising):
        assert f.stat().st_size < 2_000_000, f"{f.name}: {f.stat().st_size} bytes"
    # the same bytes with --jobs 2 as with --jobs 1
    again = rising.with_name("rising-2.html")
    ck.run("report", reuters, "-o", again, "--by", "month", "--stopwords", "en", "--jobs", "2", timeout=1200)
    assert again.read_bytes() == rising.read_bytes().replace(b"rising.html", b"rising-2.html")
    page = Page(chosen.read_text(encoding="utf-8"))
    for term in ["crash", "panic", "plunge", "volatility"]:  # the October 1987 crash: each peaks then, in a burst
        points = [a for a in page.having("pt") if a["data-term"] == term]
        peak = max(points, key=lambda a: float(a["data-per-million"]))
        assert peak["data-period"] == "1987-10", term
        assert any(a["data-term"] == term and a["data-start"] <= "1987-10" <= a["data-end"] for a in page.having("burst")), term
    # the same numbers as trends --terms on the whole corpus
    _, trends = cmd_tsv(ck, "trends", reuters, "--by", "month", "--terms", "crash,panic,plunge,volatility")
    want = {(r[0], r[2]): float(r[5]) for r in trends if r[5] != NULL}
    assert {(a["data-period"], a["data-term"]): float(a["data-per-million"]) for a in page.having("pt")} == want
    # without --terms: the top rising terms of October 1987 (earnings season: vs, 3rd, net, …), as rising
    page2 = Page(rising.read_text(encoding="utf-8"))
    _, rows = cmd_tsv(ck, "rising", reuters, "--by", "month", "--period", "1987-10", "--baseline", "100",
                      "--stopwords", "en", "--min-count", "5", "--top", "50")
    want = [r[0] for r in rows if float(r[5]) > 0 and float(r[6]) > 0][:5]
    assert [a["data-term"] for tag, a in page2.elements if tag == "li" and "data-term" in a] == want
    assert [r[0] for r in page2.table("keyness-table")] == [r[0] for r in rows[:10]]


@pytest.mark.slow
def test_reuters_in_chromium(reuters_pages):
    _, chosen, _ = reuters_pages
    check_browser(browse(chosen, "reuters"), Page(chosen.read_text(encoding="utf-8")))
