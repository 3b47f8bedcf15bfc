// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for clear_freelist_pages (mm/clear_freelist_page.c): the
 * deadline, the overwrite of a block around its poisoned subpages, the
 * early stop within a chunk, taking the free blocks of a chunk off the
 * free lists and back, and a poisoned page of a free block kept out of
 * the allocator the way memory_failure() keeps a free page out.
 */
#include <kunit/test.h>
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/page-flags.h>
#include "../internal.h"
#include "../clear_freelist_page.h"

#define PATTERN	0xa5a5a5a55a5a5a5aULL

static void fill_page(struct page *page, u64 val)
{
	u64 *p = kmap_local_page(page);
	unsigned int i;

	for (i = 0; i < PAGE_SIZE / sizeof(*p); i++)
		p[i] = val;
	kunmap_local(p);
}

/* Whether every word of @page is @val. */
static bool page_holds(struct page *page, u64 val)
{
	u64 *p = kmap_local_page(page);
	unsigned int i;
	bool ret = true;

	for (i = 0; i < PAGE_SIZE / sizeof(*p); i++)
		if (p[i] != val)
			ret = false;
	kunmap_local(p);
	return ret;
}

/*
 * The content tests write test pages through cfp_clear_pages(), which
 * unmaps them again under debug_pagealloc and writes the poison pattern
 * under page poisoning.
 */
static void need_plain_pages(struct kunit *test)
{
	if (debug_pagealloc_enabled())
		kunit_skip(test, "debug_pagealloc unmaps the test's pages");
	if (page_poisoning_enabled())
		kunit_skip(test, "page poisoning writes its pattern, not zeros");
}

static void cfp_test_deadline(struct kunit *test)
{
	int stop = CFP_RUNNING;
	struct cfp_walk walk = {
		.stop		= &stop,
		.deadline_ns	= ktime_get_ns() + 3600ULL * NSEC_PER_SEC,
	};

	/* Before the deadline: never, however many pages. */
	KUNIT_EXPECT_FALSE(test, cfp_should_stop(&walk, 1));
	KUNIT_EXPECT_FALSE(test, cfp_should_stop(&walk, 1000));
	KUNIT_EXPECT_EQ(test, stop, CFP_RUNNING);

	/* After it: at the first look at the clock, 64 pages on. */
	walk.deadline_ns = ktime_get_ns() - 1;
	walk.since_check = 0;
	KUNIT_EXPECT_FALSE(test, cfp_should_stop(&walk, 63));
	KUNIT_EXPECT_EQ(test, stop, CFP_RUNNING);
	KUNIT_EXPECT_TRUE(test, cfp_should_stop(&walk, 1));
	KUNIT_EXPECT_EQ(test, stop, CFP_TIMEOUT);

	/* Another reason came first: it stays, and no clock is needed. */
	stop = CFP_SIGNAL;
	walk.since_check = 0;
	KUNIT_EXPECT_TRUE(test, cfp_should_stop(&walk, 1));
	KUNIT_EXPECT_EQ(test, stop, CFP_SIGNAL);
}

/* Subpages 3 and 9 of an order-4 block are poisoned. */
static void cfp_test_block_hwpoison(struct kunit *test)
{
	const unsigned int order = 4, bad1 = 3, bad2 = 9;
	int stop = CFP_RUNNING;
	struct cfp_walk walk = {
		.op		= CFP_CLEAR,
		.stop		= &stop,
		.deadline_ns	= U64_MAX,
	};
	struct page *page;
	unsigned int i;

	if (!IS_ENABLED(CONFIG_MEMORY_FAILURE))
		kunit_skip(test, "no PG_hwpoison without CONFIG_MEMORY_FAILURE");
	need_plain_pages(test);
	page = alloc_pages(GFP_KERNEL, order);
	KUNIT_ASSERT_NOT_NULL(test, page);
	for (i = 0; i < (1U << order); i++)
		fill_page(page + i, PATTERN);
	SetPageHWPoison(page + bad1);
	SetPageHWPoison(page + bad2);

	KUNIT_EXPECT_FALSE(test, cfp_handle_block(page, order, &walk));

	ClearPageHWPoison(page + bad1);
	ClearPageHWPoison(page + bad2);
	KUNIT_EXPECT_EQ(test, walk.stats.cleared, (1UL << order) - 2);
	KUNIT_EXPECT_EQ(test, walk.stats.hwpoison, 2UL);
	for (i = 0; i < (1U << order); i++) {
		bool bad = i == bad1 || i == bad2;

		KUNIT_EXPECT_TRUE_MSG(test, page_holds(page + i, bad ? PATTERN : 0),
				      "subpage %u", i);
	}

	/* The test reader classifies without changing anything. */
	fill_page(page + 5, PATTERN);
	memset(&walk.stats, 0, sizeof(walk.stats));
	walk.op = CFP_CHECK;
	walk.pattern = PATTERN;
	cfp_handle_block(page, order, &walk);
	KUNIT_EXPECT_EQ(test, walk.stats.cleared, 1UL << order);
	KUNIT_EXPECT_EQ(test, walk.matched, 3UL);
	KUNIT_EXPECT_EQ(test, walk.zero, (1UL << order) - 3);
	KUNIT_EXPECT_TRUE(test, page_holds(page + 5, PATTERN));
	__free_pages(page, order);
}

/* A run that times out stops within the chunk after 64 pages. */
static void cfp_test_blocks_stop(struct kunit *test)
{
	const unsigned int nr = 100;
	int stop = CFP_RUNNING;
	struct cfp_walk walk = {
		.op		= CFP_CLEAR,
		.stop		= &stop,
		.deadline_ns	= 0,
	};
	struct page *page, *next;
	LIST_HEAD(blocks);
	unsigned int i = 0;

	need_plain_pages(test);
	for (i = 0; i < nr; i++) {
		page = alloc_page(GFP_KERNEL);
		if (!page)
			break;
		fill_page(page, PATTERN);
		set_page_private(page, 0);
		list_add_tail(&page->lru, &blocks);
	}
	KUNIT_ASSERT_EQ(test, i, nr);

	cfp_handle_blocks(&blocks, &walk);

	KUNIT_EXPECT_EQ(test, stop, CFP_TIMEOUT);
	KUNIT_EXPECT_EQ(test, walk.stats.cleared, 64UL);
	KUNIT_EXPECT_EQ(test, walk.stats.not_reached, (unsigned long)nr - 64);
	i = 0;
	list_for_each_entry_safe(page, next, &blocks, lru) {
		KUNIT_EXPECT_TRUE_MSG(test, page_holds(page, i < 64 ? 0 : PATTERN),
				      "page %u", i);
		list_del(&page->lru);
		__free_page(page);
		i++;
	}
}

/*
 * A freed order-5 block is taken off the free lists with the rest of its
 * chunk and comes back: free memory is neither lost nor double counted.
 */
static void cfp_test_isolate_chunk(struct kunit *test)
{
	const unsigned int order = 5;
	int stop = CFP_RUNNING, attempt;
	struct cfp_walk walk = {
		.op		= CFP_CHECK,
		.stop		= &stop,
		.deadline_ns	= U64_MAX,
	};

	/* Another CPU may allocate the block first: try again then. */
	for (attempt = 0; attempt < 5; attempt++) {
		unsigned long pfn, chunk, taken, sum = 0, free_before, b;
		int mt[MAX_ORDER_NR_PAGES / pageblock_nr_pages];
		struct page *page, *block;
		bool found = false;
		struct zone *zone;
		LIST_HEAD(blocks);

		page = alloc_pages(GFP_KERNEL, order);
		KUNIT_ASSERT_NOT_NULL(test, page);
		pfn = page_to_pfn(page);
		zone = page_zone(page);
		chunk = ALIGN_DOWN(pfn, MAX_ORDER_NR_PAGES);
		__free_pages(page, order);

		get_online_mems();
		for (b = 0; b < ARRAY_SIZE(mt); b++)
			mt[b] = get_pageblock_migratetype(pfn_to_page(chunk) +
							  b * pageblock_nr_pages);
		free_before = zone_page_state(zone, NR_FREE_PAGES);
		taken = cfp_isolate_chunk(zone, chunk, &blocks, &walk);
		list_for_each_entry(block, &blocks, lru) {
			unsigned long b = page_to_pfn(block);
			unsigned long n = 1UL << page_private(block);

			KUNIT_EXPECT_FALSE(test, PageBuddy(block));
			KUNIT_EXPECT_GE(test, b, chunk);
			KUNIT_EXPECT_LE(test, b + n, chunk + MAX_ORDER_NR_PAGES);
			if (b <= pfn && pfn + (1UL << order) <= b + n)
				found = true;
			sum += n;
		}
		KUNIT_EXPECT_EQ(test, sum, taken);
		KUNIT_EXPECT_FALSE(test, is_free_buddy_page(page));
		cfp_putback_blocks(zone, &blocks, &walk);
		/* Taking a block off and back keeps every pageblock's type. */
		for (b = 0; b < ARRAY_SIZE(mt); b++)
			KUNIT_EXPECT_EQ_MSG(test, mt[b],
					    get_pageblock_migratetype(pfn_to_page(chunk) +
								      b * pageblock_nr_pages),
					    "pageblock %lu", b);
		put_online_mems();
		KUNIT_EXPECT_TRUE(test, list_empty(&blocks));
		if (!found)
			continue;
		KUNIT_EXPECT_GE(test, taken, 1UL << order);
		/* Others allocate and free meanwhile: only roughly equal. */
		KUNIT_EXPECT_LT(test, abs_diff(zone_page_state(zone, NR_FREE_PAGES),
					       free_before), taken / 2 + 64);
		KUNIT_EXPECT_TRUE(test, is_free_buddy_page(page));
		return;
	}
	KUNIT_FAIL(test, "the freed block was allocated again in 5 attempts");
}

/*
 * A free order-3 block with a poisoned subpage (as a dissolved hugetlb
 * folio or a THP whose split failed leaves one): the run skips the page,
 * and after the block went back the page is out of the allocator with
 * PG_hwpoison, the taken-off mark and one reference, like a free page
 * memory_failure() took off, and the rest is free.
 */
static void cfp_test_free_block_hwpoison(struct kunit *test)
{
	const unsigned int order = 3, bad = 2;
	int stop = CFP_RUNNING;
	struct cfp_walk walk = {
		.op		= CFP_CLEAR,
		.stop		= &stop,
		.deadline_ns	= U64_MAX,
	};
	struct page *page, *block;
	unsigned long pfn, taken;
	bool found = false;
	struct zone *zone;
	LIST_HEAD(blocks);
	unsigned int i;

	if (!IS_ENABLED(CONFIG_MEMORY_FAILURE))
		kunit_skip(test, "no PG_hwpoison without CONFIG_MEMORY_FAILURE");
	page = alloc_pages(GFP_KERNEL, order);
	KUNIT_ASSERT_NOT_NULL(test, page);
	pfn = page_to_pfn(page);
	zone = page_zone(page);
	SetPageHWPoison(page + bad);
	__free_pages(page, order);
	drain_all_pages(zone);

	get_online_mems();
	taken = cfp_isolate_chunk(zone, ALIGN_DOWN(pfn, MAX_ORDER_NR_PAGES),
				  &blocks, &walk);
	list_for_each_entry(block, &blocks, lru) {
		unsigned long b = page_to_pfn(block);

		if (b <= pfn && pfn < b + (1UL << page_private(block)))
			found = true;
	}
	cfp_handle_blocks(&blocks, &walk);
	cfp_putback_blocks(zone, &blocks, &walk);
	put_online_mems();

	KUNIT_EXPECT_TRUE(test, found);
	KUNIT_EXPECT_GE(test, taken, 1UL << order);
	KUNIT_EXPECT_EQ(test, walk.stats.hwpoison, 1UL);
	KUNIT_EXPECT_TRUE(test, PageHWPoison(page + bad));
	KUNIT_EXPECT_FALSE(test, is_free_buddy_page(page + bad));
	KUNIT_EXPECT_EQ(test, page_count(page + bad), 1);
	KUNIT_EXPECT_EQ(test, page_private(page + bad), (unsigned long)MAGIC_HWPOISON);
	for (i = 0; i < (1U << order); i++)
		if (i != bad)
			KUNIT_EXPECT_TRUE_MSG(test, is_free_buddy_page(page + i),
					      "subpage %u", i);

	/* Give the page back as healthy, without the hwpoison counters. */
	if (page_count(page + bad) == 1 && !is_free_buddy_page(page + bad)) {
		ClearPageHWPoisonTakenOff(page + bad);
		ClearPageHWPoison(page + bad);
		__free_page(page + bad);
	}
}

static struct kunit_case cfp_test_cases[] = {
	KUNIT_CASE(cfp_test_deadline),
	KUNIT_CASE(cfp_test_block_hwpoison),
	KUNIT_CASE(cfp_test_blocks_stop),
	KUNIT_CASE(cfp_test_isolate_chunk),
	KUNIT_CASE(cfp_test_free_block_hwpoison),
	{}
};

static struct kunit_suite cfp_test_suite = {
	.name = "clear_freelist_page",
	.test_cases = cfp_test_cases,
};

kunit_test_suite(cfp_test_suite);
