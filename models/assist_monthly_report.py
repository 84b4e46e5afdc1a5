from collections import defaultdict

import psycopg2
from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date, mute_logger

from .stages import WORK_STATES


class AssistMonthlyReport(models.Model):
    """Point 11, annex 14: the monthly report on the work with one family, due
    by the 5th of the next month; its figures come from that month's visits.

    Assistant: writes and submits it. Social worker and head: read it. The
    figures follow the visits while the report is a draft and are kept as they
    were once it is submitted; the contacts with institutions are filled from the
    visits when the report is made and then kept as the assistant writes them.
    """

    _name = "assist.monthly.report"
    _description = "Monthly report"
    _inherit = ["assist.case.mixin", "assist.document.mixin"]
    _anonymise_fields = ("institution_contacts", "actions_summary", "assessment")
    _order = "month desc, id desc"
    _locked_states = ("submitted",)
    # once per case and month, also when the cron's draft and an assistant's report
    # are made at the same moment (`_check_month` sees only the committed ones)
    _sql_constraints = [
        (
            "assignment_month_unique",
            "UNIQUE(assignment_id, month)",
            "There is already a monthly report of this case for this month.",
        ),
    ]

    month = fields.Date(
        required=True,
        compute="_compute_month",
        store=True,
        readonly=False,
        precompute=True,
        help="Any day of the month reported on; stored as its first day. By default "
        "the past month, or the month the case started in if it is later.",
    )
    name = fields.Char(compute="_compute_name", store=True)
    visit_count = fields.Integer(
        string="Visits and actions", compute="_compute_figures", store=True
    )
    hours = fields.Float(compute="_compute_figures", store=True)
    institution_contacts = fields.Text(
        compute="_compute_institution_contacts", store=True, readonly=False
    )
    actions_summary = fields.Text(string="Actions taken")
    assessment = fields.Text(string="Assistant's assessment")
    state = fields.Selection(
        [("draft", "Draft"), ("submitted", "Submitted")],
        default="draft",
        required=True,
        readonly=True,
    )
    submit_date = fields.Date(readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [dict(vals) for vals in vals_list]
        for vals in vals_list:
            self._first_of_month(vals)
        try:
            # (the conflict is expected: not logged as a "bad query")
            with self.env.cr.savepoint(), mute_logger("odoo.sql_db"):
                return super().create(vals_list)
        except psycopg2.errors.UniqueViolation as error:
            # the database's check comes first: its refusal said as `_check_month` says it
            if error.diag.constraint_name != "assist_monthly_report_assignment_month_unique":
                raise
            raise ValidationError(
                _("There is already a monthly report of this case for this month.")
            ) from error

    def write(self, vals):
        vals = dict(vals)
        self._first_of_month(vals)
        return super().write(vals)

    @api.model
    def _first_of_month(self, vals):
        if vals.get("month"):
            try:
                vals["month"] = fields.Date.to_date(vals["month"]).replace(day=1)
            except (ValueError, TypeError):
                pass  # refused with the user's message by the input check

    def _locked_message(self):
        return _("A submitted monthly report is kept as it was.")

    def _earliest_date(self, name):
        earliest = super()._earliest_date(name)
        return earliest.replace(day=1) if name == "month" else earliest

    @api.depends("assignment_id")
    def _compute_month(self):
        past_month = fields.Date.context_today(self).replace(day=1) - relativedelta(months=1)
        for report in self:
            started = report.assignment_id.request_date
            month = report.month or past_month
            report.month = max(month, started.replace(day=1)) if started else month

    @api.depends("month", "assignment_id.name")
    def _compute_name(self):
        for report in self:
            month = format_date(self.env, report.month, date_format="LLLL yyyy")
            report.name = (
                _("%(case)s, %(month)s", case=report.assignment_id.name, month=month)
                if report.assignment_id
                else month
            )

    def _month_visits(self):
        """{report: its month's visits}: one query for the months of all the
        reports, grouped once by case and month (a run drafts a thousand reports)."""
        Visit = self.env["assist.visit"]
        months = [report.month.replace(day=1) for report in self if report.month]
        if not months:
            return {report: Visit for report in self}
        visits = Visit.search(
            [
                ("assignment_id", "in", self.assignment_id.ids),
                ("date", ">=", min(months)),
                ("date", "<", max(months) + relativedelta(months=1)),
            ],
            order="start",
        )
        grouped = defaultdict(list)
        for visit in visits:
            grouped[visit.assignment_id.id, visit.date.replace(day=1)].append(visit.id)
        return {
            report: Visit.browse(
                grouped.get(
                    (report.assignment_id.id, report.month and report.month.replace(day=1)), []
                )
            )
            for report in self
        }

    @api.depends(
        "month",
        "assignment_id",
        "assignment_id.visit_ids.start",
        "assignment_id.visit_ids.duration",
    )
    def _compute_figures(self):
        month_visits = self.filtered(lambda r: r.state != "submitted")._month_visits()
        for report in self:
            if report.state == "submitted":
                # kept as submitted, whatever is logged later
                report.visit_count = report.visit_count
                report.hours = report.hours
                continue
            visits = month_visits[report]
            report.visit_count = len(visits)
            report.hours = sum(visits.mapped("duration"))

    @api.depends("month", "assignment_id")
    def _compute_institution_contacts(self):
        month_visits = self._month_visits()
        for report in self:
            report.institution_contacts = report._contacts_text(month_visits[report])

    def _contacts_text(self, visits):
        return "\n".join(
            f"{format_date(self.env, visit.date)}: {visit.institution}"
            for visit in visits
            if visit.kind == "institution" and visit.institution
        )

    @api.constrains("month", "assignment_id")
    def _check_month(self):
        this_month = fields.Date.context_today(self).replace(day=1)
        for report in self:
            if report.month > this_month:
                raise ValidationError(_("A monthly report cannot be made for a future month."))
        duplicates = self._read_group(
            [
                ("assignment_id", "in", self.assignment_id.ids),
                ("month", "in", self.mapped("month")),
            ],
            ["assignment_id", "month:day"],
            having=[("__count", ">", 1)],
        )
        if duplicates:
            assignment, month = duplicates[0]
            raise ValidationError(
                _(
                    "There is already a monthly report of %(case)s for %(month)s.",
                    case=assignment.name,
                    month=format_date(self.env, month, date_format="LLLL yyyy"),
                )
            )

    def action_refresh(self):
        """Fill the contacts with institutions again from the month's visits
        (replacing what was written there)."""
        month_visits = self._month_visits()
        for report in self:
            report.write({"institution_contacts": report._contacts_text(month_visits[report])})
        return True

    def action_submit(self):
        for report in self:
            report.assignment_id._check_case_role("assistant")
            if report.state != "draft":
                raise UserError(_("This monthly report has already been submitted."))
        # sudo: the state is written only here, after the checks above.
        self.sudo().write({"state": "submitted", "submit_date": fields.Date.context_today(self)})
        self.assignment_id._sync_deadlines()
        return True

    @api.model
    def _cron_monthly_reports(self, batch_size=1000):
        """On the 1st of the month: a draft monthly report of the past month for
        every family in work, filled from that month's visits. Idempotent."""
        today = fields.Date.context_today(self)
        month = today.replace(day=1) - relativedelta(months=1)
        Assignment = self.env["assist.assignment"]
        cases = Assignment.search(
            [("state", "in", WORK_STATES), ("work_start_date", "<", today.replace(day=1))]
        )
        has_report = {
            assignment
            for [assignment] in self._read_group(
                [("assignment_id", "in", cases.ids), ("month", "=", month)], ["assignment_id"]
            )
        }
        todo = (cases - Assignment.browse([c.id for c in has_report]))[:batch_size]
        # sudo: the system prepares the drafts for the assistants; a case whose
        # draft cannot be made is logged and skipped (tried again next run)
        skipped = todo._run_isolated(
            lambda part: self.sudo().create(
                [{"assignment_id": case.id, "month": month} for case in part]
            ),
            "monthly report",
        )
        remaining = len(cases) - len(has_report) - len(todo)
        self.env["ir.cron"]._notify_progress(done=len(todo), remaining=max(remaining, 0))
        return todo - skipped

    def _chronology_event(self):
        return (self.submit_date or self.month, _("Monthly report"), self.name)
