"""Print Odoo's requirements.txt adapted so that it installs from wheels here.

Odoo 18.0 pins old, source-only releases for Python 3.11 (they no longer build),
while its pins for Python 3.12 exist as wheels for 3.11 too.  We therefore
evaluate every environment marker as if the interpreter were at least 3.12.
``python-ldap`` only serves ``auth_ldap`` and needs the LDAP headers: skipped.

Usage: python tools/requirements.py ODOO_SRC/requirements.txt > out.txt
"""

import platform
import sys

from packaging.requirements import Requirement

SKIPPED = {"python-ldap"}
MIN_PYTHON = (3, 12)


def marker_environment():
    local = tuple(int(x) for x in platform.python_version_tuple()[:2])
    major, minor = max(local, MIN_PYTHON)
    return {
        "python_version": f"{major}.{minor}",
        "python_full_version": f"{major}.{minor}.0",
    }


def adapted(lines):
    env = marker_environment()
    for line in lines:
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        req = Requirement(text)
        if req.name.lower() in SKIPPED:
            continue
        if req.marker and not req.marker.evaluate(env):
            continue
        req.marker = None
        yield str(req)


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as source:
        print("\n".join(adapted(source)))
