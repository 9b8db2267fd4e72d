"""Asking an interpreter for its version: the last resort when nothing on disk says it.

Discovery calls this only for an installation without headers, conda records, a telling folder name or
a readable version string in its executable. It never runs a workspace's own executables.
"""

from __future__ import annotations

import os

from pyhelper.interpreters.versions import DiskVersion, normalise_version

# Runs on Python 2.7 too (which has no -I): -E -s -S keep the user's environment and site out.
_SCRIPT = (
    "import sys, sysconfig\n"
    "v = sys.version_info\n"
    "pre = {'alpha': 'a', 'beta': 'b', 'candidate': 'rc'}.get(v[3])\n"
    "print('%d.%d.%d' % tuple(v[:3]) + (pre + str(v[4]) if pre else ''))\n"
    "print(getattr(getattr(sys, 'implementation', None), 'name', 'cpython'))\n"
    "print(1 if sysconfig.get_config_var('Py_GIL_DISABLED') else 0)\n"
)
TIMEOUT_SECONDS = 5.0


def query_interpreter(executable: str) -> DiskVersion | None:
    import subprocess

    # The environment is passed through (SSL_CERT_FILE and proxies stay), minus what would make the
    # child load the helper's own modules.
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    try:
        completed = subprocess.run(
            [executable, "-E", "-s", "-S", "-c", _SCRIPT],
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
            env=env,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    lines = completed.stdout.split()
    if completed.returncode != 0 or len(lines) != 3:
        return None
    version = normalise_version(lines[0])
    if version is None:
        return None
    return DiskVersion(version, lines[2] == "1", "interpreter", lines[1])
