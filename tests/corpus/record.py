"""Build the real-project corpus and record the real tools' verdicts on it (run by hand, not in CI).

Two steps, both writing files that are committed:

    python tests/corpus/record.py take GIT_DIR NAME FORMAT SPDX [--path P] [--lock L] [--extra FILE...]
    python tests/corpus/record.py record [--only NAME...]

`take` copies, from a clone (a bare one is enough) at its HEAD, only what the tools read: the
pyproject.toml and lock at `--path`, `.python-version`, `uv.toml`, every uv workspace member's and
path source's pyproject.toml (followed transitively), the README a pyproject names (Poetry checks it
exists), and any `--extra` file a build backend needs to compute dynamic metadata. It adds the
project to `manifest.json` with its origin (repository, commit, path) and licence.

`record` installs the exact tool versions below into private venvs (`~/.cache/lockstep/corpus-tools`),
then for every project and every mutation of `corpus_cases` runs the tool's own check on a scratch
copy (the corpus stays pristine) and writes `verdicts.json`:

    uv lock --check          uv 0.13.9  (offline first; online through the registry proxy only when
                                         the offline answer is not a pass, with a private cache)
    poetry check --lock      Poetry 2.5.1
    pdm lock --check         PDM 2.29.4 (with hishel<2, which it needs)
    pylock.toml              the writer's semantics, by its `created-by`:
                 by PDM      PDM 2.29.4: `pdm lock --check` with PDM_LOCKFILE pointing at the file
                             (PDM compares the content hash it records in `[tool.pdm] hashes`)
                 by others   uv 0.13.9 (`support/pylock_oracle.py`): `uv pip sync` the file into a new
                             venv on the lowest admitted Python and on 3.12, then a no-index dry-run
                             of `-r pyproject.toml` must find nothing to change (PEP 751: the lock
                             installs what the project requires)

uv exit codes are recorded as they are: 0 in sync, 1 the lock needs updating, 2 an error.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path, PurePosixPath
from typing import Any

import tomllib

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: helpers import as corpus.X

from corpus.corpus_cases import (
    MANIFEST,
    PROJECTS,
    VERDICTS,
    NotApplicable,
    Project,
    load_manifest,
    materialise,
)
from support.pylock_oracle import COMMAND, install_check, pythons_admitted

TOOLS = Path.home() / ".cache" / "lockstep" / "corpus-tools"


def _pyenv_versions() -> Path:
    """`$(pyenv root)/versions`: pyenv's real interpreters (PATH holds only its shims)."""
    try:
        done = subprocess.run(["pyenv", "root"], capture_output=True, text=True, check=False, timeout=30)
    except OSError:
        done = None
    root = done.stdout.strip() if done and done.returncode == 0 and done.stdout.strip() else None
    return Path(root or os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv") / "versions"


PYENV = _pyenv_versions()


def pyenv_pythons() -> dict[str, Path]:
    """The newest pyenv CPython 3 of each minor version, by "3.X": the interpreter itself, never a shim."""
    found: dict[str, tuple[tuple[int, ...], Path]] = {}
    for folder in PYENV.glob("3.*"):
        parts = folder.name.split(".")
        if len(parts) != 3 or not all(part.isdigit() for part in parts):
            continue  # 3.13t, 3.12-dev and other builds are not what a .python-version of 3.X asks for
        minor = ".".join(parts[:2])
        exe = folder / "bin" / f"python{minor}"
        key = tuple(int(part) for part in parts)
        if exe.is_file() and "shims" not in exe.resolve().parts and key > found.get(minor, ((), exe))[0]:
            found[minor] = (key, exe)
    return {minor: exe for minor, (_, exe) in sorted(found.items(), key=lambda item: item[1][0])}


TOOL_PYTHON = pyenv_pythons()["3.12"]
PINS = {"uv": ["uv==0.13.9"], "poetry": ["poetry==2.5.1"], "pdm": ["pdm==2.29.4", "hishel<2"]}


# ----------------------------------------------------------------------------------------- take


def git_show(git_dir: Path, path: str) -> bytes | None:
    done = subprocess.run(
        ["git", "--git-dir", str(git_dir), "show", f"HEAD:{path}"], capture_output=True, check=False
    )
    return done.stdout if done.returncode == 0 else None


def git_files(git_dir: Path) -> list[str]:
    listing = subprocess.run(
        ["git", "--git-dir", str(git_dir), "ls-tree", "-r", "--name-only", "HEAD"],
        capture_output=True,
        text=True,
        check=True,
    )
    return listing.stdout.splitlines()


def _join(base: str, relative: str) -> str:
    parts: list[str] = []
    for part in PurePosixPath(base, relative).parts:
        if part == "..":
            parts.pop()
        elif part != ".":
            parts.append(part)
    return "/".join(parts)


def build_inputs(data: dict[str, Any], directory: str) -> list[str]:
    """Files a build backend reads to compute dynamic metadata (version, readme fragments, hooks)."""
    tool = data.get("tool", {})
    hatch = tool.get("hatch", {})
    files = [hatch.get("version", {}).get("path"), tool.get("pdm", {}).get("version", {}).get("path")]
    hooks = hatch.get("metadata", {}).get("hooks", {})
    build = hatch.get("build", {})
    for table in [
        hooks,
        build.get("hooks", {}),
        *[t.get("hooks", {}) for t in build.get("targets", {}).values()],
    ]:
        if "custom" in table:
            files.append(table["custom"].get("path", "hatch_build.py"))
    for fragment in hooks.get("fancy-pypi-readme", {}).get("fragments", []):
        files.append(fragment.get("path"))
    version = tool.get("setuptools", {}).get("dynamic", {}).get("version", {})
    files += version.get("file", []) if isinstance(version.get("file"), list) else [version.get("file")]
    if "attr" in version:
        module = version["attr"].rsplit(".", 1)[0].replace(".", "/")
        files += [f"{module}.py", f"{module}/__init__.py", f"src/{module}.py", f"src/{module}/__init__.py"]
    return [_join(directory, f) for f in files if isinstance(f, str)]


def needed_files(git_dir: Path, path: str, lock: str) -> list[str]:
    """The files the tools read for the project at `path`, as repository paths."""
    tree = set(git_files(git_dir))
    wanted: list[str] = []
    pending = [path]
    seen: set[str] = set()
    while pending:
        directory = pending.pop()
        if directory in seen:
            continue
        seen.add(directory)
        pyproject = _join(directory, "pyproject.toml")
        content = git_show(git_dir, pyproject)
        if content is None:
            continue
        wanted.append(pyproject)
        data = tomllib.loads(content.decode("utf-8"))
        for name in (".python-version", "uv.toml"):
            if _join(directory, name) in tree:
                wanted.append(_join(directory, name))
        readme = data.get("project", {}).get("readme", data.get("tool", {}).get("poetry", {}).get("readme"))
        for file in [readme] if isinstance(readme, str) else readme if isinstance(readme, list) else []:
            if _join(directory, file) in tree:
                wanted.append(_join(directory, file))
        wanted += [f for f in build_inputs(data, directory) if f in tree]
        found = data.get("tool", {}).get("setuptools", {}).get("packages", {})
        for where in found.get("find", {}).get("where", []) if isinstance(found, dict) else []:
            # setuptools refuses a missing package directory even to compute metadata
            top = [f for f in tree if str(PurePosixPath(f).parent.parent) == _join(directory, where)]
            wanted += sorted(f for f in top if f.endswith("/__init__.py"))[:1]
        project = data.get("project", {})
        licence = project.get("license")
        if isinstance(licence, dict) and _join(directory, licence.get("file", "")) in tree:
            wanted.append(_join(directory, licence["file"]))
        for pattern in project.get("license-files", []):
            wanted += [f for f in tree if fnmatch.fnmatch(f, _join(directory, pattern))]
        uv = data.get("tool", {}).get("uv", {})
        workspace = uv.get("workspace", {})
        for pattern in workspace.get("members", []):
            excluded = [_join(directory, e) for e in workspace.get("exclude", [])]
            for candidate in tree:
                member = str(PurePosixPath(candidate).parent)
                if (
                    candidate.endswith("/pyproject.toml")
                    and fnmatch.fnmatch(member, _join(directory, pattern))
                    and not any(fnmatch.fnmatch(member, e) for e in excluded)
                ):
                    pending.append(member)
        sources = list(uv.get("sources", {}).values())
        sources += [v for v in data.get("tool", {}).get("poetry", {}).get("dependencies", {}).values()]
        for source in sources:
            for entry in source if isinstance(source, list) else [source]:
                if isinstance(entry, dict) and "path" in entry:
                    pending.append(_join(directory, entry["path"]))
    wanted.append(_join(path, lock))
    if lock == "uv.lock":  # an export committed beside the lock: uv never reads it, Lockstep does
        wanted += [f for f in tree if fnmatch.fnmatch(f, _join(path, "pylock*.toml"))]
    return sorted(set(wanted))


def take(args: argparse.Namespace) -> None:
    git_dir = Path(args.git_dir)
    lock = args.lock or {"uv": "uv.lock", "poetry": "poetry.lock", "pdm": "pdm.lock"}.get(
        args.format, "pylock.toml"
    )
    files = needed_files(git_dir, args.path, lock) + list(args.extra)
    tree = PROJECTS / args.name
    shutil.rmtree(tree, ignore_errors=True)  # taking a project again replaces it
    for file in files:
        content = git_show(git_dir, file)
        if content is None:
            raise SystemExit(f"{file} is not in {git_dir}")
        (tree / file).parent.mkdir(parents=True, exist_ok=True)
        (tree / file).write_bytes(content)
    commit = subprocess.run(
        ["git", "--git-dir", str(git_dir), "rev-parse", "HEAD"], capture_output=True, text=True, check=True
    ).stdout.strip()
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8")) if MANIFEST.exists() else {"projects": []}
    manifest["projects"] = [p for p in manifest["projects"] if p["name"] != args.name]
    manifest["projects"].append(
        {
            "name": args.name,
            "format": args.format,
            "repo": args.repo,
            "commit": commit,
            "path": args.path,
            "license": args.license,
            "lock": lock,
            "notes": args.notes,
            **({"extra": list(args.extra)} if args.extra else {}),
        }
    )
    manifest["projects"].sort(key=lambda p: p["name"])
    MANIFEST.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    print(f"{args.name}: {len(files)} files")


def retake(args: argparse.Namespace) -> None:
    for project in load_manifest():
        owner, name = project.repo.split("/")
        git_dir = Path(args.git_root) / f"{owner}+{name}"
        again = argparse.Namespace(
            git_dir=git_dir / "repo" if (git_dir / "repo").is_dir() else git_dir,
            name=project.name,
            format=project.format,
            license=project.license,
            repo=project.repo,
            path=project.path,
            lock=project.lock,
            extra=list(project.extra),
            notes=project.notes,
        )
        take(again)


# --------------------------------------------------------------------------------------- record


def tool_env(scratch: Path) -> dict[str, str]:
    """The tools' environment: the proxy's CA kept, no pyenv shims, nothing from the user's config."""
    env = dict(os.environ)
    pythons = TOOLS / "pythons"
    pythons.mkdir(parents=True, exist_ok=True)
    for minor, exe in pyenv_pythons().items():
        link = pythons / f"python{minor}"
        if link.is_symlink() and link.resolve() != exe.resolve():
            link.unlink()
        if not link.exists():
            link.symlink_to(exe)
    path = [p for p in env["PATH"].split(os.pathsep) if "pyenv" not in p]
    env["PATH"] = os.pathsep.join([str(pythons), *path])
    env["REQUESTS_CA_BUNDLE"] = env["SSL_CERT_FILE"]
    env["XDG_CONFIG_HOME"] = str(scratch / "config")
    env["UV_PYTHON_DOWNLOADS"] = "never"
    # A snapshot has no .git: VCS-versioned local packages (hatch-vcs, setuptools-scm) build with a
    # stand-in version. uv.lock records no version for a dynamic local package, so any will do.
    env["SETUPTOOLS_SCM_PRETEND_VERSION"] = "0.0.0"
    env["UV_DYNAMIC_VERSIONING_BYPASS"] = "0.0.0"
    env["UV_CACHE_DIR"] = str(TOOLS / "uv-cache")
    env["POETRY_VIRTUALENVS_CREATE"] = "false"
    env["POETRY_CACHE_DIR"] = str(TOOLS / "poetry-cache")
    env["PDM_CHECK_UPDATE"] = "false"
    env["PDM_CACHE_DIR"] = str(TOOLS / "pdm-cache")
    env["PDM_PYTHON"] = str(pythons / "python3.12")
    env["PDM_IGNORE_SAVED_PYTHON"] = "1"
    for name in ("VIRTUAL_ENV", "UV_PYTHON", "PDM_LOCKFILE", "UV_OFFLINE"):
        env.pop(name, None)
    return env


def install_tools() -> dict[str, Path]:
    """Private venvs with the pinned tools; returns each tool's executable."""
    found: dict[str, Path] = {}
    for tool, pins in PINS.items():
        venv = TOOLS / tool
        exe = venv / "bin" / tool
        marker = venv / "pins.txt"
        if not exe.exists() or not marker.exists() or marker.read_text() != " ".join(pins):
            subprocess.run([str(TOOL_PYTHON), "-m", "venv", "--clear", str(venv)], check=True)
            subprocess.run(
                [str(venv / "bin" / "pip"), "install", "-q", "--cert", os.environ["SSL_CERT_FILE"], *pins],
                check=True,
            )
            marker.write_text(" ".join(pins))
        found[tool] = exe
    return found


def run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=900)


_UNREACHABLE = re.compile(
    r"Failed to fetch: |failed to fetch commit|Failed to download and build `.* @ git\+"
)


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else ""


def _reason(stderr: str) -> str:
    for line in stderr.splitlines():
        if "Resolving despite existing lockfile due to" in line:
            return line.split("due to", 1)[1].strip().rstrip(":")
    return ""


def project_python(project: Project, root: Path) -> tuple[Path | None, str | None]:
    """The interpreter for the project's `.python-version` (the workspace root's, as uv reads it):
    pyenv's own of that minor version, so uv never falls back to a shim or fails with "No interpreter
    found" (exit 2). A version the machine lacks (3.14) gets the newest there is, and the returned
    note says so; the verdict does not depend on it unless a local package must be built."""
    wanted = root / ".python-version"
    if not wanted.is_file():
        return None, None
    lines = [line.strip() for line in wanted.read_text(encoding="utf-8").splitlines()]
    request = next((line for line in lines if line and not line.startswith("#")), "")
    minor = ".".join(request.split(".")[:2])
    pythons = pyenv_pythons()
    if minor in pythons:
        return pythons[minor], None
    newest = list(pythons.values())[-1]
    return (
        newest,
        f"{project.name} asks for Python {request}; none here, so --python {newest.parent.parent.name}",
    )


def check(project: Project, root: Path, tools: dict[str, Path], env: dict[str, str]) -> dict[str, Any]:
    if project.format == "uv":
        verdict: dict[str, Any] = {}
        command = [str(tools["uv"]), "lock", "--check", "-v"]
        python, override = project_python(project, root)
        if python is not None:
            command += ["--python", str(python)]
        if override:
            verdict["python_override"] = override
        done = run([*command, "--offline"], root, env)
        if done.returncode != 0:
            verdict["online"] = True
            done = run(command, root, env)
        unreachable = [line.strip() for line in done.stderr.splitlines() if _UNREACHABLE.search(line)]
        if done.returncode == 2 and unreachable:
            # uv had to re-resolve against a host this machine cannot reach (an index other than
            # PyPI, a git repository): the tool gave no verdict, only an error of this machine
            verdict["indeterminate"] = unreachable[0]
        verdict["exit_code"] = done.returncode
        verdict["reason"] = _reason(done.stderr)
        verdict["tool_output"] = _last_line(done.stderr + "\n" + done.stdout)
        return verdict
    if project.format == "pylock" and _created_by(root / project.lock) != "pdm":
        pythons = pythons_admitted(root, PYENV, str(TOOL_PYTHON))
        code, why = install_check(
            str(tools["uv"]), root, pythons, lambda args: run(args, root, env), project.lock
        )
        return {"exit_code": code, "tool_output": why, "oracle": COMMAND}
    if project.format == "poetry":
        done = run([str(tools["poetry"]), "check", "--lock", "--no-ansi"], root, env)
    else:
        pdm_env = dict(env)
        if project.format == "pylock":
            pdm_env["PDM_LOCKFILE"] = str(root / project.lock)
        done = run([str(tools["pdm"]), "lock", "--check"], root, pdm_env)
    return {"exit_code": done.returncode, "tool_output": _last_line(done.stderr + "\n" + done.stdout)}


def _created_by(lock: Path) -> object:
    return tomllib.loads(lock.read_text(encoding="utf-8")).get("created-by")


def versions(tools: dict[str, Path], env: dict[str, str]) -> dict[str, str]:
    return {name: _last_line(run([str(exe), "--version"], TOOLS, env).stdout) for name, exe in tools.items()}


def record(args: argparse.Namespace) -> None:
    tools = install_tools()
    recorded = json.loads(VERDICTS.read_text(encoding="utf-8")) if VERDICTS.exists() else {"cases": {}}
    projects = [p for p in load_manifest() if not args.only or p.name in args.only]
    with tempfile.TemporaryDirectory(prefix="lockstep-corpus-") as scratch_dir:
        scratch = Path(scratch_dir)
        env = tool_env(scratch)
        recorded["tools"] = versions(tools, env)
        for project in projects:  # every mutation must apply before any tool runs
            for mutation in project.mutations():
                try:
                    materialise(project, mutation, scratch / "trial")
                except NotApplicable as error:
                    raise SystemExit(f"{project.name}/{mutation}: {error}") from None
                finally:
                    shutil.rmtree(scratch / "trial", ignore_errors=True)
        for project in projects:
            for mutation in project.mutations():
                copy = scratch / f"{project.name}-{mutation}"
                root = materialise(project, mutation, copy)
                verdict = check(project, root, tools, env)
                verdict["stale"] = verdict["exit_code"] != 0
                recorded["cases"][f"{project.name}/{mutation}"] = verdict
                print(
                    f"{project.name + '/' + mutation:60} exit={verdict['exit_code']} "
                    f"{verdict.get('reason') or verdict['tool_output'][:70]}",
                    flush=True,
                )
                VERDICTS.write_text(json.dumps(recorded, indent=2, sort_keys=True) + "\n", encoding="utf-8")
                shutil.rmtree(copy)
    known = {p.name for p in load_manifest()}
    recorded["cases"] = {k: v for k, v in recorded["cases"].items() if k.split("/")[0] in known}
    VERDICTS.write_text(json.dumps(recorded, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(required=True)
    taking = sub.add_parser("take", help="copy one project's files from a git clone into the corpus")
    taking.add_argument("git_dir")
    taking.add_argument("name")
    taking.add_argument("format", choices=["uv", "poetry", "pdm", "pylock"])
    taking.add_argument("license", help="SPDX id of the repository's licence")
    taking.add_argument("--repo", required=True, help="owner/name on GitHub")
    taking.add_argument("--path", default="", help="the project's directory inside the repository")
    taking.add_argument("--lock", help="the lockfile's name, when not the format's default")
    taking.add_argument("--extra", nargs="*", default=[], help="more repository files the build needs")
    taking.add_argument("--notes", default="")
    taking.set_defaults(run=take)
    again = sub.add_parser("retake", help="take every project of the manifest again, from GIT_ROOT")
    again.add_argument("git_root", help="a folder of clones named owner+name (bare ones will do)")
    again.set_defaults(run=retake)
    recording = sub.add_parser("record", help="record the real tools' verdicts into verdicts.json")
    recording.add_argument("--only", nargs="*", help="project names (default: all)")
    recording.set_defaults(run=record)
    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
