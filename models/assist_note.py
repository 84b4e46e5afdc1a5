from odoo import _, fields, models

from .stages import ACTIVE_STATES


class AssistNote(models.Model):
    """Official notes (notatki służbowe, point 9) on the course of the work.

    Assistant and social worker: write them. Head: reads them.
    """

    _name = "assist.note"
    _description = "Official note"
    _inherit = ["assist.case.mixin"]
    _anonymise_fields = ("name", "body")
    _order = "date desc, id desc"
    _case_roles = ("assistant", "worker")
    _case_states = ACTIVE_STATES

    date = fields.Date(required=True, default=fields.Date.context_today)
    name = fields.Char(string="Subject", required=True)
    body = fields.Text(string="Note", required=True)
    author_id = fields.Many2one(
        "res.users",
        string="Author",
        required=True,
        default=lambda self: self.env.user,
        readonly=True,
        copy=False,
    )

    def _chronology_event(self):
        return (self.date, _("Official note"), self.name)
