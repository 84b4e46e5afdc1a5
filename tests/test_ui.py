from odoo.modules.module import get_manifest, get_modules
from odoo.tests import HttpCase, new_test_user, tagged

from .common import FamilyAssistantCase

DEMO_LOGINS = ("pracownik", "asystent", "asystent2", "kierownik")


@tagged("post_install", "-at_install")
class TestDemoLogins(HttpCase):
    """What `make run` promises: the login page, and each demo user logs in and
    sees what their role allows."""

    def test_login_page(self):
        response = self.url_open("/web/login")
        self.assertEqual(response.status_code, 200)
        self.assertIn('name="login"', response.text)

    def test_demo_users_log_in_and_see_their_role(self):
        Family = self.env["assist.family"]
        demo_families = Family.search([]).filtered(lambda f: f.get_external_id()[f.id])
        visible = {}
        for login in DEMO_LOGINS:
            with self.subTest(login=login):
                self.authenticate(login, login)
                response = self.url_open("/odoo/action-family_assistant.assist_family_action")
                self.assertEqual(response.status_code, 200)
                user = self.env["res.users"].search([("login", "=", login)])
                self.assertEqual(user.lang, "pl_PL")
                visible[login] = Family.with_user(user).search([("id", "in", demo_families.ids)])
        self.assertEqual(visible["kierownik"], demo_families)
        self.assertEqual(visible["pracownik"], demo_families, "the worker of every demo family")
        self.assertTrue(visible["asystent"])
        self.assertTrue(visible["asystent2"])
        self.assertFalse(visible["asystent"] & visible["asystent2"])
        self.assertLess(len(visible["asystent"]), len(demo_families))


@tagged("post_install", "-at_install")
class TestApprovalTour(HttpCase):
    """In a real browser: the head opens a request waiting for a decision and
    approves it through the wizard, choosing an assistant."""

    def test_head_approves_in_browser(self):
        head = new_test_user(
            self.env,
            login="tour_head",
            password="tour_head_pw",
            groups="base.group_user,family_assistant.group_head",
            name="Tour Head",
        )
        assistant = new_test_user(
            self.env,
            login="tour_assistant",
            groups="base.group_user,family_assistant.group_assistant",
            name="Zofia Tourowa",
        )
        family = self.env["assist.family"].create({"name": "Tourowie", "worker_id": head.id})
        request = self.env["assist.assignment"].create(FamilyAssistantCase._request_vals(family))
        request.with_user(head).action_submit()

        # CPython 3.11 may fail when two request threads parse Python at once
        # ("SystemError: AST constructor recursion depth mismatch",
        # python/cpython#106905): read every manifest now, in this thread, so that
        # the server's threads find them cached instead of parsing them together.
        for module in get_modules():
            get_manifest(module)
        self.start_tour("/odoo", "family_assistant_approve_tour", login="tour_head")

        self.assertEqual(request.state, "approved")
        self.assertEqual(request.assistant_id, assistant)
        self.assertEqual(request.decision_user_id, head)
