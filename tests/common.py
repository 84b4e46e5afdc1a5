import base64
from contextlib import contextmanager
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import TransactionCase, new_test_user

# Valid PESEL numbers (checksum and date) of made-up people.
PESEL_MOTHER = "88031212344"  # born 1988-03-12
PESEL_CHILD = "12252034524"  # born 2012-05-20


class FamilyAssistantCase(TransactionCase):
    """A user per role, one family per worker and helpers to make requests.

    The users work in Polish, as the real ones do (make test installs Polish): the
    tests check the messages they get."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.assist_max_families = 15

        def user(login, group, **kw):
            return new_test_user(
                cls.env,
                login=login,
                groups=f"base.group_user,family_assistant.{group}",
                lang="pl_PL",
                **kw,
            )

        cls.worker = user("fa_worker", "group_worker", name="Ewa Worker")
        cls.worker2 = user("fa_worker2", "group_worker", name="Olga Worker")
        cls.assistant = user("fa_assistant", "group_assistant", name="Anna Assistant")
        cls.assistant2 = user("fa_assistant2", "group_assistant", name="Piotr Assistant")
        cls.head = user("fa_head", "group_head", name="Maria Head")
        cls.plain_user = new_test_user(
            cls.env, login="fa_plain", groups="base.group_user", lang="pl_PL"
        )

        cls.family = cls._make_family("Kowalscy", cls.worker)
        cls.family2 = cls._make_family("Nowakowie", cls.worker2)

    @classmethod
    def _make_family(cls, name, worker, **vals):
        families = cls.env["assist.family"].with_user(worker)
        return families.create({"name": name, "city": "Zbąszynek", **vals}).with_env(cls.env)

    @classmethod
    def _request_vals(cls, family, **vals):
        return {
            "family_id": family.id,
            "basis": "interview",
            "grounds": "care_difficulties",
            "interview_date": fields.Date.today(),
            "justification": "Trudności opiekuńczo-wychowawcze.",
            **vals,
        }

    @staticmethod
    def _court_vals(received, case_number="III Nsm 1/26"):
        """A court-ordered request: no interview, the court's data instead."""
        return {
            "basis": "court",
            "grounds": False,
            "interview_date": False,
            "court_name": "Sąd Rejonowy w Świebodzinie",
            "court_case_number": case_number,
            "court_info_received_date": received,
        }

    @classmethod
    def _make_request(cls, family=None, worker=None, **vals):
        family = family or cls.family
        worker = worker or family.worker_id
        requests = cls.env["assist.assignment"].with_user(worker)
        return requests.create(cls._request_vals(family, **vals)).with_env(cls.env)

    @classmethod
    def _submitted_request(cls, family=None, **vals):
        request = cls._make_request(family, **vals)
        request.with_user(request.worker_id).action_submit()
        return request

    def _fresh_family(self):
        """Another family of the worker (a family has one open case at a time)."""
        count = self.env["assist.family"].search_count([])
        return self._make_family(f"Rodzina {count + 1}", self.worker)

    # ---------------------------------------------------------- a case, stage by stage
    def _approved_case(self, family=None, assistant=None, **vals):
        request = self._submitted_request(family, **vals)
        self._approve(request, assistant or self.assistant)
        return request

    def _handover(self, case, worker=None):
        handover = (
            self.env["assist.document.handover"]
            .with_user(worker or case.worker_id)
            .create(
                {
                    "assignment_id": case.id,
                    "line_ids": [
                        Command.create({"name": "Wywiad środowiskowy"}),
                        Command.create({"name": "Plan pomocy"}),
                    ],
                }
            )
        )
        handover.action_confirm()
        return handover

    def _first_meeting(self, case, decision="given", **vals):
        member = self.env["assist.family.member"].create(
            {
                "family_id": case.family_id.id,
                "name": "Joanna Kowalska",
                "role": "mother",
                "birth_date": "1988-03-12",
            }
        )
        consent = (
            self.env["assist.consent"]
            .with_user(case.assistant_id)
            .create(
                {
                    "assignment_id": case.id,
                    "decision": decision,
                    "member_ids": [Command.set(member.ids)],
                    **vals,
                }
            )
        )
        consent.action_confirm()
        return consent

    def _diagnosis_case(self, **vals):
        case = self._approved_case(**vals)
        self._handover(case)
        self._first_meeting(case)
        return case

    def _active_plan(self, case):
        plan = (
            self.env["assist.plan"]
            .with_user(case.assistant_id)
            .create(
                {
                    "assignment_id": case.id,
                    "family_agreed_date": fields.Date.today(),
                    "goal_ids": [
                        Command.create(
                            {
                                "name": "Regularna obecność dzieci w szkole",
                                "action_ids": [
                                    Command.create(
                                        {
                                            "name": "Codzienne odprowadzanie dzieci",
                                            "expected_effect": "Frekwencja powyżej 90%",
                                            "responsible": "family",
                                            "deadline": fields.Date.today() + timedelta(days=90),
                                        }
                                    )
                                ],
                            }
                        )
                    ],
                }
            )
        )
        plan.with_user(case.family_id.worker_id).action_confirm_consultation()
        plan.action_activate()
        return plan

    def _cooperation_case(self, **vals):
        case = self._diagnosis_case(**vals)
        assistant_case = case.with_user(case.assistant_id)
        assistant_case.action_complete_info_card()
        diagnosis = (
            self.env["assist.assessment"]
            .with_user(case.assistant_id)
            .create(
                {"assignment_id": case.id, "kind": "initial", "problems": "Zaległości w opłatach."}
            )
        )
        diagnosis.action_done()
        self._active_plan(case)
        assistant_case.action_start_cooperation()
        return case

    def _head_request(self, case, **vals):
        request = (
            self.env["assist.head.request"]
            .with_user(case.assistant_id)
            .create({"assignment_id": case.id, **vals})
        )
        request.action_submit()
        return request

    def _decide(self, request, approve=True, **vals):
        wizard = (
            self.env["assist.head.request.decide"]
            .with_user(self.head)
            .create(
                {"request_id": request.id, "decision": "approve" if approve else "reject", **vals}
            )
        )
        return wizard.action_confirm()

    def _monitoring_case(self, end_reason="goals_achieved", **vals):
        case = self._cooperation_case(**vals)
        statement = (
            {
                "resignation_date": fields.Date.today(),
                "resignation_document": base64.b64encode(b"%PDF-1.4 oswiadczenie"),
                "resignation_filename": "rezygnacja.pdf",
            }
            if end_reason == "resignation"
            else {}
        )
        request = self._head_request(
            case,
            kind="end_support",
            end_reason=end_reason,
            monitoring_months=3,
            results="Cele planu osiągnięte.",
            **statement,
        )
        self._decide(request)
        return case

    def _flush_tracking(self):
        """Odoo writes tracking messages when the transaction commits: do it now."""
        self.env.flush_all()
        self.env.cr.precommit.run()

    @contextmanager
    def assertRefused(self, exception, pattern):
        """Like assertRaisesRegex, but inside a savepoint rolled back on the error (as
        Odoo's assertRaises does), so that the test can check nothing was written."""
        with self.assertRaises(exception) as caught:
            yield caught
        self.assertRegex(str(caught.exception), pattern)

    def _approve(self, request, assistant, user=None):
        """Approve through the head's wizard, as `user` (the head by default)."""
        wizard = (
            self.env["assist.assignment.approve"]
            .with_user(user or self.head)
            .create({"assignment_id": request.id, "assistant_id": assistant.id})
        )
        return wizard.action_confirm()
