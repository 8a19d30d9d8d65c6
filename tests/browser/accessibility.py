"""axe-core checks (WCAG 2.1 A and AA) on a Playwright page, with a readable failure message.

axe-playwright-python ships axe.min.js and injects it with `page.evaluate`, so the check runs
offline and is not blocked by the pages' Content-Security-Policy.
"""

from axe_playwright_python.sync_playwright import Axe

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}

_axe = Axe()


def violations(page) -> list[dict]:
    return _axe.run(page, options=AXE_OPTIONS).response["violations"]


def report(found: list[dict], where: str) -> str:
    """One paragraph per rule: id, impact, what to do, and each failing element with its reason."""
    lines = [f"{len(found)} accessibility violation(s) (WCAG 2.1 A/AA) on {where}:"]
    for violation in found:
        lines.append(f"- {violation['id']} ({violation.get('impact') or 'n/a'}): {violation['help']}")
        lines.append(f"    {violation['helpUrl']}")
        for node in violation["nodes"][:10]:
            target = " ".join(str(part) for part in node["target"])
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"    * {target}: {summary}")
            lines.append(f"      {node.get('html', '')[:200]}")
        if len(violation["nodes"]) > 10:
            lines.append(f"    * … and {len(violation['nodes']) - 10} more element(s)")
    return "\n".join(lines)


def assert_accessible(page) -> None:
    found = violations(page)
    assert not found, report(found, page.url)
