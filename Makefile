# SPDX-License-Identifier: GPL-2.0
# Build driver of the memory RAS patch series for Linux 6.12.
#
#   make            apply the series to the base tree, configure, build
#   make run        boot the kernel in QEMU (APPEND=, OVERLAY=, RUN=)
#   make check      lint, both builds, KUnit and guest tests, series check
#   make lint       checkpatch, sparse, W=1, kernel-doc
#   make series     export the series as git format-patch mails
#   make refresh    regenerate patches/ against the base, mechanically
#   make bench      benchmarks under QEMU -icount, printed as ratios
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
JOBS		?= $(shell echo $$(( $$(nproc) + 1 )))
export CCACHE_DIR ?= $(CACHE)/ccache
KMAKE		= $(MAKE) -C $(SRC) ARCH=x86_64 CC="ccache gcc" HOSTCC="ccache gcc" \
		  KBUILD_BUILD_TIMESTAMP=2024-11-17 KBUILD_BUILD_USER=ras \
		  KBUILD_BUILD_HOST=ras -j$(JOBS)
# Selftest directories of the series, built into the guest.
SELFTESTS	:= mem_reliable hwpoison
# Directories the series touches: linted, and built with the options off.
TOUCHED		:= mm fs/proc arch/x86/kernel
RUN		?=
APPEND		?=
OVERLAY		?=
TIMEOUT		?= 600

.PHONY: all deps tree config build build-off initramfs run check test lint \
	series refresh bench clean help
.DEFAULT_GOAL := all

all: build initramfs

help:
	@sed -n '3,12p' $(TOP)/Makefile | sed 's/^# \?//'

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

# Every option of the series off: the touched directories must still build.
build-off: tree
	@$(TOP)/harness/configure $(SRC) $(BUILD_OFF) off
	@echo "build-off: $(TOUCHED) with every project option off"
	@$(KMAKE) O=$(BUILD_OFF) -s $(addsuffix /,$(TOUCHED))

initramfs: tree
	@$(TOP)/harness/mkinitramfs $(SRC) $(GUEST)/initramfs.cpio $(SELFTESTS)

run: all
	@python3 $(TOP)/harness/runner.py run \
		$(if $(APPEND),--extra '$(subst ','\'',$(APPEND))') \
		$(if $(OVERLAY),--overlay "$(abspath $(OVERLAY))") \
		$(if $(RUN),--cmd '$(subst ','\'',$(RUN))') --timeout $(TIMEOUT)

test: all
	@python3 $(TOP)/harness/runner.py check $(if $(ONLY),--only $(ONLY)) \
		--keep $(CACHE)/logs

lint: build
	@$(TOP)/harness/lint

series: tree
	@$(TOP)/harness/series export

refresh: deps
	@$(TOP)/harness/refresh

bench: all
	@$(TOP)/harness/bench

check: lint build-off series
	@$(TOP)/harness/series verify
	@$(MAKE) -s -f $(TOP)/Makefile test

clean:
	rm -rf $(CACHE)/stage $(CACHE)/src $(BUILD) $(BUILD_OFF) $(GUEST) \
		$(CACHE)/series $(CACHE)/logs
