from odoo import _, fields, models
from odoo.exceptions import UserError


class AssistFamilyAnonymise(models.TransientModel):
    """The head anonymises a family whose cases are closed: irreversible, so the
    head confirms it. Head only: access rights on this model and the checks in
    `assist.family._anonymise_family`."""

    _name = "assist.family.anonymise"
    _inherit = ["assist.onchange.mixin"]
    _description = "Anonymise a family"

    family_id = fields.Many2one("assist.family", required=True, readonly=True)
    confirm = fields.Boolean(
        string="I understand that this cannot be undone",
    )

    def action_confirm(self):
        self.ensure_one()
        if not self.confirm:
            raise UserError(_("Confirm that you understand the anonymisation cannot be undone."))
        self.family_id._anonymise_family()
        return {"type": "ir.actions.act_window_close"}
