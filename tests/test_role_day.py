from datetime import timedelta

from lxml import etree

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .common import FamilyAssistantCase

# the home action each demo user lands on after logging in
DEMO_HOMES = {
    "kierownik": "family_assistant.assist_dashboard_client_action",
    "asystent": "family_assistant.assist_assignment_action_my_work",
    "asystent2": "family_assistant.assist_assignment_action_my_work",
    "pracownik": "family_assistant.assist_assignment_action_my_families",
}


@tagged("post_install", "-at_install")
class TestRoleDay(FamilyAssistantCase):
    """Issue 13: each role lands on its work, finds a family by its name in every
    picker of a case, logs a visit from the case and gets its hand-offs as to-dos
    named in Polish."""

    # ---------------------------------------------------------- 1. land on your work
    def test_demo_users_land_on_their_work(self):
        for login, action in DEMO_HOMES.items():
            with self.subTest(login=login):
                user = self.env["res.users"].search([("login", "=", login)])
                self.assertEqual(user.action_id.id, self.env.ref(action).id)

    def test_a_role_given_later_brings_its_home(self):
        Users = self.env["res.users"]
        for group, action in (
            ("group_head", "assist_dashboard_client_action"),
            ("group_assistant", "assist_assignment_action_my_work"),
            ("group_worker", "assist_assignment_action_my_families"),
        ):
            with self.subTest(group=group):
                user = new_test_user(self.env, login=f"later_{group}", groups="base.group_user")
                self.assertFalse(user.action_id, "no role, no home of the procedure")
                user.write(
                    {"groups_id": [Command.link(self.env.ref(f"family_assistant.{group}").id)]}
                )
                self.assertEqual(user.action_id.id, self.env.ref(f"family_assistant.{action}").id)
        # a home set by hand stays
        discuss = self.env.ref("mail.action_discuss")
        user = Users.create({"name": "Ręczna", "login": "by_hand", "action_id": discuss.id})
        user.write({"groups_id": [Command.link(self.env.ref("family_assistant.group_head").id)]})
        self.assertEqual(user.action_id.id, discuss.id)

    def test_the_assistants_home_shows_the_visits_due_first(self):
        case = self._cooperation_case()
        other = self._cooperation_case(family=self._fresh_family())
        # the other family's work started five days ago, without a visit since
        other.sudo().work_start_date = other.work_start_date - timedelta(days=5)
        other._sync_deadlines()
        self.env["assist.visit"].with_user(self.assistant).create({"assignment_id": case.id})
        self.assertTrue(case.next_visit_date and other.next_visit_date)
        self.assertLess(other.next_visit_date, case.next_visit_date, "the visit just logged")
        action = self.env.ref("family_assistant.assist_assignment_action_my_work")
        view = self.env.ref("family_assistant.assist_assignment_view_list_my_work")
        self.assertIn('default_order="next_visit_date', view.arch_db)
        home = (
            self.env["assist.assignment"]
            .with_user(self.assistant)
            .search(eval(action.domain, {"uid": self.assistant.id}), order="next_visit_date, id")
        )
        self.assertEqual(home[:2], other + case)

    # ---------------------------------------------------------- 2. a family by its name
    def test_a_case_is_found_by_its_number_or_family_in_every_picker(self):
        case = self._cooperation_case()
        self.assertEqual(case.display_name, f"{case.name} – Kowalscy")
        pickers = [
            (model, field)
            for model in self.env.registry.values()
            for field in model._fields.values()
            if field.type == "many2one"
            and field.comodel_name == "assist.assignment"
            and not model._abstract
        ]
        names = {f"{model._name}.{field.name}" for model, field in pickers}
        for expected in (
            "assist.visit.assignment_id",
            "assist.monthly.report.assignment_id",
            "assist.plan.assignment_id",
            "assist.note.assignment_id",
            "assist.meeting.assignment_id",
            "assist.head.request.assignment_id",
        ):
            self.assertIn(expected, names)
        Cases = self.env["assist.assignment"].with_user(self.assistant)
        checked = 0
        for model, field in pickers:
            domain = field.get_domain_list(self.env[model._name])
            if not case.filtered_domain(domain):
                continue  # a picker of cases at another stage
            for typed in ("Kowalscy", "kowal", case.name):
                with self.subTest(picker=f"{model._name}.{field.name}", typed=typed):
                    found = Cases.name_search(typed, domain)
                    self.assertIn((case.id, case.display_name), found)
            checked += 1
        self.assertGreaterEqual(checked, 6)

    def test_the_case_board_opens_on_a_stage_with_cases(self):
        self._cooperation_case()
        groups = (
            self.env["assist.assignment"]
            .with_user(self.assistant)
            .web_read_group([], ["state"], ["state"])["groups"]
        )
        self.assertTrue(groups)
        self.assertTrue(all(group["state_count"] for group in groups), groups)

    # ---------------------------------------------------------- 3. one tap to log a visit
    def test_new_visit_from_the_case(self):
        case = self._cooperation_case()
        self.assertTrue(case.with_user(self.assistant).can_log_visit)
        self.assertFalse(case.with_user(self.worker).can_log_visit)
        action = case.with_user(self.assistant).action_new_record()
        self.assertEqual(action["res_model"], "assist.visit")
        visit = (
            self.env["assist.visit"]
            .with_user(self.assistant)
            .with_context(**action["context"])
            .create({})
        )
        self.assertEqual(visit.assignment_id, case)
        self.assertEqual(visit.place, "home")
        self.assertEqual(visit.user_id, self.assistant)
        for model in ("assist.monthly.report", "assist.note"):
            with self.subTest(model=model):
                action = (
                    case.with_user(self.assistant)
                    .with_context(records_model=model)
                    .action_new_record()
                )
                self.assertEqual(action["res_model"], model)
                self.assertEqual(action["context"], {"default_assignment_id": case.id})

    # ---------------------------------------------------------- 4. hand-offs
    def test_the_plan_is_sent_for_consultation_as_a_todo(self):
        case = self._diagnosis_case()
        plan = (
            self.env["assist.plan"]
            .with_user(self.assistant)
            .create({"assignment_id": case.id, "family_agreed_date": fields.Date.today()})
        )
        consultation = self.env.ref("family_assistant.mail_activity_type_consultation")
        plan.action_request_consultation()
        plan.action_request_consultation()  # twice: still one to-do
        todo = plan.activity_ids.filtered(lambda a: a.activity_type_id == consultation)
        self.assertEqual(todo.user_id, self.worker)
        self.assertEqual(len(todo), 1)
        # the worker sees it on their list and confirms from the plan
        self.assertIn(
            todo,
            self.env["mail.activity"]
            .with_user(self.worker)
            .search([("user_id", "=", self.worker.id)]),
        )
        plan.with_user(self.worker).action_confirm_consultation()
        self.assertFalse(plan.activity_ids)
        self.assertTrue(plan.worker_consulted_date)

    def test_a_periodic_assessment_waits_for_the_head_as_a_todo(self):
        case = self._cooperation_case()
        assessment = (
            self.env["assist.assessment"]
            .with_user(self.assistant)
            .create(
                {
                    "assignment_id": case.id,
                    "kind": "periodic",
                    "period_start": case.work_start_date,
                    "period_end": case.work_start_date,
                    "problems": "Bez zmian.",
                }
            )
        )
        assessment.action_done()
        approval = self.env.ref("family_assistant.mail_activity_type_assessment_approval")
        todo = case.activity_ids.filtered(
            lambda a: a.activity_type_id == approval and a.user_id == self.head
        )
        self.assertEqual(len(todo), 1)
        assessment.with_user(self.head).action_approve()
        self.assertFalse(todo.exists())

    # ---------------------------------------------------------- 6. a dashboard to click
    def _dashboard(self, user=None):
        return self.env["assist.dashboard"].with_user(user or self.head).with_context(lang="pl_PL")

    def _records_of(self, action):
        records = self.env[action["res_model"]].with_user(self.head)
        return records.search(action["domain"])

    def test_every_figure_of_the_dashboard_opens_its_records(self):
        case = self._cooperation_case()
        request = self._submitted_request(self.family2)
        visit = case.activity_ids.filtered(lambda a: a.assist_rule_id.code == "visit")
        visit.date_deadline = fields.Date.today() - timedelta(days=1)
        dashboard = self._dashboard()
        home = self.env.ref("family_assistant.assist_dashboard_client_action")
        self.assertEqual(home.tag, "family_assistant.dashboard")
        data = dashboard.get_dashboard_data()

        caseload = next(row for row in data["caseloads"] if row["id"] == self.assistant.id)
        self.assertEqual(
            (caseload["name"], caseload["count"], caseload["limit"]), ("Anna Assistant", 1, 15)
        )
        self.assertEqual(
            self._records_of(dashboard.action_open_figure("caseload", self.assistant.id)), case
        )
        stages = {row["key"]: row for row in data["stages"]}
        self.assertEqual(stages["cooperation"]["label"], "Współpraca")
        for key, row in stages.items():
            with self.subTest(stage=key):
                records = self._records_of(dashboard.action_open_figure("stage", key))
                self.assertEqual(len(records), row["count"])
                self.assertEqual(set(records.mapped("state")) - {key}, set())
        self.assertIn(request, self._records_of(dashboard.action_open_figure("stage", "submitted")))

        overdue = next(row for row in data["overdue"] if row["id"] == self.assistant.id)
        activities = self._records_of(dashboard.action_open_figure("overdue", self.assistant.id))
        self.assertEqual(len(activities), overdue["count"])
        self.assertIn(visit, activities)
        everybody = self._records_of(dashboard.action_open_figure("overdue"))
        self.assertEqual(len(everybody), sum(row["count"] for row in data["overdue"]))

        upcoming = self._records_of(dashboard.action_open_figure("upcoming"))
        self.assertEqual(len(upcoming), data["upcoming_count"])
        row = data["upcoming"][0]
        opened = dashboard.action_open_figure("upcoming", row["id"])
        todo = self.env["mail.activity"].browse(row["id"])
        self.assertEqual((opened["res_model"], opened["res_id"]), (todo.res_model, todo.res_id))

    def test_the_dashboard_is_the_heads_and_refuses_bad_figures(self):
        for user in (self.worker, self.assistant, self.plain_user):
            with self.subTest(user=user.login):
                with self.assertRefused(AccessError, "kierownika"):
                    self._dashboard(user).get_dashboard_data()
                with self.assertRefused(AccessError, "kierownika"):
                    self._dashboard(user).action_open_figure("stage", "submitted")
        dashboard = self._dashboard()
        for figure, key in (("stage", "nonsense"), ("nonsense", False), ("caseload", 999999)):
            with self.subTest(figure=figure), self.assertRefused(UserError, "."):
                dashboard.action_open_figure(figure, key)

    def test_the_dashboard_queries_do_not_grow_with_cases(self):
        def queries(cases_count):
            for _i in range(cases_count):
                self._cooperation_case(family=self._fresh_family())
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self._dashboard().get_dashboard_data()
            return self.env.cr.sql_log_count - before

        small = queries(1)
        large = queries(5)
        self.assertLessEqual(large, small, f"{small} queries for 1 case, {large} for 6")

    # ---------------------------------------------------------- 7. an audit log to read
    def _log_of(self, record, method):
        return (
            self.env["auditlog.log"]
            .with_user(self.head)
            .with_context(lang="pl_PL")
            .search(
                [
                    ("model_model", "=", record._name),
                    ("res_id", "=", record.id),
                    ("method", "=", method),
                ]
            )
        )

    def test_the_audit_log_reads_as_the_form(self):
        case = self._cooperation_case()
        visit = (
            self.env["assist.visit"]
            .with_user(self.assistant)
            .create(
                {
                    "assignment_id": case.id,
                    "member_ids": [Command.set(case.family_id.member_ids.ids)],
                }
            )
        )
        visit.with_user(self.assistant).write({"place": "institution"})
        change = self._log_of(visit, "write")
        self.assertEqual(len(change), 1)
        self.assertEqual(change.assist_operation, "write")
        self.assertEqual(
            dict(change._fields["assist_operation"]._description_selection(change.env))["write"],
            "Zmiana",
        )
        self.assertEqual(change.assist_model_label, "Wizyta lub działanie")
        self.assertEqual(
            (change.assist_family_id, change.assist_assignment_id), (case.family_id, case)
        )
        lines = {line.field_id.name: line for line in change.line_ids}
        self.assertEqual(lines["place"].assist_field_label, "Miejsce")
        # the rules log the values written ("fast" log: no read before a write)
        self.assertEqual(lines["place"].assist_new_display, "Instytucja")
        created = self._log_of(visit, "create")
        lines = {line.field_id.name: line for line in created.line_ids}
        self.assertEqual(lines["assignment_id"].assist_new_display, case.display_name)
        self.assertEqual(lines["member_ids"].assist_new_display, "Joanna Kowalska")
        # the lines of a plan belong to its family too
        goal = case.active_plan_id.goal_ids[:1]
        self.assertEqual(self._log_of(goal, "create").assist_family_id, case.family_id)

    def test_the_heads_own_reads_are_left_out_by_default(self):
        case = self._cooperation_case()
        case.with_user(self.worker).read(["name"])
        case.with_user(self.head).read(["name"])
        action = self.env.ref("family_assistant.auditlog_log_action")
        self.assertIn("search_default_not_my_reads", action.context)
        search = action.search_view_id.arch_db
        domain_text = (
            etree.fromstring(search.encode())
            .xpath("//filter[@name='not_my_reads']")[0]
            .get("domain")
        )
        domain = safe_eval(domain_text, {"uid": self.head.id})
        Logs = self.env["auditlog.log"].with_user(self.head)
        shown = Logs.search(
            [*domain, ("assist_assignment_id", "=", case.id), ("method", "=", "read")]
        )
        self.assertIn(self.worker, shown.user_id)
        self.assertNotIn(self.head, shown.user_id)
        self.assertIn(self.head, Logs.search([("assist_assignment_id", "=", case.id)]).user_id)

    # ---------------------------------------------------------- 8. the information card
    def test_the_information_card_is_filled_in_then_marked_made(self):
        case = self._diagnosis_case()
        action = case.with_user(self.assistant).action_open_info_card()
        self.assertEqual(
            (action["res_model"], action["res_id"]), ("assist.family", case.family_id.id)
        )
        self.assertEqual(action["target"], "new")
        with self.assertRaises(AccessError):
            case.with_user(self.worker).action_open_info_card()
        # the assistant fills it in: the family's data and its members'
        family = case.family_id.with_user(self.assistant)
        family.write(
            {
                "street": "ul. Długa 5/2",
                "housing": "Dwa pokoje, wilgoć w łazience.",
                "member_ids": [Command.create({"name": "Tomasz Kowalski", "role": "child"})],
            }
        )
        with self.assertRefused(UserError, "datę urodzenia|daty urodzenia|data urodzenia"):
            family.action_complete_info_card()
        self.assertFalse(case.info_card_date, "nothing marked")
        son = family.member_ids.filtered(lambda m: m.name == "Tomasz Kowalski")
        son.write({"birth_date": "2015-04-01", "school": "SP 1 w Zbąszynku"})
        self.assertEqual(family.action_complete_info_card()["type"], "ir.actions.act_window_close")
        self.assertEqual(case.info_card_date, fields.Date.today())
        with self.assertRefused(UserError, "już"):
            family.action_complete_info_card()

    # ---------------------------------------------------------- 9. no placeholder logo
    def test_official_documents_print_the_ops_logo_or_none(self):
        case = self.env.ref("family_assistant.assignment_kowalscy")
        report = self.env.ref("family_assistant.action_report_annex_01")

        def html():
            return report._render_qweb_html(report, case.ids)[0].decode()

        company = case.company_id
        self.assertFalse(company.uses_default_logo, "the demo OPS has its logo")
        self.assertIn("o_company_logo", html())
        self.assertIn("ul. Rynek 1", html(), "and its letterhead")
        company.logo = company._get_logo()  # an OPS that never set one: Odoo's placeholder
        self.assertTrue(company.uses_default_logo)
        self.assertNotIn("o_company_logo", html())

    # ---------------------------------------------------------- 10. ask first, show plainly
    def _arch(self, xmlid):
        return etree.fromstring(self.env.ref(xmlid).arch_db.encode())

    def test_irreversible_steps_ask_first(self):
        for view, button in (
            ("assist_assessment_view_form", "action_done"),
            ("assist_assessment_view_form", "action_approve"),
            ("assist_monthly_report_view_form", "action_submit"),
            ("assist_assignment_view_form", "action_submit"),
            ("assist_assignment_view_form", "action_start_cooperation"),
            ("assist_assignment_view_form", "action_cancel"),
            ("assist_consent_view_form", "action_confirm"),
            ("assist_document_handover_view_form", "action_confirm"),
            ("assist_head_request_view_form", "action_submit"),
            ("assist_court_letter_view_form", "action_mark_sent"),
            ("assist_plan_view_form", "action_activate"),
            ("assist_family_view_form_info_card", "action_complete_info_card"),
        ):
            with self.subTest(view=view, button=button):
                buttons = self._arch(f"family_assistant.{view}").xpath(
                    f"//button[@name='{button}']"
                )
                self.assertTrue(buttons)
                self.assertTrue(all(b.get("confirm") for b in buttons))

    def test_a_failed_decision_writes_nothing(self):
        request = self._submitted_request()
        wizard = (
            self.env["assist.assignment.reject"]
            .with_user(self.head)
            .create({"assignment_id": request.id, "reason": " "})
        )
        with self.assertRefused(ValidationError, "(?i)uzasadnienie|powód|przyczyn"):
            wizard.action_confirm()
        self.assertEqual(request.state, "submitted")
        self.assertFalse(request.decision_user_id)

    def test_a_rejected_request_shows_where_it_ended(self):
        bars = self._arch("family_assistant.assist_assignment_view_form").xpath(
            "//header/field[@name='state']"
        )
        for state, shown in (("rejected", False), ("cooperation", True)):
            with self.subTest(state=state):
                visible = [
                    bar for bar in bars if not safe_eval(bar.get("invisible"), {"state": state})
                ]
                self.assertEqual(len(visible), 1)
                self.assertEqual("cooperation" in visible[0].get("statusbar_visible"), shown)

    def test_durations_and_times_as_people_say_them(self):
        Visit = self.env["assist.visit"]
        for hours, text in ((1.25, "1 h 15 min"), (0.75, "45 min"), (2, "2 h"), (0, "0 min")):
            with self.subTest(hours=hours):
                self.assertEqual(Visit._format_duration(hours), text)
        views = self.env["ir.ui.view"].search(
            [("model", "=like", "assist.%"), ("type", "in", ("form", "list"))]
        )
        checked = 0
        for view in views:
            model = self.env[view.model]
            for node in etree.fromstring(view.arch_db.encode()).xpath("//field"):
                field = model._fields.get(node.get("name"))
                if field is None or field.type not in ("datetime", "float"):
                    continue
                if field.type == "float" and node.get("widget") not in (
                    "float_time",
                    "fa_duration",
                ):
                    continue
                with self.subTest(view=view.name, field=field.name):
                    if field.type == "datetime":
                        self.assertIn("'show_seconds': False", node.get("options") or "")
                    else:
                        self.assertEqual(node.get("widget"), "fa_duration")
                    checked += 1
        self.assertGreaterEqual(checked, 8)

    # ---------------------------------------------------------- 5. to-dos in Polish
    def test_each_kind_of_deadline_has_its_own_type_named_in_polish(self):
        rules = self.env["assist.deadline.rule"].search([])
        self.assertTrue(rules)
        types = rules.activity_type_id
        self.assertEqual(len(types), len(set(rules.mapped("code"))), "a type per kind")
        for activity_type in types | self._types_of_handoffs():
            with self.subTest(activity_type=activity_type.name):
                polish = activity_type.with_context(lang="pl_PL").name
                self.assertNotEqual(polish, activity_type.with_context(lang="en_US").name)
                self.assertTrue(activity_type.icon)
                self.assertFalse(activity_type.summary, "the type's name says it, translated")

    def test_the_heads_todo_for_an_end_of_support_request(self):
        case = self._cooperation_case()
        request = self._head_request(
            case, kind="end_support", end_reason="goals_achieved", results="Cele osiągnięte."
        )
        todo = case.activity_ids.filtered(lambda a: a.user_id == self.head)
        self.assertEqual(len(todo), 1)
        self.assertEqual(
            todo.activity_type_id.with_context(lang=self.head.lang).name,
            "Zdecyduj o wniosku asystenta",
        )
        self.assertIn(request.name, str(todo.note))

    def test_demo_todos_are_in_polish(self):
        activities = self.env["mail.activity"].search(
            [("res_model", "like", "assist.%"), ("user_id.login", "in", list(DEMO_HOMES))]
        )
        self.assertTrue(activities, "the demo has to-dos")
        english = self.env["mail.activity.type"].with_context(lang="en_US")
        for activity in activities:
            with self.subTest(activity=activity.id):
                self.assertFalse(activity.summary)
                name_en = english.browse(activity.activity_type_id.id).name
                name_pl = activity.activity_type_id.with_context(lang="pl_PL").name
                self.assertNotEqual(name_pl, name_en)
                self.assertFalse(
                    activity.activity_type_id == self.env.ref("mail.mail_activity_data_todo")
                )

    def _types_of_handoffs(self):
        return self.env["mail.activity.type"].browse(
            self.env.ref(f"family_assistant.mail_activity_type_{code}").id
            for code in (
                "decision",
                "request_decision",
                "court",
                "complete_request",
                "consultation",
                "overdue",
                "assessment_approval",
            )
        )
