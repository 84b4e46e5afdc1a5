from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import FamilyAssistantCase


@tagged("post_install", "-at_install")
class TestApproval(FamilyAssistantCase):
    def test_head_approves_through_wizard(self):
        request = self._submitted_request()
        action = request.with_user(self.head).action_open_approve_wizard()
        self.assertEqual(action["res_model"], "assist.assignment.approve")
        wizard_model = self.env["assist.assignment.approve"].with_user(self.head)
        with Form(wizard_model.with_context(action["context"])) as wizard:
            self.assertEqual(wizard.family_id, self.family)
            wizard.assistant_id = self.assistant
            self.assertEqual(wizard.assistant_caseload, 0)
            self.assertEqual(wizard.max_families, 15)
        wizard.record.action_confirm()
        self.assertEqual(request.state, "approved")
        self.assertEqual(request.assistant_id, self.assistant)
        self.assertEqual(request.decision_user_id, self.head)
        self.assertTrue(request.decision_date)
        decision = self.env.ref("family_assistant.mail_activity_type_decision")
        self.assertFalse(
            request.activity_ids.filtered(lambda a: a.activity_type_id == decision),
            "the head's to-do is done",
        )
        handover = request.activity_ids.filtered("assist_rule_id")
        self.assertEqual(handover.user_id, self.worker, "the worker hands the documents over next")
        self.assertIn(self.assistant.partner_id, request.message_partner_ids)
        self.assertEqual(self.assistant.assist_caseload, 1)

    def test_assistant_list_shows_caseload(self):
        self._approve(self._submitted_request(), self.assistant)
        names = dict(
            self.env["res.users"]
            .with_user(self.head)
            .with_context(assist_show_caseload=True)
            .name_search("Assistant", args=[("id", "in", (self.assistant | self.assistant2).ids)])
        )
        self.assertEqual(names[self.assistant.id], "Anna Assistant (1/15)")
        self.assertEqual(names[self.assistant2.id], "Piotr Assistant (0/15)")
        self.assertEqual(self.assistant.display_name, "Anna Assistant")

    def test_head_rejects_with_reason(self):
        request = self._submitted_request()
        action = request.with_user(self.head).action_open_reject_wizard()
        wizard = (
            self.env["assist.assignment.reject"]
            .with_user(self.head)
            .with_context(action["context"])
            .create({"reason": "Rodzina objęta innym wsparciem."})
        )
        wizard.action_confirm()
        self.assertEqual(request.state, "rejected")
        self.assertEqual(request.rejection_reason, "Rodzina objęta innym wsparciem.")
        self.assertEqual(request.decision_user_id, self.head)
        self.assertFalse(request.assistant_id)

    def test_rejection_needs_reason(self):
        request = self._submitted_request()
        with self.assertRefused(ValidationError, "Podaj powód odrzucenia"):
            request.with_user(self.head)._reject("   ")
        self.assertEqual(request.state, "submitted")

    def test_worker_and_assistant_cannot_approve_over_rpc(self):
        request = self._submitted_request()
        for user in (self.worker, self.assistant, self.plain_user):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self._approve(request, self.assistant, user=user)
                with self.assertRaises(AccessError):
                    request.with_user(user).action_open_approve_wizard()
                with self.assertRaises(AccessError):
                    request.with_user(user).action_open_reject_wizard()
                with self.assertRaises(AccessError):
                    self.env["assist.assignment.reject"].with_user(user).create(
                        {"assignment_id": request.id, "reason": "x"}
                    )
                with self.assertRaises(AccessError):
                    request.with_user(user)._approve(self.assistant)
        self.assertEqual(request.state, "submitted")
        self.assertFalse(request.assistant_id)

    def test_approving_a_draft_refused(self):
        request = self._make_request()
        with self.assertRefused(UserError, "jest jeszcze projektem"):
            self._approve(request, self.assistant)
        self.assertEqual(request.state, "draft")

    def test_approving_twice_refused(self):
        request = self._submitted_request()
        self._approve(request, self.assistant)
        with self.assertRefused(UserError, "już zdecydowano"):
            self._approve(request, self.assistant2)
        with self.assertRefused(UserError, "już zdecydowano"):
            request.with_user(self.head)._reject("Zmiana decyzji")
        self.assertEqual(request.assistant_id, self.assistant)

    def test_assistant_must_be_in_assistant_group(self):
        request = self._submitted_request()
        for not_assistant in (self.worker, self.plain_user):
            with (
                self.subTest(user=not_assistant.login),
                self.assertRefused(ValidationError, "nie jest asystentem rodziny"),
            ):
                self._approve(request, not_assistant)
        self.assertEqual(request.state, "submitted")

    def test_assistant_of_another_ops_refused(self):
        other_ops = self.env["res.company"].create({"name": "OPS Inny"})
        outsider = self.assistant2
        outsider.write({"company_ids": [(6, 0, other_ops.ids)], "company_id": other_ops.id})
        request = self._submitted_request()
        with self.assertRefused(ValidationError, "nie pracuje w jednostce"):
            self._approve(request, outsider)

    def test_sixteenth_family_refused(self):
        families = self.env["assist.family"].create(
            [{"name": f"Rodzina {i}", "worker_id": self.worker.id} for i in range(16)]
        )
        requests = self.env["assist.assignment"].create(
            [self._request_vals(family) for family in families]
        )
        requests.with_user(self.worker).action_submit()
        for request in requests[:15]:
            self._approve(request, self.assistant)
        self.assertEqual(self.assistant.assist_caseload, 15)
        with self.assertRefused(ValidationError, "limit wynosi 15"):
            self._approve(requests[15], self.assistant)
        self.assertEqual(requests[15].state, "submitted")
        self._approve(requests[15], self.assistant2)
        self.assertEqual(requests[15].assistant_id, self.assistant2)

    def test_difficult_family_counts_twice(self):
        self.company.assist_max_families = 2
        easy = self._submitted_request()
        self._approve(easy, self.assistant)
        self.family2.difficulty = "high"
        difficult = self._submitted_request(self.family2)
        self.assertEqual(difficult.caseload_weight, 2)
        with self.assertRefused(ValidationError, "limit wynosi 2"):
            self._approve(difficult, self.assistant)
        self._approve(difficult, self.assistant2)
        self.assertEqual(self.assistant2.assist_caseload, 2)

    def test_limit_never_above_fifteen(self):
        with self.assertRefused(ValidationError, "od 1 do 15"):
            self.company.assist_max_families = 16
        with self.assertRaises(ValidationError):
            self.company.assist_max_families = 0
        settings = self.env["res.config.settings"].create({"assist_max_families": 10})
        settings.execute()
        self.assertEqual(self.company.assist_max_families, 10)

    def test_assistant_reads_assignment_but_cannot_change_it(self):
        request = self._submitted_request()
        self._approve(request, self.assistant)
        mine = request.with_user(self.assistant)
        self.assertEqual(mine.family_id.name, "Kowalscy")
        with self.assertRaises(AccessError):
            mine.write({"justification": "x"})
        self.assertFalse(
            self.env["assist.assignment"]
            .with_user(self.assistant2)
            .search([("id", "=", request.id)])
        )
