import hashlib
import io
import json
from datetime import date
from itertools import pairwise

import xlsxwriter
from dateutil.relativedelta import relativedelta

from odoo import Command, _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_date

from .assist_employment import EMPLOYMENT_KINDS
from .stages import END_REASONS

SECTIONS = [
    ("assistants", "Family assistants"),
    ("families", "Families supported by an assistant"),
    ("ended", "Cooperation ended"),
    ("monitoring", "Monitoring and inclusion again"),
    ("work", "Work done"),
]

# What a row counts; its parameters (`selector`, `duty_id`, `months_*`) narrow it.
# Each has a method `_measure_<key>(row, period)` returning (value, records).
MEASURES = [
    ("assistants", "Assistants employed (selector: form of employment)"),
    ("fte", "Full-time equivalents of the employment contracts"),
    ("families", "Families supported (selector: all, new, court, za_zyciem, foster_care)"),
    ("children", "Children under 18 in the families supported"),
    ("ended", "Families whose cooperation ended (selector: end reason; months)"),
    ("monitoring", "Families in monitoring"),
    ("monitoring_ended", "Families whose monitoring ended"),
    ("reincluded", "Families included again"),
    ("visits", "Meetings with the family (point 8)"),
    ("entries", "Visits and actions serving a statutory duty (duty)"),
    ("hours", "Hours of visits and actions"),
    ("court_letters", "Reports and opinions sent to the court"),
    ("meetings", "Interdisciplinary meetings"),
    ("caseload_avg", "Average caseload of the assistants at the end of the period"),
    ("caseload_max", "Largest caseload of an assistant at the end of the period"),
    ("caseload_limit", "Limit of families per assistant"),
]
FAMILY_SELECTORS = ("all", "new", "court", "za_zyciem", "foster_care")


def half_year(day):
    """The half-year before the one `day` is in: (first day, last day)."""
    if day.month > 6:
        return date(day.year, 1, 1), date(day.year, 6, 30)
    return date(day.year - 1, 7, 1), date(day.year - 1, 12, 31)


class AssistStatisticsRow(models.Model):
    """A row of the half-year report to the voivode (the family-assistant section
    of the "sprawozdanie rzeczowo-finansowe z wykonywania zadań z zakresu wspierania
    rodziny"): its code, its label, where it stands and what it counts. Data
    (data/assist_statistics_row_data.xml): a change of the CAS form is a change of
    these records. The head reads them; the administrator changes them."""

    _name = "assist.statistics.row"
    _description = "Row of the half-year report"
    _order = "sequence, id"

    code = fields.Char(required=True)
    name = fields.Char(
        string="Row", required=True, help="The label of the row as the form has it, in Polish."
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    section = fields.Selection(SECTIONS, required=True)
    measure = fields.Selection(MEASURES, required=True)
    selector = fields.Char(
        help="Narrows the measure: a form of employment, a kind of family, an end reason."
    )
    duty_id = fields.Many2one("assist.statutory.duty", string="Statutory duty")
    months_from = fields.Integer(string="Cooperation of at least (months)")
    months_to = fields.Integer(string="and less than (months)", help="0: no upper bound.")

    _sql_constraints = [("code_unique", "unique(code)", "A row code is used once.")]

    @api.constrains("measure", "selector")
    def _check_selector(self):
        allowed = {
            "assistants": {False, *dict(EMPLOYMENT_KINDS)},
            "families": {False, *FAMILY_SELECTORS},
            "ended": {False, *dict(END_REASONS)},
        }
        for row in self:
            if row.measure in allowed and (row.selector or False) not in allowed[row.measure]:
                raise ValidationError(
                    _(
                        "Row %(code)s: unknown selector %(selector)s.",
                        code=row.code,
                        selector=row.selector,
                    )
                )


class AssistStatistics(models.Model):
    """The half-year report to the voivode for one OPS (or the sum of several),
    computed from the cases: each figure is a line that opens the records it
    counted, and the checks list what would make a figure wrong. Issued, it is a
    Polish PDF and an XLSX, frozen with their SHA-256; issuing again makes the next
    version. Head of the OPS only."""

    _name = "assist.statistics"
    _inherit = ["mail.thread", "mail.activity.mixin", "assist.guard.mixin"]
    _description = "Half-year report to the voivode"
    _order = "date_from desc, version desc, id desc"

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company", string="OPS", required=True, default=lambda self: self.env.company
    )
    company_ids = fields.Many2many(
        "res.company",
        string="OPS counted",
        required=True,
        default=lambda self: self.env.company,
        help="The OPS whose cases the report counts: its own, or several for their sum.",
    )
    date_from = fields.Date(
        string="From",
        required=True,
        default=lambda self: half_year(fields.Date.context_today(self))[0],
    )
    date_to = fields.Date(
        string="To",
        required=True,
        default=lambda self: half_year(fields.Date.context_today(self))[1],
    )
    deadline = fields.Date(compute="_compute_deadline", string="Due to the voivode")
    state = fields.Selection(
        [("draft", "Draft"), ("issued", "Issued")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
    )
    version = fields.Integer(default=1, required=True, readonly=True)
    previous_id = fields.Many2one(
        "assist.statistics", string="Previous version", readonly=True, index=True
    )
    parent_id = fields.Many2one("assist.statistics", string="Sum report", readonly=True, index=True)
    child_ids = fields.One2many("assist.statistics", "parent_id", string="Reports of each OPS")
    line_ids = fields.One2many(
        "assist.statistics.line", "report_id", string="Figures", readonly=True
    )
    check_ids = fields.One2many(
        "assist.statistics.check", "report_id", string="Checks", readonly=True
    )
    check_count = fields.Integer(compute="_compute_check_count")
    computed_date = fields.Datetime(string="Computed on", readonly=True)
    checks_reviewed = fields.Boolean(
        string="Checks reviewed",
        help="The head has looked at every open check and issues the report as it is.",
    )
    prepared_by_id = fields.Many2one("res.users", string="Prepared by", readonly=True)
    issue_date = fields.Datetime(string="Issued on", readonly=True)
    pdf_attachment_id = fields.Many2one("ir.attachment", string="PDF", readonly=True)
    xlsx_attachment_id = fields.Many2one("ir.attachment", string="XLSX", readonly=True)
    pdf_sha256 = fields.Char(string="SHA-256 of the PDF", readonly=True)
    xlsx_sha256 = fields.Char(string="SHA-256 of the XLSX", readonly=True)

    @api.depends("date_from", "date_to", "version")
    def _compute_name(self):
        for report in self:
            report.name = _(
                "Report %(date_from)s – %(date_to)s, version %(version)s",
                date_from=report.date_from and report.date_from.strftime("%d.%m.%Y"),
                date_to=report.date_to and report.date_to.strftime("%d.%m.%Y"),
                version=report.version,
            )

    @api.depends("date_to", "company_id")
    def _compute_deadline(self):
        rules = self.env["assist.deadline.rule"].sudo()._rules_by_company(self.company_id)
        for report in self:
            rule = rules.get((report.company_id.id, "statistics"))
            report.deadline = rule and report.date_to and rule._due_date(report.date_to)

    def _compute_check_count(self):
        for report in self:
            report.check_count = len(report.check_ids)

    @api.constrains("date_from", "date_to", "company_ids")
    def _check_period(self):
        for report in self:
            if report.date_to < report.date_from:
                raise ValidationError(_("The period ends before it starts."))
            if (report.date_to - report.date_from).days > 366:
                raise ValidationError(_("A report covers at most a year."))
            if not self.env.su and report.company_ids - self.env.user.company_ids:
                raise ValidationError(_("A report counts only the OPS you work for."))

    # ------------------------------------------------------------ access
    def _check_head(self):
        if not self.env.su and not self.env.user.has_group("family_assistant.group_head"):
            raise AccessError(_("The report to the voivode is the head's."))

    def _lock_reason(self):
        self.ensure_one()
        if self.state == "issued":
            return _("An issued report stays as it was issued: make a new version.")
        return super()._lock_reason()

    def _check_draft(self):
        if self.filtered(lambda report: report.state != "draft"):
            raise UserError(_("An issued report stays as it was issued: make a new version."))

    # ------------------------------------------------------------ computing
    def action_compute(self):
        """Count every row from the records of the period, and list the checks.
        One query or two per row, whatever the number of cases."""
        self._check_head()
        self._check_draft()
        rows = self.env["assist.statistics.row"].search([])
        for report in self:
            period = _Period(report)
            lines = []
            for row in rows:
                value, records = getattr(report, f"_measure_{row.measure}")(row, period)
                lines.append(
                    Command.create(
                        {
                            "row_id": row.id,
                            "sequence": row.sequence,
                            "section": row.section,
                            "code": row.code,
                            "name": row.name,
                            "value": value,
                            "res_model": records._name if records is not None else False,
                            "res_ids": json.dumps(records.ids) if records is not None else "[]",
                        }
                    )
                )
            checks = [Command.create(vals) for vals in report._checks(period)]
            # sudo: figures and checks are written only here, by the computation
            report.sudo().write(
                {
                    "line_ids": [Command.clear(), *lines],
                    "check_ids": [Command.clear(), *checks],
                    "computed_date": fields.Datetime.now(),
                    "prepared_by_id": self.env.user.id,
                }
            )
        return True

    # every measure: (value, the records counted, or None when it counts none)
    def _measure_assistants(self, row, period):
        employments = period.employments()
        if row.selector:
            employments = employments.filtered(lambda e: e.kind == row.selector)
        return len(employments.user_id), employments.user_id

    def _measure_fte(self, row, period):
        employments = period.employments().filtered(lambda e: e.kind != "service")
        return round(sum(employments.mapped("fte")), 2), employments

    def _measure_families(self, row, period):
        cases = period.supported()
        selector = row.selector or "all"
        if selector == "new":
            cases = cases.filtered(lambda c: period.date_from <= c.work_start_date)
        elif selector in ("court", "za_zyciem"):
            cases = cases.filtered(lambda c: c.basis == selector)
        elif selector == "foster_care":
            in_care = period.families_with_children_in_foster_care()
            cases = cases.filtered(lambda c: c.children_in_foster_care or c.family_id.id in in_care)
        return len(cases.family_id), cases.family_id

    def _measure_children(self, row, period):
        children = period.children()
        return len(children), children

    def _measure_ended(self, row, period):
        cases = period.ended()
        if row.selector:
            cases = cases.filtered(lambda c: c.end_reason == row.selector)
        if row.months_from or row.months_to:
            cases = cases.filtered(
                lambda c: (
                    row.months_from <= period.months_of_cooperation(c)
                    and (not row.months_to or period.months_of_cooperation(c) < row.months_to)
                )
            )
        return len(cases.family_id), cases.family_id

    def _measure_monitoring(self, row, period):
        families = period.monitoring().family_id
        return len(families), families

    def _measure_monitoring_ended(self, row, period):
        families = period.monitoring_ended().family_id
        return len(families), families

    def _measure_reincluded(self, row, period):
        families = period.reincluded().family_id
        return len(families), families

    def _measure_visits(self, row, period):
        visits = period.visits([("counts_as_visit", "=", True)])
        return len(visits), visits

    def _measure_entries(self, row, period):
        visits = period.visits([("duty_ids", "in", row.duty_id.ids)])
        return len(visits), visits

    def _measure_hours(self, row, period):
        return period.hours(), period.visits()

    def _measure_court_letters(self, row, period):
        letters = period.court_letters()
        return len(letters), letters

    def _measure_meetings(self, row, period):
        meetings = period.meetings()
        return len(meetings), meetings

    def _measure_caseload_avg(self, row, period):
        loads = period.caseloads()
        value = round(sum(loads.values()) / len(loads), 2) if loads else 0
        return value, period.open_at_end()

    def _measure_caseload_max(self, row, period):
        loads = period.caseloads()
        return max(loads.values(), default=0), period.open_at_end()

    def _measure_caseload_limit(self, row, period):
        return max(self.company_ids.mapped("assist_max_families"), default=0), None

    # ------------------------------------------------------------ checks
    def _checks(self, period):
        """What would make a figure wrong, each with the record to fix."""
        checks = []

        def check(record, message):
            checks.append({"name": message, "res_model": record._name, "res_id": record.id})

        for case in period.ended().filtered(lambda c: not c.end_reason):
            check(
                case,
                _("%(case)s: the cooperation ended without an end reason.", case=case.display_name),
            )
        with_child = period.families_with_a_child()
        for family in period.supported().family_id:
            if family.id not in with_child:
                check(family, _("%(family)s: no child recorded.", family=family.name))
        for member in period.children_without_birth_date():
            check(
                member,
                _(
                    "%(member)s (%(family)s): no date of birth.",
                    member=member.name,
                    family=member.family_id.name,
                ),
            )
        employed = period.employments().user_id
        for assistant in period.supported().assistant_id - employed:
            check(
                assistant,
                _(
                    "%(assistant)s: no employment in the period (form of employment).",
                    assistant=assistant.name,
                ),
            )
        for case in period.supported():
            start = case.cooperation_start_date
            end = start and start + relativedelta(years=case.cooperation_years)
            if case.state == "cooperation" and end and end < period.date_to:
                check(
                    case,
                    _(
                        "%(case)s: cooperation still open after its %(years)s years (%(date)s).",
                        case=case.display_name,
                        years=case.cooperation_years,
                        date=format_date(self.env, end),
                    ),
                )
            dates = [
                ("request_date", case.request_date),
                ("work_start_date", case.work_start_date),
                ("cooperation_start_date", case.cooperation_start_date),
                ("monitoring_start_date", case.monitoring_start_date),
                ("closed_date", case.closed_date),
            ]
            known = [(name, day) for name, day in dates if day]
            if any(later < earlier for (_n1, earlier), (_n2, later) in pairwise(known)):
                check(
                    case,
                    _("%(case)s: the dates of the case are out of order.", case=case.display_name),
                )
        return checks

    def action_open_checks(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Checks"),
            "res_model": "assist.statistics.check",
            "view_mode": "list",
            "domain": [("report_id", "=", self.id)],
        }

    # ------------------------------------------------------------ issuing
    def action_issue(self):
        """Compute again, then freeze: the PDF and the XLSX with their SHA-256."""
        self.ensure_one()
        self._check_head()
        self._check_draft()
        self.action_compute()
        if self.check_ids and not self.checks_reviewed:
            raise UserError(
                _(
                    '%(count)s checks are open: fix them, or tick "Checks reviewed" to issue the '
                    "report as it is.",
                    count=len(self.check_ids),
                )
            )
        report = self.env.ref("family_assistant.action_report_assist_statistics")
        pdf, _kind = self.env["ir.actions.report"].sudo()._render_qweb_pdf(report, self.ids)
        xlsx = self.with_context(lang=self._document_lang())._xlsx()
        base = f"sprawozdanie-{self.date_from:%Y-%m}-{self.date_to:%Y-%m}-v{self.version}"
        Attachment = self.env["ir.attachment"].sudo()
        files = Attachment.create(
            [
                {
                    "name": f"{base}.pdf",
                    "raw": pdf,
                    "mimetype": "application/pdf",
                    "res_model": self._name,
                    "res_id": self.id,
                },
                {
                    "name": f"{base}.xlsx",
                    "raw": xlsx,
                    "mimetype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    "res_model": self._name,
                    "res_id": self.id,
                },
            ]
        )
        # sudo: the issue is written only here, after the checks above
        self.sudo().write(
            {
                "state": "issued",
                "issue_date": fields.Datetime.now(),
                "pdf_attachment_id": files[0].id,
                "xlsx_attachment_id": files[1].id,
                "pdf_sha256": hashlib.sha256(pdf).hexdigest(),
                "xlsx_sha256": hashlib.sha256(xlsx).hexdigest(),
            }
        )
        self.activity_feedback(["family_assistant.mail_activity_type_statistics"])
        self.message_post(
            body=_(
                "Issued, version %(version)s. SHA-256 of the PDF: %(sha)s",
                version=self.version,
                sha=self.pdf_sha256,
            )
        )
        return True

    def action_new_version(self):
        """An issued report stays; the next version is a new draft, computed again."""
        self.ensure_one()
        self._check_head()
        if self.state != "issued":
            raise UserError(_("Only an issued report gets a new version."))
        last = self.search(
            [
                ("company_id", "=", self.company_id.id),
                ("date_from", "=", self.date_from),
                ("date_to", "=", self.date_to),
            ],
            order="version desc",
            limit=1,
        )
        new = self.create(
            {
                "company_id": self.company_id.id,
                "company_ids": [Command.set(self.company_ids.ids)],
                "date_from": self.date_from,
                "date_to": self.date_to,
            }
        )
        # sudo: the version and its link are the system's
        new.sudo().write({"version": last.version + 1, "previous_id": self.id})
        new.action_compute()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": new.id,
            "view_mode": "form",
        }

    def action_split_by_ops(self):
        """A report of several OPS: one report of each, computed, under it."""
        self.ensure_one()
        self._check_head()
        if len(self.company_ids) < 2:
            raise UserError(_("The report counts one OPS only."))
        children = self.create(
            [
                {
                    "company_id": company.id,
                    "company_ids": [Command.set(company.ids)],
                    "date_from": self.date_from,
                    "date_to": self.date_to,
                }
                for company in self.company_ids
            ]
        )
        # sudo: the link to the sum is the system's
        children.sudo().write({"parent_id": self.id})
        children.action_compute()
        self.action_compute()
        return True

    def _document_lang(self):
        """In Polish like the annexes (`report_document` prints in it)."""
        return self.env["assist.document.mixin"]._document_lang()

    def _xlsx(self):
        """The figures as a spreadsheet: code, row, value, one sheet."""
        self.ensure_one()
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        sheet = workbook.add_worksheet(_("Report")[:31])
        bold = workbook.add_format({"bold": True})
        sheet.write(0, 0, self.name, bold)
        sheet.write(1, 0, ", ".join(self.company_ids.mapped("name")))
        sheet.write_row(3, 0, [_("Code"), _("Row"), _("Value")], bold)
        sections = dict(
            self.env["assist.statistics.line"]._fields["section"]._description_selection(self.env)
        )
        row_index, section = 4, None
        for line in self.line_ids.sorted("sequence"):
            if line.section != section:
                section = line.section
                sheet.write(row_index, 1, sections.get(section, section), bold)
                row_index += 1
            sheet.write_row(row_index, 0, [line.code, line.name, line.value])
            row_index += 1
        sheet.set_column(0, 0, 10)
        sheet.set_column(1, 1, 80)
        sheet.set_column(2, 2, 12)
        workbook.close()
        return output.getvalue()

    # ------------------------------------------------------------ deadline
    @api.model
    def _cron_statistics(self):
        """After each half-year: a draft report of every OPS for the past
        half-year, computed, with the head's to-do due by the statistics rule
        (31 July, 31 January). Once per OPS and half-year."""
        date_from, date_to = half_year(fields.Date.context_today(self))
        heads = self.env.ref("family_assistant.group_head").users
        activity_type = self.env.ref("family_assistant.mail_activity_type_statistics")
        done = (
            self.sudo()
            .search([("date_from", "=", date_from), ("date_to", "=", date_to)])
            .company_id
        )
        today = fields.Date.context_today(self)
        rules = (
            self.env["assist.deadline.rule"]
            .sudo()
            ._rules_by_company(self.env["res.company"].sudo().search([]))
        )
        for company in self.env["res.company"].sudo().search([]) - done:
            rule = rules.get((company.id, "statistics"))
            head = self.env["assist.assignment"]._head_of_ops(company)
            # only while the report is due (not for a half-year long reported)
            if not rule or not head or head not in heads or today > rule._due_date(date_to):
                continue
            report = self.sudo().create(
                {
                    "company_id": company.id,
                    "company_ids": [Command.set(company.ids)],
                    "date_from": date_from,
                    "date_to": date_to,
                }
            )
            report.action_compute()
            report.activity_schedule(
                activity_type_id=activity_type.id, user_id=head.id, date_deadline=report.deadline
            )


# The columns of a case the report reads, fetched with each search of cases.
CASE_FIELDS = [
    "name",
    "family_id",
    "assistant_id",
    "state",
    "basis",
    "children_in_foster_care",
    "end_reason",
    "request_date",
    "work_start_date",
    "cooperation_start_date",
    "cooperation_years",
    "monitoring_start_date",
    "monitoring_by",
    "closed_date",
    "caseload_weight",
]


class _Period:
    """The records of a report's period and OPS, each set searched once."""

    def __init__(self, report):
        self.report = report
        self.env = report.env
        self.date_from = report.date_from
        self.date_to = report.date_to
        self.companies = report.company_ids
        self._cache = {}

    def _once(self, key, function):
        if key not in self._cache:
            self._cache[key] = function()
        return self._cache[key]

    def _cases(self, domain):
        """The cases of the OPS matching `domain`, their columns the report reads
        fetched with the search (one query, however many cases)."""
        Case = self.env["assist.assignment"].with_context(active_test=False)
        return Case.search_fetch([("company_id", "in", self.companies.ids), *domain], CASE_FIELDS)

    def supported(self):
        """Cases whose work (from the first meeting) overlapped the period."""
        return self._once(
            "supported",
            lambda: self._cases(
                [
                    ("work_start_date", "!=", False),
                    ("work_start_date", "<=", self.date_to),
                    "|",
                    ("closed_date", "=", False),
                    ("closed_date", ">=", self.date_from),
                ]
            ),
        )

    def ended(self):
        """Cases whose cooperation ended in the period: monitoring began, or the
        case closed without one."""
        return self._once(
            "ended",
            lambda: self._cases(
                [
                    ("work_start_date", "!=", False),
                    "|",
                    "&",
                    ("monitoring_start_date", ">=", self.date_from),
                    ("monitoring_start_date", "<=", self.date_to),
                    "&",
                    "&",
                    ("monitoring_start_date", "=", False),
                    ("closed_date", ">=", self.date_from),
                    ("closed_date", "<=", self.date_to),
                ]
            ),
        )

    def months_of_cooperation(self, case):
        end = case.monitoring_start_date or case.closed_date
        delta = relativedelta(end, case.work_start_date)
        return delta.years * 12 + delta.months

    def monitoring(self):
        return self._once(
            "monitoring",
            lambda: self._cases(
                [
                    ("monitoring_start_date", "!=", False),
                    ("monitoring_start_date", "<=", self.date_to),
                    "|",
                    ("closed_date", "=", False),
                    ("closed_date", ">=", self.date_from),
                ]
            ),
        )

    def monitoring_ended(self):
        return self._once(
            "monitoring_ended",
            lambda: self._cases(
                [
                    ("monitoring_start_date", "!=", False),
                    ("closed_date", ">=", self.date_from),
                    ("closed_date", "<=", self.date_to),
                ]
            ),
        )

    def reincluded(self):
        return self._once(
            "reincluded",
            lambda: self._cases(
                [
                    ("previous_assignment_id", "!=", False),
                    ("state", "not in", ("cancelled",)),
                    ("request_date", ">=", self.date_from),
                    ("request_date", "<=", self.date_to),
                ]
            ),
        )

    def _members(self, domain):
        Member = self.env["assist.family.member"].with_context(active_test=False)
        return Member.search([("family_id", "in", self.supported().family_id.ids), *domain])

    def children(self):
        """Children under 18 at the end of the period in the families supported
        (the month of birth, kept when a family is anonymised; a child without a
        date of birth counts, and is a check)."""
        adult_from = self.date_to - relativedelta(years=18)
        return self._once(
            "children",
            lambda: self._members(
                [
                    ("role", "=", "child"),
                    "|",
                    ("birth_month", "=", False),
                    ("birth_month", ">", adult_from),
                ]
            ),
        )

    def children_without_birth_date(self):
        return self._members([("role", "=", "child"), ("birth_month", "=", False)])

    def _families_of(self, domain):
        Member = self.env["assist.family.member"].with_context(active_test=False)
        groups = Member._read_group(
            [("family_id", "in", self.supported().family_id.ids), *domain], ["family_id"]
        )
        return {family.id for (family,) in groups}

    def families_with_a_child(self):
        return self._once("with_child", lambda: self._families_of([("role", "=", "child")]))

    def families_with_children_in_foster_care(self):
        return self._once(
            "in_foster_care", lambda: self._families_of([("in_foster_care", "=", True)])
        )

    def employments(self):
        Employment = self.env["assist.employment"]
        return self._once(
            "employments",
            lambda: Employment.search(
                [
                    ("company_id", "in", self.companies.ids),
                    *Employment._overlapping_domain(self.date_from, self.date_to),
                ]
            ),
        )

    def _visit_domain(self):
        return [
            ("company_id", "in", self.companies.ids),
            ("date", ">=", self.date_from),
            ("date", "<=", self.date_to),
        ]

    def visits(self, domain=()):
        """The visits and actions of the period (narrowed by `domain`): their ids
        only, one query each."""
        return self._once(
            ("visits", repr(domain)),
            lambda: self.env["assist.visit"].search([*self._visit_domain(), *domain]),
        )

    def hours(self):
        [(hours,)] = self.env["assist.visit"]._read_group(
            self._visit_domain(), aggregates=["duration:sum"]
        )
        return round(hours or 0, 2)

    def court_letters(self):
        return self._once(
            "court_letters",
            lambda: self.env["assist.court.letter"].search(
                [
                    ("company_id", "in", self.companies.ids),
                    ("kind", "in", ("report", "opinion")),
                    ("state", "=", "sent"),
                    ("date", ">=", self.date_from),
                    ("date", "<=", self.date_to),
                ]
            ),
        )

    def meetings(self):
        end = fields.Datetime.to_datetime(self.date_to) + relativedelta(days=1)
        return self._once(
            "meetings",
            lambda: self.env["assist.meeting"].search(
                [
                    ("company_id", "in", self.companies.ids),
                    ("date", ">=", fields.Datetime.to_datetime(self.date_from)),
                    ("date", "<", end),
                ]
            ),
        )

    def open_at_end(self):
        """Cases an assistant worked on at the end of the period (monitoring by
        the area worker aside)."""
        return self._once(
            "open_at_end",
            lambda: self._cases(
                [
                    ("assistant_id", "!=", False),
                    ("work_start_date", "!=", False),
                    ("work_start_date", "<=", self.date_to),
                    ("monitoring_by", "!=", "worker"),
                    "|",
                    ("closed_date", "=", False),
                    ("closed_date", ">", self.date_to),
                ]
            ),
        )

    def caseloads(self):
        """{assistant: weighted number of families} at the end of the period."""

        def count():
            loads = {}
            for case in self.open_at_end():
                loads[case.assistant_id] = loads.get(case.assistant_id, 0) + case.caseload_weight
            return loads

        return self._once("caseloads", count)


class AssistStatisticsLine(models.Model):
    """A figure of a report: the row it counts, its value, and the records it
    counted (opened by `action_open_records`)."""

    _name = "assist.statistics.line"
    _description = "Figure of the half-year report"
    _order = "sequence, id"

    report_id = fields.Many2one("assist.statistics", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="report_id.company_id", store=True)
    row_id = fields.Many2one(
        "assist.statistics.row", string="Row definition", readonly=True, ondelete="set null"
    )
    sequence = fields.Integer(readonly=True)
    section = fields.Selection(SECTIONS, readonly=True)
    code = fields.Char(readonly=True)
    name = fields.Char(string="Row", readonly=True)
    value = fields.Float(readonly=True, digits=(16, 2))
    res_model = fields.Char(readonly=True)
    res_ids = fields.Text(readonly=True)
    record_count = fields.Integer(string="Records", compute="_compute_record_count")
    value_text = fields.Char(string="Figure", compute="_compute_value_text")

    @api.depends("value")
    def _compute_value_text(self):
        for line in self:
            line.value_text = line._value_text()

    def _value_text(self):
        """The value as the report prints it: a whole number, or two decimals."""
        self.ensure_one()
        if float(self.value).is_integer():
            return str(int(self.value))
        return f"{self.value:.2f}".replace(".", ",")

    def _compute_record_count(self):
        for line in self:
            line.record_count = len(json.loads(line.res_ids or "[]"))

    def action_open_records(self):
        """The records this figure counted, as the head may read them."""
        self.ensure_one()
        if not self.res_model:
            raise UserError(_("This figure counts no records."))
        return {
            "type": "ir.actions.act_window",
            "name": self.name,
            "res_model": self.res_model,
            "view_mode": "list,form",
            "views": [(False, "list"), (False, "form")],
            "domain": [("id", "in", json.loads(self.res_ids or "[]"))],
            "context": {"active_test": False, "create": False},
        }


class AssistStatisticsCheck(models.Model):
    """A record that would make a figure of the report wrong, to fix before the
    report goes to the voivode."""

    _name = "assist.statistics.check"
    _description = "Check of the half-year report"
    _order = "id"

    report_id = fields.Many2one("assist.statistics", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="report_id.company_id", store=True)
    name = fields.Char(string="What to fix", readonly=True)
    res_model = fields.Char(readonly=True)
    res_id = fields.Integer(readonly=True)

    def action_open_record(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
