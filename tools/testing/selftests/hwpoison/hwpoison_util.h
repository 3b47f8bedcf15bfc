/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the hwpoison end-to-end selftests: PFN lookup through
 * /proc/self/pagemap, the debugfs injector, the bookkeeping counters.
 */
#ifndef HWPOISON_UTIL_H
#define HWPOISON_UTIL_H

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef MADV_HWPOISON
#define MADV_HWPOISON		100
#endif
#ifndef MADV_SOFT_OFFLINE
#define MADV_SOFT_OFFLINE	101
#endif

#define HWP_DEBUGFS	"/sys/kernel/debug/hwpoison/"
#define PM_PRESENT	0x8000000000000000ULL
#define PM_PFN_MASK	((1ULL << 55) - 1)

/* PFN backing @addr in this process, 0 when not present. */
static inline unsigned long hwp_pfn(const void *addr)
{
	long psize = sysconf(_SC_PAGESIZE);
	uint64_t ent = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY);

	if (fd < 0)
		return 0;
	if (pread(fd, &ent, sizeof(ent),
		  (uintptr_t)addr / psize * sizeof(ent)) != sizeof(ent))
		ent = 0;
	close(fd);
	return (ent & PM_PRESENT) ? ent & PM_PFN_MASK : 0;
}

/* Flags of @pfn from /proc/kpageflags. */
static inline uint64_t hwp_kpageflags(unsigned long pfn)
{
	uint64_t flags = 0;
	int fd = open("/proc/kpageflags", O_RDONLY);

	if (fd < 0)
		return 0;
	if (pread(fd, &flags, sizeof(flags), pfn * sizeof(flags)) != sizeof(flags))
		flags = 0;
	close(fd);
	return flags;
}

#define KPF_HWPOISON	19
#define KPF_THP		22

/* Write a number to a file; returns 0 or -errno. */
static inline int hwp_write_num(const char *path, unsigned long long val)
{
	char buf[32];
	int fd = open(path, O_WRONLY), ret = 0;

	if (fd < 0)
		return -errno;
	snprintf(buf, sizeof(buf), "%llu\n", val);
	if (write(fd, buf, strlen(buf)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

/* Read a number from a file; -1 on error. */
static inline long long hwp_read_num(const char *path)
{
	char buf[32] = "";
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return strtoll(buf, NULL, 0);
}

static inline int hwp_corrupt_pfn(unsigned long pfn)
{
	return hwp_write_num(HWP_DEBUGFS "corrupt-pfn", pfn);
}

static inline int hwp_unpoison_pfn(unsigned long pfn)
{
	return hwp_write_num(HWP_DEBUGFS "unpoison-pfn", pfn);
}

/* HardwareCorrupted of /proc/meminfo in kB, -1 when absent. */
static inline long long hwp_hardware_corrupted_kb(void)
{
	char line[128];
	long long val = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "HardwareCorrupted: %lld kB", &val) == 1)
			break;
	fclose(f);
	return val;
}

/* NUMA node of the page at @addr in this process, -1 on error. */
static inline int hwp_node_of(void *addr)
{
	int status = -1;
	void *pages[1] = { addr };

	if (syscall(SYS_move_pages, 0, 1, pages, NULL, &status, 0))
		return -1;
	return status;
}

/* /sys/devices/system/node/node@nid/memory_failure/@what */
static inline long long hwp_node_stat(int nid, const char *what)
{
	char path[128];

	snprintf(path, sizeof(path),
		 "/sys/devices/system/node/node%d/memory_failure/%s", nid, what);
	return hwp_read_num(path);
}

/*
 * Under memory reliability tiering an ordinary process gets only
 * non-mirrored memory: make this one reliable (mirrored memory first, then
 * the rest) while it allocates, so that it can reach pages of both tiers.
 * Returns whether it was made reliable; nothing happens without tiering.
 */
static inline bool hwp_reach_all_tiers(bool on)
{
	int fd = open("/proc/self/reliable", O_WRONLY);
	bool ok;

	if (fd < 0)
		return false;
	ok = write(fd, on ? "1" : "0", 1) == 1;
	close(fd);
	return ok;
}

/* vm.percpu_pagelist_high_fraction: 1024 while @on, then as it was. */
static inline void hwp_pcp_small(bool on)
{
	static const char *path = "/proc/sys/vm/percpu_pagelist_high_fraction";
	static char old[16] = "0";
	int fd = open(path, O_RDWR);
	ssize_t n;

	if (fd < 0)
		return;
	if (on) {
		n = read(fd, old, sizeof(old) - 1);
		old[n > 0 ? n : 0] = 0;
		if (pwrite(fd, "1024", 4, 0) != 4)
			old[0] = 0;
	} else if (old[0]) {
		if (pwrite(fd, old, strlen(old), 0) < 0)
			old[0] = 0;
	}
	close(fd);
}

/*
 * Allocate about @pct percent of MemFree; is one of the @nbad PFNs in @bad
 * among the pages?  *@pages: how many pages were allocated.
 */
static inline bool hwp_allocation_hits(const unsigned long *bad, int nbad,
				       int pct, unsigned long *pages)
{
	long psize = sysconf(_SC_PAGESIZE);
	char line[128];
	long long free_kb = 0;
	FILE *f = fopen("/proc/meminfo", "r");
	uint64_t *ents;
	size_t len, n, i;
	bool hit = false, tiered;
	char *p;
	int fd, j;

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "MemFree: %lld kB", &free_kb) == 1)
			break;
	if (f)
		fclose(f);
	len = (size_t)free_kb * 1024 / 100 * pct;
	len &= ~(size_t)(psize - 1);
	tiered = hwp_reach_all_tiers(true);
	/*
	 * A reliable process may take the mirrored zones down to their low
	 * watermark; the gap to the min watermark is the kernel's (for this
	 * process's page tables too).  A per-CPU list refilled just above the
	 * low watermark takes a whole batch, up to low_wmark / nr_cpus pages
	 * by default, which can eat that gap; with nothing to reclaim the
	 * kernel then OOM-kills this process.  Small per-CPU lists meanwhile.
	 */
	if (tiered)
		hwp_pcp_small(true);
	p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (tiered) {
		hwp_reach_all_tiers(false);
		hwp_pcp_small(false);
	}
	if (p == MAP_FAILED)
		return true;
	n = len / psize;
	ents = malloc(n * sizeof(*ents));
	fd = open("/proc/self/pagemap", O_RDONLY);
	if (!ents || fd < 0 ||
	    pread(fd, ents, n * sizeof(*ents),
		  (uintptr_t)p / psize * sizeof(*ents)) != (ssize_t)(n * sizeof(*ents)))
		return true;
	close(fd);
	*pages = 0;
	for (i = 0; i < n; i++) {
		if (!(ents[i] & PM_PRESENT))
			continue;
		(*pages)++;
		for (j = 0; j < nbad; j++)
			if ((ents[i] & PM_PFN_MASK) == bad[j])
				hit = true;
	}
	free(ents);
	munmap(p, len);
	return hit;
}

#endif /* HWPOISON_UTIL_H */
