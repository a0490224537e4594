"""The Redis store's local cache: revocation answers kept in the process, kept true by a
change feed. No Flask here.

Design (the docs' "Logout and revocation" page explains it to users, with its failure
modes):

* Every write the store makes runs in one Lua script that also ``PUBLISH``es the key it
  changed on the store's channel (``<prefix>changes``). In Redis Cluster a ``PUBLISH``
  reaches the subscribers of every node, so one subscription per process sees the
  writes of the whole cluster, whichever master took them.
* One thread per process (started by the first check, again after a ``fork``) holds
  one subscriber connection. A change drops every answer that read the key.
* Silence is not freshness: the thread sends a ``PING`` down the subscriber connection
  every :data:`HEARTBEAT` seconds. Redis answers it in order, after every message
  published before it, so its ``pong`` proves the cache had seen every change made up
  to the moment the ``PING`` left. Answers are served from memory only until
  ``staleness`` seconds after the last ``PING`` so proven; past that (a lost, cut or
  stalled connection, a stalled thread), every check makes its round trip again until
  the thread has re-subscribed and a new ``pong`` has come back. Every (re)subscription
  empties the cache: what was published while nobody listened is unknown.
* An answer read from Redis is kept only if no change arrived and no (re)subscription
  happened while it was being read (an epoch counter read before the read), so a
  change racing the read is never lost.
* At most ``size`` answers are kept; when full, the cache is emptied (the next checks
  refill it), so memory stays bounded whatever the traffic.
"""

from __future__ import annotations

import collections
import contextlib
import logging
import os
import threading
import time
import weakref
from collections.abc import Callable
from typing import Final, Protocol, cast

from flask_pyjwt._core.revocation import RevocationQuery, RevocationState

LOGGER: Final = logging.getLogger("flask_pyjwt")

HEARTBEAT: Final = 0.02
"""Seconds between two ``PING``s on the subscriber connection."""

DEFAULT_STALENESS: Final = 0.1
"""Default bound, in seconds, on how old what the cache knows may be when it answers."""

STALLED: Final = 1.0
"""Seconds without the ``pong`` of a ``PING`` after which the connection is dropped and
a new one made (a half-open connection never says it is closed)."""

RECONNECT_DELAY: Final = 0.05
"""Seconds between two attempts to subscribe again after the connection was lost."""

_KEYS_PER_ANSWER: Final = 4
"""The most keys one query reads: the cache holds at most this many references to its
answers per answer it may keep."""


class PubSub(Protocol):
    """The part of a redis-py ``PubSub`` the listener uses."""

    def subscribe(self, *channels: str) -> object:
        """``SUBSCRIBE``."""
        ...

    def ping(self) -> object:
        """``PING`` in subscribed mode: its ``pong`` comes back as a message."""
        ...

    def get_message(self, ignore_subscribe_messages: bool = False, timeout: float = 0.0) -> object:
        """The next message, or ``None`` after ``timeout`` seconds."""
        ...

    def close(self) -> None:
        """Close the connection."""
        ...


class LocalCache:
    """Answers of one store, kept in this process while a change feed proves them current.

    Args:
        open_pubsub: makes a new subscriber (``client.pubsub()``).
        channel: the channel the store's writes publish on.
        size: the most answers kept.
        staleness: seconds; an answer is served from memory only while every change made
            up to this long ago is known to have been seen.
    """

    def __init__(
        self,
        open_pubsub: Callable[[], PubSub],
        channel: str,
        *,
        size: int,
        staleness: float = DEFAULT_STALENESS,
    ) -> None:
        self._open = open_pubsub
        self._channel = channel
        self._size = size
        self._staleness = staleness
        self._lock = threading.Lock()
        self.entries: dict[RevocationQuery | str, RevocationState] = {}
        """Answers by query, or by compact token (see ``RedisRevocationStore.known_valid``)."""
        self._readers: dict[str, list[RevocationQuery | str]] = {}
        self._held = 0  # references in _readers: answers dropped by a change leave some
        self.fresh_until = 0.0
        """``time.monotonic()`` before which :attr:`entries` may answer."""
        self.epoch = 0
        """Bumped by every change seen and every (re)subscription."""
        self._thread: threading.Thread | None = None
        self._stopped = threading.Event()
        self._owner = os.getpid()
        self.subscriptions = 0
        """How many times the listener has subscribed (for tests and logs)."""
        reference = weakref.ref(self)

        def after_fork() -> None:
            cache = reference()
            if cache is not None:
                cache._forked()

        os.register_at_fork(after_in_child=after_fork)

    def _forked(self) -> None:
        """In a child process: the parent's thread is gone and its lock may be held by
        it; nothing the parent knew is proven here."""
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._thread = None
        self.fresh_until = 0.0
        self.epoch += 1
        self.entries.clear()
        self._readers.clear()
        self._held = 0

    def start(self) -> None:
        """Start the listener in this process, if it is not running (after a ``fork``, the
        parent's thread is gone: start a new one)."""
        if self._thread is not None and self._thread.is_alive() and self._owner == os.getpid():
            return
        with self._lock:
            if self._thread is not None and self._thread.is_alive() and self._owner == os.getpid():
                return
            self._owner = os.getpid()
            self._drop_locked()
            self._stopped.clear()
            reference: weakref.ref[LocalCache] = weakref.ref(self)
            thread = threading.Thread(
                target=_listen,
                args=(reference, self._stopped),
                name="flask_pyjwt-revocation-changes",
                daemon=True,
            )
            self._thread = thread
            thread.start()

    def close(self) -> None:
        """Stop the listener and forget every answer."""
        self._stopped.set()
        with self._lock:
            self._drop_locked()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=1.0)

    def keep(
        self, query: RevocationQuery | str, keys: list[str], state: RevocationState, epoch: int
    ) -> None:
        """Keep ``state`` under ``query`` (or a compact token), read from ``keys`` after
        :attr:`epoch` was ``epoch``, unless a change or a resubscription came in between
        (or the feed is not current)."""
        with self._lock:
            if epoch != self.epoch or time.monotonic() >= self.fresh_until:
                return
            held = self._held + len(keys)
            if len(self.entries) >= self._size or held > _KEYS_PER_ANSWER * self._size:
                self.entries.clear()
                self._readers.clear()
                held = len(keys)
            self._held = held
            self.entries[query] = state
            readers = self._readers
            for key in keys:
                readers.setdefault(key, []).append(query)

    def changed(self, key: str) -> None:
        """``key`` changed: drop every answer that read it."""
        with self._lock:
            self.epoch += 1
            entries = self.entries
            dropped = self._readers.pop(key, ())
            self._held -= len(dropped)
            for query in dropped:
                entries.pop(query, None)

    def subscribed(self) -> None:
        """A (new) subscription: what was published before it is unknown."""
        with self._lock:
            self.subscriptions += 1
            self._drop_locked()

    def lost(self) -> None:
        """The feed was lost: answer nothing from memory until it is back."""
        with self._lock:
            self._drop_locked()

    def proven(self, sent_at: float) -> None:
        """A ``PING`` sent at ``sent_at`` came back: every change before it was seen."""
        self.fresh_until = sent_at + self._staleness

    def _drop_locked(self) -> None:
        self.fresh_until = 0.0
        self.epoch += 1
        self.entries.clear()
        self._readers.clear()
        self._held = 0

    @property
    def channel(self) -> str:
        """The channel listened to."""
        return self._channel

    def open(self) -> PubSub:
        """A new subscriber connection."""
        return self._open()


def _listen(reference: weakref.ref[LocalCache], stopped: threading.Event) -> None:
    """The listener thread: subscribe, ping, apply changes; on any failure, drop the
    cache, wait a little and subscribe again. Ends when the cache is closed or gone."""
    while not stopped.is_set():
        cache = reference()
        if cache is None:
            return
        channel = cache.channel
        try:
            pubsub = cache.open()
        except Exception:  # any failure: no feed, round trips until it is back
            LOGGER.debug("the revocation change feed could not subscribe", exc_info=True)
            cache.lost()
            del cache
            stopped.wait(RECONNECT_DELAY)
            continue
        del cache  # only the weak reference while following: a dropped store ends the thread
        try:
            _follow(reference, pubsub, channel, stopped)
        except Exception:  # a lost connection, a bad reply: start over
            LOGGER.debug("the revocation change feed was lost; subscribing again", exc_info=True)
        finally:
            cache = reference()
            if cache is not None:
                cache.lost()
            del cache
            with contextlib.suppress(Exception):  # closing a broken connection may fail
                pubsub.close()
        stopped.wait(RECONNECT_DELAY)


def _follow(
    reference: weakref.ref[LocalCache], pubsub: PubSub, channel: str, stopped: threading.Event
) -> None:
    pubsub.subscribe(channel)
    pending: collections.deque[float] = collections.deque()
    next_ping = 0.0
    while not stopped.is_set():
        now = time.monotonic()
        if pending and now - pending[0] > STALLED:
            raise ConnectionError("no pong for a while: a half-open connection")
        if now >= next_ping:
            pending.append(now)
            pubsub.ping()
            next_ping = now + HEARTBEAT
        message = pubsub.get_message(timeout=max(0.0, next_ping - time.monotonic()))
        if message is None:
            continue
        cache = reference()
        if cache is None:
            return
        kind, data = _parse(message)
        if kind == "message":
            cache.changed(data)
        elif kind == "pong":
            if pending:
                cache.proven(pending.popleft())
        elif kind == "subscribe":
            # A first subscription, or redis-py's own reconnection: pings sent before it
            # may never be answered, and changes published meanwhile were missed.
            pending.clear()
            next_ping = 0.0
            cache.subscribed()
        del cache


def _parse(message: object) -> tuple[str, str]:
    """A redis-py pubsub message as (type, data), both text."""
    if not isinstance(message, dict):
        return "", ""
    fields = cast("dict[str, object]", message)
    return _text(fields.get("type")), _text(fields.get("data"))


def _text(value: object) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return value if isinstance(value, str) else ""
