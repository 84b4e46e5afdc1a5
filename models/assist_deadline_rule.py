from datetime import timedelta

import holidays

from odoo import api, fields, models

# What starts each deadline; the engine in assist_assignment_deadlines.py knows
# them. Days and who acts are data, an OPS changes them.
RULE_CODES = [
    ("handover", "Hand the documents to the assistant"),
    ("start_work", "Start work with the family"),
    ("start_work_court", "Start work, court-ordered"),
    ("diagnosis_plan", "Diagnosis and work plan"),
    ("visit", "Visit the family"),
    ("monthly_report", "Monthly report"),
    ("assessment", "Periodic assessment and plan update"),
    ("cooperation_end", "End of the cooperation period"),
    ("monitoring_end", "End of monitoring"),
    ("situation_change", "Family tells the worker of a change"),
]


class AssistDeadlineRule(models.Model):
    """A deadline of the procedure (DESIGN §3) as data: what starts it, how many
    calendar or working days (Polish public holidays excluded), who acts, the
    activity it becomes and when it is escalated to the head.

    Head of the OPS: adapts them. Everybody else: reads them.
    """

    _name = "assist.deadline.rule"
    _description = "Deadline rule"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    code = fields.Selection(RULE_CODES, string="Starts with", required=True)
    company_id = fields.Many2one(
        "res.company",
        string="OPS",
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
    escalate_after_days = fields.Integer(
        string="Escalate after (days)",
        default=3,
        help="When the deadline is overdue by this many days the head is told, once. 0: never.",
    )

    _sql_constraints = [
        ("code_company_unique", "unique(code, company_id)", "One rule per deadline and OPS."),
    ]

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
