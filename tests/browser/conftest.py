"""A real Chromium (Debian's package) driven by Playwright, against real server processes.

Screenshots go to test-artifacts/ (TEST_ARTIFACTS overrides it) so a person can look at
what the tests saw.
"""
import os
import shutil
from pathlib import Path

import pytest

from tests.services import unavailable

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", ROOT / "test-artifacts"))
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
# The machine has no internet: Chromium must not try to phone home.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]

# The browser's own print dialog is not ours to test: count the calls, then fire the event
# a real printer's dialog fires when it is done.
PRINTER = """window.__printed = 0;
window.print = function () { window.__printed += 1;
  setTimeout(function () { window.dispatchEvent(new Event('afterprint')); }, 0); };"""


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        unavailable(f"{CHROMIUM} is missing: browser tests need Debian's chromium "
                    "(apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Artifacts:
    def __init__(self, folder):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    def __call__(self, page, name):
        page.screenshot(path=str(self.folder / f"{name}.png"), full_page=True)


@pytest.fixture
def artifacts(request):
    return Artifacts(ARTIFACTS / request.node.name.replace("/", "_"))


def set_up_device(page, base_url, token):
    page.goto(f"{base_url}/device/setup")
    page.get_by_label("Device token").or_(page.get_by_label("Geräteschlüssel")).fill(token)
    page.locator("form button[type=submit]").click()
    page.wait_for_load_state()


def log_in(page, base_url, username):
    from tests.helpers import PASSWORD
    page.goto(f"{base_url}/login?lang=en")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def axe_violations(page):
    """Serious and critical WCAG 2.1 A/AA violations axe-core finds on the page as it is."""
    # Evaluated through DevTools, not added as a <script>: the pages' Content Security
    # Policy allows no inline script, and the test must not weaken what it looks at.
    page.evaluate(AXE.read_text())
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}));
    }""")
    return [v for v in result if v["impact"] in ("serious", "critical")]
