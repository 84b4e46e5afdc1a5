from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .assist_assignment import OPEN_STATES


class AssistFamily(models.Model):
    """A household (rodzina) supported, or to be supported, by a family assistant.

    Who may do what:
    - social worker: creates and edits the families they are responsible for;
    - family assistant: reads and updates the families they work with;
    - head of the OPS: everything in their OPS (company).
    Families are archived, never deleted: their assignments keep the case history.
    """

    _name = "assist.family"
    _description = "Family"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "name, id"
    _check_company_auto = True

    name = fields.Char(
        string="Family",
        required=True,
        tracking=True,
        help="How the OPS names the household, e.g. 'Kowalscy'.",
    )
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company",
        string="OPS",
        required=True,
        default=lambda self: self.env.company,
        index=True,
    )
    worker_id = fields.Many2one(
        "res.users",
        string="Social worker",
        required=True,
        default=lambda self: self.env.user,
        tracking=True,
        index=True,
        domain=lambda self: [("groups_id", "in", self.env.ref("family_assistant.group_worker").id)],
        help="The social worker responsible for supporting this family.",
    )
    street = fields.Char()
    street2 = fields.Char()
    zip = fields.Char()
    city = fields.Char()
    municipality = fields.Char(string="Municipality (gmina)")
    phone = fields.Char()
    difficulty = fields.Selection(
        [("normal", "Standard"), ("high", "Difficult")],
        required=True,
        default="normal",
        tracking=True,
        help="A difficult family counts twice against the assistant's limit of families.",
    )
    member_ids = fields.One2many("assist.family.member", "family_id", string="Members")
    member_count = fields.Integer(compute="_compute_member_count", string="Members count")
    assignment_ids = fields.One2many("assist.assignment", "family_id", string="Assignments")
    assignment_count = fields.Integer(compute="_compute_assignment_data")
    current_assignment_id = fields.Many2one(
        "assist.assignment",
        string="Current assignment",
        compute="_compute_assignment_data",
    )
    assistant_id = fields.Many2one(
        "res.users",
        string="Family assistant",
        compute="_compute_assignment_data",
    )

    @api.depends("member_ids")
    def _compute_member_count(self):
        for family in self:
            family.member_count = len(family.member_ids)

    @api.depends("assignment_ids.state", "assignment_ids.assistant_id")
    def _compute_assignment_data(self):
        for family in self:
            open_assignments = family.assignment_ids.filtered(lambda a: a.state in OPEN_STATES)
            current = open_assignments[:1]
            family.assignment_count = len(family.assignment_ids)
            family.current_assignment_id = current
            family.assistant_id = current.assistant_id

    @api.ondelete(at_uninstall=False)
    def _unlink_except_case_history(self):
        if self.assignment_ids:
            raise UserError(
                _("A family with a case history cannot be deleted: archive it instead.")
            )

    def action_view_assignments(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "family_assistant.assist_assignment_action"
        )
        action["domain"] = [("family_id", "=", self.id)]
        action["context"] = {"default_family_id": self.id}
        return action
