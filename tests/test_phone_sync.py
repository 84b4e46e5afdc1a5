"""The phone app's server (controllers/phone.py, models/assist_phone.py) over
HTTP, as the phone calls it: the sync is idempotent, a stale edit is a conflict,
every rule of the procedure refuses what the backend refuses, the phone gets the
minimum, and the audit log records the writes."""

import base64
import io
import json
import random
import uuid
from datetime import timedelta

from PIL import Image

from odoo import fields
from odoo.tests import HttpCase, tagged

from .test_ui import read_manifests


def png_signature():
    """A signature as a phone draws it: a 600x200 PNG of a few KB (more than a
    one-line field holds)."""
    image = Image.new("RGBA", (600, 200), (255, 255, 255, 0))
    pen = random.Random(15)
    y = 100
    for x in range(20, 580):
        y = min(180, max(20, y + pen.randint(-6, 6)))
        for dy in range(3):
            image.putpixel((x, y + dy), (0, 0, pen.randint(0, 90), 255))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return base64.b64encode(buffer.getvalue()).decode()


@tagged("post_install", "-at_install")
class TestPhoneSync(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.assistant = cls.env.ref("family_assistant.user_asystent")
        cls.case = cls.env.ref("family_assistant.assignment_kowalscy")
        cls.member = cls.case.family_id.member_ids[:1]
        cls.duty = cls.env["assist.statutory.duty"].search([], limit=1)
        cls.now = fields.Datetime.now().replace(microsecond=0)

    def setUp(self):
        super().setUp()
        read_manifests()

    def _visit(self, **values):
        visit = {
            "uuid": str(uuid.uuid4()),
            "assignment_id": self.case.id,
            "start": fields.Datetime.to_string(self.now - timedelta(hours=2)),
            "duration": 1.25,
            "kind": "home_visit",
            "place": "home",
            "member_ids": self.member.ids,
            "duty_ids": self.duty.ids,
            "actions_taken": "Rozmowa z matką o planie dnia.",
            "next_steps": "Wizyta w poradni.",
            "signature": None,
            "signed_by": None,
            "base_write_date": None,
        }
        visit.update(values)
        return visit

    def _sync(self, visits, content_type="application/json"):
        response = self.url_open(
            "/asystent/api/sync",
            data=json.dumps({"visits": visits}),
            headers={"Content-Type": content_type},
        )
        return response

    def _results(self, visits):
        response = self._sync(visits)
        self.assertEqual(response.status_code, 200, response.text)
        return response.json()["results"]

    def _by_uuid(self, *uuids):
        return self.env["assist.visit"].search([("uuid", "in", list(uuids))])

    def test_new_visits_then_the_same_batch_again(self):
        self.authenticate("asystent", "asystent")
        batch = [
            self._visit(signature=png_signature(), signed_by="Anna Kowalska"),
            self._visit(kind="phone", place="other", actions_taken="Telefon do szkoły."),
        ]
        first = self._results(batch)
        self.assertEqual([r["status"] for r in first], ["created", "created"])
        visits = self._by_uuid(*(v["uuid"] for v in batch))
        self.assertEqual(len(visits), 2)
        self.assertGreater(len(batch[0]["signature"]), 5000)
        signed = visits.filtered("signature")
        self.assertEqual(signed.signed_by, "Anna Kowalska")
        self.assertTrue(signed.signed_date)
        self.assertEqual(signed.user_id, self.assistant)
        self.assertEqual(signed.member_ids, self.member)
        self.assertEqual(signed.duty_ids, self.duty)
        self.assertEqual(first[0]["server"]["id"], first[0]["id"])

        again = self._results(batch)
        self.assertEqual([r["status"] for r in again], ["unchanged", "unchanged"])
        self.assertEqual([r["id"] for r in again], [r["id"] for r in first])
        self.assertEqual(len(self._by_uuid(*(v["uuid"] for v in batch))), 2, "nothing twice")
        # the same visit twice in one batch: once
        twice = self._visit()
        self.assertEqual(
            [r["status"] for r in self._results([twice, twice])], ["created", "unchanged"]
        )
        self.assertEqual(len(self._by_uuid(twice["uuid"])), 1)

        # the audit log records the writes, as the assistant
        logs = self.env["auditlog.log"].search(
            [("model_id.model", "=", "assist.visit"), ("res_id", "in", visits.ids)]
        )
        self.assertEqual(set(logs.mapped("method")), {"create"})
        self.assertEqual(logs.user_id, self.assistant)
        self.assertEqual(len(logs), 2)

    def test_a_stale_edit_is_a_conflict_and_changes_nothing(self):
        self.authenticate("asystent", "asystent")
        new = self._visit()
        [created] = self._results([new])
        server = created["server"]
        visit = self.env["assist.visit"].browse(created["id"])

        # edited on another device after this phone's copy: an older write_date
        stale = {
            **new,
            "actions_taken": "Wersja z telefonu.",
            "base_write_date": "2020-01-01 00:00:00",
        }
        [conflict] = self._results([stale])
        self.assertEqual(conflict["status"], "conflict")
        self.assertEqual(conflict["server"]["actions_taken"], "Rozmowa z matką o planie dnia.")
        self.assertIn("wersj", conflict["message"])  # Polish: "wybierz wersję"
        self.assertEqual(visit.actions_taken, "Rozmowa z matką o planie dnia.")

        # the same second, another revision (two devices within one second)
        visit.with_user(self.assistant).write({"next_steps": "Zmienione w biurze."})
        self.assertEqual(visit.revision, server["revision"] + 1)
        same_second = {
            **new,
            "actions_taken": "Wersja z telefonu.",
            "base_write_date": server["write_date"],
            "base_revision": server["revision"],
        }
        [conflict] = self._results([same_second])
        self.assertEqual(conflict["status"], "conflict")
        self.assertEqual(visit.actions_taken, "Rozmowa z matką o planie dnia.")

        # the assistant keeps the phone's version: sent again on the server's
        keep = {
            **same_second,
            "base_write_date": conflict["server"]["write_date"],
            "base_revision": conflict["server"]["revision"],
        }
        [updated] = self._results([keep])
        self.assertEqual(updated["status"], "updated", updated["message"])
        self.assertEqual(visit.actions_taken, "Wersja z telefonu.")
        self.assertEqual(visit.next_steps, "Wizyta w poradni.")
        # nothing new to send: unchanged
        again = {
            **keep,
            "base_write_date": updated["server"]["write_date"],
            "base_revision": updated["server"]["revision"],
        }
        self.assertEqual(self._results([again])[0]["status"], "unchanged")

    def test_what_the_backend_refuses_is_refused_and_nothing_is_written(self):
        self.authenticate("asystent", "asystent")
        other = self.env.ref("family_assistant.assignment_mazurowie")  # asystent2's
        closed = self.env.ref("family_assistant.assignment_kaminscy")  # closed
        refused = {
            "another assistant's case": self._visit(assignment_id=other.id),
            "a closed case": self._visit(assignment_id=closed.id, member_ids=[]),
            "a future date": self._visit(
                start=fields.Datetime.to_string(self.now + timedelta(days=2))
            ),
            "a bad duration": self._visit(duration=30),
            "no duration": self._visit(duration="dużo"),
            "not an image": self._visit(signature="bm90IGEgcG5n", signed_by="Ktoś"),
            "a signature without a signer": self._visit(signature=png_signature()),
            "a member of another family": self._visit(
                member_ids=other.family_id.member_ids[:1].ids
            ),
            "no valid identifier": self._visit(uuid="x'; DROP TABLE"),
            "no case": self._visit(assignment_id="12"),
        }
        results = self._results(list(refused.values()))
        for what, result in zip(refused, results, strict=True):
            with self.subTest(what):
                self.assertEqual(result["status"], "refused")
                self.assertIsNone(result["id"])
                self.assertTrue(result["message"])
                self.assertNotRegex(result["message"], r"\b(the|is|not|of|visit|you)\b", "Polish")
        self.assertFalse(
            self.env["assist.visit"].search([("uuid", "in", [v["uuid"] for v in refused.values()])])
        )
        self.assertIn("nie jest członkiem tej rodziny", results[7]["message"])
        self.assertIn("jest zamknięta", results[1]["message"])  # the closed case's own rule
        # a good visit in the same batch still goes through
        good = self._visit()
        statuses = [r["status"] for r in self._results([refused["a closed case"], good])]
        self.assertEqual(statuses, ["refused", "created"])

    def test_a_worker_logs_a_monitoring_visit(self):
        case = self.env.ref("family_assistant.assignment_mazurowie")
        case.sudo().monitoring_by = "worker"
        worker = case.family_id.worker_id
        self.assertEqual(worker, self.env.ref("family_assistant.user_pracownik"))
        self.authenticate("pracownik", "pracownik")
        cases = self.url_open("/asystent/api/cases").json()["cases"]
        self.assertIn(case.id, [c["id"] for c in cases])
        visit = self._visit(assignment_id=case.id, member_ids=[], duty_ids=[])
        [result] = self._results([visit])
        self.assertEqual(result["status"], "created", result["message"])
        created = self.env["assist.visit"].browse(result["id"])
        self.assertTrue(created.is_monitoring)
        self.assertEqual(created.user_id, worker)

    def test_the_phone_holds_the_minimum(self):
        self.authenticate("asystent", "asystent")
        response = self.url_open("/asystent/api/cases")
        self.assertEqual(response.headers["Cache-Control"], "no-store")
        data = response.json()
        ids = {case["id"] for case in data["cases"]}
        mine = self.env["assist.assignment"].search(
            [
                ("assistant_id", "=", self.assistant.id),
                ("state", "in", ("handover", "diagnosis", "cooperation", "monitoring")),
            ]
        )
        self.assertEqual(ids, set(mine.ids))
        kowalscy = next(case for case in data["cases"] if case["id"] == self.case.id)
        self.assertEqual(kowalscy["family"], self.case.family_id.name)
        self.assertTrue(kowalscy["visits"] and kowalscy["goals"] and kowalscy["members"])
        self.assertEqual(set(kowalscy["members"][0]), {"id", "name", "role"})
        self.assertIn(["home_visit", "Wizyta domowa"], data["options"]["kind"])
        text = response.text
        for member in self.env["assist.family.member"].sudo().search([("pesel", "!=", False)]):
            self.assertNotIn(member.pesel, text)
        self.assertNotIn("pesel", text.lower())
        self.assertNotIn(self.case.justification, text)
        self.assertEqual(data["max_offline_days"], 7)

    def test_who_gets_in(self):
        # no session: the app goes to the login, the API answers 401 in JSON
        response = self.url_open("/asystent", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertIn("/web/login?redirect=/asystent", response.headers["Location"])
        response = self.url_open("/asystent/api/cases")
        self.assertEqual(response.status_code, 401)
        self.assertIn("login", response.json())
        self.assertEqual(self._sync([self._visit()]).status_code, 401)
        # the manifest and the service worker are public and carry no data
        manifest = self.url_open("/asystent/manifest.webmanifest").json()
        self.assertEqual((manifest["start_url"], manifest["scope"]), ("/asystent", "/asystent"))
        worker = self.url_open("/asystent/sw.js")
        self.assertEqual(worker.headers["Service-Worker-Allowed"], "/asystent")

        # the head has no phone app
        self.authenticate("kierownik", "kierownik")
        self.assertEqual(self.url_open("/asystent").status_code, 403)
        self.assertEqual(self.url_open("/asystent/api/cases").status_code, 403)

        self.authenticate("asystent", "asystent")
        shell = self.url_open("/asystent")
        self.assertEqual(shell.status_code, 200)
        self.assertIn('rel="manifest"', shell.text)
        self.assertNotIn("web.assets_backend", shell.text)
        # a form or a text/plain body from another site is not taken
        visit = self._visit()
        self.assertEqual(self._sync([visit], "text/plain").status_code, 415)
        self.assertFalse(self._by_uuid(visit["uuid"]))

    def test_the_signature_is_printed_on_annex_8_and_annex_3(self):
        self.authenticate("asystent", "asystent")
        signature = png_signature()
        [result] = self._results([self._visit(signature=signature, signed_by="Anna Kowalska")])
        self.assertEqual(result["status"], "created")
        Report = self.env["ir.actions.report"]
        html = Report._render_qweb_html("family_assistant.report_annex_08", self.case.ids)[
            0
        ].decode()
        self.assertIn(f"data:image/png;base64,{signature}", html)
        self.assertIn("Anna Kowalska", html)

        consent = self.env.ref("family_assistant.consent_kowalscy")
        consent.sudo().write({"signature": signature, "signed_by": "Jan Kowalski"})
        self.assertTrue(consent.signed_date)
        html = Report._render_qweb_html("family_assistant.report_annex_03", consent.ids)[0].decode()
        self.assertIn(f"data:image/png;base64,{signature}", html)
        self.assertIn("Podpisano na ekranie przez: Jan Kowalski", html)
