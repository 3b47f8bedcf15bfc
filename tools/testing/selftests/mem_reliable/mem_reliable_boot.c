// SPDX-License-Identifier: GPL-2.0
/*
 * mem_reliable_boot MODE: check the outcome of the boot-time decision of
 * kernelcore=reliable for the way this guest was booted.
 *
 * MODE is one of
 *   on              kernelcore=reliable with mirrored and non-mirrored memory
 *   reliable-first  kernelcore=reliable kernelcore=mirror: tiering on
 *   mirror-first    kernelcore=mirror kernelcore=reliable: mirror kept
 *   no-mirror       kernelcore=reliable, no mirrored memory
 *   only-mirror     kernelcore=reliable, all memory mirrored
 *   kdump           kernelcore=reliable in a kdump kernel
 *   bad-mirror      kernelcore=reliable with a malformed mirrored_mem=:
 *                   the whole list is ignored with a warning
 */
#include "../kselftest.h"
#include "mem_reliable_util.h"

#define PREFIX		"mem reliable: "
#define INIT_LINE	PREFIX "init succeed, mirrored memory size "

struct mode {
	const char *name;
	bool on;		/* tiering expected on */
	bool movable;		/* ZONE_MOVABLE expected populated */
	const char *log;	/* expected refusal warning, or NULL */
	const char *kept;	/* kernelcore= kept after a conflict, or NULL */
};

static const struct mode modes[] = {
	{ "on", true, true, NULL, NULL },
	{ "reliable-first", true, true, NULL, "reliable" },
	{ "mirror-first", false, true,
	  PREFIX "kernelcore=mirror given first, tiering off", "mirror" },
	{ "no-mirror", false, false,
	  PREFIX "no mirrored memory, tiering off", NULL },
	{ "only-mirror", false, false,
	  PREFIX "no non-mirrored memory above 4 GiB, tiering off", NULL },
	{ "kdump", false, false, PREFIX "kdump kernel, tiering off", NULL },
	{ "bad-mirror", false, false,
	  PREFIX "no mirrored memory, tiering off", NULL },
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

/* The conflict warning for @kept winning over the other option. */
static void conflict_line(char *buf, size_t len, const char *kept)
{
	const char *other = strcmp(kept, "mirror") ? "mirror" : "reliable";

	snprintf(buf, len,
		 PREFIX "kernelcore=%s conflicts with kernelcore=%s, keeping kernelcore=%s",
		 other, kept, kept);
}

int main(int argc, char **argv)
{
	const struct mode *m = NULL;
	struct mr_zone z[MR_MAX_ZONES];
	long long total, used;
	char line[160];
	unsigned int i;
	int nz;

	for (i = 0; argc == 2 && i < ARRAY_SIZE(modes); i++)
		if (!strcmp(argv[1], modes[i].name))
			m = &modes[i];
	if (!m) {
		fprintf(stderr, "usage: %s MODE, see the source\n", argv[0]);
		return KSFT_FAIL;
	}

	ksft_print_header();
	ksft_set_plan(6);

	ksft_test_result(mr_klog_has(INIT_LINE) == m->on,
			 "%s: init line %s\n", m->name,
			 m->on ? "printed" : "absent");
	if (m->log)
		ksft_test_result(mr_klog_has(m->log), "%s: log has '%s'\n",
				 m->name, m->log);
	else
		ksft_test_result(!any_refusal_logged(),
				 "%s: no refusal warning\n", m->name);
	if (m->kept) {
		conflict_line(line, sizeof(line), m->kept);
		ksft_test_result(mr_klog_has(line), "%s: log has '%s'\n",
				 m->name, line);
	} else if (!strcmp(m->name, "bad-mirror")) {
		ksft_test_result(mr_klog_has("mirrored_mem: bad range at ") &&
				 !mr_klog_has("marked mirrored"),
				 "%s: warned, no range marked\n", m->name);
	} else {
		ksft_test_result(!mr_klog_has("conflicts with kernelcore="),
				 "%s: no conflict warning\n", m->name);
	}

	total = mr_meminfo("ReliableTotal");
	used = mr_meminfo("ReliableUsed");
	if (m->on)
		ksft_test_result(total > 0 && used > 0 && used < total,
				 "%s: meminfo ReliableTotal %lld kB, ReliableUsed %lld kB\n",
				 m->name, total, used);
	else
		ksft_test_result(total == -1 && used == -1,
				 "%s: meminfo has no Reliable lines\n", m->name);

	nz = mr_zoneinfo(z, MR_MAX_ZONES);
	ksft_test_result((mr_zone_present(z, nz, -1, "Movable") > 0) == m->movable,
			 "%s: ZONE_MOVABLE %s\n", m->name,
			 m->movable ? "populated" : "empty");

	if (m->on) {
		long long mib = cmdline_mirror_mib(), got;
		bool ok = false;

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
