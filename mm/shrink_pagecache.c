// SPDX-License-Identifier: GPL-2.0
/*
 * The page-cache limit: /proc/sys/vm/cache_limit_mbytes and its knobs.
 *
 * The page cache counted is the file LRU (Active(file) + Inactive(file)
 * in /proc/meminfo): what reclaim can take; tmpfs and ramfs pages are
 * not in it.  Three things hold it at cache_limit_mbytes:
 *
 * - a page-cache addition that finds the page cache at the limit reclaims
 *   a batch of 32 * cache_reclaim_weight pages first, where its memory
 *   cgroup charge would reclaim too (filemap_add_folio());
 * - writing cache_limit_mbytes reclaims down to the new limit, unless the
 *   writer gets a fatal signal;
 * - every cache_reclaim_s seconds, a work item on each online CPU
 *   reclaims up to a batch of what is over the limit: what the additions
 *   could not reclaim (dirty pages, allocations that may not sleep).
 *
 * Each CPU adds up to a batch of pages on credit before it looks at the
 * page cache again; the look reads the zones' counters, and only within
 * their drift of the limit the exact sum.  With memory reliability
 * tiering, the reclaim takes mirrored page cache first while mirrored
 * memory is scarce.  cache_reclaim_enable switches it all off and on.
 */
#define pr_fmt(fmt) "shrink_pagecache: " fmt

#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/debugfs.h>
#include <linux/init.h>
#include <linux/mem_reliable.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/mutex.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/sysctl.h>
#include <linux/vmstat.h>
#include <linux/workqueue.h>

#include "internal.h"
#include "shrink_pagecache.h"

/* What a writer of cache_limit_mbytes reclaims between two looks. */
#define SPC_WRITE_PAGES		(SZ_4M >> PAGE_SHIFT)
/* How long additions leave reclaim alone after it found too little. */
#define SPC_FUTILE_JIFFIES	(HZ / 10)

DEFINE_STATIC_KEY_FALSE(shrink_pagecache_limited);
DEFINE_PER_CPU(long, shrink_pagecache_credit);

/**
 * struct spc_cpu - the periodic reclaim of one CPU, and what it did
 * @work: the round, queued on @cpu while the CPU is online
 * @cpu: the CPU it belongs to
 * @rounds: rounds that ran on this CPU
 * @round_pages: pages they reclaimed
 * @charge_pages: pages reclaimed by page-cache additions on this CPU
 */
struct spc_cpu {
	struct delayed_work work;
	unsigned int cpu;
	unsigned long rounds;
	unsigned long round_pages;
	unsigned long charge_pages;
};

static DEFINE_PER_CPU(struct spc_cpu, spc_cpus);
static struct workqueue_struct *spc_wq;

static int cache_reclaim_enable = 1;
static unsigned long cache_limit_mbytes;
static int cache_reclaim_s;
static int cache_reclaim_weight = 1;
/* cache_limit_mbytes in pages, 0 for no limit. */
static unsigned long spc_limit_pages;
/* Until when additions over the limit do not try to reclaim again. */
static unsigned long spc_futile_until;
/* The period the rounds are queued with, 0 for none.  Under spc_mutex. */
static unsigned int spc_queued_period;
static DEFINE_MUTEX(spc_mutex);

static const enum zone_stat_item spc_items[] = {
	NR_ZONE_INACTIVE_FILE, NR_ZONE_ACTIVE_FILE,
};

/*
 * The file LRU pages of all zones: the global counters and their *@drift
 * (each online CPU holds up to S8_MAX of each counter of each zone that
 * it has not folded in), or the exact sum when @drift is NULL.
 */
static unsigned long spc_file_pages(unsigned long *drift)
{
	unsigned long pages = 0, zones = 0;
	struct zone *zone;
	int i;

	for_each_populated_zone(zone) {
		zones++;
		if (drift)
			continue;
		for (i = 0; i < ARRAY_SIZE(spc_items); i++)
			pages += zone_page_state_snapshot(zone, spc_items[i]);
	}
	if (!drift)
		return pages;
	*drift = IS_ENABLED(CONFIG_SMP) ?
		 zones * ARRAY_SIZE(spc_items) * S8_MAX * num_online_cpus() : 0;
	for (i = 0; i < ARRAY_SIZE(spc_items); i++)
		pages += global_zone_page_state(spc_items[i]);
	return pages;
}

/* The limit in pages while it is enforced, else 0. */
static unsigned long spc_limit(void)
{
	return READ_ONCE(cache_reclaim_enable) ? READ_ONCE(spc_limit_pages) : 0;
}

/* The period of the rounds in seconds while they run, else 0. */
static unsigned int spc_period(void)
{
	return READ_ONCE(cache_reclaim_enable) ? READ_ONCE(cache_reclaim_s) : 0;
}

static unsigned long spc_batch_now(void)
{
	return spc_batch(READ_ONCE(cache_reclaim_weight));
}

/*
 * Reclaim @nr pages of page cache: mirrored page cache first while
 * mirrored memory is scarce, then from every zone.
 */
static unsigned long spc_reclaim(unsigned long nr, gfp_t gfp)
{
	unsigned long got = 0;

	if (mem_reliable_pagecache_scarce())
		got = reclaim_file_pages(nr, ZONE_MOVABLE - 1, gfp);
	if (got < nr)
		got += reclaim_file_pages(nr - got, MAX_NR_ZONES - 1, gfp);
	return got;
}

void __shrink_pagecache_charge(unsigned long nr, gfp_t gfp)
{
	unsigned long limit = spc_limit(), batch, count, drift, got, until;
	enum spc_verdict v;

	this_cpu_write(shrink_pagecache_credit, 0);
	if (!limit)
		return;
	batch = spc_batch_now();
	count = spc_file_pages(&drift);
	v = spc_cmp(count, drift, nr, limit);
	if (v == SPC_NEAR) {
		drift = 0;
		count = spc_file_pages(NULL);
		v = spc_cmp(count, 0, nr, limit);
	}
	if (v == SPC_UNDER) {
		this_cpu_write(shrink_pagecache_credit,
			       spc_credit(count, drift, nr, limit, batch));
		return;
	}
	/* A range, so that a stale value is not in the future after a wrap. */
	until = READ_ONCE(spc_futile_until);
	if (time_in_range(jiffies, until - SPC_FUTILE_JIFFIES, until)) {
		this_cpu_write(shrink_pagecache_credit, batch);
		return;
	}
	got = spc_reclaim(max(nr, batch), gfp);
	this_cpu_add(spc_cpus.charge_pages, got);
	/*
	 * Too little to take now (dirty or busy page cache, or a caller that
	 * may not reclaim): look again only after another batch, let no
	 * addition try again for SPC_FUTILE_JIFFIES, and leave the rest to
	 * the rounds.  Reclaim that scans in vain at every addition would
	 * cost far more than the page cache over the limit.
	 */
	if (got < nr) {
		this_cpu_write(shrink_pagecache_credit, batch);
		if (gfpflags_allow_blocking(gfp) && !(current->flags & PF_MEMALLOC))
			WRITE_ONCE(spc_futile_until, jiffies + SPC_FUTILE_JIFFIES);
	}
}

/* @period seconds, rounded to a second as seen from @cpu. */
static unsigned long spc_delay(unsigned int period, unsigned int cpu)
{
	return __round_jiffies_relative((unsigned long)period * HZ, cpu);
}

static void spc_round(struct work_struct *work)
{
	struct spc_cpu *c = container_of(to_delayed_work(work),
					 struct spc_cpu, work);
	unsigned int period = spc_period();
	unsigned long nr, got = 0;

	if (!period)
		return;
	if (spc_limit()) {
		nr = spc_round_pages(spc_file_pages(NULL), spc_limit(),
				     spc_batch_now(), num_online_cpus());
		if (nr)
			got = spc_reclaim(nr, GFP_KERNEL);
	}
	/* Counted where the round ran, which must be its own CPU. */
	this_cpu_inc(spc_cpus.rounds);
	this_cpu_add(spc_cpus.round_pages, got);
	queue_delayed_work_on(c->cpu, spc_wq, &c->work,
			      spc_delay(period, c->cpu));
}

/* Queue, move or stop the round of online @cpu.  CPU hotplug excluded. */
static void spc_queue(unsigned int cpu, unsigned int period)
{
	struct spc_cpu *c = per_cpu_ptr(&spc_cpus, cpu);

	if (period)
		mod_delayed_work_on(cpu, spc_wq, &c->work,
				    spc_delay(period, cpu));
	else
		cancel_delayed_work_sync(&c->work);
}

static int spc_cpu_online(unsigned int cpu)
{
	unsigned int period = spc_period();

	if (period)
		queue_delayed_work_on(cpu, spc_wq,
				      &per_cpu_ptr(&spc_cpus, cpu)->work,
				      spc_delay(period, cpu));
	return 0;
}

static int spc_cpu_offline(unsigned int cpu)
{
	cancel_delayed_work_sync(&per_cpu_ptr(&spc_cpus, cpu)->work);
	return 0;
}

/* Put the values of the sysctls in force.  Under spc_mutex. */
static void spc_apply(void)
{
	unsigned int period = spc_period();
	int cpu;

	for_each_possible_cpu(cpu)
		WRITE_ONCE(per_cpu(shrink_pagecache_credit, cpu), 0);
	if (spc_limit())
		static_branch_enable(&shrink_pagecache_limited);
	else
		static_branch_disable(&shrink_pagecache_limited);
	if (period == spc_queued_period)
		return;
	cpus_read_lock();
	for_each_online_cpu(cpu)
		spc_queue(cpu, period);
	spc_queued_period = period;
	cpus_read_unlock();
}

/*
 * Reclaim down to the limit for the writer of cache_limit_mbytes, until
 * it gets a fatal signal or reclaim makes no progress; the additions and
 * the rounds go on from there.
 */
static void spc_reclaim_to_limit(void)
{
	unsigned long limit, count;

	while ((limit = spc_limit()) && !fatal_signal_pending(current)) {
		count = spc_file_pages(NULL);
		if (count <= limit)
			break;
		if (!spc_reclaim(min(count - limit, SPC_WRITE_PAGES), GFP_KERNEL))
			break;
		cond_resched();
	}
}

/* cache_reclaim_enable, cache_reclaim_s, cache_reclaim_weight. */
static int spc_int_handler(const struct ctl_table *table, int write,
			   void *buffer, size_t *lenp, loff_t *ppos)
{
	int ret;

	if (!write)
		return proc_dointvec_minmax(table, write, buffer, lenp, ppos);
	mutex_lock(&spc_mutex);
	ret = proc_dointvec_minmax(table, write, buffer, lenp, ppos);
	if (!ret)
		spc_apply();
	mutex_unlock(&spc_mutex);
	return ret;
}

/* cache_limit_mbytes: 0 (no limit) to MemTotal in MiB. */
static int spc_limit_handler(const struct ctl_table *table, int write,
			     void *buffer, size_t *lenp, loff_t *ppos)
{
	unsigned long val, max = spc_limit_max(totalram_pages());
	struct ctl_table t = *table;
	int ret;

	if (!write)
		return proc_doulongvec_minmax(table, write, buffer, lenp, ppos);
	t.data = &val;
	t.extra2 = &max;
	mutex_lock(&spc_mutex);
	/* An empty write, or one past the start, parses nothing: no change. */
	val = cache_limit_mbytes;
	ret = proc_doulongvec_minmax(&t, write, buffer, lenp, ppos);
	if (!ret) {
		WRITE_ONCE(cache_limit_mbytes, val);
		WRITE_ONCE(spc_limit_pages, val << (20 - PAGE_SHIFT));
		spc_apply();
	}
	mutex_unlock(&spc_mutex);
	if (!ret)
		spc_reclaim_to_limit();
	return ret;
}

static int spc_weight_max = SHRINK_PAGECACHE_WEIGHT_MAX;
static int spc_period_max = SHRINK_PAGECACHE_PERIOD_MAX;

static struct ctl_table spc_sysctls[] = {
	{
		.procname	= "cache_reclaim_enable",
		.data		= &cache_reclaim_enable,
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= spc_int_handler,
		.extra1		= SYSCTL_ZERO,
		.extra2		= SYSCTL_ONE,
	},
	{
		.procname	= "cache_limit_mbytes",
		.data		= &cache_limit_mbytes,
		.maxlen		= sizeof(unsigned long),
		.mode		= 0644,
		.proc_handler	= spc_limit_handler,
	},
	{
		.procname	= "cache_reclaim_s",
		.data		= &cache_reclaim_s,
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= spc_int_handler,
		.extra1		= SYSCTL_ZERO,
		.extra2		= &spc_period_max,
	},
	{
		.procname	= "cache_reclaim_weight",
		.data		= &cache_reclaim_weight,
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= spc_int_handler,
		.extra1		= SYSCTL_ONE,
		.extra2		= &spc_weight_max,
	},
};

#ifdef CONFIG_DEBUG_FS
static int spc_stats_show(struct seq_file *m, void *v)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct spc_cpu *c = per_cpu_ptr(&spc_cpus, cpu);

		seq_printf(m, "cpu%d %s rounds %lu round_pages %lu charge_pages %lu\n",
			   cpu, cpu_online(cpu) ? "online" : "offline",
			   READ_ONCE(c->rounds), READ_ONCE(c->round_pages),
			   READ_ONCE(c->charge_pages));
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(spc_stats);

static void __init spc_debugfs_init(void)
{
	debugfs_create_file("shrink_pagecache", 0400, NULL, NULL,
			    &spc_stats_fops);
}
#else
static inline void spc_debugfs_init(void)
{
}
#endif

static int __init shrink_pagecache_init(void)
{
	int cpu, ret;

	spc_wq = alloc_workqueue("shrink_pagecache", WQ_FREEZABLE, 0);
	if (!spc_wq)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		struct spc_cpu *c = per_cpu_ptr(&spc_cpus, cpu);

		c->cpu = cpu;
		INIT_DELAYED_WORK(&c->work, spc_round);
	}
	ret = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "mm/shrink_pagecache:online",
				spc_cpu_online, spc_cpu_offline);
	if (ret < 0) {
		pr_err("no CPU hotplug state (%d): no cache_limit_mbytes\n", ret);
		destroy_workqueue(spc_wq);
		return ret;
	}
	register_sysctl_init("vm", spc_sysctls);
	spc_debugfs_init();
	return 0;
}
late_initcall(shrink_pagecache_init);
