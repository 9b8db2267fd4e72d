"""The plain-TOML reader (`tomlsubset`) gives exactly tomllib's dict for what it reads, and None (tomllib
decides, errors included) for everything else: valid TOML outside the subset and every invalid text."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import tomllib

from pyhelper import tomlsubset

ROOT = Path(__file__).parents[2]
# Every TOML file the repository holds that is small enough to be a pyproject: the corpus's real ones,
# the generated cases', the benchmark's.
TOMLS = sorted(
    path
    for folder in ("tests/fixtures", "tests/corpus/projects", "bench/fixtures", "pyhelper")
    for path in (ROOT / folder).rglob("*.toml")
    if path.stat().st_size < 64_000
)


def same_as_tomllib(text: str) -> bool:
    """Whether the reader declines `text` or reads it as tomllib does (order of keys included)."""
    read = tomlsubset.read(text)
    if read is None:
        return True
    try:
        return repr(read) == repr(tomllib.loads(text))
    except tomllib.TOMLDecodeError:
        return False


def test_it_reads_most_real_files_as_tomllib_does() -> None:
    texts = [path.read_text(encoding="utf-8") for path in TOMLS]
    assert all(same_as_tomllib(text) for text in texts)
    # Most pyproject files are plain: the subset must take them, or it saves nothing.
    assert sum(tomlsubset.read(text) is not None for text in texts) > len(texts) * 3 // 4


def test_edited_real_files_are_read_as_tomllib_does_or_left_to_it() -> None:
    # Random edits of real files (mostly invalid TOML, or valid in ways the subset does not take).
    texts = [path.read_text(encoding="utf-8") for path in TOMLS]
    pieces = [*"[]{}=,.\"'#\n \t\\abc01-_+:ebtnfru\r\x01", "[[", "]]", '\\"', "a.b", '"""', "'''", "\\u00e9"]
    rng = random.Random(21)
    for _ in range(3000):
        text = list(rng.choice(texts)[:4000])
        for _ in range(rng.randint(1, 4)):
            at = rng.randrange(len(text) + 1)
            roll = rng.random()
            if roll < 0.3 and text:
                del text[min(at, len(text) - 1)]
            elif roll < 0.7:
                text.insert(at, rng.choice(pieces))
            else:
                start = rng.randrange(len(text) + 1)
                text[at:at] = text[start : start + rng.randint(1, 60)]
        edited = "".join(text)
        assert same_as_tomllib(edited), edited


@pytest.mark.parametrize(
    "text",
    [
        'a = "x"\n[t]\nb = [\n  "1", # c\n  2,\n]\nc = { d = true, "e f" = [\'g\'] }\n',
        '[tool.poe.tasks]\ntest.sequence = ["a"]\ntest.ignore_fail = false\n"q".msg = "m"\n',
        '[[tool.uv.index]]\nname = "a"\n[tool.uv.index.extra]\nx = 1\n[[tool.uv.index]]\nname = "b"\n',
        '[a]\n[a.b]\nc = "tab\\there \\"q\\" \\\\"\n',
        "x = -0\ny = +1_000\nz = ''\n  # indented comment\n\n",
        'a = """\nline "q" ""\n"""\nb = \'\'\'x\'\'\'\nc = """x""""\n',
    ],
)
def test_the_subset_is_read(text: str) -> None:
    assert tomlsubset.read(text) == tomllib.loads(text)


@pytest.mark.parametrize(
    "text",
    [
        # Valid, left to tomllib.
        "a = 1.5\n",
        "a = 1979-05-27\n",
        'a = "\\u00e9"\n',
        'a = """x\\ny"""\n',
        "[a.b]\n[a]\n",
        "[a]\nb.c = 1\n[a.b.d]\n",
        "a = 1\r\n",
        "a = { b.c = 1 }\n",
        # Invalid: tomllib reports them.
        "[a]\n[a]\n",
        "a = 1\na = 2\n",
        "a = { b = 1 }\na.c = 2\n",
        "a = [{ b = 1 }]\n[[a]]\n",
        "[[a]]\n[a]\n",
        "[a]\nb = 1\n[a.b]\n",
        "a.b = 1\n[a]\n",
        "a = { b = 1, }\n",
        "a = [1,,2]\n",
        'a = "\\e"\n',
        'a = "x\x01"\n',
        "# \x01\n",
        "a = 01\n",
        "a = true false\n",
        "[a] b = 1\n",
        "a = {\nb = 1 }\n",
        'a = """x""""""\n',
        'a = """x\x01"""\n',
        # Over int()'s digit limit: tomllib's ValueError, as before this reader.
        "a = " + "9" * 5000 + "\n",
        "a = [" * 2000 + "]" * 2000 + "\n",
    ],
)
def test_anything_else_is_left_to_tomllib(text: str) -> None:
    assert tomlsubset.read(text) is None
