/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the memory reliability tiering selftests: /proc and
 * /sys readers, and the mirrored ranges given on the kernel command line.
 */
#ifndef MEM_RELIABLE_UTIL_H
#define MEM_RELIABLE_UTIL_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define MR_MAX_ZONES	32
#define MR_MAX_RANGES	8
#define SZ_4G		0x100000000ULL

struct mr_zone {
	int node;
	char name[16];
	unsigned long free, managed, present, spanned, start_pfn;
};

struct mr_range {
	uint64_t start, size;
};

/* Read a whole file into a malloc()ed, NUL-terminated buffer. */
static inline char *mr_read_file(const char *path)
{
	size_t len = 0, cap = 65536;
	char *buf = malloc(cap);
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f || !buf) {
		if (f)
			fclose(f);
		free(buf);
		return NULL;
	}
	while ((n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (len + 1 == cap) {
			cap *= 2;
			buf = realloc(buf, cap);
			if (!buf)
				break;
		}
	}
	fclose(f);
	if (buf)
		buf[len] = '\0';
	return buf;
}

/*
 * Value of a "Name:   N kB" line of /proc/meminfo in kB, or -1 when the
 * line is absent.
 */
static inline long long mr_meminfo(const char *name)
{
	char *buf = mr_read_file("/proc/meminfo"), *p;
	size_t len = strlen(name);
	long long val = -1;

	if (!buf)
		return -1;
	for (p = buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (!strncmp(p, name, len) && p[len] == ':') {
			val = strtoll(p + len + 1, NULL, 10);
			break;
		}
	}
	free(buf);
	return val;
}

/* Parse /proc/zoneinfo; returns the number of zones, or -1. */
static inline int mr_zoneinfo(struct mr_zone *z, int max)
{
	char *buf = mr_read_file("/proc/zoneinfo"), *line, *save = NULL;
	int nr = -1;

	if (!buf)
		return -1;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		struct mr_zone *c = nr >= 0 ? &z[nr] : NULL;
		int node;
		char name[16];

		if (sscanf(line, "Node %d, zone %15s", &node, name) == 2) {
			if (nr + 1 >= max)
				break;
			nr++;
			memset(&z[nr], 0, sizeof(z[nr]));
			z[nr].node = node;
			snprintf(z[nr].name, sizeof(z[nr].name), "%s", name);
			continue;
		}
		if (!c)
			continue;
		if (sscanf(line, " pages free %lu", &c->free) == 1 ||
		    sscanf(line, " managed %lu", &c->managed) == 1 ||
		    sscanf(line, " present %lu", &c->present) == 1 ||
		    sscanf(line, " spanned %lu", &c->spanned) == 1)
			continue;
		if (sscanf(line, " start_pfn: %lu", &c->start_pfn) == 1)
			continue;
	}
	free(buf);
	return nr + 1;
}

/* The kernel's memparse(): a number with an optional K, M or G suffix. */
static inline uint64_t mr_memparse(const char *p, char **end)
{
	uint64_t v = strtoull(p, end, 0);
	int shift = 0;

	if (**end == 'G' || **end == 'g')
		shift = 30;
	else if (**end == 'M' || **end == 'm')
		shift = 20;
	else if (**end == 'K' || **end == 'k')
		shift = 10;
	if (shift)
		(*end)++;
	return v << shift;
}

/*
 * The ranges of mirrored_mem=SIZE@START[,...] on /proc/cmdline; returns
 * their number (0 when the parameter is absent).
 */
static inline int mr_cmdline_mirrors(struct mr_range *r, int max)
{
	char *buf = mr_read_file("/proc/cmdline"), *p, *end;
	int nr = 0;

	if (!buf)
		return 0;
	p = strstr(buf, "mirrored_mem=");
	if (p)
		p += strlen("mirrored_mem=");
	while (p && nr < max) {
		r[nr].size = mr_memparse(p, &end);
		if (*end != '@')
			break;
		r[nr++].start = mr_memparse(end + 1, &end);
		p = *end == ',' ? end + 1 : NULL;
	}
	free(buf);
	return nr;
}

/* Bytes of [start, end) that the mirrored ranges @r cover. */
static inline uint64_t mr_mirrored_bytes(const struct mr_range *r, int nr,
					 uint64_t start, uint64_t end)
{
	uint64_t covered = 0;
	int i;

	for (i = 0; i < nr; i++) {
		uint64_t s = r[i].start > start ? r[i].start : start;
		uint64_t e = r[i].start + r[i].size < end ?
			     r[i].start + r[i].size : end;

		if (e > s)
			covered += e - s;
	}
	return covered;
}

/*
 * Non-mirrored RAM in kB below 4 GiB (@low) and at or above it (@high):
 * the top-level "System RAM" ranges of /proc/iomem, cut to whole pages as
 * the kernel's memory map does, less what the mirrored ranges @r cover.
 * Returns false when /proc/iomem cannot be read (or hides addresses).
 */
static inline bool mr_unmirrored_ram_kb(const struct mr_range *r, int nr,
					unsigned long long *low,
					unsigned long long *high)
{
	char *buf = mr_read_file("/proc/iomem"), *line, *save = NULL;
	unsigned long long s, e;
	bool any = false;
	int n;

	*low = *high = 0;
	if (!buf)
		return false;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		uint64_t start, end, cut, bytes;

		if (sscanf(line, "%llx-%llx : System RAM%n", &s, &e, &n) != 2 ||
		    line[n] || line[0] == ' ')
			continue;
		start = (s + 4095) & ~4095ULL;
		end = (e + 1) & ~4095ULL;
		if (end <= start)
			continue;
		any = any || e;
		cut = start < SZ_4G ? (end < SZ_4G ? end : SZ_4G) : start;
		bytes = (cut - start) - mr_mirrored_bytes(r, nr, start, cut);
		*low += bytes >> 10;
		bytes = (end - cut) - mr_mirrored_bytes(r, nr, cut, end);
		*high += bytes >> 10;
	}
	free(buf);
	return any;
}

/* Does the kernel log contain @s? */
static inline bool mr_klog_has(const char *s)
{
	int size = klogctl(10, NULL, 0);	/* SYSLOG_ACTION_SIZE_BUFFER */
	char *buf;
	bool found;
	int n;

	if (size <= 0)
		return false;
	buf = malloc(size + 1);
	if (!buf)
		return false;
	n = klogctl(3, buf, size);		/* SYSLOG_ACTION_READ_ALL */
	if (n < 0)
		n = 0;
	buf[n] = '\0';
	found = strstr(buf, s);
	free(buf);
	return found;
}

/* Pages of the zones called @name ("Movable", "Normal", ...) on @node, -1 any. */
static inline unsigned long mr_zone_present(struct mr_zone *z, int nr,
					    int node, const char *name)
{
	unsigned long sum = 0;
	int i;

	for (i = 0; i < nr; i++)
		if ((node < 0 || z[i].node == node) && !strcmp(z[i].name, name))
			sum += z[i].present;
	return sum;
}

/* Sleep @ms milliseconds. */
static inline void mr_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/*
 * Write @s to @path in one write(2): 0, or -errno of the open or the
 * write (a short write counts as -EIO).
 */
static inline int mr_write(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY), err = 0;
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, s, strlen(s));
	if (n < 0)
		err = -errno;
	else if ((size_t)n != strlen(s))
		err = -EIO;
	close(fd);
	return err;
}

/* The first line of @path in @buf: 0, or -errno of the open or read. */
static inline int mr_read(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY), err = 0;
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	if (n < 0) {
		err = -errno;
		n = 0;
	}
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	close(fd);
	return err;
}

/* @path as a number, or @dflt when it cannot be read. */
static inline long long mr_read_ll(const char *path, long long dflt)
{
	char buf[64];

	if (mr_read(path, buf, sizeof(buf)))
		return dflt;
	return strtoll(buf, NULL, 0);
}

#define MR_PM_PRESENT	0x8000000000000000ULL
#define MR_PM_PFN	((1ULL << 55) - 1)

/* PFNs of @n pages from @addr in process @pid (0: self); 0 = not present. */
static inline int mr_pfns(int pid, const void *addr, unsigned long n,
			  uint64_t *pfn)
{
	char path[64];
	unsigned long i;
	ssize_t len;
	int fd;

	if (pid)
		snprintf(path, sizeof(path), "/proc/%d/pagemap", pid);
	else
		snprintf(path, sizeof(path), "/proc/self/pagemap");
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	len = pread(fd, pfn, n * sizeof(*pfn),
		    (uintptr_t)addr / 4096 * sizeof(*pfn));
	close(fd);
	if (len != (ssize_t)(n * sizeof(*pfn)))
		return -EIO;
	for (i = 0; i < n; i++)
		pfn[i] = (pfn[i] & MR_PM_PRESENT) ? pfn[i] & MR_PM_PFN : 0;
	return 0;
}

#define KPF_THP_BIT		22
#define KPF_ZERO_PAGE_BIT	24
#define KPF_KSM_BIT		21

/* Flags of @pfn from /proc/kpageflags, 0 when unreadable. */
static inline uint64_t mr_kpageflags(uint64_t pfn)
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

/*
 * The zone of each memory block, from its valid_zones (online blocks show
 * the zone all their pages belong to; blocks of several zones "none"), so
 * that a PFN is classified by the zone it belongs to, never by zone spans.
 */
#define MR_MAX_BLOCKS	1024
struct mr_blocks {
	uint64_t block_pages;
	char zone[MR_MAX_BLOCKS][12];	/* "" when absent or offline */
};

static inline int mr_blocks_load(struct mr_blocks *b)
{
	char path[96], buf[64];
	struct dirent *d;
	DIR *dir;

	memset(b, 0, sizeof(*b));
	if (mr_read("/sys/devices/system/memory/block_size_bytes", buf,
		    sizeof(buf)))
		return -1;
	b->block_pages = strtoull(buf, NULL, 16) / 4096;
	dir = opendir("/sys/devices/system/memory");
	if (!dir || !b->block_pages)
		return -1;
	while ((d = readdir(dir))) {
		unsigned long id;
		char state[32];

		if (sscanf(d->d_name, "memory%lu", &id) != 1 ||
		    id >= MR_MAX_BLOCKS)
			continue;
		snprintf(path, sizeof(path),
			 "/sys/devices/system/memory/memory%lu/state", id);
		if (mr_read(path, state, sizeof(state)) ||
		    strcmp(state, "online"))
			continue;
		snprintf(path, sizeof(path),
			 "/sys/devices/system/memory/memory%lu/valid_zones", id);
		if (mr_read(path, buf, sizeof(buf)))
			continue;
		snprintf(b->zone[id], sizeof(b->zone[id]), "%.11s", buf);
	}
	closedir(dir);
	return 0;
}

/*
 * Tier of @pfn: 1 mirrored (a zone below ZONE_MOVABLE), 0 ZONE_MOVABLE,
 * -1 unknown (not in an online block, or a block of several zones above
 * 4 GiB).  Blocks below 4 GiB hold only DMA and DMA32, both mirrored.
 */
static inline int mr_pfn_tier(const struct mr_blocks *b, uint64_t pfn)
{
	uint64_t id = pfn / b->block_pages;
	const char *z;

	if (id >= MR_MAX_BLOCKS || !b->zone[id][0])
		return -1;
	z = b->zone[id];
	if (!strcmp(z, "Movable"))
		return 0;
	if (!strcmp(z, "none"))
		return pfn < SZ_4G / 4096 ? 1 : -1;
	return 1;
}

struct mr_tiers {
	unsigned long mirrored, movable, unknown, absent;
};

/* Tiers of the pages of [@addr, @addr + @len) in process @pid (0: self). */
static inline int mr_tiers_of(const struct mr_blocks *b, int pid,
			      const void *addr, size_t len, struct mr_tiers *t)
{
	unsigned long n = len / 4096, i;
	uint64_t *pfn = malloc(n * sizeof(*pfn));
	int err;

	memset(t, 0, sizeof(*t));
	if (!pfn)
		return -ENOMEM;
	err = mr_pfns(pid, addr, n, pfn);
	for (i = 0; !err && i < n; i++) {
		if (!pfn[i]) {
			t->absent++;
			continue;
		}
		switch (mr_pfn_tier(b, pfn[i])) {
		case 1:
			t->mirrored++;
			break;
		case 0:
			t->movable++;
			break;
		default:
			t->unknown++;
		}
	}
	free(pfn);
	return err;
}

/* @t as text; four calls may share one message. */
static inline const char *mr_tiers_str(const struct mr_tiers *t)
{
	static char buf[4][128];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%lu mirrored, %lu movable, %lu unknown, %lu absent",
		 t->mirrored, t->movable, t->unknown, t->absent);
	return buf[i];
}

/* Map the first @len bytes of @path, fault them in, and return their tiers. */
static inline int mr_file_tiers(const struct mr_blocks *b, const char *path,
				size_t len, struct mr_tiers *t)
{
	int fd = open(path, O_RDONLY), err;
	char *p;

	if (fd < 0)
		return -errno;
	p = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return -errno;
	for (size_t i = 0; i < len; i += 4096)
		(void)__atomic_load_n(p + i, __ATOMIC_RELAXED);
	err = mr_tiers_of(b, 0, p, len, t);
	munmap(p, len);
	return err;
}

/* A /proc/vmstat counter, -1 if absent. */
static inline long long mr_vmstat(const char *name)
{
	size_t len = strlen(name);
	long long v = -1;
	char line[128];
	FILE *f = fopen("/proc/vmstat", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, name, len) && line[len] == ' ') {
			v = atoll(line + len + 1);
			break;
		}
	fclose(f);
	return v;
}

/* Write @len bytes (a multiple of 64 KiB) to a new file @path; 0 or -errno. */
static inline int mr_write_file(const char *path, size_t len)
{
	char buf[65536];
	size_t done;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	if (fd < 0)
		return -errno;
	memset(buf, 0x5a, sizeof(buf));
	for (done = 0; done < len; done += sizeof(buf))
		if (write(fd, buf, sizeof(buf)) != sizeof(buf))
			break;
	fsync(fd);
	close(fd);
	return done == len ? 0 : -EIO;
}

/* Touch every page of [@p, @p + @len) with a write. */
static inline void mr_touch(void *p, size_t len, char v)
{
	size_t i;

	for (i = 0; i < len; i += 4096)
		__atomic_store_n((char *)p + i, v, __ATOMIC_RELAXED);
}

/* Sum of a "name value" field of /proc/zoneinfo over zones (Movable or not). */
static inline long long mr_zoneinfo_sum(const char *field, bool movable)
{
	char *buf = mr_read_file("/proc/zoneinfo"), *line, *save = NULL;
	size_t flen = strlen(field);
	long long sum = 0;
	bool in = false;
	char name[16];
	int node;

	if (!buf)
		return -1;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *p = line;

		if (sscanf(line, "Node %d, zone %15s", &node, name) == 2) {
			in = !strcmp(name, "Movable") == movable;
			continue;
		}
		while (*p == ' ')
			p++;
		if (in && !strncmp(p, field, flen) && p[flen] == ' ')
			sum += strtoll(p + flen, NULL, 10);
	}
	free(buf);
	return sum;
}

/*
 * Pages a user allocation in the mirrored tier (its highest zone is
 * Normal) can take before it reaches their high watermarks: per mirrored
 * zone, free less the high watermark less the zone's protection against
 * Normal allocations (lowmem_reserve), from /proc/zoneinfo.
 */
static inline long long mr_usable_mirrored_pages(void)
{
	char *buf = mr_read_file("/proc/zoneinfo"), *line, *save = NULL;
	long long sum = 0, nfree = 0, high = 0, prot = 0;
	int node, idx = -1, normal = -1, first = -1;
	bool mirrored = false;
	char name[16], *p;

	if (!buf)
		return -1;
	/* The index of Normal in each node's list of zones. */
	for (p = buf; (p = strstr(p, "Node ")); p++) {
		if (sscanf(p, "Node %d, zone %15s", &node, name) != 2)
			continue;
		if (first < 0)
			first = node;
		if (node != first)
			break;
		idx++;
		if (!strcmp(name, "Normal"))
			normal = idx;
	}
	for (line = strtok_r(buf, "\n", &save); ; line = strtok_r(NULL, "\n", &save)) {
		if (!line || sscanf(line, "Node %d, zone %15s", &node, name) == 2) {
			if (mirrored && nfree > high + prot)
				sum += nfree - high - prot;
			if (!line)
				break;
			mirrored = strcmp(name, "Movable");
			nfree = 0;
			high = 0;
			prot = 0;
			continue;
		}
		for (p = line; *p == ' '; p++)
			;
		if (sscanf(p, "pages free %lld", &nfree) == 1 ||
		    sscanf(p, "high %lld", &high) == 1)
			continue;
		if (!strncmp(p, "protection: (", 13) && normal >= 0) {
			char *q = p + 13;
			int i;

			for (i = 0; i < normal && q; i++) {
				q = strchr(q, ',');
				q = q ? q + 1 : NULL;
			}
			if (q)
				prot = strtoll(q, NULL, 10);
		}
	}
	free(buf);
	return sum;
}

#endif /* MEM_RELIABLE_UTIL_H */
