from dateutil.relativedelta import relativedelta

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError, UserError

from .assist_guard_mixin import text_html
from .stages import CLOSED_STATES, OPEN_STATES


class AssistFamily(models.Model):
    """A household (rodzina) supported, or to be supported, by a family assistant.

    Who may do what:
    - social worker: creates and edits the families they are responsible for;
    - family assistant: reads the families they work with and keeps their contact
      data up to date (`access_policy.ROLE_FIELDS`);
    - head of the OPS: everything in their OPS (company).
    Families are archived, never deleted: their assignments keep the case history.
    A family whose last case is closed is kept as it was (with its members) until
    a new request for it is made.
    When the retention period after the last case has passed, the head anonymises
    the family (wizard `assist.family.anonymise`): names, PESEL, addresses and
    free text go, dates, stages, end reasons and counts stay.
    """

    _name = "assist.family"
    _description = "Family"
    _inherit = ["mail.thread", "mail.activity.mixin", "assist.guard.mixin"]
    _order = "name, id"
    _anonymise_fields = (
        "name",
        "street",
        "street2",
        "zip",
        "city",
        "municipality",
        "phone",
        "housing",
    )
    _no_group_fields = ("street", "phone")
    _check_company_auto = True

    name = fields.Char(
        string="Family",
        required=True,
        tracking=True,
        help="How the OPS names the household, e.g. 'Kowalscy'.",
    )
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company",
        string="OPS",
        required=True,
        default=lambda self: self.env.company,
        index=True,
    )
    worker_id = fields.Many2one(
        "res.users",
        string="Social worker",
        required=True,
        default=lambda self: self.env.user,
        tracking=True,
        index=True,
        check_company=True,
        domain=lambda self: [("groups_id", "in", self.env.ref("family_assistant.group_worker").id)],
        help="The social worker responsible for supporting this family.",
    )
    street = fields.Char()
    street2 = fields.Char()
    zip = fields.Char()
    city = fields.Char()
    municipality = fields.Char(string="Municipality (gmina)")
    phone = fields.Char()
    housing = fields.Text(
        string="Housing conditions", help="The flat or house, its state and equipment (annex 4)."
    )
    difficulty = fields.Selection(
        [("normal", "Standard"), ("high", "Difficult")],
        required=True,
        default="normal",
        tracking=True,
        help="A difficult family counts twice against the assistant's limit of families.",
    )
    member_ids = fields.One2many("assist.family.member", "family_id", string="Members")
    member_count = fields.Integer(compute="_compute_member_count", string="Members count")
    assignment_ids = fields.One2many("assist.assignment", "family_id", string="Assignments")
    assignment_count = fields.Integer(compute="_compute_assignment_data")
    current_assignment_id = fields.Many2one(
        "assist.assignment",
        string="Current assignment",
        compute="_compute_assignment_data",
    )
    assistant_id = fields.Many2one(
        "res.users",
        string="Family assistant",
        compute="_compute_assignment_data",
    )

    # what the current user may change now (the form follows the server's rules)
    can_edit_family = fields.Boolean(string="May edit the family", compute="_compute_can_edit")
    can_edit_contact = fields.Boolean(
        string="May edit the contact data", compute="_compute_can_edit"
    )

    anonymised = fields.Boolean(readonly=True, copy=False)
    anonymised_date = fields.Date(readonly=True, copy=False)
    anonymised_by_id = fields.Many2one(
        "res.users", string="Anonymised by", readonly=True, copy=False
    )

    @api.depends_context("uid")
    @api.depends("anonymised", "assignment_ids.state")
    def _compute_can_edit(self):
        roles = self._user_roles()
        for family in self:
            unlocked = not family._lock_reason()
            family.can_edit_family = unlocked and bool({"worker", "head"} & roles)
            family.can_edit_contact = unlocked and bool(roles)

    @api.depends("member_ids")
    def _compute_member_count(self):
        for family in self:
            family.member_count = len(family.member_ids)

    @api.depends("assignment_ids.state", "assignment_ids.assistant_id")
    def _compute_assignment_data(self):
        for family in self:
            open_assignments = family.assignment_ids.filtered(lambda a: a.state in OPEN_STATES)
            current = open_assignments[:1]
            family.assignment_count = len(family.assignment_ids)
            family.current_assignment_id = current
            family.assistant_id = current.assistant_id

    def _lock_reason(self):
        self.ensure_one()
        if self.anonymised:
            return _("The family %(family)s is anonymised.", family=self.name)
        # sudo: whether the family's last case is closed, whoever reads which case
        assignments = self.sudo().assignment_ids
        if assignments and not assignments.filtered(lambda a: a.state in OPEN_STATES):
            closed = assignments.filtered(lambda a: a.state == "closed")
            if closed:
                return _(
                    "The case of the family %(family)s is closed: its data are kept as they "
                    "were. A new request for the family opens them again.",
                    family=self.name,
                )
        return False

    @api.ondelete(at_uninstall=False)
    def _unlink_except_case_history(self):
        if self.assignment_ids:
            raise UserError(
                _("A family with a case history cannot be deleted: archive it instead.")
            )

    # ------------------------------------------------------------ retention
    @api.model
    def _retention_due(self, limit=None):
        """Families whose every case ended longer ago than their OPS keeps them."""
        Assignment = self.env["assist.assignment"]
        domain = [("family_id.anonymised", "=", False)]
        totals = dict(Assignment._read_group(domain, ["family_id"], ["__count"]))
        ended = Assignment._read_group(
            [*domain, ("state", "in", CLOSED_STATES)],
            ["family_id"],
            ["__count", "closed_date:max", "request_date:max"],
        )
        today = fields.Date.context_today(self)
        due = self.browse()
        for family, count, closed, requested in ended:
            # the end of the last case; a family whose requests were only
            # rejected or cancelled: its last request
            last = closed or requested
            years = family.company_id.assist_retention_years
            if count == totals[family] and last + relativedelta(years=years) <= today:
                due |= family
                if limit and len(due) >= limit:
                    break
        return due

    @api.model
    def _cron_retention(self, batch_size=500):
        """Put a to-do on the head's list for each family past its retention period,
        once: families that already have one are skipped."""
        due = self._retention_due()
        activity_type = self.env.ref("family_assistant.mail_activity_type_retention")
        flagged = set(
            self.env["mail.activity"]
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", due.ids),
                    ("activity_type_id", "=", activity_type.id),
                ]
            )
            .mapped("res_id")
        )
        todo = due.filtered(lambda family: family.id not in flagged)
        head_group = self.env.ref("family_assistant.group_head")
        batch = todo[:batch_size]
        for family in batch:
            for head in head_group.users.filtered(
                lambda u, f=family: f.company_id in u.company_ids
            ):
                family.activity_schedule(
                    activity_type_id=activity_type.id,
                    user_id=head.id,
                    note=text_html(
                        _(
                            "The retention period of the family %(family)s has passed: "
                            "anonymise its personal data.",
                            family=family.name,
                        )
                    ),
                )
        self.env["ir.cron"]._notify_progress(done=len(batch), remaining=len(todo) - len(batch))

    def _check_can_anonymise(self):
        if "head" not in self._user_roles():
            raise AccessError(_("Only the head of the OPS anonymises a family."))
        for family in self:
            if family.anonymised:
                raise UserError(
                    _("The family %(family)s is already anonymised.", family=family.name)
                )
            if family.assignment_ids.filtered(lambda a: a.state not in CLOSED_STATES):
                raise UserError(
                    _(
                        "The family %(family)s has a case that is not closed: it cannot be "
                        "anonymised.",
                        family=family.name,
                    )
                )

    def action_open_anonymise_wizard(self):
        self.ensure_one()
        self._check_can_anonymise()
        return {
            "type": "ir.actions.act_window",
            "name": _("Anonymise the family"),
            "res_model": "assist.family.anonymise",
            "view_mode": "form",
            "target": "new",
            "context": {"default_family_id": self.id},
        }

    def _anonymise_family(self):
        """Remove the family's personal data for good (called by the head's wizard).

        Every record of the family declares its personal fields (`_anonymise_fields`
        of `assist.guard.mixin`): the family, its members, its cases, their records
        and their lines are emptied; the chatter, activities, attachments (and their
        files), issued documents and audit-log details of all of them are deleted.
        Dates, stages, end reasons and the records themselves stay, so that the
        statistics stay true. Nothing of it is tracked: the tracking would copy the
        old values into new messages.
        """
        self._check_can_anonymise()
        user = self.env.user
        # sudo: the head's check above is the gate; the records of the cases are
        # written whatever their stage or author, which only this method may do.
        families = self.sudo().with_context(active_test=False, tracking_disable=True)
        case_models = families.env["assist.case.mixin"]._case_models()
        for family in families:
            assignments = family.assignment_ids
            records = {"assist.family": family, "assist.assignment": assignments}
            records["assist.family.member"] = family.member_ids
            for model in case_models:
                records[model] = family.env[model].search(
                    [("assignment_id", "in", assignments.ids)]
                )
            # the lines of those records (goals, participants...), parents first
            for model in self._case_line_models():
                Lines = family.env[model]
                parent_model = Lines._fields[Lines._lock_parent].comodel_name
                records[model] = Lines.search(
                    [(Lines._lock_parent, "in", records[parent_model].ids)]
                )
            for model_records in records.values():
                model_records._anonymise()
            name = family.name
            family.write(
                {
                    "anonymised": True,
                    "anonymised_date": fields.Date.context_today(self),
                    "anonymised_by_id": user.id,
                }
            )
            family._purge_traces({model: recs.ids for model, recs in records.items()}, name)
            family.message_post(body=_("The personal data of the family were anonymised."))
        self._collect_files_after_commit()
        return True

    def _anonymise_values(self):
        return {**super()._anonymise_values(), "name": _("Anonymised family %(id)s", id=self.id)}

    def _collect_files_after_commit(self):
        """The files of the deleted attachments leave the filestore as soon as the
        anonymisation is committed, not at the next nightly clean-up."""
        registry = self.env.registry

        @self.env.cr.postcommit.add
        def collect_files():
            with registry.cursor() as cr:
                api.Environment(cr, SUPERUSER_ID, {})["ir.attachment"]._gc_file_store()

    @api.model
    def _case_line_models(self):
        """The lines of the records of a case (goals, actions, participants...):
        guarded models with a `_lock_parent`, each after the model it hangs from."""
        pending = [
            name
            for name in self.pool.descendants(["assist.guard.mixin"], "_inherit")
            if not self.pool[name]._abstract
            and self.pool[name]._lock_parent
            and name != "assist.family.member"
        ]
        ordered, known = [], {"assist.assignment", *self.env["assist.case.mixin"]._case_models()}
        while pending:
            ready = [
                name
                for name in pending
                if self.env[name]._fields[self.pool[name]._lock_parent].comodel_name in known
            ]
            if not ready:
                break
            ordered += ready
            known.update(ready)
            pending = [name for name in pending if name not in ready]
        return ordered

    def _purge_traces(self, records, name):
        """Delete the chatter, attachments and audit-log details of `records`
        ({model: ids}), which hold the personal data too. Called under sudo."""
        for model, ids in records.items():
            if not ids:
                continue
            where = [("model", "=", model), ("res_id", "in", ids)]
            self.env["mail.message"].search(where).unlink()
            self.env["mail.activity"].search(
                [("res_model", "=", model), ("res_id", "in", ids)]
            ).unlink()
            # the issued documents are PDFs of the personal data: removed with them
            purge = self.with_context(assist_anonymise=True)
            purge.env["assist.issued.document"].search(
                [("res_model", "=", model), ("res_id", "in", ids)]
            ).unlink()
            # the files behind a field (res_field) too, which searches skip by default
            purge.env["ir.attachment"].search(
                [
                    ("res_model", "=", model),
                    ("res_id", "in", ids),
                    "|",
                    ("res_field", "=", False),
                    ("res_field", "!=", False),
                ]
            ).unlink()
            logs = self.env["auditlog.log"].search(
                [("model_model", "=", model), ("res_id", "in", ids)]
            )
            logs.line_ids.unlink()
            logs.write({"name": name})

    def action_complete_info_card(self):
        """The information card dialog's "Mark the card made": of the family's case
        in work (the case's own checks decide)."""
        self.ensure_one()
        case = self.current_assignment_id
        if not case:
            raise UserError(_("The family has no case in work."))
        case.action_complete_info_card()
        return {"type": "ir.actions.act_window_close"}

    def _address_text(self):
        """The address on one line, for the documents."""
        self.ensure_one()
        town = " ".join(part for part in (self.zip, self.city) if part)
        return ", ".join(part for part in (self.street, self.street2, town) if part)

    def action_view_assignments(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "family_assistant.assist_assignment_action"
        )
        action["domain"] = [("family_id", "=", self.id)]
        action["context"] = {"default_family_id": self.id}
        return action

    def _load_records(self, data_list, update=False):
        """Odoo's import (Families, Import records) leaves an empty cell False: an
        empty "Social worker" is the default (the importing worker), and the rows of
        the members are read as the members' own import reads them."""
        if self.env.context.get("import_file"):
            Member = self.env["assist.family.member"]
            for data in data_list:
                values = data["values"]
                if "worker_id" in values and not values["worker_id"]:
                    del values["worker_id"]
                if values.get("member_ids"):
                    values["member_ids"] = [
                        (command[0], command[1], Member._import_values(command[2]))
                        if command[0] == 0
                        else command
                        for command in values["member_ids"]
                    ]
        return super()._load_records(data_list, update)

    @api.model
    def get_import_templates(self):
        """Odoo's import (Families, Import records) offers the template of families
        with their members: Polish headers that map to the fields by themselves."""
        return [
            {
                "label": _("Families and their members"),
                "template": "/family_assistant/static/xls/import_rodzin.xlsx",
            }
        ]
