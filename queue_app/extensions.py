"""Unbound extension objects; create_app binds them."""
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_migrate import Migrate
from flask_socketio import SocketIO
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


# Objects are read after commit to build responses; expiring them would cost a query each.
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})
socketio = SocketIO()
babel = Babel()
csrf = CSRFProtect()
# Limits are per client address; behind a reverse proxy set PROXY_COUNT so that address is
# the resident's, not the proxy's.
limiter = Limiter(key_func=get_remote_address)
# SQLite alters a table by copying it (batch mode); PostgreSQL accepts the same scripts.
migrate = Migrate(render_as_batch=True, compare_type=True)
