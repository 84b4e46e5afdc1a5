"""18.0.1.1.0: the draft monthly reports are prepared by a method of the monthly
report (the cron record is `noupdate`, so the upgrade moves it here)."""

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
