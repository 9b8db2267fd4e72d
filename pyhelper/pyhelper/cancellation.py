"""How long work learns that the user pressed Cancel.

Long operations (downloads, venv creation, syncs) run in worker threads and look at a token between
steps; the server hands them a `threading.Event` that it sets when the client cancels.
"""

from __future__ import annotations

from typing import Protocol


class CancelToken(Protocol):
    """Anything with `is_set()`, e.g. a `threading.Event` the editor sets when the user cancels."""

    def is_set(self) -> bool: ...
