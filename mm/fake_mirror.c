// SPDX-License-Identifier: GPL-2.0
/*
 * mirrored_mem=SIZE@START[,SIZE@START...]: mark physical ranges as
 * mirrored on machines whose firmware cannot, for testing kernelcore=mirror
 * and kernelcore=reliable.  Test-only: nothing is really mirrored.  A
 * malformed list, a range not aligned to the memory block size, or a
 * second mirrored_mem= makes the kernel ignore all of them.
 */
#define pr_fmt(fmt) "mirrored_mem: " fmt

#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/memblock.h>
#include <linux/memory.h>
#include <linux/mem_reliable.h>
#include <linux/mm.h>
#include <linux/string.h>

#include "internal.h"

#define FAKE_MIRROR_MAX_RANGES	8

struct fake_mirror_range {
	phys_addr_t start;
	phys_addr_t size;
};

static struct fake_mirror_range fake_mirror[FAKE_MIRROR_MAX_RANGES] __initdata;
static int fake_mirror_nr __initdata;
static bool fake_mirror_seen __initdata;

static int __init parse_mirrored_mem(char *p)
{
	struct fake_mirror_range r[FAKE_MIRROR_MAX_RANGES];
	char *range, *end;
	int nr = 0;

	if (fake_mirror_seen) {
		pr_warn("given more than once, ignoring all\n");
		fake_mirror_nr = 0;
		return -EINVAL;
	}
	fake_mirror_seen = true;
	if (!p || !*p)
		return -EINVAL;

	for (;;) {
		range = p;
		if (!*range) {
			pr_warn("empty range after ',', ignoring all\n");
			return -EINVAL;
		}
		if (nr == FAKE_MIRROR_MAX_RANGES) {
			pr_warn("more than %d ranges, ignoring all\n",
				FAKE_MIRROR_MAX_RANGES);
			return -EINVAL;
		}
		r[nr].size = memparse(p, &end);
		if (end == p || *end != '@' || !r[nr].size)
			goto bad;
		p = end + 1;
		r[nr].start = memparse(p, &end);
		if (end == p || (*end && *end != ','))
			goto bad;
		if (!PAGE_ALIGNED(r[nr].start) || !PAGE_ALIGNED(r[nr].size) ||
		    r[nr].start + r[nr].size < r[nr].start)
			goto bad;
		nr++;
		if (!*end)
			break;
		p = end + 1;
	}

	memcpy(fake_mirror, r, sizeof(r));
	fake_mirror_nr = nr;
	return 0;
bad:
	pr_warn("bad range '%.*s', want SIZE@START; ignoring all\n",
		(int)strcspn(range, ","), range);
	return -EINVAL;
}
early_param("mirrored_mem", parse_mirrored_mem);

void __init fake_mirror_apply(void)
{
	int i;

	if (!fake_mirror_nr)
		return;
	if (!mirrored_kernelcore) {
		pr_info("ignored without kernelcore=mirror or kernelcore=reliable\n");
		return;
	}

	/*
	 * A range that ends inside a memory block leaves a partly mirrored
	 * block, or non-mirrored memory before the rounded-up start of
	 * ZONE_MOVABLE: refuse it, so that a test layout cannot produce
	 * either by accident.  max_pfn is known here, so the block size the
	 * architecture probes is already the final one.
	 */
	for (i = 0; i < fake_mirror_nr; i++) {
		unsigned long block = memory_block_size_bytes();

		if (!IS_ALIGNED(fake_mirror[i].start, block) ||
		    !IS_ALIGNED(fake_mirror[i].size, block)) {
			pr_warn("range %pa@%pa not aligned to the memory block size %lu MiB, ignoring all\n",
				&fake_mirror[i].size, &fake_mirror[i].start,
				block >> 20);
			return;
		}
	}

	for (i = 0; i < fake_mirror_nr; i++) {
		phys_addr_t start = fake_mirror[i].start;
		phys_addr_t end = start + fake_mirror[i].size - 1;

		if (!memblock_overlaps_region(&memblock.memory, start,
					      fake_mirror[i].size)) {
			pr_warn("[mem %pa-%pa] holds no RAM, ignored\n",
				&start, &end);
			continue;
		}
		if (memblock_mark_mirror(start, fake_mirror[i].size)) {
			pr_err("cannot mark [mem %pa-%pa]\n", &start, &end);
			continue;
		}
		pr_info("[mem %pa-%pa] marked mirrored (test only)\n",
			&start, &end);
	}
}
