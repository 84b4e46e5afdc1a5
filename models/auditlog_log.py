from odoo import _, api, fields, models
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
    """An entry about a record of the procedure carries the OPS of that record (not
    of the user: OdooBot and administrators belong to every OPS), and the head reads
    the entries of their own OPS only (security/family_assistant_rules.xml)."""

    _name = "auditlog.log"
    _inherit = ["auditlog.log", "assist.immutable.log"]

    assist_company_id = fields.Many2one(
        "res.company", string="OPS", index="btree_not_null", readonly=True
    )

    @api.model_create_multi
    def create(self, vals_list):
        # sudo: the OPS of the logged record, whoever's action is logged
        models_by_id = {
            model.id: model.model
            for model in self.env["ir.model"]
            .sudo()
            .browse({vals.get("model_id") for vals in vals_list if vals.get("model_id")})
        }
        wanted = {}
        for vals in vals_list:
            model = models_by_id.get(vals.get("model_id"))
            if model and model.startswith("assist.") and vals.get("res_id"):
                wanted.setdefault(model, set()).add(vals["res_id"])
        companies = {}
        for model, ids in wanted.items():
            records = self.env[model].sudo().with_context(active_test=False).browse(ids).exists()
            if "company_id" in records._fields:
                companies.update({(model, r.id): r.company_id.id for r in records})
        for vals in vals_list:
            key = (models_by_id.get(vals.get("model_id")), vals.get("res_id"))
            if key in companies and "assist_company_id" not in vals:
                vals["assist_company_id"] = companies[key]
        return super().create(vals_list)


class AuditlogLogLine(models.Model):
    _name = "auditlog.log.line"
    _inherit = ["auditlog.log.line", "assist.immutable.log"]
