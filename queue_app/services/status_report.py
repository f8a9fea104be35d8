"""The status report ("Sachstand") for the council and the migration advisory board:
the period's figures with a verdict on each target."""
from ..domain.insight import SERVICE_LEVEL
from ..domain.stats import mean
from . import insight

# A trend counts as one when the median wait moved by more than this share.
TREND_THRESHOLD = 0.1


def _trend(weeks):
    """rising / falling / steady, comparing the mean weekly median wait of the first and
    second half of the period; None with fewer than two weeks of waits."""
    medians = [w["wait_p50_minutes"] for w in weeks if w["wait_p50_minutes"] is not None]
    if len(medians) < 2:
        return None
    half = len(medians) // 2
    before, after = mean(medians[:half]), mean(medians[-half:])
    if after > before * (1 + TREND_THRESHOLD) and after - before >= 1:
        return "rising"
    if after < before * (1 - TREND_THRESHOLD) and before - after >= 1:
        return "falling"
    return "steady"


def build(first, last, now):
    report = insight.period_report(first, last, now)
    targets = []
    for row in report["services"]:
        share = row["within_target_share"]
        targets.append({"service": row["service"], "target_wait_minutes":
                        row["target_wait_minutes"], "within_target_share": share,
                        "met": None if share is None else share >= SERVICE_LEVEL})
    judged = [t for t in targets if t["met"] is not None]
    return {**report, "targets": targets, "service_level": SERVICE_LEVEL,
            "targets_met": sum(1 for t in judged if t["met"]),
            "targets_judged": len(judged), "trend": _trend(report["weeks"]),
            "at_risk": [c["service"] for c in report["coverage"] if c["at_risk"]],
            "generated_at": now.isoformat()}
