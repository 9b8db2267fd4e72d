"""Position lookup in TOML source, on odd but valid TOML."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from pyhelper.tomlfile import TomlDocument, parse_toml

ODD = """\
# comment with "quotes" and [brackets]
[project]
name = 'odd' # literal string
"requires-python" = ">=3.10"   # quoted key
dependencies = [  # opening comment
    "idna>=3",
    # a comment between items
    'six ; python_version < "4"',

    \"\"\"packaging\"\"\",
    "naïve-pkg>=1",  # unicode before
    "attrs" ,
]
optional-dependencies.cli = ["click", { not = "a string" }, "colorama"]

[tool.uv]
sources = { six = { index = "x" }, idna = { path = "../idna" } }
constraint-dependencies = ['''certifi>=2020''']

[[tool.uv.index]]
name = "a"
url = "https://a.example"

[[tool.uv.index]]
name = "b"
when = 1979-05-27 07:32:00Z
url = "https://b.example"
"""


def doc(text: str) -> TomlDocument:
    parsed = parse_toml(Path("pyproject.toml"), text)
    assert isinstance(parsed, TomlDocument)
    return parsed


def source_at(document: TomlDocument, path: tuple[str | int, ...]) -> str:
    span = document.span(path)
    assert span is not None, path
    return document.text[span.start : span.end]


def test_values_in_odd_toml() -> None:
    d = doc(ODD)
    assert source_at(d, ("project", "name")) == "'odd'"
    assert source_at(d, ("project", "requires-python")) == '">=3.10"'
    assert source_at(d, ("project", "dependencies", 1)) == "'six ; python_version < \"4\"'"
    assert source_at(d, ("project", "dependencies", 2)) == '"""packaging"""'
    assert source_at(d, ("project", "dependencies", 3)) == '"naïve-pkg>=1"'
    assert source_at(d, ("project", "dependencies", 4)) == '"attrs"'
    assert source_at(d, ("project", "optional-dependencies", "cli", 2)) == '"colorama"'
    assert source_at(d, ("tool", "uv", "sources", "idna", "path")) == '"../idna"'
    assert source_at(d, ("tool", "uv", "constraint-dependencies", 0)) == "'''certifi>=2020'''"
    assert source_at(d, ("tool", "uv", "index", 1, "url")) == '"https://b.example"'
    assert source_at(d, ("tool", "uv", "index", 1, "when")) == "1979-05-27 07:32:00Z"
    assert source_at(d, ("tool", "uv", "index", 0)) == "[[tool.uv.index]]"


def test_ranges_count_code_points_and_lines() -> None:
    d = doc(ODD)
    r = d.range_of(("project", "dependencies", 3))
    assert r is not None
    assert (r.start.line, r.start.character, r.end.character) == (10, 4, 18)
    key = d.key_span(("project", "requires-python"))
    assert key is not None and d.text[key.start : key.end] == '"requires-python"'


def test_crlf_gives_the_same_lines_and_columns() -> None:
    lf, crlf = doc(ODD), doc(ODD.replace("\n", "\r\n"))
    for path in (
        ("project", "dependencies", 4),
        ("tool", "uv", "index", 1, "url"),
        ("project", "name"),
    ):
        a, b = lf.range_of(path), crlf.range_of(path)
        assert a is not None and b is not None
        assert (a.start.line, a.start.character, a.end.character) == (
            b.start.line,
            b.start.character,
            b.end.character,
        )


def test_escaped_quotes_and_keys() -> None:
    d = doc('a = "x\\"y" # c\n"b.c" = [ "\\\\", "\\u00e9" ]\nd.e."f g" = 1\n')
    assert source_at(d, ("a",)) == '"x\\"y"'
    assert source_at(d, ("b.c", 1)) == '"\\u00e9"'
    assert source_at(d, ("d", "e", "f g")) == "1"


def test_unknown_path_is_none() -> None:
    assert doc(ODD).range_of(("project", "nope")) is None


requirement = st.from_regex(r"[a-z][a-z0-9]{0,8}(>=[0-9]{1,2}(\.[0-9]{1,2})?)?", fullmatch=True)
quote = st.sampled_from(['"', "'"])
spacing = st.sampled_from(["", " ", "\n", "\n  # note\n  ", "\r\n    "])


@settings(max_examples=200)
@given(
    st.lists(st.tuples(requirement, quote, spacing), min_size=1, max_size=6),
    st.booleans(),
)
def test_every_array_item_is_found(items: list[tuple[str, str, str]], crlf: bool) -> None:
    body = ",".join(f"{space}{q}{req}{q}" for req, q, space in items)
    text = f'[project]\nname = "p"\ndependencies = [{body}\n]\n'
    if crlf:
        text = text.replace("\r\n", "\n").replace("\n", "\r\n")
    d = doc(text)
    for index, (req, q, _) in enumerate(items):
        assert source_at(d, ("project", "dependencies", index)) == f"{q}{req}{q}"
