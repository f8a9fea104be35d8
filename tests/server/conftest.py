import pytest

from config.settings import TestConfig
from queue_app import create_app
from queue_app.extensions import db
from queue_app.services import auth
from tests.live import HttpApi

pytestmark = pytest.mark.server


@pytest.fixture
def live(server_db, start_server):
    return start_server(server_db)


@pytest.fixture
def http(live):
    return HttpApi(live.url)


def add_clerks(database_url, count, services):
    """Extra clerks straight into the server's database, as an admin's CLI would."""
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=database_url)
    from tests.helpers import PASSWORD
    names = [f"clerk{n}" for n in range(count)]
    with app.app_context():
        for name in names:
            auth.create_user(name, "clerk", PASSWORD, services)
        db.session.remove()
        db.engine.dispose()
    return names
