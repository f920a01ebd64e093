"""Build the book from the stored notebooks and check, in headless Chromium, that maths is typeset offline."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PAGES = ["notebooks/04_labelled_samples.html", "notebooks/08_embedding.html"]


@pytest.fixture(scope="module")
def built_book():
    build = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_book.py"), "--no-execute"],
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert (HTML / "index.html").exists()
    BUILD_LOG.update(stdout=build.stdout, stderr=build.stderr)
    return HTML


BUILD_LOG: dict[str, str] = {}


def test_api_page_documents_every_module_without_warnings(built_book):
    """The API page (autodoc) has a section for every module, with its functions, and the build is clean."""
    from test_layering import LAYERS

    html = (built_book / "book" / "api.html").read_text()
    for name in LAYERS:
        assert f'id="module-natweights.{name}"' in html, f"no API section for natweights.{name}"
    for entry in ("natweights.bounds.lemma15_union_bound", "natweights.reduction.scattered_sample"):
        assert f'id="{entry}"' in html, f"{entry} is not documented"
    assert "Parameters" in html and "Returns" in html
    log = BUILD_LOG["stdout"] + BUILD_LOG["stderr"]
    warnings = [line for line in log.splitlines() if "WARNING" in line and "Kernel is running over TCP" not in line]
    assert not warnings, "\n".join(warnings[:10])


def test_mathjax_is_bundled(built_book):
    assert (built_book / "_static" / "mathjax" / "tex-chtml.js").exists(), "MathJax must be served from the book"
    for page in PAGES:
        html = (built_book / page).read_text()
        scripts = re.findall(r'<script[^>]+src="([^"]*mathjax[^"]*)"', html, flags=re.I)
        assert scripts and all(not s.startswith("http") for s in scripts), scripts


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (Debian package 'chromium'; CI installs it)")
@pytest.mark.parametrize("page", PAGES)
def test_math_typeset_in_browser(built_book, page, tmp_path):
    url = (built_book / page).as_uri()
    profile = ["--user-data-dir=" + str(tmp_path / "profile")]
    dom = subprocess.run(
        [CHROMIUM, *FLAGS, *profile, "--virtual-time-budget=20000", "--dump-dom", url],
        check=True,
        capture_output=True,
        text=True,
        timeout=180,
    ).stdout
    typeset = dom.count("<mjx-container")
    assert typeset > 20, f"only {typeset} typeset formulas on {page}"
    blocks = re.findall(r'<(div|span) class="math[^"]*"[^>]*>(.*?)</\1>', dom, flags=re.S)
    raw = [body for _, body in blocks if "mjx-container" not in body]
    assert not raw, f"{len(raw)} math elements left as raw TeX on {page}, e.g. {raw[0][:80]!r}"
    text = re.sub(r"<script.*?</script>|<style.*?</style>|<[^>]+>", " ", dom, flags=re.S)
    assert "$$" not in text and "\\[" not in text, "raw TeX delimiters remain in the page text"
    shots = ROOT / "_build" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    shot = shots / (Path(page).stem + ".png")
    subprocess.run(
        [
            CHROMIUM,
            *FLAGS,
            *profile,
            "--virtual-time-budget=20000",
            "--window-size=1280,1600",
            f"--screenshot={shot}",
            url,
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    assert shot.exists() and shot.stat().st_size > 10_000
