from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .res_users import EMPLOYMENT_KINDS


class AssistEmployment(models.Model):
    """A family assistant's employment by the OPS: the form of the contract, the
    full-time equivalent and the dates. The half-year report counts the assistants
    and their full-time equivalents from it.

    Head of the OPS: keeps them (Konfiguracja → Zatrudnienie asystentów). Nobody
    else reads them."""

    _name = "assist.employment"
    _inherit = ["assist.guard.mixin"]
    _description = "Employment of a family assistant"
    _order = "date_start desc, id desc"
    _rec_name = "user_id"

    user_id = fields.Many2one(
        "res.users",
        string="Family assistant",
        required=True,
        index=True,
        domain=lambda self: [
            ("groups_id", "in", self.env.ref("family_assistant.group_assistant").ids)
        ],
    )
    company_id = fields.Many2one(
        "res.company", string="OPS", required=True, default=lambda self: self.env.company
    )
    kind = fields.Selection(EMPLOYMENT_KINDS, string="Form of employment", required=True)
    fte = fields.Float(
        string="Full-time equivalent",
        default=1.0,
        digits=(4, 2),
        help="The part of a full-time job (1 = full time); none for a contract for services.",
    )
    date_start = fields.Date(string="From", required=True)
    date_end = fields.Date(string="To", help="Empty while the assistant works.")

    @api.constrains("kind", "fte", "date_start", "date_end")
    def _check_employment(self):
        for employment in self:
            if employment.date_end and employment.date_end < employment.date_start:
                raise ValidationError(_("The employment ends before it starts."))
            if employment.kind == "service" and employment.fte:
                raise ValidationError(_("A contract for services has no full-time equivalent."))
            if employment.kind != "service" and not 0 < employment.fte <= 1:
                raise ValidationError(_("A full-time equivalent is more than 0 and at most 1."))

    @api.onchange("kind")
    def _onchange_kind(self):
        if self.kind == "service":
            self.fte = 0.0

    @api.model
    def _overlapping_domain(self, date_from, date_to):
        return [
            ("date_start", "<=", date_to),
            "|",
            ("date_end", "=", False),
            ("date_end", ">=", date_from),
        ]
