"""Benchmark: install a managed CPython (30-40 MB archive) from a loopback mirror vs `curl -s URL | tar -xz`.

Both fetch the same archive from the same 127.0.0.1 server into a fresh temporary folder, alternating,
repeated; the figure is the ratio of medians (target: within 1.3x). Lockstep's install is measured
in-process, as the running helper does it (hash while downloading, verify, vet every member, unpack,
atomic rename); the CLI, which adds a Python start-up, is shown for information.

    .dev/venv/bin/python bench/install.py [--repeats 7] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "downloads"))

from mirror_server import running_mirror
from pbs_fixture import MIRROR_ROOT, build_archive, downloads_json, served_path
from pyhelper.downloads import InstallSettings, install_python


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()

    archive = build_archive(ROOT / ".dev" / "bench-cache", bulky=True)
    size_mb = archive.path.stat().st_size / 1e6
    with (
        running_mirror() as mirror,
        tempfile.TemporaryDirectory(prefix="lockstep-bench-") as scratch,
    ):
        work = Path(scratch)
        mirror.files[served_path(archive.version)] = archive.path
        catalogue = work / "downloads.json"
        catalogue.write_text(downloads_json([(archive.version, archive.sha256)]))
        url = mirror.url + served_path(archive.version)
        mirror_url = mirror.url + MIRROR_ROOT

        def curl_tar(dest: Path) -> None:
            dest.mkdir()
            curl = subprocess.Popen(["curl", "-s", url], stdout=subprocess.PIPE)
            subprocess.run(
                ["tar", "-xz", "-C", str(dest)], stdin=curl.stdout, check=True
            )
            assert curl.stdout is not None
            curl.stdout.close()
            assert curl.wait() == 0

        def lockstep_api(dest: Path) -> None:
            settings = InstallSettings(
                dest,
                mirror=mirror_url,
                downloads_json=str(catalogue),
                uv_install_dir=None,
            )
            install_python(archive.version, settings)

        def lockstep_cli(dest: Path) -> None:
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "pyhelper",
                    "python",
                    "install",
                    archive.version,
                    "--mirror",
                    mirror_url,
                    "--downloads-json",
                    str(catalogue),
                    "--install-dir",
                    str(dest),
                ],
                check=True,
                stdout=subprocess.DEVNULL,
                env={"UV_PYTHON_INSTALL_DIR": str(work / "no-uv"), "PATH": ""},
            )

        runs = {
            "curl | tar -xz": curl_tar,
            "pyhelper (in helper)": lockstep_api,
            "pyhelper python install (CLI)": lockstep_cli,
        }
        times: dict[str, list[float]] = {name: [] for name in runs}
        for repeat in range(args.repeats + 1):
            for name, run in runs.items():
                dest = work / f"{repeat}-{len(times[name])}-{name.split()[0]}"
                started = time.perf_counter()
                run(dest)
                elapsed = time.perf_counter() - started
                if repeat:  # the first round warms the page cache and imports
                    times[name].append(elapsed)
                subprocess.run(["rm", "-rf", str(dest)], check=True)

    medians = {name: statistics.median(values) for name, values in times.items()}
    baseline = medians["curl | tar -xz"]
    print(
        f"managed install of a {size_mb:.1f} MB archive from a loopback mirror, median of {args.repeats}"
    )
    print("| run | median s | ratio to curl|tar |")
    print("|---|---|---|")
    for name, median in medians.items():
        print(f"| {name} | {median:.3f} | {median / baseline:.2f}x |")
    if args.json:
        args.json.write_text(
            json.dumps(
                {"archive_mb": size_mb, "repeats": args.repeats, "median_s": medians},
                indent=2,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
