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

    def test_odoo_demo_users_do_not_log_in(self):
        """Odoo's own demo accounts are archived in the demo database."""
        for login in ("demo", "portal"):
            with self.subTest(login=login):
                user = (
                    self.env["res.users"]
                    .with_context(active_test=False)
                    .search([("login", "=", login)])
                )
                self.assertTrue(user, "the base demo user exists")
                self.assertFalse(user.active)
                response = self.url_open(
                    "/web/login",
                    data={"login": login, "password": login, "csrf_token": self._csrf()},
                )
                self.assertNotIn("/odoo", response.url)

    def _csrf(self):
        page = self.url_open("/web/login").text
        return page.split('name="csrf_token" value="')[1].split('"')[0]

    def test_personal_data_export_is_downloaded_not_stored(self):
        """The head downloads a person's data; nothing is stored, the export is in the
        audit log; anybody else is refused."""
        member = self.env.ref("family_assistant.member_kowalska_joanna")
        attachments = self.env["ir.attachment"].search_count([])
        url = f"/family_assistant/personal_data/{member.id}"
        self.authenticate("asystent", "asystent")
        refused = self.url_open(url)
        self.assertNotEqual(refused.status_code, 200)
        self.assertNotIn(member.pesel or "-", refused.text)
        self.authenticate("kierownik", "kierownik")
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment", response.headers["Content-Disposition"])
        self.assertEqual(response.headers["Cache-Control"], "no-store")
        data = response.json()
        self.assertEqual(data["person"][0]["name"], member.name)
        self.assertEqual(self.env["ir.attachment"].search_count([]), attachments)
        head = self.env.ref("family_assistant.user_kierownik")
        self.assertTrue(
            self.env["auditlog.log"].search(
                [
                    ("method", "=", "export_personal_data"),
                    ("res_id", "=", member.id),
                    ("user_id", "=", head.id),
                ]
            )
        )


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
