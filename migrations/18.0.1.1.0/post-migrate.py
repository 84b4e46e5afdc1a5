"""18.0.1.1.0:
- the draft monthly reports are prepared by a method of the monthly report (the
  cron record is `noupdate`, so the upgrade moves it there);
- the audit-log entries about records of the procedure carry the OPS of their
  record (the head's record rule reads it): fill it for the entries made before;
- exports of families, members and cases are logged too (the rules are `noupdate`);
- each deadline has its own kind of to-do: the common rules still on "To-Do" get it,
  and the running deadline to-dos take their rule's kind instead of a summary written
  in the language of whoever created them;
- the head's dashboard is a client action: the heads who landed on the server action
  that opened the old one land on it, and its transient records are gone.
"""

from psycopg2 import sql

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    cron = env.ref("family_assistant.ir_cron_monthly_reports", raise_if_not_found=False)
    if cron:
        cron.write(
            {
                "model_id": env["ir.model"]._get_id("assist.monthly.report"),
                "code": "model._cron_monthly_reports()",
            }
        )
    # one parameterised UPDATE per model: the log may hold millions of entries
    links = {
        "assist_company_id": "company_id",
        "assist_family_id": "family_id",
        "assist_assignment_id": "assignment_id",
    }
    for name in env.registry.descendants(["assist.guard.mixin"], "_inherit"):
        model = env[name]
        if model._abstract:
            continue
        columns = {
            log_column: column
            for log_column, column in links.items()
            if column in model._fields and model._fields[column].store
        }
        if name == "assist.family":
            columns["assist_family_id"] = "id"
        if name == "assist.assignment":
            columns["assist_assignment_id"] = "id"
        for log_column, column in columns.items():
            cr.execute(
                sql.SQL(
                    """UPDATE auditlog_log log SET {log_column} = rec.{column}
                         FROM {table} rec
                        WHERE log.model_model = %s AND log.res_id = rec.id
                          AND log.{log_column} IS NULL"""
                ).format(
                    log_column=sql.Identifier(log_column),
                    column=sql.Identifier(column),
                    table=sql.Identifier(model._table),
                ),
                [name],
            )
    for model in ("assist_family", "assist_family_member", "assist_assignment"):
        rule = env.ref(f"family_assistant.auditlog_rule_{model}", raise_if_not_found=False)
        if rule and not rule.log_export_data:
            rule.log_export_data = True
    todo = env.ref("mail.mail_activity_data_todo")
    for rule in (
        env["assist.deadline.rule"]
        .with_context(active_test=False)
        .search([("company_id", "=", False), ("activity_type_id", "=", todo.id)])
    ):
        kind = env.ref(f"family_assistant.mail_activity_type_{rule.code}", raise_if_not_found=False)
        if kind:
            rule.activity_type_id = kind
    decision = env.ref("family_assistant.mail_activity_type_decision", raise_if_not_found=False)
    if decision:
        decision.summary = False
    for activity in env["mail.activity"].search([("assist_rule_id", "!=", False)]):
        activity.write(
            {"activity_type_id": activity.assist_rule_id.activity_type_id.id, "summary": False}
        )
    old_home = env.ref("family_assistant.assist_dashboard_action", raise_if_not_found=False)
    if old_home:
        new_home = env.ref("family_assistant.assist_dashboard_client_action")
        env["res.users"].with_context(active_test=False).search(
            [("action_id", "=", old_home.id)]
        ).write({"action_id": new_home.id})
    cr.execute("DROP TABLE IF EXISTS assist_dashboard")
