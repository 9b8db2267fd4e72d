"""Advisories from an OSV-compatible `querybatch` service (`pyhelper audit --osv`, `lockstep.health.osvUrl`)
beside the index's, against the loopback index's OSV face: merged with the index's by id and alias, asked in
bounded batches (and pages), each advisory's details cached; a malformed answer or an unreachable service
leaves the packages it should have covered not checked, never clean; network off asks it nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lsprotocol import types

from health.health_support import ADVISORY, advisory, audit, line_of
from helper.helper_support import helper_session, within
from pyhelper.health import osv
from pyhelper.health.cache import HttpCache
from pyhelper.health.client import IndexClient
from pyhelper.health.index import BadAnswer
from pyhelper.health.osv import osv_advisories
from support.index import Dist, PackageIndex

LOCKED = [("parser", "1.0"), ("tool", "1.0"), ("web", "1.0")]
PARSER = advisory("GHSA-pppp-qqqq-rrrr", "1.1", "CVE-2026-0002", summary="Parser overflow")


def querybatch(index: PackageIndex) -> str:
    return index.osv_url + "v1/querybatch"


def publish(health_index: PackageIndex) -> None:
    """web 1.0: the index's PYSEC advisory, which OSV knows by that id and by its GHSA alias too; parser
    1.0: OSV's alone."""
    health_index.add([Dist("web", "1.1"), Dist("parser", "1.1")])
    health_index.advise("web", "1.0", ADVISORY)
    health_index.osv_advise(
        "web", "1.0", advisory("GHSA-aaaa-bbbb-cccc", "1.1", "CVE-2026-0001", "PYSEC-2026-1")
    )
    health_index.osv_advise("parser", "1.0", PARSER)


def test_advisories_of_both_merged_by_alias_and_one_batch_asked(
    locked_app: Path, health_index: PackageIndex, health_cache: Path
) -> None:
    publish(health_index)
    status, output = audit(locked_app, osv=querybatch(health_index))
    assert status == 1, output
    report = json.loads(output)
    advisories = {p["name"]: p["advisories"] for p in report["packages"]}
    (web,) = advisories["web"]  # one vulnerability, known to both by different ids
    assert web["id"] == "PYSEC-2026-1"
    assert set(web["aliases"]) == {"CVE-2026-0001", "GHSA-aaaa-bbbb-cccc"}
    (parser,) = advisories["parser"]
    assert (parser["id"], parser["fixed_in"], parser["summary"]) == (
        "GHSA-pppp-qqqq-rrrr",
        ["1.1"],
        "Parser overflow",
    )
    lock = locked_app / "uv.lock"
    messages = {
        d["message"]
        for d in report["diagnostics"]
        if d["range"]["start"]["line"] == line_of(lock, 'name = "parser"')
    }
    assert messages == {
        "parser 1.0 has a known vulnerability: GHSA-pppp-qqqq-rrrr (CVE-2026-0002) Parser overflow, "
        "fixed in 1.1 — upgrade to 1.1"
    }
    assert [sorted(batch) for batch in health_index.osv_queries] == [LOCKED]

    # An OSV alias is accepted like the index's ids.
    status, output = audit(locked_app, "CVE-2026-0002", osv=querybatch(health_index))
    assert {p["name"]: p["advisories"] for p in json.loads(output)["packages"]}["parser"] == []


def test_batches_and_pages_are_bounded_and_details_cached(
    health_index: PackageIndex, health_cache: Path
) -> None:
    health_index.osv_page = 1
    health_index.osv_advise("web", "1.0", advisory("OSV-1", "1.1"), advisory("OSV-2", "1.2"))
    health_index.osv_advise("parser", "1.0", PARSER)
    cache = HttpCache(health_cache)
    with IndexClient() as client:
        found = osv_advisories(
            querybatch(health_index),
            [("web", "1.0"), ("tool", "1.0"), ("parser", "1.0")],
            client,
            cache,
            batch=2,
        )
        assert health_index.osv_queries == [
            [("web", "1.0"), ("tool", "1.0")],
            [("web", "1.0")],
            [("parser", "1.0")],
        ]
        web = found["web", "1.0"]
        assert isinstance(web, list) and [(a.id, a.fixed_in) for a in web] == [
            ("OSV-1", ("1.1",)),
            ("OSV-2", ("1.2",)),
        ]
        assert found["tool", "1.0"] == []
        details = [path for path in health_index.requests if path.startswith("/v1/vulns/")]
        assert sorted(details) == [
            "/v1/vulns/GHSA-pppp-qqqq-rrrr",
            "/v1/vulns/OSV-1",
            "/v1/vulns/OSV-2",
        ]
        before = len(health_index.requests)
        osv_advisories(querybatch(health_index), [("web", "1.0")], client, cache)
    # Details fresh on disk: only the batch (two pages of web's) is asked again.
    assert health_index.requests[before:] == ["/v1/querybatch"] * 2


def test_a_package_still_paging_past_the_bound_is_not_checked_the_others_are(
    health_index: PackageIndex, health_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(osv, "MAX_PAGES", 1)
    health_index.osv_page = 1
    health_index.osv_advise("web", "1.0", advisory("OSV-1", "1.1"), advisory("OSV-2", "1.2"))
    health_index.osv_advise("parser", "1.0", PARSER)
    with IndexClient() as client:
        found = osv_advisories(
            querybatch(health_index), [("web", "1.0"), ("parser", "1.0")], client, HttpCache(health_cache)
        )
    web, parser = found["web", "1.0"], found["parser", "1.0"]
    assert isinstance(web, BadAnswer) and "kept paging past 1 answers for web 1.0" in str(web)
    assert isinstance(parser, list) and [a.id for a in parser] == ["GHSA-pppp-qqqq-rrrr"]


def test_a_malformed_answer_leaves_its_packages_not_checked(
    locked_app: Path, health_index: PackageIndex, health_cache: Path
) -> None:
    publish(health_index)
    health_index.misbehave("/v1/querybatch", "malformed")
    status, output = audit(locked_app, output_format="text", osv=querybatch(health_index))
    assert status == 2
    assert "web 1.0 not checked: " in output and "/v1/querybatch is not valid JSON" in output, output
    assert output.splitlines()[-1] == "0 locked packages checked, 3 not checked"

    health_index.misbehave("/v1/querybatch", None)
    health_index.misbehave("/v1/vulns/GHSA-pppp-qqqq-rrrr", "wrong-type")
    status, output = audit(locked_app, output_format="text", osv=querybatch(health_index))
    assert status == 2
    assert "parser 1.0 not checked: " in output and "is not a JSON answer (its type is text/plain)" in output
    assert "2 locked packages checked, 1 not checked, 2 problems found" in output

    health_index.misbehave("/v1/vulns/GHSA-pppp-qqqq-rrrr", "wrong-shape")
    status, output = audit(locked_app, output_format="text", osv=querybatch(health_index))
    assert status == 2
    assert "parser 1.0 not checked: " in output and "is not an OSV record" in output, output
    assert "2 locked packages checked, 1 not checked, 2 problems found" in output


@pytest.mark.parametrize(
    "record",
    [
        {"affected": 5},
        {"affected": [{"ranges": 5}]},
        {"affected": [{"ranges": [{"events": 5}]}]},
        {"references": "https://osv.example/x"},
        {"aliases": 5},
    ],
)
def test_a_record_of_another_shape_is_not_read(record: dict[str, object]) -> None:
    assert not osv.well_formed({"id": "X", **record})
    assert osv.well_formed({"id": "X", "affected": [{"ranges": [{}]}, "odd"], "references": []})


def test_unreachable_or_network_off_is_offline_and_asks_nothing(
    locked_app: Path, health_index: PackageIndex, health_cache: Path, tmp_path: Path
) -> None:
    gone = PackageIndex(tmp_path / "gone").start()
    unreachable = querybatch(gone)
    gone.stop()
    status, output = audit(locked_app, output_format="text", osv=unreachable)
    assert status == 2
    assert "web 1.0 not checked (offline): " in output
    assert output.splitlines()[-1] == "0 locked packages checked, health not checked (offline)"

    status, output = audit(locked_app, output_format="text", offline=True, osv=querybatch(health_index))
    assert status == 2 and health_index.osv_queries == []


async def test_the_editor_shows_osv_advisories_and_with_the_network_off_asks_nothing(
    locked_app: Path, health_index: PackageIndex, health_cache: Path
) -> None:
    publish(health_index)
    env = {"XDG_CACHE_HOME": str(health_cache.parent.parent)}
    lock = locked_app / "uv.lock"
    options = {"trusted": True, "healthOsvUrl": querybatch(health_index)}
    async with helper_session([locked_app], initialization_options=options, env=env) as helper:
        found = await helper.diagnostics_for(
            lock, lambda found: sum(d.code == "lock-vulnerable" for d in found) == 2
        )
    parser = next(d for d in found if d.range.start.line == line_of(lock, 'name = "parser"'))
    assert parser.message.startswith("parser 1.0 has a known vulnerability: GHSA-pppp-qqqq-rrrr")
    assert [sorted(batch) for batch in health_index.osv_queries] == [LOCKED]

    asked = len(health_index.osv_queries)
    options = {**options, "healthNetwork": False}
    async with helper_session([locked_app], initialization_options=options, env=env) as helper:
        await helper.inlay_hints_refreshed(1)

        async def offline() -> None:
            while not any("health not checked (offline)" in m.message for m in helper.client.log_messages):
                await helper.client.wait_for_notification(types.WINDOW_LOG_MESSAGE)

        await within(offline(), "the offline message")
    assert len(health_index.osv_queries) == asked


async def test_an_untrusted_workspace_asks_osv_nothing_until_trusted(
    locked_app: Path, health_index: PackageIndex, health_cache: Path
) -> None:
    # The lock's names and versions go to the OSV server the user set only from a trusted workspace.
    publish(health_index)
    env = {"XDG_CACHE_HOME": str(health_cache.parent.parent)}
    lock = locked_app / "uv.lock"
    options = {"healthOsvUrl": querybatch(health_index)}
    async with helper_session([locked_app], initialization_options=options, env=env) as helper:
        await helper.projects()
        helper.watched_change(lock)
        await helper.projects(refresh=True)
        assert health_index.osv_queries == []
        assert not [path for path in health_index.requests if path.startswith("/v1/")]
        assert helper.inlay_hint_refreshes == 0

        helper.notify(
            types.WORKSPACE_DID_CHANGE_CONFIGURATION,
            types.DidChangeConfigurationParams(settings={"lockstep": {**options, "trusted": True}}),
        )
        await helper.diagnostics_for(lock, lambda found: sum(d.code == "lock-vulnerable" for d in found) == 2)
    assert [sorted(batch) for batch in health_index.osv_queries] == [LOCKED]
