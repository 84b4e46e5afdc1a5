"""Field-level access, generated from the declaration the server reads
(models/access_policy.py, re-exported by tests/access_matrix.py) and from the
fields of the models: for every guarded model, every role that may create or
write it, and every field that role may not set, a `create`, a `write` and a
`default_<field>` context are tried as that user (as RPC would), and for every
relational field the role may set, a record it may not read, or of another
family, is tried. Each must be refused (or, for `default_`, ignored) and leave
the database as it was.

The expected sets are computed here from the declaration and the field
definitions, not by asking the server's own `_settable_fields`."""

import logging
import re
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.models import MAGIC_COLUMNS
from odoo.tests import new_test_user, tagged

from .access_matrix import ALL, FIXED, MODELS, ROLE_FIELDS
from .common import FamilyAssistantCase

_logger = logging.getLogger(__name__)

FRAMEWORK_MODELS = ("mail.thread", "mail.activity.mixin")

# What the issues found writable over RPC: each must be among the fields the
# declaration protects (a check that the declaration covers them).
MUST_BE_PROTECTED = {
    "assist.assignment": {
        "state",
        "assistant_id",
        "decision_user_id",
        "decision_date",
        "caseload_weight",
        "monitoring_months",
        "closed_date",
    },
    "assist.head.request": {"state", "decision_user_id", "decision_date", "decision_note"},
    "assist.court.letter": {"state", "sent_date"},
    "assist.consent": {"state"},
    "assist.plan": {"state", "worker_consulted_date", "version", "previous_plan_id"},
    "assist.monthly.report": {"state", "submit_date", "visit_count", "hours"},
    "assist.assessment": {"state", "plan_id"},
    "assist.visit": {"user_id", "is_monitoring", "family_id", "company_id"},
    "assist.note": {"author_id"},
    "assist.situation.change": {"state", "worker_told_date"},
    "assist.document.handover": {"state", "worker_id", "assistant_id"},
    "assist.meeting": {"convened_by_id"},
    "assist.family": {"anonymised", "anonymised_date", "anonymised_by_id"},
}
# ...and what an assistant may not set on a family (item 3 of the issue)
ASSISTANT_NOT_ON_FAMILY = {"worker_id", "company_id", "active", "difficulty", "name"}


def policy(table, model):
    """The entry of a declaration table for `model` or the mixin it inherits."""
    for name in (model._name, *model._inherit):
        if name in table:
            return table[name]
    return None


@tagged("post_install", "-at_install")
class TestFieldAccess(FamilyAssistantCase):
    def setUp(self):
        super().setUp()
        self.users = {"worker": self.worker, "assistant": self.assistant, "head": self.head}
        self.ops_b = self.env["res.company"].create({"name": "OPS Obcy"})
        Command_create = Command.create
        # cases at each stage where their records are made (fresh families)
        self.draft = self._make_request(self._fresh_family())
        self.approved = self._approved_case(self._fresh_family())
        self.handover_case = self._approved_case(self._fresh_family())
        self._handover(self.handover_case)
        self.diagnosis = self._diagnosis_case(family=self._fresh_family())
        self.coop = self._cooperation_case(family=self._fresh_family())
        self.coop2 = self._cooperation_case(family=self._fresh_family())
        self.free_family = self._fresh_family()
        as_assistant = self.env(user=self.assistant)
        as_worker = self.env(user=self.worker)
        area = self.env.ref("family_assistant.support_area_household")
        handover = as_worker["assist.document.handover"].create(
            {"assignment_id": self.approved.id, "line_ids": [Command_create({"name": "Wywiad"})]}
        )
        plan = as_assistant["assist.plan"].create(
            {
                "assignment_id": self.diagnosis.id,
                "goal_ids": [
                    Command_create(
                        {
                            "name": "Cel",
                            "action_ids": [
                                Command_create({"name": "Działanie", "expected_effect": "Efekt"})
                            ],
                        }
                    )
                ],
            }
        )
        assessment = as_assistant["assist.assessment"].create(
            {
                "assignment_id": self.diagnosis.id,
                "kind": "initial",
                "line_ids": [Command_create({"area_id": area.id})],
            }
        )
        meeting = as_assistant["assist.meeting"].create(
            {"assignment_id": self.coop.id, "participant_ids": [Command_create({"name": "Jan"})]}
        )
        coop = self.coop.id
        visit_rule = self.env.ref("family_assistant.deadline_rule_visit").with_user(self.head)
        visit_rule.action_adapt()
        own_rule = visit_rule.search([("code", "=", "visit"), ("company_id", "=", self.company.id)])
        # model: {role: (record the role may write, values of a record it may create)}
        self.fixtures = {
            "assist.deadline.rule": {
                "head": (
                    own_rule,
                    {
                        "name": "Ocena",
                        "code": "assessment",
                        "days": 180,
                        "responsible": "assistant",
                    },
                )
            },
            "assist.family": {
                role: (self.coop.family_id, {"name": "Nowa rodzina", "worker_id": self.worker.id})
                for role in ("worker", "head")
            }
            | {"assistant": (self.coop.family_id, None)},
            "assist.family.member": {
                role: (
                    self.coop.family_id.member_ids[:1],
                    {"family_id": self.coop.family_id.id, "name": "Jan Nowy"},
                )
                for role in ("worker", "assistant", "head")
            },
            "assist.assignment": {
                "worker": (self.draft, self._request_vals(self.free_family)),
                "head": (self.draft, self._request_vals(self.free_family)),
                "assistant": (self.coop, None),
            },
            "assist.document.handover": {
                role: (
                    handover,
                    {
                        "assignment_id": self.approved.id,
                        "line_ids": [Command_create({"name": "Plan pomocy"})],
                    },
                )
                for role in ("worker", "head")
            },
            "assist.document.handover.line": {
                role: (handover.line_ids, {"handover_id": handover.id, "name": "Opinia"})
                for role in ("worker", "head")
            },
            "assist.consent": {
                "assistant": (
                    as_assistant["assist.consent"].create(
                        {"assignment_id": self.handover_case.id, "decision": "refused"}
                    ),
                    {"assignment_id": self.handover_case.id, "decision": "refused"},
                )
            },
            "assist.visit": {
                "assistant": (
                    as_assistant["assist.visit"].create({"assignment_id": coop, "duration": 1.0}),
                    {"assignment_id": coop, "duration": 1.0},
                )
            },
            "assist.plan": {"assistant": (plan, {"assignment_id": self.diagnosis.id})},
            "assist.plan.goal": {
                "assistant": (plan.goal_ids, {"plan_id": plan.id, "name": "Cel 2"})
            },
            "assist.plan.action": {
                "assistant": (
                    plan.goal_ids.action_ids,
                    {"goal_id": plan.goal_ids.id, "name": "D2", "expected_effect": "E2"},
                )
            },
            "assist.assessment": {
                "assistant": (assessment, {"assignment_id": self.diagnosis.id, "kind": "initial"})
            },
            "assist.assessment.line": {
                "assistant": (
                    assessment.line_ids,
                    {"assessment_id": assessment.id, "area_id": area.id},
                )
            },
            "assist.family.task": {
                "assistant": (
                    as_assistant["assist.family.task"].create({"assignment_id": coop, "name": "Z"}),
                    {"assignment_id": coop, "name": "Zadanie"},
                )
            },
            "assist.note": {
                role: (
                    self.env(user=self.users[role])["assist.note"].create(
                        {"assignment_id": coop, "name": "N", "body": "Treść"}
                    ),
                    {"assignment_id": coop, "name": "Notatka", "body": "Treść"},
                )
                for role in ("assistant", "worker")
            },
            "assist.situation.change": {
                "assistant": (
                    as_assistant["assist.situation.change"].create(
                        {"assignment_id": coop, "description": "Zmiana"}
                    ),
                    {"assignment_id": coop, "description": "Zmiana 2"},
                )
            },
            "assist.monthly.report": {
                "assistant": (
                    as_assistant["assist.monthly.report"].create(
                        {"assignment_id": coop, "month": fields.Date.today()}
                    ),
                    {"assignment_id": self.coop2.id, "month": fields.Date.today()},
                )
            },
            "assist.meeting": {
                "assistant": (
                    meeting,
                    {"assignment_id": coop, "participant_ids": [Command_create({"name": "Ala"})]},
                )
            },
            "assist.meeting.participant": {
                "assistant": (meeting.participant_ids, {"meeting_id": meeting.id, "name": "Ola"})
            },
            "assist.court.letter": {
                role: (
                    self.env(user=self.users[role])["assist.court.letter"].create(
                        {"assignment_id": coop, "subject": "Sprawozdanie"}
                    ),
                    {"assignment_id": coop, "subject": "Opinia", "kind": "opinion"},
                )
                for role in ("assistant", "head")
            },
            "assist.statistics": {
                "head": (
                    self.env["assist.statistics"]
                    .with_user(self.head)
                    .create({"date_from": "2026-01-01", "date_to": "2026-06-30"}),
                    {"date_from": "2025-07-01", "date_to": "2025-12-31"},
                )
            },
            "assist.employment": {
                "head": (
                    self.env["assist.employment"]
                    .with_user(self.head)
                    .create(
                        {
                            "user_id": self.assistant.id,
                            "kind": "task_time",
                            "fte": 1.0,
                            "date_start": "2026-01-01",
                        }
                    ),
                    {
                        "user_id": self.assistant2.id,
                        "kind": "employment",
                        "fte": 0.5,
                        "date_start": "2026-02-01",
                    },
                )
            },
            "assist.head.request": {
                "assistant": (
                    as_assistant["assist.head.request"].create(
                        {
                            "assignment_id": coop,
                            "kind": "end_support",
                            "end_reason": "other",
                            "reasons": "Inny powód.",
                        }
                    ),
                    {"assignment_id": coop, "kind": "end_support", "end_reason": "goals_achieved"},
                )
            },
        }
        self.env.invalidate_all()

    # ---------------------------------------------------------- the expectations
    def _guarded_models(self):
        return [
            name
            for name in self.env.registry.descendants(["assist.guard.mixin"], "_inherit")
            if not self.env[name]._abstract
        ]

    def _server_fields(self, model):
        framework = set(MAGIC_COLUMNS) | {"display_name"}
        for name in FRAMEWORK_MODELS:
            framework |= set(self.env[name]._fields)
        return {n for n, f in model._fields.items() if f.readonly or n in framework}

    def _forbidden(self, model, role, operation):
        """The fields `role` may not send on `operation`, from the declaration."""
        forbidden = self._server_fields(model)
        if operation == "write":
            forbidden |= set(policy(FIXED, model) or ())
        per_role = policy(ROLE_FIELDS, model)
        if per_role is not None and per_role.get(role) != ALL:
            forbidden |= set(model._fields) - set(per_role.get(role, ()))
        return forbidden

    def _forged_value(self, record, name):
        """A valid value of `name`, different from the one `record` holds."""
        field = record._fields[name]
        current = (
            record[name]
            if record
            else record.env[field.comodel_name]
            if field.relational
            else False
        )
        if field.type == "selection":
            keys = [key for key, _label in field._description_selection(self.env)]
            return next(key for key in reversed(keys) if key != current)
        if field.type == "boolean":
            return not current
        if field.type in ("integer", "float", "monetary"):
            return (current or 0) + 7
        if field.type == "date":
            return fields.Date.today() - timedelta(days=1)
        if field.type == "datetime":
            return fields.Datetime.now() - timedelta(hours=1)
        if field.type == "many2one":
            comodel = self.env[field.comodel_name].with_context(active_test=False)
            return comodel.search([("id", "not in", current.ids)], limit=1).id
        if field.type in ("many2many", "one2many"):
            return [Command.clear()] if current else [Command.set([])]
        return "Wartość podrobiona"

    def assertPolish(self, message):
        self.assertRegex(
            message,
            r"[ąćęłńóśźżĄĆĘŁŃÓŚŹŻ]|\b(nie|jest|lub|przez|się|na)\b",
            "a refusal in Polish",
        )

    # ---------------------------------------------------------- the tests
    def test_declaration_covers_what_was_found(self):
        for model_name, names in MUST_BE_PROTECTED.items():
            model = self.env[model_name]
            for role in ("worker", "assistant", "head"):
                with self.subTest(model=model_name, role=role):
                    self.assertLessEqual(names, self._forbidden(model, role, "write"))
        family = self.env["assist.family"]
        self.assertLessEqual(ASSISTANT_NOT_ON_FAMILY, self._forbidden(family, "assistant", "write"))
        self.assertIn(
            "assignment_id", self._forbidden(self.env["assist.visit"], "assistant", "write")
        )
        self.assertIn(
            "family_id", self._forbidden(self.env["assist.family.member"], "worker", "write")
        )
        # every guarded model has fixtures, and every guarded model is audited
        self.assertEqual(set(self._guarded_models()), set(self.fixtures))
        audited = set(self.env["auditlog.rule"].sudo().search([]).mapped("model_id.model"))
        self.assertLessEqual(set(self._guarded_models()), audited)

    def test_protected_fields_are_refused_on_every_path(self):
        attempts = 0
        for model_name, by_role in self.fixtures.items():
            for role, (record, create_vals) in by_role.items():
                user = self.users[role]
                Model = self.env[model_name].with_user(user)
                rights = MODELS[model_name][role]
                if create_vals is not None:
                    self.assertIn("c", rights, f"{model_name}: {role} has no create right")
                    attempts += self._attack_create(Model, create_vals, role)
                if "w" in rights:
                    attempts += self._attack_write(record.with_user(user), role)
        _logger.info("%s generated attacks on protected fields, all refused", attempts)
        self.assertGreater(attempts, 800)

    def _attack_create(self, Model, create_vals, role):
        model_name = Model._name
        count = Model.sudo().with_context(active_test=False).search_count
        names = sorted(self._forbidden(Model, role, "create") - {"id", *MAGIC_COLUMNS})
        names = [name for name in names if name not in create_vals]
        # the control: the base values are accepted from this user; the forged
        # values differ from what the server sets on such a record
        with self.env.cr.savepoint() as savepoint:
            control = Model.create(dict(create_vals))
            forged = {name: self._forged_value(control, name) for name in names}
            savepoint.rollback()
        attempts = 0
        before = count([])
        for name in names:
            value = forged[name]
            with self.subTest(model=model_name, role=role, field=name, path="create"):
                with self.assertRaises(AccessError) as caught:
                    Model.create({**create_vals, name: value})
                self.assertPolish(str(caught.exception))
                self.assertEqual(count([]), before)
            attempts += 1
            if not Model._fields[name].store or Model._fields[name].type == "one2many":
                continue
            # the same value as a default of the context: ignored
            with (
                self.subTest(model=model_name, role=role, field=name, path="default"),
                self.env.cr.savepoint() as savepoint,
            ):
                created = Model.with_context(**{f"default_{name}": value}).create(dict(create_vals))
                held = created._fields[name].convert_to_write(created[name], created)
                if created._fields[name].type == "many2many":
                    value = value and [Command.set([])]
                    held = held and [Command.set(created[name].ids)]
                self.assertNotEqual(held, value)
                savepoint.rollback()
            attempts += 1
        return attempts

    def _attack_write(self, record, role):
        model_name = record._name
        # the control: this user writes an allowed field of this record
        controls = {
            "char": "Dozwolona zmiana",
            "text": "Dozwolona zmiana",
            "date": fields.Date.today(),
            "boolean": True,
        }
        allowed = sorted(
            (field.type != "char", name)
            for name, field in record._fields.items()
            if name not in self._forbidden(record, role, "write") and field.type in controls
        )
        self.assertTrue(allowed, f"{model_name}: a field {role} may write")
        name = allowed[0][1]
        with self.env.cr.savepoint() as savepoint:
            record.write({name: controls[record._fields[name].type]})
            savepoint.rollback()
        attempts = 0
        for name in sorted(self._forbidden(record, role, "write") - {"id", *MAGIC_COLUMNS}):
            value = self._forged_value(record, name)
            stored = record._fields[name].store
            before = record.sudo()[name] if stored else None
            with self.subTest(model=model_name, role=role, field=name, path="write"):
                with self.assertRaises(AccessError) as caught:
                    record.write({name: value})
                self.assertPolish(str(caught.exception))
                self.env.invalidate_all()
                if stored:
                    self.assertEqual(record.sudo()[name], before)
            attempts += 1
        return attempts

    def test_chosen_records_must_be_readable_and_of_the_family(self):
        """Every relational field a role may set refuses a record the role may not
        read (another OPS, another family) and one outside its domain."""
        ops_b = self.ops_b
        worker_b = new_test_user(
            self.env,
            login="fa_worker_b",
            groups="base.group_user,family_assistant.group_worker",
            company_id=ops_b.id,
            company_ids=[Command.set(ops_b.ids)],
        )
        family_b = self.env["assist.family"].create(
            {"name": "Obcy", "worker_id": worker_b.id, "company_id": ops_b.id}
        )
        outsiders = {
            "res.users": worker_b,
            "res.company": ops_b,
            "assist.family": family_b,
            "assist.family.member": self.env["assist.family.member"].create(
                {"family_id": family_b.id, "name": "Obca Osoba"}
            ),
            "assist.assignment": self.env["assist.assignment"].create(
                {
                    "family_id": family_b.id,
                    "worker_id": worker_b.id,
                    **self._court_vals(fields.Date.today()),
                }
            ),
        }
        # a member of another family of the same assistant: readable, not allowed
        other_member = self.env["assist.family.member"].create(
            {"family_id": self.coop2.family_id.id, "name": "Inna Rodzina"}
        )
        attempts = 0
        for model_name, by_role in self.fixtures.items():
            for role, (record, create_vals) in by_role.items():
                user = self.users[role]
                rights = MODELS[model_name][role]
                Model = self.env[model_name].with_user(user)
                forbidden_create = self._forbidden(Model, role, "create")
                for name, field in Model._fields.items():
                    if field.type not in ("many2one", "many2many") or name in forbidden_create:
                        continue
                    targets = [outsiders.get(field.comodel_name)]
                    if field.comodel_name == "assist.family.member":
                        targets.append(other_member)
                    for target in filter(None, targets):
                        value = target.id if field.type == "many2one" else [Command.set(target.ids)]
                        if create_vals is not None and "c" in rights:
                            with self.subTest(
                                model=model_name, role=role, field=name, target=target
                            ):
                                count = Model.sudo().search_count([])
                                with self.assertRaises(UserError) as caught:
                                    Model.create({**create_vals, name: value})
                                self.assertPolish(str(caught.exception))
                                self.assertEqual(Model.sudo().search_count([]), count)
                            attempts += 1
                        if "w" in rights and name not in self._forbidden(Model, role, "write"):
                            with self.subTest(
                                model=model_name, role=role, field=name, target=target, path="write"
                            ):
                                before = record.sudo()[name]
                                with self.assertRaises(UserError) as caught:
                                    record.with_user(user).write({name: value})
                                self.assertPolish(str(caught.exception))
                                self.env.invalidate_all()
                                self.assertEqual(record.sudo()[name], before)
                            attempts += 1
        _logger.info("%s generated attacks with records of others, all refused", attempts)
        self.assertGreater(attempts, 20)
        # the messages do not name what the user may not read
        self.assertNotIn("Obca", re.sub(r"\s+", " ", str(caught.exception)))
