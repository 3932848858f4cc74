/* cli.c — the one command-line parser every tool uses; see cli.h. */
#include "cli.h"
#include "account.h"
#include "error.h"
#include "reader.h"
#include "value.h"

#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_OPTIONS 48

static void print_help(void), print_version(void);

/* The shared options, each in the group a tool names to take it. */
static const struct vbr_option shared_options[] = {
	VBR_OPT(struct vbr_cli, terms_file, "terms", 0, VBR_ARG_TEXT, "FILE",
		"the contract terms (vbr-terms(5)): columns term, value",
		.flags = VBR_IN_CLI, .group = VBR_WITH_TERMS),
	VBR_OPT(struct vbr_cli, org_terms_file, "org-terms", 0, VBR_ARG_TEXT, "FILE",
		"per-org terms: column org_id plus any term names; an org's value wins "
		"over --terms",
		.flags = VBR_IN_CLI, .group = VBR_WITH_ORG_TERMS),
	VBR_OPT(struct vbr_cli, sets, "set", 0, VBR_ARG_LIST, "NAME=VALUE",
		"set a term, over both files (repeatable)",
		.flags = VBR_IN_CLI, .group = VBR_WITH_TERMS),
	VBR_OPT(struct vbr_cli, check_terms, "check-terms", 0, VBR_ARG_FLAG, NULL,
		"check the terms files and --set values against vbr-terms(5) and exit "
		"(0, or 64 naming file and line); no data is read",
		.flags = VBR_IN_CLI, .group = VBR_WITH_TERMS),
	VBR_OPT(struct vbr_cli, rejects, "rejects", 0, VBR_ARG_TEXT, "FILE",
		"write bad records to FILE (the line plus reject_reason, source, line) "
		"and go on",
		.flags = VBR_IN_CLI, .group = VBR_WITH_REJECTS),
	VBR_OPT(struct vbr_cli, max_rejects, "max-rejects", 0, VBR_ARG_COUNT, "N",
		"exit 0 when at most N records were rejected",
		.flags = VBR_IN_CLI, .group = VBR_WITH_REJECTS, .deflt = "0", .lo = 0,
		.hi = INT64_MAX),
	VBR_OPT(struct vbr_cli, max_record, "max-record", 0, VBR_ARG_COUNT, "BYTES",
		"the longest record read; a longer one stops the tool (65) with its line",
		.flags = VBR_IN_CLI, .group = VBR_WITH_INPUT, .deflt = "1048576", .lo = 1024,
		.hi = (int64_t)1 << 40),
	VBR_OPT(struct vbr_cli, stdin_name, "stdin-name", 0, VBR_ARG_TEXT, "NAME",
		"what messages and rejects call standard input (-): the file it was "
		"read from",
		.flags = VBR_IN_CLI, .group = VBR_WITH_INPUT, .deflt = "(stdin)"),
	VBR_OPT(struct vbr_cli, verbose, "verbose", 'v', VBR_ARG_FLAG, NULL,
		"print the accounting line (read, written, rejected, left out) to "
		"standard error",
		.flags = VBR_IN_CLI, .group = VBR_WITH_VERBOSE),
	{.name = "help", .letter = 'h', .arg = VBR_ARG_ACTION, .help = "print this help and exit",
	 .action = print_help},
	{.name = "version", .arg = VBR_ARG_ACTION, .help = "print the version and exit",
	 .action = print_version},
	{.name = NULL},
};

/* The parse in progress: the tool's options and the table in force. */
static struct {
	const struct vbr_command *cmd;
	char made[1024];             /* the synopsis made from the table */
	void *opts;
	struct vbr_cli *cli;
	const struct vbr_option *opt[MAX_OPTIONS];
	int given[MAX_OPTIONS];
	int n;
} P;

void vbr_cli_usage_error(const struct vbr_cli *c, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "%s: ", vbr_progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nusage: %s", c->synopsis);
	exit(EX_USAGE);
}

static void *dest_of(const struct vbr_option *o)
{
	return (char *)(o->flags & VBR_IN_CLI ? (void *)P.cli : P.opts) + o->dest;
}

/* "--name" or "-l, --name METAVAR": how help and messages show an option. */
static const char *spelling(const struct vbr_option *o, char *buf, size_t len, int full)
{
	char letter[8] = "";
	if (full && o->letter)
		snprintf(letter, sizeof letter, "-%c, ", o->letter);
	else if (full)
		snprintf(letter, sizeof letter, "    ");
	snprintf(buf, len, "%s--%s%s%s", letter, o->name, full && o->metavar ? " " : "",
		 full && o->metavar ? o->metavar : "");
	return buf;
}

/* Store one option's argument in its destination, checked by its kind. */
static void set_value(const struct vbr_option *o, const char *arg)
{
	char name[64], list[256];
	void *d = dest_of(o);
	spelling(o, name, sizeof name, 0);
	switch (o->arg) {
	case VBR_ARG_FLAG:
		*(int *)d = 1;
		break;
	case VBR_ARG_TEXT:
		*(const char **)d = arg;
		break;
	case VBR_ARG_LIST: {
		struct vbr_strings *s = d;
		s->v = vbr_xrealloc(s->v, (size_t)(s->n + 1) * sizeof *s->v);
		s->v[s->n++] = arg;
		break;
	}
	case VBR_ARG_COUNT: {
		int64_t v;
		if (vbr_parse_count(arg, strlen(arg), &v) != VBR_OK || v < o->lo || v > o->hi) {
			if (o->hi == INT64_MAX)
				vbr_cli_usage_error(P.cli, "%s: '%s' is not a count of at least %lld",
						    name, arg, (long long)o->lo);
			vbr_cli_usage_error(P.cli, "%s: '%s' is not a count from %lld to %lld", name,
					    arg, (long long)o->lo, (long long)o->hi);
		}
		*(int64_t *)d = v;
		break;
	}
	case VBR_ARG_CHOICE:
		if (vbr_name_find(o->choices, arg, strlen(arg), (int *)d) != 0)
			vbr_cli_usage_error(P.cli, "%s: '%s' is not %s", name, arg,
					    vbr_names_list(o->choices, list, sizeof list));
		break;
	case VBR_ARG_ACTION:
		o->action();
		break;
	}
}

static void take(const struct vbr_option *o)
{
	if (P.n == MAX_OPTIONS)
		vbr_die(EX_SOFTWARE, "more than %d options", MAX_OPTIONS);
	P.opt[P.n++] = o;
}

/* The table in force: the tool's options, then the shared groups it takes. */
static void gather(const struct vbr_command *cmd)
{
	P.n = 0;
	for (const struct vbr_option *o = cmd->options; o && o->name; o++)
		take(o);
	int groups = cmd->groups | (cmd->operands ? VBR_WITH_INPUT : 0);
	for (const struct vbr_option *o = shared_options; o->name; o++)
		if (!o->group || (groups & o->group))
			take(o);
}

/* An unknown option, with the nearest known one when there is one. */
static void unknown_option(const char *word)
{
	const char *names[MAX_OPTIONS];
	char name[128];
	size_t len = strcspn(word, "=");
	snprintf(name, sizeof name, "%.*s", (int)(len < 100 ? len : 100), word);
	for (int i = 0; i < P.n; i++)
		names[i] = P.opt[i]->name;
	const char *near = strncmp(name, "--", 2) == 0
		? vbr_suggest(name + 2, names, (size_t)P.n) : NULL;
	if (near)
		vbr_cli_usage_error(P.cli, "%s: unknown option; did you mean --%s?", name, near);
	vbr_cli_usage_error(P.cli, "%s: unknown option", name);
}

/* The synopsis from the table in force, as the man pages write it:
 * required options bare, the others in brackets, a short option by its
 * letter, then the operands; wrapped at 79 columns under the first option. */
static const char *make_synopsis(void)
{
	char *b = P.made, word[128];
	size_t len = sizeof P.made, used = 0;
	int indent = 7 + (int)strlen(P.cmd->name) + 1, col = indent;
	used += (size_t)snprintf(b, len, "%s", P.cmd->name);
	for (int i = 0; i <= P.n; i++) {
		const struct vbr_option *o = i < P.n ? P.opt[i] : NULL;
		if (o && (o->arg == VBR_ARG_ACTION || o->group == VBR_WITH_INPUT))
			continue;   /* --help, --version, --list-...: alone; --max-record: vbr(7) */
		if (!o && !P.cmd->operands)
			break;
		char name[128], meta[96] = "";
		if (o && o->choices)          /* a choice names its values: a|b|c */
			for (const struct vbr_name *c = o->choices; c->name; c++)
				snprintf(meta + strlen(meta), sizeof meta - strlen(meta), "%s%s",
					 c == o->choices ? "" : "|", c->name);
		else if (o && o->metavar)
			snprintf(meta, sizeof meta, "%s", o->metavar);
		if (!o)
			snprintf(name, sizeof name, "%s", P.cmd->operands);
		else if (o->letter)
			snprintf(name, sizeof name, "-%c%s%s", o->letter, *meta ? " " : "", meta);
		else
			snprintf(name, sizeof name, "--%s%s%s", o->name, *meta ? " " : "", meta);
		int bare = o && (o->flags & VBR_REQUIRED);
		int n = snprintf(word, sizeof word, bare ? "%s" : "[%s]", name);
		if (col + 1 + n > 79) {
			used += (size_t)snprintf(b + used, len - used, "\n%*s", indent, "");
			col = indent;
		} else {
			used += (size_t)snprintf(b + used, len - used, " ");
			col++;
		}
		used += (size_t)snprintf(b + used, len - used, "%s", word);
		col += n;
		if (used >= len - 1)
			vbr_die(EX_SOFTWARE, "synopsis too long");
	}
	snprintf(b + used, len - used, "\n");
	return b;
}

/* getopt_long over the table in force; each option's val is its index + 256. */
static void run_getopt(int argc, char **argv)
{
	struct option longopts[MAX_OPTIONS + 1];
	char shortopts[2 * MAX_OPTIONS + 2] = ":", *sp = shortopts + 1, name[64];
	for (int i = 0; i < P.n; i++) {
		const struct vbr_option *o = P.opt[i];
		int has_arg = o->arg == VBR_ARG_FLAG || o->arg == VBR_ARG_ACTION
			? no_argument : required_argument;
		longopts[i] = (struct option){o->name, has_arg, NULL, i + 256};
		if (o->letter) {
			*sp++ = (char)o->letter;
			if (has_arg)
				*sp++ = ':';
		}
	}
	longopts[P.n] = (struct option){NULL, 0, NULL, 0};
	*sp = '\0';
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		int i = -1;
		if (c == '?') {
			if (optopt && optopt < 256) {
				char w[3] = {'-', (char)optopt, '\0'};
				unknown_option(w);
			}
			unknown_option(argv[optind - 1]);
		}
		int which = c == ':' ? optopt : c;
		if (which >= 256)
			i = which - 256;
		for (int k = 0; k < P.n && i < 0; k++)
			if (P.opt[k]->letter == which)
				i = k;
		if (i < 0)
			vbr_die(EX_SOFTWARE, "getopt returned %d", c);
		const struct vbr_option *o = P.opt[i];
		spelling(o, name, sizeof name, 0);
		if (c == ':')
			vbr_cli_usage_error(P.cli, "%s: needs a %s", name, o->metavar);
		if (P.given[i]++ && o->arg != VBR_ARG_LIST && o->arg != VBR_ARG_FLAG)
			vbr_cli_usage_error(P.cli, "%s: given twice", name);
		set_value(o, optarg);
	}
}

/* The terms file, the org terms file and the --set values, each checked
 * against the registry as it is read (64 with file and line). */
static void load_terms(struct vbr_cli *cli)
{
	if (cli->terms_file)
		vbr_terms_load(&cli->terms, cli->terms_file);
	if (cli->org_terms_file)
		vbr_terms_load_org(&cli->terms, cli->org_terms_file);
	for (int i = 0; i < cli->sets.n; i++)
		vbr_terms_set(&cli->terms, cli->sets.v[i]);
}

void vbr_cli_parse(const struct vbr_command *cmd, void *opts, struct vbr_cli *cli, int argc,
		   char **argv)
{
	char name[64];
	memset(cli, 0, sizeof *cli);
	signal(SIGPIPE, SIG_IGN);        /* a broken pipe is an EPIPE (writer.c) */
	/* each message line is one write, made whole before it goes: tools
	 * that share a standard error (two stages side by side, one pipe's
	 * tools) never interleave inside a line */
	setvbuf(stderr, NULL, _IOLBF, 0);
	vbr_progname = cmd->name;
	vbr_terms_init(&cli->terms);
	P.cmd = cmd;
	P.opts = opts;
	P.cli = cli;
	memset(P.given, 0, sizeof P.given);
	gather(cmd);
	cli->synopsis = cmd->synopsis ? cmd->synopsis : make_synopsis();
	for (int i = 0; i < P.n; i++)
		if (P.opt[i]->deflt)
			set_value(P.opt[i], P.opt[i]->deflt);
	run_getopt(argc, argv);
	if (cli->check_terms) {
		/* the terms alone: what a pipeline checks before any data */
		load_terms(cli);
		exit(0);
	}
	for (int i = 0; i < P.n; i++)
		if ((P.opt[i]->flags & VBR_REQUIRED) && !P.given[i])
			vbr_cli_usage_error(cli, "%s: required (%s)",
					    spelling(P.opt[i], name, sizeof name, 0), P.opt[i]->metavar);
	cli->operands = (const char *const *)argv + optind;
	cli->noperands = argc - optind;
	if (!cmd->operands && cli->noperands)
		vbr_cli_usage_error(cli, "unexpected operand '%s'", argv[optind]);
	if (cmd->check)
		cmd->check(opts);
	if (cli->max_record)
		vbr_max_record = (size_t)cli->max_record;
	if (cli->stdin_name)
		vbr_stdin_name = cli->stdin_name;
	load_terms(cli);
}

/* Text wrapped at 79 columns, every line starting at column `indent`;
 * the cursor is at column `col` when it starts. */
static void wrap(const char *p, int col, int indent)
{
	if (col > 0 && col > indent - 2) {
		putchar('\n');
		col = 0;
	}
	for (; *p; col = 0) {
		size_t n = strlen(p), room = (size_t)(79 - indent);
		if (n > room) {
			for (n = room; n > 0 && p[n] != ' '; n--)
				;
			if (n == 0)
				n = room;
		}
		printf("%*s%.*s\n", indent - col, "", (int)n, p);
		for (p += n; *p == ' '; p++)
			;
	}
}

/* One help line: the option's spelling, then in a column of 30 its help,
 * its default and whether it is required. */
static void help_line(const char *left, const char *help, const char *deflt, int required)
{
	char text[768];
	snprintf(text, sizeof text, "%s%s%s%s%s", help, deflt ? " (default: " : "",
		 deflt ? deflt : "", deflt ? ")" : "", required ? "; required" : "");
	wrap(text, printf("  %s", left), 30);
}

/* --help: the synopsis, what the tool does, every option with its help
 * line (a choice lists its names) and the operands, on standard output. */
static void print_help(void)
{
	char left[96], help[512], names[256];
	printf("usage: %s\n", P.cli->synopsis);
	wrap(P.cmd->about, 0, 0);
	printf("\nOptions:\n");
	for (int i = 0; i < P.n; i++) {
		const struct vbr_option *o = P.opt[i];
		snprintf(help, sizeof help, "%s%s%s", o->help, o->choices ? ": " : "",
			 o->choices ? vbr_names_list(o->choices, names, sizeof names) : "");
		const char *deflt = o->deflt && strcmp(o->deflt, "0") != 0 ? o->deflt : NULL;
		help_line(spelling(o, left, sizeof left, 1), help, deflt, o->flags & VBR_REQUIRED);
	}
	if (P.cmd->operands) {
		printf("\nOperands:\n");
		help_line(P.cmd->operands, P.cmd->operands_help, NULL, 0);
	}
	fflush(stdout);
	exit(ferror(stdout) ? EX_IOERR : 0);
}

static void print_version(void)
{
	printf("%s (vbr) %s\n", P.cmd->name, VBR_VERSION);
	exit(0);
}

int vbr_cli_given(const char *name)
{
	for (int i = 0; i < P.n; i++)
		if (strcmp(P.opt[i]->name, name) == 0)
			return P.given[i] > 0;
	return 0;
}

void vbr_cli_account(const struct vbr_cli *c, struct vbr_account *a, const char *written)
{
	vbr_account_init(a, c->rejects, c->max_rejects);
	a->written_label = written;
}

/* What the parse allocated is freed; the tool's status is passed on. */
int vbr_cli_exit(struct vbr_cli *c, int status)
{
	vbr_terms_free(&c->terms);
	free(c->sets.v);
	c->sets.v = NULL;
	return status;
}
