// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the memory reliability tiering core.
 *
 * mem_reliable: the boot-time decision as a pure function.
 * mem_reliable_init: at boot, before the memblock tables are freed,
 * page_reliable() against the firmware's mirror flags of every memblock
 * region, and mem_reliable_status() against the command line and the
 * memory map.  The expectations are derived from memblock and the command
 * line, never from the state the implementation computed.
 */
#include <kunit/test.h>
#include <linux/crash_dump.h>
#include <linux/init.h>
#include <linux/memblock.h>
#include <linux/memory_hotplug.h>
#include <linux/mem_reliable.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/percpu_counter.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "../internal.h"

struct decide_case {
	const char *name;
	struct mem_reliable_facts facts;
	enum mem_reliable_state want;
};

#define ALL_PRESENT	.requested = true, .has_mirror = true, .has_movable = true

static const struct decide_case decide_cases[] = {
	{ "not requested", { .has_mirror = true, .has_movable = true },
	  MEM_RELIABLE_NOT_REQUESTED },
	{ "mirror first", { .conflict = true, .has_mirror = true,
			    .has_movable = true }, MEM_RELIABLE_CONFLICT },
	{ "all present", { ALL_PRESENT }, MEM_RELIABLE_ON },
	{ "reliable first", { ALL_PRESENT, .conflict = true },
	  MEM_RELIABLE_ON },
	{ "no mirror", { .requested = true, .has_movable = true },
	  MEM_RELIABLE_NO_MIRROR },
	{ "no mirror, no movable", { .requested = true },
	  MEM_RELIABLE_NO_MIRROR },
	{ "only mirror", { .requested = true, .has_mirror = true },
	  MEM_RELIABLE_ONLY_MIRROR },
	{ "kdump", { ALL_PRESENT, .kdump = true }, MEM_RELIABLE_KDUMP },
	{ "kdump, no mirror", { .requested = true, .kdump = true },
	  MEM_RELIABLE_KDUMP },
	{ "movable_node", { ALL_PRESENT, .movable_node = true },
	  MEM_RELIABLE_MOVABLE_NODE },
	/* movable_node leaves ZONE_MOVABLE empty without hotplug memory. */
	{ "movable_node, no movable", { .requested = true, .has_mirror = true,
					.movable_node = true },
	  MEM_RELIABLE_MOVABLE_NODE },
	{ "movable_node, no mirror", { .requested = true, .has_movable = true,
				       .movable_node = true },
	  MEM_RELIABLE_MOVABLE_NODE },
	{ "movable_node, kdump", { ALL_PRESENT, .movable_node = true,
				   .kdump = true }, MEM_RELIABLE_KDUMP },
	{ "movable_node, not requested", { .has_mirror = true,
					   .has_movable = true,
					   .movable_node = true },
	  MEM_RELIABLE_NOT_REQUESTED },
};

static void decide_case_desc(const struct decide_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(decide, decide_cases, decide_case_desc);

static void mem_reliable_test_decide(struct kunit *test)
{
	const struct decide_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, mem_reliable_decide(&c->facts), c->want);
}

static void mem_reliable_test_null_page(struct kunit *test)
{
	KUNIT_EXPECT_FALSE(test, page_reliable(NULL));
}

#define ALL	MEM_RELIABLE_CTRL_MASK
#define NO_F	(ALL & ~MEM_RELIABLE_FALLBACK)
#define NO_S	(ALL & ~MEM_RELIABLE_SHMEM)
#define NO_P	(ALL & ~MEM_RELIABLE_PAGECACHE)
#define OFF	(ALL & ~MEM_RELIABLE_ALL)
#define TASK	MEM_RELIABLE_KIND_TASK
#define CACHE	MEM_RELIABLE_KIND_PAGECACHE
#define SHMEM	MEM_RELIABLE_KIND_SHMEM

/* Any zone from the lowest one up. */
#define LOW	((enum zone_type)0)

/*
 * One allocation: the gfp mask and kind the caller passes, whether the
 * owning process is reliable, the reliable_debug bits and the order; and
 * what the contract wants: the zones of the first attempt [lowest,
 * highest] and whether it may then fall back to ZONE_MOVABLE.
 */
struct steer_case {
	const char *name;
	gfp_t gfp;
	enum mem_reliable_kind kind;
	bool task_reliable;
	unsigned long ctrl;
	unsigned int order;
	enum zone_type lowest, highest;
	bool fallback;
};

#define NOWAIT_MOVABLE	(GFP_NOWAIT | __GFP_HIGHMEM | __GFP_MOVABLE)

static const struct steer_case steer_cases[] = {
	/* Kernel allocations are never steered: mirrored zones. */
	{ "GFP_KERNEL", GFP_KERNEL, TASK, false, ALL, 0,
	  LOW, ZONE_NORMAL, false },
	{ "GFP_KERNEL, reliable task", GFP_KERNEL, TASK, true, ALL, 0,
	  LOW, ZONE_NORMAL, false },
	{ "GFP_HIGHUSER, not movable", GFP_HIGHUSER, TASK, false, ALL, 0,
	  LOW, ZONE_NORMAL, false },
	{ "GFP_USER | __GFP_MOVABLE", GFP_USER | __GFP_MOVABLE, TASK, false,
	  ALL, 0, LOW, ZONE_NORMAL, false },
	{ "GFP_USER | __GFP_MOVABLE, page cache", GFP_USER | __GFP_MOVABLE,
	  CACHE, false, ALL, 0, LOW, ZONE_NORMAL, false },
	/* Ordinary user pages: ZONE_MOVABLE only, never mirrored. */
	{ "ordinary task", GFP_HIGHUSER_MOVABLE, TASK, false, ALL, 0,
	  ZONE_MOVABLE, ZONE_MOVABLE, false },
	{ "ordinary task, __GFP_THISNODE",
	  GFP_HIGHUSER_MOVABLE | __GFP_THISNODE, TASK, false, ALL, 0,
	  ZONE_MOVABLE, ZONE_MOVABLE, false },
	{ "ordinary task, no fallback", GFP_HIGHUSER_MOVABLE, TASK, false,
	  NO_F, 0, ZONE_MOVABLE, ZONE_MOVABLE, false },
	{ "ordinary task, THP", GFP_TRANSHUGE, TASK, false, ALL,
	  HPAGE_PMD_ORDER, ZONE_MOVABLE, ZONE_MOVABLE, false },
	/* Reliable tasks: mirrored, then ZONE_MOVABLE unless F. */
	{ "reliable task", GFP_HIGHUSER_MOVABLE, TASK, true, ALL, 0,
	  LOW, ZONE_NORMAL, true },
	{ "reliable task, F", GFP_HIGHUSER_MOVABLE, TASK, true, NO_F, 0,
	  LOW, ZONE_NORMAL, false },
	{ "reliable task, S and P off", GFP_HIGHUSER_MOVABLE, TASK, true,
	  NO_S & NO_P, 0, LOW, ZONE_NORMAL, true },
	{ "reliable task, non-blocking", NOWAIT_MOVABLE, TASK, true, ALL, 0,
	  LOW, ZONE_NORMAL, false },
	{ "reliable task, order 3", GFP_HIGHUSER_MOVABLE, TASK, true, ALL,
	  PAGE_ALLOC_COSTLY_ORDER, LOW, ZONE_NORMAL, true },
	{ "reliable task, order 2, __GFP_NORETRY",
	  GFP_HIGHUSER_MOVABLE | __GFP_NORETRY, TASK, true, ALL, 2,
	  LOW, ZONE_NORMAL, false },
	{ "reliable task, order 4", GFP_HIGHUSER_MOVABLE, TASK, true, ALL,
	  PAGE_ALLOC_COSTLY_ORDER + 1, LOW, ZONE_NORMAL, false },
	{ "reliable task, THP", GFP_TRANSHUGE, TASK, true, ALL,
	  HPAGE_PMD_ORDER, LOW, ZONE_NORMAL, false },
	/* Page cache: mirrored unless P, whoever reads. */
	{ "page cache", GFP_HIGHUSER_MOVABLE, CACHE, false, ALL, 0,
	  LOW, ZONE_NORMAL, true },
	{ "page cache, readahead", GFP_HIGHUSER_MOVABLE | __GFP_NORETRY |
	  __GFP_NOWARN, CACHE, false, ALL, 0, LOW, ZONE_NORMAL, true },
	{ "page cache, IOCB_NOWAIT", NOWAIT_MOVABLE, CACHE, false, ALL, 0,
	  LOW, ZONE_NORMAL, false },
	{ "page cache, F", GFP_HIGHUSER_MOVABLE, CACHE, false, NO_F, 0,
	  LOW, ZONE_NORMAL, false },
	{ "page cache, P", GFP_HIGHUSER_MOVABLE, CACHE, false, NO_P, 0,
	  ZONE_MOVABLE, ZONE_MOVABLE, false },
	{ "page cache, P, reliable task", GFP_HIGHUSER_MOVABLE, CACHE, true,
	  NO_P, 0, ZONE_MOVABLE, ZONE_MOVABLE, false },
	{ "page cache, S", GFP_HIGHUSER_MOVABLE, CACHE, false, NO_S, 0,
	  LOW, ZONE_NORMAL, true },
	/* tmpfs: mirrored unless S. */
	{ "shmem", GFP_HIGHUSER_MOVABLE, SHMEM, false, ALL, 0,
	  LOW, ZONE_NORMAL, true },
	{ "shmem, S", GFP_HIGHUSER_MOVABLE, SHMEM, false, NO_S, 0,
	  ZONE_MOVABLE, ZONE_MOVABLE, false },
	{ "shmem, P", GFP_HIGHUSER_MOVABLE, SHMEM, false, NO_P, 0,
	  LOW, ZONE_NORMAL, true },
	{ "shmem, F", GFP_HIGHUSER_MOVABLE, SHMEM, false, NO_F, 0,
	  LOW, ZONE_NORMAL, false },
	/* Bit 0 clear: nothing is steered, as under kernelcore=mirror. */
	{ "all off, reliable task", GFP_HIGHUSER_MOVABLE, TASK, true, OFF, 0,
	  LOW, ZONE_MOVABLE, false },
	{ "all off, ordinary task", GFP_HIGHUSER_MOVABLE, TASK, false, 0, 0,
	  LOW, ZONE_MOVABLE, false },
	{ "all off, page cache", GFP_HIGHUSER_MOVABLE, CACHE, false, 0, 0,
	  LOW, ZONE_MOVABLE, false },
};

static void steer_case_desc(const struct steer_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(steer, steer_cases, steer_case_desc);

/*
 * The decision, composed of the functions the allocation paths use:
 * mem_reliable_steer() in the callers, the zonelist choice of
 * prepare_alloc_pages() (mem_reliable_movable_only(), whose static key
 * stands for bit 0 of @ctrl here), the lowest zone of reclaim, and the
 * fallback of the slow path.
 */
static void mem_reliable_test_steer(struct kunit *test)
{
	const struct steer_case *c = test->param_value;
	gfp_t gfp = mem_reliable_steer(c->gfp, c->kind, c->task_reliable,
				       c->ctrl);
	enum zone_type highest = gfp_zone(gfp);
	bool movable_only = (c->ctrl & MEM_RELIABLE_ALL) &&
			    highest == ZONE_MOVABLE;

	KUNIT_EXPECT_EQ(test, highest, c->highest);
	KUNIT_EXPECT_EQ(test, movable_only ? ZONE_MOVABLE : LOW, c->lowest);
	KUNIT_EXPECT_EQ(test, mem_reliable_may_fallback(gfp, c->order, c->ctrl),
			c->fallback);
	/* Only the zone modifier and the mark may change. */
	KUNIT_EXPECT_EQ(test, (__force unsigned long)(gfp & ~(__GFP_HIGHMEM | __GFP_RELIABLE)),
			(__force unsigned long)(c->gfp & ~__GFP_HIGHMEM));
	if (!mem_reliable_status())
		return;
	KUNIT_EXPECT_EQ(test, mem_reliable_movable_only(highest),
			highest == ZONE_MOVABLE);
	KUNIT_EXPECT_EQ(test, mem_reliable_reclaim_min_idx(highest),
			highest == ZONE_MOVABLE ? ZONE_MOVABLE : 0);
	if (highest == ZONE_MOVABLE)
		KUNIT_EXPECT_PTR_EQ(test, mem_reliable_zonelist(0, gfp),
				    &NODE_DATA(0)->node_zonelists[gfp & __GFP_THISNODE ?
				    ZONELIST_MOVABLE_THISNODE : ZONELIST_MOVABLE]);
}

/* The fallback gives back __GFP_HIGHMEM once, then refuses. */
static void mem_reliable_test_fallback(struct kunit *test)
{
	gfp_t gfp = mem_reliable_steer(GFP_HIGHUSER_MOVABLE, TASK, true, ALL);
	enum zone_type highest = gfp_zone(gfp);

	if (!mem_reliable_status() ||
	    !(READ_ONCE(mem_reliable_ctrl) & MEM_RELIABLE_FALLBACK))
		kunit_skip(test, "tiering or its fallback is off");
	KUNIT_ASSERT_EQ(test, highest, ZONE_NORMAL);
	KUNIT_EXPECT_TRUE(test, mem_reliable_fallback(&gfp, 0, &highest));
	KUNIT_EXPECT_EQ(test, highest, ZONE_MOVABLE);
	KUNIT_EXPECT_EQ(test, (__force unsigned long)gfp,
			(__force unsigned long)GFP_HIGHUSER_MOVABLE);
	KUNIT_EXPECT_FALSE(test, mem_reliable_fallback(&gfp, 0, &highest));
}

/*
 * mem_reliable_short() on a zonelist of one mirrored zone with plenty of
 * free memory and nothing to reclaim (node 0's DMA32 at boot: page cache
 * and tmpfs take ZONE_NORMAL first).  An order-0 reliable page falls back
 * at once, with the ZONE_MOVABLE-only zonelist; a small large folio goes
 * on, to compaction, as the free memory may only be fragmented; a page
 * whose __GFP_MOVABLE a long-term pin took away (PF_MEMALLOC_PIN) goes on,
 * to reclaim, as it must not fall back to ZONE_MOVABLE; a non-blocking
 * attempt fails.
 */
static void short_ac(struct alloc_context *ac, struct zonelist *zl)
{
	memset(ac, 0, sizeof(*ac));
	ac->zonelist = zl;
	ac->highest_zoneidx = ZONE_NORMAL;
}

static void mem_reliable_test_short(struct kunit *test)
{
	gfp_t reliable = mem_reliable_steer(GFP_HIGHUSER_MOVABLE, TASK, true,
					    ALL);
	struct zone *zone = &NODE_DATA(0)->node_zones[ZONE_DMA32];
	struct alloc_context ac;
	struct zonelist *zl;
	gfp_t gfp;

	if (!mem_reliable_status() ||
	    (READ_ONCE(mem_reliable_ctrl) & ALL) != ALL)
		kunit_skip(test, "tiering or one of its features is off");
	if (!IS_ENABLED(CONFIG_ZONE_DMA32) || !populated_zone(zone))
		kunit_skip(test, "node 0 has no DMA32 zone");
	KUNIT_ASSERT_LT_MSG(test, zone_page_state(zone, NR_ZONE_ACTIVE_FILE) +
			    zone_page_state(zone, NR_ZONE_INACTIVE_FILE),
			    MEM_RELIABLE_RECLAIM_MIN_PAGES,
			    "DMA32 of node 0 holds page cache at boot");
	KUNIT_ASSERT_TRUE(test, zone_watermark_ok(zone, 0,
						  low_wmark_pages(zone),
						  ZONE_NORMAL, 0));
	zl = kunit_kzalloc(test, sizeof(*zl), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, zl);
	zl->_zonerefs[0].zone = zone;
	zl->_zonerefs[0].zone_idx = ZONE_DMA32;

	gfp = reliable;
	short_ac(&ac, zl);
	KUNIT_EXPECT_EQ(test, mem_reliable_short(&gfp, 0, &ac), 1);
	KUNIT_EXPECT_EQ(test, (__force unsigned long)gfp,
			(__force unsigned long)GFP_HIGHUSER_MOVABLE);
	KUNIT_EXPECT_EQ(test, ac.highest_zoneidx, ZONE_MOVABLE);
	KUNIT_EXPECT_PTR_EQ(test, ac.zonelist,
			    &NODE_DATA(0)->node_zonelists[ZONELIST_MOVABLE]);

	gfp = reliable;
	short_ac(&ac, zl);
	KUNIT_EXPECT_EQ(test, mem_reliable_short(&gfp, PAGE_ALLOC_COSTLY_ORDER,
						 &ac), 0);
	KUNIT_EXPECT_EQ(test, (__force unsigned long)gfp,
			(__force unsigned long)reliable);
	KUNIT_EXPECT_PTR_EQ(test, ac.zonelist, zl);

	gfp = reliable & ~__GFP_MOVABLE;
	short_ac(&ac, zl);
	KUNIT_EXPECT_EQ(test, mem_reliable_short(&gfp, 0, &ac), 0);
	KUNIT_EXPECT_EQ(test, (__force unsigned long)gfp,
			(__force unsigned long)(reliable & ~__GFP_MOVABLE));
	KUNIT_EXPECT_PTR_EQ(test, ac.zonelist, zl);

	gfp = reliable & ~__GFP_DIRECT_RECLAIM;
	short_ac(&ac, zl);
	KUNIT_EXPECT_EQ(test, mem_reliable_short(&gfp, 0, &ac), -1);
}

struct parse_case {
	const char *arg;
	unsigned long ctrl;
	int unknown;
};

static const struct parse_case parse_cases[] = {
	{ "F", ALL & ~MEM_RELIABLE_FALLBACK, 0 },
	{ "S", ALL & ~MEM_RELIABLE_SHMEM, 0 },
	{ "P", ALL & ~MEM_RELIABLE_PAGECACHE, 0 },
	{ "F,S,P", MEM_RELIABLE_ALL, 0 },
	{ "P,F", ALL & ~MEM_RELIABLE_PAGECACHE & ~MEM_RELIABLE_FALLBACK, 0 },
	{ "F,F", ALL & ~MEM_RELIABLE_FALLBACK, 0 },
	{ "X", ALL, 1 },
	{ "f", ALL, 1 },
	{ "FS", ALL, 1 },
	{ "F,X,S", ALL & ~MEM_RELIABLE_FALLBACK & ~MEM_RELIABLE_SHMEM, 1 },
	{ "F,", ALL & ~MEM_RELIABLE_FALLBACK, 0 },
	{ ",,P", ALL & ~MEM_RELIABLE_PAGECACHE, 2 },
	{ "", ALL, 0 },
};

static void parse_case_desc(const struct parse_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "reliable_debug=%s", c->arg);
}

KUNIT_ARRAY_PARAM(parse, parse_cases, parse_case_desc);

static void mem_reliable_test_parse(struct kunit *test)
{
	const struct parse_case *c = test->param_value;
	unsigned long ctrl = ALL;

	KUNIT_EXPECT_EQ(test, mem_reliable_parse_debug(c->arg, &ctrl),
			c->unknown);
	KUNIT_EXPECT_EQ(test, ctrl, c->ctrl);
}

struct update_case {
	unsigned long old;
	long val;
	int ret;
	unsigned long new;
};

static const struct update_case update_cases[] = {
	{ ALL, ALL, 0, ALL },
	{ ALL, NO_F, 0, NO_F },
	{ ALL, NO_S & NO_P, 0, NO_S & NO_P },
	{ ALL, MEM_RELIABLE_ALL, 0, MEM_RELIABLE_ALL },
	{ ALL, 14, 0, 0 },		/* bit 0 clear: everything off */
	{ ALL, 0, 0, 0 },
	{ ALL, 16, -EINVAL, 0 },
	{ ALL, -1, -EINVAL, 0 },
	{ ALL, LONG_MAX, -EINVAL, 0 },
	{ NO_F, ALL, -EINVAL, 0 },	/* never on again */
	{ NO_F, NO_F, 0, NO_F },
	{ NO_F, NO_F & NO_S, 0, NO_F & NO_S },
	{ NO_S, NO_F, -EINVAL, 0 },
	{ 0, 1, -EINVAL, 0 },
	{ 0, 0, 0, 0 },
	{ 9, 8, 0, 0 },			/* P only, bit 0 clear: all off */
};

static void update_case_desc(const struct update_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%lu <- %ld", c->old, c->val);
}

KUNIT_ARRAY_PARAM(update, update_cases, update_case_desc);

static void mem_reliable_test_update(struct kunit *test)
{
	const struct update_case *c = test->param_value;
	unsigned long new = 0xdead;

	KUNIT_EXPECT_EQ(test, mem_reliable_ctrl_update(c->old, c->val, &new),
			c->ret);
	KUNIT_EXPECT_EQ(test, new, c->ret ? 0xdead : c->new);
}

#define UNDER	MEM_RELIABLE_UNDER
#define NEAR	MEM_RELIABLE_NEAR
#define OVER	MEM_RELIABLE_OVER
#define NONE	MEM_RELIABLE_NO_LIMIT

struct limit_case {
	unsigned long count, drift, nr, limit;
	enum mem_reliable_verdict v;
};

static const struct limit_case limit_cases[] = {
	/* Exact counts: the limit may be reached, not passed. */
	{ 999, 0, 1, 1000, UNDER },
	{ 1000, 0, 1, 1000, OVER },
	{ 1000, 0, 0, 1000, UNDER },
	{ 488, 0, 512, 1000, UNDER },
	{ 489, 0, 512, 1000, OVER },
	{ 0, 0, 1, 0, OVER },
	{ 0, 0, 0, 0, UNDER },
	/* An estimate within drift of the limit needs the exact count. */
	{ 935, 64, 1, 1000, UNDER },
	{ 936, 64, 1, 1000, NEAR },
	{ 1063, 64, 1, 1000, NEAR },
	{ 1064, 64, 1, 1000, OVER },
	{ 10, 64, 1, 20, NEAR },	/* a low estimate may be too high */
	{ 10, 64, 1, 0, OVER },		/* at least 0 + 1 pages */
	{ 0, 64, 1, 100, UNDER },
	/* No limit: whatever the count. */
	{ ULONG_MAX, ULONG_MAX, ULONG_MAX, NONE, UNDER },
	/* Sums that overflow are over, never under. */
	{ ULONG_MAX - 1, 0, 2, ULONG_MAX - 1, OVER },
	{ ULONG_MAX - 10, 100, 1, ULONG_MAX - 1, NEAR },
	{ ULONG_MAX, 0, 1, ULONG_MAX - 1, OVER },
	{ 1, 0, ULONG_MAX, ULONG_MAX - 1, OVER },
	{ 0, ULONG_MAX, 1, ULONG_MAX - 1, NEAR },
	/* The largest byte limits in pages. */
	{ (ULONG_MAX >> PAGE_SHIFT) - 1, 0, 1, ULONG_MAX >> PAGE_SHIFT, UNDER },
	{ ULONG_MAX >> PAGE_SHIFT, 0, 1, ULONG_MAX >> PAGE_SHIFT, OVER },
};

static void limit_case_desc(const struct limit_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%lu~%lu + %lu vs %lu",
		 c->count, c->drift, c->nr, c->limit);
}

KUNIT_ARRAY_PARAM(limit, limit_cases, limit_case_desc);

static void mem_reliable_test_limit(struct kunit *test)
{
	const struct limit_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, mem_reliable_limit_cmp(c->count, c->drift, c->nr,
						     c->limit), c->v);
}

/*
 * The room a CPU gets: a share of the margin, never more than the margin
 * in all, none at the limit, at most MEM_RELIABLE_ROOM_MAX; and CPUs that
 * each take their room, one after the other, from a fresh estimate never
 * pass the limit.
 */
static void mem_reliable_test_limit_room(struct kunit *test)
{
	unsigned long count = 900, limit = 1000;
	int i;

	KUNIT_EXPECT_EQ(test, mem_reliable_limit_room(999, 0, 1, 1000, 1), 0);
	KUNIT_EXPECT_EQ(test, mem_reliable_limit_room(935, 64, 1, 1000, 2), 0);
	KUNIT_EXPECT_EQ(test, mem_reliable_limit_room(900, 0, 1, 1000, 1), 64);
	KUNIT_EXPECT_EQ(test, mem_reliable_limit_room(900, 0, 1, 1000, 2), 49);
	KUNIT_EXPECT_EQ(test, mem_reliable_limit_room(900, 0, 1, 1000, 0), 64);
	KUNIT_EXPECT_EQ(test, mem_reliable_limit_room(0, 0, 1, NONE - 1, 4), 64);
	KUNIT_EXPECT_EQ(test, mem_reliable_limit_room(0, 0, 0, 0, 1), 0);
	/* One CPU taking room after room converges on the limit exactly. */
	for (i = 0; i < 100 && count < limit; i++) {
		unsigned long room;

		KUNIT_ASSERT_EQ(test, mem_reliable_limit_cmp(count, 0, 1, limit),
				MEM_RELIABLE_UNDER);
		room = mem_reliable_limit_room(count, 0, 1, limit, 2);
		count += 1 + room;
		KUNIT_EXPECT_LE(test, count, limit);
	}
	KUNIT_EXPECT_EQ(test, count, limit);
}

/* Byte values to pages, and which values a write may set. */
static void mem_reliable_test_limit_bytes(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, mem_reliable_limit_pages(ULONG_MAX, ULONG_MAX), NONE);
	KUNIT_EXPECT_EQ(test, mem_reliable_limit_pages(LONG_MAX, LONG_MAX), NONE);
	KUNIT_EXPECT_EQ(test, mem_reliable_limit_pages(ULONG_MAX, LONG_MAX),
			ULONG_MAX >> PAGE_SHIFT);
	KUNIT_EXPECT_EQ(test, mem_reliable_limit_pages(LONG_MAX, ULONG_MAX),
			(unsigned long)LONG_MAX >> PAGE_SHIFT);
	KUNIT_EXPECT_EQ(test, mem_reliable_limit_pages(0, ULONG_MAX), 0);
	KUNIT_EXPECT_EQ(test, mem_reliable_limit_pages(PAGE_SIZE - 1, ULONG_MAX), 0);
	KUNIT_EXPECT_EQ(test, mem_reliable_limit_pages(PAGE_SIZE, ULONG_MAX), 1);
	KUNIT_EXPECT_EQ(test, mem_reliable_limit_pages(SZ_64M + 1, ULONG_MAX),
			SZ_64M / PAGE_SIZE);

	KUNIT_EXPECT_EQ(test, mem_reliable_limit_valid(0, 0, SZ_1G, ULONG_MAX), 0);
	KUNIT_EXPECT_EQ(test, mem_reliable_limit_valid(SZ_1G, 0, SZ_1G, ULONG_MAX), 0);
	KUNIT_EXPECT_EQ(test, mem_reliable_limit_valid(SZ_1G + 1, 0, SZ_1G, ULONG_MAX),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, mem_reliable_limit_valid(ULONG_MAX, 0, SZ_1G, ULONG_MAX), 0);
	KUNIT_EXPECT_EQ(test, mem_reliable_limit_valid(ULONG_MAX, 0, SZ_1G, LONG_MAX),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, mem_reliable_limit_valid(LONG_MAX, 0, SZ_1G, LONG_MAX), 0);
	KUNIT_EXPECT_EQ(test, mem_reliable_limit_valid(SZ_1M - 1, SZ_1M, SZ_1G, ULONG_MAX),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, mem_reliable_limit_valid(SZ_1M, SZ_1M, SZ_1G, ULONG_MAX), 0);
}

/*
 * A percpu_counter folded in batches of 32: its estimate is never further
 * from the exact sum than the drift the checks allow for, so a verdict
 * from the estimate is the verdict of the exact count whenever it is not
 * NEAR, on the way up to the limit and past it, and back down.
 */
static void mem_reliable_test_limit_batch(struct kunit *test)
{
	unsigned long drift = 32 * num_online_cpus();
	struct percpu_counter c;
	int i, near = 0;
	s64 exact;

	KUNIT_ASSERT_EQ(test, percpu_counter_init(&c, 0, GFP_KERNEL), 0);
	for (i = 0; i < 600; i++) {
		unsigned long est, sum;
		enum mem_reliable_verdict v;
		int step = i < 300 ? 1 + i % 5 : -(1 + i % 3);

		percpu_counter_add_batch(&c, step, 32);
		est = percpu_counter_read_positive(&c);
		exact = percpu_counter_sum(&c);
		KUNIT_ASSERT_GE(test, exact, 0);
		sum = exact;
		KUNIT_EXPECT_LE(test, abs_diff(est, sum), drift);
		v = mem_reliable_limit_cmp(est, drift, 4, 500);
		if (v == MEM_RELIABLE_NEAR)
			near++;
		else
			KUNIT_EXPECT_EQ(test, v, mem_reliable_limit_cmp(sum, 0, 4, 500));
	}
	/* The walk passed the limit: some estimates could not decide. */
	KUNIT_EXPECT_GT(test, near, 0);
	KUNIT_EXPECT_LT(test, near, 600);
	percpu_counter_destroy(&c);
}

/*
 * The ZONE_MOVABLE zonelists of every node: each populated ZONE_MOVABLE
 * of the nodes the fallback list reaches, once, and nothing else; the
 * __GFP_THISNODE one holds only the node's own ZONE_MOVABLE.
 */
static void mem_reliable_test_zonelists(struct kunit *test)
{
	int nid;

	for_each_online_node(nid) {
		pg_data_t *pgdat = NODE_DATA(nid);
		struct zonelist *movable = mem_reliable_zonelist(nid, 0);
		struct zonelist *local = mem_reliable_zonelist(nid, __GFP_THISNODE);
		struct zoneref *z;
		int want = 0, got = 0, other;

		KUNIT_EXPECT_PTR_EQ(test, movable,
				    &pgdat->node_zonelists[ZONELIST_MOVABLE]);
		for_each_online_node(other)
			want += populated_zone(&NODE_DATA(other)->node_zones[ZONE_MOVABLE]);
		for (z = movable->_zonerefs; z->zone; z++) {
			KUNIT_EXPECT_EQ(test, zone_idx(z->zone), ZONE_MOVABLE);
			KUNIT_EXPECT_EQ(test, z->zone_idx, ZONE_MOVABLE);
			got++;
		}
		KUNIT_EXPECT_EQ_MSG(test, got, want, "node %d", nid);

		got = 0;
		for (z = local->_zonerefs; z->zone; z++) {
			KUNIT_EXPECT_PTR_EQ(test, z->zone,
					    &pgdat->node_zones[ZONE_MOVABLE]);
			got++;
		}
		KUNIT_EXPECT_EQ_MSG(test, got,
				    populated_zone(&pgdat->node_zones[ZONE_MOVABLE]),
				    "node %d", nid);
	}
}

/*
 * Real allocations through the page allocator, from this kernel thread
 * (no mm: an ordinary owner): an unmarked user page lands in
 * ZONE_MOVABLE, a page-cache page in a mirrored zone, and migration keeps
 * each one's tier, and KSM orders them by tier.
 */
static void mem_reliable_test_alloc(struct kunit *test)
{
	struct folio *plain, *cache;
	gfp_t gfp;

	if (!mem_reliable_status())
		kunit_skip(test, "tiering is off");
	plain = folio_alloc(mem_reliable_task_gfp(NULL, GFP_HIGHUSER_MOVABLE), 0);
	KUNIT_ASSERT_NOT_NULL(test, plain);
	cache = folio_alloc(mem_reliable_pagecache_gfp(GFP_HIGHUSER_MOVABLE), 0);
	if (!cache)
		folio_put(plain);
	KUNIT_ASSERT_NOT_NULL(test, cache);

	KUNIT_EXPECT_EQ(test, folio_zonenum(plain), ZONE_MOVABLE);
	KUNIT_EXPECT_FALSE(test, page_reliable(&plain->page));
	if (READ_ONCE(mem_reliable_ctrl) & MEM_RELIABLE_PAGECACHE) {
		KUNIT_EXPECT_LT(test, folio_zonenum(cache), ZONE_MOVABLE);
		KUNIT_EXPECT_TRUE(test, page_reliable(&cache->page));
		KUNIT_EXPECT_GT(test, mem_reliable_tier_cmp(&plain->page,
							    &cache->page), 0);
		KUNIT_EXPECT_LT(test, mem_reliable_tier_cmp(&cache->page,
							    &plain->page), 0);
		gfp = mem_reliable_migrate_gfp(cache, GFP_HIGHUSER_MOVABLE |
					       __GFP_RELIABLE);
		KUNIT_EXPECT_EQ(test, (__force unsigned long)gfp,
				(__force unsigned long)(GFP_HIGHUSER_MOVABLE & ~__GFP_HIGHMEM));
	}
	KUNIT_EXPECT_EQ(test, mem_reliable_tier_cmp(&plain->page, &plain->page),
			0);
	gfp = mem_reliable_migrate_gfp(plain, GFP_HIGHUSER_MOVABLE);
	KUNIT_EXPECT_EQ(test, (__force unsigned long)gfp,
			(__force unsigned long)GFP_HIGHUSER_MOVABLE);
	/* alloc_contig_range() users may pass GFP_KERNEL. */
	gfp = mem_reliable_migrate_gfp(plain, GFP_KERNEL);
	KUNIT_EXPECT_EQ(test, (__force unsigned long)gfp,
			(__force unsigned long)(GFP_KERNEL | __GFP_HIGHMEM | __GFP_MOVABLE));
	folio_put(plain);
	folio_put(cache);
}

/*
 * Mirrored memory is scarce for the page cache below the high watermarks,
 * or with the mirrored page cache at its limit, and only then.
 */
static void mem_reliable_test_scarce(struct kunit *test)
{
	KUNIT_EXPECT_FALSE(test, mem_reliable_scarce(1000, 1000, 0, NONE));
	KUNIT_EXPECT_TRUE(test, mem_reliable_scarce(999, 1000, 0, NONE));
	KUNIT_EXPECT_FALSE(test, mem_reliable_scarce(1000, 1000, ULONG_MAX - 1, NONE));
	KUNIT_EXPECT_FALSE(test, mem_reliable_scarce(1000, 1000, 4095, 4096));
	KUNIT_EXPECT_TRUE(test, mem_reliable_scarce(1000, 1000, 4096, 4096));
	KUNIT_EXPECT_TRUE(test, mem_reliable_scarce(1000, 1000, 5000, 4096));
	KUNIT_EXPECT_TRUE(test, mem_reliable_scarce(1000, 1000, 0, 0));
	KUNIT_EXPECT_TRUE(test, mem_reliable_scarce(0, 1, 0, 4096));
}

static struct kunit_case mem_reliable_test_cases[] = {
	KUNIT_CASE_PARAM(mem_reliable_test_decide, decide_gen_params),
	KUNIT_CASE(mem_reliable_test_null_page),
	KUNIT_CASE_PARAM(mem_reliable_test_steer, steer_gen_params),
	KUNIT_CASE(mem_reliable_test_fallback),
	KUNIT_CASE(mem_reliable_test_short),
	KUNIT_CASE_PARAM(mem_reliable_test_parse, parse_gen_params),
	KUNIT_CASE_PARAM(mem_reliable_test_update, update_gen_params),
	KUNIT_CASE(mem_reliable_test_zonelists),
	KUNIT_CASE(mem_reliable_test_alloc),
	KUNIT_CASE_PARAM(mem_reliable_test_limit, limit_gen_params),
	KUNIT_CASE(mem_reliable_test_limit_bytes),
	KUNIT_CASE(mem_reliable_test_limit_room),
	KUNIT_CASE(mem_reliable_test_limit_batch),
	KUNIT_CASE(mem_reliable_test_scarce),
	{}
};

static struct kunit_suite mem_reliable_test_suite = {
	.name = "mem_reliable",
	.test_cases = mem_reliable_test_cases,
};

/* INIT_MEMBLOCK_MEMORY_REGIONS of mm/memblock.c: larger means reallocated. */
#define MEMBLOCK_STATIC_REGIONS	128

static void __init need_memblock(struct kunit *test)
{
	if (memblock.memory.max > MEMBLOCK_STATIC_REGIONS)
		kunit_skip(test, "memblock.memory was reallocated and is freed");
}

/*
 * kernelcore=mirror's rule for a node (mm_init.c): ZONE_MOVABLE starts at
 * the lowest base of the node's non-mirrored regions at or above 4 GiB,
 * rounded up to MAX_ORDER_NR_PAGES; none when there is no such region or
 * the rounded start is past the node's end.  Returns ULONG_MAX for none.
 */
static unsigned long __init model_movable_start(int nid)
{
	unsigned long low = ULONG_MAX, start;
	struct memblock_region *r;

	for_each_mem_region(r) {
		start = memblock_region_memory_base_pfn(r);
		if (memblock_is_mirror(r) || memblock_get_region_node(r) != nid ||
		    start < PHYS_PFN(SZ_4G))
			continue;
		low = min(low, start);
	}
	if (low == ULONG_MAX)
		return ULONG_MAX;
	start = roundup(low, MAX_ORDER_NR_PAGES);
	return start >= node_end_pfn(nid) ? ULONG_MAX : start;
}

/*
 * First and last page of every memblock region: a mirrored page is in the
 * mirrored tier; a non-mirrored page is not, unless kernelcore=mirror's
 * rule leaves it outside ZONE_MOVABLE.  Every non-mirrored page that
 * page_reliable() puts in the mirrored tier is counted: the sum must be
 * what the kernel reports as ReliableUnmirrored.
 */
static void __init mem_reliable_test_regions(struct kunit *test)
{
	unsigned long unmirrored = 0, pfn;
	bool on = mem_reliable_status();
	int mirrored = 0, plain = 0;
	struct memblock_region *r;

	need_memblock(test);
	for_each_mem_region(r) {
		unsigned long first = memblock_region_memory_base_pfn(r);
		unsigned long last = memblock_region_memory_end_pfn(r) - 1;
		unsigned long movable;
		bool mirror = memblock_is_mirror(r);

		if (last < first)
			continue;
		if (mirror) {
			mirrored++;
			KUNIT_EXPECT_EQ_MSG(test, page_reliable(pfn_to_page(first)),
					    on, "mirrored pfn %#lx", first);
			KUNIT_EXPECT_EQ_MSG(test, page_reliable(pfn_to_page(last)),
					    on, "mirrored pfn %#lx", last);
			continue;
		}

		plain++;
		movable = model_movable_start(memblock_get_region_node(r));
		KUNIT_EXPECT_EQ_MSG(test, page_reliable(pfn_to_page(first)),
				    on && first < movable,
				    "non-mirrored pfn %#lx, ZONE_MOVABLE at %#lx",
				    first, movable);
		KUNIT_EXPECT_EQ_MSG(test, page_reliable(pfn_to_page(last)),
				    on && last < movable,
				    "non-mirrored pfn %#lx, ZONE_MOVABLE at %#lx",
				    last, movable);
		for (pfn = first; pfn <= last; pfn++)
			unmirrored += page_reliable(pfn_to_page(pfn));
	}

	KUNIT_EXPECT_EQ(test, mem_reliable_unmirrored_pages(), unmirrored);
	if (on) {
		KUNIT_EXPECT_GT(test, mirrored, 0);
		KUNIT_EXPECT_GT(test, plain, 0);
	}
}

/*
 * Was kernelcore=reliable given before any kernelcore=mirror?  Read from
 * the command line, as the administrator wrote it.
 */
static bool __init cmdline_wants_reliable(struct kunit *test)
{
	char *line = kunit_kstrdup(test, saved_command_line, GFP_KERNEL);
	char *word;

	KUNIT_ASSERT_NOT_NULL(test, line);
	while ((word = strsep(&line, " "))) {
		if (!str_has_prefix(word, "kernelcore="))
			continue;
		word += strlen("kernelcore=");
		if (!strcmp(word, "reliable"))
			return true;
		if (parse_option_str(word, "mirror"))
			return false;
	}
	return false;
}

/* Tiering is on exactly when the command line and the memory map allow. */
static void __init mem_reliable_test_status(struct kunit *test)
{
	bool mirror = false, plain_above_4g = false, want;
	struct memblock_region *r;

	need_memblock(test);
	for_each_mem_region(r) {
		if (memblock_is_mirror(r))
			mirror = true;
		else if (memblock_region_memory_base_pfn(r) >= PHYS_PFN(SZ_4G))
			plain_above_4g = true;
	}
	want = cmdline_wants_reliable(test) && mirror && plain_above_4g &&
	       !is_kdump_kernel() && !movable_node_is_enabled();

	KUNIT_EXPECT_EQ(test, mem_reliable_status(), want);
	KUNIT_EXPECT_EQ(test, mem_reliable_boot_state() == MEM_RELIABLE_ON,
			want);
	if (!want)
		KUNIT_EXPECT_EQ(test, mem_reliable_unmirrored_pages(), 0);
}

static struct kunit_case __refdata mem_reliable_init_test_cases[] = {
	KUNIT_CASE(mem_reliable_test_regions),
	KUNIT_CASE(mem_reliable_test_status),
	{}
};

static struct kunit_suite mem_reliable_init_test_suite = {
	.name = "mem_reliable_init",
	.test_cases = mem_reliable_init_test_cases,
};

kunit_test_suite(mem_reliable_test_suite);
kunit_test_init_section_suite(mem_reliable_init_test_suite);
