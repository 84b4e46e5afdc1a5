"""Upgrades keep everything (`make test`, tools/dev.sh `check_upgrade`).

The previous version of the addon (the last commit whose manifest has another
version) is installed with its demo data into a database of its own; then

    upgrade_check.py snapshot DB FILE   edits what an OPS edits (a common deadline
                                        rule, its settings) and records every row of
                                        the procedure's tables, the issued documents'
                                        files and the audit log
    (odoo-bin -u family_assistant with the current code: migrations run)
    upgrade_check.py compare DB FILE    every recorded row is still there with the
                                        same values (columns of both versions), the
                                        OPS's edits survived, and the checks of the
                                        migrations of this version hold

Run with the PostgreSQL environment of tools/dev.sh (PGHOST, PGPORT, PGUSER).
A stored field that changes ships a migration script (migrations/18.0.x.y.z/) and
its check in MIGRATION_CHECKS below, run on data made by the previous version.
"""

import json
import sys

import psycopg2

# the tables whose every row the upgrade keeps, and the files of the issued documents
TABLES_LIKE = ("assist\\_%", "auditlog\\_log", "auditlog\\_log\\_line")
ATTACHMENTS = (
    "SELECT id, res_model, res_id, name, checksum FROM ir_attachment "
    "WHERE res_model LIKE 'assist.%%'"
)
# columns an upgrade may rewrite without changing anything a user entered: the log
# columns of the data files Odoo loads again
IGNORED = {"write_date", "write_uid"}
# what an OPS edits, which no upgrade may reset (noupdate data, settings)
OPS_EDITS = [
    (
        "UPDATE assist_deadline_rule SET days = 17 WHERE code = 'handover' AND company_id IS NULL",
        "SELECT days FROM assist_deadline_rule WHERE code = 'handover' AND company_id IS NULL",
        17,
    ),
    (
        "UPDATE res_company SET assist_max_families = 11",
        "SELECT min(assist_max_families) FROM res_company",
        11,
    ),
    (
        (
            "INSERT INTO ir_config_parameter (key, value) "
            "VALUES ('family_assistant.phone_max_offline_days', '3') "
            "ON CONFLICT (key) DO UPDATE SET value = '3'"
        ),
        (
            "SELECT value FROM ir_config_parameter "
            "WHERE key = 'family_assistant.phone_max_offline_days'"
        ),
        "3",
    ),
]
# version: (what the migration promises, a query that returns 0 when it holds)
MIGRATION_CHECKS = {
    "18.0.1.2.0": [
        (
            "every visit has the identifier a phone knows it by",
            "SELECT count(*) FROM assist_visit WHERE uuid IS NULL",
        ),
        (
            "the database keeps one monthly report per case and month",
            (
                "SELECT count(*) = 0 FROM pg_constraint "
                "WHERE conname = 'assist_monthly_report_assignment_month_unique'"
            ),
        ),
    ],
}


def tables(cr):
    where = " OR ".join("table_name LIKE %s" for _pattern in TABLES_LIKE)
    cr.execute(
        f"SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
        f"AND table_type = 'BASE TABLE' AND ({where}) ORDER BY table_name",
        TABLES_LIKE,
    )
    return [name for (name,) in cr.fetchall()]


def rows(cr):
    """{table: {key: {column: value}}}, the key an id or the whole row."""
    result = {}
    for table in tables(cr):
        cr.execute(f'SELECT row_to_json(t)::text FROM "{table}" t')
        records = {}
        for (text,) in cr.fetchall():
            row = json.loads(text)
            key = str(row["id"]) if "id" in row else json.dumps(row, sort_keys=True)
            records[key] = row
        result[table] = records
    cr.execute(ATTACHMENTS)
    result["ir_attachment (assist.*)"] = {
        str(row[0]): dict(zip(("id", "res_model", "res_id", "name", "checksum"), row, strict=True))
        for row in cr.fetchall()
    }
    return result


def snapshot(cr, path):
    for edit, _query, _expected in OPS_EDITS:
        cr.execute(edit)
    data = rows(cr)
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(data, handle)
    count = sum(len(records) for records in data.values())
    print(f"upgrade check: {count} rows of {len(data)} tables recorded, {len(OPS_EDITS)} OPS edits")


def compare(cr, path):
    with open(path, encoding="utf-8") as handle:
        before = json.load(handle)
    after = rows(cr)
    problems = []
    for table, records in before.items():
        now = after.get(table)
        if now is None:
            problems.append(f"{table}: the table is gone")
            continue
        for key, row in records.items():
            if key not in now:
                problems.append(f"{table} {key}: lost")
                continue
            for column, value in row.items():
                if column in IGNORED or column not in now[key]:
                    continue
                if now[key][column] != value:
                    problems.append(
                        f"{table} {key}: {column} was {value!r}, is {now[key][column]!r}"
                    )
    for _edit, query, expected in OPS_EDITS:
        cr.execute(query)
        value = cr.fetchone()[0]
        if value != expected:
            problems.append(f"an OPS's edit was reset: {query} gives {value!r}, not {expected!r}")
    cr.execute("SELECT latest_version FROM ir_module_module WHERE name = 'family_assistant'")
    version = cr.fetchone()[0]
    for promise, query in MIGRATION_CHECKS.get(version, []):
        cr.execute(query)
        if cr.fetchone()[0]:
            problems.append(f"migration to {version}: not true that {promise}")
    for problem in problems[:50]:
        print(f"  {problem}")
    count = sum(len(records) for records in before.values())
    if problems:
        print(f"upgrade check FAILED: {len(problems)} problems in {count} rows")
        return 1
    print(f"upgrade check: {count} rows kept as they were, the OPS's edits kept, version {version}")
    return 0


def main(command, database, path):
    with psycopg2.connect(dbname=database) as connection, connection.cursor() as cr:
        if command == "snapshot":
            snapshot(cr, path)
            return 0
        return compare(cr, path)


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
