"""Python interpreters: finding them on disk (discovery), and choosing one for a project (choice).

- `discovery.Discovery`: every interpreter of the machine and the workspace's venvs, cached, refreshed
  on file-system changes; starts no interpreter whose version is readable from disk.
- `choice.choose_interpreter`: the interpreter a project's `requires-python` and `.python-version` call for.
- `locations`: where each platform keeps interpreters (including `lockstep_install_dir()`).

Nothing is imported here, so importing one module does not load the others.
"""
