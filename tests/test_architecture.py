"""The package layout is a contract: domain code never imports infrastructure.

Domain: config, scenarios, paramsets, model, economy, society, environment, policy.
Infrastructure: results, sweep, viz, commands, api, cli. Checked on the source with ``ast``
(module-level and function-level imports alike), so a shortcut cannot creep in unnoticed.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "simulation"
DOMAIN = ("config", "scenarios", "paramsets", "model", "economy", "society", "environment",
          "policy")
INFRASTRUCTURE = ("results", "sweep", "viz", "commands", "api", "cli")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return {name for name in found if name.startswith("simulation")}


def _layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


@pytest.mark.parametrize("package", DOMAIN)
def test_domain_never_imports_infrastructure(package):
    root = PACKAGE / package
    files = sorted(root.rglob("*.py")) if root.is_dir() else [root.with_suffix(".py")]
    bad = [f"{path.relative_to(PACKAGE)} imports {name}" for path in files
           for name in _imports(path) if _layer(name) in INFRASTRUCTURE]
    assert not bad, "\n".join(bad)


def test_nothing_imports_the_commands_but_the_cli():
    bad = [f"{path.relative_to(PACKAGE)} imports {name}"
           for path in sorted(PACKAGE.rglob("*.py"))
           if path.name != "cli.py" and "commands" not in path.relative_to(PACKAGE).parts
           for name in _imports(path) if _layer(name) == "commands"]
    assert not bad, "\n".join(bad)
