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

# One rule per batch: its prerequisites are the documents' links in OUT/.raw
# (with --check-symlink-times, a link made anew by pipeline-sync is newer
# than the stamp; pipeline-sync lists only the links that may be, so that
# Make does not stat 20,000 links on every run) and the batch's document
# list (a document gone). The ids of the documents changed ($? but the
# list), sorted by Make (byte order, the tables' order), can be many: they
# go through a file, never the command line.
define batch_rule
$(STATE)/batch-$(NBATCHES)-$(1).done: $(addprefix $(OUT)/.raw/,$(addsuffix .raw,$(BATCH_$(1)))) $(STATE)/batch-$(1).list
	$$(file >$(STATE)/batch-$(1).todo,$$(sort $$(patsubst $(OUT)/.raw/%.raw,%,$$(filter $(OUT)/.raw/%.raw,$$?))))
	@'$(SCRIPTS)/pipeline-batch' '$(OUT)' '$(BIN)' '$(1)/$(NBATCHES)' '$(STATE)/batch-$(1).todo' '$$@'
endef
$(foreach k,$(K_LIST),$(eval $(call batch_rule,$(k))))

$(STATE)/tables.done: $(STAMPS) $(STATE)/docs.list
	@'$(SCRIPTS)/pipeline-tables' '$(OUT)' '$(BIN)' '$@'
