# family_assistant: the two commands are `make run` and `make test` (see README.md).
.PHONY: run test stop lint shell bench loadtest
run:   ## demo database with Polish demo data, Odoo on http://127.0.0.1:$(HTTP_PORT)
	bash tools/dev.sh run
test:  ## fresh database, linters, translation check, every test
	bash tools/dev.sh test
stop:  ## stop Odoo and the private PostgreSQL cluster
	bash tools/dev.sh stop
lint:  ## ruff and pylint-odoo
	bash tools/dev.sh lint
shell: ## odoo shell on the demo database
	bash tools/dev.sh shell
bench: ## benchmark of the crons, the dashboard and the assignments list (docs/benchmarks.md)
	bash tools/dev.sh bench
loadtest: ## simulated users of each role beside the crons, Odoo with 2 workers (docs/benchmarks.md)
	bash tools/dev.sh loadtest
