// SPDX-License-Identifier: GPL-2.0
/*
 * mem_reliable_meminfo: the Reliable* lines of /proc/meminfo against the
 * memory map.  With the mirrored ranges of mirrored_mem= on the command
 * line and the RAM of /proc/iomem:
 *  - ReliableUnmirrored is the non-mirrored RAM below 4 GiB, exactly (the
 *    ranges are aligned to memory blocks, so none is left above 4 GiB);
 *  - ReliableTotal is MemTotal less the non-mirrored RAM above 4 GiB, that
 *    is all of the ZONE_MOVABLE memory, exactly (the kernel keeps its own
 *    allocations, hence all reserved memory, on mirrored memory);
 *  - ReliableUsed is ReliableTotal less the free pages of the zones below
 *    ZONE_MOVABLE, which move while we read, so it is checked to lie
 *    within the values read from /proc/zoneinfo just before and after.
 */
#include "../kselftest.h"
#include "mem_reliable_util.h"

#define SLACK_KB	512	/* pages the reads themselves may allocate */

static long long mirrored_zones_used_kb(void)
{
	struct mr_zone z[MR_MAX_ZONES];
	int i, nz = mr_zoneinfo(z, MR_MAX_ZONES);
	long long used = 0;

	for (i = 0; i < nz; i++)
		if (strcmp(z[i].name, "Movable"))
			used += (long long)(z[i].managed - z[i].free) * 4;
	return used;
}

int main(void)
{
	long long total, used, unmirrored, mtotal, zused1, zused2, lo, hi;
	unsigned long long low_kb, high_kb;
	struct mr_range r[MR_MAX_RANGES];
	int nr;

	ksft_print_header();
	nr = mr_cmdline_mirrors(r, MR_MAX_RANGES);
	if (!nr || !mr_unmirrored_ram_kb(r, nr, &low_kb, &high_kb))
		ksft_exit_fail_msg("need mirrored_mem= and /proc/iomem\n");
	ksft_set_plan(5);

	zused1 = mirrored_zones_used_kb();
	total = mr_meminfo("ReliableTotal");
	used = mr_meminfo("ReliableUsed");
	zused2 = mirrored_zones_used_kb();
	unmirrored = mr_meminfo("ReliableUnmirrored");
	mtotal = mr_meminfo("MemTotal");

	ksft_test_result(unmirrored == (long long)low_kb,
			 "ReliableUnmirrored %lld kB == non-mirrored RAM below 4 GiB %llu kB\n",
			 unmirrored, low_kb);
	ksft_test_result(total == mtotal - (long long)high_kb,
			 "ReliableTotal %lld kB == MemTotal %lld kB - non-mirrored RAM above 4 GiB %llu kB\n",
			 total, mtotal, high_kb);
	lo = (zused1 < zused2 ? zused1 : zused2) - SLACK_KB;
	hi = (zused1 > zused2 ? zused1 : zused2) + SLACK_KB;
	ksft_test_result(used >= lo && used <= hi,
			 "ReliableUsed %lld kB within [%lld, %lld] kB from zoneinfo\n",
			 used, lo, hi);
	ksft_test_result(total > 0 && total < mtotal,
			 "0 < ReliableTotal %lld kB < MemTotal %lld kB\n",
			 total, mtotal);
	ksft_test_result(used > 0 && used < total,
			 "0 < ReliableUsed %lld kB < ReliableTotal\n", used);
	ksft_finished();
}
