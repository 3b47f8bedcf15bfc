// SPDX-License-Identifier: GPL-2.0
/*
 * Memory reliability tiering core: the boot-time decision and the
 * accounting shown in /proc/meminfo.
 *
 * kernelcore=reliable builds on kernelcore=mirror: the firmware (or, on
 * test machines, mirrored_mem=) marks mirrored ranges, mm_init puts the
 * non-mirrored memory above 4 GiB into ZONE_MOVABLE, and everything below
 * ZONE_MOVABLE is the mirrored tier.
 */
#define pr_fmt(fmt) "mem reliable: " fmt

#include <linux/crash_dump.h>
#include <linux/init.h>
#include <linux/memblock.h>
#include <linux/mem_reliable.h>
#include <linux/mmzone.h>
#include <linux/nodemask.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/vmstat.h>

#include "internal.h"

DEFINE_STATIC_KEY_FALSE(mem_reliable);

/* Which of kernelcore=mirror and kernelcore=reliable came first. */
enum kernelcore_mode {
	KERNELCORE_DEFAULT,
	KERNELCORE_MIRROR,
	KERNELCORE_RELIABLE,
};

static enum kernelcore_mode kernelcore_mode __initdata;
static bool kernelcore_conflict __initdata;
static enum mem_reliable_state boot_state __ro_after_init;

bool __init mem_reliable_kernelcore(char *p)
{
	enum kernelcore_mode mode;

	if (parse_option_str(p, "reliable"))
		mode = KERNELCORE_RELIABLE;
	else if (parse_option_str(p, "mirror"))
		mode = KERNELCORE_MIRROR;
	else
		return false;

	if (kernelcore_mode == KERNELCORE_DEFAULT) {
		kernelcore_mode = mode;
	} else if (kernelcore_mode != mode) {
		pr_warn("kernelcore=%s conflicts with kernelcore=%s, keeping kernelcore=%s\n",
			p, kernelcore_mode == KERNELCORE_MIRROR ? "mirror" : "reliable",
			kernelcore_mode == KERNELCORE_MIRROR ? "mirror" : "reliable");
		kernelcore_conflict = true;
	}
	return true;
}

enum mem_reliable_state mem_reliable_decide(bool requested, bool conflict,
					    bool has_mirror, bool has_movable,
					    bool kdump)
{
	if (!requested)
		return conflict ? MEM_RELIABLE_CONFLICT : MEM_RELIABLE_NOT_REQUESTED;
	if (kdump)
		return MEM_RELIABLE_KDUMP;
	if (!has_mirror)
		return MEM_RELIABLE_NO_MIRROR;
	if (!has_movable)
		return MEM_RELIABLE_ONLY_MIRROR;
	return MEM_RELIABLE_ON;
}

enum mem_reliable_state mem_reliable_boot_state(void)
{
	return boot_state;
}

static phys_addr_t __init mirrored_size(void)
{
	struct memblock_region *r;
	phys_addr_t size = 0;

	for_each_mem_region(r)
		if (memblock_is_mirror(r))
			size += r->size;
	return size;
}

void __init mem_reliable_init(const unsigned long *zone_movable_pfn)
{
	bool has_movable = false;
	int nid;

	for (nid = 0; nid < MAX_NUMNODES; nid++)
		if (zone_movable_pfn[nid])
			has_movable = true;

	boot_state = mem_reliable_decide(kernelcore_mode == KERNELCORE_RELIABLE,
					 kernelcore_conflict,
					 memblock_has_mirror(), has_movable,
					 is_kdump_kernel());
	switch (boot_state) {
	case MEM_RELIABLE_NOT_REQUESTED:
		return;
	case MEM_RELIABLE_CONFLICT:
		pr_warn("kernelcore=mirror given first, tiering off\n");
		return;
	case MEM_RELIABLE_KDUMP:
		pr_warn("kdump kernel, tiering off\n");
		return;
	case MEM_RELIABLE_NO_MIRROR:
		pr_warn("no mirrored memory, tiering off\n");
		return;
	case MEM_RELIABLE_ONLY_MIRROR:
		pr_warn("no non-mirrored memory above 4 GiB, tiering off\n");
		return;
	case MEM_RELIABLE_ON:
		break;
	}

	static_branch_enable(&mem_reliable);
	pr_info("init succeed, mirrored memory size %llu MiB\n",
		(unsigned long long)mirrored_size() >> 20);
}

/* Managed and free pages of the mirrored zones, that is below ZONE_MOVABLE. */
static void reliable_zone_pages(unsigned long *total, unsigned long *free)
{
	struct zone *zone;

	*total = 0;
	*free = 0;
	for_each_populated_zone(zone) {
		if (zone_idx(zone) >= ZONE_MOVABLE)
			continue;
		*total += zone_managed_pages(zone);
		*free += zone_page_state(zone, NR_FREE_PAGES);
	}
}

static void show_val_kb(struct seq_file *m, const char *s, unsigned long num)
{
	seq_put_decimal_ull_width(m, s, num << (PAGE_SHIFT - 10), 8);
	seq_write(m, " kB\n", 4);
}

void reliable_report_meminfo(struct seq_file *m)
{
	unsigned long total, free;

	if (!mem_reliable_status())
		return;

	reliable_zone_pages(&total, &free);
	show_val_kb(m, "ReliableTotal:  ", total);
	show_val_kb(m, "ReliableUsed:   ", total - min(free, total));
}
