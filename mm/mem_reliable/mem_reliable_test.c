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
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>

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

static struct kunit_case mem_reliable_test_cases[] = {
	KUNIT_CASE_PARAM(mem_reliable_test_decide, decide_gen_params),
	KUNIT_CASE(mem_reliable_test_null_page),
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
