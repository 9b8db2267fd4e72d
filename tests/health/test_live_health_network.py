"""How the real helper process (over stdio) uses the network for dependency health, against the loopback
index: "health not checked (offline)" said once however many checks fail, and said again only after the
index was reached and lost again; an untrusted workspace asks the index nothing; a re-check after a lock
change asks only about what changed (and again for a fresh cached page that predates the locked
version); a hostile index's answers are one clear warning, and nothing of them looks healthy."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from lsprotocol import types

from health.health_support import run_uv
from helper.helper_support import Helper, code_actions, fixes, helper_session, within
from pyhelper.health.client import FetchError, IndexClient, Request
from support.index import Dist, PackageIndex

TRUSTED = {"trusted": True}
ONE_CHECK = sorted(
    [f"/simple/{name}/" for name in ("parser", "tool", "web")]
    + [f"/pypi/{name}/1.0/json" for name in ("parser", "tool", "web")]
)


def cache_env(health_cache: Path) -> dict[str, str]:
    return {"XDG_CACHE_HOME": str(health_cache.parent.parent)}


async def checked(helper: Helper, lock: Path) -> None:
    """The lock changed on disk (as the editor's watcher says): wait until the health check that follows
    has published (each publish asks the editor to refresh its inlay hints)."""
    seen = helper.inlay_hint_refreshes
    helper.watched_change(lock)
    await helper.inlay_hints_refreshed(seen + 1)


def said(helper: Helper, text: str) -> list[str]:
    return [message.message for message in helper.client.log_messages if text in message.message]


async def said_times(helper: Helper, text: str, count: int) -> list[str]:
    """Wait until the helper has logged `text` `count` times."""

    async def enough() -> list[str]:
        while len(said(helper, text)) < count:
            await helper.client.wait_for_notification(types.WINDOW_LOG_MESSAGE)
        return said(helper, text)

    found: list[str] = await within(enough(), f"{count} log messages with {text!r}")
    return found


def test_a_stopped_index_cuts_the_connections_clients_keep_alive(health_index: PackageIndex) -> None:
    page = Request(f"{health_index.url}/web/", {}, 2**20)
    with IndexClient() as client:
        assert client.get(page).status == 200  # the pool now keeps this connection alive
        health_index.stop()
        with pytest.raises(FetchError) as lost:
            client.get(page)
    assert lost.value.offline, lost.value.reason


class ClosingServer:
    """A loopback HTTP server that, like a server whose keep-alive timeout has just passed, answers each
    connection's first request keep-alive and closes it on the next without a word (or, with
    `answer_none`, closes every connection unanswered)."""

    def __init__(self, *, answer_none: bool = False) -> None:
        self.answer_none, self.requests = answer_none, 0
        self._socket = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._socket.getsockname()[1]}"
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self._socket.accept()
            except OSError:
                return
            threading.Thread(target=self._connection, args=(connection,), daemon=True).start()

    def _connection(self, connection: socket.socket) -> None:
        with connection:
            answered = False
            while connection.recv(65536):
                self.requests += 1
                if answered or self.answer_none:
                    return  # closed unanswered
                body = b"{}"
                connection.sendall(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
                )
                answered = True

    def close(self) -> None:
        self._socket.close()


@pytest.fixture
def closing_server() -> Iterator[ClosingServer]:
    server = ClosingServer()
    yield server
    server.close()


def test_a_kept_alive_connection_closed_unanswered_is_asked_again_on_a_new_one(
    closing_server: ClosingServer,
) -> None:
    page = Request(f"{closing_server.url}/simple/web/", {}, 2**20)
    with IndexClient() as client:
        assert client.get(page).status == 200
        assert client.get(page).status == 200  # cut on the kept-alive connection, answered on a new one
    assert closing_server.requests == 3


def test_a_server_that_never_answers_is_asked_twice_and_the_cut_is_said() -> None:
    server = ClosingServer(answer_none=True)
    try:
        with IndexClient() as client, pytest.raises(FetchError) as cut:
            client.get(Request(f"{server.url}/simple/web/", {}, 2**20))
    finally:
        server.close()
    assert cut.value.reason.startswith("the connection was cut"), cut.value.reason
    assert not cut.value.offline
    assert server.requests == 2


async def test_offline_is_said_once_and_again_after_the_index_was_reached_and_lost(
    locked_app: Path, health_index: PackageIndex, health_cache: Path
) -> None:
    health_index.max_age = 0  # every check asks the index again, so losing it is noticed
    port = urlsplit(health_index.url).port
    health_index.stop()
    before = len(health_index.requests)  # uv's, locking
    lock = locked_app / "uv.lock"
    async with helper_session(
        [locked_app], initialization_options=TRUSTED, env=cache_env(health_cache)
    ) as helper:
        await helper.inlay_hints_refreshed(1)  # the first check: the index is down
        (first,) = await said_times(helper, "health not checked (offline)", 1)
        assert first.startswith("health not checked (offline): 3 locked packages of ")
        await checked(helper, lock)
        await checked(helper, lock)

        health_index.start(port or 0)
        await checked(helper, lock)  # reached: the three packages are checked
        assert sorted(health_index.requests[before:]) == ONE_CHECK
        assert len(said(helper, "health not checked (offline)")) == 1  # not once per failed check

        health_index.stop()
        await checked(helper, lock)
        await said_times(helper, "health not checked (offline)", 2)
        await checked(helper, lock)
    assert len(said(helper, "health not checked (offline)")) == 2
    assert not any("unusable" in message for message in said(helper, "health"))


async def test_an_untrusted_workspace_asks_the_index_nothing(
    locked_app: Path, health_index: PackageIndex, health_cache: Path
) -> None:
    health_index.advise("web", "1.0", {"id": "PYSEC-2026-9", "fixed_in": ["1.1"]})
    lock = locked_app / "uv.lock"
    pyproject = locked_app / "pyproject.toml"
    before = len(health_index.requests)  # uv's, locking
    async with helper_session([locked_app], env=cache_env(health_cache)) as helper:
        await helper.projects()
        helper.open(pyproject)
        helper.watched_change(lock)
        assert await helper.inlay_hints(pyproject) == []
        web = types.Diagnostic(
            range=types.Range(types.Position(0, 0), types.Position(0, 0)),
            message="",
            code="lock-vulnerable",
            source="lockstep",
        )
        assert not [fix for fix in fixes(await code_actions(helper, lock, [web])) if "Upgrade" in fix[0]]
        await helper.projects(refresh=True)
        assert health_index.requests[before:] == []
        assert helper.inlay_hint_refreshes == 0

        # Trusted now: the first thing the index is asked is that check.
        helper.notify(
            types.WORKSPACE_DID_CHANGE_CONFIGURATION,
            types.DidChangeConfigurationParams(settings={"lockstep": {"trusted": True}}),
        )
        await helper.diagnostics_for(lock, lambda found: any(d.code == "lock-vulnerable" for d in found))
    assert sorted(health_index.requests[before:]) == ONE_CHECK


async def test_a_recheck_after_a_lock_change_asks_only_about_what_changed(
    locked_app: Path, health_index: PackageIndex, health_cache: Path, uv: Path, uv_cache: Path
) -> None:
    lock = locked_app / "uv.lock"
    pyproject = locked_app / "pyproject.toml"
    first = len(health_index.requests)  # uv's, locking
    async with helper_session(
        [locked_app], initialization_options=TRUSTED, env=cache_env(health_cache)
    ) as helper:
        helper.open(pyproject)
        await helper.inlay_hints_refreshed(1)
        assert sorted(health_index.requests[first:]) == ONE_CHECK

        health_index.add([Dist("web", "1.1")])
        run_uv(uv, ["lock", "--upgrade-package", "web"], locked_app, health_index, uv_cache)
        health_index.yank("web", "1.1", "broken build")
        before = len(health_index.requests)
        await checked(helper, lock)
        # web's new release, and web's page: fresh in the cache, but fetched before 1.1 was published.
        assert sorted(health_index.requests[before:]) == ["/pypi/web/1.1/json", "/simple/web/"]
        found = await helper.diagnostics_for(lock, lambda found: any(d.code == "lock-yanked" for d in found))
        assert [d.message for d in found if d.code == "lock-yanked"] == [
            "web 1.1 is yanked from its index: broken build"
        ]

        before = len(health_index.requests)
        await checked(helper, lock)  # nothing changed: every answer is fresh and complete
        assert health_index.requests[before:] == []


@pytest.mark.parametrize(
    ("path", "mode", "reason"),
    [
        ("/pypi/web/1.0/json", "malformed", "/pypi/web/1.0/json is not valid JSON"),
        ("/simple/web/", "huge", "the answer is larger than 64 MB"),
        ("/simple/web/", "wrong-type", "/simple/web/ is not a simple API page (its type is text/plain)"),
    ],
)
async def test_a_hostile_answer_is_one_clear_warning_and_nothing_of_it_looks_healthy(
    locked_app: Path, health_index: PackageIndex, health_cache: Path, path: str, mode: str, reason: str
) -> None:
    health_index.max_age = 0  # each check reads the hostile answer anew
    health_index.misbehave(path, mode)
    lock = locked_app / "uv.lock"
    pyproject = locked_app / "pyproject.toml"
    async with helper_session(
        [locked_app], initialization_options=TRUSTED, env=cache_env(health_cache)
    ) as helper:
        helper.open(pyproject)
        await helper.inlay_hints_refreshed(1)
        (warning,) = await said_times(helper, "the index's answer is unusable", 1)
        assert warning.startswith("health not checked for 1 locked package of ")
        assert "web 1.0: " in warning and reason in warning, warning
        # web was not checked: no hint calls it up to date (tool's, checked, is there).
        labels = {hint.label for hint in await helper.inlay_hints(pyproject)}
        assert labels == {"1.0 locked · latest"}
        await checked(helper, lock)
        await checked(helper, lock)  # after the second, anything the first said has arrived
        assert len(said(helper, "the index's answer is unusable")) == 1
        assert not said(helper, "offline")
