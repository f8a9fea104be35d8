"""The centre as a file: export, dry-run and applied import, idempotence, the round trip
into an empty database — on SQLite and PostgreSQL, through the CLI as an admin runs it."""
import yaml
from sqlalchemy import func, select

from config import demo_centre
from config.settings import TestConfig
from queue_app import create_app
from queue_app.extensions import db
from queue_app.models import AuditEntry, OpeningRule, Service, Staff
from queue_app.services import office_places, setup
from tests.helpers import NOW


def run(runner, *args):
    r = runner.invoke(args=list(args))
    assert r.exit_code == 0, r.output
    return r.output


def test_export_import_into_an_empty_database_export_again_gives_the_same_file(
        app, runner, tmp_path, database_url):
    with app.test_request_context():
        # A desk limited to one service and a desk switched off travel in the file too.
        office_places.update_desk("admin", "platz-3", {"services": ["anmeldung"]}, NOW)
        office_places.update_desk("admin", "platz-8", {"active": False}, NOW)
        db.session.remove()
    first = tmp_path / "centre.yaml"
    run(runner, "export-centre", str(first))
    data = yaml.safe_load(first.read_text(encoding="utf-8"))
    desks = {d["code"]: d for d in data["desks"]}
    assert desks["platz-3"]["services"] == ["anmeldung"]
    assert desks["platz-8"]["active"] is False and "services" not in desks["platz-1"]
    assert desks["platz-13"]["services"] == ["integrationskurs", "willkommensberatung"]
    assert [o["code"] for o in data["offices"]] == [o["code"] for o in demo_centre.DATA["offices"]]
    assert "password" not in first.read_text() and "token" not in first.read_text()
    assert "scrypt" not in first.read_text()
    # Another app on an emptied database (the same URL: SQLite file or PostgreSQL database).
    other = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=database_url)
    with other.app_context():
        db.drop_all()
        setup.init_db()
        db.session.remove()
    other_runner = other.test_cli_runner()
    out = run(other_runner, "import-centre", str(first))
    assert "Dry run" in out and "create service anmeldung" in out
    with other.app_context():
        assert setup.is_empty()
        db.session.remove()
    out = run(other_runner, "import-centre", str(first), "--apply")
    assert "Applied" in out
    second = tmp_path / "again.yaml"
    run(other_runner, "export-centre", str(second))
    assert second.read_text(encoding="utf-8") == first.read_text(encoding="utf-8")
    assert "Nothing to change" in run(other_runner, "import-centre", str(first), "--apply")
    with other.app_context():
        imported = {d["code"]: d for d in office_places.list_desks()}
        assert imported["platz-3"]["services"] == ["anmeldung"]
        assert imported["platz-8"]["active"] is False and imported["platz-1"]["offers_all"]
        # imported users have no password until an admin sets one
        assert db.session.scalar(select(Staff.password_hash).where(
            Staff.username == "mueller")) == "!"
        db.session.remove()
        db.engine.dispose()


def test_demo_file_loaded_by_the_importer_is_idempotent(app, runner):
    assert "Nothing to change" in run(runner, "import-centre", str(demo_centre.PATH))
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry)).one()
        assert (entry.actor, entry.action, entry.target) == ("seed-demo", "centre.imported",
                                                             "centre")
        db.session.remove()


def test_import_dry_run_prints_changes_and_changes_nothing_then_applies(app, runner, tmp_path,
                                                                        api):
    data = yaml.safe_load(run(runner, "export-centre", "-"))
    service = next(s for s in data["services"] if s["code"] == "kfz-abmeldung")
    service["names"]["en"] = "Take a vehicle off the road"
    data["services"].append({"code": "fundbuero", "office": "buergerbuero", "prefix": "Z",
                             "names": {"de": "Fundbüro", "en": "Lost property"},
                             "duration_minutes": 5, "bookable": False})
    mueller = next(s for s in data["staff"] if s["username"] == "mueller")
    mueller["competencies"].append("kfz-abmeldung")
    data["opening_rules"] = [r for r in data["opening_rules"] if r["office"] != "kfz"] + [
        {"office": "kfz", "weekdays": [5], "start": "09:00", "end": "10:00",
         "parallel_desks": 1, "slot_minutes": 30}]
    data["closures"].append({"office": None, "date": "2027-01-02", "reason": "Brückentag"})
    path = tmp_path / "changed.yaml"
    # written by hand: times unquoted
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
                    .replace("'09:00'", "09:00").replace("'10:00'", "10:00"), encoding="utf-8")
    out = run(runner, "import-centre", str(path))
    for line in ("change service kfz-abmeldung: names", "create service fundbuero",
                 "change user mueller: competencies", "replace opening rules of kfz (2 → 1)",
                 "add closure whole centre 2027-01-02", "Dry run: 5 change(s)"):
        assert line in out, out
    with app.app_context():
        assert db.session.scalar(select(func.count(Service.id))) == 13
        db.session.remove()
    out = run(runner, "import-centre", str(path), "--apply")
    assert "Applied 5 change(s)" in out
    names = {s["code"]: s["name"] for s in api.get("/services?lang=en").get_json()}
    assert names["kfz-abmeldung"] == "Take a vehicle off the road" and "fundbuero" in names
    api.sign_in("platz-1", "mueller", "kfz-abmeldung")
    with app.app_context():
        kfz = db.session.scalars(select(OpeningRule).join(OpeningRule.office)
                                 .where(OpeningRule.office.has(code="kfz"))).all()
        assert [(r.weekdays, r.start_time, r.end_time) for r in kfz] == [([5], "09:00",
                                                                          "10:00")]
        db.session.remove()
    assert "Nothing to change" in run(runner, "import-centre", str(path), "--apply")


def test_import_refuses_a_bad_file_and_changes_nothing(app, runner, tmp_path):
    bad = tmp_path / "bad.yaml"
    for text in ("services: [{code: x, office: nowhere, prefix: X, names: {de: X}, "
                 "duration_minutes: 5}]",
                 "staff: [{username: z, role: boss}]",
                 "opening_rules: [{office: kfz, weekdays: [9], start: 08:00, end: 09:00, "
                 "parallel_desks: 1, slot_minutes: 10}]",
                 "desks: [{code: platz-1, name: P1, zone: eg, services: [nothing]}]",
                 "desks: [{code: platz-1, name: P1, zone: eg, services: anmeldung}]",
                 "offices: {code: x}", "unknown_section: []", "a: [unclosed"):
        bad.write_text(text, encoding="utf-8")
        r = runner.invoke(args=["import-centre", str(bad), "--apply"])
        assert r.exit_code != 0 and "Error" in r.output, (text, r.output)
    with app.app_context():
        assert db.session.scalar(select(func.count(Service.id))) == 13
        db.session.remove()
