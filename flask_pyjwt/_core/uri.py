"""Comparing URIs the way RFC 9449 4.3 asks for a DPoP proof's ``htu``: RFC 3986's
syntax-based (6.2.2) and scheme-based (6.2.3) normalisation, without query and fragment.
Pure string work (the core may not import ``urllib``). No Flask here.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Final

_DEFAULT_PORTS: Final = {"http": ":80", "https": ":443"}
_UNRESERVED: Final = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_SCHEME: Final = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*")
_SPACE: Final = re.compile(r"\s")  # str patterns: exactly the characters str.isspace() accepts


_HEX: Final = frozenset("0123456789abcdefABCDEF")


_PATH_CHARS: Final = _UNRESERVED | frozenset("!$&'()*+,;=:@/%")  # pchar, "/" (RFC 3986 3.3)


def _percent_encoding(path: str) -> str:
    # RFC 3987 3.1: an IRI's characters outside the URI syntax as UTF-8 percent-encoded.
    if not _PATH_CHARS.issuperset(path):
        path = "".join(
            char
            if char in _PATH_CHARS
            else "".join(f"%{byte:02X}" for byte in char.encode("utf-8", "surrogatepass"))
            for char in path
        )
    # RFC 3986 6.2.2.1-2: hex digits in upper case; unreserved characters decoded.
    first, *rest = path.split("%")
    out = [first]
    for part in rest:
        pair = part[:2]
        if len(pair) == 2 and pair[0] in _HEX and pair[1] in _HEX:
            char = chr(int(pair, 16))
            out.append((char if char in _UNRESERVED else f"%{pair.upper()}") + part[2:])
        else:
            out.append(f"%{part}")
    return "".join(out)


def _remove_dot_segments(path: str) -> str:
    # RFC 3986 5.2.4, on a path that starts with "/".
    output: list[str] = []
    for segment in path.split("/")[1:]:
        if segment == "..":
            if output:
                output.pop()
        elif segment != ".":
            output.append(segment)
    if path.endswith(("/.", "/..")):
        output.append("")
    return "/" + "/".join(output)


def normalize_uri(uri: str) -> str | None:
    """``uri`` without query and fragment, after RFC 3986 6.2.2 and 6.2.3 normalisation:
    scheme and host in lower case, the scheme's default port dropped, an empty path as
    ``/``, characters outside the URI syntax (an IRI's) percent-encoded as UTF-8,
    percent-encoding in upper case and of unreserved characters decoded, dot
    segments removed. ``None`` for anything but an absolute ``http(s)`` URI without
    user information (which no request URI is)."""
    scheme, separator, rest = uri.partition("://")
    if not separator or not _SCHEME.fullmatch(scheme):
        return None
    scheme = scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        return None
    end = len(rest)
    for mark in "?#":
        found = rest.find(mark)
        if found != -1:
            end = min(end, found)
    rest = rest[:end]
    slash = rest.find("/")
    authority, path = (rest, "") if slash == -1 else (rest[:slash], rest[slash:])
    if not authority or "@" in authority or _SPACE.search(uri):
        return None
    authority = authority.lower()
    if authority.endswith(_DEFAULT_PORTS[scheme]):
        authority = authority[: -len(_DEFAULT_PORTS[scheme])]
    elif authority.endswith(":"):
        authority = authority[:-1]
    path = _remove_dot_segments(_percent_encoding(path or "/"))
    return f"{scheme}://{authority}{path}"


def is_loopback_host(host: str) -> bool:
    """Whether ``host`` (a URL's host name, lower-case, without brackets) is a loopback
    address: ``localhost`` or an IP address in 127.0.0.0/8 or ``::1``. Decided on the
    parsed address, never on the spelling: ``127.attacker.example`` is a DNS name that
    anyone can point anywhere."""
    if host == "localhost":
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:  # a name to resolve (or an address form ipaddress does not read)
        return False
    # An IPv4-mapped IPv6 address (::ffff:127.0.0.1) reaches its IPv4 address: judged by
    # that on every Python (3.13's ipaddress does so itself, 3.10-3.12's does not).
    mapped = address.ipv4_mapped if isinstance(address, ipaddress.IPv6Address) else None
    return (mapped or address).is_loopback
