/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Overwriting the free memory of every node: the pieces of
 * mm/clear_freelist_page.c that its KUnit tests call.
 */
#ifndef _MM_CLEAR_FREELIST_PAGE_H
#define _MM_CLEAR_FREELIST_PAGE_H

#include <linux/list.h>
#include <linux/mm_types.h>
#include <linux/types.h>

/**
 * enum cfp_stop - why a run of clear_freelist_pages ended
 * @CFP_RUNNING: it has not ended
 * @CFP_DONE: every zone of every node was walked
 * @CFP_TIMEOUT: cfp_timeout_ms passed
 * @CFP_SIGNAL: the writer got a fatal signal
 */
enum cfp_stop {
	CFP_RUNNING,
	CFP_DONE,
	CFP_TIMEOUT,
	CFP_SIGNAL,
};

/**
 * struct cfp_stats - what one walk of free memory did, per node
 * @cleared: pages overwritten (or, for the test reader, pages read)
 * @hwpoison: pages of free blocks skipped because they are poisoned
 * @low_memory: free pages left alone because taking them would have put
 *	their zone below its low watermark
 * @isolated: free pages left alone because their pageblock was isolated
 *	by someone else (memory offlining, alloc_contig_range())
 * @reported: free pages left alone because free page reporting gave them
 *	back to the hypervisor
 * @not_reached: free pages taken off the free lists but put back
 *	without being overwritten because the run stopped
 * @time_ns: time the node's walk took
 * @max_irqs_off_ns: the longest section with the zone lock held and
 *	interrupts off
 * @hotplug_wait_ns: time spent waiting for a memory hotplug operation
 *	to release the memory hotplug lock
 */
struct cfp_stats {
	unsigned long cleared;
	unsigned long hwpoison;
	unsigned long low_memory;
	unsigned long isolated;
	unsigned long reported;
	unsigned long not_reached;
	u64 time_ns;
	u64 max_irqs_off_ns;
	u64 hotplug_wait_ns;
};

/**
 * enum cfp_op - what a walk of free memory does to each free page
 * @CFP_CLEAR: overwrite it (with zeros, or with the page-poisoning
 *	pattern when page poisoning is on)
 * @CFP_CHECK: read it and classify its contents (test reader only)
 */
enum cfp_op {
	CFP_CLEAR,
	CFP_CHECK,
};

/**
 * struct cfp_walk - one walk of the free memory of one node
 * @op: what to do to each free page
 * @deadline_ns: ktime_get_ns() after which the walk stops
 * @stop: shared by the walks of one run; the first reason to stop wins
 * @stats: what this walk did
 * @pattern: for CFP_CHECK, the 64-bit word a page is compared against
 * @zero: for CFP_CHECK, pages found holding only zeros
 * @matched: for CFP_CHECK, pages found holding only @pattern
 * @since_check: pages handled since @deadline_ns was last compared
 */
struct cfp_walk {
	enum cfp_op op;
	u64 deadline_ns;
	int *stop;
	struct cfp_stats stats;
	u64 pattern;
	unsigned long zero;
	unsigned long matched;
	unsigned long since_check;
};

#if IS_ENABLED(CONFIG_KUNIT)
unsigned long cfp_isolate_chunk(struct zone *zone, unsigned long start_pfn,
				struct list_head *blocks, struct cfp_walk *walk);
void cfp_handle_blocks(struct list_head *blocks, struct cfp_walk *walk);
void cfp_putback_blocks(struct zone *zone, struct list_head *blocks,
			struct cfp_walk *walk);
bool cfp_handle_block(struct page *page, unsigned int order,
		      struct cfp_walk *walk);
bool cfp_should_stop(struct cfp_walk *walk, unsigned long nr_pages);
void cfp_walk_zone(struct zone *zone, struct cfp_walk *walk);
#endif

#endif /* _MM_CLEAR_FREELIST_PAGE_H */
