"""Command line entry point: `pyhelper serve | check | python ...`.

Each subcommand's work lives in its own module and is imported only when that subcommand runs, so
`pyhelper serve` does not pay for the CLI-only code and vice versa.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from pyhelper import __version__


def _serve(args: argparse.Namespace) -> int:
    from pyhelper.server import serve

    serve()
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pyhelper", description="Lockstep's Python helper.")
    parser.add_argument("--version", action="version", version=f"pyhelper {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    serve = commands.add_parser("serve", help="run the language server over stdio")
    serve.set_defaults(run=_serve)

    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    result: int = args.run(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
