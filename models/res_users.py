from odoo import api, fields, models

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
