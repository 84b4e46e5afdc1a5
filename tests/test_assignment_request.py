from datetime import date, timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import FamilyAssistantCase


@tagged("post_install", "-at_install")
class TestAssignmentRequest(FamilyAssistantCase):
    def test_worker_creates_request_with_case_number(self):
        request = self._make_request()
        other = self._make_request(self.family2)
        self.assertEqual(request.state, "draft")
        self.assertEqual(request.worker_id, self.worker)
        self.assertRegex(request.name, r"^AR/\d{4}/\d{4}$")
        self.assertNotEqual(request.name, other.name)

    def test_request_through_form(self):
        form = Form(self.env["assist.assignment"].with_user(self.worker))
        form.family_id = self.family
        form.basis = "interview"
        form.grounds = "institution_report"
        form.referring_institution = "Szkoła Podstawowa"
        form.interview_date = fields.Date.today()
        form.justification = "Zgłoszenie szkoły."
        request = form.save()
        self.assertEqual(request.family_id, self.family)
        self.assertEqual(request.grounds, "institution_report")

    def test_interview_date_required(self):
        requests = self.env["assist.assignment"].with_user(self.worker)
        with self.assertRefused(ValidationError, "Podaj datę wywiadu środowiskowego"):
            requests.create(self._request_vals(self.family, interview_date=False))
        self.assertFalse(requests.search([("family_id", "=", self.family.id)]))

    def test_interview_date_in_future(self):
        tomorrow = fields.Date.today() + timedelta(days=1)
        with self.assertRefused(ValidationError, "z przyszłości"):
            self._make_request(interview_date=tomorrow)

    def test_grounds_required_after_interview(self):
        with self.assertRefused(ValidationError, "Wybierz przesłankę"):
            self._make_request(grounds=False)

    def test_za_zyciem_needs_no_interview(self):
        request = self._make_request(
            basis="za_zyciem",
            grounds=False,
            interview_date=False,
            za_zyciem_category="ill_child",
        )
        self.assertFalse(request.interview_required)
        self.assertEqual(request.state, "draft")

    def test_court_order_needs_court_and_case_number(self):
        court = self._court_vals(date(2026, 11, 3))
        for missing in ("court_name", "court_case_number", "court_info_received_date"):
            with (
                self.subTest(missing=missing),
                self.assertRefused(ValidationError, "postanowienia sądu wymaga"),
            ):
                self._make_request(**dict(court, **{missing: False}))
        request = self._make_request(**court)
        self.assertEqual(request.court_case_number, "III Nsm 1/26")

    def test_submit(self):
        request = self._make_request()
        request.with_user(self.worker).action_submit()
        self.assertEqual(request.state, "submitted")
        self.assertTrue(request.submit_date)
        head_todo = request.activity_ids.filtered(lambda a: a.user_id == self.head)
        self.assertEqual(head_todo.activity_type_id.name, "Decide on the request")

    def test_submit_twice_refused(self):
        request = self._submitted_request()
        with self.assertRefused(UserError, "został już złożony"):
            request.with_user(self.worker).action_submit()
        self.assertEqual(len(request.activity_ids.filtered(lambda a: a.user_id == self.head)), 1)

    def test_assistant_cannot_submit(self):
        request = self._make_request()
        with self.assertRaises(AccessError):
            request.with_user(self.assistant).action_submit()
        self.assertEqual(request.state, "draft")

    def test_worker_cannot_submit_another_workers_request(self):
        request = self._make_request(self.family2)
        with self.assertRaises(AccessError):
            request.with_user(self.worker).action_submit()
        self.assertEqual(request.state, "draft")

    def test_workflow_fields_not_writable_over_rpc(self):
        request = self._submitted_request()
        for user in (self.worker, self.head):
            for vals in (
                {"state": "approved"},
                {"assistant_id": self.assistant.id},
                {"decision_user_id": user.id},
            ):
                with self.subTest(user=user.login, vals=vals), self.assertRaises(AccessError):
                    request.with_user(user).write(vals)
        self.assertEqual(request.state, "submitted")
        self.assertFalse(request.assistant_id)

    def test_cannot_create_request_already_approved(self):
        with self.assertRaises(AccessError):
            self._make_request(state="approved", assistant_id=self.assistant.id)

    def test_editing_decided_request_refused(self):
        request = self._submitted_request()
        request.with_user(self.worker).write({"justification": "Uzupełnione uzasadnienie."})
        self._approve(request, self.assistant)
        for user in (self.worker, self.head):
            with (
                self.subTest(user=user.login),
                self.assertRefused(UserError, "nie można go edytować"),
            ):
                request.with_user(user).write({"justification": "Zmiana po decyzji."})
        self.assertEqual(request.justification, "Uzupełnione uzasadnienie.")

    def test_second_open_request_for_family_refused(self):
        self._make_request()
        with self.assertRefused(ValidationError, "ma już otwarty przydział"):
            self._make_request()

    def test_new_request_after_rejection(self):
        request = self._submitted_request()
        request.with_user(self.head)._reject("Brak podstaw.")
        self.assertEqual(self._make_request().state, "draft")

    def test_cancel_and_delete(self):
        draft = self._make_request()
        draft.with_user(self.worker).unlink()
        self.assertFalse(draft.exists())
        submitted = self._submitted_request()
        with self.assertRefused(UserError, "Usunąć można tylko projekt"):
            submitted.with_user(self.worker).unlink()
        submitted.with_user(self.worker).action_cancel()
        self.assertEqual(submitted.state, "cancelled")
        self.assertFalse(submitted.activity_ids)
        with self.assertRaises(UserError):
            submitted.with_user(self.worker).action_cancel()

    def test_family_with_history_cannot_be_deleted(self):
        self._make_request()
        with self.assertRaises(UserError):
            self.family.unlink()

    def test_worker_sees_own_requests_only(self):
        mine = self._make_request()
        theirs = self._make_request(self.family2)
        found = self.env["assist.assignment"].with_user(self.worker).search([])
        self.assertIn(mine, found)
        self.assertNotIn(theirs, found)
        with self.assertRaises(AccessError):
            theirs.with_user(self.worker).read(["justification"])
