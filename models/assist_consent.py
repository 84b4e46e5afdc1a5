from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError


class AssistConsent(models.Model):
    """Point 6, annex 3: the first meeting of the assistant with the family, with
    the social worker present, where the family consents in writing to work with
    the assistant (art. 8 ust. 3 of the act) or refuses.

    Assistant: records and confirms it. Social worker and head: read it.
    """

    _name = "assist.consent"
    _description = "First meeting and consent"
    _inherit = ["assist.case.mixin", "assist.document.mixin"]
    _anonymise_fields = ("refusal_reason",)
    _order = "date desc, id desc"
    _case_states = ("handover",)

    date = fields.Date(string="Meeting date", required=True, default=fields.Date.context_today)
    worker_present = fields.Boolean(string="Social worker present", default=True)
    decision = fields.Selection(
        [("given", "Consent given"), ("refused", "Refused")], required=True, default="given"
    )
    member_ids = fields.Many2many(
        "assist.family.member",
        string="Adults who signed",
        domain="[('family_id', '=', family_id)]",
    )
    refusal_reason = fields.Text()
    state = fields.Selection(
        [("draft", "Draft"), ("done", "Recorded")], default="draft", required=True, readonly=True
    )

    @api.constrains("date")
    def _check_date(self):
        for consent in self:
            if consent.date > fields.Date.context_today(self):
                raise ValidationError(_("The meeting date cannot be in the future."))
            if consent.assignment_id.documents_date and (
                consent.date < consent.assignment_id.documents_date
            ):
                raise ValidationError(
                    _("The first meeting cannot be before the documents were handed over.")
                )

    def action_confirm(self):
        for consent in self:
            consent.assignment_id._check_case_role("assistant")
            if consent.state != "draft":
                raise UserError(_("This meeting has already been recorded."))
            if not consent.worker_present:
                raise UserError(
                    _("The first meeting takes place with the social worker present (point 6).")
                )
            if consent.decision == "given" and not consent.member_ids:
                raise UserError(_("Choose the adults of the family who signed the consent."))
            # sudo: the state is written only here, after the checks above.
            consent.sudo().state = "done"
            consent.assignment_id._record_first_meeting(consent)
        return {"type": "ir.actions.act_window_close"}

    def _chronology_event(self):
        label = self._fields["decision"].convert_to_export(self.decision, self)
        return (self.date, _("First meeting"), label)
