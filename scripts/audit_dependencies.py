"""The dependency audit of `make test`: pip-audit over both lock files, with accepted advisories.

    .venv/bin/python scripts/audit_dependencies.py [--requirements requirements.txt --requirements ...]
        [--accepted scripts/accepted-advisories.toml] [--timeout 15]

By default it audits the runtime lock (requirements.txt) and the development lock (requirements-dev.txt)
together: every package pinned in either, once per distinct version.

Exit status: 0 when no advisory is found but the accepted ones (scripts/accepted-advisories.toml:
package, exact version, ids, reason); 1 when any other advisory is found, when some packages could
not be audited, or when pip-audit fails; 75 (EX_TEMPFAIL) when no advisory service can be reached
from this machine, which scripts/test.sh reports as SKIPPED with the reason, CI or not.

pip-audit asks PyPI's JSON API (https://pypi.org/pypi/<name>/<version>/json), then OSV
(api.osv.dev) if PyPI cannot be used. Beware of a silent pass: when PyPI's API does not answer
(behind some proxies it answers 404 for everything), pip-audit reports every package as "skipped"
and prints "No known vulnerabilities found" with exit status 0. Here a run in which every package
was skipped counts as "service unreachable", never as a pass.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UNREACHABLE = 75
SERVICES = ("pypi", "osv")
NETWORK_ERRORS = (
    "ConnectionError",
    "ConnectTimeout",
    "ReadTimeout",
    "Timeout",
    "NameResolutionError",
    "Max retries exceeded",
    "ServiceError",
    "SSLError",
    "ProxyError",
)


@dataclass(frozen=True)
class Accepted:
    package: str
    version: str
    ids: frozenset[str]
    reason: str


@dataclass
class Verdict:
    """What one audit found: advisories accepted and not, and packages that could not be checked."""

    unreachable: str = ""  # why the service could not be used, if it could not
    accepted: list[tuple[str, str, str, str]] = field(default_factory=list)  # package, version, id, reason
    refused: list[tuple[str, str, str, str]] = field(default_factory=list)  # package, version, id, fixed in
    not_audited: list[str] = field(default_factory=list)
    audited: int = 0

    @property
    def ok(self) -> bool:
        return not self.unreachable and not self.refused and not self.not_audited


def canonical(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def load_accepted(path: Path) -> list[Accepted]:
    """The accepted advisories; a malformed entry stops the audit with a message naming it."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    accepted = []
    for number, entry in enumerate(data.get("advisory", []), start=1):
        missing = [key for key in ("package", "version", "ids", "reason") if not entry.get(key)]
        if missing:
            raise SystemExit(f"{path}: advisory {number}: missing {', '.join(missing)}")
        accepted.append(
            Accepted(canonical(entry["package"]), entry["version"], frozenset(entry["ids"]), entry["reason"].strip())
        )
    return accepted


def evaluate(report: dict, accepted: list[Accepted], service: str = "pypi") -> Verdict:
    """Sort pip-audit's JSON report (`-f json`) into accepted advisories, refused ones and unaudited packages."""
    dependencies = report.get("dependencies", [])
    skipped = [d for d in dependencies if d.get("skip_reason")]
    if dependencies and len(skipped) == len(dependencies):
        example = skipped[0]
        return Verdict(
            unreachable=(
                f"{service}: none of the {len(dependencies)} packages could be audited "
                f"(e.g. {example['name']}: {example['skip_reason']}); the advisory service does not answer from "
                "this machine"
            )
        )
    verdict = Verdict(audited=len(dependencies) - len(skipped))
    verdict.not_audited = [f"{d['name']}: {d['skip_reason']}" for d in skipped]
    for dependency in dependencies:
        name, version = canonical(dependency["name"]), dependency.get("version", "")
        for vuln in dependency.get("vulns", []):
            ids = {vuln["id"], *vuln.get("aliases", [])}
            match = next((a for a in accepted if a.package == name and a.version == version and ids & a.ids), None)
            label = " / ".join(sorted(ids))
            if match is not None:
                verdict.accepted.append((name, version, label, match.reason))
            else:
                fixed = ", ".join(vuln.get("fix_versions", [])) or "no fixed version"
                verdict.refused.append((name, version, label, fixed))
    return verdict


def looks_unreachable(stderr: str) -> bool:
    return any(marker in stderr for marker in NETWORK_ERRORS)


LOCK_FILES = (ROOT / "requirements.txt", ROOT / "requirements-dev.txt")


def run_pip_audit(requirements: list[Path], service: str, timeout: int) -> tuple[dict | None, str]:
    command = [
        sys.executable,
        "-m",
        "pip_audit",
        *(argument for path in requirements for argument in ("--requirement", str(path))),
        "--no-deps",  # the lock files pin the whole tree: audit exactly those versions
        "--disable-pip",
        "--format",
        "json",
        "--progress-spinner",
        "off",
        "--vulnerability-service",
        service,
        "--timeout",
        str(timeout),
    ]
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    try:
        return json.loads(result.stdout), result.stderr
    except json.JSONDecodeError:
        return None, result.stderr or result.stdout


def audit(requirements: list[Path], accepted: list[Accepted], timeout: int) -> Verdict:
    reasons = []
    for service in SERVICES:
        report, stderr = run_pip_audit(requirements, service, timeout)
        if report is None:
            last = (stderr.strip().splitlines() or ["no output"])[-1][:300]
            if looks_unreachable(stderr):
                reasons.append(f"{service}: {last}")
                continue
            raise SystemExit(f"pip-audit failed ({service}): {last}")
        verdict = evaluate(report, accepted, service)
        if verdict.unreachable:
            reasons.append(verdict.unreachable)
            continue
        return verdict
    return Verdict(unreachable="; ".join(reasons))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--requirements", type=Path, action="append", help="a lock file (repeatable); default: both lock files"
    )
    parser.add_argument("--accepted", type=Path, default=ROOT / "scripts" / "accepted-advisories.toml")
    parser.add_argument("--timeout", type=int, default=15, help="seconds per request to the advisory service")
    args = parser.parse_args(argv)
    verdict = audit(args.requirements or list(LOCK_FILES), load_accepted(args.accepted), args.timeout)
    if verdict.unreachable:
        print(f"dependency audit not possible here: {verdict.unreachable}")
        return UNREACHABLE
    print(f"{verdict.audited} pinned packages audited")
    for name, version, ids, reason in verdict.accepted:
        print(f"  accepted: {name} {version} {ids}: {reason}")
    for name, version, ids, fixed in verdict.refused:
        print(f"  ADVISORY: {name} {version} {ids} (fixed in {fixed}): upgrade, or accept it in {args.accepted.name}")
    for line in verdict.not_audited:
        print(f"  NOT AUDITED: {line}")
    print("dependency audit: passed" if verdict.ok else "dependency audit: FAILED")
    return 0 if verdict.ok else 1


if __name__ == "__main__":
    sys.exit(main())
