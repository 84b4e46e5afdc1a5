"""Check that every translatable term of the addon has a Polish translation.

Usage: python tools/check_translations.py EXPORTED.po i18n/pl.po

EXPORTED.po is what `odoo-bin --i18n-export -l pl_PL --modules=family_assistant`
wrote from a database with the addon installed: every term Odoo knows for the
addon (fields, selections, views, menus, data, `_()` strings in code).
Exits 1, listing the terms, when one of them has no msgstr in i18n/pl.po.
"""

import sys

import polib


def main(exported_path, pl_path):
    translated = {
        (entry.msgctxt, entry.msgid)
        for entry in polib.pofile(pl_path)
        if entry.msgstr and not entry.obsolete and "fuzzy" not in entry.flags
    }
    missing = [
        entry
        for entry in polib.pofile(exported_path)
        if entry.msgid and (entry.msgctxt, entry.msgid) not in translated
    ]
    for entry in missing:
        where = ", ".join(f"{path}" for path, _line in entry.occurrences[:2])
        sys.stdout.write(f"untranslated: {entry.msgid!r} ({where})\n")
    total = len(polib.pofile(exported_path))
    sys.stdout.write(f"{total - len(missing)} of {total} terms translated in {pl_path}\n")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
