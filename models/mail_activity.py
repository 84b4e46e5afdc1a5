from odoo import _, api, fields, models
from odoo.exceptions import AccessError


class MailActivity(models.Model):
    """The deadlines of the procedure are activities (`assist.deadline.mixin`):
    which rule an activity follows, and whether it was escalated, is set by the
    deadline engine only."""

    _inherit = "mail.activity"

    assist_rule_id = fields.Many2one(
        "assist.deadline.rule", string="Deadline rule", index="btree_not_null", readonly=True
    )
    assist_escalated = fields.Boolean(readonly=True)
    assist_escalation_of_id = fields.Many2one(
        "mail.activity", string="Escalation of", ondelete="cascade", readonly=True
    )

    _sql_constraints = [
        (
            "assist_rule_unique",
            "unique(res_model_id, res_id, assist_rule_id)",
            "A deadline of a case is followed by one activity.",
        ),
    ]

    _ASSIST_FIELDS = frozenset({"assist_rule_id", "assist_escalated", "assist_escalation_of_id"})

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(self._ASSIST_FIELDS & vals.keys() for vals in vals_list):
            raise AccessError(_("The deadlines of the procedure are set by the system."))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and self._ASSIST_FIELDS & vals.keys():
            raise AccessError(_("The deadlines of the procedure are set by the system."))
        return super().write(vals)
