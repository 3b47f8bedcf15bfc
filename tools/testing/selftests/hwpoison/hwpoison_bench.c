// SPDX-License-Identifier: GPL-2.0
/*
 * hwpoison_bench N...: memory_failure() latency for a page mapped by one
 * process while N unrelated processes exist, for each N given.
 *
 * The other processes are idle (asleep in pause()) before any round
 * starts.  Each round maps a fresh page and poisons it with debugfs
 * corrupt-pfn; the time of that write is memory_failure()'s latency.  The
 * page is either anonymous (private, found through its anon_vma) or a
 * page of a tmpfs file mapped shared (found through the file's mapping
 * tree).  Rounds are made with every process late-kill, then with
 * vm.memory_failure_early_kill=1 (every other process early-kill).
 * Prints "N <n> <late|early> <anon|file> median_ns <t> min_ns <t>" per N,
 * and fails when a page was not poisoned (nothing would be measured).
 * Run it under QEMU -icount so guest time counts instructions and runs
 * repeat.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include "hwpoison_util.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#define ROUNDS		15
#define BATCH_PAGES	64
/* The shared file: on tmpfs (the guest's /tmp), unlinked once mapped. */
#define FILE_PATH	"/tmp/hwpoison_bench.file"

enum kind { ANON, FILE_SHARED };
static const char * const kind_name[] = { "anon", "file" };

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

/* @len bytes of a fresh mapping of @kind; -1 in *@fd for anon. */
static char *map_pages(enum kind kind, size_t len, int *fd)
{
	char *p;

	*fd = -1;
	if (kind == ANON)
		return mmap(NULL, len, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	*fd = open(FILE_PATH, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (*fd < 0)
		return MAP_FAILED;
	unlink(FILE_PATH);
	if (ftruncate(*fd, len))
		return MAP_FAILED;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, *fd, 0);
	return p;
}

/* Median and minimum latency of ROUNDS poisonings, in ns. */
static int measure(enum kind kind, long psize, long long *median,
		   long long *min)
{
	long long t[ROUNDS];
	int r, fd;

	for (r = 0; r < ROUNDS; r++) {
		/*
		 * Fill more pages than a per-CPU LRU batch holds, so that the
		 * first one is on the LRU and memory_failure() handles it as
		 * a mapped user page (collecting the processes to kill)
		 * rather than shaking it out of the batch first.
		 */
		size_t len = BATCH_PAGES * psize;
		char *p = map_pages(kind, len, &fd);
		unsigned long pfn;
		long long t0;

		if (p == MAP_FAILED) {
			fprintf(stderr, "%s mapping: %s\n", kind_name[kind],
				strerror(errno));
			return -1;
		}
		memset(p, r + 1, len);
		pfn = hwp_pfn(p);
		if (!pfn) {
			fprintf(stderr, "%s page: no PFN\n", kind_name[kind]);
			return -1;
		}
		t0 = now_ns();
		if (hwp_corrupt_pfn(pfn)) {
			fprintf(stderr, "corrupt-pfn failed\n");
			return -1;
		}
		t[r] = now_ns() - t0;
		/* The injector ignores a page off the LRU: none measured. */
		if (!(hwp_kpageflags(pfn) & (1ULL << KPF_HWPOISON))) {
			fprintf(stderr, "%s page %#lx not poisoned\n",
				kind_name[kind], pfn);
			return -1;
		}
		munmap(p, len);
		if (fd >= 0)
			close(fd);
	}
	qsort(t, ROUNDS, sizeof(t[0]), cmp_ll);
	*median = t[ROUNDS / 2];
	*min = t[0];
	return 0;
}

int main(int argc, char **argv)
{
	long psize = sysconf(_SC_PAGESIZE);
	static pid_t kids[20000];
	int nkids = 0, a, ready[2];
	long long med, min;
	int early, kind;
	char c;

	/* The measuring process itself is never signalled. */
	prctl(PR_MCE_KILL, PR_MCE_KILL_SET, PR_MCE_KILL_LATE, 0, 0);
	if (pipe(ready))
		return 1;
	for (a = 1; a < argc; a++) {
		int want = atoi(argv[a]);

		if (want > (int)ARRAY_SIZE(kids))
			want = ARRAY_SIZE(kids);
		while (nkids < want) {
			pid_t pid = fork();

			if (pid < 0) {
				fprintf(stderr, "fork: %s at %d\n",
					strerror(errno), nkids);
				return 1;
			}
			if (!pid) {
				prctl(PR_MCE_KILL, PR_MCE_KILL_CLEAR, 0, 0, 0);
				if (write(ready[1], "r", 1) != 1)
					_exit(1);
				for (;;)
					pause();
			}
			kids[nkids++] = pid;
			if (read(ready[0], &c, 1) != 1)
				return 1;
		}
		sleep(1);
		for (early = 0; early <= 1; early++) {
			if (hwp_write_num("/proc/sys/vm/memory_failure_early_kill",
					  early))
				return 1;
			for (kind = ANON; kind <= FILE_SHARED; kind++) {
				if (measure(kind, psize, &med, &min))
					return 1;
				printf("N %d %s %s median_ns %lld min_ns %lld\n",
				       nkids, early ? "early" : "late",
				       kind_name[kind], med, min);
				fflush(stdout);
			}
		}
		hwp_write_num("/proc/sys/vm/memory_failure_early_kill", 0);
	}
	for (a = 0; a < nkids; a++)
		kill(kids[a], SIGKILL);
	while (wait(NULL) > 0)
		;
	return 0;
}
