/* cli.c — shared option handling, --help and --version. */
#include "cli.h"
#include "error.h"
#include "value.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void vbr_cli_init(struct vbr_cli *c, const char *progname, const char *usage)
{
	memset(c, 0, sizeof *c);
	vbr_progname = progname;
	c->usage = usage;
	vbr_terms_init(&c->terms);
}

void vbr_cli_usage_error(const struct vbr_cli *c, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "%s: ", vbr_progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nusage: %s", c->usage);
	exit(EX_USAGE);
}

int vbr_cli_option(struct vbr_cli *c, int opt, const char *arg)
{
	int64_t n;
	switch (opt) {
	case VBR_OPT_TERMS:
		c->terms_file = arg;
		return 1;
	case VBR_OPT_ORG_TERMS:
		c->org_terms_file = arg;
		return 1;
	case VBR_OPT_SET:
		c->sets = vbr_xrealloc(c->sets, (size_t)(c->nsets + 1) * sizeof *c->sets);
		c->sets[c->nsets++] = arg;
		return 1;
	case VBR_OPT_REJECTS:
		c->rejects = arg;
		return 1;
	case VBR_OPT_MAX_REJECTS:
		if (vbr_parse_count(arg, strlen(arg), &n) != VBR_OK)
			vbr_cli_usage_error(c, "--max-rejects '%s': expected a count", arg);
		c->max_rejects = n;
		return 1;
	case 'v':
		c->verbose = 1;
		return 1;
	case VBR_OPT_HELP:
		printf("usage: %s", c->usage);
		exit(0);
	case VBR_OPT_VERSION:
		printf("%s (vbr) %s\n", vbr_progname, VBR_VERSION);
		exit(0);
	case '?':
		fprintf(stderr, "usage: %s", c->usage);
		exit(EX_USAGE);
	}
	return 0;
}

void vbr_cli_done(struct vbr_cli *c)
{
	if (c->terms_file)
		vbr_terms_load(&c->terms, c->terms_file);
	if (c->org_terms_file)
		vbr_terms_load_org(&c->terms, c->org_terms_file);
	for (int i = 0; i < c->nsets; i++)
		vbr_terms_set(&c->terms, c->sets[i]);
}

void vbr_cli_free(struct vbr_cli *c)
{
	vbr_terms_free(&c->terms);
	free(c->sets);
	c->sets = NULL;
}
