/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Memory reliability tiering: mirrored ("high-reliable") memory, that is
 * every zone below ZONE_MOVABLE, for the kernel and chosen users;
 * non-mirrored ("low-reliable") memory, ZONE_MOVABLE, for ordinary user
 * pages.  Built on top of kernelcore=mirror.
 *
 * Only allocations whose gfp mask carries both __GFP_HIGHMEM and
 * __GFP_MOVABLE (user pages, page cache, tmpfs) are steered.  Such an
 * allocation is ordinary unless it is marked for the mirrored tier: an
 * ordinary one gets a zonelist of the ZONE_MOVABLE zones only and never
 * spills into mirrored memory, and its reclaim takes ZONE_MOVABLE pages
 * only; a marked one has __GFP_HIGHMEM cleared (so it stays in the
 * mirrored zones, and so do its reclaim and kswapd wake-ups) and
 * __GFP_RELIABLE set, which lets the page allocator fall back to
 * ZONE_MOVABLE when mirrored memory runs out, unless fallback is switched
 * off.  The mark is given where the owner of the page is known: the
 * process's mm for its own pages, the page cache and tmpfs switches for
 * theirs.  Migration keeps the source page's tier.
 */
#ifndef _LINUX_MEM_RELIABLE_H
#define _LINUX_MEM_RELIABLE_H

#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/gfp_types.h>
#include <linux/jump_label.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/overflow.h>
#include <linux/percpu.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/sched/coredump.h>
#include <linux/sizes.h>
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

/*
 * The bits of reliable_debug (boot parameter letters and the sysctl
 * /proc/sys/vm/reliable_debug): what tiering does for new allocations.
 */
#define MEM_RELIABLE_ALL	BIT(0)	/* the whole feature */
#define MEM_RELIABLE_FALLBACK	BIT(1)	/* F: fall back to ZONE_MOVABLE */
#define MEM_RELIABLE_SHMEM	BIT(2)	/* S: tmpfs/shmem in mirrored memory */
#define MEM_RELIABLE_PAGECACHE	BIT(3)	/* P: page cache in mirrored memory */
#define MEM_RELIABLE_CTRL_MASK	(MEM_RELIABLE_ALL | MEM_RELIABLE_FALLBACK | \
				 MEM_RELIABLE_SHMEM | MEM_RELIABLE_PAGECACHE)

/**
 * enum mem_reliable_kind - whose page an allocation is, for steering
 * @MEM_RELIABLE_KIND_TASK: a process's own page (anonymous, private file
 *	copy-on-write, swap-in): mirrored for reliable processes and init
 * @MEM_RELIABLE_KIND_PAGECACHE: a page-cache page: mirrored unless the
 *	page-cache bit is off
 * @MEM_RELIABLE_KIND_SHMEM: a tmpfs/shmem page: mirrored unless the shmem
 *	bit is off
 */
enum mem_reliable_kind {
	MEM_RELIABLE_KIND_TASK,
	MEM_RELIABLE_KIND_PAGECACHE,
	MEM_RELIABLE_KIND_SHMEM,
};

/* The gfp bits that make an allocation steerable: a movable user page. */
#define GFP_RELIABLE_STEERED	(__GFP_HIGHMEM | __GFP_MOVABLE)

#ifdef CONFIG_MEMORY_RELIABLE

DECLARE_STATIC_KEY_FALSE(mem_reliable);
DECLARE_STATIC_KEY_FALSE(mem_reliable_counting);
extern unsigned long mem_reliable_ctrl;

/* Out of line part of mem_reliable_shmem_account(). */
void __mem_reliable_shmem_account(long nr);

/**
 * mem_reliable_status() - is memory reliability tiering on?
 *
 * Return: true when the kernel was booted with kernelcore=reliable,
 * tiering really came up (the system has both mirrored and non-mirrored
 * memory and this is not a kdump kernel), and bit 0 of reliable_debug has
 * not been cleared since.  Cheap: a static branch.
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
 * mem_reliable_steer() - the gfp mask that puts an allocation in its tier
 * @gfp: the caller's gfp mask
 * @kind: whose page it is
 * @task_reliable: for %MEM_RELIABLE_KIND_TASK, the owning process is
 *	reliable (or init)
 * @ctrl: the reliable_debug bits in force
 *
 * Pure: the steering decision, also used by the KUnit tests.  A mask
 * without both __GFP_HIGHMEM and __GFP_MOVABLE, or any mask while bit 0 of
 * @ctrl is clear, is returned as it is.  Otherwise the allocation belongs
 * in the mirrored tier when @kind says so: __GFP_HIGHMEM is cleared, which
 * keeps it to the zones below ZONE_MOVABLE, and __GFP_RELIABLE is set,
 * which allows the fallback of mem_reliable_fallback().  An ordinary
 * allocation keeps its mask and is kept to ZONE_MOVABLE by the allocator
 * (mem_reliable_movable_only()).
 *
 * Return: the gfp mask to allocate with.
 */
static inline gfp_t mem_reliable_steer(gfp_t gfp, enum mem_reliable_kind kind,
				       bool task_reliable, unsigned long ctrl)
{
	bool mirror;

	if (!(ctrl & MEM_RELIABLE_ALL) ||
	    (gfp & GFP_RELIABLE_STEERED) != GFP_RELIABLE_STEERED)
		return gfp;
	switch (kind) {
	case MEM_RELIABLE_KIND_PAGECACHE:
		mirror = ctrl & MEM_RELIABLE_PAGECACHE;
		break;
	case MEM_RELIABLE_KIND_SHMEM:
		mirror = ctrl & MEM_RELIABLE_SHMEM;
		break;
	default:
		mirror = task_reliable;
		break;
	}
	return mirror ? (gfp & ~__GFP_HIGHMEM) | __GFP_RELIABLE : gfp;
}

/**
 * mem_reliable_may_fallback() - may an allocation leave the mirrored tier?
 * @gfp: the gfp mask the allocation runs with
 * @order: its order
 * @ctrl: the reliable_debug bits in force
 *
 * Pure.  Only allocations that mem_reliable_steer() put in the mirrored
 * tier (__GFP_RELIABLE) fall back, only while fallback is on, only those
 * that may reclaim (a non-blocking attempt fails, and its caller retries
 * with reclaim), and only when a smaller order is no alternative: an
 * order-0 page, or a small order (up to PAGE_ALLOC_COSTLY_ORDER) asked for
 * without __GFP_NORETRY.  A failed large folio or transparent huge page
 * falls back to small pages in mirrored memory through its caller.
 *
 * Return: true when the allocation may go on in ZONE_MOVABLE.
 */
static inline bool mem_reliable_may_fallback(gfp_t gfp, unsigned int order,
					     unsigned long ctrl)
{
	return (gfp & __GFP_RELIABLE) && (gfp & __GFP_MOVABLE) &&
	       (gfp & __GFP_DIRECT_RECLAIM) &&
	       (ctrl & MEM_RELIABLE_ALL) && (ctrl & MEM_RELIABLE_FALLBACK) &&
	       (!order || (order <= PAGE_ALLOC_COSTLY_ORDER &&
			   !(gfp & __GFP_NORETRY)));
}

/**
 * mem_reliable_movable_only() - must an allocation stay in ZONE_MOVABLE?
 * @highest_zoneidx: the highest zone the allocation may use
 *
 * An allocation that may use ZONE_MOVABLE (both __GFP_HIGHMEM and
 * __GFP_MOVABLE, not put in the mirrored tier) is an ordinary user page:
 * while tiering is on it gets a zonelist of ZONE_MOVABLE zones only, so
 * that neither the allocation nor its compaction, retries and OOM handling
 * look at mirrored memory, and its reclaim takes ZONE_MOVABLE pages only
 * (mem_reliable_reclaim_min_idx()).
 *
 * Return: true when the allocation must be kept to ZONE_MOVABLE.
 */
static inline bool mem_reliable_movable_only(enum zone_type highest_zoneidx)
{
	return mem_reliable_status() && highest_zoneidx == ZONE_MOVABLE;
}

/**
 * mem_reliable_reclaim_min_idx() - the lowest zone reclaim may take from
 * @reclaim_idx: the highest zone reclaim is for
 *
 * Reclaim for ZONE_MOVABLE while tiering is on is reclaim for ordinary
 * user pages, which only ZONE_MOVABLE can serve: freeing mirrored pages
 * (the page cache, reliable processes' memory) would not help them.
 * kswapd balances a node for them when its ZONE_MOVABLE is balanced.
 *
 * Return: ZONE_MOVABLE for such reclaim, 0 otherwise.
 */
static inline int mem_reliable_reclaim_min_idx(enum zone_type reclaim_idx)
{
	return mem_reliable_movable_only(reclaim_idx) ? ZONE_MOVABLE : 0;
}

/**
 * mem_reliable_zonelist() - the ZONE_MOVABLE-only zonelist of a node
 * @nid: the preferred node
 * @gfp: the gfp mask (__GFP_THISNODE selects the node's own zones only)
 *
 * The ZONE_MOVABLE zones of the fallback zonelist of @nid, in its order.
 *
 * Return: the zonelist for an allocation mem_reliable_movable_only()
 * accepted.
 */
static inline struct zonelist *mem_reliable_zonelist(int nid, gfp_t gfp)
{
	return NODE_DATA(nid)->node_zonelists +
	       (gfp & __GFP_THISNODE ? ZONELIST_MOVABLE_THISNODE :
				       ZONELIST_MOVABLE);
}

/**
 * mem_reliable_build_zonelists() - build the ZONE_MOVABLE-only zonelists
 * @pgdat: the node whose fallback zonelists were just built
 *
 * Called by build_zonelists() whenever the zonelists are (re)built: the
 * ZONE_MOVABLE entries of the fallback and __GFP_THISNODE zonelists, in
 * their order.
 */
void mem_reliable_build_zonelists(pg_data_t *pgdat);

/**
 * mem_reliable_fallback() - let a mirrored allocation go on in ZONE_MOVABLE
 * @gfp: the allocation's gfp mask, updated
 * @order: its order
 * @highest_zoneidx: its highest zone index, updated
 *
 * Called by the page allocator's slow path when reclaim could not satisfy
 * an allocation, before it invokes the OOM killer or fails.  When
 * mem_reliable_may_fallback() allows it, gives the allocation back
 * __GFP_HIGHMEM (so that ZONE_MOVABLE is tried first, then the mirrored
 * zones) and drops __GFP_RELIABLE, so that it falls back once.
 *
 * Return: true when the allocation should be retried with the new mask.
 */
static inline bool mem_reliable_fallback(gfp_t *gfp, unsigned int order,
					 enum zone_type *highest_zoneidx)
{
	if (!mem_reliable_may_fallback(*gfp, order, READ_ONCE(mem_reliable_ctrl)))
		return false;
	*gfp = (*gfp & ~__GFP_RELIABLE) | __GFP_HIGHMEM;
	*highest_zoneidx = gfp_zone(*gfp);
	return true;
}

struct alloc_context;
bool __mem_reliable_fallback_alloc(gfp_t *gfp, unsigned int order,
				   struct alloc_context *ac);

/**
 * mem_reliable_fallback_alloc() - let an allocation go on in ZONE_MOVABLE
 * @gfp: the allocation's gfp mask, updated
 * @order: its order
 * @ac: its allocation context, updated
 *
 * Called by the page allocator's slow path when reclaim could not satisfy
 * an allocation, before it invokes the OOM killer or fails.  When
 * mem_reliable_fallback() changes the mask, the allocation also gets the
 * ZONE_MOVABLE-only zonelist of its node: with the full zonelist it would
 * take the local node's mirrored zones down to their min watermark before
 * a remote node's ZONE_MOVABLE, and their reserve is the kernel's.
 *
 * Return: true when the allocation should be retried with the new mask
 * and zonelist.
 */
static inline bool mem_reliable_fallback_alloc(gfp_t *gfp, unsigned int order,
					       struct alloc_context *ac)
{
	if (!(*gfp & __GFP_RELIABLE))
		return false;
	return __mem_reliable_fallback_alloc(gfp, order, ac);
}

bool __mem_reliable_node_reclaim_futile(struct pglist_data *pgdat,
					enum zone_type reclaim_idx);

/**
 * mem_reliable_node_reclaim_futile() - nothing for node reclaim to take?
 * @pgdat: the node node_reclaim() is asked to reclaim
 * @gfp: the gfp mask of the allocation it is for
 *
 * node_reclaim() runs only when the node holds more than min_unmapped_pages
 * of unmapped page cache or min_slab_pages of reclaimable slab.  Reclaim
 * for ordinary user pages takes ZONE_MOVABLE pages only
 * (mem_reliable_reclaim_min_idx()), and neither the mirrored page cache
 * nor slab, which are not in ZONE_MOVABLE, can help it: for such reclaim
 * the node counts as worth reclaiming only when its ZONE_MOVABLE holds more
 * than min_unmapped_pages of page cache.  Otherwise every allocation that
 * found the node's ZONE_MOVABLE low would pay for a futile reclaim pass.
 *
 * Return: true when node_reclaim() should not scan the node.
 */
static inline bool mem_reliable_node_reclaim_futile(struct pglist_data *pgdat,
						    gfp_t gfp)
{
	if (!mem_reliable_reclaim_min_idx(gfp_zone(gfp)))
		return false;
	return __mem_reliable_node_reclaim_futile(pgdat, gfp_zone(gfp));
}

bool __mem_reliable_nodes_usable(const nodemask_t *nodes);

/**
 * mem_reliable_nodes_usable() - may a policy's nodes serve an allocation?
 * @nodes: the nodes a memory policy restricts an allocation to (MPOL_BIND,
 *	MPOL_PREFERRED_MANY)
 * @gfp: the gfp mask the page allocator will use (current_gfp_context())
 *
 * An ordinary user page may use ZONE_MOVABLE only
 * (mem_reliable_movable_only()).  Bound to nodes without ZONE_MOVABLE it
 * could not be allocated at all, and its page fault would be retried for
 * ever.  As apply_policy_zone() does for kernel allocations bound to nodes
 * of movable memory only, alloc_pages_mpol() then does not apply the
 * policy's nodes: the page goes to ZONE_MOVABLE of another node.
 * mbind() with MPOL_MF_MOVE to such nodes moves nothing
 * (mem_reliable_mbind_keep()).
 *
 * Return: false when @gfp is for an ordinary user page and no node of
 * @nodes has memory in ZONE_MOVABLE; true otherwise.
 */
static inline bool mem_reliable_nodes_usable(const nodemask_t *nodes, gfp_t gfp)
{
	if (!mem_reliable_movable_only(gfp_zone(gfp)))
		return true;
	return __mem_reliable_nodes_usable(nodes);
}

/**
 * mem_reliable_node_usable() - may node @nid serve an allocation itself?
 * @nid: a node
 * @gfp: the gfp mask the page allocator will use (current_gfp_context())
 *
 * For the first, local-node-only attempt at a transparent huge page: on a
 * node without ZONE_MOVABLE it cannot succeed for an ordinary user page,
 * and alloc_pages_mpol() goes on to its usual allocation instead of
 * giving up on the huge page: the first ZONE_MOVABLE in the node's zone
 * order that has one free, which with three nodes or more may be a far
 * node where upstream would have taken a small page on the nearest.
 *
 * Return: false when @gfp is for an ordinary user page and @nid has no
 * memory in ZONE_MOVABLE; true otherwise.
 */
static inline bool mem_reliable_node_usable(int nid, gfp_t gfp)
{
	if (!mem_reliable_movable_only(gfp_zone(gfp)))
		return true;
	return populated_zone(&NODE_DATA(nid)->node_zones[ZONE_MOVABLE]);
}

/* Below this much reclaimable mirrored memory, reclaim is not tried. */
#define MEM_RELIABLE_RECLAIM_MIN_PAGES	(SZ_4M >> PAGE_SHIFT)

int __mem_reliable_short(gfp_t *gfp, unsigned int order,
			 struct alloc_context *ac);

/**
 * mem_reliable_short() - a mirrored allocation with nothing to reclaim
 * @gfp: the allocation's gfp mask, updated
 * @order: its order
 * @ac: its allocation context, updated
 *
 * Called by the page allocator's slow path when it starts (after waking
 * kswapd, before it tries the min watermark) and before each direct
 * reclaim.  When the mirrored zones the allocation may use hold less than
 * 4 MiB of reclaimable memory (file pages, and anonymous pages with swap),
 * reclaim cannot free enough mirrored memory to matter, and a user page
 * must not take the mirrored zones' last reserve below their low
 * watermark, which the kernel's own allocations need: an allocation that
 * may fall back does so at once, as mem_reliable_fallback() would after a
 * futile reclaim; one that may not (a large folio, a transparent huge
 * page, a non-blocking attempt) fails, and its caller retries with a
 * small page or with reclaim; a __GFP_NOFAIL one, and with fallback off
 * (reliable_debug F) one that would otherwise fall back, go on as usual,
 * to reclaim and the OOM killer.  kswapd goes on reclaiming in the
 * background.
 *
 * Return: 1 when the allocation should be retried with the new mask, -1
 * when it should fail, 0 when it goes on as usual.
 */
static inline int mem_reliable_short(gfp_t *gfp, unsigned int order,
				     struct alloc_context *ac)
{
	if (!(*gfp & __GFP_RELIABLE))
		return 0;
	return __mem_reliable_short(gfp, order, ac);
}

/**
 * mm_reliable() - does @mm belong to a reliable process (or to init)?
 * @mm: the address space, may be NULL
 *
 * Return: true when the process's own pages go to the mirrored tier.
 */
static inline bool mm_reliable(const struct mm_struct *mm)
{
	return mm && (mm->flags & (MMF_RELIABLE_MASK | MMF_RELIABLE_INIT_MASK));
}

/**
 * mem_reliable_task_gfp() - gfp mask for a page of the process of @mm
 * @mm: the address space the page is for
 * @gfp: the caller's gfp mask
 *
 * For anonymous pages, copy-on-write copies and swap-in; decides from the
 * mm that the page is for, not from the task that allocates it.
 *
 * Return: the gfp mask to allocate with.
 */
static inline gfp_t mem_reliable_task_gfp(const struct mm_struct *mm, gfp_t gfp)
{
	if (!mem_reliable_status())
		return gfp;
	return mem_reliable_steer(gfp, MEM_RELIABLE_KIND_TASK, mm_reliable(mm),
				  READ_ONCE(mem_reliable_ctrl));
}

/**
 * mem_reliable_pagecache_gfp() - gfp mask for a page-cache page
 * @gfp: the caller's gfp mask
 *
 * Return: the gfp mask to allocate with.
 */
static inline gfp_t mem_reliable_pagecache_gfp(gfp_t gfp)
{
	if (!mem_reliable_status())
		return gfp;
	return mem_reliable_steer(gfp, MEM_RELIABLE_KIND_PAGECACHE, false,
				  READ_ONCE(mem_reliable_ctrl));
}

/**
 * mem_reliable_shmem_gfp() - gfp mask for a tmpfs/shmem page
 * @gfp: the caller's gfp mask
 *
 * Return: the gfp mask to allocate with.
 */
static inline gfp_t mem_reliable_shmem_gfp(gfp_t gfp)
{
	if (!mem_reliable_status())
		return gfp;
	return mem_reliable_steer(gfp, MEM_RELIABLE_KIND_SHMEM, false,
				  READ_ONCE(mem_reliable_ctrl));
}

/* A limit in pages that limits nothing: the sysctl holds its default. */
#define MEM_RELIABLE_NO_LIMIT	ULONG_MAX

extern unsigned long mem_reliable_task_limit_pages;
extern unsigned long mem_reliable_pagecache_limit_pages;
extern unsigned long mem_reliable_shmem_limit_pages;
bool __mem_reliable_pagecache_over(unsigned long nr);
bool __mem_reliable_shmem_over(unsigned long nr);
/**
 * enum mem_reliable_over - what an allocation over task_reliable_limit
 *	does when reclaiming page cache did not help
 * @MEM_RELIABLE_OVER_FALL_BACK: goes to ZONE_MOVABLE, fallback or not
 *	(page cache, a tmpfs page back from swap)
 * @MEM_RELIABLE_OVER_REFUSE: goes to ZONE_MOVABLE, or with fallback off
 *	is refused with -ENOSPC (a new tmpfs page; init's is not refused
 *	but treated as @MEM_RELIABLE_OVER_KILL)
 * @MEM_RELIABLE_OVER_KILL: goes to ZONE_MOVABLE, or with fallback off has
 *	the OOM killer kill a reliable process (a process's own page)
 */
enum mem_reliable_over {
	MEM_RELIABLE_OVER_FALL_BACK,
	MEM_RELIABLE_OVER_REFUSE,
	MEM_RELIABLE_OVER_KILL,
};

int __mem_reliable_task_limit(gfp_t *gfp, unsigned int order,
			      enum mem_reliable_over over);

/**
 * struct mem_reliable_limit_cache - a CPU's shortcut of a limit check
 * @room: pages this CPU may still allocate without looking at the count,
 *	granted by mem_reliable_limit_room() from an estimate under the limit
 * @over: allocations this CPU still sends to ZONE_MOVABLE without
 *	looking, after the exact count found the limit reached where
 *	ZONE_MOVABLE was the outcome anyway
 *
 * The checks of ReliableFileCache and ReliableTaskUsed read a few
 * counters of every mirrored zone; with this most allocations read one
 * per-CPU value.  Cleared on every CPU when the limit is written.
 */
struct mem_reliable_limit_cache {
	long room;
	long over;
};

DECLARE_PER_CPU(struct mem_reliable_limit_cache, mem_reliable_task_limit_cache);

/**
 * mem_reliable_task_limit() - hold a reliable process to task_reliable_limit
 * @mm: the address space the page is for
 * @gfp: the gfp mask from mem_reliable_task_gfp(), updated
 * @order: the folio's order
 *
 * task_reliable_limit bounds the mirrored memory of user pages
 * (ReliableTaskUsed: the LRU pages of the mirrored zones, anonymous,
 * tmpfs and page cache, whoever they belong to) for the allocations of
 * reliable processes and init.  An allocation that would take it over
 * the limit first reclaims mirrored page cache, 4 MiB at a time until it
 * is under the limit (at most 32 MiB when it may fall back, 256 MiB when
 * not), unless there is less than 4 MiB of it; if that is not enough it
 * falls back to ZONE_MOVABLE, or with fallback off has the OOM killer
 * kill a reliable process that maps mirrored memory (the one with the
 * highest badness; constraint=CONSTRAINT_RELIABLE) and goes on in
 * mirrored memory, over the limit by this folio while the victim exits.
 * A large folio, or a non-blocking attempt, is refused instead: its
 * caller retries with a small page or with reclaim.
 *
 * Return: 0 to allocate with *@gfp, or -ENOMEM.
 */
static inline int mem_reliable_task_limit(const struct mm_struct *mm,
					  gfp_t *gfp, unsigned int order)
{
	if (!(*gfp & __GFP_RELIABLE) || !mm_reliable(mm) ||
	    READ_ONCE(mem_reliable_task_limit_pages) == MEM_RELIABLE_NO_LIMIT)
		return 0;
	/* Room left from the last look: the common case, far from the limit. */
	if (this_cpu_sub_return(mem_reliable_task_limit_cache.room, 1L << order) >= 0)
		return 0;
	return __mem_reliable_task_limit(gfp, order, MEM_RELIABLE_OVER_KILL);
}

/*
 * A page-cache or tmpfs page for the current process, which
 * mem_reliable_steer() put in the mirrored tier (@steered): a reliable
 * process is held to task_reliable_limit, an ordinary one to @limit.
 */
static inline bool mem_reliable_limit_applies(gfp_t steered,
					      unsigned long limit)
{
	return (steered & __GFP_RELIABLE) && limit != MEM_RELIABLE_NO_LIMIT &&
	       !mm_reliable(current->mm);
}

/* The task limit for a reliable process's page cache or tmpfs page. */
static inline bool mem_reliable_task_limit_applies(gfp_t steered)
{
	return (steered & __GFP_RELIABLE) && mm_reliable(current->mm) &&
	       READ_ONCE(mem_reliable_task_limit_pages) != MEM_RELIABLE_NO_LIMIT;
}

/**
 * mem_reliable_pagecache_alloc_gfp() - gfp mask for a new page-cache folio
 * @gfp: the caller's gfp mask
 * @order: the folio's order
 *
 * As mem_reliable_pagecache_gfp(), and below reliable_pagecache_max_bytes:
 * an ordinary process's page cache that would take the mirrored page
 * cache (ReliableFileCache) over the limit goes to ZONE_MOVABLE, whether
 * fallback is on or not.  A reliable process's page cache is held to
 * task_reliable_limit instead (mem_reliable_task_limit()), and falls back
 * to ZONE_MOVABLE over it, fallback or not.  File system metadata (a
 * mapping that does not ask for movable highmem pages) is held to
 * neither; all of them count in both.
 *
 * Return: the gfp mask to allocate with.
 */
static inline gfp_t mem_reliable_pagecache_alloc_gfp(gfp_t gfp,
						     unsigned int order)
{
	gfp_t steered = mem_reliable_pagecache_gfp(gfp);

	if (mem_reliable_task_limit_applies(steered)) {
		__mem_reliable_task_limit(&steered, order,
					  MEM_RELIABLE_OVER_FALL_BACK);
		return steered;
	}
	if (mem_reliable_limit_applies(steered,
				       READ_ONCE(mem_reliable_pagecache_limit_pages)) &&
	    __mem_reliable_pagecache_over(1UL << order))
		return gfp;
	return steered;
}

/**
 * mem_reliable_shmem_limit() - place a new tmpfs/shmem folio
 * @gfp: the caller's gfp mask, updated
 * @order: the folio's order
 *
 * As mem_reliable_shmem_gfp(), and below shmem_reliable_bytes_limit: an
 * ordinary process's folio that would take mirrored tmpfs (ReliableShmem)
 * over the limit goes to ZONE_MOVABLE when fallback is on, and is refused
 * when it is off, as a full tmpfs refuses it: no reclaim, no OOM kill.
 * A reliable process's tmpfs pages are held to task_reliable_limit
 * instead (mem_reliable_task_limit()), and over it are refused in the
 * same way when fallback is off; all of them count in both.
 *
 * A mask that already carries __GFP_RELIABLE was placed by
 * mem_reliable_shmem_swapin_gfp() and is left as it is.
 *
 * Return: 0 to allocate with *@gfp, or -ENOSPC (*@gfp untouched).
 */
static inline int mem_reliable_shmem_limit(gfp_t *gfp, unsigned int order)
{
	gfp_t steered = mem_reliable_shmem_gfp(*gfp);
	int ret;

	/* The tier was decided already (mem_reliable_shmem_swapin_gfp()). */
	if (*gfp & __GFP_RELIABLE)
		return 0;
	if (mem_reliable_task_limit_applies(steered)) {
		ret = __mem_reliable_task_limit(&steered, order,
						MEM_RELIABLE_OVER_REFUSE);
		if (ret)
			return ret;
	} else if (mem_reliable_limit_applies(steered,
					      READ_ONCE(mem_reliable_shmem_limit_pages)) &&
		   __mem_reliable_shmem_over(1UL << order)) {
		return READ_ONCE(mem_reliable_ctrl) & MEM_RELIABLE_FALLBACK ?
		       0 : -ENOSPC;
	}
	*gfp = steered;
	return 0;
}

/**
 * mem_reliable_shmem_swapin_gfp() - gfp mask for a tmpfs page back from swap
 * @gfp: the caller's gfp mask
 *
 * As mem_reliable_shmem_limit() for a small page, but never refused:
 * over shmem_reliable_bytes_limit, or for a reliable process over
 * task_reliable_limit, the page comes back in ZONE_MOVABLE, fallback or
 * not, because failing would make the file's data unreadable.  The tier
 * is decided once, here, for the read from swap and for the copy that
 * replaces a swap-cache folio of another tier: the copy is allocated with
 * this mask and not checked again (mem_reliable_shmem_limit()).
 *
 * Return: the gfp mask to allocate with, and to check the tier of a folio
 * found in the swap cache against.
 */
static inline gfp_t mem_reliable_shmem_swapin_gfp(gfp_t gfp)
{
	gfp_t steered = mem_reliable_shmem_gfp(gfp);

	if (mem_reliable_task_limit_applies(steered)) {
		__mem_reliable_task_limit(&steered, 0, MEM_RELIABLE_OVER_FALL_BACK);
		return steered;
	}

	if (mem_reliable_limit_applies(steered,
				       READ_ONCE(mem_reliable_shmem_limit_pages)) &&
	    __mem_reliable_shmem_over(1))
		return gfp;
	return steered;
}

/**
 * enum mem_reliable_verdict - how a count compares with a limit
 * @MEM_RELIABLE_UNDER: the count plus the pages asked for stays within
 *	the limit (it may reach it exactly)
 * @MEM_RELIABLE_NEAR: an estimate cannot tell: the exact count decides
 * @MEM_RELIABLE_OVER: the pages asked for would take the count over the
 *	limit
 */
enum mem_reliable_verdict {
	MEM_RELIABLE_UNDER,
	MEM_RELIABLE_NEAR,
	MEM_RELIABLE_OVER,
};

/**
 * mem_reliable_limit_pages() - a byte limit of /proc/sys/vm in pages
 * @bytes: the value of the sysctl
 * @none: the value that means no limit (the sysctl's default)
 *
 * Pure.  A limit that is not a whole number of pages is rounded down: a
 * page is charged whole, and usage may reach the limit but not pass it.
 *
 * Return: @bytes in pages, or %MEM_RELIABLE_NO_LIMIT when @bytes is @none.
 */
static inline unsigned long mem_reliable_limit_pages(unsigned long bytes,
						     unsigned long none)
{
	return bytes == none ? MEM_RELIABLE_NO_LIMIT : bytes >> PAGE_SHIFT;
}

/**
 * mem_reliable_limit_cmp() - would @nr more pages take a count over @limit?
 * @count: the count in pages, or an estimate of it
 * @drift: how far the exact count may be from @count either way; 0 when
 *	@count is exact
 * @nr: the pages asked for
 * @limit: the limit in pages, %MEM_RELIABLE_NO_LIMIT for none
 *
 * Pure, and safe from overflow for any values.  The limit checks read a
 * cheap estimate first, the sum of per-CPU counters folded in batches,
 * whose @drift is one batch per online CPU; only when the estimate cannot
 * decide, within @drift of the limit, do they take the exact count, and
 * then with @drift 0, which always decides.
 *
 * Return: %MEM_RELIABLE_UNDER when @count + @drift + @nr <= @limit,
 * %MEM_RELIABLE_OVER when @count - @drift + @nr > @limit, otherwise
 * %MEM_RELIABLE_NEAR.
 */
static inline enum mem_reliable_verdict
mem_reliable_limit_cmp(unsigned long count, unsigned long drift,
		       unsigned long nr, unsigned long limit)
{
	unsigned long low = count > drift ? count - drift : 0, sum;

	if (limit == MEM_RELIABLE_NO_LIMIT)
		return MEM_RELIABLE_UNDER;
	if (!check_add_overflow(count, drift, &sum) &&
	    !check_add_overflow(sum, nr, &sum) && sum <= limit)
		return MEM_RELIABLE_UNDER;
	if (check_add_overflow(low, nr, &sum) || sum > limit)
		return MEM_RELIABLE_OVER;
	return MEM_RELIABLE_NEAR;
}

/* The most a CPU may allocate against a limit without looking again. */
#define MEM_RELIABLE_ROOM_MAX	64UL

/**
 * mem_reliable_limit_room() - what a CPU may allocate without looking again
 * @count: an estimate of the count, in pages
 * @drift: how far the exact count may be from @count either way
 * @nr: the pages of the allocation that looked
 * @limit: the limit in pages
 * @cpus: the online CPUs
 *
 * Pure.  Only after mem_reliable_limit_cmp() found @count + @drift + @nr
 * within @limit: the margin left, shared among the online CPUs, at most
 * %MEM_RELIABLE_ROOM_MAX.  Each CPU then skips its checks until it has
 * allocated that much; each one's share is at most the margin divided by
 * the CPUs, so they pass the limit only if they all took their share from
 * the same margin at once, by at most %MEM_RELIABLE_ROOM_MAX pages each,
 * and reach it exactly when a single CPU allocates.
 *
 * Return: the pages this CPU may allocate before it looks again.
 */
static inline unsigned long mem_reliable_limit_room(unsigned long count,
						    unsigned long drift,
						    unsigned long nr,
						    unsigned long limit,
						    unsigned int cpus)
{
	unsigned long margin = limit - count - drift - nr;

	return min(margin / max(cpus, 1U), MEM_RELIABLE_ROOM_MAX);
}

/**
 * mem_reliable_limit_valid() - check a write of a byte limit sysctl
 * @val: the value written
 * @min: the lowest value allowed
 * @max: the highest value allowed
 * @none: the sysctl's default, which means no limit
 *
 * Pure.  Besides [@min, @max], the default is accepted, so that a value
 * read at boot can be written back to lift the limit.
 *
 * Return: 0, or -EINVAL.
 */
static inline int mem_reliable_limit_valid(unsigned long val, unsigned long min,
					   unsigned long max, unsigned long none)
{
	if (val == none || (val >= min && val <= max))
		return 0;
	return -EINVAL;
}

/**
 * mem_reliable_scarce() - is mirrored memory scarce for the page cache?
 * @free: the free pages of the mirrored zones
 * @high: the sum of their high watermarks
 * @file: the mirrored page cache (ReliableFileCache) in pages
 * @limit: reliable_pagecache_max_bytes in pages, %MEM_RELIABLE_NO_LIMIT
 *	for none
 *
 * Pure.  Mirrored memory is scarce while the mirrored zones are below
 * their high watermarks (kswapd has not caught up), or while the page
 * cache has used up its share of mirrored memory, so that new page cache
 * goes to ZONE_MOVABLE.
 *
 * Return: true when reclaim of page cache should take mirrored page cache
 * first.
 */
static inline bool mem_reliable_scarce(unsigned long free, unsigned long high,
				       unsigned long file, unsigned long limit)
{
	return free < high || (limit != MEM_RELIABLE_NO_LIMIT && file >= limit);
}

bool __mem_reliable_pagecache_scarce(void);

/**
 * mem_reliable_pagecache_scarce() - should page-cache reclaim go to mirrored memory first?
 *
 * For reclaim that only has to free some page cache, wherever it is (the
 * page-cache limit of CONFIG_SHRINK_PAGECACHE): while tiering is on and
 * mirrored memory is scarce (mem_reliable_scarce()), reclaiming mirrored
 * page cache first gives the kernel and reliable processes their memory
 * back.  Reads the zones' counters and sums the mirrored page cache
 * exactly: for the slow path just before a reclaim, never a fast path.
 *
 * Return: true when the reclaim should take mirrored page cache first.
 */
static inline bool mem_reliable_pagecache_scarce(void)
{
	return mem_reliable_status() && __mem_reliable_pagecache_scarce();
}

struct mempolicy;
long __mem_reliable_mbind_keep(struct list_head *pagelist,
			       const struct mempolicy *pol);

/**
 * mem_reliable_mbind_keep() - leave the folios mbind() cannot move in place
 * @pagelist: the folios mbind() with MPOL_MF_MOVE isolated for migration
 * @pol: the policy they are to follow
 *
 * A folio keeps its tier when it migrates (mem_reliable_migrate_gfp()),
 * and alloc_pages_mpol() does not apply nodes without ZONE_MOVABLE to an
 * ordinary user page.  So an ordinary folio cannot move to the nodes of a
 * policy none of which has ZONE_MOVABLE: migrating it would only copy it
 * to ZONE_MOVABLE of whatever node the allocator picks, often the node it
 * is on.  Such folios are put back before migration, where they are, and
 * counted as not moved (mbind() with MPOL_MF_STRICT then fails with EIO).
 * When some of the nodes have ZONE_MOVABLE, nothing is put back: an
 * interleave policy may still copy a folio meant for one of the others to
 * the ZONE_MOVABLE nearest that node.
 *
 * Return: how many folios were put back.
 */
static inline long mem_reliable_mbind_keep(struct list_head *pagelist,
					   const struct mempolicy *pol)
{
	if (!mem_reliable_status())
		return 0;
	return __mem_reliable_mbind_keep(pagelist, pol);
}

/**
 * mem_reliable_collapse_gfp() - gfp mask for a huge page that collapses
 *	small ones (khugepaged, MADV_COLLAPSE)
 * @gfp: the caller's gfp mask
 * @mm: the address space that maps the range
 * @mapping: the file of a file or tmpfs range, NULL for anonymous memory
 *
 * A file or tmpfs huge page takes the tier of the page cache or tmpfs; an
 * anonymous one the tier of the process that owns @mm, whoever collapses.
 *
 * Return: the gfp mask to allocate with.
 */
gfp_t mem_reliable_collapse_gfp(gfp_t gfp, const struct mm_struct *mm,
				struct address_space *mapping);

/**
 * mem_reliable_migrate_gfp() - gfp mask for the copy of a migrating folio
 * @src: the folio that migrates
 * @gfp: the caller's gfp mask
 *
 * Migration (move_pages, mbind, migrate_pages, NUMA balancing, demotion,
 * memory offlining, soft offlining, alloc_contig_range) keeps the tier of
 * the source folio, whoever asks: a mirrored folio goes to mirrored zones
 * only (__GFP_HIGHMEM cleared; no fallback: the folio stays where it is
 * if the target has no mirrored memory), a folio of ZONE_MOVABLE to
 * ZONE_MOVABLE only (__GFP_HIGHMEM and __GFP_MOVABLE set, also when the
 * caller asked for GFP_KERNEL, as alloc_contig_range() users may).  A
 * long-term pin still moves pages out of ZONE_MOVABLE: it allocates under
 * memalloc_pin_save(), which takes __GFP_MOVABLE away again.
 *
 * Return: the gfp mask to allocate with.
 */
static inline gfp_t mem_reliable_migrate_gfp(const struct folio *src, gfp_t gfp)
{
	if (!mem_reliable_status())
		return gfp;
	if (folio_zonenum(src) < ZONE_MOVABLE)
		return gfp & ~(__GFP_HIGHMEM | __GFP_RELIABLE);
	if (folio_zonenum(src) == ZONE_MOVABLE)
		return (gfp & ~__GFP_RELIABLE) | GFP_RELIABLE_STEERED;
	return gfp;
}

/**
 * mem_reliable_folio_fits_node() - may NUMA balancing move @folio to @nid?
 * @folio: a folio mpol_misplaced() finds on another node than it should be
 * @nid: the node it would migrate to
 *
 * NUMA balancing migrates a folio to one node only (__GFP_THISNODE), and
 * the copy keeps the folio's tier (mem_reliable_migrate_gfp()): a folio of
 * ZONE_MOVABLE cannot move to a node without ZONE_MOVABLE, nor a mirrored
 * one to a node of ZONE_MOVABLE only.  numa_migrate_check() then leaves
 * the folio where it is and reports the fault as a failed migration, so
 * that the task's scanning backs off as upstream's would, without the
 * folio being isolated, failing its allocation and put back each time.
 *
 * Return: false when node @nid has no memory of @folio's tier; true
 * otherwise.
 */
static inline bool mem_reliable_folio_fits_node(const struct folio *folio,
						int nid)
{
	gfp_t gfp = mem_reliable_migrate_gfp(folio, GFP_HIGHUSER_MOVABLE);
	enum zone_type zid, high = gfp_zone(gfp);
	struct zone *zones;

	if (!mem_reliable_status() || folio_zonenum(folio) > ZONE_MOVABLE)
		return true;
	zones = NODE_DATA(nid)->node_zones;
	if (mem_reliable_movable_only(high))
		return populated_zone(&zones[ZONE_MOVABLE]);
	for (zid = 0; zid <= high; zid++)
		if (populated_zone(&zones[zid]))
			return true;
	return false;
}

/**
 * mem_reliable_tier_cmp() - order two pages by tier, for KSM's trees
 * @page: a page
 * @other: the page it is compared with
 *
 * KSM orders its stable and unstable trees by this first and by content
 * second, so that pages of different tiers never compare equal and are
 * never merged into one KSM page, which would take one process's page out
 * of (or into) mirrored memory: each tier has its own KSM pages, as each
 * node has with merge_across_nodes=0.
 *
 * The order holds for as long as the trees exist: it goes on after
 * reliable_debug switched tiering off.
 *
 * Return: 0 when both pages are in the same tier (or tiering never came
 * up), a negative value when @page is mirrored and @other is not, positive
 * when it is the other way round.
 */
static inline int mem_reliable_tier_cmp(const struct page *page,
					const struct page *other)
{
	if (!static_branch_unlikely(&mem_reliable_counting))
		return 0;
	return (page_zonenum(other) < ZONE_MOVABLE) -
	       (page_zonenum(page) < ZONE_MOVABLE);
}

/**
 * mem_reliable_new_mm() - mark the mm of an exec by init
 * @mm: the mm just allocated for the new program
 *
 * Called by exec right after it allocated the new mm, before it puts the
 * arguments on the new stack: init's own pages are mirrored, but its
 * children are ordinary, so init's mm gets MMF_RELIABLE_INIT, which fork
 * does not inherit.
 */
void mem_reliable_new_mm(struct mm_struct *mm);

/**
 * mem_reliable_exec_mm() - carry the reliable flag into the mm of an exec
 * @old_mm: the mm being replaced, NULL for a kernel thread's first exec
 * @mm: the new mm
 *
 * Called by exec_mmap() with exec_update_lock held for writing, which a
 * writer of /proc/<pid>/reliable holds for reading: the new mm copied the
 * flag when it was allocated, and this copies it again, so that a write
 * between the two is never lost.
 */
void mem_reliable_exec_mm(struct mm_struct *old_mm, struct mm_struct *mm);

/**
 * mem_reliable_rmap() - count mirrored pages mapped by a process
 * @vma: the mapping
 * @folio: the folio mapped or unmapped
 * @nr: pages mapped (positive) or unmapped (negative)
 *
 * Called by the rmap functions for every mapping of a folio into a page
 * table and every removal; counts the pages of mirrored folios in the
 * MM_RELIABLE counter of the mm (Reliable: in /proc/<pid>/status).  The
 * count goes on while tiering came up at boot, also after it was
 * switched off, so that it always balances.
 *
 * This runs for every page a file fault maps and every page an unmap
 * removes, where the kernel's own rss counters are added once per batch
 * of pages.  So it is inlined, emits no rss_stat trace event, and adds
 * to the local CPU's share only (percpu_counter_add_local()): the only
 * reader, /proc/<pid>/status, and check_mm() take the exact sum.
 */
static __always_inline void mem_reliable_rmap(const struct vm_area_struct *vma,
					      const struct folio *folio, int nr)
{
	if (static_branch_unlikely(&mem_reliable_counting) &&
	    folio_zonenum(folio) < ZONE_MOVABLE)
		percpu_counter_add_local(&vma->vm_mm->rss_stat[MM_RELIABLE], nr);
}

/**
 * mem_reliable_shmem_account() - count tmpfs/shmem pages in mirrored memory
 * @folio: the shmem folio added to or removed from a mapping
 * @nr: pages added (positive) or removed (negative)
 *
 * Called wherever NR_SHMEM changes for @folio.
 */
static inline void mem_reliable_shmem_account(const struct folio *folio, long nr)
{
	if (static_branch_unlikely(&mem_reliable_counting) &&
	    folio_zonenum(folio) < ZONE_MOVABLE)
		__mem_reliable_shmem_account(nr);
}

/**
 * mem_reliable_shmem_move() - a shmem folio's pages change zone
 * @old: the zone they leave
 * @new: the zone they enter
 * @nr: how many pages
 *
 * For migration, where NR_SHMEM moves between the zones' nodes.
 */
static inline void mem_reliable_shmem_move(const struct zone *old,
					   const struct zone *new, long nr)
{
	bool was = zone_idx(old) < ZONE_MOVABLE, is = zone_idx(new) < ZONE_MOVABLE;

	if (static_branch_unlikely(&mem_reliable_counting) && was != is)
		__mem_reliable_shmem_account(is ? nr : -nr);
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
 * mem_reliable_parse_debug() - parse the value of reliable_debug=
 * @s: the value: letters F, S and P separated by commas
 * @ctrl: the control bits, updated
 *
 * Each letter clears its bit in @ctrl (F: fallback, S: tmpfs, P: page
 * cache); an unknown word is warned about and ignored.
 *
 * Return: the number of unknown words.
 */
int mem_reliable_parse_debug(const char *s, unsigned long *ctrl);

/**
 * mem_reliable_ctrl_update() - check a write of the reliable_debug sysctl
 * @old: the bits in force
 * @val: the value written
 * @new: the bits to put in force, set on success
 *
 * Pure.  Bits can only be switched off: a value above 15, below 0, or
 * with a bit set that is clear in @old is refused.  A value with bit 0
 * clear switches every feature off.
 *
 * Return: 0, or -EINVAL with @new untouched.
 */
int mem_reliable_ctrl_update(unsigned long old, long val, unsigned long *new);

/**
 * mem_reliable_task_reliable() - read /proc/<pid>/reliable
 * @task: the task
 *
 * Return: 1 or 0 for a reliable or an ordinary process, -EACCES while
 * tiering is off, -EINVAL for init and kernel threads, -ESRCH for a
 * process that has exited (a thread that exited before the others, the
 * main thread say, still reads its process's value).
 */
int mem_reliable_task_reliable(struct task_struct *task);

/**
 * mem_reliable_set_task() - write /proc/<pid>/reliable
 * @task: the task whose process (address space) to change
 * @reliable: make it reliable or ordinary
 * @privileged: the writer has CAP_SYS_RESOURCE, which making a process
 *	reliable needs (the caller checks it with the opener's credentials)
 *
 * The flag belongs to the address space: every thread of the process (and
 * a vfork() or CLONE_VM child while it shares it) sees the same value.
 * Only pages allocated afterwards are placed by the new value.
 *
 * Return: 0, -EACCES while tiering is off, -EINVAL for init and kernel
 * threads, -EPERM when setting 1 without CAP_SYS_RESOURCE, -ESRCH for a
 * task that has exited, -EINTR when a fatal signal interrupted the wait
 * for a concurrent exec.
 */
int mem_reliable_set_task(struct task_struct *task, bool reliable,
			  bool privileged);

/**
 * mem_reliable_oom_eligible() - may the OOM killer pick @task for the
 *	task_reliable_limit?
 * @task: a process the OOM killer looks at, with constraint
 *	CONSTRAINT_RELIABLE
 *
 * Return: true when @task belongs to a reliable process.
 */
bool mem_reliable_oom_eligible(struct task_struct *task);

/**
 * mem_reliable_oom_pages() - the memory a CONSTRAINT_RELIABLE OOM is about
 *
 * For oom_badness(), which scales oom_score_adj by it.
 *
 * Return: task_reliable_limit in pages, at most ReliableTotal, at least 1.
 */
unsigned long mem_reliable_oom_pages(void);

/**
 * reliable_report_oom() - mirrored memory and its limits in an OOM report
 *
 * Prints nothing while tiering is off.
 */
void reliable_report_oom(void);

/**
 * reliable_report_meminfo() - add the Reliable* lines to /proc/meminfo
 * @m: the seq_file of /proc/meminfo
 *
 * Prints nothing while tiering is off.
 */
void reliable_report_meminfo(struct seq_file *m);

/**
 * reliable_report_usage() - add the Reliable: line to /proc/<pid>/status
 * @m: the seq_file of the status file
 * @mm: the process's address space
 *
 * Prints nothing while tiering is off.
 */
void reliable_report_usage(struct seq_file *m, struct mm_struct *mm);

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

static inline bool mem_reliable_movable_only(enum zone_type highest_zoneidx)
{
	return false;
}

static inline int mem_reliable_reclaim_min_idx(enum zone_type reclaim_idx)
{
	return 0;
}

static inline struct zonelist *mem_reliable_zonelist(int nid, gfp_t gfp)
{
	return NULL;
}

static inline void mem_reliable_build_zonelists(pg_data_t *pgdat)
{
}

struct alloc_context;

static inline bool mem_reliable_fallback(gfp_t *gfp, unsigned int order,
					 enum zone_type *highest_zoneidx)
{
	return false;
}

static inline bool mem_reliable_fallback_alloc(gfp_t *gfp, unsigned int order,
					       struct alloc_context *ac)
{
	return false;
}

static inline bool mem_reliable_node_reclaim_futile(struct pglist_data *pgdat,
						    gfp_t gfp)
{
	return false;
}

static inline bool mem_reliable_nodes_usable(const nodemask_t *nodes, gfp_t gfp)
{
	return true;
}

static inline bool mem_reliable_node_usable(int nid, gfp_t gfp)
{
	return true;
}

static inline int mem_reliable_short(gfp_t *gfp, unsigned int order,
				     struct alloc_context *ac)
{
	return 0;
}

static inline gfp_t mem_reliable_task_gfp(const struct mm_struct *mm, gfp_t gfp)
{
	return gfp;
}

static inline gfp_t mem_reliable_pagecache_gfp(gfp_t gfp)
{
	return gfp;
}

static inline gfp_t mem_reliable_shmem_gfp(gfp_t gfp)
{
	return gfp;
}

static inline int mem_reliable_task_limit(const struct mm_struct *mm,
					  gfp_t *gfp, unsigned int order)
{
	return 0;
}

static inline gfp_t mem_reliable_pagecache_alloc_gfp(gfp_t gfp,
						     unsigned int order)
{
	return gfp;
}

static inline int mem_reliable_shmem_limit(gfp_t *gfp, unsigned int order)
{
	return 0;
}

static inline bool mem_reliable_pagecache_scarce(void)
{
	return false;
}

static inline gfp_t mem_reliable_shmem_swapin_gfp(gfp_t gfp)
{
	return gfp;
}

static inline gfp_t mem_reliable_collapse_gfp(gfp_t gfp,
					      const struct mm_struct *mm,
					      struct address_space *mapping)
{
	return gfp;
}

static inline gfp_t mem_reliable_migrate_gfp(const struct folio *src, gfp_t gfp)
{
	return gfp;
}

static inline bool mem_reliable_folio_fits_node(const struct folio *folio,
						int nid)
{
	return true;
}

struct mempolicy;
static inline long mem_reliable_mbind_keep(struct list_head *pagelist,
					   const struct mempolicy *pol)
{
	return 0;
}

static inline int mem_reliable_tier_cmp(const struct page *page,
					const struct page *other)
{
	return 0;
}

static inline void mem_reliable_new_mm(struct mm_struct *mm)
{
}

static inline void mem_reliable_exec_mm(struct mm_struct *old_mm,
					struct mm_struct *mm)
{
}

static inline void mem_reliable_rmap(const struct vm_area_struct *vma,
				     const struct folio *folio, int nr)
{
}

static inline void mem_reliable_shmem_account(const struct folio *folio, long nr)
{
}

static inline void mem_reliable_shmem_move(const struct zone *old,
					   const struct zone *new, long nr)
{
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

static inline bool mem_reliable_oom_eligible(struct task_struct *task)
{
	return true;
}

static inline unsigned long mem_reliable_oom_pages(void)
{
	return 1;
}

static inline void reliable_report_oom(void)
{
}

static inline void reliable_report_meminfo(struct seq_file *m)
{
}

static inline void reliable_report_usage(struct seq_file *m,
					 struct mm_struct *mm)
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
