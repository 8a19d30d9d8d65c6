"""The layers of docs/adr/0009-house-rules.md are a contract that `make lint` checks (import-linter): every
app is placed in a layer, the code keeps the contract, and an import upwards or a cycle breaks it."""

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import tomli_w

ROOT = Path(__file__).resolve().parent.parent
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
LAYERS = next(c for c in CONFIG["contracts"] if c["type"] == "layers")
LINT_IMPORTS = str(Path(sys.executable).with_name("lint-imports"))


def layered_names() -> set[str]:
    return {name.strip() for layer in LAYERS["layers"] for name in layer.replace(":", "|").split("|")}


def lint_imports(cwd: Path, config: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(cwd)}
    return subprocess.run([LINT_IMPORTS, str(config), "--no-cache"], cwd=cwd, env=env, capture_output=True, text=True)


def test_every_app_and_shared_module_of_relais_has_a_layer():
    packages = {path.parent.name for path in (ROOT / "relais").glob("*/__init__.py")}
    unplaced = packages - layered_names()
    assert not unplaced, f"add {sorted(unplaced)} to a layer of [tool.importlinter] in pyproject.toml"
    assert {"observatory", "steering", "demo", "web", "territories"} <= layered_names()


def test_the_layers_are_in_the_order_of_the_architecture():
    order = [layer.replace(" ", "") for layer in LAYERS["layers"]]
    expected = ["web:demo", "observatory|steering", "referrals", "matching|rights", "offer", "accounts", "territories"]
    positions = [order.index(layer) for layer in expected]
    assert positions == sorted(positions)


def test_the_code_keeps_the_contracts():
    result = lint_imports(ROOT, ROOT / "pyproject.toml")
    assert result.returncode == 0, result.stdout[-3000:]


def fake_project(tmp_path: Path, imports: dict[str, str]) -> Path:
    """A package `relais` with one empty module per layered name, and the given imports; the same contracts."""
    for name in layered_names():
        (tmp_path / "relais" / name).mkdir(parents=True)
        (tmp_path / "relais" / name / "__init__.py").write_text("")
    (tmp_path / "relais" / "__init__.py").write_text("")
    for folder in ("tests", "migrations"):  # skipped by the cycle contract: they must exist
        (tmp_path / "relais" / "offer" / folder).mkdir()
        (tmp_path / "relais" / "offer" / folder / "__init__.py").write_text("")
    for module, statement in imports.items():
        path = tmp_path / Path(*module.split(".")).with_suffix(".py")
        path.write_text(statement + "\n")
    contracts = [{**c, "unmatched_ignore_imports_alerting": "none"} for c in CONFIG["contracts"]]
    config = tmp_path / "pyproject.toml"
    config.write_text(tomli_w.dumps({"tool": {"importlinter": {**CONFIG, "contracts": contracts}}}))
    return config


def test_a_downward_import_keeps_the_contract(tmp_path):
    config = fake_project(tmp_path, {"relais.referrals.actions": "import relais.offer.models"})
    assert lint_imports(tmp_path, config).returncode == 0


def test_an_upward_import_even_inside_a_function_breaks_the_contract(tmp_path):
    config = fake_project(
        tmp_path,
        {"relais.offer.models": "def send():\n    import relais.referrals.actions", "relais.referrals.actions": ""},
    )
    result = lint_imports(tmp_path, config)
    assert result.returncode != 0
    assert "relais.offer is not allowed to import relais.referrals" in result.stdout


def test_a_cycle_inside_an_app_breaks_the_contract(tmp_path):
    config = fake_project(
        tmp_path,
        {
            "relais.rights.engine": "import relais.rights.simulate",
            "relais.rights.simulate": "import relais.rights.engine",
        },
    )
    result = lint_imports(tmp_path, config)
    assert result.returncode != 0
    assert "No cycles are allowed in relais.rights" in result.stdout
