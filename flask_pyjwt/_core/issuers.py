"""Which source a token comes from, by its ``iss``: exact spellings and ``{tid}`` templates.

An :class:`IssuerRule` is what one token source (the app itself, or one identity
provider) accepts as ``iss``: one or several exact strings, and templates holding one
``{tid}`` (Entra ID's multi-tenant issuer ``https://login.microsoftonline.com/{tid}/v2.0``)
matched with the token's ``tid`` claim, optionally narrowed to some tenants.
:func:`rules_overlap` tells whether two rules could accept the same token (which
``init_app`` refuses: the source of a token must never be ambiguous). Pure: no Flask, no
I/O.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from .strict_json import FrozenJSONObject

TENANT_PLACEHOLDER: Final = "{tid}"
"""The placeholder of an issuer template, replaced by the token's ``tid`` claim."""

_TENANT_ID: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
"""What a ``tid`` claim may be spelled with to fill a template: a GUID (Entra ID), or a
short name; never ``/``, ``?``, ``#`` or ``@``, which would let it move into another part
of the URL."""


@dataclass(frozen=True, slots=True)
class IssuerRule:
    """The ``iss`` values one token source accepts.

    Attributes:
        exact: issuers matched as whole strings.
        templates: issuers holding one ``{tid}``, matched with the token's ``tid``.
        tenants: with templates, the ``tid`` values accepted (empty: any).
    """

    exact: frozenset[str]
    templates: tuple[str, ...] = ()
    tenants: frozenset[str] = frozenset()

    @classmethod
    def of(cls, issuers: Sequence[str], tenants: Sequence[str] = ()) -> IssuerRule:
        """The rule for ``issuers`` (a string holding ``{tid}`` is a template)."""
        exact = frozenset(issuer for issuer in issuers if TENANT_PLACEHOLDER not in issuer)
        templates = tuple(issuer for issuer in issuers if TENANT_PLACEHOLDER in issuer)
        return cls(exact, templates, frozenset(tenants))

    def matches(self, iss: str, claims: FrozenJSONObject) -> bool:
        """Whether a token whose ``iss`` is ``iss`` (and whose claims are ``claims``)
        comes from this source."""
        if iss in self.exact:
            return True
        if not self.templates:
            return False
        tid = claims.get("tid")
        if not isinstance(tid, str) or _TENANT_ID.fullmatch(tid) is None:
            return False
        if self.tenants and tid not in self.tenants:
            return False
        return any(template.replace(TENANT_PLACEHOLDER, tid) == iss for template in self.templates)

    @property
    def listed(self) -> tuple[str, ...]:
        """Every issuer as configured (templates with their ``{tid}``), sorted."""
        return tuple(sorted(self.exact)) + self.templates


def _template_accepts(template: str, tenants: frozenset[str], iss: str) -> bool:
    prefix, _, suffix = template.partition(TENANT_PLACEHOLDER)
    if not (iss.startswith(prefix) and iss.endswith(suffix)):
        return False
    if len(iss) < len(prefix) + len(suffix):
        return False
    tid = iss[len(prefix) : len(iss) - len(suffix)]
    return _TENANT_ID.fullmatch(tid) is not None and (not tenants or tid in tenants)


def _templates_overlap(first: str, second: str) -> bool:
    # Conservative: two templates overlap unless their fixed parts rule it out.
    prefix_a, _, suffix_a = first.partition(TENANT_PLACEHOLDER)
    prefix_b, _, suffix_b = second.partition(TENANT_PLACEHOLDER)
    prefixes = prefix_a.startswith(prefix_b) or prefix_b.startswith(prefix_a)
    suffixes = suffix_a.endswith(suffix_b) or suffix_b.endswith(suffix_a)
    return prefixes and suffixes


def rules_overlap(first: IssuerRule, second: IssuerRule) -> str | None:
    """An issuer both rules could accept, or ``None`` when no token could match both."""
    shared = first.exact & second.exact
    if shared:
        return min(shared)
    for one, other in ((first, second), (second, first)):
        for iss in sorted(one.exact):
            if any(_template_accepts(t, other.tenants, iss) for t in other.templates):
                return iss
    if first.tenants and second.tenants and not first.tenants & second.tenants:
        return None
    for template in first.templates:
        for candidate in second.templates:
            if _templates_overlap(template, candidate):
                return template if template == candidate else f"{template} / {candidate}"
    return None
