"""The reports page and the status report in its three forms."""
import csv
import io
import json
import re

from tests.integration.test_insight_reports import play_morning


def test_reports_page_needs_a_supervisor(client, pages):
    assert client.get("/reports").status_code == 302
    pages.login("mueller")
    assert client.get("/reports").status_code == 403


def test_reports_page_carries_its_data_and_tables_without_inline_script(app, client, pages):
    with app.test_request_context():
        play_morning()
    pages.login("leitung")
    page = client.get("/reports?from=2026-11-24&to=2026-11-24&lang=de")
    assert page.status_code == 200
    html = page.text
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    # Only external files and one JSON island: nothing a CSP without 'unsafe-inline' blocks.
    for attrs, body in scripts:
        assert 'src="' in attrs or 'type="application/json"' in attrs, attrs
    data = json.loads(re.search(r'id="report-data">(.*?)</script>', html, re.S).group(1))
    row = next(r for r in data["report"]["services"] if r["service"] == "anmeldung")
    assert (row["arrivals"], row["wait_p50_minutes"]) == (4, 10)
    assert "Wartezeiten und Besuche je Dienstleistung" in html
    assert "vendor/chart.umd.min.js" in html
    assert 'id="staffing-gap">0.0 Platzstunden' in html
    assert "format=pdf" in html


def test_reports_page_refuses_bad_periods_in_the_staff_language(client, pages):
    pages.login("leitung")
    bad = client.get("/reports?from=2026-11-25&to=2026-11-24&lang=de")
    assert bad.status_code == 422
    assert "Der erste Tag darf nicht nach dem letzten liegen." in bad.text
    assert client.get("/reports?from=morgen&lang=en").status_code == 422
    assert client.get("/reports?office=nope&lang=en").status_code == 422


def test_status_report_html_csv_and_pdf(app, client, pages):
    with app.test_request_context():
        play_morning()
    pages.login("leitung")
    base = "/api/v1/reports/status?from=2026-11-24&to=2026-11-24"
    html = client.get(base + "&format=html")
    assert html.status_code == 200 and html.mimetype == "text/html"
    assert "Sachstand 24.11.2026 bis 24.11.2026" in html.text
    assert html.text.count("<svg") == 3
    # 75 % within the target is below the 80 % the target asks for.
    assert "0 von 1 Dienstleistungen mit Besuch" in html.text
    english = client.get(base + "&lang=en").text
    assert "Status report 24.11.2026 to 24.11.2026" in english
    sheet = client.get(base + "&format=csv")
    assert sheet.mimetype == "text/csv"
    assert "attachment" in sheet.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(sheet.text)))
    assert ["Wohnsitz anmelden", "4", "4", "0", "3", "1", "10 min", "70 min", "8.0 min"] in rows
    pdf = client.get(base + "&format=pdf")
    assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")


def test_status_report_errors(api):
    for query, code in (("format=docx", "invalid_format"), ("lang=fr", "invalid_lang"),
                        ("from=2026-11-25&to=2026-11-24", "invalid_period")):
        r = api.get(f"/reports/status?{query}", who="leitung")
        assert r.status_code == 422 and r.get_json()["error"]["code"] == code
    assert api.get("/reports/status").status_code == 401
    assert api.get("/reports/status", who="mueller").status_code == 403
