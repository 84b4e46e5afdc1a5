from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.pl import pesel as pesel_number

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_date, html2plaintext

from .stages import ACTIVE_STATES


class AssistFamilyMember(models.Model):
    """A member of a supported household.

    Members are deliberately not `res.partner` records: partners are readable by
    every internal user, these people are not. Access follows the family, and so
    does the lock: a member of a family kept as it was is kept too. A member who
    took part in a case (the family had an assistant) is archived, not deleted.
    """

    _name = "assist.family.member"
    _inherit = ["assist.guard.mixin"]
    _description = "Family member"
    _order = "family_id, birth_date, id"
    _lock_parent = "family_id"
    _no_group_fields = ("name", "pesel", "birth_date")
    _anonymise_fields = (
        "name",
        "pesel",
        "birth_date",
        "education",
        "occupation",
        "income_source",
        "school",
        "foster_care_place",
        "parental_authority",
        "court_measures",
    )

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
    pesel = fields.Char(string="PESEL")
    birth_date = fields.Date(
        compute="_compute_birth_date", store=True, readonly=False, precompute=True
    )
    birth_month = fields.Date(
        string="Month of birth",
        compute="_compute_birth_month",
        store=True,
        readonly=True,
        help="The first day of the month of birth, kept when the family is anonymised: the "
        "half-year report counts the children under 18 by it.",
    )
    age = fields.Integer(compute="_compute_age")
    education = fields.Char()
    occupation = fields.Char(string="Work")
    income_source = fields.Char(string="Source of income")
    school = fields.Char(string="School / kindergarten")
    in_foster_care = fields.Boolean(string="In foster care")
    foster_care_place = fields.Char(string="Where placed")
    # the children's legal situation (annex 4)
    parental_authority = fields.Selection(
        [
            ("full", "Full"),
            ("limited", "Limited"),
            ("suspended", "Suspended"),
            ("deprived", "Deprived"),
        ],
        string="Parental authority",
        help="Of a parent over the children of the family.",
    )
    court_measures = fields.Char(
        string="Court measures", help="E.g. supervision of a probation officer, placement order."
    )

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
    def _compute_birth_month(self):
        for member in self:
            born = member.birth_date
            # an emptied date (the anonymisation) keeps the month
            member.birth_month = born.replace(day=1) if born else member.birth_month

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

    def _check_create(self, vals_list):
        super()._check_create(vals_list)
        self.browse()._check_pesel_unique(vals_list)

    def _check_write(self, vals):
        super()._check_write(vals)
        if vals.get("pesel"):
            self._check_pesel_unique(
                [{**vals, "family_id": member.family_id.id} for member in self]
            )

    def _check_pesel_unique(self, vals_list):
        """One PESEL once in a family (the SQL constraint keeps it; this says it
        in the user's language before the database refuses it)."""
        wanted = [(vals.get("family_id"), vals["pesel"]) for vals in vals_list if vals.get("pesel")]
        families = self.env["assist.family"].browse({family for family, _pesel in wanted})
        if not wanted or families._filtered_access("read") != families:
            return  # a family the caller may not read is refused by the guard
        # sudo: a duplicate within the family, whoever may read which member
        taken = (
            self.sudo()
            .with_context(active_test=False)
            .search_count(
                [
                    ("family_id", "in", [family for family, _pesel in wanted]),
                    ("pesel", "in", [pesel for _family, pesel in wanted]),
                    ("id", "not in", self.ids),
                ]
            )
        )
        if taken or len(set(wanted)) < len(wanted):
            raise ValidationError(
                _("This PESEL is already entered for another member of this family.")
            )

    @api.constrains("pesel", "birth_date")
    def _check_pesel(self):
        for member in self.filtered("pesel"):
            if not (len(member.pesel) == 11 and member.pesel.isdigit()):
                raise ValidationError(
                    _(
                        "The PESEL of %(name)s must have exactly 11 digits.",
                        name=member.name,
                    )
                )
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

    @api.ondelete(at_uninstall=False)
    def _unlink_except_case_history(self):
        """A member of a family that had an assistant belongs to its case history."""
        if self.env.su:
            return
        # sudo: whatever case the caller may read, the history is the family's
        if self.sudo().family_id.assignment_ids.filtered(
            lambda a: a.state in ACTIVE_STATES or a.state == "closed"
        ):
            raise UserError(
                _(
                    "A member of a family that has or had a family assistant is part of its "
                    "case history: archive the member instead of deleting."
                )
            )

    @api.model
    def _import_values(self, values):
        """A row of Odoo's import leaves an empty cell False: an empty date of birth
        next to a PESEL is the PESEL's (computed), not no date."""
        if values.get("pesel") and "birth_date" in values and not values["birth_date"]:
            values = {name: value for name, value in values.items() if name != "birth_date"}
        return values

    def _load_records(self, data_list, update=False):
        if self.env.context.get("import_file"):
            for data in data_list:
                data["values"] = self._import_values(data["values"])
        return super()._load_records(data_list, update)

    def _anonymise_values(self):
        number = self.family_id.with_context(active_test=False).member_ids.ids.index(self.id) + 1
        return {**super()._anonymise_values(), "name": _("Person %(number)s", number=number)}

    # ------------------------------------------------------------ subject access
    def action_export_personal_data(self):
        """A data subject's access request (art. 15 GDPR): the head downloads what
        the system holds about this person. Nothing is stored: the file is made for
        the download (controllers/main.py), and the export is in the audit log."""
        self.ensure_one()
        self._check_can_export()
        return {
            "type": "ir.actions.act_url",
            "url": f"/family_assistant/personal_data/{self.id}",
            "target": "self",
        }

    def _check_can_export(self):
        if "head" not in self._user_roles():
            raise AccessError(_("Only the head of the OPS exports personal data."))
        self.check_access("read")

    def _export_personal_data(self):
        """The export of this person, as a dict ready for JSON, registered in the
        audit log (method "export_personal_data"). Head only."""
        self.ensure_one()
        self._check_can_export()
        data = self._personal_data()
        # sudo: the audit log is written by the system only
        self.env["auditlog.log"].sudo().create(
            {
                "name": self.display_name,
                "model_id": self.env["ir.model"]._get_id(self._name),
                "res_id": self.id,
                "method": "export_personal_data",
                "user_id": self.env.uid,
                "log_type": "fast",
            }
        )
        return data

    def _personal_data(self):
        """What the system holds about this person, read with the caller's rights:
        the person; their household (the other members only by role: their data
        are theirs, art. 15 ust. 4); every case of the family with its records and
        their lines; the documents issued; the messages of the case file; and who
        read or changed the person's data (the audit log)."""

        def read_all(records, skip=()):
            names = [
                name
                for name, field in records._fields.items()
                if field.store
                and field.type not in ("binary", "one2many", "many2many")
                and not name.startswith(("message_", "activity_"))
                and name not in skip
            ]
            return records.read(names, load="_classic_read") if records else []

        family = self.family_id
        assignments = family.with_context(active_test=False).assignment_ids
        case_models = self.env["assist.case.mixin"]._case_models()
        records = {"assist.assignment": assignments}
        data = {
            "generated": fields.Datetime.now(),
            "ops": family.company_id.name,
            "generated_by": self.env.user.name,
            "person": read_all(self),
            "family": read_all(family, skip=("anonymised_by_id",)),
            "other_members": [
                {"role": member.role, "in_foster_care": member.in_foster_care}
                for member in (family.with_context(active_test=False).member_ids - self)
            ],
            "assignments": read_all(assignments),
        }
        for model in case_models:
            records[model] = self.env[model].search([("assignment_id", "in", assignments.ids)])
            data[model] = read_all(records[model])
        for model in family._case_line_models():
            Lines = self.env[model]
            parent = Lines._lock_parent
            parent_model = Lines._fields[parent].comodel_name
            lines = Lines.search([(parent, "in", records[parent_model].ids)])
            records[model] = lines
            # the participants of a meeting are other people: their role only
            skip = ("name",) if model == "assist.meeting.participant" else ()
            data[model] = read_all(lines, skip=skip)
        data["issued_documents"] = [
            {
                "document": document.report_id.name,
                "version": document.version,
                "issued_on": document.issue_date,
                "issued_by": document.issued_by_id.name,
                "sha256": document.checksum,
            }
            for document in self.env["assist.issued.document"].search(
                [("assignment_id", "in", assignments.ids)]
            )
        ]
        threads = [("assist.family", family.ids), ("assist.family.member", self.ids)]
        threads += [(model, recs.ids) for model, recs in records.items() if recs]
        domain = ["|"] * (len(threads) - 1)
        for model, ids in threads:
            domain += ["&", ("model", "=", model), ("res_id", "in", ids)]
        data["messages"] = [
            {
                "date": message.date,
                "record": f"{message.model},{message.res_id}",
                "author": message.author_id.name,
                "body": html2plaintext(message.body or ""),
            }
            for message in self.env["mail.message"].search(domain, order="date, id")
            if message.body
        ]
        data["audit_log"] = [
            {
                "date": log.create_date,
                "user": log.user_id.name,
                "operation": log.method,
                "fields": log.line_ids.mapped("field_description"),
            }
            for log in self.env["auditlog.log"].search(
                [
                    "|",
                    "&",
                    ("model_model", "=", self._name),
                    ("res_id", "=", self.id),
                    "&",
                    ("model_model", "=", "assist.family"),
                    ("res_id", "=", family.id),
                ],
                order="create_date, id",
            )
        ]
        return data
