from datetime import timedelta

import holidays

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError

# A deadline further than this is a typing error (days).
MAX_DAYS = 366

# What starts each deadline; the engine in assist_deadline_mixin.py knows
# them. Days and who acts are data, an OPS changes them.
RULE_CODES = [
    ("handover", "Hand the documents to the assistant"),
    ("start_work", "Start work with the family"),
    ("start_work_court", "Start work, court-ordered"),
    ("diagnosis_plan", "Diagnosis and work plan"),
    ("visit", "Visit the family"),
    ("monthly_report", "Monthly report"),
    ("assessment", "Periodic assessment and plan update"),
    ("plan_update", "New version of the plan"),
    ("cooperation_end", "End of the cooperation period"),
    ("monitoring_end", "End of monitoring"),
    ("monitoring_limit", "Six months of monitoring"),
    ("situation_change", "Family tells the worker of a change"),
    # the OPS's, not a case's: after each half-year (assist.statistics)
    ("statistics", "Half-year report to the voivode"),
]


class AssistDeadlineRule(models.Model):
    """A deadline of the procedure (DESIGN §3) as data: what starts it, how many
    calendar or working days (Polish public holidays excluded), who acts, the
    activity it becomes and when it is escalated to the head.

    Head of the OPS: adapts them for their OPS (a common rule, without an OPS, is
    every OPS's: the head adapts it with `action_adapt`, which makes the rule of
    their OPS that overrides it). Everybody else: reads them.
    """

    _name = "assist.deadline.rule"
    _inherit = ["assist.guard.mixin"]
    _description = "Deadline rule"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    code = fields.Selection(RULE_CODES, string="Starts with", required=True)
    company_id = fields.Many2one(
        "res.company",
        string="OPS",
        default=lambda self: self.env.company,
        help="Empty: the rule of every OPS that has no rule of its own for this deadline.",
    )
    days = fields.Integer(required=True)
    day_type = fields.Selection(
        [("calendar", "Calendar days"), ("working", "Working days")],
        required=True,
        default="calendar",
    )
    responsible = fields.Selection(
        [("worker", "Social worker"), ("assistant", "Family assistant"), ("head", "Head")],
        string="Who acts",
        required=True,
    )
    activity_type_id = fields.Many2one(
        "mail.activity.type",
        required=True,
        default=lambda self: self.env.ref("mail.mail_activity_data_todo"),
    )
    procedure_point = fields.Char(help="The point of the procedure the deadline comes from.")
    visits_required = fields.Integer(
        string="Visits required in the period",
        default=1,
        help="For the visits of point 8 (1 to 2 a week): how many meetings with the family "
        "the period of the rule's days must hold.",
    )
    escalate_after_days = fields.Integer(
        string="Escalate after (days)",
        default=3,
        help="When the deadline is overdue by this many days the head is told, once. 0: never.",
    )

    _sql_constraints = [
        ("code_company_unique", "unique(code, company_id)", "One rule per deadline and OPS."),
    ]

    @api.constrains("days", "escalate_after_days", "visits_required")
    def _check_days(self):
        for rule in self:
            if not (0 <= rule.days <= MAX_DAYS and 0 <= rule.escalate_after_days <= MAX_DAYS):
                raise ValidationError(
                    _(
                        "The days of a deadline and of its escalation are from 0 to %(max)s.",
                        max=MAX_DAYS,
                    )
                )
            if not 1 <= rule.visits_required <= 7:
                raise ValidationError(_("A period requires from 1 to 7 visits."))

    def action_adapt(self):
        """Make this common rule the head's own: a copy for their OPS, which the
        deadlines of their cases follow from now on."""
        if "head" not in self._user_roles():
            raise AccessError(_("The head of the OPS adapts the deadlines."))
        company = self.env.company
        own = self.search([("company_id", "=", company.id), ("code", "in", self.mapped("code"))])
        for rule in self.filtered(lambda r: not r.company_id and r.code not in own.mapped("code")):
            rule.copy({"company_id": company.id, "name": rule.name})
        return True

    def _due_date(self, start):
        """`start` plus the rule's days, calendar or working ones."""
        self.ensure_one()
        if self.day_type == "calendar" or self.days <= 0:
            return start + timedelta(days=self.days)
        public_holidays = holidays.Poland(years=range(start.year, start.year + 2))
        day, left = start, self.days
        while left:
            day += timedelta(days=1)
            if day.weekday() < 5 and day not in public_holidays:
                left -= 1
        return day

    @api.model
    def _rules_by_company(self, companies):
        """{(company id, code): rule}, a company's own rule before the common one."""
        rules = self.search([("company_id", "in", [False, *companies.ids])])
        result = {}
        for company in companies:
            for rule in rules.sorted(lambda r: bool(r.company_id)):
                if rule.company_id in (company, self.env["res.company"]):
                    result[company.id, rule.code] = rule
        return result
