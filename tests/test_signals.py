"""flask_pyjwt.signals: what each signal carries, through a real app, and what it never
carries (token text); a signal nobody listens to builds nothing."""

from __future__ import annotations

import re
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from blinker import NamedSignal
from flask import Flask

from flask_pyjwt import AuthManager, current_token, require_token, signals
from flask_pyjwt._flask import protection
from flask_pyjwt.errors import RefreshTokenReusedError
from flask_pyjwt.testing import FakeIdentityProvider, TokenClock, auth_header
from tests.support import bearer, make_clocked_app

Received = list[tuple[object, dict[str, object]]]


@contextmanager
def receiving(signal: NamedSignal, app: Flask) -> Generator[Received, None, None]:
    """Every (sender, kwargs) ``signal`` sends from ``app`` inside the block."""
    received: Received = []

    def receiver(sender: object, **kwargs: object) -> None:
        received.append((sender, kwargs))

    with signal.connected_to(receiver, sender=app):
        yield received


def protected_app() -> tuple[Flask, AuthManager, TokenClock]:
    clock = TokenClock(start=1_900_000_000)
    app = Flask("signals")
    app.config.from_mapping(JWT_ISSUER="i", JWT_AUTHTYPE="HS256", JWT_SECRET="s" * 64)
    manager = AuthManager(app, clock=clock)

    @app.route("/me")
    @require_token(location=("header", "cookies"))
    def me() -> dict[str, str]:
        return {"sub": current_token.sub}

    @app.route("/admin")
    @require_token(scope={"admin": True})
    def admin() -> dict[str, str]:
        return {"sub": current_token.sub}

    @app.route("/refresh", methods=["POST"])
    @require_token("refresh")
    def refresh() -> dict[str, str]:
        return {"sub": current_token.sub}

    return app, manager, clock


def timed(kwargs: dict[str, object]) -> bool:
    """Whether ``kwargs`` held a plausible ``duration`` (taken out, to compare the rest)."""
    duration = kwargs.pop("duration")
    return isinstance(duration, float) and 0 <= duration < 5


def no_token_text(kwargs: dict[str, object], *tokens: str) -> bool:
    """Whether no value of ``kwargs`` holds any part of the compact ``tokens``."""
    parts = {part for token in tokens for part in token.split(".")}
    return not any(part in repr(value) for value in kwargs.values() for part in parts)


def test_token_verified_names_the_subject_kind_and_source() -> None:
    app, manager, _ = protected_app()
    client = app.test_client()
    with app.app_context():
        token = manager.auth_token("alice")
    with receiving(signals.token_verified, app) as received:
        assert client.get("/me", headers=bearer(token.signed)).status_code == 200
        client.set_cookie("auth_token", token.signed)
        assert client.get("/me").status_code == 200
    assert all(no_token_text(kwargs, token.signed) for _, kwargs in received)
    assert all(timed(kwargs) for _, kwargs in received)
    assert received == [
        (app, {"sub": "alice", "token_type": "auth", "jti": token.jti, "source": "header",
               "provider": "self"}),
        (app, {"sub": "alice", "token_type": "auth", "jti": token.jti, "source": "cookies",
               "provider": "self"}),
    ]  # fmt: skip


def test_token_verified_is_not_sent_for_a_refusal_nor_from_another_app() -> None:
    app, manager, _ = protected_app()
    other, _, _ = protected_app()
    with app.app_context():
        token = manager.auth_token("alice")
    with receiving(signals.token_verified, other) as received:
        assert app.test_client().get("/me", headers=bearer(token.signed)).status_code == 200
    with receiving(signals.token_verified, app) as refused:
        assert app.test_client().get("/admin", headers=bearer(token.signed)).status_code == 403
    assert received == []
    assert refused == []


def test_authentication_failed_carries_code_status_and_source_never_the_token() -> None:
    app, manager, clock = protected_app()
    client = app.test_client()
    with app.app_context():
        token = manager.auth_token("alice")
    tampered = token.signed[:-4] + ("AAAA" if not token.signed.endswith("AAAA") else "BBBB")
    with receiving(signals.authentication_failed, app) as received:
        assert client.get("/me").status_code == 401
        assert client.get("/admin", headers=bearer(token.signed)).status_code == 403
        assert client.get("/me", headers=bearer(tampered)).status_code == 401
        clock.advance(3601)
        assert client.get("/me", headers=bearer(token.signed)).status_code == 401
    assert all(timed(kwargs) for _, kwargs in received)
    assert [kwargs for _, kwargs in received] == [
        {"code": "token_missing", "status": 401, "source": None},
        {"code": "insufficient_scope", "status": 403, "source": "header"},
        {"code": "signature_invalid", "status": 401, "source": "header"},
        {"code": "token_expired", "status": 401, "source": "header"},
    ]
    assert all(sender is app for sender, _ in received)
    assert all(no_token_text(kwargs, token.signed, tampered) for _, kwargs in received)


def test_token_revoked_and_subject_logged_out() -> None:
    app, manager, _ = protected_app()
    with app.app_context():
        auth = manager.auth_token("alice")
        refresh = manager.refresh_token("alice")
        with (
            receiving(signals.token_revoked, app) as revoked,
            receiving(signals.subject_logged_out, app) as logged_out,
        ):
            manager.revoke(auth)
            manager.revoke(refresh)
            manager.revoke_subject("bob")
    assert [kwargs for _, kwargs in revoked] == [
        {"sub": "alice", "token_type": "auth", "jti": auth.jti, "session": None,
         "session_ended": False},
        {"sub": "alice", "token_type": "refresh", "jti": refresh.jti, "session": refresh.sid,
         "session_ended": True},
    ]  # fmt: skip
    assert logged_out == [(app, {"sub": "bob"})]
    assert all(no_token_text(kwargs, auth.signed, refresh.signed) for _, kwargs in revoked)


def test_refresh_token_reused_on_rotate_and_on_a_refresh_route() -> None:
    app, manager, _ = protected_app()
    client = app.test_client()
    with app.app_context():
        first = manager.refresh_token("alice")
        other = manager.refresh_token("bob")
        manager.rotate(first)
        manager.rotate(other)
        with receiving(signals.refresh_token_reused, app) as received:
            with pytest.raises(RefreshTokenReusedError):
                manager.rotate(first)
            response = client.post("/refresh", headers=bearer(other.signed))
    assert response.status_code == 401
    assert response.get_json()["code"] == "refresh_token_reused"
    assert received == [
        (app, {"sub": "alice", "session": first.sid}),
        (app, {"sub": "bob", "session": other.sid}),
    ]


def test_a_first_rotation_is_no_reuse() -> None:
    app, manager, _ = protected_app()
    with app.app_context(), receiving(signals.refresh_token_reused, app) as received:
        manager.rotate(manager.refresh_token("alice"))
    assert received == []


def provider_app(idp: FakeIdentityProvider, clock: TokenClock) -> Flask:
    """An app accepting ``idp``'s tokens at ``/me``, on ``clock``."""
    app = Flask("provider")
    app.config.from_mapping(idp.config())
    AuthManager(app, clock=clock)

    @app.route("/me")
    @require_token()
    def me() -> dict[str, str]:
        return {"sub": current_token.sub}

    return app


def test_keys_refreshed_and_key_fetch_failed() -> None:
    clock = TokenClock()
    with FakeIdentityProvider(clock=clock) as idp:
        app = provider_app(idp, clock)
        client = app.test_client()
        with (
            receiving(signals.keys_refreshed, app) as refreshed,
            receiving(signals.key_fetch_failed, app) as failed,
        ):
            assert client.get("/me", headers=idp.auth_header("alice")).status_code == 200
            url = idp.jwks_url
            idp.stop()
            clock.advance(3600)  # the keys expire; the provider is down: they are kept
            assert client.get("/me", headers=idp.auth_header("alice")).status_code == 200
    assert len(refreshed) == 1
    assert refreshed[0][1]["url"] == url
    assert refreshed[0][1]["key_ids"] == (idp.kid,)
    assert len(failed) == 1
    assert failed[0][1]["url"] == url
    assert isinstance(failed[0][1]["reason"], str)
    assert all(sender is app for sender, _ in refreshed + failed)


def test_a_raising_key_receiver_neither_fails_requests_nor_repeats_the_fetch(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # The receivers run inside the shared key cache's fetch: a broken one must not turn
    # every request into a 500 with a fetch each (no backoff was set).
    clock = TokenClock()
    with FakeIdentityProvider(clock=clock) as idp:
        app = provider_app(idp, clock)

        def broken(sender: object, **kwargs: object) -> None:
            raise RuntimeError("a receiver's own bug")

        client = app.test_client()
        with signals.keys_refreshed.connected_to(broken, sender=app), caplog.at_level("ERROR"):
            for _ in range(3):
                assert client.get("/me", headers=idp.auth_header("alice")).status_code == 200
        assert idp.requests == 1
        assert "a receiver's own bug" in caplog.text


@pytest.fixture
def nobody_listening() -> Iterator[None]:
    """The request signals without any receiver during the test. blinker keeps a
    receiver connected with ``connect_via(app)`` after its app is gone (it forgets the
    sender, not the receiver), so an earlier test in this process may have left some."""
    stashed = [
        (signal.receivers, dict(signal.receivers))
        for signal in (signals.token_verified, signals.authentication_failed)
    ]
    for receivers, _ in stashed:
        receivers.clear()
    yield
    for receivers, saved in stashed:
        receivers.update(saved)


@pytest.mark.usefixtures("nobody_listening")
def test_nothing_is_built_while_nobody_listens(monkeypatch: pytest.MonkeyPatch) -> None:
    app, _, _ = protected_app()
    client = app.test_client()

    def refuse(*args: object) -> None:
        raise AssertionError("a signal with no receiver was built")

    monkeypatch.setattr(protection, "send_token_verified", refuse)
    monkeypatch.setattr(protection, "send_authentication_failed", refuse)
    assert client.get("/me", headers=auth_header(app, "alice")).status_code == 200
    assert client.get("/me").status_code == 401
    # The control: with a receiver, the same requests do build them.
    with receiving(signals.token_verified, app):
        assert client.get("/me", headers=auth_header(app, "alice")).status_code == 500


def test_make_clocked_app_is_signal_free() -> None:
    """An app nobody listens to answers as before (the existing suite's apps)."""
    app, manager, _ = make_clocked_app("quiet")

    @app.route("/x")
    @require_token()
    def x() -> dict[str, str]:
        return {"sub": current_token.sub}

    with app.app_context():
        token = manager.auth_token("alice")
    assert app.test_client().get("/x", headers=bearer(token.signed)).get_json() == {"sub": "alice"}


def test_the_docs_table_lists_each_signals_keyword_arguments() -> None:
    """docs/observability.rst's table names, for each signal, exactly the keys of its
    ``*Args`` TypedDict (what a receiver gets)."""
    text = (Path(__file__).resolve().parent.parent / "docs" / "observability.rst").read_text()
    table = text.split(".. list-table::", 1)[1].split("\nNo signal carries", 1)[0]
    documented: dict[str, set[str]] = {}
    for row in table.split("   * - ")[2:]:  # after the header row
        signal = re.search(r"flask_pyjwt\.signals\.(\w+)", row)
        assert signal is not None, row
        arguments = row.rsplit("\n     - ", 1)[1]
        documented[signal.group(1)] = set(re.findall(r"``([a-z_]+)``", arguments))
    typed = {
        "token_verified": signals.TokenVerifiedArgs,
        "authentication_failed": signals.AuthenticationFailedArgs,
        "token_revoked": signals.TokenRevokedArgs,
        "subject_logged_out": signals.SubjectLoggedOutArgs,
        "refresh_token_reused": signals.RefreshTokenReusedArgs,
        "keys_refreshed": signals.KeysRefreshedArgs,
        "key_fetch_failed": signals.KeyFetchFailedArgs,
    }
    assert documented == {name: set(args.__annotations__) for name, args in typed.items()}
