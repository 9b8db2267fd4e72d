"""The long fuzz run: the reliability area's reader targets for as many inputs or seconds as asked.

    .dev/venv/bin/python tests/reliability/fuzz_long.py --inputs 1000000          # per reader
    .dev/venv/bin/python tests/reliability/fuzz_long.py --seconds 3600 --reader uv.lock

Not part of the test run. Prints inputs, crashes and inputs/s per reader; a crash is printed with its
traceback and the input, and saved under --crashes (default /tmp/lockstep-fuzz-crashes). Exit 1 on any
crash.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: helpers import as reliability.X

from reliability.fuzz_targets import Inputs, Workspace, targets


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--inputs",
        type=int,
        default=200_000,
        help="inputs per reader (default 200,000)",
    )
    parser.add_argument("--seconds", type=float, help="time per reader instead of a number of inputs")
    parser.add_argument("--reader", action="append", help="only this reader (repeatable)")
    parser.add_argument("--seed", type=int, default=None, help="seed (default: random, printed)")
    parser.add_argument(
        "--crashes",
        type=Path,
        default=Path(tempfile.gettempdir()) / "lockstep-fuzz-crashes",
    )
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(2**32)
    print(f"seed {seed}")
    crashes = 0
    with tempfile.TemporaryDirectory(prefix="lockstep-fuzz-") as scratch:
        workspace = Workspace(Path(scratch))
        chosen = targets(workspace)
        for name, target in chosen.items():
            if args.reader and name not in args.reader:
                continue
            inputs = Inputs(random.Random(f"{seed}-{name}"))
            started = time.monotonic()
            tried = found = 0
            while (time.monotonic() - started < args.seconds) if args.seconds else tried < args.inputs:
                item = target.generate(inputs)
                try:
                    target.check(item)
                except Exception:  # any escape is the crash being looked for
                    found += 1
                    report = f"{name}: input {tried}\n{traceback.format_exc()}\ninput: {item!r}\n"
                    print(report[:4000], file=sys.stderr)
                    args.crashes.mkdir(parents=True, exist_ok=True)
                    (
                        args.crashes / f"{name.replace(' ', '_').replace('/', '_')}-{seed}-{tried}.txt"
                    ).write_text(report, encoding="utf-8")
                tried += 1
            elapsed = time.monotonic() - started
            crashes += found
            print(
                f"{name:28} {tried:>10,} inputs  {found} crashes  {tried / elapsed:,.0f}/s",
                flush=True,
            )
        workspace.close()
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
