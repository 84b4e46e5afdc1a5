"""pytest plugin (`-p pytest_addon_name`, see tools/dev.sh): pytest-odoo support
for a checkout whose folder is not named family_assistant.

pytest resolves the links of `.run/addons/family_assistant` (see tools/dev.sh) to
the checkout itself, and would then import the tests as `odoo.addons.<folder>...`.
Name them after the addon instead: `odoo.addons.family_assistant.tests...`.
"""

from pathlib import Path

import _pytest.pathlib

ADDON = "family_assistant"
ADDON_ROOT = Path(__file__).resolve().parent.parent
_resolve = _pytest.pathlib.resolve_pkg_root_and_module_name


def resolve_pkg_root_and_module_name(path, *, consider_namespace_packages=False):
    real = Path(path).resolve()
    if real.is_relative_to(ADDON_ROOT):
        parts = real.relative_to(ADDON_ROOT).with_suffix("").parts
        if parts and parts[-1] == "__init__":
            parts = parts[:-1]
        return ADDON_ROOT.parent, ".".join(("odoo", "addons", ADDON, *parts))
    return _resolve(path, consider_namespace_packages=consider_namespace_packages)


_pytest.pathlib.resolve_pkg_root_and_module_name = resolve_pkg_root_and_module_name
