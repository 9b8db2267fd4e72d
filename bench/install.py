"""Managed CPython install (a 30-40 MB archive) from a loopback mirror vs `curl -s URL | tar -xz`.

Both fetch the same archive from the same 127.0.0.1 server into a fresh folder, alternating, repeated;
the figure is the ratio of medians (target: within 1.3x). Lockstep's install is measured in-process,
as the running helper does it (hash while downloading, verify, vet every member, unpack, atomic
rename); the CLI, which adds a Python start-up, is shown for information. The quick size uses the
stripped archive (about 15 MB).

    .dev/venv/bin/python bench/install.py [--quick] [--repeats N] [--json FILE]
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from harness import (
    PYCACHE,
    ROOT,
    Benchmark,
    Row,
    Size,
    Target,
    interleave,
    median_ms,
    run_quiet,
    samples_ms,
    standalone,
)
from pyhelper.downloads import InstallSettings, install_python

NAME = "install"


def run(size: Size) -> Benchmark:
    from downloads.mirror_server import running_mirror
    from downloads.pbs_fixture import (
        MIRROR_ROOT,
        build_archive,
        downloads_json,
        served_path,
    )

    repeats = size.pick(full=7, quick=1)
    archive = build_archive(ROOT / ".dev" / "bench-cache", bulky=not size.quick)
    with (
        running_mirror() as mirror,
        tempfile.TemporaryDirectory(prefix="lockstep-bench-") as scratch,
    ):
        work = Path(scratch)
        dest = work / "dest"
        mirror.files[served_path(archive.version)] = archive.path
        catalogue = work / "downloads.json"
        catalogue.write_text(downloads_json([(archive.version, archive.sha256)]))
        url = mirror.url + served_path(archive.version)
        mirror_url = mirror.url + MIRROR_ROOT

        def curl_tar() -> None:
            dest.mkdir()
            curl = subprocess.Popen(["curl", "-s", url], stdout=subprocess.PIPE)
            subprocess.run(["tar", "-xz", "-C", str(dest)], stdin=curl.stdout, check=True)
            assert curl.stdout is not None
            curl.stdout.close()
            assert curl.wait() == 0

        def lockstep_api() -> None:
            settings = InstallSettings(
                dest,
                mirror=mirror_url,
                downloads_json=str(catalogue),
                uv_install_dir=None,
            )
            install_python(archive.version, settings)

        def lockstep_cli() -> None:
            run_quiet(
                [
                    *(sys.executable, "-m", "pyhelper", "python", "install", archive.version),
                    *("--mirror", mirror_url, "--downloads-json", str(catalogue), "--install-dir", str(dest)),
                ],
                env={
                    "UV_PYTHON_INSTALL_DIR": str(work / "no-uv"),
                    "PATH": "",
                    "PYTHONPYCACHEPREFIX": str(PYCACHE),
                },
            )

        # The warm-up round (full size) fills the page cache and loads the imports.
        times = interleave(
            {"curl": curl_tar, "api": lockstep_api, "cli": lockstep_cli},
            repeats,
            warmup=size.warmup,
            reset=lambda: shutil.rmtree(dest, ignore_errors=True),
        )

    curl = ("curl -s URL | tar -xz", median_ms(times["curl"]))
    return Benchmark(
        name=NAME,
        description="managed CPython install from a loopback mirror vs curl | tar",
        parameters={
            "repeats": repeats,
            "archive_mb": round(archive.path.stat().st_size / 1e6, 1),
        },
        rows=[
            Row(
                "managed CPython install",
                "in the helper",
                median_ms(times["api"]),
                reference=curl[0],
                reference_value=curl[1],
                target=Target(1.3),
            ),
            Row(
                "managed CPython install, CLI",
                "pyhelper python install",
                median_ms(times["cli"]),
                reference=curl[0],
                reference_value=curl[1],
            ),
        ],
        details={"samples_ms": samples_ms(times)},
    )


if __name__ == "__main__":
    standalone(run)
