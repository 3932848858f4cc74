/*
 * vbr.c — the front command (vbr(1)), not a filter: `make install` puts the
 * tools in $PREFIX/libexec/vbr, where their generic names (target, report,
 * settle, ...) cannot collide with other programs, and only `vbr` in
 * $PREFIX/bin. `vbr TOOL ARG...` runs the tool with its arguments as they
 * are; `vbr pipeline NAME ARG...` runs an installed pipeline under make.
 * Nothing is passed through a shell.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "names.h"

#ifndef VBR_LIBEXEC
#define VBR_LIBEXEC "/usr/local/libexec/vbr"
#endif
#ifndef VBR_PIPELINES
#define VBR_PIPELINES "/usr/local/share/vbr/pipelines"
#endif

static const char *const tools[] = {
	"ingest", "synth", "partition", "attribute", "cohort-select", "cap-large-claims", "complete",
	"mix-factor", "target", "settle", "simulate", "report"};
static const char *const pipelines[] = {"reconcile", "demo", "desynpuf", "cclf"};

/* Is name one of the n names? */
static int known(const char *name, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(name, names[i]) == 0)
			return 1;
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: vbr TOOL [ARG ...]\n"
		   "       vbr pipeline NAME [VARIABLE=VALUE ...] [TARGET]\n"
		   "       vbr --help | --version\n\n"
		   "Run a vbr tool (vbr(1), vbr(7)), or a pipeline under make "
		   "(vbr-pipelines(7)).\n\nTools (in %s):\n", VBR_LIBEXEC);
	for (size_t i = 0; i < LEN(tools); i++)
		fprintf(f, "  %s\n", tools[i]);
	fprintf(f, "\nPipelines (in %s):\n", VBR_PIPELINES);
	for (size_t i = 0; i < LEN(pipelines); i++)
		fprintf(f, "  %s\n", pipelines[i]);
}

/* An unknown name: the usage error, with the nearest known name. */
static void unknown(const char *what, const char *name, const char *const *names, size_t n)
{
	const char *near = vbr_suggest(name, names, n);
	fprintf(stderr, "vbr: no %s '%s'%s%s%s; vbr --help lists them\n", what, name,
		near ? " (did you mean " : "", near ? near : "", near ? "?)" : "");
	exit(EX_USAGE);
}

/* Replace this process with path, argv as given (no shell, no PATH). */
static void run(const char *path, char **argv)
{
	execv(path, argv);
	fprintf(stderr, "vbr: %s: %s\n", path, strerror(errno));
	exit(errno == ENOENT ? EX_UNAVAILABLE : EX_OSERR);
}

int main(int argc, char **argv)
{
	char path[4096];
	if (argc < 2) {
		usage(stderr);
		return EX_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("vbr %s\n", VBR_VERSION);
		return 0;
	}
	if (strcmp(argv[1], "pipeline") == 0) {
		if (argc < 3)
			unknown("pipeline", "", pipelines, LEN(pipelines));
		if (!known(argv[2], pipelines, LEN(pipelines)))
			unknown("pipeline", argv[2], pipelines, LEN(pipelines));
		snprintf(path, sizeof path, "%s/%s.mk", VBR_PIPELINES, argv[2]);
		/* make -f PATH ARG...: argv[3..] follow */
		char **args = calloc((size_t)argc + 2, sizeof *args);
		if (!args)
			return EX_OSERR;
		args[0] = "make";
		args[1] = "-f";
		args[2] = path;
		for (int i = 3; i < argc; i++)
			args[i] = argv[i];
		execvp("make", args);
		fprintf(stderr, "vbr: make: %s\n", strerror(errno));
		return EX_UNAVAILABLE;
	}
	if (!known(argv[1], tools, LEN(tools)))
		unknown("tool", argv[1], tools, LEN(tools));
	snprintf(path, sizeof path, "%s/%s", VBR_LIBEXEC, argv[1]);
	run(path, argv + 1);
	return EX_OSERR;
}
