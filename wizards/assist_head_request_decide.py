from odoo import fields, models


class AssistHeadRequestDecide(models.TransientModel):
    """The head decides the assistant's request to end support, to end
    monitoring or to include the family again. Head only: access rights on this
    model and the checks in `assist.head.request._decide`."""

    _name = "assist.head.request.decide"
    _inherit = ["assist.onchange.mixin"]
    _description = "Decide on a request to the head"

    request_id = fields.Many2one("assist.head.request", required=True, readonly=True)
    kind = fields.Selection(related="request_id.kind")
    end_reason = fields.Selection(related="request_id.end_reason")
    decision = fields.Selection(
        [("approve", "Approve"), ("reject", "Reject")], required=True, default="approve"
    )
    monitoring_months = fields.Integer(string="Monitoring (months)")
    note = fields.Text(
        string="Comment",
        help="Required to reject, to end support for another reason than those of point 14 "
        "and to end monitoring before 2 months.",
    )

    def action_confirm(self):
        self.ensure_one()
        self.request_id._decide(
            self.decision == "approve",
            note=self.note,
            monitoring_months=self.monitoring_months,
        )
        return {"type": "ir.actions.act_window_close"}
