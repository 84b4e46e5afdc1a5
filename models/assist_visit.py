import re
import uuid

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date

# A single visit or action longer than this is a typing error.
MAX_VISIT_HOURS = 12
# Point 8: the visits of at least once a week are meetings with the family, where it
# lives, where it chose or where the work plan leads.
VISIT_KINDS = ("home_visit", "meeting")
VISIT_PLACES = ("home", "family_chosen", "plan")
# The identifier a phone gives a visit it logged (crypto.randomUUID()).
UUID_PATTERN = re.compile(r"^[0-9a-fA-F-]{8,64}$")


class AssistVisit(models.Model):
    """One line of the assistant's work log (annex 8; in monitoring annex 11):
    a visit to the family or an action on its behalf (point 8).

    Assistant of the case: records visits. The area social worker records the
    monitoring visits of a family that resigned (point 14). Head: reads.
    """

    _name = "assist.visit"
    _description = "Visit or action"
    _inherit = ["assist.case.mixin"]
    # (the phone's identifier too: no phone reaches an anonymised visit)
    _anonymise_fields = (
        "institution",
        "actions_taken",
        "next_steps",
        "signature",
        "signed_by",
        "uuid",
    )
    _order = "start desc, id desc"
    _case_roles = ("assistant", "monitor")

    start = fields.Datetime(string="Date and time", required=True, default=fields.Datetime.now)
    date = fields.Date(compute="_compute_date", store=True, index=True)
    duration = fields.Float(string="Duration (hours)", required=True, default=1.0)
    user_id = fields.Many2one(
        "res.users",
        string="Recorded by",
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: self.env.user,
    )
    kind = fields.Selection(
        [
            ("home_visit", "Home visit"),
            ("meeting", "Meeting with the family"),
            ("institution", "Contact with an institution for the family"),
            ("intervention", "Intervention or remedial action"),
            ("phone", "Phone call"),
            ("escort", "Escorting the family"),
            ("other", "Other"),
        ],
        required=True,
        default="home_visit",
    )
    place = fields.Selection(
        [
            ("home", "Family's home"),
            ("family_chosen", "Place chosen by the family"),
            ("plan", "Place following from the work plan"),
            ("institution", "Institution"),
            ("other", "Other"),
        ],
        required=True,
        default="home",
    )
    counts_as_visit = fields.Boolean(
        string="Meeting with the family",
        compute="_compute_counts_as_visit",
        store=True,
        help="A visit or meeting with the family, at home, at a place the family chose or "
        "one following from the work plan: it counts for the visits of point 8 (at least "
        "weekly). Calls, escorts and contacts with institutions are actions of the work "
        "log but do not.",
    )
    institution = fields.Char(
        help="The institution contacted, or addressed by an intervention (police, school, "
        "health care, court...)."
    )
    area_ids = fields.Many2many("assist.support.area", string="Support areas")
    duty_ids = fields.Many2many(
        "assist.statutory.duty",
        string="Statutory duties served",
        help="The duties of art. 15 ust. 1 of the act this visit or action served.",
    )
    member_ids = fields.Many2many(
        "assist.family.member",
        string="Members present",
        domain="[('family_id', '=', family_id)]",
    )
    actions_taken = fields.Text()
    next_steps = fields.Text()
    is_monitoring = fields.Boolean(
        string="Monitoring", readonly=True, copy=False, help="Made during monitoring (annex 11)."
    )
    # The family's signature in the work log (annex 8), drawn on the screen.
    signature = fields.Binary(string="Family's signature", attachment=True, copy=False)
    signed_by = fields.Char(string="Signed by", copy=False)
    signed_date = fields.Datetime(
        string="Signed on", compute="_compute_signed_date", store=True, copy=False
    )
    # The phone app (/asystent): the visit's identifier on every device, so that a
    # batch sent twice creates nothing twice, and its revision, so that an edit
    # made on an older version is a conflict, not an overwrite.
    uuid = fields.Char(string="Identifier", copy=False, index=True)
    revision = fields.Integer(readonly=True, copy=False, default=0)

    _sql_constraints = [
        ("uuid_unique", "UNIQUE(uuid)", "Another visit has the same identifier."),
    ]

    @api.depends("family_id.name", "kind")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for visit in self:
            kind = kinds.get(visit.kind, "")
            family = visit.family_id.name
            visit.display_name = f"{family} – {kind}" if family else kind

    @api.depends("kind", "place")
    def _compute_counts_as_visit(self):
        for visit in self:
            visit.counts_as_visit = visit.kind in VISIT_KINDS and visit.place in VISIT_PLACES

    @api.model
    def _format_duration(self, hours):
        """A duration in hours as people say it: "1 h 15 min", "45 min", "2 h" (the
        documents; the views show it with the `fa_duration` widget)."""
        minutes = round((hours or 0) * 60)
        whole, rest = divmod(minutes, 60)
        if not whole:
            return f"{rest} min"
        return f"{whole} h {rest} min" if rest else f"{whole} h"

    @api.depends("signature")
    def _compute_signed_date(self):
        for visit in self:
            visit.signed_date = fields.Datetime.now() if visit.signature else False

    @api.depends("start")
    def _compute_date(self):
        for visit in self:
            visit.date = fields.Datetime.context_timestamp(visit, visit.start).date()

    @api.model
    def _server_create_vals(self, vals_list):
        """A visit made during monitoring belongs to annex 11: a fact of the case
        when the visit is recorded, not an input."""
        # sudo: the stage of the case the caller records for (checked before)
        states = {
            case.id: case.state
            for case in self.env["assist.assignment"]
            .sudo()
            .browse({vals["assignment_id"] for vals in vals_list if vals.get("assignment_id")})
        }
        for vals in vals_list:
            vals["is_monitoring"] = states.get(vals.get("assignment_id")) == "monitoring"
            if not vals.get("uuid"):
                vals["uuid"] = str(uuid.uuid4())
        return super()._server_create_vals(vals_list)

    def _check_create(self, vals_list):
        """Support is given with the family's consent (art. 8 ust. 3, point 6): after
        a refusal no visit is recorded, until the family consents."""
        super()._check_create(vals_list)
        refused = (
            self.env["assist.assignment"]
            .browse({vals["assignment_id"] for vals in vals_list if vals.get("assignment_id")})
            .filtered(lambda case: case.state == "handover" and case.consent_state == "refused")
        )
        if refused:
            raise UserError(
                _(
                    "The family %(family)s refused cooperation: support is given with its "
                    "consent (art. 8 ust. 3 of the act), so no visit is recorded until it "
                    "consents.",
                    family=refused[0].family_id.name,
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        visits = super().create(vals_list)
        visits.assignment_id._sync_deadlines()
        return visits

    def write(self, vals):
        result = super().write(vals)
        if self:
            # one more revision of each visit: a phone that edited an older one
            # gets a conflict (controllers/phone.py)
            self.env.cr.execute(
                "UPDATE assist_visit SET revision = revision + 1 WHERE id IN %s",
                [tuple(self.ids)],
            )
            self.invalidate_recordset(["revision"])
        return result

    @api.constrains("uuid")
    def _check_uuid(self):
        for visit in self:
            if visit.uuid and not UUID_PATTERN.match(visit.uuid):
                raise ValidationError(_("The identifier of the visit is not valid."))

    @api.constrains("start", "duration", "assignment_id")
    def _check_visit(self):
        for visit in self:
            if not 0 < visit.duration <= MAX_VISIT_HOURS:
                raise ValidationError(
                    _(
                        "The duration of a visit must be more than 0 and at most %(max)s hours.",
                        max=MAX_VISIT_HOURS,
                    )
                )
            assignment = visit.assignment_id
            started = assignment.work_start_date or assignment.documents_date
            if started and visit.date < started:
                raise ValidationError(
                    _(
                        "The visit of %(date)s is before the work with the family started "
                        "(%(start)s).",
                        date=format_date(self.env, visit.date),
                        start=format_date(self.env, started),
                    )
                )
            if assignment.closed_date and visit.date > assignment.closed_date:
                raise ValidationError(
                    _(
                        "The visit of %(date)s is after the case was closed (%(end)s).",
                        date=format_date(self.env, visit.date),
                        end=format_date(self.env, assignment.closed_date),
                    )
                )

    def _chronology_event(self):
        kind = self._fields["kind"].convert_to_export(self.kind, self)
        hours = f"{self.duration:g}"
        return (self.date, kind, _("%(hours)s h", hours=hours))
