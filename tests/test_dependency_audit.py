"""The dependency audit (scripts/audit_dependencies.py): advisories accepted only as listed, and an audit
that could not reach its service is never taken for a pass. pip-audit's JSON reports are built here
(tests never reach the network)."""

import importlib.util
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("audit_dependencies", ROOT / "scripts" / "audit_dependencies.py")
audit = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = audit  # dataclasses look their module up there
spec.loader.exec_module(audit)

SMUGGLING_1 = {"id": "GHSA-w3h3-4rj7-4ph4", "aliases": ["CVE-2024-1135"], "fix_versions": ["22.0.0"]}
SMUGGLING_2 = {"id": "PYSEC-2025-0001", "aliases": ["CVE-2024-6827", "GHSA-hc5x-x2vx-497g"], "fix_versions": ["22.0.0"]}
# The two gunicorn advisories this project accepted until gunicorn left the locks: a realistic acceptance list.
ACCEPTED = [
    audit.Accepted("gunicorn", "21.2.0", frozenset({"CVE-2024-1135", "GHSA-w3h3-4rj7-4ph4"}), "never run"),
    audit.Accepted("gunicorn", "21.2.0", frozenset({"CVE-2024-6827", "GHSA-hc5x-x2vx-497g"}), "never run"),
]


def pinned(path: Path) -> set[tuple[str, str]]:
    """(package, version) of every `name==version` line of a lock file."""
    pins = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9._-]+)(?:\[[^\]]*\])?==([^\s;\\]+)", line)
        if match:
            pins.add((audit.canonical(match[1]), match[2]))
    return pins


def report(*dependencies):
    return {"dependencies": list(dependencies), "fixes": []}


def dep(name, version, *vulns):
    return {"name": name, "version": version, "vulns": list(vulns)}


def test_the_audit_covers_both_lock_files_by_default():
    assert [path.name for path in audit.LOCK_FILES] == ["requirements.txt", "requirements-dev.txt"]
    assert all(path.exists() for path in audit.LOCK_FILES)


def test_every_committed_acceptance_names_a_version_pinned_in_a_lock_file():
    pins = pinned(ROOT / "requirements.txt") | pinned(ROOT / "requirements-dev.txt")
    committed = audit.load_accepted(ROOT / "scripts" / "accepted-advisories.toml")
    assert [(a.package, a.version) for a in committed if (a.package, a.version) not in pins] == []


def test_gunicorn_and_the_openfisca_web_api_are_in_no_lock_file():
    names = {name for name, _ in pinned(ROOT / "requirements.txt") | pinned(ROOT / "requirements-dev.txt")}
    assert not names & {"gunicorn", "flask", "flask-cors"}
    assert ("django", "5.2.19") in pinned(ROOT / "requirements.txt")


def test_the_accepted_advisories_pass_whatever_id_the_service_reports_them_under():
    verdict = audit.evaluate(
        report(dep("gunicorn", "21.2.0", SMUGGLING_1, SMUGGLING_2), dep("django", "5.2.19")), ACCEPTED
    )
    assert verdict.ok and len(verdict.accepted) == 2 and verdict.audited == 2


def test_any_other_advisory_fails():
    other = {"id": "GHSA-xxxx-yyyy-zzzz", "aliases": ["CVE-2099-0001"], "fix_versions": ["5.2.20"]}
    verdict = audit.evaluate(report(dep("Django", "5.2.19", other), dep("gunicorn", "21.2.0", SMUGGLING_1)), ACCEPTED)
    assert not verdict.ok
    assert verdict.refused == [("django", "5.2.19", "CVE-2099-0001 / GHSA-xxxx-yyyy-zzzz", "5.2.20")]


def test_an_acceptance_ends_with_the_version_it_was_given_for():
    verdict = audit.evaluate(report(dep("gunicorn", "22.0.0", SMUGGLING_1)), ACCEPTED)
    assert not verdict.ok and verdict.refused


def test_an_audit_in_which_every_package_was_skipped_is_unreachable_not_passed():
    skipped = [
        {"name": name, "skip_reason": f"Dependency not found on PyPI and could not be audited: {name} (1.0)"}
        for name in ("django", "gunicorn")
    ]
    verdict = audit.evaluate(report(*skipped), ACCEPTED)
    assert not verdict.ok and "none of the 2 packages could be audited" in verdict.unreachable


def test_some_packages_not_audited_fail_the_audit():
    verdict = audit.evaluate(
        report(dep("django", "5.2.19"), {"name": "private-thing", "skip_reason": "Dependency not found on PyPI"}),
        ACCEPTED,
    )
    assert (
        not verdict.ok
        and not verdict.unreachable
        and verdict.not_audited == ["private-thing: Dependency not found on PyPI"]
    )


@pytest.mark.parametrize(
    ("stderr", "unreachable"),
    [
        ("requests.exceptions.ConnectionError: HTTPSConnectionPool(host='api.osv.dev', port=443): Max retries", True),
        ("pip_audit._service.interface.ServiceError: …", True),
        ("ERROR: invalid requirement: 'django=='", False),
    ],
)
def test_network_failures_are_told_from_other_errors(stderr, unreachable):
    assert audit.looks_unreachable(stderr) is unreachable


def test_a_malformed_acceptance_is_refused_with_its_number(tmp_path):
    path = tmp_path / "accepted.toml"
    path.write_text('[[advisory]]\npackage = "gunicorn"\nversion = "21.2.0"\nids = ["CVE-2024-1135"]\n')
    with pytest.raises(SystemExit, match="advisory 1: missing reason"):
        audit.load_accepted(path)
