"""Checks of the repository itself: the compose file and the pins."""
import os
import re
import shutil
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.mark.skipif(not shutil.which("docker-compose"), reason="Debian docker-compose is installed by scripts/setup.sh")
def test_docker_compose_file_is_valid():
    result = subprocess.run(["docker-compose", "-f", os.path.join(ROOT, "docker-compose.yml"), "config"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=ROOT)
    output = result.stdout.decode()
    assert result.returncode == 0, output
    for service in ("db", "odoo", "onec"):
        assert re.search(r"^  %s:$" % service, output, re.M), output


@pytest.mark.parametrize("name", ["requirements.txt", "requirements-oca.txt", "requirements-dev.txt"])
def test_every_python_requirement_is_pinned(name):
    with open(os.path.join(ROOT, name)) as requirements:
        lines = [line.strip() for line in requirements if line.strip() and not line.startswith("#")]
    assert lines
    assert all("==" in line for line in lines), [line for line in lines if "==" not in line]


def test_every_addon_ships_russian_translations():
    addons = os.path.join(ROOT, "addons")
    for addon in os.listdir(addons):
        if os.path.isfile(os.path.join(addons, addon, "__manifest__.py")):
            assert os.path.isfile(os.path.join(addons, addon, "i18n", "ru.po")), addon


def test_addon_readmes_are_generated_from_their_fragments():
    result = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "addon_readme.py"), "--check"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert result.returncode == 0, result.stdout.decode()
