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
    _anonymise_fields = ("refusal_reason", "signature", "signed_by")
    _order = "date desc, id desc"
    _case_states = ("handover",)
    _locked_states = ("done",)

    date = fields.Date(string="Meeting date", required=True, default=fields.Date.context_today)
    worker_present = fields.Boolean(string="Social worker present", default=True)
    present_worker_id = fields.Many2one(
        "res.users",
        string="Social worker who was present",
        compute="_compute_present_worker_id",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
        domain=lambda self: [("groups_id", "in", self.env.ref("family_assistant.group_worker").id)],
    )
    decision = fields.Selection(
        [("given", "Consent given"), ("refused", "Refused")], required=True, default="given"
    )
    member_ids = fields.Many2many(
        "assist.family.member",
        string="Adults who signed",
        domain="[('family_id', '=', family_id)]",
    )
    refusal_reason = fields.Text()
    # the family's signature drawn on the screen (annex 3 prints it)
    signature = fields.Binary(string="Family's signature", attachment=True, copy=False)
    signed_by = fields.Char(string="Signed by", copy=False)
    signed_date = fields.Datetime(
        string="Signed on", compute="_compute_signed_date", store=True, copy=False
    )
    state = fields.Selection(
        [("draft", "Draft"), ("done", "Recorded")],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
    )

    def _check_create(self, vals_list):
        super()._check_create(vals_list)
        # one first meeting per case: not a second one once it is recorded
        self.env["assist.assignment"].browse(
            {vals["assignment_id"] for vals in vals_list if vals.get("assignment_id")}
        )._guard_first_meeting()

    @api.depends("signature")
    def _compute_signed_date(self):
        for consent in self:
            consent.signed_date = fields.Datetime.now() if consent.signature else False

    @api.depends("assignment_id")
    def _compute_present_worker_id(self):
        for consent in self:
            consent.present_worker_id = (
                consent.present_worker_id or consent.assignment_id.family_id.worker_id
            )

    def _locked_message(self):
        return _("The first meeting has been recorded and is kept as it was.")

    # Checked when the meeting is saved, so that a refused confirmation leaves
    # no half-made record behind.
    @api.constrains("date", "worker_present", "decision", "member_ids")
    def _check_meeting(self):
        for consent in self:
            if not (consent.worker_present and consent.present_worker_id):
                raise ValidationError(
                    _("The first meeting takes place with the social worker present (point 6).")
                )
            if consent.decision == "given" and not consent.member_ids:
                raise ValidationError(_("Choose the adults of the family who signed the consent."))
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
            # sudo: the state is written only here, after the checks above.
            consent.sudo().state = "done"
            consent.assignment_id._record_first_meeting(consent)
        return {"type": "ir.actions.act_window_close"}

    def _chronology_event(self):
        label = self._fields["decision"].convert_to_export(self.decision, self)
        return (self.date, _("First meeting"), label)
