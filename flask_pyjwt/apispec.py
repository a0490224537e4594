"""OpenAPI for the routes ``require_token`` protects: an apispec plugin.

``pip install 'flask_pyjwt[apispec]'``; importing this module imports apispec (the
rest of flask_pyjwt never does)::

    from apispec import APISpec
    from apispec_webframeworks.flask import FlaskPlugin
    from flask_pyjwt.apispec import FlaskPyJWTPlugin

    spec = APISpec("Orders", "1.0", "3.1.0", plugins=[FlaskPlugin(), FlaskPyJWTPlugin(app)])
    spec.path(view=orders, app=app)

See :doc:`/openapi`.
"""

from flask_pyjwt._flask.openapi import FlaskPyJWTPlugin

__all__ = ["FlaskPyJWTPlugin"]
