// SPDX-License-Identifier: GPL-2.0
/*
 * mem_reliable_zones: with kernelcore=reliable and mirrored_mem=, check
 * that mirrored memory is in the zones below ZONE_MOVABLE and the
 * non-mirrored memory above 4 GiB in ZONE_MOVABLE, exactly:
 *  - every mirrored memory block lies in one zone below ZONE_MOVABLE;
 *  - each node's ZONE_MOVABLE starts at its first non-mirrored page
 *    above 4 GiB;
 *  - each node's ZONE_MOVABLE holds as many pages as the node has
 *    non-mirrored memory above 4 GiB, and its ZONE_NORMAL as many as it
 *    has mirrored memory there.
 * (ZONE_NORMAL spans the whole node with kernelcore=mirror, so
 * valid_zones of a non-mirrored block reads "none".)  mirrored_mem= only
 * takes ranges aligned to memory blocks: a partly mirrored block fails.
 *
 * The mirrored ranges are read from /proc/cmdline, the layout from
 * /sys/devices/system/node and /sys/devices/system/memory, the zones
 * from /proc/zoneinfo.
 */
#include <dirent.h>
#include "../kselftest.h"
#include "mem_reliable_util.h"

#define MAX_NODES	8

static uint64_t block_size;

/* 1 mirrored, 0 not mirrored, -1 partly */
static int block_mirrored(struct mr_range *r, int nr, uint64_t start)
{
	uint64_t covered = mr_mirrored_bytes(r, nr, start, start + block_size);

	if (covered == block_size)
		return 1;
	return covered ? -1 : 0;
}

static bool block_zone(unsigned long idx, char *zone, size_t len)
{
	char path[128], *buf;

	snprintf(path, sizeof(path),
		 "/sys/devices/system/memory/memory%lu/valid_zones", idx);
	buf = mr_read_file(path);
	if (!buf)
		return false;
	buf[strcspn(buf, "\n")] = '\0';
	snprintf(zone, len, "%s", buf);
	free(buf);
	return true;
}

/* Does each node's zone @name have exactly @want[node] present pages? */
static bool zone_holds(struct mr_zone *z, int nz, const char *name,
		       const unsigned long *want)
{
	bool ok = true;
	int node;

	for (node = 0; node < MAX_NODES; node++) {
		unsigned long present = mr_zone_present(z, nz, node, name);

		if (present != want[node]) {
			ksft_print_msg("node %d: zone %s %lu pages, want %lu\n",
				       node, name, present, want[node]);
			ok = false;
		}
	}
	return ok;
}

int main(void)
{
	struct mr_range r[MR_MAX_RANGES];
	struct mr_zone z[MR_MAX_ZONES];
	unsigned long first_movable[MAX_NODES] = { 0 };
	unsigned long movable_pages[MAX_NODES] = { 0 };
	unsigned long normal_pages[MAX_NODES] = { 0 };
	int nr, nz, node, i, bad = 0, blocks = 0, partial = 0;
	char *bs;

	ksft_print_header();
	nr = mr_cmdline_mirrors(r, MR_MAX_RANGES);
	bs = mr_read_file("/sys/devices/system/memory/block_size_bytes");
	if (!nr || !bs)
		ksft_exit_fail_msg("need mirrored_mem= and memory block sysfs\n");
	block_size = strtoull(bs, NULL, 16);
	free(bs);
	nz = mr_zoneinfo(z, MR_MAX_ZONES);
	ksft_set_plan(6);

	for (node = 0; node < MAX_NODES; node++) {
		char path[64];
		struct dirent *d;
		DIR *dir;

		snprintf(path, sizeof(path), "/sys/devices/system/node/node%d", node);
		dir = opendir(path);
		if (!dir)
			continue;
		while ((d = readdir(dir))) {
			unsigned long idx;
			uint64_t start;
			char zone[64];
			int mirrored;

			if (sscanf(d->d_name, "memory%lu", &idx) != 1)
				continue;
			start = idx * block_size;
			mirrored = block_mirrored(r, nr, start);
			if (mirrored < 0) {
				/* mirrored_mem= must have refused this layout */
				ksft_print_msg("memory block %#llx on node %d is partly mirrored\n",
					       (unsigned long long)start, node);
				partial++;
				continue;
			}
			if (!block_zone(idx, zone, sizeof(zone))) {
				ksft_print_msg("no valid_zones for memory block %#llx\n",
					       (unsigned long long)start);
				bad++;
				continue;
			}
			if (mirrored) {
				blocks++;
				if (strcmp(zone, "DMA") && strcmp(zone, "DMA32") &&
				    strcmp(zone, "Normal")) {
					ksft_print_msg("mirrored block %#llx on node %d is in %s\n",
						       (unsigned long long)start,
						       node, zone);
					bad++;
				}
			}
			if (start < SZ_4G)
				continue;
			if (mirrored) {
				normal_pages[node] += block_size >> 12;
			} else {
				unsigned long pfn = start >> 12;

				if (!first_movable[node] || pfn < first_movable[node])
					first_movable[node] = pfn;
				movable_pages[node] += block_size >> 12;
			}
		}
		closedir(dir);
	}
	ksft_test_result(!partial, "no memory block partly mirrored (%d)\n",
			 partial);
	ksft_test_result(blocks > 0 && !bad,
			 "%d mirrored memory blocks each in one zone below ZONE_MOVABLE\n",
			 blocks);

	bad = 0;
	for (i = 0; i < nz; i++) {
		if (strcmp(z[i].name, "Movable") || !z[i].present)
			continue;
		node = z[i].node;
		if (node >= MAX_NODES || z[i].start_pfn != first_movable[node]) {
			ksft_print_msg("node %d: ZONE_MOVABLE at pfn %#lx, want %#lx\n",
				       node, z[i].start_pfn,
				       node < MAX_NODES ? first_movable[node] : 0);
			bad++;
		}
	}
	ksft_test_result(!bad, "ZONE_MOVABLE starts at its node's first non-mirrored page\n");

	ksft_test_result(zone_holds(z, nz, "Movable", movable_pages),
			 "ZONE_MOVABLE holds exactly the non-mirrored memory\n");
	ksft_test_result(zone_holds(z, nz, "Normal", normal_pages),
			 "ZONE_NORMAL holds exactly the mirrored memory above 4G\n");

	ksft_test_result(mr_zone_present(z, nz, -1, "Movable") > 0 &&
			 mr_zone_present(z, nz, -1, "Normal") > 0,
			 "both tiers populated\n");
	ksft_finished();
}
