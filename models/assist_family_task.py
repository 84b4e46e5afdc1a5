from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .stages import ASSESSMENT_STATES


class AssistFamilyTask(models.Model):
    """The family's work log (annex 9): tasks the assistant gives the family
    during cooperation (point 10.2) and what came of them.

    Assistant: writes them. Social worker and head: read them.
    """

    _name = "assist.family.task"
    _description = "Family task"
    _inherit = ["assist.case.mixin"]
    _anonymise_fields = ("name", "result")
    _order = "date_given desc, id desc"
    _case_states = ASSESSMENT_STATES

    name = fields.Char(string="Task", required=True)
    member_id = fields.Many2one(
        "assist.family.member", string="For", domain="[('family_id', '=', family_id)]"
    )
    date_given = fields.Date(required=True, default=fields.Date.context_today)
    deadline = fields.Date()
    state = fields.Selection(
        [("open", "In progress"), ("done", "Done"), ("not_done", "Not done")],
        default="open",
        required=True,
    )
    result = fields.Text()
    result_date = fields.Date()

    @api.constrains("date_given", "deadline", "result_date")
    def _check_task_dates(self):
        for task in self:
            for later in (task.deadline, task.result_date):
                if later and later < task.date_given:
                    raise ValidationError(
                        _("The deadline and the result of a task come after it is given.")
                    )

    def _chronology_event(self):
        return (self.date_given, _("Family task"), self.name)
