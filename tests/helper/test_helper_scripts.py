"""PEP 723 scripts in the real helper over stdio: live diagnostics on a `.py` buffer, the script's status,
Lock Script and Create Script Environment through real uv against the loopback index, trust."""

from __future__ import annotations

import asyncio
import subprocess
import uuid
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcRequestCancelled

from helper.helper_support import Helper, code_actions, fixes, plain, within
from support.index import PackageIndex
from support.projects import installed

TRUSTED = {"trusted": True}
SCRIPT = """\
#!/usr/bin/env python3
# /// script
# requires-python = ">=3.10"
# dependencies = [
#     "alpha>=1",
# ]
# ///
import alpha
"""


async def request(helper: Helper, method: str, params: dict[str, Any]) -> Any:
    return plain(await within(helper.client.protocol.send_request_async(method, params), method))


def open_script(helper: Helper, path: Path, text: str) -> None:
    helper.notify(
        types.TEXT_DOCUMENT_DID_OPEN,
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=path.as_uri(), language_id="python", version=1, text=text
            )
        ),
    )


def change_script(helper: Helper, path: Path, text: str, version: int) -> None:
    helper.notify(
        types.TEXT_DOCUMENT_DID_CHANGE,
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=path.as_uri(), version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        ),
    )


def codes_of(diagnostics: list[types.Diagnostic]) -> list[str]:
    return sorted(str(d.code) for d in diagnostics)


@pytest.fixture
def script(tmp_path: Path, index_env: dict[str, str], uv: Path) -> Path:
    """A script locked by real uv (`uv lock --script`) against the loopback index."""
    path = tmp_path / "work" / "tool.py"
    path.parent.mkdir()
    path.write_text(SCRIPT)
    subprocess.run(
        [str(uv), "lock", "--quiet", "--script", str(path)], cwd=path.parent, env=index_env, check=True
    )
    return path


async def test_a_script_buffer_drifts_live_and_lock_script_brings_it_back(
    session: Any, script: Path, index_env: dict[str, str]
) -> None:
    async with session([script.parent], initialization_options=TRUSTED, env=index_env) as helper:
        changed: list[dict[str, Any]] = []
        helper.client.feature("lockstep/scriptChanged")(lambda ls, params: changed.append(plain(params)))
        edited = SCRIPT.replace('"alpha>=1"', '"alpha>=2"')
        open_script(helper, script, edited)
        found = await helper.diagnostics_for(script, lambda d: bool(d))
        assert codes_of(found) == ["lock-stale"]
        # At the requirement as written in the block: line 4, after `#     `.
        assert (found[0].range.start.line, found[0].range.start.character) == (4, 6)
        assert "run `uv lock --script tool.py`" in found[0].message

        status = await request(helper, "lockstep/scriptStatus", {"uri": script.as_uri()})
        assert (status["lockState"], status["lockIssues"], status["dependencies"]) == ("stale", 1, 1)
        assert (status["blockStart"], status["blockEnd"], status["requiresPython"]) == (1, 6, ">=3.10")
        assert status["environment"] is None and status["python"] is not None
        assert status["runCommand"][1:] == ["run", "--python", status["python"], "--script", str(script)]
        assert changed and changed[-1]["lockState"] == "stale"

        actions = await code_actions(helper, script, found)
        assert fixes(actions) == [("Lock Script", "lockstep.lockScript", [str(script)])]

        script.write_text(edited)  # the editor saves before locking
        token = str(uuid.uuid4())
        helper.client.progress_reports[token] = []
        result = await request(
            helper, "lockstep/lockScript", {"uri": script.as_uri(), "workDoneToken": token}
        )
        assert result["status"] == "ok", result["message"]
        assert result["script"]["lockState"] == "locked"
        assert 'specifier = ">=2"' in script.with_name("tool.py.lock").read_text()
        assert await helper.diagnostics_for(script, lambda d: not d) == []
        assert isinstance(helper.client.progress_reports[token][-1], types.WorkDoneProgressEnd)

        result = await request(helper, "lockstep/syncScript", {"uri": script.as_uri()})
        assert result["status"] == "ok", result["message"]
        environment = result["script"]["environment"]
        assert environment is not None and Path(environment["path"]).parent.name.startswith("environments-v")
        assert installed(Path(environment["path"])) == {"alpha": "2.0", "beta": "1.1"}
        assert result["script"]["runCommand"][3] == environment["python"]

        # A malformed block is an error at its line, as typed, and nothing runs on it.
        change_script(helper, script, edited.replace("# ///\nimport", "import"), 2)
        found = await helper.diagnostics_for(script, lambda d: codes_of(d) == ["script-block-unterminated"])
        assert found[0].range.start.line == 1
        result = await request(helper, "lockstep/lockScript", {"uri": script.as_uri()})
        assert result["status"] == "failed" and "malformed" in result["message"]


async def test_untrusted_the_status_reads_files_only_and_nothing_runs(
    session: Any, script: Path, index_env: dict[str, str]
) -> None:
    lock = script.with_name("tool.py.lock")
    before = lock.read_bytes()
    script.write_text(SCRIPT.replace('"alpha>=1"', '"alpha>=2"'))
    async with session([script.parent], env=index_env) as helper:
        status = await request(helper, "lockstep/scriptStatus", {"uri": script.as_uri()})
        assert (status["lockState"], status["environment"], status["python"]) == ("stale", None, None)
        for method in ("lockstep/lockScript", "lockstep/syncScript"):
            result = await request(helper, method, {"uri": script.as_uri()})
            assert result["status"] == "failed" and "trusted" in result["message"]
        assert (
            await request(helper, "lockstep/scriptStatus", {"uri": (script.parent / "none.py").as_uri()})
            is None
        )
    assert lock.read_bytes() == before


async def test_cancelling_create_script_environment_leaves_the_lock_as_it_was(
    session: Any, script: Path, index_env: dict[str, str], package_index: PackageIndex, tmp_path: Path
) -> None:
    lock = script.with_name("tool.py.lock")
    before = lock.read_bytes()
    # A cache of its own, so the wheel held back is surely downloaded.
    env = {**index_env, "UV_CACHE_DIR": str(tmp_path / "own-cache")}
    wheel = package_index.wheel("alpha", "2.0").name
    async with session([script.parent], initialization_options=TRUSTED, env=env) as helper:
        with package_index.hold(wheel):
            msg_id = str(uuid.uuid4())
            token = str(uuid.uuid4())
            helper.client.progress_reports[token] = []
            pending = helper.client.protocol.send_request(
                "lockstep/syncScript", {"uri": script.as_uri(), "workDoneToken": token}, msg_id=msg_id
            )
            await asyncio.to_thread(package_index.wait_for_request, wheel)
            helper.notify(types.CANCEL_REQUEST, types.CancelParams(id=msg_id))
            with pytest.raises(JsonRpcRequestCancelled):
                await within(asyncio.wrap_future(pending), "the cancelled sync")
    assert lock.read_bytes() == before
    # Nothing but the lock uv writes is ever in the script's folder.
    assert sorted(p.name for p in script.parent.iterdir()) == ["tool.py", "tool.py.lock"]


async def test_the_environment_against_the_lock_drifts_and_sync_script_brings_it_back(
    session: Any, script: Path, index_env: dict[str, str], uv: Path
) -> None:
    lock = script.with_name("tool.py.lock")
    async with session([script.parent], initialization_options=TRUSTED, env=index_env) as helper:
        open_script(helper, script, SCRIPT)
        result = await request(helper, "lockstep/syncScript", {"uri": script.as_uri()})
        assert result["status"] == "ok", result["message"]
        environment = result["script"]["environment"]
        assert result["script"]["environmentDrift"] == {
            "inSync": True,
            "missing": 0,
            "mismatched": 0,
            "extraneous": 0,
            "pythonMismatch": False,
        }

        # What a person's terminal would do: another beta into the script's environment.
        subprocess.run(
            [str(uv), "pip", "install", "--quiet", "beta==1.0", "--python", environment["python"]],
            env=index_env,
            check=True,
        )
        status = await request(helper, "lockstep/scriptStatus", {"uri": script.as_uri()})
        assert status["environmentDrift"]["mismatched"] == 1 and not status["environmentDrift"]["inSync"]
        # beta comes with alpha: the finding sits on its entry in the script's lock.
        found = await helper.diagnostics_for(lock, lambda d: "venv-version-mismatch" in codes_of(d))
        mismatch = next(d for d in found if d.code == "venv-version-mismatch")
        assert lock.read_text().splitlines()[mismatch.range.start.line] == 'name = "beta"'
        assert "the environment of tool.py has beta 1.0, but tool.py.lock pins 1.1" in mismatch.message
        actions = await code_actions(helper, lock, [mismatch])
        assert fixes(actions) == [
            ("Sync Script Environment", "lockstep.createScriptEnvironment", [str(script)])
        ]

        result = await request(helper, "lockstep/syncScript", {"uri": script.as_uri()})
        assert result["status"] == "ok", result["message"]
        assert result["script"]["environmentDrift"]["inSync"]
        assert installed(Path(environment["path"])) == {"alpha": "2.0", "beta": "1.1"}
        assert await helper.diagnostics_for(lock, lambda d: not d) == []


async def test_no_installed_python_fits_the_script_asks_for_the_managed_download(
    session: Any, tmp_path: Path, index_env: dict[str, str]
) -> None:
    script = tmp_path / "work" / "next.py"
    script.parent.mkdir()
    script.write_text(SCRIPT.replace('">=3.10"', '"==3.14.*"'))
    # Nothing listens on port 9: the size is unknown and the download fails at once.
    mirror = "http://127.0.0.1:9/mirror"
    options = {**TRUSTED, "pythonInstallDir": str(tmp_path / "pythons"), "pythonInstallMirror": mirror}
    env = {**index_env, "UV_PYTHON_INSTALL_DIR": str(tmp_path / "uv-pythons")}
    async with session([script.parent], initialization_options=options, env=env) as helper:
        status = await request(helper, "lockstep/scriptStatus", {"uri": script.as_uri()})
        assert status["python"] is None and status["environment"] is None
        for method in ("lockstep/syncScript", "lockstep/lockScript"):
            asked = await request(helper, method, {"uri": script.as_uri()})
            assert asked["status"] == "needs-python", asked
            assert asked["pythonRequest"] == "Python 3.14" and "3.14" in asked["message"]
            download = asked["download"]
            assert download["version"].startswith("3.14.") and download["url"].startswith(mirror + "/")
        failed = await request(helper, "lockstep/syncScript", {"uri": script.as_uri(), "allowDownload": True})
    assert failed["status"] == "failed"
    assert f"Could not install {download['label']}: " in failed["message"]
    assert "lockstep.python.installMirror" in failed["message"]
    # Nothing was written beside the script.
    assert sorted(p.name for p in script.parent.iterdir()) == ["next.py"]
