from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError

from .stages import ACTIVE_STATES


class AssistDashboard(models.TransientModel):
    """The head's dashboard: every assistant's caseload against the limit,
    overdue items per person, families per stage and the deadlines of the next
    7 days, each from one grouped query. Head only."""

    _name = "assist.dashboard"
    _inherit = ["assist.onchange.mixin"]
    _description = "Head's dashboard"

    name = fields.Char(default=lambda self: _("Dashboard"))
    content = fields.Html(compute="_compute_content", sanitize=False)

    @api.model
    def action_open(self):
        if not self.env.user.has_group("family_assistant.group_head"):
            raise AccessError(_("The dashboard is the head's."))
        return {
            "type": "ir.actions.act_window",
            "name": _("Dashboard"),
            "res_model": self._name,
            "res_id": self.create({}).id,
            "view_mode": "form",
            "target": "current",
        }

    def _compute_content(self):
        data = self._dashboard_data()
        for dashboard in self:
            dashboard.content = self.env["ir.qweb"]._render(
                "family_assistant.dashboard_content", data
            )

    def _dashboard_data(self):
        today = fields.Date.context_today(self)
        Assignment = self.env["assist.assignment"]
        assistants = self.env.ref("family_assistant.group_assistant").users.filtered(
            lambda u: self.env.company in u.company_ids
        )
        caseloads = Assignment._caseloads(assistants)
        limit = self.env.company.assist_max_families
        labels = dict(Assignment._fields["state"]._description_selection(self.env))
        stages = Assignment._read_group([], ["state"], ["__count"])
        # activities follow the access to their records: the head's OPS only
        activity_domain = [("res_model", "=like", "assist.%")]
        Activity = self.env["mail.activity"]
        overdue = Activity._read_group(
            [*activity_domain, ("date_deadline", "<", today)], ["user_id"], ["__count"]
        )
        upcoming = Activity.search(
            [
                *activity_domain,
                ("date_deadline", ">=", today),
                ("date_deadline", "<=", today + timedelta(days=7)),
            ],
            order="date_deadline, id",
            limit=200,
        )
        return {
            "caseloads": [
                (user.name, caseloads.get(user.id, 0), limit) for user in assistants.sorted("name")
            ],
            "stages": [
                (labels[state], count)
                for state, count in stages
                if state in (*ACTIVE_STATES, "submitted")
            ],
            "overdue": [(user.name, count) for user, count in overdue],
            "upcoming": upcoming,
        }
