import base64
from pathlib import Path
from unittest.mock import patch

from odoo import fields
from odoo.modules.module import get_manifest, get_module_path, get_modules
from odoo.tests import HttpCase, tagged
from odoo.tests.common import ChromeBrowser

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

    def test_the_rpc_api_creates_audited_records(self):
        """`create` over RPC (the documented external API, call_kw) on a model the
        audit log follows: the log's wrapper keeps the marks of Odoo's API."""
        self.authenticate("pracownik", "pracownik")
        family_id = self.make_jsonrpc_request(
            "/web/dataset/call_kw/assist.family/create",
            {
                "model": "assist.family",
                "method": "create",
                "args": [{"name": "Rodzina przez RPC"}],
                "kwargs": {},
            },
        )
        family = self.env["assist.family"].browse(family_id)
        self.assertEqual(family.name, "Rodzina przez RPC")
        log = self.env["auditlog.log"].search(
            [("model_id.model", "=", "assist.family"), ("res_id", "=", family_id)]
        )
        self.assertEqual(log.method, "create")

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


SCREENSHOT = "fa-screenshot:"
SCREENSHOTS = Path(get_module_path("family_assistant")) / "docs" / "screenshots"


class ScreenshotBrowser(ChromeBrowser):
    """Odoo's test browser, which also saves a screenshot of the page into
    docs/screenshots/<name>.png when a tour step logs "fa-screenshot:<name>"."""

    def __init__(self, *args, **kwargs):
        self._screenshots = []
        super().__init__(*args, **kwargs)

    def _handle_console(self, type, args=None, stackTrace=None, **kw):  # pylint: disable=redefined-builtin
        message = str(self._from_remoteobject(args[0])) if args else ""
        if type == "log" and message.startswith(SCREENSHOT):
            name = message[len(SCREENSHOT) :]
            future = self._websocket_send("Page.captureScreenshot", with_future=True)
            future.add_done_callback(lambda done: self._save_screenshot(name, done))
            self._screenshots.append(future)
            return None
        return super()._handle_console(type, args, stackTrace, **kw)

    def _save_screenshot(self, name, done):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        (SCREENSHOTS / f"{name}.png").write_bytes(base64.b64decode(done.result()["data"]))

    def stop(self):
        for future in self._screenshots:
            future.result(timeout=30)
        super().stop()


def read_manifests():
    """CPython 3.11 may fail when two request threads parse Python at once
    ("SystemError: AST constructor recursion depth mismatch", python/cpython#106905):
    read every manifest now, in this thread, so that the server's threads find them
    cached instead of parsing them together."""
    for module in get_modules():
        get_manifest(module)


class RoleTourCase(HttpCase):
    """Runs a role's tour from the role's home, as the demo user of that role, and
    checks the screenshot of the home it took."""

    def _tour(self, tour, login, screenshot):
        read_manifests()
        path = SCREENSHOTS / f"{screenshot}.png"
        before = path.stat().st_mtime if path.exists() else 0
        with patch("odoo.tests.common.ChromeBrowser", ScreenshotBrowser):
            self.start_tour("/odoo", tour, login=login)
        self.assertGreater(path.stat().st_mtime, before, f"{path.name} taken by the tour")
        self.assertEqual(path.read_bytes()[:8], b"\x89PNG\r\n\x1a\n")


@tagged("post_install", "-at_install")
class TestRoleTours(RoleTourCase):
    """In a real browser, each role's day from the home they land on."""

    def test_worker_asks_for_an_assistant_and_consults_the_plan(self):
        worker = self.env.ref("family_assistant.user_pracownik")
        family = self.env["assist.family"].with_user(worker).create({"name": "Tourowie"})
        case = self.env.ref("family_assistant.assignment_zielinscy")
        plan = (
            self.env["assist.plan"]
            .with_user(case.assistant_id)
            .create({"assignment_id": case.id, "family_agreed_date": fields.Date.today()})
        )
        plan.action_request_consultation()

        self._tour("family_assistant_worker_tour", "pracownik", "worker_home")

        request = self.env["assist.assignment"].search([("family_id", "=", family.id)])
        self.assertEqual(request.state, "submitted")
        self.assertEqual(request.worker_id, worker)
        self.assertEqual(plan.worker_consulted_date, fields.Date.today())
        self.assertFalse(plan.activity_ids, "the to-do is done")

    def test_head_approves_from_the_dashboard(self):
        request = self.env.ref("family_assistant.assignment_nowakowie")
        self.assertEqual(request.state, "submitted")

        self._tour("family_assistant_head_tour", "kierownik", "head_home")

        self.assertEqual(request.state, "approved")
        self.assertEqual(request.assistant_id, self.env.ref("family_assistant.user_asystent2"))
        self.assertEqual(request.decision_user_id, self.env.ref("family_assistant.user_kierownik"))


@tagged("post_install", "-at_install")
class TestAssistantPhoneTour(RoleTourCase):
    """On a phone-sized touch screen: a visit logged from the assistant's home in
    three steps (tap "New visit" on the family's card, type what was done, save)."""

    browser_size = "390x844"
    touch_enabled = True

    def test_assistant_logs_a_visit_on_a_phone(self):
        case = self.env.ref("family_assistant.assignment_kowalscy")
        visits = case.visit_ids

        self._tour("family_assistant_assistant_mobile_tour", "asystent", "assistant_home_phone")

        visit = case.visit_ids - visits
        self.assertEqual(len(visit), 1)
        self.assertEqual(visit.user_id, self.env.ref("family_assistant.user_asystent"))
        self.assertEqual(visit.place, "home")
        self.assertIn("Rozmowa z matką", visit.actions_taken)
