// SPDX-License-Identifier: GPL-2.0
/*
 * shrink_pagecache: the page-cache limit (cache_limit_mbytes) end to end.
 *
 *   shrink_pagecache sysctl    the four sysctls: mode, owner, default, the
 *                              ends of each range, each bad value EINVAL
 *                              with the old value kept, an empty write and
 *                              one at an offset change nothing, an
 *                              unprivileged writer refused
 *   shrink_pagecache limit     512 MiB read from ext4 (/dev/vda): without
 *                              a limit all of it stays cached; writing 64
 *                              reclaims down to 64 MiB; read again, the
 *                              page cache never passes 64 MiB by more than
 *                              a batch per CPU, and the data is intact;
 *                              128 MiB written, dirty until the fsync, cost
 *                              direct reclaim at most a scanned page per
 *                              page written
 *   shrink_pagecache periodic  page cache over the limit while
 *                              cache_reclaim_enable was 0 stays over
 *                              without rounds; a round reclaims at most
 *                              32 * cache_reclaim_weight pages per CPU;
 *                              with weight 100 and cache_reclaim_s=1 the
 *                              rounds bring it under within 3 s
 *   shrink_pagecache hotplug   the rounds run once a second on each online
 *                              CPU, on CPU 0 only while CPU 1 is offline,
 *                              on both again after it is back, on none
 *                              at cache_reclaim_s=0
 *   shrink_pagecache signal    SIGKILL stops the writer of
 *                              cache_limit_mbytes in its reclaim
 *   shrink_pagecache scale     with 1.5 GiB of page cache a round of
 *                              weight 1 reclaims about a batch per CPU
 *   shrink_pagecache mirror    with tiering and ReliableFileCache at
 *                              reliable_pagecache_max_bytes, the limit's
 *                              reclaim takes mirrored page cache first;
 *                              otherwise the oldest, in ZONE_MOVABLE
 *
 * The page cache is the file LRU, Active(file) + Inactive(file), read
 * after /proc/sys/vm/stat_refresh has folded the per-CPU counters in.
 * Prints KTAP.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "../kselftest.h"
#include "../mem_reliable/mem_reliable_util.h"

#define MiB		(1024UL * 1024)
#define PAGE		4096UL
#define VM		"/proc/sys/vm/"
#define ENABLE		VM "cache_reclaim_enable"
#define LIMIT		VM "cache_limit_mbytes"
#define PERIOD		VM "cache_reclaim_s"
#define WEIGHT		VM "cache_reclaim_weight"
#define PC_MAX		VM "reliable_pagecache_max_bytes"
#define STATS		"/sys/kernel/debug/shrink_pagecache"
#define MNT		"/mnt/spc"
#define BIG		MNT "/big"
#define BIG_SIZE	(512 * MiB)
/* Pages one CPU reclaims per round and unit of weight. */
#define BATCH		32
#define MAX_CPUS	8

static int cpus;

static const char *err_str(int err)
{
	return err ? strerror(-err) : "ok";
}

static long long value(const char *path)
{
	return mr_read_ll(path, -1);
}

static int set(const char *path, long long v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", v);
	return mr_write(path, buf);
}

/* The file LRU in pages, exact: the per-CPU counters folded in first. */
static long long lru_pages(void)
{
	if (mr_write(VM "stat_refresh", "1"))
		return -1;
	return (mr_meminfo("Active(file)") + mr_meminfo("Inactive(file)")) / 4;
}

struct spc_stat {
	unsigned long rounds, round_pages, charge_pages;
};

/* The per-CPU statistics of debugfs shrink_pagecache: CPUs read, or -1. */
static int stats(struct spc_stat *s)
{
	FILE *f = fopen(STATS, "r");
	char state[16];
	int cpu, n = 0;

	memset(s, 0, sizeof(*s) * MAX_CPUS);
	if (!f)
		return -1;
	while (n < MAX_CPUS &&
	       fscanf(f, "cpu%d %15s rounds %lu round_pages %lu charge_pages %lu\n",
		      &cpu, state, &s[n].rounds, &s[n].round_pages,
		      &s[n].charge_pages) == 5 && cpu == n)
		n++;
	fclose(f);
	return n;
}

/* Run on CPU 0 only: its node gets the page cache, in reading order. */
static void pin_cpu0(void)
{
	cpu_set_t set0;

	CPU_ZERO(&set0);
	CPU_SET(0, &set0);
	sched_setaffinity(0, sizeof(set0), &set0);
}

static void drop_caches(void)
{
	sync();
	mr_write(VM "drop_caches", "3");
}

static void mount_disk(void)
{
	mkdir(MNT, 0700);
	if (mount("/dev/vda", MNT, "ext4", 0, NULL) && errno != EBUSY)
		ksft_exit_fail_msg("mount /dev/vda: %s\n", strerror(errno));
}

/* Word @i of the test files: its offset, mixed, so that no page repeats. */
static uint64_t pattern(uint64_t i)
{
	return (i * 0x9e3779b97f4a7c15ULL) ^ 0x5aa5c33cf00f9669ULL;
}

static int write_pattern(const char *path, size_t len)
{
	size_t chunk = MiB / 8, i, j;
	uint64_t *buf = malloc(MiB);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600), err = 0;

	if (fd < 0 || !buf)
		return -ENOMEM;
	for (i = 0; i < len / MiB && !err; i++) {
		for (j = 0; j < chunk; j++)
			buf[j] = pattern(i * chunk + j);
		if (write(fd, buf, MiB) != (ssize_t)MiB)
			err = -EIO;
	}
	if (fsync(fd))
		err = -errno;
	close(fd);
	free(buf);
	return err;
}

/*
 * Read [0, @len) of @path in 1 MiB reads and compare it with the pattern;
 * every @every bytes, the highest file LRU seen goes to *@top.  Returns
 * the wrong words, or -errno.
 */
static long read_check(const char *path, size_t len, size_t every,
		       long long *top)
{
	size_t words = MiB / 8, i, j;
	uint64_t *buf = malloc(MiB);
	int fd = open(path, O_RDONLY);
	long bad = 0;

	if (fd < 0 || !buf)
		return -ENOMEM;
	if (top)
		*top = 0;
	for (i = 0; i < len / MiB; i++) {
		if (read(fd, buf, MiB) != (ssize_t)MiB) {
			bad = -EIO;
			break;
		}
		for (j = 0; j < words; j++)
			bad += buf[j] != pattern(i * words + j);
		if (top && every && !((i + 1) * MiB % every)) {
			long long now = lru_pages();

			if (now > *top)
				*top = now;
		}
	}
	close(fd);
	free(buf);
	return bad;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

struct knob {
	const char *path;
	long long dflt, min, max;
};

static void check_knob(const struct knob *k)
{
	char over[32], under[32];
	const char *bad[5];
	long long kept = k->min == k->dflt ? k->max : k->min;
	int i, err, status;
	struct stat st;
	bool ok = true;
	pid_t pid;

	snprintf(over, sizeof(over), "%lld", k->max + 1);
	snprintf(under, sizeof(under), "%lld", k->min - 1);
	bad[0] = over;
	bad[1] = under;
	bad[2] = "-1";
	bad[3] = "abc";
	bad[4] = "18446744073709551616";
	ksft_test_result(!stat(k->path, &st) && (st.st_mode & 07777) == 0644 &&
			 !st.st_uid, "%s: mode %o, owner %u\n", k->path,
			 st.st_mode & 07777, st.st_uid);
	ksft_test_result(value(k->path) == k->dflt, "%s reads %lld, default %lld\n",
			 k->path, value(k->path), k->dflt);
	err = set(k->path, k->min) ?: (value(k->path) != k->min ? -EIO : 0) ?:
	      set(k->path, k->max) ?: (value(k->path) != k->max ? -EIO : 0);
	ksft_test_result(!err, "%lld and %lld accepted and read back: %s\n",
			 k->min, k->max, err_str(err));

	set(k->path, kept);
	for (i = 0; i < (int)ARRAY_SIZE(bad); i++) {
		err = mr_write(k->path, bad[i]);
		if (err != -EINVAL || value(k->path) != kept) {
			ksft_print_msg("'%s': %s, now %lld\n", bad[i], err_str(err),
				       value(k->path));
			ok = false;
		}
	}
	ksft_test_result(ok, "%s, %s, -1, not a number, 2^64: EINVAL, %lld kept\n",
			 over, under, kept);

	/* Writes that parse nothing change nothing. */
	i = open(k->path, O_WRONLY);
	err = i < 0 ? -errno : 0;
	if (!err && (write(i, "", 0) || pwrite(i, "5", 1, 1) < 0))
		err = -errno;
	if (i >= 0)
		close(i);
	ksft_test_result(!err && value(k->path) == kept,
			 "an empty write and one at offset 1: %s, %lld kept\n",
			 err_str(err), value(k->path));

	pid = fork();
	if (!pid) {
		if (setgid(65534) || setuid(65534))
			_exit(2);
		err = set(k->path, k->dflt);
		_exit(err == -EACCES || err == -EPERM ? 0 : 1);
	}
	waitpid(pid, &status, 0);
	ksft_test_result(WIFEXITED(status) && !WEXITSTATUS(status) &&
			 value(k->path) == kept,
			 "an unprivileged writer is refused, %lld kept (status %#x)\n",
			 kept, status);
	err = set(k->path, k->dflt);
	ksft_test_result(!err && value(k->path) == k->dflt,
			 "the default written back: %s\n", err_str(err));
}

static void test_sysctl(void)
{
	const struct knob knobs[] = {
		{ ENABLE, 1, 0, 1 },
		{ LIMIT, 0, 0, mr_meminfo("MemTotal") / 1024 },
		{ PERIOD, 0, 0, 43200 },
		{ WEIGHT, 1, 1, 100 },
	};
	int i;

	ksft_set_plan(ARRAY_SIZE(knobs) * 7);
	for (i = 0; i < (int)ARRAY_SIZE(knobs); i++)
		check_knob(&knobs[i]);
}

static void test_limit(void)
{
	long long base, after, top, limit = 64 * MiB / PAGE;
	struct spc_stat s0[MAX_CPUS], s1[MAX_CPUS];
	long long slack = (long long)cpus * BATCH, charged = 0, scanned;
	double t0, t_plain, t_limited;
	long bad;
	int err, i;

	ksft_set_plan(8);
	mount_disk();
	err = write_pattern(BIG, BIG_SIZE);
	if (err)
		ksft_exit_fail_msg("write %s: %s\n", BIG, err_str(err));
	drop_caches();
	base = lru_pages();

	t0 = now_s();
	bad = read_check(BIG, BIG_SIZE, 0, NULL);
	t_plain = now_s() - t0;
	after = lru_pages();
	ksft_test_result(!bad && after - base >= (long long)(BIG_SIZE / PAGE) - slack,
			 "no limit: 512 MiB read (%ld wrong words), file LRU %lld -> %lld pages\n",
			 bad, base, after);

	t0 = now_s();
	err = set(LIMIT, 64);
	after = lru_pages();
	ksft_test_result(!err && after <= limit + slack,
			 "writing 64 reclaims down to it in %.2f s: %s, file LRU %lld pages (limit %lld)\n",
			 now_s() - t0, err_str(err), after, limit);

	drop_caches();
	stats(s0);
	t0 = now_s();
	bad = read_check(BIG, BIG_SIZE, 16 * MiB, &top);
	t_limited = now_s() - t0;
	after = lru_pages();
	stats(s1);
	for (i = 0; i < cpus; i++)
		charged += s1[i].charge_pages - s0[i].charge_pages;
	ksft_test_result(!bad, "limit 64 MiB: 512 MiB read back intact (%ld wrong words)\n",
			 bad);
	ksft_test_result(top <= limit + slack,
			 "while reading: file LRU at most %lld pages (limit %lld + %lld)\n",
			 top, limit, slack);
	ksft_test_result(after <= limit + slack && after >= limit / 2,
			 "afterwards: file LRU %lld pages (limit %lld + %lld)\n",
			 after, limit, slack);
	ksft_test_result(charged >= (long long)(BIG_SIZE / PAGE) - limit - slack,
			 "the additions reclaimed %lld pages\n", charged);
	ksft_print_msg("read 512 MiB: %.2f s without a limit, %.2f s with 64 MiB\n",
		       t_plain, t_limited);

	/*
	 * 128 MiB written under the limit stay dirty until the fsync (below
	 * dirty_background_ratio): past 64 MiB reclaim finds nothing to
	 * take, and must not scan in vain at every addition.
	 */
	drop_caches();
	scanned = mr_vmstat("pgscan_direct");
	t0 = now_s();
	err = write_pattern(MNT "/w", 128 * MiB);
	scanned = mr_vmstat("pgscan_direct") - scanned;
	ksft_test_result(!err && scanned <= (long long)(128 * MiB / PAGE),
			 "128 MiB written under the limit in %.2f s (%s): %lld pages scanned by direct reclaim\n",
			 now_s() - t0, err_str(err), scanned);
	unlink(MNT "/w");
	err = set(LIMIT, 0);
	ksft_test_result(!err && value(LIMIT) == 0, "limit lifted: %s\n", err_str(err));
}

/* Sum of the CPUs' rounds and the pages they reclaimed since @s0. */
static void rounds_since(const struct spc_stat *s0, unsigned long *rounds,
			 unsigned long *pages)
{
	struct spc_stat s[MAX_CPUS];
	int i;

	stats(s);
	*rounds = *pages = 0;
	for (i = 0; i < cpus; i++) {
		*rounds += s[i].rounds - s0[i].rounds;
		*pages += s[i].round_pages - s0[i].round_pages;
	}
}

static void test_periodic(void)
{
	long long limit = 64 * MiB / PAGE, before, after;
	struct spc_stat s0[MAX_CPUS];
	unsigned long rounds, pages;
	double t0;
	int err;

	ksft_set_plan(5);
	mount_disk();
	if (access(BIG, R_OK) && write_pattern(BIG, BIG_SIZE))
		ksft_exit_fail_msg("no %s\n", BIG);
	drop_caches();
	err = set(ENABLE, 0) ?: set(LIMIT, 64);
	before = lru_pages();
	read_check(BIG, 80 * MiB, 0, NULL);
	after = lru_pages();
	ksft_test_result(!err && after - before >= (long long)(80 * MiB / PAGE) - cpus * BATCH,
			 "cache_reclaim_enable 0: 80 MiB read past the 64 MiB limit: %lld pages\n",
			 after);

	stats(s0);
	err = set(ENABLE, 1);
	mr_sleep_ms(3000);
	before = lru_pages();
	rounds_since(s0, &rounds, &pages);
	ksft_test_result(!err && before >= after - cpus * BATCH && !rounds,
			 "enabled, cache_reclaim_s 0: still %lld pages after 3 s, %lu rounds\n",
			 before, rounds);

	stats(s0);
	err = set(PERIOD, 1);
	mr_sleep_ms(3500);
	after = lru_pages();
	rounds_since(s0, &rounds, &pages);
	ksft_test_result(!err && rounds >= (unsigned long)cpus * 2 &&
			 rounds <= (unsigned long)cpus * 4 &&
			 pages <= rounds * 2 * BATCH && pages >= BATCH &&
			 before - after <= (long long)(rounds * 2 * BATCH),
			 "weight 1, cache_reclaim_s 1: %lu rounds in 3.5 s reclaimed %lu pages, %lld -> %lld\n",
			 rounds, pages, before, after);

	err = set(WEIGHT, 100);
	t0 = now_s();
	do {
		mr_sleep_ms(100);
		after = lru_pages();
	} while (after > limit && now_s() - t0 < 3);
	ksft_test_result(!err && after <= limit,
			 "weight 100: under the limit in %.1f s: %lld pages (limit %lld)\n",
			 now_s() - t0, after, limit);
	err = set(PERIOD, 0) ?: set(WEIGHT, 1) ?: set(LIMIT, 0);
	ksft_test_result(!err, "defaults back: %s\n", err_str(err));
}

static bool cpu_online(int cpu, bool on)
{
	char path[64];

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/online", cpu);
	return !mr_write(path, on ? "1" : "0");
}

/* Rounds of each CPU over @ms of sleep. */
static void rounds_over(long ms, unsigned long *d)
{
	struct spc_stat s0[MAX_CPUS], s1[MAX_CPUS];
	int i;

	stats(s0);
	mr_sleep_ms(ms);
	stats(s1);
	for (i = 0; i < cpus; i++)
		d[i] = s1[i].rounds - s0[i].rounds;
}

static bool in(unsigned long v, unsigned long lo, unsigned long hi)
{
	return v >= lo && v <= hi;
}

static void test_hotplug(void)
{
	unsigned long d[MAX_CPUS];
	bool ok;

	ksft_set_plan(5);
	if (cpus < 2)
		ksft_exit_fail_msg("needs 2 CPUs, has %d\n", cpus);
	set(PERIOD, 1);
	rounds_over(3000, d);
	ksft_test_result(in(d[0], 2, 4) && in(d[1], 2, 4),
			 "cache_reclaim_s 1: rounds in 3 s: CPU 0 %lu, CPU 1 %lu\n",
			 d[0], d[1]);
	ok = cpu_online(1, false);
	rounds_over(3000, d);
	ksft_test_result(ok && in(d[0], 2, 4) && !d[1],
			 "CPU 1 offline: rounds in 3 s: CPU 0 %lu, CPU 1 %lu\n",
			 d[0], d[1]);
	ok = cpu_online(1, true);
	rounds_over(3000, d);
	ksft_test_result(ok && in(d[0], 2, 4) && in(d[1], 2, 4),
			 "CPU 1 back online: rounds in 3 s: CPU 0 %lu, CPU 1 %lu\n",
			 d[0], d[1]);
	set(PERIOD, 0);
	mr_sleep_ms(500);
	rounds_over(3000, d);
	ksft_test_result(!d[0] && !d[1],
			 "cache_reclaim_s 0: rounds in 3 s: CPU 0 %lu, CPU 1 %lu\n",
			 d[0], d[1]);
	set(ENABLE, 0);
	set(PERIOD, 1);
	rounds_over(3000, d);
	set(PERIOD, 0);
	set(ENABLE, 1);
	ksft_test_result(!d[0] && !d[1],
			 "cache_reclaim_enable 0, cache_reclaim_s 1: rounds: CPU 0 %lu, CPU 1 %lu\n",
			 d[0], d[1]);
}

/* Read a sparse file of @size on /dev/vda: @size of zeroed page cache. */
static void sparse_cache(const char *path, size_t size)
{
	char *buf = malloc(MiB);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);

	if (fd < 0 || !buf || ftruncate(fd, size))
		ksft_exit_fail_msg("sparse file: %s\n", strerror(errno));
	for (size_t done = 0; done < size; done += MiB)
		if (read(fd, buf, MiB) != (ssize_t)MiB)
			ksft_exit_fail_msg("read: %s\n", strerror(errno));
	close(fd);
	free(buf);
}

/*
 * With 1.5 GiB of page cache, a round of weight 1 still reclaims about a
 * batch: reclaim that began at DEF_PRIORITY would scan 1/4096 of the LRU
 * whole, some 96 pages, whatever the target.
 */
static void test_scale(void)
{
	struct spc_stat s0[MAX_CPUS];
	unsigned long rounds, pages;
	long long lru;
	int err;

	ksft_set_plan(2);
	pin_cpu0();
	mount_disk();
	drop_caches();
	sparse_cache(MNT "/scale", 1536 * MiB);
	lru = lru_pages();
	err = set(ENABLE, 0) ?: set(LIMIT, lru * PAGE / MiB - 64) ?: set(ENABLE, 1);
	stats(s0);
	err = err ?: set(PERIOD, 1);
	mr_sleep_ms(3500);
	set(PERIOD, 0);
	rounds_since(s0, &rounds, &pages);
	ksft_test_result(!err && rounds >= (unsigned long)cpus * 2 && pages >= BATCH &&
			 pages <= rounds * 2 * BATCH,
			 "%lld pages of page cache, weight 1: %lu rounds reclaimed %lu pages\n",
			 lru, rounds, pages);
	err = set(LIMIT, 0);
	unlink(MNT "/scale");
	ksft_test_result(!err, "limit lifted: %s\n", err_str(err));
}

static void test_signal(void)
{
	long long start, now, after;
	int status;
	pid_t pid;

	ksft_set_plan(3);
	mount_disk();
	drop_caches();
	/* A sparse file: its page cache, zeros, costs no disk I/O. */
	sparse_cache(MNT "/sparse", 1024 * MiB);
	start = lru_pages();

	pid = fork();
	if (!pid)
		_exit(set(LIMIT, 1) ? 1 : 0);
	/* Once the reclaim is under way (16 MiB gone), kill the writer. */
	do {
		now = lru_pages();
	} while (now > start - (long long)(16 * MiB / PAGE) &&
		 waitpid(pid, &status, WNOHANG) == 0);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	mr_sleep_ms(200);
	after = lru_pages();
	ksft_test_result(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
			 "the writer of cache_limit_mbytes died of SIGKILL (status %#x)\n",
			 status);
	ksft_test_result(after > (long long)(256 * MiB / PAGE),
			 "its reclaim stopped: file LRU %lld -> %lld pages (limit 256)\n",
			 start, after);
	ksft_test_result(value(LIMIT) == 1 && !set(LIMIT, 0),
			 "the limit it wrote is in force, then lifted\n");
	unlink(MNT "/sparse");
}

/* Resident pages of the first @len bytes of @path. */
static long resident(const char *path, size_t len)
{
	int fd = open(path, O_RDONLY);
	unsigned char *vec = malloc(len / PAGE);
	long n = -1;
	void *p;

	if (fd < 0 || !vec)
		return -1;
	p = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (p != MAP_FAILED && !mincore(p, len, vec)) {
		n = 0;
		for (size_t i = 0; i < len / PAGE; i++)
			n += vec[i] & 1;
	}
	if (p != MAP_FAILED)
		munmap(p, len);
	free(vec);
	return n;
}

#define FILE_A	MNT "/mirrored"
#define FILE_B	MNT "/movable"
#define AB_SIZE	(40 * MiB)

/*
 * Set the limit 16 MiB under the file LRU and report how many pages of
 * A (mirrored) and B (ZONE_MOVABLE) went.
 */
static int reclaim_16m(long *gone_a, long *gone_b)
{
	long a = resident(FILE_A, AB_SIZE), b = resident(FILE_B, AB_SIZE);
	int err = set(LIMIT, lru_pages() * PAGE / MiB - 16);

	*gone_a = a - resident(FILE_A, AB_SIZE);
	*gone_b = b - resident(FILE_B, AB_SIZE);
	return err ?: set(LIMIT, 0);
}

/* Page cache in mirrored memory and in ZONE_MOVABLE, from /proc/meminfo. */
static void file_tiers(long *mirrored, long *movable)
{
	mr_write(VM "stat_refresh", "1");
	*mirrored = mr_meminfo("ReliableFileCache") / 4;
	*movable = mr_meminfo("FileCache") / 4 - *mirrored;
}

static void test_mirror(void)
{
	const long size = AB_SIZE / PAGE, sixteen = 16 * MiB / PAGE;
	const long one = MiB / PAGE, four = 4 * MiB / PAGE;
	long m0, v0, m1, v1, m2, v2, gone_a, gone_b;
	int err;

	ksft_set_plan(4);
	pin_cpu0();
	mount_disk();
	if (write_pattern(FILE_A, AB_SIZE) || write_pattern(FILE_B, AB_SIZE))
		ksft_exit_fail_msg("write the files: %s\n", strerror(errno));
	drop_caches();

	/* B first, held out of mirrored memory: the older page cache. */
	file_tiers(&m0, &v0);
	err = set(PC_MAX, mr_meminfo("ReliableFileCache") * 1024);
	err = err ?: (read_check(FILE_B, AB_SIZE, 0, NULL) ? -EIO : 0);
	file_tiers(&m1, &v1);
	err = err ?: mr_write(PC_MAX, "18446744073709551615");
	err = err ?: (read_check(FILE_A, AB_SIZE, 0, NULL) ? -EIO : 0);
	file_tiers(&m2, &v2);
	ksft_test_result(!err && v1 - v0 >= size - one && m1 - m0 <= one &&
			 m2 - m1 >= size - one && v2 - v1 <= one,
			 "B read: +%ld pages movable, +%ld mirrored; then A: +%ld mirrored, +%ld movable\n",
			 v1 - v0, m1 - m0, m2 - m1, v2 - v1);

	err = reclaim_16m(&gone_a, &gone_b);
	ksft_test_result(!err && gone_b >= sixteen - four && gone_a <= four,
			 "mirrored memory not scarce: 16 MiB reclaimed, the oldest: %ld pages of B (ZONE_MOVABLE), %ld of A (mirrored)\n",
			 gone_b, gone_a);

	err = set(PC_MAX, mr_meminfo("ReliableFileCache") * 1024) ?:
	      reclaim_16m(&gone_a, &gone_b);
	ksft_test_result(!err && gone_a >= sixteen - four && gone_b <= four,
			 "ReliableFileCache at its limit: 16 MiB reclaimed, mirrored first: %ld pages of A, %ld of B\n",
			 gone_a, gone_b);
	err = mr_write(PC_MAX, "18446744073709551615");
	unlink(FILE_A);
	unlink(FILE_B);
	ksft_test_result(!err, "reliable_pagecache_max_bytes lifted: %s\n", err_str(err));
}

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "";

	cpus = sysconf(_SC_NPROCESSORS_CONF);
	if (cpus > MAX_CPUS)
		cpus = MAX_CPUS;
	ksft_print_header();
	if (!strcmp(what, "sysctl"))
		test_sysctl();
	else if (!strcmp(what, "limit"))
		test_limit();
	else if (!strcmp(what, "periodic"))
		test_periodic();
	else if (!strcmp(what, "hotplug"))
		test_hotplug();
	else if (!strcmp(what, "signal"))
		test_signal();
	else if (!strcmp(what, "scale"))
		test_scale();
	else if (!strcmp(what, "mirror"))
		test_mirror();
	else
		ksft_exit_fail_msg("usage: %s sysctl|limit|periodic|hotplug|signal|scale|mirror\n",
				   argv[0]);
	ksft_finished();
}
