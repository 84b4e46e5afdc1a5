"""Benchmark of the scheduled actions, the head's dashboard and the assignments
list, for growing numbers of families (`make bench`, run through `odoo shell`).

Generates families with a realistic history (a case in cooperation, weekly
visits for 8 weeks, a plan, last month's report) in the bench database, then
measures time and SQL queries. Environment: BENCH_SIZES ("1000 10000"),
BENCH_OUT (a Markdown file for the results).
"""

import os
import time
from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command, fields

SIZES = [int(size) for size in os.environ.get("BENCH_SIZES", "1000 10000").split()]
BATCH = 1000
WEEKS_OF_VISITS = 8
FAMILIES_PER_ASSISTANT = 12

bench_env = env(  # noqa: F821 (odoo shell)
    context=dict(
        env.context,  # noqa: F821
        tracking_disable=True,
        mail_create_nolog=True,
        mail_notrack=True,
        lang="pl_PL",
    )
)
today = fields.Date.context_today(bench_env["res.users"])
company = bench_env.company
company.assist_max_families = 15
# the audit log is for people, not for generated data
bench_env["auditlog.rule"].search([]).unsubscribe()


def user(login, group):
    existing = bench_env["res.users"].search([("login", "=", login)])
    return existing or bench_env["res.users"].create(
        {
            "name": login,
            "login": login,
            "groups_id": [Command.set([bench_env.ref(f"family_assistant.{group}").id])],
        }
    )


head = user("bench_head", "group_head")
worker = user("bench_worker", "group_worker")


def generate(start, stop):
    for first in range(start, stop, BATCH):
        last = min(first + BATCH, stop)
        assistants = [
            user(f"bench_assistant_{i // FAMILIES_PER_ASSISTANT}", "group_assistant")
            for i in range(first, last)
        ]
        families = bench_env["assist.family"].create(
            [{"name": f"Rodzina {i}", "worker_id": worker.id} for i in range(first, last)]
        )
        started = today - timedelta(weeks=WEEKS_OF_VISITS + 1)
        cases = bench_env["assist.assignment"].create(
            [
                {
                    "family_id": family.id,
                    "worker_id": worker.id,
                    "basis": "interview",
                    "grounds": "care_difficulties",
                    "interview_date": started - timedelta(days=20),
                    "request_date": started - timedelta(days=15),
                    "justification": "Trudności opiekuńczo-wychowawcze.",
                    "state": "cooperation",
                    "assistant_id": assistant.id,
                    "decision_user_id": head.id,
                    "decision_date": datetime.combine(
                        started - timedelta(days=12), datetime.min.time()
                    ),
                    "documents_date": started - timedelta(days=10),
                    "work_start_date": started - timedelta(days=5),
                    "consent_state": "given",
                    "info_card_date": started,
                    "cooperation_start_date": started,
                }
                for family, assistant in zip(families, assistants, strict=True)
            ]
        )
        bench_env["assist.plan"].create(
            [
                {
                    "assignment_id": case.id,
                    "state": "active",
                    "worker_consulted_date": started,
                    "family_agreed_date": started,
                    "goal_ids": [
                        Command.create(
                            {
                                "name": "Cel",
                                "action_ids": [
                                    Command.create(
                                        {"name": "Działanie", "expected_effect": "Efekt"}
                                    )
                                ],
                            }
                        )
                    ],
                }
                for case in cases
            ]
        )
        bench_env["assist.visit"].create(
            [
                {
                    "assignment_id": case.id,
                    "user_id": case.assistant_id.id,
                    "start": datetime.combine(today - timedelta(weeks=week), datetime.min.time())
                    + timedelta(hours=10),
                    "duration": 1.5,
                }
                for case in cases
                for week in range(1, WEEKS_OF_VISITS + 1)
            ]
        )
        bench_env["assist.monthly.report"].create(
            [
                {
                    "assignment_id": case.id,
                    "month": today.replace(day=1) - relativedelta(months=2),
                    "state": "submitted",
                }
                for case in cases
            ]
        )
        print(f"  generated {last} families", flush=True)


def measure(function):
    bench_env.flush_all()
    bench_env.invalidate_all()
    queries = bench_env.cr.sql_log_count
    started = time.perf_counter()
    result = function()
    bench_env.flush_all()
    return time.perf_counter() - started, bench_env.cr.sql_log_count - queries, result


def cron_sweep(method):
    """Run a cron until it reports nothing remaining: (total s, runs, max queries a run)."""
    total, runs, max_queries = 0.0, 0, 0
    progress = {}

    def notify(done=0, remaining=0, **_kw):
        progress["remaining"] = remaining

    cron_model = bench_env["ir.cron"]
    original = type(cron_model)._notify_progress
    type(cron_model)._notify_progress = lambda self, **kw: notify(**kw)
    try:
        while True:
            seconds, queries, _result = measure(
                lambda: getattr(bench_env["assist.assignment"], method)()
            )
            total += seconds
            runs += 1
            max_queries = max(max_queries, queries)
            if not progress.get("remaining"):
                break
    finally:
        type(cron_model)._notify_progress = original
    return total, runs, max_queries


rows = []
generated = 0
for size in SIZES:
    print(f"Generating up to {size} families...", flush=True)
    generate(generated, size)
    generated = size
    # the deadlines cron from scratch (every activity to create), then again (nothing to do)
    bench_env["mail.activity"].search([("assist_rule_id", "!=", False)]).unlink()
    bench_env["ir.config_parameter"].set_param("family_assistant.deadline_cursor", 0)
    first = cron_sweep("_cron_deadlines")
    again = cron_sweep("_cron_deadlines")
    reports = cron_sweep("_cron_monthly_reports")
    dashboard = measure(lambda: bench_env["assist.dashboard"].with_user(head).create({}).content)
    listing = measure(
        lambda: (
            bench_env["assist.assignment"]
            .with_user(head)
            .web_search_read(
                [],
                {
                    "name": {},
                    "family_id": {"fields": {"display_name": {}}},
                    "state": {},
                    "assistant_id": {"fields": {"display_name": {}}},
                },
                limit=80,
            )
        )
    )
    rows.append((size, first, again, reports, dashboard[:2], listing[:2]))

HEADER = (
    "| families | deadlines cron, first sweep | deadlines cron, again | monthly-report drafts "
    "| head's dashboard | assignments list (80) |"
)
lines = [HEADER, "|---:|---|---|---|---|---|"]


def sweep(result):
    seconds, runs, queries = result
    return f"{seconds:.2f} s, {runs} runs, ≤{queries} queries/run"


for size, first, again, reports, dashboard, listing in rows:
    lines.append(
        f"| {size} | {sweep(first)} | {sweep(again)} | {sweep(reports)} "
        f"| {dashboard[0]:.2f} s, {dashboard[1]} queries "
        f"| {listing[0]:.2f} s, {listing[1]} queries |"
    )
table = "\n".join(lines)
print(table)
out = os.environ.get("BENCH_OUT")
if out:
    with open(out, "w", encoding="utf-8") as handle:
        handle.write(
            "# Benchmarks\n\nProduced by `make bench` (tools/bench.py) on "
            f"{today}, on this project's 2-core machine, in a separate database "
            "`family_assistant_bench`. Each family has a case in cooperation, 8 weekly visits, "
            "a plan and a submitted report; the crons run in batches of 1000 cases a run "
            "(the cron framework runs them again while some remain).\n\n"
            f"{table}\n"
        )
