"""A year of a large centre in the reports: ~250,000 visits, then every report timed.

    python bench/report_year.py [--postgres URL] [--visits 250000] [--repeat 15]

Fills a fresh database (SQLite, and PostgreSQL with --postgres) with a made-up year —
weekdays 08:00-18:00, ~1,000 visits a day over the demo centre's services, waits, service
times, no-shows, appointments, the wait promised at issue, desk sessions, anonymous
ratings — plus half of today. Times the nightly roll-up's catch-up over the year, then,
in-process through Flask's test client as a signed-in supervisor (no network), the
reports page and its JSON for the whole year (all, one office, one service) and the
year's status report as HTML, CSV and PDF. Prints JSON; target p95 < 1 s.
"""
import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import load  # noqa: E402
from bench.machine import describe  # noqa: E402

TZ = ZoneInfo("Europe/Berlin")
# The year up to today, so "today" is the part the reports compute on demand.
NOW = datetime.now(timezone.utc)
LAST = NOW.astimezone(TZ).date()
FIRST = LAST - timedelta(days=364)


def _days():
    day = FIRST
    while day <= LAST:
        if day.weekday() < 5:
            yield day
        day += timedelta(days=1)


def fill(visits_wanted, seed=20261124):
    """Bulk rows through SQLAlchemy Core: the services would take hours for a year."""
    from sqlalchemy import insert, select

    from queue_app.domain.lifecycle import StepStatus, VisitSource, VisitStatus
    from queue_app.extensions import db
    from queue_app.models import (Desk, DeskSession, Feedback, Service, Staff, Step, Visit,
                                  desk_session_services, feedback_services)
    rng = random.Random(seed)
    services = db.session.execute(
        select(Service.id, Service.prefix, Service.duration_minutes)
        .where(Service.active.is_(True))).all()
    weights = [5, 3, 3, 4, 3, 2, 1, 1, 3, 2, 2, 1, 1][:len(services)]
    desks = db.session.scalars(select(Desk.id)).all()
    staff = db.session.scalars(select(Staff.id)).all()
    days = list(_days())
    per_day = visits_wanted // len(days)
    visit_id = step_id = session_id = feedback_id = 0
    for day in days:
        visits, steps, sessions, links, ratings, rated = [], [], [], [], [], []
        open_at = datetime(day.year, day.month, day.day, 8, 0, tzinfo=TZ)
        close_at = open_at + timedelta(hours=10)
        today = day == LAST
        count = per_day // 2 if today else per_day
        if today and NOW < open_at + timedelta(minutes=30):
            count = 0
        for n in range(count):
            visit_id += 1
            step_id += 1
            service = rng.choices(services, weights)[0]
            # More in the morning: arrivals peak around 09:00-11:00.
            offset = min(599, abs(rng.gauss(150, 140)))
            if today:
                offset = min(offset, (NOW - open_at).total_seconds() / 60 - 1)
            queued = open_at + timedelta(minutes=offset)
            wait = rng.expovariate(1 / 14)
            called = queued + timedelta(minutes=wait)
            no_show = rng.random() < 0.05
            served = not no_show and called < NOW
            finished = called + timedelta(minutes=max(2, rng.gauss(service.duration_minutes,
                                                                   4)))
            appointment = rng.random() < 0.2
            status = StepStatus.NO_SHOW if no_show else (
                StepStatus.DONE if served and finished < NOW else StepStatus.WAITING)
            visits.append({
                "id": visit_id, "public_id": f"bench{visit_id}", "day": day,
                "number": f"{service.prefix}{n + 1:04d}", "lang": "de",
                "source": VisitSource.APPOINTMENT if appointment else VisitSource.WALK_IN,
                "status": VisitStatus.NO_SHOW if no_show else (
                    VisitStatus.DONE if status == StepStatus.DONE else VisitStatus.WAITING),
                "current_position": 0, "created_at": queued, "feedback_given": False,
                "ended_at": finished if status == StepStatus.DONE else None})
            steps.append({
                "id": step_id, "visit_id": visit_id, "position": 0, "service_id": service.id,
                "status": status, "queued_at": queued,
                "called_at": called if status != StepStatus.WAITING else None,
                "started_at": called if status == StepStatus.DONE else None,
                "finished_at": finished if status == StepStatus.DONE else None,
                "recall_count": 0,
                "promised_wait_minutes": max(0, round(wait + rng.gauss(0, 8)))})
            if status == StepStatus.DONE and rng.random() < 0.05:
                feedback_id += 1
                ratings.append({"id": feedback_id, "day": day,
                                "rating": rng.choice([2, 3, 4, 4, 5, 5]),
                                "comment": "Schnell und freundlich" if rng.random() < 0.2
                                else None})
                rated.append({"feedback_id": feedback_id, "service_id": service.id})
        for k in range(25):
            session_id += 1
            start = open_at - timedelta(minutes=15) + timedelta(minutes=rng.randint(0, 60))
            end = min(close_at - timedelta(minutes=rng.randint(0, 180)), NOW) \
                if today else close_at - timedelta(minutes=rng.randint(0, 180))
            sessions.append({"id": session_id, "desk_id": desks[k % len(desks)],
                             "staff_id": staff[k % len(staff)], "started_at": start,
                             "ended_at": end})
            for service in rng.sample(services, 3):
                links.append({"desk_session_id": session_id, "service_id": service.id})
        db.session.execute(insert(Visit), visits)
        db.session.execute(insert(Step), steps)
        db.session.execute(insert(DeskSession), sessions)
        db.session.execute(insert(desk_session_services), links)
        if ratings:
            db.session.execute(insert(Feedback), ratings)
            db.session.execute(insert(feedback_services), rated)
        db.session.commit()
    return visit_id


def _timed(client, path, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code, response.data[:300])
    times.sort()
    return {"p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[max(0, round(0.95 * len(times)) - 1)], 1),
            "max_ms": round(times[-1], 1), "bytes": len(response.data)}


def run(url, visits, repeat):
    from config.settings import TestConfig
    from queue_app import create_app
    from queue_app.extensions import db
    from queue_app.services import rollup, setup
    from tests.helpers import PASSWORD

    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=url)
    result = {}
    with app.app_context():
        db.drop_all()
        setup.init_db()
        setup.seed_demo(NOW)
        start = time.perf_counter()
        result["visits"] = fill(visits)
        result["fill_s"] = round(time.perf_counter() - start, 1)
        start = time.perf_counter()
        built = rollup.build_missing(NOW)
        result["rollup_catch_up_s"] = round(time.perf_counter() - start, 1)
        result["rollup_days"] = len(built)
        start = time.perf_counter()
        rollup.build(LAST - timedelta(days=1), NOW)
        result["rollup_one_day_s"] = round(time.perf_counter() - start, 2)
        db.session.remove()
    client = app.test_client()
    page = client.get("/login")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    assert client.post("/login", data={"username": "leitung", "password": PASSWORD,
                                       "csrf_token": token}).status_code == 302
    year = f"from={FIRST.isoformat()}&to={LAST.isoformat()}"
    paths = {
        "page_year_all": f"/reports?{year}&lang=de",
        "page_year_office": f"/reports?{year}&office=buergerbuero&lang=de",
        "page_year_service": f"/reports?{year}&service=anmeldung&lang=de",
        "page_default_4_weeks": "/reports?lang=de",
        "summary_json_year": f"/api/v1/reports/summary?{year}",
        "status_html_year": f"/api/v1/reports/status?{year}&format=html",
        "status_csv_year": f"/api/v1/reports/status?{year}&format=csv",
        "status_pdf_year": f"/api/v1/reports/status?{year}&format=pdf",
    }
    result["requests"] = {name: _timed(client, path, repeat) for name, path in paths.items()}
    result["p95_max_ms"] = max(r["p95_ms"] for r in result["requests"].values())
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", default=os.environ.get("TEST_POSTGRES_URL"))
    parser.add_argument("--visits", type=int, default=250_000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    report = {"bench": "report_year", "machine": describe(), "target_p95_ms": 1000,
              "results": {}}
    with tempfile.TemporaryDirectory() as tmp, load.databases(tmp, args.postgres) as urls:
        for name, url in urls.items():
            report["results"][name] = run(url, args.visits, args.repeat)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
