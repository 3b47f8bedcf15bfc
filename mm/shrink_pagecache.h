/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The page-cache limit (CONFIG_SHRINK_PAGECACHE): the hook that the page
 * cache calls before it adds a folio, and the arithmetic of the limit,
 * pure so that KUnit can check it.
 */
#ifndef _MM_SHRINK_PAGECACHE_H
#define _MM_SHRINK_PAGECACHE_H

#include <linux/gfp_types.h>
#include <linux/jump_label.h>
#include <linux/math.h>
#include <linux/minmax.h>
#include <linux/pagemap.h>
#include <linux/percpu.h>
#include <linux/types.h>

/* Pages a CPU reclaims per round for each unit of cache_reclaim_weight. */
#define SHRINK_PAGECACHE_BATCH		32UL
#define SHRINK_PAGECACHE_WEIGHT_MAX	100
#define SHRINK_PAGECACHE_PERIOD_MAX	43200

/**
 * enum spc_verdict - where the page cache stands against its limit
 * @SPC_UNDER: the page cache plus the pages to add stays within the limit
 *	(it may reach it exactly)
 * @SPC_NEAR: an estimate cannot tell: the exact count decides
 * @SPC_OVER: the pages to add would take the page cache over the limit
 */
enum spc_verdict {
	SPC_UNDER,
	SPC_NEAR,
	SPC_OVER,
};

/**
 * spc_cmp() - would @nr more pages take the page cache over @limit?
 * @count: the file LRU pages, or an estimate of them
 * @drift: how far the exact count may be from @count either way; 0 when
 *	@count is exact
 * @nr: the pages to add
 * @limit: the limit in pages, not 0
 *
 * Pure.  Every argument is at most the pages of memory (plus @drift, a
 * few pages per CPU), so no sum overflows.
 *
 * Return: %SPC_UNDER when @count + @drift + @nr <= @limit, %SPC_OVER when
 * @count - @drift + @nr > @limit, otherwise %SPC_NEAR.
 */
static inline enum spc_verdict spc_cmp(unsigned long count,
				       unsigned long drift, unsigned long nr,
				       unsigned long limit)
{
	if (count + drift + nr <= limit)
		return SPC_UNDER;
	if ((count > drift ? count - drift : 0) + nr > limit)
		return SPC_OVER;
	return SPC_NEAR;
}

/**
 * spc_batch() - the pages of one round of reclaim on one CPU
 * @weight: cache_reclaim_weight, 1 to %SHRINK_PAGECACHE_WEIGHT_MAX
 *
 * Pure.
 *
 * Return: %SHRINK_PAGECACHE_BATCH times @weight.
 */
static inline unsigned long spc_batch(unsigned int weight)
{
	return SHRINK_PAGECACHE_BATCH * weight;
}

/**
 * spc_credit() - what a CPU may add to the page cache without looking again
 * @count: the file LRU pages, or an estimate of them
 * @drift: how far the exact count may be from @count either way
 * @nr: the pages of the folio that looked
 * @limit: the limit in pages
 * @batch: spc_batch() of the weight in force
 *
 * Pure.  Only after spc_cmp() found @count + @drift + @nr within @limit:
 * the margin left, at most one @batch.  A credit replaces the CPU's
 * earlier one, and none is granted over the limit, so the CPUs together
 * pass the limit by at most one @batch each; a task that stays on one CPU
 * and adds alone reaches the limit and does not pass it.  The margin is
 * not divided among the CPUs: on a machine with many CPUs that would
 * leave each a credit of nothing, and every addition at the limit would
 * take the exact sum.
 *
 * Return: the pages this CPU may add before it looks again.
 */
static inline unsigned long spc_credit(unsigned long count,
				       unsigned long drift, unsigned long nr,
				       unsigned long limit, unsigned long batch)
{
	return min(limit - count - drift - nr, batch);
}

/**
 * spc_round_pages() - what one periodic round on one CPU reclaims
 * @count: the exact file LRU pages
 * @limit: the limit in pages, 0 for none
 * @batch: spc_batch() of the weight in force
 * @cpus: the online CPUs, whose rounds run at about the same time
 *
 * Pure.  A round works towards the limit only: with no limit, or with the
 * page cache within it, there is nothing to do.  Each CPU takes its share
 * of what is over, so that the rounds together do not reclaim it many
 * times over.
 *
 * Return: the share of one CPU of the pages over @limit, rounded up, at
 * most @batch; 0 when none are over.
 */
static inline unsigned long spc_round_pages(unsigned long count,
					    unsigned long limit,
					    unsigned long batch,
					    unsigned int cpus)
{
	if (!limit || count <= limit)
		return 0;
	return min(DIV_ROUND_UP(count - limit, max(cpus, 1U)), batch);
}

/**
 * spc_limit_max() - the highest cache_limit_mbytes accepted
 * @totalram: the pages of memory the kernel manages (MemTotal)
 *
 * Pure.
 *
 * Return: MemTotal in MiB, rounded down.
 */
static inline unsigned long spc_limit_max(unsigned long totalram)
{
	return totalram >> (20 - PAGE_SHIFT);
}

#ifdef CONFIG_SHRINK_PAGECACHE
DECLARE_STATIC_KEY_FALSE(shrink_pagecache_limited);
DECLARE_PER_CPU(long, shrink_pagecache_credit);

void __shrink_pagecache_charge(unsigned long nr, gfp_t gfp);

/**
 * shrink_pagecache_charge() - keep the page cache within cache_limit_mbytes
 * @mapping: the mapping the folio goes to
 * @nr: the pages of the folio about to be added to the page cache
 * @gfp: the allocation context of the caller
 *
 * Called by filemap_add_folio() before the folio is charged to its memory
 * cgroup, where the charge may reclaim too.  With no limit in force it
 * costs a static branch; with one, a per-CPU subtraction until this CPU
 * has added its credit, and only then a look at the page cache.  Over the
 * limit the caller reclaims a batch of page cache, if @gfp allows it.
 * The folio is added in every case: the limit never fails an allocation.
 * Unevictable mappings (ramfs, secretmem) are not on the file LRU the
 * limit counts, and reclaim nothing for it.
 */
static inline void shrink_pagecache_charge(struct address_space *mapping,
					   unsigned long nr, gfp_t gfp)
{
	if (static_branch_unlikely(&shrink_pagecache_limited) &&
	    !mapping_unevictable(mapping) &&
	    this_cpu_sub_return(shrink_pagecache_credit, nr) < 0)
		__shrink_pagecache_charge(nr, gfp);
}
#else
static inline void shrink_pagecache_charge(struct address_space *mapping,
					   unsigned long nr, gfp_t gfp)
{
}
#endif

#endif /* _MM_SHRINK_PAGECACHE_H */
