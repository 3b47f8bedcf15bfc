/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Memory reliability tiering: mirrored ("high-reliable") memory, that is
 * every zone below ZONE_MOVABLE, for the kernel and chosen users;
 * non-mirrored ("low-reliable") memory, ZONE_MOVABLE, for ordinary user
 * pages.  Built on top of kernelcore=mirror.
 */
#ifndef _LINUX_MEM_RELIABLE_H
#define _LINUX_MEM_RELIABLE_H

#include <linux/errno.h>
#include <linux/jump_label.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/printk.h>
#include <linux/string.h>
#include <linux/types.h>

struct seq_file;

/**
 * enum mem_reliable_state - outcome of the boot-time tiering decision
 * @MEM_RELIABLE_NOT_REQUESTED: kernelcore=reliable was not given
 * @MEM_RELIABLE_ON: tiering is up
 * @MEM_RELIABLE_CONFLICT: kernelcore=mirror came first and was kept
 * @MEM_RELIABLE_NO_MIRROR: the firmware reported no mirrored memory
 * @MEM_RELIABLE_ONLY_MIRROR: all memory is mirrored, ZONE_MOVABLE is empty
 * @MEM_RELIABLE_KDUMP: this is a kdump kernel
 * @MEM_RELIABLE_MOVABLE_NODE: movable_node was given: ZONE_MOVABLE is the
 *	hotpluggable memory, not the non-mirrored memory
 */
enum mem_reliable_state {
	MEM_RELIABLE_NOT_REQUESTED,
	MEM_RELIABLE_ON,
	MEM_RELIABLE_CONFLICT,
	MEM_RELIABLE_NO_MIRROR,
	MEM_RELIABLE_ONLY_MIRROR,
	MEM_RELIABLE_KDUMP,
	MEM_RELIABLE_MOVABLE_NODE,
};

/**
 * struct mem_reliable_facts - what the boot-time tiering decision looks at
 * @requested: kernelcore=reliable was given (and kept)
 * @conflict: kernelcore=mirror was given first
 * @has_mirror: the memory map has mirrored ranges
 * @has_movable: some node has a ZONE_MOVABLE (non-mirrored memory)
 * @kdump: this is a kdump kernel
 * @movable_node: movable_node was given, which decides ZONE_MOVABLE
 *	before kernelcore=mirror is looked at
 */
struct mem_reliable_facts {
	bool requested;
	bool conflict;
	bool has_mirror;
	bool has_movable;
	bool kdump;
	bool movable_node;
};

#ifdef CONFIG_MEMORY_RELIABLE

DECLARE_STATIC_KEY_FALSE(mem_reliable);

/**
 * mem_reliable_status() - is memory reliability tiering on?
 *
 * Return: true when the kernel was booted with kernelcore=reliable and
 * tiering really came up: the system has both mirrored and non-mirrored
 * memory and this is not a kdump kernel.  Cheap: a static branch.
 */
static inline bool mem_reliable_status(void)
{
	return static_branch_unlikely(&mem_reliable);
}

/**
 * zone_reliable() - is @zone mirrored memory?
 * @zone: the zone to test
 *
 * Return: true when tiering is on and @zone lies below ZONE_MOVABLE.
 */
static inline bool zone_reliable(const struct zone *zone)
{
	return mem_reliable_status() && zone_idx(zone) < ZONE_MOVABLE;
}

/**
 * page_reliable() - is @page in the mirrored tier?
 * @page: the page to test, may be NULL
 *
 * Decides from the page itself, not from the task that holds it.  The
 * tier is the zone: a page below ZONE_MOVABLE is in the mirrored tier,
 * where the kernel allocates, even in the rare case that the firmware
 * did not report it mirrored (see mem_reliable_unmirrored_pages()).
 *
 * Return: true when tiering is on and @page belongs to a zone below
 * ZONE_MOVABLE; false for a NULL page or when tiering is off.
 */
static inline bool page_reliable(const struct page *page)
{
	if (!mem_reliable_status() || !page)
		return false;
	return page_zonenum(page) < ZONE_MOVABLE;
}

/**
 * mem_reliable_kernelcore() - parse the kernelcore= value @p
 * @p: the value of one kernelcore= option
 *
 * Called for every kernelcore= option.  Handles exactly "reliable", and
 * "mirror" (as upstream: "mirror" among comma-separated words) for the
 * conflict check: of the two, the first one given wins and the later one
 * is warned about.  A size (nn[KMGTPE] or nn%) is left to the caller and
 * noted: next to "reliable" it is ignored, with a warning at boot.
 *
 * Return: 1 when @p is "reliable" or "mirror", that is when the caller
 * must turn on mirrored_kernelcore; 0 for any other value; a negative
 * error code when @p is "reliable" and the kernel has no tiering (warned,
 * the option is ignored).
 */
int mem_reliable_kernelcore(char *p);

/**
 * mem_reliable_init() - decide at boot whether tiering comes up
 * @zone_movable_pfn: per-node first PFN of ZONE_MOVABLE, 0 for none
 *
 * Called once by free_area_init() after ZONE_MOVABLE has been placed.
 * Turns tiering on, or warns why not; the system boots normally either way.
 */
void mem_reliable_init(const unsigned long *zone_movable_pfn);

/**
 * mem_reliable_decide() - the boot-time decision, as a pure function
 * @facts: what the decision looks at
 *
 * Refusals in this order: kdump kernel, movable_node, no mirrored memory,
 * no non-mirrored memory above 4 GiB.
 *
 * Return: the resulting &enum mem_reliable_state.
 */
enum mem_reliable_state mem_reliable_decide(const struct mem_reliable_facts *facts);

/**
 * mem_reliable_boot_state() - what the boot-time decision was
 *
 * Return: the &enum mem_reliable_state recorded by mem_reliable_init().
 */
enum mem_reliable_state mem_reliable_boot_state(void);

/**
 * mem_reliable_unmirrored_pages() - non-mirrored pages in the mirrored tier
 *
 * kernelcore=mirror leaves non-mirrored memory below 4 GiB in the DMA and
 * DMA32 zones, and the non-mirrored memory of a node between its first
 * non-mirrored page above 4 GiB and the start of ZONE_MOVABLE (rounded up
 * to MAX_ORDER_NR_PAGES) in ZONE_NORMAL.  Those pages count as mirrored
 * for page_reliable() and ReliableTotal; this is their number, counted
 * once at boot from the firmware's mirror flags (present pages, shown as
 * ReliableUnmirrored in /proc/meminfo).
 *
 * Return: the number of such pages, 0 when tiering is off.
 */
unsigned long mem_reliable_unmirrored_pages(void);

/**
 * reliable_report_meminfo() - add the Reliable* lines to /proc/meminfo
 * @m: the seq_file of /proc/meminfo
 *
 * Prints nothing while tiering is off.
 */
void reliable_report_meminfo(struct seq_file *m);

#else /* !CONFIG_MEMORY_RELIABLE */

static inline bool mem_reliable_status(void)
{
	return false;
}

static inline bool zone_reliable(const struct zone *zone)
{
	return false;
}

static inline bool page_reliable(const struct page *page)
{
	return false;
}

static inline int mem_reliable_kernelcore(char *p)
{
	if (p && !strcmp(p, "reliable")) {
		pr_warn("kernelcore=reliable ignored: kernel built without CONFIG_MEMORY_RELIABLE\n");
		return -EINVAL;
	}
	return 0;
}

static inline void mem_reliable_init(const unsigned long *zone_movable_pfn)
{
}

static inline void reliable_report_meminfo(struct seq_file *m)
{
}

#endif /* CONFIG_MEMORY_RELIABLE */

#ifdef CONFIG_FAKE_MIRRORED_MEMORY
/**
 * fake_mirror_apply() - mark the mirrored_mem= ranges as mirrored
 *
 * Test-only stand-in for the firmware's mirror report: called by the
 * architecture right after it scanned the EFI memory map for mirrored
 * ranges.  Does nothing unless kernelcore=mirror or kernelcore=reliable
 * was given, like the EFI scan.
 */
void fake_mirror_apply(void);
#else
static inline void fake_mirror_apply(void)
{
}
#endif

#endif /* _LINUX_MEM_RELIABLE_H */
