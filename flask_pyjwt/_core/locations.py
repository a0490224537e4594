"""Where a request may carry its token (:data:`Location`), and what an HTTP token (a
header, method or cookie name) may be spelled with. No Flask here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final, Literal, TypeAlias, cast, get_args

Location: TypeAlias = Literal["header", "cookies", "query", "json"]
"""Where a request may carry its token: the ``Authorization: Bearer`` header, a cookie, a
query string parameter, or a member of a JSON body."""

LOCATIONS: Final = cast("tuple[Location, ...]", get_args(Location))
"""Every location, in the order the docs list them."""

_BY_NAME: Final[Mapping[str, Location]] = {name: name for name in LOCATIONS}


def parse_location(value: object) -> Location | None:
    """The :data:`Location` spelled ``value`` exactly, or ``None``."""
    return _BY_NAME.get(value) if isinstance(value, str) else None


# RFC 9110 5.6.2 token: a header name, a method, or (RFC 6265 4.1.1) a cookie name.
_TOKEN: Final = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")


def is_http_token(text: str) -> bool:
    """Whether ``text`` is an RFC 9110 token: a valid header, method or cookie name."""
    return _TOKEN.fullmatch(text) is not None
