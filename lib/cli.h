/*
 * cli.h — the options every tool shares (SPEC §4, §5):
 *   --terms FILE  --org-terms FILE  --set NAME=VALUE
 *   --rejects FILE  --max-rejects N  -v  --help  --version
 *
 *   VBR_CLI_LONGOPTS          entries for a tool's getopt_long table
 *   vbr_cli_init(c, usage)    usage: the SYNOPSIS text --help prints
 *   vbr_cli_option(c, opt, arg)  handle a shared option; 1 if it was one
 *   vbr_cli_usage_error(c, fmt, ...)  message + usage, exit 64
 *   vbr_cli_done(c)           load the terms files and --set values
 */
#ifndef VBR_CLI_H
#define VBR_CLI_H

#include <getopt.h>
#include <stdint.h>

#include "terms.h"

#ifndef VBR_VERSION
#define VBR_VERSION "0.0.0"
#endif

enum {
	VBR_OPT_TERMS = 1000,
	VBR_OPT_ORG_TERMS,
	VBR_OPT_SET,
	VBR_OPT_REJECTS,
	VBR_OPT_MAX_REJECTS,
	VBR_OPT_HELP,
	VBR_OPT_VERSION,
};

#define VBR_CLI_LONGOPTS                                                   \
	{"terms", required_argument, NULL, VBR_OPT_TERMS},                 \
	{"org-terms", required_argument, NULL, VBR_OPT_ORG_TERMS},         \
	{"set", required_argument, NULL, VBR_OPT_SET},                     \
	{"rejects", required_argument, NULL, VBR_OPT_REJECTS},             \
	{"max-rejects", required_argument, NULL, VBR_OPT_MAX_REJECTS},     \
	{"verbose", no_argument, NULL, 'v'},                               \
	{"help", no_argument, NULL, VBR_OPT_HELP},                         \
	{"version", no_argument, NULL, VBR_OPT_VERSION}

struct vbr_cli {
	const char *usage;
	const char *terms_file, *org_terms_file, *rejects;
	int64_t max_rejects;
	int verbose;
	int nsets;
	const char **sets;
	struct vbr_terms terms;
};

void vbr_cli_init(struct vbr_cli *c, const char *progname, const char *usage);
int vbr_cli_option(struct vbr_cli *c, int opt, const char *arg);
void vbr_cli_usage_error(const struct vbr_cli *c, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 2, 3)));
void vbr_cli_done(struct vbr_cli *c);
void vbr_cli_free(struct vbr_cli *c);

#endif
