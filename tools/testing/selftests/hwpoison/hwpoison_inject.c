// SPDX-License-Identifier: GPL-2.0
/*
 * hwpoison_inject: the injection paths and the bookkeeping.
 *
 *  - debugfs corrupt-pfn on a mapped page: HardwareCorrupted grows by
 *    exactly one page, the page's node counts one more failure (total and
 *    recovered), /proc/kpageflags shows it poisoned;
 *  - corrupt-pfn on a free page takes it off the free lists;
 *  - unpoison-pfn gives each back: the counters return to where they were;
 *  - madvise(MADV_SOFT_OFFLINE) moves the data to a new page and retires
 *    the old one; madvise(MADV_HWPOISON) on the caller's own page kills
 *    it with BUS_MCEERR_AR at once;
 *  - a poisoned page is never handed out again: most of the free memory
 *    is allocated and none of it is the poisoned page.
 *
 * hwpoison_inject nofill: the same without the fill of most of memory, for
 * a boot whose fill another boot of the same tiering setup already makes.
 *
 * hwpoison_inject panic: with vm.memory_failure_recovery=0 poison a page;
 * the machine must panic (the harness expects it).
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include "../kselftest.h"
#include "hwpoison_util.h"

static long psize;

struct counters {
	long long hc_kb, total, recovered;
};

static void read_counters(int nid, struct counters *c)
{
	c->hc_kb = hwp_hardware_corrupted_kb();
	c->total = hwp_node_stat(nid, "total");
	c->recovered = hwp_node_stat(nid, "recovered");
}

static char *new_page(int fill)
{
	char *p = mmap(NULL, psize, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		ksft_exit_fail_msg("mmap: %s\n", strerror(errno));
	memset(p, fill, psize);
	return p;
}

static bool poisoned(unsigned long pfn)
{
	return hwp_kpageflags(pfn) & (1ULL << KPF_HWPOISON);
}

/* A free page: the first buddy page in [@from, @to), 0 if none. */
static unsigned long free_pfn(unsigned long from, unsigned long to)
{
	int fd = open("/proc/kpageflags", O_RDONLY);
	unsigned long pfn, found = 0;
	uint64_t flags[512];
	ssize_t n;
	int i;

	for (pfn = from; fd >= 0 && !found && pfn < to; pfn += 512) {
		n = pread(fd, flags, sizeof(flags), pfn * sizeof(flags[0]));
		if (n <= 0)
			continue;	/* a hole */
		for (i = 0; i < n / (ssize_t)sizeof(flags[0]); i++)
			if (flags[i] & (1ULL << 10)) {	/* KPF_BUDDY */
				found = pfn + i;
				break;
			}
	}
	if (fd >= 0)
		close(fd);
	return found;
}

static sigjmp_buf jb;
static int bus_code;	/* set by the SIGBUS handler */

static void on_sigbus(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	__atomic_store_n(&bus_code, si->si_code, __ATOMIC_SEQ_CST);
	siglongjmp(jb, 1);
}

/* madvise(MADV_HWPOISON) on @p; returns the si_code of the SIGBUS, or 0. */
static int self_poison(char *p)
{
	struct sigaction sa = { .sa_sigaction = on_sigbus,
				.sa_flags = SA_SIGINFO };

	sigaction(SIGBUS, &sa, NULL);
	bus_code = 0;
	if (!sigsetjmp(jb, 1))
		madvise(p, psize, MADV_HWPOISON);
	signal(SIGBUS, SIG_DFL);
	return __atomic_load_n(&bus_code, __ATOMIC_SEQ_CST);
}

static int panic_mode(void)
{
	char *p = new_page(1);

	hwp_write_num("/proc/sys/vm/memory_failure_recovery", 0);
	hwp_corrupt_pfn(hwp_pfn(p));
	printf("not ok 1 still running after a memory failure with recovery off\n");
	return 1;
}

int main(int argc, char **argv)
{
	struct counters c0, c1, c2;
	unsigned long pfn, fpfn, old, bad[4], pages = 0;
	bool ok, fill = true;
	char *p;
	int nid, err, i;

	psize = sysconf(_SC_PAGESIZE);
	if (argc == 2 && !strcmp(argv[1], "panic"))
		return panic_mode();
	if (argc == 2 && !strcmp(argv[1], "nofill"))
		fill = false;
	else if (argc > 1)
		ksft_exit_fail_msg("usage: %s [nofill|panic]\n", argv[0]);

	/* Corruption behind our back must not signal us: late kill. */
	prctl(PR_MCE_KILL, PR_MCE_KILL_SET, PR_MCE_KILL_LATE, 0, 0);
	hwp_write_num("/proc/sys/vm/memory_failure_recovery", 1);
	ksft_print_header();
	ksft_set_plan(fill ? 14 : 13);

	/* 1. corrupt-pfn on a mapped anonymous page */
	p = new_page(0x11);
	pfn = hwp_pfn(p);
	nid = hwp_node_of(p);
	read_counters(nid, &c0);
	err = hwp_corrupt_pfn(pfn);
	read_counters(nid, &c1);
	ksft_test_result(!err && c1.hc_kb == c0.hc_kb + psize / 1024,
			 "corrupt-pfn: HardwareCorrupted %lld -> %lld kB\n",
			 c0.hc_kb, c1.hc_kb);
	ksft_test_result(c0.total >= 0 && c1.total == c0.total + 1 &&
			 c1.recovered == c0.recovered + 1,
			 "corrupt-pfn: node%d memory_failure total %lld -> %lld, recovered %lld -> %lld\n",
			 nid, c0.total, c1.total, c0.recovered, c1.recovered);
	ksft_test_result(poisoned(pfn) && hwp_pfn(p) == 0,
			 "corrupt-pfn: pfn %#lx poisoned and unmapped\n", pfn);
	munmap(p, psize);	/* never touched */
	bad[0] = pfn;

	/* 2. corrupt-pfn on a free page above 4 GiB */
	fpfn = free_pfn(0x100000, 0x1000000);
	read_counters(nid, &c0);
	err = hwp_corrupt_pfn(fpfn);
	read_counters(nid, &c1);
	ksft_test_result(fpfn && !err && poisoned(fpfn) &&
			 c1.hc_kb == c0.hc_kb + psize / 1024,
			 "corrupt-pfn on free pfn %#lx above 4 GiB: taken off the free lists\n",
			 fpfn);
	bad[1] = fpfn;

	/* 2b. and on a free page below 4 GiB (mirrored with kernelcore=reliable) */
	fpfn = free_pfn(0x10000, 0x100000);
	c0.hc_kb = hwp_hardware_corrupted_kb();
	err = hwp_corrupt_pfn(fpfn);
	c1.hc_kb = hwp_hardware_corrupted_kb();
	ksft_test_result(fpfn && fpfn < 0x100000 && !err && poisoned(fpfn) &&
			 c1.hc_kb == c0.hc_kb + psize / 1024,
			 "corrupt-pfn on free pfn %#lx below 4 GiB: taken off the free lists\n",
			 fpfn);
	bad[3] = fpfn;

	/* 3. soft offline keeps the data and retires the old page */
	p = new_page(0x77);
	old = hwp_pfn(p);
	read_counters(nid, &c0);
	err = madvise(p, psize, MADV_SOFT_OFFLINE);
	read_counters(nid, &c1);
	for (ok = true, i = 0; i < psize; i++)
		ok &= p[i] == 0x77;
	ksft_test_result(!err && ok && hwp_pfn(p) != old && poisoned(old) &&
			 c1.hc_kb == c0.hc_kb + psize / 1024,
			 "MADV_SOFT_OFFLINE: data kept, pfn %#lx -> %#lx, old one poisoned\n",
			 old, hwp_pfn(p));
	bad[2] = old;

	/* 4. madvise(MADV_HWPOISON) on our own page: AR at once */
	p = new_page(0x22);
	read_counters(nid, &c0);
	err = self_poison(p);	/* p is poisoned: never touch it again */
	read_counters(nid, &c1);
	ksft_test_result(err == BUS_MCEERR_AR &&
			 c1.hc_kb == c0.hc_kb + psize / 1024,
			 "MADV_HWPOISON: BUS_MCEERR_AR inside madvise (code %d)\n",
			 err);

	/* 5. poisoned pages are never handed out again */
	if (fill) {
		ok = !hwp_allocation_hits(bad, 4, 85, &pages);
		ksft_test_result(ok && pages > 1000,
				 "%lu pages allocated, none of the 4 poisoned ones\n",
				 pages);
	}

	/* 6. unpoison gives them back, exactly */
	read_counters(nid, &c1);
	for (i = 0, err = 0; i < 4; i++)
		err |= hwp_unpoison_pfn(bad[i]);
	read_counters(nid, &c2);
	ksft_test_result(!err && c2.hc_kb == c1.hc_kb - 4 * psize / 1024,
			 "unpoison-pfn: HardwareCorrupted %lld -> %lld kB\n",
			 c1.hc_kb, c2.hc_kb);
	ksft_test_result(!poisoned(bad[0]) && !poisoned(bad[1]) &&
			 !poisoned(bad[2]) && !poisoned(bad[3]),
			 "unpoison-pfn: PG_hwpoison cleared on all four\n");

	/* 7. bad input */
	err = hwp_unpoison_pfn(bad[1]);
	ksft_test_result(err == -EBUSY,
			 "unpoison-pfn of a page that is not poisoned: EBUSY (%d)\n",
			 err);
	err = hwp_corrupt_pfn(1ULL << 40);
	ksft_test_result(err == -ENXIO, "corrupt-pfn beyond memory: ENXIO (%d)\n",
			 err);
	err = hwp_write_num("/proc/sys/vm/memory_failure_recovery", 2);
	ksft_test_result(err == -EINVAL &&
			 hwp_read_num("/proc/sys/vm/memory_failure_recovery") == 1,
			 "memory_failure_recovery=2: EINVAL (%d), kept 1\n", err);
	err = hwp_write_num("/proc/sys/vm/memory_failure_early_kill", 2);
	ksft_test_result(err == -EINVAL &&
			 hwp_read_num("/proc/sys/vm/memory_failure_early_kill") == 0,
			 "memory_failure_early_kill=2: EINVAL (%d), kept 0\n", err);
	ksft_finished();
}
