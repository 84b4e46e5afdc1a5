from odoo import api, fields, models

# The forms of employment of a family assistant the report to the voivode counts
# (art. 12 of the act on supporting the family).
EMPLOYMENT_KINDS = [
    ("task_time", "Employment contract, task-based working time"),
    ("employment", "Other employment contract"),
    ("service", "Contract for services"),
]

# The home action of each role (the first that the user has), where they land
# after logging in.
ROLE_HOME_ACTIONS = (
    ("family_assistant.group_head", "family_assistant.assist_dashboard_client_action"),
    ("family_assistant.group_assistant", "family_assistant.assist_assignment_action_my_work"),
    ("family_assistant.group_worker", "family_assistant.assist_assignment_action_my_families"),
)


class ResUsers(models.Model):
    """Family assistants are users of `group_assistant`; their caseload is what
    the head weighs when assigning a new family. A user who gets a role of the
    procedure lands on that role's work after logging in (`action_id`), unless a
    home action was set by hand."""

    _inherit = "res.users"

    @api.model_create_multi
    def create(self, vals_list):
        users = super().create(vals_list)
        users._set_role_home_action()
        return users

    def write(self, vals):
        result = super().write(vals)
        if any(key.startswith(("groups_id", "sel_groups_", "in_group_")) for key in vals):
            self._set_role_home_action()
        return result

    def _set_role_home_action(self):
        """The home action of the user's role, for users who have none."""
        for user in self.filtered(lambda u: not u.action_id):
            for group, action in ROLE_HOME_ACTIONS:
                home = self.env.ref(action, raise_if_not_found=False)
                if home and user.has_group(group):
                    # sudo: the home action is a preference the system sets for the role
                    user.sudo().action_id = self.env["ir.actions.actions"].browse(home.id)
                    break

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

    # The form of employment the half-year report counts: a field on the user,
    # kept by the head as dated employments (Konfiguracja → Zatrudnienie
    # asystentów) so that a change of contract does not rewrite past reports.
    assist_employment_ids = fields.One2many(
        "assist.employment",
        "user_id",
        string="Employment as a family assistant",
        groups="family_assistant.group_head",
    )
    assist_employment_kind = fields.Selection(
        EMPLOYMENT_KINDS,
        string="Form of employment",
        compute="_compute_assist_employment_kind",
        groups="family_assistant.group_head",
        help="The assistant's employment in the current OPS today.",
    )

    @api.depends("assist_employment_ids.kind", "assist_employment_ids.date_end")
    @api.depends_context("company")
    def _compute_assist_employment_kind(self):
        today = fields.Date.context_today(self)
        current = self.env["assist.employment"].search(
            [("user_id", "in", self.ids), ("company_id", "=", self.env.company.id)]
            + self.env["assist.employment"]._overlapping_domain(today, today),
            order="date_start desc, id desc",
        )
        kinds = {}
        for employment in current:
            kinds.setdefault(employment.user_id.id, employment.kind)
        for user in self:
            user.assist_employment_kind = kinds.get(user.id, False)
