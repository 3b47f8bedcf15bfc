// SPDX-License-Identifier: GPL-2.0
/*
 * clear_freelist_bench: the speed of clear_freelist_pages against the
 * kernel's page-clearing primitive, for make bench (under QEMU -icount
 * guest time counts instructions, so the figures repeat).
 *
 *   clear_freelist_bench [ROUNDS]
 *
 * Each round fills 512 MiB with a pattern and frees it, runs
 * clear_freelist_pages, and reads from last_run the pages node 0 cleared
 * and the time its walk took; then has the test-only debugfs file
 * clear_page_ns clear as many pages with clear_highpage().  Prints the
 * medians over the rounds, and the longest section with interrupts off of
 * all rounds: "B cfp_pages_per_s <N> ref_pages_per_s <N> ratio <R>
 * max_irqs_off_us <N> rounds <R>" (ratio: clear_freelist_pages against the
 * reference, per node).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define SYSCTL		"/proc/sys/vm/clear_freelist_pages"
#define TIMEOUT		"/sys/module/clear_freelist_page/parameters/cfp_timeout_ms"
#define LAST_RUN	"/sys/kernel/mm/clear_freelist_page/last_run"
#define REF		"/sys/kernel/debug/clear_freelist_page/clear_page_ns"
#define MiB		(1024UL * 1024)

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY), ret = 0;

	if (fd < 0)
		return -1;
	if (write(fd, s, strlen(s)) < 0)
		ret = -1;
	close(fd);
	return ret;
}

static long long keyed(const char *path, const char *key)
{
	static char buf[8192];
	size_t len = strlen(key);
	int fd = open(path, O_RDONLY);
	ssize_t n;
	char *p;

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = 0;
	for (p = buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, key, len) && p[len] == ' ')
			return atoll(p + len + 1);
	return -1;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_d);
	return v[n / 2];
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 5, r;
	double cfp[32], ref[32], ratio[32], irqs_max = 0;
	size_t len = 512 * MiB, i;

	if (rounds < 1 || rounds > 32)
		rounds = 5;
	if (write_str(TIMEOUT, "3600000")) {
		fprintf(stderr, "no %s\n", TIMEOUT);
		return 1;
	}
	for (r = 0; r < rounds; r++) {
		uint64_t *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		long long cleared, us, pages, ns;
		char buf[32];

		if (p == MAP_FAILED)
			return 1;
		for (i = 0; i < len / 8; i += 8)
			p[i] = 0x5aa5c33cf00f9669ULL;
		munmap(p, len);
		if (write_str(SYSCTL, "1")) {
			fprintf(stderr, "round %d: the run failed\n", r);
			return 1;
		}
		cleared = keyed(LAST_RUN, "node0_cleared");
		us = keyed(LAST_RUN, "node0_time_us");
		if (keyed(LAST_RUN, "max_irqs_off_us") > irqs_max)
			irqs_max = keyed(LAST_RUN, "max_irqs_off_us");
		snprintf(buf, sizeof(buf), "%lld", cleared);
		if (cleared <= 0 || us <= 0 || write_str(REF, buf)) {
			fprintf(stderr, "round %d: no figures\n", r);
			return 1;
		}
		pages = keyed(REF, "pages");
		ns = keyed(REF, "ns");
		if (pages <= 0 || ns <= 0)
			return 1;
		cfp[r] = cleared * 1e6 / us;
		ref[r] = pages * 1e9 / ns;
		ratio[r] = cfp[r] / ref[r];
		printf("# round %d: %lld pages in %lld us, reference %lld pages in %lld us\n",
		       r, cleared, us, pages, ns / 1000);
	}
	printf("B cfp_pages_per_s %.0f ref_pages_per_s %.0f ratio %.3f ",
	       median(cfp, rounds), median(ref, rounds), median(ratio, rounds));
	printf("max_irqs_off_us %.0f rounds %d\n", irqs_max, rounds);
	write_str(TIMEOUT, "2000");
	return 0;
}
