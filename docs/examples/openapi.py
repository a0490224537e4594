"""OpenAPI: the demo app's routes described with apispec and flask_pyjwt's plugin."""

from __future__ import annotations

from apispec import APISpec
from apispec_webframeworks.flask import FlaskPlugin
from flask import Flask

from flask_pyjwt.apispec import FlaskPyJWTPlugin


# [start spec]
def openapi_document(app: Flask) -> dict[str, object]:
    spec = APISpec(
        title="Orders",
        version="1.0.0",
        openapi_version="3.1.0",
        plugins=[FlaskPlugin(), FlaskPyJWTPlugin(app)],
    )
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        # FlaskPlugin leaves path parameters to the docstrings; here, one per variable.
        variables: set[str] = rule.arguments  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
        parameters = [
            {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
            for name in sorted(variables)
        ]
        view = app.view_functions[rule.endpoint]
        spec.path(view=view, app=app, parameters=parameters)  # pyright: ignore[reportUnknownMemberType]
    return spec.to_dict()


# [end spec]
