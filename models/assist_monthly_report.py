from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date


class AssistMonthlyReport(models.Model):
    """Point 11, annex 14: the monthly report on the work with one family, due
    by the 5th of the next month; its figures come from that month's visits.

    Assistant: writes and submits it. Social worker and head: read it.
    """

    _name = "assist.monthly.report"
    _description = "Monthly report"
    _inherit = ["assist.case.mixin", "assist.document.mixin"]
    _anonymise_fields = ("institution_contacts", "actions_summary", "assessment")
    _order = "month desc, id desc"
    _case_states = ("handover", "diagnosis", "cooperation", "monitoring")

    month = fields.Date(
        required=True,
        default=lambda self: (
            fields.Date.context_today(self).replace(day=1) - relativedelta(months=1)
        ),
        help="Any day of the month reported on; stored as its first day.",
    )
    name = fields.Char(compute="_compute_name", store=True)
    visit_count = fields.Integer(
        string="Visits and actions", compute="_compute_figures", store=True
    )
    hours = fields.Float(compute="_compute_figures", store=True)
    institution_contacts = fields.Text(compute="_compute_figures", store=True, readonly=False)
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
        for vals in vals_list:
            if vals.get("month"):
                vals["month"] = fields.Date.to_date(vals["month"]).replace(day=1)
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and any(report.state == "submitted" for report in self):
            raise UserError(_("A submitted monthly report is kept as it was."))
        if vals.get("month"):
            vals["month"] = fields.Date.to_date(vals["month"]).replace(day=1)
        return super().write(vals)

    @api.depends("month", "assignment_id.name")
    def _compute_name(self):
        for report in self:
            report.name = _(
                "%(case)s, %(month)s",
                case=report.assignment_id.name,
                month=format_date(self.env, report.month, date_format="LLLL yyyy"),
            )

    @api.depends("month", "assignment_id")
    def _compute_figures(self):
        visits_by_case = {}
        for visit in self.env["assist.visit"].search(
            [("assignment_id", "in", self.assignment_id.ids)]
        ):
            visits_by_case.setdefault(visit.assignment_id.id, []).append(visit)
        for report in self:
            month_visits = [
                visit
                for visit in visits_by_case.get(report.assignment_id.id, [])
                if report.month and visit.date.replace(day=1) == report.month.replace(day=1)
            ]
            report.visit_count = len(month_visits)
            report.hours = sum(visit.duration for visit in month_visits)
            report.institution_contacts = "\n".join(
                f"{format_date(self.env, visit.date)}: {visit.institution}"
                for visit in month_visits
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
        """Fill the figures again from the month's visits."""
        self._compute_figures()
        return True

    def action_submit(self):
        for report in self:
            report.assignment_id._check_case_role("assistant")
            if report.state != "draft":
                raise UserError(_("This monthly report has already been submitted."))
        self._compute_figures()
        # sudo: the state is written only here, after the checks above.
        self.sudo().write({"state": "submitted", "submit_date": fields.Date.context_today(self)})
        self.assignment_id._sync_deadlines()
        return True

    def _chronology_event(self):
        return (self.submit_date or self.month, _("Monthly report"), self.name)
