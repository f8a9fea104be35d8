"""The status report as PDF with reportlab: pure Python from PyPI, so a fresh machine with
only Python 3 renders it (no browser engine, no system libraries)."""
from io import BytesIO

from flask_babel import gettext as _
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import (KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table,
                                TableStyle)
from xml.sax.saxutils import escape

from . import charts

WIDTH = A4[0] - 4 * cm


def _drawing(chart):
    drawing = Drawing(WIDTH, 210)
    drawing.add(String(0, 198, chart.title, fontName="Helvetica-Bold", fontSize=10))
    plot = VerticalBarChart() if chart.kind == "bar" else HorizontalLineChart()
    plot.x, plot.y, plot.width, plot.height = 35, 45, WIDTH - 45, 140
    data = [[v if v is not None else 0 for v in s.values] or [0] for s in chart.series]
    plot.data = data
    plot.categoryAxis.categoryNames = [str(label)[:12] for label in chart.labels] or [""]
    plot.categoryAxis.labels.fontSize = 7
    plot.categoryAxis.labels.angle = 30 if len(chart.labels) > 8 else 0
    plot.categoryAxis.labels.boxAnchor = "ne" if len(chart.labels) > 8 else "n"
    plot.valueAxis.valueMin = 0
    plot.valueAxis.labels.fontSize = 7
    for i, series in enumerate(chart.series):
        color = colors.HexColor(series.color)
        if chart.kind == "bar":
            plot.bars[i].fillColor = color
            plot.bars[i].strokeColor = None
        else:
            plot.lines[i].strokeColor = color
            plot.lines[i].strokeWidth = 2
    drawing.add(plot)
    legend = Legend()
    legend.x, legend.y = 35, 8
    legend.fontSize = 8
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.colorNamePairs = [(colors.HexColor(s.color), s.label) for s in chart.series]
    drawing.add(legend)
    return drawing


def _table(header, rows):
    table = Table([header] + rows, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8),
        ("FONT", (0, 1), (-1, -1), "Helvetica", 8),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.grey),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT")]))
    return table


def render(doc, names, title):
    """`doc`: the context of the status report (services/status_report.build) plus the
    text the HTML shows in `sections` (list of (heading, [paragraph], table or None))."""
    buffer = BytesIO()
    styles = getSampleStyleSheet()
    pdf = SimpleDocTemplate(buffer, pagesize=A4, title=title, author="Anlaufstelle",
                            leftMargin=2 * cm, rightMargin=2 * cm, topMargin=2 * cm,
                            bottomMargin=2 * cm)
    story = [Paragraph(escape(title), styles["Title"])]
    for heading, paragraphs, table in doc["sections"]:
        block = [Paragraph(escape(heading), styles["Heading2"])]
        block += [Paragraph(escape(p), styles["BodyText"]) for p in paragraphs]
        if table is not None:
            block.append(_table(*table))
        block.append(Spacer(1, 8))
        story.append(KeepTogether(block) if table is None or len(table[1]) < 20 else block[0])
        if table is not None and len(table[1]) >= 20:
            story += block[1:]
        if heading == doc["charts_after"]:
            for chart in charts.specs(doc["report"], names):
                story += [_drawing(chart), Spacer(1, 10)]
    story.append(Paragraph(escape(_("Generated %(at)s", at=doc["report"]["generated_at"])),
                           styles["Italic"]))
    pdf.build(story)
    return buffer.getvalue()
