from odoo import _, models
from odoo.exceptions import AccessError


class AssistImmutableLog(models.AbstractModel):
    """The audit log (OCA auditlog) is evidence: nobody changes or deletes it
    through the application; only the system itself (superuser: the log's own
    autovacuum, the anonymisation of a case) does."""

    _name = "assist.immutable.log"
    _description = "Audit log that nobody changes"

    def write(self, vals):
        if not self.env.su:
            raise AccessError(_("The audit log cannot be changed."))
        return super().write(vals)

    def unlink(self):
        if not self.env.su:
            raise AccessError(_("The audit log cannot be deleted."))
        return super().unlink()


class AuditlogLog(models.Model):
    _name = "auditlog.log"
    _inherit = ["auditlog.log", "assist.immutable.log"]


class AuditlogLogLine(models.Model):
    _name = "auditlog.log.line"
    _inherit = ["auditlog.log.line", "assist.immutable.log"]
