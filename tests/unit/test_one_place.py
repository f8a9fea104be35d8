"""Each rule lives in one place: person checks, the error-code messages, the services'
imports (no loops, no top-level config package)."""
import ast
from pathlib import Path

import pytest

from queue_app.domain import errors, person
from queue_app.web.messages import MESSAGES, explain

SERVICES = Path(__file__).resolve().parents[2] / "queue_app" / "services"


@pytest.mark.parametrize("kwargs, code", [
    ({"email": "a@example.org", "consent": False, "name": "A"}, "consent_required"),
    ({"email": "a@example.org", "consent": True, "name": " "}, "invalid_name"),
    ({"email": "a@example.org", "consent": True, "name": "x" * 201}, "invalid_name"),
    ({"email": "nope", "consent": True, "name": "A"}, "invalid_email"),
    ({"email": "a@" + "b" * 250 + ".org", "consent": True, "name": "A"}, "invalid_email"),
    ({"email": "a@example.org", "consent": True, "name": "A", "phone": "call me"},
     "invalid_phone"),
    ({"email": "nope", "consent": True, "name_needed": False}, "invalid_email"),
])
def test_person_check_refuses_with_a_code(kwargs, code):
    with pytest.raises(errors.InvalidInput) as refused:
        person.check(**kwargs)
    assert refused.value.code == code


def test_person_check_accepts_a_resident_and_a_waiting_list_address():
    person.check("a@example.org", True, name="Ayşe", phone="+49 711 1234")
    person.check("a@example.org", True, name_needed=False)


def test_errors_with_a_status_live_together():
    assert (errors.BadRequest.status, errors.Unauthorized.status, errors.Gone.status) == (
        400, 401, 410)
    assert (errors.TooEarly.code, errors.TooLate.code) == ("too_early", "too_late")
    assert all(issubclass(e, errors.DomainError) for e in (
        errors.BadRequest, errors.Unauthorized, errors.Gone, errors.TooEarly, errors.TooLate))


def test_explain_uses_the_map_its_fallback_and_placeholders(app_ctx):
    assert explain(errors.Conflict("x", code="desk_busy")) == str(MESSAGES["desk_busy"])
    assert explain(errors.Conflict("own text", code="no_such_code")) == "own text"
    unknown = explain(errors.Conflict("x", code="cancelled"), fallback="unknown_code",
                      code="K7F-3QX")
    assert "K7F-3QX" in unknown and "%(" not in unknown


def _imports(path):
    """Sibling service modules `path` imports, at module level or inside functions."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                found.add(node.module.split(".")[0])
            else:
                found.update(alias.name for alias in node.names)
    return found & {p.stem for p in SERVICES.glob("*.py")}


def test_services_import_each_other_without_a_loop():
    graph = {p.stem: _imports(p) for p in SERVICES.glob("*.py")}

    def reaches(start, goal, seen=()):
        return any(n == goal or (n not in seen and reaches(n, goal, (*seen, n)))
                   for n in graph[start])
    loops = [name for name in graph if reaches(name, name)]
    assert loops == []


def test_services_do_not_import_the_config_package():
    for path in SERVICES.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = ([node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level
                     else [a.name for a in node.names] if isinstance(node, ast.Import) else [])
            assert not any(n == "config" or n.startswith("config.") for n in names), path
