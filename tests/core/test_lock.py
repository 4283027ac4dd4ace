"""The hashed locks agree with pyproject.toml, and every install goes through them."""

import re
import shutil
import subprocess
import tomllib

import pytest

from .production import ROOT, dockerfile_instruction

REQUIREMENTS = ROOT / "requirements"


def canonical(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(requirements):
    """{name: version} of `name==version` lines (pyproject lists or lock files)."""
    found = {}
    for line in requirements:
        match = re.match(r"^([A-Za-z0-9._-]+)(\[[^\]]*\])?==([^\s;\\]+)", line.strip())
        if match:
            found[canonical(match[1])] = match[3]
    return found


def lock(name):
    text = (REQUIREMENTS / name).read_text()
    entries = re.split(r"\n(?=\S)", text)
    packages = [e for e in entries if not e.startswith("#") and e.strip()]
    return pins(text.splitlines()), packages


def pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def test_every_pin_in_pyproject_is_in_the_locks_at_the_same_version():
    project = pyproject()
    app = pins(project["project"]["dependencies"])
    test = pins(project["project"]["optional-dependencies"]["test"])
    build = pins(project["build-system"]["requires"])
    app_lock, _ = lock("app.txt")
    test_lock, _ = lock("test.txt")
    for name, version in {**app, **build}.items():
        assert app_lock.get(name) == version, f"{name}: run `make lock`"
    for name, version in {**app, **test, **build}.items():
        assert test_lock.get(name) == version, f"{name}: run `make lock`"
    assert not set(test) & set(app_lock), "test tools must not reach the image"


def test_the_image_gets_the_versions_that_were_tested():
    app_lock, _ = lock("app.txt")
    test_lock, _ = lock("test.txt")
    assert app_lock, "empty app lock"
    for name, version in app_lock.items():
        assert test_lock.get(name) == version, name


@pytest.mark.parametrize("name", ["app.txt", "test.txt", "uv.txt"])
def test_every_locked_package_has_hashes(name):
    versions, entries = lock(name)
    assert len(entries) == len(versions) > 0
    for entry in entries:
        assert "--hash=sha256:" in entry, entry.splitlines()[0]


def test_the_image_installs_from_the_app_lock_then_the_project_alone():
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    runs = [line for line in text.splitlines() if line.startswith("RUN ") and "pip " in line]
    assert any(
        "--require-hashes" in r and "-r requirements/app.txt" in r and "--only-binary" in r
        for r in runs
    ), runs
    assert any("pip install --no-deps --no-build-isolation ." in r for r in runs), runs
    assert not any(re.search(r"pip install (?!--)", r) for r in runs), runs  # nothing unpinned
    assert "gunicorn" in dockerfile_instruction("CMD")


def make_stamp(lock_file):
    """The Makefile's install stamp for a given lock file."""
    result = subprocess.run(
        ["make", "-s", "-f", "Makefile", "-f", "-", "print-stamp", f"LOCK={lock_file}"],
        input="print-stamp:\n\t@echo $(STAMP)\n",
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.skipif(not shutil.which("make"), reason="make is not installed")
def test_the_install_stamp_changes_when_the_lock_changes(tmp_path):
    changed = tmp_path / "test.txt"
    changed.write_text((REQUIREMENTS / "test.txt").read_text().replace("==", "== ", 1))
    real = make_stamp("requirements/test.txt")
    assert real.startswith(".venv/.installed-")
    assert make_stamp(changed) != real
    assert make_stamp(REQUIREMENTS / "test.txt") == real
