"""The helper as an editor sees it: a real `python -m pyhelper serve` process driven over stdio."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types

from helper.helper_support import (
    interpreter_version,
    make_uv_venv,
    real_interpreter,
    write_tree,
)

PROJECT = '[project]\nname = "{name}"\nversion = "1.0"\n'
BROKEN = '[project]\nname = "broken"\ndependencies = [\n  "ok",\n  not-quoted,\n]\n'


async def test_initialize_answers_before_any_scan(session, tmp_path: Path) -> None:
    write_tree(tmp_path, {"pyproject.toml": PROJECT.format(name="p")})
    async with session([tmp_path]) as helper:
        assert helper.initialize_result is not None
        assert helper.initialize_result.server_info.name == "lockstep"
        capabilities = helper.initialize_result.capabilities
        assert capabilities.workspace.workspace_folders.change_notifications
        assert capabilities.text_document_sync.change == types.TextDocumentSyncKind.Incremental
        assert capabilities.text_document_sync.open_close


async def test_projects_across_managers_and_folders(session, tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    write_tree(
        first,
        {
            "uv-app/pyproject.toml": PROJECT.format(name="uv-app"),
            "uv-app/uv.lock": "",
            "uv-app/.python-version": "3.12\n",
            "poetry-app/pyproject.toml": '[tool.poetry]\nname = "poetry-app"\n',
            "pdm-app/pyproject.toml": PROJECT.format(name="pdm-app") + "[tool.pdm]\n",
            "pdm-app/pdm.lock": "",
        },
    )
    write_tree(
        second,
        {
            "hatch-app/pyproject.toml": PROJECT.format(name="hatch-app") + "[tool.hatch.envs.test]\n",
            "plain/pyproject.toml": PROJECT.format(name="plain"),
            "plain/pylock.toml": "",
        },
    )
    make_uv_venv(first / "uv-app" / ".venv")
    async with session([first, second]) as helper:
        projects = {project["name"]: project for project in await helper.projects()}
    assert {name: project["manager"] for name, project in projects.items()} == {
        "uv-app": "uv",
        "poetry-app": "poetry",
        "pdm-app": "pdm",
        "hatch-app": "hatch",
        "plain": "pep621",
    }
    uv_app = projects["uv-app"]
    assert uv_app["lockfile"] == str(first / "uv-app" / "uv.lock")
    assert uv_app["pythonVersion"] == "3.12"
    assert uv_app["venv"] == {
        "path": str(first / "uv-app" / ".venv"),
        "name": ".venv",
        "python": str(first / "uv-app" / ".venv" / "bin" / "python"),
        "version": interpreter_version(real_interpreter()),
        "resolved": str(first / "uv-app" / ".venv"),
        "link": False,
        "listedIn": None,
    }
    assert projects["pdm-app"]["lockfile"] == str(first / "pdm-app" / "pdm.lock")
    assert projects["poetry-app"]["lockfile"] is None
    assert projects["plain"]["pylock"] == [str(second / "plain" / "pylock.toml")]


async def test_uv_workspace_over_lsp(session, tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "root"\n[tool.uv.workspace]\nmembers = ["libs/*"]\nexclude = ["libs/own"]\n',
            "uv.lock": "",
            "libs/member/pyproject.toml": PROJECT.format(name="member"),
            "libs/own/pyproject.toml": PROJECT.format(name="own"),
        },
    )
    async with session([tmp_path]) as helper:
        projects = {project["name"]: project for project in await helper.projects()}
    assert projects["member"]["workspaceRoot"] == str(tmp_path)
    assert projects["member"]["lockfile"] == str(tmp_path / "uv.lock")
    assert projects["own"]["workspaceRoot"] is None
    assert projects["own"]["manager"] == "pep621"


async def test_exclude_from_initialization_options_and_settings(session, tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "app/pyproject.toml": PROJECT.format(name="app"),
            "third_party/lib/pyproject.toml": PROJECT.format(name="lib"),
            "examples/demo/pyproject.toml": PROJECT.format(name="demo"),
        },
    )
    async with session([tmp_path], initialization_options={"exclude": ["third_party"]}) as helper:
        assert sorted(project["name"] for project in await helper.projects()) == [
            "app",
            "demo",
        ]
        changed = await helper.next_projects_changed(
            lambda: helper.notify(
                types.WORKSPACE_DID_CHANGE_CONFIGURATION,
                types.DidChangeConfigurationParams(settings={"lockstep": {"exclude": ["examples"]}}),
            )
        )
        assert sorted(project["name"] for project in changed) == ["app", "lib"]


async def test_file_watching_is_registered_after_initialized(session, tmp_path: Path) -> None:
    async with session([tmp_path]) as helper:
        await helper.projects()
        (registration,) = helper.registrations
    assert registration.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES
    patterns = {watcher["globPattern"] for watcher in registration.register_options["watchers"]}
    assert {
        "**/pyproject.toml",
        "**/{uv,poetry,pdm}.lock",
        "**/pylock*.toml",
        "**/.python-version",
    } <= patterns
    assert "**/pyvenv.cfg" in patterns


async def test_a_changed_file_sends_projects_changed(session, tmp_path: Path) -> None:
    write_tree(tmp_path, {"app/pyproject.toml": PROJECT.format(name="app")})
    async with session([tmp_path]) as helper:
        (before,) = await helper.projects()
        assert before["manager"] == "pep621"

        def add_lock_and_project() -> None:
            write_tree(
                tmp_path,
                {"app/uv.lock": "", "new/pyproject.toml": PROJECT.format(name="new")},
            )
            helper.watched_change(tmp_path / "app" / "uv.lock", kind=types.FileChangeType.Created)
            helper.watched_change(tmp_path / "new" / "pyproject.toml", kind=types.FileChangeType.Created)

        after = await helper.next_projects_changed(add_lock_and_project)
        assert [(project["name"], project["manager"]) for project in after] == [
            ("app", "uv"),
            ("new", "pep621"),
        ]
        # However many rescans the burst caused, one change of the list is one notification.
        assert await helper.projects() == after
        assert len(helper.projects_changed) == 1


async def test_a_new_venv_appears_in_the_project(session, tmp_path: Path) -> None:
    write_tree(tmp_path, {"pyproject.toml": PROJECT.format(name="app")})
    async with session([tmp_path]) as helper:
        (before,) = await helper.projects()
        assert before["venv"] is None

        def create_venv() -> None:
            make_uv_venv(tmp_path / ".venv")
            helper.watched_change(tmp_path / ".venv" / "pyvenv.cfg", kind=types.FileChangeType.Created)

        (after,) = await helper.next_projects_changed(create_venv)
        assert after["venv"]["path"] == str(tmp_path / ".venv")


async def test_workspace_folder_added(session, tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    write_tree(first, {"pyproject.toml": PROJECT.format(name="one")})
    write_tree(second, {"pyproject.toml": PROJECT.format(name="two")})
    async with session([first]) as helper:
        assert [project["name"] for project in await helper.projects()] == ["one"]
        changed = await helper.next_projects_changed(
            lambda: helper.notify(
                types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS,
                types.DidChangeWorkspaceFoldersParams(
                    event=types.WorkspaceFoldersChangeEvent(
                        added=[types.WorkspaceFolder(uri=second.as_uri(), name="second")],
                        removed=[],
                    )
                ),
            )
        )
        assert [project["name"] for project in changed] == ["one", "two"]


async def test_refresh_rescans_without_a_file_event(session, tmp_path: Path) -> None:
    async with session([tmp_path]) as helper:
        assert await helper.projects() == []
        write_tree(tmp_path, {"pyproject.toml": PROJECT.format(name="late")})
        assert await helper.projects() == []
        assert [project["name"] for project in await helper.projects(refresh=True)] == ["late"]


async def test_uv_project_environment_in_the_helpers_environment(session, tmp_path: Path) -> None:
    write_tree(tmp_path, {"pyproject.toml": PROJECT.format(name="app"), "uv.lock": ""})
    make_uv_venv(tmp_path / "envs" / "app")
    async with session([tmp_path], env={"UV_PROJECT_ENVIRONMENT": "envs/app"}) as helper:
        (project,) = await helper.projects()
    assert project["venv"]["path"] == str(tmp_path / "envs" / "app")
    assert project["venv"]["name"] == "app"


async def test_venv_path_setting_and_its_change(session, tmp_path: Path) -> None:
    write_tree(tmp_path, {"pyproject.toml": PROJECT.format(name="app")})
    make_uv_venv(tmp_path / "envs" / "one")
    make_uv_venv(tmp_path / "envs" / "two")
    async with session([tmp_path], initialization_options={"venvPath": "envs/one"}) as helper:
        (project,) = await helper.projects()
        assert project["venv"]["path"] == str(tmp_path / "envs" / "one")
        (changed,) = await helper.next_projects_changed(
            lambda: helper.notify(
                types.WORKSPACE_DID_CHANGE_CONFIGURATION,
                types.DidChangeConfigurationParams(
                    settings={"lockstep": {"exclude": [], "venvPath": "envs/two"}}
                ),
            )
        )
        assert changed["venv"]["path"] == str(tmp_path / "envs" / "two")


async def test_malformed_pyproject_on_disk_is_a_diagnostic_until_fixed_or_gone(
    session, tmp_path: Path
) -> None:
    pyproject = tmp_path / "pyproject.toml"
    doomed = tmp_path / "old" / "pyproject.toml"
    write_tree(tmp_path, {"pyproject.toml": BROKEN, "old/pyproject.toml": BROKEN})
    async with session([tmp_path]) as helper:
        projects = await helper.projects()
        assert [project["pyproject"] for project in projects] == [
            str(pyproject),
            str(doomed),
        ]
        (diagnostic,) = await helper.diagnostics_for(pyproject, lambda found: len(found) == 1)
        assert diagnostic.range.start.line == 4
        assert diagnostic.source == "lockstep"
        assert diagnostic.code == "toml-syntax"
        assert diagnostic.severity == types.DiagnosticSeverity.Error
        assert "not valid TOML" in diagnostic.message
        await helper.diagnostics_for(doomed, lambda found: len(found) == 1)

        def fix_one_delete_the_other() -> None:
            pyproject.write_text(PROJECT.format(name="fixed"))
            doomed.unlink()
            helper.watched_change(pyproject)
            helper.watched_change(doomed, kind=types.FileChangeType.Deleted)

        (remaining,) = await helper.next_projects_changed(fix_one_delete_the_other)
        assert remaining["name"] == "fixed"
        assert await helper.diagnostics_for(pyproject, lambda found: not found) == []
        assert await helper.diagnostics_for(doomed, lambda found: not found) == []


async def test_unsaved_buffer_is_checked_as_typed(session, tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(PROJECT.format(name="clean"))
    uri = pyproject.as_uri()
    async with session([tmp_path]) as helper:
        await helper.projects()
        helper.notify(
            types.TEXT_DOCUMENT_DID_OPEN,
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=uri, language_id="toml", version=1, text=pyproject.read_text()
                )
            ),
        )
        # Break line 2 in the buffer only; the file on disk stays valid.
        helper.notify(
            types.TEXT_DOCUMENT_DID_CHANGE,
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
                content_changes=[
                    types.TextDocumentContentChangePartial(
                        range=types.Range(start=types.Position(2, 0), end=types.Position(2, 0)),
                        text="= = =\n",
                    )
                ],
            ),
        )
        (diagnostic,) = await helper.diagnostics_for(pyproject, lambda found: len(found) == 1)
        assert diagnostic.range.start.line == 2
        # Closing without saving: the file on disk is what counts again.
        helper.notify(
            types.TEXT_DOCUMENT_DID_CLOSE,
            types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri)),
        )
        assert await helper.diagnostics_for(pyproject, lambda found: not found) == []


async def test_columns_follow_the_negotiated_position_encoding(session, tmp_path: Path) -> None:
    # The error sits after a non-BMP character: 1 code point, 2 UTF-16 units, 4 UTF-8 bytes.
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[project]\nname = "\U0001f600" x\n', encoding="utf-8")
    columns = {}
    for encoding in ("utf-16", "utf-8", "utf-32"):
        async with session([tmp_path], position_encodings=[encoding]) as helper:
            await helper.projects()
            (diagnostic,) = await helper.diagnostics_for(pyproject, lambda found: len(found) == 1)
            columns[encoding] = diagnostic.range.start.character
    code_points = len('name = "\U0001f600" ')
    assert columns == {
        "utf-32": code_points,
        "utf-16": code_points + 1,
        "utf-8": code_points + 3,
    }
