// SPDX-License-Identifier: GPL-2.0
/*
 * mem_reliable_follow: a page keeps its tier when the kernel copies it on
 * someone else's behalf, checked page by page through pagemap and the
 * zones of the memory blocks.  Each case runs for an ordinary process
 * (its pages in ZONE_MOVABLE) and a reliable one (mirrored), and where
 * the copy runs in another task's context, from a task of the other tier.
 *
 *   mem_reliable_follow collapse   THP collapse: MADV_COLLAPSE and khugepaged
 *   mem_reliable_follow move       move_pages, mbind, migrate_pages to node 1
 *   mem_reliable_follow offline    offlining a ZONE_MOVABLE boot block of
 *                                  each node, then onlining it again
 *   mem_reliable_follow ksm        KSM merging: one KSM page per tier
 *   mem_reliable_follow bind       memory policies bound to node 1, which
 *                                  has no ZONE_MOVABLE: the tier wins over
 *                                  the node for an ordinary process
 *   mem_reliable_follow pin        a long-term pin (io_uring fixed buffers)
 *                                  moves an ordinary process's pages out
 *                                  of ZONE_MOVABLE, a reliable one's not
 *   mem_reliable_follow numa       NUMA balancing toward node 1 (no
 *                                  ZONE_MOVABLE): a reliable process's
 *                                  pages move there, an ordinary one's
 *                                  are not even tried
 */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <linux/io_uring.h>
#include "../kselftest.h"
#include "mem_reliable_util.h"

#define MiB		(1024UL * 1024)
#define THP		(2 * MiB)
#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE	25
#endif
#define MPOL_PREFERRED	1
#define MPOL_BIND	2
#define MPOL_INTERLEAVE	3
#define MPOL_PREFERRED_MANY	5
#define MPOL_WEIGHTED_INTERLEAVE	6
#define MPOL_MF_MOVE	2
#define MPOL_MF_STRICT	1

static struct mr_blocks blocks;

static bool all_in(const struct mr_tiers *t, unsigned long n, bool mirrored)
{
	return (mirrored ? t->mirrored : t->movable) == n &&
	       t->mirrored + t->movable == n && !t->unknown && !t->absent;
}

static int set_reliable(int pid, bool on)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/reliable", pid ?: getpid());
	return mr_write(path, on ? "1" : "0");
}

/* @len bytes aligned to @align, not yet touched. */
static char *map_aligned(size_t len, size_t align)
{
	char *p = mmap(NULL, len + align, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	return (char *)(((uintptr_t)p + align - 1) & ~(align - 1));
}

/* Is the page at @p part of a transparent huge page? */
static bool is_thp(const void *p)
{
	uint64_t pfn;

	return !mr_pfns(0, p, 1, &pfn) && pfn &&
	       (mr_kpageflags(pfn) & (1ULL << KPF_THP_BIT));
}

/*
 * 2 MiB of small pages: touched under MADV_NOHUGEPAGE, checked, then
 * eligible (khugepaged may collapse them at once from then on).
 */
static char *small_pages_region(void)
{
	char *p = map_aligned(THP, THP);

	if (!p || madvise(p, THP, MADV_NOHUGEPAGE))
		return NULL;
	memset(p, 0x3c, THP);
	if (is_thp(p) || madvise(p, THP, MADV_HUGEPAGE))
		return NULL;
	return p;
}

/* Child: collapse with MADV_COLLAPSE or wait for khugepaged; exit 0 if in tier. */
static int collapse_child(bool reliable, bool khugepaged)
{
	struct mr_tiers t;
	char *p;
	int i;

	if (reliable && set_reliable(0, true))
		return 10;
	p = small_pages_region();
	if (!p)
		return 11;
	if (mr_tiers_of(&blocks, 0, p, THP, &t) || !all_in(&t, THP / 4096, reliable))
		return 12;
	if (!khugepaged) {
		if (madvise(p, THP, MADV_COLLAPSE))
			return 13;
	} else {
		for (i = 0; i < 300 && !is_thp(p); i++)
			mr_sleep_ms(100);
	}
	if (!is_thp(p))
		return 14;
	if (mr_tiers_of(&blocks, 0, p, THP, &t) || !all_in(&t, THP / 4096, reliable)) {
		ksft_print_msg("collapsed page: %s\n", mr_tiers_str(&t));
		return 15;
	}
	for (i = 0; i < (int)THP; i++)
		if (p[i] != 0x3c)
			return 16;
	return 0;
}

static void collapse_case(bool reliable, bool khugepaged)
{
	int status;
	pid_t pid = fork();

	if (!pid)
		_exit(collapse_child(reliable, khugepaged));
	waitpid(pid, &status, 0);
	ksft_test_result(WIFEXITED(status) && !WEXITSTATUS(status),
			 "%s, %s process: the huge page is %s, data intact (status %d)\n",
			 khugepaged ? "khugepaged" : "MADV_COLLAPSE",
			 reliable ? "reliable" : "ordinary",
			 reliable ? "mirrored" : "in ZONE_MOVABLE",
			 WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

static void test_collapse(void)
{
	mr_write("/sys/kernel/mm/transparent_hugepage/enabled", "madvise");
	mr_write("/sys/kernel/mm/transparent_hugepage/khugepaged/scan_sleep_millisecs",
		 "10");
	mr_write("/sys/kernel/mm/transparent_hugepage/khugepaged/pages_to_scan",
		 "4096");
	collapse_case(false, false);
	collapse_case(true, false);
	/* khugepaged allocates for the mm it scans, not for itself. */
	collapse_case(false, true);
	collapse_case(true, true);
	mr_write("/sys/kernel/mm/transparent_hugepage/enabled", "always");
}

#define NPAGES	64

static long move_pages(int pid, unsigned long n, void **pages, const int *nodes,
		       int *status)
{
	return syscall(SYS_move_pages, pid, n, pages, nodes, status, 0);
}

/* Nodes of the pages of [@p, @p + NPAGES pages) of @pid; -1 if mixed. */
static int node_of(int pid, char *p)
{
	void *pages[NPAGES];
	int status[NPAGES], i, node = -2;

	for (i = 0; i < NPAGES; i++)
		pages[i] = p + i * 4096;
	if (move_pages(pid, NPAGES, pages, NULL, status))
		return -3;
	for (i = 0; i < NPAGES; i++) {
		if (node == -2)
			node = status[i];
		else if (status[i] != node)
			return -1;
	}
	return node;
}

static int bind_to(int node)
{
	unsigned long mask = 1UL << node;

	return syscall(SYS_set_mempolicy, MPOL_BIND, &mask, 64) ? -errno : 0;
}

struct owner {
	pid_t pid;
	char *p;
};

/* A child of tier @reliable with NPAGES pages on node 0, waiting. */
static struct owner owner(bool reliable)
{
	struct owner o = { -1, NULL };
	int fds[2];

	if (pipe(fds))
		return o;
	o.pid = fork();
	if (!o.pid) {
		char *p = mmap(NULL, NPAGES * 4096, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED || (reliable && set_reliable(0, true)) ||
		    bind_to(0))
			p = NULL;
		if (p)
			memset(p, 0x77, NPAGES * 4096);
		if (write(fds[1], &p, sizeof(p)) != sizeof(p))
			_exit(1);
		pause();
		_exit(0);
	}
	if (read(fds[0], &o.p, sizeof(o.p)) != sizeof(o.p))
		o.p = NULL;
	close(fds[0]);
	close(fds[1]);
	return o;
}

static void kill_owner(struct owner *o)
{
	kill(o->pid, SIGKILL);
	waitpid(o->pid, NULL, 0);
}

/* move_pages(2) on @o's pages, from this process. */
static bool move_all(struct owner *o, int node)
{
	void *pages[NPAGES];
	int nodes[NPAGES], status[NPAGES], i;

	for (i = 0; i < NPAGES; i++) {
		pages[i] = o->p + i * 4096;
		nodes[i] = node;
	}
	if (move_pages(o->pid, NPAGES, pages, nodes, status))
		return false;
	for (i = 0; i < NPAGES; i++)
		if (status[i] != node)
			return false;
	return true;
}

static void move_case(bool owner_reliable, bool mover_reliable)
{
	struct owner o = owner(owner_reliable);
	struct mr_tiers t0 = { 0 }, t1 = { 0 };
	int n0 = -9, n1 = -9;
	bool moved = false;

	set_reliable(0, mover_reliable);
	if (o.p) {
		n0 = node_of(o.pid, o.p);
		mr_tiers_of(&blocks, o.pid, o.p, NPAGES * 4096, &t0);
		moved = move_all(&o, 1);
		n1 = node_of(o.pid, o.p);
		mr_tiers_of(&blocks, o.pid, o.p, NPAGES * 4096, &t1);
	}
	kill_owner(&o);
	set_reliable(0, false);
	ksft_test_result(n0 == 0 && all_in(&t0, NPAGES, owner_reliable) && moved &&
			 n1 == 1 && all_in(&t1, NPAGES, owner_reliable),
			 "move_pages by a%s process: %s pages node %d (%s) -> node %d (%s)\n",
			 mover_reliable ? " reliable" : "n ordinary",
			 owner_reliable ? "reliable" : "ordinary", n0,
			 mr_tiers_str(&t0), n1, mr_tiers_str(&t1));
}

/* mbind(MPOL_MF_MOVE) of its own pages to node 1, in a child of a tier. */
static int mbind_child(bool reliable)
{
	unsigned long mask = 1UL << 1;
	struct mr_tiers t;
	char *p;

	if ((reliable && set_reliable(0, true)) || bind_to(0))
		return 10;
	p = mmap(NULL, NPAGES * 4096, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return 11;
	memset(p, 0x55, NPAGES * 4096);
	if (node_of(0, p) != 0)
		return 12;
	if (syscall(SYS_mbind, p, NPAGES * 4096, MPOL_BIND, &mask, 64,
		    MPOL_MF_MOVE | MPOL_MF_STRICT))
		return 13;
	if (node_of(0, p) != 1)
		return 14;
	if (mr_tiers_of(&blocks, 0, p, NPAGES * 4096, &t) ||
	    !all_in(&t, NPAGES, reliable))
		return 15;
	return p[4095] == 0x55 ? 0 : 16;
}

static void mbind_case(bool reliable)
{
	int status;
	pid_t pid = fork();

	if (!pid)
		_exit(mbind_child(reliable));
	waitpid(pid, &status, 0);
	ksft_test_result(WIFEXITED(status) && !WEXITSTATUS(status),
			 "mbind(MPOL_MF_MOVE) to node 1, %s process: pages %s (status %d)\n",
			 reliable ? "reliable" : "ordinary",
			 reliable ? "mirrored" : "in ZONE_MOVABLE",
			 WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

static void migrate_case(bool owner_reliable)
{
	struct owner o = owner(owner_reliable);
	unsigned long from = 1, to = 2;
	struct mr_tiers t = { 0 };
	long left = -1;
	int n = -9;

	/* From a process of the other tier. */
	set_reliable(0, !owner_reliable);
	if (o.p) {
		left = syscall(SYS_migrate_pages, o.pid, 64, &from, &to);
		n = node_of(o.pid, o.p);
		mr_tiers_of(&blocks, o.pid, o.p, NPAGES * 4096, &t);
	}
	set_reliable(0, false);
	kill_owner(&o);
	ksft_test_result(!left && n == 1 && all_in(&t, NPAGES, owner_reliable),
			 "migrate_pages(2) of a%s process to node 1: returned %ld, node %d, %s\n",
			 owner_reliable ? " reliable" : "n ordinary", left, n,
			 mr_tiers_str(&t));
}

static void test_move(void)
{
	move_case(false, false);
	move_case(false, true);
	move_case(true, false);
	move_case(true, true);
	mbind_case(false);
	mbind_case(true);
	migrate_case(false);
	migrate_case(true);
}

/* A ZONE_MOVABLE block of @node holding pages of [@p, @p + @len). */
static long movable_block_of(int node, char *p, size_t len)
{
	unsigned long n = len / 4096, i;
	uint64_t *pfn = malloc(n * sizeof(*pfn));
	long best = -1;

	if (!pfn || mr_pfns(0, p, n, pfn))
		goto out;
	for (i = 0; i < n; i++) {
		uint64_t id = pfn[i] / blocks.block_pages;
		char path[96];
		long nid;

		if (!pfn[i] || mr_pfn_tier(&blocks, pfn[i]) != 0)
			continue;
		snprintf(path, sizeof(path),
			 "/sys/devices/system/memory/memory%llu/node%d",
			 (unsigned long long)id, node);
		nid = access(path, F_OK) ? -1 : node;
		if (nid == node) {
			best = id;
			break;
		}
	}
out:
	free(pfn);
	return best;
}

static bool pages_outside(char *p, size_t len, long block)
{
	unsigned long n = len / 4096, i;
	uint64_t *pfn = malloc(n * sizeof(*pfn));
	bool ok = pfn && !mr_pfns(0, p, n, pfn);

	for (i = 0; ok && i < n; i++)
		if (!pfn[i] || (long)(pfn[i] / blocks.block_pages) == block)
			ok = false;
	free(pfn);
	return ok;
}

static void offline_case(int node)
{
	size_t len = 64 * MiB, i;
	char path[96], zones[64] = "", zones_off[64] = "", state[32] = "";
	struct mr_tiers t = { 0 };
	int off = 1, on = 1;
	bool intact = true;
	long block;
	char *p;

	bind_to(node);
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		 -1, 0);
	if (p == MAP_FAILED)
		ksft_exit_fail_msg("mmap\n");
	for (i = 0; i < len; i += 4096)
		memset(p + i, (char)(i >> 12), 64);
	block = movable_block_of(node, p, len);
	if (block >= 0) {
		snprintf(path, sizeof(path),
			 "/sys/devices/system/memory/memory%ld/valid_zones", block);
		mr_read(path, zones, sizeof(zones));
		snprintf(path, sizeof(path),
			 "/sys/devices/system/memory/memory%ld/state", block);
		off = mr_write(path, "offline");
		mr_read(path, state, sizeof(state));
		snprintf(path, sizeof(path),
			 "/sys/devices/system/memory/memory%ld/valid_zones", block);
		mr_read(path, zones_off, sizeof(zones_off));
		mr_tiers_of(&blocks, 0, p, len, &t);
		for (i = 0; i < len; i += 4096)
			if (p[i] != (char)(i >> 12))
				intact = false;
		intact = intact && pages_outside(p, len, block);
		snprintf(path, sizeof(path),
			 "/sys/devices/system/memory/memory%ld/state", block);
		on = mr_write(path, "online_movable");
	}
	ksft_test_result(block >= 0 && !strcmp(zones, "Movable"),
			 "node %d: boot block %ld of ZONE_MOVABLE reports valid_zones '%s'\n",
			 node, block, zones);
	ksft_test_result(!off && !strcmp(state, "offline") && intact &&
			 all_in(&t, len / 4096, false),
			 "node %d: block %ld offline (%s, now '%s'): pages moved out, still in ZONE_MOVABLE (%s), data intact\n",
			 node, block, off ? strerror(-off) : "ok", zones_off,
			 mr_tiers_str(&t));
	snprintf(path, sizeof(path), "/sys/devices/system/memory/memory%ld/state",
		 block);
	mr_read(path, state, sizeof(state));
	mr_blocks_load(&blocks);
	ksft_test_result(!on && !strcmp(state, "online") && block >= 0 &&
			 !strcmp(blocks.zone[block], "Movable"),
			 "node %d: block %ld online_movable again: %s, zone %s\n",
			 node, block, state, block >= 0 ? blocks.zone[block] : "-");
	munmap(p, len);
}

static void test_offline(void)
{
	offline_case(0);
	offline_case(1);
}

#define KSM_PAGES	64
#define KSM		"/sys/kernel/mm/ksm/"

/* A child of a tier with KSM_PAGES identical mergeable pages; reports them. */
static struct owner ksm_owner(bool reliable)
{
	struct owner o = { -1, NULL };
	int fds[2];

	if (pipe(fds))
		return o;
	o.pid = fork();
	if (!o.pid) {
		char *p = mmap(NULL, KSM_PAGES * 4096, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED || (reliable && set_reliable(0, true)))
			p = NULL;
		if (p) {
			memset(p, 0xa5, KSM_PAGES * 4096);
			if (madvise(p, KSM_PAGES * 4096, MADV_MERGEABLE))
				p = NULL;
		}
		if (write(fds[1], &p, sizeof(p)) != sizeof(p))
			_exit(1);
		pause();
		_exit(0);
	}
	if (read(fds[0], &o.p, sizeof(o.p)) != sizeof(o.p))
		o.p = NULL;
	close(fds[0]);
	close(fds[1]);
	return o;
}

/* KSM pages among @o's and their distinct PFNs in @pfns (up to 8). */
static int ksm_pfns(struct owner *o, uint64_t *pfns, int *distinct)
{
	uint64_t pfn[KSM_PAGES];
	int i, j, ksm = 0;

	*distinct = 0;
	if (mr_pfns(o->pid, o->p, KSM_PAGES, pfn))
		return -1;
	for (i = 0; i < KSM_PAGES; i++) {
		if (!pfn[i] || !(mr_kpageflags(pfn[i]) & (1ULL << KPF_KSM_BIT)))
			continue;
		ksm++;
		for (j = 0; j < *distinct && pfns[j] != pfn[i]; j++)
			;
		if (j == *distinct && *distinct < 8)
			pfns[(*distinct)++] = pfn[i];
	}
	return ksm;
}

static void test_ksm(void)
{
	struct owner a = ksm_owner(false), b = ksm_owner(true);
	uint64_t pa[8], pb[8];
	struct mr_tiers ta = { 0 }, tb = { 0 };
	int ka = 0, kb = 0, da = 0, db = 0, i, shared;

	mr_write(KSM "sleep_millisecs", "0");
	mr_write(KSM "pages_to_scan", "1000");
	mr_write(KSM "run", "1");
	for (i = 0; i < 400; i++) {
		ka = ksm_pfns(&a, pa, &da);
		kb = ksm_pfns(&b, pb, &db);
		/* Merging passes through pages that are KSM but not shared yet. */
		if (ka == KSM_PAGES && kb == KSM_PAGES && da == 1 && db == 1)
			break;
		mr_sleep_ms(100);
	}
	shared = mr_read_ll(KSM "pages_shared", -1);
	mr_tiers_of(&blocks, a.pid, a.p, KSM_PAGES * 4096, &ta);
	mr_tiers_of(&blocks, b.pid, b.p, KSM_PAGES * 4096, &tb);
	kill_owner(&a);
	kill_owner(&b);
	mr_write(KSM "run", "2");

	ksft_test_result(ka == KSM_PAGES && kb == KSM_PAGES && da == 1 && db == 1,
			 "KSM merged each process's identical pages: %d and %d KSM pages, %d and %d distinct\n",
			 ka, kb, da, db);
	ksft_test_result(da == 1 && db == 1 && pa[0] != pb[0] && shared == 2,
			 "one KSM page per tier, not one for both (pages_shared %d)\n",
			 shared);
	ksft_test_result(all_in(&ta, KSM_PAGES, false) && all_in(&tb, KSM_PAGES, true),
			 "ordinary process: %s; reliable process: %s\n",
			 mr_tiers_str(&ta), mr_tiers_str(&tb));
}

#define BIND_PAGES	4096	/* 16 MiB */

/* Pages of [@p, @p + @n pages) on node 0 and on node 1, and unknown. */
static void nodes_count(char *p, unsigned long n, unsigned long cnt[3])
{
	void *pages[64];
	int status[64];
	unsigned long i, j;

	memset(cnt, 0, 3 * sizeof(*cnt));
	for (i = 0; i < n; i += 64) {
		for (j = 0; j < 64; j++)
			pages[j] = p + (i + j) * 4096;
		if (move_pages(0, 64, pages, NULL, status)) {
			cnt[2] += 64;
			continue;
		}
		for (j = 0; j < 64; j++)
			cnt[status[j] == 0 ? 0 : status[j] == 1 ? 1 : 2]++;
	}
}

enum bind_how { BIND_TASK, BIND_RANGE, BIND_MOVE };

/* On node 0's CPU, so that node 1 is never the local node. */
static int pin_cpu0(void)
{
	cpu_set_t cpu0;

	CPU_ZERO(&cpu0);
	CPU_SET(0, &cpu0);
	return sched_setaffinity(0, sizeof(cpu0), &cpu0);
}

/*
 * In a child of tier @reliable: BIND_PAGES pages under MPOL_BIND to
 * @mask, given by set_mempolicy() before the faults (BIND_TASK), by mbind()
 * of the range before (BIND_RANGE), or by mbind(MPOL_MF_MOVE |
 * MPOL_MF_STRICT) after the faults on node 0 (BIND_MOVE, which must move
 * a reliable process's pages and fail with EIO for an ordinary one).
 * The pages must be all in the tier of @reliable and all on node @node.
 * An alarm ends a fault that retries for ever.
 */
static int bind_child(bool reliable, unsigned long mask, enum bind_how how,
		      int node)
{
	static uint64_t before[BIND_PAGES], after[BIND_PAGES];
	size_t len = BIND_PAGES * 4096UL;
	unsigned long cnt[3], node0 = 1;
	struct mr_tiers t;
	char *p;

	alarm(60);
	if (set_reliable(0, reliable))
		return 10;
	if (pin_cpu0())
		return 20;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED || madvise(p, len, MADV_NOHUGEPAGE))
		return 11;
	if (how == BIND_TASK &&
	    syscall(SYS_set_mempolicy, MPOL_BIND, &mask, 64))
		return 12;
	if (how == BIND_RANGE &&
	    syscall(SYS_mbind, p, len, MPOL_BIND, &mask, 64, 0))
		return 13;
	if (how == BIND_MOVE &&
	    syscall(SYS_mbind, p, len, MPOL_BIND, &node0, 64, 0))
		return 14;
	memset(p, 0x5a, len);
	if (how == BIND_MOVE) {
		long r;

		if (mr_pfns(0, p, BIND_PAGES, before))
			return 21;
		r = syscall(SYS_mbind, p, len, MPOL_BIND, &mask, 64,
			    MPOL_MF_MOVE | MPOL_MF_STRICT);
		/* Node 1 has mirrored memory but no ZONE_MOVABLE. */
		if (reliable ? r : r != -1 || errno != EIO)
			return 15;
		/* An ordinary page is not even copied within node 0. */
		if (!reliable && (mr_pfns(0, p, BIND_PAGES, after) ||
				  memcmp(before, after, sizeof(before))))
			return 22;
	}
	if (mr_tiers_of(&blocks, 0, p, len, &t))
		return 16;
	nodes_count(p, BIND_PAGES, cnt);
	ksft_print_msg("bind %#lx: %s; node 0 %lu, node 1 %lu, unknown %lu\n",
		       mask, mr_tiers_str(&t), cnt[0], cnt[1], cnt[2]);
	if (!all_in(&t, BIND_PAGES, reliable))
		return 17;
	if (cnt[node] != BIND_PAGES)
		return 18;
	return p[len - 1] == 0x5a ? 0 : 19;
}

static void bind_case(bool reliable, unsigned long mask, enum bind_how how,
		      int node, const char *what)
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (!pid)
		_exit(bind_child(reliable, mask, how, node));
	waitpid(pid, &status, 0);
	ksft_test_result(WIFEXITED(status) && !WEXITSTATUS(status),
			 "%s process, %s: 16 MiB %s on node %d (status %d, signal %d)\n",
			 reliable ? "reliable" : "ordinary", what,
			 reliable ? "mirrored" : "in ZONE_MOVABLE", node,
			 WIFEXITED(status) ? WEXITSTATUS(status) : -1,
			 WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

#define KEEP_LEN	(2 * THP)

/*
 * Is the 2 MiB at @p one PMD-sized huge page: 512 contiguous frames from
 * a 2 MiB-aligned one, part of a THP (KPF_THP alone would also pass a
 * smaller mTHP)?
 */
static bool is_pmd_thp(const char *p)
{
	uint64_t first, last;

	return is_thp(p) && !mr_pfns(0, p, 1, &first) &&
	       !mr_pfns(0, p + THP - 4096, 1, &last) &&
	       !(first % (THP / 4096)) && last == first + THP / 4096 - 1;
}

/*
 * An ordinary child's 4 MiB on node 0, two transparent huge pages (@thp)
 * or small pages, then mbind(@mode, node 1, MPOL_MF_MOVE): node 1 has no
 * ZONE_MOVABLE, so nothing may move, be copied or be split.  With
 * MPOL_MF_STRICT the call must fail with EIO, without it succeed.
 */
static int keep_child(int mode, bool thp)
{
	static uint64_t before[KEEP_LEN / 4096], after[KEEP_LEN / 4096];
	unsigned long node0 = 1, node1 = 2, i;
	char *p;

	alarm(60);
	if (set_reliable(0, false) || pin_cpu0())
		return 10;
	p = map_aligned(KEEP_LEN, THP);
	if (!p || madvise(p, KEEP_LEN, thp ? MADV_HUGEPAGE : MADV_NOHUGEPAGE) ||
	    syscall(SYS_mbind, p, KEEP_LEN, MPOL_BIND, &node0, 64, 0))
		return 11;
	memset(p, 0x6b, KEEP_LEN);
	if (thp && (!is_pmd_thp(p) || !is_pmd_thp(p + THP)))
		return 12;
	if (mr_pfns(0, p, KEEP_LEN / 4096, before))
		return 13;
	if (syscall(SYS_mbind, p, KEEP_LEN, mode, &node1, 64,
		    MPOL_MF_MOVE | MPOL_MF_STRICT) != -1 || errno != EIO)
		return 14;
	if (syscall(SYS_mbind, p, KEEP_LEN, mode, &node1, 64, MPOL_MF_MOVE))
		return 15;
	if (mr_pfns(0, p, KEEP_LEN / 4096, after))
		return 16;
	for (i = 0; i < KEEP_LEN / 4096; i++)
		if (before[i] != after[i] || !before[i])
			return 17;
	if (thp && (!is_pmd_thp(p) || !is_pmd_thp(p + THP)))
		return 18;
	for (i = 0; i < KEEP_LEN; i += 4096)
		if (p[i] != 0x6b)
			return 19;
	return 0;
}

static void keep_case(int mode, bool thp, const char *what)
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (!pid)
		_exit(keep_child(mode, thp));
	waitpid(pid, &status, 0);
	ksft_test_result(WIFEXITED(status) && !WEXITSTATUS(status),
			 "ordinary process, mbind(%s, node 1, MPOL_MF_MOVE) of 4 MiB of %s: EIO with MPOL_MF_STRICT, nothing moved, copied or split (status %d, signal %d)\n",
			 what, thp ? "huge pages" : "small pages",
			 WIFEXITED(status) ? WEXITSTATUS(status) : -1,
			 WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

#define DEFRAG	"/sys/kernel/mm/transparent_hugepage/defrag"

/*
 * An ordinary child on CPU 1, of node 1 (no ZONE_MOVABLE), faults 4 MiB
 * under MADV_HUGEPAGE with THP defrag "never" (no direct reclaim): the
 * local-node-only attempt cannot succeed there, and the fault must still
 * get two huge pages, from ZONE_MOVABLE of node 0.
 */
static int thp_remote_child(void)
{
	unsigned long cnt[3];
	struct mr_tiers t;
	cpu_set_t cpu1;
	char *p;

	alarm(60);
	CPU_ZERO(&cpu1);
	CPU_SET(1, &cpu1);
	if (set_reliable(0, false) ||
	    sched_setaffinity(0, sizeof(cpu1), &cpu1))
		return 10;
	p = map_aligned(KEEP_LEN, THP);
	if (!p || madvise(p, KEEP_LEN, MADV_HUGEPAGE))
		return 11;
	memset(p, 0x4d, KEEP_LEN);
	if (!is_pmd_thp(p) || !is_pmd_thp(p + THP))
		return 12;
	if (mr_tiers_of(&blocks, 0, p, KEEP_LEN, &t))
		return 13;
	nodes_count(p, KEEP_LEN / 4096, cnt);
	ksft_print_msg("THP on CPU 1: %s; node 0 %lu, node 1 %lu, unknown %lu\n",
		       mr_tiers_str(&t), cnt[0], cnt[1], cnt[2]);
	if (!all_in(&t, KEEP_LEN / 4096, false) || cnt[0] != KEEP_LEN / 4096)
		return 14;
	return p[KEEP_LEN - 1] == 0x4d ? 0 : 15;
}

static void thp_remote_case(void)
{
	char old[128], *sel, *end;
	int status = -1;
	pid_t pid;

	/* "always defer defer+madvise [madvise] never": keep the selection */
	if (access("/sys/devices/system/cpu/cpu1/node1", F_OK) ||
	    mr_read(DEFRAG, old, sizeof(old)))
		old[0] = 0;
	sel = strchr(old, '[');
	end = sel ? strchr(sel, ']') : NULL;
	if (!end) {
		ksft_test_result_fail("ordinary process on CPU 1: %s\n",
				      "needs CPU 1 on node 1 and " DEFRAG);
		return;
	}
	*end = 0;
	if (mr_write(DEFRAG, "never")) {
		ksft_test_result_fail("cannot set %s to never\n", DEFRAG);
		return;
	}
	fflush(stdout);
	pid = fork();
	if (!pid)
		_exit(thp_remote_child());
	waitpid(pid, &status, 0);
	if (mr_write(DEFRAG, sel + 1))
		ksft_print_msg("cannot restore %s to %s\n", DEFRAG, sel + 1);
	ksft_test_result(WIFEXITED(status) && !WEXITSTATUS(status),
			 "ordinary process on CPU 1 of node 1 (no ZONE_MOVABLE), THP defrag never: 4 MiB in 2 huge pages in ZONE_MOVABLE of node 0 (status %d, signal %d)\n",
			 WIFEXITED(status) ? WEXITSTATUS(status) : -1,
			 WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

/* MemTotal of node @nid in kB, 0 if unknown. */
static unsigned long node_memtotal_kb(int nid)
{
	unsigned long kb = 0;
	char path[64], line[128];
	FILE *f;

	snprintf(path, sizeof(path), "/sys/devices/system/node/node%d/meminfo", nid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Node %*d MemTotal: %lu kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

/*
 * A reliable child binds a range to node 1 with mbind() and touches 64 MiB
 * more than node 1 has: node 1's mirrored memory fills, the rest must fall
 * back to ZONE_MOVABLE of node 0 (node 1 has none), not fault for ever.
 * (Bound with set_mempolicy(), its page tables would follow the task's
 * policy to the full node 1, and the OOM killer end it, as upstream.)
 * Every page must be mirrored on node 1 or in ZONE_MOVABLE on node 0, at
 * least 64 MiB of them in ZONE_MOVABLE.
 */
static int fill_child(void)
{
	unsigned long total_kb, n, cnt[3], mask = 2, i;
	struct mr_tiers t;
	size_t len;
	char *p;

	alarm(120);
	if (set_reliable(0, true) || pin_cpu0())
		return 10;
	total_kb = node_memtotal_kb(1);
	if (!total_kb)
		return 11;
	/* Whole batches of 64 pages for nodes_count(). */
	n = ((total_kb * 1024 + 64 * MiB) / 4096) & ~63UL;
	len = n * 4096;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED || madvise(p, len, MADV_NOHUGEPAGE) ||
	    syscall(SYS_mbind, p, len, MPOL_BIND, &mask, 64, 0))
		return 12;
	for (i = 0; i < n; i++)
		p[i * 4096] = (char)i;
	if (mr_tiers_of(&blocks, 0, p, len, &t))
		return 13;
	nodes_count(p, n, cnt);
	ksft_print_msg("reliable, bound to node 1, %lu pages: %s; ", n,
		       mr_tiers_str(&t));
	printf("node 0 %lu, node 1 %lu, unknown %lu\n", cnt[0], cnt[1], cnt[2]);
	if (t.mirrored + t.movable != n || cnt[0] + cnt[1] != n)
		return 14;
	if (t.movable != cnt[0] || t.movable < 64 * MiB / 4096)
		return 15;
	for (i = 0; i < n; i++)
		if (p[i * 4096] != (char)i)
			return 16;
	return 0;
}

static void test_bind(void)
{
	struct mr_zone z[16];
	int nr = mr_zoneinfo(z, 16), status;
	pid_t pid;

	if (nr < 0 || !mr_zone_present(z, nr, 0, "Movable") ||
	    mr_zone_present(z, nr, 1, "Movable"))
		ksft_exit_fail_msg("needs ZONE_MOVABLE on node 0 and none on node 1\n");
	bind_case(false, 2, BIND_TASK, 0, "set_mempolicy(MPOL_BIND, node 1)");
	bind_case(false, 2, BIND_RANGE, 0, "mbind(MPOL_BIND, node 1)");
	bind_case(false, 3, BIND_TASK, 0, "set_mempolicy(MPOL_BIND, nodes 0-1)");
	bind_case(false, 2, BIND_MOVE, 0,
		  "mbind(MPOL_MF_MOVE | MPOL_MF_STRICT, node 1): EIO, nothing moved");
	bind_case(true, 2, BIND_TASK, 1, "set_mempolicy(MPOL_BIND, node 1)");
	bind_case(true, 2, BIND_MOVE, 1,
		  "mbind(MPOL_MF_MOVE | MPOL_MF_STRICT, node 1): moved");
	keep_case(MPOL_BIND, true, "MPOL_BIND");
	keep_case(MPOL_PREFERRED, false, "MPOL_PREFERRED");
	keep_case(MPOL_PREFERRED, true, "MPOL_PREFERRED");
	keep_case(MPOL_PREFERRED_MANY, false, "MPOL_PREFERRED_MANY");
	keep_case(MPOL_INTERLEAVE, false, "MPOL_INTERLEAVE");
	keep_case(MPOL_INTERLEAVE, true, "MPOL_INTERLEAVE");
	keep_case(MPOL_WEIGHTED_INTERLEAVE, false, "MPOL_WEIGHTED_INTERLEAVE");
	thp_remote_case();

	fflush(stdout);
	pid = fork();
	if (!pid)
		_exit(fill_child());
	waitpid(pid, &status, 0);
	ksft_test_result(WIFEXITED(status) && !WEXITSTATUS(status),
			 "reliable process, mbind(MPOL_BIND, node 1) of more than node 1 has: the rest in ZONE_MOVABLE of node 0 (status %d, signal %d)\n",
			 WIFEXITED(status) ? WEXITSTATUS(status) : -1,
			 WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

/*
 * In a child of tier @reliable: NPAGES pages registered as an io_uring
 * fixed buffer, a long-term pin.  ZONE_MOVABLE may hold no such pin, so
 * an ordinary process's pages are migrated out of it first, and the only
 * memory outside it is mirrored: they must all be mirrored afterwards,
 * every one at a new PFN, and the registration must succeed.  A reliable
 * process's pages are mirrored already and must keep their PFNs.  The
 * data must be intact, and the buffer unregister.
 */
static int pin_child(bool reliable)
{
	uint64_t before[NPAGES], after[NPAGES];
	struct io_uring_params par = { 0 };
	size_t len = NPAGES * 4096UL;
	int fd, i, same = 0;
	struct mr_tiers t;
	struct iovec iov;
	char *p;

	alarm(60);
	if (set_reliable(0, reliable))
		return 10;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED || madvise(p, len, MADV_NOHUGEPAGE))
		return 11;
	for (i = 0; i < NPAGES; i++)
		memset(p + i * 4096, 0x40 + i, 4096);
	if (mr_tiers_of(&blocks, 0, p, len, &t) ||
	    !all_in(&t, NPAGES, reliable) || mr_pfns(0, p, NPAGES, before))
		return 12;
	fd = syscall(SYS_io_uring_setup, 1, &par);
	if (fd < 0)
		return 13;
	iov.iov_base = p;
	iov.iov_len = len;
	if (syscall(SYS_io_uring_register, fd, IORING_REGISTER_BUFFERS, &iov, 1)) {
		ksft_print_msg("IORING_REGISTER_BUFFERS: %s\n", strerror(errno));
		return 14;
	}
	if (mr_tiers_of(&blocks, 0, p, len, &t) || mr_pfns(0, p, NPAGES, after))
		return 15;
	for (i = 0; i < NPAGES; i++)
		same += before[i] == after[i];
	ksft_print_msg("%s, pinned: %s; %d of %d PFNs unchanged\n",
		       reliable ? "reliable" : "ordinary", mr_tiers_str(&t), same,
		       NPAGES);
	if (!all_in(&t, NPAGES, true))
		return 16;
	if (same != (reliable ? NPAGES : 0))
		return 17;
	for (i = 0; i < NPAGES; i++)
		if (p[i * 4096] != (char)(0x40 + i) ||
		    p[i * 4096 + 4095] != (char)(0x40 + i))
			return 18;
	if (syscall(SYS_io_uring_register, fd, IORING_UNREGISTER_BUFFERS, NULL, 0))
		return 19;
	close(fd);
	return 0;
}

static void test_pin(void)
{
	int status = -1, i;
	pid_t pid;

	for (i = 0; i < 2; i++) {
		fflush(stdout);
		pid = fork();
		if (!pid)
			_exit(pin_child(i));
		waitpid(pid, &status, 0);
		ksft_test_result(WIFEXITED(status) && !WEXITSTATUS(status),
				 "io_uring fixed buffer (long-term pin) of a%s process: %s (status %d, signal %d)\n",
				 i ? " reliable" : "n ordinary",
				 i ? "stays where it is, mirrored" :
				 "moved out of ZONE_MOVABLE, to mirrored memory",
				 WIFEXITED(status) ? WEXITSTATUS(status) : -1,
				 WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	}
}

#define NUMA_PAGES	4096	/* 16 MiB */
#define NUMA_DEBUGFS	"/sys/kernel/debug/sched/numa_balancing/"

enum { HINT, MIGRATED, FAILED, NR_NUMA_STATS };
static const char * const numa_stat_names[] = {
	"numa_hint_faults", "numa_pages_migrated", "pgmigrate_fail",
};

/* Where numa_child()'s reads go, so that they are not optimised away. */
char numa_sink;

static int numa_stats(long long v[NR_NUMA_STATS])
{
	int i;

	for (i = 0; i < NR_NUMA_STATS; i++) {
		v[i] = mr_vmstat(numa_stat_names[i]);
		if (v[i] < 0)
			return -1;
	}
	return 0;
}

/*
 * In a child of tier @reliable: NUMA_PAGES pages (small ones, or with @thp
 * 8 huge pages) written on CPU 0 (node 0: mirrored for a reliable process,
 * ZONE_MOVABLE for an ordinary one), then read over and over on CPU 1, of
 * node 1, which has mirrored memory only, while NUMA balancing scans.  A
 * reliable process's pages must all move to node 1 and stay mirrored.  An
 * ordinary process's pages cannot move there (no ZONE_MOVABLE on node 1):
 * after a hinting fault on each page or huge page (one scan; the first
 * fault of a single task is enough to migrate, as the reliable case shows)
 * and 20 more rounds, none may have been tried (pgmigrate_fail unchanged;
 * upstream isolates the folio, fails the allocation on node 1 and puts it
 * back on each fault), and all must still be in ZONE_MOVABLE of node 0,
 * huge pages still huge.
 */
static int numa_child(bool reliable, bool thp)
{
	long long start[NR_NUMA_STATS], before[NR_NUMA_STATS], now[NR_NUMA_STATS];
	size_t len = NUMA_PAGES * 4096UL;
	unsigned long cnt[3] = { 0 }, i, round, settle = 0;
	struct timespec t0, t1;
	/* One hinting fault a page, or a huge page */
	long long faults = thp ? NUMA_PAGES / 512 : NUMA_PAGES;
	struct mr_tiers t;
	cpu_set_t cpu1;
	bool done = false;
	char *p;

	alarm(150);
	if (numa_stats(start) || set_reliable(0, reliable) || pin_cpu0())
		return 10;
	p = map_aligned(len, THP);
	if (!p || madvise(p, len, thp ? MADV_HUGEPAGE : MADV_NOHUGEPAGE))
		return 11;
	for (i = 0; i < NUMA_PAGES; i++)
		memset(p + i * 4096, (char)(i + 1), 4096);
	for (i = 0; thp && i < len; i += THP)
		if (!is_pmd_thp(p + i))
			return 12;
	nodes_count(p, NUMA_PAGES, cnt);
	if (mr_tiers_of(&blocks, 0, p, len, &t) ||
	    !all_in(&t, NUMA_PAGES, reliable) || cnt[0] != NUMA_PAGES) {
		ksft_print_msg("before: %s; node 0 %lu\n", mr_tiers_str(&t), cnt[0]);
		return 12;
	}
	CPU_ZERO(&cpu1);
	CPU_SET(1, &cpu1);
	if (sched_setaffinity(0, sizeof(cpu1), &cpu1) || numa_stats(before))
		return 13;
	if (before[HINT] - start[HINT] >= faults / 2) {
		ksft_print_msg("%lld hinting faults on CPU 0: scanned too early\n",
			       before[HINT] - start[HINT]);
		return 20;
	}
	/*
	 * Busy, not sleeping: NUMA balancing scans after so much of the
	 * task's CPU time, counted at timer ticks that find it running.
	 */
	for (round = 0; !done && round < 1200; round++) {
		clock_gettime(CLOCK_MONOTONIC, &t0);
		do {
			for (i = 0; i < NUMA_PAGES; i++)
				numa_sink += p[i * 4096 + (round & 4095)];
			clock_gettime(CLOCK_MONOTONIC, &t1);
		} while ((t1.tv_sec - t0.tv_sec) * 1000000000L +
			 t1.tv_nsec - t0.tv_nsec < 50000000L);
		if (numa_stats(now))
			return 13;
		if (reliable) {
			nodes_count(p, NUMA_PAGES, cnt);
			done = cnt[1] == NUMA_PAGES;
		} else if (!settle) {
			settle = now[HINT] - before[HINT] >= faults ? 20 : 0;
		} else {
			done = !--settle;
		}
	}
	nodes_count(p, NUMA_PAGES, cnt);
	if (mr_tiers_of(&blocks, 0, p, len, &t))
		return 13;
	ksft_print_msg("%s after %lu rounds: %s; node 0 %lu, node 1 %lu; ",
		       reliable ? "reliable" : "ordinary", round, mr_tiers_str(&t),
		       cnt[0], cnt[1]);
	printf("hint faults %lld, migrated %lld, migration failures %lld\n",
	       now[HINT] - before[HINT], now[MIGRATED] - before[MIGRATED],
	       now[FAILED] - before[FAILED]);
	if (!done)
		return 14;
	if (now[FAILED] != before[FAILED])
		return 15;
	if (!all_in(&t, NUMA_PAGES, reliable) ||
	    cnt[reliable ? 1 : 0] != NUMA_PAGES)
		return 16;
	if (reliable && now[MIGRATED] - before[MIGRATED] < NUMA_PAGES)
		return 17;
	for (i = 0; thp && i < len; i += THP)
		if (!is_pmd_thp(p + i))
			return 19;
	for (i = 0; i < NUMA_PAGES; i++)
		if (p[i * 4096] != (char)(i + 1) ||
		    p[i * 4096 + 4095] != (char)(i + 1))
			return 18;
	return 0;
}

/*
 * Free pages of node 1: below its high watermark plus the folio, upstream
 * refuses a migration there before trying it (migrate_balanced_pgdat()),
 * and the ordinary case would pass without the check it is for.
 */
static unsigned long node1_free(void)
{
	struct mr_zone z[16];
	int nr = mr_zoneinfo(z, 16), i;
	unsigned long sum = 0;

	for (i = 0; i < nr; i++)
		if (z[i].node == 1)
			sum += z[i].free;
	return sum;
}

static void numa_case(bool reliable, bool thp)
{
	unsigned long free = node1_free();
	int status = -1;
	pid_t pid;

	if (free < 4 * NUMA_PAGES) {
		ksft_test_result_fail("node 1 has %lu free pages, needs %d\n",
				      free, 4 * NUMA_PAGES);
		return;
	}
	fflush(stdout);
	pid = fork();
	if (!pid)
		_exit(numa_child(reliable, thp));
	waitpid(pid, &status, 0);
	ksft_test_result(WIFEXITED(status) && !WEXITSTATUS(status),
			 "NUMA balancing, %s process on CPU 1 of node 1 (mirrored only), %s: %s (status %d, signal %d)\n",
			 reliable ? "reliable" : "ordinary",
			 thp ? "8 huge pages" : "4096 small pages",
			 reliable ? "moved to node 1, mirrored" :
			 "not tried, still in ZONE_MOVABLE of node 0",
			 WIFEXITED(status) ? WEXITSTATUS(status) : -1,
			 WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

/*
 * NUMA balancing on, scanning every 100 to 200 ms of a task's CPU time
 * from 2 s after its fork (by when a child of numa_child() has written its
 * pages on CPU 0 and runs on CPU 1: the first scan finds it there), for
 * each case; everything as before afterwards.
 */
static void test_numa(void)
{
	static const char * const knob[] = {
		"/proc/sys/kernel/numa_balancing",
		NUMA_DEBUGFS "scan_delay_ms",
		NUMA_DEBUGFS "scan_period_min_ms",
		NUMA_DEBUGFS "scan_period_max_ms",
	};
	static const char * const val[] = { "1", "2000", "100", "200" };
	char old[4][32];
	struct mr_zone z[16];
	int nr = mr_zoneinfo(z, 16), i, set;

	if (nr < 0 || !mr_zone_present(z, nr, 0, "Movable") ||
	    mr_zone_present(z, nr, 1, "Movable") ||
	    access("/sys/devices/system/cpu/cpu1/node1", F_OK))
		ksft_exit_fail_msg("needs %s\n",
				   "ZONE_MOVABLE on node 0, none on node 1, CPU 1 on node 1");
	for (set = 0; set < 4; set++) {
		if (mr_read(knob[set], old[set], sizeof(old[set])) ||
		    mr_write(knob[set], val[set])) {
			ksft_print_msg("cannot set %s to %s\n", knob[set], val[set]);
			break;
		}
	}
	if (set == 4) {
		numa_case(true, false);
		numa_case(false, false);
		numa_case(false, true);
	}
	for (i = set - 1; i >= 0; i--)
		if (mr_write(knob[i], old[i]))
			ksft_print_msg("cannot restore %s to %s\n", knob[i], old[i]);
	if (set < 4)
		ksft_exit_fail_msg("NUMA balancing could not be set up\n");
}

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "";

	ksft_print_header();
	if (mr_blocks_load(&blocks))
		ksft_exit_fail_msg("cannot read the memory blocks\n");
	if (!strcmp(what, "collapse")) {
		ksft_set_plan(4);
		test_collapse();
	} else if (!strcmp(what, "move")) {
		ksft_set_plan(8);
		test_move();
	} else if (!strcmp(what, "offline")) {
		ksft_set_plan(6);
		test_offline();
	} else if (!strcmp(what, "ksm")) {
		ksft_set_plan(3);
		test_ksm();
	} else if (!strcmp(what, "bind")) {
		ksft_set_plan(15);
		test_bind();
	} else if (!strcmp(what, "pin")) {
		ksft_set_plan(2);
		test_pin();
	} else if (!strcmp(what, "numa")) {
		ksft_set_plan(3);
		test_numa();
	} else {
		ksft_exit_fail_msg("usage: %s collapse|move|offline|ksm|pin|bind|numa\n",
				   argv[0]);
	}
	ksft_finished();
}
