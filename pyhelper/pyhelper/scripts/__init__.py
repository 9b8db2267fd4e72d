"""PEP 723 scripts: a single `.py` file whose `# /// script` block declares its own Python and
dependencies, locked by uv into `NAME.py.lock`.

- `block`: the block as the spec finds it, read as TOML positioned in the script, malformed blocks as
  findings at their lines.
- `drift`: the block against `NAME.py.lock`, with `uv lock --script NAME.py --check`'s verdict (the
  comparison is uv.lock's own, `pyhelper.lockfiles.uv.check_script`).
"""
