"""A real report's HTML opens offline (no script or stylesheet from the network, Leaflet inlined in the
map, markers and polygons drawn with every network request refused), credits only the data in Korean,
says when it was made in Korea time; a batch's stderr is its progress bar, not kernel transport warnings."""
from __future__ import annotations

import datetime as dt
import json
import re
from html.parser import HTMLParser

import pytest
from reportkit import cli, small_notebook

from datalit import kst
from datalit.data.catalog import get
from datalit.reports.render import credit_line

pytestmark = [pytest.mark.reports, pytest.mark.slow]
NB = "facility_location"  # the report with a folium map (choropleth with legend, circles, markers)


class Page(HTMLParser):
    """Remote script/stylesheet addresses, iframe srcdoc pages and the text of the credits footer."""

    def __init__(self, text: str):
        super().__init__()
        self.remote, self.srcdocs, self.sources, self._in_sources = [], [], [], 0
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        url = a.get("src") if tag == "script" else a.get("href") if tag == "link" and "stylesheet" in (
            a.get("rel") or "") else None
        if url and re.match(r"(https?:)?//", url):
            self.remote.append(url)
        if tag == "iframe" and a.get("srcdoc"):
            self.srcdocs.append(a["srcdoc"])
        if tag == "footer" and "datalit-sources" in (a.get("class") or ""):
            self._in_sources = 1
        elif self._in_sources and tag == "footer":
            self._in_sources += 1

    def handle_endtag(self, tag):
        if tag == "footer" and self._in_sources:
            self._in_sources -= 1

    def handle_data(self, data):
        if self._in_sources:
            self.sources.append(data)


@pytest.fixture(scope="module")
def made(repo, tmp_path_factory):
    out = tmp_path_factory.mktemp("offline")
    before = kst.now_utc().replace(second=0, microsecond=0)
    result = cli("run", str(repo / "reports" / f"{NB}.ipynb"), "-p", "gu", "종로구", "-p", "facility", "도서관",
                 "-p", "distance", "500", "-p", "k", "1", "--out", str(out))
    after = kst.now_utc()
    assert result.returncode == 0, result.stdout + result.stderr
    return {"html": (out / f"{NB}.html").read_text(encoding="utf-8"), "path": out / f"{NB}.html",
            "manifest": json.loads((out / "manifest.json").read_text(encoding="utf-8")),
            "before": before, "after": after}


def test_no_script_or_stylesheet_from_the_network(made):
    page = Page(made["html"])
    assert page.remote == []
    assert page.srcdocs, "the report has its folium map"
    for doc in page.srcdocs:
        assert Page(doc).remote == []
    leaflet = [doc for doc in page.srcdocs if "Leaflet 1.9.3" in doc and "L.Icon.Default.mergeOptions" in doc]
    assert leaflet, "Leaflet (with its marker images) is inlined in the map"
    assert "d3 = {" in leaflet[0] or "var d3" in leaflet[0], "d3 for the legend is inlined"
    assert "require.min.js" not in made["html"] and "mathjax" not in made["html"].lower()


def test_credits_are_the_korean_credit_lines(made):
    text = " ".join(" ".join(Page(made["html"]).sources).split())
    read = sorted({key.split("/")[0] for key in made["manifest"]["data_files"]})
    assert read, made["manifest"]
    for ds_id in read:
        line = credit_line(get(ds_id).credit)
        assert re.search(r"[가-힣]", line) and line in text, (ds_id, line, text)
        assert get(ds_id).title_ko in text
    for internal in ("Not stated", "not verified", "not re-verified", "repository", "copy in", "sha256 ",
                     "files as published", "converted by", "vuski/admdongkor", "southkorea/seoul-maps"):
        assert internal not in text, (internal, text)
    assert "인터넷에 연결되어 있을 때만" in text  # the map tiles cannot be offline: said in the report


def test_made_at_is_korea_time(made):
    shown = re.search(r"작성 일시: (\d{4}-\d\d-\d\d \d\d:\d\d \(KST\))", made["html"])
    assert shown, made["html"][:2000]
    assert shown.group(1) == kst.shown(made["manifest"]["end"])
    when = dt.datetime.strptime(shown.group(1), "%Y-%m-%d %H:%M (KST)").replace(tzinfo=kst.SEOUL)
    assert made["before"] <= when <= made["after"]
    assert dt.datetime.fromisoformat(made["manifest"]["end"]).utcoffset() == dt.timedelta(0)  # stored UTC


def test_map_draws_offline(made):
    """Every request to the network is refused; the map still draws its markers and polygons."""
    from browserkit import korean_page

    with korean_page() as page:
        refused = []
        page.route(re.compile(r"^https?://"), lambda route: (refused.append(route.request.url), route.abort()))
        page.goto(made["path"].resolve().as_uri())
        frame = page.frame_locator("iframe").first
        frame.locator(".leaflet-marker-icon").first.wait_for(timeout=20_000)
        assert frame.locator(".leaflet-marker-icon").count() >= 1
        assert frame.locator("path.leaflet-interactive").count() > 10  # dong polygons and circles
        assert frame.locator(".legend svg").count() == 1  # the choropleth legend (d3)
        src = frame.locator(".leaflet-marker-icon").first.get_attribute("src")
        assert src.startswith("data:image/png;base64,")
    assert refused and all("tile" in url for url in refused), refused  # only map tiles were asked for


def test_batch_stderr_has_no_kernel_transport_warning(shared_datasets, tmp_path):
    nb = small_notebook(tmp_path / "cctv.ipynb")
    out = tmp_path / "out"
    result = cli("batch", str(nb), "--each", "gu=종로구,중구,용산구,성동구", "--out", str(out), "--workers", "2")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "without encryption" not in result.stderr, result.stderr
    assert "4/4" in result.stderr and "보고서" in result.stderr  # the progress bar is there
    assert not re.search(r"(?m)^\[[IWE] ", result.stderr), result.stderr  # no kernel log lines at all
