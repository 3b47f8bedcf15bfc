// SPDX-License-Identifier: GPL-2.0
/*
 * Memory reliability tiering core: the boot-time decision, the steering
 * state (reliable_debug), the reliable flag of processes, and the
 * accounting shown in /proc/meminfo and /proc/<pid>/status.
 *
 * kernelcore=reliable builds on kernelcore=mirror: the firmware (or, on
 * test machines, mirrored_mem=) marks mirrored ranges, mm_init puts the
 * non-mirrored memory above 4 GiB into ZONE_MOVABLE, and everything below
 * ZONE_MOVABLE is the mirrored tier.  Non-mirrored memory that mm_init
 * leaves below ZONE_MOVABLE (below 4 GiB, or before the rounded-up start
 * of ZONE_MOVABLE) is counted at boot and shown as ReliableUnmirrored.
 *
 * The page allocator keeps ordinary user pages to ZONE_MOVABLE through
 * zonelists of ZONE_MOVABLE zones only, built here next to the fallback
 * zonelists; see include/linux/mem_reliable.h for the steering rules.
 */
#define pr_fmt(fmt) "mem reliable: " fmt

#include <linux/crash_dump.h>
#include <linux/init.h>
#include <linux/jiffies.h>
#include <linux/memblock.h>
#include <linux/memory_hotplug.h>
#include <linux/mempolicy.h>
#include <linux/mem_reliable.h>
#include <linux/migrate.h>
#include <linux/mmzone.h>
#include <linux/mutex.h>
#include <linux/nodemask.h>
#include <linux/oom.h>
#include <linux/percpu.h>
#include <linux/percpu_counter.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>
#include <linux/shmem_fs.h>
#include <linux/string.h>
#include <linux/swap.h>
#include <linux/sysctl.h>
#include <linux/vmstat.h>

#include "internal.h"

/* Tiering is on: steering, the Reliable* lines, /proc/<pid>/reliable. */
DEFINE_STATIC_KEY_FALSE(mem_reliable);
/* For the inline mem_reliable_status() and page_reliable() in modules. */
EXPORT_SYMBOL_GPL(mem_reliable);

/*
 * Tiering came up at boot: the counters that must balance (mirrored pages
 * mapped by each mm, tmpfs pages in mirrored memory) keep counting after
 * reliable_debug switched tiering off.
 */
DEFINE_STATIC_KEY_FALSE(mem_reliable_counting);

/* The reliable_debug bits in force; only ever cleared. */
unsigned long mem_reliable_ctrl __read_mostly = MEM_RELIABLE_CTRL_MASK;

/*
 * tmpfs/shmem pages in mirrored memory (ReliableShmem), folded into the
 * global count a batch at a time; set up before any tmpfs page exists.
 */
static struct percpu_counter reliable_shmem_pages;
#define RELIABLE_SHMEM_BATCH	32

/*
 * The byte limits of /proc/sys/vm, and the same in pages for the checks
 * (MEM_RELIABLE_NO_LIMIT while a limit holds its default).
 */
static unsigned long task_limit_bytes = ULONG_MAX;
static unsigned long pagecache_limit_bytes = ULONG_MAX;
static unsigned long shmem_limit_bytes = LONG_MAX;
unsigned long mem_reliable_task_limit_pages __read_mostly = MEM_RELIABLE_NO_LIMIT;
unsigned long mem_reliable_pagecache_limit_pages __read_mostly = MEM_RELIABLE_NO_LIMIT;
unsigned long mem_reliable_shmem_limit_pages __read_mostly = MEM_RELIABLE_NO_LIMIT;

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
	if (boot_state != MEM_RELIABLE_ON)
		mem_reliable_ctrl = 0;
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
	static_branch_enable(&mem_reliable_counting);
	static_branch_enable(&mem_reliable);
	pr_info("init succeed, mirrored memory size %llu MiB\n",
		(unsigned long long)mirrored_size() >> 20);
	if (unmirrored_pages)
		pr_warn("%lu kB of non-mirrored memory outside ZONE_MOVABLE is in the mirrored tier (ReliableUnmirrored)\n",
			unmirrored_pages << (PAGE_SHIFT - 10));
}

/*
 * reliable_debug=[F][,S][,P]: switch fallback (F), tmpfs in mirrored memory
 * (S) or the page cache in mirrored memory (P) off from boot.
 */
int mem_reliable_parse_debug(const char *s, unsigned long *ctrl)
{
	int unknown = 0;

	while (s && *s) {
		const char *end = strchrnul(s, ',');
		size_t len = end - s;

		if (len == 1 && *s == 'F') {
			*ctrl &= ~MEM_RELIABLE_FALLBACK;
		} else if (len == 1 && *s == 'S') {
			*ctrl &= ~MEM_RELIABLE_SHMEM;
		} else if (len == 1 && *s == 'P') {
			*ctrl &= ~MEM_RELIABLE_PAGECACHE;
		} else {
			pr_warn("reliable_debug: unknown option '%.*s' ignored\n",
				(int)len, s);
			unknown++;
		}
		s = *end ? end + 1 : end;
	}
	return unknown;
}

static int __init setup_reliable_debug(char *s)
{
	if (!s || !*s) {
		pr_warn("reliable_debug: expects F, S and P separated by commas\n");
		return 0;
	}
	mem_reliable_parse_debug(s, &mem_reliable_ctrl);
	return 0;
}
early_param("reliable_debug", setup_reliable_debug);

int mem_reliable_ctrl_update(unsigned long old, long val, unsigned long *new)
{
	if (val < 0 || val > MEM_RELIABLE_CTRL_MASK)
		return -EINVAL;
	/* Features can be switched off, never on again. */
	if (val & ~old)
		return -EINVAL;
	*new = val & MEM_RELIABLE_ALL ? val : 0;
	return 0;
}

/* Page counts of the mirrored zones and of all zones, for meminfo. */
struct reliable_pages {
	unsigned long total, free, lru, file, all_file;
};

static unsigned long zone_file_pages(struct zone *zone)
{
	return zone_page_state_snapshot(zone, NR_ZONE_ACTIVE_FILE) +
	       zone_page_state_snapshot(zone, NR_ZONE_INACTIVE_FILE);
}

static void reliable_zone_pages(struct reliable_pages *p)
{
	struct zone *zone;

	memset(p, 0, sizeof(*p));
	for_each_populated_zone(zone) {
		unsigned long file = zone_file_pages(zone);

		p->all_file += file;
		if (zone_idx(zone) >= ZONE_MOVABLE)
			continue;
		p->total += zone_managed_pages(zone);
		p->free += zone_page_state_snapshot(zone, NR_FREE_PAGES);
		p->file += file;
		p->lru += file +
			  zone_page_state_snapshot(zone, NR_ZONE_ACTIVE_ANON) +
			  zone_page_state_snapshot(zone, NR_ZONE_INACTIVE_ANON) +
			  zone_page_state_snapshot(zone, NR_ZONE_UNEVICTABLE);
	}
}

static const char * const ctrl_names[] = {
	"memory reliability tiering", "fallback to non-mirrored memory",
	"tmpfs in mirrored memory", "page cache in mirrored memory",
};

static DEFINE_MUTEX(reliable_debug_mutex);

static int reliable_debug_handler(const struct ctl_table *table, int write,
				  void *buffer, size_t *lenp, loff_t *ppos)
{
	unsigned long old, new;
	int val, ret, bit;
	struct ctl_table t = {
		.data = &val,
		.maxlen = sizeof(val),
		.extra1 = SYSCTL_ZERO,
		.extra2 = table->extra2,
	};

	mutex_lock(&reliable_debug_mutex);
	old = READ_ONCE(mem_reliable_ctrl);
	val = old;
	ret = proc_dointvec_minmax(&t, write, buffer, lenp, ppos);
	if (ret || !write)
		goto out;
	ret = mem_reliable_ctrl_update(old, val, &new);
	if (ret || new == old)
		goto out;
	WRITE_ONCE(mem_reliable_ctrl, new);
	for (bit = 0; bit < ARRAY_SIZE(ctrl_names); bit++)
		if ((old & ~new) & BIT(bit))
			pr_info("reliable_debug: %s switched off\n",
				ctrl_names[bit]);
	if (!(new & MEM_RELIABLE_ALL))
		static_branch_disable(&mem_reliable);
out:
	mutex_unlock(&reliable_debug_mutex);
	return ret;
}

/* Per-CPU shortcuts of the checks: see struct mem_reliable_limit_cache. */
DEFINE_PER_CPU(struct mem_reliable_limit_cache, mem_reliable_task_limit_cache);
static DEFINE_PER_CPU(struct mem_reliable_limit_cache, pagecache_limit_cache);

static void limit_cache_clear(struct mem_reliable_limit_cache __percpu *cache)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		WRITE_ONCE(per_cpu_ptr(cache, cpu)->room, 0);
		WRITE_ONCE(per_cpu_ptr(cache, cpu)->over, 0);
	}
}

/*
 * A byte limit of /proc/sys/vm: its value, the same in pages, its default,
 * and whether it may not be set below ReliableTaskUsed.
 */
struct reliable_limit {
	unsigned long *bytes;
	unsigned long *pages;
	unsigned long none;
	bool above_used;
	struct mem_reliable_limit_cache __percpu *cache;
};

static const struct reliable_limit task_limit = {
	&task_limit_bytes, &mem_reliable_task_limit_pages, ULONG_MAX, true,
	&mem_reliable_task_limit_cache,
};

static const struct reliable_limit pagecache_limit = {
	&pagecache_limit_bytes, &mem_reliable_pagecache_limit_pages, ULONG_MAX,
	false, &pagecache_limit_cache,
};

static const struct reliable_limit shmem_limit = {
	&shmem_limit_bytes, &mem_reliable_shmem_limit_pages, LONG_MAX,
};

static DEFINE_MUTEX(reliable_limit_mutex);

/*
 * task_reliable_limit: ReliableTaskUsed to ReliableTotal in bytes;
 * reliable_pagecache_max_bytes, shmem_reliable_bytes_limit: 0 to
 * ReliableTotal; each also its default (no limit).  A refused value
 * leaves the old one in force.
 */
static int reliable_limit_handler(const struct ctl_table *table, int write,
				  void *buffer, size_t *lenp, loff_t *ppos)
{
	const struct reliable_limit *limit = table->data;
	struct reliable_pages p;
	unsigned long val;
	struct ctl_table t = *table;
	int ret;

	t.data = &val;
	t.maxlen = sizeof(val);
	mutex_lock(&reliable_limit_mutex);
	val = *limit->bytes;
	ret = proc_doulongvec_minmax(&t, write, buffer, lenp, ppos);
	if (ret || !write)
		goto out;
	reliable_zone_pages(&p);
	ret = mem_reliable_limit_valid(val, limit->above_used ? p.lru << PAGE_SHIFT : 0,
				       p.total << PAGE_SHIFT, limit->none);
	if (ret)
		goto out;
	WRITE_ONCE(*limit->bytes, val);
	WRITE_ONCE(*limit->pages, mem_reliable_limit_pages(val, limit->none));
	if (limit->cache)
		limit_cache_clear(limit->cache);
out:
	mutex_unlock(&reliable_limit_mutex);
	return ret;
}

static int ctrl_max = MEM_RELIABLE_CTRL_MASK;

static struct ctl_table reliable_sysctls[] = {
	{
		.procname	= "reliable_debug",
		.maxlen		= sizeof(int),
		.mode		= 0600,
		.proc_handler	= reliable_debug_handler,
		.extra2		= &ctrl_max,
	},
	{
		.procname	= "task_reliable_limit",
		.data		= (void *)&task_limit,
		.maxlen		= sizeof(unsigned long),
		.mode		= 0644,
		.proc_handler	= reliable_limit_handler,
	},
	{
		.procname	= "reliable_pagecache_max_bytes",
		.data		= (void *)&pagecache_limit,
		.maxlen		= sizeof(unsigned long),
		.mode		= 0644,
		.proc_handler	= reliable_limit_handler,
	},
	{
		.procname	= "shmem_reliable_bytes_limit",
		.data		= (void *)&shmem_limit,
		.maxlen		= sizeof(unsigned long),
		.mode		= 0644,
		.proc_handler	= reliable_limit_handler,
	},
};

static int __init mem_reliable_sysctl_init(void)
{
	if (!mem_reliable_status())
		return 0;
	register_sysctl_init("vm", reliable_sysctls);
	return 0;
}
late_initcall(mem_reliable_sysctl_init);

/* The ZONE_MOVABLE entries of @src, in order. */
static void build_movable_zonelist(struct zonelist *dst,
				   const struct zonelist *src)
{
	struct zoneref *to = dst->_zonerefs;
	const struct zoneref *z;

	for (z = src->_zonerefs; z->zone; z++)
		if (z->zone_idx == ZONE_MOVABLE)
			*to++ = *z;
	to->zone = NULL;
	to->zone_idx = 0;
}

void mem_reliable_build_zonelists(pg_data_t *pgdat)
{
	struct zonelist *zl = pgdat->node_zonelists;

	build_movable_zonelist(&zl[ZONELIST_MOVABLE], &zl[ZONELIST_FALLBACK]);
	build_movable_zonelist(&zl[ZONELIST_MOVABLE_THISNODE],
			       &zl[ZONELIST_NOFALLBACK]);
}

bool __mem_reliable_nodes_usable(const nodemask_t *nodes)
{
	int nid;

	for_each_node_mask(nid, *nodes)
		if (node_state(nid, N_MEMORY) &&
		    populated_zone(&NODE_DATA(nid)->node_zones[ZONE_MOVABLE]))
			return true;
	return false;
}

long __mem_reliable_mbind_keep(struct list_head *pagelist,
			       const struct mempolicy *pol)
{
	struct folio *folio, *next;
	LIST_HEAD(kept);
	long nr = 0;

	switch (pol->mode) {
	case MPOL_BIND:
	case MPOL_PREFERRED:
	case MPOL_PREFERRED_MANY:
	case MPOL_INTERLEAVE:
	case MPOL_WEIGHTED_INTERLEAVE:
		break;
	default:
		/*
		 * MPOL_LOCAL, or none: the local node.  On a node without
		 * ZONE_MOVABLE an ordinary folio is copied to the nearest
		 * one, as a page fault there would place it.
		 */
		return 0;
	}
	if (__mem_reliable_nodes_usable(&pol->nodes))
		return 0;
	list_for_each_entry_safe(folio, next, pagelist, lru) {
		gfp_t gfp = mem_reliable_migrate_gfp(folio, GFP_HIGHUSER_MOVABLE);

		if (folio_test_hugetlb(folio) ||
		    !mem_reliable_movable_only(gfp_zone(gfp)))
			continue;
		list_move_tail(&folio->lru, &kept);
		nr++;
	}
	putback_movable_pages(&kept);
	return nr;
}

bool __mem_reliable_fallback_alloc(gfp_t *gfp, unsigned int order,
				   struct alloc_context *ac)
{
	struct zone *first = zonelist_zone(ac->zonelist->_zonerefs);
	int nid = first ? zone_to_nid(first) : numa_node_id();

	if (!mem_reliable_fallback(gfp, order, &ac->highest_zoneidx))
		return false;
	ac->zonelist = mem_reliable_zonelist(nid, *gfp);
	/*
	 * A memory policy bound to nodes of mirrored memory only leaves no
	 * zone to fall back to: the page goes to another node's ZONE_MOVABLE,
	 * as alloc_pages_mpol() does for an ordinary user page.
	 */
	if (ac->nodemask && !__mem_reliable_nodes_usable(ac->nodemask))
		ac->nodemask = NULL;
	return true;
}

#ifdef CONFIG_NUMA
bool __mem_reliable_node_reclaim_futile(struct pglist_data *pgdat,
					enum zone_type reclaim_idx)
{
	unsigned long file = 0;
	int zid;

	for (zid = mem_reliable_reclaim_min_idx(reclaim_idx);
	     zid <= reclaim_idx; zid++) {
		struct zone *zone = &pgdat->node_zones[zid];

		file += zone_page_state(zone, NR_ZONE_ACTIVE_FILE) +
			zone_page_state(zone, NR_ZONE_INACTIVE_FILE);
	}
	return file <= pgdat->min_unmapped_pages;
}
#endif

int __mem_reliable_short(gfp_t *gfp, unsigned int order,
			 struct alloc_context *ac)
{
	bool swap = get_nr_swap_pages() > 0;
	unsigned long reclaimable = 0;
	struct zoneref *z;
	struct zone *zone;

	/*
	 * A user page that lost __GFP_MOVABLE (current_gfp_context() of a
	 * long-term pin) cannot fall back: it reclaims as usual.
	 */
	if (!(*gfp & __GFP_MOVABLE) ||
	    !(READ_ONCE(mem_reliable_ctrl) & MEM_RELIABLE_ALL))
		return 0;
	/*
	 * Not zone_reclaimable_pages(), which counts a zone's free pages when
	 * it has nothing to reclaim.
	 */
	for_each_zone_zonelist_nodemask(zone, z, ac->zonelist,
					ac->highest_zoneidx, ac->nodemask) {
		/* Free memory, only fragmented: compaction can help. */
		if (order && zone_watermark_ok(zone, 0, low_wmark_pages(zone),
					       ac->highest_zoneidx, 0))
			return 0;
		reclaimable += zone_page_state_snapshot(zone, NR_ZONE_INACTIVE_FILE) +
			       zone_page_state_snapshot(zone, NR_ZONE_ACTIVE_FILE);
		if (swap)
			reclaimable += zone_page_state_snapshot(zone, NR_ZONE_INACTIVE_ANON) +
				       zone_page_state_snapshot(zone, NR_ZONE_ACTIVE_ANON);
		if (reclaimable >= MEM_RELIABLE_RECLAIM_MIN_PAGES)
			return 0;
	}
	if (__mem_reliable_fallback_alloc(gfp, order, ac))
		return 1;
	/*
	 * With fallback off (F), an allocation that would have fallen back
	 * takes the usual way to reclaim and the OOM killer instead: failing
	 * it would leave a page fault retrying for ever.
	 */
	if ((*gfp & __GFP_NOFAIL) ||
	    mem_reliable_may_fallback(*gfp, order, READ_ONCE(mem_reliable_ctrl) |
				      MEM_RELIABLE_FALLBACK))
		return 0;
	return -1;
}

gfp_t mem_reliable_collapse_gfp(gfp_t gfp, const struct mm_struct *mm,
				struct address_space *mapping)
{
	if (!mapping)
		return mem_reliable_task_gfp(mm, gfp);
	if (shmem_mapping(mapping))
		return mem_reliable_shmem_gfp(gfp);
	return mem_reliable_pagecache_gfp(gfp);
}

void mem_reliable_new_mm(struct mm_struct *mm)
{
	if (static_branch_unlikely(&mem_reliable_counting) &&
	    is_global_init(current))
		set_bit(MMF_RELIABLE_INIT, &mm->flags);
}

void mem_reliable_exec_mm(struct mm_struct *old_mm, struct mm_struct *mm)
{
	if (!static_branch_unlikely(&mem_reliable_counting))
		return;
	if (old_mm && test_bit(MMF_RELIABLE, &old_mm->flags))
		set_bit(MMF_RELIABLE, &mm->flags);
	else
		clear_bit(MMF_RELIABLE, &mm->flags);
}

/*
 * 0, or why the file does not apply: tiering off, or init or a kernel
 * thread, which have no reliable flag of their own.
 */
static int task_may_have_flag(struct task_struct *task)
{
	if (!mem_reliable_status())
		return -EACCES;
	if (is_global_init(task) || (task->flags & PF_KTHREAD))
		return -EINVAL;
	return 0;
}

/* The mm of any thread of @task's process that still has one, pinned. */
static struct mm_struct *process_mm(struct task_struct *task)
{
	struct mm_struct *mm = NULL;
	struct task_struct *t;

	rcu_read_lock();
	for_each_thread(task, t) {
		mm = get_task_mm(t);
		if (mm)
			break;
	}
	rcu_read_unlock();
	return mm;
}

int mem_reliable_task_reliable(struct task_struct *task)
{
	struct mm_struct *mm;
	int ret;

	ret = task_may_have_flag(task);
	if (ret)
		return ret;
	mm = process_mm(task);
	if (!mm)
		return -ESRCH;
	ret = test_bit(MMF_RELIABLE, &mm->flags);
	mmput(mm);
	return ret;
}

int mem_reliable_set_task(struct task_struct *task, bool reliable,
			  bool privileged)
{
	struct mm_struct *mm;
	int ret;

	ret = task_may_have_flag(task);
	if (ret)
		return ret;
	if (reliable && !privileged)
		return -EPERM;
	/* Against exec_mmap(), which carries the flag into the new mm. */
	ret = down_read_killable(&task->signal->exec_update_lock);
	if (ret)
		return ret;
	mm = process_mm(task);
	if (!mm) {
		ret = -ESRCH;
	} else {
		if (reliable)
			set_bit(MMF_RELIABLE, &mm->flags);
		else
			clear_bit(MMF_RELIABLE, &mm->flags);
		mmput(mm);
	}
	up_read(&task->signal->exec_update_lock);
	return ret;
}

static int __init reliable_shmem_init(void)
{
	if (!static_branch_unlikely(&mem_reliable_counting))
		return 0;
	return percpu_counter_init(&reliable_shmem_pages, 0, GFP_KERNEL);
}

/* Before the initcalls that mount a tmpfs and fill it (rootfs, devtmpfs). */
early_initcall(reliable_shmem_init);

void __mem_reliable_shmem_account(long nr)
{
	if (WARN_ON_ONCE(!percpu_counter_initialized(&reliable_shmem_pages)))
		return;
	percpu_counter_add_batch(&reliable_shmem_pages, nr, RELIABLE_SHMEM_BATCH);
}

static unsigned long reliable_shmem_sum(void)
{
	if (!percpu_counter_initialized(&reliable_shmem_pages))
		return 0;
	return percpu_counter_sum_positive(&reliable_shmem_pages);
}

bool __mem_reliable_shmem_over(unsigned long nr)
{
	unsigned long limit = READ_ONCE(mem_reliable_shmem_limit_pages);
	enum mem_reliable_verdict v;

	v = mem_reliable_limit_cmp(percpu_counter_read_positive(&reliable_shmem_pages),
				   RELIABLE_SHMEM_BATCH * num_online_cpus(), nr, limit);
	if (v == MEM_RELIABLE_NEAR)
		v = mem_reliable_limit_cmp(reliable_shmem_sum(), 0, nr, limit);
	return v == MEM_RELIABLE_OVER;
}

/*
 * How far zone_page_state() of a zone may be from the exact count: each
 * online CPU holds up to its stat_threshold pages that it has not folded
 * in yet.  The thresholds change (kswapd lowers them under pressure) one
 * CPU at a time and diffs taken under an old one stay, so take the most
 * any threshold can be.
 */
static unsigned long zone_stat_drift(void)
{
	return IS_ENABLED(CONFIG_SMP) ? (unsigned long)S8_MAX * num_online_cpus() : 0;
}

static const enum zone_stat_item file_items[] = {
	NR_ZONE_INACTIVE_FILE, NR_ZONE_ACTIVE_FILE,
};

static const enum zone_stat_item lru_items[] = {
	NR_ZONE_INACTIVE_ANON, NR_ZONE_ACTIVE_ANON, NR_ZONE_INACTIVE_FILE,
	NR_ZONE_ACTIVE_FILE, NR_ZONE_UNEVICTABLE,
};

/*
 * The sum of the @nr counters @items over the mirrored zones: an estimate
 * from the zones' counters with its *@drift, or exact (@drift NULL).
 */
static unsigned long reliable_zone_sum(const enum zone_stat_item *items,
				       int nr, unsigned long *drift)
{
	unsigned long pages = 0;
	struct zone *zone;
	int i;

	if (drift)
		*drift = 0;
	for_each_populated_zone(zone) {
		if (zone_idx(zone) >= ZONE_MOVABLE)
			continue;
		for (i = 0; i < nr; i++)
			pages += drift ? zone_page_state(zone, items[i]) :
				 zone_page_state_snapshot(zone, items[i]);
		if (drift)
			*drift += nr * zone_stat_drift();
	}
	return pages;
}

/* Allocations a CPU sends to ZONE_MOVABLE before it looks again. */
#define LIMIT_OVER_SKIP		32

/* ReliableFileCache, or ReliableTaskUsed (@lru), against @limit pages. */
static bool zone_sum_over(struct mem_reliable_limit_cache __percpu *cache, bool lru,
			  unsigned long nr, unsigned long limit)
{
	const enum zone_stat_item *items = lru ? lru_items : file_items;
	int n = lru ? ARRAY_SIZE(lru_items) : ARRAY_SIZE(file_items);
	enum mem_reliable_verdict v;
	unsigned long drift, pages;

	if (this_cpu_sub_return(cache->room, nr) >= 0)
		return false;
	this_cpu_write(cache->room, 0);
	pages = reliable_zone_sum(items, n, &drift);
	v = mem_reliable_limit_cmp(pages, drift, nr, limit);
	if (v == MEM_RELIABLE_UNDER) {
		this_cpu_write(cache->room,
			       mem_reliable_limit_room(pages, drift, nr, limit,
						       num_online_cpus()));
		return false;
	}
	if (v == MEM_RELIABLE_NEAR) {
		/* The exact count has no drift: room from its margin. */
		pages = reliable_zone_sum(items, n, NULL);
		v = mem_reliable_limit_cmp(pages, 0, nr, limit);
		if (v == MEM_RELIABLE_UNDER)
			this_cpu_write(cache->room,
				       mem_reliable_limit_room(pages, 0, nr, limit,
							       num_online_cpus()));
	}
	return v == MEM_RELIABLE_OVER;
}

/* The limit was reached and the allocation goes to ZONE_MOVABLE. */
static void limit_skip_set(struct mem_reliable_limit_cache __percpu *cache)
{
	this_cpu_write(cache->over, LIMIT_OVER_SKIP);
}

static bool limit_skip(struct mem_reliable_limit_cache __percpu *cache)
{
	if (this_cpu_read(cache->over) <= 0)
		return false;
	this_cpu_dec(cache->over);
	return true;
}

bool __mem_reliable_pagecache_over(unsigned long nr)
{
	if (limit_skip(&pagecache_limit_cache))
		return true;
	if (!zone_sum_over(&pagecache_limit_cache, false, nr,
			   READ_ONCE(mem_reliable_pagecache_limit_pages)))
		return false;
	limit_skip_set(&pagecache_limit_cache);
	return true;
}

bool __mem_reliable_pagecache_scarce(void)
{
	unsigned long free = 0, high = 0;
	struct zone *zone;

	for_each_populated_zone(zone) {
		if (zone_idx(zone) >= ZONE_MOVABLE)
			continue;
		free += zone_page_state(zone, NR_FREE_PAGES);
		high += high_wmark_pages(zone);
	}
	return mem_reliable_scarce(free, high,
				   reliable_zone_sum(file_items, ARRAY_SIZE(file_items), NULL),
				   READ_ONCE(mem_reliable_pagecache_limit_pages));
}

/*
 * Until when the OOM killer is not asked again, and for how long next
 * time: it found no reliable process to kill.  Under oom_lock.
 */
static unsigned long task_limit_no_victim, task_limit_backoff = HZ;
#define TASK_LIMIT_BACKOFF_MAX	(64 * HZ)

/* Ask the OOM killer for a reliable process to kill. */
static void task_limit_oom(gfp_t gfp, unsigned int order)
{
	struct oom_control oc = {
		.gfp_mask = gfp,
		.order = order,
		.constraint = CONSTRAINT_RELIABLE,
	};

	if (time_before(jiffies, READ_ONCE(task_limit_no_victim)))
		return;
	/* Someone else is killing: give the victim time to go. */
	if (!mutex_trylock(&oom_lock)) {
		schedule_timeout_uninterruptible(1);
		return;
	}
	/*
	 * No reliable process can be killed (init, oom_score_adj -1000, or
	 * none maps mirrored memory): the allocations go on over the limit,
	 * and the OOM report comes again after 1, 2, 4... up to 64 seconds.
	 */
	if (out_of_memory(&oc)) {
		task_limit_backoff = HZ;
	} else {
		WRITE_ONCE(task_limit_no_victim, jiffies + task_limit_backoff);
		task_limit_backoff = min(2 * task_limit_backoff,
					 (unsigned long)TASK_LIMIT_BACKOFF_MAX);
	}
	mutex_unlock(&oom_lock);
}

/* The mask without the mirrored tier: ZONE_MOVABLE only. */
static int task_limit_fall_back(gfp_t *gfp)
{
	*gfp = (*gfp & ~__GFP_RELIABLE) | __GFP_HIGHMEM;
	return 0;
}

/* OOM kills before an allocation goes on. */
#define TASK_LIMIT_RETRIES	3
/*
 * Page cache reclaimed at a time for an allocation over the limit, and
 * in all for one that may fall back instead (the next ones go on).
 */
#define TASK_LIMIT_RECLAIM_BATCH	(SZ_4M >> PAGE_SHIFT)
#define TASK_LIMIT_RECLAIM_MAX		(SZ_32M >> PAGE_SHIFT)
/* Batches at most, for one that may not: 256 MiB. */
#define TASK_LIMIT_RECLAIM_PASSES	64

int __mem_reliable_task_limit(gfp_t *gfp, unsigned int order,
			      enum mem_reliable_over over)
{
	bool fallback = READ_ONCE(mem_reliable_ctrl) & MEM_RELIABLE_FALLBACK;
	unsigned long nr = 1UL << order, limit, used, got, reclaimed = 0;
	gfp_t ctx = current_gfp_context(*gfp);
	int pass;

	/* init is not refused a tmpfs page: SIGBUS would panic. */
	if (over == MEM_RELIABLE_OVER_REFUSE && is_global_init(current))
		over = MEM_RELIABLE_OVER_KILL;
	fallback |= over == MEM_RELIABLE_OVER_FALL_BACK;
	if (fallback && limit_skip(&mem_reliable_task_limit_cache))
		return task_limit_fall_back(gfp);
	/*
	 * Reclaim the excess, 4 MiB at a time, until under the limit or
	 * reclaim fails; an allocation that may fall back stops after 32 MiB,
	 * one that may not after 256 MiB.
	 */
	for (pass = 0; ; pass++) {
		limit = READ_ONCE(mem_reliable_task_limit_pages);
		if (!zone_sum_over(&mem_reliable_task_limit_cache, true, nr, limit))
			return 0;
		if (!(ctx & __GFP_DIRECT_RECLAIM) || fatal_signal_pending(current) ||
		    (fallback && reclaimed >= TASK_LIMIT_RECLAIM_MAX) ||
		    pass >= TASK_LIMIT_RECLAIM_PASSES)
			break;
		/* Under 4 MiB of mirrored page cache reclaim is not worth it. */
		if (reliable_zone_sum(file_items, ARRAY_SIZE(file_items), NULL) <
		    MEM_RELIABLE_RECLAIM_MIN_PAGES)
			break;
		used = reliable_zone_sum(lru_items, ARRAY_SIZE(lru_items), NULL);
		got = reclaim_file_pages(min(used + nr - min(limit, used + nr),
					     TASK_LIMIT_RECLAIM_BATCH),
					 gfp_zone(*gfp), *gfp);
		if (!got)
			break;
		reclaimed += got;
	}

	if (fallback) {
		limit_skip_set(&mem_reliable_task_limit_cache);
		return task_limit_fall_back(gfp);
	}
	if (over == MEM_RELIABLE_OVER_REFUSE)
		return -ENOSPC;
	/* A smaller or a blocking attempt follows, which may kill. */
	if (order || !(ctx & __GFP_DIRECT_RECLAIM))
		return -ENOMEM;
	/* Where the page allocator would not kill, neither does the limit. */
	if (!(ctx & __GFP_FS) || (current->flags & PF_MEMALLOC))
		return 0;
	for (pass = 0; pass < TASK_LIMIT_RETRIES; pass++) {
		if (fatal_signal_pending(current))
			break;
		task_limit_oom(ctx, order);
		if (!zone_sum_over(&mem_reliable_task_limit_cache, true, nr,
				   READ_ONCE(mem_reliable_task_limit_pages)))
			break;
	}
	/* Over the limit by this folio while the victim goes. */
	return 0;
}

bool mem_reliable_oom_eligible(struct task_struct *task)
{
	struct task_struct *t;
	bool ret = false;

	rcu_read_lock();
	for_each_thread(task, t) {
		task_lock(t);
		if (t->mm) {
			/* Killing it must free mirrored memory. */
			ret = mm_reliable(t->mm) &&
			      get_mm_counter_sum(t->mm, MM_RELIABLE) > 0;
			task_unlock(t);
			break;
		}
		task_unlock(t);
	}
	rcu_read_unlock();
	return ret;
}

unsigned long mem_reliable_oom_pages(void)
{
	struct reliable_pages p;

	reliable_zone_pages(&p);
	return min(READ_ONCE(mem_reliable_task_limit_pages), p.total) ?: 1;
}

static const char *limit_str(char *buf, size_t size,
			     const struct reliable_limit *limit)
{
	unsigned long bytes = READ_ONCE(*limit->bytes);

	if (bytes == limit->none)
		return "none";
	snprintf(buf, size, "%lukB", bytes >> 10);
	return buf;
}

void reliable_report_oom(void)
{
	char task[24], pc[24], sh[24];
	struct reliable_pages p;

	if (!mem_reliable_status())
		return;
	reliable_zone_pages(&p);
	pr_info("Mirrored memory: ReliableTotal %lukB ReliableUsed %lukB ReliableTaskUsed %lukB ReliableFileCache %lukB ReliableShmem %lukB\n",
		p.total << (PAGE_SHIFT - 10),
		(p.total - min(p.free, p.total)) << (PAGE_SHIFT - 10),
		p.lru << (PAGE_SHIFT - 10), p.file << (PAGE_SHIFT - 10),
		reliable_shmem_sum() << (PAGE_SHIFT - 10));
	pr_info("Mirrored memory limits: task_reliable_limit %s reliable_pagecache_max_bytes %s shmem_reliable_bytes_limit %s\n",
		limit_str(task, sizeof(task), &task_limit),
		limit_str(pc, sizeof(pc), &pagecache_limit),
		limit_str(sh, sizeof(sh), &shmem_limit));
}

static void show_val_kb(struct seq_file *m, const char *s, unsigned long num)
{
	seq_put_decimal_ull_width(m, s, num << (PAGE_SHIFT - 10), 8);
	seq_write(m, " kB\n", 4);
}

void reliable_report_meminfo(struct seq_file *m)
{
	struct reliable_pages p;

	if (!mem_reliable_status())
		return;

	reliable_zone_pages(&p);
	show_val_kb(m, "ReliableTotal:  ", p.total);
	show_val_kb(m, "ReliableUsed:   ", p.total - min(p.free, p.total));
	show_val_kb(m, "ReliableTaskUsed: ", p.lru);
	show_val_kb(m, "ReliableBuddyMem: ", p.free);
	show_val_kb(m, "ReliableShmem:  ", reliable_shmem_sum());
	show_val_kb(m, "FileCache:      ", p.all_file);
	show_val_kb(m, "ReliableFileCache: ", p.file);
	show_val_kb(m, "ReliableUnmirrored: ", unmirrored_pages);
}

void reliable_report_usage(struct seq_file *m, struct mm_struct *mm)
{
	if (!mem_reliable_status())
		return;
	seq_put_decimal_ull_width(m, "Reliable:\t",
				  get_mm_counter_sum(mm, MM_RELIABLE) <<
				  (PAGE_SHIFT - 10), 8);
	seq_puts(m, " kB\n");
}
