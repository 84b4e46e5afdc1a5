import base64
import json

from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.pl import pesel as pesel_number

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import format_date

from .assist_assignment import CASE_MODELS


class AssistFamilyMember(models.Model):
    """A member of a supported household.

    Members are deliberately not `res.partner` records: partners are readable by
    every internal user, these people are not. Access follows the family.
    """

    _name = "assist.family.member"
    _description = "Family member"
    _order = "family_id, birth_date, id"

    family_id = fields.Many2one("assist.family", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="family_id.company_id", store=True, index=True)
    active = fields.Boolean(default=True)
    name = fields.Char(string="First and last name", required=True)
    role = fields.Selection(
        [
            ("mother", "Mother"),
            ("father", "Father"),
            ("guardian", "Legal guardian"),
            ("partner", "Parent's partner"),
            ("child", "Child"),
            ("grandparent", "Grandparent"),
            ("other", "Other"),
        ],
        string="Role in the family",
        required=True,
        default="child",
    )
    pesel = fields.Char(string="PESEL", size=11)
    birth_date = fields.Date(
        compute="_compute_birth_date", store=True, readonly=False, precompute=True
    )
    age = fields.Integer(compute="_compute_age")
    education = fields.Char()
    occupation = fields.Char(string="Work")
    income_source = fields.Char(string="Source of income")
    school = fields.Char(string="School / kindergarten")
    in_foster_care = fields.Boolean(string="In foster care")
    foster_care_place = fields.Char(string="Where placed")

    _sql_constraints = [
        (
            "pesel_family_unique",
            "unique(family_id, pesel)",
            "This PESEL is already entered for another member of this family.",
        ),
    ]

    @api.depends("pesel")
    def _compute_birth_date(self):
        for member in self:
            if member.pesel and pesel_number.is_valid(member.pesel):
                member.birth_date = pesel_number.get_birth_date(member.pesel)
            else:
                member.birth_date = member.birth_date

    @api.depends("birth_date")
    def _compute_age(self):
        today = fields.Date.context_today(self)
        for member in self:
            born = member.birth_date
            member.age = (
                today.year - born.year - ((today.month, today.day) < (born.month, born.day))
                if born
                else 0
            )

    @api.constrains("pesel", "birth_date")
    def _check_pesel(self):
        for member in self.filtered("pesel"):
            try:
                pesel_number.validate(member.pesel)
            except StdnumValidationError as error:
                raise ValidationError(
                    _(
                        "The PESEL %(pesel)s of %(name)s is not valid: check its digits.",
                        pesel=member.pesel,
                        name=member.name,
                    )
                ) from error
            if member.birth_date and member.birth_date != pesel_number.get_birth_date(member.pesel):
                raise ValidationError(
                    _(
                        "The PESEL of %(name)s does not match the date of birth %(date)s.",
                        name=member.name,
                        date=format_date(self.env, member.birth_date),
                    )
                )

    @api.constrains("birth_date")
    def _check_birth_date(self):
        today = fields.Date.context_today(self)
        for member in self:
            if member.birth_date and member.birth_date > today:
                raise ValidationError(
                    _(
                        "The date of birth of %(name)s cannot be in the future.",
                        name=member.name,
                    )
                )

    # ------------------------------------------------------------ subject access
    def action_export_personal_data(self):
        """Everything the system holds about this person and their family's cases,
        as a JSON file (a data subject's access request, art. 15 GDPR). Head only."""
        self.ensure_one()
        if not self.env.user.has_group("family_assistant.group_head"):
            raise AccessError(_("Only the head of the OPS exports personal data."))
        self.check_access("read")
        data = self._personal_data()
        attachment = self.env["ir.attachment"].create(
            {
                "name": _("personal-data-%(id)s.json", id=self.id),
                "res_model": self._name,
                "res_id": self.id,
                "mimetype": "application/json",
                "datas": base64.b64encode(
                    json.dumps(data, ensure_ascii=False, indent=2, default=str).encode()
                ),
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }

    def _personal_data(self):
        """{section: records as read}: the person, the family and every record of
        its cases, read with the caller's rights."""

        def read_all(records):
            names = [
                name
                for name, field in records._fields.items()
                if field.store
                and field.type not in ("binary", "one2many", "many2many")
                and not name.startswith(("message_", "activity_"))
            ]
            return records.read(names, load="_classic_read") if records else []

        family = self.family_id
        assignments = family.assignment_ids
        data = {
            "person": read_all(self),
            "family": read_all(family),
            "other_members": read_all(family.member_ids - self),
            "assignments": read_all(assignments),
        }
        for model in CASE_MODELS:
            data[model] = read_all(
                self.env[model].search([("assignment_id", "in", assignments.ids)])
            )
        return data
