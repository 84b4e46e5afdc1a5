from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class AssistMeeting(models.Model):
    """Point 11, annex 16: an interdisciplinary meeting the assistant convenes
    with the institutions working with the family (PCPR, court, police, school,
    health care...): participants, attendance, findings and decisions.

    Assistant: convenes and records it. Social worker and head: read it.
    """

    _name = "assist.meeting"
    _description = "Interdisciplinary meeting"
    _inherit = ["assist.case.mixin", "assist.document.mixin"]
    _anonymise_fields = ("place", "purpose", "findings", "decisions")
    _order = "date desc, id desc"

    date = fields.Datetime(required=True, default=fields.Datetime.now)
    place = fields.Char()
    convened_by_id = fields.Many2one(
        "res.users",
        string="Convened by",
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: self.env.user,
    )
    purpose = fields.Text()
    participant_ids = fields.One2many(
        "assist.meeting.participant", "meeting_id", string="Participants"
    )
    findings = fields.Text()
    decisions = fields.Text()

    @api.constrains("participant_ids", "date")
    def _check_participants(self):
        for meeting in self:
            if not meeting.participant_ids:
                raise ValidationError(_("List who was invited to the meeting."))

    def _chronology_event(self):
        return (self.date.date(), _("Interdisciplinary meeting"), self.place or "")


class AssistMeetingParticipant(models.Model):
    _name = "assist.meeting.participant"
    _inherit = ["assist.guard.mixin"]
    _description = "Participant of an interdisciplinary meeting"
    _order = "id"
    _lock_parent = "meeting_id"
    _anonymise_fields = ("name", "institution", "function")

    meeting_id = fields.Many2one("assist.meeting", required=True, ondelete="cascade")
    company_id = fields.Many2one(related="meeting_id.company_id", store=True)
    name = fields.Char(required=True)
    institution = fields.Char()
    function = fields.Char(string="Role")
    present = fields.Boolean(default=True)
