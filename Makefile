# The two commands of the README, and a few helpers.
.PHONY: run test stop lint bench demo-db clean-db odoo-tests load faults backup restore upgrade-test

run:            ## install what is missing, make the demo database, serve http://127.0.0.1:8069
	@bash scripts/run.sh

test:           ## the same set-up, then every test (lint, unit, RPC, browser)
	@bash scripts/test.sh

stop:           ## stop Odoo, the 1C stand-in and PostgreSQL started by make run
	@bash scripts/stop.sh

odoo-tests:     ## Odoo's own crm, calendar, mail and account tests with the suite installed (own database, demo data)
	@bash scripts/setup.sh && bash scripts/pg.sh && bash scripts/odoo-tests.sh

lint:
	@bash scripts/lint.sh

bench:          ## fill a large database and print the benchmark ratios
	@bash scripts/bench.sh

load:           ## Locust load benchmark at workers 0, 4 workers and two nodes (bench/load, a few minutes each)
	@bash scripts/load.sh

faults:         ## kill -9 mid 1C sync and mid webhook burst, PostgreSQL restart, worker over its memory limit
	@bash scripts/faults.sh

backup:         ## database + filestore as Odoo's dump zip: make backup [DB=sales] [FILE=x.zip]
	@bash scripts/backup.sh $(DB) $(FILE)

restore:        ## make restore FILE=x.zip DB=new_name
	@bash scripts/restore.sh $(FILE) $(DB)

upgrade-test:   ## install the previous release (tag v0.4), fill the demo, upgrade to this code, compare
	@bash scripts/upgrade-test.sh

addon-tests:    ## the addons' own tests on a fresh database with Odoo's demo data, no Russian, no roubles (about 15 min)
	@bash scripts/setup.sh && bash scripts/pg.sh && bash scripts/addon-tests.sh

clean-db:       ## drop the demo database and its filestore (make run makes it again)
	@bash -c 'source scripts/lib.sh && drop_database "$$DB_NAME"'
