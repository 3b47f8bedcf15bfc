// SPDX-License-Identifier: GPL-2.0
/*
 * mem_reliable_account: the accounting of memory reliability tiering.
 *
 *  - the Reliable* lines of /proc/meminfo, all of them, against
 *    independent counts: the per-zone counters of /proc/zoneinfo for
 *    ReliableBuddyMem, ReliableTaskUsed, FileCache and ReliableFileCache,
 *    and Shmem for ReliableShmem (every tmpfs page is mirrored here);
 *  - every counter back at its starting value after a workload of forks,
 *    anonymous faults of both tiers, THP collapse, page-cache reads from
 *    ext4 (/dev/vda), tmpfs writes, migration between nodes and exits;
 *  - Reliable: of /proc/<pid>/status, exactly the mirrored pages the
 *    process maps, counted from its pagemap, for an ordinary process, a
 *    reliable one, its fork child, a huge page and after munmap().
 */
#define _GNU_SOURCE
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "../kselftest.h"
#include "mem_reliable_util.h"

#define MiB		(1024UL * 1024)
#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE	25
#endif
#define SLACK_KB	512	/* what the reads themselves may allocate */

static struct mr_blocks blocks;

static const char * const lines[] = {
	"ReliableTotal", "ReliableUsed", "ReliableTaskUsed", "ReliableBuddyMem",
	"ReliableShmem", "FileCache", "ReliableFileCache", "ReliableUnmirrored",
};

static void refresh(void)
{
	/* Fold the per-CPU vmstat differences into the global counters. */
	mr_write("/proc/sys/vm/stat_refresh", "1");
}

static void test_lines(void)
{
	char *buf = mr_read_file("/proc/meminfo"), *prev = buf, *p;
	bool ok = !!buf;
	size_t i;

	for (i = 0; ok && i < ARRAY_SIZE(lines); i++) {
		char key[64];

		snprintf(key, sizeof(key), "\n%s:", lines[i]);
		p = strstr(buf, key);
		if (!p || p < prev) {
			ksft_print_msg("%s missing or out of order\n", lines[i]);
			ok = false;
		}
		prev = p;
	}
	free(buf);
	ksft_test_result(ok, "/proc/meminfo has the %zu Reliable lines in order\n",
			 ARRAY_SIZE(lines));
}

/* zoneinfo @fields summed (4 kB pages) around a meminfo read of @line. */
static void bracket(const char *line, const char * const *fields, int n,
		    bool all_zones)
{
	long long z1 = 0, z2 = 0, m, lo, hi;
	int i;

	for (i = 0; i < n; i++) {
		z1 += mr_zoneinfo_sum(fields[i], false);
		if (all_zones)
			z1 += mr_zoneinfo_sum(fields[i], true);
	}
	m = mr_meminfo(line);
	for (i = 0; i < n; i++) {
		z2 += mr_zoneinfo_sum(fields[i], false);
		if (all_zones)
			z2 += mr_zoneinfo_sum(fields[i], true);
	}
	z1 *= 4;
	z2 *= 4;
	lo = (z1 < z2 ? z1 : z2) - SLACK_KB;
	hi = (z1 > z2 ? z1 : z2) + SLACK_KB;
	ksft_test_result(m >= lo && m <= hi,
			 "%s %lld kB within [%lld, %lld] kB of /proc/zoneinfo\n",
			 line, m, lo, hi);
}

static const char * const free_f[] = { "nr_free_pages" };
static const char * const file_f[] = { "nr_zone_active_file", "nr_zone_inactive_file" };
static const char * const lru_f[] = {
	"nr_zone_active_file", "nr_zone_inactive_file", "nr_zone_active_anon",
	"nr_zone_inactive_anon", "nr_zone_unevictable",
};

static void test_independent(const char *when)
{
	long long sh, rs;

	ksft_print_msg("against /proc/zoneinfo %s\n", when);
	refresh();
	bracket("ReliableBuddyMem", free_f, 1, false);
	bracket("ReliableTaskUsed", lru_f, 5, false);
	bracket("ReliableFileCache", file_f, 2, false);
	bracket("FileCache", file_f, 2, true);
	refresh();
	sh = mr_meminfo("Shmem");
	rs = mr_meminfo("ReliableShmem");
	ksft_test_result(rs == sh && rs > 0,
			 "ReliableShmem %lld kB == Shmem %lld kB (all tmpfs mirrored)\n",
			 rs, sh);
}

static void read_file(const char *path)
{
	char buf[65536];
	int fd = open(path, O_RDONLY);

	while (fd >= 0 && read(fd, buf, sizeof(buf)) > 0)
		;
	if (fd >= 0)
		close(fd);
}

static void child_work(int i)
{
	size_t len = 4 * MiB;
	char *p;

	if (i & 1)
		mr_write("/proc/self/reliable", "1");
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		 -1, 0);
	if (p != MAP_FAILED)
		mr_touch(p, len, (char)i);
}

/* A reliable process: a collapsed huge page, then pages moved between nodes. */
static void thp_and_move(void)
{
	size_t len = 4 * MiB;
	char *raw = mmap(NULL, len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *p = (char *)(((uintptr_t)raw + 2 * MiB - 1) & ~(2 * MiB - 1));
	void *pages[64];
	int nodes[64], status[64], i;

	mr_write("/proc/self/reliable", "1");
	madvise(p, 2 * MiB, MADV_NOHUGEPAGE);
	memset(p, 1, 2 * MiB);
	madvise(p, 2 * MiB, MADV_HUGEPAGE);
	madvise(p, 2 * MiB, MADV_COLLAPSE);
	for (i = 0; i < 64; i++) {
		pages[i] = raw + (i + 600) * 4096;
		raw[(i + 600) * 4096] = 2;
		nodes[i] = 1;
	}
	syscall(SYS_move_pages, 0, 64, pages, nodes, status, 0);
	for (i = 0; i < 64; i++)
		nodes[i] = 0;
	syscall(SYS_move_pages, 0, 64, pages, nodes, status, 0);
}

struct snap {
	long long v[ARRAY_SIZE(lines)];
	long long pcp;	/* kB on the per-CPU lists of the mirrored zones */
};

static void snapshot(struct snap *s)
{
	size_t i;

	mr_write("/proc/sys/vm/drop_caches", "3");
	refresh();
	mr_sleep_ms(200);
	refresh();
	for (i = 0; i < ARRAY_SIZE(lines); i++)
		s->v[i] = mr_meminfo(lines[i]);
	s->pcp = 4 * mr_zoneinfo_sum("count:", false);
}

static void test_workload(void)
{
	/* kB a counter may differ by after the workload. */
	static const long long slack[ARRAY_SIZE(lines)] = {
		0, 1024, 1024, 1024, 0, 256, 256, 0,
	};
	struct snap s0, s1;
	int i, status;
	size_t k;

	mkdir("/mnt/vda", 0700);
	if (mount("/dev/vda", "/mnt/vda", "ext4", 0, NULL))
		ksft_exit_fail_msg("mount /dev/vda: %s\n", strerror(errno));
	snapshot(&s0);

	for (i = 0; i < 20; i++) {
		pid_t pid = fork();

		if (!pid) {
			child_work(i);
			_exit(0);
		}
	}
	while (wait(&status) > 0)
		;
	if (!fork()) {
		thp_and_move();
		_exit(0);
	}
	wait(&status);
	mr_write_file("/mnt/vda/w", 8 * MiB);
	mr_write("/proc/sys/vm/drop_caches", "3");
	read_file("/mnt/vda/w");
	mr_write_file("/tmp/mr_account", 32 * MiB);
	read_file("/tmp/mr_account");
	if (!fork()) {
		child_work(1);
		read_file("/mnt/vda/w");
		_exit(0);
	}
	wait(&status);
	unlink("/tmp/mr_account");
	unlink("/mnt/vda/w");

	snapshot(&s1);
	umount("/mnt/vda");
	for (k = 0; k < ARRAY_SIZE(lines); k++) {
		long long d = s1.v[k] - s0.v[k];
		/*
		 * Pages freed to the per-CPU lists are not free in the
		 * buddy allocator's counts: those counts are back within
		 * what the per-CPU lists took.
		 */
		bool pcp = !strcmp(lines[k], "ReliableUsed") ||
			   !strcmp(lines[k], "ReliableBuddyMem");
		long long dp = !pcp ? 0 : !strcmp(lines[k], "ReliableUsed") ?
			       -(s1.pcp - s0.pcp) : s1.pcp - s0.pcp;

		ksft_test_result(s0.v[k] >= 0 && d + dp >= -slack[k] &&
				 d + dp <= slack[k],
				 "after the workload %s %lld -> %lld kB, %+lld kB with the per-CPU lists (%lld -> %lld kB), within %lld\n",
				 lines[k], s0.v[k], s1.v[k], d + dp, s0.pcp,
				 s1.pcp, slack[k]);
	}
}

/* Mirrored pages mapped by @pid, from its maps and pagemap. */
static long long mapped_mirrored_kb(int pid)
{
	char path[64], *maps, *line, *save = NULL;
	long long pages = 0;

	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	maps = mr_read_file(path);
	if (!maps)
		return -1;
	for (line = strtok_r(maps, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		unsigned long start, end, n, i;
		char name[64] = "";
		uint64_t *pfn;

		if (sscanf(line, "%lx-%lx %*s %*s %*s %*s %63s", &start, &end,
			   name) < 2)
			continue;
		/* Special PFN mappings have no rmap. */
		if (!strncmp(name, "[vvar", 5) || !strcmp(name, "[vsyscall]"))
			continue;
		n = (end - start) / 4096;
		pfn = malloc(n * sizeof(*pfn));
		if (!pfn || mr_pfns(pid, (void *)start, n, pfn)) {
			free(pfn);
			continue;
		}
		for (i = 0; i < n; i++)
			if (pfn[i] && mr_pfn_tier(&blocks, pfn[i]) == 1 &&
			    !(mr_kpageflags(pfn[i]) & (1ULL << KPF_ZERO_PAGE_BIT)))
				pages++;
		free(pfn);
	}
	free(maps);
	return pages * 4;
}

static long long status_reliable_kb(int pid)
{
	char path[64], *st, *p;
	long long v = -1;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	st = mr_read_file(path);
	p = st ? strstr(st, "\nReliable:") : NULL;
	if (p)
		v = strtoll(p + strlen("\nReliable:"), NULL, 10);
	free(st);
	return v;
}

enum { HOLD, FORK_CHILD, THP, UNMAP, DONE };

/* A process that maps memory step by step, pausing after each step. */
static void status_case(bool reliable)
{
	int cmd[2], ack[2], step;
	pid_t pid, grandchild = 0;
	char c;

	if (pipe(cmd) || pipe(ack))
		ksft_exit_fail_msg("pipe\n");
	pid = fork();
	if (!pid) {
		size_t len = 16 * MiB;
		char *p = NULL, *raw;

		if (reliable)
			mr_write("/proc/self/reliable", "1");
		for (step = HOLD; step < DONE; step++) {
			pid_t gc = 0;

			switch (step) {
			case HOLD:
				p = mmap(NULL, len, PROT_READ | PROT_WRITE,
					 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
				mr_touch(p, len, 1);
				break;
			case FORK_CHILD:
				gc = fork();
				if (!gc) {
					/* Write half: COW copies of its own. */
					mr_touch(p, len / 2, 2);
					pause();
					_exit(0);
				}
				mr_sleep_ms(300);
				break;
			case THP:
				raw = mmap(NULL, 4 * MiB, PROT_READ | PROT_WRITE,
					   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
				raw = (char *)(((uintptr_t)raw + 2 * MiB - 1) &
					       ~(2 * MiB - 1));
				madvise(raw, 2 * MiB, MADV_HUGEPAGE);
				memset(raw, 3, 2 * MiB);
				break;
			case UNMAP:
				munmap(p, len);
				break;
			}
			if (write(ack[1], &gc, sizeof(gc)) != sizeof(gc) ||
			    read(cmd[0], &c, 1) != 1)
				_exit(1);
		}
		_exit(0);
	}
	for (step = HOLD; step < DONE; step++) {
		long long st, count;
		pid_t gc;

		if (read(ack[0], &gc, sizeof(gc)) != sizeof(gc))
			break;
		if (gc)
			grandchild = gc;
		st = status_reliable_kb(pid);
		count = mapped_mirrored_kb(pid);
		ksft_test_result(st >= 0 && st == count &&
				 (!reliable || st >= 16 * 1024 || step == UNMAP),
				 "%s process, %s: Reliable: %lld kB, its mirrored mapped pages %lld kB\n",
				 reliable ? "reliable" : "ordinary",
				 step == HOLD ? "16 MiB anonymous" :
				 step == FORK_CHILD ? "after fork" :
				 step == THP ? "a huge page" : "after munmap",
				 st, count);
		if (step == FORK_CHILD) {
			st = status_reliable_kb(grandchild);
			count = mapped_mirrored_kb(grandchild);
			ksft_test_result(st >= 0 && st == count,
					 "%s fork child after COW: Reliable: %lld kB, mapped %lld kB\n",
					 reliable ? "reliable" : "ordinary", st, count);
		}
		if (write(cmd[1], "c", 1) != 1)
			break;
	}
	if (grandchild) {
		kill(grandchild, SIGKILL);
		waitpid(grandchild, NULL, 0);
	}
	waitpid(pid, NULL, 0);
	close(cmd[0]);
	close(cmd[1]);
	close(ack[0]);
	close(ack[1]);
}

int main(void)
{
	ksft_print_header();
	if (mr_blocks_load(&blocks))
		ksft_exit_fail_msg("cannot read the memory blocks\n");
	ksft_set_plan(1 + 5 + 5 + ARRAY_SIZE(lines) + 10);
	test_lines();
	test_independent("before the workload");
	test_workload();
	test_independent("after the workload");
	status_case(false);
	status_case(true);
	ksft_finished();
}
