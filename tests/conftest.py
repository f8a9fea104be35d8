import pytest

from config import demo_centre
from config.settings import TestConfig
from queue_app import create_app
from queue_app.extensions import db
from queue_app.services import setup
from tests.helpers import NOW, Api, Pages
from tests.live import LiveServer
from tests.services import create_database, postgres_admin_url


@pytest.fixture(scope="session")
def postgres_url():
    url, drop = create_database(postgres_admin_url())
    yield url
    drop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.sqlite3'}"
    return request.getfixturevalue("postgres_url")


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
def shared_postgres():
    """A fresh PostgreSQL database for processes that must share one."""
    url, drop = create_database(postgres_admin_url())
    yield url
    drop()


@pytest.fixture
def start_server(tmp_path):
    """Real `python -m queue_app` processes, stopped after the test; SQLite unless told."""
    servers = []

    def start(database_url=None, async_mode="eventlet", **env):
        url = database_url or f"sqlite:///{tmp_path / 'live.sqlite3'}"
        server = LiveServer(url, tmp_path, async_mode=async_mode, **env).start()
        servers.append(server)
        return server
    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def outbox(tmp_path):
    return tmp_path / "outbox"


@pytest.fixture
def app(database_url, outbox):
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=database_url, MAIL_OUTBOX=str(outbox))
    with app.app_context():
        db.drop_all()
        setup.init_db()
        setup.seed_demo(NOW, demo_centre)
        db.session.remove()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app_ctx(app):
    with app.test_request_context():
        yield app
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def api(client):
    return Api(client)


@pytest.fixture
def pages(client):
    return Pages(client)


@pytest.fixture
def kiosk(app):
    """A browser on a kiosk that was set up with the demo kiosk's token."""
    kiosk = Pages(app.test_client())
    assert kiosk.set_up_device().status_code == 302
    return kiosk
