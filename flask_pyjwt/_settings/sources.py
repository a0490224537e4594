"""Where a ``JWT_*`` value is looked up: ``app.config``, then the environment, then a
``.env`` file, the first that has the key winning. The only module of flask_pyjwt that
reads the environment or a file for configuration. No Flask here.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path

from flask_pyjwt._core.errors import InvalidConfigError

ConfigLookup = Callable[[str], object]
"""Returns a key's configured value, or ``None`` when it is not set anywhere."""


def layered_lookup(
    app_config: Mapping[str, object],
    *,
    environ: Mapping[str, str] | None = None,
    dotenv_path: str | os.PathLike[str] | None = None,
) -> ConfigLookup:
    """Look keys up in ``app_config``, then ``environ``, then the ``.env`` file.

    Raises:
        InvalidConfigError: the ``.env`` file was named but cannot be read.
    """
    env = os.environ if environ is None else environ
    dotenv: Mapping[str, str | None] = {}
    if dotenv_path is not None:
        path = Path(dotenv_path)
        if not path.is_file():
            raise InvalidConfigError("dotenv_path", f"{str(path)!r} is not a readable file")
        from dotenv import dotenv_values  # imported here: only apps that use .env pay for it

        dotenv = dotenv_values(path)

    def lookup(key: str) -> object:
        value = app_config.get(key)
        if value is not None:
            return value
        from_env = env.get(key)
        if from_env is not None:
            return from_env
        return dotenv.get(key)

    return lookup
