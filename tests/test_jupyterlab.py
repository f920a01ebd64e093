"""Run notebooks in JupyterLab, in headless Chromium, as a reader does.

``scripts/lab.sh`` (the command README gives for reading) serves a temporary copy of
``notebooks/`` with the stored outputs removed, on 127.0.0.1, a free port and a random token.
For one notebook of each part, the browser opens it, runs every cell through the *Run* menu,
saves it, and the test checks that

* every code cell ran and none ended with an error output (read back from the saved file),
* a figure (an ``img`` in an output) and a typeset formula (a MathJax ``mjx-container`` in a
  Markdown cell) are on the page,
* the kernel is the ``python3`` kernel of this environment,
* where the notebook shows progress bars, they render as widgets (``scripts/lab.sh`` turns
  them on; the scripts that store or compare outputs keep them off).

Two exercises are then done the way the reader would: edit a cell, run it, look at the output.
Screenshots go to ``_build/screenshots/jupyterlab-*.png``.

Playwright drives the system Chromium (Debian package ``chromium``) and never downloads a
browser; without Chromium the tests are skipped.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
SHOTS = ROOT / "_build" / "screenshots"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# Playwright adds --headless itself (headless=True) and a fresh, empty --user-data-dir
# (launch_persistent_context on an empty temporary folder).
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# The quickest notebook of each part that has a figure.
PARTS = {"I": "00_overview", "II": "07_sign_invariance", "III": "10_end_to_end"}
RUN_TIMEOUT = 600  # seconds for "Run All Cells" of one notebook (part III takes about a minute alone)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        CHROMIUM is None, reason="Chromium is not installed (Debian package 'chromium'; CI installs it)"
    ),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')")


# -- the server -------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _copy_without_outputs(src: Path, dest: Path) -> None:
    dest.mkdir(parents=True)
    for path in sorted(src.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
        nbformat.write(nb, dest / path.name)


def _write_settings(folder: Path) -> None:
    """User settings of the test's JupyterLab: every cell in the DOM, no news fetching."""
    settings = {
        "notebook-extension/tracker": {"windowingMode": "none"},
        "apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    }
    for name, values in settings.items():
        path = folder / "@jupyterlab" / (name + ".jupyterlab-settings")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))


class Lab:
    """A running JupyterLab server and what the tests need to talk to it."""

    def __init__(self, root: Path, port: int, token: str, process: subprocess.Popen, log: Path):
        self.root, self.port, self.token, self.process, self.log = root, port, token, process, log
        self.base = f"http://127.0.0.1:{port}"

    def api(self, path: str, method: str = "GET"):
        request = urllib.request.Request(
            self.base + path, method=method, headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def url(self, notebook: str) -> str:
        return f"{self.base}/lab/tree/{notebook}.ipynb?reset&token={self.token}"

    def shut_down_kernels(self) -> None:
        for session in self.api("/api/sessions"):
            self.api(f"/api/sessions/{session['id']}", method="DELETE")


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("jupyterlab")
    root = tmp / "notebooks"
    _copy_without_outputs(NOTEBOOKS, root)
    _write_settings(tmp / "settings")
    # The documented command, scripts/lab.sh, on the copy; its own settings and state under tmp.
    env = dict(
        os.environ,
        NATWEIGHTS_NOTEBOOKS=str(root),
        JUPYTER_CONFIG_DIR=str(tmp / "config"),
        JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(tmp / "settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(tmp / "workspaces"),
    )
    port, token = _free_port(), secrets.token_hex(24)
    command = [
        "bash",
        str(ROOT / "scripts" / "lab.sh"),
        "--no-browser",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
    ]
    log = tmp / "server.log"
    with open(log, "w") as out:
        process = subprocess.Popen(
            command, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=tmp, start_new_session=True
        )
    server = Lab(root, port, token, process, log)
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                pytest.fail(f"JupyterLab exited with code {process.returncode}:\n{log.read_text()[-3000:]}")
            try:
                server.api("/api/status")
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not answer within 120 s:\n{log.read_text()[-3000:]}")
                time.sleep(0.25)
        yield server
    finally:
        # SIGTERM: the server shuts its kernels down, then exits; SIGKILL the group if it hangs
        # (kernels left without their parent exit by themselves).
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_api.sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, headless=True, args=FLAGS, viewport={"width": 1280, "height": 1000}
        )
        try:
            yield context
        finally:
            context.close()


# -- what a reader does in the browser --------------------------------------------------------

_STATE_JS = """() => {
    const prompts = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputArea-prompt')]
        .map(e => e.textContent.trim());
    const indicator = document.querySelector('.jp-NotebookPanel .jp-Notebook-ExecutionIndicator');
    return {
        prompts: prompts,
        status: indicator ? indicator.dataset.status : null,
        widgets: document.querySelectorAll('.jp-OutputArea-output .widget-hprogress .progress-bar').length,
    };
}"""


class Notebook:
    """One notebook open in JupyterLab."""

    def __init__(self, page, lab: Lab, name: str):
        self.page, self.lab, self.name = page, lab, name
        self.path = lab.root / f"{name}.ipynb"
        self.progress_widgets_seen = 0

    def open(self) -> None:
        self.page.goto(self.lab.url(self.name))
        self.page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell", timeout=120_000)
        kernel = self.page.locator(".jp-NotebookPanel-toolbar .jp-Toolbar-kernelName")
        deadline = time.monotonic() + 120
        while kernel.inner_text().strip() in ("", "No Kernel") or self.state()["status"] != "idle":
            assert time.monotonic() < deadline, (
                f"{self.name}: no idle kernel after 120 s (kernel {kernel.inner_text()!r}, {self.state()})"
            )
            time.sleep(0.25)
        self.kernel_name = kernel.inner_text().strip()

    def state(self) -> dict:
        return self.page.evaluate(_STATE_JS)

    def wait_idle(self, require_run: bool = True, timeout: float = RUN_TIMEOUT) -> dict:
        """Wait until the kernel is idle, no cell is queued or running, and at least one cell ran."""
        deadline, quiet_since = time.monotonic() + timeout, None
        while time.monotonic() < deadline:
            state = self.state()
            if state["widgets"] and not self.progress_widgets_seen:
                self._progress_screenshot()
            self.progress_widgets_seen = max(self.progress_widgets_seen, state["widgets"])
            ran = any(re.fullmatch(r"\[\d+\]:", p) for p in state["prompts"])
            busy = any("*" in p for p in state["prompts"]) or state["status"] != "idle"
            if not busy and (ran or not require_run):
                quiet_since = quiet_since or time.monotonic()
                if time.monotonic() - quiet_since > 0.5:
                    return state
            else:
                quiet_since = None
            time.sleep(0.25)
        raise AssertionError(f"{self.name}: still running after {timeout} s: {self.state()}")

    def _progress_screenshot(self) -> None:
        # Evidence only: the bar may close (leave=False) before the picture is taken.
        SHOTS.mkdir(parents=True, exist_ok=True)
        bar = self.page.locator(".jp-OutputArea-output .widget-hbox:has(.widget-hprogress)").first
        try:
            bar.screenshot(path=str(SHOTS / f"jupyterlab-{self.name}-progress.png"), timeout=2000)
        except sync_api.Error:
            pass

    def menu(self, menu: str, item: str) -> None:
        self.page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(f"^{menu}$")).click()
        self.page.locator(".lm-Menu-itemLabel", has_text=re.compile(f"^{item}$")).click()

    def run_all(self) -> dict:
        self.menu("Run", "Run All Cells")
        return self.wait_idle()

    def save(self) -> nbformat.NotebookNode:
        """Save from the browser (Ctrl+S) and read the saved file."""
        before = self.path.stat().st_mtime_ns
        self.page.keyboard.press("Control+s")
        deadline = time.monotonic() + 60
        while (
            self.path.stat().st_mtime_ns == before
            or self.page.locator(".lm-TabBar-tab.jp-mod-current.jp-mod-dirty").count()
        ):
            assert time.monotonic() < deadline, f"{self.name}: saving from the browser did not finish"
            time.sleep(0.2)
        return nbformat.read(self.path, as_version=4)

    def cell(self, index: int):
        return self.page.locator(".jp-Notebook .jp-Cell").nth(index)

    def edit_and_run(self, index: int, source: str) -> str:
        """Replace the source of cell ``index`` in its editor, run it (Shift+Enter), return its output text."""
        cell = self.cell(index)
        prompt = cell.locator(".jp-InputArea-prompt")
        previous = prompt.inner_text().strip()
        cell.locator(".cm-content").click()
        self.page.keyboard.press("Control+a")
        self.page.keyboard.insert_text(source)
        self.page.keyboard.press("Shift+Enter")
        deadline = time.monotonic() + RUN_TIMEOUT
        while not re.fullmatch(r"\[\d+\]:", now := prompt.inner_text().strip()) or now == previous:
            assert time.monotonic() < deadline, f"{self.name}: cell {index} did not run"
            time.sleep(0.2)
        self.wait_idle()
        return cell.locator(".jp-OutputArea").inner_text()

    def insert_below_and_run(self, index: int, source: str) -> str:
        """Add a code cell below cell ``index`` (command mode, key B), type ``source``, run it."""
        self.cell(index).locator(".jp-InputArea-prompt").click()
        self.page.keyboard.press("Escape")
        self.page.keyboard.press("b")
        return self.edit_and_run(index + 1, source)

    def screenshot(self, locator, suffix: str = "") -> Path:
        SHOTS.mkdir(parents=True, exist_ok=True)
        locator.scroll_into_view_if_needed()
        shot = SHOTS / f"jupyterlab-{self.name}{suffix}.png"
        self.page.screenshot(path=str(shot))
        return shot


class Reader:
    """The notebooks a reader has opened and run in this JupyterLab (each one once per module)."""

    def __init__(self, lab: Lab, browser):
        self.lab, self.browser, self.opened = lab, browser, {}

    def ran(self, name: str) -> Notebook:
        """``name`` open in the browser with all its cells run and checked (see ``run_and_check``)."""
        if name not in self.opened:
            nb = Notebook(self.browser.new_page(), self.lab, name)
            self.opened[name] = None  # a failure below is reported once, by the test that ran it
            nb.open()
            run_and_check(nb)
            self.opened[name] = nb
        if self.opened[name] is None:
            pytest.fail(f"{name} did not run cleanly in JupyterLab (see test_notebook_runs_in_jupyterlab)")
        return self.opened[name]


@pytest.fixture(scope="module")
def reader(lab, browser):
    reader = Reader(lab, browser)
    try:
        yield reader
    finally:
        for page in reader.browser.pages:
            page.close()
        lab.shut_down_kernels()


def errors_in(nb: nbformat.NotebookNode) -> list[str]:
    return [
        f"cell {i}: {out.ename}: {out.evalue}"
        for i, cell in enumerate(nb.cells)
        if cell.cell_type == "code"
        for out in cell.outputs
        if out.output_type == "error"
    ]


def run_and_check(nb: Notebook) -> None:
    """Run all cells of the open notebook ``nb`` and check the page and the saved notebook."""
    page, name = nb.page, nb.name
    spec = nb.lab.api("/api/kernelspecs")["kernelspecs"]["python3"]["spec"]
    assert Path(spec["argv"][0]).absolute() == Path(sys.executable).absolute(), (
        f"JupyterLab's python3 kernel runs {spec['argv'][0]}, not this environment's {sys.executable}"
    )
    assert nb.kernel_name == spec["display_name"], f"{name} opened with {nb.kernel_name!r}, not the python3 kernel"

    nb.run_all()
    saved = nb.save()
    code = [c for c in saved.cells if c.cell_type == "code"]
    not_run = [i for i, c in enumerate(saved.cells) if c.cell_type == "code" and c.execution_count is None]
    errors = errors_in(saved)
    assert not errors, f"{name}: error outputs after Run All Cells"
    assert not not_run, f"{name}: code cells that did not run: {not_run}"
    assert code and all(c.execution_count for c in code)

    figures = page.locator(".jp-OutputArea-output img")
    assert figures.count() >= 1, f"{name}: no figure in the outputs"
    assert figures.first.evaluate("img => img.complete && img.naturalWidth > 100"), f"{name}: figure did not load"
    formulas = page.locator(".jp-MarkdownCell mjx-container").count()
    assert formulas >= 1, f"{name}: no typeset formula (MathJax) in the Markdown cells"
    raw_tex = page.locator(".jp-MarkdownCell .jp-RenderedMarkdown").evaluate_all(
        "els => els.filter(e => /\\$\\$|\\\\\\(|\\\\\\[/.test(e.innerText)).length"
    )
    assert raw_tex == 0, f"{name}: {raw_tex} Markdown cells show raw TeX"

    uses_progress = any("progress(" in c.source for c in code)
    if uses_progress:
        assert nb.progress_widgets_seen >= 1, f"{name}: progress bars did not render as widgets"
    stderr = "".join(o.get("text", "") for c in code for o in c.outputs if o.get("name") == "stderr")
    assert "IProgress not found" not in stderr, "tqdm found no ipywidgets in the kernel"


# -- the tests --------------------------------------------------------------------------------


@pytest.mark.parametrize("part", sorted(PARTS))
def test_notebook_runs_in_jupyterlab(reader, part):
    nb = reader.ran(PARTS[part])
    shot = nb.screenshot(nb.page.locator(".jp-OutputArea-output img").first)
    assert shot.stat().st_size > 10_000


def _exercise_cell(nb: nbformat.NotebookNode, exercise_mentions: str, code_contains: str) -> int:
    """Index of the cell that an exercise (a Markdown cell under 'Exercises' naming ``exercise_mentions``) edits."""
    exercises = [c.source for c in nb.cells if c.cell_type == "markdown" and "Exercises" in c.source]
    assert any(exercise_mentions in s for s in exercises), f"no exercise mentions {exercise_mentions!r}"
    cells = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and code_contains in c.source]
    assert cells, f"no code cell contains {code_contains!r}"
    return cells[0]


def test_exercise_weight_law(reader):
    """00, exercise 1: replace ``weights.normal()`` by ``weights.rademacher()`` in the demonstration.

    Expected: the network still computes T_{K,M} (the cell's own assert, error below its
    tolerance, passes), and the hidden width m shrinks: the routing probability P(u <= -tau) is
    1/2 for Rademacher against P(Z <= -1/2) = 0.31 for the normal law, so fewer neurons give M
    routable ones (37 -> 21 at M = 3).  A cell the reader adds below shows the law and the width
    before and after the edit.
    """
    nb = reader.ran(PARTS["I"])
    saved = nbformat.read(nb.path, as_version=4)
    index = _exercise_cell(saved, "weights.normal()", "weights.normal()")
    watch = 'print("law:", embedding.law, "| hidden width:", embedding.m)'
    before = nb.insert_below_and_run(index, watch)
    nb.edit_and_run(index, saved.cells[index].source.replace("weights.normal()", "weights.rademacher()"))
    after = nb.edit_and_run(index + 1, watch)
    nb.screenshot(nb.cell(index + 1), "-exercise")
    edited = nb.save()
    assert "weights.rademacher()" in edited.cells[index].source and "weights.normal()" not in edited.cells[index].source
    errors = errors_in(edited)
    assert not errors, "the Rademacher law must still give an exact emulation"
    shown = re.compile(r"law: (.+) \| hidden width: (\d+)")
    assert shown.search(before) and shown.search(after), (before, after)
    (law_before, m_before), (law_after, m_after) = shown.search(before).groups(), shown.search(after).groups()
    assert law_before.startswith("normal") and law_after.startswith("rademacher"), (law_before, law_after)
    assert int(m_after) < int(m_before), (m_before, m_after)


def test_exercise_sign_sensitive_law(reader):
    """07, exercise 2: a law symmetric per entry whose rows share column signs must fail the tests.

    Entries ``|z| * s_j`` (z standard normal, one sign s_j per column shared by all rows) are
    symmetric one by one, but diag(eps) A has rows of opposite signs where A has none: the
    per-entry KS test cannot see it, the joint energy test must, and the cell's assert fails.
    """
    nb = reader.ran(PARTS["II"])
    saved = nbformat.read(nb.path, as_version=4)
    index = _exercise_cell(saved, "symmetric per entry", "laws = [")
    lines = saved.cells[index].source.splitlines()
    start = next(k for k, line in enumerate(lines) if line.startswith("laws = ["))
    at = next(k for k in range(start, len(lines)) if lines[k].rstrip().endswith("]"))  # the list may span lines
    law = (
        'shared = weights.WeightLaw("shared column signs", lambda shape, g: np.abs(g.standard_normal(shape))'
        " * g.choice([-1.0, 1.0], size=shape[-1:]), 1.0, weights.normal().entry_cdf, row_sign_invariant=True)"
    )
    source = "\n".join(lines[: at + 1] + [law, "laws.append(shared)"] + lines[at + 1 :])
    after = nb.edit_and_run(index, source)
    nb.screenshot(nb.cell(index), "-exercise")
    edited = nb.save()
    assert edited.cells[index].source == source, "the editor must hold exactly the edited cell"
    # The law is the last in the loop: its line is the last one printed, and the check fails on it.
    printed = [o.text for o in edited.cells[index].outputs if o.output_type == "stream" and o.name == "stdout"]
    assert printed and "shared column signs" in printed[-1].rstrip().splitlines()[-1], after
    errors = [o for o in edited.cells[index].outputs if o.output_type == "error"]
    assert errors and errors[0].ename == "AssertionError", "the cell's check must fail for a non-invariant law"
