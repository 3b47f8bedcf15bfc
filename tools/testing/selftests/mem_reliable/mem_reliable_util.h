/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the memory reliability tiering selftests: /proc and
 * /sys readers, and the mirrored ranges given on the kernel command line.
 */
#ifndef MEM_RELIABLE_UTIL_H
#define MEM_RELIABLE_UTIL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>

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

#endif /* MEM_RELIABLE_UTIL_H */
