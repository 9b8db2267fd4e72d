"""Drift: whether what a project declares, what its lock pins and what its venv holds still agree.

- `lock`: pyproject.toml vs the lock, with the tools' own verdict (`uv lock --check` & co.).
- `environment`: the lock vs the venv, with `uv sync --check`'s verdict.
- `session`: both checks as the editor needs them live (caches, each project's drift state).
"""
