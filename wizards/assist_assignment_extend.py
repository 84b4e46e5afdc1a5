from odoo import fields, models


class AssistAssignmentExtend(models.TransientModel):
    """The head extends cooperation from 2 to 3 years (point 10.2). Head only:
    access rights on this model and the checks in `assist.assignment._extend`."""

    _name = "assist.assignment.extend"
    _inherit = ["assist.onchange.mixin"]
    _description = "Extend cooperation to 3 years"

    assignment_id = fields.Many2one("assist.assignment", required=True, readonly=True)
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.assignment_id._extend(self.reason)
        return {"type": "ir.actions.act_window_close"}
