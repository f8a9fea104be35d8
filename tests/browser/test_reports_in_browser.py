"""The supervisor in Chromium: opens the reports, sees the charts, downloads the status
report as PDF; the PDF's pages are rendered to images and must show something. The
visitor's feedback question on the phone is checked with axe too."""
import pypdfium2

from tests.browser.conftest import axe_violations, log_in
from tests.live import HttpApi


def _served_visit(http):
    ticket = http.issue("anmeldung")
    http.post("/desks/platz-2/session", {"services": ["anmeldung"]}, who="mueller")
    http.post("/desks/platz-2/call-next", who="mueller")
    http.post(f"/tickets/{ticket['id']}/start", who="mueller")
    assert http.post(f"/tickets/{ticket['id']}/finish", who="mueller").status_code == 200
    return ticket


def _ink(image):
    """Share of pixels that are not (nearly) white."""
    grey = image.convert("L")
    histogram = grey.histogram()
    return 1 - sum(histogram[245:]) / sum(histogram)


def test_supervisor_sees_charts_and_downloads_the_pdf(browser, start_server, artifacts,
                                                      tmp_path):
    live = start_server()
    base = live.url
    http = HttpApi(base)
    for _ in range(3):
        ticket = _served_visit(http)
    for _ in range(4):
        http.issue("kfz-zulassung")

    phone = browser.new_context(viewport={"width": 390, "height": 844},
                                is_mobile=True).new_page()
    phone.goto(f"{base}/t/{ticket['id']}?lang=ar")
    phone.wait_for_selector("#feedback-ask")
    artifacts(phone, "phone-feedback-ar")
    assert axe_violations(phone) == []
    phone.get_by_label("5").check()
    phone.locator("#feedback-ask button[type=submit]").click()
    phone.wait_for_load_state()
    assert phone.locator("#feedback-ask").count() == 0

    page = browser.new_context(accept_downloads=True,
                               viewport={"width": 1280, "height": 900}).new_page()
    log_in(page, base, "leitung")
    page.goto(f"{base}/reports?lang=de")
    page.wait_for_load_state("networkidle")
    for chart in ("chart-waits", "chart-trend", "chart-staffing", "chart-feedback"):
        page.wait_for_selector(f"#{chart}[data-drawn=true]")
    # The waits chart really has bars: some of its pixels are coloured.
    painted = page.evaluate("""() => {
        const c = document.getElementById('chart-waits');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0; for (let i = 3; i < d.length; i += 4) { if (d[i] > 0) n++; }
        return n / (d.length / 4); }""")
    assert painted > 0.01
    assert page.get_by_role("heading", name="Wartezeiten und Besuche je Dienstleistung")
    artifacts(page, "reports-de")
    assert axe_violations(page) == []

    with page.expect_download() as download_info:
        page.locator("#download-pdf").click()
    download = download_info.value
    assert download.suggested_filename.startswith("sachstand-")
    pdf_path = tmp_path / "sachstand.pdf"
    download.save_as(pdf_path)
    document = pypdfium2.PdfDocument(str(pdf_path))
    assert len(document) >= 2
    for index in range(len(document)):
        image = document[index].render(scale=1).to_pil()
        image.save(artifacts.folder / f"sachstand-page-{index + 1}.png")
        assert _ink(image) > 0.005, f"page {index + 1} is blank"

    page.goto(f"{base}/api/v1/reports/status?format=html&lang=de")
    artifacts(page, "status-report-html")
    assert page.locator("svg.report-chart").count() == 3
    assert axe_violations(page) == []
