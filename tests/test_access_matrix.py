"""Access tests generated from tests/access_matrix.py: every model and every
action, for every role, in two OPS. Calls go through the models as the users
(`with_user`), as RPC would: a hidden button is never what protects them."""

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .access_matrix import ACTIONS, MODELS, ROLES
from .common import FamilyAssistantCase

OPERATIONS = {"c": "create", "r": "read", "w": "write", "u": "unlink"}


@tagged("post_install", "-at_install")
class TestAccessMatrix(FamilyAssistantCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.role_users = {"worker": cls.worker, "assistant": cls.assistant, "head": cls.head}

    def test_every_model_is_declared(self):
        ours = {
            name
            for name, model in self.env.registry.items()
            if name.startswith("assist.") and not model._abstract
        }
        self.assertEqual(ours - MODELS.keys(), set(), "a model without a declared access")

    def test_access_rights_match_the_matrix(self):
        Access = self.env["ir.model.access"]
        for model, rights in MODELS.items():
            for role in ROLES:
                for letter, operation in OPERATIONS.items():
                    expected = letter in rights.get(role, "")
                    with self.subTest(model=model, role=role, operation=operation):
                        allowed = Access.with_user(self.role_users[role]).check(
                            model, operation, raise_exception=False
                        )
                        self.assertEqual(allowed, expected)
            with self.subTest(model=model, role="plain user"):
                self.assertFalse(
                    Access.with_user(self.plain_user).check(model, "read", raise_exception=False)
                )

    # ---------------------------------------------------------- the actions
    # the record an action is called on, in the stage it is called in
    def _fixture_statistics(self):
        return self.env["assist.statistics"].create(
            {"date_from": "2026-01-01", "date_to": "2026-06-30"}
        )

    def _fixture_draft_request(self):
        return self._make_request(self._fresh_family())

    def _fixture_submitted_request(self):
        return self._submitted_request(self._fresh_family())

    def _fixture_approved_case(self):
        return self._approved_case(self._fresh_family())

    def _fixture_handover_case(self):
        case = self._approved_case(self._fresh_family())
        self._handover(case)
        return case

    def _fixture_diagnosis_case(self):
        return self._diagnosis_case(family=self._fresh_family())

    def _fixture_cooperation_case(self):
        return self._cooperation_case(family=self._fresh_family())

    def _fixture_draft_handover(self):
        case = self._approved_case(self._fresh_family())
        return self.env["assist.document.handover"].create(
            {
                "assignment_id": case.id,
                "line_ids": [Command.create({"name": "Wywiad"})],
            }
        )

    def _fixture_draft_consent(self):
        case = self._approved_case(self._fresh_family())
        self._handover(case)
        return self.env["assist.consent"].create({"assignment_id": case.id, "decision": "refused"})

    def _fixture_draft_plan(self):
        return self.env["assist.plan"].create(
            {"assignment_id": self._diagnosis_case(family=self._fresh_family()).id}
        )

    def _fixture_active_plan(self):
        return self._cooperation_case(family=self._fresh_family()).active_plan_id

    def _fixture_draft_assessment(self):
        return self.env["assist.assessment"].create(
            {
                "assignment_id": self._diagnosis_case(family=self._fresh_family()).id,
                "kind": "initial",
            }
        )

    def _fixture_draft_report(self):
        return self.env["assist.monthly.report"].create(
            {"assignment_id": self._cooperation_case(family=self._fresh_family()).id}
        )

    def _fixture_change(self):
        return self.env["assist.situation.change"].create(
            {
                "assignment_id": self._cooperation_case(family=self._fresh_family()).id,
                "description": "Zmiana",
            }
        )

    def _fixture_court_notification(self):
        case = self._cooperation_case(family=self._fresh_family())
        return case._create_court_notification("Brak współpracy")

    def _fixture_draft_head_request(self):
        return self.env["assist.head.request"].create(
            {
                "assignment_id": self._cooperation_case(family=self._fresh_family()).id,
                "kind": "end_support",
                "end_reason": "goals_achieved",
            }
        )

    def _fixture_submitted_head_request(self):
        return self._head_request(
            self._cooperation_case(family=self._fresh_family()),
            kind="end_support",
            end_reason="goals_achieved",
        )

    def _fixture_closed_family(self):
        request = self._submitted_request(self._fresh_family())
        request.with_user(self.head)._reject("Brak podstaw.")
        return request.family_id

    def _fixture_member(self):
        return self.env["assist.family.member"].create(
            {"family_id": self._fresh_family().id, "name": "Joanna Kowalska"}
        )

    def _fixture_done_periodic_assessment(self):
        case = self._cooperation_case(family=self._fresh_family())
        assessment = self.env["assist.assessment"].create(
            {
                "assignment_id": case.id,
                "kind": "periodic",
                "period_start": case.cooperation_start_date,
                "period_end": case.cooperation_start_date,
            }
        )
        assessment.action_done()
        return assessment

    def _fixture_worker_monitoring_case(self):
        case = self._cooperation_case(family=self._fresh_family())
        case._start_monitoring(0, "no_cooperation")
        return case

    def _fixture_common_rule(self):
        return self.env.ref("family_assistant.deadline_rule_visit")

    def test_actions_by_role(self):
        for (model, method), (fixture, allowed) in ACTIONS.items():
            for role in (*ROLES, "other_assistant", "other_worker"):
                user = {
                    **self.role_users,
                    "other_assistant": self.assistant2,
                    "other_worker": self.worker2,
                }[role]
                # each call on a fixture of its own, rolled back after: the fixtures
                # would otherwise fill the assistant's caseload
                with (
                    self.subTest(action=f"{model}.{method}", role=role),
                    self.env.cr.savepoint() as savepoint,
                ):
                    record = getattr(self, f"_fixture_{fixture}")().with_user(user)
                    if role in allowed:
                        try:
                            getattr(record, method)()
                        except (UserError, ValidationError) as error:
                            # allowed: a business rule may still say no, not the access
                            self.assertNotIsInstance(error, AccessError)
                    else:
                        with self.assertRaises(AccessError):
                            getattr(record, method)()
                    savepoint.rollback()
                self.env.invalidate_all()

    # ---------------------------------------------------------- two OPS
    def test_second_ops_sees_nothing_of_the_first(self):
        ops_b = self.env["res.company"].create({"name": "OPS Drugi"})

        def user_b(login, group):
            return new_test_user(
                self.env,
                login=login,
                groups=f"base.group_user,family_assistant.{group}",
                company_id=ops_b.id,
                company_ids=[Command.set(ops_b.ids)],
                lang="pl_PL",
            )

        head_b = user_b("head_b", "group_head")
        worker_b = user_b("worker_b", "group_worker")
        assistant_b = user_b("assistant_b", "group_assistant")
        case = self._cooperation_case(family=self._fresh_family())
        self.env["assist.visit"].with_user(self.assistant).create(
            {"assignment_id": case.id, "duration": 1.0}
        )
        for user in (head_b, worker_b, assistant_b):
            for model, rights in MODELS.items():
                if (
                    "r"
                    not in rights.get(
                        "head" if user == head_b else "worker" if user == worker_b else "assistant",
                        "",
                    )
                    or model.startswith("auditlog")
                    or model
                    in (
                        # common data of every OPS
                        "assist.support.area",
                        "assist.deadline.rule",
                        "assist.statutory.duty",
                        "assist.statistics.row",
                    )
                ):
                    continue
                if self.env[model]._transient:
                    continue
                with self.subTest(user=user.login, model=model):
                    self.assertFalse(self.env[model].with_user(user).search([]))
        # the audit log of OPS A (its entries and their lines) is not OPS B's
        family_a = case.family_id
        family_a.with_user(self.head).read(["name", "street"])
        case.family_id.member_ids[:1].with_user(self.head).read(["name", "pesel"])
        for user in (head_b, worker_b, assistant_b):
            for model in ("auditlog.log", "auditlog.log.line"):
                with self.subTest(user=user.login, model=model):
                    if user == head_b:
                        self.assertFalse(self.env[model].with_user(user).search([]))
                    else:
                        with self.assertRaises(AccessError):
                            self.env[model].with_user(user).search([])
        # onchange and chosen records: no record of OPS A computes or names anything
        # for OPS B, on any model of the procedure and any field that holds one
        targets = {
            "assist.assignment": case,
            "assist.family": family_a,
            "assist.family.member": family_a.member_ids[:1],
            "assist.plan": case.active_plan_id,
            "assist.assessment": case.assessment_ids[:1],
            "assist.meeting": self.env["assist.meeting"].create(
                {"assignment_id": case.id, "participant_ids": [Command.create({"name": "X"})]}
            ),
            "assist.head.request": self._head_request(
                self._cooperation_case(family=self._fresh_family()),
                kind="end_support",
                end_reason="goals_achieved",
            ),
        }
        onchanges = 0
        for name in self.env.registry.descendants(["assist.onchange.mixin"], "_inherit"):
            Model = self.env[name]
            if Model._abstract:
                continue
            for field_name, field in Model._fields.items():
                target = targets.get(field.comodel_name)
                if field.type != "many2one" or not target:
                    continue
                for user in (head_b, worker_b, assistant_b):
                    with (
                        self.subTest(user=user.login, model=name, field=field_name),
                        self.assertRaises(AccessError),
                    ):
                        Model.with_user(user).onchange(
                            {field_name: target.id},
                            [field_name],
                            {field_name: {"fields": {"display_name": {}}}},
                        )
                    onchanges += 1
        self.assertGreater(onchanges, 50)
        # and OPS A's head cannot assign OPS B's assistant
        with self.assertRefused(ValidationError, "nie pracuje w jednostce"):
            self._approve(self._submitted_request(self.family2), assistant_b)
        # a family of OPS B cannot be given to OPS A's worker by OPS B's head
        family_b = (
            self.env["assist.family"]
            .with_user(head_b)
            .create({"name": "Rodzina B", "worker_id": worker_b.id})
        )
        self.assertEqual(family_b.company_id, ops_b)
        self.assertFalse(
            self.env["assist.family"].with_user(self.head).search([("id", "=", family_b.id)])
        )

    def test_retention_setting_and_limits(self):
        with self.assertRefused(ValidationError, "co najmniej rok"):
            self.company.assist_retention_years = 0
        self.company.assist_retention_years = 5
        self.assertEqual(self.company.assist_retention_years, 5)
        self.assertTrue(fields.Date.today())

    def test_worker_of_another_ops_refused(self):
        ops_b = self.env["res.company"].create({"name": "OPS Trzeci"})
        worker_b = new_test_user(
            self.env,
            login="worker_c",
            groups="base.group_user,family_assistant.group_worker",
            company_id=ops_b.id,
            company_ids=[Command.set(ops_b.ids)],
        )
        with self.assertRaises(UserError):
            self.family.write({"worker_id": worker_b.id})
