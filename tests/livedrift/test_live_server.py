"""Live drift through the real helper process: typing, venv changes, quick fixes, hover, status state."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lsprotocol import types

from helper.helper_support import Helper, code_actions, fixes, helper_session, plain, within
from livedrift.livedrift_support import Run, write_project
from pyhelper.lsp.protocol import CHECK_DRIFT, UPDATE_LOCK

TRUSTED = {"trusted": True}


def synced(root: Path, run_uv: Run, pythons: dict[str, Path]) -> Path:
    write_project(root, ["alpha>=2", "gamma"])
    run_uv(root, "lock")
    run_uv(root, "sync", "--python", str(pythons["3.12"]))
    return root


def codes(diagnostics: list[types.Diagnostic]) -> set[str]:
    return {str(d.code) for d in diagnostics}


async def drift_of(helper: Helper, root: Path, state: str) -> dict[str, Any]:
    """Wait until the helper reports `state` for the project (projectsChanged or a fresh request)."""

    async def settled() -> dict[str, Any]:
        while True:
            projects = await helper.projects()
            drift = projects[0].get("drift")
            if drift and drift["state"] == state:
                return dict(drift)
            await helper.client.wait_for_notification("lockstep/projectsChanged")

    result: dict[str, Any] = await within(settled(), f"drift state {state}")
    return result


def open_document(helper: Helper, path: Path) -> None:
    helper.client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=path.as_uri(), language_id="toml", version=1, text=path.read_text()
            )
        )
    )


def type_into(helper: Helper, path: Path, version: int, old: str, new: str) -> None:
    """Replace the first `old` with `new` in the open buffer (not saved), as a ranged edit."""
    text = path.read_text()
    before = text[: text.index(old)]
    line, character = before.count("\n"), len(before.rsplit("\n", 1)[-1])
    helper.client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=path.as_uri(), version=version),
            content_changes=[
                types.TextDocumentContentChangePartial(
                    range=types.Range(
                        start=types.Position(line=line, character=character),
                        end=types.Position(line=line, character=character + len(old)),
                    ),
                    text=new,
                )
            ],
        )
    )


async def test_typing_a_dependency_flags_it_without_saving_then_update_lock_fixes_it(
    tmp_path: Path, run_uv: Run, pythons: dict[str, Path], index_env: dict[str, str]
) -> None:
    root = synced(tmp_path / "app", run_uv, pythons)
    pyproject = root / "pyproject.toml"
    async with helper_session([root], initialization_options=TRUSTED, env=index_env) as helper:
        assert (await drift_of(helper, root, "in-sync"))["lockIssues"] == 0
        open_document(helper, pyproject)
        type_into(helper, pyproject, 2, '"gamma"]', '"gamma", "epsilon"]')

        found = await helper.diagnostics_for(pyproject, lambda ds: "lock-missing-package" in codes(ds))
        (missing,) = [d for d in found if d.code == "lock-missing-package"]
        assert missing.source == "lockstep"
        assert "epsilon" in missing.message
        line = pyproject.read_text().splitlines()[missing.range.start.line]
        assert line.startswith("dependencies")  # the line typed into (the file on disk is unchanged)
        assert "epsilon" not in pyproject.read_text()
        drift = await drift_of(helper, root, "lock-out-of-sync")
        assert drift["lockIssues"] >= 1

        # The quick fixes (beside them, on a requirement: Upgrade and Remove, test_helper_dependency_actions).
        actions = await code_actions(helper, pyproject, [missing], only=["quickfix"])
        assert fixes(actions) == [("Update lockfile", "lockstep.updateLock", [str(root)])]

        # The editor runs the command: save, then the helper's updateLock runs uv lock against the index.
        pyproject.write_text(pyproject.read_text().replace('"gamma"]', '"gamma", "epsilon"]'))
        answer = plain(
            await within(
                helper.client.protocol.send_request_async(UPDATE_LOCK, {"root": str(root)}),
                "updateLock",
            )
        )
        assert answer["status"] == "ok", answer
        assert 'name = "epsilon"' in (root / "uv.lock").read_text()
        await helper.diagnostics_for(pyproject, lambda ds: "lock-missing-package" not in codes(ds))
        # Locked now, not installed: the venv is what is out of date.
        after = await helper.diagnostics_for(pyproject, lambda ds: "venv-missing-package" in codes(ds))
        assert any("epsilon" in d.message for d in after)
        await drift_of(helper, root, "env-out-of-sync")


async def test_a_different_version_installed_is_a_mismatch_with_a_sync_fix(
    tmp_path: Path, run_uv: Run, pythons: dict[str, Path], index_env: dict[str, str]
) -> None:
    root = synced(tmp_path / "app", run_uv, pythons)
    lock = root / "uv.lock"
    async with helper_session([root], initialization_options=TRUSTED, env=index_env) as helper:
        await drift_of(helper, root, "in-sync")
        run_uv(root, "pip", "install", "beta==1.0")
        dist_info = next((root / ".venv").glob("lib/python3*/site-packages/beta-1.0.dist-info"))
        helper.watched_change(dist_info, kind=types.FileChangeType.Created)

        # beta is no direct dependency: the diagnostic sits on its lock entry, published unopened.
        found = await helper.diagnostics_for(lock, lambda ds: "venv-version-mismatch" in codes(ds))
        (mismatch,) = [d for d in found if d.code == "venv-version-mismatch"]
        assert mismatch.severity == types.DiagnosticSeverity.Warning  # one Sync fixes it: not an error
        assert lock.read_text().splitlines()[mismatch.range.start.line] == 'name = "beta"'
        drift = await drift_of(helper, root, "env-out-of-sync")
        assert drift["mismatched"] == 1

        actions = await code_actions(helper, lock, [mismatch])
        assert fixes(actions) == [("Sync environment", "lockstep.syncEnvironment", [str(root)])]
        run_uv(root, "sync")
        helper.watched_change(dist_info, kind=types.FileChangeType.Deleted)
        await helper.diagnostics_for(lock, lambda ds: not ds)
        await drift_of(helper, root, "in-sync")


async def test_an_uninstall_reported_under_the_venvs_build_name_is_still_seen(
    tmp_path: Path, run_uv: Run, pythons: dict[str, Path], index_env: dict[str, str]
) -> None:
    # code-server names the files of a venv renamed into place under the build folder's old name
    # (`pyhelper.environments` builds `.venv` as `.venv.lockstep-build-<hex>`).
    root = synced(tmp_path / "app", run_uv, pythons)
    async with helper_session([root], initialization_options=TRUSTED, env=index_env) as helper:
        await drift_of(helper, root, "in-sync")
        dist_info = next((root / ".venv").glob("lib/python3*/site-packages/gamma-*.dist-info"))
        run_uv(root, "pip", "uninstall", "--python", str(root / ".venv" / "bin" / "python"), "gamma")
        assert not dist_info.exists()
        stale = root / ".venv.lockstep-build-0a1b2c3d" / dist_info.relative_to(root / ".venv")
        helper.watched_change(stale, kind=types.FileChangeType.Deleted)

        drift = await drift_of(helper, root, "env-out-of-sync")
        assert drift["missing"] == 1


async def test_hover_tells_the_locked_and_installed_versions(
    tmp_path: Path, run_uv: Run, pythons: dict[str, Path], index_env: dict[str, str]
) -> None:
    root = synced(tmp_path / "app", run_uv, pythons)
    pyproject = root / "pyproject.toml"
    async with helper_session([root], env=index_env) as helper:
        await drift_of(helper, root, "in-sync")
        open_document(helper, pyproject)
        line = pyproject.read_text().splitlines().index('dependencies = ["alpha>=2", "gamma"]')
        hover = await within(
            helper.client.text_document_hover_async(
                types.HoverParams(
                    text_document=types.TextDocumentIdentifier(uri=pyproject.as_uri()),
                    position=types.Position(line=line, character=20),
                )
            ),
            "hover",
        )
        text = hover.contents.value
        assert "**alpha**" in text
        assert "Locked: `2.0` in uv.lock line" in text
        assert "Installed: `2.0` in .venv — alpha-2.0.dist-info (installed by uv)" in text
        nothing = await within(
            helper.client.text_document_hover_async(
                types.HoverParams(
                    text_document=types.TextDocumentIdentifier(uri=pyproject.as_uri()),
                    position=types.Position(line=0, character=2),
                )
            ),
            "hover",
        )
        assert nothing is None


async def test_settings_extraneous_severity_and_untrusted_update(
    tmp_path: Path, run_uv: Run, pythons: dict[str, Path], index_env: dict[str, str]
) -> None:
    root = synced(tmp_path / "app", run_uv, pythons)
    run_uv(root, "pip", "install", "delta")
    lock = root / "uv.lock"
    options = {
        "diagnosticsExtraneous": True,
        "diagnosticsSeverity": {"venv-extraneous": "warning"},
    }
    async with helper_session([root], initialization_options=options, env=index_env) as helper:
        found = await helper.diagnostics_for(lock, lambda ds: "venv-extraneous" in codes(ds))
        (extra,) = found
        assert extra.severity == types.DiagnosticSeverity.Warning
        assert "delta 1.0" in extra.message
        answer = plain(
            await within(
                helper.client.protocol.send_request_async(UPDATE_LOCK, {"root": str(root)}),
                "update",
            )
        )
        assert answer["status"] == "failed" and "trusted" in answer["message"]
        helper.notify(
            types.WORKSPACE_DID_CHANGE_CONFIGURATION,
            types.DidChangeConfigurationParams(settings={"lockstep": {"diagnosticsEnabled": False}}),
        )
        await helper.diagnostics_for(lock, lambda ds: not ds)
        checked = plain(await within(helper.client.protocol.send_request_async(CHECK_DRIFT, {}), "check"))
        assert checked["projects"][0]["drift"]["state"] == "env-out-of-sync"
        assert checked["projects"][0]["drift"]["extraneous"] == 1
