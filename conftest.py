"""Root pytest configuration.

pytest-odoo 1.0.1 looks for an addon manifest above every collected path and,
when there is none, still returns a path ("/__manifest__.py") that it then
fails to read. Its lookup is replaced by one that answers "none", so that one
pytest run collects the addons' unit tests through pytest-odoo and the
cross-addon scenarios in tests/ as plain modules.
"""
from pathlib import Path

import pytest_odoo


def _find_manifest_path(collection_path):
    path = Path(str(collection_path))
    for parent in list(path.parents)[:5]:
        manifest = parent / "__manifest__.py"
        if manifest.is_file():
            return manifest
    return None


pytest_odoo._find_manifest_path = _find_manifest_path
