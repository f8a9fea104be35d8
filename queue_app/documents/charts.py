"""The status report's charts as plain specs (title, labels, series), drawn as SVG for the
printable page and by reportlab for the PDF, so both show the same pictures."""
from dataclasses import dataclass
from xml.sax.saxutils import escape

from flask_babel import gettext as _

BLUE, ORANGE, GREY = "#0b4f8a", "#b35900", "#767676"


@dataclass
class Series:
    label: str
    values: list
    color: str


@dataclass
class Chart:
    key: str
    kind: str            # "bar" or "line"
    title: str
    labels: list
    series: list


def specs(report, names):
    served = [r for r in report["services"] if r["arrivals"]]
    hours = report["staffing"]["by_hour"]
    return [
        Chart("waits", "bar", _("Waits per service (minutes)"),
              [names.get(r["service"], r["service"]) for r in served],
              [Series(_("Median wait (min)"), [r["wait_p50_minutes"] for r in served], BLUE),
               Series(_("90th percentile of waits (min)"), [r["wait_p90_minutes"] for r in served],
                      ORANGE),
               Series(_("Target (min)"), [r["target_wait_minutes"] for r in served], GREY)]),
        Chart("trend", "line", _("Waits week by week (minutes)"),
              [w["week"] for w in report["weeks"]],
              [Series(_("Median wait (min)"), [w["wait_p50_minutes"] for w in report["weeks"]],
                      BLUE),
               Series(_("90th percentile of waits (min)"),
                      [w["wait_p90_minutes"] for w in report["weeks"]], ORANGE)]),
        Chart("staffing", "bar", _("Desks needed and open per hour (average day)"),
              [f"{h['hour']:02d}" for h in hours],
              [Series(_("Desks needed"), [h["needed_per_day"] for h in hours], ORANGE),
               Series(_("Desks open"), [h["open_per_day"] for h in hours], BLUE)]),
    ]


def _top(chart):
    values = [v for s in chart.series for v in s.values if v is not None]
    top = max(values, default=0) or 1
    return top * 1.1


def svg(chart, width=640, height=240):
    """A simple labelled SVG (bars or lines), titled for screen readers."""
    left, bottom, top_pad = 40, 40, 10
    plot_w, plot_h = width - left - 10, height - bottom - top_pad
    top = _top(chart)
    n = max(1, len(chart.labels))
    slot = plot_w / n
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height + 20}" '
             f'role="img" aria-label="{escape(chart.title)}" class="report-chart">',
             f'<title>{escape(chart.title)}</title>']
    for i in range(5):
        y = top_pad + plot_h - plot_h * i / 4
        parts.append(f'<line x1="{left}" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}" '
                     f'stroke="#ddd"/><text x="{left - 4}" y="{y + 4:.1f}" font-size="10" '
                     f'text-anchor="end">{top * i / 4:.0f}</text>')
    step = max(1, n // 24)
    for i, label in enumerate(chart.labels):
        if i % step == 0:
            x = left + slot * (i + 0.5)
            parts.append(f'<text x="{x:.1f}" y="{height - bottom + 14}" font-size="10" '
                         f'text-anchor="middle">{escape(str(label))[:14]}</text>')
    for k, series in enumerate(chart.series):
        if chart.kind == "bar":
            bar_w = slot * 0.8 / len(chart.series)
            for i, v in enumerate(series.values):
                if v is None:
                    continue
                h = plot_h * v / top
                x = left + slot * i + slot * 0.1 + bar_w * k
                parts.append(f'<rect x="{x:.1f}" y="{top_pad + plot_h - h:.1f}" '
                             f'width="{bar_w:.1f}" height="{h:.1f}" fill="{series.color}"/>')
        else:
            points = [f"{left + slot * (i + 0.5):.1f},{top_pad + plot_h - plot_h * v / top:.1f}"
                      for i, v in enumerate(series.values) if v is not None]
            if points:
                parts.append(f'<polyline fill="none" stroke="{series.color}" stroke-width="2" '
                             f'points="{" ".join(points)}"/>')
        lx = left + k * 200
        parts.append(f'<rect x="{lx}" y="{height + 4}" width="10" height="10" '
                     f'fill="{series.color}"/><text x="{lx + 14}" y="{height + 13}" '
                     f'font-size="11">{escape(series.label)}</text>')
    parts.append("</svg>")
    return "".join(parts)
