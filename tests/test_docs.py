"""What is promised is written down: every setting, command and entry point appears in the docs."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV_READERS = {"env_str", "env_bool", "env_int", "env_list"}


def docs_text() -> str:
    return "\n".join(
        p.read_text(encoding="utf-8") for p in [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    )


def environment_variables_read_in_settings() -> set[str]:
    tree = ast.parse((ROOT / "relais" / "settings.py").read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ENV_READERS:
            first = node.args[0]
            assert isinstance(first, ast.Constant) and isinstance(first.value, str), (
                f"relais/settings.py line {node.lineno}: name environment variables with a literal string"
            )
            names.add(first.value)
    return names


def management_commands() -> set[str]:
    return {
        path.stem
        for path in ROOT.glob("relais/*/management/commands/*.py")
        if not path.stem.startswith("_") and "def handle" in path.read_text(encoding="utf-8")
    }


def test_settings_read_the_variables_we_know_are_there():
    names = environment_variables_read_in_settings()
    assert {"DATABASE_URL", "RELAIS_DEMO", "RELAIS_SECRET_KEY", "RELAIS_STALE_AFTER_DAYS"} <= names


def test_every_environment_variable_read_in_settings_is_documented():
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", (ROOT / "docs" / "environment.md").read_text(encoding="utf-8")))
    missing = environment_variables_read_in_settings() - documented
    assert not missing, f"add to docs/environment.md: {sorted(missing)}"


def test_docs_environment_lists_each_variable_once_and_only_those_settings_read():
    text = (ROOT / "docs" / "environment.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([A-Z][A-Z0-9_]+)`", text, flags=re.MULTILINE)
    assert len(rows) == len(set(rows)), f"documented twice: {sorted({r for r in rows if rows.count(r) > 1})}"
    listed = set(rows)
    extra = listed - environment_variables_read_in_settings()
    assert not extra, f"docs/environment.md documents variables relais/settings.py never reads: {sorted(extra)}"


def test_every_management_command_is_documented():
    commands = management_commands()
    assert "load_demo" in commands
    text = docs_text()
    missing = {name for name in commands if not re.search(rf"\b{name}\b", text)}
    assert not missing, f"document these commands in README.md or docs/: {sorted(missing)}"


def test_the_readme_names_the_two_commands_a_newcomer_needs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make run" in readme and "make test" in readme


def test_the_readme_lists_the_demo_accounts_that_load_demo_creates():
    from relais import demo

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for account in ("admin", "partenaire", "membre", "moderation"):
        assert f"{account}@{demo.DEMO_EMAIL_DOMAIN}" in readme
    assert demo.DEMO_PASSWORD in readme


def test_every_local_link_in_the_docs_points_to_a_file_that_exists():
    for page in [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]:
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            if re.match(r"[a-z]+:", target):
                continue
            assert (page.parent / target).exists(), f"{page.relative_to(ROOT)} links to missing {target}"


def test_the_licence_is_the_full_agpl_3_text():
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.lstrip().startswith("GNU AFFERO GENERAL PUBLIC LICENSE")
    assert "13. Remote Network Interaction; Use with the GNU General Public License." in text
    assert len(text.splitlines()) > 600
