"""The application factory pattern, with configuration from the environment or ``.env``."""

from __future__ import annotations

import os
import warnings

from flask import Flask

from flask_pyjwt import AuthManager, current_token, require_token
from flask_pyjwt.errors import IgnoredConfigWarning, WeakSecretWarning

# [start factory]
auth_manager = AuthManager()  # no app yet


def create_app(config: dict[str, object] | None = None) -> Flask:
    app = Flask(__name__)
    app.config["JWT_ISSUER"] = "my-api"
    for key, value in (config or {}).items():
        app.config[key] = value
    # JWT_AUTHTYPE, JWT_SECRET, ... not in app.config come from the environment.
    auth_manager.init_app(app)  # reads and checks the configuration now

    @app.route("/me")
    @require_token()
    def me() -> dict[str, str]:
        return {"sub": current_token.sub}

    return app


# [end factory]


# [start dotenv]
def create_app_from_dotenv(dotenv_path: str | os.PathLike[str]) -> Flask:
    app = Flask(__name__)
    # JWT_* keys missing from app.config are looked up in the environment, then in the
    # .env file. The file is read here, at init_app; os.environ is not changed.
    AuthManager(app, dotenv_path=dotenv_path)
    return app


# [end dotenv]


# [start warnings-as-errors]
def warnings_as_errors() -> None:
    # A misspelt or foreign JWT_* key, or a short HMAC secret, then fails init_app.
    warnings.filterwarnings("error", category=IgnoredConfigWarning)
    warnings.filterwarnings("error", category=WeakSecretWarning)


# [end warnings-as-errors]
