import pytest

from config.settings import TestConfig
from queue_app import create_app
from queue_app.extensions import db
from queue_app.services import auth
from tests.live import HttpApi, LiveServer
from tests.services import create_database, postgres_admin_url

pytestmark = pytest.mark.server


@pytest.fixture(params=["sqlite", "postgresql"])
def server_db(request, tmp_path):
    """A fresh, empty database for one server test."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'live.sqlite3'}"
        return
    url, drop = create_database(postgres_admin_url())
    yield url
    drop()


@pytest.fixture
def start_server(tmp_path):
    servers = []

    def start(database_url, async_mode="eventlet", **env):
        server = LiveServer(database_url, tmp_path, async_mode=async_mode, **env).start()
        servers.append(server)
        return server
    yield start
    for server in servers:
        server.stop()


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
