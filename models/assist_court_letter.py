from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from .stages import ACTIVE_STATES


class AssistCourtLetter(models.Model):
    """Correspondence with the family court: the assistant's reports and
    opinions for the court (point 11) and the head's notifications that the
    family refused or stopped cooperating (points 5, 6 and 14).

    Assistant: writes reports and opinions. Head: every letter, and marks them
    sent. Social worker: reads them.
    """

    _name = "assist.court.letter"
    _description = "Letter to the court"
    _inherit = ["assist.case.mixin", "mail.thread"]
    _anonymise_fields = ("subject", "court_name", "court_case_number", "body")
    _order = "date desc, id desc"
    _case_roles = ("assistant", "head")
    _case_states = ACTIVE_STATES
    _locked_states = ("sent",)

    kind = fields.Selection(
        [
            ("report", "Report for the court"),
            ("opinion", "Opinion about the family"),
            ("notification", "Notification of refusal or lack of cooperation"),
            ("other", "Other letter"),
        ],
        required=True,
        default="report",
    )
    date = fields.Date(required=True, default=fields.Date.context_today)
    subject = fields.Char(required=True)
    court_name = fields.Char(string="Court")
    court_case_number = fields.Char(string="Court case number")
    body = fields.Text(string="Content")
    state = fields.Selection(
        [("draft", "To send"), ("sent", "Sent")],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
    )
    sent_date = fields.Date(readonly=True, copy=False)

    def _locked_message(self):
        return _("A letter sent to the court is kept as it was.")

    @api.constrains("kind")
    def _check_kind(self):
        """Notifications of a refusal or lack of cooperation are the head's (points
        5, 6 and 14); the assistant writes reports and opinions."""
        if self.env.su or "head" in self._user_roles():
            return
        if any(letter.kind == "notification" for letter in self):
            raise AccessError(
                _("Notifications to the court are prepared and sent by the head of the OPS.")
            )

    def action_mark_sent(self):
        for letter in self:
            roles = ("head",) if letter.kind == "notification" else ("assistant", "head")
            letter.assignment_id._check_case_role(*roles)
            if letter.state != "draft":
                raise UserError(_("This letter has already been sent."))
        # sudo: the state is written only here, after the checks above.
        self.sudo().write({"state": "sent", "sent_date": fields.Date.context_today(self)})
        return True

    def _chronology_event(self):
        return (self.sent_date or self.date, _("Court"), self.subject)
