from odoo import api, fields, models


class ResUsers(models.Model):
    """Family assistants are users of `group_assistant`; their caseload is what
    the head weighs when assigning a new family."""

    _inherit = "res.users"

    assist_caseload = fields.Integer(
        string="Caseload",
        compute="_compute_assist_caseload",
        help="Families the assistant works with now (a difficult family counts twice).",
    )

    def _compute_assist_caseload(self):
        caseloads = self.env["assist.assignment"]._caseloads(self)
        for user in self:
            user.assist_caseload = caseloads.get(user.id, 0)

    @api.depends_context("assist_show_caseload")
    def _compute_display_name(self):
        super()._compute_display_name()
        if not self.env.context.get("assist_show_caseload"):
            return
        caseloads = self.env["assist.assignment"]._caseloads(self)
        for user in self:
            user.display_name = (
                f"{user.display_name} ({caseloads.get(user.id, 0)}"
                f"/{user.company_id.assist_max_families})"
            )
