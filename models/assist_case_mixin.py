from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from .assist_assignment import CLOSED_STATES


class AssistCaseMixin(models.AbstractModel):
    """A record of a family-assistant case (visit, plan, assessment, report...).

    It hangs from an assignment and follows its access: record rules on
    `assignment_id` give it to the assignment's assistant, the family's worker and
    the head. `_case_roles` says which of them may create and edit it; records of
    a closed case are kept as they are.
    """

    _name = "assist.case.mixin"
    _description = "Record of a family-assistant case"

    # Who may create and edit: "assistant" (of this assignment, or the worker who
    # monitors it), "worker" (of the family or the request), "head".
    _case_roles = ("assistant",)
    # Free-text fields about the family, emptied when the family is anonymised.
    _anonymise_fields = ()
    # The assignment states in which such records are made.
    _case_states = ("handover", "diagnosis", "cooperation", "monitoring")

    assignment_id = fields.Many2one(
        "assist.assignment",
        string="Assignment",
        required=True,
        ondelete="restrict",
        index=True,
    )
    family_id = fields.Many2one(related="assignment_id.family_id", store=True, index=True)
    company_id = fields.Many2one(related="assignment_id.company_id", store=True, index=True)

    @api.model_create_multi
    def create(self, vals_list):
        # checked before anything is written, so that the caller gets this message
        # rather than a database error
        assignments = self.env["assist.assignment"].browse(
            {vals["assignment_id"] for vals in vals_list if vals.get("assignment_id")}
        )
        self._check_case_access(assignments)
        return super().create(vals_list)

    def write(self, vals):
        self._check_case_access(self.assignment_id, writing=True)
        if vals.get("assignment_id"):
            self._check_case_access(self.env["assist.assignment"].browse(vals["assignment_id"]))
        return super().write(vals)

    @api.model
    def _check_case_access(self, assignments, writing=False):
        """The caller's role on the assignments, and their stage."""
        if self.env.su:
            return
        for assignment in assignments:
            if not assignment._user_has_case_role(self._case_roles):
                raise AccessError(
                    _(
                        "You cannot record this for the case %(name)s: it is done by "
                        "its family assistant, social worker or the head, as the "
                        "procedure says.",
                        name=assignment.name,
                    )
                )
            if assignment.state in CLOSED_STATES:
                raise UserError(
                    _(
                        "The case %(name)s is closed: its records are kept as they are.",
                        name=assignment.name,
                    )
                )
            if not writing and assignment.state not in self._case_states:
                raise UserError(
                    _(
                        "%(record)s cannot be recorded at this stage of the case "
                        "%(name)s (%(stage)s).",
                        record=self._description,
                        name=assignment.name,
                        stage=assignment._fields["state"].convert_to_export(
                            assignment.state, assignment
                        ),
                    )
                )

    def _anonymise(self):
        """Empty the free text about the family (the records stay, with their dates
        and kinds, so that the statistics stay true). Called under sudo."""
        if not self._anonymise_fields:
            return
        self.write(
            {name: "—" if self._fields[name].required else False for name in self._anonymise_fields}
        )

    @api.model
    def _action_for_assignment(self, assignment, name):
        """The window action listing this model's records of `assignment`."""
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": self._name,
            "view_mode": "list,form",
            "domain": [("assignment_id", "=", assignment.id)],
            "context": {"default_assignment_id": assignment.id},
        }
