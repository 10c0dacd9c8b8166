"""Every chart of every report carries a Korean text description (issue 23: a screen reader reads the
<img alt>), and no template leaves a chart to plt.show(), which has no place for one.

Runs each of the nine templates on its defaults and parses the HTML: every <img> must have an alt of at
least 40 characters, mostly Hangul, that names a number the chart shows. Failed before: nbconvert writes
no alt for a PNG output, so every chart was an image without a description."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from reportkit import cli

pytestmark = [pytest.mark.reports, pytest.mark.slow]
TEMPLATES = ["air_quality_monthly", "bike_usage", "complaint_causes", "demand_forecast", "facility_location",
             "living_population", "safety_profile", "similar_answers", "subway_event_effect"]
HANGUL = re.compile(r"[\uac00-\ud7a3]")


class Images(HTMLParser):
    def __init__(self):
        super().__init__()
        self.images: list[dict] = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.images.append(dict(attrs))


def test_templates_show_charts_only_with_a_description(repo):
    for name in TEMPLATES:
        nb = json.loads((repo / "reports" / f"{name}.ipynb").read_text(encoding="utf-8"))
        code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
        assert "plt.show()" not in code, f"{name}: use charts.show(alt) so the chart has a description"
        if "plt.subplots" in code:
            assert "charts.show(" in code, name


@pytest.mark.parametrize("name", TEMPLATES)
def test_every_chart_has_a_korean_alt_text(repo, tmp_path, name):
    out = tmp_path / name
    result = cli("run", str(repo / "reports" / f"{name}.ipynb"), "--out", str(out), timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    parser = Images()
    parser.feed((out / f"{name}.html").read_text(encoding="utf-8"))
    charts = [img for img in parser.images if img.get("src", "").startswith("data:image/png")]
    assert charts, f"{name}: no chart in the default report"
    for img in charts:
        alt = img.get("alt") or ""
        assert len(alt) >= 40, (name, alt)
        assert len(HANGUL.findall(alt)) >= 0.4 * len(alt.replace(" ", "")), (name, alt)
        assert re.search(r"\d", alt), (name, alt)          # it reads out what the chart shows, not only its kind
