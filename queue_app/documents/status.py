"""The status report in its three forms. One list of sections (heading, sentences, table)
feeds the printable page, the PDF and the CSV, so they never disagree."""
import csv
import io

from flask import render_template
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup

from ..services import insight, status_report
from ..services.i18n import localized
from . import charts, status_pdf

TRENDS = {"rising": lambda: _("Waits rose over the period."),
          "falling": lambda: _("Waits fell over the period."),
          "steady": lambda: _("Waits stayed about the same over the period.")}


def _n(value, suffix=""):
    return "–" if value is None else f"{value}{suffix}"


def _pct(share):
    return "–" if share is None else f"{round(share * 100)} %"


def _sections(doc, names):
    name = lambda code: names.get(code, code)  # noqa: E731
    level = round(doc["service_level"] * 100)
    yes, no = _("yes"), _("no")
    targets = (
        _("Targets"),
        [_("%(met)d of %(judged)d services with visitors met their target: %(level)d %% "
           "called within the service's target wait.", met=doc["targets_met"],
           judged=doc["targets_judged"], level=level)],
        ([_("Service"), _("Target"), _("Within target"), _("Met")],
         [[name(t["service"]), f"{t['target_wait_minutes']} min",
           _pct(t["within_target_share"]),
           "–" if t["met"] is None else (yes if t["met"] else no)]
          for t in doc["targets"]]))
    trend = TRENDS[doc["trend"]]() if doc["trend"] else _("Too few weeks for a trend.")
    weeks = (
        _("Waits and their trend"), [trend],
        ([_("Week of"), _("Arrivals"), _("Median wait"), _("90th percentile"), _("Within target")],
         [[w["week"], w["arrivals"], _n(w["wait_p50_minutes"], " min"),
           _n(w["wait_p90_minutes"], " min"), _pct(w["within_target_share"])]
          for w in doc["weeks"]]))
    visits = (
        _("Visits per service"), [],
        ([_("Service"), _("Arrivals"), _("Walk-in"), _("Appointment"), _("Served"),
          _("No-shows"), _("Median wait"), _("90th percentile"), _("Mean service time")],
         [[name(r["service"]), r["arrivals"], r["walk_ins"], r["appointments"], r["served"],
           r["no_shows"], _n(r["wait_p50_minutes"], " min"), _n(r["wait_p90_minutes"], " min"),
           _n(r["service_mean_minutes"], " min")]
          for r in doc["services"] if r["arrivals"]]))
    st = doc["staffing"]
    staffing = (
        _("Staffing"),
        [_("For %(level)d %% of visitors to be called within the target, the period's real "
           "arrivals and service times need %(needed)s desk-hours a week (Erlang C); "
           "%(open)s were open. Gap: %(gap)s desk-hours a week.", level=level,
           needed=st["needed_desk_hours_per_week"], open=st["open_desk_hours_per_week"],
           gap=st["gap_desk_hours_per_week"])],
        ([_("Hour"), _("Desks needed"), _("Desks open")],
         [[f"{h['hour']:02d}:00", h["needed_per_day"], h["open_per_day"]]
          for h in st["by_hour"]]))
    acc = doc["accuracy"]
    accuracy = (
        _("Estimate accuracy"),
        [_("Over %(n)d visitors the real wait differed from the wait promised at the kiosk "
           "by %(median)s in the median; %(share)s were within ±10 minutes.", n=acc["count"],
           median=_n(acc["median_error_minutes"], " min"),
           share=_pct(acc["within_10_minutes_share"]))], None)
    risk = ", ".join(name(c) for c in doc["at_risk"]) or _("none")
    coverage = (
        _("Coverage risk"),
        [_("Services only one person (or nobody) can serve: %(services)s.", services=risk)],
        ([_("Service"), _("Competent staff"), _("At risk")],
         [[name(c["service"]), c["competent_staff"], yes if c["at_risk"] else no]
          for c in doc["coverage"]]))
    feedback = (
        _("Feedback"), [],
        ([_("Service"), _("Ratings"), _("Mean rating (1-5)")],
         [[name(f["service"]), f["count"], _n(f["mean_rating"])]
          for f in doc["feedback"] if f["count"]]))
    b = doc["bookings"]
    bookings = (
        _("Bookings and no-shows"),
        [_("%(booked)d appointments were due; %(share)s of them were missed.",
           booked=b["booked"], share=_pct(b["no_show_share"]))],
        ([_("Status"), _("Appointments")], [[k, v] for k, v in b["by_status"].items()]))
    return [targets, weeks, visits, staffing, accuracy, coverage, feedback, bookings]


def _names():
    lang = str(get_locale())
    _offices, services = insight.choices()
    return {s.code: localized(s.names, lang) for s in services}


def render(fmt, first, last, now):
    """(body, mimetype, filename) of the status report for first..last."""
    doc = status_report.build(first, last, now)
    names = _names()
    sections = _sections(doc, names)
    title = _("Status report %(first)s to %(last)s", first=first.strftime("%d.%m.%Y"),
              last=last.strftime("%d.%m.%Y"))
    filename = f"sachstand-{first.isoformat()}-{last.isoformat()}.{fmt}"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([title])
        for heading, paragraphs, table in sections:
            if table is None:
                continue
            writer.writerow([])
            writer.writerow([heading])
            writer.writerow(table[0])
            writer.writerows(table[1])
        return out.getvalue(), "text/csv; charset=utf-8", filename
    if fmt == "pdf":
        body = status_pdf.render({"sections": sections, "report": doc,
                                  "charts_after": sections[0][0]}, names, title)
        return body, "application/pdf", filename
    svgs = [Markup(charts.svg(chart)) for chart in charts.specs(doc, names)]
    html = render_template("status_report.html", title=title, sections=sections, charts=svgs,
                           doc=doc)
    return html, "text/html; charset=utf-8", filename
