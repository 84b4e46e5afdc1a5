from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_date

from .stages import ACTIVE_STATES

# the stages shown on the dashboard: a request waiting for the head, then the work
DASHBOARD_STATES = ("submitted", *ACTIVE_STATES)
UPCOMING_DAYS = 7
UPCOMING_SHOWN = 50


class AssistDashboard(models.AbstractModel):
    """The head's dashboard (the client action `family_assistant.dashboard`): every
    assistant's caseload against the limit, the overdue to-dos per person, the
    families per stage and the deadlines of the next 7 days, each from one grouped
    query. Every figure opens the records behind it (`action_open_figure`). Head
    only: the data and the actions are refused to anybody else."""

    _name = "assist.dashboard"
    _description = "Head's dashboard"

    def _check_head(self):
        if not self.env.user.has_group("family_assistant.group_head"):
            raise AccessError(_("The dashboard is the head's."))

    def _activity_domain(self):
        # activities follow the access to their records: the head's OPS only
        return [("res_model", "=like", "assist.%")]

    @api.model
    def get_dashboard_data(self):
        """The figures of the dashboard, as plain data for the client action."""
        self._check_head()
        today = fields.Date.context_today(self)
        Assignment = self.env["assist.assignment"]
        assistants = self.env.ref("family_assistant.group_assistant").users.filtered(
            lambda u: self.env.company in u.company_ids
        )
        caseloads = Assignment._caseloads(assistants)
        limit = self.env.company.assist_max_families
        labels = dict(Assignment._fields["state"]._description_selection(self.env))
        stages = dict(
            Assignment._read_group([("state", "in", DASHBOARD_STATES)], ["state"], ["__count"])
        )
        Activity = self.env["mail.activity"]
        overdue = Activity._read_group(
            [*self._activity_domain(), ("date_deadline", "<", today)],
            ["user_id"],
            ["__count"],
        )
        upcoming_domain = self._upcoming_domain(today)
        upcoming = Activity.search(upcoming_domain, order="date_deadline, id", limit=UPCOMING_SHOWN)
        return {
            "caseloads": [
                {
                    "id": user.id,
                    "name": user.name,
                    "count": caseloads.get(user.id, 0),
                    "limit": limit,
                }
                for user in assistants.sorted("name")
            ],
            "stages": [
                {"key": state, "label": labels[state], "count": stages.get(state, 0)}
                for state in DASHBOARD_STATES
            ],
            "overdue": [
                {"id": user.id, "name": user.name, "count": count} for user, count in overdue
            ],
            "upcoming": [
                {
                    "id": activity.id,
                    "date": format_date(self.env, activity.date_deadline),
                    "user": activity.user_id.name,
                    "what": activity.activity_type_id.name,
                    "record": activity.res_name,
                }
                for activity in upcoming
            ],
            "upcoming_count": Activity.search_count(upcoming_domain),
        }

    def _upcoming_domain(self, today):
        return [
            *self._activity_domain(),
            ("date_deadline", ">=", today),
            ("date_deadline", "<=", today + timedelta(days=UPCOMING_DAYS)),
        ]

    @api.model
    def action_open_figure(self, figure, key=False):
        """The records behind a figure: "caseload" (an assistant's families in
        work), "stage" (the cases at a stage), "overdue" (a person's overdue to-dos,
        everybody's without a key), "upcoming" (the deadlines of the next 7 days,
        or the document of one to-do)."""
        self._check_head()
        today = fields.Date.context_today(self)
        if figure == "caseload":
            assistant = self.env["res.users"].browse(int(key)).exists()
            if not assistant:
                raise UserError(_("This assistant no longer exists."))
            return self._cases_action(
                _("Families of %(assistant)s", assistant=assistant.name),
                [("assistant_id", "=", assistant.id), ("state", "in", ACTIVE_STATES)],
            )
        if figure == "stage":
            if key not in DASHBOARD_STATES:
                raise UserError(_("Unknown stage."))
            labels = dict(
                self.env["assist.assignment"]._fields["state"]._description_selection(self.env)
            )
            return self._cases_action(labels[key], [("state", "=", key)])
        if figure == "overdue":
            domain = [*self._activity_domain(), ("date_deadline", "<", today)]
            if key:
                domain.append(("user_id", "=", int(key)))
            return self._activities_action(_("Overdue"), domain)
        if figure == "upcoming":
            if key:
                activity = self.env["mail.activity"].search(
                    [*self._upcoming_domain(today), ("id", "=", int(key))]
                )
                if not activity:
                    raise UserError(_("This to-do is done or no longer due this week."))
                return activity.action_open_document()
            return self._activities_action(
                _("Deadlines of the next 7 days"), self._upcoming_domain(today)
            )
        raise UserError(_("Unknown figure of the dashboard."))

    def _cases_action(self, name, domain):
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": "assist.assignment",
            "views": [(False, "list"), (False, "form")],
            "domain": domain,
            "context": {"create": False},
        }

    def _activities_action(self, name, domain):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "family_assistant.assist_activity_action"
        )
        action.update({"name": name, "domain": domain})
        return action
