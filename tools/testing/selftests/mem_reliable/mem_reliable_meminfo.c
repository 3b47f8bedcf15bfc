// SPDX-License-Identifier: GPL-2.0
/*
 * mem_reliable_meminfo: the Reliable* lines of /proc/meminfo against the
 * zones of /proc/zoneinfo.  ReliableTotal is the managed memory of every
 * zone below ZONE_MOVABLE, exactly; ReliableUsed is that less the free
 * pages of those zones, which move while we read, so it is checked to lie
 * within the values read just before and just after it.
 */
#include "../kselftest.h"
#include "mem_reliable_util.h"

#define SLACK_KB	512	/* pages the reads themselves may allocate */

static void mirrored_zones_kb(long long *managed, long long *used)
{
	struct mr_zone z[MR_MAX_ZONES];
	int i, nz = mr_zoneinfo(z, MR_MAX_ZONES);
	long long free = 0;

	*managed = 0;
	for (i = 0; i < nz; i++) {
		if (!strcmp(z[i].name, "Movable"))
			continue;
		*managed += z[i].managed * 4;
		free += z[i].free * 4;
	}
	*used = *managed - free;
}

int main(void)
{
	long long total, used, mtotal, zmanaged, zused1, zused2, lo, hi;

	ksft_print_header();
	ksft_set_plan(4);

	mirrored_zones_kb(&zmanaged, &zused1);
	total = mr_meminfo("ReliableTotal");
	used = mr_meminfo("ReliableUsed");
	mirrored_zones_kb(&zmanaged, &zused2);
	mtotal = mr_meminfo("MemTotal");

	ksft_test_result(total == zmanaged,
			 "ReliableTotal %lld kB == managed below ZONE_MOVABLE %lld kB\n",
			 total, zmanaged);
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
