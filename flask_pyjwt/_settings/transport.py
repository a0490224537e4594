"""Where tokens travel, read from the configuration: the locations, cookies and CSRF keys.

The ``JWT_*`` keys of this concern are read here, with the readers of :mod:`.readers`,
into a frozen :class:`~flask_pyjwt._core.transport.TransportSettings` (a field of
:class:`~flask_pyjwt._core.policy.Settings`). Every value is checked at ``init_app``: a
cookie name a browser would not send back, a ``SameSite=None`` cookie without ``Secure``
(which browsers drop), a ``__Host-`` cookie with a ``Domain`` or a path (which browsers
refuse) are configuration errors, not cookies that silently never arrive. No Flask here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from flask_pyjwt._core.errors import InvalidConfigError
from flask_pyjwt._core.transport import TransportSettings

from .readers import (
    read_domain,
    read_flag,
    read_http_token,
    read_locations,
    read_methods,
    read_path,
    read_same_site,
    read_text_or,
)
from .sources import ConfigLookup

TRANSPORT_CONFIG_KEYS: Final = (
    "JWT_TOKEN_LOCATION",
    "JWT_AUTH_COOKIE",
    "JWT_REFRESH_COOKIE",
    "JWT_AUTH_CSRF_COOKIE",
    "JWT_REFRESH_CSRF_COOKIE",
    "JWT_COOKIE_SECURE",
    "JWT_COOKIE_SAMESITE",
    "JWT_COOKIE_DOMAIN",
    "JWT_AUTH_COOKIE_PATH",
    "JWT_REFRESH_COOKIE_PATH",
    "JWT_CSRF_PROTECT",
    "JWT_CSRF_METHODS",
    "JWT_CSRF_HEADER",
    "JWT_QUERY_PARAM",
    "JWT_AUTH_JSON_KEY",
    "JWT_REFRESH_JSON_KEY",
    "JWT_HEADER_NAME",
    "JWT_HEADER_SCHEME",
    "JWT_CSRF_FORM_FIELD",
)
"""The configuration keys read here (part of :data:`.catalogue.CONFIG_KEYS`)."""


def _check_prefixes(settings: TransportSettings, cookie_keys: Mapping[str, str]) -> None:
    """Browsers refuse a ``__Secure-`` cookie without ``Secure`` and a ``__Host-`` cookie
    without ``Secure``, with a ``Domain``, or with a path other than ``/``."""
    paths = {
        settings.auth_cookie: settings.auth_cookie_path,
        settings.refresh_cookie: settings.refresh_cookie_path,
        settings.auth_csrf_cookie: "/",
        settings.refresh_csrf_cookie: "/",
    }
    for name, key in cookie_keys.items():
        lowered = name.lower()
        if lowered.startswith(("__secure-", "__host-")) and not settings.cookie_secure:
            raise InvalidConfigError(
                key,
                f"{name!r} has a prefix browsers accept only on Secure cookies, but "
                "JWT_COOKIE_SECURE is False; drop the prefix for plain-http development",
            )
        if lowered.startswith("__host-"):
            if settings.cookie_domain is not None:
                raise InvalidConfigError(
                    key,
                    f"{name!r}: browsers refuse a __Host- cookie with a Domain, and "
                    "JWT_COOKIE_DOMAIN is set; unset it or drop the prefix",
                )
            if paths[name] != "/":
                raise InvalidConfigError(
                    key,
                    f"{name!r}: browsers refuse a __Host- cookie whose Path is not '/', and "
                    f"its path is {paths[name]!r}; set the path to '/' or drop the prefix",
                )


def _read_scheme(lookup: ConfigLookup) -> str:
    # "" is a value here, not "unset" (sources.EMPTY_IS_A_VALUE): the bare token.
    if lookup("JWT_HEADER_SCHEME") == "":
        return ""
    return read_http_token(lookup, "JWT_HEADER_SCHEME", "Bearer", "authentication scheme or ''")


def load_transport_settings(lookup: ConfigLookup) -> TransportSettings:
    """Read and check every ``JWT_*`` key of :class:`TransportSettings`.

    Raises:
        InvalidConfigError: a value has the wrong type or would not work in a browser.
    """
    cookie_keys: dict[str, str] = {}
    names: dict[str, str] = {}
    for key, default in (
        ("JWT_AUTH_COOKIE", "auth_token"),
        ("JWT_REFRESH_COOKIE", "refresh_token"),
        ("JWT_AUTH_CSRF_COOKIE", "csrf_auth_token"),
        ("JWT_REFRESH_CSRF_COOKIE", "csrf_refresh_token"),
    ):
        name = read_http_token(lookup, key, default, "cookie name")
        if name in cookie_keys:
            raise InvalidConfigError(
                key,
                f"{name!r} is also the name of {cookie_keys[name]}; each cookie needs a "
                "name of its own (one would overwrite the other)",
            )
        cookie_keys[name] = key
        names[key] = name
    secure = read_flag(lookup, "JWT_COOKIE_SECURE", True)
    same_site = read_same_site(lookup)
    if same_site == "None" and not secure:
        raise InvalidConfigError(
            "JWT_COOKIE_SAMESITE",
            "is 'None' but JWT_COOKIE_SECURE is False: browsers drop SameSite=None cookies "
            "that are not Secure; use 'Lax' for plain-http development",
        )
    settings = TransportSettings(
        locations=read_locations(lookup),
        auth_cookie=names["JWT_AUTH_COOKIE"],
        refresh_cookie=names["JWT_REFRESH_COOKIE"],
        auth_csrf_cookie=names["JWT_AUTH_CSRF_COOKIE"],
        refresh_csrf_cookie=names["JWT_REFRESH_CSRF_COOKIE"],
        cookie_secure=secure,
        cookie_samesite=same_site,
        cookie_domain=read_domain(lookup),
        auth_cookie_path=read_path(lookup, "JWT_AUTH_COOKIE_PATH"),
        refresh_cookie_path=read_path(lookup, "JWT_REFRESH_COOKIE_PATH"),
        csrf_protect=read_flag(lookup, "JWT_CSRF_PROTECT", True),
        csrf_methods=read_methods(lookup),
        csrf_header=read_http_token(lookup, "JWT_CSRF_HEADER", "X-CSRF-Token", "header name"),
        query_param=read_text_or(lookup, "JWT_QUERY_PARAM", "jwt"),
        auth_json_key=read_text_or(lookup, "JWT_AUTH_JSON_KEY", "auth_token"),
        refresh_json_key=read_text_or(lookup, "JWT_REFRESH_JSON_KEY", "refresh_token"),
        header_name=read_http_token(lookup, "JWT_HEADER_NAME", "Authorization", "header name"),
        header_scheme=_read_scheme(lookup),
        csrf_form_field=read_text_or(lookup, "JWT_CSRF_FORM_FIELD", "csrf_token"),
    )
    _check_prefixes(settings, cookie_keys)
    return settings
