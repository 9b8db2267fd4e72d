"""Command line entry point: `pyhelper serve | check | audit | python ...`.

Each subcommand's work lives in its own module and is imported only when that subcommand runs, so
`pyhelper serve` does not pay for the CLI-only code and vice versa. The plain spellings of `pyhelper
check` (the one a CI or pre-commit hook runs cold, again and again) are read without argparse: its
import and the parser's construction were a tenth of a cold check's instructions.
"""

from __future__ import annotations

import gc
import os
import sys

from pyhelper import __version__

# Not typing's: this module imports nothing a check does not need before the collector is off (mypy
# reads any `TYPE_CHECKING` as true).
TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence

CHECK_FORMATS = ("text", "json", "github")


def _serve(args: argparse.Namespace) -> int:
    from pyhelper.lsp.server import serve

    return serve()


def _python_list(args: argparse.Namespace) -> int:
    from pyhelper.interpreters.discovery import DiscoveryOptions, discover
    from pyhelper.pythoncmd import render_json, render_text

    found = discover(options=DiscoveryOptions(workspace_roots=tuple(args.workspace or [os.getcwd()])))
    print(render_json(found) if args.format == "json" else render_text(found))
    return 0


def _python_install(args: argparse.Namespace) -> int:
    from pyhelper.downloads import InstallError, InstallSettings, install_python

    tty = sys.stderr.isatty()

    def progress(done: int, total: int | None) -> None:
        amount = f"{done * 100 // total}%" if total else f"{done // 1_000_000} MB"
        print(f"\rdownloading {args.request}: {amount}", end="", file=sys.stderr, flush=True)

    settings = InstallSettings.resolve(
        install_dir=args.install_dir, mirror=args.mirror, downloads_json=args.downloads_json
    )
    try:
        result = install_python(args.request, settings, progress=progress if tty else None)
    except InstallError as exc:
        print(("\n" if tty else "") + f"pyhelper: {exc}", file=sys.stderr)
        return 1
    if tty:
        print(file=sys.stderr)  # ends the progress line
    print(result.python)
    return 0


def _python_uninstall(args: argparse.Namespace) -> int:
    from pyhelper.downloads import InstallError, InstallSettings, uninstall_python

    try:
        removed = uninstall_python(
            args.request, InstallSettings.resolve(install_dir=args.install_dir).install_dir
        )
    except InstallError as exc:
        print(f"pyhelper: {exc}", file=sys.stderr)
        return 1
    print("\n".join(str(home) for home in removed))
    return 0


def _check(args: argparse.Namespace) -> int:
    from pyhelper.checkcmd import run

    return run(args.paths, args.format)


def _check_plain(paths: list[str], output_format: str) -> int:
    # A one-shot check frees what it makes by reference counting; the cyclic collector's passes over
    # every object the imports made were several percent of a cold check's instructions.
    collecting = gc.isenabled()
    gc.disable()
    try:
        from pyhelper.checkcmd import run

        return run(paths, output_format)
    finally:
        if collecting:
            gc.enable()


def _exit_now(status: int) -> None:
    """End the process with `status` once the output is written, skipping the interpreter's teardown of
    every module and object (5% of a cold check's instructions): a check holds nothing that needs it.
    When the output cannot be flushed (a closed pipe), the ordinary exit reports it."""
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return
    os._exit(status)


def _audit(args: argparse.Namespace) -> int:
    from pyhelper.auditcmd import run

    return run(args.path, args.format, args.ignore or (), offline=args.offline, osv=args.osv)


def build_parser() -> argparse.ArgumentParser:
    import argparse

    parser = argparse.ArgumentParser(prog="pyhelper", description="Lockstep's Python helper.")
    parser.add_argument("--version", action="version", version=f"pyhelper {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    serve = commands.add_parser("serve", help="run the language server over stdio")
    serve.set_defaults(run=_serve)

    check = commands.add_parser(
        "check",
        help="report lockfile drift (exit 0 in sync, 1 drift, 2 usage error or unreadable input)",
    )
    check.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="project folder(s), searched for nested projects and locked scripts, or PEP 723 script(s)",
    )
    check.add_argument("--format", choices=CHECK_FORMATS, default=CHECK_FORMATS[0])
    check.set_defaults(run=_check)

    audit = commands.add_parser(
        "audit",
        help="known vulnerabilities and yanked versions of locked packages "
        "(exit 0 clean, 1 findings, 2 could not check, offline included)",
    )
    audit.add_argument(
        "path", nargs="?", default=".", metavar="PATH", help="folder searched for locked projects"
    )
    audit.add_argument("--format", choices=("text", "json", "github", "sarif"), default="text")
    audit.add_argument(
        "--ignore",
        action="append",
        metavar="ID",
        help="an accepted advisory id or alias (repeatable; with a reason: "
        "[tool.lockstep] ignore-advisories)",
    )
    audit.add_argument(
        "--offline", action="store_true", help="no network: only answers cached and still fresh are used"
    )
    audit.add_argument(
        "--osv",
        metavar="URL",
        help="also ask this OSV-compatible querybatch endpoint (e.g. https://api.osv.dev/v1/querybatch)",
    )
    audit.set_defaults(run=_audit)

    python = commands.add_parser("python", help="find and manage Python interpreters")
    python_commands = python.add_subparsers(dest="python_command", metavar="COMMAND", required=True)
    python_list = python_commands.add_parser("list", help="list the interpreters Lockstep finds")
    python_list.add_argument("--format", choices=("text", "json"), default="text")
    python_list.add_argument(
        "--workspace",
        action="append",
        metavar="DIR",
        help="folder whose venvs to include (repeatable; default: the current folder)",
    )
    python_list.set_defaults(run=_python_list)
    install_dir_help = (
        "where managed Pythons live (default: $LOCKSTEP_PYTHON_INSTALL_DIR or Lockstep's data dir)"
    )
    python_install = python_commands.add_parser(
        "install", help="download and install a managed CPython; prints the interpreter's path"
    )
    python_install.add_argument("request", help="a version (3.12, 3.12.7, 3.13t) or specifier (==3.12.*)")
    python_install.add_argument(
        "--mirror", help="replaces the python-build-standalone GitHub release URL prefix (http:// allowed)"
    )
    python_install.add_argument(
        "--downloads-json",
        metavar="PATH",
        help="catalogue in uv's download-metadata.json format (path or URL)",
    )
    python_install.add_argument("--install-dir", metavar="DIR", help=install_dir_help)
    python_install.set_defaults(run=_python_install)
    python_uninstall = python_commands.add_parser(
        "uninstall", help="remove managed CPythons Lockstep installed"
    )
    python_uninstall.add_argument("request", help="a version (3.12.7) or specifier")
    python_uninstall.add_argument("--install-dir", metavar="DIR", help=install_dir_help)
    python_uninstall.set_defaults(run=_python_uninstall)

    return parser


def plain_check(argv: Sequence[str]) -> tuple[list[str], str] | None:
    """(paths, format) of `check [PATH ...]` with at most one `--format F` before or after the paths,
    read as the parser reads them; None for every other command line (options, `--help`, a path that
    starts with `-`, a format the parser refuses), which the parser answers with its own messages."""
    if not argv or argv[0] != "check":
        return None
    words, output_format = list(argv[1:]), CHECK_FORMATS[0]
    if len(words) >= 2 and words[0] == "--format":
        output_format, words = words[1], words[2:]
    elif len(words) >= 2 and words[-2] == "--format":
        output_format, words = words[-1], words[:-2]
    if output_format not in CHECK_FORMATS or not all(word and word[0] != "-" for word in words):
        return None
    return words, output_format


def main(argv: Sequence[str] | None = None) -> int:
    """The command line; `argv` None: this process's own arguments (the `pyhelper` entry point)."""
    plain = plain_check(sys.argv[1:] if argv is None else argv)
    if plain is not None:
        status = _check_plain(*plain)
        if argv is None:
            _exit_now(status)
        return status
    parser = build_parser()
    args = parser.parse_args(argv)
    result: int = args.run(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
