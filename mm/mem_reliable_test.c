// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the memory reliability tiering core.
 */
#include <kunit/test.h>
#include <linux/mem_reliable.h>
#include <linux/mm.h>
#include <linux/mmzone.h>

struct decide_case {
	const char *name;
	bool requested, conflict, has_mirror, has_movable, kdump;
	enum mem_reliable_state want;
};

static const struct decide_case decide_cases[] = {
	{ "not requested", false, false, true, true, false,
	  MEM_RELIABLE_NOT_REQUESTED },
	{ "mirror first", false, true, true, true, false,
	  MEM_RELIABLE_CONFLICT },
	{ "all present", true, false, true, true, false, MEM_RELIABLE_ON },
	{ "reliable first", true, true, true, true, false, MEM_RELIABLE_ON },
	{ "no mirror", true, false, false, true, false,
	  MEM_RELIABLE_NO_MIRROR },
	{ "no mirror, no movable", true, false, false, false, false,
	  MEM_RELIABLE_NO_MIRROR },
	{ "only mirror", true, false, true, false, false,
	  MEM_RELIABLE_ONLY_MIRROR },
	{ "kdump", true, false, true, true, true, MEM_RELIABLE_KDUMP },
	{ "kdump, no mirror", true, false, false, false, true,
	  MEM_RELIABLE_KDUMP },
};

static void decide_case_desc(const struct decide_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(decide, decide_cases, decide_case_desc);

static void mem_reliable_test_decide(struct kunit *test)
{
	const struct decide_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, mem_reliable_decide(c->requested, c->conflict,
						  c->has_mirror,
						  c->has_movable, c->kdump),
			c->want);
}

/* The static key follows the boot decision exactly. */
static void mem_reliable_test_status(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, mem_reliable_status(),
			mem_reliable_boot_state() == MEM_RELIABLE_ON);
	KUNIT_EXPECT_FALSE(test, page_reliable(NULL));
}

static struct page *valid_page(unsigned long pfn)
{
	return pfn_valid(pfn) ? pfn_to_page(pfn) : NULL;
}

/*
 * Each zone's first and last page; on each node, the last page before
 * ZONE_MOVABLE is mirrored and the first page of ZONE_MOVABLE is not.
 */
static void mem_reliable_test_zone_boundaries(struct kunit *test)
{
	bool on = mem_reliable_status();
	int movable_zones = 0, checked = 0;
	struct zone *zone;

	for_each_populated_zone(zone) {
		unsigned long first = zone->zone_start_pfn;
		unsigned long last = zone_end_pfn(zone) - 1;
		bool want = on && zone_idx(zone) < ZONE_MOVABLE;
		struct page *page;

		KUNIT_EXPECT_EQ(test, zone_reliable(zone), want);

		page = valid_page(first);
		if (page && page_zone(page) == zone) {
			KUNIT_EXPECT_EQ_MSG(test, page_reliable(page), want,
					    "pfn %#lx zone %s", first, zone->name);
			checked++;
		}
		page = valid_page(last);
		if (page && page_zone(page) == zone) {
			KUNIT_EXPECT_EQ_MSG(test, page_reliable(page), want,
					    "pfn %#lx zone %s", last, zone->name);
			checked++;
		}

		if (zone_idx(zone) != ZONE_MOVABLE)
			continue;
		movable_zones++;
		page = valid_page(first - 1);
		if (page && page_to_nid(page) == zone_to_nid(zone)) {
			KUNIT_EXPECT_LT(test, page_zonenum(page), ZONE_MOVABLE);
			KUNIT_EXPECT_EQ_MSG(test, page_reliable(page), on,
					    "pfn %#lx below ZONE_MOVABLE", first - 1);
		}
	}
	KUNIT_EXPECT_GT(test, checked, 0);
	/* Tiering on means there is non-mirrored memory. */
	if (on)
		KUNIT_EXPECT_GT(test, movable_zones, 0);
}

static struct kunit_case mem_reliable_test_cases[] = {
	KUNIT_CASE_PARAM(mem_reliable_test_decide, decide_gen_params),
	KUNIT_CASE(mem_reliable_test_status),
	KUNIT_CASE(mem_reliable_test_zone_boundaries),
	{}
};

static struct kunit_suite mem_reliable_test_suite = {
	.name = "mem_reliable",
	.test_cases = mem_reliable_test_cases,
};

kunit_test_suite(mem_reliable_test_suite);
