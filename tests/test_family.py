from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged

from .common import PESEL_CHILD, PESEL_MOTHER, FamilyAssistantCase


@tagged("post_install", "-at_install")
class TestFamily(FamilyAssistantCase):
    def test_member_pesel_fills_birth_date(self):
        member = (
            self.env["assist.family.member"]
            .with_user(self.worker)
            .create({"family_id": self.family.id, "name": "Joanna Kowalska", "pesel": PESEL_MOTHER})
        )
        self.assertEqual(str(member.birth_date), "1988-03-12")
        self.assertGreater(member.age, 30)

    def test_member_in_family_form(self):
        with Form(self.family.with_user(self.worker)) as form, form.member_ids.new() as line:
            line.name = "Zuzanna Kowalska"
            line.role = "child"
            line.pesel = PESEL_CHILD
        self.assertEqual(self.family.member_ids.mapped("name"), ["Zuzanna Kowalska"])
        self.assertEqual(str(self.family.member_ids.birth_date), "2012-05-20")

    def test_invalid_pesel_refused(self):
        members = self.env["assist.family.member"].with_user(self.worker)
        for bad in ("88031212345", "8803121234", "8803121234X", "88133212344"):
            with (
                self.subTest(pesel=bad),
                self.assertRefused(ValidationError, "nie jest poprawny|11 cyfr"),
            ):
                members.create({"family_id": self.family.id, "name": "X", "pesel": bad})
        self.assertFalse(self.family.member_ids)

    def test_pesel_must_match_birth_date(self):
        with self.assertRefused(ValidationError, "nie zgadza się z datą urodzenia"):
            self.env["assist.family.member"].with_user(self.worker).create(
                {
                    "family_id": self.family.id,
                    "name": "Joanna Kowalska",
                    "birth_date": "1988-03-13",
                    "pesel": PESEL_MOTHER,
                }
            )

    def test_birth_date_in_future_refused(self):
        with self.assertRefused(ValidationError, "z przyszłości"):
            self.env["assist.family.member"].with_user(self.worker).create(
                {"family_id": self.family.id, "name": "Nienarodzony", "birth_date": "2099-01-01"}
            )
        self.assertFalse(self.family.member_ids)

    def test_worker_sees_only_own_families(self):
        families = self.env["assist.family"].with_user(self.worker)
        self.assertEqual(families.search([("name", "in", ["Kowalscy", "Nowakowie"])]), self.family)
        with self.assertRaises(AccessError):
            self.family2.with_user(self.worker).read(["name"])
        with self.assertRaises(AccessError):
            self.family2.with_user(self.worker).write({"name": "Inni"})

    def test_members_follow_family_access(self):
        self.env["assist.family.member"].create(
            {"family_id": self.family2.id, "name": "Katarzyna Nowak", "pesel": PESEL_MOTHER}
        )
        members = self.env["assist.family.member"].with_user(self.worker)
        self.assertFalse(members.search([("family_id", "=", self.family2.id)]))
        self.assertFalse(
            self.env["assist.family.member"]
            .with_user(self.assistant)
            .search([("family_id", "=", self.family2.id)])
        )

    def test_head_sees_all_families(self):
        families = self.env["assist.family"].with_user(self.head)
        self.assertEqual(
            families.search([("id", "in", (self.family | self.family2).ids)]),
            self.family | self.family2,
        )

    def test_assistant_sees_family_only_once_assigned(self):
        families = self.env["assist.family"].with_user(self.assistant)
        self.assertFalse(families.search([("id", "=", self.family.id)]))
        with self.assertRaises(AccessError):
            families.create({"name": "Nowa"})
        request = self._submitted_request()
        self._approve(request, self.assistant)
        self.assertEqual(families.search([("id", "=", self.family.id)]), self.family)
        self.assertEqual(self.family.with_user(self.assistant).assistant_id, self.assistant)
        self.assertFalse(families.search([("id", "=", self.family2.id)]))

    def test_families_are_archived_not_deleted(self):
        for user in (self.worker, self.head, self.assistant):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.family.with_user(user).unlink()
        self.family.with_user(self.worker).action_archive()
        self.assertFalse(self.family.active)

    def test_other_users_see_nothing(self):
        with self.assertRaises(AccessError):
            self.env["assist.family"].with_user(self.plain_user).search([])
        with self.assertRaises(AccessError):
            self.env["assist.assignment"].with_user(self.plain_user).search([])
