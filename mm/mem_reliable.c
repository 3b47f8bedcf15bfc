// SPDX-License-Identifier: GPL-2.0
/*
 * Memory reliability tiering core: the boot-time decision and the
 * accounting shown in /proc/meminfo.
 *
 * kernelcore=reliable builds on kernelcore=mirror: the firmware (or, on
 * test machines, mirrored_mem=) marks mirrored ranges, mm_init puts the
 * non-mirrored memory above 4 GiB into ZONE_MOVABLE, and everything below
 * ZONE_MOVABLE is the mirrored tier.  Non-mirrored memory that mm_init
 * leaves below ZONE_MOVABLE (below 4 GiB, or before the rounded-up start
 * of ZONE_MOVABLE) is counted at boot and shown as ReliableUnmirrored.
 */
#define pr_fmt(fmt) "mem reliable: " fmt

#include <linux/crash_dump.h>
#include <linux/init.h>
#include <linux/memblock.h>
#include <linux/memory_hotplug.h>
#include <linux/mem_reliable.h>
#include <linux/mmzone.h>
#include <linux/nodemask.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/vmstat.h>

#include "internal.h"

DEFINE_STATIC_KEY_FALSE(mem_reliable);
/* For the inline mem_reliable_status() and page_reliable() in modules. */
EXPORT_SYMBOL_GPL(mem_reliable);

/* Which of kernelcore=mirror and kernelcore=reliable came first. */
enum kernelcore_mode {
	KERNELCORE_DEFAULT,
	KERNELCORE_MIRROR,
	KERNELCORE_RELIABLE,
};

static enum kernelcore_mode kernelcore_mode __initdata;
static bool kernelcore_conflict __initdata;
static bool kernelcore_size __initdata;
static enum mem_reliable_state boot_state __ro_after_init;
static unsigned long unmirrored_pages __ro_after_init;

int __init mem_reliable_kernelcore(char *p)
{
	enum kernelcore_mode mode;

	if (!p)
		return 0;
	/* Exactly "reliable": "mirror,reliable" is mirror, as upstream. */
	if (!strcmp(p, "reliable")) {
		mode = KERNELCORE_RELIABLE;
	} else if (parse_option_str(p, "mirror")) {
		mode = KERNELCORE_MIRROR;
	} else {
		/* A size: ignored if mirror or reliable is also given. */
		kernelcore_size = true;
		return 0;
	}

	if (kernelcore_mode == KERNELCORE_DEFAULT) {
		kernelcore_mode = mode;
	} else if (kernelcore_mode != mode) {
		pr_warn("kernelcore=%s conflicts with kernelcore=%s, keeping kernelcore=%s\n",
			p, kernelcore_mode == KERNELCORE_MIRROR ? "mirror" : "reliable",
			kernelcore_mode == KERNELCORE_MIRROR ? "mirror" : "reliable");
		kernelcore_conflict = true;
	}
	return 1;
}

enum mem_reliable_state mem_reliable_decide(const struct mem_reliable_facts *f)
{
	if (!f->requested)
		return f->conflict ? MEM_RELIABLE_CONFLICT :
				     MEM_RELIABLE_NOT_REQUESTED;
	if (f->kdump)
		return MEM_RELIABLE_KDUMP;
	if (f->movable_node)
		return MEM_RELIABLE_MOVABLE_NODE;
	if (!f->has_mirror)
		return MEM_RELIABLE_NO_MIRROR;
	if (!f->has_movable)
		return MEM_RELIABLE_ONLY_MIRROR;
	return MEM_RELIABLE_ON;
}

enum mem_reliable_state mem_reliable_boot_state(void)
{
	return boot_state;
}

unsigned long mem_reliable_unmirrored_pages(void)
{
	return unmirrored_pages;
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

/*
 * Non-mirrored pages that kernelcore=mirror leaves outside ZONE_MOVABLE:
 * all of a node's non-mirrored memory below its ZONE_MOVABLE start (which
 * is at or above 4 GiB, rounded up to MAX_ORDER_NR_PAGES), or all of it
 * on a node without ZONE_MOVABLE.  Above that start every non-mirrored
 * page is in ZONE_MOVABLE.
 */
static unsigned long __init count_unmirrored(const unsigned long *zone_movable_pfn)
{
	struct memblock_region *r;
	unsigned long pages = 0;

	for_each_mem_region(r) {
		unsigned long start = memblock_region_memory_base_pfn(r);
		unsigned long end = memblock_region_memory_end_pfn(r);
		unsigned long movable = zone_movable_pfn[memblock_get_region_node(r)];

		if (memblock_is_mirror(r))
			continue;
		if (movable)
			end = min(end, movable);
		if (end > start)
			pages += end - start;
	}
	return pages;
}

void __init mem_reliable_init(const unsigned long *zone_movable_pfn)
{
	struct mem_reliable_facts facts = {
		.requested = kernelcore_mode == KERNELCORE_RELIABLE,
		.conflict = kernelcore_conflict,
		.has_mirror = memblock_has_mirror(),
		.kdump = is_kdump_kernel(),
		.movable_node = movable_node_is_enabled(),
	};
	int nid;

	for (nid = 0; nid < MAX_NUMNODES; nid++)
		if (zone_movable_pfn[nid])
			facts.has_movable = true;

	if (facts.requested && kernelcore_size)
		pr_warn("kernelcore=reliable given, the kernelcore= size is ignored\n");

	boot_state = mem_reliable_decide(&facts);
	switch (boot_state) {
	case MEM_RELIABLE_NOT_REQUESTED:
		return;
	case MEM_RELIABLE_CONFLICT:
		pr_warn("kernelcore=mirror given first, tiering off\n");
		return;
	case MEM_RELIABLE_KDUMP:
		pr_warn("kdump kernel, tiering off\n");
		return;
	case MEM_RELIABLE_MOVABLE_NODE:
		pr_warn("movable_node puts hotpluggable memory in ZONE_MOVABLE, tiering off\n");
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

	unmirrored_pages = count_unmirrored(zone_movable_pfn);
	static_branch_enable(&mem_reliable);
	pr_info("init succeed, mirrored memory size %llu MiB\n",
		(unsigned long long)mirrored_size() >> 20);
	if (unmirrored_pages)
		pr_warn("%lu kB of non-mirrored memory outside ZONE_MOVABLE is in the mirrored tier (ReliableUnmirrored)\n",
			unmirrored_pages << (PAGE_SHIFT - 10));
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
	show_val_kb(m, "ReliableUnmirrored: ", unmirrored_pages);
}
