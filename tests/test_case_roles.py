from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import FamilyAssistantCase

# model: (values of a valid record, roles that may create it on a case in cooperation)
CASE_RECORDS = {
    "assist.visit": ({"duration": 1.0}, {"assistant"}),
    "assist.assessment": ({"kind": "initial"}, {"assistant"}),
    "assist.plan": ({}, {"assistant"}),
    "assist.family.task": ({"name": "Zadanie"}, {"assistant"}),
    "assist.note": ({"name": "Notatka", "body": "Treść"}, {"assistant", "worker"}),
    "assist.situation.change": ({"description": "Zmiana"}, {"assistant"}),
    "assist.monthly.report": ({}, {"assistant"}),
    "assist.meeting": ({"participant_ids": [(0, 0, {"name": "Jan Nowak"})]}, {"assistant"}),
    "assist.court.letter": ({"subject": "Sprawozdanie"}, {"assistant", "head"}),
    "assist.head.request": (
        {"kind": "end_support", "end_reason": "goals_achieved"},
        {"assistant"},
    ),
}


@tagged("post_install", "-at_install")
class TestCaseRoles(FamilyAssistantCase):
    """Each record of a case is made by the role the procedure gives it to, and
    refused to everybody else, over RPC too (with_user + create)."""

    def test_who_records_what(self):
        case = self._cooperation_case()
        users = {
            "assistant": self.assistant,
            "worker": self.worker,
            "head": self.head,
            "other_assistant": self.assistant2,
            "other_worker": self.worker2,
            "plain": self.plain_user,
        }
        for model, (vals, allowed) in CASE_RECORDS.items():
            for role, user in users.items():
                with self.subTest(model=model, role=role):
                    records = self.env[model].with_user(user)
                    if role in allowed:
                        record = records.create({"assignment_id": case.id, **vals})
                        self.assertEqual(record.assignment_id, case)
                    else:
                        with self.assertRaises(AccessError):
                            records.create({"assignment_id": case.id, **vals})

    def test_others_cannot_read_the_case_records(self):
        case = self._cooperation_case()
        self.env["assist.visit"].with_user(self.assistant).create(
            {"assignment_id": case.id, "duration": 1.0}
        )
        for model in CASE_RECORDS:
            with self.subTest(model=model):
                self.assertFalse(
                    self.env[model]
                    .with_user(self.assistant2)
                    .search([("assignment_id", "=", case.id)])
                )
                self.assertFalse(
                    self.env[model]
                    .with_user(self.worker2)
                    .search([("assignment_id", "=", case.id)])
                )
        self.assertEqual(
            self.env["assist.visit"]
            .with_user(self.head)
            .search_count([("assignment_id", "=", case.id)]),
            1,
        )

    def test_case_records_are_not_deleted(self):
        case = self._cooperation_case()
        visit = (
            self.env["assist.visit"]
            .with_user(self.assistant)
            .create({"assignment_id": case.id, "duration": 1.0, "start": fields.Datetime.now()})
        )
        for user in (self.assistant, self.worker, self.head):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                visit.with_user(user).unlink()
        with self.assertRaises(AccessError):
            case.active_plan_id.with_user(self.assistant).unlink()
