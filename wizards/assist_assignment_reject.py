from odoo import fields, models


class AssistAssignmentReject(models.TransientModel):
    """The head of the OPS rejects a request, giving the reason. Only the head
    may open or confirm it (access rights and `assist.assignment._reject`)."""

    _name = "assist.assignment.reject"
    _inherit = ["assist.onchange.mixin"]
    _description = "Reject a family-assistant request"

    assignment_id = fields.Many2one(
        "assist.assignment", string="Request", required=True, readonly=True
    )
    family_id = fields.Many2one(related="assignment_id.family_id")
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.assignment_id._reject(self.reason)
        return {"type": "ir.actions.act_window_close"}
