# pipeline.mk: the main job, raw pages -> clean text -> documents -> sections
# -> figures -> corpus tables. Run through `make run [IN=dir] [OUT=dir]`.
#
# Make does the scheduling. pipeline-sync (tools/pipeline-sync/) gives each
# raw file a safe id and a link OUT/.raw/ID.raw that it makes anew only when
# the raw file's signature (size, mtime, path) changed; the documents fall
# into NBATCHES fixed batches, and a batch's recipe (pipeline-batch) runs
# each stage ONCE over the documents of the batch that changed (Make's $?,
# the links newer than the batch's stamp) and leaves their rows for the
# corpus tables, which pipeline-tables then updates in one pass each. A
# rerun with no new input does nothing; a touched file reprocesses just its
# document and updates the tables; a rebuilt tool or an edited data file
# reprocesses every document. `make -j N` runs batches in parallel. A bad
# document is recorded in problems.tsv and never stops the others.
SHELL = /bin/bash
.SHELLFLAGS = -o pipefail -c
SCRIPTS := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))
IN  ?= samples
OUT ?= out
BIN ?= bin
# The number of batches is fixed per OUT, not tied to -j: a document's batch
# must not move between runs. It is twice the processors when OUT is made
# (then recorded in OUT/.state/nbatches by pipeline-sync): enough batches to
# keep every processor busy from scratch, and few, for each batch that runs
# costs a dozen process starts however few of its documents changed.
# NBATCHES=N on the command line changes it (every document is processed
# again then).
ifndef NBATCHES
NBATCHES := $(strip $(file <$(OUT)/.state/nbatches))
ifeq ($(NBATCHES),)
NBATCHES := $(shell echo $$(( 2 * $$(nproc 2>/dev/null || echo 1) )))
endif
endif

# Every entry of IN that cannot be read or leads outside IN is a problem
# row, and the job goes on; FOLLOW_OUTSIDE=1 follows symbolic links to files
# outside IN.
SYNCFLAGS := $(if $(filter 1,$(FOLLOW_OUTSIDE)),--follow-outside)

# One run at a time on an OUT: the lock OUT/.lock (flock) is held by the
# recipe's shell, and so by everything it starts; a second run fails at once
# with a message (exit status 2, make's for a failed recipe). The exit status
# is 0 when every document either made it or failed for its data; 1
# (pipeline-summary) when some failed for an outside reason (a full disk, a
# read error), which the next run retries.
.PHONY: run
run:
	@mkdir -p '$(OUT)'
	@exec 9>>'$(OUT)/.lock' && if ! flock -n 9; then \
		echo "pipeline: $(OUT) is in use by another run (lock $(OUT)/.lock): not started" >&2; exit 1; fi; \
	'$(BIN)/pipeline-sync' $(SYNCFLAGS) '$(IN)' '$(OUT)' $(NBATCHES) && \
	'$(SCRIPTS)/pipeline-progress' '$(OUT)' $(MAKE) --no-print-directory --no-builtin-rules --check-symlink-times -f '$(SCRIPTS)/pipeline-stages.mk' \
		SCRIPTS='$(SCRIPTS)' OUT='$(OUT)' BIN='$(BIN)' NBATCHES=$(NBATCHES) tables && \
	rm -f '$(OUT)/.state/running' && \
	'$(SCRIPTS)/pipeline-summary' '$(OUT)'
