"""`report`: one self-contained HTML file, parsed here and opened in a real headless Chromium."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE_TAXONOMY, ROOT

EXAMPLE = ROOT / "examples" / "tickets.csv"
SECTIONS = ["headline", "untagged-over-time", "top-tags", "departments", "agents", "health", "cooccurrence"]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


class Outline(HTMLParser):
    """Ids, tags, and every URL the page would fetch."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.tags: list[str] = []
        self.urls: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if name == "id" and value:
                self.ids.append(value)
            if name in ("src", "href", "srcset", "action", "xlink:href") and value:
                self.urls.append(value)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def outline(html: str) -> Outline:
    parser = Outline()
    parser.feed(html)
    return parser


def test_report_is_complete_and_self_contained(run, tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    result = run("report", EXAMPLE, "-t", EXAMPLE_TAXONOMY, "-o", target, "--lang", "en")
    assert (result.code, result.err) == (0, f"wrote {target}\n")
    html = target.read_text(encoding="utf-8")
    page = outline(html)
    assert [i for i in page.ids if not i.startswith("dept-")] == SECTIONS
    assert [i for i in page.ids if i.startswith("dept-")] == [f"dept-{n}" for n in range(1, 6)]
    assert page.urls == []  # nothing fetched: no scripts, images, fonts or style sheets from anywhere
    assert "script" not in page.tags and "link" not in page.tags
    assert html.count('class="bar-rect"') == 11  # one bar per month, 2026-01 .. 2026-11
    assert html.count('class="sparkline"') == 15
    text = " ".join(page.text)
    assert "Monthly tag report" in text and "Tagging per agent" in text
    assert "did you mean 'Reklamation'?" in text


def test_report_speaks_swedish_by_the_taxonomy(run, tmp_path: Path) -> None:
    target = tmp_path / "rapport.html"
    assert run("report", EXAMPLE, "-t", EXAMPLE_TAXONOMY, "-o", target).code == 0
    html = target.read_text(encoding="utf-8")
    assert '<html lang="sv">' in html
    assert "Månadsrapport för taggar" in html and "Taggning per handläggare" in html
    assert "8,7\u00a0%" in html  # Swedish decimal comma


def test_report_escapes_every_user_string(run, write, tmp_path: Path) -> None:
    taxonomy = write(
        "t.yaml",
        """
        version: 1
        name: "<b>Evil</b> & co"
        departments: [{name: "<i>Lager</i>", contact: "x@y\\"><script>alert(1)</script>"}]
        groups:
          - name: "<u>G</u>"
            tags: [{name: "<img src=x onerror=alert(1)>", feedback: ["<i>Lager</i>"]}]
        """,
    )
    export = write(
        "x.csv",
        "id,created,agent,subject,tags\n"
        '1,2026-11-02,"<script>alert(2)</script>","</td><script>alert(3)</script>","<img src=x onerror=alert(1)>"\n'
        '2,2026-11-03,a,b,"<svg onload=alert(4)>"\n',
    )
    target = tmp_path / "r.html"
    assert run("report", export, "-t", taxonomy, "-o", target).code == 0
    html = target.read_text(encoding="utf-8")
    page = outline(html)
    assert "script" not in page.tags and "img" not in page.tags
    assert page.tags.count("svg") == html.count("<svg ")  # only the report's own charts
    assert "<svg onload" not in html and "&lt;svg onload=alert(4)&gt;" in html
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in html
    assert "&lt;b&gt;Evil&lt;/b&gt; &amp; co" in html


def test_feedback_html(run, tmp_path: Path) -> None:
    target = tmp_path / "f.html"
    assert (
        run("feedback", EXAMPLE, "-t", EXAMPLE_TAXONOMY, "--compare", "previous", "-f", "html", "-o", target).code == 0
    )
    page = outline(target.read_text(encoding="utf-8"))
    assert [i for i in page.ids] == [f"dept-{n}" for n in range(1, 6)]
    assert page.urls == []


PROBE = """
<script>
addEventListener("load", () => {
  const box = (el) => el.getBoundingClientRect();
  const bars = [...document.querySelectorAll("rect.bar-rect")].filter((r) => box(r).height > 0 && box(r).width > 0);
  const lines = [...document.querySelectorAll("svg.sparkline polyline")].filter((p) => box(p).width > 50);
  const sections = [...document.querySelectorAll("section[id]:not(.department)")].filter((s) => box(s).height > 20).map((s) => s.id);
  const cells = [...document.querySelectorAll("table.heat td")].filter((td) => getComputedStyle(td).backgroundColor !== "rgba(0, 0, 0, 0)");
  const out = document.createElement("pre");
  out.id = "probe";
  out.textContent = JSON.stringify({bars: bars.length, lines: lines.length, sections, cells: cells.length});
  document.body.appendChild(out);
});
</script>
"""


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/run installs Debian's chromium)")
def test_report_renders_in_headless_chromium(run, tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    assert run("report", EXAMPLE, "-t", EXAMPLE_TAXONOMY, "-o", target).code == 0
    probed = tmp_path / "probed.html"
    probed.write_text(target.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"), encoding="utf-8")
    command = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--window-size=1100,4000",
        "--virtual-time-budget=3000",
        "--dump-dom",
        probed.as_uri(),
    ]
    dom = subprocess.run(command, capture_output=True, text=True, timeout=120, check=True).stdout
    found = re.search(r'<pre id="probe">(.*?)</pre>', dom)
    assert found, dom[-500:]
    import json

    facts = json.loads(found.group(1).replace("&quot;", '"'))
    assert facts["bars"] == 11
    assert facts["lines"] == 15
    assert facts["sections"] == SECTIONS
    assert facts["cells"] == 12 * 12


def test_audit_html_is_the_report_page(run, tmp_path: Path) -> None:
    target = tmp_path / "audit.html"
    assert run("audit", EXAMPLE, "-t", EXAMPLE_TAXONOMY, "-f", "html", "-o", target).code == 0
    page = outline(target.read_text(encoding="utf-8"))
    assert [i for i in page.ids if not i.startswith("dept-")] == SECTIONS
    assert page.urls == []


def test_every_format_has_a_renderer() -> None:
    from tagaudit.render.audit import RENDERERS as AUDIT
    from tagaudit.render.audit import AuditFormat
    from tagaudit.render.feedback import RENDERERS as FEEDBACK
    from tagaudit.render.feedback import FeedbackFormat
    from tagaudit.render.validate import RENDERERS as VALIDATE
    from tagaudit.render.validate import ValidateFormat

    # text and html are rendered by render/terminal.py and render/html.py
    assert set(AUDIT) == set(AuditFormat) - {AuditFormat.TEXT, AuditFormat.HTML}
    assert set(FEEDBACK) == set(FeedbackFormat) - {FeedbackFormat.TEXT, FeedbackFormat.HTML}
    assert set(VALIDATE) == set(ValidateFormat)
