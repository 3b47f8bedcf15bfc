// SPDX-License-Identifier: GPL-2.0
/*
 * mem_reliable_boot MODE: check the outcome of the boot-time decision of
 * kernelcore=reliable for the way this guest was booted.
 *
 * MODE is one of
 *   on              kernelcore=reliable with mirrored and non-mirrored memory
 *   reliable-first  kernelcore=reliable kernelcore=mirror kernelcore=SIZE:
 *                   tiering on, the later two warned about
 *   mirror-first    kernelcore=mirror,reliable kernelcore=reliable: the
 *                   first is kernelcore=mirror, which is kept
 *   no-mirror       kernelcore=reliable, no mirrored memory
 *   only-mirror     kernelcore=reliable, all memory mirrored
 *   kdump           kernelcore=reliable in a kdump kernel
 *   movable-node    kernelcore=reliable with movable_node: refused
 *   unmirrored      kernelcore=reliable with non-mirrored memory below
 *                   4 GiB: tiering on, the remainder logged
 *   bad-mirror      kernelcore=reliable with a malformed mirrored_mem=:
 *                   the whole list is ignored with a warning naming the
 *                   bad range
 *   bad-mirror-repeat  a mirrored_mem= with a trailing comma, then a
 *                   second, valid one: both ignored
 *   bad-mirror-align   a range not aligned to the memory block size
 */
#include "../kselftest.h"
#include "mem_reliable_util.h"

#define PREFIX		"mem reliable: "
#define INIT_LINE	PREFIX "init succeed, mirrored memory size "
#define UNMIRRORED	" kB of non-mirrored memory outside ZONE_MOVABLE is in the mirrored tier (ReliableUnmirrored)"
#define NO_MIRROR	PREFIX "no mirrored memory, tiering off"
#define KEEP_RELIABLE	\
	"mem reliable: kernelcore=mirror conflicts with kernelcore=reliable, keeping kernelcore=reliable"
#define KEEP_MIRROR	\
	"mem reliable: kernelcore=reliable conflicts with kernelcore=mirror, keeping kernelcore=mirror"
#define UNALIGNED	\
	"mirrored_mem: range 0x000000000c800000@0x0000000120000000 not aligned to the memory block size 128 MiB, ignoring all"

struct mode {
	const char *name;
	bool on;		/* tiering expected on */
	bool movable;		/* ZONE_MOVABLE expected populated */
	bool marked;		/* mirrored_mem= ranges expected marked */
	const char *log;	/* expected refusal warning, or NULL */
	const char *lines[2];	/* other lines the log must have */
};

static const struct mode modes[] = {
	{ "on", true, true, true, NULL, { NULL } },
	{ "reliable-first", true, true, true, NULL,
	  { KEEP_RELIABLE,
	    PREFIX "kernelcore=reliable given, the kernelcore= size is ignored" } },
	{ "mirror-first", false, true, true,
	  PREFIX "kernelcore=mirror given first, tiering off",
	  { KEEP_MIRROR } },
	{ "no-mirror", false, false, false, NO_MIRROR, { NULL } },
	{ "only-mirror", false, false, true,
	  PREFIX "no non-mirrored memory above 4 GiB, tiering off", { NULL } },
	{ "kdump", false, false, true, PREFIX "kdump kernel, tiering off",
	  { NULL } },
	{ "movable-node", false, false, true,
	  PREFIX "movable_node puts hotpluggable memory in ZONE_MOVABLE, tiering off",
	  { NULL } },
	/* UNMIRRORED alone: the line with the non-mirrored RAM below 4 GiB */
	{ "unmirrored", true, true, true, NULL, { UNMIRRORED } },
	{ "bad-mirror", false, false, false, NO_MIRROR,
	  { "mirrored_mem: bad range '256Mx4G', want SIZE@START; ignoring all" } },
	{ "bad-mirror-repeat", false, false, false, NO_MIRROR,
	  { "mirrored_mem: empty range after ',', ignoring all",
	    "mirrored_mem: given more than once, ignoring all" } },
	{ "bad-mirror-align", false, false, false, NO_MIRROR,
	  { UNALIGNED } },
};

/*
 * Warnings of the series that only some modes expect: each must be in the
 * log exactly when the mode lists a line that contains it.
 */
static const char * const watched[] = {
	"conflicts with kernelcore=",
	"the kernelcore= size is ignored",
	UNMIRRORED,
	"mirrored_mem: bad range",
	"mirrored_mem: empty range",
	"mirrored_mem: given more than once",
	"not aligned to the memory block size",
};

/* Sum of the mirrored_mem= ranges in MiB. */
static long long cmdline_mirror_mib(void)
{
	struct mr_range r[MR_MAX_RANGES];
	int i, nr = mr_cmdline_mirrors(r, MR_MAX_RANGES);
	long long sum = 0;

	for (i = 0; i < nr; i++)
		sum += r[i].size >> 20;
	return sum;
}

static bool any_refusal_logged(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(modes); i++)
		if (modes[i].log && mr_klog_has(modes[i].log))
			return true;
	return false;
}

/* The warning with the non-mirrored RAM below 4 GiB, from /proc/iomem. */
static void unmirrored_line(char *buf, size_t len)
{
	unsigned long long low = 0, high;
	struct mr_range r[MR_MAX_RANGES];
	int nr = mr_cmdline_mirrors(r, MR_MAX_RANGES);

	mr_unmirrored_ram_kb(r, nr, &low, &high);
	snprintf(buf, len, PREFIX "%llu" UNMIRRORED, low);
}

static bool mode_expects(const struct mode *m, const char *w)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(m->lines); i++)
		if (m->lines[i] && strstr(m->lines[i], w))
			return true;
	return false;
}

int main(int argc, char **argv)
{
	const struct mode *m = NULL;
	struct mr_zone z[MR_MAX_ZONES];
	long long total, used, unmirrored;
	char line[200];
	unsigned int i;
	bool ok;
	int nz;

	for (i = 0; argc == 2 && i < ARRAY_SIZE(modes); i++)
		if (!strcmp(argv[1], modes[i].name))
			m = &modes[i];
	if (!m) {
		fprintf(stderr, "usage: %s MODE, see the source\n", argv[0]);
		return KSFT_FAIL;
	}

	ksft_print_header();
	ksft_set_plan(8);

	ksft_test_result(mr_klog_has(INIT_LINE) == m->on,
			 "%s: init line %s\n", m->name,
			 m->on ? "printed" : "absent");
	if (m->log)
		ksft_test_result(mr_klog_has(m->log), "%s: log has '%s'\n",
				 m->name, m->log);
	else
		ksft_test_result(!any_refusal_logged(),
				 "%s: no refusal warning\n", m->name);

	ok = true;
	for (i = 0; i < ARRAY_SIZE(m->lines); i++) {
		const char *want = m->lines[i];

		if (want && !strcmp(want, UNMIRRORED)) {
			unmirrored_line(line, sizeof(line));
			want = line;
		}
		if (want && !mr_klog_has(want)) {
			ksft_print_msg("log lacks '%s'\n", want);
			ok = false;
		}
	}
	ksft_test_result(ok, "%s: log has the expected warnings\n", m->name);
	ok = true;
	for (i = 0; i < ARRAY_SIZE(watched); i++) {
		if (!mode_expects(m, watched[i]) && mr_klog_has(watched[i])) {
			ksft_print_msg("log has '%s'\n", watched[i]);
			ok = false;
		}
	}
	ksft_test_result(ok, "%s: no other warnings\n", m->name);
	ksft_test_result(mr_klog_has("marked mirrored (test only)") == m->marked,
			 "%s: mirrored_mem= ranges %s\n", m->name,
			 m->marked ? "marked" : "not marked");

	total = mr_meminfo("ReliableTotal");
	used = mr_meminfo("ReliableUsed");
	unmirrored = mr_meminfo("ReliableUnmirrored");
	if (m->on)
		ksft_test_result(total > 0 && used > 0 && used < total &&
				 unmirrored >= 0 && unmirrored < total &&
				 (unmirrored > 0) == mode_expects(m, UNMIRRORED),
				 "%s: meminfo ReliableTotal %lld kB, ReliableUsed %lld kB, ReliableUnmirrored %lld kB\n",
				 m->name, total, used, unmirrored);
	else
		ksft_test_result(total == -1 && used == -1 && unmirrored == -1,
				 "%s: meminfo has no Reliable lines\n", m->name);

	nz = mr_zoneinfo(z, MR_MAX_ZONES);
	ksft_test_result((mr_zone_present(z, nz, -1, "Movable") > 0) == m->movable,
			 "%s: ZONE_MOVABLE %s\n", m->name,
			 m->movable ? "populated" : "empty");

	if (m->on) {
		long long mib = cmdline_mirror_mib(), got;

		ok = false;
		/* The log gives mirrored RAM; the ranges also cover holes. */
		for (got = mib; got > mib - 64 && !ok; got--) {
			snprintf(line, sizeof(line), INIT_LINE "%lld MiB", got);
			ok = mr_klog_has(line);
		}
		ksft_test_result(ok, "%s: logged mirrored size within 64 MiB of %lld MiB\n",
				 m->name, mib);
	} else {
		ksft_test_result(!mr_klog_has("mirrored memory size"),
				 "%s: no mirrored size logged\n", m->name);
	}

	ksft_finished();
}
