// SPDX-License-Identifier: GPL-2.0
/*
 * mem_reliable_bench: the cost of the fault and allocation paths that
 * memory reliability tiering steers, in guest time per 4 KiB page (under
 * QEMU -icount guest time counts instructions, so the figures repeat).
 *
 *   mem_reliable_bench [reliable] [limit|climit far|near|edge] [ROUNDS [anon|file|cache|tmpfs]]
 *
 * anon:  first-touch write faults on 64 MiB of anonymous memory (small
 *        pages), then munmap;
 * file:  read faults on a 32 MiB file of the ext4 file system on /dev/vda
 *        (mounted at /mnt/bench), its page cache dropped before each
 *        round, so every fault allocates page cache; timed by the
 *        reader's CPU time, which leaves out the wait for the disk;
 * cache: the same read faults on a 32 MiB sparse file of that file
 *        system: every fault allocates, inserts and maps page cache
 *        through the same readahead path, which ext4 fills with zeros
 *        instead of reading the disk, so no I/O runs and the figure
 *        repeats to about 0.3% (the file figure also depends
 *        on the physical order of the pages, through the bios built
 *        from them, and on when the host completes each read);
 * tmpfs: write(2) of 32 MiB to a tmpfs file in 64 KiB chunks, then unlink.
 *
 * With "reliable" the process first makes itself reliable; with a
 * workload named, only that one runs (for harness/profile).  With
 * "limit", after the warm-up round the limit that holds the workload's
 * allocations is set (task_reliable_limit for a reliable process,
 * reliable_pagecache_max_bytes for cache and file, shmem_reliable_bytes_limit
 * for tmpfs): "far" to ReliableTotal, "near" to what is in use plus one
 * round's pages, so that each round ends at the limit, "edge" to what is
 * in use, so that every allocation finds the limit reached and goes to
 * ZONE_MOVABLE.  "climit" sets the page-cache limit of
 * CONFIG_SHRINK_PAGECACHE instead (cache_limit_mbytes, for cache and file,
 * against the file LRU, which holds the warm-up round's pages): "far" to
 * MemTotal, "near" 1 MiB above what is in use, so that each round ends
 * 1 MiB short of it, its last pages within the counters' drift of it,
 * "edge" one round's pages below what is in use, so that after the first
 * MiB every addition finds the limit reached and reclaims a batch.
 * Prints one line per workload: "B <workload> ordinary|reliable
 * median_ns_per_page <N.N> rounds <R>", the median over the rounds.
 */
#define _GNU_SOURCE
#include <sys/mount.h>
#include <sys/stat.h>
#include "mem_reliable_util.h"

#define MiB	(1024UL * 1024)

static long long clock_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static long long now_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

/*
 * The reader's own CPU time: under -icount the time a disk read takes
 * depends on when the host completes it, the instructions of the fault
 * path do not.
 */
static long long cpu_ns(void)
{
	return clock_ns(CLOCK_THREAD_CPUTIME_ID);
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

static long long median(long long *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_ll);
	return v[n / 2];
}

/* The limit sysctl for @workload, and the meminfo line it bounds. */
static const char *limit_of(bool reliable, const char *workload,
			    const char **line)
{
	if (reliable) {
		*line = "ReliableTaskUsed";
		return "/proc/sys/vm/task_reliable_limit";
	}
	if (!strcmp(workload, "tmpfs")) {
		*line = "ReliableShmem";
		return "/proc/sys/vm/shmem_reliable_bytes_limit";
	}
	*line = "ReliableFileCache";
	return "/proc/sys/vm/reliable_pagecache_max_bytes";
}

/* The file LRU in MiB, the per-CPU counters folded in. */
static long long file_lru_mib(void)
{
	mr_write("/proc/sys/vm/stat_refresh", "1");
	return (mr_meminfo("Active(file)") + mr_meminfo("Inactive(file)")) / 1024;
}

/* Set cache_limit_mbytes for @how; 0 or -errno. */
static int set_cache_limit(const char *how, size_t round_bytes)
{
	long long used = file_lru_mib(), round = round_bytes / MiB, val;
	char buf[32];

	if (!strcmp(how, "far"))
		val = mr_meminfo("MemTotal") / 1024;
	else if (!strcmp(how, "near"))
		val = used + 1;
	else if (!strcmp(how, "edge"))
		val = used > round + 1 ? used - round : 1;
	else
		return -EINVAL;
	snprintf(buf, sizeof(buf), "%lld", val);
	return mr_write("/proc/sys/vm/cache_limit_mbytes", buf);
}

/* Set the limit of @workload for @how; 0 or -errno. */
static int set_limit(bool reliable, const char *workload, const char *how,
		     size_t round_bytes)
{
	const char *line, *path = limit_of(reliable, workload, &line);
	long long used = mr_meminfo(line) * 1024, val;
	char buf[32];

	if (!strcmp(how, "far"))
		val = mr_meminfo("ReliableTotal") * 1024;
	else if (!strcmp(how, "near"))
		val = used + round_bytes;
	else if (!strcmp(how, "edge"))
		val = used;
	else
		return -EINVAL;
	snprintf(buf, sizeof(buf), "%lld", val);
	return mr_write(path, buf);
}

static long long anon_round(void)
{
	size_t len = 64 * MiB, i;
	long long t0, t1;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED || madvise(p, len, MADV_NOHUGEPAGE))
		return -1;
	t0 = now_ns();
	for (i = 0; i < len; i += 4096)
		p[i] = 1;
	t1 = now_ns();
	munmap(p, len);
	return t1 - t0;
}

static long long file_round(const char *path)
{
	size_t len = 32 * MiB, i;
	long long t0, t1;
	char sum = 0;
	int fd;
	char *p;

	mr_write("/proc/sys/vm/drop_caches", "1");
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	p = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return -1;
	t0 = cpu_ns();
	for (i = 0; i < len; i += 4096)
		sum += p[i];
	t1 = cpu_ns();
	asm volatile("" : : "r" (sum));
	munmap(p, len);
	return t1 - t0;
}

/* A sparse file of @len bytes: reading it allocates zeroed page cache. */
static int sparse_file(const char *path, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	int ret;

	if (fd < 0)
		return -1;
	ret = ftruncate(fd, len);
	close(fd);
	return ret;
}

static long long tmpfs_round(void)
{
	static char buf[65536];
	size_t len = 32 * MiB, done;
	long long t0, t1;
	int fd = open("/tmp/mr_bench", O_WRONLY | O_CREAT | O_TRUNC, 0600);

	if (fd < 0)
		return -1;
	memset(buf, 0x11, sizeof(buf));
	t0 = now_ns();
	for (done = 0; done < len; done += sizeof(buf))
		if (write(fd, buf, sizeof(buf)) != sizeof(buf))
			break;
	t1 = now_ns();
	close(fd);
	unlink("/tmp/mr_bench");
	return done == len ? t1 - t0 : -1;
}

int main(int argc, char **argv)
{
	bool reliable = argc > 1 && !strcmp(argv[1], "reliable");
	bool climit = argc > 2 + reliable && !strcmp(argv[1 + reliable], "climit");
	int lim = argc > 2 + reliable &&
		  (climit || !strcmp(argv[1 + reliable], "limit")) ? 2 : 0;
	const char *how = lim ? argv[2 + reliable] : NULL;
	int a = 1 + reliable + lim;
	const char *mode = reliable ? "reliable" : "ordinary";
	int rounds = argc > a ? atoi(argv[a]) : 15, r;
	const char *only = argc > a + 1 ? argv[a + 1] : NULL;
	bool do_anon = !only || !strcmp(only, "anon");
	bool do_file = !only || !strcmp(only, "file");
	bool do_cache = !only || !strcmp(only, "cache");
	bool do_shm = !only || !strcmp(only, "tmpfs");
	long long anon[64] = { 0 }, file[64] = { 0 }, cache[64] = { 0 };
	long long shm[64] = { 0 };

	if (rounds < 1 || rounds > 64)
		rounds = 15;
	if (reliable && mr_write("/proc/self/reliable", "1")) {
		fprintf(stderr, "cannot make this process reliable\n");
		return 1;
	}
	mkdir("/mnt/bench", 0700);
	if (mount("/dev/vda", "/mnt/bench", "ext4", 0, NULL) ||
	    mr_write_file("/mnt/bench/f", 32 * MiB) ||
	    sparse_file("/mnt/bench/hole", 32 * MiB)) {
		fprintf(stderr, "no ext4 file system on /dev/vda, or full\n");
		return 1;
	}
	if (!do_anon && !do_file && !do_cache && !do_shm) {
		fprintf(stderr, "unknown workload '%s'\n", only);
		return 1;
	}
	if (how && !only) {
		fprintf(stderr, "limit %s: name one workload\n", how);
		return 1;
	}
	/* Page cache of the files out: no reclaim for a task limit. */
	if (how)
		mr_write("/proc/sys/vm/drop_caches", "3");
	/* One round of each to warm up, not counted. */
	if (do_anon)
		anon_round();
	if (do_file)
		file_round("/mnt/bench/f");
	if (do_cache)
		file_round("/mnt/bench/hole");
	if (do_shm)
		tmpfs_round();
	if (how && (climit ? set_cache_limit(how, 32 * MiB) :
		    set_limit(reliable, only, how, (do_anon ? 64 : 32) * MiB))) {
		fprintf(stderr, "cannot set the limit (%s)\n", how);
		return 1;
	}
	for (r = 0; r < rounds; r++) {
		if (do_anon)
			anon[r] = anon_round();
		if (do_file)
			file[r] = file_round("/mnt/bench/f");
		if (do_cache)
			cache[r] = file_round("/mnt/bench/hole");
		if (do_shm)
			shm[r] = tmpfs_round();
		if (anon[r] < 0 || file[r] < 0 || cache[r] < 0 || shm[r] < 0) {
			fprintf(stderr, "round %d failed\n", r);
			return 1;
		}
	}
	if (do_anon)
		printf("B anon %s median_ns_per_page %.1f rounds %d\n", mode,
		       median(anon, rounds) / (64.0 * MiB / 4096), rounds);
	if (do_file)
		printf("B file %s median_ns_per_page %.1f rounds %d\n", mode,
		       median(file, rounds) / (32.0 * MiB / 4096), rounds);
	if (do_cache)
		printf("B cache %s median_ns_per_page %.1f rounds %d\n", mode,
		       median(cache, rounds) / (32.0 * MiB / 4096), rounds);
	if (do_shm)
		printf("B tmpfs %s median_ns_per_page %.1f rounds %d\n", mode,
		       median(shm, rounds) / (32.0 * MiB / 4096), rounds);
	if (climit)
		mr_write("/proc/sys/vm/cache_limit_mbytes", "0");
	unlink("/mnt/bench/f");
	unlink("/mnt/bench/hole");
	umount("/mnt/bench");
	return 0;
}
