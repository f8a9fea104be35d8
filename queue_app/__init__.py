"""Anlaufstelle: queue and appointment management for a one-stop service centre.

Nothing is imported at module level: `python -m queue_app` imports this package before its
__main__ can patch the async library, and a Flask imported earlier would stay unpatched.
"""


def create_app(config_object=None, **overrides):
    from flask import Flask

    from config.settings import INSTANCE, SettingsError, configure

    app = Flask(__name__, instance_path=str(INSTANCE))
    # Read and checked here, not at import. A bad value is a SettingsError, which
    # `python -m queue_app` prints as one line; under `flask …` click does.
    try:
        configure(app.config, config_object, overrides)
    except SettingsError as exc:
        import click

        if click.get_current_context(silent=True) is None:
            raise
        raise click.ClickException(str(exc)) from None
    # Keep the documented field order, and show Arabic or Ukrainian names as they are.
    app.json.sort_keys = False
    app.json.ensure_ascii = False
    register_extensions(app)
    register_request_log(app)
    register_event_handlers(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_response_policy(app)
    register_commands(app)
    register_scheduler(app)
    return app


def register_extensions(app):
    from config.settings import INSTANCE
    from . import db_timeouts, message_queue
    from .database import configure_engine
    from werkzeug.middleware.proxy_fix import ProxyFix

    from .async_mode import quiet_eventlet_notice
    from .extensions import babel, csrf, db, limiter, migrate, socketio
    from .schema import MIGRATIONS, render_item
    from .web.locale import TRANSLATIONS, compile_catalogs, select_locale

    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        INSTANCE.mkdir(exist_ok=True)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
        **db_timeouts.engine_options(app.config),
        **app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {})}
    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS), render_item=render_item)
    with app.app_context():
        configure_engine(db.engine)
        if db.engine.dialect.name == "postgresql":
            db_timeouts.install(db.engine, app.config["DB_WAIT_SECONDS"])
    manager = message_queue.client_manager(app.config)
    queue = ({"client_manager": manager} if manager else
             {"message_queue": app.config["SOCKETIO_MESSAGE_QUEUE"],
              "channel": app.config["SOCKETIO_CHANNEL"]})
    with quiet_eventlet_notice():
        socketio.init_app(app, async_mode=app.config["ASYNC_MODE"],
                          cors_allowed_origins=app.config.get("CORS_ALLOWED_ORIGINS"), **queue)
    compile_catalogs()
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(TRANSLATIONS)
    babel.init_app(app, locale_selector=select_locale)
    csrf.init_app(app)
    if app.config["RATELIMIT_STORAGE_URI"].startswith(("redis://", "rediss://")):
        # Redis away: count in this process's memory meanwhile (with a warning), never fail.
        app.config.setdefault("RATELIMIT_STORAGE_OPTIONS", message_queue.redis_options(
            app.config))
        app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
        app.config.setdefault("RATELIMIT_SWALLOW_ERRORS", True)
    limiter.init_app(app)
    if app.config["PROXY_COUNT"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["PROXY_COUNT"],
                                x_proto=app.config["PROXY_COUNT"])


def register_request_log(app):
    from . import admission, request_log

    request_log.init_app(app)
    # Residents' admission next: before the blueprints' own before-request work.
    admission.init_app(app)


def register_event_handlers(app):
    """What happens after a write transaction commits: its domain events are published."""
    from .services import publish

    app.extensions["after_commit"] = publish.handle


def register_blueprints(app):
    import display
    import kiosk
    from . import api, web
    from .extensions import csrf

    api.init_app(app)
    # The API authenticates with bearer tokens, never cookies: no cross-site forgery.
    csrf.exempt(api.bp)
    web.init_app(app)
    kiosk.init_app(app)
    display.init_app(app)


def register_errorhandlers(app):
    from .api.errors import api_404_and_405
    from .web import errors

    api_404_and_405(app)
    errors.init_app(app)


def register_response_policy(app):
    from . import limits
    from .web import security

    limits.init_app(app)
    security.init_app(app)


def register_commands(app):
    from . import cli

    cli.init_app(app)


def register_scheduler(app):
    from .scheduler import create_scheduler

    app.extensions["scheduler"] = create_scheduler(app)
