from odoo import _, models
from odoo.exceptions import AccessError


class AuditlogLog(models.Model):
    """The audit log (OCA auditlog) is evidence: nobody changes or deletes it
    through the application; only the system itself (superuser: the log's own
    autovacuum, the anonymisation of a case) does."""

    _inherit = "auditlog.log"

    def write(self, vals):
        if not self.env.su:
            raise AccessError(_("The audit log cannot be changed."))
        return super().write(vals)

    def unlink(self):
        if not self.env.su:
            raise AccessError(_("The audit log cannot be deleted."))
        return super().unlink()


class AuditlogLogLine(models.Model):
    _inherit = "auditlog.log.line"

    def write(self, vals):
        if not self.env.su:
            raise AccessError(_("The audit log cannot be changed."))
        return super().write(vals)

    def unlink(self):
        if not self.env.su:
            raise AccessError(_("The audit log cannot be deleted."))
        return super().unlink()
