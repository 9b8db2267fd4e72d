"""Fixtures for the helper's tests; the pieces they use live in helper_support.py."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

import pytest

from helper.helper_support import Helper, helper_session


@pytest.fixture
def session() -> Callable[..., contextlib.AbstractAsyncContextManager[Helper]]:
    return helper_session
