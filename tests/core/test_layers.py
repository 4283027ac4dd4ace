"""The import layers (pyproject.toml's import-linter contracts): the core imports no stage, an
earlier stage never a later one, and inside the core each layer only those below it. A wrong
import fails here, as well as in `lint-imports`."""

from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parents[2]


def test_the_import_layers_hold(monkeypatch):
    monkeypatch.chdir(ROOT)
    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True) == 0
