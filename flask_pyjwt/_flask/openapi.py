"""The routes' token requirements as OpenAPI security: an apispec plugin.

What a route requires is data (each ``require_token`` records its
:class:`~flask_pyjwt._core.requirements.Requirements` on the view it returns, see
:func:`~.state.requirements_of`); this module reads it back when apispec describes
a path, and writes the security schemes, each operation's security requirement and the
401/403 responses. apispec is an optional dependency: nothing imports this module but
:mod:`flask_pyjwt.apispec`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Final, Protocol, cast

from apispec import APISpec, BasePlugin
from flask import Flask, has_app_context
from packaging.version import Version

from flask_pyjwt._core.errors import ContextError
from flask_pyjwt._core.requirements import Requirements
from flask_pyjwt._core.strict_json import JSONValue
from flask_pyjwt._core.tokens import REFRESH
from flask_pyjwt._core.transport import HeaderFraming, TransportSettings

from .context import get_app
from .state import app_state, requirements_of

BEARER: Final = "jwtBearer"
"""The security scheme of a token in ``Authorization: Bearer``."""
DPOP: Final = "jwtDPoP"
"""The security scheme of a DPoP-bound token in ``Authorization: DPoP`` (RFC 9449 7.1),
on a route that requires DPoP."""
HEADER: Final = "jwtHeader"
"""The security scheme of a token in the header ``JWT_HEADER_NAME`` / ``JWT_HEADER_SCHEME``
configure, when that is not ``Authorization: Bearer``."""
CSRF: Final = "jwtCsrfHeader"
"""The security scheme of the CSRF header a cookie-carried token needs on unsafe methods."""
QUERY: Final = "jwtQuery"
"""The security scheme of a token in the query string."""
ERROR_SCHEMA: Final = "JWTError"
"""The schema of the JSON body of every 401/403 answer."""
UNAUTHORIZED: Final = "JWTUnauthorized"
FORBIDDEN: Final = "JWTForbidden"

_V31: Final = Version("3.1.0")
_METHODS: Final = ("get", "put", "post", "delete", "patch")
_UNSAFE_NAME: Final = re.compile(r"[^A-Za-z0-9._-]")

SecurityRequirement = dict[str, list[str]]


class _Rule(Protocol):
    """What is read of a Werkzeug rule (whose type holds Any)."""

    @property
    def endpoint(self) -> str: ...
    @property
    def methods(self) -> set[str] | None: ...


class _Components(Protocol):
    """What is used of apispec's ``Components`` (its dict parameters are untyped)."""

    def security_scheme(self, component_id: str, component: dict[str, object]) -> object: ...
    def schema(self, component_id: str, component: dict[str, object]) -> object: ...
    def response(self, component_id: str, component: dict[str, object]) -> object: ...


def scope_names(scope: JSONValue) -> list[str]:
    """The role names an OpenAPI security requirement lists for a route's ``scope``:
    the words of a string, the items of a list, the keys of a mapping (``{"admin":
    true}`` is ``admin``; another value is ``key=<JSON>``)."""
    if scope is None:
        return []
    if isinstance(scope, str):
        return scope.split()
    if isinstance(scope, tuple):
        return [item if isinstance(item, str) else json.dumps(item) for item in scope]
    if isinstance(scope, Mapping):
        return [
            key if value is True else f"{key}={json.dumps(_plain(value), sort_keys=True)}"
            for key, value in scope.items()
        ]
    return [json.dumps(scope)]


def _plain(value: JSONValue) -> object:
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, tuple):
        return [_plain(item) for item in value]
    return value


class FlaskPyJWTPlugin(BasePlugin):
    """An apispec plugin that documents each ``require_token`` route's security.

    Register it beside apispec-webframeworks' ``FlaskPlugin`` (or in flask-smorest's
    ``spec_kwargs["extra_plugins"]``); every ``spec.path(view=..., app=...)`` (or
    flask-smorest's ``spec.path(rule=...)``) then gets, for each of the
    route's methods, ``security`` (one alternative per location the route reads a token
    from: the bearer header, the token cookie with its CSRF header on unsafe methods, the
    query parameter; with the scopes the route requires; ``{}`` too on an ``optional``
    route), and a 401 response (a 403 one when the route requires claims, a scope or a
    CSRF header) whose body is the error document. The schemes are added to the
    components as routes use them.

    Args:
        app: the app whose configuration (``JWT_TOKEN_LOCATION``, cookie and header
            names) the document follows; default: the current app, read when the
            plugin is made (inside an application context), or each time a path is
            described with ``app=``.

    A path described with no app to read (none given here or to ``spec.path``, and no
    application context) raises :class:`~flask_pyjwt.errors.ContextError`.
    """

    def __init__(self, app: Flask | None = None) -> None:
        if app is None and has_app_context():
            app = get_app()
        self._app = app
        self._spec: APISpec | None = None
        self._registered: set[str] = set()

    def init_spec(self, spec: APISpec) -> None:
        """Attach to ``spec`` (apispec calls this).

        Raises:
            ValueError: ``spec`` is OpenAPI 2 (Swagger), which has no components to
                hold security schemes in this form.
        """
        if spec.openapi_version.major < 3:
            raise ValueError(
                f"FlaskPyJWTPlugin writes OpenAPI 3 security; the spec is OpenAPI "
                f"{spec.openapi_version}: use openapi_version='3.1.0'"
            )
        self._spec = spec

    # apispec calls this with the keywords given to spec.path(...): view=, app= (or
    # flask-smorest's rule=) among them.
    def operation_helper(
        self,
        path: str | None = None,
        operations: dict[str, object] | None = None,
        **kwargs: object,
    ) -> None:
        """Add the security of the view described (``view=`` or ``rule=``) to
        ``operations`` (apispec calls this from ``spec.path``)."""
        del path
        if operations is None:
            return
        app = self._app_for(kwargs.get("app"))
        view = self._view(app, kwargs.get("view"), kwargs.get("rule"))
        if view is None:
            return
        for method in self._methods(app, view, operations):
            # A MethodView's methods may be protected one by one.
            view_class = cast("object", getattr(view, "view_class", None))
            requirements = requirements_of(view) + requirements_of(
                cast("object", getattr(view_class, method, None))
            )
            if not requirements:
                continue
            operation = operations.setdefault(method, {})
            if isinstance(operation, dict):
                self._describe(cast("dict[str, object]", operation), method, requirements, app)

    # -- where the view and its app come from --------------------------------------------

    def _app_for(self, given: object) -> Flask:
        if isinstance(given, Flask):
            return given
        if self._app is not None:
            return self._app
        try:
            return get_app()
        except RuntimeError:
            raise ContextError(
                "FlaskPyJWTPlugin was made without an app and outside an application "
                "context: pass FlaskPyJWTPlugin(app), spec.path(..., app=app), or describe "
                "the paths within `with app.app_context():`"
            ) from None

    @staticmethod
    def _view(app: Flask, view: object, rule: object) -> object | None:
        if view is not None:
            return view
        endpoint = cast("object", getattr(rule, "endpoint", None))
        if isinstance(endpoint, str):
            views: Mapping[str, object] = app.view_functions
            return views.get(endpoint)
        return None

    @staticmethod
    def _methods(app: Flask, view: object, operations: Mapping[str, object]) -> list[str]:
        """The operations to describe: those already given, and each method of the
        view's rule (``HEAD`` and ``OPTIONS`` aside)."""
        methods = set(operations).intersection(_METHODS)
        views: Mapping[str, object] = app.view_functions
        endpoints = {endpoint for endpoint, function in views.items() if function is view}
        rules = cast("Iterable[_Rule]", app.url_map.iter_rules())
        for rule in rules:
            if rule.endpoint in endpoints:
                methods.update(method.lower() for method in rule.methods or ())
        return [method for method in _METHODS if method in methods]

    # -- what one operation gets ---------------------------------------------------------

    def _describe(
        self,
        operation: dict[str, object],
        method: str,
        requirements: Iterable[Requirements],
        app: Flask,
    ) -> None:
        settings = app_state(app).codec.settings
        transport = settings.transport
        with_scopes = self._spec is None or self._spec.openapi_version >= _V31
        combined: list[SecurityRequirement] = [{}]
        forbidden = False
        for requirement in requirements:
            dpop_required = (requirement.dpop or settings.dpop.mode) == "required"
            alternatives, needs_csrf = self._alternatives(
                requirement, method, transport, with_scopes=with_scopes, dpop=dpop_required
            )
            forbidden = forbidden or needs_csrf or requirement.requires_claims
            if alternatives:  # every one of the stacked requirements must hold
                combined = [{**left, **right} for left in combined for right in alternatives]
        if combined != [{}]:
            operation["security"] = combined
        responses = operation.setdefault("responses", {})
        if isinstance(responses, dict):
            # A docstring's YAML may key them by int (401:): the app's own are kept.
            answers = cast("dict[object, object]", responses)
            if "401" not in answers and 401 not in answers:
                answers["401"] = self._response(UNAUTHORIZED, 401)
            if forbidden and "403" not in answers and 403 not in answers:
                answers["403"] = self._response(FORBIDDEN, 403)

    def _alternatives(
        self,
        requirement: Requirements,
        method: str,
        transport: TransportSettings,
        *,
        with_scopes: bool,
        dpop: bool,
    ) -> tuple[list[SecurityRequirement], bool]:
        scopes = scope_names(requirement.scope) if with_scopes else []
        alternatives: list[SecurityRequirement] = []
        needs_csrf = False
        for location in requirement.locations or transport.locations:
            if dpop:
                # DPoP required: only a bound token in Authorization: DPoP is taken
                # (a bearer token, a cookie's or the query's, answers 401 dpop_required).
                if location == "header" and transport.header.environ_key == "HTTP_AUTHORIZATION":
                    alternatives.append({self._scheme(DPOP, _dpop()): list(scopes)})
                continue
            if location == "header":
                name, header = _header_scheme(transport.header)
                alternatives.append({self._scheme(name, header): list(scopes)})
            elif location == "cookies":
                cookie = self._cookie(requirement, transport)
                alternative = {self._scheme(_cookie_scheme(cookie), _api_key("cookie", cookie)):
                               list(scopes)}  # fmt: skip
                if transport.csrf_protect and method.upper() in transport.csrf_methods:
                    header = _api_key("header", transport.csrf_header)
                    alternative[self._scheme(CSRF, header)] = []
                    needs_csrf = True
                alternatives.append(alternative)
            elif location == "query":
                query = _api_key("query", transport.query_param)
                alternatives.append({self._scheme(QUERY, query): list(scopes)})
            # "json" (a member of the request body) has no OpenAPI security scheme.
        if alternatives and requirement.optional:
            alternatives.append({})
        return alternatives, needs_csrf

    @staticmethod
    def _cookie(requirement: Requirements, transport: TransportSettings) -> str:
        if requirement.cookie_name is not None:
            return requirement.cookie_name
        # As the request reads it: either kind (kind None) reads the auth token's cookie.
        return transport.refresh_cookie if requirement.kind is REFRESH else transport.auth_cookie

    # -- components, registered once each, as routes use them ----------------------------

    def _scheme(self, name: str, scheme: dict[str, object]) -> str:
        if self._spec is not None and name not in self._registered:
            self._registered.add(name)
            _components(self._spec).security_scheme(name, scheme)
        return name

    def _response(self, name: str, status: int) -> dict[str, object]:
        spec = self._spec
        if spec is None:
            return _error_response(status, {"$ref": f"#/components/schemas/{ERROR_SCHEMA}"})
        if ERROR_SCHEMA not in self._registered:
            self._registered.add(ERROR_SCHEMA)
            _components(spec).schema(ERROR_SCHEMA, _ERROR_BODY)
        if name not in self._registered:
            self._registered.add(name)
            schema_ref: dict[str, object] = {"$ref": f"#/components/schemas/{ERROR_SCHEMA}"}
            _components(spec).response(name, _error_response(status, schema_ref))
        return {"$ref": f"#/components/responses/{name}"}


def _components(spec: APISpec) -> _Components:
    return cast("_Components", spec.components)


def _bearer() -> dict[str, object]:
    return {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": "A token in the Authorization header (RFC 6750).",
    }


def _dpop() -> dict[str, object]:
    return {
        "type": "http",
        "scheme": "DPoP",
        "description": "A DPoP-bound token in the Authorization header, with its DPoP "
        "proof in the DPoP header (RFC 9449).",
    }


def _header_scheme(framing: HeaderFraming) -> tuple[str, dict[str, object]]:
    """The scheme of the token header as the app reads it: ``jwtBearer`` for RFC 6750's,
    else ``jwtHeader``: an ``http`` scheme for another ``Authorization`` scheme, an
    ``apiKey`` header for another header."""
    if framing.name.lower() == "authorization" and framing.scheme.lower() == "bearer":
        return BEARER, _bearer()
    described = f"A token sent as '{framing.example()}'."
    if framing.name.lower() == "authorization" and framing.scheme:
        return HEADER, {"type": "http", "scheme": framing.scheme, "description": described}
    return HEADER, {**_api_key("header", framing.name), "description": described}


def _api_key(where: str, name: str) -> dict[str, object]:
    return {"type": "apiKey", "in": where, "name": name}


def _cookie_scheme(cookie: str) -> str:
    return f"jwtCookie.{_UNSAFE_NAME.sub('_', cookie)}"


def _error_response(status: int, schema: dict[str, object]) -> dict[str, object]:
    response: dict[str, object] = {
        "description": (
            "No usable token (absent, malformed, expired, badly signed, revoked, ...)"
            if status == 401
            else "A valid token that lacks a required claim or scope, or a missing CSRF header"
        ),
        "content": {"application/json": {"schema": schema}},
    }
    if status == 401:
        response["headers"] = {
            "WWW-Authenticate": {
                "description": 'The RFC 6750 challenge: Bearer error="invalid_token", ...',
                "schema": {"type": "string"},
            }
        }
    return response


_ERROR_BODY: Final[dict[str, object]] = {
    "type": "object",
    "description": "The JSON body of every flask_pyjwt refusal.",
    "required": ["status", "error", "code", "message"],
    "properties": {
        "status": {"type": "integer", "description": "The HTTP status, repeated."},
        "error": {
            "type": "string",
            "description": "The RFC 6750 error (invalid_token, insufficient_scope) or "
            "unauthorized / forbidden.",
        },
        "code": {"type": "string", "description": "The stable machine-readable reason."},
        "message": {"type": "string", "description": "What went wrong, for a person."},
    },
}
