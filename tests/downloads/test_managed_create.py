"""Create with no installed Python that fits: the real helper over stdio downloads the build from the
loopback python-build-standalone mirror (a real archive), installs it and makes the venv with it."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mirror_server import Mirror
from pbs_fixture import MIRROR_ROOT, Archive, served_path

from helper.helper_support import helper_session, plain, within


async def request(helper: Any, method: str, params: dict[str, Any]) -> Any:
    return plain(await within(helper.client.protocol.send_request_async(method, params), method))


def without_installed_pythons(tmp_path: Path, index_env: dict[str, str]) -> dict[str, str]:
    """The helper's environment on a machine whose only Python is the system's 3.11 (pyenv, uv's and
    Lockstep's installs hidden), so nothing installed satisfies >=3.12."""
    home = tmp_path / "home"
    home.mkdir()
    return {
        **index_env,
        "HOME": str(home),
        "PYENV_ROOT": str(home / ".pyenv"),
        "PATH": os.pathsep.join(["/usr/bin", "/bin"]),
        "UV_PYTHON_INSTALL_DIR": str(tmp_path / "uv-pythons"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
    }


async def test_create_downloads_the_python_that_fits_and_makes_the_venv_with_it(
    pbs_archive: Archive,
    publish: Callable[..., Path],
    mirror: Mirror,
    tmp_path: Path,
    index_env: dict[str, str],
) -> None:
    root = tmp_path / "app"
    root.mkdir()
    (root / "pyproject.toml").write_text(
        '[project]\nname = "app"\nversion = "0"\nrequires-python = ">=3.12"\n'
        # An application, not a package: nothing to build, so the index needs no setuptools.
        "[tool.uv]\npackage = false\n"
    )
    installs = tmp_path / "pythons"
    options = {
        "trusted": True,
        "pythonInstallDir": str(installs),
        "pythonInstallMirror": mirror.url + MIRROR_ROOT,
        "pythonDownloadsJson": str(publish((pbs_archive.version, pbs_archive.path))),
    }
    async with helper_session(
        [root], initialization_options=options, env=without_installed_pythons(tmp_path, index_env)
    ) as helper:
        plan = await request(helper, "lockstep/planEnvironment", {"root": str(root)})
        asked = await request(helper, "lockstep/createEnvironment", {"root": str(root)})
        assert not (root / ".venv").exists(), "nothing is downloaded without the user's yes"
        assert mirror.requests_for(served_path(pbs_archive.version)) == 0
        created = await request(
            helper, "lockstep/createEnvironment", {"root": str(root), "allowDownload": True}
        )
        projects = await request(helper, "lockstep/projects", {})

    assert plan["python"] is None
    assert plan["download"]["version"] == pbs_archive.version
    assert plan["download"]["size"] == pbs_archive.path.stat().st_size
    assert asked["status"] == "needs-python" and asked["download"] == plan["download"]
    assert created["status"] == "ok", created["message"]
    assert mirror.requests_for(served_path(pbs_archive.version)) == 1

    # The venv runs the downloaded interpreter, from Lockstep's install dir.
    home = installs / pbs_archive.key
    config = (root / ".venv" / "pyvenv.cfg").read_text()
    assert f"home = {home / 'bin'}" in config, config
    python = root / ".venv" / "bin" / "python"
    ran = subprocess.run(
        [str(python), "-c", "import sys; print('%d.%d.%d' % sys.version_info[:3]); print(sys.base_prefix)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert ran == [pbs_archive.version, str(home)]
    venv = projects["projects"][0]["venv"]
    assert venv is not None and venv["version"] == pbs_archive.version
