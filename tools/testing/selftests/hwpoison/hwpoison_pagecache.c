// SPDX-License-Identifier: GPL-2.0
/*
 * hwpoison_pagecache: poisoned page-cache pages of a real file system
 * (ext4 on /dev/vda, given by the harness).
 *
 *  - a clean page is dropped: reading the file again gives the data
 *    intact, from a new page, and the old page stays poisoned;
 *  - a dirty page is lost: the writer's next fsync() reports EIO, once.
 */
#define _GNU_SOURCE
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include "../kselftest.h"
#include "hwpoison_util.h"

#define MNT	"/mnt/hwpoison"

static long psize;

/* PFN of page 0 of @fd, through a temporary read-only mapping. */
static unsigned long file_pfn(int fd)
{
	char *p = mmap(NULL, psize, PROT_READ, MAP_SHARED, fd, 0);
	unsigned long pfn;

	if (p == MAP_FAILED)
		return 0;
	__atomic_load_n(p, __ATOMIC_SEQ_CST);	/* fault it in */
	pfn = hwp_pfn(p);
	munmap(p, psize);
	return pfn;
}

static int make_file(const char *path, int fill, bool sync)
{
	char *buf = malloc(psize);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);

	if (fd < 0 || !buf)
		ksft_exit_fail_msg("%s: %s\n", path, strerror(errno));
	memset(buf, fill, psize);
	if (write(fd, buf, psize) != psize || (sync && fsync(fd)))
		ksft_exit_fail_msg("write %s: %s\n", path, strerror(errno));
	free(buf);
	return fd;
}

static bool file_is(int fd, int fill)
{
	char *buf = malloc(psize);
	bool ok = buf && pread(fd, buf, psize, 0) == psize;
	long i;

	for (i = 0; ok && i < psize; i++)
		ok = buf[i] == fill;
	free(buf);
	return ok;
}

int main(void)
{
	unsigned long pfn, pfn2;
	long long hc0, hc1;
	int fd, err, ret;

	psize = sysconf(_SC_PAGESIZE);
	prctl(PR_MCE_KILL, PR_MCE_KILL_SET, PR_MCE_KILL_LATE, 0, 0);
	mkdir("/mnt", 0755);
	if (mount("/dev/vda", "/mnt", "ext4", 0, NULL) && errno != EBUSY)
		ksft_exit_fail_msg("mount /dev/vda: %s\n", strerror(errno));
	mkdir(MNT, 0755);
	ksft_print_header();
	ksft_set_plan(5);

	/* clean page */
	fd = make_file(MNT "/clean", 0x6b, true);
	pfn = file_pfn(fd);
	hc0 = hwp_hardware_corrupted_kb();
	err = hwp_corrupt_pfn(pfn);
	hc1 = hwp_hardware_corrupted_kb();
	ksft_test_result(pfn && !err && hc1 == hc0 + psize / 1024 &&
			 (hwp_kpageflags(pfn) & (1ULL << KPF_HWPOISON)),
			 "clean page-cache pfn %#lx poisoned (HardwareCorrupted %lld -> %lld kB)\n",
			 pfn, hc0, hc1);
	ksft_test_result(file_is(fd, 0x6b),
			 "clean page: the file reads back intact\n");
	pfn2 = file_pfn(fd);
	ksft_test_result(pfn2 && pfn2 != pfn,
			 "clean page: re-read into a new page (%#lx)\n", pfn2);
	close(fd);

	/* dirty page */
	fd = make_file(MNT "/dirty", 0x5d, false);
	pfn = file_pfn(fd);
	err = hwp_corrupt_pfn(pfn);
	errno = 0;
	ret = fsync(fd);
	ksft_test_result(pfn && !err && ret == -1 && errno == EIO,
			 "dirty page-cache pfn %#lx poisoned: fsync EIO (ret %d errno %d)\n",
			 pfn, ret, errno);
	ksft_test_result(fsync(fd) == 0,
			 "dirty page: the error is reported once\n");
	close(fd);

	umount("/mnt");
	ksft_finished();
}
