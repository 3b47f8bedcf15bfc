// SPDX-License-Identifier: GPL-2.0
/*
 * Overwrite all free memory: /proc/sys/vm/clear_freelist_pages.
 *
 * After memory errors, writing 1 overwrites every free page so that latent
 * errors in unallocated memory show up now, not when someone allocates the
 * page.  One worker per node with memory walks the node's zones in
 * MAX_ORDER_NR_PAGES chunks: under the zone lock it takes every free block
 * of the chunk off the free lists as long as the zone stays above its low
 * watermark (__take_free_block(), which keeps the pageblock's
 * migratetype), then with the lock dropped and interrupts on it overwrites
 * the blocks in runs of up to CFP_RUN_PAGES, skipping poisoned subpages,
 * and puts the blocks back.  A chunk is naturally aligned to the largest
 * buddy order, so a block put back can only merge with pages of its own
 * chunk: a page free when its chunk is reached is overwritten, whatever is
 * freed or allocated elsewhere in the meantime.
 *
 * Only a boot with "clear_freelist" has the sysctl.  One run at a time
 * (EBUSY for a second writer); a run stops after cfp_timeout_ms or when
 * the writer gets a fatal signal.  The last run's statistics are in
 * /sys/kernel/mm/clear_freelist_page/last_run.
 */
#define pr_fmt(fmt) "clear_freelist: " fmt

#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/highmem.h>
#include <linux/init.h>
#include <linux/kasan.h>
#include <linux/kobject.h>
#include <linux/ktime.h>
#include <linux/memory_hotplug.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/nodemask.h>
#include <linux/page-isolation.h>
#include <linux/sched/clock.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/swap.h>
#include <linux/sysctl.h>
#include <linux/sysfs.h>
#include <linux/workqueue.h>
#include <kunit/visibility.h>

#include "internal.h"
#include "page_reporting.h"
#include "clear_freelist_page.h"

/* Pages handled between two looks at the clock and the stop flag. */
#define CFP_CHECK_PAGES		64
/* The most pages overwritten in one go (2 MiB), between reschedules. */
#define CFP_RUN_PAGES		(SZ_2M >> PAGE_SHIFT)

#define CFP_TIMEOUT_MAX_MS	(3600U * MSEC_PER_SEC)

static bool cfp_enabled __ro_after_init;
static unsigned int cfp_timeout_ms = 2000;

static int __init setup_clear_freelist(char *str)
{
	/* Only the bare word: "clear_freelist=..." is not it. */
	if (str)
		return -EINVAL;
	cfp_enabled = true;
	return 0;
}
early_param("clear_freelist", setup_clear_freelist);

static int cfp_timeout_set(const char *val, const struct kernel_param *kp)
{
	unsigned int ms;

	/* Too large for an unsigned int is out of range as well. */
	if (kstrtouint(val, 10, &ms) || ms < 1 || ms > CFP_TIMEOUT_MAX_MS)
		return -EINVAL;
	WRITE_ONCE(cfp_timeout_ms, ms);
	return 0;
}

static const struct kernel_param_ops cfp_timeout_ops = {
	.set = cfp_timeout_set,
	.get = param_get_uint,
};
module_param_cb(cfp_timeout_ms, &cfp_timeout_ops, &cfp_timeout_ms, 0644);
MODULE_PARM_DESC(cfp_timeout_ms,
		 "Longest time a run of clear_freelist_pages may take, in ms (1-3600000)");

/**
 * cfp_should_stop - whether the walk must stop now
 * @walk: the walk
 * @nr_pages: pages handled since the last call
 *
 * Looks at the clock only every CFP_CHECK_PAGES pages.  The first walk to
 * see the deadline pass records CFP_TIMEOUT for the whole run.
 *
 * Return: true if the run has stopped, for whatever reason.
 */
VISIBLE_IF_KUNIT bool cfp_should_stop(struct cfp_walk *walk,
				      unsigned long nr_pages)
{
	if (READ_ONCE(*walk->stop) != CFP_RUNNING)
		return true;
	walk->since_check += nr_pages;
	if (walk->since_check < CFP_CHECK_PAGES)
		return false;
	walk->since_check = 0;
	if (ktime_get_ns() < walk->deadline_ns)
		return false;
	cmpxchg(walk->stop, CFP_RUNNING, CFP_TIMEOUT);
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(cfp_should_stop);

/* Whether the memmap of the section holding @pfn may be read. */
static bool cfp_chunk_online(unsigned long pfn)
{
#ifdef CONFIG_SPARSEMEM
	return online_section_nr(pfn_to_section_nr(pfn));
#else
	return pfn_valid(pfn);
#endif
}

/**
 * cfp_isolate_chunk - take the free blocks of one chunk off the free lists
 * @zone: the zone being walked
 * @start_pfn: first pfn of the chunk; the chunk ends at the next multiple
 *	of MAX_ORDER_NR_PAGES (or at the end of @zone)
 * @blocks: list the blocks are added to, each with its order in
 *	page_private()
 * @walk: the walk, whose statistics count what is left alone
 *
 * Caller holds get_online_mems().  The zone lock is held, with interrupts
 * off, for one pass over the chunk's struct pages.  A block is taken only
 * while the zone's free pages stay above its low watermark (counting free
 * CMA pages only for blocks of CMA pageblocks), so that allocations keep
 * their fast path; blocks that free page reporting reported to the
 * hypervisor are left alone, their contents are gone anyway.
 *
 * Return: the number of pages taken.
 */
VISIBLE_IF_KUNIT unsigned long cfp_isolate_chunk(struct zone *zone,
						 unsigned long start_pfn,
						 struct list_head *blocks,
						 struct cfp_walk *walk)
{
	unsigned long end_pfn = ALIGN(start_pfn + 1, MAX_ORDER_NR_PAGES);
	unsigned long pfn, flags, taken = 0;
	struct page *page;
	u64 t0, held;

	end_pfn = min(end_pfn, zone_end_pfn(zone));
	start_pfn = max(start_pfn, zone->zone_start_pfn);
	if (start_pfn >= end_pfn)
		return 0;
	/* A chunk never spans two memory sections: one test suffices. */
	if (!cfp_chunk_online(start_pfn))
		return 0;

	spin_lock_irqsave(&zone->lock, flags);
	t0 = local_clock();
	for (pfn = start_pfn; pfn < end_pfn; ) {
		unsigned int order;

		page = pfn_to_page(pfn);
		if (!PageBuddy(page) || page_zone(page) != zone) {
			pfn++;
			continue;
		}
		order = buddy_order(page);
		if (is_migrate_isolate_page(page)) {
			walk->stats.isolated += 1UL << order;
		} else if (page_reported(page)) {
			walk->stats.reported += 1UL << order;
		} else if (!zone_watermark_ok(zone, 0, low_wmark_pages(zone) +
					      (1UL << order), 0,
					      is_migrate_cma_page(page) ?
					      ALLOC_CMA : 0)) {
			walk->stats.low_memory += 1UL << order;
		} else {
			__take_free_block(page, order);
			set_page_private(page, order);
			list_add_tail(&page->lru, blocks);
			taken += 1UL << order;
		}
		pfn += 1UL << order;
	}
	held = local_clock() - t0;
	spin_unlock_irqrestore(&zone->lock, flags);
	walk->stats.max_irqs_off_ns = max(walk->stats.max_irqs_off_ns, held);
	return taken;
}
EXPORT_SYMBOL_IF_KUNIT(cfp_isolate_chunk);

/* Overwrite @nr pages from @page, all in one buddy block, none poisoned. */
static void cfp_clear_pages(struct page *page, unsigned long nr)
{
	unsigned long i;

	if (debug_pagealloc_enabled_static())
		debug_pagealloc_map_pages(page, nr);
	/* KASAN still has the free pages poisoned. */
	kasan_disable_current();
	if (page_poisoning_enabled_static()) {
		/* Free pages must hold the pattern that allocation checks. */
		kernel_poison_pages(page, nr);
	} else if (!IS_ENABLED(CONFIG_HIGHMEM)) {
		/*
		 * The run is contiguous in the direct map: one memset uses
		 * the bandwidth that page-sized calls leave unused.
		 */
		memset(kasan_reset_tag(page_address(page)), 0,
		       nr << PAGE_SHIFT);
	} else {
		for (i = 0; i < nr; i++)
			clear_highpage_kasan_tagged(page + i);
	}
	kasan_enable_current();
	if (debug_pagealloc_enabled_static())
		debug_pagealloc_unmap_pages(page, nr);
}

/* Classify @nr pages from @page for the test reader (free: uninitialised). */
static __no_kmsan_checks void cfp_check_pages(struct page *page,
					      unsigned long nr,
					      struct cfp_walk *walk)
{
	unsigned long i, w;

	if (debug_pagealloc_enabled_static())
		debug_pagealloc_map_pages(page, nr);
	kasan_disable_current();
	for (i = 0; i < nr; i++) {
		u64 *p = kmap_local_page(page + i);

		p = kasan_reset_tag(p);
		if (!memchr_inv(p, 0, PAGE_SIZE)) {
			walk->zero++;
		} else {
			for (w = 0; w < PAGE_SIZE / sizeof(*p); w++)
				if (p[w] != walk->pattern)
					break;
			if (w == PAGE_SIZE / sizeof(*p))
				walk->matched++;
		}
		kunmap_local(p);
	}
	kasan_enable_current();
	if (debug_pagealloc_enabled_static())
		debug_pagealloc_unmap_pages(page, nr);
}

/**
 * cfp_handle_block - overwrite (or check) one isolated free block
 * @page: first page of the block
 * @order: order of the block
 * @walk: the walk
 *
 * Poisoned subpages are never read or written: the runs of healthy pages
 * between them are handled each in one go, up to CFP_RUN_PAGES at a time,
 * with a look at the clock and a chance to reschedule after each run.
 *
 * Return: true if the run stopped; the pages not reached are counted.
 */
VISIBLE_IF_KUNIT bool cfp_handle_block(struct page *page, unsigned int order,
				       struct cfp_walk *walk)
{
	unsigned long nr = 1UL << order, i = 0, end;

	while (i < nr) {
		if (PageHWPoison(page + i)) {
			walk->stats.hwpoison++;
			i++;
			continue;
		}
		for (end = i + 1; end < nr && end - i < CFP_RUN_PAGES; end++)
			if (PageHWPoison(page + end))
				break;
		if (walk->op == CFP_CLEAR)
			cfp_clear_pages(page + i, end - i);
		else
			cfp_check_pages(page + i, end - i, walk);
		walk->stats.cleared += end - i;
		if (cfp_should_stop(walk, end - i)) {
			walk->stats.not_reached += nr - end;
			return true;
		}
		i = end;
		if (i < nr)
			cond_resched();
	}
	return false;
}
EXPORT_SYMBOL_IF_KUNIT(cfp_handle_block);

/**
 * cfp_handle_blocks - overwrite (or check) the blocks of one chunk
 * @blocks: the blocks cfp_isolate_chunk() took
 * @walk: the walk
 *
 * Stops early when the run stops; the blocks not reached are counted in
 * stats.not_reached and stay on @blocks like the others.
 */
VISIBLE_IF_KUNIT void cfp_handle_blocks(struct list_head *blocks,
					struct cfp_walk *walk)
{
	struct page *page;
	bool stopped = false;

	list_for_each_entry(page, blocks, lru) {
		unsigned int order = page_private(page);

		if (stopped) {
			walk->stats.not_reached += 1UL << order;
			continue;
		}
		stopped = cfp_handle_block(page, order, walk);
	}
}
EXPORT_SYMBOL_IF_KUNIT(cfp_handle_blocks);

/* Whether any page of [@page, @page + @nr) is poisoned. */
static bool cfp_any_hwpoison(struct page *page, unsigned long nr)
{
	unsigned long i;

	if (!IS_ENABLED(CONFIG_MEMORY_FAILURE))
		return false;
	for (i = 0; i < nr; i++)
		if (PageHWPoison(page + i))
			return true;
	return false;
}

/*
 * Give one block back, split where it must be: a poisoned page stays out
 * of the allocator, as memory_failure() leaves a free page it took off
 * (PG_hwpoison, the taken-off mark, one reference), so that unpoisoning
 * works; and a block whose pageblocks differ in migratetype goes back
 * pageblock by pageblock.  The check is made here, under the zone lock,
 * so that a page poisoned while its block was off the lists is caught
 * too.  The recursion is at most MAX_PAGE_ORDER deep.
 */
static void cfp_putback_block(struct page *page, unsigned int order)
{
	int mt = get_pageblock_migratetype(page);
	bool split = false;
	unsigned long i;

	if (order > pageblock_order)
		for (i = pageblock_nr_pages; i < (1UL << order);
		     i += pageblock_nr_pages)
			if (get_pageblock_migratetype(page + i) != mt)
				split = true;
	if (!split && !cfp_any_hwpoison(page, 1UL << order)) {
		__putback_isolated_page(page, order, mt);
		return;
	}
	if (!order) {
#ifdef CONFIG_MEMORY_FAILURE
		SetPageHWPoisonTakenOff(page);
		page_ref_inc(page);
#endif
		return;
	}
	cfp_putback_block(page, order - 1);
	cfp_putback_block(page + (1UL << (order - 1)), order - 1);
}

/**
 * cfp_putback_blocks - give the blocks of one chunk back to the allocator
 * @zone: their zone
 * @blocks: the blocks; empty on return
 * @walk: the walk
 */
VISIBLE_IF_KUNIT void cfp_putback_blocks(struct zone *zone,
					 struct list_head *blocks,
					 struct cfp_walk *walk)
{
	struct page *page, *next;
	unsigned long flags;
	u64 t0, held;

	if (list_empty(blocks))
		return;
	spin_lock_irqsave(&zone->lock, flags);
	t0 = local_clock();
	list_for_each_entry_safe(page, next, blocks, lru) {
		unsigned int order = page_private(page);

		list_del(&page->lru);
		set_page_private(page, 0);
		cfp_putback_block(page, order);
	}
	held = local_clock() - t0;
	spin_unlock_irqrestore(&zone->lock, flags);
	walk->stats.max_irqs_off_ns = max(walk->stats.max_irqs_off_ns, held);
}
EXPORT_SYMBOL_IF_KUNIT(cfp_putback_blocks);

/*
 * The memory hotplug lock, for one chunk.  A hotplug operation can hold it
 * for as long as it likes (offline_pages() retries a page it cannot migrate
 * until the page goes or the offlining process gets a signal): rather than
 * wait for it in D state, past the deadline and deaf to the stop flag,
 * sleep and look at both every millisecond or two.
 *
 * Return: true with the lock held; false when the run stopped meanwhile.
 */
static bool cfp_get_online_mems(struct cfp_walk *walk)
{
	u64 t0;

	if (try_get_online_mems())
		goto locked;
	t0 = ktime_get_ns();
	while (!try_get_online_mems()) {
		if (cfp_should_stop(walk, CFP_CHECK_PAGES)) {
			walk->stats.hotplug_wait_ns += ktime_get_ns() - t0;
			return false;
		}
		usleep_range(1000, 2000);
	}
	walk->stats.hotplug_wait_ns += ktime_get_ns() - t0;
locked:
	/* A stop while the lock was taken: no chunk with interrupts off. */
	if (READ_ONCE(*walk->stop) != CFP_RUNNING) {
		put_online_mems();
		return false;
	}
	return true;
}

/**
 * cfp_walk_zone - overwrite (or check) every free page of a zone
 * @zone: the zone
 * @walk: the walk
 */
VISIBLE_IF_KUNIT void cfp_walk_zone(struct zone *zone, struct cfp_walk *walk)
{
	unsigned long pfn, end;
	LIST_HEAD(blocks);

	if (cfp_should_stop(walk, CFP_CHECK_PAGES))
		return;
	/* Pages on the per-CPU lists are free too. */
	drain_all_pages(zone);
	pfn = ALIGN_DOWN(READ_ONCE(zone->zone_start_pfn), MAX_ORDER_NR_PAGES);
	for (;; pfn += MAX_ORDER_NR_PAGES) {
		bool stop = false;

		if (!cfp_get_online_mems(walk))
			break;
		end = zone_end_pfn(zone);
		if (pfn < end && cfp_isolate_chunk(zone, pfn, &blocks, walk)) {
			cfp_handle_blocks(&blocks, walk);
			cfp_putback_blocks(zone, &blocks, walk);
		} else {
			/* The clock and the stop flag, also in used memory. */
			stop = cfp_should_stop(walk, CFP_CHECK_PAGES);
		}
		put_online_mems();
		if (pfn >= end || stop || READ_ONCE(*walk->stop) != CFP_RUNNING)
			break;
		cond_resched();
	}
}
EXPORT_SYMBOL_IF_KUNIT(cfp_walk_zone);

static void cfp_walk_node(int nid, struct cfp_walk *walk)
{
	pg_data_t *pgdat = NODE_DATA(nid);
	u64 start = ktime_get_ns();
	int i;

	for (i = 0; i < MAX_NR_ZONES; i++) {
		struct zone *zone = &pgdat->node_zones[i];

		if (!populated_zone(zone))
			continue;
		cfp_walk_zone(zone, walk);
		if (READ_ONCE(*walk->stop) != CFP_RUNNING)
			break;
	}
	walk->stats.time_ns = ktime_get_ns() - start;
}

/* One run of clear_freelist_pages: a worker per node. */
struct cfp_worker {
	struct work_struct work;
	int nid;
	struct cfp_walk walk;
};

/*
 * One run (or test-reader walk) at a time: cfp_busy.  cfp_pending counts
 * the workers of a run and its writer; the last of them to drop its count
 * records the statistics and clears cfp_busy, so that a writer killed by a
 * signal can return at once while the workers finish their chunk.
 */
static atomic_t cfp_busy = ATOMIC_INIT(0);
static struct cfp_worker *cfp_workers;
static int cfp_stop;
static atomic_t cfp_pending;
static nodemask_t cfp_nodes;
static u64 cfp_start_ns;
static DECLARE_WAIT_QUEUE_HEAD(cfp_wait);

/* The last run, for last_run; under cfp_last_lock. */
static DEFINE_MUTEX(cfp_last_lock);
static struct cfp_stats *cfp_last;
static enum cfp_stop cfp_last_stop;
static u64 cfp_last_time_ns;

static void cfp_finish(void)
{
	int nid;

	cmpxchg(&cfp_stop, CFP_RUNNING, CFP_DONE);
	mutex_lock(&cfp_last_lock);
	for (nid = 0; nid < nr_node_ids; nid++) {
		if (node_isset(nid, cfp_nodes))
			cfp_last[nid] = cfp_workers[nid].walk.stats;
		else
			memset(&cfp_last[nid], 0, sizeof(cfp_last[nid]));
	}
	cfp_last_stop = READ_ONCE(cfp_stop);
	cfp_last_time_ns = ktime_get_ns() - cfp_start_ns;
	mutex_unlock(&cfp_last_lock);
	atomic_set_release(&cfp_busy, 0);
}

static void cfp_work_fn(struct work_struct *work)
{
	struct cfp_worker *w = container_of(work, struct cfp_worker, work);

	cfp_walk_node(w->nid, &w->walk);
	switch (atomic_dec_return(&cfp_pending)) {
	case 0:
		/* The writer has gone (a signal): end the run for it. */
		cfp_finish();
		break;
	case 1:
		/* Only the writer's count is left: wake it. */
		wake_up_all(&cfp_wait);
		break;
	}
}

static int cfp_run(void)
{
	u64 deadline;
	int nid, ret = 0;

	if (atomic_cmpxchg_acquire(&cfp_busy, 0, 1))
		return -EBUSY;
	cfp_start_ns = ktime_get_ns();
	deadline = cfp_start_ns + (u64)READ_ONCE(cfp_timeout_ms) * NSEC_PER_MSEC;

	/* Pages whose last reference is a per-CPU LRU batch are freed. */
	lru_add_drain_all();

	cfp_stop = CFP_RUNNING;
	nodes_clear(cfp_nodes);
	/*
	 * The writer's count: it is dropped only after the writer is done
	 * with the stop flag, so that the run cannot end, and another start,
	 * before a late signal of this writer is recorded in this run.
	 */
	atomic_set(&cfp_pending, 1);
	for_each_node_state(nid, N_MEMORY) {
		struct cfp_worker *w = &cfp_workers[nid];

		memset(&w->walk, 0, sizeof(w->walk));
		w->walk.op = CFP_CLEAR;
		w->walk.stop = &cfp_stop;
		w->walk.deadline_ns = deadline;
		node_set(nid, cfp_nodes);
		atomic_inc(&cfp_pending);
		queue_work_node(nid, system_unbound_wq, &w->work);
	}
	/*
	 * The workers end by the deadline (they do not wait for memory
	 * hotplug either, see cfp_get_online_mems()), or at a signal.
	 */
	if (wait_event_killable(cfp_wait, atomic_read(&cfp_pending) == 1)) {
		/* The workers stop at their next look at the stop flag. */
		cmpxchg(&cfp_stop, CFP_RUNNING, CFP_SIGNAL);
		ret = -EINTR;
	}
	if (atomic_dec_and_test(&cfp_pending))
		cfp_finish();
	return ret;
}

static int cfp_sysctl_handler(const struct ctl_table *table, int write,
			      void *buffer, size_t *lenp, loff_t *ppos)
{
	const char *buf = buffer;
	int ret;

	if (!write)
		return -EINVAL;
	/* Exactly "1", a newline may follow: not "+1", "01" or "1 1". */
	if (*ppos || !*lenp || *lenp > 2 || buf[0] != '1' ||
	    (*lenp == 2 && buf[1] != '\n'))
		return -EINVAL;
	ret = cfp_run();
	if (!ret)
		*ppos += *lenp;
	return ret;
}

static struct ctl_table cfp_sysctls[] = {
	{
		.procname	= "clear_freelist_pages",
		.mode		= 0200,
		.proc_handler	= cfp_sysctl_handler,
	},
};

static const char * const cfp_stop_names[] = {
	[CFP_RUNNING]	= "none",
	[CFP_DONE]	= "done",
	[CFP_TIMEOUT]	= "timeout",
	[CFP_SIGNAL]	= "signal",
};

static ssize_t last_run_show(struct kobject *kobj,
			     struct kobj_attribute *attr, char *buf)
{
	u64 irqs_off = 0;
	int len, nid;

	mutex_lock(&cfp_last_lock);
	for (nid = 0; nid < nr_node_ids; nid++)
		irqs_off = max(irqs_off, cfp_last[nid].max_irqs_off_ns);
	len = sysfs_emit(buf, "result %s\ntime_us %llu\nmax_irqs_off_us %llu\n",
			 cfp_stop_names[cfp_last_stop],
			 div_u64(cfp_last_time_ns, NSEC_PER_USEC),
			 div_u64(irqs_off, NSEC_PER_USEC));
	for (nid = 0; nid < nr_node_ids; nid++) {
		struct cfp_stats *s = &cfp_last[nid];

		if (!s->time_ns)
			continue;
		len += sysfs_emit_at(buf, len,
				     "node%d_cleared %lu\nnode%d_hwpoison %lu\n"
				     "node%d_low_memory %lu\nnode%d_isolated %lu\n"
				     "node%d_reported %lu\nnode%d_not_reached %lu\n"
				     "node%d_time_us %llu\n"
				     "node%d_hotplug_wait_us %llu\n",
				     nid, s->cleared, nid, s->hwpoison,
				     nid, s->low_memory, nid, s->isolated,
				     nid, s->reported, nid, s->not_reached,
				     nid, div_u64(s->time_ns, NSEC_PER_USEC),
				     nid, div_u64(s->hotplug_wait_ns,
						  NSEC_PER_USEC));
	}
	mutex_unlock(&cfp_last_lock);
	return len;
}

static struct kobj_attribute last_run_attr = __ATTR_RO(last_run);

static struct attribute *cfp_attrs[] = {
	&last_run_attr.attr,
	NULL,
};

static const struct attribute_group cfp_attr_group = {
	.name	= "clear_freelist_page",
	.attrs	= cfp_attrs,
};

#ifdef CONFIG_CLEAR_FREELIST_PAGE_TEST
/*
 * Test-only: debugfs clear_freelist_page/free_pages.  Writing a 64-bit
 * value sets the pattern; reading walks all free memory without changing
 * it and reports how many free pages were read, how many hold only zeros
 * and how many only the pattern.
 */
static u64 cfp_test_pattern;

static int cfp_free_pages_show(struct seq_file *m, void *v)
{
	unsigned long read = 0, zero = 0, matched = 0, hwpoison = 0;
	int nid, stop = CFP_RUNNING;

	if (atomic_cmpxchg_acquire(&cfp_busy, 0, 1))
		return -EBUSY;
	lru_add_drain_all();
	for_each_node_state(nid, N_MEMORY) {
		struct cfp_walk walk = {
			.op		= CFP_CHECK,
			.deadline_ns	= U64_MAX,
			.stop		= &stop,
			.pattern	= cfp_test_pattern,
		};
		int i;

		for (i = 0; i < MAX_NR_ZONES && !fatal_signal_pending(current); i++)
			if (populated_zone(&NODE_DATA(nid)->node_zones[i]))
				cfp_walk_zone(&NODE_DATA(nid)->node_zones[i],
					      &walk);
		read += walk.stats.cleared;
		zero += walk.zero;
		matched += walk.matched;
		hwpoison += walk.stats.hwpoison;
	}
	atomic_set_release(&cfp_busy, 0);
	if (fatal_signal_pending(current))
		return -EINTR;
	seq_printf(m, "read %lu\nzero %lu\npattern %lu\nhwpoison %lu\n",
		   read, zero, matched, hwpoison);
	return 0;
}

static int cfp_free_pages_open(struct inode *inode, struct file *file)
{
	return single_open(file, cfp_free_pages_show, NULL);
}

static ssize_t cfp_free_pages_write(struct file *file, const char __user *ubuf,
				    size_t count, loff_t *ppos)
{
	u64 val;
	int ret;

	ret = kstrtou64_from_user(ubuf, count, 0, &val);
	if (ret)
		return ret;
	WRITE_ONCE(cfp_test_pattern, val);
	return count;
}

static const struct file_operations cfp_free_pages_fops = {
	.open		= cfp_free_pages_open,
	.read		= seq_read,
	.write		= cfp_free_pages_write,
	.llseek		= seq_lseek,
	.release	= single_release,
};

/*
 * Test-only: debugfs clear_freelist_page/clear_page_ns, the reference for
 * make bench.  Writing N allocates about N pages in blocks of the largest
 * order and times clear_highpage() over them, the kernel's page-clearing
 * primitive; reading gives "pages <cleared> ns <time>".
 */
static unsigned long cfp_ref_pages;
static u64 cfp_ref_ns;

static int cfp_clear_page_show(struct seq_file *m, void *v)
{
	seq_printf(m, "pages %lu\nns %llu\n", READ_ONCE(cfp_ref_pages),
		   READ_ONCE(cfp_ref_ns));
	return 0;
}

static int cfp_clear_page_open(struct inode *inode, struct file *file)
{
	return single_open(file, cfp_clear_page_show, NULL);
}

static ssize_t cfp_clear_page_write(struct file *file,
				    const char __user *ubuf, size_t count,
				    loff_t *ppos)
{
	struct page *page, *next;
	unsigned long want, got = 0, i;
	LIST_HEAD(blocks);
	u64 t0, ns;
	int ret;

	ret = kstrtoul_from_user(ubuf, count, 0, &want);
	if (ret)
		return ret;
	while (got < want) {
		page = alloc_pages(GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN,
				   MAX_PAGE_ORDER);
		if (!page)
			break;
		list_add_tail(&page->lru, &blocks);
		got += MAX_ORDER_NR_PAGES;
	}
	t0 = ktime_get_ns();
	list_for_each_entry(page, &blocks, lru) {
		for (i = 0; i < MAX_ORDER_NR_PAGES; i++)
			clear_highpage(page + i);
		cond_resched();
	}
	ns = ktime_get_ns() - t0;
	list_for_each_entry_safe(page, next, &blocks, lru) {
		list_del(&page->lru);
		__free_pages(page, MAX_PAGE_ORDER);
	}
	WRITE_ONCE(cfp_ref_pages, got);
	WRITE_ONCE(cfp_ref_ns, ns);
	return got ? count : -ENOMEM;
}

static const struct file_operations cfp_clear_page_fops = {
	.open		= cfp_clear_page_open,
	.read		= seq_read,
	.write		= cfp_clear_page_write,
	.llseek		= seq_lseek,
	.release	= single_release,
};

static void __init cfp_test_init(void)
{
	struct dentry *dir = debugfs_create_dir("clear_freelist_page", NULL);

	debugfs_create_file("free_pages", 0600, dir, NULL,
			    &cfp_free_pages_fops);
	debugfs_create_file("clear_page_ns", 0600, dir, NULL,
			    &cfp_clear_page_fops);
}
#else
static inline void cfp_test_init(void) { }
#endif

static int __init clear_freelist_init(void)
{
	int nid;

	if (!cfp_enabled)
		return 0;
	cfp_workers = kcalloc(nr_node_ids, sizeof(*cfp_workers), GFP_KERNEL);
	cfp_last = kcalloc(nr_node_ids, sizeof(*cfp_last), GFP_KERNEL);
	if (!cfp_workers || !cfp_last)
		goto nomem;
	for (nid = 0; nid < nr_node_ids; nid++) {
		INIT_WORK(&cfp_workers[nid].work, cfp_work_fn);
		cfp_workers[nid].nid = nid;
	}
	if (sysfs_create_group(mm_kobj, &cfp_attr_group))
		goto nomem;
	register_sysctl_init("vm", cfp_sysctls);
	cfp_test_init();
	return 0;
nomem:
	kfree(cfp_workers);
	kfree(cfp_last);
	pr_err("cannot set up: /proc/sys/vm/clear_freelist_pages not created\n");
	return -ENOMEM;
}
late_initcall(clear_freelist_init);
