/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Memory reliability tiering: mirrored ("high-reliable") memory, that is
 * every zone below ZONE_MOVABLE, for the kernel and chosen users;
 * non-mirrored ("low-reliable") memory, ZONE_MOVABLE, for ordinary user
 * pages.  Built on top of kernelcore=mirror.
 */
#ifndef _LINUX_MEM_RELIABLE_H
#define _LINUX_MEM_RELIABLE_H

#include <linux/jump_label.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
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
 */
enum mem_reliable_state {
	MEM_RELIABLE_NOT_REQUESTED,
	MEM_RELIABLE_ON,
	MEM_RELIABLE_CONFLICT,
	MEM_RELIABLE_NO_MIRROR,
	MEM_RELIABLE_ONLY_MIRROR,
	MEM_RELIABLE_KDUMP,
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
 * page_reliable() - is @page in mirrored memory?
 * @page: the page to test, may be NULL
 *
 * Decides from the page itself, not from the task that holds it.
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
 * Handles "reliable", and "mirror" for the conflict check: of the two,
 * the first one given wins and the later one is warned about.
 *
 * Return: true when @p is "reliable" or "mirror", that is when the caller
 * must turn on mirrored_kernelcore; false for any other value.
 */
bool mem_reliable_kernelcore(char *p);

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
 * @requested: kernelcore=reliable was given (and kept)
 * @conflict: kernelcore=mirror was given first
 * @has_mirror: the memory map has mirrored ranges
 * @has_movable: some node has a ZONE_MOVABLE (non-mirrored memory)
 * @kdump: this is a kdump kernel
 *
 * Return: the resulting &enum mem_reliable_state.
 */
enum mem_reliable_state mem_reliable_decide(bool requested, bool conflict,
					    bool has_mirror, bool has_movable,
					    bool kdump);

/**
 * mem_reliable_boot_state() - what the boot-time decision was
 *
 * Return: the &enum mem_reliable_state recorded by mem_reliable_init().
 */
enum mem_reliable_state mem_reliable_boot_state(void);

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

static inline bool mem_reliable_kernelcore(char *p)
{
	return false;
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
