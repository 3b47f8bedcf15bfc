// SPDX-License-Identifier: GPL-2.0
/*
 * mem_reliable_hotplug: memory hotplug under memory reliability tiering,
 * with real QEMU DIMMs that the harness adds and removes through the
 * monitor when this program prints "RAS-QMP <command>".
 *
 *  - a 512 MiB DIMM on node 1 onlined with online_kernel (through
 *    auto_online_blocks) is mirrored: ReliableTotal and MemTotal grow by
 *    512 MiB and its blocks report Normal; offlined again, both totals
 *    are back;
 *  - the same blocks onlined with online_movable are not mirrored:
 *    MemTotal grows by 512 MiB, ReliableTotal does not;
 *  - hot-removal (device_del, the kernel offlines and removes the blocks)
 *    brings both totals back and the blocks disappear;
 *  - a second DIMM with auto_online_blocks=online_movable comes up
 *    Movable, and goes away again.
 */
#define _GNU_SOURCE
#include "../kselftest.h"
#include "mem_reliable_util.h"

#define DIMM_KB		(512 * 1024LL)
#define MEMDIR		"/sys/devices/system/memory/"

static void qmp(const char *cmd)
{
	printf("RAS-QMP %s\n", cmd);
	fflush(stdout);
}

/* Blocks present (any state) above @first; fills @ids. */
static int blocks_from(long first, long *ids, int max)
{
	char path[64];
	int n = 0;
	long id;

	for (id = first; id < MR_MAX_BLOCKS && n < max; id++) {
		snprintf(path, sizeof(path), MEMDIR "memory%ld", id);
		if (!access(path, F_OK))
			ids[n++] = id;
	}
	return n;
}

static long last_boot_block(void)
{
	char path[64];
	long id, last = -1;

	for (id = 0; id < MR_MAX_BLOCKS; id++) {
		snprintf(path, sizeof(path), MEMDIR "memory%ld", id);
		if (!access(path, F_OK))
			last = id;
	}
	return last;
}

static int state_of(long id, char *buf, size_t size)
{
	char path[64];

	snprintf(path, sizeof(path), MEMDIR "memory%ld/state", id);
	return mr_read(path, buf, size);
}

/* Wait until @n blocks above @first are in @state (NULL: exist at all). */
static bool wait_blocks(long first, int n, const char *state, long *ids)
{
	int i, k, got;

	for (i = 0; i < 300; i++) {
		got = blocks_from(first, ids, 64);
		if (state && got == n) {
			char s[32];

			for (k = 0; k < got; k++)
				if (state_of(ids[k], s, sizeof(s)) || strcmp(s, state))
					break;
			if (k == got)
				return true;
		}
		if (!state && got == n)
			return true;
		mr_sleep_ms(100);
	}
	return false;
}

static bool set_all(long *ids, int n, const char *state)
{
	char path[64];
	int k;

	for (k = 0; k < n; k++) {
		snprintf(path, sizeof(path), MEMDIR "memory%ld/state", ids[k]);
		if (mr_write(path, state))
			return false;
	}
	return true;
}

static bool zones_are(long *ids, int n, const char *zone)
{
	char path[80], z[64];
	int k;

	for (k = 0; k < n; k++) {
		snprintf(path, sizeof(path), MEMDIR "memory%ld/valid_zones", ids[k]);
		if (mr_read(path, z, sizeof(z)) || strcmp(z, zone))
			return false;
	}
	return true;
}

struct totals {
	long long mem, rel;
};

static struct totals totals(void)
{
	struct totals t = { mr_meminfo("MemTotal"), mr_meminfo("ReliableTotal") };

	return t;
}

int main(void)
{
	long last = last_boot_block(), ids[64];
	long long want_blocks;
	struct totals t0, t1, t2, t3, t4;
	char bs[32];
	bool ok;
	int n;

	ksft_print_header();
	if (mr_read(MEMDIR "block_size_bytes", bs, sizeof(bs)))
		ksft_exit_fail_msg("no memory blocks\n");
	want_blocks = DIMM_KB * 1024 / strtoll(bs, NULL, 16);
	ksft_set_plan(11);
	t0 = totals();

	/* 1. online_kernel: mirrored. */
	mr_write(MEMDIR "auto_online_blocks", "online_kernel");
	qmp("object_add memory-backend-ram,id=hp0,size=512M");
	qmp("device_add pc-dimm,id=dimm0,memdev=hp0,node=1");
	ok = wait_blocks(last + 1, want_blocks, "online", ids);
	n = ok ? (int)want_blocks : 0;
	t1 = totals();
	ksft_test_result(ok && zones_are(ids, n, "Normal"),
			 "DIMM onlined with online_kernel: %d blocks from memory%ld, zone Normal\n",
			 n, last + 1);
	ksft_test_result(t1.mem == t0.mem + DIMM_KB && t1.rel == t0.rel + DIMM_KB,
			 "MemTotal %lld -> %lld, ReliableTotal %lld -> %lld kB (+%lld each)\n",
			 t0.mem, t1.mem, t0.rel, t1.rel, DIMM_KB);

	ok = n && set_all(ids, n, "offline");
	t2 = totals();
	ksft_test_result(ok && t2.mem == t0.mem && t2.rel == t0.rel,
			 "offlined: MemTotal %lld, ReliableTotal %lld kB, as before\n",
			 t2.mem, t2.rel);

	/* 2. The same memory as non-mirrored. */
	ok = n && set_all(ids, n, "online_movable");
	t3 = totals();
	ksft_test_result(ok && zones_are(ids, n, "Movable"),
			 "onlined with online_movable: zone Movable\n");
	ksft_test_result(t3.mem == t0.mem + DIMM_KB && t3.rel == t0.rel,
			 "MemTotal %lld (+%lld), ReliableTotal %lld kB unchanged\n",
			 t3.mem, t3.mem - t0.mem, t3.rel);

	/* 3. Hot-removal: the kernel offlines and removes the blocks. */
	qmp("device_del dimm0");
	ok = wait_blocks(last + 1, 0, NULL, ids);
	qmp("object_del hp0");
	t4 = totals();
	ksft_test_result(ok, "device_del: the DIMM's blocks are gone\n");
	ksft_test_result(t4.mem == t0.mem && t4.rel == t0.rel,
			 "after removal: MemTotal %lld, ReliableTotal %lld kB, as at boot\n",
			 t4.mem, t4.rel);

	/* 4. auto_online_blocks=online_movable. */
	mr_write(MEMDIR "auto_online_blocks", "online_movable");
	qmp("object_add memory-backend-ram,id=hp1,size=512M");
	qmp("device_add pc-dimm,id=dimm1,memdev=hp1,node=1");
	ok = wait_blocks(last + 1, want_blocks, "online", ids);
	n = ok ? (int)want_blocks : 0;
	t1 = totals();
	ksft_test_result(ok && zones_are(ids, n, "Movable"),
			 "DIMM with auto_online_blocks=online_movable: %d blocks, zone Movable\n",
			 n);
	ksft_test_result(t1.mem == t0.mem + DIMM_KB && t1.rel == t0.rel,
			 "MemTotal %lld (+%lld), ReliableTotal %lld kB unchanged\n",
			 t1.mem, t1.mem - t0.mem, t1.rel);
	qmp("device_del dimm1");
	ok = wait_blocks(last + 1, 0, NULL, ids);
	qmp("object_del hp1");
	t4 = totals();
	ksft_test_result(ok && t4.mem == t0.mem && t4.rel == t0.rel,
			 "removed again: MemTotal %lld, ReliableTotal %lld kB\n",
			 t4.mem, t4.rel);
	mr_write(MEMDIR "auto_online_blocks", "offline");
	ksft_test_result(mr_meminfo("ReliableBuddyMem") > 0,
			 "tiering still up: ReliableBuddyMem %lld kB\n",
			 mr_meminfo("ReliableBuddyMem"));
	ksft_finished();
}
