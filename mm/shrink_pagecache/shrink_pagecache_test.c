// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the arithmetic of the page-cache limit: the verdict
 * against the limit with an estimate and its drift, the credit a CPU adds
 * on, the pages of a round, the range of cache_limit_mbytes, and the
 * bound on what CPUs adding on credit can put over the limit.
 */
#include <kunit/test.h>
#include <linux/sizes.h>

#include "../shrink_pagecache.h"

static void spc_test_cmp(struct kunit *test)
{
	/* Up to the limit exactly, then over it. */
	KUNIT_EXPECT_EQ(test, spc_cmp(99, 0, 1, 100), SPC_UNDER);
	KUNIT_EXPECT_EQ(test, spc_cmp(100, 0, 1, 100), SPC_OVER);
	KUNIT_EXPECT_EQ(test, spc_cmp(0, 0, 100, 100), SPC_UNDER);
	KUNIT_EXPECT_EQ(test, spc_cmp(0, 0, 101, 100), SPC_OVER);
	/* Within the drift either way the estimate cannot tell. */
	KUNIT_EXPECT_EQ(test, spc_cmp(89, 10, 1, 100), SPC_UNDER);
	KUNIT_EXPECT_EQ(test, spc_cmp(90, 10, 1, 100), SPC_NEAR);
	KUNIT_EXPECT_EQ(test, spc_cmp(109, 10, 1, 100), SPC_NEAR);
	KUNIT_EXPECT_EQ(test, spc_cmp(110, 10, 1, 100), SPC_OVER);
	/* A drift larger than the count: the low end is 0. */
	KUNIT_EXPECT_EQ(test, spc_cmp(5, 10, 1, 100), SPC_UNDER);
	KUNIT_EXPECT_EQ(test, spc_cmp(5, 200, 1, 100), SPC_NEAR);
	KUNIT_EXPECT_EQ(test, spc_cmp(5, 200, 101, 100), SPC_OVER);
	/* A large folio. */
	KUNIT_EXPECT_EQ(test, spc_cmp(0, 0, 512, 511), SPC_OVER);
	KUNIT_EXPECT_EQ(test, spc_cmp(0, 0, 512, 512), SPC_UNDER);
}

static void spc_test_credit(struct kunit *test)
{
	/* The margin left after the folio that looked, at most a batch. */
	KUNIT_EXPECT_EQ(test, spc_credit(0, 0, 1, 1000, 32), 32);
	KUNIT_EXPECT_EQ(test, spc_credit(900, 0, 1, 1000, 32), 32);
	KUNIT_EXPECT_EQ(test, spc_credit(980, 0, 1, 1000, 32), 19);
	KUNIT_EXPECT_EQ(test, spc_credit(970, 10, 1, 1000, 32), 19);
	KUNIT_EXPECT_EQ(test, spc_credit(999, 0, 1, 1000, 32), 0);
	KUNIT_EXPECT_EQ(test, spc_credit(900, 0, 1, 1000, 3200), 99);
	KUNIT_EXPECT_EQ(test, spc_credit(488, 0, 512, 1000, 3200), 0);
	KUNIT_EXPECT_EQ(test, spc_credit(0, 0, 1, 1UL << 40, 3200), 3200);
}

static void spc_test_round(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, spc_batch(1), 32);
	KUNIT_EXPECT_EQ(test, spc_batch(SHRINK_PAGECACHE_WEIGHT_MAX), 3200);
	/* No limit, or within it: nothing to do. */
	KUNIT_EXPECT_EQ(test, spc_round_pages(1UL << 30, 0, 32, 1), 0);
	KUNIT_EXPECT_EQ(test, spc_round_pages(1000, 1000, 32, 1), 0);
	KUNIT_EXPECT_EQ(test, spc_round_pages(0, 1000, 32, 4), 0);
	/* What is over, at most a batch. */
	KUNIT_EXPECT_EQ(test, spc_round_pages(1001, 1000, 32, 1), 1);
	KUNIT_EXPECT_EQ(test, spc_round_pages(1032, 1000, 32, 1), 32);
	KUNIT_EXPECT_EQ(test, spc_round_pages(5000, 1000, 32, 1), 32);
	KUNIT_EXPECT_EQ(test, spc_round_pages(5000, 1000, 3200, 1), 3200);
	KUNIT_EXPECT_EQ(test, spc_round_pages(ULONG_MAX, 1, 3200, 1), 3200);
	/* Each CPU its share, rounded up: together no more than is over. */
	KUNIT_EXPECT_EQ(test, spc_round_pages(1001, 1000, 32, 64), 1);
	KUNIT_EXPECT_EQ(test, spc_round_pages(1000 + 3072, 1000, 3200, 64), 48);
	KUNIT_EXPECT_EQ(test, spc_round_pages(1000 + 3073, 1000, 3200, 64), 49);
	KUNIT_EXPECT_EQ(test, spc_round_pages(1000 + 640000, 1000, 3200, 64), 3200);
	KUNIT_EXPECT_EQ(test, spc_round_pages(2000, 1000, 3200, 0), 1000);
}

static void spc_test_limit_max(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, spc_limit_max(SZ_4G >> PAGE_SHIFT), 4096);
	KUNIT_EXPECT_EQ(test, spc_limit_max((SZ_1M >> PAGE_SHIFT) - 1), 0);
	KUNIT_EXPECT_EQ(test, spc_limit_max((SZ_4G >> PAGE_SHIFT) + 255), 4096);
	KUNIT_EXPECT_EQ(test, spc_limit_max(ULONG_MAX), ULONG_MAX >> (20 - PAGE_SHIFT));
	/* The largest limit in pages does not overflow. */
	KUNIT_EXPECT_EQ(test, spc_limit_max(ULONG_MAX) << (20 - PAGE_SHIFT),
			ULONG_MAX & ~((1UL << (20 - PAGE_SHIFT)) - 1));
}

#define SIM_CPUS	4

/*
 * CPUs that add one page at a time on credit, in turns of different
 * lengths, with exact counts: no new credit is granted over the limit, so
 * the page cache passes it by at most a batch per CPU; a CPU alone never
 * passes it.  A CPU over the limit reclaims a batch, as the hook does.
 */
static unsigned long spc_simulate(unsigned int cpus, unsigned long limit,
				  unsigned long batch, unsigned long steps)
{
	long credit[SIM_CPUS] = { };
	unsigned long count = 0, top = 0, i;

	for (i = 0; i < steps; i++) {
		unsigned int cpu = (i / (1 + i % 7)) % cpus;

		credit[cpu]--;
		if (credit[cpu] < 0) {
			credit[cpu] = 0;
			if (spc_cmp(count, 0, 1, limit) == SPC_UNDER)
				credit[cpu] = spc_credit(count, 0, 1, limit,
							 batch);
			else
				count -= min(count, batch);
		}
		count++;
		top = max(top, count);
	}
	return top;
}

static void spc_test_simulate(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, spc_simulate(1, 1000, 32, 100000), 1000);
	KUNIT_EXPECT_EQ(test, spc_simulate(1, 1000, 3200, 100000), 1000);
	KUNIT_EXPECT_LE(test, spc_simulate(2, 1000, 32, 100000), 1000 + 2 * 32);
	KUNIT_EXPECT_GE(test, spc_simulate(2, 1000, 32, 100000), 1000);
	KUNIT_EXPECT_LE(test, spc_simulate(SIM_CPUS, 1000, 32, 100000),
			1000 + SIM_CPUS * 32);
	KUNIT_EXPECT_LE(test, spc_simulate(SIM_CPUS, 100, 3200, 100000),
			100 + SIM_CPUS * 100);
	KUNIT_EXPECT_GE(test, spc_simulate(SIM_CPUS, 100, 3200, 100000), 100);
}

static struct kunit_case spc_test_cases[] = {
	KUNIT_CASE(spc_test_cmp),
	KUNIT_CASE(spc_test_credit),
	KUNIT_CASE(spc_test_round),
	KUNIT_CASE(spc_test_limit_max),
	KUNIT_CASE(spc_test_simulate),
	{}
};

static struct kunit_suite spc_test_suite = {
	.name = "shrink_pagecache",
	.test_cases = spc_test_cases,
};

kunit_test_suite(spc_test_suite);

MODULE_DESCRIPTION("KUnit tests of the page-cache limit");
MODULE_LICENSE("GPL");
