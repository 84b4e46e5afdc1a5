from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .stages import ASSESSMENT_STATES


class AssistAssessment(models.Model):
    """The assessment of the family's situation: the initial diagnosis (point
    10.1, annex 5) and the periodic assessment at least every 6 months (annex 7,
    reported as annex 15), after which the plan gets a new version.

    Assistant: writes and completes it. Social worker and head: read it.
    """

    _name = "assist.assessment"
    _description = "Assessment of the family's situation"
    _inherit = ["assist.case.mixin", "assist.document.mixin"]
    _anonymise_fields = ("problems", "needs", "strengths", "work_done", "effects", "plan_changes")
    _order = "date desc, id desc"
    _case_states = ASSESSMENT_STATES
    _locked_states = ("done",)

    kind = fields.Selection(
        [("initial", "Diagnosis (annex 5)"), ("periodic", "Periodic assessment (annexes 7, 15)")],
        required=True,
        default="initial",
    )
    date = fields.Date(required=True, default=fields.Date.context_today)
    period_start = fields.Date(string="Period from")
    period_end = fields.Date(string="Period to")
    line_ids = fields.One2many("assist.assessment.line", "assessment_id", string="Areas")
    problems = fields.Text(string="Problems and difficulties")
    needs = fields.Text(string="Needs and expectations of the family")
    strengths = fields.Text(string="Strengths and resources")
    work_done = fields.Text()
    effects = fields.Text()
    plan_changes = fields.Text(string="Changes to the plan")
    recommendation = fields.Selection(
        [
            ("continue", "Continue cooperation"),
            ("extend", "Extend cooperation"),
            ("end_monitoring", "End support and start monitoring"),
            ("end", "End support"),
        ]
    )
    state = fields.Selection(
        [("draft", "Draft"), ("done", "Completed")],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
    )
    plan_id = fields.Many2one("assist.plan", string="New plan version", readonly=True, copy=False)
    # annex 15: the head approves the assistant's periodic report ("Zatwierdził")
    approved_by_id = fields.Many2one("res.users", string="Approved by", readonly=True, copy=False)
    approved_date = fields.Date(string="Approved on", readonly=True, copy=False)

    @api.constrains("period_start", "period_end")
    def _check_period(self):
        for assessment in self:
            if (
                assessment.period_start
                and assessment.period_end
                and assessment.period_start > assessment.period_end
            ):
                raise ValidationError(_("The period of the assessment ends before it starts."))

    def _locked_message(self):
        return _("A completed assessment is kept as it was.")

    def action_done(self):
        """Complete the assessment; a periodic one opens a new version of the plan."""
        for assessment in self:
            assessment.assignment_id._check_case_role("assistant")
            if assessment.state != "draft":
                raise UserError(_("This assessment has already been completed."))
            if assessment.kind == "periodic" and not (
                assessment.period_start and assessment.period_end
            ):
                raise UserError(_("Give the period of the periodic assessment."))
        for assessment in self:
            plan = assessment.assignment_id.active_plan_id
            new_plan = (
                plan._new_version(assessment) if assessment.kind == "periodic" and plan else False
            )
            # sudo: completed assessments are read-only; written only here.
            assessment.sudo().write({"state": "done", "plan_id": new_plan and new_plan.id})
            if assessment.kind == "periodic":
                # annex 15: the head approves the assistant's periodic report
                assessment.assignment_id._schedule_head_activity(
                    "family_assistant.mail_activity_type_assessment_approval"
                )
        self.assignment_id._sync_deadlines()
        return True

    def action_approve(self):
        """The head approves a completed periodic assessment (annex 15)."""
        for assessment in self:
            assessment.assignment_id._check_case_role("head")
            if assessment.kind != "periodic" or assessment.state != "done":
                raise UserError(_("The head approves a completed periodic assessment."))
            if assessment.approved_by_id:
                raise UserError(_("This assessment has already been approved."))
        # sudo: the approval is written only here, after the checks above.
        self.sudo().write(
            {"approved_by_id": self.env.uid, "approved_date": fields.Date.context_today(self)}
        )
        self.assignment_id.sudo().activity_feedback(
            ["family_assistant.mail_activity_type_assessment_approval"]
        )
        return True

    def _assessed_plan(self):
        """The plan version a periodic assessment assessed (annex 7): the one its new
        version was made from, else the plan in force, else the latest that was."""
        self.ensure_one()
        plans = self.assignment_id.plan_ids.filtered(
            lambda plan: plan.state != "draft" and plan != self.plan_id
        )
        return (
            self.plan_id.previous_plan_id
            or plans.filtered(lambda plan: plan.state == "active")[:1]
            or plans.sorted("version", reverse=True)[:1]
        )

    def _chronology_event(self):
        kind = self._fields["kind"].convert_to_export(self.kind, self)
        return (self.date, _("Assessment"), kind)


class AssistAssessmentLine(models.Model):
    """One area of the assessment: how the family stands there (annex 5)."""

    _name = "assist.assessment.line"
    _inherit = ["assist.guard.mixin"]
    _description = "Area of the assessment"
    _order = "sequence, id"
    _lock_parent = "assessment_id"
    _anonymise_fields = ("note",)

    assessment_id = fields.Many2one("assist.assessment", required=True, ondelete="cascade")
    company_id = fields.Many2one(related="assessment_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    area_id = fields.Many2one("assist.support.area", string="Area", required=True)
    resource_level = fields.Selection(
        [("held", "Held"), ("at_risk", "At risk"), ("missing", "Missing")],
        string="Resources",
        required=True,
        default="held",
    )
    note = fields.Text()
