/*
 * cli.h — every tool's command line, declared as data. A tool lists its
 * options once, in a table of struct vbr_option (name, short letter,
 * argument kind, destination, help line, required, repeatable); one parser
 * does getopt, defaults, ranges, required options, operands, -h/--help,
 * --version and the usage error. The options every tool may share (terms,
 * rejects, -v) are declared here, once, and a tool names the groups it
 * takes.
 *
 *   struct vbr_option         one option; VBR_OPT(...) fills one in
 *   struct vbr_command        a tool: name, synopsis, what it does, its
 *                             options, the shared groups it takes
 *   VBR_MAIN(command, struct options, process)
 *                             a tool's main(): parse, run process(&options),
 *                             free, exit with process's status
 *   vbr_cli_parse(cmd, opts, cli, argc, argv)
 *                             parse into the tool's options struct `opts`
 *                             (whose struct vbr_cli is `cli`); exits 0 after
 *                             --help/--version, 64 on a usage error; loads
 *                             the terms files and --set values
 *   vbr_cli_given(name)       whether the option --name was given
 *   vbr_cli_account(c, a, written)   the run's record account: --rejects,
 *                             --max-rejects; `written` names what -v counts
 *                             as written (NULL: "written")
 *   vbr_cli_usage_error(c, fmt, ...)   "tool: message" + usage, exit 64
 *   vbr_cli_exit(c, status)   free what the parse allocated; return status
 *
 * The parse also ignores SIGPIPE, so that a closed output is seen as EPIPE
 * by the writer (writer.h), which decides between a quiet 0 and 74.
 * Messages name the option: `settle: --target: required (FILE)`, with the
 * program's name, never its path.
 */
#ifndef VBR_CLI_H
#define VBR_CLI_H

#include <stddef.h>
#include <stdint.h>

#include "names.h"
#include "terms.h"

#ifndef VBR_VERSION
#define VBR_VERSION "0.0.0"
#endif

enum vbr_arg {
	VBR_ARG_FLAG,      /* no argument: sets an int to 1 */
	VBR_ARG_TEXT,      /* const char *: a file name or text */
	VBR_ARG_LIST,      /* repeatable text, kept in a struct vbr_strings */
	VBR_ARG_COUNT,     /* int64_t from lo to hi */
	VBR_ARG_CHOICE,    /* int: the value of a name in `choices` */
	VBR_ARG_ACTION,    /* no argument: calls action(), which exits */
};

enum {
	VBR_REQUIRED = 1,  /* the option must be given */
	VBR_IN_CLI = 2,    /* dest is within struct vbr_cli (the shared options) */
};

/* The shared option groups a tool takes. */
enum {
	VBR_WITH_TERMS = 1,        /* --terms, --set */
	VBR_WITH_ORG_TERMS = 2,    /* --org-terms */
	VBR_WITH_REJECTS = 4,      /* --rejects, --max-rejects */
	VBR_WITH_VERBOSE = 8,      /* -v */
	VBR_WITH_INPUT = 16,       /* --max-record, --stdin-name: every tool that takes operands */
};

/* Texts given by a repeatable option, in order. */
struct vbr_strings {
	const char **v;
	int n;
};

struct vbr_option {
	const char *name;                /* long name, without "--" */
	int letter;                      /* short option, 0 for none */
	enum vbr_arg arg;
	size_t dest;                     /* offsetof the destination */
	const char *metavar;             /* FILE, N, NAME=VALUE; NULL for none */
	const char *help;                /* one line */
	int flags;                       /* VBR_REQUIRED, VBR_IN_CLI */
	const char *deflt;               /* applied before parsing; shown by --help */
	int64_t lo, hi;                  /* VBR_ARG_COUNT bounds */
	const struct vbr_name *choices;  /* VBR_ARG_CHOICE */
	void (*action)(void);            /* VBR_ARG_ACTION */
	int group;                       /* shared options: the VBR_WITH_ group */
};

/* An option of the tool's struct options; the rest are designated
 * initialisers: VBR_OPT(struct options, seed, "seed", 0, VBR_ARG_COUNT,
 * "S", "the generator's seed", .deflt = "1", .lo = 1, .hi = INT64_MAX). */
#define VBR_OPT(type, field, name_, letter_, arg_, metavar_, help_, ...)                   \
	{.name = name_, .letter = letter_, .arg = arg_, .dest = offsetof(type, field),      \
	 .metavar = metavar_, .help = help_, __VA_ARGS__}

struct vbr_command {
	const char *name;
	const char *synopsis;            /* NULL: made from the options; else the
					    man page's SYNOPSIS, one form a line */
	const char *about;               /* what the tool does, one sentence */
	const char *operands;            /* the operands, "costs ..."; NULL: none */
	const char *operands_help;       /* what they are */
	const struct vbr_option *options;/* ends with {NULL} */
	int groups;                      /* VBR_WITH_ ... */
	void (*check)(void *opts);       /* checks between options; NULL: none */
};

struct vbr_cli {
	const char *synopsis;            /* as usage errors and --help print it */
	const char *terms_file, *org_terms_file, *rejects;
	int64_t max_rejects, max_record;
	const char *stdin_name;
	int verbose, check_terms;
	struct vbr_strings sets;
	struct vbr_terms terms;
	const char *const *operands;
	int noperands;
};

void vbr_cli_parse(const struct vbr_command *cmd, void *opts, struct vbr_cli *cli, int argc,
		   char **argv);
void vbr_cli_usage_error(const struct vbr_cli *c, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 2, 3)));
int vbr_cli_given(const char *name);
struct vbr_account;
void vbr_cli_account(const struct vbr_cli *c, struct vbr_account *a, const char *written);
int vbr_cli_exit(struct vbr_cli *c, int status);

#define VBR_MAIN(command_, options_, process_)                                           \
	int main(int argc, char **argv)                                                   \
	{                                                                                 \
		options_ o = {0};                                                         \
		vbr_cli_parse(&command_, &o, &o.cli, argc, argv);                         \
		return vbr_cli_exit(&o.cli, process_(&o));                                \
	}

#endif
