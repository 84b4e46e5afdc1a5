"""pytest plugin (`-p pytest_addon_name`, see tools/dev.sh): pytest-odoo support
for a checkout whose folder is not named family_assistant, and Odoo's test
framework imported in test mode (no false ERROR line in the log).

pytest resolves the links of `.run/addons/family_assistant` (see tools/dev.sh) to
the checkout itself, and would then import the tests as `odoo.addons.<folder>...`.
Name them after the addon instead: `odoo.addons.family_assistant.tests...`.
"""

import importlib
from pathlib import Path

import _pytest.pathlib

import odoo.tools

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


# pytest-odoo imports Odoo's test framework (odoo.tests) right after it parses the
# configuration and before it turns the test mode on (only around each test
# module), and the framework logs an ERROR "Importing test framework, avoid
# importing from business modules and when not running in test mode" when imported
# outside the test mode. Import it in test mode, right after the configuration is
# parsed (odoo.tests.common reads the addons path then): an ERROR line in a test
# log then means an error.
_parse_config = odoo.tools.config.parse_config


def parse_config(*args, **kwargs):
    result = _parse_config(*args, **kwargs)
    config = odoo.tools.config
    test_enable = config["test_enable"]
    config["test_enable"] = True
    try:
        importlib.import_module("odoo.tests")
    finally:
        config["test_enable"] = test_enable
    return result


odoo.tools.config.parse_config = parse_config
