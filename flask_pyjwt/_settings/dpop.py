"""The sender-constrained token and resource keys (``JWT_DPOP*``, ``JWT_RESOURCE*``) →
:class:`~flask_pyjwt._core.dpop.DPoPSettings` and the resource identifier. No Flask here.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Final
from urllib.parse import urlsplit

from flask_pyjwt._core.algorithms import AuthType, parse_auth_type
from flask_pyjwt._core.dpop import DEFAULT_IAT_WINDOW, DPOP_MODES, DPoPMode, DPoPSettings
from flask_pyjwt._core.errors import InvalidConfigError
from flask_pyjwt._core.uri import is_loopback_host

from .readers import got, read_flag, read_text, read_whole_number
from .sources import ConfigLookup

DPOP_CONFIG_KEYS: Final = (
    "JWT_DPOP",
    "JWT_DPOP_ALGORITHMS",
    "JWT_DPOP_IAT_WINDOW",
    "JWT_DPOP_NONCE",
    "JWT_RESOURCE",
    "JWT_RESOURCE_METADATA_ROUTE",
)
"""The keys read here (part of :data:`~.catalogue.CONFIG_KEYS`)."""

WELL_KNOWN: Final = "/.well-known/oauth-protected-resource"
"""RFC 9728 3's well-known path of protected-resource metadata."""

_MAX_IAT_WINDOW: Final = 3600


def _algorithms(lookup: ConfigLookup) -> tuple[AuthType, ...] | None:
    key = "JWT_DPOP_ALGORITHMS"
    value = lookup(key)
    if value is None:
        return None
    if isinstance(value, str):
        items: list[object] = [part for part in value.replace(",", " ").split() if part]
    elif isinstance(value, (list, tuple)):
        items = list(value)  # pyright: ignore[reportUnknownArgumentType]
    else:
        raise InvalidConfigError(key, f"{got(value)}; expected a list of algorithm names")
    if not items:
        raise InvalidConfigError(key, "is empty; name at least one asymmetric algorithm")
    try:
        algorithms = tuple(parse_auth_type(item) for item in items)
    except ValueError as error:
        raise InvalidConfigError(key, str(error)) from None
    symmetric = [a.value for a in algorithms if a.is_symmetric]
    if symmetric:
        raise InvalidConfigError(
            key,
            f"holds {', '.join(symmetric)}; a DPoP proof is signed with the client's own "
            "key pair, so only asymmetric algorithms (RS*, PS*, ES*, EdDSA) can be used",
        )
    if len(set(algorithms)) != len(algorithms):
        raise InvalidConfigError(key, "names an algorithm twice")
    return algorithms


def load_dpop_settings(lookup: ConfigLookup) -> DPoPSettings:
    """Read ``JWT_DPOP``, ``JWT_DPOP_ALGORITHMS``, ``JWT_DPOP_IAT_WINDOW`` and
    ``JWT_DPOP_NONCE``.

    Raises:
        InvalidConfigError: a value of the wrong type or out of range.
    """
    mode = read_text(lookup, "JWT_DPOP", "allowed")
    chosen: DPoPMode | None = next((m for m in DPOP_MODES if m == mode), None)
    if chosen is None:
        raise InvalidConfigError(
            "JWT_DPOP", f"{got(mode)}; expected 'allowed', 'required' or 'disabled'"
        )
    window = read_whole_number(
        lookup, "JWT_DPOP_IAT_WINDOW", DEFAULT_IAT_WINDOW, minimum=1,
        maximum=_MAX_IAT_WINDOW, why="a proof is meant to be used at once",
    )  # fmt: skip
    algorithms = _algorithms(lookup)
    settings = DPoPSettings(
        mode=chosen, iat_window=window, nonce=read_flag(lookup, "JWT_DPOP_NONCE")
    )
    return settings if algorithms is None else replace(settings, algorithms=algorithms)


def read_resource(lookup: ConfigLookup) -> str | None:
    """``JWT_RESOURCE``: an absolute https URL without fragment (RFC 8707 2, RFC 9728 1.2);
    http for loopback hosts only."""
    value = read_text(lookup, "JWT_RESOURCE")
    if value is None:
        return None
    try:
        parts = urlsplit(value)
        host = parts.hostname
    except ValueError:
        host, parts = None, urlsplit("")
    loopback = host is not None and is_loopback_host(host)
    if (
        host is None
        or parts.fragment
        or "#" in value
        or parts.query
        or parts.username is not None
        or not (parts.scheme == "https" or (parts.scheme == "http" and loopback))
    ):
        raise InvalidConfigError(
            "JWT_RESOURCE",
            f"{got(value)}; expected an https:// URL without query or fragment, like "
            "'https://api.example.com' (RFC 8707; http:// only for localhost)",
        )
    return value


def read_metadata_route(lookup: ConfigLookup, resource: str | None) -> str | None:
    """``JWT_RESOURCE_METADATA_ROUTE``: a path; under the well-known prefix, the
    resource's own path must follow it (RFC 9728 3.1)."""
    key = "JWT_RESOURCE_METADATA_ROUTE"
    route = read_text(lookup, key)
    if route is None:
        return None
    if not route.startswith("/") or any(char.isspace() or char in "<>?#" for char in route):
        raise InvalidConfigError(
            key, f"{got(route)}; expected a URL path starting with /, like '{WELL_KNOWN}'"
        )
    if resource is not None and route.startswith(WELL_KNOWN):
        path = urlsplit(resource).path.rstrip("/")
        if route != WELL_KNOWN + path:
            raise InvalidConfigError(
                key,
                f"{got(route)}; RFC 9728 3.1 puts the metadata of JWT_RESOURCE "
                f"({resource!r}) at {WELL_KNOWN + path!r}, where clients look for it",
            )
    return route
