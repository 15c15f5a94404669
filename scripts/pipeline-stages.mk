# pipeline-stages.mk: the batch rules of the main job (see pipeline.mk), made
# from OUT/.state/batches.mk, which pipeline-sync writes.
SHELL = /bin/bash
.SHELLFLAGS = -o pipefail -c
.DELETE_ON_ERROR:
# No built-in rules: with them Make searches an implicit rule for each of the
# tens of thousands of document links on every run (seconds of strcmp).
MAKEFLAGS += --no-builtin-rules --check-symlink-times
.SUFFIXES:
include $(OUT)/.state/batches.mk

STATE  := $(OUT)/.state
K_LIST := $(shell seq 0 $$(( $(NBATCHES) - 1 )))
STAMPS := $(K_LIST:%=$(STATE)/batch-$(NBATCHES)-%.done)

.PHONY: tables
tables: $(STATE)/tables.done

# What every document's results depend on beside its raw file: the four
# tools, the data files they read (found as the tools find them, common/cli.c:
# LAWTEXT_DATA, else ../data or ../../../data beside the real binary) and
# the batch script. When one of them is newer than a batch's stamp (a
# rebuilt tool, an edited rules file), every document of the batch is
# processed again.
TOOLDIR := $(dir $(realpath $(BIN)/encfix))
DATA := $(or $(LAWTEXT_DATA),$(if $(TOOLDIR),$(firstword $(wildcard $(TOOLDIR)../data $(TOOLDIR)../../../data))))
TOOLDEPS := $(addprefix $(BIN)/,encfix deboiler secsplit indtag) \
	$(wildcard $(DATA)/*.tsv $(DATA)/*.rules) $(SCRIPTS)/pipeline-batch $(SCRIPTS)/pipeline-batch.awk

# The batch recipe's command; scripts/cluster-run replaces it with one that
# lists the batches to run, to send them to other machines.
PIPELINE_BATCH ?= '$(SCRIPTS)/pipeline-batch'

# One rule per batch: its prerequisites are the documents' links in OUT/.raw
# (with --check-symlink-times, a link made anew by pipeline-sync is newer
# than the stamp; pipeline-sync lists only the links that may be, so that
# Make does not stat 20,000 links on every run) and the batch's document
# list (a document gone), and TOOLDEPS. The ids of the documents changed
# ($? but the list), sorted by Make (byte order, the tables' order), can be
# many: they go through a file, never the command line; "*" stands for all
# of the batch's (a tool changed).
define batch_rule
$(STATE)/batch-$(NBATCHES)-$(1).done: $(addprefix $(OUT)/.raw/,$(addsuffix .raw,$(BATCH_$(1)))) $(STATE)/batch-$(1).list $(TOOLDEPS)
	$$(file >$(STATE)/batch-$(1).todo,$$(if $$(filter $(TOOLDEPS),$$?),*,$$(sort $$(patsubst $(OUT)/.raw/%.raw,%,$$(filter $(OUT)/.raw/%.raw,$$?)))))
	@$(PIPELINE_BATCH) '$(OUT)' '$(BIN)' '$(1)/$(NBATCHES)' '$(STATE)/batch-$(1).todo' '$$@'
endef
$(foreach k,$(K_LIST),$(eval $(call batch_rule,$(k))))

$(STATE)/tables.done: $(STAMPS) $(STATE)/docs.list $(wildcard $(STATE)/sync-problems.tsv)
	@'$(SCRIPTS)/pipeline-tables' '$(OUT)' '$(BIN)' '$@'
