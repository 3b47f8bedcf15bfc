# SPDX-License-Identifier: GPL-2.0
# Build driver of the memory RAS patch series for Linux 6.12.
#
#   make            apply the series to the base tree, configure, build
#   make run        boot the kernel in QEMU (APPEND=, OVERLAY=, RUN=)
#   make check      lint, the builds, KUnit and guest tests, series check
#   make lint       checkpatch, sparse, W=1, kernel-doc
#   make series     export the series as git format-patch mails
#   make refresh    regenerate patches/ against the base, mechanically
#   make bench      benchmarks under QEMU -icount, series vs baseline
#   make kernel-M   a kernel of configure mode M in $(CACHE)/build-M
#
# Everything built lives in $(CACHE), outside the work tree.

SHELL		:= /bin/bash
TOP		:= $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
CACHE		?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/ras-series
export CACHE
SRC		:= $(CACHE)/src
BUILD		:= $(CACHE)/build
BUILD_OFF	:= $(CACHE)/build-off
GUEST		:= $(CACHE)/guest
# Benchmark baseline: the series without these patches (of patches/series),
# built from its own tree.
BENCH_BASELINE_DROP ?= 0009-mm-mark-an-mm-used-outside-its-thread-group.patch \
			0010-mm-memory-failure-collect-only-the-mappers.patch
SRC_BASELINE	:= $(CACHE)/src-baseline
BUILD_BASELINE	:= $(CACHE)/build-bench-baseline
JOBS		?= $(shell echo $$(( $$(nproc) + 1 )))
export CCACHE_DIR ?= $(CACHE)/ccache
# Dependencies from the compiler's own -MMD output, not a second
# preprocessor run: a miss (a cold build) then costs what a compile does.
export CCACHE_DEPEND ?= 1
# $(call kmake,SRC): kbuild in source tree SRC.
kmake		= $(MAKE) -C $(1) ARCH=x86_64 CC="ccache gcc" HOSTCC="ccache gcc" \
		  KBUILD_BUILD_TIMESTAMP=2024-11-17 KBUILD_BUILD_USER=ras \
		  KBUILD_BUILD_HOST=ras -j$(JOBS)
KMAKE		= $(call kmake,$(SRC))
RUNNER		:= python3 $(TOP)/harness/runner.py
# Selftest directories of the series, built into the guest.
SELFTESTS	:= mem_reliable hwpoison clear_freelist shrink_pagecache
# Every C file the series patches, built with the options off, and the
# users of the patched headers that are not among them: mm/debug.c prints
# the gfp flags of mmflags.h, mm/slab_common.c instantiates kmem.h.
TOUCHED_OBJS	:= $(sort $(shell sed -n -e '\|^+++ b/tools/|d' \
		     -e 's|^+++ b/\(.*\)\.c$$|\1.o|p' $(TOP)/patches/*.patch) \
		     mm/debug.o mm/slab_common.o)
# The series' own files that KUnit makes visible: built with KUnit off too.
NOKUNIT_OBJS	:= mm/mem_reliable.o mm/clear_freelist_page.o
RUN		?=
APPEND		?=
OVERLAY		?=
TIMEOUT		?= 600

.PHONY: all deps tree config build build-off initramfs run check test test-boots lint \
	series refresh bench tree-baseline kernel-baseline clean help FORCE
.DEFAULT_GOAL := all

all: build initramfs

help:
	@sed -n '3,13p' $(TOP)/Makefile | sed 's/^# \?//'

deps:
	@$(TOP)/harness/deps

tree: deps
	@$(TOP)/harness/prepare-tree

config: tree
	@$(TOP)/harness/configure $(SRC) $(BUILD) on

build: config
	@echo "build: $(BUILD) ($(JOBS) jobs, ccache in $(CCACHE_DIR))"
	@$(KMAKE) O=$(BUILD) -s bzImage
	@ls -l $(BUILD)/arch/x86/boot/bzImage | awk '{print "build: bzImage " $$5 " bytes"}'

# Another configuration of the series' tree (harness/configure's modes):
# kernel-nomemcg for the boots with "kernel = nomemcg", kernel-bench for
# the benchmarks.  kernel-on is $(BUILD), made by "build".
# kbuild-M: the same without preparing the tree again ("test" after "all").
define variant
	@$(TOP)/harness/configure $(SRC) $(CACHE)/build-$(1) $(1)
	@echo "build: $(CACHE)/build-$(1) ($(JOBS) jobs)"
	@$(KMAKE) O=$(CACHE)/build-$(1) -s bzImage
endef
kernel-on: build
kernel-%: tree FORCE
	$(call variant,$*)
kbuild-%: FORCE
	$(call variant,$*)

# The benchmark baseline: the series without $(BENCH_BASELINE_DROP), in
# its own tree (kept incremental like $(SRC)), configured as kernel-bench.
tree-baseline: deps
	@$(TOP)/harness/prepare-tree $(SRC_BASELINE) $(BENCH_BASELINE_DROP)

kernel-baseline: tree-baseline
	@$(TOP)/harness/configure $(SRC_BASELINE) $(BUILD_BASELINE) bench
	@echo "build: $(BUILD_BASELINE) (without $(BENCH_BASELINE_DROP))"
	@$(call kmake,$(SRC_BASELINE)) O=$(BUILD_BASELINE) -s bzImage

FORCE:

# Every option of the series off: the touched directories must still build;
# and the series' files with their options on but KUnit off.
build-off: tree
	@$(TOP)/harness/configure $(SRC) $(BUILD_OFF) off
	@echo "build-off: $(TOUCHED_OBJS) with every project option off"
	@$(KMAKE) O=$(BUILD_OFF) -s $(TOUCHED_OBJS)
	@$(TOP)/harness/configure $(SRC) $(CACHE)/build-nokunit nokunit
	@echo "build-off: $(NOKUNIT_OBJS) with the options on and KUnit off"
	@$(KMAKE) O=$(CACHE)/build-nokunit -s W=1 $(NOKUNIT_OBJS)

initramfs: tree
	@$(TOP)/harness/mkinitramfs $(SRC) $(GUEST)/initramfs.cpio $(SELFTESTS)

run: all
	@$(RUNNER) run \
		$(if $(APPEND),--extra '$(subst ','\'',$(APPEND))') \
		$(if $(OVERLAY),--overlay "$(abspath $(OVERLAY))") \
		$(if $(RUN),--cmd '$(subst ','\'',$(RUN))') --timeout $(TIMEOUT)

# Besides the "on" kernel, the variants the selected boots name: built in
# the background at the lowest priority while the boots of the "on" kernel
# run (they leave about a core idle), their own boots run last.
test: all test-boots

test-boots:
	@vs=$$($(RUNNER) kernels $(if $(ONLY),--only $(ONLY))) || exit 1; \
	wait_args=; \
	for v in $$vs; do \
		rm -f $(CACHE)/build-$$v.status; \
		wait_args="$$wait_args --wait-build $$v=$(CACHE)/build-$$v"; \
	done; \
	if [ -n "$$vs" ]; then \
		( for v in $$vs; do \
			nice -n 19 $(MAKE) -s -f $(TOP)/Makefile kbuild-$$v \
				> $(CACHE)/build-$$v.log 2>&1; \
			echo $$? > $(CACHE)/build-$$v.status; \
		done ) & \
	fi; \
	$(RUNNER) check $(if $(ONLY),--only $(ONLY)) --keep $(CACHE)/logs \
		$$wait_args; rc=$$?; wait; exit $$rc

lint: build
	@$(TOP)/harness/lint

series: tree
	@$(TOP)/harness/series export

refresh: deps
	@$(TOP)/harness/refresh

# Never the debug kernel: kernel-bench, and the baselines for the ratios:
# the series without $(BENCH_BASELINE_DROP) for hwpoison, the series
# without CONFIG_MEMORY_RELIABLE for tiering; clear_freelist_pages is
# measured against the kernel's clear_highpage() on the same kernel.
# BENCH=hwpoison, tiering, clear or limits runs one of the four.
BENCH		?= all
bench: initramfs kernel-bench $(if $(filter all hwpoison,$(BENCH)),kernel-baseline) \
		$(if $(filter all tiering,$(BENCH)),kernel-bench-noreliable)
ifneq ($(filter all hwpoison,$(BENCH)),)
	@$(TOP)/harness/bench $(CACHE)/build-bench/arch/x86/boot/bzImage \
		$(BUILD_BASELINE)/arch/x86/boot/bzImage "$(BENCH_BASELINE_DROP)"
endif
ifneq ($(filter all tiering,$(BENCH)),)
	@$(TOP)/harness/bench-tiering $(CACHE)/build-bench/arch/x86/boot/bzImage \
		$(CACHE)/build-bench-noreliable/arch/x86/boot/bzImage
endif
ifneq ($(filter all clear,$(BENCH)),)
	@$(TOP)/harness/bench-clear $(CACHE)/build-bench/arch/x86/boot/bzImage
endif
ifneq ($(filter all limits,$(BENCH)),)
	@$(TOP)/harness/bench-limits $(CACHE)/build-bench/arch/x86/boot/bzImage
endif

# lint's W=1 compile leaves objects that differ from the bzImage's only by
# their flags: the boots use the bzImage "build" made, not a relinked one.
check: lint build-off series initramfs
	@$(TOP)/harness/series verify
	@$(MAKE) -s -f $(TOP)/Makefile test-boots

clean:
	rm -rf $(CACHE)/stage $(CACHE)/src $(BUILD) $(BUILD_OFF) $(GUEST) \
		$(CACHE)/series $(CACHE)/logs $(CACHE)/build-* \
		$(CACHE)/stage-baseline $(SRC_BASELINE)
