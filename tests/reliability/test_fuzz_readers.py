"""Every reader of user files, fed 20,000 generated inputs each: findings or a documented error, no crash.

Inputs are structure-aware (see `fuzz_targets`): hypothesis draws a seed per example and the seed draws
a batch of inputs, so a failure names its seed (hypothesis prints it) and the exact input (the message).
`tests/reliability/fuzz_long.py` runs the same targets for as long as asked.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reliability.fuzz_targets import Inputs, Workspace, targets

INPUTS_PER_READER = 20_000
BATCH = 50
READERS = [
    "pyproject.toml (projects)",
    "pyproject.toml (drift)",
    "uv.lock",
    "poetry.lock",
    "pdm.lock",
    "pylock.toml",
    ".python-version",
    "pyvenv.cfg",
    "downloads JSON",
]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    workspace = Workspace(tmp_path_factory.mktemp("fuzz"))
    yield workspace
    workspace.close()


def test_every_reader_has_a_target(workspace: Workspace) -> None:
    assert sorted(targets(workspace)) == sorted(READERS)


@pytest.mark.parametrize("reader", READERS)
def test_reader_gives_findings_or_a_clear_error(reader: str, workspace: Workspace) -> None:
    target = targets(workspace)[reader]
    tried = 0

    # The same inputs every run, so CI is red only for a regression; fuzz_long.py explores new seeds.
    @settings(
        max_examples=INPUTS_PER_READER // BATCH,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(st.integers(min_value=0, max_value=2**64))
    def batch(seed: int) -> None:
        nonlocal tried
        inputs = Inputs(random.Random(seed))
        for _ in range(BATCH):
            item = target.generate(inputs)
            try:
                target.check(item)
            except Exception as error:
                raise AssertionError(f"{reader} crashed on {item!r:.3000}") from error
            tried += 1

    batch()
    assert tried >= INPUTS_PER_READER
