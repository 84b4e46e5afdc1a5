from odoo import _, api, fields, models


class AssistAssignmentApprove(models.TransientModel):
    """The head of the OPS approves a request and assigns a family assistant
    (annex 1). Only the head may open or confirm it: access rights on this model
    and the checks in `assist.assignment._approve`."""

    _name = "assist.assignment.approve"
    _inherit = ["assist.onchange.mixin"]
    _description = "Approve a family-assistant request"

    assignment_id = fields.Many2one(
        "assist.assignment", string="Request", required=True, readonly=True
    )
    family_id = fields.Many2one(related="assignment_id.family_id")
    company_id = fields.Many2one(related="assignment_id.company_id")
    caseload_weight = fields.Integer(related="assignment_id.caseload_weight")
    assistant_id = fields.Many2one(
        "res.users",
        string="Family assistant",
        required=True,
        domain="[('groups_id', 'in', assistant_group_id), ('company_ids', 'in', company_id)]",
        context={"assist_show_caseload": True},
    )
    assistant_group_id = fields.Many2one(
        "res.groups",
        default=lambda self: self.env.ref("family_assistant.group_assistant"),
    )
    assistant_caseload = fields.Integer(related="assistant_id.assist_caseload")
    max_families = fields.Integer(related="company_id.assist_max_families")
    help_plan_date = fields.Date(
        string="Plan of help approved on",
        required=True,
        default=fields.Date.context_today,
        help="The head's approval of the social worker's plan of help: the 3 days of the "
        "handover of documents run from it (point 3).",
    )
    note = fields.Text(string="Comment", help="Printed on annex 1 with the decision.")

    @api.onchange("assistant_id")
    def _onchange_assistant_id(self):
        if self.assistant_id and (
            self.assistant_caseload + self.caseload_weight > self.max_families
        ):
            return {
                "warning": {
                    "title": _("Limit of families reached"),
                    "message": _(
                        "%(user)s already works with %(caseload)s families; the limit "
                        "is %(limit)s.",
                        user=self.assistant_id.name,
                        caseload=self.assistant_caseload,
                        limit=self.max_families,
                    ),
                }
            }

    def action_confirm(self):
        self.ensure_one()
        self.assignment_id._approve(self.assistant_id, self.note, self.help_plan_date)
        return {"type": "ir.actions.act_window_close"}
