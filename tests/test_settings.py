"""Deployment settings: yes/no variables, and the packaging of every app."""

import subprocess
import sys
import tomllib
from fnmatch import fnmatchcase
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured

from medborgarloften import settings

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "value, expected",
    [
        ("1", True),
        ("true", True),
        ("TRUE", True),
        ("Yes", True),
        (" on ", True),
        ("0", False),
        ("false", False),
        ("False", False),
        ("NO", False),
        ("off\n", False),
    ],
)
def test_a_yes_no_variable_reads_every_accepted_spelling(monkeypatch, value, expected):
    monkeypatch.setenv("KEEP_BUILT_FILES", value)
    assert settings.env_bool("KEEP_BUILT_FILES", not expected) is expected


@pytest.mark.parametrize("default", [True, False])
def test_an_unset_yes_no_variable_takes_its_default(monkeypatch, default):
    monkeypatch.delenv("KEEP_BUILT_FILES", raising=False)
    assert settings.env_bool("KEEP_BUILT_FILES", default) is default


@pytest.mark.parametrize("value", ["ture", "flase", "2", "enabled", "y", "", " "])
def test_a_yes_no_variable_refuses_a_value_it_does_not_know(monkeypatch, value):
    monkeypatch.setenv("HTTPS", value)
    with pytest.raises(ImproperlyConfigured) as refused:
        settings.env_bool("HTTPS", False)  # not read as the default either
    message = str(refused.value)
    assert f"HTTPS={value!r}" in message
    assert "1/0, true/false, yes/no, on/off, in any case" in message


def start(**env):
    """Load the settings in a process of its own, as a server starts."""
    base = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "medborgarloften.settings"}
    code = "import django; django.setup()"
    return subprocess.run(
        [sys.executable, "-c", code], env={**base, **env}, capture_output=True, text=True
    )


@pytest.mark.parametrize(
    "env",
    [
        {"DEBUG": "false", "SECRET_KEY": "x" * 50, "HTTPS": "ture"},
        {"DEBUG": "flase"},  # would otherwise have switched debug mode off quietly
        {"HTTPS": "ture"},  # refused while developing too, before it reaches production
    ],
)
def test_a_server_with_a_misspelt_yes_no_variable_does_not_start(env):
    result = start(**env)
    assert result.returncode != 0
    (name,) = (name for name, value in env.items() if value in ("ture", "flase"))
    assert f"ImproperlyConfigured: {name}={env[name]!r} is not a yes/no value" in result.stderr


def test_a_server_with_correct_yes_no_variables_starts():
    result = start(DEBUG="False", SECRET_KEY="x" * 50, HTTPS="Off", KEEP_BUILT_FILES="1")
    assert result.returncode == 0, result.stderr


def local_packages():
    """Every Python package of the apps in INSTALLED_APPS that live in this project, and of the
    project's own package (settings, URLs, the database backend)."""
    project = Path(settings.__file__).resolve().parent
    found = []
    for path in [project, *(Path(app.path).resolve() for app in apps.get_app_configs())]:
        if not path.is_relative_to(ROOT) or ROOT / ".venv" in path.parents:
            continue
        found += [
            ".".join(init.parent.relative_to(ROOT).parts)
            for init in sorted(path.rglob("__init__.py"))
        ]
    return found


def test_the_local_apps_are_found():
    packages = local_packages()
    for app in ("promises", "followup", "accessibility"):
        assert app in django_settings.INSTALLED_APPS and app in packages
    assert "promises.migrations" in packages and "medborgarloften.postgresql" in packages
    assert not any(package.startswith(("django", "axes")) for package in packages)


def test_every_local_app_and_its_packages_are_packaged():
    """A non-editable install (a wheel) holds only the packages that `include` matches, as
    setuptools matches them: an app left out would be missing on such a server."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    include = pyproject["tool"]["setuptools"]["packages"]["find"]["include"]
    missing = [
        package
        for package in local_packages()
        if not any(fnmatchcase(package, pattern) for pattern in include)
    ]
    assert missing == []
